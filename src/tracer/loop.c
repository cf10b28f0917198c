// SPDX-License-Identifier: BSD-2-Clause
/*
 * The event loop: the ring buffer drained into the pipeline until a stop.
 * It waits for nothing but the kernel and signals: output goes to a queue
 * when its reader may stall (core/output_queue.h), so a signal or -d ends
 * the trace whatever the reader does.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>
#include "service/service.h"
#include "tracer/pass_on.h"
#include "tracer/tracer.h"
#include "util/clock.h"
#include "util/diag.h"
#include "util/names.h"

/* the reader's timer while records come: the kernel side wakes it only for
 * big batches (half the ring). Each wakeup costs the tracer some 70 us (its
 * caches refilled, a write() to the log), so a log is read in batches:
 * 200 ms took 25 ns a record off a fork storm's cost against 50 ms. The
 * text view, which someone watches, keeps 50 ms */
#define POLL_MS 200
#define VIEW_POLL_MS 50
#define QUIET_POLL_MS 800 /* its longest sleep, when nothing comes */
#define WOKEN_POLL_MS 5 /* woken by a record after a quiet spell: the rest of its burst soon */
/* after the command is reaped, its last frees and orphans' ends still come */
#define LINGER_NS (250ULL * 1000000)
#define GRACE_NS (2ULL * 1000000000) /* for the command after a stop is asked */
/* once nothing followed runs, for the reaps of its zombies: their parent
 * may be one the trace does not follow (init, a subreaper) that reaps
 * late or never, and the trace would wait for it for ever */
#define REAP_WAIT_NS (5ULL * 1000000000)

struct loop {
	unsigned long long deadline; /* -d, 0: none */
	unsigned long long linger;   /* once the command is reaped, 0: not yet or none */
	unsigned long long grace;    /* once the command was asked to stop, 0: not asked */
	bool signalled;              /* a signal asked for that stop, or since */
	bool output_gone;            /* the output takes no more */
	bool told_waiting;           /* for the command's descendants */
	unsigned long long reaps_due; /* nothing followed runs: the end of the wait for
				       * its zombies' reaps, 0: not waiting */
	bool timed_out;              /* -d ended the trace */
	bool stop;
	int poll_ms;                 /* the timer's period */
	int busy_ms;                 /* its period while records come */
	bool idle;                   /* the kernel side wakes the reader at the next record */
	struct passed_on passed;     /* the stop, as passed on to the command's processes */
};

/* runs the kernel skipped since the last report: said each time, as
 * losses are (where the view does not show them: the summary does) */
static void report_skipped_runs(struct tracer *t, unsigned long long skipped)
{
	if (skipped == PL_NOT_COUNTED || skipped <= t->skipped_runs)
		return;
	warning("the kernel skipped %llu runs of proclife's programs, one running on that CPU "
		"already: facts of any kind may be missing",
		skipped - t->skipped_runs);
	t->skipped_runs = skipped;
}

void report_losses(struct tracer *t, bool exact)
{
	unsigned long long lost[PL_EV_KINDS], stats[PL_STATS], now = boot_ns(), total = 0;
	char kinds[256] = "";
	int n = 0;

	pl_capture_counters(t->cap, lost, stats, exact);
	pipeline_stats(t->pipe, stats);
	for (unsigned k = 0; k < PL_EV_KINDS; k++) {
		if (lost[k] == t->lost[k])
			continue;
		pipeline_lost(t->pipe, now, k, lost[k] - t->lost[k]);
		total += lost[k] - t->lost[k];
		if (n < (int)sizeof(kinds))
			n += snprintf(kinds + n, sizeof(kinds) - (size_t)n, "%s%s %llu", n ? ", " : "",
				      pl_kind_name(k), lost[k] - t->lost[k]);
		t->lost[k] = lost[k];
	}
	/* one line per burst; none where the view shows them in place, on the
	 * terminal stderr goes to too */
	if (total && !(output_is_stdout(t->out) && isatty(STDOUT_FILENO) && isatty(STDERR_FILENO)))
		warning("%llu records lost (%s): the ring buffer was full (try a larger --ring-kb)",
			total, kinds);
	report_skipped_runs(t, stats[PL_STAT_RUNS_SKIPPED]);
}

/* the command's processes still run: it, or with --wait-descendants what
 * it started */
static bool command_runs(struct tracer *t)
{
	if (t->cmd.pid <= 0)
		return false;
	return t->cmd_status < 0 ||
	       (t->o.wait_descendants && !pipeline_followed_done(t->pipe));
}

/* what a stop waits for, and its verb: the command, or once it has
 * ended, with --wait-descendants, what it started */
static const char *waited_for(const struct tracer *t)
{
	return t->cmd_status < 0 ? "the command has" : "the processes the command started have";
}

