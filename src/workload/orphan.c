// SPDX-License-Identifier: BSD-2-Clause
/* Orphans: adopted by init, by a subreaper, and the double-fork daemon trick. */
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>
#include "util/diag.h"
#include "workload/wl.h"

/* an orphan's body: note the adoption, run a little, exit with code */
static void orphan_body(struct wl_rec *self, int end_r, int code)
{
	close(end_r);
	if (wl_wait_reparent(self->parent, self) < 0)
		_exit(99);
	wl_sleep_ms(20);
	_exit(code);
}

/* the generator's side of an orphan: its end through the pipe, then gone */
static int await_orphan(struct wl_run *run, int end_r, const char *role)
{
	struct wl_rec *r = NULL;
	int ret;

	for (int i = 0; i < *wl_nrecs; i++)
		if (!strcmp(wl_recs[i].role, role))
			r = &wl_recs[i];
	if (!r) {
		close(end_r);
		return wl_fail(run, "the %s was not recorded", role);
	}
	ret = wl_wait_eof(end_r, r);
	close(end_r);
	if (ret < 0 || wl_wait_gone(r) < 0)
		return -1;
	if (!r->orphan)
		return wl_fail(run, "the %s did not see its adoption", role);
	return 0;
}

int sc_orphan(struct wl_run *run, const struct wl_opts *o)
{
	struct wl_rec *rp, *rc;
	int end[2], seq = 0;
	pid_t pid;

	(void)o;
	if (wl_pipe(end) < 0)
		return -1;
	pid = wl_fork("parent", &rp);
	if (pid < 0)
		return -1;
	if (pid == 0) {
		pid_t c = wl_fork("orphan", &rc);

		if (c == 0)
			orphan_body(rc, end[0], 4);
		if (c > 0)
			wl_set_status(rc, 4 << 8);
		_exit(c < 0); /* while the child still runs */
	}
	close(end[1]);
	wl_set_status(rp, 0);
	if (wl_reap(rp, &seq) < 0) {
		close(end[0]);
		return -1;
	}
	return await_orphan(run, end[0], "orphan");
}

int sc_double_fork(struct wl_run *run, const struct wl_opts *o)
{
	struct wl_rec *rc, *rg;
	int end[2], seq = 0;
	pid_t pid;

	(void)o;
	if (wl_pipe(end) < 0)
		return -1;
	pid = wl_fork("child", &rc);
	if (pid < 0)
		return -1;
	if (pid == 0) {
		pid_t g = wl_fork("grandchild", &rg);

		if (g == 0)
			orphan_body(rg, end[0], 8);
		if (g > 0)
			wl_set_status(rg, 8 << 8);
		_exit(g < 0);
	}
	close(end[1]);
	wl_set_status(rc, 0);
	/* reaped at once: the child is never a zombie for long */
	if (wl_reap(rc, &seq) < 0) {
		close(end[0]);
		return -1;
	}
	return await_orphan(run, end[0], "grandchild");
}

/* the subreaper's own life: adopt the grandchild and reap both */
static void subreaper_body(void)
{
	struct wl_rec *rm, *rg = NULL;
	int seq = 0;
	pid_t m;

	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		_exit(1);
	m = wl_fork("middle", &rm);
	if (m < 0)
		_exit(1);
	if (m == 0) {
		pid_t g = wl_fork("grandchild", &rg);

		if (g == 0) {
			if (wl_wait_reparent(rg->parent, rg) < 0)
				_exit(99);
			_exit(6);
		}
		if (g > 0)
			wl_set_status(rg, 6 << 8);
		_exit(g < 0);
	}
	wl_set_status(rm, 0);
	if (wl_reap(rm, &seq) < 0)
		_exit(1);
	for (int i = 0; i < *wl_nrecs; i++)
		if (!strcmp(wl_recs[i].role, "grandchild"))
			rg = &wl_recs[i];
	/* the middle is gone, so the grandchild is ours now */
	if (!rg || wl_reap(rg, &seq) < 0)
		_exit(1);
	rg->reaper = WL_REAP_SUBREAPER;
	_exit(0);
}

int sc_subreaper(struct wl_run *run, const struct wl_opts *o)
{
	struct wl_rec *rs, *rg = NULL;
	int seq = 0;
	pid_t pid;

	(void)o;
	pid = wl_fork("subreaper", &rs);
	if (pid < 0)
		return -1;
	if (pid == 0)
		subreaper_body();
	wl_set_status(rs, 0);
	if (wl_reap(rs, &seq) < 0)
		return -1;
	if (rs->status != 0)
		return wl_fail(run, "the subreaper failed (status %d)", rs->status);
	for (int i = 0; i < *wl_nrecs; i++)
		if (!strcmp(wl_recs[i].role, "grandchild"))
			rg = &wl_recs[i];
	if (!rg || !rg->orphan || rg->new_parent != rs->pid)
		return wl_fail(run, "the grandchild was not adopted by the subreaper");
	wl_fact_num(run, "subreaper", rs->pid);
	return 0;
}
