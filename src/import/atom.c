/*
 * This file contains the Atom reader: Atom 1.0 (RFC 4287) and Atom 0.3
 * (issued/modified/created dates, tagline, content mode="escaped", "xml" or
 * "base64"). Entries are read one at a time from the stream; only an xhtml
 * content element is expanded into a small tree, to serialize its markup.
 *
 * Text constructs: titles become plain text whatever their type (script and
 * style elements in them lose their content, not only their tags). Bodies and
 * summaries are always stored as HTML (SHEAF_BODY_HTML): type "html" as
 * given, "xhtml" as the inner markup of its wrapping <div>, and "text"
 * escaped and wrapped in <p> paragraphs (blank lines separate them).
 * Media RSS in an entry (YouTube's feeds) is a fallback: media:title for a
 * missing title, media:description for a missing summary.
 */
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/uri.h>
#include <libxml/xmlreader.h>

#include "import/import.h"

#define R(fr) ((xmlTextReaderPtr)(fr)->reader)

enum text_type { TEXT_PLAIN, TEXT_HTML, TEXT_XHTML };

/* Atom's namespace, none, or the wrong one the root <feed> was given. */
static bool atom(struct sheaf_feedread *fr)
{
  enum sheaf_ns ns = sheaf_import_ns(fr);
  const char *uri;

  if (ns == SHEAF_NS_ATOM || ns == SHEAF_NS_NONE)
    return true;
  uri = (const char *)xmlTextReaderConstNamespaceUri(R(fr));
  return fr->atom_ns && uri && strcmp(uri, fr->atom_ns) == 0;
}

/* An XML media type: application/xml, image/svg+xml, ... */
static bool xml_type(const char *type)
{
  size_t n = strlen(type);

  return (n >= 4 && sheaf_ascii_casecmp(type + n - 4, "+xml") == 0) ||
         (n >= 4 && sheaf_ascii_casecmp(type + n - 4, "/xml") == 0);
}

/* How a construct's text is encoded. */
enum encoding {
  ENC_NONE,
  ENC_BASE64, /* Atom 0.3's mode="base64": not base64 is dropped */
  ENC_MEDIA   /* Atom 1.0's other media types: not base64 is kept as text */
};

/* The type of a text construct; *base64 is set for Atom 0.3's
 * mode="base64", whose decoded bytes are of that type. */
static enum text_type text_type(struct sheaf_feedread *fr, enum encoding *base64)
{
  char *type = sheaf_import_attr(fr, "type"), *mode = sheaf_import_attr(fr, "mode");
  enum text_type tt = TEXT_PLAIN;

  if (type && (sheaf_ascii_casecmp(type, "html") == 0 ||
               sheaf_ascii_casecmp(type, "text/html") == 0))
    tt = TEXT_HTML;
  else if (type && (sheaf_ascii_casecmp(type, "xhtml") == 0 ||
                    sheaf_ascii_casecmp(type, "application/xhtml+xml") == 0))
    tt = TEXT_XHTML;
  /* Atom 0.3: mode="escaped" holds HTML whatever the type says, and
   * mode="xml" holds markup inline, as xhtml does. */
  if (mode && sheaf_ascii_casecmp(mode, "escaped") == 0 && tt == TEXT_PLAIN && type &&
      sheaf_ascii_casecmp(type, "text/plain") != 0)
    tt = TEXT_HTML;
  else if (mode && sheaf_ascii_casecmp(mode, "xml") == 0 && tt == TEXT_HTML)
    tt = TEXT_XHTML;
  *base64 = mode && sheaf_ascii_casecmp(mode, "base64") == 0 ? ENC_BASE64 : ENC_NONE;
  /* Atom 1.0 (RFC 4287 4.1.3.3): any other media type that is neither
   * text/ nor XML is base64 of that type; its text is read as HTML. */
  if (mode == NULL && type && strchr(type, '/') && !sheaf_starts_with_ci(type, "text/") &&
      !xml_type(type)) {
    *base64 = ENC_MEDIA;
    tt = TEXT_HTML;
  }
  if (*base64 && tt == TEXT_XHTML)
    tt = TEXT_HTML;
  sheaf_free(type);
  sheaf_free(mode);
  return tt;
}

