#include <errno.h>
#include <json-c/json.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include "output/log_fields.h"
#include "output/log_reader.h"
#include "util/log.h"
#include "util/names.h"

struct pl_log_reader {
	FILE *f;
	const char *path;
	char *line;
	size_t cap;
	unsigned long lineno;
	int version;
	unsigned long long start_ts;
	long long boot_to_wall;
	char *header; /* the header line as written */
	int truncated;
	int done;
};

static int why(char *buf, size_t len, const char *fmt, const char *a, const char *b)
{
	snprintf(buf, len, fmt, a, b);
	return -1;
}

static const char *type_name(json_object *o)
{
	return json_type_to_name(json_object_get_type(o));
}

/* an unsigned integer field; JSON numbers as json-c parses them */
static int get_uint(json_object *o, const char *key, unsigned long long max,
		    unsigned long long *out, char *err, size_t errlen)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		return why(err, errlen, "missing field '%s'%s", key, "");
	if (!json_object_is_type(v, json_type_int))
		return why(err, errlen, "field '%s' is %s, expected a whole number", key, type_name(v));
	errno = 0;
	*out = (unsigned long long)json_object_get_uint64(v);
	if (json_object_get_int64(v) < 0 && json_object_get_uint64(v) == 0)
		return why(err, errlen, "field '%s' is negative%s", key, "");
	if (*out > max)
		return why(err, errlen, "field '%s' is out of range%s", key, "");
	return 0;
}

static int get_int(json_object *o, const char *key, long long *out, char *err, size_t errlen)
{
	json_object *v;
	long long x;

	if (!json_object_object_get_ex(o, key, &v))
		return why(err, errlen, "missing field '%s'%s", key, "");
	if (!json_object_is_type(v, json_type_int))
		return why(err, errlen, "field '%s' is %s, expected a whole number", key, type_name(v));
	x = json_object_get_int64(v);
	if (x < -2147483648LL || x > 2147483647LL)
		return why(err, errlen, "field '%s' is out of range%s", key, "");
	*out = x;
	return 0;
}

static int set_member(struct pl_event *e, const struct pl_field *f, unsigned long long v)
{
	char *m = (char *)e + f->offset;
	__u32 v32 = (__u32)v;

	if (f->size == 8)
		memcpy(m, &v, 8);
	else
		memcpy(m, &v32, 4);
	return 0;
}

static int read_field(json_object *o, const struct pl_field *f, struct pl_event *e, bool required,
		      char *err, size_t errlen)
{
	json_object *v;
	unsigned long long u;
	long long s;
	int a;

	if (!json_object_object_get_ex(o, f->name, &v)) {
		if (required)
			return why(err, errlen, "missing field '%s'%s", f->name, "");
		return 0;
	}
	switch (f->type) {
	case PL_FT_STR:
		if (!json_object_is_type(v, json_type_string))
			return why(err, errlen, "field '%s' is %s, expected a string", f->name,
				   type_name(v));
		/* cut as the kernel would, always terminated */
		snprintf((char *)e + f->offset, f->size, "%s", json_object_get_string(v));
		return 0;
	case PL_FT_FLAG:
		if (!json_object_is_type(v, json_type_boolean))
			return why(err, errlen, "field '%s' is %s, expected true or false", f->name,
				   type_name(v));
		if (json_object_get_boolean(v))
			e->flags |= f->bit;
		return 0;
	case PL_FT_ADOPT:
		if (!json_object_is_type(v, json_type_string))
			return why(err, errlen, "field '%s' is %s, expected a string", f->name,
				   type_name(v));
		a = pl_adopter_from_name(json_object_get_string(v));
		if (a < 0)
			return why(err, errlen, "field '%s' has an unknown adopter '%s'", f->name,
				   json_object_get_string(v));
		e->aux = a;
		return 0;
	case PL_FT_S32:
		if (get_int(o, f->name, &s, err, errlen))
			return -1;
		return set_member(e, f, (unsigned long long)(__u32)(__s32)s);
	case PL_FT_U32:
		if (get_uint(o, f->name, 0xffffffffULL, &u, err, errlen))
			return -1;
		return set_member(e, f, u);
	default:
		if (get_uint(o, f->name, ~0ULL, &u, err, errlen))
			return -1;
		return set_member(e, f, u);
	}
}

static int parse_event(json_object *o, int kind, struct pl_event *e, char *err, size_t errlen)
{
	unsigned kbit = PL_K(kind);

	memset(e, 0, sizeof(*e));
	e->kind = (__u32)kind;
	for (size_t i = 0; i < pl_nfields; i++) {
		const struct pl_field *f = &pl_fields[i];

		if ((f->kinds & kbit) && read_field(o, f, e, f->required & kbit, err, errlen))
			return -1;
	}
	/* model conclusions and inferred reaps are remade on replay, not fed */
	if (kind == PL_EV_ZOMBIE_LONG || kind == PL_EV_DOUBLE_FORK ||
	    (kind == PL_EV_REAP && (e->flags & PL_F_INFERRED)))
		e->flags |= PL_F_DERIVED;
	return 0;
}

