/*
 * This file contains sheaf's version of WordPress's wpautop(): the filter
 * that turns the blank lines of a classic-editor post into paragraphs and its
 * single newlines into <br />. It follows the documented rules, step by step,
 * with hand-written scanners instead of regular expressions:
 *
 *   <pre> blocks are set aside and put back untouched; newlines inside tags,
 *   comments, <script>, <style> and <svg> are protected; block-level tags get
 *   blank lines around them so they never end up inside a <p>; the text is
 *   cut at blank lines into paragraphs; then the <p> and <br /> that landed
 *   next to block tags are removed again, as WordPress does.
 *
 * One deliberate difference: WordPress matches block tags by prefix (so
 * "<param" counts as "<p"); here a tag is block-level only by its full name.
 */
#include <stdio.h>
#include <string.h>

#include "import/import.h"

#define NL_MARK '\x03' /* a protected newline, restored at the end */

/* ---- tags ----------------------------------------------------------------- */

static const char *const blocks[] = {
    "table",      "thead",      "tfoot",   "caption", "col",     "colgroup", "tbody",
    "tr",         "td",         "th",      "div",     "dl",      "dd",       "dt",
    "ul",         "ol",         "li",      "pre",     "form",    "map",      "area",
    "blockquote", "address",    "math",    "style",   "p",       "h1",       "h2",
    "h3",         "h4",         "h5",      "h6",      "hr",      "fieldset", "legend",
    "section",    "article",    "aside",   "hgroup",  "header",  "footer",   "nav",
    "figure",     "figcaption", "details", "menu",    "summary", "main",     "select",
};

/* Length of the tag name at s (after '<' or '</'). */
static size_t name_len(const char *s, size_t n)
{
  size_t k = 0;

  while (k < n && sheaf_is_alnum(s[k]))
    k++;
  return k;
}

/* Returns the index just past the '>' ending the tag that starts at s[i]
 * ('<'), quotes respected, or 0 when it does not end. */
static size_t tag_end(const char *s, size_t n, size_t i)
{
  char q = 0;

  for (i++; i < n; i++) {
    if (q) {
      if (s[i] == q)
        q = 0;
    } else if (s[i] == '"' || s[i] == '\'') {
      /* Quotes only count inside an attribute value: name="..." */
      if (s[i - 1] == '=' || sheaf_is_space(s[i - 1]))
        q = s[i];
    } else if (s[i] == '>') {
      return i + 1;
    }
  }
  return 0;
}

static bool name_is(const char *s, size_t len, const char *name)
{
  size_t k;

  if (strlen(name) != len)
    return false;
  for (k = 0; k < len; k++) {
    char c = s[k];
    if (c >= 'A' && c <= 'Z')
      c = (char)(c + 32);
    if (c != name[k])
      return false;
  }
  return true;
}

/* When s[i] starts a block-level tag (opening or closing), returns the index
 * past its '>' and sets *closing; else 0. */
static size_t block_tag(const char *s, size_t n, size_t i, bool *closing)
{
  size_t k = i + 1, len, j;

  if (i >= n || s[i] != '<')
    return 0;
  *closing = k < n && s[k] == '/';
  if (*closing)
    k++;
  len = name_len(s + k, n - k);
  if (len == 0 || !sheaf_is_alpha(s[k]) ||
      (k + len < n && !sheaf_is_space(s[k + len]) && s[k + len] != '/' &&
       s[k + len] != '>'))
    return 0;
  for (j = 0; j < sizeof blocks / sizeof *blocks; j++)
    if (name_is(s + k, len, blocks[j]))
      return tag_end(s, n, i);
  return 0;
}

/* Whether s[i] starts a tag named `name` (opening, or closing with `closing`). */
static bool tag_named(const char *s, size_t n, size_t i, const char *name, bool closing)
{
  size_t k = i + 1, len;

  if (s[i] != '<')
    return false;
  if (closing) {
    if (k >= n || s[k] != '/')
      return false;
    k++;
  }
  len = strlen(name);
  if (k + len > n || !name_is(s + k, len, name))
    return false;
  return k + len == n || sheaf_is_space(s[k + len]) || s[k + len] == '/' ||
         s[k + len] == '>';
}

