// SPDX-License-Identifier: BSD-2-Clause
/*
 * Orphanings no reparent record told, known from a later record that names
 * the new parent. Their record may still come a moment later (it is sent
 * from the old parent's last context switch, and another CPU's record can
 * get into the ring first): the views are told of such an orphaning only
 * once its record had ORPHAN_GRACE_NS of the records' own time to come,
 * or when the process is let go, or at the end. Live and replay decide
 * alike, as both go by the records' times.
 */
#include <stdlib.h>
#include <string.h>
#include "model/internal.h"
#include "util/array.h"

#define ORPHAN_GRACE_NS 100000000ULL

void orphan_pending(struct pl_model *m, struct pl_proc *p)
{
	if (array_room(&m->porph, &m->porph_cap, m->nporph, sizeof(*m->porph), 16)) {
		orphan_conclude(m, p); /* out of memory: told at once, not after its grace */
		return;
	}
	m->porph[m->nporph++] = (struct pending_orphan){ .pid = p->pid, .start = p->start,
							   .ts = p->reparent_ts };
	p->flags |= PL_P_ORPHAN_PENDING;
}

void orphan_conclude(struct pl_model *m, struct pl_proc *p)
{
	struct pl_event e = { 0 };

	p->flags &= ~PL_P_ORPHAN_PENDING;
	if (!(p->flags & PL_P_REPARENT_UNSEEN) || !p->parent)
		return; /* its record came after all: that one tells it */
	p->flags |= PL_P_REPARENT_TOLD;
	e.kind = PL_EV_REPARENT;
	e.flags = PL_F_DERIVED;
	e.ts = p->reparent_ts; /* the later record's moment, not the adoption's */
	e.pid = e.tid = p->pid;
	e.start = p->start;
	e.old_parent = p->old_parent;
	e.new_parent = p->parent->pid;
	e.new_parent_start = p->parent->start;
	e.adopter = p->adopter;
	e.ns_pid = p->ns_pid;
	e.ns_level = p->ns_level;
	e.ns_inum = p->ns_inum;
	memcpy(e.comm, p->comm, sizeof(e.comm));
	model_conclude(m, &e);
}

/* those pending whose grace has passed by now (all of them: now ~0) */
void orphans_settle(struct pl_model *m, __u64 now)
{
	size_t i = 0, kept = 0;

	for (; i < m->nporph; i++) {
		struct pending_orphan *o = &m->porph[i];
		struct pl_proc *p;

		if (o->ts + ORPHAN_GRACE_NS > now) {
			m->porph[kept++] = *o;
			continue;
		}
		p = table_life(m, o->pid, o->start);
		if (p && (p->flags & PL_P_ORPHAN_PENDING))
			orphan_conclude(m, p);
	}
	m->nporph = kept;
}

void orphans_destroy(struct pl_model *m)
{
	free(m->porph);
	m->porph = NULL;
	m->nporph = m->porph_cap = 0;
}
