// SPDX-License-Identifier: BSD-2-Clause
/* The JSONL writer and reader against each other, and the reader against
 * malformed lines: what trace writes, replay must read back exactly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "check.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>
#include "log/json_line.h"
#include "log/writer.h"
#include "log/fields.h"
#include "log/reader.h"

/* an event of `kind` with every member the log carries for it set */
static struct pl_event sample(unsigned kind)
{
	struct pl_event e = { 0 };

	e.kind = kind;
	e.ts = 123456789012345ULL;
	e.start = 98765432101ULL;
	e.pid = 4242;
	e.tid = 4243;
	e.ppid = 17;      /* and the other process's other names */
	e.threads = 99;   /* and new_parent, old_tid, target... */
	e.pstart = 5555555;
	e.zombie_ns = 300000123;
	e.status = kind == PL_EV_EXIT ? 0x86 : 7 << 8;
	e.nice = kind == PL_EV_REPARENT ? PL_ADOPT_SUBREAPER : -9; /* and adopter, options */
	e.waits = 12;
	e.nohang_polls = 5;
	e.parent_kind = kind == PL_EV_EXIT ? PL_ADOPT_INIT : 0;
	e.cpu = 1;
	e.ns_pid = 3;
	e.ns_level = 1;
	e.ns_inum = 4026531836u;
	strcpy(e.comm, "w\"eird\\name\n");
	if (kind == PL_EV_EXEC || kind == PL_EV_EXEC_FAILED) {
		e.filename = "/usr/bin/caf\xc3\xa9 \x01";
		e.args = "caf\xc3\xa9\0-x\0with \"quotes\"\nand a newline\0\0last\0";
		e.args_len = sizeof("caf\xc3\xa9\0-x\0with \"quotes\"\nand a newline\0\0last\0") - 1;
		e.err = 13;
	}
	e.flags = PL_F_THREAD | PL_F_NOHANG | PL_F_AUTO | PL_F_WHO | PL_F_USAGE | PL_F_KILLER |
		  PL_F_THEN_ZOMBIE;
	e.uid = 1000;
	e.gid = 1001;
	e.euid = 0;
	e.cgroup_id = 7777;
	e.cgroup = "/system.slice/some \"unit\".service";
	e.cpu_user_ns = 1234567;
	e.cpu_sys_ns = 7654321;
	e.max_rss_kb = 4096;
	e.killer = 99;
	e.killer_start = 888;
	e.kill_why = PL_KILL_SENT;
	strcpy(e.killer_comm, "timeout");
	return e;
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* the members the table maps for this kind, so the rest can be zeroed */
static struct pl_event only_logged(const struct pl_event *in)
{
	struct pl_event out = { 0 };
	unsigned kbit = PL_K(in->kind);

	out.kind = in->kind;
	for (size_t i = 0; i < pl_nfields; i++) {
		const struct pl_field *f = &pl_fields[i];

		if (!(f->kinds & kbit) || (in->flags & f->when) != f->when)
			continue;
		if (f->type == PL_FT_FLAG)
			out.flags |= in->flags & f->bit;
		else
			memcpy((char *)&out + f->offset, (const char *)in + f->offset, f->size);
		out.flags |= in->flags & f->when;
		if (f->type == PL_FT_ARGV)
			out.args_len = in->args_len;
	}
	return out;
}

static void test_every_kind_round_trips(void **state)
{
	struct pl_log_parser *p = pl_log_parser_new();

	(void)state;
	for (unsigned k = PL_EV_FORK; k < PL_EV_KINDS; k++) {
		struct pl_event e = sample(k), want = only_logged(&e);
		struct pl_log_line line;
		char buf[PL_JSONL_LINE_MAX], err[256] = "";
		size_t n = jsonl_format_event(buf, &e);

		ASSERT_TRUE(n > 1 && buf[n - 1] == '\n', "the formatted line ends in a newline");
		ASSERT_EQ(pl_log_parse_line(p, buf, n - 1, &line, err, sizeof(err)), 0, "parsing the formatted line");
		ASSERT_EQ(line.kind, PL_LINE_EVENT, "the parsed line's kind");
		line.ev.flags &= ~PL_F_DERIVED;
		/* the strings come back equal, in the parser's room */
		ASSERT_TRUE(same_str(line.ev.filename, want.filename), "the file name comes back");
		ASSERT_TRUE(same_str(line.ev.cgroup, want.cgroup), "the cgroup comes back");
		ASSERT_EQ(line.ev.args_len, want.args_len, "the arguments' length");
		ASSERT_TRUE(!want.args_len || !memcmp(line.ev.args, want.args, want.args_len),
			    "the arguments come back byte for byte");
		line.ev.filename = want.filename;
		line.ev.cgroup = want.cgroup;
		line.ev.args = want.args;
		if (memcmp(&line.ev, &want, sizeof(want)))
			fail_msg("kind %u does not round-trip: %.*s", k, (int)n, buf);
	}
	pl_log_parser_free(p);
}

/* an event at its longest for its file name, arguments and cgroup path
 * (none: every line but an exec's, a fork's and a few exits'): every flag,
 * every number at 20 digits, every name's byte escaped six-fold and in hex */
static struct pl_event longest(unsigned kind, const char *filename, const char *args,
			       size_t args_len, const char *cgroup)
{
	struct pl_event e;

	memset(&e, 0xff, sizeof(e));
	e.kind = kind;
	e.filename = filename;
	e.args = args;
	e.args_len = (__u32)args_len;
	e.cgroup = cgroup;
	e.uid = 0; /* euid differs: written too */
	memset(e.comm, 0x01, sizeof(e.comm) - 1);
	e.comm[sizeof(e.comm) - 1] = 0;
	memset(e.killer_comm, 0xff, sizeof(e.killer_comm) - 1);
	e.killer_comm[sizeof(e.killer_comm) - 1] = 0;
	return e;
}

/* the room the writer leaves for a line in place holds it, and the words
 * it may store past its end */
static void test_a_line_fits_its_room(void **state)
{
	static char buf[PL_JSONL_LINE_MAX], name[4097], args[4096];
	const size_t lens[] = { 0, 1, 2, 100, 4095 };

	(void)state;
	for (unsigned k = PL_EV_FORK; k < PL_EV_KINDS; k++) {
		struct pl_event e = longest(k, NULL, NULL, 0, NULL);
		size_t n = jsonl_format_event(buf, &e);

		if (!n || n + 24 > PL_JSONL_PLAIN_LINE_MAX || jsonl_line_room(&e) != PL_JSONL_PLAIN_LINE_MAX)
			fail_msg("kind %u: a plain line of %zu bytes, room %zu", k, n, jsonl_line_room(&e));
		for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
			/* control bytes and bytes that are no UTF-8; arguments
			 * of one byte each, or none (each a NUL alone) */
			for (size_t b = 0; b < lens[i]; b++)
				name[b] = b % 2 ? (char)0xff : 0x01;
			name[lens[i]] = 0;
			for (int empty = 0; empty < 2; empty++) {
				for (size_t b = 0; b < lens[i]; b++)
					args[b] = empty || b % 2 ? 0 : 0x01;
				e = longest(k, name, lens[i] ? args : NULL, lens[i], name);
				n = jsonl_format_event(buf, &e);
				if (n + 24 > jsonl_line_room(&e))
					fail_msg("kind %u, names of %zu bytes: a line of %zu, room %zu",
						 k, lens[i], n, jsonl_line_room(&e));
			}
		}
	}
}

