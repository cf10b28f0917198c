// SPDX-License-Identifier: BSD-2-Clause
/*
 * Measures, does not judge: the CPU a log's lines take to be read, in two
 * steps of what replay does before its model sees them. "json": each line
 * through simdjson into the list of its members (log/json_line.h); "lines":
 * each line to its event, checks and all (log/parse.h). Each pass reads
 * the whole log from memory; prints the fastest of PASSES per step, as
 * "STEP: N lines, X ns CPU".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "log/json_line.h"
#include "log/parse.h"

#define PASSES 5

static unsigned long long cpu_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (unsigned long long)t.tv_sec * 1000000000ULL + (unsigned long long)t.tv_nsec;
}

/* the whole file, with the padding a padded parse may read past its end */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	long n;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) > 0 && !fseek(f, 0, SEEK_SET) &&
	    (text = calloc(1, (size_t)n + PL_JLINE_PADDING)) && fread(text, 1, (size_t)n, f) == (size_t)n)
		*len = (size_t)n;
	else
		free(text), text = NULL;
	fclose(f);
	return text;
}

/* one pass over every line after the header: -1 at a line either step refuses */
static int pass(const char *text, size_t len, int step, struct pl_jparser *jp,
		struct pl_log_parser *lp, size_t *lines)
{
	const char *line = memchr(text, '\n', len), *end = text + len, *nl;
	struct pl_jline members = { 0 };
	struct pl_log_line out;
	char why[256];
	int ret = 0;

	*lines = 0;
	for (line = line ? line + 1 : end; line < end && !ret; line = nl + 1, (*lines)++) {
		nl = memchr(line, '\n', (size_t)(end - line));
		if (!nl)
			nl = end;
		ret = step ? pl_log_parse_padded_line(lp, line, (size_t)(nl - line), &out, why, sizeof(why))
			   : pl_jline_parse_padded(jp, line, (size_t)(nl - line), 2, &members, why,
						   sizeof(why));
	}
	if (ret)
		fprintf(stderr, "parse_bench: line %zu: %s\n", *lines, why);
	pl_jline_free(&members);
	return ret;
}

int main(int argc, char **argv)
{
	static const char *const steps[] = { "json", "lines" };
	struct pl_jparser *jp = pl_jparser_new();
	struct pl_log_parser *lp = pl_log_parser_new();
	size_t len = 0, lines = 0;
	char *text;

	if (argc != 2) {
		fprintf(stderr, "usage: parse_bench LOG\n");
		return 2;
	}
	text = slurp(argv[1], &len);
	if (!text || !jp || !lp) {
		fprintf(stderr, "parse_bench: cannot read %s\n", argv[1]);
		return 1;
	}
	for (int step = 0; step < 2; step++) {
		unsigned long long best = ~0ULL;

		for (int i = 0; i < PASSES; i++) {
			unsigned long long t0 = cpu_ns(), took;

			if (pass(text, len, step, jp, lp, &lines))
				return 1;
			took = cpu_ns() - t0;
			if (took < best)
				best = took;
		}
		printf("%s: %zu lines, %llu ns CPU\n", steps[step], lines, best);
	}
	pl_log_parser_free(lp);
	pl_jparser_free(jp);
	free(text);
	return 0;
}
