/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The process model: events in, a faithful picture of processes out.
 * Plain C, no I/O. The live tracer and replay feed it the same records, so
 * every reconstruction rule lives here once.
 *
 * A process is (pid, start): a reused pid is a new life. Threads belong to
 * their process; the tree is built on processes, by current parent.
 * Everything a printer needs is readable from struct pl_proc and
 * struct pl_counts; only the model writes them.
 */
#ifndef PL_MODEL_H
#define PL_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include "events.h"

enum pl_state {
	PL_ST_RUNNING = 0,
	PL_ST_EXITED, /* exit seen, not yet a zombie */
	PL_ST_ZOMBIE,
	PL_ST_REAPED,
	PL_ST_FREED,  /* reaped and its task freed */
};

enum pl_reap_kind {
	PL_RK_NONE = 0,
	PL_RK_WAIT,     /* its parent collected it with wait4/waitid */
	PL_RK_AUTO,     /* SIGCHLD ignored or SA_NOCLDWAIT: never a zombie */
	PL_RK_ADOPTED,  /* reparented while a zombie, reaped by the adopter */
	PL_RK_INFERRED, /* only the free was seen: reaper and duration are bounds */
	PL_RK_KINDS,
};

/* pl_proc.flags */
enum pl_proc_flag {
	PL_P_PLACEHOLDER = 1 << 0, /* only known as someone's parent/reaper */
	PL_P_BOOTSTRAP = 1 << 1,   /* alive when tracing started */
	PL_P_SUBREAPER = 1 << 2,
	PL_P_ORPHAN = 1 << 3,      /* reparented (not to a thread of its parent) */
	PL_P_ZOMBIE_ADOPTED = 1 << 4, /* reparented while already a zombie */
	PL_P_LONG_ZOMBIE = 1 << 5, /* zombie time crossed the threshold */
	PL_P_EXEC_THREAD = 1 << 6, /* a non-leader thread exec'd */
	PL_P_NO_BIRTH = 1 << 7,    /* first seen after its birth, not at bootstrap */
	PL_P_REPARENT_UNSEEN = 1 << 8, /* parent changed with no reparent record */
	PL_P_ZOMBIE_BEFORE = 1 << 9, /* already a zombie at bootstrap: times are lower bounds */
	PL_P_SUPERSEDED = 1 << 10, /* its pid was reused before its end was seen */
	PL_P_FOLLOWED = 1 << 11,   /* in the followed subtree (pl_model_follow) */
	PL_P_DOUBLE_FORK = 1 << 12, /* the grandchild of a double fork */
	PL_P_HAS_STATUS = 1 << 13, /* status is known */
	PL_P_FORKED = 1 << 14,     /* its fork record was seen */
	PL_P_COUNTED_END = 1 << 15, /* its end is in the exit counts */
	PL_P_REAP_INFERRED = 1 << 16, /* reap known only from the free */
	PL_P_REAP_EARLY = 1 << 17, /* reap seen before its zombie or exit record */
	PL_P_RELEASED = 1 << 18,   /* out of the table, kept in the history */
	PL_P_REPORTED = 1 << 19,   /* handed to on_release already */
	PL_P_WHO = 1 << 20,        /* uid, gid, euid are known */
	PL_P_ARGV_CUT = 1 << 21,   /* argv holds the first of more arguments */
	PL_P_USAGE = 1 << 22,      /* cpu_*_ns and max_rss_kb are known (at its exit) */
	PL_P_KILLER = 1 << 23,     /* the sender of the signal that ended it is known */
	PL_P_REPARENT_TOLD = 1 << 24,  /* REPARENT_UNSEEN, told as a derived reparent */
	PL_P_NEGLECT_AT_LEAST = 1 << 25, /* neglect_ns is a lower bound (zombies from
					    before the trace) */
	PL_P_REAP_AT_EXIT = 1 << 26, /* reaped by its parent's own end (a pid namespace's
					init): zombie_ns is an upper bound */
	PL_P_WHO_LEARNED = 1 << 27, /* its user changed with no record: a child's fork said it */
	PL_P_ARGV_CUT_INSIDE = 1 << 28, /* with ARGV_CUT: the last kept argument is its beginning */
	PL_P_TOP_ZOMBIE = 1 << 29, /* a record of it went to the longest zombies (agg_zombie) */
	PL_P_REAPER_UNKNOWN = 1 << 30, /* a zombie when last seen, and records of reaps were
					  lost: whether it was reaped, and by whom, is not known
					  (set as the exporters are handed it) */
};

