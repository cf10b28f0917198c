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
		__u32 rp = child->real_parent->tgid;

		if (!is_followed(forker) && !is_followed(rp))
			return 0;
		if (!thread)
			follow(child->tgid);
	}
	r = RESERVE(struct pl_rec_fork, PL_EV_FORK);
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
	r->nice = nice_of(M, child);
	fill_ns(M, &r->ns, child);
	submit(r);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(on_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct pl_rec_exec *r;
	__u32 zero = 0, size;
	long n;

	if (!is_followed(p->tgid))
		return 0;
	r = bpf_map_lookup_elem(&exec_scratch, &zero);
	if (!r)
		return 0;
	__builtin_memset(r, 0, __builtin_offsetof(struct pl_rec_exec, filename));
	head_init(&r->h, PL_EV_EXEC);
	fill_task(M, &r->h, p);
	fill_parent(M, &r->ppid, &r->pstart, p);
	r->old_tid = old_pid;
	r->nice = nice_of(M, p);
	fill_ns(M, &r->ns, p);
	n = bpf_probe_read_kernel_str(r->filename, sizeof(r->filename), bprm->filename);
	if (n <= 0) {
		r->filename[0] = 0;
		n = 1;
	}
	if (n == sizeof(r->filename))
		r->h.flags |= PL_F_TRUNCATED;
	r->filename_len = n;
	/* the record up to its name's NUL */
	size = __builtin_offsetof(struct pl_rec_exec, filename) + n;
	if (size > sizeof(*r))
		size = sizeof(*r);
	if (bpf_ringbuf_output(&events, r, size, wakeup_flag()))
		count_lost(PL_EV_EXEC);
	return 0;
}
