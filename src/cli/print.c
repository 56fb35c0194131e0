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

void cli_put_escaped(FILE *f, const char *s)
{
  const unsigned char *p = (const unsigned char *)s;

  for (; *p; p++) {
    /* C0 controls and DEL, and the C1 controls U+0080-U+009F (UTF-8 C2 80
     * to C2 9F), which terminals read as CSI, OSC and the like: shown as
     * \xHH, the sequence's bytes. Other bytes, valid UTF-8 or not, are no
     * command to a UTF-8 terminal and pass. */
    if (*p < 0x20 || *p == 0x7F) {
      fprintf(f, "\\x%02x", *p);
    } else if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {
      fprintf(f, "\\x%02x\\x%02x", p[0], p[1]);
      p++;
    } else {
      fputc(*p, f);
    }
  }
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
  /* File names and messages quote the input (titles, URLs): a terminal
   * escape in them must not reach the terminal. */
  if (e->file) {
    cli_put_escaped(stderr, e->file);
    if (e->line) {
      fprintf(stderr, ":%u", e->line);
      if (e->column)
        fprintf(stderr, ":%u", e->column);
    }
    fputs(": ", stderr);
  } else {
    fputs("sheaf: ", stderr);
  }
  fprintf(stderr, "%s%s:%s ", colour, sheaf_severity_str(e->severity),
          *colour ? "\033[0m" : "");
  cli_put_escaped(stderr, e->message);
  fprintf(stderr, " [%s]\n", e->code);
}

void cli_errorf(const char *fmt, ...)
{
  va_list ap;
  char msg[8192];

  fputs("sheaf: ", stderr);
  if (use_colour())
    fputs("\033[1;31merror:\033[0m ", stderr);
  else
    fputs("error: ", stderr);
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  cli_put_escaped(stderr, msg);
  fputc('\n', stderr);
}
