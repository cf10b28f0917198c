// SPDX-License-Identifier: BSD-2-Clause
#include <stdlib.h>
#include <string.h>
#include "output/kthread.h"
#include "output/summary.h"
#include "output/summary_context.h"
#include "util/names.h"
#include "util/printable.h"
#include "util/words.h"
#include "util/args.h" /* STR */
#include "util/count.h"

#define MAX_ROWS 20 /* per table: the rest is a count */

static const char *const stat_text[PL_STATS] = {
	[PL_STAT_REPARENT_UNCHECKED] = "children gone before their new parent could be read",
	[PL_STAT_CHILDREN_TRUNCATED] = "exiting threads with more children than remembered",
	[PL_STAT_ZOMBIE_TABLE_FULL] = "zombies the kernel side could not remember",
	[PL_STAT_FOLLOW_TABLE_FULL] = "processes that could not be followed",
	[PL_STAT_EXITING_TABLE_FULL] = "exiting threads whose children were not remembered",
	[PL_STAT_KILLS_LOST] = "fatal signals whose sender was not told (ring buffer full, or more at once than are kept)",
	[PL_STAT_CGROUPS_LOST] = "new cgroups whose path was not told (ring buffer full)",
	[PL_STAT_NS_ZOMBIE_MISSED] = ("reaps in a child pid namespace of a zombie the kernel side "
				      "no longer remembered (told from the free)"),
	[PL_STAT_RUNS_SKIPPED] = ("runs of proclife's programs the kernel skipped, one running on "
				  "that CPU already (facts of any kind may be missing)"),
};

const char *summary_name(const char *name, const char *comm, char *buf, size_t len)
{
	return name ? pl_printable(name, len, buf, len)
		    : pl_printable(comm, PL_COMM_LEN, buf, len);
}

/* as summary_name, for a process the model holds */
static const char *proc_name(const struct pl_proc *p, char *buf, size_t len)
{
	const char *name = pl_proc_name(p);

	return summary_name(name == p->name ? name : NULL, p->comm, buf, len);
}

const char *summary_fmt_ns(unsigned long long ns, char *buf, size_t len)
{
	if (ns < 999500ULL) /* below what rounds to 1000 us */
		snprintf(buf, len, "%llu us", (ns + 500) / 1000); /* rounded, as the exports round */
	else if (ns < 1000000000ULL)
		snprintf(buf, len, "%.3f ms", (double)ns / 1e6);
	else
		snprintf(buf, len, "%.3f s", (double)ns / 1e9);
	return buf;
}

static bool rec_in(__u32 root, bool followed)
{
	return !root || followed;
}

/* pid 0 is the idle task, the parent of init and kthreadd: no parent */
static const char *parent_str(__u32 pid, char *buf, size_t len)
{
	if (!pid)
		return "-";
	snprintf(buf, len, "%u", pid);
	return buf;
}

/* the processes of the subtree that pass keep(), oldest first; malloc'd */
static const struct pl_proc **collect(const struct pl_model *m, __u32 root,
				      bool (*keep)(const struct pl_proc *), size_t *n)
{
	const struct pl_proc **a;
	size_t k = 0, cap = 0;

	for (const struct pl_proc *p = pl_model_next(m, NULL); p; p = pl_model_next(m, p))
		cap += keep(p) && pl_model_in_subtree(m, p, root);
	*n = 0;
	if (!cap)
		return NULL;
	a = malloc(cap * sizeof(*a));
	if (!a)
		return NULL;
	for (const struct pl_proc *p = pl_model_next(m, NULL); p; p = pl_model_next(m, p))
		if (keep(p) && pl_model_in_subtree(m, p, root))
			a[k++] = p;
	qsort(a, k, sizeof(*a), pl_proc_by_birth);
	*n = k;
	return a;
}

static bool unreaped_zombie(const struct pl_proc *p)
{
	return p->state == PL_ST_ZOMBIE && !(p->flags & PL_P_SUPERSEDED);
}

/* an ending process had more children than the kernel side reads (its
 * stats are the whole stream's, in all): those still its own at the end,
 * it having ended, were orphaned with no record. (Those that did anything
 * after were told orphans by that record.) */
