// SPDX-License-Identifier: BSD-2-Clause
/*
 * The exporters on small made-up runs: every pid the Perfetto file uses has
 * its track, a comm cannot end the HTML report's data script, alike leaves
 * fold in the dot tree, and the pid table they keep records in.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "check.h"
#include <stdlib.h>
#include <string.h>
#include "json_doc.h"
#include "model/model.h"
#include "output/export.h"
#include "util/pidtab.h"

struct run {
	struct pl_model *m;
	struct pl_exporter *x;
	FILE *f;
	char *text;
	size_t len;
	__u64 now;
};

static void released(void *ctx, const struct pl_proc *p)
{
	struct run *r = ctx;

	r->x->proc(r->x, p);
}

static void start(struct run *r, const char *format)
{
	struct pl_model_opts o = { .on_release = released, .ctx = r };

	memset(r, 0, sizeof(*r));
	r->f = open_memstream(&r->text, &r->len);
	r->x = export_new(format, r->f);
	r->m = pl_model_new(&o);
	r->now = 1000000000ULL;
	ASSERT_NOT_NULL(r->x, "the exporter");
	ASSERT_NOT_NULL(r->m, "the model");
}

/* one record, its process's start being its pid in ms */
static void feed(struct run *r, unsigned kind, __u32 pid, __u32 other, __s32 status,
		 const char *comm)
{
	struct pl_event e = { .kind = kind, .pid = pid, .tid = pid, .ppid = other,
			      .status = status };

	r->now += 1000000;
	e.ts = r->now;
	e.start = 1000000000ULL + pid * 1000ULL;
	e.pstart = other > 1 ? 1000000000ULL + other * 1000ULL : 0;
	snprintf(e.comm, sizeof(e.comm), "%s", comm);
	if (kind == PL_EV_REAP)
		e.zombie_ns = 1000000;
	if (kind == PL_EV_REPARENT) {
		e.new_parent = 1;
		e.adopter = PL_ADOPT_INIT;
	}
	pl_model_feed(r->m, &e);
	r->x->event(r->x, &e);
}

/* a child of parent that lives, exits with code, and is reaped */
static void life(struct run *r, __u32 pid, __u32 parent, int code, const char *comm)
{
	feed(r, PL_EV_FORK, pid, parent, 0, comm);
	feed(r, PL_EV_EXIT, pid, parent, code << 8, comm);
	feed(r, PL_EV_ZOMBIE, pid, parent, code << 8, comm);
	feed(r, PL_EV_REAP, pid, parent, code << 8, comm);
}

static void finish(struct run *r)
{
	pl_model_flush(r->m);
	ASSERT_EQ(r->x->finish(r->x, r->m), 0, "the exporter's finish");
	fclose(r->f);
	r->x->free(r->x);
	pl_model_free(r->m);
}

/* a parent that leaves an orphan to init and a zombie it reaps late */
static void family(struct run *r, const char *comm)
{
	feed(r, PL_EV_FORK, 100, 50, 0, "root");
	feed(r, PL_EV_FORK, 101, 100, 0, comm);
	life(r, 102, 100, 3, "child");
	feed(r, PL_EV_EXIT, 100, 50, 0, "root");
	feed(r, PL_EV_REPARENT, 101, 100, 0, comm);
	feed(r, PL_EV_ZOMBIE, 100, 50, 0, "root");
	feed(r, PL_EV_REAP, 100, 50, 0, "root");
}

static void perfetto_tracks_are_named(void **state)
{
	struct run r;
	struct json_doc d;
	const struct pl_jmember *evs;
	size_t named = 0, zombies = 0, flows = 0;
	__u32 names[64];

	(void)state;
	start(&r, "perfetto");
	family(&r, "orphan");
	finish(&r);
	/* the file, its array of events, their fields */
	ASSERT_TRUE(json_doc_parse(&d, r.text, r.len, 3), "the Perfetto file is JSON");
	evs = json_doc_get(&d, -1, "traceEvents");
	ASSERT_TRUE(evs && evs->type == PL_J_ARRAY, "traceEvents is an array");
	for (int e = evs->first; e >= 0; e = d.j.m[e].next) {
		if (!strcmp(json_doc_str(&d, e, "name"), "process_name") && named < 64)
			names[named++] = (__u32)json_doc_num(&d, e, "pid", 0);
	}
	for (int e = evs->first; e >= 0; e = d.j.m[e].next) {
		__u32 pid = (__u32)json_doc_num(&d, e, "pid", 0);
		bool found = false;

		for (size_t k = 0; k < named; k++)
			found |= names[k] == pid;
		if (!found)
			fail_msg("pid %u has no process_name track", pid);
		if (json_doc_get(&d, e, "cat")) {
			zombies += !strcmp(json_doc_str(&d, e, "cat"), "zombie");
			flows += !strcmp(json_doc_str(&d, e, "cat"), "reparent");
		}
	}
	/* 100 and 102 were zombies; the reparent arrow has two ends and an instant */
	ASSERT_EQ(zombies, 2, "zombie slices");
	ASSERT_EQ(flows, 3, "reparent flow events");
	json_doc_free(&d);
	free(r.text);
}