/* bytes of a process's arguments the model keeps (the log keeps 4 KiB):
 * whole arguments, the last perhaps cut, PL_P_ARGV_CUT then set */
#define PL_ARGV_KEEP 1024

/* facts the model could not establish, by reason */
enum pl_uncertain {
	PL_U_PARENT_UNKNOWN = 0, /* a parent or reaper known only by pid: placeholder */
	PL_U_NO_BIRTH,           /* a process first seen after its birth (fork lost?) */
	PL_U_REAP_INFERRED,      /* reap concluded from free: reaper and duration bounds */
	PL_U_REAP_UNMATCHED,     /* reap without a zombie record: zombie time unknown */
	PL_U_REAP_UNKNOWN,       /* reap of a process the model never saw */
	PL_U_REAP_EARLY,         /* reap seen before its zombie or exit record */
	PL_U_REPARENT_UNSEEN,    /* parent changed with no reparent record */
	PL_U_END_UNSEEN,         /* freed or pid reused with no exit seen */
	PL_U_UNKNOWN_RECORD,     /* a record about a process that no longer exists here */
	PL_U_LAST_THREAD,        /* threads ended together, no group_dead: last unknown */
	PL_UNCERTAIN,
};

struct pl_proc {
	__u32 pid;
	__u32 ppid_birth;     /* parent at birth (0: unknown) */
	__u64 start;          /* identity with pid */
	__u64 pstart_birth;

	struct pl_proc *parent; /* current parent, NULL for a root */
	struct pl_proc *child;  /* first child (current parent == this) */
	struct pl_proc *next_sib, *prev_sib;
	__u32 kids;             /* children still in the table: it is kept for them */
	struct pl_proc *hnext;  /* lives hashed on the same pid */
	struct pl_proc *znext, *zprev; /* zombies not yet flagged */

	char comm[PL_COMM_LEN];
	char comm0[PL_COMM_LEN]; /* its name at birth (no birth seen: before its first exec) */
	/* its name after its last exec (none: at birth, or as first seen), what
	 * the filters keep it by: a rename since (prctl) shows in comm alone */
	char comm_exec[PL_COMM_LEN];
	char *filename;          /* last exec'd file, NULL if none */
	__u32 execs;
	__u32 threads;           /* live threads, leader included */

	__u64 birth_ts, exec_ts, exit_ts, zombie_ts, reap_ts, free_ts, reparent_ts; /* 0: not seen */
	__u64 zombie_ns;         /* time as a zombie (upper bound if inferred) */
	__u64 zparent_start;
	__u32 zparent;           /* parent when it became a zombie: the one that had to reap */
	/* when zparent was handed the zombie (0: at its zombie moment) and
	 * when it handed it on (0: it kept it) */
	__u64 zparent_from, zparent_until;
	__u32 reaper;
	__u32 old_parent;        /* parent before the reparenting */
	__s32 status;            /* raw wait status (PL_P_HAS_STATUS) */
	__s32 nice;
	__u32 ns_pid, ns_level, ns_inum;
	__u32 neglected;         /* its children left zombies past the threshold */
	__u32 creator;           /* what made it its sibling (CLONE_PARENT), 0: its parent */
	__u64 neglect_ns;        /* their total zombie time */
	/* of them, for a parent the trace does not follow (init, a subreaper
	 * that adopted them), those it followed: the followed subtree's part */
	__u32 neglected_followed;
	__u64 neglect_followed_ns;
	__u32 flags;             /* enum pl_proc_flag */
	__u8 state;              /* enum pl_state */
	__u8 reap_kind;          /* enum pl_reap_kind */
	__u8 adopter;            /* enum pl_adopter, for PL_P_ORPHAN */
	__u8 kill_why;           /* enum pl_kill_why, for PL_P_KILLER */
	__u8 told;               /* enum pl_told: the views' own, the model only keeps it */

