// SPDX-License-Identifier: BSD-2-Clause
/*
 * The process tree for Graphviz: each process under its final parent,
 * zombies and orphans coloured, a reparenting drawn as a dashed edge from
 * the old parent and an "adopted" edge from the new one, with a legend.
 * Leaf siblings that look the same are folded past a few, so a storm of
 * ten thousand children stays a readable picture.
 */
#include <stdlib.h>
#include <string.h>
#include "output/amounts.h"
#include "output/cgroup_label.h"
#include "output/end_text.h"
#include "output/export.h"
#include "output/export_impl.h"
#include "output/export_procs.h"
#include "output/users.h"
#include "util/diag.h"
#include "util/json.h"
#include "util/names.h"
#include "util/status.h"

#define FOLD_OVER 6  /* more alike leaf siblings than this are folded */
#define FOLD_SHOW 3  /* how many of them are still drawn */

struct dot {
	struct xprocs_exporter b;
	long *fold;      /* the "more like this" node it is folded into, -1 if shown,
			    KEEP if it must be */
};

#define KEEP (-2)

/* what makes two leaves look the same in the picture */
enum look { L_ENDED, L_RUNNING, L_ZOMBIE_LONG, L_ZOMBIE_NOW, L_ORPHAN, L_OUTSIDE, L_LOOKS };

static const struct {
	const char *what, *style;
} looks[L_LOOKS] = {
	[L_ENDED] = { "ended", "fillcolor=\"#e8eaed\"" },
	[L_RUNNING] = { "running at the end", "fillcolor=\"#ceead6\"" },
	[L_ZOMBIE_LONG] = { "zombie past the threshold, reaped", "fillcolor=\"#f6aea9\"" },
	[L_ZOMBIE_NOW] = { "zombie at the end (not reaped by then)",
			   "fillcolor=\"#c5221f\",fontcolor=white,peripheries=2" },
	[L_ORPHAN] = { "orphan (reparented)", "fillcolor=\"#fde293\",color=\"#e37400\",penwidth=2" },
	[L_OUTSIDE] = { "outside the followed subtree",
			"style=\"rounded,dashed\",fillcolor=white,fontcolor=\"#5f6368\"" },
};

static enum look look_of(const struct pl_proc_rec *p)
{
	if (p->state == PL_ST_ZOMBIE)
		return L_ZOMBIE_NOW;
	if (p->flags & PL_P_LONG_ZOMBIE)
		return L_ZOMBIE_LONG;
	if (p->flags & PL_P_ORPHAN)
		return L_ORPHAN;
	if (p->state == PL_ST_RUNNING)
		return L_RUNNING;
	return L_ENDED;
}

/* a character that turns the text around it (U+200E, U+200F, U+202A to
 * U+202E, U+2066 to U+2069): a name of them would show another's pid */
static bool bidi_control(const unsigned char *c, size_t n)
{
	return n == 3 && c[0] == 0xe2 &&
	       ((c[1] == 0x80 && (c[2] == 0x8e || c[2] == 0x8f || (c[2] >= 0xaa && c[2] <= 0xae))) ||
		(c[1] == 0x81 && c[2] >= 0xa6 && c[2] <= 0xa9));
}

/* a DOT quoted string (UTF-8, Graphviz's own): no line breaks, quotes
 * escaped, '&' as the entity Graphviz reads back as one; a control byte,
 * a byte that is no UTF-8 or a bidirectional control as '?' */
static void dot_text(FILE *f, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len = strlen(s);

	for (size_t i = 0; i < len;) {
		size_t n = json_char_len(u + i, len - i);

		if (!n || (n == 1 && (u[i] < 0x20 || u[i] == 0x7f)) || bidi_control(u + i, n)) {
			putc('?', f);
			i += n ? n : 1;
			continue;
		}
		if (u[i] == '"' || u[i] == '\\')
			putc('\\', f);
		if (u[i] == '&')
			fputs("&amp;", f);
		else
			fwrite(u + i, 1, n, f);
		i += n;
	}
}

