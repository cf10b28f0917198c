// SPDX-License-Identifier: BSD-2-Clause
/*
 * The summary's tables of context: which cgroup (unit, container) left
 * long zombies and orphans, the processes that used the most CPU and
 * memory, the execs that failed. At most MAX_ROWS rows each, and a line
 * for what is left out.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "output/amounts.h"
#include "output/cgroup_label.h"
#include "output/summary.h"
#include "output/summary_context.h"
#include "util/printable.h"
#include "util/words.h"

#define MAX_ROWS 20
#define USAGE_ROWS 10 /* the most CPU, the most memory: the top is what matters */

struct cg_row {
	const char *cgroup; /* the model's copy; NULL: not known */
	unsigned long long longz, ns, unreaped, orphans;
};

static int by_neglect(const void *a, const void *b)
{
	const struct cg_row *x = a, *y = b;

	if (x->longz + x->unreaped != y->longz + y->unreaped)
		return x->longz + x->unreaped < y->longz + y->unreaped ? 1 : -1;
	if (x->ns != y->ns)
		return x->ns < y->ns ? 1 : -1;
	return (x->orphans < y->orphans) - (x->orphans > y->orphans);
}

static struct cg_row *row_of(struct cg_row *rows, size_t *n, const char *cgroup)
{
	for (size_t i = 0; i < *n; i++)
		if (rows[i].cgroup == cgroup)
			return &rows[i];
	memset(&rows[*n], 0, sizeof(rows[*n]));
	rows[*n].cgroup = cgroup;
	return &rows[(*n)++];
}

/* long zombies (their time once reaped), zombies still unreaped and
 * orphans, by the cgroup they were in */
static void by_cgroup(FILE *f, const struct pl_model *m, __u32 root, const struct pl_proc **waiting,
		      size_t nwaiting)
{
	unsigned scope = pl_model_scope(m, root);
	unsigned long long more;
	size_t n, k = 0;
	const struct pl_cgroup_rec *r = pl_model_cgroup_recs(m, &n, &more);
	struct cg_row *rows = calloc(n + nwaiting + 1, sizeof(*rows));
	char d[32], label[160], path[128];

	if (!rows)
		return;
	for (size_t i = 0; i < n; i++) {
		struct cg_row *row;

		if (!r[i].of[scope].zombies_long && !r[i].of[scope].orphans)
			continue;
		row = row_of(rows, &k, r[i].cgroup);
		row->longz = r[i].of[scope].zombies_long;
		row->ns = r[i].of[scope].zombie_ns;
		row->orphans = r[i].of[scope].orphans;
	}
	for (size_t i = 0; i < nwaiting; i++)
		row_of(rows, &k, waiting[i]->cgroup)->unreaped++;
	qsort(rows, k, sizeof(*rows), by_neglect);
	if (k)
		fprintf(f, "\nlong zombies and orphans by cgroup (zombies past %u ms; their time once "
			   "reaped):\n%12s %14s %9s %8s  %-24s %s\n", pl_model_zombie_ms(m),
			"LONG ZOMBIES", "THEIR TIME", "UNREAPED", "ORPHANS", "UNIT OR CONTAINER",
			"CGROUP");
	for (size_t i = 0; i < k && i < MAX_ROWS; i++) {
		const char *l = cgroup_label(rows[i].cgroup, label, sizeof(label));

		fprintf(f, "%12llu %14s %9llu %8llu  %-24s %s\n", rows[i].longz,
			rows[i].ns ? summary_fmt_ns(rows[i].ns, d, sizeof(d)) : "-", rows[i].unreaped,
			rows[i].orphans, l ? l : "-",
			rows[i].cgroup ? pl_printable(rows[i].cgroup, sizeof(path) - 1, path, sizeof(path))
				       : "(not known)");
	}
	if (k > MAX_ROWS)
		fprintf(f, "  ... and %zu more cgroups\n", k - MAX_ROWS);
	if (more)
		fprintf(f, "  ... and %llu such %s in cgroups past the first %d, not kept\n", more,
			plural(more, "fact", "facts"), PL_MAX_CGROUP_RECS);
	free(rows);
}


