/*
 * This file contains the WordPress export (WXR 1.0, 1.1, 1.2) reader. A WXR
 * file is an RSS 2.0 document whose channel and items carry WordPress's own
 * elements in the http://wordpress.org/export/1.x/ namespace; it is streamed
 * with the feed reader's set-up (feed.c: safe options, errors, malformed XML
 * reported with its line) and read here element by element.
 *
 * Which items become articles: wp:post_type "post" (or the types the caller
 * names) with wp:status "publish" (drafts, pending, private and future posts
 * too with SHEAF_OPT_INCLUDE_DRAFTS; never trash, auto-draft or inherit), and
 * no password unless drafts are asked for. Attachments are never articles;
 * they give [gallery] its images and the uploads folder its map.
 *
 * Post bodies are finished after the whole file is read, because a post's
 * attachments usually come after it: shortcodes are expanded (shortcode.c),
 * then classic-editor content gets WordPress's paragraphs (autop.c). Block
 * editor content (<!-- wp: comments) is already HTML and is kept as it is.
 */
#include <errno.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <libxml/xmlreader.h>

#include "import/import.h"

#define R(fr) ((xmlTextReaderPtr)(fr)->reader)

/* A post that became an article, to finish once the file is read. */
struct post {
  size_t index;     /* in coll->articles */
  unsigned long id; /* wp:post_id */
};

struct author {
  char *login, *name; /* wp:author_login, wp:author_display_name */
};

struct wxr {
  struct author *authors;
  size_t nauthors, authors_cap;
  struct sheaf_wp_attachment *att;
  size_t natt, att_cap;
  struct post *posts;
  size_t nposts, posts_cap;
  char *base_url;      /* wp:base_site_url or wp:base_blog_url */
  size_t nother_type;  /* items of other post types (pages, menus...) */
  size_t nunpublished; /* drafts and the like, left out */
  size_t nlocal_date;  /* posts dated by their local time only */
};

static bool is_wp(struct sheaf_feedread *fr, const char *local)
{
  return sheaf_import_ns(fr) == SHEAF_NS_WP && sheaf_import_is(fr, local);
}

static bool core(struct sheaf_feedread *fr, const char *local)
{
  enum sheaf_ns ns = sheaf_import_ns(fr);

  return (ns == SHEAF_NS_NONE || ns == SHEAF_NS_RSS) && sheaf_import_is(fr, local);
}

/* Parses "2011-05-05 17:19:23" (WordPress's MySQL dates); the zero date
 * "0000-00-00 00:00:00" means unset. */
static bool wp_date(const char *s, int64_t *t)
{
  struct sheaf_str v;
  int off;

  if (s == NULL)
    return false;
  v = sheaf_str_trim((struct sheaf_str){s, strlen(s)});
  if (v.n == 0 || (v.n >= 4 && memcmp(v.p, "0000", 4) == 0))
    return false;
  return sheaf_date_parse_iso8601(v.p, v.n, t, &off);
}

/* ---- channel: authors ------------------------------------------------------- */

static void read_author(struct sheaf_feedread *fr, struct wxr *w)
{
  int depth = xmlTextReaderDepth(R(fr));
  char *login = NULL, *name = NULL;

  if (xmlTextReaderIsEmptyElement(R(fr)))
    return;
  while (sheaf_import_next_child(fr, depth, NULL)) {
    if (is_wp(fr, "author_login"))
      sheaf_import_set(&login, sheaf_import_text_trimmed(fr), true);
    else if (is_wp(fr, "author_display_name"))
      sheaf_import_set(&name, sheaf_import_text_plain(fr), true);
    else
      sheaf_import_skip(fr);
  }
  if (login && *login && name && *name) {
    if (sheaf_grow((void **)&w->authors, &w->authors_cap, w->nauthors + 1,
                   sizeof *w->authors)) {
      w->authors[w->nauthors].login = login;
      w->authors[w->nauthors++].name = name;
      return;
    }
    fr->status = SHEAF_ERR_NOMEM;
  }
  sheaf_free(login);
  sheaf_free(name);
}

/* ---- items ------------------------------------------------------------------ */

