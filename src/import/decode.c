/*
 * This file contains the decoding step of import: it decides an input's
 * character encoding and converts the input to UTF-8 with iconv before any
 * parser sees it. The order is that of a browser: --encoding, then a
 * byte-order mark (or the NUL pattern of BOM-less UTF-16/32), then what the
 * document declares (XML declaration, <meta charset>, front matter), then
 * UTF-8 when the bytes are valid UTF-8, then detection (detect.c: uchardet),
 * and last a guess that decodes a sample with each legacy candidate and
 * scores the text that comes out. Labels are
 * mapped as the WHATWG Encoding Standard does (GB2312 is GB18030, Shift_JIS
 * is Windows-31J, ISO-8859-1 is windows-1252). Invalid sequences become
 * U+FFFD, reported once per file with their count and the first one's line.
 * Valid UTF-8 that needs no change is passed through without a copy.
 */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "import/import.h"

#define DECL_LIMIT 4096    /* declarations are looked for this far */
#define SAMPLE_LIMIT 65536 /* the guess scores this many bytes */

/* ---- labels ---------------------------------------------------------------- */

/* WHATWG labels (and a few common aliases) -> glibc iconv name, and the name
 * sheaf prints. Labels not listed here go to iconv as they are. */
static const struct label {
  const char *label, *iconv, *display;
} labels[] = {
    {"utf-8", "UTF-8", "UTF-8"},
    {"utf8", "UTF-8", "UTF-8"},
    {"unicode-1-1-utf-8", "UTF-8", "UTF-8"},
    {"x-unicode20utf8", "UTF-8", "UTF-8"},
    {"utf-16", "UTF-16LE", "UTF-16"},
    {"utf-16le", "UTF-16LE", "UTF-16LE"},
    {"ucs-2", "UTF-16LE", "UTF-16"},
    {"unicode", "UTF-16LE", "UTF-16"},
    {"csunicode", "UTF-16LE", "UTF-16"},
    {"iso-10646-ucs-2", "UTF-16LE", "UTF-16"},
    {"unicodefeff", "UTF-16LE", "UTF-16"},
    {"utf-16be", "UTF-16BE", "UTF-16BE"},
    {"unicodefffe", "UTF-16BE", "UTF-16BE"},
    {"utf-32", "UTF-32LE", "UTF-32"},
    {"utf-32le", "UTF-32LE", "UTF-32LE"},
    {"utf-32be", "UTF-32BE", "UTF-32BE"},
    {"ucs-4", "UTF-32LE", "UTF-32"},
    /* Chinese */
    {"gb18030", "GB18030", "GB18030"},
    {"gbk", "GB18030", "GB18030"},
    {"gb2312", "GB18030", "GB18030"},
    {"gb_2312", "GB18030", "GB18030"},
    {"gb_2312-80", "GB18030", "GB18030"},
    {"chinese", "GB18030", "GB18030"},
    {"csgb2312", "GB18030", "GB18030"},
    {"csiso58gb231280", "GB18030", "GB18030"},
    {"iso-ir-58", "GB18030", "GB18030"},
    {"x-gbk", "GB18030", "GB18030"},
    {"cp936", "GB18030", "GB18030"},
    {"ms936", "GB18030", "GB18030"},
    {"windows-936", "GB18030", "GB18030"},
    {"euc-cn", "GB18030", "GB18030"},
    {"big5", "BIG5-HKSCS", "Big5"},
    {"big5-hkscs", "BIG5-HKSCS", "Big5"},
    {"cn-big5", "BIG5-HKSCS", "Big5"},
    {"csbig5", "BIG5-HKSCS", "Big5"},
    {"x-x-big5", "BIG5-HKSCS", "Big5"},
    {"cp950", "BIG5-HKSCS", "Big5"},
    /* Japanese */
    {"shift_jis", "CP932", "Shift_JIS"},
    {"shift-jis", "CP932", "Shift_JIS"},
    {"sjis", "CP932", "Shift_JIS"},
    {"ms_kanji", "CP932", "Shift_JIS"},
    {"csshiftjis", "CP932", "Shift_JIS"},
    {"windows-31j", "CP932", "Shift_JIS"},
    {"x-sjis", "CP932", "Shift_JIS"},
    {"ms932", "CP932", "Shift_JIS"},
    {"cp932", "CP932", "Shift_JIS"},
    {"euc-jp", "EUC-JP", "EUC-JP"},
    {"x-euc-jp", "EUC-JP", "EUC-JP"},
    {"cseucpkdfmtjapanese", "EUC-JP", "EUC-JP"},
    {"iso-2022-jp", "ISO-2022-JP", "ISO-2022-JP"},
    {"csiso2022jp", "ISO-2022-JP", "ISO-2022-JP"},
    /* Korean */
    {"euc-kr", "CP949", "EUC-KR"},
    {"cseuckr", "CP949", "EUC-KR"},
    {"csksc56011987", "CP949", "EUC-KR"},
    {"iso-ir-149", "CP949", "EUC-KR"},
    {"korean", "CP949", "EUC-KR"},
    {"ks_c_5601-1987", "CP949", "EUC-KR"},
    {"ks_c_5601-1989", "CP949", "EUC-KR"},
    {"ksc5601", "CP949", "EUC-KR"},
    {"ksc_5601", "CP949", "EUC-KR"},
    {"windows-949", "CP949", "EUC-KR"},
    {"cp949", "CP949", "EUC-KR"},
    {"uhc", "CP949", "EUC-KR"},
    /* Western: ISO-8859-1 and ASCII mean windows-1252 */
    {"windows-1252", "CP1252", "windows-1252"},
    {"cp1252", "CP1252", "windows-1252"},
    {"x-cp1252", "CP1252", "windows-1252"},
    {"iso-8859-1", "CP1252", "windows-1252"},
    {"iso8859-1", "CP1252", "windows-1252"},
    {"iso88591", "CP1252", "windows-1252"},
    {"iso_8859-1", "CP1252", "windows-1252"},
    {"iso_8859-1:1987", "CP1252", "windows-1252"},
    {"iso-ir-100", "CP1252", "windows-1252"},
    {"latin1", "CP1252", "windows-1252"},
    {"latin-1", "CP1252", "windows-1252"},
    {"l1", "CP1252", "windows-1252"},
    {"l1", "CP1252", "windows-1252"},
    {"csisolatin1", "CP1252", "windows-1252"},
    {"cp819", "CP1252", "windows-1252"},
    {"ibm819", "CP1252", "windows-1252"},
    {"us-ascii", "CP1252", "windows-1252"},
    {"ascii", "CP1252", "windows-1252"},
    {"ansi_x3.4-1968", "CP1252", "windows-1252"},
    {"iso-8859-9", "CP1254", "windows-1254"},
    {"latin5", "CP1254", "windows-1254"},
    {"iso-8859-11", "CP874", "windows-874"},
    {"tis-620", "CP874", "windows-874"},
    {"windows-874", "CP874", "windows-874"},
    {"windows-1250", "CP1250", "windows-1250"},
    {"cp1250", "CP1250", "windows-1250"},
    {"windows-1251", "CP1251", "windows-1251"},
    {"cp1251", "CP1251", "windows-1251"},
    {"x-cp1251", "CP1251", "windows-1251"},
    {"windows-1253", "CP1253", "windows-1253"},
    {"windows-1254", "CP1254", "windows-1254"},
    {"windows-1255", "CP1255", "windows-1255"},
    {"windows-1256", "CP1256", "windows-1256"},
    {"windows-1257", "CP1257", "windows-1257"},
    {"windows-1258", "CP1258", "windows-1258"},
    /* Cyrillic */
    {"koi8-r", "KOI8-R", "KOI8-R"},
    {"koi8_r", "KOI8-R", "KOI8-R"},
    {"koi8", "KOI8-R", "KOI8-R"},
    {"koi", "KOI8-R", "KOI8-R"},
    {"cskoi8r", "KOI8-R", "KOI8-R"},
    {"koi8-u", "KOI8-U", "KOI8-U"},
    {"koi8-ru", "KOI8-U", "KOI8-U"},
    {"ibm866", "IBM866", "IBM866"},
    {"cp866", "IBM866", "IBM866"},
    {"866", "IBM866", "IBM866"},
    {"csibm866", "IBM866", "IBM866"},
    {"x-mac-cyrillic", "MAC-CYRILLIC", "x-mac-cyrillic"},
    {"maccyrillic", "MAC-CYRILLIC", "x-mac-cyrillic"},
    {"x-mac-ukrainian", "MAC-CYRILLIC", "x-mac-cyrillic"},
    {"macintosh", "MACINTOSH", "macintosh"},
    {"mac", "MACINTOSH", "macintosh"},
    {"x-mac-roman", "MACINTOSH", "macintosh"},
    {"csmacintosh", "MACINTOSH", "macintosh"},
};

