/*
 * This file contains the import stage's entries: sheaf_import_path() reads
 * an input file (or every article file under an input folder) into an input
 * (input.c), sheaf_import_memory() and sheaf_import_input() take one from
 * memory (an embedder's buffer, a WARC record's body named by its URL).
 * Each input is inflated when gzip-compressed, decoded to UTF-8, sniffed
 * for its format from the content, repaired textually when it is an XML
 * feed, and handed to its reader (feeds, WordPress exports, Markdown, HTML
 * pages); everything else is refused with a message that says what the
 * input is and what sheaf reads. A failed import leaves the collection
 * exactly as it was.
 */
/* realpath() is XSI, beyond the POSIX level the build asks for. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "import/import.h"

void sheaf_import_spool_failed(sheaf_diag *diag)
{
  sheaf_diag_add(diag, SHEAF_ERROR, "write", NULL, 0, 0,
                 "cannot write book: cannot write its temporary file of article "
                 "bodies (in $TMPDIR, else /tmp): %s",
                 strerror(errno));
}

/* Checks the articles an input added (from index `first`) against the
 * article limits: a build of more than opt->max_articles, or an article
 * whose body or summary is larger than opt->max_article_size, is refused
 * with an error naming the article's line and the option that raises it. */
static sheaf_status check_limits(struct sheaf_collection *coll, size_t first,
                                 const sheaf_options *opt, sheaf_diag *diag)
{
  size_t max_n = SHEAF_LIMIT(opt, max_articles, SHEAF_DEFAULT_MAX_ARTICLES);
  size_t max_sz = SHEAF_LIMIT(opt, max_article_size, SHEAF_DEFAULT_MAX_ARTICLE_SIZE);
  size_t i;
  char sz[32];

  if (coll->narticles > max_n) {
    const struct sheaf_article *a = coll->articles[max_n];
    sheaf_diag_add(diag, SHEAF_ERROR, "limit", a->source, a->line, 0,
                   "more than %zu articles (--max-articles); raise the limit, e.g. "
                   "--max-articles %zu, or select fewer inputs",
                   max_n, max_n < SIZE_MAX / 10 ? max_n * 10 : max_n);
    return SHEAF_ERR_LIMIT;
  }
  for (i = first; i < coll->narticles; i++) {
    const struct sheaf_article *a = coll->articles[i];
    size_t nb = sheaf_article_body_len(a), ns = sheaf_article_summary_len(a);
    if (nb > max_sz || ns > max_sz) {
      /* A spilled title is read back; one that cannot be is left out. */
      struct sheaf_article_view v;
      sheaf_article_view_init(&v);
      if (sheaf_article_view(coll, a, &v) != SHEAF_OK)
        v.a.title = NULL;
      sheaf_diag_add(diag, SHEAF_ERROR, "limit", a->source, a->line, 0,
                     "the article \"%.60s\" is larger than %s (--max-article-size: "
                     "%zu bytes); raise the limit, e.g. --max-article-size 64M",
                     v.a.title ? v.a.title : "", sheaf_size_str(max_sz, sz),
                     nb > ns ? nb : ns);
      sheaf_article_view_fini(&v);
      return SHEAF_ERR_LIMIT;
    }
  }
  return SHEAF_OK;
}

/* Drops the articles and feeds added after the given counts. */
static void roll_back(struct sheaf_collection *coll, size_t narticles, size_t nfeeds)
{
  while (coll->narticles > narticles)
    sheaf_article_free(coll->articles[--coll->narticles]);
  while (coll->nfeeds > nfeeds)
    sheaf_feed_free(coll->feeds[--coll->nfeeds]);
}

/* Does the file's name say it is a feed (.rss, .xml, .atom, .rdf)? */
static bool has_ext(const char *path, const char *const *exts, size_t nexts)
{
  size_t n = strlen(path), i;

  for (i = 0; i < nexts; i++) {
    size_t k = strlen(exts[i]);
    if (n > k && sheaf_ascii_casecmp(path + n - k, exts[i]) == 0)
      return true;
  }
  return false;
}

