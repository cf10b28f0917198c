// SPDX-License-Identifier: BSD-2-Clause
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "model/model.h"
#include "util/names.h"
#include "util/status.h"
#include "verify/compare.h"

/* a zombie held on purpose for H ms, in a manifest that does not say when it was
 * seen a zombie: it lasts from just before the generator sees the exit to just
 * after it reaps, so allow for scheduling both ways */
#define HOLD_EARLY_NS (20ULL * 1000000)
#define HOLD_LATE_NS (100ULL * 1000000)
/* a prompt reap in a manifest that does not say when the wait returned */
#define PROMPT_NS (100ULL * 1000000)
/* wait4's rusage is in whole microseconds, user and system each cut */
#define RUSAGE_ROUNDING_NS 2000ULL
/* what a process may run of its end after a wait4 on another CPU summed
 * its use (it is told at its last switch, with all it ran) */
#define REAPED_RUNNING_NS 1000000ULL
/* the kernel's start time against the generator's clock around fork():
 * the same clock (CLOCK_BOOTTIME), so no slack: a neighbour's start is out */
#define START_SLACK_NS 0ULL

struct ctx {
	const struct manifest *m;
	struct log_facts *lf;
	bool *matched;     /* per log process: a manifest process was found in it */
	FILE *out;
	struct verdict v;
};

