/*
 * This file contains the writer of --catalog: an OPDS 1.2 acquisition
 * feed (an Atom feed whose entries are books) describing the books a
 * build wrote, so that a static web server makes a series browsable and
 * downloadable from KOReader, Thorium or calibre-web. Each book's cover
 * is written beside it (BOOK.jpg or BOOK.png) as the entry's image, with
 * a thumbnail (BOOK.thumb.jpg). Links are relative to the catalog's folder, so the folder
 * can move as a whole. Every file goes through the same atomic,
 * input-protecting writer as the books (output.c).
 */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700 /* realpath */
#endif
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/xmlwriter.h>
#include <zip.h>

#include "image/image.h"
#include "package/package.h"
#include "sheaf/version.h"

#define ATOM_NS "http://www.w3.org/2005/Atom"
#define DCT_NS "http://purl.org/dc/terms/"
#define OPDS_NS "http://opds-spec.org/2010/catalog"
#define ACQ_TYPE "application/atom+xml;profile=opds-catalog;kind=acquisition"
/* A cover larger than this is not one sheaf wrote. */
#define COVER_MAX ((zip_uint64_t)64 << 20)

/* ---- paths ---------------------------------------------------------------- */

/* The absolute, resolved folder of `path` (which need not exist yet),
 * as a new string; NULL when it cannot be resolved. */
static char *folder_of(const char *path)
{
  const char *slash = strrchr(path, '/');
  char *dir, *abs;

  if (slash == NULL)
    dir = sheaf_strdup(".");
  else if (slash == path)
    dir = sheaf_strdup("/");
  else
    dir = sheaf_strndup(path, (size_t)(slash - path));
  if (dir == NULL)
    return NULL;
  abs = realpath(dir, NULL); /* malloc'd by libc */
  sheaf_free(dir);
  if (abs == NULL)
    return NULL;
  dir = sheaf_strdup(abs);
  free(abs);
  return dir;
}

/* Appends the URI path of `file` relative to the folder `from` (both
 * absolute, resolved), percent-encoding what a URI may not hold. */
static void relative_href(const char *from, const char *file, struct sheaf_buf *out)
{
  size_t common = 0, i;
  const char *p;

  /* The longest common run of whole folder names. */
  for (i = 0; from[i] && from[i] == file[i]; i++)
    if (from[i] == '/')
      common = i;
  if (from[i] == '\0' && file[i] == '/')
    common = i;
  if (strcmp(from, "/") == 0)
    common = 0;
  for (p = from + common; *p; p++)
    if (*p == '/')
      sheaf_buf_puts(out, "../");
  for (p = file + common + 1; *p; p++) {
    unsigned char c = (unsigned char)*p;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
        strchr("-._~/!$&'()*+,;=:@", c))
      sheaf_buf_putc(out, (char)c);
    else
      sheaf_buf_printf(out, "%%%02X", c);
  }
}

/* ---- covers ------------------------------------------------------------------ */

/* Writes p[0..n) as the file `path` through the atomic writer, never over
 * a file of like's sets. */
static sheaf_status put_file(const struct sheaf_out *like, const char *path,
                             const void *p, size_t n, sheaf_diag *diag)
{
  struct sheaf_out o;
  sheaf_status ret;

  sheaf_out_init(&o, like->sets, like->nsets);
  ret = sheaf_out_open(&o, path, diag);
  if (ret == SHEAF_OK && !sheaf_pwrite_all(o.fd, p, n, 0)) {
    sheaf_diag_add(diag, SHEAF_ERROR, "write", path, 0, 0,
                   "cannot write the cover for --catalog: %s", strerror(errno));
    ret = SHEAF_ERR_WRITE;
  }
  if (ret == SHEAF_OK)
    ret = sheaf_out_commit(&o, NULL, diag);
  sheaf_out_fini(&o);
  return ret;
}

/* What the catalog shows of a book: its cover, and a thumbnail of it. */
struct cover_files {
  char *cover, *thumb; /* paths written, or NULL */
  const char *cover_type, *thumb_type;
};

