/*
 * This file contains the check of the dates an input's articles were given:
 * a zero date (Hugo writes 0001-01-01 for undated pages), any date before
 * 1990 (the web's articles are younger) or more than a day in the future is
 * a placeholder or a mistake, not a date. Such an article becomes undated,
 * with one warning per input, so a bogus year never reaches the cover, the
 * title page or a year of the table of contents.
 */
#include <time.h>

#include "import/import.h"

/* 1990-01-01T00:00:00Z */
#define EARLIEST ((int64_t)631152000)

void sheaf_import_check_dates(struct sheaf_collection *coll, size_t first,
                              sheaf_diag *diag)
{
  int64_t latest = (int64_t)time(NULL) + 86400;
  size_t i, n = 0;
  const struct sheaf_article *example = NULL;
  char when[32] = "";

  for (i = first; i < coll->narticles; i++) {
    struct sheaf_article *a = coll->articles[i];
    bool bad = a->published != SHEAF_TIME_UNKNOWN &&
               (a->published < EARLIEST || a->published > latest);
    if (a->updated != SHEAF_TIME_UNKNOWN &&
        (a->updated < EARLIEST || a->updated > latest))
      a->updated = SHEAF_TIME_UNKNOWN;
    if (!bad)
      continue;
    if (n++ == 0) {
      example = a;
      sheaf_date_format_day(a->published, when);
    }
    a->published = SHEAF_TIME_UNKNOWN;
    a->pub_offset = 0;
  }
  if (n) {
    /* A spilled title is read back; one that cannot be is left out. */
    struct sheaf_article_view v;
    sheaf_article_view_init(&v);
    if (sheaf_article_view(coll, example, &v) != SHEAF_OK)
      v.a.title = NULL;
    sheaf_diag_add(diag, SHEAF_WARNING, "date", example->source, example->line, 0,
                   "%zu article%s dated before 1990 or more than a day ahead (the "
                   "first, \"%.60s\", on %s): a placeholder, not a date; undated",
                   n, n == 1 ? "" : "s", v.a.title ? v.a.title : "", when);
    sheaf_article_view_fini(&v);
  }
}
