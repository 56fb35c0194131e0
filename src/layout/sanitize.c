/*
 * This file contains the HTML sanitizer of the layout stage: it parses an
 * article body with libxml2's HTML parser, keeps only the elements (the
 * table in dom.c) and attributes EPUB 3 XHTML content documents allow (an
 * allowlist), cleans URLs (core/url.c), drops
 * scripts, embeds, forms and unsafe URLs, turns remote images into their alt
 * text, makes ids valid and unique, then hands the tree to the content-model
 * repairs (repair.c) and the cruft rules (cruft.c) and serializes the result
 * as an XHTML fragment. Every walk over the tree is iterative, so the depth
 * of the input cannot exhaust the stack.
 */
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/hash.h>
#include <libxml/tree.h>

#include "layout/layout.h"

/* ---- attributes ---------------------------------------------------------- */

struct keep {
  const char *name;
  char *value; /* heap (sheaf_malloc) */
};

static bool all_digits(const char *s, bool sign)
{
  if (sign && *s == '-')
    s++;
  if (*s == '\0' || strlen(s) > 9)
    return false;
  for (; *s; s++)
    if (!isdigit((unsigned char)*s))
      return false;
  return true;
}

/* The first bytes tell most names apart without a call (names are tested
 * against dozens of constants per element). */
static bool is(const xmlChar *a, const char *b)
{
  return a[0] == (xmlChar)b[0] && strcmp((const char *)a, b) == 0;
}

/* Accepts the datetime forms readers and the schema agree on:
 * YYYY-MM-DD, optionally with Thh:mm[:ss[.f]] and Z or +hh:mm. */
static bool datetime_ok(const char *s)
{
  size_t i;
  static const char date[] = "dddd-dd-dd";

  for (i = 0; i < 10; i++)
    if (date[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != '-')
      return false;
  s += 10;
  if (*s == '\0')
    return true;
  if (*s != 'T' && *s != ' ')
    return false;
  s++;
  if (!(isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) && s[2] == ':' &&
        isdigit((unsigned char)s[3]) && isdigit((unsigned char)s[4])))
    return false;
  s += 5;
  if (*s == ':') {
    if (!(isdigit((unsigned char)s[1]) && isdigit((unsigned char)s[2])))
      return false;
    s += 3;
    if (*s == '.') {
      s++;
      if (!isdigit((unsigned char)*s))
        return false;
      while (isdigit((unsigned char)*s))
        s++;
    }
  }
  if (*s == 'Z')
    return s[1] == '\0';
  if (*s == '+' || *s == '-')
    return isdigit((unsigned char)s[1]) && isdigit((unsigned char)s[2]) && s[3] == ':' &&
           isdigit((unsigned char)s[4]) && isdigit((unsigned char)s[5]) && s[6] == '\0';
  return *s == '\0';
}

struct ctx {
  const struct sheaf_layout_src *src;
  xmlNodePtr body;
  bool nomem;
};

static char *strip(const xmlChar *v)
{
  struct sheaf_str s =
      sheaf_str_trim((struct sheaf_str){(const char *)v, strlen((const char *)v)});
  return sheaf_strndup(s.p, s.n);
}

/* A link to an article of the book becomes a link to its chapter: the
 * fragment is kept within the same chapter (fix_ids checks it), dropped
 * across chapters, whose ids are only known once they are laid out. Takes
 * `url` over; returns the href to keep. */
static char *chapter_link(struct ctx *c, char *url)
{
  bool nomem = false;
  size_t ch = sheaf_links_find(c->src->links, url, &nomem);
  const char *frag = strchr(url, '#');
  struct sheaf_buf b;
  char *r;

  if (nomem)
    c->nomem = true;
  if (ch == 0)
    return url;
  sheaf_buf_init(&b, 0);
  if (ch == c->src->chapter && frag && frag[1])
    sheaf_buf_puts(&b, frag);
  else
    sheaf_buf_printf(&b, "ch%04zu.xhtml", ch);
  r = sheaf_buf_detach(&b, NULL);
  if (!r) {
    c->nomem = true;
    return url;
  }
  sheaf_free(url);
  return r;
}

/* Shows a URL in a message: data: URLs and long ones are cut short. */
static void short_url(const char *u, char out[96])
{
  size_t n = strlen(u), lim = sheaf_starts_with_ci(u, "data:") ? 24 : 88;

  if (n <= lim) {
    memcpy(out, u, n + 1);
    return;
  }
  while (lim && ((unsigned char)u[lim] & 0xC0) == 0x80)
    lim--;
  memcpy(out, u, lim);
  memcpy(out + lim, "...", 4);
}

/* Decides whether attribute `an` = `v` of element `el` stays; returns the
 * value to keep (heap), NULL to drop. */
