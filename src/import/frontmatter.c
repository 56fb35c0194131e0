/*
 * This file contains the front-matter reader for Markdown files: the subset
 * of YAML ("---" ... "---" or "...") and TOML ("+++" ... "+++") that blog
 * engines (Jekyll, Hugo, Hexo) put at the top of a post. It reads scalars
 * (plain, quoted, folded and literal), flow and block lists, numbers,
 * booleans and dates, skips nested maps and tables, and keeps only the keys
 * a book needs. It is deliberately forgiving: a line it cannot read gets a
 * warning with its line number and is passed over, and front matter that is
 * never closed is read as body text, so no text of the post is lost.
 */
#include <string.h>

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

static size_t indent_of(const struct line *l)
{
  size_t i = 0;
  while (i < l->n && (l->p[i] == ' ' || l->p[i] == '\t'))
    i++;
  return i;
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

/* Appends the UTF-8 encoding of code point `c`. */
static void put_utf8(struct sheaf_buf *b, unsigned long c)
{
  char u[4];
  if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
    c = 0xFFFD;
  if (c < 0x80) {
    sheaf_buf_putc(b, (char)c);
  } else if (c < 0x800) {
    u[0] = (char)(0xC0 | (c >> 6));
    u[1] = (char)(0x80 | (c & 0x3F));
    sheaf_buf_put(b, u, 2);
  } else if (c < 0x10000) {
    u[0] = (char)(0xE0 | (c >> 12));
    u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
    u[2] = (char)(0x80 | (c & 0x3F));
    sheaf_buf_put(b, u, 3);
  } else {
    u[0] = (char)(0xF0 | (c >> 18));
    u[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    u[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    u[3] = (char)(0x80 | (c & 0x3F));
    sheaf_buf_put(b, u, 4);
  }
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
        put_utf8(out, j ? cp : 0xFFFD);
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

/* Reads a block scalar ("|" or ">") whose lines are indented more than the
 * key. Literal keeps line breaks; folded joins lines with spaces and keeps
 * blank lines as breaks. Trailing breaks are dropped. */
static void yaml_block_scalar(struct val *v, bool folded, const struct line *lines,
                              size_t nl, size_t *k)
{
  struct sheaf_buf b;
  size_t ind = 0, j = *k;
  bool first = true;

  /* The scalar runs to the first non-blank line back at the key's column. */
  for (; j < nl; j++) {
    size_t li = indent_of(&lines[j]);
    if (li == lines[j].n)
      continue;
    if (li == 0)
      break;
    if (ind == 0)
      ind = li;
  }
  sheaf_buf_init(&b, 0);
  for (; *k < j; (*k)++) {
    const struct line *l = &lines[*k];
    size_t li = indent_of(l);
    if (li == l->n) {
      if (!first)
        sheaf_buf_putc(&b, '\n');
      continue;
    }
    if (!first && !(folded && b.len && b.ptr[b.len - 1] == '\n'))
      sheaf_buf_putc(&b, folded ? ' ' : '\n');
    if (li > ind)
      li = ind;
    sheaf_buf_put(&b, l->p + li, l->n - li);
    first = false;
  }
  while (b.len && (b.ptr[b.len - 1] == '\n' || b.ptr[b.len - 1] == ' '))
    b.ptr[--b.len] = '\0';
  if (b.failed)
    v->nomem = true;
  else if (b.len)
    val_push(v, b.ptr, b.len);
  sheaf_buf_fini(&b);
}

/* Finds "key:" on a line: the first colon followed by a space or the end.
 * Returns false when there is none. */
static bool yaml_key(const struct line *l, size_t from, struct sheaf_str *key,
                     size_t *after, struct sheaf_buf *tmp)
{
  size_t i = from;
  const char *p = l->p;

  if (i < l->n && (p[i] == '"' || p[i] == '\'')) {
    sheaf_buf_reset(tmp);
    if (!read_quoted(p, l->n, &i, tmp))
      return false;
    while (i < l->n && p[i] == ' ')
      i++;
    if (i >= l->n || p[i] != ':')
      return false;
    *key = (struct sheaf_str){tmp->ptr, tmp->len};
    *after = i + 1;
    return true;
  }
  for (; i < l->n; i++) {
    if (p[i] == ':' && (i + 1 == l->n || p[i + 1] == ' ' || p[i + 1] == '\t')) {
      *key = trim(p + from, i - from);
      *after = i + 1;
      return key->n > 0;
    }
    if (p[i] == '#' && i > from && p[i - 1] == ' ')
      return false;
  }
  return false;
}

/* The value of a key whose own line is empty: a block list, or a nested map
 * (skipped, except for an author's name), on the lines after it. */
static void yaml_children(struct ctx *c, struct sheaf_str key, struct val *v,
                          const struct line *lines, size_t nl, size_t *k, bool *ok)
{
  struct sheaf_buf tmp;
  size_t j = *k;

  sheaf_buf_init(&tmp, 0);
  for (; j < nl; j++) {
    const struct line *l = &lines[j];
    size_t li = indent_of(l);
    if (li == l->n || l->p[li] == '#')
      continue;
    /* A block list may sit at the key's own indentation ("tags:\n- a"). */
    if (li == 0 && !(l->p[0] == '-' && (l->n == 1 || l->p[1] == ' ')))
      break;
    if (l->p[li] == '-' &&
        (li + 1 == l->n || l->p[li + 1] == ' ' || l->p[li + 1] == '\t')) {
      struct sheaf_str item = trim(l->p + li + 1, l->n - li - 1);
      struct sheaf_str ik;
      size_t after;
      struct line sub = {item.p, item.n, l->no};
      v->list = true;
      if (item.n && item.p[0] == '[') {
        continue; /* nested list: skipped */
      } else if (item.n && item.p[0] != '"' && item.p[0] != '\'' &&
                 yaml_key(&sub, 0, &ik, &after, &tmp)) {
        /* "- name: Ann": a list of maps; keep a name if it has one. */
        if (key_is(ik, "name"))
          push_scalar(v, item.p + after, item.n - after, ok);
      } else {
        push_scalar(v, item.p, item.n, ok);
      }
    } else if (li > 0 && key_is(key, "author")) {
      struct sheaf_str ik;
      size_t after;
      if (yaml_key(l, li, &ik, &after, &tmp) && key_is(ik, "name"))
        push_scalar(v, l->p + after, l->n - after, ok);
    }
  }
  *k = j;
  (void)c;
  sheaf_buf_fini(&tmp);
}

static void parse_yaml(struct ctx *c, const struct line *lines, size_t nl)
{
  size_t k = 0;
  struct sheaf_buf tmp;

  sheaf_buf_init(&tmp, 0);
  while (k < nl) {
    const struct line *l = &lines[k];
    size_t li = indent_of(l), after;
    struct sheaf_str key, rest;
    struct val v;
    char *keycopy;
    bool ok = true;

    if (li == l->n || l->p[li] == '#' || li > 0) {
      /* Blank, comment, or the rest of something already passed over. */
      k++;
      continue;
    }
    if (!yaml_key(l, 0, &key, &after, &tmp)) {
      warn(c, l->no, "expected \"key: value\"");
      k++;
      continue;
    }
    if ((keycopy = sheaf_strndup(key.p, key.n)) == NULL) {
      c->nomem = true;
      break;
    }
    key = (struct sheaf_str){keycopy, key.n};
    memset(&v, 0, sizeof v);
    rest = trim(l->p + after, l->n - after);
    k++;
    /* Tags and anchors in front of a value ("!!str 2013", "&a x") are
     * dropped: the value is what counts here. */
    while (rest.n && (rest.p[0] == '!' || rest.p[0] == '&')) {
      size_t w = 0;
      while (w < rest.n && rest.p[w] != ' ')
        w++;
      rest = trim(rest.p + w, rest.n - w);
    }
    if (rest.n == 0 || rest.p[0] == '#') {
      yaml_children(c, key, &v, lines, nl, &k, &ok);
    } else if (rest.p[0] == '|' || rest.p[0] == '>') {
      yaml_block_scalar(&v, rest.p[0] == '>', lines, nl, &k);
    } else if (rest.p[0] == '[' || rest.p[0] == '{') {
      struct sheaf_buf b;
      sheaf_buf_init(&b, 0);
      join_flow(rest.p, rest.n, lines, nl, &k, &b, &ok);
      if (b.failed)
        c->nomem = true;
      else if (rest.p[0] == '[')
        push_flow_items(&v, b.ptr + 1, b.len > 1 ? b.len - 2 : 0, &ok);
      else if (key_is(key, "author")) {
        /* author: {name: Ann, email: ...} */
        const char *nm = strstr(b.ptr, "name:");
        if (nm) {
          size_t e = strcspn(nm + 5, ",}");
          push_scalar(&v, nm + 5, e, &ok);
        }
      }
      sheaf_buf_fini(&b);
    } else if (rest.p[0] == '"' || rest.p[0] == '\'') {
      /* A quoted scalar may run over several lines. */
      struct sheaf_buf b;
      size_t i = 0, j = k;
      sheaf_buf_init(&b, 0);
      {
        const char *start = rest.p;
        const char *end = rest.p + rest.n;
        struct sheaf_buf s;
        bool closed;
        sheaf_buf_init(&s, 0);
        sheaf_buf_put(&s, start, (size_t)(end - start));
        closed = read_quoted(s.ptr, s.len, &i, &b);
        while (!closed && j < nl && indent_of(&lines[j]) > 0) {
          sheaf_buf_putc(&s, '\n');
          sheaf_buf_put(&s, lines[j].p, lines[j].n);
          j++;
          i = 0;
          sheaf_buf_reset(&b);
          closed = read_quoted(s.ptr, s.len, &i, &b);
        }
        if (!closed) {
          ok = false;
        } else {
          k = j;
          if (b.failed)
            c->nomem = true;
          else
            val_push(&v, b.ptr, b.len);
        }
        if (s.failed)
          c->nomem = true;
        sheaf_buf_fini(&s);
      }
      sheaf_buf_fini(&b);
    } else {
      /* A plain scalar, perhaps continued on more-indented lines. */
      struct sheaf_buf b;
      sheaf_buf_init(&b, 0);
      sheaf_buf_put(&b, rest.p, plain_end(rest.p, rest.n));
      while (k < nl && indent_of(&lines[k]) > 0 && indent_of(&lines[k]) < lines[k].n) {
        struct sheaf_str more = trim(lines[k].p, lines[k].n);
        sheaf_buf_putc(&b, ' ');
        sheaf_buf_put(&b, more.p, plain_end(more.p, more.n));
        k++;
      }
      push_scalar(&v, b.ptr, b.len, &ok);
      if (b.failed)
        c->nomem = true;
      sheaf_buf_fini(&b);
    }
    if (!ok)
      warn(c, l->no, "a quote or bracket is not closed");
    else
      store(c, key, &v, true, l->no);
    val_fini(&v);
    sheaf_free(keycopy);
  }
  sheaf_buf_fini(&tmp);
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
