// SPDX-License-Identifier: BSD-2-Clause
/*
 * The text view as a person reads it: what it shows by default and with
 * --events, bursts of alike events folded into a count, colours only on
 * what is notable, times of day, and the tree drawn on demand.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <time.h>
#include "check.h"
#include "memout.h"
#include "synth.h"
#include "core/pipeline.h"
#include "output/event_kinds.h"
#include "output/fold.h"
#include "util/diag.h"

#define T0 (1000 * MS) /* synth's clock starts here: time 0 of the view */

static FILE *f;

static void feed(void *ctx, const struct pl_event *e)
{
	pipeline_event(ctx, e);
}

/* a text view of what s is fed from now on; events: --events, NULL for
 * the default; filter: --uid, --cgroup, --comm (NULL: none) */
static struct pipeline *view_of(struct synth *s, const char *events, enum color_when color,
				bool wall_clock, const struct filter *filter)
{
	struct pipeline_opts po = { .view = PL_VIEW_TEXT, .zombie_ms = 100, .t0 = T0,
				    /* 2023-11-14 22:13:19 UTC at boot ns T0 */
				    .boot_to_wall_ns = 1699999999LL * 1000000000LL - (long long)T0 };
	struct pipeline *p;

	f = sink();
	po.events = po.report = f;
	view_opts_default(&po.show);
	po.show.color = color;
	po.show.wall_clock = wall_clock;
	if (events)
		ASSERT_EQ(events_parse(events, &po.show.events), 0, "--events");
	if (filter)
		po.show.filter = *filter;
	p = pipeline_new(&po);
	s->feed = feed;
	s->feed_ctx = p;
	return p;
}

static struct pipeline *view(struct synth *s, const char *events, enum color_when color,
			     bool wall_clock)
{
	return view_of(s, events, color, wall_clock, NULL);
}

static void done(struct pipeline *p)
{
	pipeline_finish(p, 0, -1);
	pipeline_free(p);
	fclose(f);
	f = NULL;
}

/* lines of out whose EVENT column is kind */
static int lines_of(const char *kind)
{
	char col[32];
	int n = 0;

	snprintf(col, sizeof(col), " %-11s ", kind);
	for (const char *l = out; l && *l; l = strchr(l, '\n') + 1) {
		const char *end = strchr(l, '\n');

		if (!end)
			break;
		if (end - l > 12 && !strncmp(l + 11, col, strlen(col)))
			n++;
	}
	return n;
}

/* init, a parent (100), and what it does: a child that exec's and exits,
 * one killed, one held a zombie 300 ms, one left as an orphan by a
 * middle process that exits at once */
static void scene(struct synth *s, struct pipeline *p)
{
	sy_proc(s, 1, 0, 1 * MS, 0, 0);
	sy_proc(s, 100, 1, 2 * MS, 0, 0);
	sy_fork(s, 200, 100);
	sy_exec(s, 200, "/bin/true", 200);
	sy_wait(s, 100, false);
	sy_die(s, 200, W_EXIT(0), 1 * MS);
	sy_fork(s, 201, 100);
	sy_die(s, 201, W_SIG(9), 1 * MS);
	sy_fork(s, 202, 100);
	sy_exit(s, 202, W_EXIT(7));
	sy_zombie(s, 202, W_EXIT(7));
	sy_sleep(s, 300 * MS);
	pipeline_tick(p, s->now);
	sy_reap(s, 202, 100, 0, W_EXIT(7));
	sy_fork(s, 203, 100);
	sy_fork(s, 300, 203);
	sy_die(s, 203, 0, 1000);
	sy_reparent(s, 300, 1, PL_ADOPT_INIT);
}

static void default_view(void **state)
{
	struct synth *s = sy_new(100);
	struct pipeline *p = view(s, NULL, COLOR_NEVER, false);

	(void)state;
	scene(s, p);
	done(p);
	ASSERT_EQ(lines_of("fork"), 5, "fork lines");
	ASSERT_EQ(lines_of("exec"), 1, "exec lines");
	ASSERT_EQ(lines_of("exit"), 4, "exit lines");
	ASSERT_CONTAINS(out, "exit            201     100  p201             killed by SIGKILL\n",
			"the default view");
	ASSERT_CONTAINS(out, "zombie_long     202     100  p202             ZOMBIE for ", "the default view");
	/* the reap that ends a long zombie is news; prompt ones are not */
	ASSERT_EQ(lines_of("reap"), 1, "reap lines");
	ASSERT_CONTAINS(out, "reap            202     100  p202             reaped by 100 after 300.", "the default view");
	ASSERT_CONTAINS(out, "reparent        300       1  p300             ORPHAN: parent 203 -> 1 (init)\n",
			"the default view");
	ASSERT_EQ(lines_of("double_fork"), 1, "double fork lines");
	/* routine records: folded away entirely */
	ASSERT_EQ(lines_of("wait"), 0, "wait lines");
	ASSERT_EQ(lines_of("zombie"), 0, "zombie lines");
	ASSERT_EQ(lines_of("free"), 0, "free lines");
	ASSERT_LACKS(out, "\033[", "a view with --color=never");
	sy_free(s);
}

