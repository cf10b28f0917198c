/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Names as the kernel gives them (comm, exec'd file) are any bytes a process
 * chose: on a terminal, control bytes must not be escape sequences or line
 * breaks of someone else's making, and bytes that are no UTF-8 must not
 * garble what follows them.
 */
#ifndef PL_PRINTABLE_H
#define PL_PRINTABLE_H

#include <stddef.h>

/* s (at most n bytes, to its NUL) into buf with control bytes and bytes that
 * are no valid UTF-8 as '?' */
const char *pl_printable(const char *s, size_t n, char *buf, size_t len);

/* printable s (valid UTF-8) padded with blanks to width terminal columns,
 * counting each character's width, not its bytes ("héllo" is 5), into buf */
const char *pl_pad_columns(const char *s, size_t width, char *buf, size_t len);

/* for a char array member: a copy safe to print, valid in the expression */
#define SHOW(arr) pl_printable((arr), sizeof(arr), (char[sizeof(arr) + 1]){ 0 }, sizeof(arr) + 1)

/* for a string an event points to (NULL: none): the same, up to PL_PATH_MAX */
#define SHOW_STR(str) \
	pl_printable((str) ? (str) : "", 4096, (char[4096 + 1]){ 0 }, 4096 + 1)

#endif
