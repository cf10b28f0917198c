/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Assertions that say what they compared, as the kernel's BPF selftests'
 * ASSERT_EQ(actual, expected, "name") do: a failure names the fact, prints
 * both sides, and fails the cmocka test (which adds the file and line).
 * Include after <cmocka.h>.
 */
#ifndef PL_TEST_CHECK_H
#define PL_TEST_CHECK_H

#include <string.h>

/* whole numbers of any width and sign, compared and shown as 64 bits */
#define ASSERT_CMP(actual, op, expected, name)                                              \
	do {                                                                                \
		long long a_ = (long long)(actual), e_ = (long long)(expected);              \
		if (!(a_ op e_))                                                            \
			fail_msg("%s: got %lld, expected %s%lld (%s)", (name), a_,          \
				 strcmp(#op, "==") ? #op " " : "", e_, #actual);            \
	} while (0)

#define ASSERT_EQ(actual, expected, name) ASSERT_CMP(actual, ==, expected, name)
#define ASSERT_NE(actual, expected, name) ASSERT_CMP(actual, !=, expected, name)
#define ASSERT_LT(actual, bound, name) ASSERT_CMP(actual, <, bound, name)
#define ASSERT_LE(actual, bound, name) ASSERT_CMP(actual, <=, bound, name)
#define ASSERT_GT(actual, bound, name) ASSERT_CMP(actual, >, bound, name)
#define ASSERT_GE(actual, bound, name) ASSERT_CMP(actual, >=, bound, name)

#define ASSERT_TRUE(cond, name)                                                  \
	do {                                                                     \
		if (!(cond))                                                     \
			fail_msg("%s: expected true: %s", (name), #cond);        \
	} while (0)

#define ASSERT_FALSE(cond, name)                                                 \
	do {                                                                     \
		if (cond)                                                        \
			fail_msg("%s: expected false: %s", (name), #cond);       \
	} while (0)

#define ASSERT_NULL(ptr, name)                                                   \
	do {                                                                     \
		if ((ptr) != NULL)                                               \
			fail_msg("%s: expected none, got one (%s)", (name), #ptr); \
	} while (0)

#define ASSERT_NOT_NULL(ptr, name)                                               \
	do {                                                                     \
		if ((ptr) == NULL)                                               \
			fail_msg("%s: expected one, got none (%s)", (name), #ptr); \
	} while (0)

#define ASSERT_PTR_EQ(actual, expected, name)                                    \
	do {                                                                     \
		const void *a_ = (actual), *e_ = (expected);                     \
		if (a_ != e_)                                                    \
			fail_msg("%s: %p, expected %p (%s)", (name), a_, e_, #actual); \
	} while (0)

#define ASSERT_STR_EQ(actual, expected, name)                                    \
	do {                                                                     \
		const char *a_ = (actual), *e_ = (expected);                     \
		if (strcmp(a_, e_))                                              \
			fail_msg("%s: \"%s\", expected \"%s\"", (name), a_, e_); \
	} while (0)

/* text holds (or lacks) what: the whole text is shown when it does not */
#define ASSERT_CONTAINS(text, what, name)                                        \
	do {                                                                     \
		const char *t_ = (text), *w_ = (what);                           \
		if (!strstr(t_, w_))                                             \
			fail_msg("%s: no \"%s\" in:\n%s", (name), w_, t_);       \
	} while (0)

#define ASSERT_STARTS_WITH(text, what, name)                                     \
	do {                                                                     \
		const char *t_ = (text), *w_ = (what);                           \
		if (strncmp(t_, w_, strlen(w_)))                                 \
			fail_msg("%s: does not begin \"%s\":\n%s", (name), w_, t_); \
	} while (0)

#define ASSERT_LACKS(text, what, name)                                           \
	do {                                                                     \
		const char *t_ = (text), *w_ = (what);                           \
		if (strstr(t_, w_))                                              \
			fail_msg("%s: \"%s\" should not be in:\n%s", (name), w_, t_); \
	} while (0)

#endif