static void events_named(void **state)
{
	struct synth *s = sy_new(100);
	struct pipeline *p = view(s, "all", COLOR_NEVER, false);

	(void)state;
	scene(s, p);
	done(p);
	ASSERT_EQ(lines_of("wait"), 1, "wait lines with --events all");
	ASSERT_EQ(lines_of("zombie"), 4, "zombie lines with --events all");
	ASSERT_EQ(lines_of("reap"), 4, "reap lines with --events all");
	ASSERT_EQ(lines_of("free"), 3, "free lines with --events all");

	p = view(s = (sy_free(s), sy_new(100)), "fork", COLOR_NEVER, false);
	scene(s, p);
	done(p);
	ASSERT_EQ(lines_of("fork"), 5, "fork lines with --events fork");
	ASSERT_EQ(lines_of("exit") + lines_of("reparent") + lines_of("zombie_long") +
		  lines_of("double_fork") + lines_of("reap"), 0, "other lines with --events fork");

	p = view(s = (sy_free(s), sy_new(100)), "default,wait", COLOR_NEVER, false);
	scene(s, p);
	done(p);
	ASSERT_EQ(lines_of("wait"), 1, "wait lines with --events default,wait");
	ASSERT_EQ(lines_of("reparent"), 1, "reparent lines with --events default,wait");
	ASSERT_EQ(lines_of("zombie"), 0, "zombie lines with --events default,wait");
	sy_free(s);
}

/* what another part of proclife may ask before it asks the kernel for records */
static void events_wanted(void **state)
{
	struct events ev = events_default();

	(void)state;
	ASSERT_FALSE(events_want(&ev, PL_EV_WAIT), "wait records in the default view");
	ASSERT_FALSE(events_want(&ev, PL_EV_ZOMBIE), "zombie records in the default view");
	ASSERT_TRUE(events_want(&ev, PL_EV_REAP), "reap records in the default view (a late reap is news)");
	ASSERT_TRUE(events_want(&ev, PL_EV_FORK), "fork records in the default view");
	ASSERT_EQ(events_parse("fork,exit", &ev), 0, "--events fork,exit");
	ASSERT_FALSE(events_want(&ev, PL_EV_REAP), "reap records with --events fork,exit");
	ASSERT_TRUE(events_want(&ev, PL_EV_EXIT), "exit records with --events fork,exit");
	ev = events_all();
	for (unsigned k = PL_EV_FORK; k < PL_EV_KINDS; k++)
		ASSERT_TRUE(events_want(&ev, k) || k == PL_EV_PROC || k == PL_EV_WAITS,
			    "every kind with --events all");
	ASSERT_EQ(events_parse("fork,bogus", &ev), EXIT_USAGE, "an unknown kind");
	ASSERT_EQ(events_parse("", &ev), EXIT_USAGE, "an empty list");
	ASSERT_EQ(events_parse("proc", &ev), EXIT_USAGE, "bootstrap records, never shown");
}

/* the count a fold line gives: the number before " more alike" at m */
static unsigned long long folded(const char *m)
{
	unsigned long long n = 0, scale = 1;

	for (const char *c = m - 1; *c != ' '; c--) {
		if (*c == ',')
			continue;
		n += scale * (unsigned long long)(*c - '0');
		scale *= 10;
	}
	return n;
}

/* a storm of alike children: five of each kind shown, the rest counted;
 * a notable one among them shown and not counted; a pause ends the burst */
static void bursts_fold(void **state)
{
	struct synth *s = sy_new(100);
	struct pipeline *p = view(s, NULL, COLOR_NEVER, false);
	const char *forks, *exits, *fourth;

	(void)state;
	sy_proc(s, 1, 0, 1 * MS, 0, 0);
	sy_proc(s, 100, 1, 2 * MS, 0, 0);
	sy_rename(s, 100, "w"); /* and its children, as fork copies it */
	for (__u32 pid = 1000; pid < 2100; pid++) {
		sy_fork(s, pid, 100);
		sy_die(s, pid, pid == 1500 ? W_SIG(15) : W_EXIT(pid % 5 + 1), 10000);
	}
	sy_sleep(s, 2000 * MS);
	pipeline_tick(p, s->now);
	for (__u32 pid = 3000; pid < 3006; pid++)
		sy_fork(s, pid, 100);
	done(p);
	forks = strstr(out, " 1,095 more alike forks by 100 in 0.02 s from 0.000078 s\n");
	exits = strstr(out, " 1,094 more alike exits of children of 100 in ");
	ASSERT_NOT_NULL(forks, "the count of the storm's forks");
	ASSERT_NOT_NULL(exits, "the count of the storm's exits");
	ASSERT_CONTAINS(exits, " (exit 1 to 5)\n", "the codes of the folded exits");
	ASSERT_CONTAINS(out, "exit           1500     100  w                killed by SIGTERM\n",
			"a notable exit in the storm");
	/* a new burst after the pause: five shown again, then one counted */
	ASSERT_EQ(lines_of("fork"), 10, "fork lines");
	fourth = strstr(out, "fork           3000 ");
	ASSERT_TRUE(forks < fourth, "the storm's count said before the next burst");
	ASSERT_CONTAINS(out, "\n            ...                          w                1 more alike fork "
			     "by 100 from 2.016508 s\n", "one more, in the singular");
	ASSERT_EQ(folded(strstr(forks, " more alike")), 1095, "the count read back");
	sy_free(s);
}

