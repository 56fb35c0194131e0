/*
 * This file contains the chapter template: it turns one article into a
 * complete XHTML content document (head with title and stylesheet, a header
 * with the title and a byline of author, date and a link to the original,
 * then the sanitized body). Markdown bodies are rendered with cmark and
 * plain-text bodies become paragraphs before going through the sanitizer.
 */
#include <stdlib.h>
#include <errno.h>
#include <string.h>

#include <cmark.h>

#include "layout/layout.h"

/* Returns `lang` when it looks like a BCP 47 tag, else NULL. */
static const char *lang_ok(const char *lang)
{
  const char *s;

  if (lang == NULL || *lang == '\0' || strlen(lang) > 35 || *lang == '-')
    return NULL;
  for (s = lang; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
          (*s >= '0' && *s <= '9') || *s == '-'))
      return NULL;
  return lang;
}

bool sheaf_layout_lang_rtl(const char *lang)
{
  return sheaf_lang_rtl(lang);
}

/* Writes the document's opening, up to and including <body>. */
void sheaf_layout_head(struct sheaf_buf *out, const char *lang, const char *title,
                       bool user_css)
{
  sheaf_layout_head_class(out, lang, title, user_css, NULL);
}

void sheaf_layout_head_class(struct sheaf_buf *out, const char *lang, const char *title,
                             bool user_css, const char *body_class)
{
  const char *dir;

  if (!lang_ok(lang))
    lang = "en";
  dir = sheaf_layout_lang_rtl(lang) ? " dir=\"rtl\"" : "";
  sheaf_buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<!DOCTYPE html>\n"
                      "<html xmlns=\"http://www.w3.org/1999/xhtml\" "
                      "xmlns:epub=\"http://www.idpf.org/2007/ops\" xml:lang=\"");
  sheaf_buf_puts(out, lang);
  sheaf_buf_puts(out, "\" lang=\"");
  sheaf_buf_puts(out, lang);
  sheaf_buf_puts(out, "\"");
  sheaf_buf_puts(out, dir);
  sheaf_buf_puts(out, ">\n<head>\n<title>");
  sheaf_buf_put_xml(out, title, strlen(title), false);
  sheaf_buf_puts(out, "</title>\n<link rel=\"stylesheet\" type=\"text/css\" "
                      "href=\"../styles/sheaf.css\"/>\n");
  if (user_css)
    sheaf_buf_puts(out, "<link rel=\"stylesheet\" type=\"text/css\" "
                        "href=\"../styles/user.css\"/>\n");
  sheaf_buf_puts(out, "</head>\n<body");
  if (body_class) {
    sheaf_buf_puts(out, " class=\"");
    sheaf_buf_puts(out, body_class);
    sheaf_buf_puts(out, "\"");
  }
  sheaf_buf_puts(out, dir);
  sheaf_buf_puts(out, ">\n");
}

void sheaf_layout_lang_attrs(struct sheaf_buf *out, const struct sheaf_labels *l,
                             const char *lang)
{
  if (sheaf_labels_match(l, lang))
    return;
  sheaf_buf_puts(out, " xml:lang=\"");
  sheaf_buf_puts(out, l->lang);
  sheaf_buf_puts(out, "\" lang=\"");
  sheaf_buf_puts(out, l->lang);
  sheaf_buf_puts(out, lang && sheaf_layout_lang_rtl(lang) ? "\" dir=\"ltr\"" : "\"");
}

/* The language of article `a`: its own, else its feed's, else --language,
 * else the book's. */
const char *sheaf_layout_article_lang(const struct sheaf_layout_ctx *cx,
                                      const struct sheaf_article *a)
{
  const struct sheaf_collection *coll = cx->book->coll;
  const char *lang = lang_ok(a->language);

  if (!lang && coll && a->feed < coll->nfeeds && coll->feeds[a->feed])
    lang = lang_ok(coll->feeds[a->feed]->language);
  if (!lang && cx->opt)
    lang = lang_ok(cx->opt->language);
  if (!lang)
    lang = lang_ok(cx->book->language);
  return lang ? lang : "en";
}

