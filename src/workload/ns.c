// SPDX-License-Identifier: BSD-2-Clause
/* Scenarios that need root: one pid handed out twice, and a pid namespace
 * whose init adopts an orphan. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "util/diag.h"
#include "workload/wl.h"

static int set_last_pid(int fd, pid_t last)
{
	char buf[16];
	int n = snprintf(buf, sizeof(buf), "%d", (int)last);

	return pwrite(fd, buf, (size_t)n, 0) == n ? 0 : -1;
}

int sc_pid_reuse(struct wl_run *run, const struct wl_opts *o)
{
	int fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY | O_CLOEXEC);
	struct wl_rec *first, *second = NULL;
	int seq = 0, tries = 0;
	pid_t pid;

	(void)o;
	if (fd < 0)
		return wl_skip(run, "cannot open /proc/sys/kernel/ns_last_pid: %s", strerror(errno));
	pid = wl_fork("first-life", &first);
	if (pid < 0)
		goto fail;
	if (pid == 0)
		_exit(21);
	wl_set_status(first, 21 << 8);
	if (wl_reap(first, &seq) < 0)
		goto fail;
	/* the first life is reaped: its pid is free for the next fork. Another
	 * process may take it first: try again */
	for (tries = 1; tries <= 20; tries++) {
		if (set_last_pid(fd, first->pid - 1) < 0) {
			wl_fail(run, "cannot write ns_last_pid: %s", strerror(errno));
			goto fail;
		}
		pid = wl_fork(tries == 1 ? "second-life" : "second-life-retry", &second);
		if (pid < 0)
			goto fail;
		if (pid == 0)
			_exit(22);
		wl_set_status(second, 22 << 8);
		if (pid == first->pid) {
			second->reused_from = first->pid;
			snprintf(second->role, sizeof(second->role), "second-life");
		}
		if (wl_reap(second, &seq) < 0)
			goto fail;
		if (pid == first->pid)
			break;
		snprintf(second->role, sizeof(second->role), "missed-reuse");
	}
	close(fd);
	if (tries > 20)
		return wl_fail(run, "pid %d was never handed out again", (int)first->pid);
	wl_fact_num(run, "reused_pid", first->pid);
	wl_fact_num(run, "tries", tries);
	return 0;
fail:
	close(fd);
	return -1;
}

/* the init of the new namespace: a child it reaps, and an orphan it adopts */
static int ns_init_main(void *arg)
{
	struct wl_rec *self = arg, *k, *m, *orphan = NULL;
	int seq = 0;
	pid_t pid;

	wl_child_init();
	wl_enter_ns(self);
	pid = wl_fork("ns-child", &k);
	if (pid < 0)
		_exit(1);
	if (pid == 0)
		_exit(31);
	wl_set_status(k, 31 << 8);
	if (wl_reap(k, &seq) < 0)
		_exit(1);

	pid = wl_fork("ns-middle", &m);
	if (pid < 0)
		_exit(1);
	if (pid == 0) {
		pid_t g = wl_fork("ns-orphan", &orphan);

		if (g == 0) {
			if (wl_wait_reparent(orphan->parent, orphan) < 0)
				_exit(99);
			_exit(32);
		}
		if (g > 0)
			wl_set_status(orphan, 32 << 8);
		_exit(g < 0);
	}
	wl_set_status(m, 0);
	if (wl_reap(m, &seq) < 0)
		_exit(1);
	for (int i = 0; i < *wl_nrecs; i++)
		if (!strcmp(wl_recs[i].role, "ns-orphan"))
			orphan = &wl_recs[i];
	/* as init, reap the orphan we adopted */
	if (!orphan || wl_reap(orphan, &seq) < 0)
		_exit(1);
	orphan->reaper = WL_REAP_INIT;
	_exit(0);
}

int sc_pidns(struct wl_run *run, const struct wl_opts *o)
{
	enum { STACK = 256 << 10 };
	struct wl_rec *init = wl_new("ns-init");
	sigset_t all, old;
	char *stack;
	int seq = 0;
	pid_t pid;

	(void)o;
	if (!init)
		return wl_fail(run, "process table full");
	stack = mmap(NULL, STACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED)
		return wl_fail(run, "cannot map a stack: %s", strerror(errno));
	/* blocked until the child has reset our handlers (see wl_child_init) */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	init->fork_lo = wl_now();
	pid = clone(ns_init_main, stack + STACK, CLONE_NEWPID | SIGCHLD, init);
	init->fork_hi = wl_now();
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (pid < 0) {
		int e = errno;

		munmap(stack, STACK);
		init->used = 0;
		if (e == EPERM)
			return wl_skip(run, "cannot make a pid namespace: %s", strerror(e));
		return wl_fail(run, "clone(CLONE_NEWPID): %s", strerror(e));
	}
	init->pid = pid;
	init->ns_pid = 1;
	init->start_ticks = wl_stat_start(pid, NULL, NULL);
	wl_set_status(init, 0);
	if (wl_reap(init, &seq) < 0) {
		munmap(stack, STACK);
		return -1;
	}
	munmap(stack, STACK);
	if (init->status)
		return wl_fail(run, "the namespace's init failed (status %d)", init->status);
	wl_fact_num(run, "ns_init", pid);
	return 0;
}
