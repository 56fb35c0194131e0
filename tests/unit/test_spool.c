/*
 * Unit tests of the document spool (src/core/spool.c) and of what it
 * promises the book: documents deflated on worker threads read back as
 * they went in, and a whole build gives the same bytes whatever the number
 * of threads (1, 2, 4), checked through the public API on a generated feed
 * and on the images fixture; the threaded book must pass EPUBCheck when
 * java and EPUBCheck are installed.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <zlib.h>

#include "core/core.h"
#include "sheaf/sheaf.h"
#include "slurp.h"

#define EPUBCHECK "/usr/share/java/epubcheck.jar"

/* A document of `n` bytes, some repetitive and some not, keyed by `k`. */
static char *make_doc(size_t k, size_t n)
{
  char *d = sheaf_malloc(n + 1);
  uint32_t x = (uint32_t)k * 2654435761u + 1;
  size_t i;

  assert_non_null(d);
  for (i = 0; i < n; i++) {
    x = x * 1103515245u + 12345u;
    d[i] = (i / 64) % 3 ? "<p>lorem ipsum</p>\n"[i % 19] : (char)('a' + (x >> 24) % 26);
  }
  d[n] = '\0';
  return d;
}

static size_t doc_len(size_t k)
{
  if (k == 7)
    return 0; /* an empty document */
  if (k == 11)
    return (size_t)3 << 20; /* a big one */
  return 100 + (k * 7919) % 40000;
}

/* Inflates the raw deflate stream in[0..n) and checks it gives want[0..len). */
static void check_inflate(const unsigned char *in, size_t n, const char *want, size_t len)
{
  unsigned char *out = malloc(len + 1);
  z_stream z;

  assert_non_null(out);
  memset(&z, 0, sizeof z);
  assert_int_equal(inflateInit2(&z, -15), Z_OK);
  z.next_in = (Bytef *)(uintptr_t)in;
  z.avail_in = (uInt)n;
  z.next_out = out;
  z.avail_out = (uInt)len + 1;
  assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
  assert_int_equal(z.total_out, len);
  assert_memory_equal(out, want, len);
  inflateEnd(&z);
  free(out);
}

/* Every document comes back, with its size and CRC, for any thread count,
 * and the compressed bytes do not depend on the thread count. */
static void test_roundtrip(void **state)
{
  static const unsigned threads[] = {1, 2, 3};
  /* Not a multiple of the workers' batch (8): the last ones are fewer. */
  enum { NDOCS = 43 };
  unsigned char *first[NDOCS];
  size_t first_len[NDOCS];
  size_t t, k;

  (void)state;
  memset(first, 0, sizeof first);
  for (t = 0; t < sizeof threads / sizeof threads[0]; t++) {
    struct sheaf_spool *sp = sheaf_spool_new(threads[t]);
    sheaf_diag *diag = sheaf_diag_new();
    size_t idx[NDOCS];

    assert_non_null(sp);
    for (k = 0; k < NDOCS; k++)
      assert_int_equal(sheaf_spool_add(sp, make_doc(k, doc_len(k)), doc_len(k), &idx[k]),
                       SHEAF_OK);
    assert_int_equal(sheaf_spool_finish(sp, diag), SHEAF_OK);
    assert_int_equal(sheaf_spool_finish(sp, diag), SHEAF_OK); /* idempotent */
    for (k = 0; k < NDOCS; k++) {
      struct sheaf_spool_entry e;
      char *want = make_doc(k, doc_len(k));
      unsigned char *c;

      assert_int_equal(idx[k], k);
      assert_true(sheaf_spool_entry(sp, idx[k], &e));
      assert_int_equal(e.len, doc_len(k));
      assert_int_equal(e.crc, (uint32_t)crc32(0L, (const Bytef *)want, (uInt)e.len));
      c = malloc((size_t)e.clen);
      assert_non_null(c);
      assert_true(sheaf_spool_read(sp, e.off, c, (size_t)e.clen));
      check_inflate(c, (size_t)e.clen, want, (size_t)e.len);
      if (t == 0) {
        first[k] = c;
        first_len[k] = (size_t)e.clen;
      } else {
        assert_int_equal(e.clen, first_len[k]);
        assert_memory_equal(c, first[k], first_len[k]);
        free(c);
      }
      sheaf_free(want);
    }
    assert_false(sheaf_spool_entry(sp, NDOCS, &(struct sheaf_spool_entry){0}));
    sheaf_spool_free(sp);
    sheaf_diag_free(diag);
  }
  for (k = 0; k < NDOCS; k++)
    free(first[k]);
}

