/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * JSON text parsed with simdjson (the fastest JSON parser Debian ships)
 * into a flat list of members: the top value's members and elements, and
 * theirs, down to a given depth. A log line is read two levels deep, a
 * workload manifest whole. Deeper values are checked but not listed.
 * json_line.cpp is the binding; everything else stays C.
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
	PL_J_STRING, /* .s, .len: unescaped, valid until the parser's next parse */
	PL_J_OBJECT,
	PL_J_ARRAY,
};

struct pl_jmember {
	const char *key; /* unescaped, .key_len bytes, not terminated; NULL in an array */
	size_t key_len;
	enum pl_jtype type;
	int parent; /* index of the object or array holding it, -1 at the top */
	int next;   /* the next member of the same parent, -1 after the last */
	int first;  /* an object's or array's first listed member, -1 if none */
	union {     /* by type: read only the one it says */
		unsigned long long u;
		long long i;
		bool b;
		const char *s;
	};
	size_t len; /* of .s */
};

struct pl_jline {
	enum pl_jtype type;   /* of the whole text */
	int first;            /* its first listed member, -1 if none */
	size_t n, cap;
	struct pl_jmember *m; /* grown as needed, kept for the next parse */
};

/* what a parse needs between parses (simdjson's parser, a padded copy of
 * the text): one per reader, so two readers never share state */
struct pl_jparser;

struct pl_jparser *pl_jparser_new(void); /* NULL when out of memory */
void pl_jparser_free(struct pl_jparser *p);

#define PL_JLINE_BAD_UTF8 (-2) /* the one error a reader may repair and retry */
#define PL_JLINE_BIG_NUMBER (-3) /* valid JSON, but a whole number past 64 bits */

/* parses text[0..len) as one JSON value, listing members depth levels
 * down (1: the top value's own): 0, or -1 (PL_JLINE_BAD_UTF8 for invalid
 * UTF-8, PL_JLINE_BIG_NUMBER) with why (one line) */
int pl_jline_parse(struct pl_jparser *p, const char *text, size_t len, unsigned depth,
		   struct pl_jline *out, char *why, size_t whylen);

/* bytes past a text's end the parser may read (their content does not
 * matter): a caller whose buffer has them saves a copy of each text */
#define PL_JLINE_PADDING 64

/* values listed from one line at most: a line of a log lists a few dozen
 * (a trailer's alive list, some thousands); what a line that is not a
 * log's makes the list hold is bounded (a member takes 80 bytes where its
 * text may take 2) */
#define PL_JLINE_MAX_MEMBERS (1 << 20)

/* pl_jline_parse of a text with PL_JLINE_PADDING readable bytes after it */
int pl_jline_parse_padded(struct pl_jparser *p, const char *text, size_t len, unsigned depth,
			  struct pl_jline *out, char *why, size_t whylen);

/* frees the member list (the struct itself is the caller's) */
void pl_jline_free(struct pl_jline *j);

/* json-c's words for a type ("int", "string", ...), kept in replay's messages */
const char *pl_jtype_name(enum pl_jtype t);

/* member index of key among the members of object parent (-1: the top),
 * -1 if absent (the first, if repeated) */
int pl_jline_find(const struct pl_jline *j, int parent, const char *key);

/* the second of two members of one object with the same key (every
 * object listed is looked at), -1 if none, -2 when out of memory */
int pl_jline_key_twice(const struct pl_jline *j);

#ifdef __cplusplus
}
#endif

#endif
