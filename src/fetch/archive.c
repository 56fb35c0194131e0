/*
 * This file contains the capture's side of the archive folder: the new WARC
 * file a run writes (a temporary name in the folder, linked to its final
 * name only when complete, so that nothing already there is replaced and a
 * killed run leaves no half file under a real name), the records of each
 * exchange (request, response, and a revisit for a 304), and the history:
 * what earlier runs stored, read back for conditional requests and for the
 * bodies of unchanged feeds and pages. The WARC codec itself is src/warc's.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libxml/hash.h>

#include "fetch/fetch.h"
#include "warc/warc.h"

struct sheaf_archive {
  char *dir;
  char *tmp;   /* the temporary file's path */
  char *final; /* the name it is meant to get */
  int fd;
  struct sheaf_warc_writer *w;
  char warcinfo[SHEAF_WARC_ID_SIZE];
  size_t records;
};

static char *join(const char *dir, const char *name)
{
  struct sheaf_buf b;

  sheaf_buf_init(&b, 0);
  sheaf_buf_printf(&b, "%s%s%s", dir, *dir && dir[strlen(dir) - 1] == '/' ? "" : "/",
                   name);
  return sheaf_buf_detach(&b, NULL);
}

/* sheaf-YYYYMMDDhhmmss-N.warc.gz, the first N free. */
static char *final_name(const char *dir, long long start, unsigned *seq)
{
  time_t t = (time_t)start;
  struct tm tm;
  char name[64];

  gmtime_r(&t, &tm);
  for (;; (*seq)++) {
    struct stat st;
    char *path;
    snprintf(name, sizeof name, "sheaf-%04d%02d%02d%02d%02d%02d-%u.warc.gz",
             tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
             tm.tm_sec, *seq);
    if (!(path = join(dir, name)))
      return NULL;
    if (lstat(path, &st) != 0 && errno == ENOENT)
      return path;
    sheaf_free(path);
  }
}

struct sheaf_archive *sheaf_archive_open(const char *dir, long long start,
                                         const char *command_line, sheaf_diag *diag,
                                         sheaf_status *status)
{
  struct sheaf_archive *a = sheaf_calloc(1, sizeof *a);
  struct sheaf_warc_record r;
  unsigned seq = 1;
  const char *base;

  *status = SHEAF_ERR_NOMEM;
  if (!a)
    return NULL;
  a->fd = -1;
  if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
    sheaf_diag_add(diag, SHEAF_ERROR, "write", dir, 0, 0,
                   "cannot create the archive folder: %s", strerror(errno));
    *status = SHEAF_ERR_WRITE;
    goto fail;
  }
  if (!(a->dir = sheaf_strdup(dir)) || !(a->final = final_name(dir, start, &seq)) ||
      !(a->tmp = join(dir, ".sheaf-capture-XXXXXX")))
    goto fail;
  if ((a->fd = mkstemp(a->tmp)) < 0) {
    sheaf_diag_add(diag, SHEAF_ERROR, "write", dir, 0, 0,
                   "cannot write in the archive folder: %s", strerror(errno));
    sheaf_free(a->tmp);
    a->tmp = NULL;
    *status = SHEAF_ERR_WRITE;
    goto fail;
  }
  fchmod(a->fd, 0644);
  if (!(a->w = sheaf_warc_writer_new(a->fd, a->final, status)))
    goto fail;
  memset(&r, 0, sizeof r);
  r.type = SHEAF_WARC_WARCINFO;
  r.date = start;
  base = strrchr(a->final, '/');
  *status = sheaf_warc_write_warcinfo(a->w, &r, base ? base + 1 : a->final, "sheaf",
                                      SHEAF_VERSION_STRING, command_line, start, diag);
  if (*status != SHEAF_OK)
    goto fail;
  memcpy(a->warcinfo, r.id, sizeof a->warcinfo);
  return a;
fail:
  sheaf_archive_close(a, false, diag);
  return NULL;
}

const char *sheaf_archive_name(const struct sheaf_archive *a)
{
  return a->final;
}

size_t sheaf_archive_records(const struct sheaf_archive *a)
{
  return a->records;
}

