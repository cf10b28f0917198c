// SPDX-License-Identifier: GPL-2.0
/*
 * A dying thread's last context switch (sched_switch with TASK_DEAD), after
 * exit_notify: the children it left have their new parent now (an orphan's
 * adoption), and a process released with no wait (its parent ignores
 * SIGCHLD) is gone.
 */
#include "helpers.bpf.h"

extern struct task_struct *bpf_task_from_pid(s32 pid) __ksym __weak;
extern void bpf_task_release(struct task_struct *p) __ksym __weak;

/* rm: how the orphan `t` and what hangs off it are read (core_fixes.bpf.h) */
static __always_inline __u32 adopter_kind(const int rm, struct task_struct *np, __u32 old_tgid)
{
	struct pid *p;
	struct upid up = {};
	__u32 level;

	if ((__u32)TASK_RD(rm, np, tgid) == old_tgid)
		return PL_ADOPT_THREAD;
	if (is_subreaper(rm, np))
		return PL_ADOPT_SUBREAPER;
	p = BPF_CORE_READ(np, thread_pid);
	level = BPF_CORE_READ(p, level);
	if (level >= MAX_PID_NS_LEVEL)
		return PL_ADOPT_OTHER;
	bpf_core_read(&up, sizeof(up), &p->numbers[level]);
	if (BPF_CORE_READ(up.ns, child_reaper) == TASK_RD(rm, np, group_leader))
		return PL_ADOPT_INIT;
	return PL_ADOPT_OTHER;
}

static __always_inline void report_reparent(const int rm, struct task_struct *t, __u32 old_tgid)
{
	struct task_struct *np = TASK_RD(rm, t, real_parent);
	struct pl_event *e = reserve(PL_EV_REPARENT);

	if (!e)
		return;
	fill_task(rm, e, t);
	e->ppid = old_tgid;
	e->pid2 = TASK_RD(rm, np, tgid);
	e->pstart = process_start(rm, np);
	e->aux = adopter_kind(rm, np, old_tgid);
	if (e->aux == PL_ADOPT_THREAD)
		e->flags |= PL_F_THREAD;
	fill_ns(rm, e, t);
	submit(e);
}

/*
 * The child is looked up by pid and held while it is read (the kfuncs, 6.2);
 * without them it is read through the pointer remembered at exit, and only
 * if that memory still holds the same (pid, start time). A child reaped and
 * freed since then may still hold them: its real_parent is then the
 * adopter that reaped it, which is the answer.
 */
static __always_inline void check_child(const int m, const struct kid *k, __u32 old_tgid)
{
	struct task_struct *t;

	if (m & PL_M_KFUNC) {
		t = bpf_task_from_pid(k->pid);
		if (!t) {
			count(stats, PL_STAT_REPARENT_UNCHECKED, PL_STATS);
			return;
		}
		if (t->start_boottime == k->start)
			report_reparent(m, t, old_tgid);
		else
			count(stats, PL_STAT_REPARENT_UNCHECKED, PL_STATS);
		bpf_task_release(t);
		return;
	}
	t = (struct task_struct *)k->task;
	if ((__u32)BPF_CORE_READ(t, pid) != k->pid || BPF_CORE_READ(t, start_boottime) != k->start) {
		count(stats, PL_STAT_REPARENT_UNCHECKED, PL_STATS);
		return;
	}
	report_reparent(0, t, old_tgid);
}

static __always_inline void check_children(const int m, struct task_struct *prev)
{
	struct exiting *ex = exiting_get(m, prev, false);
	__u32 i, n;

	if (!ex)
		return; /* nearly every thread: it left no children */
	n = ex->n;
	for (i = 0; i < PL_MAX_CHILDREN; i++) {
		if (i >= n)
			break;
		check_child(m, &ex->kids[i], ex->tgid);
	}
	/* freed with the thread (task storage), or dropped at its free (the
	 * hash): never here, under the runqueue lock, where freeing an entry
	 * that was allocated on demand calls into RCU, which may want this
	 * CPU's runqueue (5.10 locks up) */
	ex->n = 0;
}

/* SIG_IGN for SIGCHLD: the process was released in exit_notify; its
 * last thread's last switch comes after, and tells it happened */
static __always_inline void check_autoreap(const int m, struct task_struct *prev)
{
	struct task_struct *leader = prev->group_leader;
	struct autoreap *a;
	struct pl_event *e;

	a = autoreap_get(m, prev, false);
	if (!a || a->reported)
		return; /* nearly every thread: none expected */
	if (leader->exit_state != EXIT_DEAD || a->start != leader->start_boottime)
		return;
	e = reserve(PL_EV_REAP);
	/* 1: told, its free need not be; 2: lost, its free will tell */
	a->reported = e ? 1 : 2;
	if (!e)
		return;
	fill_task(PL_M_BTF_TASKS, e, leader);
	e->tid = prev->pid;
	e->ppid = a->parent;
	e->status = group_status(PL_M_BTF_TASKS, prev);
	e->flags |= PL_F_AUTO | PL_F_FINAL;
	submit(e);
}

static __always_inline int on_switch_body(const int m, struct task_struct *prev)
{
	if (task_state(prev) != TASK_DEAD)
		return 0;
	check_children(m, prev);
	check_autoreap(m, prev);
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
