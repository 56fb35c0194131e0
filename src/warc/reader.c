/*
 * This file contains the WARC reader: it iterates the records of a .warc
 * or .warc.gz stream (one gzip member per record, one gzip stream for the
 * whole file, or none; told from the first bytes), parses each record's
 * named fields, hands out its block in pieces, and checks digests when
 * asked. Everything is bounded: the inflated size of the file, the size
 * of a header, the blank lines between records. A file that ends inside a
 * record (a capture killed mid-write) gives a warning and a clean end, so
 * every complete record before it is used.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "warc/warc.h"

#define CHUNK 65536
#define DEFAULT_MAX_HEADER ((size_t)1 << 20)

struct field_off {
  size_t name, value;
};

struct sheaf_warc_reader {
  struct sheaf_warc_source src;
  char *name;
  struct sheaf_warc_limits lim;
  /* raw input */
  unsigned char in[CHUNK];
  size_t in_pos, in_len;
  uint64_t in_off; /* file offset of in[0] */
  bool in_eof;
  /* decoding */
  bool gzip, started;
  z_stream z;
  bool z_ready;
  uint64_t member_off;  /* file offset of the gzip member out[] comes from */
  uint64_t member_uoff; /* inflated offset where that member begins */
  bool next_member;     /* the last member ended: the next fill starts one */
  bool cut;             /* the data ended inside a gzip member */
  bool data_end;        /* no more inflated bytes */
  /* inflated bytes */
  unsigned char out[CHUNK];
  size_t out_pos, out_len;
  uint64_t uoff; /* inflated offset of out[out_pos] */
  /* the current record */
  bool in_record, truncated, warned;
  uint64_t remaining, rec_off;
  struct sheaf_warc_header hdr;
  struct sheaf_warc_digests dg;
  bool check_block, check_payload;
  struct sheaf_buf hbuf;  /* the header's raw lines */
  struct sheaf_buf vbuf;  /* NUL-separated names and values */
  struct field_off *offs; /* into vbuf while parsing */
  struct sheaf_warc_field *fields;
  size_t nfields, fcap, ocap;
};

/* ---- sources ---------------------------------------------------------- */

static long long mem_read(void *ctx, void *buf, size_t n)
{
  struct sheaf_warc_mem *m = ctx;
  size_t k = m->n - m->pos < n ? m->n - m->pos : n;

  if (k > 0)
    memcpy(buf, m->p + m->pos, k);
  m->pos += k;
  return (long long)k;
}

void sheaf_warc_mem_init(struct sheaf_warc_mem *m, const void *p, size_t n)
{
  m->src.read = mem_read;
  m->src.ctx = m;
  m->p = p;
  m->n = p != NULL ? n : 0;
  m->pos = 0;
}

static long long fd_read(void *ctx, void *buf, size_t n)
{
  struct sheaf_warc_fd *f = ctx;
  ssize_t k;

  do
    k = read(f->fd, buf, n);
  while (k < 0 && errno == EINTR);
  return (long long)k;
}

void sheaf_warc_fd_init(struct sheaf_warc_fd *f, int fd)
{
  f->src.read = fd_read;
  f->src.ctx = f;
  f->fd = fd;
}

/* ---- life cycle ----------------------------------------------------- */

struct sheaf_warc_reader *sheaf_warc_reader_new(const struct sheaf_warc_source *src,
                                                const char *name,
                                                const struct sheaf_warc_limits *lim,
                                                sheaf_status *status)
{
  struct sheaf_warc_reader *r = sheaf_calloc(1, sizeof *r);

  if (r == NULL || (r->name = sheaf_strdup(name ? name : "(warc)")) == NULL) {
    sheaf_free(r);
    *status = SHEAF_ERR_NOMEM;
    return NULL;
  }
  r->src = *src;
  if (lim != NULL)
    r->lim = *lim;
  if (r->lim.max_size == 0)
    r->lim.max_size = SHEAF_DEFAULT_MAX_INPUT_SIZE;
  if (r->lim.max_header == 0)
    r->lim.max_header = DEFAULT_MAX_HEADER;
  sheaf_buf_init(&r->hbuf, r->lim.max_header);
  sheaf_buf_init(&r->vbuf, 0);
  *status = SHEAF_OK;
  return r;
}

