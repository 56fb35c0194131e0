/*
 * Unit tests for the plain text of HTML fragments (sheaf_import_plain and
 * its piecewise form) and for the choice among an item's texts
 * (src/import/textpick.c). textpick streams the first text's words and
 * stops early; a straightforward model of the rule (whole plain texts,
 * every word counted against every other) must agree with it on tables of
 * edge cases and on thousands of generated pairs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "import/import.h"

static const struct {
  const char *html, *plain;
} plain_cases[] = {
    {"a <b>bold</b> word", "a bold word"},
    {"The Pitt<i>'s</i> house", "The Pitt's house"},
    {"<p>one</p><p>two</p>", "one two"},
    {"a<br>b<img src=x>c", "a b c"},
    {"R&D &amp; Q&#38;A &#x41;&nbsp;b", "R&D & Q&A A b"},
    {"a < b and x <vector> y", "a < b and x <vector> y"},
    {"&bogus; &amp &#; &#xZ;", "&bogus; &amp &#; &#xZ;"},
    {"&#0;&#x110000;", "\xEF\xBF\xBD\xEF\xBF\xBD"},
    {"text <b unfinished", "text"},
    {"  lots \n of\tspace\xC2\xA0 ", "lots of space"},
    {"<!-- note -->kept", "kept"},
    {"", ""},
};

/* What sheaf_import_plain_each hands out, glued back together. */
static bool glue(void *ctx, const char *p, size_t n)
{
  return sheaf_buf_put(ctx, p, n);
}

/* Stops after the first piece. */
static bool first_only(void *ctx, const char *p, size_t n)
{
  (*(size_t *)ctx)++;
  (void)p;
  (void)n;
  return false;
}

static void test_plain(void **state)
{
  size_t i;

  (void)state;
  for (i = 0; i < sizeof plain_cases / sizeof *plain_cases; i++) {
    char *p = sheaf_import_plain(plain_cases[i].html);
    struct sheaf_buf b;
    char *c;
    size_t calls = 0;

    assert_non_null(p);
    if (strcmp(p, plain_cases[i].plain) != 0)
      fail_msg("plain of \"%s\": \"%s\"", plain_cases[i].html, p);
    sheaf_buf_init(&b, 0);
    assert_true(sheaf_import_plain_each(plain_cases[i].html, glue, &b));
    c = sheaf_str_collapse_ws(b.ptr, b.len);
    assert_string_equal(c, p);
    sheaf_free(c);
    sheaf_buf_fini(&b);
    /* A `put` that says stop stops it, after one call. */
    if (*p)
      assert_false(sheaf_import_plain_each(plain_cases[i].html, first_only, &calls));
    assert_int_equal(calls, *p ? 1 : 0);
    sheaf_free(p);
  }
}

/* ---- the model ------------------------------------------------------------ */

struct wlist {
  char *w[512];
  size_t n;
};

static bool wbyte(unsigned char c)
{
  return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z');
}

static void words_of(const char *html, struct wlist *l)
{
  char *p = sheaf_import_plain(html), *s = p;

  assert_non_null(p);
  l->n = 0;
  while (*s) {
    char *start;
    while (*s && !wbyte((unsigned char)*s))
      s++;
    start = s;
    while (*s && wbyte((unsigned char)*s))
      s++;
    if (s > start) {
      assert_true(l->n < sizeof l->w / sizeof *l->w);
      l->w[l->n++] = sheaf_strndup(start, (size_t)(s - start));
    }
  }
  sheaf_free(p);
}

static void wlist_fini(struct wlist *l)
{
  size_t i;

  for (i = 0; i < l->n; i++)
    sheaf_free(l->w[i]);
}

/* How many of a's words (with repeats) b has. */
static size_t count_common(const struct wlist *a, const struct wlist *b)
{
  size_t i, j, k = 0;

  for (i = 0; i < a->n; i++)
    for (j = 0; j < b->n; j++)
      if (strcmp(a->w[i], b->w[j]) == 0) {
        k++;
        break;
      }
  return k;
}

static bool blank(const char *s)
{
  return s == NULL || sheaf_str_trim((struct sheaf_str){s, strlen(s)}).n == 0;
}

/* The rule, as textpick.c's header says it: a new string. */
static char *model(const char *first, const char *other)
{
  struct wlist a, b;
  size_t ab, ba;
  char *out;

  if (blank(other))
    return first ? sheaf_strdup(first) : NULL;
  if (blank(first))
    return sheaf_strdup(other);
  words_of(first, &a);
  words_of(other, &b);
  ba = count_common(&b, &a);
  ab = count_common(&a, &b);
  if (b.n == 0 || ba * 10 >= b.n * 9) {
    out = sheaf_strdup(first);
  } else if (a.n == 0 || ab * 10 >= a.n * 9) {
    out = sheaf_strdup(other);
  } else {
    size_t n = strlen(first) + strlen(other) + 2;
    out = sheaf_malloc(n);
    snprintf(out, n, "%s\n%s", first, other);
  }
  wlist_fini(&a);
  wlist_fini(&b);
  return out;
}

