// SPDX-License-Identifier: BSD-2-Clause
/*
 * Orphanings no reparent record told, known from a later record that names
 * the new parent. Their record may still come: it is sent from the old
 * parent's last context switch, and another CPU's records (the orphan's
 * exit, even its reap) can get into the ring first. The views are told of
 * such an orphaning only once its record had ORPHAN_GRACE_NS of the
 * records' own time to come, or at the end; the conclusion is kept whole
 * meanwhile, as the process may be let go before. Live and replay decide
 * alike, as both go by the records' times.
 */
#include <stdlib.h>
#include <string.h>
#include "model/internal.h"
#include "util/array.h"

#define ORPHAN_GRACE_NS 100000000ULL

static void conclusion_of(const struct pl_proc *p, struct pl_event *e)
{
	memset(e, 0, sizeof(*e));
	e->kind = PL_EV_REPARENT;
	e->flags = PL_F_DERIVED;
	e->ts = p->reparent_ts; /* the later record's moment, not the adoption's */
	e->pid = e->tid = p->pid;
	e->start = p->start;
	e->old_parent = p->old_parent;
	e->new_parent = p->parent->pid;
	e->new_parent_start = p->parent->start;
	e->adopter = p->adopter;
	e->ns_pid = p->ns_pid;
	e->ns_level = p->ns_level;
	e->ns_inum = p->ns_inum;
	memcpy(e->comm, p->comm, sizeof(e->comm));
}

void orphan_pending(struct pl_model *m, struct pl_proc *p)
{
	struct pl_event e;

	if (!p->parent)
		return;
	conclusion_of(p, &e);
	if (array_room(&m->porph, &m->porph_cap, m->nporph, sizeof(*m->porph), 16)) {
		p->flags |= PL_P_REPARENT_TOLD; /* out of memory: told at once */
		model_conclude(m, &e);
		return;
	}
	m->porph[m->nporph++] = (struct pending_orphan){ e, !!(p->flags & PL_P_FOLLOWED) };
}

void orphan_record_came(struct pl_model *m, __u32 pid, __u64 start)
{
	for (size_t i = 0; i < m->nporph; i++)
		if (m->porph[i].e.pid == pid && m->porph[i].e.start == start)
			m->porph[i].e.pid = 0; /* the record tells it */
}

/* those pending whose grace has passed by now (all of them: now ~0). They
 * were put in the order of the records that told them, so the first one
 * not due yet ends the pass: a record costs nothing while they wait */
void orphans_settle(struct pl_model *m, __u64 now)
{
	size_t i = 0;

	for (; i < m->nporph; i++) {
		struct pending_orphan *o = &m->porph[i];
		struct pl_proc *p;

		if (!o->e.pid)
			continue; /* its record came */
		if (o->e.ts + ORPHAN_GRACE_NS > now)
			break;
		p = table_life(m, o->e.pid, o->e.start);
		if (p)
			p->flags |= PL_P_REPARENT_TOLD;
		/* one let go since: its views follow a subtree only if it was in it */
		if (p || !m->follow || o->followed)
			model_conclude(m, &o->e);
	}
	if (i) {
		m->nporph -= i;
		memmove(m->porph, m->porph + i, m->nporph * sizeof(*m->porph));
	}
}

void orphans_destroy(struct pl_model *m)
{
	free(m->porph);
	m->porph = NULL;
	m->nporph = m->porph_cap = 0;
}
