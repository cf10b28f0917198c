/* SPDX-License-Identifier: BSD-2-Clause */
/* Names of event kinds, adopters and signals, as the log and the screen spell them. */
#ifndef PL_NAMES_H
#define PL_NAMES_H

#include <stddef.h>
#include "events.h"

const char *pl_kind_name(unsigned kind);     /* "fork", ...; "?" if unknown */
int pl_kind_from_name(const char *name);     /* -1 if unknown */
/* the same for a name of len bytes without NUL, where a line holds it */
int pl_kind_from_bytes(const char *s, size_t len);
const char *pl_adopter_name(unsigned adopter); /* "init", "subreaper", "thread", ... */
int pl_adopter_from_name(const char *name);  /* -1 if unknown */
const char *pl_signal_name(int sig);         /* "SIGKILL"; NULL if unknown */
/* who ended a process with a signal (enum pl_kill_why): "process", "kernel",
 * "fault", "oom", "seccomp" */
const char *pl_kill_why_name(unsigned why);
const char *pl_stat_name(unsigned stat);     /* "kills_lost", ...: a log's trailer names them */
int pl_kill_why_from_name(const char *name); /* -1 if unknown */

/* the i-th mechanism's name as --mechanisms takes it, and its PL_M_* bit;
 * 0 past the last */
int pl_mechanism_option(unsigned i, const char **name, unsigned *bit);

/* the mechanisms (PL_M_* bits) as the log header spells them: the i-th
 * aspect's name and its value; 0 past the last */
int pl_mechanism_name(unsigned mechanisms, unsigned i, const char **name, const char **value);

#endif