/* Freeing a spool with documents still queued neither leaks nor hangs. */
static void test_free_busy(void **state)
{
  struct sheaf_spool *sp = sheaf_spool_new(3);
  size_t k, idx;

  (void)state;
  assert_non_null(sp);
  for (k = 0; k < 20; k++)
    assert_int_equal(sheaf_spool_add(sp, make_doc(k, 50000), 50000, &idx), SHEAF_OK);
  sheaf_spool_free(sp);
  sheaf_spool_free(NULL);
  assert_int_equal(sheaf_spool_finish(NULL, NULL), SHEAF_OK);
}

/* sheaf_deflate() uses the spool's parameters: the same bytes. */
static void test_deflate_matches_spool(void **state)
{
  struct sheaf_spool *sp = sheaf_spool_new(1);
  struct sheaf_spool_entry e;
  char *doc = make_doc(3, 20000);
  unsigned char *out, *c;
  size_t clen, idx;
  uint32_t crc;

  (void)state;
  assert_non_null(sp);
  assert_int_equal(sheaf_deflate(doc, 20000, &out, &clen, &crc), SHEAF_OK);
  assert_int_equal(sheaf_spool_add(sp, doc, 20000, &idx), SHEAF_OK);
  assert_int_equal(sheaf_spool_finish(sp, NULL), SHEAF_OK);
  assert_true(sheaf_spool_entry(sp, idx, &e));
  assert_int_equal(e.clen, clen);
  assert_int_equal(e.crc, crc);
  c = malloc(clen);
  assert_non_null(c);
  assert_true(sheaf_spool_read(sp, e.off, c, clen));
  assert_memory_equal(c, out, clen);
  free(c);
  sheaf_free(out);
  sheaf_spool_free(sp);
}

/* A stream stored by sheaf_spool_add_deflated() reads back at once, before
 * sheaf_spool_finish(), while it may still wait in the write buffer and
 * workers compress other documents (--split SIZE reads a kept chapter back
 * mid-volume); every entry reads back after. */
static void test_deflated_reads_at_once(void **state)
{
  static const unsigned threads[] = {1, 2, 3};
  size_t t, k;

  (void)state;
  for (t = 0; t < sizeof threads / sizeof threads[0]; t++) {
    struct sheaf_spool *sp = sheaf_spool_new(threads[t]);
    size_t idx[12], len[12];
    unsigned char *z[12];

    assert_non_null(sp);
    for (k = 0; k < 12; k++) {
      struct sheaf_spool_entry e;
      unsigned char *back;
      size_t clen;
      uint32_t crc;
      char *doc;
      len[k] = doc_len(k + 20);
      doc = make_doc(k + 20, len[k]);
      if (k % 3) { /* a few compressed by workers, in flight */
        assert_int_equal(sheaf_spool_add(sp, doc, len[k], &idx[k]), SHEAF_OK);
        z[k] = NULL;
        continue;
      }
      assert_int_equal(sheaf_deflate(doc, len[k], &z[k], &clen, &crc), SHEAF_OK);
      sheaf_free(doc);
      assert_int_equal(sheaf_spool_add_deflated(sp, z[k], clen, len[k], crc, &idx[k]),
                       SHEAF_OK);
      assert_true(sheaf_spool_entry(sp, idx[k], &e));
      assert_int_equal(e.clen, clen);
      back = malloc(clen);
      assert_non_null(back);
      assert_true(sheaf_spool_read(sp, e.off, back, clen));
      assert_memory_equal(back, z[k], clen);
      free(back);
    }
    assert_int_equal(sheaf_spool_finish(sp, NULL), SHEAF_OK);
    for (k = 0; k < 12; k++) {
      struct sheaf_spool_entry e;
      char *want = make_doc(k + 20, len[k]);
      unsigned char *c;
      assert_true(sheaf_spool_entry(sp, idx[k], &e));
      assert_true(e.off + e.clen <= sheaf_spool_size(sp));
      c = malloc((size_t)e.clen + 1);
      assert_non_null(c);
      assert_true(sheaf_spool_read(sp, e.off, c, (size_t)e.clen));
      check_inflate(c, (size_t)e.clen, want, len[k]);
      free(c);
      sheaf_free(want);
      sheaf_free(z[k]);
    }
    sheaf_spool_free(sp);
  }
}

