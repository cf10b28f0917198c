// SPDX-License-Identifier: BSD-2-Clause
#include <stdio.h>
#include <string.h>
#include "output/filter.h"
#include "output/users.h"
#include "util/diag.h"

bool filter_on(const struct filter *f)
{
	return f->by_uid || f->cgroup || f->comm;
}

/* the cgroup named, or one below it */
static bool within(const char *path, const char *top)
{
	size_t n = strlen(top);

	if (!path)
		return false;
	if (n == 1) /* "/": every cgroup */
		return true;
	return !strncmp(path, top, n) && (path[n] == 0 || path[n] == '/');
}

/* its name after its last exec is name: the whole name, or the 15 bytes
 * the kernel keeps; a rename since (prctl) does not change what it is
 * kept as, so its lines are kept alike from its exec to its end */
static bool named(const struct pl_proc *p, const char *name)
{
	return !strcmp(pl_proc_exec_name(p), name) ||
	       !strncmp(p->comm_exec, name, sizeof(p->comm_exec));
}

bool filter_keeps(const struct filter *f, const struct pl_proc *p)
{
	if (f->by_uid && (!(p->flags & PL_P_WHO) || p->uid != f->uid))
		return false;
	if (f->cgroup && !within(p->cgroup, f->cgroup))
		return false;
	if (f->comm && !named(p, f->comm))
		return false;
	return true;
}

int filter_parse_uid(struct filter *f, const char *arg)
{
	if (f->by_uid)
		return usage_error("--uid given twice: one user at a time");
	if (!*arg || user_parse(arg, &f->uid))
		return usage_error("--uid takes a uid or a user's name, and '%s' is neither", arg);
	f->by_uid = true;
	return 0;
}

/* a ".." part: which cgroup it names depends on links no path shows */
static bool has_parent_part(const char *path)
{
	for (const char *part = path; *part; part += strspn(part, "/")) {
		size_t len = strcspn(part, "/");

		if (len == 2 && part[0] == '.' && part[1] == '.')
			return true;
		part += len;
	}
	return false;
}

/* the path as /proc/PID/cgroup writes it: "//a/./b/" is "/a/b" */
static char *cgroup_path_normal(char *path)
{
	char *out = path;

	for (const char *part = path; *part;) {
		size_t len;

		part += strspn(part, "/");
		len = strcspn(part, "/");
		if (len && !(len == 1 && *part == '.')) {
			*out++ = '/';
			memmove(out, part, len);
			out += len;
		}
		part += len;
	}
	if (out == path)
		*out++ = '/';
	*out = 0;
	return path;
}

int filter_parse_cgroup(struct filter *f, char *arg)
{
	if (f->cgroup)
		return usage_error("--cgroup given twice: one cgroup (and those below it) at a time");
	if (arg[0] != '/')
		return usage_error("--cgroup takes a cgroup's path in the unified hierarchy, as "
				   "/proc/PID/cgroup shows it (/system.slice/nginx.service), not '%s'",
				   arg);
	if (has_parent_part(arg))
		return usage_error("--cgroup takes a path without '..' parts, as /proc/PID/cgroup "
				   "shows it, not '%s'", arg);
	f->cgroup = cgroup_path_normal(arg);
	return 0;
}

int filter_parse_comm(struct filter *f, const char *arg)
{
	if (f->comm)
		return usage_error("--comm given twice: one name at a time");
	if (!*arg)
		return usage_error("--comm takes a process name, not an empty one");
	f->comm = arg;
	return 0;
}

const char *filter_describe(const struct filter *f, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = 0;
	if (f->by_uid)
		used += (size_t)snprintf(buf + used, len - used, "--uid %u", f->uid);
	if (f->cgroup && used < len)
		used += (size_t)snprintf(buf + used, len - used, "%s--cgroup %s", used ? " " : "",
					 f->cgroup);
	if (f->comm && used < len)
		snprintf(buf + used, len - used, "%s--comm %s", used ? " " : "", f->comm);
	return buf;
}
