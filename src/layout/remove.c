/*
 * This file contains --remove: elements a user names with CSS selectors
 * are taken out of every article before it is cleaned, for the site chrome
 * the built-in cruft rules do not know (a theme's share box, a "related
 * posts" block, an ad slot). The selectors see the article as the source
 * wrote it, every class and attribute still there.
 *
 * The subset of CSS: a type or *, then any of .class, #id, [attr] and
 * [attr=value] (the value bare or quoted), then more such compounds after
 * whitespace (descendant) or '>' (child); a comma separates alternatives.
 * Types and attribute names match in any case, classes, ids and values
 * exactly, as CSS does for HTML. The tree is the article's content: the
 * <html>, <body> or <article> around it are not part of it, and a selector
 * that matches nothing in the whole book gets a warning saying so.
 */
#include <stdatomic.h>
#include <string.h>

#include <libxml/tree.h>

#include "layout/layout.h"

enum part_kind { PART_CLASS, PART_ID, PART_ATTR, PART_ATTR_EQ };

struct part {
  enum part_kind kind;
  char *name;  /* class, id or attribute name */
  char *value; /* for PART_ATTR_EQ */
};

/* One compound selector ("div.note[data-x]") and how it relates to the
 * compound before it. */
struct compound {
  char *type; /* NULL: any element */
  struct part *parts;
  size_t nparts;
  bool child; /* '>' before it: the previous compound is the parent */
};

struct complex {
  struct compound *c;
  size_t n;
  size_t origin; /* the option string it came from */
};

struct sheaf_selectors {
  struct complex *sel;
  size_t n, cap;
  const char *const *text; /* the option strings (borrowed), for messages */
  /* Per option string: has it removed anything yet? Set from the layout's
   * threads (parallel.c), hence atomic; only ever 0 then 1. */
  atomic_bool *hits;
  size_t ntext;
};

static void compound_fini(struct compound *c)
{
  size_t i;

  sheaf_free(c->type);
  for (i = 0; i < c->nparts; i++) {
    sheaf_free(c->parts[i].name);
    sheaf_free(c->parts[i].value);
  }
  sheaf_free(c->parts);
}

void sheaf_selectors_free(struct sheaf_selectors *s)
{
  size_t i, k;

  if (!s)
    return;
  for (i = 0; i < s->n; i++) {
    for (k = 0; k < s->sel[i].n; k++)
      compound_fini(&s->sel[i].c[k]);
    sheaf_free(s->sel[i].c);
  }
  sheaf_free(s->sel);
  sheaf_free(s->hits);
  sheaf_free(s);
}

/* ---- parsing ------------------------------------------------------------- */

