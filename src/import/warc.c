/*
 * This file contains the import of web archives: WARC files (.warc,
 * .warc.gz), WACZ packages (a zip with WARC files under archive/) and archive
 * folders (the output of `sheaf fetch`: one .warc.gz per run, read in name
 * order as one archive). Feed responses become inputs of the feed readers,
 * named by their URL; HTML pages become articles when they are one (a feed
 * item's page, or a page that says it is an article), and then stand in
 * for the feed's excerpt-only item; images and redirects go to the
 * collection's resources for layout. Only 200 responses are used;
 * revisits resolve to the records they point at. Nothing touches the
 * network.
 */
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/hash.h>
#include <libxml/uri.h>
#include <zip.h>
#include <zlib.h>

#include "import/import.h"
#include "warc/warc.h"

/* One WARC stream: a file, or a member of a WACZ package. */
struct stream {
  char *path;   /* the file */
  char *member; /* the zip entry, or NULL */
  char *name;   /* for messages: path, or path/member */
};

/* An HTML page response, imported in the second pass when it proves to be
 * an article. */
struct page {
  size_t stream, ordinal; /* which record of which stream */
};

struct arc {
  struct sheaf_collection *coll;
  const sheaf_options *opt;
  sheaf_diag *diag;
  struct stream *streams;
  size_t nstreams, streams_cap;
  xmlHashTablePtr ids; /* record ids seen */
  char **refs;         /* revisits' WARC-Refers-To, checked at the end */
  size_t nrefs, refs_cap;
  struct page *pages;
  size_t npages, pages_cap;
  size_t first_article;  /* the collection's articles before this archive */
  xmlHashTablePtr by_id; /* id -> the archive's latest capture of it */
  xmlHashTablePtr drop;  /* older captures to remove ("%p" of the article) */
  size_t nfeeds, nimages;
};

/* ---- telling archives from other inputs --------------------------------- */

static bool ends_with(const char *s, const char *suffix)
{
  size_t n = strlen(s), k = strlen(suffix);

  return n > k && sheaf_ascii_casecmp(s + n - k, suffix) == 0;
}

bool sheaf_import_archive_name(const char *name)
{
  return ends_with(name, ".warc") || ends_with(name, ".warc.gz") ||
         ends_with(name, ".wacz");
}

static bool member_is_warc(const char *m)
{
  return strncmp(m, "archive/", 8) == 0 &&
         (ends_with(m, ".warc") || ends_with(m, ".warc.gz"));
}

enum sheaf_archive_kind sheaf_import_archive_kind(const char *path)
{
  unsigned char head[512], out[16];
  ssize_t n;
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  struct stat st;

  if (fd < 0)
    return SHEAF_ARCHIVE_NONE;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return SHEAF_ARCHIVE_NONE;
  }
  do
    n = read(fd, head, sizeof head);
  while (n < 0 && errno == EINTR);
  close(fd);
  if (n >= 5 && memcmp(head, "WARC/", 5) == 0)
    return SHEAF_ARCHIVE_WARC;
  if (n >= 2 && head[0] == 0x1f && head[1] == 0x8b) {
    z_stream z;
    int zr;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 15 + 16) != Z_OK)
      return SHEAF_ARCHIVE_NONE;
    z.next_in = head;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = 5;
    zr = inflate(&z, Z_NO_FLUSH);
    inflateEnd(&z);
    if ((zr == Z_OK || zr == Z_STREAM_END) && z.avail_out == 0 &&
        memcmp(out, "WARC/", 5) == 0)
      return SHEAF_ARCHIVE_WARC;
    return SHEAF_ARCHIVE_NONE;
  }
  if (n >= 4 && memcmp(head, "PK\3\4", 4) == 0) {
    int err;
    zip_t *z = zip_open(path, ZIP_RDONLY, &err);
    zip_int64_t i, count;
    bool warc = false;
    if (z == NULL)
      return SHEAF_ARCHIVE_NONE;
    count = zip_get_num_entries(z, 0);
    for (i = 0; i < count && !warc; i++) {
      const char *m = zip_get_name(z, (zip_uint64_t)i, 0);
      warc = m != NULL && member_is_warc(m);
    }
    zip_discard(z);
    return warc ? SHEAF_ARCHIVE_WACZ : SHEAF_ARCHIVE_NONE;
  }
  return SHEAF_ARCHIVE_NONE;
}

/* ---- streams ------------------------------------------------------------- */

