/*
 * Unit tests of the package stage: a small manuscript built by hand is
 * written with sheaf_package() and the zip read back with libzip, checking
 * the OCF rules (mimetype first and stored), the package document, byte
 * reproducibility and the atomic, checked writing of the target. When
 * EPUBCheck and java are installed the book must also pass it cleanly.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <libxml/parser.h>
#include <zip.h>

#include "package/package.h"

#define EPUBCHECK "/usr/share/java/epubcheck.jar"

static const char chapter_fmt[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n"
    "<html xmlns=\"http://www.w3.org/1999/xhtml\" "
    "xmlns:epub=\"http://www.idpf.org/2007/ops\" xml:lang=\"en\" lang=\"en\">"
    "<head><title>%s</title><link rel=\"stylesheet\" type=\"text/css\" "
    "href=\"../styles/sheaf.css\"/></head><body><section epub:type=\"%s\">"
    "<h1>%s</h1><p>x</p></section></body></html>\n";

struct fixture {
  char dir[64];
  struct sheaf_book book;
  char *subjects[2];
  char *sources[1];
  sheaf_manuscript *ms;
  sheaf_options opt;
  sheaf_diag *diag;
};

/* ---- helpers ---------------------------------------------------------- */

static void add_doc(sheaf_manuscript *ms, const char *href, const char *id,
                    const char *type, const char *data, const char *title, int64_t date,
                    bool spine, const char *landmark)
{
  struct sheaf_doc d;

  memset(&d, 0, sizeof d);
  d.href = sheaf_strdup(href);
  d.id = sheaf_strdup(id);
  d.media_type = sheaf_strdup(type);
  d.data = sheaf_strdup(data);
  d.len = strlen(data);
  d.title = sheaf_strdup(title);
  d.date = date;
  d.in_spine = spine;
  d.linear = spine;
  d.landmark = landmark;
  assert_true(sheaf_manuscript_add(ms, &d));
}

static void add_xhtml(sheaf_manuscript *ms, const char *href, const char *id,
                      const char *title, int64_t date, const char *landmark,
                      const char *type)
{
  const char *t = title ? title : "Title page";
  struct sheaf_buf esc;
  char page[1024];

  sheaf_buf_init(&esc, 0);
  assert_true(sheaf_buf_put_xml(&esc, t, strlen(t), false));
  snprintf(page, sizeof page, chapter_fmt, esc.ptr, type, esc.ptr);
  sheaf_buf_fini(&esc);
  add_doc(ms, href, id, "application/xhtml+xml", page, title, date, true, landmark);
}

static int setup(void **state)
{
  struct fixture *f = calloc(1, sizeof *f);
  struct sheaf_book *b;

  assert_non_null(f);
  snprintf(f->dir, sizeof f->dir, "%s", "/tmp/sheaf-test-package-XXXXXX");
  assert_non_null(mkdtemp(f->dir));
  b = &f->book;
  b->title = "Tom & Jerry <Weekly>";
  b->subtitle = "Cats \"and\" mice";
  b->publisher = "Example Press";
  b->language = "en";
  b->identifier = "urn:uuid:0b9f3c1e-8a61-5c3d-9e51-6a0c2f1d4e7a";
  b->description = "Two chapters & a title page.";
  f->subjects[0] = "Cartoons";
  f->subjects[1] = "Cats";
  b->subjects = f->subjects;
  b->nsubjects = 2;
  f->sources[0] = "https://example.com/feed?a=1&b=2";
  b->sources = f->sources;
  b->nsources = 1;
  b->modified = INT64_C(1677051053); /* 2023-02-22T07:30:53Z */
  b->first = INT64_C(1676966400);    /* 2023-02-21 */
  b->last = b->modified;

  f->ms = sheaf_calloc(1, sizeof *f->ms);
  assert_non_null(f->ms);
  f->ms->book = b;
  add_xhtml(f->ms, "text/title.xhtml", "titlepage", NULL, SHEAF_TIME_UNKNOWN, "titlepage",
            "titlepage");
  add_xhtml(f->ms, "text/ch0001.xhtml", "ch0001", "First & foremost", b->first,
            "bodymatter", "chapter");
  add_xhtml(f->ms, "text/ch0002.xhtml", "ch0002", "Second <one>", SHEAF_TIME_UNKNOWN,
            NULL, "chapter");
  add_doc(f->ms, "styles/sheaf.css", "css", "text/css",
          "body { margin: 0 }\n.toc-date { font-size: smaller }\n", NULL,
          SHEAF_TIME_UNKNOWN, false, NULL);

  sheaf_options_init(&f->opt);
  f->diag = sheaf_diag_new();
  assert_non_null(f->diag);
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  struct fixture *f = *state;
  char cmd[128];

  snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
  if (system(cmd) != 0)
    fprintf(stderr, "could not remove %s\n", f->dir);
  sheaf_manuscript_free(f->ms);
  sheaf_diag_free(f->diag);
  free(f);
  return 0;
}

