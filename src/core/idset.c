/*
 * This file contains a set of strings, sorted once and searched by
 * bisection: the article ids that --after leaves out.
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

static int cmp_str(const void *a, const void *b)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void sheaf_idset_sort(struct sheaf_idset *set)
{
  if (set->n)
    qsort(set->ids, set->n, sizeof *set->ids, cmp_str);
}

bool sheaf_idset_has(const struct sheaf_idset *set, const char *id)
{
  return set && set->n && bsearch(&id, set->ids, set->n, sizeof *set->ids, cmp_str);
}

void sheaf_idset_fini(struct sheaf_idset *set)
{
  size_t i;

  for (i = 0; i < set->n; i++)
    sheaf_free(set->ids[i]);
  sheaf_free(set->ids);
  memset(set, 0, sizeof *set);
}
