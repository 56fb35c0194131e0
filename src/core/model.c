/*
 * This file contains the data model's lifecycle and accessors: articles,
 * feeds, collections, books and manuscripts. The stages fill these structs;
 * this file creates, frees and reads them, so ownership lives in one place.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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

/* a->maps[TAG_MAP] finds tags by slug, a->maps[AUTHOR_MAP] authors by
 * name. A map with no entries is one not made yet. */
#define TAG_MAP 0
#define AUTHOR_MAP 1

static void free_maps(struct sheaf_article *a)
{
  if (a->maps) {
    sheaf_strmap_fini(&a->maps[TAG_MAP]);
    sheaf_strmap_fini(&a->maps[AUTHOR_MAP]);
  }
  sheaf_free(a->maps);
  a->maps = NULL;
}

/* Forgets one of a's maps (it borrowed strings about to go). */
static void drop_map(struct sheaf_article *a, int which)
{
  if (a->maps)
    sheaf_strmap_fini(&a->maps[which]);
}

/* Few tags or authors are searched in place; from this many on, through
 * a map, so adding n of them costs O(n), not O(n^2). */
#define INDEX_FROM 8

/* Finds `key` among the n strings at strs[i * stride] (each a char *), by
 * scan or through a->maps[which], which is made when n reaches
 * INDEX_FROM. Returns the position, or n when absent; *nomem on failure. */
static size_t find_str(struct sheaf_article *a, int which, const void *strs,
                       size_t stride, size_t n, const char *key, bool *nomem)
{
  const char *base = strs;
  size_t i, len = strlen(key);
  struct sheaf_strmap *m;
  const size_t *v;

  if (n < INDEX_FROM) {
    for (i = 0; i < n; i++)
      if (strcmp(*(char *const *)(const void *)(base + i * stride), key) == 0)
        return i;
    return n;
  }
  if (a->maps == NULL) {
    if ((a->maps = sheaf_malloc(2 * sizeof *a->maps)) == NULL) {
      *nomem = true;
      return n;
    }
    sheaf_strmap_init(&a->maps[TAG_MAP]);
    sheaf_strmap_init(&a->maps[AUTHOR_MAP]);
  }
  m = &a->maps[which];
  if (m->n == 0)
    for (i = 0; i < n; i++) {
      const char *s = *(char *const *)(const void *)(base + i * stride);
      if (!sheaf_strmap_put(m, s, strlen(s), i)) {
        sheaf_strmap_fini(m);
        *nomem = true;
        return n;
      }
    }
  v = sheaf_strmap_get(m, key, len);
  return v ? *v : n;
}

/* Records the string just appended at position `pos` in its map, when
 * that is made. */
static bool index_last(struct sheaf_article *a, int which, const char *s, size_t pos)
{
  return a->maps == NULL || a->maps[which].n == 0 ||
         sheaf_strmap_put(&a->maps[which], s, strlen(s), pos);
}

/* The room a tag or author list of n entries has while it is the
 * article's own: sheaf_grow()'s steps from 8 (unpacking allocates the
 * same), so the struct needs no capacity fields. */
static size_t room(size_t n)
{
  size_t c = 8;

  if (n == 0)
    return 0;
  while (c < n)
    c *= 2;
  return c;
}

/* Room for n + 1 entries in a list of n. */
static bool grow_one(void **arr, uint32_t n, size_t size)
{
  size_t cap = room(n);

  return n < UINT32_MAX && sheaf_grow(arr, &cap, (size_t)n + 1, size);
}

void sheaf_article_free(struct sheaf_article *a)
{
  size_t i;

  if (a == NULL)
    return;
  if (!(a->packed & SHEAF_PACK_TEXT)) {
    if (!a->spilled) {
      sheaf_free(a->id);
      sheaf_free(a->title);
      sheaf_free(a->link);
      sheaf_free(a->guid);
    }
    sheaf_free(a->language);
  }
  if (!(a->packed & SHEAF_PACK_AUTHORS)) {
    for (i = 0; i < a->nauthors; i++)
      sheaf_free(a->authors[i]);
    sheaf_free(a->authors);
  }
  if (!(a->packed & SHEAF_PACK_TAGS)) {
    for (i = 0; i < a->ntags; i++) {
      sheaf_free(a->tags[i].name);
      sheaf_free(a->tags[i].slug);
    }
    sheaf_free(a->tags);
  }
  free_maps(a);
  /* A spilled article is a head in the collection's blocks, freed with
   * them. */
  if (a->spilled)
    return;
  sheaf_free(a->summary);
  sheaf_free(a->body);
  sheaf_free(a);
}

