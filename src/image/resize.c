/*
 * This file contains the scaler: Lanczos-3, separable, streaming. Each
 * input row is filtered horizontally as it arrives and kept in a ring of
 * as many rows as the vertical filter reaches; an output row is made as
 * soon as its last input row is in. Memory is that ring plus the output,
 * whatever the size of the input, and a decoder never holds a whole frame
 * for it.
 *
 * Weights are fixed-point (14 bits) and all sums are integers, so the
 * output bytes do not depend on the compiler's floating point; only the
 * weights come from sin(), rounded to 14 bits.
 */
#include <math.h>
#include <string.h>

#include "image/image.h"

#define WBITS 14 /* weight precision */
#define MBITS 6  /* extra precision kept between the two passes */
#define LOBES 3.0

struct axis {
  unsigned *start; /* first input pixel of each output pixel */
  unsigned *n;     /* how many input pixels it takes */
  int16_t *w;      /* their weights, `taps` per output pixel */
  unsigned taps;
};

struct sheaf_resizer {
  unsigned in_w, in_h, out_w, out_h, ch;
  struct axis h, v;
  int32_t *ring; /* `v.taps` rows of out_w*ch horizontally filtered values */
  int32_t *acc;  /* one output row being summed */
  unsigned char *dst;
  void (*emit)(void *ud, const unsigned char *row); /* NULL: dst is the picture */
  void *ud;
  unsigned got;  /* input rows received */
  unsigned next; /* next output row to make */
};

static double lanczos(double x)
{
  const double pi = 3.14159265358979323846;

  if (x < 0)
    x = -x;
  if (x < 1e-9)
    return 1.0;
  if (x >= LOBES)
    return 0.0;
  return LOBES * sin(pi * x) * sin(pi * x / LOBES) / (pi * pi * x * x);
}

static void axis_free(struct axis *a)
{
  sheaf_free(a->start);
  sheaf_free(a->n);
  sheaf_free(a->w);
}

/* Fills `a` for scaling `in` pixels to `out`. */
static bool axis_init(struct axis *a, unsigned in, unsigned out)
{
  double scale = (double)out / in, f = scale < 1.0 ? scale : 1.0;
  double support = LOBES / f;
  double tmp[512];
  unsigned i;

  memset(a, 0, sizeof *a);
  a->taps = in == out ? 1 : (unsigned)ceil(support * 2) + 1;
  if (a->taps > 512)
    a->taps = 512; /* a 1/85 reduction in one step; the codecs never ask it */
  a->start = sheaf_calloc(out, sizeof *a->start);
  a->n = sheaf_calloc(out, sizeof *a->n);
  a->w = sheaf_calloc((size_t)out * a->taps, sizeof *a->w);
  if (!a->start || !a->n || !a->w)
    return false;
  for (i = 0; i < out; i++) {
    double center = ((double)i + 0.5) / scale - 0.5, sum = 0;
    long lo, hi, j;
    int32_t total = 0, best = 0;
    unsigned k, n, big = 0;
    int16_t *w = a->w + (size_t)i * a->taps;

    if (in == out) {
      a->start[i] = i;
      a->n[i] = 1;
      w[0] = 1 << WBITS;
      continue;
    }
    lo = (long)ceil(center - support);
    hi = (long)floor(center + support);
    if (lo < 0)
      lo = 0;
    if (hi > (long)in - 1)
      hi = (long)in - 1;
    if (hi - lo + 1 > (long)a->taps)
      hi = lo + (long)a->taps - 1;
    if (hi < lo)
      hi = lo;
    n = (unsigned)(hi - lo + 1);
    for (j = lo; j <= hi; j++) {
      tmp[j - lo] = lanczos(((double)j - center) * f);
      sum += tmp[j - lo];
    }
    if (sum == 0) {
      tmp[0] = sum = 1;
      n = 1;
    }
    for (k = 0; k < n; k++) {
      w[k] = (int16_t)lrint(tmp[k] / sum * (1 << WBITS));
      total += w[k];
      if (w[k] > best) {
        best = w[k];
        big = k;
      }
    }
    w[big] = (int16_t)(w[big] + ((1 << WBITS) - total)); /* sum exactly 1 */
    a->start[i] = (unsigned)lo;
    a->n[i] = n;
  }
  return true;
}

