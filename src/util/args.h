/* SPDX-License-Identifier: BSD-2-Clause */
/* Command-line values, read strictly and refused in one voice. */
#ifndef PL_ARGS_H
#define PL_ARGS_H

#include "util/diag.h"

/* a macro's value as a string, for usage texts: "(default " STR(X) ")" */
#define STR(x) STR_(x)
#define STR_(x) #x

/* what a command's option parser returns besides 0 and EXIT_USAGE (after
 * usage_error()): --help was printed, the command exits 0 */
#define ARGS_HELP (-1)

/* a whole number in [min, max]; EXIT_USAGE after "error: OPT takes a whole
 * number from MIN to MAX, not 'ARG'" */
int parse_uint(const char *opt, const char *arg, unsigned long min, unsigned long max,
	       unsigned long *out);

#endif
