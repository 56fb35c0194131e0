/*
 * This file contains the content-model repairs of the layout stage: after
 * the sanitizer has kept only allowed elements, these rules move, wrap and
 * unwrap them until the XHTML5 schema EPUBCheck uses accepts the tree (flow
 * content inside phrasing is unwrapped, list items get their list, table
 * cells their rows, and so on). Text is never dropped. The walk is
 * iterative; a rule that moves nodes makes the walk visit them again.
 */
#include <ctype.h>
#include <string.h>

#include <libxml/tree.h>

#include "layout/layout.h"

static bool is(xmlNodePtr n, const char *name)
{
  return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static unsigned flags(xmlNodePtr n)
{
  return n->type == XML_ELEMENT_NODE ? sheaf_layout_el_flags((const char *)n->name)
                                     : SHEAF_EL_PHRASING;
}

static bool ws_text(xmlNodePtr n)
{
  const xmlChar *s;

  if (n->type != XML_TEXT_NODE)
    return false;
  for (s = n->content; s && *s; s++)
    if (!isspace(*s))
      return false;
  return true;
}

/* Must the children of `p` be phrasing content? `body` is flow. */
static bool phrasing_ctx(xmlNodePtr p, xmlNodePtr body)
{
  for (; p && p != body; p = p->parent) {
    unsigned f = flags(p);
    if (f & SHEAF_EL_PCONTENT)
      return true;
    if (!(f & SHEAF_EL_TRANSPARENT))
      return false;
  }
  return false;
}

static bool has_ancestor(xmlNodePtr n, xmlNodePtr body, const char *name)
{
  for (n = n->parent; n && n != body; n = n->parent)
    if (is(n, name))
      return true;
  return false;
}

/* Unlinks `n` and links it just before `ref`, without merging texts. */
static void move_before(xmlNodePtr ref, xmlNodePtr n)
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
static void move_into(xmlNodePtr parent, xmlNodePtr n)
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
  w->doc = first->doc;
  /* Link w before first, then move the run into it. */
  w->parent = first->parent;
  w->prev = first->prev;
  w->next = first;
  if (first->prev)
    first->prev->next = w;
  else
    first->parent->children = w;
  first->prev = w;
  for (n = first;; n = next) {
    next = n->next;
    move_into(w, n);
    if (n == last)
      break;
  }
  return w;
}

/* Wraps each run of children of `el` that `ok` rejects (whitespace-only
 * text excepted) in a new `name` element. */
