/*
 * Unit tests for the WordPress helpers of src/import: autop.c (wpautop's
 * paragraphs and line breaks), shortcode.c (caption, gallery, media links,
 * unknown and escaped shortcodes) and the WXR reader's choices (post types,
 * statuses, passwords, tags, dates, authors, the uploads map).
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

#include "import/import.h"

/* ---- autop ------------------------------------------------------------------ */

static const struct {
  const char *in;
  bool br;
  const char *out;
} autop_cases[] = {
    {"Hello", true, "<p>Hello</p>"},
    {"", true, ""},
    {"   \n  \n", true, ""},
    {"a\nb", true, "<p>a<br />\nb</p>"},
    {"a\nb", false, "<p>a\nb</p>"},
    {"a\n\nb", true, "<p>a</p>\n<p>b</p>"},
    {"a\n\n\n\nb", true, "<p>a</p>\n<p>b</p>"},               /* 3+ blank lines */
    {"a\r\nb\r\n\r\nc", true, "<p>a<br />\nb</p>\n<p>c</p>"}, /* CRLF */
    {"a\rb", true, "<p>a<br />\nb</p>"},                      /* old Mac */
    {"a  \nb", true, "<p>a<br />\nb</p>"},                    /* trailing spaces */
    {"a \n \nb", true,
     "<p>a </p>\n<p>b</p>"}, /* blank line of spaces; WP trims only newlines */
    {"<pre>x\n\ny</pre>", true, "<pre>x\n\ny</pre>"},
    {"a\n<pre>x\ny</pre>\nb", true, "<p>a</p>\n<pre>x\ny</pre>\n<p>b</p>"},
    {"<ul>\n<li>one</li>\n<li>two\n<ul>\n<li>x</li>\n</ul>\n</li>\n</ul>", true,
     "<ul>\n<li>one</li>\n<li>two\n<ul>\n<li>x</li>\n</ul>\n</li>\n</ul>"},
    {"<blockquote>q1\n\nq2</blockquote>", true,
     "<blockquote><p>q1</p>\n<p>q2</p></blockquote>"},
    {"Some <em>mixed</em> and <a href=\"x\">link</a>\ntext", true,
     "<p>Some <em>mixed</em> and <a href=\"x\">link</a><br />\ntext</p>"},
    {"<div>in div</div>", true, "<div>in div</div>"},
    {"<div>\ntext\n</div>", true, "<div>\ntext\n</div>"},
    {"<div>text\n\nmore</div>", true, "<div>text\n<p>more</p></div>"},
    {"text<!-- more -->\nmore", true, "<p>text<!-- more --><br />\nmore</p>"},
    {"<!-- a\n\nb -->", true, "<p><!-- a\n\nb --></p>"}, /* comment kept whole */
    {"<h2>T</h2>\npara", true, "<h2>T</h2>\n<p>para</p>"},
    {"<table>\n<tr>\n<td>x</td>\n</tr>\n</table>", true,
     "<table>\n<tr>\n<td>x</td>\n</tr>\n</table>"},
    {"a<br>\n<br/>b", true, "<p>a</p>\n<p>b</p>"}, /* two <br> */
    {"<hr>after", true, "<hr>\n<p>after</p>"},
    {"<p>already</p>", true, "<p>already</p>"},
    {"[gallery]\n\ntext", true, "[gallery]\n<p>text</p>"},         /* shortcode alone */
    {"<img src=\"a\nb\" />", true, "<p><img src=\"a\nb\" /></p>"}, /* newline in a tag */
    {"<script>a\n\nb</script>", true, "<p><script>a\n\nb</script></p>"},
    {"<figure><img src=\"x\"/><figcaption>c</figcaption></figure>", true,
     "<figure><img src=\"x\"/><figcaption>c</figcaption></figure>"},
    {"x\n<select>\n<option>1</option>\n</select>", true,
     "<p>x</p>\n<select><option>1</option></select>"},
    {"a < b\n\nc", true, "<p>a < b</p>\n<p>c</p>"},
    {"<PRE>x\ny</PRE>", true, "<PRE>x\ny</PRE>"},
};

