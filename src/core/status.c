/*
 * This file contains the status-code strings and the version string: the
 * small public functions with no better home.
 */
#include <stdio.h>

#include "core/core.h"

struct status_info {
  const char *name, *message;
  int exit_code;
};

static const struct status_info infos[] = {
#define SHEAF_X_INFO(e, name, msg, rc) {name, msg, rc},
    SHEAF_STATUS_TABLE(SHEAF_X_INFO)
#undef SHEAF_X_INFO
};

const char *sheaf_status_str(sheaf_status st)
{
  if ((unsigned)st >= SHEAF_STATUS_COUNT_)
    return "unknown status";
  return infos[st].message;
}

const char *sheaf_status_name(sheaf_status st)
{
  if ((unsigned)st >= SHEAF_STATUS_COUNT_)
    return "unknown";
  return infos[st].name;
}

int sheaf_status_exit_code(sheaf_status st)
{
  if ((unsigned)st >= SHEAF_STATUS_COUNT_)
    return 2;
  return infos[st].exit_code;
}

const char *sheaf_version_string(void)
{
  return SHEAF_VERSION_STRING;
}

const char *sheaf_size_str(size_t n, char out[32])
{
  if (n >= ((size_t)1 << 30) && n % ((size_t)1 << 30) == 0)
    snprintf(out, 32, "%zuG", n >> 30);
  else if (n >= ((size_t)1 << 20) && n % ((size_t)1 << 20) == 0)
    snprintf(out, 32, "%zuM", n >> 20);
  else if (n >= 1024 && n % 1024 == 0)
    snprintf(out, 32, "%zuK", n >> 10);
  else
    snprintf(out, 32, "%zu bytes", n);
  return out;
}
