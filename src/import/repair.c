/*
 * This file contains the repairs sheaf makes to broken XML feeds before
 * parsing them, and the inflating of gzip-compressed input. The repairs are
 * textual and done in one linear scan that knows comments, CDATA sections,
 * processing instructions, the DOCTYPE (and the entities its internal subset
 * declares), tags and attribute values, so text inside comments and CDATA
 * is never changed: whitespace or a BOM before the declaration, a doubled or
 * broken declaration, HTML entities XML does not define (looked up in
 * libxml2's HTML table), bare '&' and '<', characters XML 1.0 forbids,
 * content after the root element, and a file that ends in the middle of an
 * item (cut after the last complete item, open ancestors closed). Each kind
 * of repair is reported once per file with its count and first line. When
 * nothing needs repair, nothing is copied.
 */
#include <string.h>

#include <libxml/HTMLparser.h>
#define ZLIB_CONST /* next_in reads const bytes */
#include <zlib.h>

#include "import/import.h"

#define MAX_DEPTH 256
#define MAX_ENTITIES 64

/* ---- gzip ------------------------------------------------------------------- */

static sheaf_status too_big(const char *path, size_t max, sheaf_diag *diag)
{
  char sz[32];

  sheaf_diag_add(diag, SHEAF_ERROR, "limit", path, 0, 0,
                 "the file inflates to more than %s (--max-input-size); split it into "
                 "smaller files or raise the limit, e.g. --max-input-size 2G",
                 sheaf_size_str(max, sz));
  return SHEAF_ERR_LIMIT;
}

sheaf_status sheaf_import_gunzip(struct sheaf_input *in, size_t max, sheaf_diag *diag)
{
  const char *path = in->name;
  const unsigned char *data = (const unsigned char *)in->data;
  size_t n = in->len;
  z_stream z;
  char *out = NULL;
  size_t cap, len = 0;
  int rc = Z_OK;
  sheaf_status ret = SHEAF_OK;

  if (n < 2 || data[0] != 0x1F || data[1] != 0x8B)
    return SHEAF_OK;
  memset(&z, 0, sizeof z);
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
    return SHEAF_ERR_NOMEM;
  cap = n < max / 4 ? n * 4 + 4096 : max + 1;
  if ((out = sheaf_malloc(cap)) == NULL) {
    ret = SHEAF_ERR_NOMEM;
    goto out;
  }
  z.next_in = data;
  z.avail_in = (uInt)(n > 0xFFFFFFFFu ? 0xFFFFFFFFu : n);
  for (;;) {
    if (cap - len - 1 == 0) {
      size_t ncap = cap * 2;
      char *p;
      if (len > max) {
        ret = too_big(path, max, diag);
        goto out;
      }
      if (ncap > max + 2)
        ncap = max + 2;
      if ((p = sheaf_realloc(out, ncap)) == NULL) {
        ret = SHEAF_ERR_NOMEM;
        goto out;
      }
      out = p;
      cap = ncap;
    }
    z.next_out = (unsigned char *)out + len;
    z.avail_out = (uInt)(cap - len - 1 > 0x40000000 ? 0x40000000 : cap - len - 1);
    {
      uInt before = z.avail_out;
      rc = inflate(&z, Z_NO_FLUSH);
      len += before - z.avail_out;
    }
    if (len > max) {
      ret = too_big(path, max, diag);
      goto out;
    }
    if (rc == Z_STREAM_END) {
      /* Concatenated members are one file (gzip -c a b). */
      if (z.avail_in >= 2 && z.next_in[0] == 0x1F && z.next_in[1] == 0x8B &&
          inflateReset(&z) == Z_OK)
        continue;
      break;
    }
    if (rc == Z_BUF_ERROR && z.avail_in == 0)
      rc = Z_DATA_ERROR; /* the stream ends early */
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      if (rc == Z_MEM_ERROR) {
        ret = SHEAF_ERR_NOMEM;
      } else {
        sheaf_diag_add(diag, SHEAF_ERROR, "gzip", path, 0, 0,
                       "this is a gzip-compressed file, but it is damaged: %s",
                       z.msg ? z.msg : "the data ends early");
        ret = SHEAF_ERR_IO;
      }
      goto out;
    }
  }
  out[len] = '\0';
  sheaf_diag_add(diag, SHEAF_NOTE, "gzip", path, 0, 0,
                 "gzip-compressed; inflated %zu bytes to %zu", n, len);
  sheaf_input_replace(in, out, len);
  out = NULL;
