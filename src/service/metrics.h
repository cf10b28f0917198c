/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the tracer says to Prometheus: counters of the events as they pass
 * (the same stream the log is written from, so the two agree), gauges
 * read from the model when scraped, and the tracer's own CPU and memory.
 * Rendered in the Prometheus text format or in OpenMetrics, whichever the
 * scraper asks for. No I/O but /proc/self and getrusage.
 */
#ifndef PL_METRICS_H
#define PL_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include "events.h"
#include "model/model.h"

/* zombie_seconds' buckets: from 1 ms to 1 h */
#define METRICS_ZOMBIE_BUCKETS 15

struct metrics;

/* NULL when out of memory */
struct metrics *metrics_new(void);
void metrics_free(struct metrics *m);
/* every event of the stream, the model's conclusions included */
void metrics_event(struct metrics *m, const struct pl_event *e);

/* what is read at the moment of a scrape */
struct metrics_now {
	const struct pl_model *model; /* gauges and losses; NULL: not yet */
	__u32 root;                   /* the followed subtree, 0: everything */
	unsigned long long now_ns;    /* boot ns */
	const char *version;          /* for proclife_build_info */
};

/* the exposition, malloc'd (*len bytes), or NULL when out of memory */
char *metrics_render(struct metrics *m, const struct metrics_now *now, bool openmetrics,
		     size_t *len);

/* the HTTP Content-Type of each format */
#define METRICS_TEXT_TYPE "text/plain; version=0.0.4; charset=utf-8"
#define METRICS_OPENMETRICS_TYPE "application/openmetrics-text; version=1.0.0; charset=utf-8"

#endif
