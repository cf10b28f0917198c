// SPDX-License-Identifier: BSD-2-Clause
/*
 * Every scenario of the workload generator, played as the kernel reports
 * it, and what the model must make of it.
 */
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "check.h"
#include "synth.h"

#define INIT 1
#define SHELL 50
#define P 100

/* init and a shell were there before tracing; P is the scenario's parent */
static struct synth *world(unsigned zombie_ms)
{
	struct synth *s = sy_new(zombie_ms);

	sy_proc(s, INIT, 0, 1 * MS, 0, 0);
	sy_proc(s, SHELL, INIT, 2 * MS, 0, 0);
	sy_fork(s, P, SHELL);
	return s;
}

static void fork_wait(void **state)
{
	struct synth *s = world(100);
	const struct pl_counts *c = pl_model_counts(s->m);
	__u32 kid;

	(void)state;
	for (kid = 200; kid < 205; kid++)
		sy_fork(s, kid, P);
	for (kid = 200; kid < 205; kid++) {
		sy_wait(s, P, false);
		sy_exit(s, kid, W_EXIT(kid - 190));
		sy_zombie(s, kid, W_EXIT(kid - 190));
		sy_reap(s, kid, P, 0, W_EXIT(kid - 190));
		ASSERT_EQ(sy_find(s, kid)->reaper, P, "kid's reaper");
		ASSERT_EQ(sy_find(s, kid)->reap_kind, PL_RK_WAIT, "kid's reap_kind");
		ASSERT_EQ(sy_find(s, kid)->status, W_EXIT(kid - 190), "kid's status");
		sy_free_task(s, kid, W_EXIT(kid - 190));
		ASSERT_NULL(sy_find(s, kid), "process kid in the table"); /* released: nothing more to say */
	}
	ASSERT_EQ(c->forks, 6, "forks counted");
	ASSERT_EQ(c->exit_code, 5, "exits with a code counted");
	ASSERT_EQ(c->reaps[PL_RK_WAIT], 5, "wait reaps counted");
	ASSERT_EQ(c->zombies, 5, "zombies counted");
	ASSERT_EQ(c->zombies_long, 0, "long zombies counted");
	ASSERT_EQ(sy_nconcl(s, PL_EV_ZOMBIE_LONG), 0, "long-zombie conclusions");
	ASSERT_NULL(sy_find(s, P)->child, "P's child");
	sy_free(s);
}

static void waitpid_order(void **state)
{
	struct synth *s = world(100);
	__u32 order[] = { 203, 201, 202 };

	(void)state;
	for (__u32 kid = 201; kid <= 203; kid++) {
		sy_fork(s, kid, P);
		sy_exit(s, kid, 0);
		sy_zombie(s, kid, 0);
	}
	for (int i = 0; i < 3; i++)
		sy_reap(s, order[i], P, 0, 0);
	ASSERT_LT(sy_find(s, 203)->reap_ts, sy_find(s, 201)->reap_ts, "203 reaped before 201");
	ASSERT_LT(sy_find(s, 201)->reap_ts, sy_find(s, 202)->reap_ts, "201 reaped before 202");
	for (__u32 kid = 201; kid <= 203; kid++) {
		ASSERT_EQ(sy_find(s, kid)->reaper, P, "kid's reaper");
		ASSERT_EQ(sy_find(s, kid)->state, PL_ST_REAPED, "kid's state");
	}
	sy_free(s);
}

static void waitpid_nohang(void **state)
{
	struct synth *s = world(100);
	const struct pl_counts *c = pl_model_counts(s->m);

	(void)state;
	sy_fork(s, 200, P);
	for (int i = 0; i < 4; i++) {
		sy_wait(s, P, true);
		sy_sleep(s, 10 * MS);
	}
	sy_exit(s, 200, W_EXIT(0));
	sy_zombie(s, 200, W_EXIT(0));
	sy_sleep(s, 3 * MS); /* the poll latency */
	sy_wait(s, P, true);
	sy_reap(s, 200, P, PL_F_NOHANG, W_EXIT(0));
	sy_waits_at_end(s);
	ASSERT_EQ(c->nohang_polls, 5, "WNOHANG polls counted");
	ASSERT_EQ(c->nohang_reaps, 1, "WNOHANG reaps counted");
	ASSERT_EQ(sy_find(s, 200)->zombie_ns, 3 * MS + 2000, "200's zombie_ns");
	sy_free(s);
}

/* P's child 200 leaves its zombie child 300 unreaped, as far as records
 * say, and ends 90 ms later: when 300 became a zombie */
static __u64 zombie_when_its_parent_ends(struct synth *s)
{
	sy_fork(s, 200, P);
	sy_fork(s, 300, 200);
	sy_exit(s, 300, W_EXIT(0));
	sy_zombie(s, 300, W_EXIT(0));
	sy_sleep(s, 90 * MS);
	sy_exit(s, 200, W_EXIT(0));
	return s->zombie_at[300];
}

/* a zombie whose parent ends before it is long, with no adopter seen:
 * the parent reaped it unseen before its end (waitid with no siginfo, for
 * any child), and the free, an RCU grace period later, cannot make it a
 * long zombie, nor its parent one that left it unreaped */
static void reaped_unseen_before_the_parent_ended(void **state)
{
	struct synth *s = world(100);
	const struct pl_event *e;
	__u64 zombie_at, parent_end;

	(void)state;
	zombie_at = zombie_when_its_parent_ends(s);
	parent_end = s->now;
	sy_zombie(s, 200, W_EXIT(0));
	pl_model_tick(s->m, s->now + 50 * MS); /* 300 is past 100 ms by now */
	ASSERT_EQ(sy_nconcl(s, PL_EV_ZOMBIE_LONG), 0, "long zombies: none once its parent ended");
	ASSERT_EQ(pl_model_next_due(s->m), s->zombie_at[200] + 100 * MS,
		  "due next: its parent's own crossing, not its own, past");
	sy_sleep(s, 60 * MS);
	sy_free_task(s, 300, W_EXIT(0));
	e = sy_concl(s, PL_EV_REAP, 0);
	ASSERT_NOT_NULL(e, "the reap concluded from the free");
	ASSERT_TRUE(e->flags & PL_F_INFERRED, "inferred");
	ASSERT_EQ(e->zombie_ns, parent_end - zombie_at, "at most until its parent's end");
	ASSERT_EQ(sy_nconcl(s, PL_EV_ZOMBIE_LONG), 0, "long zombies");
	sy_free(s);
}

/* the same, but an adopter is seen: the adopter is the one to reap it,
 * and it is flagged when long, as of the moment it crossed */
static void adopted_after_the_parent_ended(void **state)
{
	struct synth *s = world(100);
	const struct pl_event *e;
	__u64 zombie_at;

	(void)state;
	zombie_at = zombie_when_its_parent_ends(s);
	pl_model_tick(s->m, s->now + 50 * MS); /* the adoption's record still to come */
	ASSERT_EQ(sy_nconcl(s, PL_EV_ZOMBIE_LONG), 0, "long zombies before the adoption is read");
	sy_reparent(s, 300, INIT, PL_ADOPT_INIT);
	sy_sleep(s, 50 * MS);
	pl_model_tick(s->m, s->now);
	e = sy_concl(s, PL_EV_ZOMBIE_LONG, 0);
	ASSERT_NOT_NULL(e, "long, under its adopter");
	ASSERT_EQ(e->parent, INIT, "the adopter has to reap it");
	ASSERT_EQ(e->ts, zombie_at + 100 * MS, "told as of its crossing");
	sy_free(s);
}

