// SPDX-License-Identifier: BSD-2-Clause
/*
 * The model's life cycle and what it hands out: construction, feeding,
 * the zombie clock, releasing what is finished, read-only views.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model/internal.h"
#include "util/status.h"

#define NS_PER_MS 1000000ULL

struct pl_model *pl_model_new(const struct pl_model_opts *o)
{
	struct pl_model *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	if (o)
		m->o = *o;
	else
		m->o.history = PL_HISTORY_DEFAULT;
	if (!m->o.zombie_ms)
		m->o.zombie_ms = PL_ZOMBIE_MS_DEFAULT;
	if (!m->o.double_fork_ms)
		m->o.double_fork_ms = PL_DOUBLE_FORK_MS_DEFAULT;
	m->zombie_ns = m->o.zombie_ms * NS_PER_MS;
	m->zdue = ~0ULL;
	m->double_fork_ns = m->o.double_fork_ms * NS_PER_MS;
	if (table_init(m)) {
		free(m);
		return NULL;
	}
	return m;
}

void pl_model_free(struct pl_model *m)
{
	if (!m)
		return;
	table_destroy(m);
	history_destroy(m);
	table_free_spares(m); /* what the two above gave back */
	agg_context_destroy(m);
	agg_destroy(m);
	orphans_destroy(m);
	strtab_destroy(&m->strings);
	free(m);
}

void pl_model_feed(struct pl_model *m, const struct pl_event *e)
{
	if (e->flags & PL_F_DERIVED)
		return; /* our own conclusions, read back from a log */
	if (e->kind <= PL_EV_NONE || e->kind >= PL_EV_KINDS)
		return;
	m->c.events[e->kind]++;
	if (e->ts > m->now)
		m->now = e->ts;
	rules_feed(m, e);
	if (m->early_gone.pid) {
		/* looked up again: the record may have let it go already */
		struct pl_proc *gone = table_life(m, m->early_gone.pid, m->early_gone.start);

		m->early_gone.pid = 0;
		model_release(m, gone);
	}
	if (m->nporph)
		orphans_settle(m, e->ts);
	m->c.live = m->nprocs;
}

/* lives whose pid a later life took before their end was seen: the later
 * life proves they ended, and once every record is read their end's
 * records are not coming (supersede waits for them while records come) */
static void settle_superseded(struct pl_model *m)
{
	for (struct pl_proc *p = table_next(m, NULL); p; p = table_next(m, p))
		if ((p->flags & PL_P_SUPERSEDED) && p->state < PL_ST_REAPED) {
			p->state = PL_ST_FREED;
			model_uncertain(m, PL_U_END_UNSEEN);
		}
}

void pl_model_settle(struct pl_model *m)
{
	orphans_settle(m, ~0ULL);
	settle_superseded(m);
}

void model_problem(struct pl_model *m, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	if (!m->o.problem)
		return;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	m->o.problem(m->o.ctx, what);
}

void model_conclude(struct pl_model *m, const struct pl_event *e)
{
	if (m->o.conclude)
		m->o.conclude(m->o.ctx, e);
}

void model_uncertain(struct pl_model *m, unsigned reason)
{
	if (reason < PL_UNCERTAIN)
		m->c.uncertain[reason]++;
}

/* the zombie crossed the threshold: say so once, charge its parent */
void model_flag_long(struct pl_model *m, struct pl_proc *p, __u64 now)
{
	struct pl_event e = { 0 };
	struct pl_proc *par;

	if (p->flags & PL_P_LONG_ZOMBIE)
		return;
	p->flags |= PL_P_LONG_ZOMBIE;
	zlist_del(m, p);
	COUNT(m, p, zombies_long);
	agg_cgroup_long(m, p);
	par = table_life(m, p->zparent, p->zparent_start);
	if (par && (p->flags & PL_P_FOLLOWED) && !(par->flags & PL_P_FOLLOWED))
		par->neglected_followed++;
	if (par)
		par->neglected++;
	else if (p->zparent)
		agg_neglect(m, NULL, p->zparent, p->zparent_start, 1, 0);

	e.kind = PL_EV_ZOMBIE_LONG;
	e.flags = PL_F_DERIVED;
	e.ts = now;
	e.pid = e.tid = p->pid;
	e.start = p->start;
	e.parent = p->zparent;
	e.pstart = p->zparent_start;
	e.status = p->status;
	e.zombie_ns = p->state >= PL_ST_REAPED ? p->zombie_ns : now - p->zombie_ts;
	if (p->flags & PL_P_ZOMBIE_BEFORE)
		e.flags |= PL_F_ZOMBIE; /* counted from the bootstrap, not from its exit */
	e.ns_pid = p->ns_pid;
	e.ns_level = p->ns_level;
	e.ns_inum = p->ns_inum;
	memcpy(e.comm, p->comm, sizeof(e.comm));
	model_conclude(m, &e);
}

