/*
 * This file contains the Markdown reader: one file becomes one article. The
 * front matter (frontmatter.c) gives title, dates, tags and authors; what it
 * lacks comes from the text (a leading heading for the title), the file name
 * (a Jekyll "2019-03-06-" prefix for the date, the name for the title) and
 * last the file's modification time. Template code that only a site
 * generator can run is taken out of the body: Liquid tags and output
 * ({% %}, {{ }}), Hugo shortcodes ({{< >}}, {{% %}}) and excerpt markers,
 * keeping the text inside paired tags, turning highlight blocks into fenced
 * code and leaving code spans and fenced code untouched (that is where docs
 * show template code on purpose). The body stays Markdown; the layout stage
 * renders it.
 */
#include <string.h>

#include "import/import.h"

/* How far to look for the end of a tag before taking "{%" as text. */
#define TAG_MAX 4096

struct pre {
  const char *p;
  size_t n;
  struct sheaf_buf out;
  size_t liquid_at, shortcode_at; /* offset of the first of each, + 1 */
};

static bool is_name(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '-';
}

/* ---- tags ------------------------------------------------------------------ */

/* One template tag: p[start..end) is all of it, name and args are views. */
struct tag {
  size_t start, end;
  struct sheaf_str name, args;
  bool closing; /* Hugo "{{< /x >}}" */
};

/* Reads a tag opened at p[i] by `open` ("{%", "{{<", "{{%") and closed by
 * `close`. Returns false when it is not closed within TAG_MAX bytes. */
static bool read_tag(const char *p, size_t n, size_t i, const char *open,
                     const char *close, struct tag *t)
{
  size_t lo = strlen(open), lc = strlen(close), k, lim, a, b;

  memset(t, 0, sizeof *t);
  t->start = i;
  k = i + lo;
  lim = n - i > TAG_MAX ? i + TAG_MAX : n;
  for (; k + lc <= lim; k++)
    if (memcmp(p + k, close, lc) == 0)
      break;
  if (k + lc > lim)
    return false;
  t->end = k + lc;
  a = i + lo;
  b = k;
  if (a < b && p[a] == '-') /* whitespace control "{%-" */
    a++;
  if (b > a && p[b - 1] == '-')
    b--;
  while (a < b && sheaf_is_xml_space(p[a]))
    a++;
  if (a < b && p[a] == '/') {
    t->closing = true;
    a++;
    while (a < b && sheaf_is_xml_space(p[a]))
      a++;
  }
  t->name.p = p + a;
  while (a < b && is_name(p[a]))
    a++;
  t->name.n = (size_t)(p + a - t->name.p);
  t->args = sheaf_str_trim((struct sheaf_str){p + a, b - a});
  return true;
}

/* Finds the next "{% NAME %}" (Liquid) at or after `from`. */
static bool find_liquid(const char *p, size_t n, size_t from, const char *name,
                        struct tag *t)
{
  size_t i;
  for (i = from; i + 1 < n; i++)
    if (p[i] == '{' && p[i + 1] == '%' && read_tag(p, n, i, "{%", "%}", t) &&
        sheaf_str_ieq(t->name, name))
      return true;
  return false;
}

/* Finds the next "{{< /NAME >}}" (or with %) at or after `from`. */
static bool find_shortcode_end(const char *p, size_t n, size_t from,
                               struct sheaf_str name, struct tag *t)
{
  size_t i;
  for (i = from; i + 2 < n; i++)
    if (p[i] == '{' && p[i + 1] == '{' && (p[i + 2] == '<' || p[i + 2] == '%') &&
        read_tag(p, n, i, p[i + 2] == '<' ? "{{<" : "{{%",
                 p[i + 2] == '<' ? ">}}" : "%}}", t) &&
        t->closing && t->name.n == name.n && memcmp(t->name.p, name.p, name.n) == 0)
      return true;
  return false;
}

/* Copies p[a..b) leaving out "{% raw %}" and "{% endraw %}" markers: inside
 * code, Jekyll posts wrap literal Liquid in them. */
