#include <errno.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include "log/json_line.h"
#include "log/fields.h"
#include "log/reader.h"
#include "util/json.h"
#include "util/diag.h"
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
	bool threads; /* traced with --threads */
	bool told_utf8; /* the repaired UTF-8 warning is given once */
	char *header; /* the header line as written */
	int truncated;
	int done;
};

static int why(char *buf, size_t len, const char *fmt, const char *a, const char *b)
{
	snprintf(buf, len, fmt, a, b);
	return -1;
}

/* a member's key as a C string, for messages */
static const char *key_of(const struct pl_jmember *m, char *buf, size_t len)
{
	snprintf(buf, len, "%.*s", (int)m->key_len, m->key);
	return buf;
}

/* an unsigned whole number no larger than max */
static int to_uint(const struct pl_jmember *m, unsigned long long max, unsigned long long *out,
		   char *err, size_t errlen)
{
	char k[64];

	if (m->type == PL_J_INT)
		return why(err, errlen, "field '%s' is negative%s", key_of(m, k, sizeof(k)), "");
	if (m->type != PL_J_UINT)
		return why(err, errlen, "field '%s' is %s, expected a whole number", key_of(m, k, sizeof(k)),
			   pl_jtype_name(m->type));
	if (m->u > max)
		return why(err, errlen, "field '%s' is out of range%s", key_of(m, k, sizeof(k)), "");
	*out = m->u;
	return 0;
}

/* a whole number that fits in 32 signed bits */
static int to_int(const struct pl_jmember *m, long long *out, char *err, size_t errlen)
{
	char k[64];

	if (m->type != PL_J_UINT && m->type != PL_J_INT)
		return why(err, errlen, "field '%s' is %s, expected a whole number", key_of(m, k, sizeof(k)),
			   pl_jtype_name(m->type));
	if (m->type == PL_J_UINT ? m->u > 2147483647ULL : m->i < -2147483648LL)
		return why(err, errlen, "field '%s' is out of range%s", key_of(m, k, sizeof(k)), "");
	*out = m->type == PL_J_UINT ? (long long)m->u : m->i;
	return 0;
}

/* the top-level member key, as an unsigned whole number */
static int get_uint(const struct pl_jline *j, const char *key, unsigned long long max,
		    unsigned long long *out, char *err, size_t errlen)
{
	int i = pl_jline_find(j, -1, key);

	if (i < 0)
		return why(err, errlen, "missing field '%s'%s", key, "");
	return to_uint(&j->m[i], max, out, err, errlen);
}

static int get_int(const struct pl_jline *j, const char *key, long long *out, char *err,
		   size_t errlen)
{
	int i = pl_jline_find(j, -1, key);

	if (i < 0)
		return why(err, errlen, "missing field '%s'%s", key, "");
	return to_int(&j->m[i], out, err, errlen);
}

/* the top-level string member key, terminated in buf; NULL if absent or no string */
static const char *get_string(const struct pl_jline *j, const char *key, char *buf, size_t len)
{
	int i = pl_jline_find(j, -1, key);
	size_t n;

	if (i < 0 || j->m[i].type != PL_J_STRING || memchr(j->m[i].s, 0, j->m[i].len))
		return NULL;
	n = j->m[i].len < len ? j->m[i].len : len - 1;
	memcpy(buf, j->m[i].s, n);
	buf[n] = 0;
	return buf;
}

static void set_member(struct pl_event *e, const struct pl_field *f, unsigned long long v)
{
	char *m = (char *)e + f->offset;
	__u32 v32 = (__u32)v;

	if (f->size == 8)
		memcpy(m, &v, 8);
	else
		memcpy(m, &v32, 4);
}