static char *attr_keep(struct ctx *c, xmlNodePtr node, const xmlChar *an,
                       const xmlChar *v)
{
  const xmlChar *el = node->name;
  char *s = NULL;

  if (is(an, "id") || is(an, "title") || is(an, "class"))
    return is(an, "title") ? sheaf_strdup((const char *)v) : strip(v);
  if (is(an, "dir")) {
    if (is(v, "ltr") || is(v, "rtl") || is(v, "auto"))
      return sheaf_strdup((const char *)v);
    return NULL;
  }
  if ((is(an, "href") && is(el, "a")) ||
      (is(an, "cite") &&
       (is(el, "blockquote") || is(el, "q") || is(el, "del") || is(el, "ins")))) {
    bool nomem;
    const char *why;
    s = sheaf_url_clean((const char *)v, c->src ? c->src->base_url : NULL, &nomem, &why);
    if (nomem)
      c->nomem = true;
    if (why && c->src && c->src->diag) {
      char shown[96];
      short_url((const char *)v, shown);
      sheaf_diag_add(c->src->diag, SHEAF_WARNING, "bad-host", c->src->file, c->src->line,
                     0,
                     "link dropped (its text is kept): the host name of %s is not "
                     "a valid internationalized name (%s)",
                     shown, why);
    }
    if (s && is(an, "cite") && s[0] == '#') {
      sheaf_free(s);
      s = NULL;
    }
    if (s && is(an, "href") && c->src && c->src->links)
      s = chapter_link(c, s);
    else if (s && is(an, "href") && c->src && c->src->hrefs)
      sheaf_buf_put(c->src->hrefs, s, strlen(s) + 1);
    return s;
  }
  if ((is(el, "td") || is(el, "th")) && (is(an, "colspan") || is(an, "rowspan"))) {
    s = strip(v);
    if (s &&
        (!all_digits(s, false) ||
         (is(an, "colspan") && (strtol(s, NULL, 10) < 1 || strtol(s, NULL, 10) > 1000)) ||
         strtol(s, NULL, 10) > 65534)) {
      sheaf_free(s);
      s = NULL;
    }
    return s;
  }
  if (is(el, "th") && is(an, "scope")) {
    if (is(v, "row") || is(v, "col") || is(v, "rowgroup") || is(v, "colgroup"))
      return sheaf_strdup((const char *)v);
    return NULL;
  }
  if (is(el, "ol") && is(an, "start")) {
    s = strip(v);
    if (s && !all_digits(s, true)) {
      sheaf_free(s);
      s = NULL;
    }
    return s;
  }
  if (is(el, "ol") && is(an, "reversed"))
    return sheaf_strdup("reversed");
  if (is(el, "ol") && is(an, "type")) {
    if (is(v, "1") || is(v, "a") || is(v, "A") || is(v, "i") || is(v, "I"))
      return sheaf_strdup((const char *)v);
    return NULL;
  }
  if (is(el, "li") && is(an, "value") && node->parent &&
      node->parent->type == XML_ELEMENT_NODE && is(node->parent->name, "ol")) {
    s = strip(v);
    if (s && !all_digits(s, true)) {
      sheaf_free(s);
      s = NULL;
    }
    return s;
  }
  if (is(el, "time") && is(an, "datetime")) {
    s = strip(v);
    if (s && !datetime_ok(s)) {
      sheaf_free(s);
      s = NULL;
    }
    return s;
  }
  return NULL;
}

/* The value of attribute `at`: borrowed from its one text node (the usual
 * case: no copy), else a copy in *copy (for xmlFree) that is NULL when the
 * attribute has no value or memory ran out. */
static const xmlChar *attr_value(xmlAttrPtr at, xmlChar **copy)
{
  xmlNodePtr t = at->children;

  *copy = NULL;
  if (t && t->type == XML_TEXT_NODE && t->next == NULL && t->content)
    return t->content;
  *copy = xmlNodeListGetString(at->doc, t, 1);
  return *copy;
}

