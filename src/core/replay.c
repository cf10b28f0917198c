// SPDX-License-Identifier: BSD-2-Clause
#include <string.h>
#include "core/pipeline.h"
#include "core/replay.h"
#include "output/export.h"
#include "util/diag.h"

static const char *const format_names[] = {
	[REPLAY_TEXT] = "text", [REPLAY_JSONL] = "jsonl", [REPLAY_TREE] = "tree",
	[REPLAY_SUMMARY] = "summary",
};

int replay_format(const char *name, struct replay_view *v)
{
	for (size_t i = 0; i < sizeof(format_names) / sizeof(*format_names); i++) {
		if (!strcmp(name, format_names[i])) {
			v->format = (enum replay_format)i;
			v->export = NULL;
			return 0;
		}
	}
	if (!export_is_known(name))
		return -1;
	v->format = REPLAY_EXPORT;
	v->export = name;
	return 0;
}

static struct pipeline *make_pipeline(const struct pl_log_reader *r, const struct replay_view *v,
				      FILE *out)
{
	const struct pl_log_header_facts *h = pl_log_header(r);
	struct pipeline_opts po = {
		.events = out,
		.view = v->format == REPLAY_TEXT ? PL_VIEW_TEXT :
			v->format == REPLAY_JSONL ? PL_VIEW_JSONL : PL_VIEW_NONE,
		.report = out,
		/* a log traced with --threads is shown with them */
		.threads = v->threads || h->threads,
		.tree = v->format == REPLAY_TREE,
		.summary = v->format == REPLAY_TEXT || v->format == REPLAY_SUMMARY,
		.show = v->show,
		.zombie_ms = v->zombie_ms,
		.waits_from_records = !h->waits_counted,
		.t0 = h->start_ts,
		.export = v->format == REPLAY_EXPORT ? v->export : NULL,
		.boot_to_wall_ns = h->boot_to_wall,
	};

	if (v->format == REPLAY_JSONL)
		fprintf(out, "%s\n", pl_log_header_line(r));
	return pipeline_new(&po);
}

int replay_log(struct pl_log_reader *r, const char *name, const struct replay_view *v, FILE *out)
{
	struct pipeline *p = make_pipeline(r, v, out);
	struct pl_log_line line;
	unsigned long long last = 0;
	int exit_status = -1, n, ret = -1;
	bool trailer = false, pid_seen = false;

	if (!p)
		return -1;
	if (v->pid)
		pipeline_follow(p, v->pid, pl_log_header(r)->start_ts);
	while ((n = pl_log_next(r, &line)) > 0) {
		switch (line.kind) {
		case PL_LINE_EVENT:
			pid_seen |= line.ev.pid == v->pid;
			pipeline_tick(p, line.ev.ts);
			pipeline_event(p, &line.ev);
			last = line.ev.ts;
			break;
		case PL_LINE_LOST:
			pipeline_lost(p, line.ts, line.lost_kind, line.lost_count);
			break;
		case PL_LINE_FOLLOW:
			if (!v->pid)
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
			"running may have ended after its last line", name);
	if (n == 0) {
		/* zombies still unreaped at the end are flagged as the live run did */
		pipeline_tick(p, last);
		ret = pipeline_finish(p, last, exit_status);
		if (v->pid && !pid_seen)
			ret = error("%s: pid %u is not in the log", name, v->pid);
	}
	pipeline_free(p);
	return ret;
}