/* a reap whose status was not seen says so, and decodes no code from it */
static void test_a_status_not_seen_is_not_decoded(void **state)
{
	struct pl_event e = { .kind = PL_EV_REAP, .ts = 5, .pid = 7, .tid = 7, .reaper = 1,
			      .flags = PL_F_UNMATCHED | PL_F_STATUS_UNKNOWN };
	char buf[PL_JSONL_LINE_MAX];
	size_t n = jsonl_format_event(buf, &e);

	(void)state;
	buf[n] = 0;
	ASSERT_CONTAINS(buf, "\"status_unknown\":true", "the flag");
	ASSERT_NULL(strstr(buf, "\"code\""), "no code decoded from a status not seen");
}

/* numbers of every length, 0 to 2^64 - 1, come back as written */
static void test_numbers_of_every_length_round_trip(void **state)
{
	struct pl_log_parser *p = pl_log_parser_new();
	unsigned long long v = 0;

	(void)state;
	for (int digits = 1; digits <= 20; digits++) {
		unsigned long long tries[] = { v, v + 1, v * 10 + 9 };

		for (size_t i = 0; i < 3; i++) {
			struct pl_event e = sample(PL_EV_FORK);
			struct pl_log_line line;
			char buf[PL_JSONL_LINE_MAX], err[256] = "";
			size_t n;

			e.ts = tries[i];
			e.start = ~0ULL - tries[i];
			e.pid = tries[i] ? (__u32)tries[i] : 1; /* no process has pid 0 */
			n = jsonl_format_event(buf, &e);
			ASSERT_EQ(pl_log_parse_line(p, buf, n - 1, &line, err, sizeof(err)), 0, "parsing the formatted line");
			if (line.ev.ts != e.ts || line.ev.start != e.start || line.ev.pid != e.pid)
				fail_msg("%llu, %llu or %u did not come back: %.*s", e.ts, e.start, e.pid, (int)n, buf);
			/* a fork's time is its child's start: one number three
			 * times in a line, the later ones from the memo */
			e.ts = e.start = e.pstart = tries[i] + 7;
			n = jsonl_format_event(buf, &e);
			ASSERT_EQ(pl_log_parse_line(p, buf, n - 1, &line, err, sizeof(err)), 0, "parsing the formatted line");
			if (line.ev.ts != e.ts || line.ev.start != e.ts || line.ev.pstart != e.ts)
				fail_msg("%llu did not come back three times: %.*s", e.ts, (int)n, buf);
		}
		v = v ? v * 10 : 1;
	}
	pl_log_parser_free(p);
}

/* numbers as printf writes them: the digits are made several at a time,
 * so every length and many values of each 8-digit part are tried, each
 * twice (the second time from the writer's memo of recent numbers) */
static void test_numbers_are_written_as_printf_writes_them(void **state)
{
	static const unsigned long long highs[] = { 0, 1, 99, 123456, 4294967295ULL, 184467440737ULL };

	(void)state;
	for (size_t h = 0; h < sizeof(highs) / sizeof(highs[0]); h++) {
		for (unsigned long long low = 0; low < 100000000ULL; low += low < 1000 ? 1 : 99991) {
			struct pl_event e = sample(PL_EV_ZOMBIE);
			char buf[PL_JSONL_LINE_MAX], want[64];
			size_t n;

			e.ts = highs[h] * 100000000ULL + low;
			e.pid = (__u32)(e.ts % 4294967296ULL);
			snprintf(want, sizeof(want), "\"ts\":%llu,\"pid\":%u,", e.ts, e.pid);
			for (int again = 0; again < 2; again++) {
				n = jsonl_format_event(buf, &e);
				buf[n] = 0;
				if (!strstr(buf, want))
					fail_msg("%s missing from %s", want, buf);
			}
		}
	}
}

/* a process's lines repeat which process they are about: the second line
 * says it as the first did, and a new name, thread or life is said anew */
