/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One line of a JSONL log into what it says: the inverse of writer.c,
 * driven by the same field table (log/fields.h), parsed with simdjson
 * (log/json_line.h). A parser keeps everything it needs between lines in
 * itself, so two readers never share state.
 */
#ifndef PL_LOG_PARSE_H
#define PL_LOG_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include "events.h"
#include "log/writer.h"

enum pl_line_kind {
	PL_LINE_EVENT,   /* .ev holds it */
	PL_LINE_LOST,    /* .lost_kind, .lost_count */
	PL_LINE_TRAILER, /* .trailer holds its counts (alive list not kept) */
	PL_LINE_FOLLOW,  /* .follow_pid: the subtree the trace follows */
};

struct pl_log_line {
	enum pl_line_kind kind;
	struct pl_event ev;
	unsigned lost_kind;
	unsigned long long lost_count;
	unsigned follow_pid;
	unsigned long long ts; /* of lost and follow lines */
	struct pl_log_trailer trailer;
};

/* what the header line says */
struct pl_log_header_facts {
	int version;
	unsigned long long start_ts;
	long long boot_to_wall;
	bool threads; /* traced with --threads */
	bool waits_counted; /* waits come with exits; else count the wait lines */
	bool wait_records;  /* a wait line for each wait that began */
	bool cgroups_told;  /* cgroup paths told as cgroups were made, not looked up */
	unsigned zombie_ms; /* the trace's --zombie-ms; 0: not said */
	/* which file of a rotated log this is (1: the first, or not rotated),
	 * and the first file's ts: the trace it is a part of */
	unsigned part;
	unsigned long long trace_start;
};

struct pl_log_parser;

struct pl_log_parser *pl_log_parser_new(void); /* NULL when out of memory */
void pl_log_parser_free(struct pl_log_parser *p);
/* any line after the header: 0, or -1 with why (what is wrong, one line) */
int pl_log_parse_line(struct pl_log_parser *p, const char *text, size_t len,
		      struct pl_log_line *out, char *why, size_t whylen);
/* the same, for a text with PL_JLINE_PADDING readable bytes after it (a
 * reader's buffer), parsed where it is */
int pl_log_parse_padded_line(struct pl_log_parser *p, const char *text, size_t len,
			     struct pl_log_line *out, char *why, size_t whylen);
/* the first line: 0, or -1 with why ("not a proclife log (...)", ...) */
int pl_log_parse_header(struct pl_log_parser *p, const char *text, size_t len,
			struct pl_log_header_facts *out, char *why, size_t whylen);
/* the last line parsed held bytes that are not UTF-8, read as '?' */
bool pl_log_parser_repaired(const struct pl_log_parser *p);

#endif
