/*
 * Unit tests for src/core/dates.c: RFC 822 dates as RSS feeds write them,
 * ISO 8601 / RFC 3339 dates as Atom feeds write them, the formatters and
 * days-from-civil. Every case is a row of a table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/core.h"

struct date_case {
  const char *in;
  const char *utc; /* expected ISO form, or NULL: must be rejected */
  int offset;      /* expected source offset in minutes */
};

static const struct date_case rfc822_cases[] = {
    {"Wed, 22 Feb 2023 07:30:53 +0000", "2023-02-22T07:30:53Z", 0},
    {"Thu, 12 Jan 2023 07:30:39 +0000", "2023-01-12T07:30:39Z", 0},
    {"Wed, 22 Feb 2023 07:30:53 GMT", "2023-02-22T07:30:53Z", 0},
    {"Wed, 22 Feb 2023 07:30:53 UT", "2023-02-22T07:30:53Z", 0},
    {"Wed, 22 Feb 2023 07:30:53 UTC", "2023-02-22T07:30:53Z", 0},
    {"Wed, 22 Feb 2023 07:30:53 Z", "2023-02-22T07:30:53Z", 0},
    {"Wed, 22 Feb 2023 02:30:53 -0500", "2023-02-22T07:30:53Z", -300},
    {"Wed, 22 Feb 2023 13:00:53 +0530", "2023-02-22T07:30:53Z", 330},
    {"Wed, 22 Feb 2023 13:00:53 +05:30", "2023-02-22T07:30:53Z", 330},
    {"Wed, 22 Feb 2023 02:30:53 EST", "2023-02-22T07:30:53Z", -300},
    {"Wed, 22 Feb 2023 03:30:53 EDT", "2023-02-22T07:30:53Z", -240},
    {"Wed, 22 Feb 2023 01:30:53 CST", "2023-02-22T07:30:53Z", -360},
    {"Wed, 22 Feb 2023 02:30:53 CDT", "2023-02-22T07:30:53Z", -300},
    {"Wed, 22 Feb 2023 00:30:53 MST", "2023-02-22T07:30:53Z", -420},
    {"Wed, 22 Feb 2023 01:30:53 MDT", "2023-02-22T07:30:53Z", -360},
    {"Tue, 21 Feb 2023 23:30:53 PST", "2023-02-22T07:30:53Z", -480},
    {"Wed, 22 Feb 2023 00:30:53 PDT", "2023-02-22T07:30:53Z", -420},
    {"Wed, 22 Feb 2023 08:30:53 A", "2023-02-22T07:30:53Z", 60},
    {"Wed, 22 Feb 2023 06:30:53 N", "2023-02-22T07:30:53Z", -60},
    {"Wed, 22 Feb 2023 19:30:53 M", "2023-02-22T07:30:53Z", 720},
    {"Wed, 22 Feb 2023 07:30:53 XYZT", "2023-02-22T07:30:53Z", 0},
    {"22 Feb 2023 07:30:53 +0000", "2023-02-22T07:30:53Z", 0},
    {"Wed, 22 Feb 2023 07:30 +0000", "2023-02-22T07:30:00Z", 0},
    {"Wed, 22 Feb 23 07:30:53 +0000", "2023-02-22T07:30:53Z", 0},
    {"Fri, 03 Sep 99 10:00:00 GMT", "1999-09-03T10:00:00Z", 0},
    {"  Wed,22 Feb   2023  07:30:53   +0000  ", "2023-02-22T07:30:53Z", 0},
    {"Wed,, 22 Feb 2023 07:30:53 +0000", "2023-02-22T07:30:53Z", 0},
    {"Wednesday, 22 February 2023 07:30:53 +0000", "2023-02-22T07:30:53Z", 0},
    {"wed, 22 FEB 2023 07:30:53 gmt", "2023-02-22T07:30:53Z", 0},
    {"Mon, 5 Sept 2022 10:00:00 +0100", "2022-09-05T09:00:00Z", 60},
    {"Wed, 22 Feb 2023 07:30:53 +0000 (UTC)", "2023-02-22T07:30:53Z", 0},
    {"Wed, 22 Feb 2023 07:30:53 GMT+0100", "2023-02-22T06:30:53Z", 60},
    {"Wed, 22 Feb 2023", "2023-02-22T00:00:00Z", 0},
    {"Feb 22 2023 07:30:53 GMT", "2023-02-22T07:30:53Z", 0},
    {"Thu, 29 Feb 2024 12:00:00 +0000", "2024-02-29T12:00:00Z", 0},
    {"Sat, 31 Dec 2016 23:59:60 +0000", "2017-01-01T00:00:00Z", 0},
    {"Wed, 31 Dec 1969 23:59:59 +0000", "1969-12-31T23:59:59Z", 0},
    /* Other languages' weekday and month names (issue 13). */
    {"Seg, 07 Set 2015 10:00:00 -0300", "2015-09-07T13:00:00Z", -180},
    {"lun., 5 f\xC3\xA9vr. 2024 08:00:00 +0100", "2024-02-05T07:00:00Z", 60},
    {"Mi, 03 Jan 2024 12:00:00 +0100", "2024-01-03T11:00:00Z", 60},
    {"Di, 12 M\xC3\xA4rz 2024 09:00:00 +0100", "2024-03-12T08:00:00Z", 60},
    {"mer., 17 juil. 2024 09:00:00 +0200", "2024-07-17T07:00:00Z", 120},
    {"gio, 10 ott 2024 09:00:00 +0200", "2024-10-10T07:00:00Z", 120},
    {"ma, 4 mrt 2024 09:00:00 +0100", "2024-03-04T08:00:00Z", 60},
    {"\xD0\xBF\xD0\xBD, 12 \xD1\x84\xD0\xB5\xD0\xB2 2024 10:00:00 +0300",
     "2024-02-12T07:00:00Z", 180},
    {"12 \xD0\xB0\xD0\xB2\xD0\xB3\xD1\x83\xD1\x81\xD1\x82\xD0\xB0 2024",
     "2024-08-12T00:00:00Z", 0},
    {"pon., 5 lutego 2024 10:00:00 +0100", "2024-02-05T09:00:00Z", 60},
    {"ons, 3 okt 2024 10:00:00 +0200", "2024-10-03T08:00:00Z", 120},
    {"s\xC3\xA1"
     "b, 5 dic 2020 10:00:00 +0000",
     "2020-12-05T10:00:00Z", 0},
    /* rejected */
    {"Wed, 22 jui 2023 07:30:53 +0000", NULL, 0}, /* juin or juillet? */
    {"", NULL, 0},
    {"not a date", NULL, 0},
    {"Wed, 32 Feb 2023 07:30:53 +0000", NULL, 0},
    {"Wed, 29 Feb 2023 07:30:53 +0000", NULL, 0},
    {"Wed, 22 Foo 2023 07:30:53 +0000", NULL, 0},
    {"Wed, 22 Feb 2023 24:30:53 +0000", NULL, 0},
    {"Wed, 22 Feb 2023 07:60:53 +0000", NULL, 0},
    {"Wed, 22 Feb 2023 07:30:61 +0000", NULL, 0},
    {"Wed, 22 Feb 2023 07:30:53 +2500", NULL, 0},
    {"Wed, 22 Feb 2023 07:30:53 +0000 garbage", NULL, 0},
    {"Wed, 22 Feb 20233 07:30:53 +0000", NULL, 0},
    {"Wed, 22 Feb 2023 7", NULL, 0},
};

