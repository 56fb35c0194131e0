/*
 * This file declares the layout stage's internals: the HTML sanitizer that
 * turns an article body into XHTML body content EPUBCheck accepts, the
 * content-model repairs, the removal of site cruft, and the chapter and
 * title-page templates. The public entry is sheaf_layout() (layout.c).
 */
#ifndef SHEAF_LAYOUT_H
#define SHEAF_LAYOUT_H

#include "core/core.h"

struct sheaf_images;
struct sheaf_links;
struct sheaf_image_cand;
struct sheaf_layout_ctx;

/* Where a body came from, for resolving links and for messages. Fields
 * after `diag` may be left zero: then images are not looked for (each
 * becomes its alt text) and links stay absolute. */
struct sheaf_layout_src {
  const char *base_url; /* article link: base for relative URLs; may be NULL */
  const char *file;     /* input path for diagnostics; may be NULL */
  unsigned line;        /* line of the article in `file`, or 0 */
  sheaf_diag *diag;     /* may be NULL */
  const struct sheaf_article *article; /* for its feed's uploads; may be NULL */
  struct sheaf_images *images;         /* the book's images; may be NULL */
  const struct sheaf_links *links;     /* article URLs -> chapters; may be NULL */
  size_t chapter;                      /* this chapter's number (1-based), or 0 */
  size_t max_depth;                    /* elements nested deeper are flattened (with a
                                          warning); 0: SHEAF_DEFAULT_MAX_DEPTH */
  struct sheaf_selectors *remove;      /* --remove (counts its hits); may be NULL */
  /* The capture (src/fetch) asks which images an article shows without
   * reading any: when set, it is called with each <img>'s candidates (after
   * the lazy-loading, <picture> and <noscript> rules) instead of resolving
   * them, and the <img> becomes its alt text. A failure stops the
   * sanitizer with that status. NULL: images are resolved. */
  sheaf_status (*on_image)(void *userdata, const struct sheaf_image_cand *c, size_t n);
  void *on_image_userdata;
  const char *lang; /* the chapter's language (labels); may be NULL */
  /* Without `links`, the hrefs that would have been looked up in them, each
   * followed by a NUL, are appended here (--split SIZE decides with them
   * whether a chapter weighed alone is the one its volume would lay out).
   * May be NULL. */
  struct sheaf_buf *hrefs;
  /* When set, told of each picture resolved through `images`: its
   * candidates and the href it got, or why it got none (ahead.c records
   * them to resolve them again in the book's registry). */
  void (*on_resolved)(void *userdata, const struct sheaf_image_cand *c, size_t n,
                      const char *href, const char *why);
  void *on_resolved_userdata;
};

/* ---- gaps.c: what shows where content cannot come along --------------------- */

struct _xmlNode;

/* Before cleaning: video and audio players (YouTube, Vimeo... frames,
 * <video>, <audio>, a bare link to such a page alone in a paragraph) become
 * a paragraph (or span) "Video: <a>title</a> (host)". Returns SHEAF_OK or
 * SHEAF_ERR_NOMEM. */
sheaf_status sheaf_layout_embeds(struct _xmlNode *body,
                                 const struct sheaf_layout_src *src, const char *lang);
/* After cleaning: runs of <br> become one, none at a block's edges, and
 * paragraphs of nothing but spaces go. */
void sheaf_layout_collapse_breaks(struct _xmlNode *body);
/* Replaces the picture `img` that cannot be embedded by a styled
 * placeholder: "Image: " and its alt text (else the file name of `url`),
 * linked to the original when it is on the web. Returns the placeholder,
 * or NULL when out of memory (`img` then stays). */
struct _xmlNode *sheaf_layout_image_gap(struct _xmlNode *img, const char *alt,
                                        const char *url,
                                        const struct sheaf_layout_src *src);

/* Sanitizes the HTML fragment `html[0..n)` and appends it to `out` as XHTML
 * body content (well-formed XML, elements unprefixed, meant to sit inside a
 * <body> or <section> in the XHTML namespace). Scripts, styles, frames,
 * forms, embeds, event handlers and javascript: URLs are removed; content
 * models are repaired; WordPress cruft is removed; images are resolved to
 * local files through src->images, and those that cannot be become their
 * alt text with one warning each; links to other chapters point at them.
 * Returns SHEAF_OK or SHEAF_ERR_NOMEM. */
