// SPDX-License-Identifier: BSD-2-Clause
/* proclife-workload: runs the process patterns and writes down what it did. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include "util/args.h"
#include "util/diag.h"
#include "util/stdfds.h"
#include "util/version.h"
#include "workload/manifest.h"
#include "workload/wl.h"

const struct wl_scenario wl_scenarios[] = {
	{ "fork-wait", "N children exit with codes 10, 11, 12 and on (past 255 they wrap, as exit codes do); the parent wait()s for any", 0, sc_fork_wait },
	{ "waitpid", "the parent reaps children by pid, in reverse birth order", 0, sc_waitpid },
	{ "waitpid-nohang", "the parent polls waitpid(-1, WNOHANG) while busy", 0, sc_waitpid_nohang },
	{ "zombie", "a child exits; the parent holds it a zombie for --hold-ms, then reaps", 0, sc_zombie },
	{ "zombie-never-reaped", "a parent never waits and exits: its zombie goes to init", 0, sc_zombie_never_reaped },
	{ "orphan", "a parent exits while its child runs: init adopts the orphan", 0, sc_orphan },
	{ "subreaper", "a PR_SET_CHILD_SUBREAPER process adopts and reaps a grandchild", 0, sc_subreaper },
	{ "double-fork", "child forks a grandchild and exits at once; the grandchild is orphaned", 0, sc_double_fork },
	{ "exit-codes", "exit(), _exit(), return from main, SIGTERM, SIGKILL, abort(), a fault", 0, sc_exit_codes },
	{ "daemon-children", "a parent terminates its daemonic children as it exits", 0, sc_daemon_children },
	{ "pool", "--workers processes run --tasks tasks fed through a pipe", 0, sc_pool },
	{ "spawn-churn", "one new process per task, --tasks of them", 0, sc_spawn_churn },
	{ "nice", "children run at nice +9, +19 and -9 (-9 needs root)", 2, sc_nice },
	{ "auto-reap", "SIGCHLD set to SIG_IGN, then SA_NOCLDWAIT: children are never zombies", 0, sc_auto_reap },
	{ "sigchld-handler", "the parent reaps from a SIGCHLD handler", 0, sc_sigchld_handler },
	{ "threads", "a process starts threads that exit, one still running at exit", 0, sc_threads },
	{ "exec", "a child execs this program again under a known name", 0, sc_exec },
	{ "exec-from-thread", "a non-leader thread calls execve", 0, sc_exec_from_thread },
	{ "vfork", "vfork then exec, and vfork then _exit", 0, sc_vfork },
	{ "pid-reuse", "the same pid handed out twice via ns_last_pid (needs root)", 1, sc_pid_reuse },
	{ "pidns", "an init in a new pid namespace adopts and reaps an orphan (needs root)", 1, sc_pidns },
	{ "as-user", "a child becomes uid and gid 65534 and execs (needs root)", 1, sc_as_user },
	{ "cgroup", "a child moves into a new cgroup v2 directory and execs; the directory is removed after (needs root)", 1, sc_cgroup },
	{ "usage", "a child burns 100 ms of CPU over 16 MiB it touched, another in a thread its main thread left; wait4 says what each used", 0, sc_usage },
	{ "storm", "fork and reap as fast as possible, -n times or for --seconds", 0, sc_storm },
};
const int wl_nscenarios = sizeof(wl_scenarios) / sizeof(wl_scenarios[0]);

/* options that one scenario or two read: given for another, they would do
 * nothing, and a run that ignores what it was told is no ground truth */
static const struct {
	int opt;
	const char *name, *scenarios; /* the scenarios that read it */
} narrow[] = {
	{ 'W', "--workers", "pool" },
	{ 'T', "--tasks", "pool spawn-churn" },
	{ 'R', "--rate", "storm" },
	{ 'S', "--seconds", "storm" },
};

/* 0, or a usage error's status after saying which option scenario one
 * does not read (NULL: all, where each goes to the scenarios that read it) */
