/* SPDX-License-Identifier: BSD-2-Clause */
/* The options of `proclife trace`. */
#ifndef PL_TRACE_OPTS_H
#define PL_TRACE_OPTS_H

#include <stdbool.h>
#include <stdio.h>
#include "output/view_opts.h"
#include "tracer/service_opts.h"

enum trace_format { TRACE_TEXT, TRACE_JSONL, TRACE_EXPORT };

struct trace_opts {
	const char *output; /* NULL: stdout */
	enum trace_format format;
	const char *export; /* TRACE_EXPORT: csv, perfetto, dot, html */
	int pid;            /* -p, 0: none */
	double duration;    /* -d seconds, 0: until stopped */
	bool threads;
	bool tree;
	bool summary;
	struct view_opts show; /* --events, --color, --wall-clock, --kernel-threads */
	bool verbose;
	bool force;         /* replace an existing -o file */
	bool wait_descendants; /* after the command, until its descendants end too */
	const char *user;   /* -u: run the command as this user */
	unsigned zombie_ms;
	unsigned ring_kb;
	const char *btf;
	unsigned mechanisms; /* PL_M_* the BPF side may use, if the kernel has them */
	bool wait_records;   /* a record for each wait that begins (the view shows waits) */
	char **command;     /* after --, NULL-terminated; NULL: none */
	struct service_opts service; /* --metrics, --rotate */
};

/* 0, EXIT_USAGE after saying why, or ARGS_HELP (util/args.h) */
int trace_parse(int argc, char **argv, struct trace_opts *o);
void trace_usage(FILE *f);

#endif
