/*
 * This file contains sheaf_fetch(), the capture: from each URL the user
 * named (a feed, or a page announcing one) it reads every page of the feed
 * (RFC 5005 rel="next", else WordPress's ?paged=N, until a page is empty,
 * repeats the one before, or is missing), reads each page with the import
 * stage's own readers, and for every selected article fetches its page when
 * the feed holds only an excerpt and the images its text shows, chosen by
 * the layout stage's own rules. Every exchange goes into the new WARC file
 * as it ends; a resource an earlier run stored is asked for conditionally,
 * and a 304 becomes a revisit record.
 */
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <libxml/hash.h>

#include "fetch/fetch.h"
#include "import/import.h"
#include "layout/layout.h"
#include "select/select.h"

/* One URL the user named, and where its paging has got to. */
struct feedctx {
  char *named;           /* as given */
  char *feed_url;        /* page 1 of the feed, once known */
  size_t page;           /* 0: the named URL itself; else the feed page number */
  bool wordpress;        /* paging by ?paged=N */
  bool ok;               /* a feed was read from it */
  unsigned char sig[20]; /* SHA-1 of the previous page's item ids */
  bool has_sig;
};

/* What a page or image job belongs to. */
struct artctx {
  char *link; /* the article's URL: the base for its images */
};

struct crawl {
  const sheaf_fetch_options *fopt;
  const sheaf_options *opt;
  sheaf_diag *diag;
  struct sheaf_engine *engine;
  struct sheaf_archive *archive; /* NULL in a dry run */
  struct sheaf_history *history;
  struct feedctx *feeds;
  size_t nfeeds;
  struct artctx **arts; /* owned, freed at the end */
  size_t narts, arts_cap;
  xmlHashTablePtr articles; /* article links already handled */
  xmlHashTablePtr listed;   /* dry run: URLs already listed */
  const char *img_base;     /* while scanning an article: its link */
  sheaf_status fatal;
  size_t feed_records; /* usable feed answers stored */
};

#define MAX_DOC ((size_t)32 << 20) /* a feed or page parsed in memory */

static void set_fatal(struct crawl *c, sheaf_status st)
{
  if (st != SHEAF_OK && c->fatal == SHEAF_OK)
    c->fatal = st;
}

/* Queues `url` (or, in a dry run of a page or image, lists it). */
static void want(struct crawl *c, const char *url, enum sheaf_fetch_kind kind, void *ctx)
{
  bool queued;
  sheaf_status st;

  if ((c->fopt->flags & SHEAF_FETCH_DRY_RUN) && kind != SHEAF_KIND_FEED) {
    if (!xmlHashLookup(c->listed, BAD_CAST url)) {
      if (xmlHashAddEntry(c->listed, BAD_CAST url, (void *)1) != 0) {
        set_fatal(c, SHEAF_ERR_NOMEM);
        return;
      }
      if (c->fopt->listed)
        c->fopt->listed(url, kind == SHEAF_KIND_PAGE ? "page" : "image",
                        c->fopt->listed_userdata);
    }
    return;
  }
  st = sheaf_engine_add(c->engine, url, kind, ctx, NULL, NULL, NULL, NULL, NULL, &queued);
  set_fatal(c, st);
  if (queued && kind == SHEAF_KIND_FEED && (c->fopt->flags & SHEAF_FETCH_DRY_RUN) &&
      c->fopt->listed)
    c->fopt->listed(url, "feed", c->fopt->listed_userdata);
}

static struct artctx *art_new(struct crawl *c, const char *link)
{
  struct artctx *a;

  if (!sheaf_grow((void **)&c->arts, &c->arts_cap, c->narts + 1, sizeof *c->arts) ||
      !(a = sheaf_calloc(1, sizeof *a))) {
    set_fatal(c, SHEAF_ERR_NOMEM);
    return NULL;
  }
  if (link && !(a->link = sheaf_strdup(link))) {
    sheaf_free(a);
    set_fatal(c, SHEAF_ERR_NOMEM);
    return NULL;
  }
  c->arts[c->narts++] = a;
  return a;
}

/* ---- images -------------------------------------------------------------------- */

static sheaf_status on_image(void *ud, const struct sheaf_image_cand *cands, size_t n)
{
  struct crawl *c = ud;
  size_t i = sheaf_images_pick(cands, n, c->opt ? c->opt->max_image_width : 0);
  char *url;
  bool nomem = false;

  if (i >= n)
    return SHEAF_OK;
  url = sheaf_net_resolve(cands[i].url, c->img_base, &nomem);
  if (nomem)
    return SHEAF_ERR_NOMEM;
  if (url)
    want(c, url, SHEAF_KIND_IMAGE, NULL);
  sheaf_free(url);
  return c->fatal == SHEAF_ERR_NOMEM ? SHEAF_ERR_NOMEM : SHEAF_OK;
}