static int b64_value(int c)
{
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '+' || c == '-')
    return 62;
  if (c == '/' || c == '_')
    return 63;
  return -1;
}

/* Decodes base64 text (whitespace ignored, padding optional) in place.
 * Returns false when it is not base64 or does not decode to UTF-8. */
static bool b64_decode(char *s)
{
  size_t i, o = 0;
  unsigned long acc = 0;
  int bits = 0, v;

  for (i = 0; s[i]; i++) {
    int c = (unsigned char)s[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
      continue;
    if (c == '=')
      break;
    if ((v = b64_value(c)) < 0)
      return false;
    acc = (acc << 6) | (unsigned long)v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      s[o++] = (char)((acc >> bits) & 0xFF); /* o <= i: decoding shrinks */
    }
  }
  s[o] = '\0';
  return memchr(s, '\0', o) == NULL && sheaf_utf8_valid(s, o);
}

/* The text of a construct, base64-decoded when it says so; a bad base64
 * text is dropped with a warning. */
static char *construct_text(struct sheaf_feedread *fr, enum encoding base64)
{
  unsigned line = sheaf_import_line(fr);
  char *t = sheaf_import_text(fr);

  if (t && base64 == ENC_MEDIA) {
    /* Feeds put media types on plain text too (type="application/x-foo"):
     * only what decodes is taken for base64. */
    char *copy = sheaf_strdup(t);
    if (copy == NULL) {
      fr->status = SHEAF_ERR_NOMEM;
    } else if (b64_decode(copy)) {
      sheaf_free(t);
      t = copy;
    } else {
      sheaf_free(copy);
    }
  } else if (t && base64 && !b64_decode(t)) {
    sheaf_diag_add(fr->diag, SHEAF_WARNING, "base64", fr->source, line, 0,
                   "mode=\"base64\" content that is not base64 UTF-8 text; dropped");
    *t = '\0';
  }
  return t;
}

/* ---- titles: text without scripts ---------------------------------------- */

static bool hidden(const xmlChar *name)
{
  return sheaf_ascii_casecmp((const char *)name, "script") == 0 ||
         sheaf_ascii_casecmp((const char *)name, "style") == 0;
}

/* Whether an element's edges separate words: all but HTML's inline ones. */
static bool separates(xmlNodePtr n)
{
  const htmlElemDesc *desc = htmlTagLookup(n->name);

  return desc == NULL || !desc->isinline || hidden(n->name);
}

/* Appends the text under `top` to `b`, leaving out script and style
 * content and comments; block-level elements are set apart by spaces.
 * Iterative, so deep nesting cannot exhaust the stack. */
static void tree_text(xmlNodePtr top, struct sheaf_buf *b)
{
  xmlNodePtr n = top->children;

  while (n != NULL) {
    bool descend = false;
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
      if (n->content)
        sheaf_buf_puts(b, (const char *)n->content);
    } else if (n->type == XML_ELEMENT_NODE) {
      if (separates(n))
        sheaf_buf_putc(b, ' ');
      descend = n->children != NULL && !hidden(n->name);
    }
    if (descend) {
      n = n->children;
      continue;
    }
    while (n->next == NULL) {
      n = n->parent;
      if (n == NULL || n == top)
        return;
      if (separates(n))
        sheaf_buf_putc(b, ' ');
    }
    n = n->next;
  }
}

static char *collapse_buf(struct sheaf_buf *b)
{
  char *out = b->failed ? NULL : sheaf_str_collapse_ws(b->ptr, b->len);

  sheaf_buf_fini(b);
  return out;
}

