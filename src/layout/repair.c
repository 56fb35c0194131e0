/*
 * This file contains the content-model repairs of the layout stage: after
 * the sanitizer has kept only allowed elements, these rules move, wrap and
 * unwrap them until the XHTML5 schema EPUBCheck uses accepts the tree (flow
 * content inside phrasing is unwrapped, list items get their list, table
 * cells their rows, and so on). Text is never dropped. The walk is
 * iterative; a rule that moves nodes makes the walk visit them again.
 */
#include <string.h>

#include <libxml/tree.h>

#include "layout/layout.h"

/* The first bytes tell most names apart without a call (fix() tests each
 * element against some thirty names). */
static bool is(xmlNodePtr n, const char *name)
{
  return n && n->type == XML_ELEMENT_NODE && n->name[0] == (xmlChar)name[0] &&
         strcmp((const char *)n->name, name) == 0;
}

static unsigned flags(xmlNodePtr n)
{
  return n->type == XML_ELEMENT_NODE ? sheaf_layout_el_flags((const char *)n->name)
                                     : SHEAF_EL_PHRASING;
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

/* Runs that need a wrapper: what is not a list item in a list, not a term
 * or definition in a <dl>, cells outside a row, rows beside a <tbody>. */
static bool not_li(xmlNodePtr n)
{
  return !is(n, "li");
}
static bool not_dtdd(xmlNodePtr n)
{
  return !is(n, "dt") && !is(n, "dd");
}
static bool cell(xmlNodePtr n)
{
  return is(n, "td") || is(n, "th");
}
static bool not_cell(xmlNodePtr n)
{
  return !cell(n);
}
static bool row(xmlNodePtr n)
{
  return is(n, "tr") || sheaf_layout_blank(n);
}

/* Does the subtree hold a row? (iterative) */
static bool has_row(xmlNodePtr table)
{
  xmlNodePtr n;

  for (n = table->children; n; n = sheaf_xml_next(n, table, false))
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
  SHEAF_CHECK(sheaf_layout_wrap_runs(table, cell, "tr"));
  for (n = table->children; n; n = n->next)
    if (is(n, "thead") || is(n, "tbody") || is(n, "tfoot"))
      SHEAF_CHECK(sheaf_layout_wrap_runs(n, cell, "tr"));
  /* Misplaced content goes before the table. */
  for (n = table->children; n; n = next) {
    next = n->next;
    if (sheaf_layout_blank(n))
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
        if (!sheaf_layout_blank(c) && !is(c, "tr")) {
          sheaf_layout_move_before(table, c);
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
    sheaf_layout_move_before(table, n);
    if (!*moved)
      *moved = n;
  }
  for (n = thead ? thead->children : NULL; n; n = next) {
    next = n->next;
    if (!sheaf_layout_blank(n) && !is(n, "tr")) {
      sheaf_layout_move_before(table, n);
      if (!*moved)
        *moved = n;
    }
  }
  for (n = tfoot ? tfoot->children : NULL; n; n = next) {
    next = n->next;
    if (!sheaf_layout_blank(n) && !is(n, "tr")) {
      sheaf_layout_move_before(table, n);
      if (!*moved)
        *moved = n;
    }
  }
  /* Order: caption, colgroups, thead first; tfoot last. */
  if (caption) {
    if (table->children != caption)
      sheaf_layout_move_before(table->children, caption);
    anchor = caption;
  }
  for (n = table->children; n; n = next) {
    next = n->next;
    if (is(n, "colgroup")) {
      if (anchor && anchor->next != n)
        sheaf_layout_move_before(anchor->next, n);
      else if (!anchor && table->children != n)
        sheaf_layout_move_before(table->children, n);
      anchor = n;
    }
  }
  if (thead) {
    if (anchor && anchor->next != thead)
      sheaf_layout_move_before(anchor->next, thead);
    else if (!anchor && table->children != thead)
      sheaf_layout_move_before(table->children, thead);
  }
  if (tfoot)
    sheaf_layout_append(table, tfoot);
  /* Rows beside tbody elements get a tbody of their own. */
  if (tbody && tr)
    SHEAF_CHECK(sheaf_layout_wrap_runs(table, row, "tbody"));
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
    if (!sheaf_layout_blank(n))
      first = false;
  for (n = fc->next; n; n = n->next)
    if (!sheaf_layout_blank(n))
      last = false;
  if (first)
    return true;
  if (!last)
    return false;
  for (n = fc->parent->children; n && sheaf_layout_blank(n); n = n->next)
    ;
  return !is(n, "figcaption");
}

/* The schema wants dl as groups (dt+, dd+)*: wrap strays in dd, then give
 * a leading dd an empty dt and a trailing dt an empty dd. */
static sheaf_status fix_dl(xmlNodePtr dl)
{
  xmlNodePtr n, first = NULL, last = NULL, add;
  sheaf_status ret = SHEAF_OK;

  SHEAF_CHECK(sheaf_layout_wrap_runs(dl, not_dtdd, "dd"));
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
    sheaf_layout_move_before(first, add);
  }
  if (last && is(last, "dt")) {
    add = xmlNewDocNode(dl->doc, NULL, BAD_CAST "dd", NULL);
    if (!add)
      return SHEAF_ERR_NOMEM;
    sheaf_layout_append(dl, add);
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
    if (sheaf_layout_blank(n))
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

/* Unwraps `e` and returns where the walk goes on: its first child, else
 * the node after it. That node is looked up only for an empty element: a
 * lookup for every element on the way down (a walk up to the first
 * ancestor with a next sibling) made a nest of 100,000 <div>s quadratic. */
static xmlNodePtr unwrap_next(xmlNodePtr e, xmlNodePtr body)
{
  xmlNodePtr after = e->children ? NULL : sheaf_xml_next(e, body, true);
  xmlNodePtr n = sheaf_layout_unwrap(e);

  return n ? n : after;
}

/* Applies the rules to element `e`; sets *next to where the walk goes on. */
static sheaf_status fix(xmlNodePtr e, xmlNodePtr body, xmlNodePtr *next)
{
  xmlNodePtr p = e->parent, n;
  unsigned f = flags(e);
  bool pctx = phrasing_ctx(p, body);
  sheaf_status ret = SHEAF_OK;

  *next = sheaf_xml_next(e, body, false);
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
    *next = sheaf_xml_next(e, body, true);
    xmlUnlinkNode(e);
    xmlFreeNode(e);
    return SHEAF_OK;
  }
  /* Flow content in phrasing context is unwrapped, with a line break
   * where it began so words do not run together. */
  if (pctx && !(f & SHEAF_EL_PHRASING)) {
    if (e->prev && e->children && !is(e, "hr")) {
      xmlNodePtr br = xmlNewDocNode(e->doc, NULL, BAD_CAST "br", NULL);
      if (!br)
        return SHEAF_ERR_NOMEM;
      sheaf_layout_move_before(e, br);
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
    return sheaf_layout_wrap_runs(e, not_li, "li");
  if (is(e, "dl"))
    return fix_dl(e);
  if (is(e, "ruby")) {
    bool ok = ruby_ok(e);
    /* ruby_ok frees <rp> children, which *next may have pointed at (a
     * use-after-free found by fuzz_sanitize). */
    *next = sheaf_xml_next(e, body, false);
    if (ok)
      return SHEAF_OK;
    xmlNodeSetName(e, BAD_CAST "span");
    return is(e, "span") ? SHEAF_OK : SHEAF_ERR_NOMEM;
  }
  if (is(e, "tr"))
    return sheaf_layout_wrap_runs(e, not_cell, "td");
  if (is(e, "table")) {
    xmlNodePtr moved;
    SHEAF_CHECK(fix_table(e, &moved));
    if (!has_row(e)) {
      n = unwrap_next(e, body);
      *next = moved ? moved : n;
      return SHEAF_OK;
    }
    if (moved)
      *next = moved; /* visit what moved out, then the table again */
    else
      *next = sheaf_xml_next(e, body, false);
  }
out:
  return ret;
unwrap:
  *next = unwrap_next(e, body);
  return SHEAF_OK;
}

sheaf_status sheaf_layout_repair(xmlNodePtr body)
{
  xmlNodePtr node = body->children, next;
  sheaf_status ret = SHEAF_OK;

  while (node) {
    if (node->type != XML_ELEMENT_NODE) {
      node = sheaf_xml_next(node, body, true);
      continue;
    }
    SHEAF_CHECK(fix(node, body, &next));
    node = next;
  }
out:
  return ret;
}
