/*
 * The pipeline's objects and stages:
 *
 *   sheaf_collection  --sheaf_select()-->  sheaf_book
 *   sheaf_book        --sheaf_layout()-->  sheaf_manuscript
 *   sheaf_manuscript  --sheaf_package()--> EPUB file
 *
 * A collection is filled by sheaf_import_path(), once per input. Each later
 * object borrows from the one it was made from, which must outlive it.
 */
#ifndef SHEAF_BOOK_H
#define SHEAF_BOOK_H

#include <stddef.h>
#include "sheaf/sheaf_export.h"
#include "sheaf/status.h"
#include "sheaf/diag.h"
#include "sheaf/options.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sheaf_collection sheaf_collection;
typedef struct sheaf_article sheaf_article;
typedef struct sheaf_book sheaf_book;
typedef struct sheaf_manuscript sheaf_manuscript;

/** A time that is not known (no date in the source). */
#define SHEAF_TIME_UNKNOWN (-9223372036854775807LL - 1)

/** Writes the UTC calendar day of `t` (seconds since the epoch, not
 *  SHEAF_TIME_UNKNOWN) into `out` as "YYYY-MM-DD" (proleptic Gregorian;
 *  years beyond 9999 get more digits) and returns `out`. */
SHEAF_API char *sheaf_time_format_day(long long t, char out[32]);

/* ---- import ------------------------------------------------------------ */

/** Returns a new, empty collection, or NULL when out of memory.
 *  The caller frees it with sheaf_collection_free(). */
SHEAF_API sheaf_collection *sheaf_collection_new(void);

/** Frees `coll` and every article in it; NULL is allowed. */
SHEAF_API void sheaf_collection_free(sheaf_collection *coll);

/** From now on, the bodies and summaries of articles imported into `coll`
 *  wait in an unlinked temporary file (in TMPDIR, else /tmp) until layout
 *  reads them back, so memory stays bounded by the largest article rather
 *  than the whole archive. A failure to write that file is reported by the
 *  import that needed it (SHEAF_ERR_IO). sheaf_job_new() turns it on. */
SHEAF_API void sheaf_collection_spool_bodies(sheaf_collection *coll);

/** Reads every article of the feed at `path` into `coll`. The format is
 *  sniffed from the content. Returns SHEAF_OK, or SHEAF_ERR_IO (unreadable),
 *  SHEAF_ERR_FORMAT (not a feed), SHEAF_ERR_PARSE (malformed beyond repair)
 *  with an error in `diag`; on failure `coll` keeps what it held before.
 *  Files of 1 MB or more are mapped into memory while they are read: if
 *  another process truncates one meanwhile, the caller gets SIGBUS, as with
 *  any mapped file (the sheaf command catches it and says which input). */
SHEAF_API sheaf_status sheaf_import_path(sheaf_collection *coll, const char *path,
                                         const sheaf_options *opt, sheaf_diag *diag);

/** Reads every article of an input held in memory, `data[0..len)`, into
 *  `coll`, as sheaf_import_path() reads a file: a feed, a WordPress export,
 *  an HTML page or Markdown, gzip-compressed or not, in any encoding.
 *  `name` (a file name or a URL) is what messages in `diag` say the input
 *  is, with line numbers counted in `data`; a name ending in ".md" makes a
 *  text Markdown, as for files. `data` need not be NUL-terminated; sheaf
 *  reads a copy, so the caller may free it as soon as this returns. Returns
 *  SHEAF_OK, or the errors of sheaf_import_path() (SHEAF_ERR_LIMIT over
 *  opt->max_input_size, SHEAF_ERR_USAGE for a NULL coll or name); on
 *  failure `coll` keeps what it held before. */
SHEAF_API sheaf_status sheaf_import_memory(sheaf_collection *coll, const char *name,
                                           const void *data, size_t len,
                                           const sheaf_options *opt, sheaf_diag *diag);

/** Returns the number of articles in `coll`. */
SHEAF_API size_t sheaf_collection_count(const sheaf_collection *coll);

/** Returns article `i`, or NULL when out of range. Borrowed; valid while
 *  `coll` lives and no more inputs are imported into it. */
SHEAF_API const sheaf_article *sheaf_collection_get(const sheaf_collection *coll,
                                                    size_t i);

