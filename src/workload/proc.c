// SPDX-License-Identifier: BSD-2-Clause
/* Records, gated forks, reaps and the ways a scenario waits for an end. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "util/clock.h"
#include "util/diag.h"
#include "util/proc_stat.h"
#include "workload/wl.h"

volatile sig_atomic_t wl_stop;
struct wl_rec *wl_recs;
int *wl_nrecs;
pid_t wl_ns_init = 1;
pid_t wl_main_pid;
long wl_tick_ns = 10000000;

/* per process: our global pid, and whether we live in a child pid namespace */
static pid_t my_gpid;
static int in_ns;

int wl_table_init(void)
{
	size_t len = sizeof(int) * 16 + sizeof(struct wl_rec) * WL_MAX_RECS;
	void *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	long hz = sysconf(_SC_CLK_TCK);

	if (m == MAP_FAILED)
		return error_errno("cannot map the process table");
	wl_nrecs = m;
	wl_recs = (struct wl_rec *)((int *)m + 16);
	if (hz > 0)
		wl_tick_ns = 1000000000L / hz;
	my_gpid = wl_main_pid = getpid();
	return 0;
}

void wl_table_reset(void)
{
	int n = *wl_nrecs;

	memset(wl_recs, 0, sizeof(*wl_recs) * (size_t)(n < WL_MAX_RECS ? n : WL_MAX_RECS));
	__atomic_store_n(wl_nrecs, 0, __ATOMIC_SEQ_CST);
}

struct wl_rec *wl_new(const char *role)
{
	int i = __atomic_fetch_add(wl_nrecs, 1, __ATOMIC_SEQ_CST);
	struct wl_rec *r;

	if (i >= WL_MAX_RECS) {
		__atomic_fetch_sub(wl_nrecs, 1, __ATOMIC_SEQ_CST);
		errno = ENOSPC;
		return NULL;
	}
	r = &wl_recs[i];
	memset(r, 0, sizeof(*r));
	snprintf(r->role, sizeof(r->role), "%s", role);
	r->start_ticks = -1;
	r->parent = my_gpid;
	r->uid = getuid();
	r->gid = getgid();
	prctl(PR_GET_NAME, r->comm);
	r->used = 1;
	return r;
}

struct wl_rec *wl_find(pid_t pid)
{
	int n = __atomic_load_n(wl_nrecs, __ATOMIC_SEQ_CST);

	/* newest first: a reused pid means the latest life */
	for (int i = (n < WL_MAX_RECS ? n : WL_MAX_RECS) - 1; i >= 0; i--)
		if (wl_recs[i].used && !wl_recs[i].thread && wl_recs[i].pid == pid)
			return &wl_recs[i];
	return NULL;
}

uint64_t wl_now(void)
{
	return boot_ns(); /* the tracer's clock: fork_ns brackets its start times */
}

int wl_sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0)
		if (errno != EINTR || wl_stop)
			return -1;
	return wl_stop ? -1 : 0;
}

void wl_spin_us(int us)
{
	uint64_t end = wl_now() + (uint64_t)us * 1000;

	while (wl_now() < end)
		;
}

/* start time (field 22), parent (4) and state (3) from /proc/PID/stat */
long long wl_stat_start(pid_t pid, pid_t *ppid, char *state)
{
	char buf[1024];
	const char *p = proc_stat_fields((unsigned)pid, buf, sizeof(buf));
	long long start = -1;
	int field;

	if (!p)
		return -1;
	for (field = 3; *p && field <= 22; field++) {
		if (field == 3 && state)
			*state = *p;
		if (field == 4 && ppid)
			*ppid = (pid_t)atoi(p);
		if (field == 22)
			start = atoll(p);
		p = strchr(p, ' ');
		if (!p)
			break;
		p++;
	}
	return start;
}

/* in a child pid namespace, getpid() is not the global pid: ask /proc, which
 * still shows the parent namespace's view */
