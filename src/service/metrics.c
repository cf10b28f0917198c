// SPDX-License-Identifier: BSD-2-Clause
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include "service/cgroup_labels.h"
#include "service/metrics.h"
#include "util/args.h"
#include "util/names.h"
#include "util/status.h"

/* upper bounds in seconds: a prompt reap takes well under a millisecond,
 * one past the model's 100 ms threshold is neglect, an hour is a leak */
static const double zombie_bounds[METRICS_ZOMBIE_BUCKETS] = {
	0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 600, 1800, 3600,
};

/* by enum pl_end_how; other: a status no wait() reports, a kernel thread's return */
static const char *const exit_how[PL_END_HOWS] = { "code", "signal", "core", "other" };
enum reap_how { REAP_WAIT, REAP_AUTO, REAP_INFERRED, REAP_HOWS };
static const char *const reap_how[REAP_HOWS] = { "wait", "auto", "inferred" };
/* orphans by who adopted them; another thread of the same process is no orphaning */
static const unsigned adopters[] = { PL_ADOPT_INIT, PL_ADOPT_SUBREAPER, PL_ADOPT_OTHER };
#define NADOPTERS (sizeof(adopters) / sizeof(adopters[0]))

struct metrics {
	unsigned long long forks, execs;
	unsigned long long exits[PL_END_HOWS];
	unsigned long long reaps[REAP_HOWS];
	unsigned long long orphans[PL_ADOPT_OTHER + 1];
	unsigned long long zombie_buckets[METRICS_ZOMBIE_BUCKETS]; /* not cumulative */
	unsigned long long zombie_count;
	double zombie_sum;
	struct cgroup_labels *labels;
};

struct metrics *metrics_new(void)
{
	struct metrics *m = calloc(1, sizeof(*m));

	if (m && !(m->labels = cgroup_labels_new())) {
		free(m);
		return NULL;
	}
	return m;
}

void metrics_free(struct metrics *m)
{
	if (!m)
		return;
	cgroup_labels_free(m->labels);
	free(m);
}

static void observe_zombie(struct metrics *m, unsigned long long ns)
{
	double s = (double)ns / 1e9;
	unsigned b = 0;

	while (b < METRICS_ZOMBIE_BUCKETS && s > zombie_bounds[b])
		b++;
	if (b < METRICS_ZOMBIE_BUCKETS)
		m->zombie_buckets[b]++;
	m->zombie_count++;
	m->zombie_sum += s;
}

static void on_reap(struct metrics *m, const struct pl_event *e)
{
	if (e->flags & PL_F_AUTO) {
		m->reaps[REAP_AUTO]++;
		/* a zombie only if it had been one: its old parent's, handed to
		 * an adopter that ignores SIGCHLD and let it go */
		if (e->zombie_ns)
			observe_zombie(m, e->zombie_ns);
		return;
	}
	m->reaps[e->flags & PL_F_INFERRED ? REAP_INFERRED : REAP_WAIT]++;
	/* an unmatched reap's zombie time is not known; an inferred one's is
	 * an upper bound, the best there is */
	if (!(e->flags & PL_F_UNMATCHED))
		observe_zombie(m, e->zombie_ns);
}

void metrics_event(struct metrics *m, const struct pl_event *e)
{
	cgroup_labels_event(m->labels, e);
	if (e->flags & PL_F_THREAD)
		return;
	switch (e->kind) {
	case PL_EV_FORK:
		m->forks++;
		break;
	case PL_EV_EXEC:
		m->execs++;
		break;
	case PL_EV_EXIT:
		m->exits[pl_status_end_how(e->status)]++;
		break;
	case PL_EV_REAP:
		on_reap(m, e);
		break;
	case PL_EV_REPARENT:
		if (e->adopter == PL_ADOPT_THREAD || e->adopter < 0 || e->adopter > PL_ADOPT_OTHER)
			break;
		m->orphans[e->adopter]++;
		cgroup_labels_orphan(m->labels, e->pid, e->start);
		break;
	}
}

/* --- the exposition --- */

struct out {
	FILE *f;
	bool om; /* OpenMetrics */
};

