// SPDX-License-Identifier: BSD-2-Clause
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "log/fields.h"
#include "log/json_line.h"
#include "log/parse.h"
#include "model/model.h" /* PL_ZOMBIE_MS_MAX: what --zombie-ms takes */
#include "util/json.h"
#include "util/names.h"
#include "util/status.h"

static int why(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* what is wrong, into buf; -1 for `return why(...)` */
static int why(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return -1;
}

/* a member's key as a C string, for messages */
static const char *key_of(const struct pl_jmember *m, char *buf, size_t len)
{
	snprintf(buf, len, "%.*s", (int)m->key_len, m->key);
	return buf;
}

/* why m is not a whole number up to max: apart, so the common path of
 * to_uint has no buffer on its stack */
static __attribute__((noinline, cold)) void not_uint(const struct pl_jmember *m, char *err,
						       size_t errlen)
{
	char k[64];

	if (m->type == PL_J_INT)
		why(err, errlen, "field '%s' is negative", key_of(m, k, sizeof(k)));
	else if (m->type != PL_J_UINT)
		why(err, errlen, "field '%s' is %s, expected a whole number", key_of(m, k, sizeof(k)),
		    pl_jtype_name(m->type));
	else
		why(err, errlen, "field '%s' is out of range", key_of(m, k, sizeof(k)));
}

/* an unsigned whole number no larger than max */
static int to_uint(const struct pl_jmember *m, unsigned long long max, unsigned long long *out,
		   char *err, size_t errlen)
{
	if (m->type != PL_J_UINT || m->u > max) {
		not_uint(m, err, errlen);
		return -1;
	}
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
		return why(err, errlen, "field '%s' is out of range", key_of(m, k, sizeof(k)));
	*out = m->type == PL_J_UINT ? (long long)m->u : m->i;
	return 0;
}

/* the top-level member key, as an unsigned whole number */
static int get_uint(const struct pl_jline *j, const char *key, unsigned long long max,
		    unsigned long long *out, char *err, size_t errlen)
{
	int i = pl_jline_find(j, -1, key);

	if (i < 0)
		return why(err, errlen, "missing field '%s'", key);
	return to_uint(&j->m[i], max, out, err, errlen);
}

static int get_int(const struct pl_jline *j, const char *key, long long *out, char *err,
		   size_t errlen)
{
	int i = pl_jline_find(j, -1, key);

	if (i < 0)
		return why(err, errlen, "missing field '%s'", key);
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

static int hex_digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
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

/*
 * The strings an event points to (file name, arguments, cgroup) are kept
 * in the parser's own room, emptied for each line and made large enough
 * for all of a line's strings before it is read, so none moves.
 */
struct strings {
	char *buf;
	size_t cap, used;
};

static int strings_room(struct strings *st, size_t line_len)
{
	size_t need = 2 * line_len + 64; /* unescaped, each with its NUL */

	st->used = 0;
	if (need <= st->cap)
		return 0;
	free(st->buf);
	st->buf = malloc(need);
	st->cap = st->buf ? need : 0;
	return st->buf ? 0 : -1;
}

static const char *keep_string(struct strings *st, const char *s, size_t len)
{
	char *out = st->buf + st->used;

	memcpy(out, s, len);
	out[len] = 0;
	st->used += len + 1;
	return out;
}

/* a PL_FT_HEX or PL_FT_PHEX field: the member's exact bytes, which replace
 * its string (a char array's, or one kept in the parser's room) */
static int read_hex(const struct pl_jmember *v, const struct pl_field *f, struct strings *st,
		    struct pl_event *e, char *err, size_t errlen)
{
	char small[64], *out = f->type == PL_FT_HEX ? small : st->buf + st->used;
	size_t n = v->len / 2;

	if (v->type != PL_J_STRING || v->len % 2 ||
	    (f->type == PL_FT_HEX && (n >= f->size || n >= sizeof(small))))
		return why(err, errlen, "field '%s' is not the hex of a name that fits", f->name);
	for (size_t i = 0; i < n; i++) {
		int hi = hex_digit(v->s[2 * i]), lo = hex_digit(v->s[2 * i + 1]);

		if (hi < 0 || lo < 0 || !(hi | lo))
			return why(err, errlen, "field '%s' holds %s", f->name,
				   hi < 0 || lo < 0 ? "a character that is not a hex digit" :
						      "a NUL byte");
		out[i] = (char)(hi << 4 | lo);
	}
	out[n] = 0;
	if (f->type == PL_FT_HEX) {
		memcpy((char *)e + f->offset, out, n + 1);
		return 0;
	}
	st->used += n + 1; /* the line's 2n hex digits leave room for n bytes */
	memcpy((char *)e + f->offset, &out, sizeof(out));
	return 0;
}

/* whether the line gave argv, whose arguments an argv_hex gives the bytes of */
static bool argv_seen(const unsigned char *seen)
{
	for (size_t i = 0; i < pl_nfields; i++)
		if (pl_fields[i].type == PL_FT_ARGV && seen[i])
			return true;
	return false;
}

/* argv_hex: each argument's exact bytes, which replace argv's */
static int read_argv_hex(const struct pl_jline *j, int at, struct strings *st, struct pl_event *e,
			 const struct pl_field *f, bool argv_seen, char *err, size_t errlen)
{
	const struct pl_jmember *v = &j->m[at];
	char *first = st->buf + st->used;
	size_t len = 0, told = 0, given = 0;

	if (v->type != PL_J_ARRAY)
		return why(err, errlen, "field '%s' is %s, expected an array of hex strings", f->name,
			   pl_jtype_name(v->type));
	/* the exact bytes of the same arguments the strings (read first) tell */
	for (size_t k = 0; k < e->args_len; k++)
		told += !e->args[k] || k + 1 == e->args_len;
	for (int i = v->first; i >= 0; i = j->m[i].next)
		given++;
	if (!argv_seen)
		return why(err, errlen, "field '%s' is given without 'argv'", f->name);
	if (given != told)
		return why(err, errlen, "field '%s' holds %zu argument%s, 'argv' %zu", f->name,
			   given, given == 1 ? "" : "s", told);
	for (int i = v->first; i >= 0; i = j->m[i].next) {
		const struct pl_jmember *a = &j->m[i];
		char *out = st->buf + st->used;
		size_t n = a->len / 2;

		if (a->type != PL_J_STRING || a->len % 2)
			return why(err, errlen, "field '%s' holds something not the hex of bytes", f->name);
		for (size_t k = 0; k < n; k++) {
			int hi = hex_digit(a->s[2 * k]), lo = hex_digit(a->s[2 * k + 1]);

			if (hi < 0 || lo < 0 || !(hi | lo))
				return why(err, errlen, "field '%s' holds %s", f->name,
					   hi < 0 || lo < 0 ? "a character that is not a hex digit" :
							      "a NUL byte");
			out[k] = (char)(hi << 4 | lo);
		}
		out[n] = 0;
		st->used += n + 1; /* the line's 2n hex digits leave room for n bytes */
		len += n + 1;
	}
	e->args = len ? first : NULL;
	e->args_len = (__u32)len;
	return 0;
}

static int read_argv(const struct pl_jline *j, int at, struct strings *st, struct pl_event *e,
		     const struct pl_field *f, char *err, size_t errlen)
{
	const struct pl_jmember *v = &j->m[at];
	const char *first = NULL;
	size_t len = 0;

	if (v->type != PL_J_ARRAY)
		return why(err, errlen, "field '%s' is %s, expected an array of strings", f->name,
			   pl_jtype_name(v->type));
	for (int i = v->first; i >= 0; i = j->m[i].next) {
		const struct pl_jmember *a = &j->m[i];
		const char *kept;

		if (a->type != PL_J_STRING || memchr(a->s, 0, a->len))
			return why(err, errlen, "field '%s' holds %s, expected strings without NUL",
				   f->name, a->type == PL_J_STRING ? "a NUL" : pl_jtype_name(a->type));
		kept = keep_string(st, a->s, a->len);
		if (!first)
			first = kept;
		len += a->len + 1;
	}
	e->args = first;
	e->args_len = (__u32)len;
	return 0;
}

/* a field holding a name from a table (a reason, an adopter): its number
 * in *out. Apart from read_field, whose every call would otherwise carry
 * the name's buffer on its stack; one is "a reason", "an adopter" */
static __attribute__((noinline)) int read_name(const struct pl_jmember *v,
					       const struct pl_field *f, const char *one,
					       int (*from_name)(const char *), int *out, char *err,
					       size_t errlen)
{
	const char *what = strchr(one, ' ') + 1;
	char name[32];

	if (v->type != PL_J_STRING || memchr(v->s, 0, v->len))
		return why(err, errlen, "field '%s' is %s, expected %s's name", f->name,
			   pl_jtype_name(v->type), one);
	snprintf(name, sizeof(name), "%.*s", (int)v->len, v->s);
	*out = from_name(name);
	if (*out < 0)
		return why(err, errlen, "field '%s' has an unknown %s '%s'", f->name, what, name);
	return 0;
}

/* what the kernel can give a signed field, where it is less than any int:
 * a nice value is -20 to 19 (a status is any int: a kernel thread ends
 * with whatever its function returned) */
static int in_range(const struct pl_field *f, long long v, char *err, size_t errlen)
{
	if (f->offset == offsetof(struct pl_event, nice) && (v < -20 || v > 19) &&
	    !strcmp(f->name, "nice")) /* wait's options share its place */
		return why(err, errlen, "field '%s' is %lld, not a nice value (-20 to 19)", f->name,
			   v);
	return 0;
}

/*
 * What no record holds: a file name, cgroup path or argument list longer
 * than a record has room for (the writer's line has room for the longest,
 * escaped), pid 0 (the idle task, which no record is about), a status
 * wait() never reports in a zombie's line or a wait's reap, or CPU times
 * whose sum passes 2^63 ns (292 years). Checked on the bytes kept, a _hex
 * field's where it replaced its string's.
 */
static int past_bounds(const struct pl_event *e, char *err, size_t errlen)
{
	const char *name = NULL;

	if (e->filename && strnlen(e->filename, PL_PATH_MAX) == PL_PATH_MAX)
		name = "filename";
	else if (e->cgroup && strnlen(e->cgroup, PL_PATH_MAX) == PL_PATH_MAX)
		name = "cgroup";
	if (name)
		return why(err, errlen, "field '%s' is longer than a tracer writes (%d bytes)", name,
			   PL_PATH_MAX - 1);
	/* a cut last argument is told without the NUL it never had */
	if (e->args_len > PL_ARGS_MAX + 1)
		return why(err, errlen, "field 'argv' is longer than a tracer writes (%d bytes, "
			   "each argument's NUL counted)", PL_ARGS_MAX);
	if (!e->pid)
		return why(err, errlen, "field 'pid' is 0, which no process has");
	/* what wait() reports (an exit or a free may be a kernel thread's,
	 * which ends with whatever its function returned, and so may a reap
	 * no wait made: kthreadd's children are reaped as they end) */
	if ((PL_K(e->kind) & (PL_K(PL_EV_ZOMBIE) | PL_K(PL_EV_REAP) | PL_K(PL_EV_ZOMBIE_LONG))) &&
	    !(e->kind == PL_EV_REAP && (e->flags & (PL_F_AUTO | PL_F_INFERRED))) &&
	    !pl_status_is_wait(e->status))
		return why(err, errlen, "field 'status' is %d, which is no status wait() reports",
			   e->status);
	if (e->cpu_user_ns > (__u64)LLONG_MAX || e->cpu_sys_ns > (__u64)LLONG_MAX - e->cpu_user_ns)
		return why(err, errlen, "fields 'cpu_user_ns' and 'cpu_sys_ns' add up to more than "
			   "2^63 ns");
	return 0;
}

static int read_field(const struct pl_jline *j, int at, const struct pl_field *f,
		      struct strings *st, struct pl_event *e, char *err, size_t errlen)
{
	const struct pl_jmember *v = &j->m[at];
	unsigned long long u;
	long long s;
	const char *kept;
	size_t n;
	int a;

	e->flags |= f->when;
	switch (f->type) {
	case PL_FT_PSTR:
		if (v->type != PL_J_STRING)
			return why(err, errlen, "field '%s' is %s, expected a string", f->name,
				   pl_jtype_name(v->type));
		if (memchr(v->s, 0, v->len))
			return why(err, errlen, "field '%s' holds a NUL character", f->name);
		kept = keep_string(st, v->s, v->len);
		memcpy((char *)e + f->offset, &kept, sizeof(kept));
		return 0;
	case PL_FT_ARGV:
		return read_argv(j, at, st, e, f, err, errlen);
	case PL_FT_KILLWHY:
		if (read_name(v, f, "a reason", pl_kill_why_from_name, &a, err, errlen))
			return -1;
		e->kill_why = (__u32)a;
		return 0;
	case PL_FT_STR:
		if (v->type != PL_J_STRING)
			return why(err, errlen, "field '%s' is %s, expected a string", f->name,
				   pl_jtype_name(v->type));
		if (memchr(v->s, 0, v->len))
			return why(err, errlen, "field '%s' holds a NUL character", f->name);
		/* cut as the kernel would, always terminated; another writer's
		 * longer name at a character's start, never inside one (a
		 * comm_hex after it says the exact bytes of one of ours) */
		n = v->len;
		if (n >= f->size)
			for (n = f->size - 1; n && ((unsigned char)v->s[n] & 0xc0) == 0x80;)
				n--;
		memcpy((char *)e + f->offset, v->s, n);
		return 0;
	case PL_FT_FLAG:
		if (v->type != PL_J_BOOL)
			return why(err, errlen, "field '%s' is %s, expected true or false", f->name,
				   pl_jtype_name(v->type));
		if (v->b)
			e->flags |= f->bit;
		return 0;
	case PL_FT_ADOPT:
		if (read_name(v, f, "an adopter", pl_adopter_from_name, &a, err, errlen))
			return -1;
		set_member(e, f, (unsigned)a);
		return 0;
	case PL_FT_HEX:
	case PL_FT_PHEX:
		return read_hex(v, f, st, e, err, errlen);
	case PL_FT_S32:
		if (to_int(v, &s, err, errlen) || in_range(f, s, err, errlen))
			return -1;
		set_member(e, f, (unsigned long long)(__u32)(__s32)s);
		return 0;
	case PL_FT_U32:
	case PL_FT_EUID:
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
 * The field table by name: an open-addressed hash of table indexes, built
 * with the parser. One name may stand for several kinds (status, parent),
 * so a lookup walks on past a name whose kinds do not include the line's.
 */
#define NAME_SLOTS 512 /* a power of two, four times the table at most */

#define GUESSED_MEMBERS 48

struct pl_log_parser {
	struct pl_jparser *json;
	struct pl_jline line;
	struct strings strings; /* what the last event's pointers point into */
	char *fixed;       /* the line with its bytes that are not UTF-8 as '?' */
	size_t fixed_cap;
	bool repaired;     /* the last line needed fixed */
	unsigned char name_slot[NAME_SLOTS]; /* table index + 1; 0: empty */
	unsigned char name_len[PL_MAX_FIELDS];
	bool exact_bytes[PL_MAX_FIELDS]; /* a _hex field: read after its string */
	unsigned char required_n[PL_EV_KINDS]; /* fields a kind must have */
	/* the field each member of a kind's last line was, by position: lines
	 * of a kind come with their keys in the same order */
	signed char guess[PL_EV_KINDS][GUESSED_MEMBERS];
	int euid_field; /* its index in the table */
};

static unsigned name_hash(const char *s, size_t len)
{
	unsigned h = 2166136261u; /* FNV-1a */

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h & (NAME_SLOTS - 1);
}

static void index_names(struct pl_log_parser *p)
{
	p->euid_field = -1;
	_Static_assert(NAME_SLOTS >= 4 * PL_MAX_FIELDS, "name index too small");
	for (size_t i = 0; i < pl_nfields; i++) {
		unsigned h;

		p->name_len[i] = (unsigned char)strlen(pl_fields[i].name);
		if (pl_fields[i].type == PL_FT_EUID)
			p->euid_field = (int)i;
		p->exact_bytes[i] = pl_fields[i].type == PL_FT_HEX ||
				    pl_fields[i].type == PL_FT_PHEX ||
				    pl_fields[i].type == PL_FT_ARGVHEX;
		for (h = name_hash(pl_fields[i].name, p->name_len[i]); p->name_slot[h];)
			h = (h + 1) & (NAME_SLOTS - 1);
		p->name_slot[h] = (unsigned char)(i + 1);
		for (unsigned k = 0; k < PL_EV_KINDS; k++)
			p->required_n[k] += !!(pl_fields[i].required & PL_K(k));
	}
}

/* a key of n bytes is the field name f: compared a word at a time, with
 * no call (names are short, and every member of every line is compared) */
static inline bool same_name(const char *f, const char *key, size_t n)
{
	__u64 a, b, c, d;
	__u32 x, y, z, w;
	__u16 h, i, k, l;

	if (n >= 8) {
		if (n > 16)
			return !memcmp(f, key, n);
		memcpy(&a, f, 8), memcpy(&b, key, 8);
		memcpy(&c, f + n - 8, 8), memcpy(&d, key + n - 8, 8);
		return ((a ^ b) | (c ^ d)) == 0;
	}
	if (n >= 4) {
		memcpy(&x, f, 4), memcpy(&y, key, 4);
		memcpy(&z, f + n - 4, 4), memcpy(&w, key + n - 4, 4);
		return ((x ^ y) | (z ^ w)) == 0;
	}
	if (n >= 2) {
		memcpy(&h, f, 2), memcpy(&i, key, 2);
		memcpy(&k, f + n - 2, 2), memcpy(&l, key + n - 2, 2);
		return ((h ^ i) | (k ^ l)) == 0;
	}
	return !n || f[0] == key[0];
}

/* the table entry for member m of a kind-kbit line, -1 if none */
static int find_field(const struct pl_log_parser *p, const struct pl_jmember *m, unsigned kbit)
{
	for (unsigned h = name_hash(m->key, m->key_len); p->name_slot[h];
	     h = (h + 1) & (NAME_SLOTS - 1)) {
		unsigned i = p->name_slot[h] - 1;

		if ((pl_fields[i].kinds & kbit) && p->name_len[i] == m->key_len &&
		    same_name(pl_fields[i].name, m->key, m->key_len))
			return (int)i;
	}
	return -1;
}

/* find_field, tried first where the same kind's last line had it */
static int field_at(struct pl_log_parser *p, const struct pl_jmember *m, int kind, unsigned pos)
{
	int f;

	if (pos < GUESSED_MEMBERS) {
		f = p->guess[kind][pos];
		if (f >= 0 && p->name_len[f] == m->key_len &&
		    same_name(pl_fields[f].name, m->key, m->key_len))
			return f; /* kinds checked when it was guessed */
	}
	f = find_field(p, m, PL_K(kind));
	if (pos < GUESSED_MEMBERS)
		p->guess[kind][pos] = (signed char)f;
	return f;
}

static bool seen_euid(const struct pl_log_parser *p, const unsigned char *seen)
{
	return p->euid_field >= 0 && seen[p->euid_field];
}

/* a field written with others under one flag (what a process used, who it
 * runs as, who killed it): one given means all are, or the missing ones
 * would read as 0, a fact no one told */
static int missing_of_its_group(unsigned flags, unsigned kbit, const unsigned char *seen,
				char *err, size_t errlen)
{
	for (size_t i = 0; i < pl_nfields; i++) {
		const struct pl_field *f = &pl_fields[i];
		bool alternative = f->type == PL_FT_EUID || f->type == PL_FT_HEX ||
				   f->type == PL_FT_PHEX || f->type == PL_FT_ARGVHEX;

		if (f->when && (flags & f->when) == f->when && (f->kinds & kbit) && !f->if_set &&
		    !alternative && !seen[i])
			return why(err, errlen, "missing field '%s' (given with the others of its "
				   "group)", f->name);
	}
	return 0;
}

/* ev_at: the member that named the kind */
static int parse_event(struct pl_log_parser *p, int kind, int ev_at, struct pl_event *e,
		       char *err, size_t errlen)
{
	const struct pl_jline *j = &p->line;
	unsigned kbit = PL_K(kind);
	unsigned char seen[PL_MAX_FIELDS] = { 0 };
	unsigned have = 0, nhex = 0;
	int hex[6][2]; /* member and field of exact bytes, read after their strings */

	e->kind = (__u32)kind; /* the rest zeroed by the caller */
	for (int i = j->first, pos = 0; i >= 0; i = j->m[i].next, pos++) {
		const struct pl_jmember *m = &j->m[i];
		int f;

		/* fields the table does not know are left for newer readers; a
		 * known one given twice is refused: JSON readers differ on which
		 * of the two they keep (jq the last), and the log would say two
		 * things */
		if ((f = field_at(p, m, kind, (unsigned)pos)) < 0) {
			if (m->key_len == 2 && !memcmp(m->key, "ev", 2) && i != ev_at)
				return why(err, errlen, "field 'ev' is given twice");
			continue;
		}
		if (seen[f])
			return why(err, errlen, "field '%s' is given twice", pl_fields[f].name);
		if (p->exact_bytes[f] && nhex < 6) {
			hex[nhex][0] = i;
			hex[nhex++][1] = f;
		} else if (read_field(j, i, &pl_fields[f], &p->strings, e, err, errlen))
			return -1;
		seen[f] = 1;
		have += !!(pl_fields[f].required & kbit);
	}
	for (unsigned i = 0; i < nhex; i++) {
		const struct pl_field *f = &pl_fields[hex[i][1]];

		if (f->type == PL_FT_ARGVHEX ?
			    read_argv_hex(j, hex[i][0], &p->strings, e, f, argv_seen(seen), err,
					  errlen) :
			    read_hex(&j->m[hex[i][0]], f, &p->strings, e, err, errlen))
			return -1;
	}
	for (size_t i = 0; have < p->required_n[kind] && i < pl_nfields; i++)
		if ((pl_fields[i].required & kbit) && !seen[i])
			return why(err, errlen, "missing field '%s'", pl_fields[i].name);
	if (missing_of_its_group(e->flags, kbit, seen, err, errlen))
		return -1;
	if (past_bounds(e, err, errlen))
		return -1;
	/* a thread's fork names its process as its maker: a process never */
	if (kind == PL_EV_FORK && !(e->flags & PL_F_THREAD) && e->ppid == e->pid &&
	    e->pstart == e->start)
		return why(err, errlen, "a process born of itself (ppid and pstart are its pid and "
			   "start)");
	if ((e->flags & PL_F_WHO) && !seen_euid(p, seen))
		e->euid = e->uid; /* written only where it differs */
	/* no zombie outlasts the time since boot its reap is told at */
	if (kind == PL_EV_REAP && e->zombie_ns > e->ts)
		return why(err, errlen, "field 'zombie_ns' is %llu, longer than the time since boot "
			   "of the reap (ts %llu)", (unsigned long long)e->zombie_ns,
			   (unsigned long long)e->ts);
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
		return why(err, errlen, "trailer without an object '%s'", key);
	for (unsigned k = PL_EV_FORK; k < PL_EV_KINDS; k++) {
		int i = pl_jline_find(j, c, pl_kind_name(k)); /* a kind may be absent */

		if (i >= 0 && to_uint(&j->m[i], ~0ULL, &out[k], err, errlen))
			return -1;
	}
	return 0;
}

/* the kernel side's counters, by name; a log older than one may lack it */
static int parse_stats(const struct pl_jline *j, unsigned long long *out, char *err,
		       size_t errlen)
{
	int c = pl_jline_find(j, -1, "stats");

	out[PL_STAT_RUNS_SKIPPED] = PL_NOT_COUNTED; /* unless it says */
	if (c < 0)
		return 0;
	if (j->m[c].type != PL_J_OBJECT)
		return why(err, errlen, "trailer's 'stats' is not an object");
	for (unsigned s = 0; s < PL_STATS; s++) {
		int i = pl_jline_find(j, c, pl_stat_name(s));

		if (i >= 0 && to_uint(&j->m[i], ~0ULL, &out[s], err, errlen))
			return -1;
	}
	return 0;
}

static int parse_trailer(const struct pl_jline *j, struct pl_log_line *out, char *err,
			 size_t errlen)
{
	long long st;

	out->kind = PL_LINE_TRAILER;
	memset(&out->trailer, 0, sizeof(out->trailer));
	if (get_uint(j, "ts", ~0ULL, &out->trailer.ts, err, errlen) ||
	    parse_counts(j, "events", out->trailer.events, err, errlen) ||
	    parse_counts(j, "lost", out->trailer.lost, err, errlen) ||
	    parse_stats(j, out->trailer.stats, err, errlen))
		return -1;
	out->trailer.lost_total_said = ~0ULL;
	if (pl_jline_find(j, -1, "lost_total") >= 0 &&
	    get_uint(j, "lost_total", ~0ULL, &out->trailer.lost_total_said, err, errlen))
		return -1;
	if (pl_jline_find(j, -1, "lines_dropped") >= 0 &&
	    get_uint(j, "lines_dropped", ~0ULL, &out->trailer.lines_dropped, err, errlen))
		return -1;
	out->trailer.exit_status = -1;
	if (pl_jline_find(j, -1, "exit_status") >= 0) {
		if (get_int(j, "exit_status", &st, err, errlen))
			return -1;
		/* the command's wait status, or -1: it had none */
		if (st != -1 && (st < INT_MIN || st > INT_MAX || !pl_status_is_wait((int)st)))
			return why(err, errlen, "trailer's 'exit_status' is %lld, which is no status "
				   "wait() reports", st);
		out->trailer.exit_status = (int)st;
	}
	return 0;
}

/*
 * A key twice in one object of a header, trailer, lost or follow line
 * (an event's fields are checked as they are read): JSON readers differ
 * on which of the two they keep, so the line means different things to
 * different readers.
 */
static int key_given_twice(const struct pl_jline *j, char *err, size_t errlen)
{
	int twice = pl_jline_key_twice(j), parent;

	if (twice == -2)
		return why(err, errlen, "out of memory");
	if (twice < 0)
		return 0;
	parent = j->m[twice].parent;
	if (parent >= 0 && j->m[parent].key)
		return why(err, errlen, "field '%.*s' of '%.*s' is given twice",
			   (int)j->m[twice].key_len, j->m[twice].key, (int)j->m[parent].key_len,
			   j->m[parent].key);
	return why(err, errlen, "field '%.*s' is given twice", (int)j->m[twice].key_len,
		   j->m[twice].key);
}

static int parse_object(struct pl_log_parser *p, struct pl_log_line *out, char *err,
			size_t errlen)
{
	const struct pl_jline *j = &p->line;
	char ev[32], name[32];
	unsigned long long n;
	int kind, ev_at;

	if (j->type != PL_J_OBJECT)
		return why(err, errlen, "a line is no JSON object but %s %s",
			   strchr("aeiou", pl_jtype_name(j->type)[0]) ? "an" : "a",
			   pl_jtype_name(j->type));
	ev_at = pl_jline_find(j, -1, "ev");
	if (ev_at >= 0 && j->m[ev_at].type != PL_J_STRING)
		return why(err, errlen, "field 'ev' is %s, expected a string",
			   pl_jtype_name(j->m[ev_at].type));
	if (ev_at < 0 || memchr(j->m[ev_at].s, 0, j->m[ev_at].len))
		return why(err, errlen, "missing field 'ev' (a string)");
	/* all but the trailer's counts, which a trailer line sets whole */
	memset(out, 0, offsetof(struct pl_log_line, trailer));
	/* nearly every line: looked at first, in place */
	kind = pl_kind_from_bytes(j->m[ev_at].s, j->m[ev_at].len);
	if (kind > PL_EV_NONE) {
		out->kind = PL_LINE_EVENT;
		return parse_event(p, kind, ev_at, &out->ev, err, errlen);
	}
	/* present, a string and without NUL (checked above): never fails */
	get_string(j, "ev", ev, sizeof(ev));
	if (key_given_twice(j, err, errlen))
		return -1;
	if (!strcmp(ev, "lost")) {
		if (!get_string(j, "kind", name, sizeof(name)) || (kind = pl_kind_from_name(name)) < 0)
			return why(err, errlen, "'lost' without a known 'kind'");
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
		return why(err, errlen, "a second header");
	return why(err, errlen, "unknown event kind '%s'", ev);
}

/* levels of members a log line lists: its own and those of its objects */
#define LINE_DEPTH 2

/*
 * One line through simdjson. Logs from before the writer escaped every
 * invalid UTF-8 sequence (it let overlong forms and surrogates through) are
 * still read: those bytes become '?', as unprintable names do.
 */
static int parse_json(struct pl_log_parser *p, const char *text, size_t len, bool padded,
		      char *what, size_t whatlen)
{
	const unsigned char *s = (const unsigned char *)text;
	int ret;

	p->repaired = false;
	ret = (padded ? pl_jline_parse_padded : pl_jline_parse)(p->json, text, len, LINE_DEPTH,
								  &p->line, what, whatlen);
	if (ret != PL_JLINE_BAD_UTF8)
		return ret;
	if (len > p->fixed_cap) {
		char *fixed = realloc(p->fixed, len);

		if (!fixed)
			return why(what, whatlen, "out of memory");
		p->fixed = fixed;
		p->fixed_cap = len;
	}
	for (size_t i = 0, n; i < len; i += n) {
		n = json_char_len(s + i, len - i);
		if (n) {
			memcpy(p->fixed + i, s + i, n);
		} else {
			p->fixed[i] = '?';
			n = 1;
		}
	}
	p->repaired = true;
	return pl_jline_parse(p->json, p->fixed, len, LINE_DEPTH, &p->line, what, whatlen);
}

static int parse_line(struct pl_log_parser *p, const char *text, size_t len, bool padded,
		      struct pl_log_line *out, char *err, size_t errlen)
{
	char what[160];

	/* a NUL byte is no JSON (where a string holds one, the parser says
	 * so too): looked for once a line has failed, to say which it was */
	int ret = parse_json(p, text, len, padded, what, sizeof(what));

	if (ret == PL_JLINE_BIG_NUMBER)
		return why(err, errlen, "%s", what);
	if (ret)
		return memchr(text, 0, len) ? why(err, errlen, "a NUL byte in the line") :
					      why(err, errlen, "invalid JSON (%s)", what);
	if (strings_room(&p->strings, len))
		return why(err, errlen, "out of memory");
	return parse_object(p, out, err, errlen);
}

int pl_log_parse_line(struct pl_log_parser *p, const char *text, size_t len,
		      struct pl_log_line *out, char *err, size_t errlen)
{
	return parse_line(p, text, len, false, out, err, errlen);
}

int pl_log_parse_padded_line(struct pl_log_parser *p, const char *text, size_t len,
			     struct pl_log_line *out, char *err, size_t errlen)
{
	return parse_line(p, text, len, true, out, err, errlen);
}

#define BOOT_TO_WALL_MAX (1ULL << 62)

/* a true/false of the header's options */
/*
 * A member of the header (of its "options" object when in is set): its
 * index, or -1 when absent, as it is in the logs of earlier versions. One
 * of another type than want is no header a tracer wrote: -2, why in err.
 */
static int header_member(const struct pl_jline *j, const char *in, const char *name,
			 enum pl_jtype want, char *err, size_t errlen)
{
	int v = -1;

	if (in && (v = pl_jline_find(j, -1, in)) >= 0 && j->m[v].type != PL_J_OBJECT)
		return why(err, errlen, "the header's %s is %s, expected an object", in,
			   pl_jtype_name(j->m[v].type)), -2;
	if (in && v < 0)
		return -1;
	v = pl_jline_find(j, in ? v : -1, name);
	if (v >= 0 && j->m[v].type != want)
		return why(err, errlen, "the header's %s%s%s is %s, expected %s", in ? in : "",
			   in ? "." : "", name,
			   j->m[v].type == PL_J_INT ? "negative" : pl_jtype_name(j->m[v].type),
			   want == PL_J_BOOL ? "true or false" : "a whole number"), -2;
	return v;
}

/* a true or false of the header: false when absent, -1 when not a boolean */
static int header_flag(const struct pl_jline *j, const char *in, const char *name, bool *out,
		       char *err, size_t errlen)
{
	int v = header_member(j, in, name, PL_J_BOOL, err, errlen);

	*out = v >= 0 && j->m[v].b;
	return v < -1 ? -1 : 0;
}

/* the threshold the trace flagged zombies at (--zombie-ms); 0 when not said */
static int header_zombie_ms(const struct pl_jline *j, unsigned *out, char *err, size_t errlen)
{
	int v = header_member(j, "options", "zombie_ms", PL_J_UINT, err, errlen);

	*out = 0;
	if (v < -1)
		return -1;
	if (v >= 0 && (j->m[v].u < 1 || j->m[v].u > PL_ZOMBIE_MS_MAX))
		return why(err, errlen, "the header's options.zombie_ms is %llu, not a --zombie-ms "
			   "(1 to %u)", j->m[v].u, PL_ZOMBIE_MS_MAX);
	if (v >= 0)
		*out = (unsigned)j->m[v].u;
	return 0;
}

/* the header says the kernel told each cgroup's path as it was made
 * ("cgroup_names": "mkdir"); otherwise paths were looked up, and a cgroup
 * removed before the tracer looked has none */
static bool cgroups_told(const struct pl_jline *j)
{
	int v = pl_jline_find(j, -1, "mechanisms");

	if (v >= 0)
		v = pl_jline_find(j, v, "cgroup_names");
	return v >= 0 && j->m[v].type == PL_J_STRING && j->m[v].len == 5 &&
	       !memcmp(j->m[v].s, "mkdir", 5);
}

/* a rotated log's second and later files say which they are and the
 * trace's start (the first file's ts); the first says neither */
static int header_part(const struct pl_jline *j, struct pl_log_header_facts *out, char *err,
		       size_t errlen)
{
	int part = header_member(j, NULL, "part", PL_J_UINT, err, errlen);
	int start = header_member(j, NULL, "trace_start", PL_J_UINT, err, errlen);

	if (part < -1 || start < -1)
		return -1;
	out->part = 1;
	out->trace_start = out->start_ts;
	if (part < 0 && start < 0)
		return 0;
	if (part < 0 || start < 0)
		return why(err, errlen, "the header has %s without %s", part < 0 ? "trace_start" : "part",
			   part < 0 ? "part" : "trace_start");
	if (j->m[part].u < 2 || j->m[part].u > UINT_MAX ||
	    (out->start_ts && j->m[start].u > out->start_ts))
		return why(err, errlen, "the header's part %llu of a trace started at %llu does not "
			   "hold (a later part, 2 or more, begins after the trace's start)",
			   (unsigned long long)j->m[part].u, (unsigned long long)j->m[start].u);
	out->part = (unsigned)j->m[part].u;
	out->trace_start = j->m[start].u;
	return 0;
}

int pl_log_parse_header(struct pl_log_parser *p, const char *text, size_t len,
			struct pl_log_header_facts *out, char *err, size_t errlen)
{
	const struct pl_jline *j = &p->line;
	char what[160], buf[64];
	long long version;
	int v;

	memset(out, 0, sizeof(*out));
	if (strnlen(text, len) != len)
		return why(err, errlen, "not a proclife log (a NUL byte in the first line)");
	if (parse_json(p, text, len, false, what, sizeof(what)))
		return why(err, errlen, "not a proclife log (the first line is not JSON: %s)", what);
	if (j->type != PL_J_OBJECT)
		return why(err, errlen, "not a proclife log (the first line is not a JSON header)");
	if (!get_string(j, "ev", buf, sizeof(buf)) || strcmp(buf, "header") ||
	    !get_string(j, "format", buf, sizeof(buf)) || strcmp(buf, PL_LOG_FORMAT))
		return why(err, errlen, "not a proclife log (no '%s' header)", PL_LOG_FORMAT);
	if (key_given_twice(j, err, errlen))
		return -1;
	v = pl_jline_find(j, -1, "version");
	if (v < 0)
		return why(err, errlen, "the header has no format version");
	if (to_int(&j->m[v], &version, what, sizeof(what)))
		return why(err, errlen, "the header's version is %s, expected a whole number",
			   j->m[v].type == PL_J_UINT || j->m[v].type == PL_J_INT ?
				   "out of range" : pl_jtype_name(j->m[v].type));
	out->version = (int)version;
	if (out->version > PL_LOG_VERSION || out->version < 1)
		return why(err, errlen, "log format version %d; this proclife reads versions 1 to %d",
			   out->version, PL_LOG_VERSION);
	if ((v = header_member(j, NULL, "ts", PL_J_UINT, err, errlen)) < -1)
		return -1;
	if (v >= 0)
		out->start_ts = j->m[v].u;
	if (header_part(j, out, err, errlen))
		return -1;
	/* before the kernel counted waits, every wait had its line */
	if (header_flag(j, "options", "threads", &out->threads, err, errlen) ||
	    header_flag(j, NULL, "waits_counted", &out->waits_counted, err, errlen) ||
	    header_flag(j, "options", "wait_records", &out->wait_records, err, errlen) ||
	    header_zombie_ms(j, &out->zombie_ms, err, errlen))
		return -1;
	out->wait_records |= !out->waits_counted;
	out->cgroups_told = cgroups_told(j);
	/* the wall clock at boot, in ns since 1970: a time of the log added to
	 * it stays a date (up to 2^62 ns, the year 2116) */
	if ((v = pl_jline_find(j, -1, "boot_to_wall_ns")) >= 0) {
		if (j->m[v].type != PL_J_UINT || j->m[v].u > BOOT_TO_WALL_MAX)
			return why(err, errlen, "the header's boot_to_wall_ns is not a time since 1970 "
				   "(a whole number of ns from 0 to %llu)", BOOT_TO_WALL_MAX);
		out->boot_to_wall = (long long)j->m[v].u;
	}
	return 0;
}

struct pl_log_parser *pl_log_parser_new(void)
{
	struct pl_log_parser *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->json = pl_jparser_new();
	if (!p->json) {
		free(p);
		return NULL;
	}
	index_names(p);
	memset(p->guess, -1, sizeof(p->guess));
	return p;
}

void pl_log_parser_free(struct pl_log_parser *p)
{
	if (!p)
		return;
	pl_jparser_free(p->json);
	pl_jline_free(&p->line);
	free(p->strings.buf);
	free(p->fixed);
	free(p);
}

bool pl_log_parser_repaired(const struct pl_log_parser *p)
{
	return p->repaired;
}