/* ---- the buffered append-only file --------------------------------------- */

/* Record k of the appendfile tests: its size crosses the 256 KB buffer
 * now and then, and once is larger than it. */
static size_t rec_len(size_t k)
{
  if (k == 5)
    return (size_t)600 << 10;
  if (k == 9)
    return 0;
  return 1 + (k * 7919) % 30000;
}

static void rec_fill(unsigned char *p, size_t k, size_t n)
{
  size_t i;

  for (i = 0; i < n; i++)
    p[i] = (unsigned char)(k * 31 + i * 7 + (i >> 9));
}

struct reader {
  struct sheaf_appendfile *f;
  const uint64_t *off; /* offsets of records published so far */
  size_t *published;   /* atomically read count */
  size_t total;
  bool ok;
};

/* Reads records back while the main thread goes on appending. */
static void *read_along(void *arg)
{
  struct reader *r = arg;
  unsigned char *got = malloc((size_t)600 << 10), *want = malloc((size_t)600 << 10);
  size_t seen = 0;

  r->ok = got && want;
  while (r->ok && seen < r->total) {
    size_t n = __atomic_load_n(r->published, __ATOMIC_ACQUIRE), k;
    for (k = n ? n - 1 : 0; n && k < n && r->ok; k++) {
      rec_fill(want, k, rec_len(k));
      r->ok = sheaf_appendfile_read(r->f, r->off[k], got, rec_len(k)) &&
              memcmp(got, want, rec_len(k)) == 0;
    }
    seen = n;
  }
  free(got);
  free(want);
  return NULL;
}

/* Every record reads back as put, at once (from the buffer) and at the end
 * (from the file), also while another thread reads along; offsets are
 * contiguous; a read past the end fails. */
static void test_appendfile(void **state)
{
  enum { NREC = 400 };
  struct sheaf_appendfile *f = sheaf_appendfile_new();
  unsigned char *buf = malloc((size_t)600 << 10), *got = malloc((size_t)600 << 10);
  uint64_t off[NREC], end = 0;
  size_t k, published = 0;
  struct reader r;
  pthread_t tid;

  (void)state;
  assert_non_null(f);
  assert_non_null(buf);
  assert_non_null(got);
  r.f = f;
  r.off = off;
  r.published = &published;
  r.total = NREC;
  assert_int_equal(pthread_create(&tid, NULL, read_along, &r), 0);
  for (k = 0; k < NREC; k++) {
    rec_fill(buf, k, rec_len(k));
    assert_true(sheaf_appendfile_put(f, buf, rec_len(k), &off[k]));
    assert_int_equal(off[k], end);
    end += rec_len(k);
    assert_int_equal(sheaf_appendfile_size(f), end);
    __atomic_store_n(&published, k + 1, __ATOMIC_RELEASE);
    assert_true(sheaf_appendfile_read(f, off[k], got, rec_len(k)));
    assert_memory_equal(got, buf, rec_len(k));
  }
  pthread_join(tid, NULL);
  assert_true(r.ok);
  for (k = 0; k < NREC; k++) {
    rec_fill(buf, k, rec_len(k));
    assert_true(sheaf_appendfile_read(f, off[k], got, rec_len(k)));
    assert_memory_equal(got, buf, rec_len(k));
  }
  /* Across a record boundary, and past the end. */
  assert_true(sheaf_appendfile_read(f, off[3] + 1, got, (size_t)(off[5] - off[3])));
  assert_false(sheaf_appendfile_read(f, end - 1, got, 2));
  free(buf);
  free(got);
  sheaf_appendfile_free(f);
  sheaf_appendfile_free(NULL);
}

