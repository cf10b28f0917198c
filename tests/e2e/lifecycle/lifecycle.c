// SPDX-License-Identifier: BSD-2-Clause
/*
 * Small, exact process patterns for the end-to-end tests. Each prints the
 * pids it created as "role=pid" lines on stdout, so a test can find them in
 * the trace.
 *
 *   lifecycle exit CODE         exit with CODE
 *   lifecycle sigkill           kill itself with SIGKILL
 *   lifecycle fork-exit CODE    fork a child that exits with CODE, reap it
 *   lifecycle zombie MS         child exits at once, parent reaps it MS ms later
 *                               (says forking_ns and reaped_ns: CLOCK_BOOTTIME)
 *   lifecycle orphan            middle process exits, leaving its child to init
 *   lifecycle subreaper         the same under a PR_SET_CHILD_SUBREAPER parent
 *   lifecycle orphans N         as a subreaper: a middle process forks N
 *                               children and leaves; each is adopted, ends,
 *                               and is reaped
 *   lifecycle autoreap          children exit while SIGCHLD is SIG_IGN
 *   lifecycle autoreap-parent-ends N
 *                               as a subreaper, N times: a middle process
 *                               that ignores SIGCHLD forks a child
 *                               ("child") that exits 7 as the middle ends;
 *                               each round says whether the middle released
 *                               the child ("released") or this process
 *                               adopted and reaped it ("adopted")
 *   lifecycle thread            a thread starts and exits
 *   lifecycle exec PROG         child execs PROG, parent reaps it
 *   lifecycle gate CODE         wait for a line on stdin, then fork-exit CODE
 *   lifecycle wait-first CODE   already blocked in waitpid when the child,
 *                               on a line on stdin, exits with CODE
 *   lifecycle adopt-ignoring N  N times: a middle process leaves a zombie and
 *                               a running child to this subreaper, which
 *                               ignores SIGCHLD (the kernel releases both)
 *   lifecycle adopt-nocldwait N the same with SA_NOCLDWAIT, not SIG_IGN: the
 *                               subreaper is signalled as each is released
 *   lifecycle adopted-exiting HOW N
 *                               N times, as a subreaper: a middle process's
 *                               child ("exiting") exits (code 40 + round),
 *                               its end slowed by 64 MiB of shared memory
 *                               it frees, and the middle ends as soon as
 *                               the child's files are closed, so the child
 *                               is adopted while it exits. HOW:
 *                               wait (this process reaps it), ignore
 *                               (SIGCHLD ignored here: the kernel releases
 *                               it), nocldwait (SA_NOCLDWAIT), or
 *                               ignore-silent (ignore, and the child's exit
 *                               signal is 0 until its adoption makes it
 *                               SIGCHLD), or parent-ignores (this process
 *                               reaps it, but the middle ignores SIGCHLD:
 *                               the child's exit begins expecting the
 *                               kernel to release it, and its adoption
 *                               makes it a zombie after all)
 *   lifecycle reuse-before-free a child exits 11 and is reaped by waitid of
 *                               any child with no siginfo (a reap only its
 *                               free shows); its
 *                               pid is taken at once (clone3's set_tid) for
 *                               a second child, before the first one's free,
 *                               which exits 12 and is reaped
 *   lifecycle traced-zombie-adopted HOW
 *                               as a subreaper: a middle process's child
 *                               ("traced"), ptraced by this process's other
 *                               child ("tracer"), exits 23 and is a traced
 *                               zombie; the middle ends, and the kernel
 *                               hands the zombie to this process with no
 *                               signal; then the tracer's wait passes it on.
 *                               HOW: wait (this process reaps it), ignore
 *                               (SIGCHLD ignored here by then: the kernel
 *                               releases it in the tracer's wait)
 *   lifecycle double-fork-ignored
 *                               as a subreaper ignoring SIGCHLD: a middle
 *                               process forks a child ("daemon") and exits
 *                               at once, auto-reaped; the daemon, once
 *                               adopted here, exits 9
 *   lifecycle orphaned-twice    a zombie's parent ends, and so does its
 *                               adopter (a subreaper) without reaping it: it
 *                               is adopted again, by this subreaper, which
 *                               reaps it
 *   lifecycle exit-signal SIG   a clone child whose exit signal is SIG (0: none)
 *   lifecycle killed-by-exit-signal SIG
 *                               a child that makes its own clone child whose
 *                               exit signal is SIG, left at its default: the
 *                               kernel's notice of that end kills the child
 *                               exits 6, held a zombie 50 ms, reaped with __WALL
 *   lifecycle clone-parent MS   a child made with CLONE_PARENT, this process's
 *                               sibling ("sibling"), sleeps MS ms and exits 4;
 *                               this process ends at once, so the sibling is
 *                               its parent's to reap (the tracer's)
 *   lifecycle rename MS         a child renames itself and exits; held a zombie
 *                               MS ms, then reaped
 *   lifecycle ptrace-stop MS    a sibling attaches to a running child with
 *                               ptrace and waits for its stop with no status
 *                               (waitpid(child, NULL, 0)), then detaches; the
 *                               child exits 21, held a zombie MS ms, reaped
 *   lifecycle tracer-release MS this process ignores SIGCHLD; a sibling seizes
 *                               a child with ptrace, the child exits 22, and
 *                               the sibling's wait MS ms later makes the
 *                               kernel release it
 *   lifecycle ns-init-ends      a child is the init of a new pid namespace
 *                               ("init"); it leaves a zombie child that exits
 *                               5 and ends itself with 9: the kernel reaps the
 *                               zombie in init's end
 *   lifecycle waitid-null MS    a child held a zombie MS ms, reaped by waitid
 *                               with no siginfo
 *   lifecycle io-uring-waitid MS  the same, reaped through io_uring's
 *                               IORING_OP_WAITID ("unsupported=1" and a plain
 *                               wait where the kernel has none)
 *   lifecycle args N            a child execs this program with arguments
 *                               that need care (blanks, quotes, a newline,
 *                               UTF-8) and then N more, to exit 0
 *   lifecycle as-user UID       a child takes UID as its user and group, then
 *                               execs this program to exit 0
 *   lifecycle becomes-user UID  a child takes UID as its user and group and
 *                               exits 0 with no exec (a server's worker)
 *   lifecycle cgroup            a child moves into a new cgroup v2 directory,
 *                               /proclife-lifecycle-PID (PID: this process),
 *                               then execs this program to exit 0
 *                               ("unsupported=1" without a cgroup2 mount)
 *   lifecycle moves-cgroup      the same, but the child exits 0 with no exec
 *   lifecycle oom               a child moves into a new cgroup with 32 MiB of
 *                               memory (cgroup v2's memory.max, else v1's
 *                               limit) and touches memory until the OOM killer
 *                               ends it ("unsupported=1" with no memory
 *                               controller to use)
 *   lifecycle burn MS KIB       a child spins MS ms in user space with KIB KiB
 *                               touched, then says its own getrusage (self_*)
 *                               and exits; wait4's account of it follows
 *                               (reaped_cpu_ns, reaped_maxrss_kb)
 *   lifecycle burn-threads MS N KIB TIMES  TIMES children one after the
 *                               other, each a main thread that ends
 *                               (pthread_exit) and N threads that each touch
 *                               KIB KiB, spin MS ms and call exit(0), ending
 *                               their process at about the same moment;
 *                               says child_I and wait4's reaped_cpu_ns_I of
 *                               each (I from 0)
 *   lifecycle killed SIG        a child waits; this process sends it SIG
 *   lifecycle killed-group N    N children in a process group of their own;
 *                               this process sends the group SIGTERM
 *   lifecycle segv              a child faults on a NULL pointer
 *   lifecycle exec-fail         a child execs a missing file, then a file it
 *                               may not execute, then exits 0
 *   lifecycle exec-fail-bound   a child execs a missing file with arguments
 *                               that fill the 4 KiB a failed exec's are read
 *                               to exactly, then with one more after them
 *   lifecycle exec-fail-at      a child's failed execveat calls: a missing
 *                               name relative to a directory's fd (says
 *                               dirfd), a file it may not run by its own fd
 *                               (AT_EMPTY_PATH, says filefd), an absolute
 *                               missing name with that directory's fd;
 *                               each with the arguments at, "" and x
 *   lifecycle thread-exec N     N WNOHANG polls of a running child, one wait
 *                               that reaps it, then a thread execs this
 *                               program to fork-exit 0: N + 2 waits, N polls
 *   lifecycle leader-leaves N   N WNOHANG polls of a running child, then the
 *                               main thread ends (pthread_exit); after it,
 *                               3 threads make N polls each at once, the
 *                               last reaps the child: 4N + 1 waits, 4N polls
 *   lifecycle leader-gone CODE  the main thread ends (pthread_exit) once a
 *                               thread runs; says "leader_gone=1" when the
 *                               kernel shows it a zombie, and on a line on
 *                               stdin the thread ends the process with CODE
 *   lifecycle reuse-outside N   a child ("followed") waits for a line on
 *                               stdin, then N times forks a child that exits
 *                               7 and reaps it; each time this process, which
 *                               a trace of -p FOLLOWED leaves out, takes that
 *                               pid at once (ns_last_pid) for a child of its
 *                               own that exits 42; says how many it took
 *                               ("reused=K")
 *   lifecycle waits-left N      a child ("waiter") polls its own running
 *                               child N times with WNOHANG and stays until
 *                               the tracer (this process's parent) has ended
 *   lifecycle waits-left-hash N as waits-left, but after the N polls the
 *                               waiter's main thread ends and a thread makes
 *                               N more: 2N waits, kept by process, not in the
 *                               leader
 */
