// SPDX-License-Identifier: BSD-2-Clause
/*
 * Bounded tables for the summary's questions about context: which cgroup
 * leaves long zombies and orphans, which processes used the most CPU and
 * memory, which execs fail. Fixed room, as agg.c's: what does not fit is
 * counted, so the summary can say what it leaves out.
 */
#include <stdlib.h>
#include <string.h>
#include "model/internal.h"
#include "util/array.h"

/* failed execs waiting for their process to exec or end: past this many,
 * the oldest are taken as standing */
#define MAX_PENDING 4096

/* the scopes a fact about p counts in: the machine, and the followed
 * subtree when p is in it; [lo, hi) */
struct scopes {
	unsigned lo, hi;
};

static struct scopes scopes(const struct pl_proc *p)
{
	return (struct scopes){ 0, p->flags & PL_P_FOLLOWED ? 2 : 1 };
}

static const struct scopes followed_only = { PL_SCOPE_FOLLOWED, PL_SCOPES };

/* the record of cgroup cg (the model's copy, so equal paths are one
 * pointer), made if there is room */
static struct pl_cgroup_rec *cgroup_rec(struct pl_model *m, const char *cg)
{
	struct pl_cgroup_rec *r;

	for (size_t i = 0; i < m->ncgrecs; i++)
		if (m->cgrecs[i].cgroup == cg)
			return &m->cgrecs[i];
	if (m->ncgrecs == PL_MAX_CGROUP_RECS) {
		m->cgrecs_more++;
		return NULL;
	}
	r = &m->cgrecs[m->ncgrecs++];
	memset(r, 0, sizeof(*r));
	r->cgroup = strtab_ref(cg);
	return r;
}

/* a long zombie, counted when it crosses the threshold */
static void cgroup_long(struct pl_model *m, const struct pl_proc *p, struct scopes sc)
{
	struct pl_cgroup_rec *r = cgroup_rec(m, p->cgroup);

	for (unsigned s = sc.lo; r && s < sc.hi; s++)
		r->of[s].zombies_long++;
}

void agg_cgroup_long(struct pl_model *m, const struct pl_proc *p)
{
	cgroup_long(m, p, scopes(p));
}

/* a long zombie's time, once it is reaped; taken back (add false) when a
 * wait replaces the reap a free let the model conclude */
static void zombie_time(struct pl_model *m, const struct pl_proc *p, bool add, struct scopes sc)
{
	struct pl_cgroup_rec *r = cgroup_rec(m, p->cgroup);

	for (unsigned s = sc.lo; r && s < sc.hi; s++)
		r->of[s].zombie_ns += add ? p->zombie_ns : -p->zombie_ns;
}

void agg_cgroup_zombie_time(struct pl_model *m, const struct pl_proc *p, bool add)
{
	zombie_time(m, p, add, scopes(p));
}

static void cgroup_orphan(struct pl_model *m, const struct pl_proc *p, struct scopes sc)
{
	struct pl_cgroup_rec *r = cgroup_rec(m, p->cgroup);

	for (unsigned s = sc.lo; r && s < sc.hi; s++)
		r->of[s].orphans++;
}

void agg_cgroup_orphan(struct pl_model *m, const struct pl_proc *p)
{
	cgroup_orphan(m, p, scopes(p));
}

/* keeps t's PL_TOP_USAGE most by key, most first; most lives do not rank,
 * and are turned away before their record is made */
static inline __attribute__((always_inline)) void top_add(struct pl_model *m, struct usage_top *t,
							  const struct pl_proc *p,
							  __u64 (*key)(const struct pl_usage_rec *))
{
	struct pl_usage_rec r = { .pid = p->pid, .start = p->start,
				  .cpu_ns = p->cpu_user_ns + p->cpu_sys_ns,
				  .cpu_user_ns = p->cpu_user_ns, .max_rss_kb = p->max_rss_kb };
	size_t i;

	t->ended++;
	for (i = t->n; i > 0 && key(&t->v[i - 1]) < key(&r); i--)
		;
	if (i == PL_TOP_USAGE)
		return;
	memcpy(r.comm, p->comm, sizeof(r.comm));
	if (t->n == PL_TOP_USAGE)
		strtab_put(&m->strings, t->v[--t->n].name);
	memmove(&t->v[i + 1], &t->v[i], (t->n - i) * sizeof(*t->v));
	r.name = agg_name_ref(p);
	t->v[i] = r;
	t->n++;
}

static __u64 by_cpu(const struct pl_usage_rec *r)
{
	return r->cpu_ns;
}

static __u64 by_rss(const struct pl_usage_rec *r)
{
	return r->max_rss_kb;
}

static void usage(struct pl_model *m, const struct pl_proc *p, struct scopes sc)
{
	for (unsigned s = sc.lo; s < sc.hi; s++) {
		top_add(m, &m->top_cpu[s], p, by_cpu);
		top_add(m, &m->top_rss[s], p, by_rss);
	}
}

