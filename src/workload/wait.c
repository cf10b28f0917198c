// SPDX-License-Identifier: BSD-2-Clause
/* The ways a parent collects its children: wait, waitpid, WNOHANG polls,
 * a SIGCHLD handler, and not at all (auto-reap). */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "util/diag.h"
#include "workload/wl.h"

/* fork n children that exit with code base + i (wrapped as exit() does)
 * once let through the gate */
static int fork_exiting(struct wl_rec **recs, int n, int base, int delay_ms, const char *role)
{
	for (int i = 0; i < n; i++) {
		int code = (base + i) & 0xff;
		pid_t pid = wl_fork(role, &recs[i]);

		if (pid < 0)
			return -1;
		if (pid == 0) {
			if (delay_ms)
				wl_sleep_ms(delay_ms * (i + 1));
			_exit(code);
		}
		wl_set_status(recs[i], code << 8);
	}
	return 0;
}

int sc_fork_wait(struct wl_run *run, const struct wl_opts *o)
{
	int n = o->n ? o->n : 5, seq = 0, ret = -1;
	struct wl_rec **recs = calloc((size_t)n, sizeof(*recs));

	if (!recs)
		return wl_fail(run, "out of memory");
	if (fork_exiting(recs, n, 10, 0, "child") < 0)
		goto out;
	for (int done = 0; done < n;) {
		struct wl_rec *r;
		int st;
		pid_t got = wait(&st);

		if (got < 0) {
			if (errno == EINTR && !wl_stop)
				continue;
			if (!wl_stop)
				wl_fail(run, "wait: %s", strerror(errno));
			goto out;
		}
		r = wl_find(got);
		if (!r)
			continue;
		wl_note_reaped(r, st, &seq);
		done++;
	}
	wl_fact_str(run, "wait_call", "wait");
	ret = 0;
out:
	free(recs);
	return ret;
}

int sc_waitpid(struct wl_run *run, const struct wl_opts *o)
{
	int n = o->n ? o->n : 4, seq = 0, ret = -1;
	struct wl_rec **recs = calloc((size_t)n, sizeof(*recs));

	if (!recs)
		return wl_fail(run, "out of memory");
	if (fork_exiting(recs, n, 20, 0, "child") < 0)
		goto out;
	/* youngest first: the order is the parent's, not the kernel's */
	for (int i = n - 1; i >= 0; i--)
		if (wl_reap(recs[i], &seq) < 0)
			goto out;
	wl_fact_str(run, "reap_order", "reverse birth order");
	ret = 0;
out:
	free(recs);
	return ret;
}

int sc_waitpid_nohang(struct wl_run *run, const struct wl_opts *o)
{
	enum { POLL_US = 2000 };
	int n = o->n ? o->n : 2, seq = 0, polls = 0, empty = 0, ret = -1;
	struct wl_rec **recs = calloc((size_t)n, sizeof(*recs));
	uint64_t end = wl_now() + WL_TIMEOUT_MS * 1000000ULL;

	if (!recs)
		return wl_fail(run, "out of memory");
	/* child i exits after 50 * (i + 1) ms: several empty polls first */
	if (fork_exiting(recs, n, 3, 50, "child") < 0)
		goto out;
	for (int done = 0; done < n;) {
		struct wl_rec *r;
		int st;
		pid_t got = waitpid(-1, &st, WNOHANG);

		polls++;
		if (got == 0) {
			empty++;
			if (wl_stop || wl_now() > end) {
				if (!wl_stop)
					wl_fail(run, "children did not exit");
				goto out;
			}
			wl_spin_us(POLL_US); /* the "busy" parent */
			continue;
		}
		if (got < 0) {
			if (errno == EINTR && !wl_stop)
				continue;
			if (!wl_stop)
				wl_fail(run, "waitpid: %s", strerror(errno));
			goto out;
		}
		r = wl_find(got);
		if (!r)
			continue;
		wl_note_reaped(r, st, &seq);
		r->nohang = 1;
		done++;
	}
	wl_fact_num(run, "polls", polls);
	wl_fact_num(run, "empty_polls", empty);
	wl_fact_num(run, "poll_interval_us", POLL_US);
	ret = 0;
out:
	free(recs);
	return ret;
}

