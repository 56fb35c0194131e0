/*
 * This file contains the select stage: it filters a collection's articles by
 * tag and date, merges duplicates (the same article read from two feeds, or
 * twice from one), orders them the way a book reads, and derives the book's
 * metadata: title, publisher, language, identifier and date range.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "select/select.h"

/* ---- tag matching ------------------------------------------------------- */

bool sheaf_select_has_tag(const struct sheaf_article *a, const char *want)
{
  char *slug = sheaf_slugify(want, strlen(want));
  size_t i;
  bool found = false;

  if (slug == NULL)
    return false;
  /* The name is compared through its slug too, so "été 2024" finds a tag
   * named "Été 2024" whose own slug is "ete-2024". */
  for (i = 0; i < a->ntags && !found; i++) {
    char *name_slug;
    if (strcmp(a->tags[i].slug, slug) == 0) {
      found = true;
      break;
    }
    name_slug = sheaf_slugify(a->tags[i].name, strlen(a->tags[i].name));
    found = name_slug && strcmp(name_slug, slug) == 0;
    sheaf_free(name_slug);
  }
  sheaf_free(slug);
  return found;
}

static bool has_any_tag(const struct sheaf_article *a, const char *const *tags, size_t n)
{
  size_t i;

  for (i = 0; i < n; i++)
    if (sheaf_select_has_tag(a, tags[i]))
      return true;
  return false;
}

/* ---- dates ----------------------------------------------------------------- */

/* Parses an option date. A bare day given as an upper bound means the end of
 * that day: --until 2023-02-22 includes articles of the 22nd. */
static sheaf_status parse_bound(const char *s, bool upper, int64_t *t, sheaf_diag *d,
                                const char *optname)
{
  size_t n = strlen(s);

  if (!sheaf_date_parse_iso8601(s, n, t, NULL)) {
    sheaf_diag_add(d, SHEAF_ERROR, "usage", NULL, 0, 0,
                   "%s '%s' is not a date; write it as YYYY-MM-DD or "
                   "YYYY-MM-DDThh:mm:ssZ",
                   optname, s);
    return SHEAF_ERR_USAGE;
  }
  if (upper && (n == 10 || n == 8) && strchr(s, 'T') == NULL)
    *t += 86399;
  return SHEAF_OK;
}

static int64_t newest_time(const struct sheaf_article *a)
{
  if (a->updated != SHEAF_TIME_UNKNOWN &&
      (a->published == SHEAF_TIME_UNKNOWN || a->updated > a->published))
    return a->updated;
  return a->published;
}

/* ---- de-duplication and ordering ------------------------------------------ */

static bool has_guid(const struct sheaf_article *a)
{
  return a->guid != NULL && *a->guid != '\0';
}

/* By link; within one link, articles without a guid first, by title, so
 * that the copies of one article sit side by side. */
static int cmp_link(const void *pa, const void *pb)
{
  const struct sheaf_article *a = *(const struct sheaf_article *const *)pa;
  const struct sheaf_article *b = *(const struct sheaf_article *const *)pb;
  int c = strcmp(a->link ? a->link : "", b->link ? b->link : "");
  if (c == 0)
    c = (int)has_guid(a) - (int)has_guid(b);
  if (c == 0)
    c = strcmp(a->title, b->title);
  return c ? c : (a->order < b->order ? -1 : a->order > b->order);
}

/* Two articles without a guid that share a link are one article when they
 * have the same title (two feeds of one site, an item updated); without
 * titles, when their texts are as long. Sites that give every item their
 * home page or a day's archive as its link give different titles or texts:
 * those stay apart, or whole posts would go. */
static bool same_by_link(const struct sheaf_article *a, const struct sheaf_article *b)
{
  if (!a->link || !b->link || has_guid(a) || has_guid(b) ||
      strcmp(a->link, b->link) != 0 || strcmp(a->title, b->title) != 0)
    return false;
  return *a->title != '\0' ||
         (sheaf_article_body_len(a) == sheaf_article_body_len(b) &&
          sheaf_article_summary_len(a) == sheaf_article_summary_len(b));
}

/* Of two copies of one article, the one updated last wins; on a tie, the one
 * read first (its feed was named first). */
static bool better(const struct sheaf_article *a, const struct sheaf_article *b)
{
  int64_t ta = newest_time(a), tb = newest_time(b);
  if (ta != tb)
    return ta > tb;
  return a->order < b->order;
}

/* By id (a guid, else the link, else a hash of the text); within one id,
 * as cmp_link orders one link. */
static int cmp_id(const void *pa, const void *pb)
{
  const struct sheaf_article *a = *(const struct sheaf_article *const *)pa;
  const struct sheaf_article *b = *(const struct sheaf_article *const *)pb;
  int c = strcmp(a->id, b->id);
  if (c == 0)
    c = (int)has_guid(a) - (int)has_guid(b);
  if (c == 0)
    c = strcmp(a->title, b->title);
  return c ? c : (a->order < b->order ? -1 : a->order > b->order);
}

