/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * How the text view, the tree and the summary are shown: the options
 * `proclife trace` and `proclife replay` share, parsed in one place.
 */
#ifndef PL_VIEW_OPTS_H
#define PL_VIEW_OPTS_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include "output/event_kinds.h"
#include "output/filter.h"

enum color_when { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

struct view_opts {
	struct events events;   /* --events: what the text view shows */
	bool events_named;      /* --events was given (it fits the text view alone) */
	enum color_when color;  /* --color; auto: on a terminal, unless NO_COLOR is set */
	bool wall_clock;        /* --wall-clock: times of day rather than seconds from the start */
	bool kernel_threads;    /* --kernel-threads: in whole-machine trees and lists too */
	struct filter filter;   /* --uid, --cgroup, --comm: the processes shown */
};

/* bits for the tree and summary printers */
enum view_flag {
	VIEW_COLOR = 1 << 0,          /* ANSI colours */
	VIEW_KERNEL_THREADS = 1 << 1, /* show kernel threads */
	VIEW_FILTERED = 1 << 2,       /* filters choose the processes shown (not the summary's) */
	VIEW_NO_THREADS = 1 << 3,     /* the events hold no thread's: none can be counted */
};

/* getopt_long values of the view's options: above any command's own */
enum {
	VIEW_OPT_EVENTS = 0x1000,
	VIEW_OPT_COLOR,
	VIEW_OPT_WALL_CLOCK,
	VIEW_OPT_KERNEL_THREADS,
	VIEW_OPT_UID,
	VIEW_OPT_LAST = VIEW_OPT_UID,
};

/* the short options among them, for a command's getopt string; -c and
 * -n as libbpf-tools' execsnoop has them */
#define VIEW_SHORT_OPTIONS "c:n:"

/* entries for a command's struct option array */
#define VIEW_LONG_OPTIONS                                                           \
	{ "events", required_argument, NULL, VIEW_OPT_EVENTS },                     \
	{ "color", optional_argument, NULL, VIEW_OPT_COLOR },                       \
	{ "wall-clock", no_argument, NULL, VIEW_OPT_WALL_CLOCK },                   \
	{ "kernel-threads", no_argument, NULL, VIEW_OPT_KERNEL_THREADS },           \
	{ "uid", required_argument, NULL, VIEW_OPT_UID },                           \
	{ "cgroup", required_argument, NULL, 'c' },                                 \
	{ "comm", required_argument, NULL, 'n' }

/* lines for a command's usage text */
#define VIEW_OPTIONS_USAGE                                                                \
	"      --events LIST     what the text view shows, comma-separated: fork, exec,\n"  \
	"                        exec_failed, exit, zombie, wait, reap, reparent, free,\n"  \
	"                        zombie_long, double_fork; default (births, execs, ends\n"  \
	"                        and every notable fact) or all\n"                          \
	"      --color[=WHEN]    auto (default: on a terminal, unless NO_COLOR is set),\n"  \
	"                        always or never\n"                                         \
	"      --wall-clock      times of day in the text view, not seconds from the start\n" \
	"      --kernel-threads  show kernel threads in whole-machine trees and lists\n"   \
	"      --uid UID|USER    show only the processes of this user (their latest uid)\n" \
	"  -c, --cgroup PATH     show only the processes in this cgroup or below it (its\n" \
	"                        path in the unified hierarchy, as /proc/PID/cgroup has it)\n" \
	"  -n, --comm NAME       show only the processes of this name (the whole name, or\n" \
	"                        the 15-byte comm); filters choose the text view's lines,\n" \
	"                        the tree and the exports, not the summary or a jsonl log\n"

void view_opts_default(struct view_opts *v);
/* is opt one of VIEW_LONG_OPTIONS? */
bool view_opts_has(int opt);
/* one of VIEW_LONG_OPTIONS with its argument (NULL if none) and the word
 * after it on the command line (NULL at the end): 0, or EXIT_USAGE after
 * saying why */
int view_opts_parse(struct view_opts *v, int opt, char *arg, const char *next);
/* for a jsonl log, which keeps every record: 0, or EXIT_USAGE after
 * saying that filters do not apply to it */
int view_opts_no_filter(const struct view_opts *v, bool replaying);
/* colours on stream f? */
bool view_color(const struct view_opts *v, FILE *f);
/* the tree's and summary's flags for stream f */
unsigned view_flags(const struct view_opts *v, FILE *f);

#endif
