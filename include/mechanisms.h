/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * How the BPF side does what it does on the running kernel. Every hook
 * has program variants compiled for a set of these mechanisms; before load
 * userspace probes the kernel, keeps the first variant of each hook whose
 * mechanisms the kernel offers and switches the others off. Shared by
 * bpf/ (compile-time constants) and src/ (the choice, and the log header).
 */
#ifndef PROCLIFE_MECHANISMS_H
#define PROCLIFE_MECHANISMS_H

enum pl_mech {
	/*
	 * bpf_get_current_task_btf() (5.11), task local storage in tracing
	 * programs (5.12) and BPF atomics such as compare-and-swap (5.12):
	 * together, since the maps they keep (zombie slots, per-thread state)
	 * must be the same in every program. Without them (5.10): CO-RE
	 * probe reads of the current task, and hashes keyed by thread id.
	 */
	PL_M_BASE = 1 << 0,
	/* bpf_task_pt_regs() (5.15): a wait's arguments read from the
	 * syscall's saved registers at its exit; without it, programs at
	 * sys_enter_wait4/waitid keep them per thread */
	PL_M_PT_REGS = 1 << 1,
	/* the kfuncs bpf_task_from_pid()/bpf_task_release() (6.2): an orphan
	 * looked up by pid for its new parent; without them, read through the
	 * task pointer remembered at exit, checked against pid and start time */
	PL_M_KFUNC = 1 << 2,
	/* sched_process_exit's group_dead argument (newer than 6.12, present
	 * in 6.18); without it, the
	 * process's last thread is known from signal->live, and when threads
	 * end at once, the first to see it gone tells the process's exit */
	PL_M_EXIT_ARG = 1 << 3,
	/* io_uring's IORING_OP_WAITID (6.7): its reaps are told from the
	 * request's completion; without it there is no such reap to tell */
	PL_M_IO_WAITID = 1 << 4,
	/* the tracepoint oom/mark_victim: the SIGKILL it follows is told as
	 * the OOM killer's; without it, as the kernel's */
	PL_M_OOM_VICTIM = 1 << 5,
	/* the tracepoints cgroup_mkdir/cgroup_rename: a cgroup's path is told
	 * as it is made, so one removed before userspace looks is still named;
	 * without them, only cgroups still there when it looks are */
	PL_M_CGROUP_NAMES = 1 << 6,
	/* the map element iterator (5.9): the wait counts in the hash by
	 * process are listed at the end through a file opened while the
	 * tracer still has its capabilities (before 5.19, with
	 * kernel.unprivileged_bpf_disabled set, no bpf() call works once they
	 * are dropped); on a kernel that refuses it, the hash is read by bpf()
	 * calls on its file descriptor at the end */
	PL_M_MAP_ITER = 1 << 7,
};

#define PL_M_ALL \
	(PL_M_BASE | PL_M_PT_REGS | PL_M_KFUNC | PL_M_EXIT_ARG | PL_M_IO_WAITID | PL_M_OOM_VICTIM | \
	 PL_M_CGROUP_NAMES | PL_M_MAP_ITER)

#endif /* PROCLIFE_MECHANISMS_H */
