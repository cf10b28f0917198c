// SPDX-License-Identifier: GPL-2.0
/* Bootstrap: every process alive when tracing starts, in one pass of the
 * task iterator (5.8), read by userspace after the ring buffer is attached
 * so nothing born in between is missed. */
#include "helpers.bpf.h"

/* the iterator's task is a BTF pointer on every kernel: direct loads */
#define M PL_M_BTF_TASKS

/*
 * A zombie already, and followed: kept in the zombie store, so its reap
 * says who it was and the status wait() returns, and counts its time from
 * now (a lower bound). Not one the hooks have stored since they were
 * attached (its exit came meanwhile), nor a second time on a later pass.
 * In the hash, which every variant searches once it holds any. m: the
 * zombie store's mechanism.
 */
static __always_inline void remember_old_zombie(const int m, struct task_struct *t,
						const struct pl_rec_proc *r)
{
	struct task_struct *parent = t->real_parent;
	struct zombie z = {}, *kept;
	__u32 pid = r->h.pid, level;

	if (!is_followed(pid, r->h.start))
		return;
	kept = zombie_find(m, pid);
	if (kept && kept->start == r->h.start)
		return;
	z.parent = r->ppid;
	z.start = r->h.start;
	z.since = r->h.ts;
	z.status = r->status;
	z.wstatus = r->status;
	z.task = (__u64)t;
	z.before = 1;
	__builtin_memcpy(z.comm, r->h.comm, sizeof(z.comm));
	__sync_fetch_and_add(&zombies_in_hash, 1);
	if (bpf_map_update_elem(&zombies, &pid, &z, BPF_ANY)) {
		__sync_fetch_and_add(&zombies_in_hash, -1);
		return;
	}
	/* a parent in a child pid namespace reaps it by the pid it sees */
	level = ns_level_of(M, parent);
	if (level) {
		struct ns_key nk = { .parent = r->ppid, .nr = nr_at_level(t, level) };

		bpf_map_update_elem(&ns_zombies, &nk, &pid, BPF_ANY);
	}
}

static __always_inline int dump_task_body(const int m, struct bpf_iter__task *ctx)
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
	/* a leader whose other threads still run is no zombie yet, though its
	 * exit_state says so: it cannot be reaped */
	if (t->exit_state == EXIT_ZOMBIE && !BPF_CORE_READ(t, signal, live.counter)) {
		r.h.flags |= PL_F_ZOMBIE;
		r.status = group_status(M, t);
	} else if (t->flags & PF_EXITING) {
		r.h.flags |= PL_F_EXITED;
	}
	fill_ns(M, &r.ns, t);
	fill_who(M, &r.who, t);
	if (r.h.flags & PL_F_ZOMBIE)
		remember_old_zombie(m, t, &r);
	bpf_seq_write(seq, &r, sizeof(r));
	return 0;
}

/* with the zombie slots (PL_M_BASE), which a zombie stored since the
 * hooks were attached may be in */
SEC("iter/task")
int dump_task(struct bpf_iter__task *ctx)
{
	return dump_task_body(PL_M_BASE, ctx);
}

SEC("iter/task")
int dump_task_compat(struct bpf_iter__task *ctx)
{
	return dump_task_body(0, ctx);
}
