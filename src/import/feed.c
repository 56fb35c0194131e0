/*
 * This file contains the streaming feed reader's common part: it sets up
 * libxml2's xmlTextReader safely (no network, no external entities, no DTD
 * loading), finds the root element and hands over to the RSS or Atom reader,
 * and offers those readers small helpers to read text, inner XML, attributes
 * and dates. It also turns a WordPress tag or category archive link into the
 * tag every article of that feed gets. Nothing here builds a DOM of the feed:
 * only the subtree of one element is ever expanded, and libxml2 frees it as
 * the reader moves on.
 */
#include <errno.h>
#include <string.h>

#include <libxml/HTMLparser.h>

#include <libxml/parserInternals.h> /* XML_MAX_TEXT_LENGTH */
#include <libxml/uri.h>
#include <libxml/xmlreader.h>

#include "import/import.h"

#define R(fr) ((xmlTextReaderPtr)(fr)->reader)

/* ---- reader helpers ------------------------------------------------------ */

int sheaf_import_read(struct sheaf_feedread *fr)
{
  int rc;
  xmlNodePtr node;

  /* After a failure (a limit, no memory) every reader loop ends here. */
  if (fr->status != SHEAF_OK)
    return 0;
  /* A signal is honoured within a few hundred nodes, not after the whole
   * archive of a million items. */
  if ((++fr->nreads & 255) == 0 && fr->opt && fr->opt->cancel &&
      fr->opt->cancel(fr->opt->cancel_userdata)) {
    fr->status = SHEAF_ERR_CANCELLED;
    return 0;
  }
  /* Finished articles are committed, and the reader's diagnostics kept
   * short, every few nodes (pipe.c). */
  if (fr->pipe && (fr->nreads & 15) == 0)
    sheaf_import_pipe_poll(fr->pipe);
  if (fr->status != SHEAF_OK)
    return 0;
  rc = xmlTextReaderRead(R(fr));
  if (rc < 0)
    fr->failed = true;
  /* A mapped input's pages well behind the parser go back to the kernel. */
  if (fr->input && (fr->nreads & 255) == 0) {
    long done = xmlTextReaderByteConsumed(R(fr));
    if (done > 0)
      sheaf_input_advise(fr->in, fr->input + done);
  }
  /* Entities a DOCTYPE declares are never expanded (XXE: they could read
   * local files or the network; bombs: they could fill memory). Say so once,
   * since their text is missing from the book. */
  if (rc == 1 && !fr->warned_entity &&
      xmlTextReaderNodeType(R(fr)) == XML_READER_TYPE_ENTITY_REFERENCE) {
    fr->warned_entity = true;
    sheaf_diag_add(fr->diag, SHEAF_WARNING, "entity", fr->source, sheaf_import_line(fr),
                   0,
                   "entity &%s; is not expanded: sheaf never expands entities a "
                   "DOCTYPE declares (they can read files or the network)",
                   (const char *)xmlTextReaderConstName(R(fr)));
  }
  if (rc == 1 && xmlTextReaderNodeType(R(fr)) != XML_READER_TYPE_END_ELEMENT &&
      (node = xmlTextReaderCurrentNode(R(fr))) != NULL) {
    long line = xmlGetLineNo(node);
    if (line > 0 && (unsigned long)line > fr->last_line)
      fr->last_line = (unsigned)line;
  }
  return rc;
}

/* The usual namespaces of prefixes feeds use without declaring them
 * ("Namespace prefix content on encoded is not defined"): libxml2 then
 * keeps "content:encoded" as the element's name, in no namespace. */
static const struct {
  const char *prefix, *uri;
} usual[] = {
    {"content:", "http://purl.org/rss/1.0/modules/content/"},
    {"dc:", "http://purl.org/dc/elements/1.1/"},
    {"atom:", "http://www.w3.org/2005/Atom"},
    {"itunes:", "http://www.itunes.com/dtds/podcast-1.0.dtd"},
    {"media:", "http://search.yahoo.com/mrss/"},
    {"xhtml:", "http://www.w3.org/1999/xhtml"},
};

const char *sheaf_import_ns_uri(struct sheaf_feedread *fr)
{
  const char *ns = (const char *)xmlTextReaderConstNamespaceUri(R(fr));
  const char *name;
  size_t i;

  if (ns && *ns)
    return ns;
  name = (const char *)xmlTextReaderConstLocalName(R(fr));
  if (name && strchr(name, ':'))
    for (i = 0; i < sizeof usual / sizeof *usual; i++)
      if (strncmp(name, usual[i].prefix, strlen(usual[i].prefix)) == 0)
        return usual[i].uri;
  return "";
}

enum sheaf_ns sheaf_import_ns(struct sheaf_feedread *fr)
{
  const char *ns = sheaf_import_ns_uri(fr);

