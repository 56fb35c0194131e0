/* placeholder: the decoding step (issue 4) */
#include "import/import.h"
sheaf_status sheaf_import_decode(const char *path, const char *data, size_t n,
                                 const sheaf_options *opt, sheaf_diag *diag,
                                 char **out, size_t *outlen)
{
  (void)path; (void)opt; (void)diag;
  *out = sheaf_strndup(data, n);
  *outlen = n;
  return *out ? SHEAF_OK : SHEAF_ERR_NOMEM;
}
