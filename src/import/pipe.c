/*
 * This file contains the import pipe: a feed's articles finished on worker
 * threads while the reader reads on. Reading is libxml2's and runs on one
 * thread; what follows it for each article (weighing the summary against
 * the body, repairing mojibake, choosing the id: feed.c's
 * sheaf_import_finish_article) needs only the article, and is most of the
 * import's time. Done beside the reader, it takes the import off the
 * critical path of a build on several cores.
 *
 * The reader commits articles (collection, body spool) in the order it
 * read them, so the collection is the same whatever the number of
 * threads. Diagnostics too: while an article is in flight, what the reader
 * says goes to a private collector attached to the last article handed
 * over, replayed right after that article's commit; with nothing in
 * flight the reader speaks to the import's collector directly. After a
 * failed commit (out of memory, a full disk) the serial import would have
 * stopped there: what the reader said since is dropped, and the articles
 * in flight are freed.
 *
 * No global state: each pipe owns its threads, lock and ring.
 */
#include <pthread.h>
#include <string.h>

#include "import/import.h"

#define SLOTS_PER_WORKER 32
/* Workers are woken for this many articles at once, not each: finishing
 * one is quick, and a wake-up per article cost the reader as much. */
#define BATCH 8
/* A private collector this long is flushed (everything in flight
 * committed), so no collector ever reaches the diagnostics cap. */
#define FLUSH_AT 64

struct item {
  struct sheaf_article *a;
  char *extra;
  struct sheaf_import_done done;
  sheaf_diag *after; /* what the reader said after handing `a` over */
  bool finished;     /* under mu */
};

struct sheaf_import_pipe {
  struct sheaf_feedread *fr; /* the reader's state; only its thread uses it */
  sheaf_diag *main;          /* the import's collector */
  sheaf_diag *sink;          /* after a failed commit */
  const sheaf_options *opt;
  pthread_mutex_t mu;
  pthread_cond_t work;     /* an article was handed over, or stop */
  pthread_cond_t finished; /* an article was finished */
  struct item *ring;       /* article k in ring[k % nslots] */
  size_t nslots;
  size_t pushed;    /* articles handed over (under mu) */
  size_t taken;     /* articles a worker took (under mu) */
  size_t committed; /* the reader's own */
  bool stop;        /* under mu */
  bool urgent;      /* under mu: the reader waits; take even one article */
  bool failed;      /* a commit failed: the reader's own */
  pthread_t *tids;
  unsigned nworkers;
};

static void *worker(void *arg)
{
  struct sheaf_import_pipe *p = arg;
  struct item *it;

  pthread_mutex_lock(&p->mu);
  for (;;) {
    /* Out of work: asleep until a batch is waiting, or the reader is. */
    if (p->taken == p->pushed)
      while (!p->stop && !(p->urgent && p->taken < p->pushed) &&
             p->pushed - p->taken < BATCH)
        pthread_cond_wait(&p->work, &p->mu);
    if (p->taken == p->pushed)
      break; /* stopped, and nothing left */
    it = &p->ring[p->taken++ % p->nslots];
    pthread_mutex_unlock(&p->mu);
    /* The slot is this worker's until it says finished. */
    sheaf_import_finish_article(it->a, it->extra, p->opt, &it->done);
    it->extra = NULL;
    pthread_mutex_lock(&p->mu);
    it->finished = true;
    pthread_cond_broadcast(&p->finished);
  }
  pthread_mutex_unlock(&p->mu);
  return NULL;
}

static void set_diag(struct sheaf_import_pipe *p, sheaf_diag *d)
{
  p->fr->diag = d;
  if (p->fr->ec)
    p->fr->ec->diag = d;
}

/* Where the reader's diagnostics go now. */
static void route(struct sheaf_import_pipe *p)
{
  if (p->failed)
    set_diag(p, p->sink);
  else if (p->committed == p->pushed)
    set_diag(p, p->main);
  else
    set_diag(p, p->ring[(p->pushed - 1) % p->nslots].after);
}

/* Commits the oldest article in flight, which is finished. */
static void commit_head(struct sheaf_import_pipe *p)
{
  struct item *it = &p->ring[p->committed % p->nslots];

  if (p->failed) {
    sheaf_article_free(it->a);
  } else {
    set_diag(p, p->main);
    if (!sheaf_import_commit_article(p->fr, it->a, &it->done)) {
      p->failed = true;
    } else {
      struct sheaf_collection *coll = p->fr->coll;
      /* The article as the collection holds it now: committing moves a
       * spilled one's head (core/model.c). */
      if (coll->committed && coll->narticles)
        coll->committed(coll->committed_ud, coll->articles[coll->narticles - 1]);
      sheaf_diag_replay(p->main, it->after);
    }
  }
  it->a = NULL;
  sheaf_diag_free(it->after);
  it->after = NULL;
  pthread_mutex_lock(&p->mu);
  it->finished = false;
  pthread_mutex_unlock(&p->mu);
  p->committed++;
  route(p);
}

