/* SPDX-License-Identifier: BSD-2-Clause */
/* The user behind sudo: whom a root run works for. */
#ifndef PL_SUDO_H
#define PL_SUDO_H

#include <stdbool.h>
#include <sys/types.h>

/* running as root through sudo by another user: that user's id from
 * SUDO_UID, and SUDO_GID's group ((gid_t)-1 when it is not given) */
bool sudo_user(uid_t *uid, gid_t *gid);

#endif
