// SPDX-License-Identifier: BSD-2-Clause
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>
#include <unistd.h>
#include "tracer/privileges.h"
#include "util/diag.h"
#include "util/sudo.h"

static int from_passwd(const struct passwd *pw, struct run_as *out)
{
	out->set = true;
	out->uid = pw->pw_uid;
	out->gid = pw->pw_gid;
	snprintf(out->name, sizeof(out->name), "%s", pw->pw_name);
	return 0;
}

static int parse_id(const char *s, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 10);
	return errno || end == s || *end ? -1 : 0;
}

int run_as_resolve(const char *user, struct run_as *out)
{
	struct passwd *pw;
	unsigned long id;
	uid_t uid;
	gid_t gid;

	memset(out, 0, sizeof(*out));
	if (user) {
		pw = getpwnam(user);
		if (!pw && !parse_id(user, &id))
			pw = getpwuid((uid_t)id);
		if (pw)
			return from_passwd(pw, out);
		if (parse_id(user, &id) || id >= (uid_t)-1)
			return usage_error("-u: no user '%s' to run the command as", user);
		/* a number with no passwd entry, as setpriv takes it: its
		 * group the same number, never root's */
		out->set = true;
		out->uid = (uid_t)id;
		out->gid = (gid_t)id;
		return 0;
	}
	if (!sudo_user(&uid, &gid))
		return 0;
	pw = getpwuid(uid);
	if (pw)
		from_passwd(pw, out);
	out->set = true;
	out->uid = uid;
	if (gid != (gid_t)-1)
		out->gid = gid;
	else if (!pw) {
		error("SUDO_UID is %u but SUDO_GID is not set: give -u USER", (unsigned)uid);
		return EXIT_ERROR;
	}
	return 0;
}

int run_as_become(const struct run_as *r)
{
	if (!r->set)
		return 0;
	if (r->name[0] ? initgroups(r->name, r->gid) : setgroups(0, NULL))
		return -1;
	if (setgid(r->gid) || setuid(r->uid))
		return -1;
	return 0;
}

int files_as(uid_t uid, gid_t gid)
{
	/* each returns the id it had: asked again, the one it has now */
	setfsgid(gid);
	setfsuid(uid);
	if ((uid_t)setfsuid((uid_t)-1) != uid || (gid_t)setfsgid((gid_t)-1) != gid)
		return error("cannot take the file system identity of uid %u", (unsigned)uid);
	return 0;
}

int drop_privileges(void)
{
	cap_t none = cap_init();
	int err = 0;

	if (!none)
		return error_errno("cannot drop capabilities");
	/* from the bounding set first, while CAP_SETPCAP still allows it */
	for (cap_value_t c = 0; c <= CAP_LAST_CAP && !err; c++)
		if (CAP_IS_SUPPORTED(c) && cap_drop_bound(c) && errno != EINVAL)
			err = errno;
	if (!err && cap_reset_ambient() && errno != EINVAL)
		err = errno;
	if (!err && cap_set_proc(none))
		err = errno;
	cap_free(none);
	if (!err && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		err = errno;
	if (err) {
		errno = err;
		return error_errno("cannot drop capabilities");
	}
	return 0;
}