static void test_lines_about_one_process_say_which_exactly(void **state)
{
	struct pl_event e = sample(PL_EV_FORK);
	char first[PL_JSONL_LINE_MAX], again[PL_JSONL_LINE_MAX], other[PL_JSONL_LINE_MAX];
	size_t n1, n2, n3;

	(void)state;
	n1 = jsonl_format_event(first, &e);
	n2 = jsonl_format_event(again, &e);
	ASSERT_EQ(n2, n1, "the same event twice, the same length");
	assert_memory_equal(first, again, n1);
	for (int change = 0; change < 4; change++) {
		struct pl_event f = e;
		char want[64];

		switch (change) {
		case 0:
			strcpy(f.comm, "renamed");
			snprintf(want, sizeof(want), "\"comm\":\"%s\"", f.comm);
			break;
		case 1:
			f.tid = e.tid + 1;
			snprintf(want, sizeof(want), "\"tid\":%u,", f.tid);
			break;
		case 2:
			f.start = e.start + 1;
			snprintf(want, sizeof(want), "\"start\":%llu,", f.start);
			break;
		default:
			f.pid = e.pid + 128; /* another process in the same slot */
			snprintf(want, sizeof(want), "\"pid\":%u,", f.pid);
		}
		n3 = jsonl_format_event(other, &f);
		other[n3] = 0;
		if (!strstr(other, want))
			fail_msg("%s missing from %s", want, other);
		n2 = jsonl_format_event(again, &e);
		ASSERT_EQ(n2, n1, "the first process again");
		assert_memory_equal(first, again, n1);
	}
}

/* what a process may call itself that is not UTF-8 (overlong, surrogate,
 * past U+10FFFF, cut short) is escaped so that strict readers take it */
static void test_names_that_are_not_utf8_are_escaped(void **state)
{
	static const char *const names[] = { "\xed\xa0\x80", "\xe0\x80\xaf", "\xf0\x80\x80\xaf",
					     "\xf4\x90\x80\x80", "ok\xc3", "\xc3\xa9t\xc3\xa9" };

	struct pl_jparser *p = pl_jparser_new();
	struct pl_jline j = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct pl_event e = sample(PL_EV_FORK);
		char buf[PL_JSONL_LINE_MAX], err[256] = "";
		size_t n;

		strcpy(e.comm, names[i]);
		n = jsonl_format_event(buf, &e);
		/* the strict parser, without the reader's repair of old logs */
		if (pl_jline_parse(p, buf, n - 1, 2, &j, err, sizeof(err)))
			fail_msg("name %zu: %s in %.*s", i, err, (int)n, buf);
	}
	pl_jline_free(&j);
	pl_jparser_free(p);
}

/* a name that is not UTF-8 comes back byte for byte: the line keeps its
 * readable escaped comm and adds the exact bytes in hex; a UTF-8 name
 * (control bytes, which JSON escapes exactly, included) has no hex field */
static void test_names_that_are_not_utf8_round_trip_exactly(void **state)
{
	static const char *const names[] = { "\xff\xfeok", "\xed\xa0\x80", "ok\xc3", "a\x01\xc3\xa9" };
	static const char *const hex[] = { "fffe6f6b", "eda080", "6f6bc3", NULL };
	struct pl_log_parser *p = pl_log_parser_new();

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct pl_event e = sample(PL_EV_EXEC);
		struct pl_log_line line;
		char buf[PL_JSONL_LINE_MAX], err[256] = "", field[64];
		size_t n;

		strcpy(e.comm, names[i]);
		e.filename = names[i];
		e.cgroup = names[i];
		n = jsonl_format_event(buf, &e);
		buf[n - 1] = 0;
		if (hex[i]) {
			snprintf(field, sizeof(field), "\"comm_hex\":\"%s\"", hex[i]);
			ASSERT_CONTAINS(buf, field, "the line of a name that is not UTF-8");
			snprintf(field, sizeof(field), "\"filename_hex\":\"%s\"", hex[i]);
			ASSERT_CONTAINS(buf, field, "the line of a file name that is not UTF-8");
			snprintf(field, sizeof(field), "\"cgroup_hex\":\"%s\"", hex[i]);
			ASSERT_CONTAINS(buf, field, "the line of a cgroup path that is not UTF-8");
		} else if (strstr(buf, "_hex")) {
			fail_msg("a UTF-8 name written in hex too: %s", buf);
		}
		ASSERT_EQ(pl_log_parse_line(p, buf, n - 1, &line, err, sizeof(err)), 0, "parsing it");
		ASSERT_STR_EQ(line.ev.comm, names[i], "the name read back");
		ASSERT_STR_EQ(line.ev.filename, names[i], "the file name read back");
		ASSERT_STR_EQ(line.ev.cgroup, names[i], "the cgroup path read back");
	}
	pl_log_parser_free(p);
}

/* the lines of a storm name one cgroup again and again, and the writer
 * keeps its text: a path changed in place (the same pointer), one that
 * stops being UTF-8 or starts being it again, one too long to keep, each
 * comes back as it is now, with its exact bytes when it is not UTF-8 */
static void test_a_path_written_again_is_the_path_it_is_now(void **state)
{
	static const char *const seq[] = { "/a", "/a", "/b", "/b\xff", "/b\xff", "/b", "/a/b", "/a",
					   "L", "L", "L!", "", "/a" };
	struct pl_log_parser *p = pl_log_parser_new();
	char path[400];

	(void)state;
	for (size_t i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
		struct pl_event e = sample(PL_EV_EXEC);
		struct pl_log_line line;
		char buf[PL_JSONL_LINE_MAX], err[256] = "";
		bool utf8 = !strchr(seq[i], '\xff');
		size_t n;

		if (seq[i][0] == 'L') { /* longer than any kept path, its end changed */
			memset(path, 'x', 300);
			strcpy(path + 300, seq[i] + 1);
		} else {
			strcpy(path, seq[i]);
		}
		e.cgroup = path;
		e.filename = path;
		n = jsonl_format_event(buf, &e);
		buf[n - 1] = 0;
		ASSERT_EQ(pl_log_parse_line(p, buf, n - 1, &line, err, sizeof(err)), 0, "parsing it");
		ASSERT_STR_EQ(line.ev.cgroup, path, "the cgroup path read back");
		ASSERT_STR_EQ(line.ev.filename, path, "the file name read back");
		ASSERT_EQ(strstr(buf, "\"cgroup_hex\":\"2f62ff\"") != NULL, !utf8,
			  "the cgroup path's exact bytes, only when it is not UTF-8");
		ASSERT_EQ(strstr(buf, "\"filename_hex\":\"2f62ff\"") != NULL, !utf8,
			  "the file name's exact bytes, only when it is not UTF-8");
	}
	pl_log_parser_free(p);
}