static void path_in(const struct fixture *f, const char *name, char out[256])
{
  snprintf(out, 256, "%s/%s", f->dir, name);
}

static size_t count_files(const char *dir)
{
  DIR *d = opendir(dir);
  struct dirent *de;
  size_t n = 0;

  assert_non_null(d);
  while ((de = readdir(d)) != NULL)
    if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
      n++;
  closedir(d);
  return n;
}

static char *slurp(const char *path, size_t *len)
{
  FILE *fp = fopen(path, "rb");
  char *p;
  long n;

  assert_non_null(fp);
  assert_int_equal(fseek(fp, 0, SEEK_END), 0);
  n = ftell(fp);
  assert_true(n >= 0);
  rewind(fp);
  p = malloc((size_t)n + 1);
  assert_non_null(p);
  assert_int_equal(fread(p, 1, (size_t)n, fp), (size_t)n);
  p[n] = '\0';
  fclose(fp);
  *len = (size_t)n;
  return p;
}

static void spit(const char *path, const char *text)
{
  FILE *fp = fopen(path, "wb");

  assert_non_null(fp);
  fputs(text, fp);
  fclose(fp);
}

/* Returns the NUL-terminated content of entry `name`, or NULL. */
static char *read_entry(zip_t *za, const char *name)
{
  zip_stat_t st;
  zip_file_t *zf;
  char *p;

  if (zip_stat(za, name, 0, &st) != 0)
    return NULL;
  p = malloc(st.size + 1);
  assert_non_null(p);
  zf = zip_fopen(za, name, 0);
  assert_non_null(zf);
  assert_int_equal(zip_fread(zf, p, st.size), (zip_int64_t)st.size);
  zip_fclose(zf);
  p[st.size] = '\0';
  return p;
}

static bool has_error(const sheaf_diag *diag, const char *needle)
{
  size_t i;

  for (i = 0; i < sheaf_diag_count(diag); i++) {
    const sheaf_diag_entry *e = sheaf_diag_get(diag, i);
    if (e->severity == SHEAF_ERROR && strstr(e->message, needle))
      return true;
  }
  return false;
}

/* ---- tests ------------------------------------------------------------- */

static void test_format_time(void **state)
{
  static const struct {
    int64_t t;
    const char *iso, *day;
  } cases[] = {
      {0, "1970-01-01T00:00:00Z", "1970-01-01"},
      {INT64_C(1677051053), "2023-02-22T07:30:53Z", "2023-02-22"},
      {INT64_C(951782400), "2000-02-29T00:00:00Z", "2000-02-29"},
      {INT64_C(-1), "1969-12-31T23:59:59Z", "1969-12-31"},
      {INT64_C(253402300799), "9999-12-31T23:59:59Z", "9999-12-31"},
  };
  char out[32];
  size_t i;

  (void)state;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    assert_true(sheaf_package_format_time(cases[i].t, true, out));
    assert_string_equal(out, cases[i].iso);
    assert_true(sheaf_package_format_time(cases[i].t, false, out));
    assert_string_equal(out, cases[i].day);
  }
  assert_false(sheaf_package_format_time(INT64_C(253402300800), true, out));
  assert_false(sheaf_package_format_time(SHEAF_TIME_UNKNOWN, true, out));
}