/* The same id: the same article, except that the id of an article without
 * a guid is its link, which same_by_link judges. */
static bool same_by_id(const struct sheaf_article *a, const struct sheaf_article *b)
{
  if (strcmp(a->id, b->id) != 0)
    return false;
  if (!has_guid(a) && !has_guid(b) && a->link && b->link)
    return same_by_link(a, b);
  return true;
}

/* Sorts `v` by `cmp`, then keeps one article of each run of equal keys;
 * returns the new count. Articles without the key are kept as they are. By
 * link, only articles without a guid merge, and only with the same title
 * (same_by_link): podcast and link-blog feeds give every item the site's
 * home page as its link, and items with different guids are different
 * articles. `v` holds articles with their strings (views). */
static size_t dedupe_exact(const struct sheaf_article **v, size_t n,
                           int (*cmp)(const void *, const void *), bool by_link,
                           size_t *merged)
{
  size_t i, o = 0;

  qsort(v, n, sizeof *v, cmp);
  for (i = 0; i < n; i++) {
    const struct sheaf_article *a = v[i];
    bool keyless = by_link && (a->link == NULL || *a->link == '\0' ||
                               (a->guid != NULL && *a->guid != '\0'));
    if (o && !keyless) {
      const struct sheaf_article *prev = v[o - 1];
      bool same = by_link ? same_by_link(prev, a) : same_by_id(prev, a);
      if (same) {
        if (better(a, prev))
          v[o - 1] = a;
        (*merged)++;
        continue;
      }
    }
    v[o++] = a;
  }
  return o;
}

/* Whether an article has no key to merge by link: no link, or a guid. */
static bool keyless_by_link(const struct sheaf_article *a)
{
  if (a->spilled)
    return !(a->text & SHEAF_REC_LINK_SET) || (a->text & SHEAF_REC_GUID_SET);
  return a->link == NULL || *a->link == '\0' || (a->guid != NULL && *a->guid != '\0');
}

struct hashed {
  uint64_t h;
  uint32_t order;
  const struct sheaf_article *a;
};

static int cmp_hashed(const void *pa, const void *pb)
{
  const struct hashed *a = pa, *b = pb;

  if (a->h != b->h)
    return a->h < b->h ? -1 : 1;
  return a->order < b->order ? -1 : a->order > b->order;
}

/* dedupe_exact() of the n articles at r, which share a key's hash: their
 * strings are read back (they may be spilled), copied beside the articles
 * so that the comparators apply as they stand. Stores the articles kept
 * (the collection's, not copies) at out[0..*kept). */
static sheaf_status dedupe_run(const struct sheaf_collection *c, const struct hashed *r,
                               size_t n, int (*cmp)(const void *, const void *),
                               bool by_link, size_t *merged,
                               const struct sheaf_article **out, size_t *kept)
{
  struct sheaf_article *copy = sheaf_calloc(n, sizeof *copy);
  const struct sheaf_article **p = sheaf_calloc(n, sizeof *p);
  size_t *offs = sheaf_calloc(4 * n, sizeof *offs);
  struct sheaf_article_view view;
  struct sheaf_buf arena;
  sheaf_status ret = SHEAF_OK;
  size_t i, k;

  sheaf_article_view_init(&view);
  sheaf_buf_init(&arena, 0);
  if (copy == NULL || p == NULL || offs == NULL)
    ret = SHEAF_ERR_NOMEM;
  for (i = 0; ret == SHEAF_OK && i < n; i++) {
    const char *str[4];
    if ((ret = sheaf_article_view(c, r[i].a, &view)) != SHEAF_OK)
      break;
    copy[i] = view.a;
    str[0] = view.a.id;
    str[1] = view.a.title;
    str[2] = view.a.link;
    str[3] = view.a.guid;
    for (k = 0; k < 4; k++) {
      offs[4 * i + k] = str[k] ? arena.len : SIZE_MAX;
      if (str[k])
        sheaf_buf_put(&arena, str[k], strlen(str[k]) + 1);
    }
    if (arena.failed)
      ret = SHEAF_ERR_NOMEM;
  }
  if (ret == SHEAF_OK) {
    /* The arena has stopped moving: the copies' strings point into it. */
    for (i = 0; i < n; i++) {
      char *str[4];
      for (k = 0; k < 4; k++)
        str[k] = offs[4 * i + k] == SIZE_MAX ? NULL : arena.ptr + offs[4 * i + k];
      copy[i].id = str[0];
      copy[i].title = str[1];
      copy[i].link = str[2];
      copy[i].guid = str[3];
      p[i] = &copy[i];
    }
    *kept = dedupe_exact(p, n, cmp, by_link, merged);
    for (i = 0; i < *kept; i++)
      out[i] = r[p[i] - copy].a;
  }
  sheaf_article_view_fini(&view);
  sheaf_buf_fini(&arena);
  sheaf_free(offs);
  sheaf_free(p);
  sheaf_free(copy);
  return ret;
}

