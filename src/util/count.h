/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Counts that add what a log says: a log may say anything, so a sum stops
 * at the largest count rather than wrapping to a small one.
 */
#ifndef PL_UTIL_COUNT_H
#define PL_UTIL_COUNT_H

static inline unsigned long long count_add(unsigned long long a, unsigned long long b)
{
	unsigned long long sum;

	return __builtin_add_overflow(a, b, &sum) ? ~0ULL : sum;
}

#endif
