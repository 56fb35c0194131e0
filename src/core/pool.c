/*
 * This file contains the collection's pool: small immutable strings and
 * arrays bump-allocated from large blocks and freed all at once, and the
 * interning of strings and arrays in it, so that a tag or an author named
 * by a million articles is held once.
 *
 * An article's metadata was a dozen separate mallocs (title, link, guid,
 * id, each tag's name and slug, each author, the two arrays): with
 * malloc's 16-byte header and 16-byte rounding that was ~740 bytes per
 * short article, the largest share of a big archive's memory.
 */
#include <string.h>

#include "core/core.h"

/* Big enough that a block's header and its unused tail are noise; small
 * enough that a short feed does not reserve much it never uses. */
#define BLOCK_SIZE ((size_t)64 << 10)
/* Anything larger than this gets a block of its own, so that a hostile
 * 1 MB title does not waste the rest of a block. */
#define BIG (BLOCK_SIZE / 4)

struct sheaf_pool_block {
  struct sheaf_pool_block *next;
  size_t size; /* bytes of data after the header */
  /* The data follows, aligned like a max_align_t. */
};

#define HEADER                                                                           \
  ((sizeof(struct sheaf_pool_block) + _Alignof(max_align_t) - 1) &                       \
   ~(_Alignof(max_align_t) - 1))

void sheaf_pool_init(struct sheaf_pool *p)
{
  memset(p, 0, sizeof *p);
  sheaf_strmap_init(&p->strings);
  sheaf_strmap_init(&p->arrays);
}

void sheaf_pool_fini(struct sheaf_pool *p)
{
  struct sheaf_pool_block *b = p->blocks, *next;

  for (; b; b = next) {
    next = b->next;
    sheaf_free(b);
  }
  sheaf_strmap_fini(&p->strings);
  sheaf_strmap_fini(&p->arrays);
  p->blocks = NULL;
  p->cur = NULL;
  p->left = 0;
  p->recent = NULL;
}

/* A new block of at least `n` data bytes. A big one is not where the next
 * strings go: the current block's tail stays in use. */
static struct sheaf_pool_block *new_block(struct sheaf_pool *p, size_t n)
{
  size_t size = n > BIG ? n : BLOCK_SIZE;
  struct sheaf_pool_block *b;

  if (size > SIZE_MAX - HEADER || (b = sheaf_malloc(HEADER + size)) == NULL)
    return NULL;
  b->size = size;
  b->next = p->blocks;
  p->blocks = b;
  p->bytes += HEADER + size;
  if (n <= BIG) {
    p->cur = (char *)b + HEADER;
    p->left = size;
  }
  return b;
}

void *sheaf_pool_alloc(struct sheaf_pool *p, size_t n, size_t align)
{
  size_t pad;
  char *r;

  if (n == 0)
    n = 1;
  pad = p->cur ? (size_t)(-(uintptr_t)p->cur & (align - 1)) : 0;
  if (p->cur == NULL || pad > p->left || n > p->left - pad) {
    struct sheaf_pool_block *b = new_block(p, n);
    if (b == NULL)
      return NULL;
    if (n > BIG) /* its own block, already aligned */
      return (char *)b + HEADER;
    pad = 0;
  }
  r = p->cur + pad;
  p->cur = r + n;
  p->left -= pad + n;
  return r;
}

char *sheaf_pool_strdup(struct sheaf_pool *p, const char *s, size_t n)
{
  char *r = sheaf_pool_alloc(p, n + 1, 1);

  if (r) {
    memcpy(r, s, n);
    r[n] = '\0';
  }
  return r;
}

char *sheaf_pool_strdup_recent(struct sheaf_pool *p, const char *s, size_t n)
{
  if (p->recent && strncmp(p->recent, s, n) == 0 && p->recent[n] == '\0')
    return p->recent;
  return p->recent = sheaf_pool_strdup(p, s, n);
}

/* The map's value holds the pooled copy's address: the key is that copy
 * itself, borrowed by the map for the pool's lifetime. */
static void *intern(struct sheaf_pool *p, struct sheaf_strmap *m, const void *data,
                    size_t n, size_t align, bool nul)
{
  const size_t *v = sheaf_strmap_get(m, data, n);
  char *copy;

  if (v)
    return (void *)(uintptr_t)*v;
  if ((copy = sheaf_pool_alloc(p, n + (nul ? 1 : 0), align)) == NULL)
    return NULL;
  memcpy(copy, data, n);
  if (nul)
    copy[n] = '\0';
  if (!sheaf_strmap_put(m, copy, n, (size_t)(uintptr_t)copy))
    return NULL; /* the copy stays in the pool, unused */
  return copy;
}

char *sheaf_pool_intern(struct sheaf_pool *p, const char *s, size_t n)
{
  return intern(p, &p->strings, s, n, 1, true);
}

void *sheaf_pool_intern_bytes(struct sheaf_pool *p, const void *data, size_t n)
{
  return intern(p, &p->arrays, data, n, _Alignof(max_align_t), false);
}
