/*
 * This file contains sheaf's allocation wrappers. Every allocation of the
 * library's own goes through them (libxml2, cmark and libzip allocate on
 * their own), so sizes are checked for overflow in one place and a test
 * can make the n-th allocation fail (sheaf_alloc_fail_after(), curl's
 * torture idea) to walk the out-of-memory paths.
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

/* Allocations left before the injected failure; -1: none armed. Per
 * thread, so a test arming it on one thread leaves the others alone. */
static _Thread_local long fail_countdown = -1;

void sheaf_alloc_fail_after(long n)
{
  fail_countdown = n;
}

bool sheaf_alloc_fail_pending(void)
{
  return fail_countdown >= 0;
}

static bool fail_now(void)
{
  if (fail_countdown < 0)
    return false;
  return fail_countdown-- == 0;
}

void *sheaf_malloc(size_t n)
{
  return fail_now() ? NULL : malloc(n ? n : 1);
}

void *sheaf_calloc(size_t count, size_t size)
{
  return fail_now() ? NULL : calloc(count ? count : 1, size ? size : 1);
}

void *sheaf_realloc(void *p, size_t n)
{
  return fail_now() ? NULL : realloc(p, n ? n : 1);
}

void sheaf_free(void *p)
{
  free(p);
}

char *sheaf_strndup(const char *s, size_t n)
{
  char *d;

  if (s == NULL)
    return NULL;
  if (n == SIZE_MAX)
    return NULL;
  d = sheaf_malloc(n + 1);
  if (d == NULL)
    return NULL;
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

char *sheaf_strdup(const char *s)
{
  return s ? sheaf_strndup(s, strlen(s)) : NULL;
}

bool sheaf_grow(void **arr, size_t *cap, size_t need, size_t size)
{
  size_t ncap;
  void *p;

  if (need <= *cap)
    return true;
  ncap = *cap ? *cap : 8;
  while (ncap < need) {
    if (ncap > SIZE_MAX / 2)
      return false;
    ncap *= 2;
  }
  if (size && ncap > SIZE_MAX / size)
    return false;
  p = sheaf_realloc(*arr, ncap * size);
  if (p == NULL)
    return false;
  *arr = p;
  *cap = ncap;
  return true;
}
