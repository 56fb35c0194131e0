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

/* Reads a feed held in memory (`data`, `n`) that came from `path`, adding its
 * feed and articles to `coll`. Streams with xmlTextReader; never loads a DTD
 * or touches the network. */
sheaf_status sheaf_import_feed(struct sheaf_collection *coll, const char *path,
                               const char *data, size_t n, const sheaf_options *opt,
                               sheaf_diag *diag);

/* Reads a WordPress export (WXR 1.0-1.2) held in memory (wxr.c). */
/* Large regular input files are mapped (import.c), not read into memory.
 * sheaf_import_input_free() releases an input buffer, mapped or from
 * sheaf_malloc. sheaf_import_input_advise(p), called as a pass over the
 * input reaches p, returns the mapping's pages well behind p to the kernel
 * so that resident memory stays bounded (a later touch reads them again);
 * it does nothing for other buffers. sheaf_import_utf8_valid() is
 * sheaf_utf8_valid() over the input in chunks, advising as it goes. */
void sheaf_import_input_free(char *p);
void sheaf_import_input_advise(const char *p);
bool sheaf_import_input_mapped(const char *p);
bool sheaf_import_utf8_valid(const char *p, size_t n);
/* The end of the longest prefix of p[0..n) that `check` (which returns the
 * offset of the first invalid byte, or n) accepts, run in chunks that end
 * on UTF-8 sequence boundaries, advising as it goes. */
size_t sheaf_import_utf8_chunked(const char *p, size_t n,
                                 size_t (*check)(const char *, size_t));

sheaf_status sheaf_import_wxr(struct sheaf_collection *coll, const char *path,
                              const char *data, size_t n, const sheaf_options *opt,
                              sheaf_diag *diag);

/* Reads one Markdown file with optional YAML/TOML front matter (markdown.c).
 * `mtime` is the file's modification time, the date of last resort. */
sheaf_status sheaf_import_markdown(struct sheaf_collection *coll, const char *path,
                                   const char *data, size_t n, int64_t mtime,
                                   const sheaf_options *opt, sheaf_diag *diag);

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

/* Reads one HTML page as one article (html.c). `data` must be UTF-8, as
 * sheaf_import_decode_buf leaves it: the page's own charset is not read. */
sheaf_status sheaf_import_html(struct sheaf_collection *coll, const char *path,
                               const char *data, size_t n, const sheaf_options *opt,
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

/* The same on a buffer the caller owns: *data (from sheaf_malloc, *n bytes
 * plus a NUL) is decoded in place or replaced by a new buffer, which the
 * caller then owns instead; valid UTF-8 that needs no change is not copied.
 * On failure *data is left as it was (still the caller's to free). */
sheaf_status sheaf_import_decode_buf(const char *path, char **data, size_t *n,
                                     const sheaf_options *opt, sheaf_diag *diag);

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

/* Inflates gzip-compressed input (magic 1f 8b) in place of *data (repair.c):
 * the caller owns the buffer before and after. More than `max` bytes
 * inflated (opt->max_input_size) is SHEAF_ERR_LIMIT; a corrupt stream
 * SHEAF_ERR_IO. Input that is not gzip is left alone. */
sheaf_status sheaf_import_gunzip(const char *path, char **data, size_t *n, size_t max,
                                 sheaf_diag *diag);

/* Textual repairs of a broken XML feed before parsing (repair.c), each with
 * a warning naming file and line: text or a BOM before the declaration, a
 * doubled or broken declaration, HTML entities XML lacks, bare '&', control
 * characters, content after the root element, a file truncated mid-item.
 * CDATA sections and comments are left alone. *data (UTF-8, from
 * sheaf_malloc) may be replaced by a new buffer; the caller owns it before
 * and after. */
sheaf_status sheaf_import_repair(const char *path, char **data, size_t *n,
                                 sheaf_diag *diag);

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
  unsigned line_offset;       /* lines skipped before libxml2's input */
  char *self_link;            /* Atom rel="self": last resort base URL */
  const unsigned *nfatal;     /* fatal XML errors so far (parser is ahead) */
  const unsigned *fatal_line; /* line of the first one */
  const sheaf_options *opt;   /* the caller's options (may be NULL) */
  void *user;                 /* the root reader's own state (wxr.c) */
  bool warned_entity;         /* the unexpanded-entity warning was given */
  const char *input;          /* the bytes given to libxml2 */
  unsigned nreads;            /* reads so far, to advise every so often */
};

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
 * common entities decoded, whitespace collapsed. Returns a new string. */
char *sheaf_import_plain(const char *s);
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
/* Replaces *field with `v` (taking ownership) unless *field is already set
 * and `keep` is true. */
void sheaf_import_set(char **field, char *v, bool keep);

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
sheaf_status sheaf_import_xml(struct sheaf_collection *coll, const char *path,
                              const char *data, size_t n, const sheaf_options *opt,
                              sheaf_diag *diag, void (*root)(struct sheaf_feedread *fr),
                              void *user);

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

#endif