static void differ(struct ctx *c, const struct mf_proc *p, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void differ(struct ctx *c, const struct mf_proc *p, const char *what, const char *fmt, ...)
{
	va_list ap;

	c->v.differ++;
	if (p)
		fprintf(c->out, "%s: pid %u (%s): %s: ", c->m->runs[p->run].scenario, p->pid, p->role,
			what);
	else
		fprintf(c->out, "%s: ", what);
	va_start(ap, fmt);
	vfprintf(c->out, fmt, ap);
	va_end(ap);
	fputc('\n', c->out);
}

/* one fact: counted, and printed when it differs */
#define FACT(c, p, ok, what, ...)                           \
	do {                                                \
		(c)->v.facts++;                             \
		if (!(ok))                                  \
			differ(c, p, what, __VA_ARGS__);    \
	} while (0)

static bool in_window(const struct mf_proc *p, __u64 start)
{
	if (!p->fork_lo && !p->fork_hi)
		return true;
	return start + START_SLACK_NS >= p->fork_lo && start <= p->fork_hi + START_SLACK_NS;
}

/* the life in the log that p is, not yet matched: its index, or -1 */
static long find_life(const struct ctx *c, const struct mf_proc *p)
{
	for (size_t i = 0; i < c->lf->nprocs; i++) {
		const struct pl_proc_rec *q = &c->lf->procs[i];

		if (q->pid == p->pid && !c->matched[i] && in_window(p, q->start))
			return (long)i;
	}
	return -1;
}

static const char *status_text(int status, char *buf, size_t len)
{
	return pl_status_describe(status, buf, len);
}

static void check_reaper(struct ctx *c, const struct mf_proc *p, const struct pl_proc_rec *q)
{
	const struct mf_run *r = &c->m->runs[p->run];
	__u32 init = r->ns_init ? r->ns_init : c->m->ns_init ? c->m->ns_init : 1;
	bool reaped = q->state >= PL_ST_REAPED;

	switch (p->reaper) {
	case MF_REAPER_AUTO:
		FACT(c, p, q->reap_kind == PL_RK_AUTO, "auto-reap", "expected auto-reaped, log has %s",
		     reaped ? pl_reap_kind_name(q->reap_kind) : "not reaped");
		FACT(c, p, !q->zombie_ts, "never a zombie", "expected no zombie, log has one");
		return;
	case MF_REAPER_PID:
		FACT(c, p, reaped && q->reaper == p->reaper_pid, "reaper",
		     "expected %u, log has %u%s", p->reaper_pid, q->reaper, reaped ? "" : " (not reaped)");
		FACT(c, p, q->reap_kind == PL_RK_WAIT, "reaped by wait", "log has %s",
		     reaped ? pl_reap_kind_name(q->reap_kind) : "no reap");
		return;
	case MF_REAPER_SUBREAPER:
	case MF_REAPER_INIT: {
		__u32 want = p->reaper == MF_REAPER_INIT ? init : p->reaper_pid;

		if (!reaped && q->state == PL_ST_ZOMBIE && q->parent == want) {
			/* the adopter had not reaped it when the trace ended */
			c->v.facts++;
			c->v.pending++;
			return;
		}
		FACT(c, p, reaped && q->reaper == want, "reaper", "expected adopter %u, log has %u%s",
		     want, q->reaper, reaped ? "" : " (not reaped)");
		return;
	}
	default:
		return;
	}
}

/*
 * Reaped at once: it was a zombie no earlier than its fork and reaped no later than
 * its reaper's wait returned, both on the tracer's clock, so those bound the zombie
 * time exactly whatever the machine's load.
 */
static void check_prompt_reap(struct ctx *c, const struct mf_proc *p, const struct pl_proc_rec *q,
			      const char *fact)
{
	if (p->reaped_ns && p->fork_lo && p->reaped_ns > p->fork_lo) {
		__u64 most = p->reaped_ns - p->fork_lo;

		FACT(c, p, q->reap_ts <= p->reaped_ns && q->zombie_ns <= most, fact,
		     "expected a zombie time within its life to the wait's return (%.3f ms), "
		     "log has %.3f ms%s", (double)most / 1e6, (double)q->zombie_ns / 1e6,
		     q->reap_ts > p->reaped_ns ? ", reaped after the wait returned" : "");
		return;
	}
	FACT(c, p, q->zombie_ns < PROMPT_NS, fact, "expected a prompt reap (under 100 ms), log has %.3f ms",
	     (double)q->zombie_ns / 1e6);
}

static void check_zombie_time(struct ctx *c, const struct mf_proc *p, const struct pl_proc_rec *q)
{
	__u64 hold = (__u64)p->hold_ms * 1000000ULL;

	if (p->reaper == MF_REAPER_AUTO || q->state < PL_ST_REAPED || !q->zombie_ts)
		return;
	if (hold && p->zombie_seen_ns) {
		/* a zombie by zombie_seen_ns, reaped no sooner than hold after it and (by
		 * its parent) no later than the wait's return: exact, whatever the load */
		bool early_ok = q->zombie_ns >= hold;
		bool late_ok = p->reaper != MF_REAPER_PID || !p->reaped_ns || !p->fork_lo ||
			       q->zombie_ns <= p->reaped_ns - p->fork_lo;

		FACT(c, p, early_ok && late_ok, "zombie time", "expected %ld ms or more%s, log has %.3f ms",
		     p->hold_ms, p->reaper == MF_REAPER_PID ? " (and within its life to the wait's return)" : "",
		     (double)q->zombie_ns / 1e6);
	} else if (hold) {
		/* an adopter reaps in its own time: only the lower bound holds */
		bool late_ok = p->reaper != MF_REAPER_PID || q->zombie_ns <= hold + HOLD_LATE_NS;

		FACT(c, p, q->zombie_ns + HOLD_EARLY_NS >= hold && late_ok, "zombie time",
		     "expected %ld ms (-20/+100), log has %.3f ms", p->hold_ms, (double)q->zombie_ns / 1e6);
	} else if (p->reaper == MF_REAPER_PID ||
		   (p->reaped_ns && p->fork_lo && p->reaped_ns > p->fork_lo)) {
		/* its parent's prompt wait, or an adopter's wait whose return
		 * bounds the reap all the same */
		check_prompt_reap(c, p, q, "zombie time");
	}
}

static const struct lf_rec *find_rec(const struct lf_list *l, __u32 pid, __u64 start)
{
	const struct lf_rec *found = NULL;

	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].pid == pid && (!start || !l->v[i].start || l->v[i].start == start))
			found = &l->v[i];
	return found;
}