/* ---- packing: an article's metadata into its collection's pool ----------- */

/* Own copies of the pooled tags; false (nothing changed) when out of
 * memory. */
static bool unpack_tags(struct sheaf_article *a)
{
  struct sheaf_tag *t = NULL;
  size_t i;

  if (!(a->packed & SHEAF_PACK_TAGS))
    return true;
  if (a->ntags && (t = sheaf_calloc(room(a->ntags), sizeof *t)) == NULL)
    return false;
  for (i = 0; i < a->ntags; i++) {
    t[i].kind = a->tags[i].kind;
    if ((t[i].name = sheaf_strdup(a->tags[i].name)) == NULL ||
        (t[i].slug = sheaf_strdup(a->tags[i].slug)) == NULL) {
      for (size_t k = 0; k <= i; k++) {
        sheaf_free(t[k].name);
        sheaf_free(t[k].slug);
      }
      sheaf_free(t);
      return false;
    }
  }
  a->tags = t;
  a->packed &= (unsigned char)~SHEAF_PACK_TAGS;
  return true;
}

static bool unpack_authors(struct sheaf_article *a)
{
  char **v = NULL;
  size_t i;

  if (!(a->packed & SHEAF_PACK_AUTHORS))
    return true;
  if (a->nauthors && (v = sheaf_calloc(room(a->nauthors), sizeof *v)) == NULL)
    return false;
  for (i = 0; i < a->nauthors; i++)
    if ((v[i] = sheaf_strdup(a->authors[i])) == NULL) {
      while (i-- > 0)
        sheaf_free(v[i]);
      sheaf_free(v);
      return false;
    }
  a->authors = v;
  a->packed &= (unsigned char)~SHEAF_PACK_AUTHORS;
  return true;
}

/* A copy of `s` that the caller owns, for unpacking; *ok goes false when
 * out of memory. NULL stays NULL. */
static char *own(const char *s, bool *ok)
{
  char *r = s ? sheaf_strdup(s) : NULL;

  if (s && r == NULL)
    *ok = false;
  return r;
}

bool sheaf_article_unpack(struct sheaf_article *a)
{
  if ((a->packed & SHEAF_PACK_TEXT) && a->spilled) {
    /* Only the language is held: the rest is in the spool. */
    bool ok = true;
    char *lang = own(a->language, &ok);
    if (!ok)
      return false;
    a->language = lang;
    a->packed &= (unsigned char)~SHEAF_PACK_TEXT;
  }
  if (a->packed & SHEAF_PACK_TEXT) {
    bool ok = true;
    char *id = own(a->id, &ok), *title = own(a->title, &ok), *link = own(a->link, &ok),
         *guid = own(a->guid, &ok), *lang = own(a->language, &ok);
    if (!ok) {
      sheaf_free(id);
      sheaf_free(title);
      sheaf_free(link);
      sheaf_free(guid);
      sheaf_free(lang);
      return false;
    }
    a->id = id;
    a->title = title;
    a->link = link;
    a->guid = guid;
    a->language = lang;
    a->packed &= (unsigned char)~SHEAF_PACK_TEXT;
  }
  return unpack_tags(a) && unpack_authors(a);
}

/* A pooled copy of `s` (NULL stays NULL); *ok goes false when out of
 * memory. */
static char *pooled(struct sheaf_pool *p, const char *s, bool intern, bool *ok)
{
  char *r;

  if (s == NULL)
    return NULL;
  r = intern ? sheaf_pool_intern(p, s, strlen(s)) : sheaf_pool_strdup(p, s, strlen(s));
  if (r == NULL)
    *ok = false;
  return r;
}