static const struct date_case iso_cases[] = {
    {"2023-02-22T07:30:53Z", "2023-02-22T07:30:53Z", 0},
    {"2023-02-22t07:30:53z", "2023-02-22T07:30:53Z", 0},
    {"2023-02-22 07:30:53Z", "2023-02-22T07:30:53Z", 0},
    {"2023-02-22T07:30:53.123456Z", "2023-02-22T07:30:53Z", 0},
    {"2023-02-22T08:30:53+01:00", "2023-02-22T07:30:53Z", 60},
    {"2023-02-22T08:30:53+0100", "2023-02-22T07:30:53Z", 60},
    {"2023-02-22T02:30:53-05:00", "2023-02-22T07:30:53Z", -300},
    {"2023-02-22T13:00:53.5+05:30", "2023-02-22T07:30:53Z", 330},
    {"2023-02-22T07:30Z", "2023-02-22T07:30:00Z", 0},
    {"2023-02-22T07:30:53", "2023-02-22T07:30:53Z", 0},
    {"2023-02-22", "2023-02-22T00:00:00Z", 0},
    {"20230222", "2023-02-22T00:00:00Z", 0},
    {"20230222T073053Z", "2023-02-22T07:30:53Z", 0},
    {"20230222T083053+0100", "2023-02-22T07:30:53Z", 60},
    {" 2023-02-22T07:30:53Z\n", "2023-02-22T07:30:53Z", 0},
    {"2000-02-29T00:00:00Z", "2000-02-29T00:00:00Z", 0},
    /* rejected */
    {"2023-13-01", NULL, 0},
    {"2023-02-30", NULL, 0},
    {"1900-02-29", NULL, 0},
    {"2023-02-22T25:00:00Z", NULL, 0},
    {"2023-02-22T07:30:53+1", NULL, 0},
    {"2023-02-22T07:30:53Zjunk", NULL, 0},
    {"2023-2-22", NULL, 0},
    {"2023", NULL, 0},
    {"Wed, 22 Feb 2023 07:30:53 +0000", NULL, 0},
};

