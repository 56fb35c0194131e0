/*
 * This file contains the status-code strings, the version string and
 * sheaf_options_init(): the small public functions with no better home.
 */
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

void sheaf_options_init(sheaf_options *opt)
{
  static const sheaf_options defaults = {0};

  *opt = defaults;
  opt->version = SHEAF_OPTIONS_VERSION;
  opt->source_date_epoch = -1;
  opt->max_image_width = 1600;
  opt->max_image_size = (size_t)20 << 20;
}
