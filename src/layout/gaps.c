/*
 * This file contains what an article shows where its content cannot come
 * along, so that a reader sees a gap instead of missing it: a video or
 * audio embed (YouTube and Vimeo frames, <video>, <audio>, a bare link to
 * such a page alone in a paragraph, as WordPress turns into a player)
 * becomes a paragraph with a link naming its title and host; a picture that
 * cannot be embedded becomes a styled placeholder with its alt text (or its
 * file name) and a link to the original; and the runs of <br> that removed
 * pictures and players leave behind collapse.
 */
#include <string.h>

#include <libxml/tree.h>

#include "layout/layout.h"

/* The first bytes tell most names apart without a call. */
static bool is(const xmlNode *n, const char *name)
{
  return n && n->type == XML_ELEMENT_NODE && n->name[0] == (xmlChar)name[0] &&
         strcmp((const char *)n->name, name) == 0;
}

/* The host of an http(s) URL (without "www."), copied into out. */
static bool url_host(const char *url, char *out, size_t cap)
{
  const char *h, *e;

  if (sheaf_starts_with_ci(url, "https://"))
    h = url + 8;
  else if (sheaf_starts_with_ci(url, "http://"))
    h = url + 7;
  else if (url[0] == '/' && url[1] == '/')
    h = url + 2;
  else
    return false;
  if (sheaf_starts_with_ci(h, "www."))
    h += 4;
  for (e = h; *e && *e != '/' && *e != ':' && *e != '?' && *e != '#'; e++)
    ;
  if (e == h || (size_t)(e - h) >= cap)
    return false;
  memcpy(out, h, (size_t)(e - h));
  out[e - h] = '\0';
  return true;
}

static bool host_is(const char *host, const char *domain)
{
  size_t n = strlen(host), d = strlen(domain);
  return n >= d && sheaf_ascii_casecmp(host + n - d, domain) == 0 &&
         (n == d || host[n - d - 1] == '.');
}

/* Video and audio sites whose pages WordPress and feeds embed as players. */
static const char *media_site(const char *host)
{
  static const struct {
    const char *domain, *kind;
  } sites[] = {{"youtube.com", "video"},
               {"youtu.be", "video"},
               {"youtube-nocookie.com", "video"},
               {"vimeo.com", "video"},
               {"dailymotion.com", "video"},
               {"ted.com", "video"},
               {"twitch.tv", "video"},
               {"soundcloud.com", "audio"},
               {"spotify.com", "audio"},
               {"bandcamp.com", "audio"},
               {"mixcloud.com", "audio"}};
  size_t i;

  for (i = 0; i < sizeof sites / sizeof *sites; i++)
    if (host_is(host, sites[i].domain))
      return sites[i].kind;
  return NULL;
}

/* The page a player frame shows: YouTube's and Vimeo's embed addresses
 * lead to a bare player; their watch pages are what a reader wants. */
static char *page_url(const char *src, const char *host)
{
  const char *p;
  char buf[512];
  size_t n;

  if ((host_is(host, "youtube.com") || host_is(host, "youtube-nocookie.com")) &&
      (p = strstr(src, "/embed/")) != NULL) {
    p += 7;
    n = strcspn(p, "?&#/\"' ");
    if (n && n < 64) {
      snprintf(buf, sizeof buf, "https://www.youtube.com/watch?v=%.*s", (int)n, p);
      return sheaf_strdup(buf);
    }
  }
  if (host_is(host, "player.vimeo.com") && (p = strstr(src, "/video/")) != NULL) {
    p += 7;
    n = strspn(p, "0123456789");
    if (n && n < 32) {
      snprintf(buf, sizeof buf, "https://vimeo.com/%.*s", (int)n, p);
      return sheaf_strdup(buf);
    }
  }
  if (src[0] == '/' && src[1] == '/') {
    snprintf(buf, sizeof buf, "https:%s", src);
    return sheaf_strdup(buf);
  }
  return sheaf_strdup(src);
}

/* The word for a kind of media in the article's language. */
static const char *kind_label(const struct sheaf_labels *l, const char *kind)
{
  return strcmp(kind, "video") == 0   ? l->video
         : strcmp(kind, "audio") == 0 ? l->audio
                                      : l->media;
}

