// SPDX-License-Identifier: BSD-2-Clause
#include <errno.h>
#include <unistd.h>
#include "util/write_all.h"

int write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return errno;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}