/* Runs an article body through the layout's sanitizer with the image hook:
 * exactly the images a book of it would show are queued. */
static void scan_images(struct crawl *c, const char *html, size_t n, const char *base)
{
  struct sheaf_layout_src src;
  struct sheaf_buf out;

  if (!html || !n)
    return;
  memset(&src, 0, sizeof src);
  src.base_url = base;
  src.max_depth = c->opt ? c->opt->max_depth : 0;
  src.on_image = on_image;
  src.on_image_userdata = c;
  c->img_base = base;
  sheaf_buf_init(&out, 0);
  set_fatal(c, sheaf_layout_sanitize(html, n, &src, &out));
  sheaf_buf_fini(&out);
  c->img_base = NULL;
}

/* ---- articles ------------------------------------------------------------------ */

static bool selected(const struct crawl *c, const struct sheaf_article *a)
{
  size_t i;
  bool any = !c->opt || c->opt->ntags == 0;

  for (i = 0; c->opt && i < c->opt->ntags && !any; i++)
    any = sheaf_select_has_tag(a, c->opt->tags[i]);
  for (i = 0; c->opt && any && i < c->opt->nexclude_tags; i++)
    if (sheaf_select_has_tag(a, c->opt->exclude_tags[i]))
      any = false;
  return any;
}

/* Does a summary end the way a cut excerpt does ("[…]", "[...]",
 * "Continue reading")? */
static bool cut(const char *s)
{
  static const char *const marks[] = {
      "[\xE2\x80\xA6]",   "[...]",    "[&#8230;]", "[&hellip;]", "\xE2\x80\xA6",
      "Continue reading", "Read more"};
  size_t n = s ? strlen(s) : 0, i, tail = n > 400 ? n - 400 : 0;

  for (i = 0; i < sizeof marks / sizeof *marks; i++) {
    const char *p = s + tail;
    while ((p = strstr(p, marks[i])) != NULL) {
      if (p + strlen(marks[i]) >= s + n - 40)
        return true;
      p++;
    }
  }
  return false;
}

/* The selected articles of a collection: the page of an excerpt, the
 * images of a full text. */
static void handle_articles(struct crawl *c, struct sheaf_collection *coll, size_t first)
{
  size_t i;

  for (i = first; i < coll->narticles && c->fatal == SHEAF_OK; i++) {
    struct sheaf_article *a = coll->articles[i];
    const char *body = a->body ? a->body : a->summary;
    if (!selected(c, a))
      continue;
    if (a->link) {
      if (xmlHashLookup(c->articles, BAD_CAST a->link))
        continue;
      if (xmlHashAddEntry(c->articles, BAD_CAST a->link, (void *)1) != 0) {
        set_fatal(c, SHEAF_ERR_NOMEM);
        return;
      }
    }
    sheaf_engine_stats_mut(c->engine)->articles++;
    if (!a->body && a->link && (!a->summary || cut(a->summary))) {
      bool nomem;
      char *u = sheaf_net_resolve(a->link, NULL, &nomem);
      struct artctx *ac = u ? art_new(c, u) : NULL;
      if (ac)
        want(c, u, SHEAF_KIND_PAGE, ac);
      if (nomem)
        set_fatal(c, SHEAF_ERR_NOMEM);
      sheaf_free(u);
      continue;
    }
    if (body && a->body_format != SHEAF_BODY_MARKDOWN)
      scan_images(c, body, strlen(body), a->link);
  }
}

/* ---- feeds --------------------------------------------------------------------- */

static void next_page(struct crawl *c, struct feedctx *f, const char *data, size_t n,
                      const char *url)
{
  char *next = sheaf_find_next_link(data, n, url);
  size_t max = c->fopt->max_pages ? c->fopt->max_pages : 100;

  if (f->page >= max) {
    sheaf_free(next);
    if (next || f->wordpress)
      sheaf_diag_add(c->diag, SHEAF_NOTE, "paging", f->named, 0, 0,
                     "stopped after %zu feed pages (--max-pages)", max);
    return;
  }
  if (!next && (f->wordpress || sheaf_find_is_wordpress(data, n))) {
    f->wordpress = true;
    next = sheaf_find_paged(f->feed_url, f->page + 1);
    if (!next)
      set_fatal(c, SHEAF_ERR_NOMEM);
  }
  if (next) {
    f->page++;
    want(c, next, SHEAF_KIND_FEED, f);
  }
  sheaf_free(next);
}

