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

/* the option getopt_long() found unknown, as given: "-x" of a cluster
 * like "-vx" (optopt), or the whole word of a long one ("--nope") */
const char *unknown_option(char *const argv[]);

struct option;

/* options that take one value, each given once: which would be meant by
 * two? c: the option getopt_long() returned; singles[n]: the options held
 * to that; seen: a bit per single, zero at first; shorts and opts (as
 * getopt_long() has them) name it. EXIT_USAGE after "error: -p (--pid)
 * given twice: one at a time" */
int option_once(unsigned *seen, int c, const int *singles, unsigned n, const char *shorts,
		const struct option *opts);

#endif
