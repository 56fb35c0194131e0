/*
 * Unit tests for src/import: format sniffing, the RSS and Atom readers on
 * in-memory feeds, WordPress archive tags, hostile XML (external entities,
 * entity bombs, broken markup), sheaf_import_path() on missing files, and the
 * seed feed of the corpus when it is present.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "import/import.h"

#define CORPUS "/work/shared/corpus"

static sheaf_status import_str(struct sheaf_collection *c, sheaf_diag *d, const char *xml)
{
  struct sheaf_input in;

  sheaf_input_borrow(&in, "mem.xml", xml, strlen(xml));
  return sheaf_import_feed(c, &in, NULL, d);
}

/* The whole import stage (decode, repair, then the reader) on `xml`. */
static sheaf_status import_all(struct sheaf_collection *c, sheaf_diag *d, const char *xml)
{
  struct sheaf_input in;

  sheaf_input_borrow(&in, "mem.xml", xml, strlen(xml));
  return sheaf_import_input(c, &in, NULL, d);
}

static const char *iso(int64_t t, char out[32])
{
  if (t == SHEAF_TIME_UNKNOWN)
    return "unknown";
  sheaf_date_format_iso(t, out);
  return out;
}

static bool has_diag(sheaf_diag *d, sheaf_severity sev, const char *needle,
                     unsigned *line)
{
  size_t i;

  for (i = 0; i < sheaf_diag_count(d); i++) {
    const sheaf_diag_entry *e = sheaf_diag_get(d, i);
    if (e->severity == sev && strstr(e->message, needle)) {
      if (line)
        *line = e->line;
      return true;
    }
  }
  return false;
}

/* ---- sniffing -------------------------------------------------------------- */

static void test_sniff(void **state)
{
  static const struct {
    const char *in;
    size_t n; /* 0: strlen */
    enum sheaf_format fmt;
  } cases[] = {
      {"<rss version=\"2.0\"><channel/></rss>", 0, SHEAF_FORMAT_RSS},
      {"\xEF\xBB\xBF  \n<?xml version=\"1.0\"?>\n<rss>", 0, SHEAF_FORMAT_RSS},
      {"<?xml version=\"1.0\"?><!-- <feed> --><rdf:RDF xmlns:rdf=\"x\">", 0,
       SHEAF_FORMAT_RSS},
      {"<?xml version=\"1.0\"?>\n<?xml-stylesheet href=\"a.xsl\"?>\n<feed xmlns=\"x\">",
       0, SHEAF_FORMAT_ATOM},
      {"<!DOCTYPE rss [<!ENTITY a \"<feed>\">]><rss>", 0, SHEAF_FORMAT_RSS},
      {"<atom:feed xmlns:atom=\"http://www.w3.org/2005/Atom\">", 0, SHEAF_FORMAT_ATOM},
      {"<!DOCTYPE html><html><head>", 0, SHEAF_FORMAT_HTML},
      {"<!doctype HTML>\n<title>x</title>", 0, SHEAF_FORMAT_HTML},
      {"<html lang=\"en\">", 0, SHEAF_FORMAT_HTML},
      {"<!-- saved page --><HTML>", 0, SHEAF_FORMAT_HTML},
      {"  {\"version\": \"https://jsonfeed.org/version/1\"}", 0, SHEAF_FORMAT_JSON},
      {"[1, 2]", 0, SHEAF_FORMAT_JSON},
      {"", 0, SHEAF_FORMAT_EMPTY},
      {" \n\t\r\n", 0, SHEAF_FORMAT_EMPTY},
      {"\xEF\xBB\xBF", 0, SHEAF_FORMAT_EMPTY},
      {"PK\x03\x04zipdata", 0, SHEAF_FORMAT_BINARY},
      {"\x89PNG\r\n\x1a\n", 0, SHEAF_FORMAT_BINARY},
      {"<rss\0\0", 6, SHEAF_FORMAT_BINARY},
      {"<?xml version=\"1.0\"?><svg xmlns=\"x\">", 0, SHEAF_FORMAT_XML},
      {"<?xml version=\"1.0\"?><urlset>", 0, SHEAF_FORMAT_XML},
      {"just some words", 0, SHEAF_FORMAT_TEXT},
      {"<?xml version=\"1.0\"?><rss xmlns:wp=\"http://wordpress.org/export/1.2/\">", 0,
       SHEAF_FORMAT_WXR},
      {"\xFF\xFE<\0r\0s\0s\0>\0", 12, SHEAF_FORMAT_RSS},
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const char *what = NULL;
    size_t n = cases[i].n ? cases[i].n : strlen(cases[i].in);
    enum sheaf_format f = sheaf_import_sniff(cases[i].in, n, &what);
    if (f != cases[i].fmt)
      fail_msg("case %zu: got %d, expected %d", i, (int)f, (int)cases[i].fmt);
    assert_non_null(what);
  }
}

/* ---- RSS and Atom items ------------------------------------------------------ */

