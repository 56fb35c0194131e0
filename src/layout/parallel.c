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
  bool stop;
};

static void *worker(void *arg)
{
  struct pool *p = arg;
  struct sheaf_layout_ctx cx = *p->cx;
  struct slot *s;
  size_t i;

  pthread_mutex_lock(&p->mu);
  for (;;) {
    while (!p->stop && p->next_take < p->n && p->next_take >= p->next_commit + p->nslots)
      pthread_cond_wait(&p->room, &p->mu);
    if (p->stop || p->next_take >= p->n)
      break;
    i = p->next_take++;
    s = &p->slots[i % p->nslots];
    pthread_mutex_unlock(&p->mu);
    /* The slot is this worker's until chapter i is committed. */
    cx.diag = s->diag;
    sheaf_buf_reset(&s->out);
    s->st = s->diag ? sheaf_layout_chapter(&cx, cx.book->chapters[i], i + 1, &s->out)
                    : SHEAF_ERR_NOMEM;
    if (s->st == SHEAF_OK && s->out.failed)
      s->st = SHEAF_ERR_NOMEM;
    pthread_mutex_lock(&p->mu);
    s->done = true;
    pthread_cond_broadcast(&p->done);
  }
  pthread_mutex_unlock(&p->mu);
  return NULL;
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
    SHEAF_CHECK(sheaf_layout_chapter(cx, book->chapters[i], i + 1, &b));
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
    while (!s->done)
      pthread_cond_wait(&p.done, &p.mu);
    pthread_mutex_unlock(&p.mu);
    /* The slot is the caller's now: no worker takes chapter i + nslots
     * before next_commit moves past i. */
    ret = SHEAF_OK;
    if (cx->before_diag && (sheaf_diag_count(s->diag) || s->st != SHEAF_OK)) {
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
    pthread_cond_broadcast(&p.room);
    pthread_mutex_unlock(&p.mu);
    if (ret != SHEAF_OK)
      goto out;
  }
out:
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
