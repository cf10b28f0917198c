/* SPDX-License-Identifier: BSD-2-Clause */
/* The version of this build, from the VERSION file (one place for it). */
#ifndef PL_VERSION_H
#define PL_VERSION_H

/* "0.1.0" */
extern const char pl_version[];

#endif