/* Whether `n` sits where only phrasing content may (inside a paragraph,
 * a heading, a link...): then the link goes in a <span>, not a <p>. */
static bool in_phrasing(const xmlNode *n)
{
  static const char *const flow[] = {
      "body", "div", "section",    "article", "aside",  "figure", "li",     "dd",
      "td",   "th",  "blockquote", "header",  "footer", "main",   "details"};
  const xmlNode *p = n->parent;
  size_t i;

  if (!p || p->type != XML_ELEMENT_NODE)
    return false;
  for (i = 0; i < sizeof flow / sizeof *flow; i++)
    if (is(p, flow[i]))
      return false;
  return true;
}

/* Puts "Video: <a href=url>title</a> (host)" in place of `old`. */
static bool media_link(xmlNodePtr old, const struct sheaf_labels *l, const char *kind,
                       const char *url, const char *title, const char *host)
{
  xmlNodePtr box = xmlNewNode(NULL, BAD_CAST(in_phrasing(old) ? "span" : "p"));
  xmlNodePtr a;
  char head[96], tail[300];

  if (!box)
    return false;
  snprintf(head, sizeof head, "%s: ", kind_label(l, kind));
  snprintf(tail, sizeof tail, " (%s)", host);
  if (!xmlNewProp(box, BAD_CAST "class", BAD_CAST "sheaf-media") ||
      !xmlNewTextChild(box, NULL, BAD_CAST "span", BAD_CAST head) ||
      (a = xmlNewTextChild(box, NULL, BAD_CAST "a", NULL)) == NULL ||
      !xmlNewProp(a, BAD_CAST "href", BAD_CAST url) ||
      !xmlAddChild(a, xmlNewText(BAD_CAST title)) ||
      !xmlAddChild(box, xmlNewText(BAD_CAST tail))) {
    xmlFreeNode(box);
    return false;
  }
  /* The label is a span of its own only to be styled. */
  xmlNewProp(box->children, BAD_CAST "class", BAD_CAST "sheaf-media-kind");
  xmlReplaceNode(old, box);
  xmlFreeNode(old);
  return true;
}

/* The URL an <video>/<audio> plays: its src, else its first <source>. */
static xmlChar *media_src(xmlNodePtr el)
{
  xmlChar *s = xmlGetProp(el, BAD_CAST "src");
  xmlNodePtr c;

  for (c = el->children; !s && c; c = c->next)
    if (is(c, "source"))
      s = xmlGetProp(c, BAD_CAST "src");
  return s;
}

/* A paragraph that is only a link to a media page (as text, or a link whose
 * text is its address): WordPress shows a player there. Returns the URL. */
static xmlChar *bare_media_url(xmlNodePtr p)
{
  xmlNodePtr c, only = NULL;
  xmlChar *u = NULL;
  char host[256];

  for (c = p->children; c; c = c->next) {
    if (c->type == XML_TEXT_NODE && xmlIsBlankNode(c))
      continue;
    if (only)
      return NULL;
    only = c;
  }
  if (!only)
    return NULL;
  if (only->type == XML_TEXT_NODE) {
    u = xmlStrdup(only->content);
  } else if (is(only, "a")) {
    xmlChar *href = xmlGetProp(only, BAD_CAST "href"), *text = xmlNodeGetContent(only);
    if (href && text && xmlStrcmp(href, text) == 0) {
      u = href;
      href = NULL;
    }
    xmlFree(href);
    xmlFree(text);
  }
  if (u) {
    struct sheaf_str t =
        sheaf_str_trim((struct sheaf_str){(const char *)u, strlen((const char *)u)});
    memmove(u, t.p, t.n);
    u[t.n] = '\0';
    if (strpbrk((const char *)u, " \t\n") ||
        !url_host((const char *)u, host, sizeof host) || !media_site(host)) {
      xmlFree(u);
      u = NULL;
    }
  }
  return u;
}

