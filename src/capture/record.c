// SPDX-License-Identifier: BSD-2-Clause
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "capture/kills.h"
#include "capture/record.h"
#include "records.h"

struct pl_records {
	unsigned long page_kb;
	struct pl_kills *kills;
	/* a failed execveat's name with its directory: /dev/fd/N/NAME */
	char named[sizeof("/dev/fd/-2147483648/") + PL_REC_FILENAME_MAX];
};

struct pl_records *pl_records_new(unsigned long page_size)
{
	struct pl_records *rr = calloc(1, sizeof(*rr));

	if (!rr)
		return NULL;
	rr->page_kb = page_size / 1024;
	rr->kills = pl_kills_new();
	if (!rr->kills) {
		free(rr);
		return NULL;
	}
	return rr;
}

void pl_records_free(struct pl_records *rr)
{
	if (rr)
		pl_kills_free(rr->kills);
	free(rr);
}

unsigned long long pl_records_kills_forgotten(const struct pl_records *rr)
{
	return pl_kills_forgotten(rr->kills);
}

/* the whole process's exit, by signal or not: who sent the signal that
 * ended it, if that was seen */
static void find_killer(struct pl_records *rr, struct pl_event *e)
{
	int sig = e->status & 0x7f;
	struct pl_rec_kill k;

	if (sig == 0x7f)
		sig = 0; /* not an end by signal */
	if (!pl_kills_take(rr->kills, e->pid, e->start, sig, &k))
		return;
	e->flags |= PL_F_KILLER;
	e->killer = k.sender;
	e->killer_start = k.sender_start;
	e->kill_why = k.why;
	memcpy(e->killer_comm, k.sender_comm, sizeof(e->killer_comm));
	e->killer_comm[sizeof(e->killer_comm) - 1] = 0;
}

static void head(struct pl_event *e, const struct pl_rec *h, unsigned kind)
{
	pl_event_clear(e);
	e->kind = kind;
	e->ts = h->ts;
	e->start = h->start;
	e->pid = h->pid;
	e->tid = h->tid;
	e->flags = h->flags;
	e->cpu = h->cpu;
	memcpy(e->comm, h->comm, sizeof(e->comm));
	e->comm[sizeof(e->comm) - 1] = 0;
}

static void ns(struct pl_event *e, const struct pl_rec_ns *n)
{
	if (!n->level)
		return;
	e->ns_pid = n->pid;
	e->ns_level = n->level;
	e->ns_inum = n->inum;
}

static void who(struct pl_event *e, const struct pl_rec_who *w)
{
	e->flags |= PL_F_WHO;
	e->uid = w->uid;
	e->gid = w->gid;
	e->euid = w->euid;
	e->cgroup_id = w->cgroup;
}

/* cpu_ns split the way the kernel splits it for wait4 (cputime_adjust):
 * in proportion to its user and system ticks */
static void split_cpu(struct pl_event *e, const struct pl_rec_exit_part *x)
{
	unsigned __int128 user;

	if (!x->stime) {
		e->cpu_user_ns = x->cpu_ns;
		return;
	}
	if (!x->utime) {
		e->cpu_sys_ns = x->cpu_ns;
		return;
	}
	user = (unsigned __int128)x->cpu_ns * x->utime / (x->utime + x->stime);
	e->cpu_user_ns = (__u64)user;
	e->cpu_sys_ns = x->cpu_ns - e->cpu_user_ns;
}

static void exit_part(struct pl_records *rr, struct pl_event *e, const struct pl_rec_exit_part *x)
{
	e->ppid = x->ppid;
	e->pstart = x->pstart;
	e->status = x->status;
	e->nice = x->nice;
	e->waits = x->waits;
	e->nohang_polls = x->nohang_polls;
	e->parent_kind = x->parent_kind <= PL_ADOPT_OTHER ? x->parent_kind : PL_ADOPT_UNKNOWN;
	if (e->flags & PL_F_THREAD)
		return;
	e->flags |= PL_F_USAGE;
	who(e, &x->who);
	split_cpu(e, x);
	e->max_rss_kb = x->max_rss_pages * rr->page_kb;
	find_killer(rr, e);
}

/* the zombie moment that follows an exit in the same record */
static void zombie_after(struct pl_event *e, const struct pl_rec *h,
			 const struct pl_rec_zombie_part *z)
{
	head(e, h, PL_EV_ZOMBIE);
	e->ts = z->ts;
	e->tid = z->tid;
	e->flags = 0;
	e->parent = z->parent;
	e->pstart = z->parent_start;
	e->status = z->status;
}

/* an exit whose zombie moment adds only its time (the thread, the parent
 * and the status the same): the log may tell both in one line, exactly
 * when what a reader makes of that line is this zombie */
static void then_zombie(struct pl_event *exit, const struct pl_event *z)
{
	struct pl_event told;

	exit->zombie_ts = z->ts;
	pl_event_zombie_of_exit(exit, &told);
	if (memcmp(&told, z, sizeof(told))) {
		exit->zombie_ts = 0;
		return;
	}
	exit->flags |= PL_F_THEN_ZOMBIE;
}

static void reap_part(struct pl_event *e, const struct pl_rec_reap_part *r)
{
	e->reaper = r->reaper;
	e->pstart = r->reaper_start;
	e->zombie_ns = r->zombie_ns;
	e->status = r->status;
	e->ns_pid = r->ns_pid;
}