/* a stop was asked (by signal sig, or 0 when the output took no more):
 * the command is given a moment to end, as after a Ctrl-C; a second
 * signal, or a stop with nothing to wait for, is at once */
static void ask_stop(struct tracer *t, struct loop *l, int sig, bool command_has_it)
{
	/* a hangup comes twice when a terminal closes (from its shell, then
	 * from the kernel): it is no asking again */
	bool again = l->grace && sig && sig != SIGHUP && l->signalled;

	if (sig && !t->stop_signal)
		t->stop_signal = sig;
	l->signalled |= sig != 0;
	/* a second signal stops now; the output lost is no asking, so a
	 * terminal's hangup, which brings both, gives the command its time */
	if (again || !command_runs(t)) {
		l->stop = true;
		return;
	}
	if (l->grace)
		return;
	/* what the command started that left its process group (a daemon)
	 * is told nothing, so nothing is waited for */
	if (!pass_on(t, &l->passed, command_has_it ? 0 : sig ? sig : SIGINT)) {
		size_t zombies;

		if (pipeline_followed_left(t->pipe, &zombies))
			note("stopping: the processes the command started left its process group, "
			     "and are not told to stop");
		else
			note("stopping: the processes the command started have ended; their reaps are "
			     "not waited for");
		l->stop = true;
		return;
	}
	l->grace = boot_ns() + GRACE_NS;
	if (sig == SIGHUP)
		note("stopping on a hangup: %s %d s to end", waited_for(t),
		     (int)(GRACE_NS / 1000000000ULL));
	else if (sig)
		note("stopping: %s %d s to end (%s%s again to stop now)", waited_for(t),
		     (int)(GRACE_NS / 1000000000ULL), sig == SIGINT ? "Ctrl-C" : "SIG",
		     sig == SIGINT ? "" : sigabbrev_np(sig));
}

/* the grace is over and the command runs on: those of its processes that
 * may have missed the stop (forked or exec'd since it came) are told now,
 * once, and given the same time again. Returns whether the trace waits */
static bool stop_the_missed(struct tracer *t, struct loop *l)
{
	/* none was passed on where the terminal's signal reached them: that one */
	int sig = l->passed.sig ? l->passed.sig : t->stop_signal;
	size_t n;

	if (l->passed.again || !command_runs(t))
		return false;
	n = pass_on_missed(t, &l->passed, sig);
	if (!n)
		return false;
	note("%s not ended in %d s: the stop is passed on again to %zu %s forked or exec'd "
	     "since it came; %d s more", waited_for(t), (int)(GRACE_NS / 1000000000ULL), n,
	     n == 1 ? "process" : "processes", (int)(GRACE_NS / 1000000000ULL));
	l->grace = boot_ns() + GRACE_NS;
	return true;
}

/* children of this process other than the command (the command made them
 * its siblings with CLONE_PARENT) are this process's to reap, as a shell
 * reaps whatever child it has: reaped as they end, which the trace shows;
 * the command is reaped on its own. One ended child is looked at, and
 * left, at a time: this process has no other children to wait for, and
 * none at all without a command */
static void reap_strays(struct tracer *t)
{
	while (t->cmd.pid > 0) {
		siginfo_t si = { 0 };

		if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) || !si.si_pid ||
		    si.si_pid == t->cmd.pid || waitpid(si.si_pid, NULL, WNOHANG) != si.si_pid)
			return;
	}
}

/* pending signals: SIGUSR1 prints the tree so far, SIGUSR2 asks for the
 * log file to be reopened, the others ask to stop */
static void handle_signals(struct tracer *t, struct loop *l, int sfd)
{
	struct signalfd_siginfo si;

	while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGCHLD)
			continue; /* a wakeup: the loop reaps what ended (reap_strays) */
		if (si.ssi_signo == SIGUSR2) {
			if (t->rot.path)
				t->rot.requested = true;
			else
				warning("SIGUSR2 reopens a JSONL log file (-f jsonl -o FILE): ignored");
			continue;
		}
		if (si.ssi_signo != SIGUSR1) {
			/* the terminal's Ctrl-C or hangup reached the command's
			 * process group already; one sent with kill did not, nor
			 * a hangup of a terminal the tracer leads the session of
			 * (the kernel tells its leader alone) */
			ask_stop(t, l, (int)si.ssi_signo,
				 si.ssi_code == SI_KERNEL &&
					 !(si.ssi_signo == SIGHUP && getsid(0) == getpid()));
			continue;
		}
		pl_capture_drain(t->cap);
		pipeline_tree_now(t->pipe, boot_ns());
		output_flush(t->report);
	}
}

