/*
 * This file contains the conversion of a picture's colours to sRGB, which
 * is what e-readers assume: through lcms2 from the picture's own ICC
 * profile (Adobe RGB, Display P3, a printer's CMYK), and for CMYK without
 * a profile by the plain formula, honouring Adobe's inverted CMYK. Each
 * converter has its own lcms2 context, so conversions on several threads
 * share nothing.
 */
#include <string.h>

#include <lcms2.h>

#include "image/image.h"

struct sheaf_img_color {
  cmsContext ctx;
  cmsHTRANSFORM xf; /* NULL: the plain CMYK formula */
  unsigned in_ch, out_ch;
  bool inverted;
};

/* lcms2 reports errors through this; the conversion's failure says enough. */
static void quiet(cmsContext ctx, cmsUInt32Number code, const char *text)
{
  (void)ctx;
  (void)code;
  (void)text;
}

static cmsHPROFILE open_icc(cmsContext ctx, const unsigned char *p, size_t n)
{
  if (!p || n < 132 || n > 0x7fffffff)
    return NULL;
  return cmsOpenProfileFromMemTHR(ctx, p, (cmsUInt32Number)n);
}

bool sheaf_img_icc_is_srgb(const unsigned char *p, size_t n)
{
  cmsContext ctx = cmsCreateContext(NULL, NULL);
  cmsHPROFILE pr;
  char desc[256];
  bool srgb = true;

  if (!ctx)
    return true;
  cmsSetLogErrorHandlerTHR(ctx, quiet);
  pr = open_icc(ctx, p, n);
  if (pr) {
    desc[0] = '\0';
    cmsGetProfileInfoASCII(pr, cmsInfoDescription, "en", "US", desc, sizeof desc);
    /* Only RGB profiles other than sRGB's many copies change colours; a
     * grey or odd profile is read as sRGB, as browsers do. */
    srgb = cmsGetColorSpace(pr) != cmsSigRgbData || strstr(desc, "sRGB") != NULL;
    cmsCloseProfile(pr);
  }
  cmsDeleteContext(ctx);
  return srgb;
}

struct sheaf_img_color *sheaf_img_color_new(const struct sheaf_img_info *info,
                                            unsigned in_ch, unsigned *out_ch,
                                            sheaf_status *st)
{
  struct sheaf_img_color *c;
  cmsHPROFILE src = NULL, dst = NULL;
  cmsUInt32Number fin, fout, flags = 0;

  *st = SHEAF_OK;
  *out_ch = in_ch;
  if (!info->cmyk &&
      (!info->icc || in_ch < 3 || sheaf_img_icc_is_srgb(info->icc, info->icc_len)))
    return NULL; /* already sRGB (or grey) */
  c = sheaf_calloc(1, sizeof *c);
  if (!c) {
    *st = SHEAF_ERR_NOMEM;
    return NULL;
  }
  c->in_ch = in_ch;
  c->inverted = info->cmyk_inverted;
  c->out_ch = info->cmyk ? 3 : in_ch;
  *out_ch = c->out_ch;
  c->ctx = cmsCreateContext(NULL, NULL);
  if (!c->ctx)
    return c; /* plain formula (CMYK) or no change */
  cmsSetLogErrorHandlerTHR(c->ctx, quiet);
  src = open_icc(c->ctx, info->icc, info->icc_len);
  if (src && cmsGetColorSpace(src) != (info->cmyk ? cmsSigCmykData : cmsSigRgbData)) {
    cmsCloseProfile(src); /* a profile that does not fit the pixels */
    src = NULL;
  }
  if (src && (dst = cmsCreate_sRGBProfileTHR(c->ctx)) != NULL) {
    if (info->cmyk) {
      fin = info->cmyk_inverted ? TYPE_CMYK_8_REV : TYPE_CMYK_8;
      fout = TYPE_RGB_8;
    } else {
      fin = in_ch == 4 ? TYPE_RGBA_8 : TYPE_RGB_8;
      fout = fin;
      if (in_ch == 4)
        flags |= cmsFLAGS_COPY_ALPHA;
    }
    c->xf = cmsCreateTransformTHR(c->ctx, src, fin, dst, fout, INTENT_PERCEPTUAL, flags);
  }
  if (src)
    cmsCloseProfile(src);
  if (dst)
    cmsCloseProfile(dst);
  return c;
}

void sheaf_img_color_row(struct sheaf_img_color *c, const unsigned char *in,
                         unsigned char *out, unsigned w)
{
  unsigned x;

  if (c->xf) {
    cmsDoTransform(c->xf, in, out, w);
    return;
  }
  if (c->in_ch != 4 || c->out_ch != 3) { /* an RGB profile lcms2 refused */
    memmove(out, in, (size_t)w * c->in_ch);
    return;
  }
  for (x = 0; x < w; x++, in += 4, out += 3) {
    /* Ink to light: R = (1 - C)(1 - K); Adobe stores 255 - ink. */
    unsigned cc = in[0], m = in[1], y = in[2], k = in[3];
    if (!c->inverted) {
      cc = 255 - cc;
      m = 255 - m;
      y = 255 - y;
      k = 255 - k;
    }
    out[0] = (unsigned char)((cc * k + 127) / 255);
    out[1] = (unsigned char)((m * k + 127) / 255);
    out[2] = (unsigned char)((y * k + 127) / 255);
  }
}

void sheaf_img_color_free(struct sheaf_img_color *c)
{
  if (!c)
    return;
  if (c->xf)
    cmsDeleteTransform(c->xf);
  if (c->ctx)
    cmsDeleteContext(c->ctx);
  sheaf_free(c);
}
