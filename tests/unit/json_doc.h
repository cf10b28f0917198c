/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * JSON the tests read back (log lines, exports), through the project's own
 * simdjson binding (log/json_line.h).
 */
#ifndef PL_TEST_JSON_DOC_H
#define PL_TEST_JSON_DOC_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "log/json_line.h"

struct json_doc {
	struct pl_jparser *parser;
	struct pl_jline j;
	char str[512]; /* the last string asked for, terminated */
};

/* parses text, listing depth levels; false if it is not JSON */
static inline bool json_doc_parse(struct json_doc *d, const char *text, size_t len, unsigned depth)
{
	char why[160];

	memset(d, 0, sizeof(*d));
	d->parser = pl_jparser_new();
	return d->parser && !pl_jline_parse(d->parser, text, len, depth, &d->j, why, sizeof(why));
}

static inline void json_doc_free(struct json_doc *d)
{
	pl_jline_free(&d->j);
	pl_jparser_free(d->parser);
}

/* member key of object parent (-1: the top), or NULL */
static inline const struct pl_jmember *json_doc_get(const struct json_doc *d, int parent,
						    const char *key)
{
	int i = pl_jline_find(&d->j, parent, key);

	return i < 0 ? NULL : &d->j.m[i];
}

/* a whole number, or def when absent or not one */
static inline long long json_doc_num(const struct json_doc *d, int parent, const char *key,
				     long long def)
{
	const struct pl_jmember *v = json_doc_get(d, parent, key);

	if (!v || (v->type != PL_J_UINT && v->type != PL_J_INT))
		return def;
	return v->type == PL_J_INT ? v->i : (long long)v->u;
}

/* a string, terminated (until the next call), or "" */
static inline const char *json_doc_str(struct json_doc *d, int parent, const char *key)
{
	const struct pl_jmember *v = json_doc_get(d, parent, key);

	if (!v || v->type != PL_J_STRING)
		return "";
	snprintf(d->str, sizeof(d->str), "%.*s", (int)v->len, v->s);
	return d->str;
}

/* true only for a member that is true */
static inline bool json_doc_flag(const struct json_doc *d, int parent, const char *key)
{
	const struct pl_jmember *v = json_doc_get(d, parent, key);

	return v && v->type == PL_J_BOOL && v->b;
}

#endif