sheaf_status sheaf_layout_embeds(xmlNodePtr body, const struct sheaf_layout_src *src,
                                 const char *lang)
{
  const struct sheaf_labels *l = sheaf_labels_for(lang);
  xmlNodePtr n = body->children, next;
  size_t count = 0;
  sheaf_status ret = SHEAF_OK;

  while (n && ret == SHEAF_OK) {
    xmlChar *raw = NULL, *t = NULL;
    char *abs = NULL, *page = NULL;
    const char *kind = NULL;
    char host[256], shown[256];
    bool nomem = false, player = false;

    next = sheaf_xml_next(n, body, false);
    if (n->type != XML_ELEMENT_NODE) {
      n = next;
      continue;
    }
    if (is(n, "iframe") || is(n, "embed") || is(n, "object")) {
      raw = xmlGetProp(n, BAD_CAST(is(n, "object") ? "data" : "src"));
      player = true;
    } else if (is(n, "video") || is(n, "audio")) {
      raw = media_src(n);
      kind = is(n, "video") ? "video" : "audio";
      player = true;
    } else if (is(n, "p")) {
      raw = bare_media_url(n);
    }
    if (player)
      next = sheaf_xml_next(n, body, true); /* its fallback content goes too */
    if (raw)
      abs = sheaf_url_clean((const char *)raw, src ? src->base_url : NULL, &nomem, NULL);
    if (abs && url_host(abs, host, sizeof host) && (kind || (kind = media_site(host)))) {
      page = page_url(abs, host);
      if (!page) {
        nomem = true;
      } else {
        t = xmlGetProp(n, BAD_CAST "title");
        snprintf(shown, sizeof shown, "%s", t && *t ? (const char *)t : page);
        url_host(page, host, sizeof host);
        next = sheaf_xml_next(n, body, true);
        if (!media_link(n, l, kind, page, shown, host))
          nomem = true;
        else
          count++;
      }
    }
    if (nomem)
      ret = SHEAF_ERR_NOMEM;
    xmlFree(raw);
    xmlFree(t);
    sheaf_free(abs);
    sheaf_free(page);
    n = next;
  }
  if (count && src && src->diag)
    sheaf_diag_add(src->diag, SHEAF_NOTE, "embed", src->file, src->line, 0,
                   "%zu video or audio player%s became a link to %s page", count,
                   count == 1 ? "" : "s", count == 1 ? "its" : "their");
  return ret;
}

/* Whether `n` is whitespace text (no-break spaces too). */
static bool blank(const xmlNode *n)
{
  const unsigned char *p;

  if (n->type == XML_COMMENT_NODE)
    return true;
  if (n->type != XML_TEXT_NODE)
    return false;
  for (p = n->content; p && *p; p++) {
    if (*p == 0xC2 && p[1] == 0xA0)
      p++;
    else if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
      return false;
  }
  return true;
}

/* Blocks in which a line break at the start or the end shows nothing but an
 * empty line. */
static bool block(const xmlNode *n)
{
  static const char *const names[] = {"body",   "p",          "div",     "li",
                                      "dd",     "td",         "th",      "blockquote",
                                      "figure", "figcaption", "section", "article"};
  size_t i;

  for (i = 0; i < sizeof names / sizeof *names; i++)
    if (is(n, names[i]))
      return true;
  return false;
}

void sheaf_layout_collapse_breaks(xmlNodePtr body)
{
  xmlNodePtr n = body->children, next;

  while (n) {
    next = sheaf_xml_next(n, body, false);
    if (is(n, "br")) {
      xmlNodePtr m = n->next, after;
      bool first = true, last = true;
      const xmlNode *k;
      /* A run of <br> (with only spaces between) is one line break... */
      while (m && (blank(m) || is(m, "br"))) {
        after = m->next;
        if (is(m, "br")) {
          xmlUnlinkNode(m);
          xmlFreeNode(m);
        }
        m = after;
      }
      /* ...and none at all at the start or the end of its block. */
      for (k = n->prev; k && first; k = k->prev)
        first = blank(k);
      for (k = n->next; k && last; k = k->next)
        last = blank(k);
      next = sheaf_xml_next(n, body, true);
      if ((first || last) && block(n->parent)) {
        xmlUnlinkNode(n);
        xmlFreeNode(n);
      }
    }
    n = next;
  }
  /* A paragraph of nothing but spaces (left by a removed picture, or its
   * line breaks gone above) is a blank line on the page. */
  for (n = body->children; n; n = next) {
    next = sheaf_xml_next(n, body, false);
    if (is(n, "p")) {
      const xmlNode *k;
      bool empty = true;
      for (k = n->children; k && empty; k = k->next)
        empty = blank(k);
      if (empty) {
        next = sheaf_xml_next(n, body, true);
        xmlUnlinkNode(n);
        xmlFreeNode(n);
      }
    }
  }
}

