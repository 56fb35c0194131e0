/*
 * This file contains sheaf_package(), the last stage of the pipeline: it
 * writes the package document, the navigation documents and the container
 * file, then zips them with every laid-out document into the EPUB, in a
 * fixed order (mimetype first and stored, as OCF requires).
 *
 * Nothing runs beside this stage, so with more than one thread the nav and
 * the NCX are made on threads of their own while the caller's thread makes
 * the package document and the record: each is a pure function of the
 * manuscript, written to a temporary file of its own, so the bytes do not
 * depend on the threads.
 */
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "package/package.h"

static const char mimetype[] = "application/epub+zip";

static const char container_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<container version=\"1.0\" "
    "xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n"
    "  <rootfiles>\n"
    "    <rootfile full-path=\"EPUB/content.opf\" "
    "media-type=\"application/oebps-package+xml\"/>\n"
    "  </rootfiles>\n"
    "</container>\n";

/* Files the package stage writes itself; a document may not reuse them. */
static const char *const reserved[] = {"content.opf", "nav.xhtml", "toc.ncx"};

/* Rejects manuscripts that would make a broken book: missing fields, no
 * spine, or a document clashing with the package's own files. These are
 * programming errors of the layout stage, so they are internal errors. */
static sheaf_status check_manuscript(const struct sheaf_manuscript *ms, sheaf_diag *diag)
{
  bool spine = false;
  size_t i, j;

  for (i = 0; i < sheaf_manuscript_count(ms); i++) {
    struct sheaf_doc_view v;
    const struct sheaf_doc *d = sheaf_manuscript_doc(ms, i, &v);
    if (!d->href || !*d->href || !d->id || !*d->id || !d->media_type ||
        (d->len && !d->data && !d->spooled) || (d->spooled && !ms->spool)) {
      sheaf_diag_add(diag, SHEAF_ERROR, "internal", NULL, 0, 0,
                     "cannot write book: document %zu is incomplete", i + 1);
      return SHEAF_ERR_INTERNAL;
    }
    for (j = 0; j < sizeof reserved / sizeof reserved[0]; j++)
      if (strcmp(d->href, reserved[j]) == 0 || strcmp(d->id, "nav") == 0 ||
          strcmp(d->id, "ncx") == 0) {
        sheaf_diag_add(diag, SHEAF_ERROR, "internal", NULL, 0, 0,
                       "cannot write book: document %s clashes with the "
                       "package's own files",
                       d->href);
        return SHEAF_ERR_INTERNAL;
      }
    spine |= d->in_spine;
  }
  if (!spine) {
    sheaf_diag_add(diag, SHEAF_ERROR, "internal", NULL, 0, 0,
                   "cannot write book: the book has no content documents");
    return SHEAF_ERR_INTERNAL;
  }
  return SHEAF_OK;
}

/* A package document, deflated as it is written (opf.c) into a temporary
 * file: neither the text of a big book's nav, NCX and package document
 * nor its compressed form is held (4.6 MB at 100,000 chapters). */
struct packed {
  int fd;
  uint64_t off, clen;
  size_t len;
  uint32_t crc;
};

static sheaf_status pack(struct sheaf_pkg_out *o, sheaf_status ret, struct packed *p)
{
  if (ret == SHEAF_OK) {
    p->fd = o->fd;
    p->off = o->off;
    p->clen = o->clen;
    p->crc = o->crc;
    p->len = o->len;
  } else if (o->err) {
    ret = SHEAF_ERR_WRITE; /* the temporary file, not memory */
  }
  sheaf_pkg_out_fini(o);
  return ret;
}

enum doc_kind { DOC_OPF, DOC_NAV, DOC_NCX, DOC_RECORD, NDOCS };

/* One package document to make, into its own temporary file (-1: none
 * could be opened). */
struct doc_job {
  enum doc_kind kind;
  const struct sheaf_manuscript *ms;
  const sheaf_options *opt;
  int fd;
  struct packed out;
  sheaf_status ret;
  pthread_t tid;
  bool threaded; /* made on `tid` */
};

