/*
 * This file declares the import stage's internals: sniffing an input's
 * format and the streaming feed readers (RSS, Atom) that turn one input
 * into articles of a sheaf_collection. The public entry is
 * sheaf_import_path() (import.c).
 */
#ifndef SHEAF_IMPORT_H
#define SHEAF_IMPORT_H

#include "core/core.h"

enum sheaf_format {
  SHEAF_FORMAT_UNKNOWN,
  SHEAF_FORMAT_RSS,  /* RSS 0.9x / 2.0 */
  SHEAF_FORMAT_ATOM, /* Atom 1.0 */
  SHEAF_FORMAT_HTML, /* an HTML page (not a feed, for now) */
  SHEAF_FORMAT_JSON,
  SHEAF_FORMAT_EMPTY,
  SHEAF_FORMAT_BINARY,
  SHEAF_FORMAT_XML, /* well-formed-looking XML of another vocabulary */
  SHEAF_FORMAT_WXR, /* a WordPress export (RSS in the wp: namespace) */
  SHEAF_FORMAT_TEXT /* text without markup: Markdown, possibly */
};

/* Sniffs the format of `data` from its first bytes. Stores in *what a short
 * description for messages ("an HTML page", "JSON", "an empty file"). */
enum sheaf_format sheaf_import_sniff(const char *data, size_t n, const char **what);

/* ---- the input (input.c) ------------------------------------------------- */

/* How an input's bytes are released. */
enum sheaf_input_owner {
  SHEAF_INPUT_BORROWED,  /* the caller's: never written to, never freed here */
  SHEAF_INPUT_ALLOCATED, /* from sheaf_malloc: sheaf_free(base) */
  SHEAF_INPUT_MAPPED     /* a private file mapping: munmap(base, maplen) */
};

/* One input of the import stage, as a value: a file read or mapped, a
 * buffer an embedder or another reader (a WARC record's body) holds, named
 * by a path or a URL. The stage's passes (gunzip, decode, repair) may
 * replace the bytes; the input then owns the new ones. Not thread-safe on
 * its own: one input is read by one thread at a time. */
struct sheaf_input {
  const char *data; /* the bytes; data[len] is always '\0' */
  size_t len;
  const char *name;  /* a path or a URL, for messages (borrowed) */
  int64_t mtime;     /* the file's modification time, the date of last resort
                        for Markdown; 0 when unknown */
  bool on_disk;      /* `name` is a file: files beside it (an export's uploads
                        folder) may be read */
  uint64_t dev, ino; /* on_disk: the file's identity (st_dev, st_ino) */
  enum sheaf_input_owner owner;
  char *base;     /* what is released (not BORROWED): data lies within it */
  size_t maplen;  /* MAPPED: the whole reservation */
  size_t dropped; /* MAPPED: pages up to here have gone back to the kernel */
};

/* Sets up `in` over bytes the caller keeps (data[len] must be '\0'); the
 * passes copy them before changing any. */
void sheaf_input_borrow(struct sheaf_input *in, const char *name, const char *data,
                        size_t len);
/* Sets up `in` owning `data` (from sheaf_malloc, len bytes plus a NUL). */
void sheaf_input_adopt(struct sheaf_input *in, const char *name, char *data, size_t len);
/* Sets up `in` over a NUL-terminated copy of data[0..len), which need not
 * be NUL-terminated itself. Returns SHEAF_OK or SHEAF_ERR_NOMEM (`in` is
 * then empty, and may still be finalized). */
sheaf_status sheaf_input_copy(struct sheaf_input *in, const char *name, const void *data,
                              size_t len);
/* Sets up `view` borrowing `in`'s bytes (name, mtime and on_disk alike): a
 * pass may then replace the view's bytes and leave `in` as it was. */
