/*
 * This file contains GitHub-flavoured pipe tables for Markdown bodies.
 * cmark implements CommonMark, which has no tables, so a table written
 * for Jekyll (kramdown), Hugo (goldmark) or Hexo would reach the book as
 * lines of pipes. Before cmark runs, each table at the top level of the
 * document becomes an HTML block (<table> ... </table>, then a blank
 * line, which is how CommonMark ends such a block); each cell's text is
 * rendered with cmark on its own, so emphasis, code and links in cells
 * work. Tables inside lists or block quotes stay text.
 *
 * The rules are GFM's: a header row, then a delimiter row of as many cells
 * made of dashes with optional colons for the alignment, then body rows
 * until a blank line or the start of another block (a heading, a quote, a
 * fence); a line without a pipe is a row of one cell; a body row's missing cells
 * are empty, its extra ones dropped; "\|" is a pipe inside a cell, also in
 * a code span. Fenced code blocks are left alone. Each cell is rendered on
 * its own, so a reference link ("[text][ref]") in a cell stays text; a
 * table wider than 64 columns stays text too.
 */
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "layout/layout.h"

#define MAX_COLS 64

enum align { ALIGN_NONE, ALIGN_LEFT, ALIGN_CENTER, ALIGN_RIGHT };

struct line {
  const char *p;
  size_t n; /* without the newline */
};

static bool blank(struct line l)
{
  size_t i;

  for (i = 0; i < l.n; i++)
    if (l.p[i] != ' ' && l.p[i] != '\t' && l.p[i] != '\r')
      return false;
  return true;
}

static size_t indent(struct line l)
{
  size_t i = 0;

  while (i < l.n && l.p[i] == ' ')
    i++;
  return i;
}

/* Splits a row into cells at pipes that are not escaped, without the
 * optional leading and trailing pipe. Returns the count, or 0 when the
 * row has no pipe at all. */
static size_t split(struct line l, struct sheaf_str cells[MAX_COLS])
{
  /* Counts every cell, stores the first MAX_COLS: a wider table is left as
   * text rather than cut. */
  const char *p = l.p, *end = l.p + l.n, *start;
  size_t n = 0;
  bool pipe = false;

  while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
    end--;
  while (p < end && (*p == ' ' || *p == '\t'))
    p++;
  if (p < end && *p == '|') {
    p++;
    pipe = true;
  }
  start = p;
  for (; p < end; p++) {
    if (*p == '\\' && p + 1 < end) {
      p++;
      continue;
    }
    if (*p == '|') {
      pipe = true;
      if (n < MAX_COLS)
        cells[n] = sheaf_str_trim((struct sheaf_str){start, (size_t)(p - start)});
      n++;
      start = p + 1;
    }
  }
  if (start < end) {
    if (n < MAX_COLS)
      cells[n] = sheaf_str_trim((struct sheaf_str){start, (size_t)(end - start)});
    n++;
  }
  return pipe ? n : 0;
}

/* Reads a delimiter row ("| :--- | ---: |"); returns its cell count and
 * fills the alignments, or 0 when the line is not one. */
static size_t delimiter(struct line l, enum align al[MAX_COLS])
{
  struct sheaf_str cells[MAX_COLS];
  size_t n = split(l, cells), i, k;

  if (n == 0 || n > MAX_COLS || indent(l) > 3)
    return 0;
  for (i = 0; i < n; i++) {
    struct sheaf_str c = cells[i];
    bool left = c.n && c.p[0] == ':', right = c.n > 1 && c.p[c.n - 1] == ':';
    size_t from = left ? 1 : 0, to = c.n - (right ? 1 : 0);
    if (to <= from)
      return 0;
    for (k = from; k < to; k++)
      if (c.p[k] != '-')
        return 0;
    al[i] = left && right ? ALIGN_CENTER
            : left        ? ALIGN_LEFT
            : right       ? ALIGN_RIGHT
                          : ALIGN_NONE;
  }
  return n;
}

/* Appends one cell's Markdown as inline HTML. cmark renders the text as a
 * document; a cell holds inline content only, so anything but a single
 * paragraph (a "# x" or "- x" that cmark read as a block) is written as
 * escaped text instead. */
