/*
 * This file contains the optimal Huffman tables of a baseline JPEG, found
 * from a first encoding of the same picture with the standard tables.
 *
 * libjpeg makes optimal tables (optimize_coding) by keeping every DCT
 * coefficient of the picture until the end (12 MB for the 1600x2560
 * cover) and counting the symbols before it writes any. The cover is drawn
 * band by band instead, so its encoder holds a few rows: it is encoded
 * once with the standard tables, the symbols of that stream are counted
 * here (the same symbols whatever the tables: each coefficient's category
 * and run of zeros), the tables are built from the counts as libjpeg
 * builds them (JPEG Annex K.2, ties broken towards the larger symbol, code
 * lengths capped at 16), and the picture is encoded again with them. The
 * bytes are those of libjpeg's own optimize_coding, which
 * tests/unit/test_cover.c checks.
 */
#include <string.h>

#include "layout/layout.h"

/* One Huffman table as a DHT segment gives it. */
struct table {
  unsigned char bits[17]; /* bits[k]: codes of k bits */
  unsigned char val[256]; /* symbols, by code */
  bool set;
};

/* Reads the entropy-coded data bit by bit, taking out the 0x00 stuffed
 * after each 0xFF. */
struct bits {
  const unsigned char *p, *end;
  unsigned acc;
  int n;
};

static int bit(struct bits *b)
{
  if (b->n == 0) {
    if (b->p >= b->end)
      return -1;
    b->acc = *b->p++;
    if (b->acc == 0xFF) {
      if (b->p >= b->end || *b->p != 0x00)
        return -1; /* a marker: the data ended before the picture */
      b->p++;
    }
    b->n = 8;
  }
  b->n--;
  return (int)(b->acc >> b->n) & 1;
}

/* Reads `n` bits and drops them (a coefficient's value). */
static bool skip(struct bits *b, int n)
{
  while (n-- > 0)
    if (bit(b) < 0)
      return false;
  return true;
}

/* The next symbol of table `t`: codes are canonical, each length's codes
 * following the shorter ones'. -1 when the data is not a code. */
static int symbol(struct bits *b, const struct table *t)
{
  int code = 0, first = 0, index = 0, len, c;

  for (len = 1; len <= 16; len++) {
    if ((c = bit(b)) < 0)
      return -1;
    code |= c;
    if (code - first < t->bits[len])
      return t->val[index + code - first];
    index += t->bits[len];
    first = (first + t->bits[len]) << 1;
    code <<= 1;
  }
  return -1;
}

/* Counts one block's symbols: the DC difference's category, then the AC
 * run/size symbols (ZRL 0xF0 for 16 zeros, EOB 0x00). */
static bool block(struct bits *b, const struct table *dc, const struct table *ac,
                  long dcf[257], long acf[257])
{
  int s = symbol(b, dc), k;

  if (s < 0 || s > 15 || !skip(b, s))
    return false;
  dcf[s]++;
  for (k = 1; k < 64;) {
    int rs = symbol(b, ac);
    if (rs < 0)
      return false;
    acf[rs]++;
    if ((rs & 15) == 0) {
      if (rs != 0xF0)
        break; /* EOB */
      k += 16;
      continue;
    }
    if (!skip(b, rs & 15))
      return false;
    k += (rs >> 4) + 1;
  }
  return k <= 64;
}

/* Builds the optimal table for the counts `f` (changed) as libjpeg's
 * jpeg_gen_optimal_table() does, so the bytes come out the same: symbol
 * 256 is a reserved code point that keeps any code from being all ones. */
static bool optimal(long f[257], unsigned char bits[17], unsigned char val[256])
{
  int size[257], next[257], count[33];
  int i, j, k = 0;

  f[256] = 1;
  memset(count, 0, sizeof count);
  for (i = 0; i < 257; i++) {
    size[i] = 0;
    next[i] = -1;
  }
  for (;;) {
    int c1 = -1, c2 = -1;
    long v = 1000000000L;
    /* The two smallest counts; of equal ones, the larger symbol. */
    for (i = 0; i <= 256; i++)
      if (f[i] && f[i] <= v) {
        v = f[i];
        c1 = i;
      }
    v = 1000000000L;
    for (i = 0; i <= 256; i++)
      if (f[i] && f[i] <= v && i != c1) {
        v = f[i];
        c2 = i;
      }
    if (c2 < 0)
      break;
    f[c1] += f[c2];
    f[c2] = 0;
    for (size[c1]++; next[c1] >= 0; size[c1]++)
      c1 = next[c1];
    next[c1] = c2;
    for (size[c2]++; next[c2] >= 0; size[c2]++)
      c2 = next[c2];
  }
  for (i = 0; i <= 256; i++)
    if (size[i]) {
      if (size[i] > 32)
        return false;
      count[size[i]]++;
    }
  /* No code longer than 16 bits (Annex K.3): a pair of the longest codes
   * gives way to a shorter one's two children. */
  for (i = 32; i > 16; i--)
    while (count[i] > 0) {
      j = i - 2;
      while (count[j] == 0)
        j--;
      count[i] -= 2;
      count[i - 1]++;
      count[j + 1] += 2;
      count[j]--;
    }
  while (count[i] == 0)
    i--;
  count[i]--; /* the reserved code point goes */
  bits[0] = 0;
  for (i = 1; i <= 16; i++)
    bits[i] = (unsigned char)count[i];
  for (i = 1; i <= 32; i++)
    for (j = 0; j <= 255; j++)
      if (size[j] == i)
        val[k++] = (unsigned char)j;
  return true;
}