/* ---- whole builds ------------------------------------------------------ */

static char tmpdir[64];

/* The diagnostics of the last build(), one line each, in order. */
static char diags[1 << 16];

/* The chapters' documents, which the manuscript keeps as runs of spool
 * entries and labels for untitled articles, read back whole: the spine's
 * run of chapters between the title page and the colophon, named by
 * number, dated by their articles; and no chapter may be added once other
 * documents follow. */
static void check_chapter_docs(sheaf_manuscript *ms, const sheaf_book *book)
{
  size_t i, k = 0, n = sheaf_manuscript_count(ms), untitled = 0, last = 0;
  struct sheaf_article_view art;
  struct sheaf_doc_view v;
  sheaf_status st;

  sheaf_doc_view_init(&v);
  sheaf_article_view_init(&art);
  assert_int_equal(ms->nchapters, book->nchapters);
  assert_int_equal(n, ms->ndocs + book->nchapters);
  for (i = 0; i < n; i++) {
    const struct sheaf_doc *d = sheaf_manuscript_doc_titled(ms, i, &v, &st);
    char href[48], id[32];
    assert_non_null(d);
    if (d->chapter == 0)
      continue;
    k++;
    assert_int_equal(d->chapter, k);
    snprintf(id, sizeof id, "ch%04zu", k);
    snprintf(href, sizeof href, "text/%s.xhtml", id);
    assert_string_equal(d->href, href);
    assert_string_equal(d->id, id);
    assert_string_equal(d->media_type, "application/xhtml+xml");
    assert_true(d->in_spine && d->linear && d->spooled);
    assert_true(d->date == book->chapters[k - 1]->published);
    assert_non_null(d->title);
    /* The article's title, read back when it is spilled. */
    assert_int_equal(sheaf_article_view(book->coll, book->chapters[k - 1], &art),
                     SHEAF_OK);
    if (*art.a.title) {
      assert_string_equal(d->title, art.a.title);
    } else {
      /* A label, the only titles the manuscript holds. */
      assert_true(*d->title);
      untitled++;
    }
    /* Chapters take spool entries in order, pictures in between: the
     * manuscript holds a run only where the next entry is not the
     * chapter's. */
    assert_true(k == 1 || d->spool_idx > last);
    if (k > 1 && d->spool_idx != last + 1)
      assert_true(ms->nruns > 1);
    last = d->spool_idx;
    if (k == 1) {
      assert_string_equal(d->landmark, "bodymatter");
      assert_string_equal(sheaf_manuscript_doc(ms, i - 1, &v)->id, "titlepage");
    } else {
      assert_null(d->landmark);
    }
    if (k == book->nchapters)
      assert_string_equal(sheaf_manuscript_doc(ms, i + 1, &v)->id, "colophon");
  }
  sheaf_doc_view_fini(&v);
  sheaf_article_view_fini(&art);
  assert_int_equal(k, book->nchapters);
  assert_int_equal(ms->nlabels, untitled);
  assert_false(sheaf_manuscript_add_chapter(ms, "late", sheaf_strdup("<p/>"), 4));
  assert_int_equal(sheaf_manuscript_count(ms), n);
}

static void build(const char *input, unsigned threads, const char *out)
{
  static const char *const remove[] = {".gone", ".never-there"};
  sheaf_collection *coll = sheaf_collection_new();
  sheaf_diag *diag = sheaf_diag_new();
  sheaf_manuscript *ms;
  sheaf_book *book;
  sheaf_options opt;
  sheaf_status st;

  assert_non_null(coll);
  assert_non_null(diag);
  sheaf_options_init(&opt);
  opt.threads = threads;
  opt.source_date_epoch = 1700000000;
  opt.remove = remove;
  opt.nremove = 2;
  assert_int_equal(sheaf_import_path(coll, input, &opt, diag), SHEAF_OK);
  book = sheaf_select(coll, &opt, diag, &st);
  assert_non_null(book);
  ms = sheaf_layout(book, &opt, diag, &st);
  assert_non_null(ms);
  check_chapter_docs(ms, book);
  assert_int_equal(sheaf_package(ms, out, &opt, diag), SHEAF_OK);
  diags[0] = '\0';
  for (size_t i = 0; i < sheaf_diag_count(diag); i++) {
    const sheaf_diag_entry *e = sheaf_diag_get(diag, i);
    size_t k = strlen(diags);
    snprintf(diags + k, sizeof diags - k, "%s:%u: %d %s: %s\n", e->file ? e->file : "",
             e->line, (int)e->severity, e->code, e->message);
  }
  sheaf_manuscript_free(ms);
  sheaf_book_free(book);
  sheaf_collection_free(coll);
  sheaf_diag_free(diag);
}

