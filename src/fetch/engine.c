/*
 * This file contains the capture's HTTP engine, on libcurl's multi
 * interface: a queue of GETs run a few at a time, at most two per host (one
 * when robots.txt sets a Crawl-delay, which is then kept between starts),
 * each host's robots.txt fetched before anything else there, 429 and 503
 * answers retried after their Retry-After, redirects followed by hand (each
 * hop is its own exchange in the archive) at most ten deep, and every
 * connection's address checked by the guard in net.c before it is made.
 *
 * Bodies stream to an unlinked temporary file exactly as received (no
 * transfer or content decoding), which is what a WARC response record
 * holds; memory holds headers only, so a capture's footprint does not grow
 * with the site.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <libxml/hash.h>
#include <zlib.h>

#include "fetch/fetch.h"
#include "warc/warc.h"

#ifndef SHEAF_BOT_URL
#define SHEAF_BOT_URL "https://github.com/sheaf/sheaf"
#endif
#define USER_AGENT "sheaf/" SHEAF_VERSION_STRING " (+" SHEAF_BOT_URL ")"
#define MAX_HEAD ((size_t)256 << 10) /* response headers beyond this are refused */
#define MAX_REDIRECTS 10

struct job {
  char *url;
  enum sheaf_fetch_kind kind;
  void *ctx;
  char *etag, *lastmod, *refers_id, *refers_date, *refers_digest;
  unsigned attempts, redirects;
  long long not_before; /* monotonic ms */
  size_t site;
};

struct site {
  char origin[300];
  char host[256];
  struct sheaf_robots *robots; /* NULL until its robots.txt is in */
  const char *refused;         /* the guard refused its address (static) */
  bool robots_queued, allowed_restricted;
  unsigned active;
  long long next_start; /* monotonic ms, for Crawl-delay */
};

struct xfer {
  struct xfer *prev, *next; /* the engine's running transfers */
  struct sheaf_engine *h;
  struct job *job;
  CURL *easy;
  struct curl_slist *headers;
  int fd;
  struct sheaf_buf head, req;
  unsigned long long body_len;
  const char *refused; /* the guard's verdict, when it refused */
  bool too_big;
  long long date;
  char err[CURL_ERROR_SIZE];
};

struct sheaf_engine {
  const sheaf_fetch_options *fopt;
  sheaf_diag *diag;
  sheaf_engine_done_fn done;
  void *userdata;
  CURLM *multi;
  char **allowed;
  size_t nallowed;
  struct site *sites;
  size_t nsites, sites_cap;
  struct job **pending; /* FIFO, holes NULL */
  size_t npending, pending_cap, pending_head;
  size_t active;
  struct xfer *running;                /* list of transfers in progress */
  xmlHashTablePtr seen;                /* every URL ever queued */
  const struct sheaf_history *history; /* validators for conditional GETs */
  sheaf_fetch_stats stats;
  sheaf_status fatal;
};

