/*
 * This file contains sheaf's one URL toolkit: percent-decoding, the
 * authority of an absolute URL (user info, host, port), and the cleaner
 * every href and image source of a book goes through (allowed schemes,
 * resolution against the article's URL, percent-encoding, and host names
 * in the ASCII form EPUBCheck and DNS want). The layout stage's links,
 * images and sanitizer use it, and so do slugs.
 */
#include <ctype.h>
#include <string.h>

#include <idn2.h>
#include <libxml/uri.h>

#include "core/core.h"

/* ---- percent-escapes and the authority ---------------------------------- */

int sheaf_url_pct(const char *p, size_t n)
{
  int hi, lo;

  if (n < 3 || p[0] != '%' || (hi = sheaf_hexval((unsigned char)p[1])) < 0 ||
      (lo = sheaf_hexval((unsigned char)p[2])) < 0)
    return -1;
  return hi * 16 + lo;
}

bool sheaf_url_decode(struct sheaf_buf *out, const char *p, size_t n)
{
  size_t i, run = 0;

  for (i = 0; i < n; i++) {
    int c = p[i] == '%' ? sheaf_url_pct(p + i, n - i) : -1;
    if (c < 0)
      continue;
    sheaf_buf_put(out, p + run, i - run);
    sheaf_buf_putc(out, (char)c);
    i += 2;
    run = i + 1;
  }
  sheaf_buf_put(out, p + run, n - run);
  return !out->failed;
}

bool sheaf_url_authority(const char *url, struct sheaf_url_authority *a)
{
  size_t colon = strcspn(url, ":");
  const char *at, *h;

  /* The scheme ends at the first ':'; only "scheme://" has an authority. */
  if (url[colon] != ':' || url[colon + 1] != '/' || url[colon + 2] != '/')
    return false;
  a->start = colon + 3;
  a->end = a->start + strcspn(url + a->start, "/?#");
  at = memchr(url + a->start, '@', a->end - a->start);
  a->host = at ? (size_t)(at - url) + 1 : a->start;
  h = url + a->host;
  if (*h == '[') { /* an IPv6 literal holds colons of its own */
    const char *rb = memchr(h, ']', a->end - a->host);
    a->host_end = rb ? (size_t)(rb - url) + 1 : a->end;
  } else {
    const char *port = memchr(h, ':', a->end - a->host);
    a->host_end = port ? (size_t)(port - url) : a->end;
  }
  return true;
}

