// SPDX-License-Identifier: BSD-2-Clause
/*
 * Chrome/Perfetto trace-event JSON (the format ui.perfetto.dev and
 * chrome://tracing open). One track per pid, named "comm pid"; on it a
 * slice for the process's life, one for its exit, one for its zombie
 * phase; instants for exec, exit and reparent; flow arrows from parent to
 * child at fork and from old to new parent at reparent. Times are in
 * microseconds since boot.
 *
 * Events are written as they come. A flow must start inside a slice of
 * its track, and a reparent's old parent has already exited: its flow
 * starts are held until its slices are known, then clamped into them.
 */
#include <stdlib.h>
#include <string.h>
#include "output/args_cut.h"
#include "output/cgroup_label.h"
#include "output/end_text.h"
#include "output/export.h"
#include "output/export_impl.h"
#include "output/export_procs.h"
#include "util/array.h"
#include "util/json.h"
#include "util/names.h"
#include "util/pidtab.h"
#include "util/shell_quote.h"
#include "util/status.h"

/* an argv as one line of shell words, into a buffer of the exporter's */
static const char *argv_line(const char *args, size_t len, int cut)
{
	static char line[SHELL_QUOTED_MAX(4096) + 8];

	shell_join(line, sizeof(line), args, len, 0, cut);
	return line;
}

struct track {
	__u32 pid;
	__u32 order;       /* first seen: the order tracks are listed in */
	__u64 lo, hi;      /* what its slices cover, once drawn */
	bool drawn;        /* a life of it was written */
	char comm[PL_COMM_LEN];
};

/* a flow start waiting for its track's slices */
struct held_flow {
	__u32 pid;
	__u64 ts, id;
};

struct perfetto {
	struct pl_exporter x;
	struct pidtab tracks; /* of struct track */
	struct held_flow *held;
	size_t nheld, held_cap;
	__u64 flows;
	__u64 lo, hi;      /* the run's first and last event */
	bool first;        /* no event written yet: no comma before it */
};

/* the track of pid, made on first use; NULL only when out of memory */
static struct track *track(struct perfetto *f, __u32 pid, const char *comm)
{
	bool fresh;
	struct track *t = pidtab_get(&f->tracks, pid, &fresh);

	if (t && fresh) {
		t->order = (__u32)f->tracks.used;
		if (comm)
			memcpy(t->comm, comm, sizeof(t->comm) - 1);
	}
	return t;
}

static void seen(struct perfetto *f, __u64 ts)
{
	if (!ts)
		return;
	if (!f->lo || ts < f->lo)
		f->lo = ts;
	if (ts > f->hi)
		f->hi = ts;
}

/* opens one event object: the caller adds its own fields and closes it */
static FILE *open_ev(struct perfetto *f, char ph, const char *name, __u32 pid, __u32 tid,
		     __u64 ts)
{
	FILE *o = f->x.out;

	fputs(f->first ? "\n" : ",\n", o);
	f->first = false;
	fprintf(o, "{\"ph\":\"%c\",\"pid\":%u,\"tid\":%u,\"ts\":%llu.%03llu,\"name\":", ph, pid,
		tid, (unsigned long long)(ts / 1000), (unsigned long long)(ts % 1000));
	json_put_string(o, name);
	return o;
}

static void meta(struct perfetto *f, const char *what, __u32 pid, __u32 tid, const char *comm)
{
	FILE *o = f->x.out;
	char name[288];

	fputs(f->first ? "\n" : ",\n", o);
	f->first = false;
	snprintf(name, sizeof(name), "%s %u", comm, tid);
	fprintf(o, "{\"ph\":\"M\",\"pid\":%u,\"tid\":%u,\"name\":\"%s\",\"args\":{\"name\":", pid,
		tid, what);
	json_put_string(o, name);
	fputs("}}", o);
}

static void name_track(struct perfetto *f, const struct track *t, const char *comm)
{
	meta(f, "process_name", t->pid, t->pid, comm);
	meta(f, "thread_name", t->pid, t->pid, comm);
	fprintf(f->x.out, ",\n{\"ph\":\"M\",\"pid\":%u,\"name\":\"process_sort_index\","
		"\"args\":{\"sort_index\":%u}}", t->pid, t->order);
}

