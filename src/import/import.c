/*
 * This file contains sheaf_import_path(), the import stage's public entry:
 * it reads an input file (or every article file under an input folder) into
 * memory, inflates it when gzip-compressed, decodes it to UTF-8, sniffs
 * each one's format from the content, repairs broken XML feeds textually,
 * hands it to its reader (feeds, WordPress exports, Markdown, HTML pages)
 * and refuses everything
 * else with a message that says what the file is and what sheaf reads. A
 * failed import leaves the collection exactly as it was.
 */
#define _DEFAULT_SOURCE /* MADV_DONTNEED, MAP_ANONYMOUS */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "import/import.h"

/* What a file that is not a regular one is, for the refusal. */
static const char *file_kind(mode_t m)
{
  if (S_ISFIFO(m))
    return "a FIFO (named pipe)";
  if (S_ISCHR(m))
    return "a character device";
  if (S_ISBLK(m))
    return "a block device";
  if (S_ISSOCK(m))
    return "a socket";
  if (S_ISDIR(m))
    return "a folder";
  return "not a regular file";
}

/* ---- mapped input -------------------------------------------------------- */

/* Files from this size on are mapped rather than read. */
#define MAP_MIN ((size_t)1 << 20)
/* The head of a mapping is never dropped (the decoder may rewrite the XML
 * declaration in place: those pages are private copies and must stay), nor
 * the last DROP_BEHIND bytes before the current position. */
#define KEEP_HEAD ((size_t)1 << 16)
#define DROP_BEHIND ((size_t)4 << 20)
#define DROP_BATCH ((size_t)1 << 20)

static _Thread_local struct {
  char *base;     /* the mapping, or NULL */
  size_t len;     /* the file's bytes, then the NUL of an anonymous page */
  size_t maplen;  /* the whole reservation */
  size_t dropped; /* pages [KEEP_HEAD, dropped) have been returned */
} input_map;

bool sheaf_import_input_mapped(const char *p)
{
  return input_map.base && p >= input_map.base && p <= input_map.base + input_map.len;
}

void sheaf_import_input_free(char *p)
{
  if (p && sheaf_import_input_mapped(p)) {
    munmap(input_map.base, input_map.maplen);
    input_map.base = NULL;
    return;
  }
  sheaf_free(p);
}

void sheaf_import_input_advise(const char *p)
{
  size_t off, to, from, page;

  if (!sheaf_import_input_mapped(p))
    return;
  off = (size_t)(p - input_map.base);
  if (off < input_map.dropped) /* a new pass from the start */
    input_map.dropped = KEEP_HEAD;
  if (off < KEEP_HEAD + DROP_BEHIND + DROP_BATCH)
    return;
  page = (size_t)sysconf(_SC_PAGESIZE);
  to = (off - DROP_BEHIND) & ~(page - 1);
  from = input_map.dropped < KEEP_HEAD ? KEEP_HEAD : input_map.dropped;
  from = (from + page - 1) & ~(page - 1);
  if (to < from + DROP_BATCH)
    return;
  /* A private mapping of a file that was never written to here: the
   * dropped pages read the same bytes again if touched. */
  madvise(input_map.base + from, to - from, MADV_DONTNEED);
  input_map.dropped = to;
}

size_t sheaf_import_utf8_chunked(const char *p, size_t n,
                                 size_t (*check)(const char *, size_t))
{
  const size_t chunk = (size_t)4 << 20;
  size_t pos = 0;

  if (!sheaf_import_input_mapped(p) || n <= chunk)
    return check(p, n);
  while (pos < n) {
    size_t end = n - pos > chunk ? pos + chunk : n, k, b;
    /* End before a lead byte: no sequence straddles two chunks. */
    for (b = 0; b < 3 && end < n && ((unsigned char)p[end] & 0xC0) == 0x80; b++)
      end--;
    k = check(p + pos, end - pos);
    pos += k;
    if (pos < end)
      return pos;
    sheaf_import_input_advise(p + pos);
  }
  return n;
}

static size_t utf8_valid_len(const char *p, size_t n)
{
  return sheaf_utf8_valid(p, n) ? n : 0;
}

