/*
 * Fuzz target: the image conversion (src/image) on hostile bytes. The
 * first byte picks the options (box, grey, WebP kept); the rest is the
 * picture. A conversion must end in a picture or a reason, never a crash,
 * and what it returns must be a JPEG or PNG of the size it says.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "image/image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct sheaf_img_opts o;
  struct sheaf_img_result r;
  sheaf_status st;

  if (size < 1)
    return 0;
  memset(&o, 0, sizeof o);
  o.max_w = (data[0] & 1) ? 64 : 0;
  o.max_h = (data[0] & 1) ? 48 : 0;
  o.grayscale = (data[0] & 2) != 0;
  o.keep_webp = (data[0] & 4) != 0;
  o.max_pixels = 4000000; /* keeps each run quick */
  st = sheaf_img_convert(data + 1, size - 1, &o, &r);
  if (st == SHEAF_OK && r.data) {
    if (sheaf_img_sniff(r.data, r.len) != r.fmt || r.width == 0 || r.height == 0)
      abort();
  } else if (st != SHEAF_OK && st != SHEAF_ERR_NOMEM && !r.why[0]) {
    abort(); /* a failure always says why */
  }
  sheaf_free(r.data);
  return 0;
}
