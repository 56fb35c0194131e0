/* slurp(): a whole file read into memory for a unit test, failing the test
 * when it cannot be read or is empty. Include after <cmocka.h>. Shared by
 * the tests that compare books byte for byte (test_spool, test_ahead). */
#ifndef SHEAF_TEST_SLURP_H
#define SHEAF_TEST_SLURP_H

#include <stdio.h>
#include <stdlib.h>

/* Returns the file's bytes (not NUL-terminated; free with free()) and
 * their count in *n. */
static char *slurp(const char *path, size_t *n)
{
  FILE *f = fopen(path, "rb");
  char *p;
  long sz;

  assert_non_null(f);
  assert_int_equal(fseek(f, 0, SEEK_END), 0);
  sz = ftell(f);
  assert_true(sz > 0);
  rewind(f);
  p = malloc((size_t)sz);
  assert_non_null(p);
  assert_int_equal(fread(p, 1, (size_t)sz, f), (size_t)sz);
  fclose(f);
  *n = (size_t)sz;
  return p;
}

#endif
