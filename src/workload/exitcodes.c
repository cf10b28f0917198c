// SPDX-License-Identifier: BSD-2-Clause
/* How processes end: every kind of exit status, and daemonic children
 * terminated by their parent; who sent each fatal signal. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include "util/diag.h"
#include "workload/wl.h"

enum how { BY_EXIT, BY__EXIT, BY_RETURN, BY_WRAP, BY_SIGTERM, BY_SIGKILL, BY_ABORT, BY_FAULT };

static const struct {
	const char *role;
	enum how how;
	int status;   /* what wait() should report */
} endings[] = {
	{ "exit", BY_EXIT, 3 << 8 },
	{ "_exit", BY__EXIT, 4 << 8 },
	{ "return-from-main", BY_RETURN, 5 << 8 },
	{ "exit-wraps", BY_WRAP, 7 << 8 },   /* _exit(263): only the low byte counts */
	{ "sigterm", BY_SIGTERM, SIGTERM },
	{ "sigkill", BY_SIGKILL, SIGKILL },
	{ "abort", BY_ABORT, SIGABRT },      /* | 0x80 when a core is written */
	{ "fault", BY_FAULT, SIGSEGV },      /* no core: RLIMIT_CORE 0 */
};

/*
 * A core dump is only written (and the 0x80 flag set) when RLIMIT_CORE
 * allows it. With a plain core_pattern ("core") the dump goes to the cwd:
 * give the child a scratch directory we remove afterwards. Any other
 * pattern might write where we cannot clean up: no core then.
 */
static int core_wanted(char *dir, size_t len)
{
	char pat[256] = "";
	int fd = open("/proc/sys/kernel/core_pattern", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, pat, sizeof(pat) - 1) : -1;

	if (fd >= 0)
		close(fd);
	if (n <= 0 || pat[0] == '|' || strchr(pat, '/'))
		return 0;
	snprintf(dir, len, "/tmp/proclife-core.XXXXXX");
	return mkdtemp(dir) != NULL;
}

static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[512];

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

static void child_end(enum how how, const char *core_dir, int ready)
{
	struct rlimit rl;

	switch (how) {
	case BY_EXIT:
		exit(3);
	case BY__EXIT:
		_exit(4);
	case BY_RETURN:
		execv(wl_self_exe, wl_exec_argv("5"));
		_exit(127);
	case BY_WRAP:
		_exit(263);
	case BY_SIGTERM:
	case BY_SIGKILL:
		wl_ready(ready);
		for (;;)
			pause();
	case BY_ABORT:
		getrlimit(RLIMIT_CORE, &rl);
		rl.rlim_cur = 0;
		if (core_dir[0] && chdir(core_dir) == 0)
			rl.rlim_cur = rl.rlim_max < (64 << 20) ? rl.rlim_max : (64 << 20);
		setrlimit(RLIMIT_CORE, &rl);
		abort();
	case BY_FAULT:
		rl.rlim_cur = rl.rlim_max = 0;
		setrlimit(RLIMIT_CORE, &rl);
		*(volatile int *)NULL = 1;
		break;
	}
	_exit(127);
}

int sc_exit_codes(struct wl_run *run, const struct wl_opts *o)
{
	enum { N = sizeof(endings) / sizeof(endings[0]) };
	struct wl_rec *r[N];
	char core_dir[64] = "";
	int seq = 0, ret = 0, ready[2];

	(void)o;
	if (wl_pipe(ready) < 0)
		return -1;
	core_wanted(core_dir, sizeof(core_dir));
	for (int i = 0; i < N; i++) {
		pid_t pid = wl_fork(endings[i].role, &r[i]);

		if (pid < 0) {
			ret = -1;
			break;
		}
		if (pid == 0)
			child_end(endings[i].how, core_dir, ready[1]);
		wl_set_status(r[i], endings[i].status);
		if (endings[i].how == BY_RETURN) {
			r[i]->exec = 1;
			snprintf(r[i]->exec_file, sizeof(r[i]->exec_file), "%s", wl_self_exe);
			snprintf(r[i]->exec_comm, sizeof(r[i]->exec_comm), "%s", strrchr(wl_self_exe, '/') + 1);
			r[i]->exec_tid = pid;
		}
		if (endings[i].how == BY_SIGTERM || endings[i].how == BY_SIGKILL) {
			r[i]->killed_by = getpid();
			r[i]->kill_reason = WL_KILL_PROCESS;
			if (wl_wait_ready(ready[0], 1) < 0)
				ret = -1;
			kill(pid, endings[i].status);
		} else if (endings[i].how == BY_ABORT) { /* abort() sends it to itself */
			r[i]->killed_by = pid;
			r[i]->kill_reason = WL_KILL_PROCESS;
		} else if (endings[i].how == BY_FAULT) {
			r[i]->kill_reason = WL_KILL_FAULT;
		}
	}
	close(ready[0]);
	close(ready[1]);
	for (int i = 0; i < N && !ret; i++)
		if (wl_reap(r[i], &seq) < 0)
			ret = -1;
	if (core_dir[0])
		remove_dir(core_dir);
	wl_fact_num(run, "core_enabled", core_dir[0] != 0);
	return ret;
}

int sc_daemon_children(struct wl_run *run, const struct wl_opts *o)
{
	int n = o->n ? o->n : 3, seq = 0, ready[2];
	struct wl_rec *rp;
	pid_t pid;

	if (n > 256)
		n = 256;
	if (wl_pipe(ready) < 0)
		return -1;
	pid = wl_fork("parent", &rp);
	if (pid < 0) {
		close(ready[0]);
		close(ready[1]);
		return -1;
	}
	if (pid == 0) {
		struct wl_rec *d[n];

		for (int i = 0; i < n; i++) {
			pid_t c = wl_fork("daemon", &d[i]);

			if (c < 0)
				_exit(1);
			if (c == 0) {
				wl_ready(ready[1]);
				for (;;)
					pause();
			}
		}
		wl_sleep_ms(20); /* the parent's own work */
		if (wl_wait_ready(ready[0], n) < 0)
			_exit(1);
		/* at exit: terminate() each daemonic child, then join() it */
		for (int i = 0; i < n; i++) {
			d[i]->killed_by = getpid();
			d[i]->kill_reason = WL_KILL_PROCESS;
			wl_set_status(d[i], SIGTERM);
			kill(d[i]->pid, SIGTERM);
		}
		for (int i = 0; i < n; i++)
			if (wl_reap(d[i], &seq) < 0)
				_exit(1);
		_exit(0);
	}
	close(ready[0]);
	close(ready[1]);
	wl_set_status(rp, 0);
	if (wl_reap(rp, &seq) < 0)
		return -1;
	if (rp->status)
		return wl_fail(run, "the parent failed (status %d)", rp->status);
	return 0;
}
