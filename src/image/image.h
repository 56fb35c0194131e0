/*
 * This file declares the image module's internals: turning the bytes of
 * one picture (JPEG, PNG, GIF, WebP) into bytes made for an e-reader's
 * screen. sheaf_img_convert() is the entry; the codecs (jpeg.c, png.c,
 * gif.c, webp.c) read a picture's header, ask the pipe (pipe.c) what to
 * do, and stream its rows through it: colour conversion to sRGB
 * (color.c), scaling (resize.c), then orientation (orient.c) and encoding.
 *
 * Every call is a pure function of its input bytes and options: nothing
 * is shared between calls, so conversions may run on any thread, and the
 * same input always gives the same output bytes (fixed encoder settings,
 * integer arithmetic, no timestamps). Memory is bounded per call: JPEG
 * decodes at a reduced scale and streams rows, so do non-interlaced PNGs;
 * codecs that need a whole frame are capped (SHEAF_IMG_MAX_BUFFER).
 */
#ifndef SHEAF_IMAGE_H
#define SHEAF_IMAGE_H

#include "core/core.h"

/* Pictures declaring more pixels than this are refused (decompression
 * bombs); a 100-megapixel photo is larger than any camera's. */
#define SHEAF_IMG_DEFAULT_MAX_PIXELS ((uint64_t)100000000)
/* The most memory one decoder may hold for a whole frame (GIF, WebP,
 * interlaced PNG) or for a progressive JPEG's coefficients. */
#define SHEAF_IMG_MAX_BUFFER ((size_t)128 << 20)
/* An animated GIF this small (and within the box) stays animated. */
#define SHEAF_IMG_SMALL_ANIMATION ((size_t)512 << 10)
/* A JPEG within the box is kept unless it spends more than this many bytes
 * per pixel (quality near 100, or megabytes of metadata). */
#define SHEAF_IMG_KEEP_MAX_BPP 1
#define SHEAF_IMG_DEFAULT_W 1600u
#define SHEAF_IMG_DEFAULT_H 2400u
#define SHEAF_IMG_DEFAULT_QUALITY 85

enum sheaf_img_fmt {
  SHEAF_IMG_NONE,
  SHEAF_IMG_JPEG,
  SHEAF_IMG_PNG,
  SHEAF_IMG_GIF,
  SHEAF_IMG_WEBP
};

struct sheaf_img_opts {
  unsigned max_w, max_h; /* pictures are scaled down to fit; 0: 1600x2400 */
  unsigned quality;      /* JPEG quality 1-100; 0: 85 */
  uint64_t max_pixels;   /* larger declared sizes are refused; 0: default */
  bool grayscale;        /* everything becomes grey (e-ink) */
  bool keep_webp;        /* WebP is embedded as it is */
};

struct sheaf_img_result {
  enum sheaf_img_fmt fmt; /* of the bytes to embed */
  unsigned width, height; /* of the picture embedded */
  char *data;             /* new bytes (free with sheaf_free), or NULL: the
                             input's bytes are fine as they are */
  size_t len;
  char why[200]; /* when the picture cannot be used: why, for a warning */
};

/* Returns the format of the bytes p[0..n) from their signature. */
enum sheaf_img_fmt sheaf_img_sniff(const void *p, size_t n);

/* Makes the picture p[0..n) fit for an e-reader under the options `o`
 * (NULL: defaults): EXIF orientation applied, CMYK and ICC profiles turned
 * into sRGB, scaled down to fit the box, re-encoded as JPEG (PNG when it
 * has transparency or few colours); a picture already within the box in
 * a format readers show is left alone (r->data NULL), after it was
 * decoded once to prove it whole. Returns SHEAF_OK, SHEAF_ERR_NOMEM, or
 * SHEAF_ERR_PARSE / SHEAF_ERR_LIMIT when the picture cannot be used
 * (broken, truncated, too large), with r->why saying why. */
sheaf_status sheaf_img_convert(const void *p, size_t n, const struct sheaf_img_opts *o,
                               struct sheaf_img_result *r);

/* ---- pipe.c: what the codecs hand their rows to ---------------------------- */

