/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Which of the BPF side's mechanisms the running kernel offers
 * (include/mechanisms.h), and the program variants and maps that follow
 * from them. Decided from the kernel's BTF and by asking the verifier,
 * never from the kernel's version.
 */
#ifndef PL_CAPTURE_KERNEL_PROBE_H
#define PL_CAPTURE_KERNEL_PROBE_H

struct bpf_object;
struct btf;
#include <stdbool.h>

/* PL_M_* bits the kernel offers, of those `allowed`, that proclife will
 * use; -1 (and one error line) when it lacks what proclife cannot do
 * without (ring buffers, BTF tracepoints). vmlinux: the BTF the programs
 * are relocated against, the running kernel's own unless custom_btf */
int pl_probe_mechanisms(const struct btf *vmlinux, bool custom_btf, unsigned allowed,
			unsigned *have);

/* keeps one program per hook and the maps those programs use (the one that
 * tells each wait as it begins only with wait_records); -1 and one error
 * line if the object holds a program the choice does not know */
int pl_choose_programs(struct bpf_object *obj, unsigned have, bool wait_records);

/* the mechanisms to do without when the kernel refuses the program named
 * prog, chosen for `have`: its hook's next variant, or none for a hook of
 * its own; 0 when nothing can replace it (proclife needs it) */
unsigned pl_mechanisms_refused(const char *prog, unsigned have);

/* the hook a program runs on (its tracepoint or iterator); NULL if unknown */
const char *pl_program_hook(const char *prog);

#endif
