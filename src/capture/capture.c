// SPDX-License-Identifier: BSD-2-Clause
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <bpf/btf.h>
#include "capture/capture.h"
#include "capture/cgroups.h"
#include "capture/init_proc.h"
#include "capture/iter_records.h"
#include "capture/kernel_probe.h"
#include "capture/preflight.h"
#include "capture/record.h"
#include "capture/skipped_runs.h"
#include "capture/waits_left.h"
#include "mechanisms.h"
#include "proclife.skel.h"
#include "records.h"
#include "util/diag.h"
#include "util/names.h"

#define DEFAULT_BTF "/sys/kernel/btf/vmlinux"

struct pl_capture {
	struct proclife_bpf *skel;
	struct ring_buffer *rb;
	unsigned mechanisms; /* PL_M_* in use */
	unsigned long long unreadable; /* records this build could not read */
	unsigned long long records, bytes; /* what the ring carried */
	struct pl_records *records_state;  /* what reading keeps between records */
	struct pl_cgroups *cgroups;        /* cgroup ids to paths */
	pl_event_fn fn;
	void *ctx;
	struct bpf_link *wait_hash_link; /* dump_wait_hash, on wait_counts */
	/* the end's listings of wait counts, opened while bpf() is allowed */
	int waits_in_leaders, waits_in_hash; /* -1: none */
	struct pl_skipped_runs *skipped;  /* runs the kernel skipped */
	unsigned long long skipped_said;  /* their count at the last read */
	unsigned long long skipped_read_ns; /* that read's time (CLOCK_MONOTONIC) */
};

static bool verbose_libbpf;
/* the program libbpf last said it failed to load */
static char unloaded_prog[64];

/* "libbpf: prog 'NAME': failed to load: ..." (or "BPF program load
 * failed"), at warning level: NAME kept. Other warnings about a program
 * (a map it could not bind) are ones libbpf goes on after */
static void note_unloaded_prog(const char *fmt, va_list ap)
{
	char line[256];
	const char *at, *end;

	if (vsnprintf(line, sizeof(line), fmt, ap) <= 0 ||
	    (!strstr(line, "': failed to load") && !strstr(line, "': BPF program load failed")))
		return;
	at = strstr(line, "prog '");
	end = at ? strstr(at + 6, "': ") : NULL;
	if (end && (size_t)(end - at - 6) < sizeof(unloaded_prog)) {
		memcpy(unloaded_prog, at + 6, (size_t)(end - at - 6));
		unloaded_prog[end - at - 6] = 0;
	}
}

static int print_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_WARN) {
		va_list copy;

		va_copy(copy, ap);
		note_unloaded_prog(fmt, copy);
		va_end(copy);
	}
	if (!verbose_libbpf)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/* the cgroup's path, from its id, while the cgroup still exists */
static void name_cgroup(struct pl_capture *c, struct pl_event *e)
{
	if (e->flags & PL_F_WHO)
		e->cgroup = pl_cgroup_path(c->cgroups, e->cgroup_id);
}

static int on_record(void *ctx, void *data, size_t size)
{
	struct pl_capture *c = ctx;
	struct pl_event e[PL_RECORD_EVENTS];
	const struct pl_rec_cgroup *cgrp = data;
	int n;

	c->records++;
	/* the ring's own 8-byte header, and the rounding up to 8 */
	c->bytes += (size + 8 + 7) & ~(size_t)7;
	if (size >= sizeof(*cgrp) && cgrp->h.kind == PL_REC_CGROUP) {
		if (cgrp->path_len && cgrp->path_len <= sizeof(cgrp->path) &&
		    !cgrp->path[cgrp->path_len - 1])
			pl_cgroups_learn(c->cgroups, cgrp->id, cgrp->path);
		return 0;
	}
	n = pl_record_events(c->records_state, data, size, e);
	if (n < 0) {
		c->unreadable++;
		return 0;
	}
	for (int i = 0; i < n; i++) {
		name_cgroup(c, &e[i]);
		if (c->fn(c->ctx, &e[i]) < 0)
			return -1;
	}
	return 0;
}