static void slice(struct perfetto *f, const char *name, const char *cat, __u32 pid, __u64 from,
		  __u64 to)
{
	FILE *o = open_ev(f, 'X', name, pid, pid, from);
	__u64 d = to > from ? to - from : 0;

	fprintf(o, ",\"cat\":\"%s\",\"dur\":%llu.%03llu", cat, (unsigned long long)(d / 1000),
		(unsigned long long)(d % 1000));
}

static void instant(struct perfetto *f, const char *name, const struct pl_event *e, __u32 tid)
{
	FILE *o = open_ev(f, 'i', name, e->pid, tid, e->ts);

	fprintf(o, ",\"cat\":\"%s\",\"s\":\"t\",\"args\":{\"comm\":", name);
	json_put_string(o, e->comm);
}

static void flow(struct perfetto *f, char ph, const char *name, __u32 pid, __u64 ts, __u64 id)
{
	FILE *o = open_ev(f, ph, name, pid, pid, ts);

	fprintf(o, ",\"cat\":\"%s\",\"id\":%llu%s}", name, (unsigned long long)id,
		ph == 'f' ? ",\"bp\":\"e\"" : "");
}

/* a held flow start, moved inside its track's slices when they are known */
static void release_flow(struct perfetto *f, const struct held_flow *h)
{
	struct track *t = track(f, h->pid, NULL);
	__u64 ts = h->ts;

	if (t && t->drawn && t->hi > t->lo) {
		if (ts >= t->hi)
			ts = t->hi - 1; /* a slice's end is not inside it */
		if (ts < t->lo)
			ts = t->lo;
	}
	flow(f, 's', "reparent", h->pid, ts, h->id);
}

static void hold_flow(struct perfetto *f, __u32 pid, __u64 ts, __u64 id)
{
	struct held_flow h = { pid, ts, id };
	struct track *t = track(f, pid, NULL);

	if (t && t->drawn) {
		release_flow(f, &h);
		return;
	}
	if (array_room(&f->held, &f->held_cap, f->nheld, sizeof(*f->held), 64)) {
		release_flow(f, &h); /* unclamped rather than lost */
		return;
	}
	f->held[f->nheld++] = h;
}

static void release_held(struct perfetto *f, __u32 pid)
{
	size_t k = 0;

	for (size_t i = 0; i < f->nheld; i++) {
		if (!pid || f->held[i].pid == pid)
			release_flow(f, &f->held[i]);
		else
			f->held[k++] = f->held[i];
	}
	f->nheld = k;
}

static void status_arg(FILE *o, __s32 status)
{
	char d[64];

	fprintf(o, ",\"status\":%d,\"end\":\"%s\"", status,
		pl_status_describe(status, d, sizeof(d)));
}

static void perfetto_event(struct pl_exporter *x, const struct pl_event *e)
{
	struct perfetto *f = (struct perfetto *)x;
	bool thread = e->flags & PL_F_THREAD;
	FILE *o = x->out;

	seen(f, e->ts);
	switch (e->kind) {
	case PL_EV_FORK:
		if (!track(f, e->pid, e->comm) || !track(f, e->ppid, e->comm))
			return;
		if (thread) {
			meta(f, "thread_name", e->pid, e->tid, e->comm);
			instant(f, "thread start", e, e->tid);
			fputs("}}", o);
			return;
		}
		f->flows++;
		flow(f, 's', "fork", e->ppid, e->ts, f->flows);
		flow(f, 'f', "fork", e->pid, e->ts, f->flows);
		return;
	case PL_EV_EXEC:
		if (!track(f, e->pid, e->comm))
			return;
		instant(f, "exec", e, e->pid);
		fputs(",\"filename\":", o);
		json_put_string(o, e->filename ? e->filename : "");
		if (e->args) {
			fputs(",\"argv\":", o);
			json_put_string(o, argv_line(e->args, e->args_len, args_cut(e)));
		}
		fputs("}}", o);
		return;
	case PL_EV_EXIT:
		if (!track(f, e->pid, e->comm))
			return;
		instant(f, thread ? "thread exit" : "exit", e, thread ? e->tid : e->pid);
		status_arg(o, e->status);
		fputs("}}", o);
		return;
	case PL_EV_REPARENT:
		if (!track(f, e->pid, e->comm) || !track(f, e->old_parent, NULL) ||
		    !track(f, e->new_parent, NULL))
			return;
		instant(f, "reparent", e, e->pid);
		fprintf(o, ",\"old_parent\":%u,\"new_parent\":%u,\"adopter\":\"%s\"}}", e->old_parent,
			e->new_parent, pl_adopter_name((unsigned)e->adopter));
		if (e->old_parent == e->new_parent)
			return; /* another thread of the same process: no move to draw */
		f->flows++;
		hold_flow(f, e->old_parent, e->ts, f->flows);
		flow(f, 'f', "reparent", e->new_parent, e->ts, f->flows);
		return;
	default:
		return;
	}
}

