// SPDX-License-Identifier: BSD-2-Clause
#include <stdlib.h>
#include <string.h>
#include "core/pipeline.h"
#include "core/restate.h"
#include "log/writer.h"
#include "output/event_kinds.h"
#include "output/export.h"
#include "output/fold.h"
#include "output/held_fails.h"
#include "output/summary.h"
#include "output/text.h"
#include "output/tree.h"
#include "output/who_note.h"
#include "util/diag.h"
#include "util/status.h"
#include "util/count.h"

#define NAME_SHOWN 256

/* what the model knows of the process an event is about, when the event
 * is shown: its name, whether the filters keep it, who it runs as */
struct about {
	bool known;   /* the model has it */
	bool keep;    /* the filters keep it */
	char name[NAME_SHOWN]; /* its whole name, "" when comm is whole */
	char note[256];        /* who_note(), for births, execs, some exits */
	char killer[NAME_SHOWN]; /* an exit: its killer's whole name, "" when comm is whole */
	/* a process the filters keep only since after its fork (an exec to the
	 * name asked for, a change of user): its fork line, not told yet */
	bool birth_untold;
	struct pl_event birth;
	char birth_name[NAME_SHOWN]; /* its whole name then, "" when comm was whole */
};

struct pipeline {
	struct pipeline_opts o;
	struct pl_exporter *exporter; /* o.export's, or NULL */
	struct pl_model *model;
	struct pl_text text;
	struct fold fold; /* bursts of alike events in the text view */
	struct held_fails *fails; /* failed execs held until their process execs or ends */
	bool hold_fails;  /* the text view shows the failed execs that stood, not all */
	__u32 root;
	unsigned long long written[PL_EV_KINDS]; /* events per kind, for the trailer */
	unsigned long long said[PL_EV_KINDS]; /* a replayed trailer's, the least it says */
	struct {
		__u32 pid; /* 0: none */
		__u64 start, ts;
	} told_zombie; /* the zombie moment the last such exit line told */
	bool heading_done;
	bool unfinished;  /* replaying a log with no trailer: the JSONL made from it gets none */
	unsigned long long lost[PL_EV_KINDS];
	unsigned long long lost_before[PL_EV_KINDS]; /* in the log's earlier parts */
	unsigned long long stats[PL_STATS];
	unsigned long long ring_records, ring_bytes;
	struct pl_tracer_cpu tracer_cpu;
	unsigned long long lines_dropped; /* of the log, for a reader that lagged */
};

/* what the output is about: threads only when asked, bootstrap records
 * only of the processes followed */
static bool visible(const struct pipeline *p, const struct pl_event *e)
{
	if ((e->flags & PL_F_THREAD) && !p->o.threads)
		return false;
	if (e->kind == PL_EV_PROC)
		return !p->o.show_proc || p->o.show_proc(p->o.ctx, e);
	return true;
}

static unsigned zombie_ms(const struct pipeline *p)
{
	return pl_model_zombie_ms(p->model);
}

static void say_folded(void *ctx, const struct fold_burst *b)
{
	struct pipeline *p = ctx;

	text_folded(&p->text, b);
}

static bool filtered(const struct pipeline *p)
{
	return filter_on(&p->o.show.filter);
}

/* a line's process has no parent in the picture */
static bool at_top(const struct pipeline *p, const struct pl_proc *q)
{
	return !q->parent || (q->parent->flags & PL_P_PLACEHOLDER) || (p->root && q->pid == p->root);
}

/* the fork of q, as the model keeps it: what the record said of who it
 * runs as was that of the moment, and is not said again */
static void birth_of(const struct pl_proc *q, struct pl_event *b)
{
	pl_event_clear(b);
	b->kind = PL_EV_FORK;
	b->ts = q->birth_ts;
	b->pid = b->tid = q->pid;
	b->start = q->start;
	b->ppid = q->ppid_birth;
	b->pstart = q->pstart_birth;
	b->creator = q->creator;
	memcpy(b->comm, q->comm0[0] ? q->comm0 : q->comm, sizeof(b->comm));
}

/* a process the filters keep has its fork line told once: as it comes,
 * or before its first line kept if the filters did not keep it then */
