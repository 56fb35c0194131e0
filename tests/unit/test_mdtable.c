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
     "| Name | Size | Note |\n| :--- | :---: | ---: |\n| *a* | `x \\| y` | "
     "[l](http://e.org) |\n",
     "<table>\n<thead>\n<tr><th class=\"sheaf-left\">Name</th><th "
     "class=\"sheaf-center\">Size</th>"
     "<th class=\"sheaf-right\">Note</th></tr>\n</thead>\n<tbody>\n<tr><td "
     "class=\"sheaf-left\">"
     "<em>a</em></td><td class=\"sheaf-center\"><code>x | y</code></td><td "
     "class=\"sheaf-right\">"
     "<a href=\"http://e.org\">l</a></td></tr>\n</tbody>\n</table>\n\n"},
    {"no outer pipes; short and long rows; text after",
     "Intro line\na | b\n--|--\n1\n1 | 2 | 3\n\nAfter.\n",
     "Intro line\n\n<table>\n<thead>\n<tr><th>a</th><th>b</th></tr>\n</thead>\n<tbody>\n"
     "<tr><td>1</td><td></td></tr>\n<tr><td>1</td><td>2</td></tr>\n</tbody>\n</"
     "table>\n\n\nAfter.\n"},
    {"a heading ends the table", "|x|\n|-|\n|1|\n## Next\n",
     "<table>\n<thead>\n<tr><th>x</th></tr>\n</thead>\n<tbody>\n"
     "<tr><td>1</td></tr>\n</tbody>\n</table>\n\n## Next\n"},
    {"a header only", "|x|\n|-|\n",
     "<table>\n<thead>\n<tr><th>x</th></tr>\n</thead>\n</table>\n\n"},
    {"a cell that cmark would read as a block is text",
     "| # not a heading | - nor a list |\n|---|---|\n",
     "<table>\n<thead>\n<tr><th># not a heading</th><th>- nor a "
     "list</th></tr>\n</thead>\n"
     "</table>\n\n"},
    {"cell text is escaped when it is written as text", "| # a<b |\n|---|\n",
     "<table>\n<thead>\n<tr><th># a&lt;b</th></tr>\n</thead>\n</table>\n\n"},
    {"no delimiter row", "| a | b |\n| c | d |\n", NULL},
    {"a delimiter row with another cell count", "| a | b |\n|---|\n", NULL},
    {"a setext heading is no table", "Title | x\n---\n", NULL},
    {"inside a fenced code block", "```\n| a | b |\n|---|---|\n```\n", NULL},
    {"after a code block closes", "~~~~\n| a |\n~~~\n~~~~\n| t |\n|---|\n",
     "~~~~\n| a "
     "|\n~~~\n~~~~\n<table>\n<thead>\n<tr><th>t</th></tr>\n</thead>\n</table>\n\n"},
    {"indented four spaces: code", "    | a | b |\n    |---|---|\n", NULL},
    {"plain prose", "Just text, with a | pipe.\n", NULL},
    {"a header in a list item stays text", "- a | b\n  --|--\n  1 | 2\n", NULL},
    {"a header in a block quote stays text", "> q | r\n> --|--\n", NULL},
    {"a list item or a thematic break ends the table", "|x|\n|-|\n|1|\n- item\n",
     "<table>\n<thead>\n<tr><th>x</th></tr>\n</thead>\n<tbody>\n"
     "<tr><td>1</td></tr>\n</tbody>\n</table>\n\n- item\n"},
    {"a fence opened after a list marker hides its pipes",
     "- ```\n  | a | b |\n  |---|---|\n  ```\n\n|x|\n|-|\n",
     "- ```\n  | a | b |\n  |---|---|\n  ```\n\n<table>\n<thead>\n<tr><th>x</th></tr>\n"
     "</thead>\n</table>\n\n"},
    {"an HTML block or an empty list item ends the table",
     "|x|\n|-|\n<div>d</div>\n\n|y|\n|-|\n-\n",
     "<table>\n<thead>\n<tr><th>x</th></tr>\n</thead>\n</table>\n\n<div>d</div>\n\n"
     "<table>\n<thead>\n<tr><th>y</th></tr>\n</thead>\n</table>\n\n-\n"},
    {"a backtick line with a backtick after it is no fence",
     "```js `x`\n\nk | l\n--|--\n",
     "```js "
     "`x`\n\n<table>\n<thead>\n<tr><th>k</th><th>l</th></tr>\n</thead>\n</table>\n\n"},
};

