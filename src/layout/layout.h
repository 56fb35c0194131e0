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

/* ---- internals shared by sanitize.c, repair.c and cruft.c --------------- */

struct _xmlNode;

/* What the sanitizer knows about an element it keeps (see sanitize.c). */
#define SHEAF_EL_PHRASING 0x01u   /* is phrasing content */
#define SHEAF_EL_PCONTENT 0x02u   /* its own content model is phrasing */
#define SHEAF_EL_VOID 0x04u       /* void element: no children, <br/> */
#define SHEAF_EL_TRANSPARENT 0x08u /* content model is its parent's (a, ins, del) */

/* Returns the SHEAF_EL_* flags of the kept element `name` (lower case), or
 * 0 for names the sanitizer does not keep. */
unsigned sheaf_layout_el_flags(const char *name);

/* Repairs content models under `body` (an element whose children are flow
 * content) so the XHTML5 schema accepts them. Returns SHEAF_OK or
 * SHEAF_ERR_NOMEM. Iterative: no recursion on the tree's depth. */
sheaf_status sheaf_layout_repair(struct _xmlNode *body);

/* Removes site cruft (WordPress footers, "Read Also" blocks, share buttons)
 * under `body`, with one note per kind removed. */
void sheaf_layout_cruft(struct _xmlNode *body, const struct sheaf_layout_src *src);

/* Moves the children of `node` before it, then frees `node`. Returns the
 * first moved child, or else the node that followed `node` (may be NULL). */
struct _xmlNode *sheaf_layout_unwrap(struct _xmlNode *node);

/* Returns the node after `node` in document order under `root`, skipping
 * node's children when `skip_children`; NULL at the end. */
struct _xmlNode *sheaf_layout_next(struct _xmlNode *node, struct _xmlNode *root,
                                   bool skip_children);

/* Cleans the URL `raw` for an href: strips whitespace and control
 * characters, allows only http, https, mailto, ftp and tel schemes (or a
 * `#fragment`), resolves relative URLs against `base` (dropped without a
 * base) and percent-encodes what a URI may not hold. Returns a new string
 * (the caller frees it with sheaf_free()) or NULL when the URL is unsafe or
 * unusable; `*nomem` is set when NULL came from a failed allocation. */
char *sheaf_layout_url(const char *raw, const char *base, bool *nomem);

/* ---- templates (chapter.c, titlepage.c) --------------------------------- */

/* Appends the XML declaration, doctype, <html> with `lang`, the head with
 * `title` (escaped) and the stylesheet link, and <body> (chapter.c). */
void sheaf_layout_head(struct sheaf_buf *out, const char *lang, const char *title);

/* Appends the XHTML content document of chapter `a` of `book` to `out`.
 * Returns SHEAF_OK or SHEAF_ERR_NOMEM. */
sheaf_status sheaf_layout_chapter(const struct sheaf_book *book,
                                  const struct sheaf_article *a,
                                  sheaf_diag *diag, struct sheaf_buf *out);

/* Appends the title page document of `book` to `out`. */
sheaf_status sheaf_layout_titlepage(const struct sheaf_book *book,
                                    struct sheaf_buf *out);

#endif
