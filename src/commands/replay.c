// SPDX-License-Identifier: BSD-2-Clause
/*
 * `proclife replay FILE...`: a JSONL log (or the files of a rotated one)
 * through the same model and printers as the live tracer, without root and
 * without BPF.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "commands/commands.h"
#include "core/output.h"
#include "core/replay.h"
#include "model/model.h"
#include "output/export.h"
#include "util/args.h"
#include "util/stdfds.h"
#include "util/diag.h"

/* a rotated log's files: --rotate keeps up to 1000 besides the current */
#define MAX_PARTS 10000

struct replay_opts {
	char **inputs;
	size_t ninputs;
	const char *output;
	bool force;
	struct replay_view view;
};

static const char usage_text[] =
	"usage: proclife replay FILE... [options]\n"
	"\n"
	"Read a log written by 'proclife trace -f jsonl' (FILE '-' for standard\n"
	"input) and show it again through the same model, without root. The files\n"
	"of a rotated log (FILE FILE.1 FILE.2 ..., in any order) are read as one.\n"
	"\n"
	"  -f, --format FMT      text (events, then the summary), jsonl, tree, summary,\n"
	"                        or an export: csv (a row per process), perfetto\n"
	"                        (a timeline for ui.perfetto.dev), dot (the tree for\n"
	"                        Graphviz), html (a self-contained report); default: as\n"
	"                        -o's extension says (.jsonl .csv .json .dot .gv .html\n"
	"                        .htm .txt), otherwise text\n"
	"  -o, --output FILE     write to FILE (default: standard output)\n"
	"      --force           replace FILE if it exists\n"
	"  -p, --pid PID         tree and summary of PID's subtree only\n"
	"      --threads         show thread events too (shown anyway for a log\n"
	"                        traced with --threads)\n"
	"      --tree            text, summary: the process tree at the end too\n"
	"      --summary         tree: the summary at the end too (text has it already)\n"
	"      --no-summary      text: the events alone, no summary after them\n"
	"      --zombie-ms N     flag zombies that last longer than N ms (default: the\n"
	"                        trace's own, else " STR(PL_ZOMBIE_MS_DEFAULT) ")\n"
	VIEW_OPTIONS_USAGE
	"  -h, --help            this text\n"
	"\n"
	"Exit status: 0 when the whole log was read (a cut-short last line is only\n"
	"warned about), 1 when the log is unreadable or malformed, 2 on a usage error.\n";

static const struct option long_opts[] = {
	{ "format", required_argument, NULL, 'f' },
	{ "output", required_argument, NULL, 'o' },
	{ "pid", required_argument, NULL, 'p' },
	{ "threads", no_argument, NULL, 'T' },
	{ "no-summary", no_argument, NULL, 'N' },
	{ "tree", no_argument, NULL, 'R' },
	{ "summary", no_argument, NULL, 'S' },
	{ "zombie-ms", required_argument, NULL, 'Z' },
	{ "force", no_argument, NULL, 'F' },
	{ "help", no_argument, NULL, 'h' },
	VIEW_LONG_OPTIONS,
	{ 0 },
};

/* options that take one value: given twice, which would be meant? */
static const int single_valued[] = { 'f', 'o', 'p', 'Z', VIEW_OPT_EVENTS, VIEW_OPT_COLOR };

