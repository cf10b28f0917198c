// SPDX-License-Identifier: BSD-2-Clause
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "core/output.h"
#include "tracer/rotation.h"
#include "util/diag.h"

/* FILE.keep is dropped, FILE.(n-1) becomes FILE.n, FILE becomes FILE.1;
 * names that are missing are skipped. -1, said when say is set, if one
 * cannot be moved */
static int shift(const struct rotation *r, bool say)
{
	char from[PATH_MAX], to[PATH_MAX];

	for (unsigned n = r->keep; n >= 1; n--) {
		if (n == 1)
			snprintf(from, sizeof(from), "%s", r->path);
		else
			snprintf(from, sizeof(from), "%s.%u", r->path, n - 1);
		snprintf(to, sizeof(to), "%s.%u", r->path, n);
		if (rename(from, to) && errno != ENOENT)
			return say ? error_errno("cannot rotate '%s' to '%s'", from, to) : -1;
	}
	return 0;
}

int rotation_refused(const char *path)
{
	return error("--rotate rotates a JSONL log file: '%s' is not a file", path);
}

int rotation_not_a_file(const char *path)
{
	struct stat st;

	if (lstat(path, &st) || S_ISREG(st.st_mode))
		return 0; /* made as a file, or what opening it says */
	return rotation_refused(path);
}

int rotation_make_room(const struct rotation *r)
{
	struct stat st, held;
	int fd, err;

	/* anything but a file is left for output_open to refuse */
	if (!r->keep || lstat(r->path, &st) || !S_ISREG(st.st_mode))
		return 0;
	/* held while it is moved: another proclife starting on the same path
	 * at the same moment finds it held, or gone and the new one its own */
	fd = open(r->path, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return shift(r, true); /* not ours to write: moving it needs only the folder */
	if (output_hold(fd, r->path)) {
		close(fd);
		return -1;
	}
	/* locked, but moved by one that held it a moment ago? */
	if (fstat(fd, &held) || lstat(r->path, &st) || held.st_ino != st.st_ino ||
	    held.st_dev != st.st_dev) {
		close(fd);
		return error("'%s' was rotated by another proclife as this one started: give "
			     "another -o FILE", r->path);
	}
	err = shift(r, true);
	close(fd); /* and the lock: the file is FILE.1 now */
	return err;
}

void rotation_began(struct rotation *r, struct output *log)
{
	r->events_from = (long long)output_bytes(log);
}

/* the file holds less than was written to it: emptied where it lies */
bool rotation_truncated(struct output *log)
{
	long long size = output_file_size(log);

	return size >= 0 && (unsigned long long)size < output_bytes(log);
}

bool rotation_due(const struct rotation *r, struct output *log)
{
	long long at;

	if (r->requested || rotation_truncated(log))
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

/* why the next file cannot be had, said once while it lasts (a rotation
 * is tried again at every SIZE written) */
static void cannot(struct rotation *r, const char *fmt, const char *path)
{
	if (r->told)
		return;
	warning(fmt, path);
	r->told = true;
}

/* an output opened, or an error said: the trace has failed (its end says
 * so in its status), though the log goes on where it was */
static struct output *opened(struct rotation *r, struct output *next)
{
	r->failed |= !next;
	return next;
}

/* the folder path is in ("." for a bare name) */
static const char *folder_of(const char *path, char *dir, size_t len)
{
	char *slash;

	snprintf(dir, len, "%s", path);
	slash = strrchr(dir, '/');
	if (!slash)
		return ".";
	*(slash == dir ? slash + 1 : slash) = 0;
	return dir;
}

int rotation_folder_writable(const struct rotation *r)
{
	char dir[PATH_MAX];
	const char *folder;

	if (!r->keep)
		return 0;
	folder = folder_of(r->path, dir, sizeof(dir));
	if (faccessat(AT_FDCWD, folder, W_OK | X_OK, AT_EACCESS))
		return error_errno("--rotate moves the log's files in '%s', which this trace "
				   "cannot write", folder);
	return 0;
}

/* the file at the path to go on in once the log was moved away: a new
 * one, or the empty one logrotate's create made (its owner and mode are
 * the ones asked for); NULL, after saying why */
static struct output *open_next(struct rotation *r)
{
	char dir[PATH_MAX];
	struct stat st;

	if (!lstat(r->path, &st)) {
		if (S_ISREG(st.st_mode) && !st.st_size)
			return opened(r, output_open_empty(r->path));
		if (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode) || S_ISDIR(st.st_mode)) {
			cannot(r, "'%s' is there again and is not an empty file: the log goes on in "
				  "the file it was writing, wherever that was moved to", r->path);
			return NULL;
		}
	}
	if (stat(folder_of(r->path, dir, sizeof(dir)), &st)) {
		cannot(r, "the directory of '%s' is gone: the log goes on in the file it was "
			  "writing, removed with it, until the directory is back", r->path);
		return NULL;
	}
	return opened(r, output_open(r->path, false, true));
}

struct output *rotation_next(struct rotation *r, struct output *log)
{
	bool there = still_there(r->path, log);
	struct output *next = NULL;

	r->requested = false;
	if (there && !r->keep) {
		warning("'%s' was not moved away: the log goes on in it (SIGUSR2 reopens the path "
			"once logrotate or mv has moved the file)", r->path);
	} else if (there && shift(r, !r->told)) {
		/* said once while it lasts, and the trace's end says it failed */
		r->failed = true;
		cannot(r, "%s: the log goes on in the file it was writing", r->path);
	} else if (!(next = open_next(r))) {
		cannot(r, "%s: the log goes on in the file it was writing", r->path);
	}
	if (!next) {
		/* tried again once another SIZE has been written, not at every turn */
		rotation_began(r, log);
		return NULL;
	}
	if (r->told)
		note("the log goes on in '%s' again", r->path);
	r->told = false;
	r->part++;
	return next;
}
