/*
 * Unit tests of src/image: real pictures made here with the codecs'
 * own encoders (libjpeg-turbo, libpng, libwebp, giflib, lcms2 for a
 * profile), converted, and decoded again to check size, format and
 * pixels: EXIF orientation, CMYK, an ICC profile, alpha, palettes,
 * WebP, an animated GIF, decompression bombs and truncated files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gif_lib.h>
#include <jpeglib.h>
#include <lcms2.h>
#include <png.h>
#include <webp/encode.h>
#include <zlib.h>

#include "image/image.h"

/* ---- making pictures ------------------------------------------------------ */

struct pic {
  unsigned char *p;
  size_t n;
};

/* A test pattern: red top-left quarter, the rest a diagonal gradient. */
static void pattern(unsigned char *px, unsigned w, unsigned h, unsigned ch)
{
  unsigned x, y, c;

  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++) {
      unsigned char *q = px + ((size_t)y * w + x) * ch;
      bool red = x < w / 2 && y < h / 2;
      unsigned char v[4] = {red ? 255 : 0, red ? 0 : (unsigned char)(x * 255 / w),
                            red ? 0 : (unsigned char)(y * 255 / h), 255};
      for (c = 0; c < ch; c++)
        q[c] = v[c];
    }
}

struct jpeg_opts {
  unsigned orientation; /* 0: no EXIF */
  bool cmyk;
  const unsigned char *icc;
  size_t icc_len;
  size_t pad; /* bytes of comment (metadata) */
};

static struct pic make_jpeg(unsigned w, unsigned h, const struct jpeg_opts *o)
{
  struct jpeg_compress_struct ci;
  struct jpeg_error_mgr je;
  unsigned char *mem = NULL, *px;
  unsigned long size = 0;
  unsigned ch = o && o->cmyk ? 4 : 3, y, x;
  struct pic r;

  px = malloc((size_t)w * h * ch);
  if (ch == 4) { /* Adobe CMYK (inverted): pure red is M and Y ink */
    for (y = 0; y < h; y++)
      for (x = 0; x < w; x++) {
        unsigned char *q = px + ((size_t)y * w + x) * 4;
        q[0] = 255;
        q[1] = 0;
        q[2] = 0;
        q[3] = 255;
      }
  } else {
    pattern(px, w, h, 3);
  }
  ci.err = jpeg_std_error(&je);
  jpeg_create_compress(&ci);
  jpeg_mem_dest(&ci, &mem, &size);
  ci.image_width = w;
  ci.image_height = h;
  ci.input_components = (int)ch;
  ci.in_color_space = ch == 4 ? JCS_CMYK : JCS_RGB;
  jpeg_set_defaults(&ci);
  if (ch == 4)
    jpeg_set_colorspace(&ci, JCS_YCCK);
  jpeg_set_quality(&ci, 95, TRUE);
  jpeg_start_compress(&ci, TRUE);
  if (o && o->orientation) {
    unsigned char exif[6 + 8 + 2 + 12 + 4] = "Exif\0\0MM\0\x2a\0\0\0\x08";
    unsigned char *e = exif + 14;
    e[0] = 0;
    e[1] = 1; /* one entry */
    memcpy(e + 2, "\x01\x12\x00\x03\x00\x00\x00\x01", 8);
    e[10] = 0;
    e[11] = (unsigned char)o->orientation;
    e[12] = e[13] = 0;
    memset(e + 14, 0, 4);
    jpeg_write_marker(&ci, JPEG_APP0 + 1, exif, sizeof exif);
  }
  if (o && o->icc)
    jpeg_write_icc_profile(&ci, o->icc, (unsigned)o->icc_len);
  if (o && o->pad) {
    static unsigned char com[60000];
    size_t left = o->pad;
    memset(com, 'x', sizeof com);
    while (left > 0) {
      unsigned k = left > sizeof com ? (unsigned)sizeof com : (unsigned)left;
      jpeg_write_marker(&ci, JPEG_COM, com, k);
      left -= k;
    }
  }
  for (y = 0; y < h; y++) {
    JSAMPROW row = px + (size_t)y * w * ch;
    jpeg_write_scanlines(&ci, &row, 1);
  }
  jpeg_finish_compress(&ci);
  jpeg_destroy_compress(&ci);
  free(px);
  r.p = mem;
  r.n = size;
  return r;
}

struct pngw {
  unsigned char *p;
  size_t n;
};

