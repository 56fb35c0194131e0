/*
 * This file contains the grouping of a book's chapters for its table of
 * contents (--group-by): by year, by month or by tag. A flat list of two
 * thousand chapters is unusable on an e-reader; a year or a tag per heading
 * is how people look for an article again. Grouping by tag reorders the
 * chapters, so each group's articles are together in the reading order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "select/select.h"

static bool add_group(struct sheaf_book *b, const char *title, size_t start)
{
  void *p = sheaf_realloc(b->groups, (b->ngroups + 1) * sizeof *b->groups);
  char *t;

  if (p == NULL)
    return false;
  b->groups = p;
  if ((t = sheaf_strdup(title)) == NULL)
    return false;
  b->groups[b->ngroups].title = t;
  b->groups[b->ngroups].start = start;
  b->groups[b->ngroups].count = 0;
  b->ngroups++;
  return true;
}

/* The group key of a chapter, in the book's language: its year, or its
 * month ("March 2024", "März 2024", "2024年3月"), or "Undated". */
static bool period(const struct sheaf_labels *l, int64_t t, bool month,
                   struct sheaf_buf *out)
{
  sheaf_buf_reset(out);
  if (t == SHEAF_TIME_UNKNOWN) {
    sheaf_buf_puts(out, l->undated);
  } else if (month) {
    sheaf_labels_month(l, t, out);
  } else {
    int64_t y;
    unsigned mo, d, h, mi, s;
    sheaf_date_split(t, &y, &mo, &d, &h, &mi, &s);
    sheaf_buf_printf(out, "%lld", (long long)y);
  }
  return !out->failed;
}

/* Chapters are already in book order, so a year or a month is a run. */
static sheaf_status group_by_period(struct sheaf_book *b, bool month)
{
  const struct sheaf_labels *l = sheaf_labels_for(b->language);
  struct sheaf_buf key;
  sheaf_status ret = SHEAF_OK;
  size_t i;

  sheaf_buf_init(&key, 0);
  for (i = 0; i < b->nchapters; i++) {
    if (!period(l, b->chapters[i]->published, month, &key)) {
      ret = SHEAF_ERR_NOMEM;
      break;
    }
    if (i == 0 || strcmp(key.ptr, b->groups[b->ngroups - 1].title) != 0) {
      if (!add_group(b, key.ptr, i)) {
        ret = SHEAF_ERR_NOMEM;
        break;
      }
    }
    b->groups[b->ngroups - 1].count++;
  }
  sheaf_buf_fini(&key);
  return ret;
}

/* The rank of the group a chapter is filed under, and its title: the first
 * of the selected tags it carries (ranked in the order given), else its
 * most used tag (ranked by use), else "Untagged", last. */
static size_t tag_rank(const struct sheaf_book *b, const struct sheaf_article *a,
                       const sheaf_options *opt, const char **title)
{
  size_t i, j;

  for (i = 0; i < opt->ntags; i++)
    for (j = 0; j < a->ntags; j++) {
      /* Only its tags: a spilled article is a head, not a whole struct. */
      struct sheaf_article one;
      memset(&one, 0, sizeof one);
      one.tags = &a->tags[j];
      one.ntags = 1;
      if (sheaf_select_has_tag(&one, opt->tags[i])) {
        *title = a->tags[j].name;
        return i;
      }
    }
  for (i = 0; i < b->ntags; i++)
    for (j = 0; j < a->ntags; j++)
      if (strcmp(b->tags[i].slug, a->tags[j].slug) == 0) {
        *title = b->tags[i].name;
        return opt->ntags + i;
      }
  *title = sheaf_labels_for(b->language)->untagged;
  return opt->ntags + b->ntags;
}

struct ranked {
  const struct sheaf_article *a;
  const char *title;
  size_t rank, pos;
};

static int cmp_ranked(const void *pa, const void *pb)
{
  const struct ranked *a = pa, *b = pb;
  if (a->rank != b->rank)
    return a->rank < b->rank ? -1 : 1;
  return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static sheaf_status group_by_tag(struct sheaf_book *b, const sheaf_options *opt)
{
  struct ranked *r = sheaf_calloc(b->nchapters, sizeof *r);
  size_t i;

  if (r == NULL)
    return SHEAF_ERR_NOMEM;
  for (i = 0; i < b->nchapters; i++) {
    r[i].a = b->chapters[i];
    r[i].rank = tag_rank(b, b->chapters[i], opt, &r[i].title);
    r[i].pos = i;
  }
  /* Selected tags come first, in the order given. */
  qsort(r, b->nchapters, sizeof *r, cmp_ranked);
  for (i = 0; i < b->nchapters; i++) {
    b->chapters[i] = r[i].a;
    if (i == 0 || r[i].rank != r[i - 1].rank) {
      if (!add_group(b, r[i].title, i)) {
        sheaf_free(r);
        return SHEAF_ERR_NOMEM;
      }
    }
    b->groups[b->ngroups - 1].count++;
  }
  sheaf_free(r);
  return SHEAF_OK;
}

sheaf_status sheaf_select_group(struct sheaf_book *b, const sheaf_options *opt)
{
  int mode = opt->group_by;

  if (mode == SHEAF_GROUP_AUTO) {
    int64_t y1, y2;
    unsigned mo, d, h, mi, s;
    mode = SHEAF_GROUP_NONE;
    if (b->nchapters > 30 && b->first != SHEAF_TIME_UNKNOWN) {
      sheaf_date_split(b->first, &y1, &mo, &d, &h, &mi, &s);
      sheaf_date_split(b->last, &y2, &mo, &d, &h, &mi, &s);
      if (y1 != y2)
        mode = SHEAF_GROUP_YEAR;
    }
  }
  switch (mode) {
  case SHEAF_GROUP_YEAR:
    return group_by_period(b, false);
  case SHEAF_GROUP_MONTH:
    return group_by_period(b, true);
  case SHEAF_GROUP_TAG:
    return group_by_tag(b, opt);
  default:
    return SHEAF_OK;
  }
}
