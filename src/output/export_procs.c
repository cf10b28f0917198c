// SPDX-License-Identifier: BSD-2-Clause
#include <stdlib.h>
#include <string.h>
#include "output/export_procs.h"
#include "util/array.h"

/* the newest record of a pid, once linked */
struct newest {
	__u32 pid;
	long i;
};

__u64 xproc_born(const struct pl_proc_rec *x)
{
	return x->birth_ts ? x->birth_ts : x->start;
}

static __u64 last_seen(const struct pl_proc_rec *x)
{
	__u64 t = xproc_born(x);

	if (x->exec_ts > t)
		t = x->exec_ts;
	if (x->exit_ts > t)
		t = x->exit_ts;
	if (x->zombie_ts > t)
		t = x->zombie_ts;
	if (x->reap_ts > t)
		t = x->reap_ts;
	if (x->reparent_ts > t)
		t = x->reparent_ts;
	return t;
}

__u64 xproc_end(const struct xprocs *s, const struct pl_proc_rec *x)
{
	/* still running or still a zombie: as long as the run */
	if (x->state == PL_ST_RUNNING || x->state == PL_ST_ZOMBIE ||
	    (x->state == PL_ST_EXITED && !x->reap_ts))
		return s->hi;
	return last_seen(x);
}

int xprocs_add(struct xprocs *s, const struct pl_proc *p)
{
	struct pl_proc_rec *x;

	if (array_room(&s->v, &s->cap, s->n, sizeof(*s->v), 1024))
		return -1;
	x = &s->v[s->n++];
	pl_proc_rec_fill(x, p);
	if (!s->lo || xproc_born(x) < s->lo)
		s->lo = xproc_born(x);
	if (last_seen(x) > s->hi)
		s->hi = last_seen(x);
	return 0;
}

long xprocs_find(const struct xprocs *s, __u32 pid, __u64 ts)
{
	const struct newest *n = pidtab_find(&s->newest, pid);
	long best = -1;

	for (long i = n ? n->i : -1; i >= 0; i = s->older[i]) {
		if (ts && s->v[i].start > ts)
			continue;
		if (best < 0 || s->v[i].start > s->v[best].start)
			best = i;
	}
	return best;
}

static int by_birth(const void *a, const void *b)
{
	const struct pl_proc_rec *x = a, *y = b;
	__u64 bx = xproc_born(x), by = xproc_born(y);

	if (bx != by)
		return bx < by ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

/* every record under its pid, newest first */
static void index_pids(struct xprocs *s)
{
	for (size_t i = 0; i < s->n; i++) {
		bool fresh;
		struct newest *n = pidtab_get(&s->newest, s->v[i].pid, &fresh);

		s->older[i] = -1;
		if (!n)
			continue; /* pid 0, or no memory: not found again */
		s->older[i] = fresh ? -1 : n->i;
		n->i = (long)i;
	}
}

static long *links(size_t n)
{
	long *v = malloc(n * sizeof(*v));

	if (v)
		memset(v, 0xff, n * sizeof(*v)); /* -1 each */
	return v;
}

int xprocs_link(struct xprocs *s)
{
	long *last;

	if (!s->n)
		return 0;
	qsort(s->v, s->n, sizeof(*s->v), by_birth);
	s->newest.size = sizeof(struct newest);
	s->up = links(s->n);
	s->kid = links(s->n);
	s->sib = links(s->n);
	s->older = links(s->n);
	/* the last child linked under each record, so siblings stay in birth order */
	last = links(s->n);
	if (!s->up || !s->kid || !s->sib || !s->older || !last) {
		free(last);
		return -1;
	}
	index_pids(s);
	for (size_t i = 0; i < s->n; i++) {
		const struct pl_proc_rec *x = &s->v[i];
		long up = x->parent ? xprocs_find(s, x->parent, x->parent_start) : -1;

		/* a parent born before its child: the links can never loop */
		if (up < 0 || (size_t)up >= i || s->v[up].start != x->parent_start)
			continue;
		s->up[i] = up;
		if (last[up] < 0)
			s->kid[up] = (long)i;
		else
			s->sib[last[up]] = (long)i;
		last[up] = (long)i;
	}
	free(last);
	return 0;
}

const char *xproc_outside_name(const struct pl_model *m, __u32 pid)
{
	const struct pl_proc *p = pl_model_find(m, pid);

	if (p && !(p->flags & PL_P_PLACEHOLDER) && p->comm[0])
		return p->comm;
	/* a followed trace never lists init, yet every orphan may meet it */
	return pid == 1 ? "init" : "?";
}

void xprocs_free(struct xprocs *s)
{
	for (size_t i = 0; i < s->n; i++)
		pl_proc_rec_free(&s->v[i]);
	free(s->v);
	free(s->up);
	free(s->kid);
	free(s->sib);
	free(s->older);
	pidtab_free(&s->newest);
	memset(s, 0, sizeof(*s));
}

static void ignore_event(struct pl_exporter *x, const struct pl_event *e)
{
	(void)x;
	(void)e;
}

static void keep_proc(struct pl_exporter *x, const struct pl_proc *p)
{
	struct xprocs_exporter *e = (struct xprocs_exporter *)x;

	if (!(p->flags & PL_P_PLACEHOLDER))
		xprocs_add(&e->s, p);
}

void xprocs_exporter_init(struct xprocs_exporter *e, FILE *out,
			  int (*finish)(struct pl_exporter *x, const struct pl_model *m),
			  void (*free)(struct pl_exporter *x))
{
	e->x = (struct pl_exporter){ .event = ignore_event, .proc = keep_proc, .finish = finish,
				     .free = free, .out = out };
}
