/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Whether a log holds as it was written, checked as its lines are read:
 * its lines in the order of their times, each life born, ended and reaped
 * once, and its trailer's counts against its lines. A log joined twice,
 * sorted, edited or cut in the middle is said to be, once per kind of
 * problem, as a warning naming the file (and line); replay and verify
 * both read through it.
 */
#ifndef PL_LOG_INTEGRITY_H
#define PL_LOG_INTEGRITY_H

#include <stdbool.h>
#include "log/reader.h"
#include "util/pidtab.h"

struct log_order {
	unsigned long long begin; /* the header's time: where the log (or this part) begins */
	unsigned long long newest;
	struct pidtab births; /* a life per pid */
	bool told;            /* a disorder was said: once is enough */
};

struct log_integrity {
	const char *name;
	struct log_order order;
	unsigned long long lost_told[PL_EV_KINDS], read[PL_EV_KINDS];
	struct pl_log_trailer said; /* the trailer's counts, held against the lines at the end */
	bool trailer;
	unsigned doubts; /* problems said: the log does not hold as it was written */
	bool dropped_told_by_caller; /* the caller says the trailer's dropped lines itself */
};

/* for the log name, whose header's time is begin */
void log_integrity_init(struct log_integrity *li, const char *name, unsigned long long begin);
/* each line as it is read from r */
void log_integrity_line(struct log_integrity *li, struct pl_log_reader *r,
			const struct pl_log_line *line);
/* once the whole log is read: its trailer against its lines */
void log_integrity_end(struct log_integrity *li);
/* a rotated log's next file, name, whose header's time is begin: the part
 * before it ends (its trailer against its own lines), the order of lives
 * goes on across them */
void log_integrity_next_part(struct log_integrity *li, const char *name,
			     unsigned long long begin);
void log_integrity_free(struct log_integrity *li);

#endif
