/*
 * The final records of a run kept for the exporters that need the whole
 * tree before they can write anything (dot, html): a compact copy of each
 * process handed over by the pipeline, found again by (pid, start).
 */
#ifndef PL_EXPORT_PROCS_H
#define PL_EXPORT_PROCS_H

#include <stdio.h>
#include "events.h"
#include "model/model.h"
#include "output/export.h"

struct xproc {
	__u32 pid, ppid_birth, parent, old_parent, zparent, reaper;
	__u64 start, pstart_birth, parent_start;
	__u64 birth, exec, exit, zombie, reap, reparent; /* boot ns, 0: not seen */
	__u64 zombie_ns;
	__s32 status;
	__u32 flags;       /* enum pl_proc_flag */
	__u32 execs;
	__u8 state, reap_kind, adopter;
	char comm[PL_COMM_LEN];
	char *filename;    /* last exec'd file, NULL if none */
	/* filled by xprocs_link(): indexes, -1 for none */
	long up;           /* the current parent's record */
	long kid, sib;     /* first child, next sibling, in birth order */
};

struct xprocs {
	struct xproc *v;
	size_t n, cap;
	long *hash;        /* open addressing on pid, indexes into v */
	size_t hcap;
	__u64 lo, hi;      /* earliest and latest time seen in a record */
};

/* 0, or -1 when out of memory (the record is dropped) */
int xprocs_add(struct xprocs *s, const struct pl_proc *p);
/* the record of pid alive at ts (the latest one born before it), or -1 */
long xprocs_find(const struct xprocs *s, __u32 pid, __u64 ts);
/* sorts by birth and links each record under its current parent */
void xprocs_link(struct xprocs *s);
/* when the record's life began: its birth, else its start */
__u64 xproc_born(const struct xproc *x);
/* the last moment it is known to have existed (end of the run if still alive) */
__u64 xproc_end(const struct xprocs *s, const struct xproc *x);
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
