// SPDX-License-Identifier: BSD-2-Clause
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include "log/fields.h"
#include "log/writer.h"
#include "util/json.h"
#include "util/names.h"
#include "util/status.h"
#include "util/count.h"

/* from the bit length: log10(2) is close to 1233 / 4096 */
static unsigned digits32(unsigned v)
{
	static const unsigned pow10[] = { 0,	  10,	   100,	     1000,	10000,
					  100000, 1000000, 10000000, 100000000, 1000000000 };
	unsigned t = (unsigned)(32 - __builtin_clz(v | 1)) * 1233 >> 12;

	return t + 1 - (v < pow10[t]);
}

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "put_8_digits writes a word");

/* exactly 8 digits of v < 10^8, leading zeros kept, as the bytes of one
 * word (the first digit in its lowest byte): two 4-digit halves in its two
 * 32-bit lanes, split into 2-digit then 1-digit lanes by multiplications
 * that stand for the divisions (exact for every v below 10^8), then made
 * ASCII in one add */
static __u64 eight_digits(unsigned v)
{
	__u64 x = (__u64)(v / 10000) | ((__u64)(v % 10000) << 32), y;

	y = ((x * 10486) >> 20) & 0x0000007f0000007fULL; /* / 100 */
	x = y | ((x - y * 100) << 16);
	y = ((x * 103) >> 10) & 0x000f000f000f000fULL;   /* / 10 */
	x = y | ((x - y * 10) << 8);
	return x + 0x3030303030303030ULL;
}

static char *put_8_digits(char *p, unsigned v)
{
	__u64 x = eight_digits(v);

	memcpy(p, &x, 8);
	return p + 8;
}

/* v < 10^8 without its leading zeros: the word shifted past them, stored
 * whole whatever its length (the line has room past its end, as for keys) */
static char *put_below_1e8(char *p, unsigned v)
{
	unsigned n = digits32(v);
	__u64 x = eight_digits(v) >> (8 * (8 - n));

	memcpy(p, &x, 8);
	return p + n;
}

/* v in 32-bit arithmetic, which is what most fields are (pids, statuses,
 * counts); many are one digit (a CPU, a status of 0, uid 0) */
static char *put_u32(char *p, unsigned v)
{
	if (v < 10) {
		*p = (char)('0' + v);
		return p + 1;
	}
	if (v < 100000000)
		return put_below_1e8(p, v);
	return put_8_digits(put_below_1e8(p, v / 100000000), v % 100000000);
}

/* times in ns since boot have 13 to 16 digits: two words of 8 */
static char *put_u64(char *p, unsigned long long v)
{
	if (v <= 0xffffffffULL)
		return put_u32(p, (unsigned)v);
	if (v < 10000000000000000ULL)
		p = put_below_1e8(p, (unsigned)(v / 100000000ULL));
	else
		p = put_8_digits(put_below_1e8(p, (unsigned)(v / 10000000000000000ULL)),
				 (unsigned)(v / 100000000ULL % 100000000ULL));
	return put_8_digits(p, (unsigned)(v % 100000000ULL));
}

static char *put_s64(char *p, long long v)
{
	if (v < 0) {
		*p++ = '-';
		return put_u64(p, 0ULL - (unsigned long long)v);
	}
	return put_u64(p, (unsigned long long)v);
}

static char *put_raw(char *p, const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	return p + n;
}

static char *put_key(char *p, const char *key)
{
	*p++ = ',';
	*p++ = '"';
	p = put_raw(p, key);
	*p++ = '"';
	*p++ = ':';
	return p;
}

/* bytes as a JSON string of hex digits */
static char *put_hex(char *p, const char *s, size_t n)
{
	static const char digits[] = "0123456789abcdef";

	*p++ = '"';
	for (size_t i = 0; i < n; i++) {
		*p++ = digits[(unsigned char)s[i] >> 4];
		*p++ = digits[(unsigned char)s[i] & 15];
	}
	*p++ = '"';
	return p;
}

static unsigned long long member_u64(const struct pl_event *e, const struct pl_field *f)
{
	const char *m = (const char *)e + f->offset;
	__u64 v64;
	__u32 v32;

	if (f->size == 8) {
		memcpy(&v64, m, 8);
		return v64;
	}
	memcpy(&v32, m, 4);
	return v32;
}

