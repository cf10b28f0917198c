/*
 * The ring buffer's records (include/records.h) made into events: a record
 * tells one event, or two at once (an exit and its zombie moment, an exit
 * and its auto-reap). Pure: no libbpf, so the unit tests check it too.
 */
#ifndef PL_CAPTURE_RECORD_H
#define PL_CAPTURE_RECORD_H

#include <stddef.h>
#include "events.h"

#define PL_RECORD_EVENTS 2 /* the most events one record tells */

/* the events in a record of `size` bytes, into out[]; 0 when the record
 * is too short for its kind or of a kind this build does not know */
int pl_record_events(const void *rec, size_t size, struct pl_event out[PL_RECORD_EVENTS]);

#endif
