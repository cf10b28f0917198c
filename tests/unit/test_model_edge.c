// SPDX-License-Identifier: BSD-2-Clause
/*
 * What the kernel's records look like when things go wrong or race: pid
 * reuse, records out of order, records lost, bootstrap snapshots that
 * overlap live records. The model must neither crash nor make things up.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "check.h"
#include "synth.h"

#define INIT 1
#define P 100

static int lives(struct synth *s, __u32 pid)
{
	int n = 0;

	for (const struct pl_proc *p = pl_model_next(s->m, NULL); p; p = pl_model_next(s->m, p))
		n += p->pid == pid;
	return n;
}

/* wait4 returns after the pid is free: the next life's fork can come first */
static void pid_reuse_reap_after_fork(void **state)
{
	struct synth *s = sy_world();
	__u64 first, second;

	(void)state;
	sy_fork(s, 200, P);
	first = s->start[200];
	sy_exit(s, 200, W_EXIT(1));
	sy_zombie(s, 200, W_EXIT(1));
	s->hold = true;
	sy_reap(s, 200, P, 0, W_EXIT(1)); /* held[0] */
	sy_free_task(s, 200, W_EXIT(1)); /* held[1] */
	sy_fork(s, 200, P);               /* held[2]: same pid, new life */
	second = s->start[200];
	sy_exit(s, 200, W_EXIT(2));       /* held[3] */
	sy_release_held(s, (int[]){ 2, 0, 3, 1, -1 });
	ASSERT_EQ(lives(s, 200), 1, "lives of 200 in the table"); /* the first is gone, the second stays */
	ASSERT_NULL(pl_model_find_life(s->m, 200, first), "the first life of 200");
	ASSERT_EQ(sy_find(s, 200)->start, second, "200's start");
	ASSERT_EQ(sy_find(s, 200)->status, W_EXIT(2), "200's status");
	ASSERT_EQ(sy_find(s, 200)->state, PL_ST_EXITED, "200's state");
	ASSERT_EQ(pl_model_counts(s->m)->reaps[PL_RK_WAIT], 1, "wait reaps counted");
	ASSERT_EQ(pl_model_counts(s->m)->exit_code, 2, "exits with a code counted");
	sy_free(s);
}

/* a reaped life whose free was lost is let go when its pid comes back */
static void pid_reuse_frees_lost_free(void **state)
{
	struct synth *s = sy_world();

	(void)state;
	sy_fork(s, 200, P);
	sy_exit(s, 200, 0);
	sy_zombie(s, 200, 0);
	sy_reap(s, 200, P, 0, 0);
	ASSERT_EQ(lives(s, 200), 1, "lives of 200 in the table");
	sy_fork(s, 200, P);
	ASSERT_EQ(lives(s, 200), 1, "lives of 200 in the table");
	ASSERT_EQ(sy_find(s, 200)->state, PL_ST_RUNNING, "200's state");
	ASSERT_EQ(pl_model_counts(s->m)->pid_reuses, 1, "pid reuses counted");
	sy_free(s);
}

/* a life whose end records were all lost, its pid taken by a later life:
 * once every record is read it has ended, its end unseen, not running */
static void pid_reuse_ends_a_life_whose_end_was_lost(void **state)
{
	struct synth *s = sy_world();
	const struct pl_proc *p;
	__u64 first;

	(void)state;
	sy_fork(s, 200, P);
	first = s->start[200];
	sy_sleep(s, MS);
	sy_fork(s, 200, P); /* its exit, reap and free never came */
	p = pl_model_find_life(s->m, 200, first);
	ASSERT_NOT_NULL(p, "the first life, kept for a late reap");
	ASSERT_FALSE(pl_proc_alive(p), "the first life is not alive");
	pl_model_settle(s->m);
	ASSERT_EQ(p->state, PL_ST_FREED, "the first life has ended");
	ASSERT_EQ(pl_model_counts(s->m)->uncertain[PL_U_END_UNSEEN], 1,
		  "an end unseen, said as uncertain");
	ASSERT_EQ(sy_find(s, 200)->state, PL_ST_RUNNING, "the second life runs");
	sy_free(s);
}

/* the unmatched reap (no start) goes to the zombie the reaper owns */
static void unmatched_reap_matches_reaper(void **state)
{
	struct synth *s = sy_world();

	(void)state;
	sy_fork(s, 200, P);
	sy_exit(s, 200, 0);
	sy_zombie(s, 200, 0);
	sy_sleep(s, 7 * MS);
	sy_reap(s, 200, P, PL_F_UNMATCHED, 0);
	ASSERT_EQ(sy_find(s, 200)->state, PL_ST_REAPED, "200's state");
	ASSERT_EQ(sy_find(s, 200)->reaper, P, "200's reaper");
	ASSERT_EQ(sy_find(s, 200)->zombie_ns, 7 * MS + 1000, "200's zombie_ns"); /* from our own clock */
	ASSERT_EQ(pl_model_counts(s->m)->uncertain[PL_U_REAP_UNMATCHED], 0, "uncertain facts (reap unmatched)");
	sy_free(s);
}

