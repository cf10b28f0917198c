// SPDX-License-Identifier: BSD-2-Clause
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "service/cgroup_labels.h"
#include "util/json.h"
#include "util/pidtab.h"

/* a cgroup's label (its path: label_of), kept once for all the processes in it */
struct cg_name {
	char *path;     /* NULL: a free entry */
	unsigned refs;  /* processes and named series that hold it */
	int next;       /* the next name in its bucket, or the next free entry; -1: none */
};

/* where one process is: names[cg] */
struct where {
	__u32 pid; /* 0: a free slot */
	int cg;
	__u64 start;
};

struct cgroup_labels {
	struct cg_name *names;
	size_t nnames, cap;
	int free_name;   /* a list through next */
	int *buckets;    /* heads of the names' chains, by hash */
	size_t nbuckets;
	int unknown;     /* CGROUP_UNKNOWN's entry, held for good */
	struct where *procs; /* open addressing by pid, linear probing */
	size_t pcap, pused;
	struct { int cg; unsigned long long n; } orphans[CGROUP_LABELS_TOP];
	unsigned norphan_series;
	unsigned long long orphans_other;
};

static size_t hash_path(const char *s)
{
	size_t h = 14695981039346656037ULL; /* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static int grow_buckets(struct cgroup_labels *l)
{
	size_t n = l->nbuckets ? 2 * l->nbuckets : 64;
	int *b = malloc(n * sizeof(*b));

	if (!b)
		return -1;
	for (size_t i = 0; i < n; i++)
		b[i] = -1;
	free(l->buckets);
	l->buckets = b;
	l->nbuckets = n;
	for (size_t i = 0; i < l->nnames; i++) {
		size_t h;

		if (!l->names[i].path)
			continue;
		h = hash_path(l->names[i].path) & (n - 1);
		l->names[i].next = b[h];
		b[h] = (int)i;
	}
	return 0;
}

/* the entry of path with one more reference, made if new; -1: no memory */
static int name_hold(struct cgroup_labels *l, const char *path)
{
	size_t h = hash_path(path) & (l->nbuckets - 1);
	int i;

	for (i = l->buckets[h]; i >= 0; i = l->names[i].next)
		if (!strcmp(l->names[i].path, path)) {
			l->names[i].refs++;
			return i;
		}
	if (l->free_name >= 0) {
		i = l->free_name;
		l->free_name = l->names[i].next;
	} else {
		if (l->nnames == l->cap) {
			size_t cap = l->cap ? 2 * l->cap : 64;
			struct cg_name *v = realloc(l->names, cap * sizeof(*v));

			if (!v)
				return -1;
			l->names = v;
			l->cap = cap;
		}
		i = (int)l->nnames++;
	}
	l->names[i] = (struct cg_name){ .path = strdup(path), .refs = 1, .next = l->buckets[h] };
	if (!l->names[i].path) {
		l->names[i].next = l->free_name;
		l->free_name = i;
		return -1;
	}
	l->buckets[h] = i;
	if (l->nnames > l->nbuckets)
		grow_buckets(l); /* chains only get longer if it fails */
	return i;
}

static void name_release(struct cgroup_labels *l, int i)
{
	size_t h;
	int *link;

	if (i < 0 || --l->names[i].refs)
		return;
	h = hash_path(l->names[i].path) & (l->nbuckets - 1);
	for (link = &l->buckets[h]; *link != i; link = &l->names[*link].next)
		;
	*link = l->names[i].next;
	free(l->names[i].path);
	l->names[i].path = NULL;
	l->names[i].next = l->free_name;
	l->free_name = i;
}

static size_t proc_slot(const struct cgroup_labels *l, __u32 pid)
{
	size_t i = pid_slot(pid, l->pcap);

	while (l->procs[i].pid && l->procs[i].pid != pid)
		i = (i + 1) & (l->pcap - 1);
	return i;
}

static int grow_procs(struct cgroup_labels *l)
{
	struct where *old = l->procs;
	size_t ocap = l->pcap;

	l->pcap = ocap ? 2 * ocap : 1024;
	l->procs = calloc(l->pcap, sizeof(*l->procs));
	if (!l->procs) {
		l->procs = old;
		l->pcap = ocap;
		return -1;
	}
	for (size_t i = 0; i < ocap; i++)
		if (old[i].pid)
			l->procs[proc_slot(l, old[i].pid)] = old[i];
	free(old);
	return 0;
}

/* linear probing's deletion: later entries of the run move back into the hole */
static void proc_remove(struct cgroup_labels *l, size_t hole)
{
	size_t i = hole;

	name_release(l, l->procs[hole].cg);
	l->procs[hole].pid = 0;
	l->pused--;
	for (;;) {
		size_t home;

		i = (i + 1) & (l->pcap - 1);
		if (!l->procs[i].pid)
			return;
		home = pid_slot(l->procs[i].pid, l->pcap);
		/* stays if its home lies cyclically in (hole, i] */
		if (hole <= i ? (home > hole && home <= i) : (home > hole || home <= i))
			continue;
		l->procs[hole] = l->procs[i];
		l->procs[i].pid = 0;
		hole = i;
	}
}

struct cgroup_labels *cgroup_labels_new(void)
{
	struct cgroup_labels *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	l->free_name = -1;
	if (grow_buckets(l) || grow_procs(l) || (l->unknown = name_hold(l, CGROUP_UNKNOWN)) < 0) {
		cgroup_labels_free(l);
		return NULL;
	}
	return l;
}

void cgroup_labels_free(struct cgroup_labels *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->nnames; i++)
		free(l->names[i].path);
	free(l->names);
	free(l->buckets);
	free(l->procs);
	free(l);
}