#include <errno.h>
#include <liburing.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <grp.h>
#include <sys/prctl.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void say(const char *role, long pid)
{
	printf("%s=%ld\n", role, pid);
	fflush(stdout);
}

/* the tracer's clock, for bounds a test checks its times against exactly */
static void say_now(const char *what)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	say(what, ts.tv_sec * 1000000000L + ts.tv_nsec);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static pid_t fork_or_die(void)
{
	pid_t pid = fork();

	if (pid < 0) {
		perror("fork");
		exit(100);
	}
	return pid;
}

static int reap(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return status;
}

static int fork_exit(int code)
{
	pid_t pid = fork_or_die();

	if (pid == 0)
		_exit(code);
	say("child", pid);
	return reap(pid) == -1 ? 1 : 0;
}

static int zombie(long ms)
{
	pid_t pid;
	siginfo_t si;
	int status;

	say_now("forking_ns");
	pid = fork_or_die();
	if (pid == 0)
		_exit(0);
	say("child", pid);
	/* be sure it is a zombie before the clock starts: WNOWAIT leaves it */
	waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT);
	sleep_ms(ms);
	status = reap(pid);
	say_now("reaped_ns");
	return status == -1 ? 1 : 0;
}

/* the grandchild tells when it has been adopted, through a pipe whose EOF
 * also tells the top process that it is gone */
/* a middle process forks n children and leaves at once: each is an orphan
 * of this subreaper, which reaps them all */
static int orphans(int n)
{
	pid_t middle;

	if (prctl(PR_SET_CHILD_SUBREAPER, 1))
		return perror("prctl"), 1;
	middle = fork_or_die();
	if (middle == 0) {
		pid_t old = getpid();

		for (int i = 0; i < n; i++)
			if (fork_or_die() == 0) {
				while (getppid() == old)
					sleep_ms(1);
				_exit(0);
			}
		_exit(0);
	}
	say("middle", middle);
	while (wait(NULL) > 0)
		;
	return 0;
}

static int orphan(int subreaper)
{
	int fds[2];
	pid_t middle;
	char c;

	if (subreaper && prctl(PR_SET_CHILD_SUBREAPER, 1))
		return perror("prctl"), 1;
	if (pipe(fds))
		return perror("pipe"), 1;
	middle = fork_or_die();
	if (middle == 0) {
		pid_t old = getpid(), grandchild = fork_or_die();

		if (grandchild == 0) {
			/* not getppid(): the middle may be gone already */
			close(fds[0]);
			while (getppid() == old)
				sleep_ms(1);
			_exit(0);
		}
		say("grandchild", grandchild);
		_exit(0);
	}
	close(fds[1]);
	say("middle", middle);
	reap(middle);
	while (read(fds[0], &c, 1) > 0)
		;
	if (subreaper) {
		/* it is ours now: reap it */
		while (wait(NULL) > 0)
			;
	}
	return 0;
}

static int autoreap(void)
{
	pid_t a, b;

	signal(SIGCHLD, SIG_IGN);
	a = fork_or_die();
	if (a == 0)
		_exit(3);
	b = fork_or_die();
	if (b == 0)
		_exit(4);
	say("child", a);
	say("child", b);
	/* with SIGCHLD ignored, wait() returns ECHILD once all are gone */
	while (wait(NULL) > 0 || errno == EINTR)
		;
	return 0;
}

/* a middle that ignores SIGCHLD and its child end at the same moment:
 * the child is released by the middle (its end came first), or adopted
 * here (the middle's came first); and when the middle's end follows the
 * child's release at once, before the kernel has taken the child off the
 * middle's list, it points the child at this subreaper as it goes. Each
 * round says which the child had: "released" (this process has no such
 * child to wait for) or "adopted" (this process reaped it) */
static int autoreap_parent_ends(int rounds)
{
	struct shared {
		volatile int go;
		volatile pid_t child; /* set by the child: it is running */
	} *sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (sh == MAP_FAILED)
		return perror("mmap"), 1;
	if (prctl(PR_SET_CHILD_SUBREAPER, 1))
		return perror("prctl"), 1;
	signal(SIGCHLD, SIG_DFL); /* an adopted child is a zombie to wait for */
	for (int i = 0; i < rounds; i++) {
		pid_t middle, child;

		sh->go = 0;
		sh->child = 0;
		middle = fork_or_die();
		if (middle == 0) {
			signal(SIGCHLD, SIG_IGN);
			child = fork_or_die();
			if (child == 0) {
				sh->child = getpid();
				while (!sh->go)
					;
				_exit(7);
			}
			while (!sh->child)
				sched_yield();
			sh->go = 1;
			/* the child starts a moment later: from round to round
			 * the middle waits a little more, to meet it there */
			for (volatile int spin = 0; spin < (i % 64) * 400; spin++)
				;
			_exit(0);
		}
		say("middle", middle);
		if (reap(middle) == -1 || !sh->child)
			return perror("autoreap-parent-ends: the middle"), 1;
		child = sh->child;
		say("child", child);
		/* the middle has ended: the child is released, or it is ours */
		if (reap(child) != -1)
			say("adopted", child);
		else if (errno == ECHILD)
			say("released", child);
		else
			return perror("autoreap-parent-ends: the child"), 1;
	}
	return 0;
}

static void *thread_main(void *arg)
{
	say("thread", syscall(SYS_gettid));
	return arg;
}

static int thread(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, thread_main, NULL))
		return 1;
	pthread_join(t, NULL);
	return 0;
}

static int exec_child(const char *prog)
{
	pid_t pid = fork_or_die();

	if (pid == 0) {
		execl(prog, prog, (char *)NULL);
		_exit(127);
	}
	say("child", pid);
	return reap(pid) == -1 ? 1 : 0;
}

static int gate(int code)
{
	char line[16];

	say("self", getpid());
	if (!fgets(line, sizeof(line), stdin))
		return 1;
	return fork_exit(code);
}

static int wait_first(int code)
{
	char line[16];
	pid_t pid = fork_or_die();

	if (pid == 0) {
		if (!fgets(line, sizeof(line), stdin))
			_exit(100);
		_exit(code);
	}
	say("self", getpid());
	say("child", pid);
	return reap(pid) == -1 ? 1 : 0;
}

/* stop and continue reports before the reap, through wait4 with no status
 * pointer or through waitid: only the last call is a reap */
static int stop_cont(const char *call)
{
	int go[2], w4 = !strcmp(call, "wait4");
	siginfo_t si;
	pid_t pid;
	char c = 0;

	if (pipe(go))
		return perror("pipe"), 1;
	pid = fork_or_die();
	if (pid == 0) {
		close(go[1]);
		raise(SIGSTOP);
		if (read(go[0], &c, 1) < 0)
			_exit(1);
		_exit(5);
	}
	close(go[0]);
	say("child", pid);
	if (w4 ? wait4(pid, NULL, WUNTRACED, NULL) != pid :
		 waitid(P_PID, (id_t)pid, &si, WSTOPPED) || si.si_code != CLD_STOPPED)
		return perror("stop report"), 1;
	kill(pid, SIGCONT);
	if (w4 ? wait4(pid, NULL, WCONTINUED, NULL) != pid :
		 waitid(P_PID, (id_t)pid, &si, WCONTINUED) || si.si_code != CLD_CONTINUED)
		return perror("continue report"), 1;
	if (write(go[1], &c, 1) != 1)
		return perror("write"), 1;
	if (w4 ? wait4(pid, NULL, 0, NULL) != pid :
		 waitid(P_PID, (id_t)pid, &si, WEXITED) || si.si_status != 5)
		return perror("reap"), 1;
	return 0;
}

