// SPDX-License-Identifier: BSD-2-Clause
#include "util/stop_signals.h"

static const int stop_signals[] = { SIGINT, SIGQUIT, SIGTERM, SIGHUP };

void stop_signals_add(sigset_t *set)
{
	for (unsigned i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++)
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
