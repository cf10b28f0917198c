// SPDX-License-Identifier: BSD-2-Clause
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "capture/kernel_probe.h"
#include "mechanisms.h"
#include "util/diag.h"

/*
 * PL_M_PT_REGS, PL_M_KFUNC and PL_M_EXIT_ARG are used only by variants
 * that also use PL_M_BASE's maps: without it the kernel gets the compat
 * variants of every hook, so that all programs keep zombies and per-thread
 * state in the same maps.
 */
static unsigned usable(unsigned have)
{
	return (have & PL_M_BASE) ? have : have & (PL_M_IO_WAITID | PL_M_OOM_VICTIM | PL_M_CGROUP_NAMES |
						 PL_M_MAP_ITER);
}

/* a helper the verifier lets tracing programs call */
static bool tracing_helper(enum bpf_func_id id)
{
	return libbpf_probe_bpf_helper(BPF_PROG_TYPE_TRACEPOINT, id, NULL) == 1;
}

/* the kernel loads the program insns (n of them) of this type */
static bool loads(enum bpf_prog_type type, const struct bpf_insn *insns, size_t n,
		  const struct bpf_prog_load_opts *opts)
{
	int fd = bpf_prog_load(type, NULL, "GPL", insns, n, opts);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* BPF atomics beyond add (5.12): a compare-and-swap on the stack */
static bool has_atomics(void)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_STX | BPF_MEM | BPF_DW, .dst_reg = BPF_REG_10, .src_reg = BPF_REG_0,
		  .off = -8 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_1, .imm = 1 },
		{ .code = BPF_STX | BPF_ATOMIC | BPF_DW, .dst_reg = BPF_REG_10,
		  .src_reg = BPF_REG_1, .off = -8, .imm = BPF_CMPXCHG },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};

	return loads(BPF_PROG_TYPE_SOCKET_FILTER, insns, sizeof(insns) / sizeof(insns[0]), NULL);
}

/* a program for the map element iterator (5.9) loads: some kernels
 * refuse it, even to root. Its target is the running kernel's own BTF id,
 * as libbpf finds it for the real program whatever --btf gives */
static bool has_map_elem_iter(const struct btf *vmlinux, bool custom_btf)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int id = custom_btf ? libbpf_find_vmlinux_btf_id("bpf_map_elem", BPF_TRACE_ITER) :
			      btf__find_by_name_kind(vmlinux, "bpf_iter_bpf_map_elem", BTF_KIND_FUNC);
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_ITER,
		    .attach_btf_id = id > 0 ? (__u32)id : 0);

	return id > 0 && loads(BPF_PROG_TYPE_TRACING, insns, sizeof(insns) / sizeof(insns[0]), &opts);
}

static bool has_func(const struct btf *btf, const char *name)
{
	return btf__find_by_name_kind(btf, name, BTF_KIND_FUNC) > 0;
}

static bool has_enum_value(const struct btf *btf, const char *type, const char *name)
{
	int id = btf__find_by_name_kind(btf, type, BTF_KIND_ENUM);
	const struct btf_type *t = id > 0 ? btf__type_by_id(btf, id) : NULL;
	const struct btf_enum *v = t ? btf_enum(t) : NULL;

	for (int i = 0; t && i < btf_vlen(t); i++)
		if (!strcmp(btf__name_by_offset(btf, v[i].name_off), name))
			return true;
	return false;
}

/* the arguments a tracepoint's BTF prototype takes, after its context */
static int tracepoint_args(const struct btf *btf, const char *tp)
{
	char name[128];
	const struct btf_type *t;
	int id;

	snprintf(name, sizeof(name), "btf_trace_%s", tp);
	id = btf__find_by_name_kind(btf, name, BTF_KIND_TYPEDEF);
	if (id <= 0)
		return -1;
	t = btf__type_by_id(btf, id);
	t = t ? btf__type_by_id(btf, t->type) : NULL; /* the pointer */
	t = t && btf_is_ptr(t) ? btf__type_by_id(btf, t->type) : NULL;
	if (!t || !btf_is_func_proto(t))
		return -1;
	return btf_vlen(t) - 1;
}

