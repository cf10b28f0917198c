// SPDX-License-Identifier: BSD-2-Clause
/*
 * The tracer: load, attach, stream events until told to stop, then
 * drain what is left and close the log with a trailer.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "log/writer.h"
#include "service/service.h"
#include "tracer/btf_file.h"
#include "tracer/rotation.h"
#include "tracer/trace.h"
#include "tracer/tracer.h"
#include "util/clock.h"
#include "util/diag.h"
#include "util/proc_stat.h"
#include "util/stop_signals.h"
#include "util/sudo.h"
#include "util/version.h"

/* a trace's end waits this long at most for a reader to take what is left */
#define OUTPUT_END_MS 500

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
	char buf[512];
	const char *p = proc_stat_fields(pid, buf, sizeof(buf));
	unsigned ppid = 0;

	if (p)
		sscanf(p, "%*c %u", &ppid);
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

/* every event of the stream, before any is left out of the view */
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
	if (t->o.format != TRACE_JSONL)
		return;
	jsonl_header(output_stream(t->out), &h);
	/* out at once: a file killed before the next flush is a log all the
	 * same, not an empty file replay refuses (a failure is told as any
	 * write's is) */
	output_flush(t->out);
}

/* lines in the file log writes to */
static unsigned long long lines_in(struct output *log)
{
	char buf[65536];
	unsigned long long lines = 0;
	ssize_t n;

	for (off_t at = 0; (n = pread(output_fd(log), buf, sizeof(buf), at)) > 0; at += n)
		for (ssize_t i = 0; i < n; i++)
			lines += buf[i] == '\n';
	return lines;
}

/* the log was emptied where it lay (logrotate's copytruncate): what was
 * written since, with no header before it, is dropped and said, and the log
 * begins again in the same file */
static void restart_log(struct tracer *t)
{
	unsigned long long now = boot_ns(), dropped;

	output_flush(t->out);
	dropped = lines_in(t->out);
	warning("'%s' was emptied where it lay (logrotate's copytruncate): its copy ends with "
		"no trailer, and the log begins again in it (logrotate's nocreate and a SIGUSR2, "
		"as in the configuration proclife ships, lose nothing)", t->rot.path);
	if (dropped)
		warning("%llu lines written to '%s' since it was emptied are dropped", dropped,
			t->rot.path);
	pipeline_end_part(t->pipe, now, false);
	if (output_empty_file(t->out)) {
		error_errno("cannot empty '%s'", t->rot.path);
		t->failed = true;
	}
	t->rot.part++;
	write_header(t, now);
	pipeline_begin_part(t->pipe, output_stream(t->out), now);
	rotation_began(&t->rot, t->out);
}

/* the log moves on to a new file: this one's trailer, the next one's
 * header and the processes alive now, all between two reads of the ring,
 * so every record is in exactly one file */
void rotate_log(struct tracer *t)
{
	struct output *next;
	unsigned long long now = boot_ns();

	if (rotation_truncated(t->out)) {
		restart_log(t);
		return;
	}
	next = rotation_next(&t->rot, t->out);
	t->failed |= t->rot.failed;
	if (!next)
		return;
	output_append(next);
	pipeline_end_part(t->pipe, now, true);
	output_flush(t->out);
	t->write_ns_before += output_write_cpu_ns(t->out);
	if (output_close(t->out, 0, true))
		t->failed = true;
	t->out = next;
	write_header(t, now);
	pipeline_begin_part(t->pipe, output_stream(next), now);
	rotation_began(&t->rot, next);
}

/* --rotate moves files in the log's folder as the identity the log's
 * files are made as (sudo's user): asked before anything starts */
static int rotation_allowed(struct tracer *t)
{
	bool as_user;
	uid_t uid;
	gid_t gid;
	int err;

	as_user = t->rot.keep && sudo_user(&uid, &gid);
	if (as_user && files_as(uid, gid))
		return -1;
	err = rotation_folder_writable(&t->rot);
	if (as_user && files_as(0, 0))
		return -1;
	return err;
}

