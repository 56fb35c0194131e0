/*
 * Unit tests for src/select: tag matching, book titles from feed titles,
 * filtering, de-duplication, ordering, limits and the book's metadata.
 * Collections are built by hand, so these tests do not depend on import.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "select/select.h"

/* 2024-01-01T00:00:00Z */
#define JAN1 1704067200LL
#define DAY 86400LL

struct spec {
  const char *title, *guid, *link;
  int64_t published, updated;
  const char *tags; /* comma-separated display names */
};

static struct sheaf_collection *make(const struct spec *s, size_t n,
                                     const char *feed_title, const char *lang)
{
  struct sheaf_collection *c = sheaf_collection_new();
  struct sheaf_feed *f = sheaf_calloc(1, sizeof *f);
  size_t i;

  f->title = sheaf_strdup(feed_title);
  f->link = sheaf_strdup("https://example.org/");
  f->language = lang ? sheaf_strdup(lang) : NULL;
  assert_true(sheaf_collection_add_feed(c, f));
  for (i = 0; i < n; i++) {
    struct sheaf_article *a = sheaf_article_new();
    a->title = sheaf_strdup(s[i].title);
    a->guid = s[i].guid ? sheaf_strdup(s[i].guid) : NULL;
    a->link = s[i].link ? sheaf_strdup(s[i].link) : NULL;
    a->published = s[i].published;
    a->updated = s[i].updated;
    a->source = sheaf_collection_intern_source(c, "test.rss");
    if (s[i].tags) {
      char buf[256];
      char *p = buf, *comma;
      snprintf(buf, sizeof buf, "%s", s[i].tags);
      for (;;) {
        comma = strchr(p, ',');
        if (comma)
          *comma = '\0';
        assert_true(sheaf_article_add_tag(a, p, NULL, SHEAF_TAG_TAG));
        if (!comma)
          break;
        p = comma + 1;
      }
    }
    assert_true(sheaf_article_finish(a));
    assert_true(sheaf_collection_add_article(c, a));
  }
  return c;
}

static const struct spec blog[] = {
    {"C", "g3", "https://example.org/c", JAN1 + 3 * DAY, SHEAF_TIME_UNKNOWN,
     "Digital Economy,China"},
    {"A", "g1", "https://example.org/a", JAN1 + 1 * DAY, SHEAF_TIME_UNKNOWN,
     "digital economy"},
    {"B", "g2", "https://example.org/b", JAN1 + 2 * DAY, SHEAF_TIME_UNKNOWN, "Trade"},
    {"D", "g4", "https://example.org/d", JAN1 + 4 * DAY, SHEAF_TIME_UNKNOWN,
     "Trade,China"},
};

/* Returns the chapter titles joined, e.g. "A,C". */
static const char *titles(const sheaf_book *b)
{
  static char out[256];
  size_t i;

  out[0] = '\0';
  for (i = 0; i < sheaf_book_count(b); i++) {
    if (i)
      strncat(out, ",", sizeof out - strlen(out) - 1);
    strncat(out, sheaf_article_get_title(sheaf_book_get(b, i)),
            sizeof out - strlen(out) - 1);
  }
  return out;
}

