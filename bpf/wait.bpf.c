// SPDX-License-Identifier: GPL-2.0
/*
 * Waits and reaps: a wait begins (sched_process_wait, blocking or a WNOHANG
 * poll) and wait4/waitid return a child (their syscall exits). The pid a
 * wait returns is in the waiter's pid namespace: it is matched to the
 * zombie the kernel notified the waiter of.
 */
#include "tell.bpf.h"
#include "wait_counts.bpf.h"

/* userspace siginfo for SIGCHLD (64-bit ABIs) */
struct user_siginfo_chld {
	int signo, err, code, pad;
	int pid, uid, status;
};

/* the syscall's number and its arguments, as the user registers keep them
 * until it returns (bpf_task_pt_regs, 5.15) */
#if defined(__TARGET_ARCH_x86)
#define NR_wait4 61
#define NR_waitid 247
#define SYSCALL_NR(regs) ((regs)->orig_ax)
#elif defined(__TARGET_ARCH_arm64)
#define NR_wait4 260
#define NR_waitid 95
#define SYSCALL_NR(regs) ((regs)->syscallno)
#else
#error "wait4/waitid syscall numbers are known for x86 and arm64"
#endif

static __always_inline bool call_from_regs(struct task_struct *cur, struct wait_call *c)
{
	struct pt_regs *regs;
	long nr;

	if (cur->flags & PF_KTHREAD)
		return false; /* kernel_wait(): no syscall behind it */
	regs = (struct pt_regs *)bpf_task_pt_regs(cur);
	nr = SYSCALL_NR(regs);
	if (nr == NR_wait4) {
		c->id = PT_REGS_PARM1_SYSCALL(regs);
		c->uptr = PT_REGS_PARM2_SYSCALL(regs);
		c->options = PT_REGS_PARM3_SYSCALL(regs);
		c->waitid = 0;
		return true;
	}
	if (nr == NR_waitid) {
		c->which = PT_REGS_PARM1_SYSCALL(regs);
		c->id = PT_REGS_PARM2_SYSCALL(regs);
		c->uptr = PT_REGS_PARM3_SYSCALL(regs);
		c->options = PT_REGS_PARM4_SYSCALL(regs);
		c->waitid = 1;
		return true;
	}
	return false;
}

/* the wait4/waitid call the current thread is in; `done` at its exit */
static __always_inline bool wait_call(const int m, struct task_struct *cur, struct wait_call *c,
				      bool done)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct wait_call *w;

	if (m & PL_M_PT_REGS)
		return call_from_regs(cur, c);
	w = bpf_map_lookup_elem(&wait_args, &tid);
	if (!w)
		return false;
	*c = *w;
	if (done)
		bpf_map_delete_elem(&wait_args, &tid);
	return true;
}

static __always_inline void keep_call(__u64 which, __u64 id, __u64 uptr, __u64 options,
				      __u32 waitid)
{
	struct wait_call c = {
		.uptr = uptr, .options = options, .waitid = waitid, .which = which, .id = id
	};
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	bpf_map_update_elem(&wait_args, &tid, &c, BPF_ANY);
}

/* before bpf_task_pt_regs: the arguments, kept until the call returns */
SEC("tp/syscalls/sys_enter_wait4")
int on_wait4_enter(struct trace_event_raw_sys_enter *ctx)
{
	keep_call(0, ctx->args[0], ctx->args[1], ctx->args[2], 0);
	return 0;
}

SEC("tp/syscalls/sys_enter_waitid")
int on_waitid_enter(struct trace_event_raw_sys_enter *ctx)
{
	keep_call(ctx->args[0], ctx->args[1], ctx->args[2], ctx->args[3], 1);
	return 0;
}

/* has the kernel released this zombie? (read through its task pointer,
 * only if that memory still holds the same process) */
static __always_inline bool released(const struct zombie *z)
{
	struct task_struct *t = (struct task_struct *)z->task;

	return BPF_CORE_READ(t, start_boottime) == z->start &&
	       BPF_CORE_READ(t, exit_state) == EXIT_DEAD;
}

/*
 * A tracer's wait for a zombie it is not the parent of hands the zombie on
 * to its parent (strace -f), which reaps it later; but a parent that lets
 * the kernel release its children (SIGCHLD ignored, SA_NOCLDWAIT) has it
 * released in that wait: an auto-reap for the parent, at this moment.
 */
