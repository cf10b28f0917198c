// SPDX-License-Identifier: BSD-2-Clause
/*
 * The metrics from synthetic streams: each counter against the records
 * that make it, the zombie histogram's buckets, the gauges read from the
 * model, the cgroup label held to its bound, and both expositions' syntax.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include "check.h"
#include "service/cgroup_labels.h"
#include "service/metrics.h"
#include "synth.h"

struct fixture {
	struct synth *s;
	struct metrics *m;
};

/* every record to the model, then to the metrics, as the pipeline does */
static void feed_both(void *ctx, const struct pl_event *e)
{
	struct fixture *f = ctx;

	pl_model_feed(f->s->m, e);
	metrics_event(f->m, e);
}

static struct fixture *fixture_new(void)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->s = sy_new(100);
	f->m = metrics_new();
	f->s->feed = feed_both;
	f->s->feed_ctx = f;
	return f;
}

static void fixture_free(struct fixture *f)
{
	metrics_free(f->m);
	sy_free(f->s);
	free(f);
}

static char *render(struct fixture *f, bool om)
{
	struct metrics_now now = { .model = f->s->m, .now_ns = f->s->now, .version = "9.9.9" };
	size_t len;
	char *text = metrics_render(f->m, &now, om, &len);

	assert_non_null(text);
	ASSERT_EQ(strlen(text), len, "the exposition's length");
	return text;
}

/* a fork that says which cgroup the child is in, as the kernel's does */
static void fork_in(struct synth *s, __u32 child, __u32 parent, const char *cgroup)
{
	struct pl_event e;

	s->start[child] = s->now + 1000;
	s->parent[child] = parent;
	e = sy_ev(s, PL_EV_FORK, child);
	e.ppid = parent;
	e.pstart = s->start[parent];
	e.flags = PL_F_WHO;
	e.cgroup = cgroup;
	sy_emit(s, &e);
}

/* a life: born, exits with status, a zombie for zombie_ns, reaped by wait */
static void life(struct synth *s, __u32 pid, __u32 parent, int status, __u64 zombie_ns)
{
	sy_fork(s, pid, parent);
	sy_exit(s, pid, status);
	sy_zombie(s, pid, status);
	sy_sleep(s, zombie_ns - 1000); /* the reap record itself moves the clock 1 us */
	sy_reap(s, pid, parent, 0, status);
}

/* a zombie of parent, handed to an adopter that ignores SIGCHLD 200 ms
 * later and let go at once: an auto-reap of what had been a zombie */
static void auto_reaped_zombie(struct synth *s, __u32 pid, __u32 parent)
{
	struct pl_event e;

	sy_fork(s, pid, parent);
	sy_exit(s, pid, 0);
	sy_zombie(s, pid, 0);
	sy_sleep(s, 200 * MS);
	e = sy_ev(s, PL_EV_REAP, pid);
	e.tid = 0;
	e.flags = PL_F_AUTO | PL_F_FINAL;
	e.reaper = 1;
	e.pstart = s->start[1];
	e.zombie_ns = e.ts - s->zombie_at[pid];
	sy_emit(s, &e);
}