static bool orphaned_unseen(const struct pl_model *m, const struct pl_counts *all)
{
	if (!all->stats[PL_STAT_CHILDREN_TRUNCATED])
		return false;
	for (const struct pl_proc *p = pl_model_next(m, NULL); p; p = pl_model_next(m, p))
		if (pl_proc_alive(p) && p->parent && p->parent->state >= PL_ST_EXITED)
			return true;
	return false;
}

/* few_kids: orphaned_unseen's answer, which makes the orphan counts bounds */
static void counts(FILE *f, const struct pl_counts *c, bool few_kids, unsigned zombie_ms,
		   size_t unreaped, bool ends_lost, bool machine, bool waits_partial,
		   bool threads_untold)
{
	const char *at_least = waits_partial ? "at least " : "";
	char threads[64];

	if (machine)
		fprintf(f, "counts of the whole machine:\n");
	if (threads_untold && !c->threads) /* a log traced without --threads */
		snprintf(threads, sizeof(threads), "threads not in the log");
	else
		snprintf(threads, sizeof(threads), "%llu %s", c->threads,
			 plural(c->threads, "thread", "threads"));
	fprintf(f, "processes: %llu %s, %s, %llu %s, %llu already running\n", c->forks,
		plural(c->forks, "fork", "forks"), threads, c->execs,
		plural(c->execs, "exec", "execs"), c->bootstrap);
	/* a core dump is a death by a signal too: among them, not beside */
	fprintf(f, "exits: %llu with a code, %llu killed by a signal (%llu of them dumping core)",
		c->exit_code, c->exit_signal + c->exit_core, c->exit_core);
	if (c->exit_no_wait) /* kernel threads, which only a whole-machine trace sees */
		fprintf(f, ", %llu with no wait status (a kernel thread's return)", c->exit_no_wait);
	putc('\n', f);
	fprintf(f, "reaps: %llu by wait, %llu auto-reaped, %llu adopted as a zombie then reaped, "
		   "%llu inferred from free\n",
		c->reaps[PL_RK_WAIT], c->reaps[PL_RK_AUTO], c->reaps[PL_RK_ADOPTED],
		c->reaps[PL_RK_INFERRED]);
	/* waits are counted in the waiter, a reap in the process reaped: its
	 * waiter may be one not counted here (the tracer reaping its command) */
	fprintf(f, "waits: %s%llu (%s%llu WNOHANG %s%s); reaps by a WNOHANG wait, whoever "
		   "waited: %llu\n", at_least, c->waits, at_least, c->nohang_polls,
		plural(c->nohang_polls, "poll", "polls"),
		waits_partial ? "; the log has no trailer: the waits of processes still running "
				"were never told" : "",
		c->nohang_reaps);
	/* every child is a zombie from its exit to its reap: the count alone
	 * would only count exits */
	fprintf(f, "zombies: %llu past %u ms, %zu %s "
		   "(%llu in all: every child is one from its exit until it is reaped)\n",
		c->zombies_long, zombie_ms, unreaped,
		ends_lost ? "not seen reaped (records were lost: their reaper is unknown)"
			  : "still unreaped at the end",
		c->zombies);
	/* the children of an ending process past those the kernel side reads
	 * are orphaned unseen: the counts are then lower bounds */
	fprintf(f, "orphans: %s%llu adopted by init, %s%llu by a subreaper, %s%llu by others "
		   "(%llu double %s)%s\n",
		few_kids ? "at least " : "", c->orphans[PL_ADOPT_INIT], few_kids ? "at least " : "",
		c->orphans[PL_ADOPT_SUBREAPER], few_kids ? "at least " : "",
		c->orphans[PL_ADOPT_OTHER] + c->orphans[PL_ADOPT_UNKNOWN], c->double_forks,
		plural(c->double_forks, "fork", "forks"),
		few_kids ? "; children an ending process had past the first "
			   STR(PL_MAX_CHILDREN) " were orphaned unseen" : "");
	fprintf(f, "failed execs: %llu (%llu of them followed by an exec of the same process that "
		   "worked, as in a search of $PATH)\n", c->exec_fails, c->fails_then_exec);
}

/* the waits the kernel tells with an exit, or at the end for a process
 * still running: short of some when the end was not told and one of the
 * subtree had not exited */
