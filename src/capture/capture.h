/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The kernel side, seen from userspace: loads and attaches the BPF programs
 * through the skeleton and turns ring buffer records into events. The only
 * place libbpf is used.
 */
#ifndef PL_CAPTURE_H
#define PL_CAPTURE_H

#include <stdbool.h>
#include "events.h"

struct pl_capture;

/* called for every record; a negative return stops consumption */
typedef int (*pl_event_fn)(void *ctx, const struct pl_event *e);

struct pl_capture_opts {
	const char *btf_path; /* kernel BTF; NULL: /sys/kernel/btf/vmlinux */
	unsigned ring_kb;     /* ring buffer size, a power of two >= 4 */
	bool follow_only;     /* only followed processes (-p, -- COMMAND) */
	bool verbose;         /* libbpf's own debug output */
	unsigned mechanisms;  /* PL_M_* it may use where the kernel has them */
	bool wait_records;    /* a record for each wait that begins (they are counted anyway) */
};

/* checks, opens, loads and attaches; prints the reason and returns -1 on failure */
int pl_capture_open(struct pl_capture **out, const struct pl_capture_opts *opts, pl_event_fn fn,
		    void *ctx);
void pl_capture_close(struct pl_capture *c);

/* every process alive now, as PL_EV_PROC records through fn */
int pl_capture_snapshot(struct pl_capture *c, pl_event_fn fn, void *ctx);
/* follow tgid (the life that started at `start`, boot ns; 0: whichever
 * process has the pid) and, from now on, every process it forks */
int pl_capture_follow(struct pl_capture *c, __u32 tgid, __u64 start);
void pl_capture_unfollow(struct pl_capture *c, __u32 tgid);

/* the PL_M_* mechanisms the kernel side uses (include/mechanisms.h) */
unsigned pl_capture_mechanisms(const struct pl_capture *c);
/* is there a cgroup at path or below it now (cgroups.h)? */
bool pl_capture_cgroup_there(const struct pl_capture *c, const char *path);

/* fd that becomes readable when the kernel forces a wakeup */
int pl_capture_fd(struct pl_capture *c);
/* hands every record now in the ring to the callback; returns how many, or <0 */
int pl_capture_drain(struct pl_capture *c);
/* the reader sleeps long (idle) or polls often: while idle, the next
 * record wakes it at once */
void pl_capture_reader_idle(struct pl_capture *c, bool idle);
/* the waits the kernel counted of the processes still running, as
 * PL_EV_WAITS events at time ts through fn: once, at the end (the listing
 * is read once; a second call lists nothing) */
int pl_capture_wait_counts(struct pl_capture *c, pl_event_fn fn, void *ctx, __u64 ts);
/* records this build could not read (another build's BPF object?) */
unsigned long long pl_capture_unreadable(const struct pl_capture *c);
/* what the ring buffer carried so far: records, and bytes in the ring */
void pl_capture_ring(const struct pl_capture *c, unsigned long long *records,
		     unsigned long long *bytes);

/* records the kernel dropped, per kind, and its other counters; the
 * runs it skipped are read afresh when exact, else at most a few times a
 * second */
void pl_capture_counters(struct pl_capture *c, unsigned long long lost[PL_EV_KINDS],
			 unsigned long long stats[PL_STATS], bool exact);

#endif
