/*
 * Unit tests of the layout ahead of selection (src/layout/ahead.c): the
 * chapters laid out while the feeds are read must give the book a build
 * without them gives, byte for byte and warning for warning, when links
 * to other chapters (of this feed and of one read later), pictures
 * (embedded, missing, failing, without alt text), a feed language that
 * only comes after the first items, a date the import rejects after the
 * feed and a duplicate merged by the selection all leave something open
 * while they are laid out. The speculation is made patient here, so that
 * every article past the import pipe's first ones is laid out ahead and
 * the test does not depend on timing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "slurp.h"

#include "core/core.h"
#include "layout/layout.h"
#include "sheaf/sheaf.h"

static char tmpdir[64];
static char diags[1 << 16];

static void copy_file(const char *from, const char *to)
{
  FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
  char buf[4096];
  size_t n;

  assert_non_null(in);
  assert_non_null(out);
  while ((n = fread(buf, 1, sizeof buf, in)) > 0)
    assert_int_equal(fwrite(buf, 1, n, out), n);
  fclose(in);
  assert_int_equal(fclose(out), 0);
}

/* Feed `name` of `n` items at https://NAME.example.org/p/I/; each item
 * links to another of its feed and to item I of feed `other`; the feed's
 * language (French) comes after item `lang_at`. */
static void write_feed(const char *path, const char *name, const char *other, size_t n,
                       size_t lang_at)
{
  FILE *f = fopen(path, "w");
  size_t i;

  assert_non_null(f);
  fprintf(f,
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" "
          "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel>"
          "<title>Ahead %s</title><link>https://%s.example.org/</link>"
          "<description>x</description>\n",
          name, name);
  for (i = 0; i < n; i++) {
    /* The feed's language after `lang_at` items: those before were laid
     * out in English, and the book's are in French. */
    if (i == lang_at)
      fputs("<language>fr</language>\n", f);
    fprintf(f,
            "<item><title>%s %zu</title><link>https://%s.example.org/p/%zu/</link>"
            "<guid isPermaLink=\"false\">https://%s.example.org/?p=%zu</guid>"
            "<pubDate>Mon, %02zu Jan %s 10:%02zu:00 +0000</pubDate>"
            "<content:encoded><![CDATA[<h2 id=\"sec\">Start</h2>"
            "<p>See <a href=\"https://www.%s.example.org/p/%zu/\">one</a>, "
            "<a href=\"https://%s.example.org/?p=%zu&amp;x=1\">by id</a>, "
            "<a href=\"https://%s.example.org/p/%zu\">over there</a> and "
            "<a href=\"https://elsewhere.example.com/%zu\">a site</a>.</p>",
            name, i, name, i, name, i, 1 + i % 28,
            /* A date the import rejects once the feed is read. */
            i == 105 ? "2999" : "2024", i % 60, name, (i * 7 + 3) % n, name, (i * 11) % n,
            other, i, i);
    /* A link into its own chapter, with a fragment fix_ids checks. */
    if (i % 10 == 0)
      fprintf(f, "<p><a href=\"https://%s.example.org/p/%zu/#sec\">up</a></p>", name, i);
    /* Pictures: found, missing (a warning), without alt text, failing. */
    fprintf(f, "<p><img src=\"pics/%s\" alt=\"%s\"></p>]]></content:encoded></item>\n",
            i % 13 == 12 ? "fake.png"
            : i % 4 == 1 ? "pic.jpg"
            : i % 9 == 8 ? "missing.png"
                         : "photo.png",
            i % 5 == 2 ? "" : "a picture");
    /* A duplicate (the same guid) the selection merges. */
    if (i == 60)
      fprintf(f,
              "<item><title>%s 60 again</title><guid isPermaLink=\"false\">"
              "https://%s.example.org/?p=60</guid><description>again</description>"
              "</item>\n",
              name, name);
  }
  fputs("</channel></rss>\n", f);
  assert_int_equal(fclose(f), 0);
}

static void collect(const sheaf_diag *diag)
{
  size_t i;

  diags[0] = '\0';
  for (i = 0; i < sheaf_diag_count(diag); i++) {
    const sheaf_diag_entry *e = sheaf_diag_get(diag, i);
    size_t k = strlen(diags);
    snprintf(diags + k, sizeof diags - k, "%s:%u: %d %s: %s\n", e->file ? e->file : "",
             e->line, (int)e->severity, e->code, e->message);
  }
}

/* Builds the two feeds into `out` with `threads`; with `ahead`, the
 * chapters are laid out ahead (patiently) and *laid / *used say how many
 * were and how many the book took. */