/* Finds the case-insensitive `needle` in s[i..n); returns its index or n. */
static size_t find_ci(const char *s, size_t n, size_t i, const char *needle)
{
  size_t len = strlen(needle);

  for (; i + len <= n; i++)
    if (name_is(s + i, len, needle))
      return i;
  return n;
}

/* ---- the steps -------------------------------------------------------------- */

/* Each step reads `in` and writes `out`; the driver swaps them. */
struct text {
  struct sheaf_buf a, b;
  struct sheaf_buf *in, *out;
};

static void swap(struct text *t)
{
  struct sheaf_buf *x = t->in;

  t->in = t->out;
  t->out = x;
  sheaf_buf_reset(t->out);
}

/* Newlines inside tags, comments and raw-text elements become NL_MARK, so
 * that neither paragraphs nor <br /> are made there. */
static void protect_newlines(struct text *t)
{
  const char *s = t->in->ptr;
  size_t n = t->in->len, i = 0, end, k;
  static const char *const raw[] = {"script", "style", "svg"};

  while (i < n) {
    end = 0;
    if (s[i] == '<' && i + 3 < n && memcmp(s + i, "<!--", 4) == 0) {
      const char *c = strstr(s + i + 4, "-->");
      end = c ? (size_t)(c - s) + 3 : n;
    } else if (s[i] == '<') {
      for (k = 0; k < sizeof raw / sizeof *raw && !end; k++)
        if (tag_named(s, n, i, raw[k], false)) {
          char close[16];
          snprintf(close, sizeof close, "</%s", raw[k]);
          end = find_ci(s, n, i, close);
          end = end < n ? tag_end(s, n, end) : n;
          if (end == 0)
            end = n;
        }
      if (!end && i + 1 < n &&
          (s[i + 1] == '/' || s[i + 1] == '!' || s[i + 1] == '?' ||
           sheaf_is_alpha(s[i + 1])))
        end = tag_end(s, n, i);
    }
    if (end) {
      for (k = i; k < end; k++)
        sheaf_buf_putc(t->out, s[k] == '\n' ? NL_MARK : s[k]);
      i = end;
    } else {
      sheaf_buf_putc(t->out, s[i++]);
    }
  }
  swap(t);
}

/* Two <br> in a row (whitespace between) mean a paragraph break. */
static void double_br(struct text *t)
{
  const char *s = t->in->ptr;
  size_t n = t->in->len, i = 0, e, k;

  while (i < n) {
    if (tag_named(s, n, i, "br", false) && (e = tag_end(s, n, i)) != 0) {
      k = e;
      while (k < n && sheaf_is_space(s[k]))
        k++;
      if (tag_named(s, n, k, "br", false) && (k = tag_end(s, n, k)) != 0) {
        sheaf_buf_puts(t->out, "\n\n");
        i = k;
        continue;
      }
    }
    sheaf_buf_putc(t->out, s[i++]);
  }
  swap(t);
}

/* Blank lines before opening and after closing block tags (and after <hr>);
 * whitespace around <option>, <param>, <source>, <track> and <figcaption>
 * removed again so those stay glued to their parent. */
static void space_blocks(struct text *t)
{
  const char *s = t->in->ptr;
  size_t n = t->in->len, i = 0, e;
  bool closing;

  while (i < n) {
    if ((e = block_tag(s, n, i, &closing)) != 0) {
      if (!closing)
        sheaf_buf_puts(t->out, "\n\n");
      sheaf_buf_put(t->out, s + i, e - i);
      if (closing || tag_named(s, n, i, "hr", false))
        sheaf_buf_puts(t->out, "\n\n");
      i = e;
      continue;
    }
    sheaf_buf_putc(t->out, s[i++]);
  }
  swap(t);
}

