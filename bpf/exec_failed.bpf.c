// SPDX-License-Identifier: GPL-2.0
/*
 * An exec that failed: execve or execveat returned an error (the tracepoint
 * sched_process_exec fires only for one that succeeded). The file name and
 * arguments are read from the caller's memory, which a failed exec leaves
 * as it was; the call's arguments come from the syscall's saved registers
 * (bpf_task_pt_regs, 5.15) or, before that, are kept at its entry.
 */
#include "helpers.bpf.h"

#if defined(__TARGET_ARCH_x86)
#define NR_execve 59
#define NR_execveat 322
#define SYSCALL_NR(regs) ((regs)->orig_ax)
#elif defined(__TARGET_ARCH_arm64)
#define NR_execve 221
#define NR_execveat 281
#define SYSCALL_NR(regs) ((regs)->syscallno)
#else
#error "execve/execveat syscall numbers are known for x86 and arm64"
#endif

#define AT_EMPTY_PATH 0x1000 /* execveat: run the file dirfd is open on */

/* the arguments as the caller passed them, NULL-ended (at most
 * PL_REC_ARGS_COUNT of them, PL_REC_ARGS_MAX bytes) */
static __always_inline void read_user_args(struct pl_rec_exec *r, const char *const *argv,
					   __u32 off)
{
	__u32 used = 0, i;

	if (off > PL_REC_FILENAME_MAX)
		return;
	for (i = 0; i < PL_REC_ARGS_COUNT; i++) {
		const char *arg = NULL;
		long n;

		if (bpf_probe_read_user(&arg, sizeof(arg), &argv[i]) || !arg)
			break;
		if (used >= PL_REC_ARGS_MAX) {
			r->h.flags |= PL_F_ARGS_TRUNCATED;
			break;
		}
		/* the scratch copy has PL_REC_ARGS_MAX spare bytes past the
		 * arguments' room: the verifier sees every write fits */
		n = bpf_probe_read_user_str(&r->data[off + (used & (PL_REC_ARGS_MAX - 1))],
					    PL_REC_ARGS_MAX - used, arg);
		if (n < 0)
			break;
		/* an empty argument: older kernels count no NUL for it (6.18
		 * says 1), though they write it. 0 made 1 with no branch: one
		 * more path in each of 128 turns is more than the 5.10 and
		 * 6.1 verifiers take */
		n += ((n - 1) >> 63) & 1;
		if (n == PL_REC_ARGS_MAX - used) {
			char last = 0;

			/* it filled the room: cut, unless its NUL was the last
			 * byte; then any argument after it is cut (the loop's
			 * next turn, or the check after it, looks) */
			bpf_probe_read_user(&last, 1, arg + n - 1);
			used = PL_REC_ARGS_MAX;
			if (last) {
				r->h.flags |= PL_F_ARGS_TRUNCATED;
				break;
			}
			continue;
		}
		used += n;
	}
	if (i == PL_REC_ARGS_COUNT) {
		const char *more = NULL;

		if (!bpf_probe_read_user(&more, sizeof(more), &argv[i]) && more)
			r->h.flags |= PL_F_ARGS_TRUNCATED;
	}
	r->args_len = used > PL_REC_ARGS_MAX ? PL_REC_ARGS_MAX : used;
}

/* an execveat's name is relative to its dirfd, or is empty and means the
 * file it is open on (execve's: AT_FDCWD) */
struct exec_target {
	const char *filename;
	__s32 dirfd;
	__u32 flags;
};

