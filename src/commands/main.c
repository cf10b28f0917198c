// SPDX-License-Identifier: BSD-2-Clause
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include "commands/commands.h"
#include "util/diag.h"
#include "util/version.h"
#include "util/stdfds.h"

static const char usage[] =
	"usage: proclife COMMAND [options]\n"
	"\n"
	"  trace    trace process lifecycles live (run as root)\n"
	"  replay   show a JSONL log again: events, tree, summary\n"
	"  verify   hold a log against proclife-workload's ground truth\n"
	"\n"
	"'proclife COMMAND --help' tells more about each; 'proclife --version' which\n"
	"version this is.\n";

int main(int argc, char **argv)
{
	stdfds_guard();
	if (argc < 2)
		return usage_error("a command is needed: trace, replay or verify (see 'proclife --help')");
	if (!strcmp(argv[1], "trace"))
		return cmd_trace(argc - 1, argv + 1);
	if (!strcmp(argv[1], "replay"))
		return cmd_replay(argc - 1, argv + 1);
	/* these print to standard output: a reader that leaves early is told
	 * by EPIPE, which stdout_done takes as no error */
	signal(SIGPIPE, SIG_IGN);
	if (!strcmp(argv[1], "verify"))
		return stdout_done(cmd_verify(argc - 1, argv + 1));
	if (!strcmp(argv[1], "--version")) {
		if (argc > 2)
			return usage_error("--version takes nothing after it");
		printf("proclife %s\n", pl_version);
		return stdout_done(0);
	}
	/* 'proclife help trace' as 'proclife trace --help' */
	if (!strcmp(argv[1], "help") && argc == 3) {
		char *again[] = { argv[2], "--help", NULL };

		if (!strcmp(argv[2], "trace"))
			return stdout_done(cmd_trace(2, again));
		if (!strcmp(argv[2], "replay"))
			return stdout_done(cmd_replay(2, again));
		if (!strcmp(argv[2], "verify"))
			return stdout_done(cmd_verify(2, again));
		return usage_error("no command '%s' to help with (see 'proclife --help')", argv[2]);
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		if (argc > 2)
			return usage_error("%s takes nothing after it (but 'proclife help COMMAND')",
					   argv[1]);
		fputs(usage, stdout);
		return stdout_done(0);
	}
	return usage_error("unknown command '%s' (see 'proclife --help')", argv[1]);
}