void agg_usage(struct pl_model *m, const struct pl_proc *p)
{
	if (!m->o.no_summary)
		usage(m, p, scopes(p));
}

void agg_fail(struct pl_model *m, const struct pl_proc *p, const char *file, __s32 err)
{
	struct pl_fail_rec *r = NULL;
	const char *was;

	for (size_t i = 0; i < m->nfrecs && !r; i++)
		if (m->frecs[i].file == file && m->frecs[i].err == err)
			r = &m->frecs[i];
	if (!r && m->nfrecs < PL_MAX_FAIL_RECS) {
		r = &m->frecs[m->nfrecs++];
		memset(r, 0, sizeof(*r));
		r->file = strtab_ref(file);
		r->err = err;
	}
	for (unsigned s = scopes(p).lo; s < scopes(p).hi; s++) {
		if (r)
			r->count[s]++;
		else
			m->frecs_more[s]++;
	}
	if (!r)
		return;
	r->last_pid = p->pid;
	memcpy(r->last_comm, p->comm, sizeof(r->last_comm));
	was = r->last_name;
	r->last_name = agg_name_ref(p); /* before the put: it may be the same */
	strtab_put(&m->strings, was);
	if (m->npending == MAX_PENDING)
		memmove(m->pending, m->pending + 1, --m->npending * sizeof(*m->pending));
	if (array_room(&m->pending, &m->pending_cap, m->npending, sizeof(*m->pending), 16))
		return; /* it counts as standing */
	m->pending[m->npending++] = (struct pending_fail){ p, r };
}

void agg_fails_settle(struct pl_model *m, const struct pl_proc *p, bool found)
{
	size_t k = 0;

	for (size_t i = 0; i < m->npending; i++) {
		if (m->pending[i].p != p) {
			m->pending[k++] = m->pending[i];
			continue;
		}
		for (unsigned s = scopes(p).lo; found && s < scopes(p).hi; s++)
			m->pending[i].r->found[s]++;
	}
	m->npending = k;
}

/* p joins the followed subtree: what it did before counts there too (its
 * failed execs but their files, which were not kept per process) */
void agg_context_follow(struct pl_model *m, const struct pl_proc *p)
{
	if (p->flags & PL_P_LONG_ZOMBIE) {
		cgroup_long(m, p, followed_only);
		if (p->state >= PL_ST_REAPED)
			zombie_time(m, p, true, followed_only);
	}
	if ((p->flags & PL_P_ORPHAN) && !(p->flags & PL_P_REPARENT_UNSEEN))
		cgroup_orphan(m, p, followed_only);
	if (p->flags & PL_P_USAGE)
		usage(m, p, followed_only);
}

void agg_context_destroy(struct pl_model *m)
{
	for (size_t i = 0; i < m->ncgrecs; i++)
		strtab_put(&m->strings, m->cgrecs[i].cgroup);
	for (size_t i = 0; i < m->nfrecs; i++) {
		strtab_put(&m->strings, m->frecs[i].file);
		strtab_put(&m->strings, m->frecs[i].last_name);
	}
	for (unsigned s = 0; s < PL_SCOPES; s++)
		for (size_t i = 0; i < PL_TOP_USAGE; i++) {
			if (i < m->top_cpu[s].n)
				strtab_put(&m->strings, m->top_cpu[s].v[i].name);
			if (i < m->top_rss[s].n)
				strtab_put(&m->strings, m->top_rss[s].v[i].name);
		}
	m->ncgrecs = m->nfrecs = m->npending = 0;
	free(m->pending);
	m->pending = NULL;
	memset(m->top_cpu, 0, sizeof(m->top_cpu));
	memset(m->top_rss, 0, sizeof(m->top_rss));
}

unsigned pl_model_scope(const struct pl_model *m, __u32 root)
{
	return root && root == m->follow ? PL_SCOPE_FOLLOWED : PL_SCOPE_MACHINE;
}

const struct pl_cgroup_rec *pl_model_cgroup_recs(const struct pl_model *m, size_t *n,
						  unsigned long long *more)
{
	*n = m->ncgrecs;
	if (more)
		*more = m->cgrecs_more;
	return m->cgrecs;
}

const struct pl_usage_rec *pl_model_top_cpu(const struct pl_model *m, __u32 root, size_t *n,
					     unsigned long long *ended)
{
	const struct usage_top *t = &m->top_cpu[pl_model_scope(m, root)];

	*n = t->n;
	if (ended)
		*ended = t->ended;
	return t->v;
}

const struct pl_usage_rec *pl_model_top_rss(const struct pl_model *m, __u32 root, size_t *n,
					     unsigned long long *ended)
{
	const struct usage_top *t = &m->top_rss[pl_model_scope(m, root)];

	*n = t->n;
	if (ended)
		*ended = t->ended;
	return t->v;
}

const struct pl_fail_rec *pl_model_fail_recs(const struct pl_model *m, size_t *n,
					      const unsigned long long **more)
{
	*n = m->nfrecs;
	if (more)
		*more = m->frecs_more;
	return m->frecs;
}
