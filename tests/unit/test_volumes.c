/*
 * Unit tests for the volumes of --split: parsing the split, cutting the
 * date-ordered articles so that growth never moves an earlier boundary,
 * the volumes' file names, and the warning for one unwieldy book.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "build/build.h"
#include "select/select.h"

static const struct {
  const char *spec;
  enum sheaf_split_kind kind;
  uint64_t n;
  sheaf_status st;
} splits[] = {
    {NULL, SHEAF_SPLIT_NONE, 0, SHEAF_OK},
    {"year", SHEAF_SPLIT_YEAR, 0, SHEAF_OK},
    {"Month", SHEAF_SPLIT_MONTH, 0, SHEAF_OK},
    {"500", SHEAF_SPLIT_COUNT, 500, SHEAF_OK},
    {"1", SHEAF_SPLIT_COUNT, 1, SHEAF_OK},
    {"45MB", SHEAF_SPLIT_SIZE, 45000000, SHEAF_OK},
    {"45mb", SHEAF_SPLIT_SIZE, 45000000, SHEAF_OK},
    {"300M", SHEAF_SPLIT_SIZE, (uint64_t)300 << 20, SHEAF_OK},
    {"2GiB", SHEAF_SPLIT_SIZE, (uint64_t)2 << 30, SHEAF_OK},
    {"256K", SHEAF_SPLIT_SIZE, (uint64_t)256 << 10, SHEAF_OK},
    {"255K", SHEAF_SPLIT_NONE, 0, SHEAF_ERR_USAGE}, /* too small */
    {"0", SHEAF_SPLIT_NONE, 0, SHEAF_ERR_USAGE},
    {"weekly", SHEAF_SPLIT_NONE, 0, SHEAF_ERR_USAGE},
    {"45XB", SHEAF_SPLIT_NONE, 0, SHEAF_ERR_USAGE},
    {"-5", SHEAF_SPLIT_NONE, 0, SHEAF_ERR_USAGE},
    {"99999999999999999999", SHEAF_SPLIT_NONE, 0, SHEAF_ERR_USAGE},
    {"99999999999G", SHEAF_SPLIT_NONE, 0, SHEAF_ERR_USAGE},
};

static void test_split_parse(void **state)
{
  size_t i;

  (void)state;
  for (i = 0; i < sizeof splits / sizeof *splits; i++) {
    struct sheaf_split sp;
    sheaf_diag *d = sheaf_diag_new();
    sheaf_status st = sheaf_select_split_parse(splits[i].spec, &sp, d);
    if (st != splits[i].st)
      fail_msg("--split %s: status %d", splits[i].spec, (int)st);
    if (st == SHEAF_OK) {
      assert_int_equal(sp.kind, splits[i].kind);
      assert_int_equal(sp.n, splits[i].n);
    } else {
      assert_int_equal(sheaf_diag_count_severity(d, SHEAF_ERROR), 1);
    }
    sheaf_diag_free(d);
  }
}

/* 2021-12-20T00:00:00Z, then one article every `step` days. */
#define START 1639958400LL
#define DAY 86400LL

static struct sheaf_article arts[64];
static const struct sheaf_article *ptrs[64];

static void make_articles(int64_t step)
{
  size_t i;

  memset(arts, 0, sizeof arts);
  for (i = 0; i < 64; i++) {
    arts[i].published = START + (int64_t)i * step * DAY;
    arts[i].order = i;
    ptrs[i] = &arts[i];
  }
}

/* A weigher for the size cut: article i weighs costs[i], plus 300 bytes
 * for its picture pic[i] (one of 4; -1: none) the first time the volume
 * shows it. */
struct fake {
  uint64_t costs[64];
  int pic[64];
  bool seen[4];
  size_t calls;
};

