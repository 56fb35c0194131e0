/*
 * This file contains the unit tests of the layout stage's HTML sanitizer:
 * a table of inputs with strings the output must and must not contain
 * (dangerous constructs gone, content and structure kept, content models
 * repaired), a check that every output is well-formed XML, the image and
 * cruft diagnostics, and a pathologically deep input.
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
#include <libxml/parser.h>

#include "layout/layout.h"

#define BASE "https://example.com/blog/post/"

struct tcase {
  const char *in;
  const char *must[6];
  const char *must_not[6];
};

static const struct tcase cases[] = {
    /* dangerous constructs */
    {"<p>a<script>alert(1)</script>b</p>", {"<p>ab</p>"}, {"script", "alert"}},
    {"<style>p{color:red}</style><p>x</p>", {"<p>x</p>"}, {"style", "color"}},
    {"<iframe src=\"https://evil\">fallback</iframe><p>x</p>",
     {"<p>x</p>"},
     {"iframe", "evil", "fallback"}},
    {"<object data=\"x.swf\"><param name=a value=b><embed src=x.swf></object>t",
     {"t"},
     {"object", "embed", "param", "swf"}},
    {"<body onload=\"evil()\"><p onclick=\"evil()\" onmouseover='x'>hi</p>"
     "<img src=x onerror=\"evil()\" alt=\"pic\">",
     {"<p>hi</p>", "pic"},
     {"onload", "onclick", "onerror", "evil", "onmouseover"}},
    {"<a href=\"javascript:alert(1)\">j</a>", {"<a>j</a>"}, {"javascript", "href"}},
    /* hosts: a truncated attribute that swallowed markup loses its href (the
     * text stays); internationalized names are written in their IDNA form */
    {"<a href=\"http://www.lalecheleag...</div></body>\">t</a>",
     {"<a>t</a>"},
     {"href", "%3C"}},
    {"<a href=\"https://b\xC3\xBC"
     "cher.example/x\">i</a>",
     {"href=\"https://xn--bcher-kva.example/x\""},
     {"%C3"}},
    /* UTS #46 maps (BÜCHER is bücher); IDNA2008 refuses emoji, and the
     * link goes (with a warning, see test_bad_host) */
    {"<a href=\"https://B\xC3\x9C"
     "CHER.de/\">u</a>",
     {"href=\"https://xn--bcher-kva.de/\""},
     {"%C3", "BCHER"}},
    {"<a href=\"https://\xF0\x9F\x9A\x80-science.com/?p=1\">r</a>",
     {"<a>r</a>"},
     {"%F0", "href"}},
    {"<a href=\"http://a..b/\">d</a>", {"<a>d</a>"}, {"href"}},
    {"<a href=\"JaVaScRiPt:alert(1)\">j</a>", {"<a>j</a>"}, {"avaScRi", "href"}},
    {"<a href=\" java\tscript:alert(1)\">j</a>", {"<a>j</a>"}, {"script", "href"}},
    {"<a href=\"java&#x09;script:alert(1)\">j</a>", {"<a>j</a>"}, {"script", "href"}},
    {"<a href=\"&#106;&#97;vascript:alert(1)\">j</a>", {"<a>j</a>"}, {"script", "href"}},
    /* libxml2 does not know &colon;: the value stays a harmless relative URL */
    {"<a href=\"&#x6A;avascript&colon;alert(1)\">j</a>",
     {"j</a>"},
     {"href=\"javascript", "javascript:"}},
    {"<a href=\"\x01javascript:alert(1)\">j</a>", {"<a>j</a>"}, {"script", "href"}},
    {"<a href=\"vbscript:msgbox(1)\">v</a>", {"<a>v</a>"}, {"vbscript", "href"}},
    {"<a href=\"data:text/html;base64,PHNjcmlwdD4=\">d</a>",
     {"<a>d</a>"},
     {"data:", "href"}},
    {"<form action=\"/x\"><input name=q value=secret><button>Go</button>"
     "<select><option>o1</option></select><textarea>tt</textarea>label</form>",
     {"<div>label</div>"},
     {"input", "button", "secret", "o1", "tt", "action"}},
    {"<meta http-equiv=\"refresh\" content=\"0;url=https://evil\"><p>x</p>",
     {"<p>x</p>"},
     {"meta", "refresh", "evil"}},
    {"<base href=\"https://evil/\"><a href=\"x\">x</a>",
     {"href=\"https://example.com/blog/post/x\""},
     {"evil", "base"}},
    {"<svg><script>alert(1)</script><text>s</text></svg><p>x</p>",
     {"<p>x</p>"},
     {"svg", "alert", "script"}},
    {"<p style=\"width: expression(alert(1))\">x</p>",
     {"<p>x</p>"},
     {"style", "expression"}},
    {"<p lang=fr xml:lang=fr target=_blank rel=nofollow data-x=1 class=\" k \">x</p>",
     {"<p class=\"k\">x</p>"},
     {"lang", "target", "rel", "data-x"}},
    {"<!-- secret --><p>x<![CDATA[c]]></p><?php echo 1 ?>",
     {"<p>x"},
     {"secret", "php", "<!"}},
    {"<math><mi>x</mi></math><noscript><p>ns</p></noscript>ok",
     {"ok"},
     {"math", "ns<", "noscript"}},
    {"<p dir=\"evil\" title=\"t\">x</p><p dir=rtl>y</p>",
     {"<p title=\"t\">x</p>", "<p dir=\"rtl\">y</p>"},
     {"evil"}},
    /* allowed content kept */
    {"<p>Hello <em>big</em> <strong>world</strong></p>",
     {"<p>Hello <em>big</em> <strong>world</strong></p>"},
     {NULL}},
    {"<ul><li>one</li><li>two</li></ul><ol start=3 reversed><li>a</li></ol>",
     {"<ul><li>one</li><li>two</li></ul>", "<ol start=\"3\" reversed=\"reversed\">"},
     {NULL}},
    /* Headings sit one level below the chapter's own <h1>, h6 stays h6. */
    {"<h1>Top</h1><h2>Head</h2><h3 id=sub>Sub</h3><h5>5</h5><h6>6</h6>",
     {"<h2>Top</h2>", "<h3>Head</h3>", "<h4 id=\"sub\">Sub</h4>", "<h6>5</h6>",
      "<h6>6</h6>"},
     {"<h1", "<h5"}},
    {"<a href=\"../other/\">rel</a> <a href=\"/root\">root</a> <a href=\"#sec\">f</a>"
     "<a href=\"mailto:a@b.c\">m</a><h2 id=\"sec\">S</h2>",
     {"href=\"https://example.com/blog/other/\"", "href=\"https://example.com/root\"",
      "href=\"#sec\"", "href=\"mailto:a@b.c\""},
     {NULL}},
    {"<a href=\"#missing\">m</a>", {"<a>m</a>"}, {"missing"}},
    {"<a href=\"https://x.org/a b\">s</a>", {"href=\"https://x.org/a%20b\""}, {NULL}},
    {"<blockquote cite=\"https://q.org/\"><p>quoted</p></blockquote>",
     {"<blockquote cite=\"https://q.org/\"><p>quoted</p></blockquote>"},
     {NULL}},
    {"<pre>  line 1\n    line 2\n</pre>", {"  line 1\n    line 2\n</pre>"}, {NULL}},
    {"<p><b><i><u>deep</u></i></b> <code>c</code> <sub>2</sub><sup>3</sup></p>",
     {"<b><i><u>deep</u></i></b>", "<code>c</code>", "<sub>2</sub><sup>3</sup>"},
     {NULL}},
    {"<center>c</center><font color=red>f</font><big>b</big><strike>s</strike>"
     "<tt>t</tt><acronym title=\"x\">A</acronym>",
     {"<div>c</div>", "f", "<span>b</span>", "<s>s</s>", "<code>t</code>",
      "<abbr title=\"x\">A</abbr>"},
     {"center", "font", "color", "strike", "acronym"}},
    {"<p>a<br>b<hr>c</p>", {"a<br/>b"}, {"<br>", "<hr>"}},
    /* tables */
    {"<table><tr><td>1</td><td colspan=2 rowspan=x>2</td></tr></table>",
     {"<table><tr><td>1</td><td colspan=\"2\">2</td></tr></table>"},
     {"rowspan"}},
    {"<table><td>lonely</td></table>", {"<tr><td>lonely</td></tr>"}, {NULL}},
    {"<table>stray<tr><td>1</td></tr></table>", {"stray<table>"}, {NULL}},
    {"<table><tr>x<td>1</td></tr></table>", {"<tr><td>x</td><td>1</td></tr>"}, {NULL}},
    {"<table><caption>cap</caption></table>", {"cap"}, {"table", "caption"}},
    {"<table><tbody><tr><td>b</td></tr></tbody><thead><tr><th scope=col>h</th></tr>"
     "</thead></table>",
     {"<table><thead><tr><th scope=\"col\">h</th></tr></thead><tbody>"},
     {NULL}},
    /* content-model repairs */
    {"<p>a<div>x</div>b</p>", {"x"}, {"<p>a<div>"}},
    {"<span><p>x</p></span>", {"<p>x</p>"}, {"<span>"}},
    {"<p><ul><li>x</li></ul></p>", {"<li>x</li>"}, {"<p><ul>"}},
    {"<h2><div>hd</div></h2>", {"<h3>hd</h3>"}, {"<div>"}},
    {"<a href=\"https://a/\">1<a href=\"https://b/\">2</a></a>",
     {"1", "2"},
     {"<a href=\"https://a/\">1<a"}},
    {"<ul>text<li>x</li><p>para</p></ul>",
     {"<ul><li>text</li><li>x</li><li><p>para</p></li></ul>"},
     {NULL}},
    {"<dl><dt>t</dt>bare</dl>", {"<dl><dt>t</dt><dd>bare</dd></dl>"}, {NULL}},
    {"<li>orphan</li>", {"orphan"}, {"<li>"}},
    {"<figure><figcaption>c1</figcaption>x<figcaption>c2</figcaption>y</figure>",
     {"<figcaption>c1</figcaption>", "<div>c2</div>"},
     {NULL}},
    {"<p>bad\x01\x02 chars\x0b</p>", {"<p>bad chars</p>"}, {"\x01", "\x0b"}},
    {"<h1></h1>", {"<h2></h2>"}, {NULL}},
    /* ids */
    {"<p id=a>1</p><p id=a>2</p><p id=\"sheaf-chapter\">3</p><p id=\"9x\">4</p>"
     "<a name=\"n1\">n</a><p id=\"\">5</p>",
     {"id=\"a\"", "id=\"a-2\"", "id=\"xsheaf-chapter\"", "id=\"x9x\"", "id=\"n1\""},
     {"id=\"\"", "name="}},
    /* An anchor with both an id and a name keeps one id, whichever comes first
     * (two were not well-formed XML; found by fuzz_sanitize). */
    {"<a id=\"i1\" name=\"n2\">x</a><a name=\"n3\" id=\"i4\">y</a>",
     {"<a id=\"i1\">x</a>", "<a id=\"i4\">y</a>"},
     {"n2", "n3"}},
    /* cruft */
    {"<p>Body text.</p><p>The post <a href=\"https://s/p\">P</a> appeared first on "
     "<a href=\"https://s\">Site</a>.</p>",
     {"<p>Body text.</p>"},
     {"appeared first", "The post"}},
    {"<p>Before</p><div class=\"read-also\"><span class=\"read-also-label\">Read Also"
     "</span> <a href=\"https://s/x\">Other</a></div><p>After</p>",
     {"<p>Before</p>", "<p>After</p>"},
     {"Read Also", "Other"}},
    {"<p>Intro</p><p>Related: <a href=\"https://s/x\">One</a>, <a href=\"https://s/y\">"
     "Two</a></p>",
     {"<p>Intro</p>"},
     {"Related", "One"}},
    {"<p>Related: this matters, see <a href=\"https://s/x\">here</a></p>",
     {"Related: this matters"},
     {NULL}},
    /* The starts are told in pieces: a footer and a label split over
     * elements, white space (U+00A0 too) before them, a label after a link;
     * and text that is neither as soon as its first words are read. */
    {"<p>Body.</p><p>\xC2\xA0 T<b>he</b> <em>po</em>st <a href=\"https://s/p\">P</a> "
     "appeared first on <a href=\"https://s\">Site</a>.</p>",
     {"<p>Body.</p>"},
     {"appeared first"}},
    {"<p>Body.</p><p><a href=\"https://s/x\">One</a> &nbsp;<b>Re</b>LATED<i> posts</i>: "
     "<a href=\"https://s/y\">Two</a></p>",
     {"<p>Body.</p>"},
     {"One", "Two"}},
    {"<p>The post office <a href=\"https://s/p\">P</a> is closed.</p><p>Related posts "
     "<a href=\"https://s/y\">Two</a></p><p>See also: <a href=\"https://s/z\">Z</a>, "
     "Zed</p>",
     {"The post office", "Related posts ", "See also: "},
     {NULL}},
    {"<p>t</p><div class=\"sharedaddy sd-sharing-enabled\"><a href=\"https://f\">"
     "Share</a></div>",
     {"<p>t</p>"},
     {"Share", "sharedaddy"}},
};

