/*
 * Unit tests for core's one-of-each text helpers (src/core/text.c): ASCII
 * classes, UTF-8 decoding, encoding (U+0000 included) and checking, line
 * numbers, WordPress upload URLs and archive titles; and the places that
 * use them where the old copies disagreed: numeric escapes in front matter,
 * HTML character references in feed titles (libxml2's whole table).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "import/import.h"

static void test_classes(void **state)
{
  int c;

  (void)state;
  for (c = -128; c < 256; c++) {
    bool xml = c == ' ' || c == '\t' || c == '\r' || c == '\n';
    assert_int_equal(sheaf_is_xml_space(c), xml);
    assert_int_equal(sheaf_is_html_space(c), xml || c == '\f');
    assert_int_equal(sheaf_is_space(c), xml || c == '\f' || c == '\v');
    assert_int_equal(sheaf_is_digit(c), c >= '0' && c <= '9');
    assert_int_equal(sheaf_is_alpha(c), (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
    assert_int_equal(sheaf_is_alnum(c), sheaf_is_alpha(c) || sheaf_is_digit(c));
    assert_int_equal(sheaf_to_lower(c), c >= 'A' && c <= 'Z' ? c + 32 : c);
  }
  /* Bytes of UTF-8 sequences, as a (signed) char, are in no class. */
  assert_false(sheaf_is_alpha((char)0xC3));
  assert_false(sheaf_is_space((char)0xA0));
  assert_int_equal(sheaf_hexval('f'), 15);
  assert_int_equal(sheaf_hexval('F'), 15);
  assert_int_equal(sheaf_hexval('9'), 9);
  assert_int_equal(sheaf_hexval('g'), -1);
}

static void test_utf8_encode(void **state)
{
  static const struct {
    uint32_t cp;
    const char *out;
  } cases[] = {
      {'A', "A"},
      {0x7F, "\x7F"},
      {0x80, "\xC2\x80"},
      {0xE9, "\xC3\xA9"},
      {0x7FF, "\xDF\xBF"},
      {0x800, "\xE0\xA0\x80"},
      {0x20AC, "\xE2\x82\xAC"},
      {0xFFFD, "\xEF\xBF\xBD"},
      {0x10000, "\xF0\x90\x80\x80"},
      {0x10FFFF, "\xF4\x8F\xBF\xBF"},
      /* Not characters, or a NUL that would end the string: U+FFFD. */
      {0, "\xEF\xBF\xBD"},
      {0xD800, "\xEF\xBF\xBD"},
      {0xDFFF, "\xEF\xBF\xBD"},
      {0x110000, "\xEF\xBF\xBD"},
      {0xFFFFFFFF, "\xEF\xBF\xBD"},
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char u[4];
    size_t n = sheaf_utf8_encode(cases[i].cp, u);
    struct sheaf_buf b;
    assert_int_equal(n, strlen(cases[i].out));
    assert_memory_equal(u, cases[i].out, n);
    sheaf_buf_init(&b, 0);
    assert_true(sheaf_buf_put_utf8(&b, cases[i].cp));
    assert_string_equal(b.ptr, cases[i].out);
    sheaf_buf_fini(&b);
  }
}

