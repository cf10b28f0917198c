// SPDX-License-Identifier: BSD-2-Clause
/* What every scenario shares about its run: the facts it records, how it
 * fails or is skipped, and the program exec scenarios exec (this one). */
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>
#include "util/diag.h"
#include "workload/wl.h"

char wl_self_exe[WL_PATH_LEN];

void wl_find_self(void)
{
	ssize_t n = readlink("/proc/self/exe", wl_self_exe, sizeof(wl_self_exe) - 1);

	if (n > 0) {
		wl_self_exe[n] = 0;
		if (access(wl_self_exe, X_OK) == 0)
			return;
	}
	/* a rebuilt or deleted binary: /proc/self/exe still works, comm becomes "exe" */
	snprintf(wl_self_exe, sizeof(wl_self_exe), "/proc/self/exe");
}

void wl_fact_num(struct wl_run *run, const char *k, long long v)
{
	struct wl_fact *f;

	if (run->nfacts >= WL_MAX_FACTS)
		return;
	f = &run->facts[run->nfacts++];
	snprintf(f->key, sizeof(f->key), "%s", k);
	f->num = v;
}

void wl_fact_str(struct wl_run *run, const char *k, const char *v)
{
	struct wl_fact *f;

	if (run->nfacts >= WL_MAX_FACTS)
		return;
	f = &run->facts[run->nfacts++];
	snprintf(f->key, sizeof(f->key), "%s", k);
	snprintf(f->str, sizeof(f->str), "%s", v);
	f->is_str = 1;
}

int wl_fail(struct wl_run *run, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(run->reason, sizeof(run->reason), fmt, ap);
	va_end(ap);
	if (wl_stop)
		return -1; /* a failure caused by the interruption itself */
	return error("%s: %s", run->scenario, run->reason);
}

int wl_skip(struct wl_run *run, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(run->reason, sizeof(run->reason), fmt, ap);
	va_end(ap);
	run->result = "skipped";
	note("%s: skipped: %s", run->scenario, run->reason);
	return 0;
}
