/* SPDX-License-Identifier: BSD-2-Clause */
/* Writing JSON text: the one place strings are escaped. */
#ifndef PL_JSON_H
#define PL_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* room json_escape() may need for n input bytes */
#define JSON_ESCAPED_MAX(n) (6 * (n) + 2)

/* writes s (at most n bytes, stops at NUL) as a quoted JSON string at out and
 * returns the end. Valid UTF-8 passes through; control and invalid bytes
 * become \u00XX escapes, so the output is always valid JSON. */
char *json_escape(char *out, const char *s, size_t n);
/* length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid */
size_t json_utf8_len(const unsigned char *s, size_t n);
/* the same, an ASCII byte (1) included: the character at s, 0 if none */
static inline size_t json_char_len(const unsigned char *s, size_t n)
{
	return s[0] < 0x80 ? 1 : json_utf8_len(s, n);
}
/* s (at most n bytes, to its NUL) is UTF-8: json_escape() keeps its bytes */
bool json_is_utf8(const char *s, size_t n);
/* the same, straight to a stream */
void json_put_string(FILE *f, const char *s);

#endif