/* Finds the iconv name for `label` (n bytes, any case, spaces trimmed).
 * Returns false when neither the table nor iconv knows it. */
bool sheaf_import_encoding_lookup(const char *label, size_t n, char *name, size_t namecap,
                                  const char **display)
{
  struct sheaf_str s = sheaf_str_trim((struct sheaf_str){label, n});
  size_t i;
  iconv_t cd;

  if (s.n == 0 || s.n >= namecap)
    return false;
  for (i = 0; i < sizeof labels / sizeof labels[0]; i++)
    if (sheaf_str_ieq(s, labels[i].label)) {
      snprintf(name, namecap, "%s", labels[i].iconv);
      if (display)
        *display = labels[i].display;
      return true;
    }
  for (i = 0; i < s.n; i++) {
    int c = (unsigned char)s.p[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
          c == '-' || c == '_' || c == '.' || c == ':'))
      return false;
    name[i] = (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
  }
  name[s.n] = '\0';
  if ((cd = iconv_open("UTF-8", name)) == (iconv_t)-1)
    return false;
  iconv_close(cd);
  if (display)
    *display = NULL; /* the caller shows the label as it was given */
  return true;
}

/* ---- UTF-8 ------------------------------------------------------------------ */

/* Decodes the code point at s[*i], U+FFFD for a bad byte; advances *i. */
static uint32_t utf8_next(const char *s, size_t n, size_t *i)
{
  uint32_t c;

  *i += sheaf_utf8_decode(s + *i, n - *i, &c);
  return c == SHEAF_UTF8_INVALID ? 0xFFFD : c;
}

/* ---- conversion ------------------------------------------------------------- */

struct conv {
  char *out;
  size_t len, cap;
  size_t ninvalid;    /* sequences replaced by U+FFFD */
  size_t first_bad;   /* output offset of the first one */
  size_t nlatin;      /* lines of UTF-8 text read as Windows-1252 */
  size_t first_latin; /* output offset of the first one */
};

static bool conv_reserve(struct conv *cv, size_t extra)
{
  size_t need;

  if (cv->len + extra < cv->len)
    return false;
  need = cv->len + extra + 1;
  if (need <= cv->cap)
    return true;
  if (need < cv->cap * 2)
    need = cv->cap * 2;
  return sheaf_grow((void **)&cv->out, &cv->cap, need, 1);
}

static bool conv_bad(struct conv *cv)
{
  if (!conv_reserve(cv, 3))
    return false;
  if (cv->ninvalid++ == 0)
    cv->first_bad = cv->len;
  memcpy(cv->out + cv->len, "\xEF\xBF\xBD", 3);
  cv->len += 3;
  return true;
}