char *sheaf_import_title_html(const char *s)
{
  const char *p;
  struct sheaf_buf b;
  htmlDocPtr doc;
  size_t n = strlen(s);

  /* Only markup with a script or style element needs a real HTML parser;
   * sheaf_import_plain keeps text such as "a <b" or "<vector>" that one
   * would take for tags. */
  for (p = strchr(s, '<'); p; p = strchr(p + 1, '<'))
    if (sheaf_starts_with_ci(p + 1, "script") || sheaf_starts_with_ci(p + 1, "style"))
      break;
  if (p == NULL)
    return sheaf_import_plain(s);
  if (n > 0x7FFFFFFF)
    return sheaf_strdup("");
  doc = htmlReadMemory(s, (int)n, NULL, "UTF-8",
                       HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
  if (doc == NULL)
    return sheaf_strdup(""); /* never the script's text */
  sheaf_buf_init(&b, 0);
  tree_text((xmlNodePtr)doc, &b);
  xmlFreeDoc(doc);
  return collapse_buf(&b);
}

/* An xhtml title: the text of its markup, scripts left out. */
static char *xhtml_plain(struct sheaf_feedread *fr)
{
  xmlNodePtr node = xmlTextReaderExpand(R(fr));
  struct sheaf_buf b;
  char *out;

  if (node == NULL) {
    sheaf_import_skip(fr);
    return NULL;
  }
  sheaf_buf_init(&b, 0);
  tree_text(node, &b);
  sheaf_import_skip(fr);
  if ((out = collapse_buf(&b)) == NULL)
    fr->status = SHEAF_ERR_NOMEM;
  return out;
}

/* A title or subtitle as plain text. */
static char *read_plain(struct sheaf_feedread *fr)
{
  enum encoding base64;
  enum text_type tt = text_type(fr, &base64);
  char *t, *out;

  if (tt == TEXT_XHTML)
    return xhtml_plain(fr);
  if ((t = construct_text(fr, base64)) == NULL)
    return NULL;
  out =
      tt == TEXT_HTML ? sheaf_import_title_html(t) : sheaf_str_collapse_ws(t, strlen(t));
  sheaf_free(t);
  if (out == NULL)
    fr->status = SHEAF_ERR_NOMEM;
  return out;
}

/* Serializes the children of an expanded xhtml construct: those of its one
 * wrapping <div> when there is one, else its own. */
static char *xhtml_markup(struct sheaf_feedread *fr)
{
  xmlNodePtr node = xmlTextReaderExpand(R(fr)), c, div = NULL;
  xmlBufferPtr xb;
  char *out;
  bool other = false;

  if (node == NULL) {
    sheaf_import_skip(fr);
    return NULL;
  }
  for (c = node->children; c; c = c->next) {
    if (c->type == XML_ELEMENT_NODE && div == NULL &&
        xmlStrcmp(c->name, (const xmlChar *)"div") == 0) {
      div = c;
    } else if (c->type == XML_ELEMENT_NODE) {
      other = true;
    } else if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
      const xmlChar *s = c->content;
      while (s && *s && (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r'))
        s++;
      if (s && *s)
        other = true;
    }
  }
  if (div && !other)
    node = div;
  if ((xb = xmlBufferCreate()) == NULL) {
    fr->status = SHEAF_ERR_NOMEM;
    sheaf_import_skip(fr);
    return NULL;
  }
  for (c = node->children; c; c = c->next)
    xmlNodeDump(xb, node->doc, c, 0, 0);
  out = sheaf_strdup((const char *)xmlBufferContent(xb));
  xmlBufferFree(xb);
  if (out == NULL)
    fr->status = SHEAF_ERR_NOMEM;
  sheaf_import_skip(fr);
  return out;
}

char *sheaf_import_xhtml_inner(struct sheaf_feedread *fr)
{
  return xhtml_markup(fr);
}

/* A summary or content as HTML; NULL for out-of-line content (src=). */
static char *read_html(struct sheaf_feedread *fr)
{
  enum encoding base64;
  enum text_type tt = text_type(fr, &base64);
  char *src = sheaf_import_attr(fr, "src"), *t, *out;

  if (src) {
    sheaf_free(src);
    sheaf_import_skip(fr);
    return NULL;
  }
  if (tt == TEXT_XHTML)
    return xhtml_markup(fr);
  if ((t = construct_text(fr, base64)) == NULL)
    return NULL;
  if (tt == TEXT_HTML)
    return t;
  out = sheaf_import_text_to_html(t);
  sheaf_free(t);
  if (out == NULL)
    fr->status = SHEAF_ERR_NOMEM;
  return out;
}

char *sheaf_import_atom_html(struct sheaf_feedread *fr)
{
  return read_html(fr);
}

/* Resolves `href` against xml:base, then against the feed's link. */
static char *resolve(struct sheaf_feedread *fr, const char *href)
{
  const xmlChar *base = xmlTextReaderConstBaseUri(R(fr));
  xmlChar *abs = NULL, *abs2 = NULL;
  char *out;

  if (base && *base)
    abs = xmlBuildURI((const xmlChar *)href, base);
  if (strstr(abs ? (const char *)abs : href, "://") == NULL) {
    const char *fallback = (fr->feed->link && strstr(fr->feed->link, "://"))
                               ? fr->feed->link
                               : fr->self_link;
    if (fallback)
      abs2 = xmlBuildURI(abs ? abs : (const xmlChar *)href, (const xmlChar *)fallback);
  }
  out = sheaf_strdup(abs2 ? (const char *)abs2 : abs ? (const char *)abs : href);
  xmlFree(abs);
  xmlFree(abs2);
  if (out == NULL)
    fr->status = SHEAF_ERR_NOMEM;
  return out;
}

/* A <link>: returns the resolved href when it is rel="alternate" (or has no
 * rel), else NULL. Sets *other when its type says it is not a web page (an
 * Atom 0.3 entry may list its alternates in several types). */
static char *alternate_link(struct sheaf_feedread *fr, bool *other)
{
  char *rel = sheaf_import_attr(fr, "rel"), *href = sheaf_import_attr(fr, "href");
  char *type = sheaf_import_attr(fr, "type");
  char *out = NULL;

  *other = type && *type && sheaf_ascii_casecmp(type, "text/html") != 0 &&
           sheaf_ascii_casecmp(type, "application/xhtml+xml") != 0;
  sheaf_free(type);

  if (href && rel && sheaf_ascii_casecmp(rel, "self") == 0 && strstr(href, "://") &&
      fr->self_link == NULL && (fr->self_link = sheaf_strdup(href)) == NULL)
    fr->status = SHEAF_ERR_NOMEM;
  if (href && *href && (rel == NULL || sheaf_ascii_casecmp(rel, "alternate") == 0)) {
    struct sheaf_str v = sheaf_str_trim((struct sheaf_str){href, strlen(href)});
    char *h = sheaf_strndup(v.p, v.n);
    if (h)
      out = resolve(fr, h);
    sheaf_free(h);
  }
  sheaf_free(rel);
  sheaf_free(href);
  sheaf_import_skip(fr);
  return out;
}

/* A person construct (<author>): returns its name, or NULL. */
static char *read_person(struct sheaf_feedread *fr)
{
  int depth = xmlTextReaderDepth(R(fr));
  char *name = NULL;

  if (xmlTextReaderIsEmptyElement(R(fr)))
    return NULL;
  while (sheaf_import_read(fr) == 1) {
    int type = xmlTextReaderNodeType(R(fr));
    if (type == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth(R(fr)) == depth)
      break;
    if (type != XML_READER_TYPE_ELEMENT)
      continue;
    if (atom(fr) && sheaf_import_is(fr, "name")) {
      char *t = sheaf_import_text(fr);
      sheaf_import_set(&name, t ? sheaf_str_collapse_ws(t, strlen(t)) : NULL, true);
      sheaf_free(t);
    } else {
      sheaf_import_skip(fr);
    }
  }
  return name;
}

static void read_date(struct sheaf_feedread *fr, int64_t *t, int *offset)
{
  unsigned line = sheaf_import_line(fr);
  char *s = sheaf_import_text(fr);

  if (s)
    sheaf_import_date(fr, s, line, t, offset);
  sheaf_free(s);
}

static void read_entry(struct sheaf_feedread *fr, const char *feed_author)
{
  struct sheaf_article *a = sheaf_article_new();
  int depth = xmlTextReaderDepth(R(fr)), upd_offset = 0, created_offset = 0;
  int64_t created = SHEAF_TIME_UNKNOWN;
  char *other_link = NULL;                      /* an alternate that is not a web page */
  char *media_title = NULL, *media_desc = NULL; /* fallbacks */
  char *dc_title = NULL, *dc_desc = NULL;       /* Atom 0.3 with Dublin Core */
  struct sheaf_enclosures media = {NULL, 0, 0, NULL};
  int64_t dc_date = SHEAF_TIME_UNKNOWN;
  int dc_offset = 0;
  const char *lang;
  bool complete = false;
  char *t;

  if (a == NULL) {
    fr->status = SHEAF_ERR_NOMEM;
    sheaf_import_skip(fr);
    return;
  }
  a->line = sheaf_import_line(fr);
  lang = (const char *)xmlTextReaderConstXmlLang(R(fr));
  if (lang && *lang && (fr->feed->language == NULL || strcmp(lang, fr->feed->language)) &&
      (a->language = sheaf_strdup(lang)) == NULL)
    fr->status = SHEAF_ERR_NOMEM;
  if (xmlTextReaderIsEmptyElement(R(fr)))
    complete = true;
  while (!complete && sheaf_import_next_child(fr, depth, &complete)) {
    if (sheaf_import_is_media(fr)) {
      if (sheaf_import_is(fr, "title"))
        sheaf_import_set(&media_title, sheaf_import_media_text(fr, false), true);
      else if (sheaf_import_is(fr, "description"))
        sheaf_import_set(&media_desc, sheaf_import_media_text(fr, true), true);
      else if (!sheaf_import_is(fr, "group") && !sheaf_import_is(fr, "content"))
        sheaf_import_skip(fr);
      /* else read on into it: its title and description count */
    } else if (sheaf_import_ns(fr) == SHEAF_NS_DC) {
      /* Atom 0.3 feeds (Movable Type, Blogger) often say it in Dublin Core. */
      if (sheaf_import_is(fr, "title"))
        sheaf_import_set(&dc_title, sheaf_import_text_plain(fr), true);
      else if (sheaf_import_is(fr, "description"))
        sheaf_import_set(&dc_desc, sheaf_import_text(fr), true);
      else if (sheaf_import_is(fr, "date"))
        read_date(fr, &dc_date, &dc_offset);
      else if (sheaf_import_is(fr, "creator")) {
        t = sheaf_import_text_plain(fr);
        if (t && *t && !sheaf_article_add_author(a, t))
          fr->status = SHEAF_ERR_NOMEM;
        sheaf_free(t);
      } else if (sheaf_import_is(fr, "subject")) {
        t = sheaf_import_text_plain(fr);
        if (t && *t && !sheaf_article_add_tag(a, t, NULL, SHEAF_TAG_CATEGORY))
          fr->status = SHEAF_ERR_NOMEM;
        sheaf_free(t);
      } else {
        sheaf_import_skip(fr);
      }
    } else if (!atom(fr)) {
      sheaf_import_skip(fr);
    } else if (sheaf_import_is(fr, "title")) {
      sheaf_import_set(&a->title, read_plain(fr), true);
    } else if (sheaf_import_is(fr, "link")) {
      bool other;
      char *rel = sheaf_import_attr(fr, "rel");
      if (rel && sheaf_ascii_casecmp(rel, "enclosure") == 0) {
        /* A podcast episode's file, listed in its chapter. */
        char *href = sheaf_import_attr(fr, "href"), *type = sheaf_import_attr(fr, "type");
        char *len = sheaf_import_attr(fr, "length");
        if (href && !sheaf_import_enclosure_add(&media, href, type, len))
          fr->status = SHEAF_ERR_NOMEM;
        sheaf_free(href);
        sheaf_free(type);
        sheaf_free(len);
      }
      sheaf_free(rel);
      t = alternate_link(fr, &other);
      sheaf_import_set(other ? &other_link : &a->link, t, true);
    } else if (sheaf_import_is(fr, "id")) {
      t = sheaf_import_text(fr);
      if (t) {
        struct sheaf_str v = sheaf_str_trim((struct sheaf_str){t, strlen(t)});
        sheaf_import_set(&a->guid, sheaf_strndup(v.p, v.n), true);
      }
      sheaf_free(t);
    } else if (sheaf_import_is(fr, "published") || sheaf_import_is(fr, "issued")) {
      read_date(fr, &a->published, &a->pub_offset);
    } else if (sheaf_import_is(fr, "updated") || sheaf_import_is(fr, "modified")) {
      read_date(fr, &a->updated, &upd_offset);
    } else if (sheaf_import_is(fr, "created")) {
      /* Atom 0.3: when the entry was created, before it was issued. */
      read_date(fr, &created, &created_offset);
    } else if (sheaf_import_is(fr, "author")) {
      t = read_person(fr);
      if (t && !sheaf_article_add_author(a, t))
        fr->status = SHEAF_ERR_NOMEM;
      sheaf_free(t);
    } else if (sheaf_import_is(fr, "category")) {
      char *term = sheaf_import_attr(fr, "term"), *label = sheaf_import_attr(fr, "label");
      const char *name = (label && *label) ? label : term;
      if (name && *name && !sheaf_article_add_tag(a, name, term, SHEAF_TAG_CATEGORY))
        fr->status = SHEAF_ERR_NOMEM;
      sheaf_free(term);
      sheaf_free(label);
      sheaf_import_skip(fr);
    } else if (sheaf_import_is(fr, "summary")) {
      sheaf_import_set(&a->summary, read_html(fr), true);
    } else if (sheaf_import_is(fr, "content")) {
      sheaf_import_set(&a->body, read_html(fr), true);
    } else {
      sheaf_import_skip(fr);
    }
  }
  if ((a->title == NULL || *a->title == '\0') && media_title && *media_title) {
    sheaf_import_set(&a->title, media_title, false);
    media_title = NULL;
  }
  if ((a->summary == NULL || *a->summary == '\0') && media_desc && *media_desc) {
    sheaf_import_set(&a->summary, media_desc, false);
    media_desc = NULL;
  }
  if ((a->title == NULL || *a->title == '\0') && dc_title && *dc_title) {
    sheaf_import_set(&a->title, dc_title, false);
    dc_title = NULL;
  }
  if ((a->summary == NULL || *a->summary == '\0') && dc_desc && *dc_desc) {
    sheaf_import_set(&a->summary, dc_desc, false);
    dc_desc = NULL;
  }
  if (a->published == SHEAF_TIME_UNKNOWN && a->updated == SHEAF_TIME_UNKNOWN &&
      created == SHEAF_TIME_UNKNOWN) {
    a->published = dc_date;
    a->pub_offset = dc_offset;
  }
  if (media.n) {
    char *list = sheaf_import_enclosures_html(&media);
    char **to = a->body && *a->body ? &a->body : &a->summary;
    struct sheaf_buf b;
    sheaf_buf_init(&b, 0);
    sheaf_buf_puts(&b, *to ? *to : "");
    sheaf_buf_puts(&b, list ? list : "");
    if (list == NULL || b.failed) {
      fr->status = SHEAF_ERR_NOMEM;
      sheaf_buf_fini(&b);
    } else {
      sheaf_free(*to);
      *to = sheaf_buf_detach(&b, NULL);
    }
    sheaf_free(list);
  }
  sheaf_import_enclosures_fini(&media);
  sheaf_free(dc_title);
  sheaf_free(dc_desc);
  sheaf_free(media_title);
  sheaf_free(media_desc);
  if (a->link == NULL) {
    a->link = other_link;
    other_link = NULL;
  }
  sheaf_free(other_link);
  if (a->published == SHEAF_TIME_UNKNOWN && created != SHEAF_TIME_UNKNOWN) {
    a->published = created;
    a->pub_offset = created_offset;
  }
  if (a->published == SHEAF_TIME_UNKNOWN) {
    a->published = a->updated;
    a->pub_offset = upd_offset;
  }
  if (a->nauthors == 0 && feed_author && !sheaf_article_add_author(a, feed_author))
    fr->status = SHEAF_ERR_NOMEM;
  if (!complete) {
    sheaf_article_free(a);
    return;
  }
  sheaf_import_add_article(fr, a);
}

void sheaf_import_atom(struct sheaf_feedread *fr)
{
  struct sheaf_feed *f = fr->feed;
  int depth = xmlTextReaderDepth(R(fr));
  const char *lang = (const char *)xmlTextReaderConstXmlLang(R(fr));
  char *author = NULL;

  if (lang && *lang)
    sheaf_import_set(&f->language, sheaf_strdup(lang), true);
  if (sheaf_import_ns(fr) != SHEAF_NS_ATOM) {
    /* A root <feed> in no namespace or a wrong one (a typo, an old draft's
     * URI): its elements are Atom's all the same. */
    const char *uri = (const char *)xmlTextReaderConstNamespaceUri(R(fr));
    fr->atom_ns = uri;
    sheaf_diag_add(
        fr->diag, SHEAF_WARNING, "namespace", fr->source, sheaf_import_line(fr), 0,
        "the root <%s> is in %s%s%s, not Atom's "
        "(http://www.w3.org/2005/Atom); read as Atom",
        (const char *)xmlTextReaderConstLocalName(R(fr)),
        uri ? "the namespace \"" : "no namespace", uri ? uri : "", uri ? "\"" : "");
  }
  if (sheaf_import_is(fr, "entry")) {
    /* An Atom entry document (RFC 4287 4.1.2): one article. */
    read_entry(fr, NULL);
    return;
  }
  if (xmlTextReaderIsEmptyElement(R(fr)))
    return;
  while (sheaf_import_next_child(fr, depth, NULL)) {
    if (!atom(fr))
      sheaf_import_skip(fr);
    else if (sheaf_import_is(fr, "entry"))
      read_entry(fr, author);
    else if (sheaf_import_is(fr, "title"))
      sheaf_import_set(&f->title, read_plain(fr), true);
    else if (sheaf_import_is(fr, "subtitle") || sheaf_import_is(fr, "tagline"))
      sheaf_import_set(&f->description, read_plain(fr), true);
    else if (sheaf_import_is(fr, "link")) {
      bool other;
      char *l = alternate_link(fr, &other);
      if (other)
        sheaf_free(l);
      else
        sheaf_import_set(&f->link, l, true);
    } else if (sheaf_import_is(fr, "generator"))
      sheaf_import_set(&f->generator, read_plain(fr), true);
    else if (sheaf_import_is(fr, "author"))
      sheaf_import_set(&author, read_person(fr), true);
    else
      sheaf_import_skip(fr);
  }
  sheaf_free(author);
}