static void pack_text(struct sheaf_pool *p, struct sheaf_article *a)
{
  bool ok = true;
  char *title, *link, *lang, *guid, *id;

  if (a->spilled) {
    /* The strings are in the spool: only the language is left. */
    lang = pooled(p, a->language, true, &ok);
    if (!ok)
      return;
    sheaf_free(a->language);
    a->language = lang;
    a->packed |= SHEAF_PACK_TEXT;
    return;
  }
  title = pooled(p, a->title, false, &ok);
  link = pooled(p, a->link, false, &ok);
  lang = pooled(p, a->language, true, &ok);

  /* A file's guid is its path, which the collection holds already, unless
   * the source is the guid's own copy (markdown.c). */
  if (a->guid && a->source && a->source != a->guid && strcmp(a->guid, a->source) == 0)
    guid = sheaf_unconst(a->source);
  else
    guid = pooled(p, a->guid, false, &ok);

  /* The id is the guid or the link unless neither was given: one copy. */
  if (a->id == NULL)
    id = NULL;
  else if (guid && strcmp(a->id, guid) == 0)
    id = guid;
  else if (link && strcmp(a->id, link) == 0)
    id = link;
  else
    id = pooled(p, a->id, false, &ok);
  if (!ok)
    return; /* what was copied stays in the pool, unused */
  if (a->source && a->source == a->guid)
    a->source = guid;
  sheaf_free(a->id);
  sheaf_free(a->title);
  sheaf_free(a->link);
  sheaf_free(a->guid);
  sheaf_free(a->language);
  a->id = id;
  a->title = title;
  a->link = link;
  a->guid = guid;
  a->language = lang;
  a->packed |= SHEAF_PACK_TEXT;
}

/* Few articles' tag lists are unlike all others' (a blog has a few dozen
 * tags and uses them in a few hundred combinations): the whole list is
 * interned, so most articles hold only a pointer to a shared one. */
static void pack_tags(struct sheaf_pool *p, struct sheaf_article *a)
{
  struct sheaf_tag small[8], *t = small, *shared = NULL;
  size_t i;
  bool ok = true;

  if (a->ntags > sizeof small / sizeof *small &&
      (t = sheaf_malloc(a->ntags * sizeof *t)) == NULL)
    return;
  /* Zeroed, padding included: the list is interned by its bytes. */
  memset(t, 0, (a->ntags ? a->ntags : 1) * sizeof *t);
  for (i = 0; ok && i < a->ntags; i++) {
    t[i].name = pooled(p, a->tags[i].name, true, &ok);
    t[i].slug = pooled(p, a->tags[i].slug, true, &ok);
    t[i].kind = a->tags[i].kind;
  }
  if (ok && a->ntags &&
      (shared = sheaf_pool_intern_bytes(p, t, a->ntags * sizeof *t)) == NULL)
    ok = false;
  if (t != small)
    sheaf_free(t);
  if (!ok)
    return;
  for (i = 0; i < a->ntags; i++) {
    sheaf_free(a->tags[i].name);
    sheaf_free(a->tags[i].slug);
  }
  sheaf_free(a->tags);
  drop_map(a, TAG_MAP);
  a->tags = shared;
  a->packed |= SHEAF_PACK_TAGS;
}

static void pack_authors(struct sheaf_pool *p, struct sheaf_article *a)
{
  char *small[4], **v = small, **shared = NULL;
  size_t i;
  bool ok = true;

  if (a->nauthors > sizeof small / sizeof *small &&
      (v = sheaf_malloc(a->nauthors * sizeof *v)) == NULL)
    return;
  for (i = 0; ok && i < a->nauthors; i++)
    v[i] = pooled(p, a->authors[i], true, &ok);
  if (ok && a->nauthors &&
      (shared = sheaf_pool_intern_bytes(p, v, a->nauthors * sizeof *v)) == NULL)
    ok = false;
  if (v != small)
    sheaf_free(v);
  if (!ok)
    return;
  for (i = 0; i < a->nauthors; i++)
    sheaf_free(a->authors[i]);
  sheaf_free(a->authors);
  drop_map(a, AUTHOR_MAP);
  a->authors = shared;
  a->packed |= SHEAF_PACK_AUTHORS;
}

void sheaf_collection_pack_article(struct sheaf_collection *c, struct sheaf_article *a)
{
  if (!(a->packed & SHEAF_PACK_TEXT))
    pack_text(&c->pool, a);
  if (!(a->packed & SHEAF_PACK_TAGS))
    pack_tags(&c->pool, a);
  if (!(a->packed & SHEAF_PACK_AUTHORS))
    pack_authors(&c->pool, a);
  if ((a->packed & SHEAF_PACK_TAGS) && (a->packed & SHEAF_PACK_AUTHORS))
    free_maps(a);
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
  if (!unpack_tags(a))
    return false;
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
  i = find_str(a, TAG_MAP, a->tags ? (const void *)&a->tags[0].slug : NULL,
               sizeof *a->tags, a->ntags, t.slug, &nomem);
  if (nomem)
    goto fail;
  if (i < a->ntags) {
    sheaf_free(t.name);
    sheaf_free(t.slug);
    return true;
  }
  /* Room for twice as many: a realloc per tag would copy n^2 bytes. */
  if (!grow_one((void **)&a->tags, a->ntags, sizeof t) ||
      !index_last(a, TAG_MAP, t.slug, a->ntags))
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
  if (!unpack_authors(a))
    return false;
  copy = sheaf_str_collapse_ws(nm.p, nm.n);
  if (copy == NULL)
    return false;
  i = find_str(a, AUTHOR_MAP, a->authors, sizeof *a->authors, a->nauthors, copy, &nomem);
  if (nomem || i < a->nauthors) {
    sheaf_free(copy);
    return !nomem;
  }
  if (!grow_one((void **)&a->authors, a->nauthors, sizeof *a->authors) ||
      !index_last(a, AUTHOR_MAP, copy, a->nauthors)) {
    sheaf_free(copy);
    return false;
  }
  a->authors[a->nauthors++] = copy;
  return true;
}

