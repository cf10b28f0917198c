/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What a tracer log says, reduced to the facts a manifest can be held
 * against: every process life as the model rebuilt it, plus the raw
 * records the model does not keep per process (waits, reaps, execs, threads).
 */
#ifndef PL_LOG_FACTS_H
#define PL_LOG_FACTS_H

#include <stdbool.h>
#include <stddef.h>
#include "events.h"
#include "model/model.h"

/* a raw record kept as it was: wait, reap, exec, thread fork */
struct lf_rec {
	__u64 ts, start;
	__u32 pid, tid, other, flags;
};

struct lf_list {
	struct lf_rec *v;
	size_t n, cap;
};

struct log_facts {
	struct pl_proc_rec *procs; /* every life, as the model left it */
	size_t nprocs, cap;
	struct lf_list waits, reaps, execs, threads;
	/* each process's WNOHANG polls as the kernel counted them (other: the
	 * count), from its exit or its waits line at the end */
	struct lf_list polls;
	bool wait_records; /* a wait line for each wait: polls can be placed in time */
	__u32 root;        /* the followed process, 0 if none */
	unsigned long long lost;
	unsigned long long skipped_runs; /* the trailer's runs the kernel skipped */
	unsigned long long lines_dropped; /* the trailer's lines its reader did not take in time */
	bool traced_threads; /* traced with --threads: thread events are facts */
	bool cgroups_told;   /* cgroup paths were told as made (else looked up, maybe too late) */
	bool unfinished;     /* no trailer: the log may end before what it should hold */
	const char *last;    /* the file it ends in (the last part of a rotated log) */
	bool cut;            /* its last line cut short (the reader said so) */
	unsigned doubts;     /* ways it does not hold as written, each warned of (log/integrity.h) */
};

/* reads a log through the model (the files of a rotated one, paths[0..n)
 * in any order, as one); -1 after printing why */
int log_facts_read(char *const *paths, size_t n, struct log_facts *lf);
void log_facts_free(struct log_facts *lf);

#endif
