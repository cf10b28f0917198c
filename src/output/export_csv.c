// SPDX-License-Identifier: BSD-2-Clause
/*
 * One CSV row per process (RFC 4180), written as the model lets go of each:
 * memory stays bounded however long the run.
 */
#include <stdlib.h>
#include <string.h>
#include "output/cgroup_label.h"
#include "output/export.h"
#include "output/export_impl.h"
#include "util/json.h"
#include "util/names.h"
#include "util/pidtab.h"
#include "util/shell_quote.h"
#include "util/status.h"

/* threads each life started: counted from the stream (present when traced
 * with --threads), read at its row; one record per pid, the newest life */
struct thread_count {
	__u32 pid;
	__u32 n;
	__u64 start;
};

struct csv {
	struct pl_exporter x;
	struct pidtab threads;
};

/* a zombie's time is told once it was reaped, where the trace saw any of it */
static bool zombie_ms_told(const struct pl_proc *p)
{
	return p->zombie_ts && p->state >= PL_ST_REAPED && !pl_zombie_time_unknown(p->flags);
}

static const char header[] =
	"pid,start_ns,ppid_at_birth,final_parent,command,command_at_birth,born_ns,exec_ns,"
	"execs,last_exec,exited_ns,status,end,code,signal,core,zombie_ms,reaper,reaped_by,"
	"adopter,old_parent,threads,nice,state,ns_pid,name,argv,uid,gid,euid,cgroup,unit,"
	"cpu_user_ns,cpu_sys_ns,max_rss_kb,killer,killer_command,kill_reason,failed_execs,"
	"last_failed_errno,last_failed_exec,zombie_ms_bound\r\n";

static void csv_event(struct pl_exporter *x, const struct pl_event *e)
{
	struct csv *c = (struct csv *)x;
	struct thread_count *t;
	bool fresh;

	if (e->kind != PL_EV_FORK || !(e->flags & PL_F_THREAD))
		return;
	t = pidtab_get(&c->threads, e->pid, &fresh);
	if (!t)
		return;
	if (t->start != e->start) {
		t->start = e->start;
		t->n = 0;
	}
	t->n++;
}

static __u32 take_threads(struct csv *c, const struct pl_proc *p)
{
	struct thread_count *t;
	bool fresh;
	__u32 n;

	t = pidtab_get(&c->threads, p->pid, &fresh);
	if (!t || t->start != p->start)
		return 0;
	n = t->n;
	t->n = 0;
	return n;
}

/* RFC 4180: quoted when it holds a comma, quote or line break */
/* a name as the log has it, or, where its bytes are no UTF-8 or hold a
 * control byte (which a spreadsheet or a terminal would act on), as the
 * argv column writes an argument: $'...' with escapes. Bytes a reader
 * takes for UTF-8 text, every one */
static const char *text_of(const char *s)
{
	static char quoted[SHELL_QUOTED_MAX(PL_PATH_MAX) + 1];
	size_t n = strlen(s);

	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			goto quote;
	if (json_is_utf8(s, n))
		return s;
quote:
	if (n > PL_PATH_MAX)
		n = PL_PATH_MAX;
	*shell_quote(quoted, s, n) = 0;
	return quoted;
}

/* a text cell; one a spreadsheet would take for a formula (a name or a
 * cgroup any user may choose: "=cmd|..."), after a ' that makes it text */
static void field(FILE *f, const char *s)
{
	bool formula;

	s = text_of(s);
	formula = strchr("=+-@", *s) && *s;
	if (!strpbrk(s, ",\"\r\n")) {
		if (formula)
			putc('\'', f);
		fputs(s, f);
		return;
	}
	putc('"', f);
	if (formula)
		putc('\'', f);
	for (; *s; s++) {
		if (*s == '"')
			putc('"', f);
		putc(*s, f);
	}
	putc('"', f);
}

static void num(FILE *f, unsigned long long v, bool known)
{
	if (known)
		fprintf(f, "%llu", v);
}