static sheaf_status wrap_runs(xmlNodePtr el, bool (*ok)(xmlNodePtr), const char *name)
{
  xmlNodePtr n = el->children, first = NULL, last = NULL, next;

  for (;; n = next) {
    next = n ? n->next : NULL;
    if (n && !ok(n) && !(first == NULL && ws_text(n))) {
      if (!first)
        first = n;
      last = n;
      continue;
    }
    if (first) {
      /* A run's trailing whitespace stays outside. */
      while (last != first && ws_text(last))
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

static bool ok_li(xmlNodePtr n)
{
  return is(n, "li");
}
static bool ok_dtdd(xmlNodePtr n)
{
  return is(n, "dt") || is(n, "dd");
}
static bool ok_cell(xmlNodePtr n)
{
  return is(n, "td") || is(n, "th");
}
static bool ok_row(xmlNodePtr n)
{
  return !ok_cell(n);
}

/* Does the subtree hold a row? (iterative) */
static bool has_row(xmlNodePtr table)
{
  xmlNodePtr n;

  for (n = table->children; n; n = sheaf_layout_next(n, table, false))
    if (is(n, "tr"))
      return true;
  return false;
}

/* Brings a table's children into the order caption?, colgroup*, thead?,
 * (tbody* | tr*), tfoot?. Content that has no place in a table is moved
 * before it; returns the first node so moved through *moved. */
static sheaf_status fix_table(xmlNodePtr table, xmlNodePtr *moved)
{
  xmlNodePtr n, next, anchor = NULL, caption = NULL, thead = NULL, tfoot = NULL;
  bool tbody = false, tr = false;
  sheaf_status ret = SHEAF_OK;

  *moved = NULL;
  /* Cells directly in the table or a section get a row. */
  SHEAF_CHECK(wrap_runs(table, ok_row, "tr"));
  for (n = table->children; n; n = n->next)
    if (is(n, "thead") || is(n, "tbody") || is(n, "tfoot"))
      SHEAF_CHECK(wrap_runs(n, ok_row, "tr"));
  /* Misplaced content goes before the table. */
  for (n = table->children; n; n = next) {
    next = n->next;
    if (ws_text(n))
      continue;
    if (is(n, "caption") && !caption) {
      caption = n;
      continue;
    }
    if (is(n, "thead") && !thead) {
      thead = n;
      continue;
    }
    if (is(n, "tfoot") && !tfoot) {
      tfoot = n;
      continue;
    }
    if (is(n, "thead") || is(n, "tfoot"))
      xmlNodeSetName(n, BAD_CAST "tbody");
    if (is(n, "tbody")) {
      xmlNodePtr c, cn;
      tbody = true;
      for (c = n->children; c; c = cn) {
        cn = c->next;
        if (!ws_text(c) && !is(c, "tr")) {
          move_before(table, c);
          if (!*moved)
            *moved = c;
        }
      }
      continue;
    }
    if (is(n, "tr")) {
      tr = true;
      continue;
    }
    if (is(n, "colgroup"))
      continue;
    move_before(table, n);
    if (!*moved)
      *moved = n;
  }
  for (n = thead ? thead->children : NULL; n; n = next) {
    next = n->next;
    if (!ws_text(n) && !is(n, "tr")) {
      move_before(table, n);
      if (!*moved)
        *moved = n;
    }
  }
  for (n = tfoot ? tfoot->children : NULL; n; n = next) {
    next = n->next;
    if (!ws_text(n) && !is(n, "tr")) {
      move_before(table, n);
      if (!*moved)
        *moved = n;
    }
  }
  /* Order: caption, colgroups, thead first; tfoot last. */
  if (caption) {
    if (table->children != caption)
      move_before(table->children, caption);
    anchor = caption;
  }
  for (n = table->children; n; n = next) {
    next = n->next;
    if (is(n, "colgroup")) {
      if (anchor && anchor->next != n)
        move_before(anchor->next, n);
      else if (!anchor && table->children != n)
        move_before(table->children, n);
      anchor = n;
    }
  }
  if (thead) {
    if (anchor && anchor->next != thead)
      move_before(anchor->next, thead);
    else if (!anchor && table->children != thead)
      move_before(table->children, thead);
  }
  if (tfoot)
    move_into(table, tfoot);
  /* Rows beside tbody elements get a tbody of their own. */
  if (tbody && tr) {
    xmlNodePtr first = NULL, last = NULL;
    for (n = table->children;; n = next) {
      next = n ? n->next : NULL;
      if (n && (is(n, "tr") || (first && ws_text(n)))) {
        if (!first)
          first = n;
        last = n;
        continue;
      }
      if (first) {
        while (last != first && ws_text(last))
          last = last->prev;
        if (!wrap(first, last, "tbody"))
          return SHEAF_ERR_NOMEM;
        first = NULL;
      }
      if (!n)
        break;
    }
  }
out:
  return ret;
}

/* figcaption must be the first or the last child of its figure. */
static bool figcaption_ok(xmlNodePtr fc)
{
  xmlNodePtr n;
  bool first = true, last = true;

  if (!is(fc->parent, "figure"))
    return false;
  for (n = fc->prev; n; n = n->prev)
    if (!ws_text(n))
      first = false;
  for (n = fc->next; n; n = n->next)
    if (!ws_text(n))
      last = false;
  if (first)
    return true;
  if (!last)
    return false;
  for (n = fc->parent->children; n && ws_text(n); n = n->next)
    ;
  return !is(n, "figcaption");
}

/* The schema wants dl as groups (dt+, dd+)*: wrap strays in dd, then give
 * a leading dd an empty dt and a trailing dt an empty dd. */
static sheaf_status fix_dl(xmlNodePtr dl)
{
  xmlNodePtr n, first = NULL, last = NULL, add;
  sheaf_status ret = SHEAF_OK;

  SHEAF_CHECK(wrap_runs(dl, ok_dtdd, "dd"));
  for (n = dl->children; n; n = n->next)
    if (n->type == XML_ELEMENT_NODE) {
      if (!first)
        first = n;
      last = n;
    }
  if (first && is(first, "dd")) {
    add = xmlNewDocNode(dl->doc, NULL, BAD_CAST "dt", NULL);
    if (!add)
      return SHEAF_ERR_NOMEM;
    move_before(first, add);
  }
  if (last && is(last, "dt")) {
    add = xmlNewDocNode(dl->doc, NULL, BAD_CAST "dd", NULL);
    if (!add)
      return SHEAF_ERR_NOMEM;
    move_into(dl, add);
  }
out:
  return ret;
}

/* Keeps a ruby only in the simple form (base text, rt)+; rp fallbacks are
 * dropped first (they hold only parentheses). */
static bool ruby_ok(xmlNodePtr ruby)
{
  xmlNodePtr n, next;
  bool base = false, ok = true, end_rt = false;

  for (n = ruby->children; n; n = next) {
    next = n->next;
    if (is(n, "rp")) {
      xmlUnlinkNode(n);
      xmlFreeNode(n);
    }
  }
  for (n = ruby->children; n; n = n->next) {
    if (ws_text(n))
      continue;
    if (is(n, "rt")) {
      if (!base && !end_rt)
        ok = false;
      end_rt = true;
      base = false;
    } else {
      base = true;
      end_rt = false;
    }
  }
  return ok && end_rt;
}

/* Applies the rules to element `e`; sets *next to where the walk goes on. */
static sheaf_status fix(xmlNodePtr e, xmlNodePtr body, xmlNodePtr *next)
{
  xmlNodePtr p = e->parent, after = sheaf_layout_next(e, body, true), n;
  unsigned f = flags(e);
  bool pctx = phrasing_ctx(p, body);
  sheaf_status ret = SHEAF_OK;

  *next = sheaf_layout_next(e, body, false);
  /* Elements that only make sense in one parent. */
  if (((is(e, "rt") || is(e, "rp")) && !is(p, "ruby")) ||
      (is(e, "a") && has_ancestor(e, body, "a")) ||
      (is(e, "tr") &&
       !(is(p, "table") || is(p, "thead") || is(p, "tbody") || is(p, "tfoot"))) ||
      ((is(e, "thead") || is(e, "tbody") || is(e, "tfoot") || is(e, "caption") ||
        is(e, "colgroup")) &&
       !is(p, "table")))
    goto unwrap;
  if (is(e, "col") && !is(p, "colgroup")) {
    xmlUnlinkNode(e);
    xmlFreeNode(e);
    *next = after;
    return SHEAF_OK;
  }
  /* Flow content in phrasing context is unwrapped, with a line break
   * where it began so words do not run together. */
  if (pctx && !(f & SHEAF_EL_PHRASING)) {
    if (e->prev && e->children && !is(e, "hr")) {
      xmlNodePtr br = xmlNewDocNode(e->doc, NULL, BAD_CAST "br", NULL);
      if (!br)
        return SHEAF_ERR_NOMEM;
      move_before(e, br);
    }
    goto unwrap;
  }
  /* A phrasing element holding flow content, in flow context, is unwrapped
   * (a, ins and del are transparent and may hold flow there). */
  if (!pctx && (f & SHEAF_EL_PHRASING) && !(f & SHEAF_EL_TRANSPARENT)) {
    for (n = e->children; n; n = n->next)
      if (n->type == XML_ELEMENT_NODE && !(flags(n) & SHEAF_EL_PHRASING))
        goto unwrap;
  }
  if ((is(e, "li") && !(is(p, "ul") || is(p, "ol"))) ||
      ((is(e, "dt") || is(e, "dd")) && !is(p, "dl")) ||
      ((is(e, "td") || is(e, "th")) && !is(p, "tr")) ||
      (is(e, "figcaption") && !figcaption_ok(e)) ||
      ((is(e, "header") || is(e, "footer")) &&
       (has_ancestor(e, body, "header") || has_ancestor(e, body, "footer")))) {
    xmlNodeSetName(e, BAD_CAST "div");
    return is(e, "div") ? SHEAF_OK : SHEAF_ERR_NOMEM;
  }
  if (is(e, "ul") || is(e, "ol"))
    return wrap_runs(e, ok_li, "li");
  if (is(e, "dl"))
    return fix_dl(e);
  if (is(e, "ruby")) {
    bool ok = ruby_ok(e);
    /* ruby_ok frees <rp> children, which *next may have pointed at (a
     * use-after-free found by fuzz_sanitize). */
    *next = sheaf_layout_next(e, body, false);
    if (ok)
      return SHEAF_OK;
    xmlNodeSetName(e, BAD_CAST "span");
    return is(e, "span") ? SHEAF_OK : SHEAF_ERR_NOMEM;
  }
  if (is(e, "tr"))
    return wrap_runs(e, ok_cell, "td");
  if (is(e, "table")) {
    xmlNodePtr moved;
    SHEAF_CHECK(fix_table(e, &moved));
    if (!has_row(e)) {
      n = sheaf_layout_unwrap(e);
      *next = moved ? moved : n ? n : after;
      return SHEAF_OK;
    }
    if (moved)
      *next = moved; /* visit what moved out, then the table again */
    else
      *next = sheaf_layout_next(e, body, false);
  }
out:
  return ret;
unwrap:
  n = sheaf_layout_unwrap(e);
  *next = n ? n : after;
  return SHEAF_OK;
}

sheaf_status sheaf_layout_repair(xmlNodePtr body)
{
  xmlNodePtr node = body->children, next;
  sheaf_status ret = SHEAF_OK;

  while (node) {
    if (node->type != XML_ELEMENT_NODE) {
      node = sheaf_layout_next(node, body, true);
      continue;
    }
    SHEAF_CHECK(fix(node, body, &next));
    node = next;
  }
out:
  return ret;
}
