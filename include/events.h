/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What both sides share: the kinds of events, their flags, adopters and the
 * BPF side's counters; and struct pl_event, an event as userspace works
 * with it. The records that cross the ring buffer are in records.h.
 * Fixed-width types only.
 */
#ifndef PROCLIFE_EVENTS_H
#define PROCLIFE_EVENTS_H

#ifdef __BPF__
/* vmlinux.h already defines __u32 and friends */
#else
#include <string.h>
#include <linux/types.h>
#endif

#define PL_COMM_LEN 16
#define PL_PATH_MAX 4096 /* an exec's file name, its NUL included: the kernel's bound */
#define PL_ARGS_MAX 4096 /* an exec's arguments told, each one's NUL included */
/* an exiting thread's children checked for their new parent after its
 * exit: more are counted (children_truncated), not checked */
#define PL_MAX_CHILDREN 64

/* what an event is about is its pid; struct pl_event names the rest */
enum pl_kind {
	PL_EV_NONE = 0,
	PL_EV_FORK,     /* the child */
	PL_EV_EXEC,     /* the process */
	PL_EV_EXIT,     /* the process (or a thread, with PL_F_THREAD) */
	PL_EV_ZOMBIE,   /* the child, at the moment its parent is notified */
	PL_EV_WAIT,     /* the waiter: a wait begins */
	PL_EV_REAP,     /* the reaped child */
	PL_EV_REPARENT, /* the orphan */
	PL_EV_FREE,     /* the process whose task is freed */
	PL_EV_PROC,     /* bootstrap: a process alive when tracing started */
	PL_EV_WAITS,    /* a process still running when tracing stopped: its
			   waits, which the kernel counts (userspace only) */
	PL_EV_EXEC_FAILED, /* the process: an execve/execveat that returned an error */
	/* conclusions of the model (userspace only, flag PL_F_DERIVED) */
	PL_EV_ZOMBIE_LONG, /* a zombie that outlived --zombie-ms */
	PL_EV_DOUBLE_FORK, /* the grandchild its middle process left at once */
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
	PL_F_TRUNCATED = 1 << 6,  /* exec, exec_failed: filename cut at PATH_MAX */
	PL_F_WAITID = 1 << 7,     /* wait/reap: waitid, not wait4 */
	PL_F_ZOMBIE = 1 << 8,     /* proc: already a zombie at bootstrap; zombie_long,
				     reap: so its zombie_ns is a lower bound */
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
	PL_F_ARGS_TRUNCATED = 1 << 15, /* exec, exec_failed: more arguments than
					  were kept */
	/* userspace only: which of struct pl_event's optional parts are known */
	PL_F_WHO = 1 << 16,    /* uid, gid, euid, cgroup_id */
	PL_F_USAGE = 1 << 17,  /* cpu_user_ns, cpu_sys_ns, max_rss_kb */
	PL_F_KILLER = 1 << 18, /* killer, killer_start, killer_comm, kill_why */
	PL_F_THEN_ZOMBIE = 1 << 19, /* exit: the zombie event right after it says
				       nothing the exit does not, but its time
				       (zombie_ts): one log line tells both */
	PL_F_STATUS_UNKNOWN = 1 << 20, /* reap (unmatched): its status was not seen
					  (no zombie record, and the wait asked
					  for none): status is 0 and means nothing */
	PL_F_AT_EXIT = 1 << 21, /* reap: by its parent's own end (a pid namespace's
				   init waits in the kernel for the zombies it
				   had): zombie_ns is at most, to that end */
};

/* who ended a process with a signal (records.h: struct pl_rec_kill) */
enum pl_kill_why {
	PL_KILL_UNKNOWN = 0,
	PL_KILL_SENT,    /* a process sent it (kill, tgkill, sigqueue...): the killer */
	PL_KILL_KERNEL,  /* the kernel, for no process it names (a terminal, a timer...) */
	PL_KILL_FAULT,   /* a fault of the process itself (SIGSEGV, SIGBUS, SIGILL...) */
	PL_KILL_OOM,     /* the out-of-memory killer */
	PL_KILL_SECCOMP, /* a seccomp filter (SIGSYS) */
	PL_KILL_WHYS,
};

/* pl_event.adopter: who took an orphan */
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
	PL_STAT_KILLS_LOST,             /* a fatal signal's sender not told: ring full */
	PL_STAT_CGROUPS_LOST,           /* a new cgroup's path not told: ring full */
	PL_STAT_NS_ZOMBIE_MISSED,       /* a reap in a child pid namespace with no
					   zombie remembered for the pid it returned */
	PL_STAT_RUNS_SKIPPED,           /* runs of a program the kernel skipped (one
					   was running on that CPU): facts of any kind */
	PL_STATS,
};

/* a counter the kernel does not keep (PL_STAT_RUNS_SKIPPED before 5.12,
 * or a log that does not say) */
#define PL_NOT_COUNTED (~0ULL)