/* The fields of one item, gathered before deciding what it is. */
struct item {
  char *type, *status, *password, *content, *excerpt, *creator;
  char *date_gmt, *date_local, *modified_gmt, *attachment_url, *pubdate, *alt;
  unsigned long id, parent;
  long menu_order;
  unsigned pubdate_line;
};

static void item_fini(struct item *it)
{
  sheaf_free(it->type);
  sheaf_free(it->status);
  sheaf_free(it->password);
  sheaf_free(it->content);
  sheaf_free(it->excerpt);
  sheaf_free(it->creator);
  sheaf_free(it->date_gmt);
  sheaf_free(it->date_local);
  sheaf_free(it->modified_gmt);
  sheaf_free(it->attachment_url);
  sheaf_free(it->pubdate);
  sheaf_free(it->alt);
}

/* <wp:postmeta>: only an image's alt text is kept (an attachment's
 * _wp_attachment_image_alt, which [gallery] needs). */
static void read_postmeta(struct sheaf_feedread *fr, struct item *it)
{
  int depth = xmlTextReaderDepth(R(fr));
  char *key = NULL, *value = NULL;

  if (xmlTextReaderIsEmptyElement(R(fr)))
    return;
  while (sheaf_import_next_child(fr, depth, NULL)) {
    if (is_wp(fr, "meta_key"))
      sheaf_import_set(&key, sheaf_import_text_trimmed(fr), true);
    else if (is_wp(fr, "meta_value"))
      sheaf_import_set(&value, sheaf_import_text_plain(fr), true);
    else
      sheaf_import_skip(fr);
  }
  if (key && strcmp(key, "_wp_attachment_image_alt") == 0 && value && *value) {
    sheaf_free(it->alt);
    it->alt = value;
    value = NULL;
  }
  sheaf_free(key);
  sheaf_free(value);
}

static unsigned long number(struct sheaf_feedread *fr)
{
  char *t = sheaf_import_text_trimmed(fr);
  unsigned long v = t ? strtoul(t, NULL, 10) : 0;

  sheaf_free(t);
  return v;
}

/* <category domain="post_tag|tag|category" nicename="slug">Name</category>;
 * no domain (WXR 1.0's plain copy) is a category. Other taxonomies
 * (post_format, nav_menu, custom ones) are not tags of the post. */
static void read_category(struct sheaf_feedread *fr, struct sheaf_article *a)
{
  char *domain = sheaf_import_attr(fr, "domain");
  char *slug = sheaf_import_attr(fr, "nicename");
  char *name = sheaf_import_text_plain(fr);
  enum sheaf_tag_kind kind = SHEAF_TAG_CATEGORY;
  bool keep = true;

  if (domain && (strcmp(domain, "post_tag") == 0 || strcmp(domain, "tag") == 0))
    kind = SHEAF_TAG_TAG;
  else if (domain && strcmp(domain, "category") != 0)
    keep = false;
  if (keep && name && *name && !sheaf_article_add_tag(a, name, slug, kind))
    fr->status = SHEAF_ERR_NOMEM;
  sheaf_free(domain);
  sheaf_free(slug);
  sheaf_free(name);
}

static bool type_wanted(const sheaf_options *opt, const char *type)
{
  size_t i;

  if (opt == NULL || opt->npost_types == 0)
    return strcmp(type, "post") == 0;
  for (i = 0; i < opt->npost_types; i++)
    if (opt->post_types[i] && sheaf_ascii_casecmp(opt->post_types[i], type) == 0)
      return true;
  return false;
}

static bool status_wanted(const sheaf_options *opt, const char *status)
{
  static const char *const drafts[] = {"draft", "pending", "private", "future"};
  size_t i;

  if (strcmp(status, "publish") == 0)
    return true;
  if (opt == NULL || !(opt->flags & SHEAF_OPT_INCLUDE_DRAFTS))
    return false;
  for (i = 0; i < sizeof drafts / sizeof *drafts; i++)
    if (strcmp(status, drafts[i]) == 0)
      return true;
  return false;
}