static unsigned be16(const unsigned char *p)
{
  return (unsigned)p[0] << 8 | p[1];
}

bool sheaf_jpeg_optimal_tables(const unsigned char *jpg, size_t n,
                               struct sheaf_jpeg_tables *out)
{
  struct table dht[2][2]; /* [class: 0 DC, 1 AC][number] */
  int hs[4] = {0}, vs[4] = {0}, comp_id[4] = {0}, ncomp = 0, hmax = 1, vmax = 1;
  unsigned width = 0, height = 0;
  long dcf[2][257], acf[2][257];
  const unsigned char *p = jpg, *end = jpg + n;
  int i;

  memset(dht, 0, sizeof dht);
  memset(dcf, 0, sizeof dcf);
  memset(acf, 0, sizeof acf);
  if (n < 4 || p[0] != 0xFF || p[1] != 0xD8)
    return false;
  for (p += 2; p + 4 <= end;) {
    unsigned m = p[1], len = be16(p + 2);
    const unsigned char *seg = p + 4, *segend = p + 2 + len;
    if (p[0] != 0xFF || len < 2 || segend > end)
      return false;
    if (m == 0xC4) { /* DHT */
      while (seg + 17 <= segend) {
        unsigned tc = seg[0] >> 4, th = seg[0] & 15, total = 0;
        struct table *t;
        if (tc > 1 || th > 1)
          return false;
        t = &dht[tc][th];
        memcpy(t->bits + 1, seg + 1, 16);
        for (i = 1; i <= 16; i++)
          total += t->bits[i];
        if (total > 256 || seg + 17 + total > segend)
          return false;
        memcpy(t->val, seg + 17, total);
        t->set = true;
        seg += 17 + total;
      }
    } else if (m == 0xC0) { /* SOF0: baseline */
      if (len < 8)
        return false;
      height = be16(seg + 1);
      width = be16(seg + 3);
      ncomp = seg[5];
      if (ncomp < 1 || ncomp > 3 || len < 8u + 3u * (unsigned)ncomp)
        return false;
      for (i = 0; i < ncomp; i++) {
        comp_id[i] = seg[6 + 3 * i];
        hs[i] = seg[7 + 3 * i] >> 4;
        vs[i] = seg[7 + 3 * i] & 15;
        if (hs[i] < 1 || vs[i] < 1 || hs[i] > 2 || vs[i] > 2)
          return false;
        hmax = hs[i] > hmax ? hs[i] : hmax;
        vmax = vs[i] > vmax ? vs[i] : vmax;
      }
    } else if (m == 0xC1 || m == 0xC2 || m == 0xDD) {
      return false;         /* not baseline, or restart intervals: not sheaf's */
    } else if (m == 0xDA) { /* SOS: one scan of every component */
      int ns = seg[0], which[4], td[4], ta[4], c;
      unsigned mx, my, x, y;
      struct bits b;
      if (ns != ncomp || len != 6u + 2u * (unsigned)ns || width == 0 || height == 0)
        return false;
      for (i = 0; i < ns; i++) {
        for (which[i] = -1, c = 0; c < ncomp; c++)
          if (comp_id[c] == seg[1 + 2 * i])
            which[i] = c;
        td[i] = seg[2 + 2 * i] >> 4;
        ta[i] = seg[2 + 2 * i] & 15;
        if (which[i] < 0 || td[i] > 1 || ta[i] > 1 || !dht[0][td[i]].set ||
            !dht[1][ta[i]].set)
          return false;
      }
      b.p = segend;
      b.end = end;
      b.n = 0;
      b.acc = 0;
      mx = (width + 8u * (unsigned)hmax - 1) / (8u * (unsigned)hmax);
      my = (height + 8u * (unsigned)vmax - 1) / (8u * (unsigned)vmax);
      for (y = 0; y < my; y++)
        for (x = 0; x < mx; x++)
          for (i = 0; i < ns; i++) {
            int k, blocks = hs[which[i]] * vs[which[i]];
            for (k = 0; k < blocks; k++)
              if (!block(&b, &dht[0][td[i]], &dht[1][ta[i]], dcf[td[i]], acf[ta[i]]))
                return false;
          }
      for (i = 0; i < 2; i++) {
        bool dc_used = false, ac_used = false;
        for (c = 0; c < ns; c++) {
          dc_used |= td[c] == i;
          ac_used |= ta[c] == i;
        }
        out->used[i] = dc_used && ac_used;
        if (out->used[i] && (!optimal(dcf[i], out->dc_bits[i], out->dc_val[i]) ||
                             !optimal(acf[i], out->ac_bits[i], out->ac_val[i])))
          return false;
      }
      return true;
    }
    p = segend;
  }
  return false;
}