/* Copies the cover picture out of the book at `book_path` into a file
 * beside it, named as the book with the picture's extension, and a
 * thumbnail of it (BOOK.thumb.jpg, at most 240x384 pixels); leaves `cf`
 * empty when the book has no cover sheaf wrote. */
static sheaf_status write_cover(const char *book_path, const struct sheaf_out *like,
                                struct cover_files *cf, sheaf_diag *diag)
{
  static const char *const names[] = {"EPUB/images/cover.jpg", "EPUB/images/cover.png"};
  static const char *const types[] = {"image/jpeg", "image/png"};
  struct sheaf_img_opts io;
  struct sheaf_img_result r;
  zip_t *z = NULL;
  zip_file_t *zf = NULL;
  zip_stat_t zs;
  char *data = NULL;
  struct sheaf_buf name;
  sheaf_status ret = SHEAF_OK;
  const char *dot, *base;
  size_t k, stem;
  int err;

  memset(cf, 0, sizeof *cf);
  memset(&r, 0, sizeof r);
  sheaf_buf_init(&name, 0);
  if ((z = zip_open(book_path, ZIP_RDONLY, &err)) == NULL)
    goto out; /* not ours to read: the entry has no picture */
  for (k = 0; k < 2; k++)
    if (zip_stat(z, names[k], 0, &zs) == 0 && (zs.valid & ZIP_STAT_SIZE))
      break;
  if (k == 2 || zs.size > COVER_MAX)
    goto out;
  if ((data = sheaf_malloc((size_t)zs.size + 1)) == NULL) {
    ret = SHEAF_ERR_NOMEM;
    goto out;
  }
  if ((zf = zip_fopen(z, names[k], 0)) == NULL ||
      zip_fread(zf, data, zs.size) != (zip_int64_t)zs.size)
    goto out;
  base = strrchr(book_path, '/');
  base = base ? base + 1 : book_path;
  dot = strrchr(base, '.');
  if (dot == NULL || dot == base)
    dot = base + strlen(base);
  stem = (size_t)(dot - book_path);
  sheaf_buf_put(&name, book_path, stem);
  sheaf_buf_puts(&name, k == 0 ? ".jpg" : ".png");
  if (name.failed) {
    ret = SHEAF_ERR_NOMEM;
    goto out;
  }
  SHEAF_CHECK(put_file(like, name.ptr, data, (size_t)zs.size, diag));
  if ((cf->cover = sheaf_buf_detach(&name, NULL)) == NULL) {
    ret = SHEAF_ERR_NOMEM;
    goto out;
  }
  cf->cover_type = types[k];
  /* The thumbnail: the cover scaled down by the image module; when it
   * cannot be made, the cover stands in. */
  memset(&io, 0, sizeof io);
  io.max_w = 240;
  io.max_h = 384;
  io.quality = 80;
  ret = sheaf_img_convert(data, (size_t)zs.size, &io, &r);
  if (ret == SHEAF_ERR_NOMEM)
    goto out;
  ret = SHEAF_OK;
  if (r.data == NULL || (r.fmt != SHEAF_IMG_JPEG && r.fmt != SHEAF_IMG_PNG))
    goto out;
  sheaf_buf_init(&name, 0);
  sheaf_buf_put(&name, book_path, stem);
  sheaf_buf_puts(&name, r.fmt == SHEAF_IMG_JPEG ? ".thumb.jpg" : ".thumb.png");
  if (name.failed) {
    ret = SHEAF_ERR_NOMEM;
    goto out;
  }
  SHEAF_CHECK(put_file(like, name.ptr, r.data, r.len, diag));
  if ((cf->thumb = sheaf_buf_detach(&name, NULL)) == NULL) {
    ret = SHEAF_ERR_NOMEM;
    goto out;
  }
  cf->thumb_type = r.fmt == SHEAF_IMG_JPEG ? "image/jpeg" : "image/png";
out:
  if (zf)
    zip_fclose(zf);
  if (z)
    zip_discard(z);
  sheaf_free(data);
  sheaf_free(r.data);
  sheaf_buf_fini(&name);
  return ret;
}

/* ---- the feed ------------------------------------------------------------------- */

static int elem(xmlTextWriterPtr w, const char *name, const char *text)
{
  return xmlTextWriterWriteElement(w, X(name), X(text));
}

