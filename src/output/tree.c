// SPDX-License-Identifier: BSD-2-Clause
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "output/end_text.h"
#include "output/kthread.h"
#include "output/summary.h"
#include "output/tree.h"
#include "output/who_note.h"
#include "util/names.h"
#include "util/printable.h"
#include "util/status.h"
#include "util/words.h"

#define RED "\033[1;31m"
#define YELLOW "\033[1;33m"
#define DIM "\033[2m"
#define RESET "\033[0m"
#define MAX_DEPTH 256 /* deeper chains are cut: the prefix alone would fill a screen */

struct walk {
	FILE *f;
	const struct pl_model *m;
	__u32 root;
	bool color;
	bool kernel_threads; /* shown, or only counted on kthreadd's line */
	/* with a filter: the processes it keeps and their ancestors, sorted */
	const struct pl_proc **shown;
	size_t nshown;
	char prefix[MAX_DEPTH * 4 + 1];
};

/* only what is notable stands out: every child is a zombie for a moment */
static const char *color_of(const struct pl_proc *p)
{
	if (p->flags & PL_P_LONG_ZOMBIE)
		return RED;
	if (p->flags & (PL_P_ORPHAN | PL_P_DOUBLE_FORK))
		return YELLOW;
	if (p->flags & PL_P_PLACEHOLDER || p->state >= PL_ST_REAPED)
		return DIM;
	return "";
}

/* a zombie's time is exact, or a bound when the model only saw part of it */
static const char *bound(const struct pl_proc *p)
{
	const char *b = pl_zombie_time_bound(p->flags);

	return !b ? "" : !strcmp(b, "at least") ? " at least" : " at most";
}

/* how an ended process was collected, and how long it lay dead first */
static void reaping(FILE *f, const struct pl_proc *p)
{
	char d[32];

	/* auto-reaped, it was a zombie only if an adopter that ignores
	 * SIGCHLD let it go: then the reap carries its time */
	if (pl_zombie_time_unknown(p->flags))
		fprintf(f, ", zombie time unknown");
	else if (p->zombie_ts && (p->zombie_ns || p->reap_kind != PL_RK_AUTO))
		fprintf(f, ", zombie %s%s", summary_fmt_ns(p->zombie_ns, d, sizeof(d)), bound(p));
	if (p->reap_kind == PL_RK_AUTO) {
		fprintf(f, ", auto-reaped");
		return;
	}
	if (p->reaper)
		fprintf(f, ", reaped by %u", p->reaper);
	if (p->reap_kind == PL_RK_ADOPTED || p->reap_kind == PL_RK_INFERRED)
		fprintf(f, " (%s)", pl_reap_kind_name(p->reap_kind));
}

static void marks(FILE *f, const struct pl_model *m, const struct pl_proc *p)
{
	unsigned long long now = pl_model_now(m);
	char d[32], st[128];

	if (p->state == PL_ST_ZOMBIE && pl_model_ends_lost(m)) {
		fprintf(f, " (a zombie when last seen, %s ago; records of reaps were lost)",
			summary_fmt_ns(pl_proc_zombie_so_far(p, now), d, sizeof(d)));
	} else if (p->state == PL_ST_ZOMBIE) {
		/* its parent now, who has to reap it; the one it died under
		 * may have left it unreaped to an adopter */
		__u32 ppid = p->parent ? p->parent->pid : p->zparent;

		fprintf(f, " for %s%s",
			summary_fmt_ns(pl_proc_zombie_so_far(p, now), d, sizeof(d)),
			bound(p));
		if (ppid) /* pid 0 is no parent */
			fprintf(f, ", parent %u", ppid);
		if (p->zparent && p->zparent != ppid)
			fprintf(f, ", left unreaped by %u", p->zparent);
	}
	if (p->state >= PL_ST_EXITED && (p->flags & PL_P_HAS_STATUS)) {
		struct end_facts e = end_of_proc(p);

		fprintf(f, " (%s)", end_describe(&e, st, sizeof(st)));
	}
	if (p->state >= PL_ST_REAPED)
		reaping(f, p);
	if (p->flags & PL_P_LONG_ZOMBIE)
		fprintf(f, " [long zombie]");
	if (p->flags & PL_P_ORPHAN)
		fprintf(f, " [orphan of %u, adopted by %s]", p->old_parent,
			pl_adopter_name(p->adopter));
	if (p->flags & PL_P_DOUBLE_FORK)
		fprintf(f, " [double fork]");
	if (p->creator)
		fprintf(f, " [made by %u, its sibling (CLONE_PARENT)]", p->creator);
	if (p->flags & PL_P_SUBREAPER)
		fprintf(f, " [subreaper]");
	if (p->threads > 1)
		fprintf(f, " {%u threads}", p->threads);
	if (p->ns_level)
		fprintf(f, " <ns pid %u>", p->ns_pid);
}