static bool ascii_letter(int c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Is the line p[0..n), which is not valid UTF-8, a Latin-1 (Windows-1252)
 * line among UTF-8 ones? It holds no multi-byte UTF-8 sequence, every high
 * byte is defined in Windows-1252, and most sit beside an ASCII letter, as
 * accented letters do ("caf\xE9", "f\xFCr"); line noise does not. */
static bool latin1_line(const unsigned char *p, size_t n)
{
  size_t i, high = 0, beside = 0;

  for (i = 0; i < n; i++) {
    if (p[i] < 0x80)
      continue;
    if (sheaf_utf8_len((const char *)p + i, n - i) > 1)
      return false;
    if (p[i] < 0xA0 && sheaf_import_cp1252_c1[p[i] - 0x80] == 0)
      return false;
    high++;
    beside += (i > 0 && ascii_letter(p[i - 1])) || (i + 1 < n && ascii_letter(p[i + 1]));
  }
  return high > 0 && beside * 2 >= high;
}

static bool put_cp1252(struct conv *cv, const unsigned char *p, size_t n)
{
  size_t i;

  if (!conv_reserve(cv, n * 3))
    return false;
  for (i = 0; i < n; i++) {
    uint32_t c = p[i] < 0x80   ? p[i]
                 : p[i] < 0xA0 ? sheaf_import_cp1252_c1[p[i] - 0x80]
                               : p[i];
    if (c < 0x80) {
      cv->out[cv->len++] = (char)c;
    } else if (c < 0x800) {
      cv->out[cv->len++] = (char)(0xC0 | (c >> 6));
      cv->out[cv->len++] = (char)(0x80 | (c & 0x3F));
    } else {
      cv->out[cv->len++] = (char)(0xE0 | (c >> 12));
      cv->out[cv->len++] = (char)(0x80 | ((c >> 6) & 0x3F));
      cv->out[cv->len++] = (char)(0x80 | (c & 0x3F));
    }
  }
  return true;
}

/* UTF-8 with invalid sequences. A line that is Latin-1 text among UTF-8
 * ones (feeds assembled from two sources) is read as Windows-1252; any
 * other bad byte becomes U+FFFD. */
static bool conv_utf8(struct conv *cv, const char *in, size_t n)
{
  size_t i = 0, ok, judged = 0; /* lines before `judged` are not Latin-1 */

  while (i < n) {
    const char *eol;
    size_t ln;
    ok = sheaf_utf8_check(in + i, n - i);
    /* The line that holds the bad byte, from its start, judged once. */
    if (ok < n - i && i + ok >= judged) {
      size_t start = i + ok;
      while (start > i && in[start - 1] != '\n')
        start--;
      eol = memchr(in + i + ok, '\n', n - i - ok);
      ln = (eol ? (size_t)(eol - in) : n) - start;
      if (ok < n - i && latin1_line((const unsigned char *)in + start, ln)) {
        if (!conv_reserve(cv, start - i))
          return false;
        memcpy(cv->out + cv->len, in + i, start - i);
        cv->len += start - i;
        if (cv->nlatin++ == 0)
          cv->first_latin = cv->len;
        if (!put_cp1252(cv, (const unsigned char *)in + start, ln))
          return false;
        i = start + ln;
        continue;
      }
      judged = start + ln;
    }
    if (!conv_reserve(cv, ok))
      return false;
    memcpy(cv->out + cv->len, in + i, ok);
    cv->len += ok;
    i += ok;
    if (i < n) {
      if (!conv_bad(cv))
        return false;
      i++;
    }
  }
  return true;
}

/* Converts in[0..n) from `enc` to UTF-8. A sequence iconv rejects becomes
 * U+FFFD and decoding resumes one byte on. `partial_ok`: an incomplete
 * sequence at the end is not counted (a sample cut anywhere). Returns false
 * when out of memory; *opened false when iconv does not know `enc`. */
static bool conv_iconv(struct conv *cv, const char *enc, const char *in, size_t n,
                       bool partial_ok, bool *opened)
{
  iconv_t cd = iconv_open("UTF-8", enc);
  char *ip = sheaf_unconst(in); /* iconv does not write to its input */
  size_t il = n, unit = strncmp(enc, "UTF-16", 6) == 0   ? 2
                        : strncmp(enc, "UTF-32", 6) == 0 ? 4
                                                         : 1;
  bool ok = true;

  *opened = cd != (iconv_t)-1;
  if (!*opened)
    return true;
  if (!conv_reserve(cv, n + n / 2 + 64)) {
    iconv_close(cd);
    return false;
  }
  while (ok) {
    char *op = cv->out + cv->len;
    size_t ol = cv->cap - cv->len - 1;
    size_t r = iconv(cd, il ? &ip : NULL, il ? &il : NULL, &op, &ol);
    int err = errno;
    cv->len = (size_t)(op - cv->out);
    if (r != (size_t)-1) {
      if (il == 0)
        break; /* input done and the shift state flushed */
      continue;
    }
    if (err == E2BIG) {
      ok = conv_reserve(cv, il + il / 2 + 64);
    } else if (err == EINVAL && partial_ok) {
      break;
    } else if (err == EILSEQ || err == EINVAL) {
      ok = conv_bad(cv);
      if (err == EINVAL || il <= unit) {
        il = 0;
      } else {
        ip += unit;
        il -= unit;
      }
      iconv(cd, NULL, NULL, NULL, NULL);
    } else {
      ok = false;
    }
  }
  iconv_close(cd);
  if (ok)
    cv->out[cv->len] = '\0';
  return ok;
}

/* glibc's CP1255 and CP1258 compose a letter and the marks after it into
 * one precomposed character; browsers map byte by byte. These two go
 * through a table built from iconv one byte at a time. */
static bool composing(const char *enc)
{
  return strcmp(enc, "CP1255") == 0 || strcmp(enc, "CP1258") == 0;
}

static bool conv_table(struct conv *cv, const char *enc, const char *in, size_t n,
                       bool *opened)
{
  char table[128][4];
  unsigned char tlen[128];
  iconv_t cd = iconv_open("UTF-8", enc);
  size_t i;

  *opened = cd != (iconv_t)-1;
  if (!*opened)
    return true;
  for (i = 0; i < 128; i++) {
    char b = (char)(0x80 + i), *ip = &b, *op = table[i];
    size_t il = 1, ol = sizeof table[i];
    iconv(cd, NULL, NULL, NULL, NULL);
    if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 ||
        iconv(cd, NULL, NULL, &op, &ol) == (size_t)-1)
      op = table[i];
    tlen[i] = (unsigned char)(op - table[i]);
  }
  iconv_close(cd);
  if (!conv_reserve(cv, n + n / 2 + 64))
    return false;
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)in[i];
    if (c < 0x80) {
      cv->out[cv->len++] = (char)c;
    } else if (tlen[c - 0x80] == 0) {
      if (!conv_bad(cv))
        return false;
    } else {
      memcpy(cv->out + cv->len, table[c - 0x80], tlen[c - 0x80]);
      cv->len += tlen[c - 0x80];
    }
    if (cv->cap - cv->len < 8 && !conv_reserve(cv, (n - i) + 64))
      return false;
  }
  cv->out[cv->len] = '\0';
  return true;
}

