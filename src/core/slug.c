/*
 * This file contains slug normalisation: the key under which tags are
 * compared. WordPress makes slugs by lowercasing, turning spaces and
 * punctuation into hyphens and percent-encoding non-ASCII letters; sheaf
 * decodes those escapes so "Économie", "économie" and "%c3%a9conomie" meet.
 * Letters beyond ASCII are case-folded and put in NFC by utf8proc, so tags
 * match whatever their script and however their accents were typed:
 * "Тема" = "тема", "STRASSE" = "straße", "e" + U+0301 = "é".
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "core/core.h"

char *sheaf_unicode_normalize(const char *s, size_t n, bool fold)
{
  utf8proc_uint8_t *mapped = NULL;
  utf8proc_ssize_t len;
  size_t i;
  char *r;

  for (i = 0; i < n && (unsigned char)s[i] < 0x80; i++)
    ;
  if (i == n || n > (size_t)PTRDIFF_MAX / 8) /* ASCII (or absurdly long): as it is */
    return sheaf_strndup(s, n);
  len = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &mapped,
                     UTF8PROC_STABLE | UTF8PROC_COMPOSE | (fold ? UTF8PROC_CASEFOLD : 0));
  if (len < 0) /* invalid UTF-8 (or no memory): left as it is */
    return sheaf_strndup(s, n);
  r = sheaf_strndup((const char *)mapped, (size_t)len);
  free(mapped); /* utf8proc's own allocation */
  return r;
}

char *sheaf_slugify(const char *name, size_t n)
{
  char *out = sheaf_malloc(n + 1);
  size_t i, o = 0;
  bool dash = false;

  if (out == NULL)
    return NULL;
  for (i = 0; i < n; i++) {
    int c = sheaf_url_pct(name + i, n - i);
    if (c >= 0)
      i += 2;
    else
      c = (unsigned char)name[i];
    if (c >= 0x80) {
      /* Non-ASCII bytes are kept: the slug stays readable UTF-8. */
      if (dash && o)
        out[o++] = '-';
      dash = false;
      /* Lowercase Latin-1 capitals (U+00C0-U+00DE but U+00D7), the ones
       * tags in European languages use; other scripts are left as they are. */
      if (o && (unsigned char)out[o - 1] == 0xC3 && c >= 0x80 && c <= 0x9E && c != 0x97)
        c += 0x20;
      out[o++] = (char)c;
    } else if (sheaf_is_alnum(c)) {
      if (dash && o)
        out[o++] = '-';
      dash = false;
      out[o++] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
    } else if (c == '\'') {
      /* "Editor's Picks" -> "editors-picks", as WordPress does. */
      continue;
    } else {
      dash = true;
    }
  }
  out[o] = '\0';
  for (i = 0; i < o && (unsigned char)out[i] < 0x80; i++)
    ;
  if (i < o) { /* letters beyond ASCII: fold their case, compose them */
    char *folded = sheaf_unicode_normalize(out, o, true);
    sheaf_free(out);
    out = folded;
  }
  return out;
}
