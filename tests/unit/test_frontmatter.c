/*
 * Unit tests for the front-matter reader (frontmatter.c) and the Markdown
 * reader (markdown.c): YAML and TOML cases from a table (lists in both
 * forms, Jekyll's space-separated tags, quoted strings, dates with offsets,
 * booleans, comments, folded scalars, nested maps, CRLF, BOM, none, never
 * closed), then sheaf_import_markdown() on in-memory files for the title
 * and date fallbacks, drafts, and template code taken out of the body.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "import/import.h"

static void join(char *out, size_t cap, char **v, size_t n)
{
  size_t i;
  out[0] = '\0';
  for (i = 0; i < n; i++) {
    if (i)
      strncat(out, "|", cap - strlen(out) - 1);
    strncat(out, v[i], cap - strlen(out) - 1);
  }
}

static const char *str(const char *s)
{
  return s ? s : "(null)";
}

/* ---- the front-matter table ------------------------------------------------ */

struct fm_case {
  const char *name;
  const char *in;
  enum sheaf_fm_kind kind;
  const char *title, *date, *tags, *cats, *authors, *summary, *lang;
  bool draft;
  const char *body; /* what the body starts with */
  size_t warnings;  /* front-matter warnings expected */
};

static const struct fm_case fm_cases[] = {
    {"yaml basic", "---\ntitle: Hello\ndate: 2019-03-06\n---\nBody\n", SHEAF_FM_YAML,
     "Hello", "2019-03-06", "", "", "", NULL, NULL, false, "Body\n", 0},
    /* "  - x" under "- cooking" continues that plain scalar: YAML (and
     * Jekyll's and Hugo's readers) make it "cooking - x" */
    {"yaml block list",
     "---\ntitle: T\ntags:\n- food\n- cooking\n  - x\ncategories:\n  - a b\n---\n\nB",
     SHEAF_FM_YAML, "T", NULL, "food|cooking - x", "a b", "", NULL, NULL, false, "\nB",
     0},
    {"yaml flow list", "---\ntags: [a, \"b c\", 'd, e']\n---\n", SHEAF_FM_YAML, NULL,
     NULL, "a|b c|d, e", "", "", NULL, NULL, false, "", 0},
    {"yaml flow list over lines", "---\ntags: [a,\n  b, # comment\n  c]\ntitle: x\n---\n",
     SHEAF_FM_YAML, "x", NULL, "a|b|c", "", "", NULL, NULL, false, "", 0},
    {"jekyll space-separated",
     "---\ntags: ay bee cee\ncategories: foo bar\ncategory: Big One\n---\n",
     SHEAF_FM_YAML, NULL, NULL, "ay|bee|cee", "foo|bar|Big One", "", NULL, NULL, false,
     "", 0},
    {"quoted with colons",
     "---\ntitle: \"Jekyll: the \\\"story\\\" \\u00e9\"\nauthor: 'it''s me: Ann'\n---\n",
     SHEAF_FM_YAML, "Jekyll: the \"story\" \xc3\xa9", NULL, "", "", "it's me: Ann", NULL,
     NULL, false, "", 0},
    {"plain with colon and hash", "---\ntitle: C# and a: b # comment\n---\n",
     SHEAF_FM_YAML, "C# and a: b", NULL, "", "", "", NULL, NULL, false, "", 0},
    {"dates with offsets",
     "---\ndate: 2016-04-10 12:00:00 +0800\nlastmod: 2019-03-06T22:24:16-05:00\n---\n",
     SHEAF_FM_YAML, NULL, "2016-04-10 12:00:00 +0800", "", "", "", NULL, NULL, false, "",
     0},
    {"booleans", "---\ndraft: true\n---\nx", SHEAF_FM_YAML, NULL, NULL, "", "", "", NULL,
     NULL, true, "x", 0},
    {"published false", "---\npublished: false\n---\n", SHEAF_FM_YAML, NULL, NULL, "", "",
     "", NULL, NULL, true, "", 0},
    {"draft false", "---\ndraft: false\npublished: true\n---\n", SHEAF_FM_YAML, NULL,
     NULL, "", "", "", NULL, NULL, false, "", 0},
    {"comments", "---\n# a comment\ntitle: T # trailing\n  # indented comment\n---\n",
     SHEAF_FM_YAML, "T", NULL, "", "", "", NULL, NULL, false, "", 0},
    {"folded", "---\ndescription: >\n  one\n  two\n\n  three\ntitle: T\n---\n",
     SHEAF_FM_YAML, "T", NULL, "", "", "", "one two\nthree", NULL, false, "", 0},
    {"literal", "---\nexcerpt: |-\n  line 1\n    line 2\n---\n", SHEAF_FM_YAML, NULL,
     NULL, "", "", "", "line 1\n  line 2", NULL, false, "", 0},
    {"plain over lines", "---\ntitle: a long\n  title here\n---\n", SHEAF_FM_YAML,
     "a long title here", NULL, "", "", "", NULL, NULL, false, "", 0},
    {"nested maps skipped",
     "---\nimage:\n  path: /x.png\n  title: not this\ntitle: This\n"
     "author:\n  name: Ann\n  email: a@b\nseo: {title: no, x: [1, 2]}\n---\n",
     SHEAF_FM_YAML, "This", NULL, "", "", "Ann", NULL, NULL, false, "", 0},
    {"author flow map", "---\nauthor: {name: Bo, url: 'http://x'}\n---\n", SHEAF_FM_YAML,
     NULL, NULL, "", "", "Bo", NULL, NULL, false, "", 0},
    {"authors list", "---\nauthors:\n  - Ann\n  - name: Bo\n---\n", SHEAF_FM_YAML, NULL,
     NULL, "", "", "Ann|Bo", NULL, NULL, false, "", 0},
    {"lang", "---\nlang: zh-CN\n---\n", SHEAF_FM_YAML, NULL, NULL, "", "", "", NULL,
     "zh-CN", false, "", 0},
    {"yaml ends with dots", "---\ntitle: Dots\n...\n\n# Test\n", SHEAF_FM_YAML, "Dots",
     NULL, "", "", "", NULL, NULL, false, "\n# Test\n", 0},
    {"triple dash in value", "---\ntitle: Foo --- Bar\n---\nx", SHEAF_FM_YAML,
     "Foo --- Bar", NULL, "", "", "", NULL, NULL, false, "x", 0},
    {"empty values", "---\ncategories:\ntag:\ntitle: ~\n---\n", SHEAF_FM_YAML, NULL, NULL,
     "", "", "", NULL, NULL, false, "", 0},
    {"extra spaces after delimiter", "---  \nextra: spaces\n---\nB", SHEAF_FM_YAML, NULL,
     NULL, "", "", "", NULL, NULL, false, "B", 0},
    {"crlf", "---\r\ntitle: Win\r\ntags:\r\n- a\r\n---\r\nBody\r\n", SHEAF_FM_YAML, "Win",
     NULL, "a", "", "", NULL, NULL, false, "Body\r\n", 0},
    {"bom", "\xEF\xBB\xBF---\ntitle: Bom\n---\nB", SHEAF_FM_YAML, "Bom", NULL, "", "", "",
     NULL, NULL, false, "B", 0},
    {"bom, no front matter", "\xEF\xBB\xBF# Hi\n", SHEAF_FM_NONE, NULL, NULL, "", "", "",
     NULL, NULL, false, "# Hi\n", 0},
    {"no front matter", "Just text\n---\n", SHEAF_FM_NONE, NULL, NULL, "", "", "", NULL,
     NULL, false, "Just text\n---\n", 0},
    {"unterminated", "---\ntitle: Lost\n\nText stays.\n", SHEAF_FM_NONE, NULL, NULL, "",
     "", "", NULL, NULL, false, "---\ntitle: Lost\n", 1},
    {"malformed line", "---\ntitle: T\nthis is not yaml\ntags: [a, b\n---\nB",
     SHEAF_FM_YAML, "T", NULL, "", "", "", NULL, NULL, false, "B", 2},
    {"unclosed quote", "---\ntitle: \"open\ndate: 2020-01-01\n---\nB", SHEAF_FM_YAML,
     NULL, "2020-01-01", "", "", "", NULL, NULL, false, "B", 1},
    /* YAML as libyaml reads it */
    {"yaml quoted over lines",
     "---\ntitle: \"a title\n  over two lines\"\nsummary: 'it''s\n\n  two'\n---\nB",
     SHEAF_FM_YAML, "a title over two lines", NULL, "", "", "", "it's\ntwo", NULL, false,
     "B", 0},
    {"yaml flow and block tags",
     "---\ntags: [\"x, y\", z]\ncategories:\n  - 'one'\n  - \"two\"\n  - [nested]\n---\n",
     SHEAF_FM_YAML, NULL, NULL, "x, y|z", "one|two", "", NULL, NULL, false, "", 0},
    {"yaml anchor kept, alias not expanded",
     "---\ntitle: &t The Title\nsummary: *t\ntags: [&x a, *x, b]\n---\nB", SHEAF_FM_YAML,
     "The Title", NULL, "a|b", "", "", NULL, NULL, false, "B", 1},
    {"yaml tag and document marks", "---\ntitle: !!str 2013\ndate: 2013-01-02\n---\n",
     SHEAF_FM_YAML, "2013", "2013-01-02", "", "", "", NULL, NULL, false, "", 0},
    {"yaml bad entry, rest kept",
     "---\ntitle: T\ntags: [a, b\n  c: d: e\nauthor: Ann\n---\nBody", SHEAF_FM_YAML, "T",
     NULL, "", "", "Ann", NULL, NULL, false, "Body", 1},
    {"yaml a list, not a map", "---\n- a\n- b\n---\nBody", SHEAF_FM_YAML, NULL, NULL, "",
     "", "", NULL, NULL, false, "Body", 1},
    {"toml",
     "+++\ntitle = \"Emoji \\\"Support\\\"\"\ndate = 2019-03-06T22:24:16-05:00\n"
     "draft = true\ntags = [\n    \"emoji\",\n    'two words', # c\n]\n+++\nBody",
     SHEAF_FM_TOML, "Emoji \"Support\"", "2019-03-06T22:24:16-05:00", "emoji|two words",
     "", "", NULL, NULL, true, "Body", 0},
    {"toml tables skipped",
     "+++\ntitle = 'Lit\\eral'\n[params]\ntitle = \"no\"\nlist = [1,\n 2]\n"
     "[author]\nname = \"Ann\"\n+++\n",
     SHEAF_FM_TOML, "Lit\\eral", NULL, "", "", "Ann", NULL, NULL, false, "", 0},
    {"toml multiline and comments",
     "+++\n# comment\ndescription = \"\"\"\nfirst\nsecond\"\"\"\n"
     "categories = [\"a\", \"b c\"]  # trailing\ntags = \"one two\"\n+++\n",
     SHEAF_FM_TOML, NULL, NULL, "one two", "a|b c", "", "first\nsecond", NULL, false, "",
     0},
    {"toml malformed", "+++\ntitle = \"T\"\nnot toml\n+++\nB", SHEAF_FM_TOML, "T", NULL,
     "", "", "", NULL, NULL, false, "B", 1},
    {"toml unterminated", "+++\ntitle = \"T\"\n", SHEAF_FM_NONE, NULL, NULL, "", "", "",
     NULL, NULL, false, "+++\n", 1},
};

