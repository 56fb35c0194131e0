/*
 * This file contains the cutting of a selected book into volumes
 * (--split year|month|N|SIZE): the parsing of the split, the volume
 * boundaries, and each volume's own metadata.
 *
 * Volumes must be stable: when the archive grows by newer articles, every
 * earlier volume comes out byte-identical and only the last one grows (or
 * a new one starts). So boundaries are chosen from the oldest article
 * forward, by a rule that looks at a volume's own articles only, and
 * nothing in a volume may depend on the whole set: its identifier is made
 * of the selection, the split, the series' oldest article and the volume's
 * key (never of the other volumes' sources), its dates are its own, and it
 * never says how many volumes there are ("volume 3 of 7" would change every
 * volume whenever one is added).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "select/select.h"

/* ---- the split ---------------------------------------------------------- */

sheaf_status sheaf_select_split_parse(const char *spec, struct sheaf_split *sp,
                                      sheaf_diag *diag)
{
  /* Decimal units (KB, MB, GB) as mail services state their limits; binary
   * ones (K, M, G, KiB, MiB, GiB) as the other size options read them. */
  static const struct {
    const char *name;
    uint64_t mult;
  } units[] = {{"", 0},
               {"b", 1},
               {"k", 1024},
               {"kib", 1024},
               {"kb", 1000},
               {"m", (uint64_t)1 << 20},
               {"mib", (uint64_t)1 << 20},
               {"mb", 1000000},
               {"g", (uint64_t)1 << 30},
               {"gib", (uint64_t)1 << 30},
               {"gb", 1000000000}};
  const char *p = spec;
  uint64_t n = 0;
  size_t i;

  memset(sp, 0, sizeof *sp);
  if (spec == NULL || *spec == '\0')
    return SHEAF_OK;
  if (sheaf_ascii_casecmp(spec, "year") == 0 || sheaf_ascii_casecmp(spec, "years") == 0) {
    sp->kind = SHEAF_SPLIT_YEAR;
    return SHEAF_OK;
  }
  if (sheaf_ascii_casecmp(spec, "month") == 0 ||
      sheaf_ascii_casecmp(spec, "months") == 0) {
    sp->kind = SHEAF_SPLIT_MONTH;
    return SHEAF_OK;
  }
  while (*p >= '0' && *p <= '9') {
    if (n > (UINT64_MAX - 9) / 10)
      goto bad;
    n = n * 10 + (uint64_t)(*p++ - '0');
  }
  if (p == spec || n == 0)
    goto bad;
  for (i = 0; i < sizeof units / sizeof *units; i++)
    if (sheaf_ascii_casecmp(p, units[i].name) == 0)
      break;
  if (i == sizeof units / sizeof *units)
    goto bad;
  if (units[i].mult == 0) {
    sp->kind = SHEAF_SPLIT_COUNT;
    sp->n = n;
    return SHEAF_OK;
  }
  if (n > UINT64_MAX / units[i].mult)
    goto bad;
  sp->kind = SHEAF_SPLIT_SIZE;
  sp->n = n * units[i].mult;
  if (sp->n < SHEAF_SPLIT_MIN_SIZE) {
    sheaf_diag_add(diag, SHEAF_ERROR, "usage", NULL, 0, 0,
                   "--split %s is too small for a book; give at least 256K", spec);
    return SHEAF_ERR_USAGE;
  }
  return SHEAF_OK;
bad:
  sheaf_diag_add(diag, SHEAF_ERROR, "usage", NULL, 0, 0,
                 "--split '%s' is neither year, month, a number of articles (500) "
                 "nor a size (45MB, 300M)",
                 spec);
  return SHEAF_ERR_USAGE;
}

/* ---- boundaries ------------------------------------------------------------ */

/* The period key of an article: its UTC year ("2019") or month
 * ("2019-02"), as the table of contents groups them; "undated" when it has
 * no date. */
static void period_key(const struct sheaf_article *a, bool month, char out[32])
{
  int64_t y;
  unsigned mo, d, h, mi, s;

  if (a->published == SHEAF_TIME_UNKNOWN) {
    snprintf(out, 32, "undated");
    return;
  }
  sheaf_date_split(a->published, &y, &mo, &d, &h, &mi, &s);
  if (month)
    snprintf(out, 32, "%04lld-%02u", (long long)y, mo);
  else
    snprintf(out, 32, "%04lld", (long long)y);
}