static void cell_html(struct sheaf_buf *out, struct sheaf_str c)
{
  struct sheaf_buf text;
  char *html;
  size_t i, hn;

  sheaf_buf_init(&text, 0);
  for (i = 0; i < c.n; i++) {
    if (c.p[i] == '\\' && i + 1 < c.n && c.p[i + 1] == '|')
      continue; /* "\|" is a pipe, even in a code span */
    sheaf_buf_putc(&text, c.p[i]);
  }
  if (text.failed) {
    out->failed = true;
    sheaf_buf_fini(&text);
    return;
  }
  if (text.len == 0 || strcspn(text.ptr, "\\`*_[]<>&!~") == text.len) {
    /* Nothing cmark would change: no call per plain cell. */
    sheaf_buf_put_xml(out, text.ptr, text.len, false);
    sheaf_buf_fini(&text);
    return;
  }
  /* cmark aborts rather than failing on memory (STYLE.md rule 27). */
  html = cmark_markdown_to_html(text.ptr, text.len, CMARK_OPT_UNSAFE);
  hn = strlen(html);
  if (hn >= 8 && strncmp(html, "<p>", 3) == 0 && strcmp(html + hn - 5, "</p>\n") == 0 &&
      strstr(html + 3, "<p>") == NULL)
    sheaf_buf_put(out, html + 3, hn - 8);
  else
    sheaf_buf_put_xml(out, text.ptr, text.len, false);
  free(html);
  sheaf_buf_fini(&text);
}

/* Writes one row. A short row is filled out with empty cells, as GFM
 * does, while *fill (bytes of such filler left for the document) lasts:
 * past it a short row stays short, which HTML allows. */
static void row_html(struct sheaf_buf *out, const struct sheaf_str *cells, size_t ncells,
                     size_t ncols, const enum align *al, bool head, size_t *fill)
{
  static const char *const cls[] = {"", " class=\"sheaf-left\"",
                                    " class=\"sheaf-center\"", " class=\"sheaf-right\""};
  const char *tag = head ? "th" : "td";
  size_t i;

  sheaf_buf_puts(out, "<tr>");
  for (i = 0; i < ncols; i++) {
    if (i >= ncells) {
      size_t cost = 10 + strlen(cls[al[i]]);
      if (*fill < cost)
        break;
      *fill -= cost;
    }
    sheaf_buf_printf(out, "<%s%s>", tag, cls[al[i]]);
    if (i < ncells)
      cell_html(out, cells[i]);
    sheaf_buf_printf(out, "</%s>", tag);
  }
  sheaf_buf_puts(out, "</tr>\n");
}

/* The next line of s[0..n) from *pos. */
static bool next_line(const char *s, size_t n, size_t *pos, struct line *l)
{
  const char *nl;

  if (*pos >= n)
    return false;
  l->p = s + *pos;
  nl = memchr(l->p, '\n', n - *pos);
  l->n = nl ? (size_t)(nl - l->p) : n - *pos;
  *pos += l->n + (nl ? 1 : 0);
  return true;
}

/* A fence opener or closer: three or more backticks or tildes, indented
 * at most three spaces. Gives its character and length. */
static bool fence(struct line l, char *ch, size_t *len)
{
  size_t i = indent(l), k = i;

  if (i > 3 || i >= l.n || (l.p[i] != '`' && l.p[i] != '~'))
    return false;
  while (k < l.n && l.p[k] == l.p[i])
    k++;
  if (k - i < 3)
    return false;
  /* A backtick fence's info string has no backtick (CommonMark): "```x`"
   * is a code span, and must not turn the rest of the page into code. */
  if (l.p[i] == '`' && memchr(l.p + k, '`', l.n - k) != NULL)
    return false;
  *ch = l.p[i];
  *len = k - i;
  return true;
}

/* A list item's marker ("- ", "* ", "+ ", "1. ", "1) ") or a block quote's
 * ">" at the start of `l`: such lines belong to a container, whose tables
 * stay text. */
static bool container_line(struct line l, size_t *after)
{
  size_t i = indent(l), k = i;

  *after = 0;
  if (i > 3 || i >= l.n)
    return false;
  if (l.p[i] == '>') {
    *after = i + 1;
    return true;
  }
  if ((l.p[i] == '-' || l.p[i] == '*' || l.p[i] == '+') &&
      (i + 1 == l.n || l.p[i + 1] == ' ' || l.p[i + 1] == '\t')) {
    *after = i + 1;
    return true;
  }
  while (k < l.n && k - i < 9 && l.p[k] >= '0' && l.p[k] <= '9')
    k++;
  if (k > i && k < l.n && (l.p[k] == '.' || l.p[k] == ')') &&
      (k + 1 == l.n || l.p[k + 1] == ' ' || l.p[k + 1] == '\t')) {
    *after = k + 1;
    return true;
  }
  return false;
}

/* `l` without a leading list or quote marker ("- ```" opens a code block
 * inside the item). */
static struct line content_of(struct line l)
{
  size_t after;

  if (container_line(l, &after))
    return (struct line){l.p + after, l.n - after};
  return l;
}

/* "***", "- - -", "___": a thematic break. */
static bool thematic_break(struct line l)
{
  size_t i = indent(l), count = 0;
  char ch;

  if (i > 3 || i >= l.n || (l.p[i] != '*' && l.p[i] != '-' && l.p[i] != '_'))
    return false;
  ch = l.p[i];
  for (; i < l.n; i++) {
    if (l.p[i] == ch)
      count++;
    else if (l.p[i] != ' ' && l.p[i] != '\t' && l.p[i] != '\r')
      return false;
  }
  return count >= 3;
}