/* a family's HELP and TYPE; OpenMetrics names a counter without _total */
static void family(struct out *o, const char *name, const char *type, const char *help)
{
	size_t n = strlen(name);

	if (o->om && !strcmp(type, "counter") && n > 6 && !strcmp(name + n - 6, "_total"))
		n -= 6;
	if (o->om && !strcmp(type, "info") && n > 5 && !strcmp(name + n - 5, "_info"))
		n -= 5;
	if (!o->om && !strcmp(type, "info"))
		type = "gauge";
	fprintf(o->f, "# HELP %.*s %s\n# TYPE %.*s %s\n", (int)n, name, help, (int)n, name, type);
}

/* a label value: backslash, double quote and newline escaped */
static void label_value(FILE *f, const char *v)
{
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			fputc('\\', f);
		if (*v == '\n')
			fputs("\\n", f);
		else
			fputc(*v, f);
	}
}

static void sample(struct out *o, const char *name, const char *label, const char *value,
		   unsigned long long v)
{
	fputs(name, o->f);
	if (label) {
		fprintf(o->f, "{%s=\"", label);
		label_value(o->f, value);
		fputs("\"}", o->f);
	}
	fprintf(o->f, " %llu\n", v);
}

static void by_cgroup(void *ctx, const char *cgroup, unsigned long long v)
{
	struct out *o = ctx;

	sample(o, "proclife_zombies_by_cgroup", "cgroup", cgroup, v);
}

static void orphans_by_cgroup(void *ctx, const char *cgroup, unsigned long long v)
{
	sample(ctx, "proclife_orphans_by_cgroup_total", "cgroup", cgroup, v);
}

static void counters(struct metrics *m, struct out *o)
{
	family(o, "proclife_forks_total", "counter", "Processes created (threads not counted).");
	sample(o, "proclife_forks_total", NULL, NULL, m->forks);
	family(o, "proclife_execs_total", "counter", "Programs executed (successful execve).");
	sample(o, "proclife_execs_total", NULL, NULL, m->execs);
	family(o, "proclife_exits_total", "counter",
	       "Processes ended: with an exit code, killed by a signal, dumping core, or "
	       "with no wait status (a kernel thread's return).");
	for (unsigned h = 0; h < PL_END_HOWS; h++)
		sample(o, "proclife_exits_total", "how", exit_how[h], m->exits[h]);
	family(o, "proclife_reaps_total", "counter",
	       "Processes released: reaped by a wait, auto-reaped (SIGCHLD ignored), or "
	       "inferred from the task's free when no wait was seen.");
	for (unsigned h = 0; h < REAP_HOWS; h++)
		sample(o, "proclife_reaps_total", "how", reap_how[h], m->reaps[h]);
	family(o, "proclife_orphans_total", "counter",
	       "Processes reparented when their parent exited, by who adopted them.");
	for (unsigned a = 0; a < NADOPTERS; a++)
		sample(o, "proclife_orphans_total", "adopter", pl_adopter_name(adopters[a]),
		       m->orphans[adopters[a]]);
	family(o, "proclife_orphans_by_cgroup_total", "counter",
	       "Orphaned processes by their cgroup: the first " STR(CGROUP_LABELS_TOP)
	       " cgroups with one have their own series, later ones count as other.");
	cgroup_labels_orphans(m->labels, orphans_by_cgroup, o);
}

static void zombie_histogram(struct metrics *m, struct out *o)
{
	unsigned long long cum = 0;
	char le[32];

	family(o, "proclife_zombie_seconds", "histogram",
	       "How long each reaped process was a zombie (exit to reap).");
	for (unsigned b = 0; b < METRICS_ZOMBIE_BUCKETS; b++) {
		cum += m->zombie_buckets[b];
		snprintf(le, sizeof(le), "%g", zombie_bounds[b]);
		if (o->om && !strchr(le, '.') && !strchr(le, 'e'))
			strcat(le, ".0"); /* OpenMetrics' canonical floats */
		sample(o, "proclife_zombie_seconds_bucket", "le", le, cum);
	}
	sample(o, "proclife_zombie_seconds_bucket", "le", "+Inf", m->zombie_count);
	fprintf(o->f, "proclife_zombie_seconds_sum %.9f\n", m->zombie_sum);
	sample(o, "proclife_zombie_seconds_count", NULL, NULL, m->zombie_count);
}

