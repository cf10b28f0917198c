// SPDX-License-Identifier: BSD-2-Clause
/*
 * The process table: a chained hash on pid. All lives of one pid share a
 * chain, so "the current life of pid" and "this exact life" are one walk.
 * It grows and shrinks with the number of entries: memory follows what is
 * alive, not what has been seen.
 */
#include <stdlib.h>
#include <string.h>
#include "model/internal.h"

#define MIN_BUCKETS 1024

/* a pid's bucket is its low bits: chains do not crowd the way open
 * addressing does (util/pidtab.h), and the dense runs pids come in then
 * share cache lines of the bucket array, where a hash would scatter them */
static size_t bucket_of(__u32 pid, size_t nbuckets)
{
	return pid & (nbuckets - 1);
}

int table_init(struct pl_model *m)
{
	m->nbuckets = MIN_BUCKETS;
	m->buckets = calloc(m->nbuckets, sizeof(*m->buckets));
	return m->buckets ? 0 : -1;
}

void table_destroy(struct pl_model *m)
{
	for (size_t i = 0; i < m->nbuckets; i++) {
		struct pl_proc *p = m->buckets[i], *next;

		for (; p; p = next) {
			next = p->hnext;
			proc_free(m, p);
		}
	}
	free(m->buckets);
	m->buckets = NULL;
}

static void rehash(struct pl_model *m, size_t n)
{
	struct pl_proc **nb = calloc(n, sizeof(*nb));

	if (!nb)
		return; /* keep the old size: slower, still correct */
	for (size_t i = 0; i < m->nbuckets; i++) {
		struct pl_proc *p = m->buckets[i], *next;

		for (; p; p = next) {
			size_t s = bucket_of(p->pid, n);

			next = p->hnext;
			p->hnext = nb[s];
			nb[s] = p;
		}
	}
	free(m->buckets);
	m->buckets = nb;
	m->nbuckets = n;
}

struct pl_proc *table_life(const struct pl_model *m, __u32 pid, __u64 start)
{
	struct pl_proc *p = m->buckets[bucket_of(pid, m->nbuckets)];

	for (; p; p = p->hnext)
		if (p->pid == pid && p->start == start)
			return p;
	return NULL;
}

struct pl_proc *table_newest(const struct pl_model *m, __u32 pid)
{
	struct pl_proc *p = m->buckets[bucket_of(pid, m->nbuckets)], *best = NULL;

	for (; p; p = p->hnext)
		if (p->pid == pid && (!best || p->start > best->start))
			best = p;
	return best;
}

/* the unreaped life of pid that reaper must collect: a reap with no start */
struct pl_proc *table_unreaped(const struct pl_model *m, __u32 pid, __u32 reaper)
{
	struct pl_proc *p = m->buckets[bucket_of(pid, m->nbuckets)], *best = NULL;

	for (; p; p = p->hnext) {
		if (p->pid != pid || p->state >= PL_ST_REAPED)
			continue;
		if (p->parent && p->parent->pid == reaper)
			return p;
		if (!best || p->start > best->start)
			best = p;
	}
	return best;
}

/* up to max lives of pid older than start, into out */
size_t table_older(const struct pl_model *m, __u32 pid, __u64 start, struct pl_proc **out,
		   size_t max)
{
	struct pl_proc *p = m->buckets[bucket_of(pid, m->nbuckets)];
	size_t n = 0;

	for (; p && n < max; p = p->hnext)
		if (p->pid == pid && p->start && p->start < start)
			out[n++] = p;
	return n;
}

/* under AddressSanitizer nodes go back to malloc at once, so that a
 * stale pointer to one is caught */
#if defined(__has_feature)
#if __has_feature(address_sanitizer) /* clang's way of saying it */
#define UNDER_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(UNDER_ASAN)
#define SPARE_MAX 0
#else
#define SPARE_MAX 64
#endif

static struct pl_proc *node_new(struct pl_model *m)
{
	struct pl_proc *p = m->spare;

	if (!p)
		return calloc(1, sizeof(*p));
	m->spare = p->hnext;
	m->nspare--;
	memset(p, 0, sizeof(*p));
	return p;
}

struct pl_proc *table_add(struct pl_model *m, __u32 pid, __u64 start)
{
	struct pl_proc *p = node_new(m);
	size_t s;

	if (!p) {
		model_problem(m, "cannot keep a record of pid %u: out of memory", pid);
		return NULL;
	}
	p->pid = pid;
	p->start = start;
	if (m->nprocs >= m->nbuckets)
		rehash(m, m->nbuckets * 2);
	s = bucket_of(pid, m->nbuckets);
	p->hnext = m->buckets[s];
	m->buckets[s] = p;
	m->nprocs++;
	return p;
}

/* takes p out of the table; lookups no longer find it, the caller keeps
 * or frees it */
void table_unhash(struct pl_model *m, struct pl_proc *p)
{
	struct pl_proc **pp = &m->buckets[bucket_of(p->pid, m->nbuckets)];

	while (*pp && *pp != p)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = p->hnext;
	p->hnext = NULL;
	m->nprocs--;
	if (m->nbuckets > MIN_BUCKETS && m->nprocs < m->nbuckets / 8)
		rehash(m, m->nbuckets / 2);
}

