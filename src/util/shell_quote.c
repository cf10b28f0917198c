// SPDX-License-Identifier: BSD-2-Clause
#include <stdbool.h>
#include <string.h>
#include "util/json.h"
#include "util/shell_quote.h"

/* characters no shell gives a meaning to inside a word */
static bool plain(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       strchr("@%+=:,./_-", c);
}

/* a UTF-8 sequence a terminal would act on rather than show: C1
 * controls, and the marks that reorder or break a line (bidi controls,
 * the line and paragraph separators) */
static bool invisible(const unsigned char *s, size_t len)
{
	unsigned cp;

	if (len == 2)
		return s[0] == 0xc2 && s[1] < 0xa0;
	if (len != 3)
		return false;
	cp = ((s[0] & 0x0fu) << 12) | ((s[1] & 0x3fu) << 6) | (s[2] & 0x3fu);
	return cp == 0x200e || cp == 0x200f || (cp >= 0x2028 && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

/* the length of the character at s that may stand as it is between quotes,
 * 0 if it needs an escape */
static size_t shown(const unsigned char *s, size_t n)
{
	size_t len;

	if (s[0] >= 0x20 && s[0] < 0x7f)
		return s[0] != '\'';
	if (s[0] < 0x80)
		return 0;
	len = json_utf8_len(s, n);
	return len && !invisible(s, len) ? len : 0;
}

static char *escape(char *out, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	static const char named[] = { ['\a'] = 'a', ['\b'] = 'b', ['\t'] = 't', ['\n'] = 'n',
				      ['\v'] = 'v', ['\f'] = 'f', ['\r'] = 'r', [0x1b] = 'E',
				      ['\''] = '\'', ['\\'] = '\\' };

	*out++ = '\\';
	if (c < sizeof(named) && named[c]) {
		*out++ = named[c];
		return out;
	}
	*out++ = 'x';
	*out++ = hex[c >> 4];
	*out++ = hex[c & 15];
	return out;
}

char *shell_quote(char *out, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	bool bare = n > 0, quotable = true;

	for (size_t i = 0; i < n;) {
		size_t len = shown(s + i, n - i);

		bare &= len == 1 && plain(s[i]);
		if (!len) {
			quotable = bare = false;
			break;
		}
		i += len;
	}
	if (bare) {
		memcpy(out, s, n);
		return out + n;
	}
	if (quotable) { /* '' is the empty word */
		*out++ = '\'';
		memcpy(out, s, n);
		out += n;
		*out++ = '\'';
		return out;
	}
	*out++ = '$';
	*out++ = '\'';
	for (size_t i = 0; i < n;) {
		size_t len = shown(s + i, n - i);

		if (len && s[i] != '\\') {
			memcpy(out, s + i, len);
			out += len;
			i += len;
		} else { /* a backslash too: it escapes inside $'...' */
			out = escape(out, s[i++]);
		}
	}
	*out++ = '\'';
	return out;
}

const char *shell_arg(const char *args, size_t len, unsigned i, size_t *n)
{
	const char *p = args, *end;

	if (!args)
		return NULL; /* no arguments at all */
	end = args + len;
	for (; p < end; i--) {
		const char *nul = memchr(p, 0, (size_t)(end - p));
		size_t l = nul ? (size_t)(nul - p) : (size_t)(end - p);

		if (!i) {
			*n = l;
			return p;
		}
		p = nul ? nul + 1 : end;
	}
	return NULL;
}

size_t shell_join(char *buf, size_t cap, const char *args, size_t len, unsigned skip, int cut)
{
	static const char more[] = " ...";
	char word[SHELL_QUOTED_MAX(256)];
	size_t used = 0, n;
	const char *a;

	if (cap < sizeof(more)) {
		if (cap)
			buf[0] = 0;
		return 0;
	}
	buf[0] = 0;
	for (unsigned i = skip; (a = shell_arg(args, len, i, &n)); i++) {
		bool big = SHELL_QUOTED_MAX(n) > sizeof(word);
		/* a long argument is quoted in place when it may fit */
		char *w = big ? buf + used + !!used : word;
		size_t wl;

		if (big && used + 1 + SHELL_QUOTED_MAX(n) + sizeof(more) > cap)
			goto full;
		wl = (size_t)(shell_quote(w, a, n) - w);
		if (used + !!used + wl + sizeof(more) > cap)
			goto full;
		if (used)
			buf[used++] = ' ';
		if (!big)
			memcpy(buf + used, word, wl);
		used += wl;
	}
	/* cut inside the last argument: "..." on it, not after it as if it
	 * were whole */
	if (cut == SHELL_CUT_INSIDE && used) {
		memcpy(buf + used, more + 1, sizeof(more) - 1);
		return used + sizeof(more) - 2;
	}
	if (cut)
		goto full;
	buf[used] = 0;
	return used;
full:
	memcpy(buf + used, more + !used, sizeof(more) - !used);
	return used + sizeof(more) - 1 - !used;
}
