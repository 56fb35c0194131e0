/*
 * Several builds at once, on threads, through the public API of the shared
 * library: sheaf.h promises that builds on different objects may run in
 * parallel. Each of four threads builds a book (two feeds and two Markdown
 * folders, each twice) with its own options, diagnostics and output; the
 * two books of each input must be byte-identical, as a build alone would
 * make them. CI runs this under ThreadSanitizer (.ci/run), which fails on
 * any data race inside the library.
 *
 * Usage: test_api_threads SRCDIR OUTDIR
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sheaf/sheaf.h>

#define NTHREADS 4

/* All threads start their builds together, so their imports overlap. */
static pthread_barrier_t start;

struct run {
  const char *input;
  char output[4096];
  sheaf_status st;
  size_t errors, progress_calls;
};

static void on_progress(const char *stage, size_t done, size_t total, void *userdata)
{
  struct run *r = userdata;

  (void)stage, (void)done, (void)total;
  r->progress_calls++;
}

static void *build(void *arg)
{
  struct run *r = arg;
  const char *inputs[1];
  sheaf_options opt;
  sheaf_diag *diag = sheaf_diag_new();

  sheaf_options_init(&opt);
  opt.source_date_epoch = 1700000000;
  opt.threads = 2; /* each build starts its own deflate worker too */
  opt.progress = on_progress;
  opt.progress_userdata = r;
  inputs[0] = r->input;
  pthread_barrier_wait(&start);
  r->st = sheaf_build(inputs, 1, r->output, &opt, diag);
  r->errors = sheaf_diag_count_severity(diag, SHEAF_ERROR);
  sheaf_diag_free(diag);
  return NULL;
}

static char *slurp(const char *path, size_t *n)
{
  FILE *f = fopen(path, "rb");
  char *p = NULL;
  long len;

  if (f && fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) > 0 &&
      fseek(f, 0, SEEK_SET) == 0 && (p = malloc((size_t)len)) != NULL &&
      fread(p, 1, (size_t)len, f) != (size_t)len) {
    free(p);
    p = NULL;
  }
  if (p)
    *n = (size_t)len;
  if (f)
    fclose(f);
  return p;
}

int main(int argc, char **argv)
{
  char inputs[2][4096];
  struct run runs[NTHREADS];
  pthread_t tids[NTHREADS];
  int i, failures = 0;

  if (argc != 3) {
    fprintf(stderr, "usage: %s SRCDIR OUTDIR\n", argv[0]);
    return 2;
  }
  snprintf(inputs[0], sizeof inputs[0], "%s/examples/field-notes.rss", argv[1]);
  snprintf(inputs[1], sizeof inputs[1], "%s/tests/fixtures/notes", argv[1]);
  memset(runs, 0, sizeof runs);
  pthread_barrier_init(&start, NULL, NTHREADS);
  for (i = 0; i < NTHREADS; i++) {
    runs[i].input = inputs[i % 2];
    snprintf(runs[i].output, sizeof runs[i].output, "%s/threads-%d.epub", argv[2], i);
    if (pthread_create(&tids[i], NULL, build, &runs[i]) != 0) {
      fprintf(stderr, "cannot start thread %d\n", i);
      return 1;
    }
  }
  for (i = 0; i < NTHREADS; i++)
    pthread_join(tids[i], NULL);
  pthread_barrier_destroy(&start);
  for (i = 0; i < NTHREADS; i++) {
    if (runs[i].st != SHEAF_OK || runs[i].errors) {
      fprintf(stderr, "FAIL: build %d of %s: %s\n", i, runs[i].input,
              sheaf_status_str(runs[i].st));
      failures++;
    }
    if (runs[i].progress_calls < 2) {
      fprintf(stderr, "FAIL: build %d reported no progress\n", i);
      failures++;
    }
  }
  for (i = 0; i < 2 && !failures; i++) {
    size_t na = 0, nb = 0;
    char *a = slurp(runs[i].output, &na), *b = slurp(runs[i + 2].output, &nb);
    if (!a || !b || na != nb || memcmp(a, b, na) != 0) {
      fprintf(stderr, "FAIL: the books of %s made at once differ\n", runs[i].input);
      failures++;
    }
    free(a);
    free(b);
  }
  if (!failures)
    printf("ok: %d builds at once, the books of each input identical\n", NTHREADS);
  return failures ? 1 : 0;
}