static void birth_untold(const struct pl_event *e, const struct pl_proc *q, struct about *a)
{
	const char *name;

	if (e->kind == PL_EV_FORK || (e->flags & PL_F_THREAD) || !(q->flags & PL_P_FORKED) ||
	    (q->told & PL_TOLD_BIRTH))
		return;
	a->birth_untold = true;
	birth_of(q, &a->birth);
	name = pl_proc_birth_name(q);
	a->birth_name[0] = 0;
	if (name != q->comm0 && name != q->comm)
		snprintf(a->birth_name, sizeof(a->birth_name), "%s", name);
}

/* what the model knows now of e's process; only the text view and the
 * filters ask */
static void look(struct pipeline *p, const struct pl_event *e, struct about *a)
{
	const struct pl_proc *q;

	a->known = false;
	a->keep = !filtered(p);
	a->birth_untold = false;
	a->name[0] = a->note[0] = a->killer[0] = 0;
	if (p->o.view != PL_VIEW_TEXT && !filtered(p))
		return;
	q = e->start ? pl_model_find_life(p->model, e->pid, e->start) : pl_model_find(p->model, e->pid);
	if (!q)
		return;
	a->known = true;
	a->keep = filter_keeps(&p->o.show.filter, q);
	if (a->keep && filtered(p))
		birth_untold(e, q, a);
	/* a longer name than comm; or the name of a process a record could not
	 * name (a reap of a zombie from before the trace) */
	if (pl_proc_name(q) != q->comm || (!e->comm[0] && q->comm[0]))
		snprintf(a->name, sizeof(a->name), "%s", pl_proc_name(q));
	/* and at an exit, who it ran as when that changed since its fork or
	 * exec (the exit says so, or a child's fork did) */
	if (e->kind == PL_EV_FORK || e->kind == PL_EV_EXEC || e->kind == PL_EV_EXEC_FAILED ||
	    (e->kind == PL_EV_EXIT && ((e->flags & PL_F_WHO) || (q->flags & PL_P_WHO_LEARNED))))
		who_note(q, q->parent, at_top(p, q), a->note, sizeof(a->note));
	if (e->kind == PL_EV_EXIT && (e->flags & PL_F_KILLER) && e->killer) {
		q = pl_model_find_life(p->model, e->killer, e->killer_start);
		if (q && pl_proc_name(q) != q->comm)
			snprintf(a->killer, sizeof(a->killer), "%s", pl_proc_name(q));
	}
}

static void show_text(struct pipeline *p, const struct pl_event *e, const struct about *a,
		      unsigned earlier)
{
	struct text_about ta = { .name = a->name[0] ? a->name : NULL, .note = a->note,
				 .earlier = earlier, .killer_name = a->killer[0] ? a->killer : NULL };

	if (!p->heading_done) {
		text_heading(&p->text);
		p->heading_done = true;
	}
	text_event(&p->text, e, &ta);
}

static void show_or_fold(struct pipeline *p, const struct pl_event *e, const struct about *a)
{
	if (!events_show(&p->o.show.events, e, zombie_ms(p)))
		return;
	/* notable events are never folded */
	if (event_notable(e, zombie_ms(p)) || fold_event(&p->fold, e, a->name[0] ? a->name : NULL))
		show_text(p, e, a, 0);
}

static void tell_birth(struct pipeline *p, const struct pl_event *e, const struct about *a)
{
	struct about b = { .known = true, .keep = true };

	if (e->kind == PL_EV_FORK && !(e->flags & PL_F_THREAD)) {
		pl_model_told(p->model, e->pid, e->start, PL_TOLD_BIRTH);
	} else if (a->birth_untold) {
		memcpy(b.name, a->birth_name, sizeof(b.name));
		pl_model_told(p->model, e->pid, e->start, PL_TOLD_BIRTH);
		show_or_fold(p, &a->birth, &b);
	}
}

/* a held failed exec that stood, said with its process as it is now */
static void say_fail(void *ctx, const struct pl_event *e, unsigned earlier)
{
	struct pipeline *p = ctx;
	struct about a;

	look(p, e, &a);
	if (!a.keep)
		return;
	if (filtered(p))
		tell_birth(p, e, &a);
	show_text(p, e, &a, earlier);
}

