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
	struct pl_rec_proc r = {};

	if (!t || t->pid != t->tgid)
		return 0;
	r.h.kind = PL_EV_PROC;
	r.h.ts = bpf_ktime_get_boot_ns();
	r.h.pid = t->tgid;
	r.h.tid = t->pid;
	r.h.start = t->start_boottime;
	bpf_probe_read_kernel_str(r.h.comm, sizeof(r.h.comm), &t->comm);
	r.ppid = BPF_CORE_READ(t, real_parent, tgid);
	r.pstart = BPF_CORE_READ(t, real_parent, group_leader, start_boottime);
	r.nice = nice_of(M, t);
	r.threads = BPF_CORE_READ(t, signal, nr_threads);
	if (is_subreaper(M, t))
		r.h.flags |= PL_F_SUBREAPER;
	if (t->exit_state == EXIT_ZOMBIE) {
		r.h.flags |= PL_F_ZOMBIE;
		r.status = group_status(M, t);
	} else if (t->flags & PF_EXITING) {
		r.h.flags |= PL_F_EXITED;
	}
	fill_ns(M, &r.ns, t);
	fill_who(M, &r.who, t);
	bpf_seq_write(seq, &r, sizeof(r));
	return 0;
}