static void read_self_ids(struct wl_rec *r)
{
	char buf[512];
	FILE *f;

	r->pid = (pid_t)atoi(realpath("/proc/self", buf) ? strrchr(buf, '/') + 1 : "0");
	r->start_ticks = wl_stat_start(r->pid, NULL, NULL);
	f = fopen("/proc/self/status", "re");
	if (!f)
		return;
	while (fgets(buf, sizeof(buf), f)) {
		char *last;

		if (strncmp(buf, "NSpid:", 6))
			continue;
		last = strrchr(buf, '\t');
		if (last)
			r->ns_pid = (pid_t)atoi(last + 1);
	}
	fclose(f);
}

void wl_child_init(void)
{
	struct sigaction sa = { .sa_handler = SIG_DFL };
	sigset_t none;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	wl_stop = 0;
}

/* fork; the child waits at a gate until the parent has written it down, so
 * its start time is read before it can end (and vanish, when auto-reaped) */
static pid_t gated_fork(const char *role, struct wl_rec **recp, int ns)
{
	struct wl_rec *r;
	sigset_t all, old;
	int gate[2];
	pid_t pid;
	char c = 0;

	if (wl_stop) { /* a stop was asked: no new process; the run's end says so */
		if (recp)
			*recp = NULL;
		return -1;
	}
	r = wl_new(role);
	if (recp)
		*recp = r;
	if (!r)
		return error("too many processes for the process table"), -1;
	if (wl_pipe(gate) < 0)
		return -1;
	/* a signal sent to the child before it has reset our handlers would only
	 * set its copy of wl_stop: keep signals blocked until it has */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	r->fork_lo = wl_now();
	pid = fork();
	if (pid != 0)
		sigprocmask(SIG_SETMASK, &old, NULL);
	if (pid < 0) {
		int e = errno;

		close(gate[0]);
		close(gate[1]);
		r->used = 0;
		errno = e;
		return error_errno("cannot fork");
	}
	if (pid == 0) {
		wl_child_init();
		close(gate[1]);
		if (ns) {
			read_self_ids(r);
			my_gpid = r->pid;
		} else {
			my_gpid = getpid();
		}
		while (read(gate[0], &c, 1) < 0 && errno == EINTR)
			;
		close(gate[0]);
		return 0;
	}
	r->fork_hi = wl_now();
	close(gate[0]);
	if (ns) {
		r->ns_pid = pid;
	} else {
		r->pid = pid;
		r->start_ticks = wl_stat_start(pid, NULL, NULL);
	}
	/* EPIPE: the child is already dead (killed), nothing to let through */
	if (write(gate[1], &c, 1) < 0 && errno != EPIPE)
		warning("cannot open the gate of %d: %s", (int)pid, strerror(errno));
	close(gate[1]);
	return pid;
}

/* in a child pid namespace the child writes down its own global pid */
pid_t wl_fork(const char *role, struct wl_rec **recp)
{
	return gated_fork(role, recp, in_ns);
}

void wl_enter_ns(struct wl_rec *self)
{
	in_ns = 1;
	read_self_ids(self);
	my_gpid = self->pid;
	wl_ns_init = self->pid;
}

void wl_set_status(struct wl_rec *r, int status)
{
	if (r->status_set == 2)
		return;
	r->status = status;
	r->status_set = 1;
}

/* wait for this one child; seq counts the reaper's reaps */
int wl_reap(struct wl_rec *r, int *seq)
{
	/* inside a pid namespace wait() speaks its pids */
	pid_t want = in_ns ? r->ns_pid : r->pid, got;
	int st;

	while ((got = waitpid(want, &st, 0)) < 0) {
		if (errno != EINTR)
			return error_errno("cannot wait for %d (%s)", (int)r->pid, r->role);
		if (wl_stop)
			return -1;
	}
	wl_note_reaped(r, st, seq);
	return 0;
}

void wl_note_reaped(struct wl_rec *r, int st, int *seq)
{
	r->reaped_ns = wl_now();
	r->status = st;
	r->status_set = 2;
	r->reaper = WL_REAP_PID;
	r->reaper_pid = my_gpid;
	if (seq)
		r->reap_seq = ++*seq;
}

