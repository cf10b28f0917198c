// SPDX-License-Identifier: BSD-2-Clause
#include <stdio.h>
#include "output/end_text.h"
#include "util/names.h"
#include "util/printable.h"
#include "util/status.h"

struct end_facts end_of_event(const struct pl_event *e)
{
	struct end_facts f = { .status = e->status };

	if (e->flags & PL_F_KILLER) {
		f.why = e->kill_why;
		f.killer = e->killer;
		f.killer_comm = e->killer_comm;
		f.by_itself = e->killer == e->pid && e->killer_start == e->start;
	}
	return f;
}

struct end_facts end_of_proc(const struct pl_proc *p)
{
	struct end_facts f = { .status = p->status };

	if (p->flags & PL_P_KILLER) {
		f.why = p->kill_why;
		f.killer = p->killer;
		f.killer_comm = p->killer_name ? p->killer_name : p->killer_comm;
		f.by_itself = p->killer == p->pid && p->killer_start == p->start;
	}
	return f;
}

struct end_facts end_of_rec(const struct pl_proc_rec *r)
{
	struct end_facts f = { .status = r->status };

	if (r->flags & PL_P_KILLER) {
		f.why = r->kill_why;
		f.killer = r->killer;
		f.killer_comm = r->killer_name ? r->killer_name : r->killer_comm;
		f.by_itself = r->killer == r->pid && r->killer_start == r->start;
	}
	return f;
}

const char *end_killer(const struct end_facts *f, char *buf, size_t len)
{
	switch (f->why) {
	case PL_KILL_SENT:
		if (f->by_itself)
			snprintf(buf, len, "itself");
		else
			snprintf(buf, len, "%s[%u]", SHOW_STR(f->killer_comm), f->killer);
		break;
	case PL_KILL_KERNEL:
		snprintf(buf, len, "the kernel");
		break;
	case PL_KILL_FAULT:
		snprintf(buf, len, "a fault");
		break;
	case PL_KILL_OOM:
		snprintf(buf, len, "the OOM killer");
		break;
	case PL_KILL_SECCOMP:
		snprintf(buf, len, "seccomp");
		break;
	default:
		snprintf(buf, len, "%s", "");
	}
	return buf;
}

const char *end_describe(const struct end_facts *f, char *buf, size_t len)
{
	struct pl_status s = pl_status_decode(f->status);
	const char *core = s.core ? ", core dumped" : "";
	char sig[24], who[64];

	if (!s.signaled || f->why == PL_KILL_UNKNOWN || f->why >= PL_KILL_WHYS)
		return pl_status_describe(f->status, buf, len);
	if (pl_signal_name(s.signal))
		snprintf(sig, sizeof(sig), "%s", pl_signal_name(s.signal));
	else
		snprintf(sig, sizeof(sig), "signal %d", s.signal);
	end_killer(f, who, sizeof(who));
	/* a fault, the OOM killer, seccomp: the signal, then its cause; the
	 * signal always comes first, so "killed by SIGSEGV" finds them all */
	if (f->why == PL_KILL_FAULT || f->why == PL_KILL_OOM || f->why == PL_KILL_SECCOMP)
		snprintf(buf, len, "killed by %s (%s%s)", sig, who, core);
	else
		snprintf(buf, len, "killed by %s from %s%s", sig, who, s.core ? " (core dumped)" : "");
	return buf;
}