static void end_text(FILE *f, const struct pl_proc_rec *p)
{
	struct end_facts e = end_of_rec(p);
	const char *bound = pl_zombie_time_bound(p->flags);
	char d[160];

	if (p->state == PL_ST_RUNNING)
		fputs("running", f);
	else if (p->flags & PL_P_HAS_STATUS)
		dot_text(f, end_describe(&e, d, sizeof(d)));
	else
		fputs("ended", f);
	if (p->flags & PL_P_REAPER_UNKNOWN)
		fputs("\\nzombie when last seen (records of reaps were lost)", f);
	else if (p->state == PL_ST_ZOMBIE)
		fputs("\\nzombie, not reaped when the trace ended", f);
	else if (p->flags & PL_P_LONG_ZOMBIE)
		fprintf(f, "\\nzombie %.1f ms%s%s", (double)p->zombie_ns / 1e6, bound ? " " : "",
			bound ? bound : "");
}

/* what it used; its user and unit where they differ from its parent's */
static void context_text(FILE *f, const struct xprocs *s, long i)
{
	const struct pl_proc_rec *p = &s->v[i], *up = s->up[i] >= 0 ? &s->v[s->up[i]] : NULL;
	char buf[160], theirs[160];
	const char *unit;

	if (p->flags & PL_P_USAGE)
		fprintf(f, "\\n%s", amount_usage(p->cpu_user_ns + p->cpu_sys_ns, p->max_rss_kb, buf,
						    sizeof(buf)));
	if ((p->flags & PL_P_WHO) &&
	    (up && (up->flags & PL_P_WHO) ? up->uid != p->uid : p->uid != 0)) {
		fputs("\\nuser ", f);
		dot_text(f, user_name(p->uid, buf, sizeof(buf)));
	}
	unit = cgroup_label(p->cgroup, buf, sizeof(buf));
	if (unit && (!up || !cgroup_label(up->cgroup, theirs, sizeof(theirs)) || strcmp(unit, theirs))) {
		fputs("\\nin ", f);
		dot_text(f, unit);
	}
}

static void node(FILE *f, const struct xprocs *s, long i)
{
	const struct pl_proc_rec *p = &s->v[i];

	fprintf(f, "  p%ld [label=\"", i);
	dot_text(f, p->name ? p->name : p->comm);
	fprintf(f, " %u\\n", p->pid);
	end_text(f, p);
	context_text(f, s, i);
	fprintf(f, "\",%s];\n", looks[look_of(p)].style);
}

static void outside(FILE *f, const struct pl_model *m, __u32 pid)
{
	fprintf(f, "  x%u [label=\"", pid);
	dot_text(f, xproc_outside_name(m, pid));
	fprintf(f, " %u\\nnot followed\",%s];\n", pid, looks[L_OUTSIDE].style);
}

/* the edge into node "to" (p, or a fold of processes like p) from its
 * final parent */
static void tree_edge(FILE *f, const char *from, char to, long i, const struct pl_proc_rec *p)
{
	fprintf(f, "  %s -> %c%ld", from, to, i);
	if (p->flags & PL_P_ORPHAN)
		fprintf(f, " [color=\"#e37400\",penwidth=2,label=\"adopted (%s)\"]",
			pl_adopter_name(p->adopter));
	fputs(";\n", f);
}

/* how it ended, but not the exact exit code: a storm of children that
 * each fail with their own code still folds, apart from those that
 * succeeded */
static int end_kind(const struct pl_proc_rec *p)
{
	struct pl_status d;

	if (!(p->flags & PL_P_HAS_STATUS))
		return -1;
	d = pl_status_decode(p->status);
	if (d.no_wait)
		return -2; /* a kernel thread's return: apart from codes and signals */
	return d.signaled ? 2 + d.signal * 2 + d.core : d.code != 0;
}

static int same_look(const struct pl_proc_rec *a, const struct pl_proc_rec *b)
{
	int d = strcmp(a->name ? a->name : a->comm, b->name ? b->name : b->comm);

	if (d)
		return d;
	if (look_of(a) != look_of(b))
		return look_of(a) < look_of(b) ? -1 : 1;
	if (end_kind(a) != end_kind(b))
		return end_kind(a) < end_kind(b) ? -1 : 1;
	if (end_kind(a) == -2 && a->status != b->status) /* each return its own */
		return a->status < b->status ? -1 : 1;
	return a->adopter - b->adopter;
}