/* the processes that used the most, by CPU or by peak memory */
static void most_used(FILE *f, const char *what, const struct pl_usage_rec *u, size_t n,
		      unsigned long long ended, bool by_cpu)
{
	char name[SUMMARY_NAME_BUF], cpu[32], user[32], sys[32], rss[32];
	size_t shown = n < USAGE_ROWS ? n : USAGE_ROWS;

	if (!n)
		return;
	fprintf(f, "\n%s (of the %llu %s that ended with %s use told):\n%7s  %-24s %10s %10s "
		   "%10s %12s\n", what, ended, plural(ended, "process", "processes"),
		plural(ended, "its", "their"), "PID", "COMMAND", "CPU", "USER", "SYSTEM", "PEAK MEMORY");
	for (size_t i = 0; i < shown; i++)
		fprintf(f, "%7u  %-24s %10s %10s %10s %12s\n", u[i].pid,
			summary_name(u[i].name, u[i].comm, name, sizeof(name)), amount_cpu(u[i].cpu_ns, cpu, sizeof(cpu)),
			amount_cpu(u[i].cpu_user_ns, user, sizeof(user)),
			amount_cpu(u[i].cpu_ns - u[i].cpu_user_ns, sys, sizeof(sys)),
			amount_kib(u[i].max_rss_kb, rss, sizeof(rss)));
	if (ended > shown)
		fprintf(f, "  ... and %llu more, none above %s\n", ended - shown,
			by_cpu ? amount_cpu(u[shown - 1].cpu_ns, cpu, sizeof(cpu))
			       : amount_kib(u[shown - 1].max_rss_kb, rss, sizeof(rss)));
}

struct fail_row {
	const struct pl_fail_rec *r;
	unsigned long long count;
};

static int by_count(const void *a, const void *b)
{
	const struct fail_row *x = a, *y = b;

	return (x->count < y->count) - (x->count > y->count);
}

static void failed_execs(FILE *f, const struct pl_model *m, __u32 root)
{
	unsigned scope = pl_model_scope(m, root);
	const unsigned long long *more;
	size_t n, k = 0;
	const struct pl_fail_rec *r = pl_model_fail_recs(m, &n, &more);
	struct fail_row *rows = calloc(n + 1, sizeof(*rows));
	char name[SUMMARY_NAME_BUF];

	if (!rows)
		return;
	/* a search's misses (an exec that worked came next) are not news */
	for (size_t i = 0; i < n; i++)
		if (r[i].count[scope] > r[i].found[scope])
			rows[k++] = (struct fail_row){ &r[i], r[i].count[scope] - r[i].found[scope] };
	qsort(rows, k, sizeof(*rows), by_count);
	if (k)
		fprintf(f, "\nfailed execs not followed by one that worked, most frequent first:\n"
			   "%7s  %-8s %s\n", "COUNT", "ERRNO", "FILE (THE LAST PROCESS IT FAILED FOR)");
	for (size_t i = 0; i < k && i < MAX_ROWS; i++) {
		const char *e = rows[i].r->err > 0 ? strerrorname_np(rows[i].r->err) : NULL;
		char num[16];

		snprintf(num, sizeof(num), "%d", rows[i].r->err);
		fprintf(f, "%7llu  %-8s %s (%s[%u])\n", rows[i].count, e ? e : num,
			SHOW_STR(rows[i].r->file),
			summary_name(rows[i].r->last_name, rows[i].r->last_comm, name, sizeof(name)),
			rows[i].r->last_pid);
	}
	if (k > MAX_ROWS)
		fprintf(f, "  ... and %zu more kinds\n", k - MAX_ROWS);
	if (more[scope])
		fprintf(f, "  ... and %llu failed %s of kinds past the first %d, not kept\n",
			more[scope], plural(more[scope], "exec", "execs"), PL_MAX_FAIL_RECS);
	free(rows);
}

void summary_context(FILE *f, const struct pl_model *m, __u32 root, const struct pl_proc **waiting,
		     size_t nwaiting)
{
	unsigned long long ended;
	const struct pl_usage_rec *u;
	size_t n;

	by_cgroup(f, m, root, waiting, nwaiting);
	u = pl_model_top_cpu(m, root, &n, &ended);
	most_used(f, "the most CPU", u, n, ended, true);
	u = pl_model_top_rss(m, root, &n, &ended);
	most_used(f, "the most memory", u, n, ended, false);
	failed_execs(f, m, root);
}
