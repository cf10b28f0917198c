// SPDX-License-Identifier: BSD-2-Clause
/* The only object that sees the generated header: a new VERSION rebuilds one file. */
#include "gen/version.h"
#include "util/version.h"

const char pl_version[] = PL_VERSION;
