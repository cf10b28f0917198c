// SPDX-License-Identifier: BSD-2-Clause
/*
 * The tree and the summary show what the model holds, and only the
 * followed subtree when asked.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include "check.h"
#include "memout.h"
#include "synth.h"
#include "output/summary.h"
#include "output/tree.h"
#include "util/printable.h"

#define INIT 1
#define OTHER 60
#define SR 100

/* init; an unrelated process; a followed subreaper whose child leaves a
 * grandchild, a zombie, and a threaded worker behind; history: how many
 * ended processes the model keeps */
static struct synth *scene_hist(unsigned history)
{
	struct synth *s = sy_new_hist(100, history);

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

static struct synth *scene(void)
{
	return scene_hist(0);
}

static void tree_marks(void **state)
{
	struct synth *s = scene();
	FILE *f = sink();

	(void)state;
	tree_print(f, s->m, 0, false);
	fclose(f);
	ASSERT_CONTAINS(out, "1 p1 running\n", "the tree");
	ASSERT_CONTAINS(out, "`-100 p100 running [subreaper]\n", "the tree");
	ASSERT_CONTAINS(out, "  |-300 p300 running [orphan of 200, adopted by subreaper] [double fork]\n", "the tree");
	ASSERT_CONTAINS(out, "  |-201 p201 zombie for 650.007 ms, parent 100 (exit 7) [long zombie]\n", "the tree");
	ASSERT_CONTAINS(out, "  `-202 p202 running {2 threads}\n", "the tree");
	ASSERT_CONTAINS(out, "|-60 p60 running\n", "the tree");
	ASSERT_LACKS(out, "p204", "the tree"); /* reaped and freed, and no history kept */
	ASSERT_LACKS(out, "\033[", "the tree"); /* no colour asked */
	ASSERT_CONTAINS(out, "\n(2 older ended processes not shown)\n", "the tree");
	sy_free(s);
}

/* ended processes kept in the history show how they ended */
static void tree_ended(void **state)
{
	struct synth *s = scene_hist(PL_HISTORY_DEFAULT);
	FILE *f = sink();

	(void)state;
	tree_print(f, s->m, SR, false);
	fclose(f);
	ASSERT_CONTAINS(out, "\n|-200 p200 freed (exit 0), zombie 2 us, reaped by 100\n", "the tree with its ended processes");
	ASSERT_CONTAINS(out, "\n`-204 p204 freed (killed by SIGKILL), zombie 250.001 ms, "
				    "reaped by 100 [long zombie]\n", "the tree with its ended processes");
	/* birth order: the ended middle process before its adopted child */
	ASSERT_TRUE(strstr(out, "p200") < strstr(out, "p300"), "p200 before p300 in the tree");
	ASSERT_LACKS(out, "not shown", "the tree with its ended processes");
	sy_free(s);
}

/* proclife trace --tree -- CMD: by the end the command and all it forked
 * have been released; the tree still shows them, rooted at the command */
static void tree_root_released(void **state)
{
	struct synth *s = sy_new_hist(100, PL_HISTORY_DEFAULT);
	FILE *f = sink();

	(void)state;
	sy_proc(s, INIT, 0, 1 * MS, 0, 0);
	sy_proc(s, SR, INIT, 3 * MS, 0, 0);
	pl_model_follow(s->m, 500);
	sy_fork(s, 500, SR);
	sy_fork(s, 501, 500);
	sy_fork(s, 502, 501);
	sy_die(s, 501, W_EXIT(3), 1000);
	sy_reparent(s, 502, INIT, PL_ADOPT_INIT);
	sy_exit(s, 502, 0);
	sy_zombie(s, 502, 0);
	sy_sleep(s, 20 * MS);
	sy_free_task(s, 502, 0); /* init reaps unseen */
	sy_fork(s, 503, 500);
	sy_exit(s, 503, 0);
	sy_reap(s, 503, 500, PL_F_AUTO, 0);
	sy_free_task(s, 503, 0);
	sy_die(s, 500, W_SIG(15), 1000);
	ASSERT_NULL(sy_find(s, 500), "process 500 in the table");
	tree_print(f, s->m, 500, false);
	fclose(f);
	ASSERT_STARTS_WITH(out, "500 p500 freed (killed by SIGTERM), zombie 2 us, reaped by 100",
			   "the tree of a released root");
	ASSERT_CONTAINS(out, "\n|-501 p501 freed (exit 3), zombie 2 us, reaped by 500\n", "the tree of a released root");
	ASSERT_CONTAINS(out, "\n`-503 p503 freed (exit 0), auto-reaped\n", "the tree of a released root");
	ASSERT_CONTAINS(out, "\n502 p502 freed (exit 0), zombie 20.001 ms at most, "
				    "reaped by 1 (inferred) [orphan of 501, adopted by init] "
				    "[double fork]\n", "the tree of a released root");
	ASSERT_LACKS(out, "p100", "the tree of a released root");
	sy_free(s);
}

/* past the history's limit the oldest go, and the tree says how many */
static void tree_history_dropped(void **state)
{
	struct synth *s = sy_new_hist(100, 2);
	FILE *f = sink();

	(void)state;
	sy_proc(s, INIT, 0, 1 * MS, 0, 0);
	sy_proc(s, SR, INIT, 3 * MS, 0, 0);
	pl_model_follow(s->m, SR);
	for (__u32 pid = 200; pid < 205; pid++) {
		sy_fork(s, pid, SR);
		sy_die(s, pid, 0, 1000);
	}
	tree_print(f, s->m, SR, false);
	fclose(f);
	ASSERT_LACKS(out, "p202", "the tree past its history");
	ASSERT_CONTAINS(out, "|-203 p203 freed", "the tree past its history");
	ASSERT_CONTAINS(out, "`-204 p204 freed", "the tree past its history");
	ASSERT_CONTAINS(out, "\n(3 older ended processes not shown)\n", "the tree past its history");
	sy_free(s);
}

/* pid 0 is the idle task: no "?" node for it, no "parent 0" */
static void tree_no_parent(void **state)
{
	struct synth *s = sy_new(100);
	FILE *f = sink();

	(void)state;
	sy_proc(s, INIT, 0, 1 * MS, 0, 0);
	sy_proc(s, 2, 0, 1 * MS, 0, 0);
	sy_proc(s, 3, 2, 2 * MS, 0, 0);
	sy_proc(s, 9, 0, 3 * MS, PL_F_ZOMBIE, 0);
	tree_print(f, s->m, 0, VIEW_KERNEL_THREADS);
	fclose(f);
	ASSERT_STR_EQ(out, "1 p1 running\n"
				 "2 p2 running\n"
				 "`-3 p3 running\n"
				 "9 p9 zombie for 0 us at least (exit 0)\n", "the tree of roots with no parent");
	sy_free(s);
}

static void tree_colour(void **state)
{
	struct synth *s = scene();
	FILE *f = sink();

	(void)state;
	tree_print(f, s->m, 0, VIEW_COLOR);
	fclose(f);
	/* a zombie past the threshold stands out; a zombie reaped at once and
	 * a running process do not */
	ASSERT_CONTAINS(out, "\033[1;31m201 p201 zombie", "the coloured tree");
	ASSERT_CONTAINS(out, "\033[1;33m300 p300 running [orphan", "the coloured tree");
	ASSERT_CONTAINS(out, "\n  `-202 p202 running {2 threads}\n", "the coloured tree");
	sy_free(s);
}

static void tree_followed_only(void **state)
{
	struct synth *s = scene();
	FILE *f = sink();

	(void)state;
	tree_print(f, s->m, SR, false);
	fclose(f);
	ASSERT_STARTS_WITH(out, "100 p100 running [subreaper]\n", "the followed subtree's tree");
	ASSERT_LACKS(out, "p60", "the followed subtree's tree");
	ASSERT_LACKS(out, "p1 ", "the followed subtree's tree");
	ASSERT_CONTAINS(out, "300 p300", "the followed subtree's tree");
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
	ASSERT_CONTAINS(out, "100 p100 running\n", "the tree with an orphan outside");
	ASSERT_CONTAINS(out, "\n300 p300 running [orphan of 200, adopted by init]", "the tree with an orphan outside");
	sy_free(s);
}

static void summary_tables(void **state)
{
	struct synth *s = scene();
	FILE *f = sink();

	(void)state;
	summary_print(f, s->m, 0, 0);
	fclose(f);
	ASSERT_CONTAINS(out, "processes: 5 forks, 1 thread, 0 execs, 3 already running", "the summary");
	ASSERT_CONTAINS(out, "exits: 2 with a code, 1 killed by a signal (0 of them dumping core)", "the summary");
	ASSERT_CONTAINS(out, "reaps: 2 by wait", "the summary");
	ASSERT_CONTAINS(out, "zombies: 2 past 100 ms, 1 still unreaped at the end (3 in all: every "
			     "child is one from its exit until it is reaped)\n", "the summary");
	ASSERT_CONTAINS(out, "zombies, longest first (! past 100 ms):\n"
			     "    PID  COMMAND           PARENT  REAPER    ZOMBIE TIME  HOW REAPED\n",
			"the summary");
	ASSERT_CONTAINS(out, "    204  p204                 100     100     250.001 ms! wait", "the summary");
	ASSERT_LACKS(out, "more, none longer", "the summary"); /* every reaped zombie is listed */
	ASSERT_CONTAINS(out, "parents that left children zombies past 100 ms, most first:\n"
			     "    PID  COMMAND           LONG ZOMBIES     THEIR TIME\n", "the summary");
	ASSERT_CONTAINS(out, "zombies not reaped yet:", "the summary");
	ASSERT_CONTAINS(out, "    201  p201                 100", "the summary");
	ASSERT_CONTAINS(out, "    100  p100                         2", "the summary");
	ASSERT_CONTAINS(out, "    300  p300                    200        100  subreaper", "the summary");
	ASSERT_CONTAINS(out, "still alive:", "the summary");
	ASSERT_CONTAINS(out, "    202  p202                 100\n", "the summary");
	ASSERT_CONTAINS(out, "      1  p1                     -\n", "the summary"); /* pid 0: none */
	ASSERT_CONTAINS(out, "lost records: 0\n", "the summary");
	ASSERT_CONTAINS(out, "uncertain facts: 0\n", "the summary");
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
	summary_print(f, s->m, 0, 0);
	fclose(f);
	ASSERT_CONTAINS(out, "lost records: 4 (fork 3, reap 1)\n", "the summary");
	ASSERT_CONTAINS(out, "  children gone before their new parent could be read: 2\n", "the summary");
	ASSERT_CONTAINS(out, "uncertain facts: 1\n", "the summary");
	ASSERT_CONTAINS(out, "  reaps concluded from the task's free (no wait record matched): zombie "
			     "time is an upper bound, unknown for a zombie from before the trace: 1\n",
			"the summary");
	/* every counter of the kernel side has words of its own */
	for (unsigned i = 0; i < PL_STATS; i++)
		stats[i] = 1;
	pl_model_set_counters(s->m, lost, stats);
	f = sink();
	summary_print(f, s->m, 0, 0);
	fclose(f);
	ASSERT_LACKS(out, "(null)", "a counter with no words");
	sy_free(s);
}

/* SR, followed, whose children pids first.. each run /bin/w and end with
 * what status(pid) says */
static struct synth *storm(__u32 first, __u32 n, int (*status)(__u32 pid))
{
	struct synth *s = sy_new_hist(100, 4096);