void sheaf_warc_reader_free(struct sheaf_warc_reader *r)
{
  if (r == NULL)
    return;
  if (r->z_ready)
    inflateEnd(&r->z);
  sheaf_buf_fini(&r->hbuf);
  sheaf_buf_fini(&r->vbuf);
  sheaf_free(r->offs);
  sheaf_free(r->fields);
  sheaf_free(r->name);
  sheaf_free(r);
}

/* ---- raw input and inflation ------------------------------------------ */

static sheaf_status fill_in(struct sheaf_warc_reader *r, sheaf_diag *diag)
{
  long long k;

  if (r->in_eof)
    return SHEAF_OK;
  if (r->in_pos < r->in_len) {
    memmove(r->in, r->in + r->in_pos, r->in_len - r->in_pos);
  }
  r->in_off += r->in_pos;
  r->in_len -= r->in_pos;
  r->in_pos = 0;
  k = r->src.read(r->src.ctx, r->in + r->in_len, sizeof r->in - r->in_len);
  if (k < 0) {
    sheaf_diag_add(diag, SHEAF_ERROR, "io", r->name, 0, 0, "cannot read: %s",
                   strerror(errno));
    return SHEAF_ERR_IO;
  }
  if (k == 0)
    r->in_eof = true;
  r->in_len += (size_t)k;
  return SHEAF_OK;
}

static void warn_at(struct sheaf_warc_reader *r, sheaf_diag *diag, uint64_t off,
                    const char *what)
{
  sheaf_diag_add(diag, SHEAF_WARNING, "warc", r->name, 0, 0, "at offset %llu: %s",
                 (unsigned long long)off, what);
}

/* Makes more inflated bytes available in out[] (out_pos == out_len on
 * entry). One fill never mixes two gzip members, so a record that starts
 * at out[0] after a member boundary knows its member's offset. */
