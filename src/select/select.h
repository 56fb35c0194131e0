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

/* sheaf_select() leaving out the articles whose ids are in `skip` (the
 * sorted ids the --after books hold; NULL: none). */
struct sheaf_book *sheaf_select_skipping(const struct sheaf_collection *c,
                                         const sheaf_options *opt,
                                         const struct sheaf_idset *skip, sheaf_diag *d,
                                         sheaf_status *status);

/* ---- select.c, shared with volumes.c ----------------------------------- */

/* qsort comparator of article pointers: oldest first, undated last, then
 * in the order read. */
int sheaf_select_cmp_date(const void *pa, const void *pb);
/* Appends the selection options (tags, dates, limit) that name what a book
 * is, for its identifier. */
void sheaf_select_selection_key(const sheaf_options *opt, struct sheaf_buf *key);
/* Derives b's metadata (title, authors, language, identifier, dates, tags)
 * from its chapters and `opt`. Returns SHEAF_OK or SHEAF_ERR_NOMEM. */
sheaf_status sheaf_select_metadata(struct sheaf_book *b, const sheaf_options *opt,
                                   sheaf_diag *diag);

/* ---- volumes.c: --split ------------------------------------------------- */

enum sheaf_split_kind {
  SHEAF_SPLIT_NONE,
  SHEAF_SPLIT_YEAR,
  SHEAF_SPLIT_MONTH,
  SHEAF_SPLIT_COUNT, /* n articles a volume */
  SHEAF_SPLIT_SIZE   /* at most n bytes a volume */
};
struct sheaf_split {
  enum sheaf_split_kind kind;
  uint64_t n;
};
/* The smallest --split SIZE: a cover and a few pages. */
#define SHEAF_SPLIT_MIN_SIZE ((uint64_t)256 << 10)

/* Parses opt->split ("year", "month", "500", "45MB"); NULL or "" is
 * SHEAF_SPLIT_NONE. Returns SHEAF_OK or SHEAF_ERR_USAGE with an error in
 * `diag`. */
sheaf_status sheaf_select_split_parse(const char *spec, struct sheaf_split *sp,
                                      sheaf_diag *diag);

/* A volume: a run of the date-ordered chapters. */
struct sheaf_volume_span {
  size_t start, count;
  char key[32]; /* "2019", "2019-02", "undated", "03": names its file */
};

/* Returns a new array (sheaf_free) of whole's chapters, oldest first,
 * whatever order the book reads in; NULL when out of memory. */
const struct sheaf_article **sheaf_select_oldest_first(const struct sheaf_book *whole);

/* What an article adds to a volume (--split SIZE), asked in date order:
 * `fresh` starts a new volume (pictures met before count again). Stores
 * the weight in *w; returns SHEAF_OK or the failure that stops the cut. */
struct sheaf_weigher {
  sheaf_status (*weigh)(void *userdata, size_t i, bool fresh, uint64_t *w);
  void *userdata;
};

/* Cuts the `n` date-ordered articles `v` into volumes, from the oldest
 * forward, so that adding newer articles never moves an earlier boundary.
 * For SHEAF_SPLIT_SIZE, `wr` weighs the articles and `budget` is what a
 * volume may hold. Sets *spans (a new array, sheaf_free) and *nspans.
 * Returns SHEAF_OK, SHEAF_ERR_NOMEM or the weigher's failure. */
sheaf_status sheaf_select_plan(const struct sheaf_article *const *v, size_t n,
                               const struct sheaf_split *sp,
                               const struct sheaf_weigher *wr, uint64_t budget,
                               struct sheaf_volume_span **spans, size_t *nspans);

/* Returns a new book of the span's articles (of `v`, as planned), volume
 * `index` (1-based) of the series `whole` names: its own metadata, an
 * identifier and title of its own, `series` set. The caller frees it with
 * sheaf_book_free(); it borrows whole's collection. NULL with *status set
 * when out of memory. */
struct sheaf_book *sheaf_select_volume(const struct sheaf_book *whole,
                                       const struct sheaf_split *sp,
                                       const struct sheaf_article *const *v,
                                       const struct sheaf_volume_span *span, size_t index,
                                       const sheaf_options *opt, sheaf_status *status);

#endif
