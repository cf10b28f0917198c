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
#include "log/integrity.h"
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

/* the files names[0..n) opened, their headers read, and put in the order
 * they were written: NULL after saying why */
struct log_part *log_parts_open(char *const *names, size_t n);
void log_parts_close(struct log_part *parts, size_t n);

/* the lines of parts, in order, as one log: each later file without what
 * it says again of the one before it (the subtree followed and the
 * processes alive at its start), each line held by li, each file's
 * trailer against its own lines */
struct log_parts_read {
	const struct log_part *parts;
	size_t n, at; /* at: the part being read */
	bool finished; /* it has had its trailer */
	struct log_integrity *li;
};

void log_parts_read_init(struct log_parts_read *it, const struct log_part *parts, size_t n,
			 struct log_integrity *li);
/* the next line: 1, 0 after the last part's last, -1 after saying why */
int log_parts_next(struct log_parts_read *it, struct pl_log_line *line);

/* the line just read is of the last part */
static inline bool log_parts_in_last(const struct log_parts_read *it)
{
	return it->at + 1 == it->n;
}

#endif