  if (ns == NULL || *ns == '\0')
    return SHEAF_NS_NONE;
  if (strcmp(ns, "http://purl.org/rss/1.0/") == 0 ||
      strcmp(ns, "http://my.netscape.com/rdf/simple/0.9/") == 0 ||
      strcmp(ns, "http://backend.userland.com/rss2") == 0 ||
      strcmp(ns, "http://purl.org/net/rss1.1#") == 0)
    return SHEAF_NS_RSS;
  if (strcmp(ns, "http://www.w3.org/2005/Atom") == 0 ||
      strcmp(ns, "http://purl.org/atom/ns#") == 0)
    return SHEAF_NS_ATOM;
  if (strcmp(ns, "http://purl.org/rss/1.0/modules/content/") == 0)
    return SHEAF_NS_CONTENT;
  /* Some sites declare Dublin Core under https; it is the same vocabulary. */
  if (strcmp(ns, "http://purl.org/dc/elements/1.1/") == 0 ||
      strcmp(ns, "https://purl.org/dc/elements/1.1/") == 0)
    return SHEAF_NS_DC;
  if (strcmp(ns, "http://www.w3.org/1999/xhtml") == 0)
    return SHEAF_NS_XHTML;
  /* WordPress: http://wordpress.org/export/1.2/ (https in some exports). */
  if (strncmp(ns, "https://", 8) == 0 || strncmp(ns, "http://", 7) == 0) {
    const char *v = ns + (ns[4] == 's' ? 8 : 7), *digits;
    if (strncmp(v, "wordpress.org/export/1.", 23) == 0) {
      digits = v += 23;
      while (*v >= '0' && *v <= '9')
        v++;
      if (v > digits && strcmp(v, "/") == 0)
        return SHEAF_NS_WP;
      if (v > digits && strcmp(v, "/excerpt/") == 0)
        return SHEAF_NS_WP_EXCERPT;
    }
  }
  return SHEAF_NS_OTHER;
}

bool sheaf_import_is(struct sheaf_feedread *fr, const char *local)
{
  const char *name = (const char *)xmlTextReaderConstLocalName(R(fr)), *colon;

  if (name == NULL)
    return false;
  /* An undeclared prefix stays in the name: "content:encoded". */
  if ((colon = strchr(name, ':')) != NULL &&
      xmlTextReaderConstNamespaceUri(R(fr)) == NULL)
    name = colon + 1;
  return strcmp(name, local) == 0;
}

unsigned sheaf_import_line(struct sheaf_feedread *fr)
{
  xmlNodePtr node = xmlTextReaderCurrentNode(R(fr));
  long line = node ? xmlGetLineNo(node) : -1;

  if (line <= 0)
    line = xmlTextReaderGetParserLineNumber(R(fr));
  return line > 0 ? (unsigned)line : 0;
}

static bool at_end_of(struct sheaf_feedread *fr, int depth)
{
  return xmlTextReaderNodeType(R(fr)) == XML_READER_TYPE_END_ELEMENT &&
         xmlTextReaderDepth(R(fr)) == depth;
}

void sheaf_import_skip(struct sheaf_feedread *fr)
{
  int depth = xmlTextReaderDepth(R(fr));

  if (xmlTextReaderIsEmptyElement(R(fr)))
    return;
  while (sheaf_import_read(fr) == 1)
    if (at_end_of(fr, depth))
      return;
}

char *sheaf_import_text(struct sheaf_feedread *fr)
{
  struct sheaf_buf b;
  int depth = xmlTextReaderDepth(R(fr));
  char *out;

  sheaf_buf_init(&b, 0);
  if (!xmlTextReaderIsEmptyElement(R(fr))) {
    while (sheaf_import_read(fr) == 1) {
      int type = xmlTextReaderNodeType(R(fr));
      if (type == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth(R(fr)) == depth)
        break;
      /* Entity references (of entities declared in an internal subset)
       * are never expanded: they contribute nothing. */
      if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
          type == XML_READER_TYPE_WHITESPACE ||
          type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) {
        const char *v = (const char *)xmlTextReaderConstValue(R(fr));
        if (v)
          sheaf_buf_puts(&b, v);
      }
    }
  }
  out = sheaf_buf_detach(&b, NULL);
  if (out == NULL)
    fr->status = SHEAF_ERR_NOMEM;
  return out;
}

char *sheaf_import_inner_xml(struct sheaf_feedread *fr)
{
  xmlChar *x = xmlTextReaderReadInnerXml(R(fr));
  char *out = sheaf_strdup(x ? (const char *)x : "");

  xmlFree(x);
  if (out == NULL)
    fr->status = SHEAF_ERR_NOMEM;
  sheaf_import_skip(fr);
  return out;
}

