// SPDX-License-Identifier: BSD-2-Clause
#include <string.h>
#include "mechanisms.h"
#include "util/names.h"

static const char *const kinds[PL_EV_KINDS] = {
	[PL_EV_NONE] = "none",     [PL_EV_FORK] = "fork",   [PL_EV_EXEC] = "exec",
	[PL_EV_EXIT] = "exit",     [PL_EV_ZOMBIE] = "zombie", [PL_EV_WAIT] = "wait",
	[PL_EV_REAP] = "reap",     [PL_EV_REPARENT] = "reparent", [PL_EV_FREE] = "free",
	[PL_EV_PROC] = "proc",     [PL_EV_WAITS] = "waits", [PL_EV_ZOMBIE_LONG] = "zombie_long",
	[PL_EV_DOUBLE_FORK] = "double_fork", [PL_EV_EXEC_FAILED] = "exec_failed",
};

static const char *const kill_whys[PL_KILL_WHYS] = {
	[PL_KILL_UNKNOWN] = "unknown", [PL_KILL_SENT] = "process", [PL_KILL_KERNEL] = "kernel",
	[PL_KILL_FAULT] = "fault",     [PL_KILL_OOM] = "oom",      [PL_KILL_SECCOMP] = "seccomp",
};

static const char *const adopters[] = {
	[PL_ADOPT_UNKNOWN] = "unknown", [PL_ADOPT_INIT] = "init",
	[PL_ADOPT_SUBREAPER] = "subreaper", [PL_ADOPT_THREAD] = "thread",
	[PL_ADOPT_OTHER] = "other",
};

static const char *const signals[] = {
	[1] = "SIGHUP",   [2] = "SIGINT",    [3] = "SIGQUIT",  [4] = "SIGILL",
	[5] = "SIGTRAP",  [6] = "SIGABRT",   [7] = "SIGBUS",   [8] = "SIGFPE",
	[9] = "SIGKILL",  [10] = "SIGUSR1",  [11] = "SIGSEGV", [12] = "SIGUSR2",
	[13] = "SIGPIPE", [14] = "SIGALRM",  [15] = "SIGTERM", [16] = "SIGSTKFLT",
	[17] = "SIGCHLD", [18] = "SIGCONT",  [19] = "SIGSTOP", [20] = "SIGTSTP",
	[21] = "SIGTTIN", [22] = "SIGTTOU",  [23] = "SIGURG",  [24] = "SIGXCPU",
	[25] = "SIGXFSZ", [26] = "SIGVTALRM", [27] = "SIGPROF", [28] = "SIGWINCH",
	[29] = "SIGIO",   [30] = "SIGPWR",   [31] = "SIGSYS",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* the index of the name of len bytes at s (not terminated); the first
 * byte is compared before any call: replay looks up every line's kind */
static int find_bytes(const char *const *names, unsigned n, const char *s, size_t len)
{
	for (unsigned i = 0; i < n; i++)
		if (names[i] && len && names[i][0] == s[0] && !strncmp(names[i], s, len) &&
		    !names[i][len])
			return (int)i;
	return -1;
}

static int find(const char *const *names, unsigned n, const char *name)
{
	return find_bytes(names, n, name, strlen(name));
}

const char *pl_kind_name(unsigned kind)
{
	return kind < COUNT(kinds) && kinds[kind] ? kinds[kind] : "?";
}

int pl_kind_from_name(const char *name)
{
	return find(kinds, COUNT(kinds), name);
}

int pl_kind_from_bytes(const char *s, size_t len)
{
	return find_bytes(kinds, COUNT(kinds), s, len);
}

const char *pl_adopter_name(unsigned adopter)
{
	return adopter < COUNT(adopters) ? adopters[adopter] : "unknown";
}

int pl_adopter_from_name(const char *name)
{
	return find(adopters, COUNT(adopters), name);
}

static const char *const stats[PL_STATS] = {
	[PL_STAT_REPARENT_UNCHECKED] = "reparent_unchecked",
	[PL_STAT_CHILDREN_TRUNCATED] = "children_truncated",
	[PL_STAT_ZOMBIE_TABLE_FULL] = "zombie_table_full",
	[PL_STAT_FOLLOW_TABLE_FULL] = "follow_table_full",
	[PL_STAT_EXITING_TABLE_FULL] = "exiting_table_full",
	[PL_STAT_KILLS_LOST] = "kills_lost",
	[PL_STAT_CGROUPS_LOST] = "cgroups_lost",
	[PL_STAT_NS_ZOMBIE_MISSED] = "ns_zombies_missed",
	[PL_STAT_RUNS_SKIPPED] = "runs_skipped",
};

const char *pl_stat_name(unsigned stat)
{
	return stat < PL_STATS && stats[stat] ? stats[stat] : "?";
}

const char *pl_kill_why_name(unsigned why)
{
	return why < COUNT(kill_whys) ? kill_whys[why] : "unknown";
}

int pl_kill_why_from_name(const char *name)
{
	return find(kill_whys, COUNT(kill_whys), name);
}

const char *pl_signal_name(int sig)
{
	return sig > 0 && (unsigned)sig < COUNT(signals) ? signals[sig] : NULL;
}

int pl_mechanism_option(unsigned i, const char **name, unsigned *bit)
{
	static const struct {
		const char *name;
		unsigned bit;
	} options[] = {
		{ "base", PL_M_BASE },		     { "pt-regs", PL_M_PT_REGS },
		{ "kfunc", PL_M_KFUNC },	     { "exit-arg", PL_M_EXIT_ARG },
		{ "io-waitid", PL_M_IO_WAITID },     { "oom-victim", PL_M_OOM_VICTIM },
		{ "cgroup-names", PL_M_CGROUP_NAMES }, { "map-iter", PL_M_MAP_ITER },
	};

	if (i >= COUNT(options))
		return 0;
	*name = options[i].name;
	*bit = options[i].bit;
	return 1;
}

int pl_mechanism_name(unsigned m, unsigned i, const char **name, const char **value)
{
	static const struct {
		const char *name;
		unsigned bit;
		const char *with, *without;
	} aspects[] = {
		{ "current_task", PL_M_BASE, "btf", "probe_read" },
		{ "thread_state", PL_M_BASE, "task_storage", "hash" },
		{ "zombies", PL_M_BASE, "slots", "hash" },
		{ "wait_args", PL_M_PT_REGS, "pt_regs", "sys_enter" },
		{ "orphan_lookup", PL_M_KFUNC, "kfunc", "task_pointer" },
		{ "process_exit", PL_M_EXIT_ARG, "group_dead", "signal_live" },
		{ "io_uring_waitid", PL_M_IO_WAITID, "completion", "free" },
		{ "oom_kills", PL_M_OOM_VICTIM, "mark_victim", "kernel" },
		{ "cgroup_names", PL_M_CGROUP_NAMES, "mkdir", "lookup" },
		{ "waits_left", PL_M_MAP_ITER, "map_iter", "map_lookup" },
	};

	if (i >= COUNT(aspects))
		return 0;
	*name = aspects[i].name;
	*value = m & aspects[i].bit ? aspects[i].with : aspects[i].without;
	return 1;
}
