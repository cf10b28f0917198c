/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the tracer does for a service manager and a monitoring system:
 * the metrics (--metrics), served from the tracer's own loop, and the
 * readiness systemd waits for. The tracer calls these few functions; what
 * is behind them lives in this room.
 */
#ifndef PL_SERVICE_H
#define PL_SERVICE_H

#include <sys/socket.h>
#include "events.h"
#include "model/model.h"

struct service;

/* listening already when metrics are asked for (addr non-NULL), so a port
 * in use stops the tracer before it loads anything; NULL after saying why */
struct service *service_start(const struct sockaddr *addr, socklen_t addrlen,
			      const char *given);
/* where the metrics are served, said once the trace's outputs are open
 * (the port is taken at the start: one in use ends it there) */
void service_announce(const struct service *s);
/* every event of the stream, conclusions included (the pipeline's tap) */
void service_event(struct service *s, const struct pl_event *e);
/* a descriptor to watch with epoll, or -1 when there is none */
int service_fd(const struct service *s);
/* answers pending scrapes with the model as it is now; root: the followed
 * subtree (0: everything) */
void service_serve(struct service *s, const struct pl_model *m, __u32 root);
/* ms before service_serve has work its descriptor may not announce, -1: none */
int service_wait_ms(const struct service *s);
/* attached, tracing what ("every process"...): systemd's READY=1 */
void service_ready(struct service *s, const char *what);
void service_stop(struct service *s);

#endif
