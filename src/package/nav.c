/*
 * This file contains the writers of the two navigation documents: the EPUB 3
 * navigation document (EPUB/nav.xhtml: table of contents and landmarks) and
 * the EPUB 2 NCX (EPUB/toc.ncx) that older readers use. Both list the
 * chapters, the documents of the manuscript that carry a title.
 */
#include <stdio.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "package/package.h"

#define XHTML_NS "http://www.w3.org/1999/xhtml"
#define OPS_NS "http://www.idpf.org/2007/ops"
#define NCX_NS "http://www.daisy.org/z3986/2005/ncx/"

/* True when `d` is listed in the table of contents. */
static bool listed(const struct sheaf_doc *d)
{
  return d->in_spine && d->title != NULL;
}

/* Both tables must hold at least one entry; a manuscript without chapters
 * gets its first spine document, labelled with the book's title. */
static const struct sheaf_doc *fallback(const struct sheaf_manuscript *ms)
{
  size_t i;

  if (ms->nchapters)
    return NULL; /* chapters are listed */
  for (i = 0; i < ms->ndocs; i++)
    if (listed(&ms->docs[i]))
      return NULL;
  for (i = 0; i < ms->ndocs; i++)
    if (ms->docs[i].in_spine)
      return &ms->docs[i];
  return NULL;
}

/* sheaf's own words in the nav and the NCX, in the book's language. */
static const struct sheaf_labels *labels(const struct sheaf_manuscript *ms)
{
  return sheaf_labels_for(ms->book->language);
}

static const char *book_title(const struct sheaf_manuscript *ms)
{
  const char *t = ms->book->title;
  return t && *t ? t : labels(ms)->untitled;
}

/* An empty title would give an empty link, which EPUB forbids in a nav. */
static const char *label(const struct sheaf_doc *d, const struct sheaf_manuscript *ms)
{
  if (d->title == NULL)
    return book_title(ms);
  return *d->title ? d->title : labels(ms)->untitled;
}

static const char *landmark_label(const struct sheaf_labels *l, const char *type)
{
  if (strcmp(type, "titlepage") == 0)
    return l->title_page;
  if (strcmp(type, "bodymatter") == 0)
    return l->start;
  if (strcmp(type, "cover") == 0)
    return l->cover;
  if (strcmp(type, "toc") == 0)
    return l->contents;
  return type;
}

/* Marks an element as English when sheaf has no words in the book's
 * language (the document itself is declared in that language); inline
 * runs of it (`inline_run`) in a right-to-left book are also isolated left
 * to right. */
static int english_if_foreign(xmlTextWriterPtr w, const struct sheaf_manuscript *ms,
                              bool inline_run)
{
  if (sheaf_labels_match(labels(ms), ms->book->language))
    return 0;
  if (xmlTextWriterWriteAttribute(w, X("xml:lang"), X("en")) < 0 ||
      xmlTextWriterWriteAttribute(w, X("lang"), X("en")) < 0)
    return -1;
  if (inline_run && sheaf_lang_rtl(ms->book->language))
    return xmlTextWriterWriteAttribute(w, X("dir"), X("ltr"));
  return 0;
}

static int list_link(xmlTextWriterPtr w, const char *type, const char *href,
                     const char *text)
{
  if (xmlTextWriterStartElement(w, X("li")) < 0 ||
      xmlTextWriterStartElement(w, X("a")) < 0)
    return -1;
  if (type && xmlTextWriterWriteAttribute(w, X("epub:type"), X(type)) < 0)
    return -1;
  if (xmlTextWriterWriteAttribute(w, X("href"), X(href)) < 0 ||
      xmlTextWriterWriteString(w, X(text)) < 0 || xmlTextWriterEndElement(w) < 0)
    return -1;
  return xmlTextWriterEndElement(w);
}

/* One toc entry: the title and, where known, the date in a span inside the
 * link (a nav's list items may hold only the link and a nested list). */