bool sheaf_import_utf8_valid(const char *p, size_t n)
{
  return sheaf_import_utf8_chunked(p, n, utf8_valid_len) == n;
}

/* Maps `size` bytes of fd privately, followed by at least one zero byte
 * (an anonymous page when the file ends on a page boundary), so the
 * buffer is NUL-terminated like one read into memory. */
static char *map_file(int fd, size_t size)
{
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  size_t maplen = (size + 1 + page - 1) & ~(page - 1);
  char *base;

  if (input_map.base) /* one at a time */
    return NULL;
  base = mmap(NULL, maplen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED)
    return NULL;
  if (mmap(base, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd, 0) ==
      MAP_FAILED) {
    munmap(base, maplen);
    return NULL;
  }
  input_map.base = base;
  input_map.len = size;
  input_map.maplen = maplen;
  input_map.dropped = KEEP_HEAD;
  return base;
}

/* Reads a whole regular file, up to `max` bytes. Devices (/dev/zero would
 * never end), FIFOs (would block with no writer) and sockets are refused:
 * the file is opened without blocking and checked before a byte is read. */
static sheaf_status read_file(const char *path, size_t max, bool nofollow, char **data,
                              size_t *len, sheaf_diag *diag)
{
  /* In a folder walk, a file swapped for a symbolic link after the walk
   * looked at it is not followed either. */
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | (nofollow ? O_NOFOLLOW : 0));
  FILE *f = NULL;
  struct stat st;
  char *buf = NULL;
  size_t cap = 0, n = 0, got;
  sheaf_status ret = SHEAF_OK;
  char sz[32];

  *data = NULL;
  *len = 0;
  if (fd < 0 || fstat(fd, &st) != 0) {
    sheaf_diag_add(diag, SHEAF_ERROR, "io", path, 0, 0, "cannot read: %s",
                   strerror(errno));
    if (fd >= 0)
      close(fd);
    return SHEAF_ERR_IO;
  }
  if (!S_ISREG(st.st_mode)) {
    sheaf_diag_add(diag, SHEAF_ERROR, "io", path, 0, 0,
                   S_ISDIR(st.st_mode) ? "cannot read: %s"
                                       : "cannot read: this is %s; sheaf reads regular "
                                         "files and folders (save it to a file first)",
                   S_ISDIR(st.st_mode) ? strerror(EISDIR) : file_kind(st.st_mode));
    close(fd);
    return SHEAF_ERR_IO;
  }
  if ((unsigned long long)st.st_size > max) {
    close(fd);
    goto too_big;
  }
  if ((size_t)st.st_size >= MAP_MIN) {
    char *m = map_file(fd, (size_t)st.st_size);
    if (m) {
      close(fd);
      *data = m;
      *len = (size_t)st.st_size;
      return SHEAF_OK;
    }
    /* Not mappable: read it as any other. */
  }
  if ((f = fdopen(fd, "rb")) == NULL) {
    sheaf_diag_add(diag, SHEAF_ERROR, "io", path, 0, 0, "cannot read: %s",
                   strerror(errno));
    close(fd);
    return SHEAF_ERR_IO;
  }
  cap = (size_t)st.st_size + 1;
  if (cap < 4096)
    cap = 4096;
  /* Read in chunks: a file may grow while it is read. */
  for (;;) {
    if (n + 1 >= cap || buf == NULL) {
      size_t ncap = buf == NULL ? cap : cap * 2;
      char *p;
      if (ncap > max + 2 || ncap < cap)
        ncap = max + 2;
      if ((p = sheaf_realloc(buf, ncap)) == NULL) {
        ret = SHEAF_ERR_NOMEM;
        goto out;
      }
      buf = p;
      cap = ncap;
    }
    got = fread(buf + n, 1, cap - n - 1, f);
    n += got;
    if (n > max)
      goto too_big;
    if (got == 0)
      break;
  }
  if (ferror(f)) {
    sheaf_diag_add(diag, SHEAF_ERROR, "io", path, 0, 0, "cannot read: %s",
                   strerror(errno ? errno : EIO));
    ret = SHEAF_ERR_IO;
    goto out;
  }
  buf[n] = '\0';
  *data = buf;
  *len = n;
  buf = NULL;
  goto out;
