/*
 * Fuzz target: the WARC reader and HTTP response decoding (src/warc), and
 * with option bit 1 the import of the same bytes as a web archive input
 * (src/import/warc.c) and selection. The first byte holds the option bits:
 * bit 0 verifies digests, bit 1 imports through the file path, bit 2 reads
 * blocks in small pieces; the limits are small so that a gzip bomb inside a
 * record or a WARC stops fast.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz/fuzz.h"
#include "warc/warc.h"

static void read_records(const uint8_t *data, size_t size, uint8_t flags,
                         sheaf_diag *diag)
{
  struct sheaf_warc_limits lim = {0};
  struct sheaf_warc_reader *r;
  struct sheaf_warc_mem m;
  struct sheaf_buf blk, body;
  sheaf_status st;
  unsigned records = 0;

  lim.max_size = 8u << 20;
  lim.max_header = 64u << 10;
  lim.verify_digests = flags & 1;
  sheaf_warc_mem_init(&m, data, size);
  r = sheaf_warc_reader_new(&m.src, "fuzz.warc", &lim, &st);
  if (r == NULL)
    return;
  sheaf_buf_init(&blk, 4u << 20);
  sheaf_buf_init(&body, 4u << 20);
  while (records++ < 10000) {
    struct sheaf_warc_header h;
    struct sheaf_http_response resp;
    const char *why;
    bool eof, partial;
    if (sheaf_warc_reader_next(r, &h, &eof, diag) != SHEAF_OK || eof)
      break;
    sheaf_buf_reset(&blk);
    blk.failed = false;
    if (flags & 4) {
      char piece[7];
      size_t got;
      do {
        if (sheaf_warc_reader_read(r, piece, sizeof piece, &got, diag) != SHEAF_OK)
          break;
        sheaf_buf_put(&blk, piece, got);
      } while (got > 0);
    } else if (sheaf_warc_reader_load(r, &blk, diag) != SHEAF_OK) {
      continue;
    }
    if (sheaf_http_parse_response(blk.ptr, blk.len, &resp, &why) == SHEAF_OK) {
      struct sheaf_str v;
      sheaf_http_header_get(&resp, "Content-Type", &v);
      sheaf_buf_reset(&body);
      body.failed = false;
      sheaf_http_decode_body(&resp, blk.ptr, blk.len, &body, &partial, &why);
    }
    sheaf_http_response_fini(&resp);
  }
  sheaf_buf_fini(&blk);
  sheaf_buf_fini(&body);
  sheaf_warc_reader_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  sheaf_diag *diag;

  if (size < 1)
    return 0;
  diag = sheaf_diag_new();
  read_records(data + 1, size - 1, data[0], diag);
  if (data[0] & 2) {
    char path[] = "/tmp/sheaf-fuzz-warc-XXXXXX";
    int fd = mkstemp(path);
    if (fd >= 0) {
      bool ok = write(fd, data + 1, size - 1) == (ssize_t)(size - 1);
      close(fd);
      if (ok) {
        sheaf_collection *coll = sheaf_collection_new();
        sheaf_options opt;
        sheaf_status st;
        sheaf_fuzz_options(&opt, data[0] & ~3u);
        opt.max_input_size = 8u << 20;
        if (sheaf_import_path(coll, path, &opt, diag) == SHEAF_OK)
          sheaf_book_free(sheaf_select(coll, &opt, diag, &st));
        sheaf_collection_free(coll);
      }
      unlink(path);
    }
  }
  sheaf_diag_free(diag);
  return 0;
}
