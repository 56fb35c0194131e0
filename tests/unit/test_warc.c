/*
 * Unit tests for src/warc: record ids and base32 digests, the writer and
 * the reader round trip (memory and spooled blocks, warcinfo, revisits),
 * hand-built records (folded fields, bare LF, whole-file gzip, no gzip),
 * hostile files (truncation, Content-Length past the end, 1 MB of header,
 * a gzip bomb, digests that do not match), and HTTP response decoding
 * (status line, chunked, gzip, deflate, br, bombs).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <brotli/encode.h>
#include <cmocka.h>
#include <zlib.h>

#include "warc/warc.h"

/* ---- helpers ---------------------------------------------------------- */

static size_t count_sev(sheaf_diag *d, sheaf_severity sev)
{
  return sheaf_diag_count_severity(d, sev);
}

static bool diag_has(sheaf_diag *d, const char *text)
{
  size_t i;

  for (i = 0; i < sheaf_diag_count(d); i++)
    if (strstr(sheaf_diag_get(d, i)->message, text) != NULL)
      return true;
  return false;
}

/* The whole content of fd (from offset 0) into a new buffer. */
static unsigned char *slurp(int fd, size_t *n)
{
  off_t end = lseek(fd, 0, SEEK_END);
  unsigned char *p = sheaf_malloc((size_t)end + 1);

  assert_non_null(p);
  assert_true(sheaf_pread_all(fd, p, (size_t)end, 0));
  *n = (size_t)end;
  return p;
}

/* gzip (one member) of p[0..n) into a new buffer. */
static unsigned char *gzip_bytes(const void *p, size_t n, size_t *out_n)
{
  z_stream z;
  size_t cap;
  unsigned char *out;

  memset(&z, 0, sizeof z);
  assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  cap = deflateBound(&z, (uLong)n) + 64;
  out = sheaf_malloc(cap);
  z.next_in = (Bytef *)(uintptr_t)p;
  z.avail_in = (uInt)n;
  z.next_out = out;
  z.avail_out = (uInt)cap;
  assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
  *out_n = cap - z.avail_out;
  deflateEnd(&z);
  return out;
}

struct rec {
  char type[32], id[64], uri[256];
  size_t len;
  char block[512];
  uint64_t offset;
};

/* Reads every record of p[0..n) into recs; returns the count, or -status. */
static int read_all(const void *p, size_t n, const struct sheaf_warc_limits *lim,
                    struct rec *recs, int max, sheaf_diag *diag)
{
  struct sheaf_warc_mem m;
  struct sheaf_warc_reader *r;
  struct sheaf_warc_header h;
  sheaf_status st;
  bool eof = false;
  int count = 0;

  sheaf_warc_mem_init(&m, p, n);
  r = sheaf_warc_reader_new(&m.src, "test.warc", lim, &st);
  assert_non_null(r);
  for (;;) {
    struct sheaf_buf b;
    st = sheaf_warc_reader_next(r, &h, &eof, diag);
    if (st != SHEAF_OK) {
      sheaf_warc_reader_free(r);
      return -(int)st;
    }
    if (eof)
      break;
    sheaf_buf_init(&b, 0);
    st = sheaf_warc_reader_load(r, &b, diag);
    if (st != SHEAF_OK) {
      sheaf_buf_fini(&b);
      sheaf_warc_reader_free(r);
      return -(int)st;
    }
    if (sheaf_warc_reader_truncated(r)) {
      sheaf_buf_fini(&b);
      continue;
    }
    assert_true(count < max);
    snprintf(recs[count].type, sizeof recs[count].type, "%s", h.type_name);
    snprintf(recs[count].id, sizeof recs[count].id, "%s", h.record_id ? h.record_id : "");
    snprintf(recs[count].uri, sizeof recs[count].uri, "%s",
             h.target_uri ? h.target_uri : "");
    recs[count].len = b.len;
    snprintf(recs[count].block, sizeof recs[count].block, "%.*s", (int)b.len, b.ptr);
    recs[count].offset = h.offset;
    count++;
    sheaf_buf_fini(&b);
  }
  sheaf_warc_reader_free(r);
  return count;
}

/* ---- ids and digests -------------------------------------------------- */