static sheaf_status fill_out(struct sheaf_warc_reader *r, sheaf_diag *diag)
{
  sheaf_status ret;

  r->out_pos = r->out_len = 0;
  while (!r->data_end && r->out_len == 0) {
    if (r->in_pos == r->in_len || (r->gzip && r->in_len - r->in_pos < 2 && !r->in_eof)) {
      if ((ret = fill_in(r, diag)) != SHEAF_OK)
        return ret;
    }
    if (!r->started) {
      r->started = true;
      r->gzip = r->in_len - r->in_pos >= 2 && r->in[r->in_pos] == 0x1f &&
                r->in[r->in_pos + 1] == 0x8b;
      r->next_member = r->gzip;
    }
    if (!r->gzip) {
      size_t n = r->in_len - r->in_pos;
      if (n == 0) {
        r->data_end = true;
        break;
      }
      memcpy(r->out, r->in + r->in_pos, n);
      r->in_pos += n;
      r->out_len = n;
      break;
    }
    if (r->next_member) {
      if (r->in_pos == r->in_len && r->in_eof) {
        r->data_end = true;
        break;
      }
      if (r->in_len - r->in_pos < 2 || r->in[r->in_pos] != 0x1f ||
          r->in[r->in_pos + 1] != 0x8b) {
        /* Some writers pad the file; anything but zeros is worth a word. */
        size_t i;
        bool zeros = true;
        for (i = r->in_pos; i < r->in_len; i++)
          zeros = zeros && r->in[i] == 0;
        if (!zeros || !r->in_eof)
          warn_at(r, diag, r->in_off + r->in_pos,
                  "data after the last gzip member is not gzip; ignored");
        r->data_end = true;
        break;
      }
      if (!r->z_ready) {
        memset(&r->z, 0, sizeof r->z);
        if (inflateInit2(&r->z, 15 + 16) != Z_OK)
          return SHEAF_ERR_NOMEM;
        r->z_ready = true;
      } else {
        inflateReset(&r->z);
      }
      r->member_off = r->in_off + r->in_pos;
      r->member_uoff = r->uoff;
      r->next_member = false;
    }
    {
      int zr;
      size_t before_in = r->in_len - r->in_pos;
      r->z.next_in = r->in + r->in_pos;
      r->z.avail_in = (uInt)before_in;
      r->z.next_out = r->out;
      r->z.avail_out = sizeof r->out;
      zr = inflate(&r->z, Z_NO_FLUSH);
      r->in_pos += before_in - r->z.avail_in;
      r->out_len = sizeof r->out - r->z.avail_out;
      if (zr == Z_STREAM_END) {
        r->next_member = true;
      } else if (zr == Z_BUF_ERROR || (zr == Z_OK && r->out_len == 0)) {
        if (r->in_eof && r->in_pos == r->in_len) {
          /* The gzip stream stops short: the reader of the record that
           * lacks bytes warns about it. */
          r->data_end = true;
          r->cut = true;
        }
      } else if (zr != Z_OK) {
        if (zr == Z_MEM_ERROR)
          return SHEAF_ERR_NOMEM;
        warn_at(r, diag, r->member_off,
                "corrupt gzip data; the rest of the file is ignored");
        r->data_end = true;
      }
    }
  }
  if (r->out_len > 0 && r->uoff + r->out_len > r->lim.max_size) {
    char sz[32];
    sheaf_diag_add(diag, SHEAF_ERROR, "limit", r->name, 0, 0,
                   "larger than %s after gzip inflation (--max-input-size raises "
                   "the limit)",
                   sheaf_size_str((size_t)r->lim.max_size, sz));
    return SHEAF_ERR_LIMIT;
  }
  return SHEAF_OK;
}

/* The next inflated byte without taking it, or -1 at the end. */
static sheaf_status peek(struct sheaf_warc_reader *r, int *c, sheaf_diag *diag)
{
  if (r->out_pos == r->out_len) {
    sheaf_status ret = fill_out(r, diag);
    if (ret != SHEAF_OK)
      return ret;
  }
  *c = r->out_pos < r->out_len ? r->out[r->out_pos] : -1;
  return SHEAF_OK;
}

static void take(struct sheaf_warc_reader *r, size_t n)
{
  r->out_pos += n;
  r->uoff += n;
}

/* ---- header parsing --------------------------------------------------- */

static bool is_ws(char c)
{
  return c == ' ' || c == '\t';
}

const char *sheaf_warc_field(const struct sheaf_warc_header *h, const char *name)
{
  size_t i;

  for (i = 0; i < h->nfields; i++)
    if (sheaf_ascii_casecmp(h->fields[i].name, name) == 0)
      return h->fields[i].value;
  return NULL;
}

/* Reads header lines into hbuf up to and including the blank line. Sets
 * *complete false when the data ends first. */
