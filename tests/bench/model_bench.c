// SPDX-License-Identifier: BSD-2-Clause
/*
 * Measures, does not judge: model throughput (records fed from memory per
 * second) and bytes held per live process. Prints one line each; the
 * assertions only check that the stream was what it claims to be.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "../unit/check.h"
#include <stdlib.h>
#include <string.h>
#include <malloc.h>
#include <time.h>
#include "events.h"
#include "model/model.h"

#define PROCS 20000   /* short lives per round */
#define ROUNDS 50
#define PER_LIFE 6    /* fork, exec, exit, zombie, reap, free */
#define LIVE 100000   /* processes held alive for the memory figure */

static struct pl_event make(unsigned kind, __u64 ts, __u32 pid, __u64 start)
{
	struct pl_event e = { 0 };

	e.kind = kind;
	e.ts = ts;
	e.pid = e.tid = pid;
	e.start = start;
	memcpy(e.comm, "worker", 7);
	return e;
}

/* the parent 2 forks, the child execs, exits, is reaped by 2 and freed */
static struct pl_event *stream(size_t *n)
{
	struct pl_event *v = calloc((size_t)PROCS * PER_LIFE + 1, sizeof(*v)), *e = v;
	__u64 ts = 1000000;

	*e++ = make(PL_EV_PROC, ts, 2, 1);
	for (__u32 i = 0; i < PROCS; i++) {
		__u32 pid = 300 + i % 30000;
		__u64 start = ts += 1000;

		*e = make(PL_EV_FORK, ts, pid, start);
		e->ppid = 2;
		e->pstart = 1;
		e++;
		*e = make(PL_EV_EXEC, ts += 1000, pid, start);
		e->filename = "/usr/bin/true";
		e->ppid = 2;
		e->pstart = 1;
		e++;
		*e = make(PL_EV_EXIT, ts += 1000, pid, start);
		e->flags = PL_F_GROUP_DEAD;
		e->ppid = 2;
		e->pstart = 1;
		e++;
		*e = make(PL_EV_ZOMBIE, ts += 1000, pid, start);
		e->ppid = 2;
		e->pstart = 1;
		e++;
		*e = make(PL_EV_REAP, ts += 1000, pid, start);
		e->ppid = 2;
		e->pstart = 1;
		e->zombie_ns = 1000;
		e++;
		*e++ = make(PL_EV_FREE, ts += 1000, pid, start);
	}
	*n = (size_t)(e - v);
	return v;
}

static double seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void throughput(void **state)
{
	struct pl_model *m = pl_model_new(NULL);
	size_t n;
	struct pl_event *v = stream(&n);
	double t0, t;

	(void)state;
	t0 = seconds();
	for (int r = 0; r < ROUNDS; r++)
		for (size_t i = 0; i < n; i++)
			pl_model_feed(m, &v[i]);
	t = seconds() - t0;
	print_message("model throughput: %zu records in %.3f s: %.0f records/s "
		      "(%d short lives, %d records each)\n",
		      n * ROUNDS, t, (double)(n * ROUNDS) / t, PROCS * ROUNDS, PER_LIFE);
	ASSERT_EQ(pl_model_counts(m)->forks, (unsigned long long)PROCS * ROUNDS, "forks counted");
	ASSERT_EQ(pl_model_counts(m)->live, 1, "processes live at the end");
	free(v);
	pl_model_free(m);
}

static void bytes_per_live(void **state)
{
	struct pl_model *m = pl_model_new(NULL);
	struct pl_event e = make(PL_EV_PROC, 1, 2, 1);
	size_t before, heap_before;

	(void)state;
	pl_model_feed(m, &e);
	before = pl_model_bytes(m);
	heap_before = mallinfo2().uordblks;
	for (__u32 i = 0; i < LIVE; i++) {
		e = make(PL_EV_FORK, 2000 + i, 1000 + i, 2000 + i);
		e.ppid = 2;
		e.pstart = 1;
		pl_model_feed(m, &e);
		e.kind = PL_EV_EXEC;
		e.filename = "/usr/bin/sleep";
		pl_model_feed(m, &e);
	}
	print_message("model memory: %zu bytes per live process by the model's count, %zu by "
		      "malloc's (%d live, exec'd; struct pl_proc is %zu bytes)\n",
		      (pl_model_bytes(m) - before) / LIVE,
		      (mallinfo2().uordblks - heap_before) / LIVE, LIVE, sizeof(struct pl_proc));
	ASSERT_EQ(pl_model_counts(m)->live, LIVE + 1, "processes live");
	pl_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(throughput),
		cmocka_unit_test(bytes_per_live),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