static void feed_in(struct crawl *c, const struct sheaf_engine_result *r,
                    struct feedctx *f, const char *data, size_t n)
{
  const char *what = NULL;
  enum sheaf_format fmt = sheaf_import_sniff(data, n, &what);
  struct sheaf_collection *coll;
  struct sheaf_sha1 h;
  unsigned char sig[20];
  size_t i;
  sheaf_status st;

  if (f->page == 0 && fmt == SHEAF_FORMAT_HTML) {
    bool wp = false;
    char *feed = sheaf_find_feed_link(data, n, r->url, &wp);
    if (!feed) {
      sheaf_diag_add(c->diag, SHEAF_ERROR, "format", f->named, 0, 0,
                     "this page announces no feed (no <link rel=\"alternate\" "
                     "type=\"application/rss+xml\">); give the feed's URL");
      return;
    }
    f->wordpress = wp;
    f->page = 1;
    f->feed_url = feed;
    want(c, feed, SHEAF_KIND_FEED, f);
    return;
  }
  if (f->page == 0) {
    f->page = 1;
    if (!(f->feed_url = sheaf_strdup(r->url))) {
      set_fatal(c, SHEAF_ERR_NOMEM);
      return;
    }
  }
  if (fmt != SHEAF_FORMAT_RSS && fmt != SHEAF_FORMAT_ATOM) {
    if (f->page == 1)
      sheaf_diag_add(c->diag, SHEAF_ERROR, "format", r->url, 0, 0,
                     "this is %s, not a feed", what ? what : "not a feed");
    else
      sheaf_diag_add(c->diag, SHEAF_NOTE, "paging", r->url, 0, 0,
                     "feed page %zu is %s: paging ends", f->page,
                     what ? what : "no feed");
    return;
  }
  if (!(coll = sheaf_collection_new())) {
    set_fatal(c, SHEAF_ERR_NOMEM);
    return;
  }
  /* The build reports what it finds in the feed; the capture only needs
   * its items. */
  st = sheaf_import_memory(coll, r->url, data, n, c->opt, NULL);
  if (st == SHEAF_ERR_NOMEM)
    set_fatal(c, st);
  if (st != SHEAF_OK) {
    sheaf_diag_add(c->diag, f->page > 1 ? SHEAF_WARNING : SHEAF_ERROR, "format", r->url,
                   0, 0, "the feed cannot be read (%s); sheaf build will say why",
                   sheaf_status_str(st));
    sheaf_collection_free(coll);
    return;
  }
  f->ok = true;
  c->feed_records++;
  sheaf_sha1_init(&h);
  for (i = 0; i < coll->narticles; i++)
    sheaf_sha1_update(&h, coll->articles[i]->id, strlen(coll->articles[i]->id) + 1);
  sheaf_sha1_final(&h, sig);
  if (coll->narticles == 0 || (f->has_sig && memcmp(sig, f->sig, 20) == 0)) {
    if (f->page > 1)
      sheaf_diag_add(c->diag, SHEAF_NOTE, "paging", r->url, 0, 0,
                     "feed page %zu is %s: paging ends", f->page,
                     coll->narticles ? "the one before again" : "empty");
    sheaf_collection_free(coll);
    return;
  }
  memcpy(f->sig, sig, 20);
  f->has_sig = true;
  handle_articles(c, coll, 0);
  sheaf_collection_free(coll);
  next_page(c, f, data, n, r->url);
}

static void page_in(struct crawl *c, const struct sheaf_engine_result *r,
                    const struct artctx *a, const char *data, size_t n)
{
  struct sheaf_collection *coll = sheaf_collection_new();
  size_t i;
  sheaf_status st;

  if (!coll) {
    set_fatal(c, SHEAF_ERR_NOMEM);
    return;
  }
  /* The import finds the page's <article> as a build of the archive will. */
  st = sheaf_import_memory(coll, r->url, data, n, c->opt, NULL);
  if (st == SHEAF_ERR_NOMEM)
    set_fatal(c, st);
  for (i = 0; st == SHEAF_OK && i < coll->narticles; i++) {
    const struct sheaf_article *art = coll->articles[i];
    const char *body = art->body ? art->body : art->summary;
    if (body)
      scan_images(c, body, strlen(body), a && a->link ? a->link : r->url);
  }
  sheaf_collection_free(coll);
}

/* ---- each answer ------------------------------------------------------------------ */

