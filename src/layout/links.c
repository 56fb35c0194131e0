/*
 * This file contains the map from article URLs to chapters, so a link from
 * one article to another article of the same book becomes a link to that
 * chapter. URLs are compared in a normal form that ignores what sites vary
 * without meaning anything: the scheme, a leading "www.", a default port, a
 * trailing slash, the fragment, and WordPress's ?p=ID short links (matched
 * through each article's guid, which WordPress writes in that form).
 *
 * The map holds no strings: each slot is a chapter, which of its article's
 * three URLs (link, guid, id) it stands for, and 30 more bits of the key's
 * hash. A slot whose bits match is confirmed by normalising that URL of
 * that article again. So it costs 8 bytes a slot, at most 2/3 full, where
 * libxml2's hash table (used before) cost a copy of every key and an entry
 * of 48 bytes, and, since it grows only when one chain passes 8 entries,
 * let chains of keys with a long common prefix ("blog.example.org/?p=")
 * lengthen with the book: 15 % of the CPU at 100,000 articles.
 */
#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "layout/layout.h"

enum { FIELD_LINK = 1, FIELD_GUID, FIELD_ID }; /* 0: an empty slot */

struct slot {
  uint32_t chapter; /* 1-based */
  uint32_t check;   /* the field (2 bits) and 30 bits of the hash */
};

struct sheaf_links {
  const struct sheaf_book *book; /* borrowed: slots name its articles */
  struct slot *slots;
  size_t cap; /* a power of two, or 0 */
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

/* The 30 bits of a key's hash that a slot keeps, beside the field. */
static uint32_t check_bits(uint64_t h)
{
  return (uint32_t)(h >> 32) & ~UINT32_C(3);
}

/* Whether slot `s` stands for `key`: its article's URL normalised again
 * (the map holds nothing else). */
static bool same(const struct sheaf_links *l, const struct slot *s, const char *key,
                 bool *nomem)
{
  const char *url = field(l->book->chapters[s->chapter - 1], s->check & 3);
  char *k = url ? sheaf_links_key(url, nomem) : NULL;
  bool eq = k && strcmp(k, key) == 0;

  sheaf_free(k);
  return eq;
}

/* The slot that holds `key` (hash `h`), or the empty slot where it would
 * go; `*steps` counts the slots looked at. */
static struct slot *probe(const struct sheaf_links *l, const char *key, uint64_t h,
                          bool *nomem, size_t *steps)
{
  size_t i = (size_t)h & (l->cap - 1);

  for (*steps = 1;; (*steps)++) {
    struct slot *s = &l->slots[i];
    if (s->chapter == 0 ||
        ((s->check & ~UINT32_C(3)) == check_bits(h) && same(l, s, key, nomem)))
      return s;
    i = (i + 1) & (l->cap - 1);
  }
}

/* Adds the URL `f` of chapter `chapter` (1-based). */
static bool add(struct sheaf_links *l, size_t chapter, unsigned f)
{
  const char *url = field(l->book->chapters[chapter - 1], f);
  bool nomem = false;
  size_t steps;
  char *key;

  if (!url)
    return true;
  key = sheaf_links_key(url, &nomem);
  if (key) {
    uint64_t h = sheaf_hash_bytes(l->seed, key, strlen(key));
    struct slot *s = probe(l, key, h, &nomem, &steps);
    /* The first article wins a shared URL; an existing entry is no error. */
    if (s->chapter == 0) {
      s->chapter = (uint32_t)chapter;
      s->check = check_bits(h) | f;
    }
    sheaf_free(key);
  }
  return !nomem;
}

struct sheaf_links *sheaf_links_new(const struct sheaf_book *book, sheaf_status *status)
{
  struct sheaf_links *l = sheaf_calloc(1, sizeof *l);
  struct timespec ts;
  size_t i, n = 0, want;

  *status = SHEAF_OK;
  if (!l)
    goto nomem;
  l->book = book;
  /* Chapters are numbered in 32 bits; past that, links stay web links. */
  if (book->nchapters == 0 || book->nchapters >= UINT32_MAX)
    return l;
  /* Sized once for every URL the articles hold (an id equal to the guid
   * counts once): a slot names its key only through the article, so the
   * table could not be rehashed without normalising every URL again. */
  for (i = 0; i < book->nchapters; i++) {
    const struct sheaf_article *a = book->chapters[i];
    n += (a->link != NULL) + (a->guid != NULL) +
         (a->id != NULL && !(a->guid && strcmp(a->id, a->guid) == 0));
  }
  for (want = 16; want < n + n / 2 + 1; want *= 2)
    if (want > SIZE_MAX / 4 / sizeof *l->slots)
      goto nomem;
  if (!(l->slots = sheaf_calloc(want, sizeof *l->slots)))
    goto nomem;
  l->cap = want;
  /* A seed per map, so no input can be written to make its URLs collide;
   * lookups only, never a walk, so the seed changes nothing else. */
  clock_gettime(CLOCK_MONOTONIC, &ts);
  l->seed = sheaf_hash_mix((uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 32) ^
                           (uint64_t)(uintptr_t)l);
  for (i = 1; i <= book->nchapters; i++)
    if (!add(l, i, FIELD_LINK) || !add(l, i, FIELD_GUID) || !add(l, i, FIELD_ID))
      goto nomem;
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
  sheaf_free(l->slots);
  sheaf_free(l);
}

/* The lookup both public finders share; *steps is 0 for no lookup. */
static size_t find(const struct sheaf_links *l, const char *url, bool *nomem,
                   size_t *steps)
{
  char *key;
  size_t n = 0;

  *steps = 0;
  if (!l || l->cap == 0)
    return 0;
  key = sheaf_links_key(url, nomem);
  if (key) {
    n = probe(l, key, sheaf_hash_bytes(l->seed, key, strlen(key)), nomem, steps)->chapter;
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
