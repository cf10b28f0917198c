// SPDX-License-Identifier: BSD-2-Clause
/*
 * The runs of a program the kernel skipped, as its fdinfo file tells them
 * (src/capture/skipped_runs.c): the recursion_misses line and no other,
 * and none at all on a kernel that does not count them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "capture/skipped_runs.h"
#include "check.h"

static void the_count_is_read_from_its_line(void **state)
{
	const char *text = "pos:\t0\nflags:\t02000002\nmnt_id:\t16\nino:\t1057\nprog_type:\t26\n"
			   "prog_jited:\t1\nprog_tag:\t3b185187f1855c4c\nmemlock:\t4096\n"
			   "prog_id:\t31\nrun_time_ns:\t0\nrun_cnt:\t0\nrecursion_misses:\t12345\n"
			   "verified_insns:\t19\n";
	unsigned long long n = 0;

	(void)state;
	ASSERT_EQ(pl_fdinfo_misses(text, &n), 0, "a kernel that counts them");
	ASSERT_EQ(n, 12345ULL, "the count");
}

static void the_first_line_counts_too(void **state)
{
	unsigned long long n = 0;

	(void)state;
	ASSERT_EQ(pl_fdinfo_misses("recursion_misses:\t7\n", &n), 0, "at the text's start");
	ASSERT_EQ(n, 7ULL, "the count");
}

static void a_kernel_that_does_not_count_says_so(void **state)
{
	/* 5.10: no such line; a name that only ends with it is not it */
	const char *text = "prog_type:\t26\nrun_time_ns:\t0\nrun_cnt:\t0\nx_recursion_misses:\t9\n";
	unsigned long long n = 99;

	(void)state;
	ASSERT_EQ(pl_fdinfo_misses(text, &n), -1, "no count");
	ASSERT_EQ(n, 99ULL, "nothing written");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_count_is_read_from_its_line),
		cmocka_unit_test(the_first_line_counts_too),
		cmocka_unit_test(a_kernel_that_does_not_count_says_so),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
