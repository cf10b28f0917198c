/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Exporters: formats written from a whole run rather than line by line
 * (CSV, Perfetto, Graphviz, HTML). The pipeline hands each one every event
 * as it is fed, every process once with its final record, and then asks it
 * to finish. Exporters only read: they never decide what happened.
 */
#ifndef PL_EXPORT_H
#define PL_EXPORT_H

#include <stdio.h>
#include "events.h"
#include "model/model.h"

struct pl_exporter {
	/* every event, kernel's and model's, in stream order */
	void (*event)(struct pl_exporter *x, const struct pl_event *e);
	/* every process once, when the model lets go of it or at the end */
	void (*proc)(struct pl_exporter *x, const struct pl_proc *p);
	/* writes what is left; 0 or -1 after printing why */
	int (*finish)(struct pl_exporter *x, const struct pl_model *m);
	void (*free)(struct pl_exporter *x);
	FILE *out;
	unsigned long long boot_to_wall_ns; /* for wall-clock times, 0 if unknown */
	unsigned long long t0; /* boot ns the trace began at, 0 if unknown */
	/* boot ns the trace ended at, set before the processes still in the
	 * table come (a process running then runs to here); 0 until then */
	unsigned long long end;
};

/* NULL for an unknown name; names: csv, perfetto, dot, html */
struct pl_exporter *export_new(const char *name, FILE *out);
/* is name an export format? */
int export_is_known(const char *name);
/* the known names, for messages: "csv, perfetto, dot, html" */
const char *export_names(void);

#endif
