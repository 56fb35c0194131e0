/*
 * This file contains the document spool: layout hands every laid-out
 * document to it, a small pool of worker threads raw-deflates each one as
 * soon as it arrives (one libdeflate compressor per worker) and appends the
 * compressed bytes to an unlinked temporary file; the package stage later
 * copies them into the zip without recompressing (package/zip.c). So
 * compression runs on the other cores while layout goes on, and memory
 * holds only the documents in flight, not the book.
 *
 * The bytes of a document's deflate stream depend only on its content and
 * the fixed parameters below, never on the thread that made it or on the
 * place in the temporary file, so a book is byte-identical whatever the
 * number of threads. With one thread there are no workers: documents are
 * compressed on the caller's thread as they are added.
 *
 * Hand-offs are batched, because on a busy machine each wake-up of a
 * sleeping thread costs more kernel time than compressing a small chapter
 * takes (a futex wake, a reschedule, in a virtual machine an IPI): a
 * sleeping worker is woken once a batch of documents waits, not for each,
 * and one that is awake drains the queue before it sleeps again. The
 * compressed streams go through a write buffer, so the file sees a few
 * writes of 256 KB rather than one small write per chapter.
 *
 * No global state: every spool owns its threads, lock and file.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libdeflate.h>

#include "core/core.h"

/* Fixed deflate parameters: the zip's bytes depend on them. libdeflate
 * rather than zlib: at level 6 it makes the same size of raw deflate
 * stream (within 0.5 %) in half to two thirds of zlib's time on sheaf's
 * chapters (bench/README.md), and deflate is most of a build's work. Its
 * output depends only on the input and the level, so a book stays
 * byte-identical whatever the number of threads. */
#define SPOOL_LEVEL 6
#define SPOOL_MAX_THREADS 4

/* A sleeping worker is woken when this many documents, or bytes, wait. */
#define SPOOL_BATCH 8
#define SPOOL_BATCH_BYTES ((size_t)256 << 10)
/* The adder waits while the queue holds this many documents per worker, or
 * this many bytes (pictures can be large): the memory in flight. Room for
 * a few hundred chapters, not a couple of batches: the worker shares the
 * cores with the layout threads, falls behind while they run and catches
 * up when they stop. With a short queue the adder (the thread committing
 * chapters) blocked, the layout threads ran out of slots behind it, and
 * one core sat idle while the worker drained the queue: 1.87 s instead
 * of 2.27 s for 10,000 chapters on two cores (bench/README.md). The byte
 * cap still bounds the memory. */
#define SPOOL_QUEUE_PER_WORKER (32 * SPOOL_BATCH)
#define SPOOL_QUEUE_BYTES ((size_t)16 << 20)
/* The write buffer; a stream larger than it is written directly. */
#define SPOOL_WBUF ((size_t)256 << 10)

struct deflater {
  struct libdeflate_compressor *c;
  unsigned char *out;
  size_t cap;
};

struct job {
  char *data;
  size_t len;
  size_t idx;
};

/* An entry as held: 20 bytes, not sheaf_spool_entry's 32, because a book
 * of a million chapters holds a million of them. A document of 4 GB or
 * more fails the spool (the zip writer refuses one anyway). */
struct ent {
  uint32_t off_lo, off_hi, clen, len, crc;
};