static size_t count(const char *s, const char *what)
{
	size_t n = 0;

	for (; (s = strstr(s, what)); s++)
		n++;
	return n;
}

static void html_comm_cannot_end_the_script(void **state)
{
	struct run r;

	(void)state;
	start(&r, "html");
	family(&r, "</script><i>");
	finish(&r);
	/* the page's own two scripts end, nothing else does */
	ASSERT_EQ(count(r.text, "</script>"), 2, "</script> in the page (its own two)");
	ASSERT_CONTAINS(r.text, "\\u003c/script\\u003e\\u003ci\\u003e", "the escaped comm in the report");
	free(r.text);
}

/* a line of the start's list of running processes */
static void running_before(struct run *r, __u32 pid, __u32 parent, __u32 flags, __s32 status,
			   const char *comm)
{
	struct pl_event e = { .kind = PL_EV_PROC, .pid = pid, .tid = pid, .ppid = parent,
			      .flags = flags, .status = status, .threads = 1 };

	r->now += 1000000;
	e.ts = r->now;
	e.start = 1000000000ULL + pid * 1000ULL;
	e.pstart = parent > 1 ? 1000000000ULL + parent * 1000ULL : 0;
	snprintf(e.comm, sizeof(e.comm), "%s", comm);
	pl_model_feed(r->m, &e);
	r->x->event(r->x, &e);
}

/* the marks (its 21st value) of pid's row in the data of an HTML page */
static unsigned long long page_marks(const char *page, __u32 pid)
{
	const char *from = strstr(page, "{\"version\":1"), *to = from ? strstr(from, "</script>") : NULL;
	unsigned long long marks = 0;
	struct json_doc d;
	int procs, row, v, i;

	ASSERT_TRUE(from && to, "the page's data");
	ASSERT_TRUE(json_doc_parse(&d, from, (size_t)(to - from), 3), "the page's data is JSON");
	procs = pl_jline_find(&d.j, -1, "procs");
	ASSERT_TRUE(procs >= 0, "the page's processes");
	for (row = d.j.m[procs].first; row >= 0; row = d.j.m[row].next) {
		v = d.j.m[row].first;
		if (v < 0 || d.j.m[v].u != pid)
			continue;
		for (i = 0; i < 20 && v >= 0; i++)
			v = d.j.m[v].next;
		ASSERT_TRUE(v >= 0 && d.j.m[v].type == PL_J_UINT, "the row's marks");
		marks = d.j.m[v].u;
	}
	json_doc_free(&d);
	return marks;
}

/* a name's bytes that are no UTF-8 show as '?', as in the tree: not as
 * the Latin-1 characters of their values */
static void html_shows_bytes_that_are_no_utf8_as_such(void **state)
{
	struct run r;

	(void)state;
	start(&r, "html");
	family(&r, "a\xc3z\xed\xa0\x80" "b");
	finish(&r);
	ASSERT_CONTAINS(r.text, "\"a?z???b\"", "the name in the report");
	ASSERT_TRUE(!strstr(r.text, "\\u00c3") && !strstr(r.text, "\\u00ed"), "no Latin-1 for them");
	free(r.text);
}

/* a process found running at the start has no known parent at birth:
 * none is given, rather than 0 */
static void perfetto_gives_no_unknown_parent_at_birth(void **state)
{
	struct run r;

	(void)state;
	start(&r, "perfetto");
	running_before(&r, 300, 1, 0, 0, "there");
	life(&r, 301, 300, 0, "born");
	finish(&r);
	ASSERT_CONTAINS(r.text, "\"pid\":301,\"start\":1000301000,\"ppid_at_birth\":300",
			"a parent at birth seen");
	ASSERT_CONTAINS(r.text, "\"args\":{\"pid\":300,\"start\":1000300000}",
			"the one found running, with no parent at birth");
	free(r.text);
}

