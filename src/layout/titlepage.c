/*
 * This file contains the title-page template: the book's title, subtitle,
 * authors and publisher, how many articles it holds, the date range they
 * span and the sources they came from (the list the colophon repeats,
 * colophon.c).
 */
#include <stdio.h>
#include <string.h>

#include "layout/layout.h"

/* A line of the book's own text. In a right-to-left book it may be in
 * either direction (a Latin site name under an Arabic title): it is set in
 * its own, isolated (dir="auto"). */
static void para(struct sheaf_buf *out, const char *cls, const char *text, bool rtl)
{
  sheaf_buf_puts(out, "<p class=\"");
  sheaf_buf_puts(out, cls);
  sheaf_buf_puts(out, rtl ? "\" dir=\"auto\">" : "\">");
  sheaf_buf_put_xml(out, text, strlen(text), false);
  sheaf_buf_puts(out, "</p>\n");
}

void sheaf_layout_sources(struct sheaf_buf *out, const struct sheaf_book *book)
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

sheaf_status sheaf_layout_titlepage(const struct sheaf_layout_ctx *cx,
                                    struct sheaf_buf *out)
{
  const struct sheaf_book *book = cx->book;
  const char *lang = book->language && *book->language ? book->language : "en";
  const struct sheaf_labels *l = sheaf_labels_for(lang);
  const char *title = book->title && *book->title ? book->title : l->untitled;
  bool rtl = sheaf_layout_lang_rtl(lang);

  sheaf_layout_head(out, lang, title, cx->user_css);
  sheaf_buf_puts(out, "<section epub:type=\"titlepage\" id=\"sheaf-titlepage\" "
                      "class=\"sheaf-titlepage\">\n<h1 class=\"sheaf-book-title\">");
  sheaf_buf_put_xml(out, title, strlen(title), false);
  sheaf_buf_puts(out, "</h1>\n");
  if (book->subtitle && *book->subtitle)
    para(out, "sheaf-subtitle", book->subtitle, rtl);
  if (book->ncreators && !book->creators_site) {
    size_t i;
    /* Names only, joined by commas: no word that would need translating. */
    sheaf_buf_puts(out, "<p class=\"sheaf-authors\">");
    for (i = 0; i < book->ncreators; i++) {
      if (i)
        sheaf_buf_puts(out, ", ");
      /* Each name in its own direction in a right-to-left book. */
      sheaf_buf_puts(out, rtl ? "<bdi>" : "");
      sheaf_buf_put_xml(out, book->creators[i], strlen(book->creators[i]), false);
      sheaf_buf_puts(out, rtl ? "</bdi>" : "");
    }
    sheaf_buf_puts(out, "</p>\n");
  }
  if (book->publisher && *book->publisher &&
      !(book->subtitle && strcmp(book->subtitle, book->publisher) == 0))
    para(out, "sheaf-publisher", book->publisher, rtl);
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
    /* Each day where its article was written, as the chapters show it. */
    sheaf_labels_date_range_tz(l, book->first, book->first_offset, book->last,
                               book->last_offset, out);
    sheaf_buf_puts(out, "</p>\n");
  }
  if (book->nsources) {
    sheaf_buf_puts(out, "<div class=\"sheaf-sources\">\n<p");
    sheaf_layout_lang_attrs(out, l, lang);
    sheaf_buf_printf(out, ">%s</p>\n", l->sources[book->nsources == 1 ? 0 : 1]);
    sheaf_layout_sources(out, book);
    sheaf_buf_puts(out, "</div>\n");
  }
  sheaf_buf_puts(out, "</section>\n</body>\n</html>\n");
  return out->failed ? SHEAF_ERR_NOMEM : SHEAF_OK;
}