static void close_wait_listings(struct pl_capture *c)
{
	if (c->waits_in_leaders >= 0)
		close(c->waits_in_leaders);
	if (c->waits_in_hash >= 0)
		close(c->waits_in_hash);
	c->waits_in_leaders = c->waits_in_hash = -1;
}

/* the files the end reads the wait counts of running processes from:
 * opened now, as later the tracer may no longer call bpf(). Without the
 * map element iterator, or if its file cannot be opened, the end reads
 * the hash itself */
static void open_wait_listings(struct pl_capture *c)
{
	union bpf_iter_link_info map = { .map.map_fd = bpf_map__fd(c->skel->maps.wait_counts) };
	LIBBPF_OPTS(bpf_iter_attach_opts, to_map, .link_info = &map, .link_info_len = sizeof(map));
	struct bpf_link *leaders = c->skel->links.dump_waits;

	if (c->mechanisms & PL_M_MAP_ITER) {
		c->wait_hash_link = bpf_program__attach_iter(c->skel->progs.dump_wait_hash, &to_map);
		if (c->wait_hash_link)
			c->waits_in_hash = bpf_iter_create(bpf_link__fd(c->wait_hash_link));
	}
	if (leaders)
		c->waits_in_leaders = bpf_iter_create(bpf_link__fd(leaders));
	if (leaders && c->waits_in_leaders < 0)
		pl_waits_left_unlisted(errno);
}

/* the step of loading that failed ("load", "attach"; NULL: another,
 * whose error was said), the errno it gave, and the program the kernel
 * refused ("": not known) */
struct failed_step {
	const char *what;
	int err;
	char prog[64];
};

/* the program a failed load stopped at: the one libbpf named, if the
 * kernel has not taken it */
static void find_unloaded(struct pl_capture *c, struct failed_step *f)
{
	struct bpf_program *prog = bpf_object__find_program_by_name(c->skel->obj, unloaded_prog);

	if (unloaded_prog[0] && prog && bpf_program__autoload(prog) && bpf_program__fd(prog) < 0)
		snprintf(f->prog, sizeof(f->prog), "%s", unloaded_prog);
}

/* the program a failed attach stopped at: the first of those it attaches
 * (in the skeleton's order) left without a link */
static void find_unattached(struct pl_capture *c, struct failed_step *f)
{
	const struct bpf_object_skeleton *s = c->skel->skeleton;

	for (int i = 0; i < s->prog_cnt; i++) {
		struct bpf_program *prog = *s->progs[i].prog;

		if (bpf_program__autoload(prog) && bpf_program__autoattach(prog) &&
		    !*s->progs[i].link) {
			snprintf(f->prog, sizeof(f->prog), "%s", bpf_program__name(prog));
			return;
		}
	}
}

static void failed(struct pl_capture *c, struct failed_step *f, const char *what, int err)
{
	f->what = what;
	f->err = err;
	if (!strcmp(what, "load"))
		find_unloaded(c, f);
	else
		find_unattached(c, f);
}

/* the skeleton opened, its programs and maps for c->mechanisms chosen,
 * loaded and attached, and the ring buffer read; on failure, nothing is
 * left of them and f says which step failed */
static int load_and_attach(struct pl_capture *c, const struct pl_capture_opts *opts,
			   struct failed_step *f)
{
	LIBBPF_OPTS(bpf_object_open_opts, open_opts);
	int err;