static void make_doc(struct doc_job *j)
{
  struct sheaf_pkg_out text;
  sheaf_status ret = SHEAF_ERR_WRITE;

  if (j->fd >= 0) {
    sheaf_pkg_out_init_file(&text, j->fd, 0);
    switch (j->kind) {
    case DOC_OPF:
      ret = sheaf_package_opf(j->ms, j->opt, &text);
      break;
    case DOC_NAV:
      ret = sheaf_package_nav(j->ms, &text);
      break;
    case DOC_NCX:
      ret = sheaf_package_ncx(j->ms, &text);
      break;
    default:
      ret = sheaf_package_record(j->ms->book, &text);
      break;
    }
    ret = pack(&text, ret, &j->out);
  }
  j->ret = ret;
}

static void *doc_thread(void *arg)
{
  make_doc(arg);
  return NULL;
}

/* Makes the four package documents: the nav and the NCX (the two largest
 * after the package document) on threads of their own when `threads` > 1.
 * Returns the first failure, in the documents' order. */
static sheaf_status make_docs(struct doc_job *jobs, const struct sheaf_manuscript *ms,
                              const sheaf_options *opt, unsigned threads)
{
  sheaf_status ret = SHEAF_OK;
  int k;

  for (k = 0; k < NDOCS; k++) {
    struct doc_job *j = &jobs[k];
    memset(j, 0, sizeof *j);
    j->kind = (enum doc_kind)k;
    j->ms = ms;
    j->opt = opt;
    j->out.fd = -1;
    j->fd = sheaf_temp_open();
    if (threads > 1 && (k == DOC_NAV || k == DOC_NCX))
      j->threaded = pthread_create(&j->tid, NULL, doc_thread, j) == 0;
  }
  for (k = 0; k < NDOCS; k++)
    if (!jobs[k].threaded)
      make_doc(&jobs[k]);
  for (k = 0; k < NDOCS; k++) {
    if (jobs[k].threaded)
      pthread_join(jobs[k].tid, NULL);
    if (ret == SHEAF_OK)
      ret = jobs[k].ret;
  }
  return ret;
}

static struct sheaf_zip_entry packed_entry(const char *prefix, const char *name,
                                           const struct packed *p)
{
  return (struct sheaf_zip_entry){.prefix = prefix,
                                  .name = name,
                                  .len = p->len,
                                  .clen = (size_t)p->clen,
                                  .crc = p->crc,
                                  .in_file = true,
                                  .fd = p->fd,
                                  .off = p->off};
}

/* The container's entries: six of its own, then the manuscript's
 * documents, made one at a time (package.h's sheaf_zip_entry_fn) so that a
 * book of a million chapters needs no array of them. */
struct entries {
  const struct sheaf_manuscript *ms;
  struct sheaf_zip_entry head[6];
  struct sheaf_doc_view view;
};

static void entry(void *ud, size_t i, struct sheaf_zip_entry *e)
{
  struct entries *en = ud;
  const struct sheaf_doc *d;

  if (i < 6) {
    *e = en->head[i];
    return;
  }
  d = sheaf_manuscript_doc(en->ms, i - 6, &en->view);
  *e = (struct sheaf_zip_entry){.prefix = "EPUB/",
                                .name = d->href,
                                .data = d->data,
                                .len = d->len,
                                .spool = d->spooled ? en->ms->spool : NULL,
                                .spool_idx = d->spool_idx};
}

/* Writes the book to `path`, or to the descriptor `fd` when `path` is
 * NULL. */