static void str_arg(FILE *o, const char *key, const char *value)
{
	fprintf(o, ",\"%s\":", key);
	json_put_string(o, value);
}

/* who, what and how much, where known */
static void context_args(FILE *o, const struct pl_proc *p)
{
	char buf[160];

	if (pl_proc_name(p) != p->comm)
		str_arg(o, "name", pl_proc_name(p));
	if (p->argv)
		str_arg(o, "argv", argv_line(p->argv, p->argv_len, export_argv_cut(p->flags)));
	if (p->flags & PL_P_WHO)
		fprintf(o, ",\"uid\":%u,\"gid\":%u,\"euid\":%u", p->uid, p->gid, p->euid);
	if (p->cgroup)
		str_arg(o, "cgroup", p->cgroup);
	if (cgroup_label(p->cgroup, buf, sizeof(buf)))
		str_arg(o, "unit", buf);
	if (p->flags & PL_P_USAGE)
		fprintf(o, ",\"cpu_user_ns\":%llu,\"cpu_sys_ns\":%llu,\"max_rss_kb\":%llu",
			(unsigned long long)p->cpu_user_ns, (unsigned long long)p->cpu_sys_ns,
			(unsigned long long)p->max_rss_kb);
	if (p->flags & PL_P_KILLER) {
		struct end_facts e = end_of_proc(p);

		str_arg(o, "killer", end_killer(&e, buf, sizeof(buf)));
		str_arg(o, "kill_reason", pl_kill_why_name(p->kill_why));
	}
	if (p->exec_fails)
		fprintf(o, ",\"failed_execs\":%u", p->exec_fails);
}

static void life_args(FILE *o, const struct pl_proc *p)
{
	fprintf(o, ",\"args\":{\"pid\":%u,\"start\":%llu", p->pid, (unsigned long long)p->start);
	if (p->ppid_birth) /* 0: born before the trace, its first parent not known */
		fprintf(o, ",\"ppid_at_birth\":%u", p->ppid_birth);
	if (p->comm0[0] && strcmp(p->comm0, p->comm)) {
		fputs(",\"command_at_birth\":", o);
		json_put_string(o, p->comm0);
	}
	if (p->filename) {
		fputs(",\"exec\":", o);
		json_put_string(o, p->filename);
	}
	if (p->flags & PL_P_HAS_STATUS)
		status_arg(o, p->status);
	context_args(o, p);
	fputs("}}", o);
}

/* the end of its running life: exit, or the first later fact seen */
static __u64 life_end(const struct perfetto *f, const struct pl_proc *p)
{
	if (p->exit_ts)
		return p->exit_ts;
	if (p->zombie_ts)
		return p->zombie_ts;
	if (p->reap_ts)
		return p->reap_ts;
	if (p->free_ts)
		return p->free_ts;
	return f->hi;
}