/* the parent that must reap zombie p ended by moment at: p was reaped
 * unseen before that (its free tells it) or was adopted (the adoption
 * tells it, and makes another the one to reap it) */
bool model_zparent_gone(const struct pl_model *m, const struct pl_proc *p, __u64 at)
{
	const struct pl_proc *par = table_life(m, p->zparent, p->zparent_start);

	return par && par->exit_ts && par->exit_ts <= at;
}

/* a zombie that crosses the threshold before now is flagged at the moment
 * it crossed, whenever the tick comes: live (whose ticks follow its reads
 * of the ring) and replay (which ticks at each line) say the same */
void pl_model_tick(struct pl_model *m, unsigned long long now)
{
	struct pl_proc *p = m->zhead, *next;

	if (now > m->now)
		m->now = now;
	if (now < m->zdue)
		return;
	/* in the order of their moments: the ones due, up to the first not.
	 * One whose parent had ended by then waits, at the head, for the
	 * adopter its reparent names */
	for (; p; p = next) {
		__u64 at = zlist_at(m, p);

		next = p->znext;
		if (at > now)
			break;
		if (p->state == PL_ST_ZOMBIE && !model_zparent_gone(m, p, at))
			model_flag_long(m, p, at);
	}
	m->zdue = p ? zlist_at(m, p) : ~0ULL;
}

/* dead children in the history do not hold a process in the table; a
 * child adopted before its middle's exit was told waits for that exit */
static bool finished(const struct pl_model *m, const struct pl_proc *p)
{
	if (p->kids || (m->nearly && early_orphan_pending(m, p)))
		return false;
	if (p->flags & PL_P_PLACEHOLDER)
		return true; /* nothing known of it but its children, now gone */
	return p->state == PL_ST_FREED;
}

/* a zombie when last seen, where records of reaps were lost */
static bool reaper_unknown(const struct pl_model *m, const struct pl_proc *p)
{
	return p->state == PL_ST_ZOMBIE && pl_model_ends_lost(m);
}

static void report(struct pl_model *m, struct pl_proc *p)
{
	if (!m->o.on_release || (p->flags & PL_P_REPORTED))
		return;
	p->flags |= PL_P_REPORTED;
	if (reaper_unknown(m, p))
		p->flags |= PL_P_REAPER_UNKNOWN;
	m->o.on_release(m->o.ctx, p);
}

/* lets go of p, then of ancestors it kept, once nothing more can be said
 * of them; what the summary needs is folded into the aggregates first,
 * and the exporters see the whole record while it is still linked */
void model_release(struct pl_model *m, struct pl_proc *p)
{
	/* never twice: a dead node already in the history stays there once */
	while (p && !(p->flags & PL_P_RELEASED) && finished(m, p)) {
		struct pl_proc *parent = p->parent;

		if (p->neglected)
			agg_neglect(m, p, p->pid, p->start, p->neglected, p->neglect_ns);
		report(m, p);
		zlist_del(m, p);
		table_unhash(m, p);
		/* a dead node shows its command, not the file: keep it light */
		proc_drop_filename(m, p);
		p->flags |= PL_P_RELEASED;
		if (parent)
			parent->kids--;
		m->c.released++;
		history_add(m, p);
		p = parent;
	}
	m->c.live = m->nprocs;
}

void pl_model_flush(struct pl_model *m)
{
	struct pl_proc **a = NULL, *p;
	size_t n = 0;

	if (!m->o.on_release)
		return;
	if (m->nprocs)
		a = malloc(m->nprocs * sizeof(*a));
	if (!a) { /* out of memory: every record still goes out, unordered */
		for (p = table_next(m, NULL); p; p = table_next(m, p))
			report(m, p);
		return;
	}
	for (p = table_next(m, NULL); p; p = table_next(m, p))
		a[n++] = p;
	qsort(a, n, sizeof(*a), pl_proc_by_birth);
	for (size_t i = 0; i < n; i++)
		report(m, a[i]);
	free(a);
}

void pl_model_set_counters(struct pl_model *m, const unsigned long long lost[PL_EV_KINDS],
			   const unsigned long long stats[PL_STATS])
{
	if (lost)
		memcpy(m->c.lost, lost, sizeof(m->c.lost));
	if (stats)
		memcpy(m->c.stats, stats, sizeof(m->c.stats));
}

const struct pl_proc *pl_model_find(const struct pl_model *m, __u32 pid)
{
	return table_newest(m, pid);
}

