/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * --uid, --cgroup and --comm: which processes the text view, the tree and
 * the exports are about. A process is kept when it matches every filter
 * given by what the model knows of it at the moment: its latest uid, its
 * latest cgroup (the one named, or one below it), its name (the whole one
 * where comm was cut, or comm). The model itself sees every record, so
 * what it says of the processes kept (their zombies, reaps, orphans) is
 * as exact as without a filter. A process whose uid or cgroup is not
 * known does not match a filter on it.
 */
#ifndef PL_FILTER_H
#define PL_FILTER_H

#include <stdbool.h>
#include "model/model.h"

struct filter {
	bool by_uid;
	__u32 uid;
	const char *cgroup; /* NULL: any */
	const char *comm;   /* NULL: any */
};

/* is any filter given? */
bool filter_on(const struct filter *f);
/* does p pass? */
bool filter_keeps(const struct filter *f, const struct pl_proc *p);
/* the options' values: 0, or EXIT_USAGE after saying why */
int filter_parse_uid(struct filter *f, const char *arg);
int filter_parse_cgroup(struct filter *f, char *arg);
int filter_parse_comm(struct filter *f, const char *arg);
/* "--uid 1000 --cgroup /x": the filters given, for messages */
const char *filter_describe(const struct filter *f, char *buf, size_t len);

#endif
