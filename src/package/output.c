/*
 * This file contains the decisions about which file the book may become,
 * and the writing of it there whole or not at all.
 *
 * - A regular file or a new name: the zip is written into an unnamed
 *   temporary file in the target's folder (O_TMPFILE), which gets a name
 *   only when complete, so a process killed at any moment (SIGKILL, power
 *   loss) leaves nothing behind. Where the file system has no O_TMPFILE,
 *   a named one is used (".sheaf-PID-XXXXXX.tmp", short enough beside a
 *   target name of 255 bytes), and temporaries of earlier sheaf runs whose
 *   process is gone are removed.
 * - A symbolic link is followed, as cp and shell redirections do: when it
 *   leads to a regular file, that file is replaced and the link stays; a
 *   link that leads nowhere is refused. A link is never replaced.
 * - /dev/stdout, /dev/stderr, /dev/fd/N and /proc/self/fd/N name
 *   descriptors sheaf already has: the book goes to that descriptor, as
 *   with sheaf_package_fd(). Character devices (/dev/null) and FIFOs are
 *   written through the same way: the book is built whole in a temporary
 *   file first, then copied. Terminals, block devices, sockets and folders
 *   are refused.
 * - No file the build read (the record in the collection and manuscript)
 *   is ever the target: checked when the target is chosen and again just
 *   before the book takes its name.
 */
#define _GNU_SOURCE /* O_TMPFILE, AT_EMPTY_PATH */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "package/package.h"

#define TMP_PREFIX ".sheaf-"
#define TMP_SUFFIX ".tmp"
/* A temporary of a dead process younger than this is left alone: on a
 * folder shared over the network, the process may live on another host. */
#define STALE_AGE 60

/* Returns from the function when `expr` fails. */
#define TRY(expr)                                                                        \
  do {                                                                                   \
    sheaf_status try_ = (expr);                                                          \
    if (try_ != SHEAF_OK)                                                                \
      return try_;                                                                       \
  } while (0)

static sheaf_status fail(sheaf_diag *diag, const struct sheaf_out *o, sheaf_status ret,
                         const char *fmt, ...) SHEAF_PRINTF(4, 5);

static sheaf_status fail(sheaf_diag *diag, const struct sheaf_out *o, sheaf_status ret,
                         const char *fmt, ...)
{
  char reason[512];
  va_list ap;

  va_start(ap, fmt);
  vsnprintf(reason, sizeof reason, fmt, ap);
  va_end(ap);
  sheaf_diag_add(diag, SHEAF_ERROR, ret == SHEAF_ERR_NOMEM ? "nomem" : "write", NULL, 0,
                 0, "cannot write book: %s: %s", o->path, reason);
  return ret;
}

static sheaf_status fail_errno(sheaf_diag *diag, const struct sheaf_out *o, int e)
{
  if (e == ENOMEM)
    return fail(diag, o, SHEAF_ERR_NOMEM, "%s", "out of memory");
  return fail(diag, o, SHEAF_ERR_WRITE,
              e == ENOENT ? "%s (does the folder exist?)" : "%s", strerror(e));
}

/* Refuses a target the build has read. */
static sheaf_status check_read(const struct sheaf_out *o, const struct stat *st,
                               sheaf_diag *diag)
{
  size_t i;

  for (i = 0; i < o->nsets; i++) {
    char *in;
    if (sheaf_fileset_find(o->sets[i], (uint64_t)st->st_dev, (uint64_t)st->st_ino, &in)) {
      sheaf_diag_add(diag, SHEAF_ERROR, "write", NULL, 0, 0,
                     "cannot write book: %s: it is a file this build read (%s); the "
                     "book would replace it. Choose another output name (-o)",
                     o->path, in ? in : "?");
      sheaf_free(in);
      return SHEAF_ERR_WRITE;
    }
  }
  return SHEAF_OK;
}

/* The descriptor a path such as /dev/stdout or /proc/self/fd/3 names, or
 * -1. */