/* a reap whose status the kernel side did not see counts no end: 0 would
 * be a guess */
static void reap_of_unknown_status_counts_no_end(void **state)
{
	struct synth *s = sy_world();
	const struct pl_counts *c = pl_model_counts(s->m);

	(void)state;
	sy_reap(s, 300, P, PL_F_UNMATCHED | PL_F_STATUS_UNKNOWN, 0);
	ASSERT_EQ(c->exit_code + c->exit_signal + c->exit_core, 0, "ends counted");
	sy_reap(s, 301, P, PL_F_UNMATCHED, 0);
	ASSERT_EQ(c->exit_code, 1, "the end of a reap whose status was seen");
	sy_free(s);
}

static void reap_before_zombie(void **state)
{
	struct synth *s = sy_world();
	const struct pl_counts *c = pl_model_counts(s->m);
	const struct pl_proc *p;

	(void)state;
	sy_fork(s, 200, P);
	s->hold = true;
	sy_exit(s, 200, W_EXIT(3));       /* 0 */
	sy_zombie(s, 200, W_EXIT(3));     /* 1 */
	sy_sleep(s, 2 * MS);
	sy_reap(s, 200, P, 0, W_EXIT(3)); /* 2 */
	sy_release_held(s, (int[]){ 2, 0, 1, -1 });
	p = sy_find(s, 200);
	ASSERT_EQ(p->state, PL_ST_REAPED, "p's state"); /* the late records don't undo it */
	ASSERT_EQ(p->zombie_ns, 2 * MS + 1000, "p's zombie_ns");
	ASSERT_EQ(p->reaper, P, "p's reaper");
	ASSERT_EQ(c->zombies, 1, "zombies counted");
	ASSERT_EQ(c->exit_code, 1, "exits with a code counted");
	ASSERT_EQ(c->uncertain[PL_U_REAP_EARLY], 0, "uncertain facts (reap early)"); /* resolved by the late zombie */
	sy_free(s);
}

static void exit_without_fork(void **state)
{
	struct synth *s = sy_world();
	const struct pl_proc *p;

	(void)state;
	s->start[300] = 5 * MS;
	s->parent[300] = 250; /* neither known */
	s->start[250] = 4 * MS;
	sy_exit(s, 300, W_SIG(9));
	p = sy_find(s, 300);
	ASSERT_NOT_NULL(p, "process 300, first seen at its exit");
	ASSERT_TRUE(p->flags & PL_P_NO_BIRTH, "p's PL_P_NO_BIRTH");
	ASSERT_EQ(p->state, PL_ST_EXITED, "p's state");
	ASSERT_NOT_NULL(p->parent, "p's parent");
	ASSERT_EQ(p->parent->pid, 250, "p's parent's pid");
	ASSERT_TRUE(p->parent->flags & PL_P_PLACEHOLDER, "p's parent's PL_P_PLACEHOLDER");
	ASSERT_EQ(pl_model_counts(s->m)->uncertain[PL_U_NO_BIRTH], 1, "uncertain facts (no birth)");
	ASSERT_EQ(pl_model_counts(s->m)->uncertain[PL_U_PARENT_UNKNOWN], 1, "uncertain facts (parent unknown)");
	ASSERT_EQ(p->ppid_birth, 0, "p's ppid_birth"); /* not invented */
	sy_zombie(s, 300, W_SIG(9));
	sy_reap(s, 300, 250, 0, W_SIG(9));
	sy_free_task(s, 300, W_SIG(9));
	ASSERT_NULL(sy_find(s, 300), "process 300 in the table");
	ASSERT_NULL(sy_find(s, 250), "process 250 in the table"); /* the placeholder went with its only child */
	sy_free(s);
}

static void fork_arrives_late(void **state)
{
	struct synth *s = sy_world();

	(void)state;
	s->hold = true;
	sy_fork(s, 200, P);  /* 0 */
	sy_exec(s, 200, "/bin/ls", 0); /* 1 */
	sy_release_held(s, (int[]){ 1, 0, -1 });
	ASSERT_FALSE(sy_find(s, 200)->flags & PL_P_NO_BIRTH, "200's PL_P_NO_BIRTH");
	ASSERT_EQ(sy_find(s, 200)->ppid_birth, P, "200's ppid_birth");
	ASSERT_STR_EQ(sy_find(s, 200)->comm, "ls", "200's comm");
	ASSERT_EQ(pl_model_counts(s->m)->uncertain[PL_U_NO_BIRTH], 0, "uncertain facts (no birth)");
	ASSERT_EQ(pl_model_counts(s->m)->forks, 1, "forks counted");
	sy_free(s);
}

