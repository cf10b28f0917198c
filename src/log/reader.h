/*
 * Reading a JSONL log back, line by line, with simdjson (json_line.h): the inverse of
 * jsonl.c, driven by the same field table. Every problem is reported as
 * "FILE:LINE: what is wrong".
 */
#ifndef PL_LOG_READER_H
#define PL_LOG_READER_H

#include <stdbool.h>
#include <stdio.h>
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

struct pl_log_reader;

/* opens path ("-": standard input) and reads its header; NULL after an error */
struct pl_log_reader *pl_log_open(const char *path);
/* the same from an open stream, closed with the reader (unless stdin) */
struct pl_log_reader *pl_log_open_stream(FILE *f, const char *name);
void pl_log_close(struct pl_log_reader *r);
/* the header's facts */
int pl_log_version(const struct pl_log_reader *r);
unsigned long long pl_log_start_ts(const struct pl_log_reader *r);
long long pl_log_boot_to_wall(const struct pl_log_reader *r);
/* the log was traced with --threads: thread events are in it */
bool pl_log_threads(const struct pl_log_reader *r);
/* the header line as it was written, without its newline */
const char *pl_log_header_line(const struct pl_log_reader *r);
/* 1: a line in *out; 0: end of the log; -1: an error was printed */
int pl_log_next(struct pl_log_reader *r, struct pl_log_line *out);
/* a warning was printed for a cut-short last line */
int pl_log_truncated(const struct pl_log_reader *r);

/* parses one line without a reader (for tests and fuzzing): 1 ok, -1 error */
int pl_log_parse_line(const char *text, size_t len, struct pl_log_line *out, char *why,
		      size_t whylen);

#endif
