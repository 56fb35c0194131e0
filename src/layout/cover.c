/*
 * This file contains the cover: the page that shows it (text/cover.xhtml)
 * and, when the user gives no picture, a generated JPEG of 1600x2560 pixels
 * with the book's title, its tag, the site and the date range. Pango shapes,
 * orders and wraps the text (any script, either direction), cairo draws it
 * and libjpeg-turbo encodes it. The title wraps on words at the largest size
 * that fits, and breaks inside a word, with a hyphen, only when no size does.
 *
 * Reproducible bytes: the text is set in the DejaVu Serif files shipped in
 * assets/fonts through a private fontconfig configuration that knows no
 * other font, with fixed rendering options (no hinting, grey antialiasing).
 * Only when those fonts lack a glyph (CJK, Arabic, Hebrew...) is the cover
 * drawn again with the system's fonts added, and a note says so.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <jpeglib.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>

#include "layout/layout.h"

#define COVER_W 1600
#define COVER_H 2560
#define FRAME 80      /* the frame's inset */
#define TEXT_W 1330   /* room for a line of text */
#define TITLE_TOP 560 /* the title's box, between the tag and the rule */
#define TITLE_H 1180
#define TITLE_MAX 176 /* the title's largest and smallest sizes, pixels */
#define TITLE_MIN 64
#define FAMILY "DejaVu Serif"

#ifndef SHEAF_FONT_DIR_INSTALL
#define SHEAF_FONT_DIR_INSTALL "/usr/local/share/sheaf/fonts"
#endif
#ifndef SHEAF_FONT_DIR_SOURCE
#define SHEAF_FONT_DIR_SOURCE "assets/fonts"
#endif

struct rgb {
  double r, g, b;
};

/* A line or block of text, shaped once, and where its top left goes. */
struct piece {
  PangoLayout *l;
  double x, y;
};

/* The tag, the title, the site and the dates; the rule under the title is
 * drawn between the second and the third. */
#define PIECES 4
#define RULE_AFTER 2

/* What one drawing of the cover needs. */
struct cover {
  const struct sheaf_book *book;
  const char *lang;
  const struct sheaf_labels *lb;
  const char *title;
  struct rgb bg, fg;
  int unknown; /* glyphs no font had, over all the text shaped */
  bool hyphenated, cut;
  PangoFontMap *fm;          /* the fonts the pieces are shaped with, or NULL */
  struct piece text[PIECES]; /* in drawing order; l NULL: none */
};

static struct rgb hex_rgb(unsigned v)
{
  return (struct rgb){(double)(v >> 16 & 0xFF) / 255.0, (double)(v >> 8 & 0xFF) / 255.0,
                      (double)(v & 0xFF) / 255.0};
}

/* The folder of the shipped fonts: the installed copy, else the source
 * tree's (a build-tree binary); NULL when neither is there. */
static const char *font_dir(void)
{
  static const char *const dirs[] = {SHEAF_FONT_DIR_INSTALL, SHEAF_FONT_DIR_SOURCE};
  size_t i;

  for (i = 0; i < sizeof dirs / sizeof *dirs; i++) {
    char probe[4096];
    int n = snprintf(probe, sizeof probe, "%s/DejaVuSerif-Bold.ttf", dirs[i]);
    if (n > 0 && (size_t)n < sizeof probe && access(probe, R_OK) == 0)
      return dirs[i];
  }
  return NULL;
}

/* A fontconfig configuration with the shipped fonts and, when `system`,
 * the machine's too. NULL when it cannot be made. Files, not the folder,
 * are added: a folder scan wants a cache directory to write to. */
static FcConfig *fonts(const char *dir, bool system)
{
  static const char *const files[] = {"DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf",
                                      "DejaVuSerif-Italic.ttf"};
  FcConfig *c = system ? FcInitLoadConfigAndFonts() : FcConfigCreate();
  size_t i, added = 0;

  if (!c)
    return NULL;
  for (i = 0; dir && i < sizeof files / sizeof *files; i++) {
    char path[4096];
    int n = snprintf(path, sizeof path, "%s/%s", dir, files[i]);
    if (n > 0 && (size_t)n < sizeof path &&
        FcConfigAppFontAddFile(c, (const FcChar8 *)path))
      added++;
  }
  if (!system && added == 0) {
    FcConfigDestroy(c);
    return NULL;
  }
  return c;
}

