// SPDX-License-Identifier: BSD-2-Clause
/*
 * Who a process is and what it uses: a child that becomes another user,
 * one moved into a cgroup of its own, one that burns a known CPU time in
 * a known amount of memory. Each execs (or ends) after the change, so a
 * tracer's records carry what the manifest says.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "util/diag.h"
#include "workload/wl.h"

#define OTHER_ID 65534  /* nobody, nogroup */
#define BURN_MS 100
#define TOUCH_KB (16 * 1024)

char wl_cgroup[WL_PATH_LEN];
char wl_moved_cgroup[WL_PATH_LEN];

/* the kernel's own cgroup namespace has this inode (PROC_CGROUP_INIT_INO,
 * include/linux/proc_ns.h) */
#define INIT_CGROUP_NS_INO 0xEFFFFFFBU

/* in the first cgroup namespace (or a kernel without them),
 * /proc/self/cgroup speaks the hierarchy's own paths, as a tracer names them */
static bool init_cgroup_ns(void)
{
	struct stat st;

	if (stat("/proc/self/ns/cgroup", &st))
		return errno == ENOENT;
	return st.st_ino == INIT_CGROUP_NS_INO;
}

void wl_find_cgroup(void)
{
	FILE *f = fopen("/proc/self/cgroup", "re");
	char line[4096 + 8];
	size_t n;

	wl_cgroup[0] = 0;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		n = strlen(line + 3);
		/* a path too long to keep stays unknown, not cut */
		if (!strncmp(line, "0::/", 4) && n < sizeof(wl_cgroup) && init_cgroup_ns())
			memcpy(wl_cgroup, line + 3, n + 1);
	}
	fclose(f);
}

int sc_as_user(struct wl_run *run, const struct wl_opts *o)
{
	struct wl_rec *r;
	int seq = 0;
	pid_t pid;

	(void)o;
	pid = wl_fork("other-user", &r);
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (setgroups(0, NULL) || setgid(OTHER_ID) || setuid(OTHER_ID))
			_exit(126);
		execv(WL_SELF_LINK, wl_exec_argv("0"));
		_exit(127);
	}
	r->uid = OTHER_ID;
	r->gid = OTHER_ID;
	wl_note_exec(r, WL_SELF_LINK, pid);
	wl_set_status(r, 0);
	if (wl_reap(r, &seq) < 0)
		return -1;
	if (r->status)
		return wl_fail(run, "the child could not become uid %d and exec (status %d)", OTHER_ID,
			       r->status);
	wl_fact_num(run, "uid", OTHER_ID);
	return 0;
}

/* where the unified hierarchy's root is mounted, into dir; -1: nowhere */
static int cgroup2_root(char *dir, size_t len)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[1024], root[512], at[512];
	int found = -1;

	while (f && found && fgets(line, sizeof(line), f))
		if (strstr(line, " - cgroup2 ") &&
		    sscanf(line, "%*s %*s %*s %511s %511s", root, at) == 2 && !strcmp(root, "/")) {
			snprintf(dir, len, "%s", at);
			found = 0;
		}
	if (f)
		fclose(f);
	return found;
}

/* the child moves itself when the gate opens, then execs */
static void move_and_exec(int gate, const char *procs)
{
	char c;
	int fd;

	if (read(gate, &c, 1) != 1 || (fd = open(procs, O_WRONLY | O_CLOEXEC)) < 0)
		_exit(126);
	if (write(fd, "0", 1) != 1)
		_exit(126);
	close(fd);
	execv(WL_SELF_LINK, wl_exec_argv("0"));
	_exit(127);
}

