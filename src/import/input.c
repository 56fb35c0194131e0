/*
 * This file contains struct sheaf_input, the import stage's input as a
 * value: its bytes, their length, the name they came from (a path or a
 * URL), how the bytes are released (borrowed, from sheaf_malloc, or a
 * private file mapping) and the mapping from a byte offset to a line.
 * Reading a file into one lives here too: large regular files are mapped
 * rather than read, and passes over a mapped input hand the pages well
 * behind them back to the kernel so that resident memory stays bounded.
 */
#define _DEFAULT_SOURCE /* MADV_DONTNEED, MAP_ANONYMOUS */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "import/import.h"

/* Files from this size on are mapped rather than read. */
#define MAP_MIN ((size_t)1 << 20)
/* The head of a mapping is never dropped (the decoder may rewrite the XML
 * declaration in place: those pages are private copies and must stay), nor
 * the last DROP_BEHIND bytes before the current position. */
#define KEEP_HEAD ((size_t)1 << 16)
#define DROP_BEHIND ((size_t)4 << 20)
#define DROP_BATCH ((size_t)1 << 20)

static void set(struct sheaf_input *in, const char *name, const char *data, size_t len,
                enum sheaf_input_owner owner, char *base)
{
  memset(in, 0, sizeof *in);
  in->data = data;
  in->len = len;
  in->name = name;
  in->owner = owner;
  in->base = base;
}

void sheaf_input_borrow(struct sheaf_input *in, const char *name, const char *data,
                        size_t len)
{
  SHEAF_ASSERT(data != NULL && data[len] == '\0');
  set(in, name, data, len, SHEAF_INPUT_BORROWED, NULL);
}

void sheaf_input_adopt(struct sheaf_input *in, const char *name, char *data, size_t len)
{
  set(in, name, data, len, SHEAF_INPUT_ALLOCATED, data);
}

sheaf_status sheaf_input_copy(struct sheaf_input *in, const char *name, const void *data,
                              size_t len)
{
  char *p;

  set(in, name, "", 0, SHEAF_INPUT_BORROWED, NULL);
  if (len == SIZE_MAX || (p = sheaf_malloc(len + 1)) == NULL)
    return SHEAF_ERR_NOMEM;
  if (len)
    memcpy(p, data, len);
  p[len] = '\0';
  sheaf_input_adopt(in, name, p, len);
  return SHEAF_OK;
}

void sheaf_input_view(struct sheaf_input *view, const struct sheaf_input *in)
{
  set(view, in->name, in->data, in->len, SHEAF_INPUT_BORROWED, NULL);
  view->mtime = in->mtime;
  view->on_disk = in->on_disk;
  view->dev = in->dev;
  view->ino = in->ino;
}

void sheaf_input_fini(struct sheaf_input *in)
{
  if (in == NULL)
    return;
  if (in->owner == SHEAF_INPUT_MAPPED)
    munmap(in->base, in->maplen);
  else if (in->owner == SHEAF_INPUT_ALLOCATED)
    sheaf_free(in->base);
  in->base = NULL;
  in->owner = SHEAF_INPUT_BORROWED;
  in->data = "";
  in->len = 0;
}

void sheaf_input_replace(struct sheaf_input *in, char *data, size_t len)
{
  struct sheaf_input keep = *in;

  sheaf_input_fini(in);
  sheaf_input_adopt(in, keep.name, data, len);
  in->mtime = keep.mtime;
  in->on_disk = keep.on_disk;
  in->dev = keep.dev;
  in->ino = keep.ino;
}

char *sheaf_input_writable(struct sheaf_input *in)
{
  if (in->owner == SHEAF_INPUT_BORROWED) {
    char *p = sheaf_malloc(in->len + 1);
    if (p == NULL)
      return NULL;
    memcpy(p, in->data, in->len + 1);
    sheaf_input_replace(in, p, in->len);
  }
  /* The same address as in->data, reached from the owned base. */
  return in->base + (in->data - in->base);
}