/* Builds `input` with 1, 2 and 4 threads; the three books are identical,
 * and so are their diagnostics, in the same order (chapters are laid out
 * on several threads: layout/parallel.c). Leaves the 2-thread book at
 * dir/name-2.epub and the diagnostics in `diags`. */
static void same_bytes(const char *input, const char *name)
{
  static const unsigned threads[] = {1, 2, 4};
  static char first[sizeof diags];
  char path[3][256];
  char *data[3];
  size_t len[3], i;

  for (i = 0; i < 3; i++) {
    snprintf(path[i], sizeof path[i], "%s/%s-%u.epub", tmpdir, name, threads[i]);
    build(input, threads[i], path[i]);
    data[i] = slurp(path[i], &len[i]);
    if (i == 0)
      memcpy(first, diags, sizeof first);
    else
      assert_string_equal(diags, first);
  }
  for (i = 1; i < 3; i++) {
    assert_int_equal(len[i], len[0]);
    assert_memory_equal(data[i], data[0], len[0]);
  }
  for (i = 0; i < 3; i++)
    free(data[i]);
}

static void epubcheck(const char *path)
{
  char cmd[1024];
  struct stat st;
  int rc;

  if (stat(EPUBCHECK, &st) != 0 || system("java -version >/dev/null 2>&1") != 0)
    return;
  snprintf(cmd, sizeof cmd, "java -jar %s --failonwarnings '%s' >'%s.log' 2>&1",
           EPUBCHECK, path, path);
  rc = system(cmd);
  if (rc != 0) {
    snprintf(cmd, sizeof cmd, "cat '%s.log' >&2", path);
    if (system(cmd) != 0)
      fprintf(stderr, "no epubcheck log\n");
  }
  assert_int_equal(rc, 0);
}

/* A feed of 300 articles: enough documents to keep the workers' queue
 * full, so the order of completion varies from run to run. */
