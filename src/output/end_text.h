/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * How a process ended, with who ended it when that is known: "exit 7",
 * "killed by SIGTERM from timeout[1234]", "killed by SIGSEGV (a fault)",
 * "killed by SIGKILL (the OOM killer)". One wording for the text view,
 * the tree and the exports.
 */
#ifndef PL_END_TEXT_H
#define PL_END_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include "events.h"
#include "model/model.h"

struct end_facts {
	int status;              /* raw wait status */
	unsigned why;            /* enum pl_kill_why; PL_KILL_UNKNOWN: not known */
	__u32 killer;            /* the sender, for PL_KILL_SENT */
	const char *killer_comm;
	bool by_itself;          /* the sender was the process itself (abort()) */
};

struct end_facts end_of_event(const struct pl_event *e);
struct end_facts end_of_proc(const struct pl_proc *p);
struct end_facts end_of_rec(const struct pl_proc_rec *r);
const char *end_describe(const struct end_facts *f, char *buf, size_t len);
/* who ended it, for a table's cell: "timeout[1234]", "itself", "the
 * kernel", "a fault", "the OOM killer", "seccomp"; "" when not known */
const char *end_killer(const struct end_facts *f, char *buf, size_t len);

#endif
