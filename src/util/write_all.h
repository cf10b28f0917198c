/* SPDX-License-Identifier: BSD-2-Clause */
/* Writing every byte to a descriptor. */
#ifndef PL_WRITE_ALL_H
#define PL_WRITE_ALL_H

#include <stddef.h>

/* all n bytes, through short writes and EINTR: 0, or the errno of the
 * write that failed */
int write_all(int fd, const char *s, size_t n);

#endif