/* Replaces the attributes of `node` with the allowed ones. */
static sheaf_status attrs_filter(struct ctx *c, xmlNodePtr node)
{
  struct keep keep[16];
  size_t nkeep = 0, i;
  xmlAttrPtr at;
  const char *name_id = NULL;
  sheaf_status ret = SHEAF_OK;

  for (at = node->properties; at; at = at->next) {
    xmlChar *copy;
    const xmlChar *an = at->name, *v;
    char *kv;

    if (at->ns != NULL)
      continue;
    v = attr_value(at, &copy);
    if (v == NULL) {
      if (at->children != NULL) {
        c->nomem = true;
        continue;
      }
      v = BAD_CAST ""; /* a boolean attribute: <ol reversed> */
    }
    if (is(node->name, "a") && is(an, "name")) {
      /* <a name=x> becomes an id, unless the element has one already (an
       * id before the name; one after it replaces the name below). */
      bool has_id = false;
      for (i = 0; i < nkeep; i++)
        has_id |= strcmp(keep[i].name, "id") == 0;
      kv = strip(v);
      if (kv && nkeep < 16 && !name_id && !has_id) {
        keep[nkeep].name = "id";
        keep[nkeep++].value = kv;
        name_id = "id";
      } else {
        sheaf_free(kv);
      }
      xmlFree(copy);
      continue;
    }
    kv = attr_keep(c, node, an, v);
    xmlFree(copy);
    if (kv == NULL)
      continue;
    for (i = 0; i < nkeep; i++) /* the first of a duplicate wins */
      if (strcmp(keep[i].name, (const char *)an) == 0)
        break;
    if (i < nkeep && keep[i].name == name_id && is(an, "id")) {
      /* <a name=x id=y>: the id wins over the name. */
      sheaf_free(keep[i].value);
      keep[i].value = kv;
      name_id = NULL;
      continue;
    }
    if (i < nkeep || nkeep == 16 || kv[0] == '\0') {
      sheaf_free(kv);
      continue;
    }
    /* Attribute names are interned in the element table's spelling. */
    keep[nkeep].name = is(an, "id")         ? "id"
                       : is(an, "class")    ? "class"
                       : is(an, "title")    ? "title"
                       : is(an, "dir")      ? "dir"
                       : is(an, "href")     ? "href"
                       : is(an, "cite")     ? "cite"
                       : is(an, "colspan")  ? "colspan"
                       : is(an, "rowspan")  ? "rowspan"
                       : is(an, "scope")    ? "scope"
                       : is(an, "start")    ? "start"
                       : is(an, "reversed") ? "reversed"
                       : is(an, "type")     ? "type"
                       : is(an, "value")    ? "value"
                                            : "datetime";
    keep[nkeep++].value = kv;
  }
  xmlFreePropList(node->properties);
  node->properties = NULL;
  for (i = 0; i < nkeep; i++) {
    if (!xmlNewProp(node, BAD_CAST keep[i].name, BAD_CAST keep[i].value))
      c->nomem = true;
    sheaf_free(keep[i].value);
  }
  if (c->nomem)
    ret = SHEAF_ERR_NOMEM;
  return ret;
}

/* ---- pass 1: elements ---------------------------------------------------- */

static void free_children(xmlNodePtr node)
{
  xmlNodePtr ch = node->children;

  node->children = node->last = NULL;
  if (ch)
    xmlFreeNodeList(ch);
}

/* The candidates of one <img>, pointing into `owned` copies. */
struct cands {
  struct sheaf_image_cand c[32];
  size_t n;
  char *owned[8];
  size_t nowned;
};

/* Returns a heap copy of attribute `name` (trimmed), kept in `cs`, or NULL
 * when absent or empty. */
static char *cand_attr(struct ctx *c, struct cands *cs, xmlNodePtr img, const char *name)
{
  xmlChar *v = xmlGetProp(img, BAD_CAST name);
  char *s;

  if (!v)
    return NULL;
  s = strip(v);
  xmlFree(v);
  if (!s) {
    c->nomem = true;
    return NULL;
  }
  if (!*s || cs->nowned == sizeof cs->owned / sizeof *cs->owned) {
    sheaf_free(s);
    return NULL;
  }
  cs->owned[cs->nowned++] = s;
  return s;
}

static void cand_add(struct cands *cs, const char *url, unsigned width, bool fallback)
{
  if (url && *url && cs->n < sizeof cs->c / sizeof *cs->c)
    cs->c[cs->n++] = (struct sheaf_image_cand){url, width, fallback};
}

/* Splits a srcset ("a.jpg 640w, b.jpg 1280w") in place into candidates. */
static void cand_srcset(struct cands *cs, char *s, bool fallback)
{
  if (!s)
    return;
  while (*s) {
    char *url, *d;
    unsigned long w = 0;
    while (*s == ',' || isspace((unsigned char)*s))
      s++;
    if (!*s)
      break;
    url = s;
    while (*s && !isspace((unsigned char)*s))
      s++;
    if (*s)
      *s++ = '\0';
    else if (s > url && s[-1] == ',')
      s[-1] = '\0';
    {
      size_t ul = strlen(url);
      while (ul && url[ul - 1] == ',')
        url[--ul] = '\0';
    }
    d = s;
    while (*s && *s != ',')
      s++;
    if (*s)
      *s++ = '\0';
    while (isspace((unsigned char)*d))
      d++;
    if (isdigit((unsigned char)*d)) {
      char *end;
      w = strtoul(d, &end, 10);
      if (*end != 'w' || w > 100000)
        w = 0;
    }
    cand_add(cs, url, (unsigned)w, fallback);
  }
}

/* Resolves an <img> to a local file (keeping it with src and alt only) or
 * replaces it by a placeholder (gaps.c) with one warning. Returns the next node. */
