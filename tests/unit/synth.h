/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Synthetic event streams for the model's tests: one call per thing a
 * process does, with the fields filled the way the BPF programs (bpf/) fill
 * them. The stream keeps its own clock, each pid's current start and
 * parent and name (what the kernel's records would carry as comm), so a
 * test reads like the scenario it plays.
 */
#ifndef PL_TEST_SYNTH_H
#define PL_TEST_SYNTH_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "events.h"
#include "model/model.h"

#define MS 1000000ULL
#define W_EXIT(n) ((n) << 8)
#define W_SIG(s) (s)
#define W_CORE(s) ((s) | 0x80)
#define SY_PIDS 65536
#define SY_HELD 64
#define SY_CONCL 256
#define SY_REL 64

struct synth {
	struct pl_model *m;
	__u64 now;                 /* boot ns; each record moves it 1 us on */
	__u64 start[SY_PIDS];      /* current life of each pid */
	__u32 parent[SY_PIDS];
	char name[SY_PIDS][PL_COMM_LEN]; /* set by exec or a rename; "pPID" before */
	__u32 waits[SY_PIDS], polls[SY_PIDS]; /* counted, as the kernel does, until the exit */
	__u64 zombie_at[SY_PIDS];
	/* who each pid runs as, told on its fork and exec records once set */
	bool who;
	__u32 uid[SY_PIDS];
	__u64 cgroup_id[SY_PIDS];
	const char *cgroup[SY_PIDS];
	bool hold;                 /* keep records in held[] instead of feeding */
	struct pl_event held[SY_HELD];
	int nheld;
	/* where records go instead of the model, if set (a pipeline) */
	void (*feed)(void *ctx, const struct pl_event *e);
	void *feed_ctx;
	struct pl_event concl[SY_CONCL]; /* the model's conclusions */
	int nconcl;
	struct pl_proc rel[SY_REL];  /* what on_release was handed, in order */
	__u32 rel_parent[SY_REL];    /* the parent it was still linked to */
	int nrel;
};

static void sy_conclude(void *ctx, const struct pl_event *e)
{
	struct synth *s = ctx;

	if (s->nconcl < SY_CONCL)
		s->concl[s->nconcl] = *e;
	s->nconcl++;
}

static void sy_released(void *ctx, const struct pl_proc *p)
{
	struct synth *s = ctx;

	if (s->nrel < SY_REL) {
		s->rel[s->nrel] = *p;
		s->rel_parent[s->nrel] = p->parent ? p->parent->pid : 0;
	}
	s->nrel++;
}

/* history: how many ended processes the model keeps for the tree */
static inline struct synth *sy_new_hist(unsigned zombie_ms, unsigned history)
{
	struct synth *s = calloc(1, sizeof(*s));
	struct pl_model_opts o = { .zombie_ms = zombie_ms, .conclude = sy_conclude, .ctx = s,
				   .on_release = sy_released, .history = history };

	s->now = 1000 * MS;
	s->m = pl_model_new(&o);
	return s;
}

static inline struct synth *sy_new(unsigned zombie_ms)
{
	return sy_new_hist(zombie_ms, 0);
}

static inline void sy_free(struct synth *s)
{
	pl_model_free(s->m);
	free(s);
}

static inline void sy_sleep(struct synth *s, __u64 ns)
{
	s->now += ns;
}

static inline struct pl_event sy_ev(struct synth *s, unsigned kind, __u32 pid)
{
	struct pl_event e = { 0 };

	s->now += 1000;
	e.ts = s->now;
	e.kind = kind;
	e.pid = e.tid = pid;
	e.start = s->start[pid];
	if (s->name[pid][0])
		memcpy(e.comm, s->name[pid], sizeof(e.comm));
	else
		snprintf(e.comm, sizeof(e.comm), "p%u", pid);
	return e;
}

static inline void sy_emit(struct synth *s, const struct pl_event *e)
{
	if (s->hold && s->nheld < SY_HELD)
		s->held[s->nheld++] = *e;
	else if (s->feed)
		s->feed(s->feed_ctx, e);
	else
		pl_model_feed(s->m, e);
}

/* feeds held records in the given order (indexes into held[]), -1 ends */
static inline void sy_release_held(struct synth *s, const int *order)
{
	s->hold = false;
	for (; *order >= 0; order++)
		pl_model_feed(s->m, &s->held[*order]);
	s->nheld = 0;
}

/* a record about pid that also names its current parent */
static inline struct pl_event sy_ev_parented(struct synth *s, unsigned kind, __u32 pid)
{
	struct pl_event e = sy_ev(s, kind, pid);

	e.ppid = s->parent[pid];
	e.pstart = s->start[e.ppid];
	return e;
}

/* the fields a fork, exec, exec_failed or whole exit record tells of who
 * pid runs as */
static inline void sy_who(struct synth *s, struct pl_event *e)
{
	if (!s->who)
		return;
	e->flags |= PL_F_WHO;
	e->uid = e->euid = e->gid = s->uid[e->pid];
	e->cgroup_id = s->cgroup_id[e->pid];
	e->cgroup = s->cgroup[e->pid];
}

/* setuid(): no record; the next fork, exec or exit tells it */
static inline void sy_setuid(struct synth *s, __u32 pid, __u32 uid)
{
	s->who = true;
	s->uid[pid] = uid;
}

/* moved into cgroup path (id: its id); NULL path: one the tracer could not name */
static inline void sy_move(struct synth *s, __u32 pid, const char *path, __u64 id)
{
	s->who = true;
	s->cgroup[pid] = path;
	s->cgroup_id[pid] = id;
}

static inline void sy_fork_nice(struct synth *s, __u32 child, __u32 parent, int nice)
{
	struct pl_event e;

	s->start[child] = s->now + 1000;
	s->parent[child] = parent;
	s->uid[child] = s->uid[parent];
	s->cgroup[child] = s->cgroup[parent];
	s->cgroup_id[child] = s->cgroup_id[parent];
	/* fork copies the name: a named parent's child has its name */
	memcpy(s->name[child], s->name[parent], sizeof(s->name[child]));
	e = sy_ev(s, PL_EV_FORK, child);
	e.ppid = parent;
	e.pstart = s->start[parent];
	e.nice = nice;
	sy_who(s, &e);
	sy_emit(s, &e);
}

static inline void sy_fork(struct synth *s, __u32 child, __u32 parent)
{
	sy_fork_nice(s, child, parent, 0);
}

static inline void sy_thread(struct synth *s, __u32 pid, __u32 tid)
{
	struct pl_event e = sy_ev(s, PL_EV_FORK, pid);

	e.tid = tid;
	e.flags = PL_F_THREAD;
	e.ppid = pid;
	e.pstart = e.start;
	sy_emit(s, &e);
}

static inline void sy_thread_exit(struct synth *s, __u32 pid, __u32 tid)
{
	struct pl_event e = sy_ev_parented(s, PL_EV_EXIT, pid);

	e.tid = tid;
	e.flags = PL_F_THREAD;
	sy_emit(s, &e);
}

/* an exec with arguments args (len bytes, each ending in a NUL; cut:
 * the kernel kept only these) */
static inline void sy_exec_args(struct synth *s, __u32 pid, const char *file, const char *args,
				size_t len, bool cut)
{
	struct pl_event e = sy_ev_parented(s, PL_EV_EXEC, pid);
	const char *base = strrchr(file, '/');

	snprintf(e.comm, sizeof(e.comm), "%s", base ? base + 1 : file);
	memcpy(s->name[pid], e.comm, sizeof(e.comm));
	e.filename = file;
	e.old_tid = pid;
	e.args = args;
	e.args_len = (__u32)len;
	if (cut)
		e.flags |= PL_F_ARGS_TRUNCATED;
	sy_who(s, &e);
	sy_emit(s, &e);
}

static inline void sy_exec(struct synth *s, __u32 pid, const char *file, __u32 old_tid)
{
	struct pl_event e = sy_ev_parented(s, PL_EV_EXEC, pid);
	const char *base = strrchr(file, '/');

	snprintf(e.comm, sizeof(e.comm), "%s", base ? base + 1 : file);
	memcpy(s->name[pid], e.comm, sizeof(e.comm));
	e.filename = file;
	e.old_tid = old_tid ? old_tid : pid;
	sy_who(s, &e);
	sy_emit(s, &e);
}

/* an execve that failed with err */
static inline void sy_exec_fail(struct synth *s, __u32 pid, const char *file, int err)
{
	struct pl_event e = sy_ev_parented(s, PL_EV_EXEC_FAILED, pid);

	e.filename = file;
	e.err = err;
	sy_who(s, &e);
	sy_emit(s, &e);
}

/* prctl(PR_SET_NAME): no record; the next ones carry the new name */
static inline void sy_rename(struct synth *s, __u32 pid, const char *name)
{
	snprintf(s->name[pid], sizeof(s->name[pid]), "%s", name);
}

static inline void sy_exit(struct synth *s, __u32 pid, int status)
{
	struct pl_event e = sy_ev_parented(s, PL_EV_EXIT, pid);

	e.flags = PL_F_GROUP_DEAD;
	sy_who(s, &e);
	e.status = status;
	e.waits = s->waits[pid];
	e.nohang_polls = s->polls[pid];
	s->waits[pid] = s->polls[pid] = 0;
	sy_emit(s, &e);
}

/* the exit of a whole process with what it used and, for a signal, who
 * sent it (killer 0 with why PL_KILL_UNKNOWN: not known) */
static inline void sy_exit_with(struct synth *s, __u32 pid, int status, __u64 cpu_user_ns,
				__u64 cpu_sys_ns, __u64 max_rss_kb, __u32 killer, unsigned why)
{
	struct pl_event e = sy_ev_parented(s, PL_EV_EXIT, pid);

	e.flags = PL_F_GROUP_DEAD | PL_F_USAGE;
	sy_who(s, &e);
	e.status = status;
	e.cpu_user_ns = cpu_user_ns;
	e.cpu_sys_ns = cpu_sys_ns;
	e.max_rss_kb = max_rss_kb;
	if (why) {
		e.flags |= PL_F_KILLER;
		e.killer = killer;
		e.killer_start = s->start[killer];
		e.kill_why = why;
		if (s->name[killer][0])
			memcpy(e.killer_comm, s->name[killer], sizeof(e.killer_comm));
		else
			snprintf(e.killer_comm, sizeof(e.killer_comm), "p%u", killer);
	}
	e.waits = s->waits[pid];
	e.nohang_polls = s->polls[pid];
	s->waits[pid] = s->polls[pid] = 0;
	sy_emit(s, &e);
}

static inline void sy_zombie(struct synth *s, __u32 pid, int status)
{
	struct pl_event e = sy_ev_parented(s, PL_EV_ZOMBIE, pid);

	e.status = status;
	s->zombie_at[pid] = e.ts;
	sy_emit(s, &e);
}

/* a wait4 that collected pid; flags: PL_F_NOHANG, PL_F_UNMATCHED, ... */
static inline void sy_reap(struct synth *s, __u32 pid, __u32 reaper, unsigned flags, int status)
{
	struct pl_event e = sy_ev(s, PL_EV_REAP, pid);

	e.tid = 0;
	e.flags = flags;
	e.reaper = reaper;
	e.pstart = s->start[reaper];
	e.status = status;
	if (flags & PL_F_UNMATCHED)
		e.start = 0;
	else if (!(flags & PL_F_AUTO))
		e.zombie_ns = e.ts - s->zombie_at[pid];
	sy_emit(s, &e);
}

static inline void sy_free_task(struct synth *s, __u32 pid, int status)
{
	struct pl_event e = sy_ev(s, PL_EV_FREE, pid);

	e.status = status;
	sy_emit(s, &e);
}

static inline void sy_reparent(struct synth *s, __u32 pid, __u32 np, unsigned adopter)
{
	struct pl_event e = sy_ev(s, PL_EV_REPARENT, pid);

	e.old_parent = s->parent[pid];
	e.new_parent = np;
	e.new_parent_start = s->start[np];
	e.adopter = (int)adopter;
	if (adopter == PL_ADOPT_THREAD)
		e.flags = PL_F_THREAD;
	else
		s->parent[pid] = np;
	sy_emit(s, &e);
}

static inline void sy_wait(struct synth *s, __u32 pid, bool nohang)
{
	struct pl_event e = sy_ev(s, PL_EV_WAIT, pid);

	e.flags = nohang ? PL_F_NOHANG : 0;
	e.options = nohang ? 1 : 0;
	s->waits[pid]++;
	s->polls[pid] += nohang;
	sy_emit(s, &e);
}

/* the end of tracing: the waits the kernel counted of the processes still
 * running, as the tracer reads them (PL_EV_WAITS) */
static inline void sy_waits_at_end(struct synth *s)
{
	for (__u32 pid = 1; pid < SY_PIDS; pid++) {
		struct pl_event e;

		if (!s->waits[pid])
			continue;
		e = sy_ev(s, PL_EV_WAITS, pid);
		e.waits = s->waits[pid];
		e.nohang_polls = s->polls[pid];
		s->waits[pid] = s->polls[pid] = 0;
		sy_emit(s, &e);
	}
}

/* bootstrap record of a process that was there before tracing */
static inline void sy_proc(struct synth *s, __u32 pid, __u32 ppid, __u64 start, unsigned flags,
			   int status)
{
	struct pl_event e;

	s->start[pid] = start;
	s->parent[pid] = ppid;
	e = sy_ev(s, PL_EV_PROC, pid);
	e.ppid = ppid;
	e.pstart = s->start[ppid];
	e.flags = flags;
	e.status = status;
	e.threads = 1;
	sy_who(s, &e);
	sy_emit(s, &e);
}

/* the whole end of a child its parent waits for */
static inline void sy_die(struct synth *s, __u32 pid, int status, __u64 zombie_ns)
{
	__u32 reaper = s->parent[pid];

	sy_exit(s, pid, status);
	sy_zombie(s, pid, status);
	sy_sleep(s, zombie_ns);
	sy_reap(s, pid, reaper, 0, status);
	sy_free_task(s, pid, status);
}

/* init (1) and a parent (100) that were there before tracing */
static inline struct synth *sy_world_hist(unsigned history)
{
	struct synth *s = sy_new_hist(100, history);

	sy_proc(s, 1, 0, 1 * MS, 0, 0);
	sy_proc(s, 100, 1, 2 * MS, 0, 0);
	return s;
}

static inline struct synth *sy_world(void)
{
	return sy_world_hist(0);
}

static inline const struct pl_proc *sy_find(struct synth *s, __u32 pid)
{
	return pl_model_find(s->m, pid);
}

/* how many ended processes the model keeps for the tree */
static inline unsigned sy_nended(struct synth *s)
{
	unsigned n = 0;

	for (const struct pl_proc *p = pl_model_next_ended(s->m, NULL); p;
	     p = pl_model_next_ended(s->m, p))
		n++;
	return n;
}

/* the n-th conclusion of a kind, or NULL */
static inline const struct pl_event *sy_concl(struct synth *s, unsigned kind, int n)
{
	for (int i = 0; i < s->nconcl && i < SY_CONCL; i++)
		if (s->concl[i].kind == kind && n-- == 0)
			return &s->concl[i];
	return NULL;
}

static inline int sy_nconcl(struct synth *s, unsigned kind)
{
	int n = 0;

	for (int i = 0; i < s->nconcl && i < SY_CONCL; i++)
		n += s->concl[i].kind == kind;
	return n;
}

#endif
