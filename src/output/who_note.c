// SPDX-License-Identifier: BSD-2-Clause
#include <stdio.h>
#include <string.h>
#include "output/cgroup_label.h"
#include "output/users.h"
#include "output/who_note.h"
#include "util/printable.h"

#define LABEL_LEN 160

/* where p runs: its unit or container, else (only beside a parent
 * elsewhere) its cgroup's path; NULL: not known */
static const char *where(const struct pl_proc *p, bool label_only, char *buf, size_t len)
{
	if (!p || !p->cgroup)
		return NULL;
	if (cgroup_label(p->cgroup, buf, len))
		return buf;
	if (label_only)
		return NULL;
	snprintf(buf, len, "cgroup %s", SHOW_STR(p->cgroup));
	return buf;
}

static void add(char *buf, size_t len, size_t *used, const char *what, const char *value)
{
	if (*used < len)
		*used += (size_t)snprintf(buf + *used, len - *used, "%s%s%s", *used ? ", " : "", what,
					  value);
}

const char *who_note(const struct pl_proc *p, const struct pl_proc *parent, bool top, char *buf,
		     size_t len)
{
	bool known = parent && (parent->flags & PL_P_WHO) && !top;
	char name[40], mine[LABEL_LEN], theirs[LABEL_LEN];
	const char *w;
	size_t used = 0;

	buf[0] = 0;
	if (!(p->flags & PL_P_WHO))
		return buf;
	if (known ? parent->uid != p->uid : p->uid != 0)
		add(buf, len, &used, "user ", user_name(p->uid, name, sizeof(name)));
	if (p->euid != p->uid && (!known || parent->euid != p->euid || parent->uid != p->uid))
		add(buf, len, &used, "euid ", user_name(p->euid, name, sizeof(name)));
	/* at the top, a unit or container; beneath a parent, a move */
	top |= !parent || !parent->cgroup;
	w = where(p, top, mine, sizeof(mine));
	if (w && (top || strcmp(w, where(parent, false, theirs, sizeof(theirs)))))
		add(buf, len, &used, "in ", w);
	return buf;
}
