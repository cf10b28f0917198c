/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef PL_UTIL_STOP_SIGNALS_H
#define PL_UTIL_STOP_SIGNALS_H

#include <signal.h>
#include <stdbool.h>

/* the signals that ask the tracer to stop (Ctrl-C, Ctrl-\, kill, a
 * terminal's hangup) into set: a hangup only when it was not ignored at
 * start (nohup) */
void stop_signals_add(sigset_t *set);
/* one of them waits, blocked, for the tracer to read it */
bool stop_signal_pending(void);

#endif
