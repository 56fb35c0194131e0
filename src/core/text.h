/*
 * This file declares core's small text helpers, one of each for the whole
 * library: counting lines. core.h includes it; other modules include
 * core.h, never this file directly.
 */
#ifndef SHEAF_CORE_TEXT_H
#define SHEAF_CORE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The line number (from 1) of byte offset `off` of `p`: one more than the
 * newlines in p[0..off). */
unsigned sheaf_line_at(const char *p, size_t off);

#endif