static void test_counters_count_what_the_records_say(void **state)
{
	struct fixture *f = fixture_new();
	char *text;

	(void)state;
	sy_proc(f->s, 1, 0, 1, 0, 0);
	sy_proc(f->s, 10, 1, 100, 0, 0);
	life(f->s, 11, 10, W_EXIT(0), MS);
	life(f->s, 12, 10, W_EXIT(3), MS);
	life(f->s, 13, 10, W_SIG(15), MS);
	life(f->s, 14, 10, W_CORE(6), MS);
	sy_thread(f->s, 10, 15); /* a thread is no process */
	sy_thread_exit(f->s, 10, 15);
	sy_exec(f->s, 10, "/bin/true", 0);
	/* auto-reaped: never a zombie */
	sy_fork(f->s, 16, 10);
	sy_exit(f->s, 16, 0);
	sy_reap(f->s, 16, 10, PL_F_AUTO, 0);
	auto_reaped_zombie(f->s, 19, 10);
	/* inferred from the free, an upper bound; unmatched: no zombie time */
	sy_fork(f->s, 17, 10);
	sy_exit(f->s, 17, 0);
	sy_zombie(f->s, 17, 0);
	sy_reap(f->s, 17, 1, PL_F_INFERRED, 0);
	sy_reap(f->s, 18, 10, PL_F_UNMATCHED, 0);
	/* orphans: init, a subreaper; another thread taking a child is none */
	sy_fork(f->s, 20, 10);
	sy_fork(f->s, 21, 20);
	sy_fork(f->s, 22, 20);
	sy_reparent(f->s, 21, 1, PL_ADOPT_INIT);
	sy_reparent(f->s, 22, 10, PL_ADOPT_SUBREAPER);
	sy_reparent(f->s, 20, 10, PL_ADOPT_THREAD);
	text = render(f, false);
	ASSERT_CONTAINS(text, "\nproclife_forks_total 10\n", "forks, threads left out");
	ASSERT_CONTAINS(text, "\nproclife_execs_total 1\n", "execs");
	ASSERT_CONTAINS(text, "\nproclife_exits_total{how=\"code\"} 5\n", "exits with a code");
	ASSERT_CONTAINS(text, "\nproclife_exits_total{how=\"signal\"} 1\n", "exits by a signal");
	ASSERT_CONTAINS(text, "\nproclife_exits_total{how=\"core\"} 1\n", "exits with a core");
	ASSERT_CONTAINS(text, "\nproclife_reaps_total{how=\"wait\"} 5\n", "reaps by wait");
	ASSERT_CONTAINS(text, "\nproclife_reaps_total{how=\"auto\"} 2\n", "auto-reaps");
	ASSERT_CONTAINS(text, "\nproclife_reaps_total{how=\"inferred\"} 1\n", "inferred reaps");
	ASSERT_CONTAINS(text, "\nproclife_orphans_total{adopter=\"init\"} 1\n", "orphans to init");
	ASSERT_CONTAINS(text, "\nproclife_orphans_total{adopter=\"subreaper\"} 1\n",
			"orphans to a subreaper");
	/* four 1 ms zombies, the inferred one and the one auto-reaped after
	 * 200 ms: the unmatched reap has no time, 16 was never a zombie */
	ASSERT_CONTAINS(text, "\nproclife_zombie_seconds_count 6\n", "zombies observed");
	ASSERT_CONTAINS(text, "\nproclife_zombie_seconds_bucket{le=\"0.5\"} 6\n",
			"the auto-reaped zombie's 200 ms");
	ASSERT_CONTAINS(text, "\nproclife_build_info{version=\"9.9.9\"} 1\n", "the version");
	ASSERT_CONTAINS(text, "\n# TYPE proclife_forks_total counter\n", "a counter's type");
	ASSERT_CONTAINS(text, "\nproclife_lost_records_total{kind=\"fork\"} 0\n", "losses");
	ASSERT_CONTAINS(text, "\n# TYPE process_resident_memory_bytes gauge\n", "own memory");
	ASSERT_CONTAINS(text, "\n# TYPE process_cpu_seconds_total counter\n", "own CPU");
	free(text);
	fixture_free(f);
}

static void test_zombie_histogram_buckets_are_cumulative(void **state)
{
	struct fixture *f = fixture_new();
	char *text;

	(void)state;
	sy_proc(f->s, 10, 0, 100, 0, 0);
	life(f->s, 11, 10, 0, MS / 2);
	life(f->s, 12, 10, 0, 2 * MS);
	life(f->s, 13, 10, 0, 200 * MS);
	life(f->s, 14, 10, 0, 7200ULL * 1000 * MS); /* two hours: past the last bucket */
	text = render(f, false);
	ASSERT_CONTAINS(text, "\nproclife_zombie_seconds_bucket{le=\"0.001\"} 1\n", "<= 1 ms");
	ASSERT_CONTAINS(text, "\nproclife_zombie_seconds_bucket{le=\"0.005\"} 2\n", "<= 5 ms");
	ASSERT_CONTAINS(text, "\nproclife_zombie_seconds_bucket{le=\"0.1\"} 2\n", "<= 100 ms");
	ASSERT_CONTAINS(text, "\nproclife_zombie_seconds_bucket{le=\"0.5\"} 3\n", "<= 500 ms");
	ASSERT_CONTAINS(text, "\nproclife_zombie_seconds_bucket{le=\"3600\"} 3\n", "<= 1 h");
	ASSERT_CONTAINS(text, "\nproclife_zombie_seconds_bucket{le=\"+Inf\"} 4\n", "all");
	ASSERT_CONTAINS(text, "\nproclife_zombie_seconds_sum 7200.202500000\n", "the sum");
	free(text);
	fixture_free(f);
}