static xmlNodePtr image(struct ctx *c, xmlNodePtr img, xmlNodePtr after)
{
  static const char *const lazy[] = {"data-src", "data-lazy-src", "data-original"};
  static const char *const lazyset[] = {"data-srcset", "data-lazy-srcset"};
  xmlChar *alt = xmlGetProp(img, BAD_CAST "alt");
  xmlNodePtr text = NULL;
  struct cands cs;
  char *primary = NULL, *set = NULL, *href = NULL;
  const char *why = NULL;
  size_t k;

  memset(&cs, 0, sizeof cs);
  /* Lazy-loading attributes win: src then often holds a placeholder. */
  for (k = 0; k < 3 && !primary; k++)
    primary = cand_attr(c, &cs, img, lazy[k]);
  if (!primary)
    primary = cand_attr(c, &cs, img, "src");
  cand_add(&cs, primary, 0, false);
  for (k = 0; k < 2 && !set; k++)
    set = cand_attr(c, &cs, img, lazyset[k]);
  if (!set)
    set = cand_attr(c, &cs, img, "srcset");
  cand_srcset(&cs, set, false);
  cand_srcset(&cs, cand_attr(c, &cs, img, "data-sheaf-sources"), false);
  cand_add(&cs, cand_attr(c, &cs, img, "data-sheaf-fallback"), 0, true);
  cand_srcset(&cs, cand_attr(c, &cs, img, "data-sheaf-fallback-srcset"), true);

  if (c->nomem)
    goto out;
  {
    /* A tracking pixel is no picture: gone without a word (pixel.c). */
    xmlChar *w = xmlGetProp(img, BAD_CAST "width"),
            *h = xmlGetProp(img, BAD_CAST "height");
    bool tracker = sheaf_layout_is_tracker(cs.n ? cs.c[0].url : NULL, (const char *)w,
                                           (const char *)h);
    xmlFree(w);
    xmlFree(h);
    if (tracker) {
      xmlUnlinkNode(img);
      xmlFreeNode(img);
      img = NULL;
      goto out;
    }
  }
  if (cs.n && c->src && c->src->on_image) {
    if (c->src->on_image(c->src->on_image_userdata, cs.c, cs.n) != SHEAF_OK) {
      c->nomem = true;
      goto out;
    }
    why = "not looked for";
  } else if (cs.n && c->src && c->src->images) {
    if (sheaf_images_resolve(c->src->images, c->src, cs.c, cs.n, &href, &why) !=
        SHEAF_OK) {
      c->nomem = true;
      goto out;
    }
    if (c->src->on_resolved)
      c->src->on_resolved(c->src->on_resolved_userdata, cs.c, cs.n, href, why);
  } else if (cs.n) {
    why = sheaf_starts_with_ci(cs.c[0].url, "http:") ||
                  sheaf_starts_with_ci(cs.c[0].url, "https:") ||
                  sheaf_starts_with_ci(cs.c[0].url, "//")
              ? "remote"
              : "not looked for";
  } else {
    why = "no source given";
  }
  if (href) {
    struct sheaf_str a = {"", 0};
    char *av;
    if (alt)
      a = sheaf_str_trim(
          (struct sheaf_str){(const char *)alt, strlen((const char *)alt)});
    xmlChar *cls = xmlGetProp(img, BAD_CAST "class");
    /* WordPress's alignment classes stay: the stylesheet floats or centres
     * small pictures as the site did. */
    const char *align = !cls                                       ? NULL
                        : strstr((const char *)cls, "aligncenter") ? "aligncenter"
                        : strstr((const char *)cls, "alignright")  ? "alignright"
                        : strstr((const char *)cls, "alignleft")   ? "alignleft"
                                                                   : NULL;
    av = sheaf_strndup(a.p, a.n);
    if (a.n == 0 && c->src)
      sheaf_images_note_no_alt(c->src->images);
    xmlFreePropList(img->properties);
    img->properties = NULL;
    free_children(img);
    if (!av || !xmlNewProp(img, BAD_CAST "src", BAD_CAST href) ||
        !xmlNewProp(img, BAD_CAST "alt", BAD_CAST av) ||
        (align && !xmlNewProp(img, BAD_CAST "class", BAD_CAST align)))
      c->nomem = true;
    if (cls)
      xmlFree(cls);
    sheaf_free(av);
    goto out;
  }
  if (c->src && c->src->diag) {
    char shown[96];
    short_url(cs.n ? cs.c[0].url : "(no src)", shown);
    sheaf_diag_add(c->src->diag, SHEAF_WARNING, "missing-image", c->src->file,
                   c->src->line, 0, "image not embedded (%s): %s; %s", why, shown,
                   alt && *alt ? "a placeholder shows its alt text"
                               : "it has no alt text; a placeholder shows its file name");
  }
  /* A visible, styled gap: what the picture was (its alt text, else its
   * file name) and a link to the original (gaps.c). */
  text =
      sheaf_layout_image_gap(img, (const char *)alt, cs.n ? cs.c[0].url : NULL, c->src);
  if (!text)
    c->nomem = true;
  else
    img = NULL;
out:
  for (k = 0; k < cs.nowned; k++)
    sheaf_free(cs.owned[k]);
  sheaf_free(href);
  if (alt)
    xmlFree(alt);
  if (img)
    return after;
  return text ? sheaf_xml_next(text, c->body, true) : after;
}