static int parse_counts(json_object *o, const char *key, unsigned long long *out, char *err,
			size_t errlen)
{
	json_object *c;

	if (!json_object_object_get_ex(o, key, &c) || !json_object_is_type(c, json_type_object))
		return why(err, errlen, "trailer without an object '%s'%s", key, "");
	for (unsigned k = PL_EV_FORK; k < PL_EV_KINDS; k++) {
		unsigned long long v;

		if (json_object_object_get_ex(c, pl_kind_name(k), NULL)) {
			if (get_uint(c, pl_kind_name(k), ~0ULL, &v, err, errlen))
				return -1;
			out[k] = v;
		}
	}
	return 0;
}

static int parse_object(json_object *o, struct pl_log_line *out, char *err, size_t errlen)
{
	json_object *evo;
	const char *ev;
	int kind;

	if (!json_object_is_type(o, json_type_object))
		return why(err, errlen, "a line is a JSON object, not %s%s", type_name(o), "");
	if (!json_object_object_get_ex(o, "ev", &evo) || !json_object_is_type(evo, json_type_string))
		return why(err, errlen, "missing field 'ev' (a string)%s%s", "", "");
	ev = json_object_get_string(evo);
	memset(out, 0, sizeof(*out));
	if (!strcmp(ev, "lost")) {
		json_object *k;
		unsigned long long n;

		if (!json_object_object_get_ex(o, "kind", &k) || !json_object_is_type(k, json_type_string) ||
		    (kind = pl_kind_from_name(json_object_get_string(k))) < 0)
			return why(err, errlen, "'lost' without a known 'kind'%s%s", "", "");
		if (get_uint(o, "count", ~0ULL, &n, err, errlen) ||
		    get_uint(o, "ts", ~0ULL, &out->ts, err, errlen))
			return -1;
		out->kind = PL_LINE_LOST;
		out->lost_kind = (unsigned)kind;
		out->lost_count = n;
		return 0;
	}
	if (!strcmp(ev, "follow")) {
		unsigned long long pid;

		if (get_uint(o, "pid", 0x7fffffffULL, &pid, err, errlen) ||
		    get_uint(o, "ts", ~0ULL, &out->ts, err, errlen))
			return -1;
		out->kind = PL_LINE_FOLLOW;
		out->follow_pid = (unsigned)pid;
		return 0;
	}
	if (!strcmp(ev, "trailer")) {
		out->kind = PL_LINE_TRAILER;
		if (get_uint(o, "ts", ~0ULL, &out->trailer.ts, err, errlen) ||
		    parse_counts(o, "events", out->trailer.events, err, errlen) ||
		    parse_counts(o, "lost", out->trailer.lost, err, errlen))
			return -1;
		out->trailer.exit_status = -1;
		if (json_object_object_get_ex(o, "exit_status", NULL)) {
			long long st;

			if (get_int(o, "exit_status", &st, err, errlen))
				return -1;
			out->trailer.exit_status = (int)st;
		}
		return 0;
	}
	if (!strcmp(ev, "header"))
		return why(err, errlen, "a second header%s%s", "", "");
	kind = pl_kind_from_name(ev);
	if (kind <= PL_EV_NONE)
		return why(err, errlen, "unknown event kind '%s'%s", ev, "");
	out->kind = PL_LINE_EVENT;
	return parse_event(o, kind, &out->ev, err, errlen);
}

int pl_log_parse_line(const char *text, size_t len, struct pl_log_line *out, char *err,
		      size_t errlen)
{
	/* one tokener for every line: making one per line cost a quarter of
	 * replay's time in malloc and free */
	static struct json_tokener *tok;
	json_object *o;
	int ret;

	if (strnlen(text, len) != len)
		return why(err, errlen, "a NUL byte in the line%s%s", "", "");
	if (!tok && !(tok = json_tokener_new()))
		return why(err, errlen, "out of memory%s%s", "", "");
	json_tokener_reset(tok);
	o = json_tokener_parse_ex(tok, text, (int)len);
	if (!o || json_tokener_get_error(tok) != json_tokener_success ||
	    tok->char_offset != (int)len) {
		enum json_tokener_error e = json_tokener_get_error(tok);

		json_object_put(o);
		return why(err, errlen, "invalid JSON (%s)%s",
			   e == json_tokener_continue ? "it ends too soon" : json_tokener_error_desc(e), "");
	}
	ret = parse_object(o, out, err, errlen);
	json_object_put(o);
	return ret;
}

