// SPDX-License-Identifier: BSD-2-Clause
#include "log/integrity.h"
#include "util/count.h"
#include "util/diag.h"

/*
 * A log's lines come in the order of their times, but for records of two
 * CPUs a moment apart and the model's conclusions; and each pid is born
 * once per life, its lives one after another, each ending once and reaped
 * once, by a wait after its end. A line much older than one before it, a birth no
 * later than the pid's last, a life's second end or reap, an end after the
 * reap (in the log's order or by their times), a zombie moment before the
 * end, or a line told twice in a row was repeated, moved or changed (a log
 * joined twice, or sorted, or edited): said once.
 */
#define BACK_NS 1000000000ULL
#define BEFORE_HEADER_NS 5000000000ULL

enum { LIFE_ENDED = 1, LIFE_REAPED = 2, LIFE_WAITED = 4 };

struct birth {
	__u32 pid;
	__u64 start; /* its latest life's */
	__u64 ended; /* a life whose end came with no birth before it */
	__u64 life;  /* the life its lines so far told, and what they told of it */
	unsigned told;
	/* when its life's lines say it ended (its end's or zombie moment's
	 * time, the later) and was first reaped: a reap comes after both */
	__u64 end_ts, reap_ts;
	/* its last line: one told again at once is the same moment twice */
	__u64 last_ts;
	__u32 last_tid, last_kind;
	/* the parent its last orphaning took it from: a parent ends once, so
	 * its orphans are orphaned from it once (0: none yet) */
	__u32 orphaned_from;
};

/* what e tells again of its life, or NULL: its end or its reap a second
 * time, its end after its reap, the line before it again */
static const char *told_again(struct log_order *oc, const struct pl_event *e)
{
	bool fresh;
	struct birth *b = pidtab_get(&oc->births, e->pid, &fresh);
	const char *again = NULL;
	bool end = e->kind == PL_EV_EXIT && (e->flags & PL_F_GROUP_DEAD);
	/* a wait reaps a zombie, whose end is told before: a process released
	 * as it ends (auto-reaped) may have its reap told first */
	bool waited = e->kind == PL_EV_REAP && !(e->flags & (PL_F_AUTO | PL_F_INFERRED));

	if (!b || e->start < b->life)
		return NULL; /* an earlier life's (its free may come after its pid's reuse) */
	if (fresh || e->start > b->life) {
		b->life = e->start;
		b->told = 0;
		b->end_ts = b->reap_ts = 0;
		b->orphaned_from = 0;
	} else if (e->kind == b->last_kind && e->ts == b->last_ts && e->tid == b->last_tid) {
		again = "told twice";
	} else if (e->kind == PL_EV_REPARENT && e->adopter != PL_ADOPT_THREAD && e->old_parent &&
		   e->old_parent == b->orphaned_from) {
		again = "is orphaned twice by the end of one parent";
	} else if (end && (b->told & LIFE_WAITED)) {
		again = "ends after its reap";
	} else if (end && (b->told & LIFE_ENDED)) {
		again = "ends twice";
	} else if (e->kind == PL_EV_REAP && (b->told & LIFE_REAPED)) {
		again = "is reaped twice";
	} else if (end && (b->told & LIFE_REAPED) && e->ts > b->reap_ts) {
		again = "ends after its reap"; /* a release told first, timed before the end */
	} else if (e->kind == PL_EV_REAP && (b->told & LIFE_ENDED) && e->ts < b->end_ts) {
		again = "is reaped before it ends";
	} else if (e->kind == PL_EV_ZOMBIE && (b->told & LIFE_ENDED) && e->ts < b->end_ts) {
		again = "is a zombie before it ends";
	} else if ((b->told & LIFE_WAITED) && e->kind != PL_EV_FREE &&
		   e->kind != PL_EV_REPARENT) {
		/* its free may follow, and its adoption: told at the old parent's
		 * last switch, which may come after the orphan's end and reap */
		again = "has a line after the wait that reaped it";
	}
	if ((end || e->kind == PL_EV_ZOMBIE) && e->ts > b->end_ts)
		b->end_ts = e->ts;
	if (e->kind == PL_EV_REAP && !(b->told & LIFE_REAPED))
		b->reap_ts = e->ts;
	if (e->kind == PL_EV_REPARENT && e->adopter != PL_ADOPT_THREAD)
		b->orphaned_from = e->old_parent;
	b->told |= (end ? LIFE_ENDED : 0) | (e->kind == PL_EV_REAP ? LIFE_REAPED : 0) |
		   (waited ? LIFE_WAITED : 0);
	b->last_ts = e->ts;
	b->last_tid = e->tid;
	b->last_kind = e->kind;
	return again;
}

