// SPDX-License-Identifier: BSD-2-Clause
/* The same tasks run by a pool of long-lived workers, and by one new
 * process per task: the fork counts (and the cost) differ. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "util/diag.h"
#include "workload/wl.h"

#define TASK_US 1000 /* each task: this much CPU */

struct result {
	int32_t task;
	int32_t pid;
};

static void worker(int tasks_r, int results_w, struct wl_rec *self)
{
	int32_t task;

	while (read(tasks_r, &task, sizeof(task)) == sizeof(task)) {
		struct result res = { task, (int32_t)getpid() };

		wl_spin_us(TASK_US);
		self->task++;
		if (write(results_w, &res, sizeof(res)) != sizeof(res))
			_exit(1);
	}
	_exit(0);
}

/* feed m tasks and collect m results without either pipe filling up */
static int feed(struct wl_run *run, int tasks_w, int results_r, int m)
{
	int sent = 0, got = 0;

	fcntl(tasks_w, F_SETFL, O_NONBLOCK);
	while (got < m) {
		struct pollfd p[2] = {
			{ .fd = results_r, .events = POLLIN },
			{ .fd = sent < m ? tasks_w : -1, .events = POLLOUT },
		};
		struct result res;

		if (wl_stop)
			return -1;
		if (poll(p, 2, WL_TIMEOUT_MS) <= 0) {
			if (errno == EINTR)
				continue;
			return wl_fail(run, "workers stopped answering");
		}
		if (p[1].revents & POLLOUT) {
			int32_t t = sent + 1;

			if (write(tasks_w, &t, sizeof(t)) == sizeof(t))
				sent++;
		}
		if (p[0].revents & (POLLIN | POLLHUP)) {
			ssize_t n = read(results_r, &res, sizeof(res));

			if (n == 0)
				return wl_fail(run, "workers ended before the tasks did");
			if (n == sizeof(res))
				got++;
		}
	}
	return 0;
}

int sc_pool(struct wl_run *run, const struct wl_opts *o)
{
	int k = o->workers, m = o->tasks, seq = 0, ret = 0, made = 0;
	int tasks[2], results[2];
	struct wl_rec **w = calloc((size_t)k, sizeof(*w));
	uint64_t t0 = wl_now();

	if (!w)
		return wl_fail(run, "out of memory");
	if (wl_pipe(tasks) < 0 || wl_pipe(results) < 0) {
		free(w);
		return -1;
	}
	for (; made < k; made++) {
		pid_t pid = wl_fork("worker", &w[made]);

		if (pid < 0) {
			ret = -1;
			break;
		}
		if (pid == 0) {
			close(tasks[1]);
			close(results[0]);
			worker(tasks[0], results[1], w[made]);
		}
		wl_set_status(w[made], 0);
	}
	close(tasks[0]);
	close(results[1]);
	if (!ret)
		ret = feed(run, tasks[1], results[0], m);
	/* close(): workers see EOF and exit; join() them */
	close(tasks[1]);
	close(results[0]);
	for (int i = 0; i < made && !wl_stop; i++)
		if (wl_reap(w[i], &seq) < 0)
			ret = -1;
	wl_fact_num(run, "workers", k);
	wl_fact_num(run, "tasks", m);
	wl_fact_num(run, "forks", made);
	wl_fact_num(run, "elapsed_ns", (long long)(wl_now() - t0));
	free(w);
	return ret;
}

int sc_spawn_churn(struct wl_run *run, const struct wl_opts *o)
{
	int m = o->tasks, window = o->workers, seq = 0, oldest = 0;
	struct wl_rec **r = calloc((size_t)m, sizeof(*r));
	uint64_t t0 = wl_now();

	if (!r)
		return wl_fail(run, "out of memory");
	/* at most --workers alive at once, reaped in birth order */
	for (int t = 0; t < m; t++) {
		pid_t pid;

		if (t - oldest >= window && wl_reap(r[oldest++], &seq) < 0)
			goto fail;
		pid = wl_fork("task", &r[t]);
		if (pid < 0)
			goto fail;
		if (pid == 0) {
			wl_spin_us(TASK_US);
			r[t]->task = 1;
			_exit((t + 1) & 0xff);
		}
		wl_set_status(r[t], ((t + 1) & 0xff) << 8);
	}
	while (oldest < m)
		if (wl_reap(r[oldest++], &seq) < 0)
			goto fail;
	wl_fact_num(run, "tasks", m);
	wl_fact_num(run, "forks", m);
	wl_fact_num(run, "window", window);
	wl_fact_num(run, "elapsed_ns", (long long)(wl_now() - t0));
	free(r);
	return 0;
fail:
	free(r);
	return -1;
}