void sheaf_input_skip(struct sheaf_input *in, size_t k)
{
  SHEAF_ASSERT(k <= in->len);
  in->data += k;
  in->len -= k;
}

char *sheaf_input_detach(struct sheaf_input *in, size_t *len)
{
  char *p;

  if (in->owner == SHEAF_INPUT_ALLOCATED) {
    p = in->base;
    if (in->data != p)
      memmove(p, in->data, in->len + 1);
  } else if ((p = sheaf_malloc(in->len + 1)) != NULL) {
    memcpy(p, in->data, in->len + 1);
    sheaf_input_fini(in);
  } else {
    return NULL;
  }
  if (len)
    *len = in->len;
  in->owner = SHEAF_INPUT_BORROWED;
  in->base = NULL;
  in->data = "";
  in->len = 0;
  return p;
}

unsigned sheaf_input_line(const struct sheaf_input *in, size_t off)
{
  return sheaf_line_at(in->data, off < in->len ? off : in->len);
}

void sheaf_input_advise(struct sheaf_input *in, const char *at)
{
  size_t off, to, from, page;

  if (in->owner != SHEAF_INPUT_MAPPED || at < in->base || at > in->base + in->maplen)
    return;
  off = (size_t)(at - in->base);
  if (off < in->dropped) /* a new pass from the start */
    in->dropped = KEEP_HEAD;
  if (off < KEEP_HEAD + DROP_BEHIND + DROP_BATCH)
    return;
  page = (size_t)sysconf(_SC_PAGESIZE);
  to = (off - DROP_BEHIND) & ~(page - 1);
  from = in->dropped < KEEP_HEAD ? KEEP_HEAD : in->dropped;
  from = (from + page - 1) & ~(page - 1);
  if (to < from + DROP_BATCH)
    return;
  /* A private mapping of a file that was never written to here: the
   * dropped pages read the same bytes again if touched. */
  madvise(in->base + from, to - from, MADV_DONTNEED);
  in->dropped = to;
}

size_t sheaf_input_utf8_chunked(struct sheaf_input *in, const char *p, size_t n,
                                size_t (*check)(const char *, size_t))
{
  const size_t chunk = (size_t)4 << 20;
  size_t pos = 0;

  if (in->owner != SHEAF_INPUT_MAPPED || n <= chunk)
    return check(p, n);
  while (pos < n) {
    size_t end = n - pos > chunk ? pos + chunk : n, k, b;
    /* End before a lead byte: no sequence straddles two chunks. */
    for (b = 0; b < 3 && end < n && ((unsigned char)p[end] & 0xC0) == 0x80; b++)
      end--;
    k = check(p + pos, end - pos);
    pos += k;
    if (pos < end)
      return pos;
    sheaf_input_advise(in, p + pos);
  }
  return n;
}

bool sheaf_input_utf8_valid(struct sheaf_input *in, const char *p, size_t n)
{
  return sheaf_input_utf8_chunked(in, p, n, sheaf_utf8_check) == n;
}

/* ---- reading a file ----------------------------------------------------- */

/* Maps `size` bytes of fd privately, followed by at least one zero byte
 * (an anonymous page when the file ends on a page boundary), so the
 * buffer is NUL-terminated like one read into memory. */
static bool map_file(struct sheaf_input *in, const char *name, int fd, size_t size)
{
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  size_t maplen = (size + 1 + page - 1) & ~(page - 1);
  char *base;

  base = mmap(NULL, maplen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED)
    return false;
  if (mmap(base, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd, 0) ==
      MAP_FAILED) {
    munmap(base, maplen);
    return false;
  }
  set(in, name, base, size, SHEAF_INPUT_MAPPED, base);
  in->maplen = maplen;
  in->dropped = KEEP_HEAD;
  return true;
}

