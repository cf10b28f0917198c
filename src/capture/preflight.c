// SPDX-License-Identifier: BSD-2-Clause
#include <errno.h>
#include <linux/capability.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "capture/preflight.h"
#include "util/diag.h"

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

#define TRACEFS "/sys/kernel/tracing"
#define DEBUGFS_TRACING "/sys/kernel/debug/tracing"

static int has_cap(const struct __user_cap_data_struct *d, int cap)
{
	return (d[cap / 32].effective >> (cap % 32)) & 1;
}

int pl_check_privileges(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = { { 0 } };
	char missing[64] = "";

	if (syscall(SYS_capget, &hdr, data))
		return error_errno("cannot read this process's capabilities");
	/* CAP_SYS_ADMIN covers both on every kernel; newer ones split it */
	if (has_cap(data, CAP_SYS_ADMIN))
		return 0;
	if (!has_cap(data, CAP_BPF))
		strcat(missing, "CAP_BPF");
	if (!has_cap(data, CAP_PERFMON))
		strcat(missing, *missing ? ", CAP_PERFMON" : "CAP_PERFMON");
	if (*missing)
		return error("proclife needs root to load BPF programs (missing capabilities: %s)",
			     missing);
	return 0;
}

int pl_load_btf(const char *path, struct btf **out)
{
	struct btf *btf;

	if (access(path, R_OK))
		return error_errno("no kernel BTF at '%s' (the kernel needs CONFIG_DEBUG_INFO_BTF)",
				   path);
	btf = btf__parse(path, NULL);
	if (!btf) {
		char why[128];

		libbpf_strerror(errno, why, sizeof(why));
		return error("cannot read kernel BTF from '%s': %s", path, why);
	}
	/* a BPF object or a module carries BTF too, but not the kernel's own
	 * functions */
	if (btf__find_by_name_kind(btf, "do_exit", BTF_KIND_FUNC) <= 0) {
		btf__free(btf);
		return error("'%s' holds BTF, but not a kernel's (no function do_exit in it)", path);
	}
	*out = btf;
	return 0;
}

/* classic tracepoints (the wait4/waitid syscalls) are attached by id, read from tracefs */
int pl_ensure_tracefs(void)
{
	if (!access(TRACEFS "/events", F_OK) || !access(DEBUGFS_TRACING "/events", F_OK))
		return 0;
	if (mount("tracefs", TRACEFS, "tracefs", 0, NULL))
		return error_errno("tracefs is not mounted at '%s' and mounting it failed", TRACEFS);
	return 0;
}
