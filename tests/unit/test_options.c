/*
 * Unit tests for src/core/options.c: the size-checked options struct. A
 * caller that knows fewer fields gets the defaults of the rest; one that
 * knows more may run as long as it leaves them unset; options never set
 * up with sheaf_options_init() are refused. (tests/abi/old_header.c runs
 * a whole build through the shared library with an older header.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/core.h"

static void test_init_defaults(void **state)
{
  sheaf_options opt;

  (void)state;
  memset(&opt, 0x55, sizeof opt);
  sheaf_options_init(&opt);
  assert_int_equal(opt.size, sizeof opt);
  assert_int_equal(opt.flags, 0);
  assert_null(opt.tags);
  assert_int_equal(opt.max_image_width, 1600);
  assert_int_equal(opt.max_depth, SHEAF_DEFAULT_MAX_DEPTH);
  assert_true(opt.source_date_epoch == -1);
  assert_null(opt.progress);
}

/* An older caller: init and resolve touch only its prefix. */
static void test_older_caller(void **state)
{
  size_t old = offsetof(sheaf_options, max_depth);
  unsigned char raw[sizeof(sheaf_options) + 16];
  sheaf_options *in = (sheaf_options *)(void *)raw, out;
  size_t i;

  (void)state;
  memset(raw, 0xAA, sizeof raw);
  sheaf_options_init_size(in, old);
  for (i = old; i < sizeof raw; i++)
    assert_int_equal(raw[i], 0xAA);
  assert_int_equal(in->size, old);
  in->max_article_size = 12345;
  assert_int_equal(sheaf_options_resolve(in, &out, NULL), SHEAF_OK);
  assert_int_equal(out.size, sizeof out);
  assert_int_equal(out.max_article_size, 12345);
  assert_int_equal(out.max_depth, SHEAF_DEFAULT_MAX_DEPTH); /* not the 0xAA bytes */
  assert_null(out.progress);
}

/* A newer caller: fields past this library's struct must be unset. */
static void test_newer_caller(void **state)
{
  struct {
    sheaf_options opt;
    unsigned char later[24];
  } newer;
  sheaf_options out;
  sheaf_diag *d = sheaf_diag_new();

  (void)state;
  memset(&newer, 0x55, sizeof newer);
  sheaf_options_init_size(&newer.opt, sizeof newer);
  assert_int_equal(newer.opt.size, sizeof newer);
  assert_int_equal(newer.later[23], 0);
  newer.opt.limit = 7;
  assert_int_equal(sheaf_options_resolve(&newer.opt, &out, d), SHEAF_OK);
  assert_int_equal(out.limit, 7);
  assert_int_equal(out.size, sizeof out);
  newer.later[5] = 1;
  assert_int_equal(sheaf_options_resolve(&newer.opt, &out, d), SHEAF_ERR_USAGE);
  assert_int_equal(sheaf_diag_count_severity(d, SHEAF_ERROR), 1);
  assert_non_null(strstr(sheaf_diag_get(d, 0)->message, "newer sheaf"));
  sheaf_diag_free(d);
}

static void test_uninitialised_refused(void **state)
{
  sheaf_options in, out;
  sheaf_diag *d = sheaf_diag_new();

  (void)state;
  memset(&in, 0, sizeof in);
  assert_int_equal(sheaf_options_resolve(&in, &out, d), SHEAF_ERR_USAGE);
  assert_non_null(strstr(sheaf_diag_get(d, 0)->message, "sheaf_options_init"));
  /* NULL means every default. */
  assert_int_equal(sheaf_options_resolve(NULL, &out, d), SHEAF_OK);
  assert_int_equal(out.max_image_width, 1600);
  sheaf_diag_free(d);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_init_defaults),
      cmocka_unit_test(test_older_caller),
      cmocka_unit_test(test_newer_caller),
      cmocka_unit_test(test_uninitialised_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