	unloaded_prog[0] = 0;
	f->what = NULL;
	f->prog[0] = 0;
	open_opts.btf_custom_path = opts->btf_path;
	c->skel = proclife_bpf__open_opts(&open_opts);
	if (!c->skel)
		return error_errno("cannot open the BPF object");
	if (pl_choose_programs(c->skel->obj, c->mechanisms, opts->wait_records))
		goto fail;
	/* attached below, to its map */
	bpf_program__set_autoattach(c->skel->progs.dump_wait_hash, false);
	c->skel->rodata->follow_only = opts->follow_only;
	/* wake the reader once half the ring is used: the other half takes
	 * what comes while it wakes */
	c->skel->rodata->wakeup_bytes = (unsigned long long)opts->ring_kb * 1024 / 2;
	err = bpf_map__set_max_entries(c->skel->maps.events, opts->ring_kb * 1024);
	if (err) {
		errno = -err;
		error_errno("cannot size the ring buffer to %u KiB", opts->ring_kb);
		goto fail;
	}
	err = proclife_bpf__load(c->skel);
	if (err) {
		failed(c, f, "load", -err);
		goto fail;
	}
	c->rb = ring_buffer__new(bpf_map__fd(c->skel->maps.events), on_record, c, NULL);
	if (!c->rb) {
		error_errno("cannot set up the ring buffer");
		goto fail;
	}
	err = proclife_bpf__attach(c->skel);
	if (err) {
		failed(c, f, "attach", -err);
		goto fail;
	}
	return 0;
fail:
	ring_buffer__free(c->rb);
	c->rb = NULL;
	proclife_bpf__destroy(c->skel);
	c->skel = NULL;
	return -1;
}

/* the mechanisms' names, comma-separated */
static void mechanism_names(unsigned bits, char *buf, size_t len)
{
	const char *name;
	unsigned bit;
	size_t at = 0;

	buf[0] = 0;
	for (unsigned i = 0; pl_mechanism_option(i, &name, &bit); i++)
		if ((bits & bit) && at < len)
			at += (size_t)snprintf(buf + at, len - at, "%s%s", at ? ", " : "", name);
}

/* a program the kernel refused, and what was done without for it */
struct refusal {
	struct failed_step f;
	const char *hook;
	unsigned dropped;
};

#define MAX_REFUSALS 8 /* each drops at least one mechanism */

/* the load that failed last (f): one error line, naming the program it
 * failed on, or else the first the kernel refused before it */
static int cannot_load(const struct pl_capture_opts *opts, const struct failed_step *f,
		       const char *hook, const struct refusal *first)
{
	const char *hint;

	if (!hook && first) {
		f = &first->f;
		hook = first->hook;
	}
	/* each program and map is a descriptor: out of them, the limit is the news */
	hint = f->err == EMFILE		? " (the limit on open files, ulimit -n, is too low)" :
	       opts->verbose		? "" :
	       !strcmp(f->what, "load") ? " (run with -v for the verifier's log)" :
					  " (run with -v for details)";
	errno = f->err;
	if (!hook)
		return error_errno("cannot %s the BPF programs%s", f->what, hint);
	return error_errno("cannot %s the BPF program %s for %s%s", f->what, f->prog, hook, hint);
}

/*
 * Loads, and when the kernel refuses a program the probes said it would
 * take, loads again without the mechanisms that chose it, until it takes
 * them all (each refusal is then said in a warning) or refuses one nothing
 * can replace (one error line).
 */
static int load_what_the_kernel_takes(struct pl_capture *c, const struct pl_capture_opts *opts)
{
	struct refusal refused[MAX_REFUSALS];
	unsigned n = 0;
	char names[128];
	struct failed_step f;

	while (load_and_attach(c, opts, &f)) {
		const char *hook = f.prog[0] ? pl_program_hook(f.prog) : NULL;
		unsigned drop = hook ? pl_mechanisms_refused(f.prog, c->mechanisms) : 0;

		if (!f.what)
			return -1;
		if (!drop || n == MAX_REFUSALS)
			return cannot_load(opts, &f, hook, n ? &refused[0] : NULL);
		refused[n++] = (struct refusal){ .f = f, .hook = hook, .dropped = drop };
		c->mechanisms &= ~drop;
	}
	for (unsigned i = 0; i < n; i++) {
		mechanism_names(refused[i].dropped, names, sizeof(names));
		warning("this kernel refused the BPF program %s (%s): %s; tracing without %s",
			refused[i].f.prog, refused[i].hook, strerror(refused[i].f.err), names);
	}
	return 0;
}

