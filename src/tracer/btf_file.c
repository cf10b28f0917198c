// SPDX-License-Identifier: BSD-2-Clause
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "tracer/btf_file.h"
#include "util/diag.h"

#define BTF_MAGIC 0xeb9f

static bool read_at(int fd, void *buf, size_t n, off_t at)
{
	return pread(fd, buf, n, at) == (ssize_t)n;
}

/* an ELF file (64-bit, this machine's byte order) has a .BTF section: 1,
 * 0 if not, -1 if it cannot tell (libbpf then decides) */
static int elf_has_btf(int fd)
{
	Elf64_Ehdr eh;
	Elf64_Shdr names, sh;
	char name[5];

	if (!read_at(fd, &eh, sizeof(eh), 0) || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_shentsize != sizeof(sh) || !eh.e_shnum || eh.e_shstrndx >= eh.e_shnum ||
	    !read_at(fd, &names, sizeof(names),
		     (off_t)(eh.e_shoff + (Elf64_Off)eh.e_shstrndx * sizeof(sh))))
		return -1;
	for (unsigned i = 0; i < eh.e_shnum; i++) {
		if (!read_at(fd, &sh, sizeof(sh), (off_t)(eh.e_shoff + (Elf64_Off)i * sizeof(sh))))
			return -1;
		if (sh.sh_name < names.sh_size &&
		    read_at(fd, name, sizeof(name), (off_t)(names.sh_offset + sh.sh_name)) &&
		    !memcmp(name, ".BTF", sizeof(name)))
			return 1;
	}
	return 0;
}

int btf_file_check(const char *path)
{
	unsigned char head[4];
	struct stat st;
	/* not blocking: a FIFO with no writer would hold the open forever */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK), ret = 0;

	if (fd < 0)
		return error_errno("cannot open BTF file '%s'", path);
	if (fstat(fd, &st)) {
		ret = error_errno("cannot read BTF file '%s'", path);
		close(fd);
		return ret;
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return error("'%s' is a directory, not a BTF file", path);
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return error("'%s' is not a regular file: a BTF file is read where it lies", path);
	}
	if (!read_at(fd, head, sizeof(head), 0) ||
	    (head[0] | head[1] << 8) != BTF_MAGIC) {
		if (memcmp(head, ELFMAG, SELFMAG))
			ret = error("'%s' is not a BTF file: kernel BTF is raw (as "
				    "/sys/kernel/btf/vmlinux) or an ELF file's .BTF section", path);
		else if (elf_has_btf(fd) == 0)
			ret = error("'%s' is not a BTF file: an ELF file with no .BTF section", path);
	}
	close(fd);
	return ret;
}