static void test_fm_table(void **state)
{
  size_t i, failed = 0;
  (void)state;

  for (i = 0; i < sizeof fm_cases / sizeof *fm_cases; i++) {
    const struct fm_case *c = &fm_cases[i];
    struct sheaf_frontmatter fm;
    sheaf_diag *d = sheaf_diag_new();
    size_t off = 99, n = strlen(c->in);
    unsigned line = 0;
    char buf[256];
    bool ok;

    sheaf_frontmatter_init(&fm);
    assert_int_equal(sheaf_frontmatter_parse(c->in, n, &fm, &off, &line, "t.md", d),
                     SHEAF_OK);
    ok = fm.kind == c->kind;
    ok = ok && strcmp(str(fm.title), str(c->title)) == 0;
    ok = ok && strcmp(str(fm.date), str(c->date)) == 0;
    join(buf, sizeof buf, fm.tags, fm.ntags);
    ok = ok && strcmp(buf, c->tags) == 0;
    join(buf, sizeof buf, fm.categories, fm.ncategories);
    ok = ok && strcmp(buf, c->cats) == 0;
    join(buf, sizeof buf, fm.authors, fm.nauthors);
    ok = ok && strcmp(buf, c->authors) == 0;
    ok = ok && strcmp(str(fm.summary), str(c->summary)) == 0;
    ok = ok && strcmp(str(fm.language), str(c->lang)) == 0;
    ok = ok && fm.draft == c->draft;
    ok = ok && off <= n && strncmp(c->in + off, c->body, strlen(c->body)) == 0;
    ok = ok && sheaf_diag_count_severity(d, SHEAF_WARNING) == c->warnings;
    if (!ok) {
      join(buf, sizeof buf, fm.tags, fm.ntags);
      print_error("case \"%s\": kind %d title %s date %s tags %s summary %s draft %d "
                  "body \"%.20s\" warnings %zu\n",
                  c->name, (int)fm.kind, str(fm.title), str(fm.date), buf,
                  str(fm.summary), fm.draft, c->in + off,
                  sheaf_diag_count_severity(d, SHEAF_WARNING));
      failed++;
    }
    sheaf_frontmatter_fini(&fm);
    sheaf_diag_free(d);
  }
  assert_int_equal(failed, 0);
}

