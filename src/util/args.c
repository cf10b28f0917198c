// SPDX-License-Identifier: BSD-2-Clause
#include <errno.h>
#include <stdlib.h>
#include "util/args.h"

int parse_uint(const char *opt, const char *arg, unsigned long min, unsigned long max,
	       unsigned long *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] == '-' || v < min || v > max)
		return usage_error("%s takes a whole number from %lu to %lu, not '%s'", opt, min, max, arg);
	*out = v;
	return 0;
}