static int toc_entry(xmlTextWriterPtr w, const struct sheaf_doc *d,
                     const struct sheaf_manuscript *ms)
{
  struct sheaf_buf day;
  int rc;

  if (d->date == SHEAF_TIME_UNKNOWN)
    return list_link(w, NULL, d->href, label(d, ms));
  sheaf_buf_init(&day, 0);
  /* In the article's own time zone, as its chapter shows it. */
  sheaf_labels_date_tz(labels(ms), d->date,
                       d->chapter && d->chapter <= ms->book->nchapters
                           ? ms->book->chapters[d->chapter - 1]->pub_offset
                           : 0,
                       &day);
  /* Indenting inside the mixed content would add spaces to the link text. */
  rc = day.failed || xmlTextWriterStartElement(w, X("li")) < 0 ||
               xmlTextWriterStartElement(w, X("a")) < 0 ||
               xmlTextWriterSetIndent(w, 0) < 0 ||
               xmlTextWriterWriteAttribute(w, X("href"), X(d->href)) < 0 ||
               xmlTextWriterWriteString(w, X(label(d, ms))) < 0 ||
               xmlTextWriterWriteString(w, X(" ")) < 0 ||
               xmlTextWriterStartElement(w, X("span")) < 0 ||
               xmlTextWriterWriteAttribute(w, X("class"), X("toc-date")) < 0 ||
               english_if_foreign(w, ms, true) < 0 ||
               xmlTextWriterWriteFormatString(w, "(%s)", day.ptr) < 0 ||
               xmlTextWriterEndElement(w) < 0 || xmlTextWriterEndElement(w) < 0 ||
               xmlTextWriterWriteRaw(w, X("\n")) < 0 || xmlTextWriterSetIndent(w, 1) < 0
           ? -1
           : 0;
  sheaf_buf_fini(&day);
  if (rc < 0)
    return -1;
  return xmlTextWriterEndElement(w);
}

/* Returns the group (of ms->book->groups) chapter document `d` belongs to,
 * or NULL when the table of contents is flat or `d` is not a chapter. */
static const struct sheaf_book_group *group_of(const struct sheaf_manuscript *ms,
                                               const struct sheaf_doc *d)
{
  const struct sheaf_book *b = ms->book;
  size_t i;

  if (d->chapter == 0)
    return NULL;
  for (i = 0; i < b->ngroups; i++)
    if (d->chapter - 1 >= b->groups[i].start &&
        d->chapter - 1 < b->groups[i].start + b->groups[i].count)
      return &b->groups[i];
  return NULL;
}

/* The toc's entries; a group heading is a span followed by the nested list
 * of its chapters, as EPUB 3 navigation documents allow. */
static sheaf_status toc_entries(xmlTextWriterPtr w, const struct sheaf_manuscript *ms)
{
  const struct sheaf_book_group *open = NULL;
  sheaf_status ret = SHEAF_OK;
  struct sheaf_doc_view v;
  size_t i;

  sheaf_doc_view_init(&v);
  for (i = 0; i < sheaf_manuscript_count(ms); i++) {
    const struct sheaf_doc *d = sheaf_manuscript_doc_titled(ms, i, &v, &ret);
    const struct sheaf_book_group *g;
    if (d == NULL)
      goto out;
    if (!listed(d))
      continue;
    g = group_of(ms, d);
    if (g != open) {
      if (open) {
        W(xmlTextWriterEndElement(w)); /* ol */
        W(xmlTextWriterEndElement(w)); /* li */
      }
      if (g) {
        W(xmlTextWriterStartElement(w, X("li")));
        W(xmlTextWriterStartElement(w, X("span")));
        /* A year, a month in sheaf's words or a tag's name: in a
         * right-to-left book, isolated and set in its own direction. */
        if (sheaf_lang_rtl(ms->book->language))
          W(xmlTextWriterWriteAttribute(w, X("dir"), X("auto")));
        W(xmlTextWriterWriteString(w, X(g->title)));
        W(xmlTextWriterEndElement(w)); /* span */
        W(xmlTextWriterStartElement(w, X("ol")));
      }
      open = g;
    }
    W(toc_entry(w, d, ms));
  }
  if (open) {
    W(xmlTextWriterEndElement(w)); /* ol */
    W(xmlTextWriterEndElement(w)); /* li */
  }
out:
  sheaf_doc_view_fini(&v);
  return ret;
}