/* The first (or, with `last`, the last) <img> at or under `n`. */
static xmlNodePtr find_img(xmlNodePtr n, bool last)
{
  xmlNodePtr p, found = NULL;

  if (n->type == XML_ELEMENT_NODE && is(n->name, "img"))
    return n;
  for (p = n->children; p; p = sheaf_xml_next(p, n, false))
    if (p->type == XML_ELEMENT_NODE && is(p->name, "img")) {
      found = p;
      if (!last)
        break;
    }
  return found;
}

/* Copies attribute `from` of `src` (if set) to `to` of `dst`. */
static void copy_attr(struct ctx *c, xmlNodePtr src, const char *from, xmlNodePtr dst,
                      const char *to)
{
  xmlChar *v = xmlGetProp(src, BAD_CAST from);

  if (v && !xmlSetProp(dst, BAD_CAST to, v))
    c->nomem = true;
  if (v)
    xmlFree(v);
}

/* Before the elements are cleaned (which unwraps <picture> and drops
 * <noscript>), hands their images' other sources to the <img> they belong
 * to: <picture><source srcset> become candidates, and the <img> a lazy-load
 * plugin leaves in a <noscript> after its placeholder becomes that
 * placeholder's fallback, so a picture is never embedded twice. A
 * <noscript> with no <img> before it gives up its images and nothing
 * else. */
static sheaf_status lazy_images(struct ctx *c)
{
  xmlNodePtr *list = NULL, node;
  size_t n = 0, cap = 0, i;
  sheaf_status ret = SHEAF_OK;

  for (node = c->body->children; node; node = sheaf_xml_next(node, c->body, false))
    if (node->type == XML_ELEMENT_NODE &&
        (is(node->name, "noscript") || is(node->name, "picture"))) {
      if (!sheaf_grow((void **)&list, &cap, n + 1, sizeof *list)) {
        ret = SHEAF_ERR_NOMEM;
        goto out;
      }
      list[n++] = node;
    }
  /* Last first: handling one frees only what comes after it. */
  for (i = n; i-- > 0;) {
    xmlNodePtr el = list[i], img, prev, ch;
    if (is(el->name, "picture")) {
      struct sheaf_buf b;
      img = find_img(el, false);
      if (!img)
        continue;
      sheaf_buf_init(&b, 0);
      /* Descendants, not children: libxml2's HTML 4 parser does not know
       * <source> is void and nests what follows inside it. */
      for (ch = el->children; ch; ch = sheaf_xml_next(ch, el, false)) {
        xmlChar *v;
        if (ch->type != XML_ELEMENT_NODE || !is(ch->name, "source"))
          continue;
        v = xmlGetProp(ch, BAD_CAST "data-srcset");
        if (!v)
          v = xmlGetProp(ch, BAD_CAST "srcset");
        if (v) {
          sheaf_buf_puts(&b, b.len ? ", " : "");
          sheaf_buf_puts(&b, (const char *)v);
          xmlFree(v);
        }
      }
      if (b.failed ||
          (b.len && !xmlSetProp(img, BAD_CAST "data-sheaf-sources", BAD_CAST b.ptr)))
        c->nomem = true;
      sheaf_buf_fini(&b);
      continue;
    }
    img = find_img(el, false);
    for (prev = el->prev; prev; prev = prev->prev) {
      if (prev->type == XML_TEXT_NODE) {
        const xmlChar *t = prev->content;
        while (t && *t && isspace(*t))
          t++;
        if (t && *t)
          break;
        continue;
      }
      if (prev->type == XML_ELEMENT_NODE)
        break;
    }
    prev = prev && prev->type == XML_ELEMENT_NODE ? find_img(prev, true) : NULL;
    if (img && prev) {
      copy_attr(c, img, xmlHasProp(img, BAD_CAST "data-src") ? "data-src" : "src", prev,
                "data-sheaf-fallback");
      copy_attr(c, img, "srcset", prev, "data-sheaf-fallback-srcset");
    } else {
      while ((img = find_img(el, false)) != NULL) {
        xmlUnlinkNode(img);
        if (!xmlAddPrevSibling(el, img)) {
          xmlFreeNode(img);
          c->nomem = true;
          break;
        }
      }
    }
    xmlUnlinkNode(el);
    xmlFreeNode(el);
  }
out:
  sheaf_free(list);
  if (c->nomem)
    ret = SHEAF_ERR_NOMEM;
  return ret;
}

