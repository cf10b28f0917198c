/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Who a process runs as and where, said only where it is news: its user
 * when it differs from its parent's (or, at the top of a picture, when it
 * is not root), its effective user when that differs from its user, its
 * unit or container (output/cgroup_label.h) when it differs from its
 * parent's. "user alice, euid root, in nginx.service".
 */
#ifndef PL_WHO_NOTE_H
#define PL_WHO_NOTE_H

#include <stdbool.h>
#include <stddef.h>
#include "model/model.h"

/* top: p has no parent in the picture; "" when nothing is news */
const char *who_note(const struct pl_proc *p, const struct pl_proc *parent, bool top, char *buf,
		     size_t len);

#endif