/* who it ran as and where: as its last fork or exec had it */
static void check_who(struct ctx *c, const struct mf_proc *p, const struct pl_proc_rec *q)
{
	bool who = q->flags & PL_P_WHO;

	if (p->has_who) {
		FACT(c, p, who && q->uid == p->uid, "uid", "expected %u, log has %s%u", p->uid,
		     who ? "" : "none, ", q->uid);
		FACT(c, p, who && q->gid == p->gid, "gid", "expected %u, log has %s%u", p->gid,
		     who ? "" : "none, ", q->gid);
	}
	if (!p->cgroup)
		return;
	if (!q->cgroup && !c->lf->cgroups_told) {
		/* looked up by id, the cgroup already removed: no name, and none made up */
		c->v.facts++;
		c->v.unnamed++;
		return;
	}
	FACT(c, p, q->cgroup && !strcmp(q->cgroup, p->cgroup), "cgroup", "expected '%s', log has %s%s%s",
	     p->cgroup, q->cgroup ? "'" : "none", q->cgroup ? q->cgroup : "", q->cgroup ? "'" : "");
}

/*
 * What it used, exactly: the CPU time wait4 said (the kernel's own sum,
 * each of its two halves cut to the microsecond; and what it ran of its
 * end after a reap that came before its last switch), and the peak memory
 * wait4 said. Its last stretch, spun with no system call, is in that sum.
 */
static void check_usage(struct ctx *c, const struct mf_proc *p, const struct pl_proc_rec *q)
{
	bool told = q->flags & PL_P_USAGE;
	__u64 cpu = q->cpu_user_ns + q->cpu_sys_ns;

	if (!p->has_usage)
		return;
	FACT(c, p, told && cpu >= p->reaped_cpu_ns &&
		   cpu <= p->reaped_cpu_ns + RUSAGE_ROUNDING_NS + REAPED_RUNNING_NS,
	     "CPU at exit", "expected %llu ns (wait4's, to the microsecond), log has %s%llu",
	     (unsigned long long)p->reaped_cpu_ns, told ? "" : "none, ", (unsigned long long)cpu);
	FACT(c, p, told && q->max_rss_kb == p->reaped_maxrss_kb, "peak memory",
	     "expected %llu KiB (wait4's), log has %s%llu", (unsigned long long)p->reaped_maxrss_kb,
	     told ? "" : "none, ", (unsigned long long)q->max_rss_kb);
}

static void check_killer(struct ctx *c, const struct mf_proc *p, const struct pl_proc_rec *q)
{
	bool told = q->flags & PL_P_KILLER;
	const char *why = told ? pl_kill_why_name(q->kill_why) : "none";

	if (!p->kill_reason[0])
		return;
	FACT(c, p, told && q->killer == p->killed_by, "killer", "expected %u, log has %s%u",
	     p->killed_by, told ? "" : "none, ", q->killer);
	FACT(c, p, told && !strcmp(why, p->kill_reason), "kill reason", "expected %s, log has %s",
	     p->kill_reason, why);
}

