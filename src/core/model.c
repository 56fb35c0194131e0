/*
 * This file contains the data model's lifecycle and accessors: articles,
 * feeds, collections, books and manuscripts. The stages fill these structs;
 * this file creates, frees and reads them, so ownership lives in one place.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"

/* ---- articles ------------------------------------------------------------ */

struct sheaf_article *sheaf_article_new(void)
{
  struct sheaf_article *a = sheaf_calloc(1, sizeof *a);

  if (a == NULL)
    return NULL;
  a->published = SHEAF_TIME_UNKNOWN;
  a->updated = SHEAF_TIME_UNKNOWN;
  a->order_time = SHEAF_TIME_UNKNOWN;
  a->body_format = SHEAF_BODY_HTML;
  return a;
}

static void free_index(struct sheaf_strmap *m)
{
  if (m)
    sheaf_strmap_fini(m);
  sheaf_free(m);
}

/* Few tags or authors are searched in place; from this many on, through
 * an index, so adding n of them costs O(n), not O(n^2). */
#define INDEX_FROM 8

/* Finds `key` among the n strings at strs[i * stride] (each a char *), by
 * scan or through *index, which is built when n reaches INDEX_FROM.
 * Returns the position, or n when absent; *nomem on failure. */
static size_t find_str(struct sheaf_strmap **index, const void *strs, size_t stride,
                       size_t n, const char *key, bool *nomem)
{
  const char *base = strs;
  size_t i, len = strlen(key);
  const size_t *v;

  if (n < INDEX_FROM) {
    for (i = 0; i < n; i++)
      if (strcmp(*(char *const *)(const void *)(base + i * stride), key) == 0)
        return i;
    return n;
  }
  if (*index == NULL) {
    if ((*index = sheaf_malloc(sizeof **index)) == NULL) {
      *nomem = true;
      return n;
    }
    sheaf_strmap_init(*index);
    for (i = 0; i < n; i++) {
      const char *s = *(char *const *)(const void *)(base + i * stride);
      if (!sheaf_strmap_put(*index, s, strlen(s), i)) {
        free_index(*index);
        *index = NULL;
        *nomem = true;
        return n;
      }
    }
  }
  v = sheaf_strmap_get(*index, key, len);
  return v ? *v : n;
}

/* Records the string just appended at position n - 1 in the index. */
static bool index_last(struct sheaf_strmap *index, const char *s, size_t pos)
{
  return index == NULL || sheaf_strmap_put(index, s, strlen(s), pos);
}

void sheaf_article_free(struct sheaf_article *a)
{
  size_t i;

  if (a == NULL)
    return;
  sheaf_free(a->id);
  sheaf_free(a->title);
  sheaf_free(a->link);
  sheaf_free(a->guid);
  for (i = 0; i < a->nauthors; i++)
    sheaf_free(a->authors[i]);
  sheaf_free(a->authors);
  for (i = 0; i < a->ntags; i++) {
    sheaf_free(a->tags[i].name);
    sheaf_free(a->tags[i].slug);
  }
  sheaf_free(a->tags);
  free_index(a->tag_index);
  free_index(a->author_index);
  sheaf_free(a->summary);
  sheaf_free(a->body);
  sheaf_free(a->language);
  sheaf_free(a);
}

bool sheaf_article_add_tag(struct sheaf_article *a, const char *name, const char *slug,
                           enum sheaf_tag_kind kind)
{
  struct sheaf_str nm = sheaf_str_trim((struct sheaf_str){name, strlen(name)});
  struct sheaf_tag t;
  bool nomem = false;
  size_t i;