/* the failed execs of e's process matter once it ends, not if it execs */
static void settle_fails(struct pipeline *p, const struct pl_event *e)
{
	if (!p->fails || (e->flags & PL_F_THREAD))
		return;
	if (e->kind == PL_EV_EXEC)
		held_fails_drop(p->fails, e->pid, e->start);
	else if (e->kind == PL_EV_EXIT || e->kind == PL_EV_REAP || e->kind == PL_EV_FREE)
		held_fails_say(p->fails, e->pid, e->start, say_fail, p);
}

static void print_text(struct pipeline *p, const struct pl_event *e, const struct about *a)
{
	/* bootstrap records and the waits counted at the end are state, not
	 * news: the log keeps them for replay */
	if (e->kind == PL_EV_PROC || e->kind == PL_EV_WAITS)
		return;
	settle_fails(p, e);
	if (!a->keep)
		return;
	if (filtered(p))
		tell_birth(p, e, a);
	if (e->kind == PL_EV_EXEC_FAILED && p->hold_fails) {
		if (held_fails_add(p->fails, e))
			return;
		show_text(p, e, a, 0); /* too many held: said as it comes */
		return;
	}
	show_or_fold(p, e, a);
}

/* is e the zombie moment an exit line has told already? */
static bool told_with_exit(struct pipeline *p, const struct pl_event *e)
{
	if (e->kind != PL_EV_ZOMBIE || !p->told_zombie.pid || e->pid != p->told_zombie.pid ||
	    e->start != p->told_zombie.start || e->ts != p->told_zombie.ts)
		return false;
	p->told_zombie.pid = 0;
	return true;
}

/* one line per event, but an exit and the zombie moment right after it
 * that adds only its time (PL_F_THEN_ZOMBIE) share the exit's line */
static void write_jsonl(struct pipeline *p, const struct pl_event *e)
{
	if (e->kind < PL_EV_KINDS)
		p->written[e->kind]++;
	if (told_with_exit(p, e))
		return;
	if (e->kind == PL_EV_EXIT && (e->flags & PL_F_THEN_ZOMBIE)) {
		p->told_zombie.pid = e->pid;
		p->told_zombie.start = e->start;
		p->told_zombie.ts = e->zombie_ts;
	}
	jsonl_event(p->o.events, e);
}

/* e is about the followed subtree (any process when none is followed):
 * the exports are of it alone, where replay's text view tells everything */
static bool of_root(const struct pipeline *p, const struct pl_event *e)
{
	const struct pl_proc *q;

	/* the model's conclusions come through on_conclusion, which chose
	 * them (an orphaning told late is of a process let go since) */
	if (!p->root || (e->flags & PL_F_DERIVED))
		return true;
	q = e->start ? pl_model_find_life(p->model, e->pid, e->start) :
		       pl_model_find(p->model, e->pid);
	return q && pl_model_in_subtree(p->model, q, p->root);
}

/* what look() says is for the text view and the exports alone: a log
 * writes every record as it is */
static bool looks(const struct pipeline *p)
{
	return p->exporter || (p->o.view != PL_VIEW_NONE && p->o.view != PL_VIEW_JSONL);
}

/* a: what the model knew of e's process, or NULL to look now (where the
 * output uses it) */
static void print_event(struct pipeline *p, const struct pl_event *e, const struct about *a)
{
	struct about now;

	if (p->o.tap)
		p->o.tap(p->o.ctx, e);
	if (!a && looks(p)) {
		look(p, e, &now);
		a = &now;
	}
	if (p->exporter && visible(p, e) && e->kind != PL_EV_WAITS && a->keep && of_root(p, e))
		p->exporter->event(p->exporter, e);
	if (p->o.view == PL_VIEW_NONE || !visible(p, e))
		return;
	if (p->o.view == PL_VIEW_JSONL) {
		write_jsonl(p, e);
		return;
	}
	print_text(p, e, a);
}

/* the model's conclusions are events of their own in the stream; when
 * following a subtree, only those about it (the model sees everything the
 * bootstrap listed) */
static void on_conclusion(void *ctx, const struct pl_event *e)
{
	struct pipeline *p = ctx;
	const struct pl_proc *q;

	if (p->root) {
		q = pl_model_find_life(p->model, e->pid, e->start);
		/* an orphaning told late may be of a process let go since: the
		 * model tells only those of the subtree then */
		if (q ? !pl_model_in_subtree(p->model, q, p->root) : e->kind != PL_EV_REPARENT)
			return;
	}
	print_event(p, e, NULL);
}

