/*
 * Replays fuzz inputs without libFuzzer (as libzip's fuzz/ does): each
 * argument is a file or a folder of files, each file one input. The fuzz
 * corpora and every crash ever found run this way as ordinary ctests, on
 * any compiler, under the sanitizers and valgrind.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz/fuzz.h"

static int run_file(const char *path)
{
  FILE *f = fopen(path, "rb");
  unsigned char *buf;
  long n;

  if (f == NULL) {
    perror(path);
    return 1;
  }
  if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
    fclose(f);
    return 1;
  }
  buf = malloc((size_t)n + 1);
  if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
    free(buf);
    fclose(f);
    return 1;
  }
  fclose(f);
  LLVMFuzzerTestOneInput(buf, (size_t)n);
  free(buf);
  return 0;
}

static int cmp(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run(const char *path, size_t *count)
{
  struct stat st;
  DIR *d;
  struct dirent *e;
  char **names = NULL;
  size_t n = 0, i;
  int rc = 0;

  if (stat(path, &st) != 0) {
    perror(path);
    return 1;
  }
  if (!S_ISDIR(st.st_mode)) {
    (*count)++;
    return run_file(path);
  }
  if ((d = opendir(path)) == NULL)
    return 1;
  while ((e = readdir(d)) != NULL) {
    char **p;
    if (e->d_name[0] == '.')
      continue;
    p = realloc(names, (n + 1) * sizeof *names);
    if (p == NULL)
      break;
    names = p;
    names[n] = malloc(strlen(path) + strlen(e->d_name) + 2);
    if (names[n] == NULL)
      break;
    snprintf(names[n], strlen(path) + strlen(e->d_name) + 2, "%s/%s", path, e->d_name);
    n++;
  }
  closedir(d);
  if (n) /* qsort(NULL, 0, ...) is undefined behaviour (UBSan says so) */
    qsort(names, n, sizeof *names, cmp);
  for (i = 0; i < n; i++) {
    rc |= run(names[i], count);
    free(names[i]);
  }
  free(names);
  return rc;
}

int main(int argc, char **argv)
{
  size_t count = 0;
  int i, rc = 0;

  for (i = 1; i < argc; i++)
    rc |= run(argv[i], &count);
  printf("replayed %zu inputs\n", count);
  return rc;
}
