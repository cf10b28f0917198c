// SPDX-License-Identifier: BSD-2-Clause
#include "util/json.h"
#include "util/printable.h"

/* the length of the printable character at s (at most n bytes), or 0: a
 * control byte, a byte that is no valid UTF-8, a C1 control (U+0080 -
 * U+009F) */
static size_t printable_len(const unsigned char *s, size_t n)
{
	if (s[0] < 0x80)
		return s[0] < 0x20 || s[0] == 0x7f ? 0 : 1;
	if (s[0] == 0xc2 && n > 1 && s[1] < 0xa0)
		return 0;
	return json_utf8_len(s, n);
}

const char *pl_printable(const char *s, size_t n, char *buf, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, o = 0, end = 0;

	if (!len)
		return "";
	while (end < n && s[end])
		end++;
	while (i < end && o + 1 < len) {
		size_t c = printable_len(u + i, end - i);

		if (!c) {
			buf[o++] = '?';
			i++;
			continue;
		}
		if (o + c >= len)
			break; /* a character that does not fit ends the copy */
		for (size_t k = 0; k < c; k++)
			buf[o++] = s[i++];
	}
	buf[o] = 0;
	return buf;
}