struct sheaf_spool {
  pthread_mutex_t mu;
  pthread_cond_t work;    /* a batch of jobs was queued, or finish, or stop */
  pthread_cond_t room;    /* a job was taken from the queue */
  pthread_cond_t idle;    /* the queue is empty and no job is in progress */
  pthread_cond_t flushed; /* no write of the file is in progress */
  struct job *queue;      /* ring of qcap jobs */
  size_t qhead, qlen, qcap;
  size_t qbytes;     /* of the queued documents */
  unsigned sleepers; /* workers waiting on `work` */
  unsigned kicked;   /* of them, signalled and not yet running */
  unsigned busy;     /* jobs being compressed */
  bool stop;
  struct ent *ents;
  size_t nents, cap;
  int fd;       /* the unlinked temporary file, -1 until needed */
  uint64_t end; /* bytes of the file handed out */
  /* Bytes [0, wstart) are in the file once `flushing` is 0; bytes
   * [wstart, wstart + wlen) = [wstart, end) wait in wbuf. */
  unsigned char *wbuf, *spare; /* spare: a written-out buffer, for reuse */
  size_t wlen;
  uint64_t wstart;
  unsigned flushing; /* writes in progress outside the lock */
  sheaf_status err;  /* first failure (sticky) */
  int err_errno;
  pthread_t *tids;
  unsigned nworkers;
  struct deflater inline_z; /* for a spool without workers */
};

unsigned sheaf_spool_threads(unsigned requested)
{
  long n;

  if (requested)
    return requested;
  n = sysconf(_SC_NPROCESSORS_ONLN);
  if (n < 1)
    n = 1;
  return n > SPOOL_MAX_THREADS ? SPOOL_MAX_THREADS : (unsigned)n;
}

static void deflater_fini(struct deflater *d)
{
  libdeflate_free_compressor(d->c);
  sheaf_free(d->out);
  memset(d, 0, sizeof *d);
}

/* Compresses p[0..n) into d->out; *clen gets its length, *crc the CRC-32
 * of the input. Returns SHEAF_OK or SHEAF_ERR_NOMEM. */
static sheaf_status deflater_run(struct deflater *d, const void *p, size_t n,
                                 size_t *clen, uint32_t *crc)
{
  size_t bound;

  if (!d->c && (d->c = libdeflate_alloc_compressor(SPOOL_LEVEL)) == NULL)
    return SHEAF_ERR_NOMEM;
  bound = libdeflate_deflate_compress_bound(d->c, n);
  if (bound < n)
    return SHEAF_ERR_NOMEM;
  if (bound > d->cap) {
    unsigned char *o = sheaf_realloc(d->out, bound);
    if (!o)
      return SHEAF_ERR_NOMEM;
    d->out = o;
    d->cap = bound;
  }
  *crc = libdeflate_crc32(0, p, n);
  *clen = libdeflate_deflate_compress(d->c, p, n, d->out, d->cap);
  /* The bound is what libdeflate promises to fit, so 0 is a bug. */
  return *clen ? SHEAF_OK : SHEAF_ERR_INTERNAL;
}

sheaf_status sheaf_deflate(const void *p, size_t n, unsigned char **out, size_t *clen,
                           uint32_t *crc)
{
  struct deflater d;
  sheaf_status ret;

  memset(&d, 0, sizeof d);
  *out = NULL;
  ret = deflater_run(&d, p, n, clen, crc);
  if (ret == SHEAF_OK) {
    /* The buffer has the input's size (deflate's bound); the stream is
     * usually a fifth of it. The package documents of a big book stay in
     * memory until the zip is written, so the rest goes back now. */
    unsigned char *fit = sheaf_realloc(d.out, *clen ? *clen : 1);
    *out = fit ? fit : d.out;
    d.out = NULL;
  }
  deflater_fini(&d);
  return ret;
}

int sheaf_temp_open(void)
{
  const char *dir = getenv("TMPDIR");
  struct sheaf_buf path;
  int fd;

  if (!dir || !*dir)
    dir = "/tmp";
  sheaf_buf_init(&path, 0);
  sheaf_buf_printf(&path, "%s/sheaf-spool-XXXXXX", dir);
  if (path.failed) {
    errno = ENOMEM;
    return -1;
  }
  fd = mkstemp(path.ptr);
  if (fd >= 0)
    unlink(path.ptr);
  sheaf_buf_fini(&path);
  return fd;
}

