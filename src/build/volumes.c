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

/* The loop of the volumes: what each one needs to be written. */
struct series {
  const struct sheaf_book *whole;
  const struct sheaf_split *sp;
  const struct sheaf_article **v; /* oldest first */
  const char *output;
  const sheaf_options *opt;
  sheaf_diag *diag;
  struct sheaf_written_list *out;
  /* --split SIZE */
  struct sheaf_weigh_ctx *w;
  bool keep;     /* the weigher lays each volume out for good */
  size_t vstart; /* the current volume's first article */
  size_t nvols;  /* volumes started */
};

/* Selects, lays out (from `prep` when the weigher kept its chapters) and
 * writes volume `index` of `span`, and lists it in s->out. */
static sheaf_status write_volume(struct series *s, const struct sheaf_volume_span *span,
                                 size_t index, struct sheaf_layout_prep *prep)
{
  struct sheaf_book *vol;
  sheaf_status ret;
  char *path;

  vol = sheaf_select_volume(s->whole, s->sp, s->v, span, index, s->opt, &ret);
  if (vol == NULL)
    return ret;
  path = sheaf_volume_path(s->output, index, span->key);
  if (path == NULL) {
    sheaf_book_free(vol);
    return SHEAF_ERR_NOMEM;
  }
  ret = sheaf_written_add(s->out, vol, true, path);
  sheaf_free(path);
  SHEAF_CHECK(ret);
  path = s->out->v[s->out->n - 1].path;
  SHEAF_CHECK(sheaf_build_one(vol, path, -1, s->opt, s->diag, prep));
  if (s->sp->kind == SHEAF_SPLIT_SIZE) {
    struct stat st;
    char a[32], b[32];
    if (stat(path, &st) == 0 && (uint64_t)st.st_size > s->sp->n)
      sheaf_diag_add(s->diag, SHEAF_WARNING, "split-size", path, 0, 0,
                     "this volume is %s, over --split %s%s",
                     sheaf_size_str((size_t)st.st_size, a),
                     sheaf_size_str((size_t)s->sp->n, b),
                     span->count == 1 ? " (its one article is larger)" : "");
  }
out:
  return ret;
}

/* Writes the volume that ends before article `end`, from what the keeping
 * weigher holds of it. */
static sheaf_status write_kept(struct series *s, size_t end)
{
  struct sheaf_layout_prep *prep = sheaf_layout_weigh_take(s->w);
  struct sheaf_volume_span span;
  sheaf_status ret;

  span.start = s->vstart;
  span.count = end - s->vstart;
  /* The key the plan gives a volume of a split by size. */
  snprintf(span.key, sizeof span.key, "%02zu", s->nvols);
  ret = write_volume(s, &span, s->nvols, prep);
  sheaf_layout_prep_free(prep);
  return ret;
}

static sheaf_status weigh(void *userdata, size_t i, bool fresh, uint64_t *w)
{
  struct series *s = userdata;

  /* The plan weighs an article in the current volume, and when it does
   * not fit, again as the first of a new one: the current volume is then
   * complete, and is written before the next one is laid out. */
  if (s->keep && fresh && i > 0) {
    sheaf_status ret;
    sheaf_layout_weigh_drop_last(s->w);
    if ((ret = write_kept(s, i)) != SHEAF_OK)
      return ret;
    s->vstart = i;
  }
  if (fresh)
    s->nvols++;
  return sheaf_layout_weigh(s->w, s->v[i], fresh, w);
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
  struct sheaf_volume_span *spans = NULL;
  struct sheaf_weigher wr = {NULL, NULL};
  struct series s;
  uint64_t budget = 0;
  struct sheaf_split sp;
  struct stat cover;
  uint64_t extra = 0;
  size_t i, nspans = 0;
  sheaf_status ret;

  memset(&s, 0, sizeof s);
  SHEAF_CHECK(sheaf_select_split_parse(opt->split, &sp, diag));
  if (is_stream(output)) {
    sheaf_diag_add(diag, SHEAF_ERROR, "usage", NULL, 0, 0,
                   "--split writes several books; give -o a file name such as "
                   "blog.epub (volumes blog-01.epub, blog-02.epub...)");
    ret = SHEAF_ERR_USAGE;
    goto out;
  }
  if ((s.v = sheaf_select_oldest_first(whole)) == NULL) {
    ret = SHEAF_ERR_NOMEM;
    goto out;
  }
  s.whole = whole;
  s.sp = &sp;
  s.output = output;
  s.opt = opt;
  s.diag = diag;
  s.out = out;
  if (sp.kind == SHEAF_SPLIT_SIZE) {
    /* Weighing lays out every chapter and converts every picture; the
     * volumes keep that work unless the book's layout differs from the
     * weighing's in every chapter: a --css link, --remove. */
    s.keep = !(opt->css && *opt->css) && opt->nremove == 0;
    if ((s.w = sheaf_layout_weigh_new(whole, opt, s.keep, &ret)) == NULL)
      goto out;
    wr.weigh = weigh;
    wr.userdata = &s;
    /* A --cover picture is in every volume. */
    if (opt->cover && *opt->cover && stat(opt->cover, &cover) == 0)
      extra = (uint64_t)cover.st_size;
    budget = sp.n > (PER_VOLUME + extra) * 2 ? sp.n - PER_VOLUME - extra : sp.n / 2;
  }
  SHEAF_CHECK(
      sheaf_select_plan(s.v, whole->nchapters, &sp, &wr, budget, &spans, &nspans));
  if (s.keep) {
    /* Every volume but the last was written as the next one started. */
    if (nspans)
      ret = write_kept(&s, whole->nchapters);
    goto out;
  }
  sheaf_layout_weigh_free(s.w);
  s.w = NULL;
  for (i = 0; i < nspans; i++)
    SHEAF_CHECK(write_volume(&s, &spans[i], i + 1, NULL));
out:
  sheaf_free(s.v);
  sheaf_free(spans);
  sheaf_layout_weigh_free(s.w);
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
