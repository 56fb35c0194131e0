/*
 * Status codes: every sheaf function that can fail returns one of these.
 * SHEAF_OK is zero, so `if (st)` tests for failure.
 */
#ifndef SHEAF_STATUS_H
#define SHEAF_STATUS_H

#include "sheaf/sheaf_export.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The one table of codes: X(enum, name, message, exit code). The exit code is
 * what the sheaf command returns for the code (see DESIGN.md): 0 success,
 * 1 usage, 2 input unreadable, 3 nothing matched, 4 output unwritable,
 * 130 interrupted (the shell's code for a SIGINT). New codes are only ever
 * appended, so a code keeps its value across versions.
 */
#define SHEAF_STATUS_TABLE(X)                                                            \
  X(SHEAF_OK, "ok", "success", 0)                                                        \
  X(SHEAF_ERR_USAGE, "usage", "invalid argument", 1)                                     \
  X(SHEAF_ERR_NOMEM, "nomem", "out of memory", 2)                                        \
  X(SHEAF_ERR_IO, "io", "input could not be read", 2)                                    \
  X(SHEAF_ERR_FORMAT, "format", "input is not a feed sheaf can read", 2)                 \
  X(SHEAF_ERR_PARSE, "parse", "input could not be parsed", 2)                            \
  X(SHEAF_ERR_LIMIT, "limit", "input exceeds a size limit", 2)                           \
  X(SHEAF_ERR_NOMATCH, "nomatch", "no article matched the selection", 3)                 \
  X(SHEAF_ERR_WRITE, "write", "output could not be written", 4)                          \
  X(SHEAF_ERR_CANCELLED, "cancelled", "the build was interrupted", 130)                  \
  X(SHEAF_ERR_INTERNAL, "internal", "internal error", 2)                                 \
  X(SHEAF_ERR_WARNINGS, "warnings", "warnings were reported and are treated as errors", 2)

typedef enum sheaf_status {
#define SHEAF_X_ENUM(e, name, msg, rc) e,
  SHEAF_STATUS_TABLE(SHEAF_X_ENUM)
#undef SHEAF_X_ENUM
      SHEAF_STATUS_COUNT_ /* not a status; keeps the table's size */
} sheaf_status;

/** Returns a short English description of `st` ("input could not be read").
 *  Static storage; never NULL, also for unknown values. */
SHEAF_API const char *sheaf_status_str(sheaf_status st);

/** Returns the short machine name of `st` ("io"), as printed in brackets
 *  after messages. Static storage; never NULL. */
SHEAF_API const char *sheaf_status_name(sheaf_status st);

/** Returns the process exit code the sheaf command uses for `st` (0-4). */
SHEAF_API int sheaf_status_exit_code(sheaf_status st);

#ifdef __cplusplus
}
#endif
#endif