static long long now_ms(void)
{
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void job_free(struct job *j)
{
  if (!j)
    return;
  sheaf_free(j->url);
  sheaf_free(j->etag);
  sheaf_free(j->lastmod);
  sheaf_free(j->refers_id);
  sheaf_free(j->refers_date);
  sheaf_free(j->refers_digest);
  sheaf_free(j);
}

struct sheaf_engine *sheaf_engine_new(const sheaf_fetch_options *fopt,
                                      const char *const *allowed, size_t nallowed,
                                      const struct sheaf_history *history,
                                      sheaf_diag *diag, sheaf_engine_done_fn done,
                                      void *userdata, sheaf_status *status)
{
  struct sheaf_engine *h = sheaf_calloc(1, sizeof *h);
  size_t i;

  *status = SHEAF_ERR_NOMEM;
  if (!h)
    return NULL;
  h->fopt = fopt;
  h->history = history;
  h->diag = diag;
  h->done = done;
  h->userdata = userdata;
  if (!(h->seen = xmlHashCreate(256)) || !(h->multi = curl_multi_init()) ||
      (nallowed && !(h->allowed = sheaf_calloc(nallowed, sizeof *h->allowed)))) {
    sheaf_engine_free(h);
    return NULL;
  }
  for (i = 0; i < nallowed; i++) {
    if (!(h->allowed[i] = sheaf_strdup(allowed[i]))) {
      sheaf_engine_free(h);
      return NULL;
    }
    h->nallowed++;
  }
  /* Two per host at most, whatever the caller asks (the politeness
   * rule); the total is the caller's. */
  curl_multi_setopt(h->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 2L);
  curl_multi_setopt(h->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
                    (long)(fopt->max_connections ? fopt->max_connections : 8));
  curl_multi_setopt(h->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_NOTHING);
  *status = SHEAF_OK;
  return h;
}

static void xfer_free(struct xfer *x)
{
  if (!x)
    return;
  if (x->prev)
    x->prev->next = x->next;
  else if (x->h->running == x)
    x->h->running = x->next;
  if (x->next)
    x->next->prev = x->prev;
  if (x->easy) {
    curl_multi_remove_handle(x->h->multi, x->easy);
    curl_easy_cleanup(x->easy);
  }
  curl_slist_free_all(x->headers);
  if (x->fd >= 0)
    close(x->fd);
  sheaf_buf_fini(&x->head);
  sheaf_buf_fini(&x->req);
  job_free(x->job);
  sheaf_free(x);
}

void sheaf_engine_free(struct sheaf_engine *h)
{
  size_t i;

  if (!h)
    return;
  /* Transfers still running (a cancelled run) are torn down first. */
  while (h->running)
    xfer_free(h->running);
  if (h->multi)
    curl_multi_cleanup(h->multi);
  for (i = h->pending_head; i < h->npending; i++)
    job_free(h->pending[i]);
  sheaf_free(h->pending);
  for (i = 0; i < h->nsites; i++)
    sheaf_robots_free(h->sites[i].robots);
  sheaf_free(h->sites);
  for (i = 0; i < h->nallowed; i++)
    sheaf_free(h->allowed[i]);
  sheaf_free(h->allowed);
  if (h->seen)
    xmlHashFree(h->seen, NULL);
  sheaf_free(h);
}

const sheaf_fetch_stats *sheaf_engine_stats(const struct sheaf_engine *h)
{
  return &h->stats;
}

sheaf_fetch_stats *sheaf_engine_stats_mut(struct sheaf_engine *h)
{
  return &h->stats;
}

/* The site of `url`, added when new; SIZE_MAX when out of memory or not an
 * http(s) URL. */
static size_t site_of(struct sheaf_engine *h, const char *url)
{
  char origin[300];
  size_t i;
  struct site *s;

  if (!sheaf_net_url_origin(url, origin, sizeof origin))
    return SIZE_MAX;
  for (i = 0; i < h->nsites; i++)
    if (strcmp(h->sites[i].origin, origin) == 0)
      return i;
  if (!sheaf_grow((void **)&h->sites, &h->sites_cap, h->nsites + 1, sizeof *h->sites))
    return SIZE_MAX;
  s = &h->sites[h->nsites];
  memset(s, 0, sizeof *s);
  memcpy(s->origin, origin, strlen(origin) + 1);
  sheaf_net_url_host(url, s->host, sizeof s->host);
  for (i = 0; i < h->nallowed; i++)
    if (strcmp(h->allowed[i], s->host) == 0)
      s->allowed_restricted = true;
  return h->nsites++;
}

static bool push(struct sheaf_engine *h, struct job *j)
{
  /* Compact the FIFO when its consumed head is the larger part. */
  if (h->pending_head > 64 && h->pending_head * 2 > h->npending) {
    memmove(h->pending, h->pending + h->pending_head,
            (h->npending - h->pending_head) * sizeof *h->pending);
    h->npending -= h->pending_head;
    h->pending_head = 0;
  }
  if (!sheaf_grow((void **)&h->pending, &h->pending_cap, h->npending + 1,
                  sizeof *h->pending))
    return false;
  h->pending[h->npending++] = j;
  h->stats.queued++;
  return true;
}

static sheaf_status add_job(struct sheaf_engine *h, const char *url,
                            enum sheaf_fetch_kind kind, void *ctx, const char *etag,
                            const char *lastmod, const char *rid, const char *rdate,
                            const char *rdig, unsigned redirects, bool *queued)
{
  struct job *j;
  size_t site;

  *queued = false;
  if (xmlHashLookup(h->seen, BAD_CAST url))
    return SHEAF_OK;
  site = site_of(h, url);
  if (site == SIZE_MAX)
    return SHEAF_OK; /* not http(s): the crawl checked; nothing to do */
  if (xmlHashAddEntry(h->seen, BAD_CAST url, (void *)1) != 0)
    return SHEAF_ERR_NOMEM;
  /* A redirect's target too is asked for only if changed. */
  if (!etag && !lastmod && kind != SHEAF_KIND_ROBOTS &&
      !sheaf_history_get(h->history, url, &etag, &lastmod, &rid, &rdate, &rdig))
    etag = lastmod = rid = rdate = rdig = NULL;
  j = sheaf_calloc(1, sizeof *j);
  if (!j || !(j->url = sheaf_strdup(url)) || (etag && !(j->etag = sheaf_strdup(etag))) ||
      (lastmod && !(j->lastmod = sheaf_strdup(lastmod))) ||
      (rid && !(j->refers_id = sheaf_strdup(rid))) ||
      (rdate && !(j->refers_date = sheaf_strdup(rdate))) ||
      (rdig && !(j->refers_digest = sheaf_strdup(rdig))) || !push(h, j)) {
    job_free(j);
    return SHEAF_ERR_NOMEM;
  }
  j->kind = kind;
  j->ctx = ctx;
  j->site = site;
  j->redirects = redirects;
  *queued = true;
  return SHEAF_OK;
}

sheaf_status sheaf_engine_add(struct sheaf_engine *h, const char *url,
                              enum sheaf_fetch_kind kind, void *ctx, const char *etag,
                              const char *last_modified, const char *refers_id,
                              const char *refers_date, const char *refers_digest,
                              bool *queued)
{
  return add_job(h, url, kind, ctx, etag, last_modified, refers_id, refers_date,
                 refers_digest, 0, queued);
}

/* ---- one transfer ----------------------------------------------------------- */

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
  struct xfer *x = ud;

  n *= size;
  if (x->head.len + n > MAX_HEAD)
    return 0;
  /* A new status line after a 1xx interim answer starts the real one. */
  if (n > 5 && memcmp(p, "HTTP/", 5) == 0)
    sheaf_buf_reset(&x->head);
  /* The file holds the whole message: headers first, the body after. */
  if (!sheaf_pwrite_all(x->fd, p, n, x->head.len))
    return 0;
  sheaf_buf_put(&x->head, p, n);
  return x->head.failed ? 0 : n;
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
  struct xfer *x = ud;
  size_t max = x->h->fopt->max_response_size;

  n *= size;
  if (max && x->body_len + n > max) {
    x->too_big = true;
    return 0;
  }
  if (!sheaf_pwrite_all(x->fd, p, n, x->head.len + x->body_len))
    return 0;
  x->body_len += n;
  x->h->stats.bytes += n;
  return n;
}