static sheaf_status read_header_text(struct sheaf_warc_reader *r, bool *complete,
                                     sheaf_diag *diag)
{
  sheaf_status ret;
  size_t line_start = 0;

  *complete = false;
  sheaf_buf_reset(&r->hbuf);
  r->hbuf.failed = false;
  for (;;) {
    unsigned char *nl;
    size_t n;
    int c;
    if ((ret = peek(r, &c, diag)) != SHEAF_OK)
      return ret;
    if (c < 0)
      return SHEAF_OK;
    nl = memchr(r->out + r->out_pos, '\n', r->out_len - r->out_pos);
    n = nl != NULL ? (size_t)(nl - (r->out + r->out_pos)) + 1 : r->out_len - r->out_pos;
    if (!sheaf_buf_put(&r->hbuf, r->out + r->out_pos, n)) {
      if (r->hbuf.len + n > r->hbuf.max) {
        char sz[32];
        sheaf_diag_add(diag, SHEAF_ERROR, "parse", r->name, 0, 0,
                       "at offset %llu: a WARC header longer than %s",
                       (unsigned long long)r->rec_off,
                       sheaf_size_str(r->lim.max_header, sz));
        return SHEAF_ERR_PARSE;
      }
      return SHEAF_ERR_NOMEM;
    }
    take(r, n);
    if (nl == NULL)
      continue;
    /* A complete line: blank (CRLF or LF alone) ends the header. */
    {
      size_t len = r->hbuf.len - line_start;
      const char *l = r->hbuf.ptr + line_start;
      if (line_start > 0 && (len == 1 || (len == 2 && l[0] == '\r'))) {
        *complete = true;
        return SHEAF_OK;
      }
    }
    line_start = r->hbuf.len;
  }
}

static bool push_field(struct sheaf_warc_reader *r, size_t name, size_t value)
{
  if (!sheaf_grow((void **)&r->offs, &r->ocap, r->nfields + 1, sizeof *r->offs))
    return false;
  r->offs[r->nfields].name = name;
  r->offs[r->nfields].value = value;
  r->nfields++;
  return true;
}

static int64_t parse_date(const char *s)
{
  int64_t t;

  if (s != NULL && sheaf_date_parse_iso8601(s, strlen(s), &t, NULL))
    return t;
  return SHEAF_TIME_UNKNOWN;
}

static const char *strip_brackets(char *s)
{
  size_t n;

  if (s == NULL)
    return NULL;
  n = strlen(s);
  if (n >= 2 && s[0] == '<' && s[n - 1] == '>') {
    s[n - 1] = '\0';
    return s + 1;
  }
  return s;
}

static enum sheaf_warc_type type_of(const char *s)
{
  unsigned t;

  for (t = SHEAF_WARC_WARCINFO; t <= SHEAF_WARC_CONTINUATION; t++)
    if (s != NULL && sheaf_ascii_casecmp(s, sheaf_warc_type_name(t)) == 0)
      return (enum sheaf_warc_type)t;
  return SHEAF_WARC_OTHER;
}