  if (nm.n == 0)
    return true;
  t.kind = kind;
  t.name = sheaf_str_collapse_ws(nm.p, nm.n);
  if (t.name) { /* one spelling of "é", however it was typed */
    char *nfc = sheaf_unicode_normalize(t.name, strlen(t.name), false);
    sheaf_free(t.name);
    t.name = nfc;
  }
  t.slug =
      (slug && *slug) ? sheaf_slugify(slug, strlen(slug)) : sheaf_slugify(nm.p, nm.n);
  if (t.name == NULL || t.slug == NULL)
    goto fail;
  /* &a->tags[0].slug is undefined while tags is NULL (UBSan says so). */
  i = find_str(&a->tag_index, a->tags ? (const void *)&a->tags[0].slug : NULL,
               sizeof *a->tags, a->ntags, t.slug, &nomem);
  if (nomem)
    goto fail;
  if (i < a->ntags) {
    sheaf_free(t.name);
    sheaf_free(t.slug);
    return true;
  }
  /* Room for twice as many: a realloc per tag would copy n^2 bytes. */
  if (!sheaf_grow((void **)&a->tags, &a->tags_cap, a->ntags + 1, sizeof t) ||
      !index_last(a->tag_index, t.slug, a->ntags))
    goto fail;
  a->tags[a->ntags++] = t;
  return true;
fail:
  sheaf_free(t.name);
  sheaf_free(t.slug);
  return false;
}

bool sheaf_article_add_author(struct sheaf_article *a, const char *name)
{
  struct sheaf_str nm = sheaf_str_trim((struct sheaf_str){name, strlen(name)});
  char *copy;
  bool nomem = false;
  size_t i;

  if (nm.n == 0)
    return true;
  copy = sheaf_str_collapse_ws(nm.p, nm.n);
  if (copy == NULL)
    return false;
  i = find_str(&a->author_index, a->authors, sizeof *a->authors, a->nauthors, copy,
               &nomem);
  if (nomem || i < a->nauthors) {
    sheaf_free(copy);
    return !nomem;
  }
  if (!sheaf_grow((void **)&a->authors, &a->authors_cap, a->nauthors + 1,
                  sizeof *a->authors) ||
      !index_last(a->author_index, copy, a->nauthors)) {
    sheaf_free(copy);
    return false;
  }
  a->authors[a->nauthors++] = copy;
  return true;
}

bool sheaf_article_set_author(struct sheaf_article *a, size_t k, const char *name)
{
  char *copy = sheaf_strdup(name);

  if (copy == NULL)
    return false;
  sheaf_free(a->authors[k]);
  a->authors[k] = copy;
  /* The index borrowed the old name: it is made again when next needed. */
  free_index(a->author_index);
  a->author_index = NULL;
  return true;
}

bool sheaf_article_record_key(const struct sheaf_article *a, struct sheaf_buf *out)
{
  const char *base, *dot;
  size_t n;
  struct sheaf_sha1 s;
  unsigned char h[20];
  char day[32];
  size_t i;

  sheaf_buf_reset(out);
  if ((a->guid == NULL || *a->guid == '\0') && a->link && *a->link &&
      strcmp(a->id, a->link) == 0) {
    /* Sites that give every item their home page or a day's archive as
     * its link: the link alone would name several articles, and --after
     * would hold back a new one for an old one. The title (else the
     * length of the texts) is what tells such items apart when
     * duplicates are merged (select.c), and does not change as the
     * archive grows. */
    sheaf_buf_puts(out, a->link);
    if (*a->title) {
      sheaf_sha1_init(&s);
      sheaf_sha1_update(&s, a->title, strlen(a->title));
      sheaf_sha1_final(&s, h);
      sheaf_buf_puts(out, " title:");
      for (i = 0; i < 8; i++)
        sheaf_buf_printf(out, "%02x", h[i]);
    } else {
      sheaf_buf_printf(out, " length:%zu.%zu", sheaf_article_body_len(a),
                       sheaf_article_summary_len(a));
    }
    return !out->failed;
  }
  if (!(a->guid && a->source && strcmp(a->guid, a->source) == 0))
    return sheaf_buf_puts(out, a->id);
  /* A file's id is its path, which says where it sat on one machine: the
   * record names it by its folder's name, its file name, date and title
   * instead, the same from a copy of the folder anywhere. */
  base = strrchr(a->source, '/');
  base = base ? base + 1 : a->source;
  if (a->published != SHEAF_TIME_UNKNOWN)
    sheaf_date_format_iso(a->published, day);
  else
    day[0] = '\0';
  sheaf_sha1_init(&s);
  sheaf_sha1_update(&s, a->title, strlen(a->title));
  sheaf_sha1_final(&s, h);
  /* Without its extension: the book names no file. */
  dot = strrchr(base, '.');
  n = dot && dot > base ? (size_t)(dot - base) : strlen(base);
  sheaf_buf_printf(out, "file:%s/%.*s@%s#", a->folder ? a->folder : "", (int)n, base,
                   day);
  for (i = 0; i < 8; i++)
    sheaf_buf_printf(out, "%02x", h[i]);
  return !out->failed;
}