bool sheaf_pwrite_all(int fd, const void *buf, size_t n, uint64_t off)
{
  const unsigned char *p = buf;

  while (n) {
    ssize_t w = pwrite(fd, p, n, (off_t)off);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0) {
      if (w == 0)
        errno = ENOSPC;
      return false;
    }
    p += w;
    n -= (size_t)w;
    off += (uint64_t)w;
  }
  return true;
}

bool sheaf_pread_all(int fd, void *buf, size_t n, uint64_t off)
{
  unsigned char *p = buf;

  while (n) {
    ssize_t r = pread(fd, p, n, (off_t)off);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0) {
      if (r == 0)
        errno = EIO;
      return false;
    }
    p += r;
    n -= (size_t)r;
    off += (uint64_t)r;
  }
  return true;
}

/* With sp->mu held: records the first failure. */
static void fail_locked(struct sheaf_spool *sp, sheaf_status st, int e)
{
  if (sp->err == SHEAF_OK) {
    sp->err = st;
    sp->err_errno = e;
  }
}

/* Keeps entry `idx` (with sp->mu held). */
static void store_locked(struct sheaf_spool *sp, size_t idx,
                         const struct sheaf_spool_entry *e)
{
  struct ent *k = &sp->ents[idx];

  if (e->clen > UINT32_MAX || e->len > UINT32_MAX) {
    fail_locked(sp, SHEAF_ERR_WRITE, EFBIG);
    return;
  }
  k->off_lo = (uint32_t)e->off;
  k->off_hi = (uint32_t)(e->off >> 32);
  k->clen = (uint32_t)e->clen;
  k->len = (uint32_t)e->len;
  k->crc = e->crc;
}

/* With sp->mu held: opens the temporary file in $TMPDIR (else /tmp) and
 * unlinks it at once, so nothing is left behind whatever happens. */
static bool open_file_locked(struct sheaf_spool *sp)
{
  int fd;

  if (sp->fd >= 0)
    return true;
  fd = sheaf_temp_open();
  if (fd < 0) {
    fail_locked(sp, errno == ENOMEM ? SHEAF_ERR_NOMEM : SHEAF_ERR_WRITE, errno);
    return false;
  }
  sp->fd = fd;
  return true;
}

/* Wakes one sleeping worker that no one has signalled yet (sp->mu held). */
static void kick_locked(struct sheaf_spool *sp)
{
  if (sp->sleepers > sp->kicked) {
    sp->kicked++;
    pthread_cond_signal(&sp->work);
  }
}

/* Appends the stream z[0..clen) of a `len`-byte document with CRC `crc` to
 * the file as entry `idx`. The bytes are copied into the write buffer under
 * the lock; a full buffer (or a stream larger than one) is written by this
 * thread outside it, at offsets handed out in order, so writers never
 * wait for each other's writes. A failure is kept for
 * sheaf_spool_finish(). Called without the lock. */
static void emit(struct sheaf_spool *sp, const void *z, size_t clen, size_t len,
                 uint32_t crc, size_t idx)
{
  struct sheaf_spool_entry e;
  unsigned char *full = NULL;
  size_t flen = 0;
  uint64_t fat = 0;
  bool direct = false, ok = true;
  int fd, err = 0;

  pthread_mutex_lock(&sp->mu);
  if (sp->err != SHEAF_OK || !open_file_locked(sp)) {
    pthread_mutex_unlock(&sp->mu);
    return;
  }
  fd = sp->fd;
  if (sp->wlen && sp->wlen + clen > SPOOL_WBUF) {
    /* This thread writes the full buffer; the others go on in a fresh one. */
    full = sp->wbuf;
    flen = sp->wlen;
    fat = sp->wstart;
    sp->wbuf = sp->spare;
    sp->spare = NULL;
    sp->wstart += flen;
    sp->wlen = 0;
    sp->flushing++;
  }
  if (!sp->wbuf && clen <= SPOOL_WBUF)
    sp->wbuf = sheaf_malloc(SPOOL_WBUF); /* none: written directly */
  e.off = sp->end;
  e.clen = clen;
  e.len = len;
  e.crc = crc;
  sp->end += clen;
  store_locked(sp, idx, &e);
  if (clen > SPOOL_WBUF || !sp->wbuf) {
    /* The buffer is empty here, so the file stays in order. */
    direct = true;
    sp->wstart = sp->end;
    sp->flushing++;
  } else {
    memcpy(sp->wbuf + sp->wlen, z, clen);
    sp->wlen += clen;
  }
  pthread_mutex_unlock(&sp->mu);
  if (!full && !direct)
    return;
  if (full && !sheaf_pwrite_all(fd, full, flen, fat)) {
    ok = false;
    err = errno;
  }
  if (direct && ok && !sheaf_pwrite_all(fd, z, clen, e.off)) {
    ok = false;
    err = errno;
  }
  pthread_mutex_lock(&sp->mu);
  if (!ok)
    fail_locked(sp, SHEAF_ERR_WRITE, err);
  sp->flushing -= (full != NULL) + direct;
  if (full && !sp->spare)
    sp->spare = full;
  else
    sheaf_free(full);
  if (sp->flushing == 0)
    pthread_cond_broadcast(&sp->flushed);
  pthread_mutex_unlock(&sp->mu);
}

