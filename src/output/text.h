/* The live text view: one aligned line per event. */
#ifndef PL_TEXT_H
#define PL_TEXT_H

#include <stdbool.h>
#include <stdio.h>
#include "events.h"

struct pl_text {
	FILE *f;
	bool color;                /* ANSI colours: zombies and orphans stand out */
	unsigned long long t0;     /* boot ns shown as time 0 */
};

void text_heading(struct pl_text *t);
void text_event(struct pl_text *t, const struct pl_event *e);
void text_lost(struct pl_text *t, unsigned long long ts, unsigned kind, unsigned long long count);

#endif
