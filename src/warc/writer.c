/*
 * This file contains the WARC 1.1 writer: each record becomes one gzip
 * member (so a reader can seek to any record, and a capture killed mid-run
 * loses only its last record), with a random UUID record id, a UTC date
 * and SHA-1 block and payload digests in base32, the form wget, Heritrix
 * and warcio write. Blocks come from memory or from a spooled file.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#include "warc/warc.h"

#define CHUNK 65536

struct sheaf_warc_writer {
  int fd;
  char *name;
  uint64_t written;
  const char *filename; /* WARC-Filename while writing a warcinfo record */
  z_stream z;
  bool z_ready;
  unsigned char out[CHUNK];
};

static const char *const type_names[] = {"unknown",  "warcinfo",   "response",
                                         "resource", "request",    "metadata",
                                         "revisit",  "conversion", "continuation"};

const char *sheaf_warc_type_name(enum sheaf_warc_type t)
{
  if ((unsigned)t >= sizeof type_names / sizeof type_names[0])
    return type_names[0];
  return type_names[t];
}

static void random_bytes(unsigned char *p, size_t n)
{
  size_t got = 0;

  while (got < n) {
    ssize_t k = getrandom(p + got, n - got, 0);
    if (k < 0 && errno == EINTR)
      continue;
    if (k <= 0)
      break;
    got += (size_t)k;
  }
  if (got < n) {
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
      ssize_t k = read(fd, p + got, n - got);
      if (k > 0)
        got += (size_t)k;
      close(fd);
    }
  }
  if (got < n) {
    /* Uniqueness, not secrecy, is what an id needs: mix the clock and an
     * address into what is missing. */
    struct timespec ts;
    uint64_t x;
    clock_gettime(CLOCK_REALTIME, &ts);
    x = (uint64_t)ts.tv_sec * 1000000007u ^ (uint64_t)ts.tv_nsec ^ (uint64_t)(uintptr_t)p;
    for (; got < n; got++) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      p[got] = (unsigned char)x;
    }
  }
}

void sheaf_warc_new_id(char out[SHEAF_WARC_ID_SIZE])
{
  static const char hex[] = "0123456789abcdef";
  unsigned char b[16];
  char *o = out;
  unsigned i;

  random_bytes(b, sizeof b);
  b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
  b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* RFC 4122 variant */
  memcpy(o, "<urn:uuid:", 10);
  o += 10;
  for (i = 0; i < 16; i++) {
    if (i == 4 || i == 6 || i == 8 || i == 10)
      *o++ = '-';
    *o++ = hex[b[i] >> 4];
    *o++ = hex[b[i] & 15];
  }
  *o++ = '>';
  *o = '\0';
}

void sheaf_warc_sha1_label(const unsigned char sha1[20], char out[40])
{
  static const char alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  unsigned i;
  char *o = out;

  memcpy(o, "sha1:", 5);
  o += 5;
  /* 20 bytes are 160 bits: exactly 32 base32 digits, no padding. */
  for (i = 0; i < 160; i += 5) {
    unsigned byte = i / 8, bit = i % 8;
    unsigned v = (unsigned)sha1[byte] << 8 | (byte + 1 < 20 ? sha1[byte + 1] : 0);
    *o++ = alpha[(v >> (11 - bit)) & 31];
  }
  *o = '\0';
}

struct sheaf_warc_writer *sheaf_warc_writer_new(int fd, const char *name,
                                                sheaf_status *status)
{
  struct sheaf_warc_writer *w = sheaf_calloc(1, sizeof *w);

  if (w == NULL || (w->name = sheaf_strdup(name ? name : "(warc)")) == NULL) {
    sheaf_free(w);
    *status = SHEAF_ERR_NOMEM;
    return NULL;
  }
  w->fd = fd;
  *status = SHEAF_OK;
  return w;
}

void sheaf_warc_writer_free(struct sheaf_warc_writer *w)
{
  if (w == NULL)
    return;
  if (w->z_ready)
    deflateEnd(&w->z);
  sheaf_free(w->name);
  sheaf_free(w);
}

uint64_t sheaf_warc_writer_size(const struct sheaf_warc_writer *w)
{
  return w->written;
}

/* ---- digests --------------------------------------------------------- */

void sheaf_warc_digests_init(struct sheaf_warc_digests *d, bool http)
{
  memset(d, 0, sizeof *d);
  sheaf_sha1_init(&d->block);
  sheaf_sha1_init(&d->payload);
  d->http = http;
}