/* a name is copied whole when every byte of it is plain ASCII, looked at
 * eight bytes at a time: each byte JSON must escape, or that is not
 * ASCII, at each place of names of each length (the whole array, with no
 * NUL, too, but for bytes that are not ASCII) still comes back exactly,
 * and a plain name has no hex */
static void test_every_byte_of_a_name_at_every_place_comes_back(void **state)
{
	static const unsigned char odd[] = { 0x01, 0x09, 0x1f, '"', '\\', 0x7f, 0x80, 0xc3, 0xff };
	struct pl_log_parser *p = pl_log_parser_new();

	(void)state;
	for (int len = 1; len <= PL_COMM_LEN; len++) {
		for (int at = -1; at < len; at++) {
			for (size_t b = 0; b < 2 * (at < 0 ? 1 : sizeof(odd)); b++) {
				struct pl_event e = sample(PL_EV_FORK);
				struct pl_log_line line;
				char buf[PL_JSONL_LINE_MAX], err[256] = "";
				size_t n;

				/* the kernel ends a name within the array: one that
				 * fills it is read back cut, and its hex does not fit */
				unsigned char c = odd[b / 2];

				if (len == PL_COMM_LEN && at >= 0 && c >= 0x80)
					continue;
				/* what follows the NUL is nothing, or what is not plain */
				memset(e.comm, b % 2 ? '"' : 0, sizeof(e.comm));
				for (int i = 0; i < len; i++)
					e.comm[i] = (char)('a' + i);
				if (len < PL_COMM_LEN)
					e.comm[len] = 0;
				if (at >= 0)
					e.comm[at] = (char)c;
				n = jsonl_format_event(buf, &e);
				buf[n - 1] = 0;
				if (at < 0 && strstr(buf, "comm_hex"))
					fail_msg("a plain name written in hex too: %s", buf);
				if (pl_log_parse_line(p, buf, n - 1, &line, err, sizeof(err)))
					fail_msg("%s: %s", err, buf);
				/* the name and its NUL; one that fills the array is
				 * read back cut to the room for a NUL */
				if (memcmp(line.ev.comm, e.comm,
					   len < PL_COMM_LEN ? (size_t)len + 1 : PL_COMM_LEN - 1))
					fail_msg("name of %d bytes, 0x%02x at %d, read back as '%s': %s",
						 len, at < 0 ? 0 : c, at, line.ev.comm, buf);
			}
		}
	}
	pl_log_parser_free(p);
}

/* arguments are any bytes but NUL: when one is not UTF-8, each comes back
 * byte for byte from argv_hex */
static void test_arguments_that_are_not_utf8_round_trip_exactly(void **state)
{
	static const char args[] = "ok\0\xff\xfe\0caf\xc3\xa9\0\xed\xa0\x80\0";
	struct pl_log_parser *p = pl_log_parser_new();
	struct pl_event e = sample(PL_EV_EXEC);
	struct pl_log_line line;
	char buf[PL_JSONL_LINE_MAX], err[256] = "";
	size_t n;

	(void)state;
	e.args = args;
	e.args_len = sizeof(args) - 1;
	n = jsonl_format_event(buf, &e);
	buf[n - 1] = 0;
	ASSERT_CONTAINS(buf, "\"argv_hex\":[\"6f6b\",\"fffe\",\"636166c3a9\",\"eda080\"]",
			"the line of arguments not all UTF-8");
	ASSERT_EQ(pl_log_parse_line(p, buf, n - 1, &line, err, sizeof(err)), 0, "parsing it");
	ASSERT_EQ(line.ev.args_len, sizeof(args) - 1, "the arguments' length read back");
	ASSERT_TRUE(!memcmp(line.ev.args, args, sizeof(args) - 1), "the arguments read back exactly");
	e.args = "plain\0caf\xc3\xa9\0";
	e.args_len = 12;
	n = jsonl_format_event(buf, &e);
	buf[n - 1] = 0;
	if (strstr(buf, "argv_hex"))
		fail_msg("UTF-8 arguments written in hex too: %s", buf);
	pl_log_parser_free(p);
}

/* the trailer names every counter of the kernel side */
static void test_the_trailer_names_every_counter(void **state)
{
	struct pl_log_trailer t = { .ts = 1, .exit_status = -1 };
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	(void)state;
	for (unsigned i = 0; i < PL_STATS; i++)
		t.stats[i] = 1000 + i;
	jsonl_trailer(f, &t);
	fclose(f);
	ASSERT_TRUE(!strstr(text, "(null)"), "a counter with no name");
	for (unsigned i = 0; i < PL_STATS; i++) {
		char want[32];

		snprintf(want, sizeof(want), "\":%u", 1000 + i);
		ASSERT_TRUE(strstr(text, want) != NULL, "each counter written");
	}
	free(text);
}

/* a trailer's runs_skipped read back: the figure, or PL_NOT_COUNTED */
static unsigned long long skipped_read_back(unsigned long long skipped)
{
	struct pl_log_trailer t = { .ts = 1, .exit_status = -1 };
	struct pl_log_parser *p = pl_log_parser_new();
	struct pl_log_line line;
	char *text = NULL, err[256] = "";
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	t.stats[PL_STAT_RUNS_SKIPPED] = skipped;
	jsonl_trailer(f, &t);
	fclose(f);
	if (skipped == PL_NOT_COUNTED && strstr(text, "runs_skipped"))
		fail_msg("a figure written for runs not counted: %s", text);
	ASSERT_EQ(pl_log_parse_line(p, text, strcspn(text, "\n"), &line, err, sizeof(err)), 0,
		  "parsing the trailer");
	ASSERT_EQ(line.kind, PL_LINE_TRAILER, "a trailer");
	pl_log_parser_free(p);
	free(text);
	return line.trailer.stats[PL_STAT_RUNS_SKIPPED];
}

