/*
 * `proclife trace`: load, attach, stream events until told to stop, then
 * drain what is left and close the log with a trailer.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "capture/capture.h"
#include "commands.h"
#include "follow.h"
#include "output/jsonl.h"
#include "output/text.h"
#include "spawn.h"
#include "trace_opts.h"
#include "util/log.h"
#include "util/names.h"

#define POLL_MS 50 /* reader's timer: the kernel wakes it only for big batches */

struct tracer {
	struct trace_opts o;
	struct pl_capture *cap;
	FILE *out;
	struct pl_text text;
	struct pid_set followed;
	unsigned long long received[PL_EV_KINDS];
	unsigned long long lost[PL_EV_KINDS];
	unsigned long long stats[PL_STATS];
	bool bootstrapping;
	bool out_failed;
};

static unsigned long long boot_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec;
}

static long long boot_to_wall_ns(void)
{
	struct timespec rt, bt;

	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_BOOTTIME, &bt);
	return ((long long)rt.tv_sec - bt.tv_sec) * 1000000000LL + (rt.tv_nsec - bt.tv_nsec);
}

static bool shown(const struct tracer *t, const struct pl_event *e)
{
	if ((e->flags & PL_F_THREAD) && !t->o.threads)
		return false;
	/* processes already running: all of them, or those followed and,
	 * for a command, its parent (this tracer) */
	if (e->kind == PL_EV_PROC)
		return t->o.format == TRACE_JSONL &&
		       (!(t->o.pid || t->o.command) || pid_set_has(&t->followed, e->pid) ||
			(t->o.command && e->pid == (__u32)getpid()));
	return true;
}

static void emit(struct tracer *t, const struct pl_event *e)
{
	if (!shown(t, e))
		return;
	if (t->o.format == TRACE_JSONL)
		jsonl_event(t->out, e);
	else
		text_event(&t->text, e);
}

static int on_event(void *ctx, const struct pl_event *e)
{
	struct tracer *t = ctx;

	if (e->kind < PL_EV_KINDS)
		t->received[e->kind]++;
	emit(t, e);
	return 0;
}

/* losses show where they happened in the stream, not only at the end */
static void report_losses(struct tracer *t)
{
	unsigned long long lost[PL_EV_KINDS], now = boot_ns();

	pl_capture_counters(t->cap, lost, t->stats);
	for (unsigned k = 0; k < PL_EV_KINDS; k++) {
		if (lost[k] == t->lost[k])
			continue;
		if (t->o.format == TRACE_JSONL)
			jsonl_lost(t->out, now, k, lost[k] - t->lost[k]);
		else
			text_lost(&t->text, now, k, lost[k] - t->lost[k]);
		if (t->out != stderr && t->o.output)
			warning("%llu %s records lost: the ring buffer was full (try a larger --ring-kb)",
				lost[k] - t->lost[k], pl_kind_name(k));
		t->lost[k] = lost[k];
	}
}

static int flush_output(struct tracer *t)
{
	if (fflush(t->out) == 0 && !ferror(t->out))
		return 0;
	if (!t->out_failed) {
		t->out_failed = true;
		if (errno != EPIPE)
			error("cannot write to '%s': %s", t->o.output ? t->o.output : "standard output",
			      strerror(errno));
	}
	return -1;
}