int sc_cgroup(struct wl_run *run, const struct wl_opts *o)
{
	char mount[512], dir[WL_PATH_LEN + 512], procs[WL_PATH_LEN + 600];
	struct wl_rec *r;
	int gate[2], seq = 0, ret = 0;
	pid_t pid;

	(void)o;
	if (!wl_cgroup[0])
		return wl_skip(run, "its own cgroup is not the hierarchy's path (no cgroup2, or a "
				    "cgroup namespace)");
	if (cgroup2_root(mount, sizeof(mount)))
		return wl_skip(run, "the cgroup2 hierarchy's root is not mounted");
	snprintf(wl_moved_cgroup, sizeof(wl_moved_cgroup), "/proclife-workload-%d", (int)getpid());
	snprintf(dir, sizeof(dir), "%s%s", mount, wl_moved_cgroup);
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir);
	if (mkdir(dir, 0755) && errno != EEXIST)
		return wl_fail(run, "cannot make the cgroup '%s': %s", dir, strerror(errno));
	if (wl_pipe(gate) < 0) {
		rmdir(dir);
		return -1;
	}
	pid = wl_fork("moved", &r);
	if (pid == 0) {
		close(gate[1]);
		move_and_exec(gate[0], procs);
	}
	close(gate[0]);
	if (pid > 0) {
		r->moved_cgroup = 1;
		wl_note_exec(r, WL_SELF_LINK, pid);
		wl_set_status(r, 0);
		if (write(gate[1], "g", 1) != 1 || wl_reap(r, &seq) < 0)
			ret = -1;
		else if (r->status)
			ret = wl_fail(run, "the child could not move into '%s' (status %d)", dir,
				      r->status);
	} else {
		ret = -1;
	}
	close(gate[1]);
	/* empty once its one process is reaped */
	if (rmdir(dir) && ret == 0)
		ret = wl_fail(run, "cannot remove the cgroup '%s': %s", dir, strerror(errno));
	wl_fact_str(run, "cgroup", wl_moved_cgroup);
	return ret;
}

static uint64_t ns_of(struct timeval tv)
{
	return (uint64_t)tv.tv_sec * 1000000000ULL + (uint64_t)tv.tv_usec * 1000ULL;
}

/*
 * Spins BURN_MS of its own CPU time in user space over TOUCH_KB it touched,
 * then a quarter as long again with no system call, to its end: the
 * scheduler adds that last stretch to its sum only as it stops for good, so
 * a CPU time read at its exit would miss it where wait4's has it.
 */
static void burn(struct wl_rec *self)
{
	volatile unsigned long spin = 0;
	char *mem = malloc(TOUCH_KB * 1024);
	struct timespec t0, t;
	struct rusage ru;
	long rounds = 0;

	if (!mem)
		_exit(1);
	for (long i = 0; i < TOUCH_KB * 1024L; i += 4096)
		mem[i] = 1;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
	do {
		for (int i = 0; i < 100000; i++)
			spin++;
		rounds++;
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	} while ((t.tv_sec - t0.tv_sec) * 1000L + (t.tv_nsec - t0.tv_nsec) / 1000000L < BURN_MS);
	getrusage(RUSAGE_SELF, &ru);
	self->self_cpu_ns = ns_of(ru.ru_utime) + ns_of(ru.ru_stime);
	for (long r = 0; r < rounds / 4; r++)
		for (int i = 0; i < 100000; i++)
			spin++;
	_exit(0);
}

static void *burn_in_thread(void *self)
{
	burn(self); /* its _exit ends the process: this thread is its last */
	return NULL;
}

/* the burner again, in a thread its main thread leaves running: the
 * process ends with a thread other than its leader */
static void burn_after_main(struct wl_rec *self)
{
	pthread_t t;

	if (pthread_create(&t, NULL, burn_in_thread, self))
		_exit(1);
	pthread_exit(NULL);
}

/* a burner of role, in its main thread or in another, and what wait4 said
 * it used */
static int usage_of(struct wl_run *run, const char *role, void (*how)(struct wl_rec *), int *seq)
{
	struct wl_rec *r;
	struct rusage ru;
	pid_t pid;
	int st;

	pid = wl_fork(role, &r);
	if (pid < 0)
		return -1;
	if (pid == 0)
		how(r);
	r->usage = 1;
	r->burned_ms = BURN_MS;
	r->touched_kb = TOUCH_KB;
	wl_set_status(r, 0);
	/* what the kernel says it used: wait4's own account, after its end */
	while (wait4(pid, &st, 0, &ru) < 0)
		if (errno != EINTR || wl_stop)
			return wl_fail(run, "cannot wait for %d: %s", (int)pid, strerror(errno));
	wl_note_reaped(r, st, seq);
	r->reaped_cpu_ns = ns_of(ru.ru_utime) + ns_of(ru.ru_stime);
	r->reaped_maxrss_kb = ru.ru_maxrss;
	if (st)
		return wl_fail(run, "the %s failed (status %d)", role, st);
	return 0;
}

int sc_usage(struct wl_run *run, const struct wl_opts *o)
{
	int seq = 0;

	(void)o;
	if (usage_of(run, "burner", burn, &seq))
		return -1;
	return usage_of(run, "thread-burner", burn_after_main, &seq);
}
