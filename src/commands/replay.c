/*
 * `proclife replay FILE`: a JSONL log through the same model and printers
 * as the live tracer, without root and without BPF.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "commands/commands.h"
#include "output/export.h"
#include "log/reader.h"
#include "core/output_file.h"
#include "core/pipeline.h"
#include "util/args.h"
#include "util/diag.h"

enum replay_format { R_TEXT, R_JSONL, R_TREE, R_SUMMARY, R_EXPORT };

static const char *const format_names[] = {
	[R_TEXT] = "text", [R_JSONL] = "jsonl", [R_TREE] = "tree", [R_SUMMARY] = "summary",
};

struct replay_opts {
	const char *input;
	const char *output;
	enum replay_format format;
	const char *export; /* R_EXPORT: its name */
	bool threads;
	bool force;
	unsigned zombie_ms;
	__u32 pid;
};

static const char usage_text[] =
	"usage: proclife replay FILE [options]\n"
	"\n"
	"Read a log written by 'proclife trace -f jsonl' (FILE '-' for standard\n"
	"input) and show it again through the same model, without root.\n"
	"\n"
	"  -f, --format FMT      text (events, then the summary), jsonl, tree, summary,\n"
	"                        or an export: csv (a row per process), perfetto\n"
	"                        (a timeline for ui.perfetto.dev), dot (the tree for\n"
	"                        Graphviz), html (a self-contained report)\n"
	"  -o, --output FILE     write to FILE (default: standard output)\n"
	"      --force           replace FILE if it exists\n"
	"  -p, --pid PID         tree and summary of PID's subtree only\n"
	"      --threads         show thread events too\n"
	"      --zombie-ms N     flag zombies that last longer than N ms (default 100)\n"
	"  -h, --help            this text\n"
	"\n"
	"Exit status: 0 when the whole log was read (a cut-short last line is only\n"
	"warned about), 1 when the log is unreadable or malformed, 2 on a usage error.\n";

static const struct option long_opts[] = {
	{ "format", required_argument, NULL, 'f' },
	{ "output", required_argument, NULL, 'o' },
	{ "pid", required_argument, NULL, 'p' },
	{ "threads", no_argument, NULL, 'T' },
	{ "zombie-ms", required_argument, NULL, 'Z' },
	{ "force", no_argument, NULL, 'F' },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

static int parse(int argc, char **argv, struct replay_opts *o)
{
	unsigned long v;
	int c;

	memset(o, 0, sizeof(*o));
	o->zombie_ms = 100;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:o:p:h", long_opts, NULL)) != -1) {
		switch (c) {
		case 'f': {
			size_t i;

			for (i = 0; i < sizeof(format_names) / sizeof(*format_names); i++)
				if (!strcmp(optarg, format_names[i]))
					break;
			if (i < sizeof(format_names) / sizeof(*format_names)) {
				o->format = (enum replay_format)i;
			} else if (export_is_known(optarg)) {
				o->format = R_EXPORT;
				o->export = optarg;
			} else {
				return usage_error("unknown format '%s' (replay writes text, jsonl, tree, summary, %s)",
					     optarg, export_names());
			}
			break;
		}
		case 'o':
			o->output = optarg;
			break;
		case 'p':
			if (parse_uint("-p", optarg, 1, INT_MAX, &v))
				return EXIT_USAGE;
			o->pid = (__u32)v;
			break;
		case 'T':
			o->threads = true;
			break;
		case 'F':
			o->force = true;
			break;
		case 'Z':
			if (parse_uint("--zombie-ms", optarg, 1, 86400000, &v))
				return EXIT_USAGE;
			o->zombie_ms = (unsigned)v;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return ARGS_HELP;
		case ':':
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			return usage_error("unknown option '%s' (see 'proclife replay --help')",
				     argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return usage_error("no log to replay (see 'proclife replay --help')");
	if (optind + 1 < argc)
		return usage_error("one log at a time: unexpected '%s'", argv[optind + 1]);
	o->input = argv[optind];
	return 0;
}

static int replay_run(const struct replay_opts *o)
{
	struct pl_log_reader *r;
	struct pipeline *p = NULL;
	struct pl_log_line line;
	unsigned long long last = 0;
	int exit_status = -1, n, ret = 1;
	bool trailer = false, pid_seen = false;
	FILE *out;

	r = pl_log_open(o->input);
	if (!r)
		return EXIT_ERROR;
	out = output_open(o->output, o->force);
	if (!out)
		goto done;
	{
		struct pipeline_opts po = {
			.events = out,
			.view = o->format == R_TEXT ? PL_VIEW_TEXT :
				o->format == R_JSONL ? PL_VIEW_JSONL : PL_VIEW_NONE,
			.report = out,
			/* a log traced with --threads is shown with them */
			.threads = o->threads || pl_log_header(r)->threads,
			.tree = o->format == R_TREE,
			.summary = o->format == R_TEXT || o->format == R_SUMMARY,
			.zombie_ms = o->zombie_ms,
			.t0 = pl_log_header(r)->start_ts,
		};

		if (o->format == R_EXPORT) {
			po.exporter = export_new(o->export, out);
			if (!po.exporter) {
				error("out of memory");
				goto done;
			}
			po.exporter->boot_to_wall_ns = (unsigned long long)pl_log_header(r)->boot_to_wall;
		}

		if (o->format == R_JSONL)
			fprintf(out, "%s\n", pl_log_header_line(r));
		p = pipeline_new(&po);
	}
	if (!p)
		goto done;
	if (o->pid)
		pipeline_follow(p, o->pid, pl_log_header(r)->start_ts);
	while ((n = pl_log_next(r, &line)) > 0) {
		switch (line.kind) {
		case PL_LINE_EVENT:
			pid_seen |= line.ev.pid == o->pid;
			pipeline_tick(p, line.ev.ts);
			pipeline_event(p, &line.ev);
			last = line.ev.ts;
			break;
		case PL_LINE_LOST:
			pipeline_lost(p, line.ts, line.lost_kind, line.lost_count);
			break;
		case PL_LINE_FOLLOW:
			if (!o->pid)
				pipeline_follow(p, line.follow_pid, line.ts);
			break;
		case PL_LINE_TRAILER:
			trailer = true;
			last = line.trailer.ts;
			exit_status = line.trailer.exit_status;
			break;
		}
	}
	if (n == 0 && !trailer && !pl_log_truncated(r))
		warning("%s: no trailer: the tracer did not finish (killed?), so processes shown "
			"running may have ended after its last line", o->input);
	if (n == 0) {
		/* zombies still unreaped at the end are flagged as the live run did */
		pipeline_tick(p, last);
		ret = pipeline_finish(p, last, exit_status) ? 1 : 0;
		if (o->pid && !pid_seen) {
			error("%s: pid %u is not in the log", o->input, o->pid);
			ret = 1;
		}
	}
done:
	pipeline_free(p);
	pl_log_close(r);
	if (ret)
		output_discard(out); /* a log that failed half-way gives no output to trust */
	else if (output_close(out, o->output))
		ret = 1;
	return ret;
}

int cmd_replay(int argc, char **argv)
{
	struct replay_opts o;
	int r = parse(argc, argv, &o);

	if (r == ARGS_HELP)
		return 0;
	if (r)
		return r;
	return replay_run(&o);
}
