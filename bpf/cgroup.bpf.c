// SPDX-License-Identifier: GPL-2.0
/*
 * A cgroup of the unified hierarchy is made or renamed: its id and path,
 * so a process's cgroup is named even when the cgroup is gone by the time
 * userspace reads the process's record (a short-lived container's).
 */
#include "helpers.bpf.h"

static __always_inline int tell_cgroup(struct cgroup *cgrp, const char *path)
{
	struct pl_rec_cgroup *r;
	long n;

	/* hierarchy 0 is the unified one ("0::/..." in /proc/PID/cgroup) */
	if (BPF_CORE_READ(cgrp, root, hierarchy_id) != 0)
		return 0;
	/* not RESERVE(): the path is written, not zeroed first */
	r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
	if (!r) {
		count_lost(PL_REC_CGROUP);
		return 0;
	}
	__builtin_memset(&r->h, 0, sizeof(r->h));
	head_init(&r->h, PL_REC_CGROUP, bpf_ktime_get_boot_ns());
	r->pad = 0;
	r->id = BPF_CORE_READ(cgrp, kn, id);
	n = bpf_probe_read_kernel_str(r->path, sizeof(r->path), path);
	r->path_len = n > 0 ? n : 0;
	submit(r);
	return 0;
}

SEC("tp_btf/cgroup_mkdir")
int BPF_PROG(on_cgroup_mkdir, struct cgroup *cgrp, const char *path)
{
	return tell_cgroup(cgrp, path);
}

SEC("tp_btf/cgroup_rename")
int BPF_PROG(on_cgroup_rename, struct cgroup *cgrp, const char *path)
{
	return tell_cgroup(cgrp, path);
}
