/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What a printer wrote, caught in memory: sink() opens a fresh stream
 * (what it held before is let go), and once the stream is closed `out`
 * holds the text. A test that used it ends with memout_teardown.
 */
#ifndef PL_TEST_MEMOUT_H
#define PL_TEST_MEMOUT_H

#include <stdio.h>
#include <stdlib.h>

static char *out;
static size_t outlen;

static FILE *sink(void)
{
	free(out);
	out = NULL;
	return open_memstream(&out, &outlen);
}

static int memout_teardown(void **state)
{
	(void)state;
	free(out);
	out = NULL;
	return 0;
}

#endif
