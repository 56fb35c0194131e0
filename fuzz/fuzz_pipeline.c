/*
 * Fuzz target: the whole pipeline, import to a finished EPUB. The book is
 * written to a temporary file and removed; every stage runs as in a real
 * build.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char in[] = "/tmp/sheaf-fuzz-in-XXXXXX";
  char out[64];
  sheaf_collection *coll;
  sheaf_diag *diag;
  sheaf_options opt;
  sheaf_status st;
  int fd;

  if (size < 1)
    return 0;
  sheaf_fuzz_options(&opt, data[0]);
  opt.source_date_epoch = 1700000000;
  fd = mkstemp(in);
  if (fd < 0)
    return 0;
  if (write(fd, data + 1, size - 1) != (ssize_t)(size - 1)) {
    close(fd);
    unlink(in);
    return 0;
  }
  close(fd);
  snprintf(out, sizeof out, "%s.epub", in);
  coll = sheaf_collection_new();
  diag = sheaf_diag_new();
  if (sheaf_import_path(coll, in, &opt, diag) == SHEAF_OK) {
    sheaf_book *book = sheaf_select(coll, &opt, diag, &st);
    sheaf_manuscript *ms = book ? sheaf_layout(book, &opt, diag, &st) : NULL;
    if (ms && sheaf_package(ms, out, &opt, diag) == SHEAF_OK)
      unlink(out);
    sheaf_manuscript_free(ms);
    sheaf_book_free(book);
  }
  sheaf_diag_free(diag);
  sheaf_collection_free(coll);
  unlink(in);
  return 0;
}
