// SPDX-License-Identifier: BSD-2-Clause
/*
 * Released processes kept for the tree. A process leaves the table once
 * it is reaped, freed and has nothing alive under it, so memory follows
 * what is alive; but a tree printed when a traced command has ended would
 * then be empty. The last o.history released stay as dead nodes: out of
 * the table, so no lookup finds them and no rule acts on them again, yet
 * still linked under their parent. Past that many, the oldest go for good
 * and are counted, so a printer can say what it cannot show. The notable
 * are kept apart, as many again: a storm of short lives after a long
 * zombie does not take it out of the tree. Long zombies, what the tool is
 * for, have a list of their own again: a storm of double forks (each one
 * an orphan) does not take them out either.
 */
#include <stdlib.h>
#include "model/internal.h"

/* what a reader of the tree looks for: a long zombie, an orphan, a
 * double fork's grandchild, a process killed by a signal */
static bool notable(const struct pl_proc *p)
{
	return (p->flags & (PL_P_LONG_ZOMBIE | PL_P_ORPHAN | PL_P_DOUBLE_FORK)) || proc_killed(p);
}

/* the lists of released processes kept, in the order they are walked */
enum kept_class { KEPT_ORDINARY, KEPT_NOTABLE, KEPT_LONG_ZOMBIE, KEPT_CLASSES };

/* the list a released process is kept on, by its flags when released */
static enum kept_class kept_class(const struct pl_proc *p)
{
	if (p->flags & PL_P_LONG_ZOMBIE)
		return KEPT_LONG_ZOMBIE;
	return notable(p) ? KEPT_NOTABLE : KEPT_ORDINARY;
}

static const struct kept_list *kept_list(const struct pl_model *m, enum kept_class c)
{
	return c == KEPT_LONG_ZOMBIE ? &m->long_zombies : c == KEPT_NOTABLE ? &m->notable : &m->kept;
}

/* children are released before their parent, so a dead node's children
 * left before it did; should one remain (a notable one, kept longer), it
 * becomes a root, not a dangling pointer */
static void drop_oldest(struct pl_model *m, struct kept_list *l)
{
	struct pl_proc *p = l->head;

	l->head = p->hnext;
	if (!l->head)
		l->tail = NULL;
	l->n--;
	COUNT(m, p, history_dropped);
	tree_unlink(p);
	while (p->child)
		tree_unlink(p->child);
	proc_free(m, p);
}

/* p is out of the table and marked PL_P_RELEASED */
void history_add(struct pl_model *m, struct pl_proc *p)
{
	/* the model's own list: writable as the model is */
	struct kept_list *l = (struct kept_list *)kept_list(m, kept_class(p));

	if (!m->o.history) { /* none kept: still, the tree says what it lacks */
		COUNT(m, p, history_dropped);
		tree_unlink(p);
		proc_free(m, p);
		return;
	}
	p->hnext = NULL;
	if (l->tail)
		l->tail->hnext = p;
	else
		l->head = p;
	l->tail = p;
	l->n++;
	while (l->n > m->o.history)
		drop_oldest(m, l);
}

static void free_list(struct pl_model *m, struct kept_list *l)
{
	struct pl_proc *p = l->head, *next;

	for (; p; p = next) {
		next = p->hnext;
		proc_free(m, p);
	}
	*l = (struct kept_list){ 0 };
}

void history_destroy(struct pl_model *m)
{
	free_list(m, &m->kept);
	free_list(m, &m->notable);
	free_list(m, &m->long_zombies);
}

/* the ordinary kept, then the notable, then the long zombies */
const struct pl_proc *pl_model_next_ended(const struct pl_model *m, const struct pl_proc *prev)
{
	enum kept_class c = KEPT_ORDINARY;

	if (prev && prev->hnext)
		return prev->hnext;
	/* the last of its list: the lists after that one */
	while (prev && c < KEPT_CLASSES && kept_list(m, c++)->tail != prev)
		;
	for (; c < KEPT_CLASSES; c++)
		if (kept_list(m, c)->head)
			return kept_list(m, c)->head;
	return NULL;
}
