// SPDX-License-Identifier: BSD-2-Clause
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "output/users.h"
#include "util/printable.h"

#define CACHED 64
#define NAME_MAX_SHOWN 32

static struct {
	__u32 uid;
	char name[NAME_MAX_SHOWN + 1]; /* "": not looked up */
} cache[CACHED];
static unsigned next_slot;

/* room getpw*_r may need */
static size_t pw_room(void)
{
	long n = sysconf(_SC_GETPW_R_SIZE_MAX);

	return n > 0 ? (size_t)n : 16384;
}

static void look_up(__u32 uid, char *name, size_t len)
{
	struct passwd pw, *found = NULL;
	char *buf = malloc(pw_room());

	if (buf && !getpwuid_r(uid, &pw, buf, pw_room(), &found) && found)
		pl_printable(found->pw_name, strlen(found->pw_name), name, len);
	else
		snprintf(name, len, "%u", uid);
	free(buf);
}

const char *user_name(__u32 uid, char *buf, size_t len)
{
	unsigned i;

	for (i = 0; i < CACHED; i++)
		if (cache[i].name[0] && cache[i].uid == uid)
			break;
	if (i == CACHED) { /* the oldest made room for it */
		i = next_slot++ % CACHED;
		cache[i].uid = uid;
		look_up(uid, cache[i].name, sizeof(cache[i].name));
	}
	snprintf(buf, len, "%s", cache[i].name);
	return buf;
}

int user_parse(const char *s, __u32 *uid)
{
	struct passwd pw, *found = NULL;
	char *buf, *end;
	unsigned long v;
	int ret = -1;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s >= '0' && *s <= '9' && !*end && !errno && v <= 0xfffffffeUL) {
		*uid = (__u32)v;
		return 0;
	}
	buf = malloc(pw_room());
	if (buf && !getpwnam_r(s, &pw, buf, pw_room(), &found) && found) {
		*uid = (__u32)found->pw_uid;
		ret = 0;
	}
	free(buf);
	return ret;
}
