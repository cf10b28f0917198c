// SPDX-License-Identifier: BSD-2-Clause
/*
 * The reconstruction rules, one handler per record kind. Each record adds
 * facts to the process it is about; none takes one back. Records may come
 * late, twice, or not at all: no handler assumes the stage before it was
 * seen, and what cannot be known is counted as uncertain, never made up.
 */
#include <string.h>
#include "model/internal.h"

static void resolve(struct pl_model *m, struct pl_proc *p)
{
	if (p->flags & PL_P_PLACEHOLDER) {
		p->flags &= ~PL_P_PLACEHOLDER;
		m->c.uncertain[PL_U_PARENT_UNKNOWN]--;
	}
}

static bool among(struct pl_proc *const *v, size_t n, const struct pl_proc *p)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == p)
			return true;
	return false;
}

/* a new life of a pid proves the older ones were released. One at a time,
 * looked up again after each: a release may take others with it (an
 * ancestor with nothing left under it), freed at once when no history is
 * kept, and those must not be touched again */
static void supersede(struct pl_model *m, struct pl_proc *young)
{
	struct pl_proc *seen[8];
	size_t nseen = 0;

	while (nseen < sizeof(seen) / sizeof(seen[0])) {
		struct pl_proc *old[8], *p = NULL;
		size_t n = table_older(m, young->pid, young->start, old, 8);

		for (size_t i = 0; i < n && !p; i++)
			if (!among(seen, nseen, old[i]))
				p = old[i];
		if (!p)
			return;
		seen[nseen++] = p;
		if (p->state == PL_ST_FREED) {
			/* its end seen whole: kept for its children, or for a
			 * decision to come */
			model_release(m, p);
			continue;
		}
		if (p->state >= PL_ST_REAPED) {
			p->state = PL_ST_FREED; /* its free record went missing */
		} else if (!(p->flags & PL_P_SUPERSEDED)) {
			/* the reap record may still come after the new life's
			 * fork (wait4 returns once the pid is free): wait for
			 * one more life of the pid */
			p->flags |= PL_P_SUPERSEDED;
			COUNT(m, p, pid_reuses);
			zlist_del(m, p);
			continue;
		} else {
			p->state = PL_ST_FREED;
			model_uncertain(m, PL_U_END_UNSEEN);
		}
		if (!(p->flags & PL_P_SUPERSEDED))
			COUNT(m, p, pid_reuses);
		p->flags |= PL_P_SUPERSEDED;
		model_release(m, p);
	}
}

static struct pl_proc *new_life(struct pl_model *m, __u32 pid, __u64 start)
{
	struct pl_proc *p = table_add(m, pid, start);

	if (p && start)
		supersede(m, p);
	return p;
}

/* the exact life, or a pid-only entry that turns out to be it */
static struct pl_proc *lookup(struct pl_model *m, __u32 pid, __u64 start)
{
	struct pl_proc *p;

	if (!start)
		return table_newest(m, pid);
	p = table_life(m, pid, start);
	if (!p) {
		p = table_life(m, pid, 0);
		if (p) {
			p->start = start;
			supersede(m, p);
		}
	}
	return p;
}

/* the process a record is about; created when unknown, with the reason */
static struct pl_proc *subject(struct pl_model *m, const struct pl_event *e, bool born_here)
{
	struct pl_proc *p = lookup(m, e->pid, e->start);

	if (p) {
		resolve(m, p);
		return p;
	}
	p = new_life(m, e->pid, e->start);
	if (!p)
		return NULL;
	memcpy(p->comm, e->comm, sizeof(p->comm));
	memcpy(p->comm_exec, e->comm, sizeof(p->comm_exec));
	p->threads = 1;
	if (!born_here) {
		p->flags |= PL_P_NO_BIRTH;
		model_uncertain(m, PL_U_NO_BIRTH);
	}
	if (e->pid == m->follow)
		model_follow_proc(m, p);
	return p;
}

/* a parent or reaper named by a record: a placeholder if unknown. Pid 0
 * is the idle task, the parent of init and kthreadd: no parent at all,
 * not an unknown one */
static struct pl_proc *other(struct pl_model *m, __u32 pid, __u64 start)
{
	struct pl_proc *p;

	if (!pid)
		return NULL;
	p = lookup(m, pid, start);
	if (p)
		return p;
	p = new_life(m, pid, start);
	if (!p)
		return NULL;
	p->flags |= PL_P_PLACEHOLDER;
	p->threads = 1;
	if (pid == m->follow)
		model_follow_proc(m, p);
	model_uncertain(m, PL_U_PARENT_UNKNOWN);
	return p;
}

/*
 * The records that carry the process's own name, its leader's comm, where
 * a rename (prctl PR_SET_NAME) shows: every line the model writes about it
 * then uses its latest name. A thread's records carry the thread's name, a
 * wait the waiting thread's; an exec keeps the name before it (on_exec).
 */