/* a zombie waiting for its parent: WNOWAIT leaves it one */
static void until_zombie(pid_t pid, int wall)
{
	siginfo_t si;

	while (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT | (wall ? __WALL : 0)) && errno == EINTR)
		;
}

/*
 * The middle process leaves two children to this subreaper: one already a
 * zombie, one that exits as soon as it sees its new parent. With SIGCHLD
 * ignored here, the kernel releases both with no signal and no wait, the
 * second perhaps before the middle's exit is complete.
 */
static int adopt_ignoring(int rounds, bool nocldwait)
{
	struct sigaction sa = { .sa_handler = SIG_DFL, .sa_flags = SA_NOCLDWAIT };

	if (prctl(PR_SET_CHILD_SUBREAPER, 1))
		return perror("prctl"), 1;
	if (nocldwait)
		sigaction(SIGCHLD, &sa, NULL);
	else
		signal(SIGCHLD, SIG_IGN);
	for (int i = 0; i < rounds; i++) {
		pid_t middle = fork_or_die();

		if (middle == 0) {
			pid_t me = getpid(), zombie, runner;

			/* its own zombie stays one */
			sa.sa_flags = 0;
			sigaction(SIGCHLD, &sa, NULL);
			zombie = fork_or_die();
			if (zombie == 0)
				_exit(3);
			runner = fork_or_die();
			if (runner == 0) {
				while (getppid() == me)
					;
				_exit(4);
			}
			say("zombie", zombie);
			say("runner", runner);
			until_zombie(zombie, 0);
			_exit(0);
		}
		say("middle", middle);
	}
	/* with SIGCHLD ignored, wait() returns ECHILD once all are gone */
	while (wait(NULL) > 0 || errno == EINTR)
		;
	return 0;
}

/* memory whose freeing makes this process's end take a while after its
 * exit has begun: a memfd it alone holds, freed as its files close */
static void hold_memory_to_free_at_exit(void)
{
	int fd = (int)syscall(SYS_memfd_create, "lifecycle", 0);

	if (fd >= 0 && fallocate(fd, 0, 0, 64L << 20))
		(void)!ftruncate(fd, 0);
}

/* a child, like fork()'s, with this exit signal and, unless 0, this pid
 * (clone3's set_tid: needs CAP_SYS_ADMIN); -1 if refused */
static pid_t fork_with(int exit_signal, pid_t pid)
{
	struct {
		__u64 flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls,
			set_tid, set_tid_size;
	} args = { .exit_signal = (__u64)exit_signal,
		   .set_tid = pid ? (__u64)(unsigned long)&pid : 0, .set_tid_size = pid ? 1 : 0 };

	return (pid_t)syscall(SYS_clone3, &args, sizeof(args));
}

/* until pid is released: with SIGCHLD ignored, wait() returns once the
 * child is marked for release, a moment before the kernel releases it;
 * ending in that moment would hand it to init as it goes */
static void until_released(pid_t pid)
{
	while (kill(pid, 0) == 0 || errno == EPERM)
		usleep(1000);
}

static int adopted_exiting(const char *how, int rounds)
{
	struct sigaction sa = { .sa_handler = SIG_DFL, .sa_flags = SA_NOCLDWAIT };
	pid_t *children;
	int told[2];

	if (prctl(PR_SET_CHILD_SUBREAPER, 1))
		return perror("prctl"), 1;
	if (!strcmp(how, "nocldwait"))
		sigaction(SIGCHLD, &sa, NULL);
	else if (!strcmp(how, "ignore") || !strcmp(how, "ignore-silent"))
		signal(SIGCHLD, SIG_IGN);
	else if (strcmp(how, "wait") && strcmp(how, "parent-ignores"))
		return fprintf(stderr, "adopted-exiting: wait, ignore, nocldwait, ignore-silent or "
				       "parent-ignores\n"),
		       2;
	/* the middles tell their children's pids here, read once each has
	 * ended: a middle that failed first has told nothing, and is said */
	children = calloc((size_t)(rounds > 0 ? rounds : 1), sizeof(*children));
	if (!children || pipe2(told, O_NONBLOCK))
		return perror("adopted-exiting"), 1;
	for (int i = 0; i < rounds; i++) {
		pid_t middle = fork_or_die();

		if (middle == 0) {
			int go[2];
			pid_t child;
			char c;

			signal(SIGCHLD, strcmp(how, "parent-ignores") ? SIG_DFL : SIG_IGN);
			if (pipe(go))
				_exit(100);
			child = strcmp(how, "ignore-silent") ? fork_or_die() : fork_with(0, 0);
			if (child < 0)
				_exit(100);
			if (child == 0) {
				/* the middle ends once this one's exit has closed
				 * its files: the pipe is closed last (the highest
				 * number) and so released first, before the memory */
				close(go[0]);
				hold_memory_to_free_at_exit();
				if (dup2(go[1], 1000) < 0)
					_exit(100);
				close(go[1]);
				_exit(40 + i);
			}
			close(go[1]);
			say("exiting", child);
			if (write(told[1], &child, sizeof(child)) != sizeof(child))
				_exit(100);
			while (read(go[0], &c, 1) < 0 && errno == EINTR)
				;
			_exit(0);
		}
		say("middle", middle);
		/* one round at a time: the next middle is not this one's sibling
		 * in the kernel's list when it ends */
		while (waitpid(middle, NULL, 0) < 0 && errno == EINTR)
			;
		if (read(told[0], &children[i], sizeof(children[i])) != sizeof(children[i]))
			return perror("adopted-exiting: the middle's child"), 1;
	}
	/* with SIGCHLD ignored, wait() returns ECHILD once all are gone */
	while (wait(NULL) > 0 || errno == EINTR)
		;
	for (int i = 0; i < rounds; i++)
		until_released(children[i]);
	free(children);
	return 0;
}

static int reuse_before_free(void)
{
	pid_t first = fork_or_die(), second;

	if (first == 0)
		_exit(11);
	say("first", first);
	until_zombie(first, 0);
	/* any child and no siginfo: a reap the wait hooks cannot name, so its
	 * free tells it */
	while (syscall(SYS_waitid, P_ALL, 0, NULL, WEXITED, NULL) < 0)
		if (errno != EINTR)
			return perror("waitid"), 1;
	second = fork_with(SIGCHLD, first);
	if (second == 0)
		_exit(12);
	if (second < 0)
		return perror("clone3 with set_tid"), 1;
	say("second", second);
	return reap(second) == -1 ? 1 : 0;
}

static int clone_child(void *arg)
{
	(void)arg;
	_exit(6);
}

static void no_op(int sig)
{
	(void)sig;
}

static int exit_signal(int sig)
{
	static char stack[64 * 1024] __attribute__((aligned(16)));
	pid_t pid;
	int status;

	if (sig)
		signal(sig, no_op); /* the child's exit must not end this process */
	pid = clone(clone_child, stack + sizeof(stack), sig, NULL);
	if (pid < 0)
		return perror("clone"), 1;
	say("child", pid);
	until_zombie(pid, 1);
	sleep_ms(50);
	while (waitpid(pid, &status, __WALL) < 0)
		if (errno != EINTR)
			return perror("waitpid"), 1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 6 ? 0 : 1;
}

static int exit_with(void *code)
{
	_exit((int)(long)code);
}

/* N children whose exit signal is 0, each reaped by this process polling
 * with WNOHANG: on another CPU the reap often comes before the child has
 * switched out for the last time. Child i exits with i + 1 */
