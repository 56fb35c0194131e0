/*
 * Unit tests for src/core: buffers, XML escaping, slugs, SHA-1 and UUID v5,
 * string helpers, diagnostics and the status table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/core.h"

static void test_buf_appends(void **state)
{
  struct sheaf_buf b;
  char *p;
  size_t n;
  int i;

  (void)state;
  sheaf_buf_init(&b, 0);
  assert_string_equal(b.ptr, "");
  for (i = 0; i < 1000; i++)
    assert_true(sheaf_buf_printf(&b, "%d,", i));
  assert_int_equal(b.ptr[b.len], '\0');
  assert_memory_equal(b.ptr, "0,1,2,", 6);
  p = sheaf_buf_detach(&b, &n);
  assert_non_null(p);
  assert_int_equal(strlen(p), n);
  assert_string_equal(b.ptr, "");
  sheaf_free(p);
  sheaf_buf_fini(&b);
}

static void test_buf_max_is_sticky(void **state)
{
  struct sheaf_buf b;

  (void)state;
  sheaf_buf_init(&b, 8);
  assert_true(sheaf_buf_puts(&b, "12345678"));
  assert_false(sheaf_buf_putc(&b, '9'));
  assert_true(b.failed);
  assert_false(sheaf_buf_puts(&b, ""));
  assert_null(sheaf_buf_detach(&b, NULL));
  sheaf_buf_fini(&b);
}

static const struct {
  const char *in;
  bool attr;
  const char *out;
} xml_cases[] = {
    {"a < b & c > d", false, "a &lt; b &amp; c &gt; d"},
    {"say \"hi\"", true, "say &quot;hi&quot;"},
    {"say \"hi\"", false, "say \"hi\""},
    {"ctl\x01\x08here", false, "ctlhere"},
    {"tab\tnl\n", false, "tab\tnl\n"},
    {"bad \xff byte", false, "bad \xEF\xBF\xBD byte"},
    {"caf\xC3\xA9 \xE4\xB8\xAD", false, "caf\xC3\xA9 \xE4\xB8\xAD"},
    {"line\nbreak", true, "line break"},
    {"no\xEF\xBF\xBEn\xEF\xBF\xBFon\xEF\xBF\xBD", false, "nonon\xEF\xBF\xBD"},
    {"sur\xED\xA0\x80", false, "sur\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
    {"cut \xE4\xB8", true, "cut \xEF\xBF\xBD\xEF\xBF\xBD"},
    {"\xF0\x9F\x93\x9A<\x7f", true, "\xF0\x9F\x93\x9A&lt;\x7f"},
    {"cr\r&\"", true, "cr &amp;&quot;"},
    /* Longer than eight bytes: whole words pass at once, others not. */
    {"plain words of text, eight at a time: <then> a tag\x01"
     " & caf\xC3\xA9s",
     false,
     "plain words of text, eight at a time: &lt;then&gt; a tag &amp; caf\xC3\xA9s"},
    {"0123456\xE4\xB8\xAD"
     "89abcdef\"quoted\"\n01234567\xEF\xBF\xBE",
     true,
     "0123456\xE4\xB8\xAD"
     "89abcdef&quot;quoted&quot; 01234567"},
};

static void test_buf_put_xml(void **state)
{
  size_t i;

  (void)state;
  for (i = 0; i < sizeof xml_cases / sizeof *xml_cases; i++) {
    struct sheaf_buf b;
    sheaf_buf_init(&b, 0);
    assert_true(sheaf_buf_put_xml(&b, xml_cases[i].in, strlen(xml_cases[i].in),
                                  xml_cases[i].attr));
    assert_string_equal(b.ptr, xml_cases[i].out);
    sheaf_buf_fini(&b);
  }
  {
    /* Characters left unescaped: markup stays, what XML forbids goes. */
    static const char in[] = "<a href=\"x\">&amp;\x01\t\xEF\xBF\xBF\xff</a>";
    struct sheaf_buf b;
    sheaf_buf_init(&b, 0);
    assert_true(sheaf_buf_put_xml_chars(&b, in, sizeof in - 1));
    assert_string_equal(b.ptr, "<a href=\"x\">&amp;\t\xEF\xBF\xBD</a>");
    sheaf_buf_fini(&b);
  }
}

