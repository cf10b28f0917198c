// SPDX-License-Identifier: GPL-2.0
/* Bootstrap: every process alive when tracing starts, in one pass of the
 * task iterator (5.8), read by userspace after the ring buffer is attached
 * so nothing born in between is missed. */
#include "helpers.bpf.h"

#define M PL_M_BTF_TASKS

SEC("iter/task")
int dump_task(struct bpf_iter__task *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct task_struct *t = ctx->task;
	struct pl_event e = {};

	if (!t || t->pid != t->tgid)
		return 0;
	e.kind = PL_EV_PROC;
	e.ts = bpf_ktime_get_boot_ns();
	e.pid = t->tgid;
	e.tid = t->pid;
	e.start = t->start_boottime;
	bpf_probe_read_kernel_str(e.comm, sizeof(e.comm), &t->comm);
	e.ppid = BPF_CORE_READ(t, real_parent, tgid);
	e.pstart = BPF_CORE_READ(t, real_parent, group_leader, start_boottime);
	e.aux = nice_of(M, t);
	e.pid2 = BPF_CORE_READ(t, signal, nr_threads);
	if (is_subreaper(M, t))
		e.flags |= PL_F_SUBREAPER;
	if (t->exit_state == EXIT_ZOMBIE) {
		e.flags |= PL_F_ZOMBIE;
		e.status = group_status(M, t);
	} else if (t->flags & PF_EXITING) {
		e.flags |= PL_F_EXITED;
	}
	fill_ns(M, &e, t);
	bpf_seq_write(seq, &e, sizeof(e));
	return 0;
}