static void put_unraw(struct pre *s, size_t a, size_t b)
{
  size_t i = a, from = a;
  struct tag t;

  while (i + 1 < b) {
    if (s->p[i] == '{' && s->p[i + 1] == '%' && read_tag(s->p, b, i, "{%", "%}", &t) &&
        (sheaf_str_ieq(t.name, "raw") || sheaf_str_ieq(t.name, "endraw"))) {
      struct tag end;
      sheaf_buf_put(&s->out, s->p + from, i - from);
      i = from = t.end;
      /* "{% raw %}{% raw %}{% endraw %}" shows "{% raw %}". */
      if (sheaf_str_ieq(t.name, "raw") && find_liquid(s->p, b, t.end, "endraw", &end)) {
        sheaf_buf_put(&s->out, s->p + t.end, end.start - t.end);
        i = from = end.end;
      }
      continue;
    }
    i++;
  }
  sheaf_buf_put(&s->out, s->p + from, b - from);
}

/* Starts a new line in the output unless at the start of one. */
static void at_line_start(struct pre *s)
{
  if (s->out.len && s->out.ptr[s->out.len - 1] != '\n')
    sheaf_buf_putc(&s->out, '\n');
}

/* Writes p[a..b) as a fenced code block in language `lang`. */
static void put_fenced(struct pre *s, size_t a, size_t b, struct sheaf_str lang)
{
  size_t i, run = 0, longest = 0, fence;

  if (a < b && s->p[a] == '\r')
    a++;
  if (a < b && s->p[a] == '\n')
    a++;
  while (b > a && (s->p[b - 1] == '\n' || s->p[b - 1] == '\r'))
    b--;
  for (i = a; i < b; i++) {
    run = s->p[i] == '`' ? run + 1 : 0;
    if (run > longest)
      longest = run;
  }
  fence = longest >= 3 ? longest + 1 : 3;
  at_line_start(s);
  for (i = 0; i < fence; i++)
    sheaf_buf_putc(&s->out, '`');
  for (i = 0; i < lang.n && is_name(lang.p[i]); i++)
    sheaf_buf_putc(&s->out, lang.p[i]);
  sheaf_buf_putc(&s->out, '\n');
  sheaf_buf_put(&s->out, s->p + a, b - a);
  sheaf_buf_putc(&s->out, '\n');
  for (i = 0; i < fence; i++)
    sheaf_buf_putc(&s->out, '`');
  sheaf_buf_putc(&s->out, '\n');
}

/* Hexo's {% codeblock title lang:x url %}: the language, and the words that
 * are not options (a title), which are text of the post. */
static struct sheaf_str codeblock_lang(struct sheaf_str args, struct sheaf_buf *caption)
{
  struct sheaf_str lang = {"", 0};
  size_t i = 0;

  while (i < args.n) {
    size_t w = i;
    while (w < args.n && !sheaf_is_xml_space(args.p[w]))
      w++;
    if (w - i > 5 && memcmp(args.p + i, "lang:", 5) == 0)
      lang = (struct sheaf_str){args.p + i + 5, w - i - 5};
    else if (!memchr(args.p + i, ':', w - i)) {
      if (caption->len)
        sheaf_buf_putc(caption, ' ');
      sheaf_buf_put(caption, args.p + i, w - i);
    }
    i = w;
    while (i < args.n && sheaf_is_xml_space(args.p[i]))
      i++;
  }
  return lang;
}