char *sheaf_import_attr(struct sheaf_feedread *fr, const char *name)
{
  xmlChar *x = xmlTextReaderGetAttribute(R(fr), (const xmlChar *)name);
  char *out;

  if (x == NULL)
    return NULL;
  out = sheaf_strdup((const char *)x);
  xmlFree(x);
  if (out == NULL)
    fr->status = SHEAF_ERR_NOMEM;
  return out;
}

void sheaf_import_set(char **field, char *v, bool keep)
{
  if (v == NULL)
    return;
  if (keep && *field && **field) {
    sheaf_free(v);
    return;
  }
  sheaf_free(*field);
  *field = v;
}

void sheaf_import_date(struct sheaf_feedread *fr, const char *s, unsigned line,
                       int64_t *t, int *offset)
{
  struct sheaf_str v = sheaf_str_trim((struct sheaf_str){s, strlen(s)});

  if (v.n == 0)
    return;
  if (!sheaf_date_parse(v.p, v.n, t, offset))
    sheaf_diag_add(fr->diag, SHEAF_WARNING, "date", fr->source, line, 0,
                   "date not understood: \"%.*s\"", (int)(v.n > 64 ? 64 : v.n), v.p);
}

/* ---- text conversions ---------------------------------------------------- */

/* Decodes the character reference at s (which starts with '&'), HTML's
 * names as libxml2 knows them (all of HTML 4's), into `u` (*n bytes of
 * UTF-8); returns its length, or 0 when it is none (the '&' is then
 * literal). */
static size_t entity(const char *s, char u[4], size_t *n)
{
  const htmlEntityDesc *e;
  char name[33];
  size_t i, k;
  uint32_t cp = 0;

  if (s[1] == '#') {
    bool hex = s[2] == 'x' || s[2] == 'X';
    i = hex ? 3 : 2;
    for (k = i; k < i + 8; k++) {
      int v = sheaf_hexval((unsigned char)s[k]);
      if (v < 0 || (!hex && v > 9))
        break;
      cp = cp * (hex ? 16 : 10) + (uint32_t)v;
    }
    if (k == i || s[k] != ';')
      return 0;
    *n = sheaf_utf8_encode(cp, u);
    return k + 1;
  }
  for (k = 0; k < sizeof name - 1 && sheaf_is_alnum((unsigned char)s[1 + k]); k++)
    name[k] = s[1 + k];
  name[k] = '\0';
  if (k == 0 || s[1 + k] != ';' || (e = htmlEntityLookup((const xmlChar *)name)) == NULL)
    return 0;
  *n = sheaf_utf8_encode(e->value, u);
  return k + 2;
}

/* Returns true when `s` (at a '<') opens or closes an element HTML knows,
 * or a comment: "Entities & <markup>" keeps its text, "<b>bold</b>" loses
 * its tags. libxml2's table of HTML elements decides. *inline_tag says
 * whether the element is one of HTML's inline ones (or a comment), whose
 * edges do not separate words: "The Pitt<i>'s</i>" is "The Pitt's". */
static bool tag_kind(const char *s, bool *inline_tag)
{
  const htmlElemDesc *desc;
  char name[16];
  size_t n = 0;

  *inline_tag = true;
  s++;
  if (*s == '!')
    return true;
  if (*s == '/')
    s++;
  while (n < sizeof name - 1 && ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
                                 (*s >= '0' && *s <= '9'))) {
    name[n++] = (char)((*s >= 'A' && *s <= 'Z') ? *s + 32 : *s);
    s++;
  }
  name[n] = '\0';
  if (n == 0 || !(*s == '>' || *s == ' ' || *s == '/' || *s == '\t' || *s == '\n'))
    return false;
  desc = htmlTagLookup((const xmlChar *)name);
  *inline_tag =
      desc && desc->isinline && strcmp(name, "br") != 0 && strcmp(name, "img") != 0;
  return desc != NULL;
}

static bool is_tag(const char *s)
{
  bool inline_tag;
  return tag_kind(s, &inline_tag);
}

bool sheaf_import_has_markup(const char *s)
{
  for (s = strchr(s, '<'); s; s = strchr(s + 1, '<'))
    if (s[1] != '!' && is_tag(s))
      return true;
  return false;
}

bool sheaf_import_next_child(struct sheaf_feedread *fr, int depth, bool *ended)
{
  while (fr->status == SHEAF_OK && sheaf_import_read(fr) == 1) {
    int type = xmlTextReaderNodeType(R(fr));
    if (type == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth(R(fr)) == depth) {
      if (ended)
        *ended = true;
      return false;
    }
    if (type == XML_READER_TYPE_ELEMENT)
      return true;
  }
  return false;
}

char *sheaf_import_text_trimmed(struct sheaf_feedread *fr)
{
  char *t = sheaf_import_text(fr), *out;
  struct sheaf_str v;

  if (t == NULL)
    return NULL;
  v = sheaf_str_trim((struct sheaf_str){t, strlen(t)});
  out = sheaf_strndup(v.p, v.n);
  sheaf_free(t);
  if (out == NULL)
    fr->status = SHEAF_ERR_NOMEM;
  return out;
}

