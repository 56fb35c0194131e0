/*
 * This file contains the chapter pool: the chapters of a book laid out on
 * several worker threads at once, and handed back to the caller's thread
 * strictly in chapter order, so the book is byte-identical whatever the
 * number of threads.
 *
 * Each worker lays out chapter i with a private diagnostics collector; the
 * caller's thread copies those entries into the book's collector just
 * before it commits chapter i, so warnings come out in the order one
 * thread would give them. At most `QUEUE_PER_WORKER` chapters per worker
 * wait ahead of the next one to commit, which bounds the memory held.
 *
 * What the workers share is read-only (the book, the options, the links)
 * or locked where it is written (the image registry, the --remove
 * counters). No global state: every pool owns its threads and lock.
 */
#include <pthread.h>
#include <string.h>

#include "layout/layout.h"

#define QUEUE_PER_WORKER 4
/* The caller's thread, asleep, is woken when this many chapters in a row
 * are ready to commit (or the book's last ones), not for each: committing
 * one is quick, and on a busy machine a wake-up costs more kernel time
 * than that. At most QUEUE_PER_WORKER * threads. */
#define COMMIT_BATCH 4
#define NOBODY ((size_t)-1)
/* Chapters whose diagnostics may wait for the cover's (see held). */
#define MAX_HELD 65536

struct slot {
  bool done;       /* laid out, waiting for the commit */
  sheaf_status st; /* the layout's status */
  struct sheaf_buf out;
  sheaf_diag *diag; /* the chapter's own diagnostics */
};

struct pool {
  const struct sheaf_layout_ctx *cx;
  pthread_mutex_t mu;
  pthread_cond_t done; /* a slot was filled */
  pthread_cond_t room; /* a chapter was committed, or stop */
  struct slot *slots;  /* ring: chapter i in slots[i % nslots] */
  size_t nslots;
  size_t next_take;   /* next chapter a worker lays out */
  size_t next_commit; /* next chapter the caller commits */
  size_t n;           /* chapters in the book */
  size_t waiting;     /* the chapter the caller sleeps for, or NOBODY */
  unsigned idle;      /* workers waiting for room */
  bool stop;
};

/* With p->mu held: whether the caller, asleep for chapter p->waiting,
 * should wake: that chapter and the next ones up to a batch are laid out. */
static bool ready(const struct pool *p)
{
  size_t i, end;

  if (p->waiting == NOBODY)
    return false;
  end = p->n - p->waiting < COMMIT_BATCH ? p->n : p->waiting + COMMIT_BATCH;
  for (i = p->waiting; i < end; i++)
    if (!p->slots[i % p->nslots].done)
      return false;
  return true;
}

/* Chapter i into `out`: the one laid out while the input was read when it
 * is the book's, else laid out now. */
static sheaf_status lay_out_one(const struct sheaf_layout_ctx *cx, size_t i,
                                struct sheaf_buf *out)
{
  const struct sheaf_article *a = cx->book->chapters[i];
  bool used = false;
  sheaf_status ret;

  if (cx->ahead) {
    ret = sheaf_ahead_take(cx->ahead, cx, a, i + 1, out, &used);
    if (ret != SHEAF_OK || used)
      return ret;
  }
  return sheaf_layout_chapter(cx, a, i + 1, out);
}

static void *worker(void *arg)
{
  struct pool *p = arg;
  struct sheaf_layout_ctx cx = *p->cx;
  struct slot *s;
  size_t i;

  pthread_mutex_lock(&p->mu);
  for (;;) {
    while (!p->stop && p->next_take < p->n &&
           p->next_take >= p->next_commit + p->nslots) {
      p->idle++;
      pthread_cond_wait(&p->room, &p->mu);
      p->idle--;
    }
    if (p->stop || p->next_take >= p->n)
      break;
    i = p->next_take++;
    s = &p->slots[i % p->nslots];
    pthread_mutex_unlock(&p->mu);
    /* The slot is this worker's until chapter i is committed. */
    cx.diag = s->diag;
    sheaf_buf_reset(&s->out);
    s->st = s->diag ? lay_out_one(&cx, i, &s->out) : SHEAF_ERR_NOMEM;
    if (s->st == SHEAF_OK && s->out.failed)
      s->st = SHEAF_ERR_NOMEM;
    pthread_mutex_lock(&p->mu);
    s->done = true;
    if (ready(p)) {
      p->waiting = NOBODY; /* one wake-up is enough */
      pthread_cond_signal(&p->done);
    }
  }
  pthread_mutex_unlock(&p->mu);
  return NULL;
}