static void test_autop_table(void **state)
{
  size_t i;

  (void)state;
  for (i = 0; i < sizeof autop_cases / sizeof *autop_cases; i++) {
    char *out = sheaf_import_autop(autop_cases[i].in, strlen(autop_cases[i].in),
                                   autop_cases[i].br);
    assert_non_null(out);
    if (strcmp(out, autop_cases[i].out) != 0)
      print_error("autop case %zu: %s\n  got  [%s]\n  want [%s]\n", i, autop_cases[i].in,
                  out, autop_cases[i].out);
    assert_string_equal(out, autop_cases[i].out);
    sheaf_free(out);
  }
}

/* ---- shortcodes ------------------------------------------------------------- */

static const struct sheaf_wp_attachment atts[] = {
    {10, 5, 2, "http://ex.com/wp-content/uploads/2020/01/b.jpg", NULL, NULL},
    {11, 5, 1, "http://ex.com/wp-content/uploads/2020/01/a.png", NULL, NULL},
    {12, 5, 0, "http://ex.com/wp-content/uploads/2020/01/doc.pdf", NULL, NULL},
    {13, 6, 0, "http://ex.com/c.gif", NULL, NULL},
    {14, 7, 0, "http://ex.com/d.jpg", "A <em>red</em> door", "A door \"painted\" red"},
    {15, 7, 1, "http://ex.com/e.jpg", NULL, "Steps & rail"},
    /* An id the export lists twice: the first is the one shown. */
    {16, 8, 0, "http://ex.com/first.jpg", NULL, NULL},
    {16, 8, 0, "http://ex.com/second.jpg", NULL, NULL},
};

static const struct {
  const char *in, *out;
} sc_cases[] = {
    {"[caption id=\"attachment_6\" align=\"alignright\" width=\"300\"]<a "
     "href=\"http://ex.com/x\">"
     "<img src=\"x.jpg\" alt=\"\" /></a> The caption[/caption]",
     "<figure class=\"wp-caption alignright\"><a href=\"http://ex.com/x\"><img "
     "src=\"x.jpg\" "
     "alt=\"\" /></a><figcaption class=\"wp-caption-text\">The "
     "caption</figcaption></figure>"},
    {"[caption id=\"a\" align=\"aligncenter\" width=\"640\" caption=\"Old form\"]<img "
     "src=\"y.jpg\" />[/caption]",
     "<figure class=\"wp-caption aligncenter\"><img src=\"y.jpg\" /><figcaption "
     "class=\"wp-caption-text\">Old form</figcaption></figure>"},
    {"[gallery ids=\"13,10\"]",
     "<figure class=\"gallery\"><img src=\"http://ex.com/c.gif\" alt=\"\"/><img "
     "src=\"http://ex.com/wp-content/uploads/2020/01/b.jpg\" alt=\"\"/></figure>"},
    /* No ids: the post's images by menu order (the PDF is no image). */
    {"[gallery]", "<figure class=\"gallery\"><img "
                  "src=\"http://ex.com/wp-content/uploads/2020/01/a.png\" "
                  "alt=\"\"/><img src=\"http://ex.com/wp-content/uploads/2020/01/b.jpg\" "
                  "alt=\"\"/></figure>"},
    {"[gallery columns=\"3\" exclude=\"11\"]",
     "<figure class=\"gallery\"><img "
     "src=\"http://ex.com/wp-content/uploads/2020/01/b.jpg\" "
     "alt=\"\"/></figure>"},
    {"[gallery ids=\"99\"]", ""},
    {"[gallery ids=\"16\"]", "<figure class=\"gallery\"><img "
                             "src=\"http://ex.com/first.jpg\" alt=\"\"/></figure>"},
    {"[gallery ids=\"13,13,13\"]",
     "<figure class=\"gallery\"><img src=\"http://ex.com/c.gif\" alt=\"\"/></figure>"},
    /* Captions (the attachment's excerpt) and alt texts (its postmeta). */
    {"[gallery ids=\"14,15\"]",
     "<figure class=\"gallery\"><figure class=\"gallery-item\"><img "
     "src=\"http://ex.com/d.jpg\" "
     "alt=\"A door &quot;painted&quot; red\"/><figcaption class=\"gallery-caption\">A "
     "<em>red</em> "
     "door</figcaption></figure><img src=\"http://ex.com/e.jpg\" alt=\"Steps &amp; "
     "rail\"/></figure>"},
    {"[embed]https://www.youtube.com/watch?v=abc[/embed]",
     "<p class=\"wp-media\">Media: <a href=\"https://www.youtube.com/watch?v=abc\">"
     "https://www.youtube.com/watch?v=abc</a></p>"},
    {"[video width=\"640\" mp4=\"http://ex.com/v.mp4\"][/video]",
     "<p class=\"wp-media\">Video: <a "
     "href=\"http://ex.com/v.mp4\">http://ex.com/v.mp4</a></p>"},
    {"[audio src=\"http://ex.com/a.mp3\"]",
     "<p class=\"wp-media\">Audio: <a "
     "href=\"http://ex.com/a.mp3\">http://ex.com/a.mp3</a></p>"},
    {"[audio http://ex.com/b.mp3]",
     "<p class=\"wp-media\">Audio: <a "
     "href=\"http://ex.com/b.mp3\">http://ex.com/b.mp3</a></p>"},
    {"[youtube=http://y.com/w?v=y&amp;w=1]",
     "<p class=\"wp-media\">Video: <a "
     "href=\"http://y.com/w?v=y&amp;w=1\">http://y.com/w?v=y&amp;w=1</a></p>"},
    {"a [foo]inner[/foo] b [foo] c [bar x=\"1\"/] d", "a inner b  c  d"},
    {"[[gallery]] and [[foo]x[/foo]]",
     "&#91;gallery&#93; and &#91;foo&#93;x&#91;/foo&#93;"},
    {"see [1] and [ ] and [2a] and [a-b", "see [1] and [ ] and [2a] and [a-b"},
    {"[simple boat] prose", "[simple boat] prose"},
    {"<pre>[gallery]</pre> <code>[foo]</code> <a title=\"[foo]\">",
     "<pre>[gallery]</pre> <code>[foo]</code> <a title=\"[foo]\">"},
    {"[nested][caption]<img src=\"z\"/> cap[/caption][/nested]",
     "<figure class=\"wp-caption\"><img src=\"z\"/> <figcaption "
     "class=\"wp-caption-text\">cap</figcaption></figure>"},
};