	/* Strings below are the model's shared copies (one for every process
	 * that has the same): read them while the process is. */
	/* who it runs as and where, from its latest fork, exec, bootstrap or
	 * exit record (PL_P_WHO): a change shows at its next fork, exec or its
	 * exit (a user change at a child's fork too, PL_P_WHO_LEARNED) */
	__u32 uid, gid, euid;
	__u32 argv_len;          /* bytes of argv */
	__u64 cgroup_id;
	const char *cgroup;      /* that cgroup's path; NULL: not known */
	/* its last exec's arguments, each ending in a NUL, at most
	 * PL_ARGV_KEEP bytes; before an exec, its parent's at the fork (what
	 * /proc/PID/cmdline shows); NULL: none known */
	const char *argv;
	/* the whole name where comm is the first 15 bytes of a longer one
	 * (the exec'd file's or argv[0]'s last part); see pl_proc_name() */
	const char *name;
	/* the same of comm0: its whole name at birth; see pl_proc_birth_name() */
	const char *name0;
	/* what it used, told at its exit (PL_P_USAGE), as wait4 reports it */
	__u64 cpu_user_ns, cpu_sys_ns, max_rss_kb;
	/* who sent the signal that ended it (PL_P_KILLER): 0 for the kernel */
	__u32 killer;
	__u64 killer_start;
	char killer_comm[PL_COMM_LEN];
	const char *killer_name; /* the killer's whole name then; NULL: killer_comm is */
	/* its execve/execveat calls that failed, the last one's errno and file */
	__u32 exec_fails;
	__u32 fails_pending;     /* of them, since its last exec that worked */
	__s32 fail_errno;
	const char *fail_file;
};

/* a zombie from before the trace whose reap was only inferred from its
 * free: it became one at a moment unseen and was reaped at one unseen, so
 * no bound of its zombie time is known (zombie_ns 0) */
static inline bool pl_zombie_time_unknown(__u32 flags)
{
	return (flags & (PL_P_ZOMBIE_BEFORE | PL_P_REAP_INFERRED)) ==
	       (PL_P_ZOMBIE_BEFORE | PL_P_REAP_INFERRED);
}

/* a zombie's time (zombie_ns) as a bound where the model saw only part
 * of it: "at least" (a zombie before tracing began), "at most" (its reap
 * inferred from its free, or told at its parent's end); NULL: exact */
static inline const char *pl_zombie_time_bound(__u32 flags)
{
	if (flags & PL_P_ZOMBIE_BEFORE)
		return "at least";
	if (flags & (PL_P_REAP_INFERRED | PL_P_REAP_AT_EXIT))
		return "at most";
	return NULL;
}

/* of a zombie's time until end, the part its zparent held it: all of it,
 * or, for one handed on as a zombie, from when zparent was handed it to
 * when it handed it on (each adoption of a zombie moves it once) */
static inline __u64 pl_zombie_held(const struct pl_proc *p, __u64 end)
{
	__u64 from = p->zparent_from > p->zombie_ts ? p->zparent_from : p->zombie_ts;
	__u64 until = p->zparent_until && p->zparent_until < end ? p->zparent_until : end;

	return until > from ? until - from : 0;
}

/* p's name: the whole one where comm was cut at 15 bytes and the whole is
 * known, else comm */