/* ---- scoring a guess -------------------------------------------------------- */

enum lang { L_ZH, L_ZHT, L_JA, L_KO, L_RU, L_WEST };

static const struct cand {
  const char *iconv, *display;
  enum lang lang;
} cands[] = {
    {"CP1252", "windows-1252", L_WEST}, {"CP1251", "windows-1251", L_RU},
    {"KOI8-R", "KOI8-R", L_RU},         {"GB18030", "GB18030", L_ZH},
    {"BIG5-HKSCS", "Big5", L_ZHT},      {"CP932", "Shift_JIS", L_JA},
    {"EUC-JP", "EUC-JP", L_JA},         {"CP949", "EUC-KR", L_KO},
};

/* Class counts of a decoded sample. */
struct tally {
  double han_common, han_rare, kana, hkana, hangul_common, hangul_rare, jamo;
  double cjk_punct, cyr, cyr_bonus, cyr_bad, latin_word, latin_run, latin_alone;
  double punct, other, bad;
};

static bool is_cyr(uint32_t c)
{
  return (c >= 0x410 && c <= 0x44F) || c == 0x401 || c == 0x451;
}

static bool is_cyr_upper(uint32_t c)
{
  return (c >= 0x410 && c <= 0x42F) || c == 0x401;
}

static bool is_latin(uint32_t c)
{
  return (c >= 0xC0 && c <= 0xFF && c != 0xD7 && c != 0xF7) || c == 0x152 || c == 0x153 ||
         c == 0x160 || c == 0x161 || c == 0x178 || c == 0x17D || c == 0x17E;
}

static bool is_han(uint32_t c)
{
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0xF900 && c <= 0xFAFF);
}

static bool is_punct(uint32_t c)
{
  return (c >= 0x2013 && c <= 0x2014) || (c >= 0x2018 && c <= 0x201E) || c == 0x2026 ||
         c == 0xAB || c == 0xBB || c == 0xA0 || c == 0xB0 || c == 0xA9 || c == 0x20AC ||
         c == 0x2122 || c == 0xAE || c == 0x2116 || c == 0xB7;
}

/* Russian letters by frequency: the ten most common, then the next twelve. */
static double cyr_freq(uint32_t c)
{
  static const uint32_t top[] = {0x43E, 0x435, 0x430, 0x438, 0x43D,
                                 0x442, 0x441, 0x440, 0x432, 0x43B};
  static const uint32_t mid[] = {0x43A, 0x43C, 0x434, 0x43F, 0x443, 0x44F,
                                 0x44B, 0x44C, 0x433, 0x437, 0x431, 0x447};
  size_t i;

  if (c >= 0x410 && c <= 0x42F)
    c += 0x20;
  for (i = 0; i < sizeof top / sizeof top[0]; i++)
    if (c == top[i])
      return 1.5;
  for (i = 0; i < sizeof mid / sizeof mid[0]; i++)
    if (c == mid[i])
      return 0.8;
  return 0;
}

/* Is the CJK character encoded as b[0..n) in the common part of its
 * standard (GB2312 level 1, Big5 frequent characters, JIS level 1, KS X 1001
 * hangul)? These levels were drawn up by frequency of use. */
static bool common_bytes(enum lang lang, const char *iconv_name, const unsigned char *b,
                         size_t n)
{
  unsigned v;

  if (n != 2)
    return false;
  v = (unsigned)b[0] << 8 | b[1];
  switch (lang) {
  case L_ZH:
    return b[0] >= 0xB0 && b[0] <= 0xD7 && b[1] >= 0xA1;
  case L_ZHT:
    return v >= 0xA440 && v <= 0xC67E;
  case L_JA:
    if (strcmp(iconv_name, "CP932") == 0)
      return v >= 0x889F && v <= 0x9872;
    return v >= 0xB0A1 && v <= 0xCFD3;
  case L_KO:
    return v >= 0xB0A1 && v <= 0xC8FE;
  default:
    return false;
  }
}