sheaf_status sheaf_layout_sanitize(const char *html, size_t n,
                                   const struct sheaf_layout_src *src,
                                   struct sheaf_buf *out);

/* ---- dom.c: the element table and tree surgery the passes share --------- */

struct _xmlNode;

/* What the sanitizer does with an element. */
enum sheaf_el_act {
  SHEAF_EL_KEEP,   /* allowed (its attributes are filtered) */
  SHEAF_EL_DROP,   /* removed with its content */
  SHEAF_EL_UNWRAP, /* replaced by its content */
  SHEAF_EL_RENAME  /* renamed to the nearest allowed element */
};

/* What the sanitizer knows about an element it keeps. */
#define SHEAF_EL_PHRASING 0x01u    /* is phrasing content */
#define SHEAF_EL_PCONTENT 0x02u    /* its own content model is phrasing */
#define SHEAF_EL_VOID 0x04u        /* void element: no children, <br/> */
#define SHEAF_EL_TRANSPARENT 0x08u /* content model is its parent's (a, ins, del) */

struct sheaf_el {
  const char *name; /* lower case */
  enum sheaf_el_act act;
  const char *to; /* SHEAF_EL_RENAME: the new name */
  unsigned flags; /* SHEAF_EL_* of a kept element */
};

/* Returns the table entry of element `name` (lower case), or NULL for
 * names the table does not know (the sanitizer unwraps those). Static. */
const struct sheaf_el *sheaf_layout_el(const char *name);

/* Returns the SHEAF_EL_* flags of the kept element `name` (lower case), or
 * 0 for names the sanitizer does not keep. */
unsigned sheaf_layout_el_flags(const char *name);

/* Is `n` a text node of ASCII whitespace only? */
bool sheaf_layout_blank(struct _xmlNode *n);

/* Moves the children of `node` before it, then frees `node`. Returns the
 * first moved child, or else the node that followed `node` (may be NULL). */
struct _xmlNode *sheaf_layout_unwrap(struct _xmlNode *node);

/* Unlinks `n` and links it just before `ref` (or as the last child of
 * `parent`), without merging it into a neighbouring text node. */
void sheaf_layout_move_before(struct _xmlNode *ref, struct _xmlNode *n);
void sheaf_layout_append(struct _xmlNode *parent, struct _xmlNode *n);

/* Wraps each run of children of `el` that `in_run` accepts in a new
 * element `name`; whitespace-only text never starts a run, and a run's
 * trailing whitespace stays outside. Returns SHEAF_OK or SHEAF_ERR_NOMEM. */
sheaf_status sheaf_layout_wrap_runs(struct _xmlNode *el,
                                    bool (*in_run)(struct _xmlNode *), const char *name);

/* ---- the passes (sanitize.c runs them in order) -------------------------- */

/* Repairs content models under `body` (an element whose children are flow
 * content) so the XHTML5 schema accepts them. Returns SHEAF_OK or
 * SHEAF_ERR_NOMEM. Iterative: no recursion on the tree's depth. */
sheaf_status sheaf_layout_repair(struct _xmlNode *body);

/* Removes site cruft (WordPress footers, "Read Also" blocks, share buttons)
 * under `body`, with one note per kind removed. */
void sheaf_layout_cruft(struct _xmlNode *body, const struct sheaf_layout_src *src);

/* ---- images.c: the book's images ---------------------------------------- */

/* One URL an <img> offers: src (or a lazy-loading attribute), a srcset or
 * <picture><source> entry (with its width descriptor), or the copy in a
 * <noscript> that is used only when nothing else is found. */
struct sheaf_image_cand {
  const char *url;
  unsigned width; /* from a "640w" descriptor; 0: unknown */
  bool fallback;  /* from <noscript> */
};

/* Returns a new, empty image registry for `book` (opt->assets_dir is
 * checked here: SHEAF_ERR_USAGE with an error in `diag` when it is not a
 * folder), or NULL with *status set. */
