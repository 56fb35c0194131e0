/*
 * Fuzz target: import of one input of any format (feeds, WordPress
 * exports, HTML pages, Markdown), through the same decoding, sniffing and
 * dispatch as a file on disk, then selection.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char path[] = "/tmp/sheaf-fuzz-feed-XXXXXX";
  sheaf_collection *coll;
  sheaf_diag *diag;
  sheaf_options opt;
  sheaf_status st;
  int fd;

  if (size < 1)
    return 0;
  sheaf_fuzz_options(&opt, data[0]);
  fd = mkstemp(path);
  if (fd < 0)
    return 0;
  if (write(fd, data + 1, size - 1) != (ssize_t)(size - 1)) {
    close(fd);
    unlink(path);
    return 0;
  }
  close(fd);
  coll = sheaf_collection_new();
  diag = sheaf_diag_new();
  if (sheaf_import_path(coll, path, &opt, diag) == SHEAF_OK) {
    sheaf_book *book = sheaf_select(coll, &opt, diag, &st);
    sheaf_book_free(book);
  }
  sheaf_diag_free(diag);
  sheaf_collection_free(coll);
  unlink(path);
  return 0;
}
