// SPDX-License-Identifier: BSD-2-Clause
/*
 * What the model keeps of a process besides its lifecycle: its arguments
 * (shared with the children that inherit them, bounded), its whole name,
 * who it runs as and where, what it used, who killed it, its failed
 * execs; and the summary's tables of them. Strings are kept once, and let
 * go with the last process that holds them.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "check.h"
#include "synth.h"

#define ARGS(s) (s), sizeof(s)

static void arguments_are_kept_and_inherited(void **state)
{
	struct synth *s = sy_world();
	const struct pl_proc *p, *c;
	char big[3000];

	(void)state;
	sy_fork(s, 200, 100);
	sy_exec_args(s, 200, "/bin/sh", ARGS("sh\0-c\0echo hi"), false);
	sy_fork(s, 201, 200);
	p = sy_find(s, 200);
	c = sy_find(s, 201);
	ASSERT_EQ(p->argv_len, 14, "argv bytes");
	ASSERT_EQ(memcmp(p->argv, "sh\0-c\0echo hi", 14), 0, "argv");
	ASSERT_PTR_EQ(c->argv, p->argv, "a fork's child shares its parent's arguments");
	ASSERT_EQ(c->argv_len, 14, "the child's argv bytes");
	sy_exec_args(s, 201, "/bin/true", ARGS("true"), false);
	ASSERT_STR_EQ(c->argv, "true", "its own after its exec");
	ASSERT_STR_EQ(p->argv, "sh", "the parent's untouched");

	/* more than the model keeps: whole arguments, the rest cut */
	memset(big, 'a', sizeof(big));
	for (size_t i = 9; i < sizeof(big); i += 10)
		big[i] = 0;
	sy_fork(s, 202, 100);
	sy_exec_args(s, 202, "/bin/x", big, sizeof(big), false);
	p = sy_find(s, 202);
	ASSERT_EQ(p->argv_len, PL_ARGV_KEEP / 10 * 10, "bytes kept: whole arguments");
	ASSERT_TRUE(p->flags & PL_P_ARGV_CUT, "cut");
	sy_fork(s, 203, 100);
	sy_exec_args(s, 203, "/bin/y", ARGS("y"), true);
	ASSERT_TRUE(sy_find(s, 203)->flags & PL_P_ARGV_CUT, "cut by the kernel");
	/* one argument longer than the room: its beginning */
	memset(big, 'b', sizeof(big));
	sy_fork(s, 204, 100);
	sy_exec_args(s, 204, "/bin/z", big, sizeof(big), false);
	ASSERT_EQ(sy_find(s, 204)->argv_len, PL_ARGV_KEEP, "one long argument, cut");
	ASSERT_EQ(strlen(sy_find(s, 204)->argv), PL_ARGV_KEEP - 1, "one long argument, cut");
	sy_free(s);
}

static void whole_names(void **state)
{
	struct synth *s = sy_world();
	const struct pl_proc *p;

	(void)state;
	sy_fork(s, 200, 100);
	sy_exec_args(s, 200, "/usr/bin/proclife-workload", ARGS("proclife-workload\0all"), false);
	p = sy_find(s, 200);
	ASSERT_STR_EQ(p->comm, "proclife-worklo", "comm, cut by the kernel");
	ASSERT_STR_EQ(pl_proc_name(p), "proclife-workload", "the whole name, from the file");
	sy_fork(s, 201, 200);
	ASSERT_STR_EQ(pl_proc_name(sy_find(s, 201)), "proclife-workload", "a child's, inherited");
	/* a script run through its interpreter: argv[0] has it */
	sy_fork(s, 202, 100);
	sy_exec_args(s, 202, "/tmp/a-rather-long-script", ARGS("/tmp/a-rather-long-script\0-x"),
		     false);
	ASSERT_STR_EQ(pl_proc_name(sy_find(s, 202)), "a-rather-long-script", "from the file");
	/* a short name is whole */
	sy_fork(s, 203, 100);
	sy_exec_args(s, 203, "/bin/sleep", ARGS("sleep\0" "1"), false);
	ASSERT_STR_EQ(pl_proc_name(sy_find(s, 203)), "sleep", "a short name");
	ASSERT_NULL(sy_find(s, 203)->name, "no whole name kept for a short one");
	/* renamed since: comm no longer begins the whole name */
	sy_rename(s, 200, "worker-thread-0");
	sy_exit(s, 200, 0);
	ASSERT_STR_EQ(pl_proc_name(sy_find(s, 200)), "worker-thread-0", "a renamed process");
	sy_free(s);
}

