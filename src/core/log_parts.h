/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The files of one rotated log (FILE, FILE.1, ... as --rotate leaves them,
 * or as logrotate dated them), given in any order, put in the order they
 * were written, by the part number and trace start their headers say.
 */
#ifndef PL_LOG_PARTS_H
#define PL_LOG_PARTS_H

#include <stdbool.h>
#include <stddef.h>
#include "log/reader.h"

/* one file of a log */
struct log_part {
	struct pl_log_reader *r;
	const char *name;
	/* the part before it is missing: the processes its proc lines restate
	 * are all that is known of what happened in between */
	bool after_gap;
};

/* parts in the order they were written: 0, or -1 after saying why (files
 * of different traces, one part given twice). A part missing between two
 * given ones is warned about, and the one after it marked after_gap */
int log_parts_order(struct log_part *parts, size_t n);

#endif