void wl_ready(int fd)
{
	if (write(fd, "r", 1) != 1)
		_exit(125);
}

int wl_wait_ready(int fd, int n)
{
	char c;

	while (n > 0) {
		ssize_t got = read(fd, &c, 1);

		if (got == 1)
			n--;
		else if (got == 0 || errno != EINTR || wl_stop)
			return error("a child ended before it was ready");
	}
	return 0;
}

int wl_pipe(int fd[2])
{
	if (pipe2(fd, O_CLOEXEC) < 0)
		return error_errno("cannot make a pipe");
	return 0;
}

/* read fd until every writer has closed it: the writers have ended */
int wl_wait_eof(int fd, struct wl_rec *r)
{
	uint64_t end = wl_now() + WL_TIMEOUT_MS * 1000000ULL;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char buf[64];

	for (;;) {
		uint64_t now = wl_now();
		ssize_t n;

		if (wl_stop)
			return -1;
		if (now >= end)
			return error("no end seen from %s %d", r ? r->role : "process",
				     r ? (int)r->pid : 0);
		if (poll(&p, 1, (int)((end - now) / 1000000) + 1) < 0 && errno != EINTR)
			return error_errno("cannot poll");
		n = read(fd, buf, sizeof(buf));
		if (n == 0)
			break;
		if (n < 0 && errno != EINTR && errno != EAGAIN)
			return error_errno("cannot read a pipe");
	}
	if (r)
		r->exit_seen_ns = wl_now();
	return 0;
}

int wl_wait_zombie(struct wl_rec *r)
{
	uint64_t end = wl_now() + WL_TIMEOUT_MS * 1000000ULL;
	siginfo_t si;
	char state = 0;

	if (r->start_ticks < 0)
		return 0; /* not known which life it is: the hold's start stays unknown */
	/* the files close a moment before exit_notify makes it a zombie */
	while (wl_stat_start(r->pid, NULL, &state) == r->start_ticks && state != 'Z') {
		if (wl_now() >= end)
			return error("%s %d never became a zombie", r->role, (int)r->pid);
		if (wl_stop || wl_sleep_ms(1) < 0)
			return -1;
	}
	if (state != 'Z')
		return error("%s %d was gone before it was seen a zombie", r->role, (int)r->pid);
	/* /proc shows 'Z' from inside exit_notify, a moment before the parent is
	 * told (the zombie moment) under tasklist_lock; a wait's look is taken
	 * under that lock, so once it sees the zombie that moment has passed */
	while (waitid(P_PID, (id_t)(in_ns ? r->ns_pid : r->pid), &si,
		      WEXITED | WNOHANG | WNOWAIT) < 0) {
		if (errno != EINTR)
			return error_errno("cannot look at zombie %d (%s)", (int)r->pid, r->role);
		if (wl_stop)
			return -1;
	}
	r->zombie_seen_ns = wl_now();
	return 0;
}

/* wait until a process we did not make ends and is reaped by someone else */
int wl_wait_gone(struct wl_rec *r)
{
	uint64_t end = wl_now() + WL_TIMEOUT_MS * 1000000ULL;

	while (wl_stat_start(r->pid, NULL, NULL) == r->start_ticks) {
		if (wl_now() >= end)
			return error("%s %d was never reaped", r->role, (int)r->pid);
		if (wl_sleep_ms(1) < 0)
			return -1;
	}
	return 0;
}

/* in an orphan: wait until the parent we were born to (global pid) is gone,
 * then note who adopted us. /proc/self/stat gives the global view, also
 * inside a child pid namespace. */
int wl_wait_reparent(pid_t old_parent, struct wl_rec *self)
{
	uint64_t end = wl_now() + WL_TIMEOUT_MS * 1000000ULL;
	pid_t ppid = old_parent;

	while (ppid == old_parent) {
		if (wl_now() >= end)
			return error("%s %d was never orphaned", self->role, (int)self->pid);
		if (wl_sleep_ms(1) < 0)
			return -1;
		if (wl_stat_start(self->pid, &ppid, NULL) < 0)
			return error("cannot read /proc/%d/stat", (int)self->pid);
	}
	self->orphan = 1;
	self->old_parent = old_parent;
	self->new_parent = ppid;
	self->adopter = ppid == wl_ns_init ? WL_REAP_INIT : WL_REAP_SUBREAPER;
	self->reaper = self->adopter;
	self->reaper_pid = ppid;
	return 0;
}

