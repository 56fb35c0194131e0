/*
 * This file contains the build job (include/sheaf/build.h): the pipeline
 * import -> select -> layout -> package run in order for an embedder, with
 * what the sheaf command used to do around the stages (the option check
 * before any input is read, bodies spooled to disk, cancellation between
 * steps, warnings as errors) done here once. It sits above the stages and
 * calls them through the public API, except for the volumes of --split
 * (volumes.c), which the select stage cuts.
 */
#include <string.h>

#include "build/build.h"
#include "layout/layout.h"
#include "package/package.h"
#include "select/select.h"

struct sheaf_job {
  sheaf_options opt; /* the caller's options, resolved (options.c) */
  sheaf_diag *diag;  /* borrowed */
  sheaf_collection *coll;
  sheaf_book *book;
  struct sheaf_ahead *ahead;         /* chapters laid out while reading, or NULL */
  char *output;                      /* the path written, owned */
  bool ran;                          /* sheaf_job_run() was called */
  struct sheaf_written_list written; /* the book, or the volumes */
};

static bool cancelled(const struct sheaf_job *job)
{
  return job->opt.cancel && job->opt.cancel(job->opt.cancel_userdata);
}

sheaf_job *sheaf_job_new(const sheaf_options *opt, sheaf_diag *diag, sheaf_status *status)
{
  struct sheaf_job *job = sheaf_calloc(1, sizeof *job);
  struct sheaf_split split;
  sheaf_status ret = SHEAF_OK;

  if (job == NULL) {
    ret = SHEAF_ERR_NOMEM;
    goto out;
  }
  job->diag = diag;
  SHEAF_CHECK(sheaf_options_resolve(opt, &job->opt, diag));
  /* A typo in a --remove selector fails now, not after a long import. */
  SHEAF_CHECK(sheaf_layout_check_options(&job->opt, diag));
  SHEAF_CHECK(sheaf_select_split_parse(job->opt.split, &split, diag));
  job->coll = sheaf_collection_new();
  if (job->coll == NULL) {
    ret = SHEAF_ERR_NOMEM;
    goto out;
  }
  /* Bodies wait for layout on disk, not in memory. */
  sheaf_collection_spool_bodies(job->coll);
  /* A feed's chapters are laid out as it is read, on the core the reader
   * leaves idle; volumes are laid out each with links of their own. */
  if (split.kind == SHEAF_SPLIT_NONE)
    job->ahead = sheaf_ahead_new(job->coll, &job->opt);
out:
  if (ret != SHEAF_OK) {
    sheaf_job_free(job);
    job = NULL;
  }
  if (status)
    *status = ret;
  return job;
}

void sheaf_job_free(sheaf_job *job)
{
  if (job == NULL)
    return;
  sheaf_written_fini(&job->written);
  sheaf_book_free(job->book);
  /* Before the collection: it reads its articles. */
  sheaf_ahead_free(job->ahead);
  sheaf_collection_free(job->coll);
  sheaf_free(job->output);
  sheaf_free(job);
}

sheaf_status sheaf_job_add_input(sheaf_job *job, const char *path)
{
  if (job == NULL || path == NULL || job->ran)
    return SHEAF_ERR_USAGE;
  if (cancelled(job))
    return SHEAF_ERR_CANCELLED;
  return sheaf_import_path(job->coll, path, &job->opt, job->diag);
}

size_t sheaf_job_article_count(const sheaf_job *job)
{
  return job ? sheaf_collection_count(job->coll) : 0;
}

const sheaf_book *sheaf_job_get_book(const sheaf_job *job)
{
  return job ? job->book : NULL;
}

const char *sheaf_job_get_output(const sheaf_job *job)
{
  return job ? job->output : NULL;
}

size_t sheaf_job_volume_count(const sheaf_job *job)
{
  return job ? job->written.n : 0;
}

const sheaf_book *sheaf_job_get_volume(const sheaf_job *job, size_t i)
{
  return job && i < job->written.n ? job->written.v[i].book : NULL;
}

const char *sheaf_job_get_volume_output(const sheaf_job *job, size_t i)
{
  return job && i < job->written.n ? job->written.v[i].path : NULL;
}

/* sheaf_build_one(), with the chapters laid out ahead (or NULL). */
static sheaf_status build_one(const struct sheaf_book *book, const char *path, int fd,
                              const sheaf_options *opt, sheaf_diag *diag,
                              struct sheaf_layout_prep *prep, struct sheaf_ahead *ahead)
{
  sheaf_manuscript *ms;
  sheaf_status ret = SHEAF_OK;

  if (opt->cancel && opt->cancel(opt->cancel_userdata))
    return SHEAF_ERR_CANCELLED;
  ms = prep ? sheaf_layout_prepared(book, opt, diag, prep, &ret)
            : sheaf_layout_ahead(book, opt, diag, ahead, &ret);
  if (ms == NULL)
    return ret;
  if (opt->cancel && opt->cancel(opt->cancel_userdata))
    ret = SHEAF_ERR_CANCELLED;
  else if ((opt->flags & SHEAF_OPT_WERROR) &&
           sheaf_diag_count_severity(diag, SHEAF_WARNING) > 0)
    ret = SHEAF_ERR_WARNINGS;
  else if (fd >= 0)
    ret = sheaf_package_fd(ms, fd, opt, diag);
  else
    ret = sheaf_package(ms, path, opt, diag);
  sheaf_manuscript_free(ms);
  return ret;
}

