/* SPDX-License-Identifier: BSD-2-Clause */
/* The tracer: loads, attaches and streams events until told to stop. */
#ifndef PL_TRACE_H
#define PL_TRACE_H

#include "tracer/options.h"

/* traces as o says; the exit status: EXIT_ERROR after saying why, else
 * the command's (128 + N for a signal N; a command still running when the
 * trace ended: 128 + N for the signal that ended it, 0 for -d), 0 without
 * a command or when the output's reader left */
int trace(const struct trace_opts *o);

#endif
