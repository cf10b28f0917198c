// SPDX-License-Identifier: BSD-2-Clause
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "capture/cgroups.h"
#include "events.h"

/* exportfs's handle type for kernfs: the cgroup id is the handle */
#define FILEID_KERNFS 0xfe
/* cgroups named at once; past this the names start again from none */
#define NAMES_KEPT 65536
/* cgroups a walk of the hierarchy names at most, and how deep it goes */
#define WALK_MAX (NAMES_KEPT / 4)
#define WALK_DEPTH 64
/* a lookup that needs a privilege the tracer no longer has walks the
 * hierarchy instead, at most this often */
#define WALK_EVERY_S 5

struct name {
	__u64 id;      /* 0: free slot */
	char *path;    /* NULL: the cgroup was gone when asked, or see next */
	bool unwalked; /* not named for want of the privilege, and not walked
			  for yet (the last walk was too recent): asked again */
};

struct pl_cgroups {
	int mount_fd;     /* the unified hierarchy's mount, -1: none */
	char *mount_path; /* where it is mounted */
	char *root;       /* the mount's root within the hierarchy */
	struct name *names;
	struct name *last; /* the slot the last lookup found: a storm's lines name one cgroup */
	size_t n;
	long walked;        /* CLOCK_MONOTONIC s of the last walk of the hierarchy */
	size_t walk_named;  /* cgroups the walk named so far */
	bool walk_complete; /* the last walk named every cgroup there was */
};

static void walk(struct pl_cgroups *cg);

/* mountinfo escapes blanks and backslashes as \ooo */
static void unescape(char *s)
{
	char *out = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*out++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*out++ = *s;
		}
	}
	*out = 0;
}

/* the first cgroup2 mount in this process's view: its root and place */
static void find_unified(struct pl_cgroups *cg)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL;
	size_t cap = 0;

	while (f && getline(&line, &cap, f) > 0) {
		char root[4096], at[4096];
		const char *dash = strstr(line, " - ");

		if (!dash || strncmp(dash, " - cgroup2 ", 11) ||
		    sscanf(line, "%*s %*s %*s %4095s %4095s", root, at) != 2)
			continue;
		unescape(root);
		unescape(at);
		cg->mount_fd = open(at, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (cg->mount_fd < 0)
			continue;
		cg->mount_path = strdup(at);
		cg->root = strdup(root);
		break;
	}
	free(line);
	if (f)
		fclose(f);
}

struct pl_cgroups *pl_cgroups_new(void)
{
	struct pl_cgroups *cg = calloc(1, sizeof(*cg));

	if (!cg)
		return NULL;
	cg->mount_fd = -1;
	cg->names = calloc(NAMES_KEPT, sizeof(*cg->names));
	if (!cg->names) {
		free(cg);
		return NULL;
	}
	find_unified(cg);
	walk(cg);
	return cg;
}

static void forget_names(struct pl_cgroups *cg)
{
	for (size_t i = 0; i < NAMES_KEPT; i++) {
		free(cg->names[i].path);
		cg->names[i].id = 0;
		cg->names[i].path = NULL;
		cg->names[i].unwalked = false;
	}
	cg->n = 0;
}

void pl_cgroups_free(struct pl_cgroups *cg)
{
	if (!cg)
		return;
	forget_names(cg);
	free(cg->names);
	if (cg->mount_fd >= 0)
		close(cg->mount_fd);
	free(cg->mount_path);
	free(cg->root);
	free(cg);
}

/* a path below the mount (rel: "" or "/a/b") as the hierarchy names it;
 * NULL past what a log holds (PL_PATH_MAX with its NUL), as a record's
 * path would be: not known, rather than cut */
static char *hierarchy_path(const struct pl_cgroups *cg, const char *rel)
{
	bool at_root = !strcmp(cg->root, "/");
	size_t len = (at_root ? 0 : strlen(cg->root)) + (*rel || !at_root ? strlen(rel) : 1);
	char *out;

	if (len >= PL_PATH_MAX)
		return NULL;
	if (at_root)
		return strdup(*rel ? rel : "/");
	out = malloc(len + 1);
	if (out)
		sprintf(out, "%s%s", cg->root, rel);
	return out;
}

__u64 pl_cgroup_id_at(const struct pl_cgroups *cg, const char *path)
{
	struct stat st;
	const char *rel;
	size_t n;

	if (cg->mount_fd < 0 || *path != '/')
		return 0;
	n = strcmp(cg->root, "/") ? strlen(cg->root) : 0; /* the mount's root, a prefix */
	rel = path + n;
	if (strncmp(path, cg->root, n) || (*rel && *rel != '/'))
		return 0;
	while (*rel == '/')
		rel++;
	/* the directory's inode is the cgroup's kernfs id */
	return fstatat(cg->mount_fd, *rel ? rel : ".", &st, 0) ? 0 : (__u64)st.st_ino;
}

/* the cgroup's path through its handle, or NULL when it is gone (errno
 * EPERM: the handle needs CAP_DAC_READ_SEARCH, which the tracer dropped) */
static char *look_up(const struct pl_cgroups *cg, __u64 id)
{
	union {
		struct file_handle fh;
		char room[sizeof(struct file_handle) + sizeof(__u64)];
	} h;
	char link[64], path[4096 + 1];
	size_t at_len = strlen(cg->mount_path);
	ssize_t n;
	int fd;

	h.fh.handle_bytes = sizeof(id);
	h.fh.handle_type = FILEID_KERNFS;
	memcpy(h.fh.f_handle, &id, sizeof(id));
	fd = open_by_handle_at(cg->mount_fd, &h.fh, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path) - 1);
	close(fd);
	if (n <= 0 || n >= (ssize_t)sizeof(path) - 1)
		return NULL; /* none, or perhaps cut */
	path[n] = 0;
	if (strncmp(path, cg->mount_path, at_len) || (path[at_len] && path[at_len] != '/'))
		return NULL; /* outside the mount: not a path in the hierarchy */
	return hierarchy_path(cg, path + at_len);
}

