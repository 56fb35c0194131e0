/*
 * This file contains the HTML sanitizer of the layout stage: it parses an
 * article body with libxml2's HTML parser, keeps only the elements and
 * attributes EPUB 3 XHTML content documents allow (an allowlist), drops
 * scripts, embeds, forms and unsafe URLs, turns remote images into their alt
 * text, makes ids valid and unique, then hands the tree to the content-model
 * repairs (repair.c) and the cruft rules (cruft.c) and serializes the result
 * as an XHTML fragment. Every walk over the tree is iterative, so the depth
 * of the input cannot exhaust the stack.
 */
#include <ctype.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/hash.h>
#include <libxml/tree.h>
#include <libxml/uri.h>

#include "layout/layout.h"

/* ---- element table ------------------------------------------------------ */

enum act { KEEP, DROP, UNWRAP, RENAME };

struct el {
  const char *name;
  enum act act;
  const char *to; /* RENAME: the new name */
  unsigned flags; /* SHEAF_EL_* of a kept element */
};

#define PH SHEAF_EL_PHRASING
#define PC SHEAF_EL_PCONTENT
#define VO SHEAF_EL_VOID
#define TR SHEAF_EL_TRANSPARENT

static const struct el elements[] = {
    /* kept: flow */
    {"p", KEEP, NULL, PC},
    {"div", KEEP, NULL, 0},
    {"h1", KEEP, NULL, PC},
    {"h2", KEEP, NULL, PC},
    {"h3", KEEP, NULL, PC},
    {"h4", KEEP, NULL, PC},
    {"h5", KEEP, NULL, PC},
    {"h6", KEEP, NULL, PC},
    {"pre", KEEP, NULL, PC},
    {"hr", KEEP, NULL, VO},
    {"ul", KEEP, NULL, 0},
    {"ol", KEEP, NULL, 0},
    {"li", KEEP, NULL, 0},
    {"dl", KEEP, NULL, 0},
    {"dt", KEEP, NULL, 0},
    {"dd", KEEP, NULL, 0},
    {"blockquote", KEEP, NULL, 0},
    {"figure", KEEP, NULL, 0},
    {"figcaption", KEEP, NULL, 0},
    {"table", KEEP, NULL, 0},
    {"caption", KEEP, NULL, 0},
    {"thead", KEEP, NULL, 0},
    {"tbody", KEEP, NULL, 0},
    {"tfoot", KEEP, NULL, 0},
    {"tr", KEEP, NULL, 0},
    {"td", KEEP, NULL, 0},
    {"th", KEEP, NULL, 0},
    {"colgroup", KEEP, NULL, 0},
    {"col", KEEP, NULL, VO},
    {"section", KEEP, NULL, 0},
    {"article", KEEP, NULL, 0},
    {"aside", KEEP, NULL, 0},
    {"header", KEEP, NULL, 0},
    {"footer", KEEP, NULL, 0},
    {"nav", KEEP, NULL, 0},
    /* kept: phrasing */
    {"a", KEEP, NULL, PH | TR},
    {"ins", KEEP, NULL, PH | TR},
    {"del", KEEP, NULL, PH | TR},
    {"span", KEEP, NULL, PH | PC},
    {"em", KEEP, NULL, PH | PC},
    {"strong", KEEP, NULL, PH | PC},
    {"b", KEEP, NULL, PH | PC},
    {"i", KEEP, NULL, PH | PC},
    {"u", KEEP, NULL, PH | PC},
    {"s", KEEP, NULL, PH | PC},
    {"small", KEEP, NULL, PH | PC},
    {"sub", KEEP, NULL, PH | PC},
    {"sup", KEEP, NULL, PH | PC},
    {"mark", KEEP, NULL, PH | PC},
    {"abbr", KEEP, NULL, PH | PC},
    {"cite", KEEP, NULL, PH | PC},
    {"q", KEEP, NULL, PH | PC},
    {"code", KEEP, NULL, PH | PC},
    {"kbd", KEEP, NULL, PH | PC},
    {"samp", KEEP, NULL, PH | PC},
    {"var", KEEP, NULL, PH | PC},
    {"dfn", KEEP, NULL, PH | PC},
    {"time", KEEP, NULL, PH | PC},
    {"bdi", KEEP, NULL, PH | PC},
    {"bdo", KEEP, NULL, PH | PC},
    {"ruby", KEEP, NULL, PH | PC},
    {"rt", KEEP, NULL, PH | PC},
    {"rp", KEEP, NULL, PH | PC},
    {"br", KEEP, NULL, PH | VO},
    {"wbr", KEEP, NULL, PH | VO},
    {"img", KEEP, NULL, PH | VO}, /* replaced by its alt text in this version */
    /* void in HTML: any children are the parser's guess; they stay */
    /* dropped with their content */
    {"script", DROP, NULL, 0},
    {"style", DROP, NULL, 0},
    {"iframe", DROP, NULL, 0},
    {"frame", DROP, NULL, 0},
    {"frameset", DROP, NULL, 0},
    {"object", DROP, NULL, 0},
    /* Void elements are unwrapped, not dropped: they have no content of
     * their own, and libxml2 nests the markup that follows an <embed> or
     * <input> inside it, which dropping would lose. */
    {"embed", UNWRAP, NULL, 0},
    {"applet", DROP, NULL, 0},
    {"noscript", DROP, NULL, 0},
    {"template", DROP, NULL, 0},
    {"input", UNWRAP, NULL, 0},
    {"button", DROP, NULL, 0},
    {"select", DROP, NULL, 0},
    {"textarea", DROP, NULL, 0},
    {"option", DROP, NULL, 0},
    {"optgroup", DROP, NULL, 0},
    {"datalist", DROP, NULL, 0},
    {"canvas", DROP, NULL, 0},
    {"audio", DROP, NULL, 0},
    {"video", DROP, NULL, 0},
    {"source", UNWRAP, NULL, 0},
    {"track", UNWRAP, NULL, 0},
    {"svg", DROP, NULL, 0},
    {"math", DROP, NULL, 0},
    {"head", DROP, NULL, 0},
    {"meta", UNWRAP, NULL, 0},
    {"link", UNWRAP, NULL, 0},
    {"base", UNWRAP, NULL, 0},
    {"title", DROP, NULL, 0},
    {"param", UNWRAP, NULL, 0},
    {"area", UNWRAP, NULL, 0},
    {"keygen", UNWRAP, NULL, 0},
    {"output", DROP, NULL, 0},
    {"progress", DROP, NULL, 0},
    {"meter", DROP, NULL, 0},
    {"xml", DROP, NULL, 0},
    /* obsolete or unsupported, renamed to the nearest allowed element */
    {"center", RENAME, "div", 0},
    {"big", RENAME, "span", 0},
    {"strike", RENAME, "s", 0},
    {"tt", RENAME, "code", 0},
    {"acronym", RENAME, "abbr", 0},
    {"form", RENAME, "div", 0},
    {"main", RENAME, "div", 0},
    {"address", RENAME, "div", 0},
    {"details", RENAME, "div", 0},
    {"summary", RENAME, "div", 0},
    {"hgroup", RENAME, "div", 0},
    {"fieldset", RENAME, "div", 0},
    {"legend", RENAME, "div", 0},
    {"listing", RENAME, "pre", 0},
    {"xmp", RENAME, "pre", 0},
    {"plaintext", RENAME, "pre", 0},
    {"dir", RENAME, "ul", 0},
    {"menu", RENAME, "ul", 0},
    {"nobr", RENAME, "span", 0},
    {"dialog", RENAME, "div", 0},
    /* everything else (font, blink, label, picture, o:p...) is unwrapped */
};

