/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Records about a process's end that more than one hook tells: its exit,
 * kept from the exit tracepoint (exit.bpf.c) until the moment that follows
 * it in the same task, its zombie moment or its auto-reap, tells both in
 * one record; or told alone when no such moment follows.
 */
#ifndef PROCLIFE_TELL_BPF_H
#define PROCLIFE_TELL_BPF_H

#include "helpers.bpf.h"

/* the head of the exit record a kept exit (exit.bpf.c) becomes */
static __always_inline void exit_head(struct pl_rec *h, __u32 pid, const struct zombie *z)
{
	h->ts = z->exit_ts;
	h->start = z->start;
	h->pid = pid;
	h->tid = z->exit_tid;
	h->flags = PL_F_GROUP_DEAD;
	h->cpu = z->exit_cpu;
	__builtin_memcpy(h->comm, z->comm, PL_COMM_LEN);
}

/* a kept exit told alone: no moment that could tell it too follows */
static __always_inline void tell_kept_exit(__u32 pid, struct zombie *z)
{
	struct pl_rec_exit *r;

	if (!z->exit_ts)
		return;
	r = RESERVE(struct pl_rec_exit, PL_EV_EXIT);
	if (r) {
		exit_head(&r->h, pid, z);
		r->x = z->exit;
		submit(r);
	}
	z->exit_ts = 0;
}

/* the record of pid's exit kept until now, if it is this life's */
static __always_inline struct zombie *kept_exit(const int m, __u32 pid, __u64 start)
{
	struct zombie *z = zombie_find(m, pid);

	return z && z->start == start && z->exit_ts ? z : NULL;
}

/* the zombie moment, told with the process's exit when that is kept */
static __always_inline void tell_zombie(const int m, __u32 child, struct zombie *z,
					struct zombie *kept, struct pl_rec_zombie_part *zn,
					__u32 level, int si_pid)
{
	struct pl_rec_exit_zombie *both;
	struct pl_rec_zombie *r;

	if (kept) {
		both = RESERVE(struct pl_rec_exit_zombie, PL_REC_EXIT_ZOMBIE);
		if (!both) {
			z->since = bpf_ktime_get_boot_ns();
			remember_zombie(m, child, z, level, si_pid);
			return;
		}
		/* the reap's zombie_ns is then exactly reap.ts - zombie.ts */
		zn->ts = both->h.ts;
		exit_head(&both->h, child, kept);
		both->x = kept->exit;
		both->z = *zn;
		z->since = zn->ts;
		remember_zombie(m, child, z, level, si_pid); /* over the kept exit */
		submit(both);
		return;
	}
	r = RESERVE(struct pl_rec_zombie, PL_EV_ZOMBIE);
	if (!r) {
		z->since = bpf_ktime_get_boot_ns();
		remember_zombie(m, child, z, level, si_pid);
		return;
	}
	r->h.pid = child;
	r->h.tid = zn->tid;
	r->h.start = z->start;
	__builtin_memcpy(r->h.comm, z->comm, sizeof(r->h.comm));
	zn->ts = r->h.ts;
	r->z = *zn;
	z->since = zn->ts;
	remember_zombie(m, child, z, level, si_pid);
	submit(r);
}

/*
 * A zombie the kernel has released (z, of process pid) told as reaped by
 * reaper at this moment: flags say how (PL_F_AUTO, PL_F_AT_EXIT...); the
 * reap is final, and its free is not told. False when the record is lost:
 * the free tells it.
 */
static __always_inline bool tell_released(struct zombie *z, __u32 pid, __u32 reaper,
					  __u64 reaper_start, __u32 flags)
{
	struct pl_rec_reap *r = RESERVE(struct pl_rec_reap, PL_EV_REAP);

	if (!r)
		return false;
	z->reaped = 1;
	r->h.pid = pid;
	r->h.tid = pid;
	r->h.start = z->start;
	__builtin_memcpy(r->h.comm, z->comm, sizeof(r->h.comm));
	r->h.flags |= PL_F_FINAL | flags;
	if (z->before)
		r->h.flags |= PL_F_ZOMBIE; /* counted from the bootstrap: at least */
	r->r.reaper = reaper;
	r->r.reaper_start = reaper_start;
	r->r.status = z->wstatus;
	if (z->since)
		r->r.zombie_ns = r->h.ts - z->since;
	submit(r);
	return true;
}

/*
 * An auto-reap (the parent ignores SIGCHLD, or has SA_NOCLDWAIT), told with
 * the process's exit when that is kept. rp: the reap (its time is set
 * here); h: whose it is. False when the record is lost: the kept exit
 * stays, for the free to tell with the release.
 */
static __always_inline bool tell_auto_reap(const int m, const struct pl_rec *h,
					   struct pl_rec_reap_part *rp, struct zombie *kept)
{
	struct pl_rec_exit_reap *both;
	struct pl_rec_reap *r;

	if (kept) {
		both = RESERVE(struct pl_rec_exit_reap, PL_REC_EXIT_REAP);
		if (!both)
			return false;
		rp->ts = both->h.ts;
		exit_head(&both->h, h->pid, kept);
		both->x = kept->exit;
		both->r = *rp;
		kept->exit_ts = 0;
		kept->reaped = 1;
		submit(both);
		return true;
	}
	r = RESERVE(struct pl_rec_reap, PL_EV_REAP);
	if (!r)
		return false;
	rp->ts = r->h.ts;
	r->h.pid = h->pid;
	r->h.tid = h->tid;
	r->h.start = h->start;
	r->h.flags = rp->flags;
	__builtin_memcpy(r->h.comm, h->comm, sizeof(r->h.comm));
	r->r = *rp;
	submit(r);
	return true;
}

#endif /* PROCLIFE_TELL_BPF_H */