static void test_shortcode_table(void **state)
{
  struct sheaf_shortcode_ctx ctx;
  sheaf_diag *d = sheaf_diag_new();
  size_t i;

  (void)state;
  memset(&ctx, 0, sizeof ctx);
  ctx.att = atts;
  ctx.natt = sizeof atts / sizeof *atts;
  ctx.post_id = 5;
  ctx.diag = d;
  ctx.file = "mem.xml";
  for (i = 0; i < sizeof sc_cases / sizeof *sc_cases; i++) {
    char *out = sheaf_import_shortcodes(&ctx, sc_cases[i].in, strlen(sc_cases[i].in));
    assert_non_null(out);
    if (strcmp(out, sc_cases[i].out) != 0)
      print_error("shortcode case %zu: %s\n  got  [%s]\n  want [%s]\n", i, sc_cases[i].in,
                  out, sc_cases[i].out);
    assert_string_equal(out, sc_cases[i].out);
    sheaf_free(out);
  }
  /* One warning per name: foo, bar, nested. */
  assert_int_equal(ctx.nwarned, 3);
  /* A post of many galleries with a large caption stops growing at 16
   * times its size (+64 KB), with one warning. */
  {
    static char cap[100001];
    struct sheaf_wp_attachment big = {20, 9, 0, "http://ex.com/big.jpg", cap, NULL};
    struct sheaf_shortcode_ctx c2 = ctx;
    struct sheaf_buf in;
    char *out;
    size_t k;
    memset(cap, 'c', sizeof cap - 1);
    c2.att = &big;
    c2.natt = 1;
    c2.warned = NULL;
    c2.nwarned = c2.warned_cap = 0;
    c2.by_id = c2.by_parent = NULL; /* ctx's indexes are of other attachments */
    sheaf_buf_init(&in, 0);
    for (k = 0; k < 100; k++)
      sheaf_buf_puts(&in, "[gallery ids=\"20\"]");
    out = sheaf_import_shortcodes(&c2, in.ptr, in.len);
    assert_non_null(out);
    assert_true(strlen(out) <= 16 * in.len + 65536 + sizeof cap + 200);
    assert_true(c2.over);
    sheaf_free(out);
    sheaf_buf_fini(&in);
    sheaf_shortcode_ctx_fini(&c2);
  }
  /* Media links are labelled in the site's language. */
  ctx.labels = sheaf_labels_for("es-ES");
  {
    const char *in = "[video src=\"http://ex.com/v.mp4\"]";
    char *out = sheaf_import_shortcodes(&ctx, in, strlen(in));
    assert_non_null(out);
    assert_string_equal(out, "<p class=\"wp-media\">V\xC3\xAD"
                             "deo: <a href=\"http://ex.com/v.mp4\">"
                             "http://ex.com/v.mp4</a></p>");
    sheaf_free(out);
  }
  sheaf_shortcode_ctx_fini(&ctx);
  sheaf_diag_free(d);
}