void sheaf_input_view(struct sheaf_input *view, const struct sheaf_input *in);
/* Reads the regular file at `path` into `in`, mapping it from 1 MB on;
 * up to `max` bytes (else SHEAF_ERR_LIMIT, --max-input-size). Devices,
 * FIFOs and sockets are refused without a byte read (SHEAF_ERR_IO);
 * `nofollow` refuses a symbolic link. Errors go to `diag` with the path. */
sheaf_status sheaf_input_read(struct sheaf_input *in, const char *path, size_t max,
                              bool nofollow, sheaf_diag *diag);
/* Releases the bytes `in` owns and leaves it empty; NULL is allowed. */
void sheaf_input_fini(struct sheaf_input *in);
/* Replaces the bytes by `data` (from sheaf_malloc, len bytes plus a NUL),
 * which `in` then owns; releases the old ones. */
void sheaf_input_replace(struct sheaf_input *in, char *data, size_t len);
/* A writable pointer to the bytes (data itself), copying borrowed bytes
 * first; NULL when out of memory. Changes in place must keep the length. */
char *sheaf_input_writable(struct sheaf_input *in);
/* Drops the first k bytes (a byte-order mark) by moving `data`. */
void sheaf_input_skip(struct sheaf_input *in, size_t k);
/* Returns the bytes as a new NUL-terminated buffer the caller frees with
 * sheaf_free (*len, when not NULL, gets its length), leaving `in` empty; or
 * NULL when out of memory (`in` unchanged). */
char *sheaf_input_detach(struct sheaf_input *in, size_t *len);
/* The line (from 1) of byte offset `off` of the bytes. */
unsigned sheaf_input_line(const struct sheaf_input *in, size_t off);
/* Called as a pass over the bytes reaches `at`: a mapped input's pages well
 * behind it go back to the kernel (a later touch reads them again), so
 * resident memory stays bounded. Does nothing for other inputs. */
void sheaf_input_advise(struct sheaf_input *in, const char *at);
/* The end of the longest prefix of p[0..n) (bytes of `in`) that `check`
 * (which returns the offset of the first invalid byte, or n) accepts, run
 * in chunks that end on UTF-8 sequence boundaries, advising as it goes. */
size_t sheaf_input_utf8_chunked(struct sheaf_input *in, const char *p, size_t n,
                                size_t (*check)(const char *, size_t));
/* sheaf_utf8_valid() over p[0..n) of `in`, in chunks, advising as it goes. */
bool sheaf_input_utf8_valid(struct sheaf_input *in, const char *p, size_t n);

/* Imports one input (a file's bytes, or a record's body from memory named
 * by its URL) into `coll`: gunzip, decode, sniff, repair, read, then the
 * article limits and spooling. `in` stays the caller's, unchanged. On
 * failure `coll` keeps what it held before. (import.c) */
sheaf_status sheaf_import_input(struct sheaf_collection *coll,
                                const struct sheaf_input *in, const sheaf_options *opt,
                                sheaf_diag *diag);

/* ---- web archives (warc.c) ---------------------------------------------- */

enum sheaf_archive_kind { SHEAF_ARCHIVE_NONE, SHEAF_ARCHIVE_WARC, SHEAF_ARCHIVE_WACZ };

/* What the file at `path` is, from its first bytes: a WARC file (plain or
 * gzip), a WACZ package (a zip holding WARC files under archive/), or
 * neither. */
enum sheaf_archive_kind sheaf_import_archive_kind(const char *path);
/* Whether a file name is a web archive's (.warc, .warc.gz, .wacz). */
bool sheaf_import_archive_name(const char *name);
/* Reads the web archives at paths[0..n) as one archive, in that order:
 * feed responses through sheaf_import_input() named by their URL, article
 * pages likewise (standing in for the feed's excerpt-only items), images
 * and redirects into the collection's resources. Returns SHEAF_OK or the
 * first failure, with an error in `diag`. */
sheaf_status sheaf_import_archives(struct sheaf_collection *coll,
                                   const char *const *paths, size_t n,
                                   const sheaf_options *opt, sheaf_diag *diag);