/* dedupe_exact() of the whole selection without its strings at hand: the
 * articles are sorted by a hash of the key (the id, or the link), and only
 * runs of equal hashes, the duplicates and the rare collisions, are read
 * back and merged exactly. The articles kept are those dedupe_exact()
 * would keep (merges happen only within one key), in another order, which
 * the sort by date makes up for. Sets *n to the new count. */
static sheaf_status dedupe(const struct sheaf_collection *c,
                           const struct sheaf_article **v, size_t *n,
                           int (*cmp)(const void *, const void *), bool by_link,
                           size_t *merged)
{
  struct hashed *h = sheaf_calloc(*n ? *n : 1, sizeof *h);
  sheaf_status ret = SHEAF_OK;
  size_t i, j, m = 0, o = 0;

  if (h == NULL)
    return SHEAF_ERR_NOMEM;
  for (i = 0; i < *n; i++) {
    const struct sheaf_article *a = v[i];
    if (by_link && keyless_by_link(a)) {
      v[o++] = a; /* kept as it is */
      continue;
    }
    h[m].a = a;
    h[m].order = a->order;
    if (by_link)
      h[m].h = a->spilled ? a->link_hash : sheaf_article_text_hash(c, a->link);
    else
      h[m].h = a->spilled ? a->id_hash : sheaf_article_text_hash(c, a->id);
    m++;
  }
  qsort(h, m, sizeof *h, cmp_hashed);
  for (i = 0; ret == SHEAF_OK && i < m; i = j) {
    size_t kept = 0;
    for (j = i + 1; j < m && h[j].h == h[i].h; j++)
      ;
    if (j - i == 1) {
      v[o++] = h[i].a;
      continue;
    }
    ret = dedupe_run(c, h + i, j - i, cmp, by_link, merged, v + o, &kept);
    o += kept;
  }
  sheaf_free(h);
  *n = o;
  return ret;
}

/* The time an article is ordered by: its date, else the time that orders
 * an undated one (a Markdown file's modification time), never shown. */
static int64_t order_key(const struct sheaf_article *a)
{
  return a->published != SHEAF_TIME_UNKNOWN ? a->published : a->order_time;
}

int sheaf_select_cmp_date(const void *pa, const void *pb)
{
  const struct sheaf_article *a = *(const struct sheaf_article *const *)pa;
  const struct sheaf_article *b = *(const struct sheaf_article *const *)pb;
  int64_t ta = order_key(a), tb = order_key(b);

  /* Articles with no time at all go last, in the order they were read. */
  if (ta != tb) {
    if (ta == SHEAF_TIME_UNKNOWN)
      return 1;
    if (tb == SHEAF_TIME_UNKNOWN)
      return -1;
    return ta < tb ? -1 : 1;
  }
  return a->order < b->order ? -1 : a->order > b->order;
}

/* ---- metadata ------------------------------------------------------------ */

/* "digital economy" -> "Digital Economy": words that are all lowercase ASCII
 * get a capital, except short function words after the first. Titles that
 * already carry capitals are left alone; their authors chose them. */
static char *title_case(const char *s)
{
  static const char *const small[] = {"a",  "an", "and", "as", "at",  "by", "for",
                                      "in", "of", "on",  "or", "the", "to", "vs"};
  char *out = sheaf_strdup(s);
  size_t i, start = 0, k;
  bool any_upper = false;

  if (out == NULL)
    return NULL;
  for (i = 0; out[i]; i++)
    if (out[i] >= 'A' && out[i] <= 'Z')
      any_upper = true;
  if (any_upper)
    return out;
  for (i = 0;; i++) {
    if (out[i] == ' ' || out[i] == '\0') {
      size_t len = i - start;
      bool is_small = false;
      for (k = 0; k < sizeof small / sizeof *small && start > 0; k++)
        if (strlen(small[k]) == len && strncmp(out + start, small[k], len) == 0)
          is_small = true;
      if (!is_small && len && out[start] >= 'a' && out[start] <= 'z')
        out[start] = (char)(out[start] - 32);
      if (out[i] == '\0')
        break;
      start = i + 1;
    }
  }
  return out;
}

/* Replaces *s by its text as XML may hold it (sheaf_buf_put_xml_chars).
 * Returns false when out of memory (*s is then unchanged). */
/* The language of a book that declares none, when the script of its
 * titles leaves no doubt: kana is written only in Japanese and hangul only
 * in Korean (Han characters alone could be Chinese or Japanese, Cyrillic
 * several languages: those stay undecided). More than half of the titles
 * must show the script and none the other, so one quoted name in an
 * English blog changes nothing. Returns "ja", "ko" or NULL (static). */
