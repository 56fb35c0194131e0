/*
 * This file contains sheaf_layout(), the layout stage's entry: it lays out
 * the cover, the title page, one XHTML document per chapter, the colophon,
 * the images the chapters embed and the stylesheets (the embedded default
 * and the user's --css) into a manuscript, with the hrefs, ids, properties
 * and landmarks the package stage relies on.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "layout/layout.h"

#include "assets.inc"

static sheaf_status add_props(struct sheaf_manuscript *ms, const char *href,
                              const char *id, const char *media_type,
                              struct sheaf_buf *data, const char *title, int64_t date,
                              bool in_spine, const char *landmark, size_t chapter,
                              const char *properties)
{
  struct sheaf_doc doc;

  memset(&doc, 0, sizeof doc);
  doc.href = sheaf_strdup(href);
  doc.id = sheaf_strdup(id);
  doc.media_type = sheaf_strdup(media_type);
  doc.title = title ? sheaf_strdup(title) : NULL;
  doc.data = sheaf_buf_detach(data, &doc.len);
  doc.date = date;
  doc.in_spine = in_spine;
  doc.linear = in_spine;
  doc.properties = properties;
  doc.landmark = landmark;
  doc.chapter = chapter;
  if (!doc.href || !doc.id || !doc.media_type || !doc.data || (title && !doc.title)) {
    sheaf_doc_fini(&doc);
    return SHEAF_ERR_NOMEM;
  }
  return sheaf_manuscript_add(ms, &doc) ? SHEAF_OK : SHEAF_ERR_NOMEM;
}

static sheaf_status add(struct sheaf_manuscript *ms, const char *href, const char *id,
                        const char *media_type, struct sheaf_buf *data, const char *title,
                        int64_t date, bool in_spine, const char *landmark, size_t chapter)
{
  return add_props(ms, href, id, media_type, data, title, date, in_spine, landmark,
                   chapter, NULL);
}

/* Reads the user's stylesheet (--css) into `b`, recording the file in
 * `reads`. Like the inputs, only a regular file is read: /dev/zero would
 * never end and a FIFO without a writer would block forever. */
static sheaf_status read_css(const char *path, const sheaf_options *opt,
                             struct sheaf_fileset *reads, struct sheaf_buf *b,
                             sheaf_diag *diag)
{
  size_t max = SHEAF_LIMIT(opt, max_input_size, SHEAF_DEFAULT_MAX_INPUT_SIZE);
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  sheaf_status ret = SHEAF_OK;
  char chunk[65536], sz[32];
  struct stat st;
  ssize_t n;

  if (fd < 0 || fstat(fd, &st) != 0) {
    sheaf_diag_add(diag, SHEAF_ERROR, "io", path, 0, 0,
                   "cannot read the stylesheet given with --css: %s", strerror(errno));
    ret = SHEAF_ERR_IO;
    goto out;
  }
  if (!S_ISREG(st.st_mode)) {
    sheaf_diag_add(diag, SHEAF_ERROR, "io", path, 0, 0,
                   "cannot read the stylesheet given with --css: it is %s, not a "
                   "regular file (save it to a file first)",
                   sheaf_file_kind((unsigned)st.st_mode));
    ret = SHEAF_ERR_IO;
    goto out;
  }
  if (!sheaf_fileset_add(reads, (uint64_t)st.st_dev, (uint64_t)st.st_ino, path)) {
    ret = SHEAF_ERR_NOMEM;
    goto out;
  }
  b->max = max;
  for (;;) {
    if (opt && opt->cancel && opt->cancel(opt->cancel_userdata)) {
      ret = SHEAF_ERR_CANCELLED;
      goto out;
    }
    n = read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    if (b->len + (size_t)n > max) {
      sheaf_diag_add(diag, SHEAF_ERROR, "limit", path, 0, 0,
                     "the stylesheet given with --css is larger than %s "
                     "(--max-input-size)",
                     sheaf_size_str(max, sz));
      ret = SHEAF_ERR_LIMIT;
      goto out;
    }
    sheaf_buf_put(b, chunk, (size_t)n);
  }
  if (n < 0) {
    sheaf_diag_add(diag, SHEAF_ERROR, "io", path, 0, 0,
                   "cannot read the stylesheet given with --css: %s", strerror(errno));
    ret = SHEAF_ERR_IO;
    goto out;
  }
  if (b->failed) {
    ret = SHEAF_ERR_NOMEM;
    goto out;
  }
  if (!sheaf_utf8_valid(b->ptr, b->len)) {
    sheaf_diag_add(diag, SHEAF_ERROR, "usage", path, 0, 0,
                   "the stylesheet given with --css is not UTF-8 text");
    ret = SHEAF_ERR_USAGE;
    goto out;
  }
  if (strstr(b->ptr, "url(") || strstr(b->ptr, "@import"))
    sheaf_diag_add(diag, SHEAF_WARNING, "css-reference", path, 0, 0,
                   "the stylesheet given with --css refers to other files "
                   "(url() or @import), which are not put in the book");
out:
  b->max = 0;
  if (fd >= 0)
    close(fd);
  return ret;
}

