/*
 * This file contains the cover: the page that shows it (text/cover.xhtml)
 * and, when the user gives no picture, a generated SVG with the book's title,
 * its tag, the site and the date range. The title is wrapped by an estimate
 * of each character's advance (CJK ideographs and kana are full-width, and a
 * line may break between any two of them), at the largest size that fits.
 * Everything is a function of the book alone, so the bytes are reproducible.
 */
#include <stdio.h>
#include <string.h>

#include "layout/layout.h"

#define COVER_W 600
#define COVER_H 900
#define TEXT_W 500 /* room for a line of the title */

/* Decodes one UTF-8 sequence at s; returns its length (1 for a bad byte). */
static size_t utf8_next(const unsigned char *s, unsigned *cp)
{
  if (s[0] < 0x80) {
    *cp = s[0];
    return 1;
  }
  if ((s[0] & 0xE0) == 0xC0 && (s[1] & 0xC0) == 0x80) {
    *cp = (unsigned)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
    return 2;
  }
  if ((s[0] & 0xF0) == 0xE0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
    *cp = (unsigned)(s[0] & 0x0F) << 12 | (unsigned)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
    return 3;
  }
  if ((s[0] & 0xF8) == 0xF0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 &&
      (s[3] & 0xC0) == 0x80) {
    *cp = (unsigned)(s[0] & 0x07) << 18 | (unsigned)(s[1] & 0x3F) << 12 |
          (unsigned)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
    return 4;
  }
  *cp = 0xFFFD;
  return 1;
}