const struct sheaf_article **sheaf_select_oldest_first(const struct sheaf_book *whole)
{
  const struct sheaf_article **v;

  v = sheaf_calloc(whole->nchapters ? whole->nchapters : 1, sizeof *v);
  if (v == NULL)
    return NULL;
  if (whole->nchapters)
    memcpy(v, whole->chapters, whole->nchapters * sizeof *v);
  /* Whatever order the book reads in (--newest-first, --group-by tag),
   * volumes are cut in date order. */
  qsort(v, whole->nchapters, sizeof *v, sheaf_select_cmp_date);
  return v;
}

static bool add_span(struct sheaf_volume_span **spans, size_t *n, size_t *cap,
                     size_t start, const char *key)
{
  struct sheaf_volume_span *s;

  if (!sheaf_grow((void **)spans, cap, *n + 1, sizeof **spans))
    return false;
  s = &(*spans)[(*n)++];
  s->start = start;
  s->count = 0;
  snprintf(s->key, sizeof s->key, "%s", key);
  return true;
}

sheaf_status sheaf_select_plan(const struct sheaf_article *const *v, size_t n,
                               const struct sheaf_split *sp,
                               const struct sheaf_weigher *wr, uint64_t budget,
                               struct sheaf_volume_span **spans, size_t *nspans)
{
  sheaf_status ret = SHEAF_OK;
  size_t i, cap = 0;
  uint64_t used = 0, w;
  char key[32];

  *spans = NULL;
  *nspans = 0;
  for (i = 0; i < n; i++) {
    bool start;
    switch (sp->kind) {
    case SHEAF_SPLIT_YEAR:
    case SHEAF_SPLIT_MONTH:
      period_key(v[i], sp->kind == SHEAF_SPLIT_MONTH, key);
      start = i == 0 || strcmp(key, (*spans)[*nspans - 1].key) != 0;
      break;
    case SHEAF_SPLIT_SIZE:
      /* Greedy from the oldest: an article goes into the current volume
       * while the volume stays within budget; one larger than the budget
       * alone gets a volume of its own. A picture counts once a volume,
       * so an article that starts a volume is weighed again afresh. */
      if ((ret = wr->weigh(wr->userdata, i, i == 0, &w)) != SHEAF_OK)
        goto fail;
      start = i == 0 || used + w > budget;
      if (start && i && (ret = wr->weigh(wr->userdata, i, true, &w)) != SHEAF_OK)
        goto fail;
      used = start ? w : used + w;
      snprintf(key, sizeof key, "%02zu", *nspans + (start ? 1 : 0));
      break;
    default:
      start = i == 0 || (*spans)[*nspans - 1].count >= sp->n;
      snprintf(key, sizeof key, "%02zu", *nspans + (start ? 1 : 0));
      break;
    }
    if (start && !add_span(spans, nspans, &cap, i, key)) {
      ret = SHEAF_ERR_NOMEM;
      goto fail;
    }
    (*spans)[*nspans - 1].count++;
  }
  return SHEAF_OK;
fail:
  sheaf_free(*spans);
  *spans = NULL;
  *nspans = 0;
  return ret;
}

/* ---- a volume's metadata ----------------------------------------------------- */

/* "Volume {n}" in the languages whose labels sheaf has (labels.c). */
static const struct {
  const char *lang, *pattern;
} volume_words[] = {
    {"de", "Band {n}"},     {"es", "Volumen {n}"}, {"fr", "Volume {n}"},
    {"it", "Volume {n}"},   {"ja", "第{n}巻"},     {"ko", "제{n}권"},
    {"nl", "Deel {n}"},     {"pl", "Tom {n}"},     {"pt", "Volume {n}"},
    {"ru", "Том {n}"},      {"sv", "Volym {n}"},   {"zh", "第{n}卷"},
    {"zh-Hant", "第{n}卷"}, {"en", "Volume {n}"},
};

/* Appends the volume's name as its title shows it: the year, the month
 * ("February 2019", in the book's language), or "Volume 3". */
static void volume_label(const struct sheaf_labels *l, const struct sheaf_split *sp,
                         const struct sheaf_article *first, size_t index,
                         struct sheaf_buf *out)
{
  const char *pat = "Volume {n}", *at;
  size_t i;

