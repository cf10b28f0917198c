/*
 * Small records kept per pid by an exporter (open addressing, grown by
 * doubling). Each record begins with its __u32 pid; pid 0 marks a free
 * slot, so pid 0 itself cannot be kept.
 */
#ifndef PL_PIDTAB_H
#define PL_PIDTAB_H

#include <stdbool.h>
#include <stddef.h>
#include "events.h"

struct pidtab {
	char *v;
	size_t size;       /* bytes per record: set before first use */
	size_t cap, used;
};

/* the record of pid, made zeroed with its pid if new (*fresh then true);
 * NULL for pid 0 or when out of memory. Pointers last until the next new record */
void *pidtab_get(struct pidtab *t, __u32 pid, bool *fresh);
/* slot i (0 <= i < cap) if it holds a record, else NULL */
void *pidtab_at(const struct pidtab *t, size_t i);
void pidtab_free(struct pidtab *t);

#endif
