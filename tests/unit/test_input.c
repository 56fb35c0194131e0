/*
 * Unit tests for struct sheaf_input (src/import/input.c): borrowed,
 * allocated and mapped bytes, what the passes do to each (a copy before a
 * change to borrowed bytes, gzip replacing them), the line mapping, and the
 * import stage on inputs from memory named by a URL (sheaf_import_input,
 * sheaf_import_memory), checked by the articles' text and the messages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <zlib.h>

#include "import/import.h"

static const struct sheaf_diag_entry *find_diag(sheaf_diag *d, const char *code,
                                                const char *text)
{
  size_t i;

  for (i = 0; i < sheaf_diag_count(d); i++) {
    const struct sheaf_diag_entry *e = sheaf_diag_get(d, i);
    if (strcmp(e->code, code) == 0 && (text == NULL || strstr(e->message, text)))
      return e;
  }
  return NULL;
}

/* gzip of p[0..n) into out (cap bytes); returns its length. */
static size_t gzip(const char *p, size_t n, unsigned char *out, size_t cap)
{
  z_stream z;
  size_t len;

  memset(&z, 0, sizeof z);
  assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY),
                   Z_OK);
  z.next_in = (unsigned char *)(uintptr_t)p;
  z.avail_in = (uInt)n;
  z.next_out = out;
  z.avail_out = (uInt)cap;
  assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
  len = cap - z.avail_out;
  deflateEnd(&z);
  return len;
}

static void test_allocated(void **state)
{
  static const char bytes[] = {'a', 'b', 'c', 'X'};
  struct sheaf_input in;
  char *w, *p;
  size_t n;

  (void)state;
  /* Three bytes of a buffer that does not end there: the copy ends in NUL. */
  assert_int_equal(sheaf_input_copy(&in, "mem", bytes, 3), SHEAF_OK);
  assert_true(in.owner == SHEAF_INPUT_ALLOCATED);
  assert_int_equal(in.len, 3);
  assert_string_equal(in.data, "abc");
  w = sheaf_input_writable(&in);
  assert_ptr_equal(w, in.data); /* owned already: no copy */
  w[0] = 'A';
  sheaf_input_skip(&in, 1);
  assert_string_equal(in.data, "bc");
  /* Detach moves the bytes to the start of the buffer it hands over. */
  p = sheaf_input_detach(&in, &n);
  assert_string_equal(p, "bc");
  assert_int_equal(n, 2);
  assert_int_equal(in.len, 0);
  sheaf_input_fini(&in); /* empty: nothing to release */
  sheaf_free(p);
  sheaf_input_fini(NULL);
}

static void test_borrowed(void **state)
{
  /* In read-only memory: a write to it would crash the test. */
  static const char decl[] = "<?xml version=\"1.0\" encoding=\"utf-8\"?><a>x</a>";
  static const char latin[] = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<a>x</a>";
  static const char bom[] = "\xEF\xBB\xBF<a>\xC3\xA9</a>";
  struct sheaf_input in;
  sheaf_diag *d = sheaf_diag_new();

  (void)state;
  sheaf_input_borrow(&in, "b.xml", decl, sizeof decl - 1);
  assert_true(in.owner == SHEAF_INPUT_BORROWED);
  assert_int_equal(sheaf_import_decode_input(&in, NULL, d), SHEAF_OK);
  assert_ptr_equal(in.data, decl); /* UTF-8 already: used where it lies */
  sheaf_input_fini(&in);
  assert_string_equal(decl, "<?xml version=\"1.0\" encoding=\"utf-8\"?><a>x</a>");

  /* A byte-order mark is skipped by moving the start, not the bytes. */
  sheaf_input_borrow(&in, "bom.xml", bom, sizeof bom - 1);
  assert_int_equal(sheaf_import_decode_input(&in, NULL, d), SHEAF_OK);
  assert_ptr_equal(in.data, bom + 3);
  assert_true(in.owner == SHEAF_INPUT_BORROWED);
  sheaf_input_fini(&in);

  /* A declaration to rewrite: the borrowed bytes are copied first. */
  sheaf_input_borrow(&in, "l.xml", latin, sizeof latin - 1);
  assert_int_equal(sheaf_import_decode_input(&in, NULL, d), SHEAF_OK);
  assert_ptr_not_equal(in.data, latin);
  assert_true(in.owner == SHEAF_INPUT_ALLOCATED);
  assert_null(strstr(in.data, "ISO-8859-1"));
  assert_non_null(strstr(latin, "ISO-8859-1"));
  assert_non_null(strstr(in.data, "\n<a>x</a>"));
  sheaf_input_fini(&in);

  /* sheaf_input_writable() on borrowed bytes: a copy the input owns. */
  sheaf_input_borrow(&in, "w", decl, sizeof decl - 1);
  assert_ptr_not_equal(sheaf_input_writable(&in), decl);
  assert_string_equal(in.data, decl);
  sheaf_input_fini(&in);
  sheaf_diag_free(d);
}

