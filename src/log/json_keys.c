// SPDX-License-Identifier: BSD-2-Clause
// A key given twice in one object of a parsed text: JSON readers differ
// on which of the two they keep, so such a text means different things to
// different readers. Log lines and manifests refuse it alike.
#include <stdlib.h>
#include <string.h>
#include "log/json_line.h"

/* members by key: length, then bytes */
static int by_key(const void *a, const void *b, void *ctx)
{
	const struct pl_jline *j = ctx;
	const struct pl_jmember *x = &j->m[*(const int *)a], *y = &j->m[*(const int *)b];

	if (x->key_len != y->key_len)
		return x->key_len < y->key_len ? -1 : 1;
	/* an empty key may have no bytes to point at */
	return x->key_len ? memcmp(x->key, y->key, x->key_len) : 0;
}

/* the members of one object (first: its first) with the same key, or -1;
 * sorted, so an object of a million members is no million squared */
static int same_key_in(const struct pl_jline *j, int first, int *scratch)
{
	size_t n = 0;

	for (int a = first; a >= 0; a = j->m[a].next)
		scratch[n++] = a;
	qsort_r(scratch, n, sizeof(*scratch), by_key, (void *)j);
	for (size_t i = 1; i < n; i++)
		if (!by_key(&scratch[i - 1], &scratch[i], (void *)j))
			return scratch[i];
	return -1;
}

int pl_jline_key_twice(const struct pl_jline *j)
{
	int *scratch = malloc((j->n ? j->n : 1) * sizeof(*scratch)), twice = -1;

	if (!scratch)
		return -2;
	for (int parent = -1; parent < (int)j->n && twice < 0; parent++)
		if (parent < 0 || j->m[parent].type == PL_J_OBJECT)
			twice = same_key_in(j, parent < 0 ? j->first : j->m[parent].first, scratch);
	free(scratch);
	return twice;
}