/* With sp->mu held: waits for the writes in progress and writes out the
 * buffer, so the whole file can be read. */
static void sync_locked(struct sheaf_spool *sp)
{
  while (sp->flushing)
    pthread_cond_wait(&sp->flushed, &sp->mu);
  if (sp->wlen && sp->err == SHEAF_OK &&
      !sheaf_pwrite_all(sp->fd, sp->wbuf, sp->wlen, sp->wstart))
    fail_locked(sp, SHEAF_ERR_WRITE, errno);
  sp->wstart += sp->wlen;
  sp->wlen = 0;
}

/* Compresses one job with `d` and stores it. Called without the lock. */
static void process(struct sheaf_spool *sp, struct deflater *d, struct job *j)
{
  size_t clen = 0;
  uint32_t crc = 0;
  sheaf_status st;

  st = deflater_run(d, j->data, j->len, &clen, &crc);
  sheaf_free(j->data);
  j->data = NULL;
  if (st != SHEAF_OK) {
    pthread_mutex_lock(&sp->mu);
    fail_locked(sp, st, 0);
    pthread_mutex_unlock(&sp->mu);
    return;
  }
  emit(sp, d->out, clen, j->len, crc, j->idx);
}

static void *worker(void *arg)
{
  struct sheaf_spool *sp = arg;
  struct deflater d;
  struct job j;
  bool discard;

  memset(&d, 0, sizeof d);
  pthread_mutex_lock(&sp->mu);
  for (;;) {
    /* Awake, a worker drains the queue; asleep, it waits for a batch. */
    while (sp->qlen == 0 && !sp->stop) {
      sp->sleepers++;
      pthread_cond_wait(&sp->work, &sp->mu);
      sp->sleepers--;
      if (sp->kicked)
        sp->kicked--;
    }
    if (sp->qlen == 0)
      break; /* stop, and nothing left */
    j = sp->queue[sp->qhead];
    sp->qhead = (sp->qhead + 1) % sp->qcap;
    sp->qlen--;
    sp->qbytes -= j.len;
    sp->busy++;
    discard = sp->stop; /* the spool is being freed */
    pthread_cond_signal(&sp->room);
    pthread_mutex_unlock(&sp->mu);
    if (discard)
      sheaf_free(j.data);
    else
      process(sp, &d, &j);
    pthread_mutex_lock(&sp->mu);
    sp->busy--;
    if (sp->qlen == 0 && sp->busy == 0)
      pthread_cond_broadcast(&sp->idle);
  }
  pthread_mutex_unlock(&sp->mu);
  deflater_fini(&d);
  return NULL;
}

struct sheaf_spool *sheaf_spool_new(unsigned threads)
{
  struct sheaf_spool *sp = sheaf_calloc(1, sizeof *sp);
  unsigned i, want;

