/*
 * Unit tests of decoding (decode.c) and the repairs of broken feeds
 * (repair.c): byte-order marks, declarations, WHATWG labels, invalid bytes,
 * --encoding, the guess among legacy encodings on short texts made here
 * with iconv, and each textual repair (the result must parse).
 */
#include <iconv.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libxml/parser.h>
#include <zlib.h>

#include "import/import.h"

/* Converts UTF-8 `s` to `enc`; returns a new buffer (free()) and its size. */
static char *encode(const char *s, const char *enc, size_t *n)
{
  iconv_t cd = iconv_open(enc, "UTF-8");
  size_t il = strlen(s), cap = il * 4 + 16, ol = cap;
  char *out = malloc(cap), *ip = sheaf_unconst(s), *op = out;

  assert_true(cd != (iconv_t)-1);
  assert_true(iconv(cd, &ip, &il, &op, &ol) != (size_t)-1);
  iconv_close(cd);
  *n = cap - ol;
  return out;
}

static bool has(sheaf_diag *d, sheaf_severity sev, const char *needle, unsigned *line)
{
  size_t i;

  for (i = 0; i < sheaf_diag_count(d); i++) {
    const sheaf_diag_entry *e = sheaf_diag_get(d, i);
    if (e->severity == sev && strstr(e->message, needle)) {
      if (line)
        *line = e->line;
      return true;
    }
  }
  return false;
}

/* Decodes and returns the text (sheaf_free) or NULL on failure. */
static char *decode(const char *data, size_t n, const char *force, sheaf_diag *d)
{
  sheaf_options opt;
  char *out;
  size_t len;

  sheaf_options_init(&opt);
  opt.encoding = force;
  if (sheaf_import_decode("t.xml", data, n, &opt, d, &out, &len) != SHEAF_OK)
    return NULL;
  assert_int_equal(strlen(out), len);
  return out;
}

/* ---- byte-order marks and declarations ---------------------------------------- */

static const char *const text = "<?xml version=\"1.0\"?><t>caf\xC3\xA9 \xE2\x80\x94 "
                                "\xD0\xBC\xD0\xB8\xD1\x80 \xE4\xB8\xAD</t>";

static void test_boms(void **state)
{
  static const struct {
    const char *enc, *bom;
    size_t bomlen;
  } cases[] = {
      {"UTF-8", "\xEF\xBB\xBF", 3},
      {"UTF-16LE", "\xFF\xFE", 2},
      {"UTF-16BE", "\xFE\xFF", 2},
      {"UTF-32LE", "\xFF\xFE\0\0", 4},
      {"UTF-32BE", "\0\0\xFE\xFF", 4},
      {"UTF-16LE", "", 0}, /* no BOM: NUL pattern */
      {"UTF-16BE", "", 0},
      {"UTF-32LE", "", 0},
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    sheaf_diag *d = sheaf_diag_new();
    size_t n;
    char *body = encode(text, cases[i].enc, &n);
    char *in = malloc(n + 4), *out;
    memcpy(in, cases[i].bom, cases[i].bomlen);
    memcpy(in + cases[i].bomlen, body, n);
    out = decode(in, n + cases[i].bomlen, NULL, d);
    if (out == NULL || strcmp(out, text) != 0)
      fail_msg("%s (BOM %zu): \"%s\"", cases[i].enc, cases[i].bomlen,
               out ? out : "(null)");
    assert_int_equal(sheaf_diag_count(d), 0);
    sheaf_free(out);
    free(body);
    free(in);
    sheaf_diag_free(d);
  }
}

