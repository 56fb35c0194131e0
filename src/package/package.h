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

/* Returns the book's modification time in UTC seconds: opt->source_date_epoch
 * when >= 0, else book->modified when known, else the default above. */
int64_t sheaf_package_time(const struct sheaf_manuscript *ms, const sheaf_options *opt);

/* Each writer appends a complete document to `out` (UTF-8 XML). They return
 * SHEAF_OK, SHEAF_ERR_NOMEM, or SHEAF_ERR_INTERNAL when libxml2 fails. */
sheaf_status sheaf_package_opf(const struct sheaf_manuscript *ms,
                               const sheaf_options *opt, struct sheaf_buf *out);
sheaf_status sheaf_package_nav(const struct sheaf_manuscript *ms, struct sheaf_buf *out);
sheaf_status sheaf_package_ncx(const struct sheaf_manuscript *ms, struct sheaf_buf *out);

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
};

/* Checks before any heavy work that `path` can become the book: its folder
 * exists and is writable, and `path` is not a directory. Returns SHEAF_OK or
 * SHEAF_ERR_WRITE with an error in `diag` naming the path and the reason. */
sheaf_status sheaf_package_check_target(const char *path, sheaf_diag *diag);

/* Writes the entries, in order, as a zip file at `path`, every entry dated
 * `mtime` (UTC seconds, clamped to the range DOS time can hold). libzip
 * writes a temporary file beside `path` and renames it into place at the
 * end; on failure `path` is untouched and the temporary file removed.
 * Returns SHEAF_OK or SHEAF_ERR_WRITE (SHEAF_ERR_NOMEM) with an error in
 * `diag`; SHEAF_ERR_CANCELLED when opt->cancel asked to stop (libzip then
 * removes its temporary file). `opt` may be NULL. */
sheaf_status sheaf_package_zip(const char *path, const struct sheaf_zip_entry *entries,
                               size_t nentries, int64_t mtime, const sheaf_options *opt,
                               sheaf_diag *diag);

/* ---- shared by the XML writers (opf.c) ----------------------------------- */

struct _xmlTextWriter;
/* Opens a text writer that appends to `out`, indented by two spaces, with
 * the XML declaration written. Returns SHEAF_OK, SHEAF_ERR_NOMEM. */
sheaf_status sheaf_package_xml_begin(struct _xmlTextWriter **w, struct sheaf_buf *out);
/* Ends the document (flushing it into `out`) and frees the writer, also
 * when `ret` is already a failure, which is then returned. */
sheaf_status sheaf_package_xml_end(struct _xmlTextWriter *w, sheaf_status ret,
                                   struct sheaf_buf *out);
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
