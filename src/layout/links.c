/*
 * This file contains the map from article URLs to chapters, so a link from
 * one article to another article of the same book becomes a link to that
 * chapter. URLs are compared in a normal form that ignores what sites vary
 * without meaning anything: the scheme, a leading "www.", a default port, a
 * trailing slash, the fragment, and WordPress's ?p=ID short links (matched
 * through each article's guid, which WordPress writes in that form).
 *
 * The map holds no strings: an entry is a chapter, which of its article's
 * three URLs (link, guid, id) it stands for, and 32 bits of the key's hash;
 * an entry whose bits match is confirmed by normalising that URL of that
 * article again. The entries sit in one array sorted by those bits, with a
 * directory of where each run of top bits starts (one slot per four
 * entries), so a lookup reads one short run: 9 bytes per URL, 18 MB at a
 * million articles, where an open-addressing table of the same entries,
 * at most 2/3 full and a power of two, took 8 to 16 bytes a URL (33 MB),
 * and libxml2's hash table before it a copy of every key plus 48 bytes.
 */
#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "layout/layout.h"

enum { FIELD_LINK = 1, FIELD_GUID, FIELD_ID };

/* An entry: the key's 32 bits of hash above, the chapter (1-based) and the
 * field below, so sorting the numbers sorts by hash and, for equal hashes,
 * puts the earliest chapter first (the first article wins a shared URL). */
typedef uint64_t entry;
#define ENTRY_HASH(e) ((uint32_t)((e) >> 32))
#define ENTRY_CHAPTER(e) ((size_t)((uint32_t)(e) >> 2))
#define ENTRY_FIELD(e) ((unsigned)(e)&3)

struct sheaf_links {
  const struct sheaf_book *book; /* borrowed: entries name its articles */
  entry *ents;
  size_t n;
  uint32_t *dir; /* dir[k]: the first entry whose hash's top bits are >= k */
  unsigned bits; /* how many top bits index dir (2^bits + 1 slots) */
  uint64_t seed;
};

/* Returns the normal form of an http(s) URL, or NULL (not http, or out of
 * memory: *nomem). */
char *sheaf_links_key(const char *url, bool *nomem)
{
  struct sheaf_url_authority au;
  struct sheaf_buf b;
  const char *p, *host, *end;
  size_t hn, pn;

  if ((!sheaf_starts_with_ci(url, "https://") && !sheaf_starts_with_ci(url, "http://")) ||
      !sheaf_url_authority(url, &au) || au.end == au.start)
    return NULL;
  host = url + au.host; /* after any user info; the port stays for now */
  hn = au.end - au.host;
  end = url + au.end;
  if (hn > 4 && sheaf_str_ieq((struct sheaf_str){host, 4}, "www.")) {
    host += 4;
    hn -= 4;
  }
  if (hn > 3 && memcmp(host + hn - 3, ":80", 3) == 0)
    hn -= 3;
  else if (hn > 4 && memcmp(host + hn - 4, ":443", 4) == 0)
    hn -= 4;
  sheaf_buf_init(&b, 0);
  for (p = host; p < host + hn; p++)
    sheaf_buf_putc(&b, (char)tolower((unsigned char)*p));
  p = end;
  pn = strcspn(p, "?#");
  while (pn && p[pn - 1] == '/')
    pn--;
  if (pn == 10 && memcmp(p, "/index.php", 10) == 0)
    pn = 0;
  sheaf_buf_put(&b, p, pn);
  p += strcspn(p, "?#");
  if (*p == '?') {
    const char *q = p + 1, *qe = q + strcspn(q, "#");
    const char *id = NULL;
    /* ?p=123 (and page_id=) names a post whatever else the query holds. */
    for (p = q; p < qe;) {
      size_t k = 0;
      while (p + k < qe && p[k] != '&')
        k++;
      if (k > 2 && strncmp(p, "p=", 2) == 0 && isdigit((unsigned char)p[2]))
        id = p + 2;
      else if (k > 8 && strncmp(p, "page_id=", 8) == 0 && isdigit((unsigned char)p[8]))
        id = p + 8;
      p += k;
      if (p < qe)
        p++;
    }
    if (id) {
      sheaf_buf_puts(&b, "/?p=");
      while (isdigit((unsigned char)*id))
        sheaf_buf_putc(&b, *id++);
    } else if (qe > q) {
      sheaf_buf_putc(&b, '?');
      sheaf_buf_put(&b, q, (size_t)(qe - q));
    }
  }
  if (b.failed) {
    *nomem = true;
    sheaf_buf_fini(&b);
    return NULL;
  }
  return sheaf_buf_detach(&b, NULL);
}