too_big:
  sheaf_diag_add(diag, SHEAF_ERROR, "limit", path, 0, 0,
                 "the file is larger than %s (--max-input-size); split it into "
                 "smaller files or raise the limit, e.g. --max-input-size 2G",
                 sheaf_size_str(max, sz));
  ret = SHEAF_ERR_LIMIT;
out:
  sheaf_free(buf);
  if (f)
    fclose(f);
  return ret;
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
      sheaf_diag_add(diag, SHEAF_ERROR, "limit", a->source, a->line, 0,
                     "the article \"%.60s\" is larger than %s (--max-article-size: "
                     "%zu bytes); raise the limit, e.g. --max-article-size 64M",
                     a->title, sheaf_size_str(max_sz, sz), nb > ns ? nb : ns);
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

/* Markdown has no signature, and a post about HTML may open with markup;
 * a Markdown file name settles what sniffing cannot. */
static bool markdown_name(const char *path)
{
  static const char *const exts[] = {".md", ".markdown", ".mkd", ".mkdn"};
  return has_ext(path, exts, sizeof exts / sizeof exts[0]);
}

/* Imports one file whose content is in memory. In a folder walk
 * (`in_folder`), files that are not articles (an SVG, a sitemap, a JSON
 * file) are skipped with a note instead of failing the build. */
static sheaf_status import_data(struct sheaf_collection *coll, const char *path,
                                char **datap, size_t *lenp, int64_t mtime, bool in_folder,
                                const sheaf_options *opt, sheaf_diag *diag)
{
  const char *what = "";
  enum sheaf_format f;
  sheaf_status ret;

  /* Everything after this point sees UTF-8 (decode.c), and XML feeds are
   * repaired textually first (repair.c). */
  if ((ret = sheaf_import_gunzip(
           path, datap, lenp,
           SHEAF_LIMIT(opt, max_input_size, SHEAF_DEFAULT_MAX_INPUT_SIZE), diag)) !=
          SHEAF_OK ||
      (ret = sheaf_import_decode_buf(path, datap, lenp, opt, diag)) != SHEAF_OK)
    return ret;
  f = sheaf_import_sniff(*datap, *lenp, &what);
  if ((f == SHEAF_FORMAT_RSS || f == SHEAF_FORMAT_ATOM || f == SHEAF_FORMAT_WXR) &&
      (ret = sheaf_import_repair(path, datap, lenp, diag)) != SHEAF_OK)
    return ret;
  if ((f == SHEAF_FORMAT_HTML || f == SHEAF_FORMAT_XML) && markdown_name(path))
    f = SHEAF_FORMAT_TEXT;
  switch (f) {
  case SHEAF_FORMAT_RSS:
  case SHEAF_FORMAT_ATOM:
    return sheaf_import_feed(coll, path, *datap, *lenp, opt, diag);
  case SHEAF_FORMAT_WXR:
    return sheaf_import_wxr(coll, path, *datap, *lenp, opt, diag);
  case SHEAF_FORMAT_HTML:
    /* An HTML page where a feed was expected (a login or error page saved
     * under the feed's name) is refused, not read as an article. */
    if (feed_name(path))
      break;
    return sheaf_import_html(coll, path, *datap, *lenp, opt, diag);
  case SHEAF_FORMAT_TEXT:
    return sheaf_import_markdown(coll, path, *datap, *lenp, mtime, opt, diag);
  default:
    break;
  }
  if (in_folder) {
    sheaf_diag_add(diag, SHEAF_NOTE, "skipped", path, 0, 0,
                   "skipped: this is %s, not an article", what);
    return SHEAF_OK;
  }
  sheaf_diag_add(diag, SHEAF_ERROR, "format", path, 0, 0,
                 "this is %s, not a feed; sheaf reads RSS, Atom and RDF feeds, "
                 "WordPress exports, Markdown and HTML files, and folders of them",
                 what);
  return SHEAF_ERR_FORMAT;
}