/* an end of a life whose birth no line has told (yet: it began before the
 * trace, or its birth comes after, out of order) */
static void ended_unborn(struct log_order *oc, const struct pl_event *e)
{
	struct birth *b = pidtab_find(&oc->births, e->pid);
	bool fresh;

	if (b && b->start == e->start)
		return;
	b = pidtab_get(&oc->births, e->pid, &fresh);
	if (b)
		b->ended = e->start;
}

static void check_order(struct pl_log_reader *r, const char *name, const struct pl_event *e,
			struct log_order *oc)
{
	struct birth *b = NULL;
	const char *again;
	bool fresh = true;

	if (e->flags & PL_F_DERIVED)
		return;
	/* before any other entry is taken: one may move the table */
	again = !oc->told && e->start ? told_again(oc, e) : NULL;
	/* a process's lives, not its threads' nor a reap that names none */
	if (!(e->flags & PL_F_THREAD) && e->start) {
		if (e->kind == PL_EV_FORK)
			b = pidtab_get(&oc->births, e->pid, &fresh);
		else if (e->kind == PL_EV_EXIT || e->kind == PL_EV_REAP)
			ended_unborn(oc, e);
	}
	if (again) {
		warning("%s:%lu: pid %u %s: lines of the log are repeated or out of order, and "
			"what it tells may not hold", name, pl_log_lineno(r), e->pid, again);
		oc->told = true;
	}
	if (!oc->told && b && !fresh && (e->start <= b->start || e->start == b->ended)) {
		warning("%s:%lu: pid %u is born %s: lines of the log are repeated or out of order, "
			"and what it tells may not hold", name, pl_log_lineno(r), e->pid,
			e->start == b->ended ? "after its end" : "again no later than its last life");
		oc->told = true;
	}
	/* what a process does comes after its start (a fork's line is at it) */
	if (!oc->told && e->start && e->ts < e->start) {
		warning("%s:%lu: this line's time is before its process started: the log does not "
			"hold, and what it tells may not either", name, pl_log_lineno(r));
		oc->told = true;
	}
	/* the programs are attached just before the header's time (a slow
	 * machine may take a while over the last of them), and a rotated part
	 * begins at its header: no line is long before it but an exit, whose
	 * record waits for its zombie moment */
	if (!oc->told && e->kind != PL_EV_EXIT && e->ts < oc->begin &&
	    oc->begin - e->ts > BEFORE_HEADER_NS) {
		warning("%s:%lu: this line is %.3f s older than the log's header, where it "
			"begins: the log does not hold, and its times may not either",
			name, pl_log_lineno(r), (double)(oc->begin - e->ts) / 1e9);
		oc->told = true;
	}
	/* an exit's record is kept until its zombie moment or its release,
	 * which the next event tells: an exit that took long is no disorder */
	if (!oc->told && e->kind != PL_EV_EXIT && e->ts < oc->newest &&
	    oc->newest - e->ts > BACK_NS) {
		warning("%s:%lu: this line is %.3f s older than one before it: lines of the log "
			"are repeated or out of order, and what it tells may not hold",
			name, pl_log_lineno(r), (double)(oc->newest - e->ts) / 1e9);
		oc->told = true;
	}
	if (b && e->start > b->start)
		b->start = e->start;
	if (e->kind != PL_EV_EXIT && e->ts > oc->newest)
		oc->newest = e->ts;
}

