/*
 * This file contains the front-matter reader for Markdown files: YAML
 * ("---" ... "---" or "...") through libyaml's event parser, and the subset
 * of TOML ("+++" ... "+++") that blog engines (Hugo) put at the top of a
 * post. It keeps only the keys a book needs: scalars, lists (flow and
 * block), an author's name; nested maps and tables are skipped. It is
 * deliberately forgiving: an entry it cannot read gets a warning with its
 * line number and is passed over, and front matter that is never closed is
 * read as body text, so no text of the post is lost.
 */
#include <stdio.h>
#include <string.h>

#include <yaml.h>

#include "import/import.h"

#define CODE "front-matter"

struct line {
  const char *p; /* start of the line */
  size_t n;      /* length without the line break (and without a CR) */
  unsigned no;   /* 1-based line number in the file */
};

/* One value as read: a scalar is a list of one item. */
struct val {
  char **v;
  size_t n, cap;
  bool list; /* written as a list ([a, b] or "- a" lines) */
  bool nomem;
};

struct ctx {
  struct sheaf_frontmatter *fm;
  const char *file;
  sheaf_diag *diag;
  bool nomem;
};

/* ---- small helpers --------------------------------------------------------- */

static bool is_blank_str(const char *p, size_t n)
{
  size_t i;
  for (i = 0; i < n; i++)
    if (p[i] != ' ' && p[i] != '\t')
      return false;
  return true;
}

static struct sheaf_str trim(const char *p, size_t n)
{
  return sheaf_str_trim((struct sheaf_str){p, n});
}

static bool val_push(struct val *v, const char *p, size_t n)
{
  char *s;
  if (!sheaf_grow((void **)&v->v, &v->cap, v->n + 1, sizeof *v->v) ||
      (s = sheaf_strndup(p, n)) == NULL) {
    v->nomem = true;
    return false;
  }
  v->v[v->n++] = s;
  return true;
}

static void val_fini(struct val *v)
{
  size_t i;
  for (i = 0; i < v->n; i++)
    sheaf_free(v->v[i]);
  sheaf_free(v->v);
  memset(v, 0, sizeof *v);
}

/* Reads a quoted string starting at p[*i] (the quote). Double quotes take
 * YAML and TOML escapes; single quotes take '' (YAML) and nothing else.
 * Line breaks inside (YAML lets quoted scalars span lines) fold to a space.
 * Returns false when the closing quote is missing; *i is left after it. */
static bool read_quoted(const char *p, size_t n, size_t *i, struct sheaf_buf *out)
{
  char q = p[*i];
  size_t k = *i + 1;

  while (k < n) {
    char c = p[k];
    if (c == q) {
      if (q == '\'' && k + 1 < n && p[k + 1] == '\'') {
        sheaf_buf_putc(out, '\'');
        k += 2;
        continue;
      }
      *i = k + 1;
      return true;
    }
    if (c == '\n' || c == '\r') {
      /* Folding: the break and the indentation around it become one space. */
      while (out->len &&
             (out->ptr[out->len - 1] == ' ' || out->ptr[out->len - 1] == '\t'))
        out->len--, out->ptr[out->len] = '\0';
      while (k < n && (p[k] == '\n' || p[k] == '\r' || p[k] == ' ' || p[k] == '\t'))
        k++;
      sheaf_buf_putc(out, ' ');
      continue;
    }
    if (c == '\\' && q == '"' && k + 1 < n) {
      char e = p[k + 1];
      unsigned long cp = 0;
      int digits = 0, j;
      k += 2;
      switch (e) {
      case 'n':
        sheaf_buf_putc(out, '\n');
        break;
      case 't':
        sheaf_buf_putc(out, '\t');
        break;
      case 'r':
        sheaf_buf_putc(out, '\r');
        break;
      case 'b':
        sheaf_buf_putc(out, '\b');
        break;
      case 'f':
        sheaf_buf_putc(out, '\f');
        break;
      case '0':
        break; /* NUL: dropped, strings are C strings */
      case 'e':
        sheaf_buf_putc(out, 0x1b);
        break;
      case ' ':
        sheaf_buf_putc(out, ' ');
        break;
      case '/':
        sheaf_buf_putc(out, '/');
        break;
      case '"':
        sheaf_buf_putc(out, '"');
        break;
      case '\\':
        sheaf_buf_putc(out, '\\');
        break;
      case 'x':
        digits = 2;
        break;
      case 'u':
        digits = 4;
        break;
      case 'U':
        digits = 8;
        break;
      case '\n':
      case '\r': /* escaped line break: joined without a space */
        while (k < n && (p[k] == '\n' || p[k] == '\r' || p[k] == ' ' || p[k] == '\t'))
          k++;
        break;
      default: /* unknown escape: kept as written, nothing lost */
        sheaf_buf_putc(out, '\\');
        sheaf_buf_putc(out, e);
      }
      if (digits) {
        for (j = 0; j < digits && k < n && sheaf_hexval((unsigned char)p[k]) >= 0;
             j++, k++)
          cp = cp * 16 + (unsigned long)sheaf_hexval((unsigned char)p[k]);
        sheaf_buf_put_utf8(out, j ? (uint32_t)cp : 0xFFFD);
      }
      continue;
    }
    sheaf_buf_putc(out, c);
    k++;
  }
  *i = n;
  return false;
}