static void glue(struct text *t)
{
  static const char *const glued[] = {"option", "param", "source", "track", "figcaption"};
  const char *s = t->in->ptr;
  size_t n = t->in->len, i = 0, e, k;

  while (i < n) {
    bool hit = false;
    if (s[i] == '<')
      for (k = 0; k < sizeof glued / sizeof *glued && !hit; k++)
        hit = tag_named(s, n, i, glued[k], false) || tag_named(s, n, i, glued[k], true);
    if (hit && (e = tag_end(s, n, i)) != 0) {
      while (t->out->len && sheaf_is_space(t->out->ptr[t->out->len - 1]))
        t->out->ptr[--t->out->len] = '\0';
      sheaf_buf_put(t->out, s + i, e - i);
      i = e;
      while (i < n && sheaf_is_space(s[i]))
        i++;
      continue;
    }
    sheaf_buf_putc(t->out, s[i++]);
  }
  swap(t);
}

/* Whether the paragraph is one shortcode alone ("[gallery]", "[x]...[/x]"),
 * which WordPress leaves unwrapped. */
static bool lone_shortcode(const char *p, size_t n)
{
  size_t k = 1, len;

  if (n < 3 || p[0] != '[' || p[n - 1] != ']')
    return false;
  if (!((p[1] >= 'a' && p[1] <= 'z') || (p[1] >= 'A' && p[1] <= 'Z')))
    return false;
  while (k < n && (sheaf_is_alnum(p[k]) || p[k] == '_' || p[k] == '-'))
    k++;
  len = k - 1;
  if (p[k] != ']' && p[k] != ' ' && p[k] != '/')
    return false;
  /* Self-closing: nothing after the first ']'. Enclosing: ends in [/name]. */
  if (memchr(p, ']', n) == p + n - 1)
    return true;
  return n > len + 3 && p[n - len - 3] == '[' && p[n - len - 2] == '/' &&
         memcmp(p + n - len - 1, p + 1, len) == 0;
}

/* Cuts at blank lines: each piece becomes "<p>piece</p>\n". */
static void paragraphs(struct text *t)
{
  const char *s = t->in->ptr;
  size_t n = t->in->len, i = 0, start, end;

  while (i < n) {
    while (i < n && sheaf_is_space(s[i]))
      i++;
    if (i >= n)
      break;
    start = i;
    /* The piece ends at "\n", optional whitespace, "\n". */
    end = n;
    for (; i < n; i++) {
      if (s[i] == '\n') {
        size_t k = i + 1;
        while (k < n && s[k] != '\n' && sheaf_is_space(s[k]))
          k++;
        if (k < n && s[k] == '\n') {
          end = i;
          break;
        }
      }
    }
    while (end > start && s[end - 1] == '\n')
      end--;
    if (lone_shortcode(s + start, end - start)) {
      sheaf_buf_put(t->out, s + start, end - start);
      sheaf_buf_putc(t->out, '\n');
    } else {
      sheaf_buf_puts(t->out, "<p>");
      sheaf_buf_put(t->out, s + start, end - start);
      sheaf_buf_puts(t->out, "</p>\n");
    }
  }
  swap(t);
}

/* Whether the output ends with `tail` (case-sensitive). */
static bool out_ends(struct sheaf_buf *b, const char *tail)
{
  size_t k = strlen(tail);

  return b->len >= k && memcmp(b->ptr + b->len - k, tail, k) == 0;
}

/* The cleanups after wrapping: drop empty paragraphs, <p> right before or
 * right after a block tag, <p> around <li>, and put <p> inside <blockquote>. */