static int options_apply(const struct wl_scenario *one, unsigned seen, const int *singles,
			 unsigned nsingles)
{
	bool given[128] = { false };
	char word[64];

	for (unsigned i = 0; i < nsingles && i < 32; i++)
		if (singles[i] > 0 && singles[i] < 128)
			given[singles[i]] = seen & 1u << i;
	if (given['n'] && given['S'])
		return usage_error("-n and --seconds both say when the storm ends: give one");
	if (!one)
		return 0;
	snprintf(word, sizeof(word), " %s ", one->name);
	for (size_t i = 0; i < sizeof(narrow) / sizeof(narrow[0]); i++) {
		char readers[64];

		snprintf(readers, sizeof(readers), " %s ", narrow[i].scenarios);
		if (given[narrow[i].opt] && !strstr(readers, word))
			return usage_error("%s does nothing for %s (it is read by: %s)", narrow[i].name,
					   one->name, narrow[i].scenarios);
	}
	return 0;
}

static void usage(FILE *f)
{
	fputs("usage: proclife-workload SCENARIO [options]\n"
	      "       proclife-workload --list\n"
	      "\n"
	      "  -n N              how many children (scenario's default otherwise)\n"
	      "  --hold-ms MS      how long zombies are held on purpose (default 300)\n"
	      "  --workers K       pool workers (default 3)\n"
	      "  --tasks M         pool and spawn-churn tasks (default 12)\n"
	      "  --rate R          storm: forks per second (default: as fast as possible)\n"
	      "  --seconds S       storm: run for S seconds instead of -n forks\n"
	      "  --manifest FILE   write what was done as JSON\n"
	      "  --list            list the scenarios\n"
	      "  -h, --help        this text\n"
	      "  --version         which version this is\n"
	      "\n"
	      "SCENARIO 'all' runs every scenario in turn. Without root, pid-reuse, pidns,\n"
	      "as-user and cgroup are skipped and nice runs without its negative level.\n", f);
}

static void list(void)
{
	for (int i = 0; i < wl_nscenarios; i++)
		printf("%-20s %s\n", wl_scenarios[i].name, wl_scenarios[i].help);
	printf("%-20s %s\n", "all", "every scenario above in turn");
}

static int number(const char *opt, const char *s, int min, int max, int *out)
{
	unsigned long v;

	if (parse_uint(opt, s, (unsigned long)min, (unsigned long)max, &v))
		return EXIT_USAGE;
	*out = (int)v;
	return 0;
}

static void on_signal(int sig)
{
	wl_stop = sig;
}

static void catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	/* no SA_RESTART: blocking waits return EINTR and look at wl_stop */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* a child that dies before reading its gate must not take us along */
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

