/* SPDX-License-Identifier: BSD-2-Clause */
/* Arrays that grow by doubling: the one place that does it. */
#ifndef PL_ARRAY_H
#define PL_ARRAY_H

#include <stddef.h>

/* room for one more element in *arrp (a T **, n used of *cap elements of
 * size elem), doubling from first; 0, or -1 with *arrp and *cap untouched */
int array_room(void *arrp, size_t *cap, size_t n, size_t elem, size_t first);

#endif
