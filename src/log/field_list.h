/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The JSONL log's fields, as one list: the table replay reads lines with
 * (fields.c) and the writer's code for each kind (writer.c) are both made
 * from it, so a line is written as it is read. A field is
 *   F(X, name, kinds, type, member of struct pl_event, flag bit,
 *     kinds that require it, written only if set, flags it is written under)
 * (struct pl_field says what each means). X is passed through to F.
 * Every kind's line has ts first, then the fields that say which process it
 * is about (PL_FIELDS_ID, in every kind's line alike), then the rest.
 */
#ifndef PL_LOG_FIELD_LIST_H
#define PL_LOG_FIELD_LIST_H

#include "events.h"

#define PL_K(kind) (1u << (kind))
#define PL_K_ALL ((1u << PL_EV_KINDS) - 2) /* every kind but NONE */

/* kinds whose ppid/pstart mean "the parent" */
#define PL_K_EXECS (PL_K(PL_EV_EXEC) | PL_K(PL_EV_EXEC_FAILED))
#define PL_K_PARENTAL (PL_K(PL_EV_FORK) | PL_K_EXECS | PL_K(PL_EV_EXIT) | PL_K(PL_EV_PROC))
/* kinds that say who the process runs as (an exit's line only where that
 * changed since the process's fork or exec) */
#define PL_K_WHO (PL_K(PL_EV_FORK) | PL_K_EXECS | PL_K(PL_EV_PROC) | PL_K(PL_EV_EXIT))
#define PL_K_STATUSED                                                                        \
	(PL_K(PL_EV_EXIT) | PL_K(PL_EV_ZOMBIE) | PL_K(PL_EV_REAP) | PL_K(PL_EV_FREE) |        \
	 PL_K(PL_EV_PROC))

#define PL_FIELDS_HEAD(F, X) \
	F(X, "ts", PL_K_ALL, PL_FT_U64, ts, 0, PL_K_ALL, 0, 0)

#define PL_FIELDS_ID(F, X) \
	F(X, "pid", PL_K_ALL, PL_FT_U32, pid, 0, PL_K_ALL, 0, 0) \
	F(X, "tid", PL_K_ALL, PL_FT_U32, tid, 0, PL_K_ALL, 0, 0) \
	F(X, "start", PL_K_ALL, PL_FT_U64, start, 0, PL_K_ALL, 0, 0) \
	F(X, "comm", PL_K_ALL, PL_FT_STR, comm, 0, PL_K_ALL, 0, 0) \
	F(X, "comm_hex", PL_K_ALL, PL_FT_HEX, comm, 0, 0, 0, 0)

#define PL_FIELDS_REST(F, X) \
	F(X, "ppid", PL_K_PARENTAL, PL_FT_U32, ppid, 0, PL_K(PL_EV_FORK), 0, 0) \
	F(X, "pstart", PL_K_PARENTAL, PL_FT_U64, pstart, 0, 0, 0, 0) \
	F(X, "creator", PL_K(PL_EV_FORK), PL_FT_U32, creator, 0, 0, 1, 0) \
	F(X, "parent", PL_K(PL_EV_ZOMBIE), PL_FT_U32, parent, 0, PL_K(PL_EV_ZOMBIE), 0, 0) \
	F(X, "parent_start", PL_K(PL_EV_ZOMBIE), PL_FT_U64, pstart, 0, 0, 0, 0) \
	F(X, "reaper", PL_K(PL_EV_REAP), PL_FT_U32, reaper, 0, PL_K(PL_EV_REAP), 0, 0) \
	F(X, "reaper_start", PL_K(PL_EV_REAP), PL_FT_U64, pstart, 0, 0, 0, 0) \
	F(X, "old_parent", PL_K(PL_EV_REPARENT), PL_FT_U32, old_parent, 0, PL_K(PL_EV_REPARENT), 0, 0) \
	F(X, "new_parent", PL_K(PL_EV_REPARENT), PL_FT_U32, new_parent, 0, PL_K(PL_EV_REPARENT), 0, 0) \
	F(X, "new_parent_start", PL_K(PL_EV_REPARENT), PL_FT_U64, new_parent_start, 0, 0, 0, 0) \
	F(X, "adopter", PL_K(PL_EV_REPARENT), PL_FT_ADOPT, adopter, 0, PL_K(PL_EV_REPARENT), 0, 0) \
	F(X, "old_tid", PL_K(PL_EV_EXEC), PL_FT_U32, old_tid, 0, 0, 0, 0) \
	F(X, "filename", PL_K_EXECS, PL_FT_PSTR, filename, 0, 0, 0, 0) \
	F(X, "filename_hex", PL_K_EXECS, PL_FT_PHEX, filename, 0, 0, 0, 0) \
	F(X, "argv", PL_K_EXECS, PL_FT_ARGV, args, 0, 0, 0, 0) \
	F(X, "argv_hex", PL_K_EXECS, PL_FT_ARGVHEX, args, 0, 0, 0, 0) \
	F(X, "argv_truncated", PL_K_EXECS, PL_FT_FLAG, flags, PL_F_ARGS_TRUNCATED, 0, 1, 0) \
	F(X, "errno", PL_K(PL_EV_EXEC_FAILED), PL_FT_S32, err, 0, PL_K(PL_EV_EXEC_FAILED), 0, 0) \
	F(X, "uid", PL_K_WHO, PL_FT_U32, uid, 0, 0, 0, PL_F_WHO) \
	F(X, "gid", PL_K_WHO, PL_FT_U32, gid, 0, 0, 0, PL_F_WHO) \
	F(X, "euid", PL_K_WHO, PL_FT_EUID, euid, 0, 0, 0, PL_F_WHO) \
	F(X, "cgroup_id", PL_K_WHO, PL_FT_U64, cgroup_id, 0, 0, 0, PL_F_WHO) \
	F(X, "cgroup", PL_K_WHO, PL_FT_PSTR, cgroup, 0, 0, 0, 0) \
	F(X, "cgroup_hex", PL_K_WHO, PL_FT_PHEX, cgroup, 0, 0, 0, 0) \
	F(X, "target", PL_K(PL_EV_WAIT), PL_FT_U32, target, 0, 0, 0, 0) \
	F(X, "options", PL_K(PL_EV_WAIT), PL_FT_S32, options, 0, 0, 0, 0) \
	F(X, "threads", PL_K(PL_EV_PROC), PL_FT_U32, threads, 0, 0, 0, 0) \
	F(X, "status", PL_K_STATUSED, PL_FT_S32, status, 0, PL_K(PL_EV_EXIT) | PL_K(PL_EV_ZOMBIE) | PL_K(PL_EV_REAP), 0, 0) \
	F(X, "zombie_ns", PL_K(PL_EV_REAP), PL_FT_U64, zombie_ns, 0, PL_K(PL_EV_REAP), 0, 0) \
	/* the zombie moment told in its exit's line (log/parse.h) */ \
	F(X, "zombie_ts", PL_K(PL_EV_EXIT), PL_FT_U64, zombie_ts, 0, 0, 0, PL_F_THEN_ZOMBIE) \
	F(X, "nice", PL_K(PL_EV_FORK) | PL_K_EXECS | PL_K(PL_EV_EXIT) | PL_K(PL_EV_PROC), PL_FT_S32, nice, 0, 0, 0, 0) \
	F(X, "thread", PL_K(PL_EV_FORK) | PL_K(PL_EV_EXIT) | PL_K(PL_EV_REPARENT), PL_FT_FLAG, flags, PL_F_THREAD, 0, 0, 0) \
	F(X, "group_dead", PL_K(PL_EV_EXIT), PL_FT_FLAG, flags, PL_F_GROUP_DEAD, 0, 0, 0) \
	F(X, "last_thread_unknown", PL_K(PL_EV_EXIT), PL_FT_FLAG, flags, PL_F_GROUP_RACE, 0, 1, 0) \
	F(X, "parent_kind", PL_K(PL_EV_EXIT), PL_FT_ADOPT, parent_kind, 0, 0, 1, 0) \
	F(X, "waits", PL_K(PL_EV_EXIT) | PL_K(PL_EV_WAITS), PL_FT_U32, waits, 0, 0, 1, 0) \
	F(X, "nohang_polls", PL_K(PL_EV_EXIT) | PL_K(PL_EV_WAITS), PL_FT_U32, nohang_polls, 0, 0, 1, 0) \
	F(X, "cpu_user_ns", PL_K(PL_EV_EXIT), PL_FT_U64, cpu_user_ns, 0, 0, 0, PL_F_USAGE) \
	F(X, "cpu_sys_ns", PL_K(PL_EV_EXIT), PL_FT_U64, cpu_sys_ns, 0, 0, 0, PL_F_USAGE) \
	F(X, "max_rss_kb", PL_K(PL_EV_EXIT), PL_FT_U64, max_rss_kb, 0, 0, 0, PL_F_USAGE) \
	F(X, "killer", PL_K(PL_EV_EXIT), PL_FT_U32, killer, 0, 0, 0, PL_F_KILLER) \
	F(X, "killer_start", PL_K(PL_EV_EXIT), PL_FT_U64, killer_start, 0, 0, 1, PL_F_KILLER) \
	F(X, "killer_comm", PL_K(PL_EV_EXIT), PL_FT_STR, killer_comm, 0, 0, 1, PL_F_KILLER) \
	F(X, "killer_comm_hex", PL_K(PL_EV_EXIT), PL_FT_HEX, killer_comm, 0, 0, 0, PL_F_KILLER) \
	F(X, "kill_reason", PL_K(PL_EV_EXIT), PL_FT_KILLWHY, kill_why, 0, 0, 0, PL_F_KILLER) \
	F(X, "auto", PL_K(PL_EV_REAP), PL_FT_FLAG, flags, PL_F_AUTO, 0, 0, 0) \
	F(X, "inferred", PL_K(PL_EV_REAP), PL_FT_FLAG, flags, PL_F_INFERRED, 0, 0, 0) \
	F(X, "nocldwait", PL_K(PL_EV_REAP), PL_FT_FLAG, flags, PL_F_NOCLDWAIT, 0, 1, 0) \
	F(X, "unmatched", PL_K(PL_EV_REAP), PL_FT_FLAG, flags, PL_F_UNMATCHED, 0, 1, 0) \
	F(X, "status_unknown", PL_K(PL_EV_REAP), PL_FT_FLAG, flags, PL_F_STATUS_UNKNOWN, 0, 1, 0) \
	F(X, "at_exit", PL_K(PL_EV_REAP), PL_FT_FLAG, flags, PL_F_AT_EXIT, 0, 1, 0) \
	F(X, "final", PL_K(PL_EV_REAP), PL_FT_FLAG, flags, PL_F_FINAL, 0, 1, 0) \
	F(X, "nohang", PL_K(PL_EV_WAIT) | PL_K(PL_EV_REAP), PL_FT_FLAG, flags, PL_F_NOHANG, 0, 0, 0) \
	F(X, "waitid", PL_K(PL_EV_WAIT) | PL_K(PL_EV_REAP), PL_FT_FLAG, flags, PL_F_WAITID, 0, 1, 0) \
	F(X, "truncated", PL_K(PL_EV_EXEC), PL_FT_FLAG, flags, PL_F_TRUNCATED, 0, 1, 0) \
	F(X, "zombie", PL_K(PL_EV_PROC), PL_FT_FLAG, flags, PL_F_ZOMBIE, 0, 0, 0) \
	F(X, "exiting", PL_K(PL_EV_PROC), PL_FT_FLAG, flags, PL_F_EXITED, 0, 1, 0) \
	F(X, "subreaper", PL_K(PL_EV_PROC), PL_FT_FLAG, flags, PL_F_SUBREAPER, 0, 0, 0) \
	F(X, "at_least", PL_K(PL_EV_ZOMBIE_LONG) | PL_K(PL_EV_REAP), PL_FT_FLAG, flags, PL_F_ZOMBIE, 0, 1, 0) \
	F(X, "ns_pid", PL_K_ALL, PL_FT_U32, ns_pid, 0, 0, 1, 0) \
	F(X, "ns_level", PL_K_ALL, PL_FT_U32, ns_level, 0, 0, 1, 0) \
	F(X, "ns_inum", PL_K_ALL, PL_FT_U32, ns_inum, 0, 0, 1, 0) \
	F(X, "cpu", PL_K_ALL & ~PL_K(PL_EV_PROC), PL_FT_U32, cpu, 0, 0, 0, 0) \
	/* the model's conclusions; "derived" keeps replay from feeding them back */ \
	F(X, "derived", PL_K_ALL, PL_FT_FLAG, flags, PL_F_DERIVED, 0, 1, 0) \
	F(X, "parent", PL_K(PL_EV_ZOMBIE_LONG), PL_FT_U32, parent, 0, PL_K(PL_EV_ZOMBIE_LONG), 0, 0) \
	F(X, "parent_start", PL_K(PL_EV_ZOMBIE_LONG), PL_FT_U64, pstart, 0, 0, 0, 0) \
	F(X, "zombie_ns", PL_K(PL_EV_ZOMBIE_LONG), PL_FT_U64, zombie_ns, 0, PL_K(PL_EV_ZOMBIE_LONG), 0, 0) \
	F(X, "status", PL_K(PL_EV_ZOMBIE_LONG), PL_FT_S32, status, 0, 0, 0, 0) \
	F(X, "middle", PL_K(PL_EV_DOUBLE_FORK), PL_FT_U32, middle, 0, PL_K(PL_EV_DOUBLE_FORK), 0, 0) \
	F(X, "middle_start", PL_K(PL_EV_DOUBLE_FORK), PL_FT_U64, pstart, 0, 0, 0, 0) \
	F(X, "original_parent", PL_K(PL_EV_DOUBLE_FORK), PL_FT_U32, original_parent, 0, PL_K(PL_EV_DOUBLE_FORK), 0, 0) \
	F(X, "middle_exit_ns", PL_K(PL_EV_DOUBLE_FORK), PL_FT_U64, middle_exit_ns, 0, 0, 0, 0)

#endif
