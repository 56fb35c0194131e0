/*
 * This file contains the rules that remove site cruft from an article body
 * after sanitizing: WordPress's "The post ... appeared first on ..." footer,
 * "Read Also" / "Related:" link blocks, and share-button blocks. Each kind
 * removed is reported once per article as a note. The rules are narrow on
 * purpose: they match small elements made of a label and links, never a
 * block that holds article text.
 */
#include <ctype.h>
#include <string.h>

#include <libxml/tree.h>

#include "layout/layout.h"

/* Text longer than this is article text, not a footer or a link block. */
#define CRUFT_MAX_TEXT 2048
/* Nor is an element of more nodes than this (a label and some links): the
 * bound keeps the look at each element short whatever the nesting. */
#define CRUFT_MAX_NODES 256

enum kind { K_FOOTER, K_READ_ALSO, K_SHARE, K_COUNT };

static const char *const kind_msg[K_COUNT] = {
    "removed the WordPress \"The post ... appeared first on ...\" footer",
    "removed a \"Read Also\" block of links",
    "removed share buttons",
};

/* The first bytes tell most names apart without a call. */
static bool is(const xmlChar *a, const char *b)
{
  return a[0] == (xmlChar)b[0] && strcmp((const char *)a, b) == 0;
}

/* Does the class attribute value `cls` (may be NULL) hold one of `words`? */
static bool class_has(const char *cls, const char *const *words)
{
  bool hit = false;

  if (!cls)
    return false;
  for (; *words && !hit; words++)
    hit = strstr(cls, *words) != NULL;
  return hit;
}

static const char *skip_ws(const char *s)
{
  while (*s && (isspace((unsigned char)*s) || (unsigned char)s[0] == 0xc2)) {
    if ((unsigned char)s[0] == 0xc2) { /* U+00A0, from &nbsp; */
      if ((unsigned char)s[1] != 0xa0)
        break;
      s++;
    }
    s++;
  }
  return s;
}

static const char *const footer[] = {"The post ", NULL};
static const char *const labels[] = {"read also",
                                     "related:", "related posts:", "see also:", NULL};

/* Can text that starts with `s` (so far) still start, past white space,
 * with one of `starts` (compared without case when `ci`)? */
static bool may_start(const char *s, const char *const *starts, bool ci)
{
  const char *t = skip_ws(s);
  size_t n, i, k;

  for (n = 0; n < 16 && t[n]; n++) /* the longest start is 14 bytes */
    ;
  /* Until two bytes follow the white space, more text may still be
   * white space (a U+00A0 cut in two). */
  if (n < 2)
    return true;
  for (i = 0; starts[i]; i++) {
    for (k = 0; k < n && starts[i][k]; k++)
      if (ci ? sheaf_to_lower((unsigned char)t[k]) !=
                   sheaf_to_lower((unsigned char)starts[i][k])
             : t[k] != starts[i][k])
        break;
    if (k == n || starts[i][k] == '\0')
      return true;
  }
  return false;
}

/* Gathers the text of `el` (up to CRUFT_MAX_TEXT bytes) into `all`, and the
 * text outside <a> elements into `outside`, and counts links. Returns false
 * when `el` cannot be cruft: too long, or holding a descendant that is not
 * phrasing content. It stops there, so a nest of 100,000 <div>s costs one
 * step per <div>, not a walk of each one's subtree. */
static bool gather(xmlNodePtr el, struct sheaf_buf *all, struct sheaf_buf *outside,
                   size_t *nlinks)
{
  xmlNodePtr n;
  size_t seen = 0;

  *nlinks = 0;
  for (n = el->children; n; n = sheaf_xml_next(n, el, false)) {
    if (++seen > CRUFT_MAX_NODES)
      return false;
    if (n->type == XML_ELEMENT_NODE) {
      if (is(n->name, "a"))
        (*nlinks)++;
      if (!(sheaf_layout_el_flags((const char *)n->name) & SHEAF_EL_PHRASING))
        return false;
    } else if (n->type == XML_TEXT_NODE && n->content) {
      xmlNodePtr up;
      bool in_a = false;
      sheaf_buf_puts(all, (const char *)n->content);
      for (up = n->parent; up && up != el; up = up->parent)
        if (is(up->name, "a"))
          in_a = true;
      if (!in_a)
        sheaf_buf_puts(outside, (const char *)n->content);
      if (all->len > CRUFT_MAX_TEXT)
        return false;
      /* Text only grows at the end: once both starts are settled and
       * neither is a footer's or a label's, the rest cannot matter (most
       * paragraphs stop at their first words). */
      if (!may_start(all->ptr, footer, false) && !may_start(outside->ptr, labels, true))
        return false;
    }
  }
  return !all->failed && !outside->failed;
}