/* Handles the Liquid tag at s->p[i]; returns where to go on. */
static size_t liquid(struct pre *s, size_t i, const struct tag *t)
{
  struct tag end;

  if (!s->liquid_at)
    s->liquid_at = i + 1;
  if (sheaf_str_ieq(t->name, "raw")) {
    /* Everything up to endraw is text, template syntax included. */
    if (find_liquid(s->p, s->n, t->end, "endraw", &end)) {
      sheaf_buf_put(&s->out, s->p + t->end, end.start - t->end);
      return end.end;
    }
    return t->end;
  }
  if (sheaf_str_ieq(t->name, "comment")) {
    if (find_liquid(s->p, s->n, t->end, "endcomment", &end))
      return end.end;
    return t->end;
  }
  if (sheaf_str_ieq(t->name, "highlight") || sheaf_str_ieq(t->name, "codeblock") ||
      sheaf_str_ieq(t->name, "code")) {
    char endname[32];
    size_t k = 0;
    memcpy(endname, "end", 3);
    for (; k < t->name.n && k < 20; k++)
      endname[3 + k] = (char)(t->name.p[k] | 0x20);
    endname[3 + k] = '\0';
    if (find_liquid(s->p, s->n, t->end, endname, &end)) {
      struct sheaf_str lang = t->args;
      struct sheaf_buf caption;
      sheaf_buf_init(&caption, 0);
      if (!sheaf_str_ieq(t->name, "highlight"))
        lang = codeblock_lang(t->args, &caption);
      if (caption.len) {
        at_line_start(s);
        sheaf_buf_put(&s->out, caption.ptr, caption.len);
        sheaf_buf_puts(&s->out, "\n\n");
      }
      if (caption.failed)
        s->out.failed = true;
      sheaf_buf_fini(&caption);
      put_fenced(s, t->end, end.start, lang);
      return end.end;
    }
    return t->end;
  }
  if (sheaf_str_ieq(t->name, "note") && t->args.n) {
    /* Hexo's {% note class Title %}: the title is text. */
    static const char *const classes[] = {"default", "primary", "success", "info",
                                          "warning", "warn",    "danger",  "tip"};
    struct sheaf_str a = t->args;
    size_t w = 0, c;
    while (w < a.n && !sheaf_is_xml_space(a.p[w]))
      w++;
    for (c = 0; c < sizeof classes / sizeof *classes; c++)
      if (sheaf_str_ieq((struct sheaf_str){a.p, w}, classes[c])) {
        a = sheaf_str_trim((struct sheaf_str){a.p + w, a.n - w});
        break;
      }
    if (a.n >= 2 && (a.p[0] == '"' || a.p[0] == '\'') && a.p[a.n - 1] == a.p[0])
      a = (struct sheaf_str){a.p + 1, a.n - 2};
    if (a.n) {
      at_line_start(s);
      sheaf_buf_puts(&s->out, "**");
      sheaf_buf_put(&s->out, a.p, a.n);
      sheaf_buf_puts(&s->out, "**\n\n");
    }
  }
  /* Any other tag (include, assign, for, if, link, post_url, youtube, an end
   * tag) has no text of its own; the text between paired tags stays. */
  return t->end;
}

/* Handles the Hugo shortcode at s->p[i]; returns where to go on. */
static size_t shortcode(struct pre *s, size_t i, const struct tag *t)
{
  struct tag end;

  if (!s->shortcode_at)
    s->shortcode_at = i + 1;
  if (!t->closing && sheaf_str_ieq(t->name, "highlight") &&
      find_shortcode_end(s->p, s->n, t->end, t->name, &end)) {
    struct sheaf_str lang = t->args;
    put_fenced(s, t->end, end.start, lang);
    return end.end;
  }
  return t->end;
}

/* Is p[i..] a fence opener or closer: 3+ backticks or tildes? */
static size_t fence_len(const char *p, size_t n, size_t i, char *ch)
{
  size_t k = i;
  while (k < n && p[k] == ' ')
    k++;
  if (k >= n || (p[k] != '`' && p[k] != '~'))
    return 0;
  *ch = p[k];
  i = k;
  while (k < n && p[k] == *ch)
    k++;
  return k - i >= 3 ? k - i : 0;
}

static size_t eol(const char *p, size_t n, size_t i)
{
  const char *e = memchr(p + i, '\n', n - i);
  return e ? (size_t)(e - p) + 1 : n;
}

/* The end of a code span opened by a run of `run` backticks at p[i], or 0.
 * A span does not cross a blank line. */
