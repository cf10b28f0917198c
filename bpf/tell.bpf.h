/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Records about a process's end that more than one hook tells: its exit,
 * kept from the exit tracepoint (exit.bpf.c) until the moment that follows
 * it in the same task, its zombie moment or its auto-reap, tells both in
 * one record; or told alone when no such moment follows. An exit and its
 * zombie moment are held on to the exiting thread's last switch, where its
 * CPU time is whole (tell_held).
 */
#ifndef PROCLIFE_TELL_BPF_H
#define PROCLIFE_TELL_BPF_H

#include "helpers.bpf.h"

/* in a kept exit's exit_ts: one hook has taken it to tell (claim_kept_exit) */
#define EXIT_CLAIMED (1ULL << 63)

/* the head of the exit record a kept exit (exit.bpf.c) becomes */
static __always_inline void exit_head(struct pl_rec *h, __u32 pid, const struct zombie *z)
{
	h->ts = z->exit_ts & ~EXIT_CLAIMED;
	h->start = z->start;
	h->pid = pid;
	h->tid = z->exit_tid;
	h->flags = PL_F_GROUP_DEAD;
	h->cpu = z->exit_cpu;
	__builtin_memcpy(h->comm, z->comm, PL_COMM_LEN);
}

/* a kept exit told alone: no moment that could tell it too follows */
static __always_inline void tell_kept_exit(__u32 pid, struct zombie *z)
{
	struct pl_rec_exit *r;

	if (!z->exit_ts)
		return;
	r = RESERVE(struct pl_rec_exit, PL_EV_EXIT);
	if (r) {
		exit_head(&r->h, pid, z);
		r->x = z->exit;
		submit(r);
	}
	z->exit_ts = 0;
}

/* the record of pid's exit kept until now, if it is this life's (and not
 * held with its zombie moment: tell_held tells that) */
static __always_inline struct zombie *kept_exit(const int m, __u32 pid, __u64 start)
{
	struct zombie *z = zombie_find(m, pid);

	return z && z->start == start && z->exit_ts && !(z->exit_ts & EXIT_CLAIMED) && !z->held ?
		       z :
		       NULL;
}

/*
 * A kept exit that two hooks on two CPUs may tell at once (a zombie no
 * signal announced: its last switch, and the wait that reaps it) is taken
 * first, once: false when another hook has it. With PL_M_BASE's atomics a
 * compare-and-swap; before them (5.10, 5.11) the two may both tell it.
 */
static __always_inline bool claim_kept_exit(const int m, struct zombie *z)
{
	__u64 ts = z->exit_ts;

	if (!ts || (ts & EXIT_CLAIMED))
		return false;
	if (m & PL_M_BASE)
		return __sync_val_compare_and_swap(&z->exit_ts, ts, ts | EXIT_CLAIMED) == ts;
	z->exit_ts = ts | EXIT_CLAIMED;
	return true;
}

/*
 * The CPU time of a process whose last thread t stops for good, as wait4
 * reports it: the sum its released threads left in its signal struct, and
 * its leader's own while the leader is not released (nr_threads counts the
 * threads not released, the leader last; its release adds its sum to the
 * signal struct's); a thread other than the leader not released yet (a
 * traced one) adds its own. Read under the struct's sequence count, as the
 * kernel's own readers do, so a release on another CPU is never half seen.
 * Into z's exit; rm: how t is read.
 */
static __always_inline void usage_now(const int rm, struct task_struct *t, struct zombie *z)
{
	struct pl_rec_exit_part *x = &z->exit;
	struct task_struct *leader = TASK_RD(rm, t, group_leader);
	struct signal_struct *sig = TASK_RD(rm, t, signal);
	bool t_own = leader != t && TASK_RD(rm, t, exit_state) != EXIT_DEAD;
	__u64 cpu, ut, st;
	unsigned seq;

	for (int i = 0; i < 16; i++) {
		seq = BPF_CORE_READ(sig, stats_lock.seqcount.seqcount.sequence);
		if (seq & 1)
			continue;
		cpu = BPF_CORE_READ(sig, sum_sched_runtime);
		ut = BPF_CORE_READ(sig, utime);
		st = BPF_CORE_READ(sig, stime);
		if (BPF_CORE_READ(sig, nr_threads)) {
			cpu += TASK_RD(rm, leader, se.sum_exec_runtime);
			ut += TASK_RD(rm, leader, utime);
			st += TASK_RD(rm, leader, stime);
		}
		if (t_own) {
			cpu += TASK_RD(rm, t, se.sum_exec_runtime);
			ut += TASK_RD(rm, t, utime);
			st += TASK_RD(rm, t, stime);
		}
		if (BPF_CORE_READ(sig, stats_lock.seqcount.seqcount.sequence) == seq) {
			x->cpu_ns = cpu;
			x->utime = ut;
			x->stime = st;
			return;
		}
	}
	/* a release on another CPU that would not settle (its CPU stopped
	 * under it): the use read at the exit, and what the exiting thread has
	 * run since */
	if (TASK_RD(rm, t, pid) == (int)z->exit_tid) {
		cpu = TASK_RD(rm, t, se.sum_exec_runtime);
		if (cpu > z->exit_rt)
			x->cpu_ns += cpu - z->exit_rt;
		z->exit_rt = cpu;
	}
}

