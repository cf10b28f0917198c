// SPDX-License-Identifier: BSD-2-Clause
#include <systemd/sd-daemon.h>
#include "service/notify.h"

void notify_ready(const char *status)
{
	sd_notifyf(0, "READY=1\nSTATUS=%s", status);
}

void notify_stopping(void)
{
	sd_notify(0, "STOPPING=1");
}
