/*
 * sheaf: turns web archives (RSS and Atom feeds, later WordPress exports and
 * Markdown folders) into EPUB 3 books. This umbrella header includes the
 * whole public API.
 *
 * A build in five calls:
 *
 *   sheaf_collection *c = sheaf_collection_new();
 *   sheaf_import_path(c, "feed.rss", &opt, diag);
 *   sheaf_book *b = sheaf_select(c, &opt, diag, &st);
 *   sheaf_manuscript *m = sheaf_layout(b, &opt, diag, &st);
 *   sheaf_package(m, "book.epub", &opt, diag);
 *
 * Memory: objects returned by *_new(), sheaf_select() and sheaf_layout() are
 * owned by the caller and freed with their *_free(); strings returned by
 * getters are borrowed. Strings are UTF-8.
 */
#ifndef SHEAF_H
#define SHEAF_H

#include "sheaf/sheaf_export.h"
#include "sheaf/version.h"
#include "sheaf/status.h"
#include "sheaf/diag.h"
#include "sheaf/options.h"
#include "sheaf/book.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Returns the library's version, e.g. "0.1.0". Static storage. This may
 *  differ from SHEAF_VERSION_STRING when linked against another build. */
SHEAF_API const char *sheaf_version_string(void);

/** Frees memory the library returned with "the caller frees it with
 *  sheaf_free()"; NULL is allowed. */
SHEAF_API void sheaf_free(void *ptr);

#ifdef __cplusplus
}
#endif
#endif
