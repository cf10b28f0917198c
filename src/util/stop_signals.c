// SPDX-License-Identifier: BSD-2-Clause
#include "util/stop_signals.h"

static const int stop_signals[] = { SIGINT, SIGQUIT, SIGTERM, SIGHUP };

/* ignored when proclife started (nohup, a script's job in the background):
 * left ignored, as any program does */
static bool ignored(int sig)
{
	struct sigaction sa;

	return !sigaction(sig, NULL, &sa) && sa.sa_handler == SIG_IGN;
}

void stop_signals_add(sigset_t *set)
{
	for (unsigned i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++)
		if (!ignored(stop_signals[i]))
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
