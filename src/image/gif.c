/*
 * This file contains the GIF decoder, on giflib: the first frame, placed
 * on the logical screen with its transparency, and whether more frames
 * follow (an animation), found by skipping their compressed data without
 * decoding it. A still GIF within the box stays as it is, and so does a
 * small animation; a larger animation keeps its first frame.
 */
#include <string.h>

#include <gif_lib.h>

#include "image/image.h"

struct memrd {
  const unsigned char *p;
  size_t n, off;
};

static int mem_read(GifFileType *gif, GifByteType *data, int len)
{
  struct memrd *m = gif->UserData;
  size_t k = len < 0 ? 0 : (size_t)len;

  if (k > m->n - m->off)
    k = m->n - m->off;
  memcpy(data, m->p + m->off, k);
  m->off += k;
  return (int)k;
}

static sheaf_status gif_fail(struct sheaf_img_pipe *pipe, int err)
{
  const char *s = GifErrorString(err);

  return sheaf_img_fail(pipe->r, SHEAF_ERR_PARSE, "a broken GIF (%s)",
                        s ? s : "unknown error");
}

/* Skips the records up to the next image: true when one follows. */
static bool more_frames(GifFileType *gif, bool *clean)
{
  GifRecordType t;
  GifByteType *ext;
  int code;

  *clean = false;
  for (;;) {
    if (DGifGetRecordType(gif, &t) == GIF_ERROR)
      return false;
    if (t == IMAGE_DESC_RECORD_TYPE)
      return true;
    if (t == TERMINATE_RECORD_TYPE) {
      *clean = true;
      return false;
    }
    if (t != EXTENSION_RECORD_TYPE)
      return false;
    if (DGifGetExtension(gif, &code, &ext) == GIF_ERROR)
      return false;
    while (ext)
      if (DGifGetExtensionNext(gif, &ext) == GIF_ERROR)
        return false;
  }
}