/* the tracer sleeps until a tick has work: here, the end of a burst,
 * FOLD_GAP_NS after its last event, when its count is said */
static void a_burst_ends_when_due(void **state)
{
	struct synth *s = sy_new(100);
	struct pipeline *p = view(s, NULL, COLOR_NEVER, false);
	unsigned long long due;

	(void)state;
	sy_proc(s, 1, 0, 1 * MS, 0, 0);
	sy_proc(s, 100, 1, 2 * MS, 0, 0);
	sy_rename(s, 100, "w"); /* its children too: alike */
	ASSERT_EQ(pipeline_next_due(p), 0, "due with no burst");
	for (__u32 pid = 1000; pid < 1008; pid++)
		sy_fork(s, pid, 100);
	due = s->now + FOLD_GAP_NS + 1;
	ASSERT_EQ(pipeline_next_due(p), due, "due: the burst's end");
	pipeline_tick(p, due - 1);
	ASSERT_EQ(pipeline_next_due(p), due, "due before the burst has ended");
	pipeline_tick(p, due);
	ASSERT_EQ(pipeline_next_due(p), 0, "due once the burst has ended");
	done(p);
	ASSERT_CONTAINS(out, " 3 more alike forks by 100 ", "the burst's count");
	sy_free(s);
}

/* a burst that never pauses says its count every FOLD_SAY_NS, and every
 * event is either shown or counted */
static void long_burst_counts_as_it_goes(void **state)
{
	struct synth *s = sy_new(100);
	struct pipeline *p = view(s, NULL, COLOR_NEVER, false);
	unsigned long long counted = 0;
	int says = 0;

	(void)state;
	sy_proc(s, 1, 0, 1 * MS, 0, 0);
	sy_proc(s, 100, 1, 2 * MS, 0, 0);
	sy_rename(s, 100, "w");
	for (__u32 pid = 1000; pid < 1100; pid++) {
		sy_fork(s, pid, 100);
		sy_sleep(s, 500 * MS);
		pipeline_tick(p, s->now);
	}
	done(p);
	for (const char *m = strstr(out, " more alike"); m; m = strstr(m + 1, " more alike")) {
		counted += folded(m);
		says++;
	}
	ASSERT_EQ(lines_of("fork") + counted, 100, "forks shown and counted");
	ASSERT_GE(says, 4, "counts said along a 50 s burst");
	sy_free(s);
}

/* every child is a zombie for a moment: only the notable stand out */
static void colours_mean_something(void **state)
{
	struct synth *s = sy_new(100);
	struct pipeline *p = view(s, "all", COLOR_ALWAYS, false);

	(void)state;
	scene(s, p);
	done(p);
	ASSERT_CONTAINS(out, "\n   0.000007 zombie          200     100  true             a zombie until 100 "
			     "reaps it (exit 0)\n", "a prompt zombie, plain");
	ASSERT_CONTAINS(out, "\n\033[1;31m   0.001011 exit ", "a process killed by a signal, in red");
	/* told at the moment it crossed the threshold, 100 ms into its 300 */
	ASSERT_CONTAINS(out, "\n\033[1;31m   0.102017 zombie_long ", "a zombie past the threshold, in red");
	ASSERT_CONTAINS(out, "\n\033[1;33m   0.302026 reparent ", "an orphan, in yellow");
	ASSERT_CONTAINS(out, "\n\033[1;33m   0.302026 double_fork ", "a double fork, in yellow");
	sy_free(s);
}

static void wall_clock(void **state)
{
	struct synth *s = sy_new(100);
	struct pipeline *p;

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	p = view(s, NULL, COLOR_NEVER, true);
	sy_proc(s, 1, 0, 1 * MS, 0, 0);
	sy_proc(s, 100, 1, 2 * MS, 0, 0);
	sy_sleep(s, 1500 * MS);
	sy_fork(s, 200, 100);
	pipeline_tree_now(p, s->now);
	done(p);
	ASSERT_STARTS_WITH(out, "TIME            EVENT           PID    PPID  COMM             DETAIL\n"
				"22:13:20.500003 fork            200     100  p200             child of 100\n",
			   "times of day");
	ASSERT_CONTAINS(out, "\n== process tree at 1.500 s (22:13:20.500003) ==\n1 p1 running\n",
			"the tree drawn on demand");
	sy_free(s);
}

