/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Reading proclife-workload's ground truth (format in
 * src/workload/manifest.h) with simdjson (log/json_line.h), for `proclife verify`.
 */
#ifndef PL_MANIFEST_H
#define PL_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include "events.h"

enum mf_reaper {
	MF_REAPER_NONE = 0,
	MF_REAPER_PID,       /* a named process reaps it with wait */
	MF_REAPER_INIT,      /* orphaned: the pid namespace's init */
	MF_REAPER_SUBREAPER, /* orphaned: a subreaper, reaper_pid */
	MF_REAPER_AUTO,      /* its parent ignores SIGCHLD: never a zombie */
};

struct mf_proc {
	unsigned run;             /* index in manifest.runs */
	char role[32];
	__u32 pid, parent, ns_pid;
	__u64 fork_lo, fork_hi;   /* its start lies here (0, 0: unknown) */
	__u64 zombie_seen_ns;     /* it was a zombie by here (0: unknown) */
	__u64 reaped_ns;          /* its reaper's wait returned here (0: unknown) */
	bool has_status;
	int status;
	enum mf_reaper reaper;
	__u32 reaper_pid;
	int reap_seq;             /* 0: none */
	bool in_handler, nohang;
	long hold_ms;
	bool orphan, orphan_as_zombie;
	__u32 old_parent, new_parent;
	char adopter[16];
	bool exec;
	char *exec_filename; /* NULL: none said */
	char exec_comm[PL_COMM_LEN];
	__u32 exec_tid;
	bool has_nice;
	int nice;
	bool reused;              /* a second life of a pid */
	bool has_who;
	__u32 uid, gid;
	char *cgroup;             /* NULL: not said */
	bool has_usage;           /* CPU it saw of itself, and wait4's account after its end */
	__u64 self_cpu_ns, reaped_cpu_ns, reaped_maxrss_kb;
	__u32 killed_by;          /* with kill_reason: 0 for the kernel */
	char kill_reason[16];     /* "": not said */
};

struct mf_thread {
	unsigned run;
	__u32 tid, pid;
	bool exec_gone;           /* vanished when another thread exec'd */
};

struct mf_run {
	char scenario[32];
	char result[16];
	__u64 begin_ns, end_ns;
	long long empty_polls;    /* -1: not a fact of this run */
	long long polls;          /* all its WNOHANG polls, -1: not a fact */
	__u32 ns_init;            /* the pid namespace's init for its orphans (0: host's) */
};

struct manifest {
	__u32 generator;
	__u32 ns_init;
	struct mf_run *runs;
	size_t nruns;
	struct mf_proc *procs;
	size_t nprocs;
	struct mf_thread *threads;
	size_t nthreads;
};

/* NULL after printing why ("FILE: what is wrong") */
struct manifest *manifest_read(const char *path);
/* the same from text in memory (for tests and fuzzing); err gets the reason */
struct manifest *manifest_parse(const char *text, size_t len, char *err, size_t errlen);
void manifest_free(struct manifest *m);
/* does any of its runs hold ground truth (result "ok")? A manifest with
 * no runs is taken as it is */
bool manifest_runs_ok(const struct manifest *m);

#endif