static void learn_name(struct pl_proc *p, const struct pl_event *e)
{
	if (!e->comm[0] || (e->flags & PL_F_THREAD))
		return;
	if (e->kind == PL_EV_EXIT && e->tid != e->pid)
		return; /* a process's end told by another of its threads */
	memcpy(p->comm, e->comm, sizeof(p->comm));
}

static void adopt_first(struct pl_model *m, struct pl_proc *p, struct pl_proc *parent)
{
	tree_link(p, parent);
	if (p->parent && (p->parent->flags & PL_P_FOLLOWED))
		model_follow_proc(m, p);
}

static void count_orphan(struct pl_model *m, struct pl_proc *p, const struct pl_event *r);

/* an adopter's kind as a record says it; one not said is known all the
 * same for pid 1: records name processes by their pid in the initial
 * namespace, whose init that is */
static unsigned adopter_kind(unsigned kind, __u32 new_parent)
{
	if (kind == PL_ADOPT_INIT || kind == PL_ADOPT_SUBREAPER || kind == PL_ADOPT_OTHER)
		return kind;
	return new_parent == 1 ? PL_ADOPT_INIT : PL_ADOPT_UNKNOWN;
}

/* a kernel record names p's current parent: link it, or notice a change
 * whose reparent record we did not get (kind: what the kernel said the
 * parent is as an adopter, 0 when it did not say) */
static void learn_parent(struct pl_model *m, struct pl_proc *p, __u32 ppid, __u64 pstart,
			 __u64 ts, unsigned kind)
{
	struct pl_proc *np, *old = p->parent;

	if (!ppid || p->state >= PL_ST_REAPED)
		return;
	if (old && old->pid == ppid && (!pstart || old->start == pstart))
		return;
	/* a moment before p's last change of parent, told after it (an exit
	 * begun before its parent ended is told at its last switch, after
	 * the adoption): the parent it names was p's then */
	if (ts < p->reparent_ts)
		return;
	np = other(m, ppid, pstart);
	if (!np || np == old)
		return;
	if (!old) {
		adopt_first(m, p, np);
		return;
	}
	p->old_parent = old->pid;
	p->adopter = (__u8)adopter_kind(kind, ppid);
	p->reparent_ts = ts;
	if (!(p->flags & PL_P_REPARENT_UNSEEN))
		model_uncertain(m, PL_U_REPARENT_UNSEEN);
	p->flags |= PL_P_ORPHAN | PL_P_REPARENT_UNSEEN;
	if (kind == PL_ADOPT_SUBREAPER)
		np->flags |= PL_P_SUBREAPER;
	/* an orphan all the same (its old parent's exit had more children
	 * than the kernel side remembers, or the record was lost): counted
	 * as one, its adopter as the later record says it */
	count_orphan(m, p, &(struct pl_event){ .ts = ts, .old_parent = old->pid, .new_parent = ppid,
					       .adopter = p->adopter });
	tree_link(p, np);
	orphan_pending(m, p);
	model_release(m, old);
}

static void copy_ns(struct pl_proc *p, const struct pl_event *e)
{
	if (!e->ns_level)
		return;
	p->ns_pid = e->ns_pid;
	p->ns_level = e->ns_level;
	p->ns_inum = e->ns_inum;
}

/* the end of p (or of a process only its followed reaper knew) */
static void count_end(struct pl_model *m, const struct pl_proc *p, int status)
{
	model_count_end(&m->c, status);
	if (p && (p->flags & PL_P_FOLLOWED))
		model_count_end(&m->fc, status);
}

static void set_status(struct pl_model *m, struct pl_proc *p, int status)
{
	if (!(p->flags & PL_P_HAS_STATUS)) {
		p->status = status;
		p->flags |= PL_P_HAS_STATUS;
	}
	if (!(p->flags & PL_P_COUNTED_END)) {
		p->flags |= PL_P_COUNTED_END;
		count_end(m, p, p->status);
	}
}

