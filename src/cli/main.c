/*
 * This file contains main() of the sheaf command: it parses the command
 * line, runs the pipeline through the public API (import, select, layout,
 * package) and maps the outcome to an exit code scripts can use.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* Set by SIGINT/SIGTERM; the library polls it through opt.cancel, so an
 * interrupted build stops cleanly and leaves no partial book. It and
 * `importing` below are globals because a signal handler has nowhere else
 * to read or write. The command's other statics are the progress line's
 * state (main) and the cached colour choice (print.c); the library keeps
 * none that changes (see sheaf.h on threads). */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
  interrupted = sig;
}

/* The input being imported, for the SIGBUS message. Large inputs are
 * mapped into memory (import.c); if another program truncates one while
 * sheaf reads it, touching the vanished pages raises SIGBUS. No output
 * exists yet at that point (the book is written after the import), so
 * the one thing left to do is to say so and exit. */
static const char *volatile importing;

static void put_err(const char *s)
{
  size_t n = 0;

  while (s[n])
    n++;
  /* Nothing to do if stderr is gone. */
  if (write(STDERR_FILENO, s, n) < 0)
    return;
}

static void on_sigbus(int sig)
{
  const char *in = importing;

  /* Outside the import it is not a shrinking input but a fault of sheaf's
   * own: die of it (SA_RESETHAND restored the default), core and all. */
  if (!in) {
    raise(sig);
    return;
  }
  put_err("sheaf: error: ");
  put_err(in);
  put_err(": ");
  put_err("an input file shrank while sheaf was reading it (another program is "
          "writing it); no book was written. Run sheaf again once the file is "
          "complete.\n");
  _exit(EXIT_INPUT);
}

static int poll_interrupted(void *userdata)
{
  (void)userdata;
  return interrupted != 0;
}

/* Installed first thing in main(): a signal that arrives while the program
 * starts (loading shared libraries, parsing options) is then noted and
 * acted on at the first poll, not fatal. */
static void install_signals(void)
{
  struct sigaction sa;

  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  /* A second Ctrl-C kills at once, for a user who really wants out. */
  sa.sa_flags = SA_RESETHAND;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  /* Past a file-size limit (ulimit -f), write() should fail with EFBIG and
   * the build report it, rather than the process dying mid-file. */
  signal(SIGXFSZ, SIG_IGN);
  sa.sa_handler = on_sigbus;
  sa.sa_flags = SA_RESETHAND;
  sigaction(SIGBUS, &sa, NULL);
}

/* A progress line on a terminal for builds long enough to wait for: redrawn
 * in place, at most every 1% of the chapters, erased when done. Never in
 * pipes or logs, never with -q. */
struct progress {
  bool tty, drawn;
  size_t last;
};

static void on_progress(const char *stage, size_t done, size_t total, void *userdata)
{
  struct progress *p = userdata;

  if (!p->tty || total < 200)
    return;
  if (done < total && p->drawn && done - p->last < total / 100)
    return;
  p->last = done;
  if (done >= total) {
    if (p->drawn)
      fputs("\r\033[K", stderr);
    p->drawn = false;
    return;
  }
  fprintf(stderr, "\rsheaf: %s %zu/%zu (%zu%%)", stage, done, total, done * 100 / total);
  p->drawn = true;
}

static int exit_for(sheaf_status st)
{
  if (interrupted && st != SHEAF_OK) {
    cli_errorf("interrupted by signal %d; no book was written", (int)interrupted);
    return sheaf_status_exit_code(SHEAF_ERR_CANCELLED);
  }
  return sheaf_status_exit_code(st);
}

/* Imports input `i` of the command line through `job`, or into `coll`
 * when there is no job (sheaf list). */
static sheaf_status import_one(const struct cli *cli, size_t i, sheaf_job *job,
                               sheaf_collection *coll, sheaf_diag *diag)
{
  size_t before = job ? sheaf_job_article_count(job) : sheaf_collection_count(coll);
  size_t n;
  sheaf_status st;

  if (interrupted)
    return SHEAF_ERR_CANCELLED;
  importing = cli->inputs[i];
  st = job ? sheaf_job_add_input(job, cli->inputs[i])
           : sheaf_import_path(coll, cli->inputs[i], &cli->opt, diag);
  importing = NULL;
  if (st == SHEAF_OK && cli->verbosity > 0) {
    n = (job ? sheaf_job_article_count(job) : sheaf_collection_count(coll)) - before;
    fprintf(stderr, "sheaf: read %zu article%s from ", n, n == 1 ? "" : "s");
    cli_put_escaped(stderr, cli->inputs[i]);
    fputc('\n', stderr);
  }
  return st;
}