static void test_sha1_label(void **state)
{
  struct sheaf_sha1 s;
  unsigned char sum[20];
  char label[40];

  (void)state;
  sheaf_sha1_init(&s);
  sheaf_sha1_final(&s, sum);
  sheaf_warc_sha1_label(sum, label);
  assert_string_equal(label, "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ");
  sheaf_sha1_init(&s);
  sheaf_sha1_update(&s, "abc", 3);
  sheaf_sha1_final(&s, sum);
  sheaf_warc_sha1_label(sum, label);
  /* a9993e36 4706816a ba3e2571 7850c26c 9cd0d89d in base32 */
  assert_string_equal(label, "sha1:VGMT4NSHA2AWVOR6EVYXQUGCNSONBWE5");
}

static void test_new_id(void **state)
{
  char a[SHEAF_WARC_ID_SIZE], b[SHEAF_WARC_ID_SIZE];

  (void)state;
  sheaf_warc_new_id(a);
  sheaf_warc_new_id(b);
  assert_int_equal(strlen(a), 47);
  assert_memory_equal(a, "<urn:uuid:", 10);
  assert_int_equal(a[46], '>');
  assert_int_equal(a[10 + 14], '4');           /* version */
  assert_non_null(strchr("89ab", a[10 + 19])); /* variant */
  assert_string_not_equal(a, b);
}

/* ---- round trip ------------------------------------------------------- */

static const char http_resp[] = "HTTP/1.1 200 OK\r\n"
                                "Content-Type: text/html; charset=utf-8\r\n"
                                "Content-Length: 13\r\n"
                                "\r\n"
                                "<p>Hello!</p>";
static const char http_req[] = "GET /a HTTP/1.1\r\nHost: example.org\r\n\r\n";
static const char http_304[] = "HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n";

