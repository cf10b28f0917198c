// SPDX-License-Identifier: BSD-2-Clause
#include <limits.h>
#include <locale.h>
#include <stdio.h>
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

/* the columns one character of s takes, and its bytes in *n: read as
 * UTF-8 whatever the process's locale (C.UTF-8 is built into the C library) */
static int columns_of(const char *s, size_t *n, locale_t utf8)
{
	mbstate_t st = { 0 };
	locale_t was = uselocale(utf8);
	wchar_t wc;
	size_t got = mbrtowc(&wc, s, MB_LEN_MAX, &st);
	int w = got == 0 || got > MB_LEN_MAX ? 1 : wcwidth(wc);

	uselocale(was);
	*n = got == 0 || got > MB_LEN_MAX ? 1 : got;
	return w < 0 ? 1 : w;
}

const char *pl_pad_columns(const char *s, size_t width, char *buf, size_t len)
{
	static locale_t utf8;
	size_t cols = 0, at = 0, n;

	if (!utf8)
		utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	for (const char *p = s; *p; p += n)
		cols += utf8 ? (size_t)columns_of(p, &n, utf8) : (n = 1);
	at = (size_t)snprintf(buf, len, "%s", s);
	while (cols++ < width && at + 1 < len)
		buf[at++] = ' ';
	if (at < len)
		buf[at] = 0;
	return buf;
}