static int exit_signal_polled(int n)
{
	static char stack[64 * 1024] __attribute__((aligned(16)));
	int status, bad = 0;

	for (int i = 0; i < n; i++) {
		pid_t pid = clone(exit_with, stack + sizeof(stack), 0, (void *)(long)(i + 1)), got;

		if (pid < 0)
			return perror("clone"), 1;
		say("child", pid);
		while ((got = waitpid(pid, &status, __WALL | WNOHANG)) == 0)
			;
		if (got != pid || !WIFEXITED(status) || WEXITSTATUS(status) != i + 1)
			bad = 1;
	}
	return bad;
}

static void *tell_tid_then_pause(void *fd)
{
	pid_t tid = (pid_t)syscall(SYS_gettid);

	if (write((int)(long)fd, &tid, sizeof(tid)) != sizeof(tid))
		_exit(125);
	for (;;)
		pause();
	return NULL;
}

/* a core_pattern that writes into the current directory, where a scratch
 * one is removed afterwards: a dump anywhere else is not asked for */
static bool core_lands_here(void)
{
	char pat[256] = "";
	int fd = open("/proc/sys/kernel/core_pattern", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, pat, sizeof(pat) - 1) : -1;

	if (fd >= 0)
		close(fd);
	return n > 0 && pat[0] != '|' && !strchr(pat, '/');
}

/* another process kills a thread that is not the leader with SIGQUIT,
 * which dumps core where it may: the status wait() reports says so, where
 * SIGCHLD's may not */
static int thread_killed_dumps_core(void)
{
	char dir[] = "/tmp/proclife-core.XXXXXX";
	bool core = core_lands_here() && mkdtemp(dir);
	int fds[2], status;
	pid_t pid, tid;

	if (pipe(fds))
		return perror("pipe"), 1;
	pid = fork_or_die();
	if (pid == 0) {
		struct rlimit rl = { 64 << 20, 64 << 20 };
		pthread_t t;

		/* a job in a script's background starts with SIGQUIT ignored */
		signal(SIGQUIT, SIG_DFL);
		if (core && chdir(dir) == 0)
			setrlimit(RLIMIT_CORE, &rl);
		if (pthread_create(&t, NULL, tell_tid_then_pause, (void *)(long)fds[1]))
			_exit(125);
		for (;;)
			pause();
	}
	say("child", pid);
	if (read(fds[0], &tid, sizeof(tid)) != sizeof(tid))
		return 1;
	syscall(SYS_tgkill, pid, tid, SIGQUIT);
	status = reap(pid);
	if (core) { /* "core", or "core.PID" with kernel.core_uses_pid */
		char path[64];

		snprintf(path, sizeof(path), "%s/core", dir);
		unlink(path);
		snprintf(path, sizeof(path), "%s/core.%d", dir, pid);
		unlink(path);
		rmdir(dir);
	}
	say("core", status != -1 && WCOREDUMP(status));
	return status != -1 && WIFSIGNALED(status) && WTERMSIG(status) == SIGQUIT ? 0 : 1;
}

/* the clone child's end, sent as SIG with CLD_EXITED, ends its parent */
static int killed_by_exit_signal(int sig)
{
	static char stack[64 * 1024] __attribute__((aligned(16)));
	pid_t pid = fork_or_die();
	int status;

	if (pid == 0) {
		signal(sig, SIG_DFL);
		if (clone(clone_child, stack + sizeof(stack), sig, NULL) < 0)
			_exit(125);
		for (;;)
			pause();
	}
	say("child", pid);
	status = reap(pid);
	return status != -1 && WIFSIGNALED(status) && WTERMSIG(status) == sig ? 0 : 1;
}

static int sibling_sleeps(void *ms)
{
	sleep_ms((long)ms);
	return 4;
}

static int clone_parent(long ms)
{
	static char stack[64 * 1024] __attribute__((aligned(16)));
	pid_t pid = clone(sibling_sleeps, stack + sizeof(stack), CLONE_PARENT | SIGCHLD,
			  (void *)ms);

	if (pid < 0)
		return perror("clone"), 1;
	say("sibling", pid);
	return 0;
}

static int rename_child(long ms)
{
	pid_t pid = fork_or_die();

	if (pid == 0) {
		prctl(PR_SET_NAME, "renamed");
		_exit(0);
	}
	say("child", pid);
	until_zombie(pid, 0);
	sleep_ms(ms);
	return reap(pid) == -1 ? 1 : 0;
}

/* a child that exits CODE once a byte comes on fd */
static pid_t child_exiting_on(int fd, int code)
{
	pid_t pid = fork_or_die();
	char c;

	if (pid == 0) {
		while (read(fd, &c, 1) < 0 && errno == EINTR)
			;
		_exit(code);
	}
	return pid;
}

static void pipe_or_die(int fds[2])
{
	if (pipe(fds)) {
		perror("pipe");
		exit(100);
	}
}

/* waits (WNOWAIT) for pid to be a zombie child of this process: it may be
 * another's until its parent's end hands it here */
static void until_my_zombie(pid_t pid)
{
	siginfo_t si;

	while (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) && (errno == EINTR || errno == ECHILD))
		;
}

/*
 * A zombie orphaned twice: this subreaper starts a second one, which
 * starts a middle process, which leaves a zombie; the second subreaper
 * then ends without reaping it, and this one reaps it.
 */
static int orphaned_twice(void)
{
	pid_t second, middle, zombie;
	int fds[2];

	if (prctl(PR_SET_CHILD_SUBREAPER, 1))
		return perror("prctl"), 1;
	pipe_or_die(fds);
	second = fork_or_die();
	if (second == 0) {
		close(fds[0]);
		if (prctl(PR_SET_CHILD_SUBREAPER, 1))
			_exit(1);
		middle = fork_or_die();
		if (middle == 0) {
			zombie = fork_or_die();
			if (zombie == 0)
				_exit(7);
			if (write(fds[1], &zombie, sizeof(zombie)) != sizeof(zombie))
				_exit(1);
			until_zombie(zombie, 0);
			_exit(0);
		}
		waitpid(middle, NULL, 0); /* and the zombie is this one's now */
		_exit(0);
	}
	close(fds[1]);
	if (read(fds[0], &zombie, sizeof(zombie)) != sizeof(zombie))
		return perror("read"), 1;
	say("second", second);
	say("zombie", zombie);
	reap(second);
	until_my_zombie(zombie);
	return WEXITSTATUS(reap(zombie)) == 7 ? 0 : 1;
}

static int ptrace_stop(long ms)
{
	int go[2], st;
	pid_t child, tracer;

	pipe_or_die(go);
	child = child_exiting_on(go[0], 21);
	say("child", child);
	tracer = fork_or_die();
	if (tracer == 0) {
		if (ptrace(PTRACE_ATTACH, child, 0, 0))
			_exit(1);
		/* the stop, reported with no status to read and no WUNTRACED */
		while (waitpid(child, NULL, 0) < 0)
			if (errno != EINTR)
				_exit(2);
		_exit(ptrace(PTRACE_DETACH, child, 0, 0) ? 3 : 0);
	}
	say("tracer", tracer);
	st = reap(tracer);
	if (st != 0)
		return fprintf(stderr, "ptrace-stop: tracer status %d\n", st), 1;
	if (write(go[1], "x", 1) != 1)
		return 1;
	until_zombie(child, 0);
	sleep_ms(ms);
	return reap(child) == -1 ? 1 : 0;
}

static int tracer_release(long ms)
{
	int go[2], ready[2];
	pid_t child, tracer;
	char c;

	signal(SIGCHLD, SIG_IGN);
	pipe_or_die(go);
	pipe_or_die(ready);
	child = child_exiting_on(go[0], 22);
	say("child", child);
	tracer = fork_or_die();
	if (tracer == 0) {
		siginfo_t si;

		if (ptrace(PTRACE_SEIZE, child, 0, 0))
			_exit(1);
		if (write(ready[1], "x", 1) != 1)
			_exit(2);
		/* its exit, seen without taking it: then a while before the wait */
		while (waitid(P_PID, (id_t)child, &si, WEXITED | WNOWAIT) && errno == EINTR)
			;
		sleep_ms(ms);
		_exit(reap(child) == 22 << 8 ? 0 : 3);
	}
	say("tracer", tracer);
	while (read(ready[0], &c, 1) < 0 && errno == EINTR)
		;
	if (write(go[1], "x", 1) != 1)
		return 1;
	/* SIGCHLD ignored: wait returns once both are gone */
	while (wait(NULL) > 0 || errno == EINTR)
		;
	return 0;
}