static void test_round_trip(void **state)
{
  struct sheaf_warc_record info = {0}, resp = {0}, req = {0}, rev = {0}, big = {0};
  struct sheaf_warc_writer *w;
  struct sheaf_warc_limits lim = {0};
  sheaf_diag *diag = sheaf_diag_new();
  struct rec recs[8];
  unsigned char *file;
  size_t n;
  sheaf_status st;
  int fd = sheaf_temp_open(), spool = sheaf_temp_open(), count;

  (void)state;
  assert_true(fd >= 0 && spool >= 0);
  w = sheaf_warc_writer_new(fd, "out.warc.gz", &st);
  assert_non_null(w);
  assert_int_equal(sheaf_warc_write_warcinfo(w, &info, "out.warc.gz", "sheaf", "0.1.0",
                                             "sheaf fetch https://example.org/", 0, diag),
                   SHEAF_OK);
  assert_int_equal(info.offset, 0);
  /* A response and its request, each pointing at the other. */
  sheaf_warc_new_id(resp.id);
  sheaf_warc_new_id(req.id);
  resp.type = SHEAF_WARC_RESPONSE;
  resp.target_uri = "https://example.org/a";
  resp.content_type = "application/http;msgtype=response";
  resp.concurrent_to = req.id;
  resp.warcinfo_id = info.id;
  resp.date = 1700000000;
  assert_int_equal(sheaf_warc_write(w, &resp, http_resp, strlen(http_resp), diag),
                   SHEAF_OK);
  assert_true(resp.offset > 0);
  req.type = SHEAF_WARC_REQUEST;
  req.target_uri = "https://example.org/a";
  req.content_type = "application/http;msgtype=request";
  req.concurrent_to = resp.id;
  assert_int_equal(sheaf_warc_write(w, &req, http_req, strlen(http_req), diag), SHEAF_OK);
  rev.type = SHEAF_WARC_REVISIT;
  rev.target_uri = "https://example.org/a";
  rev.content_type = "application/http;msgtype=response";
  rev.refers_to = resp.id;
  rev.refers_to_target = "https://example.org/a";
  rev.refers_to_date = 1700000000;
  assert_int_equal(sheaf_warc_write(w, &rev, http_304, strlen(http_304), diag), SHEAF_OK);
  /* A block streamed from a spool file, over several 64 KB pieces. */
  {
    char chunk[1000];
    size_t i;
    memset(chunk, 'x', sizeof chunk);
    assert_true(sheaf_pwrite_all(spool, http_resp, 40, 0));
    for (i = 0; i < 200; i++)
      assert_true(sheaf_pwrite_all(spool, chunk, sizeof chunk, 40 + i * sizeof chunk));
  }
  big.type = SHEAF_WARC_RESPONSE;
  big.target_uri = "https://example.org/big";
  big.content_type = "application/http;msgtype=response";
  assert_int_equal(sheaf_warc_write_fd(w, &big, spool, 40 + 200000, diag), SHEAF_OK);
  assert_int_equal(sheaf_warc_writer_size(w), (uint64_t)lseek(fd, 0, SEEK_CUR));
  /* A header injection is refused. */
  {
    struct sheaf_warc_record bad = {0};
    bad.type = SHEAF_WARC_RESOURCE;
    bad.target_uri = "https://example.org/\r\nWARC-Type: evil";
    assert_int_equal(sheaf_warc_write(w, &bad, "x", 1, diag), SHEAF_ERR_USAGE);
  }
  assert_int_equal(count_sev(diag, SHEAF_WARNING), 0);
  sheaf_warc_writer_free(w);

  file = slurp(fd, &n);
  assert_int_equal(file[0], 0x1f);
  lim.verify_digests = true;
  sheaf_diag_free(diag);
  diag = sheaf_diag_new();
  count = read_all(file, n, &lim, recs, 8, diag);
  assert_int_equal(count, 5);
  assert_int_equal(count_sev(diag, SHEAF_WARNING), 0);
  assert_string_equal(recs[0].type, "warcinfo");
  assert_non_null(strstr(recs[0].block, "software: sheaf/0.1.0\r\n"));
  assert_non_null(
      strstr(recs[0].block, "command-line: sheaf fetch https://example.org/"));
  assert_string_equal(recs[1].type, "response");
  assert_string_equal(recs[1].id, resp.id);
  assert_string_equal(recs[1].uri, "https://example.org/a");
  assert_string_equal(recs[1].block, http_resp);
  assert_int_equal(recs[1].offset, resp.offset);
  assert_string_equal(recs[2].type, "request");
  assert_int_equal(recs[2].offset, req.offset);
  assert_string_equal(recs[3].type, "revisit");
  assert_int_equal(recs[4].len, 200040);

  /* Field by field, for the revisit and the response. */
  {
    struct sheaf_warc_mem m;
    struct sheaf_warc_reader *r;
    struct sheaf_warc_header h;
    bool eof;
    sheaf_warc_mem_init(&m, file, n);
    r = sheaf_warc_reader_new(&m.src, "x", NULL, &st);
    assert_int_equal(sheaf_warc_reader_next(r, &h, &eof, diag), SHEAF_OK);
    assert_string_equal(sheaf_warc_field(&h, "WARC-Filename"), "out.warc.gz");
    assert_string_equal(h.content_type, "application/warc-fields");
    assert_int_equal(sheaf_warc_reader_next(r, &h, &eof, diag), SHEAF_OK);
    assert_string_equal(h.version, "WARC/1.1");
    assert_int_equal(h.date, 1700000000);
    assert_string_equal(h.date_text, "2023-11-14T22:13:20Z");
    assert_string_equal(sheaf_warc_field(&h, "warc-concurrent-to"), req.id);
    assert_string_equal(sheaf_warc_field(&h, "WARC-Warcinfo-ID"), info.id);
    assert_non_null(h.payload_digest);
    assert_int_equal(h.content_length, strlen(http_resp));
    assert_int_equal(sheaf_warc_reader_next(r, &h, &eof, diag), SHEAF_OK);
    assert_int_equal(h.type, SHEAF_WARC_REQUEST);
    assert_int_equal(sheaf_warc_reader_next(r, &h, &eof, diag), SHEAF_OK);
    assert_int_equal(h.type, SHEAF_WARC_REVISIT);
    assert_string_equal(h.profile, SHEAF_WARC_PROFILE_NOT_MODIFIED);
    assert_string_equal(h.refers_to, resp.id);
    assert_string_equal(h.refers_to_target, "https://example.org/a");
    assert_int_equal(h.refers_to_date, 1700000000);
    sheaf_warc_reader_free(r);
  }

  /* Cut inside the last member: the four before it survive, with a warning. */
  sheaf_diag_free(diag);
  diag = sheaf_diag_new();
  count = read_all(file, n - 100, &lim, recs, 8, diag);
  assert_int_equal(count, 4);
  assert_int_equal(count_sev(diag, SHEAF_WARNING), 1);
  assert_true(diag_has(diag, "truncated"));
  assert_int_equal(count_sev(diag, SHEAF_ERROR), 0);

  /* A flipped byte in a block: the digest says so. */
  {
    unsigned char *plain;
    size_t pn;
    char *pos;
    struct sheaf_warc_mem m;
    struct sheaf_warc_reader *r;
    struct sheaf_warc_header h;
    bool eof;
    z_stream z;
    struct sheaf_buf all;
    unsigned char tmp[65536];
    int zr;
    /* Inflate every member into one plain WARC. */
    sheaf_buf_init(&all, 0);
    memset(&z, 0, sizeof z);
    inflateInit2(&z, 15 + 16);
    z.next_in = file;
    z.avail_in = (uInt)n;
    do {
      z.next_out = tmp;
      z.avail_out = sizeof tmp;
      zr = inflate(&z, Z_NO_FLUSH);
      sheaf_buf_put(&all, tmp, sizeof tmp - z.avail_out);
      if (zr == Z_STREAM_END && z.avail_in > 0) {
        inflateReset(&z);
        zr = Z_OK;
      }
    } while (zr == Z_OK);
    inflateEnd(&z);
    plain = (unsigned char *)all.ptr;
    pn = all.len;
    pos = strstr((char *)plain, "Hello!");
    assert_non_null(pos);
    pos[0] = 'J';
    sheaf_diag_free(diag);
    diag = sheaf_diag_new();
    count = read_all(plain, pn, &lim, recs, 8, diag);
    assert_int_equal(count, 5);
    assert_true(diag_has(diag, "WARC-Block-Digest does not match"));
    assert_true(diag_has(diag, "WARC-Payload-Digest does not match"));
    /* Offsets of an uncompressed file are byte offsets. */
    sheaf_warc_mem_init(&m, plain, pn);
    r = sheaf_warc_reader_new(&m.src, "x", NULL, &st);
    assert_int_equal(sheaf_warc_reader_next(r, &h, &eof, diag), SHEAF_OK);
    assert_int_equal(h.offset, 0);
    assert_int_equal(sheaf_warc_reader_next(r, &h, &eof, diag), SHEAF_OK);
    assert_memory_equal(plain + h.offset, "WARC/1.1\r\n", 10);
    sheaf_warc_reader_free(r);
    /* The same as one gzip stream for the whole file. */
    {
      size_t gn;
      unsigned char *gz = gzip_bytes(plain, pn, &gn);
      sheaf_diag_free(diag);
      diag = sheaf_diag_new();
      count = read_all(gz, gn, NULL, recs, 8, diag);
      assert_int_equal(count, 5);
      assert_string_equal(recs[3].type, "revisit");
      assert_int_equal(count_sev(diag, SHEAF_WARNING), 0);
      sheaf_free(gz);
    }
    sheaf_buf_fini(&all);
  }
  sheaf_free(file);
  sheaf_diag_free(diag);
  close(fd);
  close(spool);
}

