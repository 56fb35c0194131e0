/*
 * This file contains the derivation of a book's title and publisher from a
 * feed title. WordPress names its archive feeds "<term> Archives - <site>"
 * (older themes: "<site> » <term>"); a book called "digital economy Archives
 * - Focus - China Britain Business Council" is not what a reader expects on
 * a shelf, so the term becomes the title (in title case) and the site the
 * publisher.
 */
#include <string.h>

#include "select/select.h"

static char *dup_trimmed(const char *p, size_t n)
{
  struct sheaf_str s = sheaf_str_trim((struct sheaf_str){p, n});
  return sheaf_str_collapse_ws(s.p, s.n);
}

/* Finds `needle` in `hay` case-insensitively (ASCII); returns its offset or
 * (size_t)-1. */
static size_t find_ci(const char *hay, const char *needle)
{
  size_t i, n = strlen(needle);

  for (i = 0; hay[i]; i++)
    if (sheaf_starts_with_ci(hay + i, needle))
      return i;
  (void)n;
  return (size_t)-1;
}

bool sheaf_select_title_from_feed(const char *feed_title, char **title, char **publisher)
{
  /* Separators WordPress and common themes put between term and site:
   * " - ", " – " (en dash), " — " (em dash), " | ", " » ". */
  static const char *const seps[] = {" - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ",
                                     " | ", " \xC2\xBB "};
  size_t at, i;

  *title = NULL;
  *publisher = NULL;
  if (feed_title == NULL || *feed_title == '\0')
    return true;

  at = find_ci(feed_title, " Archives");
  if (at != (size_t)-1 && at > 0) {
    const char *rest = feed_title + at + strlen(" Archives");
    for (i = 0; i < sizeof seps / sizeof *seps; i++) {
      if (strncmp(rest, seps[i], strlen(seps[i])) == 0) {
        *title = dup_trimmed(feed_title, at);
        *publisher = dup_trimmed(rest + strlen(seps[i]), strlen(rest + strlen(seps[i])));
        return *title && *publisher;
      }
    }
    if (*rest == '\0') {
      *title = dup_trimmed(feed_title, at);
      return *title != NULL;
    }
  }
  /* "Site » Term": the part after the last » is the term. */
  {
    const char *raquo = NULL, *p = feed_title;
    while ((p = strstr(p, " \xC2\xBB ")) != NULL) {
      raquo = p;
      p += 4;
    }
    if (raquo) {
      *publisher = dup_trimmed(feed_title, (size_t)(raquo - feed_title));
      *title = dup_trimmed(raquo + 4, strlen(raquo + 4));
      return *title && *publisher;
    }
  }
  return true;
}
