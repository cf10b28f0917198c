/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The maps and globals every program file shares. Defined once in
 * maps.bpf.c; the other files see these declarations, and the BPF linker
 * makes them one object. Maps a kernel cannot have (task storage before
 * 5.12) or a mechanism does not use are not created there
 * (src/capture/mechanisms.c).
 */
#ifndef PROCLIFE_MAPS_BPF_H
#define PROCLIFE_MAPS_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "records.h"

/* set by userspace before load */
extern const volatile __u32 follow_only;  /* emit only for followed processes */
extern const volatile __u64 wakeup_bytes; /* force a wakeup past this backlog */

/* read by userspace: records dropped because the ring was full, per kind,
 * and the other things the kernel side had to give up on */
extern __u64 lost[PL_EV_KINDS];
extern __u64 stats[PL_STATS];
/* set by userspace while its timer is slowed down (nothing came for a
 * while): the next record wakes it at once */
extern __u32 reader_idle;

struct events_map {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 << 20); /* resized by userspace (--ring-kb) */
};
extern struct events_map events SEC(".maps");

/* processes followed with -p / -- COMMAND; children join at fork. Twice the
 * default pid_max, so a whole busy subtree fits; a full table is counted.
 * tgid -> the starts of its lives followed: its pid may be handed to
 * another process as soon as it is released, before its free (which
 * tells a reap no wait showed) drops the entry; the newest first (0: any
 * start, for the tracer itself while it starts the command) */
struct followed_map {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, struct pl_followed);
};
extern struct followed_map followed SEC(".maps");

/*
 * A process from its exit to its release, by global pid. First its exit,
 * not told yet: the zombie moment, which follows it in the same task, tells
 * both in one record (or the last switch, when no signal will come). Then
 * the zombie waiting for its reap.
 */
struct zombie {
	__u32 owner; /* the pid whose slot this is; 0: free (slots only) */
	__u32 parent;
	__u64 start;
	__u64 since;   /* the zombie moment; 0: not yet */
	__s32 status;
	__s32 wstatus; /* as wait reports it: SIGCHLD says only the leader's code */
	__u32 reaped;  /* its reap is told: its free need not be */
	__u32 adopt_told; /* the parent whose leaving it is told adopted from
			     (when its adopter was notified); 0: none */
	__u32 held;    /* its exit and zombie moment (zn) wait to be told (tell_held) */
	/* the parent it was told adopted from before adopt_told: that one's
	 * last switch may come after a second hand-off */
	__u32 adopt_told_before;
	__u64 task;    /* its leader's task_struct, read only through probe reads */
	char comm[PL_COMM_LEN];
	/* its exit while not told: exit_ts 0 once told */
	__u64 exit_ts;
	__u32 exit_tid;
	__u16 exit_cpu;
	__u16 before; /* a zombie already when tracing began: since is when it was found */
	struct pl_rec_exit_part exit;
	struct pl_rec_zombie_part zn; /* the zombie moment held with the exit */
	__u64 exit_rt; /* the exiting thread's own CPU time as exit read it */
};

/*
 * A process's exit and its zombie moment are held (in its zombie) from
 * that moment until its last thread stops for good (its last switch): only
 * then has the scheduler added that thread's last stretch on the CPU to its
 * sum, the sum wait4 reports. Whichever hook tells the record first takes
 * it, so it is told once: the last switch, or a hook that must tell
 * something of the process after it (its reap, its adoption, its free).
 * With PL_M_BASE's atomics the taking is a compare-and-swap of the
 * zombie's held; before them (5.10, 5.11), the delete of this entry.
 */
struct held_exits_map {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096); /* ends between a zombie moment and a last switch */
	__type(key, __u32);
	__type(value, __u64);      /* the process's start */
};
extern struct held_exits_map held_exits SEC(".maps");

/* an exec record is built here and only the bytes of its file name it
 * needs cross the ring (bpf_ringbuf_output), as a reservation's size
 * must be known when the program is loaded */
struct exec_scratch_map {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pl_rec_exec);
};
extern struct exec_scratch_map exec_scratch SEC(".maps");