static void on_release(void *ctx, const struct pl_proc *q)
{
	struct pipeline *p = ctx;

	if ((!p->root || pl_model_in_subtree(p->model, q, p->root)) &&
	    filter_keeps(&p->o.show.filter, q))
		p->exporter->proc(p->exporter, q);
}

struct pipeline *pipeline_new(const struct pipeline_opts *o)
{
	struct pipeline *p = calloc(1, sizeof(*p));
	/* ended processes stay in the tree, up to a bound */
	struct pl_model_opts mo = { .zombie_ms = o->zombie_ms, .conclude = on_conclusion,
				    .history = PL_HISTORY_DEFAULT, .problem = error_handed_back,
				    .waits_from_records = o->waits_from_records,
				    .no_summary = !o->summary };

	if (!p) {
		error("out of memory");
		return NULL;
	}
	p->o = *o;
	mo.ctx = p;
	if (o->export) {
		p->exporter = export_new(o->export, o->events);
		if (!p->exporter)
			goto no_memory;
		p->exporter->boot_to_wall_ns = (unsigned long long)o->boot_to_wall_ns;
		p->exporter->t0 = o->t0;
		mo.on_release = on_release;
	}
	p->model = pl_model_new(&mo);
	if (!p->model)
		goto no_memory;
	p->text = (struct pl_text){ .f = o->events, .color = view_color(&o->show, o->events),
				    .t0 = o->t0, .wall_clock = o->show.wall_clock,
				    .boot_to_wall_ns = o->boot_to_wall_ns };
	p->fold = (struct fold){ .say = say_folded, .ctx = p };
	/* unless named, failed execs show once they stood */
	p->hold_fails = o->view == PL_VIEW_TEXT && o->show.events.notable &&
			!(o->show.events.kinds & (1u << PL_EV_EXEC_FAILED));
	if (p->hold_fails && !(p->fails = held_fails_new()))
		goto no_memory;
	return p;
no_memory:
	pipeline_free(p);
	error("out of memory");
	return NULL;
}

void pipeline_free(struct pipeline *p)
{
	if (!p)
		return;
	pl_model_free(p->model);
	if (p->exporter)
		p->exporter->free(p->exporter);
	held_fails_free(p->fails);
	free(p);
}

struct pl_model *pipeline_model(struct pipeline *p)
{
	return p->model;
}

void pipeline_follow(struct pipeline *p, __u32 pid, unsigned long long ts)
{
	p->root = pid;
	pl_model_follow(p->model, pid);
	/* replay follows the same subtree */
	if (p->o.view == PL_VIEW_JSONL)
		jsonl_follow(p->o.events, ts, pid);
}

void pipeline_follow_none(struct pipeline *p)
{
	p->root = PL_PID_NONE;
	pl_model_follow(p->model, p->root);
}

void pipeline_event(struct pipeline *p, const struct pl_event *e)
{
	struct pl_event same_who;
	struct about before;

	if (e->flags & PL_F_DERIVED)
		return; /* the model concludes these again */
	/* the kernel's wait counts at the end carry no name: the process's */
	if (e->kind == PL_EV_WAITS && !e->comm[0]) {
		const struct pl_proc *q = pl_model_find_life(p->model, e->pid, e->start);

		if (q) {
			same_who = *e;
			memcpy(same_who.comm, q->comm, sizeof(same_who.comm));
			e = &same_who;
		}
	}
	/* an exit says who the process ran as at its end: its line says so
	 * only where that changed since its fork or exec */
	if (e->kind == PL_EV_EXIT && (e->flags & PL_F_WHO) && pl_model_who_known(p->model, e)) {
		same_who = *e;
		same_who.flags &= ~PL_F_WHO;
		same_who.cgroup = NULL;
		e = &same_who;
	}
	/* a zombie that crossed the threshold before this record is told
	 * before it, as replay tells it */
	pl_model_tick(p->model, e->ts);
	/* a reap or a free may let the process go: what is said of it is
	 * what the model knew just before */
	if ((e->kind == PL_EV_REAP || e->kind == PL_EV_FREE) && looks(p)) {
		look(p, e, &before);
		pl_model_feed(p->model, e);
		print_event(p, e, &before);
		return;
	}
	/* an orphaning the views have told from a later record: the log
	 * keeps the kernel's record, the views do not tell it again */
	if (pl_model_orphaning_told(p->model, e)) {
		pl_model_feed(p->model, e);
		if (p->o.view == PL_VIEW_JSONL)
			write_jsonl(p, e);
		return;
	}
	pl_model_feed(p->model, e);
	print_event(p, e, NULL);
}