/* runs the kernel skipped, counted (0 too) or not: a log that does not
 * say, as one from a kernel before 5.12 or an older writer, is not 0 */
static void test_skipped_runs_counted_or_not(void **state)
{
	(void)state;
	ASSERT_EQ(skipped_read_back(0), 0ULL, "none skipped");
	ASSERT_EQ(skipped_read_back(17), 17ULL, "17 skipped");
	ASSERT_EQ(skipped_read_back(PL_NOT_COUNTED), PL_NOT_COUNTED, "not counted");
}

static void expect_error(const char *text, const char *words)
{
	struct pl_log_parser *p = pl_log_parser_new();
	struct pl_log_line line;
	char err[256] = "";

	ASSERT_EQ(pl_log_parse_line(p, text, strlen(text), &line, err, sizeof(err)), -1, "parsing the malformed line");
	if (!strstr(err, words))
		fail_msg("error for %s: expected '%s' in '%s'", text, words, err);
	pl_log_parser_free(p);
}

static void test_malformed_lines(void **state)
{
	(void)state;
	expect_error("{\"ev\":\"fork\",\"ts\":1", "invalid JSON");
	/* JSON sets no limit to a number: one past 64 bits is said as such,
	 * one malformed as that, whatever its length */
	expect_error("{\"ev\":\"fork\",\"ts\":18446744073709551616}", "a whole number past 64 bits");
	expect_error("{\"ev\":\"fork\",\"comm\":\"99999999999999999999\",\"ts\":184467440737095516150}",
		     "a whole number past 64 bits");
	expect_error("{\"ev\":\"fork\",\"ts\":000000000000000000000001}", "invalid JSON (a malformed number)");
	expect_error("{\"ev\":\"fork\",\"ts\":01}", "invalid JSON (a malformed number)");
	expect_error("[1,2]", "JSON object");
	expect_error("{\"ts\":1}", "missing field 'ev'");
	expect_error("{\"ev\":\"spawn\",\"ts\":1}", "unknown event kind 'spawn'");
	expect_error("{\"ev\":\"exit\",\"ts\":1,\"pid\":2,\"tid\":2,\"start\":3,\"comm\":\"x\"}",
		     "missing field 'status'");
	/* what a reap says it found, and what a process used or runs as, whole
	 * or not at all: a part missing would read as 0 */
	expect_error("{\"ev\":\"reap\",\"ts\":5,\"pid\":2,\"tid\":2,\"start\":3,\"comm\":\"x\","
		     "\"reaper\":1,\"zombie_ns\":1}", "missing field 'status'");
	expect_error("{\"ev\":\"reap\",\"ts\":5,\"pid\":2,\"tid\":2,\"start\":3,\"comm\":\"x\","
		     "\"reaper\":1,\"status\":0}", "missing field 'zombie_ns'");
	expect_error("{\"ev\":\"exit\",\"ts\":5,\"pid\":2,\"tid\":2,\"start\":3,\"comm\":\"x\","
		     "\"status\":0,\"cpu_user_ns\":1,\"cpu_sys_ns\":1}",
		     "missing field 'max_rss_kb' (given with the others of its group)");
	expect_error("{\"ev\":\"fork\",\"ts\":1,\"pid\":2,\"tid\":2,\"start\":3,\"comm\":\"x\",\"ppid\":1,"
		     "\"uid\":0,\"cgroup_id\":1}", "missing field 'gid'");
	expect_error("{\"ev\":\"fork\",\"ts\":\"1\",\"pid\":2,\"tid\":2,\"start\":3,\"comm\":\"x\",\"ppid\":1}",
		     "field 'ts' is string");
	expect_error("{\"ev\":\"fork\",\"ts\":1,\"pid\":-2,\"tid\":2,\"start\":3,\"comm\":\"x\",\"ppid\":1}",
		     "'pid' is negative");
	expect_error("{\"ev\":\"fork\",\"ts\":1,\"pid\":99999999999,\"tid\":2,\"start\":3,\"comm\":\"x\",\"ppid\":1}",
		     "'pid' is out of range");
	expect_error("{\"ev\":\"reparent\",\"ts\":1,\"pid\":2,\"tid\":2,\"start\":3,\"comm\":\"x\","
		     "\"old_parent\":1,\"new_parent\":1,\"adopter\":\"aunt\"}", "unknown adopter");
	expect_error("{\"ev\":\"fork\",\"ts\":1,\"pid\":2,\"tid\":2,\"start\":3,\"comm\":7,\"ppid\":1}",
		     "'comm' is int");
	expect_error("{\"ev\":\"fork\",\"ts\":1,\"pid\":2,\"tid\":2,\"start\":3,\"comm\":\"x\",\"ppid\":1,"
		     "\"thread\":1}", "true or false");
	expect_error("{\"ev\":\"header\"}", "second header");
	expect_error("{\"ev\":\"fork\"} {}", "invalid JSON");
	expect_error("", "invalid JSON");
	expect_error("7", "a line is no JSON object but an int");
	expect_error("{\"ev\":\"fork\",\"ts\":1.5,\"pid\":2,\"tid\":2,\"start\":3,\"comm\":\"x\",\"ppid\":1}",
		     "'ts' is double");
	expect_error("{\"ev\":\"fork\",\"ts\":1,\"pid\":2,\"tid\":2,\"start\":3,\"comm\":\"x\",\"ppid\":1,"
		     "\"nice\":2147483648}", "'nice' is out of range");
	/* within an int, but nothing the kernel gives */
	expect_error("{\"ev\":\"fork\",\"ts\":1,\"pid\":2,\"tid\":2,\"start\":3,\"comm\":\"x\",\"ppid\":1,"
		     "\"nice\":20}", "'nice' is 20, not a nice value (-20 to 19)");
	expect_error("{\"ev\":\"fork\",\"ts\":1,\"pid\":2,\"tid\":2,\"start\":3,\"comm\":\"x\",\"ppid\":1,"
		     "\"nice\":-21}", "'nice' is -21");
	expect_error("{\"ev\":\"exit\",\"ts\":1,\"pid\":0,\"tid\":0,\"start\":3,\"comm\":\"x\","
		     "\"ppid\":1,\"status\":0}", "'pid' is 0, which no process has");
	expect_error("{\"ev\":\"ev\"}", "unknown event kind");
	expect_error("{\"ev\":5,\"ts\":1}", "field 'ev' is int, expected a string");
	expect_error("{\"ev\":\"fork\",\"ts\":1,\"pid\":2,\"tid\":2,\"start\":3,\"comm\":\"x\",\"ppid\":1,"
		     "\"ev\":\"exit\"}", "field 'ev' is given twice");
}

