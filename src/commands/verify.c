// SPDX-License-Identifier: BSD-2-Clause
/*
 * `proclife verify LOG... MANIFEST`: holds a tracer log (or the files of a
 * rotated one) against the ground truth proclife-workload wrote, and
 * prints every fact that differs.
 */
#include <stdio.h>
#include <string.h>
#include "commands/commands.h"
#include "util/diag.h"
#include "util/words.h"
#include "verify/compare.h"

static const char usage_text[] =
	"usage: proclife verify LOG... MANIFEST\n"
	"\n"
	"Compare a JSONL log of 'proclife trace --threads -f jsonl -- proclife-workload\n"
	"SCENARIO --manifest MANIFEST' with that manifest: every process, parent,\n"
	"exit status, reaper, zombie time, reparenting, exec, nice value, thread,\n"
	"pid reuse, uid, gid, cgroup, CPU and peak memory at exit, and who killed it.\n"
	"The files of a rotated log (LOG LOG.1 ..., in any order) are read as one.\n"
	"Prints each fact that differs, then a count.\n"
	"\n"
	"Exit status: 0 when every fact matches, 1 when one differs or a file cannot\n"
	"be read, 2 on a usage error.\n";

int cmd_verify(int argc, char **argv)
{
	struct log_facts lf;
	struct manifest *m;
	struct verdict v;
	const char *manifest;

	/* --help wherever it stands, as trace and replay take it */
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage_text, stdout);
			return 0;
		}
	for (int i = 1; i < argc; i++)
		if (argv[i][0] == '-')
			return usage_error("verify has no option '%s': it takes a log and a manifest, "
					   "files (one named so is './%s')", argv[i], argv[i]);
	if (argc < 3)
		return usage_error("verify takes a log and a manifest (see 'proclife verify --help')");
	/* the arguments' problems in their order */
	if (log_facts_read(argv + 1, (size_t)(argc - 2), &lf))
		return EXIT_ERROR;
	manifest = argv[argc - 1];
	m = manifest_read(manifest);
	if (!m) {
		log_facts_free(&lf);
		return EXIT_ERROR;
	}
	if (!manifest_runs_ok(m)) {
		error("%s: the workload's run failed (result: %s): its manifest is no ground truth",
		      manifest, m->runs[0].result);
		log_facts_free(&lf);
		manifest_free(m);
		return EXIT_ERROR;
	}
	/* said once both are read, so an argument's error stays the one line */
	if (lf.unfinished && !lf.cut)
		warning("%s: no trailer: the tracer did not finish (killed?), so what came after "
			"its last line is not in it, and facts of that time differ", lf.last);
	v = compare(m, &lf, stdout);
	printf("verify: %lu %s, %lu %s checked, %lu %s", v.processes,
	       plural(v.processes, "process", "processes"), v.facts, plural(v.facts, "fact", "facts"),
	       v.differ, plural(v.differ, "differs", "differ"));
	if (v.pending)
		printf(" (%lu %s by an adopter still to come when the trace ended)", v.pending,
		       plural(v.pending, "reap", "reaps"));
	if (v.unnamed)
		printf(" (%lu %s the tracer could not name: removed before it looked)", v.unnamed,
		       plural(v.unnamed, "cgroup", "cgroups"));
	if (m->nthreads && !lf.traced_threads)
		printf(" (thread creations not checked: the log was traced without --threads)");
	putchar('\n');
	log_facts_free(&lf);
	manifest_free(m);
	return v.differ ? EXIT_ERROR : 0;
}