static void who_and_where(void **state)
{
	struct synth *s = sy_world();
	const struct pl_proc *a, *b;
	char path[64];

	(void)state;
	sy_move(s, 100, "/system.slice/web.service", 7);
	sy_fork(s, 200, 100);
	sy_fork(s, 201, 100);
	a = sy_find(s, 200);
	b = sy_find(s, 201);
	ASSERT_TRUE(a->flags & PL_P_WHO, "who is known");
	ASSERT_STR_EQ(a->cgroup, "/system.slice/web.service", "the cgroup");
	ASSERT_PTR_EQ(a->cgroup, b->cgroup, "one copy for the processes of a cgroup");
	/* a path made apart, equal: still one copy */
	snprintf(path, sizeof(path), "%s", "/system.slice/web.service");
	sy_move(s, 202, path, 7);
	sy_proc(s, 202, 1, 3 * MS, 0, 0);
	ASSERT_PTR_EQ(sy_find(s, 202)->cgroup, a->cgroup, "one copy, whoever told it");
	sy_setuid(s, 200, 1000);
	sy_move(s, 200, NULL, 9); /* moved where the tracer could not name */
	sy_exec(s, 200, "/bin/id", 0);
	ASSERT_EQ(a->uid, 1000, "uid after setuid and exec");
	ASSERT_NULL(a->cgroup, "a cgroup not named is not the old one");
	ASSERT_EQ(a->cgroup_id, 9, "its id");
	/* the path kept last, let go by its only holder, then told again */
	sy_move(s, 201, "/gone.scope", 12);
	sy_exec(s, 201, "/bin/a", 0);
	sy_move(s, 201, NULL, 13);
	sy_exec(s, 201, "/bin/b", 0);
	ASSERT_NULL(b->cgroup, "moved where the tracer could not name");
	snprintf(path, sizeof(path), "%s", "/gone.scope");
	sy_move(s, 201, path, 12);
	sy_exec(s, 201, "/bin/c", 0);
	ASSERT_STR_EQ(b->cgroup, "/gone.scope", "a path told again after it was let go");
	ASSERT_PTR_EQ(a->cgroup, NULL, "the other process's path untouched");
	sy_free(s);
}

/* a fork copies its maker's credentials: a worker that dropped to another
 * user without an exec is that user from its first child on. Its cgroup
 * is not learned so (clone3 can start a child elsewhere) */
static void who_learned_from_a_child(void **state)
{
	struct synth *s = sy_world();
	const struct pl_proc *w;

	(void)state;
	sy_move(s, 100, "/system.slice/web.service", 7);
	sy_fork(s, 200, 100);
	w = sy_find(s, 200);
	ASSERT_EQ(w->uid, 0, "the worker as root at its birth");
	sy_setuid(s, 200, 33); /* setuid() with no exec: no record */
	sy_move(s, 200, "/other", 8);
	sy_fork(s, 300, 200);
	ASSERT_EQ(w->uid, 33, "the worker's uid, from its child's fork");
	ASSERT_EQ(w->euid, 33, "its euid too");
	ASSERT_TRUE(w->flags & PL_P_WHO_LEARNED, "a change no record of its own told");
	ASSERT_EQ(w->cgroup_id, 7, "its cgroup not guessed from the child's");
	{
		struct pl_event e = sy_ev_parented(s, PL_EV_EXIT, 200);

		sy_who(s, &e);
		e.cgroup_id = 7;
		ASSERT_FALSE(pl_model_who_known(s->m, &e),
			     "its exit says the learned user itself: its fork line said another");
	}
	ASSERT_EQ(sy_find(s, 100)->uid, 0, "its parent untouched");
	sy_exec(s, 200, "/bin/worker", 0);
	ASSERT_FALSE(w->flags & PL_P_WHO_LEARNED, "its exec told it itself");
	sy_free(s);
}

