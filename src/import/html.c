/* placeholder: written with issue 3 */
#include "import/import.h"
sheaf_status sheaf_import_html(struct sheaf_collection *coll, const char *path,
                               const char *data, size_t n,
                               const sheaf_options *opt, sheaf_diag *diag)
{
  (void)coll; (void)data; (void)n; (void)opt;
  sheaf_diag_add(diag, SHEAF_ERROR, "format", path, 0, 0, "HTML pages are not read yet");
  return SHEAF_ERR_FORMAT;
}
