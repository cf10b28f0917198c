// SPDX-License-Identifier: BSD-2-Clause
/*
 * One self-contained HTML report: the page (src/output/html/) with the
 * run embedded as JSON in a <script type="application/json">. The page
 * draws the timeline on a canvas, only the rows in view, so ten thousand
 * processes stay quick.
 *
 * Every process is one array row (field order shared with the page's
 * script): times in ns from the start of the trace (or, when the log does
 * not say, from the first birth), -1 when not seen. A process that began
 * before the trace is marked so, and its times before it are 0: the
 * timeline of a whole-machine trace starts with the trace, not at boot.
 */
#include <stdlib.h>
#include <string.h>
#include "output/amounts.h"
#include "output/cgroup_label.h"
#include "output/end_text.h"
#include "output/export.h"
#include "output/export_html_page.h"
#include "output/export_impl.h"
#include "output/export_procs.h"
#include "util/diag.h"
#include "util/json.h"
#include "output/users.h"
#include "util/names.h"
#include "util/pidtab.h"
#include "util/shell_quote.h"
#include "util/status.h"

/* the page's M flags */
enum mark {
	MK_LONG = 1, MK_ORPHAN = 2, MK_ZADOPT = 4, MK_DFORK = 8, MK_INFERRED = 16,
	MK_BOOT = 32, MK_ZNOW = 64, MK_BEFORE = 256, /* 128: the page's own */
	MK_ZAT_LEAST = 512, MK_ZAT_MOST = 1024, /* its zombie time is a bound */
};

/* s's n bytes into out (n + 1 bytes) with each byte that is no UTF-8 as
 * '?', as the tree shows it: JSON would carry such a byte as the Latin-1
 * character of its value. The rest is kept whole (the page isolates each
 * name, right-to-left marks and all) */
static void utf8_or_marks(const char *s, size_t n, char *out)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, o = 0, c;

	while (i < n) {
		c = json_char_len(u + i, n - i);
		if (!c) {
			out[o++] = '?';
			i++;
			continue;
		}
		memcpy(out + o, s + i, c);
		o += c;
		i += c;
	}
	out[o] = 0;
}

/* a JSON string that cannot end the script it sits in: json_escape's
 * output with <, > and & as \u escapes ("</script>" in a comm) */
static void script_string(FILE *f, const char *s)
{
	size_t n = strlen(s);
	char small[256], *buf = JSON_ESCAPED_MAX(n) <= sizeof(small) ? small : malloc(JSON_ESCAPED_MAX(n));
	char shown_small[128], *shown = n < sizeof(shown_small) ? shown_small : malloc(n + 1);
	char *end;

	if (!buf || !shown) {
		fputs("\"\"", f);
		if (buf != small)
			free(buf);
		if (shown != shown_small)
			free(shown);
		return;
	}
	utf8_or_marks(s, n, shown);
	end = json_escape(buf, shown, n);
	if (shown != shown_small)
		free(shown);
	for (char *c = buf; c < end; c++) {
		if (*c == '<' || *c == '>' || *c == '&')
			fprintf(f, "\\u%04x", (unsigned char)*c);
		else
			putc(*c, f);
	}
	if (buf != small)
		free(buf);
}

static long long rel(const struct xprocs *s, __u64 t)
{
	if (!t)
		return -1;
	return t > s->lo ? (long long)(t - s->lo) : 0;
}

static unsigned bound_mark(__u32 flags)
{
	const char *b = pl_zombie_time_bound(flags);

	return !b ? 0 : !strcmp(b, "at least") ? MK_ZAT_LEAST : MK_ZAT_MOST;
}

static unsigned marks(const struct xprocs *s, const struct pl_proc_rec *p)
{
	return (xproc_born(p) < s->lo ? MK_BEFORE : 0) |
	       (p->flags & PL_P_LONG_ZOMBIE ? MK_LONG : 0) |
	       (p->flags & PL_P_ORPHAN ? MK_ORPHAN : 0) |
	       (p->flags & PL_P_ZOMBIE_ADOPTED ? MK_ZADOPT : 0) |
	       (p->flags & PL_P_DOUBLE_FORK ? MK_DFORK : 0) |
	       (p->flags & PL_P_REAP_INFERRED ? MK_INFERRED : 0) |
	       (p->flags & PL_P_BOOTSTRAP ? MK_BOOT : 0) |
	       (p->state == PL_ST_ZOMBIE ? MK_ZNOW : 0) | bound_mark(p->flags);
}

/* who, what and how much: the row's fields after its marks */
static void context(FILE *f, const struct pl_proc_rec *p)
{
	static char argv[SHELL_QUOTED_MAX(PL_ARGV_KEEP) + 8];
	char user[40] = "", euser[40] = "", unit[160] = "", fail[64] = "";
	bool who = p->flags & PL_P_WHO, usage = p->flags & PL_P_USAGE;

	shell_join(argv, sizeof(argv), p->argv, p->argv_len, 0,
		   export_argv_cut(p->flags));
	if (who) {
		user_name(p->uid, user, sizeof(user));
		user_name(p->euid, euser, sizeof(euser));
	}
	cgroup_label(p->cgroup, unit, sizeof(unit));
	if (p->exec_fails)
		snprintf(fail, sizeof(fail), "%s", p->fail_errno > 0 && strerrorname_np(p->fail_errno) ?
			 strerrorname_np(p->fail_errno) : "?");
	fputc(',', f);
	script_string(f, p->name ? p->name : "");
	fputc(',', f);
	script_string(f, argv);
	fprintf(f, ",%lld,", who ? (long long)p->uid : -1LL);
	script_string(f, user);
	fprintf(f, ",%lld,", who ? (long long)p->euid : -1LL);
	script_string(f, euser);
	fputc(',', f);
	script_string(f, p->cgroup ? p->cgroup : "");
	fputc(',', f);
	script_string(f, unit);
	fprintf(f, ",%lld,%lld,%lld,%u,", usage ? (long long)p->cpu_user_ns : -1LL,
		usage ? (long long)p->cpu_sys_ns : -1LL, usage ? (long long)p->max_rss_kb : -1LL,
		p->exec_fails);
	script_string(f, fail);
	fputc(',', f);
	script_string(f, p->fail_file ? p->fail_file : "");
}

