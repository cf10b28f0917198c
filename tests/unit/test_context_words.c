// SPDX-License-Identifier: BSD-2-Clause
/*
 * The words the views use for context: a cgroup's unit or container, CPU
 * and memory at a glance, users by name, how a process was ended.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "check.h"
#include "output/amounts.h"
#include "output/cgroup_label.h"
#include "output/end_text.h"
#include "output/users.h"

#define ID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static const char *label(const char *path)
{
	static char buf[128];
	const char *l = cgroup_label(path, buf, sizeof(buf));

	return l ? l : "(none)";
}

static void units_and_containers(void **state)
{
	(void)state;
	ASSERT_STR_EQ(label("/system.slice/nginx.service"), "nginx.service", "a system service");
	ASSERT_STR_EQ(label("/user.slice/user-1000.slice/session-3.scope"), "session-3.scope",
		      "a login session");
	ASSERT_STR_EQ(label("/user.slice/user-1000.slice/user@1000.service/app.slice/foo.service"),
		      "foo.service", "a user's service: the last unit");
	ASSERT_STR_EQ(label("/system.slice/nginx.service/workers"), "nginx.service",
		      "a cgroup a service made below itself");
	ASSERT_STR_EQ(label("/system.slice/docker-" ID ".scope"), "docker 0123456789ab",
		      "docker with systemd's driver");
	ASSERT_STR_EQ(label("/docker/" ID), "docker 0123456789ab", "docker with cgroupfs's driver");
	ASSERT_STR_EQ(label("/system.slice/docker-" ID ".scope/init.scope"), "docker 0123456789ab",
		      "a container wins over a unit inside it");
	ASSERT_STR_EQ(label("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1.slice/"
			    "cri-containerd-" ID ".scope"), "containerd 0123456789ab", "containerd");
	ASSERT_STR_EQ(label("/kubepods/besteffort/pod5f2a/" ID), "container 0123456789ab",
		      "a pod's container with cgroupfs's driver");
	ASSERT_STR_EQ(label("/machine.slice/libpod-" ID ".scope"), "podman 0123456789ab", "podman");
	ASSERT_STR_EQ(label("/kubepods.slice/crio-" ID ".scope"), "cri-o 0123456789ab", "cri-o");
	ASSERT_STR_EQ(label("/machine.slice/libpod-conmon-" ID ".scope"), "libpod-conmon-" ID ".scope",
		      "podman's monitor is a scope, not the container");
	ASSERT_STR_EQ(label("/system.slice/docker-0123.scope"), "docker-0123.scope", "not an id");
	ASSERT_STR_EQ(label("/"), "(none)", "the root");
	ASSERT_STR_EQ(label("/system.slice"), "(none)", "a slice");
	ASSERT_STR_EQ(label("/system.slice/a\\x2db.service"), "a\\x2db.service", "escaped as systemd does");
	ASSERT_STR_EQ(label("/bad\n.service"), "bad?.service", "a control byte");
}

static void amounts(void **state)
{
	char b[32];

	(void)state;
	ASSERT_STR_EQ(amount_cpu(0, b, sizeof(b)), "0 us", "no CPU");
	ASSERT_STR_EQ(amount_cpu(85400, b, sizeof(b)), "85 us", "microseconds");
	ASSERT_STR_EQ(amount_cpu(999600, b, sizeof(b)), "1.0 ms", "what rounds to a millisecond");
	ASSERT_STR_EQ(amount_cpu(4200000, b, sizeof(b)), "4.2 ms", "milliseconds");
	ASSERT_STR_EQ(amount_cpu(9949999, b, sizeof(b)), "9.9 ms", "under ten milliseconds");
	ASSERT_STR_EQ(amount_cpu(9950000, b, sizeof(b)), "10 ms", "what rounds to ten");
	ASSERT_STR_EQ(amount_cpu(23400000, b, sizeof(b)), "23 ms", "tens of milliseconds");
	ASSERT_STR_EQ(amount_cpu(310000000, b, sizeof(b)), "310 ms", "a third of a second");
	ASSERT_STR_EQ(amount_cpu(999500000, b, sizeof(b)), "1.00 s", "what rounds to a second");
	ASSERT_STR_EQ(amount_cpu(1234000000, b, sizeof(b)), "1.23 s", "a second and more");
	ASSERT_STR_EQ(amount_cpu(12345000000ULL, b, sizeof(b)), "12.3 s", "seconds");
	ASSERT_STR_EQ(amount_kib(640, b, sizeof(b)), "640 KiB", "KiB");
	ASSERT_STR_EQ(amount_kib(1638, b, sizeof(b)), "1.6 MiB", "a little MiB");
	ASSERT_STR_EQ(amount_kib(32768, b, sizeof(b)), "32 MiB", "MiB");
	ASSERT_STR_EQ(amount_kib(2621440, b, sizeof(b)), "2.5 GiB", "GiB");
	ASSERT_STR_EQ(amount_usage(310000000, 32768, b, sizeof(b)), "310 ms CPU, 32 MiB", "both");
}

static void users(void **state)
{
	char b[40];
	__u32 uid = 7;

	(void)state;
	ASSERT_STR_EQ(user_name(0, b, sizeof(b)), "root", "uid 0");
	ASSERT_STR_EQ(user_name(0, b, sizeof(b)), "root", "uid 0, remembered");
	ASSERT_STR_EQ(user_name(3999999, b, sizeof(b)), "3999999", "a uid with no name");
	ASSERT_EQ(user_parse("root", &uid), 0, "a name");
	ASSERT_EQ(uid, 0, "root's uid");
	ASSERT_EQ(user_parse("1234", &uid), 0, "a number");
	ASSERT_EQ(uid, 1234, "the number");
	ASSERT_EQ(user_parse("no-such-user-here", &uid), -1, "no such user");
	ASSERT_EQ(user_parse("12x", &uid), -1, "not a number, no such user");
}

static void ends(void **state)
{
	struct end_facts f = { .status = 15, .why = PL_KILL_SENT, .killer = 1234,
			       .killer_comm = "timeout" };
	char b[96];

	(void)state;
	ASSERT_STR_EQ(end_describe(&f, b, sizeof(b)), "killed by SIGTERM from timeout[1234]",
		      "sent by a process");
	f.by_itself = true;
	f.status = 6 | 0x80;
	ASSERT_STR_EQ(end_describe(&f, b, sizeof(b)), "killed by SIGABRT from itself (core dumped)",
		      "abort()");
	f = (struct end_facts){ .status = 11, .why = PL_KILL_FAULT };
	ASSERT_STR_EQ(end_describe(&f, b, sizeof(b)), "killed by SIGSEGV (a fault)", "a fault");
	f = (struct end_facts){ .status = 9, .why = PL_KILL_OOM };
	ASSERT_STR_EQ(end_describe(&f, b, sizeof(b)), "killed by SIGKILL (the OOM killer)", "OOM");
	f = (struct end_facts){ .status = 31, .why = PL_KILL_SECCOMP };
	ASSERT_STR_EQ(end_describe(&f, b, sizeof(b)), "killed by SIGSYS (seccomp)", "seccomp");
	f = (struct end_facts){ .status = 2, .why = PL_KILL_KERNEL };
	ASSERT_STR_EQ(end_describe(&f, b, sizeof(b)), "killed by SIGINT from the kernel", "the kernel");
	f = (struct end_facts){ .status = 2 };
	ASSERT_STR_EQ(end_describe(&f, b, sizeof(b)), "killed by SIGINT", "not known");
	f = (struct end_facts){ .status = 7 << 8, .why = PL_KILL_SENT };
	ASSERT_STR_EQ(end_describe(&f, b, sizeof(b)), "exit 7", "an exit");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(units_and_containers),
		cmocka_unit_test(amounts),
		cmocka_unit_test(users),
		cmocka_unit_test(ends),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