static bool waits_partial(const struct pl_model *m, __u32 root)
{
	if (!pl_model_waits_partial(m))
		return false;
	for (const struct pl_proc *p = pl_model_next(m, NULL); p; p = pl_model_next(m, p))
		if (p->state < PL_ST_EXITED && pl_model_in_subtree(m, p, root))
			return true;
	return false;
}

/* reaped zombies, longest first: the model keeps the longest, so those
 * left out are no longer than the last one listed, but for those whose
 * time is not known (unknown, of all) */
static void reaped_zombies(FILE *f, const struct pl_model *m, __u32 root, unsigned long long all,
			   unsigned long long unknown)
{
	size_t n, shown = 0;
	const struct pl_zombie_rec *z = pl_model_zombie_recs(m, &n), *last = NULL;
	unsigned long long lim = pl_model_zombie_ms(m) * 1000000ULL;
	char d[32], pp[16], name[SUMMARY_NAME_BUF];

	for (size_t i = 0; i < n && shown < MAX_ROWS; i++) {
		if (!rec_in(root, z[i].followed))
			continue;
		if (!shown++)
			fprintf(f, "\nzombies, longest first (! past %u ms):\n%7s  %-16s %7s %7s %14s  %s\n",
				pl_model_zombie_ms(m), "PID", "COMMAND", "PARENT", "REAPER", "ZOMBIE TIME",
				"HOW REAPED");
		/* a zombie from before tracing began: its time is a lower bound */
		fprintf(f, "%7u  %-16s %7s %7u %14s%s %s%s\n", z[i].pid,
			summary_name(z[i].name, z[i].comm, name, sizeof(name)),
			parent_str(z[i].zparent, pp, sizeof(pp)), z[i].reaper,
			summary_fmt_ns(z[i].zombie_ns, d, sizeof(d)), z[i].zombie_ns >= lim ? "!" : " ",
			pl_reap_kind_name(z[i].reap_kind),
			z[i].at_least ? " (at least)" : z[i].at_most ? " (at most)" : "");
		last = &z[i];
	}
	if (unknown > all - shown)
		unknown = all - shown;
	if (last && all - unknown > shown)
		fprintf(f, "  ... and %llu more, none longer than %s\n", all - unknown - shown,
			summary_fmt_ns(last->zombie_ns, d, sizeof(d)));
	if (last && unknown)
		fprintf(f, "  ... and %llu from before the trace whose time is not known (reaped "
			"unseen)\n", unknown);
}

/* zombies: those reaped, then the n still waiting (a, oldest first) */
static void zombies(FILE *f, const struct pl_model *m, __u32 root, const struct pl_counts *c,
		    const struct pl_proc **a, size_t n)
{
	unsigned long long now = pl_model_now(m);
	char d[32], pp[16], name[SUMMARY_NAME_BUF];

	reaped_zombies(f, m, root, c->zombies > n ? c->zombies - n : 0, c->zombies_time_unknown);
	if (n && pl_model_ends_lost(m))
		fprintf(f, "\nzombies not seen reaped (records of reaps were lost: their reaper is "
			   "unknown, some may have ended unseen):\n%7s  %-16s %7s %14s\n",
			"PID", "COMMAND", "PARENT", "LAST SEEN FOR");
	else if (n)
		fprintf(f, "\nzombies not reaped yet:\n%7s  %-16s %7s %14s\n", "PID", "COMMAND",
			"PARENT", "ZOMBIE FOR");
	for (size_t i = 0; i < n && i < MAX_ROWS; i++) {
		const struct pl_proc *p = a[i];

		fprintf(f, "%7u  %-16s %7s %14s%s%s\n", p->pid, proc_name(p, name, sizeof(name)),
			parent_str(p->parent ? p->parent->pid : p->zparent, pp, sizeof(pp)),
			summary_fmt_ns(pl_proc_zombie_so_far(p, now), d, sizeof(d)),
			p->flags & PL_P_ZOMBIE_BEFORE ? " (at least)" : "",
			p->flags & PL_P_ZOMBIE_ADOPTED ? " adopted" : "");
	}
	if (n > MAX_ROWS)
		fprintf(f, "  ... and %zu more\n", n - MAX_ROWS);
}

/* a parent's long zombies: the time of those reaped, and of those not
 * reaped yet, the time so far */
