#include <string.h>
#include "capture/record.h"
#include "records.h"

static void head(struct pl_event *e, const struct pl_rec *h, unsigned kind)
{
	memset(e, 0, offsetof(struct pl_event, filename));
	e->filename[0] = 0;
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

static void exit_part(struct pl_event *e, const struct pl_rec_exit_part *x)
{
	e->ppid = x->ppid;
	e->pstart = x->pstart;
	e->status = x->status;
	e->nice = x->nice;
	e->waits = x->waits;
	e->nohang_polls = x->nohang_polls;
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
	case PL_EV_EXEC: return offsetof(struct pl_rec_exec, filename) + 1;
	case PL_EV_EXIT: return sizeof(struct pl_rec_exit);
	case PL_EV_ZOMBIE: return sizeof(struct pl_rec_zombie);
	case PL_EV_WAIT: return sizeof(struct pl_rec_wait);
	case PL_EV_REAP: return sizeof(struct pl_rec_reap);
	case PL_EV_REPARENT: return sizeof(struct pl_rec_reparent);
	case PL_EV_FREE: return sizeof(struct pl_rec_free);
	case PL_EV_PROC: return sizeof(struct pl_rec_proc);
	case PL_REC_EXIT_ZOMBIE: return sizeof(struct pl_rec_exit_zombie);
	case PL_REC_EXIT_REAP: return sizeof(struct pl_rec_exit_reap);
	default: return 0;
	}
}

static void exec_event(struct pl_event *e, const struct pl_rec_exec *r, size_t size)
{
	size_t room = size - offsetof(struct pl_rec_exec, filename), n = r->filename_len;

	e->ppid = r->ppid;
	e->pstart = r->pstart;
	e->nice = r->nice;
	e->old_tid = r->old_tid;
	ns(e, &r->ns);
	if (n > room)
		n = room;
	if (n > sizeof(e->filename))
		n = sizeof(e->filename);
	memcpy(e->filename, r->filename, n);
	e->filename[n ? n - 1 : 0] = 0;
}

int pl_record_events(const void *rec, size_t size, struct pl_event out[PL_RECORD_EVENTS])
{
	const struct pl_rec *h = rec;
	size_t need;

	if (size < sizeof(*h))
		return 0;
	need = least(h->kind);
	if (!need || size < need)
		return 0;
	head(&out[0], h, h->kind);
	switch (h->kind) {
	case PL_EV_FORK: {
		const struct pl_rec_fork *r = rec;

		out[0].ppid = r->ppid;
		out[0].pstart = r->pstart;
		out[0].nice = r->nice;
		ns(&out[0], &r->ns);
		return 1;
	}
	case PL_EV_EXEC:
		exec_event(&out[0], rec, size);
		return 1;
	case PL_EV_EXIT:
		exit_part(&out[0], &((const struct pl_rec_exit *)rec)->x);
		return 1;
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
		return 1;
	}
	case PL_REC_EXIT_ZOMBIE: {
		const struct pl_rec_exit_zombie *r = rec;

		out[0].kind = PL_EV_EXIT;
		exit_part(&out[0], &r->x);
		zombie_after(&out[1], h, &r->z);
		return 2;
	}
	case PL_REC_EXIT_REAP: {
		const struct pl_rec_exit_reap *r = rec;

		out[0].kind = PL_EV_EXIT;
		exit_part(&out[0], &r->x);
		head(&out[1], h, PL_EV_REAP);
		out[1].ts = r->r.ts;
		out[1].flags = r->r.flags;
		reap_part(&out[1], &r->r);
		return 2;
	}
	}
	return 0;
}
