/*
 * This file contains the zip container writer. It writes the entries in
 * the order given, each dated with one fixed time, straight into the
 * temporary file output.c chose: a local header, then the bytes (stored,
 * or the raw deflate stream the layout's workers made, copied from their
 * spool without recompressing). The central directory goes to a second,
 * unlinked temporary file as the entries are written and is copied after
 * them at the end, so memory holds neither the book nor its directory,
 * whatever the number of entries (a book of a million chapters has a
 * directory of 70 MB). Past 65,535 entries or 4 GB, the end records are
 * Zip64's (APPNOTE 4.3.14-4.3.16), with a Zip64 extra field on each entry
 * whose offset needs one.
 *
 * Nothing depends on the clock, the machine or the thread that compressed
 * an entry, so the same entries always give the same bytes. The headers
 * are those libzip wrote for sheaf before (Unix, version 6.3, mode 0666,
 * no extra fields, UTF-8 flag only for names outside ASCII), so books are
 * byte-identical to the earlier ones.
 */
#define _GNU_SOURCE /* sync_file_range */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libdeflate.h>

#include "package/package.h"

/* DOS time, which zip stores, holds 1980-01-01 .. 2107-12-31. */
#define DOS_MIN INT64_C(315532800)
#define DOS_MAX INT64_C(4354819198)

#define ZIP_LOCAL_SIG 0x04034b50u
#define ZIP_CENTRAL_SIG 0x02014b50u
#define ZIP_EOCD_SIG 0x06054b50u
#define ZIP64_EOCD_SIG 0x06064b50u
#define ZIP64_LOCATOR_SIG 0x07064b50u
#define MADE_BY 0x033f    /* Unix, zip 6.3 */
#define MADE_BY_64 0x032d /* Unix, zip 4.5: Zip64 */
#define U16_MAX 0xffffu
#define U32_MAX 0xffffffffu
#define IO_BUF ((size_t)1 << 18)
/* A book going to a file is written back to the disk in steps of this
 * much as it is written, see wr_flush(). */
#define WRITEBACK_STEP ((uint64_t)1 << 20)

static void write_error(sheaf_diag *diag, const char *path, const char *reason,
                        int sys_errno)
{
  sheaf_diag_add(diag, SHEAF_ERROR, "write", NULL, 0, 0, "cannot write book: %s: %s%s",
                 path, reason, sys_errno == ENOENT ? " (does the folder exist?)" : "");
}

/* A buffered, append-only writer over a descriptor. `failed` and `err`
 * are sticky: a run of writes is checked once (STYLE.md rule 24). */
struct wr {
  int fd;
  unsigned char *buf;
  size_t len;
  uint64_t pos; /* bytes written through this writer */
  bool failed;
  int err;
  bool writeback;   /* start writing the file back to the disk as it grows */
  uint64_t flushed; /* bytes handed to the kernel */
  uint64_t synced;  /* of them, bytes whose writeback was started */
};

static void wr_flush(struct wr *w)
{
  size_t done = 0;

  while (!w->failed && done < w->len) {
    ssize_t k = write(w->fd, w->buf + done, w->len - done);
    if (k < 0 && errno == EINTR)
      continue;
    if (k <= 0) {
      w->failed = true;
      w->err = k < 0 ? errno : ENOSPC;
      break;
    }
    done += (size_t)k;
  }
  w->flushed += w->len;
  w->len = 0;
  /* The book is fsync'ed before it takes its name (output.c): started
   * now, the disk writes overlap the rest of the zip instead of all
   * waiting there (41 MB at 10,000 chapters: some 80 ms of the wall time).
   * Only a hint: a failure changes nothing. */
  if (w->writeback && !w->failed && w->flushed - w->synced >= WRITEBACK_STEP) {
    sync_file_range(w->fd, (off64_t)w->synced, (off64_t)(w->flushed - w->synced),
                    SYNC_FILE_RANGE_WRITE);
    w->synced = w->flushed;
  }
}

static void wr_put(struct wr *w, const void *p, size_t n)
{
  const unsigned char *s = p;

  w->pos += n;
  while (n && !w->failed) {
    size_t take = IO_BUF - w->len < n ? IO_BUF - w->len : n;
    memcpy(w->buf + w->len, s, take);
    w->len += take;
    s += take;
    n -= take;
    if (w->len == IO_BUF)
      wr_flush(w);
  }
}