static sheaf_status nav_body(xmlTextWriterPtr w, const struct sheaf_manuscript *ms)
{
  const struct sheaf_doc *fb = fallback(ms);
  const struct sheaf_labels *l = labels(ms);
  sheaf_status ret = SHEAF_OK;
  bool toc_done = false;
  size_t i;

  W(xmlTextWriterStartElement(w, X("body")));
  if (sheaf_lang_rtl(ms->book->language)) /* as the chapters' bodies */
    W(xmlTextWriterWriteAttribute(w, X("dir"), X("rtl")));
  W(xmlTextWriterStartElement(w, X("nav")));
  W(xmlTextWriterWriteAttribute(w, X("epub:type"), X("toc")));
  W(xmlTextWriterWriteAttribute(w, X("id"), X("toc")));
  W(xmlTextWriterStartElement(w, X("h1")));
  W(english_if_foreign(w, ms, false));
  W(xmlTextWriterWriteString(w, X(l->contents)));
  W(xmlTextWriterEndElement(w)); /* h1 */
  W(xmlTextWriterStartElement(w, X("ol")));
  if (fb)
    W(list_link(w, NULL, fb->href, book_title(ms)));
  SHEAF_CHECK(toc_entries(w, ms));
  W(xmlTextWriterEndElement(w)); /* ol */
  W(xmlTextWriterEndElement(w)); /* nav */

  /* Landmarks in reading order; the toc goes after the title page, as in
   * the spine. */
  W(xmlTextWriterStartElement(w, X("nav")));
  W(xmlTextWriterWriteAttribute(w, X("epub:type"), X("landmarks")));
  W(xmlTextWriterWriteAttribute(w, X("hidden"), X("")));
  W(english_if_foreign(w, ms, false));
  W(xmlTextWriterWriteElement(w, X("h2"), X(l->landmarks)));
  W(xmlTextWriterStartElement(w, X("ol")));
  for (i = 0; i < sheaf_manuscript_count(ms); i++) {
    struct sheaf_doc_view v;
    const struct sheaf_doc *d = sheaf_manuscript_doc(ms, i, &v);
    if (!d->landmark || !*d->landmark)
      continue;
    if (!toc_done && strcmp(d->landmark, "titlepage") != 0 &&
        strcmp(d->landmark, "cover") != 0) {
      W(list_link(w, "toc", "nav.xhtml#toc", l->contents));
      toc_done = true;
    }
    W(list_link(w, d->landmark, d->href, landmark_label(l, d->landmark)));
  }
  if (!toc_done)
    W(list_link(w, "toc", "nav.xhtml#toc", l->contents));
  W(xmlTextWriterEndElement(w)); /* ol */
  W(xmlTextWriterEndElement(w)); /* nav */
  W(xmlTextWriterEndElement(w)); /* body */
out:
  return ret;
}

sheaf_status sheaf_package_nav(const struct sheaf_manuscript *ms,
                               struct sheaf_pkg_out *out)
{
  const char *lang =
      ms->book->language && *ms->book->language ? ms->book->language : "und";
  xmlTextWriterPtr w;
  sheaf_status ret;
  size_t i;

  ret = sheaf_package_xml_begin(&w, out);
  if (ret)
    return ret;
  W(xmlTextWriterStartDTD(w, X("html"), NULL, NULL));
  W(xmlTextWriterEndDTD(w));
  W(xmlTextWriterStartElement(w, X("html")));
  W(xmlTextWriterWriteAttribute(w, X("xmlns"), X(XHTML_NS)));
  W(xmlTextWriterWriteAttribute(w, X("xmlns:epub"), X(OPS_NS)));
  W(xmlTextWriterWriteAttribute(w, X("xml:lang"), X(lang)));
  W(xmlTextWriterWriteAttribute(w, X("lang"), X(lang)));
  if (sheaf_lang_rtl(lang))
    W(xmlTextWriterWriteAttribute(w, X("dir"), X("rtl")));
  W(xmlTextWriterStartElement(w, X("head")));
  W(xmlTextWriterWriteElement(w, X("title"), X(book_title(ms))));
  for (i = 0; i < sheaf_manuscript_count(ms); i++) {
    struct sheaf_doc_view v;
    const struct sheaf_doc *d = sheaf_manuscript_doc(ms, i, &v);
    if (d->media_type && strcmp(d->media_type, "text/css") == 0) {
      W(xmlTextWriterStartElement(w, X("link")));
      W(xmlTextWriterWriteAttribute(w, X("rel"), X("stylesheet")));
      W(xmlTextWriterWriteAttribute(w, X("type"), X("text/css")));
      W(xmlTextWriterWriteAttribute(w, X("href"), X(d->href)));
      W(xmlTextWriterEndElement(w));
      break;
    }
  }
  W(xmlTextWriterEndElement(w)); /* head */
  SHEAF_CHECK(nav_body(w, ms));
  W(xmlTextWriterEndElement(w)); /* html */
out:
  return sheaf_package_xml_end(w, ret, out);
}

/* ---- NCX ------------------------------------------------------------------ */

static int ncx_meta(xmlTextWriterPtr w, const char *name, const char *content)
{
  if (xmlTextWriterStartElement(w, X("meta")) < 0 ||
      xmlTextWriterWriteAttribute(w, X("name"), X(name)) < 0 ||
      xmlTextWriterWriteAttribute(w, X("content"), X(content)) < 0)
    return -1;
  return xmlTextWriterEndElement(w);
}

