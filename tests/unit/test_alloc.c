/*
 * Out-of-memory paths (src/core/alloc.c's injection): a whole build of the
 * example feed, with allocation n failing, for every n until a build makes
 * fewer allocations than n. A build that meets the failure must never
 * crash and must free everything (the sanitizer build in CI sees leaks and
 * bad accesses); it fails, mostly with SHEAF_ERR_NOMEM (a few paths still
 * report another status, and some allocations are optional: a diagnostic
 * that cannot be stored is only counted). A build that did not meet the
 * failure must succeed.
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

#include "core/core.h"

#ifndef SHEAF_SRCDIR
#define SHEAF_SRCDIR "."
#endif

static sheaf_status build_once(const char *out, bool *failed)
{
  sheaf_options opt;
  sheaf_diag *diag;
  sheaf_collection *coll;
  sheaf_book *book = NULL;
  sheaf_manuscript *ms = NULL;
  sheaf_status st = SHEAF_ERR_NOMEM;

  sheaf_options_init(&opt);
  opt.threads = 1;
  diag = sheaf_diag_new();
  coll = sheaf_collection_new();
  if (diag && coll) {
    sheaf_collection_spool_bodies(coll);
    st = sheaf_import_path(coll, SHEAF_SRCDIR "/examples/field-notes.rss", &opt, diag);
  }
  if (st == SHEAF_OK)
    book = sheaf_select(coll, &opt, diag, &st);
  if (book)
    ms = sheaf_layout(book, &opt, diag, &st);
  if (ms)
    st = sheaf_package(ms, out, &opt, diag);
  *failed = !sheaf_alloc_fail_pending();
  sheaf_alloc_fail_after(-1);
  sheaf_manuscript_free(ms);
  sheaf_book_free(book);
  sheaf_collection_free(coll);
  sheaf_diag_free(diag);
  return st;
}

static void test_every_allocation_fails_once(void **state)
{
  char out[] = "/tmp/sheaf-alloc-XXXXXX";
  char path[64];
  long n;
  bool failed = true;
  int fd = mkstemp(out);

  (void)state;
  assert_true(fd >= 0);
  close(fd);
  unlink(out);
  snprintf(path, sizeof path, "%s.epub", out);
  size_t counts[SHEAF_STATUS_COUNT_ + 1] = {0};
  int i;

  for (n = 0; failed && n < 100000; n++) {
    sheaf_status st;
    sheaf_alloc_fail_after(n);
    st = build_once(path, &failed);
    counts[(unsigned)st < SHEAF_STATUS_COUNT_ ? st : SHEAF_STATUS_COUNT_]++;
    if (!failed)
      assert_int_equal(st, SHEAF_OK);
  }
  assert_false(failed);
  printf("%ld builds, allocation n failing in build n:", n);
  for (i = 0; i < SHEAF_STATUS_COUNT_; i++)
    if (counts[i])
      printf(" %zu %s", counts[i], sheaf_status_name((sheaf_status)i));
  printf("\n");
  assert_int_equal(counts[SHEAF_STATUS_COUNT_], 0);
  assert_true((long)counts[SHEAF_ERR_NOMEM] > n / 2); /* the failures mostly say so */
  unlink(path);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_every_allocation_fails_once),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