struct item_case {
  const char *name;
  const char *xml;
  size_t count;      /* articles expected */
  const char *title; /* of the first article */
  const char *link;
  const char *date;     /* published, ISO, or "unknown" */
  const char *author;   /* NULL: none */
  const char *tag_slug; /* NULL: no tags */
  const char *tag_name;
  const char *body;    /* substring of body, or NULL: body must be NULL */
  const char *summary; /* substring of summary, or NULL: summary must be NULL */
};

#define RSS_HEAD                                                                         \
  "<?xml version=\"1.0\"?><rss version=\"2.0\" "                                         \
  "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" "                          \
  "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "                                       \
  "xmlns:atom=\"http://www.w3.org/2005/Atom\"><channel><title>Blog</title>"              \
  "<atom:link href=\"https://ex.org/feed/\" rel=\"self\"/>"                              \
  "<link>https://ex.org/</link>"
#define RSS_TAIL "</channel></rss>"
#define ATOM_HEAD                                                                        \
  "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\" "                  \
  "xml:lang=\"en\"><title>Atom blog</title><link href=\"https://ex.org/\"/>"
#define ATOM_TAIL "</feed>"

static const struct item_case item_cases[] = {
    {"rss full item",
     RSS_HEAD
     "<item><title>Hello  \n world</title><link>https://ex.org/hello/</link>"
     "<pubDate>Wed, 22 Feb 2023 07:30:53 +0000</pubDate>"
     "<guid isPermaLink=\"false\">https://ex.org/?p=1</guid>"
     "<dc:creator><![CDATA[Jane Doe]]></dc:creator><category>Digital Economy</category>"
     "<description><![CDATA[<p>Short</p>]]></description>"
     "<content:encoded><![CDATA[<p>Full "
     "<b>body</b></p>]]></content:encoded></item>" RSS_TAIL,
     1, "Hello world", "https://ex.org/hello/", "2023-02-22T07:30:53Z", "Jane Doe",
     "digital-economy", "Digital Economy", "<p>Full <b>body</b></p>", "<p>Short</p>"},
    {"rss description only",
     RSS_HEAD "<item><title>T</title><description>&lt;p&gt;Desc&lt;/p&gt;</description>"
              "<author>bob@ex.org (Bob)</author></item>" RSS_TAIL,
     1, "T", NULL, "unknown", "Bob", NULL, NULL, NULL, "<p>Desc</p>"},
    {"rss title with escaped markup",
     RSS_HEAD "<item><title>&lt;b&gt;Bold&lt;/b&gt; &amp;amp; more</title>"
              "<description>x</description></item>" RSS_TAIL,
     1, "Bold & more", NULL, "unknown", NULL, NULL, NULL, NULL, "x"},
    {"rss permalink guid becomes link, dc:date fallback",
     RSS_HEAD "<item><title>G</title><guid>https://ex.org/g/</guid>"
              "<dc:date>2023-01-12T07:30:39Z</dc:date><description>d</description></"
              "item>" RSS_TAIL,
     1, "G", "https://ex.org/g/", "2023-01-12T07:30:39Z", NULL, NULL, NULL, NULL, "d"},
    {"rss empty item skipped",
     RSS_HEAD "<item><link>https://ex.org/x</link></item>"
              "<item><title>Kept</title></item>" RSS_TAIL,
     1, "Kept", NULL, "unknown", NULL, NULL, NULL, NULL, NULL},
    {"rss 1.0 rdf",
     "<?xml version=\"1.0\"?><rdf:RDF "
     "xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
     "xmlns=\"http://purl.org/rss/1.0/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
     "<channel rdf:about=\"x\"><title>R</title><link>https://r.org/</link></channel>"
     "<item rdf:about=\"https://r.org/1\"><title>One</title><link>https://r.org/1</link>"
     "<dc:date>2023-02-22T08:30:53+01:00</dc:date><dc:subject>News</dc:subject></item>"
     "<item rdf:about=\"https://r.org/2\"><title>Two</title></item></rdf:RDF>",
     2, "One", "https://r.org/1", "2023-02-22T07:30:53Z", NULL, "news", "News", NULL,
     NULL},
    {"rss tag archive",
     "<rss version=\"2.0\"><channel><title>digital economy Archives - Focus - "
     "CBBC</title>"
     "<link>https://focus.cbbc.org/tag/digital-economy/</link>"
     "<item><title>A</title><description>x</description></item></channel></rss>",
     1, "A", NULL, "unknown", NULL, "digital-economy", "digital economy", NULL, "x"},
    {"rss nested category archive, link after items",
     "<rss version=\"2.0\"><channel><title>Site &#187; Green Energy</title>"
     "<item><title>A</title></item>"
     "<link>https://ex.org/category/topics/green-energy/</link></channel></rss>",
     1, "A", NULL, "unknown", NULL, "green-energy", "Green Energy", NULL, NULL},
    {"atom full entry",
     ATOM_HEAD
     "<entry><title type=\"html\">A &lt;i&gt;fine&lt;/i&gt; day</title>"
     "<link rel=\"edit\" href=\"https://ex.org/edit/1\"/>"
     "<link rel=\"alternate\" href=\"/posts/1\"/><id>urn:uuid:1</id>"
     "<published>2023-02-22T08:30:53+01:00</published><updated>2023-03-01T00:00:00Z</"
     "updated>"
     "<author><name>Ann</name><email>a@ex.org</email></author>"
     "<category term=\"digital-economy\" label=\"Digital economy\"/>"
     "<summary>Sum &amp; more</summary>"
     "<content type=\"html\">&lt;p&gt;Body&lt;/p&gt;</content></entry>" ATOM_TAIL,
     1, "A fine day", "https://ex.org/posts/1", "2023-02-22T07:30:53Z", "Ann",
     "digital-economy", "Digital economy", "<p>Body</p>", "<p>Sum &amp; more</p>"},
    {"atom xhtml content, updated only, feed author",
     "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"https://b.org/blog/\">"
     "<author><name>Feed Author</name></author>"
     "<entry><title type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">X "
     "<b>T</b></div></title>"
     "<link href=\"p/2\"/><updated>2023-01-12T07:30:39Z</updated>"
     "<content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Hi "
     "<em>there</em></p></div></content>"
     "</entry></feed>",
     1, "X T", "https://b.org/blog/p/2", "2023-01-12T07:30:39Z", "Feed Author", NULL,
     NULL, "<em>there</em></p>", NULL},
    {"atom text content",
     ATOM_HEAD "<entry><title>Plain &lt;tag&gt;</title><content type=\"text\">a &lt; "
               "b\n\nsecond</content>"
               "</entry>" ATOM_TAIL,
     1, "Plain <tag>", NULL, "unknown", NULL, NULL, NULL,
     "<p>a &lt; b</p>\n<p>second</p>", NULL},
};

