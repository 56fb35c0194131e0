/*
 * Unit tests for src/fetch without a network: the address guard (IPv4,
 * IPv6, mapped forms), URL hosts and origins, robots.txt rules and delays,
 * feed discovery in pages, rel="next" in feeds, WordPress ?paged=N URLs,
 * and the image choice the capture shares with the layout.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cmocka.h>

#include "fetch/fetch.h"
#include "layout/layout.h"

static const char *judge(const char *addr)
{
  struct sockaddr_in in;
  struct sockaddr_in6 in6;

  memset(&in, 0, sizeof in);
  memset(&in6, 0, sizeof in6);
  if (inet_pton(AF_INET, addr, &in.sin_addr) == 1) {
    in.sin_family = AF_INET;
    return sheaf_net_restricted((struct sockaddr *)&in, sizeof in);
  }
  assert_int_equal(inet_pton(AF_INET6, addr, &in6.sin6_addr), 1);
  in6.sin6_family = AF_INET6;
  return sheaf_net_restricted((struct sockaddr *)&in6, sizeof in6);
}

static void test_guard(void **state)
{
  static const struct {
    const char *addr, *want; /* want NULL: public */
  } cases[] = {
      {"127.0.0.1", "loopback"},
      {"127.0.0.2", "loopback"},
      {"10.1.2.3", "private"},
      {"172.16.0.1", "private"},
      {"172.31.255.255", "private"},
      {"172.32.0.1", NULL},
      {"192.168.1.1", "private"},
      {"100.64.0.1", "private"},
      {"169.254.169.254", "link-local"},
      {"224.0.0.1", "multicast"},
      {"239.255.255.250", "multicast"},
      {"255.255.255.255", "reserved"},
      {"0.0.0.0", "unspecified"},
      {"93.184.216.34", NULL},
      {"8.8.8.8", NULL},
      {"::1", "loopback"},
      {"::", "unspecified"},
      {"::ffff:127.0.0.1", "loopback"},
      {"::ffff:169.254.169.254", "link-local"},
      {"::ffff:10.0.0.1", "private"},
      {"::ffff:93.184.216.34", NULL},
      {"::127.0.0.1", "loopback"},
      {"64:ff9b::a9fe:a9fe", "link-local"},
      {"2002:7f00:1::", "loopback"},
      {"fe80::1", "link-local"},
      {"fc00::1", "private"},
      {"fd12:3456::1", "private"},
      {"ff02::1", "multicast"},
      {"2001:db8::1", "reserved"},
      {"2606:4700::1111", NULL},
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof cases / sizeof *cases; i++) {
    const char *got = judge(cases[i].addr);
    if (cases[i].want == NULL) {
      if (got)
        fail_msg("%s judged %s, want public", cases[i].addr, got);
    } else if (!got || strcmp(got, cases[i].want) != 0) {
      fail_msg("%s judged %s, want %s", cases[i].addr, got ? got : "public",
               cases[i].want);
    }
  }
}

static void test_hosts(void **state)
{
  char buf[300];

  (void)state;
  assert_true(sheaf_net_url_host("http://User@Example.ORG:8080/x?y", buf, sizeof buf));
  assert_string_equal(buf, "example.org");
  assert_true(sheaf_net_url_host("https://[::1]:443/", buf, sizeof buf));
  assert_string_equal(buf, "::1");
  assert_false(sheaf_net_url_host("ftp://example.org/", buf, sizeof buf));
  assert_false(sheaf_net_url_host("file:///etc/passwd", buf, sizeof buf));
  assert_false(sheaf_net_url_host("http://host:99999/", buf, sizeof buf));
  assert_true(sheaf_net_url_origin("HTTPS://example.org/a", buf, sizeof buf));
  assert_string_equal(buf, "https://example.org:443");
  assert_true(sheaf_net_url_origin("http://[::1]:8080/a", buf, sizeof buf));
  assert_string_equal(buf, "http://[::1]:8080");
}

static void test_resolve(void **state)
{
  bool nomem;
  char *u;

  (void)state;
  u = sheaf_net_resolve("../img/a b.png#frag", "https://example.org/blog/post/", &nomem);
  assert_non_null(u);
  assert_string_equal(u, "https://example.org/blog/img/a%20b.png");
  sheaf_free(u);
  assert_null(sheaf_net_resolve("javascript:alert(1)", "https://example.org/", &nomem));
  assert_null(
      sheaf_net_resolve("data:image/png;base64,AAAA", "https://example.org/", &nomem));
  assert_null(sheaf_net_resolve("ftp://example.org/x", NULL, &nomem));
  assert_null(sheaf_net_resolve("/x.png", NULL, &nomem));
}

