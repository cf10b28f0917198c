// SPDX-License-Identifier: BSD-2-Clause
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "output/cgroup_label.h"
#include "util/printable.h"

#define ID_LEN 64   /* a container id: 64 hex digits */
#define ID_SHOWN 12 /* as docker ps shows it */

static bool is_id(const char *s, size_t n)
{
	if (n != ID_LEN)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!strchr("0123456789abcdef", s[i]) || !s[i])
			return false;
	return true;
}

static bool ends(const char *s, size_t n, const char *tail)
{
	size_t t = strlen(tail);

	return n > t && !memcmp(s + n - t, tail, t);
}

/* a part "PREFIXID.scope" of runtime's */
static const char *scope_runtime(const char *s, size_t n)
{
	static const struct {
		const char *prefix, *runtime;
	} scopes[] = {
		{ "docker-", "docker" },
		{ "cri-containerd-", "containerd" },
		{ "crio-", "cri-o" },
		{ "libpod-", "podman" },
	};

	for (size_t i = 0; i < sizeof(scopes) / sizeof(*scopes); i++) {
		size_t p = strlen(scopes[i].prefix);

		if (n == p + ID_LEN + 6 && !memcmp(s, scopes[i].prefix, p) && is_id(s + p, ID_LEN) &&
		    ends(s, n, ".scope"))
			return scopes[i].runtime;
	}
	return NULL;
}

/* the runtime whose container the part s is, beneath the part before it */
static const char *runtime_of(const char *s, size_t n, const char *up, size_t upn)
{
	const char *r = scope_runtime(s, n);

	if (r || !is_id(s, n))
		return r;
	if (upn == 6 && !memcmp(up, "docker", 6))
		return "docker";
	if (upn > 3 && !memcmp(up, "pod", 3)) /* /kubepods/CLASS/podUID/ID */
		return "container";
	return NULL;
}

const char *cgroup_label(const char *path, char *buf, size_t len)
{
	const char *unit = NULL, *up = "", *s = path;
	size_t unit_n = 0, upn = 0;

	if (!path)
		return NULL;
	while (*s) {
		size_t n = strcspn(s, "/");
		const char *r = n ? runtime_of(s, n, up, upn) : NULL;

		if (r) {
			const char *id = n == ID_LEN ? s : s + n - 6 - ID_LEN;

			snprintf(buf, len, "%s %.*s", r, ID_SHOWN, id);
			return buf;
		}
		if (ends(s, n, ".service") || ends(s, n, ".scope")) {
			unit = s;
			unit_n = n;
		}
		up = s;
		upn = n;
		s += n + (s[n] == '/');
	}
	if (!unit)
		return NULL;
	/* a unit's name is any bytes systemd escaped: shown safe */
	pl_printable(unit, unit_n, buf, len);
	return buf;
}
