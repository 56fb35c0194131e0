/*
 * This file contains the writer of the EPUB 3 package document
 * (EPUB/content.opf): the book's metadata, the manifest of every file and the
 * spine, the reading order. It also holds the libxml2 text-writer glue and
 * the UTC date formatting that the navigation writers (nav.c) share.
 *
 * Everything here is a pure function of the manuscript and the options; no
 * clock, no randomness, so the same input gives the same bytes.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libxml/xmlwriter.h>
#include <zlib.h>

#include "package/package.h"
#include "sheaf/version.h"

#define OPF_NS "http://www.idpf.org/2007/opf"
#define DC_NS "http://purl.org/dc/elements/1.1/"

/* ---- shared helpers ------------------------------------------------------ */

int64_t sheaf_package_time(const struct sheaf_manuscript *ms, const sheaf_options *opt)
{
  if (opt && opt->source_date_epoch >= 0)
    return (int64_t)opt->source_date_epoch;
  if (ms && ms->book && ms->book->modified != SHEAF_TIME_UNKNOWN &&
      ms->book->modified >= 0)
    return ms->book->modified;
  return SHEAF_PACKAGE_DEFAULT_TIME;
}

bool sheaf_package_format_time(int64_t t, bool with_time, char out[32])
{
  int64_t y;
  unsigned mo, d, h, mi, s;

  out[0] = '\0';
  /* Keep away from the int64 edges, where the day arithmetic overflows. */
  if (t < INT64_C(-62167219200) || t > INT64_C(253402300799))
    return false; /* outside 0000-01-01 .. 9999-12-31 */
  sheaf_date_split(t, &y, &mo, &d, &h, &mi, &s);
  if (with_time)
    snprintf(out, 32, "%04d-%02u-%02uT%02u:%02u:%02uZ", (int)y, mo, d, h, mi, s);
  else
    snprintf(out, 32, "%04d-%02u-%02u", (int)y, mo, d);
  return true;
}

/* Compressed in steps of this much text. */
#define PKG_CHUNK ((size_t)1 << 16)

void sheaf_pkg_out_init(struct sheaf_pkg_out *o, bool deflate)
{
  memset(o, 0, sizeof *o);
  sheaf_buf_init(&o->raw, 0);
  sheaf_buf_init(&o->text, 0);
  sheaf_buf_init(&o->comp, 0);
  o->deflate = deflate;
  o->fd = -1;
}

void sheaf_pkg_out_init_file(struct sheaf_pkg_out *o, int fd, uint64_t off)
{
  sheaf_pkg_out_init(o, true);
  o->fd = fd;
  o->off = off;
}

void sheaf_pkg_out_fini(struct sheaf_pkg_out *o)
{
  if (o->zready)
    deflateEnd(o->z);
  sheaf_free(o->z);
  sheaf_buf_fini(&o->raw);
  sheaf_buf_fini(&o->text);
  sheaf_buf_fini(&o->comp);
  memset(o, 0, sizeof *o);
}

/* Deflates o->text into o->comp and empties it; `finish` ends the stream.
 * zlib's streaming deflate, not libdeflate (which wants the whole input);
 * level 6 as the chapters; the stream's bytes depend only on the text and
 * the fixed chunking here, so the book stays reproducible. */
