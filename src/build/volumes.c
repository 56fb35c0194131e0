/*
 * This file contains the writing of a book as a series of volumes
 * (--split): the names of their files, the estimate of what each article
 * adds to a volume (for a split by size), and the loop that lays out and
 * writes one volume after the other, each through the same atomic,
 * input-protecting writer as a single book. The select stage cuts the
 * volumes (select/volumes.c); this file only drives them.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "build/build.h"
#include "layout/layout.h"
#include "package/package.h"
#include "select/select.h"

/* ---- the list of books written ------------------------------------------- */

void sheaf_written_fini(struct sheaf_written_list *w)
{
  size_t i;

  for (i = 0; i < w->n; i++) {
    sheaf_book_free(w->v[i].owned);
    sheaf_free(w->v[i].path);
  }
  sheaf_free(w->v);
  memset(w, 0, sizeof *w);
}

sheaf_status sheaf_written_add(struct sheaf_written_list *w,
                               const struct sheaf_book *book, bool own, const char *path)
{
  char *p = sheaf_strdup(path);

  if (p == NULL || !sheaf_grow((void **)&w->v, &w->cap, w->n + 1, sizeof *w->v)) {
    sheaf_free(p);
    if (own)
      sheaf_book_free(sheaf_unconst(book));
    return SHEAF_ERR_NOMEM;
  }
  w->v[w->n].book = book;
  w->v[w->n].owned = own ? sheaf_unconst(book) : NULL;
  w->v[w->n].path = p;
  w->n++;
  return SHEAF_OK;
}

/* ---- file names ------------------------------------------------------------- */

/* Appends `s` with every "{n}" replaced by the volume number (two digits
 * at least, so names sort) and "{key}" by the key; returns whether any
 * was there. */
static bool expand(struct sheaf_buf *out, const char *s, size_t index, const char *key)
{
  bool any = false;

  while (*s) {
    if (strncmp(s, "{n}", 3) == 0) {
      sheaf_buf_printf(out, "%02zu", index);
      s += 3;
      any = true;
    } else if (strncmp(s, "{key}", 5) == 0) {
      sheaf_buf_puts(out, key);
      s += 5;
      any = true;
    } else {
      sheaf_buf_putc(out, *s++);
    }
  }
  return any;
}

char *sheaf_volume_path(const char *output, size_t index, const char *key)
{
  struct sheaf_buf b;
  const char *base = strrchr(output, '/'), *dot;

  sheaf_buf_init(&b, 0);
  if (!expand(&b, output, index, key)) {
    sheaf_buf_reset(&b);
    base = base ? base + 1 : output;
    dot = strrchr(base, '.');
    if (dot == NULL || dot == base)
      dot = base + strlen(base);
    sheaf_buf_put(&b, output, (size_t)(dot - output));
    sheaf_buf_printf(&b, "-%s%s", key, dot);
  }
  return sheaf_buf_detach(&b, NULL);
}

/* What a volume holds besides its chapters: the cover (a generated one
 * is about 150K), the title page, the stylesheet, the colophon. */
#define PER_VOLUME ((uint64_t)256 << 10)

struct weigh_ctx {
  struct sheaf_weigh_ctx *w;
  const struct sheaf_article **v;
};

static sheaf_status weigh(void *userdata, size_t i, bool fresh, uint64_t *w)
{
  struct weigh_ctx *wc = userdata;

  return sheaf_layout_weigh(wc->w, wc->v[i], fresh, w);
}

/* ---- the loop ---------------------------------------------------------------- */

static bool is_stream(const char *output)
{
  return strcmp(output, "-") == 0 || strncmp(output, "/dev/", 5) == 0;
}

sheaf_status sheaf_build_volumes(const struct sheaf_book *whole, const char *output,
                                 const sheaf_options *opt, sheaf_diag *diag,
                                 struct sheaf_written_list *out)
{
  const struct sheaf_article **v = NULL;
  struct sheaf_volume_span *spans = NULL;
  struct weigh_ctx wc = {NULL, NULL};
  struct sheaf_weigher wr = {NULL, NULL};
  uint64_t budget = 0;
  struct sheaf_split sp;
  struct stat cover;
  uint64_t extra = 0;
  size_t i, nspans = 0;
  sheaf_status ret;

