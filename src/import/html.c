/*
 * This file contains the HTML page reader: one saved web page becomes one
 * article. libxml2's forgiving HTML parser builds the page's tree; the
 * reader then takes the article's metadata from what publishing systems
 * put in <head> (Open Graph and article: properties, the author, date and
 * keywords metas, <link rel="canonical">, <html lang>) and from the page
 * itself (<title>, the first <h1>, <time datetime>, <a rel="author">), and
 * its body from the first <article>, else <main>, else <body>.
 *
 * The body is stored as the raw HTML of that element's children, scripts
 * and all: the layout stage's sanitizer cleans it like any feed's HTML.
 * Pages are not feeds: the article belongs to no sheaf_feed (feed is
 * SHEAF_NO_FEED), which the select stage allows for.
 */
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/uri.h>
#include <libxml/xmlerror.h>

#include "import/import.h"

/* One <meta> of the page, borrowed from the parsed document. */
struct meta {
  const char *key; /* property, else name, else itemprop */
  const char *content;
  unsigned line;
};

struct page {
  xmlDocPtr doc;
  const char *source;
  sheaf_diag *diag;
  struct meta *metas;
  size_t nmetas, cap;
  xmlNodePtr html, body, title, h1, article, main, canonical, base, rel_author,
      date_prop; /* the first element with itemprop="datePublished" */
  bool nomem;
};

static const char *attr(xmlNodePtr n, const char *name)
{
  xmlAttrPtr a = xmlHasProp(n, (const xmlChar *)name);

  if (a == NULL || a->children == NULL || a->children->type != XML_TEXT_NODE)
    return NULL;
  return (const char *)a->children->content;
}

static bool named(xmlNodePtr n, const char *name)
{
  return n->type == XML_ELEMENT_NODE && n->name &&
         sheaf_ascii_casecmp((const char *)n->name, name) == 0;
}

static unsigned line_of(xmlNodePtr n)
{
  long line = n ? xmlGetLineNo(n) : -1;

  return line > 0 ? (unsigned)line : 0;
}

/* Elements whose text is not the page's text. */
static bool opaque(xmlNodePtr n)
{
  return named(n, "script") || named(n, "style") || named(n, "template") ||
         named(n, "noscript") || named(n, "svg") || named(n, "math");
}

static void add_meta(struct page *p, xmlNodePtr n)
{
  const char *key = attr(n, "property"), *content = attr(n, "content");

  if (key == NULL || *key == '\0')
    key = attr(n, "name");
  if (key == NULL || *key == '\0')
    key = attr(n, "itemprop");
  if (key == NULL || *key == '\0')
    key = attr(n, "http-equiv");
  if (key == NULL || content == NULL)
    return;
  if (!sheaf_grow((void **)&p->metas, &p->cap, p->nmetas + 1, sizeof *p->metas)) {
    p->nomem = true;
    return;
  }
  p->metas[p->nmetas].key = key;
  p->metas[p->nmetas].content = content;
  p->metas[p->nmetas].line = line_of(n);
  p->nmetas++;
}

/* One walk over the document notes every element the reader needs. */
static void survey(struct page *p)
{
  xmlNodePtr root = xmlDocGetRootElement(p->doc), n = root;

  p->html = root;
  while (n) {
    bool skip = false;
    if (n->type == XML_ELEMENT_NODE) {
      if (named(n, "meta")) {
        add_meta(p, n);
      } else if (named(n, "body")) {
        if (p->body == NULL)
          p->body = n;
      } else if (named(n, "title")) {
        if (p->title == NULL)
          p->title = n;
      } else if (named(n, "h1")) {
        if (p->h1 == NULL)
          p->h1 = n;
      } else if (named(n, "article")) {
        if (p->article == NULL)
          p->article = n;
      } else if (named(n, "link")) {
        if (p->canonical == NULL && sheaf_has_token(attr(n, "rel"), "canonical", true) &&
            attr(n, "href"))
          p->canonical = n;
      } else if (named(n, "base")) {
        if (p->base == NULL && attr(n, "href"))
          p->base = n;
      } else if (named(n, "a")) {
        if (p->rel_author == NULL && sheaf_has_token(attr(n, "rel"), "author", true))
          p->rel_author = n;
      }
      if (p->main == NULL &&
          (named(n, "main") ||
           sheaf_ascii_casecmp(attr(n, "role") ? attr(n, "role") : "", "main") == 0))
        p->main = n;
      if (p->date_prop == NULL && !named(n, "meta") && attr(n, "itemprop") &&
          sheaf_has_token(attr(n, "itemprop"), "datePublished", true))
        p->date_prop = n;
      skip = opaque(n);
    }
    n = sheaf_xml_next(n, root, skip);
  }
}

