/*
 * This file contains the book's image registry: it resolves the URLs an
 * article's <img> names to local files (beside the input file, in an
 * --assets mirror, in a WordPress uploads folder beside an export, file://
 * and data: URLs), never reading outside those roots, tells the media type
 * from the bytes, sanitizes SVG, and stores each distinct image once, named
 * by the SHA-1 of its bytes, as images/<hash>.<ext>. A picture an
 * article shows is first made for the reader's screen (src/image: turned,
 * sRGB, scaled to fit, re-encoded) unless --original-images; the bytes
 * then go to the manuscript's spool at once, so memory holds no more than
 * the picture being converted.
 *
 * Reading is confined in two steps: a path is first normalised on paper
 * (a ".." that climbs above its root is refused before the file system is
 * touched), then realpath() must still lie under the root's own realpath,
 * which catches symlinks that point out. Only regular files are opened.
 */
/* realpath() is XSI, beyond the POSIX level the build asks for. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/hash.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/uri.h>

#include "image/image.h"
#include "layout/layout.h"

struct img {
  char *key;        /* realpath, or "data:" plus the hash of the bytes */
  char hash[41];    /* SHA-1 of the stored bytes (after SVG cleaning) */
  const char *type; /* media type (static) */
  const char *ext;
  const char *why; /* why it cannot be embedded; NULL: it can */
  unsigned width;  /* intrinsic pixels as found; 0: unknown (SVG, odd files) */
  bool webp;       /* found as WebP (converted or not) */
  char *data;
  size_t len;
  bool used;
  size_t used_seq;  /* when it became used (sheaf_images_mark) */
  bool final;       /* converted (or found fine as it is), hash set */
  bool converting;  /* a thread is converting it, the registry unlocked */
  bool spooled;     /* the bytes are in the manuscript's spool: data NULL */
  size_t spool_idx; /* their entry, when spooled */
  char *why_buf;    /* why the conversion failed (`why` points here) */
};

struct root {
  char *key;  /* the input path it was derived from (input folders) */
  char *real; /* realpath of the folder, or NULL when there is none */
  bool done;  /* looked for (uploads folders) */
  int sub;    /* input folders: which uploads folder it holds (1: uploads,
                 2: wp-content/uploads, -1: neither, 0: not looked yet) */
};

/* What read_under() found at one path (see `looked`). */
struct look {
  size_t img;      /* index + 1 into imgs; 0: none */
  const char *why; /* why not (a static string), when img is 0 */
};

/* How many paths read_under() remembers: a book that names more distinct
 * pictures looks the rest up each time, rather than hold them all. */
#define LOOKS_MAX 16384

struct sheaf_images {
  const struct sheaf_book *book;
  const sheaf_options *opt;
  sheaf_diag *diag;
  char *assets;      /* realpath of --assets, or NULL */
  struct root *dirs; /* input folders, by input path */
  size_t ndirs, dirs_cap;
  struct root *uploads; /* per feed: uploads folder, or real NULL */
  size_t nuploads;
  struct img *imgs;
  size_t nimgs, imgs_cap;
  xmlHashTablePtr by_key; /* key -> index + 1 */
  /* read_under()'s answers by path and root: a book names the same few
   * pictures thousands of times, and each look cost realpath() a system
   * call per folder, under the lock. The folders are taken as they were at
   * the first look, as the pictures' bytes are. */
  xmlHashTablePtr looked; /* (path, root) -> index + 1 into looks; may be NULL */
  struct look *looks;
  size_t nlooks, looks_cap;
  size_t embedded, missing;   /* occurrences, for the closing count */
  size_t no_alt;              /* embedded occurrences without alt text */
  uint64_t bytes;             /* of the distinct images embedded (--split SIZE) */
  size_t used_seq;            /* images that became used so far */
  struct sheaf_fileset *read; /* files read are recorded here; may be NULL */
  /* Chapters are laid out on several threads (parallel.c): everything
   * above that resolving changes is changed under this lock. */
  pthread_mutex_t mu;
  pthread_cond_t converted;   /* a picture's conversion ended */
  struct sheaf_spool *spool;  /* where used pictures go; NULL: kept in memory */
  xmlHashTablePtr by_hash;    /* hash of a spooled picture -> index + 1 */
  struct sheaf_img_opts conv; /* how pictures are converted */
  bool original;              /* --original-images: bytes as they are */
};

/* ---- small helpers ------------------------------------------------------- */

/* Percent-decodes p[0..n) into a new string. Returns NULL when it would
 * hold a NUL (a malformed URL, for the caller to warn about) or, with
 * *nomem set, when out of memory. */
static char *pct_decode(const char *p, size_t n, bool *nomem)
{
  struct sheaf_buf b;
  char *out;

  sheaf_buf_init(&b, 0);
  if (sheaf_url_decode(&b, p, n) && memchr(b.ptr, '\0', b.len) != NULL) {
    sheaf_buf_fini(&b);
    return NULL;
  }
  if ((out = sheaf_buf_detach(&b, NULL)) == NULL)
    *nomem = true;
  return out;
}

static char *dirname_of(const char *path)
{
  const char *slash = strrchr(path, '/');

  if (!slash)
    return sheaf_strdup(".");
  if (slash == path)
    return sheaf_strdup("/");
  return sheaf_strndup(path, (size_t)(slash - path));
}

static void hex20(const unsigned char d[20], char out[41])
{
  static const char hx[] = "0123456789abcdef";
  int i;

  for (i = 0; i < 20; i++) {
    out[2 * i] = hx[d[i] >> 4];
    out[2 * i + 1] = hx[d[i] & 15];
  }
  out[40] = '\0';
}

/* ---- the registry -------------------------------------------------------- */

struct sheaf_images *sheaf_images_new(const struct sheaf_book *book,
                                      const sheaf_options *opt, sheaf_diag *diag,
                                      sheaf_status *status)
{
  struct sheaf_images *im = sheaf_calloc(1, sizeof *im);

  *status = SHEAF_OK;
  if (!im || !(im->by_key = xmlHashCreate(64)) || !(im->by_hash = xmlHashCreate(64))) {
    if (im && im->by_key)
      xmlHashFree(im->by_key, NULL);
    sheaf_free(im);
    *status = SHEAF_ERR_NOMEM;
    return NULL;
  }
  pthread_mutex_init(&im->mu, NULL);
  pthread_cond_init(&im->converted, NULL);
  im->book = book;
  im->opt = opt;
  im->diag = diag;
  if (opt) {
    im->conv.max_w = opt->image_width;
    im->conv.max_h = opt->image_height;
    im->conv.grayscale = (opt->flags & SHEAF_OPT_GRAYSCALE) != 0;
    im->conv.keep_webp = (opt->flags & SHEAF_OPT_KEEP_WEBP) != 0;
    im->original = (opt->flags & SHEAF_OPT_ORIGINAL_IMAGES) != 0;
  }
  if (opt && opt->assets_dir && *opt->assets_dir) {
    struct stat st;
    im->assets = realpath(opt->assets_dir, NULL);
    if (!im->assets || stat(im->assets, &st) != 0 || !S_ISDIR(st.st_mode)) {
      sheaf_diag_add(diag, SHEAF_ERROR, "usage", opt->assets_dir, 0, 0,
                     "--assets must name a folder (a wget or HTTrack mirror): %s",
                     errno ? strerror(errno) : "not a folder");
      sheaf_images_free(im);
      *status = SHEAF_ERR_USAGE;
      return NULL;
    }
  }
  return im;
}