static void test_layout_of_zip(void **state)
{
  struct fixture *f = *state;
  char path[256], *opf, *cont, *p, *raw;
  zip_stat_t st;
  zip_t *za;
  size_t len;
  int err = 0;

  path_in(f, "book.epub", path);
  assert_int_equal(sheaf_package(f->ms, path, &f->opt, f->diag), SHEAF_OK);
  assert_int_equal(sheaf_diag_count(f->diag), 0);

  /* The raw bytes: local header of "mimetype" with no extra field, then the
   * stored content right after it (what OCF readers sniff). */
  raw = slurp(path, &len);
  assert_true(len > 58);
  assert_memory_equal(raw, "PK\3\4", 4);
  assert_int_equal(raw[8] | raw[9] << 8, 0);   /* stored */
  assert_int_equal(raw[26] | raw[27] << 8, 8); /* name length */
  assert_int_equal(raw[28] | raw[29] << 8, 0); /* extra length */
  assert_memory_equal(raw + 30, "mimetypeapplication/epub+zip", 28);
  free(raw);

  za = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &err);
  assert_non_null(za);
  assert_int_equal(zip_get_num_entries(za, 0), 10);
  assert_string_equal(zip_get_name(za, 0, 0), "mimetype");
  assert_string_equal(zip_get_name(za, 1, 0), "META-INF/container.xml");
  assert_string_equal(zip_get_name(za, 2, 0), "META-INF/sheaf-articles.txt");
  assert_string_equal(zip_get_name(za, 3, 0), "EPUB/content.opf");
  assert_string_equal(zip_get_name(za, 9, 0), "EPUB/styles/sheaf.css");
  assert_int_equal(zip_stat_index(za, 0, 0, &st), 0);
  assert_int_equal(st.comp_method, ZIP_CM_STORE);
  assert_int_equal(zip_stat_index(za, 3, 0, &st), 0);
  assert_int_equal(st.comp_method, ZIP_CM_DEFLATE);
  p = read_entry(za, "mimetype");
  assert_string_equal(p, "application/epub+zip");
  free(p);

  cont = read_entry(za, "META-INF/container.xml");
  assert_non_null(cont);
  assert_non_null(strstr(cont, "full-path=\"EPUB/content.opf\""));
  free(cont);

  opf = read_entry(za, "EPUB/content.opf");
  assert_non_null(opf);
  assert_non_null(strstr(opf, "unique-identifier=\"bookid\""));
  assert_non_null(strstr(opf, "<dc:identifier id=\"bookid\">"
                              "urn:uuid:0b9f3c1e-8a61-5c3d-9e51-6a0c2f1d4e7a<"));
  assert_non_null(strstr(opf, ">Tom &amp; Jerry &lt;Weekly&gt;</dc:title>"));
  assert_non_null(strstr(opf, "<meta property=\"dcterms:modified\">"
                              "2023-02-22T07:30:53Z</meta>"));
  assert_non_null(strstr(opf, "<dc:date>2023-02-21</dc:date>"));
  assert_non_null(strstr(opf, "https://example.com/feed?a=1&amp;b=2"));
  assert_non_null(strstr(opf, "<spine toc=\"ncx\">"));
  /* Every manifest item is in the zip. */
  for (p = strstr(opf, "<item "); p; p = strstr(p + 1, "<item ")) {
    char name[256];
    const char *h = strstr(p, "href=\"");
    size_t n;
    assert_non_null(h);
    h += 6;
    n = strcspn(h, "\"");
    assert_true(n < 200);
    snprintf(name, sizeof name, "EPUB/%.*s", (int)n, h);
    assert_true(zip_name_locate(za, name, 0) >= 0);
  }
  free(opf);
  zip_close(za);
}