static void on_proc(struct pl_model *m, const struct pl_event *e)
{
	struct pl_proc *p = subject(m, e, true);

	if (!p)
		return;
	if (!(p->flags & PL_P_BOOTSTRAP))
		COUNT(m, p, bootstrap);
	p->flags |= PL_P_BOOTSTRAP;
	if (p->flags & PL_P_NO_BIRTH) {
		p->flags &= ~PL_P_NO_BIRTH;
		m->c.uncertain[PL_U_NO_BIRTH]--;
	}
	if (!p->execs) {
		memcpy(p->comm, e->comm, sizeof(p->comm));
		memcpy(p->comm_exec, e->comm, sizeof(p->comm_exec));
	}
	if (!p->birth_ts)
		p->birth_ts = e->start;
	p->nice = e->nice;
	context_who(m, p, e);
	if (e->threads)
		p->threads = e->threads;
	if (e->flags & PL_F_SUBREAPER)
		p->flags |= PL_P_SUBREAPER;
	copy_ns(p, e);
	learn_parent(m, p, e->ppid, e->pstart, e->ts, e->parent_kind);
	if ((e->flags & PL_F_ZOMBIE) && p->state < PL_ST_ZOMBIE) {
		/* a zombie since before we looked: its times are lower bounds */
		p->state = PL_ST_ZOMBIE;
		p->flags |= PL_P_ZOMBIE_BEFORE;
		p->zombie_ts = e->ts;
		p->zparent = e->ppid;
		p->zparent_start = e->pstart;
		p->zparent_from = p->zparent_until = 0;
		p->threads = 0;
		COUNT(m, p, zombies);
		set_status(m, p, e->status);
		zlist_add(m, p);
	} else if ((e->flags & PL_F_EXITED) && p->state < PL_ST_EXITED) {
		p->state = PL_ST_EXITED;
	}
}

/* the process that made a child its own sibling (CLONE_PARENT) is of the
 * followed subtree: so is what it made, whoever its parent is */
static bool made_by_followed(const struct pl_model *m, __u32 creator)
{
	const struct pl_proc *c = table_newest(m, creator);

	return c && (c->flags & PL_P_FOLLOWED);
}

static void on_fork(struct pl_model *m, const struct pl_event *e)
{
	struct pl_proc *p, *parent;

	if (e->flags & PL_F_THREAD) {
		p = subject(m, e, false);
		if (!p)
			return;
		COUNT(m, p, threads);
		if (p->state < PL_ST_EXITED)
			p->threads++;
		return;
	}
	p = subject(m, e, true);
	if (!p || (p->flags & PL_P_FORKED))
		return; /* a second record of the same birth */
	if (p->flags & PL_P_NO_BIRTH) { /* its fork arrived after later records */
		p->flags &= ~PL_P_NO_BIRTH;
		m->c.uncertain[PL_U_NO_BIRTH]--;
	}
	p->flags |= PL_P_FORKED;
	COUNT(m, p, forks);
	p->birth_ts = e->ts;
	p->ppid_birth = e->ppid;
	p->creator = e->creator;
	p->pstart_birth = e->pstart;
	/* and its name at birth, whatever it calls itself later (prctl) */
	if (!p->execs) {
		memcpy(p->comm, e->comm, sizeof(p->comm));
		memcpy(p->comm0, e->comm, sizeof(p->comm0));
		memcpy(p->comm_exec, e->comm, sizeof(p->comm_exec));
	}
	p->nice = e->nice;
	copy_ns(p, e);
	context_who(m, p, e);
	parent = other(m, e->ppid, e->pstart);
	/* CLONE_PARENT: its maker is a child of the parent it names */
	context_maker_who(e->creator ? table_newest(m, e->creator) : parent, e);
	context_inherit(m, p, parent);
	if (!p->parent)
		adopt_first(m, p, parent);
	if (parent && (parent->flags & PL_P_FOLLOWED))
		model_follow_proc(m, p);
	else if (e->creator && made_by_followed(m, e->creator))
		model_follow_proc(m, p); /* CLONE_PARENT: its maker's sibling */
}

static void on_exec(struct pl_model *m, const struct pl_event *e)
{
	struct pl_proc *p = subject(m, e, false);

	if (!p)
		return;
	if (!p->execs && !p->comm0[0]) { /* no birth seen: its name before exec */
		memcpy(p->comm0, p->comm, sizeof(p->comm0));
		context_birth_name(m, p);
	}
	memcpy(p->comm, e->comm, sizeof(p->comm));
	memcpy(p->comm_exec, e->comm, sizeof(p->comm_exec));
	proc_set_filename(m, p, e->filename ? e->filename : "", PL_PATH_MAX);
	context_exec(m, p, e);
	p->execs++;
	p->exec_ts = e->ts;
	p->nice = e->nice;
	p->threads = 1; /* exec kills every other thread */
	if (e->old_tid && e->old_tid != e->pid)
		p->flags |= PL_P_EXEC_THREAD;
	COUNT(m, p, execs);
	learn_parent(m, p, e->ppid, e->pstart, e->ts, e->parent_kind);
}

/* the kernel's counts of a process's waits: with its exit, or at the end
 * for one still running */
static void count_waits(struct pl_model *m, const struct pl_proc *p, const struct pl_event *e)
{
	if (m->o.waits_from_records)
		return;
	COUNT_N(m, p, waits, e->waits);
	COUNT_N(m, p, nohang_polls, e->nohang_polls);
}

static void check_early_orphans(struct pl_model *m, const struct pl_proc *mid);