void sheaf_images_free(struct sheaf_images *im)
{
  size_t i;

  if (!im)
    return;
  for (i = 0; i < im->nimgs; i++) {
    sheaf_free(im->imgs[i].key);
    sheaf_free(im->imgs[i].data);
    sheaf_free(im->imgs[i].why_buf);
  }
  sheaf_free(im->imgs);
  for (i = 0; i < im->ndirs; i++) {
    sheaf_free(im->dirs[i].key);
    free(im->dirs[i].real); /* from realpath() */
  }
  sheaf_free(im->dirs);
  for (i = 0; i < im->nuploads; i++)
    free(im->uploads[i].real);
  sheaf_free(im->uploads);
  free(im->assets);
  if (im->by_key)
    xmlHashFree(im->by_key, NULL);
  if (im->looked)
    xmlHashFree(im->looked, NULL);
  sheaf_free(im->looks);
  pthread_mutex_destroy(&im->mu);
  pthread_cond_destroy(&im->converted);
  if (im->by_hash)
    xmlHashFree(im->by_hash, NULL);
  sheaf_free(im);
}

void sheaf_images_note_no_alt(struct sheaf_images *im)
{
  if (!im)
    return;
  pthread_mutex_lock(&im->mu);
  im->no_alt++;
  pthread_mutex_unlock(&im->mu);
}

size_t sheaf_images_no_alt(const struct sheaf_images *im)
{
  return im ? im->no_alt : 0;
}

void sheaf_images_count(const struct sheaf_images *im, size_t *embedded, size_t *missing)
{
  *embedded = im ? im->embedded : 0;
  *missing = im ? im->missing : 0;
}

/* The folder of input `file` (its realpath cached), or NULL when out of
 * memory or without a file. Valid until the next call. */
static struct root *input_root(struct sheaf_images *im, const char *file, bool *nomem)
{
  char *dir;
  size_t i;

  if (!file)
    return NULL;
  for (i = 0; i < im->ndirs; i++)
    if (strcmp(im->dirs[i].key, file) == 0)
      return &im->dirs[i];
  if (!sheaf_grow((void **)&im->dirs, &im->dirs_cap, im->ndirs + 1, sizeof *im->dirs)) {
    *nomem = true;
    return NULL;
  }
  dir = dirname_of(file);
  memset(&im->dirs[im->ndirs], 0, sizeof im->dirs[im->ndirs]);
  im->dirs[im->ndirs].key = sheaf_strdup(file);
  if (!dir || !im->dirs[im->ndirs].key) {
    sheaf_free(dir);
    sheaf_free(im->dirs[im->ndirs].key);
    *nomem = true;
    return NULL;
  }
  im->dirs[im->ndirs].real = realpath(dir, NULL);
  sheaf_free(dir);
  return &im->dirs[im->ndirs++];
}

/* The realpath of the folder of input `file`, cached; NULL when unknown. */
static const char *input_dir(struct sheaf_images *im, const char *file, bool *nomem)
{
  const struct root *r = input_root(im, file, nomem);

  return r ? r->real : NULL;
}

/* The uploads folder beside the export feed `f` came from: derived from the
 * import's map of upload URLs to files. NULL when there is none. */
static const char *uploads_dir(struct sheaf_images *im, size_t feed, bool *nomem)
{
  const struct sheaf_collection *coll = im->book ? im->book->coll : NULL;
  const struct sheaf_feed *f;
  size_t i;

  if (!coll || feed >= coll->nfeeds)
    return NULL;
  if (im->nuploads < coll->nfeeds) {
    struct root *u = sheaf_calloc(coll->nfeeds, sizeof *u);
    if (!u) {
      *nomem = true;
      return NULL;
    }
    for (i = 0; i < im->nuploads; i++)
      u[i] = im->uploads[i];
    sheaf_free(im->uploads);
    im->uploads = u;
    im->nuploads = coll->nfeeds;
  }
  if (im->uploads[feed].done)
    return im->uploads[feed].real;
  im->uploads[feed].done = true;
  f = coll->feeds[feed];
  for (i = 0; f && i < f->nassets; i++) {
    /* The part below the uploads folder (text.c), as in the file's name. */
    struct sheaf_str rel =
        sheaf_wp_upload_rel(f->asset_urls[i], strlen(f->asset_urls[i]));
    const char *file = f->asset_files[i];
    size_t rn = rel.n, fn = strlen(file);
    char *dir;
    if (rn == 0 || fn <= rn + 1 || memcmp(file + fn - rn, rel.p, rn) != 0 ||
        file[fn - rn - 1] != '/')
      continue;
    dir = sheaf_strndup(file, fn - rn - 1);
    if (!dir) {
      *nomem = true;
      return NULL;
    }
    im->uploads[feed].real = realpath(dir, NULL);
    sheaf_free(dir);
    break;
  }
  return im->uploads[feed].real;
}

/* ---- bytes: sniffing, sizes, SVG cleaning --------------------------------- */

static unsigned be16(const unsigned char *p)
{
  return (unsigned)p[0] << 8 | p[1];
}

static unsigned be32(const unsigned char *p)
{
  return (unsigned)p[0] << 24 | (unsigned)p[1] << 16 | (unsigned)p[2] << 8 | p[3];
}

/* Width of a JPEG from its first SOFn marker; 0 when not found. */
static unsigned jpeg_width(const unsigned char *p, size_t n)
{
  size_t i = 2;

  while (i + 9 < n) {
    unsigned m;
    if (p[i] != 0xFF) {
      i++;
      continue;
    }
    m = p[i + 1];
    if (m == 0xFF) {
      i++;
      continue;
    }
    if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {
      i += 2;
      continue;
    }
    if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC)
      return be16(p + i + 7);
    i += 2 + be16(p + i + 2);
  }
  return 0;
}

static bool is_svg_ns(const xmlNode *n)
{
  return n->ns && n->ns->href &&
         strcmp((const char *)n->ns->href, "http://www.w3.org/2000/svg") == 0;
}

static bool name_is(const xmlNode *n, const char *s)
{
  return n->name && strcmp((const char *)n->name, s) == 0;
}

/* True when an attribute value refers to something outside the document. */
static bool external_ref(const char *v)
{
  const char *p;

  if (sheaf_starts_with_ci(v, "javascript:") || strstr(v, "javascript:"))
    return true;
  for (p = strstr(v, "url("); p; p = strstr(p + 4, "url(")) {
    const char *q = p + 4;
    while (*q == ' ' || *q == '"' || *q == '\'')
      q++;
    if (*q != '#')
      return true;
  }
  return strstr(v, "@import") != NULL;
}