sheaf_status sheaf_build_one(const struct sheaf_book *book, const char *path, int fd,
                             const sheaf_options *opt, sheaf_diag *diag,
                             struct sheaf_layout_prep *prep)
{
  return build_one(book, path, fd, opt, diag, prep, NULL);
}

/* Runs the job into the file `output` or, when `fd` >= 0, into that
 * descriptor. */
static sheaf_status run(sheaf_job *job, const char *output, int fd)
{
  struct sheaf_split sp;
  struct sheaf_idset held = {NULL, 0, 0};
  sheaf_status ret = SHEAF_OK;
  size_t i;

  if (job == NULL || job->ran)
    return SHEAF_ERR_USAGE;
  job->ran = true;
  SHEAF_CHECK(sheaf_select_split_parse(job->opt.split, &sp, job->diag));
  if (fd >= 0 &&
      (sp.kind != SHEAF_SPLIT_NONE || (job->opt.catalog && *job->opt.catalog))) {
    sheaf_diag_add(job->diag, SHEAF_ERROR, "usage", NULL, 0, 0,
                   "volumes (--split) and a catalog (--catalog) need file names; "
                   "standard output takes one book");
    ret = SHEAF_ERR_USAGE;
    goto out;
  }
  /* The import is over: selection may change the articles it reads. */
  sheaf_ahead_end(job->ahead);
  for (i = 0; i < job->opt.nafter; i++)
    SHEAF_CHECK(
        sheaf_package_read_record(job->opt.after[i], &held, &job->coll->read, job->diag));
  sheaf_idset_sort(&held);
  job->book = sheaf_select_skipping(job->coll, &job->opt, &held, job->diag, &ret);
  if (job->book == NULL)
    goto out;
  /* Standard output has no name: the book is listed as "-". */
  job->output = fd >= 0  ? NULL
                : output ? sheaf_strdup(output)
                         : sheaf_book_default_filename(job->book);
  if (job->output == NULL && fd < 0) {
    ret = SHEAF_ERR_NOMEM;
    goto out;
  }
  if (sp.kind != SHEAF_SPLIT_NONE) {
    SHEAF_CHECK(
        sheaf_build_volumes(job->book, job->output, &job->opt, job->diag, &job->written));
  } else {
    SHEAF_CHECK(
        sheaf_written_add(&job->written, job->book, false, fd >= 0 ? "-" : job->output));
    sheaf_build_size_warning(job->book, NULL, job->diag);
    SHEAF_CHECK(
        build_one(job->book, job->output, fd, &job->opt, job->diag, NULL, job->ahead));
    if (fd < 0)
      sheaf_build_size_warning(job->book, job->output, job->diag);
  }
  if (job->opt.catalog && *job->opt.catalog)
    ret = sheaf_build_catalog(&job->written, job->coll, &job->opt, job->diag);
out:
  sheaf_idset_fini(&held);
  return ret;
}

sheaf_status sheaf_job_run(sheaf_job *job, const char *output)
{
  return run(job, output, -1);
}

sheaf_status sheaf_job_run_fd(sheaf_job *job, int fd)
{
  if (fd < 0)
    return SHEAF_ERR_USAGE;
  return run(job, NULL, fd);
}

/* sheaf_build() and sheaf_build_fd(): into `output`, or `fd` when >= 0. */
static sheaf_status build(const char *const *inputs, size_t ninputs, const char *output,
                          int fd, const sheaf_options *opt, sheaf_diag *diag)
{
  sheaf_job *job;
  sheaf_status ret;
  size_t i;

  if ((inputs == NULL && ninputs) || fd < -1)
    return SHEAF_ERR_USAGE;
  job = sheaf_job_new(opt, diag, &ret);
  if (job == NULL)
    return ret;
  for (i = 0; i < ninputs; i++) {
    if (job->opt.progress)
      job->opt.progress("import", i, ninputs, job->opt.progress_userdata);
    SHEAF_CHECK(sheaf_job_add_input(job, inputs[i]));
  }
  if (job->opt.progress)
    job->opt.progress("import", ninputs, ninputs, job->opt.progress_userdata);
  ret = run(job, output, fd);
out:
  sheaf_job_free(job);
  return ret;
}

sheaf_status sheaf_build(const char *const *inputs, size_t ninputs, const char *output,
                         const sheaf_options *opt, sheaf_diag *diag)
{
  return build(inputs, ninputs, output, -1, opt, diag);
}

sheaf_status sheaf_build_fd(const char *const *inputs, size_t ninputs, int fd,
                            const sheaf_options *opt, sheaf_diag *diag)
{
  if (fd < 0)
    return SHEAF_ERR_USAGE;
  return build(inputs, ninputs, NULL, fd, opt, diag);
}