/* read one byte, to wait for another process's word */
static void await(int fd)
{
	char c;

	while (read(fd, &c, 1) < 0 && errno == EINTR)
		;
}

static int double_fork_ignored(void)
{
	pid_t me = getpid(), middle;
	int fds[2];

	if (prctl(PR_SET_CHILD_SUBREAPER, 1))
		return perror("prctl"), 1;
	signal(SIGCHLD, SIG_IGN);
	pipe_or_die(fds);
	middle = fork_or_die();
	if (middle == 0) {
		pid_t daemon = fork_or_die();

		if (daemon == 0) {
			/* adopted once the middle is gone */
			while (getppid() != me)
				sleep_ms(1);
			_exit(9);
		}
		if (write(fds[1], &daemon, sizeof(daemon)) != sizeof(daemon))
			_exit(100);
		_exit(0);
	}
	say("middle", middle);
	close(fds[1]);
	if (read(fds[0], &middle, sizeof(middle)) != sizeof(middle))
		return perror("read"), 1;
	say("daemon", middle);
	/* SIGCHLD ignored: wait returns ECHILD once both are gone */
	while (wait(NULL) > 0 || errno == EINTR)
		;
	return 0;
}

static int traced_zombie_adopted(const char *how)
{
	int gp[2], mgo[2], ggo[2], seen[2], tgo[2], st;
	pid_t middle, traced, tracer;
	bool ignore = !strcmp(how, "ignore");

	if (!ignore && strcmp(how, "wait"))
		return fprintf(stderr, "traced-zombie-adopted: wait or ignore\n"), 2;
	if (prctl(PR_SET_CHILD_SUBREAPER, 1))
		return perror("prctl"), 1;
	pipe_or_die(gp);
	pipe_or_die(mgo);
	pipe_or_die(ggo);
	pipe_or_die(seen);
	pipe_or_die(tgo);
	middle = fork_or_die();
	if (middle == 0) {
		close(mgo[1]);
		traced = fork_or_die();
		if (traced == 0) {
			await(ggo[0]); /* traced by now */
			_exit(23);
		}
		if (write(gp[1], &traced, sizeof(traced)) != sizeof(traced))
			_exit(100);
		await(mgo[0]); /* leaves when told, never waiting for it */
		_exit(0);
	}
	say("middle", middle);
	close(mgo[0]);
	if (read(gp[0], &traced, sizeof(traced)) != sizeof(traced))
		return perror("read"), 1;
	say("traced", traced);
	tracer = fork_or_die();
	if (tracer == 0) {
		siginfo_t si;

		close(tgo[1]);
		close(mgo[1]);
		if (ptrace(PTRACE_SEIZE, traced, 0, 0))
			_exit(1);
		if (write(ggo[1], "x", 1) != 1)
			_exit(2);
		/* its exit, seen without taking it */
		while (waitid(P_PID, (id_t)traced, &si, WEXITED | WNOWAIT) && errno == EINTR)
			;
		if (write(seen[1], "x", 1) != 1)
			_exit(3);
		await(tgo[0]);
		while (waitpid(traced, &st, __WALL) < 0)
			if (errno != EINTR)
				_exit(4);
		_exit(st == 23 << 8 ? 0 : 5);
	}
	say("tracer", tracer);
	close(tgo[0]);
	await(seen[0]); /* a traced zombie, its tracer told */
	close(mgo[1]);  /* the middle ends: the zombie is handed here, untold */
	if (reap(middle) != 0)
		return fprintf(stderr, "traced-zombie-adopted: middle\n"), 1;
	if (ignore)
		signal(SIGCHLD, SIG_IGN);
	close(tgo[1]); /* the tracer's wait passes the zombie on */
	if (ignore) {
		/* the kernel releases both: wait returns ECHILD once they are gone */
		while (wait(NULL) > 0 || errno == EINTR)
			;
		return 0;
	}
	if (reap(tracer) != 0)
		return fprintf(stderr, "traced-zombie-adopted: tracer\n"), 1;
	until_zombie(traced, 0);
	return reap(traced) == 23 << 8 ? 0 : 1;
}

static int ns_init_ends(void)
{
	pid_t init;

	if (unshare(CLONE_NEWPID))
		return perror("unshare"), 1;
	init = fork_or_die();
	if (init == 0) {
		pid_t child = fork_or_die();

		if (child == 0)
			_exit(5);
		until_zombie(child, 0);
		_exit(9); /* with a zombie child: its end reaps it */
	}
	say("init", init);
	return reap(init) == 9 << 8 ? 0 : 1;
}

static int waitid_null(long ms)
{
	pid_t pid = fork_or_die();

	if (pid == 0)
		_exit(9);
	say("child", pid);
	until_zombie(pid, 0);
	sleep_ms(ms);
	/* the raw call: no siginfo at all, as the kernel allows */
	while (syscall(SYS_waitid, P_PID, pid, NULL, WEXITED, NULL) < 0)
		if (errno != EINTR)
			return perror("waitid"), 1;
	return 0;
}

#define OP_WAITID 50 /* IORING_OP_WAITID (6.7), newer than Debian 12's liburing */

/* a kernel without the operation: say so, and reap the plain way */
static int unsupported(pid_t pid)
{
	say("unsupported", 1);
	return reap(pid) == -1 ? 1 : 0;
}

static int io_uring_waitid(long ms)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	pid_t pid = fork_or_die();
	siginfo_t si;
	int res;

	if (pid == 0)
		_exit(11);
	say("child", pid);
	until_zombie(pid, 0);
	sleep_ms(ms);
	if (io_uring_queue_init(4, &ring, 0))
		return unsupported(pid);
	/* io_uring_prep_waitid(): the id in fd, the idtype in len, options in
	 * file_index, the siginfo in addr2 */
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_rw(OP_WAITID, sqe, pid, NULL, P_PID, 0);
	sqe->file_index = WEXITED;
	sqe->addr2 = (unsigned long)&si;
	io_uring_submit(&ring);
	if (io_uring_wait_cqe(&ring, &cqe))
		return perror("io_uring_wait_cqe"), 1;
	res = cqe->res;
	io_uring_cqe_seen(&ring, cqe);
	io_uring_queue_exit(&ring);
	if (res == -EINVAL) /* no such operation here */
		return unsupported(pid);
	return res == 0 && si.si_pid == pid && si.si_status == 11 ? 0 : 1;
}

/* a child runs `lifecycle exit 0` again, with argv[1...] as given */
static void exec_self(char **more)
{
	char *argv[1200] = { "lifecycle", "exit", "0" };
	int n = 3;

	for (; more && *more && n < 1199; more++)
		argv[n++] = *more;
	argv[n] = NULL;
	execv("/proc/self/exe", argv);
	_exit(127);
}

static int child_then_reap(pid_t pid)
{
	say("child", pid);
	return reap(pid) == -1 ? 1 : 0;
}

static int args(int extra)
{
	static char numbered[1100][8];
	char *more[1200] = { "with blank", "quote\"d", "new\nline", "caf\xc3\xa9", "" };
	int n = 5;
	pid_t pid;

	for (int i = 0; i < extra && n < 1150; i++) {
		snprintf(numbered[i], sizeof(numbered[i]), "a%d", i);
		more[n++] = numbered[i];
	}
	more[n] = NULL;
	pid = fork_or_die();
	if (pid == 0)
		exec_self(more);
	return child_then_reap(pid);
}

static int as_user(int uid)
{
	pid_t pid = fork_or_die();

	if (pid == 0) {
		if (setgroups(0, NULL) || setgid((gid_t)uid) || setuid((uid_t)uid))
			_exit(126);
		exec_self(NULL);
	}
	return child_then_reap(pid);
}

static int becomes_user(int uid)
{
	pid_t pid = fork_or_die();

	if (pid == 0) {
		if (setgroups(0, NULL) || setgid((gid_t)uid) || setuid((uid_t)uid))
			_exit(126);
		_exit(0);
	}
	return child_then_reap(pid);
}

/* where the unified hierarchy is mounted, into dir; -1: nowhere */
static int cgroup2_mount(char *dir, size_t len)
{
	FILE *f = fopen("/proc/self/mountinfo", "r");
	char line[1024], at[512];
	int found = -1;

	while (f && found && fgets(line, sizeof(line), f))
		if (strstr(line, " - cgroup2 ") && sscanf(line, "%*s %*s %*s %*s %511s", at) == 1) {
			snprintf(dir, len, "%s", at);
			found = 0;
		}
	if (f)
		fclose(f);
	return found;
}

