/*
 * Unit tests for src/layout/mdtable.c: GitHub-flavoured pipe tables turned
 * into HTML blocks before cmark, and the Markdown that must stay as it is
 * (no delimiter row, code fences, a cell count that does not match).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "layout/layout.h"

static const struct {
  const char *name, *in, *out; /* out NULL: no table, the input stays */
} cases[] = {
  {"a table with alignments, inline Markdown and an escaped pipe",
   "| Name | Size | Note |\n| :--- | :---: | ---: |\n| *a* | `x \\| y` | [l](http://e.org) |\n",
   "<table>\n<thead>\n<tr><th class=\"sheaf-left\">Name</th><th class=\"sheaf-center\">Size</th>"
   "<th class=\"sheaf-right\">Note</th></tr>\n</thead>\n<tbody>\n<tr><td class=\"sheaf-left\">"
   "<em>a</em></td><td class=\"sheaf-center\"><code>x | y</code></td><td class=\"sheaf-right\">"
   "<a href=\"http://e.org\">l</a></td></tr>\n</tbody>\n</table>\n\n"},
  {"no outer pipes; short and long rows; text after",
   "Intro line\na | b\n--|--\n1\n1 | 2 | 3\n\nAfter.\n",
   "Intro line\n\n<table>\n<thead>\n<tr><th>a</th><th>b</th></tr>\n</thead>\n<tbody>\n"
   "<tr><td>1</td><td></td></tr>\n<tr><td>1</td><td>2</td></tr>\n</tbody>\n</table>\n\n\nAfter.\n"},
  {"a heading ends the table",
   "|x|\n|-|\n|1|\n## Next\n", "<table>\n<thead>\n<tr><th>x</th></tr>\n</thead>\n<tbody>\n"
   "<tr><td>1</td></tr>\n</tbody>\n</table>\n\n## Next\n"},
  {"a header only",
   "|x|\n|-|\n", "<table>\n<thead>\n<tr><th>x</th></tr>\n</thead>\n</table>\n\n"},
  {"a cell that cmark would read as a block is text",
   "| # not a heading | - nor a list |\n|---|---|\n",
   "<table>\n<thead>\n<tr><th># not a heading</th><th>- nor a list</th></tr>\n</thead>\n"
   "</table>\n\n"},
  {"cell text is escaped when it is written as text",
   "| # a<b |\n|---|\n", "<table>\n<thead>\n<tr><th># a&lt;b</th></tr>\n</thead>\n</table>\n\n"},
  {"no delimiter row", "| a | b |\n| c | d |\n", NULL},
  {"a delimiter row with another cell count", "| a | b |\n|---|\n", NULL},
  {"a setext heading is no table", "Title | x\n---\n", NULL},
  {"inside a fenced code block", "```\n| a | b |\n|---|---|\n```\n", NULL},
  {"after a code block closes",
   "~~~~\n| a |\n~~~\n~~~~\n| t |\n|---|\n",
   "~~~~\n| a |\n~~~\n~~~~\n<table>\n<thead>\n<tr><th>t</th></tr>\n</thead>\n</table>\n\n"},
  {"indented four spaces: code", "    | a | b |\n    |---|---|\n", NULL},
  {"plain prose", "Just text, with a | pipe.\n", NULL},
};

static void test_tables(void **state)
{
  size_t i;

  (void)state;
  for (i = 0; i < sizeof cases / sizeof *cases; i++) {
    bool nomem = true;
    char *out = sheaf_layout_md_tables(cases[i].in, strlen(cases[i].in), &nomem);
    if (nomem)
      fail_msg("%s: out of memory", cases[i].name);
    if (cases[i].out == NULL ? out != NULL : out == NULL || strcmp(out, cases[i].out) != 0)
      fail_msg("%s:\n got: %s\nwant: %s", cases[i].name, out ? out : "(none)",
               cases[i].out ? cases[i].out : "(none)");
    sheaf_free(out);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_tables)};

  return cmocka_run_group_tests(tests, NULL, NULL);
}