static void lost_zombie_record(void **state)
{
	struct synth *s = sy_world();

	(void)state;
	sy_fork(s, 200, P);
	sy_exit(s, 200, 0);
	/* zombie record dropped; the kernel side could not match the reap */
	sy_reap(s, 200, P, PL_F_UNMATCHED, 0);
	ASSERT_EQ(sy_find(s, 200)->zombie_ns, 0, "200's zombie_ns");
	ASSERT_EQ(pl_model_counts(s->m)->uncertain[PL_U_REAP_UNMATCHED], 1, "uncertain facts (reap unmatched)");
	ASSERT_EQ(pl_model_counts(s->m)->uncertain[PL_U_REAP_EARLY], 1, "uncertain facts (reap early)");
	sy_free(s);
}

static void lost_reap_record(void **state)
{
	struct synth *s = sy_world();
	const struct pl_event *e;

	(void)state;
	sy_fork(s, 200, P);
	sy_exit(s, 200, W_EXIT(2));
	sy_zombie(s, 200, W_EXIT(2));
	sy_sleep(s, 20 * MS);
	sy_free_task(s, 200, W_EXIT(2));
	e = sy_concl(s, PL_EV_REAP, 0);
	ASSERT_NOT_NULL(e, "the inferred reap");
	ASSERT_EQ(e->reaper, P, "e's reaper");
	ASSERT_EQ(e->zombie_ns, 20 * MS + 1000, "e's zombie_ns");
	ASSERT_EQ(e->status, W_EXIT(2), "e's status");
	ASSERT_FALSE(e->flags & PL_F_UNMATCHED, "e's PL_F_UNMATCHED");
	ASSERT_EQ(pl_model_counts(s->m)->reaps[PL_RK_INFERRED], 1, "inferred reaps counted");
	ASSERT_NULL(sy_find(s, 200), "process 200 in the table");
	sy_free(s);
}

/* the free overtook the wait: the real reap replaces the guess */
static void free_before_reap(void **state)
{
	struct synth *s = sy_world();
	const struct pl_counts *c = pl_model_counts(s->m);

	(void)state;
	sy_fork(s, 200, P);
	sy_fork(s, 201, 200); /* keeps 200 in the table after its free */
	sy_exit(s, 200, 0);
	sy_zombie(s, 200, 0);
	sy_free_task(s, 200, 0);
	ASSERT_EQ(c->reaps[PL_RK_INFERRED], 1, "inferred reaps counted");
	sy_reap(s, 200, P, 0, 0);
	ASSERT_EQ(c->reaps[PL_RK_INFERRED], 0, "inferred reaps counted");
	ASSERT_EQ(c->reaps[PL_RK_WAIT], 1, "wait reaps counted");
	ASSERT_EQ(c->uncertain[PL_U_REAP_INFERRED], 0, "uncertain facts (reap inferred)");
	ASSERT_EQ(sy_find(s, 200)->reap_kind, PL_RK_WAIT, "200's reap_kind");
	ASSERT_EQ(sy_find(s, 200)->state, PL_ST_FREED, "200's state");
	sy_free(s);
}

static void lost_exit_record(void **state)
{
	struct synth *s = sy_world();
	const struct pl_event *e;

	(void)state;
	sy_fork(s, 200, P);
	sy_free_task(s, 200, W_SIG(9));
	ASSERT_EQ(pl_model_counts(s->m)->uncertain[PL_U_END_UNSEEN], 1, "uncertain facts (end unseen)");
	ASSERT_EQ(pl_model_counts(s->m)->exit_signal, 1, "exits by a signal counted");
	e = sy_concl(s, PL_EV_REAP, 0);
	ASSERT_NOT_NULL(e, "the reap concluded from the free");
	ASSERT_TRUE(e->flags & PL_F_UNMATCHED, "e's PL_F_UNMATCHED"); /* no time to bound it with */
	sy_free(s);
}