static void png_wr(png_structp png, png_bytep d, size_t n)
{
  struct pngw *b = png_get_io_ptr(png);

  b->p = realloc(b->p, b->n + n);
  memcpy(b->p + b->n, d, n);
  b->n += n;
}

static void png_fl(png_structp png)
{
  (void)png;
}

/* A PNG of `ch` channels (3 or 4), or a palette PNG of 4 colours (ch 0). */
static struct pic make_png(unsigned w, unsigned h, unsigned ch, bool interlace)
{
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
  png_infop info = png_create_info_struct(png);
  struct pngw b = {NULL, 0};
  unsigned char *px = malloc((size_t)w * h * 4);
  unsigned y, x;
  int passes, pass;
  struct pic r;

  png_set_write_fn(png, &b, png_wr, png_fl);
  if (ch == 0) {
    png_color plte[4] = {{255, 0, 0}, {0, 0, 255}, {255, 255, 255}, {0, 0, 0}};
    png_set_IHDR(png, info, w, h, 8, PNG_COLOR_TYPE_PALETTE, PNG_INTERLACE_NONE, 0, 0);
    png_set_PLTE(png, info, plte, 4);
    for (y = 0; y < h; y++)
      for (x = 0; x < w; x++)
        px[(size_t)y * w + x] = (unsigned char)((x / 8 + y / 8) % 4);
  } else {
    png_set_IHDR(png, info, w, h, 8, ch == 4 ? PNG_COLOR_TYPE_RGBA : PNG_COLOR_TYPE_RGB,
                 interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE, 0, 0);
    pattern(px, w, h, ch);
    if (ch == 4) /* the right half fades out */
      for (y = 0; y < h; y++)
        for (x = w / 2; x < w; x++)
          px[((size_t)y * w + x) * 4 + 3] = (unsigned char)(255 - (x - w / 2) * 255 / w);
  }
  png_write_info(png, info);
  passes = interlace ? png_set_interlace_handling(png) : 1;
  for (pass = 0; pass < passes; pass++)
    for (y = 0; y < h; y++)
      png_write_row(png, px + (size_t)y * w * (ch ? ch : 1));
  png_write_end(png, NULL);
  png_destroy_write_struct(&png, &info);
  free(px);
  r.p = b.p;
  r.n = b.n;
  return r;
}

static struct pic make_webp(unsigned w, unsigned h, bool alpha)
{
  unsigned ch = alpha ? 4 : 3;
  unsigned char *px = malloc((size_t)w * h * ch);
  uint8_t *out = NULL;
  struct pic r;

  pattern(px, w, h, ch);
  if (alpha) {
    px[3] = 0; /* one transparent pixel */
    r.n = WebPEncodeLosslessRGBA(px, (int)w, (int)h, (int)(w * 4), &out);
  } else {
    r.n = WebPEncodeRGB(px, (int)w, (int)h, (int)(w * 3), 90, &out);
  }
  r.p = malloc(r.n);
  memcpy(r.p, out, r.n);
  WebPFree(out);
  free(px);
  return r;
}

static int gif_wr(GifFileType *g, const GifByteType *d, int n)
{
  struct pngw *b = g->UserData;

  b->p = realloc(b->p, b->n + (size_t)n);
  memcpy(b->p + b->n, d, (size_t)n);
  b->n += (size_t)n;
  return n;
}

/* A GIF of `frames` frames, each a different colour, with `pad` bytes of
 * comment to make it large. */
static struct pic make_gif(unsigned w, unsigned h, unsigned frames, size_t pad)
{
  struct pngw b = {NULL, 0};
  int err;
  GifFileType *g = EGifOpen(&b, gif_wr, &err);
  GifColorType cols[4] = {{0, 200, 0}, {200, 0, 0}, {0, 0, 200}, {255, 255, 255}};
  ColorMapObject *map = GifMakeMapObject(4, cols);
  GifByteType *line = malloc(w);
  unsigned f, y;
  struct pic r;

  EGifSetGifVersion(g, true);
  EGifPutScreenDesc(g, (int)w, (int)h, 2, 0, map);
  while (pad > 0) {
    unsigned char c[255];
    size_t k = pad > 255 ? 255 : pad;
    memset(c, 'x', k);
    EGifPutExtension(g, COMMENT_EXT_FUNC_CODE, (int)k, c);
    pad -= k;
  }
  for (f = 0; f < frames; f++) {
    EGifPutImageDesc(g, 0, 0, (int)w, (int)h, false, NULL);
    memset(line, (int)(f % 3), w);
    for (y = 0; y < h; y++)
      EGifPutLine(g, line, (int)w);
  }
  EGifCloseFile(g, &err);
  GifFreeMapObject(map);
  free(line);
  r.p = b.p;
  r.n = b.n;
  return r;
}

