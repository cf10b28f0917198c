// SPDX-License-Identifier: BSD-2-Clause
/*
 * Strings many processes share, kept once: a cgroup's path (a service's
 * hundred processes), a command line (a storm of children inherits its
 * parent's), a file that failed to run. Each is counted by reference and
 * let go with its last holder, so what the model holds follows what is
 * alive. The bytes may hold NULs (an argv): a string is its length.
 */
#include <stdlib.h>
#include <string.h>
#include "model/internal.h"

#define MIN_BUCKETS 256

struct istr {
	struct istr *next;
	unsigned long long hash;
	__u32 refs, len;
	char s[]; /* len bytes, then a NUL */
};

static struct istr *of(const char *s)
{
	return (struct istr *)(s - offsetof(struct istr, s));
}

/* one word into the hash: a multiply whose high bits are folded down */
static unsigned long long mix(unsigned long long h, unsigned long long w)
{
	h = (h ^ w) * 0xff51afd7ed558ccdULL;
	return h ^ (h >> 32);
}

/* a word at a time (a cgroup's path is tens of bytes, a command line
 * hundreds), the last one padded with zeros */
static unsigned long long hash(const char *s, size_t n)
{
	unsigned long long h = n * 0x9e3779b97f4a7c15ULL, w;

	for (; n >= 8; n -= 8, s += 8) {
		memcpy(&w, s, 8);
		h = mix(h, w);
	}
	if (n) {
		w = 0;
		memcpy(&w, s, n);
		h = mix(h, w);
	}
	return h ^ (h >> 29);
}

static void rehash(struct strtab *t, size_t n)
{
	struct istr **nb = calloc(n, sizeof(*nb));

	if (!nb)
		return; /* longer chains: slower, still right */
	for (size_t i = 0; i < t->nb; i++) {
		for (struct istr *x = t->b[i], *next; x; x = next) {
			next = x->next;
			x->next = nb[x->hash & (n - 1)];
			nb[x->hash & (n - 1)] = x;
		}
	}
	free(t->b);
	t->b = nb;
	t->nb = n;
}

const char *strtab_get(struct strtab *t, const char *s, size_t len)
{
	unsigned long long h;
	struct istr *x;

	/* the same as the last one asked for: a storm's children share their
	 * parent's cgroup, one after another */
	if (t->last && of(t->last)->len == len && !memcmp(t->last, s, len)) {
		of(t->last)->refs++;
		return t->last;
	}
	h = hash(s, len);
	if (!t->b) {
		t->b = calloc(MIN_BUCKETS, sizeof(*t->b));
		if (!t->b)
			return NULL;
		t->nb = MIN_BUCKETS;
	}
	for (x = t->b[h & (t->nb - 1)]; x; x = x->next)
		if (x->hash == h && x->len == len && !memcmp(x->s, s, len)) {
			x->refs++;
			return t->last = x->s;
		}
	x = malloc(sizeof(*x) + len + 1);
	if (!x)
		return NULL; /* a string is a nicety: the process is still kept */
	x->hash = h;
	x->refs = 1;
	x->len = (__u32)len;
	memcpy(x->s, s, len);
	x->s[len] = 0;
	x->next = t->b[h & (t->nb - 1)];
	t->b[h & (t->nb - 1)] = x;
	t->n++;
	t->bytes += heap_size(sizeof(*x) + len + 1);
	if (t->n > t->nb)
		rehash(t, t->nb * 2);
	return t->last = x->s;
}

const char *strtab_ref(const char *s)
{
	if (s)
		of(s)->refs++;
	return s;
}

void strtab_put(struct strtab *t, const char *s)
{
	struct istr *x, **pp;

	if (!s || --(x = of(s))->refs)
		return;
	for (pp = &t->b[x->hash & (t->nb - 1)]; *pp != x; pp = &(*pp)->next)
		;
	*pp = x->next;
	if (t->last == x->s)
		t->last = NULL;
	t->n--;
	t->bytes -= heap_size(sizeof(*x) + x->len + 1);
	free(x);
	if (t->nb > MIN_BUCKETS && t->n < t->nb / 8)
		rehash(t, t->nb / 2);
}

size_t strtab_len(const char *s)
{
	return s ? of(s)->len : 0;
}

size_t strtab_bytes(const struct strtab *t)
{
	return t->bytes + (t->b ? heap_size(t->nb * sizeof(*t->b)) : 0);
}

void strtab_destroy(struct strtab *t)
{
	for (size_t i = 0; i < t->nb; i++)
		for (struct istr *x = t->b[i], *next; x; x = next) {
			next = x->next;
			free(x);
		}
	free(t->b);
	memset(t, 0, sizeof(*t));
}
