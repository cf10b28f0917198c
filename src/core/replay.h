/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A log read back through the pipeline: the model, views and exporters of
 * the live tracer, fed from a JSONL log. `proclife replay` runs it on a
 * file; the replay fuzzer runs it on any bytes, in every format.
 */
#ifndef PL_REPLAY_H
#define PL_REPLAY_H

#include <stdbool.h>
#include <stdio.h>
#include "events.h"
#include "log/parts.h"
#include "core/output.h"
#include "log/reader.h"
#include "output/view_opts.h"

enum replay_format { REPLAY_TEXT, REPLAY_JSONL, REPLAY_TREE, REPLAY_SUMMARY, REPLAY_EXPORT };

struct replay_view {
	enum replay_format format;
	const char *export; /* REPLAY_EXPORT: its name (export.h) */
	bool threads;       /* show thread events (a log traced with --threads shows them anyway) */
	bool no_summary;    /* text: the events alone (--no-summary) */
	bool tree;          /* text, summary: the tree at the end too (--tree) */
	bool summary;       /* tree: the summary after it (--summary) */
	unsigned zombie_ms;
	__u32 pid;          /* tree and summary of this subtree; 0: the log's own follow line */
	struct view_opts show; /* --events, --color, --wall-clock, --kernel-threads */
};

/* the view by name: text, jsonl, tree, summary or an export (export.h); -1 if unknown */
int replay_format(const char *name, struct replay_view *v);

/* every line of r, named name in messages, through a pipeline writing the
 * view to out: 0, or -1 after printing why (a bad line, a failed export,
 * a pid that is not in the log). It stops early, returning 0, once out
 * takes no more: closing out says why (nothing when its reader left) */
int replay_log(struct pl_log_reader *r, const char *name, const struct replay_view *v,
	       struct output *out);
/* the same for the files of one rotated log, in the order they were
 * written (log_parts_order): read as one log, each later file without what
 * it says again of the one before it (its follow and proc lines), each
 * file's trailer held against its own lines */
int replay_parts(struct log_part *parts, size_t nparts, const struct replay_view *v,
		 struct output *out);

#endif
