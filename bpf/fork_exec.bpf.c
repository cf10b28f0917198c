// SPDX-License-Identifier: GPL-2.0
/* A process or thread is born (sched_process_fork) or runs a new program
 * (sched_process_exec). Their arguments are BTF pointers on every kernel:
 * one program each. */
#include "helpers.bpf.h"

#define M PL_M_BTF_TASKS

SEC("tp_btf/sched_process_fork")
int BPF_PROG(on_fork, struct task_struct *parent, struct task_struct *child)
{
	bool thread = child->pid != child->tgid;
	__u32 forker = parent->tgid;
	struct pl_event *e;

	if (follow_only) {
		/* CLONE_PARENT makes the child a sibling: follow by either */
		__u32 rp = child->real_parent->tgid;

		if (!is_followed(forker) && !is_followed(rp))
			return 0;
		if (!thread)
			follow(child->tgid);
	}
	e = reserve(PL_EV_FORK);
	if (!e)
		return 0;
	fill_task(M, e, child);
	if (thread) {
		e->flags |= PL_F_THREAD;
		e->ppid = forker;
		e->pstart = e->start;
	} else {
		fill_parent(M, e, child);
	}
	e->aux = nice_of(M, child);
	fill_ns(M, e, child);
	submit(e);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(on_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct pl_event *e;
	long n;

	if (!is_followed(p->tgid))
		return 0;
	e = reserve(PL_EV_EXEC);
	if (!e)
		return 0;
	fill_task(M, e, p);
	fill_parent(M, e, p);
	e->pid2 = old_pid;
	n = bpf_probe_read_kernel_str(e->filename, sizeof(e->filename), bprm->filename);
	if (n == sizeof(e->filename))
		e->flags |= PL_F_TRUNCATED;
	e->aux = nice_of(M, p);
	fill_ns(M, e, p);
	submit(e);
	return 0;
}