/* Returns the end of a plain value: before a " #" comment. */
static size_t plain_end(const char *p, size_t n)
{
  size_t i;
  for (i = 0; i < n; i++)
    if (p[i] == '#' && (i == 0 || p[i - 1] == ' ' || p[i - 1] == '\t'))
      return i;
  return n;
}

/* Pushes one scalar written at p[0..n): quoted or plain. `ok` is cleared
 * when a quote is not closed. */
static void push_scalar(struct val *v, const char *p, size_t n, bool *ok)
{
  struct sheaf_str s = trim(p, n);
  struct sheaf_buf b;

  if (s.n && (s.p[0] == '"' || s.p[0] == '\'')) {
    size_t i = 0;
    sheaf_buf_init(&b, 0);
    if (!read_quoted(s.p, s.n, &i, &b))
      *ok = false;
    if (b.failed)
      v->nomem = true;
    else
      val_push(v, b.ptr, b.len);
    sheaf_buf_fini(&b);
    return;
  }
  s = trim(s.p, plain_end(s.p, s.n));
  /* YAML nulls are no value at all. */
  if ((s.n == 1 && s.p[0] == '~') || (s.n == 4 && memcmp(s.p, "null", 4) == 0))
    return;
  if (s.n)
    val_push(v, s.p, s.n);
}

/* Splits the inside of a flow list "a, 'b, c', [x]" into items. */
static void push_flow_items(struct val *v, const char *p, size_t n, bool *ok)
{
  size_t i = 0, start = 0;
  int depth = 0;

  v->list = true;
  for (; i <= n; i++) {
    char c = i < n ? p[i] : ',';
    if ((c == '"' || c == '\'') && i < n) {
      struct sheaf_buf tmp;
      sheaf_buf_init(&tmp, 0);
      if (!read_quoted(p, n, &i, &tmp))
        *ok = false;
      sheaf_buf_fini(&tmp);
      i--;
    } else if (c == '[' || c == '{') {
      depth++;
    } else if (c == ']' || c == '}') {
      depth--;
    } else if (c == ',' && depth <= 0) {
      struct sheaf_str item = trim(p + start, i - start);
      if (item.n && item.p[0] != '[' && item.p[0] != '{')
        push_scalar(v, item.p, item.n, ok);
      start = i + 1;
    }
  }
}

/* Joins lines[*k..] until the brackets opened in `first` are balanced, with
 * comments outside quotes removed. Returns the joined text in `b` and
 * advances *k past the lines used. `ok` is cleared when they never close. */
static void join_flow(const char *first, size_t nfirst, const struct line *lines,
                      size_t nl, size_t *k, struct sheaf_buf *b, bool *ok)
{
  int depth = 0;
  char q = 0;
  const char *p = first;
  size_t n = nfirst;

  for (;;) {
    size_t i;
    for (i = 0; i < n; i++) {
      char c = p[i];
      if (q) {
        if (c == '\\' && q == '"' && i + 1 < n) {
          sheaf_buf_put(b, p + i, 2);
          i++;
          continue;
        }
        if (c == q)
          q = 0;
      } else if (c == '"' || c == '\'') {
        q = c;
      } else if (c == '#' && (i == 0 || p[i - 1] == ' ' || p[i - 1] == '\t' ||
                              p[i - 1] == ',' || p[i - 1] == '[')) {
        break; /* a comment to the end of the line */
      } else if (c == '[' || c == '{') {
        depth++;
      } else if (c == ']' || c == '}') {
        if (--depth == 0) {
          sheaf_buf_put(b, p, i + 1);
          return;
        }
      }
    }
    sheaf_buf_put(b, p, i);
    sheaf_buf_putc(b, ' ');
    if (*k >= nl) {
      *ok = false;
      return;
    }
    p = lines[*k].p;
    n = lines[*k].n;
    (*k)++;
    q = 0; /* a quote does not run across lines in a flow list here */
  }
}

