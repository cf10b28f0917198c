/* SPDX-License-Identifier: BSD-2-Clause */
/* What the exporters share; not for the pipeline. */
#ifndef PL_EXPORT_IMPL_H
#define PL_EXPORT_IMPL_H

#include "output/export.h"
#include "model/model.h"
#include "util/shell_quote.h"

struct pl_exporter *export_csv_new(FILE *out);
struct pl_exporter *export_perfetto_new(FILE *out);
struct pl_exporter *export_dot_new(FILE *out);
struct pl_exporter *export_html_new(FILE *out);

/* how a process's kept command line ends, for shell_join */
static inline int export_argv_cut(unsigned flags)
{
	if (!(flags & PL_P_ARGV_CUT))
		return SHELL_CUT_NONE;
	return flags & PL_P_ARGV_CUT_INSIDE ? SHELL_CUT_INSIDE : SHELL_CUT_AFTER;
}

/* flushes x->out: 0, or -1 after printing why */
int export_flush(struct pl_exporter *x);

#endif
