/*
 * How the text view, the tree and the summary are shown.
 */
#ifndef PL_VIEW_OPTS_H
#define PL_VIEW_OPTS_H

/* bits for the tree and summary printers */
enum view_flag {
	VIEW_COLOR = 1 << 0,          /* ANSI colours */
	VIEW_KERNEL_THREADS = 1 << 1, /* show kernel threads */
};

#endif