static void check_wellformed(const char *out)
{
  static const char pre[] = "<body xmlns=\"http://www.w3.org/1999/xhtml\">";
  struct sheaf_buf b;
  xmlDocPtr doc;

  sheaf_buf_init(&b, 0);
  sheaf_buf_puts(&b, pre);
  sheaf_buf_puts(&b, out);
  sheaf_buf_puts(&b, "</body>");
  assert_false(b.failed);
  doc = xmlReadMemory(b.ptr, (int)b.len, "out.xml", "UTF-8",
                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (!doc)
    fail_msg("not well-formed XML: %s", out);
  xmlFreeDoc(doc);
  sheaf_buf_fini(&b);
}

static char *run(const char *in, sheaf_diag *diag)
{
  struct sheaf_layout_src src = {
      .base_url = BASE, .file = "feed.rss", .line = 7, .diag = diag};
  struct sheaf_buf out;
  char *r;

  sheaf_buf_init(&out, 0);
  assert_int_equal(sheaf_layout_sanitize(in, strlen(in), &src, &out), SHEAF_OK);
  check_wellformed(out.ptr);
  r = sheaf_buf_detach(&out, NULL);
  assert_non_null(r);
  return r;
}

static void test_table(void **state)
{
  size_t i, j, bad = 0;

  (void)state;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    sheaf_diag *diag = sheaf_diag_new();
    char *out = run(cases[i].in, diag);
    for (j = 0; j < 6 && cases[i].must[j]; j++)
      if (!strstr(out, cases[i].must[j])) {
        print_error("case %zu: missing \"%s\" in: %s\n", i, cases[i].must[j], out);
        bad++;
      }
    for (j = 0; j < 6 && cases[i].must_not[j]; j++)
      if (strstr(out, cases[i].must_not[j])) {
        print_error("case %zu: unwanted \"%s\" in: %s\n", i, cases[i].must_not[j], out);
        bad++;
      }
    sheaf_free(out);
    sheaf_diag_free(diag);
  }
  assert_int_equal(bad, 0);
}