/* The generated cover, drawn on a thread of its own while the chapters are
 * laid out: it depends only on the book's metadata, and pango, cairo and
 * libjpeg take as long as a few hundred chapters. Its diagnostics wait in
 * a private collector and are replayed before any later one, so they come
 * out where a serial build puts them. */
struct cover_job {
  struct sheaf_layout_ctx cx; /* diag: the private collector */
  sheaf_diag *main;           /* the book's collector */
  struct sheaf_buf out;       /* the JPEG */
  sheaf_status st;
  pthread_t tid;
  bool running;  /* started, not joined */
  bool done;     /* joined (or drawn inline) and its diagnostics replayed */
  bool finished; /* the thread is over (atomic) */
};

static void *cover_thread(void *arg)
{
  struct cover_job *job = arg;

  job->st = sheaf_layout_cover_jpeg(&job->cx, &job->out);
  __atomic_store_n(&job->finished, true, __ATOMIC_RELEASE);
  return NULL;
}

/* Whether cover_join() would not wait. */
static bool cover_ready(void *ud)
{
  struct cover_job *job = ud;

  return job->done || !job->running || __atomic_load_n(&job->finished, __ATOMIC_ACQUIRE);
}

/* Waits for the cover and replays its diagnostics (once). Returns its
 * status. */
static sheaf_status cover_join(void *ud)
{
  struct cover_job *job = ud;

  if (job->running) {
    pthread_join(job->tid, NULL);
    job->running = false;
  }
  if (!job->done) {
    sheaf_diag_replay(job->main, job->cx.diag);
    job->done = true;
  }
  return job->st;
}

/* Starts drawing the cover: on a thread when the build has more than one
 * (and one can be had), else right here. */
static sheaf_status cover_start(struct cover_job *job, const struct sheaf_layout_ctx *cx)
{
  job->cx = *cx;
  job->main = cx->diag;
  sheaf_buf_init(&job->out, 0);
  if (sheaf_spool_threads(cx->opt ? cx->opt->threads : 0) > 1 &&
      (job->cx.diag = sheaf_diag_new()) != NULL) {
    job->done = false;
    if (pthread_create(&job->tid, NULL, cover_thread, job) == 0) {
      job->running = true;
      return SHEAF_OK;
    }
    sheaf_diag_free(job->cx.diag);
  }
  job->cx.diag = cx->diag;
  job->done = true;
  job->st = sheaf_layout_cover_jpeg(&job->cx, &job->out);
  return job->st;
}

/* Joins the cover (replaying its diagnostics if nothing did yet) and frees
 * what the job holds. */
static void cover_fini(struct cover_job *job)
{
  cover_join(job);
  if (job->cx.diag != job->main)
    sheaf_diag_free(job->cx.diag);
  job->cx.diag = NULL;
  sheaf_buf_fini(&job->out);
}

/* The cover: the user's picture (--cover) or a generated JPEG, and the page
 * that shows it, first in the spine. A generated picture is left to `job`:
 * img->data is filled in by cover_picture(). */
static sheaf_status cover(struct sheaf_manuscript *ms, const struct sheaf_layout_ctx *cx,
                          struct sheaf_buf *b, struct sheaf_doc *img,
                          struct cover_job *job)
{
  const char *path = cx->opt ? cx->opt->cover : NULL;
  char href[32], page_href[40];
  sheaf_status ret = SHEAF_OK;
  struct sheaf_doc doc;