static bool write_file(const char *dir, const char *name, const char *what)
{
	char path[700];
	int fd;
	bool ok;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return false;
	ok = write(fd, what, strlen(what)) == (ssize_t)strlen(what);
	close(fd);
	return ok;
}

/* a child in the new cgroup dir (it joins it once the test knows its pid)
 * runs then(); this process reaps it and removes dir: its wait status */
static int child_in_cgroup(const char *dir, void (*then)(void))
{
	int go[2], status;
	pid_t pid;

	if (pipe(go))
		return perror("pipe"), -1;
	pid = fork_or_die();
	if (pid == 0) {
		char c;

		close(go[1]);
		if (read(go[0], &c, 1) != 1 || !write_file(dir, "cgroup.procs", "0"))
			_exit(126);
		then();
		_exit(125);
	}
	close(go[0]);
	say("child", pid);
	status = write(go[1], "g", 1) == 1 ? reap(pid) : -1;
	rmdir(dir);
	return status;
}

static void exec_to_exit_0(void)
{
	exec_self(NULL);
}

static void exit_0(void)
{
	_exit(0);
}

/* a child moved into a new cgroup, which then runs then() */
static int cgroup(void (*then)(void))
{
	char mount_at[512], dir[640];

	if (cgroup2_mount(mount_at, sizeof(mount_at)))
		return unsupported(0);
	snprintf(dir, sizeof(dir), "%s/proclife-lifecycle-%d", mount_at, (int)getpid());
	if (mkdir(dir, 0755))
		return perror("mkdir"), 1;
	return child_in_cgroup(dir, then) == 0 ? 0 : 1;
}

/* is any swap space on? (then a memory limit alone swaps, not kills) */
static bool swap_on(void)
{
	FILE *f = fopen("/proc/swaps", "r");
	char line[256];
	int lines = 0;

	while (f && fgets(line, sizeof(line), f))
		lines++;
	if (f)
		fclose(f);
	return lines > 1; /* a heading, then one line per swap area */
}

/* a new cgroup with 32 MiB of memory and no swap, in dir: v2's memory
 * controller if the unified hierarchy has it, else v1's; false: neither,
 * or swap is on and the cgroup cannot be kept from it */
static bool memory_cgroup(char *dir, size_t len)
{
	char at[512], ctl[600], line[256] = "";
	bool swap = swap_on();
	FILE *f;

	if (!cgroup2_mount(at, sizeof(at))) {
		snprintf(ctl, sizeof(ctl), "%s/cgroup.controllers", at);
		f = fopen(ctl, "r");
		if (f && fgets(line, sizeof(line), f) && strstr(line, "memory")) {
			write_file(at, "cgroup.subtree_control", "+memory");
			snprintf(dir, len, "%s/proclife-oom-%d", at, (int)getpid());
			if (!mkdir(dir, 0755) && write_file(dir, "memory.max", "33554432") &&
			    (write_file(dir, "memory.swap.max", "0") || !swap)) {
				fclose(f);
				return true;
			}
			rmdir(dir);
		}
		if (f)
			fclose(f);
	}
	snprintf(dir, len, "/sys/fs/cgroup/memory/proclife-oom-%d", (int)getpid());
	if (!mkdir(dir, 0755) && write_file(dir, "memory.limit_in_bytes", "33554432") &&
	    (write_file(dir, "memory.memsw.limit_in_bytes", "33554432") || !swap))
		return true;
	rmdir(dir);
	return false;
}

/* 1 MiB at a time, every page touched, never let go */
static void touch_memory_forever(void)
{
	for (;;) {
		char *mem = malloc(1 << 20);

		if (!mem)
			_exit(125);
		memset(mem, 1, 1 << 20);
	}
}

static int oom(void)
{
	char dir[600];
	int status;

	if (!memory_cgroup(dir, sizeof(dir)))
		return unsupported(0);
	status = child_in_cgroup(dir, touch_memory_forever);
	return status != -1 && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL ? 0 : 1;
}

static long long ns_of(struct timeval tv)
{
	return (long long)tv.tv_sec * 1000000000LL + tv.tv_usec * 1000LL;
}

/* ms of this thread's CPU, in user space */
static void spin_for(long ms)
{
	volatile unsigned long spin = 0;
	struct timespec t0, t;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
	do {
		for (int i = 0; i < 100000; i++)
			spin++;
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	} while ((t.tv_sec - t0.tv_sec) * 1000L + (t.tv_nsec - t0.tv_nsec) / 1000000L < ms);
}

/* what wait4 says pid used: the kernel's own account, after its end (as
 * reaped_cpu_ns and reaped_maxrss_kb, each followed by suffix) */
static int say_reaped_use(pid_t pid, const char *suffix)
{
	struct rusage ru;
	char name[48];
	int status;

	while (wait4(pid, &status, 0, &ru) < 0)
		if (errno != EINTR)
			return 1;
	snprintf(name, sizeof(name), "reaped_cpu_ns%s", suffix);
	say(name, ns_of(ru.ru_utime) + ns_of(ru.ru_stime));
	snprintf(name, sizeof(name), "reaped_maxrss_kb%s", suffix);
	say(name, ru.ru_maxrss);
	return status == 0 ? 0 : 1;
}

static int burn(long ms, long kib)
{
	pid_t pid = fork_or_die();

	if (pid == 0) {
		struct rusage ru;
		char *mem = malloc((size_t)kib * 1024);

		if (!mem)
			_exit(1);
		for (long i = 0; i < kib * 1024; i += 4096)
			mem[i] = 1;
		spin_for(ms);
		getrusage(RUSAGE_SELF, &ru);
		say("self_user_ns", ns_of(ru.ru_utime));
		say("self_sys_ns", ns_of(ru.ru_stime));
		say("self_maxrss_kb", ru.ru_maxrss);
		_exit(0);
	}
	say("child", pid);
	return say_reaped_use(pid, "");
}

static long burner_ms, burner_kib;

/* touches its memory, spins, then ends its process (as another may) */
static void *burner(void *arg)
{
	char *mem = malloc((size_t)burner_kib * 1024 + 1);

	(void)arg;
	if (!mem)
		exit(1);
	for (long i = 0; i < burner_kib * 1024; i += 4096)
		mem[i] = 1;
	spin_for(burner_ms);
	exit(0);
}

/* threads that end their process at about the same moment: the one the
 * kernel counts last may end it while another is still being taken off
 * (the last to let go of the memory frees it all first) */
static int burn_threads(long ms, int n, long kib, int times)
{
	char name[32];

	burner_ms = ms;
	burner_kib = kib;
	for (int i = 0; i < times; i++) {
		pid_t pid = fork_or_die();

		if (pid == 0) {
			pthread_t t;

			for (int k = 0; k < n; k++)
				if (pthread_create(&t, NULL, burner, NULL))
					_exit(1);
			pthread_exit(NULL);
		}
		snprintf(name, sizeof(name), "child_%d", i);
		say(name, pid);
		snprintf(name, sizeof(name), "_%d", i);
		if (say_reaped_use(pid, name))
			return 1;
	}
	return 0;
}

/* a child: says it is ready, then waits for the signal that ends it */
static void __attribute__((noreturn)) ready_until_killed(int ready[2])
{
	close(ready[0]);
	if (write(ready[1], "r", 1) != 1)
		_exit(1);
	for (;;)
		pause();
}

static int killed(int sig)
{
	int ready[2];
	pid_t pid;
	char c;

	if (pipe(ready))
		return 1;
	pid = fork_or_die();
	if (pid == 0)
		ready_until_killed(ready);
	close(ready[1]);
	say("self", getpid());
	if (read(ready[0], &c, 1) != 1 || kill(pid, sig))
		return 1;
	return child_then_reap(pid);
}

