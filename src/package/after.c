/*
 * This file contains the record of the articles a book holds, and its
 * reader for --after ("only what is new since these books"). Every book
 * sheaf writes carries META-INF/sheaf-articles.txt: a comment line, then
 * the key of each chapter's article (its guid, else its link, else a hash
 * of its content; for a file, its folder's and own name, date and title:
 * sheaf_article_record_key()), one a line, with '%', CR and LF percent-escaped. A file
 * in META-INF is no part of the publication (OCF), so reading systems and
 * EPUBCheck leave it alone, and it costs a few bytes an article.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zip.h>

#include "package/package.h"

#define RECORD_HEAD "# sheaf: the articles this book holds, by id (sheaf build --after)\n"
/* A record larger than this is not one sheaf wrote: 1,000,000 articles of
 * ids up to 60 bytes. */
#define RECORD_MAX ((zip_uint64_t)64 << 20)

sheaf_status sheaf_package_record(const struct sheaf_book *b, struct sheaf_pkg_out *out)
{
  struct sheaf_buf key, line;
  bool ok = sheaf_pkg_out_put(out, RECORD_HEAD, sizeof RECORD_HEAD - 1);
  size_t i;
  const char *p;

  sheaf_buf_init(&key, 0);
  sheaf_buf_init(&line, 0);
  for (i = 0; ok && i < b->nchapters; i++) {
    sheaf_buf_reset(&line);
    if (!sheaf_article_record_key(b->coll, b->chapters[i], &key))
      line.failed = true;
    for (p = key.ptr; *p; p++) {
      if (*p == '%' || *p == '\n' || *p == '\r')
        sheaf_buf_printf(&line, "%%%02X", (unsigned char)*p);
      else
        sheaf_buf_putc(&line, *p);
    }
    sheaf_buf_putc(&line, '\n');
    ok = !line.failed && sheaf_pkg_out_put(out, line.ptr, line.len);
  }
  sheaf_buf_fini(&key);
  sheaf_buf_fini(&line);
  if (!ok)
    return out->err ? SHEAF_ERR_WRITE : SHEAF_ERR_NOMEM;
  return sheaf_pkg_out_finish(out);
}

/* ---- reading ---------------------------------------------------------------- */

/* Adds the ids of record text p[0..n) to `set`. */
static bool parse_record(const char *p, size_t n, struct sheaf_idset *set)
{
  const char *end = p + n, *nl;
  struct sheaf_buf id;

  sheaf_buf_init(&id, 0);
  for (; p < end; p = nl + 1) {
    char *copy;
    nl = memchr(p, '\n', (size_t)(end - p));
    if (nl == NULL)
      nl = end;
    if (nl == p || *p == '#')
      continue;
    sheaf_buf_reset(&id);
    sheaf_url_decode(&id, p, (size_t)(nl - p));
    if (id.failed ||
        !sheaf_grow((void **)&set->ids, &set->cap, set->n + 1, sizeof *set->ids)) {
      sheaf_buf_fini(&id);
      return false;
    }
    if ((copy = sheaf_strndup(id.ptr, id.len)) == NULL) {
      sheaf_buf_fini(&id);
      return false;
    }
    set->ids[set->n++] = copy;
  }
  sheaf_buf_fini(&id);
  return true;
}

sheaf_status sheaf_package_read_record(const char *path, struct sheaf_idset *set,
                                       struct sheaf_fileset *read, sheaf_diag *diag)
{
  zip_t *z = NULL;
  zip_file_t *zf = NULL;
  zip_stat_t zs;
  char *data = NULL;
  struct stat st;
  sheaf_status ret = SHEAF_OK;
  int err = 0, fd = -1;

  /* The book is read as a file this build read, so no output of the
   * build may replace it. */
  fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    sheaf_diag_add(diag, SHEAF_ERROR, "io", path, 0, 0,
                   "cannot read the book given with --after: %s",
                   fd < 0 ? strerror(errno) : "not a regular file");
    ret = SHEAF_ERR_IO;
    goto out;
  }
  if (!sheaf_fileset_add(read, (uint64_t)st.st_dev, (uint64_t)st.st_ino, path)) {
    ret = SHEAF_ERR_NOMEM;
    goto out;
  }
  z = zip_fdopen(fd, ZIP_RDONLY, &err);
  if (z == NULL) {
    sheaf_diag_add(diag, SHEAF_ERROR, "io", path, 0, 0,
                   "the book given with --after is not an EPUB (zip) file");
    ret = SHEAF_ERR_IO;
    goto out;
  }
  fd = -1; /* the archive owns it now */
  if (zip_stat(z, SHEAF_RECORD_NAME, 0, &zs) != 0 || !(zs.valid & ZIP_STAT_SIZE)) {
    sheaf_diag_add(diag, SHEAF_ERROR, "io", path, 0, 0,
                   "the book given with --after does not record its articles (it "
                   "was not made by sheaf, or by a version before 0.2)");
    ret = SHEAF_ERR_IO;
    goto out;
  }
  if (zs.size > RECORD_MAX || (data = sheaf_malloc((size_t)zs.size + 1)) == NULL) {
    ret = zs.size > RECORD_MAX ? SHEAF_ERR_LIMIT : SHEAF_ERR_NOMEM;
    if (ret == SHEAF_ERR_LIMIT)
      sheaf_diag_add(diag, SHEAF_ERROR, "limit", path, 0, 0,
                     "the article record of the book given with --after is too large");
    goto out;
  }
  if ((zf = zip_fopen(z, SHEAF_RECORD_NAME, 0)) == NULL ||
      zip_fread(zf, data, zs.size) != (zip_int64_t)zs.size) {
    sheaf_diag_add(diag, SHEAF_ERROR, "io", path, 0, 0,
                   "cannot read the article record of the book given with --after: %s",
                   zip_strerror(z));
    ret = SHEAF_ERR_IO;
    goto out;
  }
  if (!parse_record(data, (size_t)zs.size, set))
    ret = SHEAF_ERR_NOMEM;
out:
  if (zf)
    zip_fclose(zf);
  if (z)
    zip_discard(z);
  if (fd >= 0)
    close(fd);
  sheaf_free(data);
  return ret;
}