char *sheaf_import_text_plain(struct sheaf_feedread *fr)
{
  char *t = sheaf_import_text(fr), *out;

  if (t == NULL)
    return NULL;
  out = sheaf_import_plain(t);
  sheaf_free(t);
  if (out == NULL)
    fr->status = SHEAF_ERR_NOMEM;
  return out;
}

bool sheaf_import_plain_each(const char *s, sheaf_import_put put, void *ctx)
{
  size_t i = 0, run = 0;

  /* Runs of the text's own bytes go out whole, between the tags and
   * references that interrupt them (strcspn finds those fast). */
  for (;;) {
    bool inline_tag;
    char u[4];
    size_t k, n;

    i += strcspn(s + i, "<&");
    if (s[i] == '\0')
      break;
    if (s[i] == '<' && tag_kind(s + i, &inline_tag)) {
      const char *end = strchr(s + i, '>');
      if (i > run && !put(ctx, s + run, i - run))
        return false;
      if (end == NULL)
        return true; /* an unfinished tag at the end: drop it */
      i = run = (size_t)(end - s) + 1;
      if (!inline_tag && !put(ctx, " ", 1))
        return false;
    } else if (s[i] == '&' && (k = entity(s + i, u, &n)) > 0) {
      if ((i > run && !put(ctx, s + run, i - run)) || !put(ctx, u, n))
        return false;
      i = run = i + k;
    } else {
      i++; /* text such as "a < b" or "R&D" */
    }
  }
  return i == run || put(ctx, s + run, i - run);
}

static bool put_buf(void *ctx, const char *p, size_t n)
{
  return sheaf_buf_put(ctx, p, n);
}

char *sheaf_import_plain(const char *s)
{
  struct sheaf_buf b;
  char *out;

  if (strpbrk(s, "<&") == NULL)
    return sheaf_str_collapse_ws(s, strlen(s));
  sheaf_buf_init(&b, 0);
  sheaf_import_plain_each(s, put_buf, &b);
  if (b.failed) {
    sheaf_buf_fini(&b);
    return NULL;
  }
  out = sheaf_str_collapse_ws(b.ptr, b.len);
  sheaf_buf_fini(&b);
  return out;
}

char *sheaf_import_text_to_html(const char *s)
{
  struct sheaf_str v = sheaf_str_trim((struct sheaf_str){s, strlen(s)});
  struct sheaf_buf b;
  size_t i = 0, start;

  sheaf_buf_init(&b, 0);
  while (i < v.n) {
    /* One paragraph runs to the next blank line. */
    start = i;
    while (i < v.n) {
      if (v.p[i] == '\n') {
        size_t k = i + 1;
        while (k < v.n && (v.p[k] == ' ' || v.p[k] == '\t' || v.p[k] == '\r'))
          k++;
        if (k < v.n && v.p[k] == '\n')
          break;
      }
      i++;
    }
    {
      struct sheaf_str para = sheaf_str_trim((struct sheaf_str){v.p + start, i - start});
      if (para.n) {
        sheaf_buf_puts(&b, "<p>");
        sheaf_buf_put_xml(&b, para.p, para.n, false);
        sheaf_buf_puts(&b, "</p>\n");
      }
    }
    while (i < v.n &&
           (v.p[i] == '\n' || v.p[i] == ' ' || v.p[i] == '\t' || v.p[i] == '\r'))
      i++;
  }
  return sheaf_buf_detach(&b, NULL);
}

/* ---- articles ------------------------------------------------------------ */

void sheaf_import_add_article(struct sheaf_feedread *fr, struct sheaf_article *a)
{
  sheaf_import_add_article_with(fr, a, NULL);
}

static bool blank(const char *s)
{
  return s == NULL || sheaf_str_trim((struct sheaf_str){s, strlen(s)}).n == 0;
}