static __always_inline void tell_handed_release(const int m, struct zombie *z, __u32 child)
{
	struct task_struct *t = (struct task_struct *)z->task;
	struct task_struct *parent = BPF_CORE_READ(t, real_parent);
	__u32 nocldwait = 0;

	if (!is_followed(child, z->start))
		return;
	releases_children(0, parent, &nocldwait);
	tell_released(m, z, child, BPF_CORE_READ(parent, tgid), process_start(0, parent),
		      PL_F_AUTO | (nocldwait ? PL_F_NOCLDWAIT : 0));
}

/* the process the zombie's leader has as its parent now, 0 if its task no
 * longer holds that life (released and reused) */
static __always_inline __u32 parent_now(const struct zombie *z)
{
	struct task_struct *t = (struct task_struct *)z->task;

	if (BPF_CORE_READ(t, start_boottime) != z->start)
		return 0;
	return BPF_CORE_READ(t, real_parent, tgid);
}

/*
 * A reap before the zombie's last switch (its parent woke on another CPU):
 * its held exit is told first, with the CPU time wait4 has just summed.
 * Its use is read only once the record is taken (its start only to choose,
 * through a probe read): its last switch, which lets the task go, has not
 * passed its tell_held, so the task lasts while this program runs.
 */
static __always_inline void tell_held_at_reap(const int m, __u32 child, struct zombie *z)
{
	struct task_struct *t = (struct task_struct *)z->task;

	tell_held(m, 0, child, z, BPF_CORE_READ(t, start_boottime) == z->start ? t : NULL);
}

/* how a waitid's status is known */
enum { FROM_SIGINFO, NO_SIGINFO };

/* wait4 returned waited_nr (as the reaper's namespace sees it); waitid
 * passes the status it read from the siginfo, or, called with no siginfo,
 * the pid it asked for (P_PID) */
static __always_inline void emit_reap(const int m, struct task_struct *cur, __u32 waited_nr,
				      const struct wait_call *c, __s32 waitid_status, int how)
{
	__u32 reaper = current_tgid(m, cur), child = waited_nr;
	__u32 level = ns_level_of(m, cur);
	struct ns_key nk = { .parent = reaper, .nr = waited_nr };
	struct zombie *z = NULL;
	struct pl_rec_reap *r;
	__u32 *g = NULL;
	__s32 status = 0;
	bool known = false;

	if (level) {
		g = bpf_map_lookup_elem(&ns_zombies, &nk);
		/* no global pid for the number the namespace sees: matching it
		 * to the zombie with that global pid would name the wrong one;
		 * the free tells this reap instead (counted when the reaper is
		 * followed: its zombies were put in the table, which let this
		 * one go) */
		if (!g) {
			if (is_followed(reaper, process_start(m, cur)))
				count(stats, PL_STAT_NS_ZOMBIE_MISSED, PL_STATS);
			return;
		}
		child = *g;
	}
	z = zombie_find(m, child);
	/* a life reaped already, kept until its free, is not the one this wait
	 * returned: its pid went to a process that left no zombie here, one
	 * not followed (or whose record was lost: its free tells it) */
	if (z && z->reaped) {
		if (follow_only)
			return;
		z = NULL;
	}
	/* a zombie handed on with no signal (traced), before its old
	 * parent's last switch could say so: the waiter that has it now */
	if (z && !z->reaped && z->parent != reaper && parent_now(z) == reaper)
		z->parent = reaper;
	/* a tracer's wait for a zombie it is not the parent of: not a reap,
	 * unless the kernel released it there */
	if (z && !z->reaped && z->parent != reaper) {
		if (released(z))
			tell_handed_release(m, z, child);
		return;
	}
	/* a zombie no signal announced, released here before its last
	 * switch could tell it; or being told by that switch right now, when
	 * its free tells this reap */
	if (z && !z->reaped && !z->since && !z->held && z->exit_ts && released(z)) {
		if (!claim_kept_exit(m, z))
			return;
		tell_silent_zombie_at_reap(child, z, reaper, process_start(m, cur));
	}
	if (c->waitid && how == NO_SIGINFO) {
		/* the call returned 0: a reap, or nothing found (WNOHANG) */
		if (!z || z->reaped || !released(z))
			return;
		status = z->wstatus;
		known = true;
	} else if (c->waitid) {
		status = waitid_status;
		known = true;
	} else if (z && !z->reaped && !(c->options & (WUNTRACED | WCONTINUED))) {
		/* a zombie not reaped yet, and no stop report asked for: this is
		 * its reap, with the status it left (no user-memory read) */
		status = z->wstatus;
		known = true;
	} else if (c->uptr && !bpf_probe_read_user(&status, sizeof(status), (void *)c->uptr)) {
		if ((status & 0xff) == 0x7f || status == 0xffff)
			return; /* stopped or continued, not a reap */
		known = true;
	}
	if (g)
		bpf_map_delete_elem(&ns_zombies, &nk);
	if (!is_followed(child, z ? z->start : 0))
		return;
	/* no zombie of this life and no status to read: a stop report (a
	 * ptrace stop needs no WUNTRACED) cannot be told from a reap; the
	 * free hook tells a reap */
	if (!z && !known)
		return;
	if (z && z->held)
		tell_held_at_reap(m, child, z);
	r = RESERVE(struct pl_rec_reap, PL_EV_REAP);
	if (!r) {
		/* the free will be told, and the reap concluded from it (and
		 * a held exit, or one another hook is telling, is left to it) */
		if (z && !z->exit_ts)
			zombie_drop(m, child, z);
		return;
	}
	r->h.pid = child;
	r->h.tid = child;
	r->r.reaper = reaper;
	r->r.reaper_start = process_start(m, cur);
	if (c->options & WNOHANG)
		r->h.flags |= PL_F_NOHANG;
	if (c->waitid)
		r->h.flags |= PL_F_WAITID;
	if (z && z->since) {
		r->h.start = z->start;
		r->r.zombie_ns = r->h.ts - z->since;
		if (z->before)
			r->h.flags |= PL_F_ZOMBIE; /* counted from the bootstrap: at least */
		__builtin_memcpy(r->h.comm, z->comm, sizeof(r->h.comm));
		r->r.status = known ? status : z->wstatus;
		/* kept until the free, which it then silences: the reap says
		 * all there is (the kernel released the task in wait) */
		z->reaped = 1;
		r->h.flags |= PL_F_FINAL;
	} else {
		r->h.flags |= PL_F_UNMATCHED | (known ? 0 : PL_F_STATUS_UNKNOWN);
		r->r.status = status;
	}
	if (level)
		r->r.ns_pid = waited_nr;
	submit(r);
}

