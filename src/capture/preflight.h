/* What must hold before BPF can load: privileges, kernel BTF, tracefs. */
#ifndef PL_PREFLIGHT_H
#define PL_PREFLIGHT_H

/* each prints one clear error line and returns -1 when the check fails */
int pl_check_privileges(void);
int pl_check_btf(const char *path);
int pl_ensure_tracefs(void);

#endif
