// SPDX-License-Identifier: BSD-2-Clause
/*
 * The tracer: load, attach, stream events until told to stop, then
 * drain what is left and close the log with a trailer.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "capture/capture.h"
#include "core/output_file.h"
#include "core/pipeline.h"
#include "log/writer.h"
#include "service/service.h"
#include "tracer/follow.h"
#include "tracer/options.h"
#include "tracer/privileges.h"
#include "tracer/rotation.h"
#include "tracer/spawn.h"
#include "tracer/trace.h"
#include "util/clock.h"
#include "util/diag.h"
#include "util/names.h"
#include "util/version.h"

#define POLL_MS 50 /* reader's timer: the kernel wakes it only for big batches */

struct tracer {
	struct trace_opts o;
	struct pl_capture *cap;
	struct pipeline *pipe;
	FILE *out;
	struct pid_set followed;
	struct pid_set ancestors; /* of the followed subtree: their records are logged */
	__u32 root; /* followed process (-p or the command), 0: everything */
	struct run_as run_as; /* who the command runs as */
	unsigned long long lost[PL_EV_KINDS];
	struct rusage ru0; /* this process's CPU when it attached */
	unsigned long long t0; /* when tracing began */
	struct rotation rot; /* a JSONL log file: SIGUSR2 and --rotate move it on */
	struct service *service; /* metrics, systemd's notifications */
	bool out_failed; /* the output took no more */
	bool out_error;  /* and not because a reader closed its pipe */
};

static long long boot_to_wall_ns(void)
{
	struct timespec rt, bt;

	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_BOOTTIME, &bt);
	return ((long long)rt.tv_sec - bt.tv_sec) * 1000000000LL + (rt.tv_nsec - bt.tv_nsec);
}

/* processes already running: all of them, or those followed and, for a
 * command, its parent (this tracer) */
static bool show_proc(void *ctx, const struct pl_event *e)
{
	struct tracer *t = ctx;

	return !(t->o.pid || t->o.command) || pid_set_has(&t->followed, e->pid) ||
	       pid_set_has(&t->ancestors, e->pid);
}

/* pid's parent, from /proc (0 if gone) */
static __u32 parent_of(__u32 pid)
{
	char path[32], buf[512], *p;
	unsigned ppid = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%u/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	/* the command name may hold spaces and parentheses: skip to its end */
	if (fgets(buf, sizeof(buf), f) && (p = strrchr(buf, ')')))
		sscanf(p + 1, " %*c %u", &ppid);
	fclose(f);
	return ppid;
}

/* the followed subtree's ancestors, to init: their bootstrap records go in
 * the log so a replay knows whose child the subtree is */
static void note_ancestors(struct tracer *t, __u32 pid)
{
	for (int depth = 0; pid > 1 && depth < 64; depth++) {
		pid = parent_of(pid);
		if (pid)
			pid_set_add(&t->ancestors, pid);
	}
}

/* tree and summary: beside the events, never inside a JSONL stream */
static FILE *report_stream(const struct tracer *t)
{
	return t->o.output || t->o.format == TRACE_TEXT ? stdout : stderr;
}

static void on_stream_event(void *ctx, const struct pl_event *e)
{
	struct tracer *t = ctx;

	service_event(t->service, e);
}

static int on_event(void *ctx, const struct pl_event *e)
{
	struct tracer *t = ctx;

	pipeline_event(t->pipe, e);
	return 0;
}

/* losses show where they happened in the stream, not only at the end */
static void report_losses(struct tracer *t)
{
	unsigned long long lost[PL_EV_KINDS], stats[PL_STATS], now = boot_ns();

	pl_capture_counters(t->cap, lost, stats);
	pipeline_stats(t->pipe, stats);
	for (unsigned k = 0; k < PL_EV_KINDS; k++) {
		if (lost[k] == t->lost[k])
			continue;
		pipeline_lost(t->pipe, now, k, lost[k] - t->lost[k]);
		if (t->o.output)
			warning("%llu %s records lost: the ring buffer was full (try a larger --ring-kb)",
				lost[k] - t->lost[k], pl_kind_name(k));
		t->lost[k] = lost[k];
	}
}

/* 0, or -1 once the output takes no more. A closed pipe (`| head`) is how
 * a reader says it has seen enough: that ends the trace, but is no error */
static int flush_output(struct tracer *t)
{
	if (fflush(t->out) == 0 && !ferror(t->out))
		return 0;
	if (!t->out_failed) {
		t->out_failed = true;
		t->out_error = errno != EPIPE;
		if (t->out_error)
			error_errno("cannot write to '%s'", t->o.output ? t->o.output : "standard output");
	}
	return -1;
}