static void unwrap_blocks(struct text *t)
{
  const char *s = t->in->ptr;
  size_t n = t->in->len, i = 0, e, k;
  bool closing, pending = false; /* a <p> was dropped; its </p> goes too */

  while (i < n) {
    if (pending && n - i >= 4 && memcmp(s + i, "</p>", 4) == 0) {
      pending = false;
      i += 4;
      continue;
    }
    if (n - i >= 3 && memcmp(s + i, "<p>", 3) == 0) {
      k = i + 3;
      while (k < n && sheaf_is_space(s[k]))
        k++;
      /* <p></p> and <p> </p>: gone. */
      if (n - k >= 4 && memcmp(s + k, "</p>", 4) == 0) {
        i = k + 4;
        continue;
      }
      /* <p><blockquote ...>: the paragraph moves inside. */
      if (tag_named(s, n, k, "blockquote", false) && (e = tag_end(s, n, k)) != 0) {
        sheaf_buf_put(t->out, s + k, e - k);
        sheaf_buf_puts(t->out, "<p>");
        i = e;
        continue;
      }
      /* <p> before a block tag: dropped (with the whitespace). */
      if (block_tag(s, n, k, &closing)) {
        pending = true;
        i = k;
        continue;
      }
    }
    if (s[i] == '<' && (e = block_tag(s, n, i, &closing)) != 0) {
      if (closing &&
          (tag_named(s, n, i, "div", true) || tag_named(s, n, i, "form", true) ||
           tag_named(s, n, i, "address", true))) {
        /* <p>text</div>: the paragraph is closed first. */
        size_t lt = t->out->len;
        while (lt > 0 && t->out->ptr[lt - 1] != '<')
          lt--;
        if (lt > 0 && t->out->len - (lt - 1) >= 3 &&
            memcmp(t->out->ptr + lt - 1, "<p>", 3) == 0)
          sheaf_buf_puts(t->out, "</p>");
      }
      sheaf_buf_put(t->out, s + i, e - i);
      if (name_is(s + i + 1, 11, "/blockquote") && n - e >= 4 &&
          memcmp(s + e, "</p>", 4) == 0) {
        /* </blockquote></p> becomes </p></blockquote>. */
        t->out->len -= e - i;
        sheaf_buf_puts(t->out, "</p>");
        sheaf_buf_put(t->out, s + i, e - i);
        i = e + 4;
        continue;
      }
      /* </p> after a block tag: dropped (with the whitespace). */
      k = e;
      while (k < n && sheaf_is_space(s[k]))
        k++;
      if (n - k >= 4 && memcmp(s + k, "</p>", 4) == 0 &&
          !(name_is(s + i + 1, 1, "p") && e - i == 3)) {
        pending = false;
        i = k + 4;
        continue;
      }
      i = e;
      continue;
    }
    /* </li></p>: the <p> opened before <li> is gone, so is this one. */
    if (n - i >= 4 && memcmp(s + i, "</p>", 4) == 0 && out_ends(t->out, "</li>")) {
      i += 4;
      continue;
    }
    sheaf_buf_putc(t->out, s[i++]);
  }
  swap(t);
}

/* Single newlines become <br />, except right after or before a block tag. */
static void line_breaks(struct text *t)
{
  const char *s = t->in->ptr;
  size_t n = t->in->len, i = 0, e, k;
  bool closing;

  while (i < n) {
    /* Normalise <br>, <br/> to <br />. */
    if (tag_named(s, n, i, "br", false) && (e = tag_end(s, n, i)) != 0 && e - i <= 6) {
      sheaf_buf_puts(t->out, "<br />");
      i = e;
      continue;
    }
    if (sheaf_is_space(s[i])) {
      k = i;
      while (k < n && s[k] != '\n' && sheaf_is_space(s[k]))
        k++;
      if (k < n && s[k] == '\n') {
        /* Whitespace then a newline: a line break, unless one is there. */
        bool after_block = false;
        size_t j = t->out->len;
        if (j && t->out->ptr[j - 1] == '>') {
          size_t lt = j;
          while (lt > 0 && t->out->ptr[lt - 1] != '<')
            lt--;
          if (lt > 0)
            after_block = block_tag(t->out->ptr, j, lt - 1, &closing) == j;
        }
        if (!out_ends(t->out, "<br />") && !after_block) {
          /* Before a closing p/li/div/... or a block tag: no <br />. */
          size_t m = k + 1;
          while (m < n && sheaf_is_space(s[m]))
            m++;
          if (!(m < n && block_tag(s, n, m, &closing)))
            sheaf_buf_puts(t->out, "<br />");
        }
        sheaf_buf_putc(t->out, '\n');
        i = k + 1;
        continue;
      }
    }
    sheaf_buf_putc(t->out, s[i++]);
  }
  swap(t);
}

