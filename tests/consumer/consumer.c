/*
 * A tiny program that uses sheaf as an installed package, the way an
 * embedder would: the installed headers and library only. It builds a book
 * from the feed it is given and says how many chapters it has.
 *
 * Usage: consumer FEED OUTPUT.epub
 */
#include <stdio.h>

#include <sheaf/sheaf.h>

int main(int argc, char **argv)
{
  sheaf_options opt;
  sheaf_diag *diag;
  sheaf_job *job;
  sheaf_status st;

  if (argc != 3)
    return 2;
  sheaf_options_init(&opt);
  diag = sheaf_diag_new();
  job = sheaf_job_new(&opt, diag, &st);
  if (job)
    st = sheaf_job_add_input(job, argv[1]);
  if (st == SHEAF_OK)
    st = sheaf_job_run(job, argv[2]);
  if (st == SHEAF_OK)
    printf("sheaf %s (built against %s): %zu chapters\n", sheaf_version_string(),
           SHEAF_VERSION_STRING, sheaf_book_count(sheaf_job_get_book(job)));
  else
    fprintf(stderr, "consumer: %s\n", sheaf_status_str(st));
  sheaf_job_free(job);
  sheaf_diag_free(diag);
  return st == SHEAF_OK ? 0 : 1;
}