bool sheaf_article_finish(struct sheaf_article *a)
{
  if (a->title == NULL && (a->title = sheaf_strdup("")) == NULL)
    return false;
  if (a->language) {
    /* A value that is no language tag would make the chapter invalid;
     * the feed's or the book's language applies instead. */
    char *lang = sheaf_lang_normalize(a->language);
    sheaf_free(a->language);
    a->language = lang;
  }
  if (a->id)
    return true;
  if (a->guid && *a->guid)
    a->id = sheaf_strdup(a->guid);
  else if (a->link && *a->link)
    a->id = sheaf_strdup(a->link);
  else {
    struct sheaf_sha1 s;
    unsigned char h[20];
    char hex[48];
    unsigned i;
    sheaf_sha1_init(&s);
    sheaf_sha1_update(&s, a->title, strlen(a->title));
    if (a->body)
      sheaf_sha1_update(&s, a->body, strlen(a->body));
    else if (a->summary)
      sheaf_sha1_update(&s, a->summary, strlen(a->summary));
    sheaf_sha1_final(&s, h);
    memcpy(hex, "sha1:", 5);
    for (i = 0; i < 20; i++) {
      static const char digits[] = "0123456789abcdef";
      hex[5 + 2 * i] = digits[h[i] >> 4];
      hex[6 + 2 * i] = digits[h[i] & 15];
    }
    hex[45] = '\0';
    a->id = sheaf_strdup(hex);
  }
  return a->id != NULL;
}

const char *sheaf_article_get_title(const sheaf_article *a)
{
  return a->title ? a->title : "";
}

const char *sheaf_article_get_link(const sheaf_article *a)
{
  return a->link;
}

const char *sheaf_article_get_id(const sheaf_article *a)
{
  return a->id ? a->id : "";
}

const char *sheaf_article_get_author(const sheaf_article *a)
{
  return a->nauthors ? a->authors[0] : NULL;
}

long long sheaf_article_get_published(const sheaf_article *a)
{
  return a->published;
}

size_t sheaf_article_tag_count(const sheaf_article *a)
{
  return a->ntags;
}

const char *sheaf_article_get_tag_name(const sheaf_article *a, size_t i)
{
  return i < a->ntags ? a->tags[i].name : NULL;
}

const char *sheaf_article_get_tag_slug(const sheaf_article *a, size_t i)
{
  return i < a->ntags ? a->tags[i].slug : NULL;
}

const char *sheaf_article_get_source(const sheaf_article *a)
{
  return a->source ? a->source : "";
}

unsigned sheaf_article_get_line(const sheaf_article *a)
{
  return a->line;
}

/* ---- feeds and collections --------------------------------------------- */

void sheaf_feed_free(struct sheaf_feed *f)
{
  if (f == NULL)
    return;
  sheaf_free(f->title);
  sheaf_free(f->link);
  sheaf_free(f->description);
  sheaf_free(f->language);
  sheaf_free(f->generator);
  for (size_t k = 0; k < f->nassets; k++) {
    sheaf_free(f->asset_urls[k]);
    sheaf_free(f->asset_files[k]);
  }
  sheaf_free(f->asset_urls);
  sheaf_free(f->asset_files);
  if (f->archive_tag) {
    sheaf_free(f->archive_tag->name);
    sheaf_free(f->archive_tag->slug);
    sheaf_free(f->archive_tag);
  }
  sheaf_free(f);
}