#define ARGS(s) (s), sizeof(s)

/* who, what and how much: command lines a shell reads back, what each
 * process used, who killed it, who it runs as where that is news, names
 * the kernel cut */
static void context(void **state)
{
	struct synth *s = sy_new(100);
	struct pipeline *p = view(s, NULL, COLOR_NEVER, false);

	(void)state;
	sy_move(s, 1, "/init.scope", 1);
	sy_proc(s, 1, 0, 1 * MS, 0, 0);
	sy_move(s, 100, "/system.slice/web.service", 2);
	sy_proc(s, 100, 1, 2 * MS, 0, 0);
	sy_fork(s, 200, 100);
	sy_exec_args(s, 200, "/bin/sh", ARGS("sh\0-c\0echo 'hi' >x\0new\nline"), false);
	sy_exit_with(s, 200, W_EXIT(0), 300 * MS, 10 * MS, 32 * 1024, 0, 0);
	sy_fork(s, 201, 100);
	sy_exec_args(s, 201, "/usr/bin/timeout", ARGS("timeout\0" "5\0sleep\0" "9"), true);
	sy_fork(s, 202, 201);
	sy_exit_with(s, 202, W_SIG(15), 700000, 0, 1600, 201, PL_KILL_SENT);
	sy_fork(s, 203, 100);
	sy_exit_with(s, 203, W_CORE(11), 0, 0, 900, 0, PL_KILL_FAULT);
	sy_fork(s, 204, 100);
	sy_exit_with(s, 204, W_SIG(9), 0, 0, 4 * 1024 * 1024, 0, PL_KILL_OOM);
	sy_fork(s, 205, 100);
	sy_exit_with(s, 205, W_CORE(6), 0, 0, 900, 205, PL_KILL_SENT);
	sy_fork(s, 206, 100);
	sy_exit(s, 206, W_SIG(1)); /* an older log: who sent it is not known */
	/* a child that becomes nobody and moves elsewhere */
	sy_fork(s, 207, 100);
	sy_setuid(s, 207, 65534);
	sy_move(s, 207, "/system.slice/docker-0123456789abcdef0123456789abcdef0123456789abcdef"
		"0123456789abcdef.scope", 3);
	sy_exec_args(s, 207, "/usr/sbin/proclife-long-named", ARGS("-daemon\0--x"), false);
	sy_fork(s, 208, 207);
	done(p);
	ASSERT_CONTAINS(out, " sh               /bin/sh -c $'echo \\'hi\\' >x' $'new\\nline'\n",
			"an exec's command line, every argument a shell word");
	ASSERT_LACKS(out, "(argv[0] sh)", "argv[0] said only when it is news");
	ASSERT_CONTAINS(out, " exit 0 (310 ms CPU, 32 MiB)\n", "what a process used");
	ASSERT_CONTAINS(out, " /usr/bin/timeout 5 sleep 9 ...\n", "arguments the kernel cut");
	ASSERT_CONTAINS(out, " killed by SIGTERM from timeout[201] (700 us CPU, 1.6 MiB)\n",
			"killed by a process");
	ASSERT_CONTAINS(out, " killed by SIGSEGV (a fault, core dumped) (0 us CPU, 900 KiB)\n",
			"killed by a fault");
	ASSERT_CONTAINS(out, " killed by SIGKILL (the OOM killer) (0 us CPU, 4.0 GiB)\n",
			"killed by the OOM killer");
	ASSERT_CONTAINS(out, " killed by SIGABRT from itself (core dumped) (0 us CPU, 900 KiB)\n",
			"killed by itself");
	ASSERT_CONTAINS(out, " killed by SIGHUP\n", "killed, by whom not known");
	ASSERT_CONTAINS(out, " proclife-long-named /usr/sbin/proclife-long-named --x  (argv[0] -daemon)  "
			     "[user nobody, in docker 0123456789ab]\n", "a whole name, a user, a container");
	ASSERT_CONTAINS(out, "fork            208     207  proclife-long-named child of 207\n",
			"a child of the same user and container: nothing to say");
	ASSERT_LACKS(out, "web.service", "the unit of processes beneath their parent in it");
	sy_free(s);
}

/* arguments cut at the record's bound: inside the last one ("..." glued
 * to it), or where one ended (" ...": the last one is whole) */