static int atom_link(xmlTextWriterPtr w, const char *rel, const char *href,
                     const char *type, const char *length)
{
  if (xmlTextWriterStartElement(w, X("link")) < 0 ||
      xmlTextWriterWriteAttribute(w, X("rel"), X(rel)) < 0 ||
      xmlTextWriterWriteAttribute(w, X("href"), X(href)) < 0 ||
      xmlTextWriterWriteAttribute(w, X("type"), X(type)) < 0)
    return -1;
  if (length && xmlTextWriterWriteAttribute(w, X("length"), X(length)) < 0)
    return -1;
  return xmlTextWriterEndElement(w);
}

static int64_t book_time(const struct sheaf_book *b, const sheaf_options *opt)
{
  if (opt->source_date_epoch >= 0)
    return opt->source_date_epoch;
  return b->modified != SHEAF_TIME_UNKNOWN && b->modified >= 0
             ? b->modified
             : SHEAF_PACKAGE_DEFAULT_TIME;
}

static sheaf_status entry(xmlTextWriterPtr w, const struct sheaf_catalog_book *cb,
                          const char *dir, const struct cover_files *cf,
                          const sheaf_options *opt)
{
  const struct sheaf_book *b = cb->book;
  const struct sheaf_labels *l = sheaf_labels_for(b->language);
  struct sheaf_buf href, text;
  sheaf_status ret = SHEAF_OK;
  char when[32], len[32];
  char *abs = NULL;
  size_t i;

  sheaf_buf_init(&href, 0);
  sheaf_buf_init(&text, 0);
  W(xmlTextWriterStartElement(w, X("entry")));
  W(elem(w, "title", b->title));
  W(elem(w, "id", b->identifier));
  if (!sheaf_package_format_time(book_time(b, opt), true, when))
    sheaf_package_format_time(SHEAF_PACKAGE_DEFAULT_TIME, true, when);
  W(elem(w, "updated", when));
  for (i = 0; i < b->ncreators; i++) {
    W(xmlTextWriterStartElement(w, X("author")));
    W(elem(w, "name", b->creators[i]));
    W(xmlTextWriterEndElement(w));
  }
  W(elem(w, "dc:language", b->language));
  if (b->first != SHEAF_TIME_UNKNOWN && sheaf_package_format_time(b->first, false, when))
    W(elem(w, "dc:issued", when));
  if (b->publisher && *b->publisher)
    W(elem(w, "dc:publisher", b->publisher));
  if (b->series && *b->series)
    W(elem(w, "dc:isPartOf", b->series));
  for (i = 0; i < b->nsubjects; i++)
    if (b->subjects[i] && *b->subjects[i]) {
      W(xmlTextWriterStartElement(w, X("category")));
      W(xmlTextWriterWriteAttribute(w, X("term"), X(b->subjects[i])));
      W(xmlTextWriterWriteAttribute(w, X("label"), X(b->subjects[i])));
      W(xmlTextWriterEndElement(w));
    }
  /* "12 articles, 1 May 2023 – 9 June 2024." then the site's description. */
  sheaf_labels_count(l, b->nchapters, &text);
  if (b->first != SHEAF_TIME_UNKNOWN) {
    sheaf_buf_puts(&text, ", ");
    sheaf_labels_date_range(l, b->first, b->last, &text);
  }
  sheaf_buf_puts(&text, ".");
  if (text.failed)
    SHEAF_CHECK(SHEAF_ERR_NOMEM);
  W(xmlTextWriterStartElement(w, X("summary")));
  W(xmlTextWriterWriteAttribute(w, X("type"), X("text")));
  W(xmlTextWriterWriteString(w, X(text.ptr)));
  W(xmlTextWriterEndElement(w));
  /* RFC 4287 4.1.2: an entry without atom:content MUST have an
   * alternate link; the content is the summary and the site's
   * description, which readers show as the book's blurb. */
  if (b->description && *b->description) {
    sheaf_buf_putc(&text, ' ');
    sheaf_buf_puts(&text, b->description);
  }
  if (text.failed)
    SHEAF_CHECK(SHEAF_ERR_NOMEM);
  W(xmlTextWriterStartElement(w, X("content")));
  W(xmlTextWriterWriteAttribute(w, X("type"), X("text")));
  W(xmlTextWriterWriteString(w, X(text.ptr)));
  W(xmlTextWriterEndElement(w));
  if (cf->cover) {
    const char *thumb = cf->thumb ? cf->thumb : cf->cover;
    if ((abs = realpath(cf->cover, NULL)) == NULL)
      SHEAF_CHECK(SHEAF_ERR_WRITE);
    relative_href(dir, abs, &href);
    free(abs);
    abs = NULL;
    if (href.failed)
      SHEAF_CHECK(SHEAF_ERR_NOMEM);
    W(atom_link(w, "http://opds-spec.org/image", href.ptr, cf->cover_type, NULL));
    sheaf_buf_reset(&href);
    if ((abs = realpath(thumb, NULL)) == NULL)
      SHEAF_CHECK(SHEAF_ERR_WRITE);
    relative_href(dir, abs, &href);
    free(abs);
    abs = NULL;
    if (href.failed)
      SHEAF_CHECK(SHEAF_ERR_NOMEM);
    W(atom_link(w, "http://opds-spec.org/image/thumbnail", href.ptr,
                cf->thumb ? cf->thumb_type : cf->cover_type, NULL));
    sheaf_buf_reset(&href);
  }
  if ((abs = realpath(cb->path, NULL)) == NULL)
    SHEAF_CHECK(SHEAF_ERR_WRITE);
  relative_href(dir, abs, &href);
  if (href.failed)
    SHEAF_CHECK(SHEAF_ERR_NOMEM);
  snprintf(len, sizeof len, "%llu", (unsigned long long)cb->size);
  W(atom_link(w, "http://opds-spec.org/acquisition/open-access", href.ptr,
              "application/epub+zip", len));
  W(xmlTextWriterEndElement(w)); /* entry */
out:
  free(abs);
  sheaf_buf_fini(&href);
  sheaf_buf_fini(&text);
  return ret;
}