static void add_attachment(struct sheaf_feedread *fr, struct wxr *w, struct item *it,
                           const char *guid)
{
  struct sheaf_wp_attachment *at;
  const char *url = it->attachment_url && *it->attachment_url ? it->attachment_url : guid;
  char *copy;

  if (url == NULL || *url == '\0')
    return;
  if (!sheaf_grow((void **)&w->att, &w->att_cap, w->natt + 1, sizeof *w->att) ||
      (copy = sheaf_strdup(url)) == NULL) {
    fr->status = SHEAF_ERR_NOMEM;
    return;
  }
  at = &w->att[w->natt++];
  at->id = it->id;
  at->parent = it->parent;
  at->menu_order = it->menu_order;
  at->url = copy;
  /* The caption and alt text move over from the item. */
  at->caption = it->excerpt && *it->excerpt ? it->excerpt : NULL;
  if (at->caption)
    it->excerpt = NULL;
  at->alt = it->alt;
  it->alt = NULL;
}

static void read_item(struct sheaf_feedread *fr, struct wxr *w)
{
  const sheaf_options *opt = fr->opt;
  struct sheaf_article *a = sheaf_article_new();
  struct item it;
  int depth = xmlTextReaderDepth(R(fr));
  bool complete = false, drafts = opt && (opt->flags & SHEAF_OPT_INCLUDE_DRAFTS);
  size_t before = fr->coll->narticles;
  char *t;

  memset(&it, 0, sizeof it);
  if (a == NULL) {
    fr->status = SHEAF_ERR_NOMEM;
    sheaf_import_skip(fr);
    return;
  }
  a->line = sheaf_import_line(fr);
  if (xmlTextReaderIsEmptyElement(R(fr)))
    complete = true;
  while (!complete && sheaf_import_next_child(fr, depth, &complete)) {
    if (core(fr, "title")) {
      sheaf_import_set(&a->title, sheaf_import_text_plain(fr), true);
    } else if (core(fr, "link")) {
      sheaf_import_set(&a->link, sheaf_import_text_trimmed(fr), true);
    } else if (core(fr, "guid")) {
      sheaf_import_set(&a->guid, sheaf_import_text_trimmed(fr), true);
    } else if (core(fr, "pubDate")) {
      it.pubdate_line = sheaf_import_line(fr);
      sheaf_import_set(&it.pubdate, sheaf_import_text(fr), true);
    } else if (core(fr, "category")) {
      read_category(fr, a);
    } else if (sheaf_import_ns(fr) == SHEAF_NS_DC && sheaf_import_is(fr, "creator")) {
      sheaf_import_set(&it.creator, sheaf_import_text_trimmed(fr), true);
    } else if (sheaf_import_ns(fr) == SHEAF_NS_CONTENT &&
               sheaf_import_is(fr, "encoded")) {
      sheaf_import_set(&it.content, sheaf_import_text(fr), true);
    } else if (sheaf_import_ns(fr) == SHEAF_NS_WP_EXCERPT &&
               sheaf_import_is(fr, "encoded")) {
      sheaf_import_set(&it.excerpt, sheaf_import_text(fr), true);
    } else if (is_wp(fr, "post_id")) {
      it.id = number(fr);
    } else if (is_wp(fr, "post_parent")) {
      it.parent = number(fr);
    } else if (is_wp(fr, "menu_order")) {
      t = sheaf_import_text_trimmed(fr);
      it.menu_order = t ? strtol(t, NULL, 10) : 0;
      sheaf_free(t);
    } else if (is_wp(fr, "post_type")) {
      sheaf_import_set(&it.type, sheaf_import_text_trimmed(fr), true);
    } else if (is_wp(fr, "status")) {
      sheaf_import_set(&it.status, sheaf_import_text_trimmed(fr), true);
    } else if (is_wp(fr, "post_password")) {
      sheaf_import_set(&it.password, sheaf_import_text(fr), true);
    } else if (is_wp(fr, "post_date_gmt")) {
      sheaf_import_set(&it.date_gmt, sheaf_import_text(fr), true);
    } else if (is_wp(fr, "post_date")) {
      sheaf_import_set(&it.date_local, sheaf_import_text(fr), true);
    } else if (is_wp(fr, "post_modified_gmt")) {
      sheaf_import_set(&it.modified_gmt, sheaf_import_text(fr), true);
    } else if (is_wp(fr, "attachment_url")) {
      sheaf_import_set(&it.attachment_url, sheaf_import_text_trimmed(fr), true);
    } else if (is_wp(fr, "postmeta")) {
      read_postmeta(fr, &it);
    } else {
      sheaf_import_skip(fr); /* comments, the rest */
    }
  }
  if (!complete || fr->status != SHEAF_OK)
    goto drop;

  /* What the item is: WordPress's defaults are "post" and "draft". */
  if (it.type == NULL || *it.type == '\0') {
    sheaf_free(it.type);
    it.type = sheaf_strdup("post");
  }
  if (it.status == NULL && (it.status = sheaf_strdup("draft")) == NULL)
    goto nomem;
  if (it.type == NULL)
    goto nomem;
  if (strcmp(it.type, "attachment") == 0) {
    add_attachment(fr, w, &it, a->guid);
    goto drop;
  }
  if (!type_wanted(opt, it.type)) {
    w->nother_type++;
    goto drop;
  }
  if (!status_wanted(opt, it.status)) {
    w->nunpublished++;
    goto drop;
  }
  if (it.password && *it.password && !drafts) {
    sheaf_diag_add(
        fr->diag, SHEAF_WARNING, "protected", fr->source, a->line, 0,
        "post \"%s\" is password-protected; skipped (--include-drafts keeps it)",
        a->title ? a->title : "");
    goto drop;
  }

  /* Dates: GMT, else local time read as UTC, else pubDate. */
  if (!wp_date(it.date_gmt, &a->published)) {
    if (wp_date(it.date_local, &a->published))
      w->nlocal_date++;
    else if (it.pubdate)
      sheaf_import_date(fr, it.pubdate, it.pubdate_line, &a->published, &a->pub_offset);
  }
  wp_date(it.modified_gmt, &a->updated);

  /* The id is the site's ?p=ID: wp:post_id is what WordPress keeps unique
   * (guids repeat in real exports, the theme unit test data among them).
   * Without a guid, that is the guid too. */
  if (it.id && (w->base_url || fr->feed->link)) {
    const char *base = w->base_url ? w->base_url : fr->feed->link;
    struct sheaf_buf g;
    sheaf_buf_init(&g, 0);
    sheaf_buf_printf(&g, "%s%s?p=%lu", base,
                     *base && base[strlen(base) - 1] == '/' ? "" : "/", it.id);
    if ((a->id = sheaf_buf_detach(&g, NULL)) == NULL)
      goto nomem;
    if ((a->guid == NULL || *a->guid == '\0')) {
      sheaf_free(a->guid);
      if ((a->guid = sheaf_strdup(a->id)) == NULL)
        goto nomem;
    }
  }
  if (it.creator && *it.creator && !sheaf_article_add_author(a, it.creator))
    goto nomem;
  if (it.content &&
      sheaf_str_trim((struct sheaf_str){it.content, strlen(it.content)}).n) {
    a->body = it.content;
    it.content = NULL;
  }
  if (it.excerpt &&
      sheaf_str_trim((struct sheaf_str){it.excerpt, strlen(it.excerpt)}).n) {
    a->summary = it.excerpt;
    it.excerpt = NULL;
  }
  item_fini(&it);
  sheaf_import_add_article(fr, a);
  if (fr->coll->narticles > before) {
    if (!sheaf_grow((void **)&w->posts, &w->posts_cap, w->nposts + 1, sizeof *w->posts)) {
      fr->status = SHEAF_ERR_NOMEM;
      return;
    }
    w->posts[w->nposts].index = fr->coll->narticles - 1;
    w->posts[w->nposts++].id = it.id;
  }
  return;
nomem:
  fr->status = SHEAF_ERR_NOMEM;
drop:
  item_fini(&it);
  sheaf_article_free(a);
}