/* Plain text: paragraphs split on blank lines, lines kept with <br/>. */
/* How many HTML tags the XHTML s[0..n) shows as text ("&lt;p&gt;"): a
 * chapter must never be escaped markup. */
static size_t escaped_tags(const char *s, size_t n)
{
  static const char *const tags[] = {"p&gt;",  "/p&gt;", "div",  "/div&gt;", "br",
                                     "a href", "/a&gt;", "img ", "item&gt;", "entry&gt;"};
  const char *p = s, *end = s + n;
  size_t count = 0, k;

  while ((p = memchr(p, '&', (size_t)(end - p))) != NULL) {
    if (end - p > 4 && memcmp(p, "&lt;", 4) == 0)
      for (k = 0; k < sizeof tags / sizeof *tags; k++)
        if ((size_t)(end - p - 4) >= strlen(tags[k]) &&
            memcmp(p + 4, tags[k], strlen(tags[k])) == 0) {
          count++;
          break;
        }
    p++;
  }
  return count;
}

/* Does the XHTML s[0..n) show anything: text, or a picture or medium? */
static bool has_content(const char *s, size_t n)
{
  static const char *const shown[] = {"img", "svg", "video", "audio", "math", "object"};
  size_t i = 0, k;

  while (i < n) {
    if (s[i] == '<') {
      const char *end = memchr(s + i, '>', n - i);
      for (k = 0; k < sizeof shown / sizeof *shown; k++) {
        size_t w = strlen(shown[k]);
        if (i + 1 + w < n && memcmp(s + i + 1, shown[k], w) == 0 &&
            (s[i + 1 + w] == ' ' || s[i + 1 + w] == '>' || s[i + 1 + w] == '/'))
          return true;
      }
      if (end == NULL)
        return false;
      i = (size_t)(end - s) + 1;
    } else if (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r') {
      i++;
    } else if (n - i >= 6 && memcmp(s + i, "&#160;", 6) == 0) {
      i += 6; /* a no-break space alone is no text either */
    } else if (n - i >= 2 && memcmp(s + i, "\xC2\xA0", 2) == 0) {
      i += 2;
    } else {
      return true;
    }
  }
  return false;
}

static void text_body(struct sheaf_buf *out, const char *s)
{
  while (*s) {
    const char *end = strstr(s, "\n\n"), *crlf = strstr(s, "\r\n\r\n");
    struct sheaf_str para;
    size_t i, start;

    if (crlf && (!end || crlf < end))
      end = crlf;
    if (!end)
      end = s + strlen(s);
    para = sheaf_str_trim((struct sheaf_str){s, (size_t)(end - s)});
    if (para.n) {
      sheaf_buf_puts(out, "<p>");
      for (i = start = 0; i <= para.n; i++)
        if (i == para.n || para.p[i] == '\n') {
          if (start)
            sheaf_buf_puts(out, "<br/>");
          sheaf_buf_put_xml(out, para.p + start, i - start, false);
          start = i + 1;
        }
      sheaf_buf_puts(out, "</p>\n");
    }
    s = end;
    while (*s == '\n' || *s == '\r')
      s++;
  }
}

static bool http_url(const char *s)
{
  return s && (sheaf_starts_with_ci(s, "http://") || sheaf_starts_with_ci(s, "https://"));
}

static sheaf_status layout_chapter(const struct sheaf_layout_ctx *cx,
                                   const struct sheaf_article *a, size_t chapter,
                                   struct sheaf_buf *out)
{
  const char *lang = cx->lang ? cx->lang : sheaf_layout_article_lang(cx, a);
  const struct sheaf_labels *l = sheaf_labels_for(lang);
  const char *title = a->title && *a->title ? a->title : l->untitled;
  const char *body;
  struct sheaf_layout_src src;
  struct sheaf_buf date;
  char day[32], *link = NULL, *md = NULL, *text = NULL;
  bool nomem = false, sep = false;
  sheaf_status ret = SHEAF_OK;
  size_t body_at;