static void check_proc(struct ctx *c, const struct mf_proc *p, const struct pl_proc_rec *q)
{
	char a[64], b[64];

	FACT(c, p, q->ppid_birth == p->parent, "parent at birth", "expected %u, log has %u", p->parent,
	     q->ppid_birth);
	if (p->has_status)
		FACT(c, p, (q->flags & PL_P_HAS_STATUS) && q->status == p->status, "exit status",
		     "expected %s, log has %s", status_text(p->status, a, sizeof(a)),
		     q->flags & PL_P_HAS_STATUS ? status_text(q->status, b, sizeof(b)) : "none");
	check_reaper(c, p, q);
	check_zombie_time(c, p, q);
	if (p->in_handler && q->state >= PL_ST_REAPED)
		check_prompt_reap(c, p, q, "reaped from the handler");
	if (p->nohang) {
		const struct lf_rec *r = find_rec(&c->lf->reaps, q->pid, q->start);

		FACT(c, p, r && (r->flags & PL_F_NOHANG), "WNOHANG reap",
		     "expected a reap by a WNOHANG poll, log has %s", r ? "a blocking wait" : "no reap");
	}
	if (p->orphan) {
		bool orphaned = q->flags & PL_P_ORPHAN;

		FACT(c, p, orphaned && q->old_parent == p->old_parent, "orphaned from",
		     "expected %u, log has %s %u", p->old_parent, orphaned ? "" : "no reparenting,", q->old_parent);
		FACT(c, p, orphaned && (q->parent == p->new_parent || q->reaper == p->new_parent),
		     "adopted by", "expected %u, log has %u", p->new_parent, q->parent);
		FACT(c, p, orphaned && !strcmp(pl_adopter_name(q->adopter), p->adopter), "adopter kind",
		     "expected %s, log has %s", p->adopter, orphaned ? pl_adopter_name(q->adopter) : "none");
		FACT(c, p, !!(q->flags & PL_P_ZOMBIE_ADOPTED) == p->orphan_as_zombie, "adopted as a zombie",
		     "expected %s, log has %s", p->orphan_as_zombie ? "yes" : "no",
		     q->flags & PL_P_ZOMBIE_ADOPTED ? "yes" : "no");
	}
	if (p->exec) {
		const struct lf_rec *x = find_rec(&c->lf->execs, q->pid, q->start);
		const char *file = q->filename ? q->filename : "";

		FACT(c, p, !strcmp(file, p->exec_filename ? p->exec_filename : ""), "exec'd file",
		     "expected '%s', log has '%s'", p->exec_filename ? p->exec_filename : "", file);
		FACT(c, p, !strcmp(q->comm, p->exec_comm), "command after exec",
		     "expected '%s', log has '%s'", p->exec_comm, q->comm);
		if (p->exec_tid && p->exec_tid != p->pid)
			FACT(c, p, x && x->other == p->exec_tid, "exec from thread",
			     "expected thread %u to exec, log has %u", p->exec_tid, x ? x->other : 0);
	}
	if (p->has_nice)
		FACT(c, p, q->nice == p->nice, "nice", "expected %d, log has %d", p->nice, q->nice);
	if (p->ns_pid)
		FACT(c, p, q->ns_pid == p->ns_pid, "pid in its namespace", "expected %u, log has %u",
		     p->ns_pid, q->ns_pid);
	check_who(c, p, q);
	check_usage(c, p, q);
	check_killer(c, p, q);
}

static bool seen_reaped(const struct pl_proc_rec *q)
{
	/* a reap inferred from the free has no time of its own */
	return q && q->state >= PL_ST_REAPED && q->reap_kind != PL_RK_INFERRED;
}

/* reaps by one reaper happen in the order the manifest gives; a reap the
 * log does not show is told by its own fact, and has no order */
static void check_reap_order(struct ctx *c, const struct pl_proc_rec **match)
{
	for (size_t i = 0; i < c->m->nprocs; i++) {
		const struct mf_proc *p = &c->m->procs[i];

		if (p->reaper != MF_REAPER_PID || !p->reap_seq || !seen_reaped(match[i]))
			continue;
		for (size_t j = 0; j < c->m->nprocs; j++) {
			const struct mf_proc *o = &c->m->procs[j];

			if (o->run != p->run || o->reaper_pid != p->reaper_pid || o->reaper != MF_REAPER_PID ||
			    o->reap_seq != p->reap_seq + 1 || !seen_reaped(match[j]))
				continue;
			FACT(c, o, match[j]->reap_ts > match[i]->reap_ts, "reap order",
			     "expected after %u, log has it before", p->pid);
		}
	}
}

static bool by(const struct lf_rec *x, __u32 pid, __u64 from, __u64 to, __u32 flag)
{
	return x->ts >= from && x->ts <= to && (x->flags & flag) && (x->pid == pid || x->other == pid);
}

