/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * proclife-workload: shared state of the generator and its scenarios.
 *
 * Every process and thread a scenario creates gets one record in a table
 * mapped MAP_SHARED before the first fork, so a grandchild, an orphan or a
 * pid namespace's init can write down what it saw (its new parent, the
 * status it reaped) and the generator can both write the manifest and kill
 * whatever is left when it is interrupted.
 */
#ifndef WL_H
#define WL_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define WL_ROLE_LEN 32
#define WL_COMM_LEN 16
#define WL_PATH_LEN 256
#define WL_MAX_RECS (1 << 17)
#define WL_MAX_FACTS 32
#define WL_TIMEOUT_MS 10000 /* longest wait for anything a scenario expects */

enum wl_reaper {
	WL_REAP_NONE = 0,   /* not reaped by anyone (a thread) */
	WL_REAP_PID,        /* reaper_pid waits for it */
	WL_REAP_INIT,       /* the pid namespace's init (reaper_pid: its global pid) */
	WL_REAP_SUBREAPER,  /* a PR_SET_CHILD_SUBREAPER ancestor (reaper_pid) */
	WL_REAP_AUTO,       /* nobody: SIGCHLD ignored or SA_NOCLDWAIT */
};

struct wl_rec {
	int used;
	int thread;                  /* a thread (tid in pid), not a process */
	char role[WL_ROLE_LEN];
	pid_t pid;                   /* global pid (tid for threads) */
	pid_t ns_pid;                /* pid inside a child pid namespace, 0: none */
	pid_t parent;                /* tgid of the parent at birth (owner for threads) */
	long long start_ticks;       /* /proc/PID/stat field 22, -1: not read */
	uint64_t fork_lo, fork_hi;   /* CLOCK_BOOTTIME around fork(): start is inside */
	char comm[WL_COMM_LEN];      /* comm at birth */

	/* how it ends */
	int status;                  /* raw wait status */
	int status_set;              /* 1: intended, 2: seen by the reaper's wait() */
	int reaper;                  /* enum wl_reaper */
	pid_t reaper_pid;
	int reap_seq;                /* 1-based order among the reaper's reaps, 0: any */
	int hold_ms;                 /* zombie kept on purpose for this long */
	uint64_t exit_seen_ns;       /* its end seen by the generator (pipe EOF) */
	uint64_t zombie_seen_ns;     /* /proc showed it a zombie (0: not looked) */
	uint64_t reaped_ns;          /* wait() returned it */
	pid_t killed_by;             /* sender of the signal that ended it */
	int kill_reason;             /* enum wl_kill: how that signal came */
	int auto_mode;               /* 1: SIG_IGN, 2: SA_NOCLDWAIT */
	int in_handler;              /* reaped from a SIGCHLD handler */
	int nohang;                  /* reaped by waitpid(WNOHANG) polling */

	/* orphans */
	int orphan;
	pid_t old_parent;
	pid_t new_parent;            /* seen by the orphan itself (getppid) */
	int adopter;                 /* WL_REAP_INIT or WL_REAP_SUBREAPER */
	int as_zombie;               /* reparented while already a zombie */

	/* exec */
	int exec;
	char exec_file[WL_PATH_LEN];
	char exec_comm[WL_COMM_LEN];
	pid_t exec_tid;              /* thread that called execve */
	int vfork;
	uint64_t suspended_ns;       /* vfork: how long the parent was held */

	int nice_set;
	int nice;

	/* threads */
	int joined;                  /* joined by another thread */
	int exec_gone;               /* vanished when another thread exec'd */
	int lives_until_exit;        /* still running when the process exits */

	int task;                    /* pool/churn: tasks it ran */
	pid_t reused_from;           /* pid-reuse: same pid as this earlier life */

	/* who it runs as: its parent's ids at the fork, unless it changed them
	 * and exec'd (so a tracer saw the change) */
	uid_t uid;
	gid_t gid;
	int moved_cgroup;            /* in wl_moved_cgroup, not wl_cgroup */

	/* what it used: usage scenario */
	int usage;
	int burned_ms, touched_kb;
	uint64_t self_cpu_ns;        /* getrusage(RUSAGE_SELF) just before it exits */
	uint64_t reaped_cpu_ns;      /* wait4's account of it, after its end */
	long reaped_maxrss_kb;
};

enum wl_kill {
	WL_KILL_NONE = 0,
	WL_KILL_PROCESS, /* killed_by sent it */
	WL_KILL_FAULT,   /* its own fault: the kernel sent it */
};

struct wl_opts {
	int n;           /* 0: scenario's default */
	int hold_ms;
	int workers;
	int tasks;
	int rate;        /* storm forks per second, 0: as fast as possible */
	int seconds;     /* storm: run for this long instead of a count */
	const char *manifest;
};

struct wl_fact {
	char key[32];
	int is_str;
	long long num;
	char str[128];
};

/* one scenario run, kept by the generator until it is written out */
struct wl_run {
	const char *scenario;
	const char *result;          /* "ok", "skipped", "failed", "interrupted" */
	char reason[160];
	uint64_t begin_ns, end_ns;
	struct wl_fact facts[WL_MAX_FACTS];
	int nfacts;
};

struct wl_scenario {
	const char *name;
	const char *help;
	int needs_root;              /* 1: skipped without root, 2: partly */
	int (*run)(struct wl_run *run, const struct wl_opts *o);
};