static bool is_true(const char *s)
{
  return sheaf_ascii_casecmp(s, "true") == 0 || sheaf_ascii_casecmp(s, "yes") == 0 ||
         sheaf_ascii_casecmp(s, "on") == 0;
}

static bool is_false(const char *s)
{
  return sheaf_ascii_casecmp(s, "false") == 0 || sheaf_ascii_casecmp(s, "no") == 0 ||
         sheaf_ascii_casecmp(s, "off") == 0;
}

static bool key_is(struct sheaf_str key, const char *name)
{
  return sheaf_str_ieq(key, name);
}

/* ---- storing the keys a book needs --------------------------------------- */

static void add_list(struct ctx *c, char ***arr, size_t *n, const char *s, size_t len)
{
  size_t cap = *n, i;
  char *copy;
  struct sheaf_str t = trim(s, len);

  if (t.n == 0)
    return;
  for (i = 0; i < *n; i++)
    if (strlen((*arr)[i]) == t.n && memcmp((*arr)[i], t.p, t.n) == 0)
      return;
  if (!sheaf_grow((void **)arr, &cap, *n + 1, sizeof **arr) ||
      (copy = sheaf_strndup(t.p, t.n)) == NULL) {
    c->nomem = true;
    return;
  }
  (*arr)[(*n)++] = copy;
}

/* Adds each item; with `split`, a scalar is split at spaces the way Jekyll
 * reads "tags: foo bar". */
static void add_items(struct ctx *c, char ***arr, size_t *n, const struct val *v,
                      bool split)
{
  size_t i;
  for (i = 0; i < v->n; i++) {
    const char *s = v->v[i];
    if (split && !v->list) {
      while (*s) {
        size_t w = strcspn(s, " \t,");
        add_list(c, arr, n, s, w);
        s += w;
        s += strspn(s, " \t,");
      }
    } else {
      add_list(c, arr, n, s, strlen(s));
    }
  }
}

/* Sets *field to the value (items joined with ", ") unless already set. */
static void set_str(struct ctx *c, char **field, const struct val *v)
{
  struct sheaf_buf b;
  size_t i;

  if (*field || v->n == 0)
    return;
  sheaf_buf_init(&b, 0);
  for (i = 0; i < v->n; i++) {
    if (i)
      sheaf_buf_puts(&b, ", ");
    sheaf_buf_puts(&b, v->v[i]);
  }
  if (b.failed || (*field = sheaf_buf_detach(&b, NULL)) == NULL)
    c->nomem = true;
  sheaf_buf_fini(&b);
}

/* Hands a value to the field its key names; other keys are ignored. */
static void store(struct ctx *c, struct sheaf_str key, const struct val *v, bool yaml,
                  unsigned line)
{
  struct sheaf_frontmatter *fm = c->fm;

  if (v->nomem)
    c->nomem = true;
  if (key_is(key, "title")) {
    set_str(c, &fm->title, v);
  } else if (key_is(key, "date") || key_is(key, "publishdate") ||
             key_is(key, "pubdate")) {
    if (fm->date == NULL)
      fm->date_line = line;
    set_str(c, &fm->date, v);
  } else if (key_is(key, "updated") || key_is(key, "lastmod") ||
             key_is(key, "modified")) {
    if (fm->updated == NULL)
      fm->updated_line = line;
    set_str(c, &fm->updated, v);
  } else if (key_is(key, "tags") || key_is(key, "tag")) {
    add_items(c, &fm->tags, &fm->ntags, v, yaml && key_is(key, "tags"));
  } else if (key_is(key, "categories")) {
    add_items(c, &fm->categories, &fm->ncategories, v, yaml);
  } else if (key_is(key, "category")) {
    add_items(c, &fm->categories, &fm->ncategories, v, false);
  } else if (key_is(key, "author") || key_is(key, "authors")) {
    add_items(c, &fm->authors, &fm->nauthors, v, false);
  } else if (key_is(key, "slug")) {
    set_str(c, &fm->slug, v);
  } else if (key_is(key, "lang") || key_is(key, "language")) {
    set_str(c, &fm->language, v);
  } else if (key_is(key, "description") || key_is(key, "excerpt") ||
             key_is(key, "summary")) {
    set_str(c, &fm->summary, v);
  } else if (key_is(key, "draft")) {
    if (v->n == 1 && is_true(v->v[0]))
      fm->draft = true;
  } else if (key_is(key, "published")) {
    if (v->n == 1 && is_false(v->v[0]))
      fm->draft = true;
  }
}

