// SPDX-License-Identifier: BSD-2-Clause
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>
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

/* the columns s takes: ASCII a column a byte; other characters as
 * wcwidth says in C.UTF-8 (built into the C library), whatever the
 * process's locale, one column for any it does not know */
static size_t columns(const char *s)
{
	static locale_t utf8;
	size_t cols = 0, n;
	mbstate_t st = { 0 };
	locale_t was;
	wchar_t wc;
	int w;

	for (n = 0; s[n] && !(s[n] & 0x80); n++)
		;
	if (!s[n])
		return n; /* nearly every name */
	if (!utf8)
		utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	if (!utf8)
		return strlen(s);
	was = uselocale(utf8);
	for (cols = n, s += n; *s; s += n) {
		n = mbrtowc(&wc, s, MB_LEN_MAX, &st);
		if (n == 0 || n > MB_LEN_MAX) {
			n = 1;
			memset(&st, 0, sizeof(st));
			w = 1;
		} else {
			w = wcwidth(wc);
		}
		cols += w < 0 ? 1 : (size_t)w;
	}
	uselocale(was);
	return cols;
}

const char *pl_pad_columns(const char *s, size_t width, char *buf, size_t len)
{
	size_t cols = columns(s), at = len ? strnlen(s, len - 1) : 0;

	if (!len)
		return buf;
	memcpy(buf, s, at);
	while (cols++ < width && at + 1 < len)
		buf[at++] = ' ';
	buf[at] = 0;
	return buf;
}