/* a whole process's exit says who it ran as at its end: a worker that
 * changed its user and cgroup and never forked or exec'd again */
static void who_told_at_exit(void **state)
{
	struct synth *s = sy_world();
	const struct pl_proc *w;
	struct pl_event e;

	(void)state;
	sy_move(s, 100, "/system.slice/web.service", 7);
	sy_fork(s, 200, 100);
	w = sy_find(s, 200);
	e = sy_ev_parented(s, PL_EV_EXIT, 200);
	sy_who(s, &e);
	ASSERT_TRUE(pl_model_who_known(s->m, &e), "an exit as what its fork said: nothing new");
	sy_setuid(s, 200, 33);
	sy_move(s, 200, "/other", 8);
	e = sy_ev_parented(s, PL_EV_EXIT, 200);
	sy_who(s, &e);
	ASSERT_FALSE(pl_model_who_known(s->m, &e), "a changed user and cgroup: news");
	sy_exit(s, 200, 0);
	ASSERT_EQ(w->uid, 33, "the worker's uid, from its exit");
	ASSERT_EQ(w->cgroup_id, 8, "its cgroup");
	ASSERT_STR_EQ(w->cgroup, "/other", "its cgroup's path");
	ASSERT_FALSE(w->flags & PL_P_WHO_LEARNED, "its own record told it");
	ASSERT_EQ(sy_find(s, 100)->uid, 0, "its parent untouched");
	sy_free(s);
}

static void usage_and_killer(void **state)
{
	struct synth *s = sy_world();
	const struct pl_proc *p;

	(void)state;
	sy_fork(s, 200, 100);
	sy_fork(s, 201, 100);
	sy_exit_with(s, 201, W_SIG(15), 3000, 1000, 2048, 200, PL_KILL_SENT);
	p = sy_find(s, 201);
	ASSERT_TRUE(p->flags & PL_P_USAGE, "usage known");
	ASSERT_EQ(p->cpu_user_ns, 3000, "user CPU");
	ASSERT_EQ(p->cpu_sys_ns, 1000, "system CPU");
	ASSERT_EQ(p->max_rss_kb, 2048, "peak memory");
	ASSERT_TRUE(p->flags & PL_P_KILLER, "killer known");
	ASSERT_EQ(p->killer, 200, "killer");
	ASSERT_EQ(p->killer_start, sy_find(s, 200)->start, "killer's start");
	ASSERT_STR_EQ(p->killer_comm, "p200", "killer's comm");
	ASSERT_EQ(p->kill_why, PL_KILL_SENT, "why");
	sy_free(s);
}

static void failed_execs(void **state)
{
	struct synth *s = sy_world();
	const struct pl_counts *c = pl_model_counts(s->m);
	const struct pl_fail_rec *f;
	const unsigned long long *more;
	const struct pl_proc *p;
	size_t n;

	(void)state;
	/* a $PATH search: two misses, then the exec that works */
	sy_fork(s, 200, 100);
	sy_exec_fail(s, 200, "/usr/local/bin/ls", ENOENT);
	sy_exec_fail(s, 200, "/usr/bin/ls", EACCES);
	sy_exec(s, 200, "/bin/ls", 0);
	/* a missing program: the failure stands */
	sy_fork(s, 201, 100);
	sy_exec_fail(s, 201, "/usr/local/bin/ls", ENOENT);
	sy_exit(s, 201, W_EXIT(127));
	p = sy_find(s, 200);
	ASSERT_EQ(p->exec_fails, 2, "failed execs of the searcher");
	ASSERT_EQ(p->fails_pending, 0, "none since its exec");
	ASSERT_EQ(p->fail_errno, EACCES, "the last one's errno");
	ASSERT_STR_EQ(p->fail_file, "/usr/bin/ls", "the last one's file");
	ASSERT_EQ(sy_find(s, 201)->fails_pending, 1, "the failure that stood");
	ASSERT_EQ(c->exec_fails, 3, "failed execs counted");
	ASSERT_EQ(c->fails_then_exec, 2, "of them, followed by an exec");
	f = pl_model_fail_recs(s->m, &n, &more);
	ASSERT_EQ(n, 2, "kinds of failure");
	ASSERT_STR_EQ(f[0].file, "/usr/local/bin/ls", "the first kind's file");
	ASSERT_EQ(f[0].err, ENOENT, "the first kind's errno");
	ASSERT_EQ(f[0].count[PL_SCOPE_MACHINE], 2, "the first kind's count");
	ASSERT_EQ(f[0].found[PL_SCOPE_MACHINE], 1, "of them, followed by an exec that worked");
	ASSERT_EQ(f[0].last_pid, 201, "the last process it happened to");
	ASSERT_EQ(f[1].found[PL_SCOPE_MACHINE], 1, "the second kind, a search's");
	ASSERT_EQ(f[1].count[PL_SCOPE_MACHINE], 1, "the second kind's count");
	ASSERT_EQ(more[PL_SCOPE_MACHINE], 0, "none left out");
	sy_free(s);
}