static void check_item_case(const struct item_case *ic)
{
  struct sheaf_collection *c = sheaf_collection_new();
  sheaf_diag *d = sheaf_diag_new();
  struct sheaf_article *a;
  char buf[32];
  sheaf_status st;

  st = import_str(c, d, ic->xml);
  if (st != SHEAF_OK)
    fail_msg("%s: status %s", ic->name, sheaf_status_name(st));
  if (c->narticles != ic->count)
    fail_msg("%s: %zu articles, expected %zu", ic->name, c->narticles, ic->count);
  a = c->articles[0];
  if (strcmp(a->title, ic->title) != 0)
    fail_msg("%s: title \"%s\"", ic->name, a->title);
  if (ic->link ? (a->link == NULL || strcmp(a->link, ic->link)) : a->link != NULL)
    fail_msg("%s: link \"%s\"", ic->name, a->link ? a->link : "(null)");
  if (strcmp(iso(a->published, buf), ic->date) != 0)
    fail_msg("%s: date %s", ic->name, buf);
  if (ic->author ? (a->nauthors == 0 || strcmp(a->authors[0], ic->author))
                 : a->nauthors != 0)
    fail_msg("%s: author \"%s\"", ic->name, a->nauthors ? a->authors[0] : "(none)");
  if (ic->tag_slug) {
    if (a->ntags == 0 || strcmp(a->tags[0].slug, ic->tag_slug) ||
        strcmp(a->tags[0].name, ic->tag_name))
      fail_msg("%s: tag %s/%s", ic->name, a->ntags ? a->tags[0].name : "-",
               a->ntags ? a->tags[0].slug : "-");
  } else if (a->ntags) {
    fail_msg("%s: unexpected tag %s", ic->name, a->tags[0].slug);
  }
  if (ic->body ? (a->body == NULL || strstr(a->body, ic->body) == NULL) : a->body != NULL)
    fail_msg("%s: body \"%s\"", ic->name, a->body ? a->body : "(null)");
  if (ic->summary ? (a->summary == NULL || strstr(a->summary, ic->summary) == NULL)
                  : a->summary != NULL)
    fail_msg("%s: summary \"%s\"", ic->name, a->summary ? a->summary : "(null)");
  assert_string_equal(a->source, "mem.xml");
  assert_true(a->line > 0);
  assert_int_equal(a->feed, 0);
  assert_non_null(a->id);
  sheaf_collection_free(c);
  sheaf_diag_free(d);
}

static void test_items(void **state)
{
  size_t i;

  (void)state;
  for (i = 0; i < sizeof item_cases / sizeof item_cases[0]; i++)
    check_item_case(&item_cases[i]);
}

