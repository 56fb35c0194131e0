/*
 * This file contains SHA-1 (FIPS 180-4) and UUID version 5 (RFC 4122 4.3),
 * which the book identifier needs: the same sources and selection give the
 * same identifier, so identical input gives a byte-identical book. None of
 * sheaf's dependencies exposes SHA-1, and it is short. It is not used for
 * anything that needs collision resistance.
 */
#include <stdio.h>
#include <string.h>

#include "core/core.h"

static uint32_t rol(uint32_t x, unsigned n)
{
  return (x << n) | (x >> (32 - n));
}

static void compress(struct sheaf_sha1 *s, const unsigned char *b)
{
  uint32_t w[80], a, bb, c, d, e, t;
  unsigned i;

  for (i = 0; i < 16; i++)
    w[i] = (uint32_t)b[4 * i] << 24 | (uint32_t)b[4 * i + 1] << 16 |
           (uint32_t)b[4 * i + 2] << 8 | (uint32_t)b[4 * i + 3];
  for (i = 16; i < 80; i++)
    w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
  a = s->h[0];
  bb = s->h[1];
  c = s->h[2];
  d = s->h[3];
  e = s->h[4];
  for (i = 0; i < 80; i++) {
    uint32_t f, k;
    if (i < 20) {
      f = (bb & c) | (~bb & d);
      k = 0x5A827999;
    } else if (i < 40) {
      f = bb ^ c ^ d;
      k = 0x6ED9EBA1;
    } else if (i < 60) {
      f = (bb & c) | (bb & d) | (c & d);
      k = 0x8F1BBCDC;
    } else {
      f = bb ^ c ^ d;
      k = 0xCA62C1D6;
    }
    t = rol(a, 5) + f + e + k + w[i];
    e = d;
    d = c;
    c = rol(bb, 30);
    bb = a;
    a = t;
  }
  s->h[0] += a;
  s->h[1] += bb;
  s->h[2] += c;
  s->h[3] += d;
  s->h[4] += e;
}

void sheaf_sha1_init(struct sheaf_sha1 *s)
{
  static const uint32_t iv[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476,
                                 0xC3D2E1F0};
  memcpy(s->h, iv, sizeof iv);
  s->len = 0;
  s->used = 0;
}

void sheaf_sha1_update(struct sheaf_sha1 *s, const void *data, size_t n)
{
  const unsigned char *p = data;

  s->len += n;
  while (n) {
    size_t k = 64 - s->used;
    if (k > n)
      k = n;
    memcpy(s->block + s->used, p, k);
    s->used += k;
    p += k;
    n -= k;
    if (s->used == 64) {
      compress(s, s->block);
      s->used = 0;
    }
  }
}

void sheaf_sha1_final(struct sheaf_sha1 *s, unsigned char out[20])
{
  uint64_t bits = s->len * 8;
  unsigned char pad = 0x80, zero = 0, lenb[8];
  unsigned i;

  sheaf_sha1_update(s, &pad, 1);
  while (s->used != 56)
    sheaf_sha1_update(s, &zero, 1);
  for (i = 0; i < 8; i++)
    lenb[i] = (unsigned char)(bits >> (56 - 8 * i));
  sheaf_sha1_update(s, lenb, 8);
  for (i = 0; i < 20; i++)
    out[i] = (unsigned char)(s->h[i / 4] >> (24 - 8 * (i % 4)));
}

void sheaf_uuid5_url(const char *name, size_t n, char out[37])
{
  /* RFC 4122 appendix C: the URL namespace 6ba7b811-9dad-11d1-80b4-00c04fd430c8. */
  static const unsigned char ns[16] = {0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
                                       0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
  struct sheaf_sha1 s;
  unsigned char h[20];

  sheaf_sha1_init(&s);
  sheaf_sha1_update(&s, ns, sizeof ns);
  sheaf_sha1_update(&s, name, n);
  sheaf_sha1_final(&s, h);
  h[6] = (unsigned char)((h[6] & 0x0F) | 0x50);
  h[8] = (unsigned char)((h[8] & 0x3F) | 0x80);
  snprintf(out, 37,
           "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", h[0],
           h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9], h[10], h[11], h[12],
           h[13], h[14], h[15]);
}
