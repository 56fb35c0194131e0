/*
 * This file contains the title-page and colophon templates. The title page
 * shows the book's title, subtitle and publisher, how many articles it
 * holds, the date range they span and the sources they came from; the
 * colophon ("About this book") closes the book with every source, when the
 * book was made (a reproducible time, never the clock) and by what.
 */
#include <stdio.h>
#include <string.h>

#include "layout/layout.h"

static void para(struct sheaf_buf *out, const char *cls, const char *text)
{
  sheaf_buf_puts(out, "<p class=\"");
  sheaf_buf_puts(out, cls);
  sheaf_buf_puts(out, "\">");
  sheaf_buf_put_xml(out, text, strlen(text), false);
  sheaf_buf_puts(out, "</p>\n");
}

static void sources(struct sheaf_buf *out, const struct sheaf_book *book)
{
  size_t i;

  sheaf_buf_puts(out, "<ul>\n");
  for (i = 0; i < book->nsources; i++) {
    /* Isolated: a URL keeps its left-to-right order in a right-to-left
     * book ("/https://..." otherwise). */
    sheaf_buf_puts(out, "<li><bdi>");
    sheaf_buf_put_xml(out, book->sources[i], strlen(book->sources[i]), false);
    sheaf_buf_puts(out, "</bdi></li>\n");
  }
  sheaf_buf_puts(out, "</ul>\n");
}

sheaf_status sheaf_layout_colophon(const struct sheaf_layout_ctx *cx,
                                   struct sheaf_buf *out)
{
  const struct sheaf_book *book = cx->book;
  const struct sheaf_labels *en = sheaf_labels_for("en");
  const char *title = book->title && *book->title ? book->title : en->untitled;

  sheaf_layout_head(out, "en", "About this book", cx->user_css);
  sheaf_buf_puts(out, "<section epub:type=\"colophon\" id=\"sheaf-colophon\" "
                      "class=\"sheaf-colophon\">\n<h1>About this book</h1>\n<p><cite");
  if (book->language && *book->language && strcmp(book->language, "en") != 0) {
    /* The title is in the book's language, this page in English. */
    sheaf_buf_puts(out, " xml:lang=\"");
    sheaf_buf_put_xml(out, book->language, strlen(book->language), true);
    sheaf_buf_puts(out, "\" lang=\"");
    sheaf_buf_put_xml(out, book->language, strlen(book->language), true);
    sheaf_buf_puts(out, "\"");
  }
  sheaf_buf_puts(out, ">");
  sheaf_buf_put_xml(out, title, strlen(title), false);
  sheaf_buf_printf(out, "</cite> collects %zu article%s", book->nchapters,
                   book->nchapters == 1 ? "" : "s");
  if (book->first != SHEAF_TIME_UNKNOWN) {
    struct sheaf_buf first, last;
    sheaf_buf_init(&first, 0);
    sheaf_buf_init(&last, 0);
    sheaf_labels_date(en, book->first, &first);
    sheaf_labels_date(en, book->last, &last);
    /* "published between 12 January 2023 and 22 February 2023", or "on"
     * one day: the title page's en-dash range reads badly in a sentence. */
    if (first.failed || last.failed)
      out->failed = true;
    else if (strcmp(first.ptr, last.ptr) == 0)
      sheaf_buf_printf(out, " published on %s", first.ptr);
    else
      sheaf_buf_printf(out, " published between %s and %s", first.ptr, last.ptr);
    sheaf_buf_fini(&first);
    sheaf_buf_fini(&last);
  }
  sheaf_buf_puts(out, ".</p>\n");
  if (book->nsources) {
    sheaf_buf_printf(out, "<p>%s:</p>\n",
                     book->nsources == 1 ? "Its source" : "Its sources");
    sources(out, book);
  }
  sheaf_buf_puts(out, "<p>This book was made on ");
  sheaf_labels_date(en, cx->built, out);
  sheaf_buf_puts(out, " by sheaf ");
  sheaf_buf_puts(out, sheaf_version_string());
  /* Say where the date comes from: never the clock, so that the same
   * archive always makes the same book. */
  switch (cx->built_from) {
  case SHEAF_BUILT_SDE:
    sheaf_buf_puts(out, " (the date the build was given as SOURCE_DATE_EPOCH)");
    break;
  case SHEAF_BUILT_NEWEST:
    sheaf_buf_puts(out, " (dated by its newest article)");
    break;
  default:
    sheaf_buf_puts(out, " (no article is dated: a fixed date)");
    break;
  }
  sheaf_buf_puts(out, ", from the archive as it was then. Links to the original "
                      "articles lead to the web.</p>\n</section>\n</body>\n</html>\n");
  return out->failed ? SHEAF_ERR_NOMEM : SHEAF_OK;
}

sheaf_status sheaf_layout_titlepage(const struct sheaf_layout_ctx *cx,
                                    struct sheaf_buf *out)
{
  const struct sheaf_book *book = cx->book;
  const char *lang = book->language && *book->language ? book->language : "en";
  const struct sheaf_labels *l = sheaf_labels_for(lang);
  const char *title = book->title && *book->title ? book->title : l->untitled;

  sheaf_layout_head(out, lang, title, cx->user_css);
  sheaf_buf_puts(out, "<section epub:type=\"titlepage\" id=\"sheaf-titlepage\" "
                      "class=\"sheaf-titlepage\">\n<h1 class=\"sheaf-book-title\">");
  sheaf_buf_put_xml(out, title, strlen(title), false);
  sheaf_buf_puts(out, "</h1>\n");
  if (book->subtitle && *book->subtitle)
    para(out, "sheaf-subtitle", book->subtitle);
  if (book->ncreators && !book->creators_site) {
    size_t i;
    /* Names only, joined by commas: no word that would need translating. */
    sheaf_buf_puts(out, "<p class=\"sheaf-authors\">");
    for (i = 0; i < book->ncreators; i++) {
      if (i)
        sheaf_buf_puts(out, ", ");
      sheaf_buf_put_xml(out, book->creators[i], strlen(book->creators[i]), false);
    }
    sheaf_buf_puts(out, "</p>\n");
  }
  if (book->publisher && *book->publisher &&
      !(book->subtitle && strcmp(book->subtitle, book->publisher) == 0))
    para(out, "sheaf-publisher", book->publisher);
  /* The count, the dates and "Sources" are sheaf's words: in the book's
   * language, or marked as English when sheaf does not speak it. */
  sheaf_buf_puts(out, "<p class=\"sheaf-count\"");
  sheaf_layout_lang_attrs(out, l, lang);
  sheaf_buf_puts(out, ">");
  sheaf_labels_count(l, book->nchapters, out);
  sheaf_buf_puts(out, "</p>\n");
  if (book->first != SHEAF_TIME_UNKNOWN || book->last != SHEAF_TIME_UNKNOWN) {
    sheaf_buf_puts(out, "<p class=\"sheaf-dates\"");
    sheaf_layout_lang_attrs(out, l, lang);
    sheaf_buf_puts(out, ">");
    sheaf_labels_date_range(l, book->first, book->last, out);
    sheaf_buf_puts(out, "</p>\n");
  }
  if (book->nsources) {
    sheaf_buf_puts(out, "<div class=\"sheaf-sources\">\n<p");
    sheaf_layout_lang_attrs(out, l, lang);
    sheaf_buf_printf(out, ">%s</p>\n", l->sources);
    sources(out, book);
    sheaf_buf_puts(out, "</div>\n");
  }
  sheaf_buf_puts(out, "</section>\n</body>\n</html>\n");
  return out->failed ? SHEAF_ERR_NOMEM : SHEAF_OK;
}