/* Removes scripts, foreign content, event handlers and references to other
 * files from an SVG document, in place. Iterative. */
static void svg_clean(xmlDocPtr doc, xmlNodePtr root)
{
  static const char *const banned[] = {
      "script",        "foreignObject", "iframe", "object",  "embed",
      "handler",       "listener",      "set",    "animate", "animateTransform",
      "animateMotion", "animateColor",  "audio",  "video",   "canvas",
      "discard"};
  xmlNodePtr node = root, next;

  if (doc->intSubset) {
    /* xmlUnlinkNode() clears doc->intSubset itself, so free through the
     * pointer kept here (freeing doc->intSubset afterwards freed NULL and
     * leaked the DTD). */
    xmlDtdPtr dtd = doc->intSubset;
    xmlUnlinkNode((xmlNodePtr)dtd);
    xmlFreeDtd(dtd);
    doc->intSubset = NULL;
  }
  for (next = doc->children; next;) { /* PIs and comments outside the root */
    xmlNodePtr n = next;
    next = n->next;
    if (n != root) {
      xmlUnlinkNode(n);
      xmlFreeNode(n);
    }
  }
  while (node) {
    bool drop = false;
    size_t k;
    if (node->type == XML_ELEMENT_NODE) {
      if (!is_svg_ns(node))
        drop = true;
      for (k = 0; !drop && k < sizeof banned / sizeof *banned; k++)
        drop = name_is(node, banned[k]);
      if (!drop && name_is(node, "style") && node->children) {
        xmlChar *css = xmlNodeGetContent(node);
        drop = css == NULL || external_ref((const char *)css);
        if (css)
          xmlFree(css);
      }
    } else if (node->type != XML_TEXT_NODE && node->type != XML_CDATA_SECTION_NODE) {
      drop = node != root;
    }
    if (!drop && node->type == XML_ELEMENT_NODE && name_is(node, "a") && node != root) {
      /* Links out of a picture go (readers would not follow them anyway);
       * what they held stays. */
      xmlNodePtr after = sheaf_xml_next(node, root, true);
      xmlNodePtr first = sheaf_layout_unwrap(node);
      node = first ? first : after;
      continue;
    }
    if (drop && node != root) {
      next = sheaf_xml_next(node, root, true);
      xmlUnlinkNode(node);
      xmlFreeNode(node);
      node = next;
      continue;
    }
    if (node->type == XML_ELEMENT_NODE) {
      xmlAttrPtr at = node->properties, an;
      for (; at; at = an) {
        xmlChar *v = xmlNodeListGetString(doc, at->children, 1);
        const char *name = (const char *)at->name;
        bool bad =
            (tolower((unsigned char)name[0]) == 'o' &&
             tolower((unsigned char)name[1]) == 'n') ||
            (at->ns && at->ns->href &&
             strcmp((const char *)at->ns->href, "http://www.w3.org/1999/xlink") != 0 &&
             strcmp((const char *)at->ns->href, "http://www.w3.org/XML/1998/namespace") !=
                 0);
        an = at->next;
        if (!bad && v && strcmp(name, "href") == 0)
          bad = v[0] != '#';
        if (!bad && v)
          bad = external_ref((const char *)v);
        if (v)
          xmlFree(v);
        if (bad)
          xmlRemoveProp(at);
      }
    }
    node = sheaf_xml_next(node, root, false);
  }
}

/* Parses and cleans SVG bytes; returns the new bytes (xmlMalloc'ed) or NULL
 * when they are not an SVG document. */
static xmlChar *svg_sanitize(const char *p, size_t n, int *outlen)
{
  xmlDocPtr doc;
  xmlNodePtr root;
  xmlChar *mem = NULL;

  if (n > INT_MAX)
    return NULL;
  doc = xmlReadMemory(p, (int)n, NULL, NULL, sheaf_xml_safe_options());
  if (!doc)
    return NULL;
  root = xmlDocGetRootElement(doc);
  if (root && name_is(root, "svg") && is_svg_ns(root)) {
    svg_clean(doc, root);
    xmlDocDumpMemoryEnc(doc, &mem, outlen, "UTF-8");
  }
  xmlFreeDoc(doc);
  return mem;
}

/* Fills in type, ext, width and why from the bytes of `g` (replacing the
 * bytes of an SVG with their cleaned form). Returns false when out of
 * memory. */
static bool sniff(struct sheaf_images *im, struct img *g)
{
  const unsigned char *p = (const unsigned char *)g->data;
  size_t n = g->len, i;

  if (n >= 24 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0) {
    g->type = "image/png";
    g->ext = "png";
    g->width = be32(p + 16);
  } else if (n >= 4 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF) {
    g->type = "image/jpeg";
    g->ext = "jpg";
    g->width = jpeg_width(p, n);
  } else if (n >= 10 && (memcmp(p, "GIF87a", 6) == 0 || memcmp(p, "GIF89a", 6) == 0)) {
    g->type = "image/gif";
    g->ext = "gif";
    g->width = (unsigned)p[6] | (unsigned)p[7] << 8;
  } else if (n >= 16 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0) {
    g->type = "image/webp";
    g->ext = "webp";
    g->webp = true;
    /* Converted to JPEG or PNG, unless the bytes must stay as they are. */
    if (im->original && !im->conv.keep_webp)
      g->why = "WebP, which EPUB 3.2 readers need not show, and --original-images "
               "keeps it from being converted; --keep-webp embeds it";
  } else {
    xmlChar *clean;
    int len = 0;
    for (i = 0; i < n && i < 4096; i++)
      if (p[i] == '<' && i + 4 < n && memcmp(p + i + 1, "svg", 3) == 0)
        break;
    if (i == n || i == 4096) {
      g->why = "not a JPEG, PNG, GIF or SVG image";
      return true;
    }
    clean = svg_sanitize(g->data, n, &len);
    if (!clean || len <= 0) {
      if (clean)
        xmlFree(clean);
      g->why = "not a well-formed SVG image";
      return true;
    }
    sheaf_free(g->data);
    g->data = sheaf_strndup((const char *)clean, (size_t)len);
    g->len = (size_t)len;
    xmlFree(clean);
    if (!g->data)
      return false;
    g->type = "image/svg+xml";
    g->ext = "svg";
  }
  return true;
}

/* Adds an image made of `data` (taken over) under `key`. Returns it, or NULL
 * when out of memory (data freed). */
static struct img *add_img(struct sheaf_images *im, const char *key, char *data,
                           size_t len)
{
  struct img *g;
  struct sheaf_sha1 s;
  unsigned char d[20];

  if (!sheaf_grow((void **)&im->imgs, &im->imgs_cap, im->nimgs + 1, sizeof *im->imgs)) {
    sheaf_free(data);
    return NULL;
  }
  g = &im->imgs[im->nimgs];
  memset(g, 0, sizeof *g);
  g->key = sheaf_strdup(key);
  g->data = data;
  g->len = len;
  if (!g->key || !sniff(im, g) ||
      xmlHashAddEntry(im->by_key, BAD_CAST key, (void *)(uintptr_t)(im->nimgs + 1)) !=
          0) {
    sheaf_free(g->key);
    sheaf_free(g->data);
    return NULL;
  }
  /* The hash of the bytes as read, until finish() converts them. */
  sheaf_sha1_init(&s);
  sheaf_sha1_update(&s, g->data, g->len);
  sheaf_sha1_final(&s, d);
  hex20(d, g->hash);
  im->nimgs++;
  return g;
}

