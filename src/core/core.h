/*
 * This file declares the helpers every stage shares: allocation, growing
 * buffers, string views, diagnostics, dates, slugs, hashing, and the data
 * model (articles, collections, books, manuscripts) that the stages pass
 * along. It is the only internal header of src/core.
 */
#ifndef SHEAF_CORE_H
#define SHEAF_CORE_H

#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sheaf/sheaf.h"

#if defined(__GNUC__)
#define SHEAF_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define SHEAF_PRINTF(f, a)
#endif

#ifdef SHEAF_UNITTESTS
#define SHEAF_STATIC
#else
#define SHEAF_STATIC static
#endif

#ifndef NDEBUG
#include <assert.h>
#define SHEAF_ASSERT(x) assert(x)
#else
#define SHEAF_ASSERT(x) ((void)0)
#endif

/* Propagate a failure to the function's single `out:` label (md4c MD_CHECK). */
#define SHEAF_CHECK(expr)                                                                \
  do {                                                                                   \
    ret = (expr);                                                                        \
    if (ret != SHEAF_OK)                                                                 \
      goto out;                                                                          \
  } while (0)

/* ---- options.c: a caller's options, as the stages see them --------------- */

/* Fills `out` with this library's defaults, then copies over them the part
 * of `in` the caller knows (in->size bytes; see options.h). `in` may be
 * NULL (all defaults). Returns SHEAF_OK, or SHEAF_ERR_USAGE with an error
 * in `diag` for options never initialised or carrying fields this library
 * does not know. Every public function that takes options calls it first. */
sheaf_status sheaf_options_resolve(const sheaf_options *in, sheaf_options *out,
                                   sheaf_diag *diag);
/* Sets up, once per process and safely from any thread, what the libraries
 * sheaf uses would otherwise set up lazily and racily on first use. Called
 * by sheaf_options_resolve() and sheaf_xml_safe_options(). */
void sheaf_init_once(void);

/* ---- limits: defaults of the sheaf_options limits (options.c) ----------- */

/* 2 GiB less one byte: the most libxml2's reader takes in one piece (an
 * int). A large file is read through mapped pages released behind the
 * parser (input.c), so its size is not what memory holds; WordPress
 * exports of large sites pass 1 GB. What is held whole (a gzip input
 * inflated, a WARC response) is held to the same limit. */
#define SHEAF_DEFAULT_MAX_INPUT_SIZE ((size_t)INT_MAX)
#define SHEAF_DEFAULT_MAX_ARTICLES ((size_t)100000)
#define SHEAF_DEFAULT_MAX_ARTICLE_SIZE ((size_t)10 << 20)
#define SHEAF_DEFAULT_MAX_DEPTH ((size_t)256)
/* The limit in effect: the option's value, or the default when `opt` is
 * NULL or the field is 0. */
#define SHEAF_LIMIT(opt, field, def)                                                     \
  ((opt) != NULL && (opt)->field != 0 ? (opt)->field : (def))
/* Formats a byte count for messages: "512M", "10M", "300K", "1234 bytes".
 * Writes into out (at least 32 bytes) and returns it. */
const char *sheaf_size_str(size_t n, char out[32]);

/* Drops const, for an API that insists on a mutable pointer it does not
 * write through (iconv's input, libzip's callback state), and for freeing
 * what the library hands out as const (diagnostic messages). One named
 * place, so that -Wcast-qual stays on for every other cast. */
static inline void *sheaf_unconst(const void *p)
{
  union {
    const void *c;
    void *m;
  } u;
  u.c = p;
  return u.m;
}

/* ---- alloc.c: every allocation goes through these (tests may hook them) -- */

void *sheaf_malloc(size_t n);
void *sheaf_calloc(size_t count, size_t size);
void *sheaf_realloc(void *p, size_t n);
/* sheaf_free() is public (sheaf.h). */
char *sheaf_strdup(const char *s);            /* NULL in, NULL out */
char *sheaf_strndup(const char *s, size_t n); /* always NUL-terminates */
/* Grows *arr (of *cap elements of `size` bytes) to hold at least `need`.
 * Returns false when out of memory or on overflow; *arr is then unchanged. */
bool sheaf_grow(void **arr, size_t *cap, size_t need, size_t size);
/* For tests: the `n`-th allocation from now (0: the next) on this thread
 * fails, once; negative disarms. sheaf_alloc_fail_pending() says whether
 * the armed failure has not happened yet (the code under test made fewer
 * allocations). */
void sheaf_alloc_fail_after(long n);
bool sheaf_alloc_fail_pending(void);

/* ---- buf.c: growing, always NUL-terminated byte buffer ------------------- */

struct sheaf_buf {
  char *ptr;   /* never NULL: starts at a static "" */
  size_t len;  /* bytes used, not counting the NUL */
  size_t cap;  /* bytes allocated; 0 while ptr is the static "" */
  size_t max;  /* appends beyond this fail; 0: no limit */
  bool failed; /* sticky: an append failed (no memory or over max) */
};

void sheaf_buf_init(struct sheaf_buf *b, size_t max);
void sheaf_buf_fini(struct sheaf_buf *b);
void sheaf_buf_reset(struct sheaf_buf *b); /* empty, keep capacity */
/* Returns the contents and leaves `b` empty; the caller frees with sheaf_free.
 * Returns NULL when the buffer has failed. */
char *sheaf_buf_detach(struct sheaf_buf *b, size_t *len);
bool sheaf_buf_put(struct sheaf_buf *b, const void *p, size_t n);
bool sheaf_buf_puts(struct sheaf_buf *b, const char *s);
/* One byte. Inline: tokenizers and escapers call it per byte, and the
 * common case (room, no failure, under the limit) is a store. */
static inline bool sheaf_buf_putc(struct sheaf_buf *b, char c)
{
  if (b->len + 2 <= b->cap && !b->failed && (!b->max || b->len + 1 <= b->max)) {
    b->ptr[b->len++] = c;
    b->ptr[b->len] = '\0';
    return true;
  }
  return sheaf_buf_put(b, &c, 1);
}
bool sheaf_buf_printf(struct sheaf_buf *b, const char *fmt, ...) SHEAF_PRINTF(2, 3);
/* Appends text escaped for XML content (&, <, >) or, with `attr`, for a
 * double-quoted attribute (also "). Drops characters XML 1.0 forbids. */
bool sheaf_buf_put_xml(struct sheaf_buf *b, const char *p, size_t n, bool attr);
/* Appends text that is already XML (escaped) with the same filter of
 * characters: what XML 1.0 forbids dropped, invalid UTF-8 as U+FFFD. For
 * documents libxml2's writer made, which passes such bytes through. */