static void gauges(struct metrics *m, const struct metrics_now *now, struct out *o)
{
	const struct pl_proc *q = NULL;
	unsigned long long alive = 0, zombies = 0, oldest = 0;

	while ((q = pl_model_next(now->model, q))) {
		if (now->root && !pl_model_in_subtree(now->model, q, now->root))
			continue;
		if (pl_proc_alive(q))
			alive++;
		if (q->state != PL_ST_ZOMBIE)
			continue;
		zombies++;
		if (q->zombie_ts && now->now_ns > q->zombie_ts && now->now_ns - q->zombie_ts > oldest)
			oldest = now->now_ns - q->zombie_ts;
	}
	family(o, "proclife_processes", "gauge", "Processes alive now (zombies not counted).");
	sample(o, "proclife_processes", NULL, NULL, alive);
	family(o, "proclife_zombies", "gauge", "Zombies now: exited, not yet reaped.");
	sample(o, "proclife_zombies", NULL, NULL, zombies);
	family(o, "proclife_oldest_zombie_seconds", "gauge",
	       "How long the oldest zombie now has been one (0: none).");
	fprintf(o->f, "proclife_oldest_zombie_seconds %.6f\n", (double)oldest / 1e9);
	family(o, "proclife_zombies_by_cgroup", "gauge",
	       "Zombies now by their cgroup: the " STR(CGROUP_LABELS_TOP)
	       " cgroups with the most, the rest as other.");
	cgroup_labels_zombies(m->labels, now->model, now->root, by_cgroup, o);
}

static void losses(const struct metrics_now *now, struct out *o)
{
	const struct pl_counts *c = pl_model_counts(now->model);

	family(o, "proclife_lost_records_total", "counter",
	       "Records the kernel could not pass on (the ring buffer was full), by kind.");
	for (unsigned k = PL_EV_FORK; k < PL_EV_KINDS; k++)
		if (k != PL_EV_WAITS && k != PL_EV_ZOMBIE_LONG && k != PL_EV_DOUBLE_FORK)
			sample(o, "proclife_lost_records_total", "kind", pl_kind_name(k), c->lost[k]);
	if (c->stats[PL_STAT_RUNS_SKIPPED] == PL_NOT_COUNTED)
		return; /* a kernel that does not count them: no figure */
	family(o, "proclife_skipped_runs_total", "counter",
	       "Runs of proclife's programs the kernel skipped, one running on that CPU already "
	       "(facts of any kind may be missing).");
	fprintf(o->f, "proclife_skipped_runs_total %llu\n", c->stats[PL_STAT_RUNS_SKIPPED]);
}

/* the tracer's own, under the names every Prometheus client gives them */
static void own_process(struct out *o)
{
	struct rusage ru;
	unsigned long pages = 0;
	FILE *f;

	if (!getrusage(RUSAGE_SELF, &ru)) {
		family(o, "process_cpu_seconds_total", "counter",
		       "CPU time the tracer has used, user and system.");
		fprintf(o->f, "process_cpu_seconds_total %.6f\n",
			(double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
				(double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
	}
	f = fopen("/proc/self/statm", "r");
	if (f && fscanf(f, "%*u %lu", &pages) == 1) {
		family(o, "process_resident_memory_bytes", "gauge",
		       "The tracer's resident memory.");
		sample(o, "process_resident_memory_bytes", NULL, NULL,
		       (unsigned long long)pages * (unsigned long long)sysconf(_SC_PAGESIZE));
	}
	if (f)
		fclose(f);
}

char *metrics_render(struct metrics *m, const struct metrics_now *now, bool openmetrics,
		     size_t *len)
{
	struct out o = { .om = openmetrics };
	char *buf = NULL;

	o.f = open_memstream(&buf, len);
	if (!o.f)
		return NULL;
	counters(m, &o);
	zombie_histogram(m, &o);
	if (now->model) {
		gauges(m, now, &o);
		losses(now, &o);
	}
	own_process(&o);
	family(&o, "proclife_build_info", "info", "The version of the tracer.");
	sample(&o, "proclife_build_info", "version", now->version ? now->version : "", 1);
	if (o.om)
		fputs("# EOF\n", o.f);
	if (fclose(o.f)) {
		free(buf);
		return NULL;
	}
	return buf;
}
