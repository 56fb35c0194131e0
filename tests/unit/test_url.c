/*
 * This file contains the unit tests of core/url.c: percent-escapes, the
 * authority of a URL (user info, host, port, IPv6 literals) and the href
 * cleaner (schemes, resolution, encoding, host names), from tables of
 * inputs and the results they must give.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/core.h"

static void test_pct(void **state)
{
  static const struct {
    const char *in;
    size_t n;
    int want;
  } cases[] = {
      {"%41", 3, 0x41}, {"%c3", 3, 0xC3}, {"%C3x", 4, 0xC3}, {"%4", 2, -1},
      {"%41", 2, -1},   {"%g1", 3, -1},   {"%1g", 3, -1},    {"A41", 3, -1},
      {"%00", 3, 0},    {"", 0, -1},
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
    assert_int_equal(sheaf_url_pct(cases[i].in, cases[i].n), cases[i].want);
}

static void test_decode(void **state)
{
  static const struct {
    const char *in, *want;
    size_t want_len;
  } cases[] = {
      {"plain", "plain", 5},
      {"a%20b", "a b", 3},
      {"%C3%A9t%C3%A9", "\xC3\xA9t\xC3\xA9", 5},
      {"100%", "100%", 4},
      {"%zz%4", "%zz%4", 5},
      {"a%00b", "a\0b", 3},
      {"%%41", "%A", 2},
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct sheaf_buf b;
    sheaf_buf_init(&b, 0);
    assert_true(sheaf_url_decode(&b, cases[i].in, strlen(cases[i].in)));
    assert_int_equal(b.len, cases[i].want_len);
    assert_memory_equal(b.ptr, cases[i].want, b.len);
    sheaf_buf_fini(&b);
  }
}

static void test_authority(void **state)
{
  static const struct {
    const char *url;
    const char *host; /* NULL: no authority */
    const char *rest; /* what follows the authority */
  } cases[] = {
      {"https://example.com/a?b#c", "example.com", "/a?b#c"},
      {"http://user:pw@Example.org:8080/x", "Example.org", "/x"},
      {"http://[::1]:8080/x", "[::1]", "/x"},
      {"http://[::1]/", "[::1]", "/"},
      {"ftp://host", "host", ""},
      {"http://host?q", "host", "?q"},
      {"http://a@b@c/", "b@c", "/"},
      {"mailto:a@example.com", NULL, NULL},
      {"/relative/path", NULL, NULL},
      {"http:/one-slash", NULL, NULL},
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct sheaf_url_authority a;
    bool ok = sheaf_url_authority(cases[i].url, &a);
    if (!cases[i].host) {
      assert_false(ok);
      continue;
    }
    assert_true(ok);
    assert_int_equal(a.host_end - a.host, strlen(cases[i].host));
    assert_memory_equal(cases[i].url + a.host, cases[i].host, strlen(cases[i].host));
    assert_string_equal(cases[i].url + a.end, cases[i].rest);
  }
}

