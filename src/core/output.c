// SPDX-License-Identifier: BSD-2-Clause
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "core/output.h"
#include "core/output_queue.h"
#include "util/clock.h"
#include "util/diag.h"
#include "util/stdfds.h"
#include "util/stop_signals.h"
#include "util/sudo.h"
#include "util/write_all.h"

/* how long a FIFO's reader is waited for (-d's time; 0: until a stop) */
static double reader_wait_s;

void output_wait_for_reader_at_most(double seconds)
{
	reader_wait_s = seconds;
}

/* a named pipe opens once someone reads it: said, rather than a silent
 * wait, and a wait a stop signal or the time allowed ends */
static int open_fifo(const char *path)
{
	const struct timespec a_while = { .tv_nsec = 50 * 1000000L };
	int fd = open(path, O_WRONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC), flags;
	unsigned long long until = boot_ns() + (unsigned long long)(reader_wait_s * 1e9);

	if (fd < 0 && errno == ENXIO)
		note("waiting for someone to read '%s'", path);
	while (fd < 0 && errno == ENXIO) {
		if (stop_signal_pending())
			return error("stopped while waiting for someone to read '%s'", path);
		if (reader_wait_s > 0 && boot_ns() >= until)
			return error("no one read '%s' in the %g s the trace was to last", path,
				     reader_wait_s);
		nanosleep(&a_while, NULL);
		fd = open(path, O_WRONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
	}
	if (fd >= 0 && ((flags = fcntl(fd, F_GETFL)) < 0 ||
			fcntl(fd, F_SETFL, flags & ~O_NONBLOCK))) {
		close(fd);
		fd = -1;
	}
	if (fd < 0)
		return error_errno("cannot open '%s' for writing", path);
	return fd;
}

/* an output file is held locked while it is written (flock, advisory):
 * another proclife given the same file would empty, move or replace a
 * live log. 0, or -1 after saying so; a file system without such locks
 * holds nothing */
int output_hold(int fd, const char *path)
{
	if (!flock(fd, LOCK_EX | LOCK_NB) || errno != EWOULDBLOCK)
		return 0;
	return error("'%s' is being written by another proclife: give another -o FILE", path);
}

int output_refuse_if_held(const char *path)
{
	struct stat st;
	int fd, err;

	if (lstat(path, &st) || !S_ISREG(st.st_mode))
		return 0;
	fd = open(path, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return 0; /* what opening it says comes later */
	err = output_hold(fd, path);
	close(fd); /* and with it this probe's own lock */
	return err;
}

/* an existing path: a device or pipe is written to as it is; a file is
 * replaced only when asked; a symlink never followed */
static int open_existing(const char *path, bool force)
{
	struct stat st;
	int fd;

	if (lstat(path, &st))
		return error_errno("cannot open '%s' for writing", path);
	if (S_ISLNK(st.st_mode))
		return error("'%s' is a symbolic link: not followed, give the file itself", path);
	if (S_ISREG(st.st_mode) && !force)
		return error("'%s' exists (use --force to replace it)", path);
	if (S_ISDIR(st.st_mode))
		return error("'%s' is a directory", path);
	if (S_ISFIFO(st.st_mode))
		return open_fifo(path);
	fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return error_errno("cannot open '%s' for writing", path);
	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		return fd;
	if (output_hold(fd, path)) {
		close(fd);
		return -1;
	}
	/* a replaced file is made as private as a new one, before it is emptied:
	 * a file that cannot be made private is left as it was */
	if (fchmod(fd, 0600) || ftruncate(fd, 0)) {
		error_errno("cannot replace '%s'", path);
		close(fd);
		return -1;
	}
	return fd;
}

/* a file written for the user who ran sudo is theirs (still private):
 * they read their log back without root */
static void give_to_sudo_user(int fd, const char *path)
{
	struct stat st;
	uid_t uid;
	gid_t gid;

	if (!sudo_user(&uid, &gid) || fstat(fd, &st) || !S_ISREG(st.st_mode))
		return;
	if (fchown(fd, uid, gid))
		warning("cannot give '%s' to the user who ran sudo (uid %u): %s", path,
			(unsigned)uid, strerror(errno));
}


const char *output_format_of(const char *path)
{
	static const char *const by_ext[][2] = {
		{ ".jsonl", "jsonl" }, { ".csv", "csv" },   { ".json", "perfetto" }, { ".dot", "dot" },
		{ ".gv", "dot" },      { ".html", "html" }, { ".htm", "html" },      { ".txt", "text" },
	};
	size_t n = path ? strlen(path) : 0;

	for (size_t i = 0; i < sizeof(by_ext) / sizeof(by_ext[0]); i++) {
		size_t m = strlen(by_ext[i][0]);

		if (n > m && !strcasecmp(path + n - m, by_ext[i][0]))
			return by_ext[i][1];
	}
	return NULL;
}

#define FILE_BUFFER (1 << 20)

struct output {
	FILE *f;
	char *buf; /* stdio's buffer for a file: its size, not glibc's 8 KiB */
	int fd;
	int whole_fd;          /* the file an export goes to once whole; -1: fd is it */
	bool std;              /* fd 1 or 2: not ours to close */
	bool regular;          /* a file: written in place, never dropped from */
	bool stalls;           /* its reader may stop reading: a pipe, socket or terminal */
	struct out_queue *queue; /* or NULL: written in place */
	unsigned long long bytes; /* handed out of stdio's buffer so far */
	unsigned long long write_cpu_ns; /* the writing thread's CPU inside write() */
	int err;               /* errno of the first write that failed */
	bool told;             /* and it was said */
	bool ended;            /* closed or discarded: what stdio still holds goes nowhere */
	char name[256];        /* for messages */
	char *replaces;        /* the file fd, unnamed, takes the place of at a clean close */
	bool fresh;            /* and none was there when it was opened */
	const char *aside;     /* where an export to a stream is made whole first, NULL: none */
	bool aside_failed;     /* the first failed write was to it */
};

/* stdio's buffer out: to the queue, or to the descriptor. A failure is
 * kept here, not handed to stdio: said once, by this object, and no
 * write after it is tried */
static ssize_t cookie_write(void *cookie, const char *buf, size_t n)
{
	struct output *o = cookie;

	if (o->ended)
		return (ssize_t)n;
	o->bytes += n;
	if (o->queue) {
		if (out_queue_put(o->queue, buf, n))
			warning("%s is not being read: lines are dropped, and counted, until it is",
				o->name);
		return (ssize_t)n;
	}
	if (!o->err) {
		/* two clock reads per buffer written (a MiB to a file) */
		unsigned long long t0 = cpu_ns(CLOCK_THREAD_CPUTIME_ID);

		o->err = write_all(o->fd, buf, n);
		o->aside_failed = o->err && o->aside;
		o->write_cpu_ns += cpu_ns(CLOCK_THREAD_CPUTIME_ID) - t0;
	}
	return (ssize_t)n;
}

static int cookie_close(void *cookie)
{
	struct output *o = cookie;

	/* a standard stream's own descriptor stays; the unnamed file an
	 * export went to first is ours */
	return o->std && o->whole_fd < 0 ? 0 : close(o->fd);
}

static struct output *output_of_fd(int fd, bool std, const char *name, bool never_wait)
{
	cookie_io_functions_t io = { .write = cookie_write, .close = cookie_close };
	struct output *o = calloc(1, sizeof(*o));
	struct stat st;

	if (!o) {
		error("out of memory");
		goto fail;
	}
	o->fd = fd;
	o->whole_fd = -1;
	o->std = std;
	o->regular = !fstat(fd, &st) && S_ISREG(st.st_mode);
	o->stalls = !o->regular && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) || isatty(fd));
	snprintf(o->name, sizeof(o->name), std ? "%s" : "'%s'", name);
	if (never_wait && o->stalls && !(o->queue = out_queue_new(fd))) {
		error_errno("cannot start writing to %s", o->name);
		goto fail;
	}
	o->f = fopencookie(o, "w", io);
	if (!o->f) {
		error_errno("cannot open %s for writing", o->name);
		if (o->queue)
			out_queue_close(o->queue, 0, &(int){ 0 });
		goto fail;
	}
	/* a file's writes are large: each write() costs the file system a
	 * journal handle and an mtime update, whatever its size (setvbuf with
	 * no buffer of ours would keep glibc's 8 KiB); a queue is fed at every
	 * flush anyway */
	if (o->regular)
		o->buf = malloc(FILE_BUFFER);
	setvbuf(o->f, o->buf, _IOFBF, o->buf ? FILE_BUFFER : 1 << 16);
	return o;
fail:
	free(o);
	if (!std)
		close(fd);
	return NULL;
}

