/* One-line diagnostics on stderr, in one voice for the whole program. */
#ifndef PL_LOG_H
#define PL_LOG_H

/* "error: ..." on stderr; returns -1 so callers can `return error(...)` */
int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "warning: ..." on stderr */
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "proclife: ..." on stderr: progress a user or a test can wait for */
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
