/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The final records of a run kept for the exporters that need the whole
 * tree before they can write anything (dot, html): each process handed
 * over by the pipeline, flattened (struct pl_proc_rec), then put in birth
 * order and linked under its parent, and found again by (pid, time).
 */
#ifndef PL_EXPORT_PROCS_H
#define PL_EXPORT_PROCS_H

#include <stdio.h>
#include "events.h"
#include "model/model.h"
#include "output/export.h"
#include "util/pidtab.h"

struct xprocs {
	struct pl_proc_rec *v; /* in birth order once linked */
	size_t n, cap;
	__u64 lo, hi;      /* earliest and latest time seen in a record */
	/* filled by xprocs_link(), per record: indexes, -1 for none */
	long *up;          /* the current parent's record */
	long *kid, *sib;   /* first child, next sibling, in birth order */
	long *older;       /* the next older record of the same pid */
	struct pidtab newest; /* pid -> its newest record (struct newest) */
};

/* 0, or -1 when out of memory (the record is dropped) */
int xprocs_add(struct xprocs *s, const struct pl_proc *p);
/* sorts by birth, links each record under its current parent and indexes
 * them by pid: 0, or -1 when out of memory (nothing is linked) */
int xprocs_link(struct xprocs *s);
/* after xprocs_link(): the record of pid alive at ts (the latest one born
 * before it; any time: ts 0), or -1 */
long xprocs_find(const struct xprocs *s, __u32 pid, __u64 ts);
/* when the record's life began: its birth, else its start */
__u64 xproc_born(const struct pl_proc_rec *x);
/* the last moment it is known to have existed (end of the run if still alive) */
__u64 xproc_end(const struct xprocs *s, const struct pl_proc_rec *x);
/* the command of a pid met only as a parent or adopter: from the model,
 * "init" for pid 1, else "?" */
const char *xproc_outside_name(const struct pl_model *m, __u32 pid);
void xprocs_free(struct xprocs *s);

/* an exporter that keeps every final record until its finish: the head
 * of the dot and html exporters' own structs */
struct xprocs_exporter {
	struct pl_exporter x;
	struct xprocs s;
};

/* events are ignored, processes kept (placeholders aside); finish and
 * free are the caller's (free calls xprocs_free) */
void xprocs_exporter_init(struct xprocs_exporter *e, FILE *out,
			  int (*finish)(struct pl_exporter *x, const struct pl_model *m),
			  void (*free)(struct pl_exporter *x));

#endif