const char *pl_proc_name(const struct pl_proc *p);
/* the same, of its name after its last exec (comm_exec): what filters keep it by */
const char *pl_proc_exec_name(const struct pl_proc *p);
/* the same, of its name at birth (comm0, or comm when no birth was seen) */
const char *pl_proc_birth_name(const struct pl_proc *p);
/* how long a zombie not reaped yet has been one at now (boot ns) */
static inline unsigned long long pl_proc_zombie_so_far(const struct pl_proc *p,
						      unsigned long long now)
{
	return now > p->zombie_ts ? now - p->zombie_ts : 0;
}

/* a process flattened, with no pointer into the model: what the exporters
 * and verify keep of it once the model has let it go */
struct pl_proc_rec {
	__u32 pid, ppid_birth, old_parent, zparent, reaper, ns_pid;
	__u32 parent;            /* current parent (0: none) */
	__u64 start, pstart_birth, parent_start;
	__u64 birth_ts, exec_ts, exit_ts, zombie_ts, reap_ts, reparent_ts; /* 0: not seen */
	__u64 zombie_ns;
	__s32 status, nice;
	__u32 flags;             /* enum pl_proc_flag */
	__u32 execs;
	__u8 state, reap_kind, adopter, kill_why;
	char comm[PL_COMM_LEN];
	/* the strings are malloc'd copies; NULL if none (or no memory) */
	char *filename;          /* last exec'd file */
	char *name;              /* pl_proc_name()'s, when it is not comm */
	char *argv;              /* argv_len bytes, as struct pl_proc's */
	char *cgroup;
	char *fail_file;
	__u32 argv_len;
	__u32 uid, gid, euid;    /* PL_P_WHO */
	__u64 cpu_user_ns, cpu_sys_ns, max_rss_kb; /* PL_P_USAGE */
	__u32 killer;            /* PL_P_KILLER */
	__u64 killer_start;
	char killer_comm[PL_COMM_LEN];
	char *killer_name;       /* as struct pl_proc's */
	__u32 exec_fails;
	__s32 fail_errno;
};

/* p's record into r; pl_proc_rec_free() lets go of its strings */
void pl_proc_rec_fill(struct pl_proc_rec *r, const struct pl_proc *p);
void pl_proc_rec_free(struct pl_proc_rec *r);

struct pl_counts {
	unsigned long long events[PL_EV_KINDS]; /* records fed, per kind */
	unsigned long long forks, threads, execs;
	unsigned long long exit_code, exit_signal, exit_core;
	unsigned long long exit_no_wait; /* no status wait() reports: a kernel thread's return */
	unsigned long long zombies, zombies_long;
	unsigned long long zombies_time_unknown; /* reaped, from before the trace, unseen */
	unsigned long long reaps[PL_RK_KINDS];
	unsigned long long waits, nohang_polls, nohang_reaps;
	unsigned long long orphans[PL_ADOPT_OTHER + 1]; /* by adopter */
	unsigned long long double_forks;
	unsigned long long exec_fails;      /* execve/execveat calls that failed */
	unsigned long long fails_then_exec; /* of them, followed by an exec of the
					       same process (a $PATH search) */
	unsigned long long bootstrap, pid_reuses;
	unsigned long long uncertain[PL_UNCERTAIN];
	unsigned long long lost[PL_EV_KINDS];   /* from pl_model_set_counters */
	unsigned long long stats[PL_STATS];
	unsigned long long live, released;      /* table entries now / let go */
	unsigned long long history_dropped;     /* released and no longer kept in the history */
};

/* a reaped zombie remembered for the summary (the longest are kept) */
struct pl_zombie_rec {
	__u32 pid, zparent, reaper;
	__u64 start, zombie_ns;
	__u8 reap_kind, followed;
	__u8 at_least;  /* a zombie before tracing began: zombie_ns is a lower bound */
	__u8 at_most;   /* reaped at a moment not seen, before it was told: an upper bound */
	const char *name; /* the model's copy of its whole name; NULL: comm is whole */
	char comm[PL_COMM_LEN];
};

