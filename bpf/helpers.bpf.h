/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every program file uses: kernel constants, records in and out of the
 * ring buffer, a task's identity, the zombie store. Every helper that reads
 * a task takes the variant's mechanisms `m` (core_fixes.bpf.h).
 */
#ifndef PROCLIFE_HELPERS_BPF_H
#define PROCLIFE_HELPERS_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "records.h"
#include "core_fixes.bpf.h"
#include "maps.bpf.h"

/* not in vmlinux.h: macros of the kernel's headers */
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
/* set on a pid namespace's init (its child reaper) as it is made */
#define SIGNAL_UNKILLABLE 0x40
#define SA_NOCLDWAIT 2
#define SIG_IGN 1
#define WNOHANG 1
#define WUNTRACED 2
#define WCONTINUED 8
#define WNOWAIT 0x01000000
#define WEXITED 4
#define P_PID 1
#define MAX_PID_NS_LEVEL 32
#define NICE_0_PRIO 120

static __always_inline void count(__u64 *arr, __u32 i, __u32 n)
{
	if (i < n)
		__sync_fetch_and_add(&arr[i], 1);
}

static __always_inline bool followed_life(__u32 tgid, __u64 start)
{
	struct pl_followed *f = bpf_map_lookup_elem(&followed, &tgid);

	return f && (!f->start[0] || !start || f->start[0] == start || f->start[1] == start);
}

/* is this life of tgid followed? start 0: not known (a reap with no
 * zombie record), any life of the pid. A macro: start, which may take
 * reads, is only worked out when following */
#define is_followed(tgid, start) (!follow_only || followed_life((tgid), (start)))

/* a new life of tgid joins; the one before it, if not freed yet, stays.
 * Written whole: the old life's free may drop the entry meanwhile (then
 * its start stays beside the new one, which does no harm) */
static __always_inline void follow(__u32 tgid, __u64 start)
{
	struct pl_followed *f = bpf_map_lookup_elem(&followed, &tgid);
	struct pl_followed n = { .start = { start, 0 } };

	if (f)
		n.start[1] = f->start[0] != start ? f->start[0] : f->start[1];
	if (bpf_map_update_elem(&followed, &tgid, &n, BPF_ANY))
		count(stats, PL_STAT_FOLLOW_TABLE_FULL, PL_STATS);
}

/* at its free: this life of tgid, not a later one */
static __always_inline void unfollow(__u32 tgid, __u64 start)
{
	struct pl_followed *f = bpf_map_lookup_elem(&followed, &tgid);

	if (!f)
		return;
	if (f->start[1] && f->start[1] == start) {
		f->start[1] = 0;
		return;
	}
	if (f->start[0] && f->start[0] != start)
		return;
	if (f->start[1]) {
		f->start[0] = f->start[1];
		f->start[1] = 0;
		return;
	}
	bpf_map_delete_elem(&followed, &tgid);
}

/* a record the ring could not take, counted per event it would have told */
static __always_inline void count_lost(__u32 kind)
{
	if (kind == PL_REC_KILL) {
		count(stats, PL_STAT_KILLS_LOST, PL_STATS);
		return;
	}
	if (kind == PL_REC_CGROUP) {
		count(stats, PL_STAT_CGROUPS_LOST, PL_STATS);
		return;
	}
	if (kind == PL_REC_EXIT_ZOMBIE || kind == PL_REC_EXIT_REAP) {
		count(lost, PL_EV_EXIT, PL_EV_KINDS);
		kind = kind == PL_REC_EXIT_ZOMBIE ? PL_EV_ZOMBIE : PL_EV_REAP;
	}
	count(lost, kind, PL_EV_KINDS);
}

static __always_inline void head_init(struct pl_rec *h, __u32 kind, __u64 ts)
{
	h->kind = kind;
	h->ts = ts;
	h->cpu = bpf_get_smp_processor_id();
}

/*
 * A record of `size` bytes (a constant), zeroed, its kind, time and CPU
 * set; or NULL, and the loss counted, when the ring is full. Reserve once
 * everything else is known and check it at once: 6.1's verifier loses
 * track of a reservation that is tested for NULL again later.
 */
static __always_inline void *reserve_rec(__u32 kind, __u32 size, __u64 ts)
{
	struct pl_rec *h = bpf_ringbuf_reserve(&events, size, 0);

	if (!h) {
		count_lost(kind);
		return NULL;
	}
	__builtin_memset(h, 0, size);
	head_init(h, kind, ts ? ts : bpf_ktime_get_boot_ns());
	return h;
}

#define RESERVE(type, kind) ((type *)reserve_rec(kind, sizeof(type), 0))
/* the same for a moment the kernel has told already (ts) */
#define RESERVE_AT(type, kind, ts) ((type *)reserve_rec(kind, sizeof(type), ts))

