/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Telling systemd (Type=notify) how the service is doing, through
 * libsystemd's sd_notify: nothing happens when not started by systemd.
 */
#ifndef PL_NOTIFY_H
#define PL_NOTIFY_H

/* attached: READY=1, and a status line for systemctl status */
void notify_ready(const char *status);
/* stopping: the ring is being drained and the log closed */
void notify_stopping(void);

#endif
