/*
 * This file contains the layout ahead of selection: while a feed is still
 * being read, the chapters of the articles already committed are laid out
 * on a thread of their own, so the core the reader leaves idle does the
 * book's main work early instead of waiting for the whole import and the
 * selection.
 *
 * What a chapter's bytes depend on that only the whole import and the
 * selection decide is left open then and checked when the book is laid
 * out (sheaf_ahead_take):
 * - links to other chapters: laid out without the links map, its hrefs
 *   recorded; those that name a chapter are rewritten then (weigh.c's
 *   sheaf_layout_relink), and a link with a fragment into its own chapter
 *   (whose ids fix_ids checks) sends the chapter back to be laid out again;
 * - its language: decided from what was known then, compared then;
 * - its pictures: resolved in a registry of the speculation's own, each
 *   resolution recorded and done again in the book's registry, which must
 *   give the same href (or the same reason for none); so the book's
 *   registry ends up with exactly the pictures its chapters use, counted
 *   as a layout counts them;
 * - the article: a fingerprint of every field the layout reads; one the
 *   import changed later (a date it found wrong) is laid out again.
 * A chapter laid out ahead is used only when all of that holds, so books
 * are byte-identical to a build without it. So are the diagnostics: each
 * chapter's wait in a private collector and are replayed where the layout
 * of that chapter would have given them.
 *
 * The reader never waits for it: an article that finds the queue full is
 * left to the book's layout. The chapters wait in an unlinked temporary
 * file with what was recorded of them; memory holds a small record per
 * chapter (at most AHEAD_RECORDS bytes of them, so a million-article
 * import stops laying out ahead long before memory matters) and the
 * speculation's pictures (AHEAD_IMAGES bytes).
 */
#include <pthread.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "layout/layout.h"

/* Articles waiting for the thread: enough to ride over a slow chapter. */
#define AHEAD_QUEUE 64
/* Bytes of chapter records held in memory until the book's layout (about
 * 40,000 chapters; the articles read after that are the book's to lay
 * out), little beside the model of 1,000,000 articles. */
#define AHEAD_RECORDS ((size_t)4 << 20)
/* Bytes of chapters in the temporary file. */
#define AHEAD_FILE ((uint64_t)1 << 30)
/* Bytes of converted pictures the speculation's registry may hold. */
#define AHEAD_IMAGES ((uint64_t)32 << 20)

/* One chapter laid out ahead: in the file at `off`, the document, then
 * its links' hrefs (each NUL-terminated), then its picture resolutions
 * (record()). */
struct entry {
  size_t order;     /* its article's position in the collection */
  uint64_t fp;      /* fingerprint of the article's fields then */
  uint64_t lang;    /* fingerprint of the language it was laid out in */
  uint64_t off;     /* where it is in the file */
  size_t len;       /* bytes of the document */
  size_t nhrefs;    /* bytes of hrefs */
  size_t nimgs;     /* bytes of picture resolutions */
  size_t body[2];   /* the cleaned body in the document */
  size_t no_alt;    /* pictures it embedded without alt text */
  sheaf_diag *diag; /* its diagnostics, or NULL for none */
  bool taken;       /* given to the book's layout (or found stale) */
};

struct item {
  const struct sheaf_article *a;
  char *lang;
};

struct sheaf_ahead {
  struct sheaf_collection *coll;
  const sheaf_options *opt;
  struct sheaf_book stub;      /* the layout's view of the collection: no book yet */
  struct sheaf_images *images; /* the speculation's pictures */
  uint64_t seed;
  pthread_mutex_t mu;
  pthread_cond_t work; /* an article was queued, or stop */
  pthread_cond_t idle; /* the thread finished an article */
  struct item queue[AHEAD_QUEUE];
  size_t qhead, qn;
  bool busy;    /* the thread lays an article out (under mu) */
  bool waiting; /* the thread sleeps for work (under mu) */
  bool stop;    /* under mu */
  bool off;     /* no more articles taken (over budget, a failure) */
  bool started; /* the thread runs */
  bool ended;   /* sheaf_ahead_end() was called */
  pthread_t tid;
  struct entry *v; /* by order; appended under mu, read after the end */
  size_t n, cap;
  int fd;       /* the chapters' file, or -1 before the first */
  uint64_t end; /* bytes written to it (the thread's) */
  size_t nused; /* chapters the book took (atomic) */
  bool patient; /* tests: nothing dropped, the reader waits instead */
};