/* "Image" in the languages of sheaf's labels. */
static const char *image_word(const char *lang)
{
  static const struct {
    const char *lang, *word;
  } words[] = {{"de", "Bild"},        {"es", "Imagen"}, {"fr", "Image"},
               {"it", "Immagine"},    {"ja", "画像"},   {"ko", "이미지"},
               {"nl", "Afbeelding"},  {"pl", "Obraz"},  {"pt", "Imagem"},
               {"ru", "Изображение"}, {"sv", "Bild"},   {"zh", "图片"},
               {"zh-Hant", "圖片"}};
  const char *l = sheaf_labels_for(lang)->lang;
  size_t i;

  for (i = 0; i < sizeof words / sizeof *words; i++)
    if (strcmp(words[i].lang, l) == 0)
      return words[i].word;
  return "Image";
}

/* The last segment of a URL's path, for a picture without alt text. */
static void file_name(const char *url, char *out, size_t cap)
{
  size_t n = strcspn(url, "?#"), s = n;

  while (s > 0 && url[s - 1] != '/')
    s--;
  if (n - s >= cap)
    n = s + cap - 1;
  memcpy(out, url + s, n - s);
  out[n - s] = '\0';
}

/* Inline elements a placeholder may end or start ("<a><img></a>"). */
static bool inline_element(const xmlNode *n)
{
  static const char *const names[] = {"a",      "span", "b",    "i",    "em",  "strong",
                                      "small",  "big",  "u",    "s",    "sup", "sub",
                                      "font",   "cite", "q",    "abbr", "ins", "del",
                                      "strike", "mark", "code", "tt"};
  size_t i;

  if (!n || n->type != XML_ELEMENT_NODE)
    return false;
  for (i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strcmp((const char *)n->name, names[i]) == 0)
      return true;
  return false;
}

/* The node whose sibling on the side `next` follows `n` in the text: `n`,
 * or the inline element it ends (or starts). */
static xmlNodePtr edge(xmlNodePtr n, bool next)
{
  while (!(next ? n->next : n->prev) && inline_element(n->parent))
    n = n->parent;
  return n;
}

/* A letter or digit of a script that spaces its words (Latin, Greek,
 * Cyrillic, Hebrew, Arabic...): not punctuation, which stays glued to
 * what it follows, and not CJK, which sets no spaces. */
static bool spaced_letter(uint32_t c)
{
  if (c < 0x80)
    return sheaf_is_alnum((int)c);
  return c >= 0xC0 && c < 0x2000 && c != 0xD7 && c != 0xF7;
}

/* A letter or digit of any script (CJK too), not punctuation. */
static bool word_char(uint32_t c)
{
  if (spaced_letter(c))
    return true;
  return c >= 0x2E80 && !(c >= 0x3000 && c <= 0x303F) && !(c >= 0xFE30 && c <= 0xFE4F) &&
         !(c >= 0xFF00 && c <= 0xFF0F) && !(c >= 0xFF1A && c <= 0xFF20) &&
         !(c >= 0xFF3B && c <= 0xFF40) && !(c >= 0xFF5B && c <= 0xFF65) && c != 0xFFFD;
}

/* The first (or last) character of t, 0 when t is empty. */
static uint32_t end_char(const char *t, bool last)
{
  size_t len = t ? strlen(t) : 0, at = 0;
  uint32_t c;

  if (len == 0)
    return 0;
  if (last)
    for (at = len - 1; at > 0 && ((unsigned char)t[at] & 0xC0) == 0x80; at--)
      ;
  sheaf_utf8_decode(t + at, len - at, &c);
  return c == SHEAF_UTF8_INVALID ? 0 : c;
}