static PangoLayout *text_layout(PangoContext *pc, const char *s, size_t n, double px,
                                PangoWeight weight, PangoStyle style)
{
  PangoLayout *l = pango_layout_new(pc);
  PangoFontDescription *fd = pango_font_description_new();

  pango_font_description_set_family_static(fd, FAMILY);
  pango_font_description_set_weight(fd, weight);
  pango_font_description_set_style(fd, style);
  pango_font_description_set_absolute_size(fd, px * PANGO_SCALE);
  pango_layout_set_font_description(l, fd);
  pango_font_description_free(fd);
  pango_layout_set_width(l, TEXT_W * PANGO_SCALE);
  pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
  pango_layout_set_text(l, s, (int)n);
  return l;
}

/* Places `l` (taken over) as piece `k`, with its top at `y` (or its first
 * baseline at `y` when `baseline`), centred in the frame. */
static void place(struct cover *c, int k, PangoLayout *l, double y, bool baseline)
{
  if (baseline)
    y -= (double)pango_layout_get_baseline(l) / PANGO_SCALE;
  c->text[k].l = l;
  c->text[k].x = (COVER_W - TEXT_W) / 2.0;
  c->text[k].y = y;
  c->unknown += pango_layout_get_unknown_glyphs_count(l);
}

/* One line of text as piece `k`, cut with an ellipsis when too long. */
static void line(struct cover *c, int k, PangoContext *pc, const char *s, double px,
                 double y, PangoStyle style, int spacing)
{
  size_t n = strlen(s);
  PangoLayout *l;

  if (n > 400)
    n = 400; /* the ellipsis comes far sooner; a bound for shaping */
  while (n > 0 && (s[n] & 0xC0) == 0x80)
    n--;
  l = text_layout(pc, s, n, px, PANGO_WEIGHT_NORMAL, style);
  pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
  if (spacing) {
    PangoAttrList *al = pango_attr_list_new();
    pango_attr_list_insert(al, pango_attr_letter_spacing_new(spacing * PANGO_SCALE));
    pango_layout_set_attributes(l, al);
    pango_attr_list_unref(al);
  }
  place(c, k, l, y, true);
}

/* Whether every line of `l` is within the text width and the whole within
 * the title's box. */
static bool fits(PangoLayout *l)
{
  int i, n = pango_layout_get_line_count(l);
  PangoRectangle r;

  for (i = 0; i < n; i++) {
    pango_layout_line_get_pixel_extents(pango_layout_get_line_readonly(l, i), NULL, &r);
    if (r.width > TEXT_W)
      return false;
  }
  pango_layout_get_pixel_extents(l, NULL, &r);
  return r.height <= TITLE_H;
}

/* The title, as piece `k`, at the largest size where it wraps on words; at
 * the smallest, broken inside words (with a hyphen), and cut with an
 * ellipsis if it still does not fit. */
static void title(struct cover *c, int k, PangoContext *pc)
{
  size_t n = strlen(c->title);
  PangoLayout *l = NULL;
  PangoRectangle r;
  double px;

  if (n > 2000)
    n = 2000; /* a cover shows far less; a bound for shaping */
  while (n > 0 && (c->title[n] & 0xC0) == 0x80)
    n--;
  for (px = TITLE_MAX; px >= TITLE_MIN; px = (double)(int)(px * 0.92)) {
    l = text_layout(pc, c->title, n, px, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL);
    pango_layout_set_wrap(l, PANGO_WRAP_WORD);
    pango_layout_set_spacing(l, (int)(px * 0.12) * PANGO_SCALE);
    if (fits(l))
      break;
    g_object_unref(l);
    l = NULL;
  }
  if (!l) {
    l = text_layout(pc, c->title, n, TITLE_MIN, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL);
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_spacing(l, (int)(TITLE_MIN * 0.12) * PANGO_SCALE);
    c->hyphenated = true;
    if (!fits(l)) {
      pango_layout_set_height(l, TITLE_H * PANGO_SCALE);
      pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
      c->cut = true;
    }
  }
  pango_layout_get_pixel_extents(l, NULL, &r);
  place(c, k, l, TITLE_TOP + (TITLE_H - r.height) / 2.0 - r.y, false);
}