  memset(&doc, 0, sizeof doc);
  doc.date = SHEAF_TIME_UNKNOWN;
  if (path && *path) {
    const char *type = NULL, *ext = NULL;
    ret = sheaf_images_read_file(cx->images, path, &type, &ext, &doc.data, &doc.len);
    if (ret == SHEAF_ERR_IO) {
      sheaf_diag_add(cx->diag, SHEAF_ERROR, "io", path, 0, 0,
                     "cannot use --cover: not a readable image file");
      return ret;
    }
    SHEAF_CHECK(ret);
    if (strcmp(type, "image/jpeg") != 0 && strcmp(type, "image/png") != 0) {
      sheaf_diag_add(cx->diag, SHEAF_ERROR, "usage", path, 0, 0,
                     "--cover wants a JPEG or PNG image, not %s", type);
      ret = SHEAF_ERR_USAGE;
      goto out;
    }
    snprintf(href, sizeof href, "images/cover.%s", ext);
    doc.media_type = sheaf_strdup(type);
  } else {
    SHEAF_CHECK(cover_start(job, cx));
    snprintf(href, sizeof href, "images/cover.jpg");
    doc.media_type = sheaf_strdup("image/jpeg");
  }
  doc.href = sheaf_strdup(href);
  doc.id = sheaf_strdup("cover-image");
  doc.properties = "cover-image";
  if (!doc.href || !doc.id || !doc.media_type || (path && *path && !doc.data)) {
    ret = SHEAF_ERR_NOMEM;
    goto out;
  }
  /* Pages go first in the spine; the picture is added after them. */
  snprintf(page_href, sizeof page_href, "../%s", href);
  sheaf_buf_reset(b);
  SHEAF_CHECK(sheaf_layout_cover_page(cx, page_href, b));
  SHEAF_CHECK(add(ms, "text/cover.xhtml", "cover", "application/xhtml+xml", b, NULL,
                  SHEAF_TIME_UNKNOWN, true, "cover", 0));
  *img = doc; /* the caller adds it after the spine documents */
  return SHEAF_OK;
out:
  sheaf_doc_fini(&doc);
  return ret;
}

/* Gives the generated picture (if any) to `img`, once drawn. */
static sheaf_status cover_picture(struct cover_job *job, struct sheaf_doc *img)
{
  sheaf_status ret = cover_join(job);

  if (ret != SHEAF_OK || img->href == NULL || img->data != NULL)
    return ret;
  if ((img->data = sheaf_buf_detach(&job->out, &img->len)) == NULL)
    return SHEAF_ERR_NOMEM;
  return SHEAF_OK;
}

/* The time shown in the colophon: the same as the package's modification
 * time (SOURCE_DATE_EPOCH, else the newest article), never the clock. */
static int64_t built_time(const struct sheaf_book *book, const sheaf_options *opt,
                          struct sheaf_layout_ctx *cx)
{
  if (opt && opt->source_date_epoch >= 0) {
    cx->built_from = SHEAF_BUILT_SDE;
    return (int64_t)opt->source_date_epoch;
  }
  if (book->modified != SHEAF_TIME_UNKNOWN && book->modified >= 0) {
    cx->built_from = SHEAF_BUILT_NEWEST;
    return book->modified;
  }
  cx->built_from = SHEAF_BUILT_FIXED;
  return INT64_C(946684800); /* 2000-01-01, as the package stage */
}

static sheaf_status stylesheets(struct sheaf_manuscript *ms,
                                const struct sheaf_layout_ctx *cx, struct sheaf_buf *b)
{
  sheaf_status ret = SHEAF_OK;
  size_t i;

  for (i = 0; embedded_assets[i].name; i++)
    if (strcmp(embedded_assets[i].name, "sheaf.css") == 0)
      break;
  sheaf_buf_reset(b);
  if (embedded_assets[i].name)
    sheaf_buf_put(b, embedded_assets[i].data, embedded_assets[i].len);
  else
    sheaf_buf_puts(b, "/* sheaf */\n");
  if (b->failed)
    SHEAF_CHECK(SHEAF_ERR_NOMEM);
  SHEAF_CHECK(add(ms, "styles/sheaf.css", "css", "text/css", b, NULL, SHEAF_TIME_UNKNOWN,
                  false, NULL, 0));
  if (cx->user_css) {
    sheaf_buf_reset(b);
    SHEAF_CHECK(read_css(cx->opt->css, cx->opt, &ms->read, b, cx->diag));
    SHEAF_CHECK(add(ms, "styles/user.css", "user-css", "text/css", b, NULL,
                    SHEAF_TIME_UNKNOWN, false, NULL, 0));
  }
out:
  return ret;
}