/* each kind's size, the least a record of it must have */
static size_t least(unsigned kind)
{
	switch (kind) {
	case PL_EV_FORK: return sizeof(struct pl_rec_fork);
	case PL_EV_EXEC:
	case PL_EV_EXEC_FAILED: return offsetof(struct pl_rec_exec, data) + 1;
	case PL_EV_EXIT: return sizeof(struct pl_rec_exit);
	case PL_EV_ZOMBIE: return sizeof(struct pl_rec_zombie);
	case PL_EV_WAIT: return sizeof(struct pl_rec_wait);
	case PL_EV_REAP: return sizeof(struct pl_rec_reap);
	case PL_EV_REPARENT: return sizeof(struct pl_rec_reparent);
	case PL_EV_FREE: return sizeof(struct pl_rec_free);
	case PL_EV_PROC: return sizeof(struct pl_rec_proc);
	case PL_REC_EXIT_ZOMBIE: return sizeof(struct pl_rec_exit_zombie);
	case PL_REC_EXIT_REAP: return sizeof(struct pl_rec_exit_reap);
	case PL_REC_KILL: return sizeof(struct pl_rec_kill);
	case PL_REC_OOM: return sizeof(struct pl_rec_oom);
	default: return 0;
	}
}

/* a failed execveat's name relative to its directory, or empty (the file
 * the directory's fd is open on), named as the kernel names a successful
 * one's */
static const char *named_by_dirfd(struct pl_records *rr, const struct pl_rec_exec *r)
{
	if (r->h.kind != PL_EV_EXEC_FAILED || r->dirfd == PL_AT_FDCWD)
		return r->data;
	snprintf(rr->named, sizeof(rr->named), r->data[0] ? "/dev/fd/%d/%s" : "/dev/fd/%d",
		 (int)r->dirfd, r->data);
	return rr->named;
}

/* the name and arguments point into the record: the name must end within
 * it, the arguments are what is there of them */
static int exec_event(struct pl_records *rr, struct pl_event *e, const struct pl_rec_exec *r,
		      size_t size)
{
	size_t room = size - offsetof(struct pl_rec_exec, data), n = r->filename_len;

	e->ppid = r->ppid;
	e->pstart = r->pstart;
	e->nice = r->nice;
	e->old_tid = r->old_tid;
	e->err = r->err;
	ns(e, &r->ns);
	who(e, &r->who);
	if (!n || n > room || r->data[n - 1])
		return -1;
	e->filename = named_by_dirfd(rr, r);
	e->args_len = r->args_len <= room - n ? r->args_len : (__u32)(room - n);
	if (e->args_len)
		e->args = r->data + n;
	return 1;
}

int pl_record_events(struct pl_records *rr, const void *rec, size_t size,
		     struct pl_event out[PL_RECORD_EVENTS])
{
	const struct pl_rec *h = rec;
	size_t need;

	if (size < sizeof(*h))
		return -1;
	need = least(h->kind);
	if (!need || size < need)
		return -1;
	head(&out[0], h, h->kind);
	switch (h->kind) {
	case PL_EV_FORK: {
		const struct pl_rec_fork *r = rec;

		out[0].ppid = r->ppid;
		out[0].pstart = r->pstart;
		out[0].creator = r->creator;
		out[0].nice = r->nice;
		ns(&out[0], &r->ns);
		who(&out[0], &r->who);
		return 1;
	}
	case PL_EV_EXEC:
	case PL_EV_EXEC_FAILED:
		return exec_event(rr, &out[0], rec, size);
	case PL_EV_EXIT:
		exit_part(rr, &out[0], &((const struct pl_rec_exit *)rec)->x);
		return 1;
	case PL_REC_KILL:
		pl_kills_keep(rr->kills, rec);
		return 0;
	case PL_REC_OOM:
		pl_kills_mark_oom(rr->kills, h->tid, h->ts);
		return 0;
	case PL_EV_ZOMBIE: {
		const struct pl_rec_zombie *r = rec;

		out[0].parent = r->z.parent;
		out[0].pstart = r->z.parent_start;
		out[0].status = r->z.status;
		return 1;
	}
	case PL_EV_WAIT: {
		const struct pl_rec_wait *r = rec;

		out[0].target = r->target;
		out[0].options = r->options;
		return 1;
	}
	case PL_EV_REAP:
		reap_part(&out[0], &((const struct pl_rec_reap *)rec)->r);
		return 1;
	case PL_EV_REPARENT: {
		const struct pl_rec_reparent *r = rec;

		out[0].old_parent = r->old_parent;
		out[0].new_parent = r->new_parent;
		out[0].new_parent_start = r->new_parent_start;
		out[0].adopter = (__s32)r->adopter;
		ns(&out[0], &r->ns);
		return 1;
	}
	case PL_EV_FREE:
		out[0].status = ((const struct pl_rec_free *)rec)->status;
		return 1;
	case PL_EV_PROC: {
		const struct pl_rec_proc *r = rec;

		out[0].ppid = r->ppid;
		out[0].pstart = r->pstart;
		out[0].nice = r->nice;
		out[0].threads = r->threads;
		out[0].status = r->status;
		ns(&out[0], &r->ns);
		who(&out[0], &r->who);
		return 1;
	}
	case PL_REC_EXIT_ZOMBIE: {
		const struct pl_rec_exit_zombie *r = rec;

		out[0].kind = PL_EV_EXIT;
		exit_part(rr, &out[0], &r->x);
		zombie_after(&out[1], h, &r->z);
		then_zombie(&out[0], &out[1]);
		return 2;
	}
	case PL_REC_EXIT_REAP: {
		const struct pl_rec_exit_reap *r = rec;

		out[0].kind = PL_EV_EXIT;
		exit_part(rr, &out[0], &r->x);
		head(&out[1], h, PL_EV_REAP);
		out[1].ts = r->r.ts;
		out[1].flags = r->r.flags;
		reap_part(&out[1], &r->r);
		return 2;
	}
	}
	return -1;
}
