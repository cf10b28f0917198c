// SPDX-License-Identifier: BSD-2-Clause
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
	struct pl_records *rr = *state;

	memset(&r, 0, sizeof(r));
	head(&r.h, PL_EV_FORK);
	r.ppid = 7;
	r.pstart = 70;
	r.nice = -3;
	r.ns.level = 1;
	r.ns.pid = 2;
	r.ns.inum = 99;
	r.who.uid = 1000;
	r.who.gid = 1001;
	r.who.euid = 0;
	r.who.cgroup = 4242;
	ASSERT_EQ(pl_record_events(rr, &r, sizeof(r), e), 1, "events in a fork record");
	ASSERT_TRUE(e[0].flags & PL_F_WHO, "who it runs as is known");
	ASSERT_EQ(e[0].uid, 1000, "uid");
	ASSERT_EQ(e[0].gid, 1001, "gid");
	ASSERT_EQ(e[0].euid, 0, "euid");
	ASSERT_EQ(e[0].cgroup_id, 4242, "cgroup id");
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
	ASSERT_EQ(pl_record_events(rr, &r, sizeof(r) - 1, e), -1, "events in a fork record cut short");
}

/* an exec record crosses only as far as its arguments' end: its strings
 * point into it, and never past it */
static void exec_record_as_long_as_its_strings(void **state)
{
	static const char args[] = "true\0--help\0";
	struct pl_rec_exec r;
	struct pl_event e[PL_RECORD_EVENTS];
	struct pl_records *rr = *state;
	size_t at = offsetof(struct pl_rec_exec, data), size;

	memset(&r, 0xee, sizeof(r)); /* what lies past the arguments is not read */
	head(&r.h, PL_EV_EXEC);
	r.ppid = 7;
	r.old_tid = 44;
	memset(&r.ns, 0, sizeof(r.ns));
	memset(&r.who, 0, sizeof(r.who));
	strcpy(r.data, "/bin/true");
	r.filename_len = sizeof("/bin/true");
	memcpy(r.data + r.filename_len, args, sizeof(args) - 1);
	r.args_len = sizeof(args) - 1;
	size = at + r.filename_len + r.args_len;
	ASSERT_EQ(pl_record_events(rr, &r, size, e), 1, "events in an exec record");
	ASSERT_STR_EQ(e[0].filename, "/bin/true", "file name");
	ASSERT_EQ(e[0].args_len, sizeof(args) - 1, "the arguments' length");
	ASSERT_TRUE(!memcmp(e[0].args, args, sizeof(args) - 1), "the arguments");
	ASSERT_EQ(e[0].old_tid, 44, "the thread that called exec");
	ASSERT_EQ(e[0].ns_level, 0, "namespace depth of the initial namespace");
	/* arguments said longer than the record: only what is there */
	r.args_len = 4000;
	ASSERT_EQ(pl_record_events(rr, &r, size, e), 1, "events in an exec record that claims more");
	ASSERT_EQ(e[0].args_len, sizeof(args) - 1, "only the arguments the record holds");
	/* a name that does not end within the record is not read */
	r.filename_len = 200;
	ASSERT_EQ(pl_record_events(rr, &r, at + 20, e), -1, "an exec record whose name runs past it");
	r.filename_len = sizeof("/bin/true");
	r.data[r.filename_len - 1] = 'x';
	ASSERT_EQ(pl_record_events(rr, &r, size, e), -1, "an exec record whose name has no end");
	ASSERT_EQ(pl_record_events(rr, &r, at, e), -1, "an exec record with no room for a name");
}

/* a failed exec: its errno, name and arguments */
static void exec_failed_record(void **state)
{
	struct pl_rec_exec r;
	struct pl_event e[PL_RECORD_EVENTS];
	struct pl_records *rr = *state;

	memset(&r, 0, sizeof(r));
	head(&r.h, PL_EV_EXEC_FAILED);
	r.err = 2;
	r.dirfd = PL_AT_FDCWD;
	strcpy(r.data, "./missing");
	r.filename_len = sizeof("./missing");
	r.h.flags = PL_F_ARGS_TRUNCATED;
	ASSERT_EQ(pl_record_events(rr, &r, offsetof(struct pl_rec_exec, data) + r.filename_len, e), 1,
		  "events in a failed exec's record");
	ASSERT_EQ(e[0].kind, PL_EV_EXEC_FAILED, "kind");
	ASSERT_EQ(e[0].err, 2, "errno");
	ASSERT_STR_EQ(e[0].filename, "./missing", "file name");
	ASSERT_NULL(e[0].args, "no arguments");
	ASSERT_TRUE(e[0].flags & PL_F_ARGS_TRUNCATED, "arguments cut");
}

