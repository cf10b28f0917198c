/*
 * The ring buffer's records (include/records.h) made into events
 * (src/capture/record.c): each kind's fields where the event keeps them,
 * two events from a record that tells two, nothing from a record too short
 * for its kind or of a kind unknown.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "capture/record.h"
#include "check.h"
#include "records.h"

static void head(struct pl_rec *h, unsigned kind)
{
	memset(h, 0, sizeof(*h));
	h->kind = kind;
	h->ts = 5000;
	h->start = 100;
	h->pid = 42;
	h->tid = 43;
	h->cpu = 1;
	strcpy(h->comm, "child");
}

static void fork_record(void **state)
{
	struct pl_rec_fork r;
	struct pl_event e[PL_RECORD_EVENTS];

	(void)state;
	memset(&r, 0, sizeof(r));
	head(&r.h, PL_EV_FORK);
	r.ppid = 7;
	r.pstart = 70;
	r.nice = -3;
	r.ns.level = 1;
	r.ns.pid = 2;
	r.ns.inum = 99;
	ASSERT_EQ(pl_record_events(&r, sizeof(r), e), 1, "events in a fork record");
	ASSERT_EQ(e[0].kind, PL_EV_FORK, "kind");
	ASSERT_EQ(e[0].pid, 42, "pid");
	ASSERT_EQ(e[0].tid, 43, "tid");
	ASSERT_EQ(e[0].ts, 5000, "ts");
	ASSERT_EQ(e[0].start, 100, "start");
	ASSERT_EQ(e[0].ppid, 7, "parent");
	ASSERT_EQ(e[0].pstart, 70, "parent's start");
	ASSERT_EQ(e[0].nice, -3, "nice");
	ASSERT_EQ(e[0].ns_pid, 2, "pid in its namespace");
	ASSERT_EQ(e[0].ns_inum, 99, "its namespace");
	ASSERT_STR_EQ(e[0].comm, "child", "name");
	ASSERT_EQ(pl_record_events(&r, sizeof(r) - 1, e), 0, "events in a fork record cut short");
}

/* an exec record crosses only as far as its file name's NUL */
static void exec_record_as_long_as_its_name(void **state)
{
	struct pl_rec_exec r;
	struct pl_event e[PL_RECORD_EVENTS];
	size_t size = offsetof(struct pl_rec_exec, filename) + sizeof("/bin/true");

	(void)state;
	memset(&r, 0xee, sizeof(r)); /* what lies past the name is not read */
	head(&r.h, PL_EV_EXEC);
	r.ppid = 7;
	r.old_tid = 44;
	memset(&r.ns, 0, sizeof(r.ns));
	strcpy(r.filename, "/bin/true");
	r.filename_len = sizeof("/bin/true");
	ASSERT_EQ(pl_record_events(&r, size, e), 1, "events in an exec record");
	ASSERT_STR_EQ(e[0].filename, "/bin/true", "file name");
	ASSERT_EQ(e[0].old_tid, 44, "the thread that called exec");
	ASSERT_EQ(e[0].ns_level, 0, "namespace depth of the initial namespace");
	/* a length past the record's end: only what is there, still a string */
	r.filename_len = 200;
	ASSERT_EQ(pl_record_events(&r, size, e), 1, "events in an exec record that claims more");
	ASSERT_TRUE(strlen(e[0].filename) < sizeof(e[0].filename), "file name ends within the event");
	ASSERT_EQ(pl_record_events(&r, offsetof(struct pl_rec_exec, filename), e), 0,
		  "events in an exec record with no room for a name");
}

