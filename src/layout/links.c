/*
 * This file contains the map from article URLs to chapters, so a link from
 * one article to another article of the same book becomes a link to that
 * chapter. URLs are compared in a normal form that ignores what sites vary
 * without meaning anything: the scheme, a leading "www.", a default port, a
 * trailing slash, the fragment, and WordPress's ?p=ID short links (matched
 * through each article's guid, which WordPress writes in that form).
 */
#include <ctype.h>
#include <string.h>

#include <libxml/hash.h>

#include "layout/layout.h"

struct sheaf_links {
  xmlHashTablePtr map; /* normal form -> chapter number (1-based) */
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

static bool add(struct sheaf_links *l, const char *url, size_t chapter)
{
  bool nomem = false;
  char *key;

  if (!url)
    return true;
  key = sheaf_links_key(url, &nomem);
  if (key) {
    /* The first article wins a shared URL; an existing entry is no error. */
    if (xmlHashLookup(l->map, BAD_CAST key) == NULL &&
        xmlHashAddEntry(l->map, BAD_CAST key, (void *)(uintptr_t)chapter) != 0)
      nomem = true;
    sheaf_free(key);
  }
  return !nomem;
}

struct sheaf_links *sheaf_links_new(const struct sheaf_book *book, sheaf_status *status)
{
  struct sheaf_links *l = sheaf_calloc(1, sizeof *l);
  size_t i;

  *status = SHEAF_OK;
  if (!l || !(l->map = xmlHashCreate(64)))
    goto nomem;
  for (i = 0; i < book->nchapters; i++) {
    const struct sheaf_article *a = book->chapters[i];
    if (!add(l, a->link, i + 1) || !add(l, a->guid, i + 1) || !add(l, a->id, i + 1))
      goto nomem;
  }
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
  if (l->map)
    xmlHashFree(l->map, NULL);
  sheaf_free(l);
}

size_t sheaf_links_find(const struct sheaf_links *l, const char *url, bool *nomem)
{
  char *key;
  size_t n = 0;

  if (!l)
    return 0;
  key = sheaf_links_key(url, nomem);
  if (key) {
    n = (size_t)(uintptr_t)xmlHashLookup(l->map, BAD_CAST key);
    sheaf_free(key);
  }
  return n;
}
