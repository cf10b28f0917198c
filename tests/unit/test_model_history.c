// SPDX-License-Identifier: BSD-2-Clause
/*
 * What the model keeps of processes once they leave the table: the
 * record handed to exporters, the bounded history of ended processes for
 * the tree, and the counts of the followed subtree apart from the
 * machine's.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "check.h"
#include "synth.h"

#define INIT 1
#define KTHREADD 2
#define OTHER 60
#define P 100
#define ROOT 500

static const struct pl_proc *ended_pid(struct synth *s, __u32 pid)
{
	for (const struct pl_proc *p = pl_model_next_ended(s->m, NULL); p;
	     p = pl_model_next_ended(s->m, p))
		if (p->pid == pid)
			return p;
	return NULL;
}

/* the exporter sees each process once, whole, still under its parent */
static void release_reports_whole_record(void **state)
{
	struct synth *s = sy_world();

	(void)state;
	sy_fork(s, 200, P);
	sy_exec(s, 200, "/bin/false", 0);
	sy_die(s, 200, W_EXIT(1), 5 * MS);
	ASSERT_EQ(s->nrel, 1, "processes handed to on_release");
	ASSERT_EQ(s->rel[0].pid, 200, "released record 0's pid");
	ASSERT_EQ(s->rel[0].state, PL_ST_FREED, "released record 0's state");
	ASSERT_EQ(s->rel[0].status, W_EXIT(1), "released record 0's status");
	ASSERT_EQ(s->rel[0].reaper, P, "released record 0's reaper");
	ASSERT_EQ(s->rel[0].execs, 1, "released record 0's execs");
	ASSERT_STR_EQ(s->rel[0].comm, "false", "released record 0's comm");
	ASSERT_EQ(s->rel_parent[0], P, "released record 0's parent");
	ASSERT_NULL(sy_find(s, 200), "process 200 in the table");
	sy_free(s);
}

/* at the end the rest go out too, oldest first, and only once */
static void flush_reports_the_rest(void **state)
{
	struct synth *s = sy_world();

	(void)state;
	sy_fork(s, 200, P);
	sy_fork(s, 201, P);
	sy_die(s, 200, 0, 1000);
	pl_model_flush(s->m);
	ASSERT_EQ(s->nrel, 4, "processes handed to on_release");
	ASSERT_EQ(s->rel[0].pid, 200, "released record 0's pid"); /* released while tracing */
	ASSERT_EQ(s->rel[1].pid, INIT, "released record 1's pid");
	ASSERT_EQ(s->rel[2].pid, P, "released record 2's pid");
	ASSERT_EQ(s->rel[3].pid, 201, "released record 3's pid");
	ASSERT_EQ(s->rel[3].state, PL_ST_RUNNING, "released record 3's state");
	ASSERT_NOT_NULL(sy_find(s, 201), "process 201 in the table"); /* still there for the printers */
	pl_model_flush(s->m);
	ASSERT_EQ(s->nrel, 4, "processes handed to on_release");
	sy_die(s, 201, 0, 1000); /* reported already: not twice */
	ASSERT_EQ(s->nrel, 4, "processes handed to on_release");
	sy_free(s);
}