/* a parent that left children zombies past the threshold */
struct pl_neglect_rec {
	__u32 pid, count;
	__u64 start, total_ns;
	__u8 followed;
	__u8 at_least; /* total_ns a lower bound: zombies from before the trace */
	const char *name; /* as in pl_zombie_rec */
	char comm[PL_COMM_LEN];
};

struct pl_orphan_rec {
	__u32 pid, old_parent, new_parent;
	__u64 start, ts;
	__u8 adopter, as_zombie, double_fork, followed;
	const char *name; /* as in pl_zombie_rec */
	char comm[PL_COMM_LEN];
};

/* the aggregates below are kept for the whole machine and, apart, for
 * the followed subtree: [PL_SCOPE_FOLLOWED] */
enum { PL_SCOPE_MACHINE, PL_SCOPE_FOLLOWED, PL_SCOPES };

/* which cgroup leaves zombies and orphans: the long zombies (past the
 * threshold) and the orphans whose own cgroup it was */
struct pl_cgroup_rec {
	const char *cgroup; /* the model's copy; NULL: processes whose cgroup is not known */
	struct {
		unsigned long long zombies_long, orphans;
		unsigned long long zombie_ns; /* the time of its long zombies reaped */
	} of[PL_SCOPES];
};

/* a process that ended, with what it used (the most are kept) */
struct pl_usage_rec {
	__u32 pid;
	__u64 start;
	__u64 cpu_ns, cpu_user_ns, max_rss_kb;
	const char *name; /* the model's copy of its whole name; NULL: comm is whole */
	char comm[PL_COMM_LEN];
};

/* execs that failed alike: the same errno for the same file */
struct pl_fail_rec {
	const char *file; /* the model's copy; NULL: none was said */
	__s32 err;
	unsigned long long count[PL_SCOPES];
	/* of them, followed by an exec of the same process that worked (a
	 * search of $PATH): the rest stood */
	unsigned long long found[PL_SCOPES];
	__u32 last_pid;   /* the last process it happened to */
	const char *last_name; /* its whole name, as pl_zombie_rec's */
	char last_comm[PL_COMM_LEN];
};

/* a zombie that lasts longer is flagged as neglected (--zombie-ms): a
 * parent that reaps when it is told, even from a busy event loop on a
 * loaded machine, takes a few milliseconds; one that takes a tenth of a
 * second is not reaping promptly */
#define PL_ZOMBIE_MS_DEFAULT 100
#define PL_ZOMBIE_MS_MAX 86400000 /* a day: --zombie-ms's bound */
/* a middle process that exits this soon after forking the grandchild did
 * so to orphan it (a double fork), not because its own work was done */
#define PL_DOUBLE_FORK_MS_DEFAULT 100

#define PL_TOP_ZOMBIES 32
#define PL_TOP_NEGLECT 16
#define PL_MAX_ORPHAN_RECS 64
#define PL_MAX_CGROUP_RECS 256
#define PL_TOP_USAGE 32
#define PL_MAX_FAIL_RECS 128
#define PL_HISTORY_DEFAULT 4096