/* ---- the readers ------------------------------------------------------------ */

/* Reads a feed (`in`, UTF-8 as decode and repair leave it), adding its feed
 * and articles to `coll`. Streams with xmlTextReader; never loads a DTD or
 * touches the network. */
sheaf_status sheaf_import_feed(struct sheaf_collection *coll, struct sheaf_input *in,
                               const sheaf_options *opt, sheaf_diag *diag);

/* Reads a WordPress export (WXR 1.0-1.2) (wxr.c). */
sheaf_status sheaf_import_wxr(struct sheaf_collection *coll, struct sheaf_input *in,
                              const sheaf_options *opt, sheaf_diag *diag);

/* Reads one Markdown file with optional YAML/TOML front matter (markdown.c).
 * in->mtime is the date of last resort. */
sheaf_status sheaf_import_markdown(struct sheaf_collection *coll,
                                   const struct sheaf_input *in, const sheaf_options *opt,
                                   sheaf_diag *diag);

/* ---- front matter (frontmatter.c) ---------------------------------------- */

enum sheaf_fm_kind { SHEAF_FM_NONE, SHEAF_FM_YAML, SHEAF_FM_TOML };

/* The keys of a Markdown file's front matter that a book uses. Strings are
 * as written (unquoted, escapes decoded), NULL when absent; owned by the
 * struct and freed by sheaf_frontmatter_fini(). */
struct sheaf_frontmatter {
  enum sheaf_fm_kind kind; /* NONE: no front matter (or never closed) */
  char *title;
  char *date;         /* date, publishDate or pubDate, unparsed */
  unsigned date_line; /* line of `date`, for warnings */
  char *updated;      /* updated, lastmod or modified, unparsed */
  unsigned updated_line;
  char *slug;
  char *language; /* lang or language */
  char *summary;  /* description, excerpt or summary: plain text */
  char **tags;    /* tags / tag; a YAML "tags: a b" is split */
  size_t ntags;
  char **categories; /* categories (split like tags) / category */
  size_t ncategories;
  char **authors; /* author(s): a name, a list, or {name: ...} */
  size_t nauthors;
  bool draft; /* draft: true, or published: false */
};

void sheaf_frontmatter_init(struct sheaf_frontmatter *fm);
void sheaf_frontmatter_fini(struct sheaf_frontmatter *fm);

/* Reads the front matter at the top of p[0..n) (a UTF-8 BOM is skipped):
 * YAML between "---" and "---" or "...", TOML between "+++" lines. Stores
 * in *body_offset where the body starts and in *body_line its line number.
 * Lines it cannot read get a warning and are ignored; front matter that is
 * never closed gets a warning and is left in the body (fm->kind NONE), so
 * no text is lost. `fm` must have been initialized. Returns SHEAF_OK, or
 * SHEAF_ERR_NOMEM (fm may hold a part; fini frees it). */
sheaf_status sheaf_frontmatter_parse(const char *p, size_t n,
                                     struct sheaf_frontmatter *fm, size_t *body_offset,
                                     unsigned *body_line, const char *file,
                                     sheaf_diag *d);

/* Reads one HTML page as one article (html.c). The bytes must be UTF-8, as
 * sheaf_import_decode_input leaves them: the page's own charset is not read. */
sheaf_status sheaf_import_html(struct sheaf_collection *coll,
                               const struct sheaf_input *in, const sheaf_options *opt,
                               sheaf_diag *diag);

/* Decodes an input to UTF-8 (decode.c): byte-order mark, then the XML
 * declaration / <meta charset> / front matter, then UTF-8 if valid, then a
 * scored guess among legacy encodings; opt->encoding overrides. Invalid
 * sequences become U+FFFD with one warning. An XML declaration is rewritten
 * to say UTF-8. Returns a new buffer in *out (NUL-terminated; the caller
 * frees it with sheaf_free). */