static bool is_kana(uint32_t cp)
{
  /* Hiragana and katakana, less the middle dot and the length mark, which
   * Chinese text borrows; katakana extensions; half-width katakana. */
  return (cp >= 0x3041 && cp <= 0x30ff && cp != 0x30fb && cp != 0x30fc) ||
         (cp >= 0x31f0 && cp <= 0x31ff) || (cp >= 0xff66 && cp <= 0xff9d);
}

static bool is_hangul(uint32_t cp)
{
  return (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0x1100 && cp <= 0x11ff) ||
         (cp >= 0x3131 && cp <= 0x318e);
}

/* Whether a has an empty title, spilled or not. */
static bool untitled(const struct sheaf_article *a)
{
  return a->spilled ? !(a->text & SHEAF_REC_TITLE_SET) : *a->title == '\0';
}

static const char *script_language(const struct sheaf_book *b)
{
  struct sheaf_article_view v;
  size_t i, kana = 0, hangul = 0;

  sheaf_article_view_init(&v);
  for (i = 0; i < b->nchapters; i++) {
    const char *t;
    size_t n, k = 0;
    bool has_kana = false, has_hangul = false;
    uint32_t cp;
    /* A title that cannot be read back leaves the language undecided; the
     * chapter's body, read from the same file, fails the book later. */
    if (sheaf_article_view(b->coll, b->chapters[i], &v) != SHEAF_OK) {
      sheaf_article_view_fini(&v);
      return NULL;
    }
    t = v.a.title;
    n = strlen(t);
    while (k < n) {
      if (!(t[k] & 0x80)) {
        k++;
        continue;
      }
      k += sheaf_utf8_decode(t + k, n - k, &cp);
      has_kana = has_kana || is_kana(cp);
      has_hangul = has_hangul || is_hangul(cp);
    }
    kana += has_kana;
    hangul += has_hangul;
  }
  sheaf_article_view_fini(&v);
  if (kana && !hangul && kana * 2 > b->nchapters)
    return "ja";
  if (hangul && !kana && hangul * 2 > b->nchapters)
    return "ko";
  return NULL;
}

static bool clean_text(char **s)
{
  struct sheaf_buf b;
  char *t;

  sheaf_buf_init(&b, 0);
  if (!sheaf_buf_put_xml_chars(&b, *s, strlen(*s)) ||
      (t = sheaf_buf_detach(&b, NULL)) == NULL) {
    sheaf_buf_fini(&b);
    return false;
  }
  sheaf_free(*s);
  *s = t;
  return true;
}

/* Appends a copy of `s` unless already there: found through `seen` when
 * given (the sources of a book of 100,000 files), else by a scan (a few
 * subjects). */
static bool add_string(char ***arr, size_t *n, const char *s, struct sheaf_strmap *seen)
{
  size_t i, len = strlen(s);
  char *copy;
  void *p;

  if (seen) {
    if (sheaf_strmap_get(seen, s, len))
      return true;
  } else {
    for (i = 0; i < *n; i++)
      if (strcmp((*arr)[i], s) == 0)
        return true;
  }
  if ((copy = sheaf_strdup(s)) == NULL)
    return false;
  if ((p = sheaf_realloc(*arr, (*n + 1) * sizeof(char *))) == NULL ||
      (seen && !sheaf_strmap_put(seen, copy, len, *n))) {
    if (p)
      *arr = p;
    sheaf_free(copy);
    return false;
  }
  *arr = p;
  (*arr)[(*n)++] = copy;
  return true;
}

/* Returns the display name the chapters use for the tag `want`, or NULL. */
static const char *tag_display_name(const struct sheaf_book *b, const char *want)
{
  size_t i, j;

  for (i = 0; i < b->nchapters; i++) {
    const struct sheaf_article *a = b->chapters[i];
    for (j = 0; j < a->ntags; j++) {
      /* Only its tags: a spilled article is a head, not a whole struct. */
      struct sheaf_article one;
      memset(&one, 0, sizeof one);
      one.tags = &a->tags[j];
      one.ntags = 1;
      if (sheaf_select_has_tag(&one, want))
        return a->tags[j].name;
    }
  }
  return NULL;
}

static int cmp_tag(const void *pa, const void *pb)
{
  const struct sheaf_book_tag *a = pa, *b = pb;
  if (a->count != b->count)
    return a->count > b->count ? -1 : 1;
  return strcmp(a->slug, b->slug);
}