struct pl_model_opts {
	unsigned zombie_ms; /* threshold (0: PL_ZOMBIE_MS_DEFAULT) */
	void (*conclude)(void *ctx, const struct pl_event *e);
	void *ctx;
	unsigned double_fork_ms; /* middle exits this soon after the grandchild's
				    birth: a double fork (0: PL_DOUBLE_FORK_MS_DEFAULT) */
	/* called with the whole record just before a process leaves the
	 * table (and from pl_model_flush for those still in it), so an
	 * exporter can write it out while it is complete; once each */
	void (*on_release)(void *ctx, const struct pl_proc *p);
	/* released processes kept, still linked under their parent, so the
	 * tree can show how they ended; the oldest go first. 0: none; pass
	 * PL_HISTORY_DEFAULT for the usual (pl_model_new(NULL) does) */
	unsigned history;
	/* the model prints nothing: what it could not do (a process it had
	 * no memory to keep) comes back here as one line, without "error: ",
	 * for the caller to print or count; NULL: not told */
	void (*problem)(void *ctx, const char *what);
	/* waits counted from wait records, as logs written before the kernel
	 * counted them need; otherwise from a process's exit (or, for one
	 * still running at the end, its PL_EV_WAITS) */
	bool waits_from_records;
	/* nothing will print the summary: its rankings (the longest zombies,
	 * the most CPU and memory) are not kept, work saved on every life */
	bool no_summary;
};

struct pl_model;

/* NULL when out of memory (nothing is printed) */
struct pl_model *pl_model_new(const struct pl_model_opts *o);
void pl_model_free(struct pl_model *m);
/* kernel records, bootstrap PL_EV_PROC records, replayed records;
 * events with PL_F_DERIVED are ignored */
void pl_model_feed(struct pl_model *m, const struct pl_event *e);
/* flags live zombies that crossed the threshold */
void pl_model_tick(struct pl_model *m, unsigned long long now_boot_ns);
/* on_release for every process still in the table, oldest first, for
 * the end of a trace; the table is left as it is for the printers */
void pl_model_flush(struct pl_model *m);
void pl_model_set_counters(struct pl_model *m, const unsigned long long lost[PL_EV_KINDS],
			   const unsigned long long stats[PL_STATS]);
/* the followed subtree's root (pl_model_follow), 0: none */
__u32 pl_model_followed_root(const struct pl_model *m);
/* the current life with that pid, or NULL */
const struct pl_proc *pl_model_find(const struct pl_model *m, __u32 pid);
/* one exact life, or NULL */
const struct pl_proc *pl_model_find_life(const struct pl_model *m, __u32 pid, __u64 start);
/* e, a reparent record, is of an orphaning the model has told already as
 * a conclusion from a later record (pl_model_feed then takes what it says
 * exactly; the views have told it) */
bool pl_model_orphaning_told(const struct pl_model *m, const struct pl_event *e);
/* e, a whole process's exit that says who it ran as (PL_F_WHO), says what
 * the model knew already: its user, group and cgroup since its fork or exec */
bool pl_model_who_known(const struct pl_model *m, const struct pl_event *e);
/* at the end: the orphanings still waiting for their record are told, and
 * lives whose pid was reused with no end seen are ended */
void pl_model_settle(struct pl_model *m);
/* what a view has told of a process, kept with it */
enum pl_told { PL_TOLD_BIRTH = 1 };
void pl_model_told(struct pl_model *m, __u32 pid, __u64 start, unsigned what);

/* the root of a subtree that never began (a command stopped before it was
 * run): above any pid, so no process is in it */
#define PL_PID_NONE ((__u32)-1)

/* the followed subtree: pid and everything born under it from now on */
void pl_model_follow(struct pl_model *m, __u32 pid);
/* is p in the subtree of root (0: everything)? by birth lineage for the
 * followed root, by current parent otherwise */
bool pl_model_in_subtree(const struct pl_model *m, const struct pl_proc *p, __u32 root);

/* every process in the table: start with NULL, NULL at the end; in no
 * particular order; the model must not be fed while iterating */
const struct pl_proc *pl_model_next(const struct pl_model *m, const struct pl_proc *prev);

/* released processes kept in the history, oldest release first; same
 * rules as pl_model_next. Their parent links still hold: a printer
 * walking children sees them, one walking the table does not */
const struct pl_proc *pl_model_next_ended(const struct pl_model *m, const struct pl_proc *prev);

