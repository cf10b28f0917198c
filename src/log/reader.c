// SPDX-License-Identifier: BSD-2-Clause
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "log/json_line.h"
#include "log/reader.h"
#include "util/diag.h"
#include "util/stdfds.h"

/* above any line a tracer writes (the header of the longest argv exec
 * takes, 6 MiB, every byte escaped six-fold, is under 37 MiB): a file with
 * no line end is refused at this length instead of read into memory whole */
#define LINE_MAX_BYTES (16u << 20) /* a trailer listing 200,000 live processes */
#define READ_BLOCK 65536
/* bytes kept after those read, so a line is parsed where it is */
#define PAD PL_JLINE_PADDING

struct pl_log_reader {
	FILE *f;
	const char *path;
	struct pl_log_parser *parser;
	char *buf;         /* bytes read, lines taken from [start, end) */
	size_t cap, start, end;
	bool eof;
	off_t body;        /* where the lines after the header begin, -1: not seekable */
	unsigned long lineno;
	struct pl_log_header_facts header;
	char *header_line; /* as written */
	bool told_utf8;    /* the repaired UTF-8 warning is given once */
	bool told_cut;     /* and the cut-short one */
	bool truncated;
	bool done;
	bool trailer_read; /* the trailer ends the log: no line may follow it */
	bool then_zombie;  /* the last line was an exit that told its zombie moment too */
	struct pl_event zombie; /* that moment, the next event read */
};

/* more bytes after those held: 1, 0 at the end, -1 on a read error */
static int read_more(struct pl_log_reader *r)
{
	size_t n;

	if (r->eof)
		return 0;
	if (r->start) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	if (r->cap - r->end < READ_BLOCK) {
		size_t cap = r->cap ? 2 * r->cap : 4 * READ_BLOCK;
		char *more = realloc(r->buf, cap);

		if (!more)
			return error("out of memory reading '%s'", r->path);
		r->buf = more;
		r->cap = cap;
	}
	n = fread(r->buf + r->end, 1, r->cap - r->end - PAD, r->f);
	r->end += n;
	memset(r->buf + r->end, 0, PAD); /* what the parser reads past the last line */
	if (n)
		return 1;
	if (ferror(r->f))
		return error_errno("cannot read '%s'", r->path);
	r->eof = true;
	return 0;
}

/* the next line, terminated, without its newline: 1, 0 at the end, -1
 * after an error (a read error, a line too long) */
static int read_line(struct pl_log_reader *r, char **line, size_t *len, bool *complete)
{
	size_t scanned = 0, held;
	char *nl = NULL;
	int n;

	for (;;) {
		held = r->end - r->start;
		if (held > scanned &&
		    (nl = memchr(r->buf + r->start + scanned, '\n', held - scanned)))
			break;
		scanned = held;
		if (scanned > LINE_MAX_BYTES)
			break;
		n = read_more(r);
		if (n < 0)
			return -1;
		if (n == 0)
			break;
	}
	*line = r->buf + r->start;
	*len = nl ? (size_t)(nl - *line) : held;
	if (*len > LINE_MAX_BYTES)
		return error("%s:%lu: a line longer than %u MiB: not a proclife log line", r->path,
			     r->lineno + 1, LINE_MAX_BYTES >> 20);
	if (!nl && !*len)
		return 0;
	*complete = nl;
	(*line)[*len] = 0; /* the newline's place, or the byte read_more keeps free */
	r->start += *len + !!nl;
	r->lineno++;
	return 1;
}

static int read_header(struct pl_log_reader *r)
{
	char why[256], *line;
	size_t len;
	bool complete;
	int n = read_line(r, &line, &len, &complete);
	off_t at;

	if (n < 0)
		return -1;
	if (n == 0)
		return error("%s: empty, not a proclife log", r->path);
	/* a UTF-8 byte-order mark, which an editor may put first when it saves
	 * the log: no part of its header */
	if (len >= 3 && !memcmp(line, "\xef\xbb\xbf", 3)) {
		line += 3;
		len -= 3;
	}
	if (pl_log_parse_header(r->parser, line, len, &r->header, why, sizeof(why)))
		return error("%s:1: %s", r->path, why);
	at = ftello(r->f); /* past what was read ahead */
	r->body = at < 0 ? -1 : at - (off_t)(r->end - r->start);
	r->header_line = strdup(line);
	if (!r->header_line)
		return error("out of memory");
	return 0;
}