bool sheaf_buf_put_xml_chars(struct sheaf_buf *b, const char *p, size_t n);

/* ---- str.c: views and small string helpers ------------------------------- */

struct sheaf_str {
  const char *p;
  size_t n;
};

struct sheaf_str sheaf_str_trim(struct sheaf_str s);   /* ASCII whitespace */
bool sheaf_str_ieq(struct sheaf_str a, const char *b); /* ASCII case-insensitive */
int sheaf_ascii_casecmp(const char *a, const char *b);
bool sheaf_starts_with_ci(const char *s, const char *prefix);
/* Is `word` one of the tokens of the whitespace-separated `list` (an HTML
 * class, rel or role attribute)? ASCII case-insensitive with `any_case`.
 * A NULL `list` has none. */
bool sheaf_has_token(const char *list, const char *word, bool any_case);
/* Returns the value of hexadecimal digit `c`, or -1 when it is none. */
int sheaf_hexval(int c);
/* Collapses runs of whitespace to one space and trims; returns a new string. */
char *sheaf_str_collapse_ws(const char *s, size_t n);
/* Returns true when `s` has the shape of a BCP 47 language tag ("en",
 * "en-GB", "zh-Hant-TW", "x-klingon"): subtags of 1-8 ASCII letters or
 * digits joined by '-', the first all letters. Feeds write "English" or
 * "en_US"; EPUBCheck rejects those in xml:lang and dc:language. */
bool sheaf_lang_valid(const char *s);
/* Returns a new copy of a language value with '_' turned into '-' ("en_US"
 * becomes "en-US"), or NULL when it is not a language tag even then. */
char *sheaf_lang_normalize(const char *s);

/* Character classes, UTF-8, lines, WordPress (text.c): one of each. The
 * header is in this folder, as is this one (the CLI names both bare). */
#include "text.h"

/* ---- slug.c --------------------------------------------------------------- */

/* Returns a new slug for `name`: ASCII lowercased, runs of spaces and
 * punctuation become one '-', percent-escapes decoded, non-ASCII letters kept
 * as UTF-8, case-folded and in NFC (utf8proc); "Digital Economy" and
 * "digital-economy" give the same slug, and so do "Тема" and "тема",
 * "STRASSE" and "straße". Slugs of ASCII names are ASCII lowercased only.
 * Returns NULL only when out of memory. */
char *sheaf_slugify(const char *name, size_t n);
/* Returns a new copy of UTF-8 text s[0..n) in NFC, case-folded with `fold`
 * (Unicode full case folding: "ß" becomes "ss"). ASCII text and text that
 * is not valid UTF-8 are copied as they are. Returns NULL only when out of
 * memory. */
char *sheaf_unicode_normalize(const char *s, size_t n, bool fold);

/* ---- spool.c: temporary files ------------------------------------------ */

/* Opens a new file in $TMPDIR (else /tmp) and unlinks it at once, so
 * nothing is left behind whatever happens to the process. Returns the
 * descriptor, or -1 with errno set. */
int sheaf_temp_open(void);
/* pwrite/pread of all `n` bytes at `off`, retrying on EINTR and short
 * counts. Return false with errno set (ENOSPC for a zero-byte write, EIO
 * for a read past the end). */
bool sheaf_pwrite_all(int fd, const void *p, size_t n, uint64_t off);
bool sheaf_pread_all(int fd, void *p, size_t n, uint64_t off);

/* An append-only temporary file (sheaf_temp_open, opened at the first
 * write) written through a 256 KB buffer: many small records cost a few
 * large writes, not a system call each (a feed of 10,000 articles spools
 * 20,000 bodies and summaries). Reads see every byte put, whether still
 * in the buffer or in the file, and may run on other threads while one
 * thread appends. */
struct sheaf_appendfile;
/* Returns a new, empty file, or NULL when out of memory. */
struct sheaf_appendfile *sheaf_appendfile_new(void);
/* Appends p[0..n); *off gets the offset of its first byte (consecutive
 * puts are contiguous). False with errno set when out of memory, or when
 * the file cannot be created or written, which is sticky: every later put
 * fails too. */
bool sheaf_appendfile_put(struct sheaf_appendfile *f, const void *p, size_t n,
                          uint64_t *off);
/* Reads n bytes at `off`; false with errno set on failure (EIO: past the
 * end). */
bool sheaf_appendfile_read(const struct sheaf_appendfile *f, uint64_t off, void *p,
                           size_t n);
/* The bytes put so far. */
uint64_t sheaf_appendfile_size(const struct sheaf_appendfile *f);
void sheaf_appendfile_free(struct sheaf_appendfile *f);

/* ---- fileset.c: the files a build read, by device and inode ------------- */

struct sheaf_pool; /* pool.c, below */
struct sheaf_fileent {
  uint64_t ino;
  uint32_t dev;  /* index into the set's devices */
  uint32_t name; /* index into the set's names; SHEAF_FILESET_IN: a folder's */
};
#define SHEAF_FILESET_IN UINT32_C(0x80000000)
/* Zero-initialised (or sheaf_fileset_init) is an empty set. A file costs
 * 16 bytes and a slot or two of the index; a file of an input folder
 * holds no path (the folder's is held once, and the file's name is looked
 * up again when a message needs it). */
struct sheaf_fileset {
  struct sheaf_fileent *ents;
  size_t n, cap;
  uint32_t *index; /* entry number + 1 by (dev, ino); 0: empty */
  size_t nindex;   /* slots: a power of two, at least twice n; or 0 */
  uint64_t *devs;  /* the few devices seen */
  size_t ndevs, devs_cap;
  char **names; /* paths of files and of folders, in the order added */
  size_t nnames, names_cap;
  size_t last_folder; /* nnames when the last name is a folder's, else 0 */
  /* Set before the first add: paths are copied into this pool (a
   * collection's, whose sources share the copy: sheaf_pool_strdup_recent). */
  struct sheaf_pool *pool;
};
void sheaf_fileset_init(struct sheaf_fileset *s);
void sheaf_fileset_fini(struct sheaf_fileset *s);
/* Records the file (st_dev, st_ino) read as `path` (copied); a file already
 * recorded keeps its first path. Returns false when out of memory. */
bool sheaf_fileset_add(struct sheaf_fileset *s, uint64_t dev, uint64_t ino,
                       const char *path);
/* The same for a file read from the folder `dir` (a folder walk): only the
 * folder's path is held, once for its run of files. */