sheaf_collection *sheaf_collection_new(void)
{
  struct sheaf_collection *c = sheaf_calloc(1, sizeof(struct sheaf_collection));

  if (c)
    c->body_fd = -1;
  return c;
}

void sheaf_collection_spool_bodies(struct sheaf_collection *c)
{
  c->spool_bodies = true;
}

/* Opens the body spool (an unlinked temporary file). */
static bool open_body_spool(struct sheaf_collection *c)
{
  int fd = sheaf_temp_open();

  if (fd < 0)
    return false;
  c->body_fd = fd;
  return true;
}

/* Gives back the unused room of a read article's tag and author arrays
 * (sheaf_grow starts them at 8): most articles have one to three tags and
 * one author, and an archive of a million articles keeps every article's
 * metadata until the book is written. A later addition grows them again. */
static void compact(struct sheaf_article *a)
{
  void *p;

  if (a->tags_cap > a->ntags && a->ntags &&
      (p = sheaf_realloc(a->tags, a->ntags * sizeof *a->tags)) != NULL) {
    a->tags = p;
    a->tags_cap = a->ntags;
  }
  if (a->authors_cap > a->nauthors && a->nauthors &&
      (p = sheaf_realloc(a->authors, a->nauthors * sizeof *a->authors)) != NULL) {
    a->authors = p;
    a->authors_cap = a->nauthors;
  }
}

bool sheaf_collection_spool_article(struct sheaf_collection *c, struct sheaf_article *a)
{
  size_t nb, ns;

  if (!c->spool_bodies || a->spooled)
    return true;
  if (c->body_fd < 0 && !open_body_spool(c))
    return false;
  nb = a->body ? strlen(a->body) : 0;
  ns = a->summary ? strlen(a->summary) : 0;
  if ((nb && !sheaf_pwrite_all(c->body_fd, a->body, nb, c->body_end)) ||
      (ns && !sheaf_pwrite_all(c->body_fd, a->summary, ns, c->body_end + nb)))
    return false;
  a->spool_off = c->body_end;
  a->body_len = nb;
  a->summary_len = ns;
  a->has_body = a->body != NULL;
  a->has_summary = a->summary != NULL;
  a->spooled = true;
  c->body_end += nb + ns;
  sheaf_free(a->body);
  sheaf_free(a->summary);
  a->body = a->summary = NULL;
  compact(a);
  return true;
}

bool sheaf_collection_replace_text(struct sheaf_collection *c, struct sheaf_article *a,
                                   char *body, char *summary)
{
  /* The old bytes stay in the spool, unread: it is append-only. */
  sheaf_free(a->body);
  sheaf_free(a->summary);
  a->body = body;
  a->summary = summary;
  a->spooled = a->has_body = a->has_summary = false;
  a->spool_off = 0;
  a->body_len = a->summary_len = 0;
  return sheaf_collection_spool_article(c, a);
}

static sheaf_status load_one(const struct sheaf_collection *c, const char *inline_s,
                             bool spooled, bool has, uint64_t off, size_t n, char **out)
{
  char *p;

  *out = NULL;
  if (!spooled) {
    if (inline_s && (*out = sheaf_strdup(inline_s)) == NULL)
      return SHEAF_ERR_NOMEM;
    return SHEAF_OK;
  }
  if (!has)
    return SHEAF_OK;
  if ((p = sheaf_malloc(n + 1)) == NULL)
    return SHEAF_ERR_NOMEM;
  if (n && !sheaf_pread_all(c->body_fd, p, n, off)) {
    sheaf_free(p);
    return SHEAF_ERR_IO;
  }
  p[n] = '\0';
  *out = p;
  return SHEAF_OK;
}