static size_t code_span_end(const char *p, size_t n, size_t i, size_t run)
{
  size_t k = i + run;
  while (k < n) {
    if (p[k] == '`') {
      size_t r = 0;
      while (k + r < n && p[k + r] == '`')
        r++;
      if (r == run)
        return k + r;
      k += r;
      continue;
    }
    if (p[k] == '\n') {
      size_t j = k + 1;
      while (j < n && (p[j] == ' ' || p[j] == '\t' || p[j] == '\r'))
        j++;
      if (j >= n || p[j] == '\n')
        return 0;
    }
    k++;
  }
  return 0;
}

static bool more_marker(const char *p, size_t n, size_t i, size_t *end)
{
  size_t k = i + 4;
  if (n - i < 11 || memcmp(p + i, "<!--", 4) != 0)
    return false;
  while (k < n && sheaf_is_xml_space(p[k]))
    k++;
  if (n - k < 4 || !sheaf_starts_with_ci(p + k, "more"))
    return false;
  k += 4;
  while (k < n && sheaf_is_xml_space(p[k]))
    k++;
  if (n - k < 3 || memcmp(p + k, "-->", 3) != 0)
    return false;
  *end = k + 3;
  return true;
}

/* Takes template code out of the body p[0..n). */
static void untemplate(struct pre *s)
{
  const char *p = s->p;
  size_t n = s->n, i = 0, open_len = 0;
  char open_ch = 0;
  bool line_start = true;

  while (i < n) {
    char c = p[i];
    size_t e;
    struct tag t;

    if (line_start) {
      char ch = 0;
      size_t fl = fence_len(p, n, i, &ch);
      e = eol(p, n, i);
      if (open_len) {
        /* Inside fenced code: copied as written, but for raw markers. */
        if (fl >= open_len && ch == open_ch) {
          size_t k = i;
          while (k < n && (p[k] == ' ' || p[k] == ch))
            k++;
          while (k < e && sheaf_is_xml_space(p[k]))
            k++;
          if (k == e)
            open_len = 0;
        }
        put_unraw(s, i, e);
        i = e;
        continue;
      }
      if (fl) {
        open_len = fl;
        open_ch = ch;
        put_unraw(s, i, e);
        i = e;
        continue;
      }
      line_start = false;
    }
    if (c == '\n') {
      sheaf_buf_putc(&s->out, c);
      i++;
      line_start = true;
      continue;
    }
    if (c == '\\' && i + 1 < n && p[i + 1] != '\n') {
      sheaf_buf_put(&s->out, p + i, 2);
      i += 2;
      continue;
    }
    if (c == '`') {
      size_t run = 0;
      while (i + run < n && p[i + run] == '`')
        run++;
      e = code_span_end(p, n, i, run);
      if (e) {
        put_unraw(s, i, e);
        i = e;
      } else {
        sheaf_buf_put(&s->out, p + i, run);
        i += run;
      }
      continue;
    }
    if (c == '<' && more_marker(p, n, i, &e)) {
      i = e;
      continue;
    }
    if (c == '{' && i + 1 < n && p[i + 1] == '%' && read_tag(p, n, i, "{%", "%}", &t)) {
      i = liquid(s, i, &t);
      continue;
    }
    if (c == '{' && i + 2 < n && p[i + 1] == '{') {
      char k = p[i + 2];
      if ((k == '<' || k == '%') && i + 4 < n && p[i + 3] == '/' && p[i + 4] == '*') {
        /* Hugo's escape "{{</" "* x *" "/>}}" shows a shortcode as text. */
        const char *close = k == '<' ? "*/>}}" : "*/%}}";
        if (read_tag(p, n, i, k == '<' ? "{{</*" : "{{%/*", close, &t)) {
          sheaf_buf_put(&s->out, p + i, 3);
          sheaf_buf_put(&s->out, p + i + 5, t.end - i - 5 - 5);
          sheaf_buf_put(&s->out, close + 2, 3);
          i = t.end;
          continue;
        }
      }
      if (k == '<' && read_tag(p, n, i, "{{<", ">}}", &t)) {
        i = shortcode(s, i, &t);
        continue;
      }
      if (k == '%' && read_tag(p, n, i, "{{%", "%}}", &t)) {
        i = shortcode(s, i, &t);
        continue;
      }
      if (read_tag(p, n, i, "{{", "}}", &t)) {
        if (!s->liquid_at)
          s->liquid_at = i + 1;
        i = t.end;
        continue;
      }
    }
    /* Ordinary text, up to the next character that may begin a marker,
     * copied as one run (byte by byte it was a tenth of a Markdown
     * build's instructions). */
    e = i + 1;
    while (e < n && p[e] != '\n' && p[e] != '\\' && p[e] != '`' && p[e] != '<' &&
           p[e] != '{')
      e++;
    sheaf_buf_put(&s->out, p + i, e - i);
    i = e;
  }
}

