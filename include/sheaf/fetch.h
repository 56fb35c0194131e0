/*
 * Capture: sheaf_fetch() downloads a site's feeds (every page of them), the
 * article pages an excerpt-only feed points at and the images the selected
 * articles show, and adds them to an archive folder as one new WARC 1.1 file
 * (ISO 28500). `sheaf build ARCHIVE` then makes books from the folder with
 * no network. This is the only part of sheaf that touches the network.
 *
 * It is polite and careful by default: robots.txt (and its Crawl-delay) is
 * honoured, at most two connections are open to a host, 429 and 503 answers
 * are retried after their Retry-After, only http and https are spoken, and
 * no connection is made to a loopback, private, link-local or multicast
 * address unless the host was one of the URLs the caller named (URLs found
 * in feeds are not trusted).
 */
#ifndef SHEAF_FETCH_H
#define SHEAF_FETCH_H

#include <stddef.h>
#include "sheaf/sheaf_export.h"
#include "sheaf/status.h"
#include "sheaf/diag.h"
#include "sheaf/options.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bits for sheaf_fetch_options.flags. */
#define SHEAF_FETCH_DRY_RUN                                                              \
  (1u << 0) /* fetch robots.txt and the feeds only, write nothing, and report            \
               through `listed` every URL a real run would fetch */

/* What a progress report counts so far. */
typedef struct sheaf_fetch_stats {
  size_t pages;             /* feed pages and article pages answered (any status) */
  size_t images;            /* images answered */
  size_t unchanged;         /* answered 304 Not Modified (stored as revisits) */
  size_t failed;            /* given up on (errors, timeouts, refusals, 4xx/5xx) */
  size_t queued;            /* still to fetch */
  size_t articles;          /* selected articles found in the feeds */
  unsigned long long bytes; /* received over the network, headers included */
} sheaf_fetch_stats;

/* Network settings of a capture. What to select (tags) and how images are
 * chosen (max_image_width) come from the build's sheaf_options, so that a
 * capture holds what the book built from it shows. */
/* ABI: as sheaf_options, the struct only grows at its end, and its first
 * field, `size`, says how much of it the caller knows. */
typedef struct sheaf_fetch_options {
  size_t size;              /* sizeof(sheaf_fetch_options) as the caller was compiled;
                               set by sheaf_fetch_options_init() */
  unsigned flags;           /* SHEAF_FETCH_* bits */
  size_t max_pages;         /* feed pages read per feed URL (page 1 included);
                               default 100 */
  size_t max_response_size; /* bytes of one response body; larger ones are
                               dropped with a warning; default 64 MiB */
  unsigned long long max_run_size; /* bytes of a whole run; beyond it the run
                                      stops with an error; default 4 GiB */
  unsigned connect_timeout_ms;     /* to open a connection; default 15000 */
  unsigned stall_timeout_ms;       /* a transfer that receives nothing for this
                                      long is abandoned; default 30000 */
  unsigned max_retries;            /* of a 429, 503 or a dropped connection;
                                      default 3 */
  unsigned max_retry_wait_ms;      /* longest Retry-After honoured; longer waits
                                      give up; default 120000 */
  unsigned max_connections;        /* in all, over every host; default 8 (at
                                      most 2 per host whatever this says) */
  const char *command_line;        /* recorded in the warcinfo record; may be
                                      NULL */

  /* Called as the capture advances (after each response) and once at the
   * end with `done` set. NULL: no calls. */
  void (*progress)(const sheaf_fetch_stats *stats, int done, void *userdata);
  void *progress_userdata;
  /* With SHEAF_FETCH_DRY_RUN: called once per URL a real run would fetch;
   * `kind` is "feed", "page" or "image". */
  void (*listed)(const char *url, const char *kind, void *userdata);
  void *listed_userdata;
} sheaf_fetch_options;

/** Sets the first `size` bytes of `fopt` to the defaults of the fields they
 *  hold and `fopt->size` to `size`. Call it through
 *  sheaf_fetch_options_init(), which passes the size the caller was
 *  compiled with. */
SHEAF_API void sheaf_fetch_options_init_size(sheaf_fetch_options *fopt, size_t size);
#define sheaf_fetch_options_init(fopt)                                                   \
  sheaf_fetch_options_init_size((fopt), sizeof *(fopt))

/** Captures `urls` (each a feed, or a page announcing one with <link
 *  rel="alternate">) into the folder `archive` (created when missing) as
 *  one new file, sheaf-YYYYMMDDhhmmss-NNNNN.warc.gz, written under a
 *  temporary name and renamed when complete; files already there are
 *  read (for conditional requests) and never changed. From `opt`: tags
 *  (which articles' pages and images to fetch; none: all), max_image_width,
 *  cancel (polled; a cancelled run writes nothing) and the import limits.
 *  Problems with single resources are warnings in `diag`; the run fails
 *  when a named URL cannot be read as a feed (SHEAF_ERR_IO), the folder
 *  cannot be written (SHEAF_ERR_WRITE), a limit is passed (SHEAF_ERR_LIMIT)
 *  or on cancellation (SHEAF_ERR_CANCELLED). `fopt` may be NULL (the
 *  defaults); one whose `size` is larger than this library knows is
 *  SHEAF_ERR_USAGE. `stats` (may be NULL) gets the final counts. */
SHEAF_API sheaf_status sheaf_fetch(const char *const *urls, size_t nurls,
                                   const char *archive, const sheaf_fetch_options *fopt,
                                   const sheaf_options *opt, sheaf_diag *diag,
                                   sheaf_fetch_stats *stats);

#ifdef __cplusplus
}
#endif
#endif