/* the call this thread returns from, counted if its process is followed
 * (a waiter that is not, such as the tracer reaping its command, may still
 * reap a followed child); false: no wait4/waitid call */
static __always_inline bool returning_call(const int m, struct task_struct *cur,
					   struct wait_call *c)
{
	__u32 tgid = current_tgid(m, cur);

	/* without pt_regs this also drops the kept arguments */
	if (!wait_call(m, cur, c, true))
		return false;
	if (is_followed(tgid, process_start(m, cur)))
		count_wait(m, cur, tgid, c->options & WNOHANG);
	return true;
}

static __always_inline int wait4_exit(const int m, long ret)
{
	struct task_struct *cur = current_task(m);
	struct wait_call c;

	if (!returning_call(m, cur, &c) || ret <= 0)
		return 0; /* WNOHANG found nothing, or an error */
	emit_reap(m, cur, ret, &c, 0, FROM_SIGINFO);
	return 0;
}

static __always_inline int waitid_exit(const int m, long ret)
{
	struct task_struct *cur = current_task(m);
	struct user_siginfo_chld si = {};
	struct wait_call c;

	if (!returning_call(m, cur, &c) || ret != 0 || (c.options & WNOWAIT))
		return 0;
	if (!c.uptr) {
		/* no siginfo: which child it reaped is known only when it asked
		 * for one; the others' reaps are concluded from their free */
		if (c.which == P_PID && (c.options & WEXITED) && c.id > 0)
			emit_reap(m, cur, c.id, &c, 0, NO_SIGINFO);
		return 0;
	}
	if (bpf_probe_read_user(&si, sizeof(si), (void *)c.uptr))
		return 0;
	if (si.pid == 0 || si.code < CLD_EXITED || si.code > CLD_DUMPED)
		return 0; /* nothing found, or a stop/continue report */
	emit_reap(m, cur, si.pid, &c, cld_to_status(si.code, si.status), FROM_SIGINFO);
	return 0;
}

SEC("tp/syscalls/sys_exit_wait4")
int on_wait4_exit(struct trace_event_raw_sys_exit *ctx)
{
	return wait4_exit(PL_M_BASE | PL_M_PT_REGS, ctx->ret);
}