static void test_declared(void **state)
{
  static const struct {
    const char *head, *enc, *tail;
  } cases[] = {
      {"<?xml version=\"1.0\" encoding=\"windows-1251\"?>\n<t>", "CP1251", "</t>"},
      {"<?xml version='1.0' encoding='koi8-r' standalone='yes'?><t>", "KOI8-R", "</t>"},
      {"<html><head><meta charset=\"shift_jis\"></head><body>", "CP932",
       "</body></html>"},
      {"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; "
       "charset=euc-kr\">"
       "</head><body>",
       "CP949", "</body></html>"},
      {"---\ntitle: x\nencoding: gb2312\n---\n", "GB18030", ""},
      {"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><t>", "CP1252", "</t>"},
  };
  static const char *const words[] = {
      "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82", /* Привет */
      "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82",
      "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xA7\xE3\x81\x99", /* 日本語です */
      "\xED\x95\x9C\xEA\xB5\xAD\xEC\x96\xB4",                         /* 한국어 */
      "\xE4\xB8\xAD\xE6\x96\x87",                                     /* 中文 */
      "caf\xC3\xA9 \xE2\x80\x9Cquoted\xE2\x80\x9D",
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    sheaf_diag *d = sheaf_diag_new();
    char want[512], *in, *out;
    size_t n;
    snprintf(want, sizeof want, "%s%s%s", cases[i].head, words[i], cases[i].tail);
    in = encode(want, cases[i].enc, &n);
    out = decode(in, n, NULL, d);
    assert_non_null(out);
    /* The XML declaration no longer names the old encoding. */
    if (strncmp(want, "<?xml", 5) == 0) {
      assert_null(strstr(out, "encoding"));
      assert_non_null(strstr(out, words[i]));
      assert_int_equal(strlen(out), strlen(want)); /* blanked, not cut */
    } else if (strcmp(out, want) != 0) {
      fail_msg("case %zu: \"%s\"", i, out);
    }
    assert_int_equal(sheaf_diag_count(d), 0);
    sheaf_free(out);
    free(in);
    sheaf_diag_free(d);
  }
}

static void test_labels(void **state)
{
  static const struct {
    const char *label, *iconv;
  } cases[] = {
      {"GB2312", "GB18030"},
      {"gbk", "GB18030"},
      {"Shift_JIS", "CP932"},
      {"x-sjis", "CP932"},
      {"EUC-KR", "CP949"},
      {"ks_c_5601-1987", "CP949"},
      {"ISO-8859-1", "CP1252"},
      {"US-ASCII", "CP1252"},
      {"latin1", "CP1252"},
      {" utf8 ", "UTF-8"},
      {"Big5", "BIG5-HKSCS"},
      {"koi8-r", "KOI8-R"},
      {"ISO-8859-2", "ISO-8859-2"},
      {"IBM855", "IBM855"},
      {"x-mac-cyrillic", "MAC-CYRILLIC"},
      {"windows-1251", "CP1251"},
      {"TIS-620", "CP874"},
  };
  char name[64];
  size_t i;

  (void)state;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    if (!sheaf_import_encoding_lookup(cases[i].label, strlen(cases[i].label), name,
                                      sizeof name, NULL) ||
        strcmp(name, cases[i].iconv) != 0)
      fail_msg("%s: %s", cases[i].label, name);
  }
  assert_false(
      sheaf_import_encoding_lookup("no-such-thing", 13, name, sizeof name, NULL));
  assert_false(sheaf_import_encoding_lookup("", 0, name, sizeof name, NULL));
}

static void test_unknown_and_wide_labels(void **state)
{
  static const char unknown[] =
      "<?xml version=\"1.0\" encoding=\"x-bogus\"?><t>caf\xC3\xA9</t>";
  static const char wide[] =
      "<?xml version=\"1.0\" encoding=\"UTF-16\"?><t>caf\xC3\xA9</t>";
  sheaf_diag *d = sheaf_diag_new();
  char *out;

  (void)state;
  out = decode(unknown, sizeof unknown - 1, NULL, d);
  assert_true(has(d, SHEAF_WARNING, "unknown encoding \"x-bogus\"", NULL));
  assert_non_null(strstr(out, "caf\xC3\xA9"));
  assert_null(strstr(out, "x-bogus"));
  sheaf_free(out);
  out = decode(wide, sizeof wide - 1, NULL, d);
  assert_true(has(d, SHEAF_WARNING, "declares UTF-16, but the bytes are not", NULL));
  assert_non_null(strstr(out, "<t>caf\xC3\xA9</t>"));
  assert_null(strstr(out, "UTF-16"));
  sheaf_free(out);
  sheaf_diag_free(d);
}