static const struct {
  const char *tags[3];
  const char *exclude[2];
  const char *since, *until;
  size_t limit;
  unsigned flags;
  const char *want; /* NULL: no match */
} select_cases[] = {
    {{NULL}, {NULL}, NULL, NULL, 0, 0, "A,B,C,D"},
    {{"digital-economy"}, {NULL}, NULL, NULL, 0, 0, "A,C"},
    {{"DIGITAL ECONOMY"}, {NULL}, NULL, NULL, 0, 0, "A,C"},
    {{"Digital_Economy"}, {NULL}, NULL, NULL, 0, 0, "A,C"},
    {{"trade", "digital economy"}, {NULL}, NULL, NULL, 0, 0, "A,B,C,D"},
    {{"china"}, {"trade"}, NULL, NULL, 0, 0, "C"},
    {{NULL}, {NULL}, "2024-01-03", NULL, 0, 0, "B,C,D"},
    {{NULL}, {NULL}, NULL, "2024-01-03", 0, 0, "A,B"},
    {{NULL}, {NULL}, "2024-01-03T00:00:01Z", "2024-01-04", 0, 0, "C"},
    {{NULL}, {NULL}, NULL, NULL, 2, 0, "C,D"},
    {{NULL}, {NULL}, NULL, NULL, 0, SHEAF_OPT_NEWEST_FIRST, "D,C,B,A"},
    {{NULL}, {NULL}, NULL, NULL, 3, SHEAF_OPT_NEWEST_FIRST, "D,C,B"},
    {{"nope"}, {NULL}, NULL, NULL, 0, 0, NULL},
    {{NULL}, {NULL}, "2030-01-01", NULL, 0, 0, NULL},
};

static void test_select_table(void **state)
{
  struct sheaf_collection *c = make(blog, 4, "Blog", "en");
  size_t i, k;

  (void)state;
  for (i = 0; i < sizeof select_cases / sizeof *select_cases; i++) {
    sheaf_options opt;
    sheaf_diag *d = sheaf_diag_new();
    sheaf_status st;
    sheaf_book *b;

    sheaf_options_init(&opt);
    for (k = 0; k < 3 && select_cases[i].tags[k]; k++)
      ;
    opt.tags = select_cases[i].tags;
    opt.ntags = k;
    for (k = 0; k < 2 && select_cases[i].exclude[k]; k++)
      ;
    opt.exclude_tags = select_cases[i].exclude;
    opt.nexclude_tags = k;
    opt.since = select_cases[i].since;
    opt.until = select_cases[i].until;
    opt.limit = select_cases[i].limit;
    opt.flags = select_cases[i].flags;
    b = sheaf_select(c, &opt, d, &st);
    if (select_cases[i].want == NULL) {
      assert_null(b);
      assert_int_equal(st, SHEAF_ERR_NOMATCH);
      assert_int_equal(sheaf_diag_count_severity(d, SHEAF_ERROR), 1);
    } else {
      assert_non_null(b);
      assert_int_equal(st, SHEAF_OK);
      if (strcmp(titles(b), select_cases[i].want) != 0)
        fail_msg("case %zu: got %s, want %s", i, titles(b), select_cases[i].want);
    }
    sheaf_book_free(b);
    sheaf_diag_free(d);
  }
  sheaf_collection_free(c);
}

static void test_bad_date_is_usage_error(void **state)
{
  struct sheaf_collection *c = make(blog, 4, "Blog", "en");
  sheaf_options opt;
  sheaf_diag *d = sheaf_diag_new();
  sheaf_status st;

  (void)state;
  sheaf_options_init(&opt);
  opt.since = "last tuesday";
  assert_null(sheaf_select(c, &opt, d, &st));
  assert_int_equal(st, SHEAF_ERR_USAGE);
  assert_non_null(strstr(sheaf_diag_get(d, 0)->message, "YYYY-MM-DD"));
  sheaf_diag_free(d);
  sheaf_collection_free(c);
}