struct sheaf_images *sheaf_images_new(const struct sheaf_book *book,
                                      const sheaf_options *opt, sheaf_diag *diag,
                                      sheaf_status *status);
void sheaf_images_free(struct sheaf_images *im);
/* Pictures an article uses go to `spool` (borrowed; it must outlive `im`)
 * as soon as they are converted, and are added to the manuscript as
 * spooled documents. Without a spool they stay in memory until then. */
void sheaf_images_set_spool(struct sheaf_images *im, struct sheaf_spool *spool);
/* Every image file read from now on (also --cover) is recorded in `read`
 * (borrowed; it must outlive `im`), so the book never replaces it. */
void sheaf_images_record_reads(struct sheaf_images *im, struct sheaf_fileset *read);

/* Picks the best local image among `cands` for the article of `src`: the
 * widest up to opt->max_image_width among those found, else the narrowest;
 * converts it for the reader's screen (src/image) unless
 * --original-images, and when it cannot be decoded picks again without it.
 * Sets *href to a new string ("../images/<sha1>.<ext>") or, when none can
 * be embedded, to NULL with *why saying why (static text). Returns SHEAF_OK
 * or SHEAF_ERR_NOMEM. */
sheaf_status sheaf_images_resolve(struct sheaf_images *im,
                                  const struct sheaf_layout_src *src,
                                  const struct sheaf_image_cand *cands, size_t n,
                                  char **href, const char **why);

/* ---- weigh.c: --split SIZE -------------------------------------------- */

struct sheaf_weigh_ctx;
struct sheaf_layout_prep;
/* Returns a new weigher of `book`'s articles (freed with
 * sheaf_layout_weigh_free()), or NULL with *status set. One that keeps
 * lays out each volume's chapters and pictures for good as it weighs them
 * (see weigh.c and sheaf_layout_weigh_take()). */
struct sheaf_weigh_ctx *sheaf_layout_weigh_new(const struct sheaf_book *book,
                                               const sheaf_options *opt, bool keep,
                                               sheaf_status *status);
void sheaf_layout_weigh_free(struct sheaf_weigh_ctx *w);
/* Stores in *weight what article `a` adds to a volume, in bytes of the
 * finished EPUB: its chapter laid out alone and deflated, its share of
 * the navigation, and the pictures it embeds that the volume does not
 * hold yet; `fresh` starts a new volume. Returns SHEAF_OK,
 * SHEAF_ERR_NOMEM or SHEAF_ERR_CANCELLED. */
sheaf_status sheaf_layout_weigh(struct sheaf_weigh_ctx *w, const struct sheaf_article *a,
                                bool fresh, uint64_t *weight);
/* Takes the article weighed last back out of its volume (it did not fit:
 * it starts the next one). Only for a weigher that keeps. */
void sheaf_layout_weigh_drop_last(struct sheaf_weigh_ctx *w);
/* Hands over what a keeping weigher holds of the current volume (NULL when
 * nothing); the next sheaf_layout_weigh() must start a fresh volume. */
struct sheaf_layout_prep *sheaf_layout_weigh_take(struct sheaf_weigh_ctx *w);
void sheaf_layout_prep_free(struct sheaf_layout_prep *p);
/* For sheaf_layout_prepared(): takes the volume's image registry, its spool
 * (*spool) and the files read (*read, moved) out of `p`. */
struct sheaf_images *sheaf_layout_prep_images(struct sheaf_layout_prep *p,
                                              struct sheaf_spool **spool,
                                              struct sheaf_fileset *read);
/* What sheaf_layout_prep_chapter() found for a chapter. */
enum sheaf_prep_use {
  SHEAF_PREP_NONE,     /* not kept: lay it out */
  SHEAF_PREP_KEPT,     /* use the spool's entry *idx (*len bytes) */
  SHEAF_PREP_RELINKED, /* use `out`: the kept one, its links now to chapters */
  SHEAF_PREP_AGAIN     /* kept, but not as the volume has it: lay it out */
};
/* Whether `p` kept article `a`'s chapter, number `chapter` of the volume
 * that `cx` lays out (with its links, its images the ones `p` had), as
 * that layout would make it. For KEPT and RELINKED, replays the chapter's
 * warnings into cx->diag; for AGAIN, takes its pictures' occurrences back
 * out of the counts. `spool` is the volume's (from
 * sheaf_layout_prep_images()). On failure, sets *status (else SHEAF_OK). */
