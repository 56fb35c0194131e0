/*
 * This file contains the weighing of articles for --split SIZE: what each
 * article adds to a volume, measured by laying out its chapter (the same
 * template, cleaning and image resolution as the book), deflating it as
 * the book's zip does, and counting the bytes of the pictures it embeds
 * that its volume does not hold yet. An article is weighed with no links
 * to the others and with the pictures of its own volume only, so its
 * weight depends on nothing after it, nor before its volume, and volume
 * boundaries stay put as the archive grows.
 *
 * A weigher that keeps (sheaf_layout_weigh_new(..., true, ...)) does the
 * volume's work once: the pictures are converted into the volume's own
 * registry and spool, and each weighed chapter, deflated, goes to that
 * spool with the warnings its layout gave. When the volume is complete,
 * sheaf_layout_weigh_take() hands all of it to sheaf_layout_prepared(),
 * which uses each kept chapter that is the one the book would lay out
 * (no link to another chapter of the volume, the same language) and lays
 * out only the others again. Without keeping, nothing is reported and
 * nothing is held: the layout of the volumes does the work again.
 */
#include <stdlib.h>

#include <libdeflate.h>
#include <string.h>

#include "layout/layout.h"

/* A chapter's share of the package document, nav, NCX and article
 * record, and its two zip headers (about 170 bytes in a book of 10,000
 * short articles), before its title. */
#define PER_CHAPTER 200

/* One chapter weighed and kept for its volume. */
struct kept {
  const struct sheaf_article *a;
  const char *lang;                       /* its language, weighed alone */
  size_t idx, len;                        /* spool entry; bytes laid out */
  size_t body[2];                         /* the cleaned body in those bytes */
  char *hrefs;                            /* NUL-terminated hrefs, or NULL */
  size_t nhrefs;                          /* bytes of `hrefs` */
  sheaf_diag *diag;                       /* its warnings, or NULL for none */
  struct sheaf_images_mark before, after; /* the registry around it */
};

struct sheaf_layout_prep {
  struct sheaf_spool *spool;   /* the volume's documents so far */
  struct sheaf_images *images; /* its pictures, spooled as they are used */
  struct sheaf_fileset read;   /* the picture files read */
  struct kept *v;              /* in the order weighed */
  size_t n, cap;
  struct kept **sorted; /* by article, made when first searched */
};

struct sheaf_weigh_ctx {
  const struct sheaf_book *book;
  const sheaf_options *opt;
  bool keep;
  struct sheaf_images *images;    /* pictures met in the current volume */
  struct sheaf_layout_prep *prep; /* when keeping: the current volume */
  struct sheaf_buf b, hrefs;
  size_t body[2]; /* the last chapter's cleaned body */
};

struct sheaf_weigh_ctx *sheaf_layout_weigh_new(const struct sheaf_book *book,
                                               const sheaf_options *opt, bool keep,
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
  w->keep = keep;
  sheaf_buf_init(&w->b, 0);
  sheaf_buf_init(&w->hrefs, 0);
  return w;
}

static void kept_fini(struct kept *k)
{
  sheaf_free(k->hrefs);
  sheaf_diag_free(k->diag);
}

void sheaf_layout_prep_free(struct sheaf_layout_prep *p)
{
  size_t i;

  if (p == NULL)
    return;
  for (i = 0; i < p->n; i++)
    kept_fini(&p->v[i]);
  sheaf_free(p->v);
  sheaf_free(p->sorted);
  sheaf_images_free(p->images);
  sheaf_spool_free(p->spool);
  sheaf_fileset_fini(&p->read);
  sheaf_free(p);
}

void sheaf_layout_weigh_free(struct sheaf_weigh_ctx *w)
{
  if (w == NULL)
    return;
  if (w->prep)
    sheaf_layout_prep_free(w->prep);
  else
    sheaf_images_free(w->images);
  sheaf_buf_fini(&w->b);
  sheaf_buf_fini(&w->hrefs);
  sheaf_free(w);
}

/* A new volume: a registry of its own (and, when keeping, a spool). */
static sheaf_status start_volume(struct sheaf_weigh_ctx *w)
{
  struct sheaf_layout_prep *p;
  sheaf_status ret = SHEAF_OK;

  if (w->prep)
    sheaf_layout_prep_free(w->prep);
  else
    sheaf_images_free(w->images);
  w->prep = NULL;
  w->images = NULL;
  if (!w->keep) {
    w->images = sheaf_images_new(w->book, w->opt, NULL, &ret);
    return w->images ? SHEAF_OK : ret;
  }
  if ((p = sheaf_calloc(1, sizeof *p)) == NULL)
    return SHEAF_ERR_NOMEM;
  p->spool = sheaf_spool_new(w->opt ? w->opt->threads : 0);
  p->images = p->spool ? sheaf_images_new(w->book, w->opt, NULL, &ret) : NULL;
  if (p->images == NULL) {
    sheaf_layout_prep_free(p);
    return p->spool ? ret : SHEAF_ERR_NOMEM;
  }
  sheaf_images_set_spool(p->images, p->spool);
  sheaf_images_record_reads(p->images, &p->read);
  w->prep = p;
  w->images = p->images;
  return SHEAF_OK;
}

