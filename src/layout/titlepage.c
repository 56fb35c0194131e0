/*
 * This file contains the title-page template: the book's title, subtitle
 * and publisher, how many articles it holds, the date range they span and
 * the sources they came from, as an XHTML content document.
 */
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

sheaf_status sheaf_layout_titlepage(const struct sheaf_book *book,
                                    struct sheaf_buf *out)
{
  const char *title = book->title && *book->title ? book->title : "Untitled";
  char first[32], last[32];
  size_t i;

  sheaf_layout_head(out, book->language && *book->language ? book->language : "en",
                    title);
  sheaf_buf_puts(out, "<section epub:type=\"titlepage\" id=\"sheaf-titlepage\" "
                      "class=\"sheaf-titlepage\">\n<h1 class=\"sheaf-book-title\">");
  sheaf_buf_put_xml(out, title, strlen(title), false);
  sheaf_buf_puts(out, "</h1>\n");
  if (book->subtitle && *book->subtitle)
    para(out, "sheaf-subtitle", book->subtitle);
  if (book->publisher && *book->publisher &&
      !(book->subtitle && strcmp(book->subtitle, book->publisher) == 0))
    para(out, "sheaf-publisher", book->publisher);
  sheaf_buf_printf(out, "<p class=\"sheaf-count\">%zu article%s</p>\n",
                   book->nchapters, book->nchapters == 1 ? "" : "s");
  first[0] = last[0] = '\0';
  if (book->first != SHEAF_TIME_UNKNOWN)
    sheaf_date_format_long(book->first, first);
  if (book->last != SHEAF_TIME_UNKNOWN)
    sheaf_date_format_long(book->last, last);
  if (first[0] || last[0]) {
    sheaf_buf_puts(out, "<p class=\"sheaf-dates\">");
    if (first[0] && last[0] && strcmp(first, last) != 0)
      sheaf_buf_printf(out, "%s \xE2\x80\x93 %s", first, last); /* en dash */
    else
      sheaf_buf_puts(out, first[0] ? first : last);
    sheaf_buf_puts(out, "</p>\n");
  }
  if (book->nsources) {
    sheaf_buf_puts(out, "<div class=\"sheaf-sources\">\n<p>Sources:</p>\n<ul>\n");
    for (i = 0; i < book->nsources; i++) {
      sheaf_buf_puts(out, "<li>");
      sheaf_buf_put_xml(out, book->sources[i], strlen(book->sources[i]), false);
      sheaf_buf_puts(out, "</li>\n");
    }
    sheaf_buf_puts(out, "</ul>\n</div>\n");
  }
  sheaf_buf_puts(out, "</section>\n</body>\n</html>\n");
  return out->failed ? SHEAF_ERR_NOMEM : SHEAF_OK;
}
