/* Starting the command given after `--`. */
#ifndef PL_SPAWN_H
#define PL_SPAWN_H

#include <sys/types.h>

struct spawned {
	pid_t pid;
	int pidfd; /* readable once the command has exited */
};

/* forks and execs argv; fails (with the reason printed) if exec fails */
int spawn_command(char **argv, struct spawned *out);

#endif
