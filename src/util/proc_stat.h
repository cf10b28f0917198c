/* SPDX-License-Identifier: BSD-2-Clause */
/* /proc/PID/stat, read past the process's name. */
#ifndef PL_PROC_STAT_H
#define PL_PROC_STAT_H

#include <stddef.h>

/* pid's /proc/PID/stat read into buf (len bytes), and its fields from the
 * third (the state) on, as a string in buf; NULL when it cannot be read
 * (the process is gone). The name before them may hold blanks and
 * parentheses: the fields begin after its last ')' */
const char *proc_stat_fields(unsigned pid, char *buf, size_t len);

#endif
