// SPDX-License-Identifier: BSD-2-Clause
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "capture/skipped_runs.h"

struct prog_file {
	int file;                  /* /proc/self/fdinfo/FD of a loaded program */
	unsigned long long misses; /* its count at the last read that worked */
};

struct pl_skipped_runs {
	struct prog_file *progs;
	size_t n;
	bool counted;
};

int pl_fdinfo_misses(const char *text, unsigned long long *out)
{
	static const char key[] = "recursion_misses:";
	const char *at = text;

	/* at a line's start only */
	while ((at = strstr(at, key)) && at != text && at[-1] != '\n')
		at += sizeof(key) - 1;
	if (!at)
		return -1;
	*out = strtoull(at + sizeof(key) - 1, NULL, 10);
	return 0;
}

/* one program's count; -1 if its file says none */
static int misses_of(int file, unsigned long long *out)
{
	char text[1024];
	ssize_t n = pread(file, text, sizeof(text) - 1, 0);

	if (n <= 0)
		return -1;
	text[n] = 0;
	return pl_fdinfo_misses(text, out);
}

struct pl_skipped_runs *pl_skipped_runs_open(const struct bpf_object *obj)
{
	struct pl_skipped_runs *s = calloc(1, sizeof(*s));
	struct bpf_program *prog;
	size_t cap = 0;

	if (!s)
		return NULL;
	bpf_object__for_each_program(prog, obj) {
		char path[64];
		unsigned long long n;
		int fd = bpf_program__fd(prog), file;

		if (fd < 0)
			continue;
		snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
		file = open(path, O_RDONLY | O_CLOEXEC);
		if (file < 0)
			continue;
		if (misses_of(file, &n)) { /* a kernel that does not count them */
			close(file);
			continue;
		}
		if (s->n == cap) {
			struct prog_file *more = realloc(s->progs, (cap ? cap * 2 : 16) * sizeof(*more));

			if (!more) {
				close(file);
				pl_skipped_runs_close(s);
				return NULL;
			}
			s->progs = more;
			cap = cap ? cap * 2 : 16;
		}
		s->progs[s->n++] = (struct prog_file){ .file = file, .misses = n };
		s->counted = true;
	}
	return s;
}

void pl_skipped_runs_close(struct pl_skipped_runs *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		close(s->progs[i].file);
	free(s->progs);
	free(s);
}

bool pl_skipped_runs_counted(const struct pl_skipped_runs *s)
{
	return s->counted;
}

unsigned long long pl_skipped_runs_read(struct pl_skipped_runs *s)
{
	unsigned long long sum = 0;

	/* a read that fails keeps the count before it: it only grows */
	for (size_t i = 0; i < s->n; i++) {
		misses_of(s->progs[i].file, &s->progs[i].misses);
		sum += s->progs[i].misses;
	}
	return sum;
}