	sy_proc(s, INIT, 0, 1 * MS, 0, 0);
	sy_proc(s, SR, INIT, 3 * MS, 0, 0);
	pl_model_follow(s->m, SR);
	for (__u32 pid = first; pid < first + n; pid++) {
		sy_fork(s, pid, SR);
		sy_exec(s, pid, "/bin/w", pid);
		sy_die(s, pid, status(pid), 1000);
	}
	return s;
}

static int all_exit_0(__u32 pid)
{
	(void)pid;
	return W_EXIT(0);
}

/* 1000-1009 exit 0, 1010-1019 exit 1 to 10, 1020-1029 killed */
static int codes_then_kills(__u32 pid)
{
	return pid < 1010 ? W_EXIT(0) : pid < 1020 ? W_EXIT((int)pid - 1009) : W_SIG(15);
}

/* a storm's children fold into a line; a remarkable one among them does not */
static void tree_folds_alike_leaves(void **state)
{
	struct synth *s = storm(1000, 20, all_exit_0);
	FILE *f = sink();

	(void)state;
	sy_fork(s, 1020, SR);
	sy_exec(s, 1020, "/bin/w", 1020);
	sy_exit(s, 1020, 0);
	sy_zombie(s, 1020, 0);
	sy_sleep(s, 300 * MS);
	pl_model_tick(s->m, s->now);
	tree_print(f, s->m, SR, false);
	fclose(f);
	ASSERT_CONTAINS(out, "|-1000 w ", "the folded tree");
	ASSERT_CONTAINS(out, "|-1001 w ", "the folded tree");
	ASSERT_CONTAINS(out, "|-... 17 more like these (w, ", "the folded tree");
	ASSERT_CONTAINS(out, "|-1019 w ", "the folded tree");
	ASSERT_LACKS(out, "1010 w", "the folded tree");
	ASSERT_CONTAINS(out, "`-1020 w zombie", "the folded tree"); /* a long zombie is never folded */
	sy_free(s);
}

/* a storm's children that ended with an exit code fold, the line saying
 * which codes; none killed by a signal, which have lines of their own */
static void tree_folds_by_end(void **state)
{
	struct synth *s = storm(1000, 30, codes_then_kills);
	FILE *f = sink();

	(void)state;
	tree_print(f, s->m, SR, false);
	fclose(f);
	ASSERT_CONTAINS(out, "|-... 17 more like these (w, freed, exit 0 to 9)\n", "the codes folded");
	ASSERT_CONTAINS(out, "|-1019 w freed (exit 10)", "the last one that exited");
	for (__u32 pid = 1020; pid < 1030; pid++) {
		char line[64];

		snprintf(line, sizeof(line), "-%u w freed (killed by SIGTERM", pid);
		ASSERT_CONTAINS(out, line, "each one killed");
	}
	sy_free(s);
}

/* with reap records lost, a zombie not seen to end is not stated to be
 * one still: its reaper is unknown */
static void zombie_end_lost(void **state)
{
	struct synth *s = scene();
	unsigned long long lost[PL_EV_KINDS] = { [PL_EV_REAP] = 1 };
	unsigned long long none[PL_STATS] = { 0 };
	FILE *f = sink();

	(void)state;
	tree_print(f, s->m, SR, false);
	fclose(f);
	ASSERT_CONTAINS(out, "201 p201 zombie for ", "the tree");
	f = sink();
	pl_model_set_counters(s->m, lost, none);
	tree_print(f, s->m, SR, false);
	summary_print(f, s->m, SR, 0);
	fclose(f);
	ASSERT_LACKS(out, "201 p201 zombie", "the tree and summary");
	ASSERT_CONTAINS(out, "201 p201 reaper-unknown (a zombie when last seen", "the tree and summary");
	ASSERT_CONTAINS(out, "zombies not seen reaped (records of reaps were lost", "the tree and summary");
	ASSERT_LACKS(out, "zombies not reaped yet", "the tree and summary");
	ASSERT_CONTAINS(out, " 1 not seen reaped (records were lost: their reaper is unknown)",
			"the summary's count");
	ASSERT_LACKS(out, "still unreaped at the end", "the summary's count");
	/* the threaded worker still runs: with ends lost, that is only "no end seen" */
	ASSERT_CONTAINS(out, "not seen to end (1 record of exits, zombies or reaps was lost", "the tree and summary");
	ASSERT_LACKS(out, "still alive:", "the tree and summary");
	sy_free(s);
}

/* the subtree's counts, not the machine's; the machine's stay for 0, and
 * lost records and doubts say whose they are */
static void summary_subtree_counts(void **state)
{
	struct synth *s = scene();
	unsigned long long lost[PL_EV_KINDS] = { [PL_EV_EXIT] = 2 };
	FILE *f = sink();

	(void)state;
	pl_model_set_counters(s->m, lost, NULL);
	for (__u32 pid = 500; pid < 504; pid++) {
		sy_fork(s, pid, OTHER);
		sy_exec(s, pid, "/bin/true", 0);
		sy_die(s, pid, W_CORE(11), 300 * MS);
	}
	sy_wait(s, OTHER, true);
	sy_waits_at_end(s);
	summary_print(f, s->m, SR, 0);
	fclose(f);
	ASSERT_CONTAINS(out, "processes: 5 forks, 1 thread, 0 execs, 1 already running\n", "the subtree's summary");
	ASSERT_CONTAINS(out, "exits: 2 with a code, 1 killed by a signal (0 of them dumping core)\n", "the subtree's summary");
	ASSERT_CONTAINS(out, "reaps: 2 by wait,", "the subtree's summary");
	ASSERT_CONTAINS(out, "waits: 0 (0 WNOHANG polls", "the subtree's summary");
	ASSERT_CONTAINS(out, "zombies: 2 past 100 ms, 1 still unreaped at the end (3 in all", "the subtree's summary");
	ASSERT_CONTAINS(out, "orphans: 0 adopted by init, 1 by a subreaper, 0 by others "
				    "(1 double fork)\n", "the subtree's summary");
	ASSERT_CONTAINS(out, "lost records (whole machine): 2 (exit 2)\n", "the subtree's summary");
	ASSERT_CONTAINS(out, "uncertain facts (whole machine): 0\n", "the subtree's summary");
	ASSERT_LACKS(out, "counts of the whole machine", "the subtree's summary");

	f = sink();
	summary_print(f, s->m, 0, 0);
	fclose(f);
	ASSERT_CONTAINS(out, "processes: 9 forks, 1 thread, 4 execs, 3 already running\n", "the whole machine's summary");
	ASSERT_CONTAINS(out, "exits: 2 with a code, 5 killed by a signal (4 of them dumping core)\n", "the whole machine's summary");
	ASSERT_CONTAINS(out, "waits: 1 (1 WNOHANG poll); reaps by a WNOHANG wait, whoever waited: 0\n", "the whole machine's summary");
	ASSERT_CONTAINS(out, "lost records: 2 (exit 2)\n", "the whole machine's summary");

	/* a root the model does not follow: the machine's counts, said so */
	f = sink();
	summary_print(f, s->m, OTHER, 0);
	fclose(f);
	ASSERT_CONTAINS(out, "counts of the whole machine:\nprocesses: 9 forks", "the summary of a pid not followed");
	sy_free(s);
}

/* a zombie from before tracing began: its time in the table is a bound */
static void summary_bootstrap_zombie(void **state)
{
	struct synth *s = sy_world();
	FILE *f = sink();

	(void)state;
	sy_proc(s, 200, 100, 3 * MS, PL_F_ZOMBIE, W_EXIT(1));
	sy_proc(s, 201, 0, 3 * MS, PL_F_ZOMBIE, W_EXIT(2));
	sy_sleep(s, 300 * MS);
	sy_reap(s, 200, 100, PL_F_UNMATCHED, W_EXIT(1));
	summary_print(f, s->m, 0, 0);
	fclose(f);
	ASSERT_CONTAINS(out, "    200  p200                 100     100     300.002 ms! "
				    "wait (at least)\n", "the summary");
	ASSERT_CONTAINS(out, "    201  p201                   -     300.001 ms (at least)\n", "the summary");
	sy_free(s);
}

/* a zombie from before tracing began that was reaped unseen has no time:
 * the table's bound on those it leaves out is not said of it */
static void summary_zombie_of_unknown_time(void **state)
{
	struct synth *s = sy_world();
	FILE *f = sink();

	(void)state;
	sy_proc(s, 200, 100, 3 * MS, PL_F_ZOMBIE, W_EXIT(1));
	sy_proc(s, 202, 100, 3 * MS, PL_F_ZOMBIE, W_EXIT(3));
	sy_sleep(s, 300 * MS);
	sy_reap(s, 200, 100, PL_F_UNMATCHED, W_EXIT(1));
	sy_free_task(s, 202, W_EXIT(3)); /* its reap inferred from its free */
	summary_print(f, s->m, 0, 0);
	fclose(f);
	ASSERT_CONTAINS(out, "  ... and 1 from before the trace whose time is not known (reaped "
			     "unseen)\n", "the zombie of unknown time");
	ASSERT_LACKS(out, "none longer than", "a bound that would hold it too");
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
	summary_print(f, s->m, SR, 0);
	fclose(f);
	ASSERT_CONTAINS(out, "== summary of 100 and its descendants ==", "the subtree's summary");
	ASSERT_LACKS(out, "p500", "the subtree's summary");
	ASSERT_CONTAINS(out, "p201", "the subtree's summary");
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
	ASSERT_EQ(n, 3, "processes of the subtree alive"); /* 100, 300, 202; not the zombie 201 */
	for (size_t i = 0; i < n; i++) {
		seen_sr |= a[i].pid == SR && a[i].start == 3 * MS;
		seen_other |= a[i].pid == OTHER;
	}
	ASSERT_TRUE(seen_sr, "the subtree's root among the alive");
	ASSERT_FALSE(seen_other, "a process outside the subtree among the alive");
	free(a);
	a = summary_alive(s->m, 0, &n);
	ASSERT_EQ(n, 5, "processes of the machine alive");
	free(a);
	sy_free(s);
}

/* a whole machine: kthreadd's kernel threads are counted on its line and
 * left out of "still alive", unless asked for; a user-mode helper it
 * started (it exec'd) is a process like any other */
static void kernel_threads_hidden(void **state)
{
	struct synth *s = sy_new(100);
	FILE *f = sink();

	(void)state;
	sy_proc(s, INIT, 0, 1 * MS, 0, 0);
	sy_proc(s, 2, 0, 1 * MS, 0, 0);
	sy_proc(s, 3, 2, 2 * MS, 0, 0);
	sy_proc(s, 4, 2, 2 * MS, 0, 0);
	sy_proc(s, 50, INIT, 3 * MS, 0, 0);
	sy_fork(s, 60, 2);
	sy_exec(s, 60, "/sbin/modprobe", 60);
	tree_print(f, s->m, 0, 0);
	summary_print(f, s->m, 0, 0);
	fclose(f);
	ASSERT_CONTAINS(out, "2 p2 running (2 kernel threads not shown: --kernel-threads shows them)\n"
			     "`-60 modprobe running\n", "the tree without kernel threads");
	ASSERT_LACKS(out, "p3", "the tree and summary without kernel threads");
	ASSERT_LACKS(out, "p4", "the tree and summary without kernel threads");
	ASSERT_CONTAINS(out, "still alive (3 kernel threads not listed: --kernel-threads lists them):\n",
			"the summary without kernel threads");
	ASSERT_CONTAINS(out, "     50  p50                    1\n", "the summary without kernel threads");
	ASSERT_CONTAINS(out, "     60  modprobe               2\n", "the summary without kernel threads");

	f = sink();
	tree_print(f, s->m, 0, VIEW_KERNEL_THREADS);
	summary_print(f, s->m, 0, VIEW_KERNEL_THREADS);
	fclose(f);
	ASSERT_CONTAINS(out, "2 p2 running\n|-3 p3 running\n|-4 p4 running\n", "the tree with kernel threads");
	ASSERT_CONTAINS(out, "still alive:\n", "the summary with kernel threads");
	ASSERT_CONTAINS(out, "      3  p3                     2\n", "the summary with kernel threads");
	sy_free(s);
}

/* every table says what it left out, and how it compares */
static void tables_say_what_they_leave_out(void **state)
{
	struct synth *s = sy_world_hist(PL_HISTORY_DEFAULT);
	FILE *f = sink();

	(void)state;
	pl_model_follow(s->m, 100);
	for (__u32 pid = 200; pid < 230; pid++) {
		sy_fork(s, pid, 100);
		sy_die(s, pid, 0, (pid - 199) * 1000); /* 2 us to 31 us as a zombie (a record: 1 us) */
	}
	for (__u32 pid = 300; pid < 370; pid++) { /* more than the model keeps */
		sy_fork(s, pid, 100);
		sy_fork(s, pid + 100, pid);
		sy_die(s, pid, 0, 1000);
		sy_reparent(s, pid + 100, INIT, PL_ADOPT_INIT);
	}
	summary_print(f, s->m, 100, 0);
	fclose(f);
	ASSERT_CONTAINS(out, "    229  p229                 100     100          31 us  wait\n",
			"the longest zombie first");
	/* 100 zombies, 20 listed: the other 80 are no longer than the last one */
	ASSERT_CONTAINS(out, "    210  p210                 100     100          12 us  wait\n"
			     "  ... and 80 more, none longer than 12 us\n", "the zombie table's end");
	/* 70 orphans, 64 kept by the model, 20 listed */
	ASSERT_CONTAINS(out, "    419  p419                    319          1  init      double fork\n"
			     "  ... and 44 more\n"
			     "  ... and 6 later orphanings not kept (of the whole machine, not only of "
			     "this subtree)\n", "the orphan table's end");
	ASSERT_LACKS(out, "p420", "the orphan table");
	sy_free(s);
}

/* an orphan that exec'd after its adoption is named as it is now, in
 * the orphans table as in the zombies table */
static void orphan_named_by_its_latest_name(void **state)
{
	struct synth *s = sy_world_hist(PL_HISTORY_DEFAULT);
	FILE *f = sink();

	(void)state;
	sy_fork(s, 200, 100);
	sy_fork(s, 300, 200);
	sy_die(s, 200, 0, 1000);
	sy_reparent(s, 300, INIT, PL_ADOPT_INIT);
	sy_exec(s, 300, "/bin/sleep", 300);
	summary_print(f, s->m, 0, 0);
	fclose(f);
	ASSERT_CONTAINS(out, "    300  sleep                   200          1  init", "a live orphan's row");
	f = sink();
	sy_die(s, 300, 0, 1000);
	summary_print(f, s->m, 0, 0);
	fclose(f);
	ASSERT_CONTAINS(out, "    300  sleep                   200          1  init", "an ended orphan's row");
	ASSERT_CONTAINS(out, "    300  sleep                  1       1", "its zombie row");
	sy_free(s);
}

/* a service that leaves zombies and orphans, a busy one, a job that
 * cannot find its program */
static struct synth *context_scene(void)
{
	struct synth *s = sy_new_hist(100, 64);

