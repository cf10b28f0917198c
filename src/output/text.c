#include <string.h>
#include "output/text.h"
#include "util/names.h"
#include "util/printable.h"
#include "util/status.h"

#define RED "\033[1;31m"
#define YELLOW "\033[1;33m"
#define DIM "\033[2m"
#define RESET "\033[0m"

static const char *wait_detail(const struct pl_event *e, char *buf, size_t len)
{
	const char *how = e->flags & PL_F_NOHANG ? " (WNOHANG poll)" : "";

	if (e->target)
		snprintf(buf, len, "waits for %u%s", e->target, how);
	else
		snprintf(buf, len, "waits for any child%s", how);
	return buf;
}

static const char *reap_detail(const struct pl_event *e, char *buf, size_t len)
{
	char st[64];

	pl_status_describe(e->status, st, sizeof(st));
	if (e->flags & PL_F_AUTO)
		snprintf(buf, len, "auto-reaped for %u (%s), never a zombie (%s)", e->reaper,
			 e->flags & PL_F_NOCLDWAIT ? "SA_NOCLDWAIT" : "SIGCHLD ignored", st);
	else if (e->flags & PL_F_UNMATCHED)
		snprintf(buf, len, "reaped by %u, zombie time unknown (%s)", e->reaper, st);
	else
		snprintf(buf, len, "reaped by %u after %s%.3f ms as a zombie%s%s (%s)", e->reaper,
			 e->flags & PL_F_INFERRED ? "at most " : "", (double)e->zombie_ns / 1e6,
			 e->flags & PL_F_INFERRED ? ", inferred from its free: no wait was seen" : "",
			 e->flags & PL_F_NOHANG ? ", WNOHANG" : "", st);
	return buf;
}

static const char *detail(const struct pl_event *e, char *buf, size_t len)
{
	char st[64];

	switch (e->kind) {
	case PL_EV_FORK:
		if (e->flags & PL_F_THREAD)
			snprintf(buf, len, "thread %u of %u", e->tid, e->pid);
		else
			snprintf(buf, len, "child of %u%s", e->ppid, e->ns_level ? " (in a pid namespace)" : "");
		break;
	case PL_EV_EXEC:
		if (e->old_tid && e->old_tid != e->pid)
			snprintf(buf, len, "%s (exec from thread %u, which takes pid %u)", SHOW_STR(e->filename),
				 e->old_tid, e->pid);
		else
			snprintf(buf, len, "%s", SHOW_STR(e->filename));
		break;
	case PL_EV_EXIT:
		if (e->flags & PL_F_THREAD)
			snprintf(buf, len, "thread %u exits", e->tid);
		else
			snprintf(buf, len, "%s", pl_status_describe(e->status, st, sizeof(st)));
		break;
	case PL_EV_ZOMBIE:
		snprintf(buf, len, "ZOMBIE until %u reaps it (%s)", e->parent,
			 pl_status_describe(e->status, st, sizeof(st)));
		break;
	case PL_EV_WAIT:
		return wait_detail(e, buf, len);
	case PL_EV_REAP:
		return reap_detail(e, buf, len);
	case PL_EV_REPARENT:
		snprintf(buf, len, "%s: parent %u -> %u (%s)",
			 e->adopter == PL_ADOPT_THREAD ? "handed to another thread" : "ORPHAN",
			 e->old_parent, e->new_parent, pl_adopter_name((unsigned)e->adopter));
		break;
	case PL_EV_FREE:
		snprintf(buf, len, "task freed");
		break;
	case PL_EV_ZOMBIE_LONG:
		snprintf(buf, len, "ZOMBIE for %.0f ms and counting: parent %u has not reaped it",
			 (double)e->zombie_ns / 1e6, e->parent);
		break;
	case PL_EV_DOUBLE_FORK:
		snprintf(buf, len, "DOUBLE FORK: %u forked %u, which forked this and exited at once",
			 e->original_parent, e->middle);
		break;
	case PL_EV_PROC:
		snprintf(buf, len, "already running%s%s", e->flags & PL_F_ZOMBIE ? ", a zombie" : "",
			 e->flags & PL_F_SUBREAPER ? ", subreaper" : "");
		break;
	default:
		buf[0] = 0;
	}
	return buf;
}

/* the process on the other side of the event, shown in the PPID column */
static __u32 other_pid(const struct pl_event *e)
{
	switch (e->kind) {
	case PL_EV_REPARENT:
		return e->new_parent;
	case PL_EV_WAIT:
	case PL_EV_FREE:
		return 0;
	default:
		return e->ppid;
	}
}

void text_heading(struct pl_text *t)
{
	fprintf(t->f, "%-11s %-11s %7s %7s  %-16s %s\n", "TIME(s)", "EVENT", "PID", "PPID", "COMM",
		"DETAIL");
}

void text_event(struct pl_text *t, const struct pl_event *e)
{
	const char *on = "", *off = "";
	char buf[512], ppid[16] = "-";
	double secs = e->ts >= t->t0 ? (double)(e->ts - t->t0) / 1e9 : 0;
	__u32 other = other_pid(e);

	if (t->color) {
		if (e->kind == PL_EV_ZOMBIE || e->kind == PL_EV_ZOMBIE_LONG)
			on = RED;
		else if (e->kind == PL_EV_DOUBLE_FORK)
			on = YELLOW;
		else if (e->kind == PL_EV_REPARENT && e->adopter != PL_ADOPT_THREAD)
			on = YELLOW;
		else if (e->flags & PL_F_THREAD)
			on = DIM;
		if (*on)
			off = RESET;
	}
	if (other)
		snprintf(ppid, sizeof(ppid), "%u", other);
	fprintf(t->f, "%s%11.6f %-11s %7u %7s  %-16.16s %s%s\n", on, secs, pl_kind_name(e->kind), e->pid,
		ppid, SHOW(e->comm), detail(e, buf, sizeof(buf)), off);
}

void text_lost(struct pl_text *t, unsigned long long ts, unsigned kind, unsigned long long count)
{
	double secs = ts >= t->t0 ? (double)(ts - t->t0) / 1e9 : 0;

	fprintf(t->f, "%s%11.6f %-11s %llu %s records dropped: ring buffer full%s\n",
		t->color ? RED : "", secs, "LOST", count, pl_kind_name(kind), t->color ? RESET : "");
}
