// SPDX-License-Identifier: BSD-2-Clause
/*
 * Linked into the traced test programs (the workload generator, the e2e
 * programs) of a sanitizer build only: LeakSanitizer's check at exit clones
 * a helper process, which would show in the very traces these programs'
 * ground truth is held against.
 */
const char *__lsan_default_options(void);

const char *__lsan_default_options(void)
{
	return "detect_leaks=0";
}