/* ---- hand-built and hostile records ----------------------------------- */

static void test_hand_built(void **state)
{
  /* Bare LF line ends, a folded field, odd spacing, Target-URI in <>. */
  static const char warc[] = "WARC/1.0\n"
                             "WARC-Type: resource\n"
                             "WARC-Target-URI: <http://example.org/x>\n"
                             "X-Long:   one\n"
                             "\t two\n"
                             "Content-Length:5\n"
                             "\n"
                             "hello\n\n"
                             "WARC/1.1\r\n"
                             "WARC-Type: future-type\r\n"
                             "Content-Length: 0\r\n"
                             "\r\n"
                             "\r\n\r\n";
  struct sheaf_warc_mem m;
  struct sheaf_warc_reader *r;
  struct sheaf_warc_header h;
  sheaf_diag *diag = sheaf_diag_new();
  sheaf_status st;
  char buf[16];
  size_t got;
  bool eof;

  (void)state;
  sheaf_warc_mem_init(&m, warc, strlen(warc));
  r = sheaf_warc_reader_new(&m.src, "hand.warc", NULL, &st);
  assert_int_equal(sheaf_warc_reader_next(r, &h, &eof, diag), SHEAF_OK);
  assert_false(eof);
  assert_int_equal(h.type, SHEAF_WARC_RESOURCE);
  assert_string_equal(h.version, "WARC/1.0");
  assert_string_equal(h.target_uri, "http://example.org/x");
  assert_string_equal(sheaf_warc_field(&h, "x-long"), "one two");
  assert_int_equal(h.content_length, 5);
  assert_int_equal(sheaf_warc_reader_read(r, buf, 3, &got, diag), SHEAF_OK);
  assert_int_equal(got, 3);
  assert_memory_equal(buf, "hel", 3);
  /* The rest of the block is skipped by the next call. */
  assert_int_equal(sheaf_warc_reader_next(r, &h, &eof, diag), SHEAF_OK);
  assert_false(eof);
  assert_int_equal(h.type, SHEAF_WARC_OTHER);
  assert_string_equal(h.type_name, "future-type");
  assert_int_equal(sheaf_warc_reader_next(r, &h, &eof, diag), SHEAF_OK);
  assert_true(eof);
  assert_int_equal(sheaf_diag_count(diag), 0);
  sheaf_warc_reader_free(r);
  sheaf_diag_free(diag);
}