static int on_debug(CURL *easy, curl_infotype type, char *p, size_t n, void *ud)
{
  struct xfer *x = ud;

  (void)easy;
  if (type == CURLINFO_HEADER_OUT) {
    sheaf_buf_reset(&x->req); /* the last request sent is the one */
    sheaf_buf_put(&x->req, p, n);
  }
  return 0;
}

/* The guard: every connection's resolved address, before it is made. */
static curl_socket_t on_open(void *ud, curlsocktype purpose, struct curl_sockaddr *a)
{
  struct xfer *x = ud;
  const char *why;

  (void)purpose;
  why = sheaf_net_restricted(&a->addr, a->addrlen);
  if (why && !x->h->sites[x->job->site].allowed_restricted) {
    x->refused = why;
    return CURL_SOCKET_BAD;
  }
  return socket(a->family, a->socktype, a->protocol);
}

static sheaf_status start(struct sheaf_engine *h, struct job *j)
{
  struct xfer *x = sheaf_calloc(1, sizeof *x);
  const sheaf_fetch_options *fo = h->fopt;
  struct sheaf_buf line;
  long stall = fo->stall_timeout_ms ? (long)(fo->stall_timeout_ms + 999) / 1000 : 30;

  if (!x)
    return SHEAF_ERR_NOMEM;
  x->h = h;
  x->job = j;
  x->fd = -1;
  sheaf_buf_init(&x->head, 0);
  sheaf_buf_init(&x->req, 0);
  x->date = (long long)time(NULL);
  if ((x->fd = sheaf_temp_open()) < 0) {
    sheaf_diag_add(h->diag, SHEAF_ERROR, "write", NULL, 0, 0,
                   "cannot open a temporary file for a download (in $TMPDIR, else "
                   "/tmp): %s",
                   strerror(errno));
    x->job = NULL;
    xfer_free(x);
    return SHEAF_ERR_WRITE;
  }
  if (!(x->easy = curl_easy_init())) {
    x->job = NULL;
    xfer_free(x);
    return SHEAF_ERR_NOMEM;
  }
  sheaf_buf_init(&line, 0);
  x->headers = curl_slist_append(NULL, "Accept-Encoding: gzip, deflate");
  if (j->etag) {
    sheaf_buf_printf(&line, "If-None-Match: %s", j->etag);
    x->headers = curl_slist_append(x->headers, line.ptr);
    sheaf_buf_reset(&line);
  }
  if (j->lastmod) {
    sheaf_buf_printf(&line, "If-Modified-Since: %s", j->lastmod);
    x->headers = curl_slist_append(x->headers, line.ptr);
  }
  sheaf_buf_fini(&line);
  curl_easy_setopt(x->easy, CURLOPT_URL, j->url);
  curl_easy_setopt(x->easy, CURLOPT_PRIVATE, (char *)x);
  curl_easy_setopt(x->easy, CURLOPT_HTTPHEADER, x->headers);
  curl_easy_setopt(x->easy, CURLOPT_USERAGENT, USER_AGENT);
  curl_easy_setopt(x->easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(x->easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(x->easy, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(x->easy, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
  /* As received: the archive keeps the bytes, builds undo the codings. */
  curl_easy_setopt(x->easy, CURLOPT_HTTP_TRANSFER_DECODING, 0L);
  curl_easy_setopt(x->easy, CURLOPT_HTTP_CONTENT_DECODING, 0L);
  curl_easy_setopt(x->easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(x->easy, CURLOPT_CONNECTTIMEOUT_MS,
                   (long)(fo->connect_timeout_ms ? fo->connect_timeout_ms : 15000));
  curl_easy_setopt(x->easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(x->easy, CURLOPT_LOW_SPEED_TIME, stall);
  if (fo->max_response_size)
    curl_easy_setopt(x->easy, CURLOPT_MAXFILESIZE_LARGE,
                     (curl_off_t)fo->max_response_size);
  curl_easy_setopt(x->easy, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(x->easy, CURLOPT_HEADERDATA, x);
  curl_easy_setopt(x->easy, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(x->easy, CURLOPT_WRITEDATA, x);
  curl_easy_setopt(x->easy, CURLOPT_OPENSOCKETFUNCTION, on_open);
  curl_easy_setopt(x->easy, CURLOPT_OPENSOCKETDATA, x);
  /* The request headers as sent, for the archive's request record. */
  curl_easy_setopt(x->easy, CURLOPT_DEBUGFUNCTION, on_debug);
  curl_easy_setopt(x->easy, CURLOPT_DEBUGDATA, x);
  curl_easy_setopt(x->easy, CURLOPT_VERBOSE, 1L);
  curl_easy_setopt(x->easy, CURLOPT_ERRORBUFFER, x->err);
  if (curl_multi_add_handle(h->multi, x->easy) != CURLM_OK) {
    x->job = NULL;
    xfer_free(x);
    return SHEAF_ERR_NOMEM;
  }
  h->sites[j->site].active++;
  h->active++;
  x->next = h->running;
  if (h->running)
    h->running->prev = x;
  h->running = x;
  return SHEAF_OK;
}

char *sheaf_engine_header(const char *head, size_t n, const char *name)
{
  const char *p = head, *end = head + n;
  size_t k = strlen(name);

  /* Skip the status line. */
  p = memchr(p, '\n', n);
  while (p && ++p < end) {
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    if (!eol)
      eol = end;
    if ((size_t)(eol - p) > k && p[k] == ':' &&
        sheaf_str_ieq((struct sheaf_str){p, k}, name)) {
      struct sheaf_str v =
          sheaf_str_trim((struct sheaf_str){p + k + 1, (size_t)(eol - p - k - 1)});
      return sheaf_strndup(v.p, v.n);
    }
    p = eol;
  }
  return NULL;
}

static int status_of(const struct sheaf_buf *head)
{
  const char *sp;

  if (head->len < 12 || memcmp(head->ptr, "HTTP/", 5) != 0 ||
      !(sp = memchr(head->ptr, ' ', head->len)))
    return 0;
  return (int)strtol(sp + 1, NULL, 10);
}

/* Milliseconds a Retry-After asks for (seconds or an HTTP date); -1: none. */
static long long retry_after(const struct sheaf_buf *head)
{
  char *v = sheaf_engine_header(head->ptr, head->len, "Retry-After");
  long long ms = -1;

  if (v) {
    char *end;
    long long s = strtoll(v, &end, 10);
    if (end != v && *end == '\0' && s >= 0) {
      ms = s > 86400 ? 86400000LL : s * 1000;
    } else {
      time_t t = curl_getdate(v, NULL);
      if (t != (time_t)-1)
        ms = t > time(NULL) ? ((long long)t - (long long)time(NULL)) * 1000 : 0;
    }
    sheaf_free(v);
  }
  return ms;
}

static void requeue(struct sheaf_engine *h, struct xfer *x, long long wait_ms)
{
  struct job *j = x->job;

  x->job = NULL;
  j->attempts++;
  j->not_before = now_ms() + wait_ms;
  if (!push(h, j)) {
    job_free(j);
    h->fatal = SHEAF_ERR_NOMEM;
  }
}

/* The answer to a site's robots.txt: rules from a 200, everything allowed
 * after a 4xx, nothing after a 5xx or no answer (RFC 9309 2.3.1). */
static void robots_in(struct sheaf_engine *h, const struct sheaf_engine_result *r,
                      size_t site)
{
  struct site *s = &h->sites[site];
  char *text = NULL;
  size_t n = 0;

  if (site >= h->nsites || s->robots)
    return;
  if (r->refused) {
    s->refused = r->refused;
    s->robots = sheaf_robots_new_all(false);
  } else if (r->status == 200 &&
             sheaf_engine_body(r, (size_t)512 << 10, &text, &n, h->diag) == SHEAF_OK) {
    s->robots = sheaf_robots_parse(text, n);
  } else if (r->status >= 400 && r->status < 500) {
    s->robots = sheaf_robots_new_all(true);
  } else {
    sheaf_diag_add(h->diag, SHEAF_WARNING, "robots", r->url, 0, 0,
                   "robots.txt could not be read (%s); nothing more is fetched from "
                   "this site",
                   r->error           ? r->error
                   : r->status == 200 ? "too large"
                                      : "server error");
    s->robots = sheaf_robots_new_all(false);
  }
  sheaf_free(text);
  if (!s->robots)
    h->fatal = SHEAF_ERR_NOMEM;
}

/* A transfer ended: retry it, follow its redirect, or hand it over. */
static void finish(struct sheaf_engine *h, struct xfer *x, CURLcode rc)
{
  struct job *j = x->job;
  struct sheaf_engine_result r;
  const sheaf_fetch_options *fo = h->fopt;
  unsigned max_retries = fo->max_retries;
  int status = rc == CURLE_OK ? status_of(&x->head) : 0;
  char *ip = NULL, *location = NULL;
  bool retry = false;
  long long wait = -1;

  h->sites[j->site].active--;
  h->active--;
  if (h->stats.queued)
    h->stats.queued--;
  h->stats.bytes += x->head.len;
  curl_easy_getinfo(x->easy, CURLINFO_PRIMARY_IP, &ip);
  memset(&r, 0, sizeof r);
  r.url = j->url;
  r.kind = j->kind;
  r.ctx = j->ctx;
  r.status = status;
  r.head = x->head.ptr;
  r.head_len = x->head.len;
  r.request = x->req.ptr;
  r.request_len = x->req.len;
  r.body_fd = x->fd;
  r.block_len = x->head.len + x->body_len;
  r.ip = ip ? ip : "";
  r.date = x->date;
  r.refers_id = j->refers_id;
  r.refers_date = j->refers_date;
  r.refers_digest = j->refers_digest;
  if (x->refused) {
    r.error = x->refused;
    r.refused = x->refused;
    if (j->kind != SHEAF_KIND_ROBOTS)
      sheaf_diag_add(h->diag, SHEAF_WARNING, "refused", j->url, 0, 0,
                     "not fetched: the host's address is %s (only hosts named on the "
                     "command line may be)",
                     x->refused);
  } else if (x->too_big || rc == CURLE_FILESIZE_EXCEEDED) {
    char sz[32];
    r.error = "too large";
    r.status = 0;
    sheaf_diag_add(h->diag, SHEAF_WARNING, "limit", j->url, 0, 0,
                   "not kept: the response is larger than %s (--max-response-size)",
                   sheaf_size_str(fo->max_response_size, sz));
  } else if (rc != CURLE_OK) {
    r.error = curl_easy_strerror(rc);
    /* Dropped connections are worth another try; timeouts are not. */
    retry = rc == CURLE_RECV_ERROR || rc == CURLE_SEND_ERROR || rc == CURLE_GOT_NOTHING ||
            rc == CURLE_PARTIAL_FILE;
    if (!retry || j->attempts >= max_retries)
      sheaf_diag_add(h->diag, SHEAF_WARNING, "network", j->url, 0, 0, "not fetched: %s",
                     x->err[0] ? x->err : curl_easy_strerror(rc));
  } else if (status == 429 || status == 503) {
    wait = retry_after(&x->head);
    retry = true;
    if (wait > (long long)(fo->max_retry_wait_ms ? fo->max_retry_wait_ms : 120000)) {
      retry = false;
      sheaf_diag_add(h->diag, SHEAF_WARNING, "http", j->url, 0, 0,
                     "not fetched: HTTP %d, and the server asks to wait %lld s "
                     "(more than --max-retry-wait)",
                     status, wait / 1000);
    } else if (j->attempts >= max_retries) {
      sheaf_diag_add(h->diag, SHEAF_WARNING, "http", j->url, 0, 0,
                     "not fetched: HTTP %d after %u retries", status, max_retries);
    }
  } else if (status >= 300 && status < 400 && status != 304) {
    char *loc = sheaf_engine_header(x->head.ptr, x->head.len, "Location");
    bool nomem = false;
    if (loc)
      location = sheaf_net_resolve(loc, j->url, &nomem);
    sheaf_free(loc);
    if (nomem)
      h->fatal = SHEAF_ERR_NOMEM;
    if (!location)
      sheaf_diag_add(h->diag, SHEAF_WARNING, "http", j->url, 0, 0,
                     "not fetched: HTTP %d without a usable http(s) Location", status);
    else if (j->redirects >= MAX_REDIRECTS) {
      sheaf_diag_add(h->diag, SHEAF_WARNING, "http", j->url, 0, 0,
                     "not fetched: more than %d redirects", MAX_REDIRECTS);
      sheaf_free(location);
      location = NULL;
    }
  } else if (status >= 400 && j->kind != SHEAF_KIND_ROBOTS &&
             !(j->kind == SHEAF_KIND_FEED && status == 404)) {
    sheaf_diag_add(h->diag, SHEAF_WARNING, "http", j->url, 0, 0, "not fetched: HTTP %d",
                   status);
  }
  if (retry && j->attempts >= max_retries)
    retry = false;
  if (!retry && !location && j->kind != SHEAF_KIND_ROBOTS &&
      (r.error || (status >= 400 && !(j->kind == SHEAF_KIND_FEED && status == 404))))
    h->stats.failed++;
  if (status == 304)
    h->stats.unchanged++;
  if (status) {
    if (j->kind == SHEAF_KIND_IMAGE)
      h->stats.images++;
    else if (j->kind != SHEAF_KIND_ROBOTS)
      h->stats.pages++;
  }
  /* The crawl records every exchange that got an answer, and acts on the
   * final ones. */
  if (retry || location) {
    r.interim = true;
    if (status)
      r.error = retry ? "retrying" : "redirected";
  }
  if (j->kind == SHEAF_KIND_ROBOTS && !retry && !location)
    robots_in(h, &r, (size_t)(uintptr_t)j->ctx - 1);
  h->done(&r, h->userdata);
  if (retry) {
    if (wait < 0)
      wait = 1000LL << (j->attempts < 6 ? j->attempts : 6);
    requeue(h, x, wait);
  } else if (location) {
    bool queued;
    sheaf_status st = add_job(h, location, j->kind, j->ctx, NULL, NULL, NULL, NULL, NULL,
                              j->redirects + 1, &queued);
    if (st != SHEAF_OK)
      h->fatal = st;
  }
  sheaf_free(location);
  xfer_free(x);
}

/* ---- the loop ---------------------------------------------------------------- */

/* Starts what may start now; returns ms until something else may. */
static long long start_ready(struct sheaf_engine *h)
{
  long long now = now_ms(), wake = 1000;
  size_t i, maxc = h->fopt->max_connections ? h->fopt->max_connections : 8;

  for (i = h->pending_head; i < h->npending && h->active < maxc; i++) {
    struct job *j = h->pending[i];
    struct site *s;
    unsigned delay, limit;
    if (!j)
      continue;
    s = &h->sites[j->site];
    if (!s->robots) {
      if (!s->robots_queued) {
        struct sheaf_buf u;
        bool queued;
        sheaf_status st;
        s->robots_queued = true;
        sheaf_buf_init(&u, 0);
        sheaf_buf_printf(&u, "%s/robots.txt", s->origin);
        /* The origin spells the default port; the request should not. */
        if (!u.failed) {
          char *colon = strrchr(u.ptr, ':');
          const char *dflt = sheaf_starts_with_ci(u.ptr, "https:") ? ":443/" : ":80/";
          if (colon && strncmp(colon, dflt, strlen(dflt)) == 0)
            memmove(colon, colon + strlen(dflt) - 1,
                    strlen(colon + strlen(dflt) - 1) + 1);
        }
        st = u.failed
                 ? SHEAF_ERR_NOMEM
                 : add_job(h, u.ptr, SHEAF_KIND_ROBOTS, (void *)(uintptr_t)(j->site + 1),
                           NULL, NULL, NULL, NULL, NULL, 0, &queued);
        sheaf_buf_fini(&u);
        if (st != SHEAF_OK) {
          h->fatal = st;
          return 0;
        }
        if (!queued) /* fetched before under another spelling */
          s->robots = sheaf_robots_new_all(true);
        /* The robots job went to the end; take it now, out of turn. */
        if (queued) {
          struct job *r = h->pending[h->npending - 1];
          h->pending[h->npending - 1] = NULL;
          if (start(h, r) != SHEAF_OK) {
            job_free(r);
            h->fatal = SHEAF_ERR_NOMEM;
            return 0;
          }
        }
      }
      if (j->kind != SHEAF_KIND_ROBOTS)
        continue;
    }
    if (j->kind != SHEAF_KIND_ROBOTS && s->robots) {
      const char *path = strchr(j->url + strlen("http://"), '/');
      if (s->refused || !sheaf_robots_allowed(s->robots, path ? path : "/")) {
        if (s->refused)
          sheaf_diag_add(h->diag, SHEAF_WARNING, "refused", j->url, 0, 0,
                         "not fetched: the host's address is %s (only hosts named on the "
                         "command line may be)",
                         s->refused);
        else
          sheaf_diag_add(h->diag, SHEAF_WARNING, "robots", j->url, 0, 0,
                         "not fetched: the site's robots.txt disallows it");
        h->stats.failed++;
        if (h->stats.queued)
          h->stats.queued--;
        h->pending[i] = NULL;
        job_free(j);
        continue;
      }
    }
    delay = s->robots ? sheaf_robots_delay_ms(s->robots) : 0;
    limit = delay ? 1 : 2;
    if (s->active >= limit)
      continue;
    if (j->not_before > now || s->next_start > now) {
      long long t = (j->not_before > s->next_start ? j->not_before : s->next_start) - now;
      if (t < wake)
        wake = t;
      continue;
    }
    h->pending[i] = NULL;
    if (start(h, j) != SHEAF_OK) {
      job_free(j);
      h->fatal = SHEAF_ERR_WRITE;
      return 0;
    }
    s->next_start = now + delay;
  }
  while (h->pending_head < h->npending && !h->pending[h->pending_head])
    h->pending_head++;
  return wake < 0 ? 0 : wake;
}

sheaf_status sheaf_engine_run(struct sheaf_engine *h, const sheaf_options *opt)
{
  const sheaf_fetch_options *fo = h->fopt;

  for (;;) {
    int running = 0, left;
    long long wake;
    bool ended = false;
    CURLMsg *m;
    if (opt && opt->cancel && opt->cancel(opt->cancel_userdata))
      return SHEAF_ERR_CANCELLED;
    wake = start_ready(h);
    if (h->fatal)
      return h->fatal;
    if (h->active == 0 && h->pending_head >= h->npending)
      return SHEAF_OK;
    curl_multi_perform(h->multi, &running);
    while ((m = curl_multi_info_read(h->multi, &left)) != NULL) {
      struct xfer *x = NULL;
      if (m->msg != CURLMSG_DONE)
        continue;
      ended = true;
      curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
      finish(h, x, m->data.result);
      if (h->fatal)
        return h->fatal;
    }
    if (fo->max_run_size && h->stats.bytes > fo->max_run_size) {
      char sz[32];
      sheaf_diag_add(h->diag, SHEAF_ERROR, "limit", NULL, 0, 0,
                     "the capture passed %s (--max-run-size); what was fetched so far "
                     "is kept; raise the limit to fetch more",
                     sheaf_size_str((size_t)fo->max_run_size, sz));
      return SHEAF_ERR_LIMIT;
    }
    if (fo->progress)
      fo->progress(&h->stats, 0, fo->progress_userdata);
    /* Something ended: what it queued may start at once. */
    if (ended)
      continue;
    curl_multi_poll(h->multi, NULL, 0,
                    (int)(wake > 200 ? 200
                          : wake < 1 ? 1
                                     : wake),
                    NULL);
  }
}

/* ---- bodies for parsing -------------------------------------------------------- */

sheaf_status sheaf_engine_body(const struct sheaf_engine_result *res, size_t max,
                               char **out, size_t *outlen, sheaf_diag *diag)
{
  struct sheaf_buf body;
  struct sheaf_http_response resp;
  const char *why = NULL;
  sheaf_status st;
  char *block;
  size_t n = (size_t)res->block_len;

  *out = NULL;
  *outlen = 0;
  memset(&resp, 0, sizeof resp);
  if (res->block_len > (unsigned long long)max + res->head_len)
    return SHEAF_ERR_LIMIT;
  if (!(block = sheaf_malloc(n + 1)))
    return SHEAF_ERR_NOMEM;
  sheaf_buf_init(&body, max);
  if (n && !sheaf_pread_all(res->body_fd, block, n, 0)) {
    st = SHEAF_ERR_IO;
    goto out;
  }
  block[n] = '\0';
  st = sheaf_http_parse_response(block, n, &resp, &why);
  if (st == SHEAF_OK)
    st = sheaf_http_decode_body(&resp, block, n, &body, NULL, &why);
  if (st == SHEAF_OK) {
    *out = sheaf_buf_detach(&body, outlen);
    if (!*out)
      st = SHEAF_ERR_NOMEM;
  } else if (st != SHEAF_ERR_NOMEM) {
    sheaf_diag_add(diag, SHEAF_WARNING, "http", res->url, 0, 0,
                   "the response cannot be read: %s", why ? why : sheaf_status_str(st));
  }
out:
  sheaf_http_response_fini(&resp);
  sheaf_free(block);
  sheaf_buf_fini(&body);
  return st;
}
