/*
 * This file contains what the capture looks for in what it fetched before
 * the import stage reads it: the feed a page announces (<link
 * rel="alternate" type="application/rss+xml">), a feed's next page (RFC
 * 5005 rel="next"), whether a site is WordPress (its generator), and the
 * WordPress page URL (?paged=N). Parsing never touches the network and
 * never expands entities.
 */
#include <ctype.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/xmlreader.h>

#include "fetch/fetch.h"
#include "layout/layout.h"

static bool is_ci(const xmlChar *a, const char *b)
{
  return a && sheaf_ascii_casecmp((const char *)a, b) == 0;
}

static bool generator_is_wp(const char *v)
{
  char low[64];
  size_t i;

  for (i = 0; v[i] && i < sizeof low - 1; i++)
    low[i] = (char)tolower((unsigned char)v[i]);
  low[i] = '\0';
  return strstr(low, "wordpress") != NULL;
}

char *sheaf_find_feed_link(const char *html, size_t n, const char *base, bool *wordpress)
{
  htmlDocPtr doc;
  xmlNodePtr node, root;
  char *found = NULL;
  int rank = 0; /* RSS before Atom, the first of each */

  *wordpress = false;
  if (n > INT32_MAX)
    return NULL;
  doc = htmlReadMemory(html, (int)n, base, "UTF-8",
                       HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                           HTML_PARSE_NONET | HTML_PARSE_COMPACT);
  if (!doc)
    return NULL;
  root = xmlDocGetRootElement(doc);
  for (node = root; node; node = sheaf_xml_next(node, root, false)) {
    xmlChar *rel, *type, *href, *name, *content;
    if (node->type != XML_ELEMENT_NODE)
      continue;
    if (is_ci(node->name, "body"))
      break; /* what a page announces is in its head */
    if (is_ci(node->name, "meta")) {
      name = xmlGetProp(node, BAD_CAST "name");
      content = xmlGetProp(node, BAD_CAST "content");
      if (is_ci(name, "generator") && content && generator_is_wp((const char *)content))
        *wordpress = true;
      xmlFree(name);
      xmlFree(content);
      continue;
    }
    if (!is_ci(node->name, "link"))
      continue;
    rel = xmlGetProp(node, BAD_CAST "rel");
    type = xmlGetProp(node, BAD_CAST "type");
    href = xmlGetProp(node, BAD_CAST "href");
    if (rel && sheaf_has_token((const char *)rel, "alternate", true) && href && type) {
      int r = is_ci(type, "application/rss+xml")    ? 2
              : is_ci(type, "application/atom+xml") ? 1
                                                    : 0;
      if (r > rank) {
        bool nomem;
        char *u = sheaf_net_resolve((const char *)href, base, &nomem);
        if (u) {
          sheaf_free(found);
          found = u;
          rank = r;
        }
      }
    }
    if (rel && sheaf_has_token((const char *)rel, "https://api.w.org/", true))
      *wordpress = true;
    xmlFree(rel);
    xmlFree(type);
    xmlFree(href);
  }
  xmlFreeDoc(doc);
  return found;
}

/* One streaming pass over a feed: its rel="next" link and its generator. */
static void scan_feed(const char *xml, size_t n, const char *base, char **next, bool *wp)
{
  xmlTextReaderPtr rd;
  int depth_item = -1;

  if (n > INT32_MAX)
    return;
  rd = xmlReaderForMemory(xml, (int)n, base, NULL,
                          XML_PARSE_NONET | XML_PARSE_RECOVER | XML_PARSE_NOERROR |
                              XML_PARSE_NOWARNING | XML_PARSE_COMPACT);
  if (!rd)
    return;
  while (xmlTextReaderRead(rd) == 1) {
    const xmlChar *local;
    int depth = xmlTextReaderDepth(rd);
    if (xmlTextReaderNodeType(rd) != XML_READER_TYPE_ELEMENT)
      continue;
    local = xmlTextReaderConstLocalName(rd);
    if (depth_item >= 0 && depth <= depth_item)
      depth_item = -1;
    if (is_ci(local, "item") || is_ci(local, "entry")) {
      depth_item = depth; /* links inside entries are the entries' */
      continue;
    }
    if (depth_item >= 0)
      continue;
    if (next && !*next && is_ci(local, "link")) {
      xmlChar *rel = xmlTextReaderGetAttribute(rd, BAD_CAST "rel");
      if (is_ci(rel, "next")) {
        xmlChar *href = xmlTextReaderGetAttribute(rd, BAD_CAST "href");
        bool nomem;
        if (href)
          *next = sheaf_net_resolve((const char *)href, base, &nomem);
        xmlFree(href);
      }
      xmlFree(rel);
    } else if (wp && is_ci(local, "generator")) {
      xmlChar *uri = xmlTextReaderGetAttribute(rd, BAD_CAST "uri");
      xmlChar *text = xmlTextReaderReadString(rd);
      if ((uri && generator_is_wp((const char *)uri)) ||
          (text && generator_is_wp((const char *)text)))
        *wp = true;
      xmlFree(uri);
      xmlFree(text);
    }
  }
  xmlFreeTextReader(rd);
}

char *sheaf_find_next_link(const char *xml, size_t n, const char *base)
{
  char *next = NULL;

  scan_feed(xml, n, base, &next, NULL);
  return next;
}

bool sheaf_find_is_wordpress(const char *xml, size_t n)
{
  bool wp = false;

  scan_feed(xml, n, NULL, NULL, &wp);
  return wp;
}

char *sheaf_find_paged(const char *url, size_t page)
{
  struct sheaf_buf b;
  const char *q = strchr(url, '?'), *p;
  size_t base_len = q ? (size_t)(q - url) : strlen(url);
  bool first = true;

  sheaf_buf_init(&b, 0);
  sheaf_buf_put(&b, url, base_len);
  /* Keep every other parameter, drop an old paged=, add the new one. */
  for (p = q ? q + 1 : NULL; p && *p;) {
    size_t len = strcspn(p, "&#");
    if (!(len >= 6 && strncmp(p, "paged=", 6) == 0) && len) {
      sheaf_buf_putc(&b, first ? '?' : '&');
      sheaf_buf_put(&b, p, len);
      first = false;
    }
    if (p[len] != '&')
      break;
    p += len + 1;
  }
  sheaf_buf_printf(&b, "%cpaged=%zu", first ? '?' : '&', page);
  return sheaf_buf_detach(&b, NULL);
}