static sheaf_status count_tags(struct sheaf_book *b)
{
  struct sheaf_strmap by_slug; /* slug -> index in b->tags */
  sheaf_status ret = SHEAF_OK;
  size_t i, j, k, cap = 0;

  sheaf_strmap_init(&by_slug);
  for (i = 0; i < b->nchapters; i++) {
    const struct sheaf_article *a = b->chapters[i];
    for (j = 0; j < a->ntags; j++) {
      const char *slug = a->tags[j].slug;
      const size_t *at = sheaf_strmap_get(&by_slug, slug, strlen(slug));
      k = at ? *at : b->ntags;
      if (k == b->ntags) {
        if (!sheaf_grow((void **)&b->tags, &cap, b->ntags + 1, sizeof *b->tags)) {
          ret = SHEAF_ERR_NOMEM;
          goto out;
        }
        b->tags[k].name = sheaf_strdup(a->tags[j].name);
        b->tags[k].slug = sheaf_strdup(slug);
        b->tags[k].count = 0;
        b->ntags++;
        /* The key is the book's own copy, which stays where it is. */
        if (!b->tags[k].name || !b->tags[k].slug ||
            !sheaf_strmap_put(&by_slug, b->tags[k].slug, strlen(slug), k)) {
          ret = SHEAF_ERR_NOMEM;
          goto out;
        }
      }
      b->tags[k].count++;
    }
  }
  if (b->ntags)
    qsort(b->tags, b->ntags, sizeof *b->tags, cmp_tag);
out:
  sheaf_strmap_fini(&by_slug);
  return ret;
}

/* The identifier names what the book is (its sources and the selection), so
 * rebuilding the same tag of the same site later gives the same identifier,
 * and readers treat the new book as a new edition of the old. */
void sheaf_select_selection_key(const sheaf_options *opt, struct sheaf_buf *key)
{
  size_t i;

  for (i = 0; i < opt->ntags; i++) {
    char *slug = sheaf_slugify(opt->tags[i], strlen(opt->tags[i]));
    if (slug)
      sheaf_buf_printf(key, "tag:%s\n", slug);
    sheaf_free(slug);
  }
  for (i = 0; i < opt->nexclude_tags; i++)
    sheaf_buf_printf(key, "exclude:%s\n", opt->exclude_tags[i]);
  if (opt->since)
    sheaf_buf_printf(key, "since:%s\n", opt->since);
  if (opt->until)
    sheaf_buf_printf(key, "until:%s\n", opt->until);
  if (opt->limit)
    sheaf_buf_printf(key, "limit:%zu\n", opt->limit);
}

static sheaf_status make_identifier(struct sheaf_book *b, const sheaf_options *opt)
{
  struct sheaf_buf key;
  char uuid[37];
  size_t i;

  sheaf_buf_init(&key, 0);
  sheaf_buf_puts(&key, "sheaf:");
  for (i = 0; i < b->nsources; i++) {
    sheaf_buf_puts(&key, b->sources[i]);
    sheaf_buf_putc(&key, '\n');
  }
  sheaf_select_selection_key(opt, &key);
  /* What is new since earlier books (--after) is a book of its own, not a
   * new edition of the whole archive. */
  if (opt->nafter && b->nchapters) {
    struct sheaf_buf first, last;
    sheaf_buf_init(&first, 0);
    sheaf_buf_init(&last, 0);
    if (!sheaf_article_record_key(b->coll, b->chapters[0], &first) ||
        !sheaf_article_record_key(b->coll, b->chapters[b->nchapters - 1], &last))
      key.failed = true;
    else
      sheaf_buf_printf(&key, "after:%s\n%s\n", first.ptr, last.ptr);
    sheaf_buf_fini(&first);
    sheaf_buf_fini(&last);
  }
  if (key.failed) {
    sheaf_buf_fini(&key);
    return SHEAF_ERR_NOMEM;
  }
  sheaf_uuid5_url(key.ptr, key.len, uuid);
  sheaf_buf_fini(&key);
  b->identifier = sheaf_malloc(9 + 37);
  if (b->identifier == NULL)
    return SHEAF_ERR_NOMEM;
  memcpy(b->identifier, "urn:uuid:", 9);
  memcpy(b->identifier + 9, uuid, 37);
  return SHEAF_OK;
}

/* The host of an http(s) URL, as a new string; NULL when there is none. */
static char *url_host(const char *url)
{
  const char *h, *e;

  if (!url)
    return NULL;
  if (sheaf_starts_with_ci(url, "https://"))
    h = url + 8;
  else if (sheaf_starts_with_ci(url, "http://"))
    h = url + 7;
  else
    return NULL;
  if (sheaf_starts_with_ci(h, "www."))
    h += 4;
  for (e = h; *e && *e != '/' && *e != ':' && *e != '?' && *e != '#'; e++)
    ;
  return e > h ? sheaf_strndup(h, (size_t)(e - h)) : NULL;
}

/* The book's authors: --author; else the articles' authors when there are
 * at most three (in order of first appearance); else the site's name (the
 * publisher, the feed's title, or the host of the articles' links), so
 * calibre never files the book under "Unknown". Returns false when out of
 * memory. */