/* a failed execveat's name, relative to its directory's fd or empty (the
 * file the fd is open on), is named as the kernel names a successful one's */
static void exec_failed_by_fd(void **state)
{
	struct pl_rec_exec r;
	struct pl_event e[PL_RECORD_EVENTS];
	struct pl_records *rr = *state;
	size_t at = offsetof(struct pl_rec_exec, data);

	memset(&r, 0, sizeof(r));
	head(&r.h, PL_EV_EXEC_FAILED);
	r.err = 2;
	r.dirfd = 7;
	strcpy(r.data, "bin/missing");
	r.filename_len = sizeof("bin/missing");
	ASSERT_EQ(pl_record_events(rr, &r, at + r.filename_len, e), 1, "events");
	ASSERT_STR_EQ(e[0].filename, "/dev/fd/7/bin/missing", "a name relative to an fd");
	r.data[0] = 0;
	r.filename_len = 1;
	ASSERT_EQ(pl_record_events(rr, &r, at + 1, e), 1, "events");
	ASSERT_STR_EQ(e[0].filename, "/dev/fd/7", "the file an fd is open on");
	/* an exec that worked was named by the kernel already */
	head(&r.h, PL_EV_EXEC);
	strcpy(r.data, "/dev/fd/7");
	r.filename_len = sizeof("/dev/fd/7");
	ASSERT_EQ(pl_record_events(rr, &r, at + r.filename_len, e), 1, "events");
	ASSERT_STR_EQ(e[0].filename, "/dev/fd/7", "a successful exec's name as the kernel gave it");
}

static void exit_zombie_record_tells_two(void **state)
{
	struct pl_rec_exit_zombie r;
	struct pl_event e[PL_RECORD_EVENTS];
	struct pl_records *rr = *state;

	memset(&r, 0, sizeof(r));
	head(&r.h, PL_REC_EXIT_ZOMBIE);
	r.h.flags = PL_F_GROUP_DEAD;
	r.x.ppid = 7;
	r.x.pstart = 70;
	r.x.status = 3 << 8;
	r.x.waits = 5;
	r.x.nohang_polls = 2;
	r.x.who.uid = 33;
	r.x.who.gid = 34;
	r.x.who.euid = 35;
	r.x.who.cgroup = 9;
	r.z.ts = 5100;
	r.z.parent = 7;
	r.z.parent_start = 70;
	r.z.status = 3 << 8;
	r.z.tid = 43;
	ASSERT_EQ(pl_record_events(rr, &r, sizeof(r), e), 2, "events in an exit+zombie record");
	ASSERT_EQ(e[0].kind, PL_EV_EXIT, "first event");
	ASSERT_EQ(e[0].ts, 5000, "exit time");
	ASSERT_EQ(e[0].flags, PL_F_GROUP_DEAD | PL_F_USAGE | PL_F_WHO | PL_F_THEN_ZOMBIE,
		  "exit flags: the zombie moment adds only its time");
	ASSERT_EQ(e[0].uid, 33, "who it ran as at its end: uid");
	ASSERT_EQ(e[0].gid, 34, "gid");
	ASSERT_EQ(e[0].euid, 35, "euid");
	ASSERT_EQ(e[0].cgroup_id, 9, "its cgroup");
	ASSERT_EQ(e[0].zombie_ts, 5100, "the zombie's time, with the exit");
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
	ASSERT_EQ(pl_record_events(rr, &r, sizeof(r) - 8, e), -1, "events in one cut short");
	/* a zombie notified to another parent, by another thread or with
	 * another status says more than its time */
	r.z.parent = 8;
	ASSERT_EQ(pl_record_events(rr, &r, sizeof(r), e), 2, "exit+zombie, another parent");
	ASSERT_FALSE(e[0].flags & PL_F_THEN_ZOMBIE, "the zombie told apart: another parent");
	r.z.parent = 7;
	r.z.parent_start = 71;
	ASSERT_EQ(pl_record_events(rr, &r, sizeof(r), e), 2, "exit+zombie, another parent's life");
	ASSERT_FALSE(e[0].flags & PL_F_THEN_ZOMBIE, "the zombie told apart: another parent's life");
	r.z.parent_start = 70;
	r.z.tid = 44;
	ASSERT_EQ(pl_record_events(rr, &r, sizeof(r), e), 2, "exit+zombie, another thread");
	ASSERT_FALSE(e[0].flags & PL_F_THEN_ZOMBIE, "the zombie told apart: another thread");
	r.z.tid = 43;
	r.z.status = 9;
	ASSERT_EQ(pl_record_events(rr, &r, sizeof(r), e), 2, "exit+zombie, another status");
	ASSERT_FALSE(e[0].flags & PL_F_THEN_ZOMBIE, "the zombie told apart: another status");
}

