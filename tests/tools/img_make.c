/*
 * img_make: writes real pictures for the image tests and the image bench,
 * with the codecs' own encoders, and tells a picture's format and size.
 *
 *   img_make photo OUT W H SEED     a photo-like JPEG (quality 92): soft
 *                                   light, shapes, grain; the same seed
 *                                   gives the same bytes
 *   img_make exif OUT W H ORIENT    a JPEG whose EXIF says ORIENT (1-8);
 *                                   its top-left quarter is red
 *   img_make cmyk OUT W H           an Adobe CMYK JPEG, all red
 *   img_make icc OUT W H            a JPEG with a wide-gamut ICC profile
 *   img_make alpha OUT W H          an RGBA PNG, its right half fading out
 *   img_make palette OUT W H        a four-colour palette PNG
 *   img_make webp OUT W H           a lossy WebP
 *   img_make gif OUT W H FRAMES PAD a GIF of FRAMES frames, PAD bytes of
 *                                   comment making it large
 *   img_make bomb OUT               a PNG declaring 100000x100000 pixels
 *   img_make info FILE              prints "jpeg 1600x1200" (png, gif,
 *                                   webp; "gray" after a grey JPEG/PNG)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gif_lib.h>
#include <jpeglib.h>
#include <lcms2.h>
#include <png.h>
#include <webp/decode.h>
#include <webp/encode.h>
#include <zlib.h>

static void die(const char *what)
{
  fprintf(stderr, "img_make: %s\n", what);
  exit(1);
}

static void save(const char *path, const void *p, size_t n)
{
  FILE *f = fopen(path, "wb");

  if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0)
    die("cannot write the output");
}

static unsigned char *load(const char *path, size_t *n)
{
  FILE *f = fopen(path, "rb");
  unsigned char *p = NULL;
  size_t cap = 0, k;

  if (!f)
    die("cannot read the input");
  *n = 0;
  for (;;) {
    if (*n == cap) {
      cap = cap ? cap * 2 : 1 << 16;
      p = realloc(p, cap);
    }
    k = fread(p + *n, 1, cap - *n, f);
    if (k == 0)
      break;
    *n += k;
  }
  fclose(f);
  return p;
}

/* ---- pixels ----------------------------------------------------------------- */

static uint32_t rng(uint32_t *s)
{
  *s = *s * 1664525u + 1013904223u;
  return *s >> 8;
}

/* A photo-like picture: a sky-to-ground gradient, soft discs of light and
 * colour, fine texture and grain, so JPEG sizes are those of real photos.
 * Each disc touches only its own square, so 12 megapixels take a second. */
static unsigned char *photo(unsigned w, unsigned h, uint32_t seed)
{
  unsigned char *px = malloc((size_t)w * h * 3);
  unsigned i, x, y, c;
  uint32_t s = seed * 2654435761u + 1;

  for (y = 0; y < h; y++) {
    unsigned char *q = px + (size_t)y * w * 3;
    for (x = 0; x < w; x++, q += 3) {
      int v[3];
      v[0] = 90 + (int)(y * 100 / h);
      v[1] = 120 + (int)(x * 60 / w) - (int)(y * 40 / h);
      v[2] = 200 - (int)(y * 150 / h);
      for (c = 0; c < 3; c++) {
        v[c] += (int)(((x * 7 + y * 3 + (x * y >> 9)) >> 2) % 9) - 4;
        v[c] += (int)(rng(&s) % 13) - 6;
        q[c] = (unsigned char)(v[c] < 0 ? 0 : v[c] > 255 ? 255 : v[c]);
      }
    }
  }
  for (i = 0; i < 24; i++) {
    int cx = (int)(rng(&s) % w), cy = (int)(rng(&s) % h);
    long r = (long)(w / 30 + rng(&s) % (w / 6 + 1)), r2 = r * r;
    int col[3], yy, xx;
    for (c = 0; c < 3; c++)
      col[c] = (int)(rng(&s) % 120) - 60;
    for (yy = cy - (int)r; yy <= cy + (int)r; yy++) {
      if (yy < 0 || yy >= (int)h)
        continue;
      for (xx = cx - (int)r; xx <= cx + (int)r; xx++) {
        long dx = xx - cx, dy = yy - cy, d2 = dx * dx + dy * dy;
        unsigned char *q;
        if (xx < 0 || xx >= (int)w || d2 >= r2)
          continue;
        q = px + ((size_t)yy * w + (size_t)xx) * 3;
        for (c = 0; c < 3; c++) {
          int v = q[c] + (int)(col[c] * (r2 - d2) / r2);
          q[c] = (unsigned char)(v < 0 ? 0 : v > 255 ? 255 : v);
        }
      }
    }
  }
  return px;
}

/* Red top-left quarter, the rest a gradient. */
static void pattern(unsigned char *px, unsigned w, unsigned h, unsigned ch)
{
  unsigned x, y, c;

  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++) {
      unsigned char *q = px + ((size_t)y * w + x) * ch;
      int red = x < w / 2 && y < h / 2;
      unsigned char v[4] = {red ? 255 : 0, red ? 0 : (unsigned char)(x * 255 / w),
                            red ? 0 : (unsigned char)(y * 255 / h), 255};
      for (c = 0; c < ch; c++)
        q[c] = v[c];
    }
}