enum sheaf_prep_use
sheaf_layout_prep_chapter(struct sheaf_layout_prep *p, const struct sheaf_layout_ctx *cx,
                          const struct sheaf_spool *spool, const struct sheaf_article *a,
                          size_t chapter, size_t *idx, size_t *len, struct sheaf_buf *out,
                          sheaf_status *status);

/* layout.c: sheaf_layout() of a volume whose chapters and pictures a
 * keeping weigher prepared (`prep`, borrowed; its registry, spool and
 * reads are taken over). The manuscript is the one sheaf_layout() gives. */
struct sheaf_manuscript *sheaf_layout_prepared(const struct sheaf_book *book,
                                               const sheaf_options *opt, sheaf_diag *diag,
                                               struct sheaf_layout_prep *prep,
                                               sheaf_status *status);

/* The bytes of the distinct images sheaf_images_resolve() embedded so far
 * (--split SIZE weighs articles by it). */
uint64_t sheaf_images_bytes(const struct sheaf_images *im);

/* What a registry has counted at one moment: the weighing of --split SIZE
 * lays out an article in its volume's registry before it knows whether
 * the article fits, and takes it back out when it does not. */
struct sheaf_images_mark {
  size_t embedded, missing, no_alt, used_seq;
  uint64_t bytes;
};
void sheaf_images_mark(struct sheaf_images *im, struct sheaf_images_mark *m);
/* Undoes what resolving did since `m`: images first used since then are
 * unused again (no longer added to the book), and the counts are as then. */
void sheaf_images_rollback(struct sheaf_images *im, const struct sheaf_images_mark *m);
/* Takes back the occurrences counted between `before` and `after` (marks
 * around one chapter's layout), which is laid out again; the images stay
 * used. */
void sheaf_images_uncount(struct sheaf_images *im, const struct sheaf_images_mark *before,
                          const struct sheaf_images_mark *after);

/* Which of `cands` a capture fetches, by the rule sheaf_images_resolve()
 * applies once files are at hand, with the widths the srcset descriptors
 * give (an unknown width counts as 0): the widest up to `max_width` (0:
 * 1600), else the narrowest; <noscript> copies only when nothing else is
 * offered; data: URLs never (they need no fetching). Returns the index, or
 * `n` when there is nothing to fetch. */
size_t sheaf_images_pick(const struct sheaf_image_cand *cands, size_t n,
                         size_t max_width);

/* Reads the image file `path` the user named (--cover): sets *type, *ext
 * (static) and *data (new; the caller frees it) and *len. Returns SHEAF_OK,
 * SHEAF_ERR_IO (unreadable or not an image) or SHEAF_ERR_NOMEM. */
sheaf_status sheaf_images_read_file(struct sheaf_images *im, const char *path,
                                    const char **type, const char **ext, char **data,
                                    size_t *len);

/* Adds every embedded image to `ms`, once per distinct content, ordered by
 * hash. Returns SHEAF_OK or SHEAF_ERR_NOMEM. */
sheaf_status sheaf_images_add_docs(struct sheaf_images *im, struct sheaf_manuscript *ms);

/* Counts an embedded <img> that has no alt text (for the accessibility
 * metadata); how many so far. */
void sheaf_images_note_no_alt(struct sheaf_images *im);
size_t sheaf_images_no_alt(const struct sheaf_images *im);

/* How many <img> were embedded and how many were not (occurrences). */
void sheaf_images_count(const struct sheaf_images *im, size_t *embedded, size_t *missing);

/* ---- links.c: article URLs -> chapters ------------------------------------ */

/* A map of every chapter's link, guid and id; `book` is borrowed and must
 * outlive the map (and its chapters stay unchanged). Thread-safe to read. */
