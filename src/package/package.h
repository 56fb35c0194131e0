/*
 * This file declares the package stage's internals: the package document
 * (content.opf), the navigation documents (nav.xhtml, toc.ncx) and the zip
 * container. The public entry is sheaf_package() (package.c).
 */
#ifndef SHEAF_PACKAGE_H
#define SHEAF_PACKAGE_H

#include "core/core.h"

/* Each writer appends a complete document to `out` (UTF-8 XML). */
sheaf_status sheaf_package_opf(const struct sheaf_manuscript *ms,
                               const sheaf_options *opt, struct sheaf_buf *out);
sheaf_status sheaf_package_nav(const struct sheaf_manuscript *ms, struct sheaf_buf *out);
sheaf_status sheaf_package_ncx(const struct sheaf_manuscript *ms, struct sheaf_buf *out);

#endif
