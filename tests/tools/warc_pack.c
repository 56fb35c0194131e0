/*
 * warc_pack: writes a .warc.gz with sheaf's WARC writer from local files,
 * as if they had been fetched: a warcinfo record, then for each
 * URL=FILE argument a response (HTTP/1.1 200, Content-Type from the file's
 * extension) and its request, and for each URL=>TARGET a 301 redirect.
 * The response blocks are spooled to a temporary file first, the way the
 * fetch stage streams them. Used by the tests (warcio reads its output)
 * and by bench/ (a WARC of the generated feed).
 *
 *   warc_pack OUT.warc.gz URL=FILE... URL=>TARGET... @LIST...
 *
 * where a LIST file holds more such arguments, one a line.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "warc/warc.h"

static const char *type_of(const char *path)
{
  static const char *const map[][2] = {
      {".rss", "application/rss+xml"}, {".atom", "application/atom+xml"},
      {".xml", "application/xml"},     {".html", "text/html; charset=utf-8"},
      {".png", "image/png"},           {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},         {".gif", "image/gif"},
      {".webp", "image/webp"},         {".svg", "image/svg+xml"}};
  size_t n = strlen(path), i;

  for (i = 0; i < sizeof map / sizeof map[0]; i++) {
    size_t k = strlen(map[i][0]);
    if (n > k && strcmp(path + n - k, map[i][0]) == 0)
      return map[i][1];
  }
  return "application/octet-stream";
}

/* Writes a response (and its request) for `url` whose block is `head`
 * followed by the bytes of `file` (or nothing). */
static int pack(struct sheaf_warc_writer *w, const char *info_id, const char *url,
                const char *head, const char *file, sheaf_diag *diag)
{
  struct sheaf_warc_record resp = {0}, req = {0};
  struct sheaf_buf rq;
  uint64_t len = strlen(head);
  int spool = sheaf_temp_open(), in = -1, rc = 1;
  char buf[65536];
  const char *host = strstr(url, "://");

  if (spool < 0 || !sheaf_pwrite_all(spool, head, strlen(head), 0))
    goto out;
  if (file != NULL) {
    ssize_t k;
    if ((in = open(file, O_RDONLY)) < 0) {
      fprintf(stderr, "warc_pack: %s: %s\n", file, strerror(errno));
      goto out;
    }
    while ((k = read(in, buf, sizeof buf)) > 0) {
      if (!sheaf_pwrite_all(spool, buf, (size_t)k, len))
        goto out;
      len += (uint64_t)k;
    }
  }
  sheaf_warc_new_id(resp.id);
  sheaf_warc_new_id(req.id);
  resp.type = SHEAF_WARC_RESPONSE;
  resp.target_uri = url;
  resp.content_type = "application/http;msgtype=response";
  resp.concurrent_to = req.id;
  resp.warcinfo_id = info_id;
  if (sheaf_warc_write_fd(w, &resp, spool, len, diag) != SHEAF_OK)
    goto out;
  sheaf_buf_init(&rq, 0);
  host = host ? host + 3 : url;
  sheaf_buf_printf(&rq, "GET %s HTTP/1.1\r\nHost: %.*s\r\nUser-Agent: warc_pack\r\n\r\n",
                   strchr(host, '/') ? strchr(host, '/') : "/", (int)strcspn(host, "/"),
                   host);
  req.type = SHEAF_WARC_REQUEST;
  req.target_uri = url;
  req.content_type = "application/http;msgtype=request";
  req.concurrent_to = resp.id;
  req.warcinfo_id = info_id;
  rc = sheaf_warc_write(w, &req, rq.ptr, rq.len, diag) == SHEAF_OK ? 0 : 1;
  sheaf_buf_fini(&rq);
out:
  if (in >= 0)
    close(in);
  if (spool >= 0)
    close(spool);
  return rc;
}

/* One URL=FILE or URL=>TARGET argument (changed in place). */
static int one(struct sheaf_warc_writer *w, const char *info_id, char *arg,
               sheaf_diag *diag)
{
  char *eq = strchr(arg, '='), head[4096];
  struct stat sb;

  if (eq == NULL) {
    fprintf(stderr, "warc_pack: not URL=FILE: %s\n", arg);
    return 1;
  }
  *eq = '\0';
  if (eq[1] == '>') {
    snprintf(
        head, sizeof head,
        "HTTP/1.1 301 Moved Permanently\r\nLocation: %s\r\nContent-Length: 0\r\n\r\n",
        eq + 2);
    return pack(w, info_id, arg, head, NULL, diag);
  }
  if (stat(eq + 1, &sb) != 0) {
    fprintf(stderr, "warc_pack: %s: %s\n", eq + 1, strerror(errno));
    return 1;
  }
  snprintf(head, sizeof head,
           "HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %lld\r\n\r\n",
           type_of(eq + 1), (long long)sb.st_size);
  return pack(w, info_id, arg, head, eq + 1, diag);
}

int main(int argc, char **argv)
{
  struct sheaf_warc_record info = {0};
  struct sheaf_warc_writer *w;
  sheaf_diag *diag = sheaf_diag_new();
  sheaf_status st;
  int fd, i, rc = 0;

  if (argc < 2) {
    fprintf(stderr, "usage: warc_pack OUT.warc.gz URL=FILE... URL=>TARGET...\n");
    return 1;
  }
  fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) {
    fprintf(stderr, "warc_pack: %s: %s\n", argv[1], strerror(errno));
    return 1;
  }
  w = sheaf_warc_writer_new(fd, argv[1], &st);
  if (w == NULL ||
      sheaf_warc_write_warcinfo(
          w, &info, strrchr(argv[1], '/') ? strrchr(argv[1], '/') + 1 : argv[1],
          "sheaf-warc_pack", "1", "warc_pack", 0, diag) != SHEAF_OK)
    rc = 1;
  for (i = 2; i < argc && rc == 0; i++) {
    if (argv[i][0] == '@') {
      FILE *list = fopen(argv[i] + 1, "r");
      char line[8192];
      if (list == NULL) {
        fprintf(stderr, "warc_pack: %s: %s\n", argv[i] + 1, strerror(errno));
        rc = 1;
        break;
      }
      while (rc == 0 && fgets(line, sizeof line, list) != NULL) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] != '\0')
          rc = one(w, info.id, line, diag);
      }
      fclose(list);
    } else {
      rc = one(w, info.id, argv[i], diag);
    }
  }
  for (size_t k = 0; k < sheaf_diag_count(diag); k++)
    fprintf(stderr, "warc_pack: %s\n", sheaf_diag_get(diag, k)->message);
  sheaf_warc_writer_free(w);
  sheaf_diag_free(diag);
  if (close(fd) != 0)
    rc = 1;
  return rc;
}
