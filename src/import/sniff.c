/*
 * This file contains format sniffing: deciding from an input's first bytes,
 * never its name, whether it is an RSS or Atom feed, or something sheaf
 * should refuse with a useful message (an HTML page, JSON, an empty or
 * binary file, XML of another vocabulary). It looks past a byte order mark,
 * the XML declaration, comments, processing instructions and a DOCTYPE:
 * the root element decides, whatever the DOCTYPE names.
 */
#include <string.h>

#include "import/import.h"

static bool name_char(int c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == ':' || c == '-' || c == '_' || c == '.' || c >= 0x80;
}

/* Does p[0..n) start with `word` (ASCII case-insensitive)? */
static bool starts_ci(const char *p, size_t n, const char *word)
{
  size_t k = strlen(word), i;

  if (n < k)
    return false;
  for (i = 0; i < k; i++) {
    int a = (unsigned char)p[i], b = (unsigned char)word[i];
    if (a >= 'A' && a <= 'Z')
      a += 32;
    if (a != b)
      return false;
  }
  return true;
}

/* Finds `end` in p[i..n); returns the index after it, or n. */
static size_t skip_past(const char *p, size_t n, size_t i, const char *end)
{
  size_t k = strlen(end);

  for (; i + k <= n; i++)
    if (memcmp(p + i, end, k) == 0)
      return i + k;
  return n;
}

/* Binary: a NUL byte, or more than one control character in a hundred.
 * A stray control character in a text feed is repaired later, not a reason
 * to refuse the file. */
static bool looks_binary(const char *p, size_t n)
{
  size_t i, lim = n < 4096 ? n : 4096, controls = 0;

  for (i = 0; i < lim; i++) {
    unsigned char c = (unsigned char)p[i];
    if (c == 0)
      return true;
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7F)
      controls++;
  }
  return controls * 100 > lim;
}

/* Classifies the root element name at p[0..len). */
static enum sheaf_format root_format(const char *p, size_t len, const char **what)
{
  const char *colon = memchr(p, ':', len);
  const char *local = colon ? colon + 1 : p;
  size_t ln = len - (size_t)(local - p);

  if (ln == 3 && memcmp(local, "rss", 3) == 0) {
    *what = "an RSS feed";
    return SHEAF_FORMAT_RSS;
  }
  if (ln == 3 && memcmp(local, "RDF", 3) == 0) {
    *what = "an RSS 1.0 (RDF) feed";
    return SHEAF_FORMAT_RSS;
  }
  if (ln == 4 && memcmp(local, "feed", 4) == 0) {
    *what = "an Atom feed";
    return SHEAF_FORMAT_ATOM;
  }
  if (ln == 7 && memcmp(local, "Channel", 7) == 0) {
    *what = "an RSS 1.1 feed";
    return SHEAF_FORMAT_RSS;
  }
  if (ln == 5 && memcmp(local, "entry", 5) == 0) {
    *what = "an Atom entry document";
    return SHEAF_FORMAT_ATOM;
  }
  if (ln == 4 && starts_ci(local, 4, "html")) {
    *what = "an HTML page";
    return SHEAF_FORMAT_HTML;
  }
  if (ln == 3 && memcmp(local, "svg", 3) == 0) {
    *what = "an SVG image";
    return SHEAF_FORMAT_XML;
  }
  *what = "an XML document of another kind";
  return SHEAF_FORMAT_XML;
}

static enum sheaf_format sniff(const char *data, size_t n, const char **what)
{
  const char *dummy;
  const char *p = data;
  size_t i = 0;
  bool xml = false, html_doctype = false;
  enum sheaf_format f;

