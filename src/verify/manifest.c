#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/array.h"
#include "util/diag.h"
#include "verify/manifest.h"

#define MANIFEST_FORMAT "proclife-workload-manifest"

struct parse {
	char *err;
	size_t errlen;
	int failed;
};

static void fail(struct parse *ps, const char *fmt, const char *a, const char *b)
{
	if (!ps->failed)
		snprintf(ps->err, ps->errlen, fmt, a, b);
	ps->failed = 1;
}

static json_object *member(json_object *o, const char *key)
{
	json_object *v = NULL;

	return json_object_object_get_ex(o, key, &v) ? v : NULL;
}

/* an integer member: absent gives def, any other type is an error */
static long long get_num(struct parse *ps, json_object *o, const char *key, long long def)
{
	json_object *v = member(o, key);

	if (!v)
		return def;
	if (!json_object_is_type(v, json_type_int)) {
		fail(ps, "'%s' is %s, expected a whole number", key, json_type_to_name(json_object_get_type(v)));
		return def;
	}
	return json_object_get_int64(v);
}

static bool get_bool(struct parse *ps, json_object *o, const char *key)
{
	json_object *v = member(o, key);

	if (!v)
		return false;
	if (!json_object_is_type(v, json_type_boolean)) {
		fail(ps, "'%s' is %s, expected true or false", key, json_type_to_name(json_object_get_type(v)));
		return false;
	}
	return json_object_get_boolean(v);
}

static void get_str(struct parse *ps, json_object *o, const char *key, char *out, size_t len)
{
	json_object *v = member(o, key);

	*out = 0;
	if (!v)
		return;
	if (!json_object_is_type(v, json_type_string)) {
		fail(ps, "'%s' is %s, expected a string", key, json_type_to_name(json_object_get_type(v)));
		return;
	}
	snprintf(out, len, "%s", json_object_get_string(v));
}

static __u32 get_pid(struct parse *ps, json_object *o, const char *key)
{
	long long v = get_num(ps, o, key, 0);

	if (v < 0 || v > 0x7fffffff) {
		fail(ps, "'%s' is not a pid%s", key, "");
		return 0;
	}
	return (__u32)v;
}

static void read_reaper(struct parse *ps, json_object *o, struct mf_proc *p)
{
	json_object *v = member(o, "reaper");
	const char *s;

	p->reaper_pid = get_pid(ps, o, "reaper_pid");
	if (!v)
		return;
	if (json_object_is_type(v, json_type_int)) {
		p->reaper = MF_REAPER_PID;
		return;
	}
	if (!json_object_is_type(v, json_type_string)) {
		fail(ps, "'reaper' is %s, expected a pid or a string%s",
		     json_type_to_name(json_object_get_type(v)), "");
		return;
	}
	s = json_object_get_string(v);
	if (!strcmp(s, "init"))
		p->reaper = MF_REAPER_INIT;
	else if (!strcmp(s, "auto"))
		p->reaper = MF_REAPER_AUTO;
	else if (!strncmp(s, "subreaper:", 10))
		p->reaper = MF_REAPER_SUBREAPER;
	else
		fail(ps, "unknown reaper '%s'%s", s, "");
}

static void read_proc(struct parse *ps, json_object *o, unsigned run, struct mf_proc *p)
{
	json_object *v;

	memset(p, 0, sizeof(*p));
	if (!json_object_is_type(o, json_type_object)) {
		fail(ps, "a process is not an object%s%s", "", "");
		return;
	}
	p->run = run;
	get_str(ps, o, "role", p->role, sizeof(p->role));
	p->pid = get_pid(ps, o, "pid");
	if (!p->pid)
		fail(ps, "a process without a pid (role '%s')%s", p->role, "");
	p->parent = get_pid(ps, o, "parent");
	p->ns_pid = get_pid(ps, o, "ns_pid");
	v = member(o, "fork_ns");
	if (v && json_object_is_type(v, json_type_array) && json_object_array_length(v) == 2) {
		p->fork_lo = (__u64)json_object_get_int64(json_object_array_get_idx(v, 0));
		p->fork_hi = (__u64)json_object_get_int64(json_object_array_get_idx(v, 1));
	} else if (v) {
		fail(ps, "'fork_ns' is not a pair of numbers%s%s", "", "");
	}
	p->has_status = member(o, "status") != NULL;
	p->status = (int)get_num(ps, o, "status", 0);
	read_reaper(ps, o, p);
	p->reap_seq = (int)get_num(ps, o, "reap_seq", 0);
	p->in_handler = get_bool(ps, o, "in_handler");
	p->nohang = get_bool(ps, o, "nohang");
	p->hold_ms = (long)get_num(ps, o, "hold_ms", 0);
	p->reused = member(o, "reused_from") != NULL;
	p->has_nice = member(o, "nice") != NULL;
	p->nice = (int)get_num(ps, o, "nice", 0);
	v = member(o, "orphan");
	if (v) {
		p->orphan = true;
		p->old_parent = get_pid(ps, v, "old_parent");
		p->new_parent = get_pid(ps, v, "new_parent");
		get_str(ps, v, "adopter", p->adopter, sizeof(p->adopter));
		p->orphan_as_zombie = get_bool(ps, v, "as_zombie");
	}
	v = member(o, "exec");
	if (v) {
		p->exec = true;
		get_str(ps, v, "filename", p->exec_filename, sizeof(p->exec_filename));
		get_str(ps, v, "comm", p->exec_comm, sizeof(p->exec_comm));
		p->exec_tid = get_pid(ps, v, "tid");
	}
}