#define FORK_HEAD "{\"ev\":\"fork\",\"ts\":1,\"pid\":2,\"tid\":2,\"start\":3,"

static struct pl_log_line parse_ok(const char *text)
{
	struct pl_log_parser *p = pl_log_parser_new();
	struct pl_log_line line;
	char err[256] = "";

	if (pl_log_parse_line(p, text, strlen(text), &line, err, sizeof(err)))
		fail_msg("%s: %s", text, err);
	pl_log_parser_free(p);
	return line;
}

/* escapes undone, fields in any order, unknown and nested fields skipped,
 * a known field given twice refused (readers differ on which they keep) */
static void test_lines_other_writers_could_write(void **state)
{
	struct pl_log_line l;

	(void)state;
	l = parse_ok(FORK_HEAD "\"comm\":\"a\\\"b\\u00e9\\n\",\"ppid\":1}");
	ASSERT_STR_EQ(l.ev.comm, "a\"b\xc3\xa9\n", "comm with escapes undone");
	l = parse_ok("{\"ppid\":5,\"comm\":\"x\",\"start\":3,\"tid\":2,\"pid\":2,\"ts\":9,\"ev\":\"fork\"}");
	ASSERT_EQ(l.ev.ppid, 5, "ppid read out of order");
	ASSERT_EQ(l.ev.ts, 9, "ts read out of order");
	l = parse_ok(FORK_HEAD "\"comm\":\"x\",\"ppid\":1,\"later\":{\"a\":[1,{\"b\":null}]},\"more\":[]}");
	ASSERT_EQ(l.ev.ppid, 1, "ppid beside unknown nested fields");
	expect_error(FORK_HEAD "\"comm\":\"x\",\"ppid\":1,\"ppid\":2}", "'ppid' is given twice");
	expect_error("42", "a line is no JSON object but an int");
	expect_error("[1,2]", "a line is no JSON object but an array");
	expect_error(FORK_HEAD "\"comm\":\"x\",\"ppid\":1,\"ppid\":1}", "'ppid' is given twice");
	l = parse_ok(FORK_HEAD "\"comm\":\"x\",\"ppid\":1,\"later\":1,\"later\":2}");
	ASSERT_EQ(l.ev.ppid, 1, "an unknown field twice is skipped twice");
	/* a wait's options share the place of nice, not its range */
	l = parse_ok("{\"ev\":\"wait\",\"ts\":1,\"pid\":2,\"tid\":2,\"start\":3,\"comm\":\"x\","
		     "\"options\":1073741825}");
	ASSERT_EQ(l.ev.options, 1073741825, "__WALL | WNOHANG");
	/* a kernel thread's end: whatever its function returned (-EINTR) */
	l = parse_ok("{\"ev\":\"exit\",\"ts\":1,\"pid\":2,\"tid\":2,\"start\":3,\"comm\":\"x\","
		     "\"status\":-4}");
	ASSERT_EQ(l.ev.status, -4, "a kernel thread's status");
	/* a name longer than the kernel keeps is cut, and terminated */
	l = parse_ok(FORK_HEAD "\"comm\":\"0123456789abcdefXYZ\",\"ppid\":1}");
	ASSERT_STR_EQ(l.ev.comm, "0123456789abcde", "comm cut to the kernel's length");
	/* at a character's start: 7 two-byte characters, not 7 and a half */
	l = parse_ok(FORK_HEAD "\"comm\":\"\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\",\"ppid\":1}");
	ASSERT_STR_EQ(l.ev.comm, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
		      "comm cut at a character");
	/* the exact bytes win wherever they stand in the line */
	l = parse_ok(FORK_HEAD "\"comm_hex\":\"ff41\",\"comm\":\"\\u00ffA\",\"ppid\":1}");
	ASSERT_STR_EQ(l.ev.comm, "\xff" "A", "comm from comm_hex given before comm");
	expect_error(FORK_HEAD "\"comm\":\"x\",\"comm_hex\":\"f\",\"ppid\":1}", "'comm_hex'");
	expect_error(FORK_HEAD "\"comm\":\"x\",\"comm_hex\":\"zz\",\"ppid\":1}", "'comm_hex'");
	expect_error(FORK_HEAD "\"comm\":\"x\",\"comm_hex\":\"4100\",\"ppid\":1}", "'comm_hex'");
}

/* writes text to a temporary file and opens it as a log */
static struct pl_log_reader *open_text(const char *text, char *path)
{
	int fd;

	strcpy(path, "/tmp/proclife-unit-XXXXXX");
	fd = mkstemp(path);
	ASSERT_GE(fd, 0, "the temporary log");
	ASSERT_EQ(write(fd, text, strlen(text)), (ssize_t)strlen(text), "bytes written to the temporary log");
	close(fd);
	return pl_log_open(path);
}

#define HEADER "{\"ev\":\"header\",\"format\":\"proclife-events\",\"version\":1,\"ts\":5}\n"
#define HEADER_V2 "{\"ev\":\"header\",\"format\":\"proclife-events\",\"version\":2,\"ts\":5}\n"
#define FORK "{\"ev\":\"fork\",\"ts\":9,\"pid\":2,\"tid\":2,\"start\":3,\"comm\":\"x\",\"ppid\":1}"