struct output *output_std(int fd, bool never_wait)
{
	const char *name = fd == STDERR_FILENO ? "standard error" : "standard output";

	if (stdfd_was_closed(fd)) {
		errno = EBADF;
		error_errno("cannot write to %s", name);
		return NULL;
	}
	return output_of_fd(fd, true, name, never_wait);
}

/* the standard output or error a path links to (/dev/stdout), or -1 */
static int std_stream_at(const char *path)
{
	struct stat link, at, std;

	if (lstat(path, &link) || !S_ISLNK(link.st_mode) || stat(path, &at))
		return -1;
	for (int fd = STDOUT_FILENO; fd <= STDERR_FILENO; fd++)
		if (!fstat(fd, &std) && std.st_dev == at.st_dev && std.st_ino == at.st_ino)
			return fd;
	return -1;
}

struct output *output_open(const char *path, bool force, bool never_wait)
{
	int fd;

	if (!path || !strcmp(path, "-"))
		return output_std(STDOUT_FILENO, never_wait);
	fd = std_stream_at(path);
	if (fd >= 0)
		return output_std(fd, never_wait);
	/* private by default: a trace names every command run on the machine */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd >= 0)
		output_hold(fd, path); /* new: no one else has it */
	else if (errno == EEXIST)
		fd = open_existing(path, force);
	else
		fd = error_errno("cannot open '%s' for writing", path);
	if (fd < 0)
		return NULL;
	give_to_sudo_user(fd, path);
	return output_of_fd(fd, false, path, never_wait);
}