/* signals arrive through a descriptor, so the loop never runs a handler
 * between a record and its output */
static int block_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	stop_signals_add(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGCHLD); /* a child of its own to reap (reap_strays) */
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -1;
	signal(SIGPIPE, SIG_IGN);
	spawn_own_sigchld();
	return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

static int start_following(struct tracer *t, struct spawned *cmd)
{
	if (t->o.pid)
		return follow_subtree(t->cap, t->o.pid, &t->followed);
	if (!t->o.command)
		return 0;
	/* the kernel follows what a followed process forks: follow ourselves
	 * just long enough to fork the command */
	if (pl_capture_follow(t->cap, (__u32)getpid(), 0))
		return -1;
	/* a log or an export on standard output holds nothing but itself */
	if (spawn_command(t->o.command, &t->run_as,
			  output_is_stdout(t->out) && t->o.format != TRACE_TEXT, cmd)) {
		pl_capture_unfollow(t->cap, (__u32)getpid());
		return -1;
	}
	pl_capture_unfollow(t->cap, (__u32)getpid());
	if (!t->run_as.set && geteuid() == 0)
		note("the command runs as root (-u USER runs it as someone else)");
	return pid_set_add(&t->followed, (__u32)cmd->pid) < 0 ? -1 : 0;
}

static struct pipeline *make_pipeline(struct tracer *t, unsigned long long t0)
{
	struct pipeline_opts po = {
		.events = output_stream(t->out),
		.view = t->o.format == TRACE_JSONL ? PL_VIEW_JSONL :
			t->o.format == TRACE_TEXT ? PL_VIEW_TEXT : PL_VIEW_NONE,
		.report = output_stream(t->report),
		/* the standard error, where the tracer says what it does */
		.report_shared = t->report != t->out && !output_is_stdout(t->report),
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

	/* colour is decided on the descriptor behind the tree, summary and text
	 * view (their own stream, the output's, has none) */
	if (po.show.color == COLOR_AUTO)
		po.show.color = view_color(&po.show, output_std_stream(t->report)) ? COLOR_ALWAYS :
										  COLOR_NEVER;
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
	struct pl_tracer_cpu c = {
		.cpu_ns = cpu_ns(CLOCK_PROCESS_CPUTIME_ID) - t->cpu0,
		.write_ns = t->write_ns_before + output_write_cpu_ns(t->out),
	};
	struct rusage ru;

