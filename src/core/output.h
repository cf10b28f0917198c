/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Where a command's output goes: standard output or a file of the user's.
 * Writing never fails silently and is said once: the first write that
 * fails is an error line (a reader that closed its pipe, `| head`, is no
 * error: it has seen enough), and what could not be written is counted.
 */
#ifndef PL_OUTPUT_H
#define PL_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

struct output;

/* the format a file's name asks for (run.jsonl, report.html, trace.json,
 * tree.dot, rows.csv, events.txt: jsonl, html, perfetto, dot, csv, text),
 * for when no -f says; NULL for any other name */
const char *output_format_of(const char *path);

/* path NULL or "-": standard output; a path that is a link to standard
 * output or error (/dev/stdout, /dev/fd/2) is that stream. A file is
 * created mode 0600 (given to the user who ran sudo), never through a
 * symlink, and an existing one replaced only with force. never_wait: a
 * pipe, terminal or socket is written by a thread of its own
 * (output_queue.h), so the caller never waits for its reader; a file or
 * another device (/dev/null) is always written in place, whole. NULL
 * after saying why. */
struct output *output_open(const char *path, bool force, bool never_wait);
/* path is no file another proclife holds (writes): 0, or -1 after saying so.
 * Every regular file an output opens is held until it is closed */
int output_refuse_if_held(const char *path);
/* fd (path's) held locked from now on; -1, said, if another proclife has it */
int output_hold(int fd, const char *path);
/* a FIFO's reader is waited for at most seconds (0: until a stop signal) */
void output_wait_for_reader_at_most(double seconds);
/* output_open's, except that a file is made, or one that exists (force)
 * replaced, only at a clean output_close: the output goes to an unnamed
 * file beside it, named then (renamed over the old one); until then, and
 * after any failure, the path is as it was. Where the file system has no
 * unnamed files, as output_open */
struct output *output_open_replacing(const char *path, bool force);
/* the standard output or error (fd 1 or 2), as output_open would */
struct output *output_std(int fd, bool never_wait);
/* what the views write to */
FILE *output_stream(const struct output *o);
/* bytes written to it so far, what stdio still holds included */
unsigned long long output_bytes(const struct output *o);
/* the CPU time the writing thread spent inside write() to it: a file
 * (the page cache's work) or another output written in place; 0 for one
 * written by a thread of its own (a pipe, terminal or socket) */
unsigned long long output_write_cpu_ns(const struct output *o);
/* a log file written at its end, wherever that is: one truncated where it
 * lies (logrotate's copytruncate) goes on at its start, not past a hole */
int output_append(struct output *o);
/* the file's size now, or -1 (not a file) */
long long output_file_size(const struct output *o);
/* emptied again where it lies: 0, or -1 with errno */
int output_empty_file(struct output *o);
/* an empty file someone else made at path (logrotate's create: its owner
 * and mode are theirs), written as it is; NULL with why */
struct output *output_open_empty(const char *path);
/* whole lines a reader that did not keep up was not given (flush first:
 * what stdio still holds has not been offered yet) */
unsigned long long output_dropped_lines(const struct output *o);
/* the descriptor behind it */
int output_fd(const struct output *o);
/* its reader may leave: a pipe, a socket or a terminal */
bool output_may_stall(const struct output *o);
/* its reader has left (seen on the descriptor before any write failed) */
void output_reader_gone(struct output *o);
/* the process's standard output (which a command started shares) */
bool output_is_stdout(const struct output *o);
/* a regular file opened by its name, not a standard stream */
bool output_is_file(const struct output *o);
/* stdio's own stream on the same standard descriptor (stdout, stderr), for
 * what looks behind a stream with isatty(); NULL for a file of the user's */
FILE *output_std_stream(const struct output *o);
/* a log or an export (what) on standard error, where proclife's own
 * messages go, would not read back: said as an error for -o name, -1;
 * 0 anywhere else */
int output_refuse_stderr(const struct output *o, const char *name, const char *what);
/* flushes what is buffered: 0, or -1 once the output takes no more, the
 * first time after saying why */
int output_flush(struct output *o);
/* it took no more because its reader closed it */
bool output_reader_left(const struct output *o);
/* a write failed, or its reader left: nothing more goes through */
bool output_took_no_more(struct output *o);
/* flushes, gives a queue up to timeout_ms to be written, closes (the
 * standard streams stay open): 0, or -1 after saying why (a write that
 * failed, lines a reader did not take). A file that failed is removed
 * unless keep_partial: half an export would pass for a whole one, where
 * a log's missing trailer says it was cut */
int output_close(struct output *o, int timeout_ms, bool keep_partial);
/* an export: written aside and put in its file, or handed to its pipe or
 * terminal, only at a clean output_close, so a trace killed meanwhile, or
 * a log that fails half-way, leaves nothing of it. Before the first byte;
 * a no-op for an output with a queue (its reader may stall) */
void output_whole_or_nothing(struct output *o, const char *path);
/* closes it and removes the file it wrote (a regular file, not a
 * stream, device or pipe): half an output would pass for a whole one. A
 * pipe or terminal gets the whole lines written so far */
void output_discard(struct output *o);

#endif