/* Keeps the chapter in w->b, deflated as z[0..zlen), for the volume. */
static sheaf_status keep(struct sheaf_weigh_ctx *w, const struct sheaf_layout_ctx *cx,
                         const struct sheaf_article *a, const unsigned char *z,
                         size_t zlen, uint32_t crc, sheaf_diag *diag,
                         const struct sheaf_images_mark *before)
{
  struct sheaf_layout_prep *p = w->prep;
  struct kept *k;
  sheaf_status ret;

  if (!sheaf_grow((void **)&p->v, &p->cap, p->n + 1, sizeof *p->v))
    return SHEAF_ERR_NOMEM;
  k = &p->v[p->n];
  memset(k, 0, sizeof *k);
  k->a = a;
  k->lang = sheaf_layout_article_lang(cx, a);
  k->len = w->b.len;
  k->body[0] = w->body[0];
  k->body[1] = w->body[1];
  k->before = *before;
  sheaf_images_mark(p->images, &k->after);
  if (w->hrefs.len) {
    if ((k->hrefs = sheaf_malloc(w->hrefs.len)) == NULL)
      return SHEAF_ERR_NOMEM;
    memcpy(k->hrefs, w->hrefs.ptr, w->hrefs.len);
    k->nhrefs = w->hrefs.len;
  }
  if ((ret = sheaf_spool_add_deflated(p->spool, z, zlen, w->b.len, crc, &k->idx)) !=
      SHEAF_OK) {
    kept_fini(k);
    return ret;
  }
  k->diag = diag;
  p->n++;
  return SHEAF_OK;
}

sheaf_status sheaf_layout_weigh(struct sheaf_weigh_ctx *w, const struct sheaf_article *a,
                                bool fresh, uint64_t *weight)
{
  struct sheaf_layout_ctx cx;
  struct sheaf_images_mark before;
  sheaf_status ret = SHEAF_OK;
  sheaf_diag *diag = NULL;
  unsigned char *z = NULL;
  uint64_t bytes;
  size_t zlen, title_len = 0;
  uint32_t crc;

  if (w->opt->cancel && w->opt->cancel(w->opt->cancel_userdata))
    return SHEAF_ERR_CANCELLED;
  if (sheaf_article_titled(a)) {
    /* The title counts in the contents; a spilled one is read back. */
    struct sheaf_article_view v;
    sheaf_article_view_init(&v);
    ret = sheaf_article_view(w->book->coll, a, &v);
    if (ret == SHEAF_OK)
      title_len = strlen(v.a.title);
    sheaf_article_view_fini(&v);
    SHEAF_CHECK(ret);
  }
  /* A new volume embeds its pictures anew: a registry of its own. */
  if (fresh || w->images == NULL)
    SHEAF_CHECK(start_volume(w));
  memset(&cx, 0, sizeof cx);
  cx.book = w->book;
  cx.opt = w->opt;
  cx.images = w->images;
  if (w->keep) {
    /* The chapter's warnings wait for its volume's layout. */
    if ((diag = sheaf_diag_new()) == NULL)
      return SHEAF_ERR_NOMEM;
    cx.diag = diag;
    sheaf_buf_reset(&w->hrefs);
    cx.hrefs = &w->hrefs;
    cx.body_span = w->body;
    sheaf_images_mark(w->images, &before);
  }
  bytes = sheaf_images_bytes(w->images);
  sheaf_buf_reset(&w->b);
  SHEAF_CHECK(sheaf_layout_chapter(&cx, a, 1, &w->b));
  if (w->hrefs.failed)
    SHEAF_CHECK(SHEAF_ERR_NOMEM);
  SHEAF_CHECK(sheaf_deflate(w->b.ptr, w->b.len, &z, &zlen, &crc));
  *weight = zlen + PER_CHAPTER + title_len + (sheaf_images_bytes(w->images) - bytes);
  if (w->keep) {
    if (sheaf_diag_count(diag) == 0) {
      sheaf_diag_free(diag);
      diag = NULL;
    }
    ret = keep(w, &cx, a, z, zlen, crc, diag, &before);
    diag = NULL; /* the kept chapter's now, also on failure */
  }
out:
  sheaf_free(z);
  sheaf_diag_free(diag);
  return ret;
}

