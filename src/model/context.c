// SPDX-License-Identifier: BSD-2-Clause
/*
 * A process's context besides its lifecycle: who it runs as and in which
 * cgroup, what it runs (its arguments and whole name), what it used and
 * who ended it, the execs it tried that failed. Strings are the model's
 * shared copies (strings.c), so a thousand children of one parent hold
 * one command line.
 */
#include <string.h>
#include "model/internal.h"

/* slot takes s, a reference already held; the one it had is let go */
static void hold(struct pl_model *m, const char **slot, const char *s)
{
	strtab_put(&m->strings, *slot);
	*slot = s;
}

void context_who(struct pl_model *m, struct pl_proc *p, const struct pl_event *e)
{
	if (!(e->flags & PL_F_WHO))
		return;
	p->uid = e->uid;
	p->gid = e->gid;
	p->euid = e->euid;
	p->flags = (p->flags | PL_P_WHO) & ~PL_P_WHO_LEARNED; /* its own record says it */
	if (e->cgroup) {
		if (!p->cgroup || strcmp(p->cgroup, e->cgroup))
			hold(m, &p->cgroup, strtab_get(&m->strings, e->cgroup, strlen(e->cgroup)));
	} else if (e->cgroup_id != p->cgroup_id) {
		hold(m, &p->cgroup, NULL); /* it moved: the path it had is no longer its */
	}
	p->cgroup_id = e->cgroup_id;
}

/*
 * A fork copies its maker's credentials: what the child runs as, its maker
 * ran as at that moment. A worker that dropped to another user with no
 * exec (as servers do) is known as that user from its first fork on. Its
 * cgroup is not learned so: clone3() can start a child in another one.
 */
void context_maker_who(struct pl_proc *maker, const struct pl_event *e)
{
	if (!maker || !(e->flags & PL_F_WHO) || !(maker->flags & PL_P_WHO) ||
	    maker->state >= PL_ST_EXITED)
		return;
	if (maker->uid != e->uid || maker->gid != e->gid || maker->euid != e->euid)
		maker->flags |= PL_P_WHO_LEARNED;
	maker->uid = e->uid;
	maker->gid = e->gid;
	maker->euid = e->euid;
}

/* a fork's child runs its parent's program with its parent's arguments */
void context_inherit(struct pl_model *m, struct pl_proc *child, const struct pl_proc *parent)
{
	if (!parent || child->execs)
		return; /* its own exec came first */
	hold(m, &child->argv, strtab_ref(parent->argv));
	child->argv_len = parent->argv_len;
	child->flags = (child->flags & ~(PL_P_ARGV_CUT | PL_P_ARGV_CUT_INSIDE)) |
		       (parent->flags & (PL_P_ARGV_CUT | PL_P_ARGV_CUT_INSIDE));
	hold(m, &child->name, strtab_ref(parent->name));
	context_birth_name(m, child);
}

void context_birth_name(struct pl_model *m, struct pl_proc *p)
{
	hold(m, &p->name0, strtab_ref(p->name));
}

/* how much of a command line the model keeps */
enum kept_args { ARGS_WHOLE, ARGS_CUT_AFTER, ARGS_CUT_INSIDE };

/* whole arguments of args (len bytes) up to PL_ARGV_KEEP, into keep; or
 * the beginning of a first one longer than that */
static enum kept_args keep_args(const char *args, size_t len, char *keep, size_t *n)
{
	const char *end = args + len;

	*n = 0;
	if (len <= PL_ARGV_KEEP && !args[len - 1]) {
		memcpy(keep, args, len);
		*n = len;
		return ARGS_WHOLE;
	}
	for (const char *a = args; a < end;) {
		const char *nul = memchr(a, 0, (size_t)(end - a));

		if (!nul || (size_t)(nul - args) + 1 > PL_ARGV_KEEP)
			break;
		*n = (size_t)(nul - args) + 1;
		a = nul + 1;
	}
	if (!*n) { /* a first argument too long for the room: its beginning */
		*n = (len < PL_ARGV_KEEP ? len : PL_ARGV_KEEP - 1) + 1;
		memcpy(keep, args, *n - 1);
		keep[*n - 1] = 0;
		return ARGS_CUT_INSIDE;
	}
	memcpy(keep, args, *n);
	return ARGS_CUT_AFTER;
}

/* the last part of the n-byte path s, and its length */
static const char *last_part(const char *s, size_t n, size_t *len)
{
	const char *slash = memrchr(s, '/', n);
	const char *b = slash ? slash + 1 : s;

	*len = n - (size_t)(b - s);
	return b;
}

/* the kernel names a process after its file's last part, cut to 15
 * bytes: a longer name that begins with the comm is its whole name */