/* A sparse table, tightly written: every row keeps every cell (the limit
 * counts filler, not cells the author wrote). */
static void test_sparse(void **state)
{
  struct sheaf_buf md;
  bool nomem;
  char *out;
  size_t i, rows = 0;
  const char *p;

  (void)state;
  sheaf_buf_init(&md, 0);
  sheaf_buf_puts(&md, "|a|b|c|d|\n|:-:|:-:|:-:|:-:|\n");
  for (i = 0; i < 6000; i++)
    sheaf_buf_puts(&md, "|x||||\n");
  out = sheaf_layout_md_tables(md.ptr, md.len, &nomem);
  assert_non_null(out);
  for (p = out; (p = strstr(p, "<tr><td class=\"sheaf-center\">x</td>")) != NULL; p++)
    rows++;
  assert_int_equal(rows, 6000);
  assert_null(strstr(out, "|x|"));
  sheaf_free(out);
  sheaf_buf_fini(&md);
}

/* Wider than 64 columns: text, not a table cut at 64. */
static void test_wide(void **state)
{
  struct sheaf_buf md;
  bool nomem;
  size_t i;

  (void)state;
  sheaf_buf_init(&md, 0);
  for (i = 0; i < 70; i++)
    sheaf_buf_printf(&md, "c%zu|", i);
  sheaf_buf_puts(&md, "\n");
  for (i = 0; i < 70; i++)
    sheaf_buf_puts(&md, "--|");
  sheaf_buf_puts(&md, "\n");
  assert_null(sheaf_layout_md_tables(md.ptr, md.len, &nomem));
  assert_false(nomem);
  sheaf_buf_fini(&md);
}

/* 64 columns, then 100,000 lines of "x": filled-out rows must not make a
 * 200 KB input hundreds of megabytes (the rest stays text). */
static void test_amplification(void **state)
{
  struct sheaf_buf md;
  bool nomem;
  char *out;
  size_t i;

  (void)state;
  sheaf_buf_init(&md, 0);
  for (i = 0; i < 64; i++)
    sheaf_buf_puts(&md, "|h");
  sheaf_buf_puts(&md, "|\n");
  for (i = 0; i < 64; i++)
    sheaf_buf_puts(&md, "|-");
  sheaf_buf_puts(&md, "|\n");
  for (i = 0; i < 100000; i++)
    sheaf_buf_puts(&md, "x\n");
  out = sheaf_layout_md_tables(md.ptr, md.len, &nomem);
  assert_non_null(out);
  assert_true(strlen(out) <=
              33 * md.len + 65536 + 4096); /* the limit, then the rest as text */
  /* Every "x" is still there, in a cell or as text. */
  {
    size_t xs = 0;
    const char *p;
    for (p = out; *p; p++)
      xs += *p == 'x';
    assert_true(xs >= 100000);
  }
  sheaf_free(out);
  sheaf_buf_fini(&md);
}

static void test_tables(void **state)
{
  size_t i;

  (void)state;
  for (i = 0; i < sizeof cases / sizeof *cases; i++) {
    bool nomem = true;
    char *out = sheaf_layout_md_tables(cases[i].in, strlen(cases[i].in), &nomem);
    if (nomem)
      fail_msg("%s: out of memory", cases[i].name);
    if (cases[i].out == NULL ? out != NULL
                             : out == NULL || strcmp(out, cases[i].out) != 0)
      fail_msg("%s:\n got: %s\nwant: %s", cases[i].name, out ? out : "(none)",
               cases[i].out ? cases[i].out : "(none)");
    sheaf_free(out);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_tables), cmocka_unit_test(test_wide),
      cmocka_unit_test(test_sparse), cmocka_unit_test(test_amplification)};

  return cmocka_run_group_tests(tests, NULL, NULL);
}