FILE *output_stream(const struct output *o)
{
	return o->f;
}

unsigned long long output_bytes(const struct output *o)
{
	return o->bytes + __fpending(o->f);
}

int output_append(struct output *o)
{
	int flags = fcntl(o->fd, F_GETFL);

	return flags < 0 ? -1 : fcntl(o->fd, F_SETFL, flags | O_APPEND);
}

long long output_file_size(const struct output *o)
{
	struct stat st;

	/* after a failed write the file holds less than was given: not emptied */
	return o->regular && !o->err && !fstat(o->fd, &st) ? (long long)st.st_size : -1;
}

int output_empty_file(struct output *o)
{
	if (ftruncate(o->fd, 0))
		return -1;
	o->bytes = 0;
	return 0;
}

struct output *output_open_empty(const char *path)
{
	struct stat st;
	int fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0) {
		error_errno("cannot open '%s' for writing", path);
		return NULL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size) {
		close(fd);
		error("'%s' is no longer an empty file", path);
		return NULL;
	}
	if (output_hold(fd, path)) {
		close(fd);
		return NULL;
	}
	return output_of_fd(fd, false, path, true);
}

unsigned long long output_dropped_lines(const struct output *o)
{
	return o->queue ? out_queue_dropped(o->queue) : 0;
}

unsigned long long output_write_cpu_ns(const struct output *o)
{
	return o->write_cpu_ns;
}

