// SPDX-License-Identifier: BSD-2-Clause
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "log/fields.h"
#include "log/writer.h"
#include "util/json.h"
#include "util/names.h"
#include "util/status.h"
#include "util/count.h"

/* from the bit length: log10(2) is close to 1233 / 4096 */
static inline __attribute__((always_inline)) unsigned digits32(unsigned v)
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
static inline __attribute__((always_inline)) __u64 eight_digits(unsigned v)
{
	__u64 x = (__u64)(v / 10000) | ((__u64)(v % 10000) << 32), y;

	y = ((x * 10486) >> 20) & 0x0000007f0000007fULL; /* / 100 */
	x = y | ((x - y * 100) << 16);
	y = ((x * 103) >> 10) & 0x000f000f000f000fULL;   /* / 10 */
	x = y | ((x - y * 10) << 8);
	return x + 0x3030303030303030ULL;
}

static inline __attribute__((always_inline)) char *put_8_digits(char *p, unsigned v)
{
	__u64 x = eight_digits(v);

	memcpy(p, &x, 8);
	return p + 8;
}

/* v < 10^8 without its leading zeros: the word shifted past them, stored
 * whole whatever its length (the line has room past its end, as for keys) */
static inline __attribute__((always_inline)) char *put_below_1e8(char *p, unsigned v)
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

/*
 * The text of the process starts written lately, by value: a parent's start
 * time comes again in each line about its children (ppid's pstart, a
 * reaper's reaper_start), and the high digits of a time since boot again
 * in each line of the same tenth of a second. Per thread, as the memo of
 * identities below.
 */
#define NUMBER_SLOTS 16

struct number_memo {
	unsigned long long v;
	unsigned len;
	char text[24]; /* 2^64 has 20 digits: copied whole, as a word is */
};

static _Thread_local struct number_memo numbers[NUMBER_SLOTS];
static _Thread_local struct {
	unsigned high; /* v / 10^8 of the last time written, and its text */
	unsigned len;
	__u64 word;
} high_digits;

/* v / 10^8 below 10^8 without its leading zeros, from the last one's text
 * when it is the same */
static inline __attribute__((always_inline)) char *put_high(char *p, unsigned high)
{
	if (high != high_digits.high || !high_digits.len) {
		high_digits.high = high;
		high_digits.len = digits32(high);
		high_digits.word = eight_digits(high) >> (8 * (8 - high_digits.len));
	}
	memcpy(p, &high_digits.word, 8);
	return p + high_digits.len;
}

/* a number past 32 bits: two words of 8 digits, or three (a time in ns
 * since boot has 10 digits 4.3 s after boot, 14 a day after) */
static inline __attribute__((always_inline)) char *put_past_u32(char *p, unsigned long long v)
{
	if (v < 10000000000000000ULL)
		p = put_high(p, (unsigned)(v / 100000000ULL));
	else
		p = put_8_digits(put_below_1e8(p, (unsigned)(v / 10000000000000000ULL)),
				 (unsigned)(v / 100000000ULL % 100000000ULL));
	return put_8_digits(p, (unsigned)(v % 100000000ULL));
}

/* a number that is seldom written twice (the time of this event, a CPU
 * time): the memo would only lose the ones that come again */
static char *put_u64(char *p, unsigned long long v)
{
	if (v <= 0xffffffffULL)
		return put_u32(p, (unsigned)v);
	return put_past_u32(p, v);
}

/* a process's start, which comes again in the lines of its children and
 * of what it reaps: from the memo when written lately */
static char *put_start(char *p, unsigned long long v)
{
	struct number_memo *m;
	char *from = p;

	if (v <= 0xffffffffULL)
		return put_u32(p, (unsigned)v);
	m = &numbers[(v ^ (v >> 27)) % NUMBER_SLOTS];
	if (m->v == v && m->len) {
		memcpy(p, m->text, sizeof(m->text));
		return p + m->len;
	}
	p = put_past_u32(p, v);
	m->v = v;
	m->len = (unsigned)(p - from);
	memcpy(m->text, from, sizeof(m->text));
	return p;
}

/* the parent or reaper a line names: the same one in the lines of each of
 * its children (a shell's, a server's, a storm's), its text kept from the
 * last. A pid is below 2^22: its text fits a word */
static _Thread_local struct {
	unsigned pid, len;
	__u64 word;
} other;