static sheaf_status clean_elements(struct ctx *c)
{
  xmlNodePtr node = c->body->children, next;
  sheaf_status ret = SHEAF_OK;

  while (node) {
    if (node->type == XML_TEXT_NODE) {
      node = sheaf_xml_next(node, c->body, true);
      continue;
    }
    /* The node after this one's subtree is looked up only where the walk
     * needs it: looked up for every element on the way down, it made deep
     * nests quadratic. */
    if (node->type != XML_ELEMENT_NODE) { /* comments, PIs, CDATA... */
      next = sheaf_xml_next(node, c->body, true);
      xmlUnlinkNode(node);
      xmlFreeNode(node);
      node = next;
      continue;
    }
    {
      const struct sheaf_el *e = sheaf_layout_el((const char *)node->name);
      enum sheaf_el_act act = e ? e->act : SHEAF_EL_UNWRAP;

      if (node->ns != NULL)
        act = SHEAF_EL_UNWRAP;
      if (act == SHEAF_EL_DROP) {
        next = sheaf_xml_next(node, c->body, true);
        xmlUnlinkNode(node);
        xmlFreeNode(node);
        node = next;
        continue;
      }
      if (act == SHEAF_EL_UNWRAP) {
        xmlNodePtr first;
        next = node->children ? NULL : sheaf_xml_next(node, c->body, true);
        first = sheaf_layout_unwrap(node);
        node = first ? first : next;
        continue;
      }
      if (act == SHEAF_EL_RENAME) {
        xmlNodeSetName(node, BAD_CAST e->to);
        if (node->name == NULL || !is(node->name, e->to))
          return SHEAF_ERR_NOMEM;
        e = sheaf_layout_el(e->to);
      }
      if (is(node->name, "img")) {
        node = image(c, node, sheaf_xml_next(node, c->body, true));
        if (c->nomem)
          return SHEAF_ERR_NOMEM;
        continue;
      }
      SHEAF_CHECK(attrs_filter(c, node));
      if ((is(node->name, "time") && !xmlHasProp(node, BAD_CAST "datetime")) ||
          (is(node->name, "bdo") && !xmlHasProp(node, BAD_CAST "dir")))
        xmlNodeSetName(node, BAD_CAST "span");
      if (e->flags & SHEAF_EL_VOID) {
        free_children(node);
        node = sheaf_xml_next(node, c->body, true);
        continue;
      }
      node = sheaf_xml_next(node, c->body, false);
    }
  }
out:
  return ret;
}

/* Headings sit one level below the chapter's title, which is the page's
 * <h1>: an article's h1 becomes h2 and so on, h5 becomes h6 and h6 stays,
 * so the outline a reader or a screen reader shows nests as the book does.
 * Called on each element by fix_ids()'s walk (one walk less a chapter). */
static void demote_heading(xmlNodePtr n)
{
  const xmlChar *name = n->name;

  if (name[0] == 'h' && name[1] >= '1' && name[1] <= '5' && name[2] == '\0') {
    const char lower[3] = {'h', (char)(name[1] + 1), '\0'};
    xmlNodeSetName(n, BAD_CAST lower);
  }
}

/* ---- ids ----------------------------------------------------------------- */

/* Makes `s` an XML name without colons, which EPUBCheck requires of ids;
 * returns a new string or NULL (empty, or out of memory: *nomem). */
static char *id_fix(const char *s, size_t n, bool *nomem)
{
  struct sheaf_buf b;
  size_t i;
  char *r;

  if (n == 0)
    return NULL;
  sheaf_buf_init(&b, 0);
  if (!isalpha((unsigned char)s[0]) && s[0] != '_')
    sheaf_buf_putc(&b, 'x');
  else if (n >= 6 && strncmp(s, "sheaf-", 6) == 0)
    sheaf_buf_putc(&b, 'x'); /* sheaf- ids belong to the templates */
  for (i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)s[i];
    sheaf_buf_putc(&b,
                   isalnum(ch) || ch == '-' || ch == '.' || ch == '_' ? (char)ch : '_');
  }
  r = sheaf_buf_detach(&b, NULL);
  if (!r)
    *nomem = true;
  return r;
}