static sheaf_status fake_weigh(void *userdata, size_t i, bool fresh, uint64_t *w)
{
  struct fake *f = userdata;

  f->calls++;
  if (fresh)
    memset(f->seen, 0, sizeof f->seen);
  *w = f->costs[i];
  if (f->pic[i] >= 0 && !f->seen[f->pic[i]]) {
    *w += 300;
    f->seen[f->pic[i]] = true;
  }
  return SHEAF_OK;
}

/* Cuts the first n articles and the first n + grow, and checks that every
 * volume of the first cut but its last is in the second, unchanged. */
static void check_stable(const struct sheaf_split *sp, const struct sheaf_weigher *costs,
                         uint64_t budget, size_t n, size_t grow)
{
  struct sheaf_volume_span *a = NULL, *b = NULL;
  size_t na = 0, nb = 0, i, covered = 0;

  assert_int_equal(sheaf_select_plan(ptrs, n, sp, costs, budget, &a, &na), SHEAF_OK);
  assert_int_equal(sheaf_select_plan(ptrs, n + grow, sp, costs, budget, &b, &nb),
                   SHEAF_OK);
  assert_true(na >= 2);
  assert_true(nb >= na);
  for (i = 0; i < na; i++) {
    covered += a[i].count;
    if (i + 1 == na)
      break;
    assert_int_equal(a[i].start, b[i].start);
    assert_int_equal(a[i].count, b[i].count);
    assert_string_equal(a[i].key, b[i].key);
  }
  assert_int_equal(covered, n);
  sheaf_free(a);
  sheaf_free(b);
}

static void test_plan_stable(void **state)
{
  struct sheaf_split sp;
  struct sheaf_volume_span *s = NULL;
  struct fake f;
  struct sheaf_weigher wr = {fake_weigh, &f};
  size_t i, n = 0;

  (void)state;
  make_articles(9);
  sp.kind = SHEAF_SPLIT_COUNT;
  sp.n = 5;
  check_stable(&sp, NULL, 0, 23, 17);
  assert_int_equal(sheaf_select_plan(ptrs, 23, &sp, NULL, 0, &s, &n), SHEAF_OK);
  assert_int_equal(n, 5);
  assert_string_equal(s[0].key, "01");
  assert_string_equal(s[4].key, "05");
  assert_int_equal(s[4].count, 3);
  sheaf_free(s);

  sp.kind = SHEAF_SPLIT_YEAR;
  check_stable(&sp, NULL, 0, 40, 20);
  assert_int_equal(sheaf_select_plan(ptrs, 40, &sp, NULL, 0, &s, &n), SHEAF_OK);
  assert_string_equal(s[0].key, "2021");
  assert_int_equal(s[0].count, 2); /* 20 and 29 December */
  assert_string_equal(s[1].key, "2022");
  sheaf_free(s);

  sp.kind = SHEAF_SPLIT_MONTH;
  check_stable(&sp, NULL, 0, 30, 30);
  assert_int_equal(sheaf_select_plan(ptrs, 30, &sp, NULL, 0, &s, &n), SHEAF_OK);
  assert_string_equal(s[1].key, "2022-01");
  sheaf_free(s);

  /* By size: greedy from the oldest; an article over the budget alone
   * gets a volume of its own. */
  sp.kind = SHEAF_SPLIT_SIZE;
  sp.n = 1000;
  memset(&f, 0, sizeof f);
  for (i = 0; i < 64; i++) {
    f.costs[i] = 100 + (i * 37) % 300;
    f.pic[i] = i % 3 ? (int)(i % 4) : -1;
  }
  f.costs[7] = 5000;
  check_stable(&sp, &wr, 1000, 30, 34);
  f.calls = 0;
  assert_int_equal(sheaf_select_plan(ptrs, 64, &sp, &wr, 1000, &s, &n), SHEAF_OK);
  /* Each article once, and again for each volume it starts. */
  assert_int_equal(f.calls, 64 + n - 1);
  for (i = 0; i < n; i++) {
    uint64_t sum = 0;
    bool seen[4] = {false, false, false, false};
    size_t k;
    for (k = s[i].start; k < s[i].start + s[i].count; k++) {
      sum += f.costs[k];
      if (f.pic[k] >= 0 && !seen[f.pic[k]]) {
        sum += 300;
        seen[f.pic[k]] = true;
      }
    }
    /* Within budget, or one article alone; and full: the next article
     * would not have fitted. */
    assert_true(sum <= 1000 || s[i].count == 1);
    if (s[i].start == 7)
      assert_int_equal(s[i].count, 1);
  }
  sheaf_free(s);
}