static sheaf_status write_book(const sheaf_manuscript *ms, const char *path, int fd,
                               const sheaf_options *options, sheaf_diag *diag)
{
  sheaf_options local;
  const sheaf_options *opt = &local;
  const struct sheaf_fileset *sets[2];
  struct sheaf_out o;
  struct doc_job docs[NDOCS];
  struct entries en;
  struct sheaf_zip_entry *e = en.head;
  sheaf_status ret;
  size_t n = 0, errors = sheaf_diag_count_severity(diag, SHEAF_ERROR);
  int k;

  for (k = 0; k < NDOCS; k++)
    docs[k].fd = -1;

  if (ms == NULL || ms->book == NULL || (ms->ndocs && ms->docs == NULL)) {
    sheaf_diag_add(diag, SHEAF_ERROR, "usage", NULL, 0, 0,
                   "cannot write book: no manuscript");
    return SHEAF_ERR_USAGE;
  }
  if ((ret = sheaf_options_resolve(options, &local, diag)) != SHEAF_OK)
    return ret;
  /* A modification time past 9999-12-31T23:59:59Z cannot be written as an
   * EPUB date; it would silently become 2000-01-01. */
  if (opt->source_date_epoch > SHEAF_PACKAGE_MAX_TIME) {
    sheaf_diag_add(diag, SHEAF_ERROR, "usage", NULL, 0, 0,
                   "cannot write book: the modification time %lld (SOURCE_DATE_EPOCH) is "
                   "past the year 9999, which an EPUB date cannot hold",
                   opt->source_date_epoch);
    return SHEAF_ERR_USAGE;
  }
  /* The files this build read may not become the book. */
  sets[0] = &ms->read;
  sets[1] = ms->book->coll ? &ms->book->coll->read : NULL;
  sheaf_out_init(&o, sets, sets[1] ? 2 : 1);
  /* Cheap checks first, so a bad target fails before any work. */
  SHEAF_CHECK(path ? sheaf_out_open(&o, path, diag) : sheaf_out_open_fd(&o, fd, diag));
  path = o.path;
  SHEAF_CHECK(check_manuscript(ms, diag));
  /* Normally done by the layout stage already; cheap when so. */
  SHEAF_CHECK(sheaf_spool_finish(ms->spool, diag));

  ret = make_docs(docs, ms, opt, sheaf_spool_threads(opt->threads));
  if (ret != SHEAF_OK) {
    sheaf_diag_add(diag, SHEAF_ERROR, sheaf_status_name(ret), NULL, 0, 0,
                   "cannot write book: %s: %s", path, sheaf_status_str(ret));
    goto out;
  }

  en.ms = ms;
  e[n++] = (struct sheaf_zip_entry){
      .name = "mimetype", .data = mimetype, .len = sizeof mimetype - 1, .store = true};
  e[n++] = (struct sheaf_zip_entry){.name = "META-INF/container.xml",
                                    .data = container_xml,
                                    .len = sizeof container_xml - 1};
  /* Which articles the book holds, for a later --after. */
  e[n++] = packed_entry(NULL, SHEAF_RECORD_NAME, &docs[DOC_RECORD].out);
  e[n++] = packed_entry("EPUB/", "content.opf", &docs[DOC_OPF].out);
  e[n++] = packed_entry("EPUB/", "nav.xhtml", &docs[DOC_NAV].out);
  e[n++] = packed_entry("EPUB/", "toc.ncx", &docs[DOC_NCX].out);
  ret = sheaf_package_zip_each(&o, entry, &en, n + sheaf_manuscript_count(ms),
                               sheaf_package_time(ms, opt), opt, diag);
  if (ret == SHEAF_OK)
    ret = sheaf_out_commit(&o, opt, diag);
  if (ret == SHEAF_ERR_CANCELLED && sheaf_diag_count_severity(diag, SHEAF_ERROR) == 0)
    sheaf_diag_add(diag, SHEAF_ERROR, "cancelled", NULL, 0, 0,
                   "interrupted; %s was not written", path);
out:
  /* Memory that ran out while writing is a book not written, like a full
   * disk (exit 4), not an input that could not be read. */
  if (ret == SHEAF_ERR_NOMEM) {
    if (sheaf_diag_count_severity(diag, SHEAF_ERROR) == errors)
      sheaf_diag_add(diag, SHEAF_ERROR, "nomem", NULL, 0, 0,
                     "cannot write book: %s: out of memory", path ? path : "the book");
    ret = SHEAF_ERR_WRITE;
  }
  sheaf_out_fini(&o);
  for (k = 0; k < NDOCS; k++)
    if (docs[k].fd >= 0)
      close(docs[k].fd);
  return ret;
}

sheaf_status sheaf_package(const sheaf_manuscript *ms, const char *path,
                           const sheaf_options *opt, sheaf_diag *diag)
{
  if (path == NULL)
    path = "";
  return write_book(ms, path, -1, opt, diag);
}

sheaf_status sheaf_package_fd(const sheaf_manuscript *ms, int fd,
                              const sheaf_options *opt, sheaf_diag *diag)
{
  return write_book(ms, NULL, fd, opt, diag);
}