static void exit_reap_record_tells_two(void **state)
{
	struct pl_rec_exit_reap r;
	struct pl_event e[PL_RECORD_EVENTS];
	struct pl_records *rr = *state;

	memset(&r, 0, sizeof(r));
	head(&r.h, PL_REC_EXIT_REAP);
	r.h.flags = PL_F_GROUP_DEAD;
	r.x.status = 1 << 8;
	r.r.ts = 5200;
	r.r.reaper = 7;
	r.r.reaper_start = 70;
	r.r.status = 1 << 8;
	r.r.flags = PL_F_AUTO | PL_F_FINAL;
	ASSERT_EQ(pl_record_events(rr, &r, sizeof(r), e), 2, "events in an exit+reap record");
	ASSERT_EQ(e[1].kind, PL_EV_REAP, "second event");
	ASSERT_EQ(e[1].ts, 5200, "reap time");
	ASSERT_EQ(e[1].reaper, 7, "reaper");
	ASSERT_EQ(e[1].pstart, 70, "reaper's start");
	ASSERT_EQ(e[1].flags, PL_F_AUTO | PL_F_FINAL, "reap flags");
}

/* a whole process's exit: its CPU time split as the kernel splits it, its
 * peak memory in KiB; a thread's exit has neither */
static void exit_says_what_the_process_used(void **state)
{
	struct pl_rec_exit r;
	struct pl_event e[PL_RECORD_EVENTS];
	struct pl_records *rr = *state;

	memset(&r, 0, sizeof(r));
	head(&r.h, PL_EV_EXIT);
	r.h.flags = PL_F_GROUP_DEAD;
	r.x.cpu_ns = 3000000000ULL;
	r.x.utime = 2;
	r.x.stime = 1;
	r.x.max_rss_pages = 100;
	ASSERT_EQ(pl_record_events(rr, &r, sizeof(r), e), 1, "events in an exit record");
	ASSERT_TRUE(e[0].flags & PL_F_USAGE, "what it used is known");
	ASSERT_EQ(e[0].cpu_user_ns, 2000000000ULL, "user CPU: two thirds, as its ticks say");
	ASSERT_EQ(e[0].cpu_sys_ns, 1000000000ULL, "system CPU: the rest");
	ASSERT_EQ(e[0].max_rss_kb, 400, "peak memory: 100 pages of 4 KiB");
	/* hours of CPU: no overflow on the way */
	r.x.cpu_ns = 36000ULL * 1000000000ULL;
	r.x.utime = r.x.stime = 18000ULL * 1000000000ULL;
	ASSERT_EQ(pl_record_events(rr, &r, sizeof(r), e), 1, "events in an exit record");
	ASSERT_EQ(e[0].cpu_user_ns, 18000ULL * 1000000000ULL, "ten hours split in half");
	r.x.utime = 0;
	ASSERT_EQ(pl_record_events(rr, &r, sizeof(r), e), 1, "events in an exit record");
	ASSERT_EQ(e[0].cpu_sys_ns, r.x.cpu_ns, "no user ticks: all of it system time");
	r.h.flags = PL_F_THREAD;
	ASSERT_EQ(pl_record_events(rr, &r, sizeof(r), e), 1, "events in a thread's exit record");
	ASSERT_FALSE(e[0].flags & PL_F_USAGE, "a thread's exit says nothing of the process's use");
	ASSERT_FALSE(e[0].flags & PL_F_WHO, "nor of who the process runs as");
}