static void on_done(const struct sheaf_engine_result *r, void *ud)
{
  struct crawl *c = ud;
  char *data = NULL;
  size_t n = 0;
  sheaf_status st;

  if (c->fatal)
    return;
  if (r->status && c->archive) {
    st = sheaf_archive_exchange(c->archive, r, c->diag);
    if (st != SHEAF_OK) {
      set_fatal(c, st);
      return;
    }
  }
  if (r->interim)
    return; /* recorded; the final answer comes later */
  if (r->kind == SHEAF_KIND_FEED && !r->error && r->status >= 400 && r->ctx) {
    struct feedctx *f = r->ctx;
    if (f->page <= 1 && !f->ok)
      sheaf_diag_add(c->diag, SHEAF_ERROR, "http", r->url, 0, 0,
                     "the feed cannot be read: HTTP %d", r->status);
    else if (r->status == 404 || r->status == 410)
      sheaf_diag_add(c->diag, SHEAF_NOTE, "paging", r->url, 0, 0,
                     "feed page %zu is missing (HTTP %d): paging ends", f->page,
                     r->status);
    return;
  }
  if (r->kind == SHEAF_KIND_FEED && r->error && !r->status && r->ctx) {
    struct feedctx *f = r->ctx;
    if (f->page <= 1 && !f->ok)
      sheaf_diag_add(c->diag, SHEAF_ERROR, "network", f->named, 0, 0,
                     "the feed cannot be read: %s", r->error);
    return;
  }
  if (r->error || (r->status != 200 && r->status != 304))
    return;
  if (r->kind != SHEAF_KIND_FEED && r->kind != SHEAF_KIND_PAGE)
    return;
  if (r->status == 304)
    st = sheaf_history_body(c->history, r->url, MAX_DOC, &data, &n, c->diag);
  else
    st = sheaf_engine_body(r, MAX_DOC, &data, &n, c->diag);
  if (st == SHEAF_ERR_NOMEM) {
    set_fatal(c, st);
    return;
  }
  if (st != SHEAF_OK) {
    sheaf_diag_add(c->diag, SHEAF_WARNING, "http", r->url, 0, 0,
                   "the %s cannot be read (%s)",
                   r->kind == SHEAF_KIND_FEED ? "feed" : "page", sheaf_status_str(st));
    return;
  }
  if (r->kind == SHEAF_KIND_FEED)
    feed_in(c, r, r->ctx, data, n);
  else
    page_in(c, r, r->ctx, data, n);
  sheaf_free(data);
}

/* ---- the entry -------------------------------------------------------------------- */

void sheaf_fetch_options_init_size(sheaf_fetch_options *fopt, size_t size)
{
  sheaf_fetch_options d;

  memset(&d, 0, sizeof d);
  d.size = size;
  d.max_pages = 100;
  d.max_response_size = (size_t)64 << 20;
  d.max_run_size = 4ULL << 30;
  d.connect_timeout_ms = 15000;
  d.stall_timeout_ms = 30000;
  d.max_retries = 3;
  d.max_retry_wait_ms = 120000;
  d.max_connections = 8;
  memcpy(fopt, &d, size < sizeof d ? size : sizeof d);
}