/* the tracer tells each loss in a lost line as it happens, the last ones
 * before its trailer: a trailer that counts more was not written with
 * these lines (a log joined from parts, or edited) */
static unsigned untold_lost(const char *name, const struct pl_log_trailer *t,
			    const unsigned long long told[PL_EV_KINDS])
{
	unsigned said = 0;
	unsigned long long untold = 0, sum = 0;

	for (unsigned k = 0; k < PL_EV_KINDS; k++) {
		if (t->lost[k] > told[k])
			untold = count_add(untold, t->lost[k] - told[k]);
		sum = count_add(sum, t->lost[k]);
	}
	if (untold) {
		warning("%s: the trailer counts %llu lost records that no lost line told: its lines "
			"are not all the trace wrote", name, untold);
		said++;
	}
	if (t->lost_total_said != ~0ULL && t->lost_total_said != sum) {
		warning("%s: the trailer's lost_total is %llu, but its lost records per kind add "
			"up to %llu: it was not written as it is", name, t->lost_total_said, sum);
		said++;
	}
	return said;
}

/* the trailer counts its part's lines of each kind: a log with fewer lost
 * some (a part joined to another has more). Its proc lines are left out:
 * a join keeps only the first part's */
static unsigned untold_lines(const char *name, const struct pl_log_trailer *t,
			     const unsigned long long read[PL_EV_KINDS])
{
	unsigned long long missing = 0;

	for (unsigned k = 0; k < PL_EV_KINDS; k++)
		if (k != PL_EV_PROC && t->events[k] > read[k])
			missing = count_add(missing, t->events[k] - read[k]);
	if (!missing)
		return 0;
	warning("%s: the trailer counts %llu event%s that %s not in the log: lines of it are "
		"missing, and what it tells may not hold", name, missing, missing == 1 ? "" : "s",
		missing == 1 ? "is" : "are");
	return 1;
}


void log_integrity_init(struct log_integrity *li, const char *name, unsigned long long begin)
{
	memset(li, 0, sizeof(*li));
	li->name = name;
	li->order.begin = begin;
	li->order.births.size = sizeof(struct birth);
}

void log_integrity_line(struct log_integrity *li, struct pl_log_reader *r,
			const struct pl_log_line *line)
{
	bool told = li->order.told;

	switch (line->kind) {
	case PL_LINE_EVENT:
		if (line->ev.kind < PL_EV_KINDS)
			li->read[line->ev.kind] = count_add(li->read[line->ev.kind], 1);
		check_order(r, li->name, &line->ev, &li->order);
		li->doubts += !told && li->order.told;
		break;
	case PL_LINE_LOST:
		if (line->lost_kind < PL_EV_KINDS)
			li->lost_told[line->lost_kind] = count_add(li->lost_told[line->lost_kind],
								   line->lost_count);
		break;
	case PL_LINE_TRAILER:
		li->trailer = true;
		li->said = line->trailer;
		break;
	default:
		break;
	}
}

void log_integrity_end(struct log_integrity *li)
{
	if (!li->trailer)
		return;
	/* lines dropped for a slow reader may be lost lines too */
	if (li->said.lines_dropped) {
		if (!li->dropped_told_by_caller)
			warning("%s: %llu line%s dropped from this log as it was written (its "
				"reader did not keep up): it tells less than happened", li->name,
				li->said.lines_dropped,
				li->said.lines_dropped == 1 ? " was" : "s were");
		return;
	}
	li->doubts += untold_lost(li->name, &li->said, li->lost_told);
	li->doubts += untold_lines(li->name, &li->said, li->read);
}

void log_integrity_next_part(struct log_integrity *li, const char *name,
			     unsigned long long begin)
{
	log_integrity_end(li);
	memset(li->lost_told, 0, sizeof(li->lost_told));
	memset(li->read, 0, sizeof(li->read));
	memset(&li->said, 0, sizeof(li->said));
	li->trailer = false;
	li->name = name;
	li->order.begin = begin;
}

void log_integrity_free(struct log_integrity *li)
{
	pidtab_free(&li->order.births);
}
