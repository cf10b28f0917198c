// SPDX-License-Identifier: BSD-2-Clause
/*
 * The model's conclusions go to the log like kernel records, marked as
 * derived so that replay does not take them for the kernel's word.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "check.h"
#include "json_doc.h"
#include "synth.h"
#include "log/writer.h"

/* the line the log would hold for e, parsed */
static void line_of(struct json_doc *d, const struct pl_event *e)
{
	char buf[PL_JSONL_LINE_MAX];
	size_t n = jsonl_format_event(buf, e);

	ASSERT_TRUE(json_doc_parse(d, buf, n, 1), "the line is JSON");
}

static long long num(const struct json_doc *d, const char *key)
{
	ASSERT_NOT_NULL(json_doc_get(d, -1, key), key);
	return json_doc_num(d, -1, key, -1);
}

static const char *str(struct json_doc *d, const char *key)
{
	ASSERT_NOT_NULL(json_doc_get(d, -1, key), key);
	return json_doc_str(d, -1, key);
}

static bool flag(const struct json_doc *d, const char *key)
{
	return json_doc_flag(d, -1, key);
}

static struct synth *play(void)
{
	struct synth *s = sy_new(100);

	sy_proc(s, 1, 0, 1 * MS, 0, 0);
	sy_proc(s, 100, 1, 2 * MS, 0, 0);
	sy_fork(s, 200, 100);
	sy_fork(s, 300, 200);
	sy_exit(s, 200, 0);
	sy_zombie(s, 200, 0);
	sy_sleep(s, 300 * MS);
	sy_reap(s, 200, 100, 0, 0);
	sy_free_task(s, 200, 0);
	sy_reparent(s, 300, 1, PL_ADOPT_INIT);
	sy_exit(s, 300, W_EXIT(3));
	sy_zombie(s, 300, W_EXIT(3));
	sy_free_task(s, 300, W_EXIT(3));
	return s;
}

static void zombie_long_line(void **state)
{
	struct synth *s = play();
	struct json_doc d, *o = &d;

	(void)state;
	line_of(o, sy_concl(s, PL_EV_ZOMBIE_LONG, 0));
	ASSERT_STR_EQ(str(o, "ev"), "zombie_long", "'ev' in the line");
	ASSERT_EQ(num(o, "pid"), 200, "'pid' in the line");
	ASSERT_EQ(num(o, "parent"), 100, "'parent' in the line");
	ASSERT_GE(num(o, "zombie_ns"), 300 * (long long)MS, "'zombie_ns' in the line");
	ASSERT_TRUE(flag(o, "derived"), "'derived' in the line");
	json_doc_free(o);
	sy_free(s);
}

static void double_fork_line(void **state)
{
	struct synth *s = play();
	struct json_doc d, *o = &d;

	(void)state;
	line_of(o, sy_concl(s, PL_EV_DOUBLE_FORK, 0));
	ASSERT_STR_EQ(str(o, "ev"), "double_fork", "'ev' in the line");
	ASSERT_EQ(num(o, "pid"), 300, "'pid' in the line");
	ASSERT_EQ(num(o, "middle"), 200, "'middle' in the line");
	ASSERT_EQ(num(o, "original_parent"), 100, "'original_parent' in the line");
	ASSERT_TRUE(flag(o, "derived"), "'derived' in the line");
	json_doc_free(o);
	sy_free(s);
}

static void inferred_reap_line(void **state)
{
	struct synth *s = play();
	struct json_doc d, *o = &d;

	(void)state;
	line_of(o, sy_concl(s, PL_EV_REAP, 0));
	ASSERT_STR_EQ(str(o, "ev"), "reap", "'ev' in the line");
	ASSERT_EQ(num(o, "pid"), 300, "'pid' in the line");
	ASSERT_EQ(num(o, "reaper"), 1, "'reaper' in the line");
	ASSERT_EQ(num(o, "code"), 3, "'code' in the line");
	ASSERT_TRUE(flag(o, "inferred"), "'inferred' in the line");
	ASSERT_TRUE(flag(o, "derived"), "'derived' in the line");
	json_doc_free(o);
	sy_free(s);
}

/* kernel records say nothing about derivation */
static void kernel_line_not_derived(void **state)
{
	struct synth *s = sy_new(100);
	struct pl_event e = sy_ev(s, PL_EV_FORK, 5);
	struct json_doc d, *o = &d;

	(void)state;
	line_of(o, &e);
	ASSERT_FALSE(flag(o, "derived"), "'derived' in a kernel record's line");
	ASSERT_NULL(json_doc_get(o, -1, "derived"), "'derived' in a kernel record's line");
	json_doc_free(o);
	sy_free(s);
}

/* a process renamed after its birth (prctl PR_SET_NAME, which no record
 * announces) is named by its new name in every line the model writes:
 * zombie_long, double_fork and inferred reap */
static void conclusions_use_the_latest_name(void **state)
{
	struct synth *s = sy_new(100);

	(void)state;
	sy_proc(s, 1, 0, 1 * MS, 0, 0);
	sy_proc(s, 100, 1, 2 * MS, 0, 0);
	sy_fork(s, 200, 100);
	sy_rename(s, 200, "renamed");
	sy_exit(s, 200, 0);
	sy_zombie(s, 200, 0);
	sy_sleep(s, 300 * MS);
	pl_model_tick(s->m, s->now);
	sy_free_task(s, 200, 0); /* gone with no wait seen: an inferred reap */
	sy_fork(s, 300, 100);
	sy_fork(s, 400, 300);
	sy_exit(s, 300, 0);
	sy_rename(s, 400, "daemon");
	sy_reparent(s, 400, 1, PL_ADOPT_INIT);
	assert_int_equal(s->nconcl, 3);
	for (int i = 0; i < 3; i++)
		assert_string_equal(s->concl[i].comm, s->concl[i].pid == 200 ? "renamed" : "daemon");
	assert_int_equal(s->concl[0].kind, PL_EV_ZOMBIE_LONG);
	assert_int_equal(s->concl[1].kind, PL_EV_REAP);
	assert_int_equal(s->concl[2].kind, PL_EV_DOUBLE_FORK);
	sy_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(zombie_long_line),
		cmocka_unit_test(double_fork_line),
		cmocka_unit_test(inferred_reap_line),
		cmocka_unit_test(kernel_line_not_derived),
		cmocka_unit_test(conclusions_use_the_latest_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