static void write_header(struct tracer *t, unsigned long long t0)
{
	struct utsname u;
	struct pl_log_header h = { 0 };

	uname(&u);
	h.tracer_version = pl_version;
	h.kernel = u.release;
	h.host = u.nodename;
	h.boot_to_wall_ns = boot_to_wall_ns();
	h.ts = t0;
	if (t->rot.part > 1) {
		h.part = t->rot.part;
		h.trace_start = t->t0;
	}
	h.command = t->o.command;
	h.follow_pid = t->o.pid;
	h.threads = t->o.threads;
	h.zombie_ms = t->o.zombie_ms;
	h.ring_kb = t->o.ring_kb;
	h.mechanisms = pl_capture_mechanisms(t->cap);
	h.wait_records = t->o.wait_records;
	if (t->o.format == TRACE_JSONL)
		jsonl_header(t->out, &h);
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
	sigaddset(&set, SIGUSR2);
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
	if (!t->run_as.set && geteuid() == 0)
		note("the command runs as root (-u USER runs it as someone else)");
	if (pl_capture_follow(t->cap, (__u32)getpid()))
		return -1;
	if (spawn_command(t->o.command, &t->run_as, cmd)) {
		pl_capture_unfollow(t->cap, (__u32)getpid());
		return -1;
	}
	pl_capture_unfollow(t->cap, (__u32)getpid());
	return pid_set_add(&t->followed, (__u32)cmd->pid) < 0 ? -1 : 0;
}

enum stop_request { GO_ON, STOP_NOW, INTERRUPTED };

/* reads pending signals: SIGUSR1 prints the tree so far, SIGUSR2 asks for
 * the log file to be reopened, SIGINT asks to stop (INTERRUPTED), the
 * others and a second SIGINT insist (STOP_NOW) */
static enum stop_request handle_signals(struct tracer *t, int sfd)
{
	struct signalfd_siginfo si;
	enum stop_request stop = GO_ON;

	while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGINT && stop == GO_ON) {
			stop = INTERRUPTED;
			continue;
		}
		if (si.ssi_signo == SIGUSR2) {
			if (t->rot.path)
				t->rot.requested = true;
			else
				warning("SIGUSR2 reopens a JSONL log file (-f jsonl -o FILE): ignored");
			continue;
		}
		if (si.ssi_signo != SIGUSR1) {
			stop = STOP_NOW;
			continue;
		}
		pl_capture_drain(t->cap);
		pipeline_tree_now(t->pipe, boot_ns());
		fflush(report_stream(t));
	}
	return stop;
}

/* the log moves on to a new file: this one's trailer, the next one's
 * header and the processes alive now, all between two reads of the ring,
 * so every record is in exactly one file */
static void rotate_log(struct tracer *t)
{
	FILE *next = rotation_next(&t->rot, t->out);
	unsigned long long now = boot_ns();

	if (!next)
		return;
	pipeline_end_part(t->pipe, now);
	output_close(t->out, t->o.output);
	t->out = next;
	write_header(t, now);
	pipeline_begin_part(t->pipe, next, now);
	rotation_began(&t->rot, next);
}

/* after the command is reaped, its last frees and orphans' ends still come */
#define LINGER_NS (250ULL * 1000000)
#define GRACE_NS (2ULL * 1000000000) /* for the command after a Ctrl-C */

/* until a signal, the duration or the command's end stops it: 0, or -1
 * after a runtime error it printed */