static void arguments_cut_at_the_bound(void **state)
{
	static char inside[PL_ARGS_MAX], between[PL_ARGS_MAX];
	struct synth *s = sy_new(100);
	struct pipeline *p = view(s, NULL, COLOR_NEVER, false);

	(void)state;
	/* "prog", then arguments of nine b's, the last one's NUL the bound's
	 * last byte; then the same with that NUL cut: ten b's, cut */
	memset(between, 'b', sizeof(between));
	for (size_t i = PL_ARGS_MAX - 1; i > 10; i -= 10)
		between[i] = 0;
	memcpy(between, "prog", 5);
	memcpy(inside, between, sizeof(inside));
	inside[PL_ARGS_MAX - 1] = 'b';
	sy_proc(s, 1, 0, 1 * MS, 0, 0);
	sy_proc(s, 100, 1, 2 * MS, 0, 0);
	sy_fork(s, 200, 100);
	sy_exec_args(s, 200, "/bin/prog", inside, sizeof(inside), true);
	sy_fork(s, 201, 100);
	sy_exec_args(s, 201, "/bin/prog", between, sizeof(between), true);
	done(p);
	ASSERT_TRUE(inside[PL_ARGS_MAX - 1] != 0, "the first cut goes through an argument");
	ASSERT_CONTAINS(out, " bbbbbbbbb bbbbbbbbbb...\n", "a cut inside the last argument");
	ASSERT_CONTAINS(out, " bbbbbbbbb bbbbbbbbb ...\n", "a cut after a whole argument");
	sy_free(s);
}

/* the bound cut through argv[0], the only argument told: the cut is said
 * on it, not as arguments past the file */
static void argv0_cut_at_the_bound(void **state)
{
	static char a0[PL_ARGS_MAX];
	struct synth *s = sy_new(100);
	struct pipeline *p = view(s, NULL, COLOR_NEVER, false);

	(void)state;
	memset(a0, 'a', sizeof(a0));
	sy_proc(s, 1, 0, 1 * MS, 0, 0);
	sy_proc(s, 100, 1, 2 * MS, 0, 0);
	sy_fork(s, 200, 100);
	sy_exec_args(s, 200, "/bin/true", a0, sizeof(a0), true);
	done(p);
	ASSERT_CONTAINS(out, " /bin/true  (argv[0] aaaaaaaaaa", "the file, then argv[0]");
	ASSERT_CONTAINS(out, "aaaaaaaaaa...)\n", "argv[0] said cut");
	ASSERT_LACKS(out, "/bin/true ...", "no arguments said past argv[0]");
	sy_free(s);
}

/* a failed exec of an empty name shows the name as given (''), not its
 * first argument as if it were the file */
static void failed_exec_of_an_empty_name(void **state)
{
	struct synth *s = sy_new(100);
	struct pipeline *p = view(s, NULL, COLOR_NEVER, false);
	struct pl_event e;

	(void)state;
	sy_proc(s, 1, 0, 1 * MS, 0, 0);
	sy_proc(s, 100, 1, 2 * MS, 0, 0);
	sy_fork(s, 200, 100);
	e = sy_ev_parented(s, PL_EV_EXEC_FAILED, 200);
	e.filename = "";
	e.args = "e\0b";
	e.args_len = 4;
	e.err = ENOENT;
	sy_who(s, &e);
	sy_emit(s, &e);
	sy_die(s, 200, W_EXIT(127), 1000);
	done(p);
	ASSERT_CONTAINS(out, "exec failed: ENOENT '' b  (argv[0] e)\n", "the empty name, as given");
	sy_free(s);
}

/* a failed exec is news only once its process goes on without an exec
 * that works: a $PATH search's misses are not */
static void failed_execs_that_stood(void **state)
{
	struct synth *s = sy_new(100);
	struct pipeline *p = view(s, NULL, COLOR_NEVER, false);

	(void)state;
	sy_proc(s, 1, 0, 1 * MS, 0, 0);
	sy_proc(s, 100, 1, 2 * MS, 0, 0);
	sy_fork(s, 200, 100); /* a search that finds it */
	sy_exec_fail(s, 200, "/usr/local/bin/ls", ENOENT);
	sy_exec_fail(s, 200, "/usr/sbin/ls", ENOENT);
	sy_exec(s, 200, "/usr/bin/ls", 0);
	sy_die(s, 200, 0, 1000);
	sy_fork(s, 201, 100); /* one that does not */
	for (int i = 0; i < 6; i++)
		sy_exec_fail(s, 201, i == 5 ? "/bin/gone" : "/x/gone", i == 5 ? EACCES : ENOENT);
	sy_die(s, 201, W_EXIT(127), 1000);
	sy_fork(s, 202, 100); /* still trying when the trace ends */
	sy_exec_fail(s, 202, "/opt/tool", ENOENT);
	done(p);
	ASSERT_LACKS(out, "/usr/local/bin/ls", "a search's misses");
	ASSERT_EQ(lines_of("exec_failed"), 5, "failed execs shown: the last four, and one at the end");
	ASSERT_CONTAINS(out, "exec failed: ENOENT /x/gone (after 2 more failed execs)\n",
			"the first shown counts those before it");
	ASSERT_CONTAINS(out, "exec failed: EACCES /bin/gone\n", "the last one");
	ASSERT_TRUE(strstr(out, "/bin/gone") < strstr(out, "exit            201"),
		    "said before its process's exit line");
	ASSERT_CONTAINS(out, "exec failed: ENOENT /opt/tool\n", "a process still trying at the end");

	p = view(s = (sy_free(s), sy_new(100)), "default,exec_failed", COLOR_NEVER, false);
	sy_proc(s, 1, 0, 1 * MS, 0, 0);
	sy_proc(s, 100, 1, 2 * MS, 0, 0);
	sy_fork(s, 200, 100);
	sy_exec_fail(s, 200, "/usr/local/bin/ls", ENOENT);
	sy_exec(s, 200, "/usr/bin/ls", 0);
	done(p);
	ASSERT_EQ(lines_of("exec_failed"), 1, "with --events exec_failed: every one, as it comes");
	sy_free(s);
}