/*
 * A cgroup path as a label: Prometheus takes only UTF-8, and a path is any
 * bytes its maker chose, so a byte that is no UTF-8 is written \xNN. The
 * names are kept by their labels: a path that spells such a \xNN itself
 * shares that series rather than repeat it.
 */
static const char *label_of(const char *path, char *buf, size_t len)
{
	const unsigned char *u = (const unsigned char *)path;
	size_t n = strlen(path), i = 0, o = 0;

	if (json_is_utf8(path, n))
		return path;
	while (i < n && o + 5 <= len) {
		size_t c = json_char_len(u + i, n - i);

		if (!c) {
			snprintf(buf + o, len - o, "\\x%02x", u[i++]);
			o += 4;
			continue;
		}
		if (o + c >= len)
			break;
		memcpy(buf + o, path + i, c);
		o += c;
		i += c;
	}
	buf[o] = 0;
	return buf;
}

static void learn(struct cgroup_labels *l, const struct pl_event *e)
{
	char label[4 * PL_PATH_MAX + 1];
	int cg = e->cgroup && *e->cgroup ?
			 name_hold(l, label_of(e->cgroup, label, sizeof(label))) : -1;
	size_t i;

	if (cg < 0) {
		cg = l->unknown;
		l->names[cg].refs++;
	}
	if ((l->pused + 1) * 2 > l->pcap && grow_procs(l)) {
		name_release(l, cg);
		return;
	}
	i = proc_slot(l, e->pid);
	if (l->procs[i].pid)
		name_release(l, l->procs[i].cg);
	else
		l->pused++;
	l->procs[i] = (struct where){ .pid = e->pid, .cg = cg, .start = e->start };
}

static void forget(struct cgroup_labels *l, const struct pl_event *e)
{
	size_t i = proc_slot(l, e->pid);

	if (l->procs[i].pid && l->procs[i].start == e->start)
		proc_remove(l, i);
}

void cgroup_labels_event(struct cgroup_labels *l, const struct pl_event *e)
{
	if (e->flags & PL_F_THREAD)
		return;
	switch (e->kind) {
	case PL_EV_FORK:
	case PL_EV_EXEC:
	case PL_EV_PROC:
		if (e->flags & PL_F_WHO || e->kind == PL_EV_FORK || e->kind == PL_EV_PROC)
			learn(l, e);
		break;
	case PL_EV_REAP:
	case PL_EV_FREE:
		forget(l, e);
		break;
	}
}

static int cg_of(const struct cgroup_labels *l, __u32 pid, __u64 start)
{
	size_t i = proc_slot(l, pid);

	return l->procs[i].pid && l->procs[i].start == start ? l->procs[i].cg : l->unknown;
}

const char *cgroup_labels_of(const struct cgroup_labels *l, __u32 pid, __u64 start)
{
	return l->names[cg_of(l, pid, start)].path;
}

void cgroup_labels_orphan(struct cgroup_labels *l, __u32 pid, __u64 start)
{
	int cg = cg_of(l, pid, start);
	unsigned i;

	for (i = 0; i < l->norphan_series; i++)
		if (l->orphans[i].cg == cg) {
			l->orphans[i].n++;
			return;
		}
	if (i == CGROUP_LABELS_TOP) {
		l->orphans_other++;
		return;
	}
	/* its series holds the name for as long as the tracer runs */
	l->names[cg].refs++;
	l->orphans[i].cg = cg;
	l->orphans[i].n = 1;
	l->norphan_series++;
}

void cgroup_labels_orphans(const struct cgroup_labels *l, cgroup_series_fn out, void *ctx)
{
	for (unsigned i = 0; i < l->norphan_series; i++)
		out(ctx, l->names[l->orphans[i].cg].path, l->orphans[i].n);
	out(ctx, CGROUP_OTHER, l->orphans_other);
}

int cgroup_labels_zombies(const struct cgroup_labels *l, const struct pl_model *m, __u32 root,
			  cgroup_series_fn out, void *ctx)
{
	unsigned long long *count = calloc(l->nnames, sizeof(*count)), other = 0;
	const struct pl_proc *q = NULL;

	if (!count)
		return -1;
	while ((q = pl_model_next(m, q)))
		if (q->state == PL_ST_ZOMBIE && (!root || pl_model_in_subtree(m, q, root)))
			count[cg_of(l, q->pid, q->start)]++;
	for (unsigned named = 0; named < CGROUP_LABELS_TOP; named++) {
		size_t most = 0;

		for (size_t i = 1; i < l->nnames; i++)
			if (count[i] > count[most])
				most = i;
		if (!count[most])
			break;
		out(ctx, l->names[most].path, count[most]);
		count[most] = 0;
	}
	for (size_t i = 0; i < l->nnames; i++)
		other += count[i];
	out(ctx, CGROUP_OTHER, other);
	free(count);
	return 0;
}