static int parse(int argc, char **argv, struct replay_opts *o)
{
	unsigned long v;
	bool format_set = false;
	unsigned seen = 0;
	int c;

	memset(o, 0, sizeof(*o));
	o->view.zombie_ms = 0; /* the log's own, or the default */
	view_opts_default(&o->view.show);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:o:p:h" VIEW_SHORT_OPTIONS, long_opts, NULL)) != -1) {
		if (option_once(&seen, c, single_valued,
				sizeof(single_valued) / sizeof(single_valued[0]),
				"f:o:p:h" VIEW_SHORT_OPTIONS, long_opts))
			return EXIT_USAGE;
		if (view_opts_has(c)) {
			if (view_opts_parse(&o->view.show, c, optarg,
					      optind < argc ? argv[optind] : NULL))
				return EXIT_USAGE;
			continue;
		}
		switch (c) {
		case 'f':
			if (replay_format(optarg, &o->view))
				return usage_error("unknown format '%s' (replay writes text, jsonl, tree, "
						   "summary, %s)", optarg, export_names());
			format_set = true;
			break;
		case 'o':
			if (!*optarg)
				return usage_error("-o takes a file name, not an empty one "
						   "('-' for standard output)");
			o->output = optarg;
			break;
		case 'p':
			if (parse_uint("-p", optarg, 1, INT_MAX, &v))
				return EXIT_USAGE;
			o->view.pid = (__u32)v;
			break;
		case 'T':
			o->view.threads = true;
			break;
		case 'N':
			o->view.no_summary = true;
			break;
		case 'R':
			o->view.tree = true;
			break;
		case 'S':
			o->view.summary = true;
			break;
		case 'F':
			o->force = true;
			break;
		case 'Z':
			if (parse_uint("--zombie-ms", optarg, 1, PL_ZOMBIE_MS_MAX, &v))
				return EXIT_USAGE;
			o->view.zombie_ms = (unsigned)v;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return ARGS_HELP;
		case ':':
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			return usage_error("unknown option '%s' (see 'proclife replay --help')",
					   unknown_option(argv));
		}
	}
	if (optind >= argc)
		return usage_error("no log to replay (see 'proclife replay --help')");
	o->inputs = argv + optind;
	o->ninputs = (size_t)(argc - optind);
	if (o->ninputs > MAX_PARTS)
		return usage_error("%zu files: a log read as one has at most %d", o->ninputs,
				   MAX_PARTS);
	for (size_t i = 0; o->ninputs > 1 && i < o->ninputs; i++)
		if (!strcmp(o->inputs[i], "-"))
			return usage_error("standard input ('-') is a log alone, not one file of "
					   "several");
	if (!format_set && output_format_of(o->output))
		replay_format(output_format_of(o->output), &o->view);
	if (o->view.show.events_named && o->view.format != REPLAY_TEXT)
		return usage_error("--events chooses what the text view shows (-f text)");
	if (o->view.no_summary && o->view.format != REPLAY_TEXT)
		return usage_error("--no-summary leaves the summary out of the text view (-f text)");
	if (o->view.show.wall_clock && o->view.format != REPLAY_TEXT)
		return usage_error("--wall-clock shows the text view's times as times of day (-f text)");
	if (o->view.no_summary && o->view.summary)
		return usage_error("--summary and --no-summary cannot be combined");
	if (o->force && !o->output)
		return usage_error("--force replaces the file -o names: give -o FILE");
	if (o->view.tree && o->view.format != REPLAY_TEXT && o->view.format != REPLAY_SUMMARY &&
	    o->view.format != REPLAY_TREE)
		return usage_error("--tree adds the tree to the text and summary views (-f text, "
				   "-f summary)");
	if (o->view.summary && o->view.format != REPLAY_TEXT && o->view.format != REPLAY_TREE &&
	    o->view.format != REPLAY_SUMMARY)
		return usage_error("--summary adds the summary to the tree view (-f tree)");
	if (o->view.format == REPLAY_JSONL && view_opts_no_filter(&o->view.show, true))
		return EXIT_USAGE;
	/* the log's zombie_long lines are remade at its header's zombie_ms,
	 * which the header it is written with keeps */
	if (o->view.format == REPLAY_JSONL && o->view.zombie_ms)
		return usage_error("--zombie-ms sets what the views flag as a long zombie; replay -f "
				   "jsonl writes the log again with the threshold it was traced with");
	return 0;
}

/* a path, or "-": the standard stream fd */
static int stat_named(const char *path, int fd, struct stat *st)
{
	return !path || !strcmp(path, "-") ? fstat(fd, st) : stat(path, st);
}

/* is the output a log being read? Replacing it would empty it as it is
 * read, appending to it would feed replay its own lines */
static bool output_is_input(const char *input, const char *output)
{
	struct stat in, out;

	if (stat_named(input, STDIN_FILENO, &in) || !S_ISREG(in.st_mode) ||
	    stat_named(output, STDOUT_FILENO, &out))
		return false;
	return in.st_dev == out.st_dev && in.st_ino == out.st_ino;
}

/* every file opened and put in the order it was written: NULL after
 * saying why */
static struct log_part *open_parts(const struct replay_opts *o)
{
	for (size_t i = 0; i < o->ninputs; i++) {
		const char *name = o->inputs[i];

		if (!output_is_input(name, o->output))
			continue;
		if (strcmp(name, "-"))
			error("the output is the log being read, '%s': write elsewhere", name);
		else
			error("the output is the log being read (standard input): write elsewhere");
		return NULL;
	}
	return log_parts_open(o->inputs, o->ninputs);
}

static int replay_run(const struct replay_opts *o)
{
	struct log_part *parts = open_parts(o);
	struct output *out;
	int ret;

	if (!parts)
		return EXIT_ERROR;
	/* a replay that fails leaves a file it was to replace as it was */
	out = output_open_replacing(o->output, o->force);
	/* its warnings go to standard error: a log or an export there would
	 * not read back */
	if (!out || ((o->view.format == REPLAY_JSONL || o->view.format == REPLAY_EXPORT) &&
		     output_refuse_stderr(out, o->output,
					  o->view.format == REPLAY_JSONL ? "a log" : "an export"))) {
		if (out)
			output_discard(out);
		log_parts_close(parts, o->ninputs);
		return EXIT_ERROR;
	}
	if (o->view.format == REPLAY_EXPORT)
		output_whole_or_nothing(out, o->output);
	ret = replay_parts(parts, o->ninputs, &o->view, out) ? EXIT_ERROR : 0;
	log_parts_close(parts, o->ninputs);
	if (ret)
		output_discard(out); /* a log that failed half-way gives no output to trust */
	else if (output_close(out, 0, o->view.format != REPLAY_EXPORT))
		ret = EXIT_ERROR;
	return ret;
}

int cmd_replay(int argc, char **argv)
{
	struct replay_opts o;
	int r = parse(argc, argv, &o);

	if (r == ARGS_HELP)
		return stdout_done(0); /* the help, written whole */
	if (r)
		return r;
	/* a reader that leaves (`| head`) is told by EPIPE, which ends replay quietly */
	signal(SIGPIPE, SIG_IGN);
	return replay_run(&o);
}