static bool feed_name(const char *path)
{
  static const char *const exts[] = {".rss", ".xml", ".atom", ".rdf", ".feed"};
  return has_ext(path, exts, sizeof exts / sizeof exts[0]);
}

static bool html_name(const char *path)
{
  static const char *const exts[] = {".html", ".htm", ".xhtml"};
  return has_ext(path, exts, sizeof exts / sizeof exts[0]);
}

/* Markdown has no signature, and a post about HTML may open with markup;
 * a Markdown file name settles what sniffing cannot. */
static bool markdown_name(const char *path)
{
  static const char *const exts[] = {".md", ".markdown", ".mkd", ".mkdn"};
  return has_ext(path, exts, sizeof exts / sizeof exts[0]);
}

/* Imports one input whose content is in memory. In a folder walk
 * (`in_folder`), files that are not articles (an SVG, a sitemap, a JSON
 * file) are skipped with a note instead of failing the build. */
static sheaf_status import_data(struct sheaf_collection *coll, struct sheaf_input *in,
                                bool in_folder, const sheaf_options *opt,
                                sheaf_diag *diag)
{
  const char *what = "";
  const char *path = in->name;
  enum sheaf_format f;
  sheaf_status ret;

  /* Everything after this point sees UTF-8 (decode.c), and XML feeds are
   * repaired textually first (repair.c). */
  if ((ret = sheaf_import_gunzip(
           in, SHEAF_LIMIT(opt, max_input_size, SHEAF_DEFAULT_MAX_INPUT_SIZE), diag)) !=
          SHEAF_OK ||
      (ret = sheaf_import_decode_input(in, opt, diag)) != SHEAF_OK)
    return ret;
  f = sheaf_import_sniff(in->data, in->len, &what);
  if ((f == SHEAF_FORMAT_RSS || f == SHEAF_FORMAT_ATOM || f == SHEAF_FORMAT_WXR) &&
      (ret = sheaf_import_repair(in, diag)) != SHEAF_OK)
    return ret;
  if ((f == SHEAF_FORMAT_HTML || f == SHEAF_FORMAT_XML) && markdown_name(path))
    f = SHEAF_FORMAT_TEXT;
  /* A saved fragment ("<div class=post>...", no <html>) is a page all the
   * same when its name says HTML. */
  else if ((f == SHEAF_FORMAT_XML || f == SHEAF_FORMAT_TEXT) && html_name(path))
    f = SHEAF_FORMAT_HTML;
  switch (f) {
  case SHEAF_FORMAT_RSS:
  case SHEAF_FORMAT_ATOM:
    return sheaf_import_feed(coll, in, opt, diag);
  case SHEAF_FORMAT_WXR:
    return sheaf_import_wxr(coll, in, opt, diag);
  case SHEAF_FORMAT_HTML:
    /* An HTML page where a feed was expected (a login or error page saved
     * under the feed's name) is refused, not read as an article. */
    if (feed_name(path))
      break;
    return sheaf_import_html(coll, in, opt, diag);
  case SHEAF_FORMAT_TEXT:
    return sheaf_import_markdown(coll, in, opt, diag);
  default:
    break;
  }
  if (in_folder) {
    /* A sitemap or an SVG beside the notes is no loss; a .md file that
     * looks binary (a NUL byte near its start) is text the user expected
     * in the book, so it gets a warning, not a note only -v shows. */
    bool lost = markdown_name(path) || strcmp(what, "a binary file") == 0;
    sheaf_diag_add(diag, lost ? SHEAF_WARNING : SHEAF_NOTE, "skipped", path, 0, 0,
                   lost ? "not in the book: this is %s (a NUL byte or control "
                          "characters near its start), not an article"
                        : "skipped: this is %s, not an article",
                   what);
    return SHEAF_OK;
  }
  sheaf_diag_add(diag, SHEAF_ERROR, "format", path, 0, 0,
                 "this is %s, not a feed; sheaf reads RSS, Atom and RDF feeds, "
                 "WordPress exports, Markdown and HTML files, and folders of them",
                 what);
  return SHEAF_ERR_FORMAT;
}