static void test_invalid(void **state)
{
  static const char bad_utf8[] =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<t>\n\xFF here \xC3 "
      "and \xE2\x82 end</t>";
  static const char mostly_utf8[] = "<t>caf\xC3\xA9 d\xC3\xA9j\xC3\xA0 \xC3\xA9t\xC3\xA9 "
                                    "na\xC3\xAFve \xE9</t>";
  static const char bad_sjis[] = "<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>\n<t>\n"
                                 "\x82\xA0\x82\xA2\n\x85\x40\n</t>";
  sheaf_diag *d = sheaf_diag_new();
  unsigned line = 0;
  char *out;

  (void)state;
  out = decode(bad_utf8, sizeof bad_utf8 - 1, NULL, d);
  assert_string_equal(
      out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<t>\n\xEF\xBF\xBD here "
           "\xEF\xBF\xBD and \xEF\xBF\xBD\xEF\xBF\xBD end</t>");
  assert_true(
      has(d, SHEAF_WARNING,
          "4 invalid byte sequences in UTF-8 replaced by U+FFFD; the first at line 3",
          &line));
  assert_int_equal(line, 3);
  sheaf_free(out);
  sheaf_diag_free(d);

  /* Undeclared, but mostly valid UTF-8: a few bad bytes in UTF-8 text. */
  d = sheaf_diag_new();
  out = decode(mostly_utf8, sizeof mostly_utf8 - 1, NULL, d);
  assert_non_null(strstr(out, "na\xC3\xAFve \xEF\xBF\xBD</t>"));
  assert_true(has(d, SHEAF_WARNING, "1 invalid byte sequence in UTF-8", NULL));
  sheaf_free(out);
  sheaf_diag_free(d);

  d = sheaf_diag_new();
  out = decode(bad_sjis, sizeof bad_sjis - 1, NULL, d);
  assert_non_null(strstr(out, "\xE3\x81\x82\xE3\x81\x84\n\xEF\xBF\xBD"));
  assert_true(has(d, SHEAF_WARNING,
                  "in Shift_JIS replaced by U+FFFD; the first at line 4", &line));
  assert_int_equal(sheaf_diag_count(d), 1);
  sheaf_free(out);
  sheaf_diag_free(d);
}

static void test_override(void **state)
{
  static const char koi[] =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?><t>\xF0\xD2\xC9\xD7\xC5\xD4</t>";
  sheaf_diag *d = sheaf_diag_new();
  char *out;

  (void)state;
  out = decode(koi, sizeof koi - 1, "koi8-r", d);
  assert_non_null(strstr(out, "<t>\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82</t>"));
  assert_int_equal(sheaf_diag_count(d), 0);
  sheaf_free(out);
  assert_null(decode(koi, sizeof koi - 1, "no-such-encoding", d));
  assert_true(has(d, SHEAF_ERROR, "unknown encoding", NULL));
  sheaf_diag_free(d);
}

static void test_fast_path(void **state)
{
  char *buf = sheaf_strdup("<?xml version=\"1.0\" encoding=\"utf-8\"?><t>\xC3\xA9</t>");
  struct sheaf_input in;
  sheaf_diag *d = sheaf_diag_new();

  (void)state;
  sheaf_input_adopt(&in, "t.xml", buf, strlen(buf));
  assert_int_equal(sheaf_import_decode_input(&in, NULL, d), SHEAF_OK);
  assert_ptr_equal(in.data, buf); /* valid UTF-8 is not copied */
  sheaf_input_fini(&in);
  sheaf_diag_free(d);
}

/* ---- the guess ------------------------------------------------------------------ */

