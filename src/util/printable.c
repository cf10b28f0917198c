// SPDX-License-Identifier: BSD-2-Clause
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include "util/json.h"
#include "util/printable.h"

/* the length of the bidirectional control or line separator at s, or 0:
 * marks that turn the rest of a terminal's line around (U+061C, U+200E,
 * U+200F, U+202A - U+202E, U+2066 - U+2069) or break it (U+2028, U+2029),
 * so that a name could make its line say something else */
static size_t bidi_len(const unsigned char *s, size_t n)
{
	if (n >= 2 && s[0] == 0xd8 && s[1] == 0x9c)
		return 2;
	if (n < 3 || s[0] != 0xe2)
		return 0;
	if (s[1] == 0x80 && (s[2] == 0x8e || s[2] == 0x8f || (s[2] >= 0xa8 && s[2] <= 0xae)))
		return 3;
	if (s[1] == 0x81 && s[2] >= 0xa6 && s[2] <= 0xa9)
		return 3;
	return 0;
}

/* the length of the printable character at s (at most n bytes), or 0: a
 * control byte, a byte that is no valid UTF-8, a C1 control (U+0080 -
 * U+009F), a bidirectional control */
static size_t printable_len(const unsigned char *s, size_t n)
{
	if (s[0] < 0x80)
		return s[0] < 0x20 || s[0] == 0x7f ? 0 : 1;
	if (s[0] == 0xc2 && n > 1 && s[1] < 0xa0)
		return 0;
	if (bidi_len(s, n))
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
			size_t b = bidi_len(u + i, end - i);

			buf[o++] = '?'; /* one for a whole control character */
			i += b ? b : 1;
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
	size_t cols = columns(s), at = strlen(s);

	if (!len)
		return buf;
	if (at > len - 1)
		at = len - 1;
	memcpy(buf, s, at);
	while (cols++ < width && at + 1 < len)
		buf[at++] = ' ';
	buf[at] = 0;
	return buf;
}
