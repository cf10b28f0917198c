// SPDX-License-Identifier: BSD-2-Clause
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "output/held_fails.h"
#include "util/array.h"

struct held {
	struct pl_event e; /* its strings point into file and args */
	char *file, *args;
};

struct proc_fails {
	__u32 pid;
	__u64 start;
	unsigned count;    /* all its failures since its last exec */
	struct held h[HELD_FAILS]; /* the last ones, h[count % HELD_FAILS] next */
};

struct held_fails {
	struct proc_fails *v;
	size_t n, cap;
};

struct held_fails *held_fails_new(void)
{
	return calloc(1, sizeof(struct held_fails));
}

static void clear(struct held *x)
{
	free(x->file);
	free(x->args);
	memset(x, 0, sizeof(*x));
}

static void forget(struct held_fails *h, size_t i)
{
	for (unsigned k = 0; k < HELD_FAILS; k++)
		clear(&h->v[i].h[k]);
	h->v[i] = h->v[--h->n];
	memset(&h->v[h->n], 0, sizeof(h->v[h->n]));
}

void held_fails_free(struct held_fails *h)
{
	if (!h)
		return;
	while (h->n)
		forget(h, 0);
	free(h->v);
	free(h);
}

static struct proc_fails *find(struct held_fails *h, __u32 pid, __u64 start)
{
	for (size_t i = 0; i < h->n; i++)
		if (h->v[i].pid == pid && h->v[i].start == start)
			return &h->v[i];
	return NULL;
}

static char *copy(const char *s, size_t n)
{
	char *c = malloc(n + 1);

	if (c) {
		memcpy(c, s, n);
		c[n] = 0;
	}
	return c;
}

bool held_fails_add(struct held_fails *h, const struct pl_event *e)
{
	struct proc_fails *p = find(h, e->pid, e->start);
	struct held *x;

	if (!p) {
		if (h->n == HELD_PROCS || array_room(&h->v, &h->cap, h->n, sizeof(*h->v), 8))
			return false;
		p = &h->v[h->n++];
		memset(p, 0, sizeof(*p));
		p->pid = e->pid;
		p->start = e->start;
	}
	x = &p->h[p->count++ % HELD_FAILS];
	clear(x);
	x->e = *e;
	x->file = e->filename ? copy(e->filename, strlen(e->filename)) : NULL;
	x->args = e->args ? copy(e->args, e->args_len) : NULL;
	x->e.filename = x->file;
	x->e.args = x->args;
	x->e.args_len = x->args ? e->args_len : 0;
	x->e.cgroup = NULL;
	return true;
}

void held_fails_drop(struct held_fails *h, __u32 pid, __u64 start)
{
	struct proc_fails *p = find(h, pid, start);

	if (p)
		forget(h, (size_t)(p - h->v));
}

static __u64 oldest(const struct proc_fails *p)
{
	unsigned kept = p->count < HELD_FAILS ? p->count : HELD_FAILS;

	return p->h[(p->count - kept) % HELD_FAILS].e.ts;
}

static void say_one(struct proc_fails *p,
		    void (*say)(void *ctx, const struct pl_event *e, unsigned earlier), void *ctx)
{
	unsigned kept = p->count < HELD_FAILS ? p->count : HELD_FAILS;

	for (unsigned k = 0; k < kept; k++) {
		const struct held *x = &p->h[(p->count - kept + k) % HELD_FAILS];

		say(ctx, &x->e, k ? 0 : p->count - kept);
	}
}

void held_fails_say(struct held_fails *h, __u32 pid, __u64 start,
		    void (*say)(void *ctx, const struct pl_event *e, unsigned earlier), void *ctx)
{
	struct proc_fails *p;

	if (pid) {
		p = find(h, pid, start);
		if (p) {
			say_one(p, say, ctx);
			forget(h, (size_t)(p - h->v));
		}
		return;
	}
	while (h->n) { /* the process that failed first, first */
		size_t first = 0;

		for (size_t i = 1; i < h->n; i++)
			if (oldest(&h->v[i]) < oldest(&h->v[first]))
				first = i;
		say_one(&h->v[first], say, ctx);
		forget(h, first);
	}
}
