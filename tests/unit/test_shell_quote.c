// SPDX-License-Identifier: BSD-2-Clause
/*
 * Command lines as the views write them: each argument one shell word
 * that bash reads back as exactly its bytes, and nothing a terminal would
 * act on left bare.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check.h"
#include "util/shell_quote.h"
#include "output/args_cut.h"

/* where a record's arguments were cut: after the last one told, or inside it */
static void cuts(void **state)
{
	static char args[PL_ARGS_MAX];
	struct pl_event e = { .kind = PL_EV_EXEC, .args = args, .args_len = 6 };

	(void)state;
	memcpy(args, "a\0bcd", 6);
	ASSERT_EQ(args_cut(&e), SHELL_CUT_NONE, "whole");
	e.flags = PL_F_ARGS_TRUNCATED;
	ASSERT_EQ(args_cut(&e), SHELL_CUT_AFTER, "more arguments than told");
	/* an exec's arguments read whole from its memory: cut inside, no NUL */
	memset(args, 'z', sizeof(args));
	e.args_len = PL_ARGS_MAX;
	ASSERT_EQ(args_cut(&e), SHELL_CUT_INSIDE, "an exec's, cut by the bound");
	args[PL_ARGS_MAX - 1] = 0;
	ASSERT_EQ(args_cut(&e), SHELL_CUT_AFTER, "an exec's, the bound's last byte its NUL");
	/* a failed exec's read one at a time, each ended by a NUL */
	e.kind = PL_EV_EXEC_FAILED;
	ASSERT_EQ(args_cut(&e), SHELL_CUT_INSIDE, "a failed exec's, cut by the bound");
	e.args_len = 100;
	ASSERT_EQ(args_cut(&e), SHELL_CUT_AFTER, "a failed exec's, more arguments than read");
}

static const char *quoted(const char *s, size_t n)
{
	static char buf[SHELL_QUOTED_MAX(64) + 1];

	*shell_quote(buf, s, n) = 0;
	return buf;
}

#define Q(s) quoted(s, sizeof(s) - 1)

static void words(void **state)
{
	(void)state;
	ASSERT_STR_EQ(Q("ls"), "ls", "a plain word");
	ASSERT_STR_EQ(Q("/usr/bin/cc"), "/usr/bin/cc", "a path");
	ASSERT_STR_EQ(Q("-DX=1,y:z@host%"), "-DX=1,y:z@host%", "plain punctuation");
	ASSERT_STR_EQ(Q(""), "''", "the empty word");
	ASSERT_STR_EQ(Q("with blank"), "'with blank'", "a blank");
	ASSERT_STR_EQ(Q("quote\"d"), "'quote\"d'", "a double quote");
	ASSERT_STR_EQ(Q("$HOME;*"), "'$HOME;*'", "shell characters");
	ASSERT_STR_EQ(Q("caf\xc3\xa9"), "'caf\xc3\xa9'", "UTF-8 is shown as it is");
	ASSERT_STR_EQ(Q("it's"), "$'it\\'s'", "a single quote");
	ASSERT_STR_EQ(Q("new\nline"), "$'new\\nline'", "a line break");
	ASSERT_STR_EQ(Q("\033[31mred"), "$'\\E[31mred'", "an escape sequence");
	ASSERT_STR_EQ(Q("a\\b c"), "'a\\b c'", "a backslash in single quotes");
	ASSERT_STR_EQ(Q("bad\xff\x01"), "$'bad\\xff\\x01'", "bytes that are not UTF-8");
	ASSERT_STR_EQ(Q("\xc2\x9b" "x"), "$'\\xc2\\x9bx'", "a C1 control");
	ASSERT_STR_EQ(Q("a\xe2\x80\xae" "b"), "$'a\\xe2\\x80\\xaeb'", "a bidi override");
	ASSERT_STR_EQ(quoted("a\0b", 3), "$'a\\x00b'", "a NUL");
}

