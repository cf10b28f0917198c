/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one record that crosses the ring buffer, shared by bpf/ and src/.
 * Fixed-width types only: the BPF side and userspace must agree byte for byte.
 */
#ifndef PROCLIFE_EVENTS_H
#define PROCLIFE_EVENTS_H

#ifdef __BPF__
/* vmlinux.h already defines __u32 and friends */
#else
#include <linux/types.h>
#endif

#define PL_COMM_LEN 16
#define PL_FILENAME_LEN 128
#define PL_MAX_CHILDREN 64 /* children remembered per exiting thread */

enum pl_kind {
	PL_EV_NONE = 0,
	PL_EV_FORK,     /* pid: the child; ppid: its parent process */
	PL_EV_EXEC,     /* pid: the process; pid2: the tid that called exec */
	PL_EV_EXIT,     /* pid: the process (or thread with PL_F_THREAD) */
	PL_EV_ZOMBIE,   /* pid: the child; ppid: the parent that must reap it */
	PL_EV_WAIT,     /* pid: the waiter; pid2: the pid waited for (0: any) */
	PL_EV_REAP,     /* pid: the reaped child; ppid: the reaper */
	PL_EV_REPARENT, /* pid: the orphan; ppid: old parent; pid2: new parent */
	PL_EV_FREE,     /* pid: the process whose task is freed */
	PL_EV_PROC,     /* bootstrap: a process alive when tracing started */
	/* conclusions of the model (userspace only, flag PL_F_DERIVED) */
	PL_EV_ZOMBIE_LONG, /* pid: a zombie that outlived --zombie-ms; ppid: its parent */
	PL_EV_DOUBLE_FORK, /* pid: the grandchild; ppid: the middle process that exited;
			      pid2: the original parent */
	PL_EV_KINDS,    /* number of kinds: array bound */
};

/* bits of pl_event.flags */
enum pl_flag {
	PL_F_THREAD = 1 << 0,     /* a thread, not a process */
	PL_F_GROUP_DEAD = 1 << 1, /* exit: the last thread of the process */
	PL_F_AUTO = 1 << 2,       /* reap: auto-reaped (SIG_IGN or SA_NOCLDWAIT) */
	PL_F_INFERRED = 1 << 3,   /* reap: concluded from free, no wait was seen */
	PL_F_NOHANG = 1 << 4,     /* wait/reap: WNOHANG */
	PL_F_UNMATCHED = 1 << 5,  /* reap: no zombie record; start and zombie_ns unknown */
	PL_F_TRUNCATED = 1 << 6,  /* exec: filename cut to PL_FILENAME_LEN */
	PL_F_WAITID = 1 << 7,     /* wait/reap: waitid, not wait4 */
	PL_F_ZOMBIE = 1 << 8,     /* proc: already a zombie at bootstrap */
	PL_F_SUBREAPER = 1 << 9,  /* proc: PR_SET_CHILD_SUBREAPER set */
	PL_F_NOCLDWAIT = 1 << 10, /* reap: parent had SA_NOCLDWAIT, not SIG_IGN */
	PL_F_EXITED = 1 << 11,    /* proc: exiting, not yet a zombie, at bootstrap */
	PL_F_DERIVED = 1 << 12,   /* concluded by the model, not said by the kernel:
				     replay does not feed these back */
	PL_F_FINAL = 1 << 13,     /* reap: the kernel released the task and no free
				     record will follow it */
	PL_F_GROUP_RACE = 1 << 14, /* thread exit: it too saw its process's last
				      thread gone, on a kernel whose exit
				      tracepoint has no group_dead: which thread
				      ended the process is not known */
};

/* pl_event.aux for PL_EV_REPARENT: who took the orphan */
enum pl_adopter {
	PL_ADOPT_UNKNOWN = 0,
	PL_ADOPT_INIT,      /* the child reaper (init) of its pid namespace */
	PL_ADOPT_SUBREAPER, /* an ancestor with PR_SET_CHILD_SUBREAPER */
	PL_ADOPT_THREAD,    /* another thread of the same process: not an orphaning */
	PL_ADOPT_OTHER,
};

/* counters kept by the BPF side besides per-kind losses (pl_stats[]) */
enum pl_stat {
	PL_STAT_REPARENT_UNCHECKED = 0, /* child gone before its new parent could be read */
	PL_STAT_CHILDREN_TRUNCATED,     /* more than PL_MAX_CHILDREN children at exit */
	PL_STAT_ZOMBIE_TABLE_FULL,      /* zombie could not be remembered */
	PL_STAT_FOLLOW_TABLE_FULL,      /* followed process could not be added (-p) */
	PL_STAT_EXITING_TABLE_FULL,     /* exiting thread's children not remembered */
	PL_STATS,
};

struct pl_event {
	__u64 ts;     /* CLOCK_BOOTTIME ns */
	__u64 start;  /* identity: start_boottime ns of the process (0: unknown) */
	__u32 kind;   /* enum pl_kind */
	__u32 flags;  /* enum pl_flag bits */
	__u32 pid;    /* tgid of the process the event is about */
	__u32 tid;    /* thread id */
	__u32 ppid;   /* the other process: parent, reaper or old parent */
	__u32 pid2;   /* new parent (reparent), exec's old tid, waited-for pid,
			 thread count (proc) */
	__u64 pstart; /* start of ppid's process (0: unknown) */
	__u64 dur;    /* reap: ns the child spent as a zombie */
	__s32 status; /* raw wait status (exit, zombie, reap, proc zombie) */
	__s32 aux;    /* nice (fork, exit, proc), adopter (reparent),
			 options (wait) */
	__u32 ns_pid;   /* pid inside its own pid namespace (0: init ns) */
	__u32 ns_level; /* depth of that namespace */
	__u32 ns_inum;  /* inode number of that namespace */
	__u32 cpu;
	char comm[PL_COMM_LEN];
	char filename[PL_FILENAME_LEN]; /* exec only */
};

#endif /* PROCLIFE_EVENTS_H */
