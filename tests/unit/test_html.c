/*
 * Unit tests for the HTML page reader (src/import/html.c) and the older
 * feed dialects of the feed readers (rss.c, atom.c): RSS 1.0, RSS 0.90 and
 * 0.91, Atom 0.3, WordPress's category domains, the Dublin Core, iTunes and
 * Media RSS fallbacks, enclosure-only items and titles holding scripts. Table-driven:
 * each case is an input and what its first article must hold.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "import/import.h"

static const char *iso(int64_t t, char out[32])
{
  if (t == SHEAF_TIME_UNKNOWN)
    return "unknown";
  sheaf_date_format_iso(t, out);
  return out;
}

static bool has_diag(sheaf_diag *d, sheaf_severity sev, const char *needle)
{
  size_t i;

  for (i = 0; i < sheaf_diag_count(d); i++) {
    const sheaf_diag_entry *e = sheaf_diag_get(d, i);
    if (e->severity == sev && strstr(e->message, needle))
      return true;
  }
  return false;
}

/* Tags as "slug:k,slug:k" (k: t for a tag, c for a category). */
static void tag_list(const struct sheaf_article *a, char *out, size_t cap)
{
  size_t i, len = 0;

  out[0] = '\0';
  for (i = 0; i < a->ntags && len < cap; i++)
    len +=
        (size_t)snprintf(out + len, cap - len, "%s%s:%c", i ? "," : "", a->tags[i].slug,
                         a->tags[i].kind == SHEAF_TAG_TAG ? 't' : 'c');
}

/* What the first article read from an input must hold. NULL fields are not
 * checked, except `title`: NULL there means no article at all. */
struct expect {
  const char *name;
  const char *input;
  size_t count;
  const char *title;
  const char *date;    /* published, ISO, or "unknown" */
  const char *updated; /* ISO, or "unknown" */
  const char *author;  /* first author; "" for none */
  const char *tags;    /* see tag_list; "" for none */
  const char *lang;    /* "" for none */
  const char *link;    /* "" for none */
  const char *has;     /* in the body (or the summary, without a body) */
  const char *lacks;   /* not in it */
  const char *warning; /* a warning that must be given */
};

static void check(const struct expect *x, bool html)
{
  struct sheaf_collection *c = sheaf_collection_new();
  sheaf_diag *d = sheaf_diag_new();
  const struct sheaf_article *a;
  const char *body;
  char buf[32], tags[512];
  sheaf_status st;

  if (html) {
    /* As the import stage does: pages reach the reader decoded to UTF-8. */
    struct sheaf_input in;
    sheaf_input_borrow(&in, "page.html", x->input, strlen(x->input));
    st = sheaf_import_decode_input(&in, NULL, d);
    if (st == SHEAF_OK)
      st = sheaf_import_html(c, &in, NULL, d);
    sheaf_input_fini(&in);
  } else {
    /* Feeds too: decoded, then repaired, as the import stage does. */
    struct sheaf_input in;
    sheaf_input_borrow(&in, "feed.xml", x->input, strlen(x->input));
    st = sheaf_import_decode_input(&in, NULL, d);
    if (st == SHEAF_OK)
      st = sheaf_import_repair(&in, d);
    if (st == SHEAF_OK)
      st = sheaf_import_feed(c, &in, NULL, d);
    sheaf_input_fini(&in);
  }
  if (st != SHEAF_OK)
    fail_msg("%s: status %s", x->name, sheaf_status_name(st));
  if (x->warning && !has_diag(d, SHEAF_WARNING, x->warning))
    fail_msg("%s: no warning \"%s\"", x->name, x->warning);
  if (x->title == NULL) {
    if (c->narticles != 0)
      fail_msg("%s: %zu articles, expected none", x->name, c->narticles);
    goto out;
  }
  if (c->narticles != x->count)
    fail_msg("%s: %zu articles, expected %zu", x->name, c->narticles, x->count);
  a = c->articles[0];
  body = a->body ? a->body : a->summary ? a->summary : "";
  if (strcmp(a->title, x->title) != 0)
    fail_msg("%s: title \"%s\"", x->name, a->title);
  if (x->date && strcmp(iso(a->published, buf), x->date) != 0)
    fail_msg("%s: date %s", x->name, iso(a->published, buf));
  if (x->updated && strcmp(iso(a->updated, buf), x->updated) != 0)
    fail_msg("%s: updated %s", x->name, iso(a->updated, buf));
  if (x->author && strcmp(a->nauthors ? a->authors[0] : "", x->author) != 0)
    fail_msg("%s: author \"%s\"", x->name, a->nauthors ? a->authors[0] : "");
  tag_list(a, tags, sizeof tags);
  if (x->tags && strcmp(tags, x->tags) != 0)
    fail_msg("%s: tags \"%s\"", x->name, tags);
  if (x->lang && strcmp(a->language ? a->language : "", x->lang) != 0)
    fail_msg("%s: language \"%s\"", x->name, a->language ? a->language : "");
  if (x->link && strcmp(a->link ? a->link : "", x->link) != 0)
    fail_msg("%s: link \"%s\"", x->name, a->link ? a->link : "");
  if (x->has && strstr(body, x->has) == NULL)
    fail_msg("%s: body lacks \"%s\": %s", x->name, x->has, body);
  if (x->lacks && *x->lacks && strstr(body, x->lacks) != NULL)
    fail_msg("%s: body has \"%s\": %s", x->name, x->lacks, body);
  assert_non_null(a->id);
  assert_true(a->line > 0);
  if (html) {
    assert_string_equal(a->source, "page.html");
    assert_true(a->feed == SHEAF_NO_FEED);
    assert_int_equal(a->body_format, SHEAF_BODY_HTML);
  }
out:
  sheaf_collection_free(c);
  sheaf_diag_free(d);
}

