/*
 * Options for a build: what to select and how to shape the book. Fill with
 * sheaf_options_init() first, then set fields.
 *
 * ABI: the struct only ever grows at its end, and its first field, `size`,
 * says how much of it the caller knows (sheaf_options_init() sets it to
 * the sizeof the caller was compiled with). Every function that takes a
 * `const sheaf_options *` copies that many bytes over its own defaults, so a
 * program built against an older header keeps working with a newer library:
 * the fields it does not know keep their defaults. A program built against
 * a newer header than the library may run too, as long as it leaves the
 * fields the library does not know at their defaults (zero); otherwise the
 * call fails with SHEAF_ERR_USAGE rather than silently ignore an option.
 * The struct is copied on every call: it may be changed or reused between
 * calls, and one struct may be shared by threads that only read it.
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
/* sheaf_job_run() and sheaf_build(): stop before writing the book when any
 * warning was reported (to the job's sheaf_diag, which must then not be
 * NULL), with SHEAF_ERR_WARNINGS; the CLI's --werror. */
#define SHEAF_OPT_WERROR (1u << 4)
#define SHEAF_OPT_KEEP_WEBP                                                              \
  (1u << 2) /* embed WebP images (not a core type of EPUB 3.2) */
/* Leave double-encoded UTF-8 ("Ã±" for "ñ") as it is instead of repairing it. */
#define SHEAF_OPT_NO_MOJIBAKE_REPAIR (1u << 3)
/* Images: embed every picture's bytes as they are (no scaling, turning,
 * colour conversion or re-encoding; WebP is then left out unless
 * SHEAF_OPT_KEEP_WEBP). */
#define SHEAF_OPT_ORIGINAL_IMAGES (1u << 8)
/* Images: convert every picture to grey (e-ink readers), which makes
 * them smaller; ignored with SHEAF_OPT_ORIGINAL_IMAGES. */
#define SHEAF_OPT_GRAYSCALE (1u << 9)

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
                              inflation; default 2 GiB - 1 (was 512 MiB) */
  size_t max_articles;     /* articles in one build, over all inputs;
                              default 100000 */
  size_t max_article_size; /* bytes of one article's body (or summary);
                              default 10 MiB */
  size_t max_depth;        /* element nesting in article HTML; default
                              256 */

  unsigned threads; /* threads that finish a feed's articles while it is
                       read, lay the book out and compress it, counting
                       the caller's; the book and the diagnostics are the
                       same whatever the number; 0: one per core, at
                       most 4 */

  /* Called as long work advances: `stage` is "layout" (one call per
   * chapter) or "import" (one call per input file read); `done` of
   * `total`. NULL: no calls. The CLI draws a progress line from it. */
  void (*progress)(const char *stage, size_t done, size_t total, void *userdata);
  void *progress_userdata;

  /* The book's authors (dc:creator), in order; nauthors 0: the articles'
   * own authors when there are at most three, else the site's name.
   * Borrowed for the call. */
  const char *const *authors;
  size_t nauthors;

  /* Volumes (sheaf_job_run(), sheaf_build()): a series of whole books
   * instead of one, each with its cover, title page, contents and
   * colophon, shelved in order by readers (belongs-to-collection,
   * calibre:series). "year" or "month": one volume per year or month;
   * a count ("500"): that many articles a volume; a size ("45MB", "300M";
   * KB/MB/GB decimal, K/M/G and KiB/MiB/GiB binary): volumes that stay
   * under it. Cut from the oldest article forward, so that when the
   * archive grows by newer articles the earlier volumes come out
   * byte-identical. The volumes' file names follow the output's: see
   * sheaf_job_run(). NULL: one book. */
  const char *split;

  /* Earlier books sheaf wrote (EPUB files): articles that any of them
   * holds are left out, so the new book has only what is new since
   * (every sheaf book records the articles it holds). Borrowed for the
   * call. A book without that record is an error (SHEAF_ERR_IO). */
  const char *const *after;
  size_t nafter;

  /* sheaf_job_run(), sheaf_build(): also write an OPDS 1.2 acquisition
   * feed (Atom) describing the books written, at this path, with each
   * cover and a thumbnail of it beside its book (BOOK.jpg,
   * BOOK.thumb.jpg), for a static web server; NULL: none. */
  const char *catalog;

  /* Images are made for the reader's screen: turned as the camera was
   * held, converted to sRGB, scaled down to fit image_width x
   * image_height pixels and re-encoded (JPEG, or PNG for transparency
   * and few colours; WebP always becomes one of them); a picture already
   * within the box in a format readers show is embedded as it is. A
   * picture that cannot be decoded (broken, cut short, over 100
   * megapixels) becomes a placeholder with a warning. 0: 1600 x 2400.
   * See SHEAF_OPT_ORIGINAL_IMAGES and SHEAF_OPT_GRAYSCALE. */
  unsigned image_width;
  unsigned image_height;
} sheaf_options;

/** Sets the first `size` bytes of `opt` to the defaults of the fields they
 *  hold and `opt->size` to `size`. Call it through sheaf_options_init(),
 *  which passes the size the caller was compiled with; `size` must be at
 *  least sizeof(size_t) (nothing is written otherwise). */
SHEAF_API void sheaf_options_init_size(sheaf_options *opt, size_t size);

/** Sets every field of `*opt` (a sheaf_options) to its default. */
#define sheaf_options_init(opt) sheaf_options_init_size((opt), sizeof *(opt))

#ifdef __cplusplus
}
#endif
#endif
