/* SPDX-License-Identifier: BSD-2-Clause */
/* Where a command's output goes: standard output or a file of the user's. */
#ifndef PL_OUTPUT_FILE_H
#define PL_OUTPUT_FILE_H

#include <stdbool.h>
#include <stdio.h>

/* path NULL: stdout. A file is created mode 0600, never through a symlink,
 * and fully buffered; an existing file is replaced only with force. NULL
 * after printing why. */
FILE *output_open(const char *path, bool force);
/* flushes and closes (stdout stays open); -1 after printing why, except
 * for a closed pipe, which is how `| head` says it has seen enough */
/* closes f and removes the file it wrote (a regular file, not standard
 * output, a device or a pipe): a half-written output would pass for a whole one */
void output_discard(FILE *f);
int output_close(FILE *f, const char *path);

#endif