static void test_guess(void **state)
{
  static const struct {
    const char *enc, *want, *utf8;
  } cases[] = {
      {"GB18030", "GB18030",
       "\xE4\xBB\x8A\xE5\xA4\xA9\xE7\x9A\x84\xE5\xA4\xA9\xE6\xB0\x94\xE5\xBE\x88\xE5\xA5"
       "\xBD"
       "\xEF\xBC\x8C\xE6\x88\x91\xE4\xBB\xAC\xE5\x8E\xBB\xE5\x85\xAC\xE5\x9B\xAD\xE6\x95"
       "\xA3"
       "\xE6\xAD\xA5\xE5\x90\xA7\xE3\x80\x82"}, /* 今天的天气很好，我们去公园散步吧。 */
      {"BIG5", "BIG5-HKSCS",
       "\xE4\xBB\x8A\xE5\xA4\xA9\xE7\x9A\x84\xE5\xA4\xA9\xE6\xB0\xA3\xE5\xBE\x88\xE5\xA5"
       "\xBD"
       "\xEF\xBC\x8C\xE6\x88\x91\xE5\x80\x91\xE5\x8E\xBB\xE5\x85\xAC\xE5\x9C\x92\xE6\x95"
       "\xA3"
       "\xE6\xAD\xA5\xE5\x90\xA7\xE3\x80\x82"}, /* 今天的天氣很好，我們去公園散步吧。 */
      {"SHIFT_JIS", "CP932",
       "\xE4\xBB\x8A\xE6\x97\xA5\xE3\x81\xAF\xE5\xA4\xA9\xE6\xB0\x97\xE3\x81\x8C\xE3\x81"
       "\x84"
       "\xE3\x81\x84\xE3\x81\xAE\xE3\x81\xA7\xE3\x80\x81\xE5\x85\xAC\xE5\x9C\x92\xE3\x81"
       "\xB8"
       "\xE6\x95\xA3\xE6\xAD\xA9\xE3\x81\xAB\xE8\xA1\x8C\xE3\x81\x8D\xE3\x81\xBE\xE3\x81"
       "\x97"
       "\xE3\x82\x87\xE3\x81\x86\xE3\x80\x82"}, /* 今日は天気がいいので、公園へ散歩に行きましょう。
                                                 */
      {"EUC-JP", "EUC-JP",
       "\xE4\xBB\x8A\xE6\x97\xA5\xE3\x81\xAF\xE5\xA4\xA9\xE6\xB0\x97\xE3\x81\x8C\xE3\x81"
       "\x84"
       "\xE3\x81\x84\xE3\x81\xAE\xE3\x81\xA7\xE3\x80\x81\xE5\x85\xAC\xE5\x9C\x92\xE3\x81"
       "\xB8"
       "\xE6\x95\xA3\xE6\xAD\xA9\xE3\x81\xAB\xE8\xA1\x8C\xE3\x81\x8D\xE3\x81\xBE\xE3\x81"
       "\x97"
       "\xE3\x82\x87\xE3\x81\x86\xE3\x80\x82"},
      {"EUC-KR", "CP949",
       "\xEC\x98\xA4\xEB\x8A\x98\xEC\x9D\x80 \xEB\x82\xA0\xEC\x94\xA8\xEA\xB0\x80 "
       "\xEC\xA2\x8B\xEC\x95\x84\xEC\x84\x9C \xEA\xB3\xB5\xEC\x9B\x90\xEC\x97\x90 "
       "\xEC\x82\xB0\xEC\xB1\x85\xEC\x9D\x84 "
       "\xEA\xB0\x94\xEC\x8A\xB5\xEB\x8B\x88\xEB\x8B\xA4."},
      /* 오늘은 날씨가 좋아서 공원에 산책을 갔습니다. */
      {"CP1251", "CP1251",
       "\xD0\xA1\xD0\xB5\xD0\xB3\xD0\xBE\xD0\xB4\xD0\xBD\xD1\x8F \xD1\x85\xD0\xBE\xD1\x80"
       "\xD0\xBE\xD1\x88\xD0\xB0\xD1\x8F "
       "\xD0\xBF\xD0\xBE\xD0\xB3\xD0\xBE\xD0\xB4\xD0\xB0, "
       "\xD0\xBC\xD1\x8B \xD0\xB8\xD0\xB4\xD1\x91\xD0\xBC "
       "\xD0\xB3\xD1\x83\xD0\xBB\xD1\x8F"
       "\xD1\x82\xD1\x8C \xD0\xB2 \xD0\xBF\xD0\xB0\xD1\x80\xD0\xBA."},
      /* Сегодня хорошая погода, мы идём гулять в парк. */
      {"KOI8-R", "KOI8-R",
       "\xD0\xA1\xD0\xB5\xD0\xB3\xD0\xBE\xD0\xB4\xD0\xBD\xD1\x8F \xD1\x85\xD0\xBE\xD1\x80"
       "\xD0\xBE\xD1\x88\xD0\xB0\xD1\x8F "
       "\xD0\xBF\xD0\xBE\xD0\xB3\xD0\xBE\xD0\xB4\xD0\xB0, "
       "\xD0\xBC\xD1\x8B \xD0\xB8\xD0\xB4\xD1\x91\xD0\xBC "
       "\xD0\xB3\xD1\x83\xD0\xBB\xD1\x8F"
       "\xD1\x82\xD1\x8C \xD0\xB2 \xD0\xBF\xD0\xB0\xD1\x80\xD0\xBA."},
      {"CP1252", "CP1252",
       "Aujourd'hui il fait tr\xC3\xA8s beau, nous allons \xC3\xA0 la f\xC3\xAA"
       "te d'\xC3\xA9t\xC3\xA9 au caf\xC3\xA9."},
      /* Aujourd'hui il fait très beau, nous allons à la fête d'été au café. */
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    size_t n;
    char *in = encode(cases[i].utf8, cases[i].enc, &n), *out;
    double scores[16];
    int g = sheaf_import_guess(in, n, scores);
    sheaf_diag *d = sheaf_diag_new();
    if (g < 0 || strcmp(sheaf_import_guess_name(g), cases[i].want) != 0)
      fail_msg("%s guessed as %s (%.2f %.2f %.2f %.2f %.2f %.2f %.2f %.2f)", cases[i].enc,
               sheaf_import_guess_name(g), scores[0], scores[1], scores[2], scores[3],
               scores[4], scores[5], scores[6], scores[7]);
    /* The whole path: decoded text equals the original, with a warning. */
    out = decode(in, n, NULL, d);
    assert_string_equal(out, cases[i].utf8);
    assert_true(has(d, SHEAF_WARNING, "no encoding declared", NULL));
    sheaf_free(out);
    sheaf_diag_free(d);
    free(in);
  }
}

