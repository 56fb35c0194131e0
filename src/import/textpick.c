/*
 * This file contains the choice among the several texts one feed item may
 * carry for the same thing: RSS's description, a second description, an
 * Atom summary inside an RSS item, dc:description, itunes:summary,
 * media:description, itunes:subtitle. Podcast feeds often cut one short
 * ("discuss...") and give the whole in another; link blogs give two
 * different texts. The first is kept; another replaces it when it holds
 * (nearly) all its words and more, and is added after it when it holds
 * words the first lacks; one whose words are (nearly) all in the first is
 * dropped. Only the other text's words are indexed (a hash table); the
 * first's are streamed past that index straight from its HTML, and the
 * stream stops as soon as the answer is known. An archive's every item
 * carries an excerpt and the full post, so this runs once per article with
 * the post first and the excerpt, its opening words, as the other: the
 * post's first few dozen words decide, whatever its length.
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

/* 9 in 10 words: a truncated copy ends in "..." or a cut word. */
static bool nearly_all(size_t part, size_t whole)
{
  return whole == 0 || part * 10 >= whole * 9;
}

/* The first text's words as its plain text (sheaf_import_plain) would split
 * into them, met one at a time against the other's index. */
struct stream {
  const struct words *b;
  size_t *times;   /* per word of b: how often b has it (at first use) */
  bool *met;       /* per word of b: met in the first (at first use) */
  size_t common_b; /* b's words (with repeats) met so far */
  size_t n;        /* the first's words */
  size_t common_a; /* ... of which b has */
  char *w;         /* the word being read, and its length and room */
  size_t wn, wcap;
  bool c2;   /* the last byte was 0xC2: with 0xA0 it is a no-break space */
  bool done; /* b's words are nearly all met: nothing more can change */
  bool nomem;
};

static void end_word(struct stream *st)
{
  const struct words *b = st->b;
  size_t k;

  if (st->wn == 0)
    return;
  st->n++;
  k = find_slot(b, (struct sheaf_str){st->w, st->wn});
  if (b->slot[k]) {
    size_t i = b->slot[k] - 1;
    st->common_a++;
    if (!st->met[i]) {
      st->met[i] = true;
      st->common_b += st->times[i];
      st->done = nearly_all(st->common_b, b->n);
    }
  }
  st->wn = 0;
}

static bool word_byte_add(struct stream *st, char c)
{
  if (st->wn == st->wcap && !sheaf_grow((void **)&st->w, &st->wcap, st->wn + 1, 1)) {
    st->nomem = true;
    return false;
  }
  st->w[st->wn++] = c;
  return true;
}

/* Splits as split() does the text sheaf_str_collapse_ws() would make of
 * these bytes: white space and U+00A0 (which may straddle two pieces) end
 * a word, and so does any byte that is not a word's. */
static bool stream_put(void *ctx, const char *p, size_t n)
{
  struct stream *st = ctx;
  size_t i;

  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)p[i];
    if (st->c2) {
      st->c2 = false;
      if (c == 0xA0) {
        end_word(st);
        if (st->done)
          return false;
        continue;
      }
      if (!word_byte_add(st, (char)0xC2))
        return false;
    }
    if (c == 0xC2)
      st->c2 = true;
    else if (word_byte(c)) {
      if (!word_byte_add(st, (char)c))
        return false;
    } else {
      end_word(st);
      if (st->done)
        return false;
    }
  }
  return true;
}

/* Streams the words of HTML `s` past b's index; false when out of memory.
 * When st->done comes out false, all of them were streamed. */
static bool stream(const char *s, struct stream *st)
{
  if (sheaf_import_plain_each(s, stream_put, st)) {
    if (st->c2 && !word_byte_add(st, (char)0xC2))
      return false;
    end_word(st);
  }
  return !st->nomem;
}

bool sheaf_import_pick_text(char **first, char *other)
{
  char *pb = NULL;
  struct words b = {NULL, 0, NULL, 0};
  struct stream st;
  bool ok = false;
  size_t i;

  memset(&st, 0, sizeof st);
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
  if ((pb = sheaf_import_plain(other)) == NULL || !split(pb, &b))
    goto out;
  st.b = &b;
  st.done = nearly_all(0, b.n);
  if (b.n && ((st.times = sheaf_calloc(b.n, sizeof *st.times)) == NULL ||
              (st.met = sheaf_calloc(b.n, sizeof *st.met)) == NULL))
    goto out;
  for (i = 0; i < b.n; i++)
    st.times[b.slot[find_slot(&b, b.v[i])] - 1]++;
  if (!st.done && !stream(*first, &st))
    goto out;
  if (st.done) {
    /* Nothing new in the other. */
    sheaf_free(other);
  } else if (nearly_all(st.common_a, st.n)) {
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
  sheaf_free(b.v);
  sheaf_free(b.slot);
  sheaf_free(st.times);
  sheaf_free(st.met);
  sheaf_free(st.w);
  sheaf_free(pb);
  return ok;
}
