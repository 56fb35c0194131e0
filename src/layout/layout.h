/*
 * This file declares the layout stage's internals: the HTML sanitizer that
 * turns an article body into XHTML body content EPUBCheck accepts, the
 * content-model repairs, the removal of site cruft, and the chapter and
 * title-page templates. The public entry is sheaf_layout() (layout.c).
 */
#ifndef SHEAF_LAYOUT_H
#define SHEAF_LAYOUT_H

#include "core/core.h"

/* Where a body came from, for resolving links and for messages. */
struct sheaf_layout_src {
  const char *base_url; /* article link: base for relative URLs; may be NULL */
  const char *file;     /* input path for diagnostics; may be NULL */
  unsigned line;        /* line of the article in `file`, or 0 */
  sheaf_diag *diag;     /* may be NULL */
};

/* Sanitizes the HTML fragment `html[0..n)` and appends it to `out` as XHTML
 * body content (well-formed XML, elements unprefixed, meant to sit inside a
 * <body> or <section> in the XHTML namespace). Scripts, styles, frames,
 * forms, embeds, event handlers and javascript: URLs are removed; content
 * models are repaired; WordPress cruft is removed; images that are not local
 * files become their alt text. Returns SHEAF_OK or SHEAF_ERR_NOMEM. */
sheaf_status sheaf_layout_sanitize(const char *html, size_t n,
                                   const struct sheaf_layout_src *src,
                                   struct sheaf_buf *out);

#endif