/* SIGUSR1's tree is of its moment: a zombie's time so far runs to then,
 * not to the last record seen (on a quiet machine, seconds before) */
static void tree_now_counts_to_now(void **state)
{
	struct synth *s = sy_new(100);
	struct pipeline *p = view(s, NULL, COLOR_NEVER, false);

	(void)state;
	sy_proc(s, 1, 0, 1 * MS, 0, 0);
	sy_proc(s, 100, 1, 2 * MS, 0, 0);
	sy_fork(s, 200, 100);
	sy_exit(s, 200, W_EXIT(7));
	sy_zombie(s, 200, W_EXIT(7));
	pipeline_tree_now(p, s->now + 2000 * MS); /* no record for 2 s */
	done(p);
	ASSERT_CONTAINS(out, "200 p200 zombie for 2.000 s, parent 100 (exit 7) [long zombie]",
			"the zombie's time so far, at the tree's moment");
	sy_free(s);
}

/* 300's parent 200 ends; 300's next record (by `then`) names init its
 * parent before the kernel's reparent record comes, `after` later: one
 * line, the kernel's if it comes in its time, else the conclusion's */
static void orphan_told_late(void (*then)(struct synth *s), __u64 after, bool concluded)
{
	struct synth *s = sy_new(100);
	struct pipeline *p = view(s, "all", COLOR_NEVER, false);

	sy_proc(s, 1, 0, 1 * MS, 0, 0);
	sy_proc(s, 100, 1, 2 * MS, 0, 0);
	sy_fork(s, 200, 100);
	sy_fork(s, 300, 200);
	sy_exit(s, 200, 0);
	s->parent[300] = 1;
	then(s);
	if (after) {
		sy_sleep(s, after);
		sy_fork(s, 400, 100); /* a record past the time the kernel's had */
	}
	s->parent[300] = 200;
	sy_reparent(s, 300, 1, PL_ADOPT_INIT);
	done(p);
	ASSERT_EQ(lines_of("reparent"), 1, "the orphaning, told once");
	if (concluded)
		ASSERT_CONTAINS(out, "told by a later record", "the line the conclusion's");
	else
		ASSERT_LACKS(out, "told by a later record", "the line the kernel's, exact");
	sy_free(s);
}

static void orphan_exits(struct synth *s)
{
	sy_exit(s, 300, 0);
}

static void orphan_is_let_go(struct synth *s)
{
	sy_die(s, 300, 0, 1000); /* reaped and freed before the record came */
}

static void orphaning_told_once(void **state)
{
	(void)state;
	orphan_told_late(orphan_exits, 0, false);
	orphan_told_late(orphan_is_let_go, 0, false);
	orphan_told_late(orphan_exits, 500 * MS, true); /* very late: taken, not told again */
}

/* --cgroup's path is read as /proc/PID/cgroup writes one */
static void cgroup_filter_path_normalised(void **state)
{
	static const char *const cases[][2] = {
		{ "//a/./b/", "/a/b" }, { "/", "/" }, { "///", "/" }, { "/a", "/a" },
		{ "/a//b", "/a/b" }, { "/./", "/" }, { "/a.b/.c", "/a.b/.c" },
	};
	static const char *const bad[] = { "/a/../b", "/..", "a/b" };
	char buf[64];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct filter f = { 0 };

		snprintf(buf, sizeof(buf), "%s", cases[i][0]);
		ASSERT_EQ(filter_parse_cgroup(&f, buf), 0, cases[i][0]);
		ASSERT_STR_EQ(f.cgroup, cases[i][1], cases[i][0]);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct filter f = { 0 };

		snprintf(buf, sizeof(buf), "%s", bad[i]);
		ASSERT_TRUE(filter_parse_cgroup(&f, buf) != 0, bad[i]);
		ASSERT_TRUE(!f.cgroup, bad[i]);
	}
}