static int fd_name(const char *path)
{
  static const char *const prefixes[] = {"/dev/fd/", "/proc/self/fd/"};
  size_t i;

  if (strcmp(path, "/dev/stdin") == 0)
    return 0;
  if (strcmp(path, "/dev/stdout") == 0)
    return 1;
  if (strcmp(path, "/dev/stderr") == 0)
    return 2;
  for (i = 0; i < sizeof prefixes / sizeof *prefixes; i++) {
    size_t k = strlen(prefixes[i]);
    if (strncmp(path, prefixes[i], k) == 0 && path[k] >= '0' && path[k] <= '9') {
      char *end;
      long v;
      errno = 0;
      v = strtol(path + k, &end, 10);
      if (!errno && *end == '\0' && v >= 0 && v < INT_MAX)
        return (int)v;
    }
  }
  return -1;
}

/* A fresh temporary name: ".sheaf-PID-XXXXXX.tmp". Six letters from the
 * clock and a counter; a name taken is simply tried again. */
static void temp_name(char out[64], unsigned attempt)
{
  static const char letters[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  struct timespec ts;
  uint64_t x;
  int i;

  clock_gettime(CLOCK_REALTIME, &ts);
  x = (uint64_t)ts.tv_nsec * UINT64_C(0x9e3779b97f4a7c15) ^ (uint64_t)ts.tv_sec ^
      ((uint64_t)attempt << 40);
  snprintf(out, 64, TMP_PREFIX "%ld-", (long)getpid());
  for (i = 0; i < 6; i++) {
    size_t n = strlen(out);
    out[n] = letters[x % 36];
    out[n + 1] = '\0';
    x /= 36;
  }
  strncat(out, TMP_SUFFIX, 63 - strlen(out));
}

/* Is `name` a temporary sheaf made, and its process gone? Then its PID. */
static bool stale_temp(const char *name, long *pid)
{
  size_t n = strlen(name), k = sizeof TMP_PREFIX - 1;
  const char *p = name + k;
  char *end;

  if (n < k + 2 + 6 + 4 || strncmp(name, TMP_PREFIX, k) != 0 ||
      strcmp(name + n - 4, TMP_SUFFIX) != 0 || *p < '1' || *p > '9')
    return false;
  errno = 0;
  *pid = strtol(p, &end, 10);
  if (errno || *end != '-' || (size_t)(name + n - 4 - (end + 1)) != 6)
    return false;
  return *pid != (long)getpid() && kill((pid_t)*pid, 0) != 0 && errno == ESRCH;
}

/* Removes the temporaries of earlier runs that were killed before they
 * could clean up (only where O_TMPFILE is missing: an unnamed file needs
 * no cleaning). Failures are ignored; this is housekeeping. */
SHEAF_STATIC void sheaf_out_clean_stale(int dirfd)
{
  int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  time_t now = time(NULL);
  struct dirent *e;
  DIR *d;
  long pid;

  if (fd < 0 || (d = fdopendir(fd)) == NULL) {
    if (fd >= 0)
      close(fd);
    return;
  }
  while ((e = readdir(d)) != NULL) {
    struct stat st;
    if (e->d_name[0] != '.' || !stale_temp(e->d_name, &pid))
      continue;
    if (fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
        now - st.st_mtime >= STALE_AGE)
      unlinkat(dirfd, e->d_name, 0);
  }
  closedir(d);
}

/* Creates a named temporary in the target's folder; its name goes in
 * o->tmpname. Returns the descriptor, or -1 with errno set. */
static int named_temp(struct sheaf_out *o, int flags)
{
  unsigned attempt;
  int fd;

  for (attempt = 0; attempt < 100; attempt++) {
    temp_name(o->tmpname, attempt);
    fd = openat(o->dirfd, o->tmpname, flags | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
                0666);
    if (fd >= 0 || errno != EEXIST)
      break;
  }
  if (fd < 0)
    o->tmpname[0] = '\0';
  return fd;
}

static sheaf_status open_temp(struct sheaf_out *o, sheaf_diag *diag)
{
#ifdef O_TMPFILE
  if (!o->no_tmpfile) {
    o->fd = openat(o->dirfd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0666);
    if (o->fd >= 0)
      return SHEAF_OK;
    /* Any other failure (no permission, read-only, full) is the folder's,
     * and a named file would fail the same way. */
    if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL && errno != ENOENT)
      return fail_errno(diag, o, errno);
  }
#endif
  sheaf_out_clean_stale(o->dirfd);
  o->fd = named_temp(o, O_RDWR);
  return o->fd >= 0 ? SHEAF_OK : fail_errno(diag, o, errno);
}

