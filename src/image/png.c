/*
 * This file contains the PNG codec, on libpng. Decoding expands palettes,
 * transparency and small bit depths to 8-bit grey or RGB with or without
 * alpha, reads the ICC profile and the eXIf orientation, and streams rows
 * into the pipe; only an interlaced PNG needs its whole frame in memory
 * (capped by SHEAF_IMG_MAX_BUFFER). Encoding writes a palette PNG when
 * the picture has at most 256 colours, else grey or RGB with alpha as
 * needed, with fixed zlib and filter settings and no time chunk, so equal
 * pictures give equal bytes.
 */
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <png.h>

#include "image/image.h"

struct perr {
  jmp_buf jb;
  char msg[160];
  bool nomem;
};

static void on_error(png_structp png, png_const_charp msg)
{
  struct perr *e = png_get_error_ptr(png);

  snprintf(e->msg, sizeof e->msg, "%s", msg);
  longjmp(e->jb, 1);
}

static void on_warning(png_structp png, png_const_charp msg)
{
  (void)png; /* libpng recovers (a bad ancillary chunk is skipped) */
  (void)msg;
}

struct memrd {
  const unsigned char *p;
  size_t n, off;
};

static void mem_read(png_structp png, png_bytep data, size_t len)
{
  struct memrd *m = png_get_io_ptr(png);

  if (len > m->n - m->off)
    png_error(png, "the file ends before the picture does");
  memcpy(data, m->p + m->off, len);
  m->off += len;
}

sheaf_status sheaf_img_png_decode(const void *p, size_t n, struct sheaf_img_pipe *pipe)
{
  struct perr pe;
  struct memrd m = {p, n, 0};
  struct sheaf_img_info info;
  png_structp png;
  png_infop pinfo = NULL;
  volatile sheaf_status ret = SHEAF_OK;
  unsigned char *volatile buf = NULL;
  png_uint_32 w, h, y;
  int depth, ctype, passes, pass;
  size_t rowbytes;

  memset(&pe, 0, sizeof pe);
  memset(&info, 0, sizeof info);
  info.fmt = SHEAF_IMG_PNG;
  if (n >= 24) { /* a bomb is refused from its header alone */
    const unsigned char *b = p;
    info.width =
        (unsigned)b[16] << 24 | (unsigned)b[17] << 16 | (unsigned)b[18] << 8 | b[19];
    info.height =
        (unsigned)b[20] << 24 | (unsigned)b[21] << 16 | (unsigned)b[22] << 8 | b[23];
    if ((uint64_t)info.width * info.height > pipe->o->max_pixels)
      return sheaf_img_pipe_header(pipe, &info);
  }
  png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &pe, on_error, on_warning);
  if (!png || !(pinfo = png_create_info_struct(png))) {
    png_destroy_read_struct(png ? &png : NULL, NULL, NULL);
    return SHEAF_ERR_NOMEM;
  }
  if (setjmp(pe.jb)) {
    if (ret == SHEAF_OK)
      ret = sheaf_img_fail(pipe->r, SHEAF_ERR_PARSE, "a broken PNG (%s)", pe.msg);
    goto out;
  }
  /* sheaf's own pixel limit applies; chunks (ICC, text) stay small. */
  png_set_user_limits(png, 0x7fffffffL, 0x7fffffffL);
  png_set_chunk_malloc_max(png, (png_alloc_size_t)16 << 20);
  png_set_read_fn(png, &m, mem_read);
  png_read_info(png, pinfo);
  w = png_get_image_width(png, pinfo);
  h = png_get_image_height(png, pinfo);
  depth = png_get_bit_depth(png, pinfo);
  ctype = png_get_color_type(png, pinfo);
  info.width = w;
  info.height = h;
  info.gray = !(ctype & PNG_COLOR_MASK_COLOR);
  info.lossless = true;
  if (png_get_valid(png, pinfo, PNG_INFO_iCCP) &&
      !png_get_valid(png, pinfo, PNG_INFO_sRGB)) {
    png_charp name;
    int comp;
    png_bytep prof;
    png_uint_32 plen;
    if (png_get_iCCP(png, pinfo, &name, &comp, &prof, &plen)) {
      info.icc = prof;
      info.icc_len = plen;
    }
  }