static void test_threads_same_book(void **state)
{
  char feed[128], path[256];
  FILE *f;
  size_t i, j;

  (void)state;
  snprintf(feed, sizeof feed, "%s/feed.rss", tmpdir);
  f = fopen(feed, "w");
  assert_non_null(f);
  fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" "
        "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel>"
        "<title>Threads</title><link>https://threads.example.org/</link>"
        "<description>x</description><language>en</language>\n",
        f);
  for (i = 0; i < 300; i++) {
    /* Import diagnostics while articles are finished on other threads
     * (import/pipe.c): a date warning every 10 items, a run of 70 in item
     * 150 (past the pipe's private collector's flush point), an empty item
     * every 37, and mojibake every 45 (one warning at the end). */
    if (i % 37 == 36)
      fputs("<item><link>https://threads.example.org/empty/</link></item>\n", f);
    if (i % 10 == 5)
      fprintf(f, "<item><pubDate>bad date %zu</pubDate>", i);
    else
      fputs("<item>", f);
    for (j = 0; i == 150 && j < 70; j++)
      fprintf(f, "<pubDate>run %zu</pubDate>", j);
    fprintf(f,
            "<title>Article %zu – ünïcode 文章%s</title>"
            "<link>https://threads.example.org/%zu/</link>"
            "<pubDate>Mon, %02zu Jan 2024 10:%02zu:00 +0000</pubDate>"
            "<description>%s</description>"
            "<category>tag%zu</category><content:encoded><![CDATA[",
            i, i % 45 == 44 ? " cafÃ©" : "", i, 1 + i % 28, i % 60,
            i % 3 == 0   ? "Paragraph 0 of this with a link"
            : i % 3 == 1 ? "A summary that the body does not have at all, not a word"
                         : "",
            i % 7);
    for (j = 0; j < 3 + i % 40; j++)
      fprintf(f,
              "<h2>Part %zu</h2><p>Paragraph %zu of %zu with <a href=\"/%zu/\">a "
              "link</a>, <em>emphasis</em> and text that repeats, repeats.</p>"
              "<ul><li>one</li><li>two %zu</li></ul>",
              j, j, i, (i * 31 + j) % 300, i * j);
    /* A warning per article (a picture that is not there), and an element
     * that --remove takes out of some. */
    fprintf(f, "<p><img src=\"missing-%zu.png\" alt=\"gone %zu\"></p>%s", i, i,
            i % 50 == 49 ? "<div class=\"gone\">out</div>" : "");
    fputs("]]></content:encoded></item>\n", f);
  }
  fputs("</channel></rss>\n", f);
  assert_int_equal(fclose(f), 0);
  same_bytes(feed, "gen");
  /* Each picture's warning, in chapter order; one --remove never matched. */
  assert_non_null(strstr(diags, "missing-0.png"));
  assert_true(strstr(diags, "missing-298.png") < strstr(diags, "missing-299.png"));
  assert_non_null(strstr(diags, "never-there"));
  assert_null(strstr(diags, "'.gone'"));
  /* The import's warnings in the feed's order, before the layout's. */
  assert_non_null(strstr(diags, "bad date 5\""));
  assert_true(strstr(diags, "bad date 5\"") < strstr(diags, "bad date 15\""));
  assert_true(strstr(diags, "bad date 145\"") < strstr(diags, "run 0\""));
  assert_true(strstr(diags, "run 69\"") < strstr(diags, "bad date 155\""));
  assert_true(strstr(diags, "bad date 295\"") < strstr(diags, "double-encoded"));
  assert_true(strstr(diags, "double-encoded") < strstr(diags, "missing-0.png"));
  assert_non_null(strstr(diags, "no title and no content"));
  snprintf(path, sizeof path, "%s/gen-2.epub", tmpdir);
  epubcheck(path);
}

/* The generated cover is drawn on a thread of its own while chapters are
 * laid out (layout.c); its note (a title too long for it) still comes
 * before the chapters' warnings, whether the first chapter warns or not. */
static void test_threads_cover_note(void **state)
{
  static const char *const first[] = {"<p>quiet</p>",
                                      "<p><img src=\"missing-0.png\"/></p>"};
  char feed[128];
  FILE *f;
  size_t i, k;

  (void)state;
  snprintf(feed, sizeof feed, "%s/cover.rss", tmpdir);
  for (k = 0; k < 2; k++) {
    f = fopen(feed, "w");
    assert_non_null(f);
    fputs("<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>", f);
    for (i = 0; i < 40; i++)
      fputs("A title far too long for any cover ", f);
    fputs("</title><link>https://cover.example.org/</link><description>x</description>\n",
          f);
    for (i = 0; i < 30; i++)
      fprintf(f,
              "<item><title>C%zu</title><link>https://cover.example.org/%zu</link>"
              "<pubDate>Mon, %02zu Jan 2024 10:00:00 +0000</pubDate><description>"
              "<![CDATA[%s<p>text %zu</p><img src=\"missing-%zu.png\"/>]]></description>"
              "</item>\n",
              i, i, 1 + i, i == 0 ? first[k] : "", i, 100 + i);
    fputs("</channel></rss>\n", f);
    assert_int_equal(fclose(f), 0);
    same_bytes(feed, k ? "cover-warn" : "cover-quiet");
    assert_non_null(strstr(diags, "too long for the cover"));
    assert_true(strstr(diags, "too long for the cover") <
                strstr(diags, "missing-101.png"));
  }
}

static int cancel_after(void *ud)
{
  int *left = ud;
  return --*left < 0;
}

/* A build cancelled while articles are in flight between the reader and
 * the workers (import/pipe.c) stops, keeps what was read before the
 * cancel, and neither hangs nor leaks; test_threads_same_book wrote the
 * feed. */