static void test_hostile(void **state)
{
  sheaf_diag *diag;
  struct rec recs[4];
  struct sheaf_buf b;
  int count;

  (void)state;
  /* Content-Length past the end of the file. */
  {
    static const char warc[] =
        "WARC/1.1\r\nWARC-Type: resource\r\nContent-Length: 3\r\n\r\n"
        "abc\r\n\r\n"
        "WARC/1.1\r\nWARC-Type: resource\r\nContent-Length: 999\r\n\r\n"
        "short";
    diag = sheaf_diag_new();
    count = read_all(warc, strlen(warc), NULL, recs, 4, diag);
    assert_int_equal(count, 1);
    assert_string_equal(recs[0].block, "abc");
    assert_int_equal(count_sev(diag, SHEAF_WARNING), 1);
    assert_true(diag_has(diag, "before its Content-Length"));
    sheaf_diag_free(diag);
  }
  /* The file ends inside a header. */
  {
    static const char warc[] =
        "WARC/1.1\r\nWARC-Type: resource\r\nContent-Length: 3\r\n\r\n"
        "abc\r\n\r\n"
        "WARC/1.1\r\nWARC-Ty";
    diag = sheaf_diag_new();
    count = read_all(warc, strlen(warc), NULL, recs, 4, diag);
    assert_int_equal(count, 1);
    assert_true(diag_has(diag, "inside a WARC header"));
    sheaf_diag_free(diag);
  }
  /* 1 MB of header: an error, not a hang. */
  {
    sheaf_buf_init(&b, 0);
    sheaf_buf_puts(&b, "WARC/1.1\r\n");
    while (b.len < (1u << 20) + 100)
      sheaf_buf_puts(
          &b, "X-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n");
    sheaf_buf_puts(&b, "Content-Length: 0\r\n\r\n");
    diag = sheaf_diag_new();
    count = read_all(b.ptr, b.len, NULL, recs, 4, diag);
    assert_int_equal(count, -(int)SHEAF_ERR_PARSE);
    assert_true(diag_has(diag, "a WARC header longer than 1M"));
    sheaf_diag_free(diag);
    sheaf_buf_fini(&b);
  }
  /* A gzip bomb: a record of 16 MB of zeros against a 1 MB limit. */
  {
    size_t zn, big = (size_t)16 << 20;
    unsigned char *gz;
    struct sheaf_warc_limits lim = {0};
    sheaf_buf_init(&b, 0);
    sheaf_buf_printf(&b, "WARC/1.1\r\nWARC-Type: resource\r\nContent-Length: %zu\r\n\r\n",
                     big);
    {
      char *zeros = sheaf_calloc(1, big);
      sheaf_buf_put(&b, zeros, big);
      sheaf_free(zeros);
    }
    gz = gzip_bytes(b.ptr, b.len, &zn);
    assert_true(zn < 100000);
    lim.max_size = 1 << 20;
    diag = sheaf_diag_new();
    count = read_all(gz, zn, &lim, recs, 4, diag);
    assert_int_equal(count, -(int)SHEAF_ERR_LIMIT);
    assert_true(diag_has(diag, "--max-input-size"));
    sheaf_diag_free(diag);
    sheaf_free(gz);
    sheaf_buf_fini(&b);
  }
  /* Not a WARC, and a bad Content-Length. */
  {
    static const char junk[] = "<rss version=\"2.0\"></rss>";
    static const char badlen[] = "WARC/1.1\r\nContent-Length: 12x\r\n\r\n";
    diag = sheaf_diag_new();
    assert_int_equal(read_all(junk, strlen(junk), NULL, recs, 4, diag),
                     -(int)SHEAF_ERR_PARSE);
    assert_int_equal(read_all(badlen, strlen(badlen), NULL, recs, 4, diag),
                     -(int)SHEAF_ERR_PARSE);
    assert_true(diag_has(diag, "Content-Length"));
    assert_int_equal(read_all("", 0, NULL, recs, 4, diag), 0);
    sheaf_diag_free(diag);
  }
}