/* where its bytes end: an export's own file or stream, not the unnamed
 * file it is made in */
static int destination(const struct output *o)
{
	return o->whole_fd >= 0 ? o->whole_fd : o->fd;
}

int output_fd(const struct output *o)
{
	return destination(o);
}

bool output_is_file(const struct output *o)
{
	struct stat st;

	return !o->std && !fstat(destination(o), &st) && S_ISREG(st.st_mode);
}

bool output_is_stdout(const struct output *o)
{
	return o->std && destination(o) == STDOUT_FILENO;
}

FILE *output_std_stream(const struct output *o)
{
	return !o->std ? NULL : destination(o) == STDOUT_FILENO ? stdout : stderr;
}

int output_refuse_stderr(const struct output *o, const char *name, const char *what)
{
	if (output_std_stream(o) != stderr)
		return 0;
	return error("-o %s: %s on standard error would hold proclife's own messages; "
		     "use standard output (-o -) or a file",
		     name, what);
}

bool output_may_stall(const struct output *o)
{
	return o->stalls;
}

void output_reader_gone(struct output *o)
{
	if (!o->err)
		o->err = EPIPE;
}

/* the reader is gone: a pipe's or stream socket's (EPIPE), or the peer of
 * a connected datagram socket (ECONNREFUSED) */
static bool gone(int err)
{
	return err == EPIPE || err == ECONNREFUSED;
}

bool output_reader_left(const struct output *o)
{
	return gone(o->err);
}

/* the first write that failed, the queue's included */
static int write_error(struct output *o)
{
	if (!o->err && o->queue)
		o->err = out_queue_error(o->queue);
	return o->err;
}

bool output_took_no_more(struct output *o)
{
	return write_error(o);
}

/* a write failed (the queue's too): said the first time, unless the
 * reader left; -1 for an error, 0 for no failure or a reader gone */
static int failure(struct output *o)
{
	if (!write_error(o) || gone(o->err))
		return 0;
	if (!o->told) {
		errno = o->err;
		if (o->aside_failed)
			error_errno("cannot write to %s (an export is made whole in %s first)",
				    o->name, o->aside);
		else
			error_errno("cannot write to %s", o->name);
		o->told = true;
	}
	return -1;
}

int output_flush(struct output *o)
{
	fflush(o->f);
	return failure(o) || o->err ? -1 : 0;
}

/*
 * An export is whole or not there: its bytes go to an unnamed file in the
 * same directory (O_TMPFILE), copied into its own file at a clean close. A
 * tracer killed meanwhile leaves that file empty, where half an export
 * would pass for a whole one. A file system without unnamed files is
 * written in place.
 */
/* a new unnamed file (O_TMPFILE) in the folder of path, or -1 */
static int unnamed_beside(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (snprintf(dir, sizeof(dir), "%.*s", slash == path ? 1 : (int)(slash - path),
			  path) >= (int)sizeof(dir))
		return -1;
	return open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
}

/* a new unnamed file for what goes to a pipe, a socket or a standard
 * stream's file once whole: in $TMPDIR or /tmp, else in memory (*where
 * says which); -1 if none can be made */
static int unnamed_aside(const char **where)
{
	const char *dir = getenv("TMPDIR");
	int fd = -1;

	if (dir && *dir && (fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600)) >= 0)
		*where = "$TMPDIR";
	if (fd < 0 && (fd = open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600)) >= 0)
		*where = "/tmp";
	if (fd < 0 && (fd = memfd_create("proclife-export", MFD_CLOEXEC)) >= 0)
		*where = "memory";
	return fd;
}

void output_whole_or_nothing(struct output *o, const char *path)
{
	struct stat st;
	int fd;

	if (o->whole_fd >= 0 || o->replaces || o->queue || o->bytes || __fpending(o->f))
		return;
	/* a pipe's reader would take half an export for a whole one too; a
	 * device (a terminal, /dev/null) is written as it comes */
	if (o->regular && path && !o->std)
		fd = unnamed_beside(path);
	else if (o->regular ||
		 (!fstat(o->fd, &st) && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))))
		fd = unnamed_aside(&o->aside);
	else
		return;
	if (fd < 0)
		return;
	o->whole_fd = o->fd;
	o->fd = fd;
}