static bool make_creators(struct sheaf_book *b, const sheaf_options *opt,
                          const struct sheaf_feed *feed)
{
  size_t i, j;
  bool many = false;
  char *host = NULL;
  const char *site;

  if (opt->nauthors) {
    for (i = 0; i < opt->nauthors; i++)
      if (opt->authors[i] && *opt->authors[i] &&
          !add_string(&b->creators, &b->ncreators, opt->authors[i], NULL))
        return false;
    if (b->ncreators)
      return true;
  }
  for (i = 0; i < b->nchapters && !many; i++) {
    const struct sheaf_article *a = b->chapters[i];
    for (j = 0; j < a->nauthors && !many; j++) {
      if (!a->authors[j] || !*a->authors[j])
        continue;
      if (b->ncreators == 3) {
        size_t k;
        for (k = 0; k < 3 && strcmp(b->creators[k], a->authors[j]) != 0; k++)
          ;
        many = k == 3; /* a fourth distinct author */
        continue;
      }
      if (!add_string(&b->creators, &b->ncreators, a->authors[j], NULL))
        return false;
    }
  }
  if (b->ncreators && !many)
    return true;
  for (i = 0; i < b->ncreators; i++)
    sheaf_free(b->creators[i]);
  sheaf_free(b->creators);
  b->creators = NULL;
  b->ncreators = 0;
  site = b->publisher && *b->publisher         ? b->publisher
         : feed && feed->title && *feed->title ? feed->title
                                               : NULL;
  if (!site) {
    struct sheaf_article_view v;
    sheaf_article_view_init(&v);
    for (i = 0; i < b->nchapters && !host; i++) {
      const struct sheaf_article *a = b->chapters[i];
      if (a->spilled && !(a->text & SHEAF_REC_LINK_SET))
        continue; /* no link: nothing to read back */
      if (sheaf_article_view(b->coll, a, &v) != SHEAF_OK) {
        sheaf_article_view_fini(&v);
        return false;
      }
      host = url_host(v.a.link);
    }
    sheaf_article_view_fini(&v);
    if (!host && feed)
      host = url_host(feed->link);
    site = host;
  }
  if (site) {
    bool ok = add_string(&b->creators, &b->ncreators, site, NULL);
    b->creators_site = true;
    sheaf_free(host);
    return ok;
  }
  return true;
}

