// SPDX-License-Identifier: BSD-2-Clause
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/output.h"
#include "mechanisms.h"
#include "model/model.h"
#include "output/export.h"
#include "tracer/options.h"
#include "util/args.h"
#include "util/diag.h"
#include "util/names.h"

/* 16 times the smallest ring that loses nothing under a fork storm here */
#define RING_KB_DEFAULT 2048

static const char usage_text[] =
	"usage: proclife trace [options] [-- COMMAND [ARGS...]]\n"
	"\n"
	"Trace process lifecycles (fork, exec, exit, zombie, wait, reap, reparent,\n"
	"free) system-wide, for one subtree (-p), or for a command and its descendants.\n"
	"\n"
	"  -o, --output FILE     write events to FILE (default: standard output)\n"
	"      --force           replace FILE if it exists\n"
	"  -f, --format FMT      text or jsonl, or an export written at the end: csv,\n"
	"                        perfetto, dot, html (default: as FILE's extension says,\n"
	"                        .jsonl .csv .json .dot .gv .html .htm .txt;\n"
	"                        otherwise text)\n"
	"  -p, --pid PID         follow process PID and all its descendants\n"
	"  -d, --duration TIME   stop after TIME: seconds, or 1.5m, 2h, 1d\n"
	"      --threads         show thread events too (default: processes only)\n"
	"      --zombie-ms N     flag zombies that last longer than N ms (default "
	STR(PL_ZOMBIE_MS_DEFAULT) ")\n"
	"      --tree            print the process tree at the end (SIGUSR1: at any time)\n"
	"      --summary         print the summary at the end (default in text mode)\n"
	"      --no-summary      do not print the summary\n"
	VIEW_OPTIONS_USAGE
	SERVICE_OPTIONS_USAGE
	"      --ring-kb N       ring buffer size in KiB, a power of two (default "
	STR(RING_KB_DEFAULT) ")\n"
	"      --btf FILE        kernel BTF to use (default /sys/kernel/btf/vmlinux)\n"
	"      --mechanisms LIST use at most these of the kernel's BPF mechanisms, comma-\n"
	"                        separated: base (5.11/5.12), pt-regs (5.15), kfunc (6.2),\n"
	"                        exit-arg (after 6.12), io-waitid (6.7), oom-victim,\n"
	"                        cgroup-names, map-iter; all (default) or none (the\n"
	"                        fallback of each); -NAME takes one out (-kfunc: all\n"
	"                        but it); pt-regs, kfunc and exit-arg need base\n"
	"      --wait-descendants  after the command ends, trace until every process it\n"
	"                        started has ended too, and its zombies' reaps at most\n"
	"                        5 s (default: 250 ms more)\n"
	"  -u, --user USER       run the command as USER, a name or a number (a uid with\n"
	"                        no passwd entry runs with the group of the same number;\n"
	"                        default: the user who ran sudo, from SUDO_UID;\n"
	"                        otherwise root, said aloud)\n"
	"  -v, --verbose         libbpf debug output\n"
	"  -h, --help            this text\n"
	"\n"
	"Examples:\n"
	"  proclife trace -- make -j2            # a build, its compilers and their ends\n"
	"  proclife trace -p 1234 -d 10          # process 1234 and its descendants, 10 s\n"
	"  proclife trace -f jsonl -o run.jsonl  # everything, as a replayable log\n"
	"  proclife trace --uid www-data -d 60   # what one user's processes do\n"
	"\n"
	"Exit status: the command's (128+N when signal N killed it), as time and timeout\n"
	"give it: 127 when it was not found, 126 when it could not run; 0 without a\n"
	"command; 1 when the tracer failed, 2 on a usage error, each said in one\n"
	"'error:' line.\n";

enum {
	OPT_THREADS = 256,
	OPT_ZOMBIE_MS,
	OPT_TREE,
	OPT_SUMMARY,
	OPT_NO_SUMMARY,
	OPT_RING_KB,
	OPT_BTF,
	OPT_FORCE,
	OPT_MECHANISMS,
	OPT_WAIT_DESCENDANTS,
};

static const struct option long_opts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "format", required_argument, NULL, 'f' },
	{ "pid", required_argument, NULL, 'p' },
	{ "duration", required_argument, NULL, 'd' },
	{ "threads", no_argument, NULL, OPT_THREADS },
	{ "zombie-ms", required_argument, NULL, OPT_ZOMBIE_MS },
	{ "tree", no_argument, NULL, OPT_TREE },
	{ "summary", no_argument, NULL, OPT_SUMMARY },
	{ "no-summary", no_argument, NULL, OPT_NO_SUMMARY },
	{ "ring-kb", required_argument, NULL, OPT_RING_KB },
	{ "btf", required_argument, NULL, OPT_BTF },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "mechanisms", required_argument, NULL, OPT_MECHANISMS },
	{ "wait-descendants", no_argument, NULL, OPT_WAIT_DESCENDANTS },
	{ "user", required_argument, NULL, 'u' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	VIEW_LONG_OPTIONS,
	SERVICE_LONG_OPTIONS,
	{ 0 },
};

