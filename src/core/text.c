/*
 * This file contains core's small text helpers (text.h), written once for
 * every stage.
 */
#include <string.h>

#include "core/core.h"

unsigned sheaf_line_at(const char *p, size_t off)
{
  unsigned line = 1;
  const char *q = p, *e = p + off;

  while (q < e && (q = memchr(q, '\n', (size_t)(e - q))) != NULL) {
    line++;
    q++;
  }
  return line;
}