static int read_field(const struct pl_jmember *v, const struct pl_field *f, struct pl_event *e,
		      char *err, size_t errlen)
{
	unsigned long long u;
	long long s;
	char name[32];
	int a;

	switch (f->type) {
	case PL_FT_STR:
		if (v->type != PL_J_STRING)
			return why(err, errlen, "field '%s' is %s, expected a string", f->name,
				   pl_jtype_name(v->type));
		if (memchr(v->s, 0, v->len))
			return why(err, errlen, "field '%s' holds a NUL character%s", f->name, "");
		/* cut as the kernel would, always terminated */
		memcpy((char *)e + f->offset, v->s, v->len < f->size ? v->len : f->size - 1);
		return 0;
	case PL_FT_FLAG:
		if (v->type != PL_J_BOOL)
			return why(err, errlen, "field '%s' is %s, expected true or false", f->name,
				   pl_jtype_name(v->type));
		if (v->b)
			e->flags |= f->bit;
		return 0;
	case PL_FT_ADOPT:
		if (v->type != PL_J_STRING || memchr(v->s, 0, v->len))
			return why(err, errlen, "field '%s' is %s, expected an adopter's name", f->name,
				   pl_jtype_name(v->type));
		snprintf(name, sizeof(name), "%.*s", (int)v->len, v->s);
		a = pl_adopter_from_name(name);
		if (a < 0)
			return why(err, errlen, "field '%s' has an unknown adopter '%s'", f->name, name);
		e->aux = a;
		return 0;
	case PL_FT_S32:
		if (to_int(v, &s, err, errlen))
			return -1;
		set_member(e, f, (unsigned long long)(__u32)(__s32)s);
		return 0;
	case PL_FT_U32:
		if (to_uint(v, 0xffffffffULL, &u, err, errlen))
			return -1;
		set_member(e, f, u);
		return 0;
	default:
		if (to_uint(v, ~0ULL, &u, err, errlen))
			return -1;
		set_member(e, f, u);
		return 0;
	}
}

/*
 * The field table by name, built once: an open-addressed hash of table
 * indexes. One name may stand for several kinds (status, parent), so a
 * lookup walks on past a name whose kinds do not include the line's.
 */
#define NAME_SLOTS 256 /* a power of two, four times the table at most */

static unsigned char name_slot[NAME_SLOTS]; /* table index + 1; 0: empty */
static unsigned char name_len[PL_MAX_FIELDS];
static unsigned char required_n[PL_EV_KINDS]; /* fields a kind must have */
static bool names_indexed;

static unsigned name_hash(const char *s, size_t len)
{
	unsigned h = 2166136261u; /* FNV-1a */

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h & (NAME_SLOTS - 1);
}

static void index_names(void)
{
	_Static_assert(NAME_SLOTS >= 4 * PL_MAX_FIELDS, "name index too small");
	for (size_t i = 0; i < pl_nfields; i++) {
		unsigned h;

		name_len[i] = (unsigned char)strlen(pl_fields[i].name);
		for (h = name_hash(pl_fields[i].name, name_len[i]); name_slot[h];)
			h = (h + 1) & (NAME_SLOTS - 1);
		name_slot[h] = (unsigned char)(i + 1);
		for (unsigned k = 0; k < PL_EV_KINDS; k++)
			required_n[k] += !!(pl_fields[i].required & PL_K(k));
	}
	names_indexed = true;
}

/* the table entry for member m of a kind-kbit line, -1 if none */
static int find_field(const struct pl_jmember *m, unsigned kbit)
{
	for (unsigned h = name_hash(m->key, m->key_len); name_slot[h]; h = (h + 1) & (NAME_SLOTS - 1)) {
		unsigned i = name_slot[h] - 1;

		if ((pl_fields[i].kinds & kbit) && name_len[i] == m->key_len &&
		    !memcmp(pl_fields[i].name, m->key, m->key_len))
			return (int)i;
	}
	return -1;
}

static int parse_event(const struct pl_jline *j, int kind, struct pl_event *e, char *err,
		       size_t errlen)
{
	unsigned kbit = PL_K(kind);
	unsigned char seen[PL_MAX_FIELDS] = { 0 };
	unsigned have = 0;

	if (!names_indexed)
		index_names();
	memset(e, 0, sizeof(*e));
	e->kind = (__u32)kind;
	for (size_t i = 0; i < j->n; i++) {
		const struct pl_jmember *m = &j->m[i];
		int f;

		/* fields the table does not know are left for newer readers;
		 * a repeated one counts once, as pl_jline_find does */
		if (m->parent != -1 || (f = find_field(m, kbit)) < 0 || seen[f])
			continue;
		if (read_field(m, &pl_fields[f], e, err, errlen))
			return -1;
		seen[f] = 1;
		have += !!(pl_fields[f].required & kbit);
	}
	for (size_t i = 0; have < required_n[kind] && i < pl_nfields; i++)
		if ((pl_fields[i].required & kbit) && !seen[i])
			return why(err, errlen, "missing field '%s'%s", pl_fields[i].name, "");
	/* model conclusions and inferred reaps are remade on replay, not fed */
	if (kind == PL_EV_ZOMBIE_LONG || kind == PL_EV_DOUBLE_FORK ||
	    (kind == PL_EV_REAP && (e->flags & PL_F_INFERRED)))
		e->flags |= PL_F_DERIVED;
	return 0;
}

