/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A shared library opened only when a feature first needs it, its
 * functions looked up by name. Every command starts without it mapped:
 * libmicrohttpd brings the whole TLS stack (GnuTLS, p11-kit, nettle, ...)
 * whose loading and constructors would double the start-up of a replay,
 * and a tracer serving no metrics has no use for it.
 */
#ifndef PL_LAZY_LIB_H
#define PL_LAZY_LIB_H

#include <stdbool.h>
#include <stddef.h>

struct lazy_fn {
	const char *name;
	void **at; /* where its address goes: (void **)&pointer */
};

/* opens soname and fills each fn's pointer: true, or false with why
 * (not installed, a function missing). A caller opens its library once
 * and keeps the answer */
bool lazy_lib_open(const char *soname, const struct lazy_fn *fns, size_t n, char *why,
		   size_t whylen);

#endif