static void wr_u16(struct wr *w, unsigned v)
{
  unsigned char b[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
  wr_put(w, b, 2);
}

static void wr_u32(struct wr *w, uint32_t v)
{
  unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8),
                        (unsigned char)(v >> 16), (unsigned char)(v >> 24)};
  wr_put(w, b, 4);
}

static void wr_u64(struct wr *w, uint64_t v)
{
  wr_u32(w, (uint32_t)v);
  wr_u32(w, (uint32_t)(v >> 32));
}

/* The DOS date and time fields of `t`, in UTC whatever the machine's zone. */
static void dos_time(int64_t t, unsigned *date, unsigned *time)
{
  int64_t y;
  unsigned mo, d, h, mi, s;

  if (t < DOS_MIN)
    t = DOS_MIN;
  if (t > DOS_MAX)
    t = DOS_MAX;
  sheaf_date_split(t, &y, &mo, &d, &h, &mi, &s);
  *date = (unsigned)((y - 1980) << 9) | mo << 5 | d;
  *time = h << 11 | mi << 5 | s / 2;
}

/* What the central directory needs of an entry once it is written. */
struct written {
  const char *name;
  size_t nlen;
  bool deflated, utf8;
  uint32_t crc;
  uint64_t clen, len, off;
};

/* The fields a local header and its central record share, from the flags
 * to the name's length (APPNOTE 4.3.7 and 4.3.12). */
static void entry_fields(struct wr *w, const struct written *e, unsigned date,
                         unsigned time)
{
  wr_u16(w, e->utf8 ? 0x0800 : 0);
  wr_u16(w, e->deflated ? 8 : 0);
  wr_u16(w, time);
  wr_u16(w, date);
  wr_u32(w, e->crc);
  wr_u32(w, (uint32_t)e->clen);
  wr_u32(w, (uint32_t)e->len);
  wr_u16(w, (unsigned)e->nlen);
}

static void local_header(struct wr *w, const struct written *e, unsigned date,
                         unsigned time)
{
  wr_u32(w, ZIP_LOCAL_SIG);
  wr_u16(w, e->deflated ? 20 : 10);
  entry_fields(w, e, date, time);
  wr_u16(w, 0);
  wr_put(w, e->name, e->nlen);
}

static void central_record(struct wr *w, const struct written *e, unsigned date,
                           unsigned time)
{
  bool far = e->off >= U32_MAX;

  wr_u32(w, ZIP_CENTRAL_SIG);
  wr_u16(w, MADE_BY);
  wr_u16(w, far ? 45 : e->deflated ? 20 : 10);
  entry_fields(w, e, date, time);
  wr_u16(w, far ? 12 : 0); /* extra field */
  wr_u16(w, 0);            /* comment */
  wr_u16(w, 0);            /* disk */
  wr_u16(w, 0);            /* internal attributes */
  wr_u32(w, UINT32_C(0100666) << 16);
  wr_u32(w, far ? U32_MAX : (uint32_t)e->off);
  wr_put(w, e->name, e->nlen);
  if (far) { /* Zip64 extended information: the offset alone */
    wr_u16(w, 0x0001);
    wr_u16(w, 8);
    wr_u64(w, e->off);
  }
}

/* The end records: Zip64's when a field does not fit the classic ones. */
static void end_records(struct wr *w, uint64_t n, uint64_t cd_off, uint64_t cd_len)
{
  if (n >= U16_MAX || cd_off >= U32_MAX || cd_len >= U32_MAX) {
    uint64_t at = w->pos;
    wr_u32(w, ZIP64_EOCD_SIG);
    wr_u64(w, 44); /* size of the rest of this record */
    wr_u16(w, MADE_BY_64);
    wr_u16(w, 45);
    wr_u32(w, 0); /* this disk */
    wr_u32(w, 0); /* disk of the directory */
    wr_u64(w, n);
    wr_u64(w, n);
    wr_u64(w, cd_len);
    wr_u64(w, cd_off);
    wr_u32(w, ZIP64_LOCATOR_SIG);
    wr_u32(w, 0);
    wr_u64(w, at);
    wr_u32(w, 1); /* disks */
  }
  wr_u32(w, ZIP_EOCD_SIG);
  wr_u16(w, 0);
  wr_u16(w, 0);
  wr_u16(w, n >= U16_MAX ? U16_MAX : (unsigned)n);
  wr_u16(w, n >= U16_MAX ? U16_MAX : (unsigned)n);
  wr_u32(w, cd_len >= U32_MAX ? U32_MAX : (uint32_t)cd_len);
  wr_u32(w, cd_off >= U32_MAX ? U32_MAX : (uint32_t)cd_off);
  wr_u16(w, 0); /* comment */
}