/* ---- HTTP ------------------------------------------------------------- */

static sheaf_status decode(const char *block, size_t n, struct sheaf_buf *out,
                           bool *partial)
{
  struct sheaf_http_response resp;
  const char *why = NULL;
  sheaf_status st = sheaf_http_parse_response(block, n, &resp, &why);

  if (st == SHEAF_OK)
    st = sheaf_http_decode_body(&resp, block, n, out, partial, &why);
  sheaf_http_response_fini(&resp);
  return st;
}

static void test_http_parse(void **state)
{
  static const char block[] = "HTTP/1.1 301 Moved Permanently\r\n"
                              "Location: https://example.org/b\r\n"
                              "X-Folded: one\r\n"
                              "  two\r\n"
                              "no colon line\r\n"
                              "content-type :  text/html \r\n"
                              "\r\n"
                              "body";
  struct sheaf_http_response resp;
  struct sheaf_str v;
  const char *why;

  (void)state;
  assert_int_equal(sheaf_http_parse_response(block, strlen(block), &resp, &why),
                   SHEAF_OK);
  assert_int_equal(resp.status, 301);
  assert_true(sheaf_str_ieq(resp.reason, "Moved Permanently"));
  assert_true(sheaf_http_header_get(&resp, "location", &v));
  assert_true(sheaf_str_ieq(v, "https://example.org/b"));
  assert_true(sheaf_http_header_get(&resp, "Content-Type", &v));
  assert_true(sheaf_str_ieq(v, "text/html"));
  assert_true(sheaf_http_header_get(&resp, "X-Folded", &v));
  assert_memory_equal(v.p, "one", 3);
  assert_memory_equal(v.p + v.n - 3, "two", 3);
  assert_string_equal(block + resp.body_off, "body");
  sheaf_http_response_fini(&resp);

  assert_int_equal(sheaf_http_parse_response("GET / HTTP/1.1\r\n\r\n", 18, &resp, &why),
                   SHEAF_ERR_PARSE);
  sheaf_http_response_fini(&resp);
  assert_int_equal(sheaf_http_parse_response("HTTP/1.1 2000 OK\r\n\r\n", 20, &resp, &why),
                   SHEAF_ERR_PARSE);
  sheaf_http_response_fini(&resp);
  assert_int_equal(
      sheaf_http_parse_response("HTTP/1.1 200 OK\r\nA: b\r\n", 23, &resp, &why),
      SHEAF_ERR_PARSE);
  assert_string_equal(why, "the HTTP header has no end");
  sheaf_http_response_fini(&resp);
  /* HTTP/2 status lines as browser-based crawlers write them; bare LF. */
  assert_int_equal(sheaf_http_parse_response("HTTP/2 404\n\nx", 13, &resp, &why),
                   SHEAF_OK);
  assert_int_equal(resp.status, 404);
  sheaf_http_response_fini(&resp);
}