static void on_exit(struct pl_model *m, const struct pl_event *e)
{
	struct pl_proc *p = subject(m, e, false);

	if (!p)
		return;
	if (e->flags & PL_F_THREAD) { /* one thread; the process lives on */
		if (p->threads > 1)
			p->threads--;
		if (e->flags & PL_F_GROUP_RACE)
			model_uncertain(m, PL_U_LAST_THREAD);
		return;
	}
	learn_parent(m, p, e->ppid, e->pstart, e->ts, e->parent_kind);
	learn_name(p, e);
	count_waits(m, p, e);
	context_who(m, p, e);
	context_exit(m, p, e);
	p->threads = 0;
	p->nice = e->nice;
	if (!p->exit_ts)
		p->exit_ts = e->ts;
	if (p->state < PL_ST_EXITED)
		p->state = PL_ST_EXITED;
	set_status(m, p, e->status);
	if (m->nearly)
		check_early_orphans(m, p);
}

static void on_zombie(struct pl_model *m, const struct pl_event *e)
{
	struct pl_proc *p = subject(m, e, false);

	if (!p)
		return;
	if (p->flags & PL_P_REAP_EARLY) { /* the late record after all */
		p->flags &= ~PL_P_REAP_EARLY;
		m->c.uncertain[PL_U_REAP_EARLY]--;
	}
	learn_parent(m, p, e->parent, e->pstart, e->ts, e->parent_kind);
	learn_name(p, e);
	set_status(m, p, e->status);
	p->threads = 0;
	if (p->zombie_ts && !(p->flags & PL_P_ZOMBIE_BEFORE))
		return; /* already known */
	/* a bootstrap zombie's own record: exact times, one zombie still */
	if (!p->zombie_ts)
		COUNT(m, p, zombies);
	p->flags &= ~PL_P_ZOMBIE_BEFORE;
	p->zombie_ts = e->ts;
	zlist_due(m, p);
	p->zparent = e->parent;
	p->zparent_start = e->pstart;
	p->zparent_from = p->zparent_until = 0;
	if (p->state < PL_ST_ZOMBIE) {
		p->state = PL_ST_ZOMBIE;
		zlist_add(m, p);
	} else if (p->state >= PL_ST_REAPED && !p->zombie_ns && p->reap_ts >= e->ts) {
		p->zombie_ns = p->reap_ts - e->ts; /* the reap came first */
		agg_zombie(m, p);
	}
}

/* a zombie the model has known only since it looked (a restated one,
 * from the start of a later part of a log) whose reap tells its whole
 * time, not a lower bound: its moment is known after all */
static void zombie_moment_from_reap(struct pl_proc *p, const struct pl_event *e)
{
	if (!(p->flags & PL_P_ZOMBIE_BEFORE) || (e->flags & PL_F_ZOMBIE) || !e->zombie_ns ||
	    e->zombie_ns > e->ts || e->ts - e->zombie_ns > p->zombie_ts)
		return;
	p->zombie_ts = e->ts - e->zombie_ns;
	p->flags &= ~PL_P_ZOMBIE_BEFORE;
}

/* a long zombie's time is charged to the parent that left it */
/* the time its zparent held a long zombie now reaped, charged to that
 * parent: of one whose reap was never seen, only the part before its
 * adoption is known; one from before the trace is charged a lower bound */
static void charge_neglect(struct pl_model *m, struct pl_proc *p)
{
	bool unknown = pl_zombie_time_unknown(p->flags);
	bool at_least = p->flags & PL_P_ZOMBIE_BEFORE;
	struct pl_proc *par;
	__u64 held;

	if (!(p->flags & PL_P_LONG_ZOMBIE))
		return;
	if (!unknown)
		held = pl_zombie_held(p, p->zombie_ts + p->zombie_ns);
	else if (p->zparent_until)
		held = pl_zombie_held(p, p->zparent_until);
	else
		held = 0;
	par = table_life(m, p->zparent, p->zparent_start);
	if (par) {
		par->neglect_ns += held;
		if ((p->flags & PL_P_FOLLOWED) && !(par->flags & PL_P_FOLLOWED))
			par->neglect_followed_ns += held;
		if (at_least)
			par->flags |= PL_P_NEGLECT_AT_LEAST;
	} else if (p->zparent) {
		agg_neglect(m, NULL, p->zparent, p->zparent_start, 0, held);
		if (at_least)
			agg_neglect_at_least(m, p->zparent, p->zparent_start);
	}
}

/* the end of a zombie (or of a process that never was one) */
static void reaped(struct pl_model *m, struct pl_proc *p, const struct pl_event *e,
		   unsigned kind)
{
	p->reap_kind = (__u8)kind;
	p->reap_ts = e->ts;
	if (p->state < PL_ST_REAPED)
		p->state = PL_ST_REAPED;
	p->threads = 0;
	zlist_del(m, p);
	COUNT(m, p, reaps[kind]);
	if (!p->zombie_ts)
		return;
	if (pl_zombie_time_unknown(p->flags)) {
		COUNT(m, p, zombies_time_unknown);
		charge_neglect(m, p); /* what is known of it */
		return;
	}
	if (p->zombie_ns >= m->zombie_ns)
		model_flag_long(m, p, e->ts);
	if (p->flags & PL_P_LONG_ZOMBIE)
		agg_cgroup_zombie_time(m, p, true);
	charge_neglect(m, p);
	agg_zombie(m, p);
}