static size_t count_in(const struct lf_list *l, __u32 pid, __u64 from, __u64 to, __u32 flag)
{
	size_t n = 0;

	for (size_t i = 0; i < l->n; i++)
		n += by(&l->v[i], pid, from, to, flag);
	return n;
}

/* the polling loop ends with its last reap: later polls (the generator
 * tidying up between runs) are not the scenario's */
static __u64 last_reap(const struct lf_list *reaps, __u32 pid, const struct mf_run *r)
{
	__u64 last = r->begin_ns;

	for (size_t i = 0; i < reaps->n; i++)
		if (by(&reaps->v[i], pid, r->begin_ns, r->end_ns, PL_F_NOHANG))
			last = reaps->v[i].ts;
	return last;
}

/* without a line per wait the kernel's count is all there is: the
 * poller's WNOHANG polls in all, the scenario's among them */
static void check_poll_count(struct ctx *c, const struct mf_run *r, __u32 poller)
{
	unsigned long long counted = 0;

	if (r->polls < 0)
		return;
	for (size_t i = 0; i < c->lf->polls.n; i++)
		if (c->lf->polls.v[i].pid == poller)
			counted += c->lf->polls.v[i].other;
	c->v.facts++;
	if (counted < (unsigned long long)r->polls) {
		c->v.differ++;
		fprintf(c->out, "%s: pid %u: WNOHANG polls: expected at least %lld, log counts %llu\n",
			r->scenario, poller, r->polls, counted);
	}
}

static void check_polls(struct ctx *c)
{
	for (size_t i = 0; i < c->m->nruns; i++) {
		const struct mf_run *r = &c->m->runs[i];
		__u32 poller = 0;
		size_t polls, reaps;
		__u64 end;

		if (r->empty_polls < 0 || strcmp(r->result, "ok"))
			continue;
		for (size_t j = 0; j < c->m->nprocs && !poller; j++)
			if (c->m->procs[j].run == i && c->m->procs[j].nohang)
				poller = c->m->procs[j].reaper_pid;
		if (!c->lf->wait_records) {
			check_poll_count(c, r, poller);
			continue;
		}
		end = last_reap(&c->lf->reaps, poller, r);
		polls = count_in(&c->lf->waits, poller, r->begin_ns, end, PL_F_NOHANG);
		reaps = count_in(&c->lf->reaps, poller, r->begin_ns, end, PL_F_NOHANG);
		c->v.facts++;
		if (polls < reaps || (long long)(polls - reaps) != r->empty_polls) {
			c->v.differ++;
			fprintf(c->out, "%s: pid %u: polls that found nothing: expected %lld, log has %zu\n",
				r->scenario, poller, r->empty_polls, polls - reaps);
		}
	}
}

static void check_threads(struct ctx *c)
{
	for (size_t i = 0; i < c->m->nthreads; i++) {
		const struct mf_thread *t = &c->m->threads[i];
		const struct mf_run *r = &c->m->runs[t->run];
		bool as_process = false, forked = false;

		for (size_t j = 0; j < c->lf->nprocs; j++)
			if (c->lf->procs[j].pid == t->tid && c->lf->procs[j].start >= r->begin_ns &&
			    c->lf->procs[j].start <= r->end_ns)
				as_process = true;
		c->v.facts++;
		if (as_process) {
			c->v.differ++;
			fprintf(c->out, "%s: thread %u of %u: counted as a process\n", r->scenario, t->tid,
				t->pid);
		}
		if (!c->lf->traced_threads)
			continue; /* traced without --threads: said once, in verify's last line */
		for (size_t j = 0; j < c->lf->threads.n; j++)
			if (c->lf->threads.v[j].tid == t->tid && c->lf->threads.v[j].pid == t->pid)
				forked = true;
		c->v.facts++;
		if (!forked) {
			c->v.differ++;
			fprintf(c->out, "%s: thread %u of %u: no thread creation in the log\n", r->scenario,
				t->tid, t->pid);
		}
	}
}