struct sheaf_resizer *sheaf_resizer_new(unsigned in_w, unsigned in_h, unsigned out_w,
                                        unsigned out_h, unsigned ch, unsigned char *dst,
                                        void (*emit)(void *ud, const unsigned char *row),
                                        void *ud)
{
  struct sheaf_resizer *rs = sheaf_calloc(1, sizeof *rs);
  size_t row;

  if (!rs)
    return NULL;
  rs->in_w = in_w;
  rs->in_h = in_h;
  rs->out_w = out_w;
  rs->out_h = out_h;
  rs->ch = ch;
  rs->dst = dst;
  rs->emit = emit;
  rs->ud = ud;
  row = (size_t)out_w * ch;
  if (!axis_init(&rs->h, in_w, out_w) || !axis_init(&rs->v, in_h, out_h) ||
      !(rs->ring = sheaf_calloc((size_t)rs->v.taps * row, sizeof *rs->ring)) ||
      !(rs->acc = sheaf_calloc(row, sizeof *rs->acc))) {
    sheaf_resizer_free(rs);
    return NULL;
  }
  return rs;
}

void sheaf_resizer_free(struct sheaf_resizer *rs)
{
  if (!rs)
    return;
  axis_free(&rs->h);
  axis_free(&rs->v);
  sheaf_free(rs->ring);
  sheaf_free(rs->acc);
  sheaf_free(rs);
}

/* Rounds a horizontal sum (WBITS fraction) to MBITS; the bias keeps the
 * shift on a non-negative number (negative lobes). */
#define HROUND(a)                                                                        \
  ((int32_t)(((a) + (1 << 24) + (1 << (WBITS - MBITS - 1))) >> (WBITS - MBITS)) -        \
   (1 << (24 - (WBITS - MBITS))))

static void hpass(const struct sheaf_resizer *rs, const unsigned char *src, int32_t *dst)
{
  const struct axis *a = &rs->h;
  unsigned x, k, ch = rs->ch;

  for (x = 0; x < rs->out_w; x++) {
    const int16_t *w = a->w + (size_t)x * a->taps;
    const unsigned char *s = src + (size_t)a->start[x] * ch;
    unsigned n = a->n[x];
    int32_t *d = dst + (size_t)x * ch;
    if (ch == 3) {
      int32_t s0 = 0, s1 = 0, s2 = 0;
      for (k = 0; k < n; k++, s += 3) {
        s0 += w[k] * s[0];
        s1 += w[k] * s[1];
        s2 += w[k] * s[2];
      }
      d[0] = HROUND(s0);
      d[1] = HROUND(s1);
      d[2] = HROUND(s2);
    } else if (ch == 1) {
      int32_t s0 = 0;
      for (k = 0; k < n; k++)
        s0 += w[k] * s[k];
      d[0] = HROUND(s0);
    } else {
      int32_t sum[4] = {0, 0, 0, 0};
      unsigned c;
      for (k = 0; k < n; k++, s += ch)
        for (c = 0; c < ch; c++)
          sum[c] += w[k] * s[c];
      for (c = 0; c < ch; c++)
        d[c] = HROUND(sum[c]);
    }
  }
}

/* Makes output row rs->next from the ring. */
static void vpass(struct sheaf_resizer *rs)
{
  const struct axis *a = &rs->v;
  size_t row = (size_t)rs->out_w * rs->ch, x;
  unsigned k, y = rs->next, n = a->n[y], start = a->start[y];
  const int16_t *w = a->w + (size_t)y * a->taps;
  unsigned char *d = rs->emit ? rs->dst : rs->dst + (size_t)y * row;
  int32_t *acc = rs->acc;

  /* The bias makes every sum non-negative (see HROUND); half of the
   * final step rounds. */
  for (x = 0; x < row; x++)
    acc[x] = (1 << 30) + (1 << (WBITS + MBITS - 1));
  for (k = 0; k < n; k++) {
    const int32_t *s = rs->ring + (size_t)((start + k) % a->taps) * row;
    int32_t wk = w[k];
    for (x = 0; x < row; x++)
      acc[x] += wk * s[x];
  }
  for (x = 0; x < row; x++) {
    int32_t v = (acc[x] >> (WBITS + MBITS)) - (1 << (30 - WBITS - MBITS));
    d[x] = (unsigned char)(v < 0 ? 0 : v > 255 ? 255 : v);
  }
  if (rs->emit)
    rs->emit(rs->ud, d);
  rs->next++;
}

void sheaf_resizer_row(struct sheaf_resizer *rs, const unsigned char *row)
{
  const struct axis *a = &rs->v;
  size_t len = (size_t)rs->out_w * rs->ch;

  if (rs->got >= rs->in_h)
    return;
  hpass(rs, row, rs->ring + (size_t)(rs->got % a->taps) * len);
  rs->got++;
  while (rs->next < rs->out_h && a->start[rs->next] + a->n[rs->next] <= rs->got)
    vpass(rs);
}