/* id's slot: its own, or the free one it would take */
static struct name *slot(struct pl_cgroups *cg, __u64 id)
{
	size_t i;

	if (cg->n >= NAMES_KEPT / 2)
		forget_names(cg);
	for (i = (id * 0x9e3779b97f4a7c15ULL) % NAMES_KEPT; cg->names[i].id;
	     i = (i + 1) % NAMES_KEPT)
		if (cg->names[i].id == id)
			return &cg->names[i];
	return &cg->names[i];
}

static void learn_owned(struct pl_cgroups *cg, __u64 id, char *path)
{
	struct name *nm = slot(cg, id);

	if (!nm->id)
		cg->n++;
	nm->id = id;
	free(nm->path);
	nm->path = path;
	nm->unwalked = false;
}

static long monotonic_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec;
}

/* the cgroup at fd (rel: its path below the mount, len bytes of room):
 * its id is its handle, which needs no privilege; then the cgroups below
 * it, directories alone. false: enough named, stop */
static bool walk_dir(struct pl_cgroups *cg, int fd, char *rel, size_t len, size_t room,
		     unsigned depth)
{
	union {
		struct file_handle fh;
		char room[sizeof(struct file_handle) + sizeof(__u64)];
	} h;
	struct dirent *de;
	__u64 id;
	char *path;
	int mount_id, sub;
	DIR *d;

	h.fh.handle_bytes = sizeof(id);
	if (!name_to_handle_at(fd, "", &h.fh, &mount_id, AT_EMPTY_PATH) &&
	    h.fh.handle_type == FILEID_KERNFS && h.fh.handle_bytes == sizeof(id)) {
		memcpy(&id, h.fh.f_handle, sizeof(id));
		if (id && (path = hierarchy_path(cg, rel)))
			learn_owned(cg, id, path);
		if (++cg->walk_named >= WALK_MAX)
			return false;
	}
	/* its own open of the directory: a dup would share the offset the
	 * last walk left at its end, and list nothing */
	if (depth >= WALK_DEPTH ||
	    (sub = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return true;
	if (!(d = fdopendir(sub))) {
		close(sub);
		return true;
	}
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		bool go;

		if (de->d_type != DT_DIR || !strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
		    len + 1 + n >= room)
			continue;
		sub = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0)
			continue;
		rel[len] = '/';
		memcpy(rel + len + 1, de->d_name, n + 1);
		go = walk_dir(cg, sub, rel, len + 1 + n, room, depth + 1);
		close(sub);
		rel[len] = 0;
		if (!go) {
			closedir(d);
			return false;
		}
	}
	closedir(d);
	return true;
}

/* every cgroup there is now, named: the ones with no process yet too,
 * whose handle the tracer may no longer be allowed to open when one comes */
static void walk(struct pl_cgroups *cg)
{
	char rel[4096] = "";

	if (cg->mount_fd < 0)
		return;
	cg->walked = monotonic_s();
	cg->walk_named = 0;
	cg->walk_complete = walk_dir(cg, cg->mount_fd, rel, 0, sizeof(rel), 0);
}

static bool may_walk(const struct pl_cgroups *cg)
{
	return monotonic_s() - cg->walked >= WALK_EVERY_S;
}

const char *pl_cgroup_path(struct pl_cgroups *cg, __u64 id)
{
	struct name *nm;

	if (!id)
		return NULL;
	if (cg->last && cg->last->id == id)
		return cg->last->path; /* a slot keeps its id until every name is forgotten */
	nm = slot(cg, id);
	if (nm->id && !(nm->unwalked && may_walk(cg))) {
		if (!nm->unwalked)
			cg->last = nm;
		return nm->path;
	}
	if (!nm->id)
		cg->n++;
	nm->id = id;
	nm->unwalked = false;
	/* ids are never reused: a miss stays one, unless for want of the
	 * privilege */
	errno = 0;
	nm->path = cg->mount_fd >= 0 ? look_up(cg, id) : NULL;
	if (nm->path || errno != EPERM)
		return nm->path;
	if (!may_walk(cg)) {
		nm->unwalked = true; /* named by the next walk, when one may be */
		return NULL;
	}
	/* names forgotten since the walk at the start (or it stopped early),
	 * or made since the last: the walk names what still exists */
	walk(cg);
	nm = slot(cg, id);
	if (!nm->id) {
		nm->id = id;
		cg->n++;
	}
	return nm->path;
}

bool pl_cgroups_there(const struct pl_cgroups *cg, const char *path)
{
	size_t len = strlen(path);

	if (cg->mount_fd < 0 || !cg->walk_complete)
		return true; /* no hierarchy to look in, or not all of it named */
	for (size_t i = 0; i < NAMES_KEPT; i++) {
		const char *p = cg->names[i].path;

		if (p && !strncmp(p, path, len) && (!p[len] || p[len] == '/' || len == 1))
			return true;
	}
	return false;
}

void pl_cgroups_learn(struct pl_cgroups *cg, __u64 id, const char *path)
{
	char *copy;

	if (id && (copy = strdup(path)))
		learn_owned(cg, id, copy);
}
