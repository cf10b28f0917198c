/* SPDX-License-Identifier: BSD-2-Clause */
/* What the model's own files share; nothing outside src/model includes this. */
#ifndef PL_MODEL_INTERNAL_H
#define PL_MODEL_INTERNAL_H

#include "model/model.h"

/* strings.c: strings kept once for all who share them */
struct strtab {
	struct istr **b;
	size_t nb, n;
	size_t bytes; /* the strings' own, buckets aside */
	const char *last; /* the one asked for last (NULL: let go since) */
};

/* s (len bytes) kept, or one more reference to it; NULL when out of memory */
const char *strtab_get(struct strtab *t, const char *s, size_t len);
/* one more reference to a kept string (NULL: none) */
const char *strtab_ref(const char *s);
/* one reference fewer: the last lets it go (NULL: none) */
void strtab_put(struct strtab *t, const char *s);
size_t strtab_len(const char *s);
size_t strtab_bytes(const struct strtab *t);
void strtab_destroy(struct strtab *t);

struct usage_top {
	struct pl_usage_rec v[PL_TOP_USAGE];
	size_t n;
	unsigned long long ended; /* every process offered */
};

#define EARLY_ORPHANS 32

/* what a double fork's conclusion tells of the grandchild, taken when it
 * was adopted alive; it waits in the table for its middle's exit (a daemon
 * may have done its work and left before that exit is told) */
struct df_child {
	__u32 pid, ppid_birth, ns_pid, ns_level, ns_inum;
	__u64 start, pstart_birth, birth_ts;
	char comm[PL_COMM_LEN];
	bool followed;
};

struct pl_model {
	struct pl_model_opts o;
	__u64 zombie_ns;      /* threshold */
	__u64 double_fork_ns;
	__u32 follow;         /* followed root pid, 0: none */
	__u64 now;            /* latest time seen in a record or a tick */
	bool end_untold;      /* the stream stopped before its end was told */

	struct pl_proc **buckets; /* hashed on pid; all lives of a pid share a chain */
	size_t nbuckets;
	size_t nprocs;
	size_t name_bytes;    /* exec filenames held */
	/* zombies not yet flagged over the threshold, by their zombie moment */
	struct pl_proc *zhead, *ztail;
	__u64 zdue;           /* none of them crosses it before this moment */

	struct pl_counts c;   /* the whole machine */
	struct pl_counts fc;  /* the followed subtree: what the user asked about */
	/* released processes kept, oldest first, on hnext: the notable
	 * (orphans, double forks, the killed) in a list of their own, so a
	 * storm of ordinary lives does not push them out of the tree, and the
	 * long zombies in a third, so a storm of orphans does not either */
	struct kept_list {
		struct pl_proc *head, *tail;
		size_t n;
	} kept, notable, long_zombies;
	/* nodes freed lately, on hnext, for the next ones made: a storm frees
	 * one and makes one per process, past what malloc keeps at hand */
	struct pl_proc *spare;
	size_t nspare;
	struct pl_zombie_rec zrecs[PL_TOP_ZOMBIES];
	size_t nzrecs;
	struct pl_neglect_rec nrecs[PL_TOP_NEGLECT];
	size_t nnrecs;
	struct pl_orphan_rec orecs[PL_MAX_ORPHAN_RECS];
	size_t norecs;
	unsigned long long orecs_more;
	struct strtab strings; /* paths, command lines, names processes share */
	struct pl_cgroup_rec cgrecs[PL_MAX_CGROUP_RECS];
	size_t ncgrecs;
	unsigned long long cgrecs_more;
	struct usage_top top_cpu[PL_SCOPES], top_rss[PL_SCOPES];
	struct pl_fail_rec frecs[PL_MAX_FAIL_RECS];
	size_t nfrecs;
	unsigned long long frecs_more[PL_SCOPES];
	/* failed execs whose process has neither exec'd nor ended since */
	struct pending_fail *pending;
	size_t npending, pending_cap;
	/* orphanings no record told, not yet told to the views */
	struct pending_orphan *porph;
	size_t nporph, porph_cap;
	/* children told adopted before their middle's exit was (an exit told
	 * at its last switch, after the adoptions): a double fork is decided
	 * when that exit comes. The oldest give way to new ones */
	struct early_orphan {
		struct df_child c;
		__u64 ts; /* its adoption's time */
		__u8 adopter;
	} early[EARLY_ORPHANS];
	size_t nearly;
	/* one that gave way to a newer one: let go once the record that made
	 * room is done with (releasing it may release its adopter, which the
	 * record may be about to link a child under) */
	struct {
		__u32 pid; /* 0: none */
		__u64 start;
	} early_gone;
};

