/* SPDX-License-Identifier: BSD-2-Clause */
/* The process tree, pstree-like, with what became of each process. */
#ifndef PL_TREE_H
#define PL_TREE_H

#include <stdbool.h>
#include <stdio.h>
#include "model/model.h"
#include "output/filter.h"
#include "output/view_opts.h"

/* root: the followed subtree (see pl_model_follow), 0: everything. Orphans
 * of the subtree adopted outside it are shown as trees of their own.
 * Ended processes show as long as the model's history keeps them, with
 * how they ended; a last line counts those it no longer keeps. flags:
 * enum view_flag (without VIEW_KERNEL_THREADS, kthreadd's line counts its
 * kernel threads instead of showing them; colour marks only what is
 * notable: zombies past the threshold, orphans, double forks). */
void tree_print(FILE *f, const struct pl_model *m, __u32 root, unsigned flags);
/* the same, of the processes filter keeps (NULL: all), each under its
 * ancestors, which are shown to place it; the others are left out */
void tree_print_filtered(FILE *f, const struct pl_model *m, __u32 root, unsigned flags,
			 const struct filter *filter);

#endif