/* Parses hbuf (first line "WARC/x.y") into fields and the header struct. */
static sheaf_status parse_header(struct sheaf_warc_reader *r, sheaf_diag *diag)
{
  const char *p = r->hbuf.ptr, *end = p + r->hbuf.len;
  struct sheaf_warc_header *h = &r->hdr;
  const char *cl;
  size_t i, ver;

  sheaf_buf_reset(&r->vbuf);
  r->vbuf.failed = false;
  r->nfields = 0;
  memset(h, 0, sizeof *h);
  /* The version line. */
  {
    const char *e = memchr(p, '\n', (size_t)(end - p));
    size_t n = (size_t)(e - p);
    while (n > 0 && (p[n - 1] == '\r' || is_ws(p[n - 1])))
      n--;
    ver = 0;
    sheaf_buf_put(&r->vbuf, p, n);
    sheaf_buf_putc(&r->vbuf, '\0');
    p = e + 1;
  }
  while (p < end) {
    const char *e = memchr(p, '\n', (size_t)(end - p));
    size_t n = (size_t)(e - p);
    const char *colon;
    if (n > 0 && p[n - 1] == '\r')
      n--;
    if (n == 0)
      break;
    if (is_ws(p[0]) && r->nfields > 0) {
      /* A continuation line: joined to the value with one space. */
      size_t a = 0;
      while (a < n && is_ws(p[a]))
        a++;
      r->vbuf.len--; /* drop the value's NUL */
      sheaf_buf_putc(&r->vbuf, ' ');
      sheaf_buf_put(&r->vbuf, p + a, n - a);
      sheaf_buf_putc(&r->vbuf, '\0');
    } else if ((colon = memchr(p, ':', n)) != NULL && colon > p) {
      size_t name = r->vbuf.len, value, nn = (size_t)(colon - p), a = nn + 1;
      while (nn > 0 && is_ws(p[nn - 1]))
        nn--;
      sheaf_buf_put(&r->vbuf, p, nn);
      sheaf_buf_putc(&r->vbuf, '\0');
      while (a < n && is_ws(p[a]))
        a++;
      while (n > a && is_ws(p[n - 1]))
        n--;
      value = r->vbuf.len;
      sheaf_buf_put(&r->vbuf, p + a, n - a);
      sheaf_buf_putc(&r->vbuf, '\0');
      if (!push_field(r, name, value))
        return SHEAF_ERR_NOMEM;
    } else {
      warn_at(r, diag, r->rec_off, "a WARC header line without a field name; ignored");
    }
    p = e + 1;
  }
  if (r->vbuf.failed)
    return SHEAF_ERR_NOMEM;
  if (!sheaf_grow((void **)&r->fields, &r->fcap, r->nfields + 1, sizeof *r->fields))
    return SHEAF_ERR_NOMEM;
  for (i = 0; i < r->nfields; i++) {
    r->fields[i].name = r->vbuf.ptr + r->offs[i].name;
    r->fields[i].value = r->vbuf.ptr + r->offs[i].value;
  }
  h->fields = r->fields;
  h->nfields = r->nfields;
  h->version = r->vbuf.ptr + ver;
  h->type_name = sheaf_warc_field(h, "WARC-Type");
  h->type = type_of(h->type_name);
  h->record_id = sheaf_warc_field(h, "WARC-Record-ID");
  h->target_uri =
      strip_brackets((char *)(uintptr_t)sheaf_warc_field(h, "WARC-Target-URI"));
  h->content_type = sheaf_warc_field(h, "Content-Type");
  h->date_text = sheaf_warc_field(h, "WARC-Date");
  h->date = parse_date(h->date_text);
  h->refers_to = sheaf_warc_field(h, "WARC-Refers-To");
  h->refers_to_target =
      strip_brackets((char *)(uintptr_t)sheaf_warc_field(h, "WARC-Refers-To-Target-URI"));
  h->refers_to_date = parse_date(sheaf_warc_field(h, "WARC-Refers-To-Date"));
  h->profile = sheaf_warc_field(h, "WARC-Profile");
  h->block_digest = sheaf_warc_field(h, "WARC-Block-Digest");
  h->payload_digest = sheaf_warc_field(h, "WARC-Payload-Digest");
  h->truncated = sheaf_warc_field(h, "WARC-Truncated");
  h->offset = r->rec_off;
  cl = sheaf_warc_field(h, "Content-Length");
  {
    uint64_t v = 0;
    const char *q = cl;
    bool ok = q != NULL && *q >= '0' && *q <= '9';
    for (; ok && *q; q++) {
      if (*q < '0' || *q > '9' || v > (UINT64_MAX - 9) / 10) {
        ok = false;
        break;
      }
      v = v * 10 + (uint64_t)(*q - '0');
    }
    if (!ok) {
      sheaf_diag_add(diag, SHEAF_ERROR, "parse", r->name, 0, 0,
                     "at offset %llu: a WARC record without a valid Content-Length",
                     (unsigned long long)r->rec_off);
      return SHEAF_ERR_PARSE;
    }
    h->content_length = v;
  }
  return SHEAF_OK;
}

/* ---- iteration -------------------------------------------------------- */

static bool sha1_matches(const struct sheaf_sha1 *s, const char *label)
{
  struct sheaf_sha1 c = *s;
  unsigned char sum[20];
  char want[40];

  sheaf_sha1_final(&c, sum);
  sheaf_warc_sha1_label(sum, want);
  return sheaf_ascii_casecmp(want, label) == 0;
}