void trace_usage(FILE *f)
{
	fputs(usage_text, f);
}

#define DURATION_MAX 1e9

/* -d: seconds, or as timeout(1) takes them, with a unit: 90, 1.5m, 2h, 1d */
static int parse_seconds(const char *arg, double *out)
{
	static const struct { char unit; double s; } units[] = {
		{ 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 },
	};
	size_t len = strlen(arg), digits;
	double v, scale = 1;
	char num[64], *end;

	for (size_t i = 0; len > 1 && i < sizeof(units) / sizeof(units[0]); i++)
		if (arg[len - 1] == units[i].unit) {
			scale = units[i].s;
			len--;
			break; /* one unit: 500ms is no time */
		}
	digits = len < sizeof(num) ? len : sizeof(num) - 1;
	memcpy(num, arg, digits);
	num[digits] = 0;
	errno = 0;
	v = strtod(num, &end) * scale;
	/* decimal only: strtod takes hexadecimal (0x10 is 16) and blanks too */
	if (errno || end == num || *end || digits != len ||
	    !((num[0] >= '0' && num[0] <= '9') || (num[0] == '.' && num[1] >= '0' && num[1] <= '9')) ||
	    !(v > 0) || v > DURATION_MAX || num[strspn(num, "0123456789.eE+-")])
		return usage_error("-d takes a time above 0 and up to %.0f s (some 31 years): seconds, "
				   "or with a unit s, m, h or d (90, 1.5m, 2h), not '%s'",
				   DURATION_MAX, arg);
	*out = v;
	return 0;
}

/* the bits of the len bytes at p: a mechanism's name, all or none */
static bool mechanism_bits(const char *p, size_t len, unsigned *bits)
{
	const char *name;

	if (len == 3 && !strncmp(p, "all", 3)) {
		*bits = PL_M_ALL;
		return true;
	}
	if (len == 4 && !strncmp(p, "none", 4)) {
		*bits = 0;
		return true;
	}
	for (unsigned i = 0; pl_mechanism_option(i, &name, bits); i++)
		if (strlen(name) == len && !strncmp(p, name, len))
			return true;
	return false;
}

/* --mechanisms: a comma-separated list of names, or all, or none; a name
 * after a minus is taken out of what the list holds so far, which for a
 * list that begins with one is all */
static int parse_mechanisms(const char *arg, unsigned *out)
{
	const char *p = arg;
	unsigned named = 0; /* given by name, not by all */

	if (!*arg)
		return usage_error("--mechanisms needs a list (all, none, or names)");
	*out = *p == '-' ? PL_M_ALL : 0;
	for (;;) { /* each name, the empty one after a last comma too */
		bool minus = *p == '-';
		unsigned bits;
		size_t len;

		p += minus;
		len = strcspn(p, ",");
		if (!mechanism_bits(p, len, &bits))
			return usage_error("unknown mechanism '%.*s' in --mechanisms (known: all, none, "
					   "base, pt-regs, kfunc, exit-arg, io-waitid, oom-victim, cgroup-names, "
					   "map-iter; -NAME takes one out)", (int)len, p);
		if (minus)
			*out &= ~bits;
		else
			*out |= bits;
		if (!minus && bits != PL_M_ALL)
			named |= bits;
		if (!p[len])
			break;
		p += len + 1;
	}
	/* their programs keep their state in base's maps */
	if ((named & *out & (PL_M_PT_REGS | PL_M_KFUNC | PL_M_EXIT_ARG)) && !(*out & PL_M_BASE))
		warning("--mechanisms: pt-regs, kfunc and exit-arg are used only with base, "
			"which the list leaves out");
	return 0;
}

/* options that take one value: given twice, which would be meant? (as the
 * filters' --uid, --cgroup and --comm say) */
static const int single_valued[] = { 'o', 'f', 'p', 'd', 'u', OPT_ZOMBIE_MS, OPT_RING_KB, OPT_BTF,
				     OPT_MECHANISMS, SERVICE_OPT_METRICS, SERVICE_OPT_ROTATE,
				     VIEW_OPT_EVENTS, VIEW_OPT_COLOR };

/* -f NAME (or a name -o's extension gave): -1 if unknown */
static int set_format(const char *name, struct trace_opts *o)
{
	if (!strcmp(name, "text"))
		o->format = TRACE_TEXT;
	else if (!strcmp(name, "jsonl"))
		o->format = TRACE_JSONL;
	else if (export_is_known(name))
		o->format = TRACE_EXPORT;
	else
		return -1;
	o->export = o->format == TRACE_EXPORT ? name : NULL;
	return 0;
}

