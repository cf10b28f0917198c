/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The systemd unit or the container a cgroup path belongs to, as people
 * name them: "nginx.service", "session-3.scope", "docker 0123456789ab".
 * Containers are found by their runtimes' usual paths (docker-ID.scope
 * and /docker/ID, cri-containerd-ID.scope, crio-ID.scope, libpod-ID.scope,
 * a kubepods pod's ID), with the ID's first 12 characters as docker ps
 * shows them; a unit is the path's last part that ends in .service or
 * .scope. A container wins over the unit it runs in.
 */
#ifndef PL_CGROUP_LABEL_H
#define PL_CGROUP_LABEL_H

#include <stddef.h>

/* path's unit or container into buf; NULL when it has neither */
const char *cgroup_label(const char *path, char *buf, size_t len);

#endif