/* ended processes stay under their parent, up to the limit */
static void history_keeps_the_last(void **state)
{
	struct synth *s = sy_world_hist(3);
	const struct pl_counts *c = pl_model_counts(s->m);
	const struct pl_proc *p, *dead;
	int under = 0;

	(void)state;
	for (__u32 pid = 200; pid < 205; pid++) {
		sy_fork(s, pid, P);
		sy_die(s, pid, W_EXIT(pid - 200), 2 * MS);
	}
	ASSERT_EQ(c->live, 2, "processes live");
	ASSERT_EQ(c->released, 5, "processes released");
	ASSERT_EQ(sy_nended(s), 3, "ended processes kept");
	ASSERT_EQ(c->history_dropped, 2, "released processes dropped from the history counted");
	ASSERT_NULL(ended_pid(s, 201), "201 among the ended");
	dead = ended_pid(s, 204);
	ASSERT_NOT_NULL(dead, "204 among the ended");
	ASSERT_NULL(sy_find(s, 204), "process 204 in the table"); /* no rule can find it again */
	ASSERT_TRUE(dead->flags & PL_P_RELEASED, "dead's PL_P_RELEASED");
	ASSERT_EQ(dead->state, PL_ST_FREED, "dead's state");
	ASSERT_EQ(dead->status, W_EXIT(4), "dead's status");
	ASSERT_EQ(dead->zombie_ns, 2 * MS + 1000, "dead's zombie_ns");
	ASSERT_NULL(dead->filename, "dead's filename");
	p = sy_find(s, P);
	ASSERT_PTR_EQ(dead->parent, p, "dead's parent");
	for (const struct pl_proc *k = p->child; k; k = k->next_sib)
		under++;
	ASSERT_EQ(under, 3, "children linked under P");
	ASSERT_EQ(p->kids, 0, "p's kids");
	sy_free(s);
}

/* the notable (here one killed by a signal) are kept apart: the ordinary
 * lives after them do not push them out of the tree, and as many of them
 * again are kept */
static void history_keeps_the_notable(void **state)
{
	struct synth *s = sy_world_hist(3);
	const struct pl_counts *c = pl_model_counts(s->m);
	const struct pl_proc *killed;

	(void)state;
	sy_fork(s, 199, P);
	sy_die(s, 199, W_SIG(9), 2 * MS);
	for (__u32 pid = 200; pid < 205; pid++) {
		sy_fork(s, pid, P);
		sy_die(s, pid, W_EXIT(0), 2 * MS);
	}
	ASSERT_EQ(sy_nended(s), 4, "ended processes kept: 3 and the killed one");
	ASSERT_EQ(c->history_dropped, 2, "ordinary ones dropped");
	killed = ended_pid(s, 199);
	ASSERT_NOT_NULL(killed, "the killed one among the ended");
	ASSERT_PTR_EQ(killed->parent, sy_find(s, P), "still under its parent");
	for (__u32 pid = 300; pid < 305; pid++) {
		sy_fork(s, pid, P);
		sy_die(s, pid, W_SIG(15), 2 * MS);
	}
	ASSERT_NULL(ended_pid(s, 199), "the oldest notable, past 3 of them");
	ASSERT_EQ(sy_nended(s), 6, "3 ordinary, 3 notable");
	ASSERT_EQ(c->history_dropped, 5, "2 ordinary and 3 notable dropped");
	sy_free(s);
}

/* long zombies have a list of their own again: a storm of other notable
 * ends (here the killed) after one does not push it out of the tree, and
 * the walk over the ended goes through all three lists */
static void history_keeps_the_long_zombies(void **state)
{
	struct synth *s = sy_world_hist(3);
	const struct pl_counts *c = pl_model_counts(s->m);
	const struct pl_proc *z;

	(void)state;
	sy_fork(s, 198, P);
	sy_die(s, 198, W_EXIT(3), 250 * MS); /* past the 100 ms threshold */
	for (__u32 pid = 300; pid < 305; pid++) {
		sy_fork(s, pid, P);
		sy_die(s, pid, W_SIG(15), 2 * MS);
	}
	for (__u32 pid = 200; pid < 202; pid++) {
		sy_fork(s, pid, P);
		sy_die(s, pid, W_EXIT(0), 2 * MS);
	}
	z = ended_pid(s, 198);
	ASSERT_NOT_NULL(z, "the long zombie among the ended");
	ASSERT_TRUE(z->flags & PL_P_LONG_ZOMBIE, "it is flagged a long zombie");
	ASSERT_PTR_EQ(z->parent, sy_find(s, P), "still under its parent");
	ASSERT_NULL(ended_pid(s, 300), "the oldest killed, past 3 of them");
	ASSERT_NOT_NULL(ended_pid(s, 304), "the newest killed");
	ASSERT_NOT_NULL(ended_pid(s, 201), "the newest ordinary");
	ASSERT_EQ(sy_nended(s), 6, "2 ordinary, 3 killed, 1 long zombie");
	ASSERT_EQ(c->history_dropped, 2, "2 killed dropped");
	sy_free(s);
}