/* Element names are looked up in an open-addressing hash of the table,
 * built once (pthread_once) and read-only after: a lookup hashes the name
 * and compares one or two entries, instead of scanning the table. */
#define EL_SLOTS 512                    /* a power of two, over 3x the table */
static unsigned char el_slot[EL_SLOTS]; /* index + 1 into elements[]; 0: empty */
static pthread_once_t el_once = PTHREAD_ONCE_INIT;
_Static_assert(sizeof elements / sizeof elements[0] < EL_SLOTS / 2,
               "the element hash needs more slots");

static unsigned el_hash(const char *s)
{
  unsigned h = 2166136261u; /* FNV-1a */

  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 16777619u;
  return h & (EL_SLOTS - 1);
}

static void el_index(void)
{
  size_t i;
  unsigned h;

  for (i = 0; i < sizeof elements / sizeof elements[0]; i++) {
    for (h = el_hash(elements[i].name); el_slot[h]; h = (h + 1) & (EL_SLOTS - 1))
      ;
    el_slot[h] = (unsigned char)(i + 1);
  }
}

static const struct el *el_find(const char *name)
{
  unsigned h;

  pthread_once(&el_once, el_index);
  for (h = el_hash(name); el_slot[h]; h = (h + 1) & (EL_SLOTS - 1))
    if (strcmp(elements[el_slot[h] - 1].name, name) == 0)
      return &elements[el_slot[h] - 1];
  return NULL;
}