struct output *output_open_replacing(const char *path, bool force)
{
	struct output *o;
	struct stat st;
	bool there;
	int fd;

	/* anything but a new file, or one of the user's to replace, opens as ever */
	if (!path || !strcmp(path, "-") || std_stream_at(path) >= 0)
		return output_open(path, force, false);
	there = !lstat(path, &st);
	if ((there && (!force || !S_ISREG(st.st_mode))) || (!there && errno != ENOENT))
		return output_open(path, force, false);
	/* a file another user owns, or one with other names, is written where
	 * it is, keeping them; so is any where /proc cannot name the new one */
	if ((there && (st.st_uid != geteuid() || st.st_nlink > 1)) ||
	    access("/proc/self/fd", X_OK))
		return output_open(path, force, false);
	if (there && output_refuse_if_held(path))
		return NULL;
	/* replaced by a rename, which needs no right to write it: asked all the same */
	if (there && faccessat(AT_FDCWD, path, W_OK, AT_EACCESS)) {
		error_errno("cannot open '%s' for writing", path);
		return NULL;
	}
	fd = unnamed_beside(path);
	if (fd < 0)
		return output_open(path, force, false); /* no unnamed files here: replaced now */
	o = output_of_fd(fd, false, path, false);
	if (!o)
		return NULL;
	o->replaces = strdup(path);
	if (!o->replaces) {
		error("out of memory");
		output_discard(o);
		return NULL;
	}
	o->fresh = !there;
	give_to_sudo_user(fd, path);
	return o;
}

/* the unnamed file, whole, named where the file it replaces was: linked
 * beside it under a name of its own, then renamed over it at once */
static int put_in_place(struct output *o)
{
	char fd_path[64], next[4200];
	int err;

	snprintf(fd_path, sizeof(fd_path), "/proc/self/fd/%d", o->fd);
	/* a new file is named at once: one made there meanwhile is not replaced */
	if (o->fresh)
		return linkat(AT_FDCWD, fd_path, AT_FDCWD, o->replaces, AT_SYMLINK_FOLLOW);
	/* on the disk before the old file goes: a crash leaves one or the other */
	if (fdatasync(o->fd))
		return -1;
	for (unsigned i = 0;; i++) {
		if (snprintf(next, sizeof(next), "%s.%d-%u.new", o->replaces, (int)getpid(), i) >=
		    (int)sizeof(next))
			return errno = ENAMETOOLONG, -1;
		if (!linkat(AT_FDCWD, fd_path, AT_FDCWD, next, AT_SYMLINK_FOLLOW))
			break;
		if (errno != EEXIST || i == 99)
			return -1;
	}
	if (!rename(next, o->replaces))
		return 0;
	err = errno;
	unlink(next);
	errno = err;
	return -1;
}

/* copies [at, size) of the unnamed file by read and write, for file
 * systems that copy_file_range() does not serve */
static int copy_by_hand(struct output *o, off_t at, off_t size)
{
	char buf[1 << 16];
	ssize_t n;
	int err;

	while (at < size) {
		n = pread(o->fd, buf, sizeof(buf), at);
		if (n <= 0)
			return n < 0 ? -1 : (errno = EIO, -1);
		err = write_all(o->whole_fd, buf, (size_t)n);
		if (err)
			return errno = err, -1;
		at += n;
	}
	return 0;
}

/* the unnamed file's size bytes into the export's own file, shared, not
 * copied, where the file system can */