/* Does a word go on, without white space, on the side `next` of `n`? It
 * does when the text there starts (or ends) with a letter of a spaced
 * script; after the placeholder also when its own text ends with one
 * (`tail`, "photo.jpg") and a CJK word follows ("photo.jpg\u5e74"). */
static bool needs_space(const xmlNode *n, bool next, uint32_t tail)
{
  const xmlNode *s = next ? n->next : n->prev;
  uint32_t c;

  if (!s || s->type != XML_TEXT_NODE)
    return false;
  c = end_char((const char *)s->content, !next);
  return spaced_letter(c) || (tail && spaced_letter(tail) && word_char(c));
}

/* A placeholder sits where a picture was, often flush against the text
 * ("<img ...>Ab April", "<a><img></a>Text"). Its box shows the break on
 * screen; a space on each side keeps the words apart for text extraction,
 * search and read-aloud, which see "rc.jpgAb" otherwise. */
static bool separate(xmlNodePtr box)
{
  xmlNodePtr sp, before = edge(box, false), after = edge(box, true);
  xmlChar *text = xmlNodeGetContent(box);
  uint32_t tail = end_char((const char *)text, true);

  if (text)
    xmlFree(text);
  if (needs_space(before, false, 0) &&
      (!(sp = xmlNewDocText(box->doc, BAD_CAST " ")) || !xmlAddPrevSibling(before, sp)))
    return false;
  if (needs_space(after, true, tail) &&
      (!(sp = xmlNewDocText(box->doc, BAD_CAST " ")) || !xmlAddNextSibling(after, sp)))
    return false;
  return true;
}

xmlNodePtr sheaf_layout_image_gap(xmlNodePtr img, const char *alt, const char *url,
                                  const struct sheaf_layout_src *src)
{
  xmlNodePtr box, a = NULL, up;
  char name[128], head[160];
  char *link = NULL;
  bool nomem = false, in_link = false;
  struct sheaf_str t =
      sheaf_str_trim((struct sheaf_str){alt ? alt : "", alt ? strlen(alt) : 0});

  name[0] = '\0';
  if (!t.n && url && strncmp(url, "data:", 5) != 0)
    file_name(url, name, sizeof name);
  for (up = img->parent; up && up->type == XML_ELEMENT_NODE; up = up->parent)
    in_link = in_link || is(up, "a");
  /* A link to the original, where there is one on the web (and the
   * picture is not itself inside a link). */
  if (url && !in_link &&
      (sheaf_starts_with_ci(url, "http:") || sheaf_starts_with_ci(url, "https:") ||
       strncmp(url, "//", 2) == 0 || (src && src->base_url && !strchr(url, ':'))))
    link = sheaf_url_clean(url, src ? src->base_url : NULL, &nomem, NULL);
  if (nomem)
    return NULL;
  box = xmlNewDocNode(img->doc, NULL, BAD_CAST "span", NULL);
  snprintf(head, sizeof head, "%s: ", image_word(src ? src->lang : NULL));
  if (!box || !xmlNewProp(box, BAD_CAST "class", BAD_CAST "sheaf-missing-image") ||
      !xmlNewTextChild(box, NULL, BAD_CAST "span", BAD_CAST head))
    goto nomem;
  xmlNewProp(box->children, BAD_CAST "class", BAD_CAST "sheaf-missing-kind");
  if (link) {
    a = xmlNewTextChild(box, NULL, BAD_CAST "a", NULL);
    if (!a || !xmlNewProp(a, BAD_CAST "href", BAD_CAST link))
      goto nomem;
  }
  {
    xmlNodePtr txt;
    if (t.n)
      txt = xmlNewDocTextLen(img->doc, BAD_CAST t.p, (int)t.n);
    else
      txt = xmlNewDocText(img->doc, BAD_CAST(*name ? name : "?"));
    if (!txt || !xmlAddChild(a ? a : box, txt))
      goto nomem;
  }
  sheaf_free(link);
  xmlReplaceNode(img, box);
  xmlFreeNode(img);
  return separate(box) ? box : NULL;
nomem:
  sheaf_free(link);
  xmlFreeNode(box);
  return NULL;
}
