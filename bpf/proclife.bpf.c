// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel side of proclife: one program per lifecycle hook, each turning what
 * the kernel does to a process into a fixed-size record in a ring buffer.
 * Tracepoints only (no kprobes/fentry on the target kernels).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "events.h"

char LICENSE[] SEC("license") = "GPL";

#define SIGCHLD 17
#define CLD_EXITED 1
#define CLD_KILLED 2
#define CLD_DUMPED 3
#define TASK_DEAD 0x80
#define EXIT_DEAD 0x10
#define EXIT_ZOMBIE 0x20
#define PF_EXITING 0x4
#define PF_KTHREAD 0x00200000
#define SIGNAL_GROUP_EXIT 0x4
#define SA_NOCLDWAIT 2
#define SIG_IGN 1
#define WNOHANG 1
#define WUNTRACED 2
#define WCONTINUED 8
#define WNOWAIT 0x01000000
#define MAX_PID_NS_LEVEL 32
#define NICE_0_PRIO 120

/* set by userspace before load */
const volatile __u32 follow_only = 0;          /* emit only for followed processes */
const volatile __u64 wakeup_bytes = 64 * 1024; /* force a wakeup past this backlog */

/* read by userspace: records dropped because the ring was full, per kind */
__u64 lost[PL_EV_KINDS] = {};
__u64 stats[PL_STATS] = {};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 << 20); /* resized by userspace */
} events SEC(".maps");

/* tgids followed with -p / -- COMMAND; children join at fork */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, __u8);
} followed SEC(".maps");

/* a zombie waiting for its reap, by global pid */
struct zombie {
	__u32 owner; /* the pid whose slot this is; 0: free (slots only) */
	__u32 parent;
	__u64 start;
	__u64 since;
	__s32 status;
	__s32 wstatus; /* as wait reports it: SIGCHLD says only the leader's code */
	__u32 reaped;  /* its reap is told: its free need not be */
	__u32 pad;
	char comm[PL_COMM_LEN];
};

/*
 * Zombies sit in a slot chosen by pid modulo ZOMBIE_SLOTS: found with no
 * hashing and no lock, dropped with a store. A slot is taken with an atomic
 * compare-and-swap of its owner; a zombie whose slot another pid holds goes
 * to the hash. Few zombies live at once, so the hash is rarely used
 * (-DZOMBIE_SLOTS=1 sends nearly all there, to test it).
 */
#ifndef ZOMBIE_SLOTS
#define ZOMBIE_SLOTS 32768 /* a power of two */
#endif

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, ZOMBIE_SLOTS);
	__type(key, __u32);
	__type(value, struct zombie);
} zombie_slots SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, struct zombie);
} zombies SEC(".maps");

static __always_inline struct zombie *zombie_slot(__u32 pid)
{
	__u32 i = pid & (ZOMBIE_SLOTS - 1);

	return bpf_map_lookup_elem(&zombie_slots, &i);
}

static __always_inline struct zombie *zombie_find(__u32 pid)
{
	struct zombie *z = zombie_slot(pid);

	if (z && z->owner == pid)
		return z;
	return bpf_map_lookup_elem(&zombies, &pid);
}

/* replaces what the pid held */
static __always_inline long zombie_put(__u32 pid, struct zombie *z)
{
	struct zombie *slot = zombie_slot(pid);

	if (slot && (slot->owner == pid || __sync_val_compare_and_swap(&slot->owner, 0, pid) == 0)) {
		z->owner = pid;
		*slot = *z;
		return 0;
	}
	z->owner = 0;
	return bpf_map_update_elem(&zombies, &pid, z, BPF_ANY);
}

/* z: what zombie_find(pid) gave */
static __always_inline void zombie_drop(__u32 pid, struct zombie *z)
{
	if (z->owner == pid)
		__sync_lock_test_and_set(&z->owner, 0); /* the slot is free for another pid */
	else
		bpf_map_delete_elem(&zombies, &pid);
}

/* (parent tgid, pid as the parent's namespace sees it) -> global pid,
 * only for parents in a child pid namespace */
struct ns_key {
	__u32 parent;
	__u32 nr;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, struct ns_key);
	__type(value, __u32);
} ns_zombies SEC(".maps");

/* children of an exiting thread, checked again after exit_notify */
struct kid {
	__u32 pid;
	__u32 pad;
	__u64 start;
};

