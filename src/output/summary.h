/* SPDX-License-Identifier: BSD-2-Clause */
/* The closing summary: what happened to processes, in counts and tables. */
#ifndef PL_SUMMARY_H
#define PL_SUMMARY_H

#include <stdio.h>
#include "log/writer.h"
#include "model/model.h"
#include "output/view_opts.h"

/* root: the followed subtree (see pl_model_follow), 0: everything. Counts,
 * tables and lists cover the subtree; lost records, kernel stats and
 * uncertain facts are the whole machine's, and say so. flags: enum
 * view_flag (kernel threads are left out of "still alive" without
 * VIEW_KERNEL_THREADS, and the list says how many). */
void summary_print(FILE *f, const struct pl_model *m, __u32 root, unsigned flags);

/* processes of the subtree still alive, for the log trailer; malloc'd,
 * the caller frees it; NULL with *n == 0 when there are none */
struct pl_alive *summary_alive(const struct pl_model *m, __u32 root, size_t *n);

/* a process's whole name when the model kept one (name), else its comm,
 * safe to print; buf: SUMMARY_NAME_BUF bytes show a name of up to 63 */
#define SUMMARY_NAME_BUF 64
const char *summary_name(const char *name, const char *comm, char *buf, size_t len);

/* "312 us", "4.200 ms", "1.500 s" */
const char *summary_fmt_ns(unsigned long long ns, char *buf, size_t len);

#endif