/* long zombies and orphans by the cgroup they were in */
static void by_cgroup(void **state)
{
	struct synth *s = sy_world();
	const struct pl_cgroup_rec *r;
	size_t n;

	(void)state;
	sy_move(s, 100, "/system.slice/leaky.service", 5);
	sy_fork(s, 200, 100);
	sy_fork(s, 201, 100);
	sy_die(s, 200, 0, 300 * MS);
	sy_die(s, 201, 0, 200 * MS);
	sy_fork(s, 202, 100);
	sy_fork(s, 300, 202);
	sy_die(s, 202, 0, 1000);
	sy_reparent(s, 300, 1, PL_ADOPT_INIT);
	r = pl_model_cgroup_recs(s->m, &n, NULL);
	ASSERT_EQ(n, 1, "cgroups with facts");
	ASSERT_STR_EQ(r[0].cgroup, "/system.slice/leaky.service", "the cgroup");
	ASSERT_EQ(r[0].of[PL_SCOPE_MACHINE].zombies_long, 2, "its long zombies");
	ASSERT_EQ(r[0].of[PL_SCOPE_MACHINE].zombie_ns, 500 * MS + 2000, "their time");
	ASSERT_EQ(r[0].of[PL_SCOPE_MACHINE].orphans, 1, "its orphans");
	ASSERT_EQ(r[0].of[PL_SCOPE_FOLLOWED].zombies_long, 0, "nothing followed");
	sy_free(s);
}

static void most_used(void **state)
{
	struct synth *s = sy_world();
	const struct pl_usage_rec *u;
	unsigned long long ended;
	size_t n;

	(void)state;
	pl_model_follow(s->m, 100);
	for (__u32 i = 0; i < 40; i++) {
		sy_fork(s, 200 + i, 100);
		sy_exit_with(s, 200 + i, 0, i * 1000, 500, 1000 + (i * 7 % 40), 0, 0);
	}
	u = pl_model_top_cpu(s->m, 100, &n, &ended);
	ASSERT_EQ(n, PL_TOP_USAGE, "most CPU: kept");
	ASSERT_EQ(ended, 40, "processes ended with their use");
	ASSERT_EQ(u[0].pid, 239, "the most CPU");
	ASSERT_EQ(u[0].cpu_ns, 39500, "its CPU");
	for (size_t i = 1; i < n; i++)
		ASSERT_LE(u[i].cpu_ns, u[i - 1].cpu_ns, "most first");
	u = pl_model_top_rss(s->m, 0, &n, &ended);
	ASSERT_EQ(u[0].max_rss_kb, 1039, "the most memory, machine-wide");
	ASSERT_EQ(u[n - 1].max_rss_kb, 1008, "the last kept");
	sy_free(s);
}

/* a model whose summary nobody will print keeps no rankings; what it
 * counts is the same */