struct neglect_row {
	struct pl_neglect_rec r;
	unsigned unreaped;
	bool time_unknown; /* one not reaped yet may have ended unseen */
	bool outside;      /* a parent outside the subtree: its zombies in it alone */
};

static int by_count(const void *a, const void *b)
{
	const struct pl_neglect_rec *x = &((const struct neglect_row *)a)->r;
	const struct pl_neglect_rec *y = &((const struct neglect_row *)b)->r;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return x->total_ns < y->total_ns ? 1 : x->total_ns > y->total_ns ? -1 : 0;
}

/* the model charges a long zombie's time to its parent once it is
 * reaped: those still waiting add their time so far to their parent's
 * row, a lower bound (one pass over the table, the rows only for them) */
static void add_unreaped(const struct pl_model *m, struct neglect_row *rows, size_t k, __u32 root)
{
	unsigned long long now = pl_model_now(m);

	for (const struct pl_proc *p = pl_model_next(m, NULL); p; p = pl_model_next(m, p)) {
		if (p->state != PL_ST_ZOMBIE || !(p->flags & PL_P_LONG_ZOMBIE))
			continue;
		for (size_t i = 0; i < k; i++) {
			struct neglect_row *row = &rows[i];

			if (p->zparent != row->r.pid || p->zparent_start != row->r.start ||
			    (row->outside && !pl_model_in_subtree(m, p, root)))
				continue;
			row->unreaped++;
			row->r.total_ns += pl_zombie_held(p, now);
			if (p->flags & PL_P_ZOMBIE_BEFORE)
				row->r.at_least = 1;
			if ((p->flags & PL_P_SUPERSEDED) || pl_model_ends_lost(m))
				row->time_unknown = true;
		}
	}
}

/* released parents come from the model's table, live ones from their record */
static void neglect(FILE *f, const struct pl_model *m, __u32 root)
{
	size_t n, k = 0, cap;
	const struct pl_neglect_rec *r = pl_model_neglect_recs(m, &n);
	struct neglect_row *all;
	char d[32], more[48], name[SUMMARY_NAME_BUF];
	bool following;

	cap = n;
	for (const struct pl_proc *p = pl_model_next(m, NULL); p; p = pl_model_next(m, p))
		cap += p->neglected > 0;
	/* of the followed subtree, its parents outside too (init, a subreaper
	 * that adopted its processes), for its processes alone */
	following = root && root == pl_model_followed_root(m);
	if (!cap)
		return;
	all = calloc(cap, sizeof(*all));
	if (!all)
		return;
	for (size_t i = 0; i < n; i++)
		if (rec_in(root, r[i].followed))
			all[k++].r = r[i];
	for (const struct pl_proc *p = pl_model_next(m, NULL); p; p = pl_model_next(m, p)) {
		bool in;

		if (!p->neglected)
			continue; /* nearly every process; neglected_followed is a part of it */
		in = pl_model_in_subtree(m, p, root);
		if (!in && (!following || !p->neglected_followed))
			continue;
		all[k].outside = !in;
		all[k].r.pid = p->pid;
		all[k].r.start = p->start;
		all[k].r.count = in ? p->neglected : p->neglected_followed;
		all[k].r.total_ns = in ? p->neglect_ns : p->neglect_followed_ns;
		all[k].r.at_least = !!(p->flags & PL_P_NEGLECT_AT_LEAST);
		memcpy(all[k].r.comm, p->comm, sizeof(all[k].r.comm));
		all[k].r.name = pl_proc_name(p) == p->name ? p->name : NULL;
		k++;
	}
	add_unreaped(m, all, k, root);
	qsort(all, k, sizeof(*all), by_count);
	/* the model counts only the zombies that outlived the threshold */
	if (k)
		fprintf(f, "\nparents that left children zombies past %u ms, most first:\n"
			   "%7s  %-16s %13s %14s\n", pl_model_zombie_ms(m), "PID", "COMMAND",
			"LONG ZOMBIES", "THEIR TIME");
	for (size_t i = 0; i < k && i < MAX_ROWS; i++) {
		const struct neglect_row *row = &all[i];

		snprintf(more, sizeof(more), " (at least: %u not reaped yet)", row->unreaped);
		fprintf(f, "%7u  %-16s %13u %14s%s\n", row->r.pid,
			summary_name(row->r.name, row->r.comm, name, sizeof(name)), row->r.count,
			row->time_unknown ? "-" : summary_fmt_ns(row->r.total_ns, d, sizeof(d)),
			row->unreaped && !row->time_unknown ? more
			: row->r.at_least && !row->time_unknown ? " (at least)"
								 : "");
	}
	if (k > MAX_ROWS)
		fprintf(f, "  ... and %zu more\n", k - MAX_ROWS);
	free(all);
}

