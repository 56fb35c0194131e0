/*
 * This file contains `sheaf fetch`, a thin client of sheaf_fetch(): it hands
 * over the URLs, the archive folder and the options, draws a progress line
 * on a terminal (pages, images, bytes), lists URLs in a dry run, and prints
 * a one-line summary at the end.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

struct fetch_progress {
  bool tty;
  bool drawn;
};

static void human(unsigned long long n, char out[32])
{
  if (n >= 10ULL << 20)
    snprintf(out, 32, "%llu MB", n >> 20);
  else if (n >= 10ULL << 10)
    snprintf(out, 32, "%llu KB", n >> 10);
  else
    snprintf(out, 32, "%llu bytes", n);
}

static void on_progress(const sheaf_fetch_stats *s, int done, void *userdata)
{
  struct fetch_progress *p = userdata;
  char bytes[32];

  if (!p->tty)
    return;
  if (done) {
    if (p->drawn)
      fputs("\r\033[K", stderr);
    p->drawn = false;
    return;
  }
  human(s->bytes, bytes);
  fprintf(stderr, "\r\033[Ksheaf: fetch: %zu pages, %zu images, %s, %zu to go", s->pages,
          s->images, bytes, s->queued);
  p->drawn = true;
}

static void on_listed(const char *url, const char *kind, void *userdata)
{
  (void)userdata;
  printf("%s\t%s\n", kind, url);
}

int cli_run_fetch(struct cli *cli, sheaf_diag *diag)
{
  struct fetch_progress prog = {false, false};
  char *line = NULL;
  size_t len = 0;
  sheaf_fetch_stats stats;
  sheaf_status st;
  int i;

  /* The command line as typed, for the archive's warcinfo record. */
  for (i = 0; i < cli->argc; i++)
    len += strlen(cli->argv[i]) + 1;
  if (len && len < (1u << 16) && (line = malloc(len)) != NULL) {
    char *p = line;
    for (i = 0; i < cli->argc; i++) {
      size_t k = strlen(cli->argv[i]);
      if (i)
        *p++ = ' ';
      memcpy(p, cli->argv[i], k);
      p += k;
    }
    *p = '\0';
  }
  cli->fopt.command_line = line;
  prog.tty = cli->verbosity >= 0 && isatty(STDERR_FILENO);
  cli->fopt.progress = on_progress;
  cli->fopt.progress_userdata = &prog;
  cli->fopt.listed = on_listed;
  st = sheaf_fetch(cli->inputs, cli->ninputs, cli->output, &cli->fopt, &cli->opt, diag,
                   &stats);
  free(line);
  if (cli->verbosity >= 0 && st != SHEAF_ERR_USAGE) {
    char bytes[32];
    human(stats.bytes, bytes);
    fprintf(stderr,
            "sheaf: fetch: %zu article%s; %zu page%s and %zu image%s answered, %zu "
            "unchanged, %zu failed; %s received\n",
            stats.articles, stats.articles == 1 ? "" : "s", stats.pages,
            stats.pages == 1 ? "" : "s", stats.images, stats.images == 1 ? "" : "s",
            stats.unchanged, stats.failed, bytes);
  }
  if (st == SHEAF_ERR_CANCELLED)
    cli_errorf("interrupted; no archive file was written");
  else if (st == SHEAF_ERR_NOMEM)
    cli_errorf("out of memory");
  if (fflush(stdout) != 0) {
    cli_errorf("cannot write the listing to standard output");
    return EXIT_OUTPUT;
  }
  return sheaf_status_exit_code(st);
}
