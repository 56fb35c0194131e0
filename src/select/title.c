/*
 * This file contains the names a book gives itself and its sources: the
 * title and publisher derived from a feed title or an input's folder, and
 * what the front and back matter name as an article's source (a site, a
 * URL, a folder's or a file's own name; never a local path). For the
 * title: WordPress names its archive feeds "<term> Archives - <site>"
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

/* "hugo-basic-example" -> "hugo basic example" (title case follows), in
 * place. */
static char *spaced(char *title)
{
  size_t i;

  for (i = 0; title && title[i]; i++)
    if (title[i] == '-' || title[i] == '_')
      title[i] = ' ';
  return title;
}

/* The nearest folder of `path` with a name that is not generic, climbing no
 * higher than a folder named `stop` (the input's, when not NULL). */
static char *path_title(const char *path, const char *stop)
{
  char *dir = sheaf_strdup(path), *end, *slash, *title;

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
    if (slash == NULL || (stop && strcmp(name, stop) == 0)) {
      sheaf_free(dir);
      return NULL;
    }
    *slash = '\0';
  }
  slash = strrchr(dir, '/');
  title = sheaf_strdup(slash ? slash + 1 : dir);
  sheaf_free(dir);
  return spaced(title);
}

char *sheaf_select_title_from_path(const char *path)
{
  return path_title(path, NULL);
}

char *sheaf_select_title_from_input(const struct sheaf_article *a)
{
  const char *f = a->folder;

  if (f == NULL)
    return a->source ? path_title(a->source, NULL) : NULL;
  /* The folder given says what the book is, wherever it lies and however
   * it was named ("." inside it); the folders above it are the machine's. */
  if (*f && strcmp(f, "/") != 0 && !generic(f, strlen(f)))
    return spaced(sheaf_strdup(f));
  return a->source ? path_title(a->source, f) : NULL;
}

/* Whether `s` is a web address a reader can follow. */
static bool web(const char *s)
{
  return s && (sheaf_starts_with_ci(s, "https://") || sheaf_starts_with_ci(s, "http://"));
}

bool sheaf_select_source_name(const struct sheaf_collection *c,
                              const struct sheaf_article *a, char **name)
{
  const struct sheaf_feed *f = a->feed < c->nfeeds ? c->feeds[a->feed] : NULL;
  const char *s = NULL, *page = NULL, *slash;
  size_t n;

  *name = NULL;
  if (f && web(f->link))
    s = f->link;
  else if (a->folder && *a->folder)
    s = a->folder;
  else if (a->spilled) {
    /* The link, and a file's path, wait in the spool. */
    struct sheaf_article_view v;
    bool ok;
    sheaf_article_view_init(&v);
    ok = sheaf_article_view(c, a, &v) == SHEAF_OK &&
         sheaf_select_source_name(c, &v.a, name);
    sheaf_article_view_fini(&v);
    return ok;
  } else if (f && web(a->source)) /* a feed in a web archive, named by its URL */
    s = a->source;
  if (s)
    return (*name = sheaf_strdup(s)) != NULL;
  /* A page, saved or in a web archive: its site ("https://host/"), once
   * for all its pages rather than a list of them. */
  page = web(a->link) ? a->link : web(a->source) ? a->source : NULL;
  if (page) {
    const char *host = strstr(page, "://") + 3;
    n = (size_t)(host - page) + strcspn(host, "/?#");
    if ((*name = sheaf_malloc(n + 2)) == NULL)
      return false;
    memcpy(*name, page, n);
    memcpy(*name + n, "/", 2);
    return true;
  }
  if (a->source == NULL || *a->source == '\0')
    return true;
  /* A file given by itself: its name, without the folders above it. */
  slash = strrchr(a->source, '/');
  s = slash && slash[1] ? slash + 1 : a->source;
  return (*name = sheaf_strdup(s)) != NULL;
}
