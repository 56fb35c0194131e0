/*
 * This file contains the weighing of articles for --split SIZE: what each
 * article adds to a volume, measured by laying out its chapter (the same
 * template, cleaning and image resolution as the book), deflating it as
 * the book's zip does, and counting the bytes of the pictures it embeds
 * that its volume does not hold yet. An article is weighed with no links
 * to the others and with the pictures of its own volume only, so its
 * weight depends on nothing after it, nor before its volume, and volume
 * boundaries stay put as the archive grows. Nothing is reported: the
 * layout of the volumes reports what is lost.
 */
#include <string.h>

#include "layout/layout.h"

/* A chapter's share of the package document, nav, NCX and article
 * record, and its two zip headers (about 170 bytes in a book of 10,000
 * short articles), before its title. */
#define PER_CHAPTER 200

struct sheaf_weigh_ctx {
  const struct sheaf_book *book;
  const sheaf_options *opt;
  struct sheaf_images *images; /* pictures met in the current volume */
  struct sheaf_buf b;
};

struct sheaf_weigh_ctx *sheaf_layout_weigh_new(const struct sheaf_book *book,
                                               const sheaf_options *opt,
                                               sheaf_status *status)
{
  struct sheaf_weigh_ctx *w = sheaf_calloc(1, sizeof *w);

  *status = SHEAF_OK;
  if (w == NULL) {
    *status = SHEAF_ERR_NOMEM;
    return NULL;
  }
  w->book = book;
  w->opt = opt;
  sheaf_buf_init(&w->b, 0);
  return w;
}

void sheaf_layout_weigh_free(struct sheaf_weigh_ctx *w)
{
  if (w == NULL)
    return;
  sheaf_images_free(w->images);
  sheaf_buf_fini(&w->b);
  sheaf_free(w);
}

sheaf_status sheaf_layout_weigh(struct sheaf_weigh_ctx *w, const struct sheaf_article *a,
                                bool fresh, uint64_t *weight)
{
  struct sheaf_layout_ctx cx;
  sheaf_status ret = SHEAF_OK;
  unsigned char *z = NULL;
  uint64_t before;
  size_t zlen;
  uint32_t crc;

  if (w->opt->cancel && w->opt->cancel(w->opt->cancel_userdata))
    return SHEAF_ERR_CANCELLED;
  /* A new volume embeds its pictures anew: a registry of its own. */
  if (fresh || w->images == NULL) {
    sheaf_images_free(w->images);
    w->images = sheaf_images_new(w->book, w->opt, NULL, &ret);
    if (w->images == NULL)
      return ret;
  }
  memset(&cx, 0, sizeof cx);
  cx.book = w->book;
  cx.opt = w->opt;
  cx.images = w->images;
  before = sheaf_images_bytes(w->images);
  sheaf_buf_reset(&w->b);
  if ((ret = sheaf_layout_chapter(&cx, a, 1, &w->b)) != SHEAF_OK)
    return ret;
  if ((ret = sheaf_deflate(w->b.ptr, w->b.len, &z, &zlen, &crc)) != SHEAF_OK)
    return ret;
  sheaf_free(z);
  *weight =
      zlen + PER_CHAPTER + strlen(a->title) + (sheaf_images_bytes(w->images) - before);
  return SHEAF_OK;
}
