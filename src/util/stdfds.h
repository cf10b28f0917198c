/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Standard input, output and error as a program starts: one that is
 * closed (`2>&-`) gets /dev/null in its place, so no file the program opens
 * takes its number and receives what was meant for it; that it was closed
 * is remembered, so writing events there is refused with the right reason.
 */
#ifndef PL_STDFDS_H
#define PL_STDFDS_H

#include <stdbool.h>

/* at the start of main */
void stdfds_guard(void);
/* fd (0, 1 or 2) was closed when the program started */
bool stdfd_was_closed(int fd);
/* what stdio's stdout holds written, at the end of a command that printed
 * there (help, the version, verify's report): ret, or after one `error:`
 * line (a full disk, standard output closed) EXIT_ERROR if ret was 0. A
 * reader that left (a closed pipe, `| head`) has seen enough: no error */
int stdout_done(int ret);

#endif