SEC("tp/syscalls/sys_exit_wait4")
int on_wait4_exit_args(struct trace_event_raw_sys_exit *ctx)
{
	return wait4_exit(PL_M_BASE, ctx->ret);
}

SEC("tp/syscalls/sys_exit_wait4")
int on_wait4_exit_compat(struct trace_event_raw_sys_exit *ctx)
{
	return wait4_exit(0, ctx->ret);
}

SEC("tp/syscalls/sys_exit_waitid")
int on_waitid_exit(struct trace_event_raw_sys_exit *ctx)
{
	return waitid_exit(PL_M_BASE | PL_M_PT_REGS, ctx->ret);
}

SEC("tp/syscalls/sys_exit_waitid")
int on_waitid_exit_args(struct trace_event_raw_sys_exit *ctx)
{
	return waitid_exit(PL_M_BASE, ctx->ret);
}

SEC("tp/syscalls/sys_exit_waitid")
int on_waitid_exit_compat(struct trace_event_raw_sys_exit *ctx)
{
	return waitid_exit(0, ctx->ret);
}

/*
 * io_uring's IORING_OP_WAITID (6.7) reaps in the kernel, with no syscall
 * the hooks above see: its completion (io_uring_complete) carries the
 * request, whose waitid command holds what the kernel's wait found. The
 * tracepoint's arguments after the request differ between kernels: only
 * the first two are read.
 */
static __always_inline int io_waitid_body(const int m, void *req_arg)
{
	struct io_kiocb *req = req_arg;
	struct io_waitid *iw = (void *)&req->cmd;
	struct task_struct *cur;
	struct wait_call c = { .waitid = 1 };
	int cause, pid, status;

	if (BPF_CORE_READ(req, opcode) != bpf_core_enum_value(enum io_uring_op, IORING_OP_WAITID))
		return 0;
	c.options = BPF_CORE_READ(iw, options);
	c.which = BPF_CORE_READ(iw, which);
	c.id = BPF_CORE_READ(iw, upid);
	c.uptr = (__u64)BPF_CORE_READ(iw, infop);
	pid = BPF_CORE_READ(iw, info.pid);
	cause = BPF_CORE_READ(iw, info.cause);
	status = BPF_CORE_READ(iw, info.status);
	if (!pid || (c.options & WNOWAIT) || cause < CLD_EXITED || cause > CLD_DUMPED)
		return 0; /* nothing found, only looked at, or a stop/continue report */
	cur = current_task(m);
	emit_reap(m, cur, pid, &c, cld_to_status(cause, status), FROM_SIGINFO);
	return 0;
}

SEC("tp_btf/io_uring_complete")
int BPF_PROG(on_io_waitid, void *ring, void *req)
{
	return io_waitid_body(PL_M_BASE, req);
}

SEC("tp_btf/io_uring_complete")
int BPF_PROG(on_io_waitid_compat, void *ring, void *req)
{
	return io_waitid_body(0, req);
}

/* a wait begins, blocking or a WNOHANG poll: a record of its own, loaded
 * only when the view shows waits (the exits above count them all) */
static __always_inline int on_wait_body(const int m, struct pid *pid)
{
	struct task_struct *cur = current_task(m);
	__u32 tgid = current_tgid(m, cur);
	struct pl_rec_wait *r;
	struct wait_call c = {};
	bool call;

	if (!is_followed(tgid, process_start(m, cur)))
		return 0;
	call = wait_call(m, cur, &c, false);
	r = RESERVE(struct pl_rec_wait, PL_EV_WAIT);
	if (!r)
		return 0;
	fill_task(m, &r->h, cur);
	if (pid)
		r->target = pid->numbers[0].nr; /* a BTF argument: a direct load */
	if (call) {
		r->options = c.options;
		if (c.options & WNOHANG)
			r->h.flags |= PL_F_NOHANG;
		if (c.waitid)
			r->h.flags |= PL_F_WAITID;
	}
	submit(r);
	return 0;
}

SEC("tp_btf/sched_process_wait")
int BPF_PROG(on_wait, struct pid *pid)
{
	return on_wait_body(PL_M_BASE | PL_M_PT_REGS, pid);
}

SEC("tp_btf/sched_process_wait")
int BPF_PROG(on_wait_args, struct pid *pid)
{
	return on_wait_body(PL_M_BASE, pid);
}

SEC("tp_btf/sched_process_wait")
int BPF_PROG(on_wait_compat, struct pid *pid)
{
	return on_wait_body(0, pid);
}
