/*
 * This file contains the expansion of WordPress shortcodes found in the
 * posts of an export: the bracketed macros ([caption], [gallery], [embed],
 * [video], [audio], ...) that WordPress replaces with markup when it shows a
 * post. A book has no PHP to run them, so the ones that carry content become
 * plain HTML (a figure, a gallery of images, a link to the media) and every
 * other one loses its brackets but keeps what it encloses, with a warning.
 *
 * What is a shortcode: "[" a name that starts with a letter (letters, digits,
 * '_' and '-' after), then "]", whitespace, "/]" or "="; so "[1]" footnotes,
 * "[ ]" check boxes and "[...]" stay text. Text inside HTML tags, <pre> and
 * <code> is left alone. "[[x]]" is WordPress's escape for the literal "[x]".
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "import/import.h"

/* A parsed shortcode: text[start..end) is the whole of it. */
struct sc {
  const char *name;
  size_t nlen;
  const char *atts; /* between the name and the closing ']' */
  size_t alen;
  const char *content; /* enclosed content, or NULL (self-closing) */
  size_t clen;
  size_t end; /* index past the shortcode */
};

static bool is_name_start(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_name_char(char c)
{
  return is_name_start(c) || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static bool name_eq(const struct sc *c, const char *name)
{
  return strlen(name) == c->nlen && memcmp(c->name, name, c->nlen) == 0;
}

/* Parses a shortcode at s[i] == '['. Returns false when it is not one. */
static bool parse(const char *s, size_t n, size_t i, struct sc *c)
{
  size_t k = i + 1, j;
  char q = 0;

  if (k >= n || !is_name_start(s[k]))
    return false;
  c->name = s + k;
  while (k < n && is_name_char(s[k]))
    k++;
  c->nlen = (size_t)(s + k - c->name);
  if (k >= n || !(s[k] == ']' || sheaf_is_xml_space(s[k]) || s[k] == '/' || s[k] == '='))
    return false;
  /* The opening tag ends at the first ']' outside quotes. */
  c->atts = s + k;
  for (j = k; j < n; j++) {
    if (q) {
      if (s[j] == q)
        q = 0;
    } else if (s[j] == '"' || s[j] == '\'') {
      if (j > k && (s[j - 1] == '=' || sheaf_is_xml_space(s[j - 1])))
        q = s[j];
    } else if (s[j] == ']') {
      break;
    } else if (s[j] == '[' || s[j] == '<' || s[j] == '\n') {
      return false; /* not a shortcode: "[note see <a>...]" or broken */
    }
  }
  if (j >= n)
    return false;
  c->alen = j - k;
  c->content = NULL;
  c->clen = 0;
  c->end = j + 1;
  if (c->alen && c->atts[c->alen - 1] == '/') {
    c->alen--;
    return true;
  }
  /* Enclosing when "[/name]" follows. */
  for (k = j + 1; k + c->nlen + 3 <= n; k++) {
    if (s[k] == '[' && s[k + 1] == '/' && memcmp(s + k + 2, c->name, c->nlen) == 0 &&
        s[k + 2 + c->nlen] == ']') {
      c->content = s + j + 1;
      c->clen = k - (j + 1);
      c->end = k + c->nlen + 3;
      break;
    }
  }
  return true;
}

/* Returns a new copy of attribute `name` (or, with name NULL, of the
 * positional value number `pos`, 0-based), or NULL when absent. */
static char *attr(const struct sc *c, const char *name, unsigned pos)
{
  const char *p = c->atts, *e = c->atts + c->alen;
  unsigned seen = 0;

  /* [youtube=URL]: everything after '=' is the one positional value. */
  if (p < e && *p == '=')
    return name == NULL && pos == 0 ? sheaf_strndup(p + 1, (size_t)(e - p - 1)) : NULL;
  while (p < e) {
    const char *ks, *vs;
    size_t kn, vn;
    while (p < e && sheaf_is_xml_space(*p))
      p++;
    if (p >= e)
      break;
    ks = p;
    while (p < e && !sheaf_is_xml_space(*p) && *p != '=' && *p != '"' && *p != '\'')
      p++;
    kn = (size_t)(p - ks);
    if (p < e && *p == '=' && kn) {
      p++;
      if (p < e && (*p == '"' || *p == '\'')) {
        char q = *p++;
        vs = p;
        while (p < e && *p != q)
          p++;
        vn = (size_t)(p - vs);
        if (p < e)
          p++;
      } else {
        vs = p;
        while (p < e && !sheaf_is_xml_space(*p))
          p++;
        vn = (size_t)(p - vs);
      }
      if (name && strlen(name) == kn && strncmp(ks, name, kn) == 0)
        return sheaf_strndup(vs, vn);
    } else {
      /* A positional value, quoted or bare. */
      if (kn == 0 && p < e) {
        char q = *p++;
        vs = p;
        while (p < e && *p != q)
          p++;
        vn = (size_t)(p - vs);
        if (p < e)
          p++;
      } else {
        vs = ks;
        vn = kn;
      }
      if (name == NULL && seen++ == pos)
        return sheaf_strndup(vs, vn);
    }
  }
  return NULL;
}

/* Appends an attribute value: quotes and angle brackets escaped, '&' left
 * as is because the value is already HTML (it may hold &amp;). */
static void put_attr(struct sheaf_buf *b, const char *s)
{
  for (; *s; s++) {
    if (*s == '"')
      sheaf_buf_puts(b, "&quot;");
    else if (*s == '<')
      sheaf_buf_puts(b, "&lt;");
    else if (*s == '>')
      sheaf_buf_puts(b, "&gt;");
    else
      sheaf_buf_putc(b, *s);
  }
}

static void warn_once(struct sheaf_shortcode_ctx *ctx, const struct sc *c)
{
  size_t i;
  char *name;

  for (i = 0; i < ctx->nwarned; i++)
    if (strlen(ctx->warned[i]) == c->nlen &&
        memcmp(ctx->warned[i], c->name, c->nlen) == 0)
      return;
  sheaf_diag_add(ctx->diag, SHEAF_WARNING, "shortcode", ctx->file, ctx->line, 0,
                 "shortcode [%.*s] removed; its content is kept", (int)c->nlen, c->name);
  if ((name = sheaf_strndup(c->name, c->nlen)) == NULL)
    return;
  if (!sheaf_grow((void **)&ctx->warned, &ctx->warned_cap, ctx->nwarned + 1,
                  sizeof *ctx->warned)) {
    sheaf_free(name);
    return;
  }
  ctx->warned[ctx->nwarned++] = name;
}

static bool expand(struct sheaf_shortcode_ctx *ctx, struct sheaf_buf *b, const char *s,
                   size_t n, unsigned depth);

/* ---- the shortcodes sheaf understands -------------------------------------- */

/* [caption]: the image (with its link) and the caption text after it, or the
 * older caption="..." attribute. */
static bool caption(struct sheaf_shortcode_ctx *ctx, struct sheaf_buf *b,
                    const struct sc *c, unsigned depth)
{
  char *align = attr(c, "align", 0), *cap = attr(c, "caption", 0);
  const char *p = c->content ? c->content : "", *img_end;
  size_t n = c->content ? c->clen : 0, k;
  bool ok = true;

  /* The image: an optional <a ...>, an <img ...>, an optional </a>. */
  img_end = p;
  {
    const char *q = p;
    while (q < p + n && sheaf_is_xml_space(*q))
      q++;
    if (q + 3 < p + n && strncmp(q, "<a ", 3) == 0) {
      const char *gt = memchr(q, '>', (size_t)(p + n - q));
      q = gt ? gt + 1 : q;
      while (q < p + n && sheaf_is_xml_space(*q))
        q++;
    }
    if (q + 5 < p + n && strncmp(q, "<img ", 5) == 0) {
      const char *gt = memchr(q, '>', (size_t)(p + n - q));
      if (gt) {
        q = gt + 1;
        k = (size_t)(p + n - q);
        while (k && sheaf_is_xml_space(*q))
          q++, k--;
        if (k >= 4 && strncmp(q, "</a>", 4) == 0)
          q += 4;
        img_end = q;
      }
    }
  }
  sheaf_buf_puts(b, "<figure class=\"wp-caption");
  if (align && *align) {
    sheaf_buf_putc(b, ' ');
    put_attr(b, align);
  }
  sheaf_buf_puts(b, "\">");
  if (img_end == p) {
    /* No image found: the content is kept whole. */
    ok = expand(ctx, b, p, n, depth + 1);
  } else {
    sheaf_buf_put(b, p, (size_t)(img_end - p));
  }
  {
    struct sheaf_str text =
        sheaf_str_trim((struct sheaf_str){img_end, (size_t)(p + n - img_end)});
    if (img_end == p)
      text.n = 0;
    if ((cap && *cap) || text.n) {
      sheaf_buf_puts(b, "<figcaption class=\"wp-caption-text\">");
      if (cap && *cap)
        sheaf_buf_puts(b, cap);
      if (cap && *cap && text.n)
        sheaf_buf_putc(b, ' ');
      if (text.n && ok)
        ok = expand(ctx, b, text.p, text.n, depth + 1);
      sheaf_buf_puts(b, "</figcaption>");
    }
  }
  sheaf_buf_puts(b, "</figure>");
  sheaf_free(align);
  sheaf_free(cap);
  return ok;
}

static bool is_image_url(const char *url)
{
  static const char *const exts[] = {".jpg", ".jpeg", ".png",  ".gif", ".webp",
                                     ".svg", ".bmp",  ".avif", ".jpe"};
  size_t n = strcspn(url, "?#"), i;

  for (i = 0; i < sizeof exts / sizeof *exts; i++) {
    size_t k = strlen(exts[i]);
    if (n > k && sheaf_str_ieq((struct sheaf_str){url + n - k, k}, exts[i]))
      return true;
  }
  return false;
}

/* Orders of the two indexes; equal keys keep the export's order (the
 * address), so the first of a repeated id wins, as in the export. */
static int cmp_addr(const struct sheaf_wp_attachment *a,
                    const struct sheaf_wp_attachment *b)
{
  return (a > b) - (a < b);
}

static int cmp_id(const void *x, const void *y)
{
  const struct sheaf_wp_attachment *a = *(const struct sheaf_wp_attachment *const *)x;
  const struct sheaf_wp_attachment *b = *(const struct sheaf_wp_attachment *const *)y;

  if (a->id != b->id)
    return a->id < b->id ? -1 : 1;
  return cmp_addr(a, b);
}

static int cmp_parent(const void *x, const void *y)
{
  const struct sheaf_wp_attachment *a = *(const struct sheaf_wp_attachment *const *)x;
  const struct sheaf_wp_attachment *b = *(const struct sheaf_wp_attachment *const *)y;

  if (a->parent != b->parent)
    return a->parent < b->parent ? -1 : 1;
  if (a->menu_order != b->menu_order)
    return a->menu_order < b->menu_order ? -1 : 1;
  return cmp_id(x, y);
}

/* Builds ctx's two indexes once. False when out of memory. */
static bool index_atts(struct sheaf_shortcode_ctx *ctx)
{
  size_t i, n = ctx->natt;

  if (ctx->by_id || n == 0)
    return true;
  ctx->by_id = sheaf_malloc(n * sizeof *ctx->by_id);
  ctx->by_parent = sheaf_malloc(n * sizeof *ctx->by_parent);
  if (ctx->by_id == NULL || ctx->by_parent == NULL) {
    sheaf_free(ctx->by_id);
    sheaf_free(ctx->by_parent);
    ctx->by_id = ctx->by_parent = NULL;
    return false;
  }
  for (i = 0; i < n; i++)
    ctx->by_id[i] = ctx->by_parent[i] = &ctx->att[i];
  qsort(ctx->by_id, n, sizeof *ctx->by_id, cmp_id);
  qsort(ctx->by_parent, n, sizeof *ctx->by_parent, cmp_parent);
  return true;
}

/* The first position in `v` (sorted by the field) whose id, or parent when
 * `parent`, is at least `key`. */
static size_t lower_bound(const struct sheaf_wp_attachment *const *v, size_t n,
                          unsigned long key, bool parent)
{
  size_t lo = 0, hi = n;

  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if ((parent ? v[mid]->parent : v[mid]->id) < key)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* The first attachment with `id` (by_id is built), or NULL. */
static const struct sheaf_wp_attachment *find_att(const struct sheaf_shortcode_ctx *ctx,
                                                  unsigned long id)
{
  size_t i = lower_bound(ctx->by_id, ctx->natt, id, false);

  return i < ctx->natt && ctx->by_id[i]->id == id ? ctx->by_id[i] : NULL;
}

static bool listed(const char *list, unsigned long id)
{
  const char *p = list;

  while (p && *p) {
    char *end;
    unsigned long v;
    while (*p && !(*p >= '0' && *p <= '9'))
      p++;
    if (!*p)
      break;
    v = strtoul(p, &end, 10);
    if (v == id)
      return true;
    p = end;
  }
  return false;
}

/* One image of a gallery: with a caption, a figure of its own, as
 * WordPress shows it under the thumbnail. */
static void gallery_img(struct sheaf_buf *b, const struct sheaf_wp_attachment *a)
{
  if (a->caption)
    sheaf_buf_puts(b, "<figure class=\"gallery-item\">");
  sheaf_buf_puts(b, "<img src=\"");
  put_attr(b, a->url);
  sheaf_buf_puts(b, "\" alt=\"");
  if (a->alt) /* plain text, unlike the URL taken from the markup */
    sheaf_buf_put_xml(b, a->alt, strlen(a->alt), true);
  sheaf_buf_puts(b, "\"/>");
  if (a->caption) {
    sheaf_buf_puts(b, "<figcaption class=\"gallery-caption\">");
    sheaf_buf_puts(b, a->caption);
    sheaf_buf_puts(b, "</figcaption></figure>");
  }
}

#define GALLERY_MAX 1000

/* Whether a gallery may add another image: the post's expansion stops
 * growing at ctx->limit (16 times the post's size), since every image
 * copies its caption, and a post of a thousand galleries of one large
 * caption would otherwise become gigabytes. Warns once per post. */
static bool room(struct sheaf_shortcode_ctx *ctx, const struct sheaf_buf *b,
                 const struct sheaf_buf *inner)
{
  if (b->len + inner->len <= ctx->limit)
    return true;
  if (!ctx->over)
    sheaf_diag_add(ctx->diag, SHEAF_WARNING, "shortcode", ctx->file, ctx->line, 0,
                   "[gallery] images left out: with their captions the post would grow "
                   "past 16 times its size");
  ctx->over = true;
  return false;
}

/* [gallery ids="1,2"] (or include=), else the images attached to the post,
 * by menu order then id; exclude= is honoured. orderby=rand is not. */
static void gallery(struct sheaf_shortcode_ctx *ctx, struct sheaf_buf *b,
                    const struct sc *c)
{
  char *ids = attr(c, "ids", 0), *excl = attr(c, "exclude", 0);
  size_t count = 0, i;
  struct sheaf_buf inner;

  if (ids == NULL)
    ids = attr(c, "include", 0);
  sheaf_buf_init(&inner, 0);
  if (!index_atts(ctx)) {
    inner.failed = true;
  } else if (ids && *ids) {
    /* Each image once, and at most GALLERY_MAX: a shortcode repeating one
     * id would otherwise copy its caption without bound. */
    unsigned long seen[GALLERY_MAX];
    const char *p = ids;
    size_t tried = 0; /* ids looked up, missing ones included */
    while (*p && count < GALLERY_MAX && tried++ < 4 * GALLERY_MAX &&
           room(ctx, b, &inner)) {
      char *end;
      unsigned long id;
      const struct sheaf_wp_attachment *a;
      size_t k;
      while (*p && !(*p >= '0' && *p <= '9'))
        p++;
      if (!*p)
        break;
      id = strtoul(p, &end, 10);
      p = end;
      for (k = 0; k < count && seen[k] != id; k++)
        ;
      if (k < count)
        continue;
      if ((a = find_att(ctx, id)) != NULL && a->url && *a->url) {
        gallery_img(&inner, a);
        seen[count++] = id;
      }
    }
  } else if (ctx->post_id) {
    /* Attachments of the post in (menu_order, id) order, each (menu_order,
     * id) once. */
    const struct sheaf_wp_attachment *prev = NULL;
    for (i = lower_bound(ctx->by_parent, ctx->natt, ctx->post_id, true);
         i < ctx->natt && ctx->by_parent[i]->parent == ctx->post_id &&
         count < GALLERY_MAX && room(ctx, b, &inner);
         i++) {
      const struct sheaf_wp_attachment *a = ctx->by_parent[i];
      if (!a->url || !is_image_url(a->url) || listed(excl, a->id))
        continue;
      if (prev && a->menu_order == prev->menu_order && a->id == prev->id)
        continue;
      gallery_img(&inner, a);
      count++;
      prev = a;
    }
  }
  if (count) {
    sheaf_buf_puts(b, "<figure class=\"gallery\">");
    sheaf_buf_put(b, inner.ptr, inner.len);
    sheaf_buf_puts(b, "</figure>");
  } else if (!inner.failed) {
    sheaf_diag_add(ctx->diag, SHEAF_NOTE, "shortcode", ctx->file, ctx->line, 0,
                   "[gallery] has no images in the export; removed");
  }
  if (inner.failed)
    b->failed = true;
  sheaf_buf_fini(&inner);
  sheaf_free(ids);
  sheaf_free(excl);
}

static const struct sheaf_labels *L(const struct sheaf_shortcode_ctx *ctx)
{
  return ctx->labels ? ctx->labels : sheaf_labels_for("en");
}

/* [embed]URL[/embed], [video src=...], [audio mp3=...], [youtube URL]:
 * a paragraph with a link to the media. */
static void media(struct sheaf_shortcode_ctx *ctx, struct sheaf_buf *b,
                  const struct sc *c, const char *label)
{
  static const char *const keys[] = {"src", "mp4", "m4v", "webm", "ogv", "wmv", "flv",
                                     "mp3", "ogg", "m4a", "wav",  "wma", "url"};
  char *url = NULL;
  size_t i;
  struct sheaf_str u;

  for (i = 0; i < sizeof keys / sizeof *keys && url == NULL; i++)
    url = attr(c, keys[i], 0);
  if (url == NULL)
    url = attr(c, NULL, 0);
  if ((url == NULL || *url == '\0') && c->content) {
    sheaf_free(url);
    url = sheaf_strndup(c->content, c->clen);
  }
  if (url == NULL) {
    sheaf_diag_add(ctx->diag, SHEAF_NOTE, "shortcode", ctx->file, ctx->line, 0,
                   "[%.*s] names no media; removed", (int)c->nlen, c->name);
    return;
  }
  u = sheaf_str_trim((struct sheaf_str){url, strlen(url)});
  if (u.n && memchr(u.p, '<', u.n) == NULL) {
    char *v = sheaf_strndup(u.p, u.n);
    if (v == NULL) {
      b->failed = true;
    } else {
      sheaf_buf_printf(b, "<p class=\"wp-media\">%s: <a href=\"", label);
      put_attr(b, v);
      sheaf_buf_puts(b, "\">");
      sheaf_buf_put(b, v, strlen(v));
      sheaf_buf_puts(b, "</a></p>");
      sheaf_free(v);
    }
  } else if (u.n) {
    /* Markup instead of a URL: keep it. */
    sheaf_buf_put(b, u.p, u.n);
  }
  sheaf_free(url);
}

/* ---- the scanner -------------------------------------------------------------- */

/* Puts text[i..end) with '[' and ']' as character references, so that the
 * literal "[x]" of an escaped "[[x]]" is never taken for a shortcode again. */
static void put_literal(struct sheaf_buf *b, const char *s, size_t n)
{
  size_t i;

  for (i = 0; i < n; i++) {
    if (s[i] == '[')
      sheaf_buf_puts(b, "&#91;");
    else if (s[i] == ']')
      sheaf_buf_puts(b, "&#93;");
    else
      sheaf_buf_putc(b, s[i]);
  }
}

static size_t skip_element(const char *s, size_t n, size_t i, const char *name)
{
  size_t len = strlen(name), k;

  for (k = i + 1; k + len + 3 <= n; k++)
    if (s[k] == '<' && s[k + 1] == '/' && strncmp(s + k + 2, name, len) == 0 &&
        s[k + 2 + len] == '>')
      return k + len + 3;
  return n;
}

/* Whether an unknown self-closing shortcode reads as prose: words after the
 * name but no name="value" attribute. WordPress would show such text as it
 * is (no plugin registers it), and removing it would lose words. */
static bool prose(const struct sc *c)
{
  struct sheaf_str a = sheaf_str_trim((struct sheaf_str){c->atts, c->alen});

  return a.n > 0 && a.p[0] != '=' && memchr(a.p, '=', a.n) == NULL &&
         memchr(a.p, '"', a.n) == NULL && memchr(a.p, '\'', a.n) == NULL;
}

static bool expand(struct sheaf_shortcode_ctx *ctx, struct sheaf_buf *b, const char *s,
                   size_t n, unsigned depth)
{
  size_t i = 0, start = 0;
  struct sc c;

  if (depth > 16) {
    sheaf_buf_put(b, s, n);
    return !b->failed;
  }
  while (i < n) {
    if (s[i] == '<') {
      /* Tags are copied whole; <pre>, <code> and comments with all they hold. */
      size_t e = n;
      if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
        const char *x = NULL;
        size_t k;
        for (k = i + 4; k + 3 <= n && x == NULL; k++)
          if (memcmp(s + k, "-->", 3) == 0)
            x = s + k + 3;
        e = x ? (size_t)(x - s) : n;
      } else if (n - i >= 5 &&
                 (strncmp(s + i, "<pre>", 5) == 0 || strncmp(s + i, "<pre ", 5) == 0)) {
        e = skip_element(s, n, i, "pre");
      } else if (n - i >= 6 &&
                 (strncmp(s + i, "<code>", 6) == 0 || strncmp(s + i, "<code ", 6) == 0)) {
        e = skip_element(s, n, i, "code");
      } else {
        const char *gt = memchr(s + i, '>', n - i);
        e = gt ? (size_t)(gt - s) + 1 : i + 1;
      }
      i = e;
      continue;
    }
    if (s[i] != '[') {
      i++;
      continue;
    }
    /* Escaped: "[[x]]" (or "[[x]...[/x]]") is the literal text without the
     * outer brackets. */
    if (i + 1 < n && s[i + 1] == '[' && parse(s, n, i + 1, &c) && c.end < n &&
        s[c.end] == ']') {
      sheaf_buf_put(b, s + start, i - start);
      put_literal(b, s + i + 1, c.end - (i + 1));
      i = start = c.end + 1;
      continue;
    }
    if (!parse(s, n, i, &c)) {
      i++;
      continue;
    }
    sheaf_buf_put(b, s + start, i - start);
    if (name_eq(&c, "caption") || name_eq(&c, "wp_caption")) {
      if (!caption(ctx, b, &c, depth))
        return false;
    } else if (name_eq(&c, "gallery")) {
      gallery(ctx, b, &c);
    } else if (name_eq(&c, "embed")) {
      media(ctx, b, &c, L(ctx)->media);
    } else if (name_eq(&c, "video")) {
      media(ctx, b, &c, L(ctx)->video);
    } else if (name_eq(&c, "audio")) {
      media(ctx, b, &c, L(ctx)->audio);
    } else if (name_eq(&c, "youtube")) {
      media(ctx, b, &c, L(ctx)->video);
    } else if (c.content == NULL && prose(&c)) {
      /* "[simple boat]": an editor's bracket in prose, not a shortcode. */
      start = i++;
      continue;
    } else {
      warn_once(ctx, &c);
      if (c.content && !expand(ctx, b, c.content, c.clen, depth + 1))
        return false;
    }
    i = start = c.end;
  }
  sheaf_buf_put(b, s + start, n - start);
  return !b->failed;
}

char *sheaf_import_shortcodes(struct sheaf_shortcode_ctx *ctx, const char *text, size_t n)
{
  struct sheaf_buf b;

  ctx->limit = n < (SIZE_MAX - 65536) / 16 ? 16 * n + 65536 : SIZE_MAX;
  ctx->over = false;
  sheaf_buf_init(&b, 0);
  if (!expand(ctx, &b, text, n, 0)) {
    sheaf_buf_fini(&b);
    return NULL;
  }
  return sheaf_buf_detach(&b, NULL);
}

void sheaf_shortcode_ctx_fini(struct sheaf_shortcode_ctx *ctx)
{
  size_t i;

  for (i = 0; i < ctx->nwarned; i++)
    sheaf_free(ctx->warned[i]);
  sheaf_free(ctx->warned);
  ctx->warned = NULL;
  ctx->nwarned = ctx->warned_cap = 0;
  sheaf_free(ctx->by_id);
  sheaf_free(ctx->by_parent);
  ctx->by_id = ctx->by_parent = NULL;
}
