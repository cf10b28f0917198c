// SPDX-License-Identifier: BSD-2-Clause
/* Fork and reap as fast as possible (or at --rate), for -n forks or for
 * --seconds. No gate and no /proc reads: the fork bracket is the identity. */
#include <errno.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "util/diag.h"
#include "workload/wl.h"

int sc_storm(struct wl_run *run, const struct wl_opts *o)
{
	int n = o->seconds ? WL_MAX_RECS : o->n ? o->n : 2000, seq = 0, i;
	uint64_t t0 = wl_now(), until = t0 + (uint64_t)o->seconds * 1000000000ULL;

	for (i = 0; i < n && !wl_stop; i++) {
		struct wl_rec *r;
		pid_t pid;
		int st;

		if (o->seconds && wl_now() >= until)
			break;
		if (o->rate) {
			uint64_t due = t0 + (uint64_t)i * 1000000000ULL / (uint64_t)o->rate;
			uint64_t now = wl_now();

			if (due > now && wl_sleep_ms((int)((due - now) / 1000000)) < 0)
				break;
		}
		r = wl_new("storm");
		if (!r) {
			warning("storm: stopped at %d forks, the process table is full", i);
			break;
		}
		r->fork_lo = wl_now();
		pid = fork();
		if (pid == 0)
			_exit(i & 0xff);
		r->fork_hi = wl_now();
		if (pid < 0) {
			r->used = 0;
			return wl_fail(run, "fork: %s", strerror(errno));
		}
		r->pid = pid;
		wl_set_status(r, (i & 0xff) << 8);
		while (waitpid(pid, &st, 0) < 0)
			if (errno != EINTR)
				return wl_fail(run, "waitpid: %s", strerror(errno));
		wl_note_reaped(r, st, &seq);
	}
	wl_fact_num(run, "forks", i);
	wl_fact_num(run, "elapsed_ns", (long long)(wl_now() - t0));
	wl_fact_str(run, "exit_code_rule", "i % 256 for the i-th fork, from 0");
	return 0;
}