static void lost_reparent_record(void **state)
{
	struct synth *s = sy_world();
	const struct pl_proc *c;

	(void)state;
	sy_fork(s, 200, P);
	sy_fork(s, 300, 200);
	sy_die(s, 200, 0, 1000);
	s->parent[300] = INIT; /* the reparent record is lost */
	sy_exit(s, 300, 0);
	c = sy_find(s, 300);
	ASSERT_PTR_EQ(c->parent, sy_find(s, INIT), "c's parent");
	ASSERT_TRUE(c->flags & PL_P_REPARENT_UNSEEN, "c's PL_P_REPARENT_UNSEEN");
	/* no record said what the adopter is, but pid 1 is init */
	ASSERT_EQ(c->adopter, PL_ADOPT_INIT, "c's adopter");
	ASSERT_EQ(c->old_parent, 200, "c's old_parent");
	ASSERT_EQ(pl_model_counts(s->m)->uncertain[PL_U_REPARENT_UNSEEN], 1, "uncertain facts (reparent unseen)");
	ASSERT_NULL(sy_find(s, 200), "process 200 in the table");
	/* an orphan all the same: counted at once, and told as a conclusion
	 * once its record had its time to come and did not */
	ASSERT_EQ(pl_model_counts(s->m)->orphans[PL_ADOPT_INIT], 1, "orphans counted");
	ASSERT_EQ(sy_nconcl(s, PL_EV_REPARENT), 0, "not told while its record may come");
	pl_model_settle(s->m);
	ASSERT_EQ(sy_nconcl(s, PL_EV_REPARENT), 1, "the orphaning concluded");
	ASSERT_EQ(sy_concl(s, PL_EV_REPARENT, 0)->old_parent, 200, "from its old parent");
	ASSERT_EQ(sy_concl(s, PL_EV_REPARENT, 0)->new_parent, INIT, "to its new one");
	sy_free(s);
}

/* the same, to an adopter that is not pid 1: what it is, no record said */
static void lost_reparent_record_to_another(void **state)
{
	struct synth *s = sy_world();

	(void)state;
	sy_fork(s, 200, P);
	sy_fork(s, 300, 200);
	sy_die(s, 200, 0, 1000);
	s->parent[300] = P;
	sy_exit(s, 300, 0);
	ASSERT_EQ(sy_find(s, 300)->adopter, PL_ADOPT_UNKNOWN, "its adopter");
	ASSERT_EQ(pl_model_counts(s->m)->orphans[PL_ADOPT_UNKNOWN], 1, "orphans counted");
	sy_free(s);
}

/* the reparent record is lost, but the child's exit says what its new
 * parent is as an adopter: the adoption is known, its moment is not */
static void lost_reparent_record_told_by_the_exit(void **state)
{
	struct synth *s = sy_world();
	const struct pl_proc *c;
	struct pl_event e;

	(void)state;
	sy_fork(s, 150, P); /* a subreaper */
	sy_fork(s, 200, 150);
	sy_fork(s, 300, 200);
	sy_die(s, 200, 0, 1000);
	s->parent[300] = 150;
	e = sy_ev_parented(s, PL_EV_EXIT, 300);
	e.flags = PL_F_GROUP_DEAD;
	e.parent_kind = PL_ADOPT_SUBREAPER;
	sy_emit(s, &e);
	c = sy_find(s, 300);
	ASSERT_PTR_EQ(c->parent, sy_find(s, 150), "c's parent");
	ASSERT_EQ(c->adopter, PL_ADOPT_SUBREAPER, "c's adopter");
	ASSERT_EQ(c->old_parent, 200, "c's old_parent");
	ASSERT_TRUE(c->flags & PL_P_REPARENT_UNSEEN, "c's PL_P_REPARENT_UNSEEN");
	ASSERT_TRUE(sy_find(s, 150)->flags & PL_P_SUBREAPER, "150's PL_P_SUBREAPER");
	ASSERT_EQ(pl_model_counts(s->m)->orphans[PL_ADOPT_SUBREAPER], 1,
		  "an orphan of a subreaper counted, as the tree shows it");
	/* a later record, past the time its own record had to come */
	sy_sleep(s, 200 * MS);
	sy_fork(s, 301, 150);
	ASSERT_EQ(sy_nconcl(s, PL_EV_REPARENT), 1, "concluded once its record's time passed");
	ASSERT_EQ(sy_concl(s, PL_EV_REPARENT, 0)->adopter, PL_ADOPT_SUBREAPER, "concluded so");
	sy_free(s);
}

/* the child's zombie record raced ahead of its reparent record */
static void reparent_after_zombie_of_adopted(void **state)
{
	struct synth *s = sy_world();
	const struct pl_proc *c;

	(void)state;
	sy_fork(s, 200, P);
	sy_fork(s, 300, 200);
	sy_exit(s, 200, 0);
	s->parent[300] = INIT;
	sy_exit(s, 300, 0);
	sy_zombie(s, 300, 0);
	s->parent[300] = 200;
	sy_reparent(s, 300, INIT, PL_ADOPT_INIT);
	c = sy_find(s, 300);
	ASSERT_FALSE(c->flags & PL_P_REPARENT_UNSEEN, "c's PL_P_REPARENT_UNSEEN");
	ASSERT_FALSE(c->flags & PL_P_ZOMBIE_ADOPTED, "c's PL_P_ZOMBIE_ADOPTED"); /* a zombie of init's, not 200's */
	ASSERT_EQ(c->adopter, PL_ADOPT_INIT, "c's adopter");
	ASSERT_EQ(pl_model_counts(s->m)->uncertain[PL_U_REPARENT_UNSEEN], 0, "uncertain facts (reparent unseen)");
	/* counted once, under the adopter the record says; concluded once */
	ASSERT_EQ(pl_model_counts(s->m)->orphans[PL_ADOPT_INIT], 1, "orphans adopted by init");
	ASSERT_EQ(pl_model_counts(s->m)->orphans[PL_ADOPT_UNKNOWN], 0, "none left unknown");
	pl_model_settle(s->m);
	ASSERT_EQ(sy_nconcl(s, PL_EV_REPARENT), 0, "its record came in time: no conclusion");
	sy_free(s);
}