static void test_feed_fields(void **state)
{
  struct sheaf_collection *c = sheaf_collection_new();
  sheaf_diag *d = sheaf_diag_new();
  struct sheaf_feed *f;

  (void)state;
  assert_int_equal(import_str(c, d,
                              RSS_HEAD
                              "<description>About</description>"
                              "<language>en-GB</language><generator>WP</generator>"
                              "<item><title>x</title></item>" RSS_TAIL),
                   SHEAF_OK);
  assert_int_equal(import_str(c, d,
                              ATOM_HEAD "<subtitle>Sub</subtitle>"
                                        "<entry><title>y</title></entry>" ATOM_TAIL),
                   SHEAF_OK);
  assert_int_equal(c->nfeeds, 2);
  f = c->feeds[0];
  assert_string_equal(f->title, "Blog");
  assert_string_equal(f->link, "https://ex.org/");
  assert_string_equal(f->description, "About");
  assert_string_equal(f->language, "en-GB");
  assert_string_equal(f->generator, "WP");
  assert_null(f->archive_tag);
  f = c->feeds[1];
  assert_string_equal(f->title, "Atom blog");
  assert_string_equal(f->link, "https://ex.org/");
  assert_string_equal(f->description, "Sub");
  assert_string_equal(f->language, "en");
  assert_int_equal(c->articles[1]->feed, 1);
  assert_int_equal(c->articles[1]->line, 1);
  sheaf_collection_free(c);
  sheaf_diag_free(d);
}

static void test_empty_item_warns(void **state)
{
  struct sheaf_collection *c = sheaf_collection_new();
  sheaf_diag *d = sheaf_diag_new();

  (void)state;
  assert_int_equal(import_str(c, d,
                              "<rss><channel>\n<item>\n<guid>g</guid></item>"
                              "</channel></rss>"),
                   SHEAF_OK);
  assert_int_equal(c->narticles, 0);
  assert_true(has_diag(d, SHEAF_WARNING, "item has no title and no content", NULL));
  sheaf_collection_free(c);
  sheaf_diag_free(d);
}

/* ---- archive tags ------------------------------------------------------------- */

static void test_archive_tag(void **state)
{
  static const struct {
    const char *link, *title;
    const char *name, *slug; /* NULL: not an archive */
    enum sheaf_tag_kind kind;
  } cases[] = {
      {"https://focus.cbbc.org/tag/digital-economy/",
       "digital economy Archives - Focus - China Britain Business Council",
       "digital economy", "digital-economy", SHEAF_TAG_TAG},
      {"https://ex.org/tag/green-energy", "Site \xC2\xBB Green Energy", "Green Energy",
       "green-energy", SHEAF_TAG_TAG},
      {"https://ex.org/tag/green-energy/", "Green Energy \xE2\x80\x93 Site",
       "Green Energy", "green-energy", SHEAF_TAG_TAG},
      {"https://ex.org/tag/green-energy/", "Unrelated Site", "green energy",
       "green-energy", SHEAF_TAG_TAG},
      {"https://ex.org/tag/green-energy/", NULL, "green energy", "green-energy",
       SHEAF_TAG_TAG},
      {"https://ex.org/category/news/world-affairs/", "World Affairs Archives - Ex",
       "World Affairs", "world-affairs", SHEAF_TAG_CATEGORY},
      {"https://ex.org/category/news/?page=2", "", "news", "news", SHEAF_TAG_CATEGORY},
      {"https://ex.org/tag/%C3%A9conomie/", "",
       "\xC3\xA9"
       "conomie",
       "\xC3\xA9"
       "conomie",
       SHEAF_TAG_TAG},
      {"https://ex.org/", "Blog", NULL, NULL, SHEAF_TAG_TAG},
      {"https://ex.org/tag/", "Blog", NULL, NULL, SHEAF_TAG_TAG},
      {"https://ex.org/tag/a/b/", "Blog", NULL, NULL, SHEAF_TAG_TAG},
      {"https://ex.org/tagged/a/", "Blog", NULL, NULL, SHEAF_TAG_TAG},
      {NULL, "Blog", NULL, NULL, SHEAF_TAG_TAG},
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct sheaf_tag *t = sheaf_import_archive_tag(cases[i].link, cases[i].title);
    if (cases[i].slug == NULL) {
      if (t)
        fail_msg("case %zu: unexpected tag %s", i, t->slug);
      continue;
    }
    if (t == NULL)
      fail_msg("case %zu: no tag", i);
    if (strcmp(t->name, cases[i].name) || strcmp(t->slug, cases[i].slug) ||
        t->kind != cases[i].kind)
      fail_msg("case %zu: %s/%s/%d", i, t->name, t->slug, (int)t->kind);
    sheaf_free(t->name);
    sheaf_free(t->slug);
    sheaf_free(t);
  }
}

/* ---- hostile and broken XML ---------------------------------------------------- */

