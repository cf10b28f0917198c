/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * User names for uids, from this machine's user database (getpwuid_r),
 * remembered so a busy trace asks once per user. A log read on another
 * machine gets this machine's names; a uid with none shows as its number.
 */
#ifndef PL_USERS_H
#define PL_USERS_H

#include <stddef.h>
#include "events.h"

/* uid's name (or number) into buf */
const char *user_name(__u32 uid, char *buf, size_t len);
/* a --uid value: a number, or a user's name looked up: 0, or -1 if no such user */
int user_parse(const char *s, __u32 *uid);

#endif
