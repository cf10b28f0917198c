/* SPDX-License-Identifier: BSD-2-Clause */
/* Following an existing process and all its descendants (-p). */
#ifndef PL_FOLLOW_H
#define PL_FOLLOW_H

#include <stdbool.h>
#include <sys/types.h>
#include "capture/capture.h"

struct pid_set {
	__u32 *pids; /* sorted */
	size_t n, cap;
};

bool pid_set_has(const struct pid_set *s, __u32 pid);
int pid_set_add(struct pid_set *s, __u32 pid);
void pid_set_free(struct pid_set *s);

/* follows root and every process now below it; the kernel then adds what
 * they fork. The set receives every pid followed this way. */
int follow_subtree(struct pl_capture *c, pid_t root, struct pid_set *followed);

#endif
