/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Bursts of alike events folded live, as the tree folds alike leaves: the
 * first few of a burst are printed, the rest counted, and the count said
 * once the burst ends ("... 1,996 more alike forks by 3827 in 0.41 s").
 *
 * Alike: the same kind, about the same other process (the parent of a
 * fork, exec or exit, the waiter, the reaper), the same command, and for
 * exits the same kind of end (a code of 0, another code); for execs the
 * same file. A burst goes on while alike events come less than
 * FOLD_GAP_NS apart; a long one says its count every FOLD_SAY_NS. Notable
 * events are never handed to it: they are always printed.
 */
#ifndef PL_FOLD_H
#define PL_FOLD_H

#include <stdbool.h>
#include "events.h"

#define FOLD_SHOW 5                          /* printed before a burst folds */
#define FOLD_GAP_NS (1000ULL * 1000000)      /* a quieter pause ends a burst */
#define FOLD_SAY_NS (10000ULL * 1000000)     /* a long burst's count, this often */
#define FOLD_BURSTS 32                       /* bursts followed at once */

struct fold_burst {
	/* what makes events alike */
	unsigned kind;
	bool thread;
	__u32 actor;        /* the other process; 0: none */
	unsigned long long class; /* exit: code 0 or not; exec: the file's hash (a failed
				     one's with its errno); wait: WNOHANG */
	char comm[PL_COMM_LEN];
	char name[64];      /* the whole name its first event's process had ("": comm) */
	/* the burst */
	unsigned long long seen;   /* its events, printed or not */
	unsigned long long last_ts;
	/* the events folded since its count was last said */
	unsigned long long folded, from_ts, to_ts;
	int code_lo, code_hi;      /* their exit codes */
};

struct fold {
	struct fold_burst b[FOLD_BURSTS];
	size_t n;
	/* says a burst's count of folded events */
	void (*say)(void *ctx, const struct fold_burst *b);
	void *ctx;
};

/* true: print e; false: it was counted in its burst. name: the whole
 * name of e's process where comm was cut (NULL: comm), for the count */
bool fold_event(struct fold *f, const struct pl_event *e, const char *name);
/* the bursts that have ended by now say their counts */
void fold_tick(struct fold *f, unsigned long long now);
/* when the quietest burst will have ended, for a tick to say its count
 * (boot ns; 0: none goes on) */
unsigned long long fold_next_due(const struct fold *f);
/* every burst says its count: the end of the view */
void fold_flush(struct fold *f);

#endif
