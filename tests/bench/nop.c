// SPDX-License-Identifier: BSD-2-Clause
/* The exec storm's program: static and tiny, so the storm measures exec
 * itself, not a dynamic loader. */
int main(void)
{
	return 0;
}
