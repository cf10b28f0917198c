// SPDX-License-Identifier: BSD-2-Clause
/* Children running at different nice levels (-20 highest .. 19 lowest). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include "util/diag.h"
#include "workload/wl.h"

int sc_nice(struct wl_run *run, const struct wl_opts *o)
{
	static const int levels[] = { 9, 19, -9 };
	int seq = 0;

	(void)o;
	errno = 0;
	wl_fact_num(run, "parent_nice", getpriority(PRIO_PROCESS, 0));
	for (unsigned i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		char role[16];
		struct wl_rec *r;
		pid_t pid;

		if (levels[i] < 0 && !wl_is_root()) {
			note("nice: level %d skipped: needs root", levels[i]);
			wl_fact_str(run, "skipped", "nice -9: needs root");
			continue;
		}
		snprintf(role, sizeof(role), "nice%+d", levels[i]);
		pid = wl_fork(role, &r);
		if (pid < 0)
			return -1;
		if (pid == 0) {
			/* the level is set before any work, so the exit shows it */
			if (setpriority(PRIO_PROCESS, 0, levels[i]) < 0)
				_exit(1);
			wl_spin_us(20000);
			_exit(0);
		}
		r->nice_set = 1;
		r->nice = levels[i];
		wl_set_status(r, 0);
		if (wl_reap(r, &seq) < 0)
			return -1;
		if (r->status)
			return wl_fail(run, "cannot set nice %d", levels[i]);
	}
	return 0;
}
