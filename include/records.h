/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The records that cross the ring buffer (and the task iterator), written
 * by bpf/ and read by src/capture/record.c, which makes struct pl_event of
 * them. Each kind has its own size, and says only what it needs to: a
 * fork carries no file name, an exec as much of its file name as there is.
 * Where one moment follows another in the same task (a process's exit,
 * then its zombie moment), one record tells both. Fixed-width types only.
 */
#ifndef PROCLIFE_RECORDS_H
#define PROCLIFE_RECORDS_H

#include "events.h"

/* a record's kind: an event's (enum pl_kind), or two events at once */
enum pl_rec_kind {
	PL_REC_EXIT_ZOMBIE = 32, /* a process's exit, then its zombie moment */
	PL_REC_EXIT_REAP,        /* a process's exit, then its release by a parent
				    that ignores SIGCHLD (an auto-reap) */
	PL_REC_KILL,             /* a signal that ends the process unless it is
				    stopped first: who sent it (told with the
				    exit it causes, not a line of its own) */
	PL_REC_CGROUP,           /* a cgroup made or renamed: its id and path
				    (names later records' cgroups, no line) */
	PL_REC_OOM,              /* the OOM killer marked the thread h.tid its
				    victim, right after it sent it SIGKILL (that
				    kill's record says the OOM killer; no line) */
};

/* every record begins with this; it is about the process pid */
struct pl_rec {
	__u64 ts;    /* CLOCK_BOOTTIME ns */
	__u64 start; /* identity: its start_boottime (0: unknown) */
	__u32 pid;   /* tgid */
	__u32 tid;
	__u32 flags; /* enum pl_flag */
	__u16 kind;  /* enum pl_kind or enum pl_rec_kind */
	__u16 cpu;
	char comm[PL_COMM_LEN];
};

/* the process in its own pid namespace; level 0: the initial one */
struct pl_rec_ns {
	__u32 pid;
	__u32 level;
	__u32 inum;
	__u32 pad;
};

/* who the process runs as, and where: its real user and group, its
 * effective user, its cgroup in the unified (v2) hierarchy */
struct pl_rec_who {
	__u64 cgroup; /* the cgroup's id (its kernfs inode); 0: none */
	__u32 uid;
	__u32 gid;
	__u32 euid;
	__u32 pad;
};

struct pl_rec_fork {
	struct pl_rec h;
	__u64 pstart;
	__u32 ppid; /* the parent (a thread's own process for a thread) */
	__s32 nice;
	struct pl_rec_ns ns;
	struct pl_rec_who who;
	/* the process that made it, when that is not its parent: CLONE_PARENT
	 * made it its maker's sibling (0: its parent made it) */
	__u32 creator;
	__u32 pad;
};

/*
 * An exec, or an exec that failed (PL_EV_EXEC_FAILED: from the syscall's
 * return, err its errno). As much of the file name and the arguments as
 * there is crosses: data holds the name (filename_len bytes, its NUL
 * included), then args_len bytes of arguments, each ending in a NUL (the
 * last one cut short when PL_F_ARGS_TRUNCATED). The scratch copy it is
 * built in has room for the longest of each and some more, which the
 * verifier needs to see each write fits.
 */
#define PL_REC_FILENAME_MAX PL_PATH_MAX
#define PL_REC_ARGS_MAX PL_ARGS_MAX
#define PL_REC_ARGS_COUNT 128    /* arguments read of a failed exec */
#define PL_AT_FDCWD (-100)       /* a name relative to the working directory */
#define PL_REC_EXEC_DATA (PL_REC_FILENAME_MAX + 2 * PL_REC_ARGS_MAX)

struct pl_rec_exec {
	struct pl_rec h;
	__u64 pstart;
	__u32 ppid;
	__s32 nice;
	struct pl_rec_ns ns;
	struct pl_rec_who who;
	__u32 old_tid;
	__s32 err;
	__u16 filename_len;
	__u16 args_len;
	/* a failed execveat's directory, when its name is relative or empty
	 * (AT_EMPTY_PATH): the name is then told as the kernel tells a
	 * successful one's, /dev/fd/N/NAME or /dev/fd/N; PL_AT_FDCWD else */
	__s32 dirfd;
	char data[PL_REC_EXEC_DATA];
};

/* an exit, of a thread (PL_F_THREAD) or of a whole process */
struct pl_rec_exit_part {
	__u64 pstart;
	__u32 ppid;
	__s32 status;
	__s32 nice;
	__u32 waits;        /* a whole process's: its waits, counted in the kernel */
	__u32 nohang_polls; /* of them, WNOHANG polls */
	/* a whole process's parent as an adopter (enum pl_adopter: init or
	 * subreaper; 0 for any other), for a reparenting no record told */
	__u32 parent_kind;
	/* a whole process's use, as wait4's rusage reports it: the CPU time of
	 * its threads (the scheduler's exact sum), the kernel's user and system
	 * ticks that split it, its peak resident set in pages */
	__u64 cpu_ns;
	__u64 utime;
	__u64 stime;
	__u64 max_rss_pages;
	/* a whole process's: who it ran as at its end, and where (a worker
	 * that became another user with no exec, a process moved to another
	 * cgroup, since its fork or exec) */
	struct pl_rec_who who;
};

