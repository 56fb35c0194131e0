/*
 * This file contains the record of the files a build has read, by device
 * and inode: the import stage adds every input (also each file of an input
 * folder), the layout stage every stylesheet, cover and image it embeds.
 * Before the book replaces a file, the package stage looks the file up
 * here, so no route (a file inside an input folder, --cover, a hard link,
 * a symbolic link, the default output name) can overwrite what was read.
 *
 * Entries are 16 bytes in one array, in the order added, and an index of
 * entry numbers (4-byte slots, at most half full) finds them by device and
 * inode in constant time. A file of an input folder holds no path of its
 * own: its entry names the folder, whose path is held once for all its
 * files, and the rare message that needs the file's path finds its name in
 * the folder again. At a million Markdown files that is about 24 MB, where
 * 24-byte slots at most half full and a path per file took 48 MB and more.
 */
#include <dirent.h>
#include <errno.h>
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

  for (i = 0; i < s->nnames && s->pool == NULL; i++)
    sheaf_free(s->names[i]);
  sheaf_free(s->names);
  sheaf_free(s->ents);
  sheaf_free(s->index);
  sheaf_free(s->devs);
  memset(s, 0, sizeof *s);
}

/* The index slot of (dev, ino): its entry, or the empty slot where it
 * would go. `dev` is the device itself; entries hold its number. */
static uint32_t *probe(const struct sheaf_fileset *s, uint64_t dev, uint64_t ino)
{
  size_t i = slot_of(dev, ino, s->nindex);

  for (;; i = (i + 1) & (s->nindex - 1)) {
    uint32_t k = s->index[i];
    if (k == 0 || (s->ents[k - 1].ino == ino && s->devs[s->ents[k - 1].dev] == dev))
      return &s->index[i];
  }
}

static bool grow_index(struct sheaf_fileset *s)
{
  size_t cap = s->nindex ? s->nindex * 2 : 64, i;
  struct sheaf_fileset bigger = *s;

  if (cap > SIZE_MAX / 2 / sizeof *s->index)
    return false;
  if ((bigger.index = sheaf_calloc(cap, sizeof *bigger.index)) == NULL)
    return false;
  bigger.nindex = cap;
  for (i = 0; i < s->n; i++)
    *probe(&bigger, s->devs[s->ents[i].dev], s->ents[i].ino) = (uint32_t)(i + 1);
  sheaf_free(s->index);
  s->index = bigger.index;
  s->nindex = cap;
  return true;
}

/* The number of device `dev`, added if new; a build reads from a few. */
static bool dev_number(struct sheaf_fileset *s, uint64_t dev, uint32_t *num)
{
  size_t i;

  for (i = s->ndevs; i-- > 0;)
    if (s->devs[i] == dev) {
      *num = (uint32_t)i;
      return true;
    }
  if (s->ndevs >= UINT32_MAX ||
      !sheaf_grow((void **)&s->devs, &s->devs_cap, s->ndevs + 1, sizeof *s->devs))
    return false;
  s->devs[s->ndevs] = dev;
  *num = (uint32_t)s->ndevs++;
  return true;
}

/* The number of name `path` (a folder's when `folder`), added if it is not
 * the last one added: a folder's files come one after another. */
static bool name_number(struct sheaf_fileset *s, const char *path, bool folder,
                        uint32_t *num)
{
  char *copy;

  if (folder && s->nnames > 0 && s->last_folder == s->nnames &&
      strcmp(s->names[s->nnames - 1], path) == 0) {
    *num = (uint32_t)(s->nnames - 1) | SHEAF_FILESET_IN;
    return true;
  }
  if (s->nnames >= SHEAF_FILESET_IN - 1 ||
      !sheaf_grow((void **)&s->names, &s->names_cap, s->nnames + 1, sizeof *s->names))
    return false;
  copy = s->pool ? sheaf_pool_strdup_recent(s->pool, path, strlen(path))
                 : sheaf_strdup(path);
  if (copy == NULL)
    return false;
  s->names[s->nnames++] = copy;
  s->last_folder = folder ? s->nnames : 0;
  *num = (uint32_t)(s->nnames - 1) | (folder ? SHEAF_FILESET_IN : 0);
  return true;
}

static bool add(struct sheaf_fileset *s, uint64_t dev, uint64_t ino, const char *path,
                bool folder)
{
  struct sheaf_fileent e;
  uint32_t *slot;

  /* The index at most half full, so probes stay short. */
  if ((s->n + 1) * 2 > s->nindex && !grow_index(s))
    return false;
  slot = probe(s, dev, ino);
  if (*slot)
    return true;
  path = path && *path ? path : "?";
  if (s->n >= UINT32_MAX - 1 ||
      !sheaf_grow((void **)&s->ents, &s->cap, s->n + 1, sizeof *s->ents) ||
      !dev_number(s, dev, &e.dev) || !name_number(s, path, folder, &e.name))
    return false;
  e.ino = ino;
  s->ents[s->n++] = e;
  *slot = (uint32_t)s->n;
  return true;
}

bool sheaf_fileset_add(struct sheaf_fileset *s, uint64_t dev, uint64_t ino,
                       const char *path)
{
  return add(s, dev, ino, path, false);
}

bool sheaf_fileset_add_in(struct sheaf_fileset *s, uint64_t dev, uint64_t ino,
                          const char *dir)
{
  return add(s, dev, ino, dir, true);
}

/* The path of the file (dev, ino) in folder `dir`, found by reading the
 * folder again (a new string); the folder's own path when the file is no
 * longer there, NULL when out of memory. Where two names of the folder
 * are hard links of the file, either may come back: both were read. */
static char *path_in(const char *dir, uint64_t dev, uint64_t ino)
{
  struct sheaf_buf b;
  DIR *d = opendir(dir);
  struct dirent *e;
  size_t base;

  sheaf_buf_init(&b, 0);
  sheaf_buf_puts(&b, dir);
  if (b.len && b.ptr[b.len - 1] != '/')
    sheaf_buf_putc(&b, '/');
  base = b.len;
  while (d && (e = readdir(d)) != NULL) {
    struct stat st;
    b.len = base;
    sheaf_buf_puts(&b, e->d_name);
    if (b.failed)
      break;
    if (lstat(b.ptr, &st) == 0 && (uint64_t)st.st_dev == dev &&
        (uint64_t)st.st_ino == ino) {
      closedir(d);
      return sheaf_buf_detach(&b, NULL);
    }
  }
  if (d)
    closedir(d);
  sheaf_buf_fini(&b);
  return sheaf_strdup(dir);
}

bool sheaf_fileset_find(const struct sheaf_fileset *s, uint64_t dev, uint64_t ino,
                        char **path)
{
  uint32_t k, name;

  if (path)
    *path = NULL;
  if (s == NULL || s->n == 0 || (k = *probe(s, dev, ino)) == 0)
    return false;
  name = s->ents[k - 1].name;
  if (path)
    *path = name & SHEAF_FILESET_IN
                ? path_in(s->names[name & ~SHEAF_FILESET_IN], dev, ino)
                : sheaf_strdup(s->names[name]);
  return true;
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
