/*
 * This file contains sheaf_diag, the collector of warnings and errors. It
 * stores up to DIAG_MAX entries (curl's "toobig" idea: a hostile feed must
 * not turn into gigabytes of messages), interns file names, and hands each
 * entry to an optional callback as it arrives.
 */
#include <stdio.h>
#include <string.h>

#include "core/core.h"

#define DIAG_MAX 1000

struct sheaf_diag {
  sheaf_diag_entry *entries;
  size_t n, cap;
  size_t counts[3]; /* per severity, stored or not */
  size_t dropped;   /* entries not stored because of the cap */
  char **files;     /* interned file names */
  size_t nfiles, files_cap;
  struct sheaf_strmap file_index; /* name -> index in files */
  sheaf_diag_fn fn;
  void *userdata;
};

sheaf_diag *sheaf_diag_new(void)
{
  sheaf_diag *d = sheaf_calloc(1, sizeof(sheaf_diag));

  if (d)
    sheaf_strmap_init(&d->file_index);
  return d;
}

void sheaf_diag_free(sheaf_diag *d)
{
  size_t i;

  if (d == NULL)
    return;
  for (i = 0; i < d->n; i++)
    sheaf_free(sheaf_unconst(d->entries[i].message));
  for (i = 0; i < d->nfiles; i++)
    sheaf_free(d->files[i]);
  sheaf_free(d->entries);
  sheaf_free(d->files);
  sheaf_strmap_fini(&d->file_index);
  sheaf_free(d);
}

void sheaf_diag_set_callback(sheaf_diag *d, sheaf_diag_fn fn, void *userdata)
{
  d->fn = fn;
  d->userdata = userdata;
}

size_t sheaf_diag_count(const sheaf_diag *d)
{
  return d ? d->n : 0;
}

size_t sheaf_diag_count_severity(const sheaf_diag *d, sheaf_severity sev)
{
  if (d == NULL || (unsigned)sev > SHEAF_ERROR)
    return 0;
  return d->counts[sev];
}

const sheaf_diag_entry *sheaf_diag_get(const sheaf_diag *d, size_t i)
{
  return (d && i < d->n) ? &d->entries[i] : NULL;
}

const char *sheaf_severity_str(sheaf_severity sev)
{
  switch (sev) {
  case SHEAF_NOTE:
    return "note";
  case SHEAF_WARNING:
    return "warning";
  case SHEAF_ERROR:
    return "error";
  }
  return "unknown";
}

/* Returns the interned copy of `file`. A folder of 100,000 notes may give
 * as many names, so they are found through an index, not a scan. */
static const char *intern(sheaf_diag *d, const char *file)
{
  const size_t *at;
  size_t len;
  char *copy;

  if (file == NULL)
    return NULL;
  len = strlen(file);
  if ((at = sheaf_strmap_get(&d->file_index, file, len)) != NULL)
    return d->files[*at];
  if (!sheaf_grow((void **)&d->files, &d->files_cap, d->nfiles + 1, sizeof(char *)))
    return NULL;
  copy = sheaf_strdup(file);
  if (copy == NULL)
    return NULL;
  if (!sheaf_strmap_put(&d->file_index, copy, len, d->nfiles)) {
    sheaf_free(copy);
    return NULL;
  }
  d->files[d->nfiles++] = copy;
  return copy;
}

void sheaf_diag_vadd(sheaf_diag *d, sheaf_severity sev, const char *code,
                     const char *file, unsigned line, unsigned col, const char *fmt,
                     va_list ap)
{
  struct sheaf_buf msg;
  sheaf_diag_entry e;
  char *text;
  size_t i;

  if (d == NULL)
    return;
  d->counts[sev]++;
  sheaf_buf_init(&msg, 4096);
  {
    char tmp[1024];
    int k = vsnprintf(tmp, sizeof tmp, fmt, ap);
    if (k < 0)
      k = 0;
    sheaf_buf_put(&msg, tmp, (size_t)k < sizeof tmp ? (size_t)k : sizeof tmp - 1);
  }
  text = sheaf_buf_detach(&msg, NULL);
  if (text == NULL)
    return;
  /* One line per message: a newline would break file:line parsing. */
  for (i = 0; text[i]; i++)
    if (text[i] == '\n' || text[i] == '\r')
      text[i] = ' ';
  e.severity = sev;
  e.code = code ? code : "sheaf";
  e.file = intern(d, file);
  e.line = line;
  e.column = col;
  e.message = text;
  if (d->fn)
    d->fn(&e, d->userdata);
  if (d->n >= DIAG_MAX ||
      !sheaf_grow((void **)&d->entries, &d->cap, d->n + 1, sizeof e)) {
    d->dropped++;
    sheaf_free(text);
    return;
  }
  d->entries[d->n++] = e;
}

void sheaf_diag_add(sheaf_diag *d, sheaf_severity sev, const char *code, const char *file,
                    unsigned line, unsigned col, const char *fmt, ...)
{
  va_list ap;

  va_start(ap, fmt);
  sheaf_diag_vadd(d, sev, code, file, line, col, fmt, ap);
  va_end(ap);
}

void sheaf_diag_replay(sheaf_diag *dst, const sheaf_diag *src)
{
  size_t i, stored[3] = {0, 0, 0};
  unsigned sev;

  if (dst == NULL || src == NULL)
    return;
  for (i = 0; i < src->n; i++) {
    const sheaf_diag_entry *e = &src->entries[i];
    stored[e->severity]++;
    sheaf_diag_add(dst, e->severity, e->code, e->file, e->line, e->column, "%s",
                   e->message);
  }
  /* Entries past src's cap were counted there, not stored. */
  for (sev = 0; sev < 3; sev++)
    dst->counts[sev] += src->counts[sev] - stored[sev];
  dst->dropped += src->dropped;
}