/* The collectors of chapters committed while the cover was still being
 * drawn: their diagnostics come after the cover's, which are not known
 * yet, and the chapters need not wait for them. */
struct held {
  sheaf_diag **v;
  size_t n, cap;
};

/* Gives the held collectors to cx->diag, after the cover's (before_diag),
 * and frees them. Returns before_diag's status (on failure, what they
 * said is dropped, as when the cover fails before a chapter speaks). */
static sheaf_status release_held(const struct sheaf_layout_ctx *cx, struct held *h)
{
  sheaf_status ret = SHEAF_OK;
  size_t j;

  if (h->n && cx->before_diag)
    ret = cx->before_diag(cx->before_diag_ud);
  for (j = 0; j < h->n; j++) {
    if (ret == SHEAF_OK)
      sheaf_diag_replay(cx->diag, h->v[j]);
    sheaf_diag_free(h->v[j]);
  }
  h->n = 0;
  return ret;
}

/* Holds the collector of slot `s` back when the cover is not drawn yet
 * (giving the slot a fresh one). False: say it now. */
static bool hold(const struct sheaf_layout_ctx *cx, struct held *h, struct slot *s)
{
  sheaf_diag *fresh;

  if (s->st != SHEAF_OK || !cx->diag_ready || cx->diag_ready(cx->before_diag_ud) ||
      h->n >= MAX_HELD || !sheaf_grow((void **)&h->v, &h->cap, h->n + 1, sizeof *h->v) ||
      (fresh = sheaf_diag_new()) == NULL)
    return false;
  h->v[h->n++] = s->diag;
  s->diag = fresh;
  return true;
}

static bool cancelled(const sheaf_options *opt)
{
  return opt && opt->cancel && opt->cancel(opt->cancel_userdata);
}

/* One thread: each chapter laid out and committed in turn. */
static sheaf_status serial(const struct sheaf_layout_ctx *cx,
                           sheaf_layout_commit_fn commit, void *ud)
{
  const struct sheaf_book *book = cx->book;
  struct sheaf_buf b;
  sheaf_status ret = SHEAF_OK;
  size_t i;

  sheaf_buf_init(&b, 0);
  /* Chapters write to cx->diag as they go: the cover speaks first. */
  if (cx->before_diag)
    SHEAF_CHECK(cx->before_diag(cx->before_diag_ud));
  for (i = 0; i < book->nchapters; i++) {
    if (cancelled(cx->opt)) {
      ret = SHEAF_ERR_CANCELLED;
      goto out;
    }
    if (cx->opt && cx->opt->progress)
      cx->opt->progress("layout", i, book->nchapters, cx->opt->progress_userdata);
    sheaf_buf_reset(&b);
    SHEAF_CHECK(lay_out_one(cx, i, &b));
    SHEAF_CHECK(commit(ud, i, &b));
  }
out:
  sheaf_buf_fini(&b);
  return ret;
}

