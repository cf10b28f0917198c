/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The files of one rotated log (FILE, FILE.1, ... as --rotate leaves them,
 * or as logrotate dated them), given in any order, put in the order they
 * were written, by the part number and trace start their headers say.
 */
#ifndef PL_LOG_PARTS_H
#define PL_LOG_PARTS_H

#include <stddef.h>
#include "log/reader.h"

/* one file of a log */
struct log_part {
	struct pl_log_reader *r;
	const char *name;
};

/* parts in the order they were written: 0, or -1 after saying why (files
 * of different traces, one part given twice, a part missing between two
 * given ones). The parts before the first given may be missing: each file
 * reads on its own */
int log_parts_order(struct log_part *parts, size_t n);

#endif