/* ---- HTML pages ------------------------------------------------------------- */

#define HEAD "<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
/* A page without <article> or <main>, in its site's chrome. */
#define CHROME_PAGE                                                                      \
  HEAD "<title>T</title></head><body><header><a "                                        \
       "href=\"/\">SITE-NAME</a><nav>NAV-TEXT</nav>"                                     \
       "</header><div><p>BODY-TEXT</p><aside>PULL-QUOTE</aside><p>After.</p>"            \
       "<section><header>SECTION-HEAD</header><p>More.</p></section></div>"              \
       "<div role=\"complementary\">SIDE-A</div><aside>SIDE-B</aside>"                   \
       "<footer>FOOT-TEXT</footer></body></html>"

static const struct expect pages[] = {
    {"og:title wins over title and h1",
     HEAD "<title>Page title | Site</title><meta property=\"og:title\" content=\" OG  "
          "title \">"
          "</head><body><article><h1>Heading</h1><p>Text.</p></article></body></html>",
     1, "OG title", "unknown", "unknown", "", "", "", "", "<h1>Heading</h1>", NULL,
     "no date"},
    {"title without the site name; h1 repeating it removed",
     HEAD "<title>A walk | The Site</title><meta property=\"og:site_name\" content=\"The "
          "Site\">"
          "</head><body><article><h1>A walk</h1><p>Text.</p></article></body></html>",
     1, "A walk", NULL, NULL, NULL, NULL, NULL, NULL, "<p>Text.</p>", "<h1>", NULL},
    {"site name as a prefix of the title",
     HEAD "<title>The Site - A walk</title><meta property=\"og:site_name\" content=\"the "
          "site\">"
          "</head><body><p>Text.</p></body></html>",
     1, "A walk", NULL, NULL, NULL, NULL, NULL, NULL, "<p>Text.</p>", NULL, NULL},
    {"title whose h1 is its first part",
     HEAD "<title>Bees in winter \xE2\x80\x93 Apiary</title></head>"
          "<body><main><h1>Bees  in winter</h1><p>Text.</p></main></body></html>",
     1, "Bees in winter", NULL, NULL, NULL, NULL, NULL, NULL, "<p>Text.</p>", "<h1>",
     NULL},
    {"title unrelated to the h1 keeps the h1",
     HEAD "<title>Home</title></head><body><h1>Welcome</h1><p>Text.</p></body></html>", 1,
     "Home", NULL, NULL, NULL, NULL, NULL, NULL, "<h1>Welcome</h1>", NULL, NULL},
    {"h1 as the title, removed from the body",
     "<html><body><h1>Only  a heading</h1><p>Text &amp; more.</p></body></html>", 1,
     "Only a heading", NULL, NULL, NULL, NULL, NULL, NULL, "<p>Text &amp; more.</p>",
     "<h1", NULL},
    {"no title at all: the file name", "<html><body><p>Just text.</p></body></html>", 1,
     "page", NULL, NULL, NULL, NULL, NULL, NULL, "Just text.", NULL, "no title"},
    {"article wins over main and body",
     HEAD "<title>T</title></head><body><p>NAV-TEXT</p><main><p>MAIN-TEXT</p>"
          "<article><p>ARTICLE-TEXT</p></article></main></body></html>",
     1, "T", NULL, NULL, NULL, NULL, NULL, NULL, "<p>ARTICLE-TEXT</p>", "MAIN-TEXT",
     NULL},
    {"main wins over body",
     HEAD "<title>T</title></head><body><nav>NAV-TEXT</nav><main "
          "id=\"m\"><p>MAIN-TEXT</p></main>"
          "<footer>FOOT</footer></body></html>",
     1, "T", NULL, NULL, NULL, NULL, NULL, NULL, "<p>MAIN-TEXT</p>", "NAV-TEXT", NULL},
    {"role=main counts as main",
     HEAD
     "<title>T</title></head><body><div>NAV-TEXT</div><div role=\"main\"><p>MAIN-TEXT</p>"
     "</div></body></html>",
     1, "T", NULL, NULL, NULL, NULL, NULL, NULL, "<p>MAIN-TEXT</p>", "NAV-TEXT", NULL},
    {"the body when there is neither",
     HEAD
     "<title>T</title></head><body><p>One</p><pre>  two\n  three</pre></body></html>",
     1, "T", NULL, NULL, NULL, NULL, NULL, NULL, "<pre>  two\n  three</pre>", NULL, NULL},
    {"the body without the site's chrome: no page header", CHROME_PAGE, 1, "T", NULL,
     NULL, NULL, NULL, NULL, NULL, "<p>BODY-TEXT</p>", "SITE-NAME", NULL},
    {"the body without the site's chrome: no navigation", CHROME_PAGE, 1, "T", NULL, NULL,
     NULL, NULL, NULL, NULL, "More.", "NAV-TEXT", NULL},
    {"the body without the site's chrome: no role=complementary", CHROME_PAGE, 1, "T",
     NULL, NULL, NULL, NULL, NULL, NULL, "More.", "SIDE-A", NULL},
    {"the body without the site's chrome: no aside", CHROME_PAGE, 1, "T", NULL, NULL,
     NULL, NULL, NULL, NULL, "More.", "SIDE-B", NULL},
    {"the body without the site's chrome: an aside among paragraphs is text", CHROME_PAGE,
     1, "T", NULL, NULL, NULL, NULL, NULL, NULL, "<aside>PULL-QUOTE</aside>", "SIDE-B",
     NULL},
    {"the body without the site's chrome: no page footer, a section's header kept",
     CHROME_PAGE, 1, "T", NULL, NULL, NULL, NULL, NULL, NULL, "SECTION-HEAD", "FOOT-TEXT",
     NULL},
    {"the chrome stays when it is all the text there is",
     HEAD "<title>T</title></head><body><header><p>ONLY-TEXT</p></header></body></html>",
     1, "T", NULL, NULL, NULL, NULL, NULL, NULL, "ONLY-TEXT", NULL, NULL},
    {"a date in the page header is read before the header goes",
     HEAD
     "<title>T</title></head><body><header><time datetime=\"2024-05-06\">6 May</time>"
     "</header><p>Text.</p></body></html>",
     1, "T", "2024-05-06T00:00:00Z", NULL, NULL, NULL, NULL, NULL, "<p>Text.</p>",
     "6 May", NULL},
    {"Open Graph and article metadata",
     HEAD
     "<title>x</title>"
     "<meta property=\"og:title\" content=\"Hedges\">"
     "<meta property=\"article:published_time\" content=\"2024-02-17T09:30:00+01:00\">"
     "<meta property=\"article:modified_time\" content=\"2024-02-20T12:00:00Z\">"
     "<meta property=\"article:author\" content=\"https://fb.example/dora\">"
     "<meta property=\"article:author\" content=\"Dora Quill\">"
     "<meta property=\"article:tag\" content=\"Winter work\">"
     "<meta property=\"article:tag\" content=\"Hedges\">"
     "<meta property=\"article:section\" content=\"Garden\">"
     "<meta name=\"keywords\" content=\" billhook, hedges ,,Midland style\">"
     "<meta property=\"og:url\" content=\"https://ex.org/og\">"
     "</head><body><article><p>Text.</p></article></body></html>",
     1, "Hedges", "2024-02-17T08:30:00Z", "2024-02-20T12:00:00Z", "Dora Quill",
     "winter-work:t,hedges:t,garden:c,billhook:t,midland-style:t", NULL,
     "https://ex.org/og", NULL, NULL, NULL},
    {"time datetime inside the article, author meta",
     HEAD
     "<title>T</title><meta name=\"author\" content=\"Ann  Lee\">"
     "<meta name=\"date\" content=\"2020-01-01\"></head><body><time "
     "datetime=\"2019-05-05\">"
     "outside</time><article><p>By <a rel=\"author\" href=\"/b\">Bob</a> on "
     "<time datetime=\"2023-03-04T05:06:07Z\">4 March</time></p></article></body></html>",
     1, "T", "2023-03-04T05:06:07Z", NULL, "Ann Lee", "", NULL, NULL, "4 March", NULL,
     NULL},
    {"DC.date meta and a rel=author link",
     HEAD "<title>T</title><meta name=\"DC.date\" content=\"2022-11-30\"></head><body>"
          "<p>By <a rel=\"author noopener\" href=\"/b\">Bob Stone</a></p></body></html>",
     1, "T", "2022-11-30T00:00:00Z", NULL, "Bob Stone", NULL, NULL, NULL, NULL, NULL,
     NULL},
    {"a date not understood",
     HEAD "<title>T</title><meta property=\"article:published_time\" content=\"soon\">"
          "</head><body><p>x</p></body></html>",
     1, "T", "unknown", NULL, NULL, NULL, NULL, NULL, NULL, NULL, "date not understood"},
    {"html lang",
     "<!DOCTYPE html><html "
     "lang=\"de-AT\"><head><title>T</title></head><body><p>x</p></body></html>",
     1, "T", NULL, NULL, NULL, NULL, "de-AT", NULL, NULL, NULL, NULL},
    {"og:locale as the language",
     HEAD "<title>T</title><meta property=\"og:locale\" content=\"en_GB\"></head>"
          "<body><p>x</p></body></html>",
     1, "T", NULL, NULL, NULL, NULL, "en-GB", NULL, NULL, NULL, NULL},
    {"canonical wins over og:url",
     HEAD "<title>T</title><meta property=\"og:url\" content=\"https://ex.org/og\">"
          "<link rel=\"canonical\" href=\" https://ex.org/canon "
          "\"></head><body><p>x</p></body></html>",
     1, "T", NULL, NULL, NULL, NULL, NULL, "https://ex.org/canon", NULL, NULL, NULL},
    {"relative canonical resolved against base",
     HEAD "<title>T</title><base href=\"https://ex.org/blog/\">"
          "<link rel=\"canonical\" href=\"post/1\"></head><body><p>x</p></body></html>",
     1, "T", NULL, NULL, NULL, NULL, NULL, "https://ex.org/blog/post/1", NULL, NULL,
     NULL},
    {"relative canonical without a base is no link",
     HEAD "<title>T</title><link rel=\"canonical\" href=\"/post/1\"></head>"
          "<body><p>x</p></body></html>",
     1, "T", NULL, NULL, NULL, NULL, NULL, "", NULL, NULL, NULL},
    {"scripts stay raw in the body; text outside the article is left",
     HEAD "<title>T</title><script>var HEAD_SCRIPT = 1;</script></head><body>"
          "<div>OUTSIDE</div><article><p>Before.</p><script>document.write('x')</script>"
          "<p onclick=\"evil()\">After.</p></article></body></html>",
     1, "T", NULL, NULL, NULL, NULL, NULL, NULL, "<script>document.write('x')</script>",
     "OUTSIDE", NULL},
    {"latin-1 declared in a meta",
     "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; "
     "charset=iso-8859-1\">"
     "<title>Caf\xE9</title></head><body><p>\x93quoted\x94 na\xEFve</p></body></html>",
     1, "Caf\xC3\xA9", NULL, NULL, NULL, NULL, NULL, NULL,
     "\xE2\x80\x9Cquoted\xE2\x80\x9D na\xC3\xAFve", NULL, NULL},
    {"UTF-8 without a declaration",
     "<html><head><title>Caf\xC3\xA9</title></head><body><p>\xC3\xBC</p></body></html>",
     1, "Caf\xC3\xA9", NULL, NULL, NULL, NULL, NULL, NULL, "\xC3\xBC", NULL, NULL},
    {"undeclared bytes that are not UTF-8 are guessed (here Windows-1252)",
     "<html><head><title>\x93"
     "Caf\xE9\x94</title></head><body><p>A na\xEFve "
     "r\xE9sum\xE9 \x96 d\xE9j\xE0 vu, \xE0 la fa\xE7on de la cr\xE8me br\xFBl\xE9"
     "e.</p>"
     "</body></html>",
     1,
     "\xE2\x80\x9C"
     "Caf\xC3\xA9\xE2\x80\x9D",
     NULL, NULL, NULL, NULL, NULL, NULL,
     "na\xC3\xAFve r\xC3\xA9sum\xC3\xA9 \xE2\x80\x93 d\xC3\xA9j\xC3\xA0", "",
     "not UTF-8"},
    {"a page with no text is skipped",
     HEAD "<title>Redirecting</title><meta http-equiv=\"refresh\" content=\"0; url=/x\">"
          "<script>location = '/x';</script></head><body>  <script>var a;</script>"
          "<img src=\"x.png\"></body></html>",
     0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "no text"},
    {"a page whose only text is the title heading is skipped",
     "<html><body><article><h1>Title only</h1></article></body></html>", 0, NULL, NULL,
     NULL, NULL, NULL, NULL, NULL, NULL, NULL, "no text"},
};

