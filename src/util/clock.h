/* SPDX-License-Identifier: BSD-2-Clause */
/* The clock of the kernel's timestamps and start times, and CPU clocks. */
#ifndef PL_CLOCK_H
#define PL_CLOCK_H

/* CLOCK_BOOTTIME in ns: what bpf_ktime_get_boot_ns() and start_boottime read */
unsigned long long boot_ns(void);

/* a CPU-time clock (CLOCK_THREAD_CPUTIME_ID, CLOCK_PROCESS_CPUTIME_ID) in
 * ns: exact, the scheduler's own count, where rusage samples by ticks */
unsigned long long cpu_ns(int clock);

#endif
