/*
 * This file contains the build job (include/sheaf/build.h): the pipeline
 * import -> select -> layout -> package run in order for an embedder, with
 * what the sheaf command used to do around the stages (the option check
 * before any input is read, bodies spooled to disk, cancellation between
 * steps, warnings as errors) done here once. It sits above the stages and
 * calls them through the public API only.
 */
#include <string.h>

#include "core/core.h"

struct sheaf_job {
  sheaf_options opt; /* the caller's options, resolved (options.c) */
  sheaf_diag *diag;  /* borrowed */
  sheaf_collection *coll;
  sheaf_book *book;
  sheaf_manuscript *ms;
  char *output; /* the path written, owned */
  bool ran;     /* sheaf_job_run() was called */
};

static bool cancelled(const struct sheaf_job *job)
{
  return job->opt.cancel && job->opt.cancel(job->opt.cancel_userdata);
}

sheaf_job *sheaf_job_new(const sheaf_options *opt, sheaf_diag *diag, sheaf_status *status)
{
  struct sheaf_job *job = sheaf_calloc(1, sizeof *job);
  sheaf_status ret = SHEAF_OK;

  if (job == NULL) {
    ret = SHEAF_ERR_NOMEM;
    goto out;
  }
  job->diag = diag;
  SHEAF_CHECK(sheaf_options_resolve(opt, &job->opt, diag));
  /* A typo in a --remove selector fails now, not after a long import. */
  SHEAF_CHECK(sheaf_layout_check_options(&job->opt, diag));
  job->coll = sheaf_collection_new();
  if (job->coll == NULL) {
    ret = SHEAF_ERR_NOMEM;
    goto out;
  }
  /* Bodies wait for layout on disk, not in memory. */
  sheaf_collection_spool_bodies(job->coll);
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
  sheaf_manuscript_free(job->ms);
  sheaf_book_free(job->book);
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

sheaf_status sheaf_job_run(sheaf_job *job, const char *output)
{
  sheaf_status ret = SHEAF_OK;

  if (job == NULL || job->ran)
    return SHEAF_ERR_USAGE;
  job->ran = true;
  job->book = sheaf_select(job->coll, &job->opt, job->diag, &ret);
  if (job->book == NULL)
    return ret;
  job->output = output ? sheaf_strdup(output) : sheaf_book_default_filename(job->book);
  if (job->output == NULL)
    return SHEAF_ERR_NOMEM;
  if (cancelled(job))
    return SHEAF_ERR_CANCELLED;
  job->ms = sheaf_layout(job->book, &job->opt, job->diag, &ret);
  if (job->ms == NULL)
    return ret;
  if (cancelled(job))
    return SHEAF_ERR_CANCELLED;
  if ((job->opt.flags & SHEAF_OPT_WERROR) &&
      sheaf_diag_count_severity(job->diag, SHEAF_WARNING) > 0)
    return SHEAF_ERR_WARNINGS;
  return sheaf_package(job->ms, job->output, &job->opt, job->diag);
}

sheaf_status sheaf_build(const char *const *inputs, size_t ninputs, const char *output,
                         const sheaf_options *opt, sheaf_diag *diag)
{
  sheaf_job *job;
  sheaf_status ret;
  size_t i;

  if (inputs == NULL && ninputs)
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
  ret = sheaf_job_run(job, output);
out:
  sheaf_job_free(job);
  return ret;
}