/* SIGTERM sent by process 900 ("timeout") to the process head() names */
static void sigterm_from_900(struct pl_rec_kill *k)
{
	memset(k, 0, sizeof(*k));
	head(&k->h, PL_REC_KILL);
	k->sig = 15;
	k->sender = 900;
	k->sender_start = 90;
	k->why = PL_KILL_SENT;
	strcpy(k->sender_comm, "timeout");
}

/* a fatal signal seen sent is told with the exit it causes, and only that
 * one: the same pid's later life, or another signal, gets none */
static void killer_told_with_the_exit(void **state)
{
	struct pl_rec_kill k;
	struct pl_rec_exit x;
	struct pl_event e[PL_RECORD_EVENTS];
	struct pl_records *rr = *state;

	sigterm_from_900(&k);
	ASSERT_EQ(pl_record_events(rr, &k, sizeof(k), e), 0, "events in a kill record");
	memset(&x, 0, sizeof(x));
	head(&x.h, PL_EV_EXIT);
	x.h.flags = PL_F_GROUP_DEAD;
	x.x.status = 9; /* killed by SIGKILL: not the signal seen */
	ASSERT_EQ(pl_record_events(rr, &x, sizeof(x), e), 1, "events in an exit record");
	ASSERT_FALSE(e[0].flags & PL_F_KILLER, "no killer for a signal not seen sent");
	ASSERT_EQ(pl_record_events(rr, &k, sizeof(k), e), 0, "events in a kill record");
	x.x.status = 15;
	ASSERT_EQ(pl_record_events(rr, &x, sizeof(x), e), 1, "events in an exit record");
	ASSERT_TRUE(e[0].flags & PL_F_KILLER, "the killer is known");
	ASSERT_EQ(e[0].killer, 900, "killer");
	ASSERT_EQ(e[0].killer_start, 90, "killer's start");
	ASSERT_EQ(e[0].kill_why, PL_KILL_SENT, "sent by a process");
	ASSERT_STR_EQ(e[0].killer_comm, "timeout", "killer's name");
	ASSERT_EQ(pl_record_events(rr, &x, sizeof(x), e), 1, "events in the same exit again");
	ASSERT_FALSE(e[0].flags & PL_F_KILLER, "a kill is told with one exit only");
	ASSERT_EQ(pl_record_events(rr, &k, sizeof(k), e), 0, "events in a kill record");
	x.h.start = 101; /* a later life of the same pid */
	ASSERT_EQ(pl_record_events(rr, &x, sizeof(x), e), 1, "events in an exit record");
	ASSERT_FALSE(e[0].flags & PL_F_KILLER, "another life's exit gets no killer");
}

/* a kill sent to a whole process group: each of its thousands of
 * processes gets its own killer; past what is kept at once, the oldest are
 * let go and counted */