static void thread_adopter_is_no_orphan(void **state)
{
	struct synth *s = sy_world();

	(void)state;
	sy_fork(s, 200, P);
	sy_reparent(s, 200, P, PL_ADOPT_THREAD);
	ASSERT_FALSE(sy_find(s, 200)->flags & PL_P_ORPHAN, "200's PL_P_ORPHAN");
	ASSERT_PTR_EQ(sy_find(s, 200)->parent, sy_find(s, P), "200's parent");
	ASSERT_EQ(pl_model_counts(s->m)->orphans[PL_ADOPT_INIT], 0, "orphans adopted by init counted");
	sy_free(s);
}

/* the tracer sleeps until a tick has work: the first zombie to reach the
 * threshold says when, and none once every zombie is flagged or reaped */
static void next_due_is_the_first_zombie_to_reach_the_threshold(void **state)
{
	struct synth *s = sy_new(100);
	__u64 first, second;

	(void)state;
	ASSERT_EQ(pl_model_next_due(s->m), 0, "due with no zombie");
	sy_fork(s, 200, INIT);
	sy_fork(s, 201, INIT);
	sy_exit(s, 201, 0);
	sy_zombie(s, 201, 0);
	first = s->zombie_at[201] + 100 * MS;
	sy_sleep(s, 30 * MS);
	sy_exit(s, 200, 0);
	sy_zombie(s, 200, 0);
	second = s->zombie_at[200] + 100 * MS;
	ASSERT_EQ(pl_model_next_due(s->m), first, "due: the older zombie's threshold");
	pl_model_tick(s->m, first - 1);
	ASSERT_EQ(sy_nconcl(s, PL_EV_ZOMBIE_LONG), 0, "long zombies before the threshold");
	ASSERT_EQ(pl_model_next_due(s->m), first, "due before the threshold");
	pl_model_tick(s->m, first);
	ASSERT_EQ(sy_nconcl(s, PL_EV_ZOMBIE_LONG), 1, "long zombies at the threshold");
	ASSERT_EQ(pl_model_next_due(s->m), second, "due once the older one is flagged");
	sy_reap(s, 200, INIT, PL_F_FINAL, 0);
	ASSERT_EQ(pl_model_next_due(s->m), 0, "due once the younger one is reaped");
	sy_free(s);
}

static void bootstrap(void **state)
{
	struct synth *s = sy_new(100);
	const struct pl_proc *z, *sr;

	(void)state;
	/* a child listed before its parent, a zombie, a subreaper */
	sy_proc(s, 400, 300, 40 * MS, PL_F_ZOMBIE, W_EXIT(9));
	ASSERT_TRUE(sy_find(s, 300)->flags & PL_P_PLACEHOLDER, "300's PL_P_PLACEHOLDER");
	sy_proc(s, 300, INIT, 30 * MS, PL_F_SUBREAPER, 0);
	sy_proc(s, INIT, 0, 1 * MS, 0, 0);
	z = sy_find(s, 400);
	sr = sy_find(s, 300);
	ASSERT_FALSE(sr->flags & PL_P_PLACEHOLDER, "sr's PL_P_PLACEHOLDER");
	ASSERT_TRUE(sr->flags & PL_P_SUBREAPER, "sr's PL_P_SUBREAPER");
	ASSERT_PTR_EQ(z->parent, sr, "z's parent");
	ASSERT_PTR_EQ(sr->parent, sy_find(s, INIT), "sr's parent");
	ASSERT_EQ(z->state, PL_ST_ZOMBIE, "z's state");
	ASSERT_TRUE(z->flags & PL_P_ZOMBIE_BEFORE, "z's PL_P_ZOMBIE_BEFORE");
	ASSERT_EQ(z->status, W_EXIT(9), "z's status");
	ASSERT_EQ(pl_model_counts(s->m)->uncertain[PL_U_PARENT_UNKNOWN], 0, "uncertain facts (parent unknown)");
	ASSERT_EQ(pl_model_counts(s->m)->bootstrap, 3, "processes found running counted");
	/* the pre-existing zombie crosses the threshold counted from bootstrap */
	pl_model_tick(s->m, s->now + 200 * MS);
	ASSERT_EQ(sy_nconcl(s, PL_EV_ZOMBIE_LONG), 1, "long-zombie conclusions");
	ASSERT_TRUE(sy_concl(s, PL_EV_ZOMBIE_LONG, 0)->flags & PL_F_ZOMBIE,
		    "its time a lower bound (a zombie already at bootstrap)");
	/* reaped by its parent: the kernel had no zombie record of it */
	sy_sleep(s, 300 * MS);
	sy_reap(s, 400, 300, PL_F_UNMATCHED, W_EXIT(9));
	ASSERT_EQ(sy_find(s, 400)->reaper, 300, "400's reaper");
	ASSERT_GE(sy_find(s, 400)->zombie_ns, 300 * MS, "400's zombie_ns");
	sy_free(s);
}

