/*
 * This file contains the HTTP/1.x message reading that WARC response
 * blocks need: the status line and header fields (RFC 9112), the chunked
 * transfer coding, and the gzip, deflate and br content codings (zlib and
 * libbrotli). Everything works on a block in memory and is bounded: header
 * lines by count and size, decoded bodies by the output buffer's max.
 */
#include <string.h>

#include <brotli/decode.h>
#include <zlib.h>

#include "warc/warc.h"

#define MAX_HEADERS 1000
#define MAX_HEADER_BYTES ((size_t)1 << 20)

static bool is_ws(char c)
{
  return c == ' ' || c == '\t';
}

/* The line at p[0..n): its length without the line end in *len, and the
 * offset after the line end; returns false when no LF ends it. */
static bool next_line(const char *p, size_t n, size_t *len, size_t *next)
{
  const char *nl = memchr(p, '\n', n);

  if (nl == NULL)
    return false;
  *next = (size_t)(nl - p) + 1;
  *len = (size_t)(nl - p);
  if (*len > 0 && p[*len - 1] == '\r')
    (*len)--;
  return true;
}

void sheaf_http_response_fini(struct sheaf_http_response *resp)
{
  sheaf_free(resp->headers);
  memset(resp, 0, sizeof *resp);
}

sheaf_status sheaf_http_parse_response(const char *block, size_t n,
                                       struct sheaf_http_response *resp, const char **why)
{
  size_t pos, len, next, cap = 0;
  const char *l;
  const char *dummy;

  if (why == NULL)
    why = &dummy;
  memset(resp, 0, sizeof *resp);
  if (!next_line(block, n < MAX_HEADER_BYTES ? n : MAX_HEADER_BYTES, &len, &next)) {
    *why = "no HTTP status line";
    return SHEAF_ERR_PARSE;
  }
  /* HTTP-version SP status-code [SP reason-phrase] */
  l = block;
  if (len < 10 || memcmp(l, "HTTP/", 5) != 0) {
    *why = "not an HTTP response";
    return SHEAF_ERR_PARSE;
  }
  {
    size_t i = 5;
    while (i < len && !is_ws(l[i]))
      i++;
    while (i < len && is_ws(l[i]))
      i++;
    if (i + 3 > len || l[i] < '1' || l[i] > '5' || l[i + 1] < '0' || l[i + 1] > '9' ||
        l[i + 2] < '0' || l[i + 2] > '9' || (i + 3 < len && !is_ws(l[i + 3]))) {
      *why = "no status code in the HTTP status line";
      return SHEAF_ERR_PARSE;
    }
    resp->status = (l[i] - '0') * 100 + (l[i + 1] - '0') * 10 + (l[i + 2] - '0');
    i += 3;
    while (i < len && is_ws(l[i]))
      i++;
    resp->reason.p = l + i;
    resp->reason.n = len - i;
  }
  pos = next;
  for (;;) {
    size_t limit = n - pos;
    struct sheaf_str name, value;
    const char *colon;
    if (pos > MAX_HEADER_BYTES) {
      *why = "an HTTP header over 1 MB";
      return SHEAF_ERR_PARSE;
    }
    if (limit > MAX_HEADER_BYTES)
      limit = MAX_HEADER_BYTES;
    if (!next_line(block + pos, limit, &len, &next)) {
      *why = "the HTTP header has no end";
      return SHEAF_ERR_PARSE;
    }
    l = block + pos;
    pos += next;
    if (len == 0)
      break;
    if (is_ws(l[0]) && resp->nheaders > 0) {
      /* obs-fold: the previous value runs on over this line. */
      struct sheaf_http_header *h = &resp->headers[resp->nheaders - 1];
      h->value.n = (size_t)(l + len - h->value.p);
      h->value = sheaf_str_trim(h->value);
      continue;
    }
    colon = memchr(l, ':', len);
    if (colon == NULL || colon == l)
      continue; /* not a field; browsers skip such lines too */
    if (resp->nheaders >= MAX_HEADERS) {
      *why = "more than 1,000 HTTP header fields";
      return SHEAF_ERR_PARSE;
    }
    if (!sheaf_grow((void **)&resp->headers, &cap, resp->nheaders + 1,
                    sizeof *resp->headers))
      return SHEAF_ERR_NOMEM;
    name.p = l;
    name.n = (size_t)(colon - l);
    value.p = colon + 1;
    value.n = len - name.n - 1;
    resp->headers[resp->nheaders].name = sheaf_str_trim(name);
    resp->headers[resp->nheaders].value = sheaf_str_trim(value);
    resp->nheaders++;
  }
  resp->body_off = pos;
  return SHEAF_OK;
}

bool sheaf_http_header_get(const struct sheaf_http_response *resp, const char *name,
                           struct sheaf_str *value)
{
  size_t i;

  for (i = 0; i < resp->nheaders; i++)
    if (sheaf_str_ieq(resp->headers[i].name, name)) {
      *value = resp->headers[i].value;
      return true;
    }
  return false;
}