static void tally(struct tally *t, const struct cand *cd, const char *s, size_t n)
{
  iconv_t back = (iconv_t)-1;
  size_t i = 0;
  uint32_t prev = ' ', c, next;

  if (cd->lang != L_RU && cd->lang != L_WEST)
    back = iconv_open(cd->iconv, "UTF-8");
  while (i < n) {
    size_t at = i;
    c = utf8_next(s, n, &i);
    if (c < 0x80) {
      prev = c;
      continue;
    }
    {
      size_t j = i;
      next = j < n ? utf8_next(s, n, &j) : ' ';
    }
    if (c == 0xFFFD || (c >= 0x80 && c <= 0x9F) || (c >= 0xE000 && c <= 0xF8FF)) {
      t->bad++;
    } else if (is_han(c) || (c >= 0xAC00 && c <= 0xD7A3)) {
      bool common = false, hangul = c >= 0xAC00;
      if (back != (iconv_t)-1) {
        char buf[8], *ip = sheaf_unconst(s + at), *op = buf;
        size_t il = i - at, ol = sizeof buf;
        if (iconv(back, &ip, &il, &op, &ol) != (size_t)-1)
          common =
              common_bytes(cd->lang, cd->iconv, (unsigned char *)buf, (size_t)(op - buf));
        iconv(back, NULL, NULL, NULL, NULL);
      }
      if (hangul)
        *(common ? &t->hangul_common : &t->hangul_rare) += 1;
      else
        *(common ? &t->han_common : &t->han_rare) += 1;
    } else if (c >= 0x3041 && c <= 0x30FF) {
      t->kana++;
    } else if (c >= 0xFF61 && c <= 0xFF9F) {
      t->hkana++;
    } else if (c >= 0x3131 && c <= 0x318E) {
      t->jamo++;
    } else if ((c >= 0x3000 && c <= 0x303F) || (c >= 0xFF01 && c <= 0xFF5E)) {
      t->cjk_punct++;
    } else if (is_cyr(c)) {
      t->cyr++;
      t->cyr_bonus += cyr_freq(c);
      if (sheaf_is_alpha((int)prev) || sheaf_is_alpha((int)next) ||
          (is_cyr_upper(c) && is_cyr(prev) && !is_cyr_upper(prev)))
        t->cyr_bad++;
    } else if (is_latin(c)) {
      if (sheaf_is_alpha((int)prev) || sheaf_is_alpha((int)next))
        t->latin_word++;
      else if (is_latin(prev) || is_latin(next) || is_cyr(next))
        t->latin_run++;
      else
        t->latin_alone++;
    } else if (is_punct(c)) {
      t->punct++;
    } else {
      t->other++;
    }
    prev = c;
  }
  if (back != (iconv_t)-1)
    iconv_close(back);
}

/* The score of a candidate's text: what a page in that language looks like.
 * Invalid sequences and characters no real text holds weigh most. */
static double score(const struct tally *t, enum lang lang)
{
  double s = -8 * t->bad - t->other;
  double han = t->han_common + t->han_rare, kana_share;

  switch (lang) {
  case L_ZH:
  case L_ZHT:
    s += 4 * t->han_common + t->han_rare + 2 * t->cjk_punct - 2 * t->kana - 3 * t->hkana -
         2 * (t->hangul_common + t->hangul_rare + t->jamo) -
         2 * (t->cyr + t->latin_word + t->latin_run + t->latin_alone) + t->punct;
    break;
  case L_JA:
    kana_share = t->kana / (t->kana + han + 1e-9);
    if (kana_share < 0.1) /* Japanese prose is written with kana */
      s += t->han_common + 0.3 * t->han_rare;
    else
      s += 3.5 * t->han_common + t->han_rare;
    s += 4 * t->kana + 2 * t->cjk_punct - 3 * t->hkana -
         2 * (t->hangul_common + t->hangul_rare + t->jamo) -
         2 * (t->cyr + t->latin_word + t->latin_run + t->latin_alone) + t->punct;
    break;
  case L_KO:
    s += 4.5 * t->hangul_common - 0.5 * t->hangul_rare - han - 3 * t->jamo - 2 * t->kana +
         2 * t->cjk_punct - 3 * t->hkana -
         2 * (t->cyr + t->latin_word + t->latin_run + t->latin_alone) + t->punct;
    break;
  case L_RU:
    s += t->cyr + t->cyr_bonus - 3 * t->cyr_bad + t->punct -
         2 * (t->latin_word + t->latin_run + t->latin_alone) -
         3 * (han + t->kana + t->hkana + t->hangul_common + t->hangul_rare);
    break;
  case L_WEST:
    s += 2 * t->latin_word - t->latin_run + 0.5 * t->latin_alone + t->punct - 2 * t->cyr -
         3 * (han + t->kana + t->hkana + t->hangul_common + t->hangul_rare);
    break;
  }
  return s;
}

/* Guesses the encoding of text that is not UTF-8 and declares none.
 * Returns the index into cands, or -1 when out of memory. */
int sheaf_import_guess(const char *data, size_t n, double *scores)
{
  size_t len = n < SAMPLE_LIMIT ? n : SAMPLE_LIMIT, i, nonascii = 0;
  int best = 0;
  double best_score = -1e300;

  for (i = 0; i < len; i++)
    nonascii += (unsigned char)data[i] >= 0x80;
  if (nonascii == 0)
    nonascii = 1;
  for (i = 0; i < sizeof cands / sizeof cands[0]; i++) {
    struct conv cv = {NULL, 0, 0, 0, 0, 0, 0};
    struct tally t;
    bool opened;
    double sc;
    memset(&t, 0, sizeof t);
    if (!conv_iconv(&cv, cands[i].iconv, data, len, len < n, &opened)) {
      sheaf_free(cv.out);
      return -1;
    }
    if (!opened)
      continue;
    tally(&t, &cands[i], cv.out, cv.len);
    sheaf_free(cv.out);
    /* Replaced sequences are counted once each (the U+FFFD of each, too). */
    sc = score(&t, cands[i].lang) / (double)nonascii;
    if (scores)
      scores[i] = sc;
    if (sc > best_score) {
      best_score = sc;
      best = (int)i;
    }
  }
  return best;
}

const char *sheaf_import_guess_name(int i)
{
  return i >= 0 && (size_t)i < sizeof cands / sizeof cands[0] ? cands[i].iconv : NULL;
}

/* ---- what the document declares --------------------------------------------- */

static bool ci_at(const char *p, size_t n, const char *w)
{
  size_t k = strlen(w), i;

  if (n < k)
    return false;
  for (i = 0; i < k; i++) {
    int c = (unsigned char)p[i];
    if (c >= 'A' && c <= 'Z')
      c += 32;
    if (c != w[i])
      return false;
  }
  return true;
}