static void test_reproducible(void **state)
{
  struct fixture *f = *state;
  char a[256], b[256], c[256], *pa, *pb, *pc;
  const char *tz = getenv("TZ");
  char *old_tz = tz ? strdup(tz) : NULL;
  size_t la, lb, lc;

  path_in(f, "a.epub", a);
  path_in(f, "b.epub", b);
  path_in(f, "c.epub", c);
  assert_int_equal(sheaf_package(f->ms, a, &f->opt, f->diag), SHEAF_OK);
  assert_int_equal(sheaf_package(f->ms, b, &f->opt, f->diag), SHEAF_OK);
  /* The zip's DOS dates must not follow the machine's time zone. */
  setenv("TZ", "America/New_York", 1);
  tzset();
  assert_int_equal(sheaf_package(f->ms, c, &f->opt, f->diag), SHEAF_OK);
  if (old_tz)
    setenv("TZ", old_tz, 1);
  else
    unsetenv("TZ");
  tzset();
  free(old_tz);

  pa = slurp(a, &la);
  pb = slurp(b, &lb);
  pc = slurp(c, &lc);
  assert_int_equal(la, lb);
  assert_memory_equal(pa, pb, la);
  assert_int_equal(la, lc);
  assert_memory_equal(pa, pc, la);
  free(pa);
  free(pb);
  free(pc);
}

static void test_source_date_epoch(void **state)
{
  struct fixture *f = *state;
  char path[256], *opf;
  zip_stat_t st;
  zip_t *za;
  int err = 0;

  path_in(f, "epoch.epub", path);
  f->opt.source_date_epoch = 0; /* before DOS time: clamped in the zip */
  assert_int_equal(sheaf_package(f->ms, path, &f->opt, f->diag), SHEAF_OK);
  za = zip_open(path, ZIP_RDONLY, &err);
  assert_non_null(za);
  opf = read_entry(za, "EPUB/content.opf");
  assert_non_null(strstr(opf, ">1970-01-01T00:00:00Z</meta>"));
  free(opf);
  assert_int_equal(zip_stat_index(za, 0, 0, &st), 0);
  assert_true(st.mtime >= (time_t)315446400); /* 1980-01-01 in any zone */
  zip_close(za);
}

static void test_missing_folder(void **state)
{
  struct fixture *f = *state;
  char path[256], sub[256];
  struct stat st;

  path_in(f, "nope/book.epub", path);
  path_in(f, "nope", sub);
  assert_int_equal(sheaf_package(f->ms, path, &f->opt, f->diag), SHEAF_ERR_WRITE);
  assert_true(has_error(f->diag, "No such file or directory (does the folder exist?)"));
  assert_true(has_error(f->diag, path));
  assert_int_not_equal(stat(sub, &st), 0);
  assert_int_equal(count_files(f->dir), 0);
}

static void test_target_is_directory(void **state)
{
  struct fixture *f = *state;
  char path[256];

  path_in(f, "dir.epub", path);
  assert_int_equal(mkdir(path, 0700), 0);
  assert_int_equal(sheaf_package(f->ms, path, &f->opt, f->diag), SHEAF_ERR_WRITE);
  assert_true(has_error(f->diag, "Is a directory"));
  assert_int_equal(count_files(f->dir), 1);
  assert_int_equal(count_files(path), 0);
}

