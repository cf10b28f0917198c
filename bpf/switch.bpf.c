// SPDX-License-Identifier: GPL-2.0
/*
 * A dying thread's last context switch (sched_switch with TASK_DEAD), after
 * exit_notify: the children it left have their new parent now (an orphan's
 * adoption), a process released with no wait (its parent ignores SIGCHLD)
 * is gone, and one whose exit signal is 0 is a zombie no signal announced.
 */
#include "tell.bpf.h"

extern struct task_struct *bpf_task_from_pid(s32 pid) __ksym __weak;
extern void bpf_task_release(struct task_struct *p) __ksym __weak;

static __always_inline void report_reparent(const int rm, struct task_struct *t, __u32 old_tgid,
					    const struct adopter *a)
{
	struct pl_rec_reparent *r = RESERVE(struct pl_rec_reparent, PL_EV_REPARENT);

	if (!r)
		return;
	fill_task(rm, &r->h, t);
	r->old_parent = old_tgid;
	r->new_parent = a->tgid;
	r->new_parent_start = a->start;
	r->adopter = a->kind;
	if (a->kind == PL_ADOPT_THREAD)
		r->h.flags |= PL_F_THREAD;
	fill_ns(rm, &r->ns, t);
	submit(r);
}

/*
 * A zombie the old parent left, released since: handed to an adopter that
 * ignores SIGCHLD (SIG_IGN: no signal; SA_NOCLDWAIT: the signal moved its
 * record), the kernel released it in the old parent's exit_notify, and the
 * adopter auto-reaped it; or, never handed on, its parent's own end reaped
 * it (a pid namespace's init waits in the kernel for the zombies it had,
 * PL_F_AT_EXIT). m: the zombie store's mechanism; rm: how t is read.
 */
static __always_inline void report_release(const int m, const int rm, struct task_struct *t,
					   const struct adopter *a, __u32 flags)
{
	__u32 pid = TASK_RD(rm, t, tgid);
	struct zombie *z = zombie_find(m, pid);

	if (!z || z->reaped || !z->since || z->start != TASK_RD(rm, t, start_boottime))
		return; /* no zombie, or a wait has it */
	tell_released(m, z, pid, a->tgid, a->start, flags);
}

/*
 * A zombie handed on with no signal (a traced one: its tracer is told, not
 * the adopter) still names the old parent: the adopter's wait that reaps
 * it, or the tracer's wait that lets the adopter's SIGCHLD disposition
 * release it, is told against the parent it has now. In a child pid
 * namespace its number there moves with it (old and new parent share the
 * namespace: no subreaper is looked for past its init).
 */
static __always_inline void zombie_adopted_quietly(const int m, const int rm,
						   struct task_struct *t, __u32 old_tgid,
						   const struct adopter *a)
{
	__u32 pid = TASK_RD(rm, t, tgid), level, *g;
	struct zombie *z = zombie_find(m, pid);
	struct ns_key nk = { .parent = old_tgid };

	if (!z || z->reaped || z->parent != old_tgid || a->kind == PL_ADOPT_THREAD ||
	    z->start != TASK_RD(rm, t, start_boottime))
		return;
	level = ns_level_of(rm, TASK_RD(rm, t, real_parent));
	if (level) {
		nk.nr = (__u32)nr_at_level(t, level);
		g = bpf_map_lookup_elem(&ns_zombies, &nk);
		if (g) {
			__u32 child = *g;

			bpf_map_delete_elem(&ns_zombies, &nk);
			nk.parent = a->tgid;
			bpf_map_update_elem(&ns_zombies, &nk, &child, BPF_ANY);
		}
	}
	z->parent = a->tgid;
}

/* t has left the old parent: who has it, and, if the kernel has released
 * it since, did that adopter auto-reap it? */