static int killed_group(int n)
{
	int ready[2], failed = 0;
	pid_t group = 0;
	char c;

	if (pipe(ready))
		return 1;
	for (int i = 0; i < n; i++) {
		pid_t pid = fork_or_die();

		if (pid == 0)
			ready_until_killed(ready);
		if (!group)
			group = pid;
		/* here as well as nowhere else: the group is whole before the kill */
		if (setpgid(pid, group))
			return perror("setpgid"), 1;
		say("child", pid);
	}
	close(ready[1]);
	say("self", getpid());
	for (int i = 0; i < n; i++)
		if (read(ready[0], &c, 1) != 1)
			return 1;
	if (kill(-group, SIGTERM))
		return perror("kill"), 1;
	for (int i = 0; i < n; i++) {
		int status;

		while (wait(&status) < 0)
			if (errno != EINTR)
				return 1;
		failed += !WIFSIGNALED(status) || WTERMSIG(status) != SIGTERM;
	}
	return failed ? 1 : 0;
}

static int segv(void)
{
	pid_t pid = fork_or_die();

	if (pid == 0) {
		struct rlimit none = { 0, 0 };

		setrlimit(RLIMIT_CORE, &none);
		*(volatile int *)NULL = 1;
		_exit(1);
	}
	return child_then_reap(pid);
}

/* a write to a pipe nobody reads: the kernel's SIGPIPE (self: the child
 * sends itself one with kill(), which is its own doing) */
static int broken_pipe(bool self)
{
	int p[2];
	pid_t pid;

	if (pipe(p))
		return 1;
	close(p[0]);
	pid = fork_or_die();
	if (pid == 0) {
		signal(SIGPIPE, SIG_DFL);
		if (self)
			kill(getpid(), SIGPIPE);
		else if (write(p[1], "x", 1) < 0)
			_exit(1);
		_exit(2);
	}
	close(p[1]);
	say("self", getpid());
	return child_then_reap(pid);
}

static int exec_fail(void)
{
	pid_t pid = fork_or_die();

	if (pid == 0) {
		char plain[64];
		char *argv[] = { "missing", "one arg", NULL };
		int fd;

		execv("/nonexistent/proclife-missing", argv);
		snprintf(plain, sizeof(plain), "/tmp/proclife-noexec-%d", (int)getpid());
		fd = open(plain, O_CREAT | O_WRONLY | O_TRUNC, 0644);
		if (fd < 0)
			_exit(1);
		close(fd);
		argv[0] = "noexec";
		execv(plain, argv);
		unlink(plain);
		_exit(0);
	}
	return child_then_reap(pid);
}

/* a failed exec's arguments are read to 4096 bytes, each NUL counted:
 * the first fills them exactly, "more" is past them */
static int exec_fail_at_bound(void)
{
	pid_t pid = fork_or_die();

	if (pid == 0) {
		static char fills[4096];
		char *argv[] = { fills, "more", NULL };

		memset(fills, 'a', sizeof(fills) - 1);
		argv[1] = NULL;
		execv("/nonexistent/proclife-fills", argv);
		argv[1] = "more";
		execv("/nonexistent/proclife-past", argv);
		_exit(0);
	}
	return child_then_reap(pid);
}

static int exec_fail_at(void)
{
	pid_t pid = fork_or_die();

	if (pid == 0) {
		char plain[64];
		char *argv[] = { "at", "", "x", NULL }, *envp[] = { NULL };
		int dir = open("/tmp", O_PATH | O_DIRECTORY), file;

		if (dir < 0)
			_exit(1);
		say("dirfd", dir);
		syscall(SYS_execveat, dir, "proclife-missing-here", argv, envp, 0);
		snprintf(plain, sizeof(plain), "/tmp/proclife-noexec-at-%d", (int)getpid());
		file = open(plain, O_CREAT | O_RDWR | O_TRUNC, 0644);
		if (file < 0)
			_exit(1);
		unlink(plain);
		say("filefd", file);
		syscall(SYS_execveat, file, "", argv, envp, AT_EMPTY_PATH);
		syscall(SYS_execveat, dir, "/nonexistent/proclife-missing", argv, envp, 0);
		_exit(0);
	}
	return child_then_reap(pid);
}

/* a child that runs until it is killed */
static pid_t running_child(void)
{
	pid_t pid = fork_or_die();

	if (pid == 0) {
		for (;;)
			pause();
	}
	return pid;
}

/* n WNOHANG polls of pid, which runs: each finds nothing */
static int poll_running(pid_t pid, int n)
{
	int status;

	for (int i = 0; i < n; i++)
		if (waitpid(pid, &status, WNOHANG) != 0)
			return -1;
	return 0;
}

static void *exec_fork_exit(void *arg)
{
	(void)arg;
	execl("/proc/self/exe", "lifecycle", "fork-exit", "0", (char *)NULL);
	_exit(127);
}

static int thread_exec(int polls)
{
	pid_t pid = running_child();
	pthread_t t;

	say("child", pid);
	if (poll_running(pid, polls))
		return 1;
	kill(pid, SIGKILL);
	if (reap(pid) == -1)
		return 1;
	if (pthread_create(&t, NULL, exec_fork_exit, NULL))
		return 1;
	pthread_join(t, NULL); /* never returns: the exec ends this image */
	return 1;
}

#define LEAVES_THREADS 3

struct leaves {
	pid_t child;
	int polls;
	int done; /* threads through their polls */
};

/* until the main thread has ended: the process shows as a zombie */
static void wait_leader_gone(void)
{
	for (;;) {
		char buf[512], *state;
		FILE *f = fopen("/proc/self/stat", "r");
		size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

		if (f)
			fclose(f);
		buf[n] = 0;
		state = strrchr(buf, ')');
		if (state && state[1] == ' ' && state[2] == 'Z')
			return;
		sleep_ms(1);
	}
}

static void *polls_after_the_leader(void *arg)
{
	struct leaves *l = arg;

	wait_leader_gone();
	if (poll_running(l->child, l->polls))
		exit(1);
	if (__atomic_add_fetch(&l->done, 1, __ATOMIC_SEQ_CST) == LEAVES_THREADS) {
		kill(l->child, SIGKILL);
		exit(reap(l->child) == -1 ? 1 : 0);
	}
	for (;;)
		pause();
}

static int leader_leaves(int polls)
{
	static struct leaves l;
	pthread_t t;

	l.child = running_child();
	l.polls = polls;
	say("child", l.child);
	if (poll_running(l.child, polls))
		return 1;
	for (int i = 0; i < LEAVES_THREADS; i++)
		if (pthread_create(&t, NULL, polls_after_the_leader, &l))
			return 1;
	pthread_exit(NULL);
}

static void *ends_on_a_line(void *arg)
{
	char line[16];

	wait_leader_gone();
	say("leader_gone", 1);
	exit(fgets(line, sizeof(line), stdin) ? *(int *)arg : 100);
}

/* a process whose leader is gone while its other thread runs: a zombie
 * thread, not yet a zombie process */
static int leader_gone(int code)
{
	static int status;
	pthread_t t;

	status = code;
	say("self", getpid());
	if (pthread_create(&t, NULL, ends_on_a_line, &status))
		return 1;
	pthread_exit(NULL);
}

/* the followed one's rounds: a child that exits 7, its pid to the outsider */
static int reuse_rounds(int n, int go, int to_outsider, int from_outsider)
{
	char c;

	if (read(go, &c, 1) != 1)
		return 1;
	for (int i = 0; i < n; i++) {
		pid_t pid = fork_or_die(), taken;

		if (pid == 0)
			_exit(7);
		if (reap(pid) == -1 || write(to_outsider, &pid, sizeof(pid)) != sizeof(pid) ||
		    read(from_outsider, &taken, sizeof(taken)) != sizeof(taken))
			return 1;
	}
	return 0;
}

/* the next pid the kernel hands out: pid, if nothing else forks first */
static int take_pid_next(pid_t pid)
{
	int fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY);
	char b[32];
	int n = snprintf(b, sizeof(b), "%d", (int)pid - 1), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, b, (size_t)n) == n;
	close(fd);
	return ok ? 0 : -1;
}

static int reuse_outside(int n)
{
	int go[2], req[2], rep[2], reused = 0;
	char line[16];
	pid_t followed, pid;

	if (pipe(go) || pipe(req) || pipe(rep))
		return 1;
	followed = fork_or_die();
	if (followed == 0)
		_exit(reuse_rounds(n, go[0], req[1], rep[0]));
	say("followed", followed);
	if (!fgets(line, sizeof(line), stdin) || write(go[1], "g", 1) != 1)
		return 1;
	for (int i = 0; i < n && read(req[0], &pid, sizeof(pid)) == sizeof(pid); i++) {
		pid_t mine;

		if (take_pid_next(pid))
			return 1;
		mine = fork_or_die();
		if (mine == 0)
			_exit(42);
		reused += mine == pid;
		if (reap(mine) == -1 || write(rep[1], &mine, sizeof(mine)) != sizeof(mine))
			return 1;
	}
	say("reused", reused);
	return reap(followed) == 0 ? 0 : 1;
}

