// SPDX-License-Identifier: BSD-2-Clause
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "service/http.h"
#include "service/metrics.h"
#include "util/diag.h"
#include "util/lazy_lib.h"

/* scrapers at once: enough that connections left open and silent do not
 * easily shut the endpoint, each closed after a few idle seconds; every
 * one is a descriptor of the tracer's */
#define MAX_CONNECTIONS 256
#define CONNECTION_TIMEOUT_S 5
/* and a connection with no whole request for this long is closed, though
 * it is never idle: one that sends its request a byte every few seconds
 * would hold its place for as long as it liked (a few hundred such shut
 * the endpoint) */
#define REQUEST_DEADLINE_MS 10000

/* libmicrohttpd's functions, from the library opened when metrics are
 * first asked for (MHD_SONAME: the name the build found, util/lazy_lib.h) */
static struct {
	__typeof__(MHD_start_daemon) *start_daemon;
	__typeof__(MHD_stop_daemon) *stop_daemon;
	__typeof__(MHD_run) *run;
	__typeof__(MHD_get_timeout) *get_timeout;
	__typeof__(MHD_get_daemon_info) *get_daemon_info;
	__typeof__(MHD_lookup_connection_value) *lookup_connection_value;
	__typeof__(MHD_create_response_from_buffer) *create_response_from_buffer;
	__typeof__(MHD_add_response_header) *add_response_header;
	__typeof__(MHD_queue_response) *queue_response;
	__typeof__(MHD_destroy_response) *destroy_response;
	__typeof__(MHD_get_connection_info) *get_connection_info;
} mhd;

#define MHD_FN(name) { "MHD_" #name, (void **)&mhd.name }

static bool mhd_loaded(void)
{
	static const struct lazy_fn fns[] = {
		MHD_FN(start_daemon),		     MHD_FN(stop_daemon),
		MHD_FN(run),			     MHD_FN(get_timeout),
		MHD_FN(get_daemon_info),
		MHD_FN(lookup_connection_value),     MHD_FN(create_response_from_buffer),
		MHD_FN(add_response_header),	     MHD_FN(queue_response),
		MHD_FN(destroy_response),	     MHD_FN(get_connection_info),
	};
	static int loaded; /* 0: not tried; 1, -1: how it went */
	char why[256];

	_Static_assert(sizeof(MHD_SONAME) > 1, "the build found no library to name");
	_Static_assert(sizeof(fns) / sizeof(fns[0]) * sizeof(void *) == sizeof(mhd),
		       "a function of mhd is not looked up");
	if (!loaded) {
		loaded = lazy_lib_open(MHD_SONAME, fns, sizeof(fns) / sizeof(fns[0]), why,
				       sizeof(why)) ? 1 : -1;
		if (loaded < 0)
			error("--metrics needs libmicrohttpd: %s", why);
	}
	return loaded > 0;
}

/* a connection open now: since when it has owed a whole request */
struct open_connection {
	bool used;
	int fd;
	unsigned long long since_ms; /* its start, or its last request's */
};

struct http_server {
	struct MHD_Daemon *d;
	int listen_fd;
	http_render_fn render;
	void *ctx;
	struct open_connection open[MAX_CONNECTIONS + 1];
	long long due_ms; /* before the next deadline, as of the last run; -1: none */
};

static unsigned long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000 + (unsigned long long)ts.tv_nsec / 1000000;
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
			  enum MHD_ConnectionNotificationCode what)
{
	struct http_server *s = cls;
	struct open_connection *o = *socket_context;
	const union MHD_ConnectionInfo *i;

	if (what == MHD_CONNECTION_NOTIFY_CLOSED) {
		if (o)
			o->used = false;
		return;
	}
	i = mhd.get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	for (size_t k = 0; i && k < sizeof(s->open) / sizeof(s->open[0]); k++) {
		if (s->open[k].used)
			continue;
		s->open[k] = (struct open_connection){ .used = true, .fd = i->connect_fd,
						       .since_ms = now_ms() };
		*socket_context = &s->open[k];
		return;
	}
}

/* a whole request came: the connection owes none now */
static void request_came(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *i =
		mhd.get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct open_connection *o = i ? i->socket_context : NULL;

	if (o)
		o->since_ms = now_ms();
}

/* ends the connections past their deadline (libmicrohttpd closes a socket
 * shut down under it); ms before the next one is due, -1: none */
static long long close_overdue(struct open_connection *open, size_t n)
{
	unsigned long long now = now_ms();
	long long next = -1;

	for (size_t k = 0; k < n; k++) {
		struct open_connection *o = &open[k];
		long long left;

		if (!o->used)
			continue;
		left = (long long)(o->since_ms + REQUEST_DEADLINE_MS) - (long long)now;
		if (left <= 0) {
			shutdown(o->fd, SHUT_RDWR);
			o->since_ms = now; /* shut once: its close comes with the next run */
			left = REQUEST_DEADLINE_MS;
		}
		if (next < 0 || left < next)
			next = left;
	}
	return next;
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status, const char *type,
			     void *body, size_t len, enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *r = mhd.create_response_from_buffer(len, body, mode);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	mhd.add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		mhd.add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = mhd.queue_response(c, status, r);
	mhd.destroy_response(r);
	return ret;
}

/* the path of a request's target: an absolute URI's (RFC 9112 3.2.2:
 * "GET http://host/metrics") after its scheme and authority */