static bool pkg_flush(struct sheaf_pkg_out *o, bool finish)
{
  z_stream *z = o->z;
  unsigned char tmp[16384];
  int zr;

  if (!o->zready) {
    if (!z && (z = o->z = sheaf_calloc(1, sizeof *z)) == NULL)
      return false;
    if (deflateInit2(z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
      return false;
    o->zready = true;
  }
  o->crc = (uint32_t)crc32_z(o->crc, (const Bytef *)o->text.ptr, o->text.len);
  o->len += o->text.len;
  z->next_in = (Bytef *)o->text.ptr;
  z->avail_in = (uInt)o->text.len;
  do {
    z->next_out = tmp;
    z->avail_out = sizeof tmp;
    zr = deflate(z, finish ? Z_FINISH : Z_NO_FLUSH);
    if (zr == Z_STREAM_ERROR)
      return false;
    if (o->fd < 0) {
      sheaf_buf_put(&o->comp, tmp, sizeof tmp - z->avail_out);
    } else if (sizeof tmp - z->avail_out) {
      if (!sheaf_pwrite_all(o->fd, tmp, sizeof tmp - z->avail_out, o->off + o->clen)) {
        o->err = errno ? errno : EIO;
        return false;
      }
      o->clen += sizeof tmp - z->avail_out;
    }
  } while (z->avail_out == 0 || (finish && zr != Z_STREAM_END));
  sheaf_buf_reset(&o->text);
  return !o->comp.failed;
}

bool sheaf_pkg_out_put(struct sheaf_pkg_out *o, const char *p, size_t n)
{
  if (!sheaf_buf_put(&o->text, p, n))
    return false;
  return !o->deflate || o->text.len < PKG_CHUNK || pkg_flush(o, false);
}

sheaf_status sheaf_pkg_out_finish(struct sheaf_pkg_out *o)
{
  if (o->text.failed || (o->deflate && !pkg_flush(o, true)))
    return o->err ? SHEAF_ERR_WRITE : SHEAF_ERR_NOMEM;
  return SHEAF_OK;
}

/* How many bytes at the end of s[0..n) (0-3) start a UTF-8 sequence that
 * the next chunk may complete. */
static size_t cut_tail(const char *s, size_t n)
{
  size_t k, want;

  for (k = 1; k <= 3 && k <= n; k++) {
    unsigned char c = (unsigned char)s[n - k];
    if ((c & 0xC0) != 0x80) { /* the sequence's first byte */
      want = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
      return want > k ? k : 0;
    }
  }
  return 0;
}

/* Moves o->raw, but for a sequence cut at its end (unless `all`), through
 * the XML filter into o->text. */
static bool filter_raw(struct sheaf_pkg_out *o, bool all)
{
  size_t done = o->raw.len - (all ? 0 : cut_tail(o->raw.ptr, o->raw.len));

  if (!sheaf_buf_put_xml_chars(&o->text, o->raw.ptr, done))
    return false;
  if (done == o->raw.len) {
    sheaf_buf_reset(&o->raw);
  } else if (done) {
    memmove(o->raw.ptr, o->raw.ptr + done, o->raw.len - done);
    o->raw.len -= done;
    o->raw.ptr[o->raw.len] = '\0';
  }
  return true;
}

/* libxml2 writes the document straight into the caller's buffer (a memory
 * writer's own xmlBuffer would be a second copy of a big book's nav and
 * package document), compressed every PKG_CHUNK bytes when asked. On the
 * way it passes the filter every chapter's text passes: libxml2's writer
 * escapes markup but lets control characters and invalid UTF-8 (a file
 * name, a --title) through, and no input may make the document
 * ill-formed. */
static int buf_write(void *ctx, const char *p, int n)
{
  struct sheaf_pkg_out *o = ctx;

  if (n < 0 || !sheaf_buf_put(&o->raw, p, (size_t)n) || !filter_raw(o, false))
    return -1;
  if (o->deflate && o->text.len >= PKG_CHUNK && !pkg_flush(o, false))
    return -1;
  return n;
}

sheaf_status sheaf_package_xml_begin(xmlTextWriterPtr *w, struct sheaf_pkg_out *out)
{
  xmlOutputBufferPtr ob = xmlOutputBufferCreateIO(buf_write, NULL, out, NULL);

  *w = ob ? xmlNewTextWriter(ob) : NULL; /* owns ob once made */
  if (*w == NULL && ob)
    xmlOutputBufferClose(ob);
  if (*w == NULL || xmlTextWriterSetIndent(*w, 1) < 0 ||
      xmlTextWriterSetIndentString(*w, X("  ")) < 0 ||
      xmlTextWriterStartDocument(*w, "1.0", "UTF-8", NULL) < 0) {
    if (*w)
      xmlFreeTextWriter(*w);
    *w = NULL;
    return SHEAF_ERR_NOMEM;
  }
  return SHEAF_OK;
}

sheaf_status sheaf_package_xml_end(xmlTextWriterPtr w, sheaf_status ret,
                                   struct sheaf_pkg_out *out)
{
  if (w) {
    if (ret == SHEAF_OK && xmlTextWriterEndDocument(w) < 0)
      ret = SHEAF_ERR_NOMEM;
    xmlFreeTextWriter(w); /* flushes into out */
  }
  /* A sequence still cut short at the end is invalid: U+FFFD. */
  if (ret == SHEAF_OK && !filter_raw(out, true))
    ret = SHEAF_ERR_NOMEM;
  if (ret == SHEAF_OK && out->text.failed)
    ret = SHEAF_ERR_NOMEM;
  if (ret == SHEAF_OK && out->deflate && !pkg_flush(out, true))
    ret = SHEAF_ERR_NOMEM;
  return ret;
}

/* ---- the package document ------------------------------------------------ */

static const char *nonempty(const char *s, const char *fallback)
{
  return s && *s ? s : fallback;
}

static int dc(xmlTextWriterPtr w, const char *name, const char *id, const char *text)
{
  if (xmlTextWriterStartElement(w, X(name)) < 0)
    return -1;
  if (id && xmlTextWriterWriteAttribute(w, X("id"), X(id)) < 0)
    return -1;
  if (xmlTextWriterWriteString(w, X(text)) < 0)
    return -1;
  return xmlTextWriterEndElement(w);
}

static int meta_refines(xmlTextWriterPtr w, const char *refines, const char *property,
                        const char *text)
{
  if (xmlTextWriterStartElement(w, X("meta")) < 0 ||
      xmlTextWriterWriteAttribute(w, X("refines"), X(refines)) < 0 ||
      xmlTextWriterWriteAttribute(w, X("property"), X(property)) < 0 ||
      xmlTextWriterWriteString(w, X(text)) < 0)
    return -1;
  return xmlTextWriterEndElement(w);
}

static int meta_prop(xmlTextWriterPtr w, const char *property, const char *text)
{
  if (xmlTextWriterStartElement(w, X("meta")) < 0 ||
      xmlTextWriterWriteAttribute(w, X("property"), X(property)) < 0 ||
      xmlTextWriterWriteString(w, X(text)) < 0)
    return -1;
  return xmlTextWriterEndElement(w);
}

/* The OPF 2 form of meta, which EPUB 3 keeps for compatibility. */
static int meta_name(xmlTextWriterPtr w, const char *name, const char *content)
{
  if (xmlTextWriterStartElement(w, X("meta")) < 0 ||
      xmlTextWriterWriteAttribute(w, X("name"), X(name)) < 0 ||
      xmlTextWriterWriteAttribute(w, X("content"), X(content)) < 0)
    return -1;
  return xmlTextWriterEndElement(w);
}

/* EPUB Accessibility 1.1 metadata (schema.org), claiming only what sheaf
 * makes true: text in reading order, a table of contents, headings; text
 * alternatives only when every picture has one; no flashing hazard only
 * when there is no GIF, which may be animated. */
static sheaf_status accessibility(xmlTextWriterPtr w, const struct sheaf_manuscript *ms)
{
  sheaf_status ret = SHEAF_OK;
  bool pictures = ms->images > 0, all_alt = ms->images_no_alt == 0, gif = false;
  char summary[512];
  size_t i;

  /* Chapters are XHTML: only the other documents can be pictures. */
  for (i = 0; i < ms->ndocs; i++)
    if (ms->docs[i].media_type && strcmp(ms->docs[i].media_type, "image/gif") == 0)
      gif = true;
  W(meta_prop(w, "schema:accessMode", "textual"));
  if (pictures)
    W(meta_prop(w, "schema:accessMode", "visual"));
  if (!pictures || all_alt)
    W(meta_prop(w, "schema:accessModeSufficient", "textual"));
  if (pictures)
    W(meta_prop(w, "schema:accessModeSufficient", "textual,visual"));
  W(meta_prop(w, "schema:accessibilityFeature", "tableOfContents"));
  W(meta_prop(w, "schema:accessibilityFeature", "readingOrder"));
  W(meta_prop(w, "schema:accessibilityFeature", "structuralNavigation"));
  W(meta_prop(w, "schema:accessibilityFeature", "displayTransformability"));
  if (pictures && all_alt)
    W(meta_prop(w, "schema:accessibilityFeature", "alternativeText"));
  if (gif) {
    W(meta_prop(w, "schema:accessibilityHazard", "unknownFlashingHazard"));
    W(meta_prop(w, "schema:accessibilityHazard", "noMotionSimulationHazard"));
    W(meta_prop(w, "schema:accessibilityHazard", "noSoundHazard"));
  } else {
    W(meta_prop(w, "schema:accessibilityHazard", "none"));
  }
  if (!pictures)
    snprintf(summary, sizeof summary,
             "Reflowable text in reading order, with a table of contents and "
             "headings; no pictures in the articles.");
  else if (all_alt)
    snprintf(summary, sizeof summary,
             "Reflowable text in reading order, with a table of contents and "
             "headings; every one of the %zu pictures in the articles has a text "
             "alternative.",
             ms->images);
  else
    snprintf(summary, sizeof summary,
             "Reflowable text in reading order, with a table of contents and "
             "headings; %zu of the %zu pictures in the articles have no text "
             "alternative, as published.",
             ms->images_no_alt, ms->images);
  W(meta_prop(w, "schema:accessibilitySummary", summary));
out:
  return ret;
}

static sheaf_status metadata(xmlTextWriterPtr w, const struct sheaf_manuscript *ms,
                             const sheaf_options *opt)
{
  const struct sheaf_book *b = ms->book;
  sheaf_status ret = SHEAF_OK;
  bool sub = b->subtitle && *b->subtitle;
  char when[32];
  size_t i;

  W(xmlTextWriterStartElement(w, X("metadata")));
  W(xmlTextWriterWriteAttribute(w, X("xmlns:dc"), X(DC_NS)));
  W(dc(w, "dc:identifier", "bookid", nonempty(b->identifier, "urn:uuid:unknown")));
  W(dc(w, "dc:title", sub ? "title" : NULL,
       nonempty(b->title, sheaf_labels_for(b->language)->untitled)));
  if (sub) {
    W(meta_refines(w, "#title", "title-type", "main"));
    W(dc(w, "dc:title", "subtitle", b->subtitle));
    W(meta_refines(w, "#subtitle", "title-type", "subtitle"));
  }
  for (i = 0; i < b->ncreators; i++) {
    char id[32], ref[34];
    snprintf(id, sizeof id, "creator%zu", i + 1);
    snprintf(ref, sizeof ref, "#%s", id);
    W(dc(w, "dc:creator", id, b->creators[i]));
    if (!b->creators_site) {
      W(xmlTextWriterStartElement(w, X("meta")));
      W(xmlTextWriterWriteAttribute(w, X("refines"), X(ref)));
      W(xmlTextWriterWriteAttribute(w, X("property"), X("role")));
      W(xmlTextWriterWriteAttribute(w, X("scheme"), X("marc:relators")));
      W(xmlTextWriterWriteString(w, X("aut")));
      W(xmlTextWriterEndElement(w));
    }
  }
  W(dc(w, "dc:language", NULL, nonempty(b->language, "und")));
  if (b->publisher && *b->publisher)
    W(dc(w, "dc:publisher", NULL, b->publisher));
  if (b->description && *b->description)
    W(dc(w, "dc:description", NULL, b->description));
  for (i = 0; i < b->nsources; i++)
    if (b->sources[i] && *b->sources[i])
      W(dc(w, "dc:source", NULL, b->sources[i]));
  for (i = 0; i < b->nsubjects; i++)
    if (b->subjects[i] && *b->subjects[i])
      W(dc(w, "dc:subject", NULL, b->subjects[i]));
  if (b->first != SHEAF_TIME_UNKNOWN && sheaf_package_format_time(b->first, false, when))
    W(dc(w, "dc:date", NULL, when));
  if (!sheaf_package_format_time(sheaf_package_time(ms, opt), true, when))
    sheaf_package_format_time(SHEAF_PACKAGE_DEFAULT_TIME, true, when);
  W(xmlTextWriterStartElement(w, X("meta")));
  W(xmlTextWriterWriteAttribute(w, X("property"), X("dcterms:modified")));
  W(xmlTextWriterWriteString(w, X(when)));
  W(xmlTextWriterEndElement(w));
  if (b->series && *b->series) {
    char pos[32];
    /* EPUB 3's collection, and calibre's own names for the same, which
     * calibre, KOReader and others read. */
    snprintf(pos, sizeof pos, "%zu", b->series_index);
    W(xmlTextWriterStartElement(w, X("meta")));
    W(xmlTextWriterWriteAttribute(w, X("property"), X("belongs-to-collection")));
    W(xmlTextWriterWriteAttribute(w, X("id"), X("series")));
    W(xmlTextWriterWriteString(w, X(b->series)));
    W(xmlTextWriterEndElement(w));
    W(meta_refines(w, "#series", "collection-type", "series"));
    W(meta_refines(w, "#series", "group-position", pos));
  }
  if ((ret = accessibility(w, ms)) != SHEAF_OK)
    goto out;
  /* The OPF 2 form of meta, which EPUB 3 keeps for compatibility. */
  /* EPUB 2 readers find the cover picture by this meta, EPUB 3 ones by the
   * manifest's cover-image property. */
  for (i = 0; i < ms->ndocs; i++) /* never a chapter */
    if (ms->docs[i].properties && strcmp(ms->docs[i].properties, "cover-image") == 0) {
      W(xmlTextWriterStartElement(w, X("meta")));
      W(xmlTextWriterWriteAttribute(w, X("name"), X("cover")));
      W(xmlTextWriterWriteAttribute(w, X("content"), X(ms->docs[i].id)));
      W(xmlTextWriterEndElement(w));
      break;
    }
  if (b->series && *b->series) {
    char pos[32];
    snprintf(pos, sizeof pos, "%zu", b->series_index);
    W(meta_name(w, "calibre:series", b->series));
    W(meta_name(w, "calibre:series_index", pos));
  }
  W(xmlTextWriterStartElement(w, X("meta")));
  W(xmlTextWriterWriteAttribute(w, X("name"), X("generator")));
  W(xmlTextWriterWriteAttribute(w, X("content"), X("sheaf " SHEAF_VERSION_STRING)));
  W(xmlTextWriterEndElement(w));
  W(xmlTextWriterEndElement(w)); /* metadata */
out:
  return ret;
}

static int item(xmlTextWriterPtr w, const char *id, const char *href, const char *type,
                const char *props)
{
  if (xmlTextWriterStartElement(w, X("item")) < 0 ||
      xmlTextWriterWriteAttribute(w, X("id"), X(id)) < 0 ||
      xmlTextWriterWriteAttribute(w, X("href"), X(href)) < 0 ||
      xmlTextWriterWriteAttribute(w, X("media-type"), X(type)) < 0)
    return -1;
  if (props && *props && xmlTextWriterWriteAttribute(w, X("properties"), X(props)) < 0)
    return -1;
  return xmlTextWriterEndElement(w);
}

static int itemref(xmlTextWriterPtr w, const char *idref, bool linear)
{
  if (xmlTextWriterStartElement(w, X("itemref")) < 0 ||
      xmlTextWriterWriteAttribute(w, X("idref"), X(idref)) < 0)
    return -1;
  if (!linear && xmlTextWriterWriteAttribute(w, X("linear"), X("no")) < 0)
    return -1;
  return xmlTextWriterEndElement(w);
}

static sheaf_status manifest_spine(xmlTextWriterPtr w, const struct sheaf_manuscript *ms)
{
  sheaf_status ret = SHEAF_OK;
  bool nav_done = false, any_linear = false;
  size_t i;

  W(xmlTextWriterStartElement(w, X("manifest")));
  W(item(w, "nav", "nav.xhtml", "application/xhtml+xml", "nav"));
  W(item(w, "ncx", "toc.ncx", "application/x-dtbncx+xml", NULL));
  for (i = 0; i < sheaf_manuscript_count(ms); i++) {
    struct sheaf_doc_view v;
    const struct sheaf_doc *d = sheaf_manuscript_doc(ms, i, &v);
    W(item(w, d->id, d->href, d->media_type, d->properties));
  }
  W(xmlTextWriterEndElement(w));

  /* A layout that never sets `linear` means every document is linear;
   * otherwise the flag is honoured. */
  any_linear = ms->nchapters > 0; /* chapters are linear */
  for (i = 0; i < ms->ndocs; i++)
    any_linear |= ms->docs[i].in_spine && ms->docs[i].linear;

  /* Cover and title page first, then the table of contents, then the
   * chapters. */
  W(xmlTextWriterStartElement(w, X("spine")));
  W(xmlTextWriterWriteAttribute(w, X("toc"), X("ncx")));
  /* Right-to-left languages turn the pages the other way. */
  if (sheaf_lang_rtl(ms->book->language))
    W(xmlTextWriterWriteAttribute(w, X("page-progression-direction"), X("rtl")));
  for (i = 0; i < sheaf_manuscript_count(ms); i++) {
    struct sheaf_doc_view v;
    const struct sheaf_doc *d = sheaf_manuscript_doc(ms, i, &v);
    bool is_title = d->landmark && (strcmp(d->landmark, "titlepage") == 0 ||
                                    strcmp(d->landmark, "cover") == 0);
    if (!d->in_spine)
      continue;
    if (!nav_done && !is_title) {
      W(itemref(w, "nav", true));
      nav_done = true;
    }
    W(itemref(w, d->id, d->linear || !any_linear));
  }
  if (!nav_done)
    W(itemref(w, "nav", true));
  W(xmlTextWriterEndElement(w));
out:
  return ret;
}

sheaf_status sheaf_package_opf(const struct sheaf_manuscript *ms,
                               const sheaf_options *opt, struct sheaf_pkg_out *out)
{
  xmlTextWriterPtr w;
  sheaf_status ret;

  ret = sheaf_package_xml_begin(&w, out);
  if (ret)
    return ret;
  W(xmlTextWriterStartElement(w, X("package")));
  W(xmlTextWriterWriteAttribute(w, X("xmlns"), X(OPF_NS)));
  W(xmlTextWriterWriteAttribute(w, X("version"), X("3.0")));
  W(xmlTextWriterWriteAttribute(w, X("unique-identifier"), X("bookid")));
  W(xmlTextWriterWriteAttribute(w, X("xml:lang"),
                                X(nonempty(ms->book->language, "und"))));
  SHEAF_CHECK(metadata(w, ms, opt));
  SHEAF_CHECK(manifest_spine(w, ms));
  W(xmlTextWriterEndElement(w));
out:
  return sheaf_package_xml_end(w, ret, out);
}
