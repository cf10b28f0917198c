// SPDX-License-Identifier: BSD-2-Clause
/* exec from a child, from a non-leader thread, and after vfork. Each execs
 * this program again with a hidden sub-command, so the filename and the new
 * comm (the file name's last part, cut to 15 bytes) are known. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "util/diag.h"
#include "workload/wl.h"

#define SELF_LINK WL_SELF_LINK

/* proclife-workload --exec-child CODE: what an exec'd child runs */
int wl_exec_child_main(int argc, char **argv)
{
	char *end;
	long code;

	if (argc != 2)
		return 125;
	code = strtol(argv[1], &end, 10);
	if (*end || code < 0 || code > 255)
		return 125;
	return (int)code; /* returned from main, on purpose */
}

char **wl_exec_argv(const char *code)
{
	static char *argv[4];

	argv[0] = "proclife-workload";
	argv[1] = "--exec-child";
	argv[2] = (char *)code;
	argv[3] = NULL;
	return argv;
}

void wl_note_exec(struct wl_rec *r, const char *file, pid_t tid)
{
	const char *base = strrchr(file, '/');

	r->exec = 1;
	snprintf(r->exec_file, sizeof(r->exec_file), "%s", file);
	snprintf(r->exec_comm, sizeof(r->exec_comm), "%s", base ? base + 1 : file);
	if (tid)
		r->exec_tid = tid; /* else the exec'ing thread writes it */
}

int sc_exec(struct wl_run *run, const struct wl_opts *o)
{
	const char *files[2] = { SELF_LINK, wl_self_exe };
	int seq = 0, n = strcmp(wl_self_exe, SELF_LINK) ? 2 : 1;

	(void)o;
	for (int i = 0; i < n; i++) {
		char code[8];
		struct wl_rec *r;
		pid_t pid;

		snprintf(code, sizeof(code), "%d", 9 + i);
		pid = wl_fork("exec", &r);
		if (pid < 0)
			return -1;
		if (pid == 0) {
			execv(files[i], wl_exec_argv(code));
			_exit(127);
		}
		wl_note_exec(r, files[i], pid);
		wl_set_status(r, (9 + i) << 8);
		if (wl_reap(r, &seq) < 0)
			return -1;
		if (r->status != (9 + i) << 8)
			return wl_fail(run, "cannot exec '%s'", files[i]);
	}
	return 0;
}

struct exec_thread {
	struct wl_rec *proc;
};

static void *exec_thread_main(void *p)
{
	struct exec_thread *a = p;
	struct wl_rec *t = wl_new("exec-thread");

	if (t) {
		t->thread = 1;
		t->pid = gettid();
		t->exec_gone = 1; /* it takes over the leader's pid */
	}
	a->proc->exec_tid = gettid();
	execv(SELF_LINK, wl_exec_argv("11"));
	_exit(127);
}

int sc_exec_from_thread(struct wl_run *run, const struct wl_opts *o)
{
	struct wl_rec *r;
	int seq = 0;
	pid_t pid;

	(void)o;
	pid = wl_fork("exec-from-thread", &r);
	if (pid < 0)
		return -1;
	if (pid == 0) {
		struct exec_thread a = { r };
		pthread_t t;

		if (pthread_create(&t, NULL, exec_thread_main, &a))
			_exit(1);
		pthread_join(t, NULL); /* the exec ends this thread */
		_exit(1);
	}
	wl_note_exec(r, SELF_LINK, 0);
	wl_set_status(r, 11 << 8);
	if (wl_reap(r, &seq) < 0)
		return -1;
	if (r->status != 11 << 8)
		return wl_fail(run, "the thread could not exec (status %d)", r->status);
	return 0;
}

/* vfork's child shares our memory and stack until it execs or exits: it
 * only calls execv, nanosleep and _exit, from this function's frame */
static __attribute__((noinline)) pid_t vfork_child(char **argv, int sleep_ms, int code)
{
	pid_t pid = vfork();

	if (pid == 0) {
		if (argv)
			execv(SELF_LINK, argv);
		struct timespec ts = { 0, sleep_ms * 1000000L };

		nanosleep(&ts, NULL);
		_exit(code);
	}
	return pid;
}

int sc_vfork(struct wl_run *run, const struct wl_opts *o)
{
	int seq = 0;

	(void)o;
	for (int i = 0; i < 2; i++) {
		struct wl_rec *r = wl_new(i ? "vfork-exit" : "vfork-exec");
		char **argv = i ? NULL : wl_exec_argv("12");
		int code = i ? 13 : 12;
		pid_t pid;

		if (!r)
			return wl_fail(run, "process table full");
		r->fork_lo = wl_now();
		pid = vfork_child(argv, 20, code);
		r->fork_hi = wl_now();
		if (pid < 0)
			return wl_fail(run, "vfork: %s", strerror(errno));
		r->pid = pid;
		r->start_ticks = wl_stat_start(pid, NULL, NULL);
		r->vfork = 1;
		r->suspended_ns = r->fork_hi - r->fork_lo;
		if (!i)
			wl_note_exec(r, SELF_LINK, pid);
		wl_set_status(r, code << 8);
		if (wl_reap(r, &seq) < 0)
			return -1;
		if (r->status != code << 8)
			return wl_fail(run, "%s ended with status %d", r->role, r->status);
	}
	return 0;
}
