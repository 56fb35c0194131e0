/*
 * This file contains sheaf's allocation wrappers. Every allocation in the
 * library goes through them so a test build can inject failures, and so
 * sizes are checked for overflow in one place.
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

void *sheaf_malloc(size_t n)
{
  return malloc(n ? n : 1);
}

void *sheaf_calloc(size_t count, size_t size)
{
  return calloc(count ? count : 1, size ? size : 1);
}

void *sheaf_realloc(void *p, size_t n)
{
  return realloc(p, n ? n : 1);
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
