// SPDX-License-Identifier: BSD-2-Clause
/* A process flattened for those who keep it after the model lets it go. */
#include <stdlib.h>
#include <string.h>
#include "model/model.h"

void pl_proc_rec_fill(struct pl_proc_rec *r, const struct pl_proc *p)
{
	*r = (struct pl_proc_rec){
		.pid = p->pid, .ppid_birth = p->ppid_birth, .old_parent = p->old_parent,
		.zparent = p->zparent, .reaper = p->reaper, .ns_pid = p->ns_pid,
		.start = p->start, .pstart_birth = p->pstart_birth,
		.birth_ts = p->birth_ts, .exec_ts = p->exec_ts, .exit_ts = p->exit_ts,
		.zombie_ts = p->zombie_ts, .reap_ts = p->reap_ts, .reparent_ts = p->reparent_ts,
		.zombie_ns = p->zombie_ns, .status = p->status, .nice = p->nice,
		.flags = p->flags, .execs = p->execs, .state = p->state,
		.reap_kind = p->reap_kind, .adopter = p->adopter,
	};
	if (p->parent) {
		r->parent = p->parent->pid;
		r->parent_start = p->parent->start;
	}
	memcpy(r->comm, p->comm, sizeof(r->comm));
	r->comm[sizeof(r->comm) - 1] = 0;
	/* the file name is a nicety: without memory for it, the record still counts */
	if (p->filename)
		r->filename = strdup(p->filename);
}

void pl_proc_rec_free(struct pl_proc_rec *r)
{
	free(r->filename);
	r->filename = NULL;
}