  /* The body, else the summary, from the collection's spool if there. */
  if (a->spooled ? a->has_body : a->body != NULL)
    ret = sheaf_article_load(cx->book->coll, a, &text, NULL);
  else
    ret = sheaf_article_load(cx->book->coll, a, NULL, &text);
  if (ret != SHEAF_OK) {
    if (ret == SHEAF_ERR_IO)
      sheaf_diag_add(cx->diag, SHEAF_ERROR, "io", a->source, a->line, 0,
                     "cannot read the temporary file of article bodies: %s",
                     strerror(errno));
    return ret;
  }
  body = text;

  sheaf_layout_head(out, lang, title, cx->user_css);
  sheaf_buf_puts(out, "<section epub:type=\"chapter\" id=\"sheaf-chapter\" "
                      "class=\"sheaf-chapter\">\n<header class=\"sheaf-header\">\n"
                      "<h1 class=\"sheaf-title\">");
  sheaf_buf_put_xml(out, title, strlen(title), false);
  sheaf_buf_puts(out, "</h1>\n");

  day[0] = '\0';
  sheaf_buf_init(&date, 0);
  if (a->published != SHEAF_TIME_UNKNOWN) {
    /* The day where the article was written, as its datetime says too. */
    sheaf_date_format_day(a->published + (int64_t)a->pub_offset * 60, day);
    sheaf_labels_date_tz(l, a->published, a->pub_offset, &date);
  }
  if (http_url(a->link)) {
    link = sheaf_url_clean(a->link, NULL, &nomem, NULL);
    if (nomem)
      SHEAF_CHECK(SHEAF_ERR_NOMEM);
  }
  if ((a->nauthors && a->authors[0] && *a->authors[0]) || day[0] || link) {
    sheaf_buf_puts(out, "<p class=\"sheaf-byline\">");
    if (a->nauthors && a->authors[0] && *a->authors[0]) {
      sheaf_buf_puts(out, "<span class=\"sheaf-author\">");
      sheaf_buf_put_xml(out, a->authors[0], strlen(a->authors[0]), false);
      sheaf_buf_puts(out, "</span>");
      sep = true;
    }
    if (day[0]) {
      sheaf_buf_puts(out, sep ? " · " : "");
      sheaf_buf_puts(out, "<time class=\"sheaf-date\" datetime=\"");
      sheaf_buf_put_xml(out, day, strlen(day), true);
      sheaf_buf_puts(out, "\"");
      sheaf_layout_lang_attrs(out, l, lang);
      sheaf_buf_puts(out, ">");
      sheaf_buf_put_xml(out, date.ptr, date.len, false);
      sheaf_buf_puts(out, "</time>");
      sep = true;
    }
    if (link) {
      sheaf_buf_puts(out, sep ? " · " : "");
      sheaf_buf_puts(out, "<a class=\"sheaf-source\" href=\"");
      sheaf_buf_put_xml(out, link, strlen(link), true);
      sheaf_buf_puts(out, "\"");
      sheaf_layout_lang_attrs(out, l, lang);
      sheaf_buf_puts(out, ">");
      sheaf_buf_puts(out, l->original);
      sheaf_buf_puts(out, "</a>");
    }
    sheaf_buf_puts(out, "</p>\n");
  }
  sheaf_buf_puts(out, "</header>\n<div class=\"sheaf-body\">\n");