sheaf_status sheaf_archive_close(struct sheaf_archive *a, bool keep, sheaf_diag *diag)
{
  sheaf_status st = SHEAF_OK;

  if (!a)
    return SHEAF_OK;
  sheaf_warc_writer_free(a->w);
  if (a->fd >= 0) {
    if (keep && (fsync(a->fd) != 0 || close(a->fd) != 0)) {
      sheaf_diag_add(diag, SHEAF_ERROR, "write", a->tmp, 0, 0,
                     "cannot write the archive: %s", strerror(errno));
      st = SHEAF_ERR_WRITE;
      keep = false;
    } else if (!keep) {
      close(a->fd);
    }
  }
  if (a->tmp && keep) {
    /* link(2), not rename(2): it never replaces a file of the same name. */
    unsigned seq = 2;
    while (link(a->tmp, a->final) != 0) {
      if (errno != EEXIST) {
        sheaf_diag_add(diag, SHEAF_ERROR, "write", a->final, 0, 0,
                       "cannot name the archive file: %s", strerror(errno));
        st = SHEAF_ERR_WRITE;
        break;
      }
      sheaf_free(a->final);
      if (!(a->final = final_name(a->dir, (long long)time(NULL), &seq))) {
        st = SHEAF_ERR_NOMEM;
        break;
      }
    }
  }
  if (a->tmp)
    unlink(a->tmp);
  sheaf_free(a->tmp);
  sheaf_free(a->final);
  sheaf_free(a->dir);
  sheaf_free(a);
  return st;
}

sheaf_status sheaf_archive_exchange(struct sheaf_archive *a,
                                    const struct sheaf_engine_result *res,
                                    sheaf_diag *diag)
{
  struct sheaf_warc_record req, resp;
  sheaf_status st;

  memset(&req, 0, sizeof req);
  memset(&resp, 0, sizeof resp);
  sheaf_warc_new_id(req.id);
  sheaf_warc_new_id(resp.id);
  req.type = SHEAF_WARC_REQUEST;
  req.target_uri = res->url;
  req.content_type = "application/http;msgtype=request";
  req.concurrent_to = resp.id;
  req.warcinfo_id = a->warcinfo;
  req.date = res->date;
  resp.target_uri = res->url;
  resp.content_type = "application/http;msgtype=response";
  resp.concurrent_to = req.id;
  resp.warcinfo_id = a->warcinfo;
  resp.ip_address = res->ip && *res->ip ? res->ip : NULL;
  resp.date = res->date;
  if (res->status == 304 && res->refers_id) {
    resp.type = SHEAF_WARC_REVISIT;
    resp.profile = SHEAF_WARC_PROFILE_NOT_MODIFIED;
    resp.refers_to = res->refers_id;
    resp.refers_to_target = res->url;
    if (res->refers_date) {
      int64_t t;
      int off;
      if (sheaf_date_parse_iso8601(res->refers_date, strlen(res->refers_date), &t, &off))
        resp.refers_to_date = t;
    }
  } else {
    resp.type = SHEAF_WARC_RESPONSE;
  }
  if (res->request_len && (st = sheaf_warc_write(a->w, &req, res->request,
                                                 res->request_len, diag)) != SHEAF_OK)
    return st;
  if (!res->request_len)
    resp.concurrent_to = NULL;
  st = sheaf_warc_write_fd(a->w, &resp, res->body_fd, res->block_len, diag);
  if (st == SHEAF_OK)
    a->records += res->request_len ? 2 : 1;
  return st;
}

/* ---- history: what earlier runs stored -------------------------------------- */

struct hist {
  char *etag, *lastmod, *id, *date, *digest;
  char *file;
  unsigned long long offset;
};

struct sheaf_history {
  xmlHashTablePtr by_url;
  size_t count;
};

static void hist_free(void *p, const xmlChar *name)
{
  struct hist *h = p;

  (void)name;
  if (!h)
    return;
  sheaf_free(h->etag);
  sheaf_free(h->lastmod);
  sheaf_free(h->id);
  sheaf_free(h->date);
  sheaf_free(h->digest);
  sheaf_free(h->file);
  sheaf_free(h);
}

void sheaf_history_free(struct sheaf_history *hs)
{
  if (!hs)
    return;
  if (hs->by_url)
    xmlHashFree(hs->by_url, hist_free);
  sheaf_free(hs);
}

