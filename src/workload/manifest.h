/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The manifest: ground truth of one proclife-workload invocation, as JSON.
 *
 * {
 *   "format": "proclife-workload-manifest", "version": 1,
 *   "generator": { "pid", "ppid", "start_ticks", "comm", "exe" },
 *   "clk_tck": 100, "tick_ns": 10000000,   start_ticks * tick_ns ~ start (ns since boot)
 *   "root": bool, "ns_init": 1,            the pid namespace's init as the generator sees it
 *   "options": { "n", "hold_ms", "workers", "tasks", "rate", "seconds" },
 *   "runs": [ RUN, ... ],
 *   "result": "ok" | "failed" | "interrupted"
 * }
 * RUN = {
 *   "scenario": "zombie", "result": "ok" | "skipped" | "failed" | "interrupted",
 *   "reason": "needs root",                present unless ok
 *   "begin_ns", "end_ns",                  CLOCK_BOOTTIME around the run
 *   "facts": { ... },                      scenario-wide numbers and strings, e.g.
 *                                          empty_polls, reused_pid, tasks, elapsed_ns
 *   "procs": [ PROC, ... ],                every process it created, in birth order
 *   "threads": [ THREAD, ... ]             every thread it created (never processes)
 * }
 * PROC = {
 *   "role": "child",                       what it is in the scenario
 *   "pid": 1234, "ns_pid": 2,              global pid; ns_pid only inside a child pid ns
 *   "parent": 1200,                        tgid of the parent at birth (global)
 *   "comm": "proclife-worklo",             comm at birth
 *   "start_ticks": 4711,                   /proc/PID/stat field 22 (omitted if not read)
 *   "fork_ns": [lo, hi],                   the kernel's start time lies in [lo, hi]
 *   "status": 768, "code": 3               expected wait status, decoded like the log:
 *     | "signal": 15, "signame": "SIGTERM", "core": false,
 *   "status_seen": true,                   the reaper's own wait() returned this status
 *   "reaper": 1200 | "init" | "subreaper:1300" | "auto",
 *   "reaper_pid": 1200,                    pid that reaps (for auto: the parent that ignores)
 *   "reap_seq": 2,                         order among this reaper's reaps in the run
 *   "auto": "sig_ign" | "nocldwait",       auto-reaped: never a zombie, no wait
 *   "in_handler": true, "nohang": true,    reaped from a SIGCHLD handler / WNOHANG poll
 *   "hold_ms": 300,                        zombie kept on purpose (0: reaped at once)
 *   "exit_seen_ns", "zombie_seen_ns",      generator's clock: end seen (pipe EOF), seen a
 *   "reaped_ns",                           zombie in /proc (a hold counts from here), reaped
 *   "killed_by": 1200,                     who sent the fatal signal (itself for abort())
 *   "kill_reason": "process" | "fault",    how it came: sent by killed_by, or the
 *                                          kernel's for the process's own fault
 *   "uid": 0, "gid": 0,                    its user and group as its last fork or exec
 *                                          had them (a change then an exec: the new)
 *   "cgroup": "/system.slice/x.service",   its cgroup v2 path at its last fork or exec
 *                                          (absent when the generator's own is not known)
 *   "usage": { "burned_ms", "touched_kb",  CPU it spun and memory it touched on
 *              "self_cpu_ns",              purpose; its own getrusage before a last
 *              "reaped_cpu_ns",            stretch spun with no system call, and
 *              "reaped_maxrss_kb" },       wait4's account after: CPU and peak memory
 *                                          exactly wait4's
 *   "orphan": { "old_parent", "new_parent", "adopter": "init" | "subreaper",
 *               "as_zombie": bool },       reparenting the orphan itself saw
 *   "exec": { "filename", "comm", "tid" }, exec'd file, comm after it, tid that called it
 *   "vfork": { "suspended_ns" },           created by vfork; parent held this long
 *   "nice": 9,                             nice value it ran (and exited) with
 *   "tasks": 4,                            pool/churn tasks it ran
 *   "reused_from": 0                       pid-reuse: an earlier life had the same pid
 * }
 * THREAD = { "role", "tid", "pid" (owner tgid), "process": false, "joined": bool,
 *            "exec_gone": bool (vanished when another thread exec'd),
 *            "lives_until_exit": bool (ended by the process's exit) }
 */
#ifndef WL_MANIFEST_H
#define WL_MANIFEST_H

#include <stdio.h>
#include "workload/wl.h"

FILE *manifest_open(const char *path, const struct wl_opts *o);
void manifest_run(FILE *f, const struct wl_run *run);
int manifest_close(FILE *f, const char *result);

#endif
