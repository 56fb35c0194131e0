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

/* "22 February 2023 – 3 March 2024", or one date, or "" when unknown. */
static void date_range(const struct sheaf_book *book, char out[80])
{
  char first[32], last[32];

  first[0] = last[0] = out[0] = '\0';
  if (book->first != SHEAF_TIME_UNKNOWN)
    sheaf_date_format_long(book->first, first);
  if (book->last != SHEAF_TIME_UNKNOWN)
    sheaf_date_format_long(book->last, last);
  if (first[0] && last[0] && strcmp(first, last) != 0)
    snprintf(out, 80, "%s \xE2\x80\x93 %s", first, last); /* en dash */
  else
    snprintf(out, 80, "%s", first[0] ? first : last);
}

static void sources(struct sheaf_buf *out, const struct sheaf_book *book)
{
  size_t i;

  sheaf_buf_puts(out, "<ul>\n");
  for (i = 0; i < book->nsources; i++) {
    sheaf_buf_puts(out, "<li>");
    sheaf_buf_put_xml(out, book->sources[i], strlen(book->sources[i]), false);
    sheaf_buf_puts(out, "</li>\n");
  }
  sheaf_buf_puts(out, "</ul>\n");
}

sheaf_status sheaf_layout_colophon(const struct sheaf_layout_ctx *cx,
                                   struct sheaf_buf *out)
{
  const struct sheaf_book *book = cx->book;
  const char *title = book->title && *book->title ? book->title : "Untitled";
  char when[32];

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
    char first[32], last[32];
    sheaf_date_format_long(book->first, first);
    sheaf_date_format_long(book->last, last);
    /* "published between 12 January 2023 and 22 February 2023", or "on"
     * one day: the title page's en-dash range reads badly in a sentence. */
    if (strcmp(first, last) == 0)
      sheaf_buf_printf(out, " published on %s", first);
    else
      sheaf_buf_printf(out, " published between %s and %s", first, last);
  }
  sheaf_buf_puts(out, ".</p>\n");
  if (book->nsources) {
    sheaf_buf_printf(out, "<p>%s:</p>\n", book->nsources == 1 ? "Its source" : "Its sources");
    sources(out, book);
  }
  sheaf_date_format_long(cx->built, when);
  sheaf_buf_puts(out, "<p>This book was made on ");
  sheaf_buf_put_xml(out, when, strlen(when), false);
  sheaf_buf_puts(out, " by sheaf ");
  sheaf_buf_puts(out, sheaf_version_string());
  sheaf_buf_puts(out, ", from the archive as it was then. Links to the original "
                      "articles lead to the web.</p>\n</section>\n</body>\n</html>\n");
  return out->failed ? SHEAF_ERR_NOMEM : SHEAF_OK;
}

sheaf_status sheaf_layout_titlepage(const struct sheaf_layout_ctx *cx,
                                    struct sheaf_buf *out)
{
  const struct sheaf_book *book = cx->book;
  const char *title = book->title && *book->title ? book->title : "Untitled";
  char range[80];
  size_t i;

  sheaf_layout_head(out, book->language && *book->language ? book->language : "en",
                    title, cx->user_css);
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
  date_range(book, range);
  if (range[0]) {
    sheaf_buf_puts(out, "<p class=\"sheaf-dates\">");
    sheaf_buf_put_xml(out, range, strlen(range), false);
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
