/*
 * This file contains a map from strings to numbers (indexes into the
 * caller's arrays), for the places where input decides how many distinct
 * names there are: tags and authors of an article, the tags of a book,
 * the source files of a collection and the file names a diagnostics list
 * interns. A linear search there made 200,000 tags cost a minute.
 *
 * Open addressing with linear probing, at most half full. The hash is
 * FNV-1a with a per-map seed and a final mix, so a feed cannot be written
 * to make every name collide; the seed changes nothing but speed, since
 * the map is only ever looked up, never walked.
 */
#include <string.h>
#include <time.h>

#include "core/core.h"

/* splitmix64's finaliser: every input bit moves every output bit. */
uint64_t sheaf_hash_mix(uint64_t x)
{
  x ^= x >> 30;
  x *= UINT64_C(0xbf58476d1ce4e5b9);
  x ^= x >> 27;
  x *= UINT64_C(0x94d049bb133111eb);
  x ^= x >> 31;
  return x;
}

uint64_t sheaf_hash_bytes(uint64_t seed, const char *p, size_t n)
{
  uint64_t h = UINT64_C(0xcbf29ce484222325) ^ seed;
  size_t i;

  for (i = 0; i < n; i++) {
    h ^= (unsigned char)p[i];
    h *= UINT64_C(0x100000001b3);
  }
  return sheaf_hash_mix(h ^ n);
}

void sheaf_strmap_init(struct sheaf_strmap *m)
{
  struct timespec ts;

  memset(m, 0, sizeof *m);
  clock_gettime(CLOCK_MONOTONIC, &ts);
  m->seed = sheaf_hash_mix((uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 32) ^
                           (uint64_t)(uintptr_t)m);
}

void sheaf_strmap_fini(struct sheaf_strmap *m)
{
  sheaf_free(m->slots);
  m->slots = NULL;
  m->n = m->cap = 0;
}

static struct sheaf_strmap_slot *probe(const struct sheaf_strmap *m, const char *key,
                                       size_t len, uint64_t h)
{
  size_t i = (size_t)h & (m->cap - 1);

  for (;;) {
    struct sheaf_strmap_slot *s = &m->slots[i];
    if (s->key == NULL ||
        (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0))
      return s;
    i = (i + 1) & (m->cap - 1);
  }
}

const size_t *sheaf_strmap_get(const struct sheaf_strmap *m, const char *key, size_t len)
{
  struct sheaf_strmap_slot *s;

  if (m == NULL || m->n == 0)
    return NULL;
  s = probe(m, key, len, sheaf_hash_bytes(m->seed, key, len));
  return s->key ? &s->val : NULL;
}

bool sheaf_strmap_put(struct sheaf_strmap *m, const char *key, size_t len, size_t val)
{
  struct sheaf_strmap_slot *s;
  uint64_t h;

  if ((m->n + 1) * 2 > m->cap) {
    size_t cap = m->cap ? m->cap * 2 : 16, i;
    struct sheaf_strmap bigger = *m;
    if (cap > SIZE_MAX / 2 / sizeof *m->slots)
      return false;
    bigger.slots = sheaf_calloc(cap, sizeof *bigger.slots);
    if (bigger.slots == NULL)
      return false;
    bigger.cap = cap;
    for (i = 0; i < m->cap; i++)
      if (m->slots[i].key)
        *probe(&bigger, m->slots[i].key, m->slots[i].len, m->slots[i].hash) = m->slots[i];
    sheaf_free(m->slots);
    *m = bigger;
  }
  h = sheaf_hash_bytes(m->seed, key, len);
  s = probe(m, key, len, h);
  if (s->key == NULL) {
    s->key = key;
    s->len = len;
    s->hash = h;
    m->n++;
  }
  s->val = val;
  return true;
}