static void test_scheme_resolve(void **state)
{
  static const struct {
    const char *s;
    size_t len;
  } schemes[] = {{"https://x", 5}, {"mailto:a", 6},  {"svn+ssh://x", 7},
                 {"a.b-c:", 5},    {"1http://x", 0}, {"/a:b", 0},
                 {"noscheme", 0},  {"ht tp:x", 0},   {":x", 0}};
  static const struct {
    const char *ref, *base, *want;
  } refs[] = {
      {"../x.png?v=2", "https://example.com/a/b/c.html",
       "https://example.com/a/x.png?v=2"},
      {"//cdn.example.net/y", "http://example.com/", "http://cdn.example.net/y"},
      {"#f", "https://example.com/p", "https://example.com/p#f"},
      {"https://other.org/", "https://example.com/p", "https://other.org/"},
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
    assert_int_equal(sheaf_url_scheme(schemes[i].s), schemes[i].len);
  for (i = 0; i < sizeof refs / sizeof refs[0]; i++) {
    char *got = sheaf_url_resolve(refs[i].ref, refs[i].base);
    assert_non_null(got);
    assert_string_equal(got, refs[i].want);
    sheaf_free(got);
  }
}

static void test_clean(void **state)
{
  static const struct {
    const char *raw, *base, *want; /* want NULL: dropped */
  } cases[] = {
      {"https://example.com/a b", NULL, "https://example.com/a%20b"},
      {"  http://example.com/\t", NULL, "http://example.com/"},
      {"java\tscript:alert(1)", NULL, NULL},
      {"data:text/html,x", NULL, NULL},
      {"mailto:a@example.com", NULL, "mailto:a@example.com"},
      {"#top", NULL, "#top"},
      {"../x.html", "https://example.com/blog/post/", "https://example.com/blog/x.html"},
      {"x.html", NULL, NULL},
      {"//cdn.example.net/p", "https://example.com/", "https://cdn.example.net/p"},
      {"http://a..b/", NULL, NULL},
      {"http://exa%3Cmple.com/", NULL, NULL},
      {"http://[::1]:8080/x", NULL, "http://[::1]:8080/x"},
      {"https://EXAMPLE.com/", NULL, "https://EXAMPLE.com/"}, /* ASCII stays */
      {"https://b%C3%BCcher.example/", NULL, "https://xn--bcher-kva.example/"},
      /* Percent-encoding: each unsafe byte, a lone '%', a '#' after the
       * fragment's, non-ASCII bytes; escapes already there stay. */
      {"https://e.org/\"<>\\^`{|}~!$&'()*+,;=:@/?x", NULL,
       "https://e.org/%22%3C%3E%5C%5E%60%7B%7C%7D~!$&'()*+,;=:@/?x"},
      {"https://e.org/100%/%zz/%4/%41%e9?q=%#a#b%", NULL,
       "https://e.org/100%25/%25zz/%254/%41%e9?q=%25#a%23b%25"},
      {"https://e.org/caf\xC3\xA9\x7F", NULL, "https://e.org/caf%C3%A9"},
      {"a b\x7F c#f#g", "https://e.org/d/", "https://e.org/d/a%20b%20c#f%23g"},
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    bool nomem = true;
    char *got = sheaf_url_clean(cases[i].raw, cases[i].base, &nomem, NULL);
    assert_false(nomem);
    if (cases[i].want == NULL) {
      assert_null(got);
      continue;
    }
    assert_non_null(got);
    assert_string_equal(got, cases[i].want);
    sheaf_free(got);
  }
}

/* Internationalized hosts: UTS #46 mapping (lower case, NFC), nontransitional
 * (ß stays), punycode per label, ports and user info kept; names IDNA
 * refuses are dropped with a reason, never a crash. */
static void test_idna(void **state)
{
  static const struct {
    const char *raw, *want; /* want NULL: refused, with a reason */
  } cases[] = {
      {"https://B\xC3\x9C"
       "CHER.de/",
       "https://xn--bcher-kva.de/"},
      {"https://b\xC3\xBC"
       "cher.de/",
       "https://xn--bcher-kva.de/"},
      {"https://bu\xCC\x88"
       "cher.de/",
       "https://xn--bcher-kva.de/"}, /* decomposed u + U+0308 */
      {"https://b%C3%BC"
       "cher.de/x?q#f",
       "https://xn--bcher-kva.de/x?q#f"},
      {"https://stra\xC3\x9F"
       "e.de/",
       "https://xn--strae-oqa.de/"},
      {"https://STRASSE.de/", "https://STRASSE.de/"}, /* ASCII hosts stay as written */
      {"https://user@B\xC3\x9C"
       "CHER.de:8443/p",
       "https://user@xn--bcher-kva.de:8443/p"},
      {"http://\xD0\xBF\xD1\x80\xD0\xB8\xD0\xBC\xD0\xB5\xD1\x80.\xD1\x80\xD1\x84/",
       "http://xn--e1afmkfd.xn--p1ai/"}, /* пример.рф */
      {"http://\xCE\x91\xCE\x92\xCE\x93.gr/", "http://xn--mxacd.gr/"}, /* ΑΒΓ */
      {"http://\xE4\xBE\x8B\xE3\x81\x88.\xE3\x83\x86\xE3\x82\xB9\xE3\x83\x88/",
       "http://xn--r8jz45g.xn--zckzah/"},                       /* 例え.テスト */
      {"http://\xD0\xB0pple.com/", "http://xn--pple-43d.com/"}, /* Cyrillic a */
      {"https://b\xC3\xBC"
       "cher-.de/",
       NULL},                                          /* a hyphen at a label's end */
      {"https://\xF0\x9F\x9A\x80-science.com/", NULL}, /* emoji: IDNA2008 refuses */
      {"https://a\xE2\x80\xAE"
       "b.com/",
       NULL}, /* a right-to-left override */
      {"https://b\xFF"
       "cher.de/",
       NULL}, /* not UTF-8 */
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    bool nomem = true;
    const char *why = "unset";
    char *got = sheaf_url_clean(cases[i].raw, NULL, &nomem, &why);
    assert_false(nomem);
    if (cases[i].want == NULL) {
      assert_null(got);
      assert_non_null(why);
      assert_string_not_equal(why, "unset");
      continue;
    }
    assert_null(why);
    assert_non_null(got);
    assert_string_equal(got, cases[i].want);
    sheaf_free(got);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_pct),       cmocka_unit_test(test_decode),
      cmocka_unit_test(test_authority), cmocka_unit_test(test_clean),
      cmocka_unit_test(test_idna),      cmocka_unit_test(test_scheme_resolve),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