static void test_gauges_read_the_model_now(void **state)
{
	struct fixture *f = fixture_new();
	char *text;

	(void)state;
	sy_proc(f->s, 10, 0, 100, 0, 0);
	fork_in(f->s, 11, 10, "/system.slice/a.service");
	fork_in(f->s, 12, 10, "/system.slice/a.service");
	fork_in(f->s, 13, 10, "/system.slice/b.service");
	sy_fork(f->s, 14, 10);
	sy_exit(f->s, 11, 0);
	sy_zombie(f->s, 11, 0);
	sy_sleep(f->s, 3000 * MS);
	sy_exit(f->s, 12, 0);
	sy_zombie(f->s, 12, 0);
	sy_exit(f->s, 13, 0);
	sy_zombie(f->s, 13, 0);
	text = render(f, false);
	ASSERT_CONTAINS(text, "\nproclife_processes 2\n", "alive: 10 and 14");
	ASSERT_CONTAINS(text, "\nproclife_zombies 3\n", "zombies");
	ASSERT_CONTAINS(text, "\nproclife_oldest_zombie_seconds 3.0000", "the oldest zombie's age");
	ASSERT_CONTAINS(text,
			"\nproclife_zombies_by_cgroup{cgroup=\"/system.slice/a.service\"} 2\n"
			"proclife_zombies_by_cgroup{cgroup=\"/system.slice/b.service\"} 1\n"
			"proclife_zombies_by_cgroup{cgroup=\"other\"} 0\n",
			"zombies by cgroup, most first");
	free(text);
	fixture_free(f);
}

static void test_cgroup_series_stay_bounded(void **state)
{
	struct fixture *f = fixture_new();
	char cg[CGROUP_LABELS_TOP + 5][32], *text, *p;
	unsigned series = 0;

	(void)state;
	sy_proc(f->s, 1, 0, 1, 0, 0);
	sy_proc(f->s, 10, 1, 100, 0, 0);
	/* cgroup i has i + 1 zombies, and one orphan */
	for (unsigned i = 0; i < CGROUP_LABELS_TOP + 5; i++) {
		__u32 base = 100 + 100 * i;

		snprintf(cg[i], sizeof(cg[i]), "/cg%02u", i);
		for (unsigned k = 0; k <= i; k++) {
			fork_in(f->s, base + k, 10, cg[i]);
			sy_exit(f->s, base + k, 0);
			sy_zombie(f->s, base + k, 0);
		}
		fork_in(f->s, base + 50, base, cg[i]);
		sy_reparent(f->s, base + 50, 1, PL_ADOPT_INIT);
	}
	text = render(f, false);
	for (p = text; (p = strstr(p, "\nproclife_zombies_by_cgroup{")); p++)
		series++;
	ASSERT_EQ(series, CGROUP_LABELS_TOP + 1, "zombie series: the top ones and other");
	ASSERT_CONTAINS(text, "\nproclife_zombies_by_cgroup{cgroup=\"/cg14\"} 15\n", "the most");
	ASSERT_CONTAINS(text, "\nproclife_zombies_by_cgroup{cgroup=\"/cg05\"} 6\n", "tenth most");
	/* the five with fewest: 1 + 2 + 3 + 4 + 5 */
	ASSERT_CONTAINS(text, "\nproclife_zombies_by_cgroup{cgroup=\"other\"} 15\n", "the rest");
	series = 0;
	for (p = text; (p = strstr(p, "\nproclife_orphans_by_cgroup_total{")); p++)
		series++;
	ASSERT_EQ(series, CGROUP_LABELS_TOP + 1, "orphan series: the first ones and other");
	ASSERT_CONTAINS(text, "\nproclife_orphans_by_cgroup_total{cgroup=\"/cg00\"} 1\n",
			"the first cgroup with an orphan keeps its series");
	ASSERT_CONTAINS(text, "\nproclife_orphans_by_cgroup_total{cgroup=\"other\"} 5\n",
			"later ones add to other");
	free(text);
	fixture_free(f);
}