static void joined(void **state)
{
	static const char args[] = "sh\0-c\0echo 'hi'; ls\0";
	char buf[64];

	(void)state;
	ASSERT_EQ(shell_join(buf, sizeof(buf), args, sizeof(args) - 1, 0, SHELL_CUT_NONE), 24, "length");
	ASSERT_STR_EQ(buf, "sh -c $'echo \\'hi\\'; ls'", "a command line");
	shell_join(buf, sizeof(buf), args, sizeof(args) - 1, 1, SHELL_CUT_NONE);
	ASSERT_STR_EQ(buf, "-c $'echo \\'hi\\'; ls'", "from the second argument");
	shell_join(buf, 12, args, sizeof(args) - 1, 0, SHELL_CUT_NONE);
	ASSERT_STR_EQ(buf, "sh -c ...", "cut at a whole argument");
	shell_join(buf, 5, "abcdefgh", 9, 0, SHELL_CUT_NONE);
	ASSERT_STR_EQ(buf, "...", "nothing fits");
	shell_join(buf, sizeof(buf), args, sizeof(args) - 1, 2, SHELL_CUT_AFTER);
	ASSERT_STR_EQ(buf, "$'echo \\'hi\\'; ls' ...", "more were given");
	shell_join(buf, sizeof(buf), args, sizeof(args) - 1, 2, SHELL_CUT_INSIDE);
	ASSERT_STR_EQ(buf, "$'echo \\'hi\\'; ls'...", "cut inside the last one");
	shell_join(buf, 12, args, sizeof(args) - 1, 0, SHELL_CUT_INSIDE);
	ASSERT_STR_EQ(buf, "sh -c ...", "cut, and no room for the last one");
	ASSERT_EQ(shell_join(buf, sizeof(buf), NULL, 0, 0, SHELL_CUT_NONE), 0, "no arguments");
	ASSERT_STR_EQ(buf, "", "no arguments");
	/* an argument whose quoted form could outgrow the word buffer */
	{
		char big[600], out[4000];

		memset(big, 'x', sizeof(big));
		big[sizeof(big) - 1] = 0;
		big[10] = ' ';
		shell_join(out, sizeof(out), big, sizeof(big), 0, SHELL_CUT_NONE);
		ASSERT_EQ(strlen(out), sizeof(big) - 1 + 2, "a long argument, quoted");
		ASSERT_EQ(out[0], '\'', "a long argument, quoted");
	}
}

/* bash reads each quoted word back as exactly the bytes it came from */
static void bash_reads_them_back(void **state)
{
	static const char *const nasty[] = {
		"plain", "", "two words", "it's", "\"double\"", "new\nline", "tab\there",
		"\033]0;title\a", "caf\xc3\xa9", "\xff\xfe", "back\\slash", "$(id)", "`id`", "*",
		"~root", "a\xe2\x80\xae" "b", "#comment", "!bang", "x\x7fy", "end\\",
	};
	char line[8192], *p = line, read[8192], script[] = "/tmp/proclife-quote-XXXXXX", cmd[64];
	FILE *f;
	size_t n;
	int fd;

	(void)state;
	p += sprintf(p, "printf '%%s\\0'");
	for (size_t i = 0; i < sizeof(nasty) / sizeof(*nasty); i++) {
		*p++ = ' ';
		p = shell_quote(p, nasty[i], strlen(nasty[i]));
	}
	*p = 0;
	fd = mkstemp(script);
	ASSERT_GE(fd, 0, "a script for bash");
	ASSERT_EQ(write(fd, line, strlen(line)), strlen(line), "the script written");
	close(fd);
	snprintf(cmd, sizeof(cmd), "bash %s", script);
	f = popen(cmd, "r");
	ASSERT_NOT_NULL(f, "bash");
	n = fread(read, 1, sizeof(read), f);
	ASSERT_EQ(pclose(f), 0, "bash's exit status");
	remove(script);
	p = read;
	for (size_t i = 0; i < sizeof(nasty) / sizeof(*nasty); i++) {
		size_t len = strlen(nasty[i]);

		ASSERT_LE((size_t)(p - read) + len + 1, n, "bytes bash printed");
		if (memcmp(p, nasty[i], len + 1))
			fail_msg("argument %zu: bash read back \"%s\" from %s", i, p,
				 quoted(nasty[i], len));
		p += len + 1;
	}
	ASSERT_EQ((size_t)(p - read), n, "bytes bash printed");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cuts),
		cmocka_unit_test(words),
		cmocka_unit_test(joined),
		cmocka_unit_test(bash_reads_them_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
