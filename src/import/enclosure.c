/*
 * This file contains the list of an item's audio and video files (RSS
 * <enclosure>, media:content, Atom rel="enclosure" links): a podcast
 * episode's chapter lists them as links with their type and size or
 * duration, so the book says where the episode is even though it cannot
 * hold it. Each URL is listed once, in the order the feed gives them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/import.h"

/* Audio or video, by its type, else by its file name's extension. */
static bool is_media(const char *url, const char *type)
{
  static const char *const exts[] = {".mp3", ".m4a",  ".m4b",  ".aac", ".ogg",
                                     ".oga", ".opus", ".flac", ".wav", ".mp4",
                                     ".m4v", ".mov",  ".webm", ".mkv", ".ogv"};
  size_t n = strcspn(url, "?#"), i;

  if (type && *type)
    return sheaf_starts_with_ci(type, "audio/") || sheaf_starts_with_ci(type, "video/");
  for (i = 0; i < sizeof exts / sizeof *exts; i++) {
    size_t k = strlen(exts[i]);
    if (n > k) {
      size_t j = 0;
      while (j < k && (url[n - k + j] | 0x20) == exts[i][j])
        j++;
      if (j == k)
        return true;
    }
  }
  return false;
}

bool sheaf_import_enclosure_add(struct sheaf_enclosures *e, const char *url,
                                const char *type, const char *length)
{
  size_t i;
  char *end;
  unsigned long long size = 0;

  if (url == NULL ||
      (!sheaf_starts_with_ci(url, "http://") && !sheaf_starts_with_ci(url, "https://")) ||
      !is_media(url, type))
    return true;
  if (length && *length) {
    size = strtoull(length, &end, 10);
    if (*end != '\0')
      size = 0;
  }
  for (i = 0; i < e->n; i++)
    if (strcmp(e->v[i].url, url) == 0) {
      if (e->v[i].size == 0)
        e->v[i].size = size;
      return true;
    }
  if (!sheaf_grow((void **)&e->v, &e->cap, e->n + 1, sizeof *e->v))
    return false;
  e->v[e->n].url = sheaf_strdup(url);
  e->v[e->n].type = type && *type ? sheaf_strdup(type) : NULL;
  e->v[e->n].size = size;
  if (e->v[e->n].url == NULL || (type && *type && e->v[e->n].type == NULL)) {
    sheaf_free(e->v[e->n].url);
    sheaf_free(e->v[e->n].type);
    return false;
  }
  e->n++;
  return true;
}

/* "38.7 MB", "512 KB" (decimal units, as podcast apps show them). */
static void put_size(struct sheaf_buf *b, unsigned long long n)
{
  char s[32];

  if (n >= 1000000000ull)
    snprintf(s, sizeof s, "%.1f GB", (double)n / 1e9);
  else if (n >= 1000000ull)
    snprintf(s, sizeof s, "%.1f MB", (double)n / 1e6);
  else
    snprintf(s, sizeof s, "%llu KB", (n + 999) / 1000);
  sheaf_buf_puts(b, s);
}

/* itunes:duration is "HH:MM:SS", "MM:SS" or seconds: written to s as
 * H:MM:SS or M:SS. Returns false for anything else. */
static bool fmt_duration(const char *d, char *s, size_t cap)
{
  unsigned long parts[3], secs = 0;
  size_t n = 0, i;
  char *end;
  const char *p = d;

  while (n < 3) {
    if (*p < '0' || *p > '9')
      return false;
    parts[n++] = strtoul(p, &end, 10);
    p = end;
    if (*p != ':')
      break;
    p++;
  }
  if (*p != '\0' && *p != ' ')
    return false;
  for (i = 0; i < n; i++) {
    if (parts[i] > 1000000)
      return false;
    secs = secs * 60 + parts[i];
  }
  if (secs == 0 || secs > 1000000)
    return false;
  if (secs >= 3600)
    snprintf(s, cap, "%lu:%02lu:%02lu", secs / 3600, secs / 60 % 60, secs % 60);
  else
    snprintf(s, cap, "%lu:%02lu", secs / 60, secs % 60);
  return true;
}

char *sheaf_import_enclosures_html(const struct sheaf_enclosures *e)
{
  struct sheaf_buf b;
  size_t i;
  char dur[32];

  if (e->n == 0)
    return NULL;
  sheaf_buf_init(&b, 0);
  sheaf_buf_puts(&b, "\n<ul class=\"sheaf-media\">");
  for (i = 0; i < e->n; i++) {
    const char *url = e->v[i].url;
    size_t n = strcspn(url, "?#"), start = n;
    bool paren = false;
    while (start > 0 && url[start - 1] != '/')
      start--;
    sheaf_buf_puts(&b, "<li><a href=\"");
    sheaf_buf_put_xml(&b, url, strlen(url), true);
    sheaf_buf_puts(&b, "\">");
    if (start < n)
      sheaf_buf_put_xml(&b, url + start, n - start, false);
    else
      sheaf_buf_put_xml(&b, url, strlen(url), false);
    sheaf_buf_puts(&b, "</a>");
    if (e->v[i].type) {
      sheaf_buf_puts(&b, " (");
      sheaf_buf_put_xml(&b, e->v[i].type, strlen(e->v[i].type), false);
      paren = true;
    }
    if (e->v[i].size) {
      sheaf_buf_puts(&b, paren ? ", " : " (");
      put_size(&b, e->v[i].size);
      paren = true;
    }
    /* itunes:duration is the episode's: its first file's. */
    if (e->duration && i == 0 && fmt_duration(e->duration, dur, sizeof dur)) {
      sheaf_buf_puts(&b, paren ? ", " : " (");
      sheaf_buf_puts(&b, dur);
      paren = true;
    }
    if (paren)
      sheaf_buf_puts(&b, ")");
    sheaf_buf_puts(&b, "</li>");
  }
  sheaf_buf_puts(&b, "</ul>");
  return sheaf_buf_detach(&b, NULL);
}

void sheaf_import_enclosures_fini(struct sheaf_enclosures *e)
{
  size_t i;

  for (i = 0; i < e->n; i++) {
    sheaf_free(e->v[i].url);
    sheaf_free(e->v[i].type);
  }
  sheaf_free(e->v);
  sheaf_free(e->duration);
  memset(e, 0, sizeof *e);
}
