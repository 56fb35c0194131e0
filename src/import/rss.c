/*
 * This file contains the RSS reader: RSS 0.9x and 2.0 (items inside
 * <channel>) and RDF/RSS 1.0 (items beside it), with the content:encoded and
 * Dublin Core extensions WordPress and most CMSs write. It reads one element
 * at a time from the stream; an item becomes an article only once its end
 * tag has been read, so a feed broken half-way keeps its complete items.
 *
 * Body choice: content:encoded is the body and description the summary;
 * without content:encoded the body stays NULL and the description (HTML by
 * RSS convention) serves as the body, as struct sheaf_article documents.
 *
 * Fallbacks, for items that put their text only in an extension: the title
 * is title, else dc:title, else media:title, else itunes:title; the summary
 * is description, else dc:description, else itunes:summary, else
 * media:description, else itunes:subtitle. An item with nothing but an
 * <enclosure> (a podcast episode) becomes a chapter linking to the file,
 * titled by its file name, so that a podcast gives a list of its episodes.
 */
#include <string.h>

#include <libxml/xmlreader.h>

#include "import/import.h"

#define R(fr) ((xmlTextReaderPtr)(fr)->reader)

static bool core(struct sheaf_feedread *fr)
{
  enum sheaf_ns ns = sheaf_import_ns(fr);

  return ns == SHEAF_NS_NONE || ns == SHEAF_NS_RSS;
}

static const char *ns_uri(struct sheaf_feedread *fr)
{
  return sheaf_import_ns_uri(fr);
}

/* Dublin Core 1.1, or 1.0 (which some RSS 0.9x and 1.0 feeds declare). */
static bool dc(struct sheaf_feedread *fr)
{
  return sheaf_import_ns(fr) == SHEAF_NS_DC ||
         strcmp(ns_uri(fr), "http://purl.org/dc/elements/1.0/") == 0;
}

/* Apple's podcast namespace; feeds spell its URI in any case ("DTDs",
 * "PodCast"), and podcast apps accept them all. */
static bool itunes(struct sheaf_feedread *fr)
{
  return sheaf_ascii_casecmp(ns_uri(fr), "http://www.itunes.com/dtds/podcast-1.0.dtd") ==
         0;
}

bool sheaf_import_is_media(struct sheaf_feedread *fr)
{
  const char *ns = ns_uri(fr);

  return strcmp(ns, "http://search.yahoo.com/mrss/") == 0 ||
         strcmp(ns, "http://search.yahoo.com/mrss") == 0;
}

char *sheaf_import_media_text(struct sheaf_feedread *fr, bool as_html)
{
  char *type = sheaf_import_attr(fr, "type"), *t = sheaf_import_text(fr), *out;
  bool html = type && sheaf_ascii_casecmp(type, "html") == 0;

  /* Without a type (plain, says Media RSS), text that holds HTML elements
   * is HTML after all, as itunes:summary's often is. */
  if (t && !type && sheaf_import_has_markup(t))
    html = true;
  sheaf_free(type);
  if (t == NULL)
    return NULL;
  if (as_html)
    out = html ? sheaf_strdup(t) : sheaf_import_text_to_html(t);
  else
    out = html ? sheaf_import_title_html(t) : sheaf_str_collapse_ws(t, strlen(t));
  sheaf_free(t);
  if (out == NULL)
    fr->status = SHEAF_ERR_NOMEM;
  return out;
}

/* A title: plain text, without what script and style elements hold. */
static char *title_text(struct sheaf_feedread *fr)
{
  char *t = sheaf_import_text(fr), *out;

  if (t == NULL)
    return NULL;
  out = sheaf_import_title_html(t);
  sheaf_free(t);
  if (out == NULL)
    fr->status = SHEAF_ERR_NOMEM;
  return out;
}

/* Plain text escaped into HTML paragraphs (itunes:summary is plain text),
 * unless it holds HTML elements after all, as many podcast feeds' do. */
static char *html_of_text(struct sheaf_feedread *fr)
{
  char *t = sheaf_import_text(fr), *out;

  if (t == NULL || sheaf_import_has_markup(t))
    return t;
  out = sheaf_import_text_to_html(t);
  sheaf_free(t);
  if (out == NULL)
    fr->status = SHEAF_ERR_NOMEM;
  return out;
}

static bool blank(const char *s)
{
  return s == NULL || sheaf_str_trim((struct sheaf_str){s, strlen(s)}).n == 0;
}