static void zombie_held(void **state)
{
	struct synth *s = world(100);
	const struct pl_event *e;
	const struct pl_zombie_rec *z;
	size_t n;

	(void)state;
	sy_fork(s, 200, P);
	sy_exit(s, 200, W_EXIT(0));
	sy_zombie(s, 200, W_EXIT(0));
	pl_model_tick(s->m, s->now + 50 * MS);
	ASSERT_EQ(sy_nconcl(s, PL_EV_ZOMBIE_LONG), 0, "long-zombie conclusions");
	pl_model_tick(s->m, s->now + 150 * MS);
	e = sy_concl(s, PL_EV_ZOMBIE_LONG, 0);
	ASSERT_NOT_NULL(e, "the long-zombie conclusion");
	ASSERT_EQ(e->pid, 200, "e's pid");
	ASSERT_EQ(e->parent, P, "e's parent");
	ASSERT_TRUE(e->flags & PL_F_DERIVED, "e's PL_F_DERIVED");
	/* told as of the moment it crossed, whenever the tick that saw it came */
	ASSERT_EQ(e->ts, s->zombie_at[200] + 100 * MS, "e's time: its crossing");
	ASSERT_EQ(e->zombie_ns, 100 * MS, "e's zombie_ns: the threshold");
	sy_sleep(s, 500 * MS);
	sy_reap(s, 200, P, 0, W_EXIT(0));
	ASSERT_EQ(sy_nconcl(s, PL_EV_ZOMBIE_LONG), 1, "long-zombie conclusions"); /* once */
	ASSERT_EQ(sy_find(s, P)->neglected, 1, "P's neglected");
	sy_free_task(s, 200, 0);
	z = pl_model_zombie_recs(s->m, &n);
	ASSERT_EQ(n, 1, "zombie records");
	ASSERT_EQ(z[0].pid, 200, "the longest zombie's pid");
	ASSERT_EQ(z[0].zparent, P, "the longest zombie's zparent");
	ASSERT_EQ(z[0].reaper, P, "the longest zombie's reaper");
	ASSERT_EQ(z[0].zombie_ns, 500 * MS + 1000, "the longest zombie's zombie_ns");
	ASSERT_EQ(pl_model_counts(s->m)->zombies_long, 1, "long zombies counted");
	sy_free(s);
}

/* without a tick, the reap itself reveals the long zombie */
static void zombie_flagged_at_reap(void **state)
{
	struct synth *s = world(100);
	const struct pl_event *e;

	(void)state;
	sy_fork(s, 200, P);
	sy_exit(s, 200, 0);
	sy_zombie(s, 200, 0);
	sy_sleep(s, 99 * MS);
	sy_fork(s, 201, P);
	sy_exit(s, 201, 0);
	sy_zombie(s, 201, 0);
	sy_reap(s, 201, P, 0, 0);
	ASSERT_EQ(sy_nconcl(s, PL_EV_ZOMBIE_LONG), 0, "long-zombie conclusions");
	sy_sleep(s, 2 * MS);
	sy_reap(s, 200, P, 0, 0);
	e = sy_concl(s, PL_EV_ZOMBIE_LONG, 0);
	ASSERT_NOT_NULL(e, "the long-zombie conclusion");
	ASSERT_EQ(e->pid, 200, "e's pid");
	ASSERT_GE(e->zombie_ns, 100 * MS, "e's zombie_ns");
	sy_free(s);
}

/* the summary's longest zombies: the PL_TOP_ZOMBIES longest of many,
 * longest first, each life once, whatever order they end in */
static void longest_zombies_kept(void **state)
{
	struct synth *s = world(100);
	const struct pl_zombie_rec *z;
	size_t n;

	(void)state;
	/* zombie times of 1 to 100 us in a scrambled order (37 is prime to 100) */
	for (__u32 k = 0; k < 100; k++) {
		__u32 pid = 200 + k;

		sy_fork(s, pid, P);
		sy_exit(s, pid, 0);
		sy_zombie(s, pid, 0);
		sy_sleep(s, ((k * 37) % 100 + 1) * 1000);
		/* the longest (27 * 37 % 100 = 99: 100 us) is first guessed
		 * reaped (from its free, say), then its wait comes: the wait's
		 * record replaces the guess's */
		if (k == 27)
			sy_reap(s, pid, P, PL_F_INFERRED, 0);
		sy_reap(s, pid, P, 0, 0);
	}
	z = pl_model_zombie_recs(s->m, &n);
	ASSERT_EQ(n, PL_TOP_ZOMBIES, "zombie records");
	/* the wait's, 1 us after the guess's */
	ASSERT_EQ(z[0].pid, 227, "the longest zombie");
	ASSERT_EQ(z[0].zombie_ns, 102 * 1000, "the longest zombie's time, its wait's");
	ASSERT_FALSE(z[0].at_most, "the longest zombie's time, no upper bound");
	for (size_t i = 1; i < n; i++) {
		/* the record's own time: its sleep plus the reap record's 1 us */
		__u64 us = 100 - i;

		ASSERT_EQ(z[i].zombie_ns, (us + 1) * 1000, "a kept zombie's time, longest first");
		ASSERT_EQ((z[i].pid - 200) * 37 % 100 + 1, us, "the life that zombie time is of");
	}
	sy_free(s);
}

static void zombie_never_reaped(void **state)
{
	struct synth *s = world(100);
	const struct pl_proc *z;
	const struct pl_neglect_rec *nr;
	size_t n;

	(void)state;
	sy_fork(s, 200, P);
	sy_exit(s, 200, W_EXIT(4));
	sy_zombie(s, 200, W_EXIT(4));
	sy_sleep(s, 200 * MS);
	pl_model_tick(s->m, s->now);
	sy_exit(s, P, 0);              /* the parent leaves, never having waited */
	sy_reparent(s, 200, INIT, PL_ADOPT_INIT);
	sy_zombie(s, P, 0);
	sy_reap(s, P, SHELL, 0, 0);
	sy_free_task(s, P, 0);
	z = sy_find(s, 200);
	ASSERT_EQ(z->state, PL_ST_ZOMBIE, "z's state");
	ASSERT_TRUE(z->flags & PL_P_ZOMBIE_ADOPTED, "z's PL_P_ZOMBIE_ADOPTED");
	ASSERT_PTR_EQ(z->parent, sy_find(s, INIT), "z's parent");
	ASSERT_EQ(z->zparent, P, "z's zparent");
	ASSERT_FALSE(z->flags & PL_P_DOUBLE_FORK, "z's PL_P_DOUBLE_FORK"); /* a neglected zombie, not a daemon */
	ASSERT_EQ(sy_nconcl(s, PL_EV_DOUBLE_FORK), 0, "double-fork conclusions");
	ASSERT_NULL(sy_find(s, P), "process P in the table"); /* gone: its only child moved away */
	sy_reap(s, 200, INIT, 0, W_EXIT(4));
	z = sy_find(s, 200);
	ASSERT_EQ(z->reap_kind, PL_RK_ADOPTED, "z's reap_kind");
	ASSERT_EQ(z->reaper, INIT, "z's reaper");
	nr = pl_model_neglect_recs(s->m, &n);
	ASSERT_EQ(n, 1, "neglecting parents recorded");
	ASSERT_EQ(nr[0].pid, P, "the first neglecting parent's pid");
	ASSERT_EQ(nr[0].count, 1, "the first neglecting parent's count");
	sy_free(s);
}