static size_t count_code(sheaf_diag *diag, const char *code)
{
  size_t i, n = 0;

  for (i = 0; i < sheaf_diag_count(diag); i++)
    if (strcmp(sheaf_diag_get(diag, i)->code, code) == 0)
      n++;
  return n;
}

static void test_images(void **state)
{
  sheaf_diag *diag = sheaf_diag_new();
  const sheaf_diag_entry *e;
  char *out;

  (void)state;
  /* Without an image registry nothing is read: every image is missing, each
   * with one warning that says why, and a placeholder shows it: its alt
   * text, else its file name, linked to the original when on the web. */
  out = run("<p>A <img src=\"https://cdn/a.jpg\" alt=\"a cat\"> and "
            "<img src=\"https://cdn/b.jpg\" alt=\"\"><img src=\"c.jpg\"></p>",
            diag);
  assert_string_equal(
      out, "<p>A <span class=\"sheaf-missing-image\"><span class=\"sheaf-missing-kind\">"
           "Image: </span><a href=\"https://cdn/a.jpg\">a cat</a></span> and "
           "<span class=\"sheaf-missing-image\"><span class=\"sheaf-missing-kind\">"
           "Image: </span><a href=\"https://cdn/b.jpg\">b.jpg</a></span>"
           "<span class=\"sheaf-missing-image\"><span class=\"sheaf-missing-kind\">"
           "Image: </span><a "
           "href=\"https://example.com/blog/post/c.jpg\">c.jpg</a></span></p>");
  assert_int_equal(count_code(diag, "missing-image"), 3);
  e = sheaf_diag_get(diag, 0);
  assert_int_equal(e->severity, SHEAF_WARNING);
  assert_non_null(strstr(e->message, "https://cdn/a.jpg"));
  assert_non_null(strstr(e->message, "remote"));
  assert_non_null(strstr(e->message, "a placeholder shows its alt text"));
  assert_non_null(strstr(sheaf_diag_get(diag, 1)->message, "no alt text"));
  sheaf_free(out);
  sheaf_diag_free(diag);

  /* Neighbouring alt texts (a gallery) and the words around them stay
   * apart, with a space where a word meets a placeholder (text extraction
   * and read-aloud would join them); punctuation after an image stays
   * glued to it. */
  diag = sheaf_diag_new();
  out = run(
      "<p>See<img src=\"https://cdn/a.jpg\" alt=\"one\"><img src=\"https://cdn/b.jpg\" "
      "alt=\"two\">then <img src=\"https://cdn/c.jpg\" alt=\"three\">, "
      "and<img src=\"https://cdn/d.jpg\" alt=\" four \">more</p>",
      diag);
  /* Each in a placeholder of its own, the words around them kept. */
  assert_non_null(strstr(out, "<p>See <span class=\"sheaf-missing-image\">"));
  assert_non_null(strstr(out, ">one</a></span><span class=\"sheaf-missing-image\">"));
  assert_non_null(strstr(out, ">two</a></span> then <span"));
  assert_non_null(strstr(out, ">three</a></span>, and <span"));
  assert_non_null(strstr(out, ">four</a></span> more</p>"));
  sheaf_free(out);
  /* Linked thumbnails, a word after, an element before (from a review). */
  out = run(
      "<p><a href=\"https://a/\"><img src=\"https://cdn/a.jpg\" alt=\"three\"></a>"
      "<a href=\"https://b/\"><img src=\"https://cdn/b.jpg\" alt=\"four\"></a>\xC3\xBC"
      "ber <b>bold</b><img src=\"https://cdn/c.jpg\" alt=\"five\">.</p>",
      diag);
  /* Inside a link, no second link: the text alone. */
  assert_non_null(strstr(out, "Image: </span>three</span></a>"));
  assert_non_null(strstr(out, "Image: </span>four</span></a> \xC3\xBC"
                              "ber"));
  assert_non_null(strstr(out, "<b>bold</b><span class=\"sheaf-missing-image\">"));
  sheaf_free(out);
  /* No spaces added in CJK text; a <br> stays. */
  out = run(
      "<p>\xE5\x9B\xBE<img src=\"https://cdn/a.jpg\" alt=\"\xE7\x8C\xAB\">\xE3\x80\x82"
      "word<br><img src=\"https://cdn/b.jpg\" alt=\"X3\">,</p>",
      diag);
  assert_non_null(strstr(out, "\xE5\x9B\xBE<span class=\"sheaf-missing-image\">"));
  assert_non_null(strstr(out, ">\xE7\x8C\xAB</a></span>\xE3\x80\x82word<br/><span"));
  assert_non_null(strstr(out, ">X3</a></span>,</p>"));
  sheaf_free(out);
  /* A file name (Latin) before CJK text: apart, or "p.jpg\u5e74" is one
   * word to a search. */
  out = run("<p><img src=\"https://cdn/p.jpg\">\xE5\xB9\xB4\xE5\x89\x8D</p>", diag);
  assert_non_null(strstr(out, ">p.jpg</a></span> \xE5\xB9\xB4"));
  sheaf_free(out);
  sheaf_diag_free(diag);

  diag = sheaf_diag_new();
  out = run("<p>no images</p>", diag);
  assert_int_equal(count_code(diag, "missing-image"), 0);
  sheaf_free(out);
  sheaf_diag_free(diag);
}