/* ---- the document ------------------------------------------------------------ */

static void read_channel(struct sheaf_feedread *fr, struct wxr *w)
{
  struct sheaf_feed *f = fr->feed;
  int depth = xmlTextReaderDepth(R(fr));

  if (xmlTextReaderIsEmptyElement(R(fr)))
    return;
  while (sheaf_import_next_child(fr, depth, NULL)) {
    if (core(fr, "item"))
      read_item(fr, w);
    else if (core(fr, "title"))
      sheaf_import_set(&f->title, sheaf_import_text_plain(fr), true);
    else if (core(fr, "link"))
      sheaf_import_set(&f->link, sheaf_import_text_trimmed(fr), true);
    else if (core(fr, "description"))
      sheaf_import_set(&f->description, sheaf_import_text_plain(fr), true);
    else if (core(fr, "language"))
      sheaf_import_set(&f->language, sheaf_import_text_trimmed(fr), true);
    else if (core(fr, "generator"))
      sheaf_import_set(&f->generator, sheaf_import_text_trimmed(fr), true);
    else if (is_wp(fr, "author"))
      read_author(fr, w);
    else if (is_wp(fr, "base_site_url") || is_wp(fr, "base_blog_url"))
      sheaf_import_set(&w->base_url, sheaf_import_text_trimmed(fr), true);
    else
      sheaf_import_skip(fr);
  }
}