/* The XML declaration's encoding pseudo-attribute: sets *at to the start of
 * `encoding` and *end past its closing quote, *val and *vn to the value.
 * `p` starts at the declaration. */
static bool xml_decl_encoding(const char *p, size_t n, size_t *at, size_t *end,
                              const char **val, size_t *vn)
{
  size_t lim = n < 1024 ? n : 1024, i, close;

  if (n < 6 || memcmp(p, "<?xml", 5) != 0 || !sheaf_is_xml_space((unsigned char)p[5]))
    return false;
  for (close = 5; close + 1 < lim; close++)
    if (p[close] == '?' && p[close + 1] == '>')
      break;
  if (close + 1 >= lim)
    close = lim;
  for (i = 5; i + 8 < close; i++) {
    size_t k;
    char q;
    if (memcmp(p + i, "encoding", 8) != 0 || !sheaf_is_xml_space((unsigned char)p[i - 1]))
      continue;
    k = i + 8;
    while (k < close && sheaf_is_xml_space((unsigned char)p[k]))
      k++;
    if (k >= close || p[k] != '=')
      return false;
    k++;
    while (k < close && sheaf_is_xml_space((unsigned char)p[k]))
      k++;
    if (k >= close || (p[k] != '"' && p[k] != '\''))
      return false;
    q = p[k++];
    *val = p + k;
    while (k < close && p[k] != q)
      k++;
    if (k >= close)
      return false;
    *vn = (size_t)(p + k - *val);
    *at = i;
    *end = k + 1;
    return true;
  }
  return false;
}

/* <meta charset="x"> or <meta http-equiv="content-type" content="...;
 * charset=x"> within the first DECL_LIMIT bytes. */
static bool meta_charset(const char *p, size_t n, const char **val, size_t *vn)
{
  size_t lim = n < DECL_LIMIT ? n : DECL_LIMIT, i, k, e;

  for (i = 0; i + 5 < lim; i++) {
    if (p[i] != '<' || !ci_at(p + i, lim - i, "<meta") ||
        !(sheaf_is_xml_space((unsigned char)p[i + 5])))
      continue;
    for (e = i + 5; e < lim && p[e] != '>'; e++)
      ;
    for (k = i + 5; k + 7 < e; k++) {
      if (!ci_at(p + k, e - k, "charset"))
        continue;
      k += 7;
      while (k < e && sheaf_is_xml_space((unsigned char)p[k]))
        k++;
      if (k >= e || p[k] != '=')
        break;
      k++;
      while (k < e &&
             (sheaf_is_xml_space((unsigned char)p[k]) || p[k] == '"' || p[k] == '\''))
        k++;
      *val = p + k;
      while (k < e && !sheaf_is_xml_space((unsigned char)p[k]) && p[k] != '"' &&
             p[k] != '\'' && p[k] != ';' && p[k] != '/')
        k++;
      *vn = (size_t)(p + k - *val);
      return *vn > 0;
    }
  }
  return false;
}

/* `encoding:` or `charset:` in a front matter block at the top. */
static bool front_matter_charset(const char *p, size_t n, const char **val, size_t *vn)
{
  size_t lim = n < DECL_LIMIT ? n : DECL_LIMIT, i;

  if (lim < 4 || (memcmp(p, "---\n", 4) != 0 && memcmp(p, "---\r", 4) != 0))
    return false;
  for (i = 4; i < lim;) {
    size_t eol = i, k;
    while (eol < lim && p[eol] != '\n')
      eol++;
    if (eol - i >= 3 && memcmp(p + i, "---", 3) == 0)
      return false;
    k = ci_at(p + i, eol - i, "encoding:")  ? 9
        : ci_at(p + i, eol - i, "charset:") ? 8
                                            : 0;
    if (k) {
      struct sheaf_str v = sheaf_str_trim((struct sheaf_str){p + i + k, eol - i - k});
      if (v.n >= 2 && (v.p[0] == '"' || v.p[0] == '\'') && v.p[v.n - 1] == v.p[0]) {
        v.p++;
        v.n -= 2;
      }
      *val = v.p;
      *vn = v.n;
      return v.n > 0;
    }
    i = eol + 1;
  }
  return false;
}

/* UTF-8 text with a few bad bytes (a pasted Latin-1 character) is still
 * UTF-8: legacy text seldom forms valid multi-byte sequences by chance. */
static bool mostly_utf8(const char *s, size_t n)
{
  const unsigned char *p = (const unsigned char *)s;
  size_t lim = n < SAMPLE_LIMIT ? n : SAMPLE_LIMIT, i = 0, good = 0, bad = 0, k;

  while (i < lim) {
    if (p[i] < 0x80) {
      i++;
    } else if ((k = sheaf_utf8_len(s + i, lim - i)) != 0) {
      good++;
      i += k;
    } else {
      bad++;
      i++;
    }
  }
  return good >= 4 && good >= 4 * bad;
}

/* ---- the decision ------------------------------------------------------------ */

/* A legacy encoding of one byte per character (ISO-8859-x, Windows-125x,
 * KOI8, DOS and Mac code pages), by its iconv name. */
