/*
 * This file contains the detection of an undeclared legacy encoding: the
 * step of decode.c for bytes that declare nothing and are not UTF-8. It
 * asks uchardet (Mozilla's universal detector: byte-frequency and
 * character-pair models for some forty encodings in as many languages),
 * after one rule of its own for text whose only high bytes are Windows
 * typographic punctuation, which uchardet takes for Greek or DOS code
 * pages when the text is short. Measured on ../shared/corpus (chardet's
 * and feedparser's test files, 396 legacy files with a known truth): the
 * frequency scorer of decode.c alone decodes 212 right, uchardet 388
 * (Hebrew, Thai, Greek, Central European, DOS Cyrillic and ISO-8859-5 are
 * what the scorer does not know). The scorer stays the fallback for what
 * uchardet cannot name.
 */
#include <stdio.h>
#include <string.h>

#include <uchardet.h>

#include "import/import.h"

#define DETECT_LIMIT (1u << 20) /* uchardet reads this many bytes at most */

/* Windows-125x bytes 0x80-0x9F that are punctuation in every one of them
 * (euro, quotes, dashes, ellipsis, bullet, trade mark, guillemets). In the
 * ISO-8859 charsets these are C1 controls, which no text holds, and the
 * Cyrillic code pages put letters here, which never come alone. */
static bool c1_punct(unsigned char c)
{
  return c == 0x80 || c == 0x82 || c == 0x84 || c == 0x85 || c == 0x8B ||
         (c >= 0x91 && c <= 0x97) || c == 0x99 || c == 0x9B;
}

/* Text whose only high bytes are that punctuation ("he said, \x93me\x94"):
 * windows-1252 (any Windows code page reads it the same). */
static bool only_c1_punct(const unsigned char *p, size_t n)
{
  size_t i, high = 0;

  for (i = 0; i < n; i++)
    if (p[i] >= 0x80) {
      if (!c1_punct(p[i]))
        return false;
      high++;
    }
  return high > 0;
}

bool sheaf_import_detect(const char *data, size_t n, char *iconv_name, size_t cap,
                         char *shown, size_t shown_cap)
{
  const char *name = NULL, *display = NULL;
  uchardet_t ud = NULL;
  bool ok;

  if (only_c1_punct((const unsigned char *)data, n)) {
    name = "windows-1252";
  } else if ((ud = uchardet_new()) != NULL &&
             uchardet_handle_data(ud, data, n < DETECT_LIMIT ? n : DETECT_LIMIT) == 0) {
    /* (Non-zero is out of memory: then nothing is known.) */
    uchardet_data_end(ud);
    name = uchardet_get_charset(ud);
  }
  /* "" is "no idea"; ASCII and UTF-8 cannot be right for bytes that are
   * neither (decode.c asks only then). The caller's scorer guesses then. */
  ok = name && *name && strcmp(name, "ASCII") != 0 && strcmp(name, "UTF-8") != 0 &&
       sheaf_import_encoding_lookup(name, strlen(name), iconv_name, cap, &display);
  if (ok)
    snprintf(shown, shown_cap, "%s", display ? display : name);
  if (ud)
    uchardet_delete(ud);
  return ok;
}
