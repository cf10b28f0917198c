// SPDX-License-Identifier: GPL-2.0
/*
 * At the end: the wait counts of the processes still running
 * (wait_counts.bpf.h), listed by two iterators whose files userspace opens
 * while it still may (before 5.19, with kernel.unprivileged_bpf_disabled
 * set, the kernel allows no bpf() call at all once the tracer has dropped
 * its capabilities) and reads when tracing ends. Those of processes that
 * ended were told with their exit.
 */
#include "wait_counts.bpf.h"

static __always_inline void list_counts(struct seq_file *seq, __u32 pid,
					const struct pl_wait_count *c)
{
	struct pl_waits_left r = { .pid = pid, .c = *c };

	bpf_seq_write(seq, &r, sizeof(r));
}

/* with task storage: the counts kept in the leaders */
SEC("iter/task")
int dump_waits(struct bpf_iter__task *ctx)
{
	struct task_struct *t = ctx->task;
	struct pl_wait_count *w, c;

	if (!t || t->pid != t->tgid)
		return 0;
	w = bpf_task_storage_get(&wait_store, t, 0, 0);
	if (!w || !w->waits)
		return 0;
	c = *w;
	c.start = t->start_boottime;
	list_counts(ctx->meta->seq, t->tgid, &c);
	return 0;
}

/* the hash by tgid (attached to wait_counts by userspace) */
SEC("iter/bpf_map_elem")
int dump_wait_hash(struct bpf_iter__bpf_map_elem *ctx)
{
	__u32 *pid = ctx->key;
	struct pl_wait_count *w = ctx->value;

	if (pid && w && w->waits)
		list_counts(ctx->meta->seq, *pid, w);
	return 0;
}