/* The normal form links are matched in: scheme, www., default port,
 * trailing slash and fragment do not count; ?p=ID does, whatever else the
 * query holds. */
static void test_link_keys(void **state)
{
  static const struct {
    const char *a, *b;
    bool same;
  } keys[] = {
      {"https://blog.example.com/2023/02/post/",
       "http://www.blog.example.com/2023/02/post", true},
      {"https://blog.example.com/2023/02/post/",
       "https://BLOG.example.com:443/2023/02/post/#x", true},
      {"https://blog.example.com/?p=12",
       "http://blog.example.com/index.php?p=12&replytocom=3#c", true},
      {"https://blog.example.com/?p=12", "https://blog.example.com/?p=123", false},
      {"https://blog.example.com/a/", "https://blog.example.com/a/?page=2", false},
      {"https://blog.example.com/a/", "https://other.example.com/a/", false},
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof keys / sizeof *keys; i++) {
    bool nomem = false;
    char *x = sheaf_links_key(keys[i].a, &nomem), *y = sheaf_links_key(keys[i].b, &nomem);
    assert_non_null(x);
    assert_non_null(y);
    if ((strcmp(x, y) == 0) != keys[i].same)
      fail_msg("case %zu: %s vs %s", i, x, y);
    sheaf_free(x);
    sheaf_free(y);
  }
  {
    bool nomem = false;
    assert_null(sheaf_links_key("mailto:a@example.com", &nomem));
    assert_null(sheaf_links_key("#top", &nomem));
    assert_false(nomem);
  }
}

