// SPDX-License-Identifier: GPL-2.0
/*
 * The zombie moment: do_notify_parent() sends SIGCHLD under tasklist_lock
 * (signal_generate, in the exiting task). Its status is the one wait()
 * will report; a zombie handed to a new parent is notified again.
 */
#include "tell.bpf.h"
#include "kill.bpf.h"

/*
 * An orphaned zombie, told here, as the kernel notifies its adopter: later,
 * at its old parent's last switch, the adopter may have reaped it and the
 * kernel freed it, and nothing would be left to read.
 */
static __always_inline void tell_zombie_adopted(const int m, struct zombie *z, __u32 child,
						__u32 old_tgid, struct task_struct *adopter)
{
	struct pl_rec_reparent *r;
	struct adopter a;

	adopter_of(m, adopter, old_tgid, &a);
	r = RESERVE(struct pl_rec_reparent, PL_EV_REPARENT);
	if (!r)
		return; /* the last switch tries again */
	z->adopt_told_before = z->adopt_told;
	z->adopt_told = old_tgid;
	r->h.pid = child;
	r->h.tid = child;
	r->h.start = z->start;
	__builtin_memcpy(r->h.comm, z->comm, sizeof(r->h.comm));
	r->old_parent = old_tgid;
	r->new_parent = a.tgid;
	r->new_parent_start = a.start;
	r->adopter = a.kind;
	fill_ns(0, &r->ns, (struct task_struct *)z->task);
	submit(r);
	/* an adopter with SA_NOCLDWAIT is signalled, and the kernel releases
	 * the zombie as it does (one that ignores SIGCHLD is not signalled:
	 * the old parent's last switch tells that release) */
	if (a.releases)
		tell_released(m, z, child, a.tgid, a.start,
			      PL_F_AUTO | (a.nocldwait ? PL_F_NOCLDWAIT : 0));
}

/* the dying thread hands a zombie child to a new parent: the kernel
 * notifies the adopter again; move the record, and tell the adoption (not
 * when a tracer that exits hands a zombie back to its own parent) */
static __always_inline void zombie_handed_on(const int m, __u32 cur_tgid, int si_pid, __u32 level,
					     struct task_struct *target, __u32 ptgid)
{
	struct ns_key nk = { .parent = cur_tgid, .nr = si_pid };
	struct zombie *old;
	__u32 child = si_pid, *g;

	if (level) {
		g = bpf_map_lookup_elem(&ns_zombies, &nk);
		if (!g)
			return;
		child = *g;
		bpf_map_delete_elem(&ns_zombies, &nk);
		nk.parent = ptgid;
		bpf_map_update_elem(&ns_zombies, &nk, &child, BPF_ANY);
	}
	old = zombie_find(m, child);
	if (!old)
		return;
	tell_held(m, 0, child, old, NULL); /* its exit and zombie moment come first */
	/* a zombie orphaned again (its adopter ends too) is told adopted again */
	if (old->parent == cur_tgid && ptgid != cur_tgid && old->adopt_told != cur_tgid)
		tell_zombie_adopted(m, old, child, cur_tgid, target);
	old->parent = ptgid;
}

/*
 * Its own exit is signalled to its parent: the kernel did not release it
 * unseen in exit_notify, whatever its exit expected from the parent it had
 * as it began (one that ignored SIGCHLD, since gone: an adopter is
 * notified instead). Its last switch must not tell that release, even once
 * the adopter's wait has reaped it.
 */
static __always_inline void no_silent_release(const int m, struct task_struct *cur, __u64 start)
{
	struct last_words *w = last_words_get(m, cur, false);

	if (w && w->kind == AUTOREAP && w->start == start)
		w->kind = 0;
}

static __always_inline int on_signal_body(const int m, int sig, struct kernel_siginfo *info,
					  struct task_struct *target, int result)
{
	struct task_struct *cur, *parent;
	struct pl_rec_zombie_part zn = {};
	struct sigchld_info si;
	struct zombie z = {}, *kept;
	__u32 level, child, ptgid, cur_tgid, tid;
	int si_pid, nr;
	bool nocldwait;