	sy_proc(s, INIT, 0, 1 * MS, 0, 0);
	sy_move(s, SR, "/system.slice/leaky.service", 5);
	sy_proc(s, SR, INIT, 3 * MS, 0, 0);
	pl_model_follow(s->m, SR);
	sy_fork(s, 200, SR);
	sy_die(s, 200, 0, 300 * MS);
	sy_fork(s, 201, SR);
	sy_exit(s, 201, 0);
	sy_zombie(s, 201, 0);
	sy_fork(s, 202, SR);
	sy_fork(s, 300, 202);
	sy_die(s, 202, 0, 1000);
	sy_reparent(s, 300, INIT, PL_ADOPT_INIT);
	sy_move(s, SR, "/system.slice/docker-0123456789abcdef0123456789abcdef0123456789abcdef"
		"0123456789abcdef.scope", 6);
	for (__u32 i = 0; i < 25; i++) {
		sy_fork(s, 400 + i, SR);
		sy_exit_with(s, 400 + i, 0, (i + 1) * 10 * MS, MS, 1024 * (i + 1), 0, 0);
	}
	sy_fork(s, 500, SR);
	sy_exec_fail(s, 500, "/usr/local/bin/job", ENOENT);
	sy_exec_fail(s, 500, "/usr/bin/job", ENOENT);
	sy_exec(s, 500, "/bin/job", 0);
	sy_fork(s, 501, SR);
	sy_exec_fail(s, 501, "/usr/local/bin/job", ENOENT);
	sy_exec_fail(s, 501, "/usr/bin/job", EACCES);
	sy_exit(s, 501, W_EXIT(126));
	sy_sleep(s, 400 * MS);
	pl_model_tick(s->m, s->now);
	return s;
}

static void summary_context_tables(void **state)
{
	struct synth *s = context_scene();
	FILE *f = sink();

	(void)state;
	summary_print(f, s->m, SR, VIEW_FILTERED);
	fclose(f);
	ASSERT_CONTAINS(out, "== summary of 100 and its descendants ==\n(of everything traced: ",
			"the summary says filters leave it whole");
	ASSERT_CONTAINS(out, "failed execs: 4 (2 of them followed by an exec of the same process "
			     "that worked, as in a search of $PATH)\n", "the count of failed execs");
	ASSERT_CONTAINS(out, "long zombies and orphans by cgroup (zombies past 100 ms; their time once "
			     "reaped):\nLONG ZOMBIES     THEIR TIME  UNREAPED  ORPHANS  UNIT OR CONTAINER"
			     "        CGROUP\n           2     300.001 ms         1        1  leaky.service"
			     "            /system.slice/leaky.service\n", "zombies and orphans by cgroup");
	ASSERT_CONTAINS(out, "the most CPU (of the 25 processes that ended with their use told):\n"
			     "    PID  COMMAND                         CPU       USER     SYSTEM  PEAK MEMORY\n"
			     "    424  p424                         251 ms     250 ms     1.0 ms       25 MiB\n",
			"the most CPU");
	ASSERT_CONTAINS(out, "  ... and 15 more, none above 161 ms\n", "what the CPU table leaves out");
	ASSERT_CONTAINS(out, "the most memory (of the 25 ", "the most memory");
	ASSERT_CONTAINS(out, "  ... and 15 more, none above 16 MiB\n", "what the memory table leaves out");
	ASSERT_CONTAINS(out, "failed execs not followed by one that worked, most frequent first:\n"
			     "  COUNT  ERRNO    FILE (THE LAST PROCESS IT FAILED FOR)\n"
			     "      1  ENOENT   /usr/local/bin/job (p501[501])\n"
			     "      1  EACCES   /usr/bin/job (p501[501])\n", "the failed execs that stood");
	ASSERT_LACKS(out, "ENOENT   /usr/bin/job", "a search's miss");
	sy_free(s);
}

/* the tree names processes whole, says who they run as where it is news,
 * and who killed them; a filter keeps its processes under their ancestors */
static void tree_context(void **state)
{
	struct synth *s = sy_new_hist(100, 64);
	struct filter only = { .by_uid = true, .uid = 3999999 }; /* a uid with no name */
	FILE *f;

	(void)state;
	sy_proc(s, INIT, 0, 1 * MS, 0, 0);
	sy_proc(s, SR, INIT, 3 * MS, 0, 0);
	sy_fork(s, 200, SR);
	sy_exec(s, 200, "/usr/bin/proclife-workload", 0);
	sy_fork(s, 201, 200);
	sy_setuid(s, 201, 3999999);
	sy_exec(s, 201, "/bin/sleep", 0);
	sy_exit_with(s, 201, W_SIG(15), 0, 0, 0, 200, PL_KILL_SENT);
	sy_fork(s, 202, SR);
	f = sink();
	tree_print(f, s->m, 0, 0);
	fclose(f);
	ASSERT_CONTAINS(out, "|-200 proclife-workload running\n", "a whole name");
	ASSERT_CONTAINS(out, "`-201 sleep exited (killed by SIGTERM from proclife-workload[200]) "
			     "[user 3999999]\n", "a killer by its whole name, a user");
	f = sink();
	tree_print_filtered(f, s->m, 0, 0, &only);
	fclose(f);
	ASSERT_CONTAINS(out, "1 p1 running\n`-100 p100 running\n  `-200 proclife-workload running\n"
			     "    `-201 sleep exited", "the filtered uid's process under its ancestors");
	ASSERT_LACKS(out, "202", "another branch");
	only.uid = 4242;
	f = sink();
	tree_print_filtered(f, s->m, 0, 0, &only);
	fclose(f);
	ASSERT_STR_EQ(out, "(no processes the filters keep)\n", "nothing kept");
	sy_free(s);
}

/* the summary's tables name processes whole, as its usage tables do, also
 * once the model has let them go */
static void summary_whole_names(void **state)
{
	struct synth *s = sy_new_hist(100, 0);
	FILE *f = sink();

	(void)state;
	sy_proc(s, INIT, 0, 1 * MS, 0, 0);
	sy_proc(s, SR, INIT, 3 * MS, 0, 0);
	sy_fork(s, 200, SR);
	sy_exec(s, 200, "/usr/bin/a-parent-of-long-name", 0);
	sy_fork(s, 201, 200);
	sy_exec(s, 201, "/usr/bin/a-zombie-of-long-name", 0);
	sy_die(s, 201, W_EXIT(3), 250 * MS);
	sy_fork(s, 202, 200);
	sy_exec(s, 202, "/usr/bin/an-orphan-of-long-name", 0);
	sy_fork(s, 203, 200);
	sy_exec(s, 203, "/usr/bin/a-zombie-left-unreaped", 0);
	sy_exit(s, 203, W_EXIT(0));
	sy_zombie(s, 203, W_EXIT(0));
	sy_fork(s, 204, SR);
	sy_exec(s, 204, "/usr/bin/a-process-still-running", 0);
	sy_fork(s, 205, SR);
	sy_exec(s, 205, "/usr/bin/a-process-whose-exec-failed", 0);
	sy_exec_fail(s, 205, "/nonexistent", ENOENT);
	sy_die(s, 205, W_EXIT(127), 1000);
	sy_sleep(s, 200 * MS);
	pl_model_tick(s->m, s->now);
	sy_exit(s, 200, W_EXIT(0));
	sy_reparent(s, 202, INIT, PL_ADOPT_INIT);
	sy_reparent(s, 203, INIT, PL_ADOPT_INIT);
	sy_zombie(s, 200, W_EXIT(0));
	sy_reap(s, 200, SR, 0, W_EXIT(0));
	sy_free_task(s, 200, W_EXIT(0));
	sy_die(s, 202, W_EXIT(0), 1000);
	sy_sleep(s, 50 * MS);
	pl_model_tick(s->m, s->now);
	summary_print(f, s->m, 0, 0);
	fclose(f);
	ASSERT_CONTAINS(out, "    201  a-zombie-of-long-name     200     200", "a reaped zombie, let go");
	ASSERT_CONTAINS(out, "    200  a-parent-of-long-name             2", "a parent, let go");
	ASSERT_CONTAINS(out, "    202  an-orphan-of-long-name        200          1  init",
			"an orphan, let go");
	ASSERT_CONTAINS(out, "    203  a-zombie-left-unreaped       1", "a zombie not reaped yet");
	ASSERT_CONTAINS(out, "    204  a-process-still-running     100\n", "a process still alive");
	ASSERT_CONTAINS(out, "/nonexistent (a-process-whose-exec-failed[205])", "a failed exec's process");
	ASSERT_LACKS(out, "-of-lon ", "a name cut to its comm");
	sy_free(s);
}

/* a killer the model has let go by the time the tree, the CSV or the dot
 * graph is drawn is named whole, as it was named when it killed; many
 * alike fold under their whole name */
static void killer_let_go_named_whole(void **state)
{
	struct synth *s = sy_new_hist(100, 0);
	FILE *f;

	(void)state;
	sy_proc(s, INIT, 0, 1 * MS, 0, 0);
	sy_proc(s, SR, INIT, 3 * MS, 0, 0);
	sy_fork(s, 200, SR);
	sy_exec(s, 200, "/usr/bin/proclife-workload", 0);
	sy_fork(s, 202, SR);
	sy_exit_with(s, 202, W_SIG(15), 0, 0, 0, 200, PL_KILL_SENT);
	sy_zombie(s, 202, W_SIG(15));
	sy_die(s, 200, W_EXIT(0), 1000);
	f = sink();
	tree_print(f, s->m, 0, 0);
	fclose(f);
	ASSERT_CONTAINS(out, "(killed by SIGTERM from proclife-workload[200])", "the tree");
	sy_free(s);
	s = sy_new_hist(100, 4096);
	sy_proc(s, INIT, 0, 1 * MS, 0, 0);
	sy_proc(s, SR, INIT, 3 * MS, 0, 0);
	for (__u32 pid = 300; pid < 310; pid++) {
		sy_fork(s, pid, SR);
		sy_exec(s, pid, "/usr/bin/proclife-workload", 0);
		sy_die(s, pid, W_EXIT(0), 1000);
	}
	f = sink();
	tree_print(f, s->m, SR, 0);
	fclose(f);
	ASSERT_CONTAINS(out, "|-... 7 more like these (proclife-workload, freed, exit 0)", "the folded tree");
	sy_free(s);
}

/* a zombie its parent left unreaped when it exited: init has it now */
static struct synth *zombie_left_to_init(void)
{
	struct synth *s = sy_new_hist(100, 64);

