// SPDX-License-Identifier: BSD-2-Clause
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "log/json_line.h"
#include "util/array.h"
#include "util/diag.h"
#include "util/pidtab.h"
#include "verify/manifest.h"

#define MANIFEST_FORMAT "proclife-workload-manifest"
/* levels listed: the manifest's members, its runs, a run's members, its
 * procs, a proc's members, and theirs (orphan, exec, usage, fork_ns) */
#define MANIFEST_DEPTH 6

struct parse {
	const struct pl_jline *j;
	char *err;
	size_t errlen;
	int failed;
};

static void fail(struct parse *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* the first problem is the one told */
static void fail(struct parse *ps, const char *fmt, ...)
{
	va_list ap;

	if (ps->failed)
		return;
	va_start(ap, fmt);
	vsnprintf(ps->err, ps->errlen, fmt, ap);
	va_end(ap);
	ps->failed = 1;
}

/* the member key of object o, or NULL */
static const struct pl_jmember *member(const struct parse *ps, int o, const char *key)
{
	int i = pl_jline_find(ps->j, o, key);

	return i < 0 ? NULL : &ps->j->m[i];
}

/* the index of m, for pl_jline_find() and the walks below */
static int idx(const struct parse *ps, const struct pl_jmember *m)
{
	return (int)(m - ps->j->m);
}

static bool is_whole(const struct pl_jmember *v)
{
	return v->type == PL_J_UINT || v->type == PL_J_INT;
}

static long long whole(const struct pl_jmember *v)
{
	if (v->type == PL_J_INT)
		return v->i;
	return v->u > LLONG_MAX ? LLONG_MAX : (long long)v->u;
}

/* an integer member: absent gives def, any other type is an error */
static long long get_num(struct parse *ps, int o, const char *key, long long def)
{
	const struct pl_jmember *v = member(ps, o, key);

	if (!v)
		return def;
	if (!is_whole(v)) {
		fail(ps, "'%s' is %s, expected a whole number", key, pl_jtype_name(v->type));
		return def;
	}
	return whole(v);
}

static bool get_bool(struct parse *ps, int o, const char *key)
{
	const struct pl_jmember *v = member(ps, o, key);

	if (!v)
		return false;
	if (v->type != PL_J_BOOL) {
		fail(ps, "'%s' is %s, expected true or false", key, pl_jtype_name(v->type));
		return false;
	}
	return v->b;
}

/* a string member into out, cut to fit and at a NUL; "" if absent */
static void get_str(struct parse *ps, int o, const char *key, char *out, size_t len)
{
	const struct pl_jmember *v = member(ps, o, key);

	*out = 0;
	if (!v)
		return;
	if (v->type != PL_J_STRING) {
		fail(ps, "'%s' is %s, expected a string", key, pl_jtype_name(v->type));
		return;
	}
	snprintf(out, len, "%.*s", (int)(v->len < INT_MAX ? v->len : INT_MAX), v->s);
}

/* a whole number from lo to hi (def when absent) */
static long long get_int_in(struct parse *ps, int o, const char *key, long long lo, long long hi,
			    long long def)
{
	long long v = get_num(ps, o, key, def);

	if (v < lo || v > hi) {
		fail(ps, "'%s' is %lld, out of its range (%lld to %lld)", key, v, lo, hi);
		return def;
	}
	return v;
}

static __u32 get_pid(struct parse *ps, int o, const char *key)
{
	long long v = get_num(ps, o, key, 0);

	if (v < 0 || v > 0x7fffffff) {
		fail(ps, "'%s' is not a pid", key);
		return 0;
	}
	return (__u32)v;
}

/* the keys of what the generator writes, each object's: a key it never
 * writes (misspelt, or of another tool) is refused, not read as absent */
static const char *const top_keys[] = { "format", "version", "generator", "clk_tck", "tick_ns",
					 "root", "ns_init", "options", "runs", "result", NULL };
static const char *const generator_keys[] = { "pid", "start_ticks", "ppid", "comm", "exe", NULL };
static const char *const run_keys[] = { "scenario", "result", "reason", "begin_ns", "end_ns",
					 "facts", "procs", "threads", NULL };
static const char *const proc_keys[] = {
	"role", "pid", "ns_pid", "parent", "comm", "start_ticks", "fork_ns", "status", "code",
	"signal", "signame", "core", "status_seen", "reaper", "auto", "reaper_pid", "reap_seq",
	"in_handler", "nohang", "hold_ms", "exit_seen_ns", "zombie_seen_ns", "reaped_ns",
	"killed_by", "kill_reason", "uid", "gid", "cgroup", "usage", "orphan", "exec", "vfork",
	"nice", "tasks", "reused_from", NULL
};
static const char *const usage_keys[] = { "burned_ms", "touched_kb", "self_cpu_ns",
					   "reaped_cpu_ns", "reaped_maxrss_kb", NULL };
static const char *const orphan_keys[] = { "old_parent", "new_parent", "adopter", "as_zombie",
					    NULL };
static const char *const exec_keys[] = { "filename", "comm", "tid", NULL };
static const char *const thread_keys[] = { "role", "tid", "pid", "process", "joined",
					    "exec_gone", "lives_until_exit", NULL };

static bool known(const char *const *keys, const struct pl_jmember *m)
{
	for (; *keys; keys++)
		if (strlen(*keys) == m->key_len && !memcmp(*keys, m->key, m->key_len))
			return true;
	return false;
}

/* every key of object o (-1: the top) one of keys; what names o in the error */
static void only_known_keys(struct parse *ps, int o, const char *const *keys, const char *what)
{
	for (int i = o < 0 ? ps->j->first : ps->j->m[o].first; i >= 0 && !ps->failed;
	     i = ps->j->m[i].next)
		if (!known(keys, &ps->j->m[i]))
			fail(ps, "%s has a key no manifest has: '%.*s'", what,
			     (int)ps->j->m[i].key_len, ps->j->m[i].key);
}

/* an object member, or NULL (absent, or not an object: an error) */
static const struct pl_jmember *get_object(struct parse *ps, int o, const char *key)
{
	const struct pl_jmember *v = member(ps, o, key);

	if (v && v->type != PL_J_OBJECT) {
		fail(ps, "'%s' is %s, expected an object", key, pl_jtype_name(v->type));
		return NULL;
	}
	return v;
}

static void read_reaper(struct parse *ps, int o, struct mf_proc *p)
{
	const struct pl_jmember *v = member(ps, o, "reaper");
	char s[32];

	p->reaper_pid = get_pid(ps, o, "reaper_pid");
	if (!v)
		return;
	if (is_whole(v)) {
		p->reaper = MF_REAPER_PID;
		if (whole(v) <= 0 || whole(v) > 0x7fffffff)
			fail(ps, "'reaper' is not a pid");
		else if (!p->reaper_pid)
			fail(ps, "'reaper' is a pid, but 'reaper_pid' gives none");
		else if (get_pid(ps, o, "reaper") != p->reaper_pid)
			fail(ps, "'reaper' is %lld, not the pid 'reaper_pid' says (%u)", whole(v),
			     p->reaper_pid);
		return;
	}
	if (v->type != PL_J_STRING) {
		fail(ps, "'reaper' is %s, expected a pid or a string", pl_jtype_name(v->type));
		return;
	}
	get_str(ps, o, "reaper", s, sizeof(s));
	if (!strcmp(s, "init"))
		p->reaper = MF_REAPER_INIT;
	else if (!strcmp(s, "auto"))
		p->reaper = MF_REAPER_AUTO;
	else if (!strncmp(s, "subreaper:", 10))
		p->reaper = MF_REAPER_SUBREAPER;
	else
		fail(ps, "unknown reaper '%s'", s);
}

/* fork_ns: [lo, hi], the window the kernel's start time lies in */
static void read_fork_window(struct parse *ps, int o, struct mf_proc *p)
{
	const struct pl_jmember *v = member(ps, o, "fork_ns"), *lo, *hi;

	if (!v)
		return;
	lo = v->type == PL_J_ARRAY && v->first >= 0 ? &ps->j->m[v->first] : NULL;
	hi = lo && lo->next >= 0 ? &ps->j->m[lo->next] : NULL;
	if (!hi || hi->next >= 0 || !is_whole(lo) || !is_whole(hi)) {
		fail(ps, "'fork_ns' is not a pair of numbers");
		return;
	}
	p->fork_lo = (__u64)whole(lo);
	p->fork_hi = (__u64)whole(hi);
	if (p->fork_lo > p->fork_hi)
		fail(ps, "'fork_ns' ends before it begins");
}

/* a string member, malloc'd; NULL when absent */
static char *get_strdup(struct parse *ps, int o, const char *key)
{
	char buf[4096], *s;

	if (!member(ps, o, key))
		return NULL;
	get_str(ps, o, key, buf, sizeof(buf));
	s = strdup(buf);
	if (!s)
		fail(ps, "out of memory");
	return s;
}

/* who it runs as, where, what it used, who killed it */
static void read_context(struct parse *ps, int o, struct mf_proc *p)
{
	const struct pl_jmember *u = get_object(ps, o, "usage");

	p->has_who = member(ps, o, "uid") != NULL;
	p->uid = (__u32)get_int_in(ps, o, "uid", 0, UINT32_MAX, 0);
	p->gid = (__u32)get_int_in(ps, o, "gid", 0, UINT32_MAX, 0);
	p->cgroup = get_strdup(ps, o, "cgroup");
	p->killed_by = get_pid(ps, o, "killed_by");
	get_str(ps, o, "kill_reason", p->kill_reason, sizeof(p->kill_reason));
	if (!u)
		return;
	only_known_keys(ps, idx(ps, u), usage_keys, "a process's 'usage'");
	p->has_usage = true;
	p->self_cpu_ns = (__u64)get_num(ps, idx(ps, u), "self_cpu_ns", 0);
	p->reaped_cpu_ns = (__u64)get_num(ps, idx(ps, u), "reaped_cpu_ns", 0);
	p->reaped_maxrss_kb = (__u64)get_num(ps, idx(ps, u), "reaped_maxrss_kb", 0);
}

static void read_proc(struct parse *ps, const struct pl_jmember *obj, unsigned run,
		      struct mf_proc *p)
{
	const struct pl_jmember *v;
	int o = idx(ps, obj);

	memset(p, 0, sizeof(*p));
	if (obj->type != PL_J_OBJECT) {
		fail(ps, "a process is not an object");
		return;
	}
	p->run = run;
	only_known_keys(ps, o, proc_keys, "a process");
	get_str(ps, o, "role", p->role, sizeof(p->role));
	p->pid = get_pid(ps, o, "pid");
	if (!p->pid)
		fail(ps, "a process without a pid (role '%s')", p->role);
	p->parent = get_pid(ps, o, "parent");
	p->ns_pid = get_pid(ps, o, "ns_pid");
	read_fork_window(ps, o, p);
	p->has_status = member(ps, o, "status") != NULL;
	p->status = (int)get_int_in(ps, o, "status", 0, 0xffff, 0);
	read_reaper(ps, o, p);
	p->reap_seq = (int)get_int_in(ps, o, "reap_seq", 0, INT_MAX - 1, 0);
	p->in_handler = get_bool(ps, o, "in_handler");
	p->nohang = get_bool(ps, o, "nohang");
	p->hold_ms = (long)get_int_in(ps, o, "hold_ms", 0, INT_MAX, 0);
	p->zombie_seen_ns = (__u64)get_num(ps, o, "zombie_seen_ns", 0);
	p->reaped_ns = (__u64)get_num(ps, o, "reaped_ns", 0);
	if (p->reaped_ns && p->reaped_ns < p->fork_lo)
		fail(ps, "process %u: 'reaped_ns' is before its 'fork_ns'", p->pid);
	p->reused = member(ps, o, "reused_from") != NULL;
	p->has_nice = member(ps, o, "nice") != NULL;
	p->nice = (int)get_int_in(ps, o, "nice", -20, 19, 0);
	v = get_object(ps, o, "orphan");
	if (v) {
		only_known_keys(ps, idx(ps, v), orphan_keys, "a process's 'orphan'");
		p->orphan = true;
		p->old_parent = get_pid(ps, idx(ps, v), "old_parent");
		p->new_parent = get_pid(ps, idx(ps, v), "new_parent");
		get_str(ps, idx(ps, v), "adopter", p->adopter, sizeof(p->adopter));
		p->orphan_as_zombie = get_bool(ps, idx(ps, v), "as_zombie");
	}
	read_context(ps, o, p);
	v = get_object(ps, o, "exec");
	if (v) {
		only_known_keys(ps, idx(ps, v), exec_keys, "a process's 'exec'");
		p->exec = true;
		p->exec_filename = get_strdup(ps, idx(ps, v), "filename");
		get_str(ps, idx(ps, v), "comm", p->exec_comm, sizeof(p->exec_comm));
		p->exec_tid = get_pid(ps, idx(ps, v), "tid");
	}
	/* the generator writes it always: without it, a parent of 0 would be
	 * compared as a fact */
	if (p->pid && !member(ps, o, "parent"))
		fail(ps, "process %u has no 'parent'", p->pid);
}

static void read_thread(struct parse *ps, const struct pl_jmember *obj, unsigned run,
			struct mf_thread *t)
{
	int o = idx(ps, obj);

	memset(t, 0, sizeof(*t));
	if (obj->type != PL_J_OBJECT) {
		fail(ps, "a thread is not an object");
		return;
	}
	t->run = run;
	only_known_keys(ps, o, thread_keys, "a thread");
	t->tid = get_pid(ps, o, "tid");
	t->pid = get_pid(ps, o, "pid");
	t->exec_gone = get_bool(ps, o, "exec_gone");
}

/* the elements of array member key (absent: none), or -1 after failing */
static int first_element(struct parse *ps, int o, const char *key, const char *scenario)
{
	const struct pl_jmember *v = member(ps, o, key);

	if (!v)
		return -1;
	if (v->type != PL_J_ARRAY) {
		fail(ps, "run '%s': %s must be an array", scenario, key);
		return -1;
	}
	return v->first;
}

/* two lives of one pid that could be one: their fork windows meet, or
 * one has none */
static bool could_be_one(const struct mf_proc *a, const struct mf_proc *b)
{
	if (!a->fork_hi || !b->fork_hi)
		return true;
	return a->fork_lo <= b->fork_hi && b->fork_lo <= a->fork_hi;
}

/* a pid listed twice in a run, for lives that cannot be told apart, would
 * be matched to one life twice; a second life (reused_from, or a pid the
 * kernel handed out again after wrapping, born in a later window) is not */
static void check_pids_once(struct parse *ps, const struct manifest *m, size_t from,
			    const char *scenario)
{
	struct last_life {
		__u32 pid;
		size_t at;
	} *last;
	struct pidtab seen = { .size = sizeof(struct last_life) };
	bool fresh;

	for (size_t i = from; i < m->nprocs && !ps->failed; i++) {
		const struct mf_proc *p = &m->procs[i];

		if (!(last = pidtab_get(&seen, p->pid, &fresh))) {
			fail(ps, "out of memory");
			break;
		}
		if (!fresh && !p->reused && could_be_one(&m->procs[last->at], p))
			fail(ps, "run '%s': pid %u is listed twice for one life (a second life "
				 "of a pid is born later, or says reused_from)", scenario, p->pid);
		last->at = i;
	}
	pidtab_free(&seen);
}

/* the run just read is not one read before, at the same times (its
 * processes would be matched to one life twice, and the second time said
 * missing); a run that says no times is not compared */
static void check_run_once(struct parse *ps, const struct manifest *m)
{
	const struct mf_run *r = &m->runs[m->nruns - 1];

	for (size_t i = 0; r->begin_ns && i + 1 < m->nruns; i++)
		if (m->runs[i].begin_ns == r->begin_ns && m->runs[i].end_ns == r->end_ns &&
		    !strcmp(m->runs[i].scenario, r->scenario)) {
			fail(ps, "run '%s' is listed twice (runs %zu and %zu)", r->scenario, i + 1,
			     m->nruns);
			return;
		}
}

static void read_run(struct parse *ps, const struct pl_jmember *obj, struct manifest *m,
		     size_t *pcap, size_t *tcap)
{
	size_t procs_from = m->nprocs;
	struct mf_run *r = &m->runs[m->nruns];
	const struct pl_jmember *facts;
	unsigned run = (unsigned)m->nruns;
	int o = idx(ps, obj);

	memset(r, 0, sizeof(*r));
	only_known_keys(ps, o, run_keys, "a run");
	get_str(ps, o, "scenario", r->scenario, sizeof(r->scenario));
	get_str(ps, o, "result", r->result, sizeof(r->result));
	r->begin_ns = (__u64)get_num(ps, o, "begin_ns", 0);
	r->end_ns = (__u64)get_num(ps, o, "end_ns", 0);
	if (r->end_ns && r->begin_ns > r->end_ns)
		fail(ps, "run '%s': begin_ns is after end_ns", r->scenario);
	facts = get_object(ps, o, "facts");
	r->empty_polls = facts ? get_num(ps, idx(ps, facts), "empty_polls", -1) : -1;
	r->polls = facts ? get_num(ps, idx(ps, facts), "polls", -1) : -1;
	r->ns_init = facts && !strcmp(r->scenario, "pidns") ? get_pid(ps, idx(ps, facts), "ns_init") : 0;
	m->nruns++;
	for (int i = first_element(ps, o, "procs", r->scenario); i >= 0 && !ps->failed;
	     i = ps->j->m[i].next) {
		if (array_room(&m->procs, pcap, m->nprocs, sizeof(*m->procs), 64)) {
			fail(ps, "out of memory");
			return;
		}
		read_proc(ps, &ps->j->m[i], run, &m->procs[m->nprocs++]);
	}
	if (!ps->failed)
		check_pids_once(ps, m, procs_from, r->scenario);
	for (int i = first_element(ps, o, "threads", r->scenario); i >= 0 && !ps->failed;
	     i = ps->j->m[i].next) {
		if (array_room(&m->threads, tcap, m->nthreads, sizeof(*m->threads), 64)) {
			fail(ps, "out of memory");
			return;
		}
		read_thread(ps, &ps->j->m[i], run, &m->threads[m->nthreads++]);
	}
}

static void read_manifest(struct parse *ps, struct manifest *m)
{
	const struct pl_jmember *runs, *gen;
	size_t pcap = 0, tcap = 0, nruns = 0;
	char format[64];

	if (ps->j->type != PL_J_OBJECT) {
		fail(ps, "not a manifest: a JSON object was expected");
		return;
	}
	get_str(ps, -1, "format", format, sizeof(format));
	if (strcmp(format, MANIFEST_FORMAT)) {
		fail(ps, "not a proclife-workload manifest (format '%s')", format);
		return;
	}
	if (get_num(ps, -1, "version", 0) != 1) {
		fail(ps, "manifest version is not 1");
		return;
	}
	only_known_keys(ps, -1, top_keys, "the manifest");
	gen = get_object(ps, -1, "generator");
	if (gen)
		only_known_keys(ps, idx(ps, gen), generator_keys, "its 'generator'");
	m->generator = gen ? get_pid(ps, idx(ps, gen), "pid") : 0;
	m->ns_init = get_pid(ps, -1, "ns_init");
	runs = member(ps, -1, "runs");
	if (!runs || runs->type != PL_J_ARRAY) {
		fail(ps, "no 'runs' array");
		return;
	}
	for (int i = runs->first; i >= 0; i = ps->j->m[i].next)
		nruns++;
	m->runs = calloc(nruns + 1, sizeof(*m->runs));
	if (!m->runs) {
		fail(ps, "out of memory");
		return;
	}
	for (int i = runs->first; i >= 0 && !ps->failed; i = ps->j->m[i].next) {
		if (ps->j->m[i].type != PL_J_OBJECT)
			fail(ps, "a run is not an object");
		else
			read_run(ps, &ps->j->m[i], m, &pcap, &tcap);
		if (!ps->failed)
			check_run_once(ps, m);
	}
}

/* a key twice in one object: readers differ on which of the two counts,
 * and the ground truth must mean one thing */
static bool twice_said(struct parse *ps)
{
	int twice = pl_jline_key_twice(ps->j);

	if (twice == -2)
		fail(ps, "out of memory");
	else if (twice >= 0)
		fail(ps, "'%.*s' is given twice in one object", (int)ps->j->m[twice].key_len,
		     ps->j->m[twice].key);
	return twice != -1;
}

struct manifest *manifest_parse(const char *text, size_t len, char *err, size_t errlen)
{
	struct pl_jline j = { 0 };
	struct parse ps = { .j = &j, .err = err, .errlen = errlen };
	struct pl_jparser *parser = pl_jparser_new();
	struct manifest *m = calloc(1, sizeof(*m));
	char what[160];

	if (!parser || !m)
		fail(&ps, "out of memory");
	else if (pl_jline_parse(parser, text, len, MANIFEST_DEPTH, &j, what, sizeof(what)))
		fail(&ps, "not valid JSON (%s)", what);
	else if (twice_said(&ps))
		; /* said */
	else
		read_manifest(&ps, m);
	pl_jline_free(&j);
	pl_jparser_free(parser);
	if (ps.failed) {
		manifest_free(m);
		return NULL;
	}
	return m;
}

/* far above what a workload writes (a storm past pid_max here is a few
 * MiB): a file with no end is refused at this size, not read whole */
#define MANIFEST_MAX_BYTES (256u << 20)

struct manifest *manifest_read(const char *path)
{
	char err[256] = "", *text = NULL;
	struct manifest *m;
	size_t len = 0, cap = 0, n;
	FILE *f = fopen(path, "r");
	struct stat st;

	if (!f) {
		error_errno("cannot open '%s'", path);
		return NULL;
	}
	if (!fstat(fileno(f), &st) && S_ISDIR(st.st_mode)) {
		error("'%s' is a directory, not a manifest", path);
		fclose(f);
		return NULL;
	}
	for (;;) {
		if (len > MANIFEST_MAX_BYTES) {
			free(text);
			fclose(f);
			error("'%s' is larger than %u MiB: not a workload manifest", path,
			      MANIFEST_MAX_BYTES >> 20);
			return NULL;
		}
		if (len + 65536 > cap && cap <= MANIFEST_MAX_BYTES) {
			/* at most one byte past the bound: enough to know it is passed */
			size_t want = 2 * cap + 65536 < MANIFEST_MAX_BYTES + 1 ? 2 * cap + 65536 :
										  MANIFEST_MAX_BYTES + 1;
			char *more = realloc(text, cap = want);

			if (!more) {
				free(text);
				fclose(f);
				error("out of memory reading '%s'", path);
				return NULL;
			}
			text = more;
		}
		n = fread(text + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		error_errno("cannot read '%s'", path);
		free(text);
		fclose(f);
		return NULL;
	}
	fclose(f);
	m = manifest_parse(text, len, err, sizeof(err));
	free(text);
	if (!m)
		error("%s: %s", path, err);
	return m;
}

bool manifest_runs_ok(const struct manifest *m)
{
	for (size_t i = 0; i < m->nruns; i++)
		if (!strcmp(m->runs[i].result, "ok"))
			return true;
	return m->nruns == 0;
}

void manifest_free(struct manifest *m)
{
	if (!m)
		return;
	free(m->runs);
	for (size_t i = 0; m->procs && i < m->nprocs; i++) {
		free(m->procs[i].exec_filename);
		free(m->procs[i].cgroup);
	}
	free(m->procs);
	free(m->threads);
	free(m);
}
