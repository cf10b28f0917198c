// SPDX-License-Identifier: GPL-2.0
/* The out-of-memory killer sends its victim SIGKILL, then marks it
 * (__oom_kill_process): the mark follows the kill's record in the ring, and
 * userspace tells that kill as the OOM killer's. */
#include "helpers.bpf.h"

SEC("tp/oom/mark_victim")
int on_oom_victim(struct trace_event_raw_mark_victim *ctx)
{
	struct pl_rec_oom *r = RESERVE(struct pl_rec_oom, PL_REC_OOM);

	if (!r)
		return 0;
	r->h.tid = ctx->pid;
	submit(r);
	return 0;
}
