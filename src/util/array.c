// SPDX-License-Identifier: BSD-2-Clause
#include <stdlib.h>
#include <string.h>
#include "util/array.h"

int array_room(void *arrp, size_t *cap, size_t n, size_t elem, size_t first)
{
	size_t want;
	void *arr, *grown;

	if (n < *cap)
		return 0;
	want = *cap ? 2 * *cap : first;
	memcpy(&arr, arrp, sizeof(arr)); /* any T **, without aliasing it as void ** */
	grown = realloc(arr, want * elem);
	if (!grown)
		return -1;
	memcpy(arrp, &grown, sizeof(grown));
	*cap = want;
	return 0;
}