/* a zombie restated at the start of a later part of a log: its reap
 * tells its whole time (no lower bound), which makes its moment known;
 * one from before the trace's own start keeps its time a lower bound */
static void restated_zombie_reap_exact(void **state)
{
	struct synth *s = sy_new(100);
	const struct pl_proc *z;

	(void)state;
	sy_proc(s, INIT, 0, 1 * MS, 0, 0);
	sy_proc(s, 300, INIT, 30 * MS, 0, 0);
	s->zombie_at[400] = 500 * MS; /* before this part began (now: 1 s) */
	sy_proc(s, 400, 300, 40 * MS, PL_F_ZOMBIE, W_EXIT(3));
	sy_proc(s, 401, 300, 41 * MS, PL_F_ZOMBIE, W_EXIT(4));
	sy_sleep(s, 300 * MS);
	sy_reap(s, 400, 300, 0, W_EXIT(3));
	z = pl_model_find_life(s->m, 400, s->start[400]);
	ASSERT_TRUE(z != NULL, "400 kept");
	ASSERT_FALSE(z->flags & PL_P_ZOMBIE_BEFORE, "400's time a lower bound");
	ASSERT_EQ(z->zombie_ts, 500 * MS, "400's zombie moment");
	ASSERT_EQ(z->zombie_ns, s->now - 500 * MS, "400's zombie time");
	/* the kernel counted 401's from the bootstrap: at least */
	s->zombie_at[401] = 900 * MS;
	sy_reap(s, 401, 300, PL_F_ZOMBIE, W_EXIT(4));
	z = pl_model_find_life(s->m, 401, s->start[401]);
	ASSERT_TRUE(z != NULL, "401 kept");
	ASSERT_TRUE(z->flags & PL_P_ZOMBIE_BEFORE, "401's time a lower bound");
	sy_free(s);
}

/* zombies whose moments come out of order (records of several CPUs) are
 * flagged at their own thresholds, in the order of their moments, however
 * the ticks fall; one restated at a later part's start and then told by
 * its own record at an earlier moment is flagged at that moment */
static void zombies_flagged_in_the_order_of_their_moments(void **state)
{
	static const unsigned order[] = { 5, 1, 8, 0, 3, 9, 2, 7, 4, 6 };
	struct synth *s = sy_new(100);
	__u64 base, last = 0;

	(void)state;
	sy_proc(s, INIT, 0, 1 * MS, 0, 0);
	sy_fork(s, 300, INIT);
	for (__u32 k = 0; k < 10; k++)
		sy_fork(s, 400 + k, 300);
	base = s->now + 1 * MS;
	for (size_t i = 0; i < 10; i++) {
		s->now = base + order[i] * MS;
		sy_exit(s, 400 + order[i], 0);
		sy_zombie(s, 400 + order[i], 0);
	}
	/* restated at 50 ms, its own zombie record at 4.5 ms */
	s->now = base + 50 * MS;
	sy_proc(s, 420, 300, 2 * MS, PL_F_ZOMBIE, 0);
	s->now = base + 4 * MS + MS / 2 - 1000;
	sy_zombie(s, 420, 0);
	ASSERT_EQ(pl_model_next_due(s->m), s->zombie_at[400] + 100 * MS, "due: the first moment's");
	pl_model_tick(s->m, s->zombie_at[404] + 100 * MS);
	ASSERT_EQ(sy_nconcl(s, PL_EV_ZOMBIE_LONG), 5, "flagged by the fifth one's threshold");
	ASSERT_EQ(pl_model_next_due(s->m), s->zombie_at[420] + 100 * MS, "due: the restated one's");
	pl_model_tick(s->m, base + 1000 * MS);
	ASSERT_EQ(sy_nconcl(s, PL_EV_ZOMBIE_LONG), 11, "all flagged");
	ASSERT_EQ(pl_model_next_due(s->m), 0, "nothing due after");
	for (int i = 0; i < 11; i++) {
		const struct pl_event *z = sy_concl(s, PL_EV_ZOMBIE_LONG, i);

		ASSERT_EQ(z->ts, s->zombie_at[z->pid] + 100 * MS, "flagged at its own threshold");
		ASSERT_TRUE(z->ts > last, "flagged in the order of the moments");
		last = z->ts;
	}
	ASSERT_EQ(sy_concl(s, PL_EV_ZOMBIE_LONG, 5)->pid, 420, "the restated one, at its own moment");
	sy_free(s);
}

