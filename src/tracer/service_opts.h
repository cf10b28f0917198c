/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The options a tracer run as a service takes: metrics for Prometheus
 * (--metrics) and a log that rotates itself (--rotate). Parsed here, in
 * one block of `proclife trace`'s parser, as the view's options are.
 */
#ifndef PL_SERVICE_OPTS_H
#define PL_SERVICE_OPTS_H

#include <getopt.h>
#include <stdbool.h>
#include <sys/socket.h>

struct service_opts {
	const char *metrics;            /* --metrics ADDR:PORT as given; NULL: no listener */
	struct sockaddr_storage metrics_addr;
	socklen_t metrics_addrlen;
	unsigned long long rotate_bytes; /* --rotate SIZE: events a file holds; 0: no --rotate */
	unsigned rotate_keep;            /* --rotate SIZE,COUNT: old files kept */
};

/* getopt_long values: above the view's (output/view_opts.h) */
enum {
	SERVICE_OPT_METRICS = 0x2000,
	SERVICE_OPT_ROTATE,
	SERVICE_OPT_LAST = SERVICE_OPT_ROTATE,
};

#define SERVICE_LONG_OPTIONS                                             \
	{ "metrics", required_argument, NULL, SERVICE_OPT_METRICS },     \
	{ "rotate", required_argument, NULL, SERVICE_OPT_ROTATE }

#define SERVICE_OPTIONS_USAGE                                                                  \
	"      --metrics ADDR:PORT\n"                                                           \
	"                        serve Prometheus metrics at http://ADDR:PORT/metrics\n"        \
	"                        (e.g. 127.0.0.1:9433; port 0: any free one, said at start)\n" \
	"      --rotate SIZE[,COUNT]\n"                                                         \
	"                        a new log file after SIZE of events (K, M or G), keeping\n"    \
	"                        COUNT old ones as FILE.1 ... (default 10); an existing\n"      \
	"                        FILE is rotated, not replaced\n"

/* the --rotate COUNT when none is given */
#define ROTATE_KEEP_DEFAULT 10

/* is opt one of SERVICE_LONG_OPTIONS? */
bool service_opts_has(int opt);
/* one of SERVICE_LONG_OPTIONS with its argument: 0, or EXIT_USAGE after
 * saying why */
int service_opts_parse(struct service_opts *s, int opt, const char *arg);
/* the service options against the rest of the command line (where the
 * log goes, in which format): 0, or EXIT_USAGE after saying why */
int service_opts_check(const struct service_opts *s, const char *output, bool jsonl);

#endif