/* import_data(), then the limits and spooling of what it added. */
static sheaf_status import_one(struct sheaf_collection *coll, struct sheaf_input *in,
                               bool in_folder, const sheaf_options *opt, sheaf_diag *diag)
{
  size_t first = coll->narticles;
  sheaf_status ret = import_data(coll, in, in_folder, opt, diag);

  if (ret == SHEAF_OK)
    ret = check_limits(coll, first, opt, diag);
  if (ret == SHEAF_OK)
    sheaf_import_check_dates(coll, first, diag);
  /* What the reader did not spool as it went (exports, pages, Markdown). */
  for (; ret == SHEAF_OK && first < coll->narticles; first++)
    if (!sheaf_collection_spool_article(coll, coll->articles[first])) {
      sheaf_import_spool_failed(diag);
      ret = SHEAF_ERR_WRITE;
    }
  return ret;
}

/* Reads the file `path`; `dir`: the folder a walk found it in, or NULL. */
static sheaf_status import_file(struct sheaf_collection *coll, const char *path,
                                const char *dir, const sheaf_options *opt,
                                sheaf_diag *diag)
{
  struct sheaf_input in;
  sheaf_status ret;

  ret = sheaf_input_read(&in, path,
                         SHEAF_LIMIT(opt, max_input_size, SHEAF_DEFAULT_MAX_INPUT_SIZE),
                         dir != NULL, diag);
  /* From now on the book may not replace this file (package.c). */
  if (ret == SHEAF_OK && !(dir ? sheaf_fileset_add_in(&coll->read, in.dev, in.ino, dir)
                               : sheaf_fileset_add(&coll->read, in.dev, in.ino, path)))
    ret = SHEAF_ERR_NOMEM;
  if (ret == SHEAF_OK)
    ret = import_one(coll, &in, dir != NULL, opt, diag);
  sheaf_input_fini(&in);
  return ret;
}

/* An input from memory is held to --max-input-size like a file. */
static bool too_big(const char *name, size_t len, const sheaf_options *opt,
                    sheaf_diag *diag)
{
  size_t max = SHEAF_LIMIT(opt, max_input_size, SHEAF_DEFAULT_MAX_INPUT_SIZE);
  char sz[32];

  if (len <= max)
    return false;
  sheaf_diag_add(diag, SHEAF_ERROR, "limit", name, 0, 0,
                 "the input is larger than %s (--max-input-size); split it or raise "
                 "the limit, e.g. --max-input-size 2G",
                 sheaf_size_str(max, sz));
  return true;
}

sheaf_status sheaf_import_input(struct sheaf_collection *coll,
                                const struct sheaf_input *in, const sheaf_options *opt,
                                sheaf_diag *diag)
{
  struct sheaf_input view;
  size_t narticles, nfeeds;
  sheaf_status ret;

  if (coll == NULL || in == NULL || in->data == NULL || in->name == NULL)
    return SHEAF_ERR_USAGE;
  if (too_big(in->name, in->len, opt, diag))
    return SHEAF_ERR_LIMIT;
  narticles = coll->narticles;
  nfeeds = coll->nfeeds;
  sheaf_input_view(&view, in);
  ret = import_one(coll, &view, false, opt, diag);
  sheaf_input_fini(&view);
  if (ret == SHEAF_ERR_NOMEM)
    sheaf_diag_add(diag, SHEAF_ERROR, "nomem", in->name, 0, 0, "out of memory");
  if (ret != SHEAF_OK)
    roll_back(coll, narticles, nfeeds);
  return ret;
}

sheaf_status sheaf_import_memory(sheaf_collection *coll, const char *name,
                                 const void *data, size_t len,
                                 const sheaf_options *options, sheaf_diag *diag)
{
  sheaf_options local;
  const sheaf_options *opt = &local;
  struct sheaf_input in;
  sheaf_status ret;

  if (coll == NULL || name == NULL || (data == NULL && len > 0))
    return SHEAF_ERR_USAGE;
  if ((ret = sheaf_options_resolve(options, &local, diag)) != SHEAF_OK)
    return ret;
  if (too_big(name, len, opt, diag))
    return SHEAF_ERR_LIMIT;
  /* The embedder's bytes need not end in a NUL: the readers get a copy. */
  if ((ret = sheaf_input_copy(&in, name, data, len)) == SHEAF_OK)
    ret = sheaf_import_input(coll, &in, opt, diag);
  else
    sheaf_diag_add(diag, SHEAF_ERROR, "nomem", name, 0, 0, "out of memory");
  sheaf_input_fini(&in);
  return ret;
}