/* who, what and how much: the columns after ns_pid, empty where not known */
static void context(FILE *f, const struct pl_proc *p)
{
	static char argv[SHELL_QUOTED_MAX(PL_ARGV_KEEP) + 8];
	bool who = p->flags & PL_P_WHO, usage = p->flags & PL_P_USAGE;
	bool killer = p->flags & PL_P_KILLER;
	char unit[160] = "";
	const char *err = p->exec_fails && p->fail_errno > 0 ? strerrorname_np(p->fail_errno) : NULL;

	putc(',', f);
	field(f, pl_proc_name(p) != p->comm ? pl_proc_name(p) : "");
	putc(',', f);
	shell_join(argv, sizeof(argv), p->argv, p->argv_len, 0,
		   export_argv_cut(p->flags));
	field(f, argv);
	putc(',', f);
	num(f, p->uid, who);
	putc(',', f);
	num(f, p->gid, who);
	putc(',', f);
	num(f, p->euid, who);
	putc(',', f);
	field(f, p->cgroup ? p->cgroup : "");
	putc(',', f);
	field(f, cgroup_label(p->cgroup, unit, sizeof(unit)) ? unit : "");
	putc(',', f);
	num(f, p->cpu_user_ns, usage);
	putc(',', f);
	num(f, p->cpu_sys_ns, usage);
	putc(',', f);
	num(f, p->max_rss_kb, usage);
	putc(',', f);
	num(f, p->killer, killer);
	putc(',', f);
	field(f, killer && p->kill_why == PL_KILL_SENT ?
		 (p->killer_name ? p->killer_name : p->killer_comm) : "");
	fprintf(f, ",%s,%u,%s,", killer ? pl_kill_why_name(p->kill_why) : "", p->exec_fails,
		err ? err : "");
	field(f, p->fail_file ? p->fail_file : "");
}

static void csv_proc(struct pl_exporter *x, const struct pl_proc *p)
{
	struct csv *c = (struct csv *)x;
	FILE *f = x->out;
	bool st = p->flags & PL_P_HAS_STATUS;
	struct pl_status d = pl_status_decode(p->status);
	const char *bound;
	char end[64] = "";

	if (p->flags & PL_P_PLACEHOLDER)
		return; /* known only as someone's parent: nothing to say */
	if (st)
		pl_status_describe(p->status, end, sizeof(end));
	fprintf(f, "%u,%llu,", p->pid, (unsigned long long)p->start);
	num(f, p->ppid_birth, p->ppid_birth);
	putc(',', f);
	num(f, p->parent ? p->parent->pid : 0, p->parent);
	putc(',', f);
	field(f, p->comm);
	putc(',', f);
	field(f, p->comm0[0] ? p->comm0 : p->comm);
	putc(',', f);
	num(f, p->birth_ts, p->birth_ts);
	putc(',', f);
	num(f, p->exec_ts, p->exec_ts);
	fprintf(f, ",%u,", p->execs);
	field(f, p->filename ? p->filename : "");
	putc(',', f);
	num(f, p->exit_ts, p->exit_ts);
	putc(',', f);
	if (st) /* as the log has it: a kernel thread's return may be negative */
		fprintf(f, "%d", p->status);
	putc(',', f);
	field(f, end);
	putc(',', f);
	num(f, (unsigned)d.code, st && !d.signaled && !d.no_wait);
	putc(',', f);
	num(f, (unsigned)d.signal, st && d.signaled);
	fprintf(f, ",%s,", st && d.signaled ? (d.core ? "true" : "false") : "");
	if (zombie_ms_told(p))
		fprintf(f, "%.3f", (double)p->zombie_ns / 1e6);
	putc(',', f);
	num(f, p->reaper, p->reaper);
	fprintf(f, ",%s,%s,", p->reap_kind ? pl_reap_kind_name(p->reap_kind) : "",
		p->flags & PL_P_ORPHAN ? pl_adopter_name(p->adopter) : "");
	num(f, p->old_parent, p->old_parent);
	fprintf(f, ",%u,%d,%s,", take_threads(c, p), p->nice,
		p->flags & PL_P_REAPER_UNKNOWN ? "reaper-unknown" : pl_state_name(p->state));
	num(f, p->ns_pid, p->ns_pid);
	context(f, p);
	/* zombie_ms as a bound, where the trace saw part of it */
	bound = zombie_ms_told(p) ? pl_zombie_time_bound(p->flags) : NULL;
	fprintf(f, ",%s\r\n", bound ? bound : "");
}

static int csv_finish(struct pl_exporter *x, const struct pl_model *m)
{
	(void)m;
	return export_flush(x);
}

static void csv_free(struct pl_exporter *x)
{
	struct csv *c = (struct csv *)x;

	pidtab_free(&c->threads);
	free(c);
}

struct pl_exporter *export_csv_new(FILE *out)
{
	struct csv *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->x = (struct pl_exporter){ .event = csv_event, .proc = csv_proc, .finish = csv_finish,
				     .free = csv_free, .out = out };
	c->threads.size = sizeof(struct thread_count);
	fputs(header, out);
	return &c->x;
}
