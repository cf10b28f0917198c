// SPDX-License-Identifier: BSD-2-Clause
/*
 * Pid 1 as /proc tells it. Some kernels' task iterator never visits pid 1
 * (seen on 6.18 guests); its children's records give its start, and /proc
 * the rest of what its proc line says. A field /proc does not give is left
 * out of the line, as unknown, rather than written as zero.
 */
#include <stdio.h>
#include <string.h>
#include "capture/init_proc.h"
#include "util/proc_stat.h"

/* the value after "key:" in /proc/1/status, as sscanf reads fmt */
static bool status_line(FILE *f, const char *key, const char *fmt, void *a, void *b)
{
	char line[256];
	size_t n = strlen(key);

	rewind(f);
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':')
			return sscanf(line + n + 1, fmt, a, b) == (b ? 2 : 1);
	return false;
}

static void read_status(struct pl_event *e, bool *who)
{
	FILE *f = fopen("/proc/1/status", "re");
	unsigned dummy;

	if (!f)
		return;
	status_line(f, "Threads", "%u", &e->threads, NULL);
	*who = status_line(f, "Uid", "%u %u", &e->uid, &e->euid) &&
	       status_line(f, "Gid", "%u %u", &e->gid, &dummy);
	fclose(f);
}

/* nice: the 19th field of /proc/1/stat */
static void read_nice(struct pl_event *e)
{
	char buf[1024];
	const char *p = proc_stat_fields(1, buf, sizeof(buf));

	if (p)
		sscanf(p, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %d",
		       &e->nice);
}

/* the unified hierarchy's line of /proc/1/cgroup, "0::PATH", as an id */
static __u64 read_cgroup(struct pl_cgroups *cg)
{
	char line[4096 + 8];
	__u64 id = 0;
	FILE *f = fopen("/proc/1/cgroup", "re");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "0::", 3)) {
			line[strcspn(line, "\n")] = 0;
			id = pl_cgroup_id_at(cg, line + 3);
			break;
		}
	if (f)
		fclose(f);
	return id;
}

void pl_init_from_proc(struct pl_cgroups *cg, struct pl_event *e)
{
	FILE *f = fopen("/proc/1/comm", "re");
	bool who = false;

	if (f) {
		if (fgets(e->comm, sizeof(e->comm), f))
			e->comm[strcspn(e->comm, "\n")] = 0;
		fclose(f);
	}
	read_status(e, &who);
	read_nice(e);
	e->cgroup_id = who ? read_cgroup(cg) : 0;
	if (e->cgroup_id)
		e->flags |= PL_F_WHO;
}
