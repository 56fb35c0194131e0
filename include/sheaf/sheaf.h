/*
 * sheaf: turns web archives (RSS, RDF and Atom feeds, WordPress exports,
 * Markdown and HTML files and folders of them) into EPUB 3 books. This
 * umbrella header includes the whole public API.
 *
 * A build in one call (build.h), options first:
 *
 *   sheaf_options opt;
 *   sheaf_options_init(&opt);
 *   st = sheaf_build(inputs, ninputs, "book.epub", &opt, diag);
 *
 * or stage by stage (book.h), to look at the book between steps:
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
 *
 * Threads: the library has no global mutable state and needs no global
 * set-up. Calls on different objects may run at the same time on different
 * threads: several builds (jobs, or stage chains each with its own
 * collection, book, manuscript and sheaf_diag) run in parallel. One object
 * is used by one thread at a time; the only exception is that objects a
 * call takes as `const` (a collection being selected, a book being laid
 * out, a sheaf_options) may be read by several threads at once while no
 * thread changes them. A sheaf_diag is not locked: give each concurrent
 * build its own. Callbacks (progress, cancel, diagnostics) run on the
 * thread that made the call. Two builds must not write the same output
 * path at once. sheaf_layout() starts and joins its own worker threads
 * (sheaf_options.threads); none outlives the call. The libraries sheaf uses
 * are thread-safe in this way too (libxml2 2.9+ initialises itself once).
 */
#ifndef SHEAF_H
#define SHEAF_H

#include "sheaf/sheaf_export.h"
#include "sheaf/version.h"
#include "sheaf/status.h"
#include "sheaf/diag.h"
#include "sheaf/options.h"
#include "sheaf/book.h"
#include "sheaf/build.h"
#include "sheaf/fetch.h"

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
