/* SPDX-License-Identifier: BSD-2-Clause */
/* What the tracer's setup (trace.c) and its event loop (loop.c) share. */
#ifndef PL_TRACER_H
#define PL_TRACER_H

#include <stdbool.h>
#include <sys/resource.h>
#include "capture/capture.h"
#include "core/output.h"
#include "core/pipeline.h"
#include "tracer/follow.h"
#include "tracer/options.h"
#include "tracer/privileges.h"
#include "tracer/rotation.h"
#include "tracer/spawn.h"

struct service;

struct tracer {
	struct trace_opts o;
	struct pl_capture *cap;
	struct pipeline *pipe;
	struct output *out;    /* the events */
	struct output *report; /* tree and summary: out itself in text mode */
	struct pid_set followed;
	struct pid_set ancestors; /* of the followed subtree: their records are logged */
	__u32 root; /* followed process (-p or the command), 0: everything */
	struct run_as run_as; /* who the command runs as */
	struct spawned cmd;   /* pid -1: no command */
	int cmd_status;       /* its wait status once reaped, -1 before */
	int stop_signal;      /* the signal that ended the trace, 0 */
	bool reader_left;     /* the output's reader closed it: no error */
	bool failed;          /* a runtime error was said */
	unsigned long long lost[PL_EV_KINDS];
	unsigned long long skipped_runs; /* runs the kernel skipped, as last said */
	struct rusage ru0;    /* this process's CPU when it attached */
	unsigned long long cpu0; /* the same, exact */
	unsigned long long write_ns_before; /* CPU inside write() to the log files rotated away */
	unsigned long long t0; /* when tracing began */
	struct rotation rot;  /* a JSONL log file: SIGUSR2 and --rotate move it on */
	struct service *service; /* metrics, systemd's notifications */
};

/* streams events until a signal, -d, the end of what is followed or of
 * the output stops it; failures are said and set t->failed */
void run_loop(struct tracer *t, int sfd);
/* the log moves on to a new file (rotation), between two reads of the ring */
void rotate_log(struct tracer *t);
/* the ring's losses since the last call into the stream, and one warning */
void report_losses(struct tracer *t, bool exact);

#endif