sheaf_status sheaf_article_load(const struct sheaf_collection *c,
                                const struct sheaf_article *a, char **body,
                                char **summary)
{
  sheaf_status st = SHEAF_OK;

  if (body)
    st = load_one(c, a->body, a->spooled, a->has_body, a->spool_off, a->body_len, body);
  if (st == SHEAF_OK && summary) {
    st = load_one(c, a->summary, a->spooled, a->has_summary, a->spool_off + a->body_len,
                  a->summary_len, summary);
    if (st != SHEAF_OK && body) {
      sheaf_free(*body);
      *body = NULL;
    }
  }
  return st;
}

size_t sheaf_article_body_len(const struct sheaf_article *a)
{
  return a->spooled ? a->body_len : a->body ? strlen(a->body) : 0;
}

size_t sheaf_article_summary_len(const struct sheaf_article *a)
{
  return a->spooled ? a->summary_len : a->summary ? strlen(a->summary) : 0;
}

void sheaf_collection_free(sheaf_collection *c)
{
  size_t i;

  if (c == NULL)
    return;
  for (i = 0; i < c->narticles; i++)
    sheaf_article_free(c->articles[i]);
  for (i = 0; i < c->nfeeds; i++)
    sheaf_feed_free(c->feeds[i]);
  for (i = 0; i < c->nsources; i++)
    sheaf_free(c->sources[i]);
  sheaf_free(c->articles);
  sheaf_free(c->feeds);
  sheaf_free(c->sources);
  sheaf_fileset_fini(&c->read);
  free_index(c->source_index);
  if (c->body_fd >= 0)
    close(c->body_fd);
  sheaf_resources_free(c->resources);
  sheaf_free(c);
}

bool sheaf_collection_add_article(struct sheaf_collection *c, struct sheaf_article *a)
{
  if (!sheaf_grow((void **)&c->articles, &c->cap, c->narticles + 1, sizeof a)) {
    sheaf_article_free(a);
    return false;
  }
  a->order = c->narticles;
  c->articles[c->narticles++] = a;
  return true;
}

bool sheaf_collection_add_feed(struct sheaf_collection *c, struct sheaf_feed *f)
{
  if (!sheaf_grow((void **)&c->feeds, &c->feeds_cap, c->nfeeds + 1, sizeof f)) {
    sheaf_feed_free(f);
    return false;
  }
  c->feeds[c->nfeeds++] = f;
  return true;
}

const char *sheaf_collection_intern_source(struct sheaf_collection *c, const char *path)
{
  size_t len = strlen(path);
  const size_t *at;
  char *copy;

  /* A folder of 100,000 files interns 100,000 names: no scan per name. */
  if (c->source_index == NULL) {
    if ((c->source_index = sheaf_malloc(sizeof *c->source_index)) == NULL)
      return NULL;
    sheaf_strmap_init(c->source_index);
  }
  if ((at = sheaf_strmap_get(c->source_index, path, len)) != NULL)
    return c->sources[*at];
  if (!sheaf_grow((void **)&c->sources, &c->sources_cap, c->nsources + 1, sizeof(char *)))
    return NULL;
  if ((copy = sheaf_strdup(path)) == NULL)
    return NULL;
  if (!sheaf_strmap_put(c->source_index, copy, len, c->nsources)) {
    sheaf_free(copy);
    return NULL;
  }
  c->sources[c->nsources++] = copy;
  return copy;
}

size_t sheaf_collection_count(const sheaf_collection *c)
{
  return c ? c->narticles : 0;
}

const sheaf_article *sheaf_collection_get(const sheaf_collection *c, size_t i)
{
  return (c && i < c->narticles) ? c->articles[i] : NULL;
}

/* ---- books ----------------------------------------------------------------- */

void sheaf_book_free(sheaf_book *b)
{
  size_t i;

  if (b == NULL)
    return;
  sheaf_free(b->chapters);
  sheaf_free(b->title);
  sheaf_free(b->subtitle);
  sheaf_free(b->publisher);
  sheaf_free(b->language);
  sheaf_free(b->identifier);
  sheaf_free(b->description);
  for (i = 0; i < b->nsubjects; i++)
    sheaf_free(b->subjects[i]);
  sheaf_free(b->subjects);
  for (i = 0; i < b->nsources; i++)
    sheaf_free(b->sources[i]);
  sheaf_free(b->sources);
  for (i = 0; i < b->ncreators; i++)
    sheaf_free(b->creators[i]);
  sheaf_free(b->creators);
  for (i = 0; i < b->ntags; i++) {
    sheaf_free(b->tags[i].name);
    sheaf_free(b->tags[i].slug);
  }
  sheaf_free(b->tags);
  for (i = 0; i < b->ngroups; i++)
    sheaf_free(b->groups[i].title);
  sheaf_free(b->groups);
  sheaf_free(b->series);
  sheaf_free(b);
}