static void build(unsigned threads, bool ahead, const char *out, size_t *laid,
                  size_t *used)
{
  sheaf_collection *coll = sheaf_collection_new();
  sheaf_diag *diag = sheaf_diag_new();
  struct sheaf_ahead *ah = NULL;
  sheaf_manuscript *ms;
  sheaf_book *book;
  sheaf_options opt;
  sheaf_status st;
  char a[128], b[128];

  assert_non_null(coll);
  assert_non_null(diag);
  sheaf_options_init(&opt);
  opt.threads = threads;
  opt.source_date_epoch = 1700000000;
  sheaf_collection_spool_bodies(coll);
  if (ahead) {
    ah = sheaf_ahead_new(coll, &opt);
    assert_non_null(ah);
    sheaf_ahead_patient(ah);
  }
  snprintf(a, sizeof a, "%s/one.rss", tmpdir);
  snprintf(b, sizeof b, "%s/two.rss", tmpdir);
  assert_int_equal(sheaf_import_path(coll, a, &opt, diag), SHEAF_OK);
  assert_int_equal(sheaf_import_path(coll, b, &opt, diag), SHEAF_OK);
  sheaf_ahead_end(ah);
  book = sheaf_select(coll, &opt, diag, &st);
  assert_non_null(book);
  ms = sheaf_layout_ahead(book, &opt, diag, ah, &st);
  assert_non_null(ms);
  assert_int_equal(sheaf_package(ms, out, &opt, diag), SHEAF_OK);
  collect(diag);
  if (ah)
    sheaf_ahead_stats(ah, laid, used);
  sheaf_manuscript_free(ms);
  sheaf_book_free(book);
  sheaf_ahead_free(ah);
  sheaf_collection_free(coll);
  sheaf_diag_free(diag);
}

static void test_same_book(void **state)
{
  static char first[sizeof diags];
  char ref[128], got[128];
  char *x, *y;
  size_t nx, ny, laid = 0, used = 0;

  (void)state;
  snprintf(ref, sizeof ref, "%s/ref.epub", tmpdir);
  snprintf(got, sizeof got, "%s/ahead.epub", tmpdir);
  build(1, false, ref, NULL, NULL);
  memcpy(first, diags, sizeof first);
  build(2, true, got, &laid, &used);
  assert_string_equal(diags, first);
  x = slurp(ref, &nx);
  y = slurp(got, &ny);
  assert_int_equal(nx, ny);
  assert_memory_equal(x, y, nx);
  free(x);
  free(y);
  /* Every item from the 16th of each feed on, where the import pipe
   * starts (121 and 40 items, the duplicate included), was laid out. */
  assert_int_equal(laid, (121 - 15) + (40 - 15));
  /* The book took most, and laid out again: the duplicate merged away
   * (never asked for); the items of feed one committed before its
   * language was read (in English then; the import pipe holds at most 64
   * items in flight, so at least items 15-35); item 105, whose date the
   * import dropped after the feed; and those linking into their own
   * chapter with a fragment (40, 60-90 in feed one, 20 and 30 in two). */
  assert_true(used >= 40);
  assert_true(used <= laid - 1 - 21 - 1 - 5 - 2);
  /* What the chapters said is there, in chapter order. */
  assert_non_null(strstr(diags, "missing.png"));
  assert_non_null(strstr(diags, "merged"));
}

static int setup(void **state)
{
  char path[256], from[256];
  static const char *const pics[] = {"photo.png", "pic.jpg", "fake.png"};
  size_t i;

  (void)state;
  snprintf(tmpdir, sizeof tmpdir, "%s", "/tmp/sheaf-test-ahead-XXXXXX");
  if (!mkdtemp(tmpdir))
    return -1;
  snprintf(path, sizeof path, "%s/pics", tmpdir);
  if (mkdir(path, 0700) != 0)
    return -1;
  for (i = 0; i < sizeof pics / sizeof *pics; i++) {
    snprintf(from, sizeof from, "%s/tests/fixtures/images/pics/%s", SHEAF_SRCDIR,
             pics[i]);
    snprintf(path, sizeof path, "%s/pics/%s", tmpdir, pics[i]);
    copy_file(from, path);
  }
  snprintf(path, sizeof path, "%s/one.rss", tmpdir);
  write_feed(path, "one", "two", 120, 100);
  snprintf(path, sizeof path, "%s/two.rss", tmpdir);
  write_feed(path, "two", "one", 40, 0);
  return 0;
}

static int teardown(void **state)
{
  char cmd[128];

  (void)state;
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
  return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_same_book),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