static int run_loop(struct tracer *t, int sfd, struct spawned *cmd, int *cmd_status)
{
	unsigned long long deadline = 0, linger = 0, grace = 0;
	struct epoll_event evs[4];
	int ep, n, ret = 0;

	if (t->o.duration > 0)
		deadline = boot_ns() + (unsigned long long)(t->o.duration * 1e9);
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0 || add_fd(ep, pl_capture_fd(t->cap)) || add_fd(ep, sfd) ||
	    (cmd->pid > 0 && add_fd(ep, cmd->pidfd)) ||
	    (service_fd(t->service) >= 0 && add_fd(ep, service_fd(t->service)))) {
		ret = error_errno("cannot set up the event loop");
		if (ep >= 0)
			close(ep);
		return ret;
	}
	for (;;) {
		unsigned long long now = boot_ns(), until = linger ? linger : deadline;
		bool stop = false;
		int timeout = POLL_MS;

		if (grace && !linger && (!until || grace < until))
			until = grace;
		if (until) {
			if (now >= until)
				break;
			if ((until - now) / 1000000 < (unsigned long long)timeout)
				timeout = (int)((until - now) / 1000000) + 1;
		}
		n = epoll_wait(ep, evs, 4, timeout);
		if (n < 0 && errno != EINTR) {
			ret = error_errno("cannot wait for events");
			break;
		}
		for (int i = 0; i < n; i++) {
			if (evs[i].data.fd == sfd) {
				enum stop_request r = handle_signals(t, sfd);

				/* Ctrl-C reaches the command too: its end is worth
				 * a moment, a second Ctrl-C is not kept waiting */
				if (r == INTERRUPTED && cmd->pid > 0 && !linger && !grace) {
					grace = boot_ns() + GRACE_NS;
					note("stopping: the command has %d s to end (Ctrl-C again to stop now)",
					     (int)(GRACE_NS / 1000000000ULL));
				} else if (r != GO_ON) {
					stop = true;
				}
			}
			if (cmd->pid > 0 && evs[i].data.fd == cmd->pidfd && !linger &&
			    waitpid(cmd->pid, cmd_status, 0) == cmd->pid) {
				/* reaping it here is what the trace shows as its reap */
				epoll_ctl(ep, EPOLL_CTL_DEL, cmd->pidfd, NULL);
				linger = boot_ns() + LINGER_NS;
			}
		}
		n = pl_capture_drain(t->cap);
		if (n < 0) {
			errno = -n;
			ret = error_errno("cannot read the ring buffer");
			break;
		}
		report_losses(t);
		pipeline_tick(t->pipe, boot_ns());
		if (flush_output(t)) {
			ret = t->out_error ? -1 : 0;
			break;
		}
		if (t->rot.path && rotation_due(&t->rot, t->out))
			rotate_log(t);
		/* after the ring is read: a scrape counts every record before it */
		service_serve(t->service, pipeline_model(t->pipe), t->root);
		if (stop || (linger && pipeline_followed_done(t->pipe)))
			break;
	}
	close(ep);
	return ret;
}

static struct pipeline *make_pipeline(struct tracer *t, unsigned long long t0)
{
	struct pipeline_opts po = {
		.events = t->out,
		.view = t->o.format == TRACE_JSONL ? PL_VIEW_JSONL :
			t->o.format == TRACE_TEXT ? PL_VIEW_TEXT : PL_VIEW_NONE,
		.report = report_stream(t),
		.threads = t->o.threads,
		.tree = t->o.tree,
		.summary = t->o.summary,
		.show = t->o.show,
		.zombie_ms = t->o.zombie_ms,
		.t0 = t0,
		.show_proc = show_proc,
		.tap = on_stream_event,
		.ctx = t,
		.export = t->o.format == TRACE_EXPORT ? t->o.export : NULL,
		.boot_to_wall_ns = boot_to_wall_ns(),
	};

	return pipeline_new(&po);
}

/* the process a thread id belongs to, from /proc; -1 if unknown */
static int tgid_of(int tid)
{
	char path[64], line[128];
	int tgid = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Tgid: %d", &tgid) == 1)
			break;
	fclose(f);
	return tgid;
}

static unsigned long long tv_ns(const struct timeval *tv)
{
	return (unsigned long long)tv->tv_sec * 1000000000ULL + (unsigned long long)tv->tv_usec * 1000;
}

/* what tracing cost this process since it attached, for the trailer */
static void tell_own_cpu(struct tracer *t)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		return;
	pipeline_tracer_cpu(t->pipe, tv_ns(&ru.ru_utime) - tv_ns(&t->ru0.ru_utime),
			    tv_ns(&ru.ru_stime) - tv_ns(&t->ru0.ru_stime));
}

