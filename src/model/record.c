// SPDX-License-Identifier: BSD-2-Clause
/* A process flattened for those who keep it after the model lets it go. */
#include <stdlib.h>
#include <string.h>
#include "model/model.h"

/* the strings are niceties: without memory for them, the record still counts */
static char *copy(const char *s, size_t n)
{
	char *c = s ? malloc(n + 1) : NULL;

	if (c) {
		memcpy(c, s, n);
		c[n] = 0;
	}
	return c;
}

void pl_proc_rec_fill(struct pl_proc_rec *r, const struct pl_proc *p)
{
	const char *name = pl_proc_name(p);

	*r = (struct pl_proc_rec){
		.pid = p->pid, .ppid_birth = p->ppid_birth, .old_parent = p->old_parent,
		.zparent = p->zparent, .reaper = p->reaper, .ns_pid = p->ns_pid,
		.start = p->start, .pstart_birth = p->pstart_birth,
		.birth_ts = p->birth_ts, .exec_ts = p->exec_ts, .exit_ts = p->exit_ts,
		.zombie_ts = p->zombie_ts, .reap_ts = p->reap_ts, .reparent_ts = p->reparent_ts,
		.zombie_ns = p->zombie_ns, .status = p->status, .nice = p->nice,
		.flags = p->flags, .execs = p->execs, .state = p->state,
		.reap_kind = p->reap_kind, .adopter = p->adopter, .kill_why = p->kill_why,
		.uid = p->uid, .gid = p->gid, .euid = p->euid,
		.cpu_user_ns = p->cpu_user_ns, .cpu_sys_ns = p->cpu_sys_ns,
		.max_rss_kb = p->max_rss_kb, .killer = p->killer, .killer_start = p->killer_start,
		.exec_fails = p->exec_fails, .fail_errno = p->fail_errno,
	};
	if (p->parent) {
		r->parent = p->parent->pid;
		r->parent_start = p->parent->start;
	}
	memcpy(r->comm, p->comm, sizeof(r->comm));
	r->comm[sizeof(r->comm) - 1] = 0;
	memcpy(r->killer_comm, p->killer_comm, sizeof(r->killer_comm));
	r->killer_comm[sizeof(r->killer_comm) - 1] = 0;
	if (p->filename)
		r->filename = strdup(p->filename);
	if (name != p->comm)
		r->name = strdup(name);
	if (p->cgroup)
		r->cgroup = strdup(p->cgroup);
	if (p->fail_file)
		r->fail_file = strdup(p->fail_file);
	if (p->killer_name)
		r->killer_name = strdup(p->killer_name);
	r->argv = copy(p->argv, p->argv_len);
	r->argv_len = r->argv ? p->argv_len : 0;
}

void pl_proc_rec_free(struct pl_proc_rec *r)
{
	free(r->filename);
	free(r->name);
	free(r->argv);
	free(r->cgroup);
	free(r->fail_file);
	free(r->killer_name);
	r->filename = r->name = r->argv = r->cgroup = r->fail_file = r->killer_name = NULL;
}