const struct pl_proc *pl_model_find_life(const struct pl_model *m, __u32 pid, __u64 start)
{
	return table_life(m, pid, start);
}

bool pl_model_orphaning_told(const struct pl_model *m, const struct pl_event *e)
{
	const struct pl_proc *p;

	if (e->kind != PL_EV_REPARENT || e->adopter == PL_ADOPT_THREAD)
		return false; /* nearly every record: no lookup */
	p = table_life(m, e->pid, e->start);
	return p &&
	       (p->flags & PL_P_REPARENT_UNSEEN) && (p->flags & PL_P_REPARENT_TOLD) && p->parent &&
	       p->parent->pid == e->new_parent &&
	       (!e->new_parent_start || p->parent->start == e->new_parent_start);
}

bool pl_model_who_known(const struct pl_model *m, const struct pl_event *e)
{
	const struct pl_proc *p = table_life(m, e->pid, e->start);

	/* a user learned from a child's fork no line of its own said yet */
	return p && (p->flags & PL_P_WHO) && !(p->flags & PL_P_WHO_LEARNED) && p->uid == e->uid &&
	       p->gid == e->gid && p->euid == e->euid && p->cgroup_id == e->cgroup_id;
}

void pl_model_told(struct pl_model *m, __u32 pid, __u64 start, unsigned what)
{
	struct pl_proc *p = table_life(m, pid, start);

	if (p)
		p->told |= (__u8)what;
}

void model_count_end(struct pl_counts *c, int status)
{
	switch (pl_status_end_how(status)) {
	case PL_END_CODE:
		c->exit_code++;
		break;
	case PL_END_SIGNAL:
		c->exit_signal++;
		break;
	case PL_END_CORE:
		c->exit_core++;
		break;
	default:
		c->exit_no_wait++;
		break;
	}
}

/* what was counted of p before it joined the followed subtree, read back
 * from the marks each count leaves on it; the subtree's counts then do
 * not depend on whether a bootstrap or a fork record came first */
static void count_followed(struct pl_model *m, const struct pl_proc *p)
{
	struct pl_counts *c = &m->fc;

	c->bootstrap += !!(p->flags & PL_P_BOOTSTRAP);
	c->forks += !!(p->flags & PL_P_FORKED);
	c->execs += p->execs;
	if (p->flags & PL_P_COUNTED_END)
		model_count_end(c, p->status);
	c->zombies += !!p->zombie_ts;
	c->zombies_long += !!(p->flags & PL_P_LONG_ZOMBIE);
	if (p->state >= PL_ST_REAPED && p->reap_kind && p->reap_kind < PL_RK_KINDS)
		c->reaps[p->reap_kind]++;
	if ((p->flags & PL_P_ORPHAN) && p->adopter <= PL_ADOPT_OTHER)
		c->orphans[p->adopter]++;
	c->double_forks += !!(p->flags & PL_P_DOUBLE_FORK);
	c->exec_fails += p->exec_fails;
	c->fails_then_exec += p->exec_fails - p->fails_pending;
	agg_context_follow(m, p);
}

/* p and what hangs under it join the followed subtree */
void model_follow_proc(struct pl_model *m, struct pl_proc *p)
{
	if (!p || (p->flags & PL_P_FOLLOWED))
		return;
	p->flags |= PL_P_FOLLOWED;
	count_followed(m, p);
	for (struct pl_proc *c = p->child; c; c = c->next_sib)
		model_follow_proc(m, c);
}

void pl_model_follow(struct pl_model *m, __u32 pid)
{
	m->follow = pid;
	model_follow_proc(m, table_newest(m, pid));
}

__u32 pl_model_followed_root(const struct pl_model *m)
{
	return m->follow;
}

bool pl_model_in_subtree(const struct pl_model *m, const struct pl_proc *p, __u32 root)
{
	if (!root)
		return true;
	if (root == m->follow)
		return p->flags & PL_P_FOLLOWED;
	for (; p; p = p->parent)
		if (p->pid == root)
			return true;
	return false;
}

const struct pl_proc *pl_model_next(const struct pl_model *m, const struct pl_proc *prev)
{
	return table_next(m, prev);
}

const struct pl_counts *pl_model_counts(const struct pl_model *m)
{
	return &m->c;
}

const struct pl_counts *pl_model_counts_of(const struct pl_model *m, __u32 root)
{
	return root && root == m->follow ? &m->fc : &m->c;
}

unsigned long long pl_model_now(const struct pl_model *m)
{
	return m->now;
}

unsigned pl_model_zombie_ms(const struct pl_model *m)
{
	return m->o.zombie_ms;
}