sheaf_status sheaf_import_decode(const char *path, const char *data, size_t n,
                                 const sheaf_options *opt, sheaf_diag *diag, char **out,
                                 size_t *outlen);

/* The same on an input: its bytes are decoded in place or replaced by new
 * ones; valid UTF-8 that needs no change is not copied (a byte-order mark
 * is skipped by moving in->data). On failure `in` is left as it was. */
sheaf_status sheaf_import_decode_input(struct sheaf_input *in, const sheaf_options *opt,
                                       sheaf_diag *diag);

/* Maps an encoding label (WHATWG names first, else any name iconv knows) to
 * the iconv name written into name[0..namecap); *display (may be NULL) gets
 * the name sheaf prints, or NULL for a label iconv knows as given. Returns
 * false for an unknown label. */
bool sheaf_import_encoding_lookup(const char *label, size_t n, char *name, size_t namecap,
                                  const char **display);

/* The legacy-encoding guess on its own, for tests: returns the index of the
 * best candidate (sheaf_import_guess_name() names it), or -1 when out of
 * memory; `scores` (may be NULL) gets every candidate's score. */
int sheaf_import_guess(const char *data, size_t n, double *scores);
const char *sheaf_import_guess_name(int i);
/* Detects the encoding of text that is not UTF-8 and declares none
 * (detect.c: uchardet, and Windows punctuation alone read as
 * windows-1252). On success writes the iconv name to iconv_name[cap] and
 * the name to show to shown[shown_cap], and returns true; false when
 * nothing is known or iconv cannot decode what was found (then
 * sheaf_import_guess() guesses). */
bool sheaf_import_detect(const char *data, size_t n, char *iconv_name, size_t cap,
                         char *shown, size_t shown_cap);

/* Inflates gzip-compressed input (magic 1f 8b) in place of its bytes
 * (repair.c). More than `max` bytes inflated (opt->max_input_size) is
 * SHEAF_ERR_LIMIT; a corrupt stream SHEAF_ERR_IO. Input that is not gzip
 * is left alone. */
sheaf_status sheaf_import_gunzip(struct sheaf_input *in, size_t max, sheaf_diag *diag);

/* Textual repairs of a broken XML feed before parsing (repair.c), each with
 * a warning naming file and line: text or a BOM before the declaration, a
 * doubled or broken declaration, HTML entities XML lacks, bare '&', control
 * characters, content after the root element, a file truncated mid-item.
 * CDATA sections and comments are left alone. The bytes (UTF-8) may be
 * replaced by new ones. */
sheaf_status sheaf_import_repair(struct sheaf_input *in, sheaf_diag *diag);

/* If `link` is a WordPress tag or category archive (".../tag/SLUG/",
 * ".../category/a/SLUG/"), returns a new tag for it (the caller frees name and
 * slug and the struct), else NULL. `feed_title` helps find the display name
 * ("digital economy Archives - Site" gives "digital economy"). */
struct sheaf_tag *sheaf_import_archive_tag(const char *link, const char *feed_title);

/* ---- shared by the feed readers (feed.c) -------------------------------- */

/* One feed being read. The reader is an xmlTextReaderPtr, kept as void * so
 * this header does not pull in libxml2. */
