/* SPDX-License-Identifier: BSD-2-Clause */
/* Amounts as people read them at a glance: "0.31 s", "0.7 ms", "32 MiB". */
#ifndef PL_AMOUNTS_H
#define PL_AMOUNTS_H

#include <stddef.h>

/* CPU time: "12.3 s", "0.31 s", "4.2 ms", "85 us" (two or three digits) */
const char *amount_cpu(unsigned long long ns, char *buf, size_t len);
/* memory in KiB: "640 KiB", "1.6 MiB", "32 MiB", "2.5 GiB" */
const char *amount_kib(unsigned long long kib, char *buf, size_t len);
/* both, as an exit line says them: "0.31 s CPU, 32 MiB" */
const char *amount_usage(unsigned long long cpu_ns, unsigned long long kib, char *buf, size_t len);

#endif
