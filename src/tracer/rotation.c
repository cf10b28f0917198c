// SPDX-License-Identifier: BSD-2-Clause
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include "core/output.h"
#include "tracer/rotation.h"
#include "util/diag.h"

/* FILE.keep is dropped, FILE.(n-1) becomes FILE.n, FILE becomes FILE.1;
 * names that are missing are skipped */
static int shift(const struct rotation *r)
{
	char from[PATH_MAX], to[PATH_MAX];

	for (unsigned n = r->keep; n >= 1; n--) {
		if (n == 1)
			snprintf(from, sizeof(from), "%s", r->path);
		else
			snprintf(from, sizeof(from), "%s.%u", r->path, n - 1);
		snprintf(to, sizeof(to), "%s.%u", r->path, n);
		if (rename(from, to) && errno != ENOENT)
			return error_errno("cannot rotate '%s' to '%s'", from, to);
	}
	return 0;
}

int rotation_make_room(const struct rotation *r)
{
	struct stat st;

	/* anything but a file is left for output_open to refuse */
	if (!r->keep || lstat(r->path, &st) || !S_ISREG(st.st_mode))
		return 0;
	return shift(r);
}

void rotation_began(struct rotation *r, struct output *log)
{
	r->events_from = (long long)output_bytes(log);
}

bool rotation_due(const struct rotation *r, struct output *log)
{
	long long at;

	if (r->requested)
		return true;
	if (!r->bytes)
		return false;
	at = (long long)output_bytes(log);
	return at >= 0 && (unsigned long long)(at - r->events_from) >= r->bytes;
}

/* does path still name the file log writes to? */
static bool still_there(const char *path, struct output *log)
{
	struct stat p, f;

	return !stat(path, &p) && !fstat(output_fd(log), &f) && p.st_dev == f.st_dev &&
	       p.st_ino == f.st_ino;
}

struct output *rotation_next(struct rotation *r, struct output *log)
{
	bool there = still_there(r->path, log);
	struct output *next = NULL;

	r->requested = false;
	if (there && !r->keep) {
		warning("'%s' was not moved away: the log goes on in it (SIGUSR2 reopens the path "
			"once logrotate or mv has moved the file)", r->path);
	} else if ((there && shift(r)) ||
		   !(next = output_open(r->path, false, true))) {
		warning("the log goes on in the file it was writing");
	}
	if (!next) {
		/* tried again once another SIZE has been written, not at every turn */
		rotation_began(r, log);
		return NULL;
	}
	r->part++;
	return next;
}