/* ---- reading results ---------------------------------------------------- */

/* Decodes a JPEG or PNG result to RGB (3 channels) or RGBA. */
static unsigned char *decode(const struct sheaf_img_result *r, unsigned *ch)
{
  if (r->fmt == SHEAF_IMG_JPEG) {
    struct jpeg_decompress_struct ci;
    struct jpeg_error_mgr je;
    unsigned char *px;
    ci.err = jpeg_std_error(&je);
    jpeg_create_decompress(&ci);
    jpeg_mem_src(&ci, (const unsigned char *)r->data, (unsigned long)r->len);
    jpeg_read_header(&ci, TRUE);
    ci.out_color_space = JCS_RGB;
    jpeg_start_decompress(&ci);
    assert_int_equal(ci.output_width, r->width);
    assert_int_equal(ci.output_height, r->height);
    px = malloc((size_t)r->width * r->height * 3);
    while (ci.output_scanline < ci.output_height) {
      JSAMPROW row = px + (size_t)ci.output_scanline * r->width * 3;
      jpeg_read_scanlines(&ci, &row, 1);
    }
    jpeg_finish_decompress(&ci);
    jpeg_destroy_decompress(&ci);
    *ch = 3;
    return px;
  } else {
    png_image im;
    unsigned char *px;
    memset(&im, 0, sizeof im);
    im.version = PNG_IMAGE_VERSION;
    assert_true(png_image_begin_read_from_memory(&im, r->data, r->len));
    assert_int_equal(im.width, r->width);
    assert_int_equal(im.height, r->height);
    im.format = PNG_FORMAT_RGBA;
    px = malloc(PNG_IMAGE_SIZE(im));
    assert_true(png_image_finish_read(&im, NULL, px, 0, NULL));
    *ch = 4;
    return px;
  }
}

static bool near(const unsigned char *q, int r, int g, int b)
{
  return abs(q[0] - r) < 40 && abs(q[1] - g) < 40 && abs(q[2] - b) < 40;
}

static const unsigned char *at(const unsigned char *px, unsigned w, unsigned ch,
                               unsigned x, unsigned y)
{
  return px + ((size_t)y * w + x) * ch;
}

static struct sheaf_img_opts box(unsigned w, unsigned h)
{
  struct sheaf_img_opts o;

  memset(&o, 0, sizeof o);
  o.max_w = w;
  o.max_h = h;
  return o;
}

/* ---- the tests ------------------------------------------------------------ */

static void jpeg_scaled(void **state)
{
  struct pic in = make_jpeg(800, 600, NULL);
  struct sheaf_img_opts o = box(200, 300);
  struct sheaf_img_result r, r2;
  unsigned char *px;
  unsigned ch;

  (void)state;
  assert_int_equal(sheaf_img_convert(in.p, in.n, &o, &r), SHEAF_OK);
  assert_non_null(r.data);
  assert_int_equal(r.fmt, SHEAF_IMG_JPEG);
  assert_int_equal(r.width, 200);
  assert_int_equal(r.height, 150);
  px = decode(&r, &ch);
  assert_true(near(at(px, 200, ch, 10, 10), 255, 0, 0));
  assert_true(near(at(px, 200, ch, 190, 140), 0, 242, 238));
  /* The same bytes every time. */
  assert_int_equal(sheaf_img_convert(in.p, in.n, &o, &r2), SHEAF_OK);
  assert_int_equal(r.len, r2.len);
  assert_memory_equal(r.data, r2.data, r.len);
  free(px);
  sheaf_free(r.data);
  sheaf_free(r2.data);
  free(in.p);
}

static void jpeg_within_box_kept(void **state)
{
  struct pic in = make_jpeg(320, 200, NULL);
  struct sheaf_img_result r;

  (void)state;
  assert_int_equal(sheaf_img_convert(in.p, in.n, NULL, &r), SHEAF_OK);
  assert_null(r.data);
  assert_int_equal(r.fmt, SHEAF_IMG_JPEG);
  assert_int_equal(r.width, 320);
  free(in.p);
}