  if (what == NULL)
    what = &dummy;
  /* UTF-16 with a BOM: libxml2 reads it; look at the ASCII of the markup. */
  if (n >= 4 && (((unsigned char)p[0] == 0xFF && (unsigned char)p[1] == 0xFE) ||
                 ((unsigned char)p[0] == 0xFE && (unsigned char)p[1] == 0xFF))) {
    char ascii[512];
    size_t k, o = 0, lo = (unsigned char)p[0] == 0xFF ? 0 : 1;
    for (k = 2; k + 1 < n && o < sizeof ascii; k += 2) {
      if (p[k + 1 - lo] != 0) /* not ASCII: keep the shape only */
        ascii[o++] = 'x';
      else
        ascii[o++] = p[k + lo];
    }
    f = sheaf_import_sniff(ascii, o, what);
    return f == SHEAF_FORMAT_BINARY ? SHEAF_FORMAT_UNKNOWN : f;
  }
  if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
    i = 3;
  while (i < n && sheaf_is_html_space((unsigned char)p[i]))
    i++;
  if (i == n) {
    *what = "an empty file";
    return SHEAF_FORMAT_EMPTY;
  }
  if (looks_binary(p + i, n - i)) {
    *what = "a binary file";
    return SHEAF_FORMAT_BINARY;
  }
  if (p[i] == '{' || p[i] == '[') {
    *what = "JSON";
    return SHEAF_FORMAT_JSON;
  }
  /* The prolog: declaration, comments, processing instructions, DOCTYPE. */
  while (i < n && p[i] == '<') {
    if (starts_ci(p + i, n - i, "<?")) {
      xml = true;
      i = skip_past(p, n, i + 2, "?>");
    } else if (starts_ci(p + i, n - i, "<!--")) {
      i = skip_past(p, n, i + 4, "-->");
    } else if (starts_ci(p + i, n - i, "<!doctype")) {
      size_t k = i + 9;
      while (k < n && sheaf_is_html_space((unsigned char)p[k]))
        k++;
      /* An HTML doctype does not make a page: static-site generators put
       * one before <feed> or <rss>. The root element decides. */
      if (starts_ci(p + k, n - k, "html") &&
          (k + 4 == n || !name_char((unsigned char)p[k + 4])))
        html_doctype = true;
      /* Skip to the '>' that ends it, past an internal subset in []. */
      while (k < n && p[k] != '>' && p[k] != '[')
        k++;
      if (k < n && p[k] == '[')
        k = skip_past(p, n, k, "]");
      i = skip_past(p, n, k, ">");
      xml = true;
    } else {
      size_t k = i + 1;
      while (k < n && name_char((unsigned char)p[k]))
        k++;
      if (k == i + 1)
        break;
      f = root_format(p + i + 1, k - i - 1, what);
      if (html_doctype && f != SHEAF_FORMAT_RSS && f != SHEAF_FORMAT_ATOM) {
        *what = "an HTML page"; /* <!doctype html><title>... */
        return SHEAF_FORMAT_HTML;
      }
      return f;
    }
    while (i < n && sheaf_is_html_space((unsigned char)p[i]))
      i++;
  }
  if (html_doctype) {
    *what = "an HTML page";
    return SHEAF_FORMAT_HTML;
  }
  if (i == n && xml) {
    *what = "an XML document without a root element";
    return SHEAF_FORMAT_XML;
  }
  if (i == n) {
    *what = "an empty file";
    return SHEAF_FORMAT_EMPTY;
  }
  /* Text before any markup: HTML fragments often still hold <html>. */
  {
    size_t lim = n - i < 1024 ? n - i : 1024, k;
    for (k = 0; k + 5 <= lim; k++)
      if (starts_ci(p + i + k, lim - k, "<html") ||
          starts_ci(p + i + k, lim - k, "<body")) {
        *what = "an HTML page";
        return SHEAF_FORMAT_HTML;
      }
  }
  *what = "a text file";
  return SHEAF_FORMAT_TEXT;
}

/* A WordPress export is an RSS document in WordPress's export namespace;
 * the namespace is declared on the root, near the top. */
static bool is_wxr(const char *data, size_t n)
{
  static const char ns[] = "wordpress.org/export/";
  size_t lim = n < 16384 ? n : 16384, i;

  for (i = 0; i + sizeof ns - 1 <= lim; i++)
    if (data[i] == 'w' && memcmp(data + i, ns, sizeof ns - 1) == 0)
      return true;
  return false;
}

enum sheaf_format sheaf_import_sniff(const char *data, size_t n, const char **what)
{
  const char *dummy;
  enum sheaf_format f;

  if (what == NULL)
    what = &dummy;
  f = sniff(data, n, what);
  if (f == SHEAF_FORMAT_RSS && is_wxr(data, n)) {
    *what = "a WordPress export (WXR)";
    return SHEAF_FORMAT_WXR;
  }
  return f;
}
