// SPDX-License-Identifier: BSD-2-Clause
/*
 * libFuzzer: any bytes as a log, through `proclife replay`'s own path
 * (core/replay.c: the reader, the pipeline, the model) into every view and
 * every exporter: text, jsonl, tree, summary, csv, perfetto, dot, html.
 * No crash, no leak, no undefined behaviour.
 */
#include <stdint.h>
#include <stdio.h>
#include "core/replay.h"
#include "log/reader.h"
#include "model/model.h"

static const char *const formats[] = {
	"text", "jsonl", "tree", "summary", "csv", "perfetto", "dot", "html",
};

static struct output *sink;

/* the bytes as one log, replayed as one format */
static void replay_as(const uint8_t *data, size_t size, const char *format)
{
	struct replay_view v = { .zombie_ms = PL_ZOMBIE_MS_DEFAULT };
	struct pl_log_reader *r;
	FILE *in;

	if (replay_format(format, &v))
		__builtin_trap(); /* a format the list above has wrong */
	/* every kind through the text view's folding, in colour, by the clock */
	view_opts_default(&v.show);
	v.show.events = events_all();
	v.show.color = COLOR_ALWAYS;
	v.show.wall_clock = true;
	v.show.kernel_threads = size & 1;
	in = fmemopen((void *)data, size, "r");
	if (!in)
		return;
	r = pl_log_open_stream(in, "fuzz");
	if (!r)
		return;
	replay_log(r, "fuzz", &v, sink);
	pl_log_close(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!sink)
		sink = output_open("/dev/null", false, false);
	if (!sink || !size)
		return 0;
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		replay_as(data, size, formats[i]);
	return 0;
}