unsigned sheaf_layout_el_flags(const char *name)
{
  const struct el *e = el_find(name);

  return e && e->act == KEEP ? e->flags | 0x100u : 0;
}

/* ---- tree helpers shared with repair.c and cruft.c ---------------------- */

xmlNodePtr sheaf_layout_next(xmlNodePtr node, xmlNodePtr root, bool skip)
{
  if (!skip && node->type == XML_ELEMENT_NODE && node->children)
    return node->children;
  while (node && node != root) {
    if (node->next)
      return node->next;
    node = node->parent;
  }
  return NULL;
}

xmlNodePtr sheaf_layout_unwrap(xmlNodePtr node)
{
  xmlNodePtr first = node->children, last = node->last, parent = node->parent, c;

  if (first) {
    /* Spliced by hand: xmlAddPrevSibling would merge text nodes and free
     * the one we return. */
    for (c = first; c; c = c->next)
      c->parent = parent;
    first->prev = node->prev;
    if (node->prev)
      node->prev->next = first;
    else if (parent)
      parent->children = first;
    last->next = node;
    node->prev = last;
    node->children = node->last = NULL;
  }
  xmlUnlinkNode(node);
  xmlFreeNode(node);
  return first;
}

/* ---- URLs ---------------------------------------------------------------- */

static bool scheme_ok(const char *s, size_t n)
{
  static const char *const ok[] = {"http", "https", "mailto", "ftp", "tel"};
  size_t i;

  for (i = 0; i < sizeof ok / sizeof ok[0]; i++)
    if (strlen(ok[i]) == n && sheaf_str_ieq((struct sheaf_str){s, n}, ok[i]))
      return true;
  return false;
}

/* Percent-encodes what may not stand in a URI. */
static bool url_encode(struct sheaf_buf *b, const char *s)
{
  static const char hex[] = "0123456789ABCDEF";
  const unsigned char *p = (const unsigned char *)s;
  bool hash = false;

  for (; *p; p++) {
    bool esc = *p >= 0x7f || *p <= 0x20 || strchr("\"<>\\^`{|}", *p);
    if (*p == '%' && !(isxdigit(p[1]) && isxdigit(p[2])))
      esc = true;
    if (*p == '#') {
      esc = hash;
      hash = true;
    }
    if (esc) {
      sheaf_buf_putc(b, '%');
      sheaf_buf_putc(b, hex[*p >> 4]);
      sheaf_buf_putc(b, hex[*p & 15]);
    } else {
      sheaf_buf_putc(b, (char)*p);
    }
  }
  return !b->failed;
}

/* ---- internationalized host names ----------------------------------- */

/* RFC 3492 punycode of one label's code points, appended to `out` after
 * "xn--". EPUBCheck (and Java's URL parser) reject hosts with non-ASCII
 * characters, escaped or not; their ASCII form is what DNS sees anyway. */
