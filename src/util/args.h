/* Command-line values, read strictly and refused in one voice. */
#ifndef PL_ARGS_H
#define PL_ARGS_H

/* a whole number in [min, max]; -1 after "error: OPT takes a whole number
 * from MIN to MAX, not 'ARG'" */
int parse_uint(const char *opt, const char *arg, unsigned long min, unsigned long max,
	       unsigned long *out);

#endif