struct pending_orphan {
	struct pl_event e; /* the conclusion (pid 0: the record came after all) */
	bool followed;     /* its process was in the followed subtree */
};

struct pending_fail {
	const struct pl_proc *p;
	struct pl_fail_rec *r;
};

/* a fact about p: it counts for the machine, and for the followed
 * subtree when p is in it; pl_model_follow adds the facts of processes
 * it takes in afterwards (model_count_followed) */
#define COUNT(m, p, field) COUNT_N(m, p, field, 1)
#define COUNT_N(m, p, field, n)                                         \
	do {                                                            \
		(m)->c.field += (n);                                    \
		if ((p) && ((p)->flags & PL_P_FOLLOWED))                \
			(m)->fc.field += (n);                           \
	} while (0)

/* what malloc takes for n bytes: rounded up to 16, plus its own 8 */
static inline size_t heap_size(size_t n)
{
	return (n + 8 + 15) & ~(size_t)15;
}

/* table.c: the process table and the tree links */
int table_init(struct pl_model *m);
void table_destroy(struct pl_model *m);
struct pl_proc *table_life(const struct pl_model *m, __u32 pid, __u64 start);
struct pl_proc *table_newest(const struct pl_model *m, __u32 pid);
struct pl_proc *table_unreaped(const struct pl_model *m, __u32 pid, __u32 reaper);
size_t table_older(const struct pl_model *m, __u32 pid, __u64 start, struct pl_proc **out,
		   size_t max);
struct pl_proc *table_add(struct pl_model *m, __u32 pid, __u64 start);
void table_unhash(struct pl_model *m, struct pl_proc *p);
void table_remove(struct pl_model *m, struct pl_proc *p);
void proc_drop_filename(struct pl_model *m, struct pl_proc *p);
struct pl_proc *table_next(const struct pl_model *m, const struct pl_proc *prev);
void tree_link(struct pl_proc *child, struct pl_proc *parent);
void tree_unlink(struct pl_proc *child);
void zlist_add(struct pl_model *m, struct pl_proc *p);
/* the moment zombie p crosses the threshold */
static inline __u64 zlist_at(const struct pl_model *m, const struct pl_proc *p)
{
	return p->zombie_ts + m->zombie_ns;
}
void zlist_due(struct pl_model *m, struct pl_proc *p);
bool model_zparent_gone(const struct pl_model *m, const struct pl_proc *p, __u64 at);
void zlist_del(struct pl_model *m, struct pl_proc *p);
void proc_set_filename(struct pl_model *m, struct pl_proc *p, const char *name, size_t max);
/* lets go of p and the strings it holds */
void proc_free(struct pl_model *m, struct pl_proc *p);
/* frees the nodes proc_free kept for reuse */
void table_free_spares(struct pl_model *m);

/* pending_orphans.c: an orphaning no record told is told to the views once
 * its record had its time to come (p->reparent_ts: when it was seen) */
void orphan_pending(struct pl_model *m, struct pl_proc *p);
/* the reparent record of (pid, start) came: it tells the orphaning */
void orphan_record_came(struct pl_model *m, __u32 pid, __u64 start);
/* those whose time has passed by now, the records' time (~0ULL: all) */
void orphans_settle(struct pl_model *m, __u64 now);
void orphans_destroy(struct pl_model *m);

/* agg.c: bounded tables for the summary */
/* a reference to p's whole name for a record that outlives p; NULL: its
 * comm is whole */