static void perfetto_proc(struct pl_exporter *x, const struct pl_proc *p)
{
	struct perfetto *f = (struct perfetto *)x;
	struct track *t;
	/* the kernel's start time is a little before the fork record: the
	 * child's slice then encloses the end of its fork arrow */
	__u64 born = p->start && (!p->birth_ts || p->start < p->birth_ts) ? p->start : p->birth_ts;
	__u64 end, gone = 0;
	FILE *o = x->out;

	if ((p->flags & PL_P_PLACEHOLDER) || !born)
		return;
	seen(f, x->end); /* those still in the table come at the end: as far as it */
	end = life_end(f, p);
	t = track(f, p->pid, p->comm);
	if (!t)
		return;
	if (end < born)
		end = born;
	slice(f, pl_proc_name(p), "life", p->pid, born, end);
	life_args(o, p);
	if (p->exit_ts) {
		/* from exit to the zombie moment (or to an auto-reap): the kernel
		 * still tearing it down */
		gone = p->zombie_ts ? p->zombie_ts : p->reap_ts ? p->reap_ts : p->free_ts;
		if (!gone && p->state < PL_ST_REAPED)
			gone = f->hi;
		if (gone > end) {
			slice(f, "exiting", "exiting", p->pid, end, gone);
			fputs("}", o);
			end = gone;
		}
	}
	if (p->zombie_ts) {
		gone = p->reap_ts ? p->reap_ts : p->free_ts ? p->free_ts : f->hi;
		if (gone < p->zombie_ts)
			gone = p->zombie_ts;
		slice(f, "zombie", "zombie", p->pid, p->zombie_ts > end ? p->zombie_ts : end, gone);
		fprintf(o, ",\"args\":{\"parent\":%u,\"reaper\":%u,\"reap\":\"%s\"", p->zparent,
			p->reaper,
			p->reap_kind ? pl_reap_kind_name(p->reap_kind) :
			p->flags & PL_P_REAPER_UNKNOWN ? "unknown" : "none");
		/* only a reap ends it: one not seen has no length */
		if (p->state >= PL_ST_REAPED && !pl_zombie_time_unknown(p->flags)) {
			fprintf(o, ",\"zombie_ms\":%.3f", (double)p->zombie_ns / 1e6);
			if (pl_zombie_time_bound(p->flags)) /* the trace saw part of it */
				fprintf(o, ",\"zombie_ms_is\":\"%s\"", pl_zombie_time_bound(p->flags));
		}
		if (p->flags & PL_P_HAS_STATUS)
			status_arg(o, p->status);
		fputs("}}", o);
		if (gone > end)
			end = gone;
	}
	if (!t->drawn || born < t->lo)
		t->lo = born;
	if (end > t->hi)
		t->hi = end;
	t->drawn = true;
	memcpy(t->comm, p->comm, sizeof(t->comm) - 1);
	name_track(f, t, pl_proc_name(p));
	release_held(f, p->pid);
}

static int perfetto_finish(struct pl_exporter *x, const struct pl_model *m)
{
	struct perfetto *f = (struct perfetto *)x;

	/* pids met only as a parent or adopter outside what was followed:
	 * a track of their own, one slice over the run for arrows to bind to */
	for (size_t i = 0; i < f->tracks.cap; i++) {
		struct track *t = pidtab_at(&f->tracks, i);
		const char *comm;

		if (!t || t->drawn)
			continue;
		comm = xproc_outside_name(m, t->pid);
		if (strcmp(comm, "?") || !t->comm[0])
			snprintf(t->comm, sizeof(t->comm), "%s", comm);
		slice(f, t->comm, "outside", t->pid, f->lo, f->hi + 1);
		fputs(",\"args\":{\"note\":\"not followed: present for the whole run\"}}", x->out);
		name_track(f, t, t->comm);
	}
	release_held(f, 0);
	fputs("\n],\"displayTimeUnit\":\"ms\"}\n", x->out);
	return export_flush(x);
}

static void perfetto_free(struct pl_exporter *x)
{
	struct perfetto *f = (struct perfetto *)x;

	pidtab_free(&f->tracks);
	free(f->held);
	free(f);
}

struct pl_exporter *export_perfetto_new(FILE *out)
{
	struct perfetto *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->x = (struct pl_exporter){ .event = perfetto_event, .proc = perfetto_proc,
				     .finish = perfetto_finish, .free = perfetto_free, .out = out };
	f->first = true;
	f->tracks.size = sizeof(struct track);
	fputs("{\"traceEvents\":[", out);
	return &f->x;
}
