// SPDX-License-Identifier: BSD-2-Clause
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include "capture/iter_records.h"

#define ITER_BUFFER (64 * 1024)

int pl_iter_records(int fd, size_t size, int (*fn)(void *ctx, const void *rec), void *ctx,
		    size_t *partial)
{
	static _Thread_local char buf[ITER_BUFFER];
	size_t have = 0;
	ssize_t n;

	if (!size || size > 4096) {
		errno = EINVAL;
		return -1;
	}
	/* records may straddle read() boundaries: keep the partial tail */
	while ((n = read(fd, buf + have, sizeof(buf) - have)) > 0 || (n < 0 && errno == EINTR)) {
		size_t off = 0;
		int ret;

		if (n < 0)
			continue;
		have += (size_t)n;
		for (; have - off >= size; off += size)
			if ((ret = fn(ctx, buf + off)) < 0)
				return ret;
		memmove(buf, buf + off, have - off);
		have -= off;
	}
	if (partial)
		*partial = have;
	return n < 0 ? -1 : 0;
}