/* a zombie adopted before it was a long one: the adopter has to reap it
 * from then on, so the long zombie is the adopter's, and the adopter is
 * charged with the time it held it; the old parent, which held it a moment,
 * with nothing */
static void zombie_adopted_then_long(void **state)
{
	struct synth *s = world(100);
	const struct pl_neglect_rec *nr;
	const struct pl_proc *z, *sr;
	const struct pl_event *e;
	size_t n;

	(void)state;
	sy_fork(s, 300, P);            /* the subreaper-to-be */
	sy_fork(s, 200, 300);
	sy_fork(s, 201, 200);
	sy_exit(s, 201, W_EXIT(41));
	sy_zombie(s, 201, W_EXIT(41));
	sy_sleep(s, 20 * MS);
	sy_exit(s, 200, W_EXIT(40));   /* leaves its zombie to the subreaper */
	sy_reparent(s, 201, 300, PL_ADOPT_SUBREAPER);
	sy_zombie(s, 200, W_EXIT(40));
	sy_sleep(s, 280 * MS);
	pl_model_tick(s->m, s->now);
	ASSERT_EQ(sy_nconcl(s, PL_EV_ZOMBIE_LONG), 2, "long zombies");
	for (int i = 0; i < 2; i++) {
		e = sy_concl(s, PL_EV_ZOMBIE_LONG, i);
		/* the adopted one named with the adopter, which has to reap it */
		ASSERT_EQ(e->parent, 300, "the parent that has not reaped it");
	}
	sy_reap(s, 200, 300, 0, W_EXIT(40));
	sy_free_task(s, 200, W_EXIT(40));
	sy_reap(s, 201, 300, 0, W_EXIT(41));
	z = sy_find(s, 201);
	ASSERT_EQ(z->reap_kind, PL_RK_ADOPTED, "reaped by its adopter");
	sr = sy_find(s, 300);
	ASSERT_EQ(sr->neglected, 2, "the adopter left two long zombies");
	/* 280 ms each (and the synthetic clock's microseconds), not the 20 ms
	 * the old parent held the adopted one */
	ASSERT_TRUE(sr->neglect_ns >= 560 * MS && sr->neglect_ns < 561 * MS,
		    "each held 280 ms by the adopter");
	nr = pl_model_neglect_recs(s->m, &n);
	for (size_t i = 0; i < n; i++)
		ASSERT_TRUE(nr[i].pid != 200, "the old parent charged with nothing");
	sy_free(s);
}

/* a zombie handed on twice: its first adopter held it long, then left it
 * to a second, which reaped it. The first adopter is charged with the time
 * it held it, not with the time the old parent held it before */
static void zombie_handed_on_twice(void **state)
{
	struct synth *s = world(100);
	const struct pl_proc *s2;

	(void)state;
	sy_fork(s, 300, P);            /* two subreapers, nested */
	sy_fork(s, 301, 300);
	sy_fork(s, 200, 301);
	sy_fork(s, 201, 200);
	sy_exit(s, 201, W_EXIT(7));
	sy_zombie(s, 201, W_EXIT(7));
	sy_sleep(s, 90 * MS);          /* its parent's part: short */
	sy_exit(s, 200, 0);
	sy_reparent(s, 201, 301, PL_ADOPT_SUBREAPER);
	sy_zombie(s, 200, 0);
	sy_reap(s, 200, 301, 0, 0);
	sy_sleep(s, 150 * MS);         /* the first adopter's: long */
	pl_model_tick(s->m, s->now);
	ASSERT_EQ(sy_nconcl(s, PL_EV_ZOMBIE_LONG), 1, "long zombies");
	ASSERT_EQ(sy_concl(s, PL_EV_ZOMBIE_LONG, 0)->parent, 301, "the parent that has not reaped it");
	sy_exit(s, 301, 0);
	sy_reparent(s, 201, 300, PL_ADOPT_SUBREAPER);
	sy_zombie(s, 301, 0);
	sy_reap(s, 201, 300, 0, W_EXIT(7));
	sy_reap(s, 301, 300, 0, 0);
	s2 = sy_find(s, 301);
	ASSERT_NOT_NULL(s2, "the first adopter, kept with its account");
	ASSERT_EQ(s2->neglected, 1, "the first adopter left a long zombie");
	ASSERT_TRUE(s2->neglect_ns >= 150 * MS && s2->neglect_ns < 151 * MS,
		    "charged with the 150 ms it held it, not the 90 before");
	sy_free(s);
}

/* init reaps it with no traced wait: only the free tells */
static void zombie_adopted_reap_inferred(void **state)
{
	struct synth *s = world(100);
	const struct pl_event *e;

	(void)state;
	sy_fork(s, 200, P);
	sy_exit(s, 200, W_EXIT(4));
	sy_zombie(s, 200, W_EXIT(4));
	sy_exit(s, P, 0);
	sy_reparent(s, 200, INIT, PL_ADOPT_INIT);
	sy_sleep(s, 15 * MS);
	sy_free_task(s, 200, W_EXIT(4));
	e = sy_concl(s, PL_EV_REAP, 0);
	ASSERT_NOT_NULL(e, "the inferred reap");
	ASSERT_EQ(e->flags & (PL_F_INFERRED | PL_F_DERIVED), PL_F_INFERRED | PL_F_DERIVED, "e's inferred and derived flags");
	ASSERT_EQ(e->pid, 200, "e's pid");
	ASSERT_EQ(e->reaper, INIT, "e's reaper");
	ASSERT_GE(e->zombie_ns, 15 * MS, "e's zombie_ns");
	/* a conclusion, counted as one: the reap counts and the uncertain
	 * facts agree; its adoption is counted as an orphaning */
	ASSERT_EQ(pl_model_counts(s->m)->reaps[PL_RK_INFERRED], 1, "inferred reaps counted");
	ASSERT_EQ(pl_model_counts(s->m)->reaps[PL_RK_ADOPTED], 0, "adopted reaps counted");
	ASSERT_EQ(pl_model_counts(s->m)->uncertain[PL_U_REAP_INFERRED], 1, "uncertain facts (reap inferred)");
	ASSERT_EQ(pl_model_counts(s->m)->orphans[PL_ADOPT_INIT], 1, "orphans adopted by init");
	ASSERT_NULL(sy_find(s, 200), "process 200 in the table");
	sy_free(s);
}

