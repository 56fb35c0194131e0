/*
 * This file contains the WebP decoder, on libwebp: WebP is not a core
 * media type of EPUB 3.2, so a WebP picture always becomes JPEG or PNG.
 * A still picture much larger than wanted is decoded by libwebp's own
 * scaler to twice the size wanted (so memory stays bounded), then scaled
 * the rest of the way like any other; an animation keeps its first frame.
 * The ICC profile and EXIF orientation come from the container's chunks.
 */
#include <string.h>

#include <webp/decode.h>
#include <webp/demux.h>

#include "image/image.h"

/* Copies the container's ICC and EXIF data into `info` (the ICC bytes go
 * to *icc, a new buffer). */
static sheaf_status chunks(const WebPData *data, struct sheaf_img_info *info,
                           unsigned char **icc)
{
  WebPDemuxer *dmx = WebPDemux(data);
  WebPChunkIterator it;

  if (!dmx)
    return SHEAF_OK; /* the decoder will say what is wrong */
  if (WebPDemuxGetChunk(dmx, "ICCP", 1, &it)) {
    *icc = sheaf_malloc(it.chunk.size ? it.chunk.size : 1);
    if (*icc) {
      memcpy(*icc, it.chunk.bytes, it.chunk.size);
      info->icc = *icc;
      info->icc_len = it.chunk.size;
    }
    WebPDemuxReleaseChunkIterator(&it);
    if (!*icc) {
      WebPDemuxDelete(dmx);
      return SHEAF_ERR_NOMEM;
    }
  }
  if (WebPDemuxGetChunk(dmx, "EXIF", 1, &it)) {
    const uint8_t *e = it.chunk.bytes;
    size_t n = it.chunk.size;
    if (n > 6 && memcmp(e, "Exif\0\0", 6) == 0) {
      e += 6;
      n -= 6;
    }
    info->orientation = sheaf_img_exif_orientation(e, n);
    WebPDemuxReleaseChunkIterator(&it);
  }
  WebPDemuxDelete(dmx);
  return SHEAF_OK;
}

static sheaf_status rows(struct sheaf_img_pipe *pipe, const uint8_t *px, int stride,
                         unsigned w, unsigned h, unsigned ch)
{
  sheaf_status ret = sheaf_img_pipe_start(pipe, w, h, ch);
  unsigned y;

  for (y = 0; y < h && ret == SHEAF_OK; y++)
    ret = sheaf_img_pipe_row(pipe, px + (size_t)y * (size_t)stride);
  return ret;
}

static sheaf_status animation(const WebPData *data, struct sheaf_img_pipe *pipe)
{
  WebPAnimDecoderOptions ao;
  WebPAnimDecoder *dec;
  WebPAnimInfo ai;
  uint8_t *px;
  int ts;
  sheaf_status ret;

  if (!WebPAnimDecoderOptionsInit(&ao))
    return sheaf_img_fail(pipe->r, SHEAF_ERR_INTERNAL, "libwebp version mismatch");
  ao.color_mode = MODE_RGBA;
  ao.use_threads = 0;
  dec = WebPAnimDecoderNew(data, &ao);
  if (!dec)
    return sheaf_img_fail(pipe->r, SHEAF_ERR_PARSE, "a broken animated WebP");
  if (!WebPAnimDecoderGetInfo(dec, &ai) || !WebPAnimDecoderGetNext(dec, &px, &ts))
    ret = sheaf_img_fail(pipe->r, SHEAF_ERR_PARSE, "a broken animated WebP");
  else
    ret = rows(pipe, px, (int)ai.canvas_width * 4, ai.canvas_width, ai.canvas_height, 4);
  WebPAnimDecoderDelete(dec);
  return ret;
}

sheaf_status sheaf_img_webp_decode(const void *p, size_t n, struct sheaf_img_pipe *pipe)
{
  WebPData data = {p, n};
  WebPBitstreamFeatures f;
  WebPDecoderConfig cfg;
  struct sheaf_img_info info;
  unsigned char *icc = NULL;
  sheaf_status ret;
  unsigned ch, w, h;
  VP8StatusCode vs;

  memset(&info, 0, sizeof info);
  if (WebPGetFeatures(p, n, &f) != VP8_STATUS_OK)
    return sheaf_img_fail(pipe->r, SHEAF_ERR_PARSE, "a broken WebP");
  info.fmt = SHEAF_IMG_WEBP;
  info.width = (unsigned)f.width;
  info.height = (unsigned)f.height;
  info.lossless = f.format == 2;
  info.must_convert = !pipe->o->keep_webp;
  ret = chunks(&data, &info, &icc);
  if (ret == SHEAF_OK)
    ret = sheaf_img_pipe_header(pipe, &info);
  if (ret != SHEAF_OK || pipe->keep)
    goto out_icc;
  if ((uint64_t)info.width * info.height * 4 > SHEAF_IMG_MAX_BUFFER && f.has_animation) {
    ret = sheaf_img_fail(pipe->r, SHEAF_ERR_LIMIT,
                         "an animated WebP of %ux%u pixels, too large to decode "
                         "within the memory limit",
                         info.width, info.height);
    goto out_icc;
  }
  if (f.has_animation) {
    ret = animation(&data, pipe);
    goto out_icc;
  }
  if (!WebPInitDecoderConfig(&cfg)) {
    ret = sheaf_img_fail(pipe->r, SHEAF_ERR_INTERNAL, "libwebp version mismatch");
    goto out_icc;
  }
  ch = f.has_alpha ? 4 : 3;
  cfg.output.colorspace = f.has_alpha ? MODE_RGBA : MODE_RGB;
  w = info.width;
  h = info.height;
  if (w > 2 * pipe->tw && h > 2 * pipe->th) {
    /* libwebp's area-averaging scaler takes the first steps. */
    w = 2 * pipe->tw;
    h = 2 * pipe->th;
    cfg.options.use_scaling = 1;
    cfg.options.scaled_width = (int)w;
    cfg.options.scaled_height = (int)h;
  }
  if ((uint64_t)w * h * ch > SHEAF_IMG_MAX_BUFFER) {
    ret = sheaf_img_fail(pipe->r, SHEAF_ERR_LIMIT,
                         "a WebP of %ux%u pixels, too large to decode within the "
                         "memory limit",
                         info.width, info.height);
    goto out_icc;
  }
  vs = WebPDecode(p, n, &cfg);
  if (vs != VP8_STATUS_OK) {
    ret = vs == VP8_STATUS_OUT_OF_MEMORY ? SHEAF_ERR_NOMEM
          : vs == VP8_STATUS_NOT_ENOUGH_DATA
              ? sheaf_img_fail(pipe->r, SHEAF_ERR_PARSE,
                               "a truncated WebP (the file ends before the picture does)")
              : sheaf_img_fail(pipe->r, SHEAF_ERR_PARSE, "a broken WebP (status %d)",
                               (int)vs);
  } else {
    ret = rows(pipe, cfg.output.u.RGBA.rgba, cfg.output.u.RGBA.stride, w, h, ch);
  }
  WebPFreeDecBuffer(&cfg.output);
out_icc:
  sheaf_free(icc);
  return ret;
}
