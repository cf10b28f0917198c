/* The process tree, pstree-like, with what became of each process. */
#ifndef PL_TREE_H
#define PL_TREE_H

#include <stdbool.h>
#include <stdio.h>
#include "model/model.h"

/* root: the followed subtree (see pl_model_follow), 0: everything. Orphans
 * of the subtree adopted outside it are shown as trees of their own.
 * Ended processes show as long as the model's history keeps them, with
 * how they ended; a last line counts those it no longer keeps. */
void tree_print(FILE *f, const struct pl_model *m, __u32 root, bool color);

#endif