static void test_reader_header_and_truncation(void **state)
{
	struct pl_log_line line;
	struct pl_log_reader *r;
	char path[64];

	int saved = dup(2), null = open("/dev/null", O_WRONLY);

	(void)state;
	/* the reader's messages are what is tested, by its results: keep the
	 * expected ones out of the test run's output */
	dup2(null, 2);
	ASSERT_NULL(open_text("", path), "reader of an empty file");
	unlink(path);
	ASSERT_NULL(open_text("\x7f" "ELF\x01\x02garbage\n", path), "reader of an ELF file");
	unlink(path);
	ASSERT_NULL(open_text("{\"ev\":\"header\",\"format\":\"proclife-events\",\"version\":3}\n", path), "reader of a version 3 log");
	unlink(path);
	/* null where a string belongs: refused, not dereferenced */
	ASSERT_NULL(open_text("{\"ev\":null,\"format\":\"proclife-events\",\"version\":1}\n", path), "reader of a header whose ev is null");
	unlink(path);
	ASSERT_NULL(open_text("{\"ev\":\"header\",\"format\":null,\"version\":1}\n", path), "reader of a header whose format is null");
	unlink(path);

	/* a cut-short last line: a warning, and the lines before it */
	r = open_text(HEADER FORK "\n" "{\"ev\":\"exit\",\"ts\":1", path);
	ASSERT_NOT_NULL(r, "reader of a log with a cut-short last line");
	ASSERT_EQ(pl_log_next(r, &line), 1, "the line before the cut-short one");
	ASSERT_EQ(line.ev.pid, 2, "its pid");
	ASSERT_EQ(line.ev.ppid, 1, "its ppid");
	ASSERT_EQ(pl_log_next(r, &line), 0, "the cut-short line");
	ASSERT_TRUE(pl_log_truncated(r), "the reader's truncated mark");
	pl_log_close(r);
	unlink(path);

	/* a byte-order mark before the header (an editor's save) is no
	 * part of the log, nor of its header line */
	r = open_text("\xef\xbb\xbf" HEADER FORK "\n", path);
	ASSERT_NOT_NULL(r, "reader of a log with a byte-order mark");
	ASSERT_EQ(pl_log_header_line(r)[0], '{', "the header line without the mark");
	ASSERT_EQ(pl_log_next(r, &line), 1, "the line after the header");
	ASSERT_EQ(line.ev.pid, 2, "its pid");
	pl_log_close(r);
	unlink(path);
	/* one anywhere else is a bad line */
	r = open_text(HEADER "\xef\xbb\xbf" FORK "\n", path);
	ASSERT_NOT_NULL(r, "reader of a log with a byte-order mark after its header");
	ASSERT_EQ(pl_log_next(r, &line), -1, "the line after the header");
	pl_log_close(r);
	unlink(path);

	/* the same line cut short in the middle of the log is an error */
	r = open_text(HEADER "{\"ev\":\"exit\",\"ts\":1\n" FORK "\n", path);
	ASSERT_NOT_NULL(r, "reader of a log with a bad line in the middle");
	ASSERT_EQ(pl_log_next(r, &line), -1, "the bad line in the middle");
	ASSERT_FALSE(pl_log_truncated(r), "the reader's truncated mark");
	pl_log_close(r);
	unlink(path);
	dup2(saved, 2);
	close(saved);
	close(null);
}

/* an exit line with zombie_ts is read as the exit, then the zombie moment
 * it tells too; one without it as the exit alone */
static void test_exit_line_tells_its_zombie_moment(void **state)
{
	char path[32], text[3 * PL_JSONL_LINE_MAX];
	struct pl_event exit = sample(PL_EV_EXIT), zombie;
	struct pl_log_reader *r;
	struct pl_log_line line;
	size_t n;

	(void)state;
	exit.flags = PL_F_GROUP_DEAD | PL_F_THEN_ZOMBIE;
	exit.zombie_ts = exit.ts + 1000;
	/* a version 2 log: what writes zombie_ts */
	n = (size_t)snprintf(text, sizeof(text), "%s", HEADER_V2);
	n += jsonl_format_event(text + n, &exit);
	exit.flags = PL_F_GROUP_DEAD;
	exit.pid++;
	n += jsonl_format_event(text + n, &exit);
	text[n] = 0;
	ASSERT_TRUE(strstr(text, "\"zombie_ts\":123456789013345,") != NULL, "the zombie's time in the line");
	r = open_text(text, path);
	ASSERT_NOT_NULL(r, "reader of a version 2 log");
	ASSERT_EQ(pl_log_header(r)->version, 2, "its version");
	ASSERT_EQ(pl_log_next(r, &line), 1, "the exit line");
	ASSERT_EQ(line.ev.kind, PL_EV_EXIT, "read first: the exit");
	ASSERT_TRUE(line.ev.flags & PL_F_THEN_ZOMBIE, "the exit says a zombie follows");
	ASSERT_EQ(pl_log_next(r, &line), 1, "the zombie moment");
	zombie = line.ev;
	ASSERT_EQ(zombie.kind, PL_EV_ZOMBIE, "read next: the zombie");
	ASSERT_EQ(zombie.ts, 123456789013345ULL, "its time");
	ASSERT_EQ(zombie.pid, 4242, "its pid");
	ASSERT_EQ(zombie.tid, 4243, "the thread that notified the parent");
	ASSERT_EQ(zombie.start, 98765432101ULL, "its start");
	ASSERT_STR_EQ(zombie.comm, "w\"eird\\name\n", "its name");
	ASSERT_EQ(zombie.parent, 17, "the parent that must reap it");
	ASSERT_EQ(zombie.pstart, 5555555, "that parent's start");
	ASSERT_EQ(zombie.status, 0x86, "its status");
	ASSERT_EQ(zombie.cpu, 1, "its CPU");
	ASSERT_EQ(zombie.flags, 0, "its flags");
	ASSERT_EQ(pl_log_next(r, &line), 1, "the second exit line");
	ASSERT_EQ(line.ev.kind, PL_EV_EXIT, "an exit");
	ASSERT_EQ(line.ev.pid, 4243, "the second exit's pid");
	ASSERT_EQ(pl_log_next(r, &line), 0, "no zombie after an exit without zombie_ts");
	pl_log_close(r);
	unlink(path);
}

