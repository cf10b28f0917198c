// SPDX-License-Identifier: BSD-2-Clause
/*
 * make bench: a program that does nothing, on each hook proclife's
 * programs may run on (plbench-floor loads those on the hooks it is given:
 * the ones proclife attached on this kernel). With
 * kernel.bpf_stats_enabled the kernel counts each run from a clock read
 * before the program to one after it: what these count is that
 * measurement's own cost, which proclife's figures carry too and which no
 * run pays with the stats off. With the stats off, what a storm loses to
 * them is what the hooks themselves cost, whatever a program does.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

/* the kernel lets only GPL-compatible programs attach to tracepoints */
char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* a program of each kind, named as proclife's on the same hook (make bench
 * matches them by name) */
#define FLOOR_BTF(name, hook) \
	SEC("tp_btf/" hook) int BPF_PROG(name) { return 0; }
#define FLOOR_TP(name, hook) \
	SEC("tp/" hook) int name(void *ctx) { return 0; }

FLOOR_BTF(floor_fork, "sched_process_fork")
FLOOR_BTF(floor_exec, "sched_process_exec")
FLOOR_BTF(floor_exit, "sched_process_exit")
FLOOR_BTF(floor_free, "sched_process_free")
FLOOR_BTF(floor_switch, "sched_switch")
FLOOR_BTF(floor_signal, "signal_generate")
FLOOR_BTF(floor_wait, "sched_process_wait")
FLOOR_BTF(floor_cgroup_mkdir, "cgroup_mkdir")
FLOOR_BTF(floor_cgroup_rename, "cgroup_rename")
FLOOR_BTF(floor_io_waitid, "io_uring_complete")
FLOOR_TP(floor_oom_victim, "oom/mark_victim")
FLOOR_TP(floor_wait4_enter, "syscalls/sys_enter_wait4")
FLOOR_TP(floor_waitid_enter, "syscalls/sys_enter_waitid")
FLOOR_TP(floor_execve_enter, "syscalls/sys_enter_execve")
FLOOR_TP(floor_execveat_enter, "syscalls/sys_enter_execveat")
FLOOR_TP(floor_wait4_exit, "syscalls/sys_exit_wait4")
FLOOR_TP(floor_waitid_exit, "syscalls/sys_exit_waitid")
FLOOR_TP(floor_execve_exit, "syscalls/sys_exit_execve")
FLOOR_TP(floor_execveat_exit, "syscalls/sys_exit_execveat")
