/* SPDX-License-Identifier: BSD-2-Clause */
/* The live text view: one aligned line per event. */
#ifndef PL_TEXT_H
#define PL_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "events.h"
#include "output/fold.h"

struct pl_text {
	FILE *f;
	bool color;                /* ANSI colours: what is notable stands out */
	unsigned long long t0;     /* boot ns shown as time 0 */
	bool wall_clock;           /* times of day instead of seconds from t0 */
	long long boot_to_wall_ns; /* for them: added to a boot ns (0: unknown, seconds then) */
};

/* what the model knows of the process a line is about */
struct text_about {
	const char *name;  /* its whole name where comm was cut; NULL: comm */
	const char *note;  /* who it runs as and where, when that is news (who_note) */
	unsigned earlier;  /* a failed exec: those of its process before it, not shown */
	const char *killer_name; /* an exit: the whole name of who killed it; NULL: its comm */
};

void text_heading(struct pl_text *t);
/* a is NULL when nothing is known beyond the event */
void text_event(struct pl_text *t, const struct pl_event *e, const struct text_about *a);
void text_lost(struct pl_text *t, unsigned long long ts, unsigned kind, unsigned long long count);
/* a burst's folded events: "... 1,996 more alike forks by 3827 in 0.41 s" */
void text_folded(struct pl_text *t, const struct fold_burst *b);
/* a boot ns as the TIME column shows it: "12.345678" or "14:02:03.123456" */
const char *text_time(const struct pl_text *t, unsigned long long ts, char *buf, size_t len);

#endif