/* Does `outside` hold only `label` and separators? */
static bool only_label(const char *outside)
{
  const char *s = skip_ws(outside);
  size_t i;

  for (i = 0; labels[i]; i++)
    if (sheaf_starts_with_ci(s, labels[i])) {
      s += strlen(labels[i]);
      break;
    }
  if (!labels[i])
    return false;
  for (; *s; s++) {
    unsigned char ch = (unsigned char)*s;
    if (isspace(ch) || strchr(":|-,.;/\xc2\xa0\xe2\x80\x94\x93\xa2\xb7", ch))
      continue;
    return false;
  }
  return true;
}

/* `all` and `outside` are the caller's, emptied here: one pair serves
 * every element of a body. */
static enum kind classify(xmlNodePtr el, struct sheaf_buf *all, struct sheaf_buf *outside)
{
  static const char *const share[] = {"sharedaddy",    "jp-relatedposts", "addtoany",
                                      "share-buttons", "sd-sharing",      NULL};
  static const char *const read_also[] = {"read-also", NULL};
  enum kind k = K_COUNT;
  size_t nlinks;
  xmlAttrPtr at = xmlHasProp(el, BAD_CAST "class");
  xmlChar *copy = NULL;
  const char *cls = NULL;

  /* The value read in place when it is one text node (it always is once
   * the sanitizer has set it), without a copy per element. */
  if (at && at->type == XML_ATTRIBUTE_NODE && at->children &&
      at->children->type == XML_TEXT_NODE && !at->children->next)
    cls = (const char *)at->children->content;
  else if (at)
    cls = (const char *)(copy = xmlGetProp(el, BAD_CAST "class"));
  if (class_has(cls, share))
    k = K_SHARE;
  else if (class_has(cls, read_also))
    k = K_READ_ALSO;
  xmlFree(copy);
  if (k != K_COUNT)
    return k;
  if (!is(el->name, "p") && !is(el->name, "div") && !is(el->name, "aside"))
    return K_COUNT;
  sheaf_buf_reset(all);
  sheaf_buf_reset(outside);
  if (gather(el, all, outside, &nlinks) && nlinks > 0) {
    const char *t = skip_ws(all->ptr);
    if (strncmp(t, footer[0], 9) == 0 && strstr(t, " appeared first on "))
      k = K_FOOTER;
    else if (only_label(outside->ptr))
      k = K_READ_ALSO;
  }
  return k;
}

void sheaf_layout_cruft(xmlNodePtr body, const struct sheaf_layout_src *src)
{
  xmlNodePtr node = body->children, next;
  bool seen[K_COUNT] = {false, false, false};
  struct sheaf_buf all, outside;
  int k;

  sheaf_buf_init(&all, 0);
  sheaf_buf_init(&outside, 0);
  while (node) {
    enum kind kind;
    if (node->type != XML_ELEMENT_NODE) {
      node = sheaf_xml_next(node, body, false);
      continue;
    }
    kind = classify(node, &all, &outside);
    if (kind == K_COUNT) {
      node = sheaf_xml_next(node, body, false);
      continue;
    }
    next = sheaf_xml_next(node, body, true);
    xmlUnlinkNode(node);
    xmlFreeNode(node);
    seen[kind] = true;
    node = next;
  }
  sheaf_buf_fini(&all);
  sheaf_buf_fini(&outside);
  for (k = 0; k < K_COUNT; k++)
    if (seen[k] && src && src->diag)
      sheaf_diag_add(src->diag, SHEAF_NOTE, "cruft", src->file, src->line, 0, "%s",
                     kind_msg[k]);
}