/* ---- the fingerprint ----------------------------------------------------- */

static uint64_t fp_str(uint64_t h, const char *s)
{
  /* The NUL ends a field, so "ab","c" and "a","bc" differ. */
  return s ? sheaf_hash_bytes(h, s, strlen(s) + 1) : sheaf_hash_mix(h ^ UINT64_C(0x9e37));
}

static uint64_t fp_num(uint64_t h, uint64_t v)
{
  return sheaf_hash_mix(h ^ sheaf_hash_mix(v + UINT64_C(0x632be59bd9b4e019)));
}

/* Every field of `a` that sheaf_layout_chapter() reads (chapter.c, and the
 * sanitizer and image registry through its source). The body, and a
 * spilled article's title and links, by where they are spooled: the spool
 * is only appended to, so a changed text is a new place. */
static uint64_t fingerprint(uint64_t seed, const struct sheaf_article *a)
{
  uint64_t h = seed;

  if (!a->spilled) {
    h = fp_str(h, a->title);
    h = fp_str(h, a->link);
  }
  h = fp_str(h, a->language);
  h = fp_str(h, a->source);
  h = fp_str(h, a->nauthors ? a->authors[0] : NULL);
  h = fp_num(h, (uint64_t)a->published);
  h = fp_num(h, (uint64_t)(int64_t)a->pub_offset);
  h = fp_num(h, a->line);
  h = fp_num(h, a->feed);
  h = fp_num(h, (uint64_t)a->body_format);
  h = fp_num(h, (uint64_t)a->spooled | (uint64_t)a->has_body << 1 |
                    (uint64_t)a->has_summary << 2 | (uint64_t)a->spilled << 3 |
                    (uint64_t)a->text << 8);
  h = fp_num(h, a->spool_off);
  h = fp_num(h, a->body_len);
  h = fp_num(h, a->summary_len);
  h = fp_num(h, a->text_len);
  return h;
}

/* ---- picture resolutions ------------------------------------------------- */

/* A resolution as recorded: the count of candidates (4 bytes), each as
 * width (4 bytes), fallback (1) and URL (NUL-terminated), then the href
 * and the reason, each a presence byte and, when present, the string. */
static void put_str(struct sheaf_buf *b, const char *s)
{
  sheaf_buf_putc(b, s ? 1 : 0);
  if (s)
    sheaf_buf_put(b, s, strlen(s) + 1);
}

static void record(void *ud, const struct sheaf_image_cand *c, size_t n, const char *href,
                   const char *why)
{
  struct sheaf_buf *b = ud;
  uint32_t k = (uint32_t)n, w;
  size_t i;

  if (n > UINT32_MAX) {
    b->failed = true; /* never met: the chapter is laid out again */
    return;
  }
  sheaf_buf_put(b, &k, sizeof k);
  for (i = 0; i < n; i++) {
    w = c[i].width;
    sheaf_buf_put(b, &w, sizeof w);
    sheaf_buf_putc(b, c[i].fallback ? 1 : 0);
    sheaf_buf_put(b, c[i].url, strlen(c[i].url) + 1);
  }
  put_str(b, href);
  put_str(b, why);
}

/* Reads a string put_str() wrote at *p; NULL for none. */
static const char *get_str(const char **p)
{
  const char *s = NULL;

  if (*(*p)++) {
    s = *p;
    *p += strlen(s) + 1;
  }
  return s;
}

static bool same_str(const char *x, const char *y)
{
  return x == y || (x && y && strcmp(x, y) == 0);
}

