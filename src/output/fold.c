// SPDX-License-Identifier: BSD-2-Clause
#include <stdio.h>
#include <string.h>
#include "output/fold.h"

/* the process an event is done by or to, besides its own */
static __u32 actor(const struct pl_event *e)
{
	switch (e->kind) {
	case PL_EV_FORK:
	case PL_EV_EXIT:
		return e->flags & PL_F_THREAD ? e->pid : e->ppid;
	case PL_EV_WAIT:
		return e->pid;
	case PL_EV_REPARENT:
		return e->new_parent;
	case PL_EV_FREE:
		return 0;
	default: /* exec, zombie: the parent; reap: the reaper */
		return e->ppid;
	}
}

static unsigned long long hash(const char *s, size_t n)
{
	unsigned long long h = 14695981039346656037ULL; /* FNV-1a */

	for (size_t i = 0; i < n && s[i]; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

static unsigned long long class_of(const struct pl_event *e)
{
	switch (e->kind) {
	case PL_EV_EXIT:
		return e->status != 0;
	case PL_EV_EXEC:
		return hash(e->filename ? e->filename : "", PL_PATH_MAX);
	case PL_EV_EXEC_FAILED: /* the same file, the same errno */
		return hash(e->filename ? e->filename : "", PL_PATH_MAX) ^ (unsigned)e->err;
	case PL_EV_WAIT:
	case PL_EV_REAP:
		return e->flags & (PL_F_NOHANG | PL_F_AUTO);
	default:
		return 0;
	}
}

static bool alike(const struct fold_burst *b, const struct pl_event *e)
{
	return b->kind == e->kind && b->thread == !!(e->flags & PL_F_THREAD) &&
	       b->actor == actor(e) && b->class == class_of(e) &&
	       !memcmp(b->comm, e->comm, sizeof(b->comm));
}

static void say(struct fold *f, struct fold_burst *b)
{
	if (b->folded)
		f->say(f->ctx, b);
	b->folded = 0;
}

static void drop(struct fold *f, size_t i)
{
	say(f, &f->b[i]);
	f->b[i] = f->b[--f->n];
}

/* the burst seen last the longest ago */
static size_t quietest(const struct fold *f)
{
	size_t q = 0;

	for (size_t i = 1; i < f->n; i++)
		if (f->b[i].last_ts < f->b[q].last_ts)
			q = i;
	return q;
}

/* the burst of e: an ongoing one, or a new one (the quietest ends if
 * there is no room) */
static struct fold_burst *burst_of(struct fold *f, const struct pl_event *e, const char *name)
{
	struct fold_burst *b;

	for (size_t i = 0; i < f->n; i++)
		if (alike(&f->b[i], e))
			return &f->b[i];
	if (f->n == FOLD_BURSTS)
		drop(f, quietest(f));
	b = &f->b[f->n++];
	memset(b, 0, sizeof(*b));
	b->kind = e->kind;
	b->thread = !!(e->flags & PL_F_THREAD);
	b->actor = actor(e);
	b->class = class_of(e);
	memcpy(b->comm, e->comm, sizeof(b->comm));
	snprintf(b->name, sizeof(b->name), "%s", name ? name : "");
	return b;
}

bool fold_event(struct fold *f, const struct pl_event *e, const char *name)
{
	struct fold_burst *b;
	int code = (e->status >> 8) & 0xff;

	fold_tick(f, e->ts);
	b = burst_of(f, e, name);
	b->seen++;
	if (e->ts > b->last_ts)
		b->last_ts = e->ts;
	if (b->seen <= FOLD_SHOW)
		return true;
	if (!b->folded++) {
		b->from_ts = e->ts;
		b->code_lo = b->code_hi = code;
	}
	b->to_ts = e->ts;
	if (code < b->code_lo)
		b->code_lo = code;
	if (code > b->code_hi)
		b->code_hi = code;
	if (b->to_ts >= b->from_ts + FOLD_SAY_NS)
		say(f, b);
	return false;
}

void fold_tick(struct fold *f, unsigned long long now)
{
	/* the quietest first, so counts come in the order their bursts ended */
	while (f->n && now > f->b[quietest(f)].last_ts + FOLD_GAP_NS)
		drop(f, quietest(f));
}

unsigned long long fold_next_due(const struct fold *f)
{
	return f->n ? f->b[quietest(f)].last_ts + FOLD_GAP_NS + 1 : 0;
}

void fold_flush(struct fold *f)
{
	while (f->n)
		drop(f, quietest(f));
}