static void test_robots(void **state)
{
  static const char txt[] = "# comment\n"
                            "User-agent: Googlebot\n"
                            "Disallow: /\n"
                            "\n"
                            "User-agent: *\n"
                            "Disallow: /private/\n"
                            "Disallow: /*.pdf$\n"
                            "Allow: /private/open/\n"
                            "Crawl-delay: 2.5\n";
  static const char own[] = "User-agent: *\nDisallow: /\n\nUser-agent: sheaf\n"
                            "User-agent: other\nDisallow: /x\n";
  struct sheaf_robots *r = sheaf_robots_parse(txt, sizeof txt - 1);

  (void)state;
  assert_non_null(r);
  assert_true(sheaf_robots_allowed(r, "/"));
  assert_true(sheaf_robots_allowed(r, "/2024/01/post/"));
  assert_false(sheaf_robots_allowed(r, "/private/secret.png"));
  assert_true(sheaf_robots_allowed(r, "/private/open/a.png"));
  assert_false(sheaf_robots_allowed(r, "/files/a.pdf"));
  assert_true(sheaf_robots_allowed(r, "/files/a.pdf?x=1"));
  assert_true(sheaf_robots_allowed(r, "/robots.txt"));
  assert_int_equal(sheaf_robots_delay_ms(r), 2500);
  sheaf_robots_free(r);

  /* The group naming sheaf wins over "*"; groups share their rules. */
  r = sheaf_robots_parse(own, sizeof own - 1);
  assert_non_null(r);
  assert_true(sheaf_robots_allowed(r, "/a"));
  assert_false(sheaf_robots_allowed(r, "/x/y"));
  assert_int_equal(sheaf_robots_delay_ms(r), 0);
  sheaf_robots_free(r);

  r = sheaf_robots_new_all(false);
  assert_false(sheaf_robots_allowed(r, "/"));
  sheaf_robots_free(r);
}

static void test_find(void **state)
{
  static const char page[] =
      "<!DOCTYPE html><html><head><title>t</title>"
      "<meta name=\"generator\" content=\"WordPress 6.4.2\">"
      "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"/atom/\">"
      "<link rel=\"alternate\" type=\"application/rss+xml\" href=\"feed/\">"
      "<link rel=\"alternate\" type=\"application/rss+xml\" href=\"/comments/feed/\">"
      "</head><body><link rel=\"alternate\" type=\"application/rss+xml\" href=\"/no/\">"
      "</body></html>";
  static const char atom[] =
      "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\">"
      "<link rel=\"self\" href=\"/f?page=1\"/>"
      "<entry><link rel=\"next\" href=\"/not-this\"/></entry>"
      "<link rel=\"next\" href=\"/f?page=2\"/>"
      "<generator uri=\"https://wordpress.org/\">WordPress</generator>"
      "</feed>";
  bool wp = false;
  char *u = sheaf_find_feed_link(page, sizeof page - 1, "https://ex.org/tag/x/", &wp);

  (void)state;
  assert_non_null(u);
  assert_string_equal(u, "https://ex.org/tag/x/feed/");
  assert_true(wp);
  sheaf_free(u);
  u = sheaf_find_next_link(atom, sizeof atom - 1, "https://ex.org/f");
  assert_non_null(u);
  assert_string_equal(u, "https://ex.org/f?page=2");
  sheaf_free(u);
  assert_true(sheaf_find_is_wordpress(atom, sizeof atom - 1));
  assert_false(sheaf_find_is_wordpress("<rss><channel/></rss>", 21));

  u = sheaf_find_paged("https://ex.org/tag/x/feed/", 2);
  assert_string_equal(u, "https://ex.org/tag/x/feed/?paged=2");
  sheaf_free(u);
  u = sheaf_find_paged("https://ex.org/?feed=rss2&paged=2&tag=x", 3);
  assert_string_equal(u, "https://ex.org/?feed=rss2&tag=x&paged=3");
  sheaf_free(u);
}

static void test_pick(void **state)
{
  const struct sheaf_image_cand c[] = {
      {"data:image/gif;base64,R0lGOD", 0, false},
      {"a-300.jpg", 300, false},
      {"a-1024.jpg", 1024, false},
      {"a-2048.jpg", 2048, false},
      {"noscript.jpg", 0, true},
  };
  const struct sheaf_image_cand big[] = {{"b-2048.jpg", 2048, false},
                                         {"b-3000.jpg", 3000, false}};
  const struct sheaf_image_cand fb[] = {{"data:x", 0, false}, {"real.png", 0, true}};

  (void)state;
  assert_int_equal(sheaf_images_pick(c, 5, 1600), 2);
  assert_int_equal(sheaf_images_pick(c, 5, 4000), 3);
  assert_int_equal(sheaf_images_pick(c, 5, 500), 1);
  assert_int_equal(sheaf_images_pick(big, 2, 1600), 0); /* the narrowest */
  assert_int_equal(sheaf_images_pick(fb, 2, 1600), 1); /* <noscript> as the last resort */
  assert_int_equal(sheaf_images_pick(c, 1, 1600), 1);  /* nothing to fetch */
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_guard),   cmocka_unit_test(test_hosts),
      cmocka_unit_test(test_resolve), cmocka_unit_test(test_robots),
      cmocka_unit_test(test_find),    cmocka_unit_test(test_pick),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