static void test_undated_volume(void **state)
{
  struct sheaf_split sp = {SHEAF_SPLIT_YEAR, 0};
  struct sheaf_volume_span *s = NULL;
  size_t n = 0;

  (void)state;
  make_articles(100);
  arts[5].published = SHEAF_TIME_UNKNOWN; /* date order puts it last */
  ptrs[5] = &arts[6];
  ptrs[6] = &arts[5];
  assert_int_equal(sheaf_select_plan(ptrs, 7, &sp, NULL, 0, &s, &n), SHEAF_OK);
  assert_string_equal(s[n - 1].key, "undated");
  assert_int_equal(s[n - 1].count, 1);
  sheaf_free(s);
}

static const struct {
  const char *output, *key, *want;
  size_t index;
} names[] = {
    {"blog.epub", "01", "blog-01.epub", 1},
    {"out/blog.epub", "2019", "out/blog-2019.epub", 3},
    {"dir.v/blog", "02", "dir.v/blog-02", 2},
    {".hidden", "01", ".hidden-01", 1},
    {"a.b.epub", "2019-02", "a.b-2019-02.epub", 1},
    {"vols/{key}.epub", "2019", "vols/2019.epub", 4},
    {"vol{n}.epub", "12", "vol12.epub", 12},
    {"vol{n}.epub", "03", "vol03.epub", 3},
    {"v{n}-{key}.epub", "2020", "v07-2020.epub", 7},
};

static void test_volume_path(void **state)
{
  size_t i;

  (void)state;
  for (i = 0; i < sizeof names / sizeof *names; i++) {
    char *p = sheaf_volume_path(names[i].output, names[i].index, names[i].key);
    assert_non_null(p);
    assert_string_equal(p, names[i].want);
    sheaf_free(p);
  }
}

static void test_size_warning(void **state)
{
  struct sheaf_book b;
  sheaf_diag *d = sheaf_diag_new();
  char path[] = "/tmp/sheaf-test-big-XXXXXX";
  int fd = mkstemp(path);

  (void)state;
  assert_true(fd >= 0);
  memset(&b, 0, sizeof b);
  b.nchapters = 5000;
  sheaf_build_size_warning(&b, NULL, d);
  assert_int_equal(sheaf_diag_count_severity(d, SHEAF_WARNING), 0);
  b.nchapters = 5001;
  sheaf_build_size_warning(&b, NULL, d);
  assert_int_equal(sheaf_diag_count_severity(d, SHEAF_WARNING), 1);
  assert_non_null(strstr(sheaf_diag_get(d, 0)->message, "--split"));
  /* A sparse file: 200M and a byte is over, 200M is not. */
  assert_int_equal(ftruncate(fd, (off_t)200 << 20), 0);
  sheaf_build_size_warning(&b, path, d);
  assert_int_equal(sheaf_diag_count_severity(d, SHEAF_WARNING), 1);
  assert_int_equal(ftruncate(fd, ((off_t)200 << 20) + 1), 0);
  sheaf_build_size_warning(&b, path, d);
  assert_int_equal(sheaf_diag_count_severity(d, SHEAF_WARNING), 2);
  assert_non_null(strstr(sheaf_diag_get(d, 1)->message, "--split 45MB"));
  close(fd);
  unlink(path);
  sheaf_diag_free(d);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_split_parse),    cmocka_unit_test(test_plan_stable),
      cmocka_unit_test(test_undated_volume), cmocka_unit_test(test_volume_path),
      cmocka_unit_test(test_size_warning),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