/* Waits for the font map's last outside reference to go (see below). The
 * lock is pthread's, not glib's: ThreadSanitizer sees only the former. */
struct map_end {
  pthread_mutex_t lock;
  pthread_cond_t cond;
  bool last;
};

static void map_toggled(gpointer data, GObject *obj, gboolean is_last)
{
  struct map_end *e = data;

  (void)obj;
  pthread_mutex_lock(&e->lock);
  e->last = is_last != FALSE;
  pthread_cond_signal(&e->cond);
  pthread_mutex_unlock(&e->lock);
}

/* Frees a font map once pango's own threads are done with it. Pango (1.50)
 * matches and sorts fonts on short-lived threads that hold a reference to
 * the map and, as they end, look the pattern up in the map's tables; a
 * shutdown while one still runs destroys those tables under it (a crash
 * seen as SIGFPE in g_hash_table_lookup). A toggle reference tells when
 * ours is the only reference left: then no thread can touch the map, and
 * shutdown (which breaks the map's cycles with its fonts, so it is freed)
 * is safe. The threads do a bounded amount of work each, so the wait ends. */
static void release_font_map(PangoFontMap *fm)
{
  struct map_end e;

  pthread_mutex_init(&e.lock, NULL);
  pthread_cond_init(&e.cond, NULL);
  e.last = false;
  g_object_add_toggle_ref(G_OBJECT(fm), map_toggled, &e);
  g_object_unref(fm); /* no-op wait when no thread holds the map */
  pthread_mutex_lock(&e.lock);
  while (!e.last)
    pthread_cond_wait(&e.cond, &e.lock);
  pthread_mutex_unlock(&e.lock);
  pango_fc_font_map_shutdown(PANGO_FC_FONT_MAP(fm));
  /* Pango 1.50 keeps its reference to the configuration past the map's
   * end; taking the configuration away releases it on every version. */
  pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(fm), NULL);
  g_object_remove_toggle_ref(G_OBJECT(fm), map_toggled, &e);
  pthread_cond_destroy(&e.cond);
  pthread_mutex_destroy(&e.lock);
}

/* Shapes the cover's text with the fonts of `cfg` into c->text (the
 * caller frees it with unshape()). */
static void shape(FcConfig *cfg, struct cover *c)
{
  const struct sheaf_book *book = c->book;
  PangoFontMap *fm = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
  PangoContext *pc;
  cairo_font_options_t *fo = cairo_font_options_create();
  const char *site = book->publisher && *book->publisher ? book->publisher
                     : book->subtitle && *book->subtitle ? book->subtitle
                                                         : NULL;

  pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(fm), cfg);
  pc = pango_font_map_create_context(fm);
  /* Rendering options fixed here, not taken from the machine's settings. */
  cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options(pc, fo);
  pango_cairo_context_set_resolution(pc, 72.0); /* sizes in pixels */
  pango_context_set_language(pc, pango_language_from_string(c->lang));
  c->fm = fm;
  c->unknown = 0;
  c->hyphenated = c->cut = false;

  if (book->nsubjects && book->subjects[0] && *book->subjects[0])
    line(c, 0, pc, book->subjects[0], 60, 450, PANGO_STYLE_NORMAL, 8);
  title(c, 1, pc);
  if (site)
    line(c, 2, pc, site, 64, 2040, PANGO_STYLE_NORMAL, 0);
  if (book->first != SHEAF_TIME_UNKNOWN || book->last != SHEAF_TIME_UNKNOWN) {
    struct sheaf_buf range;
    sheaf_buf_init(&range, 0);
    sheaf_labels_date_range_tz(c->lb, book->first, book->first_offset, book->last,
                               book->last_offset, &range);
    if (!range.failed && range.len)
      line(c, 3, pc, range.ptr, 54, 2180, PANGO_STYLE_ITALIC, 0);
    sheaf_buf_fini(&range);
  }
  cairo_font_options_destroy(fo);
  g_object_unref(pc);
}

