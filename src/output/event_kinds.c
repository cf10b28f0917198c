// SPDX-License-Identifier: BSD-2-Clause
#include <stdio.h>
#include <string.h>
#include "output/event_kinds.h"
#include "util/diag.h"
#include "util/names.h"
#include "util/status.h"

#define BIT(kind) (1u << (kind))
/* the kinds --events may name: all but bootstrap records, which the text
 * view never prints (they are state, not news) */
#define NAMEABLE                                                                             \
	(BIT(PL_EV_FORK) | BIT(PL_EV_EXEC) | BIT(PL_EV_EXIT) | BIT(PL_EV_ZOMBIE) |           \
	 BIT(PL_EV_WAIT) | BIT(PL_EV_REAP) | BIT(PL_EV_REPARENT) | BIT(PL_EV_FREE) |         \
	 BIT(PL_EV_ZOMBIE_LONG) | BIT(PL_EV_DOUBLE_FORK) | BIT(PL_EV_EXEC_FAILED))
/* kinds of which some records are notable */
#define MAY_BE_NOTABLE                                                                       \
	(BIT(PL_EV_EXIT) | BIT(PL_EV_REAP) | BIT(PL_EV_REPARENT) | BIT(PL_EV_ZOMBIE_LONG) |  \
	 BIT(PL_EV_DOUBLE_FORK))

struct events events_default(void)
{
	return (struct events){ .kinds = BIT(PL_EV_FORK) | BIT(PL_EV_EXEC) | BIT(PL_EV_EXIT),
				.notable = true };
}

struct events events_all(void)
{
	return (struct events){ .kinds = NAMEABLE, .notable = true };
}

int events_parse(const char *arg, struct events *ev)
{
	const char *p = arg;

	*ev = (struct events){ 0 };
	if (!*arg)
		return usage_error("--events takes a list of kinds, not an empty one");
	while (*p) {
		size_t len = strcspn(p, ",");
		char name[32];
		int kind;

		/* an empty one: at the start, between two commas, or after the last */
		if (!len || (p[len] == ',' && !p[len + 1]))
			return usage_error("--events names an empty kind (two commas, or one at an end)");
		snprintf(name, sizeof(name), "%.*s", (int)len, p);
		if (!strcmp(name, "all")) {
			*ev = events_all();
		} else if (!strcmp(name, "default")) {
			struct events d = events_default();

			ev->kinds |= d.kinds;
			ev->notable = true;
		} else if ((kind = pl_kind_from_name(name)) > 0 && (NAMEABLE & BIT(kind))) {
			ev->kinds |= BIT(kind);
		} else {
			return usage_error("unknown event kind '%.*s' in --events (known: fork, exec, exit, "
					   "exec_failed, zombie, wait, reap, reparent, free, zombie_long, "
					   "double_fork, "
					   "default, all)", (int)len, p);
		}
		p += len + (p[len] == ',');
	}
	return 0;
}

/* a list that names wait, and besides only what is kept anyway: default's
 * kinds, or all */
bool events_only_add_waits(const struct events *ev)
{
	unsigned kept = events_default().kinds | BIT(PL_EV_WAIT);

	return (ev->kinds & BIT(PL_EV_WAIT)) && (!(ev->kinds & ~kept) || ev->kinds == NAMEABLE);
}

bool events_want(const struct events *ev, unsigned kind)
{
	if (kind >= 32)
		return false;
	return (ev->kinds & BIT(kind)) || (ev->notable && (MAY_BE_NOTABLE & BIT(kind)));
}

bool event_notable(const struct pl_event *e, unsigned zombie_ms)
{
	switch (e->kind) {
	case PL_EV_ZOMBIE_LONG:
	case PL_EV_DOUBLE_FORK:
		return true;
	case PL_EV_EXIT: /* killed by a signal */
		return !(e->flags & PL_F_THREAD) && pl_status_decode(e->status).signaled;
	case PL_EV_REPARENT: /* a child handed to another thread of its parent is no orphan */
		return e->adopter != PL_ADOPT_THREAD;
	case PL_EV_REAP: /* an end that took long, or is only partly known */
		return (e->flags & (PL_F_INFERRED | PL_F_UNMATCHED)) ||
		       e->zombie_ns >= (unsigned long long)zombie_ms * 1000000ULL;
	default:
		return false;
	}
}

bool events_show(const struct events *ev, const struct pl_event *e, unsigned zombie_ms)
{
	if (e->kind < 32 && (ev->kinds & BIT(e->kind)))
		return true;
	return ev->notable && event_notable(e, zombie_ms);
}
