/*
 * This file contains the zip container writer: it checks that the target can
 * be written, then hands libzip the entries in a fixed order with a fixed
 * date, so the same entries always give the same bytes. libzip's errors are
 * translated into diagnostics here and nowhere else.
 *
 * libzip writes into a source of our own (`sink` below) over the
 * temporary file output.c chose; output.c, not libzip, decides when and
 * where the finished file takes its name, so a failure or a kill leaves
 * the target as it was.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <zip.h>

#include "package/package.h"

/* DOS time, which zip stores, holds 1980-01-01 .. 2107-12-31. */
#define DOS_MIN INT64_C(315532800)
#define DOS_MAX INT64_C(4354819198)

static void write_error(sheaf_diag *diag, const char *path, const char *reason,
                        int sys_errno)
{
  sheaf_diag_add(diag, SHEAF_ERROR, "write", NULL, 0, 0, "cannot write book: %s: %s%s",
                 path, reason, sys_errno == ENOENT ? " (does the folder exist?)" : "");
}

/* The one place libzip's errors become diagnostics (STYLE.md rule 20). */
static sheaf_status zip_failed(sheaf_diag *diag, const char *path, zip_error_t *err)
{
  int sys = zip_error_system_type(err) == ZIP_ET_SYS ? zip_error_code_system(err) : 0;
  sheaf_status ret =
      zip_error_code_zip(err) == ZIP_ER_MEMORY ? SHEAF_ERR_NOMEM : SHEAF_ERR_WRITE;

  write_error(diag, path, zip_error_strerror(err), sys);
  return ret;
}

/* ---- the archive's own source: the temporary file of output.c ---------- */

/* libzip opens a new archive when its source's stat fails with ENOENT,
 * then at zip_close() writes the whole archive through the *_WRITE
 * commands. Commit and rollback do nothing: output.c publishes or drops
 * the file after zip_close() returns. */
struct sink {
  int fd;
  zip_error_t err;
};

static zip_int64_t sink_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
  struct sink *k = ud;
  zip_source_args_seek_t *args;
  off_t pos;

  switch (cmd) {
  case ZIP_SOURCE_STAT:
    zip_error_set(&k->err, ZIP_ER_READ, ENOENT);
    return -1;
  case ZIP_SOURCE_OPEN:
  case ZIP_SOURCE_CLOSE:
  case ZIP_SOURCE_COMMIT_WRITE:
  case ZIP_SOURCE_ROLLBACK_WRITE:
  case ZIP_SOURCE_REMOVE:
    return 0;
  case ZIP_SOURCE_READ:
  case ZIP_SOURCE_SEEK:
  case ZIP_SOURCE_TELL:
    zip_error_set(&k->err, ZIP_ER_OPNOTSUPP, 0);
    return -1;
  case ZIP_SOURCE_BEGIN_WRITE:
    if (ftruncate(k->fd, 0) != 0 || lseek(k->fd, 0, SEEK_SET) != 0) {
      zip_error_set(&k->err, ZIP_ER_WRITE, errno);
      return -1;
    }
    return 0;
  case ZIP_SOURCE_WRITE: {
    const char *p = data;
    zip_uint64_t done = 0;
    while (done < len) {
      ssize_t w = write(k->fd, p + done, (size_t)(len - done));
      if (w < 0 && errno == EINTR)
        continue;
      if (w <= 0) {
        zip_error_set(&k->err, ZIP_ER_WRITE, w < 0 ? errno : ENOSPC);
        return -1;
      }
      done += (zip_uint64_t)w;
    }
    return (zip_int64_t)len;
  }
  case ZIP_SOURCE_SEEK_WRITE:
    args = ZIP_SOURCE_GET_ARGS(zip_source_args_seek_t, data, len, &k->err);
    if (args == NULL)
      return -1;
    if (lseek(k->fd, (off_t)args->offset, args->whence) < 0) {
      zip_error_set(&k->err, ZIP_ER_SEEK, errno);
      return -1;
    }
    return 0;
  case ZIP_SOURCE_TELL_WRITE:
    pos = lseek(k->fd, 0, SEEK_CUR);
    if (pos < 0) {
      zip_error_set(&k->err, ZIP_ER_TELL, errno);
      return -1;
    }
    return (zip_int64_t)pos;
  case ZIP_SOURCE_ERROR:
    return zip_error_to_data(&k->err, data, len);
  case ZIP_SOURCE_FREE:
    zip_error_fini(&k->err);
    sheaf_free(k);
    return 0;
  case ZIP_SOURCE_SUPPORTS:
    return zip_source_make_command_bitmap(
        ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
        ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, ZIP_SOURCE_SEEK, ZIP_SOURCE_TELL,
        ZIP_SOURCE_BEGIN_WRITE, ZIP_SOURCE_WRITE, ZIP_SOURCE_COMMIT_WRITE,
        ZIP_SOURCE_ROLLBACK_WRITE, ZIP_SOURCE_SEEK_WRITE, ZIP_SOURCE_TELL_WRITE,
        ZIP_SOURCE_REMOVE, -1);
  default:
    zip_error_set(&k->err, ZIP_ER_OPNOTSUPP, 0);
    return -1;
  }
}

