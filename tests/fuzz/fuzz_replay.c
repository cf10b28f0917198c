/*
 * libFuzzer: any bytes as a log, through the reader, the model and every
 * printer, as `proclife replay` would take them. No crash, no leak, no
 * undefined behaviour.
 */
#include <stdint.h>
#include <stdio.h>
#include "model/model.h"
#include "log/reader.h"
#include "output/summary.h"
#include "output/tree.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pl_model_opts mo = { .history = 64 };
	struct pl_log_reader *r;
	struct pl_log_line line;
	struct pl_model *m;
	FILE *in, *out;

	in = fmemopen((void *)data, size, "r");
	if (!in)
		return 0;
	r = pl_log_open_stream(in, "fuzz");
	if (!r)
		return 0;
	m = pl_model_new(&mo);
	while (m && pl_log_next(r, &line) > 0) {
		if (line.kind == PL_LINE_EVENT) {
			pl_model_tick(m, line.ev.ts);
			pl_model_feed(m, &line.ev);
		} else if (line.kind == PL_LINE_FOLLOW) {
			pl_model_follow(m, line.follow_pid);
		}
	}
	out = fopen("/dev/null", "w");
	if (m && out) {
		pl_model_flush(m);
		tree_print(out, m, 0, true);
		summary_print(out, m, 0);
	}
	if (out)
		fclose(out);
	pl_model_free(m);
	pl_log_close(r);
	return 0;
}
