// SPDX-License-Identifier: BSD-2-Clause
#include <stdlib.h>
#include <string.h>
#include "util/pidtab.h"

static __u32 pid_at(const struct pidtab *t, size_t i)
{
	__u32 pid;

	memcpy(&pid, t->v + i * t->size, sizeof(pid));
	return pid;
}

static size_t slot(const struct pidtab *t, __u32 pid)
{
	size_t i = pid_slot(pid, t->cap);

	while (pid_at(t, i) && pid_at(t, i) != pid)
		i = (i + 1) & (t->cap - 1);
	return i;
}

static int grow(struct pidtab *t)
{
	struct pidtab old = *t;

	t->cap = old.cap ? 2 * old.cap : 1024;
	t->v = calloc(t->cap, t->size);
	if (!t->v) {
		*t = old;
		return -1;
	}
	for (size_t i = 0; i < old.cap; i++)
		if (pid_at(&old, i))
			memcpy(t->v + slot(t, pid_at(&old, i)) * t->size, old.v + i * t->size,
			       t->size);
	free(old.v);
	return 0;
}

void *pidtab_get(struct pidtab *t, __u32 pid, bool *fresh)
{
	size_t i;

	*fresh = false;
	if (!pid)
		return NULL;
	if ((t->used + 1) * 2 > t->cap && grow(t))
		return NULL;
	i = slot(t, pid);
	if (!pid_at(t, i)) {
		memcpy(t->v + i * t->size, &pid, sizeof(pid));
		t->used++;
		*fresh = true;
	}
	return t->v + i * t->size;
}

void *pidtab_find(const struct pidtab *t, __u32 pid)
{
	size_t i;

	if (!pid || !t->cap)
		return NULL;
	i = slot(t, pid);
	return pid_at(t, i) ? t->v + i * t->size : NULL;
}

void *pidtab_at(const struct pidtab *t, size_t i)
{
	return i < t->cap && pid_at(t, i) ? t->v + i * t->size : NULL;
}

void pidtab_free(struct pidtab *t)
{
	free(t->v);
	memset(t, 0, sizeof(*t));
}