/* Opens a new, empty archive that writes into `fd`. */
static zip_t *open_sink(int fd, zip_error_t *ze)
{
  struct sink *k = sheaf_calloc(1, sizeof *k);
  zip_source_t *src;
  zip_t *za;

  if (k == NULL) {
    zip_error_set(ze, ZIP_ER_MEMORY, 0);
    return NULL;
  }
  k->fd = fd;
  zip_error_init(&k->err);
  src = zip_source_function_create(sink_cb, k, ze);
  if (src == NULL) {
    zip_error_fini(&k->err);
    sheaf_free(k);
    return NULL;
  }
  za = zip_open_from_source(src, ZIP_CREATE | ZIP_TRUNCATE, ze);
  if (za == NULL)
    zip_source_free(src); /* frees k too */
  return za;
}

/* libzip turns a time_t into DOS date fields with localtime(), which would
 * make the bytes depend on the TZ of the machine. Returns the time_t whose
 * local broken-down time equals the UTC one of `t`, so the stored fields
 * are the UTC date whatever the zone. */
static time_t dos_time(int64_t t)
{
  struct tm tm;
  time_t lt;
  int64_t y;
  unsigned mo, d, h, mi, s;

  if (t < DOS_MIN)
    t = DOS_MIN;
  if (t > DOS_MAX)
    t = DOS_MAX;
  sheaf_date_split(t, &y, &mo, &d, &h, &mi, &s);
  memset(&tm, 0, sizeof tm);
  tm.tm_year = (int)y - 1900;
  tm.tm_mon = (int)mo - 1;
  tm.tm_mday = (int)d;
  tm.tm_hour = (int)h;
  tm.tm_min = (int)mi;
  tm.tm_sec = (int)s;
  tm.tm_isdst = -1;
  lt = mktime(&tm);
  return lt == (time_t)-1 ? (time_t)t : lt;
}

/* A zip source of already-deflated data: from the manuscript's spool file
 * or from memory. Its stat reports the method, sizes and CRC, so libzip
 * copies the raw deflate stream into the archive as it is (in zip_close's
 * add_data: the entry's method is left at ZIP_CM_DEFAULT, the source's
 * ZIP_CM_DEFLATE is taken over, nothing needs recompressing, and the CRC
 * comes from the stat). */
struct predeflated {
  const struct sheaf_spool *sp;
  unsigned char *mem;        /* owned compressed bytes, or NULL */
  const unsigned char *cmem; /* the compressed bytes in memory; NULL: in sp's file */
  uint64_t off, clen, len, pos;
  uint32_t crc;
  zip_error_t err;
};

static zip_int64_t predeflated_cb(void *ud, void *data, zip_uint64_t len,
                                  zip_source_cmd_t cmd)
{
  struct predeflated *p = ud;
  zip_stat_t *st;
  uint64_t n;

  switch (cmd) {
  case ZIP_SOURCE_OPEN:
    p->pos = 0;
    return 0;
  case ZIP_SOURCE_READ:
    n = p->clen - p->pos < len ? p->clen - p->pos : len;
    if (n == 0)
      return 0;
    if (p->cmem) {
      memcpy(data, p->cmem + p->pos, (size_t)n);
    } else if (!sheaf_spool_read(p->sp, p->off + p->pos, data, (size_t)n)) {
      zip_error_set(&p->err, ZIP_ER_READ, errno);
      return -1;
    }
    p->pos += n;
    return (zip_int64_t)n;
  case ZIP_SOURCE_CLOSE:
    return 0;
  case ZIP_SOURCE_STAT:
    st = ZIP_SOURCE_GET_ARGS(zip_stat_t, data, len, &p->err);
    if (st == NULL)
      return -1;
    zip_stat_init(st);
    st->size = p->len;
    st->comp_size = p->clen;
    st->comp_method = ZIP_CM_DEFLATE;
    st->encryption_method = ZIP_EM_NONE;
    st->crc = p->crc;
    st->valid = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD | ZIP_STAT_CRC |
                ZIP_STAT_ENCRYPTION_METHOD;
    return sizeof *st;
  case ZIP_SOURCE_ERROR:
    return zip_error_to_data(&p->err, data, len);
  case ZIP_SOURCE_FREE:
    zip_error_fini(&p->err);
    sheaf_free(p->mem);
    sheaf_free(p);
    return 0;
  case ZIP_SOURCE_SUPPORTS:
    return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ,
                                          ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
                                          ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
  default:
    zip_error_set(&p->err, ZIP_ER_OPNOTSUPP, 0);
    return -1;
  }
}

