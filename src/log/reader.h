/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Reading a JSONL log back, line by line (log/parse.h turns each line into
 * what it says). Every problem is reported as "FILE:LINE: what is wrong".
 * A reader holds all its state: any number may be open at once.
 */
#ifndef PL_LOG_READER_H
#define PL_LOG_READER_H

#include <stdbool.h>
#include <stdio.h>
#include "log/parse.h"

struct pl_log_reader;

/* opens path ("-": standard input) and reads its header; NULL after an error */
struct pl_log_reader *pl_log_open(const char *path);
/* the same from an open stream, closed with the reader (unless stdin) */
struct pl_log_reader *pl_log_open_stream(FILE *f, const char *name);
void pl_log_close(struct pl_log_reader *r);
/* the number of the line read last, from 1 */
unsigned long pl_log_lineno(const struct pl_log_reader *r);
/* what the header says */
const struct pl_log_header_facts *pl_log_header(const struct pl_log_reader *r);
/* the header line as it was written, without its newline */
const char *pl_log_header_line(const struct pl_log_reader *r);
/* 1: a line in *out (or the zombie event an exit line told too, made from
 * that line: events.h); 0: end of the log; -1: an error was printed */
int pl_log_next(struct pl_log_reader *r, struct pl_log_line *out);
/* a warning was printed for a cut-short last line */
bool pl_log_truncated(const struct pl_log_reader *r);
/* back to the first line after the header, to read the log again: 0, or
 * -1 when the input cannot seek (a pipe, standard input) */
int pl_log_rewind(struct pl_log_reader *r);

#endif