static void orphan(void **state)
{
	struct synth *s = world(100);
	const struct pl_orphan_rec *o;
	const struct pl_proc *c;
	size_t n;

	(void)state;
	sy_fork(s, 200, P);
	sy_die(s, P, 0, 1000);
	ASSERT_NOT_NULL(sy_find(s, P), "process P in the table"); /* kept: its child is alive */
	sy_reparent(s, 200, INIT, PL_ADOPT_INIT);
	ASSERT_NULL(sy_find(s, P), "process P in the table");
	c = sy_find(s, 200);
	ASSERT_TRUE(c->flags & PL_P_ORPHAN, "c's PL_P_ORPHAN");
	ASSERT_FALSE(c->flags & PL_P_ZOMBIE_ADOPTED, "c's PL_P_ZOMBIE_ADOPTED");
	ASSERT_EQ(c->old_parent, P, "c's old_parent");
	ASSERT_EQ(c->adopter, PL_ADOPT_INIT, "c's adopter");
	ASSERT_EQ(c->ppid_birth, P, "c's ppid_birth");
	ASSERT_PTR_EQ(c->parent, sy_find(s, INIT), "c's parent");
	o = pl_model_orphan_recs(s->m, &n, NULL);
	ASSERT_EQ(n, 1, "orphan records");
	ASSERT_EQ(o[0].pid, 200, "the first orphan record's pid");
	ASSERT_EQ(o[0].old_parent, P, "the first orphan record's old_parent");
	ASSERT_EQ(o[0].new_parent, INIT, "the first orphan record's new_parent");
	ASSERT_EQ(o[0].adopter, PL_ADOPT_INIT, "the first orphan record's adopter");
	ASSERT_EQ(pl_model_counts(s->m)->orphans[PL_ADOPT_INIT], 1, "orphans adopted by init counted");
	sy_free(s);
}

static void subreaper(void **state)
{
	struct synth *s = sy_new(100);
	const struct pl_proc *g;

	(void)state;
	sy_proc(s, INIT, 0, 1 * MS, 0, 0);
	sy_proc(s, P, INIT, 3 * MS, PL_F_SUBREAPER, 0);
	ASSERT_TRUE(sy_find(s, P)->flags & PL_P_SUBREAPER, "P's PL_P_SUBREAPER");
	sy_fork(s, 200, P);
	sy_fork(s, 300, 200);
	sy_die(s, 200, 0, 1000);
	sy_reparent(s, 300, P, PL_ADOPT_SUBREAPER);
	g = sy_find(s, 300);
	ASSERT_PTR_EQ(g->parent, sy_find(s, P), "g's parent");
	ASSERT_EQ(g->adopter, PL_ADOPT_SUBREAPER, "g's adopter");
	sy_sleep(s, 300 * MS);
	sy_exit(s, 300, 0);
	sy_zombie(s, 300, 0);
	sy_reap(s, 300, P, 0, 0);
	ASSERT_EQ(sy_find(s, 300)->reaper, P, "300's reaper");
	ASSERT_EQ(sy_find(s, 300)->reap_kind, PL_RK_WAIT, "300's reap_kind");
	sy_free(s);
}

/* a subreaper found only from the adoption itself */
static void subreaper_learned(void **state)
{
	struct synth *s = world(100);

	(void)state;
	sy_fork(s, 200, P);
	sy_fork(s, 300, 200);
	ASSERT_FALSE(sy_find(s, P)->flags & PL_P_SUBREAPER, "P's PL_P_SUBREAPER");
	sy_die(s, 200, 0, 1000);
	sy_reparent(s, 300, P, PL_ADOPT_SUBREAPER);
	ASSERT_TRUE(sy_find(s, P)->flags & PL_P_SUBREAPER, "P's PL_P_SUBREAPER");
	sy_free(s);
}

static void double_fork(void **state)
{
	struct synth *s = world(100);
	const struct pl_event *e;

	(void)state;
	sy_fork(s, 200, P);
	sy_fork(s, 300, 200);
	sy_die(s, 200, 0, 20000); /* the middle leaves at once, reaped at once */
	sy_reparent(s, 300, INIT, PL_ADOPT_INIT);
	e = sy_concl(s, PL_EV_DOUBLE_FORK, 0);
	ASSERT_NOT_NULL(e, "the double-fork conclusion");
	ASSERT_EQ(e->pid, 300, "e's pid");
	ASSERT_EQ(e->middle, 200, "e's middle");
	ASSERT_EQ(e->original_parent, P, "e's original_parent");
	ASSERT_EQ(e->adopter, PL_ADOPT_INIT, "e's adopter");
	ASSERT_TRUE(sy_find(s, 300)->flags & PL_P_DOUBLE_FORK, "300's PL_P_DOUBLE_FORK");
	ASSERT_EQ(pl_model_counts(s->m)->double_forks, 1, "double forks counted");
	ASSERT_EQ(pl_model_counts(s->m)->zombies_long, 0, "long zombies counted");
	sy_free(s);
}

/* a middle found running when the trace began (its birth not seen): the
 * original parent is the one it had, not 0 */
static void double_fork_of_a_middle_found_running(void **state)
{
	struct synth *s = world(100);
	const struct pl_event *e;

	(void)state;
	sy_proc(s, 200, P, 3 * MS, 0, 0);
	sy_fork(s, 300, 200);
	sy_die(s, 200, 0, 20000);
	sy_reparent(s, 300, INIT, PL_ADOPT_INIT);
	e = sy_concl(s, PL_EV_DOUBLE_FORK, 0);
	ASSERT_NOT_NULL(e, "the double-fork conclusion");
	ASSERT_EQ(e->middle, 200, "e's middle");
	ASSERT_EQ(e->original_parent, P, "e's original_parent");
	sy_free(s);
}

/* the grandchild's own record (a failed exec of a $PATH search) names its
 * adopter before the middle's exit comes (the exit is told at the
 * middle's last switch, its reparent record after it): the orphaning is
 * counted from the first, the trick is seen when the reparent record
 * comes */
static void double_fork_adopter_named_first(void **state)
{
	struct synth *s = world(100);
	const struct pl_event *e;

	(void)state;
	sy_fork(s, 200, P);
	sy_fork(s, 300, 200);
	s->parent[300] = INIT;
	sy_exec_fail(s, 300, "/usr/local/bin/sleep", 2); /* ENOENT, ppid 1 already */
	s->parent[300] = 200;
	ASSERT_TRUE(sy_find(s, 300)->flags & PL_P_ORPHAN, "300 counted an orphan already");
	sy_exit(s, 200, 0);
	sy_zombie(s, 200, 0);
	sy_reparent(s, 300, INIT, PL_ADOPT_INIT);
	sy_reap(s, 200, P, 0, 0);
	e = sy_concl(s, PL_EV_DOUBLE_FORK, 0);
	ASSERT_NOT_NULL(e, "the double-fork conclusion");
	ASSERT_EQ(e->middle, 200, "e's middle");
	ASSERT_TRUE(sy_find(s, 300)->flags & PL_P_DOUBLE_FORK, "300's PL_P_DOUBLE_FORK");
	ASSERT_EQ(pl_model_counts(s->m)->double_forks, 1, "double forks counted");
	ASSERT_EQ(pl_model_counts(s->m)->orphans[PL_ADOPT_INIT], 1, "orphans counted once");
	sy_free(s);
}

