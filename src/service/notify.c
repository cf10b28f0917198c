// SPDX-License-Identifier: BSD-2-Clause
#include <stdlib.h>
#include <systemd/sd-daemon.h>
#include "service/notify.h"
#include "util/diag.h"
#include "util/lazy_lib.h"

/* libsystemd's, opened only under systemd (SYSTEMD_SONAME: util/lazy_lib.h) */
static struct {
	__typeof__(sd_notify) *notify;
	__typeof__(sd_notifyf) *notifyf;
} sd;

/* systemd names its socket in NOTIFY_SOCKET: without it sd_notify does
 * nothing, and the library is not opened for that */
static bool sd_there(void)
{
	static const struct lazy_fn fns[] = {
		{ "sd_notify", (void **)&sd.notify },
		{ "sd_notifyf", (void **)&sd.notifyf },
	};
	static int loaded; /* 0: not tried; 1, -1: how it went */
	char why[256];

	_Static_assert(sizeof(SYSTEMD_SONAME) > 1, "the build found no library to name");
	if (loaded)
		return loaded > 0;
	loaded = -1;
	if (!getenv("NOTIFY_SOCKET"))
		return false;
	if (lazy_lib_open(SYSTEMD_SONAME, fns, sizeof(fns) / sizeof(fns[0]), why, sizeof(why)))
		loaded = 1;
	else
		warning("systemd cannot be told how the service is: %s", why);
	return loaded > 0;
}

void notify_ready(const char *status)
{
	if (sd_there())
		sd.notifyf(0, "READY=1\nSTATUS=%s", status);
}

void notify_stopping(void)
{
	if (sd_there())
		sd.notify(0, "STOPPING=1");
}
