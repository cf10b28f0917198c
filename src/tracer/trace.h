/* SPDX-License-Identifier: BSD-2-Clause */
/* The tracer: loads, attaches and streams events until told to stop. */
#ifndef PL_TRACE_H
#define PL_TRACE_H

#include "tracer/options.h"

/* traces as o says; the exit status: 0 when tracing worked (whatever the
 * command's own), EXIT_ERROR after printing why */
int trace(const struct trace_opts *o);

#endif
