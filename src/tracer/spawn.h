/* SPDX-License-Identifier: BSD-2-Clause */
/* Starting the command given after `--`. */
#ifndef PL_SPAWN_H
#define PL_SPAWN_H

#include <stdbool.h>
#include <sys/types.h>
#include "tracer/privileges.h"

struct spawned {
	pid_t pid;
	int pidfd; /* readable once the command has exited */
	int unrunnable; /* exec failed: 127 (not found) or 126 (not runnable), else 0 */
};

/* takes SIGCHLD back to its default for this process, which waits for its
 * command (ignored, the kernel would reap the command as it ends, and its
 * end would never be had), and keeps what it was for the command to have */
void spawn_own_sigchld(void);

/* forks and execs argv (searching PATH as execvp does) as r says, its
 * standard output on this process's standard error when stdout_to_stderr
 * (the tracer's standard output then carries a log that must hold nothing
 * else); fails (with the reason printed) if the child cannot become that
 * user or exec fails (then out->unrunnable says how) */
int spawn_command(char **argv, const struct run_as *r, bool stdout_to_stderr,
		  struct spawned *out);

#endif