static void read_root(struct sheaf_feedread *fr)
{
  struct wxr *w = fr->user;
  int depth = xmlTextReaderDepth(R(fr));

  if (xmlTextReaderIsEmptyElement(R(fr)))
    return;
  while (sheaf_import_next_child(fr, depth, NULL)) {
    if (core(fr, "channel"))
      read_channel(fr, w);
    else
      sheaf_import_skip(fr);
  }
}

/* ---- uploads ------------------------------------------------------------------ */

/* The part of an uploads URL below the uploads folder (text.c), when it
 * is safe to name a file with as written: nothing that climbs out of the
 * folder, no escapes, no quotes. {NULL, 0} otherwise. */
static struct sheaf_str upload_rel(const char *url, size_t n)
{
  struct sheaf_str r = sheaf_wp_upload_rel(url, n);
  size_t i;

  for (i = 0; i < r.n; i++)
    if (r.p[i] == '\\' || r.p[i] == '%' || r.p[i] == '"' || r.p[i] == '\'' ||
        (r.p[i] == '.' && i + 1 < r.n && r.p[i + 1] == '.'))
      return (struct sheaf_str){NULL, 0};
  if (r.n && r.p[r.n - 1] == '/')
    return (struct sheaf_str){NULL, 0};
  return r;
}

/* Capacities of feed->asset_urls and feed->asset_files, and the URLs
 * recorded so far (each once, found in constant time). */
struct caps {
  size_t urls, files;
  struct sheaf_strmap seen;
};

static bool add_asset(struct sheaf_feed *f, const char *updir, const char *url, size_t n,
                      struct caps *cap)
{
  struct sheaf_str rel = upload_rel(url, n);
  struct sheaf_buf file;
  struct stat st;
  bool ok = true;

  if (rel.n == 0 || sheaf_strmap_get(&cap->seen, url, n))
    return true;
  sheaf_buf_init(&file, 0);
  sheaf_buf_printf(&file, "%s/%.*s", updir, (int)rel.n, rel.p);
  if (file.failed) {
    ok = false;
  } else if (stat(file.ptr, &st) == 0 && S_ISREG(st.st_mode)) {
    char *u = sheaf_strndup(url, n), *p = sheaf_buf_detach(&file, NULL);
    if (u == NULL || p == NULL ||
        !sheaf_grow((void **)&f->asset_urls, &cap->urls, f->nassets + 1,
                    sizeof *f->asset_urls) ||
        !sheaf_grow((void **)&f->asset_files, &cap->files, f->nassets + 1,
                    sizeof *f->asset_files)) {
      sheaf_free(u);
      sheaf_free(p);
      ok = false;
    } else if (!sheaf_strmap_put(&cap->seen, u, n, f->nassets)) {
      sheaf_free(u);
      sheaf_free(p);
      ok = false;
    } else {
      f->asset_urls[f->nassets] = u;
      f->asset_files[f->nassets++] = p;
    }
  }
  sheaf_buf_fini(&file);
  return ok;
}

/* Records every attachment URL and every uploads URL of the new articles'
 * bodies that names an existing file under an uploads folder beside the
 * export. */
