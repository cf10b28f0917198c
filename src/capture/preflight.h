/* SPDX-License-Identifier: BSD-2-Clause */
/* What must hold before BPF can load: privileges, kernel BTF, tracefs. */
#ifndef PL_PREFLIGHT_H
#define PL_PREFLIGHT_H

struct btf;

/* each prints one clear error line and returns -1 when the check fails */
int pl_check_privileges(void);
/* the kernel's BTF at path, for the caller to btf__free() */
int pl_load_btf(const char *path, struct btf **out);
int pl_ensure_tracefs(void);

#endif
