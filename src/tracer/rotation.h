/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A log file that moves on: to a new file at the same path when the
 * current one has held --rotate's SIZE of events (the old ones shifted to
 * FILE.1 ... FILE.COUNT), or when SIGUSR2 says so (after logrotate has
 * moved it away). The tracer writes the trailer, header and restated
 * processes around it; this only moves files and opens the next one.
 */
#ifndef PL_ROTATION_H
#define PL_ROTATION_H

#include <stdbool.h>

struct output;

struct rotation {
	const char *path;           /* the log's path */
	unsigned long long bytes;   /* --rotate SIZE: events a file holds; 0: on SIGUSR2 only */
	unsigned keep;              /* FILE.1 ... FILE.keep are kept; 0: no --rotate */
	bool requested;             /* SIGUSR2 came */
	unsigned part;              /* the file being written: 1, 2, ... */
	long long events_from;      /* where the current file's events begin */
	bool told;                  /* why the next file cannot be had was said */
	bool failed;                /* an error opening the next file was said */
};

/* --rotate's path is a regular file, or nothing yet: 0; else -1 after
 * saying so (a standard stream's name, a device, a FIFO, a symlink) */
int rotation_not_a_file(const char *path);
/* the same said of an output opened that is no file: -1 */
int rotation_refused(const char *path);
/* before the first file, with --rotate: an existing FILE is shifted to
 * FILE.1 rather than replaced; 0, or -1 after saying why */
int rotation_make_room(const struct rotation *r);
/* with --rotate, can this trace (as the identity its files are made as)
 * move files in the log's folder? 0, or -1 after saying why */
int rotation_folder_writable(const struct rotation *r);
/* where log's events begin (after its header and restated processes) */
void rotation_began(struct rotation *r, struct output *log);
/* is the file holding less than was written to it (emptied where it lies,
 * as logrotate's copytruncate does)? */
bool rotation_truncated(struct output *log);
/* has the log to move on now? */
bool rotation_due(const struct rotation *r, struct output *log);
/* the next file at the path, once the current one (log) is out of the way:
 * shifted to FILE.1 here (--rotate), or already moved by someone else.
 * NULL, after saying why, when it is not: the log goes on where it is */
struct output *rotation_next(struct rotation *r, struct output *log);

#endif