out:
  inflateEnd(&z);
  sheaf_free(out);
  return ret;
}

/* ---- the repair scan --------------------------------------------------------- */

enum fix {
  FIX_PROLOG,
  FIX_DECL,
  FIX_ENTITY,
  FIX_AMP,
  FIX_LT,
  FIX_CONTROL,
  FIX_TRAILING,
  FIX_COUNT
};

struct span {
  size_t off, len;
};

struct rep {
  const char *s;
  size_t n;
  size_t done;          /* s[0..done) is accounted for in out */
  struct sheaf_buf out; /* used once something changed */
  bool changed;
  size_t count[FIX_COUNT];
  size_t first[FIX_COUNT]; /* source offset of the first of each kind */
  struct span stack[MAX_DEPTH];
  size_t depth;
  bool deep;                      /* nesting beyond MAX_DEPTH: no truncation repair */
  struct span ents[MAX_ENTITIES]; /* entities the internal subset declares */
  size_t nents;
  /* The end of the last complete item and the open elements there. */
  bool have_cut;
  size_t cut_src, cut_out, cut_items;
  struct span cut_stack[MAX_DEPTH];
  size_t cut_depth;
  size_t items;      /* complete items */
  size_t item_start; /* offset of the last item start tag */
  bool root_done;
};

static void note(struct rep *r, enum fix k, size_t at)
{
  if (r->count[k]++ == 0)
    r->first[k] = at;
}

/* Copies s[done..i) to the output, switching to a copy at the first change. */
static void upto(struct rep *r, size_t i)
{
  if (!r->changed) {
    r->changed = true;
    sheaf_buf_put(&r->out, r->s, r->done);
  }
  sheaf_buf_put(&r->out, r->s + r->done, i - r->done);
  r->done = i;
}

/* Replaces s[i..i+skip) by `with`. */
static void replace(struct rep *r, size_t i, size_t skip, const char *with, size_t wn)
{
  upto(r, i);
  sheaf_buf_put(&r->out, with, wn);
  r->done = i + skip;
}

/* Output offset that corresponds to source offset i (i >= done). */
static size_t outpos(const struct rep *r, size_t i)
{
  return r->changed ? r->out.len + (i - r->done) : i;
}

static bool name_start(int c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
         c >= 0x80;
}