static __always_inline void tell_exec_failed(long ret, const struct exec_target *to,
					     const char *const *argv)
{
	struct task_struct *cur = (struct task_struct *)bpf_get_current_task();
	struct pl_rec_exec *r;
	long n;

	if (ret >= 0 || !is_followed(bpf_get_current_pid_tgid() >> 32, process_start(0, cur)))
		return;
	r = exec_record(PL_EV_EXEC_FAILED);
	if (!r)
		return;
	fill_task(0, &r->h, cur);
	fill_parent(0, &r->ppid, &r->pstart, cur);
	r->nice = nice_of(0, cur);
	r->old_tid = r->h.tid;
	fill_ns(0, &r->ns, cur);
	fill_who(0, &r->who, cur);
	r->err = -ret;
	n = bpf_probe_read_user_str(r->data, PL_REC_FILENAME_MAX, to->filename);
	exec_record_name(r, n);
	/* an empty name reads as 1 byte, or as 0 on older kernels */
	if (to->dirfd != PL_AT_FDCWD &&
	    (n > 1 ? r->data[0] != '/' : n >= 0 && (to->flags & AT_EMPTY_PATH)))
		r->dirfd = to->dirfd;
	read_user_args(r, argv, r->filename_len);
	exec_record_send(r);
}

/* with bpf_task_pt_regs: the call's arguments as the registers keep them */
static __always_inline void exec_failed_from_regs(long ret)
{
	struct pt_regs *regs;
	long nr;

	if (ret >= 0)
		return; /* nearly every exec */
	regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
	nr = SYSCALL_NR(regs);
	if (nr == NR_execve) {
		struct exec_target to = {
			.filename = (const char *)PT_REGS_PARM1_SYSCALL(regs),
			.dirfd = PL_AT_FDCWD,
		};

		tell_exec_failed(ret, &to, (const char *const *)PT_REGS_PARM2_SYSCALL(regs));
	} else if (nr == NR_execveat) {
		struct exec_target to = {
			.filename = (const char *)PT_REGS_PARM2_SYSCALL(regs),
			.dirfd = (__s32)PT_REGS_PARM1_SYSCALL(regs),
			.flags = (__u32)PT_REGS_PARM5_SYSCALL(regs),
		};

		tell_exec_failed(ret, &to, (const char *const *)PT_REGS_PARM3_SYSCALL(regs));
	}
}

SEC("tp/syscalls/sys_exit_execve")
int on_execve_exit(struct trace_event_raw_sys_exit *ctx)
{
	exec_failed_from_regs(ctx->ret);
	return 0;
}

SEC("tp/syscalls/sys_exit_execveat")
int on_execveat_exit(struct trace_event_raw_sys_exit *ctx)
{
	exec_failed_from_regs(ctx->ret);
	return 0;
}

/* before bpf_task_pt_regs: the arguments, kept by thread from the call's
 * entry to its return */
static __always_inline void keep_exec_call(__u64 filename, __u64 argv, __s32 dirfd, __u32 flags)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct exec_call c = { .filename = filename, .argv = argv, .dirfd = dirfd, .flags = flags };

	bpf_map_update_elem(&exec_args, &tid, &c, BPF_ANY);
}

static __always_inline void exec_failed_from_kept(long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct exec_call *c = bpf_map_lookup_elem(&exec_args, &tid);
	struct exec_target to;

	if (!c)
		return;
	to.filename = (const char *)c->filename;
	to.dirfd = c->dirfd;
	to.flags = c->flags;
	tell_exec_failed(ret, &to, (const char *const *)c->argv);
	bpf_map_delete_elem(&exec_args, &tid);
}

SEC("tp/syscalls/sys_enter_execve")
int on_execve_enter(struct trace_event_raw_sys_enter *ctx)
{
	keep_exec_call(ctx->args[0], ctx->args[1], PL_AT_FDCWD, 0);
	return 0;
}

SEC("tp/syscalls/sys_enter_execveat")
int on_execveat_enter(struct trace_event_raw_sys_enter *ctx)
{
	keep_exec_call(ctx->args[1], ctx->args[2], (__s32)ctx->args[0], (__u32)ctx->args[4]);
	return 0;
}

SEC("tp/syscalls/sys_exit_execve")
int on_execve_exit_args(struct trace_event_raw_sys_exit *ctx)
{
	exec_failed_from_kept(ctx->ret);
	return 0;
}

SEC("tp/syscalls/sys_exit_execveat")
int on_execveat_exit_args(struct trace_event_raw_sys_exit *ctx)
{
	exec_failed_from_kept(ctx->ret);
	return 0;
}
