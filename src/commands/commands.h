/* SPDX-License-Identifier: BSD-2-Clause */
/* The subcommands of proclife; each returns the process exit status. */
#ifndef PL_COMMANDS_H
#define PL_COMMANDS_H

int cmd_trace(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_verify(int argc, char **argv);

#endif
