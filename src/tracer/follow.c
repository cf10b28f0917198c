// SPDX-License-Identifier: BSD-2-Clause
#include <stdlib.h>
#include <string.h>
#include "tracer/follow.h"
#include "util/array.h"
#include "util/diag.h"

static size_t lower_bound(const struct pid_set *s, __u32 pid)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (s->pids[mid] < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool pid_set_has(const struct pid_set *s, __u32 pid)
{
	size_t i = lower_bound(s, pid);

	return i < s->n && s->pids[i] == pid;
}

int pid_set_add(struct pid_set *s, __u32 pid)
{
	size_t i = lower_bound(s, pid);

	if (i < s->n && s->pids[i] == pid)
		return 0;
	if (array_room(&s->pids, &s->cap, s->n, sizeof(*s->pids), 64))
		return error("out of memory");
	memmove(s->pids + i + 1, s->pids + i, (s->n - i) * sizeof(*s->pids));
	s->pids[i] = pid;
	s->n++;
	return 1;
}

void pid_set_free(struct pid_set *s)
{
	free(s->pids);
	memset(s, 0, sizeof(*s));
}

struct edge {
	__u32 pid, ppid;
	__u64 start;
};

struct snapshot {
	struct edge *e;
	size_t n, cap;
};

static int collect(void *ctx, const struct pl_event *ev)
{
	struct snapshot *s = ctx;

	if (array_room(&s->e, &s->cap, s->n, sizeof(*s->e), 1024))
		return error("out of memory");
	s->e[s->n++] = (struct edge){ ev->pid, ev->ppid, ev->start };
	return 0;
}

/* One pass: follow every process whose parent is followed. A process a
 * not-yet-followed parent forks meanwhile shows in the next snapshot, so
 * passes repeat until one adds nothing. */
int follow_subtree(struct pl_capture *c, pid_t root, struct pid_set *followed)
{
	struct snapshot snap = { 0 };
	int added = 1, ret = 0;
	bool pinned = false;

	/* any process with the pid until the first snapshot says which it is */
	if (pl_capture_follow(c, (__u32)root, 0) || pid_set_add(followed, (__u32)root) < 0)
		return -1;
	while (added && !ret) {
		added = 0;
		snap.n = 0;
		if (pl_capture_snapshot(c, collect, &snap)) {
			ret = -1;
			break;
		}
		for (size_t i = 0; i < snap.n && !pinned; i++)
			if (snap.e[i].pid == (__u32)root) {
				pinned = true;
				if (pl_capture_follow(c, (__u32)root, snap.e[i].start))
					ret = -1;
			}
		for (int grew = 1; grew && !ret;) {
			grew = 0;
			for (size_t i = 0; i < snap.n; i++) {
				if (!pid_set_has(followed, snap.e[i].ppid) ||
				    pid_set_has(followed, snap.e[i].pid))
					continue;
				if (pl_capture_follow(c, snap.e[i].pid, snap.e[i].start) ||
				    pid_set_add(followed, snap.e[i].pid) < 0) {
					ret = -1;
					break;
				}
				grew = added = 1;
			}
		}
	}
	free(snap.e);
	return ret;
}