/* The content of the first <meta> whose key is `key` (any case), or NULL. */
static const struct meta *meta(const struct page *p, const char *key)
{
  size_t i;

  for (i = 0; i < p->nmetas; i++)
    if (sheaf_ascii_casecmp(p->metas[i].key, key) == 0 && *p->metas[i].content)
      return &p->metas[i];
  return NULL;
}

/* The element's text with whitespace collapsed; a new string, or NULL. */
static char *text_of(struct page *p, xmlNodePtr n)
{
  xmlChar *t = xmlNodeGetContent(n);
  char *out =
      sheaf_str_collapse_ws(t ? (const char *)t : "", t ? strlen((const char *)t) : 0);

  xmlFree(t);
  if (out == NULL)
    p->nomem = true;
  return out;
}

static char *collapse(struct page *p, const char *s)
{
  char *out = sheaf_str_collapse_ws(s, strlen(s));

  if (out == NULL)
    p->nomem = true;
  return out;
}

/* An element with paragraphs beside it is part of the text (an aside
 * used as a pull quote), not a sidebar. */
static bool among_paragraphs(xmlNodePtr n)
{
  xmlNodePtr s;

  for (s = n->parent ? n->parent->children : NULL; s; s = s->next)
    if (s != n && named(s, "p"))
      return true;
  return false;
}

/* Site chrome around the text of a page that has no <article> or <main>:
 * its navigation, search, sidebars (not an aside among paragraphs), and a
 * header or footer that belongs to the page rather than to a section. */
static bool chrome(xmlNodePtr n)
{
  static const char *const roles[] = {"navigation", "banner", "contentinfo", "search"};
  const char *role = attr(n, "role");
  xmlNodePtr up;
  size_t i;

  if (n->type != XML_ELEMENT_NODE)
    return false;
  if (named(n, "nav"))
    return true;
  for (i = 0; role && i < sizeof roles / sizeof *roles; i++)
    if (sheaf_has_token(role, roles[i], true))
      return true;
  if (named(n, "aside") || (role && sheaf_has_token(role, "complementary", true)))
    return !among_paragraphs(n);
  if (!named(n, "header") && !named(n, "footer"))
    return false;
  for (up = n->parent; up && up->type == XML_ELEMENT_NODE; up = up->parent)
    if (named(up, "section") || named(up, "blockquote") || named(up, "figure"))
      return false;
  return true;
}

/* Does the page hold any text outside scripts, styles and the like (and,
 * with `skip_chrome`, outside the site's chrome)? */
static bool has_text_but(xmlNodePtr root, bool skip_chrome)
{
  xmlNodePtr n = root->children;

  while (n) {
    if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && n->content) {
      const xmlChar *s = n->content;
      while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f')
        s++;
      if (*s)
        return true;
    }
    n = sheaf_xml_next(n, root,
                       n->type == XML_ELEMENT_NODE &&
                           (opaque(n) || (skip_chrome && chrome(n))));
  }
  return false;
}

static bool has_text(xmlNodePtr root)
{
  return has_text_but(root, false);
}

/* Takes the chrome out of a page read whole, when text remains without
 * it; says so in a note. Called once the metadata is read (a date or an
 * author is often in the header): the page's node pointers dangle after. */
static void strip_chrome(struct page *p, xmlNodePtr root)
{
  xmlNodePtr n = root->children, next;
  bool removed = false;

  if (!has_text_but(root, true))
    return;
  while (n) {
    if (n->type == XML_ELEMENT_NODE && chrome(n)) {
      next = sheaf_xml_next(n, root, true);
      xmlUnlinkNode(n);
      xmlFreeNode(n);
      removed = true;
      n = next;
      continue;
    }
    n = sheaf_xml_next(n, root, n->type == XML_ELEMENT_NODE && opaque(n));
  }
  if (removed)
    sheaf_diag_add(p->diag, SHEAF_NOTE, "page-chrome", p->source, line_of(root), 0,
                   "the page has no <article> or <main>: its navigation, sidebars, "
                   "header and footer are left out");
}