sheaf_status sheaf_img_gif_decode(const void *p, size_t n, struct sheaf_img_pipe *pipe)
{
  struct memrd m = {p, n, 0};
  struct sheaf_img_info info;
  GifFileType *gif;
  GifRecordType t;
  GifByteType *ext;
  unsigned char *idx = NULL, *row = NULL;
  sheaf_status ret = SHEAF_OK;
  int err = 0, code, trans = -1;
  unsigned sw, sh, fw = 0, fh = 0, fl = 0, ft = 0, x, y;
  bool animated, clean, framed = false;
  const ColorMapObject *map;

  memset(&info, 0, sizeof info);
  gif = DGifOpen(&m, mem_read, &err);
  if (!gif)
    return err == D_GIF_ERR_NOT_ENOUGH_MEM ? SHEAF_ERR_NOMEM : gif_fail(pipe, err);
  sw = (unsigned)gif->SWidth;
  sh = (unsigned)gif->SHeight;
  info.fmt = SHEAF_IMG_GIF;
  info.width = sw;
  info.height = sh;
  info.lossless = true;
  if ((uint64_t)sw * sh > pipe->o->max_pixels || sw == 0 || sh == 0) {
    ret = sheaf_img_pipe_header(pipe, &info); /* refuses it, saying why */
    goto out;
  }
  while (!framed) {
    if (DGifGetRecordType(gif, &t) == GIF_ERROR) {
      ret = gif_fail(pipe, gif->Error);
      goto out;
    }
    if (t == TERMINATE_RECORD_TYPE) {
      ret = sheaf_img_fail(pipe->r, SHEAF_ERR_PARSE, "a GIF without a picture");
      goto out;
    }
    if (t == EXTENSION_RECORD_TYPE) {
      if (DGifGetExtension(gif, &code, &ext) == GIF_ERROR) {
        ret = gif_fail(pipe, gif->Error);
        goto out;
      }
      if (code == GRAPHICS_EXT_FUNC_CODE && ext && ext[0] >= 4 && (ext[1] & 1))
        trans = ext[4];
      while (ext)
        if (DGifGetExtensionNext(gif, &ext) == GIF_ERROR) {
          ret = gif_fail(pipe, gif->Error);
          goto out;
        }
    } else if (t == IMAGE_DESC_RECORD_TYPE) {
      framed = true;
    }
  }
  if (DGifGetImageDesc(gif) == GIF_ERROR) {
    ret = gif_fail(pipe, gif->Error);
    goto out;
  }
  fw = (unsigned)gif->Image.Width;
  fh = (unsigned)gif->Image.Height;
  fl = (unsigned)gif->Image.Left;
  ft = (unsigned)gif->Image.Top;
  if (fw == 0 || fh == 0 || (uint64_t)fw * fh > pipe->o->max_pixels ||
      (size_t)fw * fh > SHEAF_IMG_MAX_BUFFER) {
    info.width = fw;
    info.height = fh;
    ret = sheaf_img_pipe_header(pipe, &info);
    if (ret == SHEAF_OK)
      ret =
          sheaf_img_fail(pipe->r, SHEAF_ERR_LIMIT, "a GIF frame of %ux%u pixels", fw, fh);
    goto out;
  }
  idx = sheaf_malloc((size_t)fw * fh);
  if (!idx) {
    ret = SHEAF_ERR_NOMEM;
    goto out;
  }
  if (gif->Image.Interlace) {
    static const unsigned start[] = {0, 4, 2, 1}, step[] = {8, 8, 4, 2};
    unsigned pass;
    for (pass = 0; pass < 4; pass++)
      for (y = start[pass]; y < fh; y += step[pass])
        if (DGifGetLine(gif, idx + (size_t)y * fw, (int)fw) == GIF_ERROR) {
          ret = gif_fail(pipe, gif->Error);
          goto out;
        }
  } else {
    for (y = 0; y < fh; y++)
      if (DGifGetLine(gif, idx + (size_t)y * fw, (int)fw) == GIF_ERROR) {
        ret = gif_fail(pipe, gif->Error);
        goto out;
      }
  }
  map = gif->Image.ColorMap ? gif->Image.ColorMap : gif->SColorMap;
  animated = more_frames(gif, &clean);
  /* A small animation stays one; a cut-off file is rewritten from what
   * was whole. */
  info.must_convert =
      (animated && n > SHEAF_IMG_SMALL_ANIMATION) || (!animated && !clean);
  ret = sheaf_img_pipe_header(pipe, &info);
  if (ret != SHEAF_OK)
    goto out;
  {
    bool covers = fl == 0 && ft == 0 && fw >= sw && fh >= sh;
    unsigned ch = trans >= 0 || !covers ? 4 : 3;
    ret = sheaf_img_pipe_start(pipe, sw, sh, ch);
    if (ret != SHEAF_OK || pipe->keep)
      goto out;
    row = sheaf_malloc((size_t)sw * 4);
    if (!row) {
      ret = SHEAF_ERR_NOMEM;
      goto out;
    }
    for (y = 0; y < sh && ret == SHEAF_OK; y++) {
      unsigned char *d = row;
      for (x = 0; x < sw; x++, d += ch) {
        int i = -1;
        if (y >= ft && y - ft < fh && x >= fl && x - fl < fw)
          i = idx[(size_t)(y - ft) * fw + (x - fl)];
        if (i < 0 || i == trans) {
          memset(d, 0, ch);
        } else if (map && i < map->ColorCount) {
          d[0] = map->Colors[i].Red;
          d[1] = map->Colors[i].Green;
          d[2] = map->Colors[i].Blue;
          if (ch == 4)
            d[3] = 255;
        } else { /* no colour table: a grey ramp */
          d[0] = d[1] = d[2] = (unsigned char)i;
          if (ch == 4)
            d[3] = 255;
        }
      }
      ret = sheaf_img_pipe_row(pipe, row);
    }
  }
out:
  DGifCloseFile(gif, &err);
  sheaf_free(idx);
  sheaf_free(row);
  return ret;
}