static void test_replaces_existing(void **state)
{
  struct fixture *f = *state;
  char path[256], *p;
  zip_t *za;
  size_t len;
  int err = 0;

  path_in(f, "old.epub", path);
  spit(path, "not a zip");
  assert_int_equal(sheaf_package(f->ms, path, &f->opt, f->diag), SHEAF_OK);
  assert_int_equal(count_files(f->dir), 1); /* no temporary file left */
  p = slurp(path, &len);
  assert_memory_equal(p, "PK\3\4", 4);
  free(p);
  za = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &err);
  assert_non_null(za);
  zip_close(za);
}

/* A failure while zipping (here a duplicate entry) leaves the old file. */
static void test_failure_keeps_old(void **state)
{
  struct fixture *f = *state;
  char path[256], *p;
  size_t len;

  add_xhtml(f->ms, "text/ch0001.xhtml", "dup", "Dup", SHEAF_TIME_UNKNOWN, NULL,
            "chapter");
  path_in(f, "keep.epub", path);
  spit(path, "old content");
  assert_int_equal(sheaf_package(f->ms, path, &f->opt, f->diag), SHEAF_ERR_WRITE);
  assert_true(has_error(f->diag, path));
  assert_int_equal(count_files(f->dir), 1);
  p = slurp(path, &len);
  assert_string_equal(p, "old content");
  free(p);
}

/* Past 65,535 entries the archive needs Zip64's end records (a book of
 * 100,000 chapters has more): libzip reads it back whole and consistent,
 * each entry where the directory says. */
static void test_zip64_many_entries(void **state)
{
  enum { N = 70000 };
  struct fixture *f = *state;
  struct sheaf_zip_entry *e = calloc(N, sizeof *e);
  char(*names)[16] = calloc(N, sizeof *names);
  char path[256], *p;
  struct sheaf_out o;
  zip_stat_t st;
  zip_t *za;
  int err = 0;
  size_t i;

  assert_non_null(e);
  assert_non_null(names);
  for (i = 0; i < N; i++) {
    snprintf(names[i], sizeof names[i], "f%05zu.txt", i);
    e[i].name = names[i];
    e[i].data = names[i];
    e[i].len = strlen(names[i]);
    e[i].store = i % 2 == 0; /* and the others deflated here */
  }
  path_in(f, "many.epub", path);
  sheaf_out_init(&o, NULL, 0);
  assert_int_equal(sheaf_out_open(&o, path, f->diag), SHEAF_OK);
  assert_int_equal(sheaf_package_zip(&o, e, N, 1700000000, NULL, f->diag), SHEAF_OK);
  assert_int_equal(sheaf_out_commit(&o, NULL, f->diag), SHEAF_OK);
  sheaf_out_fini(&o);

  za = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &err);
  assert_non_null(za);
  assert_int_equal(zip_get_num_entries(za, 0), N);
  assert_string_equal(zip_get_name(za, N - 1, 0), "f69999.txt");
  assert_int_equal(zip_stat_index(za, N - 1, 0, &st), 0);
  assert_int_equal(st.comp_method, ZIP_CM_DEFLATE);
  p = read_entry(za, "f65536.txt");
  assert_string_equal(p, "f65536.txt");
  free(p);
  p = read_entry(za, "f00000.txt");
  assert_string_equal(p, "f00000.txt");
  free(p);
  zip_close(za);

  /* Two entries of one name are refused before anything is written. */
  e[N - 1].name = names[3];
  path_in(f, "dup.epub", path);
  sheaf_out_init(&o, NULL, 0);
  assert_int_equal(sheaf_out_open(&o, path, f->diag), SHEAF_OK);
  assert_int_equal(sheaf_package_zip(&o, e, N, 1700000000, NULL, f->diag),
                   SHEAF_ERR_WRITE);
  sheaf_out_fini(&o);
  assert_true(has_error(f->diag, "f00003.txt"));
  free(e);
  free(names);
}

/* A file the build read is never the target, whatever its name: the
 * library checks it, not only the command. */
