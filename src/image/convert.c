/*
 * This file contains sheaf_img_convert(), the image module's entry: it
 * tells the format from the bytes, runs the codec, which streams the
 * picture through the pipe, turns the result the way the camera was held,
 * and chooses the output: PNG when the picture has transparency or few
 * colours (a diagram, a logo, a GIF's frame), JPEG otherwise.
 */
#include <string.h>

#include "image/image.h"

enum sheaf_img_fmt sheaf_img_sniff(const void *p, size_t n)
{
  const unsigned char *b = p;

  if (n >= 8 && memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0)
    return SHEAF_IMG_PNG;
  if (n >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF)
    return SHEAF_IMG_JPEG;
  if (n >= 6 && (memcmp(b, "GIF87a", 6) == 0 || memcmp(b, "GIF89a", 6) == 0))
    return SHEAF_IMG_GIF;
  if (n >= 12 && memcmp(b, "RIFF", 4) == 0 && memcmp(b + 8, "WEBP", 4) == 0)
    return SHEAF_IMG_WEBP;
  return SHEAF_IMG_NONE;
}

sheaf_status sheaf_img_convert(const void *p, size_t n, const struct sheaf_img_opts *o,
                               struct sheaf_img_result *r)
{
  struct sheaf_img_opts opts;
  struct sheaf_img_pipe pipe;
  struct sheaf_buf out;
  enum sheaf_img_fmt fmt = sheaf_img_sniff(p, n);
  sheaf_status ret = SHEAF_OK;
  bool png;

  memset(r, 0, sizeof *r);
  memset(&opts, 0, sizeof opts);
  if (o)
    opts = *o;
  if (!opts.max_w || !opts.max_h) {
    opts.max_w = SHEAF_IMG_DEFAULT_W;
    opts.max_h = SHEAF_IMG_DEFAULT_H;
  }
  if (!opts.quality || opts.quality > 100)
    opts.quality = SHEAF_IMG_DEFAULT_QUALITY;
  if (!opts.max_pixels)
    opts.max_pixels = SHEAF_IMG_DEFAULT_MAX_PIXELS;
  memset(&pipe, 0, sizeof pipe);
  sheaf_buf_init(&pipe.encoded, 0);
  pipe.o = &opts;
  pipe.r = r;
  pipe.len = n;
  sheaf_buf_init(&out, 0);
  r->fmt = fmt;
  switch (fmt) {
  case SHEAF_IMG_JPEG:
    ret = sheaf_img_jpeg_decode(p, n, &pipe);
    break;
  case SHEAF_IMG_PNG:
    ret = sheaf_img_png_decode(p, n, &pipe);
    break;
  case SHEAF_IMG_GIF:
    ret = sheaf_img_gif_decode(p, n, &pipe);
    break;
  case SHEAF_IMG_WEBP:
    ret = sheaf_img_webp_decode(p, n, &pipe);
    break;
  default:
    ret = sheaf_img_fail(r, SHEAF_ERR_PARSE, "not a JPEG, PNG, GIF or WebP picture");
    break;
  }
  if (ret != SHEAF_OK)
    goto out;
  r->width = pipe.info.width;
  r->height = pipe.info.height;
  if (pipe.keep)
    goto out;
  SHEAF_CHECK(sheaf_img_pipe_finish(&pipe));
  if (pipe.stream) { /* encoded as the rows came */
    r->fmt = SHEAF_IMG_JPEG;
    r->width = pipe.out.w;
    r->height = pipe.out.h;
    r->data = sheaf_buf_detach(&pipe.encoded, &r->len);
    if (!r->data)
      ret = SHEAF_ERR_NOMEM;
    goto out;
  }
  SHEAF_CHECK(sheaf_img_orient(&pipe.out, pipe.info.orientation));
  /* Only a lossless source's colours are counted: a JPEG's are noise. */
  png =
      pipe.out.ch == 2 || pipe.out.ch == 4 || (pipe.info.lossless && pipe.ncolors <= 256);
  if (png)
    SHEAF_CHECK(sheaf_img_png_encode(&pipe.out, &out, r));
  else
    SHEAF_CHECK(sheaf_img_jpeg_encode(&pipe.out, opts.quality, &out, r));
  r->fmt = png ? SHEAF_IMG_PNG : SHEAF_IMG_JPEG;
  r->width = pipe.out.w;
  r->height = pipe.out.h;
  r->data = sheaf_buf_detach(&out, &r->len);
  if (!r->data)
    ret = SHEAF_ERR_NOMEM;
out:
  sheaf_img_pipe_fini(&pipe);
  sheaf_buf_fini(&out);
  if (ret != SHEAF_OK) {
    sheaf_free(r->data);
    r->data = NULL;
    r->len = 0;
  }
  return ret;
}
