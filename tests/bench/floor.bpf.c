// SPDX-License-Identifier: GPL-2.0
/*
 * make bench: a program that does nothing, on each hook proclife's
 * programs run on in a storm. With kernel.bpf_stats_enabled the kernel
 * counts each run from a clock read before the program to one after it:
 * what these count is that measurement's own cost, which proclife's
 * figures carry too and which no run pays with the stats off.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tp_btf/sched_process_fork")
int BPF_PROG(floor_fork)
{
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(floor_exec)
{
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(floor_exit)
{
	return 0;
}

SEC("tp_btf/sched_process_free")
int BPF_PROG(floor_free)
{
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(floor_switch)
{
	return 0;
}

SEC("tp_btf/signal_generate")
int BPF_PROG(floor_signal)
{
	return 0;
}

SEC("tp/syscalls/sys_exit_wait4")
int floor_wait4_exit(void *ctx)
{
	return 0;
}

SEC("tp/syscalls/sys_exit_execve")
int floor_execve_exit(void *ctx)
{
	return 0;
}