static void jpeg_heavy_reencoded(void **state)
{
  /* Within the box, but over a byte per pixel (here: metadata). */
  struct jpeg_opts jo = {0, false, NULL, 0, 200000};
  struct pic in = make_jpeg(320, 200, &jo);
  struct sheaf_img_result r;

  (void)state;
  assert_true(in.n > 320 * 200);
  assert_int_equal(sheaf_img_convert(in.p, in.n, NULL, &r), SHEAF_OK);
  assert_non_null(r.data);
  assert_int_equal(r.width, 320);
  assert_true(r.len < 320 * 200 / 2);
  sheaf_free(r.data);
  free(in.p);
}

static void jpeg_exif_rotated(void **state)
{
  struct jpeg_opts jo = {6, false, NULL, 0, 0};
  struct pic in = make_jpeg(64, 32, &jo);
  struct sheaf_img_result r;
  unsigned char *px;
  unsigned ch;

  (void)state;
  assert_int_equal(sheaf_img_convert(in.p, in.n, NULL, &r), SHEAF_OK);
  assert_non_null(r.data); /* turned, though small */
  assert_int_equal(r.width, 32);
  assert_int_equal(r.height, 64);
  px = decode(&r, &ch);
  /* The red top-left quarter is now at the top right. */
  assert_true(near(at(px, 32, ch, 28, 4), 255, 0, 0));
  assert_false(near(at(px, 32, ch, 4, 4), 255, 0, 0));
  free(px);
  sheaf_free(r.data);
  free(in.p);
}

static void jpeg_cmyk(void **state)
{
  struct jpeg_opts jo = {0, true, NULL, 0, 0};
  struct pic in = make_jpeg(48, 48, &jo);
  struct sheaf_img_result r;
  unsigned char *px;
  unsigned ch;

  (void)state;
  assert_int_equal(sheaf_img_convert(in.p, in.n, NULL, &r), SHEAF_OK);
  assert_non_null(r.data);
  px = decode(&r, &ch);
  assert_true(near(at(px, 48, ch, 20, 20), 255, 0, 0));
  free(px);
  sheaf_free(r.data);
  free(in.p);
}

static void jpeg_icc_profile(void **state)
{
  /* A wide-gamut profile (Adobe RGB primaries, gamma 2.2). */
  cmsCIExyY d65 = {0.3127, 0.3290, 1.0};
  cmsCIExyYTRIPLE prim = {{0.64, 0.33, 1.0}, {0.21, 0.71, 1.0}, {0.15, 0.06, 1.0}};
  cmsToneCurve *g = cmsBuildGamma(NULL, 2.2), *curves[3] = {g, g, g};
  cmsHPROFILE pr = cmsCreateRGBProfile(&d65, &prim, curves);
  cmsUInt32Number len = 0;
  unsigned char *icc;
  struct jpeg_opts jo = {0, false, NULL, 0, 0};
  struct pic in;
  struct sheaf_img_result r;
  unsigned char *px;
  unsigned ch;

  (void)state;
  cmsSaveProfileToMem(pr, NULL, &len);
  icc = malloc(len);
  cmsSaveProfileToMem(pr, icc, &len);
  cmsCloseProfile(pr);
  cmsFreeToneCurve(g);
  assert_false(sheaf_img_icc_is_srgb(icc, len));
  jo.icc = icc;
  jo.icc_len = len;
  in = make_jpeg(64, 64, &jo);
  assert_int_equal(sheaf_img_convert(in.p, in.n, NULL, &r), SHEAF_OK);
  assert_non_null(r.data); /* converted, though small */
  px = decode(&r, &ch);
  /* Adobe RGB's pure red lies outside sRGB: it stays red, clipped. */
  assert_true(near(at(px, 64, ch, 8, 8), 255, 0, 0));
  free(px);
  sheaf_free(r.data);
  free(in.p);
  free(icc);
}

static void png_alpha_stays_png(void **state)
{
  struct pic in = make_png(300, 100, 4, false);
  struct sheaf_img_opts o = box(150, 150);
  struct sheaf_img_result r;
  unsigned char *px;
  unsigned ch;

  (void)state;
  assert_int_equal(sheaf_img_convert(in.p, in.n, &o, &r), SHEAF_OK);
  assert_int_equal(r.fmt, SHEAF_IMG_PNG);
  assert_int_equal(r.width, 150);
  assert_int_equal(r.height, 50);
  px = decode(&r, &ch);
  assert_int_equal(at(px, 150, ch, 10, 10)[3], 255);
  assert_true(at(px, 150, ch, 146, 25)[3] < 140);
  free(px);
  sheaf_free(r.data);
  free(in.p);
}