static sheaf_status fix_ids(struct ctx *c)
{
  xmlHashTablePtr ids = xmlHashCreate(64);
  xmlNodePtr node;
  sheaf_status ret = SHEAF_OK;
  bool nomem = false;
  static int present = 1;

  if (!ids)
    return SHEAF_ERR_NOMEM;
  /* First: valid, unique ids (the first keeps its name); and headings
   * demoted on the way. */
  for (node = c->body->children; node; node = sheaf_xml_next(node, c->body, false)) {
    xmlChar *v;
    char *fixed;
    if (node->type != XML_ELEMENT_NODE)
      continue;
    demote_heading(node);
    v = xmlGetProp(node, BAD_CAST "id");
    if (!v)
      continue;
    fixed = id_fix((const char *)v, strlen((const char *)v), &nomem);
    xmlFree(v);
    if (fixed && xmlHashLookup(ids, BAD_CAST fixed) != NULL) {
      struct sheaf_buf b;
      unsigned k;
      sheaf_buf_init(&b, 0);
      for (k = 2;; k++) {
        sheaf_buf_reset(&b);
        sheaf_buf_printf(&b, "%s-%u", fixed, k);
        if (b.failed || xmlHashLookup(ids, BAD_CAST b.ptr) == NULL)
          break;
      }
      sheaf_free(fixed);
      fixed = sheaf_buf_detach(&b, NULL);
      sheaf_buf_fini(&b);
      if (!fixed)
        nomem = true;
    }
    if (fixed) {
      if (xmlHashAddEntry(ids, BAD_CAST fixed, &present) != 0 ||
          !xmlSetProp(node, BAD_CAST "id", BAD_CAST fixed))
        nomem = true;
    } else {
      xmlUnsetProp(node, BAD_CAST "id");
    }
    sheaf_free(fixed);
    if (nomem) {
      ret = SHEAF_ERR_NOMEM;
      goto out;
    }
  }
  /* Then: links to a fragment that is not here would be EPUBCheck errors. */
  for (node = c->body->children; node; node = sheaf_xml_next(node, c->body, false)) {
    xmlChar *v;
    if (node->type != XML_ELEMENT_NODE || !is(node->name, "a"))
      continue;
    v = xmlGetProp(node, BAD_CAST "href");
    if (v && v[0] == '#') {
      struct sheaf_buf d;
      char *fixed;
      sheaf_buf_init(&d, 0);
      sheaf_url_decode(&d, (const char *)v + 1, strlen((const char *)v + 1));
      fixed = d.failed ? NULL : id_fix(d.ptr, d.len, &nomem);
      if (d.failed)
        nomem = true;
      sheaf_buf_fini(&d);
      if (fixed && xmlHashLookup(ids, BAD_CAST fixed) != NULL) {
        struct sheaf_buf h;
        sheaf_buf_init(&h, 0);
        sheaf_buf_printf(&h, "#%s", fixed);
        if (h.failed || !xmlSetProp(node, BAD_CAST "href", BAD_CAST h.ptr))
          nomem = true;
        sheaf_buf_fini(&h);
      } else {
        xmlUnsetProp(node, BAD_CAST "href");
      }
      sheaf_free(fixed);
    }
    if (v)
      xmlFree(v);
    if (nomem) {
      ret = SHEAF_ERR_NOMEM;
      goto out;
    }
  }
out:
  xmlHashFree(ids, NULL);
  return ret;
}

/* ---- serializer ---------------------------------------------------------- */

static void put_open(struct sheaf_buf *out, xmlNodePtr node)
{
  xmlAttrPtr at;

  sheaf_buf_putc(out, '<');
  sheaf_buf_puts(out, (const char *)node->name);
  for (at = node->properties; at; at = at->next) {
    xmlChar *copy;
    const xmlChar *v = attr_value(at, &copy);
    sheaf_buf_putc(out, ' ');
    sheaf_buf_puts(out, (const char *)at->name);
    sheaf_buf_puts(out, "=\"");
    if (v) {
      sheaf_buf_put_xml(out, (const char *)v, strlen((const char *)v), true);
      xmlFree(copy);
    } else if (at->children) {
      out->failed = true;
    }
    sheaf_buf_putc(out, '"');
  }
}

/* Writes the children of `root` as XML; iterative. */
static void serialize(xmlNodePtr root, struct sheaf_buf *out)
{
  xmlNodePtr node = root->children;

  if (!node)
    return;
  for (;;) {
    if (node->type == XML_TEXT_NODE && node->content) {
      sheaf_buf_put_xml(out, (const char *)node->content,
                        strlen((const char *)node->content), false);
    } else if (node->type == XML_ELEMENT_NODE) {
      put_open(out, node);
      if (node->children) {
        sheaf_buf_putc(out, '>');
        node = node->children;
        continue;
      }
      if (sheaf_layout_el_flags((const char *)node->name) & SHEAF_EL_VOID) {
        sheaf_buf_puts(out, "/>");
      } else {
        sheaf_buf_puts(out, "></");
        sheaf_buf_puts(out, (const char *)node->name);
        sheaf_buf_putc(out, '>');
      }
    }
    while (node->next == NULL) {
      node = node->parent;
      if (node == root || node == NULL)
        return;
      sheaf_buf_puts(out, "</");
      sheaf_buf_puts(out, (const char *)node->name);
      sheaf_buf_putc(out, '>');
    }
    node = node->next;
  }
}

/* ---- depth ---------------------------------------------------------------- */

/* Unwraps every element nested more than `max` deep under `body`: its
 * children take its place, so the text stays and only the structure below
 * that depth is lost (a page nested 100,000 deep is an attack or a broken
 * generator, never a layout). Iterative and linear in the tree's size.
 * Returns how many elements were unwrapped. */
static size_t flatten(xmlNodePtr body, size_t max)
{
  xmlNodePtr node = body->children, next, parent, first;
  size_t depth = 1, n = 0; /* depth of `node` below body */

  while (node) {
    if (node->type == XML_ELEMENT_NODE && depth > max) {
      next = node->next;
      parent = node->parent;
      first = sheaf_layout_unwrap(node);
      n++;
      if (first) {
        node = first; /* the children, now at this depth */
        continue;
      }
      if (next) {
        node = next;
        continue;
      }
      node = parent;
      depth--;
    } else if (node->type == XML_ELEMENT_NODE && node->children) {
      node = node->children;
      depth++;
      continue;
    }
    while (node != body && node->next == NULL) {
      node = node->parent;
      depth--;
    }
    if (node == body)
      break;
    node = node->next;
  }
  return n;
}