static void test_cancel_import(void **state)
{
  static const int when[] = {2, 5, 9};
  char feed[128];
  size_t i;

  (void)state;
  snprintf(feed, sizeof feed, "%s/feed.rss", tmpdir);
  for (i = 0; i < sizeof when / sizeof *when; i++) {
    sheaf_collection *coll = sheaf_collection_new();
    sheaf_diag *diag = sheaf_diag_new();
    sheaf_options opt;
    int left = when[i];

    sheaf_options_init(&opt);
    opt.threads = 2;
    opt.cancel = cancel_after;
    opt.cancel_userdata = &left;
    assert_int_equal(sheaf_import_path(coll, feed, &opt, diag), SHEAF_ERR_CANCELLED);
    sheaf_collection_free(coll);
    sheaf_diag_free(diag);
  }
}

/* The diagnostics of importing `feed` with `threads`, into `out`. */
static sheaf_status import_diags(const char *feed, unsigned threads, char *out, size_t n)
{
  sheaf_collection *coll = sheaf_collection_new();
  sheaf_diag *diag = sheaf_diag_new();
  sheaf_options opt;
  sheaf_status st;
  size_t i, k = 0;

  sheaf_options_init(&opt);
  opt.threads = threads;
  sheaf_collection_spool_bodies(coll); /* as a build does (build/job.c) */
  st = sheaf_import_path(coll, feed, &opt, diag);
  out[0] = '\0';
  for (i = 0; i < sheaf_diag_count(diag) && k < n; i++) {
    const sheaf_diag_entry *e = sheaf_diag_get(diag, i);
    k += (size_t)snprintf(out + k, n - k, "%u: %s: %s\n", e->line, e->code, e->message);
  }
  sheaf_collection_free(coll);
  sheaf_diag_free(diag);
  return st;
}

/* When the body spool cannot be written (here: a file size limit) in the
 * middle of the feed, the import stops there with the same diagnostics
 * whatever the number of threads: none of the warnings of the items the
 * reader had read ahead (import/pipe.c) is kept. */
static void test_write_error_same_diags(void **state)
{
  static char one[1 << 15], two[1 << 15];
  struct rlimit old, lim;
  char feed[128];

  (void)state;
  snprintf(feed, sizeof feed, "%s/feed.rss", tmpdir);
  signal(SIGXFSZ, SIG_IGN);
  assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
  lim = old;
  lim.rlim_cur = 200000;
  assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
  assert_int_equal(import_diags(feed, 1, one, sizeof one), SHEAF_ERR_WRITE);
  assert_int_equal(import_diags(feed, 2, two, sizeof two), SHEAF_ERR_WRITE);
  assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
  assert_string_equal(two, one);
  /* It failed well inside the feed, after some warnings, and the
   * error is the last word. */
  assert_non_null(strstr(one, "bad date 5\""));
  assert_null(strstr(one, "bad date 295\""));
  assert_non_null(strstr(one, "write: cannot write book"));
  assert_null(strchr(strstr(one, "write: cannot write book"), '\n')[1]);
}

/* Pictures are documents too (spooled when the layout adds them). */
static void test_threads_same_book_images(void **state)
{
  (void)state;
  same_bytes(SHEAF_SRCDIR "/tests/fixtures/images/feed.rss", "img");
}

static int setup(void **state)
{
  (void)state;
  snprintf(tmpdir, sizeof tmpdir, "%s", "/tmp/sheaf-test-spool-XXXXXX");
  return mkdtemp(tmpdir) ? 0 : -1;
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
      cmocka_unit_test(test_roundtrip),
      cmocka_unit_test(test_free_busy),
      cmocka_unit_test(test_deflate_matches_spool),
      cmocka_unit_test(test_deflated_reads_at_once),
      cmocka_unit_test(test_appendfile),
      cmocka_unit_test(test_threads_same_book),
      cmocka_unit_test(test_threads_same_book_images),
      cmocka_unit_test(test_threads_cover_note),
      cmocka_unit_test(test_cancel_import),
      cmocka_unit_test(test_write_error_same_diags),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
