/*
 * This file contains the pipe every codec streams its rows into: it
 * decides from a picture's header whether the bytes can stay as they are
 * and what size the picture should have, then takes the decoded rows one
 * at a time through colour conversion (color.c), the grey conversion of
 * --grayscale, alpha premultiplication and a count of distinct colours,
 * into the scaler (resize.c) or straight into the output picture.
 */
#include <stdio.h>
#include <string.h>

#include "image/image.h"

sheaf_status sheaf_img_fail(struct sheaf_img_result *r, sheaf_status st, const char *fmt,
                            ...)
{
  va_list ap;

  va_start(ap, fmt);
  vsnprintf(r->why, sizeof r->why, fmt, ap);
  va_end(ap);
  return st;
}

/* The size `w` x `h` takes to fit in `bw` x `bh`, keeping its shape
 * (integers only, so every machine agrees). */
static void fit(unsigned w, unsigned h, unsigned bw, unsigned bh, unsigned *ow,
                unsigned *oh)
{
  if (w <= bw && h <= bh) {
    *ow = w;
    *oh = h;
  } else if ((uint64_t)w * bh > (uint64_t)h * bw) { /* wider than the box */
    *ow = bw;
    *oh = (unsigned)(((uint64_t)h * bw + w / 2) / w);
  } else {
    *oh = bh;
    *ow = (unsigned)(((uint64_t)w * bh + h / 2) / h);
  }
  if (*ow == 0)
    *ow = 1;
  if (*oh == 0)
    *oh = 1;
}

sheaf_status sheaf_img_pipe_header(struct sheaf_img_pipe *p,
                                   const struct sheaf_img_info *info)
{
  const struct sheaf_img_opts *o = p->o;
  unsigned w = info->width, h = info->height, dw, dh, ow, oh;
  bool turned = info->orientation >= 5 && info->orientation <= 8;

  p->info = *info;
  if (w == 0 || h == 0)
    return sheaf_img_fail(p->r, SHEAF_ERR_PARSE, "a picture of no pixels");
  if ((uint64_t)w * h > o->max_pixels)
    return sheaf_img_fail(p->r, SHEAF_ERR_LIMIT,
                          "%ux%u pixels, over the limit of %llu million (a "
                          "decompression bomb?)",
                          w, h, (unsigned long long)(o->max_pixels / 1000000));
  dw = turned ? h : w;
  dh = turned ? w : h;
  fit(dw, dh, o->max_w, o->max_h, &ow, &oh);
  p->tw = turned ? oh : ow;
  p->th = turned ? ow : oh;
  p->keep =
      ow == dw && oh == dh && !info->must_convert && info->orientation <= 1 &&
      !info->cmyk && !(o->grayscale && !info->gray) &&
      (!info->icc || sheaf_img_icc_is_srgb(info->icc, info->icc_len)) &&
      !(info->fmt == SHEAF_IMG_JPEG && p->len > (uint64_t)w * h * SHEAF_IMG_KEEP_MAX_BPP);
  return SHEAF_OK;
}

/* A scaled row, straight to the encoder (streamed pictures). */
static void emit(void *ud, const unsigned char *row)
{
  struct sheaf_img_pipe *p = ud;

  if (p->st == SHEAF_OK)
    p->st = sheaf_img_jenc_rows(p->enc, row, 1);
}

sheaf_status sheaf_img_pipe_start(struct sheaf_img_pipe *p, unsigned w, unsigned h,
                                  unsigned ch)
{
  sheaf_status st = SHEAF_OK;
  unsigned out_ch = ch;
  size_t n;

  p->in_w = w;
  p->in_h = h;
  p->in_ch = ch;
  if (p->keep)
    return SHEAF_OK;
  p->color = sheaf_img_color_new(&p->info, ch, &out_ch, &st);
  if (!p->color && st != SHEAF_OK)
    return st;
  p->mid_ch = out_ch;
  if (p->o->grayscale && out_ch >= 3)
    out_ch -= 2;
  p->ch = out_ch;
  p->stream =
      !p->info.lossless && p->info.orientation <= 1 && (out_ch == 1 || out_ch == 3);
  p->line = sheaf_malloc((size_t)w * 4 + 4);
  n = (size_t)p->tw * (p->stream ? 1 : p->th) * out_ch;
  p->out.px = sheaf_malloc(n ? n : 1);
  if (!p->line || !p->out.px)
    return SHEAF_ERR_NOMEM;
  p->out.w = p->tw;
  p->out.h = p->th;
  p->out.ch = out_ch;
  if (p->stream) {
    p->enc = sheaf_img_jenc_new(p->tw, p->th, out_ch, p->o->quality, p->r, &st);
    if (!p->enc)
      return st;
  }
  if (w != p->tw || h != p->th) {
    p->rs = sheaf_resizer_new(w, h, p->tw, p->th, out_ch, p->out.px,
                              p->stream ? emit : NULL, p);
    if (!p->rs)
      return SHEAF_ERR_NOMEM;
  }
  return SHEAF_OK;
}