void sheaf_warc_digests_update(struct sheaf_warc_digests *d, const void *data, size_t n)
{
  const unsigned char *p = data;
  size_t i;

  if (n == 0)
    return;
  sheaf_sha1_update(&d->block, p, n);
  if (!d->http)
    return;
  if (d->in_body) {
    sheaf_sha1_update(&d->payload, p, n);
    return;
  }
  for (i = 0; i < n; i++) {
    unsigned char c = p[i];
    /* state: 0 nothing, 1 CR, 2 CRLF, 3 CRLFCR; an LF after an LF line end
     * (state 2) or a bare LF pair ends the header as well. */
    if (c == '\n')
      d->state = d->state == 2 || d->state == 3 ? 4 : 2;
    else if (c == '\r')
      d->state = d->state == 2 ? 3 : 1;
    else
      d->state = 0;
    if (d->state == 4) {
      d->in_body = true;
      sheaf_sha1_update(&d->payload, p + i + 1, n - i - 1);
      return;
    }
  }
}

/* ---- output ------------------------------------------------------------ */

static sheaf_status write_all(struct sheaf_warc_writer *w, const unsigned char *p,
                              size_t n, sheaf_diag *diag)
{
  while (n > 0) {
    ssize_t k = write(w->fd, p, n);
    if (k < 0 && errno == EINTR)
      continue;
    if (k <= 0) {
      sheaf_diag_add(diag, SHEAF_ERROR, "write", w->name, 0, 0, "cannot write: %s",
                     k < 0 ? strerror(errno) : "no space left");
      return SHEAF_ERR_WRITE;
    }
    p += k;
    n -= (size_t)k;
    w->written += (uint64_t)k;
  }
  return SHEAF_OK;
}

