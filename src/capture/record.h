/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The ring buffer's records (include/records.h) made into events: a record
 * tells one event, or two at once (an exit and its zombie moment, an exit
 * and its auto-reap), or none (who sent a fatal signal, kept for the exit
 * it causes). Pure: no libbpf, so the unit tests check it too.
 */
#ifndef PL_CAPTURE_RECORD_H
#define PL_CAPTURE_RECORD_H

#include <stddef.h>
#include "events.h"

#define PL_RECORD_EVENTS 2 /* the most events one record tells */

/* what reading keeps from one record to the next: the fatal signals seen
 * sent, until the exits they cause (a kill record tells no event itself) */
struct pl_records;

struct pl_records *pl_records_new(unsigned long page_size); /* NULL: out of memory */
void pl_records_free(struct pl_records *rr);

/* fatal signals whose sender was let go before their exit came: more at
 * once than are kept */
unsigned long long pl_records_kills_forgotten(const struct pl_records *rr);

/* the events in a record of `size` bytes, into out[] (an exec's strings
 * point into the record, or into rr until its next record): how many (0
 * for a kill record), or -1 for a record too short for its kind or of a
 * kind this build does not know */
int pl_record_events(struct pl_records *rr, const void *rec, size_t size,
		     struct pl_event out[PL_RECORD_EVENTS]);

#endif
