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
	struct pl_rec_fork *r;

	if (follow_only) {
		/* CLONE_PARENT makes the child a sibling: follow by either */
		struct task_struct *rp = child->real_parent;

		if (!is_followed(forker, process_start(M, parent)) &&
		    !is_followed(rp->tgid, process_start(M, rp)))
			return 0;
		if (!thread)
			follow(child->tgid, child->start_boottime);
	}
	/* the birth's moment is the child's start, which the kernel has just
	 * read from the clock: no second reading */
	r = RESERVE_AT(struct pl_rec_fork, PL_EV_FORK, child->start_boottime);
	if (!r)
		return 0;
	fill_task(M, &r->h, child);
	if (thread) {
		r->h.flags |= PL_F_THREAD;
		r->ppid = forker;
		r->pstart = r->h.start;
	} else {
		fill_parent(M, &r->ppid, &r->pstart, child);
	}
	r->creator = !thread && r->ppid != forker ? forker : 0;
	r->pad = 0;
	r->nice = nice_of(M, child);
	fill_ns(M, &r->ns, child);
	fill_who(M, &r->who, child);
	submit(r);
	return 0;
}

/* the new program's arguments, as the kernel laid them out on its stack
 * (what /proc/PID/cmdline shows) */
static __always_inline void read_args(struct pl_rec_exec *r, struct task_struct *p, __u32 off)
{
	__u64 from = p->mm->arg_start, to = p->mm->arg_end;
	__u64 len = to > from ? to - from : 0;

	if (len > PL_REC_ARGS_MAX) {
		len = PL_REC_ARGS_MAX;
		r->h.flags |= PL_F_ARGS_TRUNCATED;
	}
	if (off > PL_REC_FILENAME_MAX || !len)
		return;
	if (bpf_probe_read_user(&r->data[off], len, (void *)from))
		return; /* not readable: no arguments told rather than wrong ones */
	r->args_len = len;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(on_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct pl_rec_exec *r;
	long n;

	if (!is_followed(p->tgid, process_start(M, p)))
		return 0;
	r = exec_record(PL_EV_EXEC);
	if (!r)
		return 0;
	fill_task(M, &r->h, p);
	fill_parent(M, &r->ppid, &r->pstart, p);
	r->old_tid = old_pid;
	r->nice = nice_of(M, p);
	fill_ns(M, &r->ns, p);
	fill_who(M, &r->who, p);
	n = bpf_probe_read_kernel_str(r->data, PL_REC_FILENAME_MAX, bprm->filename);
	exec_record_name(r, n);
	read_args(r, p, r->filename_len);
	exec_record_send(r);
	return 0;
}