/* An enclosure as the item's only content: "Attachment: URL" as a link, and
 * the file name as the title when there is none (only that with a NULL
 * `desc`). Only http(s) URLs. */
static void use_enclosure(struct sheaf_feedread *fr, struct sheaf_article *a, char **desc,
                          const char *url)
{
  struct sheaf_buf b;
  size_t n = strcspn(url, "?#"), start = n;

  if (!sheaf_starts_with_ci(url, "http://") && !sheaf_starts_with_ci(url, "https://"))
    return;
  while (start > 0 && url[start - 1] != '/')
    start--;
  if (blank(a->title)) {
    char *name = start < n ? sheaf_strndup(url + start, n - start) : sheaf_strdup(url);
    if (name == NULL) {
      fr->status = SHEAF_ERR_NOMEM;
      return;
    }
    sheaf_import_set(&a->title, name, false);
  }
  if (desc == NULL)
    return;
  sheaf_buf_init(&b, 0);
  sheaf_buf_puts(&b, "<p>Attachment: <a href=\"");
  sheaf_buf_put_xml(&b, url, strlen(url), true);
  sheaf_buf_puts(&b, "\">");
  sheaf_buf_put_xml(&b, url, strlen(url), false);
  sheaf_buf_puts(&b, "</a></p>");
  sheaf_free(*desc);
  if ((*desc = sheaf_buf_detach(&b, NULL)) == NULL)
    fr->status = SHEAF_ERR_NOMEM;
}

/* RSS 2.0 wants an e-mail address in <author>, and feeds write
 * "jane@example.com (Jane Doe)": the name is what a reader wants. */
static void name_of_address(char *t)
{
  char *open = strchr(t, '('), *at = strchr(t, '@'), *close;
  size_t n = strlen(t);

  while (n > 0 && (t[n - 1] == ' ' || t[n - 1] == '\t'))
    t[--n] = '\0';
  if (open == NULL || at == NULL || at > open || n == 0 || t[n - 1] != ')')
    return;
  close = t + n - 1;
  open++;
  while (open < close && *open == ' ')
    open++;
  if (close == open)
    return;
  memmove(t, open, (size_t)(close - open));
  t[close - open] = '\0';
  n = strlen(t);
  while (n > 0 && t[n - 1] == ' ')
    t[--n] = '\0';
}

/* Puts the item's picture with its caption before its text: the image
 * when the text does not show it already (the layout embeds it, or keeps
 * the caption alone when it cannot), and the caption in any case. */
static void add_figure(struct sheaf_feedread *fr, char **text, const char *url,
                       const char *caption)
{
  struct sheaf_buf b;

  sheaf_buf_init(&b, 0);
  sheaf_buf_puts(&b, "<figure>");
  if (url &&
      (sheaf_starts_with_ci(url, "http://") || sheaf_starts_with_ci(url, "https://")) &&
      (*text == NULL || strstr(*text, url) == NULL)) {
    sheaf_buf_puts(&b, "<img src=\"");
    sheaf_buf_put_xml(&b, url, strlen(url), true);
    sheaf_buf_puts(&b, "\" alt=\"\"/>");
  }
  sheaf_buf_puts(&b, "<figcaption>");
  sheaf_buf_puts(&b, caption);
  sheaf_buf_puts(&b, "</figcaption></figure>\n");
  if (*text)
    sheaf_buf_puts(&b, *text);
  sheaf_free(*text);
  if ((*text = sheaf_buf_detach(&b, NULL)) == NULL)
    fr->status = SHEAF_ERR_NOMEM;
}

static void add_author(struct sheaf_feedread *fr, struct sheaf_article *a)
{
  char *t = sheaf_import_text_plain(fr);

  if (t)
    name_of_address(t);
  if (t && !sheaf_article_add_author(a, t))
    fr->status = SHEAF_ERR_NOMEM;
  sheaf_free(t);
}

/* A <category>. WordPress says which of its taxonomies a term is in:
 * domain="post_tag" is a tag, domain="category" a category, and gives the
 * term's slug as nicename. Any other domain (RSS 2.0 allows a URL naming a
 * taxonomy) leaves the term a category. */