void sheaf_layout_weigh_drop_last(struct sheaf_weigh_ctx *w)
{
  struct sheaf_layout_prep *p = w->prep;

  if (p == NULL || p->n == 0)
    return;
  /* Its pictures leave the volume unless an earlier chapter used them;
   * its bytes stay in the spool, unreferenced. */
  sheaf_images_rollback(p->images, &p->v[p->n - 1].before);
  kept_fini(&p->v[--p->n]);
}

struct sheaf_layout_prep *sheaf_layout_weigh_take(struct sheaf_weigh_ctx *w)
{
  struct sheaf_layout_prep *p = w->prep;

  w->prep = NULL;
  w->images = NULL;
  return p;
}

/* ---- using what was kept (sheaf_layout_prepared) ---------------------------- */

static int by_article(const void *x, const void *y)
{
  const struct kept *const *a = x, *const *b = y;
  uintptr_t pa = (uintptr_t)(*a)->a, pb = (uintptr_t)(*b)->a;

  return pa < pb ? -1 : pa > pb;
}

struct sheaf_images *sheaf_layout_prep_images(struct sheaf_layout_prep *p,
                                              struct sheaf_spool **spool,
                                              struct sheaf_fileset *read)
{
  struct sheaf_images *im = p->images;

  *spool = p->spool;
  *read = p->read;
  p->images = NULL;
  p->spool = NULL;
  memset(&p->read, 0, sizeof p->read);
  return im;
}

/* The kept chapter of `kp`, from the spool, into `out`. */
static sheaf_status unspool(const struct sheaf_spool *sp, const struct kept *kp,
                            struct sheaf_buf *out)
{
  struct libdeflate_decompressor *d = NULL;
  struct sheaf_spool_entry e;
  unsigned char *z = NULL;
  char *raw = NULL;
  sheaf_status ret = SHEAF_ERR_NOMEM;
  size_t got = 0;

  if (!sheaf_spool_entry(sp, kp->idx, &e) || e.len != kp->len || e.clen == 0)
    return SHEAF_ERR_IO;
  sheaf_buf_reset(out);
  if ((z = sheaf_malloc((size_t)e.clen)) == NULL ||
      (raw = sheaf_malloc(kp->len ? kp->len : 1)) == NULL ||
      (d = libdeflate_alloc_decompressor()) == NULL)
    goto out;
  ret = SHEAF_ERR_IO;
  if (!sheaf_spool_read(sp, e.off, z, (size_t)e.clen) ||
      libdeflate_deflate_decompress(d, z, (size_t)e.clen, raw, kp->len, &got) !=
          LIBDEFLATE_SUCCESS ||
      got != kp->len)
    goto out;
  ret = sheaf_buf_put(out, raw, got) ? SHEAF_OK : SHEAF_ERR_NOMEM;
out:
  if (d)
    libdeflate_free_decompressor(d);
  sheaf_free(z);
  sheaf_free(raw);
  return ret;
}

/* Each <a href> that is a hit becomes "ch0012.xhtml", as the sanitizer
 * does with links in hand (sanitize.c, chapter_link). The serializer there
 * writes every start tag as <name name="value"...> with values escaped, so
 * the scan is exact. */
size_t sheaf_layout_relink(const struct sheaf_buf *in, const size_t body[2],
                           const struct sheaf_relink_hit *hits, size_t nhits,
                           struct sheaf_buf *out)
{
  const char *p = in->ptr + body[0], *end = in->ptr + body[1];
  size_t changed = 0, i;

  sheaf_buf_put(out, in->ptr, body[0]);
  while (p < end) {
    const char *lt = memchr(p, '<', (size_t)(end - p)), *q;
    if (lt == NULL || lt + 3 > end || lt[1] != 'a' || (lt[2] != ' ' && lt[2] != '>')) {
      q = lt ? lt + 1 : end;
      sheaf_buf_put(out, p, (size_t)(q - p));
      p = q;
      continue;
    }
    /* An <a> start tag: its attributes, name="value" each. */
    sheaf_buf_put(out, p, (size_t)(lt + 2 - p));
    p = lt + 2;
    while (p < end && *p == ' ') {
      const char *eq = memchr(p, '=', (size_t)(end - p)), *v, *ve;
      if (eq == NULL || eq + 1 >= end || eq[1] != '"')
        break;
      v = eq + 2;
      if ((ve = memchr(v, '"', (size_t)(end - v))) == NULL)
        break;
      sheaf_buf_put(out, p, (size_t)(v - p));
      for (i = 0; i < nhits; i++)
        if (eq - p == 5 && memcmp(p, " href", 5) == 0 &&
            strlen(hits[i].shown) == (size_t)(ve - v) &&
            memcmp(hits[i].shown, v, (size_t)(ve - v)) == 0)
          break;
      if (i < nhits) {
        sheaf_buf_printf(out, "ch%04zu.xhtml", hits[i].ch);
        changed++;
      } else {
        sheaf_buf_put(out, v, (size_t)(ve - v));
      }
      p = ve;
      sheaf_buf_putc(out, '"');
      p++;
    }
  }
  sheaf_buf_put(out, in->ptr + body[1], in->len - body[1]);
  return changed;
}

