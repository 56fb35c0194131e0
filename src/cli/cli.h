/*
 * This file declares the sheaf command's internals: parsed command lines,
 * help texts and message printing. The CLI is a client of the public API
 * (include/sheaf) and nothing else: it links the shared library and sees
 * only the installed headers, as any other program would.
 */
#ifndef SHEAF_CLI_H
#define SHEAF_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "sheaf/sheaf.h"

/* Exit codes (DESIGN.md): one per failure class, so scripts can branch. */
enum { EXIT_OK = 0, EXIT_USAGE = 1, EXIT_INPUT = 2, EXIT_NOMATCH = 3, EXIT_OUTPUT = 4 };

enum cli_command { CMD_NONE, CMD_BUILD, CMD_LIST, CMD_HELP, CMD_VERSION, CMD_FETCH };

struct cli {
  enum cli_command cmd;
  sheaf_options opt;
  const char **inputs;
  size_t ninputs;
  const char **tags; /* point into argv */
  size_t ntags;
  const char **exclude_tags;
  size_t nexclude_tags;
  const char **post_types;
  size_t npost_types;
  const char **remove; /* --remove selectors */
  size_t nremove;
  const char **authors; /* --author names */
  size_t nauthors;
  const char **after; /* --after books */
  size_t nafter;
  const char *output;
  bool list_tags;            /* list --tags */
  int verbosity;             /* -1 quiet, 0 normal, 1 verbose */
  enum cli_command help_for; /* for `sheaf help build` / `build --help` */
  sheaf_fetch_options fopt;  /* sheaf fetch: network settings */
  int argc;                  /* the whole command line, for the archive's */
  char **argv;               /* warcinfo record */
};

/* Parses argv into `cli`. Returns EXIT_OK, or EXIT_USAGE after printing why. */
int cli_parse(struct cli *cli, int argc, char **argv);
void cli_fini(struct cli *cli);
void cli_print_help(FILE *f, enum cli_command cmd);

/* sheaf fetch (fetch.c). Returns an exit code. */
int cli_run_fetch(struct cli *cli, sheaf_diag *diag);

/* Printing: diagnostics as file:line:col: severity: message [code]. */
void cli_diag_print(const sheaf_diag_entry *e, void *userdata);
/* Writes `s` with control characters (C0, DEL, C1) and bytes that are not
 * UTF-8 shown as \xHH: file names and titles come from the input, and an
 * escape sequence in them must not reach the user's terminal. */
void cli_put_escaped(FILE *f, const char *s);
void cli_errorf(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

#endif