bool sheaf_fileset_add_in(struct sheaf_fileset *s, uint64_t dev, uint64_t ino,
                          const char *dir);
/* Whether the file was read. When it was and `path` is not NULL, *path is
 * the path under which it was read (a new string, sheaf_free; NULL when out
 * of memory). `s` may be NULL. */
bool sheaf_fileset_find(const struct sheaf_fileset *s, uint64_t dev, uint64_t ino,
                        char **path);
/* "a FIFO (named pipe)", "a character device", "a folder"...: what a file
 * of st_mode `mode` is, for messages about files that are not regular. */
const char *sheaf_file_kind(unsigned mode);

/* ---- strmap.c: strings to numbers, in constant time ---------------------- */

struct sheaf_strmap_slot {
  const char *key; /* borrowed; NULL: an empty slot */
  size_t len;
  uint64_t hash;
  size_t val;
};
struct sheaf_strmap {
  struct sheaf_strmap_slot *slots;
  size_t n, cap;
  uint64_t seed;
};
/* An empty map. Keys are borrowed: each must stay valid and unchanged while
 * it is in the map. */
void sheaf_strmap_init(struct sheaf_strmap *m);
void sheaf_strmap_fini(struct sheaf_strmap *m);
/* The value stored under key[0..len), or NULL. `m` may be NULL. */
const size_t *sheaf_strmap_get(const struct sheaf_strmap *m, const char *key, size_t len);
/* Stores `val` under key[0..len) (replacing a value already there).
 * Returns false when out of memory; the map is then unchanged. */
bool sheaf_strmap_put(struct sheaf_strmap *m, const char *key, size_t len, size_t val);
/* A 64-bit mix (splitmix64's finaliser), for hashes of numbers. */
uint64_t sheaf_hash_mix(uint64_t x);
/* The maps' hash of p[0..n) (FNV-1a, then mixed), under a per-map `seed`. */
uint64_t sheaf_hash_bytes(uint64_t seed, const char *p, size_t n);

/* ---- sort.c: 64-bit numbers sorted in place ------------------------------ */

/* Sorts v[0..n) ascending, in place (no copy of the array). */
void sheaf_sort_u64(uint64_t *v, size_t n);

/* ---- pool.c: immutable strings and arrays, freed all at once ------------- */

struct sheaf_pool_block;
/* Zero-initialised is not enough: sheaf_pool_init() seeds the maps. */
struct sheaf_pool {
  struct sheaf_pool_block *blocks; /* owned, newest first */
  char *cur;                       /* where the next bytes go */
  size_t left;                     /* bytes free at cur */
  size_t bytes;                    /* allocated in all (blocks and headers) */
  struct sheaf_strmap strings;     /* interned strings, by their bytes */
  struct sheaf_strmap arrays;      /* interned arrays, by their bytes */
  char *recent;                    /* sheaf_pool_strdup_recent()'s last */
};
void sheaf_pool_init(struct sheaf_pool *p);
void sheaf_pool_fini(struct sheaf_pool *p);
/* `n` bytes aligned to `align` (a power of two, at most max_align_t's),
 * valid until sheaf_pool_fini(); NULL when out of memory. */
void *sheaf_pool_alloc(struct sheaf_pool *p, size_t n, size_t align);
/* A copy of s[0..n), NUL-terminated, in the pool; NULL when out of memory. */
char *sheaf_pool_strdup(struct sheaf_pool *p, const char *s, size_t n);
/* sheaf_pool_strdup(), or the copy this function returned last when that
 * is s[0..n) again: a file's path, recorded as read and then as its
 * articles' source, is held once, without a map of every path. */
char *sheaf_pool_strdup_recent(struct sheaf_pool *p, const char *s, size_t n);
/* The pool's one copy of s[0..n) (NUL-terminated): equal strings give the
 * same pointer, so an interned string is never to be changed. NULL when
 * out of memory. */
char *sheaf_pool_intern(struct sheaf_pool *p, const char *s, size_t n);
/* The same for n > 0 bytes of any kind (an array of pointers to interned
 * strings), aligned like max_align_t; padding bytes must be zero. */
void *sheaf_pool_intern_bytes(struct sheaf_pool *p, const void *data, size_t n);

/* ---- idset.c: a sorted set of strings (article ids) --------------------- */

struct sheaf_idset {
  char **ids; /* owned */
  size_t n, cap;
};
/* Sorts the set; call once after adding, before sheaf_idset_has(). */
void sheaf_idset_sort(struct sheaf_idset *set);
/* Is `id` in the sorted set? NULL is the empty set. */
bool sheaf_idset_has(const struct sheaf_idset *set, const char *id);
void sheaf_idset_fini(struct sheaf_idset *set);

/* ---- dates.c -------------------------------------------------------------- */

/* Parses an RFC 822 / RFC 2822 date as found in RSS ("Wed, 22 Feb 2023
 * 07:30:53 +0000", "GMT", "EST", military zones, two-digit years, missing
 * seconds or weekday, odd spacing). Stores UTC seconds in *t and the source's
 * offset in minutes in *offset (may be NULL). Returns false when unparseable. */
bool sheaf_date_parse_rfc822(const char *s, size_t n, int64_t *t, int *offset);
/* Parses ISO 8601 / RFC 3339: "2023-02-22", "2023-02-22T07:30:53Z",
 * "+01:00" offsets, fractions, a space for T, basic "20230222". A date without
 * time is midnight UTC. */
bool sheaf_date_parse_iso8601(const char *s, size_t n, int64_t *t, int *offset);
/* Tries ISO 8601, then RFC 822. */
bool sheaf_date_parse(const char *s, size_t n, int64_t *t, int *offset);
/* Formats `t` as "2023-02-22T07:30:53Z" into out (at least 21 bytes). */
void sheaf_date_format_iso(int64_t t, char out[32]);
/* Formats `t` as "2023-02-22" into out. */
void sheaf_date_format_day(int64_t t, char out[32]);
/* Splits UTC seconds into civil date and time fields (UTC). */
void sheaf_date_split(int64_t t, int64_t *y, unsigned *mo, unsigned *d, unsigned *h,
                      unsigned *mi, unsigned *s);
/* Days-from-civil and back (proleptic Gregorian), exposed for tests. */
int64_t sheaf_days_from_civil(int64_t y, unsigned m, unsigned d);

/* ---- labels.c: the words sheaf writes into a book, per language ---------- */