/* the middle's parent ignores SIGCHLD: the middle's exit and auto-reap
 * are told at its last switch, after its child's adoption; the trick is
 * seen when the exit comes. A later middle whose exit is slow is not it */
static void double_fork_exit_told_after_the_adoption(void **state)
{
	struct synth *s = world(100);
	const struct pl_event *e;

	(void)state;
	sy_fork(s, 200, P);
	sy_fork(s, 300, 200);
	sy_reparent(s, 300, INIT, PL_ADOPT_INIT);
	ASSERT_EQ(sy_nconcl(s, PL_EV_DOUBLE_FORK), 0, "nothing decided before the middle's exit");
	sy_exit(s, 200, 0);
	sy_reap(s, 200, P, PL_F_AUTO, 0);
	e = sy_concl(s, PL_EV_DOUBLE_FORK, 0);
	ASSERT_NOT_NULL(e, "the double-fork conclusion");
	ASSERT_EQ(e->pid, 300, "e's pid");
	ASSERT_EQ(e->middle, 200, "e's middle");
	ASSERT_EQ(e->adopter, PL_ADOPT_INIT, "e's adopter");
	ASSERT_EQ(pl_model_counts(s->m)->double_forks, 1, "double forks counted");
	sy_fork(s, 400, P);
	sy_fork(s, 500, 400);
	sy_reparent(s, 500, INIT, PL_ADOPT_INIT);
	sy_sleep(s, 150 * MS);
	sy_exit(s, 400, 0);
	sy_reap(s, 400, P, PL_F_AUTO, 0);
	ASSERT_EQ(pl_model_counts(s->m)->double_forks, 1, "a slow middle: no double fork");
	ASSERT_EQ(pl_model_counts(s->m)->orphans[PL_ADOPT_INIT], 2, "orphans counted once each");
	sy_free(s);
}

/* the daemon does its work and is auto-reaped before its middle's exit
 * is told (at the middle's last switch): it waits in the table for that
 * exit, and the trick is seen, from what it was when it was adopted */
static void double_fork_daemon_gone_before_the_middle_exit(void **state)
{
	struct synth *s = world(100);
	const struct pl_event *e;
	const struct pl_orphan_rec *r;
	size_t n;

	(void)state;
	sy_fork(s, 200, P);
	sy_fork(s, 300, 200);
	sy_reparent(s, 300, INIT, PL_ADOPT_INIT);
	sy_exit(s, 300, 0);
	sy_reap(s, 300, INIT, PL_F_AUTO | PL_F_FINAL, 0);
	ASSERT_NOT_NULL(sy_find(s, 300), "the daemon waits for its middle's exit");
	sy_exit(s, 200, 0);
	sy_reap(s, 200, P, PL_F_AUTO, 0);
	ASSERT_NULL(sy_find(s, 300), "the daemon released once decided");
	ASSERT_EQ(s->nrel, 1, "records handed to the exporters");
	ASSERT_EQ(s->rel[0].pid, 300, "the daemon's record");
	ASSERT_TRUE(s->rel[0].flags & PL_P_DOUBLE_FORK, "the daemon's record: PL_P_DOUBLE_FORK");
	e = sy_concl(s, PL_EV_DOUBLE_FORK, 0);
	ASSERT_NOT_NULL(e, "the double-fork conclusion");
	ASSERT_EQ(e->pid, 300, "e's pid");
	ASSERT_EQ(e->middle, 200, "e's middle");
	ASSERT_EQ(e->original_parent, P, "e's original_parent");
	ASSERT_EQ(e->adopter, PL_ADOPT_INIT, "e's adopter");
	ASSERT_EQ(pl_model_counts(s->m)->double_forks, 1, "double forks counted");
	r = pl_model_orphan_recs(s->m, &n, NULL);
	ASSERT_EQ(n, 1, "orphanings recorded");
	ASSERT_TRUE(r[0].double_fork, "the orphaning recorded as a double fork");
	sy_free(s);
}

/* a middle forks a child which is adopted before the middle's exit is
 * told; the child does its work, is auto-reaped by its adopter and freed */
static void adopted_early_and_gone(struct synth *s, __u32 mid, __u32 child, __u32 adopter,
				   unsigned kind)
{
	sy_fork(s, mid, P);
	sy_fork(s, child, mid);
	sy_reparent(s, child, adopter, kind);
	sy_exit(s, child, 0);
	sy_reap(s, child, adopter, PL_F_AUTO | PL_F_FINAL, 0);
	sy_free_task(s, child, 0);
}

/* the daemon waiting for its middle's exit while its pid is taken again:
 * no reuse of a pid before an end was seen; the decision is still its */
static void double_fork_daemon_pid_taken_meanwhile(void **state)
{
	struct synth *s = world(100);
	__u64 first = 0;

	(void)state;
	adopted_early_and_gone(s, 200, 300, INIT, PL_ADOPT_INIT);
	first = s->start[300];
	sy_fork(s, 300, P);
	ASSERT_EQ(pl_model_counts(s->m)->pid_reuses, 0, "pid reuses counted");
	sy_exit(s, 200, 0);
	sy_reap(s, 200, P, PL_F_AUTO, 0);
	ASSERT_EQ(sy_nconcl(s, PL_EV_DOUBLE_FORK), 1, "double-fork conclusions");
	ASSERT_EQ(sy_concl(s, PL_EV_DOUBLE_FORK, 0)->start, first, "the first life's");
	ASSERT_EQ(s->nrel, 1, "records handed to the exporters");
	ASSERT_EQ(s->rel[0].start, first, "the first life's record");
	ASSERT_TRUE(s->rel[0].flags & PL_P_DOUBLE_FORK, "its PL_P_DOUBLE_FORK");
	ASSERT_FALSE(s->rel[0].flags & PL_P_SUPERSEDED, "its PL_P_SUPERSEDED");
	ASSERT_FALSE(sy_find(s, 300)->flags & PL_P_DOUBLE_FORK, "the new life's PL_P_DOUBLE_FORK");
	sy_free(s);
}

/* the middle's exit never told (lost), only its free, or a reap that
 * released it: the daemon that waited for it goes, nothing decided */
static void double_fork_middle_exit_lost(void **state)
{
	struct synth *s = world(100);

	(void)state;
	adopted_early_and_gone(s, 200, 300, INIT, PL_ADOPT_INIT);
	ASSERT_NOT_NULL(sy_find(s, 300), "the daemon waits for its middle's exit");
	sy_free_task(s, 200, 0);
	ASSERT_NULL(sy_find(s, 300), "the daemon let go with its middle's free");
	adopted_early_and_gone(s, 400, 500, INIT, PL_ADOPT_INIT);
	ASSERT_NOT_NULL(sy_find(s, 500), "the daemon waits for its middle's exit");
	sy_reap(s, 400, P, PL_F_FINAL, 0);
	ASSERT_NULL(sy_find(s, 500), "the daemon let go with its middle's reap");
	ASSERT_EQ(sy_nconcl(s, PL_EV_DOUBLE_FORK), 0, "double-fork conclusions");
	sy_free(s);
}