static void read_category(struct sheaf_feedread *fr, struct sheaf_article *a)
{
  char *domain = sheaf_import_attr(fr, "domain");
  char *nicename = sheaf_import_attr(fr, "nicename");
  char *t = sheaf_import_text_plain(fr);
  enum sheaf_tag_kind kind = SHEAF_TAG_CATEGORY;

  if (domain && (sheaf_ascii_casecmp(domain, "post_tag") == 0 ||
                 sheaf_ascii_casecmp(domain, "tag") == 0))
    kind = SHEAF_TAG_TAG;
  if (t && !sheaf_article_add_tag(a, t, nicename, kind))
    fr->status = SHEAF_ERR_NOMEM;
  sheaf_free(t);
  sheaf_free(domain);
  sheaf_free(nicename);
}

static void read_item(struct sheaf_feedread *fr)
{
  struct sheaf_article *a = sheaf_article_new();
  int depth = xmlTextReaderDepth(R(fr));
  char *desc = NULL, *content = NULL, *dcdate = NULL, *enclosure = NULL, *t;
  char *extra = NULL; /* a text that joins the body unless it says nothing new */
  struct sheaf_enclosures media = {NULL, 0, 0, NULL};
  char *itunes_author = NULL; /* the author when no other is named */
  char *xml_lang;             /* from libxml2: xmlFree() */
  size_t ndesc = 0;
  /* A news item's picture (media:content of an image, else media:thumbnail)
   * and its caption (media:description inside media:content or group). */
  char *picture = NULL, *thumb = NULL, *caption = NULL;
  /* Fallbacks, best first: see the comment at the top. */
  char *titles[3] = {NULL, NULL, NULL}; /* dc:title, media:title, itunes:title */
  /* summary (Atom's or bare), dc:description, itunes:summary, itunes:subtitle */
  char *descs[4] = {NULL, NULL, NULL, NULL};
  char *media_desc = NULL;
  /* atom:content, xhtml:body, fullitem: the body when content:encoded is not */
  char *contents[3] = {NULL, NULL, NULL};
  size_t i;
  bool complete = false;
  unsigned line, date_line = 0;

  if (a == NULL) {
    fr->status = SHEAF_ERR_NOMEM;
    sheaf_import_skip(fr);
    return;
  }
  a->line = sheaf_import_line(fr);
  /* An item in another language than its feed says so with xml:lang (its
   * own; one it inherits is the feed's); a dc:language inside comes first. */
  xml_lang =
      (char *)xmlTextReaderGetAttributeNs(R(fr), BAD_CAST "lang", XML_XML_NAMESPACE);
  if (xmlTextReaderIsEmptyElement(R(fr)))
    complete = true;
  while (!complete && sheaf_import_next_child(fr, depth, &complete)) {
    line = sheaf_import_line(fr);
    if (core(fr) && sheaf_import_is(fr, "title")) {
      sheaf_import_set(&a->title, title_text(fr), true);
    } else if (core(fr) && sheaf_import_is(fr, "link")) {
      sheaf_import_set(&a->link, sheaf_import_text_trimmed(fr), true);
    } else if (core(fr) && sheaf_import_is(fr, "guid")) {
      char *perma = sheaf_import_attr(fr, "isPermaLink");
      t = sheaf_import_text_trimmed(fr);
      /* A permalink guid (the default) doubles as the link. */
      if (t && *t && (perma == NULL || sheaf_ascii_casecmp(perma, "false") != 0) &&
          (sheaf_starts_with_ci(t, "http://") || sheaf_starts_with_ci(t, "https://")) &&
          a->link == NULL && (a->link = sheaf_strdup(t)) == NULL)
        fr->status = SHEAF_ERR_NOMEM;
      sheaf_free(perma);
      sheaf_import_set(&a->guid, t, true);
    } else if (core(fr) && sheaf_import_is(fr, "pubDate")) {
      t = sheaf_import_text(fr);
      if (t)
        sheaf_import_date(fr, t, line, &a->published, &a->pub_offset);
      sheaf_free(t);
    } else if (core(fr) && sheaf_import_is(fr, "description")) {
      /* A second description is a second text, not a replacement. Past
       * 16 (no real feed has so many) each would cost the whole again. */
      if (++ndesc > 16) {
        if (ndesc == 17)
          sheaf_diag_add(fr->diag, SHEAF_WARNING, "descriptions", fr->source, line, 0,
                         "more than 16 <description> elements in one item; the "
                         "rest are left out");
        sheaf_import_skip(fr);
      } else if (!sheaf_import_pick_text(&desc, sheaf_import_text(fr))) {
        fr->status = SHEAF_ERR_NOMEM;
      }
    } else if (sheaf_import_ns(fr) == SHEAF_NS_ATOM && sheaf_import_is(fr, "content")) {
      sheaf_import_set(&contents[0], sheaf_import_atom_html(fr), true);
    } else if ((sheaf_import_ns(fr) == SHEAF_NS_XHTML || core(fr)) &&
               sheaf_import_is(fr, "body")) {
      sheaf_import_set(&contents[1], sheaf_import_xhtml_inner(fr), true);
    } else if (core(fr) && sheaf_import_is(fr, "fullitem")) {
      sheaf_import_set(&contents[2], sheaf_import_text(fr), true);
    } else if ((core(fr) || sheaf_import_ns(fr) == SHEAF_NS_ATOM) &&
               sheaf_import_is(fr, "summary")) {
      sheaf_import_set(&descs[0], sheaf_import_atom_html(fr), true);
    } else if (core(fr) && sheaf_import_is(fr, "author")) {
      add_author(fr, a);
    } else if (core(fr) && sheaf_import_is(fr, "category")) {
      read_category(fr, a);
    } else if (sheaf_import_ns(fr) == SHEAF_NS_CONTENT &&
               sheaf_import_is(fr, "encoded")) {
      sheaf_import_set(&content, sheaf_import_text(fr), true);
    } else if (core(fr) && sheaf_import_is(fr, "enclosure")) {
      char *type = sheaf_import_attr(fr, "type"), *len = sheaf_import_attr(fr, "length");
      t = sheaf_import_attr(fr, "url");
      if (t && !sheaf_import_enclosure_add(&media, t, type, len))
        fr->status = SHEAF_ERR_NOMEM;
      /* Read on into one with children (some feeds nest media:title and
       * media:description there, as in media:content: then a picture's
       * caption is the enclosure's); else skip it. */
      if (xmlTextReaderIsEmptyElement(R(fr)))
        sheaf_import_skip(fr);
      else if (t && picture == NULL && type && sheaf_starts_with_ci(type, "image/") &&
               (picture = sheaf_strdup(t)) == NULL)
        fr->status = SHEAF_ERR_NOMEM;
      sheaf_import_set(&enclosure, t, true);
      sheaf_free(type);
      sheaf_free(len);
    } else if (itunes(fr) && sheaf_import_is(fr, "author")) {
      sheaf_import_set(&itunes_author, sheaf_import_text_plain(fr), true);
    } else if (itunes(fr) && sheaf_import_is(fr, "duration")) {
      sheaf_import_set(&media.duration, sheaf_import_text_trimmed(fr), true);
    } else if (dc(fr) && sheaf_import_is(fr, "title")) {
      sheaf_import_set(&titles[0], title_text(fr), true);
    } else if (dc(fr) && sheaf_import_is(fr, "description")) {
      sheaf_import_set(&descs[1], sheaf_import_text(fr), true);
    } else if (itunes(fr) && sheaf_import_is(fr, "title")) {
      sheaf_import_set(&titles[2], title_text(fr), true);
    } else if (itunes(fr) && sheaf_import_is(fr, "summary")) {
      sheaf_import_set(&descs[2], html_of_text(fr), true);
    } else if (itunes(fr) && sheaf_import_is(fr, "subtitle")) {
      sheaf_import_set(&descs[3], html_of_text(fr), true);
    } else if (sheaf_import_is_media(fr) && sheaf_import_is(fr, "title")) {
      sheaf_import_set(&titles[1], sheaf_import_media_text(fr, false), true);
    } else if (sheaf_import_is_media(fr) && sheaf_import_is(fr, "description") &&
               xmlTextReaderDepth(R(fr)) > depth + 1) {
      /* Inside media:content or media:group: the picture's caption. */
      sheaf_import_set(&caption, sheaf_import_media_text(fr, true), true);
    } else if (sheaf_import_is_media(fr) && sheaf_import_is(fr, "description")) {
      sheaf_import_set(&media_desc, sheaf_import_media_text(fr, true), true);
    } else if (sheaf_import_is_media(fr) && sheaf_import_is(fr, "thumbnail")) {
      sheaf_import_set(&thumb, sheaf_import_attr(fr, "url"), true);
      if (!xmlTextReaderIsEmptyElement(R(fr))) {
        /* Read on into it: a caption may be in it. */
      } else {
        sheaf_import_skip(fr);
      }
    } else if (sheaf_import_is_media(fr) &&
               (sheaf_import_is(fr, "group") || sheaf_import_is(fr, "content"))) {
      /* Read on into it: its media:title and media:description count. */
      if (sheaf_import_is(fr, "content")) {
        char *url = sheaf_import_attr(fr, "url"), *type = sheaf_import_attr(fr, "type");
        char *len = sheaf_import_attr(fr, "fileSize"),
             *medium = sheaf_import_attr(fr, "medium");
        if (url && !sheaf_import_enclosure_add(&media, url, type, len))
          fr->status = SHEAF_ERR_NOMEM;
        if (url && picture == NULL &&
            ((type && sheaf_starts_with_ci(type, "image/")) ||
             (medium && sheaf_ascii_casecmp(medium, "image") == 0)) &&
            (picture = sheaf_strdup(url)) == NULL)
          fr->status = SHEAF_ERR_NOMEM;
        sheaf_free(medium);
        sheaf_free(url);
        sheaf_free(type);
        sheaf_free(len);
      }
    } else if (dc(fr) && sheaf_import_is(fr, "creator")) {
      add_author(fr, a);
    } else if (dc(fr) && sheaf_import_is(fr, "date")) {
      date_line = line;
      sheaf_import_set(&dcdate, sheaf_import_text(fr), true);
    } else if (dc(fr) && sheaf_import_is(fr, "subject")) {
      t = sheaf_import_text_plain(fr);
      if (t && !sheaf_article_add_tag(a, t, NULL, SHEAF_TAG_CATEGORY))
        fr->status = SHEAF_ERR_NOMEM;
      sheaf_free(t);
    } else if ((sheaf_import_ns(fr) == SHEAF_NS_ATOM && sheaf_import_is(fr, "updated")) ||
               (dc(fr) && sheaf_import_is(fr, "modified"))) {
      /* Some feeds say when an item was last changed; duplicates keep the
       * latest copy by it. */
      int off;
      t = sheaf_import_text(fr);
      if (t)
        sheaf_import_date(fr, t, line, &a->updated, &off);
      sheaf_free(t);
    } else if (dc(fr) && sheaf_import_is(fr, "language")) {
      sheaf_import_set(&a->language, sheaf_import_text_trimmed(fr), true);
    } else {
      sheaf_import_skip(fr);
    }
  }
  for (i = 0; i < sizeof titles / sizeof *titles; i++) {
    if (blank(a->title) && !blank(titles[i])) {
      sheaf_import_set(&a->title, titles[i], false);
      titles[i] = NULL;
    }
    sheaf_free(titles[i]);
  }
  /* Each other text joins the description unless it says nothing new. */
  for (i = 0; i < sizeof descs / sizeof *descs; i++)
    if (!sheaf_import_pick_text(&desc, descs[i]))
      fr->status = SHEAF_ERR_NOMEM;
  if (blank(desc) && !blank(media_desc)) {
    sheaf_import_set(&desc, media_desc, false);
    media_desc = NULL;
  }
  sheaf_free(media_desc);
  for (i = 0; i < sizeof contents / sizeof *contents; i++) {
    if (blank(content) && !blank(contents[i])) {
      sheaf_import_set(&content, contents[i], false);
      contents[i] = NULL;
    }
    sheaf_free(contents[i]);
  }
  if (media.n) {
    /* A podcast episode's files, listed after its text. */
    char *list = sheaf_import_enclosures_html(&media);
    char **to = !blank(content) ? &content : &desc;
    if (list == NULL) {
      fr->status = SHEAF_ERR_NOMEM;
    } else if (blank(*to)) {
      sheaf_import_set(to, list, false);
    } else {
      struct sheaf_buf b;
      sheaf_buf_init(&b, 0);
      sheaf_buf_puts(&b, *to);
      sheaf_buf_puts(&b, list);
      sheaf_free(list);
      sheaf_free(*to);
      if ((*to = sheaf_buf_detach(&b, NULL)) == NULL)
        fr->status = SHEAF_ERR_NOMEM;
    }
    if (blank(a->title) && enclosure)
      use_enclosure(fr, a, NULL, enclosure); /* its file name as the title */
  } else if (enclosure && blank(content) && blank(desc)) {
    use_enclosure(fr, a, &desc, enclosure);
  }
  sheaf_import_enclosures_fini(&media);
  if (!blank(caption))
    add_figure(fr, !blank(content) ? &content : &desc, picture ? picture : thumb,
               caption);
  sheaf_free(picture);
  sheaf_free(thumb);
  sheaf_free(caption);
  if (a->nauthors == 0 && !blank(itunes_author) &&
      !sheaf_article_add_author(a, itunes_author))
    fr->status = SHEAF_ERR_NOMEM;
  sheaf_free(itunes_author);
  sheaf_free(enclosure);
  if (xml_lang && *xml_lang && blank(a->language)) {
    char *copy = sheaf_strdup(xml_lang);
    if (copy == NULL)
      fr->status = SHEAF_ERR_NOMEM;
    sheaf_import_set(&a->language, copy, false);
  }
  xmlFree(xml_lang);
  if (a->published == SHEAF_TIME_UNKNOWN && dcdate)
    sheaf_import_date(fr, dcdate, date_line, &a->published, &a->pub_offset);
  sheaf_free(dcdate);
  if (content && sheaf_str_trim((struct sheaf_str){content, strlen(content)}).n > 0) {
    /* A summary that says what the body does not (a podcast's
     * itunes:summary beside its show notes) joins the body; an excerpt
     * of it does not. */
    if (!blank(desc) && (extra = sheaf_strdup(desc)) == NULL)
      fr->status = SHEAF_ERR_NOMEM;
    a->body = content;
    a->summary = desc;
  } else {
    sheaf_free(content);
    a->summary = desc;
  }
  if (!complete) {
    sheaf_free(extra);
    sheaf_article_free(a);
    return;
  }
  /* The copy of the summary is weighed against the body (textpick.c) when
   * the article is finished, maybe on another thread (pipe.c). */
  sheaf_import_add_article_with(fr, a, extra);
}