/* Resolves the recorded pictures of `e` again in cx->images for article
 * `a`, chapter `chapter`. Returns SHEAF_OK with *same false at the first
 * that differs (what was counted then taken back), or SHEAF_ERR_NOMEM. */
static sheaf_status replay_images(const char *imgs, size_t nimgs,
                                  const struct sheaf_layout_ctx *cx,
                                  const struct sheaf_article *a, size_t chapter,
                                  const char *lang, bool *same)
{
  struct sheaf_images_mark none, mine;
  struct sheaf_layout_src src;
  struct sheaf_image_cand *c = NULL;
  const char *p = imgs, *end = imgs + nimgs;
  sheaf_status ret = SHEAF_OK;
  size_t cap = 0;

  *same = true;
  memset(&none, 0, sizeof none);
  memset(&mine, 0, sizeof mine);
  sheaf_layout_src_init(&src, cx, a, chapter, lang); /* as chapter.c does */
  while (p && p < end) {
    const char *href0, *why0, *why = NULL;
    char *href = NULL;
    uint32_t n, w, i;
    memcpy(&n, p, sizeof n);
    p += sizeof n;
    if (!sheaf_grow((void **)&c, &cap, n ? n : 1, sizeof *c)) {
      ret = SHEAF_ERR_NOMEM;
      break;
    }
    for (i = 0; i < n; i++) {
      memcpy(&w, p, sizeof w);
      p += sizeof w;
      c[i].width = w;
      c[i].fallback = *p++ != 0;
      c[i].url = p;
      p += strlen(p) + 1;
    }
    href0 = get_str(&p);
    why0 = get_str(&p);
    if (!cx->images) {
      *same = false;
      break;
    }
    if ((ret = sheaf_images_resolve(cx->images, &src, c, n, &href, &why)) != SHEAF_OK)
      break;
    if (href)
      mine.embedded++;
    else
      mine.missing++;
    if (!same_str(href, href0) || !same_str(why, why0))
      *same = false;
    sheaf_free(href);
    if (!*same)
      break;
  }
  sheaf_free(c);
  /* The chapter's layout counts them again. */
  if ((ret != SHEAF_OK || !*same) && cx->images)
    sheaf_images_uncount(cx->images, &none, &mine);
  return ret;
}

/* ---- the thread ---------------------------------------------------------- */

static void entry_fini(struct entry *e)
{
  sheaf_diag_free(e->diag);
  e->diag = NULL;
  e->taken = true;
}

/* Lays out article `a` in language `lang` (taken over) and keeps it. A
 * failure only means the book's layout does it (and reports what went
 * wrong). */