  if (!sp)
    return NULL;
  sp->fd = -1;
  want = sheaf_spool_threads(threads) - 1; /* the caller's thread lays out */
  if (pthread_mutex_init(&sp->mu, NULL) != 0) {
    sheaf_free(sp);
    return NULL;
  }
  pthread_cond_init(&sp->work, NULL);
  pthread_cond_init(&sp->room, NULL);
  pthread_cond_init(&sp->idle, NULL);
  pthread_cond_init(&sp->flushed, NULL);
  if (want) {
    /* A couple of batches in flight per worker bound the memory. */
    sp->qcap = SPOOL_QUEUE_PER_WORKER * (size_t)want;
    sp->queue = sheaf_calloc(sp->qcap, sizeof *sp->queue);
    sp->tids = sheaf_calloc(want, sizeof *sp->tids);
    if (!sp->queue || !sp->tids)
      want = 0;
  }
  for (i = 0; i < want; i++)
    if (pthread_create(&sp->tids[i], NULL, worker, sp) != 0)
      break; /* fewer workers, or none: compress inline */
  sp->nworkers = i;
  return sp;
}

sheaf_status sheaf_spool_add(struct sheaf_spool *sp, char *data, size_t len, size_t *idx)
{
  struct job j = {data, len, 0};

  pthread_mutex_lock(&sp->mu);
  if (!sheaf_grow((void **)&sp->ents, &sp->cap, sp->nents + 1, sizeof *sp->ents)) {
    pthread_mutex_unlock(&sp->mu);
    sheaf_free(data);
    return SHEAF_ERR_NOMEM;
  }
  memset(&sp->ents[sp->nents], 0, sizeof *sp->ents);
  j.idx = *idx = sp->nents++;
  if (sp->err != SHEAF_OK || sp->nworkers == 0) {
    bool failed = sp->err != SHEAF_OK;
    pthread_mutex_unlock(&sp->mu);
    if (failed) /* reported by sheaf_spool_finish() */
      sheaf_free(data);
    else
      process(sp, &sp->inline_z, &j);
    return SHEAF_OK;
  }
  while (sp->qlen == sp->qcap || (sp->qlen && sp->qbytes + len > SPOOL_QUEUE_BYTES)) {
    kick_locked(sp); /* a full queue is a batch, whatever its size */
    pthread_cond_wait(&sp->room, &sp->mu);
  }
  sp->queue[(sp->qhead + sp->qlen) % sp->qcap] = j;
  sp->qlen++;
  sp->qbytes += len;
  if (sp->qlen >= SPOOL_BATCH || sp->qbytes >= SPOOL_BATCH_BYTES)
    kick_locked(sp);
  pthread_mutex_unlock(&sp->mu);
  return SHEAF_OK;
}

sheaf_status sheaf_spool_add_deflated(struct sheaf_spool *sp, const void *z, size_t clen,
                                      size_t len, uint32_t crc, size_t *idx)
{
  pthread_mutex_lock(&sp->mu);
  if (!sheaf_grow((void **)&sp->ents, &sp->cap, sp->nents + 1, sizeof *sp->ents)) {
    pthread_mutex_unlock(&sp->mu);
    return SHEAF_ERR_NOMEM;
  }
  memset(&sp->ents[sp->nents], 0, sizeof *sp->ents);
  *idx = sp->nents++;
  pthread_mutex_unlock(&sp->mu);
  /* The stream's place is handed out under the lock, as for the workers'
   * streams, so workers compressing other documents write beside it. */
  emit(sp, z, clen, len, crc, *idx);
  return SHEAF_OK;
}