/* processes the log puts under the generator that the manifest never made */
static void check_extra(struct ctx *c)
{
	for (size_t i = 0; i < c->m->nruns; i++) {
		if (strcmp(c->m->runs[i].result, "ok")) {
			/* what a failed run made is not in the manifest: not extra */
			fprintf(c->out, "run %zu (%s) failed (result: %s): its processes are not "
				"checked, nor is anything else in the log for being extra\n", i + 1,
				c->m->runs[i].scenario, c->m->runs[i].result);
			return;
		}
	}
	for (size_t i = 0; i < c->lf->nprocs; i++) {
		const struct pl_proc_rec *q = &c->lf->procs[i];

		if (c->matched[i] || !(q->flags & PL_P_FOLLOWED) || q->pid == c->m->generator)
			continue;
		c->v.facts++;
		c->v.differ++;
		fprintf(c->out, "extra process: pid %u (%s), child of %u, not in the manifest\n", q->pid,
			q->comm, q->ppid_birth);
	}
}

/* does the log hold any life the manifest names (its generator's, or one
 * of its processes')? None: they are of different runs */
static bool same_run(const struct ctx *c)
{
	for (size_t i = 0; i < c->lf->nprocs; i++)
		if (c->lf->procs[i].pid == c->m->generator)
			return true;
	for (size_t i = 0; i < c->m->nprocs; i++)
		if (find_life(c, &c->m->procs[i]) >= 0)
			return true;
	return false;
}

struct verdict compare(const struct manifest *m, struct log_facts *lf, FILE *out)
{
	struct ctx c = { .m = m, .lf = lf, .out = out };
	const struct pl_proc_rec **match = calloc(m->nprocs + 1, sizeof(*match));

	c.matched = calloc(lf->nprocs + 1, sizeof(*c.matched));
	if (!match || !c.matched) {
		free(match);
		free(c.matched);
		c.v.differ++;
		fprintf(out, "out of memory\n");
		return c.v;
	}
	if (m->nprocs && !same_run(&c)) {
		c.v.differ++;
		fprintf(out, "the log holds neither the workload (pid %u) nor any process of its "
			"manifest: %s\n", m->generator,
			lf->unfinished ? "the log ends before the workload ran, or they are of different runs" :
					 "they are of different runs");
		free(match);
		free(c.matched);
		return c.v;
	}
	for (size_t i = 0; i < m->nprocs; i++) {
		const struct mf_proc *p = &m->procs[i];
		long k;

		if (strcmp(m->runs[p->run].result, "ok"))
			continue;
		c.v.processes++;
		k = find_life(&c, p);
		FACT(&c, p, k >= 0, "process", "missing from the log%s",
		     p->reused ? " (a second life of its pid: merged with the first?)" : "");
		if (k < 0)
			continue;
		c.matched[k] = true;
		match[i] = &lf->procs[k];
		check_proc(&c, p, match[i]);
	}
	check_reap_order(&c, match);
	check_polls(&c);
	check_threads(&c);
	check_extra(&c);
	if (lf->lost) {
		c.v.differ++;
		fprintf(out, "the log lost %llu records: facts may be missing\n", lf->lost);
	}
	if (lf->lines_dropped) {
		c.v.differ++;
		fprintf(out, "the tracer could not write %llu of the log's lines (its reader did not "
			"keep up): facts may be missing\n", lf->lines_dropped);
	}
	if (lf->doubts) {
		c.v.differ++;
		fprintf(out, "the log does not hold as it was written (said above): facts may not "
			"hold either\n");
	}
	if (lf->skipped_runs) {
		c.v.differ++;
		fprintf(out, "the kernel skipped %llu runs of proclife's programs: facts may be missing\n",
			lf->skipped_runs);
	}
	free(match);
	free(c.matched);
	return c.v;
}