static void warn(struct ctx *c, unsigned line, const char *what)
{
  sheaf_diag_add(c->diag, SHEAF_WARNING, CODE, c->file, line, 0,
                 "front matter: %s; the line is ignored", what);
}

/* ---- YAML ------------------------------------------------------------------ */

/* YAML is read by libyaml's event parser; no document tree is built, so an
 * alias is never expanded (no "billion laughs"): it gets a warning and
 * stands for no value. Front matter that libyaml reads whole is taken as
 * it says. Front matter it refuses is read again entry by entry (an entry:
 * a line at the left margin and the lines below it), so one broken line
 * costs only its own key, with a warning that names it. */

/* The reader of one text: the keys at the top level of its mapping, and,
 * inside their values, list items and the "name" of an author map (or of
 * the maps in a list: "- name: Ann"). */
struct ywalk {
  struct ctx *c;
  unsigned line0; /* file line of the text's first line */
  int depth;      /* collections open; the top-level mapping is depth 1 */
  struct {
    bool map;       /* a mapping (else a sequence) */
    bool key_turn;  /* mapping: the next node is a key */
    bool name_next; /* mapping: the next value belongs to a "name" key */
  } f[4];           /* frames of depth 1..3; deeper ones are only counted */
  char *key;        /* the current top-level key, or NULL while none */
  unsigned key_line;
  bool skip;      /* the current key's value is not used (an alias) */
  size_t aliases; /* aliases met; the first: */
  unsigned alias_line;
  char alias[32];
  bool stray; /* a top level that is not a mapping was warned about */
  struct val v;
};

static unsigned yline(const struct ywalk *w, const yaml_mark_t *m)
{
  return w->line0 + (unsigned)m->line;
}

/* A scalar as a value: plain nulls are no value; block scalars lose their
 * trailing line breaks. */
static void yaml_value(struct val *v, const yaml_event_t *e)
{
  const char *s = (const char *)e->data.scalar.value;
  size_t n = e->data.scalar.length;

  if (e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
      (n == 0 || (n == 1 && s[0] == '~') || (n == 4 && memcmp(s, "null", 4) == 0)))
    return;
  if (e->data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
      e->data.scalar.style == YAML_FOLDED_SCALAR_STYLE) {
    while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
      n--;
    if (n == 0)
      return;
  }
  val_push(v, s, n);
}

/* The value of the current key is complete: store it. */
static void yaml_store(struct ywalk *w)
{
  if (w->key && !w->skip)
    store(w->c, (struct sheaf_str){w->key, strlen(w->key)}, &w->v, true, w->key_line);
  if (w->v.nomem)
    w->c->nomem = true;
  val_fini(&w->v);
  sheaf_free(w->key);
  w->key = NULL;
  w->skip = false;
}

/* A node (scalar, alias or collection) took the value's place in the
 * innermost mapping, if that is where it stands. */
static void yaml_took_value(struct ywalk *w)
{
  if (w->depth >= 1 && w->depth <= 3 && w->f[w->depth].map) {
    w->f[w->depth].key_turn = true;
    w->f[w->depth].name_next = false;
  }
}

static void yaml_scalar(struct ywalk *w, const yaml_event_t *e)
{
  const char *s = (const char *)e->data.scalar.value;
  int d = w->depth;

  if (d == 0) {
    if (!w->stray)
      sheaf_diag_add(w->c->diag, SHEAF_WARNING, CODE, w->c->file,
                     yline(w, &e->start_mark), 0,
                     "front matter: expected \"key: value\"; the line is ignored");
    w->stray = true;
    return;
  }
  if (d > 3)
    return;
  if (w->f[d].map && w->f[d].key_turn) {
    w->f[d].key_turn = false;
    if (d == 1) {
      w->key = sheaf_strdup(s);
      w->key_line = yline(w, &e->start_mark);
      if (!w->key)
        w->c->nomem = true;
    } else {
      /* "name" counts in an author's map and in the maps of a list. */
      bool author = w->key && (sheaf_ascii_casecmp(w->key, "author") == 0);
      w->f[d].name_next = sheaf_ascii_casecmp(s, "name") == 0 &&
                          ((d == 2 && author) || (d == 3 && !w->f[2].map));
    }
    return;
  }
  if (d == 1)
    yaml_value(&w->v, e);
  else if ((d == 2 && !w->f[2].map) || (w->f[d].map && w->f[d].name_next))
    yaml_value(&w->v, e);
  yaml_took_value(w);
  if (d == 1)
    yaml_store(w);
}