static sheaf_status map_uploads(struct sheaf_collection *coll, struct sheaf_feed *f,
                                const char *path, const struct wxr *w)
{
  static const char *const dirs[] = {"uploads", "wp-content/uploads"};
  const char *slash = strrchr(path, '/');
  struct sheaf_buf dir;
  struct stat st;
  size_t k, i;
  struct caps cap;
  sheaf_status ret = SHEAF_OK;

  cap.urls = cap.files = 0;
  sheaf_strmap_init(&cap.seen);
  sheaf_buf_init(&dir, 0);
  for (k = 0; k < sizeof dirs / sizeof *dirs; k++) {
    sheaf_buf_reset(&dir);
    if (slash)
      sheaf_buf_printf(&dir, "%.*s/%s", (int)(slash - path), path, dirs[k]);
    else
      sheaf_buf_puts(&dir, dirs[k]);
    if (dir.failed) {
      ret = SHEAF_ERR_NOMEM;
      goto out;
    }
    if (stat(dir.ptr, &st) == 0 && S_ISDIR(st.st_mode))
      break;
  }
  if (k == sizeof dirs / sizeof *dirs)
    goto out;
  for (i = 0; i < w->natt; i++)
    if (!add_asset(f, dir.ptr, w->att[i].url, strlen(w->att[i].url), &cap)) {
      ret = SHEAF_ERR_NOMEM;
      goto out;
    }
  /* URLs in the bodies: from the scheme or '/' after a quote, '=', '(' or
   * space, to the next quote, space, ')' or '<'. Each URL is looked at
   * once, and the search goes on after it: a body of "/uploads/" repeated
   * is one URL, not a rescan of the body per occurrence. */
  for (i = 0; i < w->nposts; i++) {
    char *body = NULL;
    const char *p, *floor;
    /* Bodies wait in the collection's spool (feed.c): one at a time. */
    SHEAF_CHECK(sheaf_article_load(coll, coll->articles[w->posts[i].index], &body, NULL));
    if (body == NULL)
      continue;
    for (floor = body, p = strstr(body, "/uploads/"); p; p = strstr(floor, "/uploads/")) {
      const char *s = p, *e = p + 9;
      while (s > floor && !strchr("\"'=( \t\n,>", s[-1]))
        s--;
      while (*e && !strchr("\"' \t\n)<,", *e))
        e++;
      if (!add_asset(f, dir.ptr, s, (size_t)(e - s), &cap)) {
        ret = SHEAF_ERR_NOMEM;
        break;
      }
      floor = e;
    }
    sheaf_free(body);
    if (ret != SHEAF_OK)
      goto out;
  }
out:
  sheaf_strmap_fini(&cap.seen);
  sheaf_buf_fini(&dir);
  return ret;
}

/* ---- finishing the posts -------------------------------------------------------- */

static bool has_blocks(const char *s)
{
  return strstr(s, "<!-- wp:") != NULL;
}

/* Shortcodes, then paragraphs (classic content only). Returns a new string
 * or NULL (out of memory). */
static char *finish_html(struct sheaf_shortcode_ctx *ctx, const char *html)
{
  char *x = sheaf_import_shortcodes(ctx, html, strlen(html)), *y;

  if (x == NULL || has_blocks(x))
    return x;
  y = sheaf_import_autop(x, strlen(x), true);
  sheaf_free(x);
  return y;
}