static bool punycode(struct sheaf_buf *out, const uint32_t *cp, size_t n)
{
  enum { BASE = 36, TMIN = 1, TMAX = 26, SKEW = 38, DAMP = 700 };
  uint32_t m, nn = 128, delta = 0, bias = 72, h, b = 0;
  size_t i;

  for (i = 0; i < n; i++)
    if (cp[i] < 0x80) {
      sheaf_buf_putc(out, (char)((cp[i] >= 'A' && cp[i] <= 'Z') ? cp[i] + 32 : cp[i]));
      b++;
    }
  h = b;
  if (b > 0)
    sheaf_buf_putc(out, '-');
  while (h < n) {
    m = UINT32_MAX;
    for (i = 0; i < n; i++)
      if (cp[i] >= nn && cp[i] < m)
        m = cp[i];
    if ((m - nn) > (UINT32_MAX - delta) / (h + 1))
      return false;
    delta += (m - nn) * (h + 1);
    nn = m;
    for (i = 0; i < n; i++) {
      if (cp[i] < nn && ++delta == 0)
        return false;
      if (cp[i] == nn) {
        uint32_t q = delta, k;
        for (k = BASE;; k += BASE) {
          uint32_t t = k <= bias ? TMIN : k >= bias + TMAX ? TMAX : k - bias, d;
          if (q < t)
            break;
          d = t + (q - t) % (BASE - t);
          sheaf_buf_putc(out, (char)(d < 26 ? 'a' + d : '0' + d - 26));
          q = (q - t) / (BASE - t);
        }
        sheaf_buf_putc(out, (char)(q < 26 ? 'a' + q : '0' + q - 26));
        /* adapt the bias (RFC 3492 section 6.1) */
        {
          uint32_t dd = h == b ? delta / DAMP : delta / 2, kk = 0;
          dd += dd / (h + 1);
          while (dd > ((BASE - TMIN) * TMAX) / 2) {
            dd /= BASE - TMIN;
            kk += BASE;
          }
          bias = kk + (BASE - TMIN + 1) * dd / (dd + SKEW);
        }
        delta = 0;
        h++;
      }
    }
    delta++;
    nn++;
  }
  return !out->failed;
}

/* Rewrites the UTF-8 host h[0..len) as ASCII (labels with non-ASCII become
 * "xn--" + punycode) into `out`. Returns false for invalid UTF-8. */
static bool host_to_ascii(struct sheaf_buf *out, const char *h, size_t len)
{
  uint32_t cp[64];
  size_t i = 0;

  while (i <= len) {
    size_t start = i, n = 0;
    bool ascii = true;
    while (i < len && h[i] != '.') {
      unsigned char c = (unsigned char)h[i];
      uint32_t v;
      size_t k, extra = c < 0x80 ? 0 : c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC2 ? 1 : 9;
      if (extra == 9 || i + extra >= len + (extra ? 0 : 1) || n == 64)
        return false;
      v = extra == 0 ? c : c & (0x3F >> extra);
      for (k = 1; k <= extra; k++) {
        if (((unsigned char)h[i + k] & 0xC0) != 0x80)
          return false;
        v = (v << 6) | ((unsigned char)h[i + k] & 0x3F);
      }
      if (extra)
        ascii = false;
      cp[n++] = v;
      i += extra + 1;
    }
    if (ascii) {
      sheaf_buf_put(out, h + start, i - start);
    } else {
      sheaf_buf_puts(out, "xn--");
      if (!punycode(out, cp, n))
        return false;
    }
    if (i < len)
      sheaf_buf_putc(out, '.');
    i++;
  }
  return !out->failed;
}

/* Checks the host of an absolute URL in place. Percent-escaped UTF-8 in a
 * host (an internationalized name) goes back to UTF-8, which an IRI allows
 * and readers resolve; a host with anything else a host cannot hold (an
 * unclosed attribute swallowed "</div>", empty labels) makes the URL
 * unusable: returns false, and the caller drops the link but keeps its
 * text. URLs without an authority pass. */
