/* SPDX-License-Identifier: BSD-2-Clause */
/* The clock of the kernel's timestamps and start times. */
#ifndef PL_CLOCK_H
#define PL_CLOCK_H

/* CLOCK_BOOTTIME in ns: what bpf_ktime_get_boot_ns() and start_boottime read */
unsigned long long boot_ns(void);

#endif