enum sheaf_prep_use sheaf_layout_prep_chapter(struct sheaf_layout_prep *p,
                                              const struct sheaf_layout_ctx *cx,
                                              const struct sheaf_spool *spool,
                                              const struct sheaf_article *a,
                                              size_t chapter, size_t *idx, size_t *len,
                                              struct sheaf_buf *out, sheaf_status *status)
{
  struct kept key, *kp = &key, **hit;
  struct sheaf_relink_hit *hits = NULL;
  struct sheaf_buf in;
  enum sheaf_prep_use use = SHEAF_PREP_AGAIN;
  size_t i, nhits = 0, nh = 0, cap = 0, changed;
  const char *h;
  bool nomem = false;

  *status = SHEAF_OK;
  sheaf_buf_init(&in, 0);
  if (p->sorted == NULL && p->n) {
    if ((p->sorted = sheaf_calloc(p->n, sizeof *p->sorted)) == NULL)
      goto nomem;
    for (i = 0; i < p->n; i++)
      p->sorted[i] = &p->v[i];
    qsort(p->sorted, p->n, sizeof *p->sorted, by_article);
  }
  key.a = a;
  hit = p->n ? bsearch(&kp, p->sorted, p->n, sizeof *p->sorted, by_article) : NULL;
  if (hit == NULL)
    return SHEAF_PREP_NONE;
  kp = *hit;
  /* Weighed alone, a chapter takes the whole book's language where it has
   * none of its own: when its volume's differs, it is laid out again. */
  if (strcmp(sheaf_layout_article_lang(cx, a), kp->lang) != 0)
    goto again;
  /* Weighed alone, it has no links to the other chapters. */
  for (h = kp->hrefs; h && h < kp->hrefs + kp->nhrefs; h += strlen(h) + 1) {
    size_t ch = sheaf_links_find(cx->links, h, &nomem);
    const char *frag = strchr(h, '#');
    if (nomem)
      goto nomem;
    if (ch == 0)
      continue;
    /* A fragment within the chapter is checked against its ids (fix_ids):
     * that, the layout does again. */
    if (ch == chapter && frag && frag[1])
      goto again;
    nh++;
    if (!sheaf_grow((void **)&hits, &cap, nhits + 1, sizeof *hits))
      goto nomem;
    {
      struct sheaf_buf e;
      sheaf_buf_init(&e, 0);
      sheaf_buf_put_xml(&e, h, strlen(h), true);
      if ((hits[nhits].shown = sheaf_buf_detach(&e, NULL)) == NULL)
        goto nomem;
      hits[nhits++].ch = ch;
    }
  }
  if (nh == 0) {
    *idx = kp->idx;
    *len = kp->len;
    use = SHEAF_PREP_KEPT;
    goto done;
  }
  if ((*status = unspool(spool, kp, &in)) != SHEAF_OK) {
    if (*status != SHEAF_ERR_IO)
      goto out;
    *status = SHEAF_OK;
    goto again;
  }
  sheaf_buf_reset(out);
  /* A link looked up may be gone from the chapter since (a WordPress
   * footer that names the post, removed as cruft): fewer change then,
   * and none when all went. */
  changed = sheaf_layout_relink(&in, kp->body, hits, nhits, out);
  if (out->failed)
    goto nomem;
  if (changed == 0) {
    *idx = kp->idx;
    *len = kp->len;
    use = SHEAF_PREP_KEPT;
    goto done;
  }
  use = SHEAF_PREP_RELINKED;
done:
  sheaf_diag_replay(cx->diag, kp->diag);
  goto out;
nomem:
  *status = SHEAF_ERR_NOMEM;
  goto out;
again:
  /* Its pictures stay in the volume; their occurrences are counted again. */
  sheaf_images_uncount(cx->images, &kp->before, &kp->after);
  use = SHEAF_PREP_AGAIN;
out:
  for (i = 0; i < nhits; i++)
    sheaf_free(hits[i].shown);
  sheaf_free(hits);
  sheaf_buf_fini(&in);
  return use;
}