static int run_one(const struct wl_scenario *sc, const struct wl_opts *o, FILE *man)
{
	struct wl_run run = { .scenario = sc->name, .result = "ok" };
	int ret = 0;

	run.begin_ns = wl_now();
	if (sc->needs_root == 1 && !wl_is_root())
		wl_skip(&run, "needs root");
	else
		ret = sc->run(&run, o);
	if (wl_stop) {
		run.result = "interrupted";
		snprintf(run.reason, sizeof(run.reason), "stopped by %s",
			 wl_stop == SIGINT ? "SIGINT" : wl_stop == SIGTERM ? "SIGTERM" : "a signal");
	} else if (ret < 0) {
		run.result = "failed";
		if (!run.reason[0])
			snprintf(run.reason, sizeof(run.reason), "see stderr");
	}
	/* nothing may outlive its scenario, whatever happened */
	if (wl_stop || ret < 0)
		wl_kill_all();
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	run.end_ns = wl_now();
	if (man)
		manifest_run(man, &run);
	if (!strcmp(run.result, "ok"))
		note("%s: ok", sc->name);
	wl_table_reset();
	return wl_stop ? WL_INTR : ret < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "hold-ms", required_argument, NULL, 'H' },
		{ "workers", required_argument, NULL, 'W' },
		{ "tasks", required_argument, NULL, 'T' },
		{ "rate", required_argument, NULL, 'R' },
		{ "seconds", required_argument, NULL, 'S' },
		{ "manifest", required_argument, NULL, 'm' },
		{ "list", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 },
	};
	/* each takes one value: given twice, which would be meant? */
	static const int single_valued[] = { 'n', 'H', 'W', 'T', 'R', 'S', 'm' };
	struct wl_opts o = { .hold_ms = 300, .workers = 3, .tasks = 12 };
	const char *name;
	unsigned seen = 0;
	int c, failed = 0, ret = 0;
	bool listing = false;
	FILE *man = NULL;

	if (argc > 1 && !strcmp(argv[1], "--exec-child"))
		return wl_exec_child_main(argc - 1, argv + 1);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":n:hm:", longs, NULL)) != -1) {
		int bad = 0;

		if (option_once(&seen, c, single_valued, sizeof(single_valued) / sizeof(*single_valued),
				"n:m:", longs))
			return EXIT_USAGE;
		switch (c) {
		case 'n': bad = number("-n", optarg, 1, 100000, &o.n); break;
		case 'H': bad = number("--hold-ms", optarg, 0, 60000, &o.hold_ms); break;
		case 'W': bad = number("--workers", optarg, 1, 256, &o.workers); break;
		case 'T': bad = number("--tasks", optarg, 1, 100000, &o.tasks); break;
		case 'R': bad = number("--rate", optarg, 1, 1000000, &o.rate); break;
		case 'S': bad = number("--seconds", optarg, 1, 3600, &o.seconds); break;
		case 'm': o.manifest = optarg; break;
		case 'l': listing = true; break;
		case 'h': usage(stdout); return stdout_done(0);
		case 'V': printf("proclife-workload %s\n", pl_version); return stdout_done(0);
		case ':':
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			return usage_error("unknown option '%s'", unknown_option(argv));
		}
		if (bad)
			return EXIT_USAGE;
	}
	if (listing) {
		if (optind < argc)
			return usage_error("--list lists every scenario: unexpected '%s'", argv[optind]);
		if (seen)
			return usage_error("--list lists every scenario, and takes no other option");
		list();
		return stdout_done(0);
	}
	if (optind >= argc)
		return usage_error("no scenario given (try --list)");
	name = argv[optind++];
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	const struct wl_scenario *one = NULL;

	for (int i = 0; i < wl_nscenarios; i++)
		if (!strcmp(wl_scenarios[i].name, name))
			one = &wl_scenarios[i];
	if (!one && strcmp(name, "all"))
		return usage_error("unknown scenario '%s' (try --list)", name);
	if (options_apply(one, seen, single_valued,
			  sizeof(single_valued) / sizeof(*single_valued)))
		return EXIT_USAGE;
	/* -n children alive at once (storm has one at a time): running out of
	 * pids would fail every process on the machine, not only this run */
	if (o.n && !(one && !strcmp(one->name, "storm"))) {
		long limit, room = wl_room_for_processes(&limit);

		if (room >= 0 && o.n > room) {
			error("-n %d: this machine has room for %ld more processes now (its limit is "
			      "%ld); give a smaller -n", o.n, room, limit);
			return EXIT_USAGE;
		}
	}

	/* orphans must go to init, not to us: we never adopt */
	prctl(PR_SET_CHILD_SUBREAPER, 0);
	wl_find_self();
	wl_find_cgroup();
	catch_signals();
	if (wl_table_init() < 0)
		return EXIT_ERROR;
	if (o.manifest && !(man = manifest_open(o.manifest, &o)))
		return EXIT_ERROR;
	if (man)
		fflush(man);

	for (int i = 0; i < wl_nscenarios && !wl_stop; i++) {
		if (one && one != &wl_scenarios[i])
			continue;
		ret = run_one(&wl_scenarios[i], &o, man);
		if (ret == WL_INTR)
			break;
		failed |= ret < 0;
	}
	if (man && manifest_close(man, wl_stop ? "interrupted" : failed ? "failed" : "ok") < 0)
		failed = 1;
	if (wl_stop)
		return 128 + wl_stop;
	return failed ? 1 : 0;
}
