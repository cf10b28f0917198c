// SPDX-License-Identifier: BSD-2-Clause
/* Threads are tasks too, but never processes: none is forked as one, none is
 * a zombie, none is reaped. */
#include <pthread.h>
#include <unistd.h>
#include "util/diag.h"
#include "workload/wl.h"

struct thread_arg {
	int i;
	int at_exit;
	volatile int recorded;
};

static void *thread_main(void *p)
{
	struct thread_arg *a = p;
	struct wl_rec *r = wl_new(a->at_exit ? "thread-at-exit" : "thread");

	if (r) {
		r->thread = 1;
		r->pid = gettid();
		r->lives_until_exit = a->at_exit;
		r->joined = !a->at_exit;
	}
	__atomic_store_n(&a->recorded, 1, __ATOMIC_SEQ_CST);
	if (a->at_exit)
		for (;;)
			pause(); /* ends with the process */
	wl_sleep_ms(10 * (a->i + 1));
	return NULL;
}

static void threaded_body(int n)
{
	pthread_t t[n + 1];
	struct thread_arg a[n + 1];

	for (int i = 0; i <= n; i++) {
		a[i] = (struct thread_arg){ .i = i, .at_exit = i == n };
		if (pthread_create(&t[i], NULL, thread_main, &a[i]))
			_exit(1);
	}
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	while (!__atomic_load_n(&a[n].recorded, __ATOMIC_SEQ_CST))
		wl_sleep_ms(1);
	_exit(0);
}

int sc_threads(struct wl_run *run, const struct wl_opts *o)
{
	int n = o->n ? o->n : 3, seq = 0;
	struct wl_rec *rp;
	pid_t pid;

	if (n > 64)
		n = 64;
	pid = wl_fork("threaded", &rp);
	if (pid < 0)
		return -1;
	if (pid == 0)
		threaded_body(n);
	wl_set_status(rp, 0);
	if (wl_reap(rp, &seq) < 0)
		return -1;
	if (rp->status)
		return wl_fail(run, "the threaded process failed (status %d)", rp->status);
	wl_fact_num(run, "threads", n + 1);
	return 0;
}