static bool has_non_ascii(const char *s, size_t n)
{
  size_t i;

  for (i = 0; i < n; i++)
    if ((unsigned char)s[i] >= 0x80)
      return true;
  return false;
}

/* A read-ahead window over a spool's file. The chapters lie there in
 * about the order the zip takes them, so once entries come in sequence a
 * run of them is read with one pread, not one each (10,000 chapters: 10,000
 * reads). Only sequential reads fill it, so pictures spooled here and there
 * cost no more than before. */
struct window {
  const struct sheaf_spool *sp;
  unsigned char *buf; /* IO_BUF bytes */
  uint64_t off;       /* buf holds [off, off + len) of the file */
  size_t len;
  uint64_t next; /* where the last entry copied ended */
};

/* Copies `n` bytes at `off` of the spool's file into the archive. */
static bool copy_spooled(struct wr *w, struct window *win, const struct sheaf_spool *sp,
                         uint64_t off, uint64_t n, unsigned char *tmp)
{
  bool seq = win->sp == sp && off == win->next;

  win->next = off + n;
  if (win->sp != sp) { /* another spool: what the window holds is not its */
    win->sp = sp;
    win->len = 0;
  }
  if (n <= IO_BUF / 4 && (seq || (off >= win->off && off - win->off < win->len))) {
    if (off < win->off || off - win->off > win->len || win->len - (off - win->off) < n) {
      uint64_t size = sheaf_spool_size(sp);
      size_t take = size > off && size - off < IO_BUF ? (size_t)(size - off) : IO_BUF;
      if (size < off + n || !sheaf_spool_read(sp, off, win->buf, take)) {
        win->len = 0;
        w->failed = true;
        w->err = size < off + n ? EIO : errno;
        return false;
      }
      win->off = off;
      win->len = take;
    }
    wr_put(w, win->buf + (off - win->off), (size_t)n);
    return !w->failed;
  }
  while (n && !w->failed) {
    size_t take = n < IO_BUF ? (size_t)n : IO_BUF;
    if (!sheaf_spool_read(sp, off, tmp, take)) {
      w->failed = true;
      w->err = errno;
      return false;
    }
    wr_put(w, tmp, take);
    off += take;
    n -= take;
  }
  return !w->failed;
}

/* Copies `n` bytes at `at` of the file `fd` (the directory's temporary
 * file, or the package documents') into `w`. */
static bool copy_file(struct wr *w, int fd, uint64_t at, uint64_t n, unsigned char *tmp)
{
  uint64_t off = 0;

  while (off < n && !w->failed) {
    size_t take = n - off < IO_BUF ? (size_t)(n - off) : IO_BUF;
    if (!sheaf_pread_all(fd, tmp, take, at + off)) {
      w->failed = true;
      w->err = errno;
      return false;
    }
    wr_put(w, tmp, take);
    off += take;
  }
  return !w->failed;
}

static uint64_t fnv(uint64_t h, const char *s)
{
  for (; s && *s; s++)
    h = (h ^ (unsigned char)*s) * UINT64_C(0x100000001b3);
  return h;
}

static uint64_t name_hash(const struct sheaf_zip_entry *e)
{
  return fnv(fnv(UINT64_C(0xcbf29ce484222325), e->prefix), e->name);
}

/* The entry's full name into `b`. */
static void full_name(const struct sheaf_zip_entry *e, struct sheaf_buf *b)
{
  sheaf_buf_reset(b);
  sheaf_buf_puts(b, e->prefix ? e->prefix : "");
  sheaf_buf_puts(b, e->name);
}

/* Of the entries whose name hashes to `h`, the first that repeats an
 * earlier one's name, or `n`. A hash shared by different names is rare,
 * so they are found by a pass over the entries, not kept. */