int trace_parse(int argc, char **argv, struct trace_opts *o)
{
	unsigned long v;
	bool format_set = false, summary_set = false;
	unsigned seen = 0;
	int c;

	memset(o, 0, sizeof(*o));
	view_opts_default(&o->show);
	o->zombie_ms = PL_ZOMBIE_MS_DEFAULT;
	o->ring_kb = RING_KB_DEFAULT;
	o->mechanisms = PL_M_ALL;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:o:f:p:d:u:vh" VIEW_SHORT_OPTIONS, long_opts, NULL)) != -1) {
		if (option_once(&seen, c, single_valued,
				sizeof(single_valued) / sizeof(single_valued[0]),
				"o:f:p:d:u:vh" VIEW_SHORT_OPTIONS, long_opts))
			return EXIT_USAGE;
		if (view_opts_has(c)) {
			if (view_opts_parse(&o->show, c, optarg,
					      optind < argc ? argv[optind] : NULL))
				return EXIT_USAGE;
			continue;
		}
		if (service_opts_has(c)) {
			if (service_opts_parse(&o->service, c, optarg))
				return EXIT_USAGE;
			continue;
		}
		switch (c) {
		case 'o':
			if (!*optarg)
				return usage_error("-o takes a file name, not an empty one "
						   "('-' for standard output)");
			o->output = optarg;
			break;
		case 'f':
			if (set_format(optarg, o))
				return usage_error("unknown format '%s' (trace writes text, jsonl, %s)", optarg,
						   export_names());
			format_set = true;
			break;
		case 'p':
			if (parse_uint("-p", optarg, 1, INT_MAX, &v))
				return EXIT_USAGE;
			o->pid = (int)v;
			break;
		case 'd':
			if (parse_seconds(optarg, &o->duration))
				return EXIT_USAGE;
			break;
		case OPT_THREADS:
			o->threads = true;
			break;
		case OPT_ZOMBIE_MS:
			if (parse_uint("--zombie-ms", optarg, 1, PL_ZOMBIE_MS_MAX, &v))
				return EXIT_USAGE;
			o->zombie_ms = (unsigned)v;
			break;
		case OPT_TREE:
			o->tree = true;
			break;
		case OPT_SUMMARY:
		case OPT_NO_SUMMARY:
			if (summary_set && o->summary != (c == OPT_SUMMARY))
				return usage_error("--summary and --no-summary cannot be combined");
			o->summary = c == OPT_SUMMARY;
			summary_set = true;
			break;
		case OPT_RING_KB:
			if (parse_uint("--ring-kb", optarg, 4, 1u << 20, &v))
				return EXIT_USAGE;
			if (v & (v - 1))
				return usage_error("--ring-kb must be a power of two, not %lu", v);
			o->ring_kb = (unsigned)v;
			break;
		case OPT_BTF:
			o->btf = optarg;
			break;
		case OPT_FORCE:
			o->force = true;
			break;
		case OPT_MECHANISMS:
			if (parse_mechanisms(optarg, &o->mechanisms))
				return EXIT_USAGE;
			break;
		case OPT_WAIT_DESCENDANTS:
			o->wait_descendants = true;
			break;
		case 'u':
			o->user = optarg;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'h':
			trace_usage(stdout);
			return ARGS_HELP;
		case ':':
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			return usage_error("unknown option '%s' (see 'proclife trace --help')",
					   unknown_option(argv));
		}
	}
	if (optind < argc) {
		if (strcmp(argv[optind - 1], "--"))
			return usage_error("unexpected argument '%s' (put the command to trace after --)",
				     argv[optind]);
		o->command = &argv[optind];
	} else if (optind > 1 && !strcmp(argv[optind - 1], "--")) {
		return usage_error("no command after --");
	}
	if (o->force && !o->output)
		return usage_error("--force replaces the file -o names: give -o FILE");
	if (o->user && !o->command)
		return usage_error("-u names the user to run a command as: give the command after --");
	if (o->wait_descendants && !o->command)
		return usage_error("--wait-descendants waits for a command's descendants: give the "
				   "command after --");
	if (o->command && o->pid)
		return usage_error("-p and -- COMMAND cannot be combined: follow one or the other");
	if (!format_set && output_format_of(o->output))
		set_format(output_format_of(o->output), o);
	if (!summary_set)
		o->summary = o->format == TRACE_TEXT;
	if (service_opts_check(&o->service, o->output, o->format == TRACE_JSONL))
		return EXIT_USAGE;
	/* waits are counted in the kernel; a record for each call only where
	 * one is asked for: in the text view, or added to a log or an export */
	o->wait_records = o->show.events_named && events_want(&o->show.events, PL_EV_WAIT);
	/* a log or an export keeps every other record: events_want() says so */
	if (o->format != TRACE_TEXT && o->show.events_named &&
	    !events_only_add_waits(&o->show.events))
		return usage_error("--events chooses what the text view shows; %s output keeps every "
				   "record (--events wait adds one for each wait call)",
				   o->format == TRACE_JSONL ? "jsonl" : o->export);
	if (o->format == TRACE_JSONL && view_opts_no_filter(&o->show, false))
		return EXIT_USAGE;
	if (o->show.wall_clock && o->format != TRACE_TEXT)
		return usage_error("--wall-clock shows the text view's times as times of day (-f text)%s",
				   o->format == TRACE_JSONL ? "; a log keeps times since boot, and its "
				   "header's boot_to_wall_ns turns them into wall-clock time" : "");
	if (o->format != TRACE_TEXT)
		o->show.events = events_all();
	else if (!o->show.events_named)
		o->wait_records = events_want(&o->show.events, PL_EV_WAIT);
	return 0;
}
