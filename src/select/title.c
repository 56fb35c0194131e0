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

bool sheaf_select_title_from_feed(const char *feed_title, char **title, char **publisher)
{
  struct sheaf_str term, site;

  *title = NULL;
  *publisher = NULL;
  if (feed_title == NULL || *feed_title == '\0')
    return true;

  /* "Term Archives - Site" (text.c knows WordPress's titles). */
  if (sheaf_wp_archive_title(feed_title, &term, &site)) {
    *title = dup_trimmed(term.p, term.n);
    if (site.p == NULL)
      return *title != NULL;
    *publisher = dup_trimmed(site.p, site.n);
    return *title && *publisher;
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

/* Folder names that say nothing about the book: site generators' layout
 * folders and language codes ("zh-cn", "ja"). */
static bool generic(const char *name, size_t n)
{
  static const char *const words[] = {
      "_posts",  "posts", "post",     "content",  "docs",  "doc",  "source",
      "src",     "blog",  "articles", "notes",    "pages", "site", "public",
      "_drafts", "html",  "md",       "markdown", ".",     ".."};
  size_t i;

  for (i = 0; i < sizeof words / sizeof *words; i++)
    if (strlen(words[i]) == n && strncmp(name, words[i], n) == 0)
      return true;
  if (n == 2 || (n == 5 && (name[2] == '-' || name[2] == '_')))
    return true;
  return false;
}

char *sheaf_select_title_from_path(const char *path)
{
  char *dir = sheaf_strdup(path), *end, *slash, *title;
  size_t i;

  if (dir == NULL)
    return NULL;
  /* Start from the folder holding the file. */
  slash = strrchr(dir, '/');
  if (slash == NULL) {
    sheaf_free(dir);
    return NULL;
  }
  *slash = '\0';
  for (;;) {
    const char *name;
    while ((end = dir + strlen(dir)) > dir && end[-1] == '/')
      end[-1] = '\0';
    slash = strrchr(dir, '/');
    name = slash ? slash + 1 : dir;
    if (*name && !generic(name, strlen(name)))
      break;
    if (slash == NULL) {
      sheaf_free(dir);
      return NULL;
    }
    *slash = '\0';
  }
  slash = strrchr(dir, '/');
  title = sheaf_strdup(slash ? slash + 1 : dir);
  sheaf_free(dir);
  if (title == NULL)
    return NULL;
  /* "hugo-basic-example" -> "hugo basic example"; title case follows. */
  for (i = 0; title[i]; i++)
    if (title[i] == '-' || title[i] == '_')
      title[i] = ' ';
  return title;
}
