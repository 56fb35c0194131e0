/*
 * This file contains the one EXIF reading sheaf needs: the orientation tag
 * (0x0112) of the first image directory, which says how a camera held
 * sideways stored its picture. A full EXIF library would parse every tag
 * and maker note of hostile files to get one short; this reads one
 * directory, every offset checked against the length.
 */
#include "image/image.h"

static unsigned rd16(const unsigned char *p, bool le)
{
  return le ? (unsigned)p[0] | (unsigned)p[1] << 8 : (unsigned)p[0] << 8 | p[1];
}

static uint32_t rd32(const unsigned char *p, bool le)
{
  return le ? (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                  (uint32_t)p[3] << 24
            : (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

unsigned sheaf_img_exif_orientation(const unsigned char *p, size_t n)
{
  bool le;
  uint32_t ifd;
  unsigned count, i;

  if (n < 8)
    return 1;
  if (p[0] == 'I' && p[1] == 'I')
    le = true;
  else if (p[0] == 'M' && p[1] == 'M')
    le = false;
  else
    return 1;
  if (rd16(p + 2, le) != 42)
    return 1;
  ifd = rd32(p + 4, le);
  if (ifd < 8 || ifd > n - 2)
    return 1;
  count = rd16(p + ifd, le);
  for (i = 0; i < count; i++) {
    size_t e = (size_t)ifd + 2 + (size_t)i * 12;
    unsigned v;
    if (e + 12 > n)
      break;
    if (rd16(p + e, le) != 0x0112)
      continue;
    if (rd16(p + e + 2, le) != 3 || rd32(p + e + 4, le) != 1) /* one SHORT */
      return 1;
    v = rd16(p + e + 8, le);
    return v >= 1 && v <= 8 ? v : 1;
  }
  return 1;
}