static void finish_block(struct sheaf_warc_reader *r, sheaf_diag *diag)
{
  if (r->truncated)
    return;
  if (r->check_block && !sha1_matches(&r->dg.block, r->hdr.block_digest))
    warn_at(r, diag, r->rec_off, "WARC-Block-Digest does not match the block");
  if (r->check_payload && r->dg.in_body &&
      !sha1_matches(&r->dg.payload, r->hdr.payload_digest))
    warn_at(r, diag, r->rec_off, "WARC-Payload-Digest does not match the payload");
  r->check_block = r->check_payload = false;
}

sheaf_status sheaf_warc_reader_read(struct sheaf_warc_reader *r, void *buf, size_t n,
                                    size_t *got, sheaf_diag *diag)
{
  sheaf_status ret;
  size_t k;
  int c;

  *got = 0;
  if (!r->in_record || r->remaining == 0 || n == 0)
    return SHEAF_OK;
  if ((ret = peek(r, &c, diag)) != SHEAF_OK)
    return ret;
  if (c < 0) {
    r->truncated = true;
    r->in_record = false;
    if (!r->warned) {
      r->warned = true;
      warn_at(r, diag, r->rec_off,
              "the file ends inside this record (before its Content-Length): a "
              "truncated record, skipped");
    }
    return SHEAF_OK;
  }
  k = r->out_len - r->out_pos;
  if (k > n)
    k = n;
  if (k > r->remaining)
    k = (size_t)r->remaining;
  memcpy(buf, r->out + r->out_pos, k);
  if (r->check_block || r->check_payload)
    sheaf_warc_digests_update(&r->dg, r->out + r->out_pos, k);
  take(r, k);
  r->remaining -= k;
  *got = k;
  if (r->remaining == 0)
    finish_block(r, diag);
  return SHEAF_OK;
}

sheaf_status sheaf_warc_reader_load(struct sheaf_warc_reader *r, struct sheaf_buf *out,
                                    sheaf_diag *diag)
{
  unsigned char tmp[16384];
  size_t got;
  sheaf_status ret;

  do {
    if ((ret = sheaf_warc_reader_read(r, tmp, sizeof tmp, &got, diag)) != SHEAF_OK)
      return ret;
    if (got > 0 && !sheaf_buf_put(out, tmp, got)) {
      if (out->max != 0 && out->len + got > out->max) {
        char sz[32];
        sheaf_diag_add(diag, SHEAF_ERROR, "limit", r->name, 0, 0,
                       "at offset %llu: a record block larger than %s",
                       (unsigned long long)r->rec_off, sheaf_size_str(out->max, sz));
        return SHEAF_ERR_LIMIT;
      }
      return SHEAF_ERR_NOMEM;
    }
  } while (got > 0);
  return SHEAF_OK;
}

bool sheaf_warc_reader_truncated(const struct sheaf_warc_reader *r)
{
  return r->truncated;
}

/* Skips the rest of the current block, without copying it. */
static sheaf_status skip_block(struct sheaf_warc_reader *r, sheaf_diag *diag)
{
  sheaf_status ret;
  int c;

  while (r->in_record && r->remaining > 0) {
    size_t k;
    if ((ret = peek(r, &c, diag)) != SHEAF_OK)
      return ret;
    if (c < 0) {
      size_t got;
      return sheaf_warc_reader_read(r, &c, 1, &got, diag); /* warns */
    }
    k = r->out_len - r->out_pos;
    if (k > r->remaining)
      k = (size_t)r->remaining;
    if (r->check_block || r->check_payload)
      sheaf_warc_digests_update(&r->dg, r->out + r->out_pos, k);
    take(r, k);
    r->remaining -= k;
    if (r->remaining == 0)
      finish_block(r, diag);
  }
  r->in_record = false;
  return SHEAF_OK;
}

