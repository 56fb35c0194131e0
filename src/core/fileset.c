/*
 * This file contains the record of the files a build has read, by device
 * and inode: the import stage adds every input (also each file of an input
 * folder), the layout stage every stylesheet, cover and image it embeds.
 * Before the book replaces a file, the package stage looks the file up
 * here, so no route (a file inside an input folder, --cover, a hard link,
 * a symbolic link, the default output name) can overwrite what was read.
 *
 * An open-addressing hash set: a folder of 100,000 files costs 100,000
 * constant-time insertions, not a scan per file.
 */
#include <string.h>
#include <sys/stat.h>

#include "core/core.h"

/* Inode numbers are dense and small, which a plain sum would cluster:
 * the pair is mixed. */
static size_t slot_of(uint64_t dev, uint64_t ino, size_t cap)
{
  return (size_t)sheaf_hash_mix(ino ^ (dev * UINT64_C(0x9e3779b97f4a7c15))) & (cap - 1);
}

void sheaf_fileset_init(struct sheaf_fileset *s)
{
  memset(s, 0, sizeof *s);
}

void sheaf_fileset_fini(struct sheaf_fileset *s)
{
  size_t i;

  for (i = 0; i < s->cap && s->pool == NULL; i++)
    sheaf_free(s->slots[i].path);
  sheaf_free(s->slots);
  memset(s, 0, sizeof *s);
}

static struct sheaf_fileent *probe(const struct sheaf_fileset *s, uint64_t dev,
                                   uint64_t ino)
{
  size_t i = slot_of(dev, ino, s->cap);

  while (s->slots[i].path && (s->slots[i].dev != dev || s->slots[i].ino != ino))
    i = (i + 1) & (s->cap - 1);
  return &s->slots[i];
}

static bool grow(struct sheaf_fileset *s)
{
  size_t cap = s->cap ? s->cap * 2 : 64, i;
  struct sheaf_fileset bigger;

  if (cap > SIZE_MAX / 2 / sizeof *s->slots)
    return false;
  bigger.slots = sheaf_calloc(cap, sizeof *bigger.slots);
  if (bigger.slots == NULL)
    return false;
  bigger.cap = cap;
  bigger.n = s->n;
  bigger.pool = s->pool;
  for (i = 0; i < s->cap; i++)
    if (s->slots[i].path)
      *probe(&bigger, s->slots[i].dev, s->slots[i].ino) = s->slots[i];
  sheaf_free(s->slots);
  *s = bigger;
  return true;
}

bool sheaf_fileset_add(struct sheaf_fileset *s, uint64_t dev, uint64_t ino,
                       const char *path)
{
  struct sheaf_fileent *e;

  /* At most half full, so probes stay short. */
  if ((s->n + 1) * 2 > s->cap && !grow(s))
    return false;
  e = probe(s, dev, ino);
  if (e->path)
    return true;
  path = path && *path ? path : "?";
  if ((e->path = s->pool ? sheaf_pool_strdup_recent(s->pool, path, strlen(path))
                         : sheaf_strdup(path)) == NULL)
    return false;
  e->dev = dev;
  e->ino = ino;
  s->n++;
  return true;
}

const char *sheaf_fileset_find(const struct sheaf_fileset *s, uint64_t dev, uint64_t ino)
{
  if (s == NULL || s->n == 0)
    return NULL;
  return probe(s, dev, ino)->path;
}

const char *sheaf_file_kind(unsigned mode)
{
  mode_t m = (mode_t)mode;

  if (S_ISFIFO(m))
    return "a FIFO (named pipe)";
  if (S_ISCHR(m))
    return "a character device";
  if (S_ISBLK(m))
    return "a block device";
  if (S_ISSOCK(m))
    return "a socket";
  if (S_ISDIR(m))
    return "a folder";
  if (S_ISLNK(m))
    return "a symbolic link";
  return "not a regular file";
}
