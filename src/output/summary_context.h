/* SPDX-License-Identifier: BSD-2-Clause */
/* The summary's tables of who, what and how much (summary_context.c). */
#ifndef PL_SUMMARY_CONTEXT_H
#define PL_SUMMARY_CONTEXT_H

#include <stdio.h>
#include "model/model.h"

/* root: as summary_print's; waiting: the zombies of the subtree still
 * unreaped, which count for their cgroup */
void summary_context(FILE *f, const struct pl_model *m, __u32 root, const struct pl_proc **waiting,
		     size_t nwaiting);

#endif