/* ---- folders --------------------------------------------------------------- */

#define MAX_DEPTH 32

/* Which files of a folder are read: Markdown by its usual extensions (the
 * content of a Markdown file has no signature), and feeds, exports and
 * pages by extension too, their format then sniffed from the content.
 * Images, stylesheets and the like are passed over in silence. */
static bool wanted(const char *name)
{
  static const char *const exts[] = {".md",   ".markdown", ".mkd",  ".mkdn",
                                     ".xml",  ".rss",      ".atom", ".rdf",
                                     ".html", ".htm",      ".xhtml"};
  size_t n = strlen(name), i;

  for (i = 0; i < sizeof exts / sizeof *exts; i++) {
    size_t k = strlen(exts[i]);
    if (n > k && sheaf_ascii_casecmp(name + n - k, exts[i]) == 0)
      return true;
  }
  return false;
}

/* Reads every wanted file under `dir`, in name order so the same folder
 * gives the same book. Hidden entries are skipped; symbolic links are not
 * followed, so a walk never leaves the folder it was given or loops. */
static sheaf_status import_dir(struct sheaf_collection *coll, const char *dir,
                               unsigned depth, const sheaf_options *opt, sheaf_diag *diag)
{
  DIR *d;
  struct sheaf_names names;
  const char *name;
  struct sheaf_buf path;
  char **arcs = NULL;
  size_t narcs = 0, narcs_cap = 0, i;
  sheaf_status ret = SHEAF_OK;

  if (depth > MAX_DEPTH) {
    sheaf_diag_add(diag, SHEAF_WARNING, "depth", dir, 0, 0,
                   "not read: folders nested more than %d deep", MAX_DEPTH);
    return SHEAF_OK;
  }
  if ((d = opendir(dir)) == NULL) {
    sheaf_diag_add(diag, SHEAF_ERROR, "io", dir, 0, 0, "cannot read folder: %s",
                   strerror(errno));
    return SHEAF_ERR_IO;
  }
  /* The names are sorted in bounded memory (names.c): a folder of a
   * million files held them all while the collection grew. */
  ret = sheaf_names_read(&names, d, 0);
  closedir(d);
  if (ret == SHEAF_ERR_IO)
    sheaf_diag_add(diag, SHEAF_ERROR, "io", dir, 0, 0, "cannot read folder: %s",
                   strerror(names.err_errno));
  sheaf_buf_init(&path, 0);
  while (ret == SHEAF_OK && (name = sheaf_names_next(&names)) != NULL) {
    struct stat st;
    /* A folder of 100,000 notes is one input: look for a signal per file. */
    if (opt && opt->cancel && opt->cancel(opt->cancel_userdata)) {
      ret = SHEAF_ERR_CANCELLED;
      break;
    }
    sheaf_buf_reset(&path);
    sheaf_buf_puts(&path, dir);
    if (path.len && path.ptr[path.len - 1] != '/')
      sheaf_buf_putc(&path, '/');
    sheaf_buf_puts(&path, name);
    if (path.failed) {
      ret = SHEAF_ERR_NOMEM;
      break;
    }
    if (lstat(path.ptr, &st) != 0) {
      /* Never a silent gap: a path beyond PATH_MAX, a file removed while
       * the folder was read, a folder without search permission. */
      int err = errno;
      sheaf_diag_add(diag, SHEAF_WARNING, "skipped", path.ptr, 0, 0, "not read: %s",
                     err == ENAMETOOLONG ? "its path is longer than the system allows "
                                           "(PATH_MAX); move the folder up or shorten "
                                           "its names"
                                         : strerror(err));
      continue;
    }
    if (S_ISLNK(st.st_mode)) {
      sheaf_diag_add(diag, SHEAF_NOTE, "symlink", path.ptr, 0, 0,
                     "skipped: symbolic links are not followed in folders");
    } else if (S_ISDIR(st.st_mode)) {
      ret = import_dir(coll, path.ptr, depth + 1, opt, diag);
    } else if (S_ISREG(st.st_mode) && sheaf_import_archive_name(name)) {
      /* The folder's web archives are one archive (a revisit in a later
       * run's file points into an earlier one): read after the walk. */
      char *copy = sheaf_strdup(path.ptr);
      if (!copy || !sheaf_grow((void **)&arcs, &narcs_cap, narcs + 1, sizeof *arcs)) {
        sheaf_free(copy);
        ret = SHEAF_ERR_NOMEM;
        break;
      }
      arcs[narcs++] = copy;
    } else if (S_ISREG(st.st_mode) && wanted(name)) {
      ret = import_file(coll, path.ptr, dir, opt, diag);
    }
  }
  if (ret == SHEAF_OK && narcs > 0)
    ret = sheaf_import_archives(coll, (const char *const *)arcs, narcs, opt, diag);
  for (i = 0; i < narcs; i++)
    sheaf_free(arcs[i]);
  sheaf_free(arcs);
  /* The runs of names could not be read back: no silent gap either. */
  if (ret == SHEAF_OK && names.err != SHEAF_OK) {
    ret = names.err;
    if (ret == SHEAF_ERR_IO)
      sheaf_diag_add(diag, SHEAF_ERROR, "io", dir, 0, 0, "cannot read folder: %s",
                     strerror(names.err_errno));
  }
  sheaf_buf_fini(&path);
  sheaf_names_fini(&names);
  return ret;
}