static __always_inline void report_adoption(const int m, const int rm, struct task_struct *t,
					    __u32 old_tgid)
{
	__u32 pid = TASK_RD(rm, t, tgid);
	struct zombie *z = zombie_find(m, pid);
	struct task_struct *parent;
	struct adopter a;
	struct holder *h;

	/* a zombie whose exit is held (no signal told its adoption: traced,
	 * adopted by a thread of its own parent, or released by its adopter)
	 * is told ending before it is told adopted */
	if (z && z->held && z->start == TASK_RD(rm, t, start_boottime))
		tell_held(m, rm, pid, z, NULL);
	if (TASK_RD(rm, t, exit_state) != EXIT_DEAD) {
		adopter_of(rm, TASK_RD(rm, t, real_parent), old_tgid, &a);
		report_reparent(rm, t, old_tgid, &a);
		if (TASK_RD(rm, t, exit_state) == EXIT_ZOMBIE)
			zombie_adopted_quietly(m, rm, t, old_tgid, &a);
		return;
	}
	/* released: by the adopter that held it at its own exit, if that
	 * one has exited since, else by its real_parent */
	h = bpf_map_lookup_elem(&holders, &pid);
	if (h && h->start == TASK_RD(rm, t, start_boottime)) {
		a = h->a;
	} else {
		parent = TASK_RD(rm, t, real_parent);
		adopter_of(rm, parent, old_tgid, &a);
		/* never handed on, and released by the parent that is ending */
		if (a.tgid == old_tgid && (TASK_RD(rm, parent, flags) & PF_EXITING)) {
			report_release(m, rm, t, &a, PL_F_AT_EXIT);
			return;
		}
		/* released by its old parent a moment before that one's end
		 * pointed it here, as it went: no orphan (its own last switch
		 * tells the release). An adopter that would not release it
		 * has it released only by its wait, after a zombie moment:
		 * its exit kept, or told with no zombie moment, says so */
		if (a.tgid != old_tgid && !a.releases && z && !z->since &&
		    z->start == TASK_RD(rm, t, start_boottime))
			return;
	}
	report_reparent(rm, t, old_tgid, &a);
	if (a.releases)
		report_release(m, rm, t, &a, PL_F_AUTO | (a.nocldwait ? PL_F_NOCLDWAIT : 0));
}

/*
 * The child is looked up by pid and held while it is read (the kfuncs,
 * 6.2). A child the kernel has released since (an adopter that ignores
 * SIGCHLD let it go) is no longer found by pid: it, and every child on
 * kernels without the kfuncs, is read through the pointer remembered at
 * exit, and only if that memory still holds the same (pid, start time). A
 * child freed since then may still hold them: its real_parent is then the
 * adopter that released it, which is the answer.
 */
static __always_inline void check_child(const int m, const struct kid *k, __u32 old_tgid)
{
	struct zombie *z = zombie_find(m, k->pid);
	struct task_struct *t;

	if (k->dead || (z && z->start == k->start &&
			(z->adopt_told == old_tgid || z->adopt_told_before == old_tgid)))
		return; /* released before, or told when its adopter was notified */
	if (m & PL_M_KFUNC) {
		t = bpf_task_from_pid(k->pid);
		if (t) {
			bool same = t->start_boottime == k->start;

			if (same)
				report_adoption(m, m, t, old_tgid);
			bpf_task_release(t);
			if (same)
				return;
		}
	}
	t = (struct task_struct *)k->task;
	if ((__u32)BPF_CORE_READ(t, pid) != k->pid || BPF_CORE_READ(t, start_boottime) != k->start) {
		count(stats, PL_STAT_REPARENT_UNCHECKED, PL_STATS);
		return;
	}
	report_adoption(m, 0, t, old_tgid);
}

/* one child per call of bpf_loop() (5.17, so present with the kfuncs):
 * a bounded loop that takes and drops a task reference in every pass takes
 * the verifier seconds */
struct check {
	struct exiting *ex; /* bpf_loop's context must be on the stack */
};

static long check_kid_kfunc(__u32 i, void *ctx)
{
	struct exiting *ex = ((struct check *)ctx)->ex;
	__u64 idx = i;

	/* a 64-bit index the compiler cannot re-derive: the verifier then sees
	 * the bounds check on the register that indexes */
	asm volatile("" : "+r"(idx));
	if (idx >= ex->n || idx >= PL_MAX_CHILDREN)
		return 1;
	check_child(PL_M_BASE | PL_M_KFUNC, &ex->kids[idx], ex->tgid);
	return 0;
}

/* without the kfuncs (and so perhaps without bpf_loop), a bounded loop
 * calls these: global functions, which the verifier checks once, not once
 * per pass */
__noinline int check_kid_base(__u32 pid, __u64 start, __u64 task, __u32 old_tgid)
{
	struct kid k = { .pid = pid, .start = start, .task = task };

	check_child(PL_M_BASE, &k, old_tgid);
	return 0;
}

