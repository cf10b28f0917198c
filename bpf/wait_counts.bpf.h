/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every wait call a process makes is counted as it returns (wait.bpf.c)
 * and told with the process's exit (exit.bpf.c); userspace reads the
 * counts of the processes still running at the end.
 *
 * With task storage (PL_M_BASE) the counts live in the process's leader:
 * found with no hashing, and nothing to look up at the exit of the many
 * processes that never wait. A leader that ends before its process (it
 * called pthread_exit, or another thread's exec releases it) hands its
 * counts to the hash by tgid, which then takes the process's later waits,
 * as it takes init's; a global count of the hash's entries lets every
 * other exit skip it. Without task storage the hash holds them all.
 */
#ifndef PROCLIFE_WAIT_COUNTS_BPF_H
#define PROCLIFE_WAIT_COUNTS_BPF_H

#include "helpers.bpf.h"

/* the hash's entry for this life of tgid, made if there is none. Made
 * with NOEXIST: two threads that both found none (a leader handing on, a
 * thread counting) make it once, and neither replaces what the other
 * counted; an earlier life's entry is replaced only if still there */
static __always_inline struct pl_wait_count *wait_count_entry(const int m, __u32 tgid, __u64 start)
{
	struct pl_wait_count *w = bpf_map_lookup_elem(&wait_counts, &tgid), fresh = { .start = start };

	if (w && w->start == start)
		return w;
	if (!bpf_map_update_elem(&wait_counts, &tgid, &fresh, w ? BPF_EXIST : BPF_NOEXIST) &&
	    (m & PL_M_BASE) && !w)
		__sync_fetch_and_add(&waits_in_hash, 1);
	w = bpf_map_lookup_elem(&wait_counts, &tgid);
	return w && w->start == start ? w : NULL;
}

/* a wait call returns in cur's process. Init's go to the hash: some
 * kernels' task iterator never visits pid 1, and the end lists the
 * leaders' counts through it */
static __always_inline void count_wait(const int m, struct task_struct *cur, __u32 tgid,
				       bool nohang)
{
	struct pl_wait_count *w;

	if (m & PL_M_BASE) {
		struct task_struct *leader = cur->group_leader;

		if (!(leader->flags & PF_EXITING) && tgid != 1)
			w = bpf_task_storage_get(&wait_store, leader, 0,
						 BPF_LOCAL_STORAGE_GET_F_CREATE);
		else
			w = wait_count_entry(m, tgid, leader->start_boottime);
	} else {
		w = wait_count_entry(m, tgid, process_start(m, cur));
	}
	if (!w)
		return;
	__sync_fetch_and_add(&w->waits, 1);
	if (nohang)
		__sync_fetch_and_add(&w->nohang_polls, 1);
}

/*
 * The leader p ends before its process (pthread_exit, or another thread's
 * exec, which then releases it): its counts go to the hash, which takes
 * the process's later waits too. Not when the whole process is ending
 * (exit_group, a fatal signal): its last thread reads the leader's
 * storage, which lives until the process is released.
 */
static __always_inline void leader_hands_on_waits(const int m, struct task_struct *p)
{
	struct pl_wait_count *kept, *w;
	__u32 waits, polls;

	if (!(m & PL_M_BASE) || (p->signal->flags & SIGNAL_GROUP_EXIT))
		return;
	kept = bpf_task_storage_get(&wait_store, p, 0, 0);
	if (!kept || !kept->waits)
		return;
	w = wait_count_entry(m, p->tgid, p->start_boottime);
	if (!w)
		return;
	/* taken by exchange: a wait counted meanwhile is either taken here
	 * or left for the last thread's exit */
	waits = __sync_lock_test_and_set(&kept->waits, 0);
	polls = __sync_lock_test_and_set(&kept->nohang_polls, 0);
	__sync_fetch_and_add(&w->waits, waits);
	__sync_fetch_and_add(&w->nohang_polls, polls);
}

/* the process of p (its last thread) ends: its counts, for its exit record */
static __always_inline void take_waits(const int m, struct task_struct *p, __u64 start,
				       struct pl_rec_exit_part *x)
{
	__u32 tgid = TASK_RD(m, p, tgid);
	struct pl_wait_count *w;

	if (m & PL_M_BASE) {
		w = bpf_task_storage_get(&wait_store, p->group_leader, 0, 0);
		if (w) {
			/* zero: the end's listing skips it */
			x->waits = __sync_lock_test_and_set(&w->waits, 0);
			x->nohang_polls = __sync_lock_test_and_set(&w->nohang_polls, 0);
		}
		if (!waits_in_hash)
			return; /* nearly always */
	}
	w = bpf_map_lookup_elem(&wait_counts, &tgid);
	if (!w)
		return;
	if (w->start == start) {
		x->waits += w->waits;
		x->nohang_polls += w->nohang_polls;
	}
	if (!bpf_map_delete_elem(&wait_counts, &tgid) && (m & PL_M_BASE))
		__sync_fetch_and_add(&waits_in_hash, -1);
}

#endif /* PROCLIFE_WAIT_COUNTS_BPF_H */