/* ---- title, date and file name -------------------------------------------- */

/* Recognizes an ATX heading line ("## Title ##"); sets *text. */
static bool atx(const char *p, size_t n, struct sheaf_str *text)
{
  size_t i = 0, h = 0;
  struct sheaf_str t;

  while (i < n && i < 3 && p[i] == ' ')
    i++;
  while (i < n && p[i] == '#')
    i++, h++;
  if (h == 0 || h > 6 || (i < n && p[i] != ' ' && p[i] != '\t'))
    return false;
  t = sheaf_str_trim((struct sheaf_str){p + i, n - i});
  while (t.n && t.p[t.n - 1] == '#')
    t.n--;
  *text = sheaf_str_trim(t);
  return true;
}

static bool setext_underline(const char *p, size_t n)
{
  struct sheaf_str t = sheaf_str_trim((struct sheaf_str){p, n});
  size_t i;
  if (t.n == 0 || (t.p[0] != '=' && t.p[0] != '-') ||
      (p[0] == ' ' && n > 3 && p[3] == ' '))
    return false;
  for (i = 0; i < t.n; i++)
    if (t.p[i] != t.p[0])
      return false;
  return true;
}

/* Finds a heading that is the first block of `body`: sets *text and *end
 * (where the rest of the body starts). */
static bool leading_heading(const char *p, size_t n, struct sheaf_str *text, size_t *end)
{
  size_t i = 0, e, e2;
  struct sheaf_str l1;

  while (i < n) {
    e = eol(p, n, i);
    if (sheaf_str_trim((struct sheaf_str){p + i, e - i}).n)
      break;
    i = e;
  }
  if (i >= n)
    return false;
  e = eol(p, n, i);
  if (atx(p + i, e - i, text)) {
    *end = e;
    return text->n > 0;
  }
  l1 = sheaf_str_trim((struct sheaf_str){p + i, e - i});
  if (e >= n || p[i] == ' ' || p[i] == '\t' || p[i] == '<' || p[i] == '-' ||
      p[i] == '*' || p[i] == '>' || p[i] == '|' || p[i] == '`')
    return false;
  e2 = eol(p, n, e);
  if (!setext_underline(p + e, e2 - e))
    return false;
  *text = l1;
  *end = e2;
  return true;
}

/* The file's base name without folders and extension. */
static struct sheaf_str base_name(const char *path)
{
  const char *b = strrchr(path, '/'), *dot;
  struct sheaf_str s;

  b = b ? b + 1 : path;
  dot = strrchr(b, '.');
  s.p = b;
  s.n = dot && dot != b ? (size_t)(dot - b) : strlen(b);
  return s;
}

/* Reads a Jekyll "YYYY-M(M)-D(D)-" prefix; sets the date and *len. */
static bool name_date(const char *p, size_t n, int64_t *t, size_t *len)
{
  unsigned v[3] = {0, 0, 0};
  size_t i = 0, f;

  for (f = 0; f < 3; f++) {
    size_t d = 0;
    while (i < n && p[i] >= '0' && p[i] <= '9' && d < 4)
      v[f] = v[f] * 10 + (unsigned)(p[i++] - '0'), d++;
    if ((f == 0 && d != 4) || (f > 0 && (d < 1 || d > 2)))
      return false;
    if (i >= n || p[i] != '-')
      return false;
    i++;
  }
  if (v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31)
    return false;
  *t = sheaf_days_from_civil(v[0], v[1], v[2]) * 86400;
  *len = i;
  return true;
}