/* ---- writers ------------------------------------------------------------- */

static void write_jpeg(const char *out, unsigned char *px, unsigned w, unsigned h,
                       unsigned ch, int quality, unsigned orient,
                       const unsigned char *icc, unsigned icc_len)
{
  struct jpeg_compress_struct ci;
  struct jpeg_error_mgr je;
  unsigned char *mem = NULL;
  unsigned long size = 0;
  unsigned y;

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
  jpeg_set_quality(&ci, quality, TRUE);
  jpeg_start_compress(&ci, TRUE);
  if (orient) {
    unsigned char e[32] = "Exif\0\0MM\0\x2a\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01";
    e[24] = 0;
    e[25] = (unsigned char)orient;
    jpeg_write_marker(&ci, JPEG_APP0 + 1, e, sizeof e);
  }
  if (icc)
    jpeg_write_icc_profile(&ci, icc, icc_len);
  for (y = 0; y < h; y++) {
    JSAMPROW row = px + (size_t)y * w * ch;
    jpeg_write_scanlines(&ci, &row, 1);
  }
  jpeg_finish_compress(&ci);
  jpeg_destroy_compress(&ci);
  save(out, mem, size);
  free(mem);
}

struct membuf {
  unsigned char *p;
  size_t n;
};

static void png_wr(png_structp png, png_bytep d, size_t n)
{
  struct membuf *b = png_get_io_ptr(png);

  b->p = realloc(b->p, b->n + n);
  memcpy(b->p + b->n, d, n);
  b->n += n;
}

static void png_fl(png_structp png)
{
  (void)png;
}

static void write_png(const char *out, unsigned w, unsigned h, int palette)
{
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
  png_infop info = png_create_info_struct(png);
  struct membuf b = {NULL, 0};
  unsigned char *px = malloc((size_t)w * h * 4);
  unsigned y, x, ch = palette ? 1 : 4;

  png_set_write_fn(png, &b, png_wr, png_fl);
  if (palette) {
    png_color plte[4] = {{255, 0, 0}, {0, 0, 255}, {255, 255, 255}, {0, 0, 0}};
    png_set_IHDR(png, info, w, h, 8, PNG_COLOR_TYPE_PALETTE, 0, 0, 0);
    png_set_PLTE(png, info, plte, 4);
    for (y = 0; y < h; y++)
      for (x = 0; x < w; x++)
        px[(size_t)y * w + x] = (unsigned char)((x / 16 + y / 16) % 4);
  } else {
    png_set_IHDR(png, info, w, h, 8, PNG_COLOR_TYPE_RGBA, 0, 0, 0);
    pattern(px, w, h, 4);
    for (y = 0; y < h; y++)
      for (x = w / 2; x < w; x++)
        px[((size_t)y * w + x) * 4 + 3] = (unsigned char)(255 - (x - w / 2) * 255 / w);
  }
  png_write_info(png, info);
  for (y = 0; y < h; y++)
    png_write_row(png, px + (size_t)y * w * ch);
  png_write_end(png, NULL);
  png_destroy_write_struct(&png, &info);
  save(out, b.p, b.n);
  free(b.p);
  free(px);
}

static int gif_wr(GifFileType *g, const GifByteType *d, int n)
{
  struct membuf *b = g->UserData;

  b->p = realloc(b->p, b->n + (size_t)n);
  memcpy(b->p + b->n, d, (size_t)n);
  b->n += (size_t)n;
  return n;
}

static void write_gif(const char *out, unsigned w, unsigned h, unsigned frames,
                      size_t pad)
{
  struct membuf b = {NULL, 0};
  int err;
  GifFileType *g = EGifOpen(&b, gif_wr, &err);
  GifColorType cols[4] = {{0, 200, 0}, {200, 0, 0}, {0, 0, 200}, {255, 255, 255}};
  ColorMapObject *map = GifMakeMapObject(4, cols);
  GifByteType *line = malloc(w);
  unsigned f, y;

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
  save(out, b.p, b.n);
  free(b.p);
  free(line);
}

static void write_bomb(const char *out)
{
  /* Signature, IHDR of 100000 x 100000 RGB, a tiny IDAT, IEND. */
  unsigned char b[8 + 25 + 12 + 12] =
      "\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\x01\x86\xa0\0\x01\x86\xa0"
      "\x08\x02\0\0\0";
  uint32_t crc = (uint32_t)crc32(0, b + 12, 17);

  b[29] = (unsigned char)(crc >> 24);
  b[30] = (unsigned char)(crc >> 16);
  b[31] = (unsigned char)(crc >> 8);
  b[32] = (unsigned char)crc;
  memcpy(b + 33, "\0\0\0\0IDAT\x35\xaf\x06\x1e", 12);
  memcpy(b + 45, "\0\0\0\0IEND\xae\x42\x60\x82", 12);
  save(out, b, sizeof b);
}

/* ---- info ----------------------------------------------------------------- */

