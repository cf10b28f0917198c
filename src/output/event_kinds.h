/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Which events the text view shows (--events). Every record still feeds
 * the model, and the JSONL log and the exports keep every record they are
 * given: this is the text view's choice alone.
 *
 * The default shows what a person came for: each process's birth (fork),
 * exec and end (exit), and the notable records of every other kind (an
 * orphan's reparenting, a zombie past --zombie-ms, a double fork, a reap
 * that was not prompt). Routine records (wait starts, the zombie moment of
 * each exit, prompt reaps, frees, a child handed to another thread) show
 * when their kind is named: "--events all", "--events default,wait".
 */
#ifndef PL_EVENT_KINDS_H
#define PL_EVENT_KINDS_H

#include <stdbool.h>
#include "events.h"

struct events {
	unsigned kinds; /* 1 << enum pl_kind: every record of these kinds */
	bool notable;   /* and the notable records of the others */
};

/* the default: fork, exec, exit, and what is notable */
struct events events_default(void);
/* every kind: what a log or an export is given */
struct events events_all(void);
/* --events LIST: comma-separated kinds (fork, exec, exit, zombie, wait,
 * reap, reparent, free, zombie_long, double_fork), "default" (the
 * default's, to add kinds to) or "all": 0, or EXIT_USAGE after saying why */
int events_parse(const char *arg, struct events *ev);

/*
 * Does the text view show records of this kind (enum pl_kind), all of
 * them or the notable ones? False means no record of the kind will ever
 * be printed, so a kernel side that skips them changes nothing on screen.
 * It is about the text view only: a JSONL log or an export wants every
 * kind whatever this says. Waits are counted in the kernel either way (the
 * summary's "waits:"); a record for each call is sent only when wanted.
 */
bool events_want(const struct events *ev, unsigned kind);

/* --events for a log or an export, which keeps every other kind: "wait"
 * or "all", a line for each wait call besides */
bool events_only_add_waits(const struct events *ev);

/* does the text view show this record? zombie_ms: the --zombie-ms threshold */
bool events_show(const struct events *ev, const struct pl_event *e, unsigned zombie_ms);

/* a record that is news on its own: never folded into a burst, shown by
 * default whatever its kind (an abnormal exit, an orphan, a zombie past
 * the threshold, a double fork, a reap that was not prompt) */
bool event_notable(const struct pl_event *e, unsigned zombie_ms);

#endif
