// SPDX-License-Identifier: GPL-2.0
/*
 * A task is freed (sched_process_free, an RCU grace period after its
 * release): the catch-all for reaps no wait showed. Told only when no reap
 * record already said the task was released.
 */
#include "tell.bpf.h"

/* without task storage, per-thread entries by thread id end here */
static __always_inline void forget_thread(const int m, __u32 tid)
{
	if (m & PL_M_BASE)
		return; /* task storage is freed with the task */
	bpf_map_delete_elem(&exitings_by_tid, &tid);
	bpf_map_delete_elem(&last_words_by_tid, &tid);
	bpf_map_delete_elem(&wait_args, &tid);
}

static __always_inline int on_free_body(const int m, struct task_struct *p)
{
	__u32 tgid = p->tgid, tid = p->pid;
	struct last_words *w;
	struct zombie *z;
	struct pl_rec_free *r;
	__u64 start = p->start_boottime;
	bool told;

	if (tid != tgid) {
		forget_thread(m, tid);
		return 0; /* a thread: its exit said all there is */
	}
	z = zombie_find(m, tgid);
	if (z && z->start == start) {
		/* held for a last switch no hook saw, its use whole now */
		tell_held(m, m, tgid, z, p);
		/* an exit kept for a moment that never came (a record lost) */
		tell_kept_exit(tgid, z);
		told = z->reaped;
		zombie_drop(m, tgid, z);
		if (told)
			goto out; /* its reap record was final */
	}
	if (!is_followed(tgid, start))
		goto out;
	w = last_words_get(m, p, false);
	if (w && w->kind == AUTOREAP && w->reported == 1 && w->start == start)
		goto out; /* its auto-reap was told */
	r = RESERVE(struct pl_rec_free, PL_EV_FREE);
	if (r) {
		r->h.pid = tgid;
		r->h.tid = tgid;
		r->h.start = start;
		read_comm(m, r->h.comm, p);
		r->status = group_status(m, p);
		submit(r);
	}
out:
	forget_thread(m, tid);
	if (!(m & PL_M_BASE))
		bpf_map_delete_elem(&group_exits, &tgid);
	if (follow_only)
		unfollow(tgid, start);
	return 0;
}

/* the argument is a BTF pointer on every kernel: direct loads */
SEC("tp_btf/sched_process_free")
int BPF_PROG(on_free, struct task_struct *p)
{
	return on_free_body(PL_M_BASE, p);
}

SEC("tp_btf/sched_process_free")
int BPF_PROG(on_free_compat, struct task_struct *p)
{
	return on_free_body(PL_M_BTF_TASKS, p);
}