/* Reads the YAML text p[0..n) (file line `line0` on), which yaml_valid()
 * accepted, into c->fm. */
static void yaml_read(struct ctx *c, const char *p, size_t n, unsigned line0)
{
  yaml_parser_t parser;
  yaml_event_t e;
  struct ywalk w;
  bool done = false;

  memset(&w, 0, sizeof w);
  w.c = c;
  w.line0 = line0;
  if (!yaml_parser_initialize(&parser)) {
    c->nomem = true;
    return;
  }
  yaml_parser_set_input_string(&parser, (const unsigned char *)p, n);
  yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
  while (!done && !c->nomem) {
    if (!yaml_parser_parse(&parser, &e)) {
      c->nomem = parser.error == YAML_MEMORY_ERROR;
      break;
    }
    switch (e.type) {
    case YAML_STREAM_END_EVENT:
      done = true;
      break;
    case YAML_SCALAR_EVENT:
      yaml_scalar(&w, &e);
      break;
    case YAML_ALIAS_EVENT:
      if (w.aliases++ == 0) {
        w.alias_line = yline(&w, &e.start_mark);
        snprintf(w.alias, sizeof w.alias, "%s", (const char *)e.data.alias.anchor);
      }
      if (w.depth >= 1 && w.depth <= 3 && w.f[w.depth].map && w.f[w.depth].key_turn) {
        w.f[w.depth].key_turn = false; /* an alias as a key */
        w.skip = w.skip || w.depth == 1;
      } else {
        yaml_took_value(&w);
        if (w.depth == 1) {
          w.skip = true;
          yaml_store(&w);
        }
      }
      break;
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
      bool map = e.type == YAML_MAPPING_START_EVENT;
      if (w.depth == 0 && !map && !w.stray) {
        sheaf_diag_add(c->diag, SHEAF_WARNING, CODE, c->file, yline(&w, &e.start_mark), 0,
                       "front matter: expected \"key: value\" lines, not a list");
        w.stray = true;
      }
      if (w.depth >= 1 && w.depth <= 3 && w.f[w.depth].map && w.f[w.depth].key_turn) {
        w.f[w.depth].key_turn = false; /* a collection as a key: its value is skipped */
        if (w.depth == 1)
          w.skip = true;
      } else if (w.depth == 1 && !map) {
        w.v.list = true;
      }
      w.depth++;
      if (w.depth <= 3) {
        w.f[w.depth].map = map;
        w.f[w.depth].key_turn = true;
        w.f[w.depth].name_next = false;
      }
      break;
    }
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
      w.depth--;
      yaml_took_value(&w);
      if (w.depth == 1)
        yaml_store(&w);
      break;
    default:
      break;
    }
    yaml_event_delete(&e);
  }
  if (w.aliases)
    sheaf_diag_add(c->diag, SHEAF_WARNING, CODE, c->file, w.alias_line, 0,
                   "front matter: %zu alias%s (*%s...) not expanded: each stands for "
                   "no value",
                   w.aliases, w.aliases == 1 ? "" : "es", w.alias);
  val_fini(&w.v);
  sheaf_free(w.key);
  yaml_parser_delete(&parser);
}

/* Finds "key:" on a line: the first colon followed by a space or the end. */
static bool plain_key(const struct line *l, struct sheaf_str *key, size_t *after)
{
  size_t i;

  for (i = 0; i < l->n; i++) {
    if (l->p[i] == ':' && (i + 1 == l->n || l->p[i + 1] == ' ' || l->p[i + 1] == '\t')) {
      *key = trim(l->p, i);
      *after = i + 1;
      return key->n > 0;
    }
    if (l->p[i] == '#' && i > 0 && l->p[i - 1] == ' ')
      return false;
  }
  return false;
}

/* An entry libyaml refused, read the way blog engines' users mean it when
 * it is "key: plain text" (a title with ": " in it is the usual case): the
 * text to the end of the line and of the lines indented below it. Returns
 * false when the entry has some other shape. */
