/* SPDX-License-Identifier: BSD-2-Clause */
/* A stop passed on to the traced command's processes, as a Ctrl-C at the
 * terminal would reach them. */
#ifndef PL_PASS_ON_H
#define PL_PASS_ON_H

#include <stdbool.h>
#include <stddef.h>
#include "tracer/follow.h"

struct tracer;

/* the processes told, and when: those the model had not read of then
 * (their fork still in the ring) are told once it has */
struct passed_on {
	struct pid_set told;
	unsigned long long at; /* boot ns of the first telling, 0: none yet */
	int sig;               /* what they were told, 0: nothing */
	bool again;            /* those that may have missed it were told too */
};

/* sig (0: none, the terminal's Ctrl-C reached them already) to the command
 * and to what it started that is still in its process group (not a daemon
 * that left it with setsid), after the ring is read. Returns how many such
 * processes there are */
size_t pass_on(struct tracer *t, struct passed_on *s, int sig);
/* the same sig to processes forked before it was passed on whose forks
 * have been read since; nothing forked after it (as after a Ctrl-C) */
void pass_on_late(struct tracer *t, struct passed_on *s);
/* sig, once the grace is over, to those of the command's processes still in
 * its process group that may have missed the stop: forked since it was
 * passed on (a shell defers SIGINT until the child it waits for ends, a
 * child it may fork after the signal came, as on a Ctrl-C at that moment),
 * or exec'd since (a forked shell's handler caught it, and its exec dropped
 * it). Returns how many */
size_t pass_on_missed(struct tracer *t, struct passed_on *s, int sig);
void passed_on_free(struct passed_on *s);

#endif
