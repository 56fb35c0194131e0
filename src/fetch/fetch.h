/*
 * This file declares the capture stage's internals: the address guard
 * (net.c), robots.txt rules (robots.c), the HTTP engine on libcurl's multi
 * interface (http.c), what a capture finds in feeds and pages (find.c), the
 * crawl itself (crawl.c) and the archive it writes (archive.c). The public
 * entry is sheaf_fetch() (crawl.c).
 */
#ifndef SHEAF_FETCH_INTERNAL_H
#define SHEAF_FETCH_INTERNAL_H

#include <stdio.h>
#include <sys/socket.h>

#include "core/core.h"
#include "sheaf/fetch.h"

/* ---- net.c: which addresses may be connected to ------------------------- */

/* Returns NULL when `sa` is a public unicast address, else what it is
 * ("loopback", "private", "link-local", "multicast", "unspecified",
 * "reserved"); IPv4-mapped and -compatible IPv6 addresses are judged as
 * the IPv4 address they hold. Static storage. */
const char *sheaf_net_restricted(const struct sockaddr *sa, socklen_t len);

/* The host of an http(s) URL, lower-cased, without port or brackets, in
 * host[0..cap); false when `url` is not an http or https URL with a host. */
bool sheaf_net_url_host(const char *url, char *host, size_t cap);
/* "scheme://host:port" of an http(s) URL, for per-site state (robots.txt),
 * with the default port spelled out; false as above. */
bool sheaf_net_url_origin(const char *url, char *origin, size_t cap);
/* Resolves `ref` (an href or src, possibly relative) against `base`; returns
 * a new http(s) URL without its fragment, or NULL (not http(s), unusable,
 * out of memory: *nomem says which). */
char *sheaf_net_resolve(const char *ref, const char *base, bool *nomem);

/* ---- robots.c: robots.txt (RFC 9309) ------------------------------------- */

struct sheaf_robots;
/* Parses robots.txt text for the user agent "sheaf": the group naming
 * sheaf, else the "*" group. Returns NULL when out of memory. */
struct sheaf_robots *sheaf_robots_parse(const char *text, size_t n);
/* A robots.txt that allows everything (none, or a 4xx) or nothing (a 5xx,
 * or unreachable: RFC 9309 2.3.1.4). */
struct sheaf_robots *sheaf_robots_new_all(bool allow);
void sheaf_robots_free(struct sheaf_robots *r);
/* May `path` (path and query of a URL) be fetched? Longest match wins,
 * Allow on a tie; `*` and a final `$` as in RFC 9309. */
bool sheaf_robots_allowed(const struct sheaf_robots *r, const char *path);
/* Crawl-delay in milliseconds, 0 when none (capped at 60 s). */
unsigned sheaf_robots_delay_ms(const struct sheaf_robots *r);

/* ---- find.c: links a capture follows ------------------------------------ */

/* Looks in an HTML page for the feed it announces (<link rel="alternate"
 * type="application/rss+xml" or "application/atom+xml">). Returns a new
 * absolute URL or NULL. `*wordpress` is set when the page says it is
 * WordPress (a generator meta). */
char *sheaf_find_feed_link(const char *html, size_t n, const char *base, bool *wordpress);
/* The RFC 5005 rel="next" link of a feed (Atom <link rel="next">, or
 * atom:link in RSS), or NULL. */
char *sheaf_find_next_link(const char *xml, size_t n, const char *base);
/* Does the feed text name WordPress as its generator? */
bool sheaf_find_is_wordpress(const char *xml, size_t n);
/* `url` with its paged=N query parameter set to `page` (WordPress feed
 * paging: /feed/?paged=2). Returns a new string or NULL. */
char *sheaf_find_paged(const char *url, size_t page);

/* ---- engine.c: the HTTP engine --------------------------------------------------- */

enum sheaf_fetch_kind {
  SHEAF_KIND_ROBOTS,
  SHEAF_KIND_FEED,
  SHEAF_KIND_PAGE,
  SHEAF_KIND_IMAGE
};

/* A finished exchange, handed to the crawl. The body (as received: transfer
 * and content codings not undone) follows its status line and headers in
 * the file `body_fd`: bytes [0, block_len) are the HTTP response message as
 * received, the block of a WARC response record; `head` holds its first
 * `head_len` bytes (status line and headers). */
struct sheaf_engine_result {
  const char *url;
  enum sheaf_fetch_kind kind;
  void *ctx;           /* the crawl's, as given to sheaf_engine_add */
  int status;          /* HTTP status; 0: no response (see `error`) */
  const char *error;   /* why there is no usable answer, or NULL */
  const char *refused; /* the guard refused the address: what it is */
  bool interim;        /* retried or redirected: not the final answer */
  const char *head;    /* response status line and headers, raw */
  size_t head_len;
  const char *request; /* request line and headers as sent */
  size_t request_len;
  int body_fd;
  unsigned long long block_len;
  const char *ip;        /* the peer's address, or "" */
  long long date;        /* when the request was sent (UTC seconds) */
  const char *refers_id; /* for a 304: the earlier record's WARC-Record-ID */
  const char *refers_date;
  const char *refers_digest;
};

