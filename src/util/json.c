// SPDX-License-Identifier: BSD-2-Clause
#include <stdlib.h>
#include <string.h>
#include "util/json.h"

/* length of a valid UTF-8 sequence at s (at most n bytes), 0 if invalid:
 * strict, as JSON readers check it (no overlong forms, no surrogates,
 * nothing past U+10FFFF) */
size_t json_utf8_len(const unsigned char *s, size_t n)
{
	/* the second byte's range where it is narrower than 80..BF */
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (len > n)
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

bool json_is_utf8(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, end, len;
	uint64_t x;

	/* ASCII a word at a time, to the NUL if one comes first */
	for (; i + 8 <= n; i += 8) {
		memcpy(&x, s + i, 8);
		if (x & JSON_BYTES(0x80))
			break;
		if (JSON_ZERO_BYTES(x))
			return true;
	}
	end = i + strnlen(str + i, n - i);
	for (; i < end; i += len)
		if (!(len = s[i] < 0x80 ? 1 : json_utf8_len(s + i, end - i)))
			return false;
	return true;
}

/* the bytes from s on (at most n) that a JSON string takes as they are */
static size_t plain_run(const unsigned char *s, size_t n)
{
	size_t i = 0;
	uint64_t x, odd;

	for (; i + 8 <= n; i += 8) {
		memcpy(&x, s + i, 8);
		odd = json_unplain_bytes(x);
		if (odd)
			return i + (size_t)(__builtin_ctzll(odd) >> 3);
	}
	while (i < n && s[i] >= 0x20 && s[i] < 0x7f && s[i] != '"' && s[i] != '\\')
		i++;
	return i;
}

char *json_escape(char *out, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	static const char hex[] = "0123456789abcdef";
	size_t i = 0, run, len;
	unsigned char c;

	*out++ = '"';
	for (;;) {
		/* most names, paths and arguments are plain ASCII: copied whole */
		run = plain_run(s + i, n - i);
		memcpy(out, s + i, run);
		out += run;
		i += run;
		if (i >= n || !s[i])
			break;
		c = s[i];
		if (c == '"' || c == '\\') {
			*out++ = '\\';
			*out++ = (char)c;
		} else if (c == '\n') {
			*out++ = '\\';
			*out++ = 'n';
		} else if (c == '\t') {
			*out++ = '\\';
			*out++ = 't';
		} else if (c >= 0x80 && (len = json_utf8_len(s + i, n - i))) {
			/* a NUL is no continuation byte: a sequence ends before it */
			memcpy(out, s + i, len);
			out += len;
			i += len - 1;
		} else {
			/* control or invalid byte: escaped so output stays valid JSON */
			memcpy(out, "\\u00", 4);
			out[4] = hex[c >> 4];
			out[5] = hex[c & 15];
			out += 6;
		}
		i++;
	}
	*out++ = '"';
	return out;
}

void json_put_string(FILE *f, const char *s)
{
	size_t n = strlen(s);
	char small[256], *buf = JSON_ESCAPED_MAX(n) <= sizeof(small) ? small : malloc(JSON_ESCAPED_MAX(n));

	if (!buf)
		return;
	fwrite(buf, 1, (size_t)(json_escape(buf, s, n) - buf), f);
	if (buf != small)
		free(buf);
}