void pipeline_lost(struct pipeline *p, unsigned long long ts, unsigned kind,
		   unsigned long long count)
{
	if (kind >= PL_EV_KINDS)
		return;
	p->lost[kind] = count_add(p->lost[kind], count);
	pl_model_set_counters(p->model, p->lost, p->stats);
	if (p->o.view == PL_VIEW_JSONL)
		jsonl_lost(p->o.events, ts, kind, count);
	else if (p->o.view == PL_VIEW_TEXT)
		text_lost(&p->text, ts, kind, count);
}

/* a log's trailer says how many records were lost in all: more than its
 * lost lines said (lines cut from it) are lost too */
void pipeline_lost_in_all(struct pipeline *p, unsigned long long ts,
			  const unsigned long long lost[PL_EV_KINDS])
{
	for (unsigned k = 0; k < PL_EV_KINDS; k++)
		if (lost[k] > p->lost[k])
			pipeline_lost(p, ts, k, lost[k] - p->lost[k]);
}

void pipeline_stats(struct pipeline *p, const unsigned long long stats[PL_STATS])
{
	memcpy(p->stats, stats, sizeof(p->stats));
	pl_model_set_counters(p->model, p->lost, p->stats);
}

void pipeline_tick(struct pipeline *p, unsigned long long now)
{
	/* counts first: they are about events before the zombies flagged now */
	if (p->o.view == PL_VIEW_TEXT)
		fold_tick(&p->fold, now);
	pl_model_tick(p->model, now);
}

unsigned long long pipeline_next_due(struct pipeline *p)
{
	unsigned long long zombie = pl_model_next_due(p->model), burst = 0;

	if (p->o.view == PL_VIEW_TEXT)
		burst = fold_next_due(&p->fold);
	if (!zombie || (burst && burst < zombie))
		return burst;
	return zombie;
}

/* the tree among other lines: a heading says where it begins, and when
 * it was drawn (now; 0: at the end) */
static void tree_heading(struct pipeline *p, FILE *f, unsigned long long now)
{
	struct pl_text wall = { .wall_clock = true, .boot_to_wall_ns = p->o.boot_to_wall_ns };
	char when[32];

	fprintf(f, "\n== process tree");
	if (now) {
		fprintf(f, " at %.3f s", now > p->o.t0 ? (double)(now - p->o.t0) / 1e9 : 0.0);
		if (p->o.boot_to_wall_ns)
			fprintf(f, " (%s)", text_time(&wall, now, when, sizeof(when)));
	}
	fprintf(f, " ==\n");
}

void pipeline_tree_now(struct pipeline *p, unsigned long long now)
{
	FILE *f = p->o.report;

	/* the tree of this moment: a zombie's time so far is counted to now,
	 * not to the last record (and one that crossed the threshold says so) */
	pl_model_tick(p->model, now);
	tree_heading(p, f, now);
	tree_print_filtered(f, p->model, p->root, view_flags(&p->o.show, f), &p->o.show.filter);
}

static bool gone(const struct pl_proc *q)
{
	return q->state == PL_ST_FREED || q->state == PL_ST_REAPED;
}

bool pipeline_followed_done(struct pipeline *p)
{
	size_t zombies;

	return !pipeline_followed_left(p, &zombies) && !zombies;
}

size_t pipeline_followed_left(struct pipeline *p, size_t *zombies)
{
	const struct pl_proc *q = NULL;
	size_t running = 0;

	*zombies = 0;
	while ((q = pl_model_next(p->model, q)))
		if ((q->flags & PL_P_FOLLOWED) && !(q->flags & PL_P_PLACEHOLDER) && !gone(q)) {
			if (q->state == PL_ST_RUNNING)
				running++;
			else
				(*zombies)++; /* exited: a zombie, or about to be one */
		}
	return running;
}

void pipeline_ring(struct pipeline *p, unsigned long long records, unsigned long long bytes)
{
	p->ring_records = records;
	p->ring_bytes = bytes;
}