sheaf_status sheaf_input_read(struct sheaf_input *in, const char *path, size_t max,
                              bool nofollow, sheaf_diag *diag)
{
  /* In a folder walk, a file swapped for a symbolic link after the walk
   * looked at it is not followed either. */
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | (nofollow ? O_NOFOLLOW : 0));
  FILE *f = NULL;
  struct stat st;
  char *buf = NULL;
  size_t cap = 0, n = 0, got;
  sheaf_status ret = SHEAF_OK;
  char sz[32];

  set(in, path, "", 0, SHEAF_INPUT_BORROWED, NULL);
  in->on_disk = true;
  if (fd < 0 || fstat(fd, &st) != 0) {
    sheaf_diag_add(diag, SHEAF_ERROR, "io", path, 0, 0, "cannot read: %s",
                   strerror(errno));
    if (fd >= 0)
      close(fd);
    return SHEAF_ERR_IO;
  }
  in->dev = (uint64_t)st.st_dev;
  in->ino = (uint64_t)st.st_ino;
  if (!S_ISREG(st.st_mode)) {
    sheaf_diag_add(diag, SHEAF_ERROR, "io", path, 0, 0,
                   S_ISDIR(st.st_mode) ? "cannot read: %s"
                                       : "cannot read: this is %s; sheaf reads regular "
                                         "files and folders (save it to a file first)",
                   S_ISDIR(st.st_mode) ? strerror(EISDIR) : sheaf_file_kind(st.st_mode));
    close(fd);
    return SHEAF_ERR_IO;
  }
  if ((unsigned long long)st.st_size > max) {
    close(fd);
    goto too_big;
  }
  if ((size_t)st.st_size >= MAP_MIN && map_file(in, path, fd, (size_t)st.st_size)) {
    close(fd);
    goto done;
  }
  /* Small, or not mappable: read it as any other. */
  if ((f = fdopen(fd, "rb")) == NULL) {
    sheaf_diag_add(diag, SHEAF_ERROR, "io", path, 0, 0, "cannot read: %s",
                   strerror(errno));
    close(fd);
    return SHEAF_ERR_IO;
  }
  cap = (size_t)st.st_size + 1;
  if (cap < 4096)
    cap = 4096;
  /* Read in chunks: a file may grow while it is read. */
  for (;;) {
    if (n + 1 >= cap || buf == NULL) {
      size_t ncap = buf == NULL ? cap : cap * 2;
      char *p;
      if (ncap > max + 2 || ncap < cap)
        ncap = max + 2;
      if ((p = sheaf_realloc(buf, ncap)) == NULL) {
        ret = SHEAF_ERR_NOMEM;
        goto out;
      }
      buf = p;
      cap = ncap;
    }
    got = fread(buf + n, 1, cap - n - 1, f);
    n += got;
    if (n > max)
      goto too_big;
    if (got == 0)
      break;
  }
  if (ferror(f)) {
    sheaf_diag_add(diag, SHEAF_ERROR, "io", path, 0, 0, "cannot read: %s",
                   strerror(errno ? errno : EIO));
    ret = SHEAF_ERR_IO;
    goto out;
  }
  buf[n] = '\0';
  sheaf_input_adopt(in, path, buf, n);
  buf = NULL;
done:
  in->on_disk = true;
  in->mtime = (int64_t)st.st_mtime;
  in->dev = (uint64_t)st.st_dev;
  in->ino = (uint64_t)st.st_ino;
  goto out;
too_big:
  sheaf_diag_add(diag, SHEAF_ERROR, "limit", path, 0, 0,
                 "the file is larger than %s (--max-input-size); split it into "
                 "smaller files or raise the limit, e.g. --max-input-size 2G",
                 sheaf_size_str(max, sz));
  ret = SHEAF_ERR_LIMIT;
out:
  sheaf_free(buf);
  if (f)
    fclose(f);
  return ret;
}