sheaf_status sheaf_fetch(const char *const *urls, size_t nurls, const char *archive,
                         const sheaf_fetch_options *fopt, const sheaf_options *opt,
                         sheaf_diag *diag, sheaf_fetch_stats *stats)
{
  struct crawl c;
  sheaf_fetch_options defaults;
  sheaf_options lopt;
  char **hosts = NULL;
  size_t i, nhosts = 0;
  sheaf_status ret = SHEAF_OK, st;
  bool dry;

  /* What an older caller does not know keeps its default. */
  sheaf_fetch_options_init(&defaults);
  if (fopt && fopt->size > sizeof defaults) {
    sheaf_diag_add(diag, SHEAF_ERROR, "usage", NULL, 0, 0,
                   "sheaf_fetch_options of %zu bytes: this library knows %zu; link a "
                   "newer libsheaf",
                   fopt->size, sizeof defaults);
    return SHEAF_ERR_USAGE;
  }
  if (fopt) {
    size_t n = fopt->size < sizeof defaults ? fopt->size : sizeof defaults;
    memcpy(&defaults, fopt, n);
    defaults.size = sizeof defaults;
  }
  fopt = &defaults;
  dry = (fopt->flags & SHEAF_FETCH_DRY_RUN) != 0;
  if ((st = sheaf_options_resolve(opt, &lopt, diag)) != SHEAF_OK)
    return st;
  opt = &lopt;
  memset(&c, 0, sizeof c);
  c.fopt = fopt;
  c.opt = opt;
  c.diag = diag;
  if (stats)
    memset(stats, 0, sizeof *stats);
  if (!nurls || (!archive && !dry)) {
    sheaf_diag_add(diag, SHEAF_ERROR, "usage", NULL, 0, 0,
                   "give at least one URL and an archive folder");
    return SHEAF_ERR_USAGE;
  }
  if (!(c.feeds = sheaf_calloc(nurls, sizeof *c.feeds)) ||
      !(hosts = sheaf_calloc(nurls, sizeof *hosts)) ||
      !(c.articles = xmlHashCreate(256)) || !(c.listed = xmlHashCreate(64))) {
    ret = SHEAF_ERR_NOMEM;
    goto out;
  }
  /* The hosts named here may be private or loopback addresses (a test
   * server, an intranet blog); hosts found in feeds may not. */
  for (i = 0; i < nurls; i++) {
    char host[256];
    if (!sheaf_net_url_host(urls[i], host, sizeof host)) {
      sheaf_diag_add(diag, SHEAF_ERROR, "usage", urls[i], 0, 0,
                     "not an http or https URL; sheaf fetch reads web feeds and pages");
      ret = SHEAF_ERR_USAGE;
      goto out;
    }
    if (!(hosts[nhosts++] = sheaf_strdup(host)) ||
        !(c.feeds[i].named = sheaf_strdup(urls[i]))) {
      ret = SHEAF_ERR_NOMEM;
      goto out;
    }
    c.nfeeds++;
  }
  if (archive && !(c.history = sheaf_history_load(archive, diag, &st))) {
    ret = st;
    goto out;
  }
  if (!(c.engine = sheaf_engine_new(fopt, (const char *const *)hosts, nhosts, c.history,
                                    diag, on_done, &c, &st))) {
    ret = st;
    goto out;
  }
  if (!dry && !(c.archive = sheaf_archive_open(archive, (long long)time(NULL),
                                               fopt->command_line, diag, &st))) {
    ret = st;
    goto out;
  }
  if (c.history && sheaf_history_count(c.history))
    sheaf_diag_add(diag, SHEAF_NOTE, "incremental", archive, 0, 0,
                   "%zu resources from earlier captures are asked for only if changed",
                   sheaf_history_count(c.history));
  for (i = 0; i < nurls; i++) {
    bool queued;
    st = sheaf_engine_add(c.engine, urls[i], SHEAF_KIND_FEED, &c.feeds[i], NULL, NULL,
                          NULL, NULL, NULL, &queued);
    if (st != SHEAF_OK) {
      ret = st;
      goto out;
    }
  }
  ret = sheaf_engine_run(c.engine, opt);
  if (ret == SHEAF_OK)
    ret = c.fatal;
  for (i = 0; ret == SHEAF_OK && i < nurls; i++)
    if (!c.feeds[i].ok)
      ret = SHEAF_ERR_IO;
out:
  if (c.engine && stats)
    *stats = *sheaf_engine_stats(c.engine);
  if (c.engine && fopt->progress)
    fopt->progress(sheaf_engine_stats(c.engine), 1, fopt->progress_userdata);
  sheaf_engine_free(c.engine);
  if (c.archive) {
    /* What was captured is kept even when a named URL failed, as long as
     * some feed came through; a cancelled or broken run leaves nothing. */
    bool keep = c.feed_records > 0 &&
                (ret == SHEAF_OK || ret == SHEAF_ERR_IO || ret == SHEAF_ERR_LIMIT);
    if (keep)
      sheaf_diag_add(diag, SHEAF_NOTE, "archive", sheaf_archive_name(c.archive), 0, 0,
                     "%zu records written", sheaf_archive_records(c.archive));
    st = sheaf_archive_close(c.archive, keep, diag);
    if (ret == SHEAF_OK)
      ret = st;
  }
  sheaf_history_free(c.history);
  for (i = 0; i < c.narts; i++) {
    sheaf_free(c.arts[i]->link);
    sheaf_free(c.arts[i]);
  }
  sheaf_free(c.arts);
  for (i = 0; c.feeds && i < nurls; i++) {
    sheaf_free(c.feeds[i].named);
    sheaf_free(c.feeds[i].feed_url);
  }
  sheaf_free(c.feeds);
  for (i = 0; i < nhosts; i++)
    sheaf_free(hosts[i]);
  sheaf_free(hosts);
  if (c.articles)
    xmlHashFree(c.articles, NULL);
  if (c.listed)
    xmlHashFree(c.listed, NULL);
  return ret;
}