/* ---- articles (all results borrowed from the article) ------------------ */

/* Once a collection spools bodies (sheaf_collection_spool_bodies()), an
 * imported article's title, link and id wait in its temporary file too:
 * the three getters below then return "", NULL and "". Read them with
 * sheaf_article_copy_text(), which works for every collection. */

/** Which string sheaf_article_copy_text() copies. */
typedef enum { SHEAF_TEXT_TITLE, SHEAF_TEXT_URL, SHEAF_TEXT_ID } sheaf_text_field;
/** Returns a new copy (free it with sheaf_free()) of a's title (never NULL
 *  but may be empty), link (NULL when there is none) or id; NULL also when
 *  out of memory or when the temporary file cannot be read. */
SHEAF_API char *sheaf_article_copy_text(const sheaf_collection *coll,
                                        const sheaf_article *a, sheaf_text_field f);

/** Returns the title (never NULL; may be empty). */
SHEAF_API const char *sheaf_article_get_title(const sheaf_article *a);
/** Returns the canonical link, or NULL. */
SHEAF_API const char *sheaf_article_get_link(const sheaf_article *a);
/** Returns the stable id (guid, else link, else a content hash); never NULL. */
SHEAF_API const char *sheaf_article_get_id(const sheaf_article *a);
/** Returns the first author's name, or NULL. */
SHEAF_API const char *sheaf_article_get_author(const sheaf_article *a);
/** Returns the publication time in seconds since the epoch (UTC), or
 *  SHEAF_TIME_UNKNOWN. */
SHEAF_API long long sheaf_article_get_published(const sheaf_article *a);
/** Returns the number of tags and categories the article carries. */
SHEAF_API size_t sheaf_article_tag_count(const sheaf_article *a);
/** Returns the display name of tag `i`, or NULL when out of range. */
SHEAF_API const char *sheaf_article_get_tag_name(const sheaf_article *a, size_t i);
/** Returns the slug of tag `i`, or NULL when out of range. */
SHEAF_API const char *sheaf_article_get_tag_slug(const sheaf_article *a, size_t i);
/** Returns the input file the article was read from; never NULL. */
SHEAF_API const char *sheaf_article_get_source(const sheaf_article *a);
/** Returns the line of the input file where the article starts, or 0. */
SHEAF_API unsigned sheaf_article_get_line(const sheaf_article *a);

/* ---- select -------------------------------------------------------------- */

/** Selects, de-duplicates and orders the articles of `coll` by `opt` and
 *  derives the book's metadata. Returns a new book (the caller frees it with
 *  sheaf_book_free(); it borrows `coll`, which must outlive it), or NULL with
 *  `*status` set: SHEAF_ERR_NOMATCH when nothing matched, SHEAF_ERR_USAGE for
 *  a bad date in `opt`, SHEAF_ERR_NOMEM. `status` may be NULL. */
SHEAF_API sheaf_book *sheaf_select(const sheaf_collection *coll, const sheaf_options *opt,
                                   sheaf_diag *diag, sheaf_status *status);

/** Frees `book`; NULL is allowed. */
SHEAF_API void sheaf_book_free(sheaf_book *book);

/** Returns the number of chapters (selected articles). */
SHEAF_API size_t sheaf_book_count(const sheaf_book *book);
/** Returns the article of chapter `i`, or NULL. Borrowed from the collection. */
SHEAF_API const sheaf_article *sheaf_book_get(const sheaf_book *book, size_t i);
/** Returns the book's title; never NULL. Borrowed from `book`. */
SHEAF_API const char *sheaf_book_get_title(const sheaf_book *book);
/** Returns the book's language (BCP 47); never NULL. Borrowed from `book`. */
SHEAF_API const char *sheaf_book_get_language(const sheaf_book *book);
/** Returns the book's identifier ("urn:uuid:..."); never NULL. Borrowed. */
SHEAF_API const char *sheaf_book_get_identifier(const sheaf_book *book);
/** Returns a file name for the book made of its title: "Digital Economy"
 *  gives "digital-economy.epub" (at most 80 characters before ".epub";
 *  "book.epub" when the title has no letters or digits). Returns a new
 *  string; the caller frees it with sheaf_free(). NULL when out of memory. */
