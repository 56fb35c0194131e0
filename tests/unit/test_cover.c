/*
 * Unit tests for src/layout/cover.c's generated picture: it is drawn a
 * band of rows at a time straight into the JPEG encoder, twice, to count
 * the symbols and then with the optimal Huffman tables (huffman.c), so a
 * big build holds neither the 16 MB surface of the whole cover nor
 * libjpeg's 12 MB of coefficients. The bytes must be those of the cover
 * drawn whole and encoded by libjpeg's own optimize_coding, as sheaf did
 * before, for titles that fit on one line, wrap, or break inside words,
 * with a tag, a site and dates, and for bands that do not divide the
 * height.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "layout/layout.h"

static const char *const titles[] = {
    "Field Notes",
    "A rather long title that has to wrap over several lines of the cover",
    "Unbreakablewordthatislongerthanthewholelineofthecoverforsure and "
    "Anotherunbreakablewordthatislongerthanthewholelineofthecover",
};

static void cover(const char *title, int band, struct sheaf_buf *out)
{
  static char subject[] = "digital-economy";
  static char *subjects[] = {subject};
  struct sheaf_book book;
  struct sheaf_layout_ctx cx;
  sheaf_diag *diag = sheaf_diag_new();

  assert_non_null(diag);
  memset(&book, 0, sizeof book);
  memset(&cx, 0, sizeof cx);
  book.title = (char *)(uintptr_t)title;
  book.language = (char *)(uintptr_t) "en";
  book.publisher = (char *)(uintptr_t) "Example Weblog";
  book.subjects = subjects;
  book.nsubjects = 1;
  book.first = INT64_C(1500000000);
  book.last = INT64_C(1700000000);
  cx.book = &book;
  cx.diag = diag;
  sheaf_buf_init(out, 0);
  assert_int_equal(sheaf_layout_cover_jpeg_bands(&cx, band, out), SHEAF_OK);
  /* The shipped fonts set every glyph: no note about the system's. */
  assert_int_equal(sheaf_diag_count(diag), 0);
  sheaf_diag_free(diag);
}

static void test_bands_same_bytes(void **state)
{
  static const int bands[] = {64, 1, 37, 2559};
  size_t t, b;

  (void)state;
  for (t = 0; t < sizeof titles / sizeof *titles; t++) {
    struct sheaf_buf whole;
    cover(titles[t], 2560, &whole);
    /* A baseline JPEG: SOI first, EOI last. */
    assert_true(whole.len > 20000);
    assert_memory_equal(whole.ptr, "\xff\xd8", 2);
    assert_memory_equal(whole.ptr + whole.len - 2, "\xff\xd9", 2);
    for (b = 0; b < sizeof bands / sizeof *bands; b++) {
      struct sheaf_buf part;
      cover(titles[t], bands[b], &part);
      assert_int_equal(part.len, whole.len);
      assert_memory_equal(part.ptr, whole.ptr, whole.len);
      sheaf_buf_fini(&part);
    }
    sheaf_buf_fini(&whole);
  }
}

/* Different titles give different pictures (the comparison above is not
 * between two empty covers). */
static void test_titles_differ(void **state)
{
  struct sheaf_buf a, b;

  (void)state;
  cover(titles[0], 64, &a);
  cover(titles[1], 64, &b);
  assert_false(a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0);
  sheaf_buf_fini(&a);
  sheaf_buf_fini(&b);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_bands_same_bytes),
      cmocka_unit_test(test_titles_differ),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