static sheaf_status import_file(struct sheaf_collection *coll, const char *path,
                                int64_t mtime, bool in_folder, const sheaf_options *opt,
                                sheaf_diag *diag)
{
  sheaf_status ret;
  char *data = NULL;
  size_t len, first = coll->narticles;

  ret = read_file(path, SHEAF_LIMIT(opt, max_input_size, SHEAF_DEFAULT_MAX_INPUT_SIZE),
                  in_folder, &data, &len, diag);
  if (ret == SHEAF_OK)
    ret = import_data(coll, path, &data, &len, mtime, in_folder, opt, diag);
  sheaf_import_input_free(data);
  if (ret == SHEAF_OK)
    ret = check_limits(coll, first, opt, diag);
  /* What the reader did not spool as it went (exports, pages, Markdown). */
  for (; ret == SHEAF_OK && first < coll->narticles; first++)
    if (!sheaf_collection_spool_article(coll, coll->articles[first])) {
      sheaf_diag_add(diag, SHEAF_ERROR, "write", NULL, 0, 0,
                     "cannot write book: cannot write its temporary file of article "
                     "bodies (in $TMPDIR, else /tmp): %s",
                     strerror(errno));
      ret = SHEAF_ERR_WRITE;
    }
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

static int cmp_names(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads every wanted file under `dir`, in name order so the same folder
 * gives the same book. Hidden entries are skipped; symbolic links are not
 * followed, so a walk never leaves the folder it was given or loops. */
static sheaf_status import_dir(struct sheaf_collection *coll, const char *dir,
                               unsigned depth, const sheaf_options *opt, sheaf_diag *diag)
{
  DIR *d;
  struct dirent *e;
  char **names = NULL;
  size_t n = 0, cap = 0, i;
  struct sheaf_buf path;
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
  while ((e = readdir(d)) != NULL) {
    char *copy;
    if (e->d_name[0] == '.')
      continue;
    if (!sheaf_grow((void **)&names, &cap, n + 1, sizeof *names) ||
        (copy = sheaf_strdup(e->d_name)) == NULL) {
      ret = SHEAF_ERR_NOMEM;
      break;
    }
    names[n++] = copy;
  }
  closedir(d);
  if (n)
    qsort(names, n, sizeof *names, cmp_names);

  sheaf_buf_init(&path, 0);
  for (i = 0; i < n && ret == SHEAF_OK; i++) {
    struct stat st;
    sheaf_buf_reset(&path);
    sheaf_buf_puts(&path, dir);
    if (path.len && path.ptr[path.len - 1] != '/')
      sheaf_buf_putc(&path, '/');
    sheaf_buf_puts(&path, names[i]);
    if (path.failed) {
      ret = SHEAF_ERR_NOMEM;
      break;
    }
    if (lstat(path.ptr, &st) != 0)
      continue;
    if (S_ISLNK(st.st_mode)) {
      sheaf_diag_add(diag, SHEAF_NOTE, "symlink", path.ptr, 0, 0,
                     "skipped: symbolic links are not followed in folders");
    } else if (S_ISDIR(st.st_mode)) {
      ret = import_dir(coll, path.ptr, depth + 1, opt, diag);
    } else if (S_ISREG(st.st_mode) && wanted(names[i])) {
      ret = import_file(coll, path.ptr, (int64_t)st.st_mtime, true, opt, diag);
    }
  }
  sheaf_buf_fini(&path);
  for (i = 0; i < n; i++)
    sheaf_free(names[i]);
  sheaf_free(names);
  return ret;
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
  if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
    ret = import_dir(coll, path, 0, opt, diag);
  else
    ret = import_file(coll, path, stat(path, &st) == 0 ? (int64_t)st.st_mtime : 0, false,
                      opt, diag);
  if (ret == SHEAF_ERR_NOMEM)
    sheaf_diag_add(diag, SHEAF_ERROR, "nomem", path, 0, 0, "out of memory");
  if (ret != SHEAF_OK)
    roll_back(coll, narticles, nfeeds);
  return ret;
}