sheaf_status sheaf_select_metadata(struct sheaf_book *b, const sheaf_options *opt,
                                   sheaf_diag *diag)
{
  const struct sheaf_collection *c = b->coll;
  const struct sheaf_feed *feed = NULL;
  const char *script;
  char *ftitle = NULL, *fpub = NULL;
  struct sheaf_strmap seen; /* sources already in b->sources */
  sheaf_status ret = SHEAF_OK;
  size_t i;

  /* The feed of the first chapter speaks for the book. */
  if (b->nchapters && b->chapters[0]->feed < c->nfeeds)
    feed = c->feeds[b->chapters[0]->feed];

  sheaf_strmap_init(&seen);
  for (i = 0; i < b->nchapters; i++) {
    const struct sheaf_article *a = b->chapters[i];
    int64_t t = newest_time(a);
    char *src;
    bool ok;
    if (!sheaf_select_source_name(c, a, &src)) {
      sheaf_strmap_fini(&seen);
      return SHEAF_ERR_NOMEM;
    }
    ok = !src || add_string(&b->sources, &b->nsources, src, &seen);
    sheaf_free(src);
    if (!ok) {
      sheaf_strmap_fini(&seen);
      return SHEAF_ERR_NOMEM;
    }
    if (t != SHEAF_TIME_UNKNOWN && (b->modified == SHEAF_TIME_UNKNOWN || t > b->modified))
      b->modified = t;
    if (a->published != SHEAF_TIME_UNKNOWN) {
      if (b->first == SHEAF_TIME_UNKNOWN || a->published < b->first) {
        b->first = a->published;
        b->first_offset = a->pub_offset;
      }
      if (b->last == SHEAF_TIME_UNKNOWN || a->published > b->last) {
        b->last = a->published;
        b->last_offset = a->pub_offset;
      }
    }
  }
  sheaf_strmap_fini(&seen);
  if (opt->source_date_epoch >= 0)
    b->modified = opt->source_date_epoch;

  if (feed && !sheaf_select_title_from_feed(feed->title, &ftitle, &fpub))
    return SHEAF_ERR_NOMEM;

  if (opt->title && *opt->title) {
    b->title = sheaf_strdup(opt->title);
  } else if (opt->ntags == 1 && tag_display_name(b, opt->tags[0])) {
    b->title = title_case(tag_display_name(b, opt->tags[0]));
  } else if (ftitle) {
    b->title = title_case(ftitle);
  } else if (feed && feed->title && *feed->title) {
    b->title = sheaf_strdup(feed->title);
  } else if (feed == NULL && b->nchapters == 1 && !untitled(b->chapters[0])) {
    struct sheaf_article_view v;
    sheaf_article_view_init(&v);
    if (sheaf_article_view(c, b->chapters[0], &v) == SHEAF_OK)
      b->title = sheaf_strdup(v.a.title);
    sheaf_article_view_fini(&v);
  } else {
    /* Markdown folders and HTML pages have no feed to name the book; a
     * file's path comes back from the spool. */
    struct sheaf_article_view v;
    char *t = NULL;
    sheaf_article_view_init(&v);
    if (feed == NULL && sheaf_article_view(c, b->chapters[0], &v) == SHEAF_OK)
      t = sheaf_select_title_from_input(&v.a);
    sheaf_article_view_fini(&v);
    b->title = t ? title_case(t) : sheaf_strdup("Articles");
    sheaf_free(t);
  }
  /* A --title or a file name may hold control characters or bytes that are
   * not UTF-8; the cover, the package and the messages get the title as
   * XML may hold it (controls dropped, bad bytes as U+FFFD). */
  if (b->title == NULL || !clean_text(&b->title))
    goto nomem;

  if (fpub)
    b->publisher = sheaf_strdup(fpub);
  else if (feed && feed->title && *feed->title && strcmp(feed->title, b->title) != 0)
    b->publisher = sheaf_strdup(feed->title);
  if (feed && feed->description && *feed->description)
    b->description = sheaf_strdup(feed->description);

  if (feed && feed->language && *feed->language &&
      (b->language = sheaf_lang_normalize(feed->language)) == NULL)
    sheaf_diag_add(diag, SHEAF_WARNING, "language", feed->source, 0, 0,
                   "the feed's language '%s' is not a language tag (like en or "
                   "en-GB); using %s",
                   feed->language,
                   opt->language && *opt->language ? opt->language : "en");
  if (b->language == NULL && b->chapters[0]->language && *b->chapters[0]->language)
    b->language = sheaf_strdup(b->chapters[0]->language);
  if (b->language == NULL && opt->language && *opt->language)
    b->language = sheaf_lang_normalize(opt->language);
  if (b->language == NULL && (script = script_language(b)) != NULL)
    b->language = sheaf_strdup(script);
  if (b->language == NULL)
    b->language = sheaf_strdup("en");
  if (b->language == NULL)
    goto nomem;

  for (i = 0; i < opt->ntags; i++) {
    const char *name = tag_display_name(b, opt->tags[i]);
    if (!add_string(&b->subjects, &b->nsubjects, name ? name : opt->tags[i], NULL))
      goto nomem;
  }
  if (opt->ntags == 0 && c->nfeeds) {
    /* A volume (series_index set) names the archive tags of its own
     * articles' feeds only: a feed added to the archive later must not
     * change the earlier volumes. */
    bool *used = sheaf_calloc(c->nfeeds, sizeof *used);
    if (used == NULL)
      goto nomem;
    for (i = 0; i < b->nchapters; i++)
      if (b->chapters[i]->feed < c->nfeeds)
        used[b->chapters[i]->feed] = true;
    for (i = 0; i < c->nfeeds; i++)
      if (c->feeds[i]->archive_tag && (used[i] || b->series_index == 0) &&
          !add_string(&b->subjects, &b->nsubjects, c->feeds[i]->archive_tag->name,
                      NULL)) {
        sheaf_free(used);
        goto nomem;
      }
    sheaf_free(used);
  }

  if (!make_creators(b, opt, feed))
    goto nomem;
  if ((ret = make_identifier(b, opt)) != SHEAF_OK)
    goto out;
  ret = count_tags(b);
  goto out;
nomem:
  ret = SHEAF_ERR_NOMEM;
out:
  sheaf_free(ftitle);
  sheaf_free(fpub);
  return ret;
}

/* ---- the stage --------------------------------------------------------------- */

sheaf_book *sheaf_select(const sheaf_collection *c, const sheaf_options *options,
                         sheaf_diag *d, sheaf_status *status)
{
  return sheaf_select_skipping(c, options, NULL, d, status);
}