  body_at = out->len;
  sheaf_layout_src_init(&src, cx, a, chapter, lang);
  src.diag = cx->diag;
  src.hrefs = cx->hrefs;
  src.on_resolved = cx->on_resolved;
  src.on_resolved_userdata = cx->on_resolved_userdata;
  if (body && a->body_format == SHEAF_BODY_TEXT) {
    text_body(out, body);
  } else if (body) {
    size_t n = strlen(body);
    if (a->body_format == SHEAF_BODY_MARKDOWN) {
      char *tables = sheaf_layout_md_tables(body, n, &nomem);
      if (nomem)
        SHEAF_CHECK(SHEAF_ERR_NOMEM);
      /* cmark aborts rather than failing on memory (STYLE.md rule 27);
       * raw HTML is kept and cleaned by the sanitizer like any other. */
      md = tables ? cmark_markdown_to_html(tables, strlen(tables), CMARK_OPT_UNSAFE)
                  : cmark_markdown_to_html(body, n, CMARK_OPT_UNSAFE);
      sheaf_free(tables);
      body = md;
      n = strlen(md);
    }
    SHEAF_CHECK(sheaf_layout_sanitize(body, n, &src, out));
  }
  if (cx->body_span) {
    cx->body_span[0] = body_at;
    cx->body_span[1] = out->len;
  }
  if (escaped_tags(out->ptr + body_at, out->len - body_at) >= 3)
    sheaf_diag_add(cx->diag, SHEAF_WARNING, "escaped-markup", a->source, a->line, 0,
                   "\"%.60s\" shows HTML tags as text (the feed escaped its HTML "
                   "twice, or it is not the kind of document it seems)",
                   title);
  if (!has_content(out->ptr + body_at, out->len - body_at)) {
    /* A title-only item, or a post whose only content was a video: never a
     * blank page that looks like a lost one. */
    sheaf_diag_add(cx->diag, SHEAF_WARNING, "no-text", a->source, a->line, 0,
                   "\"%.60s\" has no text in the archive; its chapter says so%s", title,
                   link ? " and links the original" : "");
    sheaf_buf_puts(out, "<p class=\"sheaf-no-text\"");
    sheaf_layout_lang_attrs(out, l, lang);
    sheaf_buf_puts(out, ">");
    sheaf_buf_puts(out, l->no_text);
    if (link) {
      sheaf_buf_puts(out, " <a href=\"");
      sheaf_buf_put_xml(out, link, strlen(link), true);
      sheaf_buf_puts(out, "\">");
      sheaf_buf_put_xml(out, a->link, strlen(a->link), false);
      sheaf_buf_puts(out, "</a>");
    }
    sheaf_buf_puts(out, "</p>");
  }
  sheaf_buf_puts(out, "\n</div>\n</section>\n</body>\n</html>\n");
  if (out->failed)
    ret = SHEAF_ERR_NOMEM;
out:
  if (date.failed && ret == SHEAF_OK)
    ret = SHEAF_ERR_NOMEM;
  sheaf_buf_fini(&date);
  free(md);
  sheaf_free(text);
  sheaf_free(link);
  return ret;
}

void sheaf_layout_src_init(struct sheaf_layout_src *src,
                           const struct sheaf_layout_ctx *cx,
                           const struct sheaf_article *a, size_t chapter,
                           const char *lang)
{
  memset(src, 0, sizeof *src); /* fields added later stay off */
  src->base_url = a->link;
  src->file = a->source;
  src->line = a->line;
  src->article = a;
  src->images = cx->images;
  src->links = cx->links;
  src->chapter = chapter;
  src->max_depth = cx->opt ? cx->opt->max_depth : 0;
  src->remove = cx->remove;
  src->lang = lang;
}

sheaf_status sheaf_layout_chapter(const struct sheaf_layout_ctx *cx,
                                  const struct sheaf_article *a, size_t chapter,
                                  struct sheaf_buf *out)
{
  struct sheaf_article_view v;
  sheaf_status ret;

  /* A spilled article's title and links come back from the spool with
   * its body. */
  sheaf_article_view_init(&v);
  ret = sheaf_article_view(cx->book->coll, a, &v);
  if (ret == SHEAF_OK)
    ret = layout_chapter(cx, &v.a, chapter, out);
  else if (ret == SHEAF_ERR_IO)
    sheaf_diag_add(cx->diag, SHEAF_ERROR, "io", a->source, a->line, 0,
                   "cannot read the temporary file of articles: %s", strerror(errno));
  sheaf_article_view_fini(&v);
  return ret;
}