static size_t same_hash_duplicate(sheaf_zip_entry_fn get, void *ud, size_t n, uint64_t h,
                                  bool *nomem)
{
  struct sheaf_buf names, one;
  size_t i, dup = n;

  sheaf_buf_init(&names, 0);
  sheaf_buf_init(&one, 0);
  for (i = 0; i < n && dup == n; i++) {
    struct sheaf_zip_entry e;
    const char *p;
    get(ud, i, &e);
    if (name_hash(&e) != h)
      continue;
    full_name(&e, &one);
    /* `names` holds the earlier names of this hash, NUL-separated. */
    for (p = names.ptr; p < names.ptr + names.len; p += strlen(p) + 1)
      if (strcmp(p, one.ptr) == 0)
        dup = i;
    sheaf_buf_put(&names, one.ptr, one.len + 1);
  }
  *nomem = names.failed || one.failed;
  sheaf_buf_fini(&names);
  sheaf_buf_fini(&one);
  return *nomem ? n : dup;
}

/* Two entries of one name make an archive readers disagree about: a
 * layout bug, caught before anything is written. Returns the index of the
 * second of such a pair, or `n` when names are unique (or when out of
 * memory, *nomem set). Holds 8 bytes an entry: their names' hashes. */
static size_t find_duplicate(sheaf_zip_entry_fn get, void *ud, size_t n, bool *nomem)
{
  uint64_t *k;
  size_t i, dup = n;

  *nomem = false;
  if (n < 2)
    return n;
  if (n > SIZE_MAX / sizeof *k || (k = sheaf_malloc(n * sizeof *k)) == NULL) {
    *nomem = true;
    return n;
  }
  for (i = 0; i < n; i++) {
    struct sheaf_zip_entry e;
    get(ud, i, &e);
    k[i] = name_hash(&e);
  }
  /* In place: qsort sorted a copy, 8 MB more at a million entries. */
  sheaf_sort_u64(k, n);
  for (i = 1; i < n && !*nomem; i++)
    if (k[i] == k[i - 1] && (i < 2 || k[i - 2] != k[i])) {
      size_t d = same_hash_duplicate(get, ud, n, k[i], nomem);
      if (d < dup)
        dup = d;
    }
  sheaf_free(k);
  return *nomem ? n : dup;
}

struct entry_array {
  const struct sheaf_zip_entry *v;
};

static void array_entry(void *ud, size_t i, struct sheaf_zip_entry *e)
{
  *e = ((const struct entry_array *)ud)->v[i];
}

sheaf_status sheaf_package_zip(const struct sheaf_out *o,
                               const struct sheaf_zip_entry *entries, size_t nentries,
                               int64_t mtime, const sheaf_options *opt, sheaf_diag *diag)
{
  struct entry_array a = {entries};

  return sheaf_package_zip_each(o, array_entry, &a, nentries, mtime, opt, diag);
}

