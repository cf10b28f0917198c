/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The cgroup label of the zombie and orphan metrics, bounded so that a
 * fleet's series stay few whatever its hosts run: at most
 * CGROUP_LABELS_TOP cgroups are named, the rest are counted as "other".
 * Where each process is comes from the events that say it (fork, exec and
 * the bootstrap's proc carry the cgroup's path), and is forgotten at its
 * reap or free.
 */
#ifndef PL_CGROUP_LABELS_H
#define PL_CGROUP_LABELS_H

#include "events.h"
#include "model/model.h"

#define CGROUP_LABELS_TOP 10
/* the label of a process whose cgroup no event named */
#define CGROUP_UNKNOWN "unknown"
#define CGROUP_OTHER "other"

struct cgroup_labels;

/* NULL when out of memory */
struct cgroup_labels *cgroup_labels_new(void);
void cgroup_labels_free(struct cgroup_labels *l);
/* learns or forgets where a process is; other events are ignored */
void cgroup_labels_event(struct cgroup_labels *l, const struct pl_event *e);
/* the cgroup of a process (CGROUP_UNKNOWN if none was named) */
const char *cgroup_labels_of(const struct cgroup_labels *l, __u32 pid, __u64 start);

/* one series of a labelled family: its cgroup and its value */
typedef void (*cgroup_series_fn)(void *ctx, const char *cgroup, unsigned long long value);

/* an orphaning counted under the orphan's cgroup. A counter must never go
 * down, so the first CGROUP_LABELS_TOP cgroups with an orphan keep their
 * own series and every later one adds to "other" */
void cgroup_labels_orphan(struct cgroup_labels *l, __u32 pid, __u64 start);
/* the orphans per cgroup: each named one, then "other" (0 or not) */
void cgroup_labels_orphans(const struct cgroup_labels *l, cgroup_series_fn out, void *ctx);
/* the zombies in the model now (root's subtree; 0: all) per cgroup: the
 * CGROUP_LABELS_TOP cgroups with the most, most first, then "other" (0
 * or not); -1 when out of memory */
int cgroup_labels_zombies(const struct cgroup_labels *l, const struct pl_model *m, __u32 root,
			  cgroup_series_fn out, void *ctx);

#endif