struct pl_rec_exit {
	struct pl_rec h;
	struct pl_rec_exit_part x;
};

/* the zombie moment: the parent is notified (told alone, or after the exit
 * in one record: then its own time and thread) */
struct pl_rec_zombie_part {
	__u64 ts;
	__u64 parent_start;
	__u32 parent; /* who must reap it */
	__s32 status; /* as wait() will report it */
	__u32 tid;    /* the thread that notified the parent */
	__u32 pad;
};

struct pl_rec_zombie {
	struct pl_rec h;
	struct pl_rec_zombie_part z;
};

struct pl_rec_exit_zombie {
	struct pl_rec h; /* the exit's */
	struct pl_rec_exit_part x;
	struct pl_rec_zombie_part z;
};

struct pl_rec_reap_part {
	__u64 ts;
	__u64 reaper_start;
	__u64 zombie_ns;
	__u32 reaper;
	__s32 status;
	__u32 flags;  /* the reap's: PL_F_AUTO, PL_F_FINAL... */
	__u32 ns_pid; /* the pid the reaper's namespace saw, when not the initial one */
};

struct pl_rec_reap {
	struct pl_rec h;
	struct pl_rec_reap_part r; /* r.ts and r.flags are h's */
};

struct pl_rec_exit_reap {
	struct pl_rec h; /* the exit's */
	struct pl_rec_exit_part x;
	struct pl_rec_reap_part r;
};

struct pl_rec_wait {
	struct pl_rec h;
	__u32 target; /* the pid waited for, 0: any */
	__s32 options;
};

struct pl_rec_reparent {
	struct pl_rec h;
	__u64 new_parent_start;
	__u32 old_parent;
	__u32 new_parent;
	__u32 adopter; /* enum pl_adopter */
	__u32 pad;
	struct pl_rec_ns ns;
};

struct pl_rec_free {
	struct pl_rec h;
	__s32 status;
	__u32 pad;
};

/* a fatal signal sent to the process pid (h.tid: the thread it was sent
 * to): by a process (sender, sender_start, sender_comm) or by the kernel
 * (sender 0, why says what for) */
struct pl_rec_kill {
	struct pl_rec h;
	__u64 sender_start;
	__u32 sender;
	__u32 sig;
	__s32 code; /* si_code */
	__u32 why;  /* enum pl_kill_why */
	char sender_comm[PL_COMM_LEN];
};

/* the OOM killer's victim: h.tid (the thread its SIGKILL was sent to);
 * nothing else of h is known */
struct pl_rec_oom {
	struct pl_rec h;
};

/* a cgroup of the unified hierarchy, made or renamed: its path from the
 * hierarchy's root (path_len bytes, the NUL included) */
struct pl_rec_cgroup {
	struct pl_rec h;
	__u64 id;
	__u32 path_len;
	__u32 pad;
	char path[PL_PATH_MAX];
};

/* bootstrap, from the task iterator */
struct pl_rec_proc {
	struct pl_rec h;
	__u64 pstart;
	__u32 ppid;
	__s32 nice;
	__u32 threads;
	__s32 status; /* PL_F_ZOMBIE: as wait() will report it */
	struct pl_rec_ns ns;
	struct pl_rec_who who;
};

/* a process's waits, counted in the kernel (in its leader's task storage,
 * or the map wait_counts by tgid): userspace reads those of the processes
 * still running at the end */
struct pl_wait_count {
	__u64 start; /* the process's, so a reused pid starts again */
	__u32 waits;
	__u32 nohang_polls;
};

/* the counts kept in a leader, as the end's task iterator lists them */
struct pl_waits_left {
	__u32 pid;
	__u32 pad;
	struct pl_wait_count c;
};

/* a followed pid's entry (-p, -- COMMAND), written by userspace for the
 * first process: the starts of the lives of the pid followed, the newest
 * first; a pid reused before its last life's free (which may tell that
 * life's reap) keeps both. 0: any life */
struct pl_followed {
	__u64 start[2];
};

/* the ring buffer rounds records up to 8 bytes: every size is a multiple */
_Static_assert(sizeof(struct pl_rec) == 48, "record head");
_Static_assert(sizeof(struct pl_rec_fork) % 8 == 0, "fork record");
_Static_assert(sizeof(struct pl_rec_exit_zombie) % 8 == 0, "exit+zombie record");
_Static_assert(sizeof(struct pl_rec_exit_reap) % 8 == 0, "exit+reap record");
_Static_assert(sizeof(struct pl_rec_reap) % 8 == 0, "reap record");
_Static_assert(sizeof(struct pl_rec_reparent) % 8 == 0, "reparent record");
_Static_assert(sizeof(struct pl_rec_proc) % 8 == 0, "proc record");
_Static_assert(sizeof(struct pl_rec_kill) % 8 == 0, "kill record");
_Static_assert(sizeof(struct pl_rec_oom) % 8 == 0, "oom record");
_Static_assert(sizeof(struct pl_rec_cgroup) % 8 == 0, "cgroup record");
/* an exec record is cut after its arguments: they must come last */
_Static_assert(__builtin_offsetof(struct pl_rec_exec, data) + PL_REC_EXEC_DATA ==
		       sizeof(struct pl_rec_exec),
	       "exec record: data last");

#endif /* PROCLIFE_RECORDS_H */