static void on_reap(struct pl_model *m, const struct pl_event *e)
{
	bool unmatched = (e->flags & PL_F_UNMATCHED) || !e->start;
	struct pl_proc *p;
	unsigned kind;

	p = unmatched ? table_unreaped(m, e->pid, e->reaper) : lookup(m, e->pid, e->start);
	if (!p) {
		/* never seen alive: its end still counts, for the subtree too
		 * when the reaper is in it (it was that reaper's child) */
		kind = e->flags & PL_F_AUTO ? PL_RK_AUTO : PL_RK_WAIT;
		p = table_newest(m, e->reaper);
		COUNT(m, p, reaps[kind]);
		if (!(e->flags & PL_F_STATUS_UNKNOWN))
			count_end(m, p, e->status);
		model_uncertain(m, PL_U_REAP_UNKNOWN);
		return;
	}
	resolve(m, p);
	learn_name(p, e);
	if (p->state >= PL_ST_REAPED) {
		if (!(p->flags & PL_P_REAP_INFERRED))
			return; /* told twice */
		/* the wait after all: it replaces what the free let us guess */
		p->flags &= ~PL_P_REAP_INFERRED;
		if (p->flags & PL_P_LONG_ZOMBIE)
			agg_cgroup_zombie_time(m, p, false);
		m->c.reaps[p->reap_kind]--;
		if (p->flags & PL_P_FOLLOWED)
			m->fc.reaps[p->reap_kind]--;
		m->c.uncertain[PL_U_REAP_INFERRED]--;
	}
	if (p->state < PL_ST_ZOMBIE && !(e->flags & PL_F_AUTO)) {
		p->flags |= PL_P_REAP_EARLY;
		model_uncertain(m, PL_U_REAP_EARLY);
	}
	if (!(e->flags & PL_F_STATUS_UNKNOWN))
		set_status(m, p, e->status); /* else what its exit or the bootstrap said */
	p->reaper = e->reaper;
	if (e->flags & PL_F_AUTO) {
		/* a zombie only if one was seen: one an adopter that ignores
		 * SIGCHLD let go had been a zombie of its old parent */
		kind = PL_RK_AUTO;
		p->zombie_ns = p->zombie_ts ? e->zombie_ns : 0;
	} else if (e->flags & PL_F_INFERRED) { /* a conclusion from another reader */
		/* an adopted zombie's too: that its reap is a conclusion is what
		 * every view must say (its adoption is told as an orphaning) */
		kind = PL_RK_INFERRED;
		p->flags |= PL_P_REAP_INFERRED;
		p->zombie_ns = pl_zombie_time_unknown(p->flags) ? 0 : e->zombie_ns;
		model_uncertain(m, PL_U_REAP_INFERRED);
	} else {
		kind = (p->flags & PL_P_ZOMBIE_ADOPTED) && e->reaper != p->old_parent ? PL_RK_ADOPTED
										      : PL_RK_WAIT;
		if (!unmatched) {
			p->zombie_ns = e->zombie_ns;
			zombie_moment_from_reap(p, e);
		} else if (p->zombie_ts && e->ts >= p->zombie_ts)
			p->zombie_ns = e->ts - p->zombie_ts; /* a lower bound if ZOMBIE_BEFORE */
		else
			model_uncertain(m, PL_U_REAP_UNMATCHED);
	}
	if (e->flags & PL_F_NOHANG)
		COUNT(m, p, nohang_reaps);
	if (e->flags & PL_F_AT_EXIT)
		p->flags |= PL_P_REAP_AT_EXIT; /* told at its parent's last switch, after */
	reaped(m, p, e, kind);
	if (e->flags & PL_F_FINAL) {
		/* released in the kernel by this reap: no free record follows */
		p->state = PL_ST_FREED;
		p->free_ts = e->ts;
		if (m->nearly)
			check_early_orphans(m, p); /* a middle whose exit was lost */
	}
	model_release(m, p);
}

