/*
 * This file contains sheaf_layout(), the layout stage's entry: it lays out
 * the title page, one XHTML document per chapter and the embedded default
 * stylesheet into a manuscript, with the hrefs, ids and landmarks the
 * package stage relies on.
 */
#include <stdio.h>
#include <string.h>

#include "layout/layout.h"

#include "assets.inc"

static sheaf_status add(struct sheaf_manuscript *ms, const char *href,
                        const char *id, const char *media_type,
                        struct sheaf_buf *data, const char *title,
                        int64_t date, bool in_spine, const char *landmark,
                        size_t chapter)
{
  struct sheaf_doc doc;

  memset(&doc, 0, sizeof doc);
  doc.href = sheaf_strdup(href);
  doc.id = sheaf_strdup(id);
  doc.media_type = sheaf_strdup(media_type);
  doc.title = title ? sheaf_strdup(title) : NULL;
  doc.data = sheaf_buf_detach(data, &doc.len);
  doc.date = date;
  doc.in_spine = in_spine;
  doc.linear = in_spine;
  doc.properties = NULL;
  doc.landmark = landmark;
  doc.chapter = chapter;
  if (!doc.href || !doc.id || !doc.media_type || !doc.data || (title && !doc.title)) {
    sheaf_doc_fini(&doc);
    return SHEAF_ERR_NOMEM;
  }
  return sheaf_manuscript_add(ms, &doc) ? SHEAF_OK : SHEAF_ERR_NOMEM;
}

sheaf_manuscript *sheaf_layout(const sheaf_book *book, const sheaf_options *opt,
                               sheaf_diag *diag, sheaf_status *status)
{
  struct sheaf_manuscript *ms = NULL;
  struct sheaf_buf b;
  sheaf_status ret = SHEAF_OK;
  size_t i;

  (void)opt;
  sheaf_buf_init(&b, 0);
  if (book == NULL) {
    ret = SHEAF_ERR_USAGE;
    goto out;
  }
  ms = sheaf_calloc(1, sizeof *ms);
  if (!ms) {
    ret = SHEAF_ERR_NOMEM;
    goto out;
  }
  ms->book = book;

  SHEAF_CHECK(sheaf_layout_titlepage(book, &b));
  SHEAF_CHECK(add(ms, "text/title.xhtml", "titlepage", "application/xhtml+xml", &b,
                  NULL, SHEAF_TIME_UNKNOWN, true, "titlepage", 0));

  for (i = 0; i < book->nchapters; i++) {
    const struct sheaf_article *a = book->chapters[i];
    char href[48], id[32];

    snprintf(id, sizeof id, "ch%04zu", i + 1);
    snprintf(href, sizeof href, "text/%s.xhtml", id);
    sheaf_buf_reset(&b);
    SHEAF_CHECK(sheaf_layout_chapter(book, a, diag, &b));
    SHEAF_CHECK(add(ms, href, id, "application/xhtml+xml", &b,
                    a->title && *a->title ? a->title : "Untitled", a->published,
                    true, i == 0 ? "bodymatter" : NULL, i + 1));
  }

  for (i = 0; embedded_assets[i].name; i++)
    if (strcmp(embedded_assets[i].name, "sheaf.css") == 0)
      break;
  sheaf_buf_reset(&b);
  if (embedded_assets[i].name)
    sheaf_buf_put(&b, embedded_assets[i].data, embedded_assets[i].len);
  else
    sheaf_buf_puts(&b, "/* sheaf */\n");
  if (b.failed)
    SHEAF_CHECK(SHEAF_ERR_NOMEM);
  SHEAF_CHECK(add(ms, "styles/sheaf.css", "css", "text/css", &b, NULL,
                  SHEAF_TIME_UNKNOWN, false, NULL, 0));
out:
  sheaf_buf_fini(&b);
  if (ret != SHEAF_OK) {
    if (ret == SHEAF_ERR_NOMEM && diag)
      sheaf_diag_add(diag, SHEAF_ERROR, "nomem", NULL, 0, 0,
                     "out of memory while laying out the book");
    sheaf_manuscript_free(ms);
    ms = NULL;
  }
  if (status)
    *status = ret;
  return ms;
}
