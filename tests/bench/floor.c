// SPDX-License-Identifier: BSD-2-Clause
/*
 * plbench-floor OBJECT: loads and attaches every program of a BPF object
 * (make bench: floor.bpf.c), says "attached" on its standard output, and
 * holds them until its standard input ends.
 */
#include <stdio.h>
#include <bpf/libbpf.h>

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_program *prog;
	char line[64];

	if (argc != 2) {
		fprintf(stderr, "usage: plbench-floor OBJECT\n");
		return 2;
	}
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj || bpf_object__load(obj)) {
		fprintf(stderr, "error: plbench-floor: cannot load %s\n", argv[1]);
		return 1;
	}
	/* the links stay until the process ends, and the programs with them */
	bpf_object__for_each_program(prog, obj) {
		if (!bpf_program__attach(prog)) {
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
