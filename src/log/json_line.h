/*
 * One line of a JSONL log, parsed with simdjson (the fastest JSON parser
 * Debian ships) into a flat list of members: the top-level object's members
 * and, one level down, the members of objects among them. Deeper values and
 * array elements are checked but not listed. json_line.cpp is the binding;
 * everything else stays C.
 */
#ifndef PL_JSON_LINE_H
#define PL_JSON_LINE_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum pl_jtype {
	PL_J_NULL,
	PL_J_BOOL,
	PL_J_UINT,   /* a whole number >= 0 (.u) */
	PL_J_INT,    /* a whole number < 0 (.i) */
	PL_J_DOUBLE, /* a number with a fraction or exponent */
	PL_J_STRING, /* .s, .len: unescaped, valid until the next parse */
	PL_J_OBJECT,
	PL_J_ARRAY,
};

struct pl_jmember {
	const char *key; /* unescaped, .key_len bytes, not terminated */
	size_t key_len;
	enum pl_jtype type;
	int parent; /* index of the object member holding it, -1 at the top */
	unsigned long long u;
	long long i;
	bool b;
	const char *s;
	size_t len;
};

struct pl_jline {
	enum pl_jtype type; /* of the whole line: members are listed for an object only */
	size_t n, cap;
	struct pl_jmember *m; /* grown as needed, kept for the next line */
};

#define PL_JLINE_BAD_UTF8 (-2) /* the one error a reader may repair and retry */

/* parses text[0..len) as one JSON value: 0, or -1 (PL_JLINE_BAD_UTF8 for
 * invalid UTF-8) with why (one line) */
int pl_jline_parse(const char *text, size_t len, struct pl_jline *out, char *why, size_t whylen);

/* frees the member list (the struct itself is the caller's) */
void pl_jline_free(struct pl_jline *j);

/* json-c's words for a type ("int", "string", ...), kept in replay's messages */
const char *pl_jtype_name(enum pl_jtype t);

/* member index of key among parent's members, -1 if absent (the first, if repeated) */
int pl_jline_find(const struct pl_jline *j, int parent, const char *key);

#ifdef __cplusplus
}
#endif

#endif