static int cmp_str(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool warc_name(const char *n)
{
  size_t k = strlen(n);
  return n[0] != '.' && ((k > 8 && strcmp(n + k - 8, ".warc.gz") == 0) ||
                         (k > 5 && strcmp(n + k - 5, ".warc") == 0));
}

static char *dupv(struct sheaf_str v)
{
  return sheaf_strndup(v.p, v.n);
}

/* Reads one earlier file's 200 responses into the history. */
static sheaf_status read_one(struct sheaf_history *hs, const char *path, sheaf_diag *diag)
{
  struct sheaf_warc_fd src;
  struct sheaf_warc_reader *r;
  struct sheaf_warc_header h;
  struct sheaf_warc_limits lim;
  struct sheaf_buf head;
  sheaf_status st;
  bool eof = false;
  int fd = open(path, O_RDONLY | O_CLOEXEC);

  if (fd < 0) {
    sheaf_diag_add(diag, SHEAF_WARNING, "io", path, 0, 0,
                   "an earlier capture cannot be read (%s); its resources are fetched "
                   "again",
                   strerror(errno));
    return SHEAF_OK;
  }
  memset(&lim, 0, sizeof lim);
  lim.max_size = (uint64_t)1 << 40; /* it is ours; only records are bounded */
  sheaf_warc_fd_init(&src, fd);
  if (!(r = sheaf_warc_reader_new(&src.src, path, &lim, &st))) {
    close(fd);
    return st;
  }
  sheaf_buf_init(&head, 0);
  while ((st = sheaf_warc_reader_next(r, &h, &eof, diag)) == SHEAF_OK && !eof) {
    struct sheaf_http_response resp;
    struct hist *e;
    struct sheaf_str v;
    char buf[8192];
    size_t got = 0;
    const char *end;
    if (h.type != SHEAF_WARC_RESPONSE || !h.target_uri || !h.record_id)
      continue;
    /* The HTTP header is enough: read up to its blank line. */
    sheaf_buf_reset(&head);
    while (!strstr(head.ptr, "\r\n\r\n") && !strstr(head.ptr, "\n\n") &&
           head.len < (1u << 20)) {
      if ((st = sheaf_warc_reader_read(r, buf, sizeof buf, &got, diag)) != SHEAF_OK ||
          !got)
        break;
      sheaf_buf_put(&head, buf, got);
    }
    if (st != SHEAF_OK)
      break;
    end = strstr(head.ptr, "\r\n\r\n");
    memset(&resp, 0, sizeof resp);
    if (sheaf_http_parse_response(head.ptr, end ? (size_t)(end - head.ptr) + 4 : head.len,
                                  &resp, NULL) != SHEAF_OK ||
        resp.status != 200) {
      sheaf_http_response_fini(&resp);
      continue;
    }
    e = sheaf_calloc(1, sizeof *e);
    if (!e || !(e->id = sheaf_strdup(h.record_id)) || !(e->file = sheaf_strdup(path)) ||
        (h.date_text && !(e->date = sheaf_strdup(h.date_text))) ||
        (h.payload_digest && !(e->digest = sheaf_strdup(h.payload_digest))) ||
        (sheaf_http_header_get(&resp, "ETag", &v) && !(e->etag = dupv(v))) ||
        (sheaf_http_header_get(&resp, "Last-Modified", &v) && !(e->lastmod = dupv(v)))) {
      sheaf_http_response_fini(&resp);
      hist_free(e, NULL);
      st = SHEAF_ERR_NOMEM;
      break;
    }
    sheaf_http_response_fini(&resp);
    e->offset = h.offset;
    /* Later files and records win: the newest capture of each URL. */
    if (xmlHashUpdateEntry(hs->by_url, BAD_CAST h.target_uri, e, hist_free) != 0) {
      hist_free(e, NULL);
      st = SHEAF_ERR_NOMEM;
      break;
    }
    hs->count++;
  }
  sheaf_buf_fini(&head);
  sheaf_warc_reader_free(r);
  close(fd);
  if (st != SHEAF_OK && st != SHEAF_ERR_NOMEM) {
    sheaf_diag_add(diag, SHEAF_WARNING, "io", path, 0, 0,
                   "an earlier capture is damaged; what could be read of it is used");
    st = SHEAF_OK;
  }
  return st;
}

struct sheaf_history *sheaf_history_load(const char *dir, sheaf_diag *diag,
                                         sheaf_status *status)
{
  struct sheaf_history *hs = sheaf_calloc(1, sizeof *hs);
  DIR *d;
  struct dirent *de;
  char **names = NULL;
  size_t n = 0, cap = 0, i;

  *status = SHEAF_ERR_NOMEM;
  if (!hs || !(hs->by_url = xmlHashCreate(256))) {
    sheaf_history_free(hs);
    return NULL;
  }
  *status = SHEAF_OK;
  if (!(d = opendir(dir)))
    return hs; /* a new folder: no history */
  while ((de = readdir(d)) != NULL) {
    if (!warc_name(de->d_name))
      continue;
    if (!sheaf_grow((void **)&names, &cap, n + 1, sizeof *names) ||
        !(names[n] = join(dir, de->d_name))) {
      *status = SHEAF_ERR_NOMEM;
      break;
    }
    n++;
  }
  closedir(d);
  /* Names sort by capture time (sheaf-YYYYMMDDhhmmss-N). */
  if (n)
    qsort(names, n, sizeof *names, cmp_str);
  for (i = 0; i < n && *status == SHEAF_OK; i++)
    *status = read_one(hs, names[i], diag);
  for (i = 0; i < n; i++)
    sheaf_free(names[i]);
  sheaf_free(names);
  if (*status != SHEAF_OK) {
    sheaf_history_free(hs);
    return NULL;
  }
  return hs;
}

size_t sheaf_history_count(const struct sheaf_history *hs)
{
  return hs ? hs->count : 0;
}

bool sheaf_history_get(const struct sheaf_history *hs, const char *url, const char **etag,
                       const char **lastmod, const char **id, const char **date,
                       const char **digest)
{
  const struct hist *e = hs ? xmlHashLookup(hs->by_url, BAD_CAST url) : NULL;

  if (!e)
    return false;
  *etag = e->etag;
  *lastmod = e->lastmod;
  *id = e->id;
  *date = e->date;
  *digest = e->digest;
  return true;
}

sheaf_status sheaf_history_body(const struct sheaf_history *hs, const char *url,
                                size_t max, char **out, size_t *outlen, sheaf_diag *diag)
{
  const struct hist *e = hs ? xmlHashLookup(hs->by_url, BAD_CAST url) : NULL;
  struct sheaf_warc_fd src;
  struct sheaf_warc_reader *r;
  struct sheaf_warc_header h;
  struct sheaf_http_response resp;
  struct sheaf_buf block, body;
  const char *why = NULL;
  sheaf_status st;
  bool eof = false;
  int fd;

  *out = NULL;
  *outlen = 0;
  if (!e)
    return SHEAF_ERR_IO;
  if ((fd = open(e->file, O_RDONLY | O_CLOEXEC)) < 0)
    return SHEAF_ERR_IO;
  if (lseek(fd, (off_t)e->offset, SEEK_SET) < 0) {
    close(fd);
    return SHEAF_ERR_IO;
  }
  sheaf_warc_fd_init(&src, fd);
  if (!(r = sheaf_warc_reader_new(&src.src, e->file, NULL, &st))) {
    close(fd);
    return st;
  }
  memset(&resp, 0, sizeof resp);
  sheaf_buf_init(&block, max + ((size_t)1 << 20));
  sheaf_buf_init(&body, max);
  st = sheaf_warc_reader_next(r, &h, &eof, diag);
  if (st == SHEAF_OK && (eof || !h.target_uri || strcmp(h.target_uri, url) != 0))
    st = SHEAF_ERR_IO;
  if (st == SHEAF_OK)
    st = sheaf_warc_reader_load(r, &block, diag);
  if (st == SHEAF_OK)
    st = sheaf_http_parse_response(block.ptr, block.len, &resp, &why);
  if (st == SHEAF_OK)
    st = sheaf_http_decode_body(&resp, block.ptr, block.len, &body, NULL, &why);
  if (st == SHEAF_OK && !(*out = sheaf_buf_detach(&body, outlen)))
    st = SHEAF_ERR_NOMEM;
  sheaf_http_response_fini(&resp);
  sheaf_buf_fini(&block);
  sheaf_buf_fini(&body);
  sheaf_warc_reader_free(r);
  close(fd);
  return st;
}