static bool name_char(char ch)
{
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
         (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || (unsigned char)ch >= 0x80;
}

struct parser {
  const char *p;
  const char *why; /* what was wrong, for the message */
  bool nomem;
};

static void skip_ws(struct parser *ps)
{
  while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n')
    ps->p++;
}

/* Reads a name (an identifier); NULL when there is none. */
static char *name(struct parser *ps, const char *what)
{
  const char *s = ps->p;
  char *r;

  while (name_char(*ps->p))
    ps->p++;
  if (ps->p == s) {
    ps->why = what;
    return NULL;
  }
  if ((r = sheaf_strndup(s, (size_t)(ps->p - s))) == NULL)
    ps->nomem = true;
  return r;
}

static bool add_part(struct parser *ps, struct compound *c, enum part_kind kind, char *nm,
                     char *value)
{
  struct part *np;

  if (!nm || (kind == PART_ATTR_EQ && !value) ||
      !(np = sheaf_realloc(c->parts, (c->nparts + 1) * sizeof *np))) {
    if (nm && (kind != PART_ATTR_EQ || value))
      ps->nomem = true;
    sheaf_free(nm);
    sheaf_free(value);
    return false;
  }
  c->parts = np;
  c->parts[c->nparts++] = (struct part){kind, nm, value};
  return true;
}

/* [attr] or [attr=value] or [attr="value"], after the '['. */
static bool attribute(struct parser *ps, struct compound *c)
{
  char *nm, *value = NULL;

  skip_ws(ps);
  if ((nm = name(ps, "an attribute name after '['")) == NULL)
    return false;
  skip_ws(ps);
  if (*ps->p == ']') {
    ps->p++;
    return add_part(ps, c, PART_ATTR, nm, NULL);
  }
  if (*ps->p != '=') {
    ps->why = "'=' or ']' in an attribute selector (only [attr] and [attr=value] are "
              "supported)";
    sheaf_free(nm);
    return false;
  }
  ps->p++;
  skip_ws(ps);
  if (*ps->p == '"' || *ps->p == '\'') {
    char q = *ps->p++;
    const char *end = strchr(ps->p, q);
    if (!end) {
      ps->why = "the closing quote of an attribute value";
      sheaf_free(nm);
      return false;
    }
    if ((value = sheaf_strndup(ps->p, (size_t)(end - ps->p))) == NULL)
      ps->nomem = true;
    ps->p = end + 1;
  } else if ((value = name(ps, "an attribute value")) == NULL) {
    sheaf_free(nm);
    return false;
  }
  skip_ws(ps);
  if (*ps->p != ']') {
    ps->why = "']' after an attribute value";
    sheaf_free(nm);
    sheaf_free(value);
    return false;
  }
  ps->p++;
  return add_part(ps, c, PART_ATTR_EQ, nm, value);
}

static bool compound(struct parser *ps, struct compound *c)
{
  bool any = false;

  memset(c, 0, sizeof *c);
  if (*ps->p == '*') {
    ps->p++;
    any = true;
  } else if (name_char(*ps->p)) {
    if ((c->type = name(ps, "")) == NULL)
      return false;
    any = true;
  }
  for (;;) {
    if (*ps->p == '.') {
      ps->p++;
      if (!add_part(ps, c, PART_CLASS, name(ps, "a class name after '.'"), NULL))
        return false;
    } else if (*ps->p == '#') {
      ps->p++;
      if (!add_part(ps, c, PART_ID, name(ps, "an id after '#'"), NULL))
        return false;
    } else if (*ps->p == '[') {
      ps->p++;
      if (!attribute(ps, c))
        return false;
    } else {
      break;
    }
    any = true;
  }
  if (!any)
    ps->why = "an element name, '.class', '#id' or '[attr]'";
  return any;
}

/* One complex selector, up to a comma or the end. */
static bool complex_sel(struct parser *ps, struct complex *x)
{
  bool child = false;

  memset(x, 0, sizeof *x);
  for (;;) {
    struct compound c, *nc;
    skip_ws(ps);
    if (!compound(ps, &c)) {
      compound_fini(&c);
      return false;
    }
    c.child = child;
    if (!(nc = sheaf_realloc(x->c, (x->n + 1) * sizeof *nc))) {
      compound_fini(&c);
      ps->nomem = true;
      return false;
    }
    x->c = nc;
    x->c[x->n++] = c;
    skip_ws(ps);
    if (*ps->p == '\0' || *ps->p == ',')
      return true;
    child = *ps->p == '>';
    if (child)
      ps->p++;
    else if (ps->p[-1] != ' ' && ps->p[-1] != '\t' && ps->p[-1] != '\n') {
      ps->why = "a selector sheaf supports (type, .class, #id, [attr], [attr=value], "
                "' ' and '>')";
      return false;
    }
  }
}

struct sheaf_selectors *sheaf_selectors_parse(const char *const *text, size_t ntext,
                                              sheaf_diag *diag, sheaf_status *status)
{
  struct sheaf_selectors *s = sheaf_calloc(1, sizeof *s);
  size_t i;

  *status = SHEAF_OK;
  if (!s || !(s->hits = sheaf_calloc(ntext ? ntext : 1, sizeof *s->hits)))
    goto nomem;
  s->text = text;
  s->ntext = ntext;
  for (i = 0; i < ntext; i++) {
    struct parser ps = {text[i], NULL, false};
    for (;;) {
      struct complex x;
      bool ok = complex_sel(&ps, &x);
      if (ok && !sheaf_grow((void **)&s->sel, &s->cap, s->n + 1, sizeof *s->sel)) {
        ps.nomem = true;
        ok = false;
      }
      if (ok) {
        x.origin = i;
        s->sel[s->n++] = x;
      }
      if (!ok) {
        size_t k;
        for (k = 0; k < x.n; k++)
          compound_fini(&x.c[k]);
        sheaf_free(x.c);
        if (ps.nomem)
          goto nomem;
        sheaf_diag_add(diag, SHEAF_ERROR, "usage", NULL, 0, 0,
                       "--remove '%s': expected %s at column %zu", text[i],
                       ps.why ? ps.why : "a selector", (size_t)(ps.p - text[i]) + 1);
        sheaf_selectors_free(s);
        *status = SHEAF_ERR_USAGE;
        return NULL;
      }
      if (*ps.p != ',')
        break;
      ps.p++;
    }
  }
  return s;
nomem:
  sheaf_selectors_free(s);
  *status = SHEAF_ERR_NOMEM;
  return NULL;
}

/* ---- matching ------------------------------------------------------------ */

static const char *prop(xmlNodePtr n, const char *nm)
{
  xmlAttrPtr a;

  for (a = n->properties; a; a = a->next)
    if (a->name && sheaf_ascii_casecmp((const char *)a->name, nm) == 0)
      return a->children && a->children->type == XML_TEXT_NODE
                 ? (const char *)a->children->content
                 : "";
  return NULL;
}

static bool match_compound(const struct compound *c, xmlNodePtr n)
{
  size_t i;

  if (n->type != XML_ELEMENT_NODE)
    return false;
  if (c->type && sheaf_ascii_casecmp((const char *)n->name, c->type) != 0)
    return false;
  for (i = 0; i < c->nparts; i++) {
    const struct part *p = &c->parts[i];
    const char *v;
    switch (p->kind) {
    case PART_CLASS:
      if (!sheaf_has_token(prop(n, "class"), p->name, false))
        return false;
      break;
    case PART_ID:
      if (!(v = prop(n, "id")) || strcmp(v, p->name) != 0)
        return false;
      break;
    case PART_ATTR:
      if (!prop(n, p->name))
        return false;
      break;
    case PART_ATTR_EQ:
      if (!(v = prop(n, p->name)) || strcmp(v, p->value) != 0)
        return false;
      break;
    }
  }
  return true;
}

/* Matches the child chain x->c[from..to] (compounds joined by '>') with
 * c[to] at `n`; returns the element c[from] matched, or NULL. */
static xmlNodePtr match_chain(const struct complex *x, size_t from, size_t to,
                              xmlNodePtr n, xmlNodePtr root)
{
  size_t k = to;

  for (;;) {
    if (!n || n == root || !match_compound(&x->c[k], n))
      return NULL;
    if (k == from)
      return n;
    k--;
    n = n->parent;
    if (n && n->type != XML_ELEMENT_NODE)
      return NULL;
  }
}

/* Does selector x match element `n` (within `root`)? Right to left, one
 * child chain at a time: the last chain must end at `n`; each earlier one
 * (joined by a descendant step) at the nearest ancestor where it fits.
 * The nearest is always right, since a chain matched higher up leaves
 * fewer ancestors for the rest; so the cost is depth x compounds, with no
 * backtracking a hostile nesting could blow up. */
static bool matches(const struct complex *x, xmlNodePtr n, xmlNodePtr root)
{
  size_t to = x->n - 1, from;
  xmlNodePtr top;

  from = to;
  while (from > 0 && x->c[from].child)
    from--;
  if ((top = match_chain(x, from, to, n, root)) == NULL)
    return false;
  while (from > 0) {
    xmlNodePtr up, found = NULL;
    to = from - 1;
    from = to;
    while (from > 0 && x->c[from].child)
      from--;
    for (up = top->parent; up && up != root && up->type == XML_ELEMENT_NODE && !found;
         up = up->parent)
      found = match_chain(x, from, to, up, root);
    if (!found)
      return false;
    top = found;
  }
  return true;
}

/* Counts, for the warning about selectors that match nothing, the
 * selectors that have not matched yet and match `n` or an element inside
 * it (which is about to go with it). Each selector is looked for only
 * until its first match, so this stays cheap. */
static void count_unmatched(struct sheaf_selectors *s, xmlNodePtr n, xmlNodePtr body)
{
  size_t i;
  xmlNodePtr d;

  for (i = 0; i < s->n; i++) {
    if (atomic_load_explicit(&s->hits[s->sel[i].origin], memory_order_relaxed))
      continue;
    for (d = n; d; d = sheaf_xml_next(d, n, false))
      if (d->type == XML_ELEMENT_NODE && matches(&s->sel[i], d, body)) {
        atomic_store_explicit(&s->hits[s->sel[i].origin], true, memory_order_relaxed);
        break;
      }
  }
}

size_t sheaf_selectors_remove(struct sheaf_selectors *s, xmlNodePtr body)
{
  xmlNodePtr n = body->children, next;
  size_t removed = 0, i;

  if (!s || s->n == 0)
    return 0;
  while (n) {
    bool hit = false;
    for (i = 0; i < s->n && !hit && n->type == XML_ELEMENT_NODE; i++)
      hit = matches(&s->sel[i], n, body);
    if (!hit) {
      n = sheaf_xml_next(n, body, false);
      continue;
    }
    count_unmatched(s, n, body);
    next = sheaf_xml_next(n, body, true);
    xmlUnlinkNode(n);
    xmlFreeNode(n);
    removed++;
    n = next;
  }
  return removed;
}

sheaf_status sheaf_layout_check_options(const sheaf_options *options, sheaf_diag *diag)
{
  sheaf_options opt;
  sheaf_status st = sheaf_options_resolve(options, &opt, diag);

  if (st == SHEAF_OK && opt.nremove)
    sheaf_selectors_free(sheaf_selectors_parse(opt.remove, opt.nremove, diag, &st));
  return st;
}

void sheaf_selectors_report(const struct sheaf_selectors *s, sheaf_diag *diag)
{
  size_t i;

  for (i = 0; s && i < s->ntext; i++)
    if (!atomic_load_explicit(&s->hits[i], memory_order_relaxed))
      sheaf_diag_add(
          diag, SHEAF_WARNING, "remove", NULL, 0, 0,
          "--remove '%s' matched nothing in any article; selectors see each "
          "article's content, without the <html>, <body> or <article> around it",
          s->text[i]);
}