/* What converting one picture gave (conversion.c's result, its hash). */
struct converted {
  sheaf_status st;
  struct sheaf_img_result r;
  char hash[41];
};

/* Makes the picture data[0..len) of media type `type` ready to embed:
 * converted for the reader's screen (src/image) unless --original-images
 * or SVG, and the hash of the final bytes taken. Touches nothing shared,
 * so it runs with the registry unlocked, on any layout thread. */
static void convert(const struct sheaf_images *im, const char *type, const char *data,
                    size_t len, struct converted *c)
{
  struct sheaf_sha1 s;
  unsigned char d[20];

  memset(c, 0, sizeof *c);
  if (!im->original && strcmp(type, "image/svg+xml") != 0) {
    c->st = sheaf_img_convert(data, len, &im->conv, &c->r);
    if (c->st != SHEAF_OK)
      return;
  }
  sheaf_sha1_init(&s);
  if (c->r.data)
    sheaf_sha1_update(&s, c->r.data, c->r.len);
  else
    sheaf_sha1_update(&s, data, len);
  sheaf_sha1_final(&s, d);
  hex20(d, c->hash);
}

/* Takes the result `c` of converting `g` over (under the lock). A picture
 * that cannot be decoded gets its reason in g->why. Returns false when out
 * of memory. */
static bool apply(struct img *g, struct converted *c)
{
  static const char *const types[] = {NULL, "image/jpeg", "image/png", "image/gif",
                                      "image/webp"};
  static const char *const exts[] = {NULL, "jpg", "png", "gif", "webp"};

  if (c->st == SHEAF_ERR_NOMEM)
    return false;
  g->final = true;
  if (c->st != SHEAF_OK) {
    g->why_buf = sheaf_strdup(c->r.why);
    g->why = g->why_buf ? g->why_buf : "cannot be decoded";
    return g->why_buf != NULL;
  }
  if (c->r.data) {
    sheaf_free(g->data);
    g->data = c->r.data;
    g->len = c->r.len;
    g->type = types[c->r.fmt];
    g->ext = exts[c->r.fmt];
    /* g->width and g->webp stay those of the file as found: a choice
     * among candidates must not depend on which were converted already
     * (by another chapter, on another thread). */
    c->r.data = NULL;
  }
  memcpy(g->hash, c->hash, sizeof g->hash);
  return true;
}

/* Hands the bytes of the used picture `g` to the spool, once per distinct
 * content. Returns SHEAF_OK or SHEAF_ERR_NOMEM. */
static sheaf_status spool_img(struct sheaf_images *im, struct img *g)
{
  uintptr_t k;
  sheaf_status st;

  if (!im->spool || g->spooled)
    return SHEAF_OK;
  k = (uintptr_t)xmlHashLookup(im->by_hash, BAD_CAST g->hash);
  if (k) { /* the same bytes came from another file */
    g->spool_idx = im->imgs[k - 1].spool_idx;
  } else {
    st = sheaf_spool_add(im->spool, g->data, g->len, &g->spool_idx);
    g->data = NULL; /* taken over, also on failure */
    if (st != SHEAF_OK)
      return st;
    if (xmlHashAddEntry(im->by_hash, BAD_CAST g->hash,
                        (void *)(uintptr_t)((size_t)(g - im->imgs) + 1)) != 0)
      return SHEAF_ERR_NOMEM;
  }
  sheaf_free(g->data);
  g->data = NULL;
  g->spooled = true;
  return SHEAF_OK;
}

void sheaf_images_set_spool(struct sheaf_images *im, struct sheaf_spool *spool)
{
  if (im)
    im->spool = spool;
}

static struct img *find_img(struct sheaf_images *im, const char *key)
{
  uintptr_t k = (uintptr_t)xmlHashLookup(im->by_key, BAD_CAST key);

  return k ? &im->imgs[k - 1] : NULL;
}

/* ---- reading, confined to a root ----------------------------------------- */

/* Remembers what read_under() found at `path` under `root`: the image `g`,
 * else `why`. Out of memory, it just does not remember. */
static void remember(struct sheaf_images *im, const char *path, const char *root,
                     const struct img *g, const char *why)
{
  if (im->nlooks >= LOOKS_MAX || (!im->looked && !(im->looked = xmlHashCreate(64))) ||
      !sheaf_grow((void **)&im->looks, &im->looks_cap, im->nlooks + 1, sizeof *im->looks))
    return;
  im->looks[im->nlooks].img = g ? (size_t)(g - im->imgs) + 1 : 0;
  im->looks[im->nlooks].why = g ? NULL : why;
  if (xmlHashAddEntry2(im->looked, BAD_CAST path, BAD_CAST root,
                       (void *)(uintptr_t)(im->nlooks + 1)) == 0)
    im->nlooks++;
}

/* Reads `rel` (a decoded path, relative to the folder `root`, a realpath).
 * Returns the image, or NULL with *why set (or *nomem). */
