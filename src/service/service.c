// SPDX-License-Identifier: BSD-2-Clause
#include <stdio.h>
#include <stdlib.h>
#include "service/http.h"
#include "service/metrics.h"
#include "service/notify.h"
#include "service/service.h"
#include "util/clock.h"
#include "util/diag.h"
#include "util/version.h"

struct service {
	struct metrics *metrics; /* NULL: no --metrics */
	struct http_server *http;
	char url[128];           /* of the metrics */
	struct metrics_now now;  /* what a scrape reads, set before serving */
};

static char *render(void *ctx, bool openmetrics, size_t *len)
{
	struct service *s = ctx;

	s->now.now_ns = boot_ns();
	return metrics_render(s->metrics, &s->now, openmetrics, len);
}

struct service *service_start(const struct sockaddr *addr, socklen_t addrlen, const char *given)
{
	struct service *s = calloc(1, sizeof(*s));

	if (!s) {
		error("out of memory");
		return NULL;
	}
	s->now.version = pl_version;
	if (!addr)
		return s;
	s->metrics = metrics_new();
	if (!s->metrics) {
		error("out of memory");
		service_stop(s);
		return NULL;
	}
	s->http = http_start(addr, addrlen, given, render, s);
	if (!s->http) {
		service_stop(s);
		return NULL;
	}
	http_url(s->http, s->url, sizeof(s->url));
	return s;
}

void service_announce(const struct service *s)
{
	if (s->http)
		note("metrics at %s", s->url);
}

void service_event(struct service *s, const struct pl_event *e)
{
	if (s->metrics)
		metrics_event(s->metrics, e);
}

int service_fd(const struct service *s)
{
	return s->http ? http_fd(s->http) : -1;
}

void service_serve(struct service *s, const struct pl_model *m, __u32 root)
{
	if (!s->http)
		return;
	s->now.model = m;
	s->now.root = root;
	http_serve(s->http);
}

int service_wait_ms(const struct service *s)
{
	return s->http ? http_wait_ms(s->http) : -1;
}

void service_ready(struct service *s, const char *what)
{
	char status[256];

	snprintf(status, sizeof(status), "tracing %s%s%s", what, s->http ? "; metrics at " : "",
		 s->http ? s->url : "");
	notify_ready(status);
}

void service_stop(struct service *s)
{
	if (!s)
		return;
	notify_stopping();
	http_stop(s->http);
	metrics_free(s->metrics);
	free(s);
}