static void exit_zombie_record_tells_two(void **state)
{
	struct pl_rec_exit_zombie r;
	struct pl_event e[PL_RECORD_EVENTS];

	(void)state;
	memset(&r, 0, sizeof(r));
	head(&r.h, PL_REC_EXIT_ZOMBIE);
	r.h.flags = PL_F_GROUP_DEAD;
	r.x.ppid = 7;
	r.x.pstart = 70;
	r.x.status = 3 << 8;
	r.x.waits = 5;
	r.x.nohang_polls = 2;
	r.z.ts = 5100;
	r.z.parent = 7;
	r.z.parent_start = 70;
	r.z.status = 3 << 8;
	r.z.tid = 43;
	ASSERT_EQ(pl_record_events(&r, sizeof(r), e), 2, "events in an exit+zombie record");
	ASSERT_EQ(e[0].kind, PL_EV_EXIT, "first event");
	ASSERT_EQ(e[0].ts, 5000, "exit time");
	ASSERT_EQ(e[0].flags, PL_F_GROUP_DEAD, "exit flags");
	ASSERT_EQ(e[0].status, 3 << 8, "exit status");
	ASSERT_EQ(e[0].waits, 5, "the process's waits");
	ASSERT_EQ(e[0].nohang_polls, 2, "its WNOHANG polls");
	ASSERT_EQ(e[1].kind, PL_EV_ZOMBIE, "second event");
	ASSERT_EQ(e[1].ts, 5100, "zombie time");
	ASSERT_EQ(e[1].pid, 42, "zombie pid");
	ASSERT_EQ(e[1].start, 100, "zombie identity");
	ASSERT_EQ(e[1].parent, 7, "the parent that must reap it");
	ASSERT_EQ(e[1].flags, 0, "zombie flags");
	ASSERT_STR_EQ(e[1].comm, "child", "zombie name");
	ASSERT_EQ(pl_record_events(&r, sizeof(r) - 8, e), 0, "events in one cut short");
}

static void exit_reap_record_tells_two(void **state)
{
	struct pl_rec_exit_reap r;
	struct pl_event e[PL_RECORD_EVENTS];

	(void)state;
	memset(&r, 0, sizeof(r));
	head(&r.h, PL_REC_EXIT_REAP);
	r.h.flags = PL_F_GROUP_DEAD;
	r.x.status = 1 << 8;
	r.r.ts = 5200;
	r.r.reaper = 7;
	r.r.reaper_start = 70;
	r.r.status = 1 << 8;
	r.r.flags = PL_F_AUTO | PL_F_FINAL;
	ASSERT_EQ(pl_record_events(&r, sizeof(r), e), 2, "events in an exit+reap record");
	ASSERT_EQ(e[1].kind, PL_EV_REAP, "second event");
	ASSERT_EQ(e[1].ts, 5200, "reap time");
	ASSERT_EQ(e[1].reaper, 7, "reaper");
	ASSERT_EQ(e[1].pstart, 70, "reaper's start");
	ASSERT_EQ(e[1].flags, PL_F_AUTO | PL_F_FINAL, "reap flags");
}

static void unknown_or_short_records(void **state)
{
	struct pl_rec_reap r;
	struct pl_event e[PL_RECORD_EVENTS];

	(void)state;
	memset(&r, 0, sizeof(r));
	head(&r.h, 31);
	ASSERT_EQ(pl_record_events(&r, sizeof(r), e), 0, "events in a record of an unknown kind");
	head(&r.h, PL_EV_REAP);
	ASSERT_EQ(pl_record_events(&r, sizeof(r.h), e), 0, "events in a reap record of a head only");
	ASSERT_EQ(pl_record_events(&r, 3, e), 0, "events in three bytes");
	r.r.zombie_ns = 77;
	r.r.reaper = 7;
	ASSERT_EQ(pl_record_events(&r, sizeof(r), e), 1, "events in a whole reap record");
	ASSERT_EQ(e[0].zombie_ns, 77, "zombie time");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fork_record),
		cmocka_unit_test(exec_record_as_long_as_its_name),
		cmocka_unit_test(exit_zombie_record_tells_two),
		cmocka_unit_test(exit_reap_record_tells_two),
		cmocka_unit_test(unknown_or_short_records),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