/* takes a held exit and zombie moment to tell it: false when another hook
 * has taken it */
static __always_inline bool take_held(const int m, __u32 pid, struct zombie *z)
{
	if (m & PL_M_BASE)
		return __sync_val_compare_and_swap(&z->held, 1, 0) == 1;
	if (bpf_map_delete_elem(&held_exits, &pid))
		return false;
	z->held = 0;
	return true;
}

/*
 * A held exit and zombie moment (hold_zombie) told, once, by the first hook
 * to take it (m: the zombie store's mechanism). The record is reserved
 * before it is taken: a hook that finds it taken, and goes on to tell what
 * follows (the reap), is then behind it in the ring. t: the process's last
 * thread, whose use is read again (rm: how), or NULL to tell the use read
 * at the exit.
 */
static __always_inline void tell_held(const int m, const int rm, __u32 pid, struct zombie *z,
				      struct task_struct *t)
{
	struct pl_rec_exit_zombie *both;

	if (!z->held)
		return;
	both = bpf_ringbuf_reserve(&events, sizeof(*both), 0);
	if (!both) {
		if (take_held(m, pid, z)) {
			z->exit_ts = 0;
			count_lost(PL_REC_EXIT_ZOMBIE);
		}
		return;
	}
	if (!take_held(m, pid, z)) {
		bpf_ringbuf_discard(both, 0); /* another hook took it */
		return;
	}
	if (t)
		usage_now(rm, t, z);
	__builtin_memset(both, 0, sizeof(*both));
	head_init(&both->h, PL_REC_EXIT_ZOMBIE, 0);
	exit_head(&both->h, pid, z);
	both->x = z->exit;
	both->z = z->zn;
	z->exit_ts = 0;
	submit(both);
}

/*
 * The zombie moment of a process whose exit is kept (kept), held with that
 * exit in z until the last switch of the thread that exits (tell_held):
 * false when it cannot be held, and is to be told now.
 */
static __always_inline bool hold_zombie(const int m, __u32 child, struct zombie *z,
					const struct zombie *kept, struct pl_rec_zombie_part *zn,
					__u32 level, int si_pid)
{
	__u64 start = z->start;

	if (!(m & PL_M_BASE) && bpf_map_update_elem(&held_exits, &child, &start, BPF_ANY))
		return false;
	zn->ts = bpf_ktime_get_boot_ns();
	z->since = zn->ts;
	z->zn = *zn;
	z->exit_ts = kept->exit_ts;
	z->exit_tid = kept->exit_tid;
	z->exit_cpu = kept->exit_cpu;
	z->exit = kept->exit;
	z->exit_rt = kept->exit_rt;
	z->held = 1;
	if (zombie_put(m, child, z)) {
		if (!(m & PL_M_BASE))
			bpf_map_delete_elem(&held_exits, &child);
		z->held = 0;
		z->exit_ts = 0;
		return false;
	}
	remember_ns_name(z, child, level, si_pid);
	return true;
}

/* a kept exit (kept, of process pid) and its zombie moment zn in one
 * record, the moment at the record's time (set in zn): the reap's
 * zombie_ns is then exactly reap.ts - zombie.ts */
static __always_inline void fill_exit_zombie(struct pl_rec_exit_zombie *both, __u32 pid,
					     const struct zombie *kept,
					     struct pl_rec_zombie_part *zn)
{
	zn->ts = both->h.ts;
	exit_head(&both->h, pid, kept);
	both->x = kept->exit;
	both->z = *zn;
}