	if (!getrusage(RUSAGE_SELF, &ru)) {
		c.user_ns = tv_ns(&ru.ru_utime) - tv_ns(&t->ru0.ru_utime);
		c.sys_ns = tv_ns(&ru.ru_stime) - tv_ns(&t->ru0.ru_stime);
	}
	pipeline_tracer_cpu(t->pipe, &c);
}

/* the events where -o says; the tree and summary beside them: among
 * them in text mode, never inside a log or an export (on standard output,
 * or standard error when that carries the events) */
static int open_outputs(struct tracer *t)
{
	output_wait_for_reader_at_most(t->o.duration);
	t->out = output_open(t->o.output, t->o.force, true);
	if (!t->out)
		return -1;
	/* a file alone is rotated or reopened: a stream's name (/dev/stdout),
	 * a device's or a FIFO's is not the log's own to move */
	if (t->rot.path && !output_is_file(t->out)) {
		if (t->rot.bytes)
			return rotation_refused(t->rot.path);
		t->rot.path = NULL;
	}
	/* proclife's own messages and the command's go to standard error: a
	 * log or an export there would not read back */
	if (t->o.format != TRACE_TEXT &&
	    output_refuse_stderr(t->out, t->o.output,
				 t->o.format == TRACE_JSONL ? "a log" : "an export"))
		return -1;
	if (t->o.format == TRACE_EXPORT)
		output_whole_or_nothing(t->out, t->o.output);
	if (t->o.format == TRACE_TEXT) {
		t->report = t->out;
		return 0;
	}
	/* a log emptied where it lies goes on at its start, with no hole */
	if (t->rot.path)
		output_append(t->out);
	t->report = output_std(output_is_stdout(t->out) ? STDERR_FILENO : STDOUT_FILENO, true);
	return t->report ? 0 : -1;
}

/* what a trace's outputs hold once it ends: a failed export is removed (half
 * an export would pass for a whole one), a log keeps what it has (its lack
 * of a trailer says it was cut); nothing traced, nothing left */
static void close_outputs(struct tracer *t, bool started, bool export_failed)
{
	unsigned long long end = boot_ns() + OUTPUT_END_MS * 1000000ULL, now;

	if (!started || export_failed)
		output_discard(t->out);
	else if (output_close(t->out, OUTPUT_END_MS, t->o.format != TRACE_EXPORT))
		t->failed = true;
	if (t->report && t->report != t->out) {
		now = boot_ns();
		if (output_close(t->report, now < end ? (int)((end - now) / 1000000) : 0, true))
			t->failed = true;
	}
}

/* the tracer's failure, else the command's status as a shell gives it
 * (128 + N for a signal N); a trace that ended before its command did
 * ends as a signal that stopped it would have ended it */
static int exit_status(const struct tracer *t)
{
	if (t->failed)
		return t->cmd.unrunnable ? t->cmd.unrunnable : EXIT_ERROR;
	if (t->reader_left)
		return 0;
	if (t->cmd.pid <= 0) /* a command stopped before it started, as if interrupted */
		return t->o.command && t->stop_signal ? 128 + t->stop_signal : 0;
	if (t->cmd_status >= 0)
		return WIFSIGNALED(t->cmd_status) ? 128 + WTERMSIG(t->cmd_status) :
						    WEXITSTATUS(t->cmd_status);
	return t->stop_signal ? 128 + t->stop_signal : 0;
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
	int sfd = -1, tgid, err;
	uid_t uid;
	gid_t gid;
	bool started = false, export_failed = false;
	const char *what;
	unsigned long long t0, ring_records, ring_bytes;

	/* first: a stop asked for while the tracer starts waits in the
	 * descriptor, and is not lost to a SIGINT its shell left ignored */
	sfd = block_signals();
	if (sfd < 0) {
		error_errno("cannot set up signal handling");
		return EXIT_ERROR;
	}
	if (t->o.pid && kill(t->o.pid, 0) && errno == ESRCH) {
		error("no process with pid %d", t->o.pid);
		goto refused;
	}
	if (t->o.pid && (tgid = tgid_of(t->o.pid)) > 0 && tgid != t->o.pid) {
		error("%d is a thread of process %d: give -p %d", t->o.pid, tgid, tgid);
		goto refused;
	}
	if (t->o.command && (err = run_as_resolve(t->o.user, &t->run_as))) {
		close(sfd);
		return err; /* a user that is not: a usage error */
	}
	if (t->o.btf && btf_file_check(t->o.btf))
		goto refused;
	t->failed = true; /* until the trace has run */
	if (t->o.format == TRACE_JSONL && t->o.output && strcmp(t->o.output, "-"))
		t->rot = (struct rotation){ .path = t->o.output, .bytes = t->o.service.rotate_bytes,
					    .keep = t->o.service.rotate_keep, .part = 1 };
	/* listening before anything is loaded: a port in use ends it here */
	t->service = service_start(t->o.service.metrics ? (struct sockaddr *)&t->o.service.metrics_addr :
				   NULL, t->o.service.metrics_addrlen, t->o.service.metrics);
	if (!t->service)
		goto refused;
	/* only a file is rotated, and not one another tracer writes (making
	 * room holds it, or refuses) */
	if ((t->rot.bytes && rotation_not_a_file(t->rot.path)) || rotation_allowed(t) ||
	    rotation_make_room(&t->rot) || open_outputs(t))
		goto out;
	if (pl_capture_open(&t->cap, &copts, on_event, t))
		goto out;
	/* once the tracer can serve it: a kernel or user that refuses the
	 * programs ends the trace before */
	service_announce(t->service);
	if (t->o.show.filter.cgroup && !pl_capture_cgroup_there(t->cap, t->o.show.filter.cgroup))
		note("no cgroup %s is there now: --cgroup keeps the processes of one made later",
		     t->o.show.filter.cgroup);
	t0 = t->t0 = boot_ns();
	if (t->o.format == TRACE_JSONL)
		write_header(t, t0);
	t->pipe = make_pipeline(t, t0);
	if (!t->pipe)
		goto out;
	if (t->o.pid) {
		t->root = (__u32)t->o.pid;
		pipeline_follow(t->pipe, t->root, boot_ns());
		if (start_following(t, &t->cmd))
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
	if (t->o.pid && !pl_model_find(pipeline_model(t->pipe), (__u32)t->o.pid))
		warning("process %d ended before the trace attached: nothing of it is seen",
			t->o.pid);
	/* an output that takes nothing, or a stop asked meanwhile: the
	 * command is not started only to be stopped */
	if (t->o.command && output_flush(t->out)) {
		t->reader_left = output_reader_left(t->out);
		t->failed = !t->reader_left;
		goto out;
	}
	if (t->o.command && stop_signal_pending()) {
		note("stopped before the command started: it was not run");
		pipeline_follow_none(t->pipe);
	} else if (t->o.command) {
		if (start_following(t, &t->cmd))
			goto out;
		t->root = (__u32)t->cmd.pid;
		pipeline_follow(t->pipe, t->root, boot_ns());
	}
	/* all the kernel side is set up: nothing from here on needs privilege */
	if ((t->rot.path && sudo_user(&uid, &gid) && files_as(uid, gid)) || drop_privileges())
		goto out;
	getrusage(RUSAGE_SELF, &t->ru0);
	t->cpu0 = cpu_ns(CLOCK_PROCESS_CPUTIME_ID);
	if (t->rot.path)
		rotation_began(&t->rot, t->out);
	/* whoever waits for "attached" finds the log begun: header and processes */
	output_flush(t->out);
	what = t->o.command ? "the command" : t->o.pid ? "the subtree" : "every process";
	if (!t->o.command || t->cmd.pid > 0) { /* a command not run: the stop is next */
		note("attached, tracing %s", what);
		service_ready(t->service, what);
	}
	started = true;
	t->failed = false;
	run_loop(t, sfd);
	/* after a failure too: what the kernel wrote up to now, losses
	 * included, and the trailer that closes the log */
	pl_capture_drain(t->cap);
	report_losses(t, true);
	/* the waits of those still running, which no exit has told */
	pl_capture_wait_counts(t->cap, on_event, t, boot_ns());
	pl_capture_ring(t->cap, &ring_records, &ring_bytes);
	pipeline_ring(t->pipe, ring_records, ring_bytes);
	tell_own_cpu(t);
	output_flush(t->out);
	pipeline_lines_dropped(t->pipe, output_dropped_lines(t->out));
	if (pl_capture_unreadable(t->cap))
		warning("%llu records of the BPF side could not be read",
			pl_capture_unreadable(t->cap));
	export_failed = pipeline_finish(t->pipe, boot_ns(), t->cmd_status) < 0;
	t->failed |= export_failed;
out:
	if (t->cmd.pid > 0 && t->cmd_status < 0)
		note("command %d is still running", t->cmd.pid);
	if (t->cmd.pidfd >= 0)
		close(t->cmd.pidfd);
	service_stop(t->service);
	pl_capture_close(t->cap);
	pipeline_free(t->pipe);
	close_outputs(t, started, export_failed);
	pid_set_free(&t->followed);
	pid_set_free(&t->ancestors);
	close(sfd);
	return exit_status(t);
refused:
	close(sfd);
	return EXIT_ERROR;
}

int trace(const struct trace_opts *o)
{
	struct tracer t = { .o = *o, .cmd = { .pid = -1, .pidfd = -1 }, .cmd_status = -1 };

	return trace_run(&t);
}