sheaf_status sheaf_spool_finish(struct sheaf_spool *sp, sheaf_diag *diag)
{
  sheaf_status ret;
  int e;

  if (!sp)
    return SHEAF_OK;
  pthread_mutex_lock(&sp->mu);
  /* The last documents may be fewer than a batch: wake whoever sleeps. */
  if (sp->qlen && sp->sleepers) {
    sp->kicked = sp->sleepers;
    pthread_cond_broadcast(&sp->work);
  }
  while (sp->qlen || sp->busy)
    pthread_cond_wait(&sp->idle, &sp->mu);
  sync_locked(sp);
  ret = sp->err;
  e = sp->err_errno;
  pthread_mutex_unlock(&sp->mu);
  if (ret == SHEAF_ERR_WRITE)
    sheaf_diag_add(diag, SHEAF_ERROR, "write", NULL, 0, 0,
                   "cannot write book: cannot write its temporary file (in "
                   "$TMPDIR, else /tmp): %s",
                   strerror(e));
  else if (ret != SHEAF_OK && ret != SHEAF_ERR_NOMEM) /* the caller reports that */
    sheaf_diag_add(diag, SHEAF_ERROR, "internal", NULL, 0, 0,
                   "cannot compress the book's documents: %s", sheaf_status_str(ret));
  return ret;
}

bool sheaf_spool_entry(const struct sheaf_spool *sp, size_t idx,
                       struct sheaf_spool_entry *e)
{
  struct sheaf_spool *m = sheaf_unconst(sp);
  bool ok;

  if (!sp)
    return false;
  /* Workers may be storing other entries meanwhile (--split SIZE reads a
   * kept chapter back while the volume's pictures are compressed). */
  pthread_mutex_lock(&m->mu);
  ok = idx < sp->nents;
  if (ok) {
    const struct ent *k = &sp->ents[idx];
    e->off = (uint64_t)k->off_hi << 32 | k->off_lo;
    e->clen = k->clen;
    e->len = k->len;
    e->crc = k->crc;
  }
  pthread_mutex_unlock(&m->mu);
  return ok;
}

bool sheaf_spool_read(const struct sheaf_spool *sp, uint64_t off, void *buf, size_t n)
{
  struct sheaf_spool *m = sheaf_unconst(sp);

  /* A stream stored by sheaf_spool_add_deflated() may still be in the
   * write buffer (--split SIZE reads a kept chapter back mid-volume). */
  pthread_mutex_lock(&m->mu);
  if (m->flushing || off + n > m->wstart)
    sync_locked(m);
  pthread_mutex_unlock(&m->mu);
  return sheaf_pread_all(sp->fd, buf, n, off);
}

/* ---- an append-only temporary file, written through a buffer --------- */

struct sheaf_appendfile {
  pthread_mutex_t mu;
  int fd; /* -1 until the first write */
  unsigned char *buf;
  size_t len;     /* bytes waiting in buf */
  uint64_t start; /* the file offset of buf[0]: bytes before it are written */
  int err;        /* the first failure's errno (sticky) */
};

struct sheaf_appendfile *sheaf_appendfile_new(void)
{
  struct sheaf_appendfile *f = sheaf_calloc(1, sizeof *f);

  if (!f)
    return NULL;
  if (pthread_mutex_init(&f->mu, NULL) != 0) {
    sheaf_free(f);
    return NULL;
  }
  f->fd = -1;
  return f;
}

/* With f->mu held: writes the buffer out (opening the file first). */
static bool appendfile_flush_locked(struct sheaf_appendfile *f)
{
  if (f->err)
    return false;
  if (f->fd < 0 && (f->fd = sheaf_temp_open()) < 0) {
    f->err = errno ? errno : EIO;
    return false;
  }
  if (f->len && !sheaf_pwrite_all(f->fd, f->buf, f->len, f->start)) {
    f->err = errno ? errno : EIO;
    return false;
  }
  f->start += f->len;
  f->len = 0;
  return true;
}