struct exiting {
	__u32 tgid;
	__u32 n;
	struct kid kids[PL_MAX_CHILDREN];
};

/* kept in the exiting thread itself: its last switch finds it (or, for
 * nearly all threads, finds none) without a hash lookup */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct exiting);
} exitings SEC(".maps");

/* processes whose parent ignored SIGCHLD when they exited: the kernel
 * releases them in exit_notify with no signal, and the parent may change
 * its handler as soon as they are gone, so it is read at exit */
struct autoreap {
	__u64 start;
	__u32 parent;
	__u32 reported; /* each once, however many threads switch out */
};

/* kept in the thread whose exit ends the process: its own last switch
 * tells the auto-reap, and when it is the leader (nearly always) its free
 * knows the reap was told. Never through group_leader: once the process is
 * released, nothing keeps a leader that is not this thread alive. */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct autoreap);
} autoreaped SEC(".maps");

extern struct task_struct *bpf_task_from_pid(s32 pid) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;

static __always_inline void count(__u64 *arr, __u32 i, __u32 n)
{
	if (i < n)
		__sync_fetch_and_add(&arr[i], 1);
}

static __always_inline bool is_followed(__u32 tgid)
{
	if (!follow_only)
		return true;
	return bpf_map_lookup_elem(&followed, &tgid) != NULL;
}

static __always_inline void follow(__u32 tgid)
{
	__u8 one = 1;

	if (bpf_map_update_elem(&followed, &tgid, &one, BPF_ANY))
		count(stats, PL_STAT_FOLLOW_TABLE_FULL, PL_STATS);
}

static __always_inline struct pl_event *reserve(__u32 kind)
{
	struct pl_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e) {
		count(lost, kind, PL_EV_KINDS);
		return NULL;
	}
	__builtin_memset(e, 0, sizeof(*e) - PL_FILENAME_LEN);
	e->filename[0] = 0;
	e->kind = kind;
	e->ts = bpf_ktime_get_boot_ns();
	e->cpu = bpf_get_smp_processor_id();
	return e;
}

/* wake the reader only when a batch has built up: it also polls on a timer */
static __always_inline void submit(struct pl_event *e)
{
	__u64 backlog = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);

	bpf_ringbuf_submit(e, backlog >= wakeup_bytes ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP);
}

static __always_inline __u64 process_start(struct task_struct *t)
{
	return t->group_leader->start_boottime;
}

static __always_inline bool is_subreaper(struct task_struct *t)
{
	struct signal_struct *sig = t->signal;

	return BPF_CORE_READ_BITFIELD(sig, is_child_subreaper);
}

static __always_inline __s32 nice_of(struct task_struct *t)
{
	return t->static_prio - NICE_0_PRIO;
}

/* the process the event is about: identity, thread, name */
static __always_inline void fill_task(struct pl_event *e, struct task_struct *t)
{
	e->pid = t->tgid;
	e->tid = t->pid;
	e->start = process_start(t);
	__builtin_memcpy(e->comm, t->comm, sizeof(e->comm));
}

static __always_inline void fill_parent(struct pl_event *e, struct task_struct *t)
{
	struct task_struct *parent = t->real_parent;

	e->ppid = parent->tgid;
	e->pstart = process_start(parent);
}

/* pid-namespace view, only for tasks outside the initial namespace */
static __always_inline void fill_ns(struct pl_event *e, struct task_struct *t)
{
	struct pid *p = t->thread_pid;
	struct upid up = {};
	__u32 level;

	if (!p)
		return;
	level = p->level;
	if (level == 0 || level >= MAX_PID_NS_LEVEL)
		return;
	bpf_core_read(&up, sizeof(up), &p->numbers[level]);
	e->ns_level = level;
	e->ns_pid = up.nr;
	e->ns_inum = BPF_CORE_READ(up.ns, ns.inum);
}

/* status as wait() reports it for a whole process (design.md: exit) */
static __always_inline __s32 group_status(struct task_struct *t)
{
	struct signal_struct *sig = t->signal;

	if (sig->flags & SIGNAL_GROUP_EXIT)
		return sig->group_exit_code;
	return t->group_leader->exit_code;
}