static void test_pages(void **state)
{
  size_t i;

  (void)state;
  for (i = 0; i < sizeof pages / sizeof *pages; i++)
    check(&pages[i], true);
}

/* Folders of pages go through sheaf_import_path like any input. */
static void test_page_via_path(void **state)
{
  struct sheaf_collection *c = sheaf_collection_new();
  sheaf_diag *d = sheaf_diag_new();
  char path[] = "/tmp/sheaf-html-XXXXXX";
  int fd = mkstemp(path);
  FILE *f;

  (void)state;
  assert_true(fd >= 0);
  f = fdopen(fd, "w");
  assert_non_null(f);
  fputs("<!DOCTYPE html>\n<html>\n<head><title>From a file</title></head>\n<body>\n"
        "<p>Read through the dispatch.</p>\n</body></html>\n",
        f);
  fclose(f);
  assert_int_equal(sheaf_import_path(c, path, NULL, d), SHEAF_OK);
  assert_int_equal(c->narticles, 1);
  assert_string_equal(c->articles[0]->title, "From a file");
  assert_int_equal(c->articles[0]->line, 4);
  assert_int_equal(c->nfeeds, 0);
  remove(path);
  sheaf_collection_free(c);
  sheaf_diag_free(d);
}

/* ---- older feed dialects -------------------------------------------------------- */

