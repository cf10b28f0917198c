// SPDX-License-Identifier: BSD-2-Clause
#include "output/kthread.h"

bool is_kthreadd(const struct pl_proc *p)
{
	/* pid 0, the idle task, is the parent of init and kthreadd: no parent */
	return p->pid == 2 && (!p->parent || !p->parent->pid);
}

bool is_kernel_thread(const struct pl_proc *p)
{
	if (p->flags & PL_P_PLACEHOLDER)
		return false;
	return is_kthreadd(p) || (p->parent && is_kthreadd(p->parent) && !p->execs);
}
