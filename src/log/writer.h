/* SPDX-License-Identifier: BSD-2-Clause */
/* The JSONL event log: a header line, one line per event, a trailer line. */
#ifndef PL_LOG_WRITER_H
#define PL_LOG_WRITER_H

#include <stdbool.h>
#include <stdio.h>
#include "events.h"

struct pl_log_header {
	const char *tracer_version; /* the proclife that wrote it, or NULL */
	const char *kernel;      /* uname release */
	const char *host;        /* uname nodename */
	long long boot_to_wall_ns; /* add to a ts to get wall-clock ns since the epoch */
	unsigned long long ts;   /* boot ns when tracing began (this part: see part) */
	unsigned part;           /* a rotated log's second, third... file; 0: its first */
	unsigned long long trace_start; /* with part: the first part's ts */
	char *const *command;    /* the traced command's argv, or NULL */
	int follow_pid;          /* -p, or 0 */
	int threads;             /* --threads */
	unsigned zombie_ms;      /* --zombie-ms */
	unsigned ring_kb;        /* ring buffer size */
	unsigned mechanisms;     /* PL_M_* the kernel side used (include/mechanisms.h) */
	bool wait_records;       /* a wait line for each wait that began */
};

struct pl_alive {
	__u32 pid;
	__u64 start;
	char comm[PL_COMM_LEN];
};

/* the tracer's own CPU from attaching to the end */
struct pl_tracer_cpu {
	/* in userspace and in the kernel, as rusage splits them (by tick
	 * samples: only their sum is exact) */
	unsigned long long user_ns, sys_ns;
	/* exact, the scheduler's count: the whole process, and its thread's
	 * time inside write() to a file (the page cache's work) */
	unsigned long long cpu_ns, write_ns;
};

struct pl_log_trailer {
	unsigned long long ts;               /* boot ns when tracing ended */
	unsigned long long events[PL_EV_KINDS]; /* events in this log, per kind (a zombie
						   told in its exit's line counts) */
	unsigned long long lost[PL_EV_KINDS];   /* records the kernel dropped, per kind */
	/* a trailer read: its lost_total, which should be their sum (~0: none
	 * said); the writer sums lost[] itself */
	unsigned long long lost_total_said;
	unsigned long long stats[PL_STATS];  /* kernel-side counters (enum pl_stat) */
	const struct pl_alive *alive;        /* followed processes still alive */
	size_t nalive;
	int exit_status;                     /* the command's wait status, or -1 */
	/* what the ring buffer carried: records, and the bytes they took in it
	 * (their headers included); 0 records: not known (a replay) */
	unsigned long long ring_records, ring_bytes;
	struct pl_tracer_cpu tracer_cpu; /* all 0: not known (a replay) */
	/* lines of this log a reader that did not keep up was not given */
	unsigned long long lines_dropped;
};

void jsonl_header(FILE *f, const struct pl_log_header *h);
void jsonl_event(FILE *f, const struct pl_event *e);
/* a "lost" line: records of `kind` dropped since the last report */
void jsonl_lost(FILE *f, unsigned long long ts, unsigned kind, unsigned long long count);
void jsonl_trailer(FILE *f, const struct pl_log_trailer *t);
/* a "follow" line: from here on the trace is about pid and its descendants */
void jsonl_follow(FILE *f, unsigned long long ts, unsigned pid);

/* formats one event line (with newline) into buf, of PL_JSONL_LINE_MAX
 * bytes, returns its length; bytes past the line's end may be written */
size_t jsonl_format_event(char *buf, const struct pl_event *e);
/* the longest line: a 4 KiB file name and 4 KiB of arguments, every byte
 * escaped six-fold, and the rest (about 98 KiB); the room past it lets the
 * writer store numbers and names a word or a memo at a time, up to 24
 * bytes past the end of what they say */
#define PL_JSONL_LINE_MAX (128 * 1024)
/* the longest line of an event without a file name, arguments or cgroup
 * path (nearly every line; under 1 KiB): two names escaped six-fold and
 * hex, every number at its longest, and the same room past it */
#define PL_JSONL_PLAIN_LINE_MAX (2 * 1024)
/* the room e's line may take, at most PL_JSONL_LINE_MAX: that of a plain
 * line and 16 bytes for each byte of its file name, arguments and cgroup
 * path (escaped six-fold, in hex, and an argument's quotes and comma). A
 * stream with less left has the line made apart: were every line given
 * the longest one's room, an eighth of the lines would be with a file's
 * 1 MiB buffer, and all with a pipe's 8 KiB */
size_t jsonl_line_room(const struct pl_event *e);

#endif