static void test_fm_lines(void **state)
{
  static const char in[] = "---\ntitle: T\n\nbad line here\n---\nBody";
  struct sheaf_frontmatter fm;
  sheaf_diag *d = sheaf_diag_new();
  size_t off;
  unsigned line;
  (void)state;

  sheaf_frontmatter_init(&fm);
  assert_int_equal(
      sheaf_frontmatter_parse(in, sizeof in - 1, &fm, &off, &line, "t.md", d), SHEAF_OK);
  assert_int_equal(line, 6);
  assert_int_equal(sheaf_diag_count(d), 1);
  assert_int_equal(sheaf_diag_get(d, 0)->line, 4);
  assert_string_equal(sheaf_diag_get(d, 0)->file, "t.md");
  sheaf_frontmatter_fini(&fm);
  sheaf_diag_free(d);
}

/* Bad YAML: one warning naming the file and the line of the fault; the
 * keys around it and the body are kept. */
static void test_fm_bad_yaml(void **state)
{
  static const char in[] = "---\ntitle: Kept\ntags: [a, 'b\n---\nThe body.\n";
  struct sheaf_frontmatter fm;
  sheaf_diag *d = sheaf_diag_new();
  size_t off;
  unsigned line;
  (void)state;

  sheaf_frontmatter_init(&fm);
  assert_int_equal(
      sheaf_frontmatter_parse(in, sizeof in - 1, &fm, &off, &line, "post.md", d),
      SHEAF_OK);
  assert_string_equal(fm.title, "Kept");
  assert_int_equal(fm.ntags, 0);
  assert_string_equal(in + off, "The body.\n");
  assert_int_equal(line, 5);
  assert_int_equal(sheaf_diag_count(d), 1);
  assert_int_equal(sheaf_diag_get(d, 0)->severity, SHEAF_WARNING);
  assert_string_equal(sheaf_diag_get(d, 0)->file, "post.md");
  assert_int_equal(sheaf_diag_get(d, 0)->line, 3);
  assert_non_null(strstr(sheaf_diag_get(d, 0)->message, "tags"));
  sheaf_frontmatter_fini(&fm);
  sheaf_diag_free(d);
}

