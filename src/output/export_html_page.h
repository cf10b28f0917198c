/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The HTML report's page around its data (export_html.c writes the data):
 * src/output/html/report.html with report.js inlined, embedded at build
 * time by src/output/html/embed.sh.
 */
#ifndef PL_EXPORT_HTML_PAGE_H
#define PL_EXPORT_HTML_PAGE_H

/* everything up to the inside of <script type="application/json"> */
extern const char export_html_head[];
/* from the end of that script to the end of the page */
extern const char export_html_tail[];

#endif