static void test_gzip_replaces(void **state)
{
  static const char text[] =
      "<rss><channel><item><title>gz</title></item></channel></rss>";
  unsigned char gz[256];
  char held[257];
  size_t n = gzip(text, sizeof text - 1, gz, sizeof gz);
  struct sheaf_input in;
  sheaf_diag *d = sheaf_diag_new();

  (void)state;
  memcpy(held, gz, n);
  held[n] = '\0';
  sheaf_input_borrow(&in, "https://example.com/feed.gz", held, n);
  assert_int_equal(sheaf_import_gunzip(&in, (size_t)1 << 20, d), SHEAF_OK);
  assert_true(in.owner == SHEAF_INPUT_ALLOCATED);
  assert_string_equal(in.data, text);
  assert_int_equal(in.len, sizeof text - 1);
  assert_string_equal(in.name, "https://example.com/feed.gz");
  assert_memory_equal(held, gz, n); /* the borrowed bytes are untouched */
  assert_non_null(find_diag(d, "gzip", "inflated"));
  /* A second replacement releases the first one's bytes (ASan and
   * valgrind would see a leak otherwise). */
  sheaf_input_replace(&in, sheaf_strdup("x"), 1);
  assert_string_equal(in.data, "x");
  sheaf_input_fini(&in);
  /* Over the limit: an error naming the input, the input unchanged. */
  sheaf_input_borrow(&in, "https://example.com/feed.gz", held, n);
  assert_int_equal(sheaf_import_gunzip(&in, 10, d), SHEAF_ERR_LIMIT);
  assert_ptr_equal(in.data, held);
  sheaf_input_fini(&in);
  sheaf_diag_free(d);
}

static void test_mapped(void **state)
{
  const size_t size = (size_t)12 << 20;
  char path[] = "/tmp/sheaf-input-XXXXXX";
  int fd = mkstemp(path);
  char *buf = malloc(size);
  struct sheaf_input in;
  sheaf_diag *d = sheaf_diag_new();
  size_t i;

  (void)state;
  assert_true(fd >= 0 && buf != NULL);
  for (i = 0; i < size; i++)
    buf[i] = (i % 80 == 79) ? '\n' : (char)('a' + i % 26);
  assert_int_equal(write(fd, buf, size), (ssize_t)size);
  close(fd);
  assert_int_equal(sheaf_input_read(&in, path, size, false, d), SHEAF_OK);
  assert_true(in.owner == SHEAF_INPUT_MAPPED);
  assert_true(in.on_disk);
  assert_int_equal(in.len, size);
  assert_int_equal(in.data[size], '\0'); /* like a buffer read into memory */
  assert_string_equal(in.name, path);
  /* A pass that reached the end hands the pages behind it back... */
  sheaf_input_advise(&in, in.data + size);
  assert_true(in.dropped > ((size_t)1 << 20));
  /* ...and reading them again gives the same bytes. */
  assert_memory_equal(in.data, buf, size);
  assert_int_equal(sheaf_input_line(&in, 80), 2);
  assert_int_equal(sheaf_input_line(&in, size), (unsigned)(size / 80 + 1));
  /* A change in place stays private to the mapping. */
  sheaf_input_writable(&in)[0] = 'Z';
  sheaf_input_fini(&in);
  assert_int_equal(sheaf_input_read(&in, path, size, false, d), SHEAF_OK);
  assert_int_equal(in.data[0], 'a');
  sheaf_input_fini(&in);
  /* Over the limit: refused before a byte is read. */
  assert_int_equal(sheaf_input_read(&in, path, size - 1, false, d), SHEAF_ERR_LIMIT);
  assert_non_null(find_diag(d, "limit", "--max-input-size"));
  sheaf_input_fini(&in);
  unlink(path);
  free(buf);
  sheaf_diag_free(d);
}

static void test_lines(void **state)
{
  static const char text[] = "one\ntwo\n\nfour";
  struct sheaf_input in;

  (void)state;
  sheaf_input_borrow(&in, "t", text, sizeof text - 1);
  assert_int_equal(sheaf_input_line(&in, 0), 1);
  assert_int_equal(sheaf_input_line(&in, 3), 1); /* the newline ends line 1 */
  assert_int_equal(sheaf_input_line(&in, 4), 2);
  assert_int_equal(sheaf_input_line(&in, 8), 3);
  assert_int_equal(sheaf_input_line(&in, 9), 4);
  assert_int_equal(sheaf_input_line(&in, 1000), 4); /* past the end: the last */
  assert_int_equal(sheaf_line_at("", 0), 1);
  assert_int_equal(sheaf_line_at("\n\n", 2), 3);
  sheaf_input_fini(&in);
}

/* A feed as a WARC record's body would hold it: bytes in memory, named by
 * the URL they were fetched from, with a bare '&' on line 4. */