/* a process's waits, counted as each call returns and told with its exit,
 * or listed at the end for the processes still running (wait_counts.bpf.h):
 * with task storage, only those whose leader ended first, and init; else
 * one per process that waits, as many as can be followed */
struct wait_counts_map {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, struct pl_wait_count);
};
extern struct wait_counts_map wait_counts SEC(".maps");
/* with task storage (wait_counts.bpf.h): how many processes the hash holds */
extern __u64 waits_in_hash;

/* with task storage: the counts, kept in the process's leader */
struct wait_store_map {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct pl_wait_count);
};
extern struct wait_store_map wait_store SEC(".maps");

/*
 * Zombies sit in a slot chosen by pid modulo ZOMBIE_SLOTS: found with no
 * hashing and no lock, dropped with a store. A slot is taken with an atomic
 * compare-and-swap of its owner (5.12); a zombie whose slot another pid
 * holds goes to the hash, which alone holds every zombie on kernels without
 * BPF atomics. Few zombies live at once, so with slots the hash is rarely
 * used (-DZOMBIE_SLOTS=1 sends nearly all there, to test it).
 */
#ifndef ZOMBIE_SLOTS
#define ZOMBIE_SLOTS 32768 /* a power of two: the default pid_max */
#endif

struct zombie_slots_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, ZOMBIE_SLOTS);
	__type(key, __u32);
	__type(value, struct zombie);
};
extern struct zombie_slots_map zombie_slots SEC(".maps");

/* as many zombies at once as processes can be followed; a full table is
 * counted (zombie_table_full) and the free then tells the reap */
struct zombies_map {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, struct zombie);
};
extern struct zombies_map zombies SEC(".maps");
/* with slots: at least as many as the hash holds (a replaced entry counts
 * twice), so 0 lets a pid not in its slot skip the hash */
extern __u64 zombies_in_hash;

/* (parent tgid, pid as the parent's namespace sees it) -> global pid, only
 * for parents in a child pid namespace. LRU: a zombie whose reap was never
 * seen must not hold its entry forever */
struct ns_key {
	__u32 parent;
	__u32 nr;
};

struct ns_zombies_map {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 32768);
	__type(key, struct ns_key);
	__type(value, __u32);
};
extern struct ns_zombies_map ns_zombies SEC(".maps");

/* children of an exiting thread, checked again after exit_notify */
struct kid {
	__u32 pid;
	__u32 dead; /* already released at the exit: no orphan */
	__u64 start;
	__u64 task; /* its task_struct, for kernels without bpf_task_from_pid */
};

struct exiting {
	__u32 tgid;
	__u32 n;
	struct kid kids[PL_MAX_CHILDREN];
};

/* who took an orphan */
struct adopter {
	__u64 start;     /* its process start */
	__u32 tgid;
	__u32 kind;      /* PL_ADOPT_* */
	__u32 releases;  /* its SIGCHLD disposition has the kernel release children */
	__u32 nocldwait; /* by SA_NOCLDWAIT, not SIG_IGN */
};

/*
 * A child the kernel has released (EXIT_DEAD) may still be on its parent's
 * list when that parent exits, and the kernel then points even it at the
 * next adopter: at its old parent's last switch, its real_parent need no
 * longer be the adopter that released it. That adopter is kept here from
 * its own exit. Such children are rare: a small LRU.
 */
struct holder {
	__u64 start; /* the child's */
	struct adopter a;
};

struct holders_map {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct holder);
};
extern struct holders_map holders SEC(".maps");

/* kept in the exiting thread itself: its last switch finds it (or, for
 * nearly all threads, finds none) without a hash lookup */
struct exitings_map {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct exiting);
};
extern struct exitings_map exitings SEC(".maps");

/* the same by thread id, before task storage (5.10, 5.11): a thread is in
 * it from its exit to its last switch, so a few per CPU at most; allocated
 * as needed (each is 1.6 KiB) and a full table is counted */