#ifdef PNG_eXIf_SUPPORTED
  {
    png_uint_32 num = 0;
    png_bytep exif = NULL;
    if (png_get_eXIf_1(png, pinfo, &num, &exif) && exif)
      info.orientation = sheaf_img_exif_orientation(exif, num);
  }
#endif
  ret = sheaf_img_pipe_header(pipe, &info);
  if (ret != SHEAF_OK)
    goto out;
  png_set_expand(png);
  if (depth == 16)
    png_set_scale_16(png);
  passes = png_set_interlace_handling(png);
  png_read_update_info(png, pinfo);
  rowbytes = png_get_rowbytes(png, pinfo);
  ret = sheaf_img_pipe_start(pipe, w, h, png_get_channels(png, pinfo));
  if (ret != SHEAF_OK)
    goto out;
  if (passes > 1 && !pipe->keep) {
    /* Interlaced: every pass fills rows all over the picture. */
    if (rowbytes > SHEAF_IMG_MAX_BUFFER / h) {
      ret = sheaf_img_fail(pipe->r, SHEAF_ERR_LIMIT,
                           "an interlaced PNG of %ux%u pixels, too large to decode "
                           "within the memory limit",
                           (unsigned)w, (unsigned)h);
      goto out;
    }
    buf = sheaf_calloc(h, rowbytes);
    if (!buf) {
      ret = SHEAF_ERR_NOMEM;
      goto out;
    }
    for (pass = 0; pass < passes; pass++)
      for (y = 0; y < h; y++)
        png_read_row(png, buf + (size_t)y * rowbytes, NULL);
    for (y = 0; y < h && ret == SHEAF_OK; y++)
      ret = sheaf_img_pipe_row(pipe, buf + (size_t)y * rowbytes);
  } else {
    buf = sheaf_malloc(rowbytes ? rowbytes : 1);
    if (!buf) {
      ret = SHEAF_ERR_NOMEM;
      goto out;
    }
    for (pass = 0; pass < passes; pass++)
      for (y = 0; y < h && ret == SHEAF_OK; y++) {
        png_read_row(png, buf, NULL);
        ret = sheaf_img_pipe_row(pipe, buf);
      }
  }
  if (ret != SHEAF_OK)
    goto out;
  png_read_end(png, NULL);
out:
  png_destroy_read_struct(&png, &pinfo, NULL);
  sheaf_free(buf);
  return ret;
}

/* ---- colours ------------------------------------------------------------- */

struct cset {
  uint32_t key[512];
  int16_t idx[512]; /* -1: empty */
  size_t n;
};

static uint32_t pixel(const unsigned char *q, unsigned ch)
{
  uint32_t v = 0;
  unsigned c;

  for (c = 0; c < ch; c++)
    v = v << 8 | q[c];
  return v;
}

/* The slot of `v`: where it is, or the empty one it would take. */
static unsigned slot(const struct cset *s, uint32_t v)
{
  unsigned h = (v * 2654435761u) >> 23;

  while (s->idx[h] >= 0 && s->key[h] != v)
    h = (h + 1) & 511;
  return h;
}

static size_t count(const struct sheaf_img_pixmap *pm, size_t limit, uint32_t *pal,
                    struct cset *s)
{
  size_t i, n = (size_t)pm->w * pm->h;

  memset(s->idx, 0xff, sizeof s->idx);
  s->n = 0;
  for (i = 0; i < n; i++) {
    uint32_t v = pixel(pm->px + i * pm->ch, pm->ch);
    unsigned h = slot(s, v);
    if (s->idx[h] >= 0)
      continue;
    if (s->n == limit)
      return limit + 1;
    s->key[h] = v;
    s->idx[h] = (int16_t)s->n;
    if (pal)
      pal[s->n] = v;
    s->n++;
  }
  return s->n;
}

size_t sheaf_img_count_colors(const struct sheaf_img_pixmap *pm, size_t limit,
                              uint32_t *pal)
{
  struct cset s;

  return count(pm, limit > 256 ? 256 : limit, pal, &s);
}

/* ---- encoding ------------------------------------------------------------ */