/* ---- entry --------------------------------------------------------------- */

/* Gathers everything the parser put anywhere in the document into one new
 * body element: with HTML_PARSE_NOIMPLIED, content after a stray </body> or
 * </html> in the fragment lands beside the body, and must not be lost.
 * Returns NULL when out of memory. */
static xmlNodePtr gather_body(xmlDocPtr doc)
{
  xmlNodePtr body = xmlNewDocNode(doc, NULL, BAD_CAST "body", NULL), n, next;
  xmlNodePtr root = xmlDocGetRootElement(doc);

  if (!body || !root)
    return body;
  for (n = doc->children; n; n = next) {
    if (n->type == XML_ELEMENT_NODE && (is(n->name, "html") || is(n->name, "body"))) {
      next = sheaf_xml_next(n, (xmlNodePtr)doc, false);
      continue;
    }
    next = sheaf_xml_next(n, (xmlNodePtr)doc, true);
    if (n->type != XML_ELEMENT_NODE && n->type != XML_TEXT_NODE)
      continue;
    sheaf_layout_append(body, n);
  }
  sheaf_layout_append(root, body); /* so xmlFreeDoc frees it */
  return body;
}

sheaf_status sheaf_layout_sanitize(const char *html, size_t n,
                                   const struct sheaf_layout_src *src,
                                   struct sheaf_buf *out)
{
  static const char pre[] = "<!DOCTYPE html><html><head></head><body>";
  struct sheaf_buf in;
  htmlParserCtxtPtr pc = NULL;
  xmlDocPtr doc = NULL;
  struct ctx c;
  sheaf_status ret = SHEAF_OK;

  memset(&c, 0, sizeof c);
  c.src = src;
  sheaf_buf_init(&in, 0);
  sheaf_buf_put(&in, pre, sizeof pre - 1);
  sheaf_buf_put(&in, html, n);
  sheaf_buf_puts(&in, "</body></html>");
  if (in.failed || in.len > INT_MAX) {
    ret = in.failed ? SHEAF_ERR_NOMEM : SHEAF_ERR_LIMIT;
    goto out;
  }
  pc = htmlNewParserCtxt();
  if (!pc) {
    ret = SHEAF_ERR_NOMEM;
    goto out;
  }
  /* XML_PARSE_HUGE (htmlCtxtUseOptions honours it): without it libxml2 silently drops
   * everything after a text over 10,000,000 bytes or nesting over 256 deep. The body's
   * size is bounded by opt->max_article_size, its depth by flatten() below. */
  doc = htmlCtxtReadMemory(pc, in.ptr, (int)in.len, NULL, "UTF-8",
                           HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                               HTML_PARSE_NOIMPLIED | XML_PARSE_HUGE);
  if (!doc) {
    ret = SHEAF_ERR_NOMEM;
    goto out;
  }
  c.body = gather_body(doc);
  if (!c.body) {
    ret = SHEAF_ERR_NOMEM;
    goto out;
  }
  {
    /* The body sits in <html><body> of the chapter: a few levels less. */
    size_t max = src->max_depth ? src->max_depth : SHEAF_DEFAULT_MAX_DEPTH;
    size_t flat = flatten(c.body, max);
    if (flat && src->diag)
      sheaf_diag_add(src->diag, SHEAF_WARNING, "depth", src->file, src->line, 0,
                     "HTML nested more than %zu deep: %zu deeper element%s flattened "
                     "(their text is kept); raise the limit with --max-depth",
                     max, flat, flat == 1 ? " was" : "s were");
  }
  if (src->remove) {
    /* The user's selectors see the article as written, before cleaning. */
    size_t k = sheaf_selectors_remove(src->remove, c.body);
    if (k && src->diag)
      sheaf_diag_add(src->diag, SHEAF_NOTE, "remove", src->file, src->line, 0,
                     "removed %zu element%s matching --remove", k, k == 1 ? "" : "s");
  }
  SHEAF_CHECK(sheaf_layout_embeds(c.body, src, src->lang));
  SHEAF_CHECK(lazy_images(&c));
  SHEAF_CHECK(clean_elements(&c));
  sheaf_layout_cruft(c.body, src);
  sheaf_layout_collapse_breaks(c.body);
  SHEAF_CHECK(sheaf_layout_repair(c.body));
  SHEAF_CHECK(fix_ids(&c)); /* and demotes headings */
  serialize(c.body, out);
  if (out->failed)
    ret = SHEAF_ERR_NOMEM;
out:
  if (c.nomem && ret == SHEAF_OK)
    ret = SHEAF_ERR_NOMEM;
  if (doc)
    xmlFreeDoc(doc);
  if (pc)
    htmlFreeParserCtxt(pc);
  sheaf_buf_fini(&in);
  return ret;
}