/* the status again, decoded, for readers who do not want to decode it */
static char *put_decoded(char *p, int status)
{
	struct pl_status s = pl_status_decode(status);
	const char *name;

	if (!s.signaled) {
		p = put_key(p, "code");
		return put_s64(p, s.code);
	}
	p = put_key(p, "signal");
	p = put_s64(p, s.signal);
	name = pl_signal_name(s.signal);
	if (name) {
		p = put_key(p, "signame");
		p = json_escape(p, name, strlen(name));
	}
	p = put_key(p, "core");
	return put_raw(p, s.core ? "true" : "false");
}

/*
 * What each kind of event writes, worked out once from the field table:
 * its fields in the table's order, each key ready as `,"name":` (a flag's
 * as `,"name":true` and `,"name":false`), and its opening `{"ev":"kind"`.
 * Keys are copied whole (a constant size the compiler turns into a few
 * moves) and the line goes on from their real length: PL_JSONL_LINE_MAX
 * leaves room past any line for the last key's spare bytes.
 */
#define KEY_MAX 32
#define COPY_KEY(p, from, len) (memcpy((p), (from), sizeof(from)), (p) + (len))

/* how a field is written: its table type, with numbers split by size */
enum field_op {
	OP_U32,  /* a 4-byte unsigned member */
	OP_U64,  /* an 8-byte one */
	OP_S32,
	OP_FLAG,
	OP_OTHER, /* the rest, by the table's type */
};

_Static_assert(sizeof(struct pl_event) <= 0xffff, "offsets in an unsigned short");

/* what put_fields reads of a field, in the plan itself: the table's entry
 * is another line of memory away */
struct planned_field {
	unsigned char op, if_set, keylen, truelen, falselen;
	unsigned short offset;
	unsigned when, bit;
	const struct pl_field *f;
	char key[KEY_MAX], when_true[KEY_MAX + 4], when_false[KEY_MAX + 5];
};

struct kind_plan {
	unsigned n;
	bool identity_kept; /* its fields from PL_FIELD_ID_FIRST are as put_identity expects */
	unsigned char headlen;
	char head[40];
	struct planned_field v[PL_MAX_FIELDS];
};

static struct kind_plan plans[PL_EV_KINDS];
static pthread_once_t planned = PTHREAD_ONCE_INIT;

static unsigned char keep(char *dst, size_t room, const char *fmt, const char *name,
			  const char *value)
{
	int n = snprintf(dst, room, fmt, name, value);

	return (unsigned char)(n > 0 && (size_t)n < room ? n : 0);
}

/* reads of the event only its pid, tid, start or comm */
static bool is_identity(const struct pl_field *f)
{
	static const size_t members[] = { offsetof(struct pl_event, pid),
					   offsetof(struct pl_event, tid),
					   offsetof(struct pl_event, start),
					   offsetof(struct pl_event, comm) };

	for (size_t i = 0; i < sizeof(members) / sizeof(members[0]); i++)
		if (f->offset == members[i])
			return true;
	return false;
}

static unsigned char plan_op(const struct pl_field *f)
{
	switch (f->type) {
	case PL_FT_U32:
	case PL_FT_U64:
		return f->size == 8 ? OP_U64 : OP_U32;
	case PL_FT_S32:
		return OP_S32;
	case PL_FT_FLAG:
		return OP_FLAG;
	default:
		return OP_OTHER;
	}
}

static void plan_kinds(void)
{
	for (unsigned k = 1; k < PL_EV_KINDS; k++) {
		struct kind_plan *kp = &plans[k];

		kp->headlen = keep(kp->head, sizeof(kp->head), "{\"%s\":\"%s\"", "ev",
				   pl_kind_name(k));
		for (size_t i = 0; i < pl_nfields; i++) {
			const struct pl_field *f = &pl_fields[i];
			struct planned_field *pf = &kp->v[kp->n];

			if (!(f->kinds & PL_K(k)))
				continue;
			pf->f = f;
			pf->op = plan_op(f);
			pf->if_set = f->if_set != 0;
			pf->offset = (unsigned short)f->offset;
			pf->when = f->when;
			pf->bit = f->bit;
			pf->keylen = keep(pf->key, sizeof(pf->key), ",\"%s\":%s", f->name, "");
			pf->truelen = keep(pf->when_true, sizeof(pf->when_true), ",\"%s\":%s", f->name,
					   "true");
			pf->falselen = keep(pf->when_false, sizeof(pf->when_false), ",\"%s\":%s",
					    f->name, "false");
			kp->n++;
		}
		kp->identity_kept = true;
		for (unsigned i = PL_FIELD_ID_FIRST; i < PL_FIELD_ID_END; i++) {
			const struct pl_field *f = kp->v[i].f;

			if (i >= kp->n || f != &pl_fields[i] || f->kinds != PL_K_ALL || f->when ||
			    f->if_set || !is_identity(f))
				kp->identity_kept = false;
		}
	}
}