/* A billion laughs: nine levels of aliases, each nine times the one
 * before. Nothing is expanded, so it is read at once, into nothing, with
 * one warning. */
static void test_fm_laughs(void **state)
{
  char in[2048];
  struct sheaf_frontmatter fm;
  sheaf_diag *d = sheaf_diag_new();
  size_t off, len;
  unsigned line;
  int i;
  (void)state;

  len = (size_t)snprintf(in, sizeof in, "---\na: &a [\"lol\"]\n");
  for (i = 1; i < 9; i++)
    len += (size_t)snprintf(
        in + len, sizeof in - len, "%c: &%c [*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c]\n",
        'a' + i, 'a' + i, 'a' + i - 1, 'a' + i - 1, 'a' + i - 1, 'a' + i - 1, 'a' + i - 1,
        'a' + i - 1, 'a' + i - 1, 'a' + i - 1, 'a' + i - 1);
  len += (size_t)snprintf(in + len, sizeof in - len, "tags: *i\ntitle: Laughs\n---\nB");
  assert_true(len < sizeof in);
  sheaf_frontmatter_init(&fm);
  assert_int_equal(sheaf_frontmatter_parse(in, len, &fm, &off, &line, "lol.md", d),
                   SHEAF_OK);
  assert_string_equal(fm.title, "Laughs");
  assert_int_equal(fm.ntags, 0);
  assert_int_equal(sheaf_diag_count(d), 1);
  assert_non_null(strstr(sheaf_diag_get(d, 0)->message, "73 aliases"));
  assert_string_equal(in + off, "B");
  sheaf_frontmatter_fini(&fm);
  sheaf_diag_free(d);
}