struct exitings_by_tid_map {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct exiting);
};
extern struct exitings_by_tid_map exitings_by_tid SEC(".maps");

/* one zeroed entry per CPU that a new exitings_by_tid entry is copied from */
struct exiting_scratch_map {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct exiting);
};
extern struct exiting_scratch_map exiting_scratch SEC(".maps");

/* per CPU: the zombie a dying thread's last switch tells of, built here as
 * that program's stack holds the rest of its work (sched_switch programs
 * run with interrupts off and do not nest: one entry a CPU is enough) */
struct switch_zombie_scratch_map {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct zombie);
};
extern struct switch_zombie_scratch_map switch_zombie_scratch SEC(".maps");

/*
 * What the thread whose exit ends its process tells at its last switch,
 * after exit_notify, because no signal will tell it:
 * - AUTOREAP: its parent ignores SIGCHLD (SIG_IGN): the kernel releases it
 *   in exit_notify with no signal. The parent may change its handler as
 *   soon as it is gone, so the handler is read at exit; who released it
 *   is read at the last switch (a process adopted while it exits is
 *   released by its adopter, and told so with no last words), unless the
 *   parent its exit began under, kept here, released it and ended before
 *   the kernel took it off its list (switch.bpf.c: tell_autoreap). Not
 *   told apart: that race when the adopter it is pointed at releases
 *   children too, or when an adopter in between released it.
 * - SILENT_ZOMBIE: its exit signal is 0: a zombie no signal announces.
 */
enum { AUTOREAP = 1, SILENT_ZOMBIE };

struct last_words {
	__u64 start;
	__u64 parent_start; /* the parent its exit began under */
	__u32 parent;
	__u32 kind;     /* AUTOREAP, SILENT_ZOMBIE */
	__u32 reported; /* each once, however many threads switch out:
			   1 told, 2 lost (its free tells) */
	__u32 pad;      /* no hole in a value copied from the stack */
};

/* kept in the thread whose exit ends the process: its own last switch
 * tells it, and when it is the leader (nearly always) its free knows it
 * was told. Never through group_leader: once the process is released,
 * nothing keeps a leader that is not this thread alive. */
struct last_words_map {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct last_words);
};
extern struct last_words_map last_words SEC(".maps");

/* the same by thread id before task storage; dropped at the thread's free.
 * As many as zombies can be remembered */
struct last_words_by_tid_map {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, struct last_words);
};
extern struct last_words_by_tid_map last_words_by_tid SEC(".maps");

/* the wait4/waitid call a thread is in */
struct wait_call {
	__u64 uptr; /* status (wait4) or siginfo (waitid) in user memory */
	__u32 options;
	__u32 waitid;
	__u32 which; /* waitid: P_PID, P_ALL... */
	__s32 id;    /* waitid's id, wait4's pid */
};

/* before bpf_task_pt_regs() (5.15): each call's arguments, kept at
 * sys_enter by thread id until its sys_exit. One per thread in a wait:
 * twice the default pid_max */
struct wait_args_map {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, struct wait_call);
};
extern struct wait_args_map wait_args SEC(".maps");

/* before bpf_task_pt_regs() (5.15): an execve/execveat's file name and
 * arguments (user pointers), kept at its entry until it returns; an LRU,
 * as a thread that execs from outside its leader returns under another id */
struct exec_call {
	__u64 filename;
	__u64 argv;
	__s32 dirfd; /* execveat's, else PL_AT_FDCWD */
	__u32 flags;
};

struct exec_args_map {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, struct exec_call);
};
extern struct exec_args_map exec_args SEC(".maps");

/* before sched_process_exit's group_dead: the processes whose end one of
 * their threads has told (tgid -> start), so a second thread that also
 * sees the last one gone does not tell it again; dropped at the free */
struct group_exits_map {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, __u64);
};
extern struct group_exits_map group_exits SEC(".maps");

/* the same with task storage, on the process's leader, freed with it */
struct group_told_map {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u32);
};
extern struct group_told_map group_told SEC(".maps");

#endif /* PROCLIFE_MAPS_BPF_H */
