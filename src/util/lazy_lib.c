// SPDX-License-Identifier: BSD-2-Clause
#include <dlfcn.h>
#include <stdio.h>
#include "util/lazy_lib.h"

bool lazy_lib_open(const char *soname, const struct lazy_fn *fns, size_t n, char *why,
		   size_t whylen)
{
	/* RTLD_NOW: a missing function is found here, not at a later call */
	void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);

	if (!h) {
		snprintf(why, whylen, "%s cannot be loaded: %s", soname, dlerror());
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		*fns[i].at = dlsym(h, fns[i].name);
		if (!*fns[i].at) {
			snprintf(why, whylen, "%s has no %s", soname, fns[i].name);
			dlclose(h);
			return false;
		}
	}
	return true; /* kept open: its functions are called until the program ends */
}