struct sheaf_links *sheaf_links_new(const struct sheaf_book *book, sheaf_status *status);
void sheaf_links_free(struct sheaf_links *l);
/* Returns the chapter (1-based) of the article `url` names, or 0. */
size_t sheaf_links_find(const struct sheaf_links *l, const char *url, bool *nomem);
/* How many slots a lookup of `url` looks at (0: no lookup), so a test can
 * see that lookups stay short as books grow. */
size_t sheaf_links_probes(const struct sheaf_links *l, const char *url);
/* Returns the normal form links are matched in (new string), or NULL for a
 * URL that is not http(s) (or out of memory: *nomem). */
char *sheaf_links_key(const char *url, bool *nomem);

/* ---- templates (chapter.c, titlepage.c, cover.c) -------------------------- */

/* What every document of the book shares. */
struct sheaf_layout_ctx {
  const struct sheaf_book *book;
  const sheaf_options *opt;
  sheaf_diag *diag;
  struct sheaf_images *images;
  const struct sheaf_links *links;
  struct sheaf_selectors *remove; /* --remove, or NULL */
  bool user_css;                  /* link styles/user.css after the default stylesheet */
  struct sheaf_buf *hrefs;        /* see sheaf_layout_src.hrefs; may be NULL */
  size_t *body_span;              /* when set: where the cleaned body begins and
                                     ends in the chapter, [0] and [1] */
  int64_t built;                  /* the build time shown in the colophon */
  enum { SHEAF_BUILT_SDE, SHEAF_BUILT_NEWEST, SHEAF_BUILT_FIXED } built_from;
  /* Called on the caller's thread before the chapters' first diagnostic
   * reaches `diag`, or NULL: the cover, drawn meanwhile on a thread of
   * its own, says its part first (layout.c). A non-OK return stops. */
  sheaf_status (*before_diag)(void *ud);
  void *before_diag_ud;
  /* Whether before_diag() would return at once (the cover is drawn), or
   * NULL: the pool holds the chapters' diagnostics back meanwhile instead
   * of waiting, so chapters go on being committed. */
  bool (*diag_ready)(void *ud);
  /* Chapters laid out while the input was read (ahead.c), used where they
   * are the ones the book lays out; NULL: none. */
  struct sheaf_ahead *ahead;
  /* When set, the language of every chapter laid out (ahead.c decides it
   * on the reader's thread); NULL: sheaf_layout_article_lang(). */
  const char *lang;
  /* See sheaf_layout_src.on_resolved; may be NULL. */
  void (*on_resolved)(void *userdata, const struct sheaf_image_cand *c, size_t n,
                      const char *href, const char *why);
  void *on_resolved_userdata;
};

/* Returns true when the BCP 47 tag `lang` names a right-to-left script
 * language (ar, he, fa, ur and a few more). */
bool sheaf_layout_lang_rtl(const char *lang);

/* The language of article `a`: its own, else its feed's, else --language,
 * else the book's; never NULL. */
const char *sheaf_layout_article_lang(const struct sheaf_layout_ctx *cx,
                                      const struct sheaf_article *a);

/* Appends the XML declaration, doctype, <html> with `lang` (and dir="rtl"
 * for right-to-left languages), the head with `title` (escaped) and the
 * stylesheet links, and <body> (chapter.c). */
void sheaf_layout_head(struct sheaf_buf *out, const char *lang, const char *title,
                       bool user_css);
/* The same, with class `body_class` (may be NULL) on <body>. */
void sheaf_layout_head_class(struct sheaf_buf *out, const char *lang, const char *title,
                             bool user_css, const char *body_class);

/* Appends xml:lang and lang attributes (and dir="ltr" in a right-to-left
 * document) when labels `l` are not in the document's language `lang`:
 * sheaf's own words in English inside, say, a Finnish chapter. */
void sheaf_layout_lang_attrs(struct sheaf_buf *out, const struct sheaf_labels *l,
                             const char *lang);

/* ---- remove.c: --remove, CSS selectors of elements to take out ------------ */

struct sheaf_selectors;
/* Parses the selectors text[0..n) (each may hold a comma-separated list).
 * Returns them, or NULL with *status SHEAF_ERR_USAGE (an error in `diag`
 * naming the selector and the column) or SHEAF_ERR_NOMEM. */