/* Frees what shape() made, its fonts included: a long build holds no font
 * state after its cover. */
static void unshape(struct cover *c)
{
  int k;

  for (k = 0; k < PIECES; k++) {
    if (c->text[k].l)
      g_object_unref(c->text[k].l);
    c->text[k].l = NULL;
  }
  if (c->fm)
    release_font_map(c->fm);
  c->fm = NULL;
}

/* Draws the rows [y0, y0 + the surface's height) of the cover on `cr`,
 * whose surface is a band of that many rows. Everything is drawn on every
 * band, moved up by a whole number of rows, so each pixel comes out as it
 * would on a surface of the whole cover. */
static void draw_band(cairo_t *cr, const struct cover *c, int y0)
{
  int k;

  cairo_save(cr);
  cairo_translate(cr, 0, -(double)y0);
  cairo_set_source_rgb(cr, c->bg.r, c->bg.g, c->bg.b);
  cairo_paint(cr);
  cairo_set_source_rgb(cr, c->fg.r, c->fg.g, c->fg.b);
  cairo_set_line_width(cr, 5.0);
  cairo_rectangle(cr, FRAME, FRAME, COVER_W - 2 * FRAME, COVER_H - 2 * FRAME);
  cairo_stroke(cr);
  for (k = 0; k < PIECES; k++) {
    if (k == RULE_AFTER) {
      cairo_rectangle(cr, (COVER_W - 260) / 2.0, 1860, 260, 5);
      cairo_fill(cr);
    }
    if (c->text[k].l) {
      cairo_move_to(cr, c->text[k].x, c->text[k].y);
      pango_cairo_show_layout(cr, c->text[k].l);
    }
  }
  cairo_restore(cr);
}

/* libjpeg's state, on the heap: it changes between setjmp and longjmp. */
struct jstate {
  struct jpeg_compress_struct ci;
  struct jpeg_error_mgr mgr;
  jmp_buf jb;
  unsigned char *mem; /* jpeg_mem_dest's buffer (malloc) */
  unsigned long memlen;
  unsigned char row[COVER_W * 3];
};

static void jerr_exit(j_common_ptr ci)
{
  longjmp(((struct jstate *)ci->client_data)->jb, 1);
}

static void jerr_quiet(j_common_ptr ci)
{
  (void)ci; /* the library never prints */
}

/* Rows drawn at a time: the cover is drawn band by band straight into the
 * encoder, so no surface of the whole cover (16 MB) is ever held. */
#define BAND 64

/* Installs table `i` of `t` as libjpeg's table `*slot`. */
static void install(j_compress_ptr ci, JHUFF_TBL **slot, const unsigned char bits[17],
                    const unsigned char val[256])
{
  if (!*slot)
    *slot = jpeg_alloc_huff_table((j_common_ptr)ci);
  memcpy((*slot)->bits, bits, 17);
  memcpy((*slot)->huffval, val, 256);
  (*slot)->sent_table = FALSE;
}

/* Draws the shaped cover `c`, `band` rows at a time, and encodes it as a
 * baseline JPEG into `out`: with the Huffman tables `t`, with libjpeg's
 * optimal ones (`optimize`: it then holds every coefficient of the
 * picture), or else with the standard ones. */
