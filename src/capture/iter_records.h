/* SPDX-License-Identifier: BSD-2-Clause */
/* A BPF iterator's file read as records of one size. */
#ifndef PL_ITER_RECORDS_H
#define PL_ITER_RECORDS_H

#include <stddef.h>

/* each whole record of `size` bytes (at most 4 KiB) read from fd, to fn,
 * however read() splits them; fn < 0 stops. Returns 0, fn's value, or -1
 * with errno from read(); *partial: the bytes of a record cut short at
 * the end (may be NULL) */
int pl_iter_records(int fd, size_t size, int (*fn)(void *ctx, const void *rec), void *ctx,
		    size_t *partial);

#endif