/* ---- title ----------------------------------------------------------------- */

/* Strips a " - Site" / " | Site" suffix (or a "Site | " prefix) from a
 * <title> when `site` is that site's name. Works in place. */
static const char *const seps[] = {
    " - ", " | ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " \xC2\xB7 ", " :: ", " \xC2\xBB "};

static void strip_site(char *title, const char *site)
{
  size_t n = strlen(title), k = strlen(site), i, s;

  if (k == 0 || n <= k)
    return;
  for (i = 0; i < sizeof seps / sizeof *seps; i++) {
    s = strlen(seps[i]);
    if (n > k + s && sheaf_ascii_casecmp(title + n - k, site) == 0 &&
        memcmp(title + n - k - s, seps[i], s) == 0) {
      title[n - k - s] = '\0';
      return;
    }
    if (n > k + s && sheaf_str_ieq((struct sheaf_str){title, k}, site) &&
        memcmp(title + k, seps[i], s) == 0) {
      memmove(title, title + k + s, n - k - s + 1);
      return;
    }
  }
}

/* og:title, else <title> (without the site's name), else the first <h1>.
 * Sets *from_h1 when the h1 gave it. */
static char *find_title(struct page *p, bool *from_h1)
{
  const struct meta *m;
  char *t = NULL;

  *from_h1 = false;
  if ((m = meta(p, "og:title")) != NULL && (t = collapse(p, m->content)) != NULL && *t)
    return t;
  sheaf_free(t);
  t = NULL;
  if (p->title && (t = text_of(p, p->title)) != NULL && *t) {
    const struct meta *site = meta(p, "og:site_name");
    char *h = NULL;
    if (site) {
      char *s = collapse(p, site->content);
      if (s)
        strip_site(t, s);
      sheaf_free(s);
    }
    /* Without og:site_name, "Post – Site" whose h1 is "Post" is the h1. */
    if (p->h1 && (h = text_of(p, p->h1)) != NULL && *h && strcmp(h, t) != 0) {
      char *rest = sheaf_strdup(t);
      if (rest)
        strip_site(rest, h);
      if (rest && strcmp(rest, t) != 0) {
        sheaf_free(rest);
        sheaf_free(t);
        *from_h1 = true;
        return h;
      }
      sheaf_free(rest);
    }
    sheaf_free(h);
    return t;
  }
  sheaf_free(t);
  t = NULL;
  if (p->h1 && (t = text_of(p, p->h1)) != NULL && *t) {
    *from_h1 = true;
    return t;
  }
  sheaf_free(t);
  return NULL;
}

/* A title from the file name, for a page that has none: "notes/my-trip.html"
 * gives "my-trip". */
static char *file_title(const char *path)
{
  const char *base = strrchr(path, '/'), *dot;

  base = base ? base + 1 : path;
  dot = strrchr(base, '.');
  return sheaf_strndup(base, dot && dot > base ? (size_t)(dot - base) : strlen(base));
}

/* The first <h1> below `root`, if it repeats the title: the chapter
 * template prints the title itself. */
static xmlNodePtr title_h1(struct page *p, xmlNodePtr root, const char *title,
                           bool from_h1)
{
  xmlNodePtr n = root->children;
  char *t;
  bool same;

  while (n && !named(n, "h1"))
    n = sheaf_xml_next(n, root, n->type == XML_ELEMENT_NODE && opaque(n));
  if (n == NULL)
    return NULL;
  if (from_h1 && n == p->h1)
    return n;
  if ((t = text_of(p, n)) == NULL)
    return NULL;
  same = sheaf_ascii_casecmp(t, title) == 0;
  sheaf_free(t);
  return same ? n : NULL;
}

/* ---- metadata ---------------------------------------------------------------- */

static void set_date(struct page *p, const char *s, unsigned line, int64_t *t,
                     int *offset)
{
  struct sheaf_str v = sheaf_str_trim((struct sheaf_str){s, strlen(s)});

  if (v.n && !sheaf_date_parse(v.p, v.n, t, offset))
    sheaf_diag_add(p->diag, SHEAF_WARNING, "date", p->source, line, 0,
                   "date not understood: \"%.*s\"", (int)(v.n > 64 ? 64 : v.n), v.p);
}

/* The first <time> below `root` with a datetime (or, failing that, text). */
static xmlNodePtr first_time(xmlNodePtr root)
{
  xmlNodePtr n = root->children;

  while (n) {
    if (named(n, "time"))
      return n;
    n = sheaf_xml_next(n, root, n->type == XML_ELEMENT_NODE && opaque(n));
  }
  return NULL;
}

static void find_dates(struct page *p, xmlNodePtr root, struct sheaf_article *a)
{
  static const char *const date_metas[] = {
      "date",           "dc.date",         "dc.date.issued", "dcterms.date",
      "dcterms.issued", "dcterms.created", "pubdate",        "publishdate"};
  const struct meta *m;
  xmlNodePtr t;
  size_t i;
  int off;

  if ((m = meta(p, "article:published_time")) != NULL)
    set_date(p, m->content, m->line, &a->published, &a->pub_offset);
  if (a->published == SHEAF_TIME_UNKNOWN && (t = first_time(root)) != NULL) {
    const char *dt = attr(t, "datetime");
    if (dt && *dt) {
      set_date(p, dt, line_of(t), &a->published, &a->pub_offset);
    } else {
      char *s = text_of(p, t);
      /* Text like "last Tuesday" is common: try it, but quietly. */
      if (s && *s && !sheaf_date_parse(s, strlen(s), &a->published, &a->pub_offset))
        a->published = SHEAF_TIME_UNKNOWN;
      sheaf_free(s);
    }
  }
  for (i = 0;
       a->published == SHEAF_TIME_UNKNOWN && i < sizeof date_metas / sizeof *date_metas;
       i++)
    if ((m = meta(p, date_metas[i])) != NULL)
      set_date(p, m->content, m->line, &a->published, &a->pub_offset);
  if (a->published == SHEAF_TIME_UNKNOWN && p->date_prop) {
    const char *v = attr(p->date_prop, "datetime");
    if (v == NULL)
      v = attr(p->date_prop, "content");
    if (v)
      set_date(p, v, line_of(p->date_prop), &a->published, &a->pub_offset);
  }
  if ((m = meta(p, "article:modified_time")) != NULL ||
      (m = meta(p, "og:updated_time")) != NULL)
    set_date(p, m->content, m->line, &a->updated, &off);
  if (a->published == SHEAF_TIME_UNKNOWN)
    sheaf_diag_add(p->diag, SHEAF_WARNING, "no-date", p->source, line_of(root), 0,
                   "no date (article:published_time, <time datetime> or a date "
                   "meta); the article is undated");
}

static bool is_url(const char *s)
{
  return sheaf_starts_with_ci(s, "http://") || sheaf_starts_with_ci(s, "https://");
}

static void add_author(struct page *p, struct sheaf_article *a, const char *name)
{
  char *t = collapse(p, name);

  if (t && *t && !sheaf_article_add_author(a, t))
    p->nomem = true;
  sheaf_free(t);
}

/* article:author (several allowed; profile URLs skipped), else the author
 * meta, else the text of the first <a rel="author">. */
static void find_authors(struct page *p, struct sheaf_article *a)
{
  const struct meta *m;
  size_t i;

  for (i = 0; i < p->nmetas; i++)
    if (sheaf_ascii_casecmp(p->metas[i].key, "article:author") == 0 &&
        !is_url(p->metas[i].content))
      add_author(p, a, p->metas[i].content);
  if (a->nauthors == 0 && (m = meta(p, "author")) != NULL)
    add_author(p, a, m->content);
  if (a->nauthors == 0 && p->rel_author) {
    char *t = text_of(p, p->rel_author);
    if (t && *t && !sheaf_article_add_author(a, t))
      p->nomem = true;
    sheaf_free(t);
  }
}

/* Every article:tag and article:section, and the keywords meta split at
 * commas. */
static void find_tags(struct page *p, struct sheaf_article *a)
{
  size_t i;

  for (i = 0; i < p->nmetas; i++) {
    const char *key = p->metas[i].key, *v = p->metas[i].content;
    if (sheaf_ascii_casecmp(key, "article:tag") == 0) {
      if (!sheaf_article_add_tag(a, v, NULL, SHEAF_TAG_TAG))
        p->nomem = true;
    } else if (sheaf_ascii_casecmp(key, "article:section") == 0) {
      if (!sheaf_article_add_tag(a, v, NULL, SHEAF_TAG_CATEGORY))
        p->nomem = true;
    } else if (sheaf_ascii_casecmp(key, "keywords") == 0) {
      while (*v) {
        size_t n = strcspn(v, ",;");
        char *k = sheaf_strndup(v, n);
        if (k == NULL || !sheaf_article_add_tag(a, k, NULL, SHEAF_TAG_TAG))
          p->nomem = true;
        sheaf_free(k);
        v += n;
        if (*v)
          v++;
      }
    }
  }
}

/* <html lang> (or xml:lang), else the content-language meta, else
 * og:locale ("en_GB" becomes "en-GB"). */
static void find_language(struct page *p, struct sheaf_article *a)
{
  const struct meta *m;
  const char *v = NULL;
  size_t n, i;

  if (p->html)
    v = attr(p->html, "lang");
  if ((v == NULL || *v == '\0') && p->html)
    v = attr(p->html, "xml:lang");
  if ((v == NULL || *v == '\0') && (m = meta(p, "content-language")) != NULL)
    v = m->content;
  if ((v == NULL || *v == '\0') && (m = meta(p, "og:locale")) != NULL)
    v = m->content;
  if (v == NULL)
    return;
  while (*v == ' ')
    v++;
  n = strcspn(v, " ,;\t\r\n");
  if (n == 0)
    return;
  if ((a->language = sheaf_strndup(v, n)) == NULL) {
    p->nomem = true;
    return;
  }
  for (i = 0; i < n; i++)
    if (a->language[i] == '_')
      a->language[i] = '-';
}

/* Resolves `href` against <base href> and then `fallback`; returns a new
 * string only when the result is an http(s) URL. */
static char *absolute(struct page *p, const char *href, const char *fallback)
{
  struct sheaf_str v = sheaf_str_trim((struct sheaf_str){href, strlen(href)});
  xmlChar *h, *abs = NULL;
  char *out = NULL;

  if (v.n == 0)
    return NULL;
  if ((h = xmlStrndup((const xmlChar *)v.p, (int)v.n)) == NULL) {
    p->nomem = true;
    return NULL;
  }
  if (is_url((const char *)h)) {
    abs = h;
    h = NULL;
  } else {
    const char *base = p->base ? attr(p->base, "href") : NULL;
    if (base && is_url(base))
      abs = xmlBuildURI(h, (const xmlChar *)base);
    else if (fallback && is_url(fallback))
      abs = xmlBuildURI(h, (const xmlChar *)fallback);
  }
  if (abs && is_url((const char *)abs) && (out = sheaf_strdup((const char *)abs)) == NULL)
    p->nomem = true;
  xmlFree(h);
  xmlFree(abs);
  return out;
}

/* <link rel="canonical">, else og:url. */
static void find_link(struct page *p, struct sheaf_article *a)
{
  const struct meta *og = meta(p, "og:url");

  if (p->canonical)
    a->link = absolute(p, attr(p->canonical, "href"), og ? og->content : NULL);
  if (a->link == NULL && og)
    a->link = absolute(p, og->content, NULL);
}

/* ---- body -------------------------------------------------------------------- */

/* The HTML of `root`'s children; a new string, or NULL (out of memory). */
static char *inner_html(xmlDocPtr doc, xmlNodePtr root)
{
  xmlBufferPtr xb = xmlBufferCreate();
  xmlOutputBufferPtr ob;
  xmlNodePtr c;
  char *out = NULL;

  if (xb == NULL)
    return NULL;
  if ((ob = xmlOutputBufferCreateBuffer(xb, NULL)) != NULL) {
    /* format 0: no added whitespace, which would change <pre> and inline
     * text. */
    for (c = root->children; c; c = c->next)
      htmlNodeDumpFormatOutput(ob, doc, c, "UTF-8", 0);
    if (xmlOutputBufferClose(ob) >= 0)
      out = sheaf_strdup((const char *)xmlBufferContent(xb));
  }
  xmlBufferFree(xb);
  return out;
}

/* ---- the entry point ------------------------------------------------------------ */

sheaf_status sheaf_import_html(struct sheaf_collection *coll,
                               const struct sheaf_input *in, const sheaf_options *opt,
                               sheaf_diag *diag)
{
  const char *path = in->name, *data = in->data;
  size_t n = in->len;
  struct page p;
  struct sheaf_article *a = NULL;
  htmlParserCtxtPtr pc = NULL;
  xmlNodePtr root, h1;
  sheaf_status ret = SHEAF_OK;
  bool from_h1;

  (void)opt;
  memset(&p, 0, sizeof p);
  p.diag = diag;
  if ((p.source = sheaf_collection_intern_source(coll, path)) == NULL)
    return SHEAF_ERR_NOMEM;
  if (n > INT_MAX) {
    sheaf_diag_add(diag, SHEAF_ERROR, "limit", p.source, 0, 0,
                   "page is too large to parse (%zu bytes)", n);
    return SHEAF_ERR_LIMIT;
  }
  if ((pc = htmlNewParserCtxt()) == NULL)
    return SHEAF_ERR_NOMEM;
  /* The bytes are UTF-8 already (the import stage decoded them, whatever
   * the page declared), so the page's own <meta charset> is ignored.
   * XML_PARSE_HUGE (htmlCtxtUseOptions honours it): without it libxml2
   * silently drops everything after a text over 10,000,000 bytes or nesting
   * over 256 deep; the file is bounded by --max-input-size and the layout
   * flattens deep nesting. */
  p.doc =
      htmlCtxtReadMemory(pc, data, (int)n, p.source, "UTF-8",
                         HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                             XML_PARSE_HUGE | HTML_PARSE_IGNORE_ENC);
  if (p.doc == NULL || xmlDocGetRootElement(p.doc) == NULL) {
    sheaf_diag_add(diag, SHEAF_WARNING, "empty-page", p.source, 0, 0,
                   "the page has no text; skipped");
    goto out;
  }
  survey(&p);
  root = p.article ? p.article : p.main ? p.main : p.body ? p.body : p.html;
  if ((a = sheaf_article_new()) == NULL || p.nomem) {
    ret = SHEAF_ERR_NOMEM;
    goto out;
  }
  a->title = find_title(&p, &from_h1);
  if (a->title == NULL && !p.nomem) {
    if ((a->title = file_title(path)) == NULL) {
      ret = SHEAF_ERR_NOMEM;
      goto out;
    }
    sheaf_diag_add(diag, SHEAF_WARNING, "no-title", p.source, 0, 0,
                   "the page has no title (og:title, <title> or <h1>); "
                   "using the file name");
  }
  if (a->title && (h1 = title_h1(&p, root, a->title, from_h1)) != NULL) {
    if (h1 == p.h1)
      p.h1 = NULL;
    xmlUnlinkNode(h1);
    xmlFreeNode(h1);
  }
  if (p.nomem) {
    ret = SHEAF_ERR_NOMEM;
    goto out;
  }
  if (!has_text(root)) {
    sheaf_diag_add(diag, SHEAF_WARNING, "empty-page", p.source, line_of(root), 0,
                   "the page has no text; skipped");
    goto out;
  }
  a->line = line_of(root) ? line_of(root) : 1;
  a->source = p.source;
  a->feed = SHEAF_NO_FEED;
  a->body_format = SHEAF_BODY_HTML;
  find_dates(&p, root, a);
  find_authors(&p, a);
  find_tags(&p, a);
  find_language(&p, a);
  find_link(&p, a);
  if (!p.article && !p.main)
    strip_chrome(&p, root);
  if (!p.nomem && (a->body = inner_html(p.doc, root)) == NULL)
    p.nomem = true;
  if (p.nomem || !sheaf_article_finish(a)) {
    ret = SHEAF_ERR_NOMEM;
    goto out;
  }
  if (!sheaf_collection_add_article(coll, a))
    ret = SHEAF_ERR_NOMEM;
  a = NULL; /* the collection owns it now, also on failure */
out:
  sheaf_article_free(a);
  sheaf_free(p.metas);
  if (p.doc)
    xmlFreeDoc(p.doc);
  htmlFreeParserCtxt(pc);
  return ret;
}