/* The map from article URLs to chapters at 100,000 articles whose URLs
 * share a long prefix and differ in a few digits (the WordPress pattern
 * that made libxml2's hash table chain): every URL finds its chapter, the
 * first article wins a shared URL, an id equal to the guid counts once,
 * misses stay misses, and lookups look at few slots on average and never
 * many. This guards the cost per lookup, which must not grow with the
 * book; it counts slots, not time. */
static void test_links_map(void **state)
{
  enum { N = 100000 };
  struct sheaf_article *arts = calloc(N, sizeof *arts);
  const struct sheaf_article **chapters = calloc(N, sizeof *chapters);
  struct sheaf_book book;
  struct sheaf_links *l;
  sheaf_status st;
  size_t i, probes = 0, most = 0;
  char url[128];
  bool nomem = false;

  (void)state;
  assert_non_null(arts);
  assert_non_null(chapters);
  for (i = 0; i < N; i++) {
    snprintf(url, sizeof url, "https://blog.example.org/2024/12/a-post-%zu/", i);
    arts[i].link = strdup(url);
    snprintf(url, sizeof url, "https://blog.example.org/?p=%zu", i);
    arts[i].guid = strdup(url);
    arts[i].id = arts[i].guid;
    chapters[i] = &arts[i];
  }
  /* Chapter 7 shares chapter 3's link (http, www., no slash): 3 wins. */
  free(arts[6].link);
  arts[6].link = strdup("http://www.blog.example.org/2024/12/a-post-2");
  memset(&book, 0, sizeof book);
  book.chapters = chapters;
  book.nchapters = N;
  l = sheaf_links_new(&book, &st);
  assert_non_null(l);
  assert_int_equal(st, SHEAF_OK);
  for (i = 0; i < N; i++) {
    size_t k;
    snprintf(url, sizeof url, "http://blog.example.org/2024/12/a-post-%zu#c", i);
    assert_int_equal(sheaf_links_find(l, url, &nomem), i == 6 ? 0 : i + 1);
    snprintf(url, sizeof url, "https://blog.example.org/index.php?p=%zu&x=1", i);
    assert_int_equal(sheaf_links_find(l, url, &nomem), i + 1);
    k = sheaf_links_probes(l, url);
    assert_true(k >= 1);
    probes += k;
    if (k > most)
      most = k;
    snprintf(url, sizeof url, "https://blog.example.org/?p=%zu", i + N);
    assert_int_equal(sheaf_links_find(l, url, &nomem), 0);
    k = sheaf_links_probes(l, url);
    probes += k;
    if (k > most)
      most = k;
  }
  assert_false(nomem);
  /* Runs of at most four entries on average under a directory slot: ~2
   * entries a hit or a miss; a directory that stopped growing with the
   * map, a binary search, or a hash that clustered these keys would pass
   * both bounds by far. */
  if (probes > (size_t)N * 2 * 4 || most > 200)
    fail_msg("links map: %zu slots for %d lookups, %zu at most", probes, 2 * N, most);
  assert_int_equal(
      sheaf_links_find(l, "https://blog.example.org/2024/12/a-post-2/", &nomem), 3);
  assert_int_equal(sheaf_links_find(l, "mailto:a@blog.example.org", &nomem), 0);
  assert_int_equal(sheaf_links_probes(l, "mailto:a@blog.example.org"), 0);
  sheaf_links_free(l);
  for (i = 0; i < N; i++) {
    free(arts[i].link);
    free(arts[i].guid);
  }
  free(arts);
  free(chapters);
}

