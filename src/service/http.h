/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The metrics' HTTP server, through libmicrohttpd: GET /metrics, nothing
 * else. It runs in the tracer's own loop (no thread of its own), so a
 * scrape reads the model between two reads of the ring buffer, with every
 * record before it counted.
 */
#ifndef PL_HTTP_H
#define PL_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

/* the body of /metrics, malloc'd, or NULL when out of memory */
typedef char *(*http_render_fn)(void *ctx, bool openmetrics, size_t *len);

struct http_server;

/* listening at addr (given: how the user wrote it, for messages); NULL
 * after saying why (a port in use, an address not on this host) */
struct http_server *http_start(const struct sockaddr *addr, socklen_t addrlen, const char *given,
			       http_render_fn render, void *ctx);
/* where it listens, as a URL of /metrics: the port is the kernel's
 * choice when port 0 was asked for */
void http_url(const struct http_server *s, char *buf, size_t len);
/* a descriptor that becomes readable when there is work: for epoll */
int http_fd(const struct http_server *s);
/* does the pending work: accepts, reads requests, answers; never blocks */
void http_serve(struct http_server *s);
/* ms before http_serve has work again that http_fd may not announce (0:
 * at once, as when a request was read only in part; a connection past its
 * deadline to close), -1: none */
int http_wait_ms(const struct http_server *s);
void http_stop(struct http_server *s);

#endif
