// SPDX-License-Identifier: BSD-2-Clause
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include "util/diag.h"
#include "util/stdfds.h"

static bool closed[3];

void stdfds_guard(void)
{
	for (int fd = 0; fd < 3; fd++) {
		if (fcntl(fd, F_GETFD) >= 0)
			continue;
		closed[fd] = true;
		/* opened in order, so the lowest free number is fd itself */
		if (open("/dev/null", fd ? O_WRONLY : O_RDONLY) != fd)
			return;
	}
}

bool stdfd_was_closed(int fd)
{
	return fd >= 0 && fd < 3 && closed[fd];
}

int stdout_done(int ret)
{
	if (stdfd_was_closed(STDOUT_FILENO)) {
		if (ret)
			return ret; /* it failed, and said why, before anything was printed */
		errno = EBADF; /* what was printed went to /dev/null in its place */
	} else if (!fflush(stdout) && !ferror(stdout))
		return ret;
	else if (errno == EPIPE)
		return ret;
	error_errno("cannot write to standard output");
	return ret ? ret : EXIT_ERROR;
}
