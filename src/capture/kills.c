// SPDX-License-Identifier: BSD-2-Clause
#include <signal.h>
#include <stdlib.h>
#include "capture/kills.h"

#define KILLS_FIRST 64
#define KILLS_MAX 16384 /* kills in flight at once: 1.5 MiB when full */
#define BUCKETS 1024    /* by pid, a power of two */
#define NONE (-1)

/* a mark follows its kill within the OOM killer's own call */
#define OOM_MARK_WITHIN_NS 1000000000ULL
#define OOM_LOOK_BACK 64
#define RT_SIGNALS 32 /* the kernel's first real-time signal */

struct kept_kill {
	struct pl_rec_kill k;
	int chain;        /* the next in its bucket, newer first; or the next free */
	int older, newer; /* the order they came in */
};

struct pl_kills {
	struct kept_kill *v;
	int cap, handed; /* entries [0, handed) have been used */
	int free_list;
	int oldest, newest;
	int bucket[BUCKETS];
	unsigned long long forgotten;
};

struct pl_kills *pl_kills_new(void)
{
	struct pl_kills *ks = calloc(1, sizeof(*ks));

	if (!ks)
		return NULL;
	ks->free_list = ks->oldest = ks->newest = NONE;
	for (int b = 0; b < BUCKETS; b++)
		ks->bucket[b] = NONE;
	return ks;
}

void pl_kills_free(struct pl_kills *ks)
{
	if (ks)
		free(ks->v);
	free(ks);
}

static int *bucket_of(struct pl_kills *ks, __u32 pid)
{
	return &ks->bucket[pid & (BUCKETS - 1)];
}

/* entry i, found after *link in its bucket, is let go */
static void drop(struct pl_kills *ks, int *link, int i)
{
	struct kept_kill *e = &ks->v[i];

	*link = e->chain;
	if (e->older != NONE)
		ks->v[e->older].newer = e->newer;
	else
		ks->oldest = e->newer;
	if (e->newer != NONE)
		ks->v[e->newer].older = e->older;
	else
		ks->newest = e->older;
	e->chain = ks->free_list;
	ks->free_list = i;
}

static void forget_oldest(struct pl_kills *ks)
{
	int i = ks->oldest, *link = bucket_of(ks, ks->v[i].k.h.pid);

	while (*link != i)
		link = &ks->v[*link].chain;
	drop(ks, link, i);
	__atomic_add_fetch(&ks->forgotten, 1, __ATOMIC_RELAXED);
}

static bool grow(struct pl_kills *ks)
{
	int cap = ks->cap ? 2 * ks->cap : KILLS_FIRST;
	struct kept_kill *v;

	if (ks->cap >= KILLS_MAX)
		return false;
	v = realloc(ks->v, (size_t)cap * sizeof(*v));
	if (!v)
		return false;
	ks->v = v;
	ks->cap = cap;
	return true;
}

/* a free entry; the oldest let go when there is no room for another */
static int take_entry(struct pl_kills *ks)
{
	int i;

	if (ks->free_list == NONE && ks->handed == ks->cap && !grow(ks)) {
		if (ks->oldest == NONE)
			return NONE; /* no memory for the first */
		forget_oldest(ks);
	}
	if (ks->free_list != NONE) {
		i = ks->free_list;
		ks->free_list = ks->v[i].chain;
		return i;
	}
	return ks->handed++;
}

void pl_kills_keep(struct pl_kills *ks, const struct pl_rec_kill *k)
{
	int i = take_entry(ks), *head;
	struct kept_kill *e;

	if (i == NONE) {
		__atomic_add_fetch(&ks->forgotten, 1, __ATOMIC_RELAXED);
		return;
	}
	e = &ks->v[i];
	head = bucket_of(ks, k->h.pid);
	e->k = *k;
	e->chain = *head;
	*head = i;
	e->older = ks->newest;
	e->newer = NONE;
	if (ks->newest != NONE)
		ks->v[ks->newest].newer = i;
	else
		ks->oldest = i;
	ks->newest = i;
}

void pl_kills_mark_oom(struct pl_kills *ks, __u32 tid, __u64 ts)
{
	int n = 0;

	for (int i = ks->newest; i != NONE && n < OOM_LOOK_BACK; i = ks->v[i].older, n++) {
		struct pl_rec_kill *k = &ks->v[i].k;

		if (k->h.tid == tid && k->sig == SIGKILL && k->why == PL_KILL_KERNEL &&
		    k->h.ts <= ts && ts - k->h.ts < OOM_MARK_WITHIN_NS) {
			k->why = PL_KILL_OOM;
			return;
		}
	}
}

bool pl_kills_take(struct pl_kills *ks, __u32 pid, __u64 start, int sig, struct pl_rec_kill *out)
{
	int *link = bucket_of(ks, pid);
	bool found = false;

	while (*link != NONE) {
		int i = *link;
		const struct pl_rec_kill *k = &ks->v[i].k;

		if (k->h.pid != pid || k->h.start != start) {
			link = &ks->v[i].chain;
			continue;
		}
		/* a real-time signal queues: the first sent is the first taken,
		 * and it ends the process (the bucket lists the newest first);
		 * another signal pending is not sent again */
		if (sig && (int)k->sig == sig && (!found || sig >= RT_SIGNALS)) {
			*out = *k;
			found = true;
		}
		drop(ks, link, i); /* *link is now the next */
	}
	return found;
}

unsigned long long pl_kills_forgotten(const struct pl_kills *ks)
{
	return __atomic_load_n(&ks->forgotten, __ATOMIC_RELAXED);
}