static bool host_ok(char *url)
{
  char *h = strstr(url, "://"), *end, *at, *o, *p;
  size_t len;

  if (h == NULL || strcspn(url, ":") != (size_t)(h - url))
    return true;
  h += 3;
  end = h + strcspn(h, "/?#");
  at = memchr(h, '@', (size_t)(end - h));
  if (at)
    h = at + 1;
  /* Decode %XX (only bytes >= 0x80 may be escaped in a host). */
  for (p = o = h; p < end;) {
    if (*p == '%' && p + 2 < end && sheaf_hexval((unsigned char)p[1]) >= 0 &&
        sheaf_hexval((unsigned char)p[2]) >= 0) {
      int c = sheaf_hexval((unsigned char)p[1]) * 16 + sheaf_hexval((unsigned char)p[2]);
      if (c < 0x80)
        return false;
      *o++ = (char)c;
      p += 3;
    } else {
      *o++ = *p++;
    }
  }
  if (o != end)
    memmove(o, end, strlen(end) + 1);
  end = o;
  len = (size_t)(end - h);
  if (len && (p = memchr(h, ':', len)) != NULL) /* a port */
    len = (size_t)(p - h);
  if (len == 0 || h[0] == '.' || h[0] == '-')
    return false;
  for (p = h; p < h + len; p++) {
    unsigned char c = (unsigned char)*p;
    if (c == '.' && p + 1 < h + len && p[1] == '.')
      return false;
    if (!(c >= 0x80 || isalnum(c) || c == '.' || c == '-' || c == '_' || c == '[' ||
          c == ']'))
      return false;
  }
  return true;
}

/* host_ok(), then a host with non-ASCII letters in its IDNA form. Returns
 * the URL (maybe a new string; `url` is then freed) or NULL. */
static char *fix_host(char *url, bool *nomem)
{
  struct sheaf_buf b;
  char *h, *end;
  size_t len, i;

  if (!host_ok(url)) {
    sheaf_free(url);
    return NULL;
  }
  h = strstr(url, "://");
  if (h == NULL)
    return url;
  h += 3;
  end = h + strcspn(h, "/?#");
  if (memchr(h, '@', (size_t)(end - h)))
    h = (char *)memchr(h, '@', (size_t)(end - h)) + 1;
  len = (size_t)(end - h);
  for (i = 0; i < len && (unsigned char)h[i] < 0x80; i++)
    ;
  if (i == len)
    return url;
  {
    char *colon = memchr(h, ':', len);
    size_t hl = colon ? (size_t)(colon - h) : len;
    sheaf_buf_init(&b, 0);
    sheaf_buf_put(&b, url, (size_t)(h - url));
    if (!host_to_ascii(&b, h, hl)) {
      sheaf_buf_fini(&b);
      sheaf_free(url);
      return NULL;
    }
    sheaf_buf_puts(&b, h + hl);
    sheaf_free(url);
    url = sheaf_buf_detach(&b, NULL);
    if (url == NULL)
      *nomem = true;
    return url;
  }
}

char *sheaf_layout_url(const char *raw, const char *base, bool *nomem)
{
  struct sheaf_buf v, k, e;
  char *res = NULL;
  size_t i, n = strlen(raw), s, t;
  xmlChar *built = NULL;

  *nomem = false;
  sheaf_buf_init(&v, 0);
  sheaf_buf_init(&k, 0);
  sheaf_buf_init(&e, 0);
  /* Trim ASCII whitespace and controls; drop controls inside (browsers
   * ignore tabs and newlines in URLs, which "java\tscript:" relies on). */
  for (s = 0; s < n && (unsigned char)raw[s] <= 0x20; s++)
    ;
  for (t = n; t > s && (unsigned char)raw[t - 1] <= 0x20; t--)
    ;
  for (i = s; i < t; i++) {
    unsigned char c = (unsigned char)raw[i];
    if ((c < 0x20 && c != ' ') || c == 0x7f)
      continue;
    sheaf_buf_putc(&v, (char)c);
    if (c != ' ')
      sheaf_buf_putc(&k, (char)c);
  }
  if (v.failed || k.failed)
    goto nomem;
  if (v.len == 0)
    goto out;
  /* The scheme, if any, ends at the first ':' before any '/', '?', '#'. */
  i = strcspn(k.ptr, ":/?#");
  if (k.ptr[i] == ':') {
    size_t j;
    if (i == 0 || !isalpha((unsigned char)k.ptr[0]))
      goto out;
    for (j = 0; j < i; j++)
      if (!isalnum((unsigned char)k.ptr[j]) && !strchr("+-.", k.ptr[j]))
        goto out;
    if (!scheme_ok(k.ptr, i))
      goto out;
    if (!url_encode(&e, v.ptr))
      goto nomem;
    res = sheaf_buf_detach(&e, NULL);
    if (!res)
      goto nomem;
    goto out;
  }
  if (!url_encode(&e, v.ptr))
    goto nomem;
  if (e.ptr[0] == '#') {
    res = sheaf_buf_detach(&e, NULL);
    if (!res)
      goto nomem;
    goto out;
  }
  /* Relative: only useful against a base (else it points into the book at
   * a file that does not exist). */
  if (base == NULL || *base == '\0')
    goto out;
  built = xmlBuildURI(BAD_CAST e.ptr, BAD_CAST base);
  if (built == NULL)
    goto out;
  if (!sheaf_starts_with_ci((const char *)built, "http://") &&
      !sheaf_starts_with_ci((const char *)built, "https://"))
    goto out;
  sheaf_buf_reset(&e);
  if (!url_encode(&e, (const char *)built))
    goto nomem;
  res = sheaf_buf_detach(&e, NULL);
  if (!res)
    goto nomem;
  goto out;
nomem:
  *nomem = true;
out:
  if (res)
    res = fix_host(res, nomem);
  if (built)
    xmlFree(built);
  sheaf_buf_fini(&v);
  sheaf_buf_fini(&k);
  sheaf_buf_fini(&e);
  return res;
}

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

