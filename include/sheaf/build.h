/*
 * A whole build in one object: the inputs are imported into a collection
 * whose bodies wait on disk (memory stays bounded by the largest article),
 * then selected, laid out and packaged, with the options checked before
 * any input is read, cancellation polled between steps and warnings
 * optionally treated as errors (SHEAF_OPT_WERROR). The sheaf command is a
 * client of exactly this; the four stage functions of book.h stay
 * available for callers who want to look at the book between steps.
 *
 *   sheaf_status st;
 *   sheaf_job *job = sheaf_job_new(&opt, diag, &st);
 *   st = sheaf_job_add_input(job, "feed.rss");
 *   if (st == SHEAF_OK)
 *     st = sheaf_job_run(job, "book.epub");
 *   sheaf_job_free(job);
 *
 * or, when nothing needs to happen between inputs:
 *
 *   st = sheaf_build(inputs, ninputs, "book.epub", &opt, diag);
 */
#ifndef SHEAF_BUILD_H
#define SHEAF_BUILD_H

#include <stddef.h>
#include "sheaf/sheaf_export.h"
#include "sheaf/status.h"
#include "sheaf/diag.h"
#include "sheaf/options.h"
#include "sheaf/book.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sheaf_job sheaf_job;

/** Returns a new build job, or NULL with `*status` set (`status` may be
 *  NULL). The job keeps a copy of `opt` (NULL: every default); the arrays
 *  and strings it points to are borrowed and must outlive the job. Fails
 *  with SHEAF_ERR_USAGE when an option is invalid before any input is read
 *  (options not set up by sheaf_options_init(), a bad `remove` selector,
 *  see sheaf_layout_check_options()), with an error in `diag`. Every
 *  diagnostic of the job goes to `diag`, which is borrowed and must
 *  outlive the job; NULL drops them. The caller frees the job with
 *  sheaf_job_free(). */
SHEAF_API sheaf_job *sheaf_job_new(const sheaf_options *opt, sheaf_diag *diag,
                                   sheaf_status *status);

/** Frees `job`, its collection, book and manuscript; NULL is allowed. */
SHEAF_API void sheaf_job_free(sheaf_job *job);

/** Imports the feed, export, page or folder at `path` into the job, as
 *  sheaf_import_path() does, with article bodies kept in a temporary file
 *  until layout. Returns SHEAF_OK or the import's status; on failure the
 *  job keeps what it held before, and may be freed or given more inputs.
 *  Returns SHEAF_ERR_CANCELLED when the cancel callback asks so, and
 *  SHEAF_ERR_USAGE once sheaf_job_run() has been called. */
SHEAF_API sheaf_status sheaf_job_add_input(sheaf_job *job, const char *path);

/** Selects the articles of every input, lays them out and writes the book
 *  to `output` (as sheaf_package() does: complete or not at all). When
 *  `output` is NULL, the book is named after its title in the current
 *  folder (see sheaf_book_default_filename()). With SHEAF_OPT_WERROR in
 *  the options' flags, a build that reported any warning stops before
 *  writing and returns SHEAF_ERR_WARNINGS. Returns SHEAF_OK, or the status
 *  of the step that failed: SHEAF_ERR_NOMATCH, SHEAF_ERR_USAGE,
 *  SHEAF_ERR_WRITE, SHEAF_ERR_CANCELLED, SHEAF_ERR_NOMEM... Call it once
 *  per job; a second call returns SHEAF_ERR_USAGE. */
SHEAF_API sheaf_status sheaf_job_run(sheaf_job *job, const char *output);

/** With `split` set in the options, sheaf_job_run() writes a series of
 *  volumes instead of one book, each complete and written as one book is
 *  (see sheaf_package()), named after `output`: "blog.epub" gives
 *  "blog-01.epub", "blog-02.epub"... for a split by count or size, and
 *  "blog-2019.epub" or "blog-2019-02.epub" for a split by year or month
 *  ("blog-undated.epub" for articles without a date); an `output` that
 *  holds "{n}" (the volume's number, two digits at least) or "{key}"
 *  (the year, month or number) is a pattern instead:
 *  "volumes/{key}.epub". Volumes are written in order; with
 *  SHEAF_OPT_WERROR the first volume whose layout warned is not written,
 *  nor any after it. Returns as sheaf_job_run() does; SHEAF_ERR_USAGE
 *  for a bad split or an output that is not a file name. */

/** Returns the number of books sheaf_job_run() wrote or was writing: the
 *  volumes laid out so far with a split, else 1 once the book was
 *  selected, else 0. */
SHEAF_API size_t sheaf_job_volume_count(const sheaf_job *job);

/** Returns book `i` (0-based) of those sheaf_job_volume_count() counts, or
 *  NULL when out of range. Borrowed; valid until the job is freed. */
SHEAF_API const sheaf_book *sheaf_job_get_volume(const sheaf_job *job, size_t i);

/** Returns the path book `i` was (or was to be) written to, or NULL when
 *  out of range. Borrowed; valid until the job is freed. */
SHEAF_API const char *sheaf_job_get_volume_output(const sheaf_job *job, size_t i);

/** As sheaf_job_run(), but writes the book to the open descriptor `fd`
 *  (standard output, a pipe, a socket), as sheaf_package_fd() does: built
 *  whole in a temporary file first, then copied, so a failure before the
 *  copy writes nothing; a terminal, and a regular file this build read,
 *  are refused with SHEAF_ERR_WRITE. `fd` stays open; a negative `fd` is
 *  SHEAF_ERR_USAGE, and so are volumes (`split`) and a `catalog`, which
 *  need file names. sheaf_job_get_output() then returns NULL and
 *  sheaf_job_get_volume_output() "-". */
SHEAF_API sheaf_status sheaf_job_run_fd(sheaf_job *job, int fd);

/** Returns the number of articles imported so far. */
SHEAF_API size_t sheaf_job_article_count(const sheaf_job *job);

/** Returns the book once sheaf_job_run() has selected it (also when a
 *  later step failed), else NULL. Borrowed; valid until the job is
 *  freed. */
SHEAF_API const sheaf_book *sheaf_job_get_book(const sheaf_job *job);

/** Returns the path the book was (or was to be) written to once
 *  sheaf_job_run() has chosen it, else NULL (also after
 *  sheaf_job_run_fd()). Borrowed; valid until the job is freed. */
SHEAF_API const char *sheaf_job_get_output(const sheaf_job *job);

/** The whole pipeline in one call: a job with `opt` and `diag`, every one
 *  of the `ninputs` paths of `inputs` imported in order, then
 *  sheaf_job_run(job, output). The progress callback also sees "import"
 *  with one call per input. Returns SHEAF_OK or the first failure's
 *  status, with the reasons in `diag` (may be NULL). */
SHEAF_API sheaf_status sheaf_build(const char *const *inputs, size_t ninputs,
                                   const char *output, const sheaf_options *opt,
                                   sheaf_diag *diag);

/** sheaf_build() into the open descriptor `fd`, as sheaf_job_run_fd(). */
SHEAF_API sheaf_status sheaf_build_fd(const char *const *inputs, size_t ninputs, int fd,
                                      const sheaf_options *opt, sheaf_diag *diag);

#ifdef __cplusplus
}
#endif
#endif
