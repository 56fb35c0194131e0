/*
 * Diagnostics: the warnings and errors a run collects, each with the input
 * file, line and column it concerns. The library never prints; a caller reads
 * entries back, or receives each as it is added through a callback.
 */
#ifndef SHEAF_DIAG_H
#define SHEAF_DIAG_H

#include <stddef.h>
#include "sheaf/sheaf_export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sheaf_diag sheaf_diag;

typedef enum sheaf_severity {
  SHEAF_NOTE,    /* information: what sheaf did, e.g. a repair it made */
  SHEAF_WARNING, /* something was lost or changed; the build goes on */
  SHEAF_ERROR    /* the stage failed; always paired with a non-OK status */
} sheaf_severity;

/** One diagnostic, as handed to callbacks and returned by sheaf_diag_get().
 *  Every pointer is borrowed and lives as long as the sheaf_diag. */
typedef struct sheaf_diag_entry {
  sheaf_severity severity;
  const char *code;    /* short kebab-case kind, e.g. "remote-image"; never NULL */
  const char *file;    /* input path, or NULL when no file is concerned */
  unsigned line;       /* 1-based; 0 when unknown */
  unsigned column;     /* 1-based; 0 when unknown */
  const char *message; /* one line, no trailing newline */
} sheaf_diag_entry;

/** Called for each entry as it is added. */
typedef void (*sheaf_diag_fn)(const sheaf_diag_entry *entry, void *userdata);

/** Returns a new, empty diagnostics collector, or NULL when out of memory.
 *  The caller frees it with sheaf_diag_free(). */
SHEAF_API sheaf_diag *sheaf_diag_new(void);

/** Frees `diag` and every entry; NULL is allowed. */
SHEAF_API void sheaf_diag_free(sheaf_diag *diag);

/** Sets a function called for every entry as it is added (NULL to remove).
 *  Entries are still stored, up to the cap. */
SHEAF_API void sheaf_diag_set_callback(sheaf_diag *diag, sheaf_diag_fn fn,
                                       void *userdata);

/** Returns the number of stored entries. At most 1000 are stored; after that
 *  one note says how many more were dropped (callbacks still see all). */
SHEAF_API size_t sheaf_diag_count(const sheaf_diag *diag);

/** Returns how many entries of `severity` were reported, stored or not. */
SHEAF_API size_t sheaf_diag_count_severity(const sheaf_diag *diag,
                                           sheaf_severity severity);

/** Returns entry `i` (0-based), or NULL when out of range.
 *  Borrowed; valid until `diag` is freed. */
SHEAF_API const sheaf_diag_entry *sheaf_diag_get(const sheaf_diag *diag, size_t i);

/** Returns "note", "warning" or "error". Static storage. */
SHEAF_API const char *sheaf_severity_str(sheaf_severity severity);

#ifdef __cplusplus
}
#endif
#endif