struct sheaf_selectors *sheaf_selectors_parse(const char *const *text, size_t n,
                                              sheaf_diag *diag, sheaf_status *status);
void sheaf_selectors_free(struct sheaf_selectors *s);
/* Removes every element below `body` that a selector matches (with its
 * content); returns how many. NULL `s` removes nothing. */
size_t sheaf_selectors_remove(struct sheaf_selectors *s, struct _xmlNode *body);
/* Warns about each option string whose selectors removed nothing so far. */
void sheaf_selectors_report(const struct sheaf_selectors *s, sheaf_diag *diag);

/* Rewrites the GitHub-flavoured pipe tables of Markdown `s` as HTML
 * blocks, for cmark, which has no tables (mdtable.c). Returns the new
 * Markdown, or NULL when there is no table or when out of memory
 * (*nomem). Free with sheaf_free(). */
char *sheaf_layout_md_tables(const char *s, size_t n, bool *nomem);

/* Fills `src` (zeroing it first) with what every layout of article `a` as
 * chapter `chapter` (1-based) in language `lang` reads from `cx`: base URL,
 * file and line, images, links, depth limit, removals. The caller adds
 * the diagnostics collector and its hooks. Shared by chapter.c and
 * ahead.c so that a chapter laid out ahead sees what the book's would. */
void sheaf_layout_src_init(struct sheaf_layout_src *src,
                           const struct sheaf_layout_ctx *cx,
                           const struct sheaf_article *a, size_t chapter,
                           const char *lang);

/* Appends the XHTML content document of chapter `a` (number `chapter`,
 * 1-based) to `out`. Returns SHEAF_OK or SHEAF_ERR_NOMEM. */
sheaf_status sheaf_layout_chapter(const struct sheaf_layout_ctx *cx,
                                  const struct sheaf_article *a, size_t chapter,
                                  struct sheaf_buf *out);

/* ---- parallel.c: the chapters laid out on several threads ---------------- */

/* Called on the caller's thread for each chapter, in chapter order, with
 * its document in `b` (which it may detach). A non-OK return stops. */
typedef sheaf_status (*sheaf_layout_commit_fn)(void *ud, size_t i, struct sheaf_buf *b);

/* Lays out every chapter of cx->book on `threads` threads (1: on the
 * caller's) and commits each in order, after its diagnostics were added to
 * cx->diag in the order one thread would add them; polls opt->cancel and
 * reports opt->progress between commits. Returns SHEAF_OK, the first
 * failing chapter's or commit's status, or SHEAF_ERR_CANCELLED. */
sheaf_status sheaf_layout_chapters(const struct sheaf_layout_ctx *cx, unsigned threads,
                                   sheaf_layout_commit_fn commit, void *ud);

/* ---- ahead.c: chapters laid out while the input is still read ------------ */

struct sheaf_ahead;
/* Returns a speculator for the articles of `coll` (whose `committed` hook
 * it sets), or NULL when the build would not gain by it: one thread,
 * --split, --remove, or out of memory. `opt` must outlive it. */
struct sheaf_ahead *sheaf_ahead_new(struct sheaf_collection *coll,
                                    const sheaf_options *opt);
/* Stops laying out (the import is over: selection may change articles)
 * and frees what only that needed; the chapters laid out stay. */
void sheaf_ahead_end(struct sheaf_ahead *ah);
/* Frees everything (NULL: nothing); unhooks the collection. */
void sheaf_ahead_free(struct sheaf_ahead *ah);
/* On any layout thread, after sheaf_ahead_end(): when the chapter laid out
 * ahead for `a` is the one the book lays out as number `chapter` (with
 * cx's links, language and images), appends it to `out`, replays its
 * diagnostics into cx->diag and its pictures into cx->images, and sets
 * *used. Each is given once. Returns SHEAF_OK or SHEAF_ERR_NOMEM. */
sheaf_status sheaf_ahead_take(struct sheaf_ahead *ah, const struct sheaf_layout_ctx *cx,
                              const struct sheaf_article *a, size_t chapter,
                              struct sheaf_buf *out, bool *used);