static void png_photo_becomes_jpeg(void **state)
{
  struct pic in = make_png(400, 300, 3, true); /* interlaced, many colours */
  struct sheaf_img_opts o = box(200, 200);
  struct sheaf_img_result r;

  (void)state;
  assert_int_equal(sheaf_img_convert(in.p, in.n, &o, &r), SHEAF_OK);
  assert_int_equal(r.fmt, SHEAF_IMG_JPEG);
  assert_int_equal(r.width, 200);
  assert_int_equal(r.height, 150);
  sheaf_free(r.data);
  free(in.p);
}

static void png_palette(void **state)
{
  struct pic in = make_png(256, 64, 0, false);
  struct sheaf_img_opts o = box(128, 128), g;
  struct sheaf_img_result r;
  unsigned char *px;
  unsigned ch;

  (void)state;
  assert_int_equal(sheaf_img_convert(in.p, in.n, NULL, &r), SHEAF_OK);
  assert_null(r.data); /* within the box: as it is */
  assert_int_equal(sheaf_img_convert(in.p, in.n, &o, &r), SHEAF_OK);
  assert_int_equal(r.fmt, SHEAF_IMG_PNG); /* few colours */
  assert_int_equal(r.width, 128);
  assert_int_equal(r.height, 32);
  sheaf_free(r.data);
  /* --grayscale: a colour picture is rewritten in grey. */
  g = box(0, 0);
  g.grayscale = true;
  assert_int_equal(sheaf_img_convert(in.p, in.n, &g, &r), SHEAF_OK);
  assert_non_null(r.data);
  px = decode(&r, &ch);
  assert_int_equal(at(px, 256, ch, 0, 0)[0], at(px, 256, ch, 0, 0)[1]);
  assert_int_equal(at(px, 256, ch, 9, 0)[1], at(px, 256, ch, 9, 0)[2]);
  free(px);
  sheaf_free(r.data);
  free(in.p);
}

static void webp_becomes_jpeg_or_png(void **state)
{
  struct pic lossy = make_webp(120, 80, false), alpha = make_webp(60, 40, true);
  struct sheaf_img_opts keep = box(0, 0);
  struct sheaf_img_result r;

  (void)state;
  assert_int_equal(sheaf_img_convert(lossy.p, lossy.n, NULL, &r), SHEAF_OK);
  assert_int_equal(r.fmt, SHEAF_IMG_JPEG);
  assert_int_equal(r.width, 120);
  assert_int_equal(r.height, 80);
  sheaf_free(r.data);
  assert_int_equal(sheaf_img_convert(alpha.p, alpha.n, NULL, &r), SHEAF_OK);
  assert_int_equal(r.fmt, SHEAF_IMG_PNG);
  sheaf_free(r.data);
  keep.keep_webp = true;
  assert_int_equal(sheaf_img_convert(lossy.p, lossy.n, &keep, &r), SHEAF_OK);
  assert_null(r.data);
  assert_int_equal(r.fmt, SHEAF_IMG_WEBP);
  free(lossy.p);
  free(alpha.p);
}

static void gif_animation(void **state)
{
  struct pic small = make_gif(40, 30, 3, 0), big = make_gif(40, 30, 3, 600000);
  struct sheaf_img_result r;
  unsigned char *px;
  unsigned ch;

  (void)state;
  assert_int_equal(sheaf_img_convert(small.p, small.n, NULL, &r), SHEAF_OK);
  assert_null(r.data); /* small: stays animated */
  assert_int_equal(r.fmt, SHEAF_IMG_GIF);
  assert_int_equal(sheaf_img_convert(big.p, big.n, NULL, &r), SHEAF_OK);
  assert_int_equal(r.fmt, SHEAF_IMG_PNG); /* its first frame */
  assert_int_equal(r.width, 40);
  px = decode(&r, &ch);
  assert_true(near(at(px, 40, ch, 5, 5), 0, 200, 0));
  free(px);
  sheaf_free(r.data);
  free(small.p);
  free(big.p);
}