int pl_probe_mechanisms(const struct btf *vmlinux, bool custom_btf, unsigned allowed,
			unsigned *have)
{
	*have = 0;
	if (libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL) != 1)
		return error("this kernel has no BPF ring buffer: proclife needs Linux 5.8 or later");
	if (tracepoint_args(vmlinux, "sched_process_fork") < 2)
		return error("this kernel's BTF has no sched_process_fork tracepoint: proclife "
			     "needs Linux 5.8 or later with CONFIG_DEBUG_INFO_BTF");
	if (tracing_helper(BPF_FUNC_get_current_task_btf) &&
	    tracing_helper(BPF_FUNC_task_storage_get) && has_atomics())
		*have |= PL_M_BASE;
	if (tracing_helper(BPF_FUNC_task_pt_regs))
		*have |= PL_M_PT_REGS;
	if (has_func(vmlinux, "bpf_task_from_pid") && has_func(vmlinux, "bpf_task_release"))
		*have |= PL_M_KFUNC;
	if (tracepoint_args(vmlinux, "sched_process_exit") >= 2)
		*have |= PL_M_EXIT_ARG;
	if (tracepoint_args(vmlinux, "io_uring_complete") >= 2 &&
	    btf__find_by_name_kind(vmlinux, "io_waitid", BTF_KIND_STRUCT) > 0 &&
	    has_enum_value(vmlinux, "io_uring_op", "IORING_OP_WAITID"))
		*have |= PL_M_IO_WAITID;
	if (tracepoint_args(vmlinux, "mark_victim") >= 1)
		*have |= PL_M_OOM_VICTIM;
	if (tracepoint_args(vmlinux, "cgroup_mkdir") >= 2 &&
	    tracepoint_args(vmlinux, "cgroup_rename") >= 2)
		*have |= PL_M_CGROUP_NAMES;
	if (has_map_elem_iter(vmlinux, custom_btf))
		*have |= PL_M_MAP_ITER;
	*have = usable(*have & allowed);
	return 0;
}

/* the variants of each hook, best first: the first whose mechanisms the
 * kernel offers is loaded. `unless`: loaded only without those */
struct variant {
	const char *hook;
	const char *prog;
	unsigned needs;
	unsigned unless;
};

static const struct variant variants[] = {
	{ "sched_process_fork", "on_fork", 0, 0 },
	{ "sched_process_exec", "on_exec", 0, 0 },
	{ "sched_process_exit", "on_exit", PL_M_BASE | PL_M_EXIT_ARG, 0 },
	{ "sched_process_exit", "on_exit_live", PL_M_BASE, 0 },
	{ "sched_process_exit", "on_exit_compat", 0, 0 },
	{ "signal_generate", "on_signal", PL_M_BASE, 0 },
	{ "signal_generate", "on_signal_compat", 0, 0 },
	{ "sched_process_wait", "on_wait", PL_M_BASE | PL_M_PT_REGS, 0 },
	{ "sched_process_wait", "on_wait_args", PL_M_BASE, 0 },
	{ "sched_process_wait", "on_wait_compat", 0, 0 },
	{ "sys_enter_wait4", "on_wait4_enter", 0, PL_M_PT_REGS },
	{ "sys_enter_waitid", "on_waitid_enter", 0, PL_M_PT_REGS },
	{ "sys_exit_wait4", "on_wait4_exit", PL_M_BASE | PL_M_PT_REGS, 0 },
	{ "sys_exit_wait4", "on_wait4_exit_args", PL_M_BASE, 0 },
	{ "sys_exit_wait4", "on_wait4_exit_compat", 0, 0 },
	{ "sys_exit_waitid", "on_waitid_exit", PL_M_BASE | PL_M_PT_REGS, 0 },
	{ "sys_exit_waitid", "on_waitid_exit_args", PL_M_BASE, 0 },
	{ "sys_exit_waitid", "on_waitid_exit_compat", 0, 0 },
	{ "sched_switch", "on_switch", PL_M_BASE | PL_M_KFUNC, 0 },
	{ "sched_switch", "on_switch_probe", PL_M_BASE, 0 },
	{ "sched_switch", "on_switch_compat", 0, 0 },
	{ "sched_process_free", "on_free", PL_M_BASE, 0 },
	{ "sched_process_free", "on_free_compat", 0, 0 },
	{ "io_uring_complete", "on_io_waitid", PL_M_BASE | PL_M_IO_WAITID, 0 },
	{ "io_uring_complete", "on_io_waitid_compat", PL_M_IO_WAITID, 0 },
	{ "sys_enter_execve", "on_execve_enter", 0, PL_M_PT_REGS },
	{ "sys_enter_execveat", "on_execveat_enter", 0, PL_M_PT_REGS },
	{ "sys_exit_execve", "on_execve_exit", PL_M_BASE | PL_M_PT_REGS, 0 },
	{ "sys_exit_execve", "on_execve_exit_args", 0, 0 },
	{ "sys_exit_execveat", "on_execveat_exit", PL_M_BASE | PL_M_PT_REGS, 0 },
	{ "sys_exit_execveat", "on_execveat_exit_args", 0, 0 },
	{ "mark_victim", "on_oom_victim", PL_M_OOM_VICTIM, 0 },
	{ "cgroup_mkdir", "on_cgroup_mkdir", PL_M_CGROUP_NAMES, 0 },
	{ "cgroup_rename", "on_cgroup_rename", PL_M_CGROUP_NAMES, 0 },
	{ "iter/task", "dump_task", PL_M_BASE, 0 },
	{ "iter/task", "dump_task_compat", 0, 0 },
	{ "iter/task (waits)", "dump_waits", PL_M_BASE, 0 },
	{ "iter/bpf_map_elem", "dump_wait_hash", PL_M_MAP_ITER, 0 },
};