/* The name a folder input goes by in the book: its last component
 * ("posts" for "/home/ann/blog/posts/", and for "." run inside it), never
 * its path, which says where it sat on one machine. Returns a new string
 * (the caller frees it with sheaf_free()), or NULL when out of memory. */
static char *folder_name(const char *path)
{
  char *real = realpath(path, NULL), *name;
  const char *p = real ? real : path, *start;
  size_t n = strlen(p);

  while (n > 1 && p[n - 1] == '/')
    n--;
  for (start = p + n; start > p && start[-1] != '/'; start--)
    ;
  if (start == p + n) /* "/": the root has no other name */
    start = p;
  name = sheaf_strndup(start, (size_t)(p + n - start));
  free(real); /* from realpath() */
  return name;
}

/* Marks the articles an input folder added (from index `first`) with its
 * name. */
static sheaf_status name_folder(struct sheaf_collection *coll, size_t first,
                                const char *path)
{
  char *name = folder_name(path);
  const char *interned = name ? sheaf_collection_intern_source(coll, name) : NULL;
  size_t i;

  sheaf_free(name);
  if (interned == NULL)
    return SHEAF_ERR_NOMEM;
  for (i = first; i < coll->narticles; i++)
    coll->articles[i]->folder = interned;
  return SHEAF_OK;
}

sheaf_status sheaf_import_path(sheaf_collection *coll, const char *path,
                               const sheaf_options *options, sheaf_diag *diag)
{
  sheaf_options local;
  const sheaf_options *opt = &local;
  sheaf_status ret;
  size_t narticles, nfeeds;
  struct stat st;

  if (coll == NULL || path == NULL)
    return SHEAF_ERR_USAGE;
  if ((ret = sheaf_options_resolve(options, &local, diag)) != SHEAF_OK)
    return ret;
  narticles = coll->narticles;
  nfeeds = coll->nfeeds;
  if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
    ret = import_dir(coll, path, 0, opt, diag);
    if (ret == SHEAF_OK)
      ret = name_folder(coll, narticles, path);
  } else if (sheaf_import_archive_kind(path) != SHEAF_ARCHIVE_NONE)
    ret = sheaf_import_archives(coll, &path, 1, opt, diag);
  else
    ret = import_file(coll, path, NULL, opt, diag);
  if (ret == SHEAF_ERR_NOMEM)
    sheaf_diag_add(diag, SHEAF_ERROR, "nomem", path, 0, 0, "out of memory");
  if (ret != SHEAF_OK)
    roll_back(coll, narticles, nfeeds);
  return ret;
}