const char *agg_name_ref(const struct pl_proc *p);
void agg_zombie(struct pl_model *m, struct pl_proc *p);
void agg_neglect(struct pl_model *m, const struct pl_proc *parent, __u32 pid, __u64 start,
		 unsigned count, __u64 ns);
void agg_orphan(struct pl_model *m, const struct pl_proc *p, __u32 old_parent,
		__u32 new_parent, unsigned adopter);
/* the neglect kept of a released parent is a lower bound */
void agg_neglect_at_least(struct pl_model *m, __u32 pid, __u64 start);
/* the record of p's orphaning came after it was counted from a later one
 * (as from old_parent): what it says of the old parent and adopter is exact */
void agg_orphan_told(struct pl_model *m, const struct pl_proc *p, __u32 counted_from,
		     unsigned adopter);
/* a double fork decided once its middle's exit came, after the orphaning
 * from that middle was recorded */
void agg_orphan_double_fork(struct pl_model *m, __u32 pid, __u64 start, __u32 middle);
/* agg_context.c: where long zombies and orphans come from, who used the
 * most, which execs fail */
void agg_cgroup_long(struct pl_model *m, const struct pl_proc *p);
void agg_cgroup_zombie_time(struct pl_model *m, const struct pl_proc *p, bool add);
void agg_cgroup_orphan(struct pl_model *m, const struct pl_proc *p);
void agg_usage(struct pl_model *m, const struct pl_proc *p);
void agg_fail(struct pl_model *m, const struct pl_proc *p, const char *file, __s32 err);
/* p's failed execs since its last exec are settled: found (it exec'd),
 * or they stood (it ended, or is let go) */
void agg_fails_settle(struct pl_model *m, const struct pl_proc *p, bool found);
/* p joins the followed subtree: its facts so far count there too */
void agg_context_follow(struct pl_model *m, const struct pl_proc *p);
void agg_context_destroy(struct pl_model *m);
/* lets go of what the tables of agg.c hold */
void agg_destroy(struct pl_model *m);

/* context.c: who a process is, what it runs, what it used, who ended it */
void context_who(struct pl_model *m, struct pl_proc *p, const struct pl_event *e);
void context_maker_who(struct pl_proc *maker, const struct pl_event *e);
void context_inherit(struct pl_model *m, struct pl_proc *child, const struct pl_proc *parent);
/* its whole name now is that of its birth (comm0's) */
void context_birth_name(struct pl_model *m, struct pl_proc *p);
void context_exec(struct pl_model *m, struct pl_proc *p, const struct pl_event *e);
void context_exit(struct pl_model *m, struct pl_proc *p, const struct pl_event *e);
void context_exec_failed(struct pl_model *m, struct pl_proc *p, const struct pl_event *e);
void context_drop(struct pl_model *m, struct pl_proc *p);

/* model.c */
/* what the model could not do, handed to o.problem */
void model_problem(struct pl_model *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void model_conclude(struct pl_model *m, const struct pl_event *e);
void model_release(struct pl_model *m, struct pl_proc *p);
void model_flag_long(struct pl_model *m, struct pl_proc *p, __u64 now);
void model_uncertain(struct pl_model *m, unsigned reason);
void model_follow_proc(struct pl_model *m, struct pl_proc *p);
void model_count_end(struct pl_counts *c, int status);

/* history.c: released processes kept for the tree */
void history_add(struct pl_model *m, struct pl_proc *p);
void history_destroy(struct pl_model *m);

/* rules.c: one handler per record kind */
void rules_feed(struct pl_model *m, const struct pl_event *e);
/* p, adopted before its middle's exit was told, waits in the table for it */
bool early_orphan_pending(const struct pl_model *m, const struct pl_proc *p);

/* its end was a signal's (0x7f is a stop, not an end) */
static inline bool proc_killed(const struct pl_proc *p)
{
	unsigned sig = (unsigned)p->status & 0x7f;

	return (p->flags & PL_P_HAS_STATUS) && sig && sig != 0x7f;
}

#endif