/* ---- the WXR reader ---------------------------------------------------------- */

static const char export_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<rss version=\"2.0\" xmlns:excerpt=\"http://wordpress.org/export/1.2/excerpt/\"\n"
    " xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"\n"
    " xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
    "xmlns:wp=\"http://wordpress.org/export/1.2/\">\n"
    "<channel><title>Site</title><link>http://ex.com</link><language>en-GB</language>\n"
    "<wp:base_site_url>http://ex.com</wp:base_site_url>\n"
    "<wp:author><wp:author_login>jo\n</"
    "wp:author_login><wp:author_display_name><![CDATA[Jo Bloggs]]>"
    "</wp:author_display_name></wp:author>\n"
    "<item><title>First</title><dc:creator>jo</dc:creator>\n"
    "<content:encoded><![CDATA[One\n\nTwo [gallery] <img "
    "src=\"http://ex.com/wp-content/uploads/2020/01/a-300x200.png\"/>]]></"
    "content:encoded>\n"
    "<excerpt:encoded><![CDATA[Short]]></excerpt:encoded>\n"
    "<wp:post_id>5</wp:post_id><wp:post_date>2020-01-02 10:00:00</wp:post_date>\n"
    "<wp:post_date_gmt>2020-01-02 09:00:00</wp:post_date_gmt>\n"
    "<wp:post_modified_gmt>0000-00-00 00:00:00</wp:post_modified_gmt>\n"
    "<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>\n"
    "<category domain=\"post_tag\" nicename=\"big-cats\"><![CDATA[Big "
    "Cats]]></category>\n"
    "<category domain=\"category\" nicename=\"news\"><![CDATA[News]]></category>\n"
    "<category domain=\"post_format\" "
    "nicename=\"post-format-aside\"><![CDATA[Aside]]></category>\n"
    "</item>\n"
    "<item><title>Blocks</title><content:encoded><![CDATA[<!-- wp:paragraph "
    "-->\n<p>x</p>\n"
    "<!-- /wp:paragraph -->]]></content:encoded><wp:post_id>6</wp:post_id>\n"
    "<wp:post_date>2020-02-01 08:00:00</wp:post_date><wp:status>publish</wp:status>"
    "<wp:post_type>post</wp:post_type></item>\n"
    "<item><title>Draft</title><content:encoded>d</content:encoded><wp:post_id>7</"
    "wp:post_id>"
    "<wp:status>draft</wp:status><wp:post_type>post</wp:post_type></item>\n"
    "<item><title>Trash</title><content:encoded>t</content:encoded><wp:post_id>8</"
    "wp:post_id>"
    "<wp:status>trash</wp:status><wp:post_type>post</wp:post_type></item>\n"
    "<item><title>Secret</title><content:encoded>s</content:encoded><wp:post_id>9</"
    "wp:post_id>"
    "<wp:status>publish</wp:status><wp:post_password>pw</wp:post_password>"
    "<wp:post_type>post</wp:post_type></item>\n"
    "<item><title>About</title><content:encoded>page</content:encoded><wp:post_id>3</"
    "wp:post_id>"
    "<wp:status>publish</wp:status><wp:post_type>page</wp:post_type></item>\n"
    "<item><title>a.png</title><wp:post_id>11</wp:post_id><wp:post_parent>5</"
    "wp:post_parent>"
    "<wp:status>inherit</wp:status><wp:post_type>attachment</wp:post_type>"
    "<wp:attachment_url>http://ex.com/wp-content/uploads/2020/01/a.png</"
    "wp:attachment_url></item>\n"
    "<item><title>gone.png</title><wp:post_id>12</wp:post_id><wp:post_parent>5</"
    "wp:post_parent>"
    "<wp:status>inherit</wp:status><wp:post_type>attachment</wp:post_type>"
    "<wp:attachment_url>http://ex.com/wp-content/uploads/2020/01/gone.png</"
    "wp:attachment_url></item>\n"
    "</channel></rss>\n";