struct chapter_commit {
  struct sheaf_manuscript *ms;
  const struct sheaf_layout_ctx *cx;
};

/* Adds chapter i's document to the manuscript (on the caller's thread, in
 * chapter order: layout/parallel.c). */
static sheaf_status commit_chapter(void *ud, size_t i, struct sheaf_buf *b)
{
  struct chapter_commit *cm = ud;
  const struct sheaf_article *a = cm->cx->book->chapters[i];
  /* A spilled article's title stays in the spool (NULL) until the
   * contents are written. */
  const char *title =
      !sheaf_article_titled(a)
          ? sheaf_labels_for(sheaf_layout_article_lang(cm->cx, a))->untitled
      : a->spilled ? NULL
                   : a->title;
  size_t len;
  char *data;

  /* Committed in order: chapter i is the manuscript's next one. */
  if (i != cm->ms->nchapters)
    return SHEAF_ERR_INTERNAL;
  data = sheaf_buf_detach(b, &len);
  if (!data)
    return SHEAF_ERR_NOMEM;
  return sheaf_manuscript_add_chapter(cm->ms, title, data, len) ? SHEAF_OK
                                                                : SHEAF_ERR_NOMEM;
}

/* The chapters a keeping weigher prepared (weigh.c), in order: each kept
 * one as it was spooled, the others laid out again here. Serial: the work
 * was done while weighing. */
static sheaf_status prepared_chapters(struct chapter_commit *cm,
                                      struct sheaf_layout_prep *prep)
{
  const struct sheaf_layout_ctx *cx = cm->cx;
  const struct sheaf_book *book = cx->book;
  struct sheaf_buf b;
  struct sheaf_article_view view;
  sheaf_status ret = SHEAF_OK;
  size_t i;

  sheaf_buf_init(&b, 0);
  sheaf_article_view_init(&view);
  for (i = 0; i < book->nchapters; i++) {
    const struct sheaf_article *a = book->chapters[i];
    size_t idx = 0, len = 0;
    enum sheaf_prep_use use;
    if (cx->opt && cx->opt->cancel && cx->opt->cancel(cx->opt->cancel_userdata)) {
      ret = SHEAF_ERR_CANCELLED;
      goto out;
    }
    if (cx->opt && cx->opt->progress)
      cx->opt->progress("layout", i, book->nchapters, cx->opt->progress_userdata);
    use = sheaf_layout_prep_chapter(prep, cx, cm->ms->spool, a, i + 1, &idx, &len, &b,
                                    &ret);
    SHEAF_CHECK(ret);
    if (use == SHEAF_PREP_RELINKED) {
      SHEAF_CHECK(commit_chapter(cm, i, &b));
      continue;
    }
    if (use == SHEAF_PREP_KEPT) {
      struct sheaf_doc doc;
      char href[48], id[32];
      snprintf(id, sizeof id, "ch%04zu", i + 1);
      snprintf(href, sizeof href, "text/%s.xhtml", id);
      memset(&doc, 0, sizeof doc);
      doc.href = sheaf_strdup(href);
      doc.id = sheaf_strdup(id);
      doc.media_type = sheaf_strdup("application/xhtml+xml");
      if (!sheaf_article_titled(a))
        doc.title =
            sheaf_strdup(sheaf_labels_for(sheaf_layout_article_lang(cx, a))->untitled);
      else if ((ret = sheaf_article_view(book->coll, a, &view)) != SHEAF_OK) {
        sheaf_doc_fini(&doc);
        goto out;
      } else
        doc.title = sheaf_strdup(view.a.title);
      doc.len = len;
      doc.spooled = true;
      doc.spool_idx = idx;
      doc.date = a->published;
      doc.in_spine = doc.linear = true;
      doc.landmark = i == 0 ? "bodymatter" : NULL;
      doc.chapter = i + 1;
      if (!doc.href || !doc.id || !doc.media_type || !doc.title) {
        sheaf_doc_fini(&doc);
        SHEAF_CHECK(SHEAF_ERR_NOMEM);
      }
      if (!sheaf_manuscript_add(cm->ms, &doc))
        SHEAF_CHECK(SHEAF_ERR_NOMEM);
      continue;
    }
    sheaf_buf_reset(&b);
    SHEAF_CHECK(sheaf_layout_chapter(cx, a, i + 1, &b));
    SHEAF_CHECK(commit_chapter(cm, i, &b));
  }
out:
  sheaf_article_view_fini(&view);
  sheaf_buf_fini(&b);
  return ret;
}