static volatile sig_atomic_t handler_reaped, handler_seq;

static void on_sigchld(int sig)
{
	int saved = errno, st;
	pid_t pid;

	(void)sig;
	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		struct wl_rec *r = wl_find(pid);

		handler_reaped = handler_reaped + 1;
		if (!r)
			continue;
		r->reaped_ns = wl_now();
		r->status = st;
		r->status_set = 2;
		r->reaper = WL_REAP_PID;
		r->reaper_pid = getpid();
		r->in_handler = 1;
		handler_seq = handler_seq + 1;
		r->reap_seq = handler_seq;
	}
	errno = saved;
}

int sc_sigchld_handler(struct wl_run *run, const struct wl_opts *o)
{
	struct sigaction sa = { .sa_handler = on_sigchld, .sa_flags = SA_NOCLDSTOP | SA_RESTART };
	struct sigaction old;
	int n = o->n ? o->n : 3, ret = -1;
	struct wl_rec **recs = calloc((size_t)n, sizeof(*recs));
	uint64_t end = wl_now() + WL_TIMEOUT_MS * 1000000ULL;

	if (!recs)
		return wl_fail(run, "out of memory");
	handler_reaped = handler_seq = 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, &old);
	/* 20 ms apart: one SIGCHLD each, none merged */
	if (fork_exiting(recs, n, 40, 20, "child") < 0)
		goto out;
	while (handler_reaped < n) {
		if (wl_stop)
			goto out;
		if (wl_now() > end) {
			wl_fail(run, "the handler reaped %d of %d", (int)handler_reaped, n);
			goto out;
		}
		wl_sleep_ms(2);
	}
	wl_fact_str(run, "reaped_in", "SIGCHLD handler");
	ret = 0;
out:
	sigaction(SIGCHLD, &old, NULL);
	free(recs);
	return ret;
}

/* one auto-reap variant: SIGCHLD's disposition set by sa, no wait at all */
static int auto_variant(struct wl_run *run, struct sigaction *sa, int mode, int n, int base)
{
	struct sigaction old;
	struct wl_rec *r[n];
	int ends[n], ret = -1, made = 0;

	sigaction(SIGCHLD, sa, &old);
	for (; made < n; made++) {
		int end[2], code = (base + made) & 0xff; /* what exit() keeps */
		pid_t pid;

		if (wl_pipe(end) < 0)
			goto out;
		pid = wl_fork(mode == 1 ? "sig-ign-child" : "nocldwait-child", &r[made]);
		if (pid < 0) {
			close(end[0]);
			close(end[1]);
			goto out;
		}
		if (pid == 0) {
			close(end[0]);
			_exit(code); /* end[1] closes at exit: the generator sees EOF */
		}
		close(end[1]);
		ends[made] = end[0];
		wl_set_status(r[made], code << 8);
		r[made]->reaper = WL_REAP_AUTO;
		r[made]->reaper_pid = getpid();
		r[made]->auto_mode = mode;
	}
	ret = 0;
out:
	for (int i = 0; i < made; i++) {
		if (wl_wait_eof(ends[i], r[i]) < 0 || wl_wait_gone(r[i]) < 0)
			ret = -1;
		close(ends[i]);
	}
	sigaction(SIGCHLD, &old, NULL);
	if (ret < 0 && !wl_stop && !run->reason[0])
		wl_fail(run, "an auto-reaped child did not vanish");
	return ret;
}

int sc_auto_reap(struct wl_run *run, const struct wl_opts *o)
{
	struct sigaction ign = { .sa_handler = SIG_IGN };
	struct sigaction nocld = { .sa_handler = SIG_DFL, .sa_flags = SA_NOCLDWAIT };
	int n = o->n ? o->n : 3;

	if (n > 256)
		n = 256;
	sigemptyset(&ign.sa_mask);
	sigemptyset(&nocld.sa_mask);
	if (auto_variant(run, &ign, 1, n, 30) < 0)
		return -1;
	if (auto_variant(run, &nocld, 2, n, 60) < 0)
		return -1;
	wl_fact_str(run, "variants", "sig_ign then nocldwait");
	return 0;
}