/* What a codec learns from a picture's header. */
struct sheaf_img_info {
  enum sheaf_img_fmt fmt;
  unsigned width, height;   /* full size, as stored */
  unsigned orientation;     /* EXIF 1-8 (0: none) */
  const unsigned char *icc; /* embedded ICC profile, or NULL; borrowed
                               until the conversion ends */
  size_t icc_len;
  bool cmyk;          /* rows come as CMYK (4 channels) */
  bool cmyk_inverted; /* Adobe's CMYK: 255 means no ink */
  bool gray;          /* one channel (maybe with alpha) */
  bool lossless;      /* PNG, GIF, lossless WebP: few colours stay PNG */
  bool must_convert;  /* never embedded as it is (WebP, arithmetic coding,
                         a large animation) */
};

/* A picture in memory: w*h pixels of ch bytes (1 grey, 2 grey+alpha,
 * 3 RGB, 4 RGBA), rows packed. */
struct sheaf_img_pixmap {
  unsigned w, h, ch;
  unsigned char *px;
};

struct sheaf_resizer;
struct sheaf_img_color;

struct sheaf_img_pipe {
  const struct sheaf_img_opts *o;
  struct sheaf_img_result *r;
  struct sheaf_img_info info;
  size_t len;           /* bytes of the input */
  bool keep;            /* the bytes stay: rows are only decoded to check */
  unsigned tw, th;      /* the size wanted, as stored (before orientation) */
  unsigned in_w, in_h;  /* rows as the codec delivers them */
  unsigned in_ch, ch;   /* channels delivered, and after all conversions */
  unsigned mid_ch;      /* channels after the conversion to sRGB */
  unsigned rows;        /* rows received */
  bool alpha_used;      /* a pixel is not fully opaque */
  size_t ncolors;       /* distinct colours of a lossless source, up to 257 */
  uint32_t colors[512]; /* their open-addressed set */
  unsigned char used[512];
  unsigned char *line; /* one converted row */
  struct sheaf_img_color *color;
  struct sheaf_resizer *rs;
  struct sheaf_img_pixmap out; /* the picture; one row when streamed */
  /* Streamed: a lossy source that needs no turning is JPEG whatever its
   * pixels, so its rows go from the scaler straight to the encoder. */
  bool stream;
  struct sheaf_img_jenc *enc;
  struct sheaf_buf encoded; /* the encoder's output */
  sheaf_status st;          /* the first failure of a streamed row */
};

/* Fills p->keep, p->tw and p->th from `info` (copied) and the options.
 * Returns SHEAF_OK, or SHEAF_ERR_LIMIT (a decompression bomb) with r->why. */
sheaf_status sheaf_img_pipe_header(struct sheaf_img_pipe *p,
                                   const struct sheaf_img_info *info);
/* Rows of w pixels of `ch` channels (4 for CMYK) follow, h of them. */
sheaf_status sheaf_img_pipe_start(struct sheaf_img_pipe *p, unsigned w, unsigned h,
                                  unsigned ch);
sheaf_status sheaf_img_pipe_row(struct sheaf_img_pipe *p, const unsigned char *row);
/* After the last row: p->out holds the picture at p->tw x p->th. */
sheaf_status sheaf_img_pipe_finish(struct sheaf_img_pipe *p);
void sheaf_img_pipe_fini(struct sheaf_img_pipe *p);
/* Sets r->why from a printf format; returns `st`. */
sheaf_status sheaf_img_fail(struct sheaf_img_result *r, sheaf_status st, const char *fmt,
                            ...) SHEAF_PRINTF(3, 4);

/* ---- the codecs ----------------------------------------------------------- */

/* Each reads p[0..n), calls sheaf_img_pipe_header(), and unless the pipe
 * refuses streams the rows (at a reduced scale where the codec can). */
sheaf_status sheaf_img_jpeg_decode(const void *p, size_t n, struct sheaf_img_pipe *pipe);
sheaf_status sheaf_img_png_decode(const void *p, size_t n, struct sheaf_img_pipe *pipe);
sheaf_status sheaf_img_gif_decode(const void *p, size_t n, struct sheaf_img_pipe *pipe);
sheaf_status sheaf_img_webp_decode(const void *p, size_t n, struct sheaf_img_pipe *pipe);