static void lay_out_one(struct sheaf_ahead *ah, const struct sheaf_article *a, char *lang)
{
  struct sheaf_layout_ctx cx;
  struct sheaf_images_mark before, after;
  struct sheaf_buf out, hrefs, imgs;
  struct entry e;
  bool full = false;
  sheaf_status st;

  memset(&e, 0, sizeof e);
  sheaf_buf_init(&out, 0);
  sheaf_buf_init(&hrefs, 0);
  sheaf_buf_init(&imgs, 0);
  memset(&cx, 0, sizeof cx);
  cx.book = &ah->stub;
  cx.opt = ah->opt;
  cx.diag = e.diag = sheaf_diag_new();
  cx.images = ah->images;
  cx.user_css = ah->opt && ah->opt->css && *ah->opt->css;
  cx.hrefs = &hrefs;
  cx.body_span = e.body;
  cx.lang = lang;
  cx.on_resolved = record;
  cx.on_resolved_userdata = &imgs;
  if (e.diag == NULL)
    goto out;
  /* One thread resolves in this registry: the difference is this one's. */
  sheaf_images_mark(ah->images, &before);
  st = sheaf_layout_chapter(&cx, a, 1, &out);
  sheaf_images_mark(ah->images, &after);
  if (st != SHEAF_OK || out.failed || hrefs.failed || imgs.failed)
    goto out;
  e.order = a->order;
  e.fp = fingerprint(ah->seed, a);
  e.lang = fp_str(ah->seed, lang);
  e.len = out.len;
  e.nhrefs = hrefs.len;
  e.nimgs = imgs.len;
  e.no_alt = after.no_alt - before.no_alt;
  if (sheaf_diag_count(e.diag) == 0) {
    sheaf_diag_free(e.diag);
    e.diag = NULL;
  }
  /* One write: the document and its records side by side. */
  if (!sheaf_buf_put(&out, hrefs.ptr, hrefs.len) ||
      !sheaf_buf_put(&out, imgs.ptr, imgs.len))
    goto out;
  if ((ah->fd < 0 && (ah->fd = sheaf_temp_open()) < 0) ||
      !sheaf_pwrite_all(ah->fd, out.ptr, out.len, ah->end)) {
    full = true;
    goto out;
  }
  e.off = ah->end;
  ah->end += out.len;
  pthread_mutex_lock(&ah->mu);
  /* Orders rise as articles are committed; an input rolled back gives its
   * positions again, and what was laid out for them goes. */
  while (ah->n && ah->v[ah->n - 1].order >= e.order)
    entry_fini(&ah->v[--ah->n]);
  if (sheaf_grow((void **)&ah->v, &ah->cap, ah->n + 1, sizeof *ah->v)) {
    ah->v[ah->n++] = e;
    e.diag = NULL;
  }
  pthread_mutex_unlock(&ah->mu);
out:
  if (full || sheaf_images_bytes(ah->images) > AHEAD_IMAGES || ah->end > AHEAD_FILE ||
      ah->cap * sizeof *ah->v > AHEAD_RECORDS) {
    pthread_mutex_lock(&ah->mu);
    ah->off = true;
    pthread_mutex_unlock(&ah->mu);
  }
  sheaf_diag_free(e.diag);
  sheaf_free(lang);
  sheaf_buf_fini(&out);
  sheaf_buf_fini(&hrefs);
  sheaf_buf_fini(&imgs);
}

static void *worker(void *arg)
{
  struct sheaf_ahead *ah = arg;
  struct item it;

  pthread_mutex_lock(&ah->mu);
  for (;;) {
    while (!ah->stop && ah->qn == 0) {
      ah->waiting = true;
      pthread_cond_wait(&ah->work, &ah->mu);
      ah->waiting = false;
    }
    if (ah->stop)
      break;
    it = ah->queue[ah->qhead];
    ah->qhead = (ah->qhead + 1) % AHEAD_QUEUE;
    ah->qn--;
    ah->busy = true;
    pthread_mutex_unlock(&ah->mu);
    lay_out_one(ah, it.a, it.lang);
    pthread_mutex_lock(&ah->mu);
    ah->busy = false;
    pthread_cond_broadcast(&ah->idle);
  }
  pthread_mutex_unlock(&ah->mu);
  return NULL;
}

/* Drops the articles waiting and waits for the one being laid out. */
static void pause_thread(struct sheaf_ahead *ah)
{
  pthread_mutex_lock(&ah->mu);
  while (ah->patient && (ah->qn || ah->busy))
    pthread_cond_wait(&ah->idle, &ah->mu);
  while (ah->qn) {
    sheaf_free(ah->queue[ah->qhead].lang);
    ah->qhead = (ah->qhead + 1) % AHEAD_QUEUE;
    ah->qn--;
  }
  while (ah->busy)
    pthread_cond_wait(&ah->idle, &ah->mu);
  pthread_mutex_unlock(&ah->mu);
}