static void test_http_codings(void **state)
{
  struct sheaf_buf out, blk;
  const char *text = "<p>Some article text, long enough to compress. "
                     "Some article text, long enough to compress.</p>";
  size_t tn = strlen(text), gn;
  unsigned char *gz = gzip_bytes(text, tn, &gn);
  bool partial;

  (void)state;
  /* chunked */
  sheaf_buf_init(&out, 0);
  {
    static const char b[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                            "5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nTrailer: x\r\n\r\n";
    assert_int_equal(decode(b, strlen(b), &out, &partial), SHEAF_OK);
    assert_string_equal(out.ptr, "hello, world");
    assert_false(partial);
  }
  /* chunked, cut short */
  sheaf_buf_reset(&out);
  {
    static const char b[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                            "5\r\nhello\r\n10\r\nabc";
    assert_int_equal(decode(b, strlen(b), &out, &partial), SHEAF_OK);
    assert_string_equal(out.ptr, "helloabc");
    assert_true(partial);
  }
  /* chunked, stored de-chunked: used as it is */
  sheaf_buf_reset(&out);
  {
    static const char b[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n<html>";
    assert_int_equal(decode(b, strlen(b), &out, &partial), SHEAF_OK);
    assert_string_equal(out.ptr, "<html>");
  }
  /* gzip inside chunked */
  sheaf_buf_init(&blk, 0);
  sheaf_buf_printf(&blk,
                   "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n"
                   "Transfer-Encoding: chunked\r\n\r\n%zx\r\n",
                   gn);
  sheaf_buf_put(&blk, gz, gn);
  sheaf_buf_puts(&blk, "\r\n0\r\n\r\n");
  sheaf_buf_reset(&out);
  assert_int_equal(decode(blk.ptr, blk.len, &out, &partial), SHEAF_OK);
  assert_string_equal(out.ptr, text);
  assert_false(partial);
  /* deflate, zlib-wrapped and raw */
  {
    unsigned char z[512];
    uLongf zl = sizeof z;
    z_stream s;
    assert_int_equal(compress2(z, &zl, (const Bytef *)text, tn, 9), Z_OK);
    sheaf_buf_reset(&blk);
    sheaf_buf_puts(&blk, "HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\n\r\n");
    sheaf_buf_put(&blk, z, zl);
    sheaf_buf_reset(&out);
    assert_int_equal(decode(blk.ptr, blk.len, &out, &partial), SHEAF_OK);
    assert_string_equal(out.ptr, text);
    memset(&s, 0, sizeof s);
    deflateInit2(&s, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
    s.next_in = (Bytef *)(uintptr_t)text;
    s.avail_in = (uInt)tn;
    s.next_out = z;
    s.avail_out = sizeof z;
    assert_int_equal(deflate(&s, Z_FINISH), Z_STREAM_END);
    zl = sizeof z - s.avail_out;
    deflateEnd(&s);
    sheaf_buf_reset(&blk);
    sheaf_buf_puts(&blk, "HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\n\r\n");
    sheaf_buf_put(&blk, z, zl);
    sheaf_buf_reset(&out);
    assert_int_equal(decode(blk.ptr, blk.len, &out, &partial), SHEAF_OK);
    assert_string_equal(out.ptr, text);
  }
  /* br */
  {
    uint8_t br[512];
    size_t bl = sizeof br;
    assert_true(BrotliEncoderCompress(5, 22, BROTLI_MODE_TEXT, tn, (const uint8_t *)text,
                                      &bl, br));
    sheaf_buf_reset(&blk);
    sheaf_buf_puts(&blk, "HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\n");
    sheaf_buf_put(&blk, br, bl);
    sheaf_buf_reset(&out);
    assert_int_equal(decode(blk.ptr, blk.len, &out, &partial), SHEAF_OK);
    assert_string_equal(out.ptr, text);
    /* corrupt br */
    blk.ptr[blk.len - 3] ^= 0x55;
    blk.ptr[blk.len / 2 + 20] ^= 0x55;
    sheaf_buf_reset(&out);
    assert_int_not_equal(decode(blk.ptr, blk.len, &out, &partial), SHEAF_ERR_NOMEM);
  }
  /* gzip, then br: undone in reverse order */
  {
    uint8_t br[512];
    size_t bl = sizeof br;
    assert_true(BrotliEncoderCompress(5, 22, BROTLI_MODE_GENERIC, gn, gz, &bl, br));
    sheaf_buf_reset(&blk);
    sheaf_buf_puts(&blk, "HTTP/1.1 200 OK\r\nContent-Encoding: gzip, br\r\n\r\n");
    sheaf_buf_put(&blk, br, bl);
    sheaf_buf_reset(&out);
    assert_int_equal(decode(blk.ptr, blk.len, &out, &partial), SHEAF_OK);
    assert_string_equal(out.ptr, text);
  }
  /* unknown coding */
  {
    static const char b[] = "HTTP/1.1 200 OK\r\nContent-Encoding: zstd\r\n\r\nxx";
    sheaf_buf_reset(&out);
    assert_int_equal(decode(b, strlen(b), &out, &partial), SHEAF_ERR_PARSE);
  }
  /* a gzip bomb in a body: 16 MB of zeros against a 1 MB buffer */
  {
    size_t big = (size_t)16 << 20, bn;
    char *zeros = sheaf_calloc(1, big);
    unsigned char *bomb = gzip_bytes(zeros, big, &bn);
    struct sheaf_buf small;
    sheaf_free(zeros);
    sheaf_buf_reset(&blk);
    sheaf_buf_puts(&blk, "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n");
    sheaf_buf_put(&blk, bomb, bn);
    sheaf_buf_init(&small, 1 << 20);
    assert_int_equal(decode(blk.ptr, blk.len, &small, &partial), SHEAF_ERR_LIMIT);
    sheaf_buf_fini(&small);
    sheaf_free(bomb);
  }
  /* truncated gzip keeps what was decoded */
  sheaf_buf_reset(&blk);
  sheaf_buf_puts(&blk, "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n");
  sheaf_buf_put(&blk, gz, gn - 8);
  sheaf_buf_reset(&out);
  assert_int_equal(decode(blk.ptr, blk.len, &out, &partial), SHEAF_OK);
  assert_true(partial);
  sheaf_free(gz);
  sheaf_buf_fini(&blk);
  sheaf_buf_fini(&out);
}

/* ---- the collection's archived resources (core/resources.c) ----------- */

static void test_resources(void **state)
{
  struct sheaf_collection *c = (struct sheaf_collection *)sheaf_collection_new();
  char *data;
  size_t len;
  uint64_t id1, id2;

  (void)state;
  assert_int_equal(sheaf_resources_get(c, "http://a.test/x.png", 0, &data, &len),
                   SHEAF_ERR_IO);
  assert_int_equal(sheaf_resources_add(c, "http://a.test/x.png#frag", "PNG1", 4, 100),
                   SHEAF_OK);
  /* An older capture does not replace a newer one; a newer one does. */
  assert_int_equal(sheaf_resources_add(c, "http://a.test/x.png", "OLD!", 4, 50),
                   SHEAF_OK);
  assert_int_equal(sheaf_resources_get(c, "http://a.test/x.png", 0, &data, &len),
                   SHEAF_OK);
  assert_string_equal(data, "PNG1");
  sheaf_free(data);
  assert_int_equal(sheaf_resources_add(c, "http://a.test/x.png", "PNG2!", 5, 200),
                   SHEAF_OK);
  assert_int_equal(sheaf_resources_get(c, "http://a.test/x.png#top", 0, &data, &len),
                   SHEAF_OK);
  assert_string_equal(data, "PNG2!");
  assert_int_equal(len, 5);
  sheaf_free(data);
  /* Identical bytes under two URLs are stored once. */
  assert_int_equal(sheaf_resources_add(c, "http://b.test/y.png", "PNG2!", 5, 0),
                   SHEAF_OK);
  assert_int_equal(sheaf_resources_find(c, "http://a.test/x.png", &id1, &len), SHEAF_OK);
  assert_int_equal(sheaf_resources_find(c, "http://b.test/y.png", &id2, &len), SHEAF_OK);
  assert_true(id1 == id2);
  /* Redirects, followed; a loop and a chain of 12 are not. */
  assert_int_equal(
      sheaf_resources_redirect(c, "http://a.test/old", "http://b.test/y.png", 0),
      SHEAF_OK);
  assert_int_equal(sheaf_resources_get(c, "http://a.test/old", 4, &data, &len),
                   SHEAF_ERR_LIMIT);
  assert_int_equal(sheaf_resources_get(c, "http://a.test/old", 0, &data, &len), SHEAF_OK);
  assert_string_equal(data, "PNG2!");
  sheaf_free(data);
  sheaf_resources_redirect(c, "http://l.test/1", "http://l.test/2", 0);
  sheaf_resources_redirect(c, "http://l.test/2", "http://l.test/1", 0);
  assert_int_equal(sheaf_resources_get(c, "http://l.test/1", 0, &data, &len),
                   SHEAF_ERR_IO);
  {
    char from[64], to[64];
    int i;
    for (i = 0; i < 12; i++) {
      snprintf(from, sizeof from, "http://c.test/%d", i);
      snprintf(to, sizeof to, "http://c.test/%d", i + 1);
      sheaf_resources_redirect(c, from, to, 0);
    }
    sheaf_resources_add(c, "http://c.test/12", "END", 3, 0);
    assert_int_equal(sheaf_resources_get(c, "http://c.test/3", 0, &data, &len), SHEAF_OK);
    sheaf_free(data);
    assert_int_equal(sheaf_resources_get(c, "http://c.test/0", 0, &data, &len),
                     SHEAF_ERR_IO);
  }
  sheaf_collection_free((sheaf_collection *)c);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sha1_label),   cmocka_unit_test(test_new_id),
      cmocka_unit_test(test_round_trip),   cmocka_unit_test(test_hand_built),
      cmocka_unit_test(test_hostile),      cmocka_unit_test(test_http_parse),
      cmocka_unit_test(test_http_codings), cmocka_unit_test(test_resources),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