static sheaf_status finish_posts(struct sheaf_collection *coll, struct wxr *w,
                                 const struct sheaf_feed *feed, sheaf_diag *diag)
{
  const char *source = feed->source;
  struct sheaf_shortcode_ctx ctx;
  struct sheaf_strmap logins; /* login -> index in w->authors */
  sheaf_status ret = SHEAF_OK;
  size_t i, k;

  /* Logins to authors, found in constant time: an export may list as
   * many authors as posts. The first of a login wins, as a scan did. */
  sheaf_strmap_init(&logins);
  for (i = w->nauthors; i-- > 0;)
    if (!sheaf_strmap_put(&logins, w->authors[i].login, strlen(w->authors[i].login), i)) {
      sheaf_strmap_fini(&logins);
      return SHEAF_ERR_NOMEM;
    }
  memset(&ctx, 0, sizeof ctx);
  ctx.att = w->att;
  ctx.natt = w->natt;
  ctx.diag = diag;
  ctx.file = source;
  /* Media links are labelled in the site's language. */
  ctx.labels = sheaf_labels_for(feed->language);
  for (i = 0; i < w->nposts; i++) {
    struct sheaf_article *a = coll->articles[w->posts[i].index];
    char *body = NULL, *summary = NULL, *x = NULL, *y = NULL;
    bool ok;
    ctx.post_id = w->posts[i].id;
    ctx.line = a->line;
    /* Read back from the spool, rewritten, spooled again: an export of
     * 100,000 posts never holds its bodies in memory. */
    if ((ret = sheaf_article_load(coll, a, &body, &summary)) != SHEAF_OK) {
      if (ret == SHEAF_ERR_IO)
        sheaf_diag_add(diag, SHEAF_ERROR, "io", a->source, a->line, 0,
                       "cannot read the temporary file of article bodies: %s",
                       strerror(errno));
      goto out;
    }
    if (body && (x = finish_html(&ctx, body)) == NULL)
      ok = false;
    else if (summary && (y = finish_html(&ctx, summary)) == NULL)
      ok = false;
    else
      ok = true;
    sheaf_free(body);
    sheaf_free(summary);
    if (!ok) {
      sheaf_free(x);
      goto nomem;
    }
    /* dc:creator holds a login; the export's authors give its name.
     * Before the text is spooled again, which packs the new names. */
    for (k = 0; k < a->nauthors; k++) {
      const size_t *j = sheaf_strmap_get(&logins, a->authors[k], strlen(a->authors[k]));
      if (j && !sheaf_article_set_author(a, k, w->authors[*j].name)) {
        sheaf_free(x);
        sheaf_free(y);
        goto nomem;
      }
    }
    if (!sheaf_collection_replace_text(coll, a, x, y)) {
      sheaf_import_spool_failed(diag);
      ret = SHEAF_ERR_WRITE;
      goto out;
    }
  }
  goto out;
nomem:
  ret = SHEAF_ERR_NOMEM;
out:
  sheaf_strmap_fini(&logins);
  sheaf_shortcode_ctx_fini(&ctx);
  return ret;
}

static void wxr_fini(struct wxr *w)
{
  size_t i;

  for (i = 0; i < w->nauthors; i++) {
    sheaf_free(w->authors[i].login);
    sheaf_free(w->authors[i].name);
  }
  sheaf_free(w->authors);
  for (i = 0; i < w->natt; i++) {
    sheaf_free(w->att[i].url);
    sheaf_free(w->att[i].caption);
    sheaf_free(w->att[i].alt);
  }
  sheaf_free(w->att);
  sheaf_free(w->posts);
  sheaf_free(w->base_url);
}

sheaf_status sheaf_import_wxr(struct sheaf_collection *coll, struct sheaf_input *in,
                              const sheaf_options *opt, sheaf_diag *diag)
{
  struct wxr w;
  size_t first = coll->narticles, nfeeds = coll->nfeeds;
  const char *source;
  sheaf_status ret;

  memset(&w, 0, sizeof w);
  ret = sheaf_import_xml(coll, in, opt, diag, read_root, &w);
  SHEAF_CHECK(ret);
  if (coll->nfeeds == nfeeds)
    goto out; /* not reached: sheaf_import_xml adds the feed */
  source = coll->feeds[coll->nfeeds - 1]->source;
  SHEAF_CHECK(finish_posts(coll, &w, coll->feeds[coll->nfeeds - 1], diag));
  /* An uploads folder beside the export: only for a file on disk. */
  if (in->on_disk)
    SHEAF_CHECK(map_uploads(coll, coll->feeds[coll->nfeeds - 1], in->name, &w));
  if (w.nlocal_date)
    sheaf_diag_add(diag, SHEAF_NOTE, "date", source, 0, 0,
                   "%zu post%s only a local date; read as UTC", w.nlocal_date,
                   w.nlocal_date == 1 ? " has" : "s have");
  if (coll->narticles == first)
    sheaf_diag_add(diag, SHEAF_WARNING, "empty-feed", source, 0, 0,
                   "the export has no published posts%s",
                   w.nunpublished ? " (drafts and unpublished posts are left out "
                                    "unless --include-drafts is given)"
                                  : "");
out:
  wxr_fini(&w);
  return ret;
}