/* a log of n forks, each of a pid and a comm of its own length; bad_utf8:
 * every comm also holds a byte that is not UTF-8, as older logs could */
static void write_forks(const char *path, int n, bool bad_utf8)
{
	FILE *f = fopen(path, "w");

	ASSERT_NOT_NULL(f, "a temporary log");
	fputs(HEADER, f);
	for (int i = 1; i <= n; i++)
		fprintf(f, "{\"ev\":\"fork\",\"ts\":%d,\"pid\":%d,\"tid\":%d,\"start\":%d,"
			   "\"comm\":\"%.*s%s\",\"ppid\":1}\n", i, i, i, i, i % 12 + 1,
			"abcdefghijkl", bad_utf8 ? "\xff" : "");
	fclose(f);
}

struct reading {
	const char *path;
	bool bad_utf8;
	int lines, wrong; /* lines read, and those not as written */
};

static void *read_forks(void *arg)
{
	struct reading *rd = arg;
	struct pl_log_reader *r = pl_log_open(rd->path);
	struct pl_log_line line;
	char want[PL_COMM_LEN];

	while (r && pl_log_next(r, &line) > 0) {
		int i = ++rd->lines;

		snprintf(want, sizeof(want), "%.*s%s", i % 12 + 1, "abcdefghijkl",
			 rd->bad_utf8 ? "?" : "");
		rd->wrong += line.ev.pid != (__u32)i || strcmp(line.ev.comm, want);
	}
	pl_log_close(r);
	return NULL;
}

/* two readers at once, in two threads: each reads its own log as written
 * (their parsers share nothing, not even simdjson's) */
static void test_two_readers_at_once(void **state)
{
	char a[] = "/tmp/proclife-unit-XXXXXX", b[] = "/tmp/proclife-unit-XXXXXX";
	struct reading ra = { a, false, 0, 0 }, rb = { b, true, 0, 0 };
	int saved = dup(2), null = open("/dev/null", O_WRONLY);
	pthread_t ta, tb;

	(void)state;
	close(mkstemp(a));
	close(mkstemp(b));
	write_forks(a, 20000, false);
	write_forks(b, 20000, true);
	dup2(null, 2); /* b's warning about its bytes is expected */
	ASSERT_EQ(pthread_create(&ta, NULL, read_forks, &ra), 0, "the first reader's thread");
	ASSERT_EQ(pthread_create(&tb, NULL, read_forks, &rb), 0, "the second reader's thread");
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	dup2(saved, 2);
	close(saved);
	close(null);
	unlink(a);
	unlink(b);
	ASSERT_EQ(ra.lines, 20000, "lines the first reader read");
	ASSERT_EQ(ra.wrong, 0, "lines the first reader read wrong");
	ASSERT_EQ(rb.lines, 20000, "lines the second reader read");
	ASSERT_EQ(rb.wrong, 0, "lines the second reader read wrong");
}

/* one parser's repair of a line does not show in another's */
static void test_repairs_belong_to_their_parser(void **state)
{
	static const char bad[] = FORK_HEAD "\"comm\":\"x\xff\",\"ppid\":1}";
	static const char good[] = FORK_HEAD "\"comm\":\"x\",\"ppid\":1}";
	struct pl_log_parser *p = pl_log_parser_new(), *q = pl_log_parser_new();
	struct pl_log_line line;
	char err[256];

	(void)state;
	ASSERT_EQ(pl_log_parse_line(p, bad, strlen(bad), &line, err, sizeof(err)), 0,
		  "parsing a line with a byte that is not UTF-8");
	ASSERT_STR_EQ(line.ev.comm, "x?", "its comm");
	ASSERT_EQ(pl_log_parse_line(q, good, strlen(good), &line, err, sizeof(err)), 0,
		  "parsing a good line with another parser");
	ASSERT_TRUE(pl_log_parser_repaired(p), "the first parser's repair");
	ASSERT_FALSE(pl_log_parser_repaired(q), "the second parser's repair");
	pl_log_parser_free(p);
	pl_log_parser_free(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_kind_round_trips),
		cmocka_unit_test(test_a_status_not_seen_is_not_decoded),
		cmocka_unit_test(test_a_line_fits_its_room),
		cmocka_unit_test(test_numbers_of_every_length_round_trip),
		cmocka_unit_test(test_lines_about_one_process_say_which_exactly),
		cmocka_unit_test(test_numbers_are_written_as_printf_writes_them),
		cmocka_unit_test(test_malformed_lines),
		cmocka_unit_test(test_names_that_are_not_utf8_are_escaped),
		cmocka_unit_test(test_names_that_are_not_utf8_round_trip_exactly),
		cmocka_unit_test(test_every_byte_of_a_name_at_every_place_comes_back),
		cmocka_unit_test(test_a_path_written_again_is_the_path_it_is_now),
		cmocka_unit_test(test_arguments_that_are_not_utf8_round_trip_exactly),
		cmocka_unit_test(test_lines_other_writers_could_write),
		cmocka_unit_test(test_reader_header_and_truncation),
		cmocka_unit_test(test_exit_line_tells_its_zombie_moment),
		cmocka_unit_test(test_two_readers_at_once),
		cmocka_unit_test(test_the_trailer_names_every_counter),
		cmocka_unit_test(test_skipped_runs_counted_or_not),
		cmocka_unit_test(test_repairs_belong_to_their_parser),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