/* The target's folder and last component. */
static sheaf_status open_dir(struct sheaf_out *o, sheaf_diag *diag)
{
  char *slash = strrchr(o->target, '/');
  long max;

  if (slash == NULL) {
    o->dir = sheaf_strdup(".");
    o->base = o->target;
  } else {
    o->dir =
        sheaf_strndup(o->target, slash == o->target ? 1 : (size_t)(slash - o->target));
    o->base = slash + 1;
  }
  if (o->dir == NULL)
    return fail_errno(diag, o, ENOMEM);
  if (*o->base == '\0')
    return fail(diag, o, SHEAF_ERR_WRITE, "%s", strerror(EISDIR));
  o->dirfd = open(o->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (o->dirfd < 0)
    return fail_errno(diag, o, errno);
  if (faccessat(o->dirfd, ".", W_OK | X_OK, AT_EACCESS) != 0)
    return fail_errno(diag, o, errno);
  max = fpathconf(o->dirfd, _PC_NAME_MAX);
  if (max > 0 && strlen(o->base) > (size_t)max)
    return fail_errno(diag, o, ENAMETOOLONG);
  return SHEAF_OK;
}

/* A descriptor the book is copied to once complete. */
static sheaf_status use_stream(struct sheaf_out *o, int fd, bool own, sheaf_diag *diag)
{
  struct stat st;

  o->stream = fd;
  o->own_stream = own;
  if (fstat(fd, &st) != 0)
    return fail_errno(diag, o, errno);
  if (isatty(fd))
    return fail(diag, o, SHEAF_ERR_WRITE, "%s",
                "it is a terminal; an EPUB is a binary file. Redirect it to a file "
                "or a pipe, or name a file with -o");
  if (S_ISREG(st.st_mode))
    TRY(check_read(o, &st, diag));
  if (S_ISDIR(st.st_mode) || S_ISBLK(st.st_mode))
    return fail(diag, o, SHEAF_ERR_WRITE, "it is %s", sheaf_file_kind(st.st_mode));
  o->fd = sheaf_temp_open();
  return o->fd >= 0 ? SHEAF_OK : fail_errno(diag, o, errno);
}

void sheaf_out_init(struct sheaf_out *o, const struct sheaf_fileset *const *sets,
                    size_t nsets)
{
  memset(o, 0, sizeof *o);
  o->fd = o->dirfd = o->stream = -1;
  o->sets = sets;
  o->nsets = nsets;
}

sheaf_status sheaf_out_open_fd(struct sheaf_out *o, int fd, sheaf_diag *diag)
{
  o->path = fd == 1 ? "standard output" : "the output descriptor";
  return use_stream(o, fd, false, diag);
}

sheaf_status sheaf_out_open(struct sheaf_out *o, const char *path, sheaf_diag *diag)
{
  struct stat st;
  int n;

  o->path = path && *path ? path : "\"\"";
  if (path == NULL || *path == '\0')
    return fail(diag, o, SHEAF_ERR_WRITE, "%s", "empty file name");
  if ((n = fd_name(path)) >= 0)
    return use_stream(o, n, false, diag);
  if (lstat(path, &st) != 0) {
    if (errno != ENOENT)
      return fail_errno(diag, o, errno);
    if ((o->target = sheaf_strdup(path)) == NULL)
      return fail_errno(diag, o, ENOMEM);
    TRY(open_dir(o, diag));
    return open_temp(o, diag);
  }
  if (S_ISLNK(st.st_mode)) {
    char *real = realpath(path, NULL);
    if (real == NULL || stat(real, &st) != 0) {
      int e = errno;
      free(real);
      if (e == ENOMEM)
        return fail_errno(diag, o, e);
      return fail(diag, o, SHEAF_ERR_WRITE,
                  "it is a symbolic link that leads to no file (%s); sheaf writes "
                  "through a link only to a file that exists",
                  strerror(e));
    }
    o->target = sheaf_strdup(real);
    free(real);
    if (o->target == NULL)
      return fail_errno(diag, o, ENOMEM);
  } else if ((o->target = sheaf_strdup(path)) == NULL) {
    return fail_errno(diag, o, ENOMEM);
  }
  if (S_ISREG(st.st_mode)) {
    TRY(check_read(o, &st, diag));
    TRY(open_dir(o, diag));
    return open_temp(o, diag);
  }
  if (S_ISCHR(st.st_mode)) {
    int fd = open(o->target, O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
      return fail_errno(diag, o, errno);
    return use_stream(o, fd, true, diag);
  }
  if (S_ISFIFO(st.st_mode)) {
    /* Opened at the end: opening a FIFO waits for its reader. */
    o->fd = sheaf_temp_open();
    return o->fd >= 0 ? SHEAF_OK : fail_errno(diag, o, errno);
  }
  if (S_ISDIR(st.st_mode))
    return fail(diag, o, SHEAF_ERR_WRITE, "%s", strerror(EISDIR));
  return fail(diag, o, SHEAF_ERR_WRITE,
              "it is %s; sheaf writes a book to a regular file, or streams it into "
              "a character device such as /dev/null, a pipe or standard output (-o -)",
              sheaf_file_kind(st.st_mode));
}

/* Copies the finished temporary file to the stream. */
static sheaf_status copy_out(struct sheaf_out *o, const sheaf_options *opt,
                             sheaf_diag *diag)
{
  char buf[65536];
  uint64_t off = 0;
  ssize_t n;

  for (;;) {
    size_t done = 0;
    if (opt && opt->cancel && opt->cancel(opt->cancel_userdata))
      return SHEAF_ERR_CANCELLED;
    n = pread(o->fd, buf, sizeof buf, (off_t)off);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return fail_errno(diag, o, errno);
    if (n == 0)
      return SHEAF_OK;
    while (done < (size_t)n) {
      ssize_t w = write(o->stream, buf + done, (size_t)n - done);
      if (w < 0 && errno == EINTR) {
        if (opt && opt->cancel && opt->cancel(opt->cancel_userdata))
          return SHEAF_ERR_CANCELLED;
        continue;
      }
      if (w <= 0)
        return fail_errno(diag, o, w < 0 ? errno : ENOSPC);
      done += (size_t)w;
    }
    off += (uint64_t)n;
  }
}

/* Gives the unnamed temporary file the name `name` in the target's folder.
 * Returns 0, or -1 with errno set. */
static int link_unnamed(struct sheaf_out *o, const char *name)
{
  char proc[64];

  snprintf(proc, sizeof proc, "/proc/self/fd/%d", o->fd);
  if (linkat(AT_FDCWD, proc, o->dirfd, name, AT_SYMLINK_FOLLOW) == 0)
    return 0;
  if (errno == EEXIST)
    return -1;
#ifdef AT_EMPTY_PATH
  /* No /proc: this form needs CAP_DAC_READ_SEARCH. */
  return linkat(o->fd, "", o->dirfd, name, AT_EMPTY_PATH);
#else
  return -1;
#endif
}

/* Copies the unnamed temporary into a named one (no way to link it). */
static int copy_to_named(struct sheaf_out *o)
{
  char buf[65536];
  uint64_t off = 0;
  int fd = named_temp(o, O_WRONLY);
  ssize_t n;

  if (fd < 0)
    return -1;
  while ((n = pread(o->fd, buf, sizeof buf, (off_t)off)) != 0) {
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 || !sheaf_pwrite_all(fd, buf, (size_t)n, off))
      goto fail;
    off += (uint64_t)n;
  }
  if (fsync(fd) != 0)
    goto fail;
  close(fd);
  return 0;
fail:
  n = errno;
  close(fd);
  unlinkat(o->dirfd, o->tmpname, 0);
  o->tmpname[0] = '\0';
  errno = (int)n;
  return -1;
}

sheaf_status sheaf_out_commit(struct sheaf_out *o, const sheaf_options *opt,
                              sheaf_diag *diag)
{
  struct stat st;
  bool exists;
  unsigned attempt;
  int e;

  if (o->target == NULL || o->dirfd < 0) {
    /* A stream: standard output, a device, a FIFO. */
    if (o->stream < 0) {
      o->stream = open(o->target, O_WRONLY | O_NOCTTY | O_CLOEXEC);
      if (o->stream < 0)
        return errno == EINTR ? SHEAF_ERR_CANCELLED : fail_errno(diag, o, errno);
      o->own_stream = true;
    }
    return copy_out(o, opt, diag);
  }
  /* The bytes are on the disk before they have a name. */
  if (fsync(o->fd) != 0)
    return fail_errno(diag, o, errno);
  for (attempt = 0; attempt < 2; attempt++) {
    /* The last look: the name may have become a link, a folder or one of
     * the files read since the target was chosen. */
    exists = fstatat(o->dirfd, o->base, &st, AT_SYMLINK_NOFOLLOW) == 0;
    if (exists) {
      if (S_ISLNK(st.st_mode))
        return fail(diag, o, SHEAF_ERR_WRITE, "%s",
                    "it became a symbolic link while the book was written; not "
                    "replaced");
      if (!S_ISREG(st.st_mode))
        return fail(diag, o, SHEAF_ERR_WRITE, "it is %s", sheaf_file_kind(st.st_mode));
      TRY(check_read(o, &st, diag));
      /* The book keeps the permissions of the file it replaces (where the
       * file system has permissions). */
      (void)fchmod(o->fd, st.st_mode & 07777);
      break;
    }
    if (o->tmpname[0])
      break; /* a named temporary: the rename below creates the name */
    /* A new name: the unnamed file takes it at once, atomically. */
    if (link_unnamed(o, o->base) == 0)
      goto done;
    if (errno != EEXIST)
      break; /* cannot link: the route through a named temporary */
    /* Another process made the file meanwhile: look at it again. */
  }
  if (o->tmpname[0] == '\0') {
    int r = -1;
    for (attempt = 0; attempt < 100; attempt++) {
      temp_name(o->tmpname, attempt);
      if ((r = link_unnamed(o, o->tmpname)) == 0 || errno != EEXIST)
        break;
    }
    if (r != 0) {
      /* No /proc and no privilege to link it: copy it. */
      o->tmpname[0] = '\0';
      if (copy_to_named(o) != 0)
        return fail_errno(diag, o, errno);
    }
  }
  if (renameat(o->dirfd, o->tmpname, o->dirfd, o->base) != 0) {
    e = errno;
    unlinkat(o->dirfd, o->tmpname, 0);
    o->tmpname[0] = '\0';
    return fail_errno(diag, o, e);
  }
  o->tmpname[0] = '\0';
done:
  /* The new name itself is on the disk (errors here are not the book's). */
  fsync(o->dirfd);
  return SHEAF_OK;
}

void sheaf_out_fini(struct sheaf_out *o)
{
  if (o->tmpname[0] && o->dirfd >= 0)
    unlinkat(o->dirfd, o->tmpname, 0);
  if (o->fd >= 0)
    close(o->fd);
  if (o->dirfd >= 0)
    close(o->dirfd);
  if (o->own_stream && o->stream >= 0)
    close(o->stream);
  sheaf_free(o->target);
  sheaf_free(o->dir);
  memset(o, 0, sizeof *o);
  o->fd = o->dirfd = o->stream = -1;
}
