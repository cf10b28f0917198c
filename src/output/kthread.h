/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel threads: kthreadd (pid 2, with no parent) and the threads it
 * starts. A whole-machine trace finds dozens of them running; the tree
 * and the "still alive" list leave them out unless asked.
 */
#ifndef PL_KTHREAD_H
#define PL_KTHREAD_H

#include <stdbool.h>
#include "model/model.h"

bool is_kthreadd(const struct pl_proc *p);
/* kthreadd or one of its children that never exec'd (a child that
 * exec'd is a user-mode helper: a process like any other) */
bool is_kernel_thread(const struct pl_proc *p);

#endif
