// SPDX-License-Identifier: BSD-2-Clause
#include <stdio.h>
#include "util/names.h"
#include "util/status.h"

/* an exit's code in bits 8 - 15, or a killing signal in bits 0 - 6 (up to
 * SIGRTMAX's 64; 0x7f marks a stop) with bit 7 if it dumped core */
bool pl_status_is_wait(int status)
{
	unsigned u = (unsigned)status;

	if (!(u & 0x7f))
		return !(u & ~0xff00u);
	return (u & 0x7f) <= 64 && !(u & ~0xffu);
}

struct pl_status pl_status_decode(int status)
{
	struct pl_status s = { 0 };

	if (!pl_status_is_wait(status)) {
		s.no_wait = true;
	} else if ((status & 0x7f) == 0) {
		s.code = (status >> 8) & 0xff;
	} else {
		s.signaled = true;
		s.signal = status & 0x7f;
		s.core = status & 0x80;
	}
	return s;
}

enum pl_end_how pl_status_end_how(int status)
{
	struct pl_status s = pl_status_decode(status);

	if (s.no_wait)
		return PL_END_NO_WAIT;
	if (!s.signaled)
		return PL_END_CODE;
	return s.core ? PL_END_CORE : PL_END_SIGNAL;
}

const char *pl_status_describe(int status, char *buf, size_t len)
{
	struct pl_status s = pl_status_decode(status);
	const char *name;

	if (!pl_status_is_wait(status)) {
		snprintf(buf, len, "ended with %d (no wait status)", status);
		return buf;
	}
	if (!s.signaled) {
		snprintf(buf, len, "exit %d", s.code);
		return buf;
	}
	name = pl_signal_name(s.signal);
	if (name)
		snprintf(buf, len, "killed by %s%s", name, s.core ? " (core dumped)" : "");
	else
		snprintf(buf, len, "killed by signal %d%s", s.signal, s.core ? " (core dumped)" : "");
	return buf;
}

void pl_code_range_add(struct pl_code_range *r, int status)
{
	int c = pl_status_decode(status).code;

	r->lo = c < r->lo ? c : r->lo;
	r->hi = c > r->hi ? c : r->hi;
}

const char *pl_code_range_describe(struct pl_code_range r, char *buf, size_t len)
{
	if (r.lo == r.hi)
		snprintf(buf, len, "exit %d", r.lo);
	else
		snprintf(buf, len, "exit %d to %d", r.lo, r.hi);
	return buf;
}
