// SPDX-License-Identifier: BSD-2-Clause
/* libFuzzer: any bytes as a workload manifest. */
#include <stdint.h>
#include "verify/manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	struct manifest *m = manifest_parse((const char *)data, size, err, sizeof(err));

	manifest_free(m);
	return 0;
}
