// SPDX-License-Identifier: BSD-2-Clause
#include <stddef.h>
#include "util/stop_signals.h"

static const int stop_signals[] = { SIGINT, SIGQUIT, SIGTERM, SIGHUP };

/* a hangup ignored when proclife started (nohup) is left ignored: the
 * trace outlives the session it was started from. Ctrl-C and kill are
 * always taken, even from a script's job in the background (which starts
 * with SIGINT and SIGQUIT ignored), which a script stops that way */
static bool left_ignored(int sig)
{
	struct sigaction sa;

	return sig == SIGHUP && !sigaction(sig, NULL, &sa) && sa.sa_handler == SIG_IGN;
}

void stop_signals_add(sigset_t *set)
{
	for (unsigned i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++)
		if (!left_ignored(stop_signals[i]))
			sigaddset(set, stop_signals[i]);
}

bool stop_signal_pending(void)
{
	sigset_t pending;

	if (sigpending(&pending))
		return false;
	for (unsigned i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++)
		if (sigismember(&pending, stop_signals[i]) == 1)
			return true;
	return false;
}
