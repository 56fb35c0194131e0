/*
 * A program compiled against an older sheaf header (options_frozen.h, a
 * prefix of today's options struct) and linked against today's shared
 * library: it must keep working. The struct sits right before a guard of
 * 0xAA bytes; a library that wrote or read past the caller's size would
 * clobber the guard or take the guard for a progress callback and crash.
 *
 * Usage: test_abi_old_header FEED OUTPUT.epub
 */
#include <stdio.h>
#include <string.h>

#include "options_frozen.h" /* first: its guard keeps the real one out */
#include <sheaf/sheaf.h>

static int failures;

#define CHECK(cond)                                                                      \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);           \
      failures++;                                                                        \
    }                                                                                    \
  } while (0)

static struct {
  sheaf_options opt;
  unsigned char guard[256];
} caller;

static int guard_intact(void)
{
  size_t i;

  for (i = 0; i < sizeof caller.guard; i++)
    if (caller.guard[i] != 0xAA)
      return 0;
  return 1;
}

int main(int argc, char **argv)
{
  static const char *const tags[] = {"archiving"};
  sheaf_diag *diag;
  sheaf_collection *coll;
  sheaf_book *book = NULL;
  sheaf_manuscript *ms = NULL;
  sheaf_status st;
  FILE *f;

  if (argc != 3) {
    fprintf(stderr, "usage: %s FEED OUTPUT.epub\n", argv[0]);
    return 2;
  }
  memset(caller.guard, 0xAA, sizeof caller.guard);
  sheaf_options_init(&caller.opt);
  CHECK(guard_intact());
  CHECK(caller.opt.size == sizeof caller.opt);
  CHECK(caller.opt.max_image_width == 1600);
  CHECK(caller.opt.source_date_epoch == -1);
  caller.opt.tags = tags;
  caller.opt.ntags = 1;
  caller.opt.title = "An Old Program's Book";
  caller.opt.source_date_epoch = 1700000000;

  diag = sheaf_diag_new();
  coll = sheaf_collection_new();
  CHECK(diag && coll);
  st = sheaf_import_path(coll, argv[1], &caller.opt, diag);
  CHECK(st == SHEAF_OK);
  CHECK(sheaf_collection_count(coll) == 4);
  book = sheaf_select(coll, &caller.opt, diag, &st);
  CHECK(book != NULL && st == SHEAF_OK);
  if (book) {
    CHECK(sheaf_book_count(book) == 3); /* the tag of the old struct holds */
    CHECK(strcmp(sheaf_book_get_title(book), "An Old Program's Book") == 0);
    ms = sheaf_layout(book, &caller.opt, diag, &st);
    CHECK(ms != NULL && st == SHEAF_OK);
  }
  if (ms) {
    st = sheaf_package(ms, argv[2], &caller.opt, diag);
    CHECK(st == SHEAF_OK);
    f = fopen(argv[2], "rb");
    CHECK(f != NULL);
    if (f) {
      char magic[4] = {0};
      CHECK(fread(magic, 1, 4, f) == 4 && memcmp(magic, "PK\3\4", 4) == 0);
      fclose(f);
    }
  }
  CHECK(guard_intact());
  CHECK(sheaf_diag_count_severity(diag, SHEAF_ERROR) == 0);
  sheaf_manuscript_free(ms);
  sheaf_book_free(book);
  sheaf_collection_free(coll);
  sheaf_diag_free(diag);
  if (failures == 0)
    printf("ok: a program built with an older options header works with sheaf %s\n",
           sheaf_version_string());
  return failures ? 1 : 0;
}