struct sheaf_book *sheaf_select_skipping(const struct sheaf_collection *c,
                                         const sheaf_options *options,
                                         const struct sheaf_idset *held_ids,
                                         sheaf_diag *d, sheaf_status *status)
{
  sheaf_options local;
  const sheaf_options *opt = &local;
  struct sheaf_book *b = NULL;
  const struct sheaf_article **v = NULL;
  int64_t since = 0, until = 0;
  size_t i, n = 0, merged = 0, undated = 0, held = 0;
  struct sheaf_buf key;
  sheaf_status ret = SHEAF_OK;

  sheaf_buf_init(&key, 0);
  SHEAF_CHECK(sheaf_options_resolve(options, &local, d));
  if (opt->since)
    SHEAF_CHECK(parse_bound(opt->since, false, &since, d, "--since"));
  if (opt->until)
    SHEAF_CHECK(parse_bound(opt->until, true, &until, d, "--until"));

  v = sheaf_calloc(c->narticles ? c->narticles : 1, sizeof *v);
  b = sheaf_calloc(1, sizeof *b);
  if (v == NULL || b == NULL) {
    ret = SHEAF_ERR_NOMEM;
    goto out;
  }
  b->coll = c;
  b->modified = b->first = b->last = SHEAF_TIME_UNKNOWN;

  for (i = 0; i < c->narticles; i++) {
    const struct sheaf_article *a = c->articles[i];
    if (opt->ntags && !has_any_tag(a, opt->tags, opt->ntags))
      continue;
    if (opt->nexclude_tags && has_any_tag(a, opt->exclude_tags, opt->nexclude_tags))
      continue;
    if (held_ids && held_ids->n) {
      if (!sheaf_article_record_key(c, a, &key)) {
        ret = SHEAF_ERR_NOMEM;
        goto out;
      }
      if (sheaf_idset_has(held_ids, key.ptr)) {
        held++;
        continue;
      }
    }
    if (opt->since || opt->until) {
      if (a->published == SHEAF_TIME_UNKNOWN) {
        undated++;
        continue;
      }
      if ((opt->since && a->published < since) || (opt->until && a->published > until))
        continue;
    }
    v[n++] = a;
  }
  if (undated)
    sheaf_diag_add(d, SHEAF_WARNING, "undated", NULL, 0, 0,
                   "%zu article%s without a date left out by --since/--until", undated,
                   undated == 1 ? "" : "s");

  if (held)
    sheaf_diag_add(d, SHEAF_NOTE, "after", NULL, 0, 0,
                   "%zu article%s the books given with --after hold left out", held,
                   held == 1 ? "" : "s");
  if ((ret = dedupe(c, v, &n, cmp_id, false, &merged)) != SHEAF_OK ||
      (ret = dedupe(c, v, &n, cmp_link, true, &merged)) != SHEAF_OK) {
    if (ret == SHEAF_ERR_IO)
      sheaf_diag_add(d, SHEAF_ERROR, "io", NULL, 0, 0,
                     "cannot read the temporary file of articles: %s", strerror(errno));
    goto out;
  }
  b->merged = merged;
  if (merged)
    sheaf_diag_add(d, SHEAF_NOTE, "duplicate", NULL, 0, 0,
                   "%zu duplicate article%s merged (same guid, or same link and "
                   "title without a guid; the latest update kept)",
                   merged, merged == 1 ? "" : "s");

  qsort(v, n, sizeof *v, sheaf_select_cmp_date);
  /* --limit keeps the newest N: "the last 20 posts" is what people ask for. */
  if (opt->limit && n > opt->limit) {
    size_t dated = n, skip;
    while (dated && order_key(v[dated - 1]) == SHEAF_TIME_UNKNOWN)
      dated--;
    skip = dated > opt->limit ? dated - opt->limit : 0;
    memmove(v, v + skip, (n - skip) * sizeof *v);
    n -= skip;
    if (n > opt->limit)
      n = opt->limit;
  }
  if (opt->flags & SHEAF_OPT_NEWEST_FIRST) {
    for (i = 0; i < n / 2; i++) {
      const struct sheaf_article *t = v[i];
      v[i] = v[n - 1 - i];
      v[n - 1 - i] = t;
    }
  }

  if (n == 0) {
    ret = SHEAF_ERR_NOMATCH;
    if (c->narticles == 0)
      sheaf_diag_add(d, SHEAF_ERROR, "nomatch", NULL, 0, 0,
                     "the inputs hold no articles");
    else if (held)
      sheaf_diag_add(d, SHEAF_ERROR, "nomatch", NULL, 0, 0,
                     "nothing new: the %zu selected article%s %s in the books given "
                     "with --after",
                     held, held == 1 ? "" : "s", held == 1 ? "is" : "are all");
    else if (opt->ntags)
      sheaf_diag_add(d, SHEAF_ERROR, "nomatch", NULL, 0, 0,
                     "no article has the tag '%s'%s; run 'sheaf list --tags' "
                     "on the same inputs to see the tags they carry",
                     opt->tags[0], opt->ntags > 1 ? " (or the other tags given)" : "");
    else
      sheaf_diag_add(d, SHEAF_ERROR, "nomatch", NULL, 0, 0,
                     "none of the %zu articles matched the selection", c->narticles);
    goto out;
  }

  b->chapters = v;
  b->nchapters = n;
  v = NULL;
  ret = sheaf_select_metadata(b, opt, d);
  if (ret == SHEAF_OK)
    ret = sheaf_select_group(b, opt);

out:
  sheaf_buf_fini(&key);
  sheaf_free(v);
  if (ret != SHEAF_OK) {
    sheaf_book_free(b);
    b = NULL;
  }
  if (status)
    *status = ret;
  return b;
}