static void read_run(struct parse *ps, json_object *o, struct manifest *m, size_t *pcap,
		     size_t *tcap)
{
	struct mf_run *r = &m->runs[m->nruns];
	json_object *procs, *threads, *facts;
	unsigned idx = (unsigned)m->nruns;

	memset(r, 0, sizeof(*r));
	get_str(ps, o, "scenario", r->scenario, sizeof(r->scenario));
	get_str(ps, o, "result", r->result, sizeof(r->result));
	r->begin_ns = (__u64)get_num(ps, o, "begin_ns", 0);
	r->end_ns = (__u64)get_num(ps, o, "end_ns", 0);
	facts = member(o, "facts");
	r->empty_polls = facts ? get_num(ps, facts, "empty_polls", -1) : -1;
	r->ns_init = facts && !strcmp(r->scenario, "pidns") ? get_pid(ps, facts, "ns_init") : 0;
	m->nruns++;
	procs = member(o, "procs");
	threads = member(o, "threads");
	if ((procs && !json_object_is_type(procs, json_type_array)) ||
	    (threads && !json_object_is_type(threads, json_type_array))) {
		fail(ps, "run '%s': procs and threads must be arrays%s", r->scenario, "");
		return;
	}
	for (size_t i = 0; procs && i < json_object_array_length(procs) && !ps->failed; i++) {
		if (array_room(&m->procs, pcap, m->nprocs, sizeof(*m->procs), 64)) {
			fail(ps, "out of memory%s%s", "", "");
			return;
		}
		read_proc(ps, json_object_array_get_idx(procs, i), idx, &m->procs[m->nprocs++]);
	}
	for (size_t i = 0; threads && i < json_object_array_length(threads) && !ps->failed; i++) {
		json_object *t = json_object_array_get_idx(threads, i);
		struct mf_thread *th;

		if (array_room(&m->threads, tcap, m->nthreads, sizeof(*m->threads), 64)) {
			fail(ps, "out of memory%s%s", "", "");
			return;
		}
		th = &m->threads[m->nthreads++];
		th->run = idx;
		th->tid = get_pid(ps, t, "tid");
		th->pid = get_pid(ps, t, "pid");
		th->exec_gone = get_bool(ps, t, "exec_gone");
	}
}

struct manifest *manifest_parse(const char *text, size_t len, char *err, size_t errlen)
{
	struct parse ps = { .err = err, .errlen = errlen };
	struct json_tokener *tok = json_tokener_new();
	struct manifest *m = calloc(1, sizeof(*m));
	json_object *o = NULL, *runs, *gen;
	size_t pcap = 0, tcap = 0;
	char format[64];

	if (!tok || !m) {
		fail(&ps, "out of memory%s%s", "", "");
		goto out;
	}
	o = json_tokener_parse_ex(tok, text, (int)len);
	if (!o || json_tokener_get_error(tok) != json_tokener_success || strnlen(text, len) != len) {
		fail(&ps, "not valid JSON (%s)%s",
		     json_tokener_get_error(tok) == json_tokener_continue ? "it ends too soon" :
		     json_tokener_error_desc(json_tokener_get_error(tok)), "");
		goto out;
	}
	if (!json_object_is_type(o, json_type_object)) {
		fail(&ps, "not a manifest: a JSON object was expected%s%s", "", "");
		goto out;
	}
	get_str(&ps, o, "format", format, sizeof(format));
	if (strcmp(format, MANIFEST_FORMAT)) {
		fail(&ps, "not a proclife-workload manifest (format '%s')%s", format, "");
		goto out;
	}
	if (get_num(&ps, o, "version", 0) != 1) {
		fail(&ps, "manifest version is not 1%s%s", "", "");
		goto out;
	}
	gen = member(o, "generator");
	m->generator = gen ? get_pid(&ps, gen, "pid") : 0;
	m->ns_init = get_pid(&ps, o, "ns_init");
	runs = member(o, "runs");
	if (!runs || !json_object_is_type(runs, json_type_array)) {
		fail(&ps, "no 'runs' array%s%s", "", "");
		goto out;
	}
	m->runs = calloc(json_object_array_length(runs) + 1, sizeof(*m->runs));
	if (!m->runs) {
		fail(&ps, "out of memory%s%s", "", "");
		goto out;
	}
	for (size_t i = 0; i < json_object_array_length(runs) && !ps.failed; i++) {
		json_object *r = json_object_array_get_idx(runs, i);

		if (!json_object_is_type(r, json_type_object))
			fail(&ps, "a run is not an object%s%s", "", "");
		else
			read_run(&ps, r, m, &pcap, &tcap);
	}
out:
	json_object_put(o);
	if (tok)
		json_tokener_free(tok);
	if (ps.failed) {
		manifest_free(m);
		return NULL;
	}
	return m;
}

struct manifest *manifest_read(const char *path)
{
	char err[256] = "", *text = NULL;
	struct manifest *m;
	size_t len = 0, cap = 0, n;
	FILE *f = fopen(path, "r");

	if (!f) {
		error_errno("cannot open '%s'", path);
		return NULL;
	}
	for (;;) {
		if (len + 65536 > cap) {
			char *more = realloc(text, cap = 2 * cap + 65536);

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
	fclose(f);
	m = manifest_parse(text, len, err, sizeof(err));
	free(text);
	if (!m)
		error("%s: %s", path, err);
	return m;
}

void manifest_free(struct manifest *m)
{
	if (!m)
		return;
	free(m->runs);
	free(m->procs);
	free(m->threads);
	free(m);
}