/* a process's name now: it may have exec'd since its record was made */
static const char *latest_name(const struct pl_model *m, const struct pl_orphan_rec *o, char *buf,
			       size_t len)
{
	__u32 pid = o->pid;
	__u64 start = o->start;
	const struct pl_proc *p = pl_model_find_life(m, pid, start);

	for (p = p ? p : pl_model_next_ended(m, NULL); p && (p->pid != pid || p->start != start);
	     p = pl_model_next_ended(m, p))
		;
	return p ? proc_name(p, buf, len) : summary_name(o->name, o->comm, buf, len);
}

static void orphans(FILE *f, const struct pl_model *m, __u32 root)
{
	unsigned long long more;
	size_t n, shown = 0, left = 0;
	const struct pl_orphan_rec *o = pl_model_orphan_recs(m, &n, &more);

	for (size_t i = 0; i < n; i++) {
		char line[160 + SUMMARY_NAME_BUF], name[SUMMARY_NAME_BUF];
		size_t len;

		if (!rec_in(root, o[i].followed))
			continue;
		if (shown == MAX_ROWS) {
			left++;
			continue;
		}
		if (!shown++)
			fprintf(f, "\norphans:\n%7s  %-16s %10s %10s  %-9s %s\n", "PID", "COMMAND",
				"OLD PARENT", "NEW PARENT", "ADOPTER", "NOTE");
		len = (size_t)snprintf(line, sizeof(line), "%7u  %-16s %10u %10u  %-9s %s%s%s",
				       o[i].pid, latest_name(m, &o[i], name, sizeof(name)), o[i].old_parent, o[i].new_parent,
				       pl_adopter_name(o[i].adopter),
				       o[i].as_zombie ? "already a zombie" : "",
				       o[i].as_zombie && o[i].double_fork ? ", " : "",
				       o[i].double_fork ? "double fork" : "");
		/* no padding left at the end of a line without a note */
		while (len > 0 && len < sizeof(line) && line[len - 1] == ' ')
			line[--len] = 0;
		fprintf(f, "%s\n", line);
	}
	if (left)
		fprintf(f, "  ... and %zu more\n", left);
	/* the model keeps the first orphanings of the whole machine */
	if (more)
		fprintf(f, "  ... and %llu later %s not kept%s\n", more,
			plural(more, "orphaning", "orphanings"),
			root ? " (of the whole machine, not only of this subtree)" : "");
}

/* kernel threads are listed only when asked: a whole machine has dozens */
static void alive(FILE *f, const struct pl_model *m, __u32 root, unsigned flags)
{
	size_t n, k = 0, hidden = 0;
	const struct pl_proc **a = collect(m, root, pl_proc_alive, &n);
	const struct pl_counts *c = pl_model_counts(m);
	unsigned long long ends = c->lost[PL_EV_EXIT] + c->lost[PL_EV_ZOMBIE] + c->lost[PL_EV_REAP];
	char pp[16], kthreads[96] = "", name[SUMMARY_NAME_BUF];

	for (size_t i = 0; i < n; i++) {
		if (!(flags & VIEW_KERNEL_THREADS) && is_kernel_thread(a[i]))
			hidden++;
		else
			a[k++] = a[i];
	}
	n = k;
	if (hidden)
		snprintf(kthreads, sizeof(kthreads), " (%zu kernel %s not listed: --kernel-threads "
			 "lists them)", hidden, plural(hidden, "thread", "threads"));
	if (!n)
		fprintf(f, "\nstill alive: none%s\n", kthreads);
	else if (ends)
		/* alive means "no end seen", and ends were lost */
		fprintf(f, "\nnot seen to end (%llu %s of exits, zombies or reaps %s lost: "
			   "some of these may have ended unseen)%s:\n%7s  %-16s %7s\n", ends,
			plural(ends, "record", "records"), plural(ends, "was", "were"), kthreads, "PID",
			"COMMAND", "PARENT");
	else
		fprintf(f, "\nstill alive%s:\n%7s  %-16s %7s\n", kthreads, "PID", "COMMAND", "PARENT");
	for (size_t i = 0; i < n && i < MAX_ROWS; i++)
		fprintf(f, "%7u  %-16s %7s\n", a[i]->pid, proc_name(a[i], name, sizeof(name)),
			parent_str(a[i]->parent ? a[i]->parent->pid : 0, pp, sizeof(pp)));
	if (n > MAX_ROWS)
		fprintf(f, "  ... and %zu more\n", n - MAX_ROWS);
	free(a);
}