/* the maps a mechanism brings or replaces; the others are always made */
struct map_rule {
	const char *map;
	unsigned needs;
	unsigned unless;
};

static const struct map_rule map_rules[] = {
	{ "zombie_slots", PL_M_BASE, 0 },
	{ "exitings", PL_M_BASE, 0 },
	{ "last_words", PL_M_BASE, 0 },
	{ "wait_store", PL_M_BASE, 0 },
	{ "group_told", PL_M_BASE, PL_M_EXIT_ARG },
	{ "exitings_by_tid", 0, PL_M_BASE },
	{ "exiting_scratch", 0, PL_M_BASE },
	{ "last_words_by_tid", 0, PL_M_BASE },
	{ "group_exits", 0, PL_M_BASE },
	{ "wait_args", 0, PL_M_PT_REGS },
	{ "exec_args", 0, PL_M_PT_REGS },
};

#define N_VARIANTS (sizeof(variants) / sizeof(variants[0]))
#define N_MAP_RULES (sizeof(map_rules) / sizeof(map_rules[0]))

static bool offered(unsigned have, unsigned needs, unsigned unless)
{
	return (needs & ~have) == 0 && (unless & have) == 0;
}

static const struct variant *variant_of(const char *prog)
{
	for (size_t i = 0; i < N_VARIANTS; i++)
		if (!strcmp(variants[i].prog, prog))
			return &variants[i];
	return NULL;
}

/* the variant of this hook the kernel gets */
static const struct variant *chosen(const char *hook, unsigned have)
{
	for (size_t i = 0; i < N_VARIANTS; i++)
		if (!strcmp(variants[i].hook, hook) &&
		    offered(have, variants[i].needs, variants[i].unless))
			return &variants[i];
	return NULL;
}

/*
 * The kernel refused prog, which the probes said it would take (a program
 * type, helper or kfunc it offers only to some, a verifier that rejects
 * what another accepts): the mechanisms to do without, so that its hook
 * gets its next variant, or, for a hook no other variant serves, none of
 * it. 0: no way round it.
 */
unsigned pl_mechanisms_refused(const char *prog, unsigned have)
{
	const struct variant *v = variant_of(prog);
	unsigned drop = v ? v->needs & have : 0;

	if (!v || chosen(v->hook, have) != v)
		return 0;
	for (const struct variant *w = v + 1; w < variants + N_VARIANTS; w++)
		if (!strcmp(w->hook, v->hook)) {
			drop &= ~w->needs;
			break;
		}
	/* one mechanism the next variant does without is enough to skip
	 * this one: base, which every hook's best variant uses, goes last */
	if (drop & ~PL_M_BASE)
		drop &= ~PL_M_BASE;
	/* and what goes with base's maps when base goes */
	return drop ? have & ~usable(have & ~drop) : 0;
}

const char *pl_program_hook(const char *prog)
{
	const struct variant *v = variant_of(prog);

	return v ? v->hook : NULL;
}

int pl_choose_programs(struct bpf_object *obj, unsigned have, bool wait_records)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, obj) {
		const char *name = bpf_program__name(prog);
		const struct variant *v = variant_of(name);

		if (!v)
			return error("internal: BPF program '%s' has no mechanisms listed", name);
		/* waits are counted as they return; a record as each begins is
		 * only for a view that shows them */
		bpf_program__set_autoload(prog, chosen(v->hook, have) == v &&
						(wait_records || strcmp(v->hook, "sched_process_wait")));
	}
	for (size_t i = 0; i < N_MAP_RULES; i++) {
		const struct map_rule *r = &map_rules[i];
		struct bpf_map *map = bpf_object__find_map_by_name(obj, r->map);

		if (!map)
			return error("internal: no BPF map '%s'", r->map);
		bpf_map__set_autocreate(map, offered(have, r->needs, r->unless));
	}
	return 0;
}