sheaf_status sheaf_warc_reader_next(struct sheaf_warc_reader *r,
                                    struct sheaf_warc_header *h, bool *eof,
                                    sheaf_diag *diag)
{
  sheaf_status ret;
  size_t blank = 0;
  bool complete;
  int c;

  *eof = false;
  if ((ret = skip_block(r, diag)) != SHEAF_OK)
    return ret;
  if (r->truncated) {
    *eof = true;
    return SHEAF_OK;
  }
  /* The CRLF CRLF that closes a record, and any stray line ends. */
  for (;;) {
    if ((ret = peek(r, &c, diag)) != SHEAF_OK)
      return ret;
    if (c != '\r' && c != '\n')
      break;
    take(r, 1);
    if (++blank > r->lim.max_header) {
      sheaf_diag_add(diag, SHEAF_ERROR, "parse", r->name, 0, 0,
                     "at offset %llu: more than %zu blank bytes between records",
                     (unsigned long long)r->uoff, r->lim.max_header);
      return SHEAF_ERR_PARSE;
    }
  }
  if (c < 0) {
    if (r->cut)
      warn_at(r, diag, r->gzip ? r->member_off : r->uoff,
              "the file ends inside a gzip member: a truncated record, skipped");
    *eof = true;
    return SHEAF_OK;
  }
  /* Records compressed one per member are known by their member's offset;
   * others by their offset in the inflated stream. */
  r->rec_off = r->gzip && r->uoff == r->member_uoff ? r->member_off : r->uoff;
  if (r->out_len - r->out_pos < 5 && r->out_len - r->out_pos > 0) {
    /* "WARC/" may straddle two fills; the header reader checks it below. */
  } else if (memcmp(r->out + r->out_pos, "WARC/", 5) != 0) {
    sheaf_diag_add(diag, SHEAF_ERROR, "parse", r->name, 0, 0,
                   "at offset %llu: not a WARC record (no \"WARC/\" version line)",
                   (unsigned long long)r->rec_off);
    return SHEAF_ERR_PARSE;
  }
  if ((ret = read_header_text(r, &complete, diag)) != SHEAF_OK)
    return ret;
  if (r->hbuf.len < 5 || memcmp(r->hbuf.ptr, "WARC/", 5) != 0) {
    if (!complete && r->hbuf.len < 5 && memcmp(r->hbuf.ptr, "WARC/", r->hbuf.len) == 0)
      goto cut;
    sheaf_diag_add(diag, SHEAF_ERROR, "parse", r->name, 0, 0,
                   "at offset %llu: not a WARC record (no \"WARC/\" version line)",
                   (unsigned long long)r->rec_off);
    return SHEAF_ERR_PARSE;
  }
  if (!complete)
    goto cut;
  if ((ret = parse_header(r, diag)) != SHEAF_OK)
    return ret;
  r->in_record = true;
  r->truncated = r->warned = false;
  r->remaining = r->hdr.content_length;
  r->check_block = r->lim.verify_digests && r->hdr.block_digest != NULL &&
                   sheaf_starts_with_ci(r->hdr.block_digest, "sha1:");
  r->check_payload =
      r->lim.verify_digests && r->hdr.payload_digest != NULL &&
      sheaf_starts_with_ci(r->hdr.payload_digest, "sha1:") &&
      r->hdr.content_type != NULL &&
      sheaf_starts_with_ci(r->hdr.content_type, "application/http") &&
      (r->hdr.type == SHEAF_WARC_RESPONSE || r->hdr.type == SHEAF_WARC_REQUEST);
  if (r->check_block || r->check_payload)
    sheaf_warc_digests_init(&r->dg, r->check_payload);
  if (r->remaining == 0)
    finish_block(r, diag);
  *h = r->hdr;
  return SHEAF_OK;
cut:
  warn_at(r, diag, r->rec_off,
          "the file ends inside a WARC header: a truncated record, skipped");
  r->truncated = true;
  *eof = true;
  return SHEAF_OK;
}
