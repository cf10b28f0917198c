// SPDX-License-Identifier: BSD-2-Clause
#include <string.h>
#include <time.h>
#include "output/amounts.h"
#include "output/end_text.h"
#include "output/args_cut.h"
#include "output/text.h"
#include "util/names.h"
#include "util/printable.h"
#include "util/shell_quote.h"
#include "util/status.h"
#include "util/words.h"

/* room for a line's detail: a whole file name and 4 KiB of arguments,
 * every byte escaped, and what is said around them */
#define DETAIL_MAX (SHELL_QUOTED_MAX(PL_PATH_MAX) + SHELL_QUOTED_MAX(4096) + 1024)

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
	char st[64] = "status unknown";

	if (!(e->flags & PL_F_STATUS_UNKNOWN))
		pl_status_describe(e->status, st, sizeof(st));
	/* a zombie its old parent left to an adopter that ignores SIGCHLD
	 * was one until the adopter had it, and a tracee until its tracer's
	 * wait handed it to such a parent */
	if ((e->flags & PL_F_AUTO) && e->zombie_ns)
		snprintf(buf, len, "auto-reaped for %u (%s) after %s%.3f ms as a zombie (%s)",
			 e->reaper, e->flags & PL_F_NOCLDWAIT ? "SA_NOCLDWAIT" : "SIGCHLD ignored",
			 e->flags & PL_F_ZOMBIE ? "at least " : "", (double)e->zombie_ns / 1e6, st);
	else if (e->flags & PL_F_AUTO)
		snprintf(buf, len, "auto-reaped for %u (%s), never a zombie (%s)", e->reaper,
			 e->flags & PL_F_NOCLDWAIT ? "SA_NOCLDWAIT" : "SIGCHLD ignored", st);
	else if ((e->flags & PL_F_AT_EXIT) && (e->flags & PL_F_ZOMBIE))
		snprintf(buf, len, "reaped by %u as it ended (the kernel's wait, for a pid namespace's "
			 "init), zombie time unknown: a zombie from before the trace (%s)", e->reaper, st);
	else if (e->flags & PL_F_AT_EXIT)
		snprintf(buf, len, "reaped by %u as it ended (the kernel's wait, for a pid namespace's "
			 "init) after at most %.3f ms as a zombie (%s)", e->reaper,
			 (double)e->zombie_ns / 1e6, st);
	else if (e->flags & PL_F_UNMATCHED)
		snprintf(buf, len, "reaped by %u, zombie time unknown (%s)", e->reaper, st);
	else if ((e->flags & PL_F_INFERRED) && (e->flags & PL_F_ZOMBIE))
		snprintf(buf, len, "reaped by %u, zombie time unknown: a zombie from before the "
			 "trace, inferred from its free: no wait record matched it (%s)", e->reaper, st);
	else
		snprintf(buf, len, "reaped by %u after %s%.3f ms as a zombie%s%s (%s)", e->reaper,
			 e->flags & PL_F_INFERRED ? "at most "
			 : e->flags & PL_F_ZOMBIE ? "at least "
						  : "",
			 (double)e->zombie_ns / 1e6,
			 e->flags & PL_F_INFERRED ? ", inferred from its free: no wait record matched it" : "",
			 e->flags & PL_F_NOHANG ? ", WNOHANG" : "", st);
	return buf;
}

/* appends s to buf (len bytes, *used of them used) if it fits whole */
static void append(char *buf, size_t len, size_t *used, const char *s)
{
	size_t n = strlen(s);

	if (*used + n < len) {
		memcpy(buf + *used, s, n + 1);
		*used += n;
	}
}

static bool is_last_part(const char *file, const char *s, size_t n)
{
	const char *base = strrchr(file, '/');

	base = base ? base + 1 : file;
	return strlen(base) == n && !memcmp(base, s, n);
}

/*
 * A script the kernel ran through its #! line: it puts the interpreter
 * (and the line's one argument) before the script's path, which is the
 * file exec'd, and drops argv[0]. How many arguments precede the script's
 * own (1 or 2), or 0 for a program run as itself.
 */
static unsigned script_args(const struct pl_event *e, const char *file, size_t flen)
{
	size_t n0, n;
	const char *a0 = shell_arg(e->args, e->args_len, 0, &n0), *a;

	if (!file || !a0 || memchr(a0, '/', n0) == NULL || (n0 == flen && !memcmp(a0, file, n0)))
		return 0;
	for (unsigned i = 1; i <= 2; i++) {
		a = shell_arg(e->args, e->args_len, i, &n);
		if (!a)
			return 0;
		if (n == flen && !memcmp(a, file, n))
			return i;
	}
	return 0;
}

