// SPDX-License-Identifier: BSD-2-Clause
/*
 * Names made safe for a terminal, and padded to a column by what they
 * take on it: a character's width, not its bytes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "check.h"
#include "util/printable.h"

static void made_printable(void **state)
{
	char buf[32];

	(void)state;
	ASSERT_STR_EQ(pl_printable("a\nb\033c", 16, buf, sizeof(buf)), "a?b?c", "control bytes");
	ASSERT_STR_EQ(pl_printable("x\xff" "y", 16, buf, sizeof(buf)), "x?y", "no UTF-8");
	ASSERT_STR_EQ(pl_printable("h\xc3\xa9", 16, buf, sizeof(buf)), "h\xc3\xa9", "UTF-8 kept");
	/* a right-to-left override, an isolate, a line separator, an Arabic
	 * letter mark: each one '?', for it would turn or break the line */
	ASSERT_STR_EQ(pl_printable("x\xe2\x80\xae" "abc\xe2\x81\xa6" "d\xe2\x80\xa8" "e\xd8\x9c",
				   32, buf, sizeof(buf)),
		      "x?abc?d?e?", "bidirectional controls");
	ASSERT_STR_EQ(pl_printable("\xe2\x80\x94\xe2\x80\xa0", 16, buf, sizeof(buf)),
		      "\xe2\x80\x94\xe2\x80\xa0", "a dash and a dagger kept");
	ASSERT_STR_EQ(pl_printable("a\xe2\x80", 16, buf, sizeof(buf)), "a??", "a cut character");
}

static void padded_by_columns(void **state)
{
	char buf[64];

	(void)state;
	ASSERT_STR_EQ(pl_pad_columns("sh", 5, buf, sizeof(buf)), "sh   ", "ASCII");
	ASSERT_STR_EQ(pl_pad_columns("h\xc3\xa9llo\xe2\x98\x83", 8, buf, sizeof(buf)),
		      "h\xc3\xa9llo\xe2\x98\x83  ", "two-byte and three-byte characters, one column each");
	/* 名前: two characters of two columns each */
	ASSERT_STR_EQ(pl_pad_columns("\xe5\x90\x8d\xe5\x89\x8d", 6, buf, sizeof(buf)),
		      "\xe5\x90\x8d\xe5\x89\x8d  ", "wide characters");
	ASSERT_STR_EQ(pl_pad_columns("a_very_long_name", 4, buf, sizeof(buf)), "a_very_long_name",
		      "longer than the column: whole");
	ASSERT_STR_EQ(pl_pad_columns("abc", 10, buf, 6), "abc  ", "the buffer's end");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(made_printable),
		cmocka_unit_test(padded_by_columns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