/* the zombie moment, told with the process's exit when that is kept */
static __always_inline void tell_zombie(const int m, __u32 child, struct zombie *z,
					struct zombie *kept, struct pl_rec_zombie_part *zn,
					__u32 level, int si_pid)
{
	struct pl_rec_exit_zombie *both;
	struct pl_rec_zombie *r;

	if (kept) {
		both = RESERVE(struct pl_rec_exit_zombie, PL_REC_EXIT_ZOMBIE);
		if (!both) {
			z->since = bpf_ktime_get_boot_ns();
			remember_zombie(m, child, z, level, si_pid);
			return;
		}
		fill_exit_zombie(both, child, kept, zn);
		z->since = zn->ts;
		remember_zombie(m, child, z, level, si_pid); /* over the kept exit */
		submit(both);
		return;
	}
	r = RESERVE(struct pl_rec_zombie, PL_EV_ZOMBIE);
	if (!r) {
		z->since = bpf_ktime_get_boot_ns();
		remember_zombie(m, child, z, level, si_pid);
		return;
	}
	r->h.pid = child;
	r->h.tid = zn->tid;
	r->h.start = z->start;
	__builtin_memcpy(r->h.comm, z->comm, sizeof(r->h.comm));
	zn->ts = r->h.ts;
	r->z = *zn;
	z->since = zn->ts;
	remember_zombie(m, child, z, level, si_pid);
	submit(r);
}

/*
 * A zombie no signal announced (exit signal 0) whose parent's wait reaps it
 * before its last switch could tell it: its kept exit (z, of process pid,
 * claimed) and its zombie moment told now, in place, for the reap to
 * follow them.
 */
static __always_inline void tell_silent_zombie_at_reap(__u32 pid, struct zombie *z, __u32 parent,
						       __u64 parent_start)
{
	struct pl_rec_exit_zombie *both = RESERVE(struct pl_rec_exit_zombie, PL_REC_EXIT_ZOMBIE);
	struct pl_rec_zombie_part zn = {
		.parent_start = parent_start,
		.parent = parent,
		.status = z->exit.status,
		.tid = z->exit_tid,
	};

	z->parent = parent;
	z->status = z->wstatus = z->exit.status;
	if (both) {
		fill_exit_zombie(both, pid, z, &zn);
		z->since = zn.ts;
		submit(both);
	} else {
		z->since = bpf_ktime_get_boot_ns();
	}
	z->exit_ts = 0;
}

/*
 * A zombie the kernel has released (z, of process pid) told as reaped by
 * reaper at this moment: flags say how (PL_F_AUTO, PL_F_AT_EXIT...); the
 * reap is final, and its free is not told. False when the record is lost:
 * the free tells it.
 */
static __always_inline bool tell_released(const int m, struct zombie *z, __u32 pid,
					  __u32 reaper, __u64 reaper_start, __u32 flags)
{
	struct pl_rec_reap *r;

	tell_held(m, 0, pid, z, NULL); /* its exit and zombie moment come first */
	r = RESERVE(struct pl_rec_reap, PL_EV_REAP);
	if (!r)
		return false;
	z->reaped = 1;
	r->h.pid = pid;
	r->h.tid = pid;
	r->h.start = z->start;
	__builtin_memcpy(r->h.comm, z->comm, sizeof(r->h.comm));
	r->h.flags |= PL_F_FINAL | flags;
	if (z->before)
		r->h.flags |= PL_F_ZOMBIE; /* counted from the bootstrap: at least */
	r->r.reaper = reaper;
	r->r.reaper_start = reaper_start;
	r->r.status = z->wstatus;
	if (z->since)
		r->r.zombie_ns = r->h.ts - z->since;
	submit(r);
	return true;
}

/*
 * An auto-reap (the parent ignores SIGCHLD, or has SA_NOCLDWAIT), told with
 * the process's exit when that is kept. rp: the reap (its time is set
 * here); h: whose it is. False when the record is lost: the kept exit
 * stays, for the free to tell with the release.
 */
static __always_inline bool tell_auto_reap(const int m, const struct pl_rec *h,
					   struct pl_rec_reap_part *rp, struct zombie *kept)
{
	struct pl_rec_exit_reap *both;
	struct pl_rec_reap *r;

	if (kept) {
		both = RESERVE(struct pl_rec_exit_reap, PL_REC_EXIT_REAP);
		if (!both)
			return false;
		rp->ts = both->h.ts;
		exit_head(&both->h, h->pid, kept);
		both->x = kept->exit;
		both->r = *rp;
		kept->exit_ts = 0;
		kept->reaped = 1;
		submit(both);
		return true;
	}
	r = RESERVE(struct pl_rec_reap, PL_EV_REAP);
	if (!r)
		return false;
	rp->ts = r->h.ts;
	r->h.pid = h->pid;
	r->h.tid = h->tid;
	r->h.start = h->start;
	r->h.flags = rp->flags;
	__builtin_memcpy(r->h.comm, h->comm, sizeof(r->h.comm));
	r->r = *rp;
	submit(r);
	return true;
}

#endif /* PROCLIFE_TELL_BPF_H */