/* more daemons wait than are kept: the oldest gives way and goes, and
 * its adopter (known only as that, its one child) with it, only once the
 * record that made room has linked its own child under that adopter */
static void double_fork_oldest_daemon_gives_way(void **state)
{
	struct synth *s = world(100);
	const __u32 reaper = 40; /* a subreaper never seen itself */

	(void)state;
	adopted_early_and_gone(s, 1000, 1001, reaper, PL_ADOPT_SUBREAPER);
	for (__u32 i = 1; i < 32; i++)
		adopted_early_and_gone(s, 1000 + 2 * i, 1001 + 2 * i, INIT, PL_ADOPT_INIT);
	ASSERT_NOT_NULL(sy_find(s, 1001), "the oldest daemon waits");
	sy_fork(s, 2000, P);
	sy_fork(s, 2001, 2000);
	sy_reparent(s, 2001, reaper, PL_ADOPT_SUBREAPER);
	ASSERT_NULL(sy_find(s, 1001), "the oldest daemon gone");
	ASSERT_NOT_NULL(sy_find(s, reaper), "its adopter stays, adopting another");
	ASSERT_PTR_EQ(sy_find(s, 2001)->parent, sy_find(s, reaper), "2001's parent");
	sy_exit(s, 2000, 0);
	sy_reap(s, 2000, P, PL_F_AUTO, 0);
	sy_exit(s, 1002, 0);
	sy_reap(s, 1002, P, PL_F_AUTO, 0);
	ASSERT_EQ(sy_nconcl(s, PL_EV_DOUBLE_FORK), 2, "double forks still decided");
	sy_free(s);
}

/* a waiting daemon, its exit lost, held by a child too, when all places
 * are taken: the child's adoption from it (nothing kept of ended
 * processes: what is let go is freed at once) is no early orphaning of
 * its own (its parent is gone, no exit to wait for), and the daemon waits
 * on for its middle */
static void double_fork_daemon_left_by_its_child_when_full(void **state)
{
	struct synth *s = world(100);

	(void)state;
	sy_fork(s, 1000, P);
	sy_fork(s, 1001, 1000);
	sy_reparent(s, 1001, INIT, PL_ADOPT_INIT); /* waits for 1000's exit */
	sy_fork(s, 1500, 1001);
	sy_reap(s, 1001, INIT, PL_F_AUTO | PL_F_FINAL, 0); /* its exit lost */
	for (__u32 i = 0; i < 31; i++)
		adopted_early_and_gone(s, 2000 + 2 * i, 2001 + 2 * i, INIT, PL_ADOPT_INIT);
	sy_reparent(s, 1500, INIT, PL_ADOPT_INIT);
	ASSERT_PTR_EQ(sy_find(s, 1500)->parent, sy_find(s, INIT), "1500's parent");
	ASSERT_NOT_NULL(sy_find(s, 1001), "the daemon waits for its middle");
	sy_free_task(s, 1000, 0);
	ASSERT_NULL(sy_find(s, 1001), "the daemon let go with its middle");
	sy_free(s);
}

/* an orphaning counted from a later record (an exec naming a new parent,
 * its adoption's record held back, the one before it lost): when the
 * record comes, the orphaning kept for the summary says what it says */
static void orphaning_told_after_it_was_counted(void **state)
{
	struct synth *s = world(100);
	const struct pl_orphan_rec *r;
	size_t n;

	(void)state;
	sy_fork(s, 45, P);
	sy_fork(s, 150, 45);
	sy_fork(s, 200, 150);
	sy_fork(s, 300, 200);
	s->parent[300] = 150; /* 200 ends: 300 to 150, that record lost */
	s->hold = true;
	sy_reparent(s, 300, 45, PL_ADOPT_SUBREAPER); /* 150 ends */
	s->hold = false;
	sy_exec(s, 300, "/bin/x", 0); /* names 45, not how it came to it */
	sy_release_held(s, (int[]){ 0, -1 });
	r = pl_model_orphan_recs(s->m, &n, NULL);
	ASSERT_EQ(n, 1, "orphanings recorded");
	ASSERT_EQ(r[0].old_parent, 150, "its old parent");
	ASSERT_EQ(r[0].new_parent, 45, "its new parent");
	ASSERT_EQ(r[0].adopter, PL_ADOPT_SUBREAPER, "its adopter");
	ASSERT_EQ(pl_model_counts(s->m)->orphans[PL_ADOPT_SUBREAPER], 1, "adopted by a subreaper");
	ASSERT_EQ(pl_model_counts(s->m)->orphans[PL_ADOPT_UNKNOWN], 0, "adopted by one unknown");
	sy_free(s);
}

/* a middle that lingers is an ordinary orphaning, not the trick */
static void double_fork_not(void **state)
{
	struct synth *s = world(100);

	(void)state;
	sy_fork(s, 200, P);
	sy_fork(s, 300, 200);
	sy_sleep(s, 5000 * MS);
	sy_die(s, 200, 0, 20000);
	sy_reparent(s, 300, INIT, PL_ADOPT_INIT);
	ASSERT_EQ(sy_nconcl(s, PL_EV_DOUBLE_FORK), 0, "double-fork conclusions");
	ASSERT_EQ(pl_model_counts(s->m)->orphans[PL_ADOPT_INIT], 1, "orphans adopted by init counted");
	sy_free(s);
}

/* the middle leaves at once, but the grandchild is already dead: adopting
 * a zombie is no daemon trick, whether the middle's exit is told before
 * the adoption or after it; nor is a middle that stays 150 ms */
static void double_fork_not_dead_or_slow(void **state)
{
	struct synth *s = world(100);

	(void)state;
	sy_fork(s, 200, P);
	sy_fork(s, 300, 200);
	sy_exit(s, 300, 0);
	sy_zombie(s, 300, 0);
	sy_die(s, 200, 0, 20000);
	sy_reparent(s, 300, INIT, PL_ADOPT_INIT);
	ASSERT_EQ(sy_nconcl(s, PL_EV_DOUBLE_FORK), 0, "double-fork conclusions");
	sy_fork(s, 400, P);
	sy_fork(s, 500, 400);
	sy_sleep(s, 150 * MS);
	sy_die(s, 400, 0, 20000);
	sy_reparent(s, 500, INIT, PL_ADOPT_INIT);
	ASSERT_EQ(sy_nconcl(s, PL_EV_DOUBLE_FORK), 0, "double-fork conclusions");
	sy_fork(s, 600, P);
	sy_fork(s, 700, 600);
	sy_exit(s, 700, 0);
	sy_zombie(s, 700, 0);
	sy_reparent(s, 700, INIT, PL_ADOPT_INIT);
	sy_exit(s, 600, 0);
	sy_reap(s, 600, P, PL_F_AUTO, 0);
	ASSERT_EQ(sy_nconcl(s, PL_EV_DOUBLE_FORK), 0, "double-fork conclusions");
	ASSERT_EQ(pl_model_counts(s->m)->orphans[PL_ADOPT_INIT], 3, "orphans adopted by init counted");
	sy_free(s);
}