/* ---- entry ------------------------------------------------------------------ */

char *sheaf_import_autop(const char *text, size_t n, bool br)
{
  struct text t;
  struct sheaf_buf *pres = NULL;
  size_t npre = 0, precap = 0, i;
  char *out = NULL;
  bool blank = true;

  for (i = 0; i < n && blank; i++)
    blank = sheaf_is_space(text[i]);
  if (blank)
    return sheaf_strdup("");
  sheaf_buf_init(&t.a, 0);
  sheaf_buf_init(&t.b, 0);
  t.in = &t.a;
  t.out = &t.b;

  /* Newlines normalised; the markers this file uses cannot come in. */
  for (i = 0; i < n; i++) {
    char c = text[i];
    if (c == '\r') {
      c = '\n';
      if (i + 1 < n && text[i + 1] == '\n')
        i++;
    }
    if (c != NL_MARK && c != '\x01')
      sheaf_buf_putc(t.in, c);
  }
  sheaf_buf_putc(t.in, '\n');

  /* <pre> blocks are set aside: "\x01N\x01" stands for the Nth, wrapped in
   * an empty <pre> so the steps treat it as a block. */
  {
    const char *s = t.in->ptr;
    size_t len = t.in->len, start, end;
    i = 0;
    while (i < len) {
      start = find_ci(s, len, i, "<pre");
      while (start < len && !tag_named(s, len, start, "pre", false))
        start = find_ci(s, len, start + 1, "<pre");
      sheaf_buf_put(t.out, s + i, start - i);
      if (start >= len)
        break;
      end = find_ci(s, len, start, "</pre>");
      end = end < len ? end + 6 : len;
      if (!sheaf_grow((void **)&pres, &precap, npre + 1, sizeof *pres))
        goto out;
      sheaf_buf_init(&pres[npre], 0);
      sheaf_buf_put(&pres[npre], s + start, end - start);
      sheaf_buf_printf(t.out, "<pre>\x01%zu\x01</pre>", npre);
      npre++;
      i = end;
    }
    swap(&t);
  }
  protect_newlines(&t);
  double_br(&t);
  space_blocks(&t);
  glue(&t);
  paragraphs(&t);
  unwrap_blocks(&t);
  if (br)
    line_breaks(&t);

  /* Pre blocks and protected newlines restored. */
  {
    const char *s = t.in->ptr;
    size_t len = t.in->len;
    for (i = 0; i < len; i++) {
      if (s[i] == '<' && len - i > 6 && memcmp(s + i, "<pre>\x01", 6) == 0) {
        size_t num = 0, j = i + 6;
        while (j < len && s[j] >= '0' && s[j] <= '9')
          num = num * 10 + (size_t)(s[j++] - '0');
        if (j + 7 <= len && memcmp(s + j, "\x01</pre>", 7) == 0 && num < npre) {
          sheaf_buf_put(t.out, pres[num].ptr, pres[num].len);
          i = j + 6;
          continue;
        }
      }
      sheaf_buf_putc(t.out, s[i] == NL_MARK ? '\n' : s[i]);
    }
    swap(&t);
  }
  /* A trailing newline is dropped, as WordPress's trim leaves none. */
  while (t.in->len && t.in->ptr[t.in->len - 1] == '\n')
    t.in->ptr[--t.in->len] = '\0';
  if (!t.a.failed && !t.b.failed)
    out = sheaf_buf_detach(t.in, NULL);
  for (i = 0; i < npre; i++)
    if (pres[i].failed)
      sheaf_free(out), out = NULL;
out:
  for (i = 0; i < npre; i++)
    sheaf_buf_fini(&pres[i]);
  sheaf_free(pres);
  sheaf_buf_fini(&t.a);
  sheaf_buf_fini(&t.b);
  return out;
}
