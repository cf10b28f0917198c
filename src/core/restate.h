/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A process the model knows, told again as the record the bootstrap makes
 * for a process already running (PL_EV_PROC): what a new part of a
 * rotated log begins with, so it reads on its own.
 */
#ifndef PL_RESTATE_H
#define PL_RESTATE_H

#include <stdbool.h>
#include "events.h"
#include "model/model.h"

/* is q there to restate: running, exiting or a zombie, and known itself
 * (not only by pid, as someone's parent)? */
bool restate_wanted(const struct pl_proc *q);
/* q as a proc record at ts */
void restate_proc(const struct pl_proc *q, unsigned long long ts, struct pl_event *e);

#endif
