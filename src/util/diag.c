// SPDX-License-Identifier: BSD-2-Clause
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "util/diag.h"

#define STALLED_MS 250 /* how long a message waits for standard error to take it */

/* the whole line in one write: a script waiting for it, or a command
 * writing beside it, never sees it in pieces. reason: NULL, or what
 * follows the message after ": " */
static void say(const char *prefix, const char *reason, const char *fmt, va_list ap)
{
	char line[1024];
	int n = snprintf(line, sizeof(line), "%s", prefix);

	n += vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	if (reason && n < (int)sizeof(line) - 2)
		n += snprintf(line + n, sizeof(line) - (size_t)n - 1, ": %s", reason);
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	/* one line, whatever a name in it holds: a newline or an escape
	 * sequence in a path would end it or work on the terminal */
	for (int i = 0; i < n; i++)
		if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f)
			line[i] = '?';
	line[n++] = '\n';
	fflush(stderr);
	/* a reader that stopped reading (a terminal paused with Ctrl-S) loses
	 * the line rather than hold the program */
	if (poll(&(struct pollfd){ .fd = STDERR_FILENO, .events = POLLOUT }, 1, STALLED_MS) == 0)
		return;
	if (write(STDERR_FILENO, line, (size_t)n) < 0)
		return;
}

int error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("error: ", NULL, fmt, ap);
	va_end(ap);
	return -1;
}

int error_errno(const char *fmt, ...)
{
	const char *reason = strerror(errno);
	va_list ap;

	va_start(ap, fmt);
	say("error: ", reason, fmt, ap);
	va_end(ap);
	return -1;
}

int usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("error: ", NULL, fmt, ap);
	va_end(ap);
	return EXIT_USAGE;
}

void error_handed_back(void *ctx, const char *what)
{
	(void)ctx;
	error("%s", what);
}

void warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("warning: ", NULL, fmt, ap);
	va_end(ap);
}

void note(const char *fmt, ...)
{
	char prefix[64];
	va_list ap;

	/* proclife or proclife-workload: who is speaking */
	snprintf(prefix, sizeof(prefix), "%s: ", program_invocation_short_name);
	va_start(ap, fmt);
	say(prefix, NULL, fmt, ap);
	va_end(ap);
}