/* the arguments: each up to its NUL, the last perhaps cut without one */
static char *put_argv(char *p, const char *args, size_t len)
{
	size_t at = 0;

	*p++ = '[';
	while (args && at < len) {
		size_t n = strnlen(args + at, len - at);

		if (at)
			*p++ = ',';
		p = json_escape(p, args + at, n);
		at += n + 1;
	}
	*p++ = ']';
	return p;
}

static bool args_are_utf8(const char *args, size_t len)
{
	for (size_t at = 0; at < len; at += strnlen(args + at, len - at) + 1)
		if (!json_is_utf8(args + at, len - at))
			return false;
	return true;
}

/* the arguments' exact bytes, each in hex, when any is not UTF-8 */
static char *put_argv_hex(char *p, const struct planned_field *pf, const char *args, size_t len)
{
	size_t at = 0;

	if (!args || args_are_utf8(args, len))
		return p;
	p = COPY_KEY(p, pf->key, pf->keylen);
	*p++ = '[';
	while (at < len) {
		size_t n = strnlen(args + at, len - at);

		if (at)
			*p++ = ',';
		p = put_hex(p, args + at, n);
		at += n + 1;
	}
	*p++ = ']';
	return p;
}

/* a string's exact bytes as `,"name_hex":"..."` when they are not UTF-8
 * (its escaped form lost them); nothing when they are */
static char *put_exact_bytes(char *p, const struct planned_field *pf, const char *s, size_t n)
{
	if (json_is_utf8(s, n))
		return p;
	p = COPY_KEY(p, pf->key, pf->keylen);
	return put_hex(p, s, n);
}

/* a field of a type other than numbers and flags */
static char *put_other(char *p, const struct pl_event *e, const struct planned_field *pf)
{
	const struct pl_field *f = pf->f;
	const char *str;
	unsigned long long v;

	switch (f->type) {
	case PL_FT_STR:
		str = (const char *)e + f->offset;
		if (f->if_set && !*str)
			break;
		p = COPY_KEY(p, pf->key, pf->keylen);
		p = json_escape(p, str, f->size);
		break;
	case PL_FT_PSTR:
		memcpy(&str, (const char *)e + f->offset, sizeof(str));
		if (!str)
			break;
		p = COPY_KEY(p, pf->key, pf->keylen);
		p = json_escape(p, str, strlen(str));
		break;
	case PL_FT_ARGV:
		if (!e->args)
			break;
		p = COPY_KEY(p, pf->key, pf->keylen);
		p = put_argv(p, e->args, e->args_len);
		break;
	case PL_FT_KILLWHY:
		p = COPY_KEY(p, pf->key, pf->keylen);
		p = json_escape(p, pl_kill_why_name(e->kill_why), 16);
		break;
	case PL_FT_EUID:
		if (e->euid == e->uid)
			break;
		p = COPY_KEY(p, pf->key, pf->keylen);
		p = put_u64(p, e->euid);
		break;
	case PL_FT_HEX:
		str = (const char *)e + f->offset;
		p = put_exact_bytes(p, pf, str, strnlen(str, f->size));
		break;
	case PL_FT_PHEX:
		memcpy(&str, (const char *)e + f->offset, sizeof(str));
		if (str)
			p = put_exact_bytes(p, pf, str, strlen(str));
		break;
	case PL_FT_ARGVHEX:
		p = put_argv_hex(p, pf, e->args, e->args_len);
		break;
	case PL_FT_ADOPT:
		v = member_u64(e, f);
		if (f->if_set && !v)
			break;
		p = COPY_KEY(p, pf->key, pf->keylen);
		p = json_escape(p, pl_adopter_name((unsigned)v), 16);
		break;
	default:
		break;
	}
	return p;
}

