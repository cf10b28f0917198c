// SPDX-License-Identifier: BSD-2-Clause
/*
 * A stop passed on to the traced command's processes. The tracer shares the
 * command's process group, so that a Ctrl-C at the terminal reaches both;
 * a signal sent to the tracer alone, or a stop on a closed output, reaches
 * them from here instead, one process at a time, as the model knows them:
 * so the ring is read first, and what was forked before the stop but read
 * after it is told as it is read.
 */
#include <signal.h>
#include <unistd.h>
#include "tracer/pass_on.h"
#include "tracer/tracer.h"
#include "util/clock.h"

/* sig, and SIGCONT after it so that a stopped process gets it now (as
 * systemd stops a service) */
static void tell(pid_t pid, int sig)
{
	kill(pid, sig);
	kill(pid, SIGCONT);
}

/* one of the command's processes still in the tracer's process group */
static bool in_command_group(const struct pl_proc *q, pid_t group, pid_t self)
{
	return (q->flags & PL_P_FOLLOWED) && pl_proc_alive(q) && (pid_t)q->pid != self &&
	       getpgid((pid_t)q->pid) == group;
}

/* s->sig to those of the command's processes the model knows that were
 * forked before s->at and not told yet (none when s->sig is 0). Returns how
 * many there are, told now or not; *command: the command among them */
static size_t tell_untold(struct tracer *t, struct passed_on *s, bool *command)
{
	const struct pl_proc *q = NULL;
	pid_t group = getpgrp(), self = getpid();
	size_t n = 0;

	while ((q = pl_model_next(pipeline_model(t->pipe), q))) {
		/* a pid told before and now another process's: forked since */
		if (q->start >= s->at || pid_set_has(&s->told, q->pid) ||
		    !in_command_group(q, group, self))
			continue;
		if (s->sig) {
			tell((pid_t)q->pid, s->sig);
			pid_set_add(&s->told, q->pid); /* short of memory: told again later, at worst */
		}
		*command |= (pid_t)q->pid == t->cmd.pid;
		n++;
	}
	return n;
}

size_t pass_on(struct tracer *t, struct passed_on *s, int sig)
{
	bool command_told = false;
	size_t n;

	pl_capture_drain(t->cap); /* the forks the ring still holds */
	s->at = boot_ns(); /* after every fork the model knows now */
	s->sig = sig;
	n = tell_untold(t, s, &command_told);
	if (!command_told && t->cmd_status < 0) {
		if (sig)
			tell(t->cmd.pid, sig);
		n++;
	}
	return n;
}

size_t pass_on_missed(struct tracer *t, struct passed_on *s, int sig)
{
	const struct pl_proc *q = NULL;
	pid_t group = getpgrp(), self = getpid();
	size_t n = 0;

	pl_capture_drain(t->cap);
	while ((q = pl_model_next(pipeline_model(t->pipe), q))) {
		if ((q->start < s->at && q->exec_ts < s->at) || !in_command_group(q, group, self))
			continue;
		tell((pid_t)q->pid, sig);
		n++;
	}
	s->again = true;
	return n;
}

void pass_on_late(struct tracer *t, struct passed_on *s)
{
	bool command = false;

	if (s->sig)
		tell_untold(t, s, &command);
}

void passed_on_free(struct passed_on *s)
{
	pid_set_free(&s->told);
	*s = (struct passed_on){ 0 };
}
