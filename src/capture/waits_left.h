/* SPDX-License-Identifier: BSD-2-Clause */
/* The waits the kernel counted of the processes still running at the end. */
#ifndef PL_WAITS_LEFT_H
#define PL_WAITS_LEFT_H

#include <linux/types.h>
#include "capture/capture.h"

/* the counts listed by the iterator files over the leaders (in_leaders;
 * -1 without task storage) and over the hash by tgid (in_hash; or, -1,
 * read from the hash map hash_map itself by bpf() calls), summed
 * per process, as PL_EV_WAITS events at time ts through fn */
int pl_waits_left(int in_leaders, int in_hash, int hash_map, pl_event_fn fn, void *ctx, __u64 ts);

/* the one warning when those counts cannot be listed (err: an errno) */
void pl_waits_left_unlisted(int err);

#endif