static FILE *open_output(const char *path)
{
	FILE *f;
	int fd;

	if (!path)
		return stdout;
	/* not through a symlink someone else planted; private by default */
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		error("cannot open '%s' for writing: %s", path, strerror(errno));
		return NULL;
	}
	f = fdopen(fd, "w");
	if (!f) {
		error("cannot open '%s' for writing: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	return f;
}

static char *join_command(char **argv)
{
	size_t len = 1;
	char *s;

	for (char **a = argv; *a; a++)
		len += strlen(*a) + 1;
	s = calloc(1, len);
	if (!s)
		return NULL;
	for (char **a = argv; *a; a++) {
		if (a != argv)
			strcat(s, " ");
		strcat(s, *a);
	}
	return s;
}

static void write_header(struct tracer *t, unsigned long long t0)
{
	struct utsname u;
	struct pl_log_header h = { 0 };
	char *cmd = t->o.command ? join_command(t->o.command) : NULL;

	uname(&u);
	h.kernel = u.release;
	h.host = u.nodename;
	h.boot_to_wall_ns = boot_to_wall_ns();
	h.ts = t0;
	h.command = cmd;
	h.follow_pid = t->o.pid;
	h.threads = t->o.threads;
	h.zombie_ms = t->o.zombie_ms;
	h.ring_kb = t->o.ring_kb;
	if (t->o.format == TRACE_JSONL)
		jsonl_header(t->out, &h);
	else
		text_heading(&t->text);
	free(cmd);
}

static void write_end(struct tracer *t, int cmd_status)
{
	struct pl_log_trailer tr = { 0 };
	unsigned long long total = 0, lost = 0;

	tr.ts = boot_ns();
	memcpy(tr.events, t->received, sizeof(tr.events));
	memcpy(tr.lost, t->lost, sizeof(tr.lost));
	memcpy(tr.stats, t->stats, sizeof(tr.stats));
	tr.exit_status = cmd_status;
	for (unsigned k = 0; k < PL_EV_KINDS; k++) {
		total += t->received[k];
		lost += t->lost[k];
	}
	if (t->o.format == TRACE_JSONL)
		jsonl_trailer(t->out, &tr);
	if (t->o.summary) {
		FILE *f = t->o.format == TRACE_TEXT ? t->out : stderr;

		fprintf(f,
			"summary: %llu events: %llu forks, %llu execs, %llu exits, %llu zombies, "
			"%llu reaps, %llu reparents; %llu lost\n",
			total, t->received[PL_EV_FORK], t->received[PL_EV_EXEC],
			t->received[PL_EV_EXIT], t->received[PL_EV_ZOMBIE], t->received[PL_EV_REAP],
			t->received[PL_EV_REPARENT], lost);
	}
}

/* signals arrive through a descriptor, so the loop never runs a handler
 * between a record and its output */
static int block_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -1;
	signal(SIGPIPE, SIG_IGN);
	return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

static int add_fd(int ep, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

static int start_following(struct tracer *t, struct spawned *cmd)
{
	if (t->o.pid)
		return follow_subtree(t->cap, t->o.pid, &t->followed);
	if (!t->o.command)
		return 0;
	/* the kernel follows what a followed process forks: follow ourselves
	 * just long enough to fork the command */
	if (pl_capture_follow(t->cap, (__u32)getpid()))
		return -1;
	if (spawn_command(t->o.command, cmd)) {
		pl_capture_unfollow(t->cap, (__u32)getpid());
		return -1;
	}
	pl_capture_unfollow(t->cap, (__u32)getpid());
	return pid_set_add(&t->followed, (__u32)cmd->pid) < 0 ? -1 : 0;
}

/* reads pending signals; returns true when one asks to stop */
static bool handle_signals(struct tracer *t, int sfd)
{
	struct signalfd_siginfo si;
	bool stop = false;

	(void)t;
	while (read(sfd, &si, sizeof(si)) == sizeof(si))
		if (si.ssi_signo != SIGUSR1)
			stop = true;
	return stop;
}

static int run_loop(struct tracer *t, int sfd, struct spawned *cmd, int *cmd_status)
{
	unsigned long long deadline = 0;
	struct epoll_event evs[4];
	int ep, n;

	if (t->o.duration > 0)
		deadline = boot_ns() + (unsigned long long)(t->o.duration * 1e9);
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0 || add_fd(ep, pl_capture_fd(t->cap)) || add_fd(ep, sfd) ||
	    (cmd->pid > 0 && add_fd(ep, cmd->pidfd)))
		return error("cannot set up the event loop: %s", strerror(errno));
	for (;;) {
		bool stop = false;
		int timeout = POLL_MS;

		if (deadline) {
			unsigned long long now = boot_ns();

			if (now >= deadline)
				break;
			if ((deadline - now) / 1000000 < (unsigned long long)timeout)
				timeout = (int)((deadline - now) / 1000000) + 1;
		}
		n = epoll_wait(ep, evs, 4, timeout);
		if (n < 0 && errno != EINTR) {
			error("cannot wait for events: %s", strerror(errno));
			break;
		}
		for (int i = 0; i < n; i++) {
			if (evs[i].data.fd == sfd && handle_signals(t, sfd))
				stop = true;
			if (cmd->pid > 0 && evs[i].data.fd == cmd->pidfd) {
				/* reaping it here is what the trace shows as its reap */
				if (waitpid(cmd->pid, cmd_status, 0) == cmd->pid)
					stop = true;
			}
		}
		if (pl_capture_drain(t->cap) < 0)
			stop = true;
		report_losses(t);
		if (flush_output(t))
			stop = true;
		if (stop)
			break;
	}
	close(ep);
	return 0;
}

static int trace_run(struct tracer *t)
{
	struct pl_capture_opts copts = {
		.btf_path = t->o.btf,
		.ring_kb = t->o.ring_kb,
		.follow_only = t->o.pid || t->o.command,
		.verbose = t->o.verbose,
	};
	struct spawned cmd = { .pid = -1, .pidfd = -1 };
	int sfd, cmd_status = -1, ret = 1;
	unsigned long long t0;

	if (t->o.pid && kill(t->o.pid, 0) && errno == ESRCH)
		return error("no process with pid %d", t->o.pid), 1;
	t->out = open_output(t->o.output);
	if (!t->out)
		return 1;
	sfd = block_signals();
	if (sfd < 0) {
		error("cannot set up signal handling: %s", strerror(errno));
		goto out;
	}
	if (pl_capture_open(&t->cap, &copts, on_event, t))
		goto out;
	t0 = boot_ns();
	t->text = (struct pl_text){ .f = t->out, .color = !t->o.output && isatty(STDOUT_FILENO),
				    .t0 = t0 };
	write_header(t, t0);
	if (t->o.pid && start_following(t, &cmd))
		goto out;
	/* after attach: whatever is born meanwhile comes through the ring */
	if (pl_capture_snapshot(t->cap, on_event, t))
		goto out;
	if (!t->o.pid && start_following(t, &cmd))
		goto out;
	note("attached, tracing %s", t->o.command ? "the command" : t->o.pid ? "the subtree" :
				     "every process");
	if (run_loop(t, sfd, &cmd, &cmd_status))
		goto out;
	/* drain what the kernel wrote up to now, losses included */
	pl_capture_drain(t->cap);
	report_losses(t);
	write_end(t, cmd_status);
	ret = flush_output(t) && !t->out_failed ? 1 : 0;
	if (t->out_failed && errno == EPIPE)
		ret = 0;
out:
	if (cmd.pid > 0 && cmd_status < 0) {
		/* stopped early: the command is left running, as a traced program would be */
		note("command %d is still running", cmd.pid);
	}
	if (cmd.pidfd >= 0)
		close(cmd.pidfd);
	pl_capture_close(t->cap);
	if (t->out && t->out != stdout && fclose(t->out) && !ret)
		ret = error("cannot write to '%s': %s", t->o.output, strerror(errno)) ? 1 : 0;
	pid_set_free(&t->followed);
	if (sfd >= 0)
		close(sfd);
	return ret;
}

int cmd_trace(int argc, char **argv)
{
	struct tracer t = { 0 };
	int r = trace_parse(argc, argv, &t.o);

	if (r == TRACE_HELP)
		return 0;
	if (r)
		return r;
	return trace_run(&t);
}
