/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Events in, everything the user sees out: the model is fed, its
 * conclusions join the stream, the stream is printed as text or JSONL, and
 * at the end come the trailer, tree and summary. The live tracer and replay
 * both run events through this, so they show the same thing.
 */
#ifndef PL_PIPELINE_H
#define PL_PIPELINE_H

#include <stdbool.h>
#include <stdio.h>
#include "events.h"
#include "log/writer.h"
#include "model/model.h"
#include "output/view_opts.h"

enum pl_view { PL_VIEW_NONE, PL_VIEW_TEXT, PL_VIEW_JSONL };

struct pipeline_opts {
	FILE *events;       /* the event stream (PL_VIEW_NONE: nothing) */
	enum pl_view view;
	FILE *report;       /* tree and summary */
	bool report_shared; /* report carries other lines too (the tracer's messages) */
	bool threads;       /* show thread events */
	bool threads_untold; /* the events come from a log that holds no thread's */
	bool tree, summary;
	struct view_opts show; /* what the text view shows, colours, clock, kernel threads */
	unsigned zombie_ms;
	bool waits_from_records; /* a log from before the kernel counted waits */
	unsigned long long t0; /* boot ns shown as time 0 */
	/* a format written from the whole run, by name (csv, perfetto, dot,
	 * html: output/export.h), to events; NULL: none */
	const char *export;
	long long boot_to_wall_ns; /* for wall-clock times, 0 if unknown */
	/* which bootstrap records to show; NULL: all */
	bool (*show_proc)(void *ctx, const struct pl_event *e);
	/* sees every event of the stream, the model's conclusions included,
	 * before anything is left out of the view (the metrics); NULL: none */
	void (*tap)(void *ctx, const struct pl_event *e);
	void *ctx;
};

struct pipeline;

struct pipeline *pipeline_new(const struct pipeline_opts *o);
void pipeline_free(struct pipeline *p);
struct pl_model *pipeline_model(struct pipeline *p);

/* limits tree, summary and the trailer's alive list to pid's subtree */
void pipeline_follow(struct pipeline *p, __u32 pid, unsigned long long ts);
/* a subtree that never began (a command stopped before it was run): the
 * end's tree, summary and export hold no process */
void pipeline_follow_none(struct pipeline *p);
void pipeline_event(struct pipeline *p, const struct pl_event *e);
void pipeline_lost(struct pipeline *p, unsigned long long ts, unsigned kind,
		   unsigned long long count);
/* the totals a log's trailer gives, where they exceed what was told */
void pipeline_lost_in_all(struct pipeline *p, unsigned long long ts,
			  const unsigned long long lost[PL_EV_KINDS]);
/* the kernel side's other counters (enum pl_stat), cumulative; losses
 * come through pipeline_lost() */
void pipeline_stats(struct pipeline *p, const unsigned long long stats[PL_STATS]);
/* time has come to now: zombies past the threshold are flagged, bursts
 * of alike events that have ended say their counts */
void pipeline_tick(struct pipeline *p, unsigned long long now);
/* the next moment a tick has something to do (boot ns; 0: nothing until
 * more events come) */
unsigned long long pipeline_next_due(struct pipeline *p);
/* the tree so far to the report stream, under a heading with the time
 * (the tracer's SIGUSR1) */
void pipeline_tree_now(struct pipeline *p, unsigned long long now);
/* are all followed processes gone (exited and freed or reaped)? */
bool pipeline_followed_done(struct pipeline *p);
/* how many followed processes still run; *zombies: how many have ended
 * but are not reaped yet */
size_t pipeline_followed_left(struct pipeline *p, size_t *zombies);
/* the log being replayed has no trailer (its tracer did not finish): a
 * JSONL made from it gets none either, so it says the same */
void pipeline_log_unfinished(struct pipeline *p);
/* trailer (JSONL), exports, tree and summary; exit_status of the command
 * or -1; -1 if an export failed */
/* for the log's trailer: what the ring buffer carried, and the tracer's
 * own CPU since it attached */
void pipeline_ring(struct pipeline *p, unsigned long long records, unsigned long long bytes);
void pipeline_tracer_cpu(struct pipeline *p, const struct pl_tracer_cpu *cpu);
/* lines of the log its reader was not given, for the trailer to say */
void pipeline_lines_dropped(struct pipeline *p, unsigned long long lines);
/* a replayed log's trailer counts, per kind: the trailer written again
 * says no fewer, so a log that lacked lines still says so */
void pipeline_events_said(struct pipeline *p, const unsigned long long events[PL_EV_KINDS]);
int pipeline_finish(struct pipeline *p, unsigned long long ts, int exit_status);

/* A log in parts (rotation). The part written so far ends with its
 * trailer (its own lines and losses; none when told is false: its file is
 * gone); the next goes to events, whose header the caller has written, and
 * begins with the processes alive now restated as proc lines, so each part
 * reads on its own */
void pipeline_end_part(struct pipeline *p, unsigned long long ts, bool told);
void pipeline_begin_part(struct pipeline *p, FILE *events, unsigned long long ts);

#endif