/* a zombie from before the trace, freed with no wait record matched: it
 * began and was reaped at moments unseen, so its time is not bounded at
 * all; the inferred reap says so, and no table counts a time for it */
static void bootstrap_zombie_reap_inferred(void **state)
{
	struct synth *s = sy_new(100);
	const struct pl_proc *z;
	const struct pl_event *r;

	(void)state;
	sy_proc(s, INIT, 0, 1 * MS, 0, 0);
	sy_proc(s, 300, INIT, 30 * MS, 0, 0);
	sy_proc(s, 400, 300, 40 * MS, PL_F_ZOMBIE, W_EXIT(23));
	sy_sleep(s, 2000 * MS);
	pl_model_tick(s->m, s->now); /* a zombie for at least 2 s of the trace: a long one */
	sy_free_task(s, 400, W_EXIT(23));
	ASSERT_EQ(sy_nconcl(s, PL_EV_REAP), 1, "an inferred reap concluded");
	r = sy_concl(s, PL_EV_REAP, 0);
	ASSERT_TRUE(r->flags & PL_F_INFERRED, "inferred");
	ASSERT_TRUE(r->flags & PL_F_ZOMBIE, "a zombie from before the trace");
	ASSERT_EQ(r->zombie_ns, 0, "no time claimed, not even an upper bound");
	z = pl_model_find_life(s->m, 400, s->start[400]);
	ASSERT_TRUE(!z || pl_zombie_time_unknown(z->flags), "the model says its time is unknown");
	ASSERT_EQ(pl_model_counts(s->m)->zombies_long, 1, "a long zombie all the same");
	ASSERT_TRUE(sy_concl(s, PL_EV_ZOMBIE_LONG, 0)->flags & PL_F_ZOMBIE,
		    "long for at least the time the trace saw it");
	sy_free(s);
}

/* born between attach and the bootstrap pass: both records, one process */
static void bootstrap_and_fork_merge(void **state)
{
	struct synth *s = sy_new(100);
	const struct pl_counts *c = pl_model_counts(s->m);
	int n = 0;

	(void)state;
	sy_proc(s, INIT, 0, 1 * MS, 0, 0);
	sy_fork(s, 200, INIT);
	sy_proc(s, 200, INIT, s->start[200], 0, 0);
	for (const struct pl_proc *p = pl_model_next(s->m, NULL); p; p = pl_model_next(s->m, p))
		n++;
	ASSERT_EQ(n, 2, "processes in the table");
	ASSERT_EQ(c->forks, 1, "forks counted");
	ASSERT_TRUE(sy_find(s, 200)->flags & PL_P_FORKED, "200's PL_P_FORKED");
	ASSERT_TRUE(sy_find(s, 200)->flags & PL_P_BOOTSTRAP, "200's PL_P_BOOTSTRAP");
	ASSERT_EQ(c->uncertain[PL_U_NO_BIRTH], 0, "uncertain facts (no birth)");
	sy_free(s);
}

static void derived_ignored(void **state)
{
	struct synth *s = sy_world();
	struct pl_event e;

	(void)state;
	sy_fork(s, 200, P);
	sy_exit(s, 200, 0);
	sy_zombie(s, 200, 0);
	e = sy_ev(s, PL_EV_REAP, 200);
	e.flags = PL_F_INFERRED | PL_F_DERIVED;
	e.ppid = P;
	pl_model_feed(s->m, &e);
	ASSERT_EQ(sy_find(s, 200)->state, PL_ST_ZOMBIE, "200's state");
	ASSERT_EQ(pl_model_counts(s->m)->events[PL_EV_REAP], 0, "reap records counted");
	sy_free(s);
}

static void duplicate_records(void **state)
{
	struct synth *s = sy_world();
	const struct pl_counts *c = pl_model_counts(s->m);

	(void)state;
	sy_fork(s, 200, P);
	sy_exit(s, 200, 0);
	sy_zombie(s, 200, 0);
	s->now -= 1000;
	sy_reap(s, 200, P, 0, 0);
	s->now -= 1000;
	sy_reap(s, 200, P, 0, 0);
	ASSERT_EQ(c->reaps[PL_RK_WAIT], 1, "wait reaps counted");
	ASSERT_EQ(c->exit_code, 1, "exits with a code counted");
	sy_free(s);
}