SHEAF_API char *sheaf_book_default_filename(const sheaf_book *book);

/** Returns the title of the series the book is a volume of (--split),
 *  and stores its 1-based position in `*index` when not NULL; NULL (and
 *  0) for a book of its own. Borrowed from `book`. */
SHEAF_API const char *sheaf_book_get_series(const sheaf_book *book, size_t *index);

/** Returns how many selected articles were duplicates (the same guid, or
 *  the same link where neither has a guid) merged into another chapter. */
SHEAF_API size_t sheaf_book_merged_count(const sheaf_book *book);

/** Returns the number of distinct tags (by slug) among the chapters. */
SHEAF_API size_t sheaf_book_tag_count(const sheaf_book *book);
/** Returns the display name of distinct tag `i` (tags are sorted by
 *  descending article count, then slug) and stores its slug and article count
 *  in `*slug` and `*count` when not NULL. Returns NULL when out of range.
 *  Borrowed from `book`. */
SHEAF_API const char *sheaf_book_get_tag(const sheaf_book *book, size_t i,
                                         const char **slug, size_t *count);

/* ---- layout and package -------------------------------------------------- */

/** Checks the options of sheaf_layout() that can be checked before any
 *  input is read (the `remove` selectors), so a typo fails at once rather
 *  than after a long import. Returns SHEAF_OK, SHEAF_ERR_USAGE with an
 *  error in `diag`, or SHEAF_ERR_NOMEM. sheaf_layout() checks them too. */
SHEAF_API sheaf_status sheaf_layout_check_options(const sheaf_options *opt,
                                                  sheaf_diag *diag);

/** Lays out every chapter of `book`: each body sanitized into an XHTML
 *  content document, plus the title page. Returns a new manuscript (freed
 *  with sheaf_manuscript_free(); it borrows `book`), or NULL with `*status`
 *  set. Lost content (remote images, removed scripts) is reported in `diag`. */
SHEAF_API sheaf_manuscript *sheaf_layout(const sheaf_book *book, const sheaf_options *opt,
                                         sheaf_diag *diag, sheaf_status *status);

/** Frees `ms`; NULL is allowed. */
SHEAF_API void sheaf_manuscript_free(sheaf_manuscript *ms);

/** Writes `ms` as an EPUB 3 file at `path`. The book is written into an
 *  unnamed temporary file in the target's folder (a named one,
 *  ".sheaf-PID-XXXXXX.tmp", where the file system cannot) and takes its
 *  name only when complete, so `path` holds either its old content or the
 *  whole new book, and a killed process leaves nothing behind.
 *  A symbolic link is followed to the regular file it leads to, which is
 *  replaced (the link stays); a link to nothing is refused. /dev/stdout,
 *  /dev/fd/N and the like write to that descriptor, and a character
 *  device (/dev/null) or FIFO gets the finished book copied into it, as
 *  with sheaf_package_fd(). Folders, sockets, block devices and
 *  terminals are refused. No file that the import or layout of this book
 *  read (inputs, files of input folders, --css, --cover, images) is ever
 *  replaced, however it is named: checked by device and inode, before
 *  any work and again just before the book takes its name.
 *  Returns SHEAF_OK; SHEAF_ERR_WRITE with an error in `diag` (also when
 *  memory ran out while writing: the book was not written);
 *  SHEAF_ERR_USAGE for a modification time past the year 9999 (an EPUB
 *  date has four digits); or SHEAF_ERR_CANCELLED. */
SHEAF_API sheaf_status sheaf_package(const sheaf_manuscript *ms, const char *path,
                                     const sheaf_options *opt, sheaf_diag *diag);

/** Writes `ms` as an EPUB 3 file to the open descriptor `fd` (standard
 *  output, a pipe, a socket): the book is built whole in a temporary file
 *  first, then copied, so a failure before the copy writes nothing. A
 *  terminal is refused, and so is a regular file this build read (`>>
 *  feed.rss`). `fd` stays open. Returns as sheaf_package(). */
SHEAF_API sheaf_status sheaf_package_fd(const sheaf_manuscript *ms, int fd,
                                        const sheaf_options *opt, sheaf_diag *diag);

#ifdef __cplusplus
}
#endif
#endif
