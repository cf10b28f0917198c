// SPDX-License-Identifier: BSD-2-Clause
#include "util/printable.h"

const char *pl_printable(const char *s, size_t n, char *buf, size_t len)
{
	size_t i;

	if (!len)
		return "";
	for (i = 0; i < n && i + 1 < len && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		buf[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	buf[i] = 0;
	return buf;
}