static int copy_whole(struct output *o, off_t size)
{
	off_t at = 0;
	ssize_t n;

	while (at < size) {
		n = copy_file_range(o->fd, &at, o->whole_fd, NULL, (size_t)(size - at), 0);
		if (n > 0)
			continue;
		/* EBADF: the destination was opened to append (`>>`) */
		if (n < 0 && (errno == EXDEV || errno == EINVAL || errno == ENOSYS ||
			      errno == EOPNOTSUPP || errno == EBADF))
			return copy_by_hand(o, at, size);
		return n < 0 ? -1 : (errno = EIO, -1);
	}
	return 0;
}

/* the export into its own file; on a failure that file is left empty,
 * never with part of the export */
static int take_whole(struct output *o)
{
	struct stat st, dest = { 0 };
	off_t begun = 0;
	int err;

	/* a standard stream's file may hold what came before: only the
	 * export's part of it is taken back (an appending one's at its end) */
	if (o->std && !fstat(o->whole_fd, &dest) && S_ISREG(dest.st_mode))
		begun = fcntl(o->whole_fd, F_GETFL) & O_APPEND ? dest.st_size
							      : lseek(o->whole_fd, 0, SEEK_CUR);
	if (!fstat(o->fd, &st) && !copy_whole(o, st.st_size))
		return 0;
	err = errno;
	/* through the descriptor: the name may no longer be ours to remove
	 * once privileges are dropped; a pipe's reader has what it took */
	if ((!o->std || S_ISREG(dest.st_mode)) && begun >= 0 && ftruncate(o->whole_fd, begun))
		err = err ? err : errno;
	errno = err;
	return -1;
}

int output_close(struct output *o, int timeout_ms, bool keep_partial)
{
	unsigned long long unwritten = 0;
	int ret, err;

	if (!o)
		return 0;
	fflush(o->f);
	if (o->queue) {
		unwritten = out_queue_close(o->queue, timeout_ms, &err);
		o->err = o->err ? o->err : err;
		o->queue = NULL;
	}
	ret = failure(o);
	if (!o->err && unwritten)
		ret = error("%llu lines of output were not written to %s: it was not being read",
			    unwritten, o->name);
	if (!ret && o->whole_fd >= 0 && take_whole(o)) {
		o->err = errno; /* a reader that left (`| head`) is no error */
		ret = failure(o);
	}
	if (!ret && o->replaces && put_in_place(o))
		ret = error_errno("cannot %s %s", o->fresh ? "make" : "replace", o->name);
	/* a file being replaced stays as it was, whatever keep_partial says */
	if (ret && (!keep_partial || o->replaces)) {
		output_discard(o);
		return ret;
	}
	o->ended = true;
	if (fclose(o->f) && !ret && !o->err)
		ret = error_errno("cannot write to %s", o->name);
	if (o->whole_fd >= 0 && !o->std && close(o->whole_fd) && !ret)
		ret = error_errno("cannot write to %s", o->name);
	free(o->buf);
	free(o->replaces);
	free(o);
	return ret;
}

void output_discard(struct output *o)
{
	char link[64], path[4096];
	struct stat st;
	ssize_t n;
	int named;

	if (!o)
		return;
	/* the file itself, wherever its name has gone since */
	named = destination(o);
	snprintf(link, sizeof(link), "/proc/self/fd/%d", named);
	n = readlink(link, path, sizeof(path) - 1);
	if (!o->std && !o->replaces && n > 0 && !fstat(named, &st) && S_ISREG(st.st_mode)) {
		path[n] = 0;
		unlink(path);
	}
	/* what a pipe or terminal took cannot be taken back: it gets the
	 * whole lines stdio holds, not the cut a full buffer left */
	if ((!o->regular || o->std) && o->whole_fd < 0 && !o->queue)
		fflush(o->f);
	if (o->queue)
		out_queue_close(o->queue, 0, &(int){ 0 });
	o->queue = NULL;
	o->ended = true;
	fclose(o->f);
	if (o->whole_fd >= 0 && !o->std)
		close(o->whole_fd);
	free(o->buf);
	free(o->replaces);
	free(o);
}