struct sheaf_feedread {
  void *reader; /* xmlTextReaderPtr */
  struct sheaf_collection *coll;
  struct sheaf_feed *feed; /* owned by coll */
  size_t feed_index;
  const char *source; /* interned path */
  sheaf_diag *diag;
  sheaf_status status;        /* first internal failure (NOMEM), else OK */
  size_t nskipped;            /* items skipped for having nothing in them */
  bool failed;                /* the reader hit malformed XML */
  unsigned last_line;         /* highest line of a node read so far */
  char *self_link;            /* Atom rel="self": last resort base URL */
  const unsigned *nfatal;     /* fatal XML errors so far (parser is ahead) */
  const unsigned *fatal_line; /* line of the first one */
  const sheaf_options *opt;   /* the caller's options (may be NULL) */
  void *user;                 /* the root reader's own state (wxr.c) */
  bool warned_entity;         /* the unexpanded-entity warning was given */
  struct sheaf_input *in;     /* the input being read */
  const char *input;          /* the bytes given to libxml2 (within in) */
  unsigned nreads;            /* reads so far, to advise every so often */
  const char *atom_ns;        /* a root <feed>'s namespace that is not Atom's */
  size_t nmojibake;           /* double-encoded characters repaired */
  unsigned mojibake_line;     /* line of the first article with one */

  /* The import pipe (pipe.c). */
  struct sheaf_xml_errctx *ec;    /* libxml2's warnings go to ec->diag */
  struct sheaf_import_pipe *pipe; /* articles finished beside the reader */
  size_t nitems;                  /* articles added before the pipe */
  bool serial;                    /* no pipe: wxr.c reads the collection */
};

/* Undates the articles from index `first` on whose dates are placeholders
 * (before 1990, or more than a day in the future), with one warning
 * (datecheck.c). */
void sheaf_import_check_dates(struct sheaf_collection *coll, size_t first,
                              sheaf_diag *diag);

/* An item's audio and video files (enclosure.c). */
struct sheaf_enclosures {
  struct {
    char *url, *type;        /* type may be NULL */
    unsigned long long size; /* bytes; 0: unknown */
  } * v;
  size_t n, cap;
  char *duration; /* itunes:duration as given, or NULL */
};

/* Adds an http(s) audio or video file (by type, else by extension; others
 * are ignored), once per URL. Returns false when out of memory. */
bool sheaf_import_enclosure_add(struct sheaf_enclosures *e, const char *url,
                                const char *type, const char *length);
/* The list as HTML (<ul class="sheaf-media">: name, type, size, duration);
 * NULL when empty or out of memory. The caller frees it. */
char *sheaf_import_enclosures_html(const struct sheaf_enclosures *e);
void sheaf_import_enclosures_fini(struct sheaf_enclosures *e);

/* Does `s` hold an HTML element's tag ("<p>", "</a>"), not just a "<"?
 * (feed.c) */
bool sheaf_import_has_markup(const char *s);

/* The namespace URI of the reader's current node; for an undeclared
 * well-known prefix (content:, dc:, atom:, itunes:, media:, xhtml:), its
 * usual URI; "" for none. Never NULL (feed.c). */
const char *sheaf_import_ns_uri(struct sheaf_feedread *fr);

/* An Atom text construct (summary, content) at the reader as HTML: by its
 * type, base64-decoded when its type says so; NULL for out-of-line content
 * (atom.c; RSS items that carry atom:content use it too). */
char *sheaf_import_atom_html(struct sheaf_feedread *fr);

/* The markup inside the element at the reader (an xhtml:body, or an xhtml
 * construct's one <div>), serialized; NULL when empty (atom.c). */
char *sheaf_import_xhtml_inner(struct sheaf_feedread *fr);

/* Merges `other`, another HTML text an item gives for its summary, into
 * *first (textpick.c): kept when *first is empty, dropped when its words are
 * (nearly) all in *first, in place of *first when it holds (nearly) all of
 * *first's words, else added after it. Takes ownership of `other`. Returns
 * false when out of memory. */
bool sheaf_import_pick_text(char **first, char *other);

/* Repairs double-encoded UTF-8 ("\xC3\x83\xC2\xB1" for "\xC3\xB1") in the
 * NUL-terminated UTF-8 `text`, in place (it only shrinks); NULL is allowed.
 * Returns the number of characters repaired (mojibake.c). */
size_t sheaf_import_fix_mojibake(char *text);

/* Windows-1252's characters for the bytes 0x80-0x9F (0: undefined). */
extern const unsigned short sheaf_import_cp1252_c1[32];

