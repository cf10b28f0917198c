/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The JSONL log contract, as data: which field of which event kind holds
 * which member of struct pl_event. The replay parser walks this table, and
 * the writer's code is made from the same list (field_list.h), so replay
 * reads exactly what trace writes.
 */
#ifndef PL_LOG_FIELDS_H
#define PL_LOG_FIELDS_H

#include <stddef.h>
#include "events.h"
#include "log/field_list.h"

#define PL_LOG_FORMAT "proclife-events"
/* 2: an exit line may tell the zombie moment after it (zombie_ts); a
 * reader of version 1 would miss those zombies, and refuses it. Version 1
 * logs are read as they are */
#define PL_LOG_VERSION 2

enum pl_field_type {
	PL_FT_U32,   /* unsigned member */
	PL_FT_S32,   /* signed member */
	PL_FT_U64,   /* 64-bit member */
	PL_FT_STR,   /* char array member (size in .size) */
	PL_FT_FLAG,  /* bool: bit .bit of flags */
	PL_FT_ADOPT, /* adopter name for an enum pl_adopter member */
	PL_FT_PSTR,  /* const char * member: a string, written when not NULL */
	PL_FT_ARGV,  /* the arguments (args, args_len): an array of strings */
	PL_FT_KILLWHY, /* why's name for an enum pl_kill_why member */
	PL_FT_EUID,  /* euid: written only where it differs from uid, which it
			is when absent */
	PL_FT_HEX,   /* a char array's exact bytes in hex, written only when they
			are not UTF-8 (the PL_FT_STR of the same member is then
			escaped); read back, they win over that string */
	PL_FT_PHEX,  /* the same for a PL_FT_PSTR member */
	PL_FT_ARGVHEX, /* the same for the arguments: an array of each one's hex,
			  written when any is not UTF-8 */
};

/* a field: written for kinds in .kinds (bits 1 << kind) */
struct pl_field {
	const char *name;
	unsigned kinds;
	enum pl_field_type type;
	size_t offset;
	size_t size;
	unsigned bit;      /* PL_FT_FLAG */
	unsigned required; /* kinds for which replay insists on it */
	unsigned if_set;   /* written only when non-zero (still read when present) */
	unsigned when;     /* flag bits: written only when the event has them;
			      reading the field sets them */
};

#define PL_MAX_FIELDS 96 /* the table's size at most */
/* the table's fields [FIRST, END) (pid, tid, start, comm, comm_hex) say
 * which process a line is about: every kind has them, right after ts */
#define PL_FIELD_ID_FIRST 1
#define PL_FIELD_ID_END 6

extern const struct pl_field pl_fields[];
extern const size_t pl_nfields;

#endif