__noinline int check_kid_compat(__u32 pid, __u64 start, __u64 task, __u32 old_tgid)
{
	struct kid k = { .pid = pid, .start = start, .task = task };
	check_child(PL_M_BTF_TASKS, &k, old_tgid);
	return 0;
}

static __always_inline void check_children(const int m, struct task_struct *prev)
{
	struct exiting *ex = exiting_get(m, prev, false);
	struct check c = { .ex = ex };
	struct kid *k;
	__u32 i, n;

	if (!ex)
		return; /* nearly every thread: it left no children */
	n = ex->n;
	if (m & PL_M_KFUNC) {
		bpf_loop(PL_MAX_CHILDREN, check_kid_kfunc, &c, 0);
	} else {
		for (i = 0; i < PL_MAX_CHILDREN; i++) {
			if (i >= n)
				break;
			k = &ex->kids[i];
			if (k->dead)
				continue;
			if (m & PL_M_BASE)
				check_kid_base(k->pid, k->start, k->task, ex->tgid);
			else
				check_kid_compat(k->pid, k->start, k->task, ex->tgid);
		}
	}
	/* freed with the thread (task storage), or dropped at its free (the
	 * hash): never here, under the runqueue lock, where freeing an entry
	 * that was allocated on demand calls into RCU, which may want this
	 * CPU's runqueue (5.10 locks up) */
	ex->n = 0;
}

/* the exit kept for this, its thread's last switch: its CPU time read
 * again, whole now */
static __always_inline struct zombie *kept_whole(const int m, struct task_struct *prev, __u32 pid,
						 __u64 start)
{
	struct zombie *kept = kept_exit(m, pid, start);

	if (kept && kept->exit_tid == (__u32)prev->pid)
		usage_now(PL_M_BTF_TASKS, prev, kept);
	return kept;
}

/* SIG_IGN: the process was released in exit_notify, by the parent it had
 * there: read now, since a process adopted while it exits (its parent
 * ended after its exit began) is released by its adopter. But a parent
 * that ends just after the release, while the process is still on its
 * list, points it at the next adopter as it goes: then the one that
 * released it is the one its parent's exit saw it released by (holders),
 * or, when its parent's exit began before the release, the parent its own
 * exit began under, if the one it has now would not have released it.
 * w: its last words, or NULL when its exit did not expect this */
static __always_inline void tell_autoreap(const int m, struct task_struct *prev,
					  struct task_struct *leader, struct last_words *w)
{
	struct task_struct *parent = leader->real_parent;
	struct pl_rec_reap_part rp = {
		.reaper = parent->tgid, .reaper_start = process_start(PL_M_BTF_TASKS, parent),
		.status = group_status(PL_M_BTF_TASKS, prev), .flags = PL_F_AUTO | PL_F_FINAL,
	};
	struct pl_rec h = {};
	struct holder *held;
	__u32 nocldwait;
	bool told;

	if (leader->exit_state != EXIT_DEAD)
		return;
	fill_task(PL_M_BTF_TASKS, &h, leader);
	held = bpf_map_lookup_elem(&holders, &h.pid);
	if (held && held->start == h.start) {
		rp.reaper = held->a.tgid;
		rp.reaper_start = held->a.start;
	} else if (w && w->kind == AUTOREAP && w->parent != rp.reaper &&
		   !releases_children(PL_M_BTF_TASKS, parent, &nocldwait)) {
		rp.reaper = w->parent;
		rp.reaper_start = w->parent_start;
	}
	h.tid = prev->pid;
	told = tell_auto_reap(m, &h, &rp, kept_whole(m, prev, h.pid, h.start));
	/* 1: told, its free need not be; 2: lost, its free will tell */
	if (w)
		w->reported = told ? 1 : 2;
}

/* exit signal 0: a zombie since exit_notify, which no signal announced.
 * One released already was reaped by its parent's wait on another CPU,
 * which tells its zombie moment as it returns (emit_reap) */
static __always_inline void tell_silent_zombie(const int m, struct task_struct *prev,
					       struct task_struct *leader, struct last_words *w)
{
	struct task_struct *parent = leader->real_parent;
	struct pl_rec_zombie_part zn = {};
	__u32 level = ns_level_of(PL_M_BTF_TASKS, parent), pid = leader->tgid, zero = 0;
	struct zombie *z, *kept;

