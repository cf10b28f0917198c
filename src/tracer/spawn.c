// SPDX-License-Identifier: BSD-2-Clause
#include <errno.h>
#include <malloc.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tracer/spawn.h"
#include "util/diag.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

/* exec's ENOENT for a script that is there: its "#!" names a program that
 * is not (the interpreter into buf); false when that is not the case */
static bool interpreter_missing(const char *path, char *buf, size_t len)
{
	FILE *f;
	bool found = false;

	if (!strchr(path, '/') || !(f = fopen(path, "re")))
		return false;
	if (fgets(buf, (int)len, f) && !strncmp(buf, "#!", 2)) {
		size_t skip = 2 + strspn(buf + 2, " \t");

		memmove(buf, buf + skip, strlen(buf + skip) + 1);
		buf[strcspn(buf, " \t\n")] = 0;
		found = buf[0] != 0;
	}
	fclose(f);
	return found;
}

/* what the child could not do, sent back through the pipe */
enum child_step { STEP_OUTPUT, STEP_USER, STEP_EXEC };

struct child_failure {
	int step; /* enum child_step */
	int err;
};

/*
 * execvp's search of PATH, without an execve per directory: each would be a
 * failed exec of the traced command in the log. The file is looked for as
 * the user the command runs as; an exec of it that fails as execvp would
 * go on past (EACCES, ENOENT, ENOTDIR) goes on to the next directory.
 */
static void exec_searching(char **argv)
{
	const char *dirs = getenv("PATH"), *at, *end;
	char file[PATH_MAX];
	bool denied = false;
	struct stat st;
	int n;

	if (!*argv[0] || strchr(argv[0], '/')) {
		execvp(argv[0], argv);
		return;
	}
	for (at = dirs ? dirs : "/bin:/usr/bin";; at = end + 1) {
		end = strchrnul(at, ':');
		/* an empty entry is the working directory, as execvp has it */
		n = end > at ? snprintf(file, sizeof(file), "%.*s/%s", (int)(end - at), at, argv[0])
			     : snprintf(file, sizeof(file), "./%s", argv[0]);
		if (n > 0 && (size_t)n < sizeof(file) && !stat(file, &st) && S_ISREG(st.st_mode)) {
			/* execvp of a path: no search, and a script with no
			 * "#!" run by the shell, as execvp does it */
			if (!access(file, X_OK))
				execvp(file, argv);
			if (errno != EACCES && errno != ENOENT && errno != ENOTDIR)
				return;
			denied |= errno == EACCES;
		}
		if (!*end) {
			errno = denied ? EACCES : ENOENT;
			return;
		}
	}
}

/* SIGCHLD as the tracer was given it, for the command (spawn_own_sigchld) */
static struct sigaction given_sigchld = { .sa_handler = SIG_DFL };

void spawn_own_sigchld(void)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };

	sigemptyset(&dfl.sa_mask);
	if (sigaction(SIGCHLD, &dfl, &given_sigchld))
		given_sigchld.sa_handler = SIG_DFL;
}

/* the child: default signal handling back (SIGCHLD as given), then exec;
 * errno goes back through a close-on-exec pipe if exec fails */
static void __attribute__((noreturn)) run_child(char **argv, const struct run_as *r,
						 bool stdout_to_stderr, int errfd)
{
	struct child_failure f;
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	/* ignored is all that crosses an exec (the tracer's own, too) */
	if (given_sigchld.sa_handler == SIG_IGN)
		signal(SIGCHLD, SIG_IGN);
	if (stdout_to_stderr && dup2(STDERR_FILENO, STDOUT_FILENO) != STDOUT_FILENO)
		f.step = STEP_OUTPUT;
	else if (run_as_become(r))
		f.step = STEP_USER;
	else {
		f.step = STEP_EXEC;
		exec_searching(argv); /* returns only if it failed */
	}
	f.err = errno;
	if (write(errfd, &f, sizeof(f)) < 0)
		_exit(127);
	_exit(127);
}

/*
 * The BPF maps this process has mapped (the ring buffer twice over, 4 MiB
 * by default) are kept from the child: a fork copies such a mapping whole,
 * and the command's peak memory, which the kernel carries across exec,
 * would count them as its own. What cannot be marked stays: the count is
 * then higher, never lower.
 */
static void keep_maps_from_child(void)
{
	FILE *f = fopen("/proc/self/maps", "re");
	char line[512];

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned long from, to;

		if (strstr(line, "anon_inode:bpf-map") && sscanf(line, "%lx-%lx", &from, &to) == 2)
			madvise((void *)from, to - from, MADV_DONTFORK);
	}
	fclose(f);
	/* and the heap's free pages go back to the kernel: the child's copy
	 * of the heap counts what is resident */
	malloc_trim(0);
}

int spawn_command(char **argv, const struct run_as *r, bool stdout_to_stderr,
		  struct spawned *out)
{
	struct child_failure f;
	int pipefd[2], err;
	ssize_t n;
	pid_t pid;

	out->unrunnable = 0;
	keep_maps_from_child();
	if (pipe2(pipefd, O_CLOEXEC))
		return error_errno("cannot create a pipe");
	pid = fork();
	if (pid < 0) {
		err = errno;
		close(pipefd[0]);
		close(pipefd[1]);
		errno = err;
		return error_errno("cannot fork");
	}
	if (pid == 0) {
		close(pipefd[0]);
		run_child(argv, r, stdout_to_stderr, pipefd[1]);
	}
	close(pipefd[1]);
	/* EOF means exec succeeded */
	do
		n = read(pipefd[0], &f, sizeof(f));
	while (n < 0 && errno == EINTR);
	close(pipefd[0]);
	if (n == sizeof(f)) {
		char interp[256];

		waitpid(pid, NULL, 0);
		errno = f.err;
		/* not the command's fault: it never ran */
		if (f.step == STEP_OUTPUT)
			return error_errno("cannot give '%s' the standard error as its output",
					   argv[0]);
		if (f.step == STEP_USER)
			return error_errno("cannot become uid %u to run '%s'", (unsigned)r->uid,
					   argv[0]);
		/* as a shell, env and timeout say it: not found, or not runnable */
		out->unrunnable = f.err == ENOENT ? 127 : 126;
		if (f.err == ENOENT && interpreter_missing(argv[0], interp, sizeof(interp)))
			return error("cannot run '%s': its interpreter '%s' was not found", argv[0],
				     interp);
		errno = f.err;
		if (r->set)
			return error_errno("cannot run '%s' as uid %u", argv[0], (unsigned)r->uid);
		return error_errno("cannot run '%s'", argv[0]);
	}
	out->pid = pid;
	out->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (out->pidfd < 0) {
		err = errno;
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		errno = err;
		return error_errno("cannot watch process %d", pid);
	}
	return 0;
}
