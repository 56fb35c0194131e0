/*
 * Unit tests for src/layout/remove.c (--remove): which elements each
 * supported selector form takes out of an article, which it leaves, the
 * messages for selectors sheaf does not support, and a hostile nesting
 * that must not make matching explode.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "layout/layout.h"

static const char article[] =
    "<p class=\"keep\">K1</p>"
    "<div class=\"share-box big\"><a href=\"https://x.org/\">SHARE</a></div>"
    "<div class=\"related\"><p>RELATED</p></div>"
    "<p id=\"promo\">PROMO</p>"
    "<aside><div class=\"ad\">AD-CHILD</div></aside>"
    "<aside><div><span class=\"ad\">AD-GRANDCHILD</span></div></aside>"
    "<section><div class=\"ad\">AD-SECTION</div></section>"
    "<p data-x=\"1\">DATA-ONE</p><p data-x=\"2\">DATA-TWO</p>"
    "<P CLASS=\"Shout\">SHOUT</P>"
    "<p>K2</p>";

static const struct {
  const char *sel;
  const char *gone; /* comma-separated texts that must be removed */
} cases[] = {
    {".share-box", "SHARE"},
    {"div.related", "RELATED"},
    {"#promo", "PROMO"},
    {"aside > .ad", "AD-CHILD"},
    {"aside .ad", "AD-CHILD,AD-GRANDCHILD"},
    {"aside > div > .ad", "AD-GRANDCHILD"},
    {".ad", "AD-CHILD,AD-GRANDCHILD,AD-SECTION"},
    {"[data-x]", "DATA-ONE,DATA-TWO"},
    {"[data-x=\"2\"]", "DATA-TWO"},
    {"p[data-x=1]", "DATA-ONE"},
    {"p.Shout", "SHOUT"}, /* the type in any case, the class exactly */
    {"p.shout", ""},
    {"*#promo, section", "PROMO,AD-SECTION"},
    {"div.share-box.big", "SHARE"},
    {"div.share-box.small", ""},
};

static char *run(const char *html, const char *sel, sheaf_diag *diag)
{
  const char *list[1] = {sel};
  sheaf_status st;
  struct sheaf_selectors *s = sheaf_selectors_parse(list, 1, diag, &st);
  struct sheaf_layout_src src = {.file = "a.html", .line = 1, .diag = diag};
  struct sheaf_buf out;

  assert_non_null(s);
  assert_int_equal(st, SHEAF_OK);
  src.remove = s;
  sheaf_buf_init(&out, 0);
  assert_int_equal(sheaf_layout_sanitize(html, strlen(html), &src, &out), SHEAF_OK);
  sheaf_selectors_free(s);
  return sheaf_buf_detach(&out, NULL);
}

static void test_matching(void **state)
{
  static const char *const all[] = {"K1",       "SHARE",         "RELATED",    "PROMO",
                                    "AD-CHILD", "AD-GRANDCHILD", "AD-SECTION", "DATA-ONE",
                                    "DATA-TWO", "SHOUT",         "K2"};
  size_t i, k;

  (void)state;
  for (i = 0; i < sizeof cases / sizeof *cases; i++) {
    sheaf_diag *diag = sheaf_diag_new();
    char *out = run(article, cases[i].sel, diag);
    for (k = 0; k < sizeof all / sizeof *all; k++) {
      /* Whole words of the comma-separated list. */
      const char *g = cases[i].gone;
      size_t n = strlen(all[k]);
      bool want_gone = false;
      while (*g) {
        size_t w = strcspn(g, ",");
        want_gone |= w == n && strncmp(g, all[k], n) == 0;
        g += w + (g[w] == ',');
      }
      /* "AD-CHILD" is not inside "AD-CHILD2": the texts are distinct. */
      if ((strstr(out, all[k]) == NULL) != want_gone)
        fail_msg("%s: %s should %s: %s", cases[i].sel, all[k], want_gone ? "go" : "stay",
                 out);
    }
    sheaf_free(out);
    sheaf_diag_free(diag);
  }
}

