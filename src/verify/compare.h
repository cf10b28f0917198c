/* SPDX-License-Identifier: BSD-2-Clause */
/* Holding a tracer log against a workload manifest, fact by fact. */
#ifndef PL_COMPARE_H
#define PL_COMPARE_H

#include <stdio.h>
#include "verify/log_facts.h"
#include "verify/manifest.h"

struct verdict {
	unsigned long processes; /* manifest processes looked at */
	unsigned long facts;     /* facts compared */
	unsigned long differ;    /* facts that differ: each printed */
	unsigned long pending;   /* reaps by init not seen before the trace ended */
	unsigned long unnamed;   /* cgroups the tracer could not name (looked up too late) */
};

/* prints every fact that differs to out */
struct verdict compare(const struct manifest *m, struct log_facts *lf, FILE *out);

#endif