size_t sheaf_url_scheme(const char *s)
{
  size_t i = 0;

  if (!isalpha((unsigned char)s[0]))
    return 0;
  while (isalnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.')
    i++;
  return s[i] == ':' ? i : 0;
}

char *sheaf_url_resolve(const char *ref, const char *base)
{
  xmlChar *built = xmlBuildURI(BAD_CAST ref, BAD_CAST base);
  char *r;

  if (built == NULL)
    return NULL;
  r = sheaf_strdup((const char *)built);
  xmlFree(built); /* libxml2's allocation goes back to libxml2 */
  return r;
}

/* ---- the cleaner ---------------------------------------------------------------- */

static bool scheme_ok(const char *s, size_t n)
{
  static const char *const ok[] = {"http", "https", "mailto", "ftp", "tel"};
  size_t i;

  for (i = 0; i < sizeof ok / sizeof ok[0]; i++)
    if (strlen(ok[i]) == n && sheaf_str_ieq((struct sheaf_str){s, n}, ok[i]))
      return true;
  return false;
}

/* Bytes a URL may not hold as they are: controls, space, non-ASCII and
 * the characters RFC 3986 leaves out. */
static bool url_unsafe(unsigned char c)
{
  switch (c) {
  case '"':
  case '<':
  case '>':
  case '\\':
  case '^':
  case '`':
  case '{':
  case '|':
  case '}':
    return true;
  default:
    return c <= 0x20 || c >= 0x7f;
  }
}

/* Percent-encodes what may not stand in a URI. */
static bool url_encode(struct sheaf_buf *b, const char *s)
{
  static const char hex[] = "0123456789ABCDEF";
  const unsigned char *p = (const unsigned char *)s, *run = p;
  bool hash = false;

  /* Runs of bytes that stay go out whole. */
  for (; *p; p++) {
    bool esc;
    if (*p == '%') {
      esc = !(isxdigit(p[1]) && isxdigit(p[2]));
    } else if (*p == '#') {
      esc = hash; /* a second '#' is no fragment's start */
      hash = true;
    } else {
      esc = url_unsafe(*p);
    }
    if (esc) {
      const char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
      sheaf_buf_put(b, run, (size_t)(p - run));
      sheaf_buf_put(b, e, 3);
      run = p + 1;
    }
  }
  sheaf_buf_put(b, run, (size_t)(p - run));
  return !b->failed;
}

/* ---- internationalized host names ----------------------------------- */

/* Appends the UTF-8 host h[0..len) in its ASCII form: UTS #46 mapping
 * (lower case, NFC; nontransitional, so "ß" stays a letter of its own, as
 * browsers have it), then "xn--" punycode for labels that need it, by
 * libidn2. EPUBCheck (and Java's URL parser) reject hosts with non-ASCII
 * characters, escaped or not; their ASCII form is what DNS sees anyway.
 * Returns false with *why (libidn2's static message) for a name IDNA does
 * not allow, or when out of memory (*why NULL). */
static bool host_to_ascii(struct sheaf_buf *out, const char *h, size_t len,
                          const char **why)
{
  char *in = sheaf_strndup(h, len), *ascii = NULL;
  int rc;

  *why = NULL;
  if (!in)
    return false;
  rc = idn2_to_ascii_8z(in, &ascii, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
  sheaf_free(in);
  if (rc != IDN2_OK) {
    if (rc != IDN2_MALLOC)
      *why = idn2_strerror(rc);
    return false;
  }
  sheaf_buf_puts(out, ascii);
  idn2_free(ascii);
  return !out->failed;
}

/* Checks the host of an absolute URL in place. Percent-escaped UTF-8 in a
 * host (an internationalized name) goes back to UTF-8, which an IRI allows
 * and readers resolve; a host with anything else a host cannot hold (an
 * unclosed attribute swallowed "</div>", empty labels) makes the URL
 * unusable: returns false, and the caller drops the link but keeps its
 * text. URLs without an authority pass. */
static bool host_ok(char *url)
{
  struct sheaf_url_authority a;
  char *h, *end, *o, *p;
  bool v6;

  if (!sheaf_url_authority(url, &a))
    return true;
  h = url + a.host;
  end = url + a.end;
  /* Decode %XX (only bytes >= 0x80 may be escaped in a host). */
  for (p = o = h; p < end;) {
    int c = sheaf_url_pct(p, (size_t)(end - p));
    if (c >= 0 && c < 0x80)
      return false;
    if (c >= 0) {
      *o++ = (char)c;
      p += 3;
    } else {
      *o++ = *p++;
    }
  }
  if (o != end)
    memmove(o, end, strlen(end) + 1);
  sheaf_url_authority(url, &a); /* decoding moved the port and the path */
  end = url + a.host_end;
  v6 = *h == '[';
  if (end == h || h[0] == '.' || h[0] == '-')
    return false;
  for (p = h; p < end; p++) {
    unsigned char c = (unsigned char)*p;
    if (c == '.' && p + 1 < end && p[1] == '.')
      return false;
    if (!(c >= 0x80 || isalnum(c) || c == '.' || c == '-' || c == '_' || c == '[' ||
          c == ']' || (c == ':' && v6)))
      return false;
  }
  return true;
}

/* host_ok(), then a host with non-ASCII letters in its IDNA form. Returns
 * the URL (maybe a new string; `url` is then freed) or NULL, with *why set
 * when IDNA refused the name. */
static char *fix_host(char *url, bool *nomem, const char **why)
{
  struct sheaf_url_authority a;
  struct sheaf_buf b;
  size_t i;

  if (!host_ok(url)) {
    sheaf_free(url);
    return NULL;
  }
  if (!sheaf_url_authority(url, &a))
    return url;
  for (i = a.host; i < a.end && (unsigned char)url[i] < 0x80; i++)
    ;
  if (i == a.end)
    return url;
  sheaf_buf_init(&b, 0);
  sheaf_buf_put(&b, url, a.host);
  if (!host_to_ascii(&b, url + a.host, a.host_end - a.host, why)) {
    if (*why == NULL)
      *nomem = true;
    sheaf_buf_fini(&b);
    sheaf_free(url);
    return NULL;
  }
  sheaf_buf_puts(&b, url + a.host_end);
  sheaf_free(url);
  url = sheaf_buf_detach(&b, NULL);
  if (url == NULL)
    *nomem = true;
  return url;
}

char *sheaf_url_clean(const char *raw, const char *base, bool *nomem, const char **why)
{
  struct sheaf_buf v, k, e;
  char *res = NULL;
  size_t i, n = strlen(raw), s, t;
  char *built = NULL;
  const char *ignored, *key;

  *nomem = false;
  if (why == NULL)
    why = &ignored;
  *why = NULL;
  sheaf_buf_init(&v, 0);
  sheaf_buf_init(&k, 0);
  sheaf_buf_init(&e, 0);
  /* Trim ASCII whitespace and controls; drop controls inside (browsers
   * ignore tabs and newlines in URLs, which "java\tscript:" relies on). */
  for (s = 0; s < n && (unsigned char)raw[s] <= 0x20; s++)
    ;
  for (t = n; t > s && (unsigned char)raw[t - 1] <= 0x20; t--)
    ;
  for (i = s; i < t && (unsigned char)raw[i] > 0x20 && raw[i] != 0x7f; i++)
    ;
  if (i == t) {
    /* Nothing inside to drop (most URLs): one copy serves as both. */
    sheaf_buf_put(&v, raw + s, t - s);
    key = v.ptr;
  } else {
    for (i = s; i < t; i++) {
      unsigned char c = (unsigned char)raw[i];
      if ((c < 0x20 && c != ' ') || c == 0x7f)
        continue;
      sheaf_buf_putc(&v, (char)c);
      if (c != ' ')
        sheaf_buf_putc(&k, (char)c);
    }
    key = k.ptr;
  }
  if (v.failed || k.failed)
    goto nomem;
  if (v.len == 0)
    goto out;
  /* The scheme, if any, ends at the first ':' before any '/', '?', '#';
   * `key` is the URL without its spaces. */
  i = strcspn(key, ":/?#");
  if (key[i] == ':') {
    if (sheaf_url_scheme(key) != i || !scheme_ok(key, i))
      goto out;
    if (!url_encode(&e, v.ptr))
      goto nomem;
    res = sheaf_buf_detach(&e, NULL);
    if (!res)
      goto nomem;
    goto out;
  }
  if (!url_encode(&e, v.ptr))
    goto nomem;
  if (e.ptr[0] == '#') {
    res = sheaf_buf_detach(&e, NULL);
    if (!res)
      goto nomem;
    goto out;
  }
  /* Relative: only useful against a base (else it points into the book at
   * a file that does not exist). */
  if (base == NULL || *base == '\0')
    goto out;
  built = sheaf_url_resolve(e.ptr, base);
  if (built == NULL)
    goto out;
  if (!sheaf_starts_with_ci(built, "http://") && !sheaf_starts_with_ci(built, "https://"))
    goto out;
  sheaf_buf_reset(&e);
  if (!url_encode(&e, built))
    goto nomem;
  res = sheaf_buf_detach(&e, NULL);
  if (!res)
    goto nomem;
  goto out;
nomem:
  *nomem = true;
out:
  if (res)
    res = fix_host(res, nomem, why);
  sheaf_free(built);
  sheaf_buf_fini(&v);
  sheaf_buf_fini(&k);
  sheaf_buf_fini(&e);
  return res;
}