static void conclude_reap(struct pl_model *m, const struct pl_proc *p, const struct pl_event *f)
{
	struct pl_event e = { 0 };

	e.kind = PL_EV_REAP;
	e.flags = PL_F_INFERRED | PL_F_DERIVED;
	if (!p->zombie_ts && !p->exit_ts)
		e.flags |= PL_F_UNMATCHED;
	if (p->flags & PL_P_ZOMBIE_BEFORE)
		e.flags |= PL_F_ZOMBIE; /* a zombie before the trace: its time unknown */
	e.ts = f->ts;
	e.pid = e.tid = p->pid;
	e.start = p->start;
	e.reaper = p->reaper;
	e.pstart = p->parent ? p->parent->start : 0;
	e.zombie_ns = p->zombie_ns;
	e.status = p->status;
	e.ns_pid = p->ns_pid;
	e.ns_level = p->ns_level;
	e.ns_inum = p->ns_inum;
	memcpy(e.comm, p->comm, sizeof(e.comm));
	model_conclude(m, &e);
}

/* a zombie's free comes an RCU grace period after its reap, at time ts:
 * a parent that was to reap it and ended before then, with no adopter
 * seen, reaped it before its own end */
static __u64 reaped_by(const struct pl_model *m, const struct pl_proc *p, __u64 ts)
{
	const struct pl_proc *par;

	if (!p->zombie_ts || !model_zparent_gone(m, p, ts))
		return ts;
	par = table_life(m, p->zparent, p->zparent_start);
	return par == p->parent && par->exit_ts >= p->zombie_ts ? par->exit_ts : ts;
}

static void on_free(struct pl_model *m, const struct pl_event *e)
{
	struct pl_proc *p = lookup(m, e->pid, e->start);
	__u64 since;

	if (!p) {
		model_uncertain(m, PL_U_UNKNOWN_RECORD);
		return;
	}
	if (p->state == PL_ST_RUNNING && (p->flags & PL_P_EXEC_THREAD))
		return; /* the old leader replaced by an exec'ing thread */
	resolve(m, p);
	learn_name(p, e);
	if (p->state == PL_ST_RUNNING)
		model_uncertain(m, PL_U_END_UNSEEN);
	if (p->state < PL_ST_REAPED) {
		/* nobody was seen collecting it, yet it is gone: its parent
		 * reaped it somehow (io_uring, an untraced wait) */
		since = p->zombie_ts ? p->zombie_ts : p->exit_ts;
		set_status(m, p, e->status);
		p->reaper = p->parent ? p->parent->pid : 0;
		p->flags |= PL_P_REAP_INFERRED;
		p->zombie_ns = since && e->ts >= since && !pl_zombie_time_unknown(p->flags) ?
				       reaped_by(m, p, e->ts) - since : 0;
		model_uncertain(m, PL_U_REAP_INFERRED);
		reaped(m, p, e, PL_RK_INFERRED); /* adopted or not: a conclusion */
		conclude_reap(m, p, e);
	}
	p->state = PL_ST_FREED;
	p->free_ts = e->ts;
	if (m->nearly)
		check_early_orphans(m, p); /* a middle whose exit was lost */
	model_release(m, p);
}

static struct df_child df_child(const struct pl_proc *p)
{
	struct df_child c = {
		.pid = p->pid, .ppid_birth = p->ppid_birth, .ns_pid = p->ns_pid,
		.ns_level = p->ns_level, .ns_inum = p->ns_inum, .start = p->start,
		.pstart_birth = p->pstart_birth, .birth_ts = p->birth_ts,
		.followed = !!(p->flags & PL_P_FOLLOWED),
	};

	memcpy(c.comm, p->comm, sizeof(c.comm));
	return c;
}

/* the daemon trick: the middle process forked the child and left at once
 * (a middle killed at once, a process struck down with its child left
 * behind, is not it) */
static bool middle_left_at_once(const struct pl_model *m, const struct df_child *c,
				const struct pl_proc *mid)
{
	return mid && mid->exit_ts && mid->exit_ts >= c->birth_ts &&
	       mid->exit_ts - c->birth_ts <= m->double_fork_ns && !proc_killed(mid);
}

static void conclude_double_fork(struct pl_model *m, const struct df_child *c,
				 const struct pl_proc *mid, __u64 ts, unsigned adopter)
{
	struct pl_event e = { 0 };

	m->c.double_forks++;
	m->fc.double_forks += c->followed;
	/* decided late, the orphaning was recorded already; otherwise it is
	 * recorded next, from p's flag */
	agg_orphan_double_fork(m, c->pid, c->start, mid->pid);
	e.kind = PL_EV_DOUBLE_FORK;
	e.flags = PL_F_DERIVED;
	e.ts = ts;
	e.pid = e.tid = c->pid;
	e.start = c->start;
	e.middle = mid->pid;
	e.pstart = mid->start;
	/* the middle's parent at its birth; for one found running, whose birth
	 * was not seen, the parent it had (the one its exit left) */
	e.original_parent = mid->ppid_birth ? mid->ppid_birth : mid->parent ? mid->parent->pid : 0;
	e.adopter = adopter;
	e.middle_exit_ns = mid->exit_ts - c->birth_ts; /* how soon the middle left */
	e.ns_pid = c->ns_pid;
	e.ns_level = c->ns_level;
	e.ns_inum = c->ns_inum;
	memcpy(e.comm, c->comm, sizeof(e.comm));
	model_conclude(m, &e);
}

