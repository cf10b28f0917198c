// SPDX-License-Identifier: BSD-2-Clause
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "capture/iter_records.h"
#include "capture/waits_left.h"
#include "records.h"
#include "util/array.h"
#include "util/diag.h"

struct counts {
	struct pl_waits_left *v;
	size_t n, cap;
};

static int by_pid(const void *a, const void *b)
{
	const struct pl_waits_left *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* one count more: summed into the first `listed` (sorted) when the same
 * process is there, added after them when not */
static int add(struct counts *c, size_t listed, const struct pl_waits_left *w)
{
	struct pl_waits_left *same = listed ? bsearch(w, c->v, listed, sizeof(*w), by_pid) : NULL;

	if (same && same->c.start == w->c.start) {
		same->c.waits += w->c.waits;
		same->c.nohang_polls += w->c.nohang_polls;
		return 0;
	}
	if (array_room(&c->v, &c->cap, c->n, sizeof(*c->v), 256))
		return error("out of memory");
	c->v[c->n++] = *w;
	return 0;
}

struct listing {
	struct counts *c;
	size_t listed;
};

static int on_listed(void *ctx, const void *rec)
{
	struct listing *l = ctx;
	struct pl_waits_left w;

	memcpy(&w, rec, sizeof(w));
	return add(l->c, l->listed, &w) ? -2 : 0;
}

/* an iterator's listing, summed into c's first `listed` */
static int read_listing(int fd, struct counts *c, size_t listed)
{
	struct listing l = { .c = c, .listed = listed };
	size_t partial = 0;
	int ret = pl_iter_records(fd, sizeof(struct pl_waits_left), on_listed, &l, &partial);

	if (ret == -1)
		return error_errno("cannot read the wait counts");
	if (partial)
		warning("the wait counts' listing ended inside a record: %zu bytes left out", partial);
	return ret < 0 ? -1 : 0;
}

/* the hash's entries, read by bpf() calls in batches (a kernel without
 * the map element iterator; the batches are read bucket by bucket, so an
 * entry removed meanwhile is not met twice), summed into c's first
 * `listed`. A failed call ends the listing with a warning, as an iterator
 * that cannot be opened does */
static int read_hash(int map, struct counts *c, size_t listed)
{
	__u32 chunk = 256, batch, n;
	__u32 *keys = calloc(chunk, sizeof(*keys));
	struct pl_wait_count *values = calloc(chunk, sizeof(*values));
	bool first = true;
	int ret = 0, err;

	for (;;) {
		if (!keys || !values) {
			ret = error("out of memory");
			break;
		}
		n = chunk;
		err = bpf_map_lookup_batch(map, first ? NULL : &batch, &batch, keys, values, &n, NULL);
		if (err && errno == ENOSPC && chunk < (1u << 20)) {
			/* a bucket holds more than a chunk: take bigger ones */
			chunk *= 2;
			free(keys);
			free(values);
			keys = calloc(chunk, sizeof(*keys));
			values = calloc(chunk, sizeof(*values));
			continue;
		}
		if (err && errno != ENOENT) {
			pl_waits_left_unlisted(errno);
			break;
		}
		first = false;
		for (__u32 i = 0; i < n && !ret; i++) {
			struct pl_waits_left w = { .pid = keys[i], .c = values[i] };

			if (w.c.waits && add(c, listed, &w))
				ret = -1;
		}
		if (ret || err)
			break; /* ENOENT: that was the last batch */
	}
	free(keys);
	free(values);
	return ret;
}

void pl_waits_left_unlisted(int err)
{
	warning("cannot list the wait counts of processes still running at the end: %s",
		strerror(err));
}

int pl_waits_left(int in_leaders, int in_hash, int hash_map, pl_event_fn fn, void *ctx, __u64 ts)
{
	struct counts c = { 0 };
	int ret = 0;

	if (in_leaders >= 0 && read_listing(in_leaders, &c, 0))
		ret = -1;
	/* a process whose leader ended first may have counts in both */
	if (c.n > 1)
		qsort(c.v, c.n, sizeof(*c.v), by_pid);
	if (!ret && in_hash >= 0 && read_listing(in_hash, &c, c.n))
		ret = -1;
	else if (!ret && in_hash < 0 && read_hash(hash_map, &c, c.n))
		ret = -1;
	for (size_t i = 0; !ret && i < c.n; i++) {
		struct pl_event e = { .kind = PL_EV_WAITS, .ts = ts, .pid = c.v[i].pid,
				      .tid = c.v[i].pid, .start = c.v[i].c.start,
				      .waits = c.v[i].c.waits,
				      .nohang_polls = c.v[i].c.nohang_polls };

		if (fn(ctx, &e) < 0)
			ret = -1;
	}
	free(c.v);
	return ret;
}