/* alike leaves together, each group in birth order (indexes are birth order) */
static int leaf_cmp(const void *a, const void *b, void *ctx)
{
	const struct xprocs *s = ctx;
	long i = *(const long *)a, j = *(const long *)b;
	int d = same_look(&s->v[i], &s->v[j]);

	return d ? d : (i > j) - (i < j);
}

/* how the folded ones ended: one status, or the range of their exit codes */
static void fold_end(FILE *f, const struct xprocs *s, const long *v, size_t n)
{
	const struct pl_proc_rec *p = &s->v[v[0]];
	struct pl_code_range r = PL_CODE_RANGE_EMPTY;
	char codes[32];

	for (size_t i = 0; i < n; i++)
		pl_code_range_add(&r, s->v[v[i]].status);
	if (end_kind(p) > 1 || r.lo == r.hi)
		end_text(f, p);
	else
		fputs(pl_code_range_describe(r, codes, sizeof(codes)), f);
}

/* folds the alike leaves among kids[0..n) (siblings under node from) */
static void fold(FILE *f, struct dot *d, const char *from, long *kids, size_t n)
{
	size_t k = 0, g;

	for (size_t i = 0; i < n; i++)
		if (d->b.s.kid[kids[i]] < 0 && d->fold[kids[i]] != KEEP)
			kids[k++] = kids[i];
	qsort_r(kids, k, sizeof(*kids), leaf_cmp, &d->b.s);
	for (size_t i = 0; i < k; i = g) {
		const struct pl_proc_rec *p = &d->b.s.v[kids[i]];

		for (g = i + 1; g < k && !same_look(p, &d->b.s.v[kids[g]]); g++)
			;
		if (g - i <= FOLD_OVER)
			continue;
		for (size_t j = i + FOLD_SHOW; j < g; j++)
			d->fold[kids[j]] = kids[i];
		fprintf(f, "  m%ld [label=\"%zu more like this\\n", kids[i], g - i - FOLD_SHOW);
		dot_text(f, p->name ? p->name : p->comm);
		fputs(" (", f);
		fold_end(f, &d->b.s, kids + i + FOLD_SHOW, g - i - FOLD_SHOW);
		fprintf(f, ")\",%s];\n", looks[look_of(p)].style);
		tree_edge(f, from, 'm', kids[i], p);
	}
}

static void legend(FILE *f)
{
	fputs("  subgraph cluster_legend {\n    label=\"legend\"; fontname=\"Helvetica\"; "
	      "style=rounded; color=\"#9aa0a6\";\n", f);
	for (int i = 0; i < L_LOOKS; i++)
		fprintf(f, "    legend%d [label=\"%s\",%s];\n", i, looks[i].what, looks[i].style);
	fputs("    legend_a [label=\"parent\",fillcolor=white];\n"
	      "    legend_b [label=\"child\",fillcolor=white];\n"
	      "    legend_c [label=\"old parent\",fillcolor=white];\n"
	      "    legend_d [label=\"new parent\",fillcolor=white];\n"
	      "    legend_e [label=\"orphan\",fillcolor=white];\n"
	      "    legend_a -> legend_b [label=\"fork\"];\n"
	      "    legend_c -> legend_e [style=dashed,color=\"#e37400\",label=\"reparented away\"];\n"
	      "    legend_d -> legend_e [color=\"#e37400\",penwidth=2,label=\"adopted (init, subreaper)\"];\n"
	      "  }\n", f);
}

/* roots hang under an outside parent (or none); those sharing one fold together */
static int root_cmp(const void *a, const void *b, void *ctx)
{
	const struct xprocs *s = ctx;
	long i = *(const long *)a, j = *(const long *)b;
	__u32 pi = s->v[i].parent, pj = s->v[j].parent;

	return pi != pj ? (pi > pj) - (pi < pj) : (i > j) - (i < j);
}

static void kids_of(struct dot *d, long i, long *buf, size_t *n)
{
	*n = 0;
	for (long c = d->b.s.kid[i]; c >= 0; c = d->b.s.sib[c])
		buf[(*n)++] = c;
}