	sy_proc(s, INIT, 0, 1 * MS, 0, 0);
	sy_proc(s, SR, INIT, 3 * MS, 0, 0);
	sy_fork(s, 200, SR);
	sy_exit(s, 200, W_EXIT(0));
	sy_zombie(s, 200, W_EXIT(0));
	sy_sleep(s, 600 * MS);
	pl_model_tick(s->m, s->now);
	sy_exit(s, SR, W_EXIT(0));
	sy_reparent(s, 200, INIT, PL_ADOPT_INIT);
	sy_sleep(s, 50 * MS);
	pl_model_tick(s->m, s->now);
	return s;
}

/* a followed subtree's summary names the parents outside it that left its
 * processes zombies (init, which adopted them), counting those alone */
static void summary_neglect_from_outside(void **state)
{
	struct synth *s = sy_new_hist(100, 64);
	FILE *f = sink();

	(void)state;
	sy_proc(s, INIT, 0, 1 * MS, 0, 0);
	sy_proc(s, OTHER, INIT, 2 * MS, 0, 0);
	sy_proc(s, SR, INIT, 3 * MS, 0, 0);
	pl_model_follow(s->m, SR);
	sy_fork(s, 200, SR);
	sy_fork(s, 300, 200);
	sy_fork(s, 301, 200);
	sy_die(s, 200, W_EXIT(0), 1 * MS);
	sy_reparent(s, 300, INIT, PL_ADOPT_INIT);
	sy_reparent(s, 301, INIT, PL_ADOPT_INIT);
	/* one of init's own, outside the subtree: not counted in its row */
	sy_fork(s, 400, OTHER);
	sy_exit(s, OTHER, W_EXIT(0));
	sy_reparent(s, 400, INIT, PL_ADOPT_INIT);
	sy_exit(s, 400, W_EXIT(0));
	sy_zombie(s, 400, W_EXIT(0));
	sy_exit(s, 300, W_EXIT(0));
	sy_zombie(s, 300, W_EXIT(0));
	sy_sleep(s, 400 * MS);
	pl_model_tick(s->m, s->now);
	sy_reap(s, 300, INIT, 0, W_EXIT(0));
	sy_free_task(s, 300, W_EXIT(0));
	sy_exit(s, 301, W_EXIT(0));
	sy_zombie(s, 301, W_EXIT(0));
	sy_sleep(s, 200 * MS);
	pl_model_tick(s->m, s->now);
	summary_print(f, s->m, SR, 0);
	fclose(f);
	ASSERT_CONTAINS(out, "    PID  COMMAND           LONG ZOMBIES     THEIR TIME\n"
			     "      1  p1                           2     600.00", "init, for the subtree's two");
	ASSERT_CONTAINS(out, " ms (at least: 1 not reaped yet)\n", "one not reaped yet");
	f = sink();
	summary_print(f, s->m, 0, 0);
	fclose(f);
	ASSERT_CONTAINS(out, "      1  p1                           3", "init, for the machine's three");
	sy_free(s);
}

/* the parent the tree names is the one it has now, not the one that left it */
static void tree_zombie_left_to_init(void **state)
{
	struct synth *s = zombie_left_to_init();
	FILE *f = sink();

	(void)state;
	tree_print(f, s->m, 0, 0);
	fclose(f);
	ASSERT_CONTAINS(out, "`-200 p200 zombie for 650.002 ms, parent 1, left unreaped by 100 (exit 0) "
			     "[long zombie] [orphan of 100, adopted by init]\n", "the tree");
	ASSERT_LACKS(out, "parent 100", "the tree");
	sy_free(s);
}

/* a long zombie not reaped yet: the time of its parent's neglect so far,
 * a lower bound, never 0; unknown when its end may have gone unseen */
static void summary_neglect_not_reaped_yet(void **state)
{
	struct synth *s = zombie_left_to_init();
	unsigned long long lost[PL_EV_KINDS] = { [PL_EV_REAP] = 1 };
	unsigned long long none[PL_STATS] = { 0 };
	FILE *f = sink();

	(void)state;
	summary_print(f, s->m, 0, 0);
	fclose(f);
	/* a long zombie when init adopted it: its old parent's until then */
	ASSERT_CONTAINS(out, "    PID  COMMAND           LONG ZOMBIES     THEIR TIME\n"
			     "    100  p100                         1     600.00", "the parents that left zombies");
	ASSERT_CONTAINS(out, " ms (at least: 1 not reaped yet)\n", "not reaped yet");
	ASSERT_LACKS(out, " 0 us", "the summary");
	/* another reaped 200 ms: both times add up, still a lower bound */
	sy_proc(s, 101, INIT, 4 * MS, 0, 0);
	sy_fork(s, 300, 101);
	sy_fork(s, 301, 101);
	sy_exit(s, 300, W_EXIT(0));
	sy_zombie(s, 300, W_EXIT(0));
	sy_die(s, 301, W_EXIT(0), 200 * MS);
	sy_sleep(s, 100 * MS);
	pl_model_tick(s->m, s->now);
	f = sink();
	summary_print(f, s->m, 0, 0);
	fclose(f);
	ASSERT_CONTAINS(out, "    101  p101                         2     500.005 ms (at least: 1 not "
			     "reaped yet)\n", "a live parent's zombies, reaped and not");
	pl_model_set_counters(s->m, lost, none);
	f = sink();
	summary_print(f, s->m, 0, 0);
	fclose(f);
	ASSERT_CONTAINS(out, "    100  p100                         1              -\n",
			"a zombie whose reap may have been lost");
	sy_free(s);
}

/* a zombie its old parent left to a subreaper that ignores SIGCHLD, which
 * the kernel then auto-reaped: a zombie until then */
static void tree_adopted_zombie_auto_reaped(void **state)
{
	struct synth *s = sy_new_hist(100, 64);
	struct pl_event e;
	FILE *f = sink();

	(void)state;
	sy_proc(s, INIT, 0, 1 * MS, 0, 0);
	sy_proc(s, SR, INIT, 3 * MS, PL_F_SUBREAPER, 0);
	sy_fork(s, 200, SR);
	sy_fork(s, 300, 200);
	sy_exit(s, 300, W_EXIT(3));
	sy_zombie(s, 300, W_EXIT(3));
	sy_sleep(s, 100 * MS);
	sy_exit(s, 200, W_EXIT(0));
	sy_reparent(s, 300, SR, PL_ADOPT_SUBREAPER);
	e = sy_ev(s, PL_EV_REAP, 300);
	e.flags = PL_F_AUTO | PL_F_FINAL;
	e.reaper = SR;
	e.pstart = s->start[SR];
	e.status = W_EXIT(3);
	e.zombie_ns = e.ts - s->zombie_at[300];
	sy_emit(s, &e);
	sy_reap(s, 200, SR, PL_F_AUTO | PL_F_FINAL, W_EXIT(0)); /* never a zombie */
	tree_print(f, s->m, 0, 0);
	fclose(f);
	ASSERT_CONTAINS(out, "300 p300 freed (exit 3), zombie 100.003 ms, auto-reaped [long zombie] "
			     "[orphan of 200, adopted by subreaper]\n", "the adopted zombie");
	ASSERT_CONTAINS(out, "200 p200 freed (exit 0), auto-reaped\n", "a child never a zombie");
	sy_free(s);
}

/* waits are counted in the waiter, a WNOHANG reap in the process reaped:
 * one reaped by a waiter outside the subtree is no poll of the subtree */
static void summary_waits_and_nohang_reaps(void **state)
{
	struct synth *s = sy_world();
	FILE *f = sink();

	(void)state;
	pl_model_follow(s->m, 200);
	sy_fork(s, 200, 100);
	sy_exit(s, 200, W_EXIT(0));
	sy_zombie(s, 200, W_EXIT(0));
	sy_wait(s, 100, true);
	sy_reap(s, 200, 100, PL_F_NOHANG, W_EXIT(0));
	sy_waits_at_end(s);
	summary_print(f, s->m, 200, 0);
	fclose(f);
	ASSERT_CONTAINS(out, "waits: 0 (0 WNOHANG polls); reaps by a WNOHANG wait, whoever waited: 1\n",
			"the subtree's waits");
	ASSERT_LACKS(out, "of them reaped", "the subtree's waits");
	sy_free(s);
}

/* waits reach the model with an exit, or at the end for a process still
 * running: a stream cut before its end is short of the latter */
static void summary_waits_of_a_cut_log(void **state)
{
	struct synth *s = sy_world();
	FILE *f;

	(void)state;
	pl_model_follow(s->m, 200);
	sy_fork(s, 200, 100);
	sy_fork(s, 300, 200);
	sy_wait(s, 300, true);
	sy_exit(s, 300, W_EXIT(0));
	sy_zombie(s, 300, W_EXIT(0));
	sy_wait(s, 200, false);
	sy_reap(s, 300, 200, 0, W_EXIT(0));
	pl_model_set_end_untold(s->m); /* 200's waits never told */
	f = sink();
	summary_print(f, s->m, 200, 0);
	fclose(f);
	ASSERT_CONTAINS(out, "waits: at least 1 (at least 1 WNOHANG poll; the log has no trailer: the "
			     "waits of processes still running were never told); reaps by a WNOHANG "
			     "wait, whoever waited: 0\n", "the waits of a cut log");
	/* once every process of the subtree has exited, the count is whole */
	sy_exit(s, 200, W_EXIT(0));
	f = sink();
	summary_print(f, s->m, 200, 0);
	fclose(f);
	ASSERT_CONTAINS(out, "waits: 2 (1 WNOHANG poll); reaps", "the waits, all told");
	sy_free(s);
}

/* a name's bytes as a terminal may show them: UTF-8 kept, controls and
 * bytes that are no UTF-8 (a lone byte, an overlong form, a C1 control)
 * one '?' each */
static void names_print_safely(void **state)
{
	char buf[32];

	(void)state;
	ASSERT_STR_EQ(pl_printable("caf\xc3\xa9", 16, buf, sizeof(buf)), "caf\xc3\xa9", "UTF-8 kept");
	ASSERT_STR_EQ(pl_printable("a\xff" "b\x1b[31m", 16, buf, sizeof(buf)), "a?b?[31m",
		      "a byte no UTF-8 has, and an escape");
	ASSERT_STR_EQ(pl_printable("\xc0\xaf\xc2\x85.", 16, buf, sizeof(buf)), "????.",
		      "an overlong '/' and a C1 control");
	ASSERT_STR_EQ(pl_printable("\xe2\x82", 16, buf, sizeof(buf)), "??", "a character cut short");
	ASSERT_STR_EQ(pl_printable("ab\xc3\xa9", 16, buf, 4), "ab", "one that does not fit");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_print_safely),
		cmocka_unit_test_teardown(tree_marks, memout_teardown),
		cmocka_unit_test_teardown(tree_ended, memout_teardown),
		cmocka_unit_test_teardown(tree_root_released, memout_teardown),
		cmocka_unit_test_teardown(tree_history_dropped, memout_teardown),
		cmocka_unit_test_teardown(tree_no_parent, memout_teardown),
		cmocka_unit_test_teardown(tree_colour, memout_teardown),
		cmocka_unit_test_teardown(tree_followed_only, memout_teardown),
		cmocka_unit_test_teardown(tree_orphan_outside, memout_teardown),
		cmocka_unit_test_teardown(summary_tables, memout_teardown),
		cmocka_unit_test_teardown(summary_whole_names, memout_teardown),
		cmocka_unit_test_teardown(killer_let_go_named_whole, memout_teardown),
		cmocka_unit_test_teardown(summary_lost_and_uncertain, memout_teardown),
		cmocka_unit_test_teardown(zombie_end_lost, memout_teardown),
		cmocka_unit_test_teardown(tree_folds_alike_leaves, memout_teardown),
		cmocka_unit_test_teardown(tree_folds_by_end, memout_teardown),
		cmocka_unit_test_teardown(summary_subtree_counts, memout_teardown),
		cmocka_unit_test_teardown(summary_bootstrap_zombie, memout_teardown),
		cmocka_unit_test_teardown(summary_followed_only, memout_teardown),
		cmocka_unit_test_teardown(alive_list, memout_teardown),
		cmocka_unit_test_teardown(kernel_threads_hidden, memout_teardown),
		cmocka_unit_test_teardown(tables_say_what_they_leave_out, memout_teardown),
		cmocka_unit_test_teardown(orphan_named_by_its_latest_name, memout_teardown),
		cmocka_unit_test_teardown(summary_context_tables, memout_teardown),
		cmocka_unit_test_teardown(tree_context, memout_teardown),
		cmocka_unit_test_teardown(tree_zombie_left_to_init, memout_teardown),
		cmocka_unit_test_teardown(summary_zombie_of_unknown_time, memout_teardown),
		cmocka_unit_test_teardown(summary_neglect_not_reaped_yet, memout_teardown),
		cmocka_unit_test_teardown(summary_neglect_from_outside, memout_teardown),
		cmocka_unit_test_teardown(tree_adopted_zombie_auto_reaped, memout_teardown),
		cmocka_unit_test_teardown(summary_waits_and_nohang_reaps, memout_teardown),
		cmocka_unit_test_teardown(summary_waits_of_a_cut_log, memout_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