/* "sheaf: wrote NAME: "TITLE", N chapters", without a line end. The name
 * and the title come from the input: escaped like every message, so no
 * terminal escape in them reaches the terminal. */
static void print_wrote(const char *name, const sheaf_book *book)
{
  fputs("sheaf: wrote ", stderr);
  cli_put_escaped(stderr, name);
  fputs(": \"", stderr);
  cli_put_escaped(stderr, sheaf_book_get_title(book));
  fprintf(stderr, "\", %zu chapter%s", sheaf_book_count(book),
          sheaf_book_count(book) == 1 ? "" : "s");
}

static int run_build(struct cli *cli, sheaf_diag *diag)
{
  sheaf_job *job = NULL;
  sheaf_status st = SHEAF_OK;
  const char *output = cli->output;
  const sheaf_book *book;
  size_t i;
  struct stat sb;
  /* `-o -`: the book goes to standard output, for pipelines; never to a
   * terminal, which it would only garble (checked before any work). */
  bool to_stdout = output && strcmp(output, "-") == 0;

  if (to_stdout &&
      ((cli->opt.split && *cli->opt.split) || (cli->opt.catalog && *cli->opt.catalog))) {
    cli_errorf("-o - writes one book; --split and --catalog need a file name (-o FILE)");
    return EXIT_USAGE;
  }
  if (to_stdout && isatty(STDOUT_FILENO)) {
    cli_errorf("standard output is a terminal; -o - writes the book into a pipe or "
               "a file (sheaf build ... -o - > book.epub)");
    return EXIT_OUTPUT;
  }
  /* Refuse to overwrite an input with the book: a typo that would destroy
   * the archive the user is trying to keep. */
  if (output && !to_stdout && stat(output, &sb) == 0) {
    struct stat ib;
    for (i = 0; i < cli->ninputs; i++)
      if (stat(cli->inputs[i], &ib) == 0 && ib.st_dev == sb.st_dev &&
          ib.st_ino == sb.st_ino) {
        cli_errorf("the output %s is also an input; choose another -o", output);
        return EXIT_OUTPUT;
      }
  }

  /* The job checks the options first: a bad --remove selector is a usage
   * error before the import. */
  job = sheaf_job_new(&cli->opt, diag, &st);
  if (job == NULL) {
    if (st == SHEAF_ERR_NOMEM)
      cli_errorf("out of memory");
    goto done;
  }
  for (i = 0; i < cli->ninputs; i++)
    if ((st = import_one(cli, i, job, NULL, diag)) != SHEAF_OK)
      goto done; /* the import said why, out of memory too */
  st = to_stdout ? sheaf_job_run_fd(job, STDOUT_FILENO) : sheaf_job_run(job, output);
  book = sheaf_job_get_book(job);
  if (st == SHEAF_ERR_WARNINGS)
    cli_errorf("warnings were reported and --werror is set; no book written");
  /* With --split, each volume as it was written (also those before a
   * failure). */
  for (i = 0; cli->opt.split && cli->verbosity >= 0 && i < sheaf_job_volume_count(job);
       i++) {
    const sheaf_book *v = sheaf_job_get_volume(job, i);
    if (st != SHEAF_OK && i + 1 == sheaf_job_volume_count(job))
      break; /* the one that failed */
    print_wrote(sheaf_job_get_volume_output(job, i), v);
    fputc('\n', stderr);
  }
  if (st == SHEAF_OK && cli->verbosity >= 0) {
    size_t warnings = sheaf_diag_count_severity(diag, SHEAF_WARNING);
    if (cli->opt.split)
      fprintf(stderr, "sheaf: %zu volume%s, %zu chapter%s in all",
              sheaf_job_volume_count(job), sheaf_job_volume_count(job) == 1 ? "" : "s",
              sheaf_book_count(book), sheaf_book_count(book) == 1 ? "" : "s");
    else
      print_wrote(to_stdout ? "standard output" : sheaf_job_get_output(job), book);
    if (sheaf_book_merged_count(book))
      fprintf(stderr, " (%zu duplicate%s merged)", sheaf_book_merged_count(book),
              sheaf_book_merged_count(book) == 1 ? "" : "s");
    if (warnings)
      fprintf(stderr, ", %zu warning%s", warnings, warnings == 1 ? "" : "s");
    fputc('\n', stderr);
    if (cli->opt.catalog)
      fprintf(stderr, "sheaf: wrote %s: an OPDS catalog of %zu book%s\n",
              cli->opt.catalog, sheaf_job_volume_count(job),
              sheaf_job_volume_count(job) == 1 ? "" : "s");
  }
  if (st == SHEAF_ERR_NOMEM)
    cli_errorf("out of memory");
done:
  sheaf_job_free(job);
  return exit_for(st);
}