/* 200 becomes uid 1 (daemon) with no exec, then forks 300; both end */
static void worker_becomes_daemon(struct synth *s)
{
	sy_proc(s, 1, 0, 1 * MS, 0, 0);
	sy_proc(s, 100, 1, 2 * MS, 0, 0);
	sy_setuid(s, 100, 0); /* records tell who from here on */
	sy_fork(s, 200, 100);
	sy_setuid(s, 200, 1);
	sy_fork(s, 300, 200);
	sy_die(s, 300, 0, 1000);
	sy_die(s, 200, 0, 1000);
}

/* a worker that became another user with no exec: its child's fork tells
 * it, the child is not marked as the odd one out, the worker's exit line
 * says who it ran as, and --uid keeps it from then on */
static void user_learned_from_a_child(void **state)
{
	struct filter f = { .by_uid = true, .uid = 1 };
	struct synth *s = sy_new(100);
	struct pipeline *p;

	(void)state;
	p = view_of(s, NULL, COLOR_NEVER, false, NULL);
	worker_becomes_daemon(s);
	done(p);
	ASSERT_LACKS(out, "child of 200  [user", "the child has its maker's user");
	ASSERT_CONTAINS(out, "exit 0  [user daemon]", "the worker's exit says who it ran as");

	p = view_of(s = (sy_free(s), sy_new(100)), NULL, COLOR_NEVER, false, &f);
	worker_becomes_daemon(s);
	done(p);
	ASSERT_EQ(lines_of("exit"), 2, "the exits of the worker and its child");
	ASSERT_EQ(lines_of("fork"), 2, "their forks, the worker's told before its exit");
	sy_free(s);
}

/* --uid, --cgroup, --comm keep the lines of the processes they match, by
 * what is known of them when the line is said */
static void filters_keep_their_processes(void **state)
{
	struct filter f = { 0 };
	struct synth *s = sy_new(100);
	struct pipeline *p;

	(void)state;
	f.by_uid = true;
	f.uid = 1000;
	p = view_of(s, NULL, COLOR_NEVER, false, &f);
	sy_proc(s, 1, 0, 1 * MS, 0, 0);
	sy_proc(s, 100, 1, 2 * MS, 0, 0);
	sy_fork(s, 200, 100);
	sy_setuid(s, 200, 1000);
	sy_exec(s, 200, "/bin/id", 0);
	sy_die(s, 200, 0, 1000);
	sy_fork(s, 201, 100);
	sy_die(s, 201, W_SIG(9), 1000);
	done(p);
	/* kept from its exec as uid 1000 on: its fork, root's then, told first */
	ASSERT_EQ(lines_of("fork"), 1, "its fork, told before the line that kept it");
	ASSERT_TRUE(strstr(out, "fork            200") &&
		    strstr(out, "fork            200") < strstr(out, "exec            200"),
		    "the fork line before the exec line");
	ASSERT_EQ(lines_of("exec"), 1, "its exec as uid 1000");
	ASSERT_EQ(lines_of("exit"), 1, "its exit, not root's processes'");
	ASSERT_LACKS(out, " 201 ", "a process of root's");

	memset(&f, 0, sizeof(f));
	f.cgroup = "/a";
	p = view_of(s = (sy_free(s), sy_new(100)), NULL, COLOR_NEVER, false, &f);
	sy_proc(s, 1, 0, 1 * MS, 0, 0);
	sy_proc(s, 100, 1, 2 * MS, 0, 0);
	sy_move(s, 100, "/a/b", 5);
	sy_fork(s, 200, 100);
	sy_move(s, 100, "/ab", 6);
	sy_fork(s, 201, 100);
	sy_move(s, 100, "/a", 7);
	sy_fork(s, 202, 100);
	done(p);
	ASSERT_CONTAINS(out, "fork            200 ", "a cgroup below the one named");
	ASSERT_CONTAINS(out, "fork            202 ", "the cgroup named");
	ASSERT_LACKS(out, " 201 ", "a cgroup whose name only begins the same");

	memset(&f, 0, sizeof(f));
	f.comm = "proclife-workload";
	p = view_of(s = (sy_free(s), sy_new(100)), NULL, COLOR_NEVER, false, &f);
	sy_proc(s, 1, 0, 1 * MS, 0, 0);
	sy_proc(s, 100, 1, 2 * MS, 0, 0);
	sy_fork(s, 200, 100);
	sy_exec(s, 200, "/usr/bin/proclife-workload", 0);
	sy_fork(s, 201, 200);
	sy_fork(s, 202, 100);
	done(p);
	ASSERT_EQ(lines_of("exec"), 1, "the exec that gave it the name");
	ASSERT_CONTAINS(out, "fork            201     200  proclife-workload child of 200\n",
			"its child, named as it is");
	ASSERT_LACKS(out, " 202 ", "a process of another name");
	sy_free(s);
}