int pl_capture_open(struct pl_capture **out, const struct pl_capture_opts *opts, pl_event_fn fn,
		    void *ctx)
{
	const char *btf_path = opts->btf_path ? opts->btf_path : DEFAULT_BTF;
	struct btf *btf = NULL;
	struct pl_capture *c;
	unsigned mechanisms;
	int err;

	verbose_libbpf = opts->verbose;
	libbpf_set_print(print_libbpf);
	if (pl_check_privileges() || pl_load_btf(btf_path, &btf))
		return -1;
	err = pl_probe_mechanisms(btf, opts->btf_path != NULL, opts->mechanisms, &mechanisms);
	btf__free(btf);
	if (err || pl_ensure_tracefs())
		return -1;

	c = calloc(1, sizeof(*c));
	if (!c)
		return error("out of memory");
	c->waits_in_leaders = c->waits_in_hash = -1;
	c->mechanisms = mechanisms;
	c->fn = fn;
	c->ctx = ctx;
	c->records_state = pl_records_new((unsigned long)sysconf(_SC_PAGESIZE));
	c->cgroups = pl_cgroups_new();
	if (!c->records_state || !c->cgroups) {
		pl_capture_close(c);
		return error("out of memory");
	}
	if (load_what_the_kernel_takes(c, opts)) {
		pl_capture_close(c);
		return -1;
	}
	open_wait_listings(c);
	c->skipped = pl_skipped_runs_open(c->skel->obj);
	if (!c->skipped) {
		pl_capture_close(c);
		return error("out of memory");
	}
	*out = c;
	return 0;
}

void pl_capture_close(struct pl_capture *c)
{
	if (!c)
		return;
	close_wait_listings(c);
	pl_skipped_runs_close(c->skipped);
	bpf_link__destroy(c->wait_hash_link);
	ring_buffer__free(c->rb);
	proclife_bpf__destroy(c->skel);
	pl_records_free(c->records_state);
	pl_cgroups_free(c->cgroups);
	free(c);
}

/*
 * Some kernels' task iterator never visits pid 1 (seen on 6.18 guests). Its
 * children's records carry its exact start time, so it can still be listed
 * with its true identity; the rest of its line comes from /proc.
 */
struct init_watch {
	pl_event_fn fn;
	void *ctx;
	bool seen;
	__u64 start;
	__u64 ts; /* of the pass */
};

static int watch_init(void *ctx, const struct pl_event *e)
{
	struct init_watch *w = ctx;

	w->ts = e->ts;
	if (e->pid == 1)
		w->seen = true;
	else if (e->ppid == 1 && e->pstart)
		w->start = e->pstart;
	return w->fn(w->ctx, e);
}

static int list_init(struct pl_capture *c, struct init_watch *w)
{
	struct pl_event e = { .kind = PL_EV_PROC, .pid = 1, .tid = 1, .start = w->start };

	if (w->seen || !w->start)
		return 0;
	pl_init_from_proc(c->cgroups, &e);
	name_cgroup(c, &e);
	e.ts = w->ts;
	return w->fn(w->ctx, &e);
}

struct snapshot {
	struct pl_capture *c;
	struct init_watch w;
};

static int on_listed(void *ctx, const void *rec)
{
	struct snapshot *s = ctx;
	struct pl_rec_proc r;
	struct pl_event e[PL_RECORD_EVENTS];

	memcpy(&r, rec, sizeof(r));
	if (pl_record_events(s->c->records_state, &r, sizeof(r), e) != 1 ||
	    e[0].kind != PL_EV_PROC) {
		s->c->unreadable++;
		return 0;
	}
	name_cgroup(s->c, &e[0]);
	return watch_init(&s->w, &e[0]) < 0 ? -2 : 0;
}