/* kernel threads among p's children, when they are not shown */
static size_t kthreads_hidden(const struct walk *w, const struct pl_proc *p)
{
	size_t n = 0;

	if (w->kernel_threads || !is_kthreadd(p))
		return 0;
	for (const struct pl_proc *c = p->child; c; c = c->next_sib)
		n += is_kernel_thread(c);
	return n;
}

static void node(struct walk *w, const struct pl_proc *p, bool top)
{
	const char *on = w->color ? color_of(p) : "";
	size_t hidden = kthreads_hidden(w, p);
	char note[256];

	fprintf(w->f, "%s%u %s", on, p->pid,
		p->flags & PL_P_PLACEHOLDER ? "?" : SHOW_STR(pl_proc_name(p)));
	if (!(p->flags & PL_P_PLACEHOLDER))
		fprintf(w->f, " %s", pl_proc_state(w->m, p));
	marks(w->f, w->m, p);
	if (*who_note(p, p->parent, top, note, sizeof(note)))
		fprintf(w->f, " [%s]", note);
	if (hidden)
		fprintf(w->f, " (%zu kernel %s not shown: --kernel-threads shows them)", hidden,
			plural(hidden, "thread", "threads"));
	fprintf(w->f, "%s\n", *on ? RESET : "");
}

static int by_address(const void *a, const void *b)
{
	const struct pl_proc *x = *(const struct pl_proc *const *)a;
	const struct pl_proc *y = *(const struct pl_proc *const *)b;

	return (x > y) - (x < y);
}

/* without a filter, everything; with one, what it keeps and their
 * ancestors, which place them */
static bool in_picture(const struct walk *w, const struct pl_proc *p)
{
	return !w->shown || bsearch(&p, w->shown, w->nshown, sizeof(*w->shown), by_address);
}

typedef const struct pl_proc *(*next_fn)(const struct pl_model *, const struct pl_proc *);

/* the processes filter keeps, from what next() walks, and their
 * ancestors, after the n found so far (only counted when out is NULL) */
static size_t kept_in(const struct pl_model *m, const struct filter *filter, next_fn next,
		      const struct pl_proc **out, size_t n)
{
	for (const struct pl_proc *p = next(m, NULL); p; p = next(m, p)) {
		if (!filter_keeps(filter, p))
			continue;
		for (const struct pl_proc *a = p; a; a = a->parent) {
			if (out)
				out[n] = a;
			n++;
		}
	}
	return n;
}

static void keep_filtered(struct walk *w, const struct filter *filter)
{
	size_t n = kept_in(w->m, filter, pl_model_next_ended,
			   NULL, kept_in(w->m, filter, pl_model_next, NULL, 0)), k = 0;

	/* an empty picture is still a filtered one */
	w->shown = malloc((n ? n : 1) * sizeof(*w->shown));
	if (!w->shown)
		return;
	n = kept_in(w->m, filter, pl_model_next_ended, w->shown,
		    kept_in(w->m, filter, pl_model_next, w->shown, 0));
	qsort(w->shown, n, sizeof(*w->shown), by_address);
	for (size_t i = 0; i < n; i++)
		if (!k || w->shown[k - 1] != w->shown[i])
			w->shown[k++] = w->shown[i];
	w->nshown = k;
}

