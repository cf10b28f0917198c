// SPDX-License-Identifier: BSD-2-Clause
/* How many more processes this machine can hold now: a scenario that keeps
 * -n children alive at once must leave pids for everyone else. */
#include <stdio.h>
#include "workload/wl.h"

#define ROOM_SPARE 1024 /* pids left to the rest of the machine */

static long read_long(const char *path)
{
	FILE *f = fopen(path, "re");
	long v = -1;

	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

long wl_room_for_processes(long *limit)
{
	long pid_max = read_long("/proc/sys/kernel/pid_max");
	long threads_max = read_long("/proc/sys/kernel/threads-max");
	long running = -1, max;
	FILE *f = fopen("/proc/loadavg", "re");

	/* its fourth field: runnable/all the scheduler's tasks, each one a pid */
	if (f) {
		if (fscanf(f, "%*s %*s %*s %*d/%ld", &running) != 1)
			running = -1;
		fclose(f);
	}
	max = pid_max > 0 && threads_max > 0 && threads_max < pid_max ? threads_max : pid_max;
	*limit = max;
	if (max <= 0 || running < 0)
		return -1; /* not known: no limit said */
	return max - running - ROOM_SPARE > 0 ? max - running - ROOM_SPARE : 0;
}
