/* SPDX-License-Identifier: BSD-2-Clause */
/* Writing JSON text: the one place strings are escaped. */
#ifndef PL_JSON_H
#define PL_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "strings are scanned a word at a time, the first byte lowest"
#endif

#define JSON_BYTES(c) (0x0101010101010101ULL * (unsigned char)(c))
#define JSON_ZERO_BYTES(y) (((y) - JSON_BYTES(1)) & ~(y) & JSON_BYTES(0x80))

/* eight bytes at once (a word read from memory): the high bit of each byte
 * a JSON string cannot take as it is (below a space, NUL included, DEL,
 * past ASCII, a quote, a backslash). The lowest flagged byte is exact (a
 * borrow only flags bytes above a true one): __builtin_ctzll(mask) / 8 is
 * the first such byte */
static inline uint64_t json_unplain_bytes(uint64_t x)
{
	return ((x - JSON_BYTES(0x20)) & ~x & JSON_BYTES(0x80)) | (x & JSON_BYTES(0x80)) |
	       JSON_ZERO_BYTES(x ^ JSON_BYTES(0x7f)) | JSON_ZERO_BYTES(x ^ JSON_BYTES('"')) |
	       JSON_ZERO_BYTES(x ^ JSON_BYTES('\\'));
}

/* room json_escape() may need for n input bytes */
#define JSON_ESCAPED_MAX(n) (6 * (n) + 2)

/* writes s (at most n bytes, stops at NUL) as a quoted JSON string at out and
 * returns the end. All n bytes must be readable, a NUL before them or not:
 * they are read a word at a time. Valid UTF-8 passes through; control and invalid bytes
 * become \u00XX escapes, so the output is always valid JSON. */
char *json_escape(char *out, const char *s, size_t n);
/* length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid */
size_t json_utf8_len(const unsigned char *s, size_t n);
/* the same, an ASCII byte (1) included: the character at s, 0 if none */
static inline size_t json_char_len(const unsigned char *s, size_t n)
{
	return s[0] < 0x80 ? 1 : json_utf8_len(s, n);
}
/* s (at most n bytes, to its NUL, all n readable) is UTF-8: json_escape()
 * keeps its bytes */
bool json_is_utf8(const char *s, size_t n);
/* the same, straight to a stream */
void json_put_string(FILE *f, const char *s);

#endif