  SHEAF_CHECK(sheaf_select_split_parse(opt->split, &sp, diag));
  if (is_stream(output)) {
    sheaf_diag_add(diag, SHEAF_ERROR, "usage", NULL, 0, 0,
                   "--split writes several books; give -o a file name such as "
                   "blog.epub (volumes blog-01.epub, blog-02.epub...)");
    ret = SHEAF_ERR_USAGE;
    goto out;
  }
  if ((v = sheaf_select_oldest_first(whole)) == NULL) {
    ret = SHEAF_ERR_NOMEM;
    goto out;
  }
  if (sp.kind == SHEAF_SPLIT_SIZE) {
    if ((wc.w = sheaf_layout_weigh_new(whole, opt, &ret)) == NULL)
      goto out;
    wc.v = v;
    wr.weigh = weigh;
    wr.userdata = &wc;
    /* A --cover picture is in every volume. */
    if (opt->cover && *opt->cover && stat(opt->cover, &cover) == 0)
      extra = (uint64_t)cover.st_size;
    budget = sp.n > (PER_VOLUME + extra) * 2 ? sp.n - PER_VOLUME - extra : sp.n / 2;
  }
  SHEAF_CHECK(sheaf_select_plan(v, whole->nchapters, &sp, &wr, budget, &spans, &nspans));
  sheaf_layout_weigh_free(wc.w);
  wc.w = NULL;
  for (i = 0; i < nspans; i++) {
    struct sheaf_book *vol;
    char *path;

    vol = sheaf_select_volume(whole, &sp, v, &spans[i], i + 1, opt, &ret);
    if (vol == NULL)
      goto out;
    path = sheaf_volume_path(output, i + 1, spans[i].key);
    if (path == NULL) {
      sheaf_book_free(vol);
      ret = SHEAF_ERR_NOMEM;
      goto out;
    }
    ret = sheaf_written_add(out, vol, true, path);
    sheaf_free(path);
    SHEAF_CHECK(ret);
    SHEAF_CHECK(sheaf_build_one(vol, out->v[out->n - 1].path, -1, opt, diag));
    if (sp.kind == SHEAF_SPLIT_SIZE) {
      struct stat st;
      char a[32], b[32];
      if (stat(out->v[out->n - 1].path, &st) == 0 && (uint64_t)st.st_size > sp.n)
        sheaf_diag_add(diag, SHEAF_WARNING, "split-size", out->v[out->n - 1].path, 0, 0,
                       "this volume is %s, over --split %s%s",
                       sheaf_size_str((size_t)st.st_size, a),
                       sheaf_size_str((size_t)sp.n, b),
                       spans[i].count == 1 ? " (its one article is larger)" : "");
    }
  }
out:
  sheaf_free(v);
  sheaf_free(spans);
  sheaf_layout_weigh_free(wc.w);
  return ret;
}

/* ---- the warning for one big book -------------------------------------------- */

#define BIG_CHAPTERS 5000
#define BIG_BYTES ((uint64_t)200 << 20)

void sheaf_build_size_warning(const struct sheaf_book *book, const char *path,
                              sheaf_diag *diag)
{
  struct stat st;
  char sz[32];

  if (path == NULL && book->nchapters > BIG_CHAPTERS)
    sheaf_diag_add(diag, SHEAF_WARNING, "big-book", path, 0, 0,
                   "the book has %zu chapters; e-readers slow down past %d: --split "
                   "year, --split 1000 or --split 45MB writes it as a series of volumes",
                   book->nchapters, BIG_CHAPTERS);
  if (path && stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
      (uint64_t)st.st_size > BIG_BYTES)
    sheaf_diag_add(diag, SHEAF_WARNING, "big-book", path, 0, 0,
                   "the book is %s; e-readers and mail services handle books past "
                   "200M badly: --split 45MB or --split year writes it as a series of "
                   "volumes",
                   sheaf_size_str((size_t)st.st_size, sz));
}

/* ---- the catalog ------------------------------------------------------------- */

sheaf_status sheaf_build_catalog(const struct sheaf_written_list *w,
                                 const struct sheaf_collection *coll,
                                 const sheaf_options *opt, sheaf_diag *diag)
{
  const struct sheaf_fileset *sets[1] = {&coll->read};
  struct sheaf_catalog_book *books = sheaf_calloc(w->n + 1, sizeof *books);
  sheaf_status ret;
  size_t i;

  if (books == NULL)
    return SHEAF_ERR_NOMEM;
  for (i = 0; i < w->n; i++) {
    struct stat st;
    books[i].book = w->v[i].book;
    books[i].path = w->v[i].path;
    books[i].size = stat(w->v[i].path, &st) == 0 ? (uint64_t)st.st_size : 0;
  }
  ret = sheaf_package_catalog(opt->catalog, books, w->n, sets, 1, opt, diag);
  sheaf_free(books);
  return ret;
}
