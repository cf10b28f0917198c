/* SPDX-License-Identifier: BSD-2-Clause */
/* Pid 1 as /proc tells it, where the task iterator does not visit it. */
#ifndef PL_CAPTURE_INIT_PROC_H
#define PL_CAPTURE_INIT_PROC_H

#include "capture/cgroups.h"
#include "events.h"

/* e's name, thread count and nice value, and who pid 1 runs as with its
 * cgroup (PL_F_WHO, set only when all of these were read), from /proc */
void pl_init_from_proc(struct pl_cgroups *cg, struct pl_event *e);

#endif