static int parse_counts(const struct pl_jline *j, const char *key, unsigned long long *out,
			char *err, size_t errlen)
{
	int c = pl_jline_find(j, -1, key);

	if (c < 0 || j->m[c].type != PL_J_OBJECT)
		return why(err, errlen, "trailer without an object '%s'%s", key, "");
	for (unsigned k = PL_EV_FORK; k < PL_EV_KINDS; k++) {
		int i = pl_jline_find(j, c, pl_kind_name(k)); /* a kind may be absent */

		if (i >= 0 && to_uint(&j->m[i], ~0ULL, &out[k], err, errlen))
			return -1;
	}
	return 0;
}

static int parse_trailer(const struct pl_jline *j, struct pl_log_line *out, char *err,
			 size_t errlen)
{
	long long st;

	out->kind = PL_LINE_TRAILER;
	if (get_uint(j, "ts", ~0ULL, &out->trailer.ts, err, errlen) ||
	    parse_counts(j, "events", out->trailer.events, err, errlen) ||
	    parse_counts(j, "lost", out->trailer.lost, err, errlen))
		return -1;
	out->trailer.exit_status = -1;
	if (pl_jline_find(j, -1, "exit_status") >= 0) {
		if (get_int(j, "exit_status", &st, err, errlen))
			return -1;
		out->trailer.exit_status = (int)st;
	}
	return 0;
}

static int parse_object(const struct pl_jline *j, struct pl_log_line *out, char *err,
			size_t errlen)
{
	char ev[32], name[32];
	unsigned long long n;
	int kind;

	if (j->type != PL_J_OBJECT)
		return why(err, errlen, "a line is a JSON object, not %s%s", pl_jtype_name(j->type), "");
	if (!get_string(j, "ev", ev, sizeof(ev)))
		return why(err, errlen, "missing field 'ev' (a string)%s%s", "", "");
	memset(out, 0, sizeof(*out));
	if (!strcmp(ev, "lost")) {
		if (!get_string(j, "kind", name, sizeof(name)) || (kind = pl_kind_from_name(name)) < 0)
			return why(err, errlen, "'lost' without a known 'kind'%s%s", "", "");
		if (get_uint(j, "count", ~0ULL, &n, err, errlen) ||
		    get_uint(j, "ts", ~0ULL, &out->ts, err, errlen))
			return -1;
		out->kind = PL_LINE_LOST;
		out->lost_kind = (unsigned)kind;
		out->lost_count = n;
		return 0;
	}
	if (!strcmp(ev, "follow")) {
		if (get_uint(j, "pid", 0x7fffffffULL, &n, err, errlen) ||
		    get_uint(j, "ts", ~0ULL, &out->ts, err, errlen))
			return -1;
		out->kind = PL_LINE_FOLLOW;
		out->follow_pid = (unsigned)n;
		return 0;
	}
	if (!strcmp(ev, "trailer"))
		return parse_trailer(j, out, err, errlen);
	if (!strcmp(ev, "header"))
		return why(err, errlen, "a second header%s%s", "", "");
	kind = pl_kind_from_name(ev);
	if (kind <= PL_EV_NONE)
		return why(err, errlen, "unknown event kind '%s'%s", ev, "");
	out->kind = PL_LINE_EVENT;
	return parse_event(j, kind, &out->ev, err, errlen);
}

static bool repaired_utf8; /* the last line parsed had bytes read as '?' */

/*
 * One line through simdjson. Logs from before the writer escaped every
 * invalid UTF-8 sequence (it let overlong forms and surrogates through) are
 * still read: those bytes become '?', as unprintable names do.
 */
static int parse_json(const char *text, size_t len, struct pl_jline *j, char *what,
		      size_t whatlen)
{
	static char *fixed;
	static size_t cap;

	repaired_utf8 = false;
	const unsigned char *s = (const unsigned char *)text;
	int ret = pl_jline_parse(text, len, j, what, whatlen);

	if (ret != PL_JLINE_BAD_UTF8)
		return ret;
	if (len > cap) {
		char *p = realloc(fixed, len);

		if (!p)
			return -1;
		fixed = p;
		cap = len;
	}
	for (size_t i = 0, n; i < len; i += n) {
		n = s[i] < 0x80 ? 1 : json_utf8_len(s + i, len - i);
		if (n)
			memcpy(fixed + i, s + i, n);
		else
			fixed[i] = '?', n = 1;
	}
	repaired_utf8 = true;
	return pl_jline_parse(fixed, len, j, what, whatlen);
}

