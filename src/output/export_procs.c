#include <stdlib.h>
#include <string.h>
#include "util/array.h"
#include "output/export_procs.h"

static size_t hslot(const struct xprocs *s, __u32 pid)
{
	return (pid * 2654435761u) & (s->hcap - 1);
}

static void hput(struct xprocs *s, long i)
{
	size_t h = hslot(s, s->v[i].pid);

	while (s->hash[h] >= 0)
		h = (h + 1) & (s->hcap - 1);
	s->hash[h] = i;
}

/* rebuilt whole when it grows or the records move */
static int rehash(struct xprocs *s, size_t cap)
{
	long *h = malloc(cap * sizeof(*h));

	if (!h)
		return -1;
	free(s->hash);
	s->hash = h;
	s->hcap = cap;
	memset(h, 0xff, cap * sizeof(*h));
	for (size_t i = 0; i < s->n; i++)
		hput(s, (long)i);
	return 0;
}

__u64 xproc_born(const struct xproc *x)
{
	return x->birth ? x->birth : x->start;
}

static __u64 last_seen(const struct xproc *x)
{
	__u64 t = xproc_born(x);

	if (x->exec > t)
		t = x->exec;
	if (x->exit > t)
		t = x->exit;
	if (x->zombie > t)
		t = x->zombie;
	if (x->reap > t)
		t = x->reap;
	if (x->reparent > t)
		t = x->reparent;
	return t;
}

__u64 xproc_end(const struct xprocs *s, const struct xproc *x)
{
	/* still running or still a zombie: as long as the run */
	if (x->state == PL_ST_RUNNING || x->state == PL_ST_ZOMBIE ||
	    (x->state == PL_ST_EXITED && !x->reap))
		return s->hi;
	return last_seen(x);
}

int xprocs_add(struct xprocs *s, const struct pl_proc *p)
{
	struct xproc *x;

	if (array_room(&s->v, &s->cap, s->n, sizeof(*s->v), 1024))
		return -1;
	if ((s->n + 1) * 2 > s->hcap && rehash(s, s->hcap ? 2 * s->hcap : 2048))
		return -1;
	x = &s->v[s->n];
	*x = (struct xproc){
		.pid = p->pid, .ppid_birth = p->ppid_birth, .old_parent = p->old_parent,
		.zparent = p->zparent, .reaper = p->reaper, .start = p->start,
		.pstart_birth = p->pstart_birth, .birth = p->birth_ts, .exec = p->exec_ts,
		.exit = p->exit_ts, .zombie = p->zombie_ts, .reap = p->reap_ts,
		.reparent = p->reparent_ts, .zombie_ns = p->zombie_ns, .status = p->status,
		.flags = p->flags, .execs = p->execs, .state = p->state,
		.reap_kind = p->reap_kind, .adopter = p->adopter, .up = -1, .kid = -1, .sib = -1,
	};
	if (p->parent) {
		x->parent = p->parent->pid;
		x->parent_start = p->parent->start;
	}
	memcpy(x->comm, p->comm, sizeof(x->comm));
	x->comm[sizeof(x->comm) - 1] = 0;
	if (p->filename)
		x->filename = strdup(p->filename);
	if (!s->lo || xproc_born(x) < s->lo)
		s->lo = xproc_born(x);
	if (last_seen(x) > s->hi)
		s->hi = last_seen(x);
	hput(s, (long)s->n++);
	return 0;
}

long xprocs_find(const struct xprocs *s, __u32 pid, __u64 ts)
{
	long best = -1;

	if (!s->hcap)
		return -1;
	for (size_t h = hslot(s, pid); s->hash[h] >= 0; h = (h + 1) & (s->hcap - 1)) {
		const struct xproc *x = &s->v[s->hash[h]];

		if (x->pid != pid || (ts && x->start > ts))
			continue;
		if (best < 0 || x->start > s->v[best].start)
			best = s->hash[h];
	}
	return best;
}

static int by_birth(const void *a, const void *b)
{
	const struct xproc *x = a, *y = b;
	__u64 bx = xproc_born(x), by = xproc_born(y);

	if (bx != by)
		return bx < by ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

void xprocs_link(struct xprocs *s)
{
	long *last;

	if (!s->n)
		return;
	qsort(s->v, s->n, sizeof(*s->v), by_birth);
	if (rehash(s, s->hcap))
		return;
	/* the last child linked under each record, so siblings stay in birth order */
	last = malloc(s->n * sizeof(*last));
	if (!last)
		return;
	memset(last, 0xff, s->n * sizeof(*last));
	for (size_t i = 0; i < s->n; i++) {
		struct xproc *x = &s->v[i];
		long up = x->parent ? xprocs_find(s, x->parent, x->parent_start) : -1;

		/* a parent born before its child: the links can never loop */
		if (up < 0 || (size_t)up >= i || s->v[up].start != x->parent_start)
			continue;
		x->up = up;
		if (last[up] < 0)
			s->v[up].kid = (long)i;
		else
			s->v[last[up]].sib = (long)i;
		last[up] = (long)i;
	}
	free(last);
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
		free(s->v[i].filename);
	free(s->v);
	free(s->hash);
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
	e->x = (struct pl_exporter){ ignore_event, keep_proc, finish, free, out, 0 };
}