static void test_xxe(void **state)
{
  static const char *const feeds[] = {
      "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY x SYSTEM "
      "\"file:///etc/passwd\">]>\n"
      "<rss version=\"2.0\"><channel><title>t</title><item><title>A&x;B</title>"
      "<description>d</description></item></channel></rss>",
      "<?xml version=\"1.0\"?>\n<!DOCTYPE rss SYSTEM \"http://127.0.0.1:1/evil.dtd\">\n"
      "<rss version=\"2.0\"><channel><item><title>A&x;B</title></item></channel></rss>",
      "<?xml version=\"1.0\"?>\n<!DOCTYPE feed [<!ENTITY % p SYSTEM "
      "\"file:///etc/passwd\"> %p;]>\n"
      "<feed "
      "xmlns=\"http://www.w3.org/2005/Atom\"><entry><title>A</title></entry></feed>",
  };
  size_t i, k;

  (void)state;
  for (i = 0; i < sizeof feeds / sizeof feeds[0]; i++) {
    struct sheaf_collection *c = sheaf_collection_new();
    sheaf_diag *d = sheaf_diag_new();
    (void)import_str(c, d, feeds[i]);
    for (k = 0; k < c->narticles; k++) {
      assert_null(strstr(c->articles[k]->title, "root:"));
      if (c->articles[k]->summary)
        assert_null(strstr(c->articles[k]->summary, "root:"));
    }
    if (i == 0) {
      assert_int_equal(c->narticles, 1);
      assert_string_equal(c->articles[0]->title, "AB");
    }
    for (k = 0; k < sheaf_diag_count(d); k++)
      assert_null(strstr(sheaf_diag_get(d, k)->message, "root:"));
    sheaf_collection_free(c);
    sheaf_diag_free(d);
  }
}

static void test_billion_laughs(void **state)
{
  static const char bomb[] =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n"
      "<!ENTITY a \"lollollollollollollollollollol\">\n"
      "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
      "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
      "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n"
      "<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n"
      "<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">\n"
      "<!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">\n"
      "<!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">\n"
      "<!ENTITY i \"&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;\">\n"
      "<!ENTITY j \"&i;&i;&i;&i;&i;&i;&i;&i;&i;&i;\">\n"
      "]>\n<rss version=\"2.0\"><channel><item><title>&j;</title><description>&j;"
      "</description></item></channel></rss>";
  struct sheaf_collection *c = sheaf_collection_new();
  sheaf_diag *d = sheaf_diag_new();
  clock_t start = clock();
  sheaf_status st;
  size_t k;

  (void)state;
  st = import_str(c, d, bomb);
  assert_true((double)(clock() - start) / CLOCKS_PER_SEC < 2.0);
  if (st == SHEAF_OK)
    for (k = 0; k < c->narticles; k++)
      assert_true(strlen(c->articles[k]->title) < 1000);
  sheaf_collection_free(c);
  sheaf_diag_free(d);
}

static void test_malformed(void **state)
{
  /* libxml2's reader parses up to a chunk ahead of the nodes it hands out:
   * the padding puts the break well after the complete items. */
#define PAD                                                                              \
  "<description>"                                                                        \
  "0123456789012345678901234567890123456789012345678901234567890123456789"               \
  "0123456789012345678901234567890123456789012345678901234567890123456789"               \
  "0123456789012345678901234567890123456789012345678901234567890123456789"               \
  "0123456789012345678901234567890123456789012345678901234567890123456789"               \
  "0123456789012345678901234567890123456789012345678901234567890123456789"               \
  "0123456789012345678901234567890123456789012345678901234567890123456789"               \
  "0123456789012345678901234567890123456789012345678901234567890123456789"               \
  "0123456789012345678901234567890123456789012345678901234567890123456789"               \
  "</description>"
  static const char broken[] =
      "<?xml version=\"1.0\"?>\n<rss version=\"2.0\">\n<channel>\n"
      "<item><title>One</title>" PAD "</item>\n"
      "<item><title>Two</title>" PAD "</item>\n"
      "<item><title>Pad</title>" PAD PAD "</item>\n"
      "<item><title>Three</oops></item>\n"
      "</channel></rss>\n";
  struct sheaf_collection *c = sheaf_collection_new();
  sheaf_diag *d = sheaf_diag_new();
  unsigned line = 0;
  const sheaf_diag_entry *e = NULL;
  size_t i;

  (void)state;
  assert_int_equal(import_str(c, d, broken), SHEAF_ERR_PARSE);
  assert_int_equal(c->narticles, 2);
  assert_string_equal(c->articles[1]->title, "Two");
  assert_true(has_diag(d, SHEAF_ERROR, "malformed XML", &line));
  assert_int_equal(line, 7);
  for (i = 0; i < sheaf_diag_count(d); i++)
    if (sheaf_diag_get(d, i)->severity == SHEAF_ERROR)
      e = sheaf_diag_get(d, i);
  assert_non_null(e);
  assert_string_equal(e->file, "mem.xml");
  assert_true(e->column > 0);
  sheaf_collection_free(c);
  sheaf_diag_free(d);

  /* Truncated in the middle of an item. */
  c = sheaf_collection_new();
  d = sheaf_diag_new();
  assert_int_equal(import_str(c, d,
                              "<rss><channel><item><title>A</title>" PAD "</item>"
                              "<item><title>B</title>" PAD PAD "</item>"
                              "<item><title>C</ti"),
                   SHEAF_ERR_PARSE);
  assert_int_equal(c->narticles, 2);
  sheaf_collection_free(c);
  sheaf_diag_free(d);
}