static sheaf_manuscript *lay_out(const sheaf_book *book, const sheaf_options *options,
                                 sheaf_diag *diag, struct sheaf_layout_prep *prep,
                                 struct sheaf_ahead *ahead, sheaf_status *status)
{
  sheaf_options local;
  const sheaf_options *opt = &local;
  struct sheaf_manuscript *ms = NULL;
  struct sheaf_layout_ctx cx;
  struct sheaf_doc cover_img;
  struct sheaf_images *images = NULL, *cover_images = NULL;
  struct sheaf_links *links = NULL;
  struct sheaf_selectors *remove = NULL;
  struct sheaf_buf b;
  struct chapter_commit cm;
  struct cover_job job;
  sheaf_status ret = SHEAF_OK;
  size_t embedded, missing;

  sheaf_buf_init(&b, 0);
  memset(&cover_img, 0, sizeof cover_img);
  /* Done: nothing to wait for until cover() starts it. */
  memset(&job, 0, sizeof job);
  job.done = true;
  job.main = diag;
  if (book == NULL) {
    ret = SHEAF_ERR_USAGE;
    goto out;
  }
  SHEAF_CHECK(sheaf_options_resolve(options, &local, diag));
  /* A bad --remove selector fails before any work. */
  if (opt && opt->nremove &&
      (remove = sheaf_selectors_parse(opt->remove, opt->nremove, diag, &ret)) == NULL)
    goto out;
  ms = sheaf_calloc(1, sizeof *ms);
  if (!ms) {
    ret = SHEAF_ERR_NOMEM;
    goto out;
  }
  ms->book = book;
  /* Documents are deflated on worker threads as they are laid out, and
   * kept compressed in a temporary file until the package stage. */
  if (!prep && !(ms->spool = sheaf_spool_new(opt ? opt->threads : 0))) {
    ret = SHEAF_ERR_NOMEM;
    goto out;
  }
  if (prep) {
    /* The weigher converted the pictures and spooled the chapters: its
     * spool is the book's, and so are the files it read. */
    images = sheaf_layout_prep_images(prep, &ms->spool, &ms->read);
    if (!images || !ms->spool) {
      sheaf_images_free(images);
      images = NULL;
      ret = SHEAF_ERR_USAGE;
      goto out;
    }
    /* The --cover file is read as a book reads it, apart from the pictures
     * the chapters already took (a spooled picture's bytes are not at
     * hand). */
    if (opt && opt->cover && *opt->cover) {
      cover_images = sheaf_images_new(book, opt, diag, &ret);
      if (!cover_images)
        goto out;
      sheaf_images_record_reads(cover_images, &ms->read);
    }
  } else {
    images = sheaf_images_new(book, opt, diag, &ret);
    if (!images)
      goto out;
  }
  sheaf_images_record_reads(images, &ms->read);
  sheaf_images_set_spool(images, ms->spool);
  links = sheaf_links_new(book, &ret);
  if (!links)
    goto out;
  memset(&cx, 0, sizeof cx);
  cx.book = book;
  cx.opt = opt;
  cx.diag = diag;
  cx.images = images;
  cx.links = links;
  cx.remove = remove;
  cx.user_css = opt && opt->css && *opt->css;
  cx.built = built_time(book, opt, &cx);
  cx.ahead = ahead;