/* Static strings in one language (UTF-8). Patterns: see labels.c. */
struct sheaf_labels {
  const char *lang; /* what the strings are in: "en", "de", "zh-Hant" */
  const char *contents, *landmarks, *title_page, *start, *cover;
  const char *untitled, *undated, *untagged;
  const char *sources[2];            /* a heading over a list of one, of more:
                                        "Source:", "Sources:" */
  const char *original;              /* the link to an article's web page */
  const char *media, *video, *audio; /* "Video: <link>" for an embed */
  const char *date;                  /* a long date: "{d} {M} {y}" */
  const char *month;                 /* a month's heading: "{N} {y}" */
  const char *months[12];            /* in a date: "janvier", "stycznia" */
  const char *month_names[12];       /* alone: "Janvier", "Styczeń" */
  int plural;                        /* the language's plural rule (labels.c) */
  const char *count[3];              /* "{n} article": singular, few, many */
  const char *no_text;               /* a chapter whose article has no text */
};

/* The labels for a BCP 47 tag (its primary subtag; zh also by script or
 * region). Never NULL: English when the language has none (check ->lang). */
const struct sheaf_labels *sheaf_labels_for(const char *lang);
/* Whether the BCP 47 tag `lang` names a language written right to left
 * (Arabic, Hebrew, Persian, Urdu...). */
bool sheaf_lang_rtl(const char *lang);
/* Whether `l` is in the language of `lang` (false: English stood in). */
bool sheaf_labels_match(const struct sheaf_labels *l, const char *lang);
/* Appends `t` as a long date ("22 February 2023", "22. Februar 2023",
 * "2023年2月22日"). */
void sheaf_labels_date(const struct sheaf_labels *l, int64_t t, struct sheaf_buf *out);
/* The same, on the wall clock of a place `offset` minutes east of UTC. */
void sheaf_labels_date_tz(const struct sheaf_labels *l, int64_t t, int offset,
                          struct sheaf_buf *out);
/* Appends the month of `t` as a heading ("February 2023"). */
void sheaf_labels_month(const struct sheaf_labels *l, int64_t t, struct sheaf_buf *out);
/* Appends "first – last", or one date when they are the same day or one is
 * SHEAF_TIME_UNKNOWN; nothing when both are. */
void sheaf_labels_date_range(const struct sheaf_labels *l, int64_t first, int64_t last,
                             struct sheaf_buf *out);
/* The same, each day on the wall clock of its own place (`first_offset`,
 * `last_offset`: minutes east of UTC), as the chapters show them. */
void sheaf_labels_date_range_tz(const struct sheaf_labels *l, int64_t first,
                                int first_offset, int64_t last, int last_offset,
                                struct sheaf_buf *out);
/* Appends "n articles" with the language's plural form. */
void sheaf_labels_count(const struct sheaf_labels *l, size_t n, struct sheaf_buf *out);

/* ---- sha1.c: SHA-1, used only for UUID v5 names and content ids ---------- */

struct sheaf_sha1 {
  uint32_t h[5];
  uint64_t len;
  unsigned char block[64];
  size_t used;
};
void sheaf_sha1_init(struct sheaf_sha1 *s);
void sheaf_sha1_update(struct sheaf_sha1 *s, const void *p, size_t n);
void sheaf_sha1_final(struct sheaf_sha1 *s, unsigned char out[20]);
/* Writes a UUID v5 ("xxxxxxxx-xxxx-5xxx-yxxx-xxxxxxxxxxxx") of `name` in the
 * URL namespace into out (at least 37 bytes). */
void sheaf_uuid5_url(const char *name, size_t n, char out[37]);

/* ---- diag.c (internal side of sheaf_diag) -------------------------------- */

/* Adds an entry. `code` is a static string; `file` is copied (interned).
 * Never fails visibly: without memory the entry is counted, not stored. */
void sheaf_diag_add(sheaf_diag *d, sheaf_severity sev, const char *code, const char *file,
                    unsigned line, unsigned col, const char *fmt, ...) SHEAF_PRINTF(7, 8);
void sheaf_diag_vadd(sheaf_diag *d, sheaf_severity sev, const char *code,
                     const char *file, unsigned line, unsigned col, const char *fmt,
                     va_list ap) SHEAF_PRINTF(7, 0);

/* Adds every entry of `src` to `dst` in order, as sheaf_diag_add() would
 * (callback included), and counts the ones `src` did not store. For
 * diagnostics collected on another thread (layout/parallel.c). */
void sheaf_diag_replay(sheaf_diag *dst, const sheaf_diag *src);

/* ---- xmlutil.c: libxml2 glue shared by import and layout ----------------- */

/* Parser options every XML read uses: no network, no external entities, no
 * DTD loading, no entity substitution beyond the predefined ones, big-line
 * numbers. */
int sheaf_xml_safe_options(void);
/* Collects libxml2's structured errors for one parser into a diag,
 * attributed to `file`. Install sheaf_xml_error_handler with this struct as
 * its user data (xmlTextReaderSetStructuredErrorHandler, or the parser
 * context's sax->serror). */
struct _xmlError;
struct sheaf_xml_errctx {
  sheaf_diag *diag;
  const char *file;
  sheaf_severity max_sev; /* promote errors to at most this severity */
  unsigned nerrors;       /* errors seen */
  unsigned first_line;    /* line of the first error */
  char first_msg[256];    /* message of the first error */
  bool nomem;             /* libxml2 reported XML_ERR_NO_MEMORY */
};
void sheaf_xml_error_handler(void *errctx, struct _xmlError *err);
void sheaf_xml_errctx_init(struct sheaf_xml_errctx *ec, sheaf_diag *d, const char *file,
                           sheaf_severity max_sev);
/* Returns the node after `node` in document order below `root`, skipping
 * node's children when `skip_children` (only elements are descended into);
 * NULL at the end. Walks written with it are iterative: no recursion on
 * the tree's depth. */
struct _xmlNode;
struct _xmlNode *sheaf_xml_next(struct _xmlNode *node, struct _xmlNode *root,
                                bool skip_children);

/* ---- url.c: percent-escapes, authorities, the href cleaner --------------- */

/* Returns the byte the escape "%XX" at p[0..n) stands for, or -1 when p
 * does not start with one (fewer than three bytes, or no hex digits). */
int sheaf_url_pct(const char *p, size_t n);
/* Appends p[0..n) to `out` with its %XX escapes decoded (a "%00" gives a
 * NUL byte; callers that cannot hold one check). Returns !out->failed. */
