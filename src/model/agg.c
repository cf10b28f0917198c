// SPDX-License-Identifier: BSD-2-Clause
/*
 * Bounded tables for the summary: the longest zombies, the parents that
 * neglected most children, the first orphanings. Processes are released
 * from the table; what the summary needs of them survives here, in fixed
 * room, so memory does not grow with the length of the trace.
 */
#include <string.h>
#include "model/internal.h"

static bool followed(const struct pl_proc *p)
{
	return p && (p->flags & PL_P_FOLLOWED);
}

const char *agg_name_ref(const struct pl_proc *p)
{
	return strtab_ref(pl_proc_name(p) == p->name ? p->name : NULL);
}

/* keeps the PL_TOP_ZOMBIES longest, sorted longest first; one entry per
 * life. A record of the life is looked for only if this entry made one, or
 * the entry was made again for it (first seen from a late record, or a
 * pid's placeholder): most zombies are short, and never get one */
void agg_zombie(struct pl_model *m, struct pl_proc *p)
{
	struct pl_zombie_rec r = { 0 }, *z = m->zrecs;
	bool may_have = p->flags & (PL_P_TOP_ZOMBIE | PL_P_NO_BIRTH | PL_P_PLACEHOLDER);
	size_t i, n = m->nzrecs;

	if (m->o.no_summary)
		return;
	for (i = may_have ? 0 : n; i < n; i++)
		if (z[i].pid == p->pid && z[i].start == p->start)
			break;
	if (i < n) { /* a better record of the same zombie: take it out first */
		strtab_put(&m->strings, z[i].name);
		memmove(&z[i], &z[i + 1], (n - i - 1) * sizeof(*z));
		n--;
	}
	for (i = n; i > 0 && z[i - 1].zombie_ns < p->zombie_ns; i--)
		;
	if (i >= PL_TOP_ZOMBIES) {
		m->nzrecs = n;
		return;
	}
	r.pid = p->pid;
	r.start = p->start;
	r.zparent = p->zparent;
	r.reaper = p->reaper;
	r.zombie_ns = p->zombie_ns;
	r.reap_kind = p->reap_kind;
	r.followed = followed(p);
	r.at_least = !!(p->flags & PL_P_ZOMBIE_BEFORE);
	r.at_most = !r.at_least && (p->flags & (PL_P_REAP_AT_EXIT | PL_P_REAP_INFERRED));
	memcpy(r.comm, p->comm, sizeof(r.comm));
	if (n == PL_TOP_ZOMBIES)
		strtab_put(&m->strings, z[--n].name);
	memmove(&z[i + 1], &z[i], (n - i) * sizeof(*z));
	r.name = agg_name_ref(p);
	z[i] = r;
	m->nzrecs = n + 1;
	p->flags |= PL_P_TOP_ZOMBIE;
}

/* adds to the record of parent (pid, start), kept by count, most first */
void agg_neglect(struct pl_model *m, const struct pl_proc *parent, __u32 pid, __u64 start,
		 unsigned count, __u64 ns)
{
	struct pl_neglect_rec *r = m->nrecs, t;
	size_t i, n = m->nnrecs;

	for (i = 0; i < n; i++)
		if (r[i].pid == pid && r[i].start == start)
			break;
	if (i == n) {
		if (n == PL_TOP_NEGLECT) {
			if (r[n - 1].count >= count)
				return; /* not among the worst */
			i = --n;
			strtab_put(&m->strings, r[i].name);
		}
		memset(&r[i], 0, sizeof(r[i]));
		r[i].pid = pid;
		r[i].start = start;
		n++;
	}
	r[i].count += count;
	r[i].total_ns += ns;
	if (parent) {
		const char *was = r[i].name;

		if (parent->flags & PL_P_NEGLECT_AT_LEAST)
			r[i].at_least = 1;
		r[i].name = agg_name_ref(parent); /* before the put: it may be the same */
		strtab_put(&m->strings, was);
		memcpy(r[i].comm, parent->comm, sizeof(r[i].comm));
		r[i].followed = followed(parent);
	}
	for (; i > 0 && r[i - 1].count < r[i].count; i--) {
		t = r[i - 1];
		r[i - 1] = r[i];
		r[i] = t;
	}
	m->nnrecs = n;
}

void agg_neglect_at_least(struct pl_model *m, __u32 pid, __u64 start)
{
	for (size_t i = 0; i < m->nnrecs; i++)
		if (m->nrecs[i].pid == pid && m->nrecs[i].start == start)
			m->nrecs[i].at_least = 1;
}

void agg_orphan(struct pl_model *m, const struct pl_proc *p, __u32 old_parent,
		__u32 new_parent, unsigned adopter)
{
	struct pl_orphan_rec *r;

	if (m->norecs == PL_MAX_ORPHAN_RECS) {
		m->orecs_more++;
		return;
	}
	r = &m->orecs[m->norecs++];
	memset(r, 0, sizeof(*r));
	r->pid = p->pid;
	r->start = p->start;
	r->ts = p->reparent_ts;
	r->old_parent = old_parent;
	r->new_parent = new_parent;
	r->adopter = (__u8)adopter;
	r->as_zombie = !!(p->flags & PL_P_ZOMBIE_ADOPTED);
	r->double_fork = !!(p->flags & PL_P_DOUBLE_FORK);
	r->followed = followed(p);
	r->name = agg_name_ref(p);
	memcpy(r->comm, p->comm, sizeof(r->comm));
}

/* the latest orphaning of a process from old_parent recorded */
static struct pl_orphan_rec *orphan_rec(struct pl_model *m, __u32 pid, __u64 start,
					__u32 old_parent)
{
	for (size_t i = m->norecs; i-- > 0;) {
		struct pl_orphan_rec *r = &m->orecs[i];

		if (r->pid == pid && r->start == start && r->old_parent == old_parent)
			return r;
	}
	return NULL;
}

void agg_orphan_told(struct pl_model *m, const struct pl_proc *p, __u32 counted_from,
		     unsigned adopter)
{
	struct pl_orphan_rec *r = orphan_rec(m, p->pid, p->start, counted_from);

	if (!r)
		return;
	r->old_parent = p->old_parent;
	r->adopter = (__u8)adopter;
}

/* a double fork decided after the orphaning from its middle was recorded
 * (the middle's exit told later) */
void agg_orphan_double_fork(struct pl_model *m, __u32 pid, __u64 start, __u32 middle)
{
	struct pl_orphan_rec *r = orphan_rec(m, pid, start, middle);

	if (r)
		r->double_fork = 1;
}

void agg_destroy(struct pl_model *m)
{
	for (size_t i = 0; i < m->nzrecs; i++)
		strtab_put(&m->strings, m->zrecs[i].name);
	for (size_t i = 0; i < m->nnrecs; i++)
		strtab_put(&m->strings, m->nrecs[i].name);
	for (size_t i = 0; i < m->norecs; i++)
		strtab_put(&m->strings, m->orecs[i].name);
	m->nzrecs = m->nnrecs = m->norecs = 0;
}