static void test_utf8_decode(void **state)
{
  static const struct {
    const char *in;
    size_t n;
    uint32_t cp;
    size_t len;
  } cases[] = {
      {"A", 1, 'A', 1},
      {"\xC3\xA9", 2, 0xE9, 2},
      {"\xE2\x82\xAC", 3, 0x20AC, 3},
      {"\xF0\x9F\x98\x80", 4, 0x1F600, 4},
      {"\xF4\x8F\xBF\xBF", 4, 0x10FFFF, 4},
      {"\xC3", 1, SHEAF_UTF8_INVALID, 1},             /* cut short */
      {"\xE2\x82\xAC", 2, SHEAF_UTF8_INVALID, 1},     /* cut short by n */
      {"\xC0\x80", 2, SHEAF_UTF8_INVALID, 1},         /* overlong NUL */
      {"\xE0\x80\xAF", 3, SHEAF_UTF8_INVALID, 1},     /* overlong '/' */
      {"\xED\xA0\x80", 3, SHEAF_UTF8_INVALID, 1},     /* a surrogate */
      {"\xF4\x90\x80\x80", 4, SHEAF_UTF8_INVALID, 1}, /* past U+10FFFF */
      {"\x80", 1, SHEAF_UTF8_INVALID, 1},             /* stray continuation */
      {"\xFF", 1, SHEAF_UTF8_INVALID, 1},
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    uint32_t cp = 0;
    size_t len = sheaf_utf8_decode(cases[i].in, cases[i].n, &cp);
    if (cp != cases[i].cp || len != cases[i].len)
      fail_msg("case %zu: U+%04X, %zu bytes", i, (unsigned)cp, len);
    assert_int_equal(sheaf_utf8_len(cases[i].in, cases[i].n),
                     cases[i].cp == SHEAF_UTF8_INVALID ? 0 : cases[i].len);
  }
  /* The check finds the first bad byte past any run of ASCII. */
  assert_int_equal(sheaf_utf8_check("0123456789abcdef\xC3\xA9-\xFF", 20), 19);
  assert_int_equal(sheaf_utf8_check("caf\xC3\xA9", 5), 5);
  assert_true(sheaf_utf8_valid("", 0));
  assert_false(sheaf_utf8_valid("a\xC3", 2));
}

static void test_lines(void **state)
{
  (void)state;
  assert_int_equal(sheaf_line_at("a\nb\nc", 0), 1);
  assert_int_equal(sheaf_line_at("a\nb\nc", 2), 2);
  assert_int_equal(sheaf_line_at("a\nb\nc", 5), 3);
  assert_int_equal(sheaf_line_at("\r\n\r\n", 4), 3);
}

static void test_wp_upload_rel(void **state)
{
  static const struct {
    const char *url, *rel; /* rel NULL: not an uploads URL */
  } cases[] = {
      {"https://ex.com/wp-content/uploads/2011/05/a.jpg", "2011/05/a.jpg"},
      {"https://ex.com/wp-content/uploads/2011/05/a.jpg?w=300", "2011/05/a.jpg"},
      {"https://ex.com/blog/uploads/a%20b.png#x", "a%20b.png"},
      {"https://site.files.wordpress.com/2020/01/c.gif", "2020/01/c.gif"},
      /* A folder named only in the query is not one. */
      {"https://ex.com/resize.php?src=/wp-content/uploads/a.jpg", NULL},
      {"https://ex.com/wp-content/uploads/", NULL},
      {"https://ex.com/wp-content/uploads/?x=1", NULL},
      {"https://ex.com/images/a.jpg", NULL},
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct sheaf_str r = sheaf_wp_upload_rel(cases[i].url, strlen(cases[i].url));
    if (cases[i].rel == NULL) {
      if (r.p != NULL || r.n != 0)
        fail_msg("%s: \"%.*s\"", cases[i].url, (int)r.n, r.p);
    } else if (r.n != strlen(cases[i].rel) || memcmp(r.p, cases[i].rel, r.n) != 0) {
      fail_msg("%s: \"%.*s\"", cases[i].url, (int)r.n, r.p ? r.p : "");
    }
  }
}

static void test_wp_archive_title(void **state)
{
  static const struct {
    const char *title, *term, *site; /* term NULL: not one; site NULL: none */
  } cases[] = {
      {"digital economy Archives - Focus - China Britain Business Council",
       "digital economy", "Focus - China Britain Business Council"},
      {"Tea archives \xE2\x80\x93 Leaves", "Tea", "Leaves"},
      {"Tea ARCHIVES | Leaves", "Tea", "Leaves"},
      {"Tea Archives \xC2\xBB Leaves", "Tea", "Leaves"},
      {"Tea Archives", "Tea", NULL},
      {"Tea Archives and more", NULL, NULL},
      {"Archives - Site", NULL, NULL},
      {"Site \xC2\xBB Tea", NULL, NULL},
      {"", NULL, NULL},
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct sheaf_str term, site;
    bool is = sheaf_wp_archive_title(cases[i].title, &term, &site);
    if (is != (cases[i].term != NULL))
      fail_msg("\"%s\": %s", cases[i].title, is ? "an archive title" : "not one");
    if (!is)
      continue;
    assert_int_equal(term.n, strlen(cases[i].term));
    assert_memory_equal(term.p, cases[i].term, term.n);
    if (cases[i].site == NULL) {
      assert_null(site.p);
    } else {
      assert_int_equal(site.n, strlen(cases[i].site));
      assert_memory_equal(site.p, cases[i].site, site.n);
    }
  }
}