/* a middle killed at once (SIGKILL) did not leave by choice: its child is
 * an orphan, not a daemon; one that exits with an error still did */
static void double_fork_not_killed(void **state)
{
	struct synth *s = world(100);

	(void)state;
	sy_fork(s, 200, P);
	sy_fork(s, 300, 200);
	sy_die(s, 200, SIGKILL, 20000);
	sy_reparent(s, 300, INIT, PL_ADOPT_INIT);
	ASSERT_EQ(sy_nconcl(s, PL_EV_DOUBLE_FORK), 0, "double-fork conclusions");
	ASSERT_EQ(pl_model_counts(s->m)->orphans[PL_ADOPT_INIT], 1, "orphans adopted by init counted");
	sy_fork(s, 400, P);
	sy_fork(s, 500, 400);
	sy_die(s, 400, 1 << 8, 20000);
	sy_reparent(s, 500, INIT, PL_ADOPT_INIT);
	ASSERT_EQ(sy_nconcl(s, PL_EV_DOUBLE_FORK), 1, "double-fork conclusions");
	sy_free(s);
}

/* an exit begun before its parent ended is told at its thread's last
 * switch, after its adoption was: the parent it names was its parent
 * then, and no second change of parent */
static void exit_told_after_its_adoption(void **state)
{
	struct synth *s = world(100);
	const struct pl_counts *c = pl_model_counts(s->m);

	(void)state;
	sy_fork(s, 200, P);
	sy_fork(s, 300, 200);
	s->hold = true;
	sy_exit(s, 300, W_EXIT(40)); /* names 200, its parent as it began to exit */
	s->hold = false;
	sy_die(s, 200, 0, 20000);
	sy_reparent(s, 300, P, PL_ADOPT_SUBREAPER);
	sy_release_held(s, (const int[]){ 0, -1 });
	sy_zombie(s, 300, W_EXIT(40));
	sy_reap(s, 300, P, 0, W_EXIT(40));
	ASSERT_EQ(c->orphans[PL_ADOPT_SUBREAPER], 1, "orphans adopted by a subreaper");
	ASSERT_EQ(c->orphans[PL_ADOPT_UNKNOWN], 0, "orphans adopted by one not known");
	ASSERT_EQ(c->uncertain[PL_U_REPARENT_UNSEEN], 0, "changes of parent no record told");
	ASSERT_NULL(sy_concl(s, PL_EV_REPARENT, 0), "a reparent the model concluded");
	ASSERT_EQ(c->zombies_long, 0, "long zombies");
	sy_free(s);
}

static void exit_codes(void **state)
{
	struct synth *s = world(100);
	const struct pl_counts *c = pl_model_counts(s->m);
	int st[] = { W_EXIT(3), W_EXIT(0), W_EXIT(255), W_SIG(15), W_SIG(9), W_CORE(6) };

	(void)state;
	for (int i = 0; i < 6; i++) {
		sy_fork(s, 200 + i, P);
		sy_exit(s, 200 + i, st[i]);
		sy_zombie(s, 200 + i, st[i]);
		sy_reap(s, 200 + i, P, 0, st[i]);
		ASSERT_EQ(sy_find(s, 200 + i)->status, st[i], "the status of child 200 + i");
	}
	ASSERT_EQ(c->exit_code, 3, "exits with a code counted");
	ASSERT_EQ(c->exit_signal, 2, "exits by a signal counted");
	ASSERT_EQ(c->exit_core, 1, "core dumps counted");
	sy_free(s);
}

static void daemon_children(void **state)
{
	struct synth *s = world(100);

	(void)state;
	sy_fork(s, 200, P);
	sy_fork(s, 201, P);
	sy_die(s, 200, W_SIG(15), 1000);
	sy_die(s, 201, W_SIG(15), 1000);
	ASSERT_EQ(pl_model_counts(s->m)->exit_signal, 2, "exits by a signal counted");
	ASSERT_EQ(pl_model_counts(s->m)->reaps[PL_RK_WAIT], 2, "wait reaps counted");
	sy_free(s);
}

/* K workers take M tasks: K forks; spawn-churn: M forks */
static void pool_and_churn(void **state)
{
	struct synth *s = world(100);
	const struct pl_counts *c = pl_model_counts(s->m);
	int alive = 0;

	(void)state;
	for (__u32 w = 200; w < 204; w++)
		sy_fork(s, w, P);
	for (const struct pl_proc *p = pl_model_next(s->m, NULL); p; p = pl_model_next(s->m, p))
		alive += pl_proc_alive(p) && p->parent && p->parent->pid == P;
	ASSERT_EQ(alive, 4, "workers alive under P");
	ASSERT_EQ(c->forks, 5, "forks counted");
	for (__u32 t = 300; t < 320; t++) {
		sy_fork(s, t, P);
		sy_die(s, t, 0, 1000);
	}
	ASSERT_EQ(c->forks, 25, "forks counted");
	ASSERT_EQ(c->reaps[PL_RK_WAIT], 20, "wait reaps counted");
	sy_free(s);
}

static void nice_levels(void **state)
{
	struct synth *s = world(100);

	(void)state;
	sy_fork_nice(s, 200, P, 9);
	sy_fork_nice(s, 201, P, -9);
	ASSERT_EQ(sy_find(s, 200)->nice, 9, "200's nice");
	ASSERT_EQ(sy_find(s, 201)->nice, -9, "201's nice");
	sy_free(s);
}

static void auto_reap(void **state)
{
	struct synth *s = world(100);
	const struct pl_counts *c = pl_model_counts(s->m);

	(void)state;
	sy_fork(s, 200, P); /* SIGCHLD ignored: reap at the last switch */
	sy_exit(s, 200, W_EXIT(1));
	sy_reap(s, 200, P, PL_F_AUTO, W_EXIT(1));
	ASSERT_EQ(sy_find(s, 200)->reap_kind, PL_RK_AUTO, "200's reap_kind");
	ASSERT_EQ(sy_find(s, 200)->zombie_ts, 0, "200's zombie_ts");
	sy_free_task(s, 200, W_EXIT(1));
	sy_fork(s, 201, P); /* SA_NOCLDWAIT: reap instead of the zombie record */
	sy_exit(s, 201, 0);
	sy_reap(s, 201, P, PL_F_AUTO | PL_F_NOCLDWAIT, 0);
	sy_sleep(s, 500 * MS);
	pl_model_tick(s->m, s->now);
	sy_free_task(s, 201, 0);
	ASSERT_EQ(c->reaps[PL_RK_AUTO], 2, "auto reaps counted");
	ASSERT_EQ(c->zombies, 0, "zombies counted");
	ASSERT_EQ(c->uncertain[PL_U_REAP_EARLY], 0, "uncertain facts (reap early)");
	ASSERT_EQ(sy_nconcl(s, PL_EV_ZOMBIE_LONG), 0, "long-zombie conclusions");
	ASSERT_EQ(sy_nconcl(s, PL_EV_REAP), 0, "reap conclusions");
	sy_free(s);
}