static bool yaml_lenient(struct ctx *c, const struct line *lines, size_t nl)
{
  struct sheaf_str key, rest;
  struct sheaf_buf b;
  struct val v;
  size_t after, k;
  bool ok = true;

  if (!plain_key(&lines[0], &key, &after))
    return false;
  rest = trim(lines[0].p + after, lines[0].n - after);
  if (rest.n == 0 || strchr("\"'[{|>&*!%@`", rest.p[0]))
    return false;
  sheaf_buf_init(&b, 0);
  sheaf_buf_put(&b, rest.p, plain_end(rest.p, rest.n));
  for (k = 1; k < nl; k++) {
    struct sheaf_str more = trim(lines[k].p, lines[k].n);
    if (more.n == 0 || more.p[0] == '#')
      continue;
    sheaf_buf_putc(&b, ' ');
    sheaf_buf_put(&b, more.p, plain_end(more.p, more.n));
  }
  memset(&v, 0, sizeof v);
  push_scalar(&v, b.ptr, b.len, &ok);
  if (b.failed)
    c->nomem = true;
  sheaf_diag_add(c->diag, SHEAF_NOTE, CODE, c->file, lines[0].no, 0,
                 "front matter: \"%.*s\" is not valid YAML (quote a value that holds "
                 "\": \"); its value is read as plain text",
                 (int)(key.n > 40 ? 40 : key.n), key.p);
  store(c, key, &v, true, lines[0].no);
  val_fini(&v);
  sheaf_buf_fini(&b);
  return true;
}

/* Does a line start an entry: something at the left margin that is not a
 * comment and not an item of a block list ("tags:\n- a")? */
static bool entry_start(const struct line *l)
{
  return l->n && l->p[0] != ' ' && l->p[0] != '\t' && l->p[0] != '#' && l->p[0] != '\r' &&
         !(l->p[0] == '-' && (l->n == 1 || l->p[1] == ' ' || l->p[1] == '\t'));
}

static const char *lines_text(const struct line *lines, size_t a, size_t b, size_t *n)
{
  *n = (size_t)(lines[b - 1].p + lines[b - 1].n - lines[a].p);
  return lines[a].p;
}

/* Does libyaml read p[0..n) to its end? Events only: nothing is built.
 * When not, *err_line (counted from `line0`) and *problem say why. */
static bool yaml_valid(const char *p, size_t n, unsigned line0, unsigned *err_line,
                       const char **problem, bool *nomem)
{
  yaml_parser_t parser;
  yaml_event_t e;
  bool ok = true, done = false;

  if (!yaml_parser_initialize(&parser)) {
    *nomem = true;
    return false;
  }
  yaml_parser_set_input_string(&parser, (const unsigned char *)p, n);
  yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
  while (!done) {
    if (!yaml_parser_parse(&parser, &e)) {
      *nomem = parser.error == YAML_MEMORY_ERROR;
      *err_line = line0 + (unsigned)parser.problem_mark.line;
      *problem = parser.problem ? parser.problem : "not YAML";
      ok = false;
      break;
    }
    done = e.type == YAML_STREAM_END_EVENT;
    yaml_event_delete(&e);
  }
  yaml_parser_delete(&parser);
  return ok;
}

static void parse_yaml(struct ctx *c, const struct line *lines, size_t nl)
{
  unsigned line = 0;
  const char *problem = NULL, *p;
  size_t a, b, n;

  if (nl == 0)
    return;
  p = lines_text(lines, 0, nl, &n);
  if (yaml_valid(p, n, lines[0].no, &line, &problem, &c->nomem)) {
    yaml_read(c, p, n, lines[0].no);
    return;
  }
  /* Entry by entry, so one broken line costs only its own key. */
  for (a = 0; a < nl && !c->nomem; a = b) {
    if (!entry_start(&lines[a])) {
      b = a + 1; /* blank, a comment, or what an earlier entry left */
      continue;
    }
    for (b = a + 1; b < nl && !entry_start(&lines[b]); b++)
      ;
    p = lines_text(lines, a, b, &n);
    if (yaml_valid(p, n, lines[a].no, &line, &problem, &c->nomem))
      yaml_read(c, p, n, lines[a].no);
    else if (!c->nomem && !yaml_lenient(c, lines + a, b - a))
      sheaf_diag_add(c->diag, SHEAF_WARNING, CODE, c->file, line, 0,
                     "front matter: not valid YAML (%s); \"%.*s\" is ignored", problem,
                     (int)(lines[a].n > 40 ? 40 : lines[a].n), lines[a].p);
  }
}

/* ---- TOML ------------------------------------------------------------------ */

/* Reads a TOML multi-line string (""" or ''') whose text starts at `start`
 * (after the opening quotes) and may continue on lines[*k...]. */