struct memwr {
  struct sheaf_buf *out;
  struct perr *e;
};

static void mem_write(png_structp png, png_bytep data, size_t len)
{
  struct memwr *m = png_get_io_ptr(png);

  if (!sheaf_buf_put(m->out, data, len)) {
    m->e->nomem = true;
    png_error(png, "out of memory");
  }
}

static void mem_flush(png_structp png)
{
  (void)png;
}

sheaf_status sheaf_img_png_encode(const struct sheaf_img_pixmap *pm,
                                  struct sheaf_buf *out, struct sheaf_img_result *r)
{
  struct perr pe;
  struct memwr m;
  struct cset set;
  uint32_t pal[256];
  png_structp png;
  png_infop pinfo = NULL;
  volatile sheaf_status ret = SHEAF_OK;
  unsigned char *volatile line = NULL;
  size_t ncol, i;
  unsigned y, x, ch = pm->ch;
  bool alpha = ch == 2 || ch == 4;

  memset(&pe, 0, sizeof pe);
  m.out = out;
  m.e = &pe;
  ncol = count(pm, 256, pal, &set);
  png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &pe, on_error, on_warning);
  if (!png || !(pinfo = png_create_info_struct(png))) {
    png_destroy_write_struct(png ? &png : NULL, NULL);
    return SHEAF_ERR_NOMEM;
  }
  if (setjmp(pe.jb)) {
    if (ret == SHEAF_OK)
      ret = pe.nomem ? SHEAF_ERR_NOMEM
                     : sheaf_img_fail(r, SHEAF_ERR_INTERNAL, "cannot encode a PNG (%s)",
                                      pe.msg);
    goto out;
  }
  png_set_write_fn(png, &m, mem_write, mem_flush);
  png_set_compression_level(png, 6);
  if (ncol <= 256) {
    png_color plte[256];
    png_byte trans[256];
    int depth = ncol <= 2 ? 1 : ncol <= 4 ? 2 : ncol <= 16 ? 4 : 8;
    size_t ntrans = 0;
    for (i = 0; i < ncol; i++) {
      uint32_t v = pal[i];
      unsigned a = alpha ? v & 0xff : 255, c = alpha ? v >> 8 : v;
      if (ch <= 2) {
        plte[i].red = plte[i].green = plte[i].blue = (png_byte)c;
      } else {
        plte[i].red = (png_byte)(c >> 16);
        plte[i].green = (png_byte)(c >> 8);
        plte[i].blue = (png_byte)c;
      }
      trans[i] = (png_byte)a;
      if (a != 255)
        ntrans = i + 1;
    }
    png_set_IHDR(png, pinfo, pm->w, pm->h, depth, PNG_COLOR_TYPE_PALETTE,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    png_set_PLTE(png, pinfo, plte, (int)ncol);
    if (ntrans)
      png_set_tRNS(png, pinfo, trans, (int)ntrans, NULL);
    png_set_filter(png, 0, PNG_FILTER_NONE);
    png_write_info(png, pinfo);
    if (depth < 8)
      png_set_packing(png);
    line = sheaf_malloc(pm->w ? pm->w : 1);
    if (!line) {
      ret = SHEAF_ERR_NOMEM;
      goto out;
    }
    for (y = 0; y < pm->h; y++) {
      const unsigned char *q = pm->px + (size_t)y * pm->w * ch;
      for (x = 0; x < pm->w; x++, q += ch)
        line[x] = (unsigned char)set.idx[slot(&set, pixel(q, ch))];
      png_write_row(png, line);
    }
  } else {
    static const int types[] = {0, PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA,
                                PNG_COLOR_TYPE_RGB, PNG_COLOR_TYPE_RGB_ALPHA};
    png_set_IHDR(png, pinfo, pm->w, pm->h, 8, types[ch], PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_filter(png, 0, PNG_ALL_FILTERS);
    png_write_info(png, pinfo);
    for (y = 0; y < pm->h; y++)
      png_write_row(png, pm->px + (size_t)y * pm->w * ch);
  }
  png_write_end(png, NULL);
out:
  png_destroy_write_struct(&png, &pinfo);
  sheaf_free(line);
  return ret;
}