  if (cover_images) {
    struct sheaf_layout_ctx ccx = cx;
    ccx.images = cover_images;
    SHEAF_CHECK(cover(ms, &ccx, &b, &cover_img, &job));
  } else {
    SHEAF_CHECK(cover(ms, &cx, &b, &cover_img, &job));
  }
  sheaf_buf_reset(&b);
  SHEAF_CHECK(sheaf_layout_titlepage(&cx, &b));
  SHEAF_CHECK(add(ms, "text/title.xhtml", "titlepage", "application/xhtml+xml", &b, NULL,
                  SHEAF_TIME_UNKNOWN, true, "titlepage", 0));

  /* The chapters on every core (one per --threads), committed in order. */
  cm.ms = ms;
  cm.cx = &cx;
  if (prep) {
    /* The prepared chapters' diagnostics come after the cover's. */
    SHEAF_CHECK(cover_join(&job));
    SHEAF_CHECK(prepared_chapters(&cm, prep));
  } else {
    if (!job.done) {
      cx.before_diag = cover_join;
      cx.before_diag_ud = &job;
      cx.diag_ready = cover_ready;
    }
    SHEAF_CHECK(sheaf_layout_chapters(&cx, sheaf_spool_threads(opt ? opt->threads : 0),
                                      commit_chapter, &cm));
    cx.before_diag = NULL;
    cx.diag_ready = NULL;
  }
  SHEAF_CHECK(cover_picture(&job, &cover_img));

  if (opt && opt->progress)
    opt->progress("layout", book->nchapters, book->nchapters, opt->progress_userdata);
  sheaf_buf_reset(&b);
  SHEAF_CHECK(sheaf_layout_colophon(&cx, &b));
  SHEAF_CHECK(add(ms, "text/colophon.xhtml", "colophon", "application/xhtml+xml", &b,
                  NULL, SHEAF_TIME_UNKNOWN, true, NULL, 0));

  /* Documents outside the spine: stylesheets, the cover picture, images. */
  SHEAF_CHECK(stylesheets(ms, &cx, &b));
  if (cover_img.href) {
    bool ok = sheaf_manuscript_add(ms, &cover_img);
    memset(&cover_img, 0, sizeof cover_img);
    if (!ok)
      SHEAF_CHECK(SHEAF_ERR_NOMEM);
  }
  SHEAF_CHECK(sheaf_images_add_docs(images, ms));
  SHEAF_CHECK(sheaf_spool_finish(ms->spool, diag));
  sheaf_selectors_report(remove, diag);
  sheaf_images_count(images, &embedded, &missing);
  ms->images = embedded;
  ms->images_no_alt = sheaf_images_no_alt(images);
  if (embedded || missing)
    sheaf_diag_add(diag, SHEAF_NOTE, "images", NULL, 0, 0,
                   "images: %zu embedded, %zu not embedded (see the warnings)", embedded,
                   missing);
out:
  /* Never left running; its diagnostics before the failure's note. */
  cover_fini(&job);
  sheaf_doc_fini(&cover_img);
  sheaf_images_free(images);
  sheaf_images_free(cover_images);
  sheaf_links_free(links);
  sheaf_selectors_free(remove);
  sheaf_buf_fini(&b);
  if (ret != SHEAF_OK) {
    if (ret == SHEAF_ERR_NOMEM && diag)
      sheaf_diag_add(diag, SHEAF_ERROR, "nomem", NULL, 0, 0,
                     "out of memory while laying out the book");
    sheaf_manuscript_free(ms);
    ms = NULL;
  }
  if (status)
    *status = ret;
  return ms;
}

sheaf_manuscript *sheaf_layout(const sheaf_book *book, const sheaf_options *options,
                               sheaf_diag *diag, sheaf_status *status)
{
  return lay_out(book, options, diag, NULL, NULL, status);
}

struct sheaf_manuscript *sheaf_layout_ahead(const struct sheaf_book *book,
                                            const sheaf_options *opt, sheaf_diag *diag,
                                            struct sheaf_ahead *ahead,
                                            sheaf_status *status)
{
  return lay_out(book, opt, diag, NULL, ahead, status);
}

struct sheaf_manuscript *sheaf_layout_prepared(const struct sheaf_book *book,
                                               const sheaf_options *opt, sheaf_diag *diag,
                                               struct sheaf_layout_prep *prep,
                                               sheaf_status *status)
{
  return lay_out(book, opt, diag, prep, NULL, status);
}