static bool single_byte(const char *iconv_name)
{
  static const char *const prefixes[] = {
      "ISO-8859", "ISO8859", "CP125", "CP874",   "CP8",   "WINDOWS-", "KOI8",
      "IBM8",     "MAC",     "LATIN", "TIS-620", "ASCII", "US-ASCII"};
  size_t i;

  for (i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
    if (sheaf_starts_with_ci(iconv_name, prefixes[i]))
      return true;
  return false;
}

/* Valid UTF-8 with at least one multi-byte character: legacy single-byte
 * text almost never is. */
static bool utf8_multibyte(const char *s, size_t n)
{
  size_t i;

  if (sheaf_utf8_check(s, n) != n)
    return false;
  for (i = 0; i < n; i++)
    if ((unsigned char)s[i] >= 0x80)
      return true;
  return false;
}

struct decision {
  char iconv[64];      /* iconv name */
  const char *display; /* as printed; may point into `label` */
  char label[64];
  size_t skip; /* byte-order mark bytes */
  bool utf8;
  bool binary; /* NUL bytes, not UTF-16/32: left for sniffing to refuse */
};

static void set_enc(struct decision *d, const char *iconv_name, const char *display)
{
  snprintf(d->iconv, sizeof d->iconv, "%s", iconv_name);
  snprintf(d->label, sizeof d->label, "%s", display);
  d->display = d->label;
  d->utf8 = strcmp(iconv_name, "UTF-8") == 0;
}

/* Looks up a label; on success fills `d`. */
static bool use_label(struct decision *d, const char *label, size_t n)
{
  char name[64];
  const char *display = NULL;
  char shown[64];

  if (!sheaf_import_encoding_lookup(label, n, name, sizeof name, &display))
    return false;
  if (display == NULL) {
    snprintf(shown, sizeof shown, "%.*s", (int)(n < 60 ? n : 60), label);
    display = shown;
  }
  set_enc(d, name, display);
  return true;
}

static bool is_wide(const char *iconv_name)
{
  return strncmp(iconv_name, "UTF-16", 6) == 0 || strncmp(iconv_name, "UTF-32", 6) == 0;
}

/* The byte-order mark, or the NUL pattern of UTF-16/32 text without one. */
static bool by_bytes(struct decision *d, const unsigned char *p, size_t n)
{
  if (n >= 4 && p[0] == 0xFF && p[1] == 0xFE && p[2] == 0 && p[3] == 0) {
    set_enc(d, "UTF-32LE", "UTF-32LE");
    d->skip = 4;
  } else if (n >= 4 && p[0] == 0 && p[1] == 0 && p[2] == 0xFE && p[3] == 0xFF) {
    set_enc(d, "UTF-32BE", "UTF-32BE");
    d->skip = 4;
  } else if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
    set_enc(d, "UTF-8", "UTF-8");
    d->skip = 3;
  } else if (n >= 2 && p[0] == 0xFF && p[1] == 0xFE) {
    set_enc(d, "UTF-16LE", "UTF-16LE");
    d->skip = 2;
  } else if (n >= 2 && p[0] == 0xFE && p[1] == 0xFF) {
    set_enc(d, "UTF-16BE", "UTF-16BE");
    d->skip = 2;
  } else if (n >= 4 && p[0] && !p[1] && !p[2] && !p[3]) {
    set_enc(d, "UTF-32LE", "UTF-32LE");
  } else if (n >= 4 && !p[0] && !p[1] && !p[2] && p[3]) {
    set_enc(d, "UTF-32BE", "UTF-32BE");
  } else if (n >= 4 && p[0] && !p[1] && p[2] && !p[3]) {
    set_enc(d, "UTF-16LE", "UTF-16LE");
  } else if (n >= 4 && !p[0] && p[1] && !p[2] && p[3]) {
    set_enc(d, "UTF-16BE", "UTF-16BE");
  } else {
    return false;
  }
  return true;
}

/* Strips a byte-order mark that agrees with an encoding chosen otherwise. */
static size_t bom_of(const char *iconv_name, const unsigned char *p, size_t n)
{
  struct decision d;

  memset(&d, 0, sizeof d);
  if (by_bytes(&d, p, n) && d.skip && strcmp(d.iconv, iconv_name) == 0)
    return d.skip;
  return 0;
}

static sheaf_status decide(struct decision *d, const char *path, const char *data,
                           size_t n, const sheaf_options *opt, sheaf_diag *diag)
{
  const unsigned char *u = (const unsigned char *)data;
  const char *val;
  size_t vn, at, end, i = 0;
  char name[64], shown[64];
  int g;

  memset(d, 0, sizeof *d);
  if (opt && opt->encoding && *opt->encoding) {
    if (!use_label(d, opt->encoding, strlen(opt->encoding))) {
      sheaf_diag_add(diag, SHEAF_ERROR, "usage", NULL, 0, 0,
                     "unknown encoding \"%s\" (--encoding)", opt->encoding);
      return SHEAF_ERR_USAGE;
    }
    d->skip = bom_of(d->iconv, u, n);
    return SHEAF_OK;
  }
  if (by_bytes(d, u, n))
    return SHEAF_OK;
  if (memchr(data, 0, n < DECL_LIMIT ? n : DECL_LIMIT) != NULL) {
    d->binary = true;
    return SHEAF_OK;
  }

  while (i < n && i < 256 && sheaf_is_xml_space(u[i]))
    i++;
  if (xml_decl_encoding(data + i, n - i, &at, &end, &val, &vn) ||
      meta_charset(data, n, &val, &vn) || front_matter_charset(data, n, &val, &vn)) {
    if (!use_label(d, val, vn)) {
      sheaf_diag_add(diag, SHEAF_WARNING, "encoding", path, 1, 0,
                     "unknown encoding \"%.*s\" declared; detecting the encoding",
                     (int)(vn < 60 ? vn : 60), val);
    } else if (is_wide(d->iconv)) {
      /* Found by reading it as ASCII: the bytes are not UTF-16/32. */
      sheaf_diag_add(diag, SHEAF_WARNING, "encoding", path, 1, 0,
                     "declares %.*s, but the bytes are not %.*s; reading what they are",
                     (int)(vn < 60 ? vn : 60), val, (int)(vn < 60 ? vn : 60), val);
    } else if (single_byte(d->iconv) && utf8_multibyte(data, n)) {
      /* A template's stock declaration over a UTF-8 database: "f\xC3\xBCr"
       * read as ISO-8859-1 would be "f\xC3\x83\xC2\xBCr". */
      sheaf_diag_add(diag, SHEAF_WARNING, "encoding", path, 1, 0,
                     "declares %.*s, but the bytes are UTF-8 (valid, with multi-byte "
                     "characters); reading UTF-8 (--encoding overrides)",
                     (int)(vn < 60 ? vn : 60), val);
      set_enc(d, "UTF-8", "UTF-8");
      return SHEAF_OK;
    } else {
      return SHEAF_OK;
    }
    memset(d, 0, sizeof *d);
  }
  if (sheaf_utf8_check(data, n) == n) {
    set_enc(d, "UTF-8", "UTF-8");
    return SHEAF_OK;
  }
  if (mostly_utf8(data, n)) {
    set_enc(d, "UTF-8", "UTF-8");
    return SHEAF_OK;
  }
  if (sheaf_import_detect(data, n, name, sizeof name, shown, sizeof shown)) {
    set_enc(d, name, shown);
  } else {
    if ((g = sheaf_import_guess(data, n, NULL)) < 0)
      return SHEAF_ERR_NOMEM;
    set_enc(d, cands[g].iconv, cands[g].display);
  }
  sheaf_diag_add(diag, SHEAF_WARNING, "encoding", path, 0, 0,
                 "no encoding declared and the bytes are not UTF-8; they look like %s "
                 "(a guess; --encoding overrides)",
                 d->display);
  return SHEAF_OK;
}