bool sheaf_url_decode(struct sheaf_buf *out, const char *p, size_t n);
/* Where the authority of "scheme://user@host:port/path" lies in the URL,
 * as offsets: the host is after the first '@' (user info) and before a
 * ":port" (an IPv6 literal keeps its brackets and colons). */
struct sheaf_url_authority {
  size_t start;    /* first byte after "//" */
  size_t host;     /* first byte of the host */
  size_t host_end; /* end of the host: a port's ':', or `end` */
  size_t end;      /* end of the authority: '/', '?', '#' or the NUL */
};
/* Fills `a` for a URL whose first ':' is followed by "//"; returns false
 * (a untouched) for one without an authority (mailto:, relative, ...). */
bool sheaf_url_authority(const char *url, struct sheaf_url_authority *a);
/* Returns the length of the scheme of "scheme:rest" (a letter, then
 * letters, digits, '+', '-' or '.', then ':'), or 0 when `s` has none. */
size_t sheaf_url_scheme(const char *s);
/* Resolves the reference `ref` against the absolute URL `base` (RFC 3986,
 * by libxml2). Returns a new string (free with sheaf_free()), or NULL when
 * they do not make a URL or when out of memory. */
char *sheaf_url_resolve(const char *ref, const char *base);
/* Cleans the URL `raw` for an href: strips whitespace and control
 * characters, allows only http, https, mailto, ftp and tel schemes (or a
 * `#fragment`), resolves relative URLs against `base` (dropped without a
 * base) and percent-encodes what a URI may not hold; an internationalized
 * host is written in its ASCII form (IDNA, UTS #46 nontransitional, as
 * browsers do: "BÜCHER.de" is "xn--bcher-kva.de"). Returns a new string
 * (the caller frees it with sheaf_free()) or NULL when the URL is unsafe or
 * unusable; `*nomem` is set when NULL came from a failed allocation, and
 * `*why` (when `why` is not NULL) to a static reason worth a warning when
 * the host is a name IDNA does not allow, else to NULL. */
char *sheaf_url_clean(const char *raw, const char *base, bool *nomem, const char **why);

/* ---- the data model (model.c) -------------------------------------------- */

enum sheaf_tag_kind { SHEAF_TAG_TAG, SHEAF_TAG_CATEGORY };

struct sheaf_tag {
  char *name; /* display name as the source gives it */
  char *slug; /* sheaf_slugify(name), or the source's own slug */
  enum sheaf_tag_kind kind;
};

enum sheaf_body_format { SHEAF_BODY_HTML, SHEAF_BODY_TEXT, SHEAF_BODY_MARKDOWN };

/* Held for every article of the archive until the book is written: the
 * fields are ordered so that none needs padding (a million articles). */
/* No feed: a page or a file read by itself (sheaf_article.feed). */
#define SHEAF_NO_FEED UINT32_MAX

struct sheaf_article {
  char **authors;
  struct sheaf_tag *tags;
  /* Two maps, slugs -> tags and names -> authors, made once an article
   * has many (a hostile feed may give one item 100,000 tags); NULL
   * before, and again once the article is packed (model.c). */
  struct sheaf_strmap *maps;
  char *language; /* BCP 47 or NULL (then the feed's) */
  /* Input path, owned by the collection; NULL once spilled when it is the
   * article's guid (a file's own path: SHEAF_REC_SOURCE_IS_GUID). */
  const char *source;
  /* The name (last component, never the path) of the folder given as input
   * that held the file, or NULL; owned by the collection. The book names
   * the folder once by it instead of listing its files. */
  const char *folder;
  int64_t published;  /* UTC seconds or SHEAF_TIME_UNKNOWN */
  int64_t updated;    /* UTC seconds or SHEAF_TIME_UNKNOWN */
  int64_t order_time; /* orders an undated article (a Markdown file's
                         modification time), never shown; or UNKNOWN */
  /* Spooled (sheaf_collection_spool_article): body and summary are NULL
   * here and live at [spool_off, +body_len) and [+body_len, +summary_len)
   * of the collection's body spool; read them with sheaf_article_load(). */
  uint64_t spool_off;
  /* Spilled: hashes (the collection's seed) of the id and of the link
   * ("" for none), which the selection's merging of duplicates compares
   * before it reads the strings; the text record's length, after the
   * summary in the spool; SHEAF_REC_* bits of what the record holds. */
  uint64_t id_hash, link_hash;
  uint32_t body_len, summary_len, text_len;
  uint32_t feed;  /* index into the collection's feeds, or SHEAF_NO_FEED */
  uint32_t order; /* position in the collection, for stable sorting */
  /* 32 bits: an input is at most 2 GB, and a tag takes more than 2 bytes
   * of it (sheaf_article_add_tag refuses more all the same). The lists'
   * room follows from the counts (model.c), so it is not stored. */
  uint32_t nauthors, ntags;
  int pub_offset; /* source's UTC offset of `published`, minutes */
  unsigned line;  /* line in `source` where the item starts */
  enum sheaf_body_format body_format;
  bool spooled, has_body, has_summary, spilled;
  unsigned char text; /* SHEAF_REC_* */
  /* SHEAF_PACK_* bits: what of the article lives in its collection's pool
   * (packed when spooled) rather than in its own allocations. Pooled
   * strings are borrowed: never free or change them. Call
   * sheaf_article_unpack() before writing to id, title, link, guid or
   * language; the sheaf_article_ functions do it for tags and authors. */
  unsigned char packed;
  /* Everything above is the head, which a spilled article keeps: it moves
   * into the collection's array of heads (SHEAF_ARTICLE_HEAD bytes each),
   * and has none of the fields below, which are those of an article being
   * read. Never read them on a spilled article (a->spilled): its strings
   * wait in the collection's body spool, and sheaf_article_view() gives
   * a whole struct with them. */
  char *id;      /* guid, else link, else sha1 of title+body; never NULL */
  char *title;   /* plain text; never NULL */
  char *link;    /* canonical URL or NULL */
  char *guid;    /* as given, or NULL */
  char *summary; /* excerpt (HTML) or NULL */
  char *body;    /* full content, or NULL (then summary is the body) */
};
/* The bytes of a spilled article (struct sheaf_article). */
#define SHEAF_ARTICLE_HEAD offsetof(struct sheaf_article, id)

/* The parts of an article that packing moves into the collection's pool:
 * id, title, link, guid and language (id shares guid's or link's copy when
 * it is equal); the tags (array, names and slugs interned); the authors
 * (array and names interned). */
enum { SHEAF_PACK_TEXT = 1, SHEAF_PACK_TAGS = 2, SHEAF_PACK_AUTHORS = 4 };