static const char *target_path(const char *url)
{
	const char *at;

	if (strncasecmp(url, "http://", 7) && strncasecmp(url, "https://", 8))
		return url;
	at = strchr(strstr(url, "//") + 2, '/');
	return at ? at : "/";
}

/* an Accept header that takes OpenMetrics: named in an entry not at q=0
 * (the whole media type: application/openmetrics-textual is another) */
static bool accepts_openmetrics(const char *accept)
{
	static const char type[] = "application/openmetrics-text";

	for (const char *item = accept; item && *item;) {
		const char *end = strchr(item, ','), *q;

		item += strspn(item, " \t");
		if (!strncasecmp(item, type, sizeof(type) - 1) &&
		    strchr(";, \t", item[sizeof(type) - 1])) {
			q = strstr(item, "q=");
			if (!q || (end && q > end) || strtod(q + 2, NULL) > 0)
				return true;
		}
		item = end ? end + 1 : NULL;
	}
	return false;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **state)
{
	static char not_found[] = "proclife serves its metrics at /metrics\n";
	static char not_allowed[] = "GET /metrics\n";
	struct http_server *s = cls;
	const char *accept;
	bool om;
	size_t len;
	char *body;

	(void)version, (void)upload, (void)upload_size, (void)state;
	request_came(c);
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain", not_allowed,
			     strlen(not_allowed), MHD_RESPMEM_PERSISTENT);
	if (strcmp(target_path(url), "/metrics"))
		return reply(c, MHD_HTTP_NOT_FOUND, "text/plain", not_found, strlen(not_found),
			     MHD_RESPMEM_PERSISTENT);
	/* Prometheus asks for OpenMetrics first; anything else gets the text format */
	accept = mhd.lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
	om = accepts_openmetrics(accept);
	body = s->render(s->ctx, om, &len);
	if (!body)
		return MHD_NO;
	return reply(c, MHD_HTTP_OK, om ? METRICS_OPENMETRICS_TYPE : METRICS_TEXT_TYPE, body, len,
		     MHD_RESPMEM_MUST_FREE);
}

/* the socket is ours, so a port in use or a foreign address is said plainly */
static int listen_at(const struct sockaddr *addr, socklen_t addrlen, const char *given)
{
	int fd = socket(addr->sa_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0), one = 1;

	if (fd < 0)
		return error_errno("cannot listen on '%s'", given);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (addr->sa_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, addr, addrlen) || listen(fd, MAX_CONNECTIONS)) {
		error_errno("cannot listen on '%s'", given);
		close(fd);
		return -1;
	}
	return fd;
}

struct http_server *http_start(const struct sockaddr *addr, socklen_t addrlen, const char *given,
			       http_render_fn render, void *ctx)
{
	struct http_server *s;

	if (!mhd_loaded())
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s) {
		error("out of memory");
		return NULL;
	}
	s->render = render;
	s->ctx = ctx;
	s->due_ms = -1;
	s->listen_fd = listen_at(addr, addrlen, given);
	if (s->listen_fd < 0) {
		free(s);
		return NULL;
	}
	/* polled from the tracer's loop: no thread, no locks around the model */
	s->d = mhd.start_daemon(MHD_USE_EPOLL, 0, NULL, NULL, on_request, s,
				MHD_OPTION_LISTEN_SOCKET, s->listen_fd,
				MHD_OPTION_CONNECTION_LIMIT, (unsigned)MAX_CONNECTIONS,
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CONNECTION_TIMEOUT_S,
				MHD_OPTION_NOTIFY_CONNECTION, on_connection, s, MHD_OPTION_END);
	if (!s->d) {
		error("cannot serve metrics on '%s': libmicrohttpd did not start", given);
		close(s->listen_fd);
		free(s);
		return NULL;
	}
	return s;
}

void http_url(const struct http_server *s, char *buf, size_t len)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char host[NI_MAXHOST] = "?", port[NI_MAXSERV] = "?";

	if (!getsockname(s->listen_fd, (struct sockaddr *)&ss, &sl))
		getnameinfo((struct sockaddr *)&ss, sl, host, sizeof(host), port, sizeof(port),
			    NI_NUMERICHOST | NI_NUMERICSERV);
	snprintf(buf, len, ss.ss_family == AF_INET6 ? "http://[%s]:%s/metrics" :
		 "http://%s:%s/metrics", host, port);
}

int http_fd(const struct http_server *s)
{
	const union MHD_DaemonInfo *i = mhd.get_daemon_info(s->d, MHD_DAEMON_INFO_EPOLL_FD);

	return i ? i->epoll_fd : -1;
}

void http_serve(struct http_server *s)
{
	mhd.run(s->d);
	s->due_ms = close_overdue(s->open, sizeof(s->open) / sizeof(s->open[0]));
}

int http_wait_ms(const struct http_server *s)
{
	MHD_UNSIGNED_LONG_LONG ms;
	long long due = s->due_ms;

	if (mhd.get_timeout(s->d, &ms) != MHD_YES)
		return due < 0 ? -1 : (int)due;
	if (due >= 0 && (MHD_UNSIGNED_LONG_LONG)due < ms)
		ms = (MHD_UNSIGNED_LONG_LONG)due;
	return ms < 1000000 ? (int)ms : 1000000;
}

void http_stop(struct http_server *s)
{
	if (!s)
		return;
	mhd.stop_daemon(s->d); /* which closes the listening socket */
	free(s);
}