/* the planned fields [from, to) of e's kind */
static char *put_fields(char *p, const struct pl_event *e, const struct kind_plan *kp,
			unsigned from, unsigned to)
{
	for (unsigned i = from; i < to; i++) {
		const struct planned_field *pf = &kp->v[i];
		const char *m = (const char *)e + pf->offset;
		__u32 v32;
		__u64 v64;

		if (pf->when && (e->flags & pf->when) != pf->when)
			continue;
		switch (pf->op) {
		case OP_U32:
			memcpy(&v32, m, 4);
			if (pf->if_set && !v32)
				break;
			p = COPY_KEY(p, pf->key, pf->keylen);
			p = put_u32(p, v32);
			break;
		case OP_U64:
			memcpy(&v64, m, 8);
			if (pf->if_set && !v64)
				break;
			p = COPY_KEY(p, pf->key, pf->keylen);
			p = put_u64(p, v64);
			break;
		case OP_S32:
			memcpy(&v32, m, 4);
			p = COPY_KEY(p, pf->key, pf->keylen);
			p = put_s64(p, (__s32)v32);
			break;
		case OP_FLAG:
			if (e->flags & pf->bit)
				p = COPY_KEY(p, pf->when_true, pf->truelen);
			else if (!pf->if_set)
				p = COPY_KEY(p, pf->when_false, pf->falselen);
			break;
		default:
			p = put_other(p, e, pf);
		}
	}
	return p;
}

/*
 * The fields that say which process a line is about (pid, tid, start,
 * comm, comm_hex: PL_FIELD_ID_FIRST to PL_FIELD_ID_END, every kind's first
 * after ts) read nothing else of the event, and a process's fork, exit,
 * zombie and reap lines repeat them: their text is kept per pid slot, made
 * by put_fields itself, and copied while pid, tid, start and comm are the
 * same. Per thread: formatting has no lock to take.
 */
#define MEMO_SLOTS 128
#define MEMO_TEXT 128

struct id_memo {
	__u32 pid, tid;
	__u64 start;
	char comm[PL_COMM_LEN];
	unsigned len; /* 0: empty */
	char text[MEMO_TEXT];
};

static _Thread_local struct id_memo memo[MEMO_SLOTS];

static char *put_identity(char *p, const struct pl_event *e, const struct kind_plan *kp)
{
	struct id_memo *m = &memo[e->pid % MEMO_SLOTS];
	char *from = p;

	if (m->len && m->pid == e->pid && m->tid == e->tid && m->start == e->start &&
	    !memcmp(m->comm, e->comm, PL_COMM_LEN)) {
		memcpy(p, m->text, m->len);
		return p + m->len;
	}
	p = put_fields(p, e, kp, PL_FIELD_ID_FIRST, PL_FIELD_ID_END);
	m->len = 0;
	if ((size_t)(p - from) <= sizeof(m->text)) {
		m->pid = e->pid;
		m->tid = e->tid;
		m->start = e->start;
		memcpy(m->comm, e->comm, PL_COMM_LEN);
		m->len = (unsigned)(p - from);
		memcpy(m->text, from, m->len);
	}
	return p;
}

size_t jsonl_format_event(char *buf, const struct pl_event *e)
{
	const struct kind_plan *kp;
	char *p = buf;

	pthread_once(&planned, plan_kinds);
	if (e->kind >= PL_EV_KINDS || !e->kind)
		return 0;
	kp = &plans[e->kind];
	p = COPY_KEY(p, kp->head, kp->headlen);
	p = put_fields(p, e, kp, 0, PL_FIELD_ID_FIRST);
	if (kp->identity_kept) {
		p = put_identity(p, e, kp);
		p = put_fields(p, e, kp, PL_FIELD_ID_END, kp->n);
	} else {
		p = put_fields(p, e, kp, PL_FIELD_ID_FIRST, kp->n);
	}
	if (e->kind == PL_EV_EXIT || e->kind == PL_EV_ZOMBIE ||
	    (e->kind == PL_EV_REAP && !(e->flags & PL_F_STATUS_UNKNOWN)) ||
	    (e->kind == PL_EV_PROC && (e->flags & PL_F_ZOMBIE)))
		p = put_decoded(p, e->status);
	*p++ = '}';
	*p++ = '\n';
	return (size_t)(p - buf);
}

void jsonl_event(FILE *f, const struct pl_event *e)
{
	char buf[PL_JSONL_LINE_MAX];

	/* one writer per stream: the stdio lock would be taken for nothing */
	fwrite_unlocked(buf, 1, jsonl_format_event(buf, e), f);
}