#ifndef __BPF__
/*
 * An event as userspace works with it: what src/capture/ makes of a
 * record, what the log's lines read back into, what the model takes. Each
 * field that means something else per kind is a union of its meanings.
 * No padding between members: events are compared whole (memcmp), and a
 * copy need not carry the bytes of a hole.
 */
struct pl_event {
	__u64 ts;     /* CLOCK_BOOTTIME ns */
	__u64 start;  /* identity: start_boottime ns of the process (0: unknown) */
	__u32 kind;   /* enum pl_kind */
	__u32 flags;  /* enum pl_flag bits */
	__u32 pid;    /* tgid of the process the event is about */
	__u32 tid;    /* thread id */
	union {       /* the other process the event names */
		__u32 ppid;       /* fork, exec, exit, proc: the parent */
		__u32 parent;     /* zombie, zombie_long: the parent that must reap it */
		__u32 reaper;     /* reap */
		__u32 old_parent; /* reparent */
		__u32 middle;     /* double_fork: the process that forked it and left */
	};
	union {
		__u32 old_tid;         /* exec: the thread that called exec */
		__u32 target;          /* wait: the pid waited for (0: any) */
		__u32 new_parent;      /* reparent */
		__u32 threads;         /* proc */
		__u32 original_parent; /* double_fork */
		__u32 creator;         /* fork: the process that made it, when that
					  is not its parent (CLONE_PARENT); 0 otherwise */
	};
	union {       /* the start of a process named above (0: unknown) */
		__u64 pstart;           /* ppid's, parent's, reaper's or middle's */
		__u64 new_parent_start; /* reparent */
	};
	union {
		__u64 zombie_ns;      /* reap, zombie_long: time spent a zombie */
		__u64 middle_exit_ns; /* double_fork: how soon the middle left */
		__u64 zombie_ts;      /* exit (PL_F_THEN_ZOMBIE): when it became a zombie */
	};
	__s32 status; /* raw wait status (exit, zombie, reap, free, proc zombie) */
	union {
		__s32 nice;    /* fork, exec, exit, proc */
		__s32 adopter; /* reparent: enum pl_adopter */
		__s32 options; /* wait */
	};
	__u32 parent_kind;  /* exit of a process: its parent as an adopter (init, subreaper; 0: other or unknown) */
	__u32 waits;        /* exit of a process, waits: its waits (the kernel counts them) */
	__u32 nohang_polls; /* of them, WNOHANG polls */
	__u32 ns_pid;   /* pid inside its own pid namespace (0: init ns) */
	__u32 ns_level; /* depth of that namespace */
	__u32 ns_inum;  /* inode number of that namespace */
	__u32 cpu;
	__s32 err; /* exec_failed: its errno */
	char comm[PL_COMM_LEN];
	/* exec, exec_failed: the file name, and args_len bytes of arguments,
	 * each ending in a NUL. They point into the record or the line read
	 * and last while the event is handled (NULL: none) */
	const char *filename;
	const char *args;
	__u32 args_len;
	/* fork, exec, exec_failed, proc, exit of a whole process (PL_F_WHO):
	 * who it runs as, and where */
	__u32 uid, gid, euid;
	__u64 cgroup_id;
	const char *cgroup; /* the cgroup's path in the unified hierarchy (NULL: not known) */
	/* exit of a whole process (PL_F_USAGE): what it used, as wait4 reports it */
	__u64 cpu_user_ns, cpu_sys_ns;
	__u64 max_rss_kb;
	/* exit by a signal whose sending was seen (PL_F_KILLER) */
	__u32 killer;   /* the sender's tgid; 0: the kernel */
	__u32 kill_why; /* enum pl_kill_why */
	__u64 killer_start;
	char killer_comm[PL_COMM_LEN];
};

/* an event with nothing in it. Copied from a zeroed one: a memset of this
 * size compiles to a string instruction whose start-up costs more than the
 * copy, on the path every record takes */
static inline void pl_event_clear(struct pl_event *e)
{
	static const struct pl_event none;

	*e = none;
}

/*
 * The zombie moment an exit with PL_F_THEN_ZOMBIE tells too: the same
 * process, thread, CPU, parent and status, at zombie_ts. One definition for
 * the side that decides an exit may tell it (src/capture/record.c) and the
 * side that reads it back from the exit's log line (src/log/reader.c).
 */
static inline void pl_event_zombie_of_exit(const struct pl_event *exit, struct pl_event *zombie)
{
	pl_event_clear(zombie);
	zombie->kind = PL_EV_ZOMBIE;
	zombie->ts = exit->zombie_ts;
	zombie->pid = exit->pid;
	zombie->tid = exit->tid;
	zombie->start = exit->start;
	memcpy(zombie->comm, exit->comm, sizeof(zombie->comm));
	zombie->cpu = exit->cpu;
	zombie->parent = exit->ppid;
	zombie->pstart = exit->pstart;
	zombie->status = exit->status;
}
#endif

#endif /* PROCLIFE_EVENTS_H */