static void whole_name(struct pl_model *m, struct pl_proc *p, const char *file)
{
	size_t clen = strnlen(p->comm, PL_COMM_LEN), n;
	const char *cand[2] = { file, p->argv }, *b;

	hold(m, &p->name, NULL);
	if (clen != PL_COMM_LEN - 1)
		return;
	for (int i = 0; i < 2; i++) {
		if (!cand[i])
			continue;
		b = last_part(cand[i], strlen(cand[i]), &n);
		if (n > clen && !memcmp(b, p->comm, clen)) {
			p->name = strtab_get(&m->strings, b, n);
			return;
		}
	}
}

void context_exec(struct pl_model *m, struct pl_proc *p, const struct pl_event *e)
{
	char keep[PL_ARGV_KEEP];
	size_t n = 0;
	enum kept_args kept = ARGS_WHOLE;

	context_who(m, p, e);
	if (e->args && e->args_len)
		kept = keep_args(e->args, e->args_len, keep, &n);
	hold(m, &p->argv, n ? strtab_get(&m->strings, keep, n) : NULL);
	p->argv_len = p->argv ? (__u32)n : 0;
	p->flags &= ~(PL_P_ARGV_CUT | PL_P_ARGV_CUT_INSIDE);
	if (p->argv && (kept != ARGS_WHOLE || (e->flags & PL_F_ARGS_TRUNCATED)))
		p->flags |= PL_P_ARGV_CUT;
	if (p->argv && kept == ARGS_CUT_INSIDE)
		p->flags |= PL_P_ARGV_CUT_INSIDE;
	whole_name(m, p, e->filename);
	/* the failed tries before it were a search (a shell's $PATH) */
	COUNT_N(m, p, fails_then_exec, p->fails_pending);
	if (p->fails_pending)
		agg_fails_settle(m, p, true);
	p->fails_pending = 0;
}

/* the killer's whole name, while the model has it: it may be let go
 * before the tree, the exports or the summary name it */
static void killer_named(struct pl_model *m, struct pl_proc *p)
{
	const struct pl_proc *k = p->kill_why == PL_KILL_SENT ?
		pl_model_find_life(m, p->killer, p->killer_start) : NULL;

	hold(m, &p->killer_name, k && pl_proc_name(k) != k->comm ? strtab_ref(k->name) : NULL);
}

void context_exit(struct pl_model *m, struct pl_proc *p, const struct pl_event *e)
{
	if (p->fails_pending) /* they stood */
		agg_fails_settle(m, p, false);
	if ((e->flags & PL_F_USAGE) && !(p->flags & PL_P_USAGE)) {
		p->cpu_user_ns = e->cpu_user_ns;
		p->cpu_sys_ns = e->cpu_sys_ns;
		p->max_rss_kb = e->max_rss_kb;
		p->flags |= PL_P_USAGE;
		agg_usage(m, p);
	}
	if (e->flags & PL_F_KILLER) {
		p->killer = e->killer;
		p->killer_start = e->killer_start;
		p->kill_why = (__u8)e->kill_why;
		memcpy(p->killer_comm, e->killer_comm, sizeof(p->killer_comm));
		p->killer_comm[sizeof(p->killer_comm) - 1] = 0;
		p->flags |= PL_P_KILLER;
		killer_named(m, p);
	}
}

void context_exec_failed(struct pl_model *m, struct pl_proc *p, const struct pl_event *e)
{
	const char *file = e->filename ? e->filename : "";

	context_who(m, p, e);
	p->exec_fails++;
	p->fails_pending++;
	p->fail_errno = e->err;
	if (!p->fail_file || strcmp(p->fail_file, file))
		hold(m, &p->fail_file, strtab_get(&m->strings, file, strlen(file)));
	COUNT(m, p, exec_fails);
	agg_fail(m, p, p->fail_file, e->err);
}

void context_drop(struct pl_model *m, struct pl_proc *p)
{
	if (p->fails_pending)
		agg_fails_settle(m, p, false);
	hold(m, &p->cgroup, NULL);
	hold(m, &p->argv, NULL);
	hold(m, &p->name, NULL);
	hold(m, &p->name0, NULL);
	hold(m, &p->fail_file, NULL);
	hold(m, &p->killer_name, NULL);
}

/* the whole name where comm, the kernel's 15 bytes, is its beginning */
static const char *name_from(const char *whole, const char *comm)
{
	size_t clen = strnlen(comm, PL_COMM_LEN);

	/* a rename since (prctl) leaves comm no longer its beginning */
	if (whole && clen == PL_COMM_LEN - 1 && !strncmp(whole, comm, clen))
		return whole;
	return comm;
}

const char *pl_proc_name(const struct pl_proc *p)
{
	return name_from(p->name, p->comm);
}

const char *pl_proc_exec_name(const struct pl_proc *p)
{
	return name_from(p->name, p->comm_exec);
}

const char *pl_proc_birth_name(const struct pl_proc *p)
{
	return p->comm0[0] ? name_from(p->name0, p->comm0) : pl_proc_name(p);
}