bool sheaf_appendfile_put(struct sheaf_appendfile *f, const void *p, size_t n,
                          uint64_t *off)
{
  bool ok = true;

  pthread_mutex_lock(&f->mu);
  *off = f->start + f->len;
  if (f->err) {
    ok = false;
  } else if (f->len + n > SPOOL_WBUF) {
    /* Written out with what waits, or directly when larger than the buffer. */
    ok = appendfile_flush_locked(f);
    if (ok && n > SPOOL_WBUF) {
      ok = sheaf_pwrite_all(f->fd, p, n, f->start);
      if (ok)
        f->start += n;
      else
        f->err = errno ? errno : EIO;
    }
  }
  if (ok && n && n <= SPOOL_WBUF) {
    if (!f->buf && (f->buf = sheaf_malloc(SPOOL_WBUF)) == NULL) {
      ok = false;
      errno = ENOMEM; /* not sticky: nothing was lost */
    } else {
      memcpy(f->buf + f->len, p, n);
      f->len += n;
    }
  }
  if (!ok && f->err)
    errno = f->err;
  pthread_mutex_unlock(&f->mu);
  return ok;
}

bool sheaf_appendfile_read(const struct sheaf_appendfile *f, uint64_t off, void *p,
                           size_t n)
{
  struct sheaf_appendfile *m = sheaf_unconst(f);
  size_t infile = n;
  int fd;

  pthread_mutex_lock(&m->mu);
  if (off + n > m->start + m->len) {
    pthread_mutex_unlock(&m->mu);
    errno = EIO; /* past the end */
    return false;
  }
  /* The part still in the buffer is copied under the lock; the part in
   * the file stays there whatever is appended meanwhile. */
  if (off + n > m->start) {
    uint64_t from = off > m->start ? off : m->start;
    infile = (size_t)(from - off);
    memcpy((unsigned char *)p + infile, m->buf + (from - m->start), n - infile);
  }
  fd = m->fd;
  pthread_mutex_unlock(&m->mu);
  return infile == 0 || sheaf_pread_all(fd, p, infile, off);
}

uint64_t sheaf_appendfile_size(const struct sheaf_appendfile *f)
{
  struct sheaf_appendfile *m = sheaf_unconst(f);
  uint64_t n;

  pthread_mutex_lock(&m->mu);
  n = m->start + m->len;
  pthread_mutex_unlock(&m->mu);
  return n;
}

void sheaf_appendfile_free(struct sheaf_appendfile *f)
{
  if (!f)
    return;
  if (f->fd >= 0)
    close(f->fd);
  sheaf_free(f->buf);
  pthread_mutex_destroy(&f->mu);
  sheaf_free(f);
}

uint64_t sheaf_spool_size(const struct sheaf_spool *sp)
{
  struct sheaf_spool *m = sheaf_unconst(sp);
  uint64_t n;

  pthread_mutex_lock(&m->mu);
  n = m->end;
  pthread_mutex_unlock(&m->mu);
  return n;
}

void sheaf_spool_free(struct sheaf_spool *sp)
{
  unsigned i;

  if (!sp)
    return;
  pthread_mutex_lock(&sp->mu);
  sp->stop = true;
  pthread_cond_broadcast(&sp->work);
  pthread_mutex_unlock(&sp->mu);
  for (i = 0; i < sp->nworkers; i++)
    pthread_join(sp->tids[i], NULL);
  while (sp->qlen) { /* only when no worker could be started */
    sheaf_free(sp->queue[sp->qhead].data);
    sp->qhead = (sp->qhead + 1) % sp->qcap;
    sp->qlen--;
  }
  deflater_fini(&sp->inline_z);
  if (sp->fd >= 0)
    close(sp->fd);
  sheaf_free(sp->wbuf);
  sheaf_free(sp->spare);
  pthread_cond_destroy(&sp->flushed);
  pthread_cond_destroy(&sp->work);
  pthread_cond_destroy(&sp->room);
  pthread_cond_destroy(&sp->idle);
  pthread_mutex_destroy(&sp->mu);
  sheaf_free(sp->queue);
  sheaf_free(sp->tids);
  sheaf_free(sp->ents);
  sheaf_free(sp);
}