/* The collection's `committed` hook, on the reader's thread. */
static void committed(void *ud, const struct sheaf_article *a)
{
  struct sheaf_ahead *ah = ud;
  struct sheaf_layout_ctx cx;
  bool wake;
  char *lang;

  if (a == NULL) {
    if (ah->started)
      pause_thread(ah);
    return;
  }
  if (ah->ended || !a->spooled)
    return;
  /* Its language as the book would give it now: the feed's may still come
   * (checked when the book is laid out), and the feeds are the reader's. */
  memset(&cx, 0, sizeof cx);
  cx.book = &ah->stub;
  cx.opt = ah->opt;
  if ((lang = sheaf_strdup(sheaf_layout_article_lang(&cx, a))) == NULL)
    return;
  pthread_mutex_lock(&ah->mu);
  while (ah->patient && ah->started && ah->qn == AHEAD_QUEUE)
    pthread_cond_wait(&ah->idle, &ah->mu);
  if (ah->off || ah->qn == AHEAD_QUEUE) {
    pthread_mutex_unlock(&ah->mu);
    sheaf_free(lang);
    return;
  }
  if (!ah->started) {
    if (pthread_create(&ah->tid, NULL, worker, ah) != 0) {
      ah->off = true;
      pthread_mutex_unlock(&ah->mu);
      sheaf_free(lang);
      return;
    }
    ah->started = true;
  }
  ah->queue[(ah->qhead + ah->qn) % AHEAD_QUEUE] = (struct item){a, lang};
  ah->qn++;
  wake = ah->waiting;
  pthread_mutex_unlock(&ah->mu);
  if (wake)
    pthread_cond_signal(&ah->work);
}

/* ---- the build's side ---------------------------------------------------- */

struct sheaf_ahead *sheaf_ahead_new(struct sheaf_collection *coll,
                                    const sheaf_options *opt)
{
  struct sheaf_ahead *ah;
  struct timespec ts;
  sheaf_status st;

  if (sheaf_spool_threads(opt ? opt->threads : 0) <= 1 || (opt && opt->nremove) ||
      (opt && opt->split && *opt->split))
    return NULL;
  if ((ah = sheaf_calloc(1, sizeof *ah)) == NULL)
    return NULL;
  ah->coll = coll;
  ah->opt = opt;
  ah->fd = -1;
  ah->stub.coll = coll;
  /* --assets is checked (and reported) by the book's layout. */
  if ((ah->images = sheaf_images_new(&ah->stub, opt, NULL, &st)) == NULL) {
    sheaf_free(ah);
    return NULL;
  }
  /* A seed per build, so no input can be written to make a changed
   * article's fingerprint match. */
  clock_gettime(CLOCK_MONOTONIC, &ts);
  ah->seed = sheaf_hash_mix((uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 32) ^
                            (uint64_t)(uintptr_t)ah);
  pthread_mutex_init(&ah->mu, NULL);
  pthread_cond_init(&ah->work, NULL);
  pthread_cond_init(&ah->idle, NULL);
  coll->committed = committed;
  coll->committed_ud = ah;
  return ah;
}

void sheaf_ahead_end(struct sheaf_ahead *ah)
{
  if (ah == NULL || ah->ended)
    return;
  ah->ended = true;
  ah->coll->committed = NULL;
  ah->coll->committed_ud = NULL;
  if (ah->started) {
    pause_thread(ah);
    pthread_mutex_lock(&ah->mu);
    ah->stop = true;
    pthread_cond_broadcast(&ah->work);
    pthread_mutex_unlock(&ah->mu);
    pthread_join(ah->tid, NULL);
    ah->started = false;
  }
  /* The book's registry converts the pictures again; these copies go. */
  sheaf_images_free(ah->images);
  ah->images = NULL;
}

void sheaf_ahead_free(struct sheaf_ahead *ah)
{
  size_t i;

  if (ah == NULL)
    return;
  sheaf_ahead_end(ah);
  for (i = 0; i < ah->n; i++)
    entry_fini(&ah->v[i]);
  sheaf_free(ah->v);
  if (ah->fd >= 0)
    close(ah->fd);
  pthread_cond_destroy(&ah->idle);
  pthread_cond_destroy(&ah->work);
  pthread_mutex_destroy(&ah->mu);
  sheaf_free(ah);
}

static struct entry *find(struct sheaf_ahead *ah, size_t order)
{
  size_t lo = 0, hi = ah->n;

  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (ah->v[mid].order < order)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < ah->n && ah->v[lo].order == order && !ah->v[lo].taken ? &ah->v[lo] : NULL;
}

