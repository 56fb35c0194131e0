/*
 * This file declares the build module's internals: the books a job wrote
 * (one, or the volumes of --split) and what writes them. The public entry
 * is the job of include/sheaf/build.h (job.c).
 */
#ifndef SHEAF_BUILD_INTERNAL_H
#define SHEAF_BUILD_INTERNAL_H

#include "core/core.h"

/* One book a job wrote, or was writing. */
struct sheaf_written {
  const struct sheaf_book *book; /* borrowed from the job, or owned below */
  struct sheaf_book *owned;      /* a volume's book, freed with the list */
  char *path;                    /* where it goes, owned */
};

struct sheaf_written_list {
  struct sheaf_written *v;
  size_t n, cap;
};

void sheaf_written_fini(struct sheaf_written_list *w);
/* Appends `book` (owned when `own`, then freed also on failure) going to
 * `path` (copied). Returns SHEAF_OK or SHEAF_ERR_NOMEM. */
sheaf_status sheaf_written_add(struct sheaf_written_list *w,
                               const struct sheaf_book *book, bool own, const char *path);

/* Lays out `book` and writes it to `path` (or, when `fd` >= 0, into that
 * descriptor), with cancellation and --werror, for the single book and
 * each volume alike (job.c); a volume of --split SIZE whose chapters were
 * laid out while weighing gives them in `prep` (else NULL). Returns
 * SHEAF_OK or the status of the step that failed. */
struct sheaf_layout_prep;
sheaf_status sheaf_build_one(const struct sheaf_book *book, const char *path, int fd,
                             const sheaf_options *opt, sheaf_diag *diag,
                             struct sheaf_layout_prep *prep);

/* ---- volumes.c ------------------------------------------------------------ */

/* Writes `whole` as the volumes opt->split asks for, named after `output`
 * (see sheaf_job_run() in build.h), and lists each in `out` as it is laid
 * out. Returns SHEAF_OK or the first failure's status. */
sheaf_status sheaf_build_volumes(const struct sheaf_book *whole, const char *output,
                                 const sheaf_options *opt, sheaf_diag *diag,
                                 struct sheaf_written_list *out);

/* The file of volume `index`: `output` as a pattern when it has "{n}" or
 * "{key}", else "-KEY" before its extension ("blog.epub": "blog-01.epub",
 * "blog-2019.epub"). Returns a new string, or NULL when out of memory. */
char *sheaf_volume_path(const char *output, size_t index, const char *key);

/* Warns, naming --split, when a single book is unwieldy: with `path`
 * NULL (before the layout), when it has more than 5,000 chapters; with
 * the path it was written to, when that file is over 200 MB. */
void sheaf_build_size_warning(const struct sheaf_book *book, const char *path,
                              sheaf_diag *diag);

/* Writes the OPDS catalog of the books in `w` at opt->catalog (with their
 * covers beside them); no file of coll->read is replaced. */
sheaf_status sheaf_build_catalog(const struct sheaf_written_list *w,
                                 const struct sheaf_collection *coll,
                                 const sheaf_options *opt, sheaf_diag *diag);

#endif