/* Reads the children of the current element: <rss> or <rdf:RDF> (which
 * hold a channel, and in RSS 1.0 the items too) or <channel>. */
static void read_container(struct sheaf_feedread *fr, bool channel)
{
  struct sheaf_feed *f = fr->feed;
  int depth = xmlTextReaderDepth(R(fr));
  /* xml:lang on the root or the channel names the feed's language when no
   * <language> does (read after the children, which may hold one). */
  const char *xl = (const char *)xmlTextReaderConstXmlLang(R(fr));
  char *lang = xl && *xl ? sheaf_strdup(xl) : NULL;

  if (xl && *xl && lang == NULL)
    fr->status = SHEAF_ERR_NOMEM;
  if (xmlTextReaderIsEmptyElement(R(fr))) {
    sheaf_import_set(&f->language, lang, true);
    return;
  }
  while (sheaf_import_next_child(fr, depth, NULL)) {
    if (channel && sheaf_import_ns(fr) == SHEAF_NS_DC && sheaf_import_is(fr, "language"))
      sheaf_import_set(&f->language, sheaf_import_text_trimmed(fr), true); /* RSS 1.0 */
    else if (!core(fr))
      sheaf_import_skip(fr);
    else if (sheaf_import_is(fr, "channel"))
      read_container(fr, true);
    else if (sheaf_import_is(fr, "items"))
      read_container(fr, false); /* RSS 1.1: <items> in <Channel> */
    else if (sheaf_import_is(fr, "item"))
      read_item(fr);
    else if (channel && sheaf_import_is(fr, "title"))
      sheaf_import_set(&f->title, title_text(fr), true);
    else if (channel && sheaf_import_is(fr, "link"))
      sheaf_import_set(&f->link, sheaf_import_text_trimmed(fr), true);
    else if (channel && sheaf_import_is(fr, "description"))
      sheaf_import_set(&f->description, sheaf_import_text_plain(fr), true);
    else if (channel && sheaf_import_is(fr, "language"))
      sheaf_import_set(&f->language, sheaf_import_text_trimmed(fr), true);
    else if (channel && sheaf_import_is(fr, "generator"))
      sheaf_import_set(&f->generator, sheaf_import_text_trimmed(fr), true);
    else
      sheaf_import_skip(fr);
  }
  sheaf_import_set(&f->language, lang, true);
}

void sheaf_import_rss(struct sheaf_feedread *fr)
{
  /* RSS 1.1's root is the channel itself. */
  read_container(fr, sheaf_import_is(fr, "Channel"));
}