static void test_read_file_protected(void **state)
{
  struct fixture *f = *state;
  char path[256], other[256], *p;
  struct stat st;
  size_t len;

  path_in(f, "input.md", path);
  spit(path, "an input");
  assert_int_equal(stat(path, &st), 0);
  assert_true(sheaf_fileset_add(&f->ms->read, (uint64_t)st.st_dev, (uint64_t)st.st_ino,
                                "input.md"));
  assert_int_equal(sheaf_package(f->ms, path, &f->opt, f->diag), SHEAF_ERR_WRITE);
  assert_true(has_error(f->diag, "this build read (input.md)"));
  path_in(f, "other-name.epub", other);
  assert_int_equal(link(path, other), 0);
  assert_int_equal(sheaf_package(f->ms, other, &f->opt, f->diag), SHEAF_ERR_WRITE);
  assert_int_equal(count_files(f->dir), 2);
  p = slurp(path, &len);
  assert_string_equal(p, "an input");
  free(p);
}

/* Where O_TMPFILE is missing: a named temporary, short whatever the
 * target's name, and the stale ones of dead sheaf processes removed. */
static void test_named_temporary(void **state)
{
  struct fixture *f = *state;
  char path[256], dead_old[256], dead_young[256], alive[256], *p;
  struct timespec old[2];
  struct sheaf_out o;
  pid_t pid = fork();
  size_t len;

  if (pid == 0)
    _exit(0);
  assert_true(pid > 0);
  assert_int_equal(waitpid(pid, NULL, 0), pid);
  /* pid is now a process that is gone. */
  snprintf(dead_old, sizeof dead_old, "%s/.sheaf-%ld-abcdef.tmp", f->dir, (long)pid);
  snprintf(dead_young, sizeof dead_young, "%s/.sheaf-%ld-ghijkl.tmp", f->dir, (long)pid);
  snprintf(alive, sizeof alive, "%s/.sheaf-%ld-mnopqr.tmp", f->dir, (long)getppid());
  spit(dead_old, "partial");
  spit(dead_young, "partial");
  spit(alive, "partial");
  old[0].tv_sec = old[1].tv_sec = time(NULL) - 7200;
  old[0].tv_nsec = old[1].tv_nsec = 0;
  assert_int_equal(utimensat(AT_FDCWD, dead_old, old, 0), 0);
  assert_int_equal(utimensat(AT_FDCWD, alive, old, 0), 0);

  path_in(f, "book.epub", path);
  sheaf_out_init(&o, NULL, 0);
  o.no_tmpfile = true;
  assert_int_equal(sheaf_out_open(&o, path, f->diag), SHEAF_OK);
  assert_true(strlen(o.tmpname) > 0 && strlen(o.tmpname) < 40);
  assert_int_equal(access(dead_old, F_OK), -1);  /* stale: removed */
  assert_int_equal(access(dead_young, F_OK), 0); /* may be on another host */
  assert_int_equal(access(alive, F_OK), 0);      /* its process lives */
  assert_int_equal(count_files(f->dir), 3);      /* the two kept and ours */
  assert_int_equal(write(o.fd, "the book", 8), 8);
  assert_int_equal(sheaf_out_commit(&o, NULL, f->diag), SHEAF_OK);
  sheaf_out_fini(&o);
  p = slurp(path, &len);
  assert_string_equal(p, "the book");
  free(p);
  assert_int_equal(count_files(f->dir), 3); /* book.epub and the two kept */

  /* A failure before the commit leaves nothing. */
  sheaf_out_init(&o, NULL, 0);
  o.no_tmpfile = true;
  path_in(f, "never.epub", path);
  assert_int_equal(sheaf_out_open(&o, path, f->diag), SHEAF_OK);
  assert_int_equal(count_files(f->dir), 4);
  sheaf_out_fini(&o);
  assert_int_equal(count_files(f->dir), 3);
}