static void test_blank_lines_before_declaration(void **state)
{
  struct sheaf_collection *c = sheaf_collection_new();
  sheaf_diag *d = sheaf_diag_new();
  unsigned line = 0;

  (void)state;
  assert_int_equal(import_all(c, d,
                              "\xEF\xBB\xBF\n\n<?xml version=\"1.0\"?>\n<rss><channel>\n"
                              "<item><title>x</title></item>\n</channel></rss>"),
                   SHEAF_OK);
  assert_int_equal(c->narticles, 1);
  assert_int_equal(c->articles[0]->line, 5);
  assert_true(has_diag(d, SHEAF_WARNING, "before the XML declaration", NULL));
  /* Lines of errors count the skipped lines too. */
  assert_int_equal(import_all(c, d,
                              "\n\n<?xml version=\"1.0\"?>\n<rss><channel>\n"
                              "<item><title>y</oops></item></channel></rss>"),
                   SHEAF_ERR_PARSE);
  assert_true(has_diag(d, SHEAF_ERROR, "malformed XML", &line));
  assert_int_equal(line, 5);
  sheaf_collection_free(c);
  sheaf_diag_free(d);
}

static void test_not_a_feed_root(void **state)
{
  struct sheaf_collection *c = sheaf_collection_new();
  sheaf_diag *d = sheaf_diag_new();

  (void)state;
  assert_int_equal(import_str(c, d, "<urlset><url/></urlset>"), SHEAF_ERR_FORMAT);
  assert_true(has_diag(d, SHEAF_ERROR, "<urlset>", NULL));
  sheaf_collection_free(c);
  sheaf_diag_free(d);
}

/* Double-encoded UTF-8 is repaired wherever it starts: at the start, after
 * plain text, after other non-ASCII characters (which the repair steps
 * over whole), and not at all in text that only looks close. */
static void test_mojibake(void **state)
{
  static const struct {
    const char *in, *out;
    size_t fixed;
  } cases[] = {
      {"plain ASCII text", "plain ASCII text", 0},
      {"\xC3\x83\xC2\xB1"
       "-and-\xC3\x83\xC2\xA9",
       "\xC3\xB1"
       "-and-\xC3\xA9",
       2},
      {"Espa\xC3\x83\xC2\xB1"
       "o",
       "Espa\xC3\xB1"
       "o",
       1},
      /* (c), an en dash, an emoji and a real n-tilde stay; then a repair. */
      {"\xC2\xA9 \xE2\x80\x93 \xF0\x9F\x98\x80 \xC3\xB1 caf\xC3\x83\xC2\xA9!",
       "\xC2\xA9 \xE2\x80\x93 \xF0\x9F\x98\x80 \xC3\xB1 caf\xC3\xA9!", 1},
      /* Windows-1252's row: a right quote read as a-circumflex, euro, TM. */
      {"it\xC3\xA2\xE2\x82\xAC\xE2\x84\xA2s", "it\xE2\x80\x99s", 1},
      /* A lead without its continuation, at the end and before text. */
      {"\xC3\x83", "\xC3\x83", 0},
      {"\xC3\x83x \xC3\x83\xC2\xB1", "\xC3\x83x \xC3\xB1", 1},
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof cases / sizeof *cases; i++) {
    char *t = sheaf_strdup(cases[i].in);
    size_t k = sheaf_import_fix_mojibake(t);
    if (strcmp(t, cases[i].out) != 0 || k != cases[i].fixed)
      fail_msg("mojibake case %zu: \"%s\", %zu repaired", i, t, k);
    sheaf_free(t);
  }
  assert_int_equal(sheaf_import_fix_mojibake(NULL), 0);
}

static void test_latin1(void **state)
{
  static const char feed[] = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"
                             "<rss><channel><item><title>caf\xE9 \x93quoted\x94</title>"
                             "</item></channel></rss>";
  struct sheaf_collection *c = sheaf_collection_new();
  sheaf_diag *d = sheaf_diag_new();

  (void)state;
  assert_int_equal(import_all(c, d, feed), SHEAF_OK);
  assert_string_equal(c->articles[0]->title,
                      "caf\xC3\xA9 \xE2\x80\x9Cquoted\xE2\x80\x9D");
  sheaf_collection_free(c);
  sheaf_diag_free(d);
}

/* ---- files ---------------------------------------------------------------------- */