sheaf_status sheaf_layout_chapters(const struct sheaf_layout_ctx *cx, unsigned threads,
                                   sheaf_layout_commit_fn commit, void *ud)
{
  const struct sheaf_book *book = cx->book;
  struct pool p;
  struct held held = {NULL, 0, 0};
  sheaf_status held_ret;
  pthread_t *tids = NULL;
  sheaf_status ret = SHEAF_OK;
  unsigned started = 0, k;
  size_t i;

  if (threads > book->nchapters)
    threads = (unsigned)book->nchapters;
  if (threads <= 1)
    return serial(cx, commit, ud);

  memset(&p, 0, sizeof p);
  p.cx = cx;
  p.n = book->nchapters;
  p.waiting = NOBODY;
  p.nslots = (size_t)threads * QUEUE_PER_WORKER;
  p.slots = sheaf_calloc(p.nslots, sizeof *p.slots);
  tids = sheaf_calloc(threads, sizeof *tids);
  if (!p.slots || !tids) {
    sheaf_free(p.slots);
    sheaf_free(tids);
    return serial(cx, commit, ud);
  }
  for (i = 0; i < p.nslots; i++) {
    sheaf_buf_init(&p.slots[i].out, 0);
    p.slots[i].diag = sheaf_diag_new();
  }
  pthread_mutex_init(&p.mu, NULL);
  pthread_cond_init(&p.done, NULL);
  pthread_cond_init(&p.room, NULL);
  for (k = 0; k < threads; k++)
    if (pthread_create(&tids[k], NULL, worker, &p) != 0)
      break;
  started = k;
  if (started == 0) {
    ret = serial(cx, commit, ud);
    goto out;
  }

  for (i = 0; i < p.n; i++) {
    struct slot *s = &p.slots[i % p.nslots];
    sheaf_diag *fresh;

    if (cancelled(cx->opt)) {
      ret = SHEAF_ERR_CANCELLED;
      goto out;
    }
    if (cx->opt && cx->opt->progress)
      cx->opt->progress("layout", i, p.n, cx->opt->progress_userdata);
    pthread_mutex_lock(&p.mu);
    if (!s->done) {
      /* Workers waiting for room get it before the caller sleeps. */
      if (p.idle)
        pthread_cond_broadcast(&p.room);
      while (!s->done) {
        p.waiting = i;
        if (!ready(&p))
          pthread_cond_wait(&p.done, &p.mu);
      }
      p.waiting = NOBODY;
    }
    pthread_mutex_unlock(&p.mu);
    /* The slot is the caller's now: no worker takes chapter i + nslots
     * before next_commit moves past i. */
    ret = SHEAF_OK;
    if (cx->before_diag && (sheaf_diag_count(s->diag) || s->st != SHEAF_OK) &&
        !hold(cx, &held, s)) {
      ret = release_held(cx, &held);
      if (ret == SHEAF_OK)
        ret = cx->before_diag(cx->before_diag_ud);
      if (ret != SHEAF_OK)
        goto out;
    }
    sheaf_diag_replay(cx->diag, s->diag);
    fresh = sheaf_diag_new();
    sheaf_diag_free(s->diag);
    s->diag = fresh;
    ret = s->st;
    if (ret == SHEAF_OK)
      ret = commit(ud, i, &s->out);
    sheaf_buf_reset(&s->out);
    pthread_mutex_lock(&p.mu);
    s->done = false;
    p.next_commit++;
    /* Room for a batch: wake the waiting workers (and before sleeping). */
    if (p.idle && p.next_commit % COMMIT_BATCH == 0)
      pthread_cond_broadcast(&p.room);
    pthread_mutex_unlock(&p.mu);
    if (ret != SHEAF_OK)
      goto out;
  }
out:
  held_ret = release_held(cx, &held);
  if (ret == SHEAF_OK)
    ret = held_ret;
  sheaf_free(held.v);
  pthread_mutex_lock(&p.mu);
  p.stop = true;
  pthread_cond_broadcast(&p.room);
  pthread_mutex_unlock(&p.mu);
  for (k = 0; k < started; k++)
    pthread_join(tids[k], NULL);
  for (i = 0; i < p.nslots; i++) {
    sheaf_buf_fini(&p.slots[i].out);
    sheaf_diag_free(p.slots[i].diag);
  }
  pthread_cond_destroy(&p.done);
  pthread_cond_destroy(&p.room);
  pthread_mutex_destroy(&p.mu);
  sheaf_free(p.slots);
  sheaf_free(tids);
  return ret;
}
