// SPDX-License-Identifier: BSD-2-Clause
#include <stdlib.h>
#include <string.h>
#include "log/parts.h"
#include "log/reader.h"
#include "model/model.h"
#include "util/array.h"
#include "util/count.h"
#include "util/diag.h"
#include "log/integrity.h"
#include "verify/log_facts.h"

static int push(struct lf_list *l, const struct pl_event *e, __u32 other)
{
	if (array_room(&l->v, &l->cap, l->n, sizeof(*l->v), 256))
		return error("out of memory");
	l->v[l->n++] = (struct lf_rec){ e->ts, e->start, e->pid, e->tid, other, e->flags };
	return 0;
}

/* every life, as the model leaves it: on release, and at the end */
static void keep(void *ctx, const struct pl_proc *p)
{
	struct log_facts *lf = ctx;

	if (p->flags & PL_P_PLACEHOLDER)
		return;
	if (array_room(&lf->procs, &lf->cap, lf->nprocs, sizeof(*lf->procs), 1024))
		return;
	pl_proc_rec_fill(&lf->procs[lf->nprocs++], p);
}

static int note_raw(struct log_facts *lf, const struct pl_event *e)
{
	switch (e->kind) {
	case PL_EV_WAIT:
		return push(&lf->waits, e, e->target);
	case PL_EV_REAP:
		return push(&lf->reaps, e, e->reaper);
	case PL_EV_EXEC:
		return push(&lf->execs, e, e->old_tid);
	case PL_EV_FORK:
		return e->flags & PL_F_THREAD ? push(&lf->threads, e, e->ppid) : 0;
	case PL_EV_EXIT:
	case PL_EV_WAITS:
		return e->nohang_polls ? push(&lf->polls, e, e->nohang_polls) : 0;
	default:
		return 0;
	}
}

/* one line: the model fed, the raw records kept; -1 after saying why */
static int read_line(struct log_facts *lf, struct pl_model *m, const struct pl_log_line *line)
{
	if (line->kind == PL_LINE_FOLLOW) {
		lf->root = line->follow_pid;
		pl_model_follow(m, line->follow_pid);
	} else if (line->kind == PL_LINE_TRAILER) {
		unsigned long long skipped = line->trailer.stats[PL_STAT_RUNS_SKIPPED];

		lf->lines_dropped = count_add(lf->lines_dropped, line->trailer.lines_dropped);
		if (skipped != PL_NOT_COUNTED)
			lf->skipped_runs = skipped; /* counted from the start */
	} else if (line->kind == PL_LINE_LOST) {
		lf->lost = count_add(lf->lost, line->lost_count);
	} else if (line->kind == PL_LINE_EVENT && !(line->ev.flags & PL_F_DERIVED)) {
		pl_model_feed(m, &line->ev);
		return note_raw(lf, &line->ev);
	}
	return 0;
}

int log_facts_read(char *const *paths, size_t nparts, struct log_facts *lf)
{
	struct pl_model_opts mo = { .on_release = keep, .ctx = lf, .problem = error_handed_back };
	const struct pl_log_header_facts *h;
	struct log_part *parts;
	struct pl_model *m;
	struct pl_log_line line;
	struct log_integrity li;
	struct log_parts_read it;
	int n;

	memset(lf, 0, sizeof(*lf));
	parts = log_parts_open(paths, nparts);
	if (!parts)
		return -1;
	h = pl_log_header(parts[0].r);
	lf->traced_threads = h->threads;
	lf->wait_records = h->wait_records;
	lf->cgroups_told = h->cgroups_told;
	mo.waits_from_records = !h->waits_counted;
	m = pl_model_new(&mo);
	if (!m) {
		log_parts_close(parts, nparts);
		return error("out of memory");
	}
	log_integrity_init(&li, parts[0].name, h->start_ts);
	li.dropped_told_by_caller = true; /* compare says it with the facts it costs */
	log_parts_read_init(&it, parts, nparts, &li);
	while ((n = log_parts_next(&it, &line)) > 0) {
		if (read_line(lf, m, &line)) {
			n = -1;
			break;
		}
	}
	lf->unfinished = !it.finished;
	lf->last = parts[nparts - 1].name;
	lf->cut = pl_log_truncated(parts[nparts - 1].r);
	if (n == 0) {
		log_integrity_end(&li);
		lf->doubts = li.doubts;
		pl_model_flush(m);
	}
	log_integrity_free(&li);
	pl_model_free(m);
	log_parts_close(parts, nparts);
	return n < 0 ? -1 : 0;
}

void log_facts_free(struct log_facts *lf)
{
	for (size_t i = 0; i < lf->nprocs; i++)
		pl_proc_rec_free(&lf->procs[i]);
	free(lf->procs);
	free(lf->waits.v);
	free(lf->polls.v);
	free(lf->reaps.v);
	free(lf->execs.v);
	free(lf->threads.v);
	memset(lf, 0, sizeof(*lf));
}
