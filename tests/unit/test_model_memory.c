// SPDX-License-Identifier: BSD-2-Clause
/*
 * Memory follows what is alive: a million short-lived processes, with and
 * without lost records, leave the table as small as it started, plus the
 * history of ended processes, which never holds more than its limit.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "check.h"
#include "synth.h"

#define INIT 1
#define P 100
#define FIRST_PID 300
#define LAST_PID 32767
#define STORM 1000000

static __u32 pid_of(unsigned i)
{
	return FIRST_PID + i % (LAST_PID - FIRST_PID + 1);
}

/* an ended process kept for the tree: its record, no file name */
static size_t dead_node_bytes(void)
{
	return (sizeof(struct pl_proc) + 8 + 15) & ~(size_t)15;
}

static void storm_clean_with(unsigned history)
{
	struct synth *s = sy_world_hist(history);
	const struct pl_counts *c = pl_model_counts(s->m);
	size_t base = pl_model_bytes(s->m), peak = 0, bound;

	bound = base + history * dead_node_bytes();
	for (unsigned i = 0; i < STORM; i++) {
		__u32 kid = pid_of(i);

		sy_fork(s, kid, P);
		sy_exec(s, kid, "/usr/bin/true", 0);
		if (pl_model_bytes(s->m) > peak)
			peak = pl_model_bytes(s->m);
		sy_die(s, kid, W_EXIT(i & 0xff), 20000);
	}
	print_message("clean storm, history %u: %zu bytes at rest, %zu at peak, %zu after %u "
		      "processes\n", history, base, peak, pl_model_bytes(s->m), STORM);
	ASSERT_EQ(c->forks, STORM, "forks counted");
	ASSERT_EQ(c->reaps[PL_RK_WAIT], STORM, "wait reaps counted");
	ASSERT_EQ(c->released, STORM, "processes released");
	ASSERT_EQ(c->live, 2, "processes live at the end");
	ASSERT_EQ(c->history_dropped, STORM - history, "released processes dropped from the history");
	ASSERT_EQ(sy_nended(s), history, "ended processes kept");
	/* live + history: the ended ones kept cost their record, no more */
	ASSERT_EQ(pl_model_bytes(s->m), bound, "the model's bytes at the end");
	ASSERT_GT(peak, base, "peak bytes over the start");
	ASSERT_LT(peak - bound, 1024, "peak bytes over the end's"); /* one live process and its file name */
	ASSERT_EQ(s->nrel, STORM, "processes reported on release"); /* every one was reported on release */
	sy_free(s);
}

static void storm_clean(void **state)
{
	(void)state;
	storm_clean_with(0);
}

static void storm_clean_history(void **state)
{
	(void)state;
	storm_clean_with(PL_HISTORY_DEFAULT);
}

/* some records of each kind go missing; nothing piles up for long */
static void storm_lossy(void **state)
{
	struct synth *s = sy_world_hist(PL_HISTORY_DEFAULT);
	const struct pl_counts *c = pl_model_counts(s->m);
	size_t peak = 0;

	(void)state;
	for (unsigned i = 0; i < STORM; i++) {
		__u32 kid = pid_of(i);

		sy_fork(s, kid, P);
		if (i % 101)
			sy_exit(s, kid, 0);
		if (i % 103)
			sy_zombie(s, kid, 0);
		if (i % 89)
			sy_reap(s, kid, P, 0, 0);
		if (i % 97)
			sy_free_task(s, kid, 0);
		if (c->live > peak)
			peak = c->live;
	}
	print_message("lossy storm: %zu entries at peak, %llu at the end\n", peak, c->live);
	/* a reaped life whose free was lost waits for its pid to come back */
	ASSERT_LT(peak, (LAST_PID - FIRST_PID) / 97 + 100, "peak bytes");
	ASSERT_LT(c->live, (LAST_PID - FIRST_PID) / 97 + 100, "processes live at the end");
	ASSERT_GT(c->reaps[PL_RK_INFERRED], 0, "inferred reaps counted");
	ASSERT_EQ(c->forks, STORM, "forks counted");
	ASSERT_EQ(sy_nended(s), PL_HISTORY_DEFAULT, "ended processes kept");
	ASSERT_EQ(c->history_dropped + PL_HISTORY_DEFAULT, c->released, "history dropped and kept");
	sy_free(s);
}

/* double forks: the grandchildren outlive their parents, then die too;
 * the dead middles kept in the history do not keep anything alive */
static void storm_orphans(void **state)
{
	struct synth *s = sy_world_hist(PL_HISTORY_DEFAULT);
	const struct pl_counts *c = pl_model_counts(s->m);

	(void)state;
	for (unsigned i = 0; i < STORM / 2; i += 2) {
		__u32 mid = pid_of(i), kid = pid_of(i + 1);

		sy_fork(s, mid, P);
		sy_fork(s, kid, mid);
		sy_die(s, mid, 0, 1000);
		sy_reparent(s, kid, INIT, PL_ADOPT_INIT);
		sy_exit(s, kid, 0);
		sy_zombie(s, kid, 0);
		sy_free_task(s, kid, 0); /* init reaps unseen */
	}
	ASSERT_EQ(c->double_forks, STORM / 4, "double forks counted");
	ASSERT_EQ(c->live, 2, "processes live at the end");
	/* the orphans are notable, kept as many again as the middles */
	ASSERT_EQ(sy_nended(s), 2 * PL_HISTORY_DEFAULT, "ended processes kept");
	ASSERT_EQ(c->uncertain[PL_U_REAP_INFERRED], STORM / 4, "inferred reaps counted as uncertain");
	sy_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(storm_clean),
		cmocka_unit_test(storm_clean_history),
		cmocka_unit_test(storm_lossy),
		cmocka_unit_test(storm_orphans),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