/* xmlTextReaderRead that also records failure in fr->failed. Returns 1 when
 * a node was read, 0 at the end, -1 on malformed XML. */
int sheaf_import_read(struct sheaf_feedread *fr);

/* Moves to the next child element of the element at `depth` (the readers'
 * loop over an element's children). Returns true on a child element; false
 * when the parent's end tag is reached (then *ended is set, when not NULL),
 * at the end of input, on malformed XML or when fr->status is no longer OK. */
bool sheaf_import_next_child(struct sheaf_feedread *fr, int depth, bool *ended);

/* Element name tests on the reader's current node. */
enum sheaf_ns {
  SHEAF_NS_NONE,
  SHEAF_NS_RSS,
  SHEAF_NS_ATOM,
  SHEAF_NS_CONTENT,
  SHEAF_NS_DC,
  SHEAF_NS_XHTML,
  SHEAF_NS_OTHER,
  SHEAF_NS_WP,        /* http://wordpress.org/export/1.x/ */
  SHEAF_NS_WP_EXCERPT /* http://wordpress.org/export/1.x/excerpt/ */
};
enum sheaf_ns sheaf_import_ns(struct sheaf_feedread *fr);
bool sheaf_import_is(struct sheaf_feedread *fr, const char *local);
/* Reads the text of the current element (all descendant text, CDATA
 * included) and leaves the reader on its end. Returns a new string, or NULL
 * when out of memory (fr->status is then set). */
char *sheaf_import_text(struct sheaf_feedread *fr);
/* sheaf_import_text(), trimmed; or as plain text (sheaf_import_plain):
 * the two ways the readers take a field. NULL when out of memory
 * (fr->status is then set). */
char *sheaf_import_text_trimmed(struct sheaf_feedread *fr);
char *sheaf_import_text_plain(struct sheaf_feedread *fr);
/* Returns the inner XML of the current element and leaves the reader on its
 * end, or NULL (out of memory, fr->status set). */
char *sheaf_import_inner_xml(struct sheaf_feedread *fr);
/* Skips the current element's subtree (reader left on its last node). */
void sheaf_import_skip(struct sheaf_feedread *fr);
/* Returns a new copy of attribute `name` of the current element, or NULL. */
char *sheaf_import_attr(struct sheaf_feedread *fr, const char *name);
/* Plain text from text that may hold HTML tags and entities: tags dropped,
 * character references decoded (every name libxml2's HTML table knows),
 * whitespace collapsed. Returns a new string. */
char *sheaf_import_plain(const char *s);
/* The same plain text before its whitespace is collapsed, handed to `put`
 * piece by piece, so that a caller that needs only its start (textpick.c)
 * neither converts nor holds the rest: runs of `s`'s own bytes, decoded
 * references, a space for each block element's edge. `put` returns false
 * to stop; then so does this, which otherwise returns true. */
typedef bool (*sheaf_import_put)(void *ctx, const char *p, size_t n);
bool sheaf_import_plain_each(const char *s, sheaf_import_put put, void *ctx);
/* Plain text escaped into <p>-wrapped HTML (blank lines split paragraphs). */
char *sheaf_import_text_to_html(const char *s);
/* Sets *t from a date string, warning when it is not understood. */
void sheaf_import_date(struct sheaf_feedread *fr, const char *s, unsigned line,
                       int64_t *t, int *offset);
/* Line of the reader's current node. */
unsigned sheaf_import_line(struct sheaf_feedread *fr);
/* Finishes an article and hands it to the collection (or skips it with a
 * warning when it has no title and no content). Takes ownership of `a`. */
void sheaf_import_add_article(struct sheaf_feedread *fr, struct sheaf_article *a);
/* The same, with `extra` (owned; may be NULL) to join a->body through
 * sheaf_import_pick_text() first. Past SHEAF_IMPORT_PIPE_AFTER articles of
 * a feed and with more than one thread, the finishing (the text choice,
 * mojibake repair, ids) runs on worker threads (pipe.c); the article
 * reaches the collection later, in order. */
