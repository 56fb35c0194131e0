/*
 * This file contains the small DOM toolkit the layout passes share: the
 * element table (what the sanitizer keeps, drops, unwraps or renames, and
 * the content model of what it keeps) and the tree surgery of unwrapping,
 * moving and wrapping nodes. Nodes are spliced by hand throughout, because
 * libxml2's own xmlAddPrevSibling and xmlAddChild merge neighbouring text
 * nodes and free the one the caller still holds. The passes (sanitize.c,
 * repair.c, cruft.c, remove.c, images.c) depend on this file, and it on
 * none of them.
 */
#include <ctype.h>
#include <pthread.h>
#include <string.h>

#include <libxml/tree.h>

#include "layout/layout.h"

/* ---- element table ------------------------------------------------------ */

#define KEEP SHEAF_EL_KEEP
#define DROP SHEAF_EL_DROP
#define UNWRAP SHEAF_EL_UNWRAP
#define RENAME SHEAF_EL_RENAME

#define PH SHEAF_EL_PHRASING
#define PC SHEAF_EL_PCONTENT
#define VO SHEAF_EL_VOID
#define TR SHEAF_EL_TRANSPARENT

static const struct sheaf_el elements[] = {
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

const struct sheaf_el *sheaf_layout_el(const char *name)
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
  const struct sheaf_el *e = sheaf_layout_el(name);

  return e && e->act == KEEP ? e->flags | 0x100u : 0;
}

/* ---- tree surgery ------------------------------------------------------- */

bool sheaf_layout_blank(xmlNodePtr n)
{
  const xmlChar *s;

  if (n->type != XML_TEXT_NODE)
    return false;
  for (s = n->content; s && *s; s++)
    if (!isspace(*s))
      return false;
  return true;
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

/* Unlinks `n` and links it just before `ref`, without merging texts. */
void sheaf_layout_move_before(xmlNodePtr ref, xmlNodePtr n)
{
  xmlUnlinkNode(n);
  n->parent = ref->parent;
  n->prev = ref->prev;
  n->next = ref;
  if (ref->prev)
    ref->prev->next = n;
  else
    ref->parent->children = n;
  ref->prev = n;
}

/* Unlinks `n` and appends it to `parent`, without merging texts. */
void sheaf_layout_append(xmlNodePtr parent, xmlNodePtr n)
{
  xmlUnlinkNode(n);
  n->parent = parent;
  n->prev = parent->last;
  n->next = NULL;
  if (parent->last)
    parent->last->next = n;
  else
    parent->children = n;
  parent->last = n;
}

/* Wraps the siblings first..last in a new element `name`. */
static xmlNodePtr wrap(xmlNodePtr first, xmlNodePtr last, const char *name)
{
  xmlNodePtr w = xmlNewDocNode(first->doc, NULL, BAD_CAST name, NULL), n, next;

  if (!w)
    return NULL;
  sheaf_layout_move_before(first, w); /* then the run moves into it */
  for (n = first;; n = next) {
    next = n->next;
    sheaf_layout_append(w, n);
    if (n == last)
      break;
  }
  return w;
}

/* Wraps each run of children of `el` that `ok` rejects (whitespace-only
 * text excepted) in a new `name` element. */
sheaf_status sheaf_layout_wrap_runs(xmlNodePtr el, bool (*in_run)(xmlNodePtr),
                                    const char *name)
{
  xmlNodePtr n = el->children, first = NULL, last = NULL, next;

  for (;; n = next) {
    next = n ? n->next : NULL;
    if (n && in_run(n) && !(first == NULL && sheaf_layout_blank(n))) {
      if (!first)
        first = n;
      last = n;
      continue;
    }
    if (first) {
      /* A run's trailing whitespace stays outside. */
      while (last != first && sheaf_layout_blank(last))
        last = last->prev;
      if (!wrap(first, last, name))
        return SHEAF_ERR_NOMEM;
      first = last = NULL;
    }
    if (!n)
      break;
  }
  return SHEAF_OK;
}