static void test_duplicates_keep_newest(void **state)
{
  static const struct spec dups[] = {
      {"old", "same", "https://example.org/x", JAN1, JAN1, "t"},
      {"new", "same", "https://example.org/x", JAN1, JAN1 + DAY, "t"},
      {"by-link-1", "g-a", "https://example.org/y", JAN1 + 2 * DAY, SHEAF_TIME_UNKNOWN,
       "t"},
      {"by-link-2", "g-b", "https://example.org/y", JAN1 + 5 * DAY, SHEAF_TIME_UNKNOWN,
       "t"},
      {"undated", NULL, NULL, SHEAF_TIME_UNKNOWN, SHEAF_TIME_UNKNOWN, "t"},
      {"first", NULL, "https://example.org/z", JAN1 - DAY, SHEAF_TIME_UNKNOWN, "t"},
      /* Without guids, the same link and title are the same article. */
      {"link", NULL, "https://example.org/w", JAN1 + 3 * DAY, SHEAF_TIME_UNKNOWN, "t"},
      {"link", NULL, "https://example.org/w", JAN1 + 4 * DAY, SHEAF_TIME_UNKNOWN, "t"},
      /* A site's home page as every item's link: different titles are
       * different articles (issue 13: whole posts went). */
      {"home-a", NULL, "https://example.org/", JAN1 + 6 * DAY, SHEAF_TIME_UNKNOWN, "t"},
      {"home-b", NULL, "https://example.org/", JAN1 + 7 * DAY, SHEAF_TIME_UNKNOWN, "t"},
  };
  struct sheaf_collection *c = make(dups, 10, "Blog", NULL);
  sheaf_diag *d = sheaf_diag_new();
  sheaf_status st;
  sheaf_book *b = sheaf_select(c, NULL, d, &st);

  (void)state;
  assert_non_null(b);
  /* Different guids are different articles, whatever their link. */
  assert_string_equal(titles(b),
                      "first,new,by-link-1,link,by-link-2,home-a,home-b,undated");
  assert_int_equal(sheaf_book_merged_count(b), 2);
  /* The latest of the two "link" copies is kept. */
  assert_true(sheaf_article_get_published(sheaf_book_get(b, 3)) == JAN1 + 4 * DAY);
  assert_string_equal(sheaf_book_get_language(b), "en");
  sheaf_book_free(b);
  sheaf_diag_free(d);
  sheaf_collection_free(c);
}

static const struct {
  const char *feed, *title, *publisher;
} title_cases[] = {
    {"digital economy Archives - Focus - China Britain Business Council",
     "digital economy", "Focus - China Britain Business Council"},
    {"Rust Archives \xE2\x80\x93 The Blog", "Rust", "The Blog"},
    {"My Site \xC2\xBB Travel", "Travel", "My Site"},
    {"Plain Blog", NULL, NULL},
    {"Archives", NULL, NULL},
    {"", NULL, NULL},
};

static void test_title_from_feed(void **state)
{
  size_t i;

  (void)state;
  for (i = 0; i < sizeof title_cases / sizeof *title_cases; i++) {
    char *t, *p;
    assert_true(sheaf_select_title_from_feed(title_cases[i].feed, &t, &p));
    if (title_cases[i].title)
      assert_string_equal(t, title_cases[i].title);
    else
      assert_null(t);
    if (title_cases[i].publisher)
      assert_string_equal(p, title_cases[i].publisher);
    else
      assert_null(p);
    sheaf_free(t);
    sheaf_free(p);
  }
}

static const struct {
  const char *path, *title;
} path_cases[] = {
    {"../shared/corpus/jekyll/docs/_posts/2016-01-01-x.md", "jekyll"},
    {"/srv/hugo-basic-example/content/post/a.md", "hugo basic example"},
    {"hexo-site/source/zh-cn/docs/index.md", "hexo site"},
    {"notes/field_trips/day-1.md", "field trips"},
    {"a.md", NULL},
    {"_posts/a.md", NULL},
};

static void test_title_from_path(void **state)
{
  size_t i;

  (void)state;
  for (i = 0; i < sizeof path_cases / sizeof *path_cases; i++) {
    char *t = sheaf_select_title_from_path(path_cases[i].path);
    if (path_cases[i].title)
      assert_string_equal(t, path_cases[i].title);
    else
      assert_null(t);
    sheaf_free(t);
  }
}

