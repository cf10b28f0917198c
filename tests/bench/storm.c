// SPDX-License-Identifier: BSD-2-Clause
/*
 * The benchmark's workloads, kept tight so the tracer's cost is not lost in
 * the generator's own bookkeeping:
 *   plbench-storm fork  N RESULT        fork, _exit, waitpid, N times
 *   plbench-storm exec  N RESULT PROG   fork, execve PROG, waitpid, N times
 *   plbench-storm vfork N RESULT EVERY  vfork, _exit, waitpid; every EVERY
 *                                       lives says "at K" and waits for a line
 *   plbench-storm live  N               N sleeping children, "live N", waits
 *                                       for a line, then kills and reaps them
 *   plbench-storm syscalls N RESULT     N getppid() calls, no process made:
 *                                       what every other syscall pays
 * RESULT gets JSON: lives, CPU ns of the storm and its reaped children
 * (getrusage), wall ns, and the children's pids (to check what a tracer saw).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_PIDS 200000 /* pids are kept only for storms up to this size */

static long long now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static long long tv_ns(struct timeval tv)
{
	return tv.tv_sec * 1000000000LL + tv.tv_usec * 1000LL;
}

/* the storm's and its reaped children's CPU time: what the tracer slows */
static long long cpu_ns(void)
{
	struct rusage self, kids;

	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &kids);
	return tv_ns(self.ru_utime) + tv_ns(self.ru_stime) + tv_ns(kids.ru_utime) +
	       tv_ns(kids.ru_stime);
}

static void die(const char *what)
{
	fprintf(stderr, "error: plbench-storm: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void reap(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			die("waitpid");
}

/* blocks until the driver has looked (one line on stdin) */
static void handshake(const char *fmt, long n)
{
	char line[16];

	printf(fmt, n);
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		exit(0);
}

static int live(long n)
{
	pid_t *pids = calloc((size_t)n, sizeof(*pids));

	if (!pids)
		die("calloc");
	for (long i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			die("fork");
		if (pids[i] == 0) {
			pause();
			_exit(0);
		}
	}
	handshake("live %ld\n", n);
	for (long i = 0; i < n; i++)
		kill(pids[i], SIGKILL);
	for (long i = 0; i < n; i++)
		reap(pids[i]);
	free(pids);
	return 0;
}

/* one life; the child never leaves this function (vfork's rule) */
static pid_t spawn(char mode, char **prog)
{
	static char *env[] = { NULL };
	pid_t pid = mode == 'v' ? vfork() : fork();

	if (pid == 0) {
		if (mode == 'e')
			execve(prog[0], prog, env);
		_exit(0);
	}
	if (pid < 0)
		die("fork");
	return pid;
}

static int syscalls(long n, const char *result)
{
	long long c0 = cpu_ns();
	FILE *f;

	for (long i = 0; i < n; i++)
		syscall(SYS_getppid); /* not cached by libc: a real system call */
	f = fopen(result, "w");
	if (!f)
		die(result);
	fprintf(f, "{\"calls\":%ld,\"cpu_ns\":%lld}\n", n, cpu_ns() - c0);
	return fclose(f) ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 2 ? argv[1] : "";
	long n = argc > 2 ? atol(argv[2]) : 0, every = 0;
	char *prog[] = { argc > 4 ? argv[4] : NULL, NULL };
	pid_t *pids;
	long long t0, c0;
	FILE *f;

	if (!strcmp(mode, "live"))
		return live(n);
	if (argc < 4 || n <= 0 || (!strcmp(mode, "exec") && argc < 5)) {
		fprintf(stderr, "usage: plbench-storm fork|exec|vfork|syscalls N RESULT [PROG|EVERY], or live N\n");
		return 2;
	}
	if (!strcmp(mode, "syscalls"))
		return syscalls(n, argv[3]);
	if (!strcmp(mode, "vfork"))
		every = argc > 4 ? atol(argv[4]) : 0;
	pids = n <= MAX_PIDS ? calloc((size_t)n, sizeof(*pids)) : NULL;
	t0 = now_ns();
	c0 = cpu_ns();
	for (long i = 0; i < n; i++) {
		pid_t pid = spawn(mode[0], prog);

		if (pids)
			pids[i] = pid;
		reap(pid);
		if (every && (i + 1) % every == 0)
			handshake("at %ld\n", i + 1);
	}
	f = fopen(argv[3], "w");
	if (!f)
		die(argv[3]);
	fprintf(f, "{\"lives\":%ld,\"cpu_ns\":%lld,\"wall_ns\":%lld,\"pid\":%d,\"pids\":[", n,
		cpu_ns() - c0, now_ns() - t0, (int)getpid());
	for (long i = 0; pids && i < n; i++)
		fprintf(f, "%s%d", i ? "," : "", (int)pids[i]);
	fprintf(f, "]}\n");
	return fclose(f) ? 1 : 0;
}