extern const struct wl_scenario wl_scenarios[];
extern const int wl_nscenarios;

/* global state */
extern volatile sig_atomic_t wl_stop;  /* signal that asked us to stop */
extern struct wl_rec *wl_recs;         /* shared table */
extern int *wl_nrecs;                  /* shared count */
extern char wl_self_exe[WL_PATH_LEN];  /* what exec scenarios exec */
extern pid_t wl_ns_init;               /* our pid namespace's init as we see it */
extern pid_t wl_main_pid;
extern long wl_tick_ns;
/* the generator's cgroup in the unified hierarchy, as /proc/self/cgroup
 * says it; "" when that is not the hierarchy's own path (no cgroup2, or a
 * cgroup namespace) */
extern char wl_cgroup[WL_PATH_LEN];
/* where the cgroup scenario moves its child ("" before it does) */
extern char wl_moved_cgroup[WL_PATH_LEN];

/* proc.c: records, forks, reaps, ends */
int wl_table_init(void);
void wl_table_reset(void);
struct wl_rec *wl_new(const char *role);
struct wl_rec *wl_find(pid_t pid);
uint64_t wl_now(void);
int wl_sleep_ms(int ms);                 /* -1 when interrupted */
void wl_spin_us(int us);                 /* busy, no syscalls */
long long wl_stat_start(pid_t pid, pid_t *ppid, char *state);
pid_t wl_fork(const char *role, struct wl_rec **recp);
void wl_enter_ns(struct wl_rec *self);
int wl_reap(struct wl_rec *r, int *seq);
/* r was reaped here with status st: the next of this reaper's reaps */
void wl_note_reaped(struct wl_rec *r, int st, int *seq);
void wl_set_status(struct wl_rec *r, int status);
void wl_child_init(void);
int wl_pipe(int fd[2]);
/* a child tells on fd that it runs with its own signal dispositions (after
 * wl_child_init): a signal sent from then on meets SIG_DFL, as a tracer
 * that names the sender of a fatal signal needs it to */
void wl_ready(int fd);
/* until n children said so on fd: 0, or -1 after saying why */
int wl_wait_ready(int fd, int n);
int wl_wait_eof(int fd, struct wl_rec *r);
/* in r's parent, after its end is seen, until r is a zombie its parent was
 * told of: a hold counted from then is exact */
int wl_wait_zombie(struct wl_rec *r);
int wl_wait_gone(struct wl_rec *r);
int wl_wait_reparent(pid_t old_parent, struct wl_rec *self);
void wl_kill_all(void);
bool wl_is_root(void);

/* run.c: the program's own path (wl_self_exe), facts of a run, failing and skipping */
void wl_find_self(void);
/* processes the machine can start now, leaving some pids to everyone else
 * (-1: not known); *limit: its pid or task limit */
long wl_room_for_processes(long *limit);
void wl_fact_num(struct wl_run *run, const char *key, long long v);
void wl_fact_str(struct wl_run *run, const char *key, const char *v);
int wl_fail(struct wl_run *run, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int wl_skip(struct wl_run *run, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define WL_INTR 1 /* scenario return value: stopped by a signal */

/* scenarios */
int sc_fork_wait(struct wl_run *, const struct wl_opts *);
int sc_waitpid(struct wl_run *, const struct wl_opts *);
int sc_waitpid_nohang(struct wl_run *, const struct wl_opts *);
int sc_sigchld_handler(struct wl_run *, const struct wl_opts *);
int sc_auto_reap(struct wl_run *, const struct wl_opts *);
int sc_zombie(struct wl_run *, const struct wl_opts *);
int sc_zombie_never_reaped(struct wl_run *, const struct wl_opts *);
int sc_orphan(struct wl_run *, const struct wl_opts *);
int sc_subreaper(struct wl_run *, const struct wl_opts *);
int sc_double_fork(struct wl_run *, const struct wl_opts *);
int sc_exit_codes(struct wl_run *, const struct wl_opts *);
int sc_daemon_children(struct wl_run *, const struct wl_opts *);
int sc_pool(struct wl_run *, const struct wl_opts *);
int sc_spawn_churn(struct wl_run *, const struct wl_opts *);
int sc_nice(struct wl_run *, const struct wl_opts *);
int sc_threads(struct wl_run *, const struct wl_opts *);
int sc_exec(struct wl_run *, const struct wl_opts *);
int sc_exec_from_thread(struct wl_run *, const struct wl_opts *);
int sc_vfork(struct wl_run *, const struct wl_opts *);
int sc_pid_reuse(struct wl_run *, const struct wl_opts *);
int sc_pidns(struct wl_run *, const struct wl_opts *);
int sc_storm(struct wl_run *, const struct wl_opts *);
int sc_as_user(struct wl_run *, const struct wl_opts *);
int sc_cgroup(struct wl_run *, const struct wl_opts *);
int sc_usage(struct wl_run *, const struct wl_opts *);

/* context.c: the generator's own cgroup (wl_cgroup) */
void wl_find_cgroup(void);

/* exec.c: the hidden sub-command exec scenarios run */
int wl_exec_child_main(int argc, char **argv);
char **wl_exec_argv(const char *code);
/* r exec'd file; tid: the thread that did (0: it writes that itself) */
void wl_note_exec(struct wl_rec *r, const char *file, pid_t tid);
#define WL_SELF_LINK "/proc/self/exe" /* exec'd by this name, the comm becomes "exe" */

#endif