static void bombs_refused(void **state)
{
  /* A PNG header declaring 100000 x 100000 pixels. */
  unsigned char png[8 + 25] =
      "\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\x01\x86\xa0\0\x01\x86\xa0"
      "\x08\x02\0\0\0";
  uint32_t crc = (uint32_t)crc32(0, png + 12, 17);
  struct pic j = make_jpeg(16, 16, NULL);
  struct sheaf_img_result r;
  size_t i;

  (void)state;
  png[29] = (unsigned char)(crc >> 24);
  png[30] = (unsigned char)(crc >> 16);
  png[31] = (unsigned char)(crc >> 8);
  png[32] = (unsigned char)crc;
  assert_int_equal(sheaf_img_convert(png, sizeof png, NULL, &r), SHEAF_ERR_LIMIT);
  assert_non_null(strstr(r.why, "100000x100000"));
  /* The same JPEG claiming 60000 x 60000 in its frame header. */
  for (i = 2; i + 9 < j.n; i++)
    if (j.p[i] == 0xFF && j.p[i + 1] == 0xC0) {
      j.p[i + 5] = 0xEA;
      j.p[i + 6] = 0x60;
      j.p[i + 7] = 0xEA;
      j.p[i + 8] = 0x60;
      break;
    }
  assert_int_equal(sheaf_img_convert(j.p, j.n, NULL, &r), SHEAF_ERR_LIMIT);
  free(j.p);
  {
    /* A GIF screen of 65535 x 65535. */
    struct pic g = make_gif(4, 4, 1, 0);
    g.p[6] = g.p[7] = g.p[8] = g.p[9] = 0xFF;
    assert_int_equal(sheaf_img_convert(g.p, g.n, NULL, &r), SHEAF_ERR_LIMIT);
    free(g.p);
  }
}

static void truncated_refused(void **state)
{
  struct pic j = make_jpeg(400, 300, NULL), p = make_png(200, 100, 3, false);
  struct pic w = make_webp(100, 100, false), g = make_gif(60, 60, 1, 0);
  struct sheaf_img_result r;

  (void)state;
  assert_int_equal(sheaf_img_convert(j.p, j.n / 2, NULL, &r), SHEAF_ERR_PARSE);
  assert_non_null(strstr(r.why, "truncated"));
  assert_int_equal(sheaf_img_convert(p.p, p.n / 2, NULL, &r), SHEAF_ERR_PARSE);
  assert_int_equal(sheaf_img_convert(w.p, w.n / 2, NULL, &r), SHEAF_ERR_PARSE);
  assert_int_equal(sheaf_img_convert(g.p, g.n / 2, NULL, &r), SHEAF_ERR_PARSE);
  assert_int_equal(sheaf_img_convert("GIF89a", 6, NULL, &r), SHEAF_ERR_PARSE);
  assert_int_equal(sheaf_img_convert("<html>", 6, NULL, &r), SHEAF_ERR_PARSE);
  free(j.p);
  free(p.p);
  free(w.p);
  free(g.p);
}

static void flat_stays_flat(void **state)
{
  /* Weights sum to one exactly: a flat picture scales to the same flat
   * colour, to the last bit. */
  unsigned char src[64 * 3], dst[20 * 7 * 3];
  struct sheaf_resizer *rs = sheaf_resizer_new(64, 30, 20, 7, 3, dst, NULL, NULL);
  unsigned y, i;

  (void)state;
  for (i = 0; i < sizeof src; i += 3) {
    src[i] = 200;
    src[i + 1] = 17;
    src[i + 2] = 0;
  }
  for (y = 0; y < 30; y++)
    sheaf_resizer_row(rs, src);
  for (i = 0; i < sizeof dst; i += 3) {
    assert_int_equal(dst[i], 200);
    assert_int_equal(dst[i + 1], 17);
    assert_int_equal(dst[i + 2], 0);
  }
  sheaf_resizer_free(rs);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(jpeg_scaled),
      cmocka_unit_test(jpeg_within_box_kept),
      cmocka_unit_test(jpeg_heavy_reencoded),
      cmocka_unit_test(jpeg_exif_rotated),
      cmocka_unit_test(jpeg_cmyk),
      cmocka_unit_test(jpeg_icc_profile),
      cmocka_unit_test(png_alpha_stays_png),
      cmocka_unit_test(png_photo_becomes_jpeg),
      cmocka_unit_test(png_palette),
      cmocka_unit_test(webp_becomes_jpeg_or_png),
      cmocka_unit_test(gif_animation),
      cmocka_unit_test(bombs_refused),
      cmocka_unit_test(truncated_refused),
      cmocka_unit_test(flat_stays_flat),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
