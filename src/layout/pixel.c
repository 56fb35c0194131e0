/*
 * This file contains the recognition of tracking pixels: images that are
 * not pictures but beacons (1x1 images, WordPress's pixel.wp.com,
 * FeedBurner's ~ff and ~r links, analytics and ad counters). They are
 * removed silently: a reader loses nothing, and a warning about a
 * "missing image" for each would bury the warnings that matter.
 */
#include <string.h>

#include "layout/layout.h"

/* "0" or "1", with an optional "px". */
static bool tiny(const char *v)
{
  if (v == NULL)
    return false;
  while (*v == ' ')
    v++;
  if (*v != '0' && *v != '1')
    return false;
  v++;
  return *v == '\0' || strcmp(v, "px") == 0;
}

bool sheaf_layout_is_tracker(const char *url, const char *width, const char *height)
{
  static const char *const beacons[] = {
      "pixel.wp.com/",
      "stats.wp.com/",
      "stats.wordpress.com/",
      "feeds.feedburner.com/~ff/",
      "feeds.feedburner.com/~r/",
      "feedproxy.google.com/~r/",
      "feedproxy.google.com/~ff/",
      "www.google-analytics.com/",
      "pixel.quantserve.com/",
      "ad.doubleclick.net/",
      "pi.feedsportal.com/",
      "da.feedsportal.com/",
      "www.assoc-amazon.com/e/ir",
      "ir-na.amazon-adsystem.com/e/ir",
      "pixel.mathtag.com/",
      "b.scorecardresearch.com/",
  };
  const char *host;
  size_t i;

  if (tiny(width) && tiny(height))
    return true;
  if (url == NULL)
    return false;
  host = strstr(url, "//");
  host = host ? host + 2 : url;
  for (i = 0; i < sizeof beacons / sizeof *beacons; i++)
    if (strncmp(host, beacons[i], strlen(beacons[i])) == 0)
      return true;
  return false;
}