/* Encoders: append the picture to `out`. Returns SHEAF_OK, SHEAF_ERR_NOMEM
 * or SHEAF_ERR_INTERNAL (the library failed; r->why says how). */
sheaf_status sheaf_img_jpeg_encode(const struct sheaf_img_pixmap *pm, unsigned quality,
                                   struct sheaf_buf *out, struct sheaf_img_result *r);
/* A JPEG encoder fed rows as they come (streaming): new, rows (n rows of
 * w*ch bytes, packed), finish (appends the file to `out`), free. Each
 * returns SHEAF_OK, SHEAF_ERR_NOMEM or SHEAF_ERR_INTERNAL with r->why. */
struct sheaf_img_jenc;
struct sheaf_img_jenc *sheaf_img_jenc_new(unsigned w, unsigned h, unsigned ch,
                                          unsigned quality, struct sheaf_img_result *r,
                                          sheaf_status *st);
sheaf_status sheaf_img_jenc_rows(struct sheaf_img_jenc *e, const unsigned char *rows,
                                 unsigned n);
sheaf_status sheaf_img_jenc_finish(struct sheaf_img_jenc *e, struct sheaf_buf *out);
void sheaf_img_jenc_free(struct sheaf_img_jenc *e);
/* Writes a palette PNG when the picture has at most 256 colours. */
sheaf_status sheaf_img_png_encode(const struct sheaf_img_pixmap *pm,
                                  struct sheaf_buf *out, struct sheaf_img_result *r);

/* How many distinct colours `pm` has, counting up to `limit` (at most
 * 256): limit + 1 means more. Fills pal[0..count) (packed RGBA, in order
 * of first appearance) when pal is not NULL. */
size_t sheaf_img_count_colors(const struct sheaf_img_pixmap *pm, size_t limit,
                              uint32_t *pal);

/* ---- exif.c --------------------------------------------------------------- */

/* The orientation (1-8) in the TIFF structure p[0..n) (EXIF without its
 * "Exif\0\0" prefix); 1 when there is none or it is malformed. */
unsigned sheaf_img_exif_orientation(const unsigned char *p, size_t n);

/* ---- color.c: to sRGB ----------------------------------------------------- */

/* Is the ICC profile p[0..n) sRGB (or unusable, so treated as sRGB)? */
bool sheaf_img_icc_is_srgb(const unsigned char *p, size_t n);
/* A converter from rows of `in_ch` channels (CMYK when info->cmyk) with
 * the profile of `info` to sRGB rows of *out_ch channels (3, or 4 with
 * alpha; grey stays grey). NULL with *st set when out of memory; NULL
 * with SHEAF_OK when nothing needs converting. */
struct sheaf_img_color *sheaf_img_color_new(const struct sheaf_img_info *info,
                                            unsigned in_ch, unsigned *out_ch,
                                            sheaf_status *st);
void sheaf_img_color_row(struct sheaf_img_color *c, const unsigned char *in,
                         unsigned char *out, unsigned w);
void sheaf_img_color_free(struct sheaf_img_color *c);

/* ---- resize.c: streaming Lanczos-3 scaling ------------------------------ */

/* A scaler of in_w x in_h pictures of `ch` channels to out_w x out_h, fed
 * one row at a time, written into `dst` (out_w*out_h*ch bytes, owned by
 * the caller); with `emit`, `dst` is one row that each output row is
 * written to before emit(ud, dst) is called. Alpha (ch 2 and 4) must be
 * premultiplied by the caller. Fixed-point weights: the same bytes on
 * every machine. */
struct sheaf_resizer *sheaf_resizer_new(unsigned in_w, unsigned in_h, unsigned out_w,
                                        unsigned out_h, unsigned ch, unsigned char *dst,
                                        void (*emit)(void *ud, const unsigned char *row),
                                        void *ud);
void sheaf_resizer_row(struct sheaf_resizer *rs, const unsigned char *row);
void sheaf_resizer_free(struct sheaf_resizer *rs);

/* ---- orient.c ------------------------------------------------------------- */

/* Applies EXIF orientation `o` (2-8) to `pm`, replacing its pixels.
 * Returns SHEAF_OK or SHEAF_ERR_NOMEM. */
sheaf_status sheaf_img_orient(struct sheaf_img_pixmap *pm, unsigned o);

#endif
