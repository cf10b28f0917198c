/* SPDX-License-Identifier: BSD-2-Clause */
/* Counts said as people say them: "1 fork", "2 forks", "1,996". */
#ifndef PL_WORDS_H
#define PL_WORDS_H

#include <stddef.h>

/* one when n is 1, many otherwise: printf("%llu %s", n, plural(n, "fork", "forks")) */
const char *plural(unsigned long long n, const char *one, const char *many);

/* n with a comma between each group of three digits: "1,996" */
const char *thousands(unsigned long long n, char *buf, size_t len);

#endif