static void sigchld_handler(void **state)
{
	struct synth *s = world(100);

	(void)state;
	sy_fork(s, 200, P);
	sy_exit(s, 200, 0);
	sy_zombie(s, 200, 0);
	sy_reap(s, 200, P, 0, 0);
	ASSERT_EQ(sy_find(s, 200)->zombie_ns, 1000, "200's zombie_ns");
	ASSERT_EQ(sy_find(s, 200)->reap_kind, PL_RK_WAIT, "200's reap_kind");
	sy_free(s);
}

static void threads(void **state)
{
	struct synth *s = world(100);
	const struct pl_counts *c = pl_model_counts(s->m);

	(void)state;
	sy_thread(s, P, 101);
	sy_thread(s, P, 102);
	ASSERT_EQ(sy_find(s, P)->threads, 3, "P's threads");
	sy_thread_exit(s, P, 101);
	sy_thread_exit(s, P, 102);
	ASSERT_EQ(sy_find(s, P)->threads, 1, "P's threads");
	ASSERT_EQ(c->threads, 2, "threads counted");
	ASSERT_EQ(c->forks, 1, "forks counted");
	ASSERT_EQ(c->zombies, 0, "zombies counted");
	ASSERT_NULL(sy_find(s, 101), "process 101 in the table");
	ASSERT_EQ(sy_find(s, P)->state, PL_ST_RUNNING, "P's state");
	sy_free(s);
}

static void exec_plain(void **state)
{
	struct synth *s = world(100);
	const struct pl_proc *p;
	__u64 start;

	(void)state;
	sy_fork(s, 200, P);
	start = sy_find(s, 200)->start;
	sy_exec(s, 200, "/bin/true", 0);
	p = sy_find(s, 200);
	ASSERT_EQ(p->start, start, "p's start");
	ASSERT_STR_EQ(p->comm, "true", "p's comm");
	ASSERT_STR_EQ(p->comm0, "p200", "p's comm0");
	ASSERT_STR_EQ(p->filename, "/bin/true", "p's filename");
	ASSERT_EQ(p->execs, 1, "p's execs");
	ASSERT_FALSE(p->flags & PL_P_EXEC_THREAD, "p's PL_P_EXEC_THREAD");
	sy_free(s);
}

static void exec_from_thread(void **state)
{
	struct synth *s = world(100);

	(void)state;
	sy_fork(s, 200, P);
	sy_thread(s, 200, 201);
	sy_thread_exit(s, 200, 200); /* de_thread kills the leader */
	sy_exec(s, 200, "/bin/sleep", 201);
	ASSERT_TRUE(sy_find(s, 200)->flags & PL_P_EXEC_THREAD, "200's PL_P_EXEC_THREAD");
	ASSERT_EQ(sy_find(s, 200)->threads, 1, "200's threads");
	sy_free_task(s, 200, 0); /* the old leader's task, not the process */
	ASSERT_NOT_NULL(sy_find(s, 200), "process 200 in the table");
	ASSERT_EQ(sy_find(s, 200)->state, PL_ST_RUNNING, "200's state");
	ASSERT_EQ(pl_model_counts(s->m)->uncertain[PL_U_END_UNSEEN], 0, "uncertain facts (end unseen)");
	sy_free(s);
}

static void vfork_exec(void **state)
{
	struct synth *s = world(100);

	(void)state;
	sy_fork(s, 200, P);
	sy_exec(s, 200, "/bin/echo", 0);
	sy_die(s, 200, 0, 1000);
	ASSERT_EQ(pl_model_counts(s->m)->execs, 1, "execs counted");
	ASSERT_EQ(sy_find(s, P)->state, PL_ST_RUNNING, "P's state");
	ASSERT_NULL(sy_find(s, 200), "process 200 in the table");
	sy_free(s);
}

static void pidns(void **state)
{
	struct synth *s = world(100);
	struct pl_event e;
	const struct pl_proc *p;

	(void)state;
	/* 200 is pid 1 of a new namespace, 201 its child (pid 2), 202 a grandchild */
	s->start[200] = s->now + 1000;
	s->parent[200] = P;
	e = sy_ev(s, PL_EV_FORK, 200);
	e.ppid = P;
	e.pstart = s->start[P];
	e.ns_pid = 1;
	e.ns_level = 1;
	e.ns_inum = 4026532000u;
	sy_emit(s, &e);
	sy_fork(s, 201, 200);
	sy_fork(s, 202, 201);
	sy_die(s, 201, 0, 1000);
	sy_reparent(s, 202, 200, PL_ADOPT_INIT);
	p = sy_find(s, 200);
	ASSERT_EQ(p->ns_pid, 1, "p's ns_pid");
	ASSERT_EQ(p->ns_level, 1, "p's ns_level");
	ASSERT_PTR_EQ(sy_find(s, 202)->parent, p, "202's parent");
	ASSERT_EQ(sy_find(s, 202)->adopter, PL_ADOPT_INIT, "202's adopter");
	sy_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fork_wait),
		cmocka_unit_test(waitpid_order),
		cmocka_unit_test(waitpid_nohang),
		cmocka_unit_test(zombie_held),
		cmocka_unit_test(zombie_flagged_at_reap),
		cmocka_unit_test(longest_zombies_kept),
		cmocka_unit_test(zombie_never_reaped),
		cmocka_unit_test(zombie_adopted_then_long),
		cmocka_unit_test(zombie_handed_on_twice),
		cmocka_unit_test(zombie_adopted_reap_inferred),
		cmocka_unit_test(orphan),
		cmocka_unit_test(subreaper),
		cmocka_unit_test(subreaper_learned),
		cmocka_unit_test(double_fork),
		cmocka_unit_test(double_fork_of_a_middle_found_running),
		cmocka_unit_test(double_fork_not_killed),
		cmocka_unit_test(double_fork_adopter_named_first),
		cmocka_unit_test(double_fork_exit_told_after_the_adoption),
		cmocka_unit_test(double_fork_daemon_gone_before_the_middle_exit),
		cmocka_unit_test(double_fork_daemon_pid_taken_meanwhile),
		cmocka_unit_test(double_fork_middle_exit_lost),
		cmocka_unit_test(double_fork_oldest_daemon_gives_way),
		cmocka_unit_test(double_fork_daemon_left_by_its_child_when_full),
		cmocka_unit_test(orphaning_told_after_it_was_counted),
		cmocka_unit_test(double_fork_not),
		cmocka_unit_test(exit_told_after_its_adoption),
		cmocka_unit_test(double_fork_not_dead_or_slow),
		cmocka_unit_test(exit_codes),
		cmocka_unit_test(daemon_children),
		cmocka_unit_test(pool_and_churn),
		cmocka_unit_test(nice_levels),
		cmocka_unit_test(auto_reap),
		cmocka_unit_test(sigchld_handler),
		cmocka_unit_test(threads),
		cmocka_unit_test(exec_plain),
		cmocka_unit_test(exec_from_thread),
		cmocka_unit_test(vfork_exec),
		cmocka_unit_test(pidns),
		cmocka_unit_test(reaped_unseen_before_the_parent_ended),
		cmocka_unit_test(adopted_after_the_parent_ended),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