void proc_drop_filename(struct pl_model *m, struct pl_proc *p)
{
	if (p->filename)
		m->name_bytes -= heap_size(strlen(p->filename) + 1);
	free(p->filename);
	p->filename = NULL;
}

void proc_free(struct pl_model *m, struct pl_proc *p)
{
	proc_drop_filename(m, p);
	context_drop(m, p);
	if (m->nspare + 1 > SPARE_MAX) {
		free(p);
		return;
	}
	p->hnext = m->spare;
	m->spare = p;
	m->nspare++;
}

void table_free_spares(struct pl_model *m)
{
	while (m->spare) {
		struct pl_proc *p = m->spare;

		m->spare = p->hnext;
		free(p);
	}
	m->nspare = 0;
}

void table_remove(struct pl_model *m, struct pl_proc *p)
{
	table_unhash(m, p);
	proc_free(m, p);
}

struct pl_proc *table_next(const struct pl_model *m, const struct pl_proc *prev)
{
	size_t i = 0;

	if (prev) {
		if (prev->hnext)
			return prev->hnext;
		i = bucket_of(prev->pid, m->nbuckets) + 1;
	}
	for (; i < m->nbuckets; i++)
		if (m->buckets[i])
			return m->buckets[i];
	return NULL;
}

/* would linking child under parent close a loop? only bad input can ask */
static bool is_ancestor(const struct pl_proc *a, const struct pl_proc *p)
{
	for (; p; p = p->parent)
		if (p == a)
			return true;
	return false;
}

void tree_link(struct pl_proc *child, struct pl_proc *parent)
{
	tree_unlink(child);
	/* only a process with children of its own can be its parent's ancestor:
	 * a newborn needs no walk up a deep chain */
	if (!parent || parent == child || (child->child && is_ancestor(child, parent)))
		return;
	child->parent = parent;
	if (!(child->flags & PL_P_RELEASED))
		parent->kids++;
	child->next_sib = parent->child;
	if (parent->child)
		parent->child->prev_sib = child;
	parent->child = child;
}

void tree_unlink(struct pl_proc *child)
{
	struct pl_proc *parent = child->parent;

	if (!parent)
		return;
	if (!(child->flags & PL_P_RELEASED))
		parent->kids--;
	if (child->prev_sib)
		child->prev_sib->next_sib = child->next_sib;
	else
		parent->child = child->next_sib;
	if (child->next_sib)
		child->next_sib->prev_sib = child->prev_sib;
	child->parent = child->next_sib = child->prev_sib = NULL;
}

static bool on_zlist(const struct pl_model *m, const struct pl_proc *p)
{
	return p->zprev || m->zhead == p;
}

/* the tick not after p is due */
static void due_no_later(struct pl_model *m, const struct pl_proc *p)
{
	if (zlist_at(m, p) < m->zdue)
		m->zdue = zlist_at(m, p);
}

/* p's zombie moment was set, or its parent changed: the tick not after it
 * is due, and p moved only where its moment no longer fits its place */
void zlist_due(struct pl_model *m, struct pl_proc *p)
{
	if (!on_zlist(m, p))
		return;
	if ((p->zprev && p->zprev->zombie_ts > p->zombie_ts) ||
	    (p->znext && p->znext->zombie_ts < p->zombie_ts)) {
		zlist_del(m, p);
		zlist_add(m, p);
	} else {
		due_no_later(m, p);
	}
}

/*
 * The list is in the order of the zombie moments, so that a tick takes the
 * ones due from its head and stops at the first not due: zombies that come
 * due one by one cost one step each, not a walk of all that wait. A new
 * one goes in from the tail: the moments come nearly in order.
 */
void zlist_add(struct pl_model *m, struct pl_proc *p)
{
	struct pl_proc *before = m->ztail;

	if (on_zlist(m, p))
		return;
	while (before && before->zombie_ts > p->zombie_ts)
		before = before->zprev;
	p->zprev = before;
	p->znext = before ? before->znext : m->zhead;
	if (p->znext)
		p->znext->zprev = p;
	else
		m->ztail = p;
	if (before)
		before->znext = p;
	else
		m->zhead = p;
	due_no_later(m, p);
}

void zlist_del(struct pl_model *m, struct pl_proc *p)
{
	if (!on_zlist(m, p))
		return;
	if (p->zprev)
		p->zprev->znext = p->znext;
	else
		m->zhead = p->znext;
	if (p->znext)
		p->znext->zprev = p->zprev;
	else
		m->ztail = p->zprev;
	p->znext = p->zprev = NULL;
}

void proc_set_filename(struct pl_model *m, struct pl_proc *p, const char *name, size_t max)
{
	size_t n = strnlen(name, max);
	char *s = malloc(n + 1);

	if (!s)
		return; /* the name is a nicety; the exec itself is still counted */
	memcpy(s, name, n);
	s[n] = 0;
	if (p->filename)
		m->name_bytes -= heap_size(strlen(p->filename) + 1);
	free(p->filename);
	p->filename = s;
	m->name_bytes += heap_size(n + 1);
}
