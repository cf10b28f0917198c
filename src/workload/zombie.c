// SPDX-License-Identifier: BSD-2-Clause
/* Zombies held open on purpose: by a parent that reaps late, and by one that
 * never reaps and leaves the zombie to init. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include "util/diag.h"
#include "workload/wl.h"

int sc_zombie(struct wl_run *run, const struct wl_opts *o)
{
	int n = o->n ? o->n : 1, seq = 0;

	/* one at a time, so each zombie lasts hold_ms from its own end */
	for (int i = 0; i < n; i++) {
		int end[2], code = (7 + i) & 0xff;
		struct wl_rec *r;
		pid_t pid;

		if (wl_pipe(end) < 0)
			return -1;
		pid = wl_fork("zombie", &r);
		if (pid < 0)
			return -1;
		if (pid == 0) {
			close(end[0]);
			_exit(code);
		}
		close(end[1]);
		wl_set_status(r, code << 8);
		r->hold_ms = o->hold_ms;
		/* EOF: the child has closed its files, it is dead or about to be */
		if (wl_wait_eof(end[0], r) < 0 || wl_wait_zombie(r) < 0) {
			close(end[0]);
			return -1;
		}
		close(end[0]);
		if (wl_sleep_ms(o->hold_ms) < 0 || wl_reap(r, &seq) < 0)
			return -1;
	}
	wl_fact_num(run, "neglecting_parent", getpid());
	wl_fact_num(run, "hold_ms", o->hold_ms);
	return 0;
}

/* after its parent is gone, follow the zombie until its adopter reaps it */
static int follow_zombie(struct wl_rec *z)
{
	uint64_t end = wl_now() + WL_TIMEOUT_MS * 1000000ULL;
	char state = 0;
	pid_t ppid = 0;

	while (wl_stat_start(z->pid, &ppid, &state) == z->start_ticks) {
		/* a task the kernel is releasing shows parent 0: not an adoption */
		if (ppid && ppid != z->parent && !z->orphan) {
			z->orphan = 1;
			z->old_parent = z->parent;
			z->new_parent = ppid;
			z->adopter = ppid == wl_ns_init ? WL_REAP_INIT : WL_REAP_SUBREAPER;
			/* 'X': its adopter is releasing it already, a zombie until then */
			z->as_zombie = state == 'Z' || state == 'X';
		}
		if (wl_now() >= end)
			return error("zombie %d was never reaped", (int)z->pid);
		if (wl_sleep_ms(1) < 0)
			return -1;
	}
	if (!z->orphan) {
		/* reaped before we looked: the kernel's rule says init */
		z->orphan = 1;
		z->old_parent = z->parent;
		z->new_parent = wl_ns_init;
		z->adopter = WL_REAP_INIT;
		z->as_zombie = 1;
	}
	z->reaper = z->adopter;
	z->reaper_pid = z->new_parent;
	return 0;
}

int sc_zombie_never_reaped(struct wl_run *run, const struct wl_opts *o)
{
	struct wl_rec *rp, *rz = NULL;
	int end[2], seq = 0;
	pid_t pid;

	if (wl_pipe(end) < 0)
		return -1;
	pid = wl_fork("neglecting-parent", &rp);
	if (pid < 0)
		return -1;
	if (pid == 0) {
		pid_t z = wl_fork("zombie", &rz);

		if (z < 0)
			_exit(1);
		if (z == 0) {
			close(end[0]);
			_exit(5);
		}
		close(end[1]);
		wl_set_status(rz, 5 << 8);
		rz->hold_ms = o->hold_ms;
		if (wl_wait_eof(end[0], rz) < 0 || wl_wait_zombie(rz) < 0)
			_exit(1);
		wl_sleep_ms(o->hold_ms);
		_exit(0); /* and never wait: the zombie is left behind */
	}
	close(end[1]);
	close(end[0]);
	wl_set_status(rp, 0);
	if (wl_reap(rp, &seq) < 0)
		return -1;
	if (rp->status != 0 && !wl_stop)
		return wl_fail(run, "the neglecting parent failed (status %d)", rp->status);
	for (int i = 0; i < *wl_nrecs; i++)
		if (!strcmp(wl_recs[i].role, "zombie"))
			rz = &wl_recs[i];
	if (!rz)
		return wl_fail(run, "the zombie was not recorded");
	if (follow_zombie(rz) < 0)
		return -1;
	wl_fact_num(run, "neglecting_parent", rp->pid);
	wl_fact_num(run, "hold_ms", o->hold_ms);
	return 0;
}
