// SPDX-License-Identifier: BSD-2-Clause
#include <stdlib.h>
#include <sys/resource.h>
#include "log/parts.h"
#include "util/diag.h"

static unsigned part_of(const struct log_part *p)
{
	return pl_log_header(p->r)->part;
}

static int by_part(const void *a, const void *b)
{
	unsigned x = part_of(a), y = part_of(b);

	return (x > y) - (x < y);
}

int log_parts_order(struct log_part *parts, size_t n)
{
	unsigned long long trace;

	if (n < 2)
		return 0;
	qsort(parts, n, sizeof(*parts), by_part);
	trace = pl_log_header(parts[0].r)->trace_start;
	for (size_t i = 1; i < n; i++) {
		const struct pl_log_header_facts *h = pl_log_header(parts[i].r);
		unsigned before = part_of(&parts[i - 1]);

		if (h->trace_start != trace)
			return error("'%s' and '%s' are not parts of one log: their trace began at %llu "
				     "and at %llu (a log's later files say its start as trace_start)",
				     parts[0].name, parts[i].name, trace, h->trace_start);
		if (h->part == before)
			return error("'%s' and '%s' are both part %u of the log: give each part once",
				     parts[i - 1].name, parts[i].name, h->part);
		if (h->part == before + 1)
			continue;
		/* the lives that span it would be told as they stood before it:
		 * running, or zombies never reaped, though they ended there */
		if (h->part == before + 2)
			return error("part %u of the log is missing, between '%s' (part %u) and '%s' "
				     "(part %u): replay the files before it and after it apart",
				     before + 1, parts[i - 1].name, before, parts[i].name, h->part);
		return error("parts %u to %u of the log are missing, between '%s' (part %u) and "
			     "'%s' (part %u): replay the files before them and after them apart",
			     before + 1, h->part - 1, parts[i - 1].name, before, parts[i].name,
			     h->part);
	}
	return 0;
}

void log_parts_close(struct log_part *parts, size_t n)
{
	for (size_t i = 0; i < n && parts; i++)
		pl_log_close(parts[i].r);
	free(parts);
}

struct log_part *log_parts_open(char *const *names, size_t n)
{
	struct log_part *parts = calloc(n, sizeof(*parts));
	struct rlimit lim;

	if (!parts) {
		error("out of memory");
		return NULL;
	}
	/* a file each, open at once: as many as the system lets this process */
	if (n > 64 && !getrlimit(RLIMIT_NOFILE, &lim) && lim.rlim_cur < lim.rlim_max) {
		lim.rlim_cur = lim.rlim_max;
		setrlimit(RLIMIT_NOFILE, &lim);
	}
	for (size_t i = 0; i < n; i++) {
		parts[i].name = names[i];
		parts[i].r = pl_log_open(names[i]);
		if (!parts[i].r) {
			log_parts_close(parts, i);
			return NULL;
		}
	}
	if (log_parts_order(parts, n)) {
		log_parts_close(parts, n);
		return NULL;
	}
	return parts;
}

/* what a later file of a rotated log says again of the one before it */
static bool says_again(const struct pl_log_line *line)
{
	return line->kind == PL_LINE_FOLLOW ||
	       (line->kind == PL_LINE_EVENT && line->ev.kind == PL_EV_PROC);
}

void log_parts_read_init(struct log_parts_read *it, const struct log_part *parts, size_t n,
			 struct log_integrity *li)
{
	*it = (struct log_parts_read){ .parts = parts, .n = n, .li = li };
}

/* the next part begins: the one before it ends, its trailer held against
 * its own lines */
static void next_part(struct log_parts_read *it)
{
	const struct log_part *part = &it->parts[++it->at];

	log_integrity_next_part(it->li, part->name, pl_log_header(part->r)->start_ts);
	/* logrotate's copytruncate: the copy ends with no trailer, and lines
	 * written between the copy and the truncation are in neither file */
	if (!it->finished)
		warning("%s: no trailer, though a later part follows: lines of it may be missing",
			it->parts[it->at - 1].name);
	it->finished = false;
}

int log_parts_next(struct log_parts_read *it, struct pl_log_line *line)
{
	for (;;) {
		struct pl_log_reader *r = it->parts[it->at].r;
		int n = pl_log_next(r, line);

		if (n < 0)
			return -1;
		if (n == 0) {
			if (log_parts_in_last(it))
				return 0;
			next_part(it);
			continue;
		}
		if (it->at && says_again(line))
			continue;
		log_integrity_line(it->li, r, line);
		it->finished |= line->kind == PL_LINE_TRAILER;
		return 1;
	}
}