/* Whether `l` ends a table: a blank line, or one that begins another
 * block (a heading, a quote, a list, a code fence, a thematic break). */
static bool starts_block(struct line l)
{
  size_t i = indent(l), k;
  char ch;

  if (blank(l) || fence(l, &ch, &k) || container_line(l, &k) || thematic_break(l))
    return true;
  if (i > 3)
    return false;
  /* An HTML block: "<div", "</p>", "<!--". */
  if (l.p[i] == '<' && i + 1 < l.n &&
      ((l.p[i + 1] >= 'a' && l.p[i + 1] <= 'z') ||
       (l.p[i + 1] >= 'A' && l.p[i + 1] <= 'Z') || l.p[i + 1] == '/' ||
       l.p[i + 1] == '!' || l.p[i + 1] == '?'))
    return true;
  for (k = i; k < l.n && l.p[k] == '#'; k++)
    ;
  return k > i && k - i <= 6 && (k == l.n || l.p[k] == ' ' || l.p[k] == '\t');
}

char *sheaf_layout_md_tables(const char *s, size_t n, bool *nomem)
{
  struct sheaf_buf out;
  struct line prev = {NULL, 0}, l, d;
  struct sheaf_str head[MAX_COLS], cells[MAX_COLS];
  enum align al[MAX_COLS];
  size_t pos = 0, copied = 0, fence_len = 0, nhead, ncols, dpos, k;
  /* Tables can make a short input huge: rows filled out to the header's
   * width (64 empty cells for each line of "x"), or rows of bare pipes.
   * Filler has its own budget (row_html); past `limit` in all, the rest of
   * the document keeps its pipes as text. */
  size_t limit = n < SIZE_MAX / 32 - 65536 ? 32 * n + 65536 : SIZE_MAX;
  size_t fill = n < SIZE_MAX / 4 - 65536 ? 4 * n + 65536 : SIZE_MAX;
  char fence_ch = 0, ch;
  bool found = false;

  *nomem = false;
  if (memchr(s, '|', n) == NULL)
    return NULL; /* most documents: no table, nothing to scan */
  sheaf_buf_init(&out, 0);
  while (next_line(s, n, &pos, &l)) {
    if (fence_ch) { /* inside a fenced code block */
      struct line f = fence(l, &ch, &k) ? l : content_of(l);
      if (fence(f, &ch, &k) && ch == fence_ch && k >= fence_len &&
          blank((struct line){f.p + indent(f) + k, f.n - indent(f) - k}))
        fence_ch = 0;
      prev = (struct line){NULL, 0}; /* a closed fence needs no blank line */
      continue;
    }
    if (fence(l, &fence_ch, &fence_len) || fence(content_of(l), &fence_ch, &fence_len)) {
      prev = l;
      continue;
    }
    /* A header row (indented three spaces at most, or it would be code)
     * followed by a delimiter row of as many cells. */
    dpos = pos;
    if (indent(l) <= 3 && !container_line(l, &k) && out.len <= limit &&
        (nhead = split(l, head)) > 0 && next_line(s, n, &dpos, &d) &&
        (ncols = delimiter(d, al)) == nhead) {
      found = true;
      sheaf_buf_put(&out, s + copied, (size_t)(l.p - (s + copied)));
      /* A blank line first: the block must not continue a paragraph. */
      sheaf_buf_puts(&out, prev.p && !blank(prev) ? "\n<table>\n<thead>\n"
                                                  : "<table>\n<thead>\n");
      row_html(&out, head, nhead, ncols, al, true, &fill);
      sheaf_buf_puts(&out, "</thead>\n");
      pos = dpos;
      k = 0;
      for (;;) {
        size_t at = pos, nc;
        struct line r;
        if (!next_line(s, n, &at, &r) || starts_block(r) || out.len > limit)
          break;
        if ((nc = split(r, cells)) == 0) { /* no pipe: one cell */
          cells[0] = sheaf_str_trim((struct sheaf_str){r.p, r.n});
          nc = 1;
        }
        if (k++ == 0)
          sheaf_buf_puts(&out, "<tbody>\n");
        row_html(&out, cells, nc, ncols, al, false, &fill);
        pos = at;
      }
      sheaf_buf_puts(&out, k ? "</tbody>\n</table>\n\n" : "</table>\n\n");
      copied = pos;
      prev = (struct line){NULL, 0};
      continue;
    }
    prev = l;
  }
  if (!found) {
    sheaf_buf_fini(&out);
    return NULL;
  }
  sheaf_buf_put(&out, s + copied, n - copied);
  if (out.failed) {
    *nomem = true;
    sheaf_buf_fini(&out);
    return NULL;
  }
  return sheaf_buf_detach(&out, NULL);
}
