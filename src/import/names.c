/*
 * This file contains the names of a folder in name order, read in bounded
 * memory: a folder of a million Markdown files has a million names (about
 * 60 MB), and they were held, sorted, while every file was read, at the
 * time the collection itself is largest. Instead the names are sorted a
 * few megabytes at a time, each sorted run written to an unlinked
 * temporary file, and the runs are merged as the walk asks for the next
 * name. A folder whose names fit one run never touches the file, and when
 * no temporary file can be made the names stay in memory as before.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "import/import.h"

#define RUN_BYTES ((size_t)4 << 20) /* names held before a run is written */
#define READ_BYTES ((size_t)64 << 10)

struct sheaf_names_run {
  uint64_t off, end; /* what of the run is still in the file */
  char *buf;         /* READ_BYTES: [pos, len) read, not yet taken */
  size_t pos, len;
};

static int cmp_names(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Points nm->v at the names in nm->mem, sorted. */
static bool sort_mem(struct sheaf_names *nm)
{
  size_t i;
  char *p = nm->mem.ptr;

  sheaf_free(nm->v);
  nm->v = NULL;
  if (nm->n == 0)
    return true;
  if ((nm->v = sheaf_malloc(nm->n * sizeof *nm->v)) == NULL)
    return false;
  for (i = 0; i < nm->n; i++) {
    nm->v[i] = p;
    p += strlen(p) + 1;
  }
  qsort(nm->v, nm->n, sizeof *nm->v, cmp_names);
  return true;
}

static void fail(struct sheaf_names *nm, sheaf_status st, int err)
{
  if (nm->err == SHEAF_OK) {
    nm->err = st;
    nm->err_errno = err;
  }
}

/* Writes the names in memory to the file as one sorted run. False (and
 * nothing written) when there is no file to write to: they stay in
 * memory. */
static bool spill(struct sheaf_names *nm)
{
  struct sheaf_buf out;
  size_t i;

  if (nm->fd < 0 && (nm->nospill || (nm->fd = sheaf_temp_open()) < 0)) {
    nm->nospill = true;
    return false;
  }
  if (!sort_mem(nm) ||
      !sheaf_grow((void **)&nm->runs, &nm->runs_cap, nm->nruns + 1, sizeof *nm->runs)) {
    fail(nm, SHEAF_ERR_NOMEM, ENOMEM);
    return true;
  }
  sheaf_buf_init(&out, 0);
  for (i = 0; i < nm->n; i++)
    sheaf_buf_put(&out, nm->v[i], strlen(nm->v[i]) + 1);
  if (out.failed)
    fail(nm, SHEAF_ERR_NOMEM, ENOMEM);
  else if (!sheaf_pwrite_all(nm->fd, out.ptr, out.len, nm->fend))
    fail(nm, SHEAF_ERR_IO, errno);
  else {
    memset(&nm->runs[nm->nruns], 0, sizeof nm->runs[nm->nruns]);
    nm->runs[nm->nruns].off = nm->fend;
    nm->runs[nm->nruns].end = nm->fend + out.len;
    nm->nruns++;
    nm->fend += out.len;
  }
  sheaf_buf_fini(&out);
  sheaf_free(nm->v);
  nm->v = NULL;
  sheaf_buf_reset(&nm->mem);
  nm->n = 0;
  return true;
}

/* Whether run `r` holds a whole name at r->pos, reading more of it when
 * needed. False at its end (or on a failure, kept in nm). */
static bool run_ready(struct sheaf_names *nm, struct sheaf_names_run *r)
{
  size_t k;

  if (memchr(r->buf + r->pos, '\0', r->len - r->pos))
    return true;
  if (r->off >= r->end)
    return false;
  /* A name is at most NAME_MAX bytes: the rest of the buffer moves to its
   * start and the run's next bytes follow it. */
  memmove(r->buf, r->buf + r->pos, r->len - r->pos);
  r->len -= r->pos;
  r->pos = 0;
  k = READ_BYTES - r->len;
  if (k > r->end - r->off)
    k = (size_t)(r->end - r->off);
  if (!sheaf_pread_all(nm->fd, r->buf + r->len, k, r->off)) {
    fail(nm, SHEAF_ERR_IO, errno);
    return false;
  }
  r->off += k;
  r->len += k;
  return memchr(r->buf, '\0', r->len) != NULL;
}

sheaf_status sheaf_names_read(struct sheaf_names *nm, DIR *d, size_t run)
{
  struct dirent *e;
  size_t i;

  memset(nm, 0, sizeof *nm);
  nm->fd = -1;
  nm->taken = SIZE_MAX;
  sheaf_buf_init(&nm->mem, 0);
  if (run == 0)
    run = RUN_BYTES;
  while (nm->err == SHEAF_OK && (e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    if (!sheaf_buf_put(&nm->mem, e->d_name, strlen(e->d_name) + 1))
      fail(nm, SHEAF_ERR_NOMEM, ENOMEM);
    nm->n++;
    if (nm->mem.len >= run && !nm->nospill)
      spill(nm);
  }
  if (nm->err == SHEAF_OK && nm->nruns > 0 && nm->n > 0 && !spill(nm))
    fail(nm, SHEAF_ERR_IO, EIO); /* the file was there a moment ago */
  if (nm->err == SHEAF_OK && nm->nruns == 0 && !sort_mem(nm))
    fail(nm, SHEAF_ERR_NOMEM, ENOMEM);
  if (nm->nruns > 0) {
    sheaf_buf_fini(&nm->mem);
    for (i = 0; i < nm->nruns && nm->err == SHEAF_OK; i++)
      if ((nm->runs[i].buf = sheaf_malloc(READ_BYTES)) == NULL)
        fail(nm, SHEAF_ERR_NOMEM, ENOMEM);
  }
  return nm->err;
}

const char *sheaf_names_next(struct sheaf_names *nm)
{
  struct sheaf_names_run *r;
  size_t i, best = SIZE_MAX;

  if (nm->err != SHEAF_OK)
    return NULL;
  if (nm->nruns == 0)
    return nm->i < nm->n ? nm->v[nm->i++] : NULL;
  /* The name handed out last stayed in its run's buffer until now. */
  if (nm->taken != SIZE_MAX) {
    r = &nm->runs[nm->taken];
    r->pos += strlen(r->buf + r->pos) + 1;
    nm->taken = SIZE_MAX;
  }
  for (i = 0; i < nm->nruns; i++) {
    r = &nm->runs[i];
    if (!run_ready(nm, r))
      continue;
    if (best == SIZE_MAX ||
        strcmp(r->buf + r->pos, nm->runs[best].buf + nm->runs[best].pos) < 0)
      best = i;
  }
  if (nm->err != SHEAF_OK || best == SIZE_MAX)
    return NULL;
  nm->taken = best;
  return nm->runs[best].buf + nm->runs[best].pos;
}

void sheaf_names_fini(struct sheaf_names *nm)
{
  size_t i;

  for (i = 0; i < nm->nruns; i++)
    sheaf_free(nm->runs[i].buf);
  sheaf_free(nm->runs);
  sheaf_free(nm->v);
  sheaf_buf_fini(&nm->mem);
  if (nm->fd >= 0)
    close(nm->fd);
  memset(nm, 0, sizeof *nm);
  nm->fd = -1;
}
