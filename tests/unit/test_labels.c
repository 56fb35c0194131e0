/*
 * Unit tests for src/core/labels.c: which language a tag gets, long dates
 * and month headings per language, plural forms of the article count, date
 * ranges, and the English fallback being reported as such.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/core.h"

/* 2023-02-22T07:30:53Z and 2024-03-03T00:00:00Z */
#define FEB22 ((int64_t)1677051053)
#define MAR03 ((int64_t)1709424000)

static void test_language_choice(void **state)
{
  static const struct {
    const char *tag, *want;
    bool match;
  } cases[] = {
      {"en", "en", true},           {"en-GB", "en", true},
      {"EN-us", "en-US", true}, /* month first in dates */
      {"de", "de", true},           {"de-AT", "de", true},
      {"fr-CA", "fr", true},        {"pt-BR", "pt", true},
      {"zh", "zh", true},           {"zh-CN", "zh", true},
      {"zh-Hans-TW", "zh", true},   {"zh-TW", "zh-Hant", true},
      {"zh-Hant", "zh-Hant", true}, {"zh-hant-CN", "zh-Hant", true},
      {"zh_HK", "zh-Hant", true},   {"ja-JP", "ja", true},
      {"fi", "en", false},          {"ar", "en", false},
      {"und", "en", true},          {"", "en", true},
      {"e", "en", false},           {"english", "en", false},
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof cases / sizeof *cases; i++) {
    const struct sheaf_labels *l = sheaf_labels_for(cases[i].tag);
    if (strcmp(l->lang, cases[i].want) != 0 ||
        sheaf_labels_match(l, cases[i].tag) != cases[i].match)
      fail_msg("%s: labels %s, match %d", cases[i].tag, l->lang,
               sheaf_labels_match(l, cases[i].tag));
  }
  assert_string_equal(sheaf_labels_for(NULL)->lang, "en");
  assert_true(sheaf_labels_match(sheaf_labels_for(NULL), NULL));
}

static void test_dates(void **state)
{
  static const struct {
    const char *tag, *date, *month;
  } cases[] = {
      {"en", "22 February 2023", "February 2023"},
      {"en-GB", "22 February 2023", "February 2023"},
      {"en-US", "February 22, 2023", "February 2023"},
      {"de", "22. Februar 2023", "Februar 2023"},
      {"fr", "22 février 2023", "Février 2023"},
      {"es", "22 de febrero de 2023", "Febrero de 2023"},
      {"pl", "22 lutego 2023", "Luty 2023"},
      {"ru", "22 февраля 2023", "Февраль 2023"},
      {"zh", "2023年2月22日", "2023年2月"},
      {"ja", "2023年2月22日", "2023年2月"},
      {"ko", "2023년 2월 22일", "2023년 2월"},
      {"fi", "22 February 2023", "February 2023"},
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof cases / sizeof *cases; i++) {
    const struct sheaf_labels *l = sheaf_labels_for(cases[i].tag);
    struct sheaf_buf d, m;
    sheaf_buf_init(&d, 0);
    sheaf_buf_init(&m, 0);
    sheaf_labels_date(l, FEB22, &d);
    sheaf_labels_month(l, FEB22, &m);
    if (strcmp(d.ptr, cases[i].date) != 0 || strcmp(m.ptr, cases[i].month) != 0)
      fail_msg("%s: \"%s\", \"%s\"", cases[i].tag, d.ptr, m.ptr);
    sheaf_buf_fini(&d);
    sheaf_buf_fini(&m);
  }
  {
    /* 01:00 at +09:00 on 1 January is still 31 December in UTC: the day is
     * the one where it was written. */
    struct sheaf_buf d;
    sheaf_buf_init(&d, 0);
    sheaf_labels_date_tz(sheaf_labels_for("en"), INT64_C(1672502400), 9 * 60, &d);
    assert_string_equal(d.ptr, "1 January 2023");
    sheaf_buf_reset(&d);
    sheaf_labels_date_tz(sheaf_labels_for("en"), INT64_C(1672502400), 0, &d);
    assert_string_equal(d.ptr, "31 December 2022");
    sheaf_buf_fini(&d);
  }
}

