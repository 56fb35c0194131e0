/*
 * This file declares core's small text helpers, one of each for the whole
 * library: ASCII character classes, UTF-8 decoding, encoding and checking,
 * counting lines, and what sheaf knows about WordPress's URLs and titles.
 * core.h includes it after its own types (struct sheaf_buf, sheaf_str);
 * other modules include core.h, never this file.
 *
 * The classes are ASCII only and do not depend on the locale (<ctype.h>
 * does, and is undefined for negative chars); they take an int or a char,
 * and bytes of 0x80 and up are in none of them.
 */
#ifndef SHEAF_CORE_TEXT_H
#define SHEAF_CORE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- ASCII classes -------------------------------------------------------- */

static inline bool sheaf_is_digit(int c)
{
  return c >= '0' && c <= '9';
}

static inline bool sheaf_is_alpha(int c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline bool sheaf_is_alnum(int c)
{
  return sheaf_is_alpha(c) || sheaf_is_digit(c);
}

/* 'A'-'Z' to 'a'-'z'; every other value as it is. */
static inline int sheaf_to_lower(int c)
{
  return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

/* XML's white space (and CommonMark's, and WordPress's shortcode
 * attributes'): space, tab, carriage return, line feed. */
static inline bool sheaf_is_xml_space(int c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* HTML's ASCII whitespace: XML's and form feed. */
static inline bool sheaf_is_html_space(int c)
{
  return sheaf_is_xml_space(c) || c == '\f';
}

/* C's isspace() in the "C" locale (and PCRE's \s): HTML's and vertical tab. */
static inline bool sheaf_is_space(int c)
{
  return sheaf_is_html_space(c) || c == '\v';
}

/* ---- UTF-8 ------------------------------------------------------------------ */

/* What sheaf_utf8_decode() stores for a byte that starts no valid sequence. */
#define SHEAF_UTF8_INVALID 0xFFFFFFFFu

/* Length (1-4) of the valid UTF-8 sequence at s[0..n), n >= 1; 0 when it is
 * invalid: a stray continuation byte, an overlong form, a surrogate, beyond
 * U+10FFFF, or cut short by n. */
static inline size_t sheaf_utf8_len(const char *s, size_t n)
{
  const unsigned char *p = (const unsigned char *)s;
  unsigned c = p[0];

  if (c < 0x80)
    return 1;
  if (c >= 0xC2 && c <= 0xDF)
    return n >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (n < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
      return 0;
    if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0))
      return 0; /* overlong, or a surrogate */
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (n < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80)
      return 0;
    if ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] >= 0x90))
      return 0; /* overlong, or beyond U+10FFFF */
    return 4;
  }
  return 0;
}

/* Decodes the sequence at s[0..n), n >= 1: stores its code point and
 * returns its length; for an invalid one (see sheaf_utf8_len) stores
 * SHEAF_UTF8_INVALID and returns 1, so that a loop resumes at the next
 * byte. */
size_t sheaf_utf8_decode(const char *s, size_t n, uint32_t *cp);

/* Writes the UTF-8 form of code point `cp` to out and returns its length
 * (1-4). U+0000 becomes U+FFFD, as HTML has it for &#0;: a NUL would end a
 * C string and silently cut the text after it. Surrogates and values past
 * U+10FFFF, which are not characters, become U+FFFD too. */
size_t sheaf_utf8_encode(uint32_t cp, char out[4]);

/* Appends sheaf_utf8_encode(cp) to b; false when the append failed. */
bool sheaf_buf_put_utf8(struct sheaf_buf *b, uint32_t cp);

/* The offset of the first invalid UTF-8 sequence in s[0..n), or n. ASCII,
 * the bulk of most text, goes eight bytes at a time. */
size_t sheaf_utf8_check(const char *s, size_t n);

/* Returns true when `s[0..n)` is valid UTF-8. */
bool sheaf_utf8_valid(const char *s, size_t n);

/* ---- lines ---------------------------------------------------------------- */

/* The line number (from 1) of byte offset `off` of `p`: one more than the
 * newlines in p[0..off). */
unsigned sheaf_line_at(const char *p, size_t off);

/* ---- WordPress ------------------------------------------------------------ */

/* The part of a media URL below WordPress's uploads folder ("2011/05/a.jpg"
 * of ".../wp-content/uploads/2011/05/a.jpg?w=300", also ".../uploads/" and
 * "x.files.wordpress.com/"), as written (percent-encoded); the query and
 * fragment are cut off first, so a folder named in the query is not one.
 * {NULL, 0} when `url[0..n)` is not an uploads URL or names the folder
 * itself. */
struct sheaf_str sheaf_wp_upload_rel(const char *url, size_t n);

/* Splits a WordPress archive feed's title, "<term> Archives - <site>" (the
 * separator may also be an en or em dash, '|' or '»'; "Archives" in any
 * case, as themes and SEO plugins vary it), or "<term> Archives" alone.
 * Returns false when `title` is not one; else sets *term and *site to the
 * parts, untrimmed (site {NULL, 0} when there is none). */
bool sheaf_wp_archive_title(const char *title, struct sheaf_str *term,
                            struct sheaf_str *site);

#endif