static const char *field(const struct sheaf_article *a, unsigned f)
{
  return f == FIELD_LINK ? a->link : f == FIELD_GUID ? a->guid : a->id;
}

/* The 32 bits of a key's hash that an entry keeps. */
static uint32_t hash_of(const struct sheaf_links *l, const char *key)
{
  return (uint32_t)(sheaf_hash_bytes(l->seed, key, strlen(key)) >> 32);
}

/* Whether entry `e` stands for `key`: its article's URL normalised again
 * (the map holds nothing else). */
static bool same(const struct sheaf_links *l, entry e, const char *key, bool *nomem)
{
  struct sheaf_article_view v;
  const char *url = NULL;
  char *k = NULL;
  bool eq;

  /* A spilled article's URLs are read back; a failure to read counts as
   * out of memory, as a failure to normalise does. */
  sheaf_article_view_init(&v);
  if (sheaf_article_view(l->book->coll, l->book->chapters[ENTRY_CHAPTER(e) - 1], &v) !=
      SHEAF_OK)
    *nomem = true;
  else
    url = field(&v.a, ENTRY_FIELD(e));
  k = url ? sheaf_links_key(url, nomem) : NULL;
  eq = k && strcmp(k, key) == 0;
  sheaf_free(k);
  sheaf_article_view_fini(&v);
  return eq;
}

/* The directory slot of hash `h`. */
static size_t top_bits(const struct sheaf_links *l, uint32_t h)
{
  return l->bits ? (size_t)(h >> (32 - l->bits)) : 0;
}

/* Adds the URL `f` of chapter `chapter` (1-based), whose article is `a`,
 * at ents[l->n]. A guid equal to the link, an id equal to the guid or the
 * link, add nothing: the same key names the same chapter. */
static bool add(struct sheaf_links *l, const struct sheaf_article *a, size_t chapter,
                unsigned f)
{
  const char *url = field(a, f);
  bool nomem = false;
  char *key;

  if (!url || (f >= FIELD_GUID && a->link && strcmp(url, a->link) == 0) ||
      (f == FIELD_ID && a->guid && strcmp(url, a->guid) == 0))
    return true;
  key = sheaf_links_key(url, &nomem);
  if (key) {
    l->ents[l->n++] = (entry)hash_of(l, key) << 32 | (uint32_t)(chapter << 2 | f);
    sheaf_free(key);
  }
  return !nomem;
}

struct sheaf_links *sheaf_links_new(const struct sheaf_book *book, sheaf_status *status)
{
  struct sheaf_links *l = sheaf_calloc(1, sizeof *l);
  struct sheaf_article_view v;
  struct timespec ts;
  entry *grown;
  size_t i, k, top;