  if (sp->kind == SHEAF_SPLIT_YEAR || sp->kind == SHEAF_SPLIT_MONTH) {
    char key[32];
    if (first->published == SHEAF_TIME_UNKNOWN) {
      sheaf_buf_puts(out, l->undated);
    } else if (sp->kind == SHEAF_SPLIT_MONTH) {
      sheaf_labels_month(l, first->published, out);
    } else {
      period_key(first, false, key);
      sheaf_buf_puts(out, key);
    }
    return;
  }
  for (i = 0; i < sizeof volume_words / sizeof *volume_words; i++)
    if (strcmp(volume_words[i].lang, l->lang) == 0)
      pat = volume_words[i].pattern;
  at = strstr(pat, "{n}");
  sheaf_buf_put(out, pat, (size_t)(at - pat));
  sheaf_buf_printf(out, "%zu", index);
  sheaf_buf_puts(out, at + 3);
}

/* The volume's identifier: the same for the same volume of the same series
 * whenever it is rebuilt, also as it grows (it is a new edition of the
 * same volume), and never dependent on the other volumes. */
static sheaf_status volume_identifier(struct sheaf_book *vol,
                                      const struct sheaf_article *oldest,
                                      const sheaf_options *opt, const char *key)
{
  struct sheaf_buf k, first;
  char uuid[37];

  /* The series is anchored by its oldest article, named as the record
   * names it (no local path). */
  sheaf_buf_init(&first, 0);
  sheaf_buf_init(&k, 0);
  if (!sheaf_article_record_key(vol->coll, oldest, &first))
    k.failed = true;
  sheaf_buf_printf(&k, "sheaf-series:%s\n", first.ptr);
  sheaf_buf_fini(&first);
  sheaf_select_selection_key(opt, &k);
  sheaf_buf_printf(&k, "split:%s\nvolume:%s\n", opt->split, key);
  if (k.failed) {
    sheaf_buf_fini(&k);
    return SHEAF_ERR_NOMEM;
  }
  sheaf_uuid5_url(k.ptr, k.len, uuid);
  sheaf_buf_fini(&k);
  sheaf_free(vol->identifier);
  vol->identifier = sheaf_malloc(9 + 37);
  if (vol->identifier == NULL)
    return SHEAF_ERR_NOMEM;
  memcpy(vol->identifier, "urn:uuid:", 9);
  memcpy(vol->identifier + 9, uuid, 37);
  return SHEAF_OK;
}

struct sheaf_book *sheaf_select_volume(const struct sheaf_book *whole,
                                       const struct sheaf_split *sp,
                                       const struct sheaf_article *const *v,
                                       const struct sheaf_volume_span *span, size_t index,
                                       const sheaf_options *opt, sheaf_status *status)
{
  struct sheaf_book *vol = sheaf_calloc(1, sizeof *vol);
  struct sheaf_buf title;
  sheaf_status ret = SHEAF_OK;
  size_t i;

  sheaf_buf_init(&title, 0);
  if (vol == NULL ||
      (vol->chapters = sheaf_calloc(span->count, sizeof *vol->chapters)) == NULL) {
    ret = SHEAF_ERR_NOMEM;
    goto out;
  }
  vol->coll = whole->coll;
  vol->modified = vol->first = vol->last = SHEAF_TIME_UNKNOWN;
  vol->nchapters = span->count;
  for (i = 0; i < span->count; i++)
    vol->chapters[i] = (opt->flags & SHEAF_OPT_NEWEST_FIRST)
                           ? v[span->start + span->count - 1 - i]
                           : v[span->start + i];
  vol->series_index = index;
  /* Warnings about the metadata were given for the whole book already. */
  SHEAF_CHECK(sheaf_select_metadata(vol, opt, NULL));
  SHEAF_CHECK(volume_identifier(vol, v[0], opt, span->key));
  /* The series is named as the whole book would be; that name depends on
   * the oldest articles and the options only, so it too stays put. */
  vol->series = sheaf_strdup(whole->title);
  vol->series_index = index;
  sheaf_buf_puts(&title, whole->title);
  sheaf_buf_puts(&title, ": ");
  volume_label(sheaf_labels_for(vol->language), sp, v[span->start], index, &title);
  if (vol->series == NULL || title.failed) {
    ret = SHEAF_ERR_NOMEM;
    goto out;
  }
  sheaf_free(vol->title);
  vol->title = sheaf_buf_detach(&title, NULL);
  if (vol->title == NULL) {
    ret = SHEAF_ERR_NOMEM;
    goto out;
  }
  SHEAF_CHECK(sheaf_select_group(vol, opt));
out:
  sheaf_buf_fini(&title);
  if (ret != SHEAF_OK) {
    sheaf_book_free(vol);
    vol = NULL;
  }
  if (status)
    *status = ret;
  return vol;
}