sheaf_status sheaf_package_zip_each(const struct sheaf_out *o, sheaf_zip_entry_fn get,
                                    void *ud, size_t nentries, int64_t mtime,
                                    const sheaf_options *opt, sheaf_diag *diag)
{
  const char *path = o->path;
  struct wr out = {-1, NULL, 0, 0, false, 0, false, 0, 0}, cd = out;
  struct window win = {NULL, NULL, 0, 0, 0};
  struct sheaf_buf name;
  unsigned char *tmp = NULL, *mem = NULL;
  unsigned date, time;
  sheaf_status ret = SHEAF_OK;
  bool nomem;
  size_t i;

  sheaf_buf_init(&name, 0);
  dos_time(mtime, &date, &time);
  i = find_duplicate(get, ud, nentries, &nomem);
  if (nomem || i < nentries) {
    if (nomem) {
      write_error(diag, path, strerror(ENOMEM), 0);
    } else {
      struct sheaf_zip_entry e;
      get(ud, i, &e);
      sheaf_diag_add(diag, SHEAF_ERROR, "write", NULL, 0, 0,
                     "cannot write book: %s: two files in it are named %s%s", path,
                     e.prefix ? e.prefix : "", e.name);
    }
    return nomem ? SHEAF_ERR_NOMEM : SHEAF_ERR_WRITE;
  }
  out.fd = o->fd;
  out.writeback = o->dirfd >= 0; /* a file, which is fsync'ed; not a stream */
  out.buf = sheaf_malloc(IO_BUF);
  cd.buf = sheaf_malloc(IO_BUF);
  tmp = sheaf_malloc(IO_BUF);
  win.buf = sheaf_malloc(IO_BUF);
  if (!out.buf || !cd.buf || !tmp || !win.buf) {
    write_error(diag, path, strerror(ENOMEM), 0);
    ret = SHEAF_ERR_NOMEM;
    goto out;
  }
  if (ftruncate(out.fd, 0) != 0 || lseek(out.fd, 0, SEEK_SET) != 0 ||
      (cd.fd = sheaf_temp_open()) < 0) {
    write_error(diag, path, strerror(errno), errno);
    ret = SHEAF_ERR_WRITE;
    goto out;
  }
  for (i = 0; i < nentries; i++) {
    struct sheaf_zip_entry ent;
    const struct sheaf_zip_entry *e = &ent;
    struct sheaf_spool_entry se = {0, 0, 0, 0};
    struct written wn;
    const unsigned char *bytes = NULL;

    /* A long book is polled now and then, not per entry. */
    if ((i & 255) == 0 && opt && opt->cancel && opt->cancel(opt->cancel_userdata)) {
      sheaf_diag_add(diag, SHEAF_ERROR, "cancelled", NULL, 0, 0,
                     "interrupted; %s was not written", path);
      ret = SHEAF_ERR_CANCELLED;
      goto out;
    }
    get(ud, i, &ent);
    full_name(e, &name);
    if (name.failed || name.len > U16_MAX) {
      write_error(diag, path, name.failed ? strerror(ENOMEM) : "a file name is too long",
                  0);
      ret = name.failed ? SHEAF_ERR_NOMEM : SHEAF_ERR_WRITE;
      goto out;
    }
    memset(&wn, 0, sizeof wn);
    wn.name = name.ptr;
    wn.nlen = name.len;
    wn.utf8 = has_non_ascii(name.ptr, name.len);
    wn.off = out.pos;
    wn.deflated = !e->store;
    if (e->store) {
      bytes = e->data;
      wn.len = wn.clen = e->len;
      wn.crc = (uint32_t)libdeflate_crc32(0, e->data, e->len);
    } else if (e->spool) {
      if (!sheaf_spool_entry(e->spool, e->spool_idx, &se)) {
        sheaf_diag_add(diag, SHEAF_ERROR, "internal", NULL, 0, 0,
                       "cannot write book: %s: entry %s was not compressed", path,
                       name.ptr);
        ret = SHEAF_ERR_INTERNAL;
        goto out;
      }
      wn.len = se.len;
      wn.clen = se.clen;
      wn.crc = se.crc;
    } else if (e->in_file) {
      wn.len = e->len;
      wn.clen = e->clen;
      wn.crc = e->crc;
    } else if (e->deflated) {
      bytes = e->deflated;
      wn.len = e->len;
      wn.clen = e->clen;
      wn.crc = e->crc;
    } else {
      size_t clen;
      sheaf_free(mem);
      mem = NULL;
      if (sheaf_deflate(e->data, e->len, &mem, &clen, &wn.crc) != SHEAF_OK) {
        write_error(diag, path, strerror(ENOMEM), 0);
        ret = SHEAF_ERR_NOMEM;
        goto out;
      }
      bytes = mem;
      wn.len = e->len;
      wn.clen = clen;
    }
    if (wn.len >= U32_MAX || wn.clen >= U32_MAX) {
      write_error(diag, path, "a file in it is 4 GB or more", 0);
      ret = SHEAF_ERR_WRITE;
      goto out;
    }
    local_header(&out, &wn, date, time);
    if (bytes)
      wr_put(&out, bytes, (size_t)wn.clen);
    else if (e->in_file)
      copy_file(&out, e->fd, e->off, wn.clen, tmp);
    else if (wn.clen)
      copy_spooled(&out, &win, e->spool, se.off, wn.clen, tmp);
    central_record(&cd, &wn, date, time);
    if (out.failed || cd.failed)
      break;
  }
  wr_flush(&cd);
  if (!out.failed && !cd.failed) {
    uint64_t cd_off = out.pos, cd_len = cd.pos;
    copy_file(&out, cd.fd, 0, cd_len, tmp);
    end_records(&out, nentries, cd_off, cd_len);
    wr_flush(&out);
  }
  if (out.failed || cd.failed) {
    int e = out.failed ? out.err : cd.err;
    write_error(diag, path, strerror(e), e);
    ret = e == ENOMEM ? SHEAF_ERR_NOMEM : SHEAF_ERR_WRITE;
  }
out:
  if (cd.fd >= 0)
    close(cd.fd);
  sheaf_free(out.buf);
  sheaf_free(cd.buf);
  sheaf_free(tmp);
  sheaf_free(win.buf);
  sheaf_free(mem);
  sheaf_buf_fini(&name);
  return ret;
}
