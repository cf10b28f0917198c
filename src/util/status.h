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
	bool no_wait;  /* no status wait() reports (a kernel thread's return):
			* neither an exit code nor a signal, all else zero */
};

/* a status as the kernel makes one for an end, that wait() reports: an
 * exit's code, or a killing signal (a kernel thread ends with whatever its
 * function returned, which may be neither) */
bool pl_status_is_wait(int status);
struct pl_status pl_status_decode(int status);
/* "exit 7", "killed by SIGKILL", "killed by SIGABRT (core dumped)"; "ended
 * with -4 (no wait status)" for one that is not */
const char *pl_status_describe(int status, char *buf, size_t len);

/* how a process ended, as the counts split it: a core dump apart from the
 * other deaths by a signal, a status no wait() reports apart from all */
enum pl_end_how { PL_END_CODE, PL_END_SIGNAL, PL_END_CORE, PL_END_NO_WAIT, PL_END_HOWS };
enum pl_end_how pl_status_end_how(int status);

/* the exit codes of processes folded together: lowest and highest */
struct pl_code_range {
	int lo, hi;
};
#define PL_CODE_RANGE_EMPTY ((struct pl_code_range){ .lo = 255, .hi = 0 })
void pl_code_range_add(struct pl_code_range *r, int status);
/* "exit 3" or "exit 1 to 7" */
const char *pl_code_range_describe(struct pl_code_range r, char *buf, size_t len);

#endif