/* ---- transfer and content codings ------------------------------------- */

/* Whether the comma-separated list `v` has `token` (case-insensitive). */
static bool list_has(struct sheaf_str v, const char *token)
{
  size_t i = 0;

  while (i < v.n) {
    struct sheaf_str t;
    size_t j = i;
    while (j < v.n && v.p[j] != ',')
      j++;
    t.p = v.p + i;
    t.n = j - i;
    t = sheaf_str_trim(t);
    if (sheaf_str_ieq(t, token))
      return true;
    i = j + 1;
  }
  return false;
}

/* Undoes chunked coding of p[0..n) into out. Returns false when p does not
 * start with a chunk-size line at all (then the body was stored
 * de-chunked, as some tools do, and is used as it is). */
static bool dechunk(const char *p, size_t n, struct sheaf_buf *out, bool *partial)
{
  size_t pos = 0;
  bool first = true;

  for (;;) {
    uint64_t size = 0;
    size_t len, next, i = 0;
    int digits = 0;
    if (!next_line(p + pos, n - pos, &len, &next)) {
      *partial = true;
      return !first;
    }
    while (i < len && sheaf_hexval((unsigned char)p[pos + i]) >= 0 && digits < 16) {
      size = size * 16 + (uint64_t)sheaf_hexval((unsigned char)p[pos + i]);
      i++;
      digits++;
    }
    if (digits == 0 || (i < len && p[pos + i] != ';' && !is_ws(p[pos + i]))) {
      if (first)
        return false;
      *partial = true;
      return true;
    }
    first = false;
    pos += next;
    if (size == 0)
      return true; /* trailers, if any, are not content */
    if (size > n - pos) {
      sheaf_buf_put(out, p + pos, n - pos);
      *partial = true;
      return true;
    }
    if (!sheaf_buf_put(out, p + pos, (size_t)size))
      return true; /* out->failed tells */
    pos += (size_t)size;
    /* CRLF after the data */
    if (pos < n && p[pos] == '\r')
      pos++;
    if (pos < n && p[pos] == '\n')
      pos++;
  }
}

static sheaf_status inflate_into(const unsigned char *p, size_t n, int window,
                                 struct sheaf_buf *out, bool *partial, const char **why)
{
  unsigned char tmp[16384];
  z_stream z;
  int zr;
  size_t start_len = out->len;

  memset(&z, 0, sizeof z);
  if (inflateInit2(&z, window) != Z_OK)
    return SHEAF_ERR_NOMEM;
  z.next_in = (Bytef *)(uintptr_t)p;
  z.avail_in = (uInt)(n > UINT32_MAX ? UINT32_MAX : n);
  do {
    z.next_out = tmp;
    z.avail_out = sizeof tmp;
    zr = inflate(&z, Z_NO_FLUSH);
    if (zr == Z_NEED_DICT || zr == Z_DATA_ERROR || zr == Z_MEM_ERROR) {
      inflateEnd(&z);
      if (zr == Z_MEM_ERROR)
        return SHEAF_ERR_NOMEM;
      if (out->len == start_len && sizeof tmp - z.avail_out == 0) {
        *why = "corrupt compressed HTTP body";
        return SHEAF_ERR_PARSE;
      }
      *partial = true;
      return SHEAF_OK;
    }
    if (!sheaf_buf_put(out, tmp, sizeof tmp - z.avail_out)) {
      inflateEnd(&z);
      return out->max != 0 && out->len + (sizeof tmp - z.avail_out) > out->max
                 ? SHEAF_ERR_LIMIT
                 : SHEAF_ERR_NOMEM;
    }
    if (zr == Z_STREAM_END && z.avail_in > 0 && window == 15 + 16) {
      /* Concatenated gzip members are one body (RFC 1952 2.2). */
      if (z.avail_in >= 2 && z.next_in[0] == 0x1f && z.next_in[1] == 0x8b) {
        inflateReset(&z);
        zr = Z_OK;
      }
    }
  } while (zr == Z_OK);
  if (zr != Z_STREAM_END)
    *partial = true;
  inflateEnd(&z);
  return SHEAF_OK;
}

static sheaf_status unbrotli(const unsigned char *p, size_t n, struct sheaf_buf *out,
                             bool *partial, const char **why)
{
  BrotliDecoderState *s = BrotliDecoderCreateInstance(NULL, NULL, NULL);
  BrotliDecoderResult res;
  unsigned char tmp[16384];
  size_t avail_in = n;
  const uint8_t *next_in = p;

  if (s == NULL)
    return SHEAF_ERR_NOMEM;
  do {
    size_t avail_out = sizeof tmp;
    uint8_t *next_out = tmp;
    res = BrotliDecoderDecompressStream(s, &avail_in, &next_in, &avail_out, &next_out,
                                        NULL);
    if (!sheaf_buf_put(out, tmp, sizeof tmp - avail_out)) {
      BrotliDecoderDestroyInstance(s);
      return out->max != 0 && out->len + (sizeof tmp - avail_out) > out->max
                 ? SHEAF_ERR_LIMIT
                 : SHEAF_ERR_NOMEM;
    }
  } while (res == BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT);
  BrotliDecoderDestroyInstance(s);
  if (res == BROTLI_DECODER_RESULT_ERROR) {
    *why = "corrupt brotli HTTP body";
    return SHEAF_ERR_PARSE;
  }
  if (res != BROTLI_DECODER_RESULT_SUCCESS)
    *partial = true;
  return SHEAF_OK;
}

