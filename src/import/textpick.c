/*
 * This file contains the choice among the several texts one feed item may
 * carry for the same thing: RSS's description, a second description, an
 * Atom summary inside an RSS item, dc:description, itunes:summary,
 * media:description, itunes:subtitle. Podcast feeds often cut one short
 * ("discuss...") and give the whole in another; link blogs give two
 * different texts. The first is kept; another replaces it when it holds
 * (nearly) all its words and more, and is added after it when it holds
 * words the first lacks; one whose words are (nearly) all in the first is
 * dropped. Words are looked up in a hash index of the other text's words,
 * so the cost stays linear in the size of the texts (an archive's every
 * item carries an excerpt and the full post: this runs once per article).
 */
#include <stdlib.h>
#include <string.h>

#include "import/import.h"

struct words {
  struct sheaf_str *v;
  size_t n;
  size_t *slot; /* open addressing: index + 1 of a word, 0 empty */
  size_t mask;  /* slots - 1 (a power of two past 2n) */
};

static bool word_byte(unsigned char c)
{
  return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z');
}

static size_t hash_word(struct sheaf_str w)
{
  uint64_t h = UINT64_C(0xcbf29ce484222325);
  size_t i;

  for (i = 0; i < w.n; i++)
    h = (h ^ (unsigned char)w.p[i]) * UINT64_C(0x100000001b3);
  return (size_t)(h ^ h >> 29);
}

static bool same_word(struct sheaf_str a, struct sheaf_str b)
{
  return a.n == b.n && memcmp(a.p, b.p, a.n) == 0;
}

/* The slot of word `w` in `x`: where it is, or the empty one it would
 * take. */
static size_t find_slot(const struct words *x, struct sheaf_str w)
{
  size_t k = hash_word(w) & x->mask;

  while (x->slot[k] && !same_word(x->v[x->slot[k] - 1], w))
    k = (k + 1) & x->mask;
  return k;
}

/* The words of plain text `s`, indexed; false when out of memory. */
static bool split(const char *s, struct words *w)
{
  size_t i = 0, cap = 0, slots = 16;

  memset(w, 0, sizeof *w);
  while (s[i]) {
    size_t start;
    while (s[i] && !word_byte((unsigned char)s[i]))
      i++;
    start = i;
    while (s[i] && word_byte((unsigned char)s[i]))
      i++;
    if (i > start) {
      if (!sheaf_grow((void **)&w->v, &cap, w->n + 1, sizeof *w->v))
        return false;
      w->v[w->n++] = (struct sheaf_str){s + start, i - start};
    }
  }
  while (slots < 2 * w->n)
    slots *= 2;
  if ((w->slot = sheaf_calloc(slots, sizeof *w->slot)) == NULL)
    return false;
  w->mask = slots - 1;
  for (i = 0; i < w->n; i++) {
    size_t k = find_slot(w, w->v[i]);
    if (!w->slot[k])
      w->slot[k] = i + 1;
  }
  return true;
}

/* How many of a's words (with repeats) are among b's. */
static size_t common(const struct words *a, const struct words *b)
{
  size_t i, k = 0;

  for (i = 0; i < a->n; i++)
    if (b->n && b->slot[find_slot(b, a->v[i])])
      k++;
  return k;
}

/* Plain text of an HTML fragment; NULL when out of memory. */
static char *plain_of(const char *html)
{
  return sheaf_import_plain(html);
}

/* 9 in 10 words: a truncated copy ends in "..." or a cut word. */
static bool nearly_all(size_t part, size_t whole)
{
  return whole == 0 || part * 10 >= whole * 9;
}

bool sheaf_import_pick_text(char **first, char *other)
{
  char *pa = NULL, *pb = NULL;
  struct words a = {NULL, 0, NULL, 0}, b = a;
  bool ok = false;

  if (other == NULL || sheaf_str_trim((struct sheaf_str){other, strlen(other)}).n == 0) {
    sheaf_free(other);
    return true;
  }
  if (*first == NULL ||
      sheaf_str_trim((struct sheaf_str){*first, strlen(*first)}).n == 0) {
    sheaf_free(*first);
    *first = other;
    return true;
  }
  if ((pa = plain_of(*first)) == NULL || (pb = plain_of(other)) == NULL ||
      !split(pa, &a) || !split(pb, &b))
    goto out;
  if (nearly_all(common(&b, &a), b.n)) {
    /* Nothing new in the other. */
    sheaf_free(other);
  } else if (nearly_all(common(&a, &b), a.n)) {
    /* The other is the whole of which the first is a part. */
    sheaf_free(*first);
    *first = other;
  } else {
    struct sheaf_buf buf;
    sheaf_buf_init(&buf, 0);
    sheaf_buf_puts(&buf, *first);
    sheaf_buf_puts(&buf, "\n");
    sheaf_buf_puts(&buf, other);
    if (buf.failed) {
      sheaf_buf_fini(&buf);
      goto out;
    }
    sheaf_free(*first);
    *first = sheaf_buf_detach(&buf, NULL);
    sheaf_free(other);
    if (*first == NULL)
      goto out_freed;
  }
  ok = true;
  goto out_freed;
out:
  sheaf_free(other);
out_freed:
  sheaf_free(a.v);
  sheaf_free(b.v);
  sheaf_free(a.slot);
  sheaf_free(b.slot);
  sheaf_free(pa);
  sheaf_free(pb);
  return ok;
}