static const struct {
  const char *in, *out;
} slug_cases[] = {
    {"Digital Economy", "digital-economy"},
    {"digital-economy", "digital-economy"},
    {"  Digital   Economy  ", "digital-economy"},
    {"DIGITAL_ECONOMY", "digital-economy"},
    {"C++ & Rust!", "c-rust"},
    {"Editor's Picks", "editors-picks"},
    {"%c3%a9conomie", "\xC3\xA9"
                      "conomie"},
    {"\xC3\x89"
     "conomie",
     "\xC3\xA9"
     "conomie"},
    {"\xE4\xB8\xAD\xE6\x96\x87", "\xE4\xB8\xAD\xE6\x96\x87"},
    {"2023", "2023"},
    {"---", ""},
    {"", ""},
    {"a%zzb", "a-zzb"},
    {"trailing%", "trailing"},
    /* beyond ASCII: Unicode case folding and NFC (utf8proc) */
    {"\xD0\xA2\xD0\xB5\xD0\xBC\xD0\xB0", "\xD1\x82\xD0\xB5\xD0\xBC\xD0\xB0"}, /* Тема */
    {"\xD0\xA2\xD0\x95\xD0\x9C\xD0\x90 2024", "\xD1\x82\xD0\xB5\xD0\xBC\xD0\xB0-2024"},
    {"Stra\xC3\x9F"
     "e",
     "strasse"},
    {"STRA\xE1\xBA\x9E"
     "E",
     "strasse"}, /* capital sharp s */
    {"STRASSE", "strasse"},
    {"e\xCC\x81t\xC3\xA9", "\xC3\xA9t\xC3\xA9"}, /* decomposed e + U+0301 */
    {"\xCE\xA3\xCE\x8A\xCE\xA3\xCE\xA5\xCE\xA6\xCE\x9F\xCE\xA3",
     "\xCF\x83\xCE\xAF\xCF\x83\xCF\x85\xCF\x86\xCE\xBF\xCF\x83"}, /* ΣΊΣΥΦΟΣ */
    {"\xCE\xA3\xCE\xAF\xCF\x83\xCF\x85\xCF\x86\xCE\xBF\xCF\x82",
     "\xCF\x83\xCE\xAF\xCF\x83\xCF\x85\xCF\x86\xCE\xBF\xCF\x83"}, /* Σίσυφος */
    {"%ff%fe", "\xFF\xFE"}, /* not UTF-8: kept as it is */
};

static void test_slugify(void **state)
{
  size_t i;

  (void)state;
  for (i = 0; i < sizeof slug_cases / sizeof *slug_cases; i++) {
    char *s = sheaf_slugify(slug_cases[i].in, strlen(slug_cases[i].in));
    assert_non_null(s);
    assert_string_equal(s, slug_cases[i].out);
    sheaf_free(s);
  }
}

