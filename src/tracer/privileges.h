/* SPDX-License-Identifier: BSD-2-Clause */
/* Holding root no longer than needed. */
#ifndef PL_PRIVILEGES_H
#define PL_PRIVILEGES_H

#include <stdbool.h>
#include <sys/types.h>

/* who the traced command runs as */
struct run_as {
	bool set;      /* false: as this process's user */
	uid_t uid;
	gid_t gid;
	char name[64]; /* for its supplementary groups; empty if unknown */
};

/* -u USER, else the user sudo was run by (SUDO_UID), else this process's
 * own user. 0, or after printing why the exit status: EXIT_USAGE for a
 * user that is not, EXIT_ERROR for sudo's variables that do not agree */
int run_as_resolve(const char *user, struct run_as *out);
/* in the child, before exec: 0 or -1 with errno set */
int run_as_become(const struct run_as *r);
/* every capability gone, for good: after the BPF programs are attached the
 * tracer only reads memory it already has mapped. -1 after printing why. */
int drop_privileges(void);
/* the files it names from here on (a rotation's next part, the file
 * SIGUSR2 reopens) made, moved and owned as uid and gid: the user who ran
 * sudo, whose log it is, in that user's folder. -1 after printing why */
int files_as(uid_t uid, gid_t gid);

#endif
