/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Who ends a process with a signal. At signal_generate, a signal that will
 * kill its target (SIGKILL, or one whose default action ends the process
 * while the target leaves it at SIG_DFL) is told in a record of its own,
 * which userspace hands to the exit it causes. The sender is the kernel's
 * own account of it, the si_pid the target would read: the calling process
 * for kill, tgkill and sigqueue; no process for a signal the kernel raises
 * for its own reasons (a fault, a terminal, a timer, the OOM killer).
 */
#ifndef PROCLIFE_KILL_BPF_H
#define PROCLIFE_KILL_BPF_H

#include "helpers.bpf.h"

#define SIGILL 4
#define SIGTRAP 5
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGSEGV 11
#define SIGSYS 31
#define SIGRTMAX 64
#define SI_USER 0
#define SI_KERNEL 0x80
#define SI_QUEUE -1
#define SI_MESGQ -3
#define SI_TKILL -6
#define SYS_SECCOMP 1
#define TRACE_SIGNAL_DELIVERED 0
#define TRACE_SIGNAL_LOSE_INFO 4
#define SIG_DFL 0
/* SEND_SIG_NOINFO is 0 (as if from user space: the caller is the sender),
 * SEND_SIG_PRIV 1 (from the kernel) */
#define SEND_SIG_PRIV 1
/* kill_why's answer for SEND_SIG_NOINFO, which tell_kill decides */
#define PL_KILL_NOINFO 255

/* signals whose default action ends the process: HUP to STKFLT, XCPU to
 * PROF, IO to SYS, and every real-time signal */
#define FATAL_BY_DEFAULT ((0x1ffffULL & ~1ULL) | (0xfULL << 24) | (0x7ULL << 29))

static __always_inline bool kills_by_default(int sig)
{
	if (sig >= 32)
		return sig <= SIGRTMAX;
	return sig > 0 && ((FATAL_BY_DEFAULT >> sig) & 1);
}

/* a synchronous fault's signal: SIGILL, SIGTRAP, SIGBUS, SIGFPE, SIGSEGV */
static __always_inline bool is_fault_signal(int sig)
{
	return sig == SIGILL || sig == SIGTRAP || sig == SIGBUS || sig == SIGFPE || sig == SIGSEGV;
}

/* the target leaves sig at SIG_DFL (sighand is the process's, shared by
 * its threads) */
static __always_inline bool left_at_default(struct task_struct *target, int sig)
{
	struct sighand_struct *sh = BPF_CORE_READ(target, sighand);
	__u64 handler = 0;

	if (sig < 1 || sig > SIGRTMAX)
		return false;
	bpf_core_read(&handler, sizeof(handler), &sh->action[(sig - 1) & 63].sa.sa_handler);
	return handler == SIG_DFL;
}

/*
 * info as a number. Where the verifier trusts signal_generate's arguments
 * (6.18) it takes info for never NULL and drops a test of it as dead code,
 * though SEND_SIG_NOINFO is NULL: a probe read of the pointer's own bytes
 * gives a number it makes no such guess about.
 */
static __always_inline __u64 info_value(struct kernel_siginfo *info)
{
	__u64 v = 0;

	bpf_probe_read_kernel(&v, sizeof(v), &info);
	return v;
}

/* why, and whether cur sent it, from the siginfo the kernel builds */
static __always_inline __u32 kill_why(int sig, struct kernel_siginfo *info, __s32 *code)
{
	__u64 special = info_value(info);

	if (special == SEND_SIG_PRIV) {
		/* the OOM killer's too: its mark comes next (oom.bpf.c) */
		*code = SI_KERNEL;
		return PL_KILL_KERNEL;
	}
	if (!special) {
		/* the kernel's send_sig(sig, p, 0): SIGPIPE, SIGXFSZ. Sent "as
		 * if" by the caller: the kernel, when that is the target itself
		 * (a write to a pipe nobody reads); no process calls kill() so */
		*code = SI_USER;
		return PL_KILL_NOINFO;
	}
	*code = BPF_CORE_READ(info, si_code);
	switch (*code) {
	case SI_USER:
	case SI_QUEUE:
	case SI_MESGQ:
	case SI_TKILL:
		return PL_KILL_SENT;
	}
	if (sig == SIGSYS && *code == SYS_SECCOMP)
		return PL_KILL_SECCOMP;
	/* a code above zero for a signal of the process's own doing: a fault
	 * signal's. Other signals come with codes above zero too, of the
	 * kernel's sending: a child's exit signal (CLD_EXITED), an F_SETSIG
	 * signal of I/O readiness (POLL_IN) */
	if (*code > 0 && *code != SI_KERNEL && is_fault_signal(sig))
		return PL_KILL_FAULT;
	return PL_KILL_KERNEL;
}

static __always_inline void tell_kill(const int m, int sig, struct kernel_siginfo *info,
				      struct task_struct *target, int result)
{
	struct task_struct *cur;
	struct pl_rec_kill *r;
	__s32 code = 0;
	__u32 why;

	if (result != TRACE_SIGNAL_DELIVERED && result != TRACE_SIGNAL_LOSE_INFO)
		return;
	if (sig != SIGKILL && (!kills_by_default(sig) || !left_at_default(target, sig)))
		return;
	if (!is_followed(BPF_CORE_READ(target, tgid),
			 BPF_CORE_READ(target, group_leader, start_boottime)))
		return;
	why = kill_why(sig, info, &code);
	cur = current_task(m);
	if (why == PL_KILL_NOINFO)
		why = current_tgid(m, cur) == (__u32)BPF_CORE_READ(target, tgid) ? PL_KILL_KERNEL
										   : PL_KILL_SENT;
	r = RESERVE(struct pl_rec_kill, PL_REC_KILL);
	if (!r)
		return;
	fill_task(0, &r->h, target);
	r->sig = sig;
	r->code = code;
	r->why = why;
	if (why == PL_KILL_SENT) {
		r->sender = current_tgid(m, cur);
		r->sender_start = process_start(m, cur);
		read_comm(m, r->sender_comm, TASK_RD(m, cur, group_leader));
	}
	submit(r);
}

#endif /* PROCLIFE_KILL_BPF_H */