  *status = SHEAF_OK;
  if (!l)
    goto nomem;
  l->book = book;
  /* Chapters are numbered in 30 bits beside the field; past that, links
   * stay web links. */
  if (book->nchapters == 0 || book->nchapters >= (size_t)1 << 30)
    return l;
  /* Room for three URLs a chapter: a guid equal to the link, an id equal
   * to either, take none (the same key names the same chapter), and what
   * the array does not fill is given back below; pages never written cost
   * no memory meanwhile. */
  if (book->nchapters > SIZE_MAX / 3 / sizeof *l->ents ||
      !(l->ents = sheaf_malloc(book->nchapters * 3 * sizeof *l->ents)))
    goto nomem;
  /* A seed per map, so no input can be written to make its URLs collide;
   * lookups only, never a walk, so the seed changes nothing else. */
  clock_gettime(CLOCK_MONOTONIC, &ts);
  l->seed = sheaf_hash_mix((uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 32) ^
                           (uint64_t)(uintptr_t)l);
  sheaf_article_view_init(&v);
  for (i = 1; i <= book->nchapters; i++) {
    /* With its strings, read back when it is spilled. */
    sheaf_status st = sheaf_article_view(book->coll, book->chapters[i - 1], &v);
    const struct sheaf_article *a = &v.a;
    if (st != SHEAF_OK) {
      sheaf_article_view_fini(&v);
      sheaf_links_free(l);
      *status = st;
      return NULL;
    }
    if (!add(l, a, i, FIELD_LINK) || !add(l, a, i, FIELD_GUID) ||
        !add(l, a, i, FIELD_ID)) {
      sheaf_article_view_fini(&v);
      goto nomem;
    }
  }
  sheaf_article_view_fini(&v);
  /* Entries are indexed in 32 bits; past that, links stay web links. */
  if (l->n == 0 || l->n > UINT32_MAX) {
    l->n = 0;
    return l;
  }
  if ((grown = sheaf_realloc(l->ents, l->n * sizeof *l->ents)) != NULL)
    l->ents = grown;
  /* One directory slot per four entries or fewer. */
  for (l->bits = 0; l->bits < 30 && ((size_t)4 << l->bits) < l->n; l->bits++)
    ;
  if (!(l->dir = sheaf_calloc(((size_t)1 << l->bits) + 1, sizeof *l->dir)))
    goto nomem;
  /* In place: qsort may take a copy, and the array is the map. */
  sheaf_sort_u64(l->ents, l->n);
  /* dir[k] = the first entry whose top bits are k or more. */
  for (i = 0, k = 0; i < l->n; i++)
    for (top = top_bits(l, ENTRY_HASH(l->ents[i])); k <= top; k++)
      l->dir[k] = (uint32_t)i;
  for (; k <= (size_t)1 << l->bits; k++)
    l->dir[k] = (uint32_t)l->n;
  return l;
nomem:
  sheaf_links_free(l);
  *status = SHEAF_ERR_NOMEM;
  return NULL;
}

void sheaf_links_free(struct sheaf_links *l)
{
  if (!l)
    return;
  sheaf_free(l->ents);
  sheaf_free(l->dir);
  sheaf_free(l);
}

/* The lookup both public finders share: the run of entries under the
 * hash's top bits, in order, up to the first hash past it; *steps counts
 * the entries looked at (0 for no lookup). */
static size_t find(const struct sheaf_links *l, const char *url, bool *nomem,
                   size_t *steps)
{
  char *key;
  size_t n = 0;

  *steps = 0;
  if (!l || l->n == 0)
    return 0;
  key = sheaf_links_key(url, nomem);
  if (key) {
    uint32_t h = hash_of(l, key);
    size_t top = top_bits(l, h), i;
    for (i = l->dir[top]; i < l->dir[top + 1] && ENTRY_HASH(l->ents[i]) <= h; i++) {
      ++*steps;
      if (ENTRY_HASH(l->ents[i]) == h && same(l, l->ents[i], key, nomem)) {
        n = ENTRY_CHAPTER(l->ents[i]);
        break;
      }
    }
    /* An empty run still cost a look. */
    if (*steps == 0)
      *steps = 1;
    sheaf_free(key);
  }
  return n;
}

size_t sheaf_links_find(const struct sheaf_links *l, const char *url, bool *nomem)
{
  size_t steps;

  return find(l, url, nomem, &steps);
}

size_t sheaf_links_probes(const struct sheaf_links *l, const char *url)
{
  bool nomem = false;
  size_t steps;

  find(l, url, &nomem, &steps);
  return steps;
}