static sheaf_status import_export(struct sheaf_collection *c, sheaf_diag *d,
                                  const char *path, const sheaf_options *opt)
{
  struct sheaf_input in;

  sheaf_input_borrow(&in, path, export_xml, strlen(export_xml));
  in.on_disk = true; /* its uploads folder may sit beside it */
  return sheaf_import_wxr(c, &in, opt, d);
}

static void test_wxr_posts(void **state)
{
  sheaf_collection *c = sheaf_collection_new();
  sheaf_diag *d = sheaf_diag_new();
  struct sheaf_article *a;
  char day[32];

  (void)state;
  assert_int_equal(import_export(c, d, "mem.xml", NULL), SHEAF_OK);
  assert_int_equal(c->narticles, 2);
  a = c->articles[0];
  assert_string_equal(a->title, "First");
  assert_string_equal(a->guid, "http://ex.com/?p=5");
  assert_int_equal(a->nauthors, 1);
  assert_string_equal(a->authors[0], "Jo Bloggs");
  sheaf_date_format_iso(a->published, day);
  assert_string_equal(day, "2020-01-02T09:00:00Z");
  assert_true(a->updated == SHEAF_TIME_UNKNOWN);
  assert_int_equal(a->ntags, 2);
  assert_string_equal(a->tags[0].slug, "big-cats");
  assert_int_equal(a->tags[0].kind, SHEAF_TAG_TAG);
  assert_string_equal(a->tags[1].name, "News");
  assert_int_equal(a->tags[1].kind, SHEAF_TAG_CATEGORY);
  /* Autop, and the gallery from the attachment that follows the post. */
  assert_non_null(strstr(a->body, "<p>One</p>\n<p>Two "));
  assert_non_null(strstr(a->body,
                         "<figure class=\"gallery\"><img "
                         "src=\"http://ex.com/wp-content/uploads/2020/01/a.png\""));
  assert_string_equal(a->summary, "<p>Short</p>");
  assert_string_equal(c->feeds[0]->title, "Site");
  assert_string_equal(c->feeds[0]->language, "en-GB");
  /* Block content is kept as it is; a local date only is read as UTC. */
  a = c->articles[1];
  assert_string_equal(a->body, "<!-- wp:paragraph -->\n<p>x</p>\n<!-- /wp:paragraph -->");
  sheaf_date_format_iso(a->published, day);
  assert_string_equal(day, "2020-02-01T08:00:00Z");
  assert_int_equal(c->feeds[0]->nassets, 0); /* no uploads folder beside mem.xml */
  sheaf_collection_free(c);
  sheaf_diag_free(d);
}