void jsonl_header(FILE *f, const struct pl_log_header *h)
{
	const char *name, *value;

	fprintf(f, "{\"ev\":\"header\",\"format\":\"%s\",\"version\":%d,\"ts\":%llu,\"kernel\":",
		PL_LOG_FORMAT, PL_LOG_VERSION, h->ts);
	json_put_string(f, h->kernel ? h->kernel : "");
	fputs(",\"host\":", f);
	json_put_string(f, h->host ? h->host : "");
	if (h->tracer_version) {
		fputs(",\"proclife_version\":", f);
		json_put_string(f, h->tracer_version);
	}
	/* waits_counted: a process's waits come with its exit (or a waits line
	 * at the end); logs without it counted them from wait lines */
	if (h->part)
		fprintf(f, ",\"part\":%u,\"trace_start\":%llu", h->part, h->trace_start);
	fprintf(f, ",\"boot_to_wall_ns\":%lld,\"waits_counted\":true,\"options\":{"
		   "\"follow_pid\":%d,\"threads\":%s,\"wait_records\":%s,\"zombie_ms\":%u,"
		   "\"ring_kb\":%u,\"command\":",
		h->boot_to_wall_ns, h->follow_pid, h->threads ? "true" : "false",
		h->wait_records ? "true" : "false", h->zombie_ms, h->ring_kb);
	if (h->command) {
		/* argv as given: words with spaces stay words */
		for (char *const *a = h->command; *a; a++) {
			fputc(a == h->command ? '[' : ',', f);
			json_put_string(f, *a);
		}
		fputc(']', f);
	} else {
		fputs("null", f);
	}
	fputs("},\"mechanisms\":{", f);
	for (unsigned i = 0; pl_mechanism_name(h->mechanisms, i, &name, &value); i++)
		fprintf(f, "%s\"%s\":\"%s\"", i ? "," : "", name, value);
	fputs("}}\n", f);
}

void jsonl_lost(FILE *f, unsigned long long ts, unsigned kind, unsigned long long count)
{
	fprintf(f, "{\"ev\":\"lost\",\"ts\":%llu,\"kind\":\"%s\",\"count\":%llu}\n", ts,
		pl_kind_name(kind), count);
}

void jsonl_follow(FILE *f, unsigned long long ts, unsigned pid)
{
	fprintf(f, "{\"ev\":\"follow\",\"ts\":%llu,\"pid\":%u}\n", ts, pid);
}

static void put_counts(FILE *f, const char *key, const unsigned long long *v)
{
	const char *sep = "";

	fprintf(f, ",\"%s\":{", key);
	for (unsigned k = PL_EV_FORK; k < PL_EV_KINDS; k++) {
		fprintf(f, "%s\"%s\":%llu", sep, pl_kind_name(k), v[k]);
		sep = ",";
	}
	fputc('}', f);
}

void jsonl_trailer(FILE *f, const struct pl_log_trailer *t)
{
	unsigned long long lost = 0;
	const char *sep = "";

	for (unsigned k = 0; k < PL_EV_KINDS; k++)
		lost = count_add(lost, t->lost[k]);
	fprintf(f, "{\"ev\":\"trailer\",\"ts\":%llu", t->ts);
	put_counts(f, "events", t->events);
	put_counts(f, "lost", t->lost);
	fprintf(f, ",\"lost_total\":%llu,\"stats\":{", lost);
	for (unsigned s = 0; s < PL_STATS; s++) {
		fprintf(f, "%s\"%s\":%llu", sep, pl_stat_name(s), t->stats[s]);
		sep = ",";
	}
	fputs("},\"alive\":[", f);
	for (size_t i = 0; i < t->nalive; i++) {
		fprintf(f, "%s{\"pid\":%u,\"start\":%llu,\"comm\":", i ? "," : "", t->alive[i].pid,
			(unsigned long long)t->alive[i].start);
		json_put_string(f, t->alive[i].comm);
		if (!json_is_utf8(t->alive[i].comm, sizeof(t->alive[i].comm))) {
			char hex[2 * PL_COMM_LEN + 2];

			fputs(",\"comm_hex\":", f);
			fwrite(hex, 1, (size_t)(put_hex(hex, t->alive[i].comm,
						       strnlen(t->alive[i].comm, PL_COMM_LEN)) - hex), f);
		}
		fputc('}', f);
	}
	fputc(']', f);
	if (t->exit_status >= 0)
		fprintf(f, ",\"exit_status\":%d", t->exit_status);
	if (t->ring_records)
		fprintf(f, ",\"ring\":{\"records\":%llu,\"bytes\":%llu}", t->ring_records,
			t->ring_bytes);
	if (t->lines_dropped)
		fprintf(f, ",\"lines_dropped\":%llu", t->lines_dropped);
	if (t->tracer_cpu.cpu_ns)
		fprintf(f, ",\"tracer_cpu\":{\"user_ns\":%llu,\"sys_ns\":%llu,\"cpu_ns\":%llu,"
			   "\"write_ns\":%llu}",
			t->tracer_cpu.user_ns, t->tracer_cpu.sys_ns, t->tracer_cpu.cpu_ns,
			t->tracer_cpu.write_ns);
	fputs("}\n", f);
}
