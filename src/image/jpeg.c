/*
 * This file contains the JPEG codec, on libjpeg-turbo. Decoding reads the
 * header (size, colour space, Adobe's CMYK marker, the EXIF orientation,
 * the ICC profile), then decodes at the smallest scale M/8 that still
 * covers the size wanted, so a 12-megapixel photo meant for 1600 pixels
 * is decoded at half size and never whole; rows stream into the pipe.
 * A progressive file's coefficients are capped by SHEAF_IMG_MAX_BUFFER.
 * Encoding uses fixed settings (baseline, optimized Huffman tables, the
 * integer DCT, 4:2:0), so equal pictures give equal bytes; it takes rows
 * as the scaler makes them, so a photo is never whole in memory as
 * pixels (libjpeg keeps its coefficients, for the Huffman tables).
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>

#include "image/image.h"

struct jerr {
  struct jpeg_error_mgr pub;
  jmp_buf jb;
  char msg[JMSG_LENGTH_MAX];
  bool eof; /* the data ended before the picture */
};

static void on_error(j_common_ptr ci)
{
  struct jerr *e = (struct jerr *)ci->err;

  (*ci->err->format_message)(ci, e->msg);
  longjmp(e->jb, 1);
}

/* Warnings (corrupt data libjpeg recovers from) are not printed; the end
 * of the data before the picture's is remembered: that picture is cut. */
static void on_message(j_common_ptr ci, int level)
{
  struct jerr *e = (struct jerr *)ci->err;

  if (level < 0) {
    if (ci->err->msg_code == JWRN_JPEG_EOF)
      e->eof = true;
    ci->err->num_warnings++;
  }
}

static unsigned orientation(j_decompress_ptr ci)
{
  jpeg_saved_marker_ptr m;

  for (m = ci->marker_list; m; m = m->next)
    if (m->marker == JPEG_APP0 + 1 && m->data_length > 6 &&
        memcmp(m->data, "Exif\0\0", 6) == 0)
      return sheaf_img_exif_orientation(m->data + 6, m->data_length - 6);
  return 1;
}

/* The smallest M (1-8) for which the picture decoded at M/8 still covers
 * tw x th. */
static unsigned pick_scale(unsigned w, unsigned h, unsigned tw, unsigned th)
{
  unsigned m;

  for (m = 1; m < 8; m++)
    if (((uint64_t)w * m + 7) / 8 >= tw && ((uint64_t)h * m + 7) / 8 >= th)
      return m;
  return 8;
}

sheaf_status sheaf_img_jpeg_decode(const void *p, size_t n, struct sheaf_img_pipe *pipe)
{
  struct jpeg_decompress_struct ci;
  struct jerr je;
  struct sheaf_img_info info;
  volatile sheaf_status ret = SHEAF_OK;
  unsigned char *volatile row = NULL;
  JOCTET *volatile icc = NULL;
  volatile bool created = false;
  unsigned int icc_len = 0;

  memset(&info, 0, sizeof info);
  memset(&je, 0, sizeof je);
  ci.err = jpeg_std_error(&je.pub);
  je.pub.error_exit = on_error;
  je.pub.emit_message = on_message;
  if (setjmp(je.jb)) {
    if (ret == SHEAF_OK)
      ret = sheaf_img_fail(pipe->r, SHEAF_ERR_PARSE, "a broken JPEG (%s)", je.msg);
    goto out;
  }
  jpeg_create_decompress(&ci);
  created = true;
  ci.mem->max_memory_to_use = (long)SHEAF_IMG_MAX_BUFFER;
  jpeg_mem_src(&ci, (const unsigned char *)p, (unsigned long)n);
  jpeg_save_markers(&ci, JPEG_APP0 + 1, 0xFFFF);
  jpeg_save_markers(&ci, JPEG_APP0 + 2, 0xFFFF);
  jpeg_read_header(&ci, TRUE);
  {
    JOCTET *prof = NULL;
    if (jpeg_read_icc_profile(&ci, &prof, &icc_len))
      icc = prof;
  }
  info.fmt = SHEAF_IMG_JPEG;
  info.width = ci.image_width;
  info.height = ci.image_height;
  info.orientation = orientation(&ci);
  info.icc = icc;
  info.icc_len = icc ? icc_len : 0;
  info.gray = ci.jpeg_color_space == JCS_GRAYSCALE;
  info.cmyk = ci.jpeg_color_space == JCS_CMYK || ci.jpeg_color_space == JCS_YCCK;
  info.cmyk_inverted = info.cmyk && ci.saw_Adobe_marker;
  /* Arithmetic coding is rare and many readers cannot show it. */
  info.must_convert = ci.arith_code;
  ret = sheaf_img_pipe_header(pipe, &info);
  if (ret != SHEAF_OK)
    goto out;
  ci.scale_num = pipe->keep ? 1 : pick_scale(info.width, info.height, pipe->tw, pipe->th);
  ci.scale_denom = 8;
  ci.dct_method = JDCT_ISLOW;
  ci.out_color_space = info.cmyk ? JCS_CMYK : info.gray ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_start_decompress(&ci);
  ret = sheaf_img_pipe_start(pipe, ci.output_width, ci.output_height,
                             (unsigned)ci.output_components);
  if (ret != SHEAF_OK)
    goto out;
  row = sheaf_malloc((size_t)ci.output_width * (size_t)ci.output_components);
  if (!row) {
    ret = SHEAF_ERR_NOMEM;
    goto out;
  }
  while (ci.output_scanline < ci.output_height) {
    JSAMPROW r = row;
    if (jpeg_read_scanlines(&ci, &r, 1) != 1)
      break;
    ret = sheaf_img_pipe_row(pipe, row);
    if (ret != SHEAF_OK)
      goto out;
  }
  if (je.eof) {
    ret = sheaf_img_fail(pipe->r, SHEAF_ERR_PARSE,
                         "a truncated JPEG (the file ends before the picture does)");
    goto out;
  }
  jpeg_finish_decompress(&ci);
out:
  if (created)
    jpeg_destroy_decompress(&ci);
  free(icc); /* libjpeg's malloc */
  sheaf_free(row);
  return ret;
}

