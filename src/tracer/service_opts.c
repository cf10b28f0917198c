// SPDX-License-Identifier: BSD-2-Clause
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include "tracer/service_opts.h"
#include "util/args.h"
#include "util/diag.h"

#define ROTATE_MIN (64ULL << 10)
#define ROTATE_MAX (1ULL << 40)

bool service_opts_has(int opt)
{
	return opt >= SERVICE_OPT_METRICS && opt <= SERVICE_OPT_LAST;
}

/* ADDR:PORT, [IPV6]:PORT; a name is looked up once, here */
static int parse_listen(struct service_opts *s, const char *given)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_PASSIVE | AI_NUMERICSERV };
	const char *arg = given, *colon = strrchr(arg, ':');
	char host[256];
	struct addrinfo *ai;
	unsigned long port;
	size_t len;
	int err;

	if (arg[0] == '[') /* an IPv6 address holds colons of its own */
		colon = strchr(arg, ']') ? strchr(arg, ']') + 1 : NULL;
	if (!colon || *colon != ':' || colon == arg || !colon[1])
		return usage_error("--metrics takes ADDR:PORT (e.g. 127.0.0.1:9433 or [::1]:9433), "
				   "not '%s'", given);
	len = (size_t)(colon - arg);
	if (arg[0] == '[' && colon[-1] == ']') {
		arg++;
		len -= 2;
	}
	if (len == 0 || len >= sizeof(host))
		return usage_error("--metrics takes ADDR:PORT (e.g. 127.0.0.1:9433 or [::1]:9433), "
				   "not '%s'", given);
	memcpy(host, arg, len);
	host[len] = 0;
	/* ::1:9433 could be the address ::1:9433 with no port: brackets say */
	if (given[0] != '[' && strchr(host, ':'))
		return usage_error("--metrics: an IPv6 address goes in brackets before its port "
				   "([%s]:%s), not '%s'", host, colon + 1, given);
	if (parse_uint("--metrics' port", colon + 1, 0, 65535, &port))
		return EXIT_USAGE;
	err = getaddrinfo(host, colon + 1, &hints, &ai);
	if (err)
		return usage_error("--metrics: no address '%s' to listen on: %s", host,
				   gai_strerror(err));
	memcpy(&s->metrics_addr, ai->ai_addr, ai->ai_addrlen);
	s->metrics_addrlen = ai->ai_addrlen;
	freeaddrinfo(ai);
	return 0;
}

/* SIZE[,COUNT]: SIZE in bytes, or with K, M or G (powers of 1024) */
static int parse_rotate(struct service_opts *s, const char *arg)
{
	static const char bad[] = "--rotate takes SIZE[,COUNT] with SIZE from 64K to 1024G "
				  "(e.g. 100M or 100M,10), not '%s'";
	unsigned long long size, shift = 0;
	unsigned long keep = ROTATE_KEEP_DEFAULT;
	const char *comma = strchr(arg, ',');
	char *end;

	errno = 0;
	size = strtoull(arg, &end, 10);
	if (errno || end == arg || !isdigit((unsigned char)arg[0])) /* no sign, no space */
		return usage_error(bad, arg);
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	}
	if (end != (comma ? comma : arg + strlen(arg)) || size > (ROTATE_MAX >> shift))
		return usage_error(bad, arg);
	size <<= shift;
	if (size < ROTATE_MIN)
		return usage_error(bad, arg);
	if (comma && parse_uint("--rotate's COUNT", comma + 1, 1, 1000, &keep))
		return EXIT_USAGE;
	s->rotate_bytes = size;
	s->rotate_keep = (unsigned)keep;
	return 0;
}

int service_opts_parse(struct service_opts *s, int opt, const char *arg)
{
	switch (opt) {
	case SERVICE_OPT_METRICS:
		s->metrics = arg;
		return parse_listen(s, arg);
	case SERVICE_OPT_ROTATE:
		return parse_rotate(s, arg);
	}
	return usage_error("unknown service option %d", opt);
}

int service_opts_check(const struct service_opts *s, const char *output, bool jsonl)
{
	if (s->rotate_bytes && (!output || !strcmp(output, "-") || !jsonl))
		return usage_error("--rotate rotates a JSONL log file: give -f jsonl -o FILE");
	return 0;
}
