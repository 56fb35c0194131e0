/*
 * This file contains the sheaf command's settings of mimalloc, built only
 * when the command links it (CMake option SHEAF_MIMALLOC). mimalloc keeps
 * pages that fall empty for a while before it returns them to the system,
 * which at a million articles raised the peak memory by a tenth (262 MB
 * against 239 MB with the C library's malloc, issue 15's limit being
 * 256 MB). Returned at once (a decommit delay of 0 instead of 25 ms), the
 * peak is the C library's again (239 MB), for a little system time.
 */
#include <stdlib.h>

#include <mimalloc.h>

/* Runs before main(): the settings hold from the first page given back.
 * A constructor keeps them out of main.c, which knows nothing of the
 * allocator it was linked with. mimalloc's own environment variables
 * still win. */
__attribute__((constructor)) static void tune(void)
{
  if (!getenv("MIMALLOC_DECOMMIT_DELAY"))
    mi_option_set(mi_option_decommit_delay, 0);
}