/* For tests: every article offered is laid out (the reader waits for room
 * instead of leaving it to the book), so what is used is deterministic. */
void sheaf_ahead_patient(struct sheaf_ahead *ah);
/* How many chapters were laid out ahead, and how many the book took. */
void sheaf_ahead_stats(struct sheaf_ahead *ah, size_t *laid_out, size_t *used);

/* A link of a chapter laid out without the links map that names a
 * chapter: its href as the chapter shows it (escaped), and that chapter. */
struct sheaf_relink_hit {
  char *shown;
  size_t ch;
};
/* Copies the chapter `in` to `out` with each <a href> of its cleaned body
 * (in[body[0]..body[1])) that is one of `hits` pointing at its chapter,
 * as the sanitizer does with the links map in hand. Returns how many it
 * changed (weigh.c). */
size_t sheaf_layout_relink(const struct sheaf_buf *in, const size_t body[2],
                           const struct sheaf_relink_hit *hits, size_t nhits,
                           struct sheaf_buf *out);

/* Lays out `book` as sheaf_layout() does, using the chapters `ahead` laid
 * out while the input was read (NULL: none) (layout.c). */
struct sheaf_manuscript *sheaf_layout_ahead(const struct sheaf_book *book,
                                            const sheaf_options *opt, sheaf_diag *diag,
                                            struct sheaf_ahead *ahead,
                                            sheaf_status *status);

/* Appends the title page document to `out`. */
sheaf_status sheaf_layout_titlepage(const struct sheaf_layout_ctx *cx,
                                    struct sheaf_buf *out);

/* Appends the list of the book's sources (sites, URLs, input names), each
 * isolated for right-to-left pages (titlepage.c). */
void sheaf_layout_sources(struct sheaf_buf *out, const struct sheaf_book *book);

/* Appends the colophon ("About this book") document to `out`, in the
 * book's language where sheaf speaks it (colophon.c). */
sheaf_status sheaf_layout_colophon(const struct sheaf_layout_ctx *cx,
                                   struct sheaf_buf *out);

/* Appends the generated cover picture (a 1600x2560 JPEG: title, tag, site,
 * dates) to `out`; notes in cx->diag when it needs the system's fonts.
 * Returns SHEAF_OK or SHEAF_ERR_NOMEM. */
sheaf_status sheaf_layout_cover_jpeg(const struct sheaf_layout_ctx *cx,
                                     struct sheaf_buf *out);
/* The same, drawn `band` rows at a time (1-2560; sheaf_layout_cover_jpeg()
 * takes 64): the bytes do not depend on it when the shipped fonts set the
 * text, which a unit test checks. */
sheaf_status sheaf_layout_cover_jpeg_bands(const struct sheaf_layout_ctx *cx, int band,
                                           struct sheaf_buf *out);

/* ---- huffman.c: a JPEG's optimal Huffman tables, without libjpeg's
 * picture-sized buffer ---------------------------------------------------- */

/* Tables number 0 (luma) and 1 (chroma), DHT style: bits[k] codes of k
 * bits (bits[0] unused), then the symbols in code order. */
struct sheaf_jpeg_tables {
  unsigned char dc_bits[2][17], dc_val[2][256];
  unsigned char ac_bits[2][17], ac_val[2][256];
  bool used[2];
};
/* From a baseline JPEG of one interleaved scan without restarts (as
 * libjpeg writes it with the standard tables), the tables libjpeg's
 * optimize_coding would have chosen for the same picture. False when the
 * stream is not of that kind. */
bool sheaf_jpeg_optimal_tables(const unsigned char *jpg, size_t n,
                               struct sheaf_jpeg_tables *out);

/* Appends the cover page, showing the image at `img_href` (relative to
 * text/), to `out`. */
sheaf_status sheaf_layout_cover_page(const struct sheaf_layout_ctx *cx,
                                     const char *img_href, struct sheaf_buf *out);

/* Is an image a tracking pixel (1x1, or a known beacon's URL)? `width`
 * and `height` are its attributes, NULL when absent (pixel.c). */
bool sheaf_layout_is_tracker(const char *url, const char *width, const char *height);

#endif
