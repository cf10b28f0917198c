/* SPDX-License-Identifier: BSD-2-Clause */
/* --btf FILE looked at before anything loads it: a wrong file is named as
 * wrong, where libbpf's reasons sent people to rebuild their kernel. */
#ifndef PL_BTF_FILE_H
#define PL_BTF_FILE_H

/* 0 when path can be kernel BTF (raw, or an ELF file with a .BTF
 * section); -1 after saying what it is instead */
int btf_file_check(const char *path);

#endif