static void test_wxr_options(void **state)
{
  sheaf_collection *c = sheaf_collection_new();
  sheaf_diag *d = sheaf_diag_new();
  sheaf_options opt;
  const char *const types[] = {"page", "post"};

  (void)state;
  sheaf_options_init(&opt);
  opt.flags |= SHEAF_OPT_INCLUDE_DRAFTS;
  opt.post_types = types;
  opt.npost_types = 2;
  assert_int_equal(import_export(c, d, "mem.xml", &opt), SHEAF_OK);
  /* First, Blocks, Draft, Secret, About; never Trash. */
  assert_int_equal(c->narticles, 5);
  assert_string_equal(c->articles[2]->title, "Draft");
  assert_string_equal(c->articles[3]->title, "Secret");
  assert_string_equal(c->articles[4]->title, "About");
  sheaf_collection_free(c);
  sheaf_diag_free(d);
}

static void test_wxr_uploads(void **state)
{
  char dir[] = "/tmp/sheaf-wxr-XXXXXX", path[256];
  sheaf_collection *c = sheaf_collection_new();
  sheaf_diag *d = sheaf_diag_new();
  struct sheaf_feed *f;
  FILE *fp;
  static const char *const files[] = {"uploads/2020/01/a.png",
                                      "uploads/2020/01/a-300x200.png"};
  size_t i;

  (void)state;
  assert_non_null(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/uploads", dir);
  assert_int_equal(mkdir(path, 0700), 0);
  snprintf(path, sizeof path, "%s/uploads/2020", dir);
  assert_int_equal(mkdir(path, 0700), 0);
  snprintf(path, sizeof path, "%s/uploads/2020/01", dir);
  assert_int_equal(mkdir(path, 0700), 0);
  for (i = 0; i < 2; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, files[i]);
    assert_non_null(fp = fopen(path, "w"));
    fclose(fp);
  }
  snprintf(path, sizeof path, "%s/export.xml", dir);
  assert_int_equal(import_export(c, d, path, NULL), SHEAF_OK);
  f = c->feeds[0];
  /* a.png (attachment) and its resized copy (in a body); gone.png is not there. */
  assert_int_equal(f->nassets, 2);
  assert_string_equal(f->asset_urls[0], "http://ex.com/wp-content/uploads/2020/01/a.png");
  snprintf(path, sizeof path, "%s/uploads/2020/01/a.png", dir);
  assert_string_equal(f->asset_files[0], path);
  assert_string_equal(f->asset_urls[1],
                      "http://ex.com/wp-content/uploads/2020/01/a-300x200.png");
  for (i = 2; i-- > 0;) {
    snprintf(path, sizeof path, "%s/%s", dir, files[i]);
    unlink(path);
  }
  snprintf(path, sizeof path, "%s/uploads/2020/01", dir);
  rmdir(path);
  snprintf(path, sizeof path, "%s/uploads/2020", dir);
  rmdir(path);
  snprintf(path, sizeof path, "%s/uploads", dir);
  rmdir(path);
  rmdir(dir);
  sheaf_collection_free(c);
  sheaf_diag_free(d);
}

static void test_wxr_malformed(void **state)
{
  static const char bad[] = "<?xml version=\"1.0\"?>\n<rss "
                            "xmlns:wp=\"http://wordpress.org/export/1.1/\"><channel>\n"
                            "<item><title>A</title><wp:status>publish</"
                            "wp:status><content:encoded>x</content:encoded></item>\n"
                            "<item><title>B</broken></item></channel></rss>\n";
  sheaf_collection *c = sheaf_collection_new();
  sheaf_diag *d = sheaf_diag_new();
  const sheaf_diag_entry *e;
  size_t i;
  bool found = false;

  (void)state;
  struct sheaf_input in;

  sheaf_input_borrow(&in, "bad.xml", bad, strlen(bad));
  assert_int_equal(sheaf_import_wxr(c, &in, NULL, d), SHEAF_ERR_PARSE);
  for (i = 0; i < sheaf_diag_count(d); i++) {
    e = sheaf_diag_get(d, i);
    if (e->severity == SHEAF_ERROR && e->line > 0)
      found = true;
  }
  assert_true(found);
  sheaf_collection_free(c);
  sheaf_diag_free(d);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_autop_table), cmocka_unit_test(test_shortcode_table),
      cmocka_unit_test(test_wxr_posts),   cmocka_unit_test(test_wxr_options),
      cmocka_unit_test(test_wxr_uploads), cmocka_unit_test(test_wxr_malformed),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
