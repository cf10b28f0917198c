#include <string.h>
#include "log/fields.h"
#include "log/writer.h"
#include "util/json.h"
#include "util/names.h"
#include "util/status.h"

static const char *const stat_names[PL_STATS] = {
	[PL_STAT_REPARENT_UNCHECKED] = "reparent_unchecked",
	[PL_STAT_CHILDREN_TRUNCATED] = "children_truncated",
	[PL_STAT_ZOMBIE_TABLE_FULL] = "zombie_table_full",
	[PL_STAT_FOLLOW_TABLE_FULL] = "follow_table_full",
	[PL_STAT_EXITING_TABLE_FULL] = "exiting_table_full",
};

/* decimal without printf: this runs once per field per event */
static char *put_u64(char *p, unsigned long long v)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
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

size_t jsonl_format_event(char *buf, const struct pl_event *e)
{
	unsigned kbit = PL_K(e->kind);
	char *p = buf;

	p = put_raw(p, "{\"ev\":");
	p = json_escape(p, pl_kind_name(e->kind), 16);
	for (size_t i = 0; i < pl_nfields; i++) {
		const struct pl_field *f = &pl_fields[i];
		unsigned long long v;

		if (!(f->kinds & kbit))
			continue;
		switch (f->type) {
		case PL_FT_STR:
			p = put_key(p, f->name);
			p = json_escape(p, (const char *)e + f->offset, f->size);
			break;
		case PL_FT_HEX: {
			const char *str = (const char *)e + f->offset;

			if (json_is_utf8(str, f->size))
				break;
			p = put_key(p, f->name);
			p = put_hex(p, str, strnlen(str, f->size));
			break;
		}
		case PL_FT_FLAG:
			if (f->if_set && !(e->flags & f->bit))
				break;
			p = put_key(p, f->name);
			p = put_raw(p, e->flags & f->bit ? "true" : "false");
			break;
		case PL_FT_ADOPT:
			p = put_key(p, f->name);
			p = json_escape(p, pl_adopter_name((unsigned)e->aux), 16);
			break;
		case PL_FT_S32:
			p = put_key(p, f->name);
			p = put_s64(p, (__s32)member_u64(e, f));
			break;
		default:
			v = member_u64(e, f);
			if (f->if_set && !v)
				break;
			p = put_key(p, f->name);
			p = put_u64(p, v);
		}
	}
	if (e->kind == PL_EV_EXIT || e->kind == PL_EV_ZOMBIE || e->kind == PL_EV_REAP ||
	    (e->kind == PL_EV_PROC && (e->flags & PL_F_ZOMBIE)))
		p = put_decoded(p, e->status);
	*p++ = '}';
	*p++ = '\n';
	return (size_t)(p - buf);
}

void jsonl_event(FILE *f, const struct pl_event *e)
{
	char buf[PL_JSONL_LINE_MAX];

	fwrite(buf, 1, jsonl_format_event(buf, e), f);
}

void jsonl_header(FILE *f, const struct pl_log_header *h)
{
	const char *name, *value;

	fprintf(f, "{\"ev\":\"header\",\"format\":\"%s\",\"version\":%d,\"ts\":%llu,\"kernel\":",
		PL_LOG_FORMAT, PL_LOG_VERSION, h->ts);
	json_put_string(f, h->kernel ? h->kernel : "");
	fputs(",\"host\":", f);
	json_put_string(f, h->host ? h->host : "");
	fprintf(f, ",\"boot_to_wall_ns\":%lld,\"options\":{\"follow_pid\":%d,\"threads\":%s,"
		   "\"zombie_ms\":%u,\"ring_kb\":%u,\"command\":",
		h->boot_to_wall_ns, h->follow_pid, h->threads ? "true" : "false", h->zombie_ms,
		h->ring_kb);
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
		lost += t->lost[k];
	fprintf(f, "{\"ev\":\"trailer\",\"ts\":%llu", t->ts);
	put_counts(f, "events", t->events);
	put_counts(f, "lost", t->lost);
	fprintf(f, ",\"lost_total\":%llu,\"stats\":{", lost);
	for (unsigned s = 0; s < PL_STATS; s++) {
		fprintf(f, "%s\"%s\":%llu", sep, stat_names[s], t->stats[s]);
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
	fputs("}\n", f);
}
