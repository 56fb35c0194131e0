/*
 * This file declares the select stage's internals: tag matching and the
 * derivation of a book title from a feed title. The public entry is
 * sheaf_select() (select.c).
 */
#ifndef SHEAF_SELECT_H
#define SHEAF_SELECT_H

#include "core/core.h"

/* Returns true when `a` carries a tag whose name or slug matches `want`
 * (case-insensitive, after slug normalisation). */
bool sheaf_select_has_tag(const struct sheaf_article *a, const char *want);

/* Derives a book title and publisher from a feed title: WordPress archive
 * feeds are titled "digital economy Archives - Focus - China Britain Business
 * Council"; that gives title "Digital Economy" and publisher "Focus - China
 * Britain Business Council". Either output may be NULL when not found.
 * Returns false only when out of memory. */
bool sheaf_select_title_from_feed(const char *feed_title, char **title, char **publisher);

/* Groups the chapters of `b` for the table of contents as opt->group_by
 * says (group.c); grouping by tag reorders the chapters. */
sheaf_status sheaf_select_group(struct sheaf_book *b, const sheaf_options *opt);

/* Derives a title from an input file's path when there is no feed: the
 * nearest folder whose name is not a generator's layout folder ("_posts",
 * "content") or a language code, dashes as spaces ("hugo-basic-example"
 * gives "hugo basic example"). Returns a new string or NULL. */
char *sheaf_select_title_from_path(const char *path);
/* The same for article `a` of a book without a feed: the name of the input
 * folder that held it when that name is not generic, else the nearest
 * folder between it and the file (never one above the input). Returns a
 * new string or NULL. */
char *sheaf_select_title_from_input(const struct sheaf_article *a);

/* What the title page, the colophon and dc:source name as the source of
 * `a`: its feed's web address, else the name of the input folder that held
 * it (one name for the whole folder), else the URL a web archive gave its
 * feed, else a page's site (saved or archived), else its file's name;
 * never a local path, which
 * would tell where the input sat on one machine. Sets *name to a new string
 * (the caller frees it with sheaf_free()), or to NULL when there is no
 * source to name. Returns false only when out of memory. */
bool sheaf_select_source_name(const struct sheaf_collection *c,
                              const struct sheaf_article *a, char **name);

#endif