static struct img *read_under(struct sheaf_images *im, const char *root, const char *rel,
                              const char **why, bool *nomem)
{
  struct sheaf_buf path;
  struct img *g = NULL;
  char *real = NULL, *data = NULL;
  size_t rl = strlen(root), depth = 0, max = im->opt ? im->opt->max_image_size : 0;
  const char *s = rel;
  struct stat st;
  int fd = -1;
  bool looked = false; /* the answer below is the file system's */
  uintptr_t k;

  sheaf_buf_init(&path, 0);
  sheaf_buf_puts(&path, root);
  /* Normalise on paper: a ".." above the root is refused untouched. */
  while (*s) {
    size_t n = strcspn(s, "/");
    if (n == 0 || (n == 1 && s[0] == '.')) {
      /* skip */
    } else if (n == 2 && s[0] == '.' && s[1] == '.') {
      char *slash;
      if (depth == 0) {
        *why = "outside the folders images may come from";
        goto out;
      }
      depth--;
      slash = strrchr(path.ptr, '/');
      path.len = (size_t)(slash - path.ptr);
      path.ptr[path.len] = '\0';
    } else {
      sheaf_buf_putc(&path, '/');
      sheaf_buf_put(&path, s, n);
      depth++;
    }
    s += n;
    if (*s == '/')
      s++;
  }
  if (path.failed) {
    *nomem = true;
    goto out;
  }
  if (depth == 0) {
    *why = "not a file";
    goto out;
  }
  k = im->looked ? (uintptr_t)xmlHashLookup2(im->looked, BAD_CAST path.ptr, BAD_CAST root)
                 : 0;
  if (k) {
    if (im->looks[k - 1].img)
      g = &im->imgs[im->looks[k - 1].img - 1];
    else
      *why = im->looks[k - 1].why;
    goto out;
  }
  looked = true;
  real = realpath(path.ptr, NULL);
  if (!real) {
    *why = errno == ENOENT || errno == ENOTDIR ? "no such file" : "cannot be read";
    goto out;
  }
  if (strncmp(real, root, rl) != 0 || (real[rl] != '/' && strcmp(root, "/") != 0)) {
    *why = "outside the folders images may come from (a link points out)";
    goto out;
  }
  g = find_img(im, real);
  if (g)
    goto out;
  fd = open(real, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0 || fstat(fd, &st) != 0) {
    *why = "cannot be read";
    goto out;
  }
  if (!S_ISREG(st.st_mode)) {
    *why = "not a regular file";
    goto out;
  }
  if (im->read &&
      !sheaf_fileset_add(im->read, (uint64_t)st.st_dev, (uint64_t)st.st_ino, real)) {
    *nomem = true;
    goto out;
  }
  if (max && (uint64_t)st.st_size > (uint64_t)max) {
    *why = "larger than --max-image-size";
    goto out;
  }
  {
    size_t len = 0, cap = (size_t)st.st_size + 1;
    ssize_t r;
    data = sheaf_malloc(cap);
    if (!data) {
      *nomem = true;
      goto out;
    }
    while ((r = read(fd, data + len, cap - len)) > 0) {
      len += (size_t)r;
      if (len == cap) { /* the file grew while we read it */
        *why = "changed while it was read";
        goto out;
      }
    }
    if (r < 0) {
      *why = "cannot be read";
      goto out;
    }
    g = add_img(im, real, data, len);
    data = NULL;
    if (!g)
      *nomem = true;
  }
out:
  if (looked && !*nomem && (g || *why))
    remember(im, path.ptr, root, g, *why);
  if (fd >= 0)
    close(fd);
  sheaf_free(data);
  free(real);
  sheaf_buf_fini(&path);
  return g;
}

/* Decodes a data: URL. */
static struct img *read_data_url(struct sheaf_images *im, const char *url,
                                 const char **why, bool *nomem)
{
  static const char b64[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const char *comma = strchr(url, ','), *p;
  struct sheaf_buf b;
  struct img *g = NULL;
  char key[48];
  bool base64;
  size_t max = im->opt ? im->opt->max_image_size : 0;

  if (!comma) {
    *why = "a malformed data: URL";
    return NULL;
  }
  base64 = comma - url >= 7 && sheaf_str_ieq((struct sheaf_str){comma - 7, 7}, ";base64");
  sheaf_buf_init(&b, max ? max + 1 : 0);
  if (base64) {
    unsigned acc = 0;
    int bits = 0;
    const char *end = comma + 1 + strlen(comma + 1);
    for (p = comma + 1; *p && *p != '='; p++) {
      const char *q = strchr(b64, *p);
      int c = sheaf_url_pct(p, (size_t)(end - p));
      if (c >= 0) {
        p += 2;
        q = c ? strchr(b64, c) : NULL;
        if (!q)
          continue;
      } else if (!q || !*p) {
        continue; /* whitespace and strays */
      }
      acc = (acc << 6) | (unsigned)(q - b64);
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        sheaf_buf_putc(&b, (char)((acc >> bits) & 0xFF));
      }
    }
  } else {
    char *d = pct_decode(comma + 1, strlen(comma + 1), nomem);
    if (!d) {
      *why = "a malformed data: URL";
      sheaf_buf_fini(&b);
      return NULL;
    }
    sheaf_buf_puts(&b, d);
    sheaf_free(d);
  }
  if (b.failed) {
    if (max && b.len >= max)
      *why = "larger than --max-image-size";
    else
      *nomem = true;
    sheaf_buf_fini(&b);
    return NULL;
  }
  {
    struct sheaf_sha1 s;
    unsigned char d[20];
    char h[41];
    size_t len;
    char *data;
    sheaf_sha1_init(&s);
    sheaf_sha1_update(&s, b.ptr, b.len);
    sheaf_sha1_final(&s, d);
    hex20(d, h);
    memcpy(key, "data:", 5);
    memcpy(key + 5, h, 41);
    g = find_img(im, key);
    if (g) {
      sheaf_buf_fini(&b);
      return g;
    }
    data = sheaf_buf_detach(&b, &len);
    if (!data) {
      data = sheaf_strdup("");
      len = 0;
    }
    g = data ? add_img(im, key, data, len) : NULL;
    if (!g)
      *nomem = true;
  }
  sheaf_buf_fini(&b);
  return g;
}

/* `url` without -WIDTHxHEIGHT before its extension (WordPress's resized
 * copies: name-300x200.jpg is a copy of name.jpg), or NULL. */
static char *unsized(const char *url)
{
  size_t n = strcspn(url, "?#");
  const char *dot = NULL, *p, *x;

  for (p = url; p < url + n; p++)
    if (*p == '.')
      dot = p;
    else if (*p == '/')
      dot = NULL;
  if (!dot)
    return NULL;
  p = dot;
  while (p > url && isdigit((unsigned char)p[-1]))
    p--;
  if (p == dot || p == url || p[-1] != 'x')
    return NULL;
  x = p - 1;
  p = x;
  while (p > url && isdigit((unsigned char)p[-1]))
    p--;
  if (p == x || p == url || p[-1] != '-')
    return NULL;
  {
    struct sheaf_buf b;
    sheaf_buf_init(&b, 0);
    sheaf_buf_put(&b, url, (size_t)(p - 1 - url));
    sheaf_buf_puts(&b, dot);
    return sheaf_buf_detach(&b, NULL);
  }
}

/* Looks an absolute http(s) URL up in the uploads map and folder of `feed`. */
static struct img *from_uploads(struct sheaf_images *im, size_t feed, const char *file,
                                const char *url, const char **why, bool *nomem)
{
  const char *dir = uploads_dir(im, feed, nomem);
  struct sheaf_str rel;
  const char *prefix = "";
  char *small = NULL, *path;
  struct img *g = NULL;
  int pass;

  if (!dir && !*nomem) {
    /* No map from the import: an uploads folder beside the input, which
     * lies inside the input's folder (a root) anyway. */
    static const char *const subs[] = {"uploads", "wp-content/uploads"};
    struct root *in = input_root(im, file, nomem);
    if (in && in->real && in->sub == 0) { /* looked for once per input */
      struct sheaf_buf b;
      struct stat st;
      size_t k;
      sheaf_buf_init(&b, 0);
      in->sub = -1;
      for (k = 0; k < 2 && in->sub < 0; k++) {
        sheaf_buf_reset(&b);
        sheaf_buf_printf(&b, "%s/%s", in->real, subs[k]);
        if (!b.failed && stat(b.ptr, &st) == 0 && S_ISDIR(st.st_mode))
          in->sub = (int)k + 1;
      }
      if (b.failed) {
        in->sub = 0;
        *nomem = true;
      }
      sheaf_buf_fini(&b);
    }
    if (in && in->real && in->sub > 0) {
      dir = in->real;
      prefix = in->sub == 2 ? "wp-content/uploads/" : "uploads/";
    }
  }
  if (!dir)
    return NULL;
  small = unsized(url);
  for (pass = 0; pass < 2 && !g && !*nomem; pass++) {
    const char *u = pass == 0 ? url : small;
    if (!u)
      break;
    rel = sheaf_wp_upload_rel(u, strlen(u));
    if (rel.n == 0)
      continue;
    path = pct_decode(rel.p, rel.n, nomem);
    if (!path) {
      /* %00: no file has that name; a warning, not a failure. */
      if (!*nomem)
        *why = "a malformed URL (it holds %00)";
      break;
    }
    if (*prefix) {
      struct sheaf_buf b;
      sheaf_buf_init(&b, 0);
      sheaf_buf_puts(&b, prefix);
      sheaf_buf_puts(&b, path);
      sheaf_free(path);
      path = sheaf_buf_detach(&b, NULL);
      if (!path) {
        *nomem = true;
        break;
      }
    }
    g = read_under(im, dir, path, why, nomem);
    sheaf_free(path);
  }
  sheaf_free(small);
  return g;
}