/* ---- sheaf_import_markdown() ----------------------------------------------- */

struct md_case {
  const char *path, *in;
  unsigned flags;
  const char *title; /* NULL: skipped */
  const char *day;   /* date as YYYY-MM-DD */
  const char *body;  /* body starts with */
  const char *warn;  /* a warning code expected, or NULL */
};

static const struct md_case md_cases[] = {
    {"2019-03-06-hello-world.md", "Just text.\n", 0, "hello world", "2019-03-06",
     "Just text.", NULL},
    {"posts/2017-2-5-i-dont-like-zeroes.md", "---\nfoo: bar\n---\nX", 0,
     "i dont like zeroes", "2017-02-05", "X", NULL},
    {"x/notes.markdown", "\n# The Heading\n\nText.\n", 0, "The Heading", "undated",
     "\nText.", "no-date"},
    {"x/setext.md", "Setext Title\n============\nText.\n", 0, "Setext Title", "undated",
     "Text.", "no-date"},
    {"2020-01-01-a.md", "---\ntitle: Same\n---\n# Same\n\nBody", 0, "Same", "2020-01-01",
     "\nBody", NULL},
    {"2020-01-01-b.md", "---\ntitle: Other\n---\n# Heading\n\nBody", 0, "Other",
     "2020-01-01", "# Heading", NULL},
    {"2020-01-01-c.md", "---\ndate: 2016-04-10 23:30:00 -0800\ntitle: T\n---\nB", 0, "T",
     "2016-04-11", "B", NULL},
    {"2020-01-01-d.md", "---\ndate: yesterday\ntitle: T\n---\nB", 0, "T", "2020-01-01",
     "B", "date"},
    {"site/my-bundle/index.md", "---\ndate: 2021-05-05\n---\nB", 0, "my bundle",
     "2021-05-05", "B", NULL},
    {"2020-01-01-draft.md", "---\ntitle: D\ndraft: true\n---\nB", 0, NULL, NULL, NULL,
     NULL},
    {"2020-01-01-draft.md", "---\ntitle: D\ndraft: true\n---\nB",
     SHEAF_OPT_INCLUDE_DRAFTS, "D", "2020-01-01", "B", NULL},
    {"2020-01-01-empty.md", "---\ntitle: Section\n---\n\n", 0, NULL, NULL, NULL, NULL},
    {"2020-01-01-liquid.md",
     "A {{ site.x }}b {% include x.html %}c\n\n{% raw %}{{ kept }}{% endraw %}\n", 0,
     "liquid", "2020-01-01", "A b c\n\n{{ kept }}\n", "liquid"},
    {"2020-01-01-code.md",
     "`{{ code }}` and `{% raw %}{{ x }}{% endraw %}`\n\n```\n{% if %}\n```\n", 0, "code",
     "2020-01-01", "`{{ code }}` and `{{ x }}`\n\n```\n{% if %}\n```\n", NULL},
    {"2020-01-01-rawraw.md", "`{% raw %}{% raw %}{% endraw %}` shows a tag\n", 0,
     "rawraw", "2020-01-01", "`{% raw %}` shows a tag", NULL},
    {"2020-01-01-hl.md",
     "Before\n{% highlight ruby %}\nputs 1\n{% endhighlight %}\nAfter", 0, "hl",
     "2020-01-01", "Before\n```ruby\nputs 1\n```\n\nAfter", "liquid"},
    {"2020-01-01-hugo.md",
     "{{< youtube abc >}}\n{{< notice >}}Inner text{{< /notice >}}\n"
     "{{%/* ref x */%}}",
     0, "hugo", "2020-01-01", "\nInner text\n{{% ref x %}}", "shortcode"},
    {"2020-01-01-more.md", "Intro <!-- more --> rest<!--more-->.", 0, "more",
     "2020-01-01", "Intro  rest.", NULL},
    {"2020-01-01-note.md", "{% note info A Title %}\nInside\n{% endnote %}", 0, "note",
     "2020-01-01", "**A Title**\n\n\nInside\n", "liquid"},
};

