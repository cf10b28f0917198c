/* SPDX-License-Identifier: BSD-2-Clause */
/* Starting the command given after `--`. */
#ifndef PL_SPAWN_H
#define PL_SPAWN_H

#include <sys/types.h>
#include "tracer/privileges.h"

struct spawned {
	pid_t pid;
	int pidfd; /* readable once the command has exited */
};

/* forks and execs argv as r says; fails (with the reason printed) if the
 * child cannot become that user or exec fails */
int spawn_command(char **argv, const struct run_as *r, struct spawned *out);

#endif