/* children of p that belong to the picture, oldest first; ended ones
 * kept in the model's history are among them */
/* does the tree show c (under a parent it shows)? */
static bool shown(const struct walk *w, const struct pl_proc *c)
{
	return pl_model_in_subtree(w->m, c, w->root) && (w->kernel_threads || !is_kernel_thread(c)) &&
	       in_picture(w, c);
}

/* the processes the tree would show below top, all levels down: walked
 * by the tree's own links, no stack (a chain may be a million deep) */
static size_t shown_below(const struct walk *w, const struct pl_proc *top)
{
	const struct pl_proc *c = top->child;
	size_t n = 0;

	while (c) {
		if (shown(w, c)) {
			n++;
			if (c->child) {
				c = c->child;
				continue;
			}
		}
		while (c != top && !c->next_sib)
			c = c->parent;
		c = c == top ? NULL : c->next_sib;
	}
	return n;
}

static size_t kids(struct walk *w, const struct pl_proc *p, const struct pl_proc ***out)
{
	size_t n = 0, k = 0;
	const struct pl_proc **a;

	for (const struct pl_proc *c = p->child; c; c = c->next_sib)
		n++;
	*out = NULL;
	if (!n)
		return 0;
	a = malloc(n * sizeof(*a));
	if (!a)
		return 0;
	for (const struct pl_proc *c = p->child; c; c = c->next_sib)
		if (shown(w, c))
			a[k++] = c;
	qsort(a, k, sizeof(*a), pl_proc_by_birth);
	*out = a;
	return k;
}

/* ended leaves with nothing to remark on: many alike fold into one line */
#define FOLD_MIN 8
#define REMARKABLE (PL_P_ORPHAN | PL_P_LONG_ZOMBIE | PL_P_DOUBLE_FORK | PL_P_SUBREAPER)

enum { END_UNKNOWN, END_CODE, END_KILLED, END_NO_WAIT };

/* how a leaf ended, as far as folding goes: with an exit code (a run says
 * which), killed by a signal, or with a status no wait() reports (a kernel
 * thread's return); the last two are never folded */
static int end_class(const struct pl_proc *p)
{
	struct pl_status s;

	if (!(p->flags & PL_P_HAS_STATUS))
		return END_UNKNOWN;
	s = pl_status_decode(p->status);
	return s.no_wait ? END_NO_WAIT : s.signaled ? END_KILLED : END_CODE;
}

/* a process killed by a signal has a line of its own, as in the events */
static bool plain_leaf(const struct pl_proc *p)
{
	int end = end_class(p);

	return !p->child && !(p->flags & REMARKABLE) && p->state >= PL_ST_REAPED &&
	       end != END_KILLED && end != END_NO_WAIT;
}

static size_t alike_run(const struct pl_proc **a, size_t i, size_t n)
{
	size_t j = i;

	while (j + 1 < n && plain_leaf(a[i]) && plain_leaf(a[j + 1]) &&
	       a[j + 1]->state == a[i]->state && end_class(a[j + 1]) == end_class(a[i]) &&
	       !strcmp(pl_proc_name(a[j + 1]), pl_proc_name(a[i])))
		j++;
	return j - i + 1;
}

/* how the folded ones ended: "exit 0", "exit 3" or "exit 1 to 7" */
static const char *fold_end(const struct pl_proc **a, size_t n, char *buf, size_t len)
{
	struct pl_code_range r = PL_CODE_RANGE_EMPTY;
	char codes[32];

	if (end_class(a[0]) == END_UNKNOWN)
		return "";
	for (size_t i = 0; i < n; i++)
		pl_code_range_add(&r, a[i]->status);
	snprintf(buf, len, ", %s", pl_code_range_describe(r, codes, sizeof(codes)));
	return buf;
}

