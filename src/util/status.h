/* SPDX-License-Identifier: BSD-2-Clause */
/* Wait statuses (as wait() reports them) decoded for people and for the log. */
#ifndef PL_STATUS_H
#define PL_STATUS_H

#include <stdbool.h>
#include <stddef.h>

struct pl_status {
	bool signaled; /* killed by a signal, else exited */
	int code;      /* exit code when !signaled */
	int signal;    /* signal number when signaled */
	bool core;     /* dumped core */
};

struct pl_status pl_status_decode(int status);
/* "exit 7", "killed by SIGKILL", "killed by SIGABRT (core dumped)" */
const char *pl_status_describe(int status, char *buf, size_t len);

#endif
