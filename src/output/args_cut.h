/* SPDX-License-Identifier: BSD-2-Clause */
/* How an exec record's arguments end, for shell_join: the views and the
 * exporters that show a record's own command line say it alike. */
#ifndef PL_ARGS_CUT_H
#define PL_ARGS_CUT_H

#include "events.h"
#include "util/shell_quote.h"

/* whole; cut after an argument (more were given than are told); or cut
 * inside the last one told, as a record's 4 KiB bound mostly is (where
 * the bound's last byte ends an argument, after it) */
static inline int args_cut(const struct pl_event *e)
{
	bool at_bound = (e->flags & PL_F_ARGS_TRUNCATED) && e->args_len >= PL_ARGS_MAX;

	if (!(e->flags & (PL_F_ARGS_TRUNCATED | PL_F_TRUNCATED)))
		return SHELL_CUT_NONE;
	/* a failed exec's are read one at a time, each ended by a NUL even
	 * where the bound cut it: told cut at the bound, its last one was */
	if (at_bound && e->kind == PL_EV_EXEC_FAILED)
		return SHELL_CUT_INSIDE;
	return at_bound && (e->args_len > PL_ARGS_MAX || e->args[PL_ARGS_MAX - 1]) ?
		       SHELL_CUT_INSIDE : SHELL_CUT_AFTER;
}

#endif