/* Looks an absolute http(s) URL up in the --assets mirror: DIR/host/path,
 * with the query as wget writes it ("?q", or "@q" under
 * --restrict-file-names=windows), then without it. */
static struct img *from_mirror(struct sheaf_images *im, const char *url, const char **why,
                               bool *nomem)
{
  xmlURIPtr u;
  struct img *g = NULL;
  const char *qmark = strchr(url, '?'), *hash;
  struct sheaf_buf rel;
  int pass;

  if (!im->assets)
    return NULL;
  u = xmlParseURI(url);
  if (!u || !u->server || !*u->server) {
    if (u)
      xmlFreeURI(u);
    return NULL;
  }
  sheaf_buf_init(&rel, 0);
  for (pass = 0; pass < 3 && !g && !*nomem; pass++) {
    char *decoded;
    size_t qn = 0;
    if (pass < 2 && !qmark)
      continue;
    sheaf_buf_reset(&rel);
    sheaf_buf_puts(&rel, u->server);
    if (u->port > 0 && u->port != 80 && u->port != 443)
      sheaf_buf_printf(&rel, ":%d", u->port);
    if (u->path && u->path[0] != '/')
      sheaf_buf_putc(&rel, '/');
    sheaf_buf_puts(&rel, u->path ? u->path : "/");
    if (rel.len && rel.ptr[rel.len - 1] == '/')
      break;                         /* a folder: index.html, not an image */
    decoded = sheaf_strdup(rel.ptr); /* xmlParseURI decoded the path */
    sheaf_buf_reset(&rel);
    sheaf_buf_puts(&rel, decoded ? decoded : "");
    sheaf_free(decoded);
    if (pass < 2) {
      hash = strchr(qmark, '#');
      qn = hash ? (size_t)(hash - qmark - 1) : strlen(qmark + 1);
      sheaf_buf_putc(&rel, pass == 0 ? '?' : '@');
      sheaf_buf_put(&rel, qmark + 1, qn);
    }
    if (rel.failed) {
      *nomem = true;
      break;
    }
    {
      const char *w = NULL;
      g = read_under(im, im->assets, rel.ptr, &w, nomem);
      /* The most telling reason wins over "no such file". */
      if (w && (!*why || strcmp(*why, "no such file") == 0))
        *why = w;
    }
  }
  sheaf_buf_fini(&rel);
  xmlFreeURI(u);
  return g;
}

/* Looks an absolute http(s) URL up among the responses of the web
 * archives read as inputs (resources.c), after their redirects. The same
 * size rule as a mirror's files applies. */
static struct img *from_archive(struct sheaf_images *im, const char *url,
                                const char **why, bool *nomem)
{
  const struct sheaf_collection *coll = im->book ? im->book->coll : NULL;
  size_t max = im->opt ? im->opt->max_image_size : 0, len;
  struct sheaf_buf key;
  struct img *g = NULL;
  char *data;
  uint64_t id;
  sheaf_status st;

  if (coll == NULL || sheaf_resources_count(coll) == 0)
    return NULL;
  st = sheaf_resources_find(coll, url, &id, &len);
  if (st == SHEAF_ERR_NOMEM) {
    *nomem = true;
    return NULL;
  }
  if (st != SHEAF_OK) {
    *why = "not in the web archive";
    return NULL;
  }
  if (max && len > max) {
    *why = "larger than --max-image-size";
    return NULL;
  }
  /* Keyed by the stored bytes: the URLs that serve one image share it. */
  sheaf_buf_init(&key, 0);
  sheaf_buf_printf(&key, "archive:%llu:%zu", (unsigned long long)id, len);
  if (key.failed) {
    *nomem = true;
    return NULL;
  }
  if ((g = find_img(im, key.ptr)) == NULL) {
    st = sheaf_resources_read(coll, id, len, &data);
    if (st == SHEAF_OK) {
      g = add_img(im, key.ptr, data, len);
      if (!g)
        *nomem = true;
    } else if (st == SHEAF_ERR_NOMEM) {
      *nomem = true;
    } else {
      *why = "cannot be read back from the temporary file";
    }
  }
  sheaf_buf_fini(&key);
  return g;
}