void sheaf_import_add_article_with(struct sheaf_feedread *fr, struct sheaf_article *a,
                                   char *extra)
{
  bool has_content =
      (a->body && *a->body) || (a->summary && *a->summary) || !blank(extra);
  size_t max = SHEAF_LIMIT(fr->opt, max_articles, SHEAF_DEFAULT_MAX_ARTICLES);
  struct sheaf_import_done done;

  /* In recovery, libxml2 runs ahead of the reader: an item is complete
   * only if it ended before the first fatal error's line. */
  if (fr->status != SHEAF_OK || fr->failed ||
      (fr->nfatal && *fr->nfatal &&
       (*fr->fatal_line == 0 || fr->last_line >= *fr->fatal_line))) {
    sheaf_free(extra);
    sheaf_article_free(a);
    return;
  }
  if ((a->title == NULL || *a->title == '\0') && !has_content) {
    sheaf_diag_add(fr->diag, SHEAF_WARNING, "empty-item", fr->source, a->line, 0,
                   "item has no title and no content; skipped");
    fr->nskipped++;
    sheaf_free(extra);
    sheaf_article_free(a);
    return;
  }
  a->source = fr->source;
  a->feed = fr->feed_index;
  /* Checked here as well as after the import, so that a feed of millions of
   * items stops at the limit instead of filling memory first. Articles
   * still being finished (pipe.c) count: all of them will be added. */
  if (fr->coll->narticles + sheaf_import_pipe_pending(fr->pipe) >= max) {
    sheaf_diag_add(fr->diag, SHEAF_ERROR, "limit", fr->source, a->line, 0,
                   "more than %zu articles (--max-articles); raise the limit, e.g. "
                   "--max-articles %zu, or select fewer inputs",
                   max, max < SIZE_MAX / 10 ? max * 10 : max);
    sheaf_free(extra);
    sheaf_article_free(a);
    fr->status = SHEAF_ERR_LIMIT;
    return;
  }
  /* Past a few items, the rest of the work is done beside the reader. */
  if (fr->pipe == NULL && !fr->serial && ++fr->nitems == SHEAF_IMPORT_PIPE_AFTER)
    fr->pipe = sheaf_import_pipe_new(fr);
  if (fr->pipe) {
    sheaf_import_pipe_push(fr->pipe, a, extra);
    return;
  }
  sheaf_import_finish_article(a, extra, fr->opt, &done);
  sheaf_import_commit_article(fr, a, &done);
}

void sheaf_import_finish_article(struct sheaf_article *a, char *extra,
                                 const sheaf_options *opt, struct sheaf_import_done *done)
{
  done->ok = true;
  done->nmojibake = 0;
  if (extra && !sheaf_import_pick_text(&a->body, extra))
    done->ok = false;
  if (a->body && *a->body == '\0') {
    sheaf_free(a->body);
    a->body = NULL;
  }
  if (opt == NULL || !(opt->flags & SHEAF_OPT_NO_MOJIBAKE_REPAIR))
    done->nmojibake = sheaf_import_fix_mojibake(a->title) +
                      sheaf_import_fix_mojibake(a->body) +
                      sheaf_import_fix_mojibake(a->summary);
  if (!sheaf_article_finish(a))
    done->ok = false;
}

bool sheaf_import_commit_article(struct sheaf_feedread *fr, struct sheaf_article *a,
                                 const struct sheaf_import_done *done)
{
  if (!done->ok) {
    sheaf_article_free(a);
    fr->status = SHEAF_ERR_NOMEM;
    return false;
  }
  if (done->nmojibake && fr->nmojibake == 0)
    fr->mojibake_line = a->line;
  fr->nmojibake += done->nmojibake;
  if (!sheaf_collection_add_article(fr->coll, a)) {
    fr->status = SHEAF_ERR_NOMEM;
    return false;
  }
  /* Every body is spooled as it is read (a WordPress export reads its
   * bodies back once the whole export is read, to rewrite them: wxr.c). */
  if (!sheaf_collection_spool_article(fr->coll, a)) {
    sheaf_import_spool_failed(fr->diag);
    fr->status = SHEAF_ERR_WRITE;
    return false;
  }
  return true;
}

/* ---- WordPress tag and category archives --------------------------------- */