static void test_path_errors(void **state)
{
  static const struct {
    const char *content; /* NULL: the file does not exist */
    sheaf_status st;
    const char *msg;
  } cases[] = {
      {NULL, SHEAF_ERR_IO, "cannot read"},
      {"<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>",
       SHEAF_ERR_FORMAT, "this is an SVG image, not a feed; sheaf reads RSS, Atom"},
      {"{\"items\": []}", SHEAF_ERR_FORMAT, "this is JSON, not a feed"},
      {"", SHEAF_ERR_FORMAT, "this is an empty file, not a feed"},
      /* Still broken after repair.c's repairs (mismatched tags, not truncation). */
      {"<rss><channel><item><title>x</b></item></channel></rss>", SHEAF_ERR_PARSE,
       "malformed XML"},
  };
  char path[64];
  size_t i;

  (void)state;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct sheaf_collection *c = sheaf_collection_new();
    sheaf_diag *d = sheaf_diag_new();
    snprintf(path, sizeof path, "test_import_%ld_%zu.tmp", (long)getpid(), i);
    if (cases[i].content) {
      FILE *f = fopen(path, "wb");
      assert_non_null(f);
      fputs(cases[i].content, f);
      fclose(f);
    }
    /* One article already there must survive the failed import. */
    assert_int_equal(import_str(c, d,
                                "<rss><channel><item><title>kept</title></item>"
                                "</channel></rss>"),
                     SHEAF_OK);
    assert_int_equal(sheaf_import_path(c, path, NULL, d), cases[i].st);
    assert_true(has_diag(d, SHEAF_ERROR, cases[i].msg, NULL));
    assert_int_equal(c->narticles, 1);
    assert_int_equal(c->nfeeds, 1);
    assert_string_equal(c->articles[0]->title, "kept");
    if (cases[i].content)
      remove(path);
    sheaf_collection_free(c);
    sheaf_diag_free(d);
  }
}

/* A folder is walked in name order; files that are not articles are noted
 * and skipped, hidden files and other extensions are passed over. */
static void test_folder(void **state)
{
  static const struct {
    const char *name, *content;
  } files[] = {
      {"b.rss", "<rss><channel><item><title>second</title></item></channel></rss>"},
      {"a.xml", "<rss><channel><item><title>first</title></item></channel></rss>"},
      {"logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"},
      {"map.xml", "<?xml version=\"1.0\"?><urlset/>"},
      {".hidden.rss", "<rss><channel><item><title>hidden</title></item></channel></rss>"},
      {"notes.txt", "not read"},
  };
  char dir[64], path[128];
  struct sheaf_collection *c = sheaf_collection_new();
  sheaf_diag *d = sheaf_diag_new();
  size_t i;

  (void)state;
  snprintf(dir, sizeof dir, "test_import_dir_%ld", (long)getpid());
  assert_int_equal(mkdir(dir, 0755), 0);
  for (i = 0; i < sizeof files / sizeof files[0]; i++) {
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", dir, files[i].name);
    f = fopen(path, "wb");
    assert_non_null(f);
    fputs(files[i].content, f);
    fclose(f);
  }
  assert_int_equal(sheaf_import_path(c, dir, NULL, d), SHEAF_OK);
  assert_int_equal(c->narticles, 2);
  assert_string_equal(c->articles[0]->title, "first");
  assert_string_equal(c->articles[1]->title, "second");
  assert_true(
      has_diag(d, SHEAF_NOTE, "skipped: this is an XML document of another kind", NULL));
  for (i = 0; i < sizeof files / sizeof files[0]; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, files[i].name);
    remove(path);
  }
  rmdir(dir);
  sheaf_collection_free(c);
  sheaf_diag_free(d);
}

static void test_seed_feed(void **state)
{
  static const char path[] = CORPUS "/seed/focus-digital-economy.rss";
  static const struct {
    const char *title, *date;
  } expect[] = {
      {"How the digital economy transformed entrepreneurship in China",
       "2023-02-22T07:30:53Z"},
      {"How the UK can help China\xE2\x80\x99s digital transformation",
       "2023-01-12T07:30:39Z"},
  };
  struct sheaf_collection *c;
  sheaf_diag *d;
  char buf[32];
  size_t i;

  (void)state;
  if (access(path, R_OK) != 0)
    skip();
  c = sheaf_collection_new();
  d = sheaf_diag_new();
  assert_int_equal(sheaf_import_path(c, path, NULL, d), SHEAF_OK);
  assert_int_equal(sheaf_collection_count(c), 2);
  for (i = 0; i < 2; i++) {
    const struct sheaf_article *a = sheaf_collection_get(c, i);
    assert_string_equal(sheaf_article_get_title(a), expect[i].title);
    assert_string_equal(iso(a->published, buf), expect[i].date);
    assert_int_equal(sheaf_article_tag_count(a), 1);
    assert_string_equal(sheaf_article_get_tag_slug(a, 0), "digital-economy");
    assert_string_equal(sheaf_article_get_tag_name(a, 0), "digital economy");
    assert_non_null(a->body);
    assert_true(strncmp(a->body, "<p><strong>", 11) == 0 || i == 1);
    assert_non_null(a->summary);
    assert_true(a->line > 0);
    assert_string_equal(sheaf_article_get_source(a), path);
  }
  assert_int_equal(c->feeds[0]->archive_tag->kind, SHEAF_TAG_TAG);
  assert_int_equal(sheaf_diag_count_severity(d, SHEAF_ERROR), 0);
  sheaf_collection_free(c);
  sheaf_diag_free(d);
}

