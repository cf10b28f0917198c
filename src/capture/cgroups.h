/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Cgroup ids (the records carry the unified hierarchy's id, its kernfs
 * inode) made into paths within that hierarchy, as /proc/PID/cgroup shows
 * them ("/system.slice/nginx.service"): as the kernel told them when the
 * cgroup was made or renamed, or else through the id as a file handle on the
 * cgroup2 mount, while the cgroup exists. Kept, since ids are never reused.
 */
#ifndef PL_CAPTURE_CGROUPS_H
#define PL_CAPTURE_CGROUPS_H

#include <linux/types.h>
#include <stdbool.h>

struct pl_cgroups;

struct pl_cgroups *pl_cgroups_new(void); /* NULL: out of memory */
void pl_cgroups_free(struct pl_cgroups *cg);

/* id's path, or NULL: no cgroup2 mount, or the cgroup is gone. Valid until
 * the next call: keep a copy */
const char *pl_cgroup_path(struct pl_cgroups *cg, __u64 id);

/* is there a cgroup at path, or below it, as far as the names known tell
 * (every cgroup there was at the start, and those made since)? true when
 * there is no hierarchy to look in */
bool pl_cgroups_there(const struct pl_cgroups *cg, const char *path);

/* the id of the cgroup at path in the hierarchy (as /proc/PID/cgroup names
 * it), 0: not below this process's mount of it, or gone */
__u64 pl_cgroup_id_at(const struct pl_cgroups *cg, const char *path);

/* the kernel told id's path as the cgroup was made or renamed */
void pl_cgroups_learn(struct pl_cgroups *cg, __u64 id, const char *path);

#endif
