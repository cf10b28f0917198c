/* SPDX-License-Identifier: GPL-2.0 */
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

struct pl_rec_fork {
	struct pl_rec h;
	__u64 pstart;
	__u32 ppid; /* the parent (a thread's own process for a thread) */
	__s32 nice;
	struct pl_rec_ns ns;
};

/* as much of the file name as there is crosses: filename_len bytes, its
 * NUL included */
#define PL_REC_FILENAME_MAX PL_FILENAME_LEN

struct pl_rec_exec {
	struct pl_rec h;
	__u64 pstart;
	__u32 ppid;
	__s32 nice;
	struct pl_rec_ns ns;
	__u32 old_tid;
	__u16 filename_len;
	__u16 pad;
	char filename[PL_REC_FILENAME_MAX];
};

/* an exit, of a thread (PL_F_THREAD) or of a whole process */
struct pl_rec_exit_part {
	__u64 pstart;
	__u32 ppid;
	__s32 status;
	__s32 nice;
	__u32 waits;        /* a whole process's: its waits, counted in the kernel */
	__u32 nohang_polls; /* of them, WNOHANG polls */
	__u32 pad;
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

/* bootstrap, from the task iterator */
struct pl_rec_proc {
	struct pl_rec h;
	__u64 pstart;
	__u32 ppid;
	__s32 nice;
	__u32 threads;
	__s32 status; /* PL_F_ZOMBIE: as wait() will report it */
	struct pl_rec_ns ns;
};

/* a process's waits, counted in the kernel (the map wait_counts, by tgid):
 * userspace reads those of the processes still running at the end */
struct pl_wait_count {
	__u64 start; /* the process's, so a reused pid starts again */
	__u32 waits;
	__u32 nohang_polls;
};

/* the ring buffer rounds records up to 8 bytes: every size is a multiple */
_Static_assert(sizeof(struct pl_rec) == 48, "record head");
_Static_assert(sizeof(struct pl_rec_fork) % 8 == 0, "fork record");
_Static_assert(sizeof(struct pl_rec_exit_zombie) % 8 == 0, "exit+zombie record");
_Static_assert(sizeof(struct pl_rec_exit_reap) % 8 == 0, "exit+reap record");
_Static_assert(sizeof(struct pl_rec_reap) % 8 == 0, "reap record");
_Static_assert(sizeof(struct pl_rec_reparent) % 8 == 0, "reparent record");
_Static_assert(sizeof(struct pl_rec_proc) % 8 == 0, "proc record");
/* an exec record is cut after its file name: the name must come last */
_Static_assert(__builtin_offsetof(struct pl_rec_exec, filename) + PL_REC_FILENAME_MAX ==
		       sizeof(struct pl_rec_exec),
	       "exec record: filename last");

#endif /* PROCLIFE_RECORDS_H */