/* a child adopted alive from the parent that forked it (one already dead
 * when adopted is a neglected zombie, not a daemon) */
static bool adopted_alive_from_its_middle(const struct pl_proc *p, const struct pl_event *r)
{
	return (p->flags & PL_P_FORKED) && !(p->flags & PL_P_DOUBLE_FORK) &&
	       p->ppid_birth == r->old_parent && p->state < PL_ST_EXITED;
}

static void check_double_fork(struct pl_model *m, struct pl_proc *p, const struct pl_event *e)
{
	struct df_child c;
	const struct pl_proc *mid;

	if (!adopted_alive_from_its_middle(p, e))
		return;
	c = df_child(p);
	mid = table_life(m, c.ppid_birth, c.pstart_birth);
	if (!middle_left_at_once(m, &c, mid))
		return;
	p->flags |= PL_P_DOUBLE_FORK;
	conclude_double_fork(m, &c, mid, e->ts, e->adopter);
}

/* the i-th early orphan is decided: the rest keep their order, oldest first */
static void early_orphan_drop(struct pl_model *m, size_t i)
{
	m->nearly--;
	memmove(m->early + i, m->early + i + 1, sizeof(m->early[0]) * (m->nearly - i));
}

/* p was adopted alive before its middle's exit was told: kept to decide
 * when that exit comes, whatever became of p since */
static void keep_early_orphan(struct pl_model *m, const struct pl_proc *p,
			      const struct pl_event *r)
{
	struct pl_proc *mid = table_life(m, p->ppid_birth, p->pstart_birth);

	/* a middle gone with no exit seen: that exit is not coming */
	if (!adopted_alive_from_its_middle(p, r) || !mid || mid->exit_ts ||
	    mid->state == PL_ST_FREED || early_orphan_pending(m, p))
		return;
	if (m->nearly == EARLY_ORPHANS) { /* the oldest gives way */
		if (m->early_gone.pid)
			return; /* one per record, and this record made room already */
		m->early_gone.pid = m->early[0].c.pid;
		m->early_gone.start = m->early[0].c.start;
		early_orphan_drop(m, 0);
	}
	m->early[m->nearly++] = (struct early_orphan){
		.c = df_child(p), .ts = r->ts, .adopter = (__u8)r->adopter,
	};
}

bool early_orphan_pending(const struct pl_model *m, const struct pl_proc *p)
{
	for (size_t i = 0; i < m->nearly; i++)
		if (m->early[i].c.pid == p->pid && m->early[i].c.start == p->start)
			return true;
	return false;
}

/* the middle's exit has come (or its free, the exit lost): its children
 * adopted before it was told are decided, and may go */
static void check_early_orphans(struct pl_model *m, const struct pl_proc *mid)
{
	size_t i = 0;

	while (i < m->nearly) {
		struct early_orphan *o = &m->early[i];
		struct pl_proc *p;

		if (o->c.ppid_birth != mid->pid || o->c.pstart_birth != mid->start) {
			i++;
			continue;
		}
		/* held in the table meanwhile (finished() waits for this);
		 * the facts kept serve should lost records have let it go */
		p = table_life(m, o->c.pid, o->c.start);
		if (p)
			o->c.followed = !!(p->flags & PL_P_FOLLOWED);
		if ((!p || !(p->flags & PL_P_DOUBLE_FORK)) && middle_left_at_once(m, &o->c, mid)) {
			if (p)
				p->flags |= PL_P_DOUBLE_FORK;
			conclude_double_fork(m, &o->c, mid, o->ts, o->adopter);
		}
		early_orphan_drop(m, i);
		model_release(m, p); /* if it ended meanwhile, it waited for this */
	}
}

/* p left its old parent (r: old_parent, new_parent, adopter, ts) */
static void count_orphan(struct pl_model *m, struct pl_proc *p, const struct pl_event *r)
{
	unsigned adopter = r->adopter <= PL_ADOPT_OTHER ? (unsigned)r->adopter : PL_ADOPT_UNKNOWN;

	COUNT(m, p, orphans[adopter]);
	check_double_fork(m, p, r);
	keep_early_orphan(m, p, r);
	agg_orphan(m, p, r->old_parent, r->new_parent, adopter);
	agg_cgroup_orphan(m, p);
}

/* a zombie handed to an adopter: one not long yet under its old parent
 * is the adopter's to reap from now on, and the adopter's neglect if it
 * lasts (decided by the records' times, as live and replay both see them) */