static void garbage_does_not_crash(void **state)
{
	struct synth *s = sy_world();
	struct pl_event e = { 0 };

	(void)state;
	for (unsigned k = 0; k < PL_EV_KINDS + 2; k++) {
		e.kind = k;
		e.pid = 77;
		e.ppid = 77; /* its own parent, by every name */
		e.new_parent = 77;
		e.adopter = 99;
		pl_model_feed(s->m, &e);
	}
	e.kind = PL_EV_FORK; /* a loop through two processes */
	e.pid = 78;
	e.start = 5;
	e.ppid = 79;
	e.pstart = 6;
	pl_model_feed(s->m, &e);
	e.pid = 79;
	e.start = 6;
	e.ppid = 78;
	e.pstart = 5;
	pl_model_feed(s->m, &e);
	ASSERT_NULL(sy_find(s, 78)->parent->parent, "78's parent's parent");
	/* and through three: 80 under 82 under 81 under 80 */
	for (__u32 pid = 80; pid <= 82; pid++) {
		e.pid = pid;
		e.start = pid;
		e.ppid = pid == 80 ? 82 : pid - 1;
		e.pstart = e.ppid;
		pl_model_feed(s->m, &e);
	}
	ASSERT_PTR_EQ(sy_find(s, 80)->parent, sy_find(s, 82), "80's parent");
	ASSERT_PTR_EQ(sy_find(s, 81)->parent, sy_find(s, 80), "81's parent");
	ASSERT_NULL(sy_find(s, 82)->parent, "82's parent, which would close the loop");
	sy_free(s);
}

/* a final reap (the kernel released the task in the wait) ends the life:
 * no free follows, and the table lets it go at once */
static void final_reap_releases(void **state)
{
	struct synth *s = sy_world();
	const struct pl_counts *c = pl_model_counts(s->m);
	unsigned long long live;

	(void)state;
	sy_fork(s, 700, P);
	live = c->live;
	sy_exit(s, 700, W_EXIT(2));
	sy_zombie(s, 700, W_EXIT(2));
	sy_reap(s, 700, P, PL_F_FINAL, W_EXIT(2));
	ASSERT_NULL(sy_find(s, 700), "process 700 in the table");
	ASSERT_EQ(c->live, live - 1, "processes live");
	ASSERT_EQ(c->reaps[PL_RK_WAIT], 1, "wait reaps counted");
	ASSERT_EQ(c->uncertain[PL_U_REAP_INFERRED], 0, "uncertain facts (reap inferred)");
	/* without the flag the life waits for its free */
	sy_fork(s, 701, P);
	sy_exit(s, 701, 0);
	sy_zombie(s, 701, 0);
	sy_reap(s, 701, P, 0, 0);
	ASSERT_NOT_NULL(sy_find(s, 701), "process 701 in the table");
	ASSERT_EQ(sy_find(s, 701)->state, PL_ST_REAPED, "701's state");
	sy_free_task(s, 701, 0);
	ASSERT_NULL(sy_find(s, 701), "process 701 in the table");
	sy_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(final_reap_releases),
		cmocka_unit_test(pid_reuse_reap_after_fork),
		cmocka_unit_test(pid_reuse_frees_lost_free),
		cmocka_unit_test(pid_reuse_ends_a_life_whose_end_was_lost),
		cmocka_unit_test(unmatched_reap_matches_reaper),
		cmocka_unit_test(reap_of_unknown_status_counts_no_end),
		cmocka_unit_test(reap_before_zombie),
		cmocka_unit_test(exit_without_fork),
		cmocka_unit_test(fork_arrives_late),
		cmocka_unit_test(lost_zombie_record),
		cmocka_unit_test(lost_reap_record),
		cmocka_unit_test(free_before_reap),
		cmocka_unit_test(lost_exit_record),
		cmocka_unit_test(lost_reparent_record),
		cmocka_unit_test(lost_reparent_record_to_another),
		cmocka_unit_test(lost_reparent_record_told_by_the_exit),
		cmocka_unit_test(reparent_after_zombie_of_adopted),
		cmocka_unit_test(thread_adopter_is_no_orphan),
		cmocka_unit_test(next_due_is_the_first_zombie_to_reach_the_threshold),
		cmocka_unit_test(bootstrap),
		cmocka_unit_test(restated_zombie_reap_exact),
		cmocka_unit_test(zombies_flagged_in_the_order_of_their_moments),
		cmocka_unit_test(bootstrap_zombie_reap_inferred),
		cmocka_unit_test(bootstrap_and_fork_merge),
		cmocka_unit_test(derived_ignored),
		cmocka_unit_test(duplicate_records),
		cmocka_unit_test(garbage_does_not_crash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
