// SPDX-License-Identifier: BSD-2-Clause
#include <string.h>
#include "core/restate.h"

bool restate_wanted(const struct pl_proc *q)
{
	return !(q->flags & PL_P_PLACEHOLDER) && q->state <= PL_ST_ZOMBIE;
}

void restate_proc(const struct pl_proc *q, unsigned long long ts, struct pl_event *e)
{
	memset(e, 0, sizeof(*e));
	e->kind = PL_EV_PROC;
	e->ts = ts;
	e->pid = e->tid = q->pid;
	e->start = q->start;
	memcpy(e->comm, q->comm, sizeof(e->comm));
	if (q->parent) {
		e->ppid = q->parent->pid;
		e->pstart = q->parent->start;
	}
	e->threads = q->threads;
	e->nice = q->nice;
	e->ns_pid = q->ns_pid;
	e->ns_level = q->ns_level;
	e->ns_inum = q->ns_inum;
	if (q->flags & PL_P_WHO) { /* a part's filters find it by them */
		e->flags |= PL_F_WHO;
		e->uid = q->uid;
		e->gid = q->gid;
		e->euid = q->euid;
		e->cgroup_id = q->cgroup_id;
		e->cgroup = q->cgroup; /* the model's copy, written at once */
	}
	if (q->flags & PL_P_SUBREAPER)
		e->flags |= PL_F_SUBREAPER;
	if (q->state == PL_ST_EXITED)
		e->flags |= PL_F_EXITED;
	if (q->state == PL_ST_ZOMBIE) {
		e->flags |= PL_F_ZOMBIE;
		e->status = q->status;
	}
}