static bool name_char(int c)
{
  return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

/* Finds `what` (a few bytes) in s[i..n); returns its offset or n. */
static size_t find(const char *s, size_t n, size_t i, const char *what)
{
  size_t k = strlen(what);
  const char *p;

  while (i + k <= n && (p = memchr(s + i, what[0], n - i - k + 1)) != NULL) {
    i = (size_t)(p - s);
    if (memcmp(p, what, k) == 0)
      return i;
    i++;
  }
  return n;
}

/* Characters XML 1.0 forbids: C0 controls but tab, LF, CR; U+FFFE, U+FFFF.
 * Replaced everywhere, in comments and CDATA too: there they are fatal as
 * well. Returns the bytes to drop at s[i], or 0. */
static size_t forbidden(const struct rep *r, size_t i)
{
  unsigned char c = (unsigned char)r->s[i];

  if (c < 0x20)
    return c == '\t' || c == '\n' || c == '\r' ? 0 : 1;
  if (c == 0xEF && i + 2 < r->n && (unsigned char)r->s[i + 1] == 0xBF &&
      ((unsigned char)r->s[i + 2] == 0xBE || (unsigned char)r->s[i + 2] == 0xBF))
    return 3;
  return 0;
}

/* Replaces the forbidden character of k bytes at s[i]: a control
 * character by a space, as it most often stands between words (a vertical
 * tab or form feed for a line break, a backspace in "ab\bcd" that a
 * reader would not see), so the words around it stay apart; U+FFFE and
 * U+FFFF (a byte-order mark read the wrong way round) by nothing. */
static void forbidden_out(struct rep *r, size_t i, size_t k)
{
  note(r, FIX_CONTROL, i);
  replace(r, i, k, " ", k == 1 ? 1 : 0);
}

/* True when one of the 8 bytes of `w` is below 0x20 or is 0xEF: the only
 * bytes forbidden() looks at. (Bitwise: a byte below 0x20 borrows when
 * 0x20 is subtracted; 0xEF is the byte that XORs to zero.) */
static bool suspect_word(uint64_t w)
{
  const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
  uint64_t x = w ^ (0xEF * ones);

  return (((w - 0x20 * ones) & ~w) | ((x - ones) & ~x)) & high;
}

/* Replaces forbidden characters in s[i..end) (a comment, CDATA, PI). The
 * bulk of a feed is CDATA: runs of 8 bytes with no suspect byte are passed
 * over whole. */
static void controls(struct rep *r, size_t i, size_t end)
{
  size_t k;

  for (; i < end; i++) {
    uint64_t w;
    while (i + 8 <= end && (memcpy(&w, r->s + i, 8), !suspect_word(w)))
      i += 8;
    if (i >= end)
      break;
    unsigned char c = (unsigned char)r->s[i];
    if ((c < 0x20 || c == 0xEF) && (k = forbidden(r, i)) != 0) {
      forbidden_out(r, i, k);
      i += k - 1;
    }
  }
}

static bool declared_entity(const struct rep *r, const char *name, size_t len)
{
  size_t i;

  for (i = 0; i < r->nents; i++)
    if (r->ents[i].len == len && memcmp(r->s + r->ents[i].off, name, len) == 0)
      return true;
  return false;
}

static bool xml_char(unsigned long c)
{
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

/* The '&' at s[i], in text or an attribute value. */
static void amp(struct rep *r, size_t i)
{
  const char *s = r->s;
  size_t k = i + 1;

  if (k < r->n && s[k] == '#') {
    bool hex = k + 1 < r->n && (s[k + 1] == 'x' || s[k + 1] == 'X');
    unsigned long cp = 0;
    size_t d = k + (hex ? 2 : 1), start = d;
    for (; d < r->n && d < start + 8; d++) {
      int c = (unsigned char)s[d];
      if (c >= '0' && c <= '9')
        cp = cp * (hex ? 16 : 10) + (unsigned long)(c - '0');
      else if (hex && ((c | 32) >= 'a' && (c | 32) <= 'f'))
        cp = cp * 16 + (unsigned long)((c | 32) - 'a' + 10);
      else
        break;
    }
    if (d > start && d < r->n && s[d] == ';') {
      if (!xml_char(cp)) {
        note(r, FIX_CONTROL, i);
        replace(r, i, d + 1 - i, "", 0);
      }
      return;
    }
  } else if (k < r->n && name_start((unsigned char)s[k])) {
    size_t e = k;
    while (e < r->n && e < k + 40 && name_char((unsigned char)s[e]))
      e++;
    if (e < r->n && s[e] == ';') {
      size_t len = e - k;
      char name[48];
      const htmlEntityDesc *ent;
      static const char *const xml5[] = {"amp", "lt", "gt", "quot", "apos"};
      size_t x;
      for (x = 0; x < 5; x++)
        if (strlen(xml5[x]) == len && memcmp(s + k, xml5[x], len) == 0)
          return;
      if (declared_entity(r, s + k, len))
        return;
      memcpy(name, s + k, len);
      name[len] = '\0';
      if ((ent = htmlEntityLookup((const xmlChar *)name)) != NULL) {
        char num[16];
        int m = snprintf(num, sizeof num, "&#%u;", ent->value);
        note(r, FIX_ENTITY, i);
        replace(r, i, e + 1 - i, num, (size_t)m);
        return;
      }
    }
  }
  note(r, FIX_AMP, i);
  replace(r, i, 1, "&amp;", 5);
}

/* Is the declaration s[0..end) (end past "?>") well-formed? */
static bool decl_ok(const char *s, size_t end)
{
  static const char *const names[] = {"version", "encoding", "standalone"};
  size_t i = 5, which = 0, k;

  while (i < end - 2) {
    size_t nstart;
    char q;
    if (!sheaf_is_xml_space((unsigned char)s[i]))
      return false;
    while (i < end - 2 && sheaf_is_xml_space((unsigned char)s[i]))
      i++;
    if (i >= end - 2)
      break;
    nstart = i;
    while (i < end - 2 && name_char((unsigned char)s[i]))
      i++;
    for (k = which; k < 3; k++)
      if (strlen(names[k]) == i - nstart && memcmp(s + nstart, names[k], i - nstart) == 0)
        break;
    if (k == 3 || (which == 0 && k != 0))
      return false;
    which = k + 1;
    while (i < end - 2 && sheaf_is_xml_space((unsigned char)s[i]))
      i++;
    if (i >= end - 2 || s[i] != '=')
      return false;
    i++;
    while (i < end - 2 && sheaf_is_xml_space((unsigned char)s[i]))
      i++;
    if (i >= end - 2 || (s[i] != '"' && s[i] != '\''))
      return false;
    q = s[i++];
    while (i < end - 2 && s[i] != q && s[i] != '<')
      i++;
    if (i >= end - 2 || s[i] != q)
      return false;
    i++;
  }
  return which > 0;
}

/* The start of the document: BOMs or whitespace before the declaration are
 * moved after it (keeping line numbers), a broken declaration is replaced.
 * Returns where the scan goes on. */
static size_t prolog(struct rep *r)
{
  const char *s = r->s;
  size_t i = 0, lines = 0, end, gt, k;

  for (;;) {
    if (i + 3 <= r->n && memcmp(s + i, "\xEF\xBB\xBF", 3) == 0)
      i += 3;
    else if (i < r->n && sheaf_is_xml_space((unsigned char)s[i]))
      lines += s[i++] == '\n';
    else
      break;
  }
  if (i + 6 > r->n || memcmp(s + i, "<?xml", 5) != 0 ||
      !sheaf_is_xml_space((unsigned char)s[i + 5]))
    return 0;
  end = find(s, r->n, i, "?>");
  gt = find(s, r->n, i, ">");
  if (end < r->n && end + 1 == gt && decl_ok(s + i, end + 2 - i)) {
    if (i == 0)
      return end + 2;
    note(r, FIX_PROLOG, 0);
    r->done = i;
    r->changed = true;
    sheaf_buf_put(&r->out, s + i, end + 2 - i);
    for (k = 0; k < lines; k++)
      sheaf_buf_putc(&r->out, '\n');
    r->done = end + 2;
    return end + 2;
  }
  /* Broken: up to the first '>' (or the line's end) it is replaced. */
  if (gt == r->n)
    return i;
  note(r, FIX_DECL, i);
  r->changed = true;
  sheaf_buf_puts(&r->out, "<?xml version=\"1.0\"?>");
  for (k = 0; k < lines; k++)
    sheaf_buf_putc(&r->out, '\n');
  for (k = i; k < gt; k++)
    if (s[k] == '\n')
      sheaf_buf_putc(&r->out, '\n');
  r->done = gt + 1;
  return gt + 1;
}

/* The DOCTYPE at s[i]: its internal subset's entity names are remembered.
 * Returns the offset past it, or n when it does not end. */
static size_t doctype(struct rep *r, size_t i)
{
  const char *s = r->s;
  int bracket = 0;
  char q = 0;

  for (i += 9; i < r->n; i++) {
    char c = s[i];
    if (q) {
      if (c == q)
        q = 0;
    } else if (c == '"' || c == '\'') {
      q = c;
    } else if (c == '[') {
      bracket++;
    } else if (c == ']') {
      bracket--;
    } else if (c == '>' && bracket <= 0) {
      return i + 1;
    } else if (c == '<' && bracket > 0 && i + 8 < r->n &&
               memcmp(s + i, "<!ENTITY", 8) == 0) {
      size_t k = i + 8, st;
      while (k < r->n && sheaf_is_xml_space((unsigned char)s[k]))
        k++;
      if (k < r->n && s[k] == '%')
        continue; /* a parameter entity */
      st = k;
      while (k < r->n && name_char((unsigned char)s[k]))
        k++;
      if (k > st && r->nents < MAX_ENTITIES)
        r->ents[r->nents++] = (struct span){st, k - st};
    } else if (c == '<' && bracket > 0 && i + 4 < r->n && memcmp(s + i, "<!--", 4) == 0) {
      i = find(s, r->n, i + 4, "-->");
      if (i == r->n)
        return r->n;
      i += 2;
    }
  }
  return r->n;
}

static bool is_item(const char *name, size_t len)
{
  const char *colon = memchr(name, ':', len);

  if (colon) {
    len -= (size_t)(colon + 1 - name);
    name = colon + 1;
  }
  return (len == 4 && memcmp(name, "item", 4) == 0) ||
         (len == 5 && memcmp(name, "entry", 5) == 0);
}

/* A start tag at s[i] ('<' then a name start): attribute values get their
 * '&' and '<' repaired. Returns the offset past it, or n if it does not end. */
static size_t start_tag(struct rep *r, size_t i)
{
  const char *s = r->s;
  size_t k = i + 1, nst = k;
  char q = 0;

  while (k < r->n && name_char((unsigned char)s[k]))
    k++;
  {
    struct span name = {nst, k - nst};
    for (; k < r->n; k++) {
      char c = s[k];
      if (q) {
        if (c == q)
          q = 0;
        else if (c == '&')
          amp(r, k);
        else if (c == '<') {
          note(r, FIX_LT, k);
          replace(r, k, 1, "&lt;", 4);
        } else if ((unsigned char)c < 0x20 && forbidden(r, k)) {
          forbidden_out(r, k, 1);
        }
      } else if (c == '"' || c == '\'') {
        q = c;
      } else if (c == '>') {
        bool empty = s[k - 1] == '/';
        if (!empty) {
          if (r->depth < MAX_DEPTH)
            r->stack[r->depth] = name;
          else
            r->deep = true;
          r->depth++;
        }
        if (is_item(s + name.off, name.len))
          r->item_start = i;
        return k + 1;
      } else if (c == '<') {
        return r->n; /* a tag that never ends */
      }
    }
  }
  return r->n;
}

static size_t end_tag(struct rep *r, size_t i)
{
  const char *s = r->s;
  size_t k = i + 2, nst = k, gt;

  while (k < r->n && name_char((unsigned char)s[k]))
    k++;
  gt = k;
  while (gt < r->n && sheaf_is_xml_space((unsigned char)s[gt]))
    gt++;
  if (gt >= r->n || s[gt] != '>')
    return r->n;
  /* Pop to the matching open element: an unclosed <p> inside it goes too. */
  if (!r->deep) {
    size_t j = r->depth, lim = r->depth > 8 ? r->depth - 8 : 0;
    while (j-- > lim)
      if (r->stack[j].len == k - nst &&
          memcmp(s + r->stack[j].off, s + nst, k - nst) == 0) {
        r->depth = j;
        break;
      }
  } else if (r->depth > 0) {
    r->depth--;
  }
  if (is_item(s + nst, k - nst) && !r->deep) {
    r->items++;
    r->have_cut = true;
    r->cut_src = gt + 1;
    r->cut_out = outpos(r, gt + 1);
    r->cut_items = r->items;
    r->cut_depth = r->depth;
    memcpy(r->cut_stack, r->stack, r->depth * sizeof r->stack[0]);
  }
  if (r->depth == 0)
    r->root_done = true;
  return gt + 1;
}

/* The file ends inside an element (or a tag, comment, CDATA section): cut
 * after the last complete item and close what was open there. */
static void truncated(struct rep *r, const char *path, sheaf_diag *diag)
{
  size_t k;
  struct sheaf_buf close;

  if (!r->have_cut || r->deep)
    return; /* nothing to keep: the parser reports the breakage */
  if (!r->changed) {
    r->changed = true;
    sheaf_buf_put(&r->out, r->s, r->cut_src);
  } else {
    /* cut_out counted the source bytes after `done` as if copied; copy
     * them before cutting there (found by fuzz_feed). */
    if (r->done < r->cut_src)
      upto(r, r->cut_src);
    if (r->out.failed || r->out.len < r->cut_out)
      return;
    r->out.len = r->cut_out;
    r->out.ptr[r->out.len] = '\0';
  }
  sheaf_buf_init(&close, 0);
  for (k = r->cut_depth; k-- > 0;) {
    sheaf_buf_puts(&close, "</");
    sheaf_buf_put(&close, r->s + r->cut_stack[k].off, r->cut_stack[k].len);
    sheaf_buf_putc(&close, '>');
  }
  sheaf_buf_put(&r->out, close.ptr, close.len);
  sheaf_buf_putc(&r->out, '\n');
  if (r->item_start > r->cut_src)
    sheaf_diag_add(
        diag, SHEAF_WARNING, "truncated", path, sheaf_line_at(r->s, r->item_start), 0,
        "the file ends in the middle of the item that starts here; it is lost, "
        "the %zu complete items before it are kept (closed with %s)",
        r->cut_items, close.ptr);
  else
    sheaf_diag_add(diag, SHEAF_WARNING, "truncated", path,
                   sheaf_line_at(r->s, r->cut_src), 0,
                   "the file ends early, after %zu complete items; closed it with %s",
                   r->cut_items, close.ptr);
  sheaf_buf_fini(&close);
  r->done = r->n;
}

/* Which bytes stop the fast skip through text: control characters but
 * tab, line feed and carriage return; '<', '&', and 0xEF (the first byte
 * of a BOM or U+FFFx). A constant, so imports on several threads share it
 * without a race. */
static const unsigned char special[256] = {
    [0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1,
    [0x07] = 1, [0x08] = 1, [0x0B] = 1, [0x0C] = 1, [0x0E] = 1, [0x0F] = 1, [0x10] = 1,
    [0x11] = 1, [0x12] = 1, [0x13] = 1, [0x14] = 1, [0x15] = 1, [0x16] = 1, [0x17] = 1,
    [0x18] = 1, [0x19] = 1, [0x1A] = 1, [0x1B] = 1, [0x1C] = 1, [0x1D] = 1, [0x1E] = 1,
    [0x1F] = 1, ['<'] = 1,  ['&'] = 1,  [0xEF] = 1,
};

static void scan(struct rep *r, struct sheaf_input *in, sheaf_diag *diag)
{
  const char *s = r->s;
  size_t i = prolog(r), k, e, advise_at = (size_t)1 << 20;

  while (i < r->n) {
    unsigned char c = (unsigned char)s[i];
    if (i >= advise_at) { /* a mapped input's pages behind go back */
      sheaf_input_advise(in, s + i);
      advise_at = i + ((size_t)1 << 20);
    }
    if (r->root_done && !sheaf_is_xml_space(c) && c != '<') {
      note(r, FIX_TRAILING, i);
      upto(r, i);
      sheaf_buf_putc(&r->out, '\n');
      r->done = r->n;
      return;
    }
    if (!special[c]) {
      i++;
      continue;
    }
    if (c == '&') {
      amp(r, i);
      i++;
    } else if (c != '<') {
      if ((k = forbidden(r, i)) != 0) {
        forbidden_out(r, i, k);
        i += k;
      } else {
        i++;
      }
    } else if (i + 4 <= r->n && memcmp(s + i, "<!--", 4) == 0) {
      if ((e = find(s, r->n, i + 4, "-->")) == r->n)
        break;
      controls(r, i + 4, e);
      i = e + 3;
    } else if (i + 9 <= r->n && memcmp(s + i, "<![CDATA[", 9) == 0) {
      if ((e = find(s, r->n, i + 9, "]]>")) == r->n)
        break;
      controls(r, i + 9, e);
      i = e + 3;
    } else if (i + 2 <= r->n && s[i + 1] == '?') {
      if ((e = find(s, r->n, i + 2, "?>")) == r->n)
        break;
      if (i + 6 <= r->n && memcmp(s + i, "<?xml", 5) == 0 &&
          (sheaf_is_xml_space((unsigned char)s[i + 5]) || s[i + 5] == '?')) {
        note(r, FIX_DECL, i); /* a second declaration */
        replace(r, i, e + 2 - i, "", 0);
      } else {
        controls(r, i + 2, e);
      }
      i = e + 2;
    } else if (i + 9 <= r->n && memcmp(s + i, "<!DOCTYPE", 9) == 0) {
      if ((i = doctype(r, i)) == r->n)
        break;
    } else if (i + 1 < r->n && s[i + 1] == '/') {
      if ((i = end_tag(r, i)) == r->n)
        break;
    } else if (i + 1 < r->n && name_start((unsigned char)s[i + 1])) {
      if (r->root_done) {
        note(r, FIX_TRAILING, i);
        upto(r, i);
        sheaf_buf_putc(&r->out, '\n');
        r->done = r->n;
        return;
      }
      if ((i = start_tag(r, i)) == r->n)
        break;
    } else {
      note(r, FIX_LT, i);
      replace(r, i, 1, "&lt;", 4);
      i++;
    }
  }
  if (i < r->n || (r->depth > 0 && !r->root_done))
    truncated(r, in->name, diag);
}

sheaf_status sheaf_import_repair(struct sheaf_input *in, sheaf_diag *diag)
{
  static const char *const what[FIX_COUNT] = {
      "text before the XML declaration moved after it",
      "broken or repeated XML declarations replaced",
      "HTML entities that XML does not define replaced by character references",
      "bare '&' escaped as &amp;",
      "bare '<' escaped as &lt;",
      "characters that XML forbids removed (control characters become spaces)",
      "content after the root element's end removed",
  };
  struct rep *r;
  size_t k;
  sheaf_status ret = SHEAF_OK;

  if ((r = sheaf_calloc(1, sizeof *r)) == NULL)
    return SHEAF_ERR_NOMEM;
  r->s = in->data;
  r->n = in->len;
  sheaf_buf_init(&r->out, 0);
  scan(r, in, diag);
  if (r->changed && r->done < r->n)
    upto(r, r->n);
  if (r->out.failed) {
    ret = SHEAF_ERR_NOMEM;
    goto out;
  }
  for (k = 0; k < FIX_COUNT; k++) {
    if (r->count[k] == 0)
      continue;
    sheaf_diag_add(diag, SHEAF_WARNING, "repair", in->name,
                   sheaf_input_line(in, r->first[k]), 0, "%s (%zu time%s%s)", what[k],
                   r->count[k], r->count[k] == 1 ? "" : "s",
                   r->count[k] > 1 ? "; the first here" : "");
  }
  if (r->changed) {
    size_t len;
    char *p = sheaf_buf_detach(&r->out, &len);
    if (p == NULL) {
      ret = SHEAF_ERR_NOMEM;
      goto out;
    }
    sheaf_input_replace(in, p, len);
  }
out:
  sheaf_buf_fini(&r->out);
  sheaf_free(r);
  return ret;
}