/* dead children do not keep their parent in the table: once it ends it
 * joins them, and the whole family leaves in release order */
static void history_family(void **state)
{
	struct synth *s = sy_world_hist(PL_HISTORY_DEFAULT);
	const struct pl_proc *mid, *kid;

	(void)state;
	sy_fork(s, 200, P);
	sy_fork(s, 300, 200);
	sy_die(s, 300, 0, 1000);
	ASSERT_NOT_NULL(sy_find(s, 200), "process 200 in the table");
	sy_die(s, 200, W_SIG(9), 1000);
	ASSERT_NULL(sy_find(s, 200), "process 200 in the table");
	mid = ended_pid(s, 200);
	kid = ended_pid(s, 300);
	ASSERT_NOT_NULL(mid, "200 among the ended");
	ASSERT_PTR_EQ(kid->parent, mid, "kid's parent");
	ASSERT_PTR_EQ(mid->child, kid, "mid's child");
	ASSERT_PTR_EQ(mid->parent, sy_find(s, P), "mid's parent");
	ASSERT_EQ(pl_model_counts(s->m)->live, 2, "processes live");
	sy_free(s);
}

static void history_none(void **state)
{
	struct synth *s = sy_world();

	(void)state;
	sy_fork(s, 200, P);
	sy_die(s, 200, 0, 1000);
	ASSERT_EQ(sy_nended(s), 0, "ended processes kept");
	ASSERT_NULL(sy_find(s, P)->child, "P's child");
	ASSERT_EQ(pl_model_counts(s->m)->history_dropped, 1, "released processes dropped from the history counted");
	sy_free(s);
}

static struct pl_model *default_model(void)
{
	return pl_model_new(NULL);
}

/* no options at all: the usual history */
static void history_default(void **state)
{
	struct pl_model *m = default_model();
	struct pl_event e = { .kind = PL_EV_PROC, .ts = 1, .pid = 7, .tid = 7, .start = 5 };

	(void)state;
	pl_model_feed(m, &e);
	e.kind = PL_EV_FREE;
	e.ts = 2;
	pl_model_feed(m, &e);
	ASSERT_NULL(pl_model_find(m, 7), "process 7 in the table");
	ASSERT_NOT_NULL(pl_model_next_ended(m, NULL), "an ended process kept");
	pl_model_free(m);
}

/* a machine busy outside the followed subtree, as a bootstrap sees it */
static struct synth *busy_machine(void)
{
	struct synth *s = sy_new(100);

	sy_proc(s, INIT, 0, 1 * MS, 0, 0);
	sy_proc(s, OTHER, INIT, 2 * MS, 0, 0);
	sy_proc(s, 61, OTHER, 3 * MS, PL_F_ZOMBIE, W_SIG(9));
	sy_proc(s, P, INIT, 4 * MS, PL_F_SUBREAPER, 0);
	sy_proc(s, 101, P, 5 * MS, 0, 0);
	pl_model_follow(s->m, P);
	for (__u32 pid = 400; pid < 410; pid++) {
		sy_fork(s, pid, OTHER);
		sy_exec(s, pid, "/bin/true", 0);
		sy_die(s, pid, W_EXIT(3), 200 * MS);
	}
	sy_wait(s, OTHER, true);
	return s;
}

