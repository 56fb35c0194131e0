/*
 * This file contains the sheaf command's message printing: diagnostics in
 * the compiler format editors can jump to (file:line:col: severity: text
 * [code]) and plain one-line errors. Colour is used only on a terminal and
 * never when NO_COLOR is set.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static bool use_colour(void)
{
  static int cached = -1;
  if (cached < 0) {
    const char *no = getenv("NO_COLOR");
    const char *term = getenv("TERM");
    cached =
        isatty(STDERR_FILENO) && !(no && *no) && !(term && strcmp(term, "dumb") == 0);
  }
  return cached == 1;
}

void cli_diag_print(const sheaf_diag_entry *e, void *userdata)
{
  const struct cli *cli = userdata;
  const char *colour = "";

  if (cli) {
    if (cli->verbosity < 0 && e->severity < SHEAF_ERROR)
      return;
    if (cli->verbosity < 1 && e->severity == SHEAF_NOTE)
      return;
  }
  if (use_colour())
    colour = e->severity == SHEAF_ERROR     ? "\033[1;31m"
             : e->severity == SHEAF_WARNING ? "\033[1;35m"
                                            : "\033[1;36m";
  if (e->file) {
    fprintf(stderr, "%s", e->file);
    if (e->line) {
      fprintf(stderr, ":%u", e->line);
      if (e->column)
        fprintf(stderr, ":%u", e->column);
    }
    fputs(": ", stderr);
  } else {
    fputs("sheaf: ", stderr);
  }
  fprintf(stderr, "%s%s:%s %s [%s]\n", colour, sheaf_severity_str(e->severity),
          *colour ? "\033[0m" : "", e->message, e->code);
}

void cli_errorf(const char *fmt, ...)
{
  va_list ap;

  fputs("sheaf: ", stderr);
  if (use_colour())
    fputs("\033[1;31merror:\033[0m ", stderr);
  else
    fputs("error: ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}