static bool head_finished(struct sheaf_import_pipe *p, bool wait)
{
  struct item *it = &p->ring[p->committed % p->nslots];
  bool done;

  pthread_mutex_lock(&p->mu);
  if (wait && !it->finished) {
    /* What waits for a batch to fill is wanted now. */
    p->urgent = true;
    pthread_cond_broadcast(&p->work);
    while (!it->finished)
      pthread_cond_wait(&p->finished, &p->mu);
    p->urgent = false;
  }
  done = it->finished;
  pthread_mutex_unlock(&p->mu);
  return done;
}

/* Commits the finished articles at the head; with `all`, waits for every
 * article in flight. */
static void commit_ready(struct sheaf_import_pipe *p, bool all)
{
  while (p->committed < p->pushed && head_finished(p, all))
    commit_head(p);
}

struct sheaf_import_pipe *sheaf_import_pipe_new(struct sheaf_feedread *fr)
{
  unsigned threads = sheaf_spool_threads(fr->opt ? fr->opt->threads : 0), k;
  struct sheaf_import_pipe *p;

  /* One worker per core beside the reader: the reader waits whenever the
   * ring is full, and then its core finishes articles too. */
  if (threads <= 1)
    return NULL;
  if ((p = sheaf_calloc(1, sizeof *p)) == NULL)
    return NULL;
  p->fr = fr;
  p->main = fr->diag;
  p->opt = fr->opt;
  p->nworkers = threads;
  p->nslots = (size_t)p->nworkers * SLOTS_PER_WORKER;
  p->ring = sheaf_calloc(p->nslots, sizeof *p->ring);
  p->tids = sheaf_calloc(p->nworkers, sizeof *p->tids);
  p->sink = sheaf_diag_new();
  if (p->ring == NULL || p->tids == NULL || p->sink == NULL)
    goto fail;
  pthread_mutex_init(&p->mu, NULL);
  pthread_cond_init(&p->work, NULL);
  pthread_cond_init(&p->finished, NULL);
  for (k = 0; k < p->nworkers; k++)
    if (pthread_create(&p->tids[k], NULL, worker, p) != 0)
      break;
  if (k == 0) {
    pthread_cond_destroy(&p->finished);
    pthread_cond_destroy(&p->work);
    pthread_mutex_destroy(&p->mu);
    goto fail;
  }
  p->nworkers = k;
  return p;
fail:
  sheaf_diag_free(p->sink);
  sheaf_free(p->tids);
  sheaf_free(p->ring);
  sheaf_free(p);
  return NULL;
}

size_t sheaf_import_pipe_pending(const struct sheaf_import_pipe *p)
{
  return p ? p->pushed - p->committed : 0;
}

void sheaf_import_pipe_push(struct sheaf_import_pipe *p, struct sheaf_article *a,
                            char *extra)
{
  struct item *it;
  sheaf_diag *after;

  if (p->failed) {
    sheaf_free(extra);
    sheaf_article_free(a);
    return;
  }
  /* Room in the ring: the oldest article is committed first. */
  while (p->pushed - p->committed == p->nslots) {
    head_finished(p, true);
    commit_head(p);
  }
  if ((after = sheaf_diag_new()) == NULL) {
    /* No collector for what follows: this article goes the serial way. */
    struct sheaf_import_done done;
    commit_ready(p, true);
    sheaf_import_finish_article(a, extra, p->opt, &done);
    if (!p->failed && !sheaf_import_commit_article(p->fr, a, &done))
      p->failed = true;
    route(p);
    return;
  }
  it = &p->ring[p->pushed % p->nslots];
  it->a = a;
  it->extra = extra;
  it->after = after;
  pthread_mutex_lock(&p->mu);
  if (++p->pushed - p->taken == BATCH)
    pthread_cond_signal(&p->work);
  pthread_mutex_unlock(&p->mu);
  route(p);
  commit_ready(p, false);
}

void sheaf_import_pipe_poll(struct sheaf_import_pipe *p)
{
  sheaf_diag *d = p->fr->diag;

  if (d != p->main && d != p->sink && sheaf_diag_count(d) >= FLUSH_AT)
    commit_ready(p, true);
}

void sheaf_import_pipe_finish(struct sheaf_feedread *fr)
{
  struct sheaf_import_pipe *p = fr->pipe;
  unsigned k;

  if (p == NULL)
    return;
  commit_ready(p, true);
  /* What follows the pipe may change the articles (dates checked, an
   * archive's tag added): whoever reads them meanwhile stops now. */
  if (fr->coll->committed)
    fr->coll->committed(fr->coll->committed_ud, NULL);
  set_diag(p, p->main);
  pthread_mutex_lock(&p->mu);
  p->stop = true;
  pthread_cond_broadcast(&p->work);
  pthread_mutex_unlock(&p->mu);
  for (k = 0; k < p->nworkers; k++)
    pthread_join(p->tids[k], NULL);
  pthread_cond_destroy(&p->finished);
  pthread_cond_destroy(&p->work);
  pthread_mutex_destroy(&p->mu);
  sheaf_diag_free(p->sink);
  sheaf_free(p->tids);
  sheaf_free(p->ring);
  sheaf_free(p);
  fr->pipe = NULL;
}