/* A title from the file name: "2019-03-06-hello-world.md" gives "hello
 * world"; an index.md takes its folder's name (Hugo page bundles). */
static char *name_title(const char *path)
{
  struct sheaf_str b = base_name(path);
  int64_t t;
  size_t skip, i;
  char *s;

  if ((b.n == 5 && memcmp(b.p, "index", 5) == 0) ||
      (b.n == 6 && memcmp(b.p, "_index", 6) == 0)) {
    const char *end = b.p > path ? b.p - 1 : b.p, *start = end;
    while (start > path && start[-1] != '/')
      start--;
    if (end > start)
      b = (struct sheaf_str){start, (size_t)(end - start)};
  }
  if (name_date(b.p, b.n, &t, &skip) && skip < b.n)
    b = (struct sheaf_str){b.p + skip, b.n - skip};
  if ((s = sheaf_strndup(b.p, b.n)) == NULL)
    return NULL;
  for (i = 0; s[i]; i++)
    if (s[i] == '-' || s[i] == '_')
      s[i] = ' ';
  return s;
}

static bool same_title(struct sheaf_str a, const char *b)
{
  char *x = sheaf_str_collapse_ws(a.p, a.n), *y = sheaf_str_collapse_ws(b, strlen(b));
  bool same = x && y && sheaf_ascii_casecmp(x, y) == 0;
  sheaf_free(x);
  sheaf_free(y);
  return same;
}

/* ---- the reader ------------------------------------------------------------ */

static void set_date(const char *s, unsigned line, const char *path, int64_t *t, int *off,
                     sheaf_diag *diag)
{
  if (s && !sheaf_date_parse(s, strlen(s), t, off))
    sheaf_diag_add(diag, SHEAF_WARNING, "date", path, line, 0,
                   "date \"%s\" not understood", s);
}