static void zombie_adopted(struct pl_model *m, struct pl_proc *p, const struct pl_event *e)
{
	p->flags |= PL_P_ZOMBIE_ADOPTED;
	if (!(p->flags & PL_P_LONG_ZOMBIE) && e->ts >= p->zombie_ts &&
	    e->ts - p->zombie_ts >= m->zombie_ns)
		model_flag_long(m, p, e->ts); /* long already, its old parent's */
	if (!(p->flags & PL_P_LONG_ZOMBIE)) {
		p->zparent = e->new_parent;
		p->zparent_start = e->new_parent_start;
		p->zparent_from = e->ts;
		zlist_due(m, p); /* the adopter's to reap: flagged when long */
	} else if (!p->zparent_until) {
		p->zparent_until = e->ts; /* the parent it is charged to lets it go */
	}
}

static void on_reparent(struct pl_model *m, const struct pl_event *e)
{
	struct pl_proc *p = subject(m, e, false), *np, *old;
	unsigned adopter = (unsigned)e->adopter, was;
	__u32 counted_from;
	bool counted = false;

	if (adopter != PL_ADOPT_THREAD && m->nporph)
		orphan_record_came(m, e->pid, e->start); /* even of one let go since */
	if (!p || adopter == PL_ADOPT_THREAD)
		return; /* the same process still has it: not an orphan */
	learn_name(p, e);
	adopter = adopter_kind(adopter, e->new_parent);
	np = other(m, e->new_parent, e->new_parent_start);
	old = p->parent;
	was = p->adopter;
	counted_from = p->old_parent;
	if (p->flags & PL_P_REPARENT_UNSEEN && old == np) {
		/* the record came after all: the orphaning was counted from a
		 * later record (and told, or still pending: orphan_record_came
		 * cancelled that); what this one says is exact */
		p->flags &= ~(PL_P_REPARENT_UNSEEN | PL_P_REPARENT_TOLD);
		m->c.uncertain[PL_U_REPARENT_UNSEEN]--;
		counted = true;
	} else if ((p->flags & PL_P_ORPHAN) && old == np && p->old_parent == e->old_parent) {
		return; /* told twice */
	}
	p->flags |= PL_P_ORPHAN;
	p->old_parent = e->old_parent;
	p->adopter = (__u8)adopter;
	p->reparent_ts = e->ts;
	if (p->zombie_ts && p->zparent == e->old_parent && p->state == PL_ST_ZOMBIE)
		zombie_adopted(m, p, e);
	if (np && adopter == PL_ADOPT_SUBREAPER)
		np->flags |= PL_P_SUBREAPER;
	copy_ns(p, e);
	if (!counted) {
		count_orphan(m, p, e);
	} else {
		if (was != adopter) {
			COUNT_N(m, p, orphans[was], -1ULL);
			COUNT(m, p, orphans[adopter]);
		}
		agg_orphan_told(m, p, counted_from, adopter);
		/* counted before the middle's exit came (that record is told
		 * at its last switch, the adopter may be named sooner) */
		check_double_fork(m, p, e);
		keep_early_orphan(m, p, e);
	}
	if (old != np) {
		tree_link(p, np);
		model_release(m, old);
	}
}

/* an execve/execveat that failed: the process goes on with what it ran */
static void on_exec_failed(struct pl_model *m, const struct pl_event *e)
{
	struct pl_proc *p = subject(m, e, false);

	if (!p)
		return;
	learn_parent(m, p, e->ppid, e->pstart, e->ts, e->parent_kind);
	context_exec_failed(m, p, e);
}

/* a wait record counts only in logs from before the kernel counted waits */
static void on_wait(struct pl_model *m, const struct pl_event *e)
{
	const struct pl_proc *waiter = table_newest(m, e->pid);

	if (!m->o.waits_from_records)
		return;
	COUNT(m, waiter, waits);
	if (e->flags & PL_F_NOHANG)
		COUNT(m, waiter, nohang_polls);
}

static void on_waits(struct pl_model *m, const struct pl_event *e)
{
	count_waits(m, lookup(m, e->pid, e->start), e);
}

void rules_feed(struct pl_model *m, const struct pl_event *e)
{
	switch (e->kind) {
	case PL_EV_PROC:
		on_proc(m, e);
		break;
	case PL_EV_FORK:
		on_fork(m, e);
		break;
	case PL_EV_EXEC:
		on_exec(m, e);
		break;
	case PL_EV_EXEC_FAILED:
		on_exec_failed(m, e);
		break;
	case PL_EV_EXIT:
		on_exit(m, e);
		break;
	case PL_EV_ZOMBIE:
		on_zombie(m, e);
		break;
	case PL_EV_REAP:
		on_reap(m, e);
		break;
	case PL_EV_FREE:
		on_free(m, e);
		break;
	case PL_EV_REPARENT:
		on_reparent(m, e);
		break;
	case PL_EV_WAIT:
		on_wait(m, e);
		break;
	case PL_EV_WAITS:
		on_waits(m, e);
		break;
	default:
		break;
	}
}
