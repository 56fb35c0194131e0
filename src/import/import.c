/*
 * This file contains sheaf_import_path(), the import stage's public entry:
 * it reads one input file into memory, sniffs its format from the content,
 * hands feeds to the streaming reader (feed.c) and refuses everything else
 * with a message that says what the file is and what sheaf reads. A failed
 * import leaves the collection exactly as it was.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "import/import.h"

#define MAX_INPUT ((size_t)512 * 1024 * 1024)

static sheaf_status read_file(const char *path, char **data, size_t *len,
                              sheaf_diag *diag)
{
  FILE *f = fopen(path, "rb");
  struct stat st;
  char *buf = NULL;
  size_t cap = 0, n = 0, got;
  sheaf_status ret = SHEAF_OK;

  *data = NULL;
  *len = 0;
  if (f == NULL) {
    sheaf_diag_add(diag, SHEAF_ERROR, "io", path, 0, 0, "cannot read: %s", strerror(errno));
    return SHEAF_ERR_IO;
  }
  if (fstat(fileno(f), &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      sheaf_diag_add(diag, SHEAF_ERROR, "io", path, 0, 0, "cannot read: %s",
                     strerror(EISDIR));
      ret = SHEAF_ERR_IO;
      goto out;
    }
    if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > MAX_INPUT)
      goto too_big;
    if (S_ISREG(st.st_mode))
      cap = (size_t)st.st_size + 1;
  }
  if (cap < 4096)
    cap = 4096;
  /* Read in chunks: the size of a pipe or a growing file is not known. */
  for (;;) {
    if (n + 1 >= cap || buf == NULL) {
      size_t ncap = buf == NULL ? cap : cap * 2;
      char *p;
      if (ncap > MAX_INPUT + 2)
        ncap = MAX_INPUT + 2;
      if ((p = sheaf_realloc(buf, ncap)) == NULL) {
        ret = SHEAF_ERR_NOMEM;
        goto out;
      }
      buf = p;
      cap = ncap;
    }
    got = fread(buf + n, 1, cap - n - 1, f);
    n += got;
    if (n > MAX_INPUT)
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
                 "the file is larger than 512 MiB; split it into smaller feeds");
  ret = SHEAF_ERR_LIMIT;
out:
  sheaf_free(buf);
  fclose(f);
  return ret;
}

/* Drops the articles and feeds added after the given counts. */
static void roll_back(struct sheaf_collection *coll, size_t narticles, size_t nfeeds)
{
  while (coll->narticles > narticles)
    sheaf_article_free(coll->articles[--coll->narticles]);
  while (coll->nfeeds > nfeeds)
    sheaf_feed_free(coll->feeds[--coll->nfeeds]);
}

sheaf_status sheaf_import_path(sheaf_collection *coll, const char *path,
                               const sheaf_options *opt, sheaf_diag *diag)
{
  sheaf_status ret = SHEAF_OK;
  size_t narticles, nfeeds, len;
  const char *what = "";
  char *data = NULL;

  if (coll == NULL || path == NULL)
    return SHEAF_ERR_USAGE;
  narticles = coll->narticles;
  nfeeds = coll->nfeeds;
  SHEAF_CHECK(read_file(path, &data, &len, diag));
  switch (sheaf_import_sniff(data, len, &what)) {
  case SHEAF_FORMAT_RSS:
  case SHEAF_FORMAT_ATOM:
    ret = sheaf_import_feed(coll, path, data, len, opt, diag);
    break;
  default:
    sheaf_diag_add(diag, SHEAF_ERROR, "format", path, 0, 0,
                   "this is %s, not a feed; sheaf reads RSS 2.0 and Atom 1.0 feeds",
                   what);
    ret = SHEAF_ERR_FORMAT;
    break;
  }
out:
  if (ret != SHEAF_OK)
    roll_back(coll, narticles, nfeeds);
  sheaf_free(data);
  return ret;
}