	if (leader->exit_state != EXIT_ZOMBIE)
		return;
	kept = kept_exit(m, pid, w->start);
	if (kept && !claim_kept_exit(m, kept))
		return; /* that wait has it */
	if (kept && kept->exit_tid == (__u32)prev->pid)
		usage_now(PL_M_BTF_TASKS, prev, kept); /* its CPU time whole now */
	z = bpf_map_lookup_elem(&switch_zombie_scratch, &zero);
	if (!z)
		return; /* never: an array's one entry */
	__builtin_memset(z, 0, sizeof(*z));
	w->reported = 1;
	z->start = w->start;
	z->parent = parent->tgid;
	z->status = z->wstatus = group_status(PL_M_BTF_TASKS, prev);
	z->task = (__u64)leader;
	read_comm(PL_M_BTF_TASKS, z->comm, leader);
	zn.tid = prev->pid;
	zn.parent = z->parent;
	zn.parent_start = process_start(PL_M_BTF_TASKS, parent);
	zn.status = z->status;
	tell_zombie(m, pid, z, kept, &zn, level, level ? nr_at_level(leader, level) : 0);
}

/* kept: the exit prev's process ends with, still kept (no moment that
 * follows it has told it), or NULL */
static __always_inline void check_last_words(const int m, struct task_struct *prev,
					     struct zombie *kept)
{
	struct task_struct *leader = prev->group_leader;
	struct last_words *w = last_words_get(m, prev, false);
	bool mine = w && w->start == leader->start_boottime;
	/* exit signal 0 still (an adoption makes it SIGCHLD): never released
	 * in exit_notify, so released by now only in a wait */
	bool silent = mine && w->kind == SILENT_ZOMBIE && !leader->exit_signal;

	if (mine && w->reported)
		return;
	/* released with no zombie moment told: its parent at exit_notify
	 * ignores SIGCHLD, as its exit expected, or as the one that adopted
	 * it while it exited does */
	if (!silent &&
	    ((kept && leader->exit_state == EXIT_DEAD) || (mine && w->kind == AUTOREAP))) {
		tell_autoreap(m, prev, leader, mine ? w : NULL);
		return;
	}
	if (!mine)
		return; /* nearly every thread: nothing to tell */
	if (leader->exit_signal && !kept)
		/* adopted while it exited: the adoption made its exit signal
		 * SIGCHLD, whose sending told its zombie moment */
		w->reported = 1;
	else
		tell_silent_zombie(m, prev, leader, w);
}

/* the exit and zombie moment held for this, the exiting thread's last
 * switch: the scheduler has just added its last stretch to its CPU time.
 * The exit of its process this thread made, if it is still kept (no
 * moment has followed it), is returned: never one whose zombie moment came
 * (since), though a wait on another CPU may be telling it right now (held
 * taken, exit_ts not yet cleared), nor one reaped */
static __always_inline struct zombie *tell_held_exit(const int m, struct task_struct *prev)
{
	__u32 tgid = prev->tgid;
	struct zombie *z = zombie_find(m, tgid);

	if (!z || z->exit_tid != (__u32)prev->pid)
		return NULL;
	if (z->held) {
		tell_held(m, m, tgid, z, prev);
		return NULL;
	}
	if (!z->exit_ts || (z->exit_ts & EXIT_CLAIMED) || z->since || z->reaped ||
	    z->start != prev->group_leader->start_boottime)
		return NULL;
	return z;
}

static __always_inline int on_switch_body(const int m, struct task_struct *prev)
{
	struct zombie *kept;

	if (task_state(prev) != TASK_DEAD)
		return 0;
	kept = tell_held_exit(m, prev); /* before the adoptions of its children */
	check_children(m, prev);
	check_last_words(m, prev, kept);
	return 0;
}

/* prev is a BTF argument on every kernel: direct loads. Its state is read
 * from the task, not from the prev_state argument 5.18 added */
SEC("tp_btf/sched_switch")
int BPF_PROG(on_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	return on_switch_body(PL_M_BASE | PL_M_KFUNC, prev);
}

SEC("tp_btf/sched_switch")
int BPF_PROG(on_switch_probe, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	return on_switch_body(PL_M_BASE, prev);
}

SEC("tp_btf/sched_switch")
int BPF_PROG(on_switch_compat, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	return on_switch_body(PL_M_BTF_TASKS, prev);
}
