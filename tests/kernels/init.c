// SPDX-License-Identifier: BSD-2-Clause
/*
 * pid 1 of the kernel-matrix guest: mounts what the tracer needs, runs the
 * guest script, and reaps every process it inherits, as a real init does
 * (a shell as pid 1 would leave adopted zombies unreaped and the orphan
 * scenarios would then differ). Powers the machine off when the script ends.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void mount_or_say(const char *src, const char *dir, const char *type)
{
	mkdir(dir, 0755);
	if (mount(src, dir, type, 0, NULL) && errno != EBUSY)
		fprintf(stderr, "init: cannot mount %s on %s: %m\n", type, dir);
}

int main(void)
{
	pid_t script;
	int status;

	/* the host tells a kernel that died before this from one that died
	 * under the tests */
	fprintf(stderr, "%s\n", "init: started");
	mount_or_say("proc", "/proc", "proc");
	mount_or_say("sysfs", "/sys", "sysfs");
	mount_or_say("devtmpfs", "/dev", "devtmpfs");
	mount_or_say("tmpfs", "/tmp", "tmpfs");
	mount_or_say("cgroup2", "/sys/fs/cgroup", "cgroup2");
	script = fork();
	if (script == 0) {
		execl("/bin/sh", "sh", "/matrix/guest.sh", "/tmp/out", "/matrix/cases.txt",
		      "/dev/ttyS1", (char *)NULL);
		perror("init: cannot run /matrix/guest.sh");
		_exit(127);
	}
	for (;;) {
		pid_t pid = wait(&status);

		if (pid == script || (pid < 0 && errno == ECHILD))
			break;
	}
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