static char *put_other(char *p, unsigned pid)
{
	char *from = p;

	if (pid == other.pid && other.len) {
		memcpy(p, &other.word, 8);
		return p + other.len;
	}
	p = put_u32(p, pid);
	if (pid < 100000000) {
		other.pid = pid;
		other.len = (unsigned)(p - from);
		memcpy(&other.word, from, 8);
	}
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

/* one of the tool's own names (an adopter's kind, why a kill came): plain
 * ASCII, escaped all the same */
static char *put_raw_string(char *p, const char *s)
{
	return json_escape(p, s, strlen(s));
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

/* the status again, decoded, for readers who do not want to decode it */
static char *put_decoded(char *p, int status)
{
	struct pl_status s = pl_status_decode(status);
	const char *name;

	if (!pl_status_is_wait(status))
		return p; /* a kernel thread's return: nothing to decode */
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
 * The length of a name in a char array of PL_COMM_LEN bytes (up to its
 * NUL, or the whole array) when every byte of it is printable ASCII that
 * JSON takes as it is (no quote, no backslash), else -1: as most names
 * are. Eight bytes at a time (json_unplain_bytes(), which flags the NUL
 * as a byte below a space).
 */
static inline __attribute__((always_inline)) int plain_name_len(const char *s)
{
	_Static_assert(PL_COMM_LEN % 8 == 0, "a name is read a word at a time");
	for (int at = 0; at < PL_COMM_LEN; at += 8) {
		__u64 x, odd;

		memcpy(&x, s + at, 8);
		odd = json_unplain_bytes(x);
		if (odd) {
			int k = at + (__builtin_ctzll(odd) >> 3);

			return s[k] ? -1 : k;
		}
	}
	return PL_COMM_LEN;
}

/* a name of PL_COMM_LEN bytes as a JSON string: copied whole when plain */
static char *put_name(char *p, const char *s)
{
	int n = plain_name_len(s);

	if (n < 0)
		return json_escape(p, s, PL_COMM_LEN);
	*p++ = '"';
	memcpy(p, s, PL_COMM_LEN);
	p += n;
	*p++ = '"';
	return p;
}

/*
 * Each kind's line is written by code made from the field list
 * (field_list.h) for that kind alone: its fields in the list's order, each
 * key a constant whose copy the compiler makes a few moves, the kinds and
 * conditions that do not apply to it dropped when compiled.
 */
#define KEY(name) ",\"" name "\":"
#define COPY(p, text) (memcpy((p), text, sizeof(text) - 1), (p) + sizeof(text) - 1)

/* a field is written for this event: of its kind, and with its flags */
#define APPLIES(kind, kinds, when)                                                              \
	(((kinds) & PL_K(kind)) && (!(when) || (e->flags & (when)) == (when)))

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

/* a string's exact bytes as `,"name_hex":"..."` when they are not UTF-8
 * (its escaped form lost them); nothing when they are */
static char *put_exact_bytes(char *p, const char *key, size_t keylen, const char *s, size_t n)
{
	if (json_is_utf8(s, n))
		return p;
	memcpy(p, key, keylen);
	return put_hex(p + keylen, s, n);
}

/*
 * A path a line names (its cgroup, an exec's file), kept with its text and
 * whether it is UTF-8, one per member: the lines of a storm, a build or a
 * service name the same cgroup again and again, and comparing it costs less
 * than escaping and checking it. A longer path is written each time. The
 * member's exact bytes (PL_FT_PHEX) come right after it in the line and ask
 * whether the path just written was UTF-8 (told, then forgotten).
 */
#define PATH_MEMO_MAX 256

struct path_memo {
	bool kept, utf8;
	unsigned text_len;
	const char *told; /* the path just written, whose utf8 is known */
	char path[PATH_MEMO_MAX];
	char text[PATH_MEMO_MAX * 6 + 2]; /* each byte at most \u00XX, and quotes */
};

enum { PATH_CGROUP, PATH_FILENAME, PATH_MEMOS };
static _Thread_local struct path_memo paths[PATH_MEMOS];

#define PATH_MEMO(member)                                                                       \
	(&paths[offsetof(struct pl_event, member) == offsetof(struct pl_event, cgroup) ?         \
			PATH_CGROUP :                                                            \
			PATH_FILENAME])

static char *put_path(char *p, struct path_memo *m, const char *s)
{
	char *from = p;
	size_t n;

	if (m->kept && !strcmp(s, m->path)) {
		memcpy(p, m->text, m->text_len);
		m->told = s;
		return p + m->text_len;
	}
	n = strlen(s);
	p = json_escape(p, s, n);
	m->kept = n < PATH_MEMO_MAX;
	m->told = NULL;
	if (m->kept) {
		memcpy(m->path, s, n + 1);
		m->text_len = (unsigned)(p - from);
		memcpy(m->text, from, m->text_len);
		m->utf8 = json_is_utf8(s, n);
		m->told = s;
	}
	return p;
}

/* a path's exact bytes when it is not UTF-8: nothing when put_path
 * learned it is */
static char *put_path_bytes(char *p, const char *key, size_t keylen, struct path_memo *m,
			    const char *s)
{
	bool utf8 = m->told == s && m->utf8;

	m->told = NULL;
	return utf8 ? p : put_exact_bytes(p, key, keylen, s, strlen(s));
}

/* the arguments' exact bytes, each in hex, when any is not UTF-8 */
static char *put_argv_hex(char *p, const char *key, size_t keylen, const char *args, size_t len)
{
	size_t at = 0;

	if (!args || args_are_utf8(args, len))
		return p;
	memcpy(p, key, keylen);
	p += keylen;
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

/* member is a process's start time: a constant */
#define IS_A_START(member)                                                                      \
	(offsetof(struct pl_event, member) == offsetof(struct pl_event, start) ||                \
	 offsetof(struct pl_event, member) == offsetof(struct pl_event, pstart) ||               \
	 offsetof(struct pl_event, member) == offsetof(struct pl_event, killer_start))

/* member is the other process a line names: its parent, reaper, old
 * parent or middle */
#define IS_THE_OTHER(member) (offsetof(struct pl_event, member) == offsetof(struct pl_event, ppid))

/* one field of each type: member is e's member, its size a constant */
#define PUT_PL_FT_U32(p, name, member, bit, if_set)                                             \
	do {                                                                                     \
		if ((if_set) && !e->member)                                                      \
			break;                                                                   \
		p = COPY(p, KEY(name));                                                          \
		p = IS_THE_OTHER(member)     ? put_other(p, (unsigned)e->member)                 \
		    : sizeof(e->member) != 8 ? put_u32(p, (unsigned)e->member)                   \
		    : IS_A_START(member)   ? put_start(p, (unsigned long long)e->member)         \
					   : put_u64(p, (unsigned long long)e->member);          \
	} while (0)
#define PUT_PL_FT_U64 PUT_PL_FT_U32
#define PUT_PL_FT_S32(p, name, member, bit, if_set)                                             \
	do {                                                                                     \
		p = COPY(p, KEY(name));                                                          \
		p = put_s64(p, e->member);                                                       \
	} while (0)
#define PUT_PL_FT_FLAG(p, name, member, bit, if_set)                                            \
	do {                                                                                     \
		if (e->member & (bit))                                                           \
			p = COPY(p, KEY(name) "true");                                           \
		else if (!(if_set))                                                              \
			p = COPY(p, KEY(name) "false");                                          \
	} while (0)
#define PUT_PL_FT_STR(p, name, member, bit, if_set)                                             \
	do {                                                                                     \
		if ((if_set) && !e->member[0])                                                   \
			break;                                                                   \
		p = COPY(p, KEY(name));                                                          \
		p = sizeof(e->member) == PL_COMM_LEN ? put_name(p, e->member) :                  \
						       json_escape(p, e->member, sizeof(e->member)); \
	} while (0)
#define PUT_PL_FT_PSTR(p, name, member, bit, if_set)                                            \
	do {                                                                                     \
		if (!e->member)                                                                  \
			break;                                                                   \
		p = COPY(p, KEY(name));                                                          \
		p = put_path(p, PATH_MEMO(member), e->member);                                   \
	} while (0)
#define PUT_PL_FT_ARGV(p, name, member, bit, if_set)                                            \
	do {                                                                                     \
		if (!e->member)                                                                  \
			break;                                                                   \
		p = COPY(p, KEY(name));                                                          \
		p = put_argv(p, e->member, e->args_len);                                         \
	} while (0)
#define PUT_PL_FT_KILLWHY(p, name, member, bit, if_set)                                         \
	do {                                                                                     \
		p = COPY(p, KEY(name));                                                          \
		p = put_raw_string(p, pl_kill_why_name(e->member));                              \
	} while (0)
#define PUT_PL_FT_EUID(p, name, member, bit, if_set)                                            \
	do {                                                                                     \
		if (e->member == e->uid)                                                         \
			break;                                                                   \
		p = COPY(p, KEY(name));                                                          \
		p = put_u64(p, e->member);                                                       \
	} while (0)
/* a plain ASCII name is UTF-8: no exact bytes to add */
#define PUT_PL_FT_HEX(p, name, member, bit, if_set)                                             \
	do {                                                                                     \
		if (sizeof(e->member) != PL_COMM_LEN || plain_name_len(e->member) < 0)           \
			p = put_exact_bytes(p, KEY(name), sizeof(KEY(name)) - 1, e->member,      \
					    strnlen(e->member, sizeof(e->member)));              \
	} while (0)
#define PUT_PL_FT_PHEX(p, name, member, bit, if_set)                                            \
	do {                                                                                     \
		if (e->member)                                                                   \
			p = put_path_bytes(p, KEY(name), sizeof(KEY(name)) - 1,                  \
					   PATH_MEMO(member), e->member);                        \
	} while (0)
#define PUT_PL_FT_ARGVHEX(p, name, member, bit, if_set)                                         \
	(p = put_argv_hex(p, KEY(name), sizeof(KEY(name)) - 1, e->member, e->args_len))
#define PUT_PL_FT_ADOPT(p, name, member, bit, if_set)                                           \
	do {                                                                                     \
		if ((if_set) && !e->member)                                                      \
			break;                                                                   \
		p = COPY(p, KEY(name));                                                          \
		p = put_raw_string(p, pl_adopter_name((unsigned)e->member));                     \
	} while (0)

/* a field of the list, for the kind X */
#define PUT_FIELD(X, name, kinds, type, member, bit, required, if_set, when)                    \
	if (APPLIES(X, kinds, when))                                                             \
		PUT_##type(p, name, member, bit, if_set);

/* the fields that say which process a line is about: every kind's alike */
static char *put_id_fields(char *p, const struct pl_event *e)
{
	PL_FIELDS_ID(PUT_FIELD, PL_EV_FORK)
	return p;
}

#define ID_FIELD_OF_EVERY_KIND(X, name, kinds, type, member, bit, required, if_set, when)       \
	_Static_assert((kinds) == PL_K_ALL && !(if_set) && !(when), name " is every line's");
PL_FIELDS_ID(ID_FIELD_OF_EVERY_KIND, _)

/* each kind's own code: its opening, ts, and what follows its process */
#define KIND_WRITER(kind, ev)                                                                   \
	static char *put_head_##kind(char *p, const struct pl_event *e)                         \
	{                                                                                        \
		p = COPY(p, "{\"ev\":\"" ev "\"");                                               \
		PL_FIELDS_HEAD(PUT_FIELD, kind)                                                  \
		return p;                                                                        \
	}                                                                                        \
	static char *put_rest_##kind(char *p, const struct pl_event *e)                         \
	{                                                                                        \
		PL_FIELDS_REST(PUT_FIELD, kind)                                                  \
		return p;                                                                        \
	}

KIND_WRITER(PL_EV_FORK, "fork")
KIND_WRITER(PL_EV_EXEC, "exec")
KIND_WRITER(PL_EV_EXIT, "exit")
KIND_WRITER(PL_EV_ZOMBIE, "zombie")
KIND_WRITER(PL_EV_WAIT, "wait")
KIND_WRITER(PL_EV_REAP, "reap")
KIND_WRITER(PL_EV_REPARENT, "reparent")
KIND_WRITER(PL_EV_FREE, "free")
KIND_WRITER(PL_EV_PROC, "proc")
KIND_WRITER(PL_EV_WAITS, "waits")
KIND_WRITER(PL_EV_ZOMBIE_LONG, "zombie_long")
KIND_WRITER(PL_EV_DOUBLE_FORK, "double_fork")
KIND_WRITER(PL_EV_EXEC_FAILED, "exec_failed")
_Static_assert(PL_EV_KINDS == PL_EV_DOUBLE_FORK + 1, "a kind without its writer");

struct kind_writer {
	char *(*head)(char *p, const struct pl_event *e);
	char *(*rest)(char *p, const struct pl_event *e);
};

#define WRITER(kind) [kind] = { put_head_##kind, put_rest_##kind }
static const struct kind_writer writers[PL_EV_KINDS] = {
	WRITER(PL_EV_FORK),   WRITER(PL_EV_EXEC),	  WRITER(PL_EV_EXIT),
	WRITER(PL_EV_ZOMBIE), WRITER(PL_EV_WAIT),	  WRITER(PL_EV_REAP),
	WRITER(PL_EV_REPARENT), WRITER(PL_EV_FREE),	  WRITER(PL_EV_PROC),
	WRITER(PL_EV_WAITS),  WRITER(PL_EV_ZOMBIE_LONG), WRITER(PL_EV_DOUBLE_FORK),
	WRITER(PL_EV_EXEC_FAILED),
};

/*
 * The fields that say which process a line is about (PL_FIELDS_ID: pid,
 * tid, start, comm, comm_hex, every kind's first after ts) read nothing
 * else of the event, and a process's fork, exit, zombie and reap lines
 * repeat them: their text is kept per pid slot and copied while pid, tid,
 * start and comm are the same. Per thread: formatting has no lock to take.
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

static char *put_identity(char *p, const struct pl_event *e)
{
	struct id_memo *m = &memo[e->pid % MEMO_SLOTS];
	char *from = p;

	if (m->len && m->pid == e->pid && m->tid == e->tid && m->start == e->start &&
	    !memcmp(m->comm, e->comm, PL_COMM_LEN)) {
		memcpy(p, m->text, m->len);
		return p + m->len;
	}
	p = put_id_fields(p, e);
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
	const struct kind_writer *w;
	char *p = buf;

	if (e->kind >= PL_EV_KINDS || !e->kind)
		return 0;
	w = &writers[e->kind];
	p = w->head(p, e);
	p = put_identity(p, e);
	p = w->rest(p, e);
	if (e->kind == PL_EV_EXIT || e->kind == PL_EV_ZOMBIE ||
	    (e->kind == PL_EV_REAP && !(e->flags & PL_F_STATUS_UNKNOWN)) ||
	    (e->kind == PL_EV_PROC && (e->flags & PL_F_ZOMBIE)))
		p = put_decoded(p, e->status);
	*p++ = '}';
	*p++ = '\n';
	return (size_t)(p - buf);
}

/* the line made apart, then given to the stream: kept out of jsonl_event,
 * whose usual path then needs no room for the longest line on its stack */
static __attribute__((noinline, cold)) void jsonl_event_copied(FILE *f, const struct pl_event *e)
{
	char buf[PL_JSONL_LINE_MAX];

	/* one writer per stream: the stdio lock would be taken for nothing */
	fwrite_unlocked(buf, 1, jsonl_format_event(buf, e), f);
}

size_t jsonl_line_room(const struct pl_event *e)
{
	size_t text = e->args ? e->args_len : 0;

	if (e->filename)
		text += strlen(e->filename);
	if (e->cgroup)
		text += strlen(e->cgroup);
	return text < (PL_JSONL_LINE_MAX - PL_JSONL_PLAIN_LINE_MAX) / 16 ?
		       PL_JSONL_PLAIN_LINE_MAX + 16 * text :
		       PL_JSONL_LINE_MAX;
}

void jsonl_event(FILE *f, const struct pl_event *e)
{
#if defined(__GLIBC__) && !defined(__UCLIBC__)
	/* room for the longest line in a fully buffered stream's own buffer
	 * (a file's is 1 MiB): the line is made there, not copied there. A
	 * line buffered stream keeps no room (its write end is its base) */
	long left = f->_IO_write_ptr ? (long)(f->_IO_write_end - f->_IO_write_ptr) : 0;

	/* the longest line's room, mostly, without measuring this one's */
	if (left >= PL_JSONL_LINE_MAX || (left > 0 && (size_t)left >= jsonl_line_room(e))) {
		f->_IO_write_ptr += jsonl_format_event(f->_IO_write_ptr, e);
		return;
	}
#endif
	jsonl_event_copied(f, e);
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
		if (t->stats[s] == PL_NOT_COUNTED)
			continue;
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