static bool toml_multiline(const struct line *lines, size_t nl, size_t *k,
                           const char *start, size_t n, char q, struct sheaf_buf *out)
{
  const char *p = start;
  size_t len = n;
  bool any = false;
  char delim[3] = {q, q, q};

  for (;;) {
    const char *end = NULL;
    size_t i;
    for (i = 0; i + 3 <= len; i++)
      if (memcmp(p + i, delim, 3) == 0) {
        end = p + i;
        break;
      }
    /* A line break right after the opening quotes is not part of it. */
    if (any || len > 0) {
      if (any)
        sheaf_buf_putc(out, '\n');
      sheaf_buf_put(out, p, end ? (size_t)(end - p) : len);
      any = true;
    }
    if (end)
      return true;
    if (*k >= nl)
      return false;
    p = lines[*k].p;
    len = lines[*k].n;
    (*k)++;
  }
}

static void parse_toml(struct ctx *c, const struct line *lines, size_t nl)
{
  size_t k = 0;
  struct sheaf_buf tab, keyb;

  sheaf_buf_init(&tab, 0);
  sheaf_buf_init(&keyb, 0);
  while (k < nl) {
    const struct line *l = &lines[k];
    struct sheaf_str s = trim(l->p, l->n), key, rest;
    struct val v;
    size_t eq = 0, i;
    bool ok = true, in_author;

    k++;
    if (s.n == 0 || s.p[0] == '#')
      continue;
    if (s.p[0] == '[') {
      /* A table: its keys are not the page's own, except [author]. */
      struct sheaf_str name = trim(s.p + 1, s.n - 1);
      size_t e = 0;
      while (e < name.n && name.p[e] != ']')
        e++;
      sheaf_buf_reset(&tab);
      sheaf_buf_put(&tab, name.p, e);
      if (e == name.n)
        warn(c, l->no, "a table name is not closed");
      continue;
    }
    sheaf_buf_reset(&keyb);
    if (s.p[0] == '"' || s.p[0] == '\'') {
      i = 0;
      if (!read_quoted(s.p, s.n, &i, &keyb)) {
        warn(c, l->no, "a quote is not closed");
        continue;
      }
      while (i < s.n && (s.p[i] == ' ' || s.p[i] == '\t'))
        i++;
      eq = i;
    } else {
      for (eq = 0; eq < s.n && s.p[eq] != '='; eq++)
        ;
      key = trim(s.p, eq);
      sheaf_buf_put(&keyb, key.p, key.n);
    }
    if (eq >= s.n || s.p[eq] != '=') {
      warn(c, l->no, "expected \"key = value\"");
      continue;
    }
    key = (struct sheaf_str){keyb.ptr, keyb.len};
    in_author = tab.len && sheaf_str_ieq((struct sheaf_str){tab.ptr, tab.len}, "author");
    if (tab.len && !in_author) {
      /* Values of other tables may still span lines: skip those lines. */
      rest = trim(s.p + eq + 1, s.n - eq - 1);
      if (rest.n && (rest.p[0] == '[' || rest.p[0] == '{')) {
        struct sheaf_buf b;
        sheaf_buf_init(&b, 0);
        join_flow(rest.p, rest.n, lines, nl, &k, &b, &ok);
        sheaf_buf_fini(&b);
      }
      continue;
    }
    memset(&v, 0, sizeof v);
    rest = trim(s.p + eq + 1, s.n - eq - 1);
    if (rest.n >= 3 &&
        (memcmp(rest.p, "\"\"\"", 3) == 0 || memcmp(rest.p, "'''", 3) == 0)) {
      struct sheaf_buf b;
      sheaf_buf_init(&b, 0);
      if (!toml_multiline(lines, nl, &k, rest.p + 3, rest.n - 3, rest.p[0], &b))
        ok = false;
      else if (b.failed)
        c->nomem = true;
      else {
        struct sheaf_str t = trim(b.ptr, b.len);
        val_push(&v, t.p, t.n);
      }
      sheaf_buf_fini(&b);
    } else if (rest.n && (rest.p[0] == '[' || rest.p[0] == '{')) {
      struct sheaf_buf b;
      sheaf_buf_init(&b, 0);
      join_flow(rest.p, rest.n, lines, nl, &k, &b, &ok);
      if (b.failed)
        c->nomem = true;
      else if (rest.p[0] == '[')
        push_flow_items(&v, b.ptr + 1, b.len > 1 ? b.len - 2 : 0, &ok);
      else if (key_is(key, "author")) {
        const char *nm = strstr(b.ptr, "name");
        if (nm && (nm = strchr(nm, '=')) != NULL)
          push_scalar(&v, nm + 1, strcspn(nm + 1, ",}"), &ok);
      }
      sheaf_buf_fini(&b);
    } else {
      push_scalar(&v, rest.p, rest.n, &ok);
    }
    if (!ok)
      warn(c, l->no, "a quote or bracket is not closed");
    else if (in_author) {
      if (key_is(key, "name"))
        store(c, (struct sheaf_str){"author", 6}, &v, false, l->no);
    } else {
      store(c, key, &v, false, l->no);
    }
    val_fini(&v);
  }
  if (tab.failed || keyb.failed)
    c->nomem = true;
  sheaf_buf_fini(&tab);
  sheaf_buf_fini(&keyb);
}