/* Opens a navPoint (the caller closes it, after any nested ones). */
static int nav_point_open(xmlTextWriterPtr w, unsigned id, unsigned n, const char *text,
                          const char *src)
{
  if (xmlTextWriterStartElement(w, X("navPoint")) < 0 ||
      xmlTextWriterWriteFormatAttribute(w, X("id"), "navpoint-%u", id) < 0 ||
      xmlTextWriterWriteFormatAttribute(w, X("playOrder"), "%u", n) < 0 ||
      xmlTextWriterStartElement(w, X("navLabel")) < 0 ||
      xmlTextWriterWriteElement(w, X("text"), X(text)) < 0 ||
      xmlTextWriterEndElement(w) < 0 || xmlTextWriterStartElement(w, X("content")) < 0 ||
      xmlTextWriterWriteAttribute(w, X("src"), X(src)) < 0)
    return -1;
  return xmlTextWriterEndElement(w);
}

static int nav_point(xmlTextWriterPtr w, unsigned id, unsigned n, const char *text,
                     const char *src)
{
  if (nav_point_open(w, id, n, text, src) < 0)
    return -1;
  return xmlTextWriterEndElement(w);
}

sheaf_status sheaf_package_ncx(const struct sheaf_manuscript *ms,
                               struct sheaf_pkg_out *out)
{
  const struct sheaf_book *b = ms->book;
  const struct sheaf_doc *fb = fallback(ms);
  xmlTextWriterPtr w;
  sheaf_status ret;
  unsigned n = 0, id = 0; /* playOrder, and the navPoints' own numbers */
  struct sheaf_doc_view v;
  size_t i;

  ret = sheaf_package_xml_begin(&w, out);
  if (ret)
    return ret;
  sheaf_doc_view_init(&v);
  W(xmlTextWriterStartElement(w, X("ncx")));
  W(xmlTextWriterWriteAttribute(w, X("xmlns"), X(NCX_NS)));
  W(xmlTextWriterWriteAttribute(w, X("version"), X("2005-1")));
  if (b->language && *b->language)
    W(xmlTextWriterWriteAttribute(w, X("xml:lang"), X(b->language)));
  W(xmlTextWriterStartElement(w, X("head")));
  /* Must equal the package's unique identifier (EPUBCheck NCX-001). */
  W(ncx_meta(w, "dtb:uid",
             b->identifier && *b->identifier ? b->identifier : "urn:uuid:unknown"));
  W(ncx_meta(w, "dtb:depth", b->ngroups ? "2" : "1"));
  W(ncx_meta(w, "dtb:totalPageCount", "0"));
  W(ncx_meta(w, "dtb:maxPageNumber", "0"));
  W(xmlTextWriterEndElement(w)); /* head */
  W(xmlTextWriterStartElement(w, X("docTitle")));
  W(xmlTextWriterWriteElement(w, X("text"), X(book_title(ms))));
  W(xmlTextWriterEndElement(w));
  W(xmlTextWriterStartElement(w, X("navMap")));
  if (fb)
    W(nav_point(w, ++id, ++n, book_title(ms), fb->href));
  {
    const struct sheaf_book_group *open = NULL;
    for (i = 0; i < sheaf_manuscript_count(ms); i++) {
      const struct sheaf_doc *d = sheaf_manuscript_doc_titled(ms, i, &v, &ret);
      const struct sheaf_book_group *g;
      if (d == NULL)
        goto out;
      if (!listed(d))
        continue;
      g = group_of(ms, d);
      if (g != open) {
        if (open)
          W(xmlTextWriterEndElement(w)); /* the group's navPoint */
        /* A group points at its first chapter. */
        if (g)
          W(nav_point_open(w, ++id, ++n, g->title, d->href));
        open = g;
        /* EPUBCheck wants one playOrder per target: the group and its
         * first chapter point at the same document. */
        W(nav_point(w, ++id, g ? n : ++n, label(d, ms), d->href));
        continue;
      }
      W(nav_point(w, ++id, ++n, label(d, ms), d->href));
    }
    if (open)
      W(xmlTextWriterEndElement(w));
  }
  W(xmlTextWriterEndElement(w)); /* navMap */
  W(xmlTextWriterEndElement(w)); /* ncx */
out:
  sheaf_doc_view_fini(&v);
  return sheaf_package_xml_end(w, ret, out);
}