void pipeline_tracer_cpu(struct pipeline *p, const struct pl_tracer_cpu *cpu)
{
	p->tracer_cpu = *cpu;
}

void pipeline_lines_dropped(struct pipeline *p, unsigned long long lines)
{
	p->lines_dropped = lines;
}

void pipeline_events_said(struct pipeline *p, const unsigned long long events[PL_EV_KINDS])
{
	memcpy(p->said, events, sizeof(p->said));
}

/* the trailer of the log's current part: its events and the records lost
 * while it was written */
static void write_trailer(struct pipeline *p, unsigned long long ts, int exit_status)
{
	struct pl_log_trailer tr = { .ts = ts, .exit_status = exit_status };

	for (unsigned k = 0; k < PL_EV_KINDS; k++) {
		tr.events[k] = p->written[k] > p->said[k] ? p->written[k] : p->said[k];
		tr.lost[k] = p->lost[k] - p->lost_before[k];
	}
	memcpy(tr.stats, p->stats, sizeof(tr.stats));
	tr.ring_records = p->ring_records;
	tr.ring_bytes = p->ring_bytes;
	tr.tracer_cpu = p->tracer_cpu;
	tr.lines_dropped = p->lines_dropped;
	/* the whole machine's live processes would not be a useful list */
	if (p->root)
		tr.alive = summary_alive(p->model, p->root, &tr.nalive);
	jsonl_trailer(p->o.events, &tr);
	free((void *)tr.alive);
}

void pipeline_end_part(struct pipeline *p, unsigned long long ts, bool told)
{
	if (told && p->o.view == PL_VIEW_JSONL)
		write_trailer(p, ts, -1);
	memset(p->written, 0, sizeof(p->written));
	memcpy(p->lost_before, p->lost, sizeof(p->lost));
}

void pipeline_begin_part(struct pipeline *p, FILE *events, unsigned long long ts)
{
	const struct pl_proc *q = NULL;
	struct pl_event e;

	p->o.events = events;
	p->text.f = events;
	if (p->o.view != PL_VIEW_JSONL)
		return;
	if (p->root)
		jsonl_follow(events, ts, p->root);
	while ((q = pl_model_next(p->model, q))) {
		if (!restate_wanted(q))
			continue;
		restate_proc(q, ts, &e);
		if (!p->root || pl_model_in_subtree(p->model, q, p->root) || visible(p, &e)) {
			p->written[PL_EV_PROC]++;
			jsonl_event(events, &e);
		}
	}
}

void pipeline_log_unfinished(struct pipeline *p)
{
	p->unfinished = true;
	pl_model_set_end_untold(p->model);
}

int pipeline_finish(struct pipeline *p, unsigned long long ts, int exit_status)
{
	int ret = 0;

	pl_model_settle(p->model); /* what waited for a record that never came */
	if (ts)
		pl_model_tick(p->model, ts); /* the end's picture is of the end's moment */
	if (p->o.view == PL_VIEW_JSONL && !p->unfinished)
		write_trailer(p, ts, exit_status);
	if (p->fails) /* of processes still running: they stood so far */
		held_fails_say(p->fails, 0, 0, say_fail, p);
	if (p->o.view == PL_VIEW_TEXT)
		fold_flush(&p->fold);
	/* a heading where the tree is not alone: among events, beside a
	 * summary or among the tracer's messages */
	if (p->o.tree && (p->o.view == PL_VIEW_TEXT || p->o.summary || p->o.report_shared))
		tree_heading(p, p->o.report, 0);
	if (p->o.tree)
		tree_print_filtered(p->o.report, p->model, p->root, view_flags(&p->o.show, p->o.report),
				    &p->o.show.filter);
	if (p->exporter) {
		/* every process still in the table gets its row too, as of the end */
		p->exporter->end = pl_model_now(p->model);
		pl_model_flush(p->model);
		ret = p->exporter->finish(p->exporter, p->model);
	}
	if (p->o.summary) {
		summary_print(p->o.report, p->model, p->root,
			      view_flags(&p->o.show, p->o.report) |
				      (p->o.threads_untold ? VIEW_NO_THREADS : 0));
		if (exit_status >= 0) {
			char st[64];

			fprintf(p->o.report, "the command: %s\n",
				pl_status_describe(exit_status, st, sizeof(st)));
		}
	}
	return ret;
}