static void test_where_a_process_is_follows_its_life(void **state)
{
	struct cgroup_labels *l = cgroup_labels_new();
	struct pl_event e = { .kind = PL_EV_FORK, .pid = 7, .start = 70, .flags = PL_F_WHO,
			      .cgroup = "/a" };

	(void)state;
	cgroup_labels_event(l, &e);
	ASSERT_STR_EQ(cgroup_labels_of(l, 7, 70), "/a", "after its fork");
	ASSERT_STR_EQ(cgroup_labels_of(l, 7, 71), CGROUP_UNKNOWN, "another life of the pid");
	e = (struct pl_event){ .kind = PL_EV_EXEC, .pid = 7, .start = 70, .flags = PL_F_WHO,
			       .cgroup = "/b" };
	cgroup_labels_event(l, &e);
	ASSERT_STR_EQ(cgroup_labels_of(l, 7, 70), "/b", "moved, said at its exec");
	e = (struct pl_event){ .kind = PL_EV_REAP, .pid = 7, .start = 70 };
	cgroup_labels_event(l, &e);
	ASSERT_STR_EQ(cgroup_labels_of(l, 7, 70), CGROUP_UNKNOWN, "forgotten at its reap");
	cgroup_labels_free(l);
}

/* many pids in one table, half of them gone in an order of their own:
 * the rest are all still found (linear probing's deletion moves them) */
static void test_forgetting_keeps_the_others_found(void **state)
{
	struct cgroup_labels *l = cgroup_labels_new();
	enum { N = 20000 };
	char name[32];

	(void)state;
	for (__u32 pid = 1; pid <= N; pid++) {
		struct pl_event e = { .kind = PL_EV_FORK, .pid = pid * 7, .start = pid,
				      .flags = PL_F_WHO, .cgroup = name };

		snprintf(name, sizeof(name), "/cg%u", pid % 97);
		cgroup_labels_event(l, &e);
	}
	for (__u32 i = 0; i < N; i++) {
		__u32 pid = (i * 7919) % N + 1; /* every pid once, scattered */
		struct pl_event e = { .kind = PL_EV_FREE, .pid = pid * 7, .start = pid };

		if (pid % 2)
			cgroup_labels_event(l, &e);
	}
	for (__u32 pid = 1; pid <= N; pid++) {
		snprintf(name, sizeof(name), "/cg%u", pid % 97);
		ASSERT_STR_EQ(cgroup_labels_of(l, pid * 7, pid), pid % 2 ? CGROUP_UNKNOWN : name,
			      "where the process is");
	}
	cgroup_labels_free(l);
}

static void test_label_values_are_escaped(void **state)
{
	struct fixture *f = fixture_new();
	char *text;

	(void)state;
	sy_proc(f->s, 10, 0, 100, 0, 0);
	fork_in(f->s, 11, 10, "/odd\\\"name\nhere");
	sy_exit(f->s, 11, 0);
	sy_zombie(f->s, 11, 0);
	text = render(f, false);
	ASSERT_CONTAINS(text, "\nproclife_zombies_by_cgroup{cgroup=\"/odd\\\\\\\"name\\nhere\"} 1\n",
			"backslash, quote and newline escaped");
	free(text);
	fixture_free(f);
}

static void test_openmetrics_names_families_and_ends(void **state)
{
	struct fixture *f = fixture_new();
	char *text;
	size_t n;

	(void)state;
	sy_proc(f->s, 10, 0, 100, 0, 0);
	life(f->s, 11, 10, 0, MS);
	text = render(f, true);
	ASSERT_CONTAINS(text, "\n# TYPE proclife_forks counter\nproclife_forks_total 1\n",
			"a counter's family without _total, its sample with it");
	ASSERT_CONTAINS(text, "\nproclife_zombie_seconds_bucket{le=\"1.0\"} 1\n",
			"canonical float bounds");
	ASSERT_CONTAINS(text, "\n# TYPE proclife_build info\nproclife_build_info{", "info type");
	n = strlen(text);
	ASSERT_TRUE(n > 6 && !strcmp(text + n - 6, "# EOF\n"), "ends with # EOF");
	free(text);
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counters_count_what_the_records_say),
		cmocka_unit_test(test_zombie_histogram_buckets_are_cumulative),
		cmocka_unit_test(test_gauges_read_the_model_now),
		cmocka_unit_test(test_cgroup_series_stay_bounded),
		cmocka_unit_test(test_where_a_process_is_follows_its_life),
		cmocka_unit_test(test_forgetting_keeps_the_others_found),
		cmocka_unit_test(test_label_values_are_escaped),
		cmocka_unit_test(test_openmetrics_names_families_and_ends),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
