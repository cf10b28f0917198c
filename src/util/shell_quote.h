/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Command lines as a shell would need them typed: every argument one word
 * that reads back as exactly its bytes. A plain word stays as it is, one
 * with blanks or shell characters goes in single quotes, and one with a
 * quote, a line break, a control byte or bytes that are not UTF-8 is
 * written $'...' with escapes (as bash's printf %q does), so a line on a
 * terminal is never broken or coloured by a process's arguments.
 */
#ifndef PL_SHELL_QUOTE_H
#define PL_SHELL_QUOTE_H

#include <stdbool.h>
#include <stddef.h>

/* room shell_quote() may need for n bytes: each as \xHH, the quotes */
#define SHELL_QUOTED_MAX(n) (4 * (n) + 3)

/* s (n bytes, NULs included) as one word at out, which has room for
 * SHELL_QUOTED_MAX(n); returns the end (no NUL is written) */
char *shell_quote(char *out, const char *s, size_t n);

/* how a list of arguments was cut: not, after a whole argument (more
 * were given), or inside its last one */
enum { SHELL_CUT_NONE, SHELL_CUT_AFTER, SHELL_CUT_INSIDE };

/*
 * The arguments args (len bytes, each ending in a NUL, as struct
 * pl_event's args), from the skip-th on, as words separated by blanks,
 * into buf (cap bytes, NUL-terminated). An argument that does not fit
 * whole is left out with the rest, and " ..." ends the line, as it does
 * when more were given than args holds (cut SHELL_CUT_AFTER); "..." ends
 * the last argument when the cut went through it (SHELL_CUT_INSIDE).
 * Returns the length written.
 */
size_t shell_join(char *buf, size_t cap, const char *args, size_t len, unsigned skip, int cut);

/* the i-th argument of args (len bytes) and its length, or NULL */
const char *shell_arg(const char *args, size_t len, unsigned i, size_t *n);

#endif