/* the kernel's auto-reap of pid by adopter, an adopter that ignores
 * SIGCHLD: zombie_ns, how long it had been one (0: never) */
static void auto_reap(struct synth *s, __u32 pid, __u32 adopter, int status, __u64 zombie_ns)
{
	struct pl_event e = sy_ev(s, PL_EV_REAP, pid);

	e.flags = PL_F_AUTO | PL_F_FINAL;
	e.reaper = adopter;
	e.pstart = s->start[adopter];
	e.status = status;
	e.zombie_ns = zombie_ns;
	sy_emit(s, &e);
}

/* a zombie its old parent left to a subreaper that ignores SIGCHLD was
 * one until the kernel auto-reaped it; a child of a parent that ignores
 * SIGCHLD never is one */
static void adopted_zombie_auto_reaped(void **state)
{
	struct synth *s = sy_new(100);
	struct pipeline *p = view(s, "reap", COLOR_NEVER, false);

	(void)state;
	sy_proc(s, 1, 0, 1 * MS, 0, 0);
	sy_proc(s, 100, 1, 2 * MS, PL_F_SUBREAPER, 0);
	sy_fork(s, 200, 100);
	sy_fork(s, 300, 200);
	sy_exit(s, 300, W_EXIT(3));
	sy_zombie(s, 300, W_EXIT(3));
	sy_sleep(s, 100 * MS);
	pipeline_tick(p, s->now);
	sy_exit(s, 200, W_EXIT(0));
	sy_reparent(s, 300, 100, PL_ADOPT_SUBREAPER);
	auto_reap(s, 300, 100, W_EXIT(3), s->now + 1000 - s->zombie_at[300]);
	auto_reap(s, 200, 100, W_EXIT(0), 0);
	done(p);
	ASSERT_CONTAINS(out, "reap            300     100  p300             auto-reaped for 100 (SIGCHLD "
			     "ignored) after 100.003 ms as a zombie (exit 3)\n", "the adopted zombie's reap");
	ASSERT_CONTAINS(out, "reap            200     100  p200             auto-reaped for 100 (SIGCHLD "
			     "ignored), never a zombie (exit 0)\n", "a child never a zombie");
	sy_free(s);
}

/* replaying a log with no trailer: the waits of processes still running
 * were never told, so the summary's count is a lower bound */
static void summary_of_a_log_cut_short(void **state)
{
	struct pipeline_opts po = { .view = PL_VIEW_TEXT, .zombie_ms = 100, .t0 = T0,
				    .summary = true };
	struct synth *s = sy_new(100);
	struct pipeline *p;

	(void)state;
	f = sink();
	po.events = po.report = f;
	view_opts_default(&po.show);
	po.show.color = COLOR_NEVER;
	p = pipeline_new(&po);
	s->feed = feed;
	s->feed_ctx = p;
	sy_proc(s, 1, 0, 1 * MS, 0, 0);
	sy_proc(s, 100, 1, 2 * MS, 0, 0);
	sy_fork(s, 200, 100);
	sy_wait(s, 200, true);
	sy_exit(s, 200, W_EXIT(0));
	pipeline_log_unfinished(p);
	done(p);
	ASSERT_CONTAINS(out, "waits: at least 1 (at least 1 WNOHANG poll; the log has no trailer",
			"the summary of a log cut short");
	sy_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(default_view, memout_teardown),
		cmocka_unit_test_teardown(events_named, memout_teardown),
		cmocka_unit_test(events_wanted),
		cmocka_unit_test_teardown(bursts_fold, memout_teardown),
		cmocka_unit_test_teardown(a_burst_ends_when_due, memout_teardown),
		cmocka_unit_test_teardown(long_burst_counts_as_it_goes, memout_teardown),
		cmocka_unit_test_teardown(colours_mean_something, memout_teardown),
		cmocka_unit_test_teardown(wall_clock, memout_teardown),
		cmocka_unit_test_teardown(context, memout_teardown),
		cmocka_unit_test_teardown(failed_execs_that_stood, memout_teardown),
		cmocka_unit_test_teardown(failed_exec_of_an_empty_name, memout_teardown),
		cmocka_unit_test_teardown(tree_now_counts_to_now, memout_teardown),
		cmocka_unit_test_teardown(orphaning_told_once, memout_teardown),
		cmocka_unit_test_teardown(filters_keep_their_processes, memout_teardown),
		cmocka_unit_test(cgroup_filter_path_normalised),
		cmocka_unit_test_teardown(arguments_cut_at_the_bound, memout_teardown),
		cmocka_unit_test_teardown(argv0_cut_at_the_bound, memout_teardown),
		cmocka_unit_test_teardown(user_learned_from_a_child, memout_teardown),
		cmocka_unit_test_teardown(adopted_zombie_auto_reaped, memout_teardown),
		cmocka_unit_test_teardown(summary_of_a_log_cut_short, memout_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