size_t sheaf_book_count(const sheaf_book *b)
{
  return b ? b->nchapters : 0;
}

size_t sheaf_book_merged_count(const sheaf_book *b)
{
  return b ? b->merged : 0;
}

const char *sheaf_book_get_series(const sheaf_book *b, size_t *index)
{
  if (index)
    *index = b && b->series ? b->series_index : 0;
  return b ? b->series : NULL;
}

const sheaf_article *sheaf_book_get(const sheaf_book *b, size_t i)
{
  return (b && i < b->nchapters) ? b->chapters[i] : NULL;
}

const char *sheaf_book_get_title(const sheaf_book *b)
{
  return b->title ? b->title : "";
}

const char *sheaf_book_get_language(const sheaf_book *b)
{
  return b->language ? b->language : "en";
}

const char *sheaf_book_get_identifier(const sheaf_book *b)
{
  return b->identifier ? b->identifier : "";
}

char *sheaf_book_default_filename(const sheaf_book *b)
{
  const char *title = sheaf_book_get_title(b);
  char *slug = sheaf_slugify(title, strlen(title));
  char *name;
  size_t n;

  if (slug == NULL)
    return NULL;
  n = strlen(slug);
  if (n == 0)
    name = sheaf_strdup("book.epub");
  else if ((name = sheaf_malloc((n > 80 ? 80 : n) + 6)) != NULL) {
    n = n > 80 ? 80 : n;
    memcpy(name, slug, n);
    memcpy(name + n, ".epub", 6);
  }
  sheaf_free(slug);
  return name;
}

size_t sheaf_book_tag_count(const sheaf_book *b)
{
  return b ? b->ntags : 0;
}

const char *sheaf_book_get_tag(const sheaf_book *b, size_t i, const char **slug,
                               size_t *count)
{
  if (b == NULL || i >= b->ntags)
    return NULL;
  if (slug)
    *slug = b->tags[i].slug;
  if (count)
    *count = b->tags[i].count;
  return b->tags[i].name;
}

/* ---- manuscripts ------------------------------------------------------------ */

void sheaf_doc_fini(struct sheaf_doc *d)
{
  sheaf_free(d->href);
  sheaf_free(d->id);
  sheaf_free(d->media_type);
  sheaf_free(d->data);
  sheaf_free(d->title);
  memset(d, 0, sizeof *d);
}

bool sheaf_manuscript_add(struct sheaf_manuscript *m, struct sheaf_doc *doc)
{
  if (!sheaf_grow((void **)&m->docs, &m->cap, m->ndocs + 1, sizeof *doc)) {
    sheaf_doc_fini(doc);
    return false;
  }
  if (m->spool && doc->data && !doc->spooled) {
    char *data = doc->data;
    doc->data = NULL;
    if (sheaf_spool_add(m->spool, data, doc->len, &doc->spool_idx) != SHEAF_OK) {
      sheaf_doc_fini(doc);
      return false;
    }
    doc->spooled = true;
  }
  m->docs[m->ndocs++] = *doc;
  memset(doc, 0, sizeof *doc);
  return true;
}

void sheaf_manuscript_free(sheaf_manuscript *m)
{
  size_t i;

  if (m == NULL)
    return;
  for (i = 0; i < m->ndocs; i++)
    sheaf_doc_fini(&m->docs[i]);
  sheaf_free(m->docs);
  sheaf_spool_free(m->spool);
  sheaf_fileset_fini(&m->read);
  sheaf_free(m);
}
