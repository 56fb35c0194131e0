/*
 * This file contains struct sheaf_buf, the growing byte buffer all output is
 * built in. A failed append (no memory, or over the buffer's `max`) sets a
 * sticky flag, so a run of appends can be checked once at the end.
 */
#include <stdio.h>
#include <string.h>

#include "core/core.h"

/* Every empty buffer points here, so `ptr` is never NULL (cmark's trick). */
static char empty[1] = "";

void sheaf_buf_init(struct sheaf_buf *b, size_t max)
{
  b->ptr = empty;
  b->len = 0;
  b->cap = 0;
  b->max = max;
  b->failed = false;
}

void sheaf_buf_fini(struct sheaf_buf *b)
{
  if (b->cap)
    sheaf_free(b->ptr);
  sheaf_buf_init(b, b->max);
}

void sheaf_buf_reset(struct sheaf_buf *b)
{
  b->len = 0;
  b->failed = false;
  if (b->cap)
    b->ptr[0] = '\0';
}

char *sheaf_buf_detach(struct sheaf_buf *b, size_t *len)
{
  char *p;

  if (b->failed) {
    sheaf_buf_fini(b);
    return NULL;
  }
  p = b->cap ? b->ptr : sheaf_strdup("");
  if (len)
    *len = b->cap ? b->len : 0;
  sheaf_buf_init(b, b->max);
  return p;
}

static bool reserve(struct sheaf_buf *b, size_t extra)
{
  size_t need, ncap;
  char *p;

  if (b->failed)
    return false;
  if (extra > SIZE_MAX - b->len - 1 || (b->max && b->len + extra > b->max)) {
    b->failed = true;
    return false;
  }
  need = b->len + extra + 1;
  if (need <= b->cap)
    return true;
  ncap = b->cap ? b->cap : 64;
  while (ncap < need)
    ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
  p = b->cap ? sheaf_realloc(b->ptr, ncap) : sheaf_malloc(ncap);
  if (p == NULL) {
    b->failed = true;
    return false;
  }
  if (!b->cap)
    p[0] = '\0';
  b->ptr = p;
  b->cap = ncap;
  return true;
}

bool sheaf_buf_put(struct sheaf_buf *b, const void *p, size_t n)
{
  if (n == 0)
    return !b->failed;
  if (!reserve(b, n))
    return false;
  memcpy(b->ptr + b->len, p, n);
  b->len += n;
  b->ptr[b->len] = '\0';
  return true;
}

bool sheaf_buf_puts(struct sheaf_buf *b, const char *s)
{
  return sheaf_buf_put(b, s, strlen(s));
}

bool sheaf_buf_printf(struct sheaf_buf *b, const char *fmt, ...)
{
  va_list ap;
  int n;

  va_start(ap, fmt);
  n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0 || !reserve(b, (size_t)n)) {
    b->failed = true;
    return false;
  }
  va_start(ap, fmt);
  vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
  return true;
}

/* The one filter of everything sheaf writes into XML: with `escape`, the
 * markup characters become references (and, with `attr`, quotes and line
 * breaks too); always, what XML 1.0 forbids is dropped and invalid UTF-8
 * becomes U+FFFD, so no input byte can make a document ill-formed. */
/* Which ASCII bytes end a run of bytes copied as they are, per mode (bit 0:
 * text, bit 1: attribute value, bit 2: characters left unescaped): the
 * controls in every mode, the markup characters where they are escaped.
 * Every byte from 0x80 up ends a run too, to be checked as UTF-8. */
#define STOP4 7, 7, 7, 7
static const unsigned char xml_stop[128] = {
    STOP4, STOP4, STOP4,     STOP4,     STOP4,     STOP4,
    STOP4, STOP4, ['"'] = 2, ['&'] = 3, ['<'] = 3, ['>'] = 3};
#undef STOP4

/* Whether any of the eight bytes at p may need a look in `mode` (see
 * xml_stop): a byte past 0x7F or below 0x20, or, escaping, one of & < >
 * (and " in attribute values). Exact when it says no; a yes only sends
 * the bytes to the test one at a time. */
#define ONES 0x0101010101010101u
#define HIGHS 0x8080808080808080u
#define HAS_ZERO(x) (((x)-ONES) & ~(x)&HIGHS)
static bool look8(const unsigned char *p, unsigned char mode)
{
  uint64_t w, t;

  memcpy(&w, p, 8);
  t = (w | ((w - ONES * 0x20) & ~w)) & HIGHS;
  if (mode != 4)
    t |= HAS_ZERO(w ^ (ONES * '&')) | HAS_ZERO(w ^ (ONES * '<')) |
         HAS_ZERO(w ^ (ONES * '>'));
  if (mode == 2)
    t |= HAS_ZERO(w ^ (ONES * '"'));
  return t != 0;
}
#undef HAS_ZERO
#undef HIGHS
#undef ONES

static bool put_xml(struct sheaf_buf *b, const char *s, size_t n, bool escape, bool attr)
{
  const unsigned char *p = (const unsigned char *)s;
  const unsigned char mode = !escape ? 4 : attr ? 2 : 1;
  size_t i = 0, from = 0, len, stop;

  /* Eight bytes at a time while none needs a look, then a table test per
   * byte to the end of those eight, with valid UTF-8 checked in place:
   * this filter sees every byte of every chapter. */
  while (i < n) {
    while (n - i >= 8 && !look8(p + i, mode))
      i += 8;
    stop = n - i >= 8 ? i + 8 : n;
    while (i < stop) {
      const char *rep;
      unsigned char c = p[i];
      if (c < 0x80) {
        if (!(xml_stop[c] & mode)) {
          i++;
          continue;
        }
        len = 1;
        if (c == '&')
          rep = "&amp;";
        else if (c == '<')
          rep = "&lt;";
        else if (c == '>')
          rep = "&gt;";
        else if (c == '"')
          rep = "&quot;";
        else if (c == '\n' || c == '\t' || c == '\r')
          rep = attr && escape ? " " : NULL;
        else
          rep = ""; /* a control XML 1.0 forbids */
      } else {
        len = sheaf_utf8_len(s + i, n - i);
        if (len == 0) {
          len = 1;
          rep = "\xEF\xBF\xBD"; /* U+FFFD: keep a mark where bytes were bad */
        } else if (len == 3 && c == 0xEF && p[i + 1] == 0xBF && p[i + 2] >= 0xBE) {
          rep = ""; /* U+FFFE and U+FFFF are no characters */
        } else {
          rep = NULL;
        }
      }
      if (rep) {
        sheaf_buf_put(b, s + from, i - from);
        sheaf_buf_puts(b, rep);
        from = i + len;
      }
      i += len; /* a character may end past `stop`: the next round starts there */
    }
  }
  sheaf_buf_put(b, s + from, n - from);
  return !b->failed;
}

bool sheaf_buf_put_xml(struct sheaf_buf *b, const char *s, size_t n, bool attr)
{
  return put_xml(b, s, n, true, attr);
}

bool sheaf_buf_put_xml_chars(struct sheaf_buf *b, const char *s, size_t n)
{
  return put_xml(b, s, n, false, false);
}
