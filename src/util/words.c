// SPDX-License-Identifier: BSD-2-Clause
#include <stdio.h>
#include <string.h>
#include "util/words.h"

const char *plural(unsigned long long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

const char *thousands(unsigned long long n, char *buf, size_t len)
{
	char digits[24], *out = buf;
	size_t nd = (size_t)snprintf(digits, sizeof(digits), "%llu", n);

	/* digits, the commas between them and the NUL */
	if (len < nd + (nd - 1) / 3 + 1) {
		snprintf(buf, len, "%s", digits);
		return buf;
	}
	for (size_t i = 0; i < nd; i++) {
		if (i && (nd - i) % 3 == 0)
			*out++ = ',';
		*out++ = digits[i];
	}
	*out = 0;
	return buf;
}
