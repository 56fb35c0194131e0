/*
 * This file contains slug normalisation: the key under which tags are
 * compared. WordPress makes slugs by lowercasing, turning spaces and
 * punctuation into hyphens and percent-encoding non-ASCII letters; sheaf
 * decodes those escapes so "Économie", "économie" and "%c3%a9conomie" meet.
 */
#include <string.h>

#include "core/core.h"

static bool is_alnum(int c)
{
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
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
    } else if (is_alnum(c)) {
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
  return out;
}
