/*
 * This file declares the package stage's internals: the package document
 * (content.opf), the navigation documents (nav.xhtml, toc.ncx) and the zip
 * container. The public entry is sheaf_package() (package.c).
 */
#ifndef SHEAF_PACKAGE_H
#define SHEAF_PACKAGE_H

#include "core/core.h"

/* Used when neither the book nor the options know a modification time:
 * 2000-01-01T00:00:00Z. */
#define SHEAF_PACKAGE_DEFAULT_TIME INT64_C(946684800)
/* The latest time an EPUB date can hold: 9999-12-31T23:59:59Z. */
#define SHEAF_PACKAGE_MAX_TIME INT64_C(253402300799)

/* Returns the book's modification time in UTC seconds: opt->source_date_epoch
 * when >= 0, else book->modified when known, else the default above. */
int64_t sheaf_package_time(const struct sheaf_manuscript *ms, const sheaf_options *opt);

/* Where a package document goes as it is written: into `text` whole, or
 * (`deflate`) raw-deflated as it comes, so that a big book's nav, NCX and
 * package document (tens of MB of text at 100,000 chapters) are never held
 * whole: `text` then keeps only the tail not compressed yet. */
struct sheaf_pkg_out {
  struct sheaf_buf raw; /* libxml2's bytes not yet filtered (a cut sequence) */
  struct sheaf_buf text;
  bool deflate;
  bool zready;           /* `z` is initialised */
  void *z;               /* zlib's z_stream, owned */
  struct sheaf_buf comp; /* the raw deflate stream so far */
  uint32_t crc;          /* of the text compressed so far */
  size_t len;            /* bytes of text compressed so far */
  /* >= 0: the stream goes to this file (borrowed) at `off` instead of
   * `comp`, so a big book's nav is never held; `clen` counts its bytes. */
  int fd;
  uint64_t off, clen;
  int err; /* errno of a failed write into fd, else 0 */
};
/* Empties `o`; `deflate` as above. */
void sheaf_pkg_out_init(struct sheaf_pkg_out *o, bool deflate);
/* The same, the stream written into `fd` from `off` on (deflate only). */
void sheaf_pkg_out_init_file(struct sheaf_pkg_out *o, int fd, uint64_t off);
/* Appends p[0..n) as it is (no XML filter), compressing every so often.
 * False when out of memory or when writing the file failed (o->err). */
bool sheaf_pkg_out_put(struct sheaf_pkg_out *o, const char *p, size_t n);
/* Ends a document written with sheaf_pkg_out_put(). Returns SHEAF_OK or
 * SHEAF_ERR_NOMEM (SHEAF_ERR_WRITE with o->err). */
sheaf_status sheaf_pkg_out_finish(struct sheaf_pkg_out *o);
void sheaf_pkg_out_fini(struct sheaf_pkg_out *o);

/* Each writer writes a complete document to `out` (UTF-8 XML). They return
 * SHEAF_OK, SHEAF_ERR_NOMEM, or SHEAF_ERR_INTERNAL when libxml2 or zlib
 * fails. With out->deflate, out->comp holds the whole stream afterwards. */
sheaf_status sheaf_package_opf(const struct sheaf_manuscript *ms,
                               const sheaf_options *opt, struct sheaf_pkg_out *out);
sheaf_status sheaf_package_nav(const struct sheaf_manuscript *ms,
                               struct sheaf_pkg_out *out);
sheaf_status sheaf_package_ncx(const struct sheaf_manuscript *ms,
                               struct sheaf_pkg_out *out);

/* ---- after.c: the record of the articles a book holds ------------------ */

/* The name of the record inside the book. */
#define SHEAF_RECORD_NAME "META-INF/sheaf-articles.txt"
/* Writes the record of b's articles into `out` (sheaf_pkg_out_put, then
 * sheaf_pkg_out_finish): a million articles' ids are compressed as they
 * come, never held. Returns SHEAF_OK, SHEAF_ERR_NOMEM or SHEAF_ERR_WRITE. */
sheaf_status sheaf_package_record(const struct sheaf_book *b, struct sheaf_pkg_out *out);
/* Adds the ids recorded in the book at `path` to `set` (unsorted), and
 * the file to `read`. Returns SHEAF_OK, or SHEAF_ERR_IO (not a book, or
 * one without a record), SHEAF_ERR_LIMIT or SHEAF_ERR_NOMEM, with an
 * error in `diag`. */
sheaf_status sheaf_package_read_record(const char *path, struct sheaf_idset *set,
                                       struct sheaf_fileset *read, sheaf_diag *diag);

/* ---- catalog.c: --catalog ---------------------------------------------- */

struct sheaf_catalog_book {
  const struct sheaf_book *book;
  const char *path; /* the book's file, as written */
  uint64_t size;    /* its size in bytes */
};
/* Writes an OPDS 1.2 acquisition feed of the `n` books at `path`, and
 * each book's cover beside it, through the atomic writer; none may
 * replace a file of `sets` (the files the build read). Returns SHEAF_OK,
 * SHEAF_ERR_WRITE, SHEAF_ERR_USAGE or SHEAF_ERR_NOMEM with an error in
 * `diag`. */
sheaf_status sheaf_package_catalog(const char *path,
                                   const struct sheaf_catalog_book *books, size_t n,
                                   const struct sheaf_fileset *const *sets, size_t nsets,
                                   const sheaf_options *opt, sheaf_diag *diag);

/* ---- zip.c --------------------------------------------------------------- */

/* One file of the container. The data is borrowed and must stay valid until
 * sheaf_package_zip() returns (libzip reads it only at close). Entries are
 * deflated by sheaf_deflate()'s fixed parameters, whether they come from a
 * spool (compressed on the layout's worker threads) or from `data`
 * (compressed by sheaf_package_zip()), so the bytes are the same. */