static sheaf_status member_begin(struct sheaf_warc_writer *w)
{
  if (!w->z_ready) {
    memset(&w->z, 0, sizeof w->z);
    /* 15 + 16: a gzip wrapper, so each record is a gzip member. */
    if (deflateInit2(&w->z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
      return SHEAF_ERR_NOMEM;
    w->z_ready = true;
  } else if (deflateReset(&w->z) != Z_OK) {
    return SHEAF_ERR_INTERNAL;
  }
  return SHEAF_OK;
}

static sheaf_status member_put(struct sheaf_warc_writer *w, const void *p, size_t n,
                               int flush, sheaf_diag *diag)
{
  const unsigned char *q = p;

  do {
    /* avail_in is a uInt: feed huge blocks in slices. */
    size_t take = n > ((size_t)1 << 30) ? ((size_t)1 << 30) : n;
    int f = n - take == 0 ? flush : Z_NO_FLUSH;

    w->z.next_in = (Bytef *)(uintptr_t)q;
    w->z.avail_in = (uInt)take;
    do {
      size_t have;
      w->z.next_out = w->out;
      w->z.avail_out = sizeof w->out;
      if (deflate(&w->z, f) == Z_STREAM_ERROR)
        return SHEAF_ERR_INTERNAL;
      have = sizeof w->out - w->z.avail_out;
      if (have > 0) {
        sheaf_status st = write_all(w, w->out, have, diag);
        if (st != SHEAF_OK)
          return st;
      }
    } while (w->z.avail_out == 0);
    q += take;
    n -= take;
  } while (n > 0);
  return SHEAF_OK;
}

/* ---- the header ------------------------------------------------------- */

static bool field_ok(const char *s)
{
  for (; s != NULL && *s; s++)
    if ((unsigned char)*s < 0x20 || *s == 0x7f)
      return false;
  return true;
}

static void put_field(struct sheaf_buf *h, const char *name, const char *value)
{
  if (value != NULL && *value) {
    sheaf_buf_puts(h, name);
    sheaf_buf_puts(h, ": ");
    sheaf_buf_puts(h, value);
    sheaf_buf_puts(h, "\r\n");
  }
}

static void put_date(struct sheaf_buf *h, const char *name, int64_t t)
{
  char d[32];

  sheaf_date_format_iso(t, d);
  put_field(h, name, d);
}

static sheaf_status make_header(struct sheaf_warc_writer *w, struct sheaf_warc_record *r,
                                uint64_t len, const struct sheaf_warc_digests *dg,
                                struct sheaf_buf *h, sheaf_diag *diag)
{
  const char *fields[] = {r->target_uri, r->content_type,     r->concurrent_to,
                          r->ip_address, r->warcinfo_id,      r->profile,
                          r->refers_to,  r->refers_to_target, r->id};
  unsigned char sum[20];
  char label[40];
  size_t i;

  for (i = 0; i < sizeof fields / sizeof fields[0]; i++)
    if (!field_ok(fields[i])) {
      sheaf_diag_add(diag, SHEAF_ERROR, "warc", w->name, 0, 0,
                     "a WARC field holds a control character: %.80s", fields[i]);
      return SHEAF_ERR_USAGE;
    }
  if (r->type == SHEAF_WARC_OTHER) {
    sheaf_diag_add(diag, SHEAF_ERROR, "warc", w->name, 0, 0,
                   "a WARC record needs a type");
    return SHEAF_ERR_USAGE;
  }
  if (r->id[0] == '\0')
    sheaf_warc_new_id(r->id);
  sheaf_buf_puts(h, "WARC/1.1\r\n");
  put_field(h, "WARC-Type", sheaf_warc_type_name(r->type));
  put_field(h, "WARC-Record-ID", r->id);
  put_date(h, "WARC-Date", r->date != 0 ? r->date : (int64_t)time(NULL));
  if (!field_ok(w->filename)) {
    sheaf_diag_add(diag, SHEAF_ERROR, "warc", w->name, 0, 0,
                   "a WARC file name holds a control character");
    return SHEAF_ERR_USAGE;
  }
  put_field(h, "WARC-Filename", w->filename);
  put_field(h, "WARC-Target-URI", r->target_uri);
  put_field(h, "WARC-Concurrent-To", r->concurrent_to);
  put_field(h, "WARC-IP-Address", r->ip_address);
  put_field(h, "WARC-Warcinfo-ID", r->warcinfo_id);
  if (r->type == SHEAF_WARC_REVISIT) {
    put_field(h, "WARC-Profile",
              r->profile ? r->profile : SHEAF_WARC_PROFILE_NOT_MODIFIED);
    put_field(h, "WARC-Refers-To", r->refers_to);
    put_field(h, "WARC-Refers-To-Target-URI", r->refers_to_target);
    if (r->refers_to_date != 0)
      put_date(h, "WARC-Refers-To-Date", r->refers_to_date);
  }
  put_field(h, "Content-Type", r->content_type);
  {
    struct sheaf_sha1 b = dg->block;
    sheaf_sha1_final(&b, sum);
    sheaf_warc_sha1_label(sum, label);
    put_field(h, "WARC-Block-Digest", label);
  }
  if (dg->in_body) {
    struct sheaf_sha1 p = dg->payload;
    sheaf_sha1_final(&p, sum);
    sheaf_warc_sha1_label(sum, label);
    put_field(h, "WARC-Payload-Digest", label);
  }
  sheaf_buf_printf(h, "Content-Length: %llu\r\n\r\n", (unsigned long long)len);
  return h->failed ? SHEAF_ERR_NOMEM : SHEAF_OK;
}

static bool is_http(const struct sheaf_warc_record *r)
{
  return r->content_type != NULL &&
         sheaf_starts_with_ci(r->content_type, "application/http");
}

/* Writes the header, then calls `more` for the block's bytes, then the
 * record's closing CRLFCRLF, all in one gzip member. */
struct block_src {
  const unsigned char *mem; /* or */
  int fd;
  uint64_t len;
};

static sheaf_status read_at(int fd, unsigned char *buf, size_t n, uint64_t off)
{
  return sheaf_pread_all(fd, buf, n, off) ? SHEAF_OK : SHEAF_ERR_IO;
}

static sheaf_status write_record(struct sheaf_warc_writer *w, struct sheaf_warc_record *r,
                                 const struct block_src *b, sheaf_diag *diag)
{
  struct sheaf_warc_digests dg;
  struct sheaf_buf h;
  unsigned char *buf = NULL;
  sheaf_status ret = SHEAF_OK;
  uint64_t off;

  sheaf_buf_init(&h, 0);
  sheaf_warc_digests_init(&dg, is_http(r));
  if (b->mem != NULL || b->len == 0) {
    sheaf_warc_digests_update(&dg, b->mem, (size_t)b->len);
  } else {
    buf = sheaf_malloc(CHUNK);
    if (buf == NULL) {
      ret = SHEAF_ERR_NOMEM;
      goto out;
    }
    for (off = 0; off < b->len;) {
      size_t n = b->len - off < CHUNK ? (size_t)(b->len - off) : CHUNK;
      if (read_at(b->fd, buf, n, off) != SHEAF_OK) {
        sheaf_diag_add(diag, SHEAF_ERROR, "io", w->name, 0, 0,
                       "cannot read a spooled record block: %s", strerror(errno));
        ret = SHEAF_ERR_IO;
        goto out;
      }
      sheaf_warc_digests_update(&dg, buf, n);
      off += n;
    }
  }
  SHEAF_CHECK(make_header(w, r, b->len, &dg, &h, diag));
  r->offset = w->written;
  SHEAF_CHECK(member_begin(w));
  SHEAF_CHECK(member_put(w, h.ptr, h.len, Z_NO_FLUSH, diag));
  if (b->mem != NULL) {
    SHEAF_CHECK(member_put(w, b->mem, (size_t)b->len, Z_NO_FLUSH, diag));
  } else {
    for (off = 0; off < b->len;) {
      size_t n = b->len - off < CHUNK ? (size_t)(b->len - off) : CHUNK;
      if (read_at(b->fd, buf, n, off) != SHEAF_OK) {
        sheaf_diag_add(diag, SHEAF_ERROR, "io", w->name, 0, 0,
                       "cannot read a spooled record block: %s", strerror(errno));
        ret = SHEAF_ERR_IO;
        goto out;
      }
      SHEAF_CHECK(member_put(w, buf, n, Z_NO_FLUSH, diag));
      off += n;
    }
  }
  SHEAF_CHECK(member_put(w, "\r\n\r\n", 4, Z_FINISH, diag));
out:
  sheaf_buf_fini(&h);
  sheaf_free(buf);
  return ret;
}

sheaf_status sheaf_warc_write(struct sheaf_warc_writer *w, struct sheaf_warc_record *r,
                              const void *block, size_t len, sheaf_diag *diag)
{
  struct block_src b = {block, -1, len};

  if (block == NULL)
    b.len = 0;
  return write_record(w, r, &b, diag);
}

sheaf_status sheaf_warc_write_fd(struct sheaf_warc_writer *w, struct sheaf_warc_record *r,
                                 int fd, uint64_t len, sheaf_diag *diag)
{
  struct block_src b = {NULL, fd, len};

  return write_record(w, r, &b, diag);
}

sheaf_status sheaf_warc_write_warcinfo(struct sheaf_warc_writer *w,
                                       struct sheaf_warc_record *r, const char *filename,
                                       const char *software, const char *version,
                                       const char *command_line, int64_t start,
                                       sheaf_diag *diag)
{
  struct sheaf_buf f;
  char d[32];
  sheaf_status ret;

  /* warc-fields are named fields too: the same no-control-character rule. */
  if (!field_ok(software) || !field_ok(version) || !field_ok(command_line)) {
    sheaf_diag_add(diag, SHEAF_ERROR, "warc", w->name, 0, 0,
                   "a warcinfo field holds a control character");
    return SHEAF_ERR_USAGE;
  }
  sheaf_buf_init(&f, 0);
  if (software != NULL)
    sheaf_buf_printf(&f, "software: %s%s%s\r\n", software, version ? "/" : "",
                     version ? version : "");
  sheaf_buf_puts(&f, "format: WARC File Format 1.1\r\n");
  sheaf_buf_puts(&f, "conformsTo: http://iipc.github.io/warc-specifications/"
                     "specifications/warc-format/warc-1.1/\r\n");
  if (command_line != NULL)
    sheaf_buf_printf(&f, "command-line: %s\r\n", command_line);
  sheaf_date_format_iso(start != 0 ? start : (int64_t)time(NULL), d);
  sheaf_buf_printf(&f, "start-time: %s\r\n", d);
  if (f.failed) {
    sheaf_buf_fini(&f);
    return SHEAF_ERR_NOMEM;
  }
  r->type = SHEAF_WARC_WARCINFO;
  r->content_type = "application/warc-fields";
  r->target_uri = NULL;
  /* WARC-Filename belongs to warcinfo records only, so it is not a field
   * of sheaf_warc_record: make_header() takes it from the writer. */
  w->filename = filename;
  ret = sheaf_warc_write(w, r, f.ptr, f.len, diag);
  w->filename = NULL;
  sheaf_buf_fini(&f);
  return ret;
}
