/*
 * A frozen copy of include/sheaf/options.h as an older sheaf shipped it: the
 * options struct of the first size-checked form, cut before `threads`, so
 * it is a true prefix of today's struct. Never edit it to follow the real
 * header: it stands for a program compiled long ago (tests/abi/old_header.c).
 * It takes the real header's include guard, so <sheaf/sheaf.h> included
 * after it keeps this struct.
 */
#ifndef SHEAF_OPTIONS_H
#define SHEAF_OPTIONS_H

#include <stddef.h>
#include "sheaf/sheaf_export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bits for sheaf_options.flags. */
#define SHEAF_OPT_NEWEST_FIRST (1u << 0)   /* order newest article first */
#define SHEAF_OPT_INCLUDE_DRAFTS (1u << 1) /* keep drafts, private and pending posts */
#define SHEAF_OPT_KEEP_WEBP                                                              \
  (1u << 2) /* embed WebP images (not a core type of EPUB 3.2) */

/* Values for sheaf_options.group_by: how the table of contents nests. */
#define SHEAF_GROUP_AUTO                                                                 \
  0 /* by year when the book spans years and has over 30 chapters */
#define SHEAF_GROUP_NONE 1 /* a flat list */
#define SHEAF_GROUP_YEAR 2
#define SHEAF_GROUP_MONTH 3
#define SHEAF_GROUP_TAG 4 /* by each article's first selected (else most used) tag */

typedef struct sheaf_options {
  size_t size;    /* sizeof(sheaf_options) as the caller was compiled;
                     set by sheaf_options_init(); never change it */
  unsigned flags; /* SHEAF_OPT_* bits */

  /* Selection. Tags match name or slug, case-insensitively; an article is
   * kept when it has any of `tags` (or `tags` is empty) and none of
   * `exclude_tags`. The arrays are borrowed for the duration of each call. */
  const char *const *tags;
  size_t ntags;
  const char *const *exclude_tags;
  size_t nexclude_tags;
  const char *since; /* ISO 8601 date or date-time, inclusive; NULL: open */
  const char *until; /* ISO 8601 date or date-time, inclusive; NULL: open */
  size_t limit;      /* keep at most this many (after ordering); 0: all */
  int group_by;      /* SHEAF_GROUP_*; chapters are ordered within groups */

  /* WordPress exports: the post types to read (e.g. "post", "page");
   * empty: posts only. */
  const char *const *post_types;
  size_t npost_types;

  /* Character encoding of every input (an iconv or WHATWG label, e.g.
   * "windows-1251"), overriding byte-order marks and declarations; NULL:
   * detect. */
  const char *encoding;

  /* Book metadata overrides; NULL: derived from the sources. */
  const char *title;
  const char *language; /* BCP 47 tag used when the sources name none */

  /* Seconds since the epoch used as the book's modification time, for
   * reproducible builds (SOURCE_DATE_EPOCH); negative: newest article. */
  long long source_date_epoch;

  /* Polled during long work (between chapters, while the zip is written);
   * returning non-zero stops the build, which then fails with
   * SHEAF_ERR_CANCELLED and leaves no file behind. NULL: never cancelled.
   * The CLI sets it from SIGINT/SIGTERM. */
  int (*cancel)(void *userdata);
  void *cancel_userdata;

  /* Images, cover and styles (layout). Images are read only from the input
   * file's folder, `assets_dir` and a WordPress uploads folder beside an
   * export; never from elsewhere, never through the network. */
  const char *assets_dir; /* a mirror as wget --mirror or HTTrack write it
                             (DIR/host/path); NULL: none */
  size_t max_image_width; /* of srcset candidates, prefer the widest up to
                             this many pixels; default 1600 */
  size_t max_image_size;  /* bytes; larger image files are not embedded;
                             default 20 MiB */
  const char *cover;      /* a JPEG or PNG file for the cover; NULL: a
                             generated cover */
  const char *css;        /* a stylesheet linked after the default one;
                             NULL: none */
  /* Elements to take out of every article before it is cleaned, as CSS
   * selectors: site chrome the built-in rules miss (".share-box",
   * "div.related", "#comments", "aside > .promo"). Supported: a type or *,
   * .class, #id, [attr], [attr=value], the descendant (space) and child
   * (>) combinators, and commas. They see each article's content, not the
   * <html>, <body> or <article> around it; one that matches nothing in the
   * book gets a warning. A bad selector fails the layout with
   * SHEAF_ERR_USAGE. Borrowed for the call. */
  const char *const *remove;
  size_t nremove;

  /* Limits on hostile or runaway input. Exceeding one is an error
   * (SHEAF_ERR_LIMIT) that names the file and line, never a silent loss,
   * except `max_depth`, where deeper elements are flattened into their
   * parent with a warning and no text is lost. sheaf_options_init() sets
   * the defaults; 0 also means the default. Raising `max_article_size`
   * above 10 MiB or `max_depth` above 256 lifts libxml2's own safety
   * limits for feeds too (entities are still never expanded). */
  size_t max_input_size;   /* bytes of one input file, also after gzip
                              inflation; default 512 MiB */
  size_t max_articles;     /* articles in one build, over all inputs;
                              default 100000 */
  size_t max_article_size; /* bytes of one article's body (or summary);
                              default 10 MiB */
  size_t max_depth;        /* element nesting in article HTML; default
                              256 */
} sheaf_options;

SHEAF_API void sheaf_options_init_size(sheaf_options *opt, size_t size);
#define sheaf_options_init(opt) sheaf_options_init_size((opt), sizeof *(opt))

#ifdef __cplusplus
}
#endif
#endif