/* -p: the summary's counts are the subtree's, not the machine's */
static void followed_counts(void **state)
{
	struct synth *s = busy_machine();
	const struct pl_counts *c = pl_model_counts(s->m), *fc;

	(void)state;
	sy_fork(s, 200, P);
	sy_thread(s, 200, 201);
	sy_exec(s, 200, "/bin/sh", 0);
	sy_fork(s, 300, 200);
	sy_wait(s, P, false);
	sy_die(s, 200, W_EXIT(2), 150 * MS);
	sy_reparent(s, 300, P, PL_ADOPT_SUBREAPER);
	sy_exit(s, 300, W_CORE(6));
	sy_zombie(s, 300, W_CORE(6));
	sy_reap(s, 300, P, PL_F_NOHANG, W_CORE(6));
	sy_waits_at_end(s);
	fc = pl_model_counts_of(s->m, P);
	ASSERT_TRUE(fc != c, "the followed subtree's own counts");
	ASSERT_PTR_EQ(pl_model_counts_of(s->m, 0), c, "the counts of everything");
	ASSERT_PTR_EQ(pl_model_counts_of(s->m, OTHER), c, "the counts of a pid not followed"); /* not followed */
	ASSERT_EQ(c->forks, 12, "forks counted");
	ASSERT_EQ(fc->forks, 2, "forks counted in the followed subtree");
	ASSERT_EQ(c->bootstrap, 5, "processes found running counted");
	ASSERT_EQ(fc->bootstrap, 2, "processes found running counted in the followed subtree");
	ASSERT_EQ(fc->threads, 1, "threads counted in the followed subtree");
	ASSERT_EQ(c->execs, 11, "execs counted");
	ASSERT_EQ(fc->execs, 1, "execs counted in the followed subtree");
	ASSERT_EQ(c->exit_code, 11, "exits with a code counted");
	ASSERT_EQ(fc->exit_code, 1, "exits with a code counted in the followed subtree");
	ASSERT_EQ(c->exit_signal, 1, "exits by a signal counted");
	ASSERT_EQ(fc->exit_signal, 0, "exits by a signal counted in the followed subtree");
	ASSERT_EQ(fc->exit_core, 1, "core dumps counted in the followed subtree");
	ASSERT_EQ(c->reaps[PL_RK_WAIT], 12, "wait reaps counted");
	ASSERT_EQ(fc->reaps[PL_RK_WAIT], 2, "wait reaps counted in the followed subtree");
	ASSERT_EQ(c->zombies, 13, "zombies counted");
	ASSERT_EQ(fc->zombies, 2, "zombies counted in the followed subtree");
	ASSERT_EQ(c->zombies_long, 11, "long zombies counted");
	ASSERT_EQ(fc->zombies_long, 1, "long zombies counted in the followed subtree");
	ASSERT_EQ(c->waits, 2, "waits counted");
	ASSERT_EQ(fc->waits, 1, "waits counted in the followed subtree");
	ASSERT_EQ(fc->nohang_polls, 0, "WNOHANG polls counted in the followed subtree");
	ASSERT_EQ(fc->nohang_reaps, 1, "WNOHANG reaps counted in the followed subtree");
	ASSERT_EQ(fc->orphans[PL_ADOPT_SUBREAPER], 1, "orphans adopted by subreaper counted in the followed subtree");
	ASSERT_EQ(fc->double_forks, 1, "double forks counted in the followed subtree");
	sy_free(s);
}

/* -- CMD: the root is followed before its fork record arrives */
static void followed_before_birth(void **state)
{
	struct synth *s = sy_world();
	const struct pl_counts *fc;

	(void)state;
	pl_model_follow(s->m, ROOT);
	sy_fork(s, 200, INIT); /* someone else's */
	sy_fork(s, ROOT, P);
	sy_fork(s, 501, ROOT);
	sy_die(s, 501, 0, 1000);
	sy_die(s, ROOT, W_EXIT(2), 1000);
	fc = pl_model_counts_of(s->m, ROOT);
	ASSERT_EQ(fc->forks, 2, "forks counted in the followed subtree");
	ASSERT_EQ(fc->bootstrap, 0, "processes found running counted in the followed subtree");
	ASSERT_EQ(fc->exit_code, 2, "exits with a code counted in the followed subtree");
	ASSERT_EQ(fc->reaps[PL_RK_WAIT], 2, "wait reaps counted in the followed subtree");
	ASSERT_EQ(pl_model_counts(s->m)->forks, 3, "forks counted");
	sy_free(s);
}