int pl_capture_snapshot(struct pl_capture *c, pl_event_fn user_fn, void *user_ctx)
{
	struct snapshot s = { .c = c, .w = { .fn = user_fn, .ctx = user_ctx } };
	int fd, ret;

	fd = bpf_iter_create(bpf_link__fd(c->skel->links.dump_task ? c->skel->links.dump_task
								     : c->skel->links.dump_task_compat));
	if (fd < 0)
		return error_errno("cannot list the running processes");
	ret = pl_iter_records(fd, sizeof(struct pl_rec_proc), on_listed, &s, NULL);
	if (ret == -1)
		error_errno("cannot list the running processes");
	else if (!ret)
		ret = list_init(c, &s.w);
	close(fd);
	return ret < 0 ? -1 : 0;
}

int pl_capture_follow(struct pl_capture *c, __u32 tgid, __u64 start)
{
	struct pl_followed f = { .start = { start, 0 } };

	if (bpf_map__update_elem(c->skel->maps.followed, &tgid, sizeof(tgid), &f, sizeof(f),
				 BPF_ANY))
		return error_errno("cannot follow process %u", tgid);
	return 0;
}

void pl_capture_unfollow(struct pl_capture *c, __u32 tgid)
{
	bpf_map__delete_elem(c->skel->maps.followed, &tgid, sizeof(tgid), 0);
}

unsigned pl_capture_mechanisms(const struct pl_capture *c)
{
	return c->mechanisms;
}

bool pl_capture_cgroup_there(const struct pl_capture *c, const char *path)
{
	return pl_cgroups_there(c->cgroups, path);
}

int pl_capture_fd(struct pl_capture *c)
{
	return ring_buffer__epoll_fd(c->rb);
}

int pl_capture_drain(struct pl_capture *c)
{
	return ring_buffer__consume(c->rb);
}

void pl_capture_reader_idle(struct pl_capture *c, bool idle)
{
	__atomic_store_n(&c->skel->bss->reader_idle, idle ? 1 : 0, __ATOMIC_SEQ_CST);
}

/* the skipped runs: a file read per program, which the kernel formats
 * whole (some 5 us each), so while records stream, at most once a second:
 * at 5 a second they took 4 % of the tracer's CPU in a fork storm. A stop
 * reads them exactly */
#define SKIPPED_READ_NS 1000000000ULL

static unsigned long long skipped_runs(struct pl_capture *c, bool exact)
{
	struct timespec now;
	unsigned long long ns;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ns = (unsigned long long)now.tv_sec * 1000000000ULL + (unsigned long long)now.tv_nsec;
	if (exact || ns - c->skipped_read_ns >= SKIPPED_READ_NS) {
		c->skipped_said = pl_skipped_runs_read(c->skipped);
		c->skipped_read_ns = ns;
	}
	return c->skipped_said;
}

void pl_capture_counters(struct pl_capture *c, unsigned long long lost[PL_EV_KINDS],
			 unsigned long long stats[PL_STATS], bool exact)
{
	for (unsigned k = 0; k < PL_EV_KINDS; k++)
		lost[k] = __atomic_load_n(&c->skel->bss->lost[k], __ATOMIC_RELAXED);
	for (unsigned s = 0; s < PL_STATS; s++)
		stats[s] = __atomic_load_n(&c->skel->bss->stats[s], __ATOMIC_RELAXED);
	stats[PL_STAT_KILLS_LOST] += pl_records_kills_forgotten(c->records_state);
	stats[PL_STAT_RUNS_SKIPPED] =
		pl_skipped_runs_counted(c->skipped) ? skipped_runs(c, exact) : PL_NOT_COUNTED;
}

int pl_capture_wait_counts(struct pl_capture *c, pl_event_fn fn, void *ctx, __u64 ts)
{
	int ret = pl_waits_left(c->waits_in_leaders, c->waits_in_hash,
				bpf_map__fd(c->skel->maps.wait_counts), fn, ctx, ts);

	close_wait_listings(c); /* each listing is read once */
	return ret;
}

unsigned long long pl_capture_unreadable(const struct pl_capture *c)
{
	return c->unreadable;
}

void pl_capture_ring(const struct pl_capture *c, unsigned long long *records,
		     unsigned long long *bytes)
{
	*records = c->records;
	*bytes = c->bytes;
}