/* Returns the display name found in `title` for `slug`, or NULL. */
static char *archive_name(const char *title, const char *slug)
{
  static const char *const seps[] = {
      " \xC2\xBB ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " - ", " | ", " :: ", " : "};
  const char *start, *end = NULL, *best;
  size_t k, n = strlen(title);
  struct sheaf_str term, site;
  char *cand, *s;

  /* WordPress: "Tag Name Archives - Site" (text.c). */
  if (sheaf_wp_archive_title(title, &term, &site)) {
    cand = sheaf_str_collapse_ws(term.p, term.n);
    if (cand && *cand)
      return cand;
    sheaf_free(cand);
  }
  /* "Site » Tag Name", "Tag Name – Site": the segment whose slug matches. */
  start = title;
  while (start < title + n) {
    best = NULL;
    for (k = 0; k < sizeof seps / sizeof seps[0]; k++) {
      const char *q = strstr(start, seps[k]);
      if (q && (best == NULL || q < best)) {
        best = q;
        end = q + strlen(seps[k]);
      }
    }
    if (best == NULL) {
      best = title + n;
      end = best;
    }
    s = sheaf_slugify(start, (size_t)(best - start));
    if (s && *s && strcmp(s, slug) == 0) {
      sheaf_free(s);
      return sheaf_str_collapse_ws(start, (size_t)(best - start));
    }
    sheaf_free(s);
    start = end;
  }
  return NULL;
}

struct sheaf_tag *sheaf_import_archive_tag(const char *link, const char *feed_title)
{
  const char *p, *seg, *path_end, *last = NULL;
  enum sheaf_tag_kind kind = SHEAF_TAG_TAG;
  struct sheaf_tag *tag = NULL;
  char *slug = NULL, *name = NULL;
  size_t last_n = 0, nsegs = 0;

  if (link == NULL)
    return NULL;
  p = strstr(link, "://");
  p = p ? strchr(p + 3, '/') : strchr(link, '/');
  if (p == NULL)
    return NULL;
  path_end = p + strcspn(p, "?#");
  /* Find "/tag/" or "/category/" as a whole path segment. */
  for (seg = p; seg < path_end; seg++) {
    if (strncmp(seg, "/tag/", 5) == 0) {
      kind = SHEAF_TAG_TAG;
      seg += 5;
      break;
    }
    if (strncmp(seg, "/category/", 10) == 0) {
      kind = SHEAF_TAG_CATEGORY;
      seg += 10;
      break;
    }
  }
  if (seg >= path_end)
    return NULL;
  /* The remaining segments; a tag archive has exactly one, a category may be
   * nested. A trailing "feed" segment (the feed's own URL) is ignored. */
  while (seg < path_end) {
    const char *e = seg;
    while (e < path_end && *e != '/')
      e++;
    if (e > seg && !((size_t)(e - seg) == 4 && strncmp(seg, "feed", 4) == 0 && nsegs)) {
      last = seg;
      last_n = (size_t)(e - seg);
      nsegs++;
    }
    seg = e < path_end ? e + 1 : e;
  }
  if (last == NULL || (kind == SHEAF_TAG_TAG && nsegs != 1))
    return NULL;
  slug = sheaf_slugify(last, last_n);
  if (slug == NULL || *slug == '\0')
    goto fail;
  if (feed_title && *feed_title)
    name = archive_name(feed_title, slug);
  if (name == NULL) {
    size_t i;
    if ((name = sheaf_strdup(slug)) == NULL)
      goto fail;
    for (i = 0; name[i]; i++)
      if (name[i] == '-')
        name[i] = ' ';
  }
  if ((tag = sheaf_calloc(1, sizeof *tag)) == NULL)
    goto fail;
  tag->name = name;
  tag->slug = slug;
  tag->kind = kind;
  return tag;
fail:
  sheaf_free(slug);
  sheaf_free(name);
  return NULL;
}

/* ---- the entry point ------------------------------------------------------ */

/* libxml2's errors for one feed: fatal ones (the document is not
 * well-formed) are kept for the one error sheaf reports; the rest go to the
 * shared handler as warnings. */
struct errwrap {
  struct sheaf_xml_errctx ec;
  size_t input_len; /* bytes given to libxml2 */
  unsigned fatal;
  unsigned line, col;
  char msg[256];
  int limit; /* one of libxml2's safety limits was hit: LIMIT_* */
  unsigned limit_line;
  bool nomem; /* libxml2 ran out of memory: not a malformed feed */
};

enum { LIMIT_NONE, LIMIT_TEXT, LIMIT_DEPTH, LIMIT_ENTITY };

/* libxml2 (without XML_PARSE_HUGE) stops at text nodes over
 * XML_MAX_TEXT_LENGTH (10,000,000) bytes and elements nested over 256
 * deep, with messages that name its own option; sheaf reports them as its
 * limits, with the options that raise them. Told apart by error code, not
 * by the English of the messages (libxml2 2.9-2.11 have no code of their
 * own for a limit): an internal error carrying a number is the depth limit
 * (the number is that limit), one without is the input lookahead limit;
 * "no memory" and unfinished CDATA sections and comments are the text
 * limit when the input is large enough to hold such a text at all (the
 * repair pass has closed sections a truncated file left open). */
static int limit_kind(const xmlError *err, size_t input_len)
{
  bool big = input_len > XML_MAX_TEXT_LENGTH;

  if (err->domain != XML_FROM_PARSER)
    return LIMIT_NONE;
  /* Entities referring to entities, ten times over (billion laughs):
   * libxml2 calls the amplification a loop. */
  switch (err->code) {
  case XML_ERR_ENTITY_LOOP:
    return LIMIT_ENTITY;
  case XML_ERR_INTERNAL_ERROR:
    return err->int1 > 0 ? LIMIT_DEPTH : LIMIT_TEXT;
  case XML_ERR_NAME_TOO_LONG:
    return LIMIT_TEXT;
  case XML_ERR_NO_MEMORY:
  case XML_ERR_CDATA_NOT_FINISHED:
  case XML_ERR_COMMENT_NOT_FINISHED:
    return big ? LIMIT_TEXT : LIMIT_NONE;
  default:
    return LIMIT_NONE;
  }
}

static void on_xml_error(void *ctx, xmlErrorPtr err)
{
  struct errwrap *w = ctx;
  size_t n;

  if (err == NULL)
    return;
  if (w->limit == LIMIT_NONE &&
      (w->limit = limit_kind(err, w->input_len)) != LIMIT_NONE) {
    w->limit_line = err->line > 0 ? (unsigned)err->line : 0;
    if (w->limit == LIMIT_ENTITY) /* reported inside the entity, not the file */
      w->limit_line = 0;
    return;
  }
  /* After the limits: libxml2 reports its text-size limit ("huge text
   * node") as XML_ERR_NO_MEMORY too. */
  if (err->code == XML_ERR_NO_MEMORY && w->limit == LIMIT_NONE) {
    w->nomem = true;
    return;
  }
  if (err->level != XML_ERR_FATAL) {
    sheaf_xml_error_handler(&w->ec, err);
    return;
  }
  if (w->fatal++)
    return;
  w->line = err->line > 0 ? (unsigned)err->line : 0;
  w->col = err->int2 > 0 ? (unsigned)err->int2 : 0;
  snprintf(w->msg, sizeof w->msg, "%s", err->message ? err->message : "error");
  n = strlen(w->msg);
  while (n && (w->msg[n - 1] == '\n' || w->msg[n - 1] == ' '))
    w->msg[--n] = '\0';
}

sheaf_status sheaf_import_feed(struct sheaf_collection *coll, struct sheaf_input *in,
                               const sheaf_options *opt, sheaf_diag *diag)
{
  return sheaf_import_xml(coll, in, opt, diag, NULL, NULL);
}

sheaf_status sheaf_import_xml(struct sheaf_collection *coll, struct sheaf_input *in,
                              const sheaf_options *opt, sheaf_diag *diag,
                              void (*root)(struct sheaf_feedread *fr), void *user)
{
  const char *path = in->name, *data = in->data;
  size_t n = in->len;
  struct sheaf_feedread fr;
  struct errwrap ew;
  struct sheaf_feed *feed;
  xmlTextReaderPtr reader = NULL;
  sheaf_status ret = SHEAF_OK;
  size_t first = coll->narticles, i;
  bool huge;
  int rc;

  memset(&fr, 0, sizeof fr);
  fr.opt = opt;
  fr.user = user;
  if (n > 0x7FFFFFFF) {
    sheaf_diag_add(diag, SHEAF_ERROR, "limit", path, 0, 0,
                   "the feed is %zu bytes, more than the 2 GiB the XML reader takes "
                   "in one piece; split it (a WordPress export: export by date range)",
                   n);
    return SHEAF_ERR_LIMIT;
  }
  fr.coll = coll;
  fr.diag = diag;
  if ((fr.source = sheaf_collection_intern_source(coll, path)) == NULL)
    return SHEAF_ERR_NOMEM;
  if ((feed = sheaf_calloc(1, sizeof *feed)) == NULL)
    return SHEAF_ERR_NOMEM;
  feed->source = fr.source;
  if (!sheaf_collection_add_feed(coll, feed))
    return SHEAF_ERR_NOMEM;
  fr.feed = feed;
  fr.feed_index = coll->nfeeds - 1;

  /* The bytes are UTF-8 (decode.c), their prolog repaired (repair.c): the
   * declaration says nothing else, so libxml2 is given no encoding. The
   * reader stops at the first fatal error; since libxml2 parses up to one
   * 512-byte chunk ahead of the node handed out, the items within that
   * distance before a break are lost with it. libxml2's own limits
   * (10,000,000-byte text nodes, 256 levels of nesting) stay on unless the
   * user raised sheaf's past them. */
  huge = SHEAF_LIMIT(opt, max_article_size, SHEAF_DEFAULT_MAX_ARTICLE_SIZE) >
             SHEAF_DEFAULT_MAX_ARTICLE_SIZE ||
         SHEAF_LIMIT(opt, max_depth, SHEAF_DEFAULT_MAX_DEPTH) > SHEAF_DEFAULT_MAX_DEPTH;
  reader = xmlReaderForMemory(data, (int)n, NULL, NULL,
                              sheaf_xml_safe_options() | (huge ? XML_PARSE_HUGE : 0));
  if (reader == NULL) {
    ret = SHEAF_ERR_NOMEM;
    goto out;
  }
  memset(&ew, 0, sizeof ew);
  sheaf_xml_errctx_init(&ew.ec, diag, fr.source, SHEAF_WARNING);
  ew.input_len = n;
  xmlTextReaderSetStructuredErrorHandler(reader, on_xml_error, &ew);
  fr.reader = reader;
  fr.in = in;
  fr.input = data;
  fr.nfatal = &ew.fatal;
  fr.fatal_line = &ew.line;
  fr.ec = &ew.ec;
  fr.serial = root != NULL;

  while ((rc = sheaf_import_read(&fr)) == 1)
    if (xmlTextReaderNodeType(reader) == XML_READER_TYPE_ELEMENT)
      break;
  if (rc == 1) {
    if (root != NULL && sheaf_import_is(&fr, "rss")) {
      root(&fr);
    } else if (sheaf_import_is(&fr, "rss") || sheaf_import_is(&fr, "RDF") ||
               sheaf_import_is(&fr, "Channel")) {
      sheaf_import_rss(&fr); /* RSS 0.9x-2.0, 1.0 (RDF), 1.1 (Channel) */
    } else if (sheaf_import_is(&fr, "feed") || sheaf_import_is(&fr, "entry")) {
      sheaf_import_atom(&fr); /* a feed, or an Atom entry document */
    } else {
      sheaf_diag_add(diag, SHEAF_ERROR, "format", path, sheaf_import_line(&fr), 0,
                     "the root element is <%s>, not <rss> or <feed>; sheaf reads "
                     "RSS 2.0 and Atom 1.0 feeds",
                     (const char *)xmlTextReaderConstName(reader));
      ret = SHEAF_ERR_FORMAT;
      goto out;
    }
    /* Read to the end, so that breakage after the root is noticed too. */
    while (fr.status == SHEAF_OK && sheaf_import_read(&fr) == 1)
      ;
  }
  /* Every article handed over is in the collection from here on. */
  sheaf_import_pipe_finish(&fr);
  SHEAF_CHECK(fr.status);
  if (fr.nmojibake)
    sheaf_diag_add(diag, SHEAF_WARNING, "mojibake", fr.source, fr.mojibake_line, 0,
                   "%zu double-encoded character%s repaired (UTF-8 read as Windows-1252 "
                   "and encoded again, e.g. \"\xC3\x83\xC2\xB1\" for \"\xC3\xB1\"); "
                   "the first in the item at line %u (--no-mojibake-repair keeps them)",
                   fr.nmojibake, fr.nmojibake == 1 ? "" : "s", fr.mojibake_line);
  if (ew.nomem) {
    /* libxml2 stops with what reads as a truncated document; say what it
     * really was. */
    sheaf_diag_add(diag, SHEAF_ERROR, "nomem", fr.source, 0, 0,
                   "out of memory while parsing the feed");
    ret = SHEAF_ERR_NOMEM;
  } else if (ew.limit == LIMIT_ENTITY) {
    sheaf_diag_add(
        diag, SHEAF_ERROR, "entity", fr.source,
        (unsigned)xmlTextReaderGetParserLineNumber(reader), 0,
        "the DOCTYPE declares entities that would expand enormously (an "
        "entity expansion bomb); nothing was expanded and the feed is refused");
    ret = SHEAF_ERR_PARSE;
  } else if (ew.limit != LIMIT_NONE) {
    char sz[32];
    if (ew.limit == LIMIT_DEPTH)
      sheaf_diag_add(diag, SHEAF_ERROR, "limit", fr.source, ew.limit_line, 0,
                     "elements nested more than %zu deep (--max-depth); raise the "
                     "limit, e.g. --max-depth 1000",
                     (size_t)SHEAF_DEFAULT_MAX_DEPTH);
    else
      sheaf_diag_add(diag, SHEAF_ERROR, "limit", fr.source, ew.limit_line, 0,
                     "a text of more than %s (--max-article-size); raise the limit, "
                     "e.g. --max-article-size 64M",
                     sheaf_size_str(SHEAF_DEFAULT_MAX_ARTICLE_SIZE, sz));
    ret = SHEAF_ERR_LIMIT;
  } else if (fr.failed || ew.fatal) {
    sheaf_diag_add(
        diag, SHEAF_ERROR, "xml", fr.source,
        ew.fatal ? ew.line : (unsigned)xmlTextReaderGetParserLineNumber(reader),
        ew.fatal ? ew.col : (unsigned)xmlTextReaderGetParserColumnNumber(reader),
        "malformed XML: %s (%zu complete items were read before it)",
        ew.fatal ? ew.msg : "the document ends early", coll->narticles - first);
    ret = SHEAF_ERR_PARSE;
  } else if (root == NULL && coll->narticles == first && fr.nskipped == 0) {
    sheaf_diag_add(diag, SHEAF_WARNING, "empty-feed", fr.source, 0, 0,
                   "the feed has no items");
  }

  /* A tag or category archive's tag goes to every article of the feed; done
   * at the end because the feed's link may follow its first items. */
  if ((feed->archive_tag = sheaf_import_archive_tag(feed->link, feed->title)) != NULL) {
    for (i = first; i < coll->narticles; i++) {
      if (!sheaf_article_add_tag(coll->articles[i], feed->archive_tag->name,
                                 feed->archive_tag->slug, feed->archive_tag->kind)) {
        ret = SHEAF_ERR_NOMEM;
        goto out;
      }
      sheaf_collection_pack_article(coll, coll->articles[i]);
    }
  }
out:
  sheaf_free(fr.self_link);
  xmlFreeTextReader(reader);
  return ret;
}