bool wl_is_root(void)
{
	return geteuid() == 0;
}

/* children of any pid in set[0..n) by a scan of /proc, appended to set */
static int add_children(pid_t *set, int n, int max)
{
	char path[64];
	int found = n;

	for (int i = 0; i < n && found < max; i++) {
		FILE *f;
		int c;

		/* /proc/PID/task/TID/children lists children per thread */
		snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)set[i], (int)set[i]);
		f = fopen(path, "re");
		if (!f)
			continue;
		while (found < max && fscanf(f, "%d", &c) == 1) {
			int dup = 0;

			for (int j = 0; j < found; j++)
				dup |= set[j] == c;
			if (!dup)
				set[found++] = c;
		}
		fclose(f);
	}
	return found;
}

/* processes of our process group, younger than us, already adopted by init:
 * ours that died (say, by the terminal's SIGINT) before we wrote them down */
static int add_adopted(pid_t *set, int n, int max)
{
	long long born = wl_stat_start(getpid(), NULL, NULL);
	pid_t group = getpgrp();
	DIR *d = opendir("/proc");
	struct dirent *e;

	while (d && n < max && (e = readdir(d))) {
		pid_t pid = (pid_t)atoi(e->d_name), ppid = 0;
		long long start;

		if (pid <= 0 || pid == getpid())
			continue;
		start = wl_stat_start(pid, &ppid, NULL);
		if (start < born || ppid != wl_ns_init || getpgid(pid) != group)
			continue;
		set[n++] = pid;
	}
	if (d)
		closedir(d);
	return n;
}

/*
 * Interrupted: stop every process we made (the table, plus any child they
 * forked before writing it down), kill them, reap ours, and wait a little for
 * the rest to be reaped by their adopters. SIGSTOP first so nothing forks
 * while we look.
 */
void wl_kill_all(void)
{
	enum { MAX = WL_MAX_RECS + 4096 };
	static pid_t set[MAX], kids[MAX];
	int n = 0, total = __atomic_load_n(wl_nrecs, __ATOMIC_SEQ_CST);
	uint64_t end;

	set[n++] = getpid();
	for (int i = 0; i < total && i < WL_MAX_RECS; i++) {
		struct wl_rec *r = &wl_recs[i];

		/* only what is provably still the same life; our own children
		 * without a start time are found below */
		if (!r->used || r->thread || r->pid <= 0 || r->pid == getpid() || r->start_ticks < 0)
			continue;
		if (wl_stat_start(r->pid, NULL, NULL) == r->start_ticks)
			set[n++] = r->pid;
	}
	for (int round = 0; round < 8; round++) {
		int before = n;

		for (int i = 1; i < n; i++)
			kill(set[i], SIGSTOP);
		n = add_children(set, n, MAX);
		if (n == before)
			break;
	}
	for (int i = 1; i < n; i++) {
		kill(set[i], SIGKILL);
		kill(set[i], SIGCONT);
	}
	/* reap ours; anything that still escaped is killed as it is found */
	end = wl_now() + 5000000000ULL;
	while (wl_now() < end) {
		pid_t got = waitpid(-1, NULL, WNOHANG);

		if (got < 0 && errno == ECHILD)
			break;
		if (got > 0)
			continue;
		kids[0] = getpid();
		for (int i = 1, m = add_children(kids, 1, MAX); i < m; i++)
			kill(kids[i], SIGKILL);
		usleep(1000);
	}
	n = add_adopted(set, n, MAX);
	end = wl_now() + 2000000000ULL;
	for (int i = 1; i < n; i++) {
		kill(set[i], SIGKILL);
		while (kill(set[i], 0) == 0 && wl_now() < end)
			usleep(1000);
	}
}