/* the kernel loses records and keeps stats for everything it traces, and
 * the model's doubts are about the whole stream: no subtree of their own */
static void doubts(FILE *f, const struct pl_counts *c, const char *whose)
{
	unsigned long long lost = 0, any = 0;
	const char *sep = "";

	for (unsigned k = 0; k < PL_EV_KINDS; k++)
		lost = count_add(lost, c->lost[k]);
	fprintf(f, "\nlost records%s: %llu", whose, lost);
	for (unsigned k = 0; k < PL_EV_KINDS; k++) {
		if (!c->lost[k])
			continue;
		fprintf(f, "%s%s %llu", *sep ? sep : " (", pl_kind_name(k), c->lost[k]);
		sep = ", ";
	}
	fprintf(f, "%s\n", *sep ? ")" : "");
	for (unsigned s = 0; s < PL_STATS; s++)
		if (c->stats[s] && c->stats[s] != PL_NOT_COUNTED)
			fprintf(f, "  %s: %llu\n", stat_text[s], c->stats[s]);
	for (unsigned u = 0; u < PL_UNCERTAIN; u++)
		any += c->uncertain[u];
	fprintf(f, "uncertain facts%s: %llu\n", whose, any);
	for (unsigned u = 0; u < PL_UNCERTAIN; u++)
		if (c->uncertain[u])
			fprintf(f, "  %s: %llu\n", pl_uncertain_reason(u), c->uncertain[u]);
}

void summary_print(FILE *f, const struct pl_model *m, __u32 root, unsigned flags)
{
	const struct pl_counts *all = pl_model_counts(m), *c = pl_model_counts_of(m, root);
	const char *machine = root ? " (whole machine)" : "";
	size_t unreaped;
	const struct pl_proc **waiting = collect(m, root, unreaped_zombie, &unreaped);

	fprintf(f, "\n== summary");
	if (root == PL_PID_NONE)
		fprintf(f, " of the command, which was not run");
	else if (root)
		fprintf(f, " of %u and its descendants", root);
	fprintf(f, " ==\n");
	if (flags & VIEW_FILTERED)
		fprintf(f, "(of everything traced: --uid, --cgroup and --comm choose the lines, the "
			   "tree and the exports)\n");
	/* a root the model does not follow has no counts of its own */
	counts(f, c, orphaned_unseen(m, all), pl_model_zombie_ms(m), unreaped,
	       unreaped && pl_model_ends_lost(m), root && c == all,
	       waits_partial(m, c == all ? 0 : root), flags & VIEW_NO_THREADS);
	zombies(f, m, root, c, waiting, unreaped);
	neglect(f, m, root);
	orphans(f, m, root);
	summary_context(f, m, root, waiting, unreaped);
	free(waiting);
	alive(f, m, root, flags);
	doubts(f, all, machine);
}

struct pl_alive *summary_alive(const struct pl_model *m, __u32 root, size_t *n)
{
	const struct pl_proc **p = collect(m, root, pl_proc_alive, n);
	struct pl_alive *a = NULL;

	if (*n)
		a = calloc(*n, sizeof(*a));
	for (size_t i = 0; a && i < *n; i++) {
		a[i].pid = p[i]->pid;
		a[i].start = p[i]->start;
		memcpy(a[i].comm, p[i]->comm, sizeof(a[i].comm));
	}
	if (!a)
		*n = 0;
	free(p);
	return a;
}
