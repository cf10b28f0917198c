// SPDX-License-Identifier: BSD-2-Clause
/* Writes the manifest described in manifest.h, one run at a time. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>
#include "util/diag.h"
#include "util/json.h"
#include "util/names.h"
#include "util/status.h"
#include "workload/manifest.h"

/* an object being written: knows whether a comma is due */
struct obj {
	FILE *f;
	int n;
};

static void key(struct obj *o, const char *k)
{
	fputs(o->n++ ? ", " : "", o->f);
	json_put_string(o->f, k);
	fputs(": ", o->f);
}

static void num(struct obj *o, const char *k, long long v)
{
	key(o, k);
	fprintf(o->f, "%lld", v);
}

static void str(struct obj *o, const char *k, const char *v)
{
	key(o, k);
	json_put_string(o->f, v);
}

static void flag(struct obj *o, const char *k, int v)
{
	key(o, k);
	fputs(v ? "true" : "false", o->f);
}

static struct obj open_obj(FILE *f)
{
	fputc('{', f);
	return (struct obj){ f, 0 };
}

FILE *manifest_open(const char *path, const struct wl_opts *opt)
{
	/* like the tracer's files: private, never through a symlink */
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
	char comm[WL_COMM_LEN] = "";
	struct obj o, g, p;
	pid_t ppid = 0;

	if (!f) {
		if (errno == ELOOP)
			error("cannot open '%s' for writing: it is a symbolic link, not followed", path);
		else
			error_errno("cannot open '%s' for writing", path);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	prctl(PR_GET_NAME, comm);
	o = open_obj(f);
	str(&o, "format", "proclife-workload-manifest");
	num(&o, "version", 1);
	key(&o, "generator");
	g = open_obj(f);
	num(&g, "pid", getpid());
	num(&g, "start_ticks", wl_stat_start(getpid(), &ppid, NULL));
	num(&g, "ppid", ppid);
	str(&g, "comm", comm);
	str(&g, "exe", wl_self_exe);
	fputc('}', f);
	num(&o, "clk_tck", 1000000000L / wl_tick_ns);
	num(&o, "tick_ns", wl_tick_ns);
	flag(&o, "root", wl_is_root());
	num(&o, "ns_init", wl_ns_init);
	key(&o, "options");
	p = open_obj(f);
	num(&p, "n", opt->n);
	num(&p, "hold_ms", opt->hold_ms);
	num(&p, "workers", opt->workers);
	num(&p, "tasks", opt->tasks);
	num(&p, "rate", opt->rate);
	num(&p, "seconds", opt->seconds);
	fputc('}', f);
	fputs(",\n\"runs\": [", f);
	return f;
}

static void put_status(struct obj *o, int status)
{
	struct pl_status s = pl_status_decode(status);
	const char *name;

	num(o, "status", status);
	if (!s.signaled) {
		num(o, "code", s.code);
		return;
	}
	num(o, "signal", s.signal);
	name = pl_signal_name(s.signal);
	if (name)
		str(o, "signame", name);
	flag(o, "core", s.core);
}

static void put_reaper(struct obj *o, const struct wl_rec *r)
{
	char buf[40];

	switch (r->reaper) {
	case WL_REAP_PID:
		num(o, "reaper", r->reaper_pid);
		break;
	case WL_REAP_INIT:
		str(o, "reaper", "init");
		break;
	case WL_REAP_SUBREAPER:
		snprintf(buf, sizeof(buf), "subreaper:%d", (int)r->reaper_pid);
		str(o, "reaper", buf);
		break;
	case WL_REAP_AUTO:
		str(o, "reaper", "auto");
		str(o, "auto", r->auto_mode == 2 ? "nocldwait" : "sig_ign");
		break;
	default:
		return;
	}
	num(o, "reaper_pid", r->reaper_pid);
	if (r->reap_seq)
		num(o, "reap_seq", r->reap_seq);
}

static void put_proc(FILE *f, const struct wl_rec *r)
{
	struct obj o = open_obj(f), s;

	str(&o, "role", r->role);
	num(&o, "pid", r->pid);
	if (r->ns_pid)
		num(&o, "ns_pid", r->ns_pid);
	num(&o, "parent", r->parent);
	str(&o, "comm", r->comm);
	if (r->start_ticks >= 0)
		num(&o, "start_ticks", r->start_ticks);
	key(&o, "fork_ns");
	fprintf(f, "[%llu, %llu]", (unsigned long long)r->fork_lo, (unsigned long long)r->fork_hi);
	if (r->status_set) {
		put_status(&o, r->status);
		flag(&o, "status_seen", r->status_set == 2);
	}
	put_reaper(&o, r);
	if (r->in_handler)
		flag(&o, "in_handler", 1);
	if (r->nohang)
		flag(&o, "nohang", 1);
	num(&o, "hold_ms", r->hold_ms);
	if (r->exit_seen_ns)
		num(&o, "exit_seen_ns", (long long)r->exit_seen_ns);
	if (r->zombie_seen_ns)
		num(&o, "zombie_seen_ns", (long long)r->zombie_seen_ns);
	if (r->reaped_ns)
		num(&o, "reaped_ns", (long long)r->reaped_ns);
	if (r->killed_by)
		num(&o, "killed_by", r->killed_by);
	if (r->kill_reason)
		str(&o, "kill_reason", r->kill_reason == WL_KILL_FAULT ? "fault" : "process");
	num(&o, "uid", r->uid);
	num(&o, "gid", r->gid);
	if (r->moved_cgroup ? wl_moved_cgroup[0] : wl_cgroup[0])
		str(&o, "cgroup", r->moved_cgroup ? wl_moved_cgroup : wl_cgroup);
	if (r->usage) {
		key(&o, "usage");
		s = open_obj(f);
		num(&s, "burned_ms", r->burned_ms);
		num(&s, "touched_kb", r->touched_kb);
		num(&s, "self_cpu_ns", (long long)r->self_cpu_ns);
		num(&s, "reaped_cpu_ns", (long long)r->reaped_cpu_ns);
		num(&s, "reaped_maxrss_kb", r->reaped_maxrss_kb);
		fputc('}', f);
	}
	if (r->orphan) {
		key(&o, "orphan");
		s = open_obj(f);
		num(&s, "old_parent", r->old_parent);
		num(&s, "new_parent", r->new_parent);
		str(&s, "adopter", r->adopter == WL_REAP_INIT ? "init" : "subreaper");
		flag(&s, "as_zombie", r->as_zombie);
		fputc('}', f);
	}
	if (r->exec) {
		key(&o, "exec");
		s = open_obj(f);
		str(&s, "filename", r->exec_file);
		str(&s, "comm", r->exec_comm);
		num(&s, "tid", r->exec_tid);
		fputc('}', f);
	}
	if (r->vfork) {
		key(&o, "vfork");
		s = open_obj(f);
		num(&s, "suspended_ns", (long long)r->suspended_ns);
		fputc('}', f);
	}
	if (r->nice_set)
		num(&o, "nice", r->nice);
	if (r->task)
		num(&o, "tasks", r->task);
	if (r->reused_from)
		num(&o, "reused_from", r->reused_from);
	fputc('}', f);
}

static void put_thread(FILE *f, const struct wl_rec *r)
{
	struct obj o = open_obj(f);

	str(&o, "role", r->role);
	num(&o, "tid", r->pid);
	num(&o, "pid", r->parent);
	flag(&o, "process", 0);
	flag(&o, "joined", r->joined);
	flag(&o, "exec_gone", r->exec_gone);
	flag(&o, "lives_until_exit", r->lives_until_exit);
	fputc('}', f);
}

static void put_list(FILE *f, const char *name, int threads)
{
	int n = *wl_nrecs, count = 0;

	fprintf(f, ",\n  \"%s\": [", name);
	for (int i = 0; i < n && i < WL_MAX_RECS; i++) {
		const struct wl_rec *r = &wl_recs[i];

		if (!r->used || r->thread != threads)
			continue;
		fputs(count++ ? ",\n    " : "\n    ", f);
		if (threads)
			put_thread(f, r);
		else
			put_proc(f, r);
	}
	fputs(count ? "\n  ]" : "]", f);
}

void manifest_run(FILE *f, const struct wl_run *run)
{
	static int runs;
	struct obj o, facts;

	fputs(runs++ ? ",\n" : "\n", f);
	o = open_obj(f);
	str(&o, "scenario", run->scenario);
	str(&o, "result", run->result);
	if (run->reason[0])
		str(&o, "reason", run->reason);
	num(&o, "begin_ns", (long long)run->begin_ns);
	num(&o, "end_ns", (long long)run->end_ns);
	fputs(",\n  ", f);
	o.n = 0;
	key(&o, "facts");
	facts = open_obj(f);
	for (int i = 0; i < run->nfacts; i++) {
		if (run->facts[i].is_str)
			str(&facts, run->facts[i].key, run->facts[i].str);
		else
			num(&facts, run->facts[i].key, run->facts[i].num);
	}
	fputc('}', f);
	put_list(f, "procs", 0);
	put_list(f, "threads", 1);
	fputs("}", f);
	fflush(f);
}

int manifest_close(FILE *f, const char *result)
{
	fprintf(f, "\n],\n\"result\": \"%s\"}\n", result);
	if (fclose(f) != 0)
		return error_errno("cannot write the manifest");
	return 0;
}