static const char feed[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<rss version=\"2.0\"><channel><title>Mem</title>\n"
    "<item><title>First &amp; best</title>\n"
    "<description>Bread &amp; salt & water</description>\n"
    "<pubDate>Tue, 03 Mar 2020 10:00:00 GMT</pubDate></item>\n"
    "<item><title>Second</title>"
    "<description>&lt;p&gt;Caf\xC3\xA9 text&lt;/p&gt;</description>"
    "</item>\n</channel></rss>\n";

static void check_feed(struct sheaf_collection *c, sheaf_diag *d, const char *url)
{
  const struct sheaf_diag_entry *e;
  char *body = NULL;

  assert_int_equal(c->narticles, 2);
  assert_string_equal(c->articles[0]->title, "First & best");
  /* Without content:encoded, the description is the summary. */
  assert_int_equal(sheaf_article_load(c, c->articles[0], NULL, &body), SHEAF_OK);
  assert_string_equal(body, "Bread & salt & water"); /* HTML, as RSS has it */
  sheaf_free(body);
  assert_string_equal(c->articles[1]->title, "Second");
  assert_int_equal(sheaf_article_load(c, c->articles[1], NULL, &body), SHEAF_OK);
  assert_string_equal(body, "<p>Caf\xC3\xA9 text</p>");
  sheaf_free(body);
  assert_string_equal(c->articles[0]->source, url);
  /* The message names the URL and the line of the record's body. */
  e = find_diag(d, "repair", "bare '&'");
  assert_non_null(e);
  assert_string_equal(e->file, url);
  assert_int_equal(e->line, 4);
}

static void test_import_input(void **state)
{
  const char *url = "https://example.com/blog/feed/";
  struct sheaf_collection *c = sheaf_collection_new();
  sheaf_diag *d = sheaf_diag_new();
  struct sheaf_input in;

  (void)state;
  sheaf_input_borrow(&in, url, feed, sizeof feed - 1);
  assert_int_equal(sheaf_import_input(c, &in, NULL, d), SHEAF_OK);
  /* The caller's input is as it was: repair worked on a copy. */
  assert_ptr_equal(in.data, feed);
  assert_int_equal(in.len, sizeof feed - 1);
  assert_true(in.owner == SHEAF_INPUT_BORROWED);
  check_feed(c, d, url);
  sheaf_input_fini(&in);
  sheaf_collection_free(c);
  sheaf_diag_free(d);
}

static void test_import_memory(void **state)
{
  const char *url = "https://example.com/feed.xml.gz";
  struct sheaf_collection *c = sheaf_collection_new();
  sheaf_diag *d = sheaf_diag_new();
  unsigned char gz[1024];
  size_t n = gzip(feed, sizeof feed - 1, gz, sizeof gz);
  static const char md[] = "---\ntitle: From memory\ntags: [a]\n---\n\nSome *text*.\n";
  static const char page[] = "<html><head><title>T</title></head><body>"
                             "<p>Unclosed <b>bold</p></body></html>";

  (void)state;
  /* Compressed, and not NUL-terminated: the public entry copies. */
  assert_int_equal(sheaf_import_memory(c, url, gz, n, NULL, d), SHEAF_OK);
  check_feed(c, d, url);
  /* Markdown by its name, with the date of last resort unknown. */
  assert_int_equal(
      sheaf_import_memory(c, "https://ex.com/p.md", md, sizeof md - 1, NULL, d),
      SHEAF_OK);
  assert_int_equal(c->narticles, 3);
  assert_string_equal(c->articles[2]->title, "From memory");
  assert_non_null(strstr(c->articles[2]->body, "Some *text*."));
  assert_string_equal(c->articles[2]->source, "https://ex.com/p.md");
  /* An HTML page. */
  assert_int_equal(
      sheaf_import_memory(c, "https://ex.com/page", page, sizeof page - 1, NULL, d),
      SHEAF_OK);
  assert_int_equal(c->narticles, 4);
  assert_string_equal(c->articles[3]->title, "T");
  assert_non_null(strstr(c->articles[3]->body, "Unclosed"));
  /* Not an article: an error naming the URL; the collection unchanged. */
  assert_int_equal(
      sheaf_import_memory(c, "https://ex.com/x.json", "{\"a\": 1}", 8, NULL, d),
      SHEAF_ERR_FORMAT);
  assert_string_equal(find_diag(d, "format", "JSON")->file, "https://ex.com/x.json");
  assert_int_equal(c->narticles, 4);
  /* Misuse. */
  assert_int_equal(sheaf_import_memory(c, NULL, "x", 1, NULL, d), SHEAF_ERR_USAGE);
  assert_int_equal(sheaf_import_memory(NULL, "n", "x", 1, NULL, d), SHEAF_ERR_USAGE);
  sheaf_collection_free(c);
  sheaf_diag_free(d);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_allocated),     cmocka_unit_test(test_borrowed),
      cmocka_unit_test(test_gzip_replaces), cmocka_unit_test(test_mapped),
      cmocka_unit_test(test_lines),         cmocka_unit_test(test_import_input),
      cmocka_unit_test(test_import_memory),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