static void test_bad_selectors(void **state)
{
  static const struct {
    const char *sel, *message;
  } bad[] = {
      {"", "column 1"},           {"div..x", "a class name after '.' at column 5"},
      {"a:hover", "at column 2"}, {"a ~ b", "at column 3"},
      {"[x", "'=' or ']'"},       {"[x=\"y]", "closing quote"},
      {"[x^=y]", "'=' or ']'"},   {"p,", "column 3"},
      {"#", "an id after '#'"},
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof bad / sizeof *bad; i++) {
    sheaf_diag *diag = sheaf_diag_new();
    const char *list[1] = {bad[i].sel};
    sheaf_status st;
    const sheaf_diag_entry *e;
    assert_null(sheaf_selectors_parse(list, 1, diag, &st));
    assert_int_equal(st, SHEAF_ERR_USAGE);
    e = sheaf_diag_get(diag, 0);
    assert_non_null(e);
    if (!strstr(e->message, bad[i].message) || !strstr(e->message, "--remove"))
      fail_msg("'%s': message \"%s\" lacks \"%s\"", bad[i].sel, e->message,
               bad[i].message);
    sheaf_diag_free(diag);
  }
}

/* "div div div div div" against 200 nested divs: greedy matching keeps it
 * linear; with '>' the step budget bounds it. Both must finish and agree
 * with what CSS says. */
static void test_deep_nesting(void **state)
{
  struct sheaf_buf html;
  sheaf_diag *diag = sheaf_diag_new();
  char *out;
  size_t i;

  (void)state;
  sheaf_buf_init(&html, 0);
  for (i = 0; i < 200; i++)
    sheaf_buf_puts(&html, "<div>");
  sheaf_buf_puts(&html, "<p class=\"t\">DEEP</p>");
  for (i = 0; i < 200; i++)
    sheaf_buf_puts(&html, "</div>");
  sheaf_buf_puts(&html, "<p class=\"t\">TOP</p>");
  out = run(html.ptr, "div div div div div div p.t", diag);
  assert_null(strstr(out, "DEEP"));
  assert_non_null(strstr(out, "TOP"));
  sheaf_free(out);
  out = run(html.ptr, "div div > div div > div p.t", diag);
  assert_null(strstr(out, "DEEP"));
  sheaf_free(out);
  sheaf_buf_fini(&html);
  sheaf_diag_free(diag);
}

/* A selector string that removed nothing in the book gets one warning;
 * one that did, none. */
static void test_report(void **state)
{
  /* "div a" and ".share-box a" match only inside what ".share-box" removes:
   * they matched, and get no warning. */
  const char *list[4] = {".share-box", "article .share-box, body p", ".share-box a",
                         "div a"};
  sheaf_diag *diag = sheaf_diag_new();
  sheaf_status st;
  struct sheaf_selectors *s = sheaf_selectors_parse(list, 4, diag, &st);
  struct sheaf_layout_src src = {.file = "a.html", .line = 1, .diag = diag};
  struct sheaf_buf out;
  const sheaf_diag_entry *e;
  size_t i, warnings = 0;

  (void)state;
  assert_non_null(s);
  src.remove = s;
  sheaf_buf_init(&out, 0);
  assert_int_equal(sheaf_layout_sanitize(article, strlen(article), &src, &out), SHEAF_OK);
  sheaf_selectors_report(s, diag);
  for (i = 0; (e = sheaf_diag_get(diag, i)) != NULL; i++)
    if (e->severity == SHEAF_WARNING) {
      warnings++;
      assert_non_null(strstr(e->message, "'article .share-box, body p' matched nothing"));
    }
  assert_int_equal(warnings, 1);
  sheaf_buf_fini(&out);
  sheaf_selectors_free(s);
  sheaf_diag_free(diag);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_matching),
      cmocka_unit_test(test_bad_selectors),
      cmocka_unit_test(test_deep_nesting),
      cmocka_unit_test(test_report),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