static void test_sha1_vectors(void **state)
{
  /* FIPS 180 examples. */
  static const struct {
    const char *in;
    const char *hex;
  } v[] = {
      {"abc", "a9993e364706816aba3e25717850c26c9cd0d89d"},
      {"", "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
      {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
       "84983e441c3bd26ebaae4aa1f95129e5e54670f1"},
  };
  size_t i, k;

  (void)state;
  for (i = 0; i < sizeof v / sizeof *v; i++) {
    struct sheaf_sha1 s;
    unsigned char h[20];
    char hex[41];
    sheaf_sha1_init(&s);
    sheaf_sha1_update(&s, v[i].in, strlen(v[i].in));
    sheaf_sha1_final(&s, h);
    for (k = 0; k < 20; k++)
      snprintf(hex + 2 * k, 3, "%02x", h[k]);
    assert_string_equal(hex, v[i].hex);
  }
}

static void test_uuid5(void **state)
{
  char u[37];

  (void)state;
  /* Python: uuid.uuid5(uuid.NAMESPACE_URL, "https://example.org/") */
  sheaf_uuid5_url("https://example.org/", 20, u);
  assert_string_equal(u, "527dda32-a0de-5105-a042-cb475b5f7d11");
  assert_int_equal(u[14], '5');
}

static void test_collapse_ws(void **state)
{
  char *s;

  (void)state;
  {
    const char *in = "  a \n\t b\xC2\xA0 c  ";
    s = sheaf_str_collapse_ws(in, strlen(in));
  }
  assert_string_equal(s, "a b c");
  sheaf_free(s);
}

static void test_utf8_valid(void **state)
{
  (void)state;
  assert_true(sheaf_utf8_valid("caf\xC3\xA9", 5));
  assert_false(sheaf_utf8_valid("caf\xE9", 4));
  assert_false(sheaf_utf8_valid("\xC0\xAF", 2));     /* overlong */
  assert_false(sheaf_utf8_valid("\xED\xA0\x80", 3)); /* surrogate */
  assert_false(sheaf_utf8_valid("\xE4\xB8", 2));     /* truncated */
}

static int seen;
static void count_cb(const sheaf_diag_entry *e, void *ud)
{
  (void)e;
  (void)ud;
  seen++;
}

static void test_diag_cap(void **state)
{
  sheaf_diag *d = sheaf_diag_new();
  const sheaf_diag_entry *e;
  int i;

  (void)state;
  seen = 0;
  sheaf_diag_set_callback(d, count_cb, NULL);
  for (i = 0; i < 1500; i++)
    sheaf_diag_add(d, SHEAF_WARNING, "test", "feed.xml", (unsigned)i + 1, 3,
                   "message %d\nwith newline", i);
  assert_int_equal(seen, 1500);
  assert_int_equal(sheaf_diag_count(d), 1000);
  assert_int_equal(sheaf_diag_count_severity(d, SHEAF_WARNING), 1500);
  e = sheaf_diag_get(d, 0);
  assert_string_equal(e->file, "feed.xml");
  assert_string_equal(e->message, "message 0 with newline");
  assert_ptr_equal(e->file, sheaf_diag_get(d, 999)->file); /* interned */
  assert_null(sheaf_diag_get(d, 1000));
  sheaf_diag_free(d);
}

static void test_lang(void **state)
{
  static const struct {
    const char *in, *out; /* out NULL: not a language tag */
  } cases[] = {
      {"en", "en"},
      {"en-GB", "en-GB"},
      {"en_US", "en-US"},
      {" zh-Hant-TW ", "zh-Hant-TW"},
      {"x-klingon", "x-klingon"},
      {"es-419", "es-419"},
      {"English", "English"},
      {"", NULL},
      {"en-", NULL},
      {"en--GB", NULL},
      {"1en", NULL},
      {"en GB", NULL},
      {"toolongsubtag", NULL},
      {"fr,en", NULL},
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof cases / sizeof *cases; i++) {
    char *v = sheaf_lang_normalize(cases[i].in);
    if (cases[i].out)
      assert_string_equal(v, cases[i].out);
    else
      assert_null(v);
    sheaf_free(v);
  }
}

static void test_status_table(void **state)
{
  (void)state;
  assert_int_equal(SHEAF_OK, 0);
  assert_int_equal(sheaf_status_exit_code(SHEAF_OK), 0);
  assert_int_equal(sheaf_status_exit_code(SHEAF_ERR_USAGE), 1);
  assert_int_equal(sheaf_status_exit_code(SHEAF_ERR_PARSE), 2);
  assert_int_equal(sheaf_status_exit_code(SHEAF_ERR_NOMATCH), 3);
  assert_int_equal(sheaf_status_exit_code(SHEAF_ERR_WRITE), 4);
  assert_string_equal(sheaf_status_name(SHEAF_ERR_IO), "io");
  assert_string_equal(sheaf_status_str((sheaf_status)999), "unknown status");
}

static void test_article_tags_dedupe(void **state)
{
  struct sheaf_article *a = sheaf_article_new();

  (void)state;
  assert_true(sheaf_article_add_tag(a, "Digital Economy", NULL, SHEAF_TAG_TAG));
  assert_true(sheaf_article_add_tag(a, "digital-economy", NULL, SHEAF_TAG_TAG));
  assert_true(sheaf_article_add_tag(a, "  ", NULL, SHEAF_TAG_TAG));
  assert_true(sheaf_article_add_tag(a, "China", "china-2", SHEAF_TAG_CATEGORY));
  assert_int_equal(a->ntags, 2);
  assert_string_equal(a->tags[0].name, "Digital Economy");
  assert_string_equal(a->tags[1].slug, "china-2");
  assert_true(sheaf_article_finish(a));
  assert_true(strncmp(a->id, "sha1:", 5) == 0);
  sheaf_article_free(a);
}

static void test_strmap(void **state)
{
  struct sheaf_strmap m;
  char keys[3000][8];
  size_t i;

  (void)state;
  sheaf_strmap_init(&m);
  assert_null(sheaf_strmap_get(&m, "a", 1));
  assert_null(sheaf_strmap_get(NULL, "a", 1));
  for (i = 0; i < 3000; i++) {
    snprintf(keys[i], sizeof keys[i], "k%zu", i);
    assert_true(sheaf_strmap_put(&m, keys[i], strlen(keys[i]), i));
  }
  for (i = 0; i < 3000; i++) {
    const size_t *v = sheaf_strmap_get(&m, keys[i], strlen(keys[i]));
    assert_non_null(v);
    assert_int_equal(*v, i);
  }
  /* Length counts: "k1" is not "k10" nor "k1" with a NUL after it. */
  assert_int_equal(*sheaf_strmap_get(&m, "k10", 2), 1);
  assert_null(sheaf_strmap_get(&m, "k1\0", 3));
  assert_null(sheaf_strmap_get(&m, "k3000", 5));
  assert_true(sheaf_strmap_put(&m, keys[7], 2, 99));
  assert_int_equal(*sheaf_strmap_get(&m, "k7", 2), 99);
  assert_int_equal(m.n, 3000);
  sheaf_strmap_fini(&m);
}

/* Past the size where tags and authors are found through an index, the
 * duplicates are still found, also after an author was renamed. */
static void test_article_many_tags(void **state)
{
  struct sheaf_article *a = sheaf_article_new();
  char name[32];
  size_t i;

  (void)state;
  for (i = 0; i < 2000; i++) {
    snprintf(name, sizeof name, "Tag %zu", i % 500);
    assert_true(sheaf_article_add_tag(a, name, NULL, SHEAF_TAG_TAG));
    snprintf(name, sizeof name, "Writer %zu", i % 20);
    assert_true(sheaf_article_add_author(a, name));
  }
  assert_int_equal(a->ntags, 500);
  assert_string_equal(a->tags[499].slug, "tag-499");
  assert_int_equal(a->nauthors, 20);
  assert_true(sheaf_article_set_author(a, 3, "Renamed"));
  assert_true(sheaf_article_add_author(a, "Renamed"));
  assert_true(sheaf_article_add_author(a, "Writer 3"));
  assert_int_equal(a->nauthors, 21);
  assert_string_equal(a->authors[20], "Writer 3");
  sheaf_article_free(a);
}

/* The pool: aligned pieces, big ones in blocks of their own, one copy of
 * each interned string or array. */
static void test_pool(void **state)
{
  struct sheaf_pool p;
  char big[70000];
  char *s, *t, *u;
  void *x;
  const char *arr1[2], *arr2[2];
  size_t i;

  (void)state;
  sheaf_pool_init(&p);
  for (i = 0; i < 5000; i++) {
    assert_non_null(s = sheaf_pool_alloc(&p, 1 + i % 13, 1));
    assert_non_null(x = sheaf_pool_alloc(&p, 24, 8));
    assert_int_equal((uintptr_t)x % 8, 0);
  }
  memset(big, 'b', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  assert_non_null(s = sheaf_pool_strdup(&p, big, strlen(big)));
  assert_string_equal(s, big);
  assert_non_null(t = sheaf_pool_strdup(&p, "after", 5));
  assert_string_equal(t, "after");
  assert_string_equal(s, big); /* not overwritten by what followed */
  t = sheaf_pool_intern(&p, "Economics", 9);
  u = sheaf_pool_intern(&p, "Economics and more", 9);
  assert_ptr_equal(t, u);
  assert_string_equal(u, "Economics");
  assert_ptr_not_equal(t, sheaf_pool_intern(&p, "Economic", 8));
  assert_ptr_equal(sheaf_pool_intern(&p, "", 0), sheaf_pool_intern(&p, "", 0));
  arr1[0] = arr2[0] = t;
  arr1[1] = arr2[1] = s;
  x = sheaf_pool_intern_bytes(&p, arr1, sizeof arr1);
  assert_ptr_equal(x, sheaf_pool_intern_bytes(&p, arr2, sizeof arr2));
  assert_memory_equal(x, arr1, sizeof arr1);
  arr2[1] = t;
  assert_ptr_not_equal(x, sheaf_pool_intern_bytes(&p, arr2, sizeof arr2));
  assert_true(p.bytes >= sizeof big);
  sheaf_pool_fini(&p);
}

/* Packed articles share their collection's copies of tags, authors and
 * ids; they read as before, take new tags and authors, and free cleanly
 * (the sanitizer and valgrind runs see any leak or double free). */
static void test_article_pack(void **state)
{
  sheaf_collection *c = sheaf_collection_new();
  struct sheaf_article *a[3];
  size_t i;

  (void)state;
  for (i = 0; i < 3; i++) {
    char guid[32];
    a[i] = sheaf_article_new();
    snprintf(guid, sizeof guid, "urn:post:%zu", i);
    a[i]->guid = sheaf_strdup(guid);
    a[i]->link = sheaf_strdup("https://example.org/a/");
    a[i]->title = sheaf_strdup("A title");
    a[i]->language = sheaf_strdup("en");
    assert_true(sheaf_article_add_tag(a[i], "Digital Economy", NULL, SHEAF_TAG_TAG));
    assert_true(sheaf_article_add_tag(a[i], "China", "china-2", SHEAF_TAG_CATEGORY));
    assert_true(sheaf_article_add_author(a[i], i == 2 ? "Someone else" : "Ann Author"));
    assert_true(sheaf_article_finish(a[i]));
    assert_true(sheaf_collection_add_article(c, a[i]));
    sheaf_collection_pack_article(c, a[i]);
    assert_int_equal(a[i]->packed,
                     SHEAF_PACK_TEXT | SHEAF_PACK_TAGS | SHEAF_PACK_AUTHORS);
  }
  assert_string_equal(a[1]->id, "urn:post:1");
  assert_ptr_equal(a[1]->id, a[1]->guid); /* the id is not held twice */
  assert_string_equal(a[1]->link, "https://example.org/a/");
  assert_string_equal(a[1]->title, "A title");
  assert_ptr_equal(a[0]->language, a[1]->language);
  assert_ptr_equal(a[0]->tags, a[1]->tags); /* one list for both */
  assert_int_equal(a[1]->ntags, 2);
  assert_string_equal(a[1]->tags[0].name, "Digital Economy");
  assert_string_equal(a[1]->tags[0].slug, "digital-economy");
  assert_string_equal(a[1]->tags[1].slug, "china-2");
  assert_int_equal(a[1]->tags[1].kind, SHEAF_TAG_CATEGORY);
  assert_ptr_equal(a[0]->authors, a[1]->authors);
  assert_ptr_not_equal(a[1]->authors, a[2]->authors);
  assert_ptr_equal(a[1]->authors[0], sheaf_pool_intern(&c->pool, "Ann Author", 10));
  /* A packed article takes a new tag and a new author name: a[0]'s lists
   * become its own, a[1]'s stay as they were. */
  assert_true(sheaf_article_add_tag(a[0], "china", "china-2", SHEAF_TAG_TAG));
  assert_true(sheaf_article_add_tag(a[0], "Later", NULL, SHEAF_TAG_TAG));
  assert_true(sheaf_article_set_author(a[0], 0, "Ann B. Author"));
  assert_int_equal(a[0]->ntags, 3);
  assert_int_equal(a[1]->ntags, 2);
  assert_string_equal(a[0]->tags[2].slug, "later");
  assert_string_equal(a[0]->authors[0], "Ann B. Author");
  assert_string_equal(a[1]->authors[0], "Ann Author");
  assert_int_equal(a[0]->packed, SHEAF_PACK_TEXT);
  /* Text made its own, to be replaced. */
  assert_true(sheaf_article_unpack(a[2]));
  assert_int_equal(a[2]->packed, 0);
  assert_ptr_not_equal(a[2]->id, a[2]->guid);
  sheaf_free(a[2]->title);
  a[2]->title = sheaf_strdup("Another title");
  /* Packed again: the same shared lists as the others'. */
  sheaf_collection_pack_article(c, a[0]);
  sheaf_collection_pack_article(c, a[2]);
  assert_string_equal(a[2]->title, "Another title");
  assert_ptr_equal(a[2]->tags, a[1]->tags);
  assert_int_equal(a[0]->packed, SHEAF_PACK_TEXT | SHEAF_PACK_TAGS | SHEAF_PACK_AUTHORS);
  assert_string_equal(a[0]->tags[2].name, "Later");
  /* Many more after packing: the list grows from its unpacked room, and
   * duplicates are still found through the map made on the way. */
  for (i = 0; i < 60; i++) {
    char name[32];
    snprintf(name, sizeof name, "Topic %zu", i % 40);
    assert_true(sheaf_article_add_tag(a[0], name, NULL, SHEAF_TAG_TAG));
  }
  assert_int_equal(a[0]->ntags, 43);
  assert_string_equal(a[0]->tags[42].slug, "topic-39");
  assert_non_null(a[0]->maps);
  sheaf_collection_pack_article(c, a[0]);
  assert_null(a[0]->maps);
  assert_string_equal(a[0]->tags[42].name, "Topic 39");
  sheaf_collection_free(c);
}

/* The set of files read: a file keeps its first path, a file of a folder
 * is found under its own name by reading the folder again (the set holds
 * only the folder's path), devices and inodes both count, and 200,000
 * files (the index grown many times) are all found. */
static void test_fileset(void **state)
{
  struct sheaf_fileset s;
  char dir[] = "/tmp/sheaf-fileset-XXXXXX", file[64], *path;
  struct stat st;
  FILE *f;
  size_t i;

  (void)state;
  assert_non_null(mkdtemp(dir));
  snprintf(file, sizeof file, "%s/two.md", dir);
  f = fopen(file, "w");
  assert_non_null(f);
  fclose(f);
  assert_int_equal(stat(file, &st), 0);
  sheaf_fileset_init(&s);
  assert_false(sheaf_fileset_find(&s, 1, 1, &path));
  assert_false(sheaf_fileset_find(NULL, 1, 1, &path));
  assert_null(path);
  assert_true(sheaf_fileset_add(&s, 7, 1, "first"));
  assert_true(sheaf_fileset_add(&s, 7, 1, "second"));
  assert_true(sheaf_fileset_add(&s, 8, 1, "other device"));
  assert_true(sheaf_fileset_add_in(&s, (uint64_t)st.st_dev, (uint64_t)st.st_ino, dir));
  /* A file of the same folder no longer there: the folder is named. */
  assert_true(sheaf_fileset_add_in(&s, (uint64_t)st.st_dev, UINT64_C(1) << 60, dir));
  for (i = 0; i < 200000; i++)
    assert_true(sheaf_fileset_add(&s, 9, i, i % 2 ? "odd" : "even"));
  assert_true(sheaf_fileset_find(&s, 7, 1, &path));
  assert_string_equal(path, "first");
  sheaf_free(path);
  assert_true(sheaf_fileset_find(&s, 8, 1, &path));
  assert_string_equal(path, "other device");
  sheaf_free(path);
  assert_false(sheaf_fileset_find(&s, 7, 2, NULL));
  assert_true(sheaf_fileset_find(&s, (uint64_t)st.st_dev, (uint64_t)st.st_ino, &path));
  assert_string_equal(path, file);
  sheaf_free(path);
  assert_true(sheaf_fileset_find(&s, (uint64_t)st.st_dev, UINT64_C(1) << 60, &path));
  assert_string_equal(path, dir);
  sheaf_free(path);
  for (i = 0; i < 200000; i++) {
    assert_true(sheaf_fileset_find(&s, 9, i, &path));
    assert_string_equal(path, i % 2 ? "odd" : "even");
    sheaf_free(path);
  }
  assert_false(sheaf_fileset_find(&s, 9, 200000, NULL));
  /* The folder's path is held once for its run of files. */
  assert_int_equal(s.nnames, 3 + 200000);
  sheaf_fileset_fini(&s);
  assert_int_equal(unlink(file), 0);
  assert_int_equal(rmdir(dir), 0);
}

/* One article for test_article_spill: NULL fields are left out. */
static struct sheaf_article *spill_one(sheaf_collection *c, const char *title,
                                       const char *link, const char *guid, const char *id,
                                       const char *source, const char *body)
{
  struct sheaf_article *a = sheaf_article_new();

  assert_non_null(a);
  a->title = title ? sheaf_strdup(title) : NULL;
  a->link = link ? sheaf_strdup(link) : NULL;
  a->guid = guid ? sheaf_strdup(guid) : NULL;
  a->id = id ? sheaf_strdup(id) : NULL;
  a->source = source;
  a->body = body ? sheaf_strdup(body) : NULL;
  a->language = sheaf_strdup("fr");
  assert_true(sheaf_article_finish(a));
  assert_true(sheaf_collection_add_article(c, a));
  return a;
}

/* Spooled articles keep their title, link, guid and id in the spool: the
 * views and the record keys read back what was given, whichever copies
 * the record shares (id = guid, id = link, guid = the file's path). */
static void test_article_spill(void **state)
{
  sheaf_collection *c = sheaf_collection_new();
  struct sheaf_article_view v;
  struct sheaf_buf before, after;
  struct sheaf_article *a[5];
  const char *src = sheaf_collection_intern_source(c, "/in/posts/2024-01-02-hello.md");
  char *s;
  size_t i;

  (void)state;
  sheaf_collection_spool_bodies(c);
  a[0] = spill_one(c, "Première", "https://ex.org/1", "urn:1", NULL, NULL, "<p>one</p>");
  a[1] = spill_one(c, "Two", "https://ex.org/2", NULL, NULL, NULL, "<p>two</p>");
  a[2] = spill_one(c, "", NULL, NULL, NULL, NULL, "<p>three</p>"); /* sha1 id */
  a[3] = spill_one(c, "Hello", NULL, src, NULL, src, "<p>file</p>");
  a[4] = spill_one(c, "Five", "", "", "own-id", NULL, NULL);
  sheaf_buf_init(&before, 0);
  sheaf_buf_init(&after, 0);
  sheaf_article_view_init(&v);
  for (i = 0; i < 5; i++) {
    char *body = NULL;
    char *t = sheaf_strdup(a[i]->title),
         *l = a[i]->link ? sheaf_strdup(a[i]->link) : NULL,
         *g = a[i]->guid ? sheaf_strdup(a[i]->guid) : NULL, *id = sheaf_strdup(a[i]->id);
    assert_true(sheaf_article_record_key(c, a[i], &before));
    assert_true(sheaf_collection_spool_article(c, a[i]));
    /* It moved into the collection's array of heads. */
    a[i] = c->articles[i];
    assert_true(a[i]->spilled);
    assert_string_equal(sheaf_article_get_title(a[i]), "");
    assert_null(sheaf_article_get_link(a[i]));
    assert_int_equal(sheaf_article_titled(a[i]), *t != '\0');
    assert_int_equal(sheaf_article_view(c, a[i], &v), SHEAF_OK);
    assert_string_equal(v.a.title, t);
    assert_string_equal(v.a.id, id);
    if (l)
      assert_string_equal(v.a.link, l);
    else
      assert_null(v.a.link);
    if (g)
      assert_string_equal(v.a.guid, g);
    else
      assert_null(v.a.guid);
    assert_int_equal(a[i]->id_hash, sheaf_article_text_hash(c, id));
    assert_int_equal(a[i]->link_hash, sheaf_article_text_hash(c, l));
    /* The same key for --after as before the strings went. */
    assert_true(sheaf_article_record_key(c, a[i], &after));
    assert_string_equal(before.ptr, after.ptr);
    /* The body is where it was, beside the record. */
    assert_int_equal(sheaf_article_load(c, a[i], &body, NULL), SHEAF_OK);
    if (i < 4)
      assert_non_null(strstr(body, "</p>"));
    else
      assert_null(body);
    sheaf_free(body);
    s = sheaf_article_copy_text(c, a[i], SHEAF_TEXT_TITLE);
    assert_string_equal(s, t);
    sheaf_free(s);
    s = sheaf_article_copy_text(c, a[i], SHEAF_TEXT_URL);
    if (l)
      assert_string_equal(s, l);
    else
      assert_null(s);
    sheaf_free(s);
    sheaf_free(t);
    sheaf_free(l);
    sheaf_free(g);
    sheaf_free(id);
  }
  /* The file's guid is its path: the record holds it for its source too,
   * and the head holds neither. */
  assert_null(a[3]->source);
  assert_int_equal(sheaf_article_view(c, a[3], &v), SHEAF_OK);
  assert_string_equal(v.a.guid, src);
  assert_string_equal(v.a.source, src);
  assert_ptr_equal(v.a.id, v.a.guid);
  /* New text for a spilled article: its strings are spooled again. */
  assert_true(sheaf_collection_replace_text(c, a[0], sheaf_strdup("<p>new</p>"), NULL));
  assert_true(a[0]->spilled);
  assert_int_equal(sheaf_article_view(c, a[0], &v), SHEAF_OK);
  assert_string_equal(v.a.title, "Première");
  assert_string_equal(v.a.guid, "urn:1");
  assert_string_equal(v.a.language, "fr");
  s = sheaf_article_copy_text(c, a[0], SHEAF_TEXT_ID);
  assert_string_equal(s, "urn:1");
  sheaf_free(s);
  sheaf_article_view_fini(&v);
  sheaf_buf_fini(&before);
  sheaf_buf_fini(&after);
  sheaf_collection_free(c);
}

static int cmp_u64(const void *a, const void *b)
{
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

  return x < y ? -1 : x > y;
}

/* The in-place sort gives qsort's order: sizes around its switch to
 * insertion sort, runs of equal numbers, sorted and reversed input. */
static void test_sort_u64(void **state)
{
  static const size_t sizes[] = {0, 1, 2, 3, 16, 17, 18, 1000, 100000};
  uint64_t *a = malloc(100000 * sizeof *a), *b = malloc(100000 * sizeof *b);
  size_t s, i, kind;

  (void)state;
  assert_non_null(a);
  assert_non_null(b);
  srand(11);
  for (kind = 0; kind < 4; kind++)
    for (s = 0; s < sizeof sizes / sizeof *sizes; s++) {
      size_t n = sizes[s];
      for (i = 0; i < n; i++) {
        uint64_t r = (uint64_t)rand() << 40 ^ (uint64_t)rand() << 20 ^ (uint64_t)rand();
        a[i] = kind == 0   ? r
               : kind == 1 ? r % 5 /* many equal */
               : kind == 2 ? i
                           : n - i;
      }
      memcpy(b, a, n * sizeof *a);
      sheaf_sort_u64(a, n);
      if (n)
        qsort(b, n, sizeof *b, cmp_u64);
      if (n)
        assert_memory_equal(a, b, n * sizeof *a);
    }
  free(a);
  free(b);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_buf_appends),   cmocka_unit_test(test_buf_max_is_sticky),
      cmocka_unit_test(test_buf_put_xml),   cmocka_unit_test(test_slugify),
      cmocka_unit_test(test_sha1_vectors),  cmocka_unit_test(test_uuid5),
      cmocka_unit_test(test_collapse_ws),   cmocka_unit_test(test_utf8_valid),
      cmocka_unit_test(test_diag_cap),      cmocka_unit_test(test_status_table),
      cmocka_unit_test(test_lang),          cmocka_unit_test(test_article_tags_dedupe),
      cmocka_unit_test(test_strmap),        cmocka_unit_test(test_article_many_tags),
      cmocka_unit_test(test_pool),          cmocka_unit_test(test_article_pack),
      cmocka_unit_test(test_fileset),       cmocka_unit_test(test_sort_u64),
      cmocka_unit_test(test_article_spill),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
