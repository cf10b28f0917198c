/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Bytes for a descriptor whose reader may stop reading (a pipe, a
 * terminal, a socket): a thread of their own writes them, so whoever
 * makes them never waits for the reader. Past a bound the queue drops
 * whole lines, and counts them; writes of at most a pipe's atomic size,
 * cut at line ends, keep a pipe's reader from ever getting half a line.
 */
#ifndef PL_OUTPUT_QUEUE_H
#define PL_OUTPUT_QUEUE_H

#include <stdbool.h>
#include <stddef.h>

struct out_queue;

/* a queue and its thread writing to fd; NULL with errno set */
struct out_queue *out_queue_new(int fd);
/* takes the bytes, never waits; true when they began a run of dropped
 * lines (the reader lags by the whole bound), for a warning */
bool out_queue_put(struct out_queue *q, const char *buf, size_t n);
/* errno of the write that failed (EPIPE: the reader left), 0 */
int out_queue_error(struct out_queue *q);
/* lines dropped so far */
unsigned long long out_queue_dropped(struct out_queue *q);
/* waits up to timeout_ms for every byte to be written, then ends the
 * queue: the lines that were not written (dropped, or still waiting), and
 * in *err what out_queue_error() would say. A thread stuck in a write is
 * left to it, with the memory it uses, until the process exits */
unsigned long long out_queue_close(struct out_queue *q, int timeout_ms, int *err);

#endif
