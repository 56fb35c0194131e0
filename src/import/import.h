/*
 * This file declares the import stage's internals: sniffing an input's
 * format and the streaming feed readers (RSS, Atom) that turn one input
 * into articles of a sheaf_collection. The public entry is
 * sheaf_import_path() (import.c).
 */
#ifndef SHEAF_IMPORT_H
#define SHEAF_IMPORT_H

#include "core/core.h"

enum sheaf_format {
  SHEAF_FORMAT_UNKNOWN,
  SHEAF_FORMAT_RSS,   /* RSS 0.9x / 2.0 */
  SHEAF_FORMAT_ATOM,  /* Atom 1.0 */
  SHEAF_FORMAT_HTML,  /* an HTML page (not a feed, for now) */
  SHEAF_FORMAT_JSON,
  SHEAF_FORMAT_EMPTY,
  SHEAF_FORMAT_BINARY,
  SHEAF_FORMAT_XML    /* well-formed-looking XML of another vocabulary */
};

/* Sniffs the format of `data` from its first bytes. Stores in *what a short
 * description for messages ("an HTML page", "JSON", "an empty file"). */
enum sheaf_format sheaf_import_sniff(const char *data, size_t n, const char **what);

/* Reads a feed held in memory (`data`, `n`) that came from `path`, adding its
 * feed and articles to `coll`. Streams with xmlTextReader; never loads a DTD
 * or touches the network. */
sheaf_status sheaf_import_feed(struct sheaf_collection *coll, const char *path,
                               const char *data, size_t n,
                               const sheaf_options *opt, sheaf_diag *diag);

/* If `link` is a WordPress tag or category archive (".../tag/SLUG/",
 * ".../category/a/SLUG/"), returns a new tag for it (the caller frees name and
 * slug and the struct), else NULL. `feed_title` helps find the display name
 * ("digital economy Archives - Site" gives "digital economy"). */
struct sheaf_tag *sheaf_import_archive_tag(const char *link, const char *feed_title);

#endif