static void write_file(const char *path, const void *p, size_t n)
{
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(p, 1, n, f), n);
  assert_int_equal(fclose(f), 0);
}

/* A registry resolves images beside the input file: lazy attributes win,
 * a <noscript> copy is a fallback used once, escapes and junk are refused
 * with their reason, equal bytes are stored once. */
static void test_image_registry(void **state)
{
  static const unsigned char gif[] = {
      'G',  'I', 'F', '8', '9', 'a',  1, 0, 1, 0,   0x80, 0, 0,   0xff, 0xff,
      0xff, 0,   0,   0,   '!', 0xf9, 4, 1, 0, 0,   0,    0, ',', 0,    0,
      0,    0,   1,   0,   1,   0,    0, 2, 2, 'D', 1,    0, ';'};
  static const char html[] =
      "<p><img src=\"placeholder.gif\" data-src=\"a.gif\" alt=\"one\"></p>"
      "<p><img src=\"gone.gif\" alt=\"two\"><noscript><img src=\"b.gif\" alt=\"two\">"
      "</noscript></p><p><img src=\"../etc/passwd\" alt=\"three\">"
      "<img src=\"text.png\" alt=\"four\"></p>";
  char dir[] = "/tmp/sheaf-test-images-XXXXXX", path[256], page[256];
  sheaf_diag *diag = sheaf_diag_new();
  sheaf_options opt;
  struct sheaf_images *im;
  struct sheaf_layout_src src;
  struct sheaf_buf out;
  sheaf_status st;
  size_t emb, miss;

  (void)state;
  assert_non_null(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/a.gif", dir);
  write_file(path, gif, sizeof gif);
  snprintf(path, sizeof path, "%s/b.gif", dir);
  write_file(path, gif, sizeof gif);
  snprintf(path, sizeof path, "%s/text.png", dir);
  write_file(path, "text", 4);
  snprintf(page, sizeof page, "%s/feed.rss", dir);
  sheaf_options_init(&opt);
  im = sheaf_images_new(NULL, &opt, diag, &st);
  assert_non_null(im);
  memset(&src, 0, sizeof src);
  src.base_url = "https://example.org/post/";
  src.file = page;
  src.diag = diag;
  src.images = im;
  sheaf_buf_init(&out, 0);
  assert_int_equal(sheaf_layout_sanitize(html, strlen(html), &src, &out), SHEAF_OK);
  check_wellformed(out.ptr);
  assert_string_equal(
      out.ptr,
      "<p><img src=\"../images/2daeaa8b5f19f0bc209d976c02bd6acb51b00b0a.gif\" "
      "alt=\"one\"/></p>"
      "<p><img src=\"../images/2daeaa8b5f19f0bc209d976c02bd6acb51b00b0a.gif\" "
      "alt=\"two\"/></p>"
      "<p><span class=\"sheaf-missing-image\"><span class=\"sheaf-missing-kind\">"
      "Image: </span><a href=\"https://example.org/etc/passwd\">three</a></span>"
      "<span class=\"sheaf-missing-image\"><span class=\"sheaf-missing-kind\">"
      "Image: </span><a href=\"https://example.org/post/text.png\">four</a>"
      "</span></p>");
  sheaf_images_count(im, &emb, &miss);
  assert_int_equal(emb, 2);
  assert_int_equal(miss, 2);
  assert_int_equal(count_code(diag, "missing-image"), 2);
  assert_non_null(strstr(sheaf_diag_get(diag, 0)->message, "outside the folders"));
  assert_non_null(
      strstr(sheaf_diag_get(diag, 1)->message, "not a JPEG, PNG, GIF or SVG"));
  sheaf_buf_fini(&out);
  sheaf_images_free(im);
  sheaf_diag_free(diag);
  snprintf(path, sizeof path, "%s/a.gif", dir);
  remove(path);
  snprintf(path, sizeof path, "%s/b.gif", dir);
  remove(path);
  snprintf(path, sizeof path, "%s/text.png", dir);
  remove(path);
  rmdir(dir);
}

static void test_cruft_notes(void **state)
{
  sheaf_diag *diag = sheaf_diag_new();
  char *out;

  (void)state;
  out = run("<p>x</p><p>The post <a href=\"https://a\">A</a> appeared first on "
            "<a href=\"https://b\">B</a>.</p><div class=\"addtoany\">s</div>"
            "<div class=\"share-buttons\">t</div>",
            diag);
  assert_string_equal(out, "<p>x</p>");
  assert_int_equal(count_code(diag, "cruft"), 2);
  sheaf_free(out);
  sheaf_diag_free(diag);
}

static void test_bad_host(void **state)
{
  sheaf_diag *diag = sheaf_diag_new();
  const sheaf_diag_entry *e;
  char *out;

  (void)state;
  out = run("<p><a href=\"https://b\xC3\xBC"
            "cher-.de/x\">kept text</a> and "
            "<a href=\"https://fa\xC3\x9F.de/\">ok</a></p>",
            diag);
  assert_string_equal(out, "<p><a>kept text</a> and "
                           "<a href=\"https://xn--fa-hia.de/\">ok</a></p>");
  assert_int_equal(count_code(diag, "bad-host"), 1);
  e = sheaf_diag_get(diag, 0);
  assert_string_equal(e->file, "feed.rss");
  assert_int_equal(e->line, 7);
  assert_non_null(strstr(e->message, "cher-.de/x"));
  sheaf_free(out);
  sheaf_diag_free(diag);
}

static void test_deep(void **state)
{
  const char *tags[] = {"<div>", "<span>", "<b><p>"};
  size_t t, i, depth = 100000;

  (void)state;
  for (t = 0; t < 3; t++) {
    struct sheaf_buf in;
    char *out;
    sheaf_buf_init(&in, 0);
    for (i = 0; i < depth; i++)
      sheaf_buf_puts(&in, tags[t]);
    sheaf_buf_puts(&in, "deep text");
    assert_false(in.failed);
    out = run(in.ptr, NULL);
    sheaf_free(out);
    sheaf_buf_fini(&in);
  }
}

static void test_empty(void **state)
{
  char *out;

  (void)state;
  out = run("", NULL);
  assert_string_equal(out, "");
  sheaf_free(out);
  out = run("plain text & more", NULL);
  assert_string_equal(out, "plain text &amp; more");
  sheaf_free(out);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_table),          cmocka_unit_test(test_images),
      cmocka_unit_test(test_link_keys),      cmocka_unit_test(test_links_map),
      cmocka_unit_test(test_image_registry), cmocka_unit_test(test_cruft_notes),
      cmocka_unit_test(test_bad_host),       cmocka_unit_test(test_deep),
      cmocka_unit_test(test_empty),
  };
  int rc = cmocka_run_group_tests(tests, NULL, NULL);

  xmlCleanupParser();
  return rc;
}