static __always_inline __s32 cld_to_status(int code, int status)
{
	if (code == CLD_EXITED)
		return (status & 0xff) << 8;
	if (code == CLD_DUMPED)
		return (status & 0x7f) | 0x80;
	return status & 0x7f;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(on_fork, struct task_struct *parent, struct task_struct *child)
{
	bool thread = child->pid != child->tgid;
	__u32 forker = parent->tgid;
	struct pl_event *e;

	if (follow_only) {
		/* CLONE_PARENT makes the child a sibling: follow by either */
		__u32 rp = child->real_parent->tgid;

		if (!is_followed(forker) && !is_followed(rp))
			return 0;
		if (!thread)
			follow(child->tgid);
	}
	e = reserve(PL_EV_FORK);
	if (!e)
		return 0;
	fill_task(e, child);
	if (thread) {
		e->flags |= PL_F_THREAD;
		e->ppid = forker;
		e->pstart = e->start;
	} else {
		fill_parent(e, child);
	}
	e->aux = nice_of(child);
	fill_ns(e, child);
	submit(e);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(on_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct pl_event *e;
	long n;

	if (!is_followed(p->tgid))
		return 0;
	e = reserve(PL_EV_EXEC);
	if (!e)
		return 0;
	fill_task(e, p);
	fill_parent(e, p);
	e->pid2 = old_pid;
	n = bpf_probe_read_kernel_str(e->filename, sizeof(e->filename), bprm->filename);
	if (n == sizeof(e->filename))
		e->flags |= PL_F_TRUNCATED;
	e->aux = nice_of(p);
	fill_ns(e, p);
	submit(e);
	return 0;
}

struct walk {
	struct list_head *head;
	struct list_head *pos;
	struct exiting *ex;
};

static long remember_child(__u32 i, struct walk *w)
{
	struct list_head *pos = w->pos;
	struct task_struct *child;
	struct exiting *ex = w->ex;
	__u32 n;

	if (!pos || pos == w->head)
		return 1;
	n = ex->n;
	if (n >= PL_MAX_CHILDREN) {
		count(stats, PL_STAT_CHILDREN_TRUNCATED, PL_STATS);
		return 1;
	}
	child = (void *)pos - bpf_core_field_offset(struct task_struct, sibling);
	ex->kids[n].pid = BPF_CORE_READ(child, pid);
	ex->kids[n].start = BPF_CORE_READ(child, start_boottime);
	ex->n = n + 1;
	w->pos = BPF_CORE_READ(pos, next);
	return 0;
}

/* children move to a new parent in exit_notify, after this tracepoint:
 * remember them now, look at their new parent at the last context switch */
static __always_inline void remember_children(struct task_struct *t)
{
	struct list_head *head = &t->children;
	struct list_head *first = t->children.next;
	struct exiting *ex;
	struct walk w;

	if (first == head)
		return;
	/* created zeroed; a thread exits once */
	ex = bpf_task_storage_get(&exitings, t, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!ex) {
		count(stats, PL_STAT_EXITING_TABLE_FULL, PL_STATS);
		return;
	}
	ex->tgid = t->tgid;
	w.head = head;
	w.pos = first;
	w.ex = ex;
	bpf_loop(PL_MAX_CHILDREN + 1, remember_child, &w, 0);
}

static __always_inline bool ignores_sigchld(struct task_struct *parent)
{
	return (__u64)parent->sighand->action[SIGCHLD - 1].sa.sa_handler == SIG_IGN;
}

/* at exit: will the parent's SIG_IGN release this process unseen? */
static __always_inline void expect_autoreap(struct task_struct *p)
{
	struct task_struct *parent = p->real_parent;
	struct autoreap *a;

	if (!ignores_sigchld(parent))
		return;
	a = bpf_task_storage_get(&autoreaped, p, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!a)
		return; /* its free will tell */
	a->start = process_start(p);
	a->parent = parent->tgid;
	a->reported = 0;
}

/* SIG_IGN for SIGCHLD: the process was released in exit_notify; its
 * last thread's last switch comes after, and tells it happened */
static __always_inline void check_autoreap(struct task_struct *prev)
{
	struct task_struct *leader = prev->group_leader;
	struct autoreap *a;
	struct pl_event *e;

	a = bpf_task_storage_get(&autoreaped, prev, 0, 0);
	if (!a || a->reported)
		return; /* nearly every thread: none expected */
	if (leader->exit_state != EXIT_DEAD || a->start != leader->start_boottime)
		return;
	e = reserve(PL_EV_REAP);
	/* 1: told, its free need not be; 2: lost, its free will tell */
	a->reported = e ? 1 : 2;
	if (!e)
		return;
	fill_task(e, leader);
	e->tid = prev->pid;
	e->ppid = a->parent;
	e->status = group_status(prev);
	e->flags |= PL_F_AUTO | PL_F_FINAL;
	submit(e);
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(on_exit, struct task_struct *p, bool group_dead)
{
	struct pl_event *e;

	if (!is_followed(p->tgid))
		return 0;
	remember_children(p);
	e = reserve(PL_EV_EXIT);
	if (!e)
		return 0;
	fill_task(e, p);
	fill_parent(e, p);
	if (group_dead) {
		expect_autoreap(p);
		e->flags |= PL_F_GROUP_DEAD;
		e->status = group_status(p);
	} else {
		e->flags |= PL_F_THREAD;
		e->status = p->exit_code;
	}
	e->aux = nice_of(p);
	submit(e);
	return 0;
}

static __always_inline __u32 ns_level_of(struct task_struct *t)
{
	struct pid *p = t->thread_pid;

	return p ? p->level : 0;
}

/* pid of t's process as seen from namespace depth `level` */
static __always_inline int nr_at_level(struct task_struct *t, __u32 level)
{
	struct pid *p = BPF_CORE_READ(t, group_leader, thread_pid);
	struct upid up = {};

	if (level >= MAX_PID_NS_LEVEL)
		return -1;
	bpf_core_read(&up, sizeof(up), &p->numbers[level]);
	return up.nr;
}

/* the zombie moment: do_notify_parent() sends SIGCHLD under tasklist_lock */
SEC("tp_btf/signal_generate")
int BPF_PROG(on_signal, int sig, struct kernel_siginfo *info, struct task_struct *target,
	     int group, int result)
{
	struct task_struct *cur, *parent;
	struct zombie z = {}, *old;
	struct pl_event *e;
	__u32 level, child, ptgid;
	int code, si_pid, nr;
	bool nocldwait;

	if (sig != SIGCHLD)
		return 0;
	code = info->si_code;
	if (code < CLD_EXITED || code > CLD_DUMPED)
		return 0;
	cur = bpf_get_current_task_btf();
	if (!(cur->flags & PF_EXITING))
		return 0;
	si_pid = info->_sifields._sigchld._pid;
	level = ns_level_of(target);
	ptgid = target->tgid;
	/* in the initial namespace the parent sees the global pid: the tgid */
	nr = level ? nr_at_level(cur, level) : (int)cur->tgid;

	if (nr != si_pid) {
		/* the dying thread hands a zombie child to a new parent: the
		 * kernel notifies the adopter again; move the record */
		struct ns_key nk = { .parent = cur->tgid, .nr = si_pid };
		__u32 *g;

		child = si_pid;
		if (level) {
			g = bpf_map_lookup_elem(&ns_zombies, &nk);
			if (!g)
				return 0;
			child = *g;
			bpf_map_delete_elem(&ns_zombies, &nk);
			nk.parent = ptgid;
			bpf_map_update_elem(&ns_zombies, &nk, &child, BPF_ANY);
		}
		old = zombie_find(child);
		if (old)
			old->parent = ptgid;
		return 0;
	}

	child = cur->tgid;
	if (!is_followed(child))
		return 0;
	/* its own exit, told to its parent, or first to a tracer whose wait only
	 * passes it on: either way the zombie is its real parent's to reap */
	parent = cur->real_parent;
	if ((__u32)parent->tgid != ptgid) {
		ptgid = parent->tgid;
		level = ns_level_of(parent);
		si_pid = level ? nr_at_level(cur, level) : (int)cur->tgid;
	}
	/* SA_NOCLDWAIT: the kernel releases the child at once, no zombie (never
	 * a traced one) */
	nocldwait = !cur->ptrace &&
		    (parent->sighand->action[SIGCHLD - 1].sa.sa_flags & SA_NOCLDWAIT);
	e = reserve(nocldwait ? PL_EV_REAP : PL_EV_ZOMBIE);
	if (!e && nocldwait)
		return 0; /* its free will tell */
	z.start = process_start(cur);
	/* the reap's zombie_ns is then exactly reap.ts - zombie.ts */
	z.since = e ? e->ts : bpf_ktime_get_boot_ns();
	z.parent = ptgid;
	z.status = cld_to_status(code, info->_sifields._sigchld._status);
	z.wstatus = group_status(cur);
	z.reaped = nocldwait; /* then remembered only so its free is not told */
	__builtin_memcpy(z.comm, cur->group_leader->comm, sizeof(z.comm));
	if (zombie_put(child, &z) && !nocldwait)
		count(stats, PL_STAT_ZOMBIE_TABLE_FULL, PL_STATS);
	if (level && !nocldwait) {
		struct ns_key nk = { .parent = ptgid, .nr = si_pid };

		bpf_map_update_elem(&ns_zombies, &nk, &child, BPF_ANY);
	}
	if (!e)
		return 0;
	if (nocldwait)
		e->flags |= PL_F_AUTO | PL_F_NOCLDWAIT | PL_F_FINAL;
	e->pid = child;
	e->tid = cur->pid;
	e->start = z.start;
	__builtin_memcpy(e->comm, z.comm, sizeof(e->comm));
	e->ppid = ptgid;
	e->pstart = process_start(target);
	e->status = z.status;
	submit(e);
	return 0;
}

/* userspace siginfo for SIGCHLD (64-bit ABIs) */
struct user_siginfo_chld {
	int signo, err, code, pad;
	int pid, uid, status;
};

/* the wait4/waitid call the current thread is in */
struct wait_call {
	__u64 uptr; /* status (wait4) or siginfo (waitid) in user memory */
	__u32 options;
	__u32 waitid;
};

/* the syscall's number and its arguments, as the user registers keep them
 * until it returns: no program at syscall entry is needed */
#if defined(__TARGET_ARCH_x86)
#define NR_wait4 61
#define NR_waitid 247
#define SYSCALL_NR(regs) ((regs)->orig_ax)
#elif defined(__TARGET_ARCH_arm64)
#define NR_wait4 260
#define NR_waitid 95
#define SYSCALL_NR(regs) ((regs)->syscallno)
#else
#error "wait4/waitid syscall numbers are known for x86 and arm64"
#endif

static __always_inline bool wait_call(struct task_struct *cur, struct wait_call *c)
{
	struct pt_regs *regs;
	long nr;

	if (cur->flags & PF_KTHREAD)
		return false; /* kernel_wait(): no syscall behind it */
	regs = (struct pt_regs *)bpf_task_pt_regs(cur);
	nr = SYSCALL_NR(regs);
	if (nr == NR_wait4) {
		c->uptr = PT_REGS_PARM2_SYSCALL(regs);
		c->options = PT_REGS_PARM3_SYSCALL(regs);
		c->waitid = 0;
		return true;
	}
	if (nr == NR_waitid) {
		c->uptr = PT_REGS_PARM3_SYSCALL(regs);
		c->options = PT_REGS_PARM4_SYSCALL(regs);
		c->waitid = 1;
		return true;
	}
	return false;
}

/* wait4 returned waited_nr (as the reaper's namespace sees it); waitid
 * passes the status it read from the siginfo */
static __always_inline void emit_reap(__u32 waited_nr, const struct wait_call *c,
				      __s32 waitid_status)
{
	struct task_struct *cur = bpf_get_current_task_btf();
	__u32 reaper = cur->tgid, child = waited_nr;
	__u32 level = ns_level_of(cur);
	struct ns_key nk = { .parent = reaper, .nr = waited_nr };
	struct zombie *z = NULL;
	struct pl_event *e;
	__u32 *g = NULL;
	__s32 status = 0;
	bool known = false;

	if (level) {
		g = bpf_map_lookup_elem(&ns_zombies, &nk);
		/* no global pid for the number the namespace sees: matching it
		 * to the zombie with that global pid would name the wrong one;
		 * the free tells this reap instead */
		if (!g)
			return;
		child = *g;
	}
	z = zombie_find(child);
	/* a tracer's wait for a zombie it is not the parent of only hands the
	 * zombie on to its parent (strace -f): not a reap */
	if (z && !z->reaped && z->parent != reaper)
		return;
	if (c->waitid) {
		status = waitid_status;
		known = true;
	} else if (z && !z->reaped && !(c->options & (WUNTRACED | WCONTINUED))) {
		/* a zombie not reaped yet, and no stop report asked for: this is
		 * its reap, with the status it left (no user-memory read) */
		status = z->wstatus;
		known = true;
	} else if (c->uptr && !bpf_probe_read_user(&status, sizeof(status), (void *)c->uptr)) {
		if ((status & 0xff) == 0x7f || status == 0xffff)
			return; /* stopped or continued, not a reap */
		known = true;
	}
	if (g)
		bpf_map_delete_elem(&ns_zombies, &nk);
	if (!is_followed(child))
		return;
	if (!z && !known && (c->options & (WUNTRACED | WCONTINUED)))
		return; /* cannot tell a reap from a stop report: the free hook will */
	e = reserve(PL_EV_REAP);
	if (!e) {
		/* the free will be told, and the reap concluded from it */
		if (z)
			zombie_drop(child, z);
		return;
	}
	e->pid = child;
	e->tid = child;
	e->ppid = reaper;
	e->pstart = process_start(cur);
	if (c->options & WNOHANG)
		e->flags |= PL_F_NOHANG;
	if (c->waitid)
		e->flags |= PL_F_WAITID;
	if (z) {
		e->start = z->start;
		e->dur = e->ts - z->since;
		__builtin_memcpy(e->comm, z->comm, sizeof(e->comm));
		e->status = known ? status : z->wstatus;
		/* kept until the free, which it then silences: the reap says
		 * all there is (the kernel released the task in wait) */
		z->reaped = 1;
		e->flags |= PL_F_FINAL;
	} else {
		e->flags |= PL_F_UNMATCHED;
		e->status = status;
	}
	if (level)
		e->ns_pid = waited_nr;
	submit(e);
}

SEC("tp/syscalls/sys_exit_wait4")
int on_wait4_exit(struct trace_event_raw_sys_exit *ctx)
{
	struct wait_call c;

	if (ctx->ret <= 0)
		return 0; /* WNOHANG found nothing, or an error */
	if (!wait_call(bpf_get_current_task_btf(), &c))
		return 0;
	emit_reap(ctx->ret, &c, 0);
	return 0;
}

SEC("tp/syscalls/sys_exit_waitid")
int on_waitid_exit(struct trace_event_raw_sys_exit *ctx)
{
	struct user_siginfo_chld si = {};
	struct wait_call c;

	if (ctx->ret != 0)
		return 0;
	if (!wait_call(bpf_get_current_task_btf(), &c) || !c.uptr || (c.options & WNOWAIT))
		return 0;
	if (bpf_probe_read_user(&si, sizeof(si), (void *)c.uptr))
		return 0;
	if (si.pid == 0 || si.code < CLD_EXITED || si.code > CLD_DUMPED)
		return 0; /* nothing found, or a stop/continue report */
	emit_reap(si.pid, &c, cld_to_status(si.code, si.status));
	return 0;
}

/* a wait begins: blocking or a WNOHANG poll */
SEC("tp_btf/sched_process_wait")
int BPF_PROG(on_wait, struct pid *pid)
{
	struct task_struct *cur = bpf_get_current_task_btf();
	struct wait_call c;
	struct pl_event *e;

	if (!is_followed(cur->tgid))
		return 0;
	e = reserve(PL_EV_WAIT);
	if (!e)
		return 0;
	fill_task(e, cur);
	if (pid)
		e->pid2 = pid->numbers[0].nr;
	if (wait_call(cur, &c)) {
		e->aux = c.options;
		if (c.options & WNOHANG)
			e->flags |= PL_F_NOHANG;
		if (c.waitid)
			e->flags |= PL_F_WAITID;
	}
	submit(e);
	return 0;
}

struct check {
	struct exiting *ex;
	__u32 i;
};

static __always_inline __u32 adopter_kind(struct task_struct *np, __u32 old_tgid)
{
	struct pid *p;
	struct upid up = {};
	__u32 level;

	if ((__u32)np->tgid == old_tgid)
		return PL_ADOPT_THREAD;
	if (is_subreaper(np))
		return PL_ADOPT_SUBREAPER;
	p = BPF_CORE_READ(np, thread_pid);
	level = BPF_CORE_READ(p, level);
	if (level >= MAX_PID_NS_LEVEL)
		return PL_ADOPT_OTHER;
	bpf_core_read(&up, sizeof(up), &p->numbers[level]);
	if (BPF_CORE_READ(up.ns, child_reaper) == np->group_leader)
		return PL_ADOPT_INIT;
	return PL_ADOPT_OTHER;
}

static long check_child(__u32 i, struct check *c)
{
	struct exiting *ex = c->ex;
	struct task_struct *t, *np;
	struct pl_event *e;
	struct kid k;

	__u64 idx = i;

	/* a 64-bit index the compiler cannot re-derive: the verifier then sees
	 * the bounds check on the register that indexes */
	asm volatile("" : "+r"(idx));
	if (idx >= ex->n || idx >= PL_MAX_CHILDREN)
		return 1;
	k = ex->kids[idx];
	t = bpf_task_from_pid(k.pid);
	if (!t) {
		count(stats, PL_STAT_REPARENT_UNCHECKED, PL_STATS);
		return 0;
	}
	if (t->start_boottime != k.start) {
		count(stats, PL_STAT_REPARENT_UNCHECKED, PL_STATS);
		bpf_task_release(t);
		return 0;
	}
	np = t->real_parent;
	e = reserve(PL_EV_REPARENT);
	if (e) {
		fill_task(e, t);
		e->ppid = ex->tgid;
		e->pid2 = np->tgid;
		e->pstart = process_start(np);
		e->aux = adopter_kind(np, ex->tgid);
		if (e->aux == PL_ADOPT_THREAD)
			e->flags |= PL_F_THREAD;
		fill_ns(e, t);
		submit(e);
	}
	bpf_task_release(t);
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(on_switch, bool preempt, struct task_struct *prev, struct task_struct *next,
	     unsigned int prev_state)
{
	struct exiting *ex;
	struct check c;

	if (prev_state != TASK_DEAD)
		return 0;
	/* freed with the thread: no delete needed */
	ex = bpf_task_storage_get(&exitings, prev, 0, 0);
	if (ex && ex->n) {
		c.ex = ex;
		c.i = 0;
		bpf_loop(PL_MAX_CHILDREN, check_child, &c, 0);
		ex->n = 0;
	}
	check_autoreap(prev);
	return 0;
}

SEC("tp_btf/sched_process_free")
int BPF_PROG(on_free, struct task_struct *p)
{
	__u32 tgid = p->tgid;
	struct autoreap *a;
	struct zombie *z;
	struct pl_event *e;
	__u64 start;

	if ((__u32)p->pid != tgid)
		return 0; /* a thread: its exit said all there is */
	if (!is_followed(tgid))
		return 0;
	start = p->start_boottime;
	z = zombie_find(tgid);
	if (z && z->start == start) {
		bool told = z->reaped;

		zombie_drop(tgid, z);
		if (told)
			goto out; /* its reap record was final */
	}
	a = bpf_task_storage_get(&autoreaped, p, 0, 0);
	if (a && a->reported == 1 && a->start == start)
		goto out;
	e = reserve(PL_EV_FREE);
	if (e) {
		e->pid = tgid;
		e->tid = tgid;
		e->start = start;
		__builtin_memcpy(e->comm, p->comm, sizeof(e->comm));
		e->status = group_status(p);
		submit(e);
	}
out:
	if (follow_only)
		bpf_map_delete_elem(&followed, &tgid);
	return 0;
}

/* bootstrap: every process alive when tracing starts, in one pass */
SEC("iter/task")
int dump_task(struct bpf_iter__task *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct task_struct *t = ctx->task;
	struct pl_event e = {};

	if (!t || t->pid != t->tgid)
		return 0;
	e.kind = PL_EV_PROC;
	e.ts = bpf_ktime_get_boot_ns();
	e.pid = t->tgid;
	e.tid = t->pid;
	e.start = t->start_boottime;
	bpf_probe_read_kernel_str(e.comm, sizeof(e.comm), &t->comm);
	e.ppid = BPF_CORE_READ(t, real_parent, tgid);
	e.pstart = BPF_CORE_READ(t, real_parent, group_leader, start_boottime);
	e.aux = nice_of(t);
	e.pid2 = BPF_CORE_READ(t, signal, nr_threads);
	if (is_subreaper(t))
		e.flags |= PL_F_SUBREAPER;
	if (t->exit_state == EXIT_ZOMBIE) {
		e.flags |= PL_F_ZOMBIE;
		e.status = group_status(t);
	} else if (t->flags & PF_EXITING) {
		e.flags |= PL_F_EXITED;
	}
	fill_ns(&e, t);
	bpf_seq_write(seq, &e, sizeof(e));
	return 0;
}