/* Counts the distinct pixels of a row of `ch` channels into the pipe's
 * set, up to 257. */
static void count_row(struct sheaf_img_pipe *p, const unsigned char *s, unsigned ch)
{
  unsigned x, c;

  for (x = 0; x < p->in_w && p->ncolors <= 256; x++, s += ch) {
    uint32_t v = 0, hsh;
    for (c = 0; c < ch; c++)
      v = v << 8 | s[c];
    hsh = (v * 2654435761u) >> 23; /* 9 bits: 512 slots */
    while (p->used[hsh] && p->colors[hsh] != v)
      hsh = (hsh + 1) & 511;
    if (!p->used[hsh]) {
      p->used[hsh] = 1;
      p->colors[hsh] = v;
      p->ncolors++;
    }
  }
}

sheaf_status sheaf_img_pipe_row(struct sheaf_img_pipe *p, const unsigned char *row)
{
  const unsigned char *s = row;
  unsigned char *d = p->line;
  unsigned x, w = p->in_w;

  if (p->keep || p->rows >= p->in_h) {
    p->rows++;
    return SHEAF_OK;
  }
  if (p->color) {
    sheaf_img_color_row(p->color, s, d, w);
    s = d;
  }
  /* Few colours (a diagram, a logo) are judged before any grey. */
  if (p->info.lossless && p->ncolors <= 256)
    count_row(p, s, p->mid_ch);
  if (p->o->grayscale && p->mid_ch >= 3) {
    /* Grey from the colour channels (Rec. 709 weights, in 1/256). */
    unsigned sc = p->mid_ch;
    {
      for (x = 0; x < w; x++) {
        const unsigned char *q = s + (size_t)x * sc;
        d[(size_t)x * p->ch] =
            (unsigned char)((q[0] * 54u + q[1] * 183u + q[2] * 19u + 128) >> 8);
        if (sc == 4)
          d[(size_t)x * 2 + 1] = q[3];
      }
      s = d;
    }
  }
  if (p->ch == 2 || p->ch == 4) {
    unsigned a = p->ch - 1;
    if (s != d)
      memcpy(d, s, (size_t)w * p->ch);
    for (x = 0; x < w; x++) {
      unsigned char *q = d + (size_t)x * p->ch, al = q[a], c;
      if (al == 255)
        continue;
      p->alpha_used = true;
      for (c = 0; c < a; c++)
        q[c] = (unsigned char)((q[c] * al + 127u) / 255u);
    }
    s = d;
  }
  if (p->rs)
    sheaf_resizer_row(p->rs, s);
  else if (p->stream)
    emit(p, s);
  else
    memcpy(p->out.px + (size_t)p->rows * w * p->ch, s, (size_t)w * p->ch);
  p->rows++;
  return p->st;
}

sheaf_status sheaf_img_pipe_finish(struct sheaf_img_pipe *p)
{
  struct sheaf_img_pixmap *pm = &p->out;
  size_t i, n = (size_t)pm->w * pm->h;

  if (p->keep)
    return SHEAF_OK;
  if (p->rows < p->in_h)
    return sheaf_img_fail(p->r, SHEAF_ERR_PARSE, "truncated: %u of %u rows", p->rows,
                          p->in_h);
  if (p->stream)
    return p->st != SHEAF_OK ? p->st : sheaf_img_jenc_finish(p->enc, &p->encoded);
  if (pm->ch == 2 || pm->ch == 4) {
    unsigned a = pm->ch - 1, c;
    if (!p->alpha_used) { /* all opaque: drop the channel */
      for (i = 0; i < n; i++)
        memmove(pm->px + i * a, pm->px + i * pm->ch, a);
      pm->ch = a;
      p->ch = a;
      return SHEAF_OK;
    }
    for (i = 0; i < n; i++) {
      unsigned char *q = pm->px + i * pm->ch, al = q[a];
      for (c = 0; c < a; c++) {
        unsigned v = al ? (q[c] * 255u + al / 2u) / al : 0;
        q[c] = (unsigned char)(v > 255 ? 255 : v);
      }
    }
  }
  return SHEAF_OK;
}

void sheaf_img_pipe_fini(struct sheaf_img_pipe *p)
{
  sheaf_img_color_free(p->color);
  sheaf_resizer_free(p->rs);
  sheaf_img_jenc_free(p->enc);
  sheaf_buf_fini(&p->encoded);
  p->enc = NULL;
  sheaf_free(p->line);
  sheaf_free(p->out.px);
  p->color = NULL;
  p->rs = NULL;
  p->line = NULL;
  p->out.px = NULL;
}