/* a name a spreadsheet would take for a formula stays text */
static void csv_formula_names_stay_text(void **state)
{
	struct run r;

	(void)state;
	start(&r, "csv");
	life(&r, 101, 100, 0, "=2+5");
	life(&r, 102, 100, 0, "@SUM(1,9)");
	life(&r, 103, 100, 0, "-bash");
	life(&r, 104, 100, 0, "a=b");
	finish(&r);
	ASSERT_CONTAINS(r.text, ",'=2+5,", "a name that begins with =");
	ASSERT_CONTAINS(r.text, ",\"'@SUM(1,9)\",", "a quoted name that begins with @");
	ASSERT_CONTAINS(r.text, ",'-bash,", "a name that begins with -");
	ASSERT_CONTAINS(r.text, ",a=b,", "a name with = inside");
	ASSERT_EQ(count(r.text, ",=2+5"), 0, "the formula bare");
	free(r.text);
}

static void dot_folds_alike_leaves(void **state)
{
	struct run r;

	(void)state;
	start(&r, "dot");
	feed(&r, PL_EV_FORK, 100, 50, 0, "root");
	for (__u32 i = 0; i < 100; i++)
		life(&r, 200 + i, 100, (int)i, "leaf");
	life(&r, 400, 100, 0, "other");
	finish(&r);
	/* the one that exited 0 apart from the 99 that failed */
	ASSERT_CONTAINS(r.text, "96 more like this\\nleaf (exit 4 to 99)", "the folded node");
	/* the legend's three, the root's from its outside parent, and to the
	 * leaf that succeeded, three that failed, the fold and the other child */
	ASSERT_EQ(count(r.text, " -> "), 3 + 1 + 1 + 3 + 1 + 1, "edges in the dot file");
	free(r.text);
}

/* one of many alike leaves left an orphan: it is drawn, and the orphan's
 * dashed edge starts at it, not at the fold of its alike siblings */
static void dot_draws_an_orphans_old_parent(void **state)
{
	const char *edge;
	struct run r;

	(void)state;
	start(&r, "dot");
	feed(&r, PL_EV_FORK, 100, 50, 0, "root");
	for (__u32 i = 0; i < 20; i++) {
		if (i != 10) {
			life(&r, 200 + i, 100, 0, "mid");
			continue;
		}
		feed(&r, PL_EV_FORK, 210, 100, 0, "mid");
		feed(&r, PL_EV_FORK, 500, 210, 0, "orphan");
		feed(&r, PL_EV_EXIT, 210, 100, 0, "mid");
		feed(&r, PL_EV_REPARENT, 500, 210, 0, "orphan");
		feed(&r, PL_EV_ZOMBIE, 210, 100, 0, "mid");
		feed(&r, PL_EV_REAP, 210, 100, 0, "mid");
	}
	finish(&r);
	ASSERT_CONTAINS(r.text, "16 more like this\\nmid (exit 0)", "the fold of the alike others");
	edge = strstr(r.text, ",constraint=false]");
	ASSERT_NOT_NULL(edge, "the orphan's dashed edge");
	while (edge > r.text && edge[-1] != '\n')
		edge--;
	ASSERT_EQ(strncmp(edge, "  p", 3), 0, "the dashed edge starts at a process, not a fold");
	ASSERT_EQ(count(r.text, ",constraint=false]"), 1, "dashed edges of orphans");
	free(r.text);
}

/* a process of uid 1000 in a service that exec'd a command line that
 * needs quoting, failed an exec first, and was killed by its parent */
static void context_life(struct run *r)
{
	static const char args[] = "worker\0--name=a b\0it's";
	struct pl_event e;

	feed(r, PL_EV_FORK, 100, 50, 0, "root");
	feed(r, PL_EV_FORK, 101, 100, 0, "root");
	memset(&e, 0, sizeof(e));
	e.kind = PL_EV_EXEC_FAILED;
	e.ts = r->now += 1000;
	e.pid = e.tid = 101;
	e.start = 1000000000ULL + 101 * 1000ULL;
	e.ppid = 100;
	e.err = 2;
	e.filename = "/usr/local/bin/worker";
	snprintf(e.comm, sizeof(e.comm), "root");
	pl_model_feed(r->m, &e);
	r->x->event(r->x, &e);
	e.kind = PL_EV_EXEC;
	e.ts = r->now += 1000;
	e.filename = "/usr/bin/worker";
	e.args = args;
	e.args_len = sizeof(args);
	e.flags = PL_F_WHO;
	e.uid = e.gid = e.euid = 1000;
	e.cgroup_id = 9;
	e.cgroup = "/system.slice/work.service";
	snprintf(e.comm, sizeof(e.comm), "worker");
	pl_model_feed(r->m, &e);
	r->x->event(r->x, &e);
	memset(&e, 0, sizeof(e));
	e.kind = PL_EV_EXIT;
	e.ts = r->now += 1000;
	e.pid = e.tid = 101;
	e.start = 1000000000ULL + 101 * 1000ULL;
	e.ppid = 100;
	e.status = 15;
	e.flags = PL_F_GROUP_DEAD | PL_F_USAGE | PL_F_KILLER;
	e.cpu_user_ns = 310000000;
	e.cpu_sys_ns = 20000000;
	e.max_rss_kb = 32768;
	e.killer = 100;
	e.killer_start = 1000000000ULL + 100 * 1000ULL;
	e.kill_why = PL_KILL_SENT;
	snprintf(e.killer_comm, sizeof(e.killer_comm), "root");
	snprintf(e.comm, sizeof(e.comm), "worker");
	pl_model_feed(r->m, &e);
	r->x->event(r->x, &e);
	feed(r, PL_EV_ZOMBIE, 101, 100, 15, "worker");
	feed(r, PL_EV_REAP, 101, 100, 15, "worker");
}