	if (sig != SIGCHLD)
		tell_kill(m, sig, info, target, result);
	cur = current_task(m);
	/* the exit signal the child chose (clone's, or SIGCHLD); a zombie
	 * handed to a new parent is announced with SIGCHLD */
	if (sig != SIGCHLD && sig != TASK_RD(m, cur, group_leader, exit_signal))
		return 0;
	if (!(TASK_RD(m, cur, flags) & PF_EXITING) || !read_sigchld(info, &si))
		return 0;
	if (si.code < CLD_EXITED || si.code > CLD_DUMPED)
		return 0;
	si_pid = si.pid;
	level = ns_level_of(m, target);
	ptgid = TASK_RD(m, target, tgid);
	cur_tgid = current_tgid(m, cur);
	/* in the initial namespace the parent sees the global pid: the tgid */
	nr = level ? nr_at_level(cur, level) : (int)cur_tgid;
	if (nr != si_pid) {
		zombie_handed_on(m, cur_tgid, si_pid, level, target, ptgid);
		return 0;
	}

	child = cur_tgid;
	z.start = process_start(m, cur);
	no_silent_release(m, cur, z.start);
	if (!is_followed(child, z.start))
		return 0;
	/* its own exit, told to its parent, or first to a tracer whose wait only
	 * passes it on: either way the zombie is its real parent's to reap */
	parent = TASK_RD(m, cur, real_parent);
	if ((__u32)TASK_RD(m, parent, tgid) != ptgid) {
		ptgid = TASK_RD(m, parent, tgid);
		level = ns_level_of(m, parent);
		si_pid = level ? nr_at_level(cur, level) : (int)cur_tgid;
	}
	/* SA_NOCLDWAIT: the kernel releases the child at once, no zombie (never
	 * a traced one, and only for SIGCHLD) */
	nocldwait = sig == SIGCHLD && !TASK_RD(m, cur, ptrace) &&
		    (TASK_RD(m, parent, sighand, action[SIGCHLD - 1].sa.sa_flags) & SA_NOCLDWAIT);
	z.parent = ptgid;
	z.status = cld_to_status(si.code, si.status);
	z.wstatus = group_status(m, cur);
	z.reaped = nocldwait; /* then remembered only so its free is not told */
	z.task = (__u64)TASK_RD(m, cur, group_leader);
	read_comm(m, z.comm, TASK_RD(m, cur, group_leader));

	kept = kept_exit(m, child, z.start);
	tid = TASK_RD(m, cur, pid);
	if (kept && kept->exit_tid != tid) {
		/* another thread's exit, told alone. This thread is the last of
		 * the others, released just now: the CPU time it added since
		 * that exit's last switch counts, so it is read again, whole */
		usage_now(m, cur, kept);
		tell_kept_exit(child, kept);
		kept = NULL;
	}
	zn.tid = tid;
	zn.parent = ptgid;
	/* the real parent's, which a tracer's wait does not replace */
	zn.parent_start = process_start(m, parent);
	/* what wait() will report: SIGCHLD's own may differ (a core dumped
	 * by another thread of a process killed by a signal) */
	zn.status = z.wstatus;
	if (nocldwait) {
		/* released at once, no zombie: remembered only so its free is
		 * not told (when the record is lost, its free tells) */
		struct pl_rec_reap_part rp = {
			.reaper = zn.parent, .reaper_start = zn.parent_start, .status = zn.status,
			.flags = PL_F_AUTO | PL_F_NOCLDWAIT | PL_F_FINAL,
		};
		struct pl_rec h = { .pid = child, .tid = tid, .start = z.start };

		__builtin_memcpy(h.comm, z.comm, sizeof(h.comm));
		if (tell_auto_reap(m, &h, &rp, kept))
			remember_zombie(m, child, &z, 0, 0);
		return 0;
	}
	/* its exit's CPU time is whole only at its thread's last switch */
	if (!kept || !hold_zombie(m, child, &z, kept, &zn, level, si_pid))
		tell_zombie(m, child, &z, kept, &zn, level, si_pid);
	return 0;
}

SEC("tp_btf/signal_generate")
int BPF_PROG(on_signal, int sig, struct kernel_siginfo *info, struct task_struct *target,
	     int group, int result)
{
	return on_signal_body(PL_M_BASE, sig, info, target, result);
}

SEC("tp_btf/signal_generate")
int BPF_PROG(on_signal_compat, int sig, struct kernel_siginfo *info, struct task_struct *target,
	     int group, int result)
{
	return on_signal_body(0, sig, info, target, result);
}