static void rankings_only_for_a_summary(void **state)
{
	struct synth *s[2];
	const struct pl_usage_rec *u;
	unsigned long long ended;
	size_t n;

	(void)state;
	for (int w = 0; w < 2; w++) {
		struct pl_model_opts o = { .conclude = sy_conclude, .no_summary = w == 1 };

		s[w] = sy_world();
		pl_model_free(s[w]->m);
		o.ctx = s[w];
		s[w]->m = pl_model_new(&o);
		sy_proc(s[w], 1, 0, 1 * MS, 0, 0);
		sy_proc(s[w], 100, 1, 2 * MS, 0, 0);
		for (__u32 i = 0; i < 10; i++) {
			sy_fork(s[w], 200 + i, 100);
			sy_exit_with(s[w], 200 + i, 0, 1000 + i, 0, 100 + i, 0, 0);
			sy_zombie(s[w], 200 + i, 0);
			sy_sleep(s[w], (i + 1) * MS);
			sy_reap(s[w], 200 + i, 100, 0, 0);
		}
	}
	u = pl_model_top_cpu(s[0]->m, 0, &n, &ended);
	ASSERT_EQ(n, 10, "most CPU, for a summary");
	ASSERT_EQ(u[0].pid, 209, "the most CPU");
	pl_model_zombie_recs(s[0]->m, &n);
	ASSERT_EQ(n, 10, "longest zombies, for a summary");
	pl_model_top_cpu(s[1]->m, 0, &n, &ended);
	ASSERT_EQ(n, 0, "most CPU, no summary");
	pl_model_top_rss(s[1]->m, 0, &n, &ended);
	ASSERT_EQ(n, 0, "most memory, no summary");
	pl_model_zombie_recs(s[1]->m, &n);
	ASSERT_EQ(n, 0, "longest zombies, no summary");
	ASSERT_EQ(pl_model_counts(s[1]->m)->zombies, pl_model_counts(s[0]->m)->zombies,
		  "zombies counted alike");
	ASSERT_EQ(pl_model_counts(s[1]->m)->zombies, 10, "each zombie counted");
	sy_free(s[0]);
	sy_free(s[1]);
}

/* a storm of processes with arguments, cgroups and failed execs of their
 * own: the strings go with them, and the history keeps its own bounded */
static void strings_follow_what_is_kept(void **state)
{
	struct synth *s = sy_world_hist(64);
	size_t base = pl_model_bytes(s->m), peak = 0;
	char args[64], cg[64];

	(void)state;
	for (unsigned i = 0; i < 20000; i++) {
		__u32 kid = 300 + i % 30000;
		int len = snprintf(args, sizeof(args), "worker%c--job=%u", 0, i);

		snprintf(cg, sizeof(cg), "/job-%u.scope", i);
		sy_move(s, 100, cg, i + 10);
		sy_fork(s, kid, 100);
		sy_exec_fail(s, kid, cg, ENOENT);
		sy_exec_args(s, kid, "/usr/bin/worker", args, (size_t)len + 1, false);
		sy_exit_with(s, kid, 0, i, i, i, 0, 0);
		sy_zombie(s, kid, 0);
		sy_reap(s, kid, 100, 0, 0);
		sy_free_task(s, kid, 0);
		if (pl_model_bytes(s->m) > peak)
			peak = pl_model_bytes(s->m);
	}
	print_message("20,000 processes with strings: %zu bytes at rest, %zu at peak, %zu at the "
		      "end\n", base, peak, pl_model_bytes(s->m));
	ASSERT_LT(pl_model_bytes(s->m) - base, 64 * 600 + 16384, "bytes at the end: 64 dead nodes");
	ASSERT_LT(peak - pl_model_bytes(s->m), 2048, "peak over the end");
	sy_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(arguments_are_kept_and_inherited),
		cmocka_unit_test(whole_names),
		cmocka_unit_test(who_and_where),
		cmocka_unit_test(who_learned_from_a_child),
		cmocka_unit_test(who_told_at_exit),
		cmocka_unit_test(usage_and_killer),
		cmocka_unit_test(failed_execs),
		cmocka_unit_test(by_cgroup),
		cmocka_unit_test(most_used),
		cmocka_unit_test(rankings_only_for_a_summary),
		cmocka_unit_test(strings_follow_what_is_kept),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
