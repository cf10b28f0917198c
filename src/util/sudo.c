// SPDX-License-Identifier: BSD-2-Clause
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include "util/sudo.h"

static bool parse_id(const char *s, unsigned long *out)
{
	char *end;

	if (!s)
		return false;
	errno = 0;
	*out = strtoul(s, &end, 10);
	return !errno && end != s && !*end && *out < (uid_t)-1;
}

bool sudo_user(uid_t *uid, gid_t *gid)
{
	unsigned long u, g;

	if (geteuid() != 0 || !parse_id(getenv("SUDO_UID"), &u) || u == 0)
		return false;
	*uid = (uid_t)u;
	*gid = parse_id(getenv("SUDO_GID"), &g) ? (gid_t)g : (gid_t)-1;
	return true;
}
