/*
 * This file contains the capture's robots.txt reader (RFC 9309): the rules
 * of the group that names sheaf, else of the "*" group, matched longest
 * first with `*` wildcards and a `$` end anchor, and the Crawl-delay that
 * many sites still set. Lines it does not know are ignored, as the RFC asks.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "fetch/fetch.h"

struct rule {
  char *pat;
  bool allow;
};

struct group {
  struct rule *rules;
  size_t n, cap;
  unsigned delay_ms;
  bool has_delay;
};

struct sheaf_robots {
  struct group own, star; /* the "sheaf" group, the "*" group */
  bool own_seen;
  int all; /* -1: rules; 0: nothing allowed; 1: everything allowed */
};

struct sheaf_robots *sheaf_robots_new_all(bool allow)
{
  struct sheaf_robots *r = sheaf_calloc(1, sizeof *r);

  if (r)
    r->all = allow ? 1 : 0;
  return r;
}

static void group_fini(struct group *g)
{
  size_t i;

  for (i = 0; i < g->n; i++)
    sheaf_free(g->rules[i].pat);
  sheaf_free(g->rules);
}

void sheaf_robots_free(struct sheaf_robots *r)
{
  if (!r)
    return;
  group_fini(&r->own);
  group_fini(&r->star);
  sheaf_free(r);
}

static bool add_rule(struct group *g, const char *p, size_t n, bool allow)
{
  char *pat;

  if (g->n >= 10000) /* a hostile robots.txt stays bounded */
    return true;
  if (!sheaf_grow((void **)&g->rules, &g->cap, g->n + 1, sizeof *g->rules))
    return false;
  if (!(pat = sheaf_strndup(p, n)))
    return false;
  g->rules[g->n++] = (struct rule){pat, allow};
  return true;
}

struct sheaf_robots *sheaf_robots_parse(const char *text, size_t n)
{
  struct sheaf_robots *r = sheaf_robots_new_all(true);
  const char *p = text, *end = text + n;
  bool in_own = false, in_star = false, agents = false;

  if (!r)
    return NULL;
  r->all = -1;
  while (p < end) {
    const char *eol = memchr(p, '\n', (size_t)(end - p)), *colon, *v, *ve, *hash;
    struct sheaf_str key;
    if (!eol)
      eol = end;
    hash = memchr(p, '#', (size_t)(eol - p));
    ve = hash ? hash : eol;
    colon = memchr(p, ':', (size_t)(ve - p));
    if (colon) {
      key = sheaf_str_trim((struct sheaf_str){p, (size_t)(colon - p)});
      v = colon + 1;
      while (v < ve && isspace((unsigned char)*v))
        v++;
      while (ve > v && isspace((unsigned char)ve[-1]))
        ve--;
      if (sheaf_str_ieq(key, "user-agent")) {
        struct sheaf_str ua = {v, (size_t)(ve - v)};
        if (!agents)
          in_own = in_star = false; /* a new group starts */
        agents = true;
        if (sheaf_str_ieq(ua, "*"))
          in_star = true;
        else if (ua.n >= 5 && sheaf_str_ieq((struct sheaf_str){v, 5}, "sheaf"))
          in_own = r->own_seen = true;
      } else {
        bool allow = sheaf_str_ieq(key, "allow");
        agents = false;
        if (allow || sheaf_str_ieq(key, "disallow")) {
          /* An empty Disallow allows everything: no rule. */
          if (ve > v && ((in_own && !add_rule(&r->own, v, (size_t)(ve - v), allow)) ||
                         (in_star && !add_rule(&r->star, v, (size_t)(ve - v), allow)))) {
            sheaf_robots_free(r);
            return NULL;
          }
        } else if (sheaf_str_ieq(key, "crawl-delay")) {
          double d = strtod(v, NULL);
          unsigned ms = d <= 0 ? 0 : d >= 60 ? 60000 : (unsigned)(d * 1000);
          if (in_own) {
            r->own.delay_ms = ms;
            r->own.has_delay = true;
          }
          if (in_star) {
            r->star.delay_ms = ms;
            r->star.has_delay = true;
          }
        }
      }
    }
    p = eol + 1;
  }
  return r;
}

/* Does pattern p (with * and a final $) match a prefix of s (or all of s)? */
static bool match(const char *p, const char *s)
{
  /* Iterative wildcard matching with one backtrack point: linear enough
   * for patterns of a few stars. */
  const char *star = NULL, *ss = NULL;

  for (;;) {
    if (*p == '$' && p[1] == '\0')
      return *s == '\0';
    if (*p == '\0')
      return true; /* a prefix match */
    if (*p == '*') {
      star = ++p;
      ss = s;
      continue;
    }
    if (*s && *p == *s) {
      p++;
      s++;
      continue;
    }
    if (star && *ss) {
      p = star;
      s = ++ss;
      continue;
    }
    return false;
  }
}

bool sheaf_robots_allowed(const struct sheaf_robots *r, const char *path)
{
  const struct group *g;
  size_t i, best = 0;
  bool allow = true, any = false;

  if (!r || r->all >= 0)
    return !r || r->all == 1;
  if (strcmp(path, "/robots.txt") == 0)
    return true;
  g = r->own_seen ? &r->own : &r->star;
  for (i = 0; i < g->n; i++) {
    size_t len = strlen(g->rules[i].pat);
    if (!match(g->rules[i].pat, path))
      continue;
    if (!any || len > best || (len == best && g->rules[i].allow)) {
      best = len;
      allow = g->rules[i].allow;
      any = true;
    }
  }
  return allow;
}

unsigned sheaf_robots_delay_ms(const struct sheaf_robots *r)
{
  if (!r || r->all >= 0)
    return 0;
  return r->own_seen && r->own.has_delay ? r->own.delay_ms : r->star.delay_ms;
}