/* What a spilled article's text record holds, and what the selection
 * needs to know of its strings without reading them: a link (non-NULL),
 * a non-empty link, a guid (non-NULL), a non-empty guid, a non-empty
 * title. The others say which copy the record leaves out: the source is
 * the guid (a file's path, one per article: it is spilled too, and
 * a->source is NULL), the id is its guid or its link. */
enum {
  SHEAF_REC_LINK = 1,
  SHEAF_REC_LINK_SET = 2,
  SHEAF_REC_GUID = 4,
  SHEAF_REC_GUID_SET = 8,
  SHEAF_REC_TITLE_SET = 16,
  SHEAF_REC_SOURCE_IS_GUID = 32,
  SHEAF_REC_ID_IS_GUID = 64,
  SHEAF_REC_ID_IS_LINK = 128
};

struct sheaf_feed {
  char *title, *link, *description, *language, *generator;
  const char *source;            /* input path, owned by the collection */
  struct sheaf_tag *archive_tag; /* from a /tag/SLUG/ link, or NULL */
  /* WordPress exports beside an uploads folder: media URL -> local file. */
  char **asset_urls;  /* as the export or a post body spells them */
  char **asset_files; /* existing regular files under that folder */
  size_t nassets;
};

struct sheaf_collection {
  struct sheaf_article **articles;
  size_t narticles, cap;
  struct sheaf_feed **feeds;
  size_t nfeeds, feeds_cap;
  /* Body spool: an unlinked temp file holding article bodies and summaries
   * once imported, so memory is bounded by metadata, not the archive. */
  bool spool_bodies;             /* set by sheaf_collection_spool_bodies() */
  struct sheaf_appendfile *body; /* NULL until the first article is spooled */
  /* Images and redirects from web archives, by URL (resources.c); NULL
   * until the first is added. */
  struct sheaf_resources *resources;
  struct sheaf_fileset read; /* every file imported: never the book's target;
                                its paths are in `pool` */
  /* Articles' metadata once packed (SHEAF_PACK_*): a million articles'
   * titles, links and ids without a malloc each, tags and authors once. */
  struct sheaf_pool pool;
  uint64_t text_seed; /* of the spilled articles' id_hash and link_hash */
  /* Spilled articles' heads (SHEAF_ARTICLE_HEAD bytes each), in blocks
   * that never move: no malloc per article. */
  unsigned char **heads;
  size_t nheads, heads_cap;
  /* Told of each article a feed's import pipe commits (on the reader's
   * thread, the article complete and spooled), then with NULL when that
   * input's pipe ends and the import may change its articles again; NULL:
   * nobody listens. The build job lays chapters out ahead with it
   * (layout/ahead.c). */
  void (*committed)(void *ud, const struct sheaf_article *a);
  void *committed_ud;
};

struct sheaf_book_tag {
  char *name, *slug;
  size_t count;
};

/* A run of chapters under one heading of the table of contents. */
struct sheaf_book_group {
  char *title;  /* "2023", "February 2023", a tag's name, "Undated" */
  size_t start; /* first chapter (0-based) */
  size_t count; /* chapters in the group; never 0 */
};

struct sheaf_book {
  const struct sheaf_collection *coll;   /* borrowed */
  const struct sheaf_article **chapters; /* borrowed from coll, in book order */
  size_t nchapters;
  char *title;
  char *subtitle;    /* e.g. the site name; may be NULL */
  char *publisher;   /* site name, or NULL */
  char *language;    /* never NULL */
  char *identifier;  /* "urn:uuid:..." */
  char *description; /* may be NULL */
  char **subjects;   /* selected tags' display names */
  size_t nsubjects;
  char **creators; /* dc:creator: --author, else the articles' authors when
                       at most three, else the site's name */
  size_t ncreators;
  bool creators_site; /* creators[0] is the site, not a person */
  char **sources;     /* sites, URLs, input names: never paths */
  size_t nsources;
  int64_t modified;            /* dcterms:modified */
  int64_t first, last;         /* date range of the chapters, or SHEAF_TIME_UNKNOWN */
  struct sheaf_book_tag *tags; /* distinct tags among the chapters */
  size_t ntags;
  struct sheaf_book_group *groups; /* NULL: a flat table of contents */
  size_t ngroups;
  /* The UTC offsets (minutes) the first and the last article were written
   * in: the title page shows their days as the chapters do. */
  int first_offset, last_offset;
  size_t merged; /* duplicate articles merged into others by sheaf_select() */
  /* A volume of a series (--split): the series' title, as readers shelve it
   * (belongs-to-collection, calibre:series), and the volume's 1-based
   * position in it; NULL and 0 for a book of its own. */
  char *series;
  size_t series_index;
};

/* A laid-out document of the book, ready to be zipped. */
struct sheaf_doc {
  char *href;       /* path inside EPUB/, e.g. "text/ch0001.xhtml" */
  char *id;         /* manifest id, e.g. "ch0001" */
  char *media_type; /* "application/xhtml+xml", "text/css", ... */
  char *data;       /* the bytes */
  size_t len;
  char *title;    /* for the table of contents; NULL: not listed */
  int64_t date;   /* shown beside the toc entry; SHEAF_TIME_UNKNOWN: none */
  size_t chapter; /* 1-based chapter number (book->chapters), 0: not a chapter */
  bool in_spine;
  bool linear;
  const char *properties; /* manifest properties (static string) or NULL */
  const char *landmark;   /* epub:type for landmarks ("bodymatter"...) or NULL */
  bool spooled;           /* the bytes went to the manuscript's spool: data is
                             NULL, len the uncompressed size */
  size_t spool_idx;       /* the spool's entry, when spooled */
};

/* A chapter's document, kept small because a book may have a million: its
 * href (text/chNNNN.xhtml), id (chNNNN), media type, place in the spine,
 * date and title follow from its number and its article, and its place in
 * the spool from the chapter before it (the next entry), so a chapter is
 * held only where that is not so: a run of chapters starts when a picture
 * took the next spool entry, and a label stands in for a title the article
 * does not have (a spilled article's title is read back when the contents
 * are written: sheaf_manuscript_doc_titled()). A book of a million chapters
 * without pictures holds one run, where a record of 16 bytes each took
 * 16 MB. */
struct sheaf_chapter_run {
  size_t chapter;   /* 0-based; the chapters after it follow in the spool */
  size_t spool_idx; /* its bytes, in the manuscript's spool */
};
struct sheaf_chapter_label {
  size_t chapter;
  const char *title; /* borrowed: a label ("Untitled") for its language */
};

