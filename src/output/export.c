// SPDX-License-Identifier: BSD-2-Clause
#include <errno.h>
#include <string.h>
#include "output/export_impl.h"
#include "util/diag.h"

static const struct {
	const char *name;
	struct pl_exporter *(*make)(FILE *out);
} exporters[] = {
	{ "csv", export_csv_new },
	{ "perfetto", export_perfetto_new },
	{ "dot", export_dot_new },
	{ "html", export_html_new },
};

struct pl_exporter *export_new(const char *name, FILE *out)
{
	for (size_t i = 0; i < sizeof(exporters) / sizeof(*exporters); i++)
		if (!strcmp(name, exporters[i].name))
			return exporters[i].make(out);
	return NULL;
}

int export_is_known(const char *name)
{
	for (size_t i = 0; i < sizeof(exporters) / sizeof(*exporters); i++)
		if (!strcmp(name, exporters[i].name))
			return 1;
	return 0;
}

const char *export_names(void)
{
	return "csv, perfetto, dot, html";
}

int export_flush(struct pl_exporter *x)
{
	if (fflush(x->out) || ferror(x->out))
		return error_errno("cannot write the export");
	return 0;
}