void sheaf_import_add_article_with(struct sheaf_feedread *fr, struct sheaf_article *a,
                                   char *extra);

/* What finishing an article found, for its commit. */
struct sheaf_import_done {
  bool ok;          /* false: out of memory */
  size_t nmojibake; /* double-encoded characters repaired */
};
/* The part of adding an article that depends on nothing but the article:
 * safe on any thread. */
void sheaf_import_finish_article(struct sheaf_article *a, char *extra,
                                 const sheaf_options *opt,
                                 struct sheaf_import_done *done);
/* The part that must run in order on the reader's thread: counts, the
 * collection, the body spool. Takes ownership of `a`; false on failure
 * (fr->status says which). */
bool sheaf_import_commit_article(struct sheaf_feedread *fr, struct sheaf_article *a,
                                 const struct sheaf_import_done *done);

/* ---- the import pipe (pipe.c) ----
 * The reader hands each article over as soon as it has read it and reads
 * on; workers finish articles in parallel; the reader commits them in
 * order as they come back. Diagnostics keep the order of a serial import:
 * while articles are in flight, the reader's go to a private collector
 * replayed after the commit of the article read before them. */
#define SHEAF_IMPORT_PIPE_AFTER 16
/* A pipe for `fr` with workers for the options' threads, or NULL (one
 * thread; or no memory or threads: the import then stays serial). */
struct sheaf_import_pipe *sheaf_import_pipe_new(struct sheaf_feedread *fr);
void sheaf_import_pipe_push(struct sheaf_import_pipe *p, struct sheaf_article *a,
                            char *extra);
/* Articles handed over and not yet committed (0 for NULL). */
size_t sheaf_import_pipe_pending(const struct sheaf_import_pipe *p);
/* Called by the reader between nodes: commits what is finished, and
 * everything when its private diagnostics grow long. */
void sheaf_import_pipe_poll(struct sheaf_import_pipe *p);
/* Commits every article handed over, restores fr->diag, stops the
 * workers and frees the pipe; fr->pipe is NULL after. */
void sheaf_import_pipe_finish(struct sheaf_feedread *fr);
/* Replaces *field with `v` (taking ownership) unless *field is already set
 * and `keep` is true. */
void sheaf_import_set(char **field, char *v, bool keep);
/* Reports that the body spool could not be written (errno says why): the
 * one message every reader gives for it (import.c). */
void sheaf_import_spool_failed(sheaf_diag *diag);

/* Media RSS (http://search.yahoo.com/mrss/) on the current element (rss.c). */
bool sheaf_import_is_media(struct sheaf_feedread *fr);
/* Reads a media:title or media:description, whose type="html" or "plain"
 * (the default) says what it holds, as HTML (`as_html`) or as plain text.
 * Returns a new string, or NULL when out of memory (fr->status set). */
char *sheaf_import_media_text(struct sheaf_feedread *fr, bool as_html);
/* Plain text of a title that may hold HTML (atom.c): sheaf_import_plain(),
 * except that script and style elements lose their content too, not just
 * their tags. Returns a new string, or NULL when out of memory. */
char *sheaf_import_title_html(const char *s);

/* Readers: called with the reader on the root element (rss.c, atom.c). */
void sheaf_import_rss(struct sheaf_feedread *fr);
void sheaf_import_atom(struct sheaf_feedread *fr);

/* Runs sheaf_import_feed's XML set-up (safe options, encoding, errors,
 * malformed-XML report) around `root`, called with the reader on the root
 * element and fr->user = `user`. Used by the WordPress reader (wxr.c). */
sheaf_status sheaf_import_xml(struct sheaf_collection *coll, struct sheaf_input *in,
                              const sheaf_options *opt, sheaf_diag *diag,
                              void (*root)(struct sheaf_feedread *fr), void *user);