/* the waiter's counts are the tracer's to list at its end */
struct waiter {
	pid_t child;
	int polls, tracer, ready;
};

/* polls, says so, and stays until the tracer has ended (or a minute has
 * passed) */
static void *polls_and_stays(void *arg)
{
	struct waiter *w = arg;
	struct pollfd pfd = { .fd = w->tracer, .events = POLLIN };
	char c = (char)(poll_running(w->child, w->polls) ? 1 : 0);

	if (write(w->ready, &c, 1) != 1)
		_exit(1);
	close(w->ready);
	while (poll(&pfd, 1, 60000) < 0 && errno == EINTR)
		;
	kill(w->child, SIGKILL);
	_exit(0);
}

/* after its own polls the waiter's main thread ends (its counts go to
 * the hash by process) and a thread polls as many more */
static void *polls_after_the_waiters_leader(void *arg)
{
	wait_leader_gone();
	return polls_and_stays(arg);
}

static int waits_left(int polls, bool leader_leaves_first)
{
	static struct waiter w;
	int ready[2];
	pid_t waiter;
	char c = 0;

	w.tracer = (int)syscall(SYS_pidfd_open, getppid(), 0);
	if (w.tracer < 0 || pipe(ready))
		return 1;
	waiter = fork_or_die();
	if (waiter == 0) {
		pthread_t t;
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);

		close(ready[0]);
		/* it outlives the trace: the tracer's output is no longer its
		 * to hold open (whoever reads it would wait for it to end) */
		if (null < 0 || dup2(null, STDIN_FILENO) < 0 || dup2(null, STDOUT_FILENO) < 0 ||
		    dup2(null, STDERR_FILENO) < 0)
			_exit(1);
		w.child = running_child();
		w.polls = polls;
		w.ready = ready[1];
		if (!leader_leaves_first)
			polls_and_stays(&w);
		if (poll_running(w.child, polls) ||
		    pthread_create(&t, NULL, polls_after_the_waiters_leader, &w))
			_exit(1);
		pthread_exit(NULL);
	}
	close(ready[1]);
	say("waiter", waiter);
	if (read(ready[0], &c, 1) != 1 || c)
		return 1;
	return 0;
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";
	const char *arg = argc > 2 ? argv[2] : "0";

	if (!strcmp(what, "exit"))
		return atoi(arg);
	if (!strcmp(what, "sigkill"))
		return kill(getpid(), SIGKILL);
	if (!strcmp(what, "fork-exit"))
		return fork_exit(atoi(arg));
	if (!strcmp(what, "zombie"))
		return zombie(atol(arg));
	if (!strcmp(what, "orphan"))
		return orphan(0);
	if (!strcmp(what, "orphans"))
		return orphans(atoi(arg));
	if (!strcmp(what, "subreaper"))
		return orphan(1);
	if (!strcmp(what, "autoreap"))
		return autoreap();
	if (!strcmp(what, "autoreap-parent-ends"))
		return autoreap_parent_ends(atoi(arg));
	if (!strcmp(what, "thread"))
		return thread();
	if (!strcmp(what, "exec"))
		return exec_child(arg);
	if (!strcmp(what, "gate"))
		return gate(atoi(arg));
	if (!strcmp(what, "wait-first"))
		return wait_first(atoi(arg));
	if (!strcmp(what, "stop-cont"))
		return stop_cont(arg);
	if (!strcmp(what, "adopt-ignoring"))
		return adopt_ignoring(atoi(arg), false);
	if (!strcmp(what, "adopt-nocldwait"))
		return adopt_ignoring(atoi(arg), true);
	if (!strcmp(what, "adopted-exiting"))
		return adopted_exiting(arg, argc > 3 ? atoi(argv[3]) : 1);
	if (!strcmp(what, "reuse-before-free"))
		return reuse_before_free();
	if (!strcmp(what, "orphaned-twice"))
		return orphaned_twice();
	if (!strcmp(what, "exit-signal"))
		return exit_signal(atoi(arg));
	if (!strcmp(what, "exit-signal-polled"))
		return exit_signal_polled(atoi(arg));
	if (!strcmp(what, "thread-killed-core"))
		return thread_killed_dumps_core();
	if (!strcmp(what, "killed-by-exit-signal"))
		return killed_by_exit_signal(atoi(arg));
	if (!strcmp(what, "rename"))
		return rename_child(atol(arg));
	if (!strcmp(what, "clone-parent"))
		return clone_parent(atol(arg));
	if (!strcmp(what, "ptrace-stop"))
		return ptrace_stop(atol(arg));
	if (!strcmp(what, "double-fork-ignored"))
		return double_fork_ignored();
	if (!strcmp(what, "traced-zombie-adopted"))
		return traced_zombie_adopted(arg);
	if (!strcmp(what, "tracer-release"))
		return tracer_release(atol(arg));
	if (!strcmp(what, "ns-init-ends"))
		return ns_init_ends();
	if (!strcmp(what, "waitid-null"))
		return waitid_null(atol(arg));
	if (!strcmp(what, "io-uring-waitid"))
		return io_uring_waitid(atol(arg));
	if (!strcmp(what, "args"))
		return args(atoi(arg));
	if (!strcmp(what, "as-user"))
		return as_user(atoi(arg));
	if (!strcmp(what, "becomes-user"))
		return becomes_user(atoi(arg));
	if (!strcmp(what, "cgroup"))
		return cgroup(exec_to_exit_0);
	if (!strcmp(what, "moves-cgroup"))
		return cgroup(exit_0);
	if (!strcmp(what, "oom"))
		return oom();
	if (!strcmp(what, "burn"))
		return burn(atol(arg), argc > 3 ? atol(argv[3]) : 0);
	if (!strcmp(what, "burn-threads"))
		return burn_threads(atol(arg), argc > 3 ? atoi(argv[3]) : 0,
				    argc > 4 ? atol(argv[4]) : 0, argc > 5 ? atoi(argv[5]) : 1);
	if (!strcmp(what, "killed"))
		return killed(atoi(arg));
	if (!strcmp(what, "killed-group"))
		return killed_group(atoi(arg));
	if (!strcmp(what, "segv"))
		return segv();
	if (!strcmp(what, "exec-fail"))
		return exec_fail();
	if (!strcmp(what, "exec-fail-bound"))
		return exec_fail_at_bound();
	if (!strcmp(what, "exec-fail-at"))
		return exec_fail_at();
	if (!strcmp(what, "broken-pipe"))
		return broken_pipe(false);
	if (!strcmp(what, "sigpipe-self"))
		return broken_pipe(true);
	if (!strcmp(what, "thread-exec"))
		return thread_exec(atoi(arg));
	if (!strcmp(what, "leader-leaves"))
		return leader_leaves(atoi(arg));
	if (!strcmp(what, "leader-gone"))
		return leader_gone(atoi(arg));
	if (!strcmp(what, "reuse-outside"))
		return reuse_outside(atoi(arg));
	if (!strcmp(what, "waits-left"))
		return waits_left(atoi(arg), false);
	if (!strcmp(what, "waits-left-hash"))
		return waits_left(atoi(arg), true);
	fprintf(stderr, "usage: lifecycle exit|sigkill|fork-exit|zombie|orphan|subreaper|"
			"autoreap|autoreap-parent-ends|thread|exec|gate|wait-first|stop-cont|adopt-ignoring|adopt-nocldwait|"
			"adopted-exiting|reuse-before-free|orphaned-twice|exit-signal|killed-by-exit-signal|clone-parent|"
			"rename|ptrace-stop|tracer-release|traced-zombie-adopted|double-fork-ignored|ns-init-ends|waitid-null|io-uring-waitid|args|as-user|becomes-user|cgroup|moves-cgroup|oom|orphans|burn|killed|killed-group|segv|broken-pipe|sigpipe-self|"
			"exec-fail|exec-fail-bound|exec-fail-at|thread-exec|leader-leaves|leader-gone|reuse-outside|waits-left|waits-left-hash "
			"[ARG...]\n");
	return 2;
}
