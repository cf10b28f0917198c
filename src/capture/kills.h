/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The fatal signals seen sent, kept by the process they were sent to until
 * its exit says which one ended it. A kill of a whole process group sends
 * thousands at once: the table grows as they come, up to a bound past
 * which the oldest is let go and counted (its sender is then not told).
 */
#ifndef PL_CAPTURE_KILLS_H
#define PL_CAPTURE_KILLS_H

#include <stdbool.h>
#include "records.h"

struct pl_kills;

struct pl_kills *pl_kills_new(void); /* NULL: out of memory */
void pl_kills_free(struct pl_kills *ks);

void pl_kills_keep(struct pl_kills *ks, const struct pl_rec_kill *k);

/* the OOM killer marked thread tid its victim at ts: the SIGKILL the
 * kernel sent it a moment before, the newest kept, was the OOM killer's */
void pl_kills_mark_oom(struct pl_kills *ks, __u32 tid, __u64 ts);

/* process (pid, start) has ended, by signal sig (0: not by a signal): the
 * kill of it with that signal into *out (false: none kept): the newest, or
 * for a real-time signal, which queues, the oldest; none of its kills is
 * kept any longer */
bool pl_kills_take(struct pl_kills *ks, __u32 pid, __u64 start, int sig, struct pl_rec_kill *out);

/* kills let go unmatched because the table was full */
unsigned long long pl_kills_forgotten(const struct pl_kills *ks);

#endif