static void test_bad_manuscript(void **state)
{
  struct fixture *f = *state;
  char path[256];

  path_in(f, "bad.epub", path);
  add_doc(f->ms, "nav.xhtml", "x", "application/xhtml+xml", "x", NULL, SHEAF_TIME_UNKNOWN,
          false, NULL);
  assert_int_equal(sheaf_package(f->ms, path, &f->opt, f->diag), SHEAF_ERR_INTERNAL);
  assert_int_equal(count_files(f->dir), 0);
  assert_int_equal(sheaf_package(NULL, path, &f->opt, f->diag), SHEAF_ERR_USAGE);
}

/* Documents deflated ahead of time (the manuscript's spool, as the layout
 * stage makes it, with worker threads) give the same bytes as documents the
 * package stage compresses itself; libzip copies them without
 * recompressing, and they read back intact (CRC checked by libzip). */
static void test_spooled_same_bytes(void **state)
{
  struct fixture *f = *state;
  sheaf_manuscript *ms2 = sheaf_calloc(1, sizeof *ms2);
  char a[256], b[256], *pa, *pb, *ch;
  size_t la, lb, i;
  zip_t *za;
  int err;

  assert_non_null(ms2);
  ms2->book = f->ms->book;
  ms2->spool = sheaf_spool_new(3);
  assert_non_null(ms2->spool);
  for (i = 0; i < f->ms->ndocs; i++) {
    const struct sheaf_doc *d = &f->ms->docs[i];
    struct sheaf_doc c = *d;
    c.href = sheaf_strdup(d->href);
    c.id = sheaf_strdup(d->id);
    c.media_type = sheaf_strdup(d->media_type);
    c.title = sheaf_strdup(d->title);
    c.data = sheaf_strndup(d->data, d->len);
    assert_true(sheaf_manuscript_add(ms2, &c));
    assert_true(ms2->docs[i].spooled);
    assert_null(ms2->docs[i].data);
  }
  path_in(f, "mem.epub", a);
  path_in(f, "spool.epub", b);
  assert_int_equal(sheaf_package(f->ms, a, &f->opt, f->diag), SHEAF_OK);
  assert_int_equal(sheaf_package(ms2, b, &f->opt, f->diag), SHEAF_OK);
  pa = slurp(a, &la);
  pb = slurp(b, &lb);
  assert_int_equal(la, lb);
  assert_memory_equal(pa, pb, la);
  free(pa);
  free(pb);

  za = zip_open(b, ZIP_RDONLY | ZIP_CHECKCONS, &err);
  assert_non_null(za);
  ch = read_entry(za, "EPUB/text/ch0001.xhtml");
  assert_non_null(ch);
  assert_string_equal(ch, f->ms->docs[1].data);
  free(ch);
  zip_close(za);
  sheaf_manuscript_free(ms2);
}

static void test_epubcheck(void **state)
{
  struct fixture *f = *state;
  char path[256], cmd[512];
  struct stat st;
  int rc;

  if (stat(EPUBCHECK, &st) != 0 || system("java -version >/dev/null 2>&1") != 0)
    skip();
  path_in(f, "check.epub", path);
  assert_int_equal(sheaf_package(f->ms, path, NULL, f->diag), SHEAF_OK);
  /* EPUBCheck exits 0 on errors-free books; warnings are made fatal with
   * --failonwarnings. */
  snprintf(cmd, sizeof cmd, "java -jar %s --failonwarnings '%s' >'%s/epubcheck.log' 2>&1",
           EPUBCHECK, path, f->dir);
  rc = system(cmd);
  if (rc != 0) {
    snprintf(cmd, sizeof cmd, "cat '%s/epubcheck.log' >&2", f->dir);
    if (system(cmd) != 0)
      fprintf(stderr, "no epubcheck log\n");
  }
  assert_int_equal(rc, 0);
}

/* A cover page and picture: the cover goes first in the spine, before the
 * title page and the nav; the picture gets the EPUB 2 cover meta. A
 * right-to-left book turns its pages the other way. */