/* Finds the local image `raw` names for the article of `src`. */
static struct img *locate(struct sheaf_images *im, const struct sheaf_layout_src *src,
                          const char *raw, const char **why, bool *nomem)
{
  struct sheaf_str t = sheaf_str_trim((struct sheaf_str){raw, strlen(raw)});
  const struct sheaf_article *a = src->article;
  char *url = sheaf_strndup(t.p, t.n), *abs = NULL;
  struct img *g = NULL;
  const char *local_why = NULL; /* why it is not beside the input */
  size_t sl = 0;
  bool rel, feed_item;

  *why = NULL;
  if (!url) {
    *nomem = true;
    return NULL;
  }
  if (t.n == 0) {
    *why = "no source given";
    goto out;
  }
  if (sheaf_starts_with_ci(url, "data:")) {
    g = read_data_url(im, url, why, nomem);
    goto out;
  }
  if (sheaf_starts_with_ci(url, "file:")) {
    const char *p = url + 5, *roots[3];
    char *path;
    size_t k, nr = 0;
    if (p[0] == '/' && p[1] == '/') {
      p += 2;
      if (sheaf_starts_with_ci(p, "localhost"))
        p += 9;
      if (*p != '/') {
        *why = "a file: URL on another host";
        goto out;
      }
    }
    path = pct_decode(p, strcspn(p, "?#"), nomem);
    if (!path) {
      *why = "a malformed file: URL";
      goto out;
    }
    roots[nr] = input_dir(im, src->file, nomem);
    nr += roots[nr] != NULL;
    if (im->assets)
      roots[nr++] = im->assets;
    if (a && (roots[nr] = uploads_dir(im, a->feed, nomem)) != NULL)
      nr++;
    *why = "outside the folders images may come from";
    for (k = 0; k < nr && !g && !*nomem; k++) {
      size_t rl = strlen(roots[k]);
      if (strncmp(path, roots[k], rl) == 0 && path[rl] == '/')
        g = read_under(im, roots[k], path + rl + 1, why, nomem);
    }
    sheaf_free(path);
    goto out;
  }
  sl = sheaf_url_scheme(url);
  if (sl && !sheaf_starts_with_ci(url, "http:") && !sheaf_starts_with_ci(url, "https:")) {
    *why = "an unsupported kind of URL";
    goto out;
  }
  rel = sl == 0 && !(url[0] == '/' && url[1] == '/') && url[0] != '/';
  /* A feed item's relative path is the site's, resolved against the item's
   * link (as its links are): the uploads folder and the mirror come first,
   * the feed file's folder only after them. */
  feed_item = a && a->feed != SHEAF_NO_FEED && src->base_url && *src->base_url;
  if (rel && !feed_item) {
    /* A relative path: beside the input file first. */
    const char *dir = input_dir(im, src->file, nomem);
    if (dir) {
      char *path = pct_decode(url, strcspn(url, "?#"), nomem);
      if (!path) {
        *why = "a malformed URL";
        goto out;
      }
      g = read_under(im, dir, path, &local_why, nomem);
      sheaf_free(path);
      /* An escape attempt is not tried online either. */
      if (g || *nomem || (local_why && strncmp(local_why, "outside", 7) == 0)) {
        *why = local_why;
        goto out;
      }
    }
  }
  if (sl) {
    abs = sheaf_strdup(url);
  } else if (src->base_url && *src->base_url) {
    abs = sheaf_url_resolve(url, src->base_url);
  }
  if (!abs) {
    *why = local_why ? local_why : "no such file beside the input";
    goto out;
  }
  if (!sheaf_starts_with_ci(abs, "http:") && !sheaf_starts_with_ci(abs, "https:")) {
    *why = local_why ? local_why : "an unsupported kind of URL";
    goto out;
  }
  {
    const char *w1 = NULL, *w2 = NULL, *w3 = NULL;
    if (a)
      g = from_uploads(im, a->feed, src->file, abs, &w1, nomem);
    if (!g && !*nomem)
      g = from_mirror(im, abs, &w2, nomem);
    if (!g && !*nomem)
      g = from_archive(im, abs, &w3, nomem);
    if (!g && !*nomem && rel && feed_item) {
      const char *dir = input_dir(im, src->file, nomem);
      char *path = dir ? pct_decode(url, strcspn(url, "?#"), nomem) : NULL;
      if (path) {
        g = read_under(im, dir, path, &local_why, nomem);
        sheaf_free(path);
      }
      if (g)
        goto out;
    }
    if (!g && w3 && strcmp(w3, "not in the web archive") != 0)
      *why = w3; /* in the archive, but over the size limit */
    else if (!g && local_why && strcmp(local_why, "no such file") != 0)
      *why = local_why; /* e.g. a folder, or not an image */
    else if (!g && local_why)
      *why = im->assets ? "no such file beside the input or in the --assets mirror"
                        : "no such file beside the input";
    else if (!g)
      *why = w2   ? (strcmp(w2, "no such file") == 0 ? "not in the --assets mirror" : w2)
             : w1 ? (strcmp(w1, "no such file") == 0 ? "not in the uploads folder" : w1)
                  : "remote, and no local copy (see --assets)";
  }
out:
  sheaf_free(abs);
  sheaf_free(url);
  if (g && g->why) {
    *why = g->why;
    g = NULL;
  }
  return g;
}

/* ---- choosing among candidates ------------------------------------------- */

/* The best local picture among `cands` (see sheaf_images_resolve()), or
 * NULL with *why saying why the first candidate could not be used. */
static struct img *choose(struct sheaf_images *im, const struct sheaf_layout_src *src,
                          const struct sheaf_image_cand *cands, size_t n,
                          const char **why, bool *nomem)
{
  struct img *best = NULL;
  size_t best_i = 0, i;
  size_t max = im->opt && im->opt->max_image_width ? im->opt->max_image_width : 1600;
  unsigned best_w = 0;

  *why = NULL;
  for (i = 0; i < n; i++) {
    const char *w = NULL;
    struct img *g;
    unsigned width;
    if (i && cands[i].fallback && best)
      break; /* <noscript> copies count only when nothing else was found */
    g = locate(im, src, cands[i].url, &w, nomem);
    if (*nomem)
      return NULL;
    /* locate() may grow im->imgs: hold the best by index, not pointer. */
    best = best ? &im->imgs[best_i] : NULL;
    if (!g) {
      if (!*why)
        *why = w;
      continue;
    }
    width = cands[i].width ? cands[i].width : g->width;
    /* At equal width a WebP gives way: converting it would lose detail a
     * JPEG or PNG of the same picture keeps. */
    if (!best ||
        (width <= max ? (best_w > max || width > best_w)
                      : (best_w > max && width < best_w)) ||
        (width == best_w && best->webp && !g->webp)) {
      best = g;
      best_i = (size_t)(g - im->imgs);
      best_w = width;
    }
  }
  return best;
}

static sheaf_status resolve_locked(struct sheaf_images *im,
                                   const struct sheaf_layout_src *src,
                                   const struct sheaf_image_cand *cands, size_t n,
                                   char **href, const char **why)
{
  struct img *best;
  const char *failed = NULL; /* why the best candidate could not be converted */
  bool nomem = false;

  *href = NULL;
  *why = NULL;
  /* A candidate that fails to decode is marked (g->why) and the choice
   * made again without it; each round marks one, so this ends. */
  for (;;) {
    struct converted c;
    size_t idx;
    bool ok;
    best = choose(im, src, cands, n, why, &nomem);
    if (nomem)
      return SHEAF_ERR_NOMEM;
    if (!best)
      break;
    if (best->final) /* (one that failed is never chosen) */
      break;
    if (best->converting) { /* on another thread: wait for it, choose again */
      pthread_cond_wait(&im->converted, &im->mu);
      continue;
    }
    /* Convert with the registry unlocked, so chapters on other threads
     * convert theirs meanwhile; nobody else touches best's bytes while
     * `converting` is set. im->imgs may move: hold the index. */
    best->converting = true;
    idx = (size_t)(best - im->imgs);
    {
      const char *type = best->type, *data = best->data;
      size_t len = best->len;
      pthread_mutex_unlock(&im->mu);
      convert(im, type, data, len, &c);
      pthread_mutex_lock(&im->mu);
    }
    best = &im->imgs[idx];
    best->converting = false;
    pthread_cond_broadcast(&im->converted);
    ok = apply(best, &c);
    sheaf_free(c.r.data);
    if (!ok)
      return SHEAF_ERR_NOMEM;
    if (best->why && !failed)
      failed = best->why;
  }
  if (!best) {
    im->missing++;
    if (failed)
      *why = failed;
    if (!*why)
      *why = "no source given";
    return SHEAF_OK;
  }
  if (!best->used) {
    best->used = true;
    best->used_seq = ++im->used_seq;
    im->bytes += best->len;
    if (spool_img(im, best) != SHEAF_OK)
      return SHEAF_ERR_NOMEM;
  }
  im->embedded++;
  {
    struct sheaf_buf b;
    sheaf_buf_init(&b, 0);
    sheaf_buf_printf(&b, "../images/%s.%s", best->hash, best->ext);
    *href = sheaf_buf_detach(&b, NULL);
    if (!*href)
      return SHEAF_ERR_NOMEM;
  }
  return SHEAF_OK;
}

