/*
 * This file contains small string helpers: ASCII case folding, trimming and
 * whitespace collapsing. They are ASCII-only on purpose: tags, element names
 * and date words are ASCII, and locale-dependent ctype calls are not wanted.
 */
#include <string.h>

#include "core/core.h"

struct sheaf_str sheaf_str_trim(struct sheaf_str s)
{
  while (s.n && sheaf_is_space((unsigned char)s.p[0])) {
    s.p++;
    s.n--;
  }
  while (s.n && sheaf_is_space((unsigned char)s.p[s.n - 1]))
    s.n--;
  return s;
}

bool sheaf_str_ieq(struct sheaf_str a, const char *b)
{
  size_t i;

  for (i = 0; i < a.n; i++)
    if (b[i] == '\0' ||
        sheaf_to_lower((unsigned char)a.p[i]) != sheaf_to_lower((unsigned char)b[i]))
      return false;
  return b[a.n] == '\0';
}

bool sheaf_has_token(const char *list, const char *word, bool any_case)
{
  static const char ws[] = " \t\n\r\f";
  size_t k = strlen(word);

  while (list && *list) {
    size_t n;
    list += strspn(list, ws);
    n = strcspn(list, ws);
    if (n == k && (any_case ? sheaf_str_ieq((struct sheaf_str){list, n}, word)
                            : strncmp(list, word, k) == 0))
      return true;
    list += n;
  }
  return false;
}

int sheaf_ascii_casecmp(const char *a, const char *b)
{
  int ca, cb;

  do {
    ca = sheaf_to_lower((unsigned char)*a++);
    cb = sheaf_to_lower((unsigned char)*b++);
  } while (ca && ca == cb);
  return ca - cb;
}

bool sheaf_starts_with_ci(const char *s, const char *prefix)
{
  while (*prefix) {
    if (sheaf_to_lower((unsigned char)*s) != sheaf_to_lower((unsigned char)*prefix))
      return false;
    s++;
    prefix++;
  }
  return true;
}

int sheaf_hexval(int c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

char *sheaf_str_collapse_ws(const char *s, size_t n)
{
  char *out = sheaf_malloc(n + 1);
  size_t i, o = 0;
  bool space = false;

  if (out == NULL)
    return NULL;
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    /* U+00A0 NO-BREAK SPACE counts as space in titles. */
    if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) {
      space = o > 0;
      i++;
      continue;
    }
    if (sheaf_is_space(c)) {
      space = o > 0;
      continue;
    }
    if (space)
      out[o++] = ' ';
    space = false;
    out[o++] = (char)c;
  }
  out[o] = '\0';
  return out;
}

bool sheaf_lang_valid(const char *s)
{
  size_t len = 0, subtags = 0;
  bool first = true;

  if (s == NULL || *s == '\0')
    return false;
  for (;; s++) {
    char c = *s;
    if (c == '-' || c == '\0') {
      if (len == 0 || len > 8)
        return false;
      subtags++;
      if (c == '\0')
        return true;
      len = 0;
      first = false;
      continue;
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
      len++;
    else if (c >= '0' && c <= '9' && !first)
      len++;
    else
      return false;
  }
}

char *sheaf_lang_normalize(const char *s)
{
  char *copy;
  struct sheaf_str v;
  size_t i;

  if (s == NULL)
    return NULL;
  v = sheaf_str_trim((struct sheaf_str){s, strlen(s)});
  if ((copy = sheaf_strndup(v.p, v.n)) == NULL)
    return NULL;
  for (i = 0; copy[i]; i++)
    if (copy[i] == '_')
      copy[i] = '-';
  if (!sheaf_lang_valid(copy)) {
    sheaf_free(copy);
    return NULL;
  }
  return copy;
}
