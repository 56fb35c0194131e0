/*
 * This file contains the repair of double-encoded UTF-8 ("mojibake"): text
 * that was UTF-8, was once read as Windows-1252 (or Latin-1) by some tool
 * and encoded to UTF-8 again, so the source itself holds C3 83 C2 B1 ("Ã±")
 * where it meant C3 B1 ("ñ"). Such runs are rare in real text by chance:
 * a lead character (Â to ô) followed by exactly the continuation characters
 * its UTF-8 byte wants, all from the 0x80-0xBF row, that decode to a valid
 * character. The repair runs per article (title, body, summary), so the
 * readers' line numbers stay true; --no-mojibake-repair turns it off.
 */
#include <string.h>

#include "import/import.h"

/* Windows-1252's characters for 0x80-0x9F, which double encoding writes
 * instead of the bytes (0: undefined there; Latin-1 readers give U+0080+);
 * decode.c reads Latin-1 lines with it too. */
const unsigned short sheaf_import_cp1252_c1[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

/* Decodes one UTF-8 character at s (valid UTF-8 assumed); its length in
 * *len. */
static unsigned long next_cp(const unsigned char *s, size_t *len)
{
  if (s[0] < 0x80) {
    *len = 1;
    return s[0];
  }
  if ((s[0] & 0xE0) == 0xC0 && (s[1] & 0xC0) == 0x80) {
    *len = 2;
    return ((unsigned long)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
  }
  if ((s[0] & 0xF0) == 0xE0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
    *len = 3;
    return ((unsigned long)(s[0] & 0x0F) << 12) | ((unsigned long)(s[1] & 0x3F) << 6) |
           (s[2] & 0x3F);
  }
  *len = 1; /* a 4-byte character or a stray byte: never part of a run */
  return 0xFFFF;
}

/* The byte a Windows-1252 (or Latin-1) reader turned into `cp`, or -1. */
static int byte_of(unsigned long cp)
{
  int i;

  if (cp >= 0x80 && cp <= 0xFF)
    return (int)cp;
  for (i = 0; i < 32; i++)
    if (sheaf_import_cp1252_c1[i] && sheaf_import_cp1252_c1[i] == cp)
      return 0x80 + i;
  return -1;
}

size_t sheaf_import_fix_mojibake(char *text)
{
  unsigned char *s = (unsigned char *)text, *o = s, *end;
  size_t fixed = 0;

  if (text == NULL)
    return 0;
  end = s + strlen(text); /* the source's end: bytes move only behind s */
  while (*s) {
    size_t len, k, need, at = 0, l2;
    unsigned char bytes[4];
    int b;

    /* Until something is repaired the text stays where it is, and only a
     * byte from 0xC3 up can start a run (the bytes stepped over below are
     * continuation bytes): skip to the next one without copying. */
    if (o == s) {
      uint64_t w;
      while (s + 8 <= end) { /* eight ASCII bytes at a time */
        memcpy(&w, s, 8);
        if (w & 0x8080808080808080u)
          break;
        s += 8;
      }
      while (*s && *s < 0xC3)
        s++;
      o = s;
      if (*s == '\0')
        break;
    }
    b = *s >= 0xC3 ? byte_of(next_cp(s, &len)) : -1;

    if (b < 0xC2 || b > 0xF4) {
      if (*s < 0x80) {
        *o++ = *s++;
      } else {
        next_cp(s, &len);
        memmove(o, s, len);
        o += len;
        s += len;
      }
      continue;
    }
    need = b < 0xE0 ? 1 : b < 0xF0 ? 2 : 3;
    bytes[0] = (unsigned char)b;
    at = len;
    for (k = 1; k <= need; k++) {
      int c = s[at] ? byte_of(next_cp(s + at, &l2)) : -1;
      if (c < 0x80 || c > 0xBF)
        break;
      bytes[k] = (unsigned char)c;
      at += l2;
    }
    if (k <= need || !sheaf_utf8_valid((const char *)bytes, need + 1)) {
      next_cp(s, &len);
      memmove(o, s, len);
      o += len;
      s += len;
      continue;
    }
    /* The repaired character is shorter than its double encoding. */
    memcpy(o, bytes, need + 1);
    o += need + 1;
    s += at;
    fixed++;
  }
  *o = '\0';
  return fixed;
}
