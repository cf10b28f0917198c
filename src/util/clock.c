// SPDX-License-Identifier: BSD-2-Clause
#include <time.h>
#include "util/clock.h"

unsigned long long boot_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec;
}

unsigned long long cpu_ns(int clock)
{
	struct timespec ts;

	if (clock_gettime((clockid_t)clock, &ts))
		return 0;
	return (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec;
}