#define RDF_HEAD                                                                         \
  "<?xml version=\"1.0\"?><rdf:RDF "                                                     \
  "xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "                           \
  "xmlns=\"http://purl.org/rss/1.0/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "    \
  "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">"                          \
  "<channel rdf:about=\"https://r.org/\"><title>R</title><link>https://r.org/</link>"    \
  "<items><rdf:Seq><rdf:li "                                                             \
  "rdf:resource=\"https://r.org/1\"/></rdf:Seq></items></channel>"
#define ATOM03_HEAD                                                                      \
  "<?xml version=\"1.0\"?><feed version=\"0.3\" xmlns=\"http://purl.org/atom/ns#\">"     \
  "<title>O</title><link rel=\"alternate\" type=\"text/html\" href=\"https://o.org/\"/>" \
  "<tagline>Tag line</tagline><author><name>Feed Author</name></author>"

static const struct expect feeds[] = {
    {"RSS 1.0 item with content:encoded and Dublin Core",
     RDF_HEAD "<item rdf:about=\"https://r.org/1\"><title>One &amp; two</title>"
              "<link>https://r.org/1</link><description>Short.</description>"
              "<content:encoded><![CDATA[<p>Full <b>text</b>.</p>]]></content:encoded>"
              "<dc:date>2024-04-09T19:40:00+01:00</dc:date><dc:creator>Ruth</dc:creator>"
              "<dc:subject>Tides</dc:subject><dc:subject>Birds</dc:subject></item>"
              "<item rdf:about=\"https://r.org/2\"><title>Two</title>"
              "<description>d</description></item></rdf:RDF>",
     2, "One & two", "2024-04-09T18:40:00Z", NULL, "Ruth", "tides:c,birds:c", NULL,
     "https://r.org/1", "<p>Full <b>text</b>.</p>", NULL, NULL},
    {"RSS 1.0 with a prefixed default namespace",
     "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
     "xmlns:rss=\"http://purl.org/rss/1.0/\"><rss:channel><rss:title>P</rss:title></"
     "rss:channel>"
     "<rss:item><rss:title>Prefixed</rss:title><rss:description>d</rss:description></"
     "rss:item>"
     "</rdf:RDF>",
     1, "Prefixed", "unknown", NULL, "", "", NULL, "", "d", NULL, NULL},
    {"Netscape RSS 0.90",
     "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
     "xmlns=\"http://my.netscape.com/rdf/simple/0.9/\"><channel><title>N</title>"
     "<link>http://n.org/</link></channel><item><title>Old news</title>"
     "<link>http://n.org/1</link></item><item><title>Older</title></item></rdf:RDF>",
     2, "Old news", "unknown", NULL, NULL, NULL, NULL, "http://n.org/1", NULL, NULL,
     NULL},
    {"RSS 0.91 with a DOCTYPE and entities in a description",
     "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
     "<!DOCTYPE rss PUBLIC \"-//Netscape Communications//DTD RSS 0.91//EN\" "
     "\"http://my.netscape.com/publish/formats/rss-0.91.dtd\">\n"
     "<rss version=\"0.91\"><channel><title>A</title><link>http://a.net/</link>"
     "<description>d</description><language>en-us</language>"
     "<item><title>Caf\xE9</title><link>http://a.net/1.html</link>"
     "<description>&lt;p&gt;Hot &amp;amp; "
     "cold&lt;/p&gt;</description></item></channel></rss>",
     1, "Caf\xC3\xA9", "unknown", NULL, "", "", NULL, "http://a.net/1.html",
     "<p>Hot &amp; cold</p>", NULL, NULL},
    {"RSS 0.92 categories and a WordPress domain",
     "<rss version=\"0.92\"><channel><title>W</title><item><title>Cats</title>"
     "<description>d</description>"
     "<category domain=\"category\" nicename=\"news-and-views\">News &amp; "
     "views</category>"
     "<category domain=\"post_tag\" nicename=\"apples\">Apples</category>"
     "<category domain=\"http://www.example.com/cats\">Misc/Sub</category>"
     "<category>Plain</category></item></channel></rss>",
     1, "Cats", NULL, NULL, NULL, "news-and-views:c,apples:t,misc-sub:c,plain:c", NULL,
     NULL, NULL, NULL, NULL},
    {"Atom 0.3 escaped content, issued and modified, feed author",
     ATOM03_HEAD
     "<entry><title>Grafting</title>"
     "<link rel=\"alternate\" type=\"application/atom+xml\" "
     "href=\"https://o.org/g.atom\"/>"
     "<link rel=\"alternate\" type=\"text/html\" href=\"https://o.org/g\"/>"
     "<id>tag:o.org,2024:g</id><issued>2024-03-15T10:00:00+01:00</issued>"
     "<modified>2024-03-16T09:00:00Z</modified><created>2024-03-14T20:00:00Z</created>"
     "<content type=\"text/html\" mode=\"escaped\">&lt;p&gt;Six &lt;b&gt;scions&lt;/b&gt;"
     "&lt;/p&gt;</content></entry></feed>",
     1, "Grafting", "2024-03-15T09:00:00Z", "2024-03-16T09:00:00Z", "Feed Author", "",
     NULL, "https://o.org/g", "<p>Six <b>scions</b></p>", NULL, NULL},
    {"Atom 0.3 inline xml content, created only",
     ATOM03_HEAD
     "<entry><title mode=\"escaped\" type=\"text/html\">Pressing &amp;amp; day</title>"
     "<link rel=\"alternate\" type=\"application/atom+xml\" "
     "href=\"https://o.org/p.atom\"/>"
     "<created>2024-10-01T12:00:00Z</created>"
     "<content type=\"text/html\" mode=\"xml\"><p xmlns=\"http://www.w3.org/1999/xhtml\">"
     "Forty <em>litres</em></p></content></entry></feed>",
     1, "Pressing & day", "2024-10-01T12:00:00Z", NULL, NULL, NULL, NULL,
     "https://o.org/p.atom", "Forty <em>litres</em>", NULL, NULL},
    {"Atom 0.3 base64 content and title",
     ATOM03_HEAD
     "<entry><title mode=\"base64\">UXVpbmNl</title>"
     "<content type=\"text/html\" mode=\"base64\">\n"
     "  PHA+VGhlIHF1aW5jZXMgdHVybmVkIHBpbmsgYWZ0ZXIgdGhyZWUgaG91cnMuPC9wPg==\n"
     "</content></entry></feed>",
     1, "Quince", NULL, NULL, NULL, NULL, NULL, NULL,
     "<p>The quinces turned pink after three hours.</p>", NULL, NULL},
    {"Atom 0.3 base64 that is not",
     ATOM03_HEAD "<entry><title>Bad</title><summary>Kept summary</summary>"
                 "<content mode=\"base64\">not*base64</content></entry></feed>",
     1, "Bad", NULL, NULL, NULL, NULL, NULL, NULL, "Kept summary", NULL, "not base64"},
    /* Titles and bodies found only in an extension (issue 4's corpus run). */
    {"RSS dc:title and dc:description (Dublin Core 1.0) as fallbacks",
     "<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.0/\"><channel><item>"
     "<dc:title>Entry Title</dc:title><dc:description>Entry "
     "&lt;b&gt;body&lt;/b&gt;</dc:description>"
     "<dc:creator>Dee</dc:creator></item></channel></rss>",
     1, "Entry Title", NULL, NULL, "Dee", NULL, NULL, NULL, "Entry <b>body</b>", NULL,
     NULL},
    /* A dc:description that says something else joins the description
     * (issue 13: every word); one that repeats it would be dropped. */
    {"RSS title wins over dc:title and media:title; description first",
     "<rss xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
     "xmlns:media=\"http://search.yahoo.com/mrss/\">"
     "<channel><item><media:title>M</media:title><dc:title>D</dc:title><title>T</title>"
     "<dc:description>dd</dc:description><description>Real</description></item></"
     "channel></rss>",
     1, "T", NULL, NULL, NULL, NULL, NULL, NULL, "Real\ndd", NULL, NULL},
    {"RSS media:title and media:description inside media:group",
     "<rss xmlns:media=\"http://search.yahoo.com/mrss\"><channel><item><media:group>"
     "<media:content url=\"https://m.org/v.mp4\"/><media:title type=\"plain\">a "
     "&lt;b&gt; c</media:title>"
     "<media:description>x &lt; "
     "y</media:description></media:group></item></channel></rss>",
     1, "a <b> c", NULL, NULL, NULL, NULL, NULL, NULL, "<p>x &lt; y</p>", NULL, NULL},
    {"RSS itunes:summary (namespace URI in another case) and itunes:title",
     "<rss xmlns:itunes=\"http://www.itunes.com/DTDs/Podcast-1.0.dtd\"><channel><item>"
     "<itunes:title>Episode 1</itunes:title><itunes:subtitle>Sub</itunes:subtitle>"
     "<itunes:summary>Example &amp; summary</itunes:summary></item></channel></rss>",
     /* A subtitle that says something else is kept after the summary. */
     1, "Episode 1", NULL, NULL, NULL, NULL, NULL, NULL,
     "<p>Example &amp; summary</p>\n\n<p>Sub</p>", NULL, NULL},
    {"RSS item with only an enclosure lists the file",
     "<rss><channel><item><enclosure url=\"https://p.org/cast/ep1.mp3?a=1&amp;b=2\" "
     "type=\"audio/mpeg\" length=\"9\"/></item><item><title>Two</title>"
     "<enclosure url=\"https://p.org/ep2.mp3\"/></item>"
     "<item><enclosure url=\"javascript:alert(1)\"/></item></channel></rss>",
     2, "ep1.mp3", NULL, NULL, NULL, NULL, NULL, NULL,
     "<li><a href=\"https://p.org/cast/ep1.mp3?a=1&amp;b=2\">ep1.mp3</a> (audio/mpeg, 1 "
     "KB)",
     NULL, "no title"},
    {"RSS title with a script keeps the text around it, not the script",
     "<rss><channel><item><title>safe&lt;script&gt;alert('x')&lt;/script&gt; "
     "&lt;STYLE&gt;p{}&lt;/STYLE&gt;description &amp;amp; "
     "more</title></item></channel></rss>",
     1, "safe description & more", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL},
    {"Atom 0.3 escaped title with a script and comments",
     ATOM03_HEAD
     "<entry><title type=\"text/html\" mode=\"escaped\">&lt;!-- &lt;script&gt; --&gt;"
     "Crazy&lt;script\n\n&gt;function f() { return 1 &lt; 2; }&lt;/script&gt; "
     "&lt;h1&gt;title&lt;/h1&gt;</title><content>c</content></entry></feed>",
     1, "Crazy title", NULL, NULL, NULL, NULL, NULL, NULL, "c", NULL, NULL},
    {"Atom xhtml title with an inline script",
     ATOM03_HEAD
     "<entry><title type=\"application/xhtml+xml\" mode=\"xml\">"
     "<div xmlns=\"http://www.w3.org/1999/xhtml\">safe<script>location.href='x';</script>"
     " <em>des</em>cription</div></title><content>c</content></entry></feed>",
     1, "safe description", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL},
    {"Atom entry whose title is only a stripped tag, with content, is kept untitled",
     ATOM03_HEAD
     "<entry><title type=\"text/html\" mode=\"escaped\">&lt;img src=\"x.jpg\" "
     "onabort=\"alert(1)\" /&gt;</title><content>Body</content></entry></feed>",
     1, "", NULL, NULL, NULL, NULL, NULL, NULL, "Body", NULL, NULL},
    {"Atom entry whose title is only a stripped tag, without content, is skipped",
     ATOM03_HEAD
     "<entry><title type=\"text/html\" mode=\"escaped\">&lt;img src=\"x.jpg\" "
     "onabort=\"alert(1)\" /&gt;</title></entry></feed>",
     0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "no title and no content"},
    {"Atom entry with Media RSS only (YouTube)",
     "<feed xmlns=\"http://www.w3.org/2005/Atom\" "
     "xmlns:media=\"http://search.yahoo.com/mrss/\">"
     "<entry><id>yt:video:1</id><media:group><media:title>Clip</media:title>"
     "<media:content url=\"https://y.org/v/1\"/><media:description>Line one\n\nLine two"
     "</media:description></media:group></entry></feed>",
     1, "Clip", NULL, NULL, NULL, NULL, NULL, NULL, "<p>Line one</p>\n<p>Line two</p>",
     NULL, NULL},
};