/* wake the reader only when a batch has built up (it also polls on a
 * timer), or at once when it has gone quiet and its timer is slow */
static __always_inline __u64 wakeup_flag(void)
{
	if (reader_idle)
		return BPF_RB_FORCE_WAKEUP;
	return bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= wakeup_bytes ?
		       BPF_RB_FORCE_WAKEUP :
		       BPF_RB_NO_WAKEUP;
}

static __always_inline void submit(void *rec)
{
	bpf_ringbuf_submit(rec, wakeup_flag());
}

static __always_inline __u64 process_start(const int m, struct task_struct *t)
{
	return TASK_RD(m, t, group_leader, start_boottime);
}

static __always_inline __s32 nice_of(const int m, struct task_struct *t)
{
	return TASK_RD(m, t, static_prio) - NICE_0_PRIO;
}

static __always_inline bool is_subreaper(const int m, struct task_struct *t)
{
	return subreaper_flag(m, TASK_RD(m, t, signal));
}

static __always_inline void read_comm(const int m, char *dst, struct task_struct *t)
{
	if (BTF_TASKS(m))
		__builtin_memcpy(dst, t->comm, PL_COMM_LEN);
	else
		bpf_core_read(dst, PL_COMM_LEN, &t->comm);
}

/* the process the record is about: identity, thread, name */
static __always_inline void fill_task(const int m, struct pl_rec *h, struct task_struct *t)
{
	h->pid = TASK_RD(m, t, tgid);
	h->tid = TASK_RD(m, t, pid);
	h->start = process_start(m, t);
	read_comm(m, h->comm, t);
}

/* an exec record (records.h) is built in a per-CPU scratch copy: only the
 * bytes of its name and arguments it needs cross the ring */
static __always_inline struct pl_rec_exec *exec_record(__u32 kind)
{
	__u32 zero = 0;
	struct pl_rec_exec *r = bpf_map_lookup_elem(&exec_scratch, &zero);

	if (!r) {
		count_lost(kind);
		return NULL;
	}
	__builtin_memset(r, 0, __builtin_offsetof(struct pl_rec_exec, data));
	r->dirfd = PL_AT_FDCWD;
	head_init(&r->h, kind, bpf_ktime_get_boot_ns());
	return r;
}

/* the name read into data: n, a string read's result */
static __always_inline void exec_record_name(struct pl_rec_exec *r, long n)
{
	if (n <= 0) {
		r->data[0] = 0;
		n = 1;
	}
	/* PATH_MAX is the kernel's own bound on an exec's name: none is cut */
	if (n > PL_REC_FILENAME_MAX)
		n = PL_REC_FILENAME_MAX;
	r->filename_len = n;
}

static __always_inline void exec_record_send(struct pl_rec_exec *r)
{
	__u64 size = __builtin_offsetof(struct pl_rec_exec, data) + (__u64)r->filename_len +
		     r->args_len;

	if (size > sizeof(*r))
		size = sizeof(*r);
	if (bpf_ringbuf_output(&events, r, size, wakeup_flag()))
		count_lost(r->h.kind);
}

/* who t runs as, and its cgroup in the unified hierarchy: loads where t is
 * BTF-typed (the credentials and css_set hang off it), probe reads else */
static __always_inline void fill_who(const int m, struct pl_rec_who *w, struct task_struct *t)
{
	w->uid = TASK_RD(m, t, real_cred, uid.val);
	w->gid = TASK_RD(m, t, real_cred, gid.val);
	w->euid = TASK_RD(m, t, real_cred, euid.val);
	w->cgroup = TASK_RD(m, t, cgroups, dfl_cgrp, kn, id);
}

/* t's parent process: its tgid and start */
static __always_inline void fill_parent(const int m, __u32 *ppid, __u64 *pstart,
					struct task_struct *t)
{
	struct task_struct *parent = TASK_RD(m, t, real_parent);

	*ppid = TASK_RD(m, parent, tgid);
	*pstart = process_start(m, parent);
}

/* pid-namespace view, only for tasks outside the initial namespace */
static __always_inline void fill_ns(const int m, struct pl_rec_ns *ns, struct task_struct *t)
{
	struct pid *p = TASK_RD(m, t, thread_pid);
	struct upid up = {};
	__u32 level;

	if (!p)
		return;
	level = TASK_RD(m, p, level);
	if (level == 0 || level >= MAX_PID_NS_LEVEL)
		return;
	bpf_core_read(&up, sizeof(up), &p->numbers[level]);
	ns->level = level;
	ns->pid = up.nr;
	ns->inum = BPF_CORE_READ(up.ns, ns.inum);
}

/* status as wait() reports it for a whole process: the group exit code on
 * a group exit, else the leader's own */