static void subtree(struct walk *w, const struct pl_proc *p, size_t depth);

static void branch(struct walk *w, const struct pl_proc *p, size_t depth, size_t len, bool last)
{
	fprintf(w->f, "%s%s", w->prefix, last ? "`-" : "|-");
	strcpy(w->prefix + len, last ? "  " : "| ");
	subtree(w, p, depth + 1);
	w->prefix[len] = 0;
}

static void subtree(struct walk *w, const struct pl_proc *p, size_t depth)
{
	const struct pl_proc **a;
	size_t n, len = strlen(w->prefix);

	node(w, p, depth == 0);
	n = kids(w, p, &a);
	if (n && depth >= MAX_DEPTH) {
		fprintf(w->f, "%s`-... (%zu more below)\n", w->prefix, shown_below(w, p));
		n = 0;
	}
	for (size_t i = 0; i < n; i++) {
		bool last = i + 1 == n;
		size_t run = alike_run(a, i, n);

		if (run >= FOLD_MIN) {
			/* a storm's children: the first two, a count, the last */
			branch(w, a[i], depth, len, false);
			branch(w, a[i + 1], depth, len, false);
			fprintf(w->f, "%s|-... %zu more like these (%s, %s%s)\n", w->prefix, run - 3,
				SHOW_STR(pl_proc_name(a[i])), pl_proc_state(w->m, a[i]),
				fold_end(a + i + 2, run - 3, (char[48]){ 0 }, 48));
			i += run - 1;
			last = i + 1 == n;
		}
		branch(w, a[i], depth, len, last);
	}
	free(a);
}

static bool is_top(const struct walk *w, const struct pl_proc *p)
{
	if (!pl_model_in_subtree(w->m, p, w->root) || !in_picture(w, p))
		return false;
	return !p->parent || !pl_model_in_subtree(w->m, p->parent, w->root);
}

/* the tops among what next() walks, after the n found so far; only
 * counted when out is NULL */
static size_t tops_in(const struct walk *w, next_fn next, const struct pl_proc **out, size_t n)
{
	const struct pl_model *m = w->m;

	for (const struct pl_proc *p = next(m, NULL); p; p = next(m, p)) {
		if (!is_top(w, p))
			continue;
		if (out)
			out[n] = p;
		n++;
	}
	return n;
}

/* the tops of the picture, from the table and then from the history: a
 * followed root that has ended and been released is still the root */
static size_t tops_of(const struct walk *w, const struct pl_proc **out)
{
	return tops_in(w, pl_model_next_ended, out, tops_in(w, pl_model_next, out, 0));
}

void tree_print(FILE *f, const struct pl_model *m, __u32 root, unsigned flags)
{
	tree_print_filtered(f, m, root, flags, NULL);
}

void tree_print_filtered(FILE *f, const struct pl_model *m, __u32 root, unsigned flags,
			 const struct filter *filter)
{
	struct walk w = { .f = f, .m = m, .root = root, .color = flags & VIEW_COLOR,
			  .kernel_threads = flags & VIEW_KERNEL_THREADS };
	unsigned long long dropped = pl_model_counts_of(m, root)->history_dropped;
	const struct pl_proc **tops;
	size_t n;

	if (filter && filter_on(filter))
		keep_filtered(&w, filter);
	n = tops_of(&w, NULL);
	if (!n)
		fprintf(f, "(no processes%s)\n", w.shown ? " the filters keep" : "");
	tops = n ? malloc(n * sizeof(*tops)) : NULL;
	if (tops) {
		n = tops_of(&w, tops);
		qsort(tops, n, sizeof(*tops), pl_proc_by_birth);
		for (size_t i = 0; i < n; i++)
			subtree(&w, tops[i], 0);
		free(tops);
	}
	/* the model keeps only so many ended processes */
	if (dropped)
		fprintf(f, "(%llu older ended %s not shown)\n", dropped,
			plural(dropped, "process", "processes"));
	free(w.shown);
}