/* the next line without its newline: 1, 0 at the end, -1 on a read error */
static int read_line(struct pl_log_reader *r, size_t *len, int *complete)
{
	ssize_t n = getline(&r->line, &r->cap, r->f);

	if (n < 0)
		return ferror(r->f) ? error("cannot read '%s': %s", r->path, strerror(errno)) : 0;
	r->lineno++;
	*complete = n > 0 && r->line[n - 1] == '\n';
	if (*complete)
		r->line[--n] = 0;
	*len = (size_t)n;
	return 1;
}

/* o[key] is the string want (null, a number or absent are not) */
static bool is_string(json_object *o, const char *key, const char *want)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string) &&
	       !strcmp(json_object_get_string(v), want);
}

static int read_header(struct pl_log_reader *r)
{
	json_object *o, *v;
	size_t len;
	int complete, ret = -1;

	if (read_line(r, &len, &complete) <= 0)
		return r->lineno ? -1 : error("%s: empty, not a proclife log", r->path);
	if (strnlen(r->line, len) != len || !(o = json_tokener_parse(r->line)))
		return error("%s:1: not a proclife log (the first line is not a JSON header)", r->path);
	if (!json_object_is_type(o, json_type_object) || !is_string(o, "ev", "header") ||
	    !is_string(o, "format", PL_LOG_FORMAT)) {
		error("%s:1: not a proclife log (no '%s' header)", r->path, PL_LOG_FORMAT);
		goto out;
	}
	if (!json_object_object_get_ex(o, "version", &v) || !json_object_is_type(v, json_type_int)) {
		error("%s:1: the header has no format version", r->path);
		goto out;
	}
	r->version = json_object_get_int(v);
	r->header = strdup(r->line);
	if (r->version > PL_LOG_VERSION || r->version < 1) {
		error("%s:1: log format version %d; this proclife reads version %d", r->path, r->version,
		      PL_LOG_VERSION);
		goto out;
	}
	if (json_object_object_get_ex(o, "ts", &v))
		r->start_ts = (unsigned long long)json_object_get_uint64(v);
	if (json_object_object_get_ex(o, "boot_to_wall_ns", &v))
		r->boot_to_wall = json_object_get_int64(v);
	ret = 0;
out:
	json_object_put(o);
	return ret;
}

struct pl_log_reader *pl_log_open_stream(FILE *f, const char *name)
{
	struct pl_log_reader *r = calloc(1, sizeof(*r));

	if (!r) {
		error("out of memory");
		if (f != stdin)
			fclose(f);
		return NULL;
	}
	r->path = name;
	r->f = f;
	if (read_header(r)) {
		pl_log_close(r);
		return NULL;
	}
	return r;
}

struct pl_log_reader *pl_log_open(const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	struct stat st;

	if (!f) {
		error("cannot open '%s': %s", path, strerror(errno));
		return NULL;
	}
	if (!fstat(fileno(f), &st) && S_ISDIR(st.st_mode)) {
		error("'%s' is a directory, not a log", path);
		fclose(f);
		return NULL;
	}
	return pl_log_open_stream(f, path);
}

void pl_log_close(struct pl_log_reader *r)
{
	if (!r)
		return;
	if (r->f && r->f != stdin)
		fclose(r->f);
	free(r->line);
	free(r->header);
	free(r);
}

const char *pl_log_header_line(const struct pl_log_reader *r)
{
	return r->header ? r->header : "";
}

int pl_log_next(struct pl_log_reader *r, struct pl_log_line *out)
{
	char err[256];
	size_t len;
	int complete, n;

	if (r->done)
		return 0;
	n = read_line(r, &len, &complete);
	if (n <= 0)
		return n;
	if (pl_log_parse_line(r->line, len, out, err, sizeof(err)) == 0)
		return 1;
	/* a tracer killed hard leaves its last line cut short: keep the rest */
	if (!complete && fgetc(r->f) == EOF) {
		warning("%s:%lu: the last line is cut short (the tracer was stopped hard); "
			"using the lines before it", r->path, r->lineno);
		r->truncated = 1;
		r->done = 1;
		return 0;
	}
	return error("%s:%lu: %s", r->path, r->lineno, err);
}

int pl_log_version(const struct pl_log_reader *r)
{
	return r->version;
}

unsigned long long pl_log_start_ts(const struct pl_log_reader *r)
{
	return r->start_ts;
}

long long pl_log_boot_to_wall(const struct pl_log_reader *r)
{
	return r->boot_to_wall;
}

int pl_log_truncated(const struct pl_log_reader *r)
{
	return r->truncated;
}
