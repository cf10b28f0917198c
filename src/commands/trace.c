// SPDX-License-Identifier: BSD-2-Clause
/* `proclife trace`: its options (tracer/options.c), then the tracer. */
#include "commands/commands.h"
#include "tracer/options.h"
#include "tracer/trace.h"
#include "util/args.h"
#include "util/stdfds.h"

int cmd_trace(int argc, char **argv)
{
	struct trace_opts o;
	int r = trace_parse(argc, argv, &o);

	if (r == ARGS_HELP)
		return stdout_done(0); /* the help, written whole */
	if (r)
		return r;
	return trace(&o);
}