static void info(const char *path)
{
  size_t n, i;
  unsigned char *p = load(path, &n);

  if (n >= 24 && memcmp(p, "\x89PNG", 4) == 0) {
    unsigned w =
        (unsigned)p[16] << 24 | (unsigned)p[17] << 16 | (unsigned)p[18] << 8 | p[19];
    unsigned h =
        (unsigned)p[20] << 24 | (unsigned)p[21] << 16 | (unsigned)p[22] << 8 | p[23];
    printf("png %ux%u%s\n", w, h, p[25] == 0 || p[25] == 4 ? " gray" : "");
  } else if (n >= 4 && p[0] == 0xFF && p[1] == 0xD8) {
    for (i = 2; i + 9 < n; i++)
      if (p[i] == 0xFF && p[i + 1] >= 0xC0 && p[i + 1] <= 0xC2) {
        printf("jpeg %ux%u%s\n", (unsigned)p[i + 7] << 8 | p[i + 8],
               (unsigned)p[i + 5] << 8 | p[i + 6], p[i + 9] == 1 ? " gray" : "");
        break;
      }
  } else if (n >= 10 && memcmp(p, "GIF8", 4) == 0) {
    printf("gif %ux%u\n", (unsigned)p[6] | (unsigned)p[7] << 8,
           (unsigned)p[8] | (unsigned)p[9] << 8);
  } else {
    int w, h;
    if (WebPGetInfo(p, n, &w, &h))
      printf("webp %dx%d\n", w, h);
    else
      printf("unknown\n");
  }
  free(p);
}

int main(int argc, char **argv)
{
  const char *kind = argc > 1 ? argv[1] : "", *out = argc > 2 ? argv[2] : "";
  unsigned w = argc > 4 ? (unsigned)strtoul(argv[3], NULL, 10) : 0;
  unsigned h = argc > 4 ? (unsigned)strtoul(argv[4], NULL, 10) : 0;
  unsigned char *px;

  if (strcmp(kind, "info") == 0 && argc == 3) {
    info(out);
    return 0;
  }
  if (strcmp(kind, "bomb") == 0 && argc == 3) {
    write_bomb(out);
    return 0;
  }
  if (argc < 5 || w == 0 || h == 0)
    die("usage: img_make KIND OUT W H [ARGS] (see the file's comment)");
  if (strcmp(kind, "photo") == 0 && argc == 6) {
    px = photo(w, h, (uint32_t)strtoul(argv[5], NULL, 10));
    write_jpeg(out, px, w, h, 3, 92, 0, NULL, 0);
  } else if (strcmp(kind, "exif") == 0 && argc == 6) {
    px = malloc((size_t)w * h * 3);
    pattern(px, w, h, 3);
    write_jpeg(out, px, w, h, 3, 92, (unsigned)strtoul(argv[5], NULL, 10), NULL, 0);
  } else if (strcmp(kind, "cmyk") == 0) {
    size_t i;
    px = malloc((size_t)w * h * 4);
    for (i = 0; i < (size_t)w * h; i++) /* Adobe's inverted ink: M and Y */
      memcpy(px + i * 4, "\xff\x00\x00\xff", 4);
    write_jpeg(out, px, w, h, 4, 92, 0, NULL, 0);
  } else if (strcmp(kind, "icc") == 0) {
    cmsCIExyY d65 = {0.3127, 0.3290, 1.0};
    cmsCIExyYTRIPLE prim = {{0.64, 0.33, 1.0}, {0.21, 0.71, 1.0}, {0.15, 0.06, 1.0}};
    cmsToneCurve *g = cmsBuildGamma(NULL, 2.2), *curves[3] = {g, g, g};
    cmsHPROFILE pr = cmsCreateRGBProfile(&d65, &prim, curves);
    cmsUInt32Number len = 0;
    unsigned char *icc;
    cmsSaveProfileToMem(pr, NULL, &len);
    icc = malloc(len);
    cmsSaveProfileToMem(pr, icc, &len);
    px = malloc((size_t)w * h * 3);
    pattern(px, w, h, 3);
    write_jpeg(out, px, w, h, 3, 92, 0, icc, len);
    free(icc);
    cmsCloseProfile(pr);
    cmsFreeToneCurve(g);
  } else if (strcmp(kind, "alpha") == 0 || strcmp(kind, "palette") == 0) {
    write_png(out, w, h, kind[0] == 'p');
    return 0;
  } else if (strcmp(kind, "webp") == 0) {
    uint8_t *enc = NULL;
    size_t n;
    px = photo(w, h, 7);
    n = WebPEncodeRGB(px, (int)w, (int)h, (int)(w * 3), 85, &enc);
    save(out, enc, n);
    WebPFree(enc);
  } else if (strcmp(kind, "gif") == 0 && argc == 7) {
    write_gif(out, w, h, (unsigned)strtoul(argv[5], NULL, 10),
              (size_t)strtoul(argv[6], NULL, 10));
    return 0;
  } else {
    die("unknown kind or wrong arguments (see the file's comment)");
    return 1;
  }
  free(px);
  return 0;
}
