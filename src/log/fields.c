// SPDX-License-Identifier: BSD-2-Clause
#include "log/fields.h"

#define M(member) offsetof(struct pl_event, member), sizeof(((struct pl_event *)0)->member)
#define K PL_K

/* kinds whose ppid/pstart mean "the parent" */
#define EXECS (K(PL_EV_EXEC) | K(PL_EV_EXEC_FAILED))
#define PARENTAL (K(PL_EV_FORK) | EXECS | K(PL_EV_EXIT) | K(PL_EV_PROC))
/* kinds that say who the process runs as */
#define WHO_KINDS (K(PL_EV_FORK) | EXECS | K(PL_EV_PROC))
#define STATUSED (K(PL_EV_EXIT) | K(PL_EV_ZOMBIE) | K(PL_EV_REAP) | K(PL_EV_FREE) | K(PL_EV_PROC))

const struct pl_field pl_fields[] = {
	{ "ts", PL_K_ALL, PL_FT_U64, M(ts), 0, PL_K_ALL, 0, 0 },
	{ "pid", PL_K_ALL, PL_FT_U32, M(pid), 0, PL_K_ALL, 0, 0 },
	{ "tid", PL_K_ALL, PL_FT_U32, M(tid), 0, PL_K_ALL, 0, 0 },
	{ "start", PL_K_ALL, PL_FT_U64, M(start), 0, PL_K_ALL, 0, 0 },
	{ "comm", PL_K_ALL, PL_FT_STR, M(comm), 0, PL_K_ALL, 0, 0 },
	{ "comm_hex", PL_K_ALL, PL_FT_HEX, M(comm), 0, 0, 0, 0 },
	{ "ppid", PARENTAL, PL_FT_U32, M(ppid), 0, K(PL_EV_FORK), 0, 0 },
	{ "pstart", PARENTAL, PL_FT_U64, M(pstart), 0, 0, 0, 0 },
	{ "parent", K(PL_EV_ZOMBIE), PL_FT_U32, M(parent), 0, K(PL_EV_ZOMBIE), 0, 0 },
	{ "parent_start", K(PL_EV_ZOMBIE), PL_FT_U64, M(pstart), 0, 0, 0, 0 },
	{ "reaper", K(PL_EV_REAP), PL_FT_U32, M(reaper), 0, K(PL_EV_REAP), 0, 0 },
	{ "reaper_start", K(PL_EV_REAP), PL_FT_U64, M(pstart), 0, 0, 0, 0 },
	{ "old_parent", K(PL_EV_REPARENT), PL_FT_U32, M(old_parent), 0, K(PL_EV_REPARENT), 0, 0 },
	{ "new_parent", K(PL_EV_REPARENT), PL_FT_U32, M(new_parent), 0, K(PL_EV_REPARENT), 0, 0 },
	{ "new_parent_start", K(PL_EV_REPARENT), PL_FT_U64, M(new_parent_start), 0, 0, 0, 0 },
	{ "adopter", K(PL_EV_REPARENT), PL_FT_ADOPT, M(adopter), 0, K(PL_EV_REPARENT), 0, 0 },
	{ "old_tid", K(PL_EV_EXEC), PL_FT_U32, M(old_tid), 0, 0, 0, 0 },
	{ "filename", EXECS, PL_FT_PSTR, M(filename), 0, 0, 0, 0 },
	{ "filename_hex", EXECS, PL_FT_PHEX, M(filename), 0, 0, 0, 0 },
	{ "argv", EXECS, PL_FT_ARGV, M(args), 0, 0, 0, 0 },
	{ "argv_hex", EXECS, PL_FT_ARGVHEX, M(args), 0, 0, 0, 0 },
	{ "argv_truncated", EXECS, PL_FT_FLAG, M(flags), PL_F_ARGS_TRUNCATED, 0, 1, 0 },
	{ "errno", K(PL_EV_EXEC_FAILED), PL_FT_S32, M(err), 0, K(PL_EV_EXEC_FAILED), 0, 0 },
	{ "uid", WHO_KINDS, PL_FT_U32, M(uid), 0, 0, 0, PL_F_WHO },
	{ "gid", WHO_KINDS, PL_FT_U32, M(gid), 0, 0, 0, PL_F_WHO },
	{ "euid", WHO_KINDS, PL_FT_EUID, M(euid), 0, 0, 0, PL_F_WHO },
	{ "cgroup_id", WHO_KINDS, PL_FT_U64, M(cgroup_id), 0, 0, 0, PL_F_WHO },
	{ "cgroup", WHO_KINDS, PL_FT_PSTR, M(cgroup), 0, 0, 0, 0 },
	{ "cgroup_hex", WHO_KINDS, PL_FT_PHEX, M(cgroup), 0, 0, 0, 0 },
	{ "target", K(PL_EV_WAIT), PL_FT_U32, M(target), 0, 0, 0, 0 },
	{ "options", K(PL_EV_WAIT), PL_FT_S32, M(options), 0, 0, 0, 0 },
	{ "threads", K(PL_EV_PROC), PL_FT_U32, M(threads), 0, 0, 0, 0 },
	{ "status", STATUSED, PL_FT_S32, M(status), 0, K(PL_EV_EXIT) | K(PL_EV_ZOMBIE), 0, 0 },
	{ "zombie_ns", K(PL_EV_REAP), PL_FT_U64, M(zombie_ns), 0, 0, 0, 0 },
	/* the zombie moment told in its exit's line (log/parse.h) */
	{ "zombie_ts", K(PL_EV_EXIT), PL_FT_U64, M(zombie_ts), 0, 0, 0, PL_F_THEN_ZOMBIE },
	{ "nice", K(PL_EV_FORK) | EXECS | K(PL_EV_EXIT) | K(PL_EV_PROC), PL_FT_S32, M(nice), 0, 0, 0, 0 },
	{ "thread", K(PL_EV_FORK) | K(PL_EV_EXIT) | K(PL_EV_REPARENT), PL_FT_FLAG, M(flags), PL_F_THREAD, 0, 0, 0 },
	{ "group_dead", K(PL_EV_EXIT), PL_FT_FLAG, M(flags), PL_F_GROUP_DEAD, 0, 0, 0 },
	{ "last_thread_unknown", K(PL_EV_EXIT), PL_FT_FLAG, M(flags), PL_F_GROUP_RACE, 0, 1, 0 },
	{ "parent_kind", K(PL_EV_EXIT), PL_FT_ADOPT, M(parent_kind), 0, 0, 1, 0 },
	{ "waits", K(PL_EV_EXIT) | K(PL_EV_WAITS), PL_FT_U32, M(waits), 0, 0, 1, 0 },
	{ "nohang_polls", K(PL_EV_EXIT) | K(PL_EV_WAITS), PL_FT_U32, M(nohang_polls), 0, 0, 1, 0 },
	{ "cpu_user_ns", K(PL_EV_EXIT), PL_FT_U64, M(cpu_user_ns), 0, 0, 0, PL_F_USAGE },
	{ "cpu_sys_ns", K(PL_EV_EXIT), PL_FT_U64, M(cpu_sys_ns), 0, 0, 0, PL_F_USAGE },
	{ "max_rss_kb", K(PL_EV_EXIT), PL_FT_U64, M(max_rss_kb), 0, 0, 0, PL_F_USAGE },
	{ "killer", K(PL_EV_EXIT), PL_FT_U32, M(killer), 0, 0, 0, PL_F_KILLER },
	{ "killer_start", K(PL_EV_EXIT), PL_FT_U64, M(killer_start), 0, 0, 1, PL_F_KILLER },
	{ "killer_comm", K(PL_EV_EXIT), PL_FT_STR, M(killer_comm), 0, 0, 1, PL_F_KILLER },
	{ "killer_comm_hex", K(PL_EV_EXIT), PL_FT_HEX, M(killer_comm), 0, 0, 0, PL_F_KILLER },
	{ "kill_reason", K(PL_EV_EXIT), PL_FT_KILLWHY, M(kill_why), 0, 0, 0, PL_F_KILLER },
	{ "auto", K(PL_EV_REAP), PL_FT_FLAG, M(flags), PL_F_AUTO, 0, 0, 0 },
	{ "inferred", K(PL_EV_REAP), PL_FT_FLAG, M(flags), PL_F_INFERRED, 0, 0, 0 },
	{ "nocldwait", K(PL_EV_REAP), PL_FT_FLAG, M(flags), PL_F_NOCLDWAIT, 0, 1, 0 },
	{ "unmatched", K(PL_EV_REAP), PL_FT_FLAG, M(flags), PL_F_UNMATCHED, 0, 1, 0 },
	{ "status_unknown", K(PL_EV_REAP), PL_FT_FLAG, M(flags), PL_F_STATUS_UNKNOWN, 0, 1, 0 },
	{ "at_exit", K(PL_EV_REAP), PL_FT_FLAG, M(flags), PL_F_AT_EXIT, 0, 1, 0 },
	{ "final", K(PL_EV_REAP), PL_FT_FLAG, M(flags), PL_F_FINAL, 0, 1, 0 },
	{ "nohang", K(PL_EV_WAIT) | K(PL_EV_REAP), PL_FT_FLAG, M(flags), PL_F_NOHANG, 0, 0, 0 },
	{ "waitid", K(PL_EV_WAIT) | K(PL_EV_REAP), PL_FT_FLAG, M(flags), PL_F_WAITID, 0, 1, 0 },
	{ "truncated", K(PL_EV_EXEC), PL_FT_FLAG, M(flags), PL_F_TRUNCATED, 0, 1, 0 },
	{ "zombie", K(PL_EV_PROC), PL_FT_FLAG, M(flags), PL_F_ZOMBIE, 0, 0, 0 },
	{ "exiting", K(PL_EV_PROC), PL_FT_FLAG, M(flags), PL_F_EXITED, 0, 1, 0 },
	{ "subreaper", K(PL_EV_PROC), PL_FT_FLAG, M(flags), PL_F_SUBREAPER, 0, 0, 0 },
	{ "at_least", K(PL_EV_ZOMBIE_LONG) | K(PL_EV_REAP), PL_FT_FLAG, M(flags), PL_F_ZOMBIE, 0, 1, 0 },
	{ "ns_pid", PL_K_ALL, PL_FT_U32, M(ns_pid), 0, 0, 1, 0 },
	{ "ns_level", PL_K_ALL, PL_FT_U32, M(ns_level), 0, 0, 1, 0 },
	{ "ns_inum", PL_K_ALL, PL_FT_U32, M(ns_inum), 0, 0, 1, 0 },
	{ "cpu", PL_K_ALL & ~K(PL_EV_PROC), PL_FT_U32, M(cpu), 0, 0, 0, 0 },
	/* the model's conclusions; "derived" keeps replay from feeding them back */
	{ "derived", PL_K_ALL, PL_FT_FLAG, M(flags), PL_F_DERIVED, 0, 1, 0 },
	{ "parent", K(PL_EV_ZOMBIE_LONG), PL_FT_U32, M(parent), 0, K(PL_EV_ZOMBIE_LONG), 0, 0 },
	{ "parent_start", K(PL_EV_ZOMBIE_LONG), PL_FT_U64, M(pstart), 0, 0, 0, 0 },
	{ "zombie_ns", K(PL_EV_ZOMBIE_LONG), PL_FT_U64, M(zombie_ns), 0, K(PL_EV_ZOMBIE_LONG), 0, 0 },
	{ "status", K(PL_EV_ZOMBIE_LONG), PL_FT_S32, M(status), 0, 0, 0, 0 },
	{ "middle", K(PL_EV_DOUBLE_FORK), PL_FT_U32, M(middle), 0, K(PL_EV_DOUBLE_FORK), 0, 0 },
	{ "middle_start", K(PL_EV_DOUBLE_FORK), PL_FT_U64, M(pstart), 0, 0, 0, 0 },
	{ "original_parent", K(PL_EV_DOUBLE_FORK), PL_FT_U32, M(original_parent), 0, K(PL_EV_DOUBLE_FORK), 0, 0 },
	{ "middle_exit_ns", K(PL_EV_DOUBLE_FORK), PL_FT_U64, M(middle_exit_ns), 0, 0, 0, 0 },
};

const size_t pl_nfields = sizeof(pl_fields) / sizeof(pl_fields[0]);
_Static_assert(sizeof(pl_fields) / sizeof(pl_fields[0]) <= PL_MAX_FIELDS, "raise PL_MAX_FIELDS");