static void many_kills_at_once(void **state)
{
	enum { KEPT = 16384, MORE = 10 };
	struct pl_rec_kill k;
	struct pl_rec_exit x;
	struct pl_event e[PL_RECORD_EVENTS];
	struct pl_records *rr = *state;

	sigterm_from_900(&k);
	for (__u32 pid = 1000; pid < 1000 + KEPT + MORE; pid++) {
		k.h.pid = k.h.tid = pid;
		k.h.start = pid * 10ULL;
		ASSERT_EQ(pl_record_events(rr, &k, sizeof(k), e), 0, "events in a kill record");
	}
	ASSERT_EQ(pl_records_kills_forgotten(rr), MORE, "kills let go: those past what is kept");
	memset(&x, 0, sizeof(x));
	head(&x.h, PL_EV_EXIT);
	x.h.flags = PL_F_GROUP_DEAD;
	x.x.status = 15;
	for (__u32 pid = 1000; pid < 1000 + KEPT + MORE; pid++) {
		x.h.pid = x.h.tid = pid;
		x.h.start = pid * 10ULL;
		ASSERT_EQ(pl_record_events(rr, &x, sizeof(x), e), 1, "events in an exit record");
		ASSERT_EQ(!!(e[0].flags & PL_F_KILLER), pid >= 1000 + MORE,
			  "a killer for each exit but the oldest let go");
		if (pid >= 1000 + MORE)
			ASSERT_EQ(e[0].killer, 900, "killer");
	}
	/* an exit not by a signal lets its process's kills go too (a fatal
	 * signal it blocked): they take no room from later ones */
	k.h.pid = k.h.tid = 77;
	ASSERT_EQ(pl_record_events(rr, &k, sizeof(k), e), 0, "events in a kill record");
	x.h.pid = x.h.tid = 77;
	x.h.start = k.h.start;
	x.x.status = 0;
	ASSERT_EQ(pl_record_events(rr, &x, sizeof(x), e), 1, "events in an exit record");
	x.x.status = 15;
	ASSERT_EQ(pl_record_events(rr, &x, sizeof(x), e), 1, "events in an exit record");
	ASSERT_FALSE(e[0].flags & PL_F_KILLER, "its kill went with its first exit");
	ASSERT_EQ(pl_records_kills_forgotten(rr), MORE, "no more let go");
}

/* real-time signals queue: two senders of SIGRTMIN to a process that
 * blocked it, and the first one sent is the one that ends it */
static void queued_signal_first_sender(void **state)
{
	struct pl_rec_kill k;
	struct pl_rec_exit x;
	struct pl_event e[PL_RECORD_EVENTS];
	struct pl_records *rr = *state;

	sigterm_from_900(&k);
	k.sig = 34;
	ASSERT_EQ(pl_record_events(rr, &k, sizeof(k), e), 0, "events in a kill record");
	k.sender = 901;
	ASSERT_EQ(pl_record_events(rr, &k, sizeof(k), e), 0, "events in a kill record");
	memset(&x, 0, sizeof(x));
	head(&x.h, PL_EV_EXIT);
	x.h.flags = PL_F_GROUP_DEAD;
	x.x.status = 34;
	ASSERT_EQ(pl_record_events(rr, &x, sizeof(x), e), 1, "events in an exit record");
	ASSERT_EQ(e[0].killer, 900, "the first sender of a queued signal");
}

static void unknown_or_short_records(void **state)
{
	struct pl_rec_reap r;
	struct pl_event e[PL_RECORD_EVENTS];
	struct pl_records *rr = *state;

	memset(&r, 0, sizeof(r));
	head(&r.h, 31);
	ASSERT_EQ(pl_record_events(rr, &r, sizeof(r), e), -1, "events in a record of an unknown kind");
	head(&r.h, PL_EV_REAP);
	ASSERT_EQ(pl_record_events(rr, &r, sizeof(r.h), e), -1, "events in a reap record of a head only");
	ASSERT_EQ(pl_record_events(rr, &r, 3, e), -1, "events in three bytes");
	r.r.zombie_ns = 77;
	r.r.reaper = 7;
	ASSERT_EQ(pl_record_events(rr, &r, sizeof(r), e), 1, "events in a whole reap record");
	ASSERT_EQ(e[0].zombie_ns, 77, "zombie time");
}

static int new_reader(void **state)
{
	*state = pl_records_new(4096);
	return *state ? 0 : -1;
}

static int free_reader(void **state)
{
	pl_records_free(*state);
	return 0;
}

#define TEST(f) cmocka_unit_test_setup_teardown(f, new_reader, free_reader)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(fork_record),
		TEST(exec_record_as_long_as_its_strings),
		TEST(exec_failed_record),
		TEST(exec_failed_by_fd),
		TEST(exit_zombie_record_tells_two),
		TEST(exit_reap_record_tells_two),
		TEST(exit_says_what_the_process_used),
		TEST(killer_told_with_the_exit),
		TEST(many_kills_at_once),
		TEST(queued_signal_first_sender),
		TEST(unknown_or_short_records),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
