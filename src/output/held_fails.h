/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Failed execs held back from the default text view until their process
 * shows whether they mattered: an exec that works after them (a shell
 * trying each directory of $PATH) makes them a search, and they are
 * dropped; the process's end (or the trace's) makes them failures that
 * stood, and they are said then, with their own times. A process keeps
 * its last HELD_FAILS; the ones before are counted on the first said.
 */
#ifndef PL_HELD_FAILS_H
#define PL_HELD_FAILS_H

#include "events.h"

#define HELD_FAILS 4     /* kept per process */
#define HELD_PROCS 1024  /* processes with failures held; past it, said at once */

struct held_fails;

struct held_fails *held_fails_new(void); /* NULL when out of memory */
void held_fails_free(struct held_fails *h);
/* keeps a copy of e (an exec_failed); false when it could not be held */
bool held_fails_add(struct held_fails *h, const struct pl_event *e);
/* the process (pid, start) exec'd: its failures were a search */
void held_fails_drop(struct held_fails *h, __u32 pid, __u64 start);
/* the held failures of (pid, start), or of every process (pid 0), to
 * say(), oldest first; earlier: those before it not held. Then forgotten */
void held_fails_say(struct held_fails *h, __u32 pid, __u64 start,
		    void (*say)(void *ctx, const struct pl_event *e, unsigned earlier), void *ctx);

#endif