/* a process seen first by a late record joins the subtree when its fork
 * names a followed parent: what it did before counts there too */
static void followed_late_fork(void **state)
{
	struct synth *s = sy_world();
	const struct pl_counts *fc;
	int order[] = { 1, 0, -1 };

	(void)state;
	pl_model_follow(s->m, P);
	s->hold = true;
	sy_fork(s, 200, P);
	sy_exec(s, 200, "/bin/ls", 0);
	sy_release_held(s, order);
	fc = pl_model_counts_of(s->m, P);
	ASSERT_TRUE(sy_find(s, 200)->flags & PL_P_FOLLOWED, "200's PL_P_FOLLOWED");
	ASSERT_EQ(fc->execs, 1, "execs counted in the followed subtree");
	ASSERT_EQ(fc->forks, 1, "forks counted in the followed subtree");
	ASSERT_EQ(fc->bootstrap, 1, "processes found running counted in the followed subtree");
	sy_free(s);
}

/* a zombie from before tracing whose own record comes late is one zombie */
static void bootstrap_zombie_counted_once(void **state)
{
	struct synth *s = sy_world();

	(void)state;
	sy_proc(s, 200, P, 3 * MS, PL_F_ZOMBIE, W_EXIT(1));
	sy_zombie(s, 200, W_EXIT(1));
	ASSERT_EQ(pl_model_counts(s->m)->zombies, 1, "zombies counted");
	sy_free(s);
}

/* pid 0 is the idle task: init and kthreadd have no parent, and that is
 * neither a placeholder nor a doubt */
static void parent_pid_zero(void **state)
{
	struct synth *s = sy_new(100);
	const struct pl_counts *c = pl_model_counts(s->m);
	unsigned long long doubts = 0;

	(void)state;
	sy_proc(s, INIT, 0, 1 * MS, 0, 0);
	sy_proc(s, KTHREADD, 0, 1 * MS, 0, 0);
	sy_proc(s, 3, KTHREADD, 2 * MS, 0, 0);
	sy_exit(s, KTHREADD, 0); /* names its parent, 0, again */
	ASSERT_NULL(sy_find(s, 0), "process 0 in the table");
	ASSERT_NULL(sy_find(s, INIT)->parent, "INIT's parent");
	ASSERT_NULL(sy_find(s, KTHREADD)->parent, "KTHREADD's parent");
	ASSERT_FALSE(sy_find(s, INIT)->flags & PL_P_PLACEHOLDER, "INIT's PL_P_PLACEHOLDER");
	ASSERT_EQ(sy_find(s, INIT)->flags & PL_P_REPARENT_UNSEEN, 0, "INIT's PL_P_REPARENT_UNSEEN");
	for (unsigned u = 0; u < PL_UNCERTAIN; u++)
		doubts += c->uncertain[u];
	ASSERT_EQ(doubts, 0, "uncertain facts");
	ASSERT_EQ(c->live, 3, "processes live");
	sy_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(release_reports_whole_record),
		cmocka_unit_test(flush_reports_the_rest),
		cmocka_unit_test(history_keeps_the_last),
		cmocka_unit_test(history_keeps_the_notable),
		cmocka_unit_test(history_keeps_the_long_zombies),
		cmocka_unit_test(history_family),
		cmocka_unit_test(history_none),
		cmocka_unit_test(history_default),
		cmocka_unit_test(followed_counts),
		cmocka_unit_test(followed_before_birth),
		cmocka_unit_test(followed_late_fork),
		cmocka_unit_test(bootstrap_zombie_counted_once),
		cmocka_unit_test(parent_pid_zero),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