sheaf_status sheaf_images_resolve(struct sheaf_images *im,
                                  const struct sheaf_layout_src *src,
                                  const struct sheaf_image_cand *cands, size_t n,
                                  char **href, const char **why)
{
  sheaf_status ret;

  /* Files are read and hashed once, and the registry's tables grow,
   * whichever thread finds them first; only the conversion itself runs
   * unlocked (resolve_locked()). What a chapter gets does not depend on
   * that order (an image's name is its content's hash). */
  pthread_mutex_lock(&im->mu);
  ret = resolve_locked(im, src, cands, n, href, why);
  pthread_mutex_unlock(&im->mu);
  return ret;
}

uint64_t sheaf_images_bytes(const struct sheaf_images *im)
{
  return im->bytes;
}

void sheaf_images_mark(struct sheaf_images *im, struct sheaf_images_mark *m)
{
  pthread_mutex_lock(&im->mu);
  m->embedded = im->embedded;
  m->missing = im->missing;
  m->no_alt = im->no_alt;
  m->bytes = im->bytes;
  m->used_seq = im->used_seq;
  pthread_mutex_unlock(&im->mu);
}

void sheaf_images_rollback(struct sheaf_images *im, const struct sheaf_images_mark *m)
{
  size_t i;

  pthread_mutex_lock(&im->mu);
  /* Converted and spooled, they stay known; only a later use adds them to
   * the book again. */
  for (i = 0; i < im->nimgs; i++)
    if (im->imgs[i].used && im->imgs[i].used_seq > m->used_seq)
      im->imgs[i].used = false;
  im->embedded = m->embedded;
  im->missing = m->missing;
  im->no_alt = m->no_alt;
  im->bytes = m->bytes;
  im->used_seq = m->used_seq;
  pthread_mutex_unlock(&im->mu);
}

void sheaf_images_uncount(struct sheaf_images *im, const struct sheaf_images_mark *before,
                          const struct sheaf_images_mark *after)
{
  pthread_mutex_lock(&im->mu);
  im->embedded -= after->embedded - before->embedded;
  im->missing -= after->missing - before->missing;
  im->no_alt -= after->no_alt - before->no_alt;
  pthread_mutex_unlock(&im->mu);
}

size_t sheaf_images_pick(const struct sheaf_image_cand *cands, size_t n, size_t max_width)
{
  size_t i, best = n, max = max_width ? max_width : 1600;
  unsigned best_w = 0;

  for (i = 0; i < n; i++) {
    unsigned width = cands[i].width;
    if (cands[i].fallback && best < n)
      break; /* as in sheaf_images_resolve() */
    if (sheaf_starts_with_ci(cands[i].url, "data:"))
      continue;
    if (best == n || (width <= max ? (best_w > max || width > best_w)
                                   : (best_w > max && width < best_w))) {
      best = i;
      best_w = width;
    }
  }
  return best;
}

sheaf_status sheaf_images_read_file(struct sheaf_images *im, const char *path,
                                    const char **type, const char **ext, char **data,
                                    size_t *len)
{
  char *real = realpath(path, NULL), *dir = NULL;
  const char *why = NULL;
  struct img *g = NULL;
  bool nomem = false;

  *data = NULL;
  if (real) {
    const char *slash = strrchr(real, '/');
    dir = sheaf_strndup(real, slash == real ? 1 : (size_t)(slash - real));
    if (dir)
      g = read_under(im, slash == real ? "/" : dir, slash + 1, &why, &nomem);
    else
      nomem = true;
  }
  free(real);
  sheaf_free(dir);
  if (nomem)
    return SHEAF_ERR_NOMEM;
  if (!g || g->why || !g->data) /* (an article's picture, already spooled) */
    return SHEAF_ERR_IO;
  *type = g->type;
  *ext = g->ext;
  *len = g->len;
  *data = sheaf_malloc(g->len ? g->len : 1);
  if (!*data)
    return SHEAF_ERR_NOMEM;
  memcpy(*data, g->data, g->len);
  return SHEAF_OK;
}

void sheaf_images_record_reads(struct sheaf_images *im, struct sheaf_fileset *read)
{
  if (im)
    im->read = read;
}

/* ---- into the manuscript ------------------------------------------------- */

static int by_hash(const void *x, const void *y)
{
  const struct img *const *a = x, *const *b = y;

  return strcmp((*a)->hash, (*b)->hash);
}

sheaf_status sheaf_images_add_docs(struct sheaf_images *im, struct sheaf_manuscript *ms)
{
  struct img **list;
  size_t i, n = 0;
  sheaf_status ret = SHEAF_OK;

  if (!im || im->nimgs == 0)
    return SHEAF_OK;
  list = sheaf_calloc(im->nimgs, sizeof *list);
  if (!list)
    return SHEAF_ERR_NOMEM;
  for (i = 0; i < im->nimgs; i++)
    if (im->imgs[i].used)
      list[n++] = &im->imgs[i];
  /* By hash: a fixed order, and equal bytes from two files side by side. */
  qsort(list, n, sizeof *list, by_hash);
  for (i = 0; i < n && ret == SHEAF_OK; i++) {
    struct sheaf_doc doc;
    struct sheaf_buf h;
    if (i && strcmp(list[i]->hash, list[i - 1]->hash) == 0)
      continue;
    memset(&doc, 0, sizeof doc);
    sheaf_buf_init(&h, 0);
    sheaf_buf_printf(&h, "images/%s.%s", list[i]->hash, list[i]->ext);
    doc.href = sheaf_buf_detach(&h, NULL);
    sheaf_buf_reset(&h);
    sheaf_buf_printf(&h, "img-%s", list[i]->hash);
    doc.id = sheaf_buf_detach(&h, NULL);
    sheaf_buf_fini(&h);
    doc.media_type = sheaf_strdup(list[i]->type);
    doc.data = list[i]->data;
    doc.len = list[i]->len;
    doc.date = SHEAF_TIME_UNKNOWN;
    doc.spooled = list[i]->spooled;
    doc.spool_idx = list[i]->spool_idx;
    list[i]->data = NULL; /* the manuscript owns it now */
    if (!doc.data && !doc.spooled)
      doc.data = sheaf_strdup("");
    if (!doc.href || !doc.id || !doc.media_type || (!doc.data && !doc.spooled)) {
      sheaf_doc_fini(&doc);
      ret = SHEAF_ERR_NOMEM;
    } else if (!sheaf_manuscript_add(ms, &doc)) {
      ret = SHEAF_ERR_NOMEM;
    }
  }
  sheaf_free(list);
  return ret;
}