static void print_field(const char *s)
{
  /* Tabs and newlines would break the columns; titles are one line anyway. */
  for (; *s; s++)
    putchar(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
}

static int run_list(struct cli *cli, sheaf_diag *diag)
{
  sheaf_collection *coll = sheaf_collection_new();
  sheaf_book *book;
  sheaf_status st = SHEAF_OK;
  size_t i, j;

  if (coll == NULL) {
    cli_errorf("out of memory");
    return EXIT_INPUT;
  }
  /* Bodies wait on disk, as in a build: a listing of a huge archive needs
   * no more memory than its book. */
  sheaf_collection_spool_bodies(coll);
  for (i = 0; st == SHEAF_OK && i < cli->ninputs; i++)
    st = import_one(cli, i, NULL, coll, diag);
  book = st == SHEAF_OK ? sheaf_select(coll, &cli->opt, diag, &st) : NULL;
  if (book == NULL) {
    sheaf_collection_free(coll);
    return exit_for(st);
  }
  if (cli->list_tags) {
    for (i = 0; i < sheaf_book_tag_count(book); i++) {
      const char *slug;
      size_t count;
      sheaf_book_get_tag(book, i, &slug, &count);
      print_field(slug);
      printf(" %zu\n", count);
    }
  } else {
    for (i = 0; i < sheaf_book_count(book); i++) {
      const sheaf_article *a = sheaf_book_get(book, i);
      long long t = sheaf_article_get_published(a);
      char day[32] = "----------";
      /* The collection spools: the title waits in its file. */
      char *title = sheaf_article_copy_text(coll, a, SHEAF_TEXT_TITLE);
      if (title == NULL) {
        sheaf_book_free(book);
        sheaf_collection_free(coll);
        cli_errorf("out of memory, or cannot read the temporary file of articles");
        return EXIT_INPUT;
      }
      if (t != SHEAF_TIME_UNKNOWN)
        sheaf_time_format_day(t, day);
      printf("%s\t", day);
      print_field(title);
      sheaf_free(title);
      putchar('\t');
      for (j = 0; j < sheaf_article_tag_count(a); j++) {
        if (j)
          putchar(',');
        print_field(sheaf_article_get_tag_slug(a, j));
      }
      putchar('\n');
    }
  }
  sheaf_book_free(book);
  sheaf_collection_free(coll);
  if (fflush(stdout) != 0) {
    cli_errorf("cannot write the listing to standard output");
    return EXIT_OUTPUT;
  }
  return EXIT_OK;
}

int main(int argc, char **argv)
{
  struct cli cli;
  sheaf_diag *diag;
  int rc;

  install_signals();
  rc = cli_parse(&cli, argc, argv);

  if (rc != EXIT_OK) {
    cli_fini(&cli);
    return rc;
  }
  switch (cli.cmd) {
  case CMD_HELP:
    cli_print_help(stdout, cli.help_for);
    cli_fini(&cli);
    return EXIT_OK;
  case CMD_VERSION:
    printf("sheaf %s\n", sheaf_version_string());
    cli_fini(&cli);
    return EXIT_OK;
  default:
    break;
  }
  diag = sheaf_diag_new();
  if (diag == NULL) {
    cli_errorf("out of memory");
    cli_fini(&cli);
    return EXIT_INPUT;
  }
  sheaf_diag_set_callback(diag, cli_diag_print, &cli);
  cli.opt.cancel = poll_interrupted;
  cli.opt.cancel_userdata = NULL;
  {
    static struct progress prog;
    prog.tty = cli.verbosity >= 0 && isatty(STDERR_FILENO);
    cli.opt.progress = on_progress;
    cli.opt.progress_userdata = &prog;
  }
  rc = cli.cmd == CMD_BUILD   ? run_build(&cli, diag)
       : cli.cmd == CMD_FETCH ? cli_run_fetch(&cli, diag)
                              : run_list(&cli, diag);
  sheaf_diag_free(diag);
  cli_fini(&cli);
  return rc;
}