static int trace_run(struct tracer *t)
{
	struct pl_capture_opts copts = {
		.btf_path = t->o.btf,
		.ring_kb = t->o.ring_kb,
		.follow_only = t->o.pid || t->o.command,
		.verbose = t->o.verbose,
		.mechanisms = t->o.mechanisms,
		.wait_records = t->o.wait_records,
	};
	struct spawned cmd = { .pid = -1, .pidfd = -1 };
	int sfd, cmd_status = -1, ret = EXIT_ERROR, tgid;
	bool started = false, failed;
	const char *what;
	unsigned long long t0, ring_records, ring_bytes;

	if (t->o.pid && kill(t->o.pid, 0) && errno == ESRCH) {
		error("no process with pid %d", t->o.pid);
		return EXIT_ERROR;
	}
	if (t->o.pid && (tgid = tgid_of(t->o.pid)) > 0 && tgid != t->o.pid) {
		error("%d is a thread of process %d: give -p %d", t->o.pid, tgid, tgid);
		return EXIT_ERROR;
	}
	if (t->o.command && run_as_resolve(t->o.user, &t->run_as))
		return EXIT_ERROR;
	if (t->o.format == TRACE_JSONL && t->o.output && strcmp(t->o.output, "-"))
		t->rot = (struct rotation){ .path = t->o.output, .bytes = t->o.service.rotate_bytes,
					    .keep = t->o.service.rotate_keep, .part = 1 };
	/* listening before anything is loaded: a port in use ends it here */
	t->service = service_start(t->o.service.metrics ? (struct sockaddr *)&t->o.service.metrics_addr :
				   NULL, t->o.service.metrics_addrlen, t->o.service.metrics);
	if (!t->service)
		return EXIT_ERROR;
	if (rotation_make_room(&t->rot)) {
		service_stop(t->service);
		return EXIT_ERROR;
	}
	t->out = output_open(t->o.output, t->o.force);
	if (!t->out) {
		service_stop(t->service);
		return EXIT_ERROR;
	}
	sfd = block_signals();
	if (sfd < 0) {
		error_errno("cannot set up signal handling");
		goto out;
	}
	if (pl_capture_open(&t->cap, &copts, on_event, t))
		goto out;
	t0 = t->t0 = boot_ns();
	if (t->o.format == TRACE_JSONL)
		write_header(t, t0);
	t->pipe = make_pipeline(t, t0);
	if (!t->pipe)
		goto out;
	if (t->o.pid) {
		t->root = (__u32)t->o.pid;
		pipeline_follow(t->pipe, t->root, boot_ns());
		if (start_following(t, &cmd))
			goto out;
	}
	if (t->o.command) {
		pid_set_add(&t->ancestors, (__u32)getpid());
		note_ancestors(t, (__u32)getpid());
	} else if (t->o.pid) {
		note_ancestors(t, (__u32)t->o.pid);
	}
	/* after attach: whatever is born meanwhile comes through the ring */
	if (pl_capture_snapshot(t->cap, on_event, t))
		goto out;
	if (t->o.command) {
		if (start_following(t, &cmd))
			goto out;
		t->root = (__u32)cmd.pid;
		pipeline_follow(t->pipe, t->root, boot_ns());
	}
	/* all the kernel side is set up: nothing from here on needs privilege */
	if (drop_privileges())
		goto out;
	getrusage(RUSAGE_SELF, &t->ru0);
	if (t->rot.path)
		rotation_began(&t->rot, t->out);
	/* whoever waits for "attached" finds the log begun: header and processes */
	fflush(t->out);
	what = t->o.command ? "the command" : t->o.pid ? "the subtree" : "every process";
	note("attached, tracing %s", what);
	service_ready(t->service, what);
	started = true;
	failed = run_loop(t, sfd, &cmd, &cmd_status) < 0;
	/* after a failure too: what the kernel wrote up to now, losses
	 * included, and the trailer that closes the log */
	pl_capture_drain(t->cap);
	report_losses(t);
	/* the waits of those still running, which no exit has told */
	pl_capture_wait_counts(t->cap, on_event, t, boot_ns());
	pl_capture_ring(t->cap, &ring_records, &ring_bytes);
	pipeline_ring(t->pipe, ring_records, ring_bytes);
	tell_own_cpu(t);
	if (pl_capture_unreadable(t->cap))
		warning("%llu records of the BPF side could not be read",
			pl_capture_unreadable(t->cap));
	failed |= pipeline_finish(t->pipe, boot_ns(), cmd_status) < 0;
	failed |= flush_output(t) && t->out_error;
	ret = failed ? EXIT_ERROR : 0;
out:
	if (cmd.pid > 0 && cmd_status < 0)
		note("command %d is still running", cmd.pid);
	if (cmd.pidfd >= 0)
		close(cmd.pidfd);
	service_stop(t->service);
	pl_capture_close(t->cap);
	pipeline_free(t->pipe);
	if (!started)
		output_discard(t->out); /* nothing was traced: no log to mistake for one */
	else if (output_close(t->out, t->o.output) && !ret)
		ret = EXIT_ERROR;
	pid_set_free(&t->followed);
	pid_set_free(&t->ancestors);
	if (sfd >= 0)
		close(sfd);
	return ret;
}

int trace(const struct trace_opts *o)
{
	struct tracer t = { .o = *o };

	return trace_run(&t);
}