static sheaf_status encode(const struct cover *c, int band, bool optimize,
                           const struct sheaf_jpeg_tables *t, struct sheaf_buf *out)
{
  struct jstate *js = calloc(1, sizeof *js);
  cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, COVER_W, band);
  cairo_t *cr = cairo_create(s);
  sheaf_status ret = SHEAF_OK;
  int y0, y, x;

  if (!js || cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
    ret = SHEAF_ERR_NOMEM;
    goto out;
  }
  js->ci.err = jpeg_std_error(&js->mgr);
  js->mgr.error_exit = jerr_exit;
  js->mgr.output_message = jerr_quiet;
  js->ci.client_data = js;
  if (setjmp(js->jb)) {
    jpeg_destroy_compress(&js->ci);
    free(js->mem);
    ret = SHEAF_ERR_NOMEM; /* to memory, libjpeg fails only for memory */
    goto out;
  }
  jpeg_create_compress(&js->ci);
  js->ci.client_data = js; /* jpeg_create_compress clears the struct */
  jpeg_mem_dest(&js->ci, &js->mem, &js->memlen);
  js->ci.image_width = COVER_W;
  js->ci.image_height = COVER_H;
  js->ci.input_components = 3;
  js->ci.in_color_space = JCS_RGB;
  jpeg_set_defaults(&js->ci);
  jpeg_set_quality(&js->ci, 88, TRUE);
  js->ci.optimize_coding = optimize ? TRUE : FALSE;
  for (y = 0; t && y < 2; y++)
    if (t->used[y]) {
      install(&js->ci, &js->ci.dc_huff_tbl_ptrs[y], t->dc_bits[y], t->dc_val[y]);
      install(&js->ci, &js->ci.ac_huff_tbl_ptrs[y], t->ac_bits[y], t->ac_val[y]);
    }
  jpeg_start_compress(&js->ci, TRUE);
  for (y0 = 0; y0 < COVER_H; y0 += band) {
    const unsigned char *px;
    int stride;
    draw_band(cr, c, y0);
    cairo_surface_flush(s);
    px = cairo_image_surface_get_data(s);
    stride = cairo_image_surface_get_stride(s);
    for (y = 0; y < band && y0 + y < COVER_H; y++) {
      const uint32_t *in =
          (const uint32_t *)(const void *)(px + (size_t)y * (size_t)stride);
      JSAMPROW rp = js->row;
      for (x = 0; x < COVER_W; x++) {
        js->row[3 * x] = (unsigned char)(in[x] >> 16);
        js->row[3 * x + 1] = (unsigned char)(in[x] >> 8);
        js->row[3 * x + 2] = (unsigned char)in[x];
      }
      jpeg_write_scanlines(&js->ci, &rp, 1);
    }
  }
  if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
    jpeg_destroy_compress(&js->ci);
    free(js->mem);
    ret = SHEAF_ERR_NOMEM;
    goto out;
  }
  jpeg_finish_compress(&js->ci);
  sheaf_buf_put(out, (const char *)js->mem, js->memlen);
  jpeg_destroy_compress(&js->ci);
  free(js->mem);
  ret = out->failed ? SHEAF_ERR_NOMEM : SHEAF_OK;
out:
  free(js);
  cairo_destroy(cr);
  cairo_surface_destroy(s);
  return ret;
}

sheaf_status sheaf_layout_cover_jpeg(const struct sheaf_layout_ctx *cx,
                                     struct sheaf_buf *out)
{
  return sheaf_layout_cover_jpeg_bands(cx, BAND, out);
}

sheaf_status sheaf_layout_cover_jpeg_bands(const struct sheaf_layout_ctx *cx, int band,
                                           struct sheaf_buf *out)
{
  static const unsigned palette[][2] = {
      {0x1f3a5f, 0xf2efe6}, {0x5b2333, 0xf7f4ef}, {0x2f4f3a, 0xf1efe4},
      {0x3b3355, 0xf4f1ea}, {0x6b4226, 0xf8f3e9}, {0x243b4a, 0xeef2f3},
  };
  const struct sheaf_book *book = cx->book;
  struct cover c;
  unsigned char h[20];
  struct sheaf_sha1 sh;
  const char *dir = font_dir();
  FcConfig *cfg = NULL;
  sheaf_status ret = SHEAF_OK;
  size_t k;

  memset(&c, 0, sizeof c);
  c.book = book;
  c.lang = book->language && *book->language ? book->language : "en";
  c.lb = sheaf_labels_for(c.lang);
  c.title = book->title && *book->title ? book->title : c.lb->untitled;
  sheaf_sha1_init(&sh);
  sheaf_sha1_update(&sh, c.title, strlen(c.title));
  sheaf_sha1_final(&sh, h);
  k = h[0] % (sizeof palette / sizeof *palette);
  c.bg = hex_rgb(palette[k][0]);
  c.fg = hex_rgb(palette[k][1]);