sheaf_status sheaf_import_markdown(struct sheaf_collection *coll,
                                   const struct sheaf_input *in, const sheaf_options *opt,
                                   sheaf_diag *diag)
{
  const char *path = in->name, *data = in->data;
  size_t n = in->len;
  struct sheaf_frontmatter fm;
  struct sheaf_article *a = NULL;
  struct pre s;
  struct sheaf_str head, rest;
  size_t off = 0, i, hend = 0;
  unsigned line = 1;
  bool has_head, drafts = opt && (opt->flags & SHEAF_OPT_INCLUDE_DRAFTS);
  sheaf_status ret;

  sheaf_frontmatter_init(&fm);
  memset(&s, 0, sizeof s);
  sheaf_buf_init(&s.out, 0);
  SHEAF_CHECK(sheaf_frontmatter_parse(data, n, &fm, &off, &line, path, diag));
  if (fm.draft && !drafts) {
    sheaf_diag_add(diag, SHEAF_NOTE, "draft", path, 1, 0,
                   "skipped: a draft (--include-drafts reads it)");
    goto out;
  }
  s.p = data + off;
  s.n = n - off;
  untemplate(&s);
  if (s.out.failed)
    SHEAF_CHECK(SHEAF_ERR_NOMEM);
  if (s.liquid_at)
    sheaf_diag_add(diag, SHEAF_WARNING, "liquid", path,
                   line - 1 + sheaf_line_at(s.p, s.liquid_at - 1), 0,
                   "Liquid template tags removed (their text is kept)");
  if (s.shortcode_at)
    sheaf_diag_add(diag, SHEAF_WARNING, "shortcode", path,
                   line - 1 + sheaf_line_at(s.p, s.shortcode_at - 1), 0,
                   "Hugo shortcodes removed (their text is kept)");

  rest = (struct sheaf_str){s.out.ptr, s.out.len};
  has_head = leading_heading(rest.p, rest.n, &head, &hend);
  if (sheaf_str_trim(rest).n == 0 && fm.summary == NULL) {
    /* A section index (Hugo's _index.md) has nothing to read; a post of
     * template code only had text a site generator would have made. */
    if (sheaf_str_trim((struct sheaf_str){s.p, s.n}).n == 0)
      sheaf_diag_add(diag, SHEAF_NOTE, "empty", path, 1, 0,
                     "skipped: no text besides front matter");
    else
      sheaf_diag_add(diag, SHEAF_WARNING, "empty", path, line, 0,
                     "skipped: the text is only template code");
    goto out;
  }
  if ((a = sheaf_article_new()) == NULL)
    SHEAF_CHECK(SHEAF_ERR_NOMEM);
  /* The chapter prints the title as its heading: a leading heading that is
   * the title is not repeated. */
  if (fm.title && *fm.title) {
    a->title = fm.title;
    fm.title = NULL;
    if (has_head && same_title(head, a->title))
      rest = (struct sheaf_str){rest.p + hend, rest.n - hend};
  } else if (has_head) {
    a->title = sheaf_strndup(head.p, head.n);
    rest = (struct sheaf_str){rest.p + hend, rest.n - hend};
  } else {
    a->title = name_title(path);
  }
  a->body = sheaf_strndup(rest.p, rest.n);
  if (a->title == NULL || a->body == NULL)
    SHEAF_CHECK(SHEAF_ERR_NOMEM);
  a->body_format = SHEAF_BODY_MARKDOWN;

  set_date(fm.date, fm.date_line, path, &a->published, &a->pub_offset, diag);
  set_date(fm.updated, fm.updated_line, path, &a->updated, NULL, diag);
  if (a->published == SHEAF_TIME_UNKNOWN) {
    struct sheaf_str b = base_name(path);
    size_t skip;
    if (!name_date(b.p, b.n, &a->published, &skip)) {
      /* Undated: the modification time orders it, but is no publication
       * date (a checkout gives every file today's). */
      sheaf_diag_add(diag, SHEAF_WARNING, "no-date", path, 0, 0,
                     "no date; shown undated, ordered by the file's modification "
                     "time");
      a->order_time = in->mtime;
    }
    a->pub_offset = 0;
  }
  for (i = 0; i < fm.nauthors; i++)
    if (!sheaf_article_add_author(a, fm.authors[i]))
      SHEAF_CHECK(SHEAF_ERR_NOMEM);
  for (i = 0; i < fm.ncategories; i++)
    if (!sheaf_article_add_tag(a, fm.categories[i], NULL, SHEAF_TAG_CATEGORY))
      SHEAF_CHECK(SHEAF_ERR_NOMEM);
  for (i = 0; i < fm.ntags; i++)
    if (!sheaf_article_add_tag(a, fm.tags[i], NULL, SHEAF_TAG_TAG))
      SHEAF_CHECK(SHEAF_ERR_NOMEM);
  if (fm.summary && (a->summary = sheaf_import_text_to_html(fm.summary)) == NULL)
    SHEAF_CHECK(SHEAF_ERR_NOMEM);
  a->language = fm.language;
  fm.language = NULL;
  /* Two posts with the same title and text are still two files: the path
   * keeps them apart when duplicates are merged. */
  if ((a->guid = sheaf_strdup(path)) == NULL)
    SHEAF_CHECK(SHEAF_ERR_NOMEM);
  /* A collection that spools keeps the path in the spool alone, beside
   * the text (model.c spills it with the guid): until then the guid's copy
   * serves. Otherwise the collection keeps it. */
  a->source = coll->spool_bodies ? a->guid : sheaf_collection_intern_source(coll, path);
  a->line = 1;
  a->feed = SHEAF_NO_FEED;
  if (a->source == NULL || !sheaf_article_finish(a))
    SHEAF_CHECK(SHEAF_ERR_NOMEM);
  if (!sheaf_collection_add_article(coll, a)) {
    a = NULL;
    SHEAF_CHECK(SHEAF_ERR_NOMEM);
  }
  a = NULL;
  ret = SHEAF_OK;
out:
  sheaf_article_free(a);
  sheaf_buf_fini(&s.out);
  sheaf_frontmatter_fini(&fm);
  return ret;
}
