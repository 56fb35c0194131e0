/*
 * This file contains the capture's address guard and URL helpers. The
 * guard judges the address a connection is about to be made to (libcurl's
 * open-socket callback hands it over after name resolution), not the host
 * name: a feed may name a host that resolves to 127.0.0.1, and a cloud
 * machine answers on 169.254.169.254 with its credentials. Loopback,
 * private, link-local, multicast and reserved ranges are refused, for IPv4
 * and IPv6, IPv4-mapped forms included.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <string.h>

#include "fetch/fetch.h"
#include "layout/layout.h"

static const char *v4_class(const unsigned char a[4])
{
  if (a[0] == 0)
    return "unspecified";
  if (a[0] == 127)
    return "loopback";
  if (a[0] == 10 || (a[0] == 172 && (a[1] & 0xF0) == 16) || (a[0] == 192 && a[1] == 168))
    return "private";
  if (a[0] == 100 && (a[1] & 0xC0) == 64)
    return "private"; /* carrier-grade NAT, 100.64.0.0/10 */
  if (a[0] == 169 && a[1] == 254)
    return "link-local";
  if (a[0] >= 224 && a[0] <= 239)
    return "multicast";
  if (a[0] >= 240)
    return "reserved"; /* and the broadcast address */
  if (a[0] == 192 && a[1] == 0 && a[2] == 0)
    return "reserved"; /* IETF protocol assignments */
  if (a[0] == 198 && (a[1] & 0xFE) == 18)
    return "reserved"; /* benchmarking, 198.18.0.0/15 */
  return NULL;
}

const char *sheaf_net_restricted(const struct sockaddr *sa, socklen_t len)
{
  if (sa->sa_family == AF_INET && len >= (socklen_t)sizeof(struct sockaddr_in)) {
    const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
    unsigned char a[4];
    memcpy(a, &in->sin_addr, 4);
    return v4_class(a);
  }
  if (sa->sa_family == AF_INET6 && len >= (socklen_t)sizeof(struct sockaddr_in6)) {
    const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
    const unsigned char *a = in6->sin6_addr.s6_addr;
    static const unsigned char zero[16];
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
    if (memcmp(a, zero, 15) == 0)
      return a[15] == 1 ? "loopback" : a[15] == 0 ? "unspecified" : "reserved";
    /* ::ffff:a.b.c.d and the deprecated ::a.b.c.d: the IPv4 inside. */
    if (memcmp(a, mapped, 12) == 0 || memcmp(a, zero, 12) == 0)
      return v4_class(a + 12) ? v4_class(a + 12) : NULL;
    if (a[0] == 0 && a[1] == 0x64 && a[2] == 0xFF && a[3] == 0x9B &&
        memcmp(a + 4, zero, 8) == 0)
      return v4_class(a + 12); /* NAT64 64:ff9b::/96 */
    if (a[0] == 0xFF)
      return "multicast";
    if (a[0] == 0xFE && (a[1] & 0xC0) == 0x80)
      return "link-local";
    if (a[0] == 0xFE && (a[1] & 0xC0) == 0xC0)
      return "private"; /* deprecated site-local */
    if ((a[0] & 0xFE) == 0xFC)
      return "private"; /* unique local fc00::/7 */
    if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0D && a[3] == 0xB8)
      return "reserved"; /* documentation */
    if (a[0] == 0x20 && a[1] == 0x02)
      return v4_class(a + 2); /* 6to4 embeds an IPv4 address */
    return NULL;
  }
  return "unsupported";
}

/* Splits "http[s]://[userinfo@]host[:port]/..." */
static bool split(const char *url, const char **host, size_t *hlen, unsigned *port,
                  bool *https)
{
  const char *p, *end, *at, *colon;

  if (sheaf_starts_with_ci(url, "http://")) {
    p = url + 7;
    *https = false;
  } else if (sheaf_starts_with_ci(url, "https://")) {
    p = url + 8;
    *https = true;
  } else {
    return false;
  }
  end = p + strcspn(p, "/?#");
  at = memchr(p, '@', (size_t)(end - p));
  if (at)
    p = at + 1;
  *port = *https ? 443 : 80;
  if (*p == '[') {
    const char *rb = memchr(p, ']', (size_t)(end - p));
    if (!rb)
      return false;
    *host = p + 1;
    *hlen = (size_t)(rb - p - 1);
    colon = rb + 1 < end && rb[1] == ':' ? rb + 1 : NULL;
  } else {
    colon = memchr(p, ':', (size_t)(end - p));
    *host = p;
    *hlen = (size_t)((colon ? colon : end) - p);
  }
  if (colon) {
    unsigned long v = 0;
    const char *q;
    for (q = colon + 1; q < end; q++) {
      if (!isdigit((unsigned char)*q) || v > 65535)
        return false;
      v = v * 10 + (unsigned)(*q - '0');
    }
    if (q > colon + 1)
      *port = (unsigned)v;
    if (v > 65535)
      return false;
  }
  return *hlen > 0;
}

bool sheaf_net_url_host(const char *url, char *host, size_t cap)
{
  const char *h;
  size_t n, i;
  unsigned port;
  bool https;

  if (!split(url, &h, &n, &port, &https) || n >= cap)
    return false;
  for (i = 0; i < n; i++)
    host[i] = (char)tolower((unsigned char)h[i]);
  host[n] = '\0';
  return true;
}

bool sheaf_net_url_origin(const char *url, char *origin, size_t cap)
{
  char host[256];
  const char *h;
  size_t n;
  unsigned port;
  bool https;
  struct sheaf_buf b;

  if (!split(url, &h, &n, &port, &https) || !sheaf_net_url_host(url, host, sizeof host))
    return false;
  sheaf_buf_init(&b, cap - 1);
  sheaf_buf_printf(&b, "%s://%s%s%s:%u", https ? "https" : "http",
                   strchr(host, ':') ? "[" : "", host, strchr(host, ':') ? "]" : "",
                   port);
  if (b.failed) {
    sheaf_buf_fini(&b);
    return false;
  }
  memcpy(origin, b.ptr, b.len + 1);
  sheaf_buf_fini(&b);
  return true;
}

char *sheaf_net_resolve(const char *ref, const char *base, bool *nomem)
{
  /* The layout's own URL cleaning, so that the capture asks for exactly the
   * URL a build will look the image or page up by. */
  char *out = sheaf_url_clean(ref, base, nomem, NULL), *hash;
  char host[256];

  if (!out)
    return NULL;
  if ((!sheaf_starts_with_ci(out, "http://") && !sheaf_starts_with_ci(out, "https://")) ||
      !sheaf_net_url_host(out, host, sizeof host)) {
    sheaf_free(out);
    return NULL;
  }
  if ((hash = strchr(out, '#')) != NULL)
    *hash = '\0';
  return out;
}
