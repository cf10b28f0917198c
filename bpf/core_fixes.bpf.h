/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel shims: every place where the kernels proclife runs on (5.10 and
 * later) differ, each with the kernel that needs it. A program variant is
 * compiled with a constant set of mechanisms (include/mechanisms.h): the
 * branches below fold at compile time, so a variant holds no instruction
 * its kernel would refuse.
 */
#ifndef PROCLIFE_CORE_FIXES_BPF_H
#define PROCLIFE_CORE_FIXES_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "mechanisms.h"

/*
 * A field of a task (or of what hangs off it). Programs whose task pointers
 * are all BTF-typed load fields directly: tracepoint arguments on every
 * kernel, and the current task from bpf_get_current_task_btf() (5.11, part
 * of PL_M_BASE). On 5.10 the current task is a plain number the verifier
 * lets no one dereference: those variants read every field through CO-RE
 * probe reads.
 */
#define PL_M_BTF_TASKS (1 << 16) /* private to bpf/: no other mechanism implied */
#define BTF_TASKS(m) ((m) & (PL_M_BASE | PL_M_BTF_TASKS))
#define TASK_RD(m, t, ...) \
	(BTF_TASKS(m) ? ___arrow(t, __VA_ARGS__) : BPF_CORE_READ(t, __VA_ARGS__))

/* the task the program runs in; 5.10: bpf_get_current_task() is a plain
 * number the verifier lets no one dereference */
static __always_inline struct task_struct *current_task(const int m)
{
	if (m & PL_M_BASE)
		return bpf_get_current_task_btf();
	return (struct task_struct *)bpf_get_current_task();
}

/* signal_struct.is_child_subreaper is a bitfield: a direct bitfield load
 * from a BTF pointer, a probed one otherwise */
static __always_inline bool subreaper_flag(const int m, struct signal_struct *sig)
{
	if (BTF_TASKS(m))
		return BPF_CORE_READ_BITFIELD(sig, is_child_subreaper);
	return BPF_CORE_READ_BITFIELD_PROBED(sig, is_child_subreaper);
}

/*
 * signal_generate's info may be SEND_SIG_NOINFO or SEND_SIG_PRIV (0 or 1,
 * not pointers): 6.12's verifier refuses a direct load from it ("may
 * encode error"), 6.1's refuses the program. So it is probe-read, once for
 * the three SIGCHLD fields: kernel_siginfo is laid out as siginfo_t, which
 * the ABI fixes. A read of a special value fails: false.
 */
struct sigchld_info {
	int code;   /* CLD_* */
	int pid;    /* the child, as the parent's namespace sees it */
	int status; /* exit code or signal */
};

static __always_inline bool read_sigchld(struct kernel_siginfo *info, struct sigchld_info *out)
{
	struct kernel_siginfo si;

	if (bpf_probe_read_kernel(&si, __builtin_offsetof(struct kernel_siginfo,
							  _sifields._sigchld._utime), info))
		return false;
	out->code = si.si_code;
	out->pid = si._sifields._sigchld._pid;
	out->status = si._sifields._sigchld._status;
	return true;
}

/* the current task's process id: a load where the task is BTF-typed, a
 * helper call (not a probe read) where it is not */
static __always_inline __u32 current_tgid(const int m, struct task_struct *cur)
{
	if (m & PL_M_BASE)
		return cur->tgid;
	return bpf_get_current_pid_tgid() >> 32;
}

/*
 * Before sched_process_exit had a group_dead argument (6.12 and older), the
 * exiting thread has already dropped signal->live when the tracepoint
 * fires: 0 means no thread of the process is left. Two threads ending at
 * once may both see 0; the caller lets only the first tell it.
 */
static __always_inline bool group_dead_from_live(const int m, struct task_struct *p)
{
	return TASK_RD(m, p, signal, live.counter) == 0;
}

/*
 * task_struct.state became __state in 5.14; sched_switch gained prev_state
 * as an argument only in 5.18. A dead task's state stays TASK_DEAD, so
 * reading it from the task is exact on every kernel.
 */
struct task_struct___pre514 {
	long state;
} __attribute__((preserve_access_index));

/* t: a BTF pointer (direct loads; it runs on every context switch) */
static __always_inline unsigned int task_state(struct task_struct *t)
{
	if (bpf_core_field_exists(t->__state))
		return t->__state;
	return ((struct task_struct___pre514 *)t)->state;
}

#endif /* PROCLIFE_CORE_FIXES_BPF_H */