struct sheaf_zip_entry {
  const char *prefix; /* prepended to name, e.g. "EPUB/"; may be NULL */
  const char *name;   /* path inside the archive */
  const void *data;   /* unused when `spool` is set */
  size_t len;
  bool store;                      /* stored (no compression), as `mimetype` must be */
  const struct sheaf_spool *spool; /* finished spool holding the entry, or NULL */
  size_t spool_idx;
  /* Or already deflated in memory (sheaf_deflate): `deflated` holds `clen`
   * bytes of `len` bytes with CRC `crc`; `data` is unused. */
  const unsigned char *deflated;
  size_t clen;
  uint32_t crc;
  /* Or, when `in_file`, already deflated in the file `fd` at `off` (clen,
   * len and crc as above). */
  bool in_file;
  int fd;
  uint64_t off;
};

struct sheaf_out;
/* Writes the entries, in order, as a zip file into the output's temporary
 * file, every entry dated `mtime` (UTC seconds, clamped to the range DOS
 * time can hold). Returns SHEAF_OK or SHEAF_ERR_WRITE (SHEAF_ERR_NOMEM)
 * with an error in `diag`; SHEAF_ERR_CANCELLED when opt->cancel asked to
 * stop. `opt` may be NULL. The caller publishes or drops the file. */
sheaf_status sheaf_package_zip(const struct sheaf_out *o,
                               const struct sheaf_zip_entry *entries, size_t nentries,
                               int64_t mtime, const sheaf_options *opt, sheaf_diag *diag);
/* Fills *e with entry `i`; its strings and data may be made for the call
 * and need stay valid only until the next call. */
typedef void (*sheaf_zip_entry_fn)(void *ud, size_t i, struct sheaf_zip_entry *e);
/* The same with the entries asked for one at a time, so a book of a
 * million chapters needs no array of them. */
sheaf_status sheaf_package_zip_each(const struct sheaf_out *o, sheaf_zip_entry_fn get,
                                    void *ud, size_t nentries, int64_t mtime,
                                    const sheaf_options *opt, sheaf_diag *diag);

/* ---- output.c: where the book may go ------------------------------------- */

/* The book's destination while it is written: a temporary file that
 * becomes the target whole, or is copied into a stream (standard output,
 * /dev/null, a FIFO) once complete. */
struct sheaf_out {
  const char *path; /* as the caller named it, for messages (borrowed) */
  const struct sheaf_fileset *const *sets; /* files read: never the target */
  size_t nsets;
  char *target;     /* the file replaced (links followed), or the FIFO */
  char *dir;        /* target's folder */
  const char *base; /* target's last component (in `target`) */
  int dirfd;        /* target's folder; -1 for a stream */
  int fd;           /* the temporary file the zip goes into */
  int stream;       /* the descriptor a stream is copied to, or -1 */
  bool own_stream;  /* opened here: closed by sheaf_out_fini() */
  bool no_tmpfile;  /* unit tests: use the named temporary route */
  char tmpname[64]; /* the temporary's name in `dirfd` while it has one */
};

/* Empties `o`; `sets` (borrowed) are the records of files read. */
void sheaf_out_init(struct sheaf_out *o, const struct sheaf_fileset *const *sets,
                    size_t nsets);
/* Chooses the target for `path` as the top of output.c says and opens the
 * temporary file. Cheap, so a bad target fails before any work. Returns
 * SHEAF_OK, SHEAF_ERR_WRITE or SHEAF_ERR_NOMEM with an error in `diag`. */
sheaf_status sheaf_out_open(struct sheaf_out *o, const char *path, sheaf_diag *diag);
/* The same for an open descriptor (standard output): a terminal is
 * refused. */
sheaf_status sheaf_out_open_fd(struct sheaf_out *o, int fd, sheaf_diag *diag);
/* Publishes the finished temporary file: checks the target once more,
 * then links or renames it into place, or copies it into the stream.
 * Returns SHEAF_OK, SHEAF_ERR_WRITE, SHEAF_ERR_NOMEM or SHEAF_ERR_CANCELLED. */
sheaf_status sheaf_out_commit(struct sheaf_out *o, const sheaf_options *opt,
                              sheaf_diag *diag);
/* Drops whatever was not published and closes everything. */
void sheaf_out_fini(struct sheaf_out *o);

/* ---- shared by the XML writers (opf.c) ----------------------------------- */

struct _xmlTextWriter;
/* Opens a text writer that appends to `out`, indented by two spaces, with
 * the XML declaration written. Returns SHEAF_OK, SHEAF_ERR_NOMEM. */
sheaf_status sheaf_package_xml_begin(struct _xmlTextWriter **w,
                                     struct sheaf_pkg_out *out);
/* Ends the document (flushing it into `out`) and frees the writer, also
 * when `ret` is already a failure, which is then returned. */
sheaf_status sheaf_package_xml_end(struct _xmlTextWriter *w, sheaf_status ret,
                                   struct sheaf_pkg_out *out);
/* Formats `t` (UTC seconds) as "2023-02-22T07:30:53Z" (with_time) or
 * "2023-02-22". Returns false when the year is outside 0000-9999. */
bool sheaf_package_format_time(int64_t t, bool with_time, char out[32]);

/* For the xmlTextWriter code of opf.c and nav.c: a writer call returns a
 * negative number on failure, which in practice means out of memory (the
 * writer does no validation of its own). Jumps to `out` with `ret` set. */
#define W(call)                                                                          \
  do {                                                                                   \
    if ((call) < 0) {                                                                    \
      ret = SHEAF_ERR_NOMEM;                                                             \
      goto out;                                                                          \
    }                                                                                    \
  } while (0)

#define X(s) ((const xmlChar *)(s))

#endif
