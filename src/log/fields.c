// SPDX-License-Identifier: BSD-2-Clause
#include "log/field_list.h"
#include "log/fields.h"

#define TABLE_ENTRY(X, name, kinds, type, member, bit, required, if_set, when)                 \
	{ name,                                                                                \
	  kinds,                                                                               \
	  type,                                                                                \
	  offsetof(struct pl_event, member),                                                   \
	  sizeof(((struct pl_event *)0)->member),                                              \
	  bit,                                                                                 \
	  required,                                                                            \
	  if_set,                                                                              \
	  when },

const struct pl_field pl_fields[] = {
	PL_FIELDS_HEAD(TABLE_ENTRY, _)
	PL_FIELDS_ID(TABLE_ENTRY, _)
	PL_FIELDS_REST(TABLE_ENTRY, _)
};

const size_t pl_nfields = sizeof(pl_fields) / sizeof(pl_fields[0]);
_Static_assert(sizeof(pl_fields) / sizeof(pl_fields[0]) <= PL_MAX_FIELDS, "raise PL_MAX_FIELDS");

/* the table's indexes of the identity fields are the list's */
#define ONE(X, ...) +1
_Static_assert(PL_FIELD_ID_FIRST == 0 PL_FIELDS_HEAD(ONE, _), "PL_FIELD_ID_FIRST");
_Static_assert(PL_FIELD_ID_END == PL_FIELD_ID_FIRST PL_FIELDS_ID(ONE, _), "PL_FIELD_ID_END");