struct pl_log_reader *pl_log_open_stream(FILE *f, const char *name)
{
	struct pl_log_reader *r = calloc(1, sizeof(*r));

	if (!r || !(r->parser = pl_log_parser_new())) {
		error("out of memory");
		free(r);
		if (f != stdin)
			fclose(f);
		return NULL;
	}
	r->path = name;
	r->f = f;
	if (read_header(r)) {
		pl_log_close(r);
		return NULL;
	}
	return r;
}

struct pl_log_reader *pl_log_open(const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	struct stat st;

	/* a closed standard input reads as /dev/null (util/stdfds.h) */
	if (f == stdin && stdfd_was_closed(STDIN_FILENO)) {
		errno = EBADF;
		error_errno("cannot read standard input");
		return NULL;
	}
	if (!f) {
		error_errno("cannot open '%s'", path);
		return NULL;
	}
	if (!fstat(fileno(f), &st) && S_ISDIR(st.st_mode)) {
		error("'%s' is a directory, not a log", path);
		fclose(f);
		return NULL;
	}
	return pl_log_open_stream(f, path);
}

unsigned long pl_log_lineno(const struct pl_log_reader *r)
{
	return r->lineno;
}

void pl_log_close(struct pl_log_reader *r)
{
	if (!r)
		return;
	if (r->f && r->f != stdin)
		fclose(r->f);
	pl_log_parser_free(r->parser);
	free(r->buf);
	free(r->header_line);
	free(r);
}

const struct pl_log_header_facts *pl_log_header(const struct pl_log_reader *r)
{
	return &r->header;
}

const char *pl_log_header_line(const struct pl_log_reader *r)
{
	return r->header_line ? r->header_line : "";
}

int pl_log_next(struct pl_log_reader *r, struct pl_log_line *out)
{
	char why[256], *line;
	size_t len;
	bool complete;
	int n;

	if (r->then_zombie) {
		r->then_zombie = false;
		memset(out, 0, sizeof(*out));
		out->kind = PL_LINE_EVENT;
		out->ev = r->zombie;
		return 1;
	}
	if (r->done)
		return 0;
	n = read_line(r, &line, &len, &complete);
	if (n <= 0)
		return n;
	if (r->trailer_read)
		return error("%s:%lu: a line after the trailer, which ends a log", r->path,
			     r->lineno);
	if (pl_log_parse_padded_line(r->parser, line, len, out, why, sizeof(why)) == 0) {
		if (out->kind == PL_LINE_EVENT && out->ev.kind == PL_EV_EXIT &&
		    (out->ev.flags & PL_F_THEN_ZOMBIE)) {
			pl_event_zombie_of_exit(&out->ev, &r->zombie);
			r->then_zombie = true;
		}
		r->trailer_read = out->kind == PL_LINE_TRAILER;
		if (pl_log_parser_repaired(r->parser) && !r->told_utf8) {
			warning("%s:%lu: bytes that are not UTF-8 read as '?' (and in any later line)",
				r->path, r->lineno);
			r->told_utf8 = true;
		}
		return 1;
	}
	/* a tracer killed hard leaves its last line cut short: keep the rest */
	if (!complete) {
		if (!r->told_cut)
			warning("%s:%lu: the last line is cut short (the tracer was stopped hard, or its disk was full); "
				"using the lines before it", r->path, r->lineno);
		r->told_cut = true;
		r->truncated = true;
		r->done = true;
		return 0;
	}
	return error("%s:%lu: %s", r->path, r->lineno, why);
}

bool pl_log_truncated(const struct pl_log_reader *r)
{
	return r->truncated;
}

int pl_log_rewind(struct pl_log_reader *r)
{
	if (r->body < 0 || fseeko(r->f, r->body, SEEK_SET))
		return -1;
	clearerr(r->f);
	r->start = r->end = 0;
	r->eof = r->done = r->truncated = r->then_zombie = r->trailer_read = false;
	r->lineno = 1;
	return 0;
}
