// SPDX-License-Identifier: BSD-2-Clause
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "core/output_queue.h"
#include "util/write_all.h"

/* a lagging reader gets this much before lines are dropped: seconds of a
 * busy machine's events, a fraction of what the model holds for it */
#define QUEUE_BOUND (4u << 20)
/* an empty queue keeps a buffer this large at most */
#define KEPT_CAP (256u << 10)
/* a pipe takes writes of up to PIPE_BUF bytes whole or not at all */
#define CHUNK PIPE_BUF

struct out_queue {
	int fd;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t more, drained;
	char *buf;                   /* waiting bytes: [head, head + len) */
	size_t head, len, cap;
	size_t taken_lines;          /* in the chunk the thread is writing */
	bool writing, closing, done;
	bool mid_line;               /* the last byte taken in was not a line end */
	bool dropping;               /* the rest of the current line goes */
	bool stalled;                /* dropped since the queue last emptied */
	int err;
	unsigned long long dropped;  /* lines */
	char chunk[CHUNK];
};

static size_t count_lines(const char *s, size_t n)
{
	size_t lines = 0;
	const char *nl;

	while (n && (nl = memchr(s, '\n', n))) {
		lines++;
		n -= (size_t)(nl - s) + 1;
		s = nl + 1;
	}
	return lines;
}

/* under the lock: the next chunk, ending at a line end when it holds one */
static size_t take_chunk(struct out_queue *q)
{
	size_t n = q->len < CHUNK ? q->len : CHUNK;
	const char *s = q->buf + q->head;

	if (n < q->len)
		for (size_t i = n; i > 0; i--)
			if (s[i - 1] == '\n') {
				n = i;
				break;
			}
	memcpy(q->chunk, s, n);
	q->head += n;
	q->len -= n;
	q->taken_lines = count_lines(q->chunk, n);
	return n;
}

static void *writer(void *arg)
{
	struct out_queue *q = arg;

	pthread_mutex_lock(&q->lock);
	for (;;) {
		size_t n;
		int err;

		while (!q->len && !q->closing)
			pthread_cond_wait(&q->more, &q->lock);
		if (!q->len)
			break;
		n = take_chunk(q);
		q->writing = true;
		pthread_mutex_unlock(&q->lock);
		err = write_all(q->fd, q->chunk, n);
		pthread_mutex_lock(&q->lock);
		q->writing = false;
		if (err) {
			/* nothing more gets through: what waits is not written */
			q->err = err;
			q->dropped += q->taken_lines + count_lines(q->buf + q->head, q->len);
			q->len = 0;
		}
		if (!q->len) {
			q->head = 0;
			q->stalled = false;
			/* what a burst took is given back: memory stays flat */
			if (q->cap > KEPT_CAP) {
				free(q->buf);
				q->buf = NULL;
				q->cap = 0;
			}
			pthread_cond_broadcast(&q->drained);
		}
	}
	q->done = true;
	pthread_cond_broadcast(&q->drained);
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

struct out_queue *out_queue_new(int fd)
{
	struct out_queue *q = calloc(1, sizeof(*q));
	pthread_condattr_t attr;
	sigset_t all, mask;
	int err;

	if (!q)
		return NULL;
	q->fd = fd;
	pthread_mutex_init(&q->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&q->more, NULL);
	pthread_cond_init(&q->drained, &attr);
	pthread_condattr_destroy(&attr);
	/* signals are the caller's to take: the thread blocks them all */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &mask);
	err = pthread_create(&q->thread, NULL, writer, q);
	pthread_sigmask(SIG_SETMASK, &mask, NULL);
	if (err) {
		free(q);
		errno = err;
		return NULL;
	}
	return q;
}

/* under the lock: n more bytes at the end, room made first */
static bool append(struct out_queue *q, const char *s, size_t n)
{
	if (q->head && q->head + q->len + n > q->cap) {
		memmove(q->buf, q->buf + q->head, q->len);
		q->head = 0;
	}
	if (q->len + n > q->cap) {
		size_t cap = q->cap ? q->cap : 65536;
		char *more;

		while (cap < q->len + n)
			cap *= 2;
		more = realloc(q->buf, cap);
		if (!more)
			return false;
		q->buf = more;
		q->cap = cap;
	}
	memcpy(q->buf + q->head + q->len, s, n);
	q->len += n;
	return true;
}

bool out_queue_put(struct out_queue *q, const char *s, size_t n)
{
	bool began = false;

	pthread_mutex_lock(&q->lock);
	if (q->err) {
		q->dropped += count_lines(s, n);
		n = 0;
	}
	while (n) {
		const char *nl = memchr(s, '\n', n);
		size_t line = nl ? (size_t)(nl - s) + 1 : n;

		/* a line is dropped whole: decided at its first byte */
		if (!q->mid_line && !q->dropping && q->len >= QUEUE_BOUND) {
			q->dropping = true;
			began |= !q->stalled;
			q->stalled = true;
		}
		if (q->dropping || !append(q, s, line)) {
			q->dropping = !nl;
			q->dropped += !!nl;
		}
		q->mid_line = !nl && !q->dropping;
		s += line;
		n -= line;
	}
	pthread_cond_signal(&q->more);
	pthread_mutex_unlock(&q->lock);
	return began;
}

int out_queue_error(struct out_queue *q)
{
	int err;

	pthread_mutex_lock(&q->lock);
	err = q->err;
	pthread_mutex_unlock(&q->lock);
	return err;
}

unsigned long long out_queue_dropped(struct out_queue *q)
{
	unsigned long long n;

	pthread_mutex_lock(&q->lock);
	n = q->dropped;
	pthread_mutex_unlock(&q->lock);
	return n;
}

unsigned long long out_queue_close(struct out_queue *q, int timeout_ms, int *err)
{
	struct timespec until;
	unsigned long long unwritten;
	bool stuck;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += timeout_ms / 1000;
	until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&q->lock);
	q->closing = true;
	pthread_cond_signal(&q->more);
	while (!q->done && pthread_cond_timedwait(&q->drained, &q->lock, &until) != ETIMEDOUT)
		;
	stuck = !q->done;
	unwritten = q->dropped + count_lines(q->buf + q->head, q->len) +
		    (q->writing ? q->taken_lines : 0);
	/* the thread no longer takes anything: a write it is stuck in ends
	 * with the process */
	q->len = 0;
	*err = q->err;
	pthread_mutex_unlock(&q->lock);
	if (stuck)
		return unwritten;
	pthread_join(q->thread, NULL);
	pthread_mutex_destroy(&q->lock);
	pthread_cond_destroy(&q->more);
	pthread_cond_destroy(&q->drained);
	free(q->buf);
	free(q);
	return unwritten;
}