sheaf_status sheaf_ahead_take(struct sheaf_ahead *ah, const struct sheaf_layout_ctx *cx,
                              const struct sheaf_article *a, size_t chapter,
                              struct sheaf_buf *out, bool *used)
{
  struct sheaf_relink_hit *hits = NULL;
  struct sheaf_article_view view;
  struct sheaf_buf in;
  struct entry *e;
  const char *lang, *h, *hrefs;
  char *raw = NULL;
  size_t i, nhits = 0, cap = 0;
  sheaf_status ret = SHEAF_OK;
  bool nomem = false, same;

  *used = false;
  if (ah == NULL || !ah->ended || (e = find(ah, a->order)) == NULL)
    return SHEAF_OK;
  sheaf_article_view_init(&view);
  lang = sheaf_layout_article_lang(cx, a);
  if (e->fp != fingerprint(ah->seed, a) || e->lang != fp_str(ah->seed, lang))
    goto done;
  /* The document and its records, back from the file. */
  if ((raw = sheaf_malloc(e->len + e->nhrefs + e->nimgs + 1)) == NULL)
    goto nomem;
  if (!sheaf_pread_all(ah->fd, raw, e->len + e->nhrefs + e->nimgs, e->off))
    goto done; /* laid out again, which owes nothing to this file */
  memset(&in, 0, sizeof in);
  in.ptr = raw;
  in.len = e->len;
  hrefs = raw + e->len;
  /* Its links to chapters of the book, as sheaf_layout_prep_chapter()
   * finds them for a weighed chapter. */
  for (h = hrefs; h < hrefs + e->nhrefs; h += strlen(h) + 1) {
    size_t ch = sheaf_links_find(cx->links, h, &nomem);
    const char *frag = strchr(h, '#');
    struct sheaf_buf esc;
    if (nomem)
      goto nomem;
    if (ch == 0)
      continue;
    if (ch == chapter && frag && frag[1])
      goto done; /* a fragment within the chapter: fix_ids decides */
    if (!sheaf_grow((void **)&hits, &cap, nhits + 1, sizeof *hits))
      goto nomem;
    sheaf_buf_init(&esc, 0);
    sheaf_buf_put_xml(&esc, h, strlen(h), true);
    if ((hits[nhits].shown = sheaf_buf_detach(&esc, NULL)) == NULL)
      goto nomem;
    hits[nhits++].ch = ch;
  }
  /* The pictures are looked for from the article's link, which a spilled
   * article keeps in the spool (the layout reads it the same way). */
  if (e->nimgs && sheaf_article_view(cx->book->coll, a, &view) != SHEAF_OK)
    goto done; /* laid out again, which reports it */
  ret = replay_images(hrefs + e->nhrefs, e->nimgs, cx, e->nimgs ? &view.a : a, chapter,
                      lang, &same);
  if (ret != SHEAF_OK || !same)
    goto done;
  for (i = 0; i < e->no_alt; i++)
    sheaf_images_note_no_alt(cx->images);
  if (nhits)
    sheaf_layout_relink(&in, e->body, hits, nhits, out);
  else
    sheaf_buf_put(out, in.ptr, in.len);
  if (out->failed)
    goto nomem;
  sheaf_diag_replay(cx->diag, e->diag);
  *used = true;
  __atomic_fetch_add(&ah->nused, 1, __ATOMIC_RELAXED);
  goto done;
nomem:
  ret = SHEAF_ERR_NOMEM;
done:
  for (i = 0; i < nhits; i++)
    sheaf_free(hits[i].shown);
  sheaf_free(hits);
  sheaf_free(raw);
  sheaf_article_view_fini(&view);
  /* Given once. */
  entry_fini(e);
  return ret;
}

void sheaf_ahead_patient(struct sheaf_ahead *ah)
{
  ah->patient = true;
}

void sheaf_ahead_stats(struct sheaf_ahead *ah, size_t *laid_out, size_t *used)
{
  *laid_out = ah->n;
  *used = __atomic_load_n(&ah->nused, __ATOMIC_RELAXED);
}
