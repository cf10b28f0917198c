/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Runs of proclife's programs that the kernel skipped: a program already
 * running on a CPU (its task preempted part-way, on a kernel that lets a
 * tracepoint be) is not run again there, and the kernel counts the miss
 * (the program's recursion_misses, 5.12). A skipped run may have been an
 * exit, a reap or a fork: the counts are losses whose kind is unknown.
 * They are read from /proc/self/fdinfo of each program, which needs no
 * privilege once the tracer has dropped its own.
 */
#ifndef PL_CAPTURE_SKIPPED_RUNS_H
#define PL_CAPTURE_SKIPPED_RUNS_H

#include <stdbool.h>

struct bpf_object;
struct pl_skipped_runs;

/* the fdinfo files of obj's loaded programs, opened now; NULL: out of memory */
struct pl_skipped_runs *pl_skipped_runs_open(const struct bpf_object *obj);
void pl_skipped_runs_close(struct pl_skipped_runs *s);

/* does the kernel count skipped runs (false before 5.12)? */
bool pl_skipped_runs_counted(const struct pl_skipped_runs *s);
/* the runs skipped so far, over every program */
unsigned long long pl_skipped_runs_read(struct pl_skipped_runs *s);

/* the recursion_misses of one fdinfo text into *out: 0, or -1 if the
 * text has no such line */
int pl_fdinfo_misses(const char *text, unsigned long long *out);

#endif
