// SPDX-License-Identifier: BSD-2-Clause
/*
 * Released processes kept for the tree. A process leaves the table once
 * it is reaped, freed and has nothing alive under it, so memory follows
 * what is alive; but a tree printed when a traced command has ended would
 * then be empty. The last o.history released stay as dead nodes: out of
 * the table, so no lookup finds them and no rule acts on them again, yet
 * still linked under their parent. Past that many, the oldest go for good
 * and are counted, so a printer can say what it cannot show.
 */
#include <stdlib.h>
#include "model/internal.h"

/* children are released before their parent, so a dead node's children
 * left before it did; should one remain, it becomes a root, not a dangling
 * pointer */
static void drop_oldest(struct pl_model *m)
{
	struct pl_proc *p = m->hhead;

	m->hhead = p->hnext;
	if (!m->hhead)
		m->htail = NULL;
	m->nhist--;
	COUNT(m, p, history_dropped);
	tree_unlink(p);
	while (p->child)
		tree_unlink(p->child);
	proc_free(m, p);
}

/* p is out of the table and marked PL_P_RELEASED */
void history_add(struct pl_model *m, struct pl_proc *p)
{
	if (!m->o.history) { /* none kept: still, the tree says what it lacks */
		COUNT(m, p, history_dropped);
		tree_unlink(p);
		proc_free(m, p);
		return;
	}
	p->hnext = NULL;
	if (m->htail)
		m->htail->hnext = p;
	else
		m->hhead = p;
	m->htail = p;
	m->nhist++;
	while (m->nhist > m->o.history)
		drop_oldest(m);
}

void history_destroy(struct pl_model *m)
{
	struct pl_proc *p = m->hhead, *next;

	for (; p; p = next) {
		next = p->hnext;
		proc_free(m, p);
	}
	m->hhead = m->htail = NULL;
	m->nhist = 0;
}

const struct pl_proc *pl_model_next_ended(const struct pl_model *m, const struct pl_proc *prev)
{
	return prev ? prev->hnext : m->hhead;
}