/* Real feeds from the corpus: they must import (or be refused) without
 * crashing; run under valgrind this also checks for leaks. */
static void test_corpus_spot_check(void **state)
{
  static const char *const files[] = {
      CORPUS "/feedjira/spec/sample_feeds/AmazonWebServicesBlog.xml",
      CORPUS "/feedjira/spec/sample_feeds/FeedBurnerXHTML.xml",
      CORPUS "/feedjira/spec/sample_feeds/TechCrunch.xml",
      CORPUS "/feedjira/spec/sample_feeds/SamRuby.xml",
      CORPUS "/feedjira/spec/sample_feeds/InvalidDateFormat.xml",
      CORPUS "/feedjira/spec/sample_feeds/RSSWithComments.xml",
      CORPUS "/feedjira/spec/sample_feeds/youtube_atom.xml",
      CORPUS "/feedjira/spec/sample_feeds/itunes.xml",
      CORPUS "/feedjira/spec/sample_feeds/json_feed.json",
      CORPUS "/feedjira/spec/sample_feeds/AtomEscapedHTMLInPreTag.xml",
  };
  size_t i, seen = 0;

  (void)state;
  for (i = 0; i < sizeof files / sizeof files[0]; i++) {
    struct sheaf_collection *c;
    sheaf_diag *d;
    sheaf_status st;
    if (access(files[i], R_OK) != 0)
      continue;
    seen++;
    c = sheaf_collection_new();
    d = sheaf_diag_new();
    st = sheaf_import_path(c, files[i], NULL, d);
    if (strstr(files[i], ".json"))
      assert_int_equal(st, SHEAF_ERR_FORMAT);
    else if (strstr(files[i], "InvalidDate") == NULL)
      assert_true(st != SHEAF_OK || c->narticles > 0);
    sheaf_collection_free(c);
    sheaf_diag_free(d);
  }
  if (seen == 0)
    skip();
}

static int cmp_str(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A folder's names come in strcmp order, hidden ones left out, whether
 * they fit in memory or were sorted in runs through a temporary file (a
 * run of 300 bytes: many runs of a few names; 80,000: two, the first
 * longer than one read, so names cross the reads' edges; 0: the default,
 * all in memory here). */
static void test_folder_names(void **state)
{
  enum { N = 4000 };
  char dir[] = "/tmp/sheaf-names-XXXXXX", path[128], *want[N];
  size_t runs[] = {300, 80000, 0}, r, i;

  (void)state;
  assert_non_null(mkdtemp(dir));
  srand(7);
  for (i = 0; i < N; i++) {
    char name[80];
    size_t k, len = 1 + (size_t)rand() % 60;
    for (k = 0; k < len; k++)
      name[k] = "abcXYZ019-_ \xc3\xa9"[rand() % 14];
    /* Distinct, and none hidden: a number ends each name. */
    snprintf(name + len, sizeof name - len, "%zu", i);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
    want[i] = strdup(name);
  }
  snprintf(path, sizeof path, "%s/.hidden", dir);
  fclose(fopen(path, "w"));
  qsort(want, N, sizeof *want, cmp_str);
  for (r = 0; r < sizeof runs / sizeof *runs; r++) {
    struct sheaf_names nm;
    const char *name;
    DIR *d = opendir(dir);
    assert_non_null(d);
    assert_int_equal(sheaf_names_read(&nm, d, runs[r]), SHEAF_OK);
    closedir(d);
    assert_true(runs[r] == 0 ? nm.nruns == 0 : nm.nruns > 1);
    for (i = 0; (name = sheaf_names_next(&nm)) != NULL; i++) {
      assert_true(i < N);
      assert_string_equal(name, want[i]);
    }
    assert_int_equal(i, N);
    assert_int_equal(nm.err, SHEAF_OK);
    assert_null(sheaf_names_next(&nm));
    sheaf_names_fini(&nm);
  }
  for (i = 0; i < N; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, want[i]);
    assert_int_equal(unlink(path), 0);
    free(want[i]);
  }
  snprintf(path, sizeof path, "%s/.hidden", dir);
  unlink(path);
  assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sniff),
      cmocka_unit_test(test_folder_names),
      cmocka_unit_test(test_items),
      cmocka_unit_test(test_feed_fields),
      cmocka_unit_test(test_empty_item_warns),
      cmocka_unit_test(test_archive_tag),
      cmocka_unit_test(test_xxe),
      cmocka_unit_test(test_billion_laughs),
      cmocka_unit_test(test_malformed),
      cmocka_unit_test(test_blank_lines_before_declaration),
      cmocka_unit_test(test_not_a_feed_root),
      cmocka_unit_test(test_mojibake),
      cmocka_unit_test(test_latin1),
      cmocka_unit_test(test_path_errors),
      cmocka_unit_test(test_folder),
      cmocka_unit_test(test_seed_feed),
      cmocka_unit_test(test_corpus_spot_check),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
