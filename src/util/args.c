// SPDX-License-Identifier: BSD-2-Clause
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "util/args.h"

int parse_uint(const char *opt, const char *arg, unsigned long min, unsigned long max,
	       unsigned long *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || !isdigit((unsigned char)arg[0]) || v < min || v > max)
		return usage_error("%s takes a whole number from %lu to %lu, not '%s'", opt, min, max, arg);
	*out = v;
	return 0;
}

/* NULL: a short option with no long name */
static const char *long_name(const struct option *opts, int c)
{
	for (const struct option *o = opts; o->name; o++)
		if (o->val == c)
			return o->name;
	return NULL;
}

int option_once(unsigned *seen, int c, const int *singles, unsigned n, const char *shorts,
		const struct option *opts)
{
	bool is_short = c > 0 && c < 128 && c != ':' && strchr(shorts, c);

	for (unsigned i = 0; i < n && i < 32; i++) {
		if (singles[i] != c)
			continue;
		if (*seen & 1u << i) {
			const char *name = long_name(opts, c);

			if (is_short && !name)
				return usage_error("-%c given twice: one at a time", c);
			return is_short ? usage_error("-%c (--%s) given twice: one at a time", c, name)
					: usage_error("--%s given twice: one at a time",
						      name ? name : "?");
		}
		*seen |= 1u << i;
	}
	return 0;
}

/* word is a cluster of short options ("-vx") holding c */
static bool short_cluster_with(const char *word, int c)
{
	return word && word[0] == '-' && word[1] && word[1] != '-' && c > 0 && c < 256 &&
	       strchr(word + 1, c);
}

const char *unknown_option(char *const argv[])
{
	static char letter[3] = "-";

	/* getopt_long() stays on a cluster's word while letters are left in
	 * it, and steps past a long option's (optopt is its value then, or 0) */
	if (!short_cluster_with(argv[optind], optopt) && !short_cluster_with(argv[optind - 1], optopt))
		return argv[optind - 1];
	letter[1] = (char)optopt;
	return letter;
}