bool sheaf_article_set_author(struct sheaf_article *a, size_t k, const char *name)
{
  char *copy;

  if (!unpack_authors(a) || (copy = sheaf_strdup(name)) == NULL)
    return false;
  sheaf_free(a->authors[k]);
  a->authors[k] = copy;
  /* The index borrowed the old name: it is made again when next needed. */
  drop_map(a, AUTHOR_MAP);
  return true;
}

bool sheaf_article_record_key(const struct sheaf_collection *c,
                              const struct sheaf_article *a, struct sheaf_buf *out)
{
  const char *base, *dot;
  size_t n;
  struct sheaf_sha1 s;
  unsigned char h[20];
  char day[32];
  size_t i;

  sheaf_buf_reset(out);
  if (a->spilled) {
    struct sheaf_article_view v;
    bool ok;
    sheaf_article_view_init(&v);
    ok = sheaf_article_view(c, a, &v) == SHEAF_OK &&
         sheaf_article_record_key(c, &v.a, out);
    sheaf_article_view_fini(&v);
    return ok;
  }
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

char *sheaf_article_copy_text(const sheaf_collection *coll, const sheaf_article *a,
                              sheaf_text_field f)
{
  struct sheaf_article_view v;
  const char *s;
  char *r = NULL;

  sheaf_article_view_init(&v);
  if (sheaf_article_view(coll, a, &v) == SHEAF_OK) {
    s = f == SHEAF_TEXT_TITLE ? (v.a.title ? v.a.title : "")
        : f == SHEAF_TEXT_URL ? v.a.link
                              : (v.a.id ? v.a.id : "");
    r = s ? sheaf_strdup(s) : NULL;
  }
  sheaf_article_view_fini(&v);
  return r;
}

const char *sheaf_article_get_title(const sheaf_article *a)
{
  return !a->spilled && a->title ? a->title : "";
}

const char *sheaf_article_get_link(const sheaf_article *a)
{
  return a->spilled ? NULL : a->link;
}

const char *sheaf_article_get_id(const sheaf_article *a)
{
  return !a->spilled && a->id ? a->id : "";
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

  if (c) {
    struct timespec ts;
    sheaf_pool_init(&c->pool);
    c->read.pool = &c->pool;
    /* A seed per collection, so that no input can be written to make its
     * ids collide: colliding hashes cost the selection reads, never a
     * wrong merge (select.c compares the strings), and change no output. */
    clock_gettime(CLOCK_MONOTONIC, &ts);
    c->text_seed = sheaf_hash_mix((uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 32) ^
                                  (uint64_t)(uintptr_t)c);
  }
  return c;
}

void sheaf_collection_spool_bodies(struct sheaf_collection *c)
{
  c->spool_bodies = true;
}

/* Makes the body spool: an unlinked temporary file, written through a
 * buffer (an article is two or three small writes, which cost more in the
 * kernel than in the copy when made one by one). */
static bool open_body_spool(struct sheaf_collection *c)
{
  c->body = sheaf_appendfile_new();
  if (c->body == NULL)
    errno = ENOMEM;
  return c->body != NULL;
}

/* Appends a[0..na), b[0..nb) and r[0..nr) to the body spool, one after
 * the other; *off gets where the first starts. False with errno set. */
static bool body_put(struct sheaf_collection *c, const void *a, size_t na, const void *b,
                     size_t nb, const void *r, size_t nr, uint64_t *off)
{
  uint64_t at;

  *off = sheaf_appendfile_size(c->body);
  return (!na || sheaf_appendfile_put(c->body, a, na, &at)) &&
         (!nb || sheaf_appendfile_put(c->body, b, nb, &at)) &&
         (!nr || sheaf_appendfile_put(c->body, r, nr, &at));
}

uint64_t sheaf_article_text_hash(const struct sheaf_collection *c, const char *s)
{
  return s ? sheaf_hash_bytes(c->text_seed, s, strlen(s))
           : sheaf_hash_bytes(c->text_seed, "", 0);
}

/* Puts a's text record into `rec`: the title, then the link, guid and id
 * that a->text says are there (the bits a copy held elsewhere leaves out),
 * each NUL-terminated. Sets a->text. */
static bool text_record(struct sheaf_article *a, struct sheaf_buf *rec)
{
  const char *title = a->title ? a->title : "", *id = a->id ? a->id : "";
  unsigned t = 0;

  if (a->link)
    t |= SHEAF_REC_LINK | (*a->link ? SHEAF_REC_LINK_SET : 0);
  if (a->guid)
    t |= SHEAF_REC_GUID | (*a->guid ? SHEAF_REC_GUID_SET : 0);
  if (*title)
    t |= SHEAF_REC_TITLE_SET;
  /* A file's guid is its path: one copy, in the record, for both. */
  if (a->guid && a->source && strcmp(a->guid, a->source) == 0)
    t |= SHEAF_REC_SOURCE_IS_GUID;
  /* The id is the guid or the link unless neither was given: one copy. */
  if (a->guid && strcmp(id, a->guid) == 0)
    t |= SHEAF_REC_ID_IS_GUID;
  else if (a->link && strcmp(id, a->link) == 0)
    t |= SHEAF_REC_ID_IS_LINK;
  sheaf_buf_reset(rec);
  sheaf_buf_put(rec, title, strlen(title) + 1);
  if (a->link)
    sheaf_buf_put(rec, a->link, strlen(a->link) + 1);
  if (a->guid)
    sheaf_buf_put(rec, a->guid, strlen(a->guid) + 1);
  if (!(t & (SHEAF_REC_ID_IS_GUID | SHEAF_REC_ID_IS_LINK)))
    sheaf_buf_put(rec, id, strlen(id) + 1);
  a->text = (unsigned char)t;
  return !rec->failed;
}

/* Heads per block of the collection's array (about 600 KB a block). A
 * sanitizer build may set 1, so that reading past a head is caught. */
#ifndef HEADS_PER_BLOCK
#define HEADS_PER_BLOCK 4096
#endif

/* Room for one more head in c's blocks; NULL when out of memory. */
static struct sheaf_article *new_head(struct sheaf_collection *c)
{
  size_t k = c->nheads / HEADS_PER_BLOCK, at = c->nheads % HEADS_PER_BLOCK;

  if (at == 0) {
    size_t nblocks = k;
    if (!sheaf_grow((void **)&c->heads, &c->heads_cap, nblocks + 1, sizeof *c->heads))
      return NULL;
    if ((c->heads[k] = sheaf_malloc(HEADS_PER_BLOCK * SHEAF_ARTICLE_HEAD)) == NULL)
      return NULL;
  }
  c->nheads++;
  return (struct sheaf_article *)(void *)(c->heads[k] + at * SHEAF_ARTICLE_HEAD);
}

/* Frees a's id, title, link and guid (unless pooled) once they are in
 * the spool, keeping what the selection compares, and moves a's head into
 * the collection's blocks in its place in c->articles. Returns the head,
 * or `a` itself, not spilled, when there is no room for one (spilling
 * only saves memory). */
static struct sheaf_article *spill(struct sheaf_collection *c, struct sheaf_article *a)
{
  struct sheaf_article *h;
  size_t i;

  /* Its place: a->order, unless a web archive moved articles up. */
  i = a->order;
  if (i >= c->narticles || c->articles[i] != a)
    for (i = 0; i < c->narticles && c->articles[i] != a; i++)
      ;
  if (i == c->narticles || (h = new_head(c)) == NULL)
    return a;
  a->id_hash = sheaf_article_text_hash(c, a->id);
  a->link_hash = sheaf_article_text_hash(c, a->link);
  if (!(a->packed & SHEAF_PACK_TEXT)) {
    sheaf_free(a->id);
    sheaf_free(a->title);
    sheaf_free(a->link);
    sheaf_free(a->guid);
  }
  a->id = a->title = a->link = a->guid = NULL;
  /* A file's path (its guid) is held by the record alone. */
  if (a->text & SHEAF_REC_SOURCE_IS_GUID)
    a->source = NULL;
  a->spilled = true;
  memcpy(h, a, SHEAF_ARTICLE_HEAD);
  c->articles[i] = h;
  sheaf_free(a);
  return h;
}

bool sheaf_collection_spool_article(struct sheaf_collection *c, struct sheaf_article *a)
{
  struct sheaf_buf rec;
  uint64_t at;
  size_t nb, ns;

  if (!c->spool_bodies || a->spooled) {
    sheaf_collection_pack_article(c, a);
    return true;
  }
  if (c->body == NULL && !open_body_spool(c))
    return false;
  nb = a->body ? strlen(a->body) : 0;
  ns = a->summary ? strlen(a->summary) : 0;
  sheaf_buf_init(&rec, 0);
  if (!text_record(a, &rec)) {
    sheaf_buf_fini(&rec);
    errno = ENOMEM;
    return false;
  }
  /* Lengths are held in 32 bits: an input is at most 2 GB. */
  if (nb > UINT32_MAX || ns > UINT32_MAX || rec.len > UINT32_MAX) {
    sheaf_buf_fini(&rec);
    errno = EFBIG;
    return false;
  }
  if (!body_put(c, a->body, nb, a->summary, ns, rec.ptr, rec.len, &at)) {
    sheaf_buf_fini(&rec);
    return false;
  }
  a->spool_off = at;
  a->body_len = (uint32_t)nb;
  a->summary_len = (uint32_t)ns;
  a->text_len = (uint32_t)rec.len;
  a->has_body = a->body != NULL;
  a->has_summary = a->summary != NULL;
  a->spooled = true;
  sheaf_buf_fini(&rec);
  sheaf_free(a->body);
  sheaf_free(a->summary);
  a->body = a->summary = NULL;
  /* `a` moves: the caller finds it in c->articles again. */
  sheaf_collection_pack_article(c, spill(c, a));
  return true;
}

bool sheaf_article_titled(const struct sheaf_article *a)
{
  return a->spilled ? (a->text & SHEAF_REC_TITLE_SET) != 0 : a->title && *a->title;
}

void sheaf_article_view_init(struct sheaf_article_view *v)
{
  memset(v, 0, sizeof *v);
}

void sheaf_article_view_fini(struct sheaf_article_view *v)
{
  sheaf_free(v->mem);
  v->mem = NULL;
  v->cap = 0;
}

/* The next string of a record at *p, past its end; NULL when the record
 * holds no more (a damaged spool, never a valid one). */
static const char *next_str(const char **p, const char *end)
{
  const char *s = *p, *z = s < end ? memchr(s, '\0', (size_t)(end - s)) : NULL;

  if (z == NULL)
    return NULL;
  *p = z + 1;
  return s;
}

sheaf_status sheaf_article_view(const struct sheaf_collection *c,
                                const struct sheaf_article *a,
                                struct sheaf_article_view *v)
{
  const char *p, *end, *title, *link = NULL, *guid = NULL, *id;
  unsigned t = a->text;

  if (!a->spilled) {
    v->a = *a;
    return SHEAF_OK;
  }
  /* A head only: the rest is set below. */
  memset(&v->a, 0, sizeof v->a);
  memcpy(&v->a, a, SHEAF_ARTICLE_HEAD);
  if (v->cap < (size_t)a->text_len + 1) {
    char *m = sheaf_malloc((size_t)a->text_len + 1);
    if (m == NULL)
      return SHEAF_ERR_NOMEM;
    sheaf_free(v->mem);
    v->mem = m;
    v->cap = (size_t)a->text_len + 1;
  }
  if (!sheaf_appendfile_read(c->body, a->spool_off + a->body_len + a->summary_len, v->mem,
                             a->text_len))
    return SHEAF_ERR_IO;
  v->mem[a->text_len] = '\0';
  p = v->mem;
  end = v->mem + a->text_len;
  title = next_str(&p, end);
  if (title && (t & SHEAF_REC_LINK))
    link = next_str(&p, end);
  if (title && (t & SHEAF_REC_GUID))
    guid = next_str(&p, end);
  id = (t & SHEAF_REC_ID_IS_GUID)   ? guid
       : (t & SHEAF_REC_ID_IS_LINK) ? link
                                    : next_str(&p, end);
  if (title == NULL || id == NULL || (link == NULL && (t & SHEAF_REC_LINK)) ||
      (guid == NULL && (t & SHEAF_REC_GUID))) {
    errno = EIO;
    return SHEAF_ERR_IO;
  }
  v->a.title = sheaf_unconst(title);
  v->a.link = sheaf_unconst(link);
  v->a.guid = sheaf_unconst(guid);
  v->a.id = sheaf_unconst(id);
  if (t & SHEAF_REC_SOURCE_IS_GUID)
    v->a.source = guid;
  /* Its strings are at hand: a view of the view reads nothing. */
  v->a.spilled = false;
  return SHEAF_OK;
}

/* replace_text() of a spilled article: the new texts, then its text
 * record again, at the spool's end. */
static bool respool(struct sheaf_collection *c, struct sheaf_article *a, char *body,
                    char *summary)
{
  size_t nb = body ? strlen(body) : 0, ns = summary ? strlen(summary) : 0;
  char *rec = sheaf_malloc(a->text_len ? a->text_len : 1);
  uint64_t at;
  bool ok = false;

  if (rec == NULL)
    errno = ENOMEM;
  else if (nb > UINT32_MAX || ns > UINT32_MAX)
    errno = EFBIG;
  else if (sheaf_appendfile_read(c->body, a->spool_off + a->body_len + a->summary_len,
                                 rec, a->text_len) &&
           body_put(c, body, nb, summary, ns, rec, a->text_len, &at)) {
    a->spool_off = at;
    a->body_len = (uint32_t)nb;
    a->summary_len = (uint32_t)ns;
    a->has_body = body != NULL;
    a->has_summary = summary != NULL;
    ok = true;
  }
  sheaf_free(rec);
  sheaf_free(body);
  sheaf_free(summary);
  if (ok) /* new authors' names (wxr.c) */
    sheaf_collection_pack_article(c, a);
  return ok;
}

bool sheaf_collection_replace_text(struct sheaf_collection *c, struct sheaf_article *a,
                                   char *body, char *summary)
{
  /* The old bytes stay in the spool, unread: it is append-only. */
  if (a->spilled)
    return respool(c, a, body, summary);
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
  if (n && !sheaf_appendfile_read(c->body, off, p, n)) {
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

  /* A spilled article has no body field at all. */
  if (body)
    st = load_one(c, a->spooled ? NULL : a->body, a->spooled, a->has_body, a->spool_off,
                  a->body_len, body);
  if (st == SHEAF_OK && summary) {
    st = load_one(c, a->spooled ? NULL : a->summary, a->spooled, a->has_summary,
                  a->spool_off + a->body_len, a->summary_len, summary);
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
  sheaf_free(c->articles);
  sheaf_free(c->feeds);
  sheaf_fileset_fini(&c->read);
  sheaf_appendfile_free(c->body);
  sheaf_resources_free(c->resources);
  for (i = 0; i * HEADS_PER_BLOCK < c->nheads; i++)
    sheaf_free(c->heads[i]);
  sheaf_free(c->heads);
  /* After the articles: they borrow from it. */
  sheaf_pool_fini(&c->pool);
  sheaf_free(c);
}

bool sheaf_collection_add_article(struct sheaf_collection *c, struct sheaf_article *a)
{
  /* a->order is 32 bits. */
  if (c->narticles >= UINT32_MAX ||
      !sheaf_grow((void **)&c->articles, &c->cap, c->narticles + 1, sizeof a)) {
    sheaf_article_free(a);
    return false;
  }
  a->order = (uint32_t)c->narticles;
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
  /* A folder of a million files has a million paths: each is copied into
   * the pool once, shared with the record of files read (import.c adds it
   * there just before), without a map of every path. Nothing compares
   * sources by address, so a path met again later may be copied again. */
  return sheaf_pool_strdup_recent(&c->pool, path, strlen(path));
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

bool sheaf_manuscript_add_chapter(struct sheaf_manuscript *m, const char *title,
                                  char *data, size_t len)
{
  const struct sheaf_chapter_run *last;
  const struct sheaf_article *a;
  size_t idx, k = m->nchapters;
  bool label, run;

  /* Chapters are one run of the spine: nothing may come between them. */
  if (!m->spool || !m->book || k >= m->book->nchapters ||
      (k && m->chapters_at != m->ndocs) ||
      !sheaf_grow((void **)&m->runs, &m->runs_cap, m->nruns + 1, sizeof *m->runs) ||
      !sheaf_grow((void **)&m->labels, &m->labels_cap, m->nlabels + 1,
                  sizeof *m->labels)) {
    sheaf_free(data);
    return false;
  }
  if (sheaf_spool_add(m->spool, data, len, &idx) != SHEAF_OK)
    return false;
  if (k == 0)
    m->chapters_at = m->ndocs;
  last = m->nruns ? &m->runs[m->nruns - 1] : NULL;
  run = !last || last->spool_idx + (k - last->chapter) != idx;
  /* A spilled article's title is not at hand (nor needed: NULL stands
   * for it); a label stands in for a missing title. */
  a = m->book->chapters[k];
  label = title && (a->spilled || title != a->title);
  if (run)
    m->runs[m->nruns++] = (struct sheaf_chapter_run){k, idx};
  if (label)
    m->labels[m->nlabels++] = (struct sheaf_chapter_label){k, title};
  m->nchapters++;
  return true;
}

/* The last of the `n` records of `size` bytes (sorted by their first
 * field, a chapter) whose chapter is `k` or less, or NULL. */
static const void *at_or_before(const void *v, size_t n, size_t size, size_t k)
{
  const char *base = v;
  size_t lo = 0, hi = n;

  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2, c;
    memcpy(&c, base + mid * size, sizeof c);
    if (c <= k)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo ? base + (lo - 1) * size : NULL;
}

size_t sheaf_manuscript_count(const struct sheaf_manuscript *m)
{
  return m->ndocs + m->nchapters;
}

const struct sheaf_doc *sheaf_manuscript_doc(const struct sheaf_manuscript *m, size_t i,
                                             struct sheaf_doc_view *view)
{
  struct sheaf_doc *d = &view->doc;
  const struct sheaf_chapter_label *label;
  const struct sheaf_chapter_run *run;
  const struct sheaf_article *a;
  size_t k;

  if (i < m->chapters_at || m->nchapters == 0)
    return &m->docs[i];
  if (i >= m->chapters_at + m->nchapters)
    return &m->docs[i - m->nchapters];
  k = i - m->chapters_at;
  /* Not the article view: its buffer is reused from call to call. */
  memset(&view->doc, 0, sizeof view->doc);
  snprintf(view->id, sizeof view->id, "ch%04zu", k + 1);
  snprintf(view->href, sizeof view->href, "text/%s.xhtml", view->id);
  d->href = view->href;
  d->id = view->id;
  /* The view is read only, through a const pointer: the casts lend the
   * book's strings and a literal to fields that owned documents free. */
  d->media_type = (char *)(uintptr_t) "application/xhtml+xml";
  label = at_or_before(m->labels, m->nlabels, sizeof *m->labels, k);
  run = at_or_before(m->runs, m->nruns, sizeof *m->runs, k);
  /* A spilled article's title waits in the spool: NULL, which
   * sheaf_manuscript_doc_titled() reads back. */
  a = m->book->chapters[k];
  d->title = (char *)(uintptr_t)(label && label->chapter == k ? label->title
                                 : a->spilled                 ? NULL
                                                              : a->title);
  d->date = a->published;
  d->chapter = k + 1;
  d->in_spine = d->linear = true;
  d->landmark = k == 0 ? "bodymatter" : NULL;
  d->spooled = true;
  d->spool_idx = run->spool_idx + (k - run->chapter);
  return d;
}

const struct sheaf_doc *sheaf_manuscript_doc_titled(const struct sheaf_manuscript *m,
                                                    size_t i, struct sheaf_doc_view *view,
                                                    sheaf_status *status)
{
  const struct sheaf_doc *d = sheaf_manuscript_doc(m, i, view);

  *status = SHEAF_OK;
  if (d == &view->doc && d->title == NULL) {
    *status =
        sheaf_article_view(m->book->coll, m->book->chapters[d->chapter - 1], &view->art);
    if (*status != SHEAF_OK)
      return NULL;
    view->doc.title = view->art.a.title;
  }
  return d;
}

void sheaf_doc_view_init(struct sheaf_doc_view *view)
{
  memset(view, 0, sizeof *view);
  sheaf_article_view_init(&view->art);
}

void sheaf_doc_view_fini(struct sheaf_doc_view *view)
{
  sheaf_article_view_fini(&view->art);
}

void sheaf_manuscript_free(sheaf_manuscript *m)
{
  size_t i;

  if (m == NULL)
    return;
  for (i = 0; i < m->ndocs; i++)
    sheaf_doc_fini(&m->docs[i]);
  sheaf_free(m->docs);
  sheaf_free(m->runs);
  sheaf_free(m->labels);
  sheaf_spool_free(m->spool);
  sheaf_fileset_fini(&m->read);
  sheaf_free(m);
}