/* ---- repairs --------------------------------------------------------------------- */

static xmlDocPtr parse(const char *s, size_t n)
{
  return xmlReadMemory(s, (int)n, "t.xml", "UTF-8",
                       XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

static void test_repairs(void **state)
{
  static const struct {
    const char *name, *in, *keep, *warn;
    unsigned line;
  } cases[] = {
      {"space before declaration", "\n\n  <?xml version=\"1.0\"?><rss><channel/></rss>",
       "<?xml version=\"1.0\"?>\n\n<rss>", "text before the XML declaration", 1},
      {"BOM before declaration", "\n\xEF\xBB\xBF<?xml version=\"1.0\"?><rss/>", "<rss/>",
       "text before the XML declaration", 1},
      {"doubled declaration",
       "<?xml version=\"1.0\"?>\n<?xml version=\"1.0\"?>\n<rss><channel/></rss>",
       "\n\n<rss><channel/></rss>", "repeated XML declarations", 2},
      {"broken declaration", "<?xml version=\"1.0\" encoding=\"utf-8\">\n<rss/>",
       "<?xml version=\"1.0\"?>\n<rss/>", "broken or repeated", 1},
      {"HTML entities",
       "<rss><title>a&nbsp;b &eacute;t&eacute; &rsquo; &amp; &lt;</title></rss>",
       "a&#160;b &#233;t&#233; &#8217; &amp; &lt;", "HTML entities", 1},
      {"internal subset entity",
       "<!DOCTYPE rss [<!ENTITY foo \"bar\">]>\n<rss><t>&foo; &hellip;</t></rss>",
       "<t>&foo; &#8230;</t>", "HTML entities", 2},
      {"bare ampersand",
       "<rss>\n<t>Q&A &unknownthing; &#12;x</t><l href=\"a?b=1&c=2\"/></rss>",
       "<t>Q&amp;A &amp;unknownthing; x</t><l href=\"a?b=1&amp;c=2\"/>", "bare '&'", 2},
      {"control characters",
       "<rss><t>a\x01"
       "b\x0B"
       "c\xEF\xBF\xBF</t></rss>",
       "<t>a b c</t>", "characters that XML forbids", 1},
      {"CDATA and comments untouched",
       "<rss><t><![CDATA[a &nbsp; & b]]></t><!-- & &eacute; --> &x</rss>",
       "<![CDATA[a &nbsp; & b]]></t><!-- & &eacute; --> &amp;x", "bare '&'", 1},
      {"after the root", "<rss><channel/></rss>\n<script>alert(1)</script>\n",
       "<rss><channel/></rss>\n", "content after the root", 2},
      {"text after the root", "<rss><channel/></rss>\n<!-- ok -->junk", "<!-- ok -->\n",
       "content after the root", 2},
      {"truncated mid-item",
       "<rss><channel><title>x</title>\n<item><title>one</title></item>\n"
       "<item><title>two</title></item>\n<item><title>thr",
       "<item><title>two</title></item></channel></rss>", "middle of the item", 4},
      {"truncated atom",
       "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<entry><title>a"
       "</title></entry>\n<entry><title>b</title><content>un",
       "<entry><title>a</title></entry></feed>", "middle of the item", 3},
      {"truncated RDF in a comment",
       "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n<item>"
       "<title>a</title></item>\n<!-- cut",
       "<item><title>a</title></item></rdf:RDF>", "ends early", 2},
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    sheaf_diag *d = sheaf_diag_new();
    struct sheaf_input in;
    const char *buf;
    size_t n;
    unsigned line = 0;
    xmlDocPtr doc;
    sheaf_input_borrow(&in, "t.xml", cases[i].in, strlen(cases[i].in));
    assert_int_equal(sheaf_import_repair(&in, d), SHEAF_OK);
    buf = in.data;
    n = in.len;
    assert_int_equal(strlen(buf), n);
    if (strstr(buf, cases[i].keep) == NULL)
      fail_msg("%s: \"%s\"", cases[i].name, buf);
    if (!has(d, SHEAF_WARNING, cases[i].warn, &line))
      fail_msg("%s: no warning \"%s\"", cases[i].name, cases[i].warn);
    if (line != cases[i].line)
      fail_msg("%s: warning at line %u", cases[i].name, line);
    if ((doc = parse(buf, n)) == NULL)
      fail_msg("%s: does not parse: \"%s\"", cases[i].name, buf);
    xmlFreeDoc(doc);
    sheaf_input_fini(&in);
    sheaf_diag_free(d);
  }
}

/* Forbidden characters in CDATA are found wherever they fall in the
 * 8-byte words the scan skips by (repair.c's controls()), and only they. */
static void test_repair_controls_every_offset(void **state)
{
  static const struct {
    const char *seq, *out; /* NULL out: left alone */
  } seqs[] = {
      {"\x01", " "},        {"\x1f", " "},          {"\x08", " "},
      {"\xEF\xBF\xBE", ""}, {"\xEF\xBF\xBF", ""},   {"\t", NULL},
      {"\n", NULL},         {"\xEF\xBB\xBF", NULL}, {"\xC3\xA9\x20", NULL},
  };
  size_t k, j;

  (void)state;
  for (j = 0; j < sizeof seqs / sizeof *seqs; j++)
    for (k = 0; k < 20; k++) {
      char doc[128], want[128], pad[24];
      struct sheaf_input in;
      sheaf_diag *d = sheaf_diag_new();

      memset(pad, 'x', k);
      pad[k] = '\0';
      snprintf(doc, sizeof doc, "<rss><d><![CDATA[%s%syyyyyyyyy]]></d></rss>", pad,
               seqs[j].seq);
      snprintf(want, sizeof want, "<![CDATA[%s%syyyyyyyyy]]>", pad,
               seqs[j].out ? seqs[j].out : seqs[j].seq);
      sheaf_input_borrow(&in, "t.xml", doc, strlen(doc));
      assert_int_equal(sheaf_import_repair(&in, d), SHEAF_OK);
      if (strstr(in.data, want) == NULL)
        fail_msg("sequence %zu at offset %zu: \"%s\"", j, k, in.data);
      if (seqs[j].out == NULL)
        assert_ptr_equal(in.data, doc); /* nothing to repair */
      sheaf_input_fini(&in);
      sheaf_diag_free(d);
    }
}

static void test_repair_nothing(void **state)
{
  static const char good[] =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE rss>\n<rss><channel><item>"
      "<title>a &amp; b &#233;</title><d><![CDATA[<p>&nbsp;]]></d>"
      "</item></channel></rss>\n<!-- end -->\n";
  struct sheaf_input in;
  sheaf_diag *d = sheaf_diag_new();

  (void)state;
  sheaf_input_borrow(&in, "t.xml", good, sizeof good - 1);
  assert_int_equal(sheaf_import_repair(&in, d), SHEAF_OK);
  assert_ptr_equal(in.data, good); /* nothing to repair: not copied */
  assert_int_equal(sheaf_diag_count(d), 0);
  sheaf_input_fini(&in);
  sheaf_diag_free(d);
}

static void test_gunzip(void **state)
{
  static const char text_in[] =
      "<rss><channel><item><title>gz</title></item></channel></rss>";
  unsigned char gz[256];
  z_stream z;
  struct sheaf_input in;
  size_t n;
  sheaf_diag *d = sheaf_diag_new();

  (void)state;
  memset(&z, 0, sizeof z);
  assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY),
                   Z_OK);
  z.next_in = sheaf_unconst(text_in);
  z.avail_in = sizeof text_in - 1;
  z.next_out = gz;
  z.avail_out = sizeof gz;
  assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
  n = sizeof gz - z.avail_out;
  deflateEnd(&z);
  assert_int_equal(sheaf_input_copy(&in, "t.xml.gz", gz, n), SHEAF_OK);
  assert_int_equal(sheaf_import_gunzip(&in, (size_t)512 << 20, d), SHEAF_OK);
  assert_string_equal(in.data, text_in);
  assert_int_equal(in.len, sizeof text_in - 1);
  assert_true(in.owner == SHEAF_INPUT_ALLOCATED);
  sheaf_input_fini(&in);
  /* Damaged: cut short. */
  assert_int_equal(sheaf_input_copy(&in, "t.xml.gz", gz, 20), SHEAF_OK);
  assert_int_equal(sheaf_import_gunzip(&in, (size_t)512 << 20, d), SHEAF_ERR_IO);
  assert_true(has(d, SHEAF_ERROR, "damaged", NULL));
  assert_int_equal(in.len, 20); /* left as it was */
  sheaf_input_fini(&in);
  sheaf_diag_free(d);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_boms),
      cmocka_unit_test(test_declared),
      cmocka_unit_test(test_labels),
      cmocka_unit_test(test_unknown_and_wide_labels),
      cmocka_unit_test(test_invalid),
      cmocka_unit_test(test_override),
      cmocka_unit_test(test_fast_path),
      cmocka_unit_test(test_guess),
      cmocka_unit_test(test_repairs),
      cmocka_unit_test(test_repair_nothing),
      cmocka_unit_test(test_repair_controls_every_offset),
      cmocka_unit_test(test_gunzip),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