/* ---- entry ----------------------------------------------------------------- */

void sheaf_frontmatter_init(struct sheaf_frontmatter *fm)
{
  memset(fm, 0, sizeof *fm);
}

static void free_list(char **v, size_t n)
{
  size_t i;
  for (i = 0; i < n; i++)
    sheaf_free(v[i]);
  sheaf_free(v);
}

void sheaf_frontmatter_fini(struct sheaf_frontmatter *fm)
{
  if (fm == NULL)
    return;
  sheaf_free(fm->title);
  sheaf_free(fm->date);
  sheaf_free(fm->updated);
  sheaf_free(fm->slug);
  sheaf_free(fm->language);
  sheaf_free(fm->summary);
  free_list(fm->tags, fm->ntags);
  free_list(fm->categories, fm->ncategories);
  free_list(fm->authors, fm->nauthors);
  memset(fm, 0, sizeof *fm);
}

/* Returns the end of the line starting at `i` (at its '\n' or n) and sets
 * *len to the length without a trailing CR. */
static size_t line_end(const char *p, size_t n, size_t i, size_t *len)
{
  const char *nl = memchr(p + i, '\n', n - i);
  size_t e = nl ? (size_t)(nl - p) : n;
  *len = e - i;
  if (*len && p[e - 1] == '\r')
    (*len)--;
  return e;
}

/* A delimiter line: the three characters, then only spaces or tabs. */
static bool is_delim(const char *p, size_t n, const char *d)
{
  return n >= 3 && memcmp(p, d, 3) == 0 && is_blank_str(p + 3, n - 3);
}

sheaf_status sheaf_frontmatter_parse(const char *p, size_t n,
                                     struct sheaf_frontmatter *fm, size_t *body_offset,
                                     unsigned *body_line, const char *file, sheaf_diag *d)
{
  struct ctx c = {fm, file, d, false};
  struct line *lines = NULL;
  size_t nl = 0, cap = 0, i, len, e, start = 0;
  unsigned no = 1;
  const char *close;
  bool closed = false;
  sheaf_status ret = SHEAF_OK;

  if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
    start = 3;
  *body_offset = start;
  *body_line = 1;
  fm->kind = SHEAF_FM_NONE;
  e = line_end(p, n, start, &len);
  if (is_delim(p + start, len, "---")) {
    fm->kind = SHEAF_FM_YAML;
    close = "---";
  } else if (is_delim(p + start, len, "+++")) {
    fm->kind = SHEAF_FM_TOML;
    close = "+++";
  } else {
    return SHEAF_OK;
  }
  for (i = e + 1; i < n + 1 && e < n; i = e + 1) {
    e = line_end(p, n, i, &len);
    no++;
    if (is_delim(p + i, len, close) ||
        (fm->kind == SHEAF_FM_YAML && is_delim(p + i, len, "..."))) {
      closed = true;
      break;
    }
    if (!sheaf_grow((void **)&lines, &cap, nl + 1, sizeof *lines)) {
      ret = SHEAF_ERR_NOMEM;
      goto out;
    }
    lines[nl].p = p + i;
    lines[nl].n = len;
    lines[nl].no = no;
    nl++;
  }
  if (!closed) {
    sheaf_diag_add(d, SHEAF_WARNING, CODE, file, 1, 0,
                   "front matter is not closed with \"%s\"; the file is read as "
                   "text, front matter included",
                   close);
    fm->kind = SHEAF_FM_NONE;
    goto out;
  }
  if (fm->kind == SHEAF_FM_YAML)
    parse_yaml(&c, lines, nl);
  else
    parse_toml(&c, lines, nl);
  if (c.nomem) {
    ret = SHEAF_ERR_NOMEM;
    goto out;
  }
  *body_offset = e < n ? e + 1 : n;
  *body_line = no + 1;
out:
  sheaf_free(lines);
  return ret;
}