/*
 * What an exec ran, as a line that runs it again: the file, then its
 * arguments after argv[0], each a shell word; argv[0] is said apart when
 * it is neither the file nor its last part (a login shell's "-bash"), and
 * a script's interpreter as what ran it.
 */
static size_t command(char *buf, size_t len, const struct pl_event *e)
{
	/* a failed exec's name is the caller's, empty too ('') */
	const char *file = e->filename && (*e->filename || e->kind == PL_EV_EXEC_FAILED) ?
				   e->filename : NULL;
	size_t used = 0, n0 = 0, flen = file ? strlen(file) : 0;
	const char *a0 = e->args ? shell_arg(e->args, e->args_len, 0, &n0) : NULL;
	int how = args_cut(e);
	unsigned script = e->args ? script_args(e, file, flen) : 0;
	/* argv[0] said apart: it is not the file's name, whole or its last part */
	bool a0_apart = file && a0 && !(n0 == flen && !memcmp(a0, file, n0)) &&
			!is_last_part(file, a0, n0);
	/* the bound cut through argv[0], the one argument told: said after
	 * it (below), not as arguments past it */
	bool a0_cut = a0_apart && !script && how == SHELL_CUT_INSIDE &&
		      !shell_arg(e->args, e->args_len, 1, &(size_t){ 0 });

	buf[0] = 0;
	if (!file && !a0)
		return 0;
	if (file && SHELL_QUOTED_MAX(flen) < len / 2)
		used = (size_t)(shell_quote(buf, file, flen) - buf);
	else if (file) /* a file name longer than any the kernel gives */
		used = (size_t)snprintf(buf, len / 2, "%s", SHOW_STR(file));
	else
		used = (size_t)(shell_quote(buf, a0, n0) - buf);
	buf[used] = 0;
	if (e->args && shell_arg(e->args, e->args_len, script + 1, &(size_t){ 0 })) {
		buf[used++] = ' ';
		used += shell_join(buf + used, len - used - 64, e->args, e->args_len, script + 1, how);
	} else if (how != SHELL_CUT_NONE && !a0_cut) {
		append(buf, len, &used, " ...");
	}
	if (script && used + SHELL_QUOTED_MAX(n0) + 32 < len) {
		append(buf, len, &used, "  (run by ");
		used += shell_join(buf + used, len - used - 2, e->args, script == 1 ? n0 + 1 :
				   (size_t)(shell_arg(e->args, e->args_len, 2, &(size_t){ 0 }) - e->args),
				   0, SHELL_CUT_NONE);
		append(buf, len, &used, ")");
	} else if (a0_apart && used + SHELL_QUOTED_MAX(n0) + 16 < len) {
		append(buf, len, &used, "  (argv[0] ");
		used = (size_t)(shell_quote(buf + used, a0, n0) - buf);
		buf[used] = 0;
		append(buf, len, &used, a0_cut ? "...)" : ")");
	}
	return used;
}

/* "ENOENT": the errno's name (strerrorname_np), or its number */
static const char *errno_name(int err, char *buf, size_t len)
{
	const char *name = err > 0 ? strerrorname_np(err) : NULL;

	if (name)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "errno %d", err);
	return buf;
}

static const char *exit_detail(const struct pl_event *e, const struct text_about *a, char *buf,
			       size_t len)
{
	struct end_facts f = end_of_event(e);
	char usage[64];
	size_t used;

	if (a && a->killer_name)
		f.killer_comm = a->killer_name;
	end_describe(&f, buf, len);
	used = strlen(buf);
	if (e->flags & PL_F_USAGE)
		snprintf(buf + used, len - used, " (%s)",
			 amount_usage(e->cpu_user_ns + e->cpu_sys_ns, e->max_rss_kb, usage, sizeof(usage)));
	return buf;
}

