/*
 * The tree and the summary show what the model holds, and only the
 * followed subtree when asked.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "synth.h"
#include "output/summary.h"
#include "output/tree.h"

#define INIT 1
#define OTHER 60
#define SR 100

static char *out;
static size_t outlen;

static FILE *sink(void)
{
	free(out);
	out = NULL;
	return open_memstream(&out, &outlen);
}

/* init; an unrelated process; a followed subreaper whose child leaves a
 * grandchild, a zombie, and a threaded worker behind */
static struct synth *scene(void)
{
	struct synth *s = sy_new(100);

	sy_proc(s, INIT, 0, 1 * MS, 0, 0);
	sy_proc(s, OTHER, INIT, 2 * MS, 0, 0);
	sy_proc(s, SR, INIT, 3 * MS, PL_F_SUBREAPER, 0);
	pl_model_follow(s->m, SR);
	sy_fork(s, 200, SR);
	sy_fork(s, 300, 200);
	sy_die(s, 200, 0, 1000);
	sy_reparent(s, 300, SR, PL_ADOPT_SUBREAPER);
	sy_fork(s, 201, SR);
	sy_exit(s, 201, W_EXIT(7));
	sy_zombie(s, 201, W_EXIT(7));
	sy_fork(s, 202, SR);
	sy_thread(s, 202, 203);
	sy_fork(s, 204, SR);
	sy_die(s, 204, W_SIG(9), 250 * MS);
	sy_sleep(s, 400 * MS);
	pl_model_tick(s->m, s->now);
	return s;
}

static void tree_marks(void **state)
{
	struct synth *s = scene();
	FILE *f = sink();

	(void)state;
	tree_print(f, s->m, 0, false);
	fclose(f);
	assert_non_null(strstr(out, "1 p1 running\n"));
	assert_non_null(strstr(out, "`-100 p100 running [subreaper]\n"));
	assert_non_null(strstr(out, "  |-300 p300 running [orphan of 200, adopted by subreaper] [double fork]\n"));
	assert_non_null(strstr(out, "  |-201 p201 zombie ZOMBIE 650.007 ms, parent 100 (exit 7)\n"));
	assert_non_null(strstr(out, "  `-202 p202 running {2 threads}\n"));
	assert_non_null(strstr(out, "|-60 p60 running\n"));
	assert_null(strstr(out, "p204")); /* reaped and freed: gone */
	assert_null(strstr(out, "\033[")); /* no colour asked */
	sy_free(s);
}

static void tree_colour(void **state)
{
	struct synth *s = scene();
	FILE *f = sink();

	(void)state;
	tree_print(f, s->m, 0, true);
	fclose(f);
	assert_non_null(strstr(out, "\033[1;31m201 p201 zombie"));
	sy_free(s);
}

static void tree_followed_only(void **state)
{
	struct synth *s = scene();
	FILE *f = sink();

	(void)state;
	tree_print(f, s->m, SR, false);
	fclose(f);
	assert_true(strncmp(out, "100 p100 running [subreaper]\n", 29) == 0);
	assert_null(strstr(out, "p60"));
	assert_null(strstr(out, "p1 "));
	assert_non_null(strstr(out, "300 p300"));
	sy_free(s);
}

/* an orphan of the subtree adopted by init still shows, as its own tree */
static void tree_orphan_outside(void **state)
{
	struct synth *s = sy_new(100);
	FILE *f = sink();

	(void)state;
	sy_proc(s, INIT, 0, 1 * MS, 0, 0);
	sy_proc(s, SR, INIT, 3 * MS, 0, 0);
	pl_model_follow(s->m, SR);
	sy_fork(s, 200, SR);
	sy_fork(s, 300, 200);
	sy_die(s, 200, 0, 1000);
	sy_reparent(s, 300, INIT, PL_ADOPT_INIT);
	tree_print(f, s->m, SR, false);
	fclose(f);
	assert_non_null(strstr(out, "100 p100 running\n"));
	assert_non_null(strstr(out, "\n300 p300 running [orphan of 200, adopted by init]"));
	sy_free(s);
}

