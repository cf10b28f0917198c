// SPDX-License-Identifier: BSD-2-Clause
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "log/reader.h"
#include "util/diag.h"

struct pl_log_reader {
	FILE *f;
	const char *path;
	struct pl_log_parser *parser;
	char *line;
	size_t cap;
	unsigned long lineno;
	struct pl_log_header_facts header;
	char *header_line; /* as written */
	bool told_utf8;    /* the repaired UTF-8 warning is given once */
	bool truncated;
	bool done;
};

/* the next line without its newline: 1, 0 at the end, -1 on a read error */
static int read_line(struct pl_log_reader *r, size_t *len, bool *complete)
{
	ssize_t n = getline(&r->line, &r->cap, r->f);

	if (n < 0)
		return ferror(r->f) ? error_errno("cannot read '%s'", r->path) : 0;
	r->lineno++;
	*complete = n > 0 && r->line[n - 1] == '\n';
	if (*complete)
		r->line[--n] = 0;
	*len = (size_t)n;
	return 1;
}

static int read_header(struct pl_log_reader *r)
{
	char why[256];
	size_t len;
	bool complete;
	int n = read_line(r, &len, &complete);

	if (n < 0)
		return -1;
	if (n == 0)
		return error("%s: empty, not a proclife log", r->path);
	if (pl_log_parse_header(r->parser, r->line, len, &r->header, why, sizeof(why)))
		return error("%s:1: %s", r->path, why);
	r->header_line = strdup(r->line);
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

void pl_log_close(struct pl_log_reader *r)
{
	if (!r)
		return;
	if (r->f && r->f != stdin)
		fclose(r->f);
	pl_log_parser_free(r->parser);
	free(r->line);
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
	char why[256];
	size_t len;
	bool complete;
	int n;

	if (r->done)
		return 0;
	n = read_line(r, &len, &complete);
	if (n <= 0)
		return n;
	if (pl_log_parse_line(r->parser, r->line, len, out, why, sizeof(why)) == 0) {
		if (pl_log_parser_repaired(r->parser) && !r->told_utf8) {
			warning("%s:%lu: bytes that are not UTF-8 read as '?' (and in any later line)",
				r->path, r->lineno);
			r->told_utf8 = true;
		}
		return 1;
	}
	/* a tracer killed hard leaves its last line cut short: keep the rest */
	if (!complete && fgetc(r->f) == EOF) {
		warning("%s:%lu: the last line is cut short (the tracer was stopped hard); "
			"using the lines before it", r->path, r->lineno);
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