static void test_md_table(void **state)
{
  size_t i;
  (void)state;

  for (i = 0; i < sizeof md_cases / sizeof *md_cases; i++) {
    const struct md_case *c = &md_cases[i];
    sheaf_collection *coll = sheaf_collection_new();
    struct sheaf_collection *ic = (struct sheaf_collection *)coll;
    sheaf_diag *d = sheaf_diag_new();
    sheaf_options opt;
    char day[32];
    bool warned = c->warn == NULL;
    size_t k;

    struct sheaf_input in;

    sheaf_options_init(&opt);
    opt.flags = c->flags;
    sheaf_input_borrow(&in, c->path, c->in, strlen(c->in));
    in.mtime = 86400 + 5;
    assert_int_equal(sheaf_import_markdown(ic, &in, &opt, d), SHEAF_OK);
    for (k = 0; k < sheaf_diag_count(d); k++)
      if (c->warn && strcmp(sheaf_diag_get(d, k)->code, c->warn) == 0)
        warned = true;
    if (c->title == NULL) {
      if (ic->narticles != 0) {
        print_error("case %zu (%s): not skipped\n", i, c->path);
        fail();
      }
    } else {
      const struct sheaf_article *a;
      if (ic->narticles != 1) {
        print_error("case %zu (%s): %zu articles\n", i, c->path, ic->narticles);
        fail();
      }
      a = ic->articles[0];
      /* Without a date the file is undated; its modification time only
       * orders it. */
      if (a->published == SHEAF_TIME_UNKNOWN)
        snprintf(day, sizeof day, "%s", a->order_time == 86400 + 5 ? "undated" : "?");
      else
        sheaf_date_format_day(a->published, day);
      if (strcmp(a->title, c->title) != 0 || strcmp(day, c->day) != 0 ||
          strncmp(a->body, c->body, strlen(c->body)) != 0 || !warned ||
          a->body_format != SHEAF_BODY_MARKDOWN || a->feed != SHEAF_NO_FEED) {
        print_error("case %zu (%s): title \"%s\" day %s body \"%s\" warned %d\n", i,
                    c->path, a->title, day, a->body, warned);
        fail();
      }
    }
    sheaf_diag_free(d);
    sheaf_collection_free(coll);
  }
}

static void test_md_metadata(void **state)
{
  static const char in[] = "---\ntitle: T\nauthor: Ann\ntags: [x, y]\ncategory: news\n"
                           "lang: fr\ndescription: Short & sweet\n---\nBody\n";
  sheaf_collection *coll = sheaf_collection_new();
  struct sheaf_collection *ic = (struct sheaf_collection *)coll;
  sheaf_diag *d = sheaf_diag_new();
  const struct sheaf_article *a;
  struct sheaf_input input;
  (void)state;

  sheaf_input_borrow(&input, "p.md", in, sizeof in - 1);
  assert_int_equal(sheaf_import_markdown(ic, &input, NULL, d), SHEAF_OK);
  assert_int_equal(ic->narticles, 1);
  a = ic->articles[0];
  assert_int_equal(a->nauthors, 1);
  assert_string_equal(a->authors[0], "Ann");
  assert_int_equal(a->ntags, 3);
  assert_string_equal(a->tags[0].name, "news");
  assert_int_equal(a->tags[0].kind, SHEAF_TAG_CATEGORY);
  assert_string_equal(a->tags[2].name, "y");
  assert_int_equal(a->tags[2].kind, SHEAF_TAG_TAG);
  assert_string_equal(a->language, "fr");
  assert_non_null(strstr(a->summary, "Short &amp; sweet"));
  assert_string_equal(a->source, "p.md");
  sheaf_diag_free(d);
  sheaf_collection_free(coll);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_fm_table),    cmocka_unit_test(test_fm_lines),
      cmocka_unit_test(test_fm_bad_yaml), cmocka_unit_test(test_fm_laughs),
      cmocka_unit_test(test_md_table),    cmocka_unit_test(test_md_metadata),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
