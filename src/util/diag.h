/* SPDX-License-Identifier: BSD-2-Clause */
/* One-line diagnostics on stderr, in one voice for the whole program (git's). */
#ifndef PL_DIAG_H
#define PL_DIAG_H

/* exit statuses besides 0: a runtime error, a bad command line */
#define EXIT_ERROR 1
#define EXIT_USAGE 2

/* "error: ..." on stderr; returns -1 so callers can `return error(...)` */
int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* the same, ending ": " and what errno says */
int error_errno(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "error: ..." about the command line; returns EXIT_USAGE, so a command
 * can `return usage_error(...)` */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* error("%s", what), for code that hands its messages back to a callback
 * rather than print them (the model) */
void error_handed_back(void *ctx, const char *what);
/* "warning: ..." on stderr */
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "proclife: ..." on stderr: progress a user or a test can wait for */
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