/* ---- the entry points ---------------------------------------------------------- */

/* Blanks out the XML declaration's encoding (the text is UTF-8 now, which
 * is what a declaration without one means), in place so lines and columns
 * stay where they were. */
static void blank_declaration(char *p, size_t n)
{
  size_t i = 0, at, end;
  const char *val;
  size_t vn;

  while (i < n && i < 256 && sheaf_is_xml_space((unsigned char)p[i]))
    i++;
  if (xml_decl_encoding(p + i, n - i, &at, &end, &val, &vn) &&
      !sheaf_str_ieq((struct sheaf_str){val, vn}, "utf-8"))
    memset(p + i + at, ' ', end - at);
}

static bool declaration_needs_change(const char *p, size_t n)
{
  size_t i = 0, at, end, vn;
  const char *val;

  while (i < n && i < 256 && sheaf_is_xml_space((unsigned char)p[i]))
    i++;
  return xml_decl_encoding(p + i, n - i, &at, &end, &val, &vn) &&
         !sheaf_str_ieq((struct sheaf_str){val, vn}, "utf-8");
}

sheaf_status sheaf_import_decode_input(struct sheaf_input *in, const sheaf_options *opt,
                                       sheaf_diag *diag)
{
  struct decision d;
  struct conv cv = {NULL, 0, 0, 0, 0, 0, 0};
  sheaf_status ret;
  const char *path = in->name;
  const char *data = in->data;
  size_t len = in->len;

  SHEAF_CHECK(decide(&d, path, data, len, opt, diag));
  if (d.binary)
    return SHEAF_OK;
  data += d.skip;
  len -= d.skip;
  if (d.utf8 && sheaf_input_utf8_chunked(in, data, len, sheaf_utf8_check) == len) {
    /* The fast path: valid UTF-8 is used where it lies, its byte-order
     * mark skipped by moving the start, not the bytes. */
    sheaf_input_skip(in, d.skip);
    if (declaration_needs_change(in->data, in->len)) {
      char *w = sheaf_input_writable(in);
      if (w == NULL)
        return SHEAF_ERR_NOMEM;
      blank_declaration(w, in->len);
    }
    return SHEAF_OK;
  }
  if (d.utf8) {
    if (!conv_reserve(&cv, len + 64) || !conv_utf8(&cv, data, len)) {
      ret = SHEAF_ERR_NOMEM;
      goto out;
    }
    cv.out[cv.len] = '\0';
  } else {
    bool opened;
    if (!(composing(d.iconv) ? conv_table(&cv, d.iconv, data, len, &opened)
                             : conv_iconv(&cv, d.iconv, data, len, false, &opened))) {
      ret = SHEAF_ERR_NOMEM;
      goto out;
    }
    if (!opened) {
      sheaf_diag_add(diag, SHEAF_ERROR, "encoding", path, 0, 0,
                     "cannot decode %s on this system", d.display);
      ret = SHEAF_ERR_IO;
      goto out;
    }
  }
  blank_declaration(cv.out, cv.len);
  sheaf_input_replace(in, cv.out, cv.len);
  cv.out = NULL;
  if (cv.ninvalid)
    sheaf_diag_add(diag, SHEAF_WARNING, "encoding", path,
                   sheaf_input_line(in, cv.first_bad), 0,
                   "%zu invalid byte sequence%s in %s replaced by U+FFFD; the first at "
                   "line %u",
                   cv.ninvalid, cv.ninvalid == 1 ? "" : "s", d.display,
                   sheaf_input_line(in, cv.first_bad));
  if (cv.nlatin)
    sheaf_diag_add(
        diag, SHEAF_WARNING, "encoding", path, sheaf_input_line(in, cv.first_latin), 0,
        "%zu line%s of Latin-1 text among UTF-8 ones read as Windows-1252; "
        "the first at line %u",
        cv.nlatin, cv.nlatin == 1 ? "" : "s", sheaf_input_line(in, cv.first_latin));
  ret = SHEAF_OK;
out:
  sheaf_free(cv.out);
  return ret;
}

sheaf_status sheaf_import_decode(const char *path, const char *data, size_t n,
                                 const sheaf_options *opt, sheaf_diag *diag, char **out,
                                 size_t *outlen)
{
  struct sheaf_input in;
  sheaf_status ret;

  *out = NULL;
  *outlen = 0;
  ret = sheaf_input_copy(&in, path, data, n);
  if (ret == SHEAF_OK)
    ret = sheaf_import_decode_input(&in, opt, diag);
  if (ret == SHEAF_OK && (*out = sheaf_input_detach(&in, outlen)) == NULL)
    ret = SHEAF_ERR_NOMEM;
  sheaf_input_fini(&in);
  return ret;
}