static void check_table(const struct date_case *cases, size_t n,
                        bool (*parse)(const char *, size_t, int64_t *, int *))
{
  size_t i;

  for (i = 0; i < n; i++) {
    int64_t t = 0;
    int off = 12345;
    char out[32];
    bool ok = parse(cases[i].in, strlen(cases[i].in), &t, &off);
    if (cases[i].utc == NULL) {
      if (ok)
        fail_msg("accepted \"%s\"", cases[i].in);
      continue;
    }
    if (!ok)
      fail_msg("rejected \"%s\"", cases[i].in);
    sheaf_date_format_iso(t, out);
    if (strcmp(out, cases[i].utc) != 0)
      fail_msg("\"%s\" gave %s, expected %s", cases[i].in, out, cases[i].utc);
    if (off != cases[i].offset)
      fail_msg("\"%s\" gave offset %d, expected %d", cases[i].in, off, cases[i].offset);
  }
}

static void test_rfc822(void **state)
{
  (void)state;
  check_table(rfc822_cases, sizeof rfc822_cases / sizeof rfc822_cases[0],
              sheaf_date_parse_rfc822);
}

static void test_iso8601(void **state)
{
  (void)state;
  check_table(iso_cases, sizeof iso_cases / sizeof iso_cases[0],
              sheaf_date_parse_iso8601);
}

static void test_parse_either(void **state)
{
  static const struct date_case cases[] = {
      {"2023-02-22T07:30:53Z", "2023-02-22T07:30:53Z", 0},
      {"Wed, 22 Feb 2023 07:30:53 +0000", "2023-02-22T07:30:53Z", 0},
      {"Wed, 22 Feb 2023 07:30:53 -0800", "2023-02-22T15:30:53Z", -480},
      {"yesterday", NULL, 0},
  };

  (void)state;
  check_table(cases, sizeof cases / sizeof cases[0], sheaf_date_parse);
}

static void test_not_nul_terminated(void **state)
{
  const char s[] = "2023-02-22T07:30:53Z and more";
  int64_t t;

  (void)state;
  assert_true(sheaf_date_parse_iso8601(s, 20, &t, NULL));
  assert_int_equal(t, 1677051053);
  assert_false(sheaf_date_parse_iso8601(s, 22, &t, NULL));
}

static void test_format(void **state)
{
  static const struct {
    int64_t t;
    const char *iso, *day;
  } cases[] = {
      {0, "1970-01-01T00:00:00Z", "1970-01-01"},
      {1677051053, "2023-02-22T07:30:53Z", "2023-02-22"},
      {1673508639, "2023-01-12T07:30:39Z", "2023-01-12"},
      {-1, "1969-12-31T23:59:59Z", "1969-12-31"},
      {951782400, "2000-02-29T00:00:00Z", "2000-02-29"},
  };
  char out[32];
  size_t i;

  (void)state;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    sheaf_date_format_iso(cases[i].t, out);
    assert_string_equal(out, cases[i].iso);
    sheaf_date_format_day(cases[i].t, out);
    assert_string_equal(out, cases[i].day);
  }
}

static void test_days_from_civil(void **state)
{
  static const struct {
    int64_t y;
    unsigned m, d;
    int64_t days;
  } cases[] = {
      {1970, 1, 1, 0},     {1970, 1, 2, 1},      {1969, 12, 31, -1},
      {2000, 3, 1, 11017}, {2023, 2, 22, 19410}, {1600, 1, 1, -135140},
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
    assert_int_equal(sheaf_days_from_civil(cases[i].y, cases[i].m, cases[i].d),
                     cases[i].days);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rfc822),       cmocka_unit_test(test_iso8601),
      cmocka_unit_test(test_parse_either), cmocka_unit_test(test_not_nul_terminated),
      cmocka_unit_test(test_format),       cmocka_unit_test(test_days_from_civil),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