static void write_graph(struct dot *d, const struct pl_model *m, long *buf)
{
	FILE *f = d->b.x.out;
	struct xprocs *s = &d->b.s;
	char from[32];
	size_t n = 0;

	/* roots first: grouped by the outside parent they hang under */
	for (size_t i = 0; i < s->n; i++)
		if (s->up[i] < 0)
			buf[n++] = (long)i;
	qsort_r(buf, n, sizeof(*buf), root_cmp, s);
	for (size_t i = 0, g; i < n; i = g) {
		__u32 par = s->v[buf[i]].parent;

		for (g = i + 1; g < n && s->v[buf[g]].parent == par; g++)
			;
		if (!par)
			continue;
		outside(f, m, par);
		snprintf(from, sizeof(from), "x%u", par);
		fold(f, d, from, buf + i, g - i);
	}
	for (size_t i = 0; i < s->n; i++) {
		size_t k;

		if (s->kid[i] < 0)
			continue;
		kids_of(d, (long)i, buf, &k);
		snprintf(from, sizeof(from), "p%zu", i);
		fold(f, d, from, buf, k);
	}
	for (size_t i = 0; i < s->n; i++) {
		const struct pl_proc_rec *p = &s->v[i];
		long old;

		if (d->fold[i] >= 0)
			continue;
		node(f, s, (long)i);
		if (s->up[i] >= 0) {
			snprintf(from, sizeof(from), "p%ld", s->up[i]);
			tree_edge(f, from, 'p', (long)i, p);
		} else if (p->parent) {
			snprintf(from, sizeof(from), "x%u", p->parent);
			tree_edge(f, from, 'p', (long)i, p);
		}
		if (!(p->flags & PL_P_ORPHAN) || !p->old_parent)
			continue;
		old = xprocs_find(s, p->old_parent, p->reparent_ts);
		if (old >= 0 && old != (long)i && d->fold[old] >= 0)
			snprintf(from, sizeof(from), "m%ld", d->fold[old]);
		else if (old >= 0 && old != (long)i)
			snprintf(from, sizeof(from), "p%ld", old);
		else
			snprintf(from, sizeof(from), "x%u", p->old_parent);
		if (old < 0)
			outside(f, m, p->old_parent);
		fprintf(f, "  %s -> p%zu [style=dashed,color=\"#e37400\",constraint=false];\n",
			from, i);
	}
}

/* an orphan's old parent is drawn, never folded: the edge that says it
 * left the orphan starts at that very process */
static void keep_old_parents(struct dot *d)
{
	const struct xprocs *s = &d->b.s;
	long old;

	for (size_t i = 0; i < s->n; i++) {
		const struct pl_proc_rec *p = &s->v[i];

		if (!(p->flags & PL_P_ORPHAN) || !p->old_parent)
			continue;
		old = xprocs_find(s, p->old_parent, p->reparent_ts);
		if (old >= 0)
			d->fold[old] = KEEP;
	}
}

static int dot_finish(struct pl_exporter *x, const struct pl_model *m)
{
	struct dot *d = (struct dot *)x;
	FILE *f = x->out;
	long *buf;

	d->fold = malloc((d->b.s.n + 1) * sizeof(*d->fold));
	buf = malloc((d->b.s.n + 1) * sizeof(*buf));
	if (xprocs_link(&d->b.s) || !d->fold || !buf) {
		free(buf);
		return error("out of memory");
	}
	memset(d->fold, 0xff, (d->b.s.n + 1) * sizeof(*d->fold));
	keep_old_parents(d);
	fputs("digraph proclife {\n"
	      "  graph [rankdir=LR,fontname=\"Helvetica\",label=\"proclife: process tree\","
	      "labelloc=t,ranksep=0.4,nodesep=0.15];\n"
	      "  node [shape=box,style=\"rounded,filled\",fontname=\"Helvetica\",fontsize=10];\n"
	      "  edge [fontname=\"Helvetica\",fontsize=9,arrowsize=0.6];\n", f);
	legend(f);
	write_graph(d, m, buf);
	fputs("}\n", f);
	free(buf);
	return export_flush(x);
}

static void dot_free(struct pl_exporter *x)
{
	struct dot *d = (struct dot *)x;

	xprocs_free(&d->b.s);
	free(d->fold);
	free(d);
}

struct pl_exporter *export_dot_new(FILE *out)
{
	struct dot *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	xprocs_exporter_init(&d->b, out, dot_finish, dot_free);
	return &d->b.x;
}