/* The title of the only article of an RSS feed whose item title is `t`. */
static char *rss_title(const char *t)
{
  struct sheaf_collection *c = sheaf_collection_new();
  sheaf_diag *d = sheaf_diag_new();
  struct sheaf_buf xml;
  struct sheaf_input in;
  char *out = NULL;

  sheaf_buf_init(&xml, 0);
  sheaf_buf_printf(&xml,
                   "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>C</title>"
                   "<item><title>%s</title><description>d</description></item>"
                   "</channel></rss>",
                   t);
  sheaf_input_borrow(&in, "t.xml", xml.ptr, xml.len);
  if (sheaf_import_input(c, &in, NULL, d) == SHEAF_OK && c->narticles == 1)
    out = sheaf_strdup(c->articles[0]->title);
  sheaf_buf_fini(&xml);
  sheaf_collection_free(c);
  sheaf_diag_free(d);
  return out;
}

static void test_title_entities(void **state)
{
  static const struct {
    const char *xml, *title;
  } cases[] = {
      /* An RSS title is HTML: an escaped reference is a character. */
      {"Caf&amp;eacute;", "Caf\xC3\xA9"},
      {"Caf&eacute;", "Caf\xC3\xA9"},
      {"&amp;frac12; &amp;hellip; &amp;mdash; &amp;aring;",
       "\xC2\xBD \xE2\x80\xA6 \xE2\x80\x94 \xC3\xA5"},
      {"&amp;amp; &amp;lt; &amp;apos;", "& < '"},
      {"&amp;#233; &amp;#xE9; &amp;#0;", "\xC3\xA9 \xC3\xA9 \xEF\xBF\xBD"},
      /* Not references: kept as written. */
      {"&amp;bogus; &amp;eacute &amp;Eacute;x", "&bogus; &eacute \xC3\x89x"},
      {"A &amp;amp B", "A &amp B"},
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *t = rss_title(cases[i].xml);
    if (t == NULL || strcmp(t, cases[i].title) != 0)
      fail_msg("%s: \"%s\", want \"%s\"", cases[i].xml, t ? t : "(none)", cases[i].title);
    sheaf_free(t);
  }
}

static void test_frontmatter_nul(void **state)
{
  static const char md[] = "+++\ntitle = \"Caf\\u0000e\"\n+++\nText.\n";
  struct sheaf_frontmatter fm;
  size_t off;
  unsigned line;
  sheaf_diag *d = sheaf_diag_new();

  (void)state;
  sheaf_frontmatter_init(&fm);
  assert_int_equal(
      sheaf_frontmatter_parse(md, sizeof md - 1, &fm, &off, &line, "p.md", d), SHEAF_OK);
  /* Not cut at a NUL: the character is U+FFFD and the text goes on. */
  assert_string_equal(fm.title, "Caf\xEF\xBF\xBD"
                                "e");
  sheaf_frontmatter_fini(&fm);
  sheaf_diag_free(d);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_classes),        cmocka_unit_test(test_utf8_encode),
      cmocka_unit_test(test_utf8_decode),    cmocka_unit_test(test_lines),
      cmocka_unit_test(test_wp_upload_rel),  cmocka_unit_test(test_wp_archive_title),
      cmocka_unit_test(test_title_entities), cmocka_unit_test(test_frontmatter_nul),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