static sheaf_status add_stream(struct arc *a, const char *path, const char *member)
{
  struct stream *s;
  struct sheaf_buf name;

  if (!sheaf_grow((void **)&a->streams, &a->streams_cap, a->nstreams + 1,
                  sizeof *a->streams))
    return SHEAF_ERR_NOMEM;
  s = &a->streams[a->nstreams];
  memset(s, 0, sizeof *s);
  sheaf_buf_init(&name, 0);
  sheaf_buf_puts(&name, path);
  if (member != NULL) {
    sheaf_buf_putc(&name, '/');
    sheaf_buf_puts(&name, member);
  }
  s->path = sheaf_strdup(path);
  s->member = member ? sheaf_strdup(member) : NULL;
  s->name = sheaf_buf_detach(&name, NULL);
  if (s->path == NULL || s->name == NULL || (member != NULL && s->member == NULL)) {
    sheaf_free(s->path);
    sheaf_free(s->member);
    sheaf_free(s->name);
    return SHEAF_ERR_NOMEM;
  }
  a->nstreams++;
  return SHEAF_OK;
}

static int cmp_str(const void *x, const void *y)
{
  return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Adds the WARC members of a WACZ package (under archive/), in name order. */
static sheaf_status add_wacz(struct arc *a, const char *path)
{
  int err;
  zip_t *z = zip_open(path, ZIP_RDONLY, &err);
  zip_int64_t i, count;
  char **names = NULL;
  size_t n = 0, cap = 0, k;
  sheaf_status ret = SHEAF_OK;

  if (z == NULL) {
    zip_error_t ze;
    zip_error_init_with_code(&ze, err);
    sheaf_diag_add(a->diag, SHEAF_ERROR, "io", path, 0, 0, "cannot open WACZ package: %s",
                   zip_error_strerror(&ze));
    zip_error_fini(&ze);
    return SHEAF_ERR_IO;
  }
  count = zip_get_num_entries(z, 0);
  for (i = 0; i < count; i++) {
    const char *m = zip_get_name(z, (zip_uint64_t)i, 0);
    if (m == NULL || !member_is_warc(m))
      continue;
    if (!sheaf_grow((void **)&names, &cap, n + 1, sizeof *names) ||
        (names[n] = sheaf_strdup(m)) == NULL) {
      ret = SHEAF_ERR_NOMEM;
      break;
    }
    n++;
  }
  zip_discard(z);
  if (n > 1)
    qsort(names, n, sizeof *names, cmp_str);
  for (k = 0; k < n; k++) {
    if (ret == SHEAF_OK)
      ret = add_stream(a, path, names[k]);
    sheaf_free(names[k]);
  }
  sheaf_free(names);
  return ret;
}

/* An open stream: a file descriptor or a zip member. */
struct open_stream {
  struct sheaf_warc_source src;
  int fd;
  zip_t *zip;
  zip_file_t *zf;
};

static long long zip_read_cb(void *ctx, void *buf, size_t n)
{
  struct open_stream *o = ctx;
  zip_int64_t k = zip_fread(o->zf, buf, n);

  if (k < 0)
    errno = EIO;
  return (long long)k;
}

static long long fd_read_cb(void *ctx, void *buf, size_t n)
{
  struct open_stream *o = ctx;
  ssize_t k;

  do
    k = read(o->fd, buf, n);
  while (k < 0 && errno == EINTR);
  return (long long)k;
}

static sheaf_status stream_open(struct arc *a, const struct stream *s,
                                struct open_stream *o)
{
  memset(o, 0, sizeof *o);
  o->fd = -1;
  o->src.ctx = o;
  if (s->member != NULL) {
    int err;
    o->zip = zip_open(s->path, ZIP_RDONLY, &err);
    o->zf = o->zip ? zip_fopen(o->zip, s->member, 0) : NULL;
    if (o->zf == NULL) {
      sheaf_diag_add(a->diag, SHEAF_ERROR, "io", s->name, 0, 0,
                     "cannot read this member of the WACZ package");
      if (o->zip)
        zip_discard(o->zip);
      o->zip = NULL;
      return SHEAF_ERR_IO;
    }
    o->src.read = zip_read_cb;
    return SHEAF_OK;
  }
  o->fd = open(s->path, O_RDONLY | O_CLOEXEC);
  if (o->fd < 0) {
    sheaf_diag_add(a->diag, SHEAF_ERROR, "io", s->path, 0, 0, "cannot read: %s",
                   strerror(errno));
    return SHEAF_ERR_IO;
  }
  o->src.read = fd_read_cb;
  return SHEAF_OK;
}

static void stream_close(struct open_stream *o)
{
  if (o->zf)
    zip_fclose(o->zf);
  if (o->zip)
    zip_discard(o->zip);
  if (o->fd >= 0)
    close(o->fd);
}

/* ---- one response -------------------------------------------------------- */

static size_t max_input(const struct arc *a)
{
  return SHEAF_LIMIT(a->opt, max_input_size, SHEAF_DEFAULT_MAX_INPUT_SIZE);
}

/* The media type of a Content-Type value, lowercased, into out. */
static void media_type(struct sheaf_str v, char out[64])
{
  size_t i, n = strcspn(v.p, ";");

  if (n > v.n)
    n = v.n;
  while (n > 0 && (v.p[n - 1] == ' ' || v.p[n - 1] == '\t'))
    n--;
  if (n > 63)
    n = 63;
  for (i = 0; i < n; i++)
    out[i] = (char)(v.p[i] >= 'A' && v.p[i] <= 'Z' ? v.p[i] + 32 : v.p[i]);
  out[n] = '\0';
}

static bool is_image_bytes(const unsigned char *p, size_t n)
{
  return (n >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff) ||
         (n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0) ||
         (n >= 6 && (memcmp(p, "GIF87a", 6) == 0 || memcmp(p, "GIF89a", 6) == 0)) ||
         (n >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0);
}

/* Imports a body named by a URL through the import stage's one path; the
 * input takes the buffer over (`body` is left empty). */
static sheaf_status import_bytes(struct arc *a, const char *url, struct sheaf_buf *body,
                                 sheaf_diag *diag)
{
  struct sheaf_input in;
  sheaf_status ret;
  size_t len;
  char *data = sheaf_buf_detach(body, &len);

  if (data == NULL)
    return SHEAF_ERR_NOMEM;
  sheaf_input_adopt(&in, url, data, len);
  ret = sheaf_import_input(a->coll, &in, a->opt, diag);
  sheaf_input_fini(&in);
  return ret;
}

enum kind { K_NONE, K_FEED, K_PAGE, K_IMAGE };

static enum kind classify(const char *mt, const char *body, size_t len)
{
  const char *what;
  enum sheaf_format f;

  if (strncmp(mt, "image/", 6) == 0 || is_image_bytes((const unsigned char *)body, len))
    return K_IMAGE;
  if (strcmp(mt, "text/html") == 0 || strcmp(mt, "application/xhtml+xml") == 0)
    return K_PAGE;
  if (strcmp(mt, "text/css") == 0 || strstr(mt, "javascript") != NULL ||
      strcmp(mt, "application/json") == 0)
    return K_NONE;
  /* Feeds are served as rss+xml, atom+xml, text/xml, application/xml, or
   * text/plain: the content decides, as for files. */
  f = sheaf_import_sniff(body, len, &what);
  if (f == SHEAF_FORMAT_RSS || f == SHEAF_FORMAT_ATOM)
    return K_FEED;
  return K_NONE;
}

/* Reads the current record's block and undoes its HTTP codings. Sets *resp
 * and fills `body`; returns SHEAF_OK with resp->status 0 when the record
 * is not to be used (a warning says why when something was lost). */
static sheaf_status http_body(struct arc *a, struct sheaf_warc_reader *r,
                              const struct sheaf_warc_header *h, const char *name,
                              struct sheaf_buf *blk, struct sheaf_http_response *resp,
                              struct sheaf_buf *body, char mt[64])
{
  const char *why = NULL;
  bool partial = false;
  sheaf_status ret;

  resp->status = 0;
  if (h->content_length > max_input(a)) {
    char sz[32];
    sheaf_diag_add(a->diag, SHEAF_WARNING, "limit", name, 0, 0,
                   "at offset %llu: %s: a response larger than %s (--max-input-size), "
                   "skipped",
                   (unsigned long long)h->offset, h->target_uri,
                   sheaf_size_str(max_input(a), sz));
    return SHEAF_OK;
  }
  sheaf_buf_reset(blk);
  blk->failed = false;
  if ((ret = sheaf_warc_reader_load(r, blk, a->diag)) != SHEAF_OK)
    return ret;
  if (sheaf_warc_reader_truncated(r))
    return SHEAF_OK;
  if (sheaf_http_parse_response(blk->ptr, blk->len, resp, &why) != SHEAF_OK) {
    sheaf_diag_add(a->diag, SHEAF_WARNING, "warc", name, 0, 0,
                   "at offset %llu: %s: %s; skipped", (unsigned long long)h->offset,
                   h->target_uri, why ? why : "not an HTTP response");
    resp->status = 0;
    return SHEAF_OK;
  }
  mt[0] = '\0';
  if (resp->status != 200)
    return SHEAF_OK; /* only 200 responses have a body sheaf uses */
  {
    struct sheaf_str ct = {"", 0};
    sheaf_http_header_get(resp, "Content-Type", &ct);
    media_type(ct, mt);
  }
  sheaf_buf_reset(body);
  body->failed = false;
  {
    struct sheaf_str te, ce;
    if (!sheaf_http_header_get(resp, "Transfer-Encoding", &te) &&
        (!sheaf_http_header_get(resp, "Content-Encoding", &ce) || ce.n == 0 ||
         sheaf_str_ieq(ce, "identity")) &&
        blk->len - resp->body_off <= max_input(a)) {
      /* No coding to undo: the block becomes the body without a copy
       * (resp's views into the block are stale from here on). */
      struct sheaf_buf t = *blk;
      size_t n = blk->len - resp->body_off, bmax = body->max;
      memmove(t.ptr, t.ptr + resp->body_off, n);
      t.len = n;
      t.ptr[n] = '\0';
      *blk = *body;
      blk->max = t.max;
      *body = t;
      body->max = bmax;
      return SHEAF_OK;
    }
  }
  ret = sheaf_http_decode_body(resp, blk->ptr, blk->len, body, &partial, &why);
  if (ret == SHEAF_ERR_NOMEM)
    return ret;
  if (ret != SHEAF_OK) {
    sheaf_diag_add(a->diag, SHEAF_WARNING, "warc", name, 0, 0,
                   "at offset %llu: %s: %s; skipped", (unsigned long long)h->offset,
                   h->target_uri, why ? why : "cannot decode the body");
    resp->status = 0;
  } else if (partial) {
    sheaf_diag_add(
        a->diag, SHEAF_WARNING, "warc", name, 0, 0,
        "at offset %llu: %s: the HTTP body is cut short; what is there is used",
        (unsigned long long)h->offset, h->target_uri);
  }
  return SHEAF_OK;
}

static bool http_uri(const char *u)
{
  return u != NULL &&
         (sheaf_starts_with_ci(u, "http://") || sheaf_starts_with_ci(u, "https://"));
}

static sheaf_status redirect(struct arc *a, const struct sheaf_warc_header *h,
                             const struct sheaf_http_response *resp)
{
  struct sheaf_str loc;
  char *l;
  xmlChar *abs;
  sheaf_status ret = SHEAF_OK;

  if (!sheaf_http_header_get(resp, "Location", &loc) || loc.n == 0)
    return SHEAF_OK;
  if ((l = sheaf_strndup(loc.p, loc.n)) == NULL)
    return SHEAF_ERR_NOMEM;
  abs = xmlBuildURI(BAD_CAST l, BAD_CAST h->target_uri);
  if (abs != NULL && http_uri((const char *)abs))
    ret = sheaf_resources_redirect(a->coll, h->target_uri, (const char *)abs, h->date);
  if (abs)
    xmlFree(abs);
  sheaf_free(l);
  return ret;
}

static sheaf_status remember_ref(struct arc *a, const char *ref)
{
  char *c;

  if (ref == NULL)
    return SHEAF_OK;
  if (!sheaf_grow((void **)&a->refs, &a->refs_cap, a->nrefs + 1, sizeof *a->refs) ||
      (c = sheaf_strdup(ref)) == NULL)
    return SHEAF_ERR_NOMEM;
  a->refs[a->nrefs++] = c;
  return SHEAF_OK;
}

static int64_t newest_time(const struct sheaf_article *x)
{
  if (x->updated != SHEAF_TIME_UNKNOWN &&
      (x->published == SHEAF_TIME_UNKNOWN || x->updated > x->published))
    return x->updated;
  return x->published;
}

/* The articles a capture added from index `before` replace the archive's
 * earlier captures of the same article (same id) unless those say they
 * were updated later: records are read in capture order, so on a tie the
 * newest capture wins (select's merge, across inputs, keeps the first). */
static sheaf_status supersede(struct arc *a, size_t before)
{
  size_t k;

  for (k = before; k < a->coll->narticles; k++) {
    struct sheaf_article *x = a->coll->articles[k], *old;
    char key[32];
    old = xmlHashLookup(a->by_id, BAD_CAST x->id);
    if (old != NULL) {
      struct sheaf_article *loser = newest_time(x) >= newest_time(old) ? old : x;
      snprintf(key, sizeof key, "%p", (void *)loser);
      if (xmlHashLookup(a->drop, BAD_CAST key) == NULL &&
          xmlHashAddEntry(a->drop, BAD_CAST key, loser) != 0)
        return SHEAF_ERR_NOMEM;
      if (loser == x)
        continue;
    }
    if (xmlHashUpdateEntry(a->by_id, BAD_CAST x->id, x, NULL) != 0)
      return SHEAF_ERR_NOMEM;
  }
  return SHEAF_OK;
}

/* Removes the superseded captures from the collection, in one pass. */
static void drop_superseded(struct arc *a)
{
  struct sheaf_collection *c = a->coll;
  size_t i, o = a->first_article;

  if (xmlHashSize(a->drop) <= 0)
    return;
  for (i = a->first_article; i < c->narticles; i++) {
    char key[32];
    snprintf(key, sizeof key, "%p", (void *)c->articles[i]);
    if (xmlHashLookup(a->drop, BAD_CAST key) != NULL)
      sheaf_article_free(c->articles[i]);
    else
      c->articles[o++] = c->articles[i];
  }
  c->narticles = o;
  xmlHashFree(a->drop, NULL);
  a->drop = xmlHashCreate(16);
}

/* ---- the two passes ----------------------------------------------------- */

/* Pass 1: feeds are imported, images and redirects kept, record ids and
 * revisits noted, HTML pages listed for pass 2. */
static sheaf_status pass_one(struct arc *a, size_t si)
{
  const struct stream *s = &a->streams[si];
  struct sheaf_warc_limits lim = {0};
  struct sheaf_warc_reader *r = NULL;
  struct sheaf_buf blk, body;
  struct open_stream o;
  size_t ordinal;
  sheaf_status ret;

  if ((ret = stream_open(a, s, &o)) != SHEAF_OK)
    return ret;
  lim.max_size = max_input(a);
  sheaf_buf_init(&blk, 0);
  sheaf_buf_init(&body, max_input(a));
  r = sheaf_warc_reader_new(&o.src, s->name, &lim, &ret);
  for (ordinal = 0; r != NULL; ordinal++) {
    struct sheaf_warc_header h;
    struct sheaf_http_response resp = {0};
    bool eof;
    char mt[64];
    if ((ret = sheaf_warc_reader_next(r, &h, &eof, a->diag)) != SHEAF_OK || eof)
      break;
    if (h.record_id != NULL &&
        xmlHashAddEntry(a->ids, BAD_CAST h.record_id, (void *)1) == -1 &&
        xmlHashLookup(a->ids, BAD_CAST h.record_id) == NULL) {
      ret = SHEAF_ERR_NOMEM;
      break;
    }
    if (h.type == SHEAF_WARC_REVISIT && http_uri(h.target_uri)) {
      if ((ret = remember_ref(a, h.refers_to)) != SHEAF_OK)
        break;
      /* Another URL with the same payload: found under the one it names. */
      if (h.refers_to_target != NULL && strcmp(h.refers_to_target, h.target_uri) != 0 &&
          (ret = sheaf_resources_redirect(a->coll, h.target_uri, h.refers_to_target,
                                          h.date)) != SHEAF_OK)
        break;
      continue;
    }
    if (h.type != SHEAF_WARC_RESPONSE || !http_uri(h.target_uri) ||
        h.content_type == NULL ||
        !sheaf_starts_with_ci(h.content_type, "application/http"))
      continue;
    ret = http_body(a, r, &h, s->name, &blk, &resp, &body, mt);
    if (ret != SHEAF_OK) {
      sheaf_http_response_fini(&resp);
      break;
    }
    if (resp.status >= 300 && resp.status < 400 && resp.status != 304) {
      ret = redirect(a, &h, &resp);
    } else if (resp.status == 200) {
      switch (classify(mt, body.ptr, body.len)) {
      case K_IMAGE:
        ret = sheaf_resources_add(a->coll, h.target_uri, body.ptr, body.len, h.date);
        if (ret == SHEAF_ERR_WRITE)
          sheaf_diag_add(a->diag, SHEAF_ERROR, "write", NULL, 0, 0,
                         "cannot write the temporary file of archived images (in "
                         "$TMPDIR, else /tmp): %s",
                         strerror(errno));
        a->nimages++;
        break;
      case K_FEED: {
        size_t before = a->coll->narticles;
        ret = import_bytes(a, h.target_uri, &body, a->diag);
        if (ret == SHEAF_OK)
          ret = supersede(a, before);
        a->nfeeds++;
        break;
      }
      case K_PAGE:
        if (sheaf_grow((void **)&a->pages, &a->pages_cap, a->npages + 1,
                       sizeof *a->pages)) {
          a->pages[a->npages].stream = si;
          a->pages[a->npages].ordinal = ordinal;
          a->npages++;
        } else {
          ret = SHEAF_ERR_NOMEM;
        }
        break;
      default:
        break;
      }
    }
    sheaf_http_response_fini(&resp);
    if (ret != SHEAF_OK)
      break;
  }
  sheaf_warc_reader_free(r);
  sheaf_buf_fini(&blk);
  sheaf_buf_fini(&body);
  stream_close(&o);
  return ret;
}

/* Whether an HTML page says it is an article (Open Graph or article:
 * metadata), looked for in its head only. */
static bool says_article(const char *p, size_t n)
{
  const char *end = p + n, *head_end;
  static const char *const marks[] = {
      "article:published_time", "og:type\" content=\"article",
      "og:type' content='article", "og:type\" content=\"blogposting"};
  size_t i;

  head_end = NULL;
  for (const char *q = p; q + 6 <= end; q++) {
    q = memchr(q, '<', (size_t)(end - q));
    if (q == NULL || q + 6 > end)
      break;
    if (sheaf_starts_with_ci(q, "</head") || sheaf_starts_with_ci(q, "<body")) {
      head_end = q;
      break;
    }
  }
  if (head_end == NULL)
    head_end = end;
  for (i = 0; i < sizeof marks / sizeof marks[0]; i++) {
    size_t k = strlen(marks[i]);
    const char *q;
    for (q = p; q + k <= head_end; q++) {
      q = memchr(q, marks[i][0], (size_t)(head_end - q));
      if (q == NULL || q + k > head_end)
        break;
      if (sheaf_starts_with_ci(q, marks[i]))
        return true;
    }
  }
  return false;
}

/* Whether `url` is a listing of posts (WordPress's /tag/SLUG/,
 * /category/SLUG/, /page/N/, ?paged=N), whatever its page says. */
static bool listing(const char *url)
{
  struct sheaf_tag *t = sheaf_import_archive_tag(url, NULL);

  if (t != NULL) {
    sheaf_free(t->name);
    sheaf_free(t->slug);
    sheaf_free(t);
    return true;
  }
  return strstr(url, "/page/") != NULL || strstr(url, "paged=") != NULL;
}

/* The feed article (from this archive) whose link is `url`, or NULL. */
static struct sheaf_article *feed_item(struct arc *a, xmlHashTablePtr links,
                                       const char *url)
{
  uintptr_t k = (uintptr_t)xmlHashLookup(links, BAD_CAST url);

  return k ? a->coll->articles[k - 1] : NULL;
}

/* The page article `p` stands in for the feed's item `item`: it takes the
 * item's identity, feed, dates, authors and tags, and the item goes. */
static sheaf_status stand_in(struct arc *a, size_t pi, size_t ii)
{
  struct sheaf_collection *c = a->coll;
  struct sheaf_article *p = c->articles[pi], *item = c->articles[ii];
  size_t i;

  /* Its fields are replaced below: they must be its own. */
  if (!sheaf_article_unpack(p))
    return SHEAF_ERR_NOMEM;
  for (i = 0; i < item->ntags; i++)
    if (!sheaf_article_add_tag(p, item->tags[i].name, item->tags[i].slug,
                               item->tags[i].kind))
      return SHEAF_ERR_NOMEM;
  if (p->nauthors == 0)
    for (i = 0; i < item->nauthors; i++)
      if (!sheaf_article_add_author(p, item->authors[i]))
        return SHEAF_ERR_NOMEM;
  if (item->published != SHEAF_TIME_UNKNOWN) {
    p->published = item->published;
    p->pub_offset = item->pub_offset;
  }
  if (item->updated != SHEAF_TIME_UNKNOWN)
    p->updated = item->updated;
  if (item->title && *item->title) {
    char *t = sheaf_strdup(item->title);
    if (!t)
      return SHEAF_ERR_NOMEM;
    sheaf_free(p->title);
    p->title = t;
  }
  if (item->guid) {
    char *g = sheaf_strdup(item->guid), *id = sheaf_strdup(item->id);
    if (!g || !id) {
      sheaf_free(g);
      sheaf_free(id);
      return SHEAF_ERR_NOMEM;
    }
    sheaf_free(p->guid);
    sheaf_free(p->id);
    p->guid = g;
    p->id = id;
  }
  if (!p->language && item->language)
    p->language = sheaf_strdup(item->language);
  p->feed = item->feed;
  p->order = item->order;
  /* The item leaves the collection; later ones move up. */
  sheaf_article_free(item);
  memmove(&c->articles[ii], &c->articles[ii + 1],
          (c->narticles - ii - 1) * sizeof *c->articles);
  c->narticles--;
  return SHEAF_OK;
}

/* Pass 2: the listed HTML pages of one stream that are articles. */
static sheaf_status pass_two(struct arc *a, size_t si, size_t *pi, xmlHashTablePtr links)
{
  const struct stream *s = &a->streams[si];
  struct sheaf_warc_limits lim = {0};
  struct sheaf_warc_reader *r;
  struct sheaf_buf blk, body;
  struct open_stream o;
  size_t ordinal;
  sheaf_status ret;

  if ((ret = stream_open(a, s, &o)) != SHEAF_OK)
    return ret;
  lim.max_size = max_input(a);
  sheaf_buf_init(&blk, 0);
  sheaf_buf_init(&body, max_input(a));
  r = sheaf_warc_reader_new(&o.src, s->name, &lim, &ret);
  /* Warnings about the stream were given in pass 1. */
  {
    sheaf_diag *quiet = sheaf_diag_new();
    for (ordinal = 0; r != NULL && *pi < a->npages && a->pages[*pi].stream == si;
         ordinal++) {
      struct sheaf_warc_header h;
      struct sheaf_http_response resp = {0};
      struct sheaf_article *item;
      bool eof;
      if ((ret = sheaf_warc_reader_next(r, &h, &eof, quiet)) != SHEAF_OK || eof)
        break;
      if (ordinal != a->pages[*pi].ordinal)
        continue;
      (*pi)++;
      char mt[64];
      int status;
      ret = http_body(a, r, &h, s->name, &blk, &resp, &body, mt);
      status = resp.status;
      sheaf_http_response_fini(&resp);
      if (ret != SHEAF_OK)
        break;
      if (status != 200)
        continue;
      item = feed_item(a, links, h.target_uri);
      if (item == NULL && (listing(h.target_uri) || !says_article(body.ptr, body.len)))
        continue; /* an index, a tag page, a home page */
      if (item != NULL && (item->has_body || item->body != NULL))
        continue; /* the feed holds the whole text already */
      {
        size_t before = a->coll->narticles, k;
        sheaf_diag *d = item != NULL ? sheaf_diag_new() : a->diag;
        if (d == NULL) {
          ret = SHEAF_ERR_NOMEM;
          break;
        }
        ret = import_bytes(a, h.target_uri, &body, d);
        if (d != a->diag) {
          /* The page takes the feed item's date: no warning about its own. */
          for (k = 0; k < sheaf_diag_count(d); k++) {
            const sheaf_diag_entry *e = sheaf_diag_get(d, k);
            if (strcmp(e->code, "no-date") != 0)
              sheaf_diag_add(a->diag, e->severity, e->code, e->file, e->line, e->column,
                             "%s", e->message);
          }
          sheaf_diag_free(d);
        }
        if (ret != SHEAF_OK)
          break;
        /* A page is known by the URL it was fetched from. */
        for (k = before; k < a->coll->narticles; k++)
          if (a->coll->articles[k]->link == NULL &&
              (!sheaf_article_unpack(a->coll->articles[k]) ||
               (a->coll->articles[k]->link = sheaf_strdup(h.target_uri)) == NULL))
            ret = SHEAF_ERR_NOMEM;
        if (ret != SHEAF_OK)
          break;
        if (item != NULL && a->coll->narticles == before + 1) {
          for (k = a->first_article; k < before && a->coll->articles[k] != item; k++)
            ;
          if (k < before) {
            xmlHashRemoveEntry(links, BAD_CAST h.target_uri, NULL);
            if ((ret = stand_in(a, before, k)) != SHEAF_OK)
              break;
            /* Indexes after k moved up by one. */
            for (size_t j = a->first_article; j < a->coll->narticles; j++) {
              const char *l = a->coll->articles[j]->link;
              if (l && (uintptr_t)xmlHashLookup(links, BAD_CAST l) == j + 2)
                xmlHashUpdateEntry(links, BAD_CAST l, (void *)(uintptr_t)(j + 1), NULL);
            }
          }
        }
      }
    }
    sheaf_diag_free(quiet);
  }
  sheaf_warc_reader_free(r);
  sheaf_buf_fini(&blk);
  sheaf_buf_fini(&body);
  stream_close(&o);
  return ret;
}

static void free_arc(struct arc *a)
{
  size_t i;

  for (i = 0; i < a->nstreams; i++) {
    sheaf_free(a->streams[i].path);
    sheaf_free(a->streams[i].member);
    sheaf_free(a->streams[i].name);
  }
  sheaf_free(a->streams);
  for (i = 0; i < a->nrefs; i++)
    sheaf_free(a->refs[i]);
  sheaf_free(a->refs);
  sheaf_free(a->pages);
  if (a->ids)
    xmlHashFree(a->ids, NULL);
  if (a->by_id)
    xmlHashFree(a->by_id, NULL);
  if (a->drop)
    xmlHashFree(a->drop, NULL);
}

sheaf_status sheaf_import_archives(struct sheaf_collection *coll,
                                   const char *const *paths, size_t npaths,
                                   const sheaf_options *opt, sheaf_diag *diag)
{
  struct arc a;
  xmlHashTablePtr links = NULL;
  sheaf_status ret = SHEAF_OK;
  size_t i, pi = 0;
  /* The passes below read and rewrite the feed items' links, guids and
   * titles, which spooling would move to disk (spilled): the articles are
   * spooled once the archive is read. */
  bool spool = coll->spool_bodies;

  coll->spool_bodies = false;
  memset(&a, 0, sizeof a);
  a.coll = coll;
  a.opt = opt;
  a.diag = diag;
  a.first_article = coll->narticles;
  a.ids = xmlHashCreate(256);
  a.by_id = xmlHashCreate(256);
  a.drop = xmlHashCreate(16);
  if (a.ids == NULL || a.by_id == NULL || a.drop == NULL) {
    free_arc(&a);
    coll->spool_bodies = spool;
    return SHEAF_ERR_NOMEM;
  }
  for (i = 0; i < npaths && ret == SHEAF_OK; i++)
    ret = sheaf_import_archive_kind(paths[i]) == SHEAF_ARCHIVE_WACZ
              ? add_wacz(&a, paths[i])
              : add_stream(&a, paths[i], NULL);
  for (i = 0; i < a.nstreams && ret == SHEAF_OK; i++)
    ret = pass_one(&a, i);
  if (ret == SHEAF_OK)
    drop_superseded(&a);
  if (ret == SHEAF_OK && a.npages > 0) {
    links = xmlHashCreate(256);
    if (links == NULL)
      ret = SHEAF_ERR_NOMEM;
    for (i = a.first_article; ret == SHEAF_OK && i < coll->narticles; i++) {
      const char *l = coll->articles[i]->link;
      if (l != NULL && xmlHashLookup(links, BAD_CAST l) == NULL &&
          xmlHashAddEntry(links, BAD_CAST l, (void *)(uintptr_t)(i + 1)) != 0)
        ret = SHEAF_ERR_NOMEM;
    }
    for (i = 0; i < a.nstreams && ret == SHEAF_OK; i++)
      ret = pass_two(&a, i, &pi, links);
  }
  for (i = 0; i < a.nrefs && ret == SHEAF_OK; i++)
    if (xmlHashLookup(a.ids, BAD_CAST a.refs[i]) == NULL)
      sheaf_diag_add(
          diag, SHEAF_WARNING, "warc", a.nstreams ? a.streams[0].name : NULL, 0, 0,
          "a revisit record refers to %s, which is not in the archive: read the "
          "earlier WARC files of the capture too",
          a.refs[i]);
  if (ret == SHEAF_OK && coll->narticles == a.first_article)
    sheaf_diag_add(diag, SHEAF_WARNING, "warc", a.nstreams ? a.streams[0].name : NULL, 0,
                   0,
                   "no feed and no article page among the archive's responses (%zu "
                   "image%s)",
                   a.nimages, a.nimages == 1 ? "" : "s");
  if (links)
    xmlHashFree(links, NULL);
  coll->spool_bodies = spool;
  for (i = a.first_article; ret == SHEAF_OK && i < coll->narticles; i++)
    if (!sheaf_collection_spool_article(coll, coll->articles[i])) {
      sheaf_import_spool_failed(diag);
      ret = SHEAF_ERR_WRITE;
    }
  free_arc(&a);
  return ret;
}