static bool is(const xmlChar *a, const char *b)
{
  return strcmp((const char *)a, b) == 0;
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
    s = sheaf_layout_url((const char *)v, c->src ? c->src->base_url : NULL, &nomem);
    if (nomem)
      c->nomem = true;
    if (s && is(an, "cite") && s[0] == '#') {
      sheaf_free(s);
      s = NULL;
    }
    if (s && is(an, "href") && c->src && c->src->links)
      s = chapter_link(c, s);
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

/* Replaces the attributes of `node` with the allowed ones. */
static sheaf_status attrs_filter(struct ctx *c, xmlNodePtr node)
{
  struct keep keep[16];
  size_t nkeep = 0, i;
  xmlAttrPtr at;
  const char *name_id = NULL;
  sheaf_status ret = SHEAF_OK;

  for (at = node->properties; at; at = at->next) {
    xmlChar *v;
    const xmlChar *an = at->name;
    char *kv;

    if (at->ns != NULL)
      continue;
    v = xmlNodeListGetString(node->doc, at->children, 1);
    if (v == NULL) {
      if (at->children != NULL) {
        c->nomem = true;
        continue;
      }
      /* A boolean attribute: <ol reversed>. */
      v = xmlStrdup(BAD_CAST "");
      if (v == NULL) {
        c->nomem = true;
        continue;
      }
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
      xmlFree(v);
      continue;
    }
    kv = attr_keep(c, node, an, v);
    xmlFree(v);
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

static bool block(const xmlNode *n)
{
  return n->type == XML_ELEMENT_NODE &&
         !(sheaf_layout_el_flags((const char *)n->name) & SHEAF_EL_PHRASING);
}

/* The nearest non-empty text before (or after) `n` in document order,
 * within `root` and the same run of phrasing content: NULL at a block's
 * edge (a paragraph or caption ends words anyway), at an element with no
 * content (another image, a <br>), after a few steps, or when there is
 * none. Bounded, so a paragraph of 40,000 images stays linear. */
static const xmlNode *text_beside(const xmlNode *n, const xmlNode *root, bool forward)
{
  unsigned steps = 0;

  while (steps++ < 64) {
    while (n && n != root && !(forward ? n->next : n->prev)) {
      n = n->parent;
      if (n && n != root && block(n))
        return NULL;
    }
    if (!n || n == root)
      return NULL;
    n = forward ? n->next : n->prev;
    if (block(n))
      return NULL;
    while (n->type == XML_ELEMENT_NODE && (forward ? n->children : n->last)) {
      n = forward ? n->children : n->last;
      if (block(n))
        return NULL;
    }
    if (n->type == XML_ELEMENT_NODE)
      return NULL; /* empty: <img>, <br> */
    if (n->type == XML_TEXT_NODE && n->content && *n->content)
      return n;
  }
  return NULL;
}

/* A letter or digit of a script written with spaces between words (Latin,
 * Greek, Cyrillic): where an alt text needs a space to stay a word. Not
 * punctuation, not CJK, which has no spaces. */
static bool word_char(uint32_t cp)
{
  return (cp < 0x80 && isalnum((int)cp)) ||
         (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
         (cp >= 0x370 && cp <= 0x52F);
}

/* The first (or last) code point of UTF-8 text `s`. */
static uint32_t edge_cp(const xmlChar *s, bool last)
{
  size_t n = (size_t)xmlStrlen(s), i = 0;
  uint32_t cp;
  int len;

  if (n == 0)
    return 0;
  if (last) {
    i = n - 1;
    while (i > 0 && (s[i] & 0xC0) == 0x80 && n - i < 4)
      i--;
  }
  len = (int)(n - i);
  cp = (uint32_t)xmlGetUTF8Char(s + i, &len);
  return len > 0 ? cp : 0;
}

/* Resolves an <img> to a local file (keeping it with src and alt only) or
 * replaces it by its alt text with one warning. Returns the next node. */
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
  if (cs.n && c->src && c->src->images) {
    if (sheaf_images_resolve(c->src->images, c->src, cs.c, cs.n, &href, &why) !=
        SHEAF_OK) {
      c->nomem = true;
      goto out;
    }
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
    av = sheaf_strndup(a.p, a.n);
    xmlFreePropList(img->properties);
    img->properties = NULL;
    free_children(img);
    if (!av || !xmlNewProp(img, BAD_CAST "src", BAD_CAST href) ||
        !xmlNewProp(img, BAD_CAST "alt", BAD_CAST av))
      c->nomem = true;
    sheaf_free(av);
    goto out;
  }
  if (c->src && c->src->diag) {
    char shown[96];
    short_url(cs.n ? cs.c[0].url : "(no src)", shown);
    sheaf_diag_add(c->src->diag, SHEAF_WARNING, "missing-image", c->src->file,
                   c->src->line, 0, "image not embedded (%s): %s; %s", why, shown,
                   alt && *alt ? "its alt text is kept" : "it has no alt text");
  }
  if (alt) {
    struct sheaf_str s =
        sheaf_str_trim((struct sheaf_str){(const char *)alt, strlen((const char *)alt)});
    if (s.n) {
      /* Alt texts of neighbouring images (a gallery of linked thumbnails)
       * must not run together, nor into the words around them. */
      const xmlNode *pv = text_beside(img, c->body, false),
                    *nx = text_beside(img, c->body, true);
      uint32_t last = pv ? edge_cp(pv->content, true) : ' ';
      bool pad_before =
          word_char(last) || (last && strchr(".,;:!?)]}", (int)last) && last < 0x80);
      bool pad_after = nx && word_char(edge_cp(nx->content, false));
      struct sheaf_buf t;
      sheaf_buf_init(&t, 0);
      sheaf_buf_puts(&t, pad_before ? " " : "");
      sheaf_buf_put(&t, s.p, s.n);
      sheaf_buf_puts(&t, pad_after ? " " : "");
      text = t.failed ? NULL : xmlNewDocTextLen(img->doc, BAD_CAST t.ptr, (int)t.len);
      sheaf_buf_fini(&t);
      if (!text)
        c->nomem = true;
      else {
        /* Linked by hand so it is not merged into a neighbouring text. */
        text->parent = img->parent;
        text->prev = img;
        text->next = img->next;
        if (img->next)
          img->next->prev = text;
        else if (img->parent)
          img->parent->last = text;
        img->next = text;
      }
    }
  }
  xmlUnlinkNode(img);
  xmlFreeNode(img);
  img = NULL;
out:
  for (k = 0; k < cs.nowned; k++)
    sheaf_free(cs.owned[k]);
  sheaf_free(href);
  if (alt)
    xmlFree(alt);
  if (img)
    return after;
  return text ? sheaf_layout_next(text, c->body, true) : after;
}

/* The first (or, with `last`, the last) <img> at or under `n`. */
static xmlNodePtr find_img(xmlNodePtr n, bool last)
{
  xmlNodePtr p, found = NULL;

  if (n->type == XML_ELEMENT_NODE && is(n->name, "img"))
    return n;
  for (p = n->children; p; p = sheaf_layout_next(p, n, false))
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

  for (node = c->body->children; node; node = sheaf_layout_next(node, c->body, false))
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
      for (ch = el->children; ch; ch = sheaf_layout_next(ch, el, false)) {
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
      node = sheaf_layout_next(node, c->body, true);
      continue;
    }
    next = sheaf_layout_next(node, c->body, true);
    if (node->type != XML_ELEMENT_NODE) { /* comments, PIs, CDATA... */
      xmlUnlinkNode(node);
      xmlFreeNode(node);
      node = next;
      continue;
    }
    {
      const struct el *e = el_find((const char *)node->name);
      enum act act = e ? e->act : UNWRAP;

      if (node->ns != NULL)
        act = UNWRAP;
      if (act == DROP) {
        xmlUnlinkNode(node);
        xmlFreeNode(node);
        node = next;
        continue;
      }
      if (act == UNWRAP) {
        xmlNodePtr first = sheaf_layout_unwrap(node);
        node = first ? first : next;
        continue;
      }
      if (act == RENAME) {
        xmlNodeSetName(node, BAD_CAST e->to);
        if (node->name == NULL || !is(node->name, e->to))
          return SHEAF_ERR_NOMEM;
        e = el_find(e->to);
      }
      if (is(node->name, "img")) {
        node = image(c, node, next);
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
        node = next;
        continue;
      }
      node = sheaf_layout_next(node, c->body, false);
    }
  }
out:
  return ret;
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
  /* First: valid, unique ids (the first keeps its name). */
  for (node = c->body->children; node; node = sheaf_layout_next(node, c->body, false)) {
    xmlChar *v;
    char *fixed;
    if (node->type != XML_ELEMENT_NODE)
      continue;
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
  for (node = c->body->children; node; node = sheaf_layout_next(node, c->body, false)) {
    xmlChar *v;
    if (node->type != XML_ELEMENT_NODE || !is(node->name, "a"))
      continue;
    v = xmlGetProp(node, BAD_CAST "href");
    if (v && v[0] == '#') {
      struct sheaf_buf d;
      char *fixed;
      size_t i;
      sheaf_buf_init(&d, 0);
      for (i = 1; v[i]; i++) {
        if (v[i] == '%' && isxdigit(v[i + 1]) && isxdigit(v[i + 2])) {
          sheaf_buf_putc(&d,
                         (char)(sheaf_hexval(v[i + 1]) * 16 + sheaf_hexval(v[i + 2])));
          i += 2;
        } else {
          sheaf_buf_putc(&d, (char)v[i]);
        }
      }
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
    xmlChar *v = xmlNodeListGetString(node->doc, at->children, 1);
    sheaf_buf_putc(out, ' ');
    sheaf_buf_puts(out, (const char *)at->name);
    sheaf_buf_puts(out, "=\"");
    if (v) {
      sheaf_buf_put_xml(out, (const char *)v, strlen((const char *)v), true);
      xmlFree(v);
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
      next = sheaf_layout_next(n, (xmlNodePtr)doc, false);
      continue;
    }
    next = sheaf_layout_next(n, (xmlNodePtr)doc, true);
    if (n->type != XML_ELEMENT_NODE && n->type != XML_TEXT_NODE)
      continue;
    xmlUnlinkNode(n);
    n->parent = body;
    n->prev = body->last;
    n->next = NULL;
    if (body->last)
      body->last->next = n;
    else
      body->children = n;
    body->last = n;
  }
  /* Attach it so xmlFreeDoc frees it. */
  body->parent = root;
  body->prev = root->last;
  if (root->last)
    root->last->next = body;
  else
    root->children = body;
  root->last = body;
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
  SHEAF_CHECK(lazy_images(&c));
  SHEAF_CHECK(clean_elements(&c));
  sheaf_layout_cruft(c.body, src);
  SHEAF_CHECK(sheaf_layout_repair(c.body));
  SHEAF_CHECK(fix_ids(&c));
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
