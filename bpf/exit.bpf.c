// SPDX-License-Identifier: GPL-2.0
/*
 * A thread or process ends (sched_process_exit, before exit_notify): its
 * status, the children it leaves (their new parent is read at its last
 * context switch, switch.bpf.c), and whether its parent ignores SIGCHLD
 * (then the kernel releases it with no signal and no wait).
 */
#include "wait_counts.bpf.h"

/* a released child still on the exiting t's list: t is the adopter that
 * released it, whatever the kernel points it at next (maps.bpf.h: holders).
 * Rare: a global function, which the verifier checks once, not once per
 * pass of the loop that calls it */
__noinline int keep_holder(__u64 child_task, __u64 exiting_task)
{
	struct task_struct *child = (void *)child_task, *t = (void *)exiting_task;
	__u32 pid = BPF_CORE_READ(child, pid);
	struct holder h = { .start = BPF_CORE_READ(child, start_boottime) }, *kept;

	/* the first parent to see it released is the one that released it:
	 * the adopter its end pointed it at, ending too, only saw it go */
	kept = bpf_map_lookup_elem(&holders, &pid);
	if (kept && kept->start == h.start)
		return 0;
	adopter_of(0, t, 0, &h.a);
	bpf_map_update_elem(&holders, &pid, &h, BPF_ANY);
	return 0;
}

/* children move to a new parent in exit_notify, after this tracepoint:
 * remember them now, look at their new parent at the last context switch */
static __always_inline void remember_children(const int m, struct task_struct *t)
{
	__u64 cur, head, pos, child;
	struct exiting *ex;
	struct kid *k;
	__u32 i;

	if (t->children.next == &t->children)
		return; /* nearly every exit */
	ex = exiting_get(m, t, true);
	if (!ex) {
		count(stats, PL_STAT_EXITING_TABLE_FULL, PL_STATS);
		return;
	}
	ex->tgid = t->tgid;
	/* the list walked as plain numbers (t is the current task here), so a
	 * child can be handed to keep_holder() */
	cur = bpf_get_current_task();
	head = cur + bpf_core_field_offset(struct task_struct, children);
	pos = (__u64)BPF_CORE_READ(t, children.next);
	for (i = 0; i < PL_MAX_CHILDREN; i++) {
		if (!pos || pos == head)
			break;
		child = pos - bpf_core_field_offset(struct task_struct, sibling);
		pos = (__u64)BPF_CORE_READ((struct list_head *)pos, next);
		k = &ex->kids[i];
		k->pid = BPF_CORE_READ((struct task_struct *)child, pid);
		k->start = BPF_CORE_READ((struct task_struct *)child, start_boottime);
		k->task = child;
		/* released already: no orphan, and t is who released it */
		k->dead = BPF_CORE_READ((struct task_struct *)child, exit_state) == EXIT_DEAD;
		if (k->dead)
			keep_holder(child, cur);
	}
	ex->n = i;
	if (i == PL_MAX_CHILDREN && pos && pos != head)
		count(stats, PL_STAT_CHILDREN_TRUNCATED, PL_STATS);
}

/*
 * At the process's exit: will no signal announce what exit_notify does to
 * it? Its parent's SIG_IGN releases it unseen (for an exit signal of
 * SIGCHLD, as in the kernel; SA_NOCLDWAIT sends the signal, on_signal tells
 * it); an exit signal of 0 makes it a zombie without any signal. x: its
 * exit, whose parent is kept as the one that may release it.
 */
static __always_inline void expect_silence(const int m, struct task_struct *p,
					   const struct pl_rec_exit_part *x)
{
	struct task_struct *parent = p->real_parent;
	int exit_signal = p->group_leader->exit_signal;
	struct last_words *w;
	__u32 nocldwait, kind;

	if (exit_signal == 0)
		kind = SILENT_ZOMBIE;
	else if (exit_signal == SIGCHLD && releases_children(m, parent, &nocldwait) && !nocldwait)
		kind = AUTOREAP;
	else
		return;
	w = last_words_get(m, p, true);
	if (!w)
		return; /* its free will tell */
	w->start = process_start(m, p);
	w->parent = x->ppid; /* the parent its exit names */
	w->parent_start = x->pstart;
	w->kind = kind;
	w->reported = 0;
}

enum { NOT_LAST, LAST, ALSO_SAW_LAST };

/* without the tracepoint's group_dead: is p the thread that tells its
 * process's end? (core_fixes.bpf.h: the first to see the last one gone;
 * a later one says it saw it too, and was perhaps the last) */
