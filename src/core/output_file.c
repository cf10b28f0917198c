// SPDX-License-Identifier: BSD-2-Clause
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "core/output_file.h"
#include "util/diag.h"

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
	fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return error_errno("cannot open '%s' for writing", path);
	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		return fd;
	/* a replaced file is made as private as a new one, before it is emptied:
	 * a file that cannot be made private is left as it was */
	if (fchmod(fd, 0600) || ftruncate(fd, 0)) {
		error_errno("cannot replace '%s'", path);
		close(fd);
		return -1;
	}
	return fd;
}

FILE *output_open(const char *path, bool force)
{
	FILE *f;
	int fd;

	if (!path || !strcmp(path, "-"))
		return stdout;
	/* private by default: a trace names every command run on the machine */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 && errno == EEXIST)
		fd = open_existing(path, force);
	else if (fd < 0)
		fd = error_errno("cannot open '%s' for writing", path);
	if (fd < 0)
		return NULL;
	f = fdopen(fd, "w");
	if (!f) {
		error_errno("cannot open '%s' for writing", path);
		close(fd);
		return NULL;
	}
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	return f;
}

void output_discard(FILE *f)
{
	char link[64], path[4096];
	struct stat st;
	ssize_t n;

	if (!f || f == stdout)
		return;
	/* the file itself, wherever its name has gone since */
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fileno(f));
	n = readlink(link, path, sizeof(path) - 1);
	if (n > 0 && !fstat(fileno(f), &st) && S_ISREG(st.st_mode)) {
		path[n] = 0;
		unlink(path);
	}
	fclose(f);
}

int output_close(FILE *f, const char *path)
{
	int failed;

	if (!f)
		return 0;
	failed = fflush(f) || ferror(f);
	if (f != stdout && fclose(f))
		failed = 1;
	if (failed && errno != EPIPE)
		return error_errno("cannot write to '%s'", path ? path : "standard output");
	return 0;
}