struct sheaf_manuscript {
  const struct sheaf_book *book; /* borrowed */
  /* The documents other than the chapters, in spine order, non-spine docs
   * last; the chapters (if any) go between docs[chapters_at - 1] and
   * docs[chapters_at]. Read them all with sheaf_manuscript_doc(). */
  struct sheaf_doc *docs;
  size_t ndocs, cap;
  /* Chapter k is book->chapters[k]: nchapters of them so far. */
  size_t nchapters, chapters_at;
  struct sheaf_chapter_run *runs; /* by chapter */
  size_t nruns, runs_cap;
  struct sheaf_chapter_label *labels; /* by chapter */
  size_t nlabels, labels_cap;
  struct sheaf_spool *spool;    /* owned; NULL: documents keep their data */
  size_t images, images_no_alt; /* <img> in the chapters, and those without
                                   alt text (accessibility metadata) */
  struct sheaf_fileset read;    /* stylesheet, cover, images: never the target */
};

/* ---- spool.c: documents compressed on worker threads into a temp file --- */

struct sheaf_spool;
/* One spooled document: its raw deflate stream is at [off, off+clen) of the
 * spool's file; len and crc are those of the uncompressed bytes. */
struct sheaf_spool_entry {
  uint64_t off, clen, len;
  uint32_t crc;
};
/* The threads a spool of `requested` threads uses, the caller's included:
 * `requested`, or for 0 the online CPUs, at most 4. */
unsigned sheaf_spool_threads(unsigned requested);
/* Returns a new spool with sheaf_spool_threads(threads) - 1 workers (none:
 * documents are compressed when added), or NULL when out of memory. */
struct sheaf_spool *sheaf_spool_new(unsigned threads);
/* Queues `data` (sheaf_malloc'd, taken over also on failure) for
 * compression and gives its entry number in *idx. Waits while a few
 * documents are already in flight. Returns SHEAF_OK or SHEAF_ERR_NOMEM;
 * other failures (a full disk: SHEAF_ERR_WRITE) are kept for
 * sheaf_spool_finish(). */
sheaf_status sheaf_spool_add(struct sheaf_spool *sp, char *data, size_t len, size_t *idx);
/* Stores z[0..clen), a raw deflate stream that sheaf_deflate() made of
 * `len` bytes with CRC-32 `crc`, as a new entry (its number in *idx):
 * for what was compressed already (--split SIZE weighs chapters deflated).
 * Returns SHEAF_OK or SHEAF_ERR_NOMEM; a write failure is kept for
 * sheaf_spool_finish(). */
sheaf_status sheaf_spool_add_deflated(struct sheaf_spool *sp, const void *z, size_t clen,
                                      size_t len, uint32_t crc, size_t *idx);
/* Waits until every added document is in the file. Returns SHEAF_OK, or
 * the first failure with an error in `diag` (not for SHEAF_ERR_NOMEM,
 * which the caller reports). NULL `sp` is fine. */
sheaf_status sheaf_spool_finish(struct sheaf_spool *sp, sheaf_diag *diag);
/* Entry `idx`: complete after sheaf_spool_finish(), and at once for one
 * that sheaf_spool_add_deflated() stored. False when there is none. */
bool sheaf_spool_entry(const struct sheaf_spool *sp, size_t idx,
                       struct sheaf_spool_entry *e);
/* Reads n bytes at `off` of the spool's file; false with errno on failure. */
bool sheaf_spool_read(const struct sheaf_spool *sp, uint64_t off, void *buf, size_t n);
/* The bytes of the spool's file: the end of the last stream stored. */
uint64_t sheaf_spool_size(const struct sheaf_spool *sp);
void sheaf_spool_free(struct sheaf_spool *sp);
/* Raw-deflates p[0..n) with the spool's parameters into a new buffer
 * (*out, freed with sheaf_free). Returns SHEAF_OK or SHEAF_ERR_NOMEM. */
sheaf_status sheaf_deflate(const void *p, size_t n, unsigned char **out, size_t *clen,
                           uint32_t *crc);

/* ---- resources.c: a web archive's images by URL, for layout ------------ */

struct sheaf_resources;
/* Stores `data` as the capture of `url` (its fragment ignored) taken at
 * `date` (SHEAF_TIME_UNKNOWN allowed); an older capture than the one held
 * is ignored. The bytes go to a temporary file. Returns SHEAF_OK,
 * SHEAF_ERR_NOMEM or SHEAF_ERR_WRITE (errno set). */
sheaf_status sheaf_resources_add(struct sheaf_collection *c, const char *url,
                                 const void *data, size_t len, int64_t date);
/* Records that `url` redirected to `location` (absolute) at `date`. */
sheaf_status sheaf_resources_redirect(struct sheaf_collection *c, const char *url,
                                      const char *location, int64_t date);
/* The bytes of `url`, after at most 10 redirects: a new buffer in *data
 * (NUL-terminated, freed with sheaf_free). Returns SHEAF_OK, SHEAF_ERR_IO
 * when the archive does not hold it, SHEAF_ERR_LIMIT when it is larger
 * than `max` (0: no limit), SHEAF_ERR_NOMEM. Safe from several threads. */
sheaf_status sheaf_resources_get(const struct sheaf_collection *c, const char *url,
                                 size_t max, char **data, size_t *len);
/* The same in two steps: *id names the bytes (URLs serving identical
 * bytes share one id), then read `len` bytes of `id` into a new buffer. */
sheaf_status sheaf_resources_find(const struct sheaf_collection *c, const char *url,
                                  uint64_t *id, size_t *len);
sheaf_status sheaf_resources_read(const struct sheaf_collection *c, uint64_t id,
                                  size_t len, char **data);
size_t sheaf_resources_count(const struct sheaf_collection *c);
void sheaf_resources_free(struct sheaf_resources *r);

/* Model helpers. */
struct sheaf_article *sheaf_article_new(void);
void sheaf_article_free(struct sheaf_article *a);
/* Adds a tag unless one with the same slug is there. `slug` may be NULL
 * (derived from name). Returns false when out of memory. */
bool sheaf_article_add_tag(struct sheaf_article *a, const char *name, const char *slug,
                           enum sheaf_tag_kind kind);
bool sheaf_article_add_author(struct sheaf_article *a, const char *name);
/* Replaces author k (< a->nauthors) by a copy of `name`, as given (a WXR
 * login becomes the name the export lists). Returns false when out of
 * memory; the article is then unchanged. */
