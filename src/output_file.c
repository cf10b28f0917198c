#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "output_file.h"
#include "util/log.h"

FILE *output_open(const char *path)
{
	FILE *f;
	int fd;

	if (!path)
		return stdout;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		error("cannot open '%s' for writing: %s", path, strerror(errno));
		return NULL;
	}
	f = fdopen(fd, "w");
	if (!f) {
		error("cannot open '%s' for writing: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	return f;
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
		return error("cannot write to '%s': %s", path ? path : "standard output",
			     strerror(errno));
	return 0;
}
