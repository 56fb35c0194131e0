/*
 * Fuzz target: Markdown with front matter, from the reader (front matter,
 * Liquid and Hugo shortcode removal) through cmark and the sanitizer.
 */
#include <string.h>

#include "fuzz/fuzz.h"
#include "import/import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  sheaf_collection *coll;
  sheaf_diag *diag;
  sheaf_options opt;
  sheaf_status st;
  struct sheaf_input in;

  if (size < 1)
    return 0;
  sheaf_fuzz_options(&opt, data[0]);
  /* The generated cover is fuzzed by fuzz_pipeline; here it would cost
   * most of each run. */
  opt.cover = SHEAF_FUZZ_COVER;
  coll = sheaf_collection_new();
  diag = sheaf_diag_new();
  if (sheaf_input_copy(&in, "2020-01-02-fuzz.md", data + 1, size - 1) == SHEAF_OK &&
      sheaf_import_markdown(coll, &in, &opt, diag) == SHEAF_OK) {
    sheaf_book *book = sheaf_select(coll, &opt, diag, &st);
    if (book) {
      sheaf_manuscript *ms = sheaf_layout(book, &opt, diag, &st);
      sheaf_manuscript_free(ms);
    }
    sheaf_book_free(book);
  }
  sheaf_diag_free(diag);
  sheaf_input_fini(&in);
  sheaf_collection_free(coll);
  return 0;
}