/* a first argument longer than the 1 KiB a process keeps: its beginning,
 * "..." glued to it, not said whole with more after it */
static void a_long_first_argument_is_cut_inside(void **state)
{
	static char args[1500 + 4];
	struct pl_event e;
	struct run r;

	(void)state;
	memset(args, 'a', 1500);
	memcpy(args + 1500, "\0b\0", 4);
	start(&r, "csv");
	feed(&r, PL_EV_FORK, 100, 50, 0, "root");
	feed(&r, PL_EV_FORK, 101, 100, 0, "root");
	memset(&e, 0, sizeof(e));
	e.kind = PL_EV_EXEC;
	e.ts = r.now += 1000;
	e.pid = e.tid = 101;
	e.start = 1000000000ULL + 101 * 1000ULL;
	e.ppid = 100;
	e.filename = "/usr/bin/a";
	e.args = args;
	e.args_len = sizeof(args);
	snprintf(e.comm, sizeof(e.comm), "a");
	pl_model_feed(r.m, &e);
	r.x->event(r.x, &e);
	feed(&r, PL_EV_EXIT, 101, 100, 0, "a");
	feed(&r, PL_EV_ZOMBIE, 101, 100, 0, "a");
	feed(&r, PL_EV_REAP, 101, 100, 0, "a");
	finish(&r);
	ASSERT_CONTAINS(r.text, "aaaa...,", "the argument's beginning, cut");
	ASSERT_LACKS(r.text, "aaaa ...", "not said whole");
	free(r.text);
}

/* a kernel thread's return is no wait status and may be negative: the
 * CSV says it as the log does, not as an unsigned number */
static void a_negative_return_is_said_as_the_log_says_it(void **state)
{
	struct run r;

	(void)state;
	start(&r, "csv");
	feed(&r, PL_EV_FORK, 101, 2, 0, "kworker");
	feed(&r, PL_EV_EXIT, 101, 2, -22, "kworker");
	feed(&r, PL_EV_FREE, 101, 2, -22, "kworker");
	finish(&r);
	ASSERT_CONTAINS(r.text, ",-22,", "the return as the log has it");
	ASSERT_LACKS(r.text, "4294967274", "not as an unsigned number");
	free(r.text);
}

static void context_in_every_format(void **state)
{
	struct run r;

	(void)state;
	start(&r, "csv");
	context_life(&r);
	finish(&r);
	ASSERT_CONTAINS(r.text, ",ns_pid,name,argv,uid,gid,euid,cgroup,unit,cpu_user_ns,cpu_sys_ns,"
				"max_rss_kb,killer,killer_command,kill_reason,failed_execs,"
				"last_failed_errno,last_failed_exec,zombie_ms_bound\r\n", "the CSV header");
	ASSERT_CONTAINS(r.text, ",,worker '--name=a b' $'it\\'s',1000,1000,1000,"
				"/system.slice/work.service,work.service,310000000,20000000,32768,100,"
				"root,process,1,ENOENT,/usr/local/bin/worker,\r\n", "the CSV row");
	free(r.text);

	start(&r, "perfetto");
	context_life(&r);
	finish(&r);
	ASSERT_CONTAINS(r.text, "\"argv\":\"worker '--name=a b' $'it\\\\'s'\",\"uid\":1000,\"gid\":1000,"
				"\"euid\":1000,\"cgroup\":\"/system.slice/work.service\",\"unit\":"
				"\"work.service\",\"cpu_user_ns\":310000000,\"cpu_sys_ns\":20000000,"
				"\"max_rss_kb\":32768,\"killer\":\"root[100]\",\"kill_reason\":\"process\","
				"\"failed_execs\":1", "the life slice's args");
	free(r.text);

	start(&r, "html");
	context_life(&r);
	finish(&r);
	ASSERT_CONTAINS(r.text, "\"killed by SIGTERM from root[100]\"", "how it ended");
	ASSERT_CONTAINS(r.text, ",\"\",\"worker '--name=a b' $'it\\\\'s'\",1000,", "its argv and uid");
	ASSERT_CONTAINS(r.text, ",\"/system.slice/work.service\",\"work.service\",310000000,20000000,"
				"32768,1,\"ENOENT\",\"/usr/local/bin/worker\"]", "its cgroup, use and failure");
	free(r.text);

	start(&r, "dot");
	context_life(&r);
	finish(&r);
	ASSERT_CONTAINS(r.text, "[label=\"worker 101\\nkilled by SIGTERM from root[100]\\n330 ms CPU, "
				"32 MiB\\nuser ", "the node's label");
	ASSERT_CONTAINS(r.text, "\\nin work.service\"", "the node's unit");
	free(r.text);
}

