// SPDX-License-Identifier: BSD-2-Clause
/*
 * Reading proclife-workload's manifests for verify: every fact it holds
 * against, and a reason for every manifest it cannot take.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "check.h"
#include "verify/manifest.h"

#define HEAD "{\"format\": \"proclife-workload-manifest\", \"version\": 1, "

static const char orphan[] =
	HEAD "\"generator\": {\"pid\": 1960, \"comm\": \"proclife-worklo\"}, \"ns_init\": 1,\n"
	"\"runs\": [\n"
	"{\"scenario\": \"orphan\", \"result\": \"ok\", \"begin_ns\": 100, \"end_ns\": 900,\n"
	"  \"facts\": {\"empty_polls\": 4},\n"
	"  \"procs\": [\n"
	"    {\"role\": \"parent\", \"pid\": 1961, \"parent\": 1960, \"fork_ns\": [110, 120],\n"
	"     \"status\": 0, \"reaper\": 1960, \"reaper_pid\": 1960, \"reap_seq\": 1, \"nice\": -9,\n"
	"     \"uid\": 65534, \"gid\": 65533, \"cgroup\": \"/proclife-workload-1960\",\n"
	"     \"usage\": {\"burned_ms\": 100, \"touched_kb\": 16384, \"self_cpu_ns\": 105000000,\n"
	"               \"reaped_cpu_ns\": 106000000, \"reaped_maxrss_kb\": 17100}},\n"
	"    {\"role\": \"orphan\", \"pid\": 1962, \"parent\": 1961, \"status\": 1024,\n"
	"     \"reaper\": \"init\", \"reaper_pid\": 1, \"hold_ms\": 300, \"nohang\": true,\n"
	"     \"killed_by\": 1961, \"kill_reason\": \"process\",\n"
	"     \"orphan\": {\"old_parent\": 1961, \"new_parent\": 1, \"adopter\": \"init\", \"as_zombie\": true},\n"
	"     \"exec\": {\"filename\": \"/proc/self/exe\", \"comm\": \"exe\", \"tid\": 1963}}\n"
	"  ],\n"
	"  \"threads\": [{\"role\": \"t\", \"tid\": 1964, \"pid\": 1962, \"exec_gone\": true}]},\n"
	"{\"scenario\": \"pidns\", \"result\": \"skipped\", \"facts\": {\"ns_init\": 2000}}\n"
	"],\n"
	"\"result\": \"ok\"}\n";

static void every_fact_is_read(void **state)
{
	char err[256] = "";
	struct manifest *m = manifest_parse(orphan, sizeof(orphan) - 1, err, sizeof(err));
	const struct mf_proc *p, *o;

	(void)state;
	if (!m)
		fail_msg("the manifest was refused: %s", err);
	ASSERT_EQ(m->generator, 1960, "the generator's pid");
	ASSERT_EQ(m->ns_init, 1, "the namespace's init");
	ASSERT_EQ(m->nruns, 2, "runs");
	ASSERT_STR_EQ(m->runs[0].scenario, "orphan", "the first run's scenario");
	ASSERT_EQ(m->runs[0].begin_ns, 100, "its begin");
	ASSERT_EQ(m->runs[0].end_ns, 900, "its end");
	ASSERT_EQ(m->runs[0].empty_polls, 4, "its empty polls");
	ASSERT_EQ(m->runs[1].empty_polls, -1, "the second run's empty polls (not a fact of it)");
	ASSERT_EQ(m->runs[1].ns_init, 2000, "the pidns run's init");
	ASSERT_STR_EQ(m->runs[1].result, "skipped", "the second run's result");
	ASSERT_EQ(m->nprocs, 2, "processes");
	p = &m->procs[0];
	ASSERT_EQ(p->pid, 1961, "the parent's pid");
	ASSERT_EQ(p->fork_lo, 110, "the parent's fork window's start");
	ASSERT_EQ(p->fork_hi, 120, "the parent's fork window's end");
	ASSERT_EQ(p->reaper, MF_REAPER_PID, "the parent's reaper kind");
	ASSERT_EQ(p->reaper_pid, 1960, "the parent's reaper");
	ASSERT_EQ(p->reap_seq, 1, "the parent's reap order");
	ASSERT_TRUE(p->has_nice, "the parent's nice is a fact");
	ASSERT_EQ(p->nice, -9, "the parent's nice");
	ASSERT_FALSE(p->orphan, "the parent orphaned");
	ASSERT_TRUE(p->has_who, "the parent's user is a fact");
	ASSERT_EQ(p->uid, 65534, "the parent's uid");
	ASSERT_EQ(p->gid, 65533, "the parent's gid");
	ASSERT_STR_EQ(p->cgroup, "/proclife-workload-1960", "the parent's cgroup");
	ASSERT_TRUE(p->has_usage, "the parent's use is a fact");
	ASSERT_EQ(p->self_cpu_ns, 105000000, "the CPU it saw of itself");
	ASSERT_EQ(p->reaped_cpu_ns, 106000000, "the CPU wait4 said");
	ASSERT_EQ(p->reaped_maxrss_kb, 17100, "the peak memory wait4 said");
	ASSERT_STR_EQ(p->kill_reason, "", "no signal ended the parent");
	o = &m->procs[1];
	ASSERT_EQ(o->run, 0, "the orphan's run");
	ASSERT_STR_EQ(o->role, "orphan", "the orphan's role");
	ASSERT_TRUE(o->has_status, "the orphan's status is a fact");
	ASSERT_EQ(o->status, 1024, "the orphan's status");
	ASSERT_EQ(o->reaper, MF_REAPER_INIT, "the orphan's reaper kind");
	ASSERT_EQ(o->hold_ms, 300, "the orphan's zombie hold");
	ASSERT_TRUE(o->nohang, "the orphan reaped by a WNOHANG poll");
	ASSERT_TRUE(o->orphan, "the orphan orphaned");
	ASSERT_EQ(o->old_parent, 1961, "the orphan's old parent");
	ASSERT_EQ(o->new_parent, 1, "the orphan's new parent");
	ASSERT_STR_EQ(o->adopter, "init", "the orphan's adopter");
	ASSERT_TRUE(o->orphan_as_zombie, "the orphan adopted as a zombie");
	ASSERT_TRUE(o->exec, "the orphan exec'd");
	ASSERT_STR_EQ(o->exec_filename, "/proc/self/exe", "the orphan's exec'd file");
	ASSERT_STR_EQ(o->exec_comm, "exe", "the orphan's command after exec");
	ASSERT_EQ(o->exec_tid, 1963, "the thread that exec'd");
	ASSERT_FALSE(o->has_who, "the orphan's user is no fact");
	ASSERT_NULL(o->cgroup, "the orphan's cgroup is no fact");
	ASSERT_FALSE(o->has_usage, "the orphan's use is no fact");
	ASSERT_EQ(o->killed_by, 1961, "who killed the orphan");
	ASSERT_STR_EQ(o->kill_reason, "process", "how");
	ASSERT_EQ(m->nthreads, 1, "threads");
	ASSERT_EQ(m->threads[0].tid, 1964, "the thread's tid");
	ASSERT_EQ(m->threads[0].pid, 1962, "the thread's process");
	ASSERT_TRUE(m->threads[0].exec_gone, "the thread gone at the exec");
	manifest_free(m);
}

static void refused(const char *text, const char *words)
{
	char err[256] = "";
	struct manifest *m = manifest_parse(text, strlen(text), err, sizeof(err));

	if (m)
		fail_msg("accepted: %s", text);
	ASSERT_CONTAINS(err, words, text);
}

static void bad_manifests_are_refused(void **state)
{
	(void)state;
	refused("", "not valid JSON");
	refused("{\"format\": ", "not valid JSON");
	refused("[]", "a JSON object was expected");
	refused("{\"format\": \"proclife-events\"}", "not a proclife-workload manifest (format 'proclife-events')");
	refused(HEAD "\"runs\": {}}", "no 'runs' array");
	refused("{\"format\": \"proclife-workload-manifest\", \"version\": 2, \"runs\": []}",
		"manifest version is not 1");
	refused(HEAD "\"runs\": [7]}", "a run is not an object");
	refused(HEAD "\"runs\": [{\"procs\": {}}]}", "procs must be an array");
	refused(HEAD "\"runs\": [{\"procs\": [{\"role\": \"x\"}]}]}", "a process without a pid (role 'x')");
	refused(HEAD "\"runs\": [{\"procs\": [{\"pid\": \"7\"}]}]}", "'pid' is string, expected a whole number");
	refused(HEAD "\"runs\": [{\"procs\": [{\"pid\": 7, \"role\": \"x\"}]}]}", "process 7 has no 'parent'");
	refused(HEAD "\"runs\": [{\"procs\": [{\"pid\": -7}]}]}", "'pid' is not a pid");
	refused(HEAD "\"runs\": [{\"procs\": [{\"pid\": 7, \"fork_ns\": [1]}]}]}",
		"'fork_ns' is not a pair of numbers");
	refused(HEAD "\"runs\": [{\"procs\": [{\"pid\": 7, \"reaper\": \"aunt\"}]}]}", "unknown reaper 'aunt'");
	refused(HEAD "\"runs\": [{\"procs\": [{\"pid\": 7, \"nohang\": 1}]}]}", "'nohang' is int, expected true or false");
	refused(HEAD "\"runs\": [{\"procs\": [{\"pid\": 7, \"orphan\": 1}]}]}", "'orphan' is int, expected an object");
	refused(HEAD "\"runs\": [{\"procs\": [{\"pid\": 7, \"usage\": []}]}]}", "'usage' is array, expected an object");
	refused(HEAD "\"runs\": [{\"procs\": [{\"pid\": 7, \"cgroup\": 1}]}]}", "'cgroup' is int, expected a string");
	refused(HEAD "\"runs\": [{\"procs\": [{\"pid\": 7, \"uid\": \"root\"}]}]}", "'uid' is string, expected a whole number");
	refused(HEAD "\"runs\": [{\"procs\": [{\"pid\": 7, \"uid\": 4294967296}]}]}",
		"'uid' is 4294967296, out of its range (0 to 4294967295)");
	refused(HEAD "\"runs\": [{\"procs\": [{\"pid\": 7, \"uid\": 0, \"gid\": -1}]}]}",
		"'gid' is -1, out of its range (0 to 4294967295)");
	refused(HEAD "\"runs\": [{\"procs\": [{\"pid\": 7, \"status\": 768, \"status\": 1024}]}]}",
		"'status' is given twice in one object");
	refused("{\"format\": \"proclife-workload-manifest\", \"version\": 1, \"version\": 2, "
		"\"runs\": []}", "'version' is given twice in one object");
	refused(HEAD "\"runs\": []} trailing", "not valid JSON");
	refused(HEAD "\"runs\": [{\"scenario\": \"s\", \"procs\": [{\"pid\": 7, \"parent\": 1}, {\"pid\": 8, \"parent\": 1}, {\"pid\": 7, \"parent\": 1}]}]}",
		"run 's': pid 7 is listed twice for one life");
	refused(HEAD "\"runs\": [{\"scenario\": \"s\", \"procs\": [{\"pid\": 7, \"parent\": 1, \"fork_ns\": [10, 20]},"
		" {\"pid\": 7, \"parent\": 1, \"fork_ns\": [15, 30]}]}]}", "pid 7 is listed twice for one life");
	refused(HEAD "\"runs\": [{\"scenario\": \"s\", \"begin_ns\": 9, \"end_ns\": 8}]}",
		"run 's': begin_ns is after end_ns");
	refused(HEAD "\"runs\": [{\"scenario\": \"s\", \"begin_ns\": 1, \"end_ns\": 8, \"procs\": [{\"pid\": 7, \"parent\": 1}]},"
		" {\"scenario\": \"t\", \"begin_ns\": 9, \"end_ns\": 10},"
		" {\"scenario\": \"s\", \"begin_ns\": 1, \"end_ns\": 8, \"procs\": [{\"pid\": 7, \"parent\": 1}]}]}",
		"run 's' is listed twice (runs 1 and 3)");
}

/* a pid again in another run, as a second life of its pid, or born again
 * in a later window (pids wrap) is no repeat */
static void a_pid_may_come_again(void **state)
{
	const char *text = HEAD "\"runs\": [{\"procs\": [{\"pid\": 7, \"parent\": 1}, {\"pid\": 7, \"parent\": 1, \"reused_from\": 7},"
			   " {\"pid\": 8, \"parent\": 1, \"fork_ns\": [10, 20]}, {\"pid\": 8, \"parent\": 1, \"fork_ns\": [30, 40]}]},"
			   " {\"procs\": [{\"pid\": 7, \"parent\": 1}]}]}";
	char err[256] = "";
	struct manifest *m = manifest_parse(text, strlen(text), err, sizeof(err));

	(void)state;
	if (!m)
		fail_msg("refused: %s", err);
	ASSERT_EQ(m->nprocs, 5, "every life of pids 7 and 8");
	manifest_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_fact_is_read),
		cmocka_unit_test(bad_manifests_are_refused),
		cmocka_unit_test(a_pid_may_come_again),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