static void check_pick(const char *first, const char *other, const char *expect)
{
  char *f = first ? sheaf_strdup(first) : NULL;
  char *m = model(first, other);

  assert_true(sheaf_import_pick_text(&f, other ? sheaf_strdup(other) : NULL));
  if (expect && (f == NULL || strcmp(f, expect) != 0))
    fail_msg("pick \"%s\" / \"%s\": \"%s\", expected \"%s\"", first, other,
             f ? f : "(null)", expect);
  if ((f == NULL) != (m == NULL) || (f && strcmp(f, m) != 0))
    fail_msg("pick \"%s\" / \"%s\": \"%s\", the model says \"%s\"", first, other,
             f ? f : "(null)", m ? m : "(null)");
  sheaf_free(f);
  sheaf_free(m);
}

static void test_pick_cases(void **state)
{
  const char *post = "<p>Alpha beta gamma delta epsilon zeta eta theta iota kappa "
                     "<em>lambda</em> mu.</p><p>Nu xi omicron pi rho.</p>";

  (void)state;
  /* The excerpt: its last word is cut or carries an ellipsis. */
  check_pick(post, "Alpha beta gamma delta epsilon zeta eta theta iota kappa&#8230;",
             post);
  check_pick(post, "Alpha beta gamma delta epsilon zeta eta theta iota ka [...]", post);
  /* Two of ten words missing is too many: a text of its own. */
  check_pick("<p>a b c d e f g h z</p>", "a b c d e f g h x y",
             "<p>a b c d e f g h z</p>\na b c d e f g h x y");
  /* The other is the whole; "beta&#8230;" would be a word of its own. */
  check_pick("Alpha beta ...", post, post);
  check_pick("a b c d e f g h", "a b c d e f g h x y", "a b c d e f g h x y");
  check_pick("Alpha", "Omega", "Alpha\nOmega");
  /* U+00A0 separates words, whole or in two pieces around an inline tag,
   * and as a reference; a lone 0xC2 does not. */
  check_pick("foo\xC2\xA0"
             "bar",
             "foo bar",
             "foo\xC2\xA0"
             "bar");
  check_pick("foo\xC2<b></b>\xA0"
             "bar",
             "foo bar",
             "foo\xC2<b></b>\xA0"
             "bar");
  check_pick("foo&nbsp;bar", "foo bar", "foo&nbsp;bar");
  check_pick("foo\xC2"
             "bar",
             "foo bar",
             "foo\xC2"
             "bar\nfoo bar");
  check_pick("foo\xC2\xC2\xA0"
             "bar",
             "foo\xC2 bar",
             "foo\xC2\xC2\xA0"
             "bar");
  check_pick("ends in \xC2", "ends in \xC2", "ends in \xC2");
  /* An inline element's edges do not split a word; a block's do. */
  check_pick("The Pitt<i>s</i> house", "Pitts house", "The Pitt<i>s</i> house");
  check_pick("The Pitt<p>s</p> house", "Pitts house",
             "The Pitt<p>s</p> house\nPitts house");
  /* Text after an unfinished tag is no text. */
  check_pick("one two <b three four", "three four", "one two <b three four\nthree four");
  /* Blank or missing texts. */
  check_pick(post, NULL, post);
  check_pick(post, " \n ", post);
  check_pick(NULL, post, post);
  check_pick(" ", post, post);
  check_pick(post, " -- ! ", post); /* no words: nothing new */
}

/* ---- generated pairs ---------------------------------------------------- */

static const char *const pieces[] = {
    "alpha",  "beta",       "gamma",   "delta",   "Alpha", " ",    " ",        "\n",
    "<b>",    "</b>",       "<p>",     "</p>",    "<br>",  "<i>",  "</i>",     "<vector>",
    "&nbsp;", "&amp;",      "&#8230;", "&bogus;", "\xC2",  "\xA0", "\xC2\xA0", "\xC3\xA9",
    "&#160;", "<!-- c -->", ".",       "<b",      ""};

static uint32_t next(uint32_t *seed)
{
  *seed = *seed * 1103515245u + 12345u;
  return *seed >> 8;
}

static void make(char *out, size_t cap, size_t k, uint32_t *seed)
{
  size_t i, n = 0;

  out[0] = '\0';
  for (i = 0; i < k; i++) {
    const char *p = pieces[next(seed) % (sizeof pieces / sizeof *pieces)];
    size_t len = strlen(p);
    if (n + len + 1 > cap)
      break;
    memcpy(out + n, p, len + 1);
    n += len;
  }
}

static void test_pick_generated(void **state)
{
  uint32_t seed = 2026;
  char first[1024], other[1024];
  int i;

  (void)state;
  for (i = 0; i < 5000; i++) {
    make(first, sizeof first, 1 + next(&seed) % 60, &seed);
    if (next(&seed) % 2) {
      /* Often the other is the first's opening: the case that stops early. */
      size_t cut = strlen(first) ? next(&seed) % (strlen(first) + 1) : 0;
      memcpy(other, first, cut);
      make(other + cut, sizeof other - cut, next(&seed) % 3, &seed);
    } else {
      make(other, sizeof other, 1 + next(&seed) % 30, &seed);
    }
    check_pick(first, other, NULL);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_plain),
      cmocka_unit_test(test_pick_cases),
      cmocka_unit_test(test_pick_generated),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
