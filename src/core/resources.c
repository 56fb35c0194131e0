/*
 * This file contains the collection's table of web resources: the images
 * (and redirects) a web archive holds, by URL, so that layout can embed an
 * image an article names without the network, the way it finds one in an
 * --assets mirror. Bytes go to an unlinked temporary file as they are
 * added; the table keeps only URLs and offsets, so memory does not grow
 * with the images' size. The newest capture of a URL wins.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <libxml/hash.h>
#include <zlib.h>

#include "core/core.h"

struct res {
  char *url;      /* fragment removed */
  char *location; /* a redirect's target (absolute), or NULL */
  uint64_t off;   /* bytes at [off, off+len) of the spool */
  size_t len;
  int64_t date; /* capture time, for "newest wins" */
};

struct sheaf_resources {
  xmlHashTablePtr by_url;  /* url -> index + 1 */
  xmlHashTablePtr by_hash; /* "crc32:length" of stored bytes -> their
                              offset + 1: an image many URLs serve is
                              stored (and later embedded) once */
  struct res *res;
  size_t n, cap;
  int fd;
  uint64_t end;
};

/* The URL without its fragment, as a new string. */
static char *key_of(const char *url)
{
  return sheaf_strndup(url, strcspn(url, "#"));
}

static struct sheaf_resources *table(struct sheaf_collection *c)
{
  if (c->resources == NULL) {
    struct sheaf_resources *r = sheaf_calloc(1, sizeof *r);
    if (r == NULL)
      return NULL;
    r->fd = -1;
    r->by_url = xmlHashCreate(64);
    r->by_hash = xmlHashCreate(64);
    if (r->by_url == NULL || r->by_hash == NULL) {
      xmlHashFree(r->by_url, NULL);
      xmlHashFree(r->by_hash, NULL);
      sheaf_free(r);
      return NULL;
    }
    c->resources = r;
  }
  return c->resources;
}

void sheaf_resources_free(struct sheaf_resources *r)
{
  size_t i;

  if (r == NULL)
    return;
  xmlHashFree(r->by_url, NULL);
  xmlHashFree(r->by_hash, NULL);
  for (i = 0; i < r->n; i++) {
    sheaf_free(r->res[i].url);
    sheaf_free(r->res[i].location);
  }
  sheaf_free(r->res);
  if (r->fd >= 0)
    close(r->fd);
  sheaf_free(r);
}

/* The entry for `url`, made when absent (then *fresh). */
static struct res *entry(struct sheaf_resources *r, const char *url, int64_t date,
                         bool *take, sheaf_status *st)
{
  char *key = key_of(url);
  uintptr_t k;
  struct res *e;

  *st = SHEAF_ERR_NOMEM;
  *take = false;
  if (key == NULL)
    return NULL;
  k = (uintptr_t)xmlHashLookup(r->by_url, BAD_CAST key);
  if (k != 0) {
    sheaf_free(key);
    e = &r->res[k - 1];
    *st = SHEAF_OK;
    /* An older capture never replaces a newer one. */
    *take =
        date == SHEAF_TIME_UNKNOWN || e->date == SHEAF_TIME_UNKNOWN || date >= e->date;
    return e;
  }
  if (!sheaf_grow((void **)&r->res, &r->cap, r->n + 1, sizeof *r->res) ||
      xmlHashAddEntry(r->by_url, BAD_CAST key, (void *)(uintptr_t)(r->n + 1)) != 0) {
    sheaf_free(key);
    return NULL;
  }
  e = &r->res[r->n++];
  memset(e, 0, sizeof *e);
  e->url = key;
  e->date = date;
  *take = true;
  *st = SHEAF_OK;
  return e;
}

/* Whether the spool holds data[0..len) at `off`. */
static bool same_bytes(const struct sheaf_resources *r, uint64_t off, const void *data,
                       size_t len)
{
  unsigned char buf[16384];
  size_t done = 0;

  while (done < len) {
    size_t n = len - done < sizeof buf ? len - done : sizeof buf;
    if (!sheaf_pread_all(r->fd, buf, n, off + done) ||
        memcmp(buf, (const unsigned char *)data + done, n) != 0)
      return false;
    done += n;
  }
  return true;
}