static void test_counts(void **state)
{
  static const struct {
    const char *tag;
    size_t n;
    const char *want;
  } cases[] = {
      {"en", 0, "0 articles"},    {"en", 1, "1 article"},     {"en", 2, "2 articles"},
      {"fr", 0, "0 article"},     {"fr", 1, "1 article"},     {"fr", 2, "2 articles"},
      {"de", 1, "1 Artikel"},     {"de", 7, "7 Artikel"},     {"zh", 1, "1 篇文章"},
      {"ru", 1, "1 статья"},      {"ru", 2, "2 статьи"},      {"ru", 5, "5 статей"},
      {"ru", 11, "11 статей"},    {"ru", 12, "12 статей"},    {"ru", 21, "21 статья"},
      {"ru", 22, "22 статьи"},    {"ru", 111, "111 статей"},  {"ru", 0, "0 статей"},
      {"pl", 1, "1 artykuł"},     {"pl", 3, "3 artykuły"},    {"pl", 5, "5 artykułów"},
      {"pl", 13, "13 artykułów"}, {"pl", 21, "21 artykułów"}, {"pl", 24, "24 artykuły"},
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof cases / sizeof *cases; i++) {
    struct sheaf_buf b;
    sheaf_buf_init(&b, 0);
    sheaf_labels_count(sheaf_labels_for(cases[i].tag), cases[i].n, &b);
    if (strcmp(b.ptr, cases[i].want) != 0)
      fail_msg("%s %zu: \"%s\", want \"%s\"", cases[i].tag, cases[i].n, b.ptr,
               cases[i].want);
    sheaf_buf_fini(&b);
  }
}

static void test_ranges(void **state)
{
  const struct sheaf_labels *de = sheaf_labels_for("de");
  struct sheaf_buf b;

  (void)state;
  sheaf_buf_init(&b, 0);
  sheaf_labels_date_range(de, FEB22, MAR03, &b);
  assert_string_equal(b.ptr, "22. Februar 2023 – 3. März 2024");
  sheaf_buf_reset(&b);
  /* The same day at two times is one date. */
  sheaf_labels_date_range(de, FEB22, FEB22 + 3600, &b);
  assert_string_equal(b.ptr, "22. Februar 2023");
  sheaf_buf_reset(&b);
  sheaf_labels_date_range(de, SHEAF_TIME_UNKNOWN, MAR03, &b);
  assert_string_equal(b.ptr, "3. März 2024");
  sheaf_buf_reset(&b);
  sheaf_labels_date_range(de, SHEAF_TIME_UNKNOWN, SHEAF_TIME_UNKNOWN, &b);
  assert_string_equal(b.ptr, "");
  sheaf_buf_reset(&b);
  /* French writes the first of the month as an ordinal. */
  sheaf_labels_date_range(sheaf_labels_for("fr"), MAR03 - 2 * 86400, MAR03, &b);
  assert_string_equal(b.ptr, "1er mars 2024 – 3 mars 2024");
  sheaf_buf_fini(&b);
}

/* Every language has every string, and twelve months of each kind. */
static void test_tables_complete(void **state)
{
  static const char *const tags[] = {"en", "de", "fr", "es", "it",      "pt", "nl",
                                     "sv", "pl", "ru", "zh", "zh-Hant", "ja", "ko"};
  size_t i, m;

  (void)state;
  for (i = 0; i < sizeof tags / sizeof *tags; i++) {
    const struct sheaf_labels *l = sheaf_labels_for(tags[i]);
    const char *s[] = {
        l->contents, l->landmarks, l->title_page, l->start,      l->cover,    l->untitled,
        l->undated,  l->untagged,  l->sources[0], l->sources[1], l->original, l->media,
        l->video,    l->audio,     l->date,       l->month,      l->count[0]};
    size_t k;
    assert_string_equal(l->lang, tags[i]);
    for (k = 0; k < sizeof s / sizeof *s; k++)
      if (s[k] == NULL || !*s[k] || !sheaf_utf8_valid(s[k], strlen(s[k])))
        fail_msg("%s: string %zu is missing or not UTF-8", tags[i], k);
    for (m = 0; m < 12; m++)
      if (!l->months[m] || !*l->months[m] || !l->month_names[m] || !*l->month_names[m])
        fail_msg("%s: month %zu missing", tags[i], m + 1);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_language_choice), cmocka_unit_test(test_dates),
      cmocka_unit_test(test_counts),          cmocka_unit_test(test_ranges),
      cmocka_unit_test(test_tables_complete),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