static void test_feeds(void **state)
{
  size_t i;

  (void)state;
  for (i = 0; i < sizeof feeds / sizeof *feeds; i++)
    check(&feeds[i], false);
}

static void test_old_feed_fields(void **state)
{
  struct sheaf_collection *c = sheaf_collection_new();
  sheaf_diag *d = sheaf_diag_new();
  const char *x = ATOM03_HEAD "<entry><title>e</title></entry></feed>";
  struct sheaf_input in;

  (void)state;
  sheaf_input_borrow(&in, "f.xml", x, strlen(x));
  assert_int_equal(sheaf_import_feed(c, &in, NULL, d), SHEAF_OK);
  assert_string_equal(c->feeds[0]->title, "O");
  assert_string_equal(c->feeds[0]->link, "https://o.org/");
  assert_string_equal(c->feeds[0]->description, "Tag line");
  x = "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
      "xmlns=\"http://purl.org/rss/1.0/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
      "<channel><title>R</title><dc:language> en-GB </dc:language></channel>"
      "<item><title>i</title></item></rdf:RDF>";
  sheaf_input_borrow(&in, "r.rdf", x, strlen(x));
  assert_int_equal(sheaf_import_feed(c, &in, NULL, d), SHEAF_OK);
  assert_string_equal(c->feeds[1]->language, "en-GB");
  sheaf_collection_free(c);
  sheaf_diag_free(d);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_pages),
      cmocka_unit_test(test_page_via_path),
      cmocka_unit_test(test_feeds),
      cmocka_unit_test(test_old_feed_fields),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