static int add_fd(int ep, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

/* a reader of the output that leaves (a pipe closed at its other end, a
 * terminal hung up) is an error event on its descriptor: seen while the
 * trace is quiet and nothing is written, not only at the next write */
static int watch_reader(int ep, const struct output *o)
{
	struct epoll_event ev = { .events = 0, .data.fd = output_fd(o) };

	return output_may_stall(o) ? epoll_ctl(ep, EPOLL_CTL_ADD, ev.data.fd, &ev) : 0;
}

/* the earlier of two deadlines, 0 standing for none */
static unsigned long long earlier(unsigned long long a, unsigned long long b)
{
	return !a ? b : !b ? a : a < b ? a : b;
}

/* the command has ended: reaped here, which the trace shows as its reap */
static void reap_command(struct tracer *t, struct loop *l, int ep)
{
	if (waitpid(t->cmd.pid, &t->cmd_status, WNOHANG) != t->cmd.pid)
		return;
	epoll_ctl(ep, EPOLL_CTL_DEL, t->cmd.pidfd, NULL);
	if (!t->o.wait_descendants)
		l->linger = boot_ns() + LINGER_NS;
}

/* the command has ended before what it started: what is left, and why
 * the trace does not wait for it */
static void say_left(struct tracer *t)
{
	size_t zombies, running = pipeline_followed_left(t->pipe, &zombies);
	bool waited = t->o.wait_descendants; /* and stopped before the end */

	if (running)
		note("the command has ended; processes it started still run%s",
		     waited ? "" : " (--wait-descendants waits for them)");
	else if (zombies)
		note("the command has ended; %zu %s it started %s not reaped yet%s", zombies,
		     zombies == 1 ? "process" : "processes",
		     zombies == 1 ? "has ended and is" : "have ended and are",
		     waited ? "" : " (--wait-descendants waits for the reap)");
}

/* everything followed has ended: the command's processes after it was
 * reaped, or -p's process and its descendants, reaped too (their reaps
 * are what the trace is for: the wait for them is said once, and lasts
 * at most REAP_WAIT_NS) */
static bool followed_ended(struct tracer *t, struct loop *l, unsigned long long now)
{
	int wait_s = (int)(REAP_WAIT_NS / 1000000000ULL);
	size_t zombies, running;

	if (t->cmd.pid > 0 && t->cmd_status < 0)
		return false;
	if (!t->o.pid && t->cmd.pid <= 0)
		return false; /* the whole machine */
	running = pipeline_followed_left(t->pipe, &zombies);
	if (running) {
		l->reaps_due = 0;
		return false;
	}
	if (zombies && !l->reaps_due) {
		l->reaps_due = now + REAP_WAIT_NS;
		if (t->o.pid)
			note("process %d and its descendants have all ended; waiting up to %d s "
			     "for the reap of %zu %s (Ctrl-C stops)", t->o.pid, wait_s, zombies,
			     zombies == 1 ? "zombie" : "zombies");
	}
	if (zombies && now < l->reaps_due)
		return false;
	if (zombies && t->o.pid)
		note("process %d and its descendants have all ended; %zu %s not reaped in %d s: "
		     "stopping", t->o.pid, zombies, zombies == 1 ? "zombie" : "zombies", wait_s);
	else if (zombies)
		note("the processes the command started have ended; %zu %s not reaped in %d s: "
		     "stopping", zombies, zombies == 1 ? "zombie" : "zombies", wait_s);
	else if (t->o.pid)
		note("process %d and its descendants have all ended", t->o.pid);
	return true;
}

static void after_output_failed(struct tracer *t, struct loop *l)
{
	l->output_gone = true;
	t->reader_left = output_reader_left(t->out);
	t->failed |= !t->reader_left;
	/* nothing more can be written: the command is stopped as on Ctrl-C */
	ask_stop(t, l, 0, false);
}

static void set_idle(struct tracer *t, struct loop *l, bool idle)
{
	if (l->idle != idle)
		pl_capture_reader_idle(t->cap, idle);
	l->idle = idle;
}

/*
 * Reads the ring, and sets the timer's next period: busy_ms while records
 * come (the kernel side wakes the reader only for big batches). After a
 * quiet round the kernel side wakes it at the next record instead, and the
 * timer slows to QUIET_POLL_MS, so an idle host does not wake its tracer
 * several times a second for nothing while the first lines after a quiet
 * spell still come at once. Returns the records read, or <0.
 */
static int drain(struct tracer *t, struct loop *l)
{
	int n = pl_capture_drain(t->cap);

	if (n < 0)
		return n;
	if (n > 0) {
		l->poll_ms = l->idle ? WOKEN_POLL_MS : l->busy_ms;
		set_idle(t, l, false);
		return n;
	}
	if (l->idle) {
		l->poll_ms = QUIET_POLL_MS;
		return 0;
	}
	set_idle(t, l, true);
	/* a program that read the flag just before it was set wakes nobody:
	 * its record is read here, or in one short period */
	l->poll_ms = WOKEN_POLL_MS;
	n = pl_capture_drain(t->cap);
	if (n > 0)
		set_idle(t, l, false);
	return n;
}

/* timeout_ms, or less to wake at due (0: none) */
static int until(unsigned long long due, unsigned long long now, int timeout_ms)
{
	unsigned long long ms;

	if (!due)
		return timeout_ms;
	ms = due > now ? (due - now) / 1000000 + 1 : 1;
	return ms < (unsigned long long)timeout_ms ? (int)ms : timeout_ms;
}

/* how long to sleep: the timer's period, less if a tick has work sooner
 * (a zombie reaching its threshold, a burst of alike lines ending) */
static int sleep_ms(struct tracer *t, const struct loop *l, unsigned long long now)
{
	return until(pipeline_next_due(t->pipe), now, l->poll_ms);
}

void run_loop(struct tracer *t, int sfd)
{
	int busy_ms = t->o.format == TRACE_TEXT ? VIEW_POLL_MS : POLL_MS;
	struct loop l = { .poll_ms = busy_ms, .busy_ms = busy_ms };
	struct epoll_event evs[4];
	int ep, n;

	if (t->o.duration > 0)
		l.deadline = boot_ns() + (unsigned long long)(t->o.duration * 1e9);
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0 || add_fd(ep, pl_capture_fd(t->cap)) || add_fd(ep, sfd) ||
	    (t->cmd.pid > 0 && add_fd(ep, t->cmd.pidfd)) ||
	    (service_fd(t->service) >= 0 && add_fd(ep, service_fd(t->service))) ||
	    watch_reader(ep, t->out)) {
		error_errno("cannot set up the event loop");
		t->failed = true;
		if (ep >= 0)
			close(ep);
		return;
	}
	while (!l.stop) {
		unsigned long long now = boot_ns(), u = earlier(l.deadline, earlier(l.linger, l.grace));
		int timeout = sleep_ms(t, &l, now), serve_ms = service_wait_ms(t->service);

		if (u && now >= u) {
			if (u == l.grace && stop_the_missed(t, &l))
				continue;
			l.timed_out = u == l.deadline;
			if (u == l.grace && command_runs(t))
				note("%s not ended in %d s: stopping without %s", waited_for(t),
				     (int)(GRACE_NS / 1000000000ULL), t->cmd_status < 0 ? "it" : "them");
			break;
		}
		timeout = until(earlier(u, l.reaps_due), now, timeout);
		if (serve_ms >= 0 && serve_ms < timeout)
			timeout = serve_ms; /* a request read in part, a connection to close */
		n = epoll_wait(ep, evs, 4, timeout);
		if (n < 0 && errno != EINTR) {
			error_errno("cannot wait for events");
			t->failed = true;
			break;
		}
		for (int i = 0; i < n; i++) {
			if (evs[i].data.fd == sfd)
				handle_signals(t, &l, sfd);
			else if (t->cmd.pid > 0 && evs[i].data.fd == t->cmd.pidfd)
				reap_command(t, &l, ep);
			else if (evs[i].data.fd == output_fd(t->out) && !l.output_gone) {
				epoll_ctl(ep, EPOLL_CTL_DEL, evs[i].data.fd, NULL);
				output_reader_gone(t->out);
				after_output_failed(t, &l);
			}
		}
		reap_strays(t); /* before the drain: its reap is read with the rest */
		n = drain(t, &l);
		if (n < 0) {
			errno = -n;
			error_errno("cannot read the ring buffer");
			t->failed = true;
			break;
		}
		if (l.grace)
			pass_on_late(t, &l.passed);
		report_losses(t, false);
		pipeline_tick(t->pipe, boot_ns());
		if (!l.output_gone && output_flush(t->out))
			after_output_failed(t, &l);
		if (!l.output_gone && t->rot.path && rotation_due(&t->rot, t->out))
			rotate_log(t);
		/* after the ring is read: a scrape counts every record before it */
		service_serve(t->service, pipeline_model(t->pipe), t->root);
		if (followed_ended(t, &l, boot_ns()))
			break;
		if (t->o.wait_descendants && t->cmd_status >= 0 && !l.told_waiting) {
			note("the command has ended; waiting for the processes it started "
			     "(--wait-descendants)");
			l.told_waiting = true;
		}
	}
	/* what is left once the command has ended: after the linger, or when
	 * -d cut a --wait-descendants wait short (a signal's stop says it) */
	if ((l.linger && !l.stop) ||
	    (l.timed_out && t->o.wait_descendants && t->cmd.pid > 0 && t->cmd_status >= 0))
		say_left(t);
	passed_on_free(&l.passed);
	close(ep);
}
