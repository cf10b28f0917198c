// SPDX-License-Identifier: BSD-2-Clause
/*
 * plbench-floor OBJECT HOOK...: loads and attaches the programs of a BPF
 * object (make bench: floor.bpf.c) that run on the hooks named (the last
 * part of a program's section: sched_switch, sys_exit_wait4), says
 * "attached" on its standard output, and holds them until its standard
 * input ends. Programs on other hooks are not loaded: a hook this kernel
 * lacks then fails nothing. A hook named that no program is on is an
 * error: the floor would be missing it.
 */
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>

static const char *hook_of(const struct bpf_program *prog)
{
	const char *sec = bpf_program__section_name(prog), *slash = strrchr(sec, '/');

	return slash ? slash + 1 : sec;
}

static int named(const char *hook, int n, char **hooks)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(hook, hooks[i]))
			return 1;
	return 0;
}

static int has_program_on(struct bpf_object *obj, const char *hook)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, obj)
		if (!strcmp(hook_of(prog), hook))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_program *prog;
	char line[64];

	if (argc < 3) {
		fprintf(stderr, "usage: plbench-floor OBJECT HOOK...\n");
		return 2;
	}
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) {
		fprintf(stderr, "error: plbench-floor: cannot open %s\n", argv[1]);
		return 1;
	}
	for (int i = 2; i < argc; i++) {
		if (!has_program_on(obj, argv[i])) {
			fprintf(stderr, "error: plbench-floor: no program on hook %s\n", argv[i]);
			return 1;
		}
	}
	bpf_object__for_each_program(prog, obj)
		bpf_program__set_autoload(prog, named(hook_of(prog), argc - 2, argv + 2));
	if (bpf_object__load(obj)) {
		fprintf(stderr, "error: plbench-floor: cannot load %s\n", argv[1]);
		return 1;
	}
	/* the links stay until the process ends, and the programs with them */
	bpf_object__for_each_program(prog, obj) {
		if (bpf_program__autoload(prog) && !bpf_program__attach(prog)) {
			fprintf(stderr, "error: plbench-floor: cannot attach %s\n",
				bpf_program__name(prog));
			return 1;
		}
	}
	printf("attached\n");
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin))
		;
	bpf_object__close(obj);
	return 0;
}