static void summary_tables(void **state)
{
	struct synth *s = scene();
	FILE *f = sink();

	(void)state;
	summary_print(f, s->m, 0);
	fclose(f);
	assert_non_null(strstr(out, "processes: 5 forks, 1 threads, 0 execs, 3 already running"));
	assert_non_null(strstr(out, "exits: 2 with a code, 1 killed by a signal, 0 dumped core"));
	assert_non_null(strstr(out, "reaps: 2 by wait"));
	assert_non_null(strstr(out, "zombies: 3, 2 over 100 ms"));
	assert_non_null(strstr(out, "    204  p204                 100     100     250.001 ms! wait"));
	assert_non_null(strstr(out, "zombies not reaped yet:"));
	assert_non_null(strstr(out, "    201  p201                 100"));
	assert_non_null(strstr(out, "    100  p100                    2"));
	assert_non_null(strstr(out, "    300  p300                    200        100  subreaper"));
	assert_non_null(strstr(out, "still alive:"));
	assert_non_null(strstr(out, "    202  p202                 100\n"));
	assert_non_null(strstr(out, "lost records: 0\n"));
	assert_non_null(strstr(out, "uncertain facts: 0\n"));
	sy_free(s);
}

static void summary_lost_and_uncertain(void **state)
{
	struct synth *s = scene();
	unsigned long long lost[PL_EV_KINDS] = { [PL_EV_FORK] = 3, [PL_EV_REAP] = 1 };
	unsigned long long stats[PL_STATS] = { [PL_STAT_REPARENT_UNCHECKED] = 2 };
	FILE *f = sink();

	(void)state;
	pl_model_set_counters(s->m, lost, stats);
	sy_free_task(s, 201, W_EXIT(7)); /* reaped unseen */
	summary_print(f, s->m, 0);
	fclose(f);
	assert_non_null(strstr(out, "lost records: 4 (fork 3, reap 1)\n"));
	assert_non_null(strstr(out, "  2 children gone before their new parent could be read\n"));
	assert_non_null(strstr(out, "uncertain facts: 1\n"));
	assert_non_null(strstr(out, "  1 reaps concluded from the task's free"));
	sy_free(s);
}

static void summary_followed_only(void **state)
{
	struct synth *s = scene();
	FILE *f = sink();

	(void)state;
	sy_fork(s, 500, OTHER); /* outside the subtree */
	sy_exit(s, 500, 0);
	sy_zombie(s, 500, 0);
	summary_print(f, s->m, SR);
	fclose(f);
	assert_non_null(strstr(out, "== summary of 100 and its descendants =="));
	assert_null(strstr(out, "p500"));
	assert_non_null(strstr(out, "p201"));
	sy_free(s);
}

static void alive_list(void **state)
{
	struct synth *s = scene();
	struct pl_alive *a;
	size_t n;
	bool seen_sr = false, seen_other = false;

	(void)state;
	a = summary_alive(s->m, SR, &n);
	assert_int_equal(n, 3); /* 100, 300, 202; not the zombie 201 */
	for (size_t i = 0; i < n; i++) {
		seen_sr |= a[i].pid == SR && a[i].start == 3 * MS;
		seen_other |= a[i].pid == OTHER;
	}
	assert_true(seen_sr);
	assert_false(seen_other);
	free(a);
	a = summary_alive(s->m, 0, &n);
	assert_int_equal(n, 5);
	free(a);
	sy_free(s);
}

static int teardown(void **state)
{
	(void)state;
	free(out);
	out = NULL;
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(tree_marks, teardown),
		cmocka_unit_test_teardown(tree_colour, teardown),
		cmocka_unit_test_teardown(tree_followed_only, teardown),
		cmocka_unit_test_teardown(tree_orphan_outside, teardown),
		cmocka_unit_test_teardown(summary_tables, teardown),
		cmocka_unit_test_teardown(summary_lost_and_uncertain, teardown),
		cmocka_unit_test_teardown(summary_followed_only, teardown),
		cmocka_unit_test_teardown(alive_list, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
