/*
 * This file contains core's small text helpers (text.h), written once for
 * every stage: UTF-8 decoding, encoding and checking, counting lines, and
 * the shapes of WordPress's upload URLs and archive feed titles.
 */
#include <string.h>

#include "core/core.h"

/* ---- UTF-8 ------------------------------------------------------------------ */

size_t sheaf_utf8_decode(const char *s, size_t n, uint32_t *cp)
{
  const unsigned char *p = (const unsigned char *)s;
  size_t k = sheaf_utf8_len(s, n);

  switch (k) {
  case 1:
    *cp = p[0];
    return 1;
  case 2:
    *cp = ((uint32_t)(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
    return 2;
  case 3:
    *cp =
        ((uint32_t)(p[0] & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    return 3;
  case 4:
    *cp = ((uint32_t)(p[0] & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) |
          ((uint32_t)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
    return 4;
  default:
    *cp = SHEAF_UTF8_INVALID;
    return 1;
  }
}

size_t sheaf_utf8_encode(uint32_t cp, char out[4])
{
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    cp = 0xFFFD;
  if (cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (char)(0xC0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | (cp >> 18));
  out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

bool sheaf_buf_put_utf8(struct sheaf_buf *b, uint32_t cp)
{
  char u[4];

  return sheaf_buf_put(b, u, sheaf_utf8_encode(cp, u));
}

size_t sheaf_utf8_check(const char *s, size_t n)
{
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0, k;

  while (i < n) {
    if (i + 8 <= n) {
      uint64_t w;
      memcpy(&w, p + i, 8);
      if ((w & 0x8080808080808080ull) == 0) {
        i += 8;
        continue;
      }
    }
    if (p[i] < 0x80) {
      i++;
      continue;
    }
    if ((k = sheaf_utf8_len(s + i, n - i)) == 0)
      return i;
    i += k;
  }
  return n;
}

bool sheaf_utf8_valid(const char *s, size_t n)
{
  return sheaf_utf8_check(s, n) == n;
}

/* ---- lines ---------------------------------------------------------------- */

unsigned sheaf_line_at(const char *p, size_t off)
{
  unsigned line = 1;
  const char *q = p, *e = p + off;

  while (q < e && (q = memchr(q, '\n', (size_t)(e - q))) != NULL) {
    line++;
    q++;
  }
  return line;
}

/* ---- WordPress ------------------------------------------------------------ */

struct sheaf_str sheaf_wp_upload_rel(const char *url, size_t n)
{
  static const char *const marks[] = {"/wp-content/uploads/", "/uploads/",
                                      ".files.wordpress.com/"};
  size_t end = 0, k, i;

  while (end < n && url[end] != '?' && url[end] != '#')
    end++;
  for (k = 0; k < sizeof marks / sizeof *marks; k++) {
    size_t m = strlen(marks[k]);
    for (i = 0; i + m <= end; i++)
      if (memcmp(url + i, marks[k], m) == 0)
        return i + m < end ? (struct sheaf_str){url + i + m, end - (i + m)}
                           : (struct sheaf_str){NULL, 0};
  }
  return (struct sheaf_str){NULL, 0};
}

bool sheaf_wp_archive_title(const char *title, struct sheaf_str *term,
                            struct sheaf_str *site)
{
  /* Separators WordPress and common themes put between term and site:
   * " - ", " – " (en dash), " — " (em dash), " | ", " » ". */
  static const char *const seps[] = {" - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " | ",
                                     " \xC2\xBB "};
  static const char word[] = " archives";
  const size_t wn = sizeof word - 1;
  size_t at, i;

  for (at = 1; title[0] && title[at]; at++) {
    const char *rest;
    for (i = 0; i < wn && sheaf_to_lower((unsigned char)title[at + i]) == word[i]; i++)
      ;
    if (i < wn)
      continue;
    /* The first " Archives" decides, as a reader would read the title. */
    rest = title + at + wn;
    *term = (struct sheaf_str){title, at};
    if (*rest == '\0') {
      *site = (struct sheaf_str){NULL, 0};
      return true;
    }
    for (i = 0; i < sizeof seps / sizeof *seps; i++)
      if (strncmp(rest, seps[i], strlen(seps[i])) == 0) {
        *site =
            (struct sheaf_str){rest + strlen(seps[i]), strlen(rest + strlen(seps[i]))};
        return true;
      }
    return false;
  }
  return false;
}
