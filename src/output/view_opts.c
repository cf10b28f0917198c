// SPDX-License-Identifier: BSD-2-Clause
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "output/view_opts.h"
#include "util/diag.h"

void view_opts_default(struct view_opts *v)
{
	*v = (struct view_opts){ .events = events_default(), .color = COLOR_AUTO };
}

bool view_opts_has(int opt)
{
	return (opt >= VIEW_OPT_EVENTS && opt <= VIEW_OPT_LAST) || opt == 'c' || opt == 'n';
}

/* --color's word goes after '=': one after a space would be read as a log
 * or a command, which is surely not what was meant */
static bool color_word(const char *word)
{
	return word && (!strcmp(word, "always") || !strcmp(word, "never") || !strcmp(word, "auto"));
}

int view_opts_parse(struct view_opts *v, int opt, char *arg, const char *next)
{
	switch (opt) {
	case VIEW_OPT_UID:
		return filter_parse_uid(&v->filter, arg);
	case 'c':
		return filter_parse_cgroup(&v->filter, arg);
	case 'n':
		return filter_parse_comm(&v->filter, arg);
	case VIEW_OPT_EVENTS:
		v->events_named = true;
		return events_parse(arg, &v->events);
	case VIEW_OPT_COLOR:
		if (!arg && color_word(next))
			return usage_error("--color takes its word after '=': --color=%s", next);
		if (!arg || !strcmp(arg, "always"))
			v->color = COLOR_ALWAYS;
		else if (!strcmp(arg, "never"))
			v->color = COLOR_NEVER;
		else if (!strcmp(arg, "auto"))
			v->color = COLOR_AUTO;
		else
			return usage_error("--color takes auto, always or never, not '%s'", arg);
		return 0;
	case VIEW_OPT_WALL_CLOCK:
		v->wall_clock = true;
		return 0;
	case VIEW_OPT_KERNEL_THREADS:
		v->kernel_threads = true;
		return 0;
	}
	return usage_error("unknown view option %d", opt);
}

bool view_color(const struct view_opts *v, FILE *f)
{
	const char *no = getenv("NO_COLOR");

	if (v->color != COLOR_AUTO)
		return v->color == COLOR_ALWAYS;
	/* https://no-color.org: set and not empty, whatever its value */
	if (no && *no)
		return false;
	return f && isatty(fileno(f));
}

unsigned view_flags(const struct view_opts *v, FILE *f)
{
	return (view_color(v, f) ? VIEW_COLOR : 0) | (v->kernel_threads ? VIEW_KERNEL_THREADS : 0) |
	       (filter_on(&v->filter) ? VIEW_FILTERED : 0);
}

int view_opts_no_filter(const struct view_opts *v, bool replaying)
{
	if (!filter_on(&v->filter))
		return 0;
	if (replaying)
		return usage_error("--uid, --cgroup and --comm choose what is shown; replay -f jsonl "
				   "writes every record (filter with -f text, tree, summary or an export)");
	return usage_error("--uid, --cgroup and --comm choose what is shown; a jsonl log keeps "
			   "every record (filter it when you replay it)");
}