  if (dir)
    cfg = fonts(dir, false);
  if (cfg) {
    shape(cfg, &c);
    if (c.unknown) {
      /* The shipped fonts lack some glyphs: add the machine's fonts. */
      FcConfig *more = fonts(dir, true);
      if (more) {
        unshape(&c);
        FcConfigDestroy(cfg);
        cfg = more;
        shape(cfg, &c);
        sheaf_diag_add(cx->diag, SHEAF_NOTE, "cover-fonts", NULL, 0, 0,
                       "the cover's text needs glyphs beyond the shipped DejaVu Serif; "
                       "it is set with the system's fonts, so its bytes depend on "
                       "the fonts installed");
      }
    }
  } else {
    cfg = fonts(NULL, true);
    if (!cfg) {
      ret = SHEAF_ERR_NOMEM;
      goto out;
    }
    shape(cfg, &c);
    sheaf_diag_add(cx->diag, SHEAF_WARNING, "cover-fonts", NULL, 0, 0,
                   "the cover's fonts are not installed (looked in %s and %s); the "
                   "cover is set with the system's fonts and is not reproducible "
                   "across machines",
                   SHEAF_FONT_DIR_INSTALL, SHEAF_FONT_DIR_SOURCE);
  }
  if (c.unknown)
    sheaf_diag_add(cx->diag, SHEAF_WARNING, "cover-fonts", NULL, 0, 0,
                   "no installed font has %d of the characters on the cover (they show "
                   "as boxes there; the title page has the text); install fonts for "
                   "the book's script, e.g. fonts-noto-core or fonts-noto-cjk",
                   c.unknown);
  if (c.cut)
    sheaf_diag_add(cx->diag, SHEAF_NOTE, "cover-title", NULL, 0, 0,
                   "the title is too long for the cover and is cut there with an "
                   "ellipsis; the title page has it whole");
  if (band < 1 || band >= COVER_H) {
    /* Whole, as sheaf drew it before: the reference the test compares. */
    ret = encode(&c, COVER_H, true, NULL, out);
  } else {
    /* In bands, twice: with the standard tables to count the symbols,
     * then with the optimal tables (huffman.c). The same bytes as above,
     * for a few rows of memory instead of the whole picture's. */
    struct sheaf_buf first;
    struct sheaf_jpeg_tables *t = sheaf_malloc(sizeof *t);
    sheaf_buf_init(&first, 0);
    ret = t ? encode(&c, band, false, NULL, &first) : SHEAF_ERR_NOMEM;
    if (ret == SHEAF_OK) {
      if (sheaf_jpeg_optimal_tables((const unsigned char *)first.ptr, first.len, t))
        ret = encode(&c, band, false, t, out);
      else /* not expected; libjpeg's way, in bands still */
        ret = encode(&c, band, true, NULL, out);
    }
    sheaf_buf_fini(&first);
    sheaf_free(t);
  }
out:
  unshape(&c);
  if (cfg)
    FcConfigDestroy(cfg);
  return ret;
}

sheaf_status sheaf_layout_cover_page(const struct sheaf_layout_ctx *cx,
                                     const char *img_href, struct sheaf_buf *out)
{
  const struct sheaf_book *book = cx->book;
  const char *lang = book->language && *book->language ? book->language : "en";
  const struct sheaf_labels *l = sheaf_labels_for(lang);
  const char *title = book->title && *book->title ? book->title : l->untitled;

  sheaf_layout_head_class(out, lang, l->cover, cx->user_css, "sheaf-cover-page");
  sheaf_buf_puts(out, "<section epub:type=\"cover\" id=\"sheaf-cover\" "
                      "class=\"sheaf-cover\">\n<img src=\"");
  sheaf_buf_put_xml(out, img_href, strlen(img_href), true);
  sheaf_buf_puts(out, "\" alt=\"");
  sheaf_buf_put_xml(out, title, strlen(title), true);
  sheaf_buf_puts(out, "\"/>\n</section>\n</body>\n</html>\n");
  return out->failed ? SHEAF_ERR_NOMEM : SHEAF_OK;
}