bool sheaf_article_set_author(struct sheaf_article *a, size_t k, const char *name);
/* Puts into `out` (emptied first) the key under which a book's record of
 * its articles (--after) names `a`: its id, except for a file whose id is
 * its path, named by its folder's and its own name, date and title
 * instead, so that no local path goes into a book, and for an item
 * without a guid, whose id is its link, named by the link and a hash of
 * its title ("LINK title:HEX"; without a title, the lengths of its texts:
 * "LINK length:BODY.SUMMARY"), so that items sharing one link are told
 * apart as the selection's merging of duplicates tells them. False when
 * out of memory, or when a spilled article's strings cannot be read. */
bool sheaf_article_record_key(const struct sheaf_collection *c,
                              const struct sheaf_article *a, struct sheaf_buf *out);
/* Gives `a` its own copies of everything packed (SHEAF_PACK_*), so that
 * its fields may be replaced and freed. False when out of memory; the
 * article is then unchanged. */
bool sheaf_article_unpack(struct sheaf_article *a);
/* Fills a->id from guid, link or a hash; call when the article is complete. */
bool sheaf_article_finish(struct sheaf_article *a);
void sheaf_feed_free(struct sheaf_feed *f);
/* Appends; the collection takes ownership (also on failure, when it frees). */
bool sheaf_collection_add_article(struct sheaf_collection *c, struct sheaf_article *a);
/* sheaf_collection_spool_bodies() is public (book.h). */
/* Moves a's body and summary to the collection's spool and frees them; a
 * no-op when the collection does not spool or a is spooled. Packs a's
 * metadata into the collection's pool in any case (a is complete; when
 * the pool cannot grow, a keeps its own copies). False with errno set
 * when the file cannot be written. */
bool sheaf_collection_spool_article(struct sheaf_collection *c, struct sheaf_article *a);
/* Moves a's metadata into the collection's pool (SHEAF_PACK_*), where a
 * complete article's title, link, ids, tags and authors take least room.
 * Only saves memory: when the pool cannot grow, a part stays a's own. */
void sheaf_collection_pack_article(struct sheaf_collection *c, struct sheaf_article *a);
/* Replaces a's body and summary by `body` and `summary` (taken over, freed
 * on failure too; NULL for none), spooled again when the collection
 * spools. False with errno set when the spool cannot be written. */
bool sheaf_collection_replace_text(struct sheaf_collection *c, struct sheaf_article *a,
                                   char *body, char *summary);
/* New copies of a's body and summary (NULL when it has none), spooled or
 * not; either out pointer may be NULL. Free with sheaf_free(). Returns
 * SHEAF_OK, SHEAF_ERR_NOMEM, or SHEAF_ERR_IO with errno set. */
sheaf_status sheaf_article_load(const struct sheaf_collection *c,
                                const struct sheaf_article *a, char **body,
                                char **summary);
/* An article with its strings at hand: a copy of `a` whose id, title,
 * link and guid point into `mem` when `a` is spilled (else `a`'s own).
 * The copy is for reading only; compare articles by their addresses in
 * the collection, never by a view's. One view may be filled again and
 * again; sheaf_article_view_fini() frees its buffer. */
struct sheaf_article_view {
  struct sheaf_article a;
  char *mem;
  size_t cap;
};
void sheaf_article_view_init(struct sheaf_article_view *v);
void sheaf_article_view_fini(struct sheaf_article_view *v);
/* Fills `v` with `a` and its strings. Returns SHEAF_OK, SHEAF_ERR_NOMEM,
 * or SHEAF_ERR_IO with errno set (the spool could not be read). Safe from
 * several threads, each with its own view. */
sheaf_status sheaf_article_view(const struct sheaf_collection *c,
                                const struct sheaf_article *a,
                                struct sheaf_article_view *v);
/* Whether a's title is not empty, spilled or not. */
bool sheaf_article_titled(const struct sheaf_article *a);
/* The hash of `s` ("" for NULL) that a spilled article's id_hash and
 * link_hash hold. */
uint64_t sheaf_article_text_hash(const struct sheaf_collection *c, const char *s);
/* Length of a's body / summary, spooled or not (0 when none). */
size_t sheaf_article_body_len(const struct sheaf_article *a);
size_t sheaf_article_summary_len(const struct sheaf_article *a);
bool sheaf_collection_add_feed(struct sheaf_collection *c, struct sheaf_feed *f);
/* Returns a copy of `path` owned by the collection (in its pool), or NULL
 * when out of memory. */
const char *sheaf_collection_intern_source(struct sheaf_collection *c, const char *path);
/* Appends a document; takes ownership of its strings (frees them on failure).
 * When the manuscript has a spool, the data goes to it (doc->spooled). */
bool sheaf_manuscript_add(struct sheaf_manuscript *m, struct sheaf_doc *doc);
/* Appends the document of the book's next chapter (book->chapters[
 * m->nchapters]): `data` (sheaf_malloc'd, taken over also on failure) goes
 * to the spool, `title` is borrowed from the book: the article's own title
 * (NULL for it, as for a spilled article's: nothing is held) or a label.
 * The chapters are added
 * one after another, with no other document between them. False when out
 * of memory or when the manuscript has no spool. */
bool sheaf_manuscript_add_chapter(struct sheaf_manuscript *m, const char *title,
                                  char *data, size_t len);
/* The number of documents, chapters included. */
size_t sheaf_manuscript_count(const struct sheaf_manuscript *m);
/* Document `i` (< sheaf_manuscript_count()) in spine order. A chapter's is
 * made in `view`, so the pointer is valid until `view` is reused; the
 * strings of the others are the manuscript's. */
struct sheaf_doc_view {
  struct sheaf_doc doc;
  char href[48], id[32];
  /* sheaf_manuscript_doc_titled()'s: init before, fini after. */
  struct sheaf_article_view art;
};
const struct sheaf_doc *sheaf_manuscript_doc(const struct sheaf_manuscript *m, size_t i,
                                             struct sheaf_doc_view *view);
/* The same with a chapter's title always set, read back from the
 * collection's spool when its article is spilled (the view keeps it). NULL
 * with *status set (SHEAF_ERR_NOMEM, SHEAF_ERR_IO) when that fails. */
const struct sheaf_doc *sheaf_manuscript_doc_titled(const struct sheaf_manuscript *m,
                                                    size_t i, struct sheaf_doc_view *view,
                                                    sheaf_status *status);
void sheaf_doc_view_init(struct sheaf_doc_view *view);
void sheaf_doc_view_fini(struct sheaf_doc_view *view);
void sheaf_doc_fini(struct sheaf_doc *doc);

#endif