struct rec {
	__u32 pid;
	__u32 twice;
};

/* a zombie already there when the trace began, reaped 300 ms in: its time
 * is a lower bound, and every format says so */
static void a_zombie_time_seen_in_part_is_a_bound(void **state)
{
	static const struct {
		const char *format, *says;
	} formats[] = {
		{ "csv", ",at least\r\n" },
		{ "perfetto", "\"zombie_ms_is\":\"at least\"" },
		{ "dot", " ms at least" },
		{ "html", NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		struct pl_event reap = { .kind = PL_EV_REAP, .pid = 400, .tid = 400,
					 .start = 1000000000ULL + 400 * 1000ULL, .status = 9 << 8,
					 .zombie_ns = 302000000ULL,
					 /* as the kernel tells it: at least */
					 .flags = PL_F_FINAL | PL_F_ZOMBIE };
		struct run r;

		reap.reaper = 300;
		reap.pstart = 1000000000ULL + 300 * 1000ULL; /* the reaper's start */
		snprintf(reap.comm, sizeof(reap.comm), "late");
		start(&r, formats[i].format);
		running_before(&r, 300, 1, 0, 0, "parent");
		running_before(&r, 400, 300, PL_F_ZOMBIE, 9 << 8, "late");
		r.now += 300000000ULL;
		reap.ts = r.now;
		pl_model_feed(r.m, &reap);
		r.x->event(r.x, &reap);
		finish(&r);
		if (formats[i].says) {
			ASSERT_CONTAINS(r.text, formats[i].says, formats[i].format);
		} else {
			ASSERT_TRUE(page_marks(r.text, 400) & 512, "the page's at-least mark");
		}
		free(r.text);
	}
}

static void pidtab_keeps_records_as_it_grows(void **state)
{
	struct pidtab t = { .size = sizeof(struct rec) };
	struct rec *x;
	bool fresh;
	size_t n = 0;

	(void)state;
	for (__u32 pid = 1; pid <= 5000; pid++) {
		x = pidtab_get(&t, pid * 7, &fresh);
		ASSERT_NOT_NULL(x, "the record of a new pid");
		ASSERT_TRUE(fresh, "a new pid's record is fresh");
		x->twice = pid * 2;
	}
	for (__u32 pid = 1; pid <= 5000; pid++) {
		x = pidtab_get(&t, pid * 7, &fresh);
		ASSERT_FALSE(fresh, "a known pid's record is fresh");
		ASSERT_EQ(x->twice, pid * 2, "the record kept for the pid");
	}
	for (size_t i = 0; i < t.cap; i++)
		n += pidtab_at(&t, i) != NULL;
	ASSERT_EQ(n, 5000, "records kept");
	ASSERT_NULL(pidtab_get(&t, 0, &fresh), "a record of pid 0");
	pidtab_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(perfetto_tracks_are_named),
		cmocka_unit_test(html_comm_cannot_end_the_script),
		cmocka_unit_test(html_shows_bytes_that_are_no_utf8_as_such),
		cmocka_unit_test(perfetto_gives_no_unknown_parent_at_birth),
		cmocka_unit_test(csv_formula_names_stay_text),
		cmocka_unit_test(a_negative_return_is_said_as_the_log_says_it),
		cmocka_unit_test(dot_folds_alike_leaves),
		cmocka_unit_test(dot_draws_an_orphans_old_parent),
		cmocka_unit_test(context_in_every_format),
		cmocka_unit_test(a_zombie_time_seen_in_part_is_a_bound),
		cmocka_unit_test(a_long_first_argument_is_cut_inside),
		cmocka_unit_test(pidtab_keeps_records_as_it_grows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
