/*
 * This file contains the EXIF orientations as pixel moves: a picture
 * stored sideways or mirrored is turned the way its camera was held. It
 * runs on the scaled picture, which is small, after scaling.
 */
#include <string.h>

#include "image/image.h"

sheaf_status sheaf_img_orient(struct sheaf_img_pixmap *pm, unsigned o)
{
  unsigned w = pm->w, h = pm->h, ch = pm->ch, x, y;
  bool turned = o >= 5 && o <= 8;
  unsigned nw = turned ? h : w, nh = turned ? w : h;
  unsigned char *np;

  if (o < 2 || o > 8)
    return SHEAF_OK;
  np = sheaf_malloc((size_t)w * h * ch);
  if (!np)
    return SHEAF_ERR_NOMEM;
  for (y = 0; y < h; y++) {
    const unsigned char *s = pm->px + (size_t)y * w * ch;
    for (x = 0; x < w; x++, s += ch) {
      unsigned dx, dy;
      switch (o) {
      case 2: /* mirrored */
        dx = w - 1 - x;
        dy = y;
        break;
      case 3: /* upside down */
        dx = w - 1 - x;
        dy = h - 1 - y;
        break;
      case 4: /* upside down, mirrored */
        dx = x;
        dy = h - 1 - y;
        break;
      case 5: /* transposed */
        dx = y;
        dy = x;
        break;
      case 6: /* turned a quarter clockwise to view */
        dx = h - 1 - y;
        dy = x;
        break;
      case 7: /* transversed */
        dx = h - 1 - y;
        dy = w - 1 - x;
        break;
      default: /* 8: turned a quarter anticlockwise to view */
        dx = y;
        dy = w - 1 - x;
        break;
      }
      memcpy(np + ((size_t)dy * nw + dx) * ch, s, ch);
    }
  }
  sheaf_free(pm->px);
  pm->px = np;
  pm->w = nw;
  pm->h = nh;
  return SHEAF_OK;
}