int pl_log_parse_line(const char *text, size_t len, struct pl_log_line *out, char *err,
		      size_t errlen)
{
	static struct pl_jline j;
	char what[160];

	if (strnlen(text, len) != len)
		return why(err, errlen, "a NUL byte in the line%s%s", "", "");
	if (parse_json(text, len, &j, what, sizeof(what)))
		return why(err, errlen, "invalid JSON (%s)%s", what, "");
	return parse_object(&j, out, err, errlen);
}

/* the next line without its newline: 1, 0 at the end, -1 on a read error */
static int read_line(struct pl_log_reader *r, size_t *len, int *complete)
{
	ssize_t n = getline(&r->line, &r->cap, r->f);

	if (n < 0)
		return ferror(r->f) ? error_errno("cannot read '%s'", r->path) : 0;
	r->lineno++;
	*complete = n > 0 && r->line[n - 1] == '\n';
	if (*complete)
		r->line[--n] = 0;
	*len = (size_t)n;
	return 1;
}

static int read_header(struct pl_log_reader *r)
{
	struct pl_jline jl = { 0 }, *j = &jl;
	char what[160], buf[64];
	unsigned long long u;
	long long version;
	size_t len;
	int complete, v, ret = -1;

	if (read_line(r, &len, &complete) <= 0) {
		ret = r->lineno ? -1 : error("%s: empty, not a proclife log", r->path);
		goto out;
	}
	if (strnlen(r->line, len) != len) {
		error("%s:1: not a proclife log (a NUL byte in the first line)", r->path);
		goto out;
	}
	if (parse_json(r->line, len, j, what, sizeof(what))) {
		error("%s:1: not a proclife log (the first line is not JSON: %s)", r->path, what);
		goto out;
	}
	if (j->type != PL_J_OBJECT) {
		error("%s:1: not a proclife log (the first line is not a JSON header)", r->path);
		goto out;
	}
	if (!get_string(j, "ev", buf, sizeof(buf)) || strcmp(buf, "header") ||
	    !get_string(j, "format", buf, sizeof(buf)) || strcmp(buf, PL_LOG_FORMAT)) {
		error("%s:1: not a proclife log (no '%s' header)", r->path, PL_LOG_FORMAT);
		goto out;
	}
	v = pl_jline_find(j, -1, "version");
	if (v < 0 || to_int(&j->m[v], &version, what, sizeof(what))) {
		error("%s:1: the header has no format version", r->path);
		goto out;
	}
	r->version = (int)version;
	r->header = strdup(r->line);
	if (r->version > PL_LOG_VERSION || r->version < 1) {
		error("%s:1: log format version %d; this proclife reads version %d", r->path, r->version,
		      PL_LOG_VERSION);
		goto out;
	}
	if (!get_uint(j, "ts", ~0ULL, &u, what, sizeof(what)))
		r->start_ts = u;
	if ((v = pl_jline_find(j, -1, "options")) >= 0 &&
	    (v = pl_jline_find(j, v, "threads")) >= 0)
		r->threads = j->m[v].type == PL_J_BOOL && j->m[v].b;
	if ((v = pl_jline_find(j, -1, "boot_to_wall_ns")) >= 0) {
		if (j->m[v].type == PL_J_INT) {
			r->boot_to_wall = j->m[v].i;
		} else if (j->m[v].type == PL_J_UINT && j->m[v].u <= LLONG_MAX) {
			r->boot_to_wall = (long long)j->m[v].u;
		} else {
			error("%s:1: the header's boot_to_wall_ns is not a 64-bit whole number", r->path);
			goto out;
		}
	}
	ret = 0;
out:
	pl_jline_free(j);
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
		error_errno("cannot open '%s'", path);
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
	if (pl_log_parse_line(r->line, len, out, err, sizeof(err)) == 0) {
		if (repaired_utf8 && !r->told_utf8) {
			warning("%s:%lu: bytes that are not UTF-8 read as '?' (and in any later line)",
				r->path, r->lineno);
			r->told_utf8 = true;
		}
		return 1;
	}
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

bool pl_log_threads(const struct pl_log_reader *r)
{
	return r->threads;
}

int pl_log_truncated(const struct pl_log_reader *r)
{
	return r->truncated;
}