static const char *detail(const struct pl_event *e, const struct text_about *a, char *buf,
			  size_t len)
{
	char st[64];
	size_t used;

	switch (e->kind) {
	case PL_EV_FORK:
		if (e->flags & PL_F_THREAD)
			snprintf(buf, len, "thread %u of %u", e->tid, e->pid);
		else if (e->creator) /* CLONE_PARENT: a sibling of what made it */
			snprintf(buf, len, "child of %u, made by %u (CLONE_PARENT)%s", e->ppid,
				 e->creator, e->ns_level ? " (in a pid namespace)" : "");
		else
			snprintf(buf, len, "child of %u%s", e->ppid,
				 e->ns_level ? " (in a pid namespace)" : "");
		break;
	case PL_EV_EXEC:
		used = command(buf, len, e);
		if (e->old_tid && e->old_tid != e->pid)
			snprintf(buf + used, len - used, " (exec from thread %u, which takes pid %u)",
				 e->old_tid, e->pid);
		break;
	case PL_EV_EXEC_FAILED:
		used = (size_t)snprintf(buf, len, "exec failed: %s ", errno_name(e->err, st, sizeof(st)));
		used += command(buf + used, len - used, e);
		if (a && a->earlier)
			snprintf(buf + used, len - used, " (after %u more failed %s)", a->earlier,
				 plural(a->earlier, "exec", "execs"));
		break;
	case PL_EV_EXIT:
		if (e->flags & PL_F_THREAD)
			snprintf(buf, len, "thread %u exits", e->tid);
		else
			exit_detail(e, a, buf, len);
		break;
	case PL_EV_ZOMBIE:
		snprintf(buf, len, "a zombie until %u reaps it (%s)", e->parent,
			 pl_status_describe(e->status, st, sizeof(st)));
		break;
	case PL_EV_WAIT:
		return wait_detail(e, buf, len);
	case PL_EV_REAP:
		return reap_detail(e, buf, len);
	case PL_EV_REPARENT:
		snprintf(buf, len, "%s: parent %u -> %u (%s)%s",
			 e->adopter == PL_ADOPT_THREAD ? "handed to another thread" : "ORPHAN",
			 e->old_parent, e->new_parent, pl_adopter_name((unsigned)e->adopter),
			 e->flags & PL_F_DERIVED ? ", told by a later record: its moment unseen" : "");
		break;
	case PL_EV_FREE:
		snprintf(buf, len, "task freed");
		break;
	case PL_EV_ZOMBIE_LONG:
		snprintf(buf, len, "ZOMBIE for %s%.0f ms and counting: parent %u has not reaped it",
			 e->flags & PL_F_ZOMBIE ? "at least " : "", (double)e->zombie_ns / 1e6,
			 e->parent);
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

static bool wall(const struct pl_text *t)
{
	return t->wall_clock && t->boot_to_wall_ns;
}

const char *text_time(const struct pl_text *t, unsigned long long ts, char *buf, size_t len)
{
	unsigned long long ns;

	/* a date past what a time_t and its digits hold is shown as seconds */
	if (wall(t) && t->boot_to_wall_ns > 0 &&
	    !__builtin_add_overflow((unsigned long long)t->boot_to_wall_ns, ts, &ns) &&
	    ns < (1ULL << 62)) {
		time_t sec = (time_t)(ns / 1000000000ULL);
		struct tm tm;
		char hms[16];

		localtime_r(&sec, &tm);
		strftime(hms, sizeof(hms), "%H:%M:%S", &tm);
		snprintf(buf, len, "%s.%06llu", hms, ns % 1000000000ULL / 1000);
	} else {
		snprintf(buf, len, "%11.6f", ts >= t->t0 ? (double)(ts - t->t0) / 1e9 : 0);
	}
	return buf;
}

void text_heading(struct pl_text *t)
{
	fprintf(t->f, "%-*s %-11s %7s %7s  %-16s %s\n", wall(t) ? 15 : 11,
		wall(t) ? "TIME" : "TIME(s)", "EVENT", "PID", "PPID", "COMM", "DETAIL");
}

/* only what is notable stands out: every exit makes a zombie for a moment */
static const char *color_of(const struct pl_event *e)
{
	switch (e->kind) {
	case PL_EV_EXEC_FAILED:
		return YELLOW;
	case PL_EV_ZOMBIE_LONG:
		return RED;
	case PL_EV_EXIT: /* killed by a signal */
		return pl_status_decode(e->status).signaled && !(e->flags & PL_F_THREAD) ? RED : "";
	case PL_EV_DOUBLE_FORK:
		return YELLOW;
	case PL_EV_REPARENT:
		return e->adopter != PL_ADOPT_THREAD ? YELLOW : "";
	default:
		return e->flags & PL_F_THREAD ? DIM : "";
	}
}

void text_event(struct pl_text *t, const struct pl_event *e, const struct text_about *a)
{
	const char *on = t->color ? color_of(e) : "";
	static char buf[DETAIL_MAX];
	char ppid[16] = "-", when[32], name[256];
	__u32 other = other_pid(e);

	if (other)
		snprintf(ppid, sizeof(ppid), "%u", other);
	/* a whole name longer than the column pushes the detail along */
	if (a && a->name)
		pl_printable(a->name, sizeof(name) - 1, name, sizeof(name));
	else
		pl_printable(e->comm, sizeof(e->comm), name, sizeof(name));
	detail(e, a, buf, sizeof(buf));
	fprintf(t->f, "%s%s %-11s %7u %7s  %s %s%s%s%s%s\n", on,
		text_time(t, e->ts, when, sizeof(when)), pl_kind_name(e->kind), e->pid, ppid,
		pl_pad_columns(name, 16, (char[sizeof(name) + 16]){ 0 }, sizeof(name) + 16), buf,
		a && a->note && *a->note ? "  [" : "", a && a->note ? a->note : "",
		a && a->note && *a->note ? "]" : "", *on ? RESET : "");
}

void text_lost(struct pl_text *t, unsigned long long ts, unsigned kind, unsigned long long count)
{
	char when[32];

	fprintf(t->f, "%s%s %-11s %llu %s %s dropped: ring buffer full%s\n", t->color ? RED : "",
		text_time(t, ts, when, sizeof(when)), "LOST", count, pl_kind_name(kind),
		plural(count, "record", "records"), t->color ? RESET : "");
}

/* what a burst's events are, one and many, with the %u of their other
 * process; NULL: said by the kind's name alone */
static const char *burst_words(const struct fold_burst *b, bool many)
{
	static const char *const words[][2] = {
		[PL_EV_FORK] = { "fork by %u", "forks by %u" },
		[PL_EV_EXEC] = { "exec by a child of %u", "execs by children of %u" },
		[PL_EV_EXIT] = { "exit of a child of %u", "exits of children of %u" },
		[PL_EV_ZOMBIE] = { "zombie of %u", "zombies of %u" },
		[PL_EV_WAIT] = { "wait by %u", "waits by %u" },
		[PL_EV_REAP] = { "reap by %u", "reaps by %u" },
		[PL_EV_REPARENT] = { "hand-over to %u", "hand-overs to %u" },
	};

	if (b->thread && b->kind == PL_EV_FORK)
		return many ? "threads started in %u" : "thread started in %u";
	if (b->thread && b->kind == PL_EV_EXIT)
		return many ? "thread exits in %u" : "thread exit in %u";
	if (!b->actor || b->kind >= sizeof(words) / sizeof(*words) || !words[b->kind][0])
		return NULL;
	return words[b->kind][many];
}

/* said once the burst has ended, after later lines: its TIME column is
 * left empty, and the line says when the folded events began */
void text_folded(struct pl_text *t, const struct fold_burst *b)
{
	char n[32], what[64], span[32] = "", codes[48] = "", from[32], name[sizeof(b->name)];
	unsigned long long ns = b->to_ts - b->from_ts;
	const char *words = burst_words(b, b->folded != 1);

	if (words)
		snprintf(what, sizeof(what), words, b->actor);
	else
		snprintf(what, sizeof(what), "%s %s", pl_kind_name(b->kind),
			 plural(b->folded, "record", "records"));
	if (b->folded > 1)
		snprintf(span, sizeof(span), ns >= 10000000ULL ? " in %.2f s" : " in %.2f ms",
			 ns >= 10000000ULL ? (double)ns / 1e9 : (double)ns / 1e6);
	if (b->kind == PL_EV_EXIT && !b->thread && b->code_lo == b->code_hi)
		snprintf(codes, sizeof(codes), " (exit %d)", b->code_lo);
	else if (b->kind == PL_EV_EXIT && !b->thread)
		snprintf(codes, sizeof(codes), " (exit %d to %d)", b->code_lo, b->code_hi);
	text_time(t, b->from_ts, from, sizeof(from));
	pl_printable(b->name[0] ? b->name : b->comm, sizeof(b->name), name, sizeof(name));
	fprintf(t->f, "%s%*s %-11s %7s %7s  %s %s more alike %s%s from %s%s%s%s\n",
		t->color ? DIM : "", wall(t) ? 15 : 11, "", "...", "", "",
		pl_pad_columns(name, 16, (char[sizeof(name) + 16]){ 0 }, sizeof(name) + 16),
		thousands(b->folded, n, sizeof(n)), what, span, from + strspn(from, " "),
		wall(t) ? "" : " s", codes, t->color ? RESET : "");
}