unsigned long long pl_model_next_due(const struct pl_model *m)
{
	/* the list is in the order of the moments: the first that will be
	 * flagged */
	for (const struct pl_proc *p = m->zhead; p; p = p->znext) {
		unsigned long long at = zlist_at(m, p);

		if (p->state == PL_ST_ZOMBIE && !model_zparent_gone(m, p, at))
			return at;
	}
	return 0;
}

const struct pl_zombie_rec *pl_model_zombie_recs(const struct pl_model *m, size_t *n)
{
	*n = m->nzrecs;
	return m->zrecs;
}

const struct pl_neglect_rec *pl_model_neglect_recs(const struct pl_model *m, size_t *n)
{
	*n = m->nnrecs;
	return m->nrecs;
}

const struct pl_orphan_rec *pl_model_orphan_recs(const struct pl_model *m, size_t *n,
						  unsigned long long *more)
{
	*n = m->norecs;
	if (more)
		*more = m->orecs_more;
	return m->orecs;
}

size_t pl_model_bytes(const struct pl_model *m)
{
	return heap_size(sizeof(*m)) + heap_size(m->nbuckets * sizeof(*m->buckets)) +
	       (m->nprocs + m->kept.n + m->notable.n + m->long_zombies.n) *
		       heap_size(sizeof(struct pl_proc)) +
	       m->name_bytes +
	       strtab_bytes(&m->strings) +
	       (m->pending ? heap_size(m->pending_cap * sizeof(*m->pending)) : 0) +
	       (m->porph ? heap_size(m->porph_cap * sizeof(*m->porph)) : 0);
}

const char *pl_state_name(unsigned state)
{
	static const char *const names[] = { "running", "exited", "zombie", "reaped", "freed" };

	return state < sizeof(names) / sizeof(names[0]) ? names[state] : "?";
}

const char *pl_reap_kind_name(unsigned kind)
{
	static const char *const names[PL_RK_KINDS] = { "-", "wait", "auto", "adopted", "inferred" };

	return kind < PL_RK_KINDS ? names[kind] : "?";
}

const char *pl_uncertain_reason(unsigned reason)
{
	static const char *const names[PL_UNCERTAIN] = {
		[PL_U_PARENT_UNKNOWN] = "parents known only by pid (placeholders)",
		[PL_U_NO_BIRTH] = "processes first seen after their birth (fork record missing)",
		[PL_U_REAP_INFERRED] = ("reaps concluded from the task's free (no wait record "
					"matched): zombie time is an upper bound, unknown for a "
					"zombie from before the trace"),
		[PL_U_REAP_UNMATCHED] = "reaps with no zombie record: zombie time unknown",
		[PL_U_REAP_UNKNOWN] = "reaps of processes never seen",
		[PL_U_REAP_EARLY] = "reaps with no zombie or exit record before them",
		[PL_U_REPARENT_UNSEEN] = ("parent changes with no reparent record: their moment "
					  "not known, the adopter only as a later record said it"),
		[PL_U_END_UNSEEN] = "processes whose exit or reap record never came",
		[PL_U_UNKNOWN_RECORD] = "records about processes no longer known",
		[PL_U_LAST_THREAD] = ("process exits whose last thread is not known (threads "
				      "ended together; the kernel's exit tracepoint has no group_dead)"),
	};

	return reason < PL_UNCERTAIN ? names[reason] : "?";
}

void pl_model_set_end_untold(struct pl_model *m)
{
	m->end_untold = true;
}

bool pl_model_waits_partial(const struct pl_model *m)
{
	/* wait records, when counted, came as the waits did */
	return m->end_untold && !m->o.waits_from_records;
}

bool pl_model_ends_lost(const struct pl_model *m)
{
	unsigned long long skipped = m->c.stats[PL_STAT_RUNS_SKIPPED];

	return m->c.lost[PL_EV_REAP] || m->c.lost[PL_EV_FREE] || m->c.lost[PL_EV_REPARENT] ||
	       (skipped && skipped != PL_NOT_COUNTED);
}

const char *pl_proc_state(const struct pl_model *m, const struct pl_proc *p)
{
	if (reaper_unknown(m, p))
		return "reaper-unknown";
	return pl_state_name(p->state);
}

bool pl_proc_alive(const struct pl_proc *p)
{
	return p->state == PL_ST_RUNNING &&
	       !(p->flags & (PL_P_PLACEHOLDER | PL_P_SUPERSEDED));
}

int pl_proc_by_birth(const void *a, const void *b)
{
	const struct pl_proc *x = *(const struct pl_proc *const *)a;
	const struct pl_proc *y = *(const struct pl_proc *const *)b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}