static __always_inline __s32 group_status(const int m, struct task_struct *t)
{
	if (TASK_RD(m, t, signal, flags) & SIGNAL_GROUP_EXIT)
		return TASK_RD(m, t, signal, group_exit_code);
	return TASK_RD(m, t, group_leader, exit_code);
}

/* SIGCHLD's si_code and si_status back into a raw wait status */
static __always_inline __s32 cld_to_status(int code, int status)
{
	if (code == CLD_EXITED)
		return (status & 0xff) << 8;
	if (code == CLD_DUMPED)
		return (status & 0x7f) | 0x80;
	return status & 0x7f;
}

static __always_inline __u32 ns_level_of(const int m, struct task_struct *t)
{
	struct pid *p = TASK_RD(m, t, thread_pid);

	return p ? TASK_RD(m, p, level) : 0;
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

/* the zombie store: slots by pid (with PL_M_BASE's atomics), then the hash */
static __always_inline struct zombie *zombie_slot(__u32 pid)
{
	__u32 i = pid & (ZOMBIE_SLOTS - 1);

	return bpf_map_lookup_elem(&zombie_slots, &i);
}

static __always_inline struct zombie *zombie_find(const int m, __u32 pid)
{
	if (m & PL_M_BASE) {
		struct zombie *z = zombie_slot(pid);

		if (z && z->owner == pid)
			return z;
		if (!zombies_in_hash)
			return NULL; /* nearly always: the hash is for busy slots */
	}
	return bpf_map_lookup_elem(&zombies, &pid);
}

/* replaces what the pid held */
static __always_inline long zombie_put(const int m, __u32 pid, struct zombie *z)
{
	long ret;

	if (m & PL_M_BASE) {
		struct zombie *slot = zombie_slot(pid);

		if (slot && (slot->owner == pid ||
			     __sync_val_compare_and_swap(&slot->owner, 0, pid) == 0)) {
			z->owner = pid;
			*slot = *z;
			return 0;
		}
	}
	z->owner = 0;
	if (!(m & PL_M_BASE))
		return bpf_map_update_elem(&zombies, &pid, z, BPF_ANY);
	/* counted before it can be found, uncounted if it was not put */
	__sync_fetch_and_add(&zombies_in_hash, 1);
	ret = bpf_map_update_elem(&zombies, &pid, z, BPF_ANY);
	if (ret)
		__sync_fetch_and_add(&zombies_in_hash, -1);
	return ret;
}

/* z: what zombie_find(pid) gave */
static __always_inline void zombie_drop(const int m, __u32 pid, struct zombie *z)
{
	struct zombie *copy;

	if ((m & PL_M_BASE) && z->owner == pid) {
		/* the bootstrap may have put this life in the hash too, as its
		 * zombie moment came while the iterator ran */
		copy = zombies_in_hash ? bpf_map_lookup_elem(&zombies, &pid) : NULL;
		if (copy && copy->start == z->start && !bpf_map_delete_elem(&zombies, &pid))
			__sync_fetch_and_add(&zombies_in_hash, -1);
		__sync_lock_test_and_set(&z->owner, 0); /* the slot is free for another pid */
	} else if (!bpf_map_delete_elem(&zombies, &pid) && (m & PL_M_BASE)) {
		__sync_fetch_and_add(&zombies_in_hash, -1);
	}
}

/* how a parent in a child pid namespace names its zombie (si_pid) */
static __always_inline void remember_ns_name(const struct zombie *z, __u32 child, __u32 level,
					     int si_pid)
{
	if (level && !z->reaped) {
		struct ns_key nk = { .parent = z->parent, .nr = si_pid };

		bpf_map_update_elem(&ns_zombies, &nk, &child, BPF_ANY);
	}
}

/* a new zombie: its record, and its name in the parent's namespace */
static __always_inline void remember_zombie(const int m, __u32 child, struct zombie *z,
					    __u32 level, int si_pid)
{
	if (zombie_put(m, child, z) && !z->reaped)
		count(stats, PL_STAT_ZOMBIE_TABLE_FULL, PL_STATS);
	remember_ns_name(z, child, level, si_pid);
}

/*
 * Per-thread state (an exiting thread's children, an expected auto-reap):
 * in the thread's own task storage with PL_M_BASE, freed with the thread;
 * by thread id in a hash before it (5.10, 5.11), dropped by the program
 * that is done with it or at the thread's free.
 */
static __always_inline struct exiting *exiting_get(const int m, struct task_struct *t, bool create)
{
	struct exiting *ex;
	__u32 tid, zero = 0;

	if (m & PL_M_BASE)
		return bpf_task_storage_get(&exitings, t, 0,
					    create ? BPF_LOCAL_STORAGE_GET_F_CREATE : 0);
	tid = TASK_RD(m, t, pid);
	ex = bpf_map_lookup_elem(&exitings_by_tid, &tid);
	if (ex || !create)
		return ex;
	/* too large for the stack: the new entry is copied from a per-CPU one */
	ex = bpf_map_lookup_elem(&exiting_scratch, &zero);
	if (!ex)
		return NULL;
	ex->n = 0;
	if (bpf_map_update_elem(&exitings_by_tid, &tid, ex, BPF_NOEXIST))
		return NULL;
	return bpf_map_lookup_elem(&exitings_by_tid, &tid);
}

static __always_inline struct last_words *last_words_get(const int m, struct task_struct *t,
							   bool create)
{
	struct last_words none = {}, *w;
	__u32 tid;

	if (m & PL_M_BASE)
		return bpf_task_storage_get(&last_words, t, 0,
					    create ? BPF_LOCAL_STORAGE_GET_F_CREATE : 0);
	tid = TASK_RD(m, t, pid);
	w = bpf_map_lookup_elem(&last_words_by_tid, &tid);
	if (w || !create)
		return w;
	if (bpf_map_update_elem(&last_words_by_tid, &tid, &none, BPF_NOEXIST))
		return NULL;
	return bpf_map_lookup_elem(&last_words_by_tid, &tid);
}

/* does parent's SIGCHLD disposition make the kernel release its children
 * at exit (SIG_IGN, or SA_NOCLDWAIT: the flag says which)? For SIGCHLD
 * only, as in the kernel */
static __always_inline bool releases_children(const int m, struct task_struct *parent,
					      __u32 *nocldwait)
{
	struct k_sigaction *sa = &TASK_RD(m, parent, sighand)->action[SIGCHLD - 1];
	__u64 handler;
	__u64 flags;

	if (BTF_TASKS(m)) {
		handler = (__u64)sa->sa.sa_handler;
		flags = sa->sa.sa_flags;
	} else {
		handler = (__u64)BPF_CORE_READ(sa, sa.sa_handler);
		flags = BPF_CORE_READ(sa, sa.sa_flags);
	}
	*nocldwait = handler != SIG_IGN && (flags & SA_NOCLDWAIT);
	return handler == SIG_IGN || (flags & SA_NOCLDWAIT);
}

/* rm: how np and what hangs off it are read (core_fixes.bpf.h) */
static __always_inline __u32 adopter_kind(const int rm, struct task_struct *np, __u32 old_tgid)
{
	struct pid *p;
	struct upid up = {};
	__u32 level;

	if ((__u32)TASK_RD(rm, np, tgid) == old_tgid)
		return PL_ADOPT_THREAD;
	if (is_subreaper(rm, np))
		return PL_ADOPT_SUBREAPER;
	p = BPF_CORE_READ(np, thread_pid);
	level = BPF_CORE_READ(p, level);
	if (level >= MAX_PID_NS_LEVEL)
		return PL_ADOPT_OTHER;
	bpf_core_read(&up, sizeof(up), &p->numbers[level]);
	if (BPF_CORE_READ(up.ns, child_reaper) == TASK_RD(rm, np, group_leader))
		return PL_ADOPT_INIT;
	return PL_ADOPT_OTHER;
}

/* what t's parent is as an adopter: init (the child reaper of a pid
 * namespace, which the kernel marks unkillable as it makes it), a
 * subreaper, or 0 for any other. From the parent's signal flags, where
 * adopter_kind walks its pid's namespace; but a group exit or a fatal
 * signal replaces those flags whole, unkillable gone, so for a parent on
 * its way out (a container's init being stopped, its namespace's last
 * processes killed under it) the walk still says */
static __always_inline __u32 parent_kind_of(const int m, struct task_struct *t)
{
	struct task_struct *parent = TASK_RD(m, t, real_parent);
	__u32 flags, kind;

	if (is_subreaper(m, parent))
		return PL_ADOPT_SUBREAPER;
	flags = TASK_RD(m, parent, signal, flags);
	if (flags & SIGNAL_UNKILLABLE)
		return PL_ADOPT_INIT;
	if (!(flags & SIGNAL_GROUP_EXIT))
		return 0;
	kind = adopter_kind(m, parent, 0);
	return kind == PL_ADOPT_INIT ? kind : 0;
}

/* np as the adopter of an orphan of old_tgid's */
static __always_inline void adopter_of(const int rm, struct task_struct *np, __u32 old_tgid,
				       struct adopter *a)
{
	a->tgid = TASK_RD(rm, np, tgid);
	a->start = process_start(rm, np);
	a->kind = adopter_kind(rm, np, old_tgid);
	a->releases = releases_children(rm, np, &a->nocldwait);
}

#endif /* PROCLIFE_HELPERS_BPF_H */
