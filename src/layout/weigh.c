/*
 * This file contains the weighing of articles for --split SIZE: what each
 * article adds to a volume, measured by laying out its chapter (the same
 * template, cleaning and image resolution as the book), deflating it as
 * the book's zip does, and counting the bytes of the pictures it embeds. Each article is
 * weighed on its own, with no links to the others and every picture counted where it is
 * shown, so its weight never depends on what else is in the archive and
 * volume boundaries stay put as the archive grows. Nothing is reported:
 * the layout of the volumes reports what is lost.
 */
#include <string.h>

#include "layout/layout.h"

/* A chapter's share of the package document, nav and NCX. */
#define PER_CHAPTER 600

sheaf_status sheaf_layout_weigh(const struct sheaf_book *book,
                                const struct sheaf_article *const *v, size_t n,
                                const sheaf_options *opt, uint64_t *weights)
{
  struct sheaf_layout_ctx cx;
  struct sheaf_images *images;
  struct sheaf_buf b;
  sheaf_status ret = SHEAF_OK;
  unsigned char *z = NULL;
  size_t i, zlen;
  uint32_t crc;

  images = sheaf_images_new(book, opt, NULL, &ret);
  if (images == NULL)
    return ret;
  memset(&cx, 0, sizeof cx);
  cx.book = book;
  cx.opt = opt;
  cx.images = images;
  sheaf_buf_init(&b, 0);
  for (i = 0; i < n; i++) {
    uint64_t before = sheaf_images_bytes(images);
    if (opt->cancel && opt->cancel(opt->cancel_userdata)) {
      ret = SHEAF_ERR_CANCELLED;
      break;
    }
    sheaf_buf_reset(&b);
    if ((ret = sheaf_layout_chapter(&cx, v[i], 1, &b)) != SHEAF_OK)
      break;
    if ((ret = sheaf_deflate(b.ptr, b.len, &z, &zlen, &crc)) != SHEAF_OK)
      break;
    sheaf_free(z);
    z = NULL;
    weights[i] = zlen + PER_CHAPTER + strlen(v[i]->title) * 3 +
                 (sheaf_images_bytes(images) - before);
  }
  sheaf_buf_fini(&b);
  sheaf_images_free(images);
  return ret;
}