/* the whole machine: every record fed, bootstrap included */
const struct pl_counts *pl_model_counts(const struct pl_model *m);
/* the same counts for the followed subtree alone (lost records, kernel
 * stats, uncertain facts, live and released stay in the machine's);
 * the machine's counts when root is 0 or not the followed root */
const struct pl_counts *pl_model_counts_of(const struct pl_model *m, __u32 root);
unsigned pl_model_zombie_ms(const struct pl_model *m);
/* when the first zombie not yet held past that threshold reaches it, the
 * moment a tick flags it (boot ns; 0: no zombie waits) */
unsigned long long pl_model_next_due(const struct pl_model *m);
/* the latest boot ns seen in a record or a tick: "now" for live zombies */
unsigned long long pl_model_now(const struct pl_model *m);
/* reaped zombies, longest first */
const struct pl_zombie_rec *pl_model_zombie_recs(const struct pl_model *m, size_t *n);
/* parents of released processes that neglected children, most first;
 * live parents carry theirs in pl_proc.neglected */
const struct pl_neglect_rec *pl_model_neglect_recs(const struct pl_model *m, size_t *n);
/* the first PL_MAX_ORPHAN_RECS orphanings; *more: how many were not kept */
const struct pl_orphan_rec *pl_model_orphan_recs(const struct pl_model *m, size_t *n,
						  unsigned long long *more);
/* cgroups that had long zombies or orphans, in the order first seen;
 * *more: such facts about cgroups past the first PL_MAX_CGROUP_RECS */
const struct pl_cgroup_rec *pl_model_cgroup_recs(const struct pl_model *m, size_t *n,
						  unsigned long long *more);
/* the processes of the subtree of root (as pl_model_counts_of) that used
 * the most CPU, most first; *ended: how many ended with their use told */
const struct pl_usage_rec *pl_model_top_cpu(const struct pl_model *m, __u32 root, size_t *n,
					     unsigned long long *ended);
/* the same by peak memory */
const struct pl_usage_rec *pl_model_top_rss(const struct pl_model *m, __u32 root, size_t *n,
					     unsigned long long *ended);
/* failed execs by errno and file, in the order first seen; more: failed
 * execs past the first PL_MAX_FAIL_RECS kinds, per scope */
const struct pl_fail_rec *pl_model_fail_recs(const struct pl_model *m, size_t *n,
					      const unsigned long long **more);
/* the scope (PL_SCOPE_*) of root's subtree, as pl_model_counts_of has it */
unsigned pl_model_scope(const struct pl_model *m, __u32 root);

/* the stream stopped before its end was told (a log with no trailer):
 * what the kernel tells only with an exit or at the end, the waits of
 * processes still running, was never told */
void pl_model_set_end_untold(struct pl_model *m);
/* are the wait counts short of those still running (waits counted by the
 * kernel, and the end untold)? */
bool pl_model_waits_partial(const struct pl_model *m);

/* bytes the model holds now: table, processes, names, aggregates */
size_t pl_model_bytes(const struct pl_model *m);

const char *pl_state_name(unsigned state);       /* "running", ... */
const char *pl_reap_kind_name(unsigned kind);    /* "wait", "auto", "adopted", "inferred" */
const char *pl_uncertain_reason(unsigned reason); /* a sentence fragment */
/* qsort comparator for arrays of const struct pl_proc *: oldest first */
int pl_proc_by_birth(const void *a, const void *b);
/* records of a zombie's end (reap, free) were lost: a zombie not seen to
 * end may have ended unseen, so its reaper is unknown, not "none yet" */
bool pl_model_ends_lost(const struct pl_model *m);
/* its state as the printers should state it: "reaper unknown" for a
 * zombie whose end may have been lost */
const char *pl_proc_state(const struct pl_model *m, const struct pl_proc *p);
/* still alive: not exited, not a placeholder */
bool pl_proc_alive(const struct pl_proc *p);

#endif