static __always_inline int first_to_see_group_dead(const int m, struct task_struct *p)
{
	__u32 tgid = p->tgid;
	__u64 start, *told;
	__u32 *flag;

	if (!group_dead_from_live(m, p))
		return NOT_LAST;
	if (m & PL_M_BASE) {
		/* alive until the process is released, which is later */
		flag = bpf_task_storage_get(&group_told, p->group_leader, 0,
					    BPF_LOCAL_STORAGE_GET_F_CREATE);
		/* another thread making it at this moment, or this CPU busy
		 * with task storage, fails the making: it may be there now */
		if (!flag)
			flag = bpf_task_storage_get(&group_told, p->group_leader, 0, 0);
		return !flag || __sync_lock_test_and_set(flag, 1) == 0 ? LAST : ALSO_SAW_LAST;
	}
	start = process_start(m, p);
	if (!bpf_map_update_elem(&group_exits, &tgid, &start, BPF_NOEXIST))
		return LAST;
	told = bpf_map_lookup_elem(&group_exits, &tgid);
	if (told && *told == start)
		return ALSO_SAW_LAST;
	/* an earlier life's entry whose free was not seen */
	bpf_map_update_elem(&group_exits, &tgid, &start, BPF_ANY);
	return LAST;
}

/*
 * What the whole process used, as wait4 will report it: the CPU time of its
 * threads that were released (in signal) and of the ones still here, this
 * one and a leader that ended before it; the peak resident set the kernel
 * took from the mm as the last thread began to exit. A thread ending at the
 * same moment, not yet released, adds the little it runs from here on.
 */
static __always_inline void fill_usage(const int m, struct pl_rec_exit_part *x,
				       struct task_struct *p)
{
	struct task_struct *leader = TASK_RD(m, p, group_leader);

	x->cpu_ns = TASK_RD(m, p, signal, sum_sched_runtime) + TASK_RD(m, p, se.sum_exec_runtime);
	x->utime = TASK_RD(m, p, signal, utime) + TASK_RD(m, p, utime);
	x->stime = TASK_RD(m, p, signal, stime) + TASK_RD(m, p, stime);
	if (leader != p) {
		x->cpu_ns += TASK_RD(m, leader, se.sum_exec_runtime);
		x->utime += TASK_RD(m, leader, utime);
		x->stime += TASK_RD(m, leader, stime);
	}
	x->max_rss_pages = TASK_RD(m, p, signal, maxrss);
}

/* an exit that ends its process (the leader's, or the last thread's after
 * it) is kept until its zombie moment (or its last switch) tells both in
 * one record; false: tell it now */
static __always_inline bool keep_exit(const int m, struct task_struct *p,
				      const struct pl_rec_exit_part *x, __u64 ts)
{
	struct zombie z = {};

	z.start = process_start(m, p);
	z.task = (__u64)TASK_RD(m, p, group_leader);
	read_comm(m, z.comm, p);
	z.exit_ts = ts;
	z.exit_tid = p->pid;
	z.exit_rt = TASK_RD(m, p, se.sum_exec_runtime);
	z.exit_cpu = bpf_get_smp_processor_id();
	z.exit = *x;
	return zombie_put(m, p->tgid, &z) == 0;
}

static __always_inline int on_exit_body(const int m, struct task_struct *p, bool group_dead)
{
	struct pl_rec_exit_part x = {};
	struct pl_rec_exit *r;
	int seen = NOT_LAST;
	__u32 flags;
	__u64 ts;

	if (!is_followed(p->tgid, process_start(m, p)))
		return 0;
	/* its moment, before its parent is read: a vCPU held up while this
	 * runs must not date the parent read here after an adoption told
	 * meanwhile, which would then seem to be undone */
	ts = bpf_ktime_get_boot_ns();
	remember_children(m, p);
	if (!(m & PL_M_EXIT_ARG)) {
		seen = first_to_see_group_dead(m, p);
		group_dead = seen == LAST;
	}
	fill_parent(m, &x.ppid, &x.pstart, p);
	x.nice = nice_of(m, p);
	if (group_dead) {
		expect_silence(m, p, &x);
		flags = PL_F_GROUP_DEAD;
		x.status = group_status(m, p);
		take_waits(m, p, process_start(m, p), &x);
		fill_usage(m, &x, p);
		fill_who(m, &x.who, p);
		/* its parent as an adopter (init or a subreaper; 0: any other):
		 * says how it was adopted when the reparent record could not be
		 * told (its old parent's children gone before that one's last
		 * switch, on kernels without the task kfuncs) */
		x.parent_kind = parent_kind_of(m, p);
		if (keep_exit(m, p, &x, ts))
			return 0;
	} else {
		flags = PL_F_THREAD | (seen == ALSO_SAW_LAST ? PL_F_GROUP_RACE : 0);
		x.status = p->exit_code;
		if (p->pid == p->tgid)
			leader_hands_on_waits(m, p);
	}
	r = RESERVE_AT(struct pl_rec_exit, PL_EV_EXIT, ts);
	if (!r)
		return 0;
	fill_task(m, &r->h, p);
	r->h.flags |= flags;
	r->x = x;
	submit(r);
	return 0;
}

/* the tracepoint's argument is a BTF pointer on every kernel: direct loads */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(on_exit, struct task_struct *p, bool group_dead)
{
	return on_exit_body(PL_M_BASE | PL_M_EXIT_ARG, p, group_dead);
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(on_exit_live, struct task_struct *p)
{
	return on_exit_body(PL_M_BASE, p, false);
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(on_exit_compat, struct task_struct *p)
{
	return on_exit_body(PL_M_BTF_TASKS, p, false);
}
