/*
 * Shared helpers of sheaf's fuzz targets: every target reads option bits
 * from its first input byte (as cmark's and md4c's do), so one target covers
 * many code paths, and silences diagnostics (they are collected, not
 * printed; the library never prints).
 */
#ifndef SHEAF_FUZZ_H
#define SHEAF_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "core/core.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Fills `opt` from the bits of `flags`. */
static inline void sheaf_fuzz_options(sheaf_options *opt, uint8_t flags)
{
  static const char *const tags[] = {"news", "Digital Economy"};
  static const char *const types[] = {"post", "page"};

  sheaf_options_init(opt);
  if (flags & 1)
    opt->flags |= SHEAF_OPT_NEWEST_FIRST;
  if (flags & 2)
    opt->flags |= SHEAF_OPT_INCLUDE_DRAFTS;
  if (flags & 4) {
    opt->tags = tags;
    opt->ntags = 2;
  }
  if (flags & 8)
    opt->limit = 3;
  if (flags & 16) {
    opt->post_types = types;
    opt->npost_types = 2;
  }
  opt->group_by = (flags >> 5) & 3 ? ((flags >> 5) & 3) + 1 : SHEAF_GROUP_AUTO;
  if (flags & 128)
    opt->since = "2001-01-01";
}

#endif
