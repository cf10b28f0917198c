// SPDX-License-Identifier: BSD-2-Clause
#include "util/printable.h"

/* the length of the valid UTF-8 character at s (at most n bytes), or 0:
 * an invalid byte, an overlong form, a surrogate or past U+10FFFF */
static size_t utf8_char(const unsigned char *s, size_t n)
{
	size_t len;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return cp < 0xa0 ? 0 : len; /* U+0080 - U+009F are controls too */
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
		size_t c = u[i] < 0x20 || u[i] == 0x7f ? 0 : utf8_char(u + i, end - i);

		if (c && o + c < len) {
			for (size_t k = 0; k < c; k++)
				buf[o++] = s[i++];
		} else {
			buf[o++] = '?';
			i += c ? c : 1;
		}
	}
	buf[o] = 0;
	return buf;
}