static void test_cover_and_rtl(void **state)
{
  struct fixture *f = *state;
  struct sheaf_manuscript *ms = f->ms;
  struct sheaf_pkg_out opf;
  struct sheaf_doc tmp;
  char *cov, *title, *nav;
  size_t i;

  add_xhtml(ms, "text/cover.xhtml", "cover", NULL, SHEAF_TIME_UNKNOWN, "cover", "cover");
  ms->docs[ms->ndocs - 1].title = (sheaf_free(ms->docs[ms->ndocs - 1].title), NULL);
  /* Move the cover page to the front, as the layout stage orders it. */
  tmp = ms->docs[ms->ndocs - 1];
  for (i = ms->ndocs - 1; i > 0; i--)
    ms->docs[i] = ms->docs[i - 1];
  ms->docs[0] = tmp;
  add_doc(ms, "images/cover.svg", "cover-image", "image/svg+xml",
          "<svg xmlns=\"http://www.w3.org/2000/svg\"/>", NULL, SHEAF_TIME_UNKNOWN, false,
          NULL);
  ms->docs[ms->ndocs - 1].properties = "cover-image";

  sheaf_pkg_out_init(&opf, false);
  assert_int_equal(sheaf_package_opf(ms, &f->opt, &opf), SHEAF_OK);
  assert_non_null(strstr(opf.text.ptr, "<meta name=\"cover\" content=\"cover-image\"/>"));
  assert_non_null(strstr(opf.text.ptr, "properties=\"cover-image\""));
  assert_null(strstr(opf.text.ptr, "page-progression-direction"));
  cov = strstr(opf.text.ptr, "<itemref idref=\"cover\"/>");
  title = strstr(opf.text.ptr, "<itemref idref=\"titlepage\"/>");
  nav = strstr(opf.text.ptr, "<itemref idref=\"nav\"/>");
  assert_non_null(cov);
  assert_non_null(title);
  assert_non_null(nav);
  assert_true(cov < title && title < nav);

  f->book.language = "ar-EG";
  sheaf_buf_reset(&opf.text);
  assert_int_equal(sheaf_package_opf(ms, &f->opt, &opf), SHEAF_OK);
  assert_non_null(
      strstr(opf.text.ptr, "<spine toc=\"ncx\" page-progression-direction=\"rtl\">"));
  f->book.language = "en";
  sheaf_pkg_out_fini(&opf);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_format_time),
      cmocka_unit_test_setup_teardown(test_layout_of_zip, setup, teardown),
      cmocka_unit_test_setup_teardown(test_reproducible, setup, teardown),
      cmocka_unit_test_setup_teardown(test_spooled_same_bytes, setup, teardown),
      cmocka_unit_test_setup_teardown(test_source_date_epoch, setup, teardown),
      cmocka_unit_test_setup_teardown(test_missing_folder, setup, teardown),
      cmocka_unit_test_setup_teardown(test_target_is_directory, setup, teardown),
      cmocka_unit_test_setup_teardown(test_replaces_existing, setup, teardown),
      cmocka_unit_test_setup_teardown(test_failure_keeps_old, setup, teardown),
      cmocka_unit_test_setup_teardown(test_zip64_many_entries, setup, teardown),
      cmocka_unit_test_setup_teardown(test_bad_manuscript, setup, teardown),
      cmocka_unit_test_setup_teardown(test_read_file_protected, setup, teardown),
      cmocka_unit_test_setup_teardown(test_named_temporary, setup, teardown),
      cmocka_unit_test_setup_teardown(test_epubcheck, setup, teardown),
      cmocka_unit_test_setup_teardown(test_cover_and_rtl, setup, teardown),
  };
  int rc = cmocka_run_group_tests(tests, NULL, NULL);

  xmlCleanupParser();
  return rc;
}
