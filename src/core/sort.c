/*
 * This file contains an in-place sort of 64-bit numbers, for the arrays a
 * build holds one number per URL or per zip entry (a million and more):
 * glibc's qsort sorts such an array through a copy of it, which doubled
 * their memory at the moment they were sorted. A quicksort whose pivot is
 * the median of three, recursing into the smaller side so the stack stays
 * O(log n); Hoare's partition splits runs of equal numbers evenly. The
 * numbers sorted here are hashes, so no input makes it quadratic in
 * practice.
 */
#include "core/core.h"

static void swap(uint64_t *a, uint64_t *b)
{
  uint64_t t = *a;
  *a = *b;
  *b = t;
}

void sheaf_sort_u64(uint64_t *e, size_t n)
{
  while (n > 16) {
    size_t i, j, m = n / 2;
    uint64_t p;
    if (e[m] < e[0])
      swap(&e[m], &e[0]);
    if (e[n - 1] < e[0])
      swap(&e[n - 1], &e[0]);
    if (e[n - 1] < e[m])
      swap(&e[n - 1], &e[m]);
    p = e[m];
    for (i = 0, j = n - 1;;) {
      while (e[i] < p)
        i++;
      while (p < e[j])
        j--;
      if (i >= j)
        break;
      swap(&e[i++], &e[j--]);
    }
    /* e[0..j] <= p <= e[j+1..n) */
    if (j + 1 < n - j - 1) {
      sheaf_sort_u64(e, j + 1);
      e += j + 1;
      n -= j + 1;
    } else {
      sheaf_sort_u64(e + j + 1, n - j - 1);
      n = j + 1;
    }
  }
  for (size_t i = 1; i < n; i++) {
    uint64_t v = e[i];
    size_t j = i;
    for (; j > 0 && v < e[j - 1]; j--)
      e[j] = e[j - 1];
    e[j] = v;
  }
}
