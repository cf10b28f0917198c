// SPDX-License-Identifier: BSD-2-Clause
#include <string.h>
#include "core/pipeline.h"
#include "core/replay.h"
#include "log/integrity.h"
#include "util/count.h"
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
				      struct output *o)
{
	const struct pl_log_header_facts *h = pl_log_header(r);
	FILE *out = output_stream(o);
	struct pipeline_opts po = {
		.events = out,
		.view = v->format == REPLAY_TEXT ? PL_VIEW_TEXT :
			v->format == REPLAY_JSONL ? PL_VIEW_JSONL : PL_VIEW_NONE,
		.report = out,
		/* a log traced with --threads is shown with them */
		.threads = v->threads || h->threads,
		.threads_untold = !h->threads,
		.tree = v->format == REPLAY_TREE || v->tree,
		.summary = (v->format == REPLAY_TEXT && !v->no_summary) ||
			   v->format == REPLAY_SUMMARY || v->summary,
		.show = v->show,
		/* as the trace flagged them, unless asked otherwise */
		.zombie_ms = v->zombie_ms ? v->zombie_ms
			     : h->zombie_ms ? h->zombie_ms : PL_ZOMBIE_MS_DEFAULT,
		.waits_from_records = !h->waits_counted,
		.t0 = h->start_ts,
		.export = v->format == REPLAY_EXPORT ? v->export : NULL,
		.boot_to_wall_ns = h->boot_to_wall,
	};

	/* a log that does not say it (one of an earlier version): the times
	 * are said as they are known, from the trace's start */
	if (v->show.wall_clock && !h->boot_to_wall)
		warning("the log does not say the wall clock at boot (its header has no "
			"boot_to_wall_ns): times are seconds since the trace began, not of the day");
	if (v->format == REPLAY_JSONL)
		fprintf(out, "%s\n", pl_log_header_line(r));
	/* colour is decided on the descriptor behind the output (its own
	 * stream has none) */
	if (po.show.color == COLOR_AUTO)
		po.show.color = view_color(&po.show, output_std_stream(o)) ? COLOR_ALWAYS : COLOR_NEVER;
	return pipeline_new(&po);
}

/* pid is in the log (1) or not (0), read ahead when its files can be read
 * again, so a pid that is not there is an error and nothing else; a log
 * read once (standard input) is taken to have it (1) until its end says; -1
 * after saying why */
static int pid_in_log(const struct log_part *parts, size_t nparts, __u32 pid)
{
	struct pl_log_line line;
	int n = 0;

	for (size_t i = 0; i < nparts; i++)
		if (pl_log_rewind(parts[i].r))
			return 1;
	for (size_t i = 0; i < nparts && n == 0; i++) {
		while ((n = pl_log_next(parts[i].r, &line)) > 0)
			if (line.kind == PL_LINE_EVENT && line.ev.pid == pid)
				break;
		if (n < 0)
			return -1;
	}
	for (size_t i = 0; i < nparts; i++)
		if (pl_log_rewind(parts[i].r))
			return error_errno("cannot read '%s' again", parts[i].name);
	return n > 0;
}

/* what the trailers of parts read so far say */
struct parts_read {
	int exit_status;
	unsigned long long last, lost[PL_EV_KINDS], dropped;
};

/* a trailer counts the records lost and the lines dropped while its own
 * part was written; the last one's says how the trace ended */
static void trailer_read(struct pipeline *p, struct parts_read *pr, const struct pl_log_trailer *t,
			 bool last_part)
{
	for (unsigned k = 0; k < PL_EV_KINDS; k++)
		pr->lost[k] = count_add(pr->lost[k], t->lost[k]);
	pr->dropped = count_add(pr->dropped, t->lines_dropped);
	pr->last = t->ts;
	pipeline_lost_in_all(p, pr->last, pr->lost);
	pipeline_lines_dropped(p, pr->dropped);
	if (!last_part)
		return;
	pr->exit_status = t->exit_status;
	pipeline_stats(p, t->stats);
	/* a log written again keeps what this one's trailer says of lines it
	 * lacks */
	pipeline_events_said(p, t->events);
}

int replay_parts(struct log_part *parts, size_t nparts, const struct replay_view *v,
		 struct output *out)
{
	const struct pl_log_header_facts *h = pl_log_header(parts[0].r);
	struct parts_read pr = { .exit_status = -1 };
	struct log_parts_read it;
	struct pipeline *p;
	struct pl_log_line line;
	struct log_integrity li;
	int n, ret = -1;
	bool pid_seen = false;

	n = v->pid ? pid_in_log(parts, nparts, v->pid) : 1;
	if (n < 0)
		return -1;
	if (n == 0)
		return error("%s: pid %u is not in the log", parts[0].name, v->pid);
	p = make_pipeline(parts[0].r, v, out);
	if (!p)
		return -1;
	log_integrity_init(&li, parts[0].name, h->start_ts);
	log_parts_read_init(&it, parts, nparts, &li);
	if (v->pid)
		pipeline_follow(p, v->pid, h->start_ts);
	while ((n = log_parts_next(&it, &line)) > 0) {
		/* the output takes no more (its reader left): nothing more to show */
		if (output_took_no_more(out))
			break;
		switch (line.kind) {
		case PL_LINE_EVENT:
			pid_seen |= line.ev.pid == v->pid;
			pipeline_tick(p, line.ev.ts);
			pipeline_event(p, &line.ev);
			pr.last = line.ev.ts;
			break;
		case PL_LINE_LOST:
			pipeline_lost(p, line.ts, line.lost_kind, line.lost_count);
			break;
		case PL_LINE_FOLLOW:
			if (!v->pid)
				pipeline_follow(p, line.follow_pid, line.ts);
			break;
		case PL_LINE_TRAILER:
			trailer_read(p, &pr, &line.trailer, log_parts_in_last(&it));
			break;
		}
	}
	if (output_took_no_more(out)) {
		log_integrity_free(&li);
		pipeline_free(p);
		return 0; /* the output says why */
	}
	if (n == 0 && v->pid && !pid_seen) {
		/* a log read once (standard input): its views end here */
		ret = error("%s: pid %u is not in the log", parts[0].name, v->pid);
	} else if (n == 0) {
		log_integrity_end(&li);
		if (!it.finished && !pl_log_truncated(parts[nparts - 1].r))
			warning("%s: no trailer: the tracer did not finish (killed?), so processes "
				"shown running may have ended after its last line", parts[nparts - 1].name);
		if (!it.finished)
			pipeline_log_unfinished(p);
		/* zombies still unreaped at the end are flagged as the live run did */
		pipeline_tick(p, pr.last);
		ret = pipeline_finish(p, pr.last, pr.exit_status);
	}
	log_integrity_free(&li);
	pipeline_free(p);
	return ret;
}

int replay_log(struct pl_log_reader *r, const char *name, const struct replay_view *v,
	       struct output *out)
{
	struct log_part part = { .r = r, .name = name };

	return replay_parts(&part, 1, v, out);
}
