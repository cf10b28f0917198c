/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Small records kept per pid (open addressing, grown by doubling), and the
 * one hash of a pid every table here uses. Each record begins with its
 * __u32 pid; pid 0 marks a free slot, so pid 0 itself cannot be kept.
 */
#ifndef PL_PIDTAB_H
#define PL_PIDTAB_H

#include <stdbool.h>
#include <stddef.h>
#include "events.h"

/* pid's slot in a table of size slots (a power of two, at least 16).
 * Pids come in dense runs: a run of 16 keeps neighbouring slots, whose
 * records the next lookups then find in cache, and the runs are spread
 * by Knuth's multiplicative hash. Both keep the slot a one-to-one map of
 * pid mod size: pids within size of each other never collide, which is
 * how a machine hands them out */
static inline size_t pid_slot(__u32 pid, size_t size)
{
	return (((pid >> 4) * 2654435761u) << 4 | (pid & 15)) & (size - 1);
}

struct pidtab {
	char *v;
	size_t size;       /* bytes per record: set before first use */
	size_t cap, used;
};

/* the record of pid, made zeroed with its pid if new (*fresh then true);
 * NULL for pid 0 or when out of memory. Pointers last until the next new record */
void *pidtab_get(struct pidtab *t, __u32 pid, bool *fresh);
/* the record of pid, or NULL if it has none (nothing is made) */
void *pidtab_find(const struct pidtab *t, __u32 pid);
/* slot i (0 <= i < cap) if it holds a record, else NULL */
void *pidtab_at(const struct pidtab *t, size_t i);
void pidtab_free(struct pidtab *t);

#endif