struct sheaf_img_jenc {
  struct jpeg_compress_struct ci;
  struct jerr je;
  unsigned char *mem; /* libjpeg's output buffer (its malloc) */
  unsigned long size;
  bool created;
  struct sheaf_img_result *r;
};

/* Each step catches libjpeg's errors in its own frame: the encoder lives
 * across calls (rows arrive from the scaler one at a time). */
#define JENC_TRY(e)                                                                      \
  if (setjmp((e)->je.jb))                                                                \
  return sheaf_img_fail((e)->r, SHEAF_ERR_INTERNAL, "cannot encode a JPEG (%s)",         \
                        (e)->je.msg)

static sheaf_status jenc_begin(struct sheaf_img_jenc *e, unsigned w, unsigned h,
                               unsigned ch, unsigned quality)
{
  JENC_TRY(e);
  jpeg_create_compress(&e->ci);
  e->created = true;
  jpeg_mem_dest(&e->ci, &e->mem, &e->size);
  e->ci.image_width = w;
  e->ci.image_height = h;
  e->ci.input_components = (int)ch;
  e->ci.in_color_space = ch == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults(&e->ci);
  jpeg_set_quality(&e->ci, (int)quality, TRUE);
  e->ci.optimize_coding = TRUE;
  e->ci.dct_method = JDCT_ISLOW;
  jpeg_start_compress(&e->ci, TRUE);
  return SHEAF_OK;
}

struct sheaf_img_jenc *sheaf_img_jenc_new(unsigned w, unsigned h, unsigned ch,
                                          unsigned quality, struct sheaf_img_result *r,
                                          sheaf_status *st)
{
  struct sheaf_img_jenc *e = sheaf_calloc(1, sizeof *e);

  if (!e) {
    *st = SHEAF_ERR_NOMEM;
    return NULL;
  }
  e->r = r;
  e->ci.err = jpeg_std_error(&e->je.pub);
  e->je.pub.error_exit = on_error;
  e->je.pub.emit_message = on_message;
  *st = jenc_begin(e, w, h, ch, quality);
  if (*st != SHEAF_OK) {
    sheaf_img_jenc_free(e);
    return NULL;
  }
  return e;
}

sheaf_status sheaf_img_jenc_rows(struct sheaf_img_jenc *e, const unsigned char *rows,
                                 unsigned n)
{
  size_t stride = (size_t)e->ci.image_width * (size_t)e->ci.input_components;
  volatile unsigned k = 0;

  JENC_TRY(e);
  while (k < n && e->ci.next_scanline < e->ci.image_height) {
    JSAMPROW rp[16];
    unsigned m;
    for (m = 0; m < 16 && k + m < n; m++)
      rp[m] = (JSAMPROW)sheaf_unconst(rows + (size_t)(k + m) * stride);
    k = k + jpeg_write_scanlines(&e->ci, rp, m);
  }
  return SHEAF_OK;
}

sheaf_status sheaf_img_jenc_finish(struct sheaf_img_jenc *e, struct sheaf_buf *out)
{
  JENC_TRY(e);
  jpeg_finish_compress(&e->ci);
  return sheaf_buf_put(out, e->mem, e->size) ? SHEAF_OK : SHEAF_ERR_NOMEM;
}

void sheaf_img_jenc_free(struct sheaf_img_jenc *e)
{
  if (!e)
    return;
  if (e->created)
    jpeg_destroy_compress(&e->ci);
  free(e->mem); /* libjpeg's malloc */
  sheaf_free(e);
}

sheaf_status sheaf_img_jpeg_encode(const struct sheaf_img_pixmap *pm, unsigned quality,
                                   struct sheaf_buf *out, struct sheaf_img_result *r)
{
  sheaf_status st;
  struct sheaf_img_jenc *e = sheaf_img_jenc_new(pm->w, pm->h, pm->ch, quality, r, &st);

  if (!e)
    return st;
  st = sheaf_img_jenc_rows(e, pm->px, pm->h);
  if (st == SHEAF_OK)
    st = sheaf_img_jenc_finish(e, out);
  sheaf_img_jenc_free(e);
  return st;
}