/* Full-width scripts, where a line may break between any two characters. */
static bool is_wide(unsigned cp)
{
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
         (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
         (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

/* Advance in thousandths of an em: a rough serif average. */
static unsigned advance(unsigned cp)
{
  if (is_wide(cp))
    return 1000;
  if (cp == ' ')
    return 280;
  if (cp >= 'A' && cp <= 'Z')
    return 680;
  if (cp == 'i' || cp == 'l' || cp == 'j' || cp == '.' || cp == ',' || cp == '\'' ||
      cp == 'I' || cp == 't' || cp == 'f' || cp == ':' || cp == ';' || cp == '!')
    return 300;
  if (cp == 'm' || cp == 'w')
    return 780;
  return 540;
}

struct glyph {
  size_t off, len; /* bytes in the title */
  unsigned cp, adv;
};

struct line {
  size_t from, to; /* glyph indices [from, to) */
};

/* Greedy wrap of glyphs into lines of at most `max` (thousandths of an em).
 * Returns the number of lines (up to `cap` stored). */
static size_t wrap(const struct glyph *g, size_t n, unsigned long max, struct line *lines,
                   size_t cap)
{
  size_t nl = 0, start = 0, i, brk_end = 0, brk_next = 0;
  unsigned long width = 0;
  bool brk = false;

  for (i = 0; i < n; i++) {
    if (i == start && g[i].cp == ' ') {
      start = i + 1;
      continue;
    }
    if (g[i].cp == ' ') {
      brk = true;
      brk_end = i;
      brk_next = i + 1;
    } else if (is_wide(g[i].cp) && i > start) {
      brk = true;
      brk_end = brk_next = i;
    }
    width += g[i].adv;
    if (width > max && i > start) {
      size_t j;
      if (brk && brk_end > start) {
        if (nl < cap)
          lines[nl] = (struct line){start, brk_end};
        start = brk_next;
      } else {
        if (nl < cap)
          lines[nl] = (struct line){start, i};
        start = i;
      }
      nl++;
      while (start < n && start <= i && g[start].cp == ' ')
        start++;
      width = 0;
      for (j = start; j <= i; j++)
        width += g[j].adv;
      brk = false;
    }
    if (is_wide(g[i].cp)) {
      brk = true;
      brk_end = brk_next = i + 1;
    }
  }
  if (start < n) {
    size_t end = n;
    while (end > start && g[end - 1].cp == ' ')
      end--;
    if (end > start) {
      if (nl < cap)
        lines[nl] = (struct line){start, end};
      nl++;
    }
  }
  return nl;
}

static void text_el(struct sheaf_buf *out, int y, unsigned size, const char *extra,
                    const char *s, size_t n)
{
  sheaf_buf_printf(out, "<text x=\"%d\" y=\"%d\" font-size=\"%u\"%s>", COVER_W / 2, y,
                   size, extra);
  sheaf_buf_put_xml(out, s, n, false);
  sheaf_buf_puts(out, "</text>\n");
}

sheaf_status sheaf_layout_cover_svg(const struct sheaf_layout_ctx *cx,
                                    struct sheaf_buf *out)
{
  static const char *const palette[][2] = {
      {"#1f3a5f", "#f2efe6"}, {"#5b2333", "#f7f4ef"}, {"#2f4f3a", "#f1efe4"},
      {"#3b3355", "#f4f1ea"}, {"#6b4226", "#f8f3e9"}, {"#243b4a", "#eef2f3"},
  };
  static const unsigned sizes[] = {64, 56, 48, 42, 36, 31, 27, 24};
  const struct sheaf_book *book = cx->book;
  const char *lang = book->language && *book->language ? book->language : "en";
  const struct sheaf_labels *lb = sheaf_labels_for(lang);
  const char *title = book->title && *book->title ? book->title : lb->untitled;
  struct glyph *g = NULL;
  struct line lines[16];
  size_t n = 0, i, nl = 0, tl = strlen(title), k;
  unsigned size = sizes[0];
  unsigned char h[20];
  struct sheaf_sha1 sh;
  const char *bg, *fg;
  int y;

  g = sheaf_calloc(tl + 1, sizeof *g);
  if (!g)
    return SHEAF_ERR_NOMEM;
  for (i = 0; i < tl;) {
    size_t l = utf8_next((const unsigned char *)title + i, &g[n].cp);
    g[n].off = i;
    g[n].len = l;
    g[n].adv = advance(g[n].cp);
    n++;
    i += l;
  }
  /* The largest size at which the title fits in the space above the rule. */
  for (k = 0; k < sizeof sizes / sizeof *sizes; k++) {
    size_t room = (size_t)(420 / (sizes[k] * 12 / 10));
    size = sizes[k];
    nl = wrap(g, n, (unsigned long)TEXT_W * 1000 / size, lines, 16);
    if (nl <= room && nl <= 16)
      break;
  }
  if (nl > (size_t)(420 / (size * 12 / 10)))
    nl = (size_t)(420 / (size * 12 / 10)); /* cut; the title page has it whole */
  if (nl > 16)
    nl = 16;

  sheaf_sha1_init(&sh);
  sheaf_sha1_update(&sh, title, tl);
  sheaf_sha1_final(&sh, h);
  bg = palette[h[0] % (sizeof palette / sizeof *palette)][0];
  fg = palette[h[0] % (sizeof palette / sizeof *palette)][1];

  sheaf_buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" ");
  sheaf_buf_printf(out, "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" xml:lang=\"",
                   COVER_W, COVER_H, COVER_W, COVER_H);
  sheaf_buf_put_xml(out, lang, strlen(lang), true);
  sheaf_buf_puts(out, "\">\n<title>");
  sheaf_buf_put_xml(out, title, tl, false);
  sheaf_buf_puts(out, "</title>\n");
  sheaf_buf_printf(out,
                   "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"%s\"/>\n",
                   COVER_W, COVER_H, bg);
  sheaf_buf_printf(out,
                   "<rect x=\"30\" y=\"30\" width=\"%d\" height=\"%d\" fill=\"none\" "
                   "stroke=\"%s\" stroke-width=\"2\"/>\n",
                   COVER_W - 60, COVER_H - 60, fg);
  sheaf_buf_printf(out,
                   "<g fill=\"%s\" font-family=\"serif\" text-anchor=\"middle\"%s>\n", fg,
                   sheaf_layout_lang_rtl(lang) ? " direction=\"rtl\"" : "");
  /* The tag, above the title. */
  if (book->nsubjects && book->subjects[0] && *book->subjects[0])
    text_el(out, 150, 24, " letter-spacing=\"3\"", book->subjects[0],
            strlen(book->subjects[0]));
  /* The title, centred on the space between tag and rule. */
  y = 200 + (int)(420 - nl * (size * 12 / 10)) / 2 + (int)size;
  for (i = 0; i < nl; i++) {
    size_t from = g[lines[i].from].off;
    size_t to = lines[i].to < n ? g[lines[i].to].off : tl;
    text_el(out, y, size, " font-weight=\"bold\"", title + from, to - from);
    y += (int)(size * 12 / 10);
  }
  sheaf_buf_printf(out, "<rect x=\"250\" y=\"660\" width=\"100\" height=\"2\"/>\n");
  {
    const char *site = book->publisher && *book->publisher ? book->publisher
                       : book->subtitle && *book->subtitle ? book->subtitle
                                                           : NULL;
    if (site)
      text_el(out, 720, 24, "", site, strlen(site) > 200 ? 200 : strlen(site));
  }
  if (book->first != SHEAF_TIME_UNKNOWN || book->last != SHEAF_TIME_UNKNOWN) {
    struct sheaf_buf range;
    sheaf_buf_init(&range, 0);
    sheaf_labels_date_range(lb, book->first, book->last, &range);
    if (range.failed)
      out->failed = true;
    else
      text_el(out, 770, 20,
              sheaf_labels_match(lb, lang) ? " font-style=\"italic\""
                                           : " font-style=\"italic\" xml:lang=\"en\"",
              range.ptr, range.len);
    sheaf_buf_fini(&range);
  }
  sheaf_buf_puts(out, "</g>\n</svg>\n");
  sheaf_free(g);
  return out->failed ? SHEAF_ERR_NOMEM : SHEAF_OK;
}

sheaf_status sheaf_layout_cover_page(const struct sheaf_layout_ctx *cx,
                                     const char *img_href, struct sheaf_buf *out)
{
  const struct sheaf_book *book = cx->book;
  const char *lang = book->language && *book->language ? book->language : "en";
  const struct sheaf_labels *l = sheaf_labels_for(lang);
  const char *title = book->title && *book->title ? book->title : l->untitled;

  sheaf_layout_head(out, lang, l->cover, cx->user_css);
  sheaf_buf_puts(out, "<section epub:type=\"cover\" id=\"sheaf-cover\" "
                      "class=\"sheaf-cover\">\n<img src=\"");
  sheaf_buf_put_xml(out, img_href, strlen(img_href), true);
  sheaf_buf_puts(out, "\" alt=\"");
  sheaf_buf_put_xml(out, title, strlen(title), true);
  sheaf_buf_puts(out, "\"/>\n</section>\n</body>\n</html>\n");
  return out->failed ? SHEAF_ERR_NOMEM : SHEAF_OK;
}