/* ---- WordPress (autop.c, shortcode.c) ------------------------------------- */

/* WordPress's wpautop(): blank lines become paragraphs and, with `br`,
 * single newlines <br />; never inside <pre>, never around block-level
 * elements. Returns a new string, or NULL when out of memory. */
char *sheaf_import_autop(const char *text, size_t n, bool br);

/* An attachment of a WordPress export (wp:post_type "attachment"). */
struct sheaf_wp_attachment {
  unsigned long id, parent; /* wp:post_id, wp:post_parent */
  long menu_order;
  char *url;     /* wp:attachment_url (owned) */
  char *caption; /* wp:post_excerpt, HTML, or NULL (owned) */
  char *alt;     /* the _wp_attachment_image_alt meta, or NULL (owned) */
};

/* What shortcode expansion needs to know about the post and the export. */
struct sheaf_shortcode_ctx {
  const struct sheaf_wp_attachment *att; /* borrowed */
  size_t natt;
  unsigned long post_id;             /* the post being expanded ([gallery] without ids) */
  const struct sheaf_labels *labels; /* for "Video:" and the like; NULL: English */
  sheaf_diag *diag;
  const char *file; /* for messages */
  unsigned line;    /* the post's line */
  size_t limit;     /* set by sheaf_import_shortcodes(): galleries stop here */
  bool over;        /* the limit was reached (warned once) */
  char **warned;    /* shortcode names warned about (owned) */
  size_t nwarned, warned_cap;
  /* The attachments sorted by id, and by (parent, menu_order, id), made
   * on the first [gallery] (owned; NULL until then): a scan per gallery
   * made an export of many galleries and attachments quadratic. */
  const struct sheaf_wp_attachment **by_id, **by_parent;
};

/* Expands WordPress shortcodes in `text`: [caption] becomes a figure,
 * [gallery] a figure of images (each with its alt text and caption), [embed], [video],
 * [audio] and [youtube] a paragraph linking to the media; other shortcodes lose their
 * tags (their content is kept) with one warning per name per ctx; [[x]] is the literal
 * [x]. Returns a new string, or NULL when out of memory. */
char *sheaf_import_shortcodes(struct sheaf_shortcode_ctx *ctx, const char *text,
                              size_t n);
/* Frees what the ctx owns (the warned names). */
void sheaf_shortcode_ctx_fini(struct sheaf_shortcode_ctx *ctx);

/* ---- names.c: a folder's names in name order, in bounded memory ---------- */

#include <dirent.h>

struct sheaf_names_run; /* names.c */
struct sheaf_names {
  struct sheaf_buf mem; /* names not yet in a run, each ending in a NUL */
  char **v;             /* sorted, into mem (when no run was written) */
  size_t n, i;
  int fd; /* runs of sorted names, -1 until the first is written */
  uint64_t fend;
  struct sheaf_names_run *runs;
  size_t nruns, runs_cap;
  size_t taken; /* the run whose name was handed out last, or SIZE_MAX */
  bool nospill; /* no temporary file: every name stays in memory */
  sheaf_status err;
  int err_errno;
};
/* Reads the names in folder `d` but the hidden ones (a leading dot),
 * holding at most about `run` bytes of them in memory (0: 4 MB): more go
 * to a temporary file in sorted runs. Returns SHEAF_OK, SHEAF_ERR_NOMEM or
 * SHEAF_ERR_IO (nm->err_errno says why); sheaf_names_fini() in any case. */
sheaf_status sheaf_names_read(struct sheaf_names *nm, DIR *d, size_t run);
/* The next name in strcmp order, or NULL at the end or when the runs
 * cannot be read (nm->err). Valid until the next call. */
const char *sheaf_names_next(struct sheaf_names *nm);
void sheaf_names_fini(struct sheaf_names *nm);

#endif