/* Returns a source of entry `e` deflated (from its spool, else compressed
 * here with the same parameters, so both give the same bytes), or NULL
 * with the error in `za`. */
static zip_source_t *predeflated_source(zip_t *za, const struct sheaf_zip_entry *e)
{
  struct predeflated *p = sheaf_calloc(1, sizeof *p);
  struct sheaf_spool_entry se;
  zip_source_t *src;
  size_t clen;

  if (p == NULL) {
    zip_error_set(zip_get_error(za), ZIP_ER_MEMORY, 0);
    return NULL;
  }
  zip_error_init(&p->err);
  if (e->spool) {
    if (!sheaf_spool_entry(e->spool, e->spool_idx, &se)) {
      zip_error_set(zip_get_error(za), ZIP_ER_INTERNAL, 0);
      goto fail;
    }
    p->sp = e->spool;
    p->off = se.off;
    p->clen = se.clen;
    p->len = se.len;
    p->crc = se.crc;
  } else if (e->deflated) {
    p->cmem = e->deflated;
    p->clen = e->clen;
    p->len = e->len;
    p->crc = e->crc;
  } else {
    if (sheaf_deflate(e->data, e->len, &p->mem, &clen, &p->crc) != SHEAF_OK) {
      zip_error_set(zip_get_error(za), ZIP_ER_MEMORY, 0);
      goto fail;
    }
    p->cmem = p->mem;
    p->clen = clen;
    p->len = e->len;
  }
  src = zip_source_function(za, predeflated_cb, p);
  if (src)
    return src;
fail:
  zip_error_fini(&p->err);
  sheaf_free(p->mem);
  sheaf_free(p);
  return NULL;
}

/* Adds one entry; on failure the source is freed (libzip does not take it
 * when zip_file_add fails). Returns false with the error left in `za`. */
static bool add(zip_t *za, const struct sheaf_zip_entry *e, const char *name,
                time_t mtime)
{
  zip_source_t *src;
  zip_int64_t idx;

  if (e->store)
    src = zip_source_buffer(za, e->len ? e->data : NULL, e->len, 0);
  else
    src = predeflated_source(za, e);
  if (src == NULL)
    return false;
  idx = zip_file_add(za, name, src, ZIP_FL_ENC_UTF_8);
  if (idx < 0) {
    zip_source_free(src);
    return false;
  }
  return (!e->store ||
          zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0) == 0) &&
         zip_file_set_mtime(za, (zip_uint64_t)idx, mtime, 0) == 0;
}

/* libzip polls this while it writes; a non-zero return makes zip_close()
 * fail and remove its temporary file, so an interrupted build leaves
 * nothing behind. */
static int cancelled(zip_t *za, void *ud)
{
  const sheaf_options *opt = ud;

  (void)za;
  return opt->cancel(opt->cancel_userdata) != 0;
}

sheaf_status sheaf_package_zip(const struct sheaf_out *o,
                               const struct sheaf_zip_entry *entries, size_t nentries,
                               int64_t mtime, const sheaf_options *opt, sheaf_diag *diag)
{
  const char *path = o->path;
  struct sheaf_buf name;
  zip_error_t ze;
  zip_t *za;
  time_t when = dos_time(mtime);
  sheaf_status ret = SHEAF_OK;
  size_t i;

  sheaf_buf_init(&name, 0);
  zip_error_init(&ze);
  za = open_sink(o->fd, &ze);
  if (za == NULL) {
    ret = zip_failed(diag, path, &ze);
    zip_error_fini(&ze);
    goto out;
  }
  if (opt && opt->cancel &&
      zip_register_cancel_callback_with_state(za, cancelled, NULL, sheaf_unconst(opt)) !=
          0) {
    ret = zip_failed(diag, path, zip_get_error(za));
    goto out;
  }
  for (i = 0; i < nentries; i++) {
    sheaf_buf_reset(&name);
    if (entries[i].prefix)
      sheaf_buf_puts(&name, entries[i].prefix);
    sheaf_buf_puts(&name, entries[i].name);
    if (name.failed) {
      write_error(diag, path, strerror(ENOMEM), 0);
      ret = SHEAF_ERR_NOMEM;
      goto out;
    }
    if (!add(za, &entries[i], name.ptr, when)) {
      ret = zip_failed(diag, path, zip_get_error(za));
      goto out;
    }
  }
  if (zip_close(za) != 0) {
    if (zip_error_code_zip(zip_get_error(za)) == ZIP_ER_CANCELLED) {
      sheaf_diag_add(diag, SHEAF_ERROR, "cancelled", NULL, 0, 0,
                     "interrupted; %s was not written", path);
      ret = SHEAF_ERR_CANCELLED;
    } else {
      ret = zip_failed(diag, path, zip_get_error(za));
    }
    goto out;
  }
  za = NULL;
out:
  if (za)
    zip_discard(za);
  sheaf_buf_fini(&name);
  return ret;
}