sheaf_status sheaf_package_catalog(const char *path,
                                   const struct sheaf_catalog_book *books, size_t n,
                                   const struct sheaf_fileset *const *sets, size_t nsets,
                                   const sheaf_options *opt, sheaf_diag *diag)
{
  xmlTextWriterPtr w = NULL;
  struct sheaf_out o;
  struct sheaf_buf self, xml_name;
  struct sheaf_pkg_out xml;
  struct cover_files *covers = NULL;
  char *dir = NULL, uuid[37], when[32];
  int64_t newest = SHEAF_PACKAGE_DEFAULT_TIME;
  sheaf_status ret = SHEAF_OK;
  size_t i;

  sheaf_out_init(&o, sets, nsets);
  sheaf_pkg_out_init(&xml, false);
  sheaf_buf_init(&self, 0);
  sheaf_buf_init(&xml_name, 0);
  if (n == 0)
    goto out;
  /* Cheap checks first: a catalog that cannot be written fails before
   * the covers are. */
  SHEAF_CHECK(sheaf_out_open(&o, path, diag));
  if (o.dirfd < 0) {
    sheaf_diag_add(diag, SHEAF_ERROR, "usage", path, 0, 0,
                   "--catalog wants a file name, not a stream");
    ret = SHEAF_ERR_USAGE;
    goto out;
  }
  if ((dir = folder_of(path)) == NULL) {
    sheaf_diag_add(diag, SHEAF_ERROR, "write", path, 0, 0, "cannot write the catalog: %s",
                   strerror(errno));
    ret = SHEAF_ERR_WRITE;
    goto out;
  }
  covers = sheaf_calloc(n, sizeof *covers);
  if (covers == NULL) {
    ret = SHEAF_ERR_NOMEM;
    goto out;
  }
  for (i = 0; i < n; i++) {
    SHEAF_CHECK(write_cover(books[i].path, &o, &covers[i], diag));
    if (book_time(books[i].book, opt) > newest || i == 0)
      newest = book_time(books[i].book, opt);
  }

  SHEAF_CHECK(sheaf_package_xml_begin(&w, &xml));
  W(xmlTextWriterStartElement(w, X("feed")));
  W(xmlTextWriterWriteAttribute(w, X("xmlns"), X(ATOM_NS)));
  W(xmlTextWriterWriteAttribute(w, X("xmlns:dc"), X(DCT_NS)));
  W(xmlTextWriterWriteAttribute(w, X("xmlns:opds"), X(OPDS_NS)));
  W(xmlTextWriterWriteAttribute(w, X("xml:lang"), X(books[0].book->language)));
  /* The catalog is named by its first book, so it keeps its id as a
   * series grows. */
  sheaf_buf_printf(&self, "sheaf-catalog:%s", books[0].book->identifier);
  if (self.failed)
    SHEAF_CHECK(SHEAF_ERR_NOMEM);
  sheaf_uuid5_url(self.ptr, self.len, uuid);
  sheaf_buf_reset(&self);
  sheaf_buf_puts(&self, "urn:uuid:");
  sheaf_buf_puts(&self, uuid);
  W(elem(w, "id", self.ptr));
  W(elem(w, "title",
         books[0].book->series ? books[0].book->series
         : n == 1              ? books[0].book->title
                               : "Books"));
  if (!sheaf_package_format_time(newest, true, when))
    sheaf_package_format_time(SHEAF_PACKAGE_DEFAULT_TIME, true, when);
  W(elem(w, "updated", when));
  W(xmlTextWriterStartElement(w, X("author")));
  W(elem(w, "name", books[0].book->ncreators ? books[0].book->creators[0] : "sheaf"));
  W(xmlTextWriterEndElement(w));
  W(xmlTextWriterStartElement(w, X("generator")));
  W(xmlTextWriterWriteAttribute(w, X("version"), X(SHEAF_VERSION_STRING)));
  W(xmlTextWriterWriteString(w, X("sheaf")));
  W(xmlTextWriterEndElement(w));
  sheaf_buf_reset(&self);
  {
    const char *base = strrchr(path, '/');
    sheaf_buf_printf(&xml_name, "%s/%s", dir, base ? base + 1 : path);
    if (xml_name.failed)
      SHEAF_CHECK(SHEAF_ERR_NOMEM);
    relative_href(dir, xml_name.ptr, &self);
    if (self.failed)
      SHEAF_CHECK(SHEAF_ERR_NOMEM);
  }
  W(atom_link(w, "self", self.ptr, ACQ_TYPE, NULL));
  W(atom_link(w, "start", self.ptr, ACQ_TYPE, NULL));
  for (i = 0; i < n; i++)
    SHEAF_CHECK(entry(w, &books[i], dir, &covers[i], opt));
  W(xmlTextWriterEndElement(w)); /* feed */
out:
  if (w) {
    ret = sheaf_package_xml_end(w, ret, &xml);
    w = NULL;
  }
  if (ret == SHEAF_OK && n) {
    if (!sheaf_pwrite_all(o.fd, xml.text.ptr, xml.text.len, 0)) {
      sheaf_diag_add(diag, SHEAF_ERROR, "write", path, 0, 0,
                     "cannot write the catalog: %s", strerror(errno));
      ret = SHEAF_ERR_WRITE;
    } else {
      ret = sheaf_out_commit(&o, opt, diag);
    }
  } else if (ret == SHEAF_ERR_NOMEM) {
    sheaf_diag_add(diag, SHEAF_ERROR, "nomem", path, 0, 0,
                   "out of memory while writing the catalog");
  } else if (ret == SHEAF_ERR_WRITE &&
             sheaf_diag_count_severity(diag, SHEAF_ERROR) == 0) {
    sheaf_diag_add(diag, SHEAF_ERROR, "write", path, 0, 0, "cannot write the catalog: %s",
                   strerror(errno));
  }
  for (i = 0; covers && i < n; i++) {
    sheaf_free(covers[i].cover);
    sheaf_free(covers[i].thumb);
  }
  sheaf_free(covers);
  sheaf_free(dir);
  sheaf_pkg_out_fini(&xml);
  sheaf_buf_fini(&self);
  sheaf_buf_fini(&xml_name);
  sheaf_out_fini(&o);
  return ret;
}
