// SPDX-License-Identifier: GPL-2.0
/* The out-of-memory killer marks its victim just before it sends it SIGKILL:
 * that SIGKILL is then told as the OOM killer's (kill.bpf.h). */
#include "helpers.bpf.h"

SEC("tp/oom/mark_victim")
int on_oom_victim(struct trace_event_raw_mark_victim *ctx)
{
	__u32 pid = ctx->pid;
	__u8 one = 1;

	bpf_map_update_elem(&oom_victims, &pid, &one, BPF_ANY);
	return 0;
}