static void row(FILE *f, const struct xprocs *s, long i)
{
	const struct pl_proc_rec *p = &s->v[i];
	long old = -1;
	char end[160] = "";
	bool reaped = p->zombie_ts && p->state >= PL_ST_REAPED && !pl_zombie_time_unknown(p->flags);
	struct end_facts ef = end_of_rec(p);

	if ((p->flags & PL_P_ORPHAN) && p->old_parent) {
		old = xprocs_find(s, p->old_parent, p->reparent_ts);
		if (old == i)
			old = -1;
	}
	if (p->flags & PL_P_HAS_STATUS)
		end_describe(&ef, end, sizeof(end));
	fprintf(f, "[%u,%ld,%u,", p->pid, s->up[i], p->parent);
	script_string(f, p->comm);
	fprintf(f, ",%lld,%lld,%lld,%lld,%lld,%lld,%u,%ld,\"%s\",\"%s\",\"%s\",", rel(s, xproc_born(p)),
		rel(s, p->exec_ts), rel(s, p->exit_ts), rel(s, p->zombie_ts), rel(s, p->reap_ts),
		rel(s, p->reparent_ts), p->old_parent, old,
		p->flags & PL_P_ORPHAN ? pl_adopter_name(p->adopter) : "",
		p->flags & PL_P_REAPER_UNKNOWN ? "reaper-unknown" : pl_state_name(p->state),
		p->reap_kind ? pl_reap_kind_name(p->reap_kind) : "");
	script_string(f, end);
	fprintf(f, ",%lld,%u,%u,", reaped ? (long long)p->zombie_ns : -1LL, p->reaper, p->zparent);
	script_string(f, p->filename ? p->filename : "");
	fprintf(f, ",%u", marks(s, p));
	context(f, p);
	fputc(']', f);
}

/* names of the pids the page shows as rows outside what was followed */
static void names(FILE *f, const struct xprocs *s, const struct pl_model *m)
{
	struct pidtab named = { .size = sizeof(__u32) }; /* each pid once */
	bool first = true, fresh;

	for (size_t i = 0; i < s->n; i++) {
		const struct pl_proc_rec *p = &s->v[i];
		__u32 pids[2] = { s->up[i] < 0 ? p->parent : 0,
				  p->flags & PL_P_ORPHAN ? p->old_parent : 0 };

		for (int k = 0; k < 2; k++) {
			if (!pids[k] || (k && xprocs_find(s, pids[k], p->reparent_ts) >= 0))
				continue;
			if (pidtab_get(&named, pids[k], &fresh) && !fresh)
				continue; /* named already (with no memory to tell, said again) */
			fprintf(f, "%s\"%u\":", first ? "" : ",", pids[k]);
			script_string(f, xproc_outside_name(m, pids[k]));
			first = false;
		}
	}
	pidtab_free(&named);
}

static int html_finish(struct pl_exporter *x, const struct pl_model *m)
{
	struct xprocs_exporter *h = (struct xprocs_exporter *)x;
	struct xprocs *s = &h->s;
	FILE *f = x->out;
	unsigned long long wall = 0;

	if (xprocs_link(s))
		return error("out of memory");
	/* time 0 is the trace's start: what began before starts at the left
	 * edge; the end is the trace's last moment, not its last event */
	if (x->t0)
		s->lo = x->t0;
	if (pl_model_now(m) > s->hi)
		s->hi = pl_model_now(m);
	if (x->boot_to_wall_ns && s->lo)
		wall = (x->boot_to_wall_ns + s->lo) / 1000000;
	fputs(export_html_head, f);
	fprintf(f, "{\"version\":1,\"t0_wall_ms\":%llu,\"span_ns\":%llu,\"zombie_ms\":%u,\"names\":{",
		wall, (unsigned long long)(s->hi > s->lo ? s->hi - s->lo : 0), pl_model_zombie_ms(m));
	names(f, s, m);
	fputs("},\n\"procs\":[", f);
	for (size_t i = 0; i < s->n; i++) {
		fputs(i ? ",\n" : "\n", f);
		row(f, s, (long)i);
	}
	fputs("]}\n", f);
	fputs(export_html_tail, f);
	return export_flush(x);
}

static void html_free(struct pl_exporter *x)
{
	struct xprocs_exporter *h = (struct xprocs_exporter *)x;

	xprocs_free(&h->s);
	free(h);
}

struct pl_exporter *export_html_new(FILE *out)
{
	struct xprocs_exporter *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	xprocs_exporter_init(h, out, html_finish, html_free);
	return &h->x;
}