sheaf_status sheaf_resources_add(struct sheaf_collection *c, const char *url,
                                 const void *data, size_t len, int64_t date)
{
  struct sheaf_resources *r = table(c);
  struct res *e;
  sheaf_status st;
  bool take;

  if (r == NULL)
    return SHEAF_ERR_NOMEM;
  if ((e = entry(r, url, date, &take, &st)) == NULL || !take)
    return st;
  {
    char hex[48];
    uintptr_t k;
    /* CRC-32 and length find a candidate cheaply (SHA-1 of every image
     * cost more than the rest of the archive's reading); the bytes
     * themselves decide. */
    snprintf(hex, sizeof hex, "%08lx:%zu",
             crc32(crc32(0L, Z_NULL, 0), (const Bytef *)data, (uInt)len), len);
    k = (uintptr_t)xmlHashLookup(r->by_hash, BAD_CAST hex);
    if (k != 0 && !same_bytes(r, (uint64_t)(k - 1), data, len))
      k = 0;
    sheaf_free(e->location);
    e->location = NULL;
    e->date = date;
    e->len = len;
    if (k != 0) {
      e->off = (uint64_t)(k - 1); /* the same bytes: stored once */
      return SHEAF_OK;
    }
    if (r->fd < 0 && (r->fd = sheaf_temp_open()) < 0)
      return SHEAF_ERR_WRITE;
    if (len > 0 && !sheaf_pwrite_all(r->fd, data, len, r->end))
      return SHEAF_ERR_WRITE;
    e->off = r->end;
    r->end += len;
    /* The newest bytes with this CRC and length are the candidate. */
    if (xmlHashUpdateEntry(r->by_hash, BAD_CAST hex, (void *)(uintptr_t)(e->off + 1),
                           NULL) != 0)
      return SHEAF_ERR_NOMEM;
    return SHEAF_OK;
  }
}

sheaf_status sheaf_resources_redirect(struct sheaf_collection *c, const char *url,
                                      const char *location, int64_t date)
{
  struct sheaf_resources *r = table(c);
  struct res *e;
  sheaf_status st;
  bool take;
  char *loc;

  if (r == NULL)
    return SHEAF_ERR_NOMEM;
  if ((e = entry(r, url, date, &take, &st)) == NULL || !take)
    return st;
  if ((loc = sheaf_strdup(location)) == NULL)
    return SHEAF_ERR_NOMEM;
  sheaf_free(e->location);
  e->location = loc;
  e->len = 0;
  e->date = date;
  return SHEAF_OK;
}

sheaf_status sheaf_resources_get(const struct sheaf_collection *c, const char *url,
                                 size_t max, char **data, size_t *len)
{
  uint64_t id;
  sheaf_status st = sheaf_resources_find(c, url, &id, len);

  *data = NULL;
  if (st != SHEAF_OK)
    return st;
  if (max != 0 && *len > max)
    return SHEAF_ERR_LIMIT;
  return sheaf_resources_read(c, id, *len, data);
}

sheaf_status sheaf_resources_read(const struct sheaf_collection *c, uint64_t id,
                                  size_t len, char **data)
{
  const struct sheaf_resources *r = c->resources;

  if ((*data = sheaf_malloc(len + 1)) == NULL)
    return SHEAF_ERR_NOMEM;
  if (len > 0 && (r == NULL || !sheaf_pread_all(r->fd, *data, len, id))) {
    sheaf_free(*data);
    *data = NULL;
    return SHEAF_ERR_IO;
  }
  (*data)[len] = '\0';
  return SHEAF_OK;
}

sheaf_status sheaf_resources_find(const struct sheaf_collection *c, const char *url,
                                  uint64_t *id, size_t *len)
{
  const struct sheaf_resources *r = c->resources;
  char *key;
  unsigned hops;
  const struct res *e = NULL;

  *len = 0;
  if (r == NULL)
    return SHEAF_ERR_IO;
  if ((key = key_of(url)) == NULL)
    return SHEAF_ERR_NOMEM;
  /* At most 10 redirects, as a browser would follow (and no loop). */
  for (hops = 0; hops <= 10; hops++) {
    uintptr_t k = (uintptr_t)xmlHashLookup(r->by_url, BAD_CAST key);
    sheaf_free(key);
    key = NULL;
    if (k == 0)
      return SHEAF_ERR_IO;
    e = &r->res[k - 1];
    if (e->location == NULL)
      break;
    if ((key = key_of(e->location)) == NULL)
      return SHEAF_ERR_NOMEM;
  }
  sheaf_free(key);
  if (e == NULL || e->location != NULL)
    return SHEAF_ERR_IO;
  *id = e->off;
  *len = e->len;
  return SHEAF_OK;
}

size_t sheaf_resources_count(const struct sheaf_collection *c)
{
  return c->resources != NULL ? c->resources->n : 0;
}