/* Undoes one content coding of in[0..n) into out. */
static sheaf_status decode_one(struct sheaf_str coding, const char *in, size_t n,
                               struct sheaf_buf *out, bool *partial, const char **why)
{
  const unsigned char *p = (const unsigned char *)in;

  if (sheaf_str_ieq(coding, "identity") || coding.n == 0)
    return sheaf_buf_put(out, in, n) ? SHEAF_OK : SHEAF_ERR_LIMIT;
  if (sheaf_str_ieq(coding, "gzip") || sheaf_str_ieq(coding, "x-gzip")) {
    /* A body that is no gzip at all was stored decoded (some tools do);
     * keep it rather than lose the page. */
    if (n < 2 || p[0] != 0x1f || p[1] != 0x8b)
      return sheaf_buf_put(out, in, n) ? SHEAF_OK : SHEAF_ERR_LIMIT;
    return inflate_into(p, n, 15 + 16, out, partial, why);
  }
  if (sheaf_str_ieq(coding, "deflate")) {
    /* RFC 9110 says zlib; some servers send raw deflate. */
    bool zlib = n >= 2 && (p[0] & 0x0f) == 8 && ((unsigned)p[0] << 8 | p[1]) % 31 == 0;
    return inflate_into(p, n, zlib ? 15 : -15, out, partial, why);
  }
  if (sheaf_str_ieq(coding, "br"))
    return unbrotli(p, n, out, partial, why);
  *why = "an HTTP content coding sheaf cannot undo";
  return SHEAF_ERR_PARSE;
}

sheaf_status sheaf_http_decode_body(const struct sheaf_http_response *resp,
                                    const char *block, size_t n, struct sheaf_buf *out,
                                    bool *partial, const char **why)
{
  struct sheaf_buf a, b;
  struct sheaf_str te, ce;
  const char *body = block + resp->body_off;
  size_t blen = resp->body_off <= n ? n - resp->body_off : 0;
  struct sheaf_str codings[8];
  size_t ncodings = 0, i;
  sheaf_status ret = SHEAF_OK;
  bool dummy_partial;
  const char *dummy_why;

  if (partial == NULL)
    partial = &dummy_partial;
  if (why == NULL)
    why = &dummy_why;
  *partial = false;
  sheaf_buf_init(&a, out->max);
  sheaf_buf_init(&b, out->max);
  if (sheaf_http_header_get(resp, "Transfer-Encoding", &te) && list_has(te, "chunked")) {
    if (dechunk(body, blen, &a, partial)) {
      if (a.failed) {
        ret = out->max != 0 && blen > out->max ? SHEAF_ERR_LIMIT : SHEAF_ERR_NOMEM;
        goto out;
      }
      body = a.ptr;
      blen = a.len;
    }
  }
  if (sheaf_http_header_get(resp, "Content-Encoding", &ce)) {
    size_t s = 0;
    while (s < ce.n) {
      size_t e = s;
      struct sheaf_str t;
      while (e < ce.n && ce.p[e] != ',')
        e++;
      t.p = ce.p + s;
      t.n = e - s;
      t = sheaf_str_trim(t);
      if (t.n > 0 && !sheaf_str_ieq(t, "identity")) {
        if (ncodings == sizeof codings / sizeof codings[0]) {
          *why = "more than 8 HTTP content codings";
          ret = SHEAF_ERR_PARSE;
          goto out;
        }
        codings[ncodings++] = t;
      }
      s = e + 1;
    }
  }
  /* Codings were applied in the order listed: undo them last first, each
   * stage from one buffer into the other. */
  for (i = ncodings; i-- > 0;) {
    struct sheaf_buf *dst = i == 0 ? out : (body == a.ptr ? &b : &a);
    if (dst != out)
      sheaf_buf_reset(dst);
    ret = decode_one(codings[i], body, blen, dst, partial, why);
    if (ret != SHEAF_OK)
      goto out;
    body = dst->ptr;
    blen = dst->len;
  }
  if (ncodings == 0 && !sheaf_buf_put(out, body, blen))
    ret = out->max != 0 && out->len + blen > out->max ? SHEAF_ERR_LIMIT : SHEAF_ERR_NOMEM;
out:
  if (ret == SHEAF_ERR_LIMIT)
    *why = "the decoded HTTP body exceeds the size limit";
  sheaf_buf_fini(&a);
  sheaf_buf_fini(&b);
  return ret;
}
