// SPDX-License-Identifier: BSD-2-Clause
#include <stdio.h>
#include "output/amounts.h"

/* two or three digits whatever the size (856 us, 4.2 ms, 23 ms, 1.23 s):
 * each bound is what rounds up to the next unit's first value */
const char *amount_cpu(unsigned long long ns, char *buf, size_t len)
{
	if (ns >= 9995000000ULL)
		snprintf(buf, len, "%.1f s", (double)ns / 1e9);
	else if (ns >= 999500000ULL)
		snprintf(buf, len, "%.2f s", (double)ns / 1e9);
	else if (ns >= 9950000ULL)
		snprintf(buf, len, "%.0f ms", (double)ns / 1e6);
	else if (ns >= 999500ULL)
		snprintf(buf, len, "%.1f ms", (double)ns / 1e6);
	else
		snprintf(buf, len, "%llu us", (ns + 500) / 1000);
	return buf;
}

const char *amount_kib(unsigned long long kib, char *buf, size_t len)
{
	if (kib < 1024)
		snprintf(buf, len, "%llu KiB", kib);
	else if (kib < 10 * 1024)
		snprintf(buf, len, "%.1f MiB", (double)kib / 1024);
	else if (kib < 1024 * 1024)
		snprintf(buf, len, "%.0f MiB", (double)kib / 1024);
	else
		snprintf(buf, len, "%.1f GiB", (double)kib / (1024 * 1024));
	return buf;
}

const char *amount_usage(unsigned long long cpu_ns, unsigned long long kib, char *buf, size_t len)
{
	char c[32], k[32];

	snprintf(buf, len, "%s CPU, %s", amount_cpu(cpu_ns, c, sizeof(c)),
		 amount_kib(kib, k, sizeof(k)));
	return buf;
}