static void test_book_metadata(void **state)
{
  struct sheaf_collection *c =
      make(blog, 4, "digital economy Archives - Focus - CBBC", "en-GB");
  const char *tags[] = {"digital-economy"};
  sheaf_options opt;
  sheaf_status st;
  sheaf_book *b, *b2;
  const char *slug;
  size_t count;

  (void)state;
  sheaf_options_init(&opt);
  opt.tags = tags;
  opt.ntags = 1;
  b = sheaf_select(c, &opt, NULL, &st);
  assert_non_null(b);
  assert_string_equal(sheaf_book_get_title(b), "Digital Economy");
  assert_string_equal(b->publisher, "Focus - CBBC");
  assert_string_equal(sheaf_book_get_language(b), "en-GB");
  assert_int_equal(b->nsubjects, 1);
  /* Subjects use the name as the articles spell it. */
  assert_string_equal(b->subjects[0], "digital economy");
  assert_int_equal(b->first, JAN1 + DAY);
  assert_int_equal(b->last, JAN1 + 3 * DAY);
  assert_int_equal(b->modified, JAN1 + 3 * DAY);
  assert_true(strncmp(sheaf_book_get_identifier(b), "urn:uuid:", 9) == 0);
  assert_int_equal(strlen(sheaf_book_get_identifier(b)), 45);
  /* The same selection gives the same identifier. */
  b2 = sheaf_select(c, &opt, NULL, &st);
  assert_string_equal(sheaf_book_get_identifier(b), sheaf_book_get_identifier(b2));
  /* Tag counts among the chapters: digital-economy 2, china 1. */
  assert_int_equal(sheaf_book_tag_count(b), 2);
  assert_string_equal(sheaf_book_get_tag(b, 0, &slug, &count), "digital economy");
  assert_string_equal(slug, "digital-economy");
  assert_int_equal(count, 2);
  assert_null(sheaf_book_get_tag(b, 2, NULL, NULL));
  sheaf_book_free(b2);
  /* --title wins; SOURCE_DATE_EPOCH sets modified. */
  opt.title = "Mine";
  opt.source_date_epoch = 42;
  b2 = sheaf_select(c, &opt, NULL, &st);
  assert_string_equal(sheaf_book_get_title(b2), "Mine");
  assert_int_equal(b2->modified, 42);
  sheaf_book_free(b2);
  sheaf_book_free(b);
  sheaf_collection_free(c);
}

/* Tags match in every script, whatever the case and however the accents
 * were typed: the CLI's --tag against an article's tag names. */
static void test_tag_unicode(void **state)
{
  static const struct {
    const char *tag, *want;
    bool match;
  } cases[] = {
      {"\xD0\xA2\xD0\xB5\xD0\xBC\xD0\xB0", "\xD1\x82\xD0\xB5\xD0\xBC\xD0\xB0", true},
      {"\xD0\xA2\xD0\xB5\xD0\xBC\xD0\xB0", "\xD0\xA2\xD0\x95\xD0\x9C\xD0\x90", true},
      {"STRASSE",
       "stra\xC3\x9F"
       "e",
       true},
      {"Stra\xC3\x9F"
       "e",
       "strasse", true},
      {"\xC3\xA9t\xC3\xA9", "E\xCC\x81T\xC3\x89", true},
      {"\xC3\xA9t\xC3\xA9", "ete", false},
      {"\xD0\xA2\xD0\xB5\xD0\xBC\xD0\xB0", "\xD1\x82\xD0\xB5\xD0\xBC", false},
      {"Digital Economy", "DIGITAL-economy", true},
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct sheaf_article *a = sheaf_article_new();
    assert_non_null(a);
    assert_true(sheaf_article_add_tag(a, cases[i].tag, NULL, SHEAF_TAG_TAG));
    if (sheaf_select_has_tag(a, cases[i].want) != cases[i].match) {
      print_error("case %zu: %s vs %s\n", i, cases[i].tag, cases[i].want);
      fail();
    }
    sheaf_article_free(a);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_select_table),
      cmocka_unit_test(test_bad_date_is_usage_error),
      cmocka_unit_test(test_duplicates_keep_newest),
      cmocka_unit_test(test_title_from_feed),
      cmocka_unit_test(test_title_from_path),
      cmocka_unit_test(test_book_metadata),
      cmocka_unit_test(test_tag_unicode),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