struct sheaf_engine;
typedef void (*sheaf_engine_done_fn)(const struct sheaf_engine_result *res,
                                     void *userdata);

/* A new engine. `allowed` lists hosts (as sheaf_net_url_host gives them)
 * that may have restricted addresses: those the user named. `history` (may
 * be NULL; borrowed) gives the validators of URLs earlier runs stored. */
struct sheaf_history;
struct sheaf_engine *sheaf_engine_new(const sheaf_fetch_options *fopt,
                                      const char *const *allowed, size_t nallowed,
                                      const struct sheaf_history *history,
                                      sheaf_diag *diag, sheaf_engine_done_fn done,
                                      void *userdata, sheaf_status *status);
void sheaf_engine_free(struct sheaf_engine *h);
/* Queues a GET of `url` (copied) unless the same URL was queued before.
 * Conditional headers are sent when `etag` or `last_modified` is given (or
 * else the history has them)
 * (copied; either may be NULL), with the refers_* fields returned on a
 * 304. Returns SHEAF_OK or SHEAF_ERR_NOMEM; `*queued` false for a repeat. */
sheaf_status sheaf_engine_add(struct sheaf_engine *h, const char *url,
                              enum sheaf_fetch_kind kind, void *ctx, const char *etag,
                              const char *last_modified, const char *refers_id,
                              const char *refers_date, const char *refers_digest,
                              bool *queued);
/* Runs transfers until the queue is empty, calling `done` for each. New
 * URLs may be added from `done`. Returns SHEAF_OK, or the first failure
 * that stops the run (SHEAF_ERR_CANCELLED, SHEAF_ERR_LIMIT, NOMEM). */
sheaf_status sheaf_engine_run(struct sheaf_engine *h, const sheaf_options *opt);
/* Counts so far. */
const sheaf_fetch_stats *sheaf_engine_stats(const struct sheaf_engine *h);
sheaf_fetch_stats *sheaf_engine_stats_mut(struct sheaf_engine *h);
/* Looks up response header `name` in a raw head; returns a new trimmed
 * value or NULL. */
char *sheaf_engine_header(const char *head, size_t n, const char *name);
/* Reads the body of `res` into memory with src/warc's HTTP decoder (the
 * same one builds use): chunked transfer coding and gzip, deflate or br
 * content coding undone, at most `max` bytes after decoding. Returns
 * SHEAF_OK, SHEAF_ERR_LIMIT, SHEAF_ERR_PARSE (corrupt; with a warning in
 * `diag`), SHEAF_ERR_IO or SHEAF_ERR_NOMEM. */
sheaf_status sheaf_engine_body(const struct sheaf_engine_result *res, size_t max,
                               char **out, size_t *outlen, sheaf_diag *diag);

/* ---- archive.c: the new WARC file and the earlier ones ------------------ */

struct sheaf_archive;
/* Opens a new capture file in `dir` (created when missing) under a
 * temporary name and writes its warcinfo record. NULL with *status set
 * (SHEAF_ERR_WRITE with an error in `diag`). */
struct sheaf_archive *sheaf_archive_open(const char *dir, long long start,
                                         const char *command_line, sheaf_diag *diag,
                                         sheaf_status *status);
/* Writes the request and response (or, for a 304 with refers_id, revisit)
 * records of one exchange. */
sheaf_status sheaf_archive_exchange(struct sheaf_archive *a,
                                    const struct sheaf_engine_result *res,
                                    sheaf_diag *diag);
/* The path the file gets (or got) when kept. Borrowed. */
const char *sheaf_archive_name(const struct sheaf_archive *a);
size_t sheaf_archive_records(const struct sheaf_archive *a);
/* With `keep`, syncs the file and gives it its final name (never replacing
 * a file); else removes it. Frees `a` either way. */
sheaf_status sheaf_archive_close(struct sheaf_archive *a, bool keep, sheaf_diag *diag);

struct sheaf_history;
/* Reads the 200 responses of every earlier .warc(.gz) file in `dir`, in
 * name order (a missing folder has none). NULL only when out of memory. */
struct sheaf_history *sheaf_history_load(const char *dir, sheaf_diag *diag,
                                         sheaf_status *status);
void sheaf_history_free(struct sheaf_history *hs);
size_t sheaf_history_count(const struct sheaf_history *hs);
/* The newest earlier 200 response for `url`: its validators (either may be
 * NULL), record id, WARC-Date and payload digest, all borrowed. */
bool sheaf_history_get(const struct sheaf_history *hs, const char *url, const char **etag,
                       const char **lastmod, const char **id, const char **date,
                       const char **digest);
/* The decoded body of that response, at most `max` bytes: a new buffer
 * (sheaf_free) in *out. */
sheaf_status sheaf_history_body(const struct sheaf_history *hs, const char *url,
                                size_t max, char **out, size_t *outlen, sheaf_diag *diag);

#endif
