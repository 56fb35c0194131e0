/*
 * This file contains the sheaf command's command-line parsing and its help
 * texts. Each subcommand's --help teaches by example: the first thing a
 * reader sees is a command that works.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

static const char usage_main[] =
    "Usage: sheaf COMMAND [OPTIONS] INPUT...\n"
    "\n"
    "Turns web archives into EPUB 3 books. An INPUT is an RSS, RDF or Atom\n"
    "feed, a WordPress export (WXR), a Markdown or HTML file, a web archive\n"
    "(.warc, .warc.gz, .wacz), or a folder of any of these (a folder of WARC\n"
    "files, as sheaf fetch writes it, is read as one archive).\n"
    "\n"
    "Commands:\n"
    "  build    make an EPUB book of the selected articles\n"
    "  fetch    capture a site's feed, pages and images into an archive folder\n"
    "  list     show the articles (or, with --tags, the tags) of the inputs\n"
    "  help     show help for a command: sheaf help build\n"
    "\n"
    "Examples:\n"
    "  sheaf build feed.rss --tag digital-economy -o digital-economy.epub\n"
    "  sheaf list feed.rss --tags\n"
    "  sheaf fetch https://example.org/tag/x/ -o site/ && sheaf build site/ --tag x\n"
    "\n"
    "Options for every command:\n"
    "  -h, --help       show help (sheaf build --help for a command's options)\n"
    "  -V, --version    print the version\n"
    "  -q, --quiet      print errors only\n"
    "  -v, --verbose    also print notes (repairs, removed cruft)\n"
    "\n"
    "Exit codes: 0 success, 1 usage error, 2 input could not be read or parsed,\n"
    "3 nothing matched the selection, 4 the book could not be written.\n"
    "See sheaf(1) for more.\n";

static const char usage_select[] =
    "Selection:\n"
    "  -t, --tag TAG          keep articles with this tag or category (name or\n"
    "                         slug, any case; repeat for any of several)\n"
    "  -x, --exclude-tag TAG  leave out articles with this tag (repeatable)\n"
    "      --since DATE       keep articles published on or after DATE\n"
    "      --until DATE       keep articles published on or before DATE\n"
    "                         (DATE: 2023-02-22 or 2023-02-22T07:30:00Z)\n"
    "  -n, --limit N          keep the newest N articles\n"
    "      --newest-first     order newest first (default: oldest first)\n"
    "      --include-drafts   also read drafts and unpublished posts (WordPress\n"
    "                         exports, Markdown front matter)\n"
    "      --post-type TYPE   WordPress post types to read (default: post;\n"
    "                         repeat, e.g. --post-type post --post-type page)\n"
    "      --encoding NAME    read every input in this character set (e.g.\n"
    "                         windows-1251), whatever the file declares\n"
    "      --no-mojibake-repair  keep double-encoded UTF-8 (\"\xC3\x83\xC2\xA9\" for\n"
    "                         \"\xC3\xA9\") as the feed has it (default: repaired,\n"
    "                         with a warning)\n";

/* Pictures and looks: a string of its own (C99 promises 4095 bytes a
 * literal). */
static const char usage_pictures[] =
    "Pictures and looks:\n"
    "      --assets DIR       a copy of the site made by wget --mirror or HTTrack\n"
    "                         (DIR/host/path); images are also taken from the\n"
    "                         input's folder, file: and data: URLs, an uploads\n"
    "                         folder beside a WordPress export and the responses\n"
    "                         of web archives given as inputs, never elsewhere\n"
    "      --max-image-width PX  of srcset variants, embed the widest up to PX\n"
    "                         (default: 1600)\n"
    "      --max-image-size SIZE  leave out image files over SIZE bytes (K, M, G\n"
    "                         suffixes; default: 20M)\n"
    "      --image-size WxH   scale pictures down to fit W x H pixels, turned as\n"
    "                         the camera was held, in sRGB, re-encoded as JPEG\n"
    "                         (PNG for transparency or few colours); a picture\n"
    "                         already within the box stays as it is (default:\n"
    "                         1600x2400)\n"
    "      --grayscale        make every picture grey (e-ink readers; smaller)\n"
    "      --original-images  embed pictures exactly as found: no scaling or\n"
    "                         conversion (WebP is then left out, see below)\n"
    "      --keep-webp        embed WebP images as they are instead of converting\n"
    "                         them (many readers cannot show them; EPUBCheck 4.2\n"
    "                         then wants a fallback)\n"
    "      --cover FILE       a JPEG or PNG cover (default: a 1600x2560 JPEG made\n"
    "                         of the title, tag, site and dates)\n"
    "      --css FILE         your stylesheet, applied after the default one\n"
    "      --remove SELECTOR  take the elements a CSS selector matches out of\n"
    "                         every article (repeatable): '.share-box',\n"
    "                         'div.related, #comments', 'aside > .ad'\n";

static const char usage_build[] =
    "Usage: sheaf build INPUT... [OPTIONS]\n"
    "\n"
    "Makes one EPUB 3 book of every selected article of the INPUT feeds: a title\n"
    "page, a table of contents, one chapter per article with its title, author,\n"
    "date and a link to the original. Article HTML is cleaned: scripts, forms,\n"
    "frames and tracking go; text stays. Identical input gives an identical file.\n"
    "\n"
    "Examples:\n"
    "  sheaf build feed.rss --tag digital-economy -o digital-economy.epub\n"
    "  sheaf build a.xml b.atom --tag rust --tag go --since 2024-01-01\n"
    "  sheaf build feed.rss --limit 20 --newest-first --title 'Last 20 posts'\n"
    "\n"
    "Output:\n"
    "  -o, --output FILE      where to write the book (default: the title as a\n"
    "                         file name in the current folder, e.g.\n"
    "                         digital-economy.epub); written to a temporary file\n"
    "                         and renamed, so FILE is never left half-written;\n"
    "                         a file the build read is never overwritten;\n"
    "                         -o - writes the book to standard output (a pipe\n"
    "                         or a file, never a terminal)\n"
    "      --title TEXT       the book's title (default: from the tag or feed)\n"
    "      --author NAME      the book's author (repeatable; default: the\n"
    "                         articles' authors when at most three, else the\n"
    "                         site's name)\n"
    "      --group-by HOW     nest the table of contents by year, month, tag or\n"
    "                         none (default: by year when the book spans years\n"
    "                         and has more than 30 chapters, else flat)\n"
    "      --language TAG     language when the feed names none (default: en)\n"
    "      --werror           treat warnings as errors (exit 2)\n"
    "      --threads N        work on N threads (default 0: one per core);\n"
    "                         the book is the same whatever N\n"
    "\n"
    "Series and catalogs:\n"
    "      --split HOW        write a series of volumes instead of one book:\n"
    "                         one per year or month (--split year), N articles\n"
    "                         each (--split 500) or under a size each (--split\n"
    "                         45MB); -o blog.epub gives blog-01.epub,\n"
    "                         blog-02.epub... (blog-2019.epub by year); an -o\n"
    "                         with {n} or {key} is a pattern: -o 'vol-{n}.epub'.\n"
    "                         Cut from the oldest article on: when the archive\n"
    "                         grows, earlier volumes stay byte-identical\n"
    "      --after BOOK.epub...  leave out every article these earlier books of\n"
    "                         sheaf hold: only what is new since (repeatable;\n"
    "                         further .epub arguments count too, so\n"
    "                         --after blog-*.epub works)\n"
    "      --catalog FILE     also write an OPDS 1.2 catalog (Atom) of the books\n"
    "                         written, each cover and its thumbnail beside its\n"
    "                         book (BOOK.jpg, BOOK.thumb.jpg),\n"
    "                         for KOReader, Thorium or calibre-web to browse\n"
    "\n"
    "%s"
    "\n"
    "%s"
    "\n"
    "%s"
    "\n"
    "SOURCE_DATE_EPOCH, when set, is used as the book's modification time.\n";

static const char usage_limits[] =
    "Limits (each exceeded limit is an error naming the file and line; raise\n"
    "them for archives you trust; SIZE takes K, M and G suffixes):\n"
    "      --max-input-size SIZE    largest input file, also after gzip\n"
    "                               inflation (default: 2G less a byte, the\n"
    "                               most the XML reader takes; big files are\n"
    "                               read through a window, not held)\n"
    "      --max-articles N         most articles in one run, over all inputs\n"
    "                               (default: 100000)\n"
    "      --max-article-size SIZE  largest body of one article (default: 10M)\n"
    "      --max-depth N            article HTML nested deeper is flattened,\n"
    "                               keeping its text, with a warning (default: 256)\n";

static const char usage_list[] =
    "Usage: sheaf list INPUT... [OPTIONS]\n"
    "\n"
    "Prints the selected articles, one per line: date, title, tags (by slug),\n"
    "tab-separated. With --tags, prints each tag's slug and article count,\n"
    "most used first, which tells you what to pass to 'sheaf build --tag'.\n"
    "\n"
    "Examples:\n"
    "  sheaf list feed.rss --tags\n"
    "  sheaf list feed.rss --tag digital-economy --since 2023-01-01\n"
    "\n"
    "      --tags             print tag counts instead of articles\n"
    "\n"
    "%s"
    "\n"
    "%s";

static const char usage_fetch[] =
    "Usage: sheaf fetch URL... -o ARCHIVE [OPTIONS]\n"
    "\n"
    "Captures a site's articles into the folder ARCHIVE as one new web archive\n"
    "file (WARC, .warc.gz) per run, for 'sheaf build ARCHIVE' to read offline.\n"
    "Each URL is a feed or a page that announces one (a WordPress tag page).\n"
    "Every page of the feed is read (rel=\"next\", WordPress ?paged=N), the\n"
    "article page of each item that holds only an excerpt, and every image\n"
    "the selected articles show (the widest srcset variant up to\n"
    "--max-image-width). Run it again into the same folder: only what changed\n"
    "is downloaded, and the archive keeps articles the feed no longer shows.\n"
    "\n"
    "Examples:\n"
    "  sheaf fetch https://example.org/tag/digital-economy/ -o site/\n"
    "  sheaf build site/ --tag digital-economy\n"
    "  sheaf fetch https://example.org/feed/ -o site/ --tag rust --dry-run\n"
    "\n"
    "  -o, --output ARCHIVE   the archive folder (created when missing); files\n"
    "                         already in it are read, never changed\n"
    "  -t, --tag TAG          fetch the pages and images of articles with this\n"
    "                         tag only (repeatable; default: every article)\n"
    "  -x, --exclude-tag TAG  nor of articles with this tag\n"
    "      --max-image-width PX  of srcset variants, fetch the widest up to PX\n"
    "                         (default: 1600, as sheaf build)\n"
    "      --max-pages N      read at most N pages of each feed (default: 100)\n"
    "      --dry-run          read robots.txt and the feeds only; list every\n"
    "                         other URL a real run would fetch; write nothing\n"
    "\n"
    "Politeness and safety (robots.txt and its Crawl-delay are always obeyed,\n"
    "at most 2 connections per host, only http and https, at most 10\n"
    "redirects; hosts found in feeds that resolve to loopback, private,\n"
    "link-local or multicast addresses are refused; only the hosts of the\n"
    "URLs you name may be such):\n"
    "      --connect-timeout SEC  give up connecting after SEC seconds (15)\n"
    "      --stall-timeout SEC    give up a transfer that receives nothing for\n"
    "                         SEC seconds (30)\n"
    "      --max-retries N    retries of a 429, 503 or dropped connection (3)\n"
    "      --max-retry-wait SEC   longest Retry-After obeyed (120)\n"
    "      --max-response-size SIZE  larger responses are dropped (64M)\n"
    "      --max-run-size SIZE    stop the run past SIZE received (4G)\n"
    "      --connections N    transfers at once over all hosts (8)\n"
    "\n"
    "Exit codes: 0 success (single images or pages that failed are warnings),\n"
    "1 usage error, 2 a URL you named could not be read as a feed (network\n"
    "error, HTTP error, not a feed) or a limit was passed, 4 the archive\n"
    "folder could not be written, 130 interrupted (nothing is written).\n";

void cli_print_help(FILE *f, enum cli_command cmd)
{
  switch (cmd) {
  case CMD_FETCH:
    fputs(usage_fetch, f);
    break;
  case CMD_BUILD:
    fprintf(f, usage_build, usage_pictures, usage_select, usage_limits);
    break;
  case CMD_LIST:
    fprintf(f, usage_list, usage_select, usage_limits);
    break;
  default:
    fputs(usage_main, f);
    break;
  }
}

enum {
  OPT_SINCE = 256,
  OPT_UNTIL,
  OPT_NEWEST_FIRST,
  OPT_TITLE,
  OPT_LANGUAGE,
  OPT_TAGS,
  OPT_WERROR,
  OPT_INCLUDE_DRAFTS,
  OPT_POST_TYPE,
  OPT_ENCODING,
  OPT_GROUP_BY,
  OPT_THREADS,
  OPT_ASSETS,
  OPT_MAX_IMAGE_WIDTH,
  OPT_MAX_IMAGE_SIZE,
  OPT_KEEP_WEBP,
  OPT_IMAGE_SIZE,
  OPT_GRAYSCALE,
  OPT_ORIGINAL_IMAGES,
  OPT_NO_MOJIBAKE_REPAIR,
  OPT_COVER,
  OPT_CSS,
  OPT_REMOVE,
  OPT_AUTHOR,
  OPT_MAX_INPUT_SIZE,
  OPT_MAX_ARTICLES,
  OPT_MAX_ARTICLE_SIZE,
  OPT_MAX_DEPTH,
  OPT_MAX_PAGES,
  OPT_DRY_RUN,
  OPT_CONNECT_TIMEOUT,
  OPT_STALL_TIMEOUT,
  OPT_MAX_RETRIES,
  OPT_MAX_RETRY_WAIT,
  OPT_MAX_RESPONSE_SIZE,
  OPT_MAX_RUN_SIZE,
  OPT_CONNECTIONS,
  OPT_SPLIT,
  OPT_AFTER,
  OPT_CATALOG
};

static const struct option long_options[] = {
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},
    {"output", required_argument, NULL, 'o'},
    {"tag", required_argument, NULL, 't'},
    {"exclude-tag", required_argument, NULL, 'x'},
    {"limit", required_argument, NULL, 'n'},
    {"since", required_argument, NULL, OPT_SINCE},
    {"until", required_argument, NULL, OPT_UNTIL},
    {"newest-first", no_argument, NULL, OPT_NEWEST_FIRST},
    {"title", required_argument, NULL, OPT_TITLE},
    {"language", required_argument, NULL, OPT_LANGUAGE},
    {"tags", no_argument, NULL, OPT_TAGS},
    {"werror", no_argument, NULL, OPT_WERROR},
    {"include-drafts", no_argument, NULL, OPT_INCLUDE_DRAFTS},
    {"post-type", required_argument, NULL, OPT_POST_TYPE},
    {"encoding", required_argument, NULL, OPT_ENCODING},
    {"group-by", required_argument, NULL, OPT_GROUP_BY},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"assets", required_argument, NULL, OPT_ASSETS},
    {"max-image-width", required_argument, NULL, OPT_MAX_IMAGE_WIDTH},
    {"max-image-size", required_argument, NULL, OPT_MAX_IMAGE_SIZE},
    {"keep-webp", no_argument, NULL, OPT_KEEP_WEBP},
    {"image-size", required_argument, NULL, OPT_IMAGE_SIZE},
    {"grayscale", no_argument, NULL, OPT_GRAYSCALE},
    {"greyscale", no_argument, NULL, OPT_GRAYSCALE},
    {"original-images", no_argument, NULL, OPT_ORIGINAL_IMAGES},
    {"no-mojibake-repair", no_argument, NULL, OPT_NO_MOJIBAKE_REPAIR},
    {"cover", required_argument, NULL, OPT_COVER},
    {"css", required_argument, NULL, OPT_CSS},
    {"remove", required_argument, NULL, OPT_REMOVE},
    {"author", required_argument, NULL, OPT_AUTHOR},
    {"max-input-size", required_argument, NULL, OPT_MAX_INPUT_SIZE},
    {"max-articles", required_argument, NULL, OPT_MAX_ARTICLES},
    {"max-article-size", required_argument, NULL, OPT_MAX_ARTICLE_SIZE},
    {"max-depth", required_argument, NULL, OPT_MAX_DEPTH},
    {"max-pages", required_argument, NULL, OPT_MAX_PAGES},
    {"dry-run", no_argument, NULL, OPT_DRY_RUN},
    {"connect-timeout", required_argument, NULL, OPT_CONNECT_TIMEOUT},
    {"stall-timeout", required_argument, NULL, OPT_STALL_TIMEOUT},
    {"max-retries", required_argument, NULL, OPT_MAX_RETRIES},
    {"max-retry-wait", required_argument, NULL, OPT_MAX_RETRY_WAIT},
    {"max-response-size", required_argument, NULL, OPT_MAX_RESPONSE_SIZE},
    {"max-run-size", required_argument, NULL, OPT_MAX_RUN_SIZE},
    {"connections", required_argument, NULL, OPT_CONNECTIONS},
    {"split", required_argument, NULL, OPT_SPLIT},
    {"after", required_argument, NULL, OPT_AFTER},
    {"catalog", required_argument, NULL, OPT_CATALOG},
    {NULL, 0, NULL, 0}};

static bool ends_with_epub(const char *s)
{
  size_t n = strlen(s);
  return n > 5 && strcasecmp(s + n - 5, ".epub") == 0;
}

static enum cli_command command_named(const char *s)
{
  if (strcmp(s, "build") == 0)
    return CMD_BUILD;
  if (strcmp(s, "list") == 0 || strcmp(s, "ls") == 0)
    return CMD_LIST;
  if (strcmp(s, "help") == 0)
    return CMD_HELP;
  if (strcmp(s, "fetch") == 0)
    return CMD_FETCH;
  return CMD_NONE;
}

static bool push(const char ***arr, size_t *n, const char *s)
{
  const char **p = realloc(*arr, (*n + 1) * sizeof *p);
  if (p == NULL)
    return false;
  p[(*n)++] = s;
  *arr = p;
  return true;
}

/* Parses a positive number, with a K, M or G suffix (powers of 1024) when
 * `sizes`: the one parser of every numeric option. Values are capped well
 * below SIZE_MAX so that limit + a few bytes never overflows. Returns false
 * for anything else. */
static bool parse_count(const char *s, bool sizes, size_t *out)
{
  char *end;
  unsigned long long v, mul = 1;

  if (*s < '0' || *s > '9')
    return false;
  errno = 0;
  v = strtoull(s, &end, 10);
  if (sizes && (*end == 'K' || *end == 'k'))
    mul = 1ull << 10, end++;
  else if (sizes && (*end == 'M' || *end == 'm'))
    mul = 1ull << 20, end++;
  else if (sizes && (*end == 'G' || *end == 'g'))
    mul = 1ull << 30, end++;
  if (errno || *end || end == s || v == 0 || v > (unsigned long long)(SIZE_MAX / 4) / mul)
    return false;
  *out = (size_t)(v * mul);
  return true;
}

/* Parses "WIDTHxHEIGHT" (--image-size), each 16 to 65535 pixels. */
static bool parse_box(const char *s, unsigned *w, unsigned *h)
{
  size_t a, b;
  const char *x = strpbrk(s, "xX");
  char num[16];

  if (!x || (size_t)(x - s) >= sizeof num)
    return false;
  memcpy(num, s, (size_t)(x - s));
  num[x - s] = '\0';
  if (!parse_count(num, false, &a) || !parse_count(x + 1, false, &b) || a < 16 ||
      b < 16 || a > 65535 || b > 65535)
    return false;
  *w = (unsigned)a;
  *h = (unsigned)b;
  return true;
}

/* Parses seconds ("2", "0.5") into milliseconds, at most a day. */
static bool parse_seconds(const char *s, unsigned *ms)
{
  char *end;
  double v;

  if ((*s < '0' || *s > '9') && *s != '.')
    return false;
  errno = 0;
  v = strtod(s, &end);
  if (errno || *end || v <= 0 || v > 86400)
    return false;
  *ms = (unsigned)(v * 1000 + 0.5);
  return *ms > 0;
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int
usage_error(enum cli_command cmd, const char *fmt, ...)
{
  va_list ap;
  char msg[4096];

  fputs("sheaf: error: ", stderr);
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  /* The message quotes the command line, which may hold any byte. */
  cli_put_escaped(stderr, msg);
  fprintf(stderr, "\nTry 'sheaf %s--help' for more information.\n",
          cmd == CMD_BUILD   ? "build "
          : cmd == CMD_LIST  ? "list "
          : cmd == CMD_FETCH ? "fetch "
                             : "");
  return EXIT_USAGE;
}

/* What apply_option() returns besides EXIT_OK and EXIT_USAGE. */
enum { OPTION_STOP = -1, OPTION_NEEDS_VALUE = -2, OPTION_UNKNOWN = -3 };

/* Applies option `c` (as getopt_long returned it) with its argument `arg`
 * to `cli`. Returns EXIT_OK, EXIT_USAGE after printing why, OPTION_STOP
 * after --help or --version (nothing more to parse), or OPTION_NEEDS_VALUE
 * or OPTION_UNKNOWN for the caller to report with the option's text. */
static int apply_option(struct cli *cli, int c, const char *arg)
{
  switch (c) {
  case 'h':
    cli->help_for = cli->cmd;
    cli->cmd = CMD_HELP;
    return OPTION_STOP;
  case 'V':
    cli->cmd = CMD_VERSION;
    return OPTION_STOP;
  case 'q':
    cli->verbosity = -1;
    break;
  case 'v':
    cli->verbosity = 1;
    break;
  case 'o':
    cli->output = arg;
    break;
  case 't':
    if (!push(&cli->tags, &cli->ntags, arg))
      return usage_error(cli->cmd, "%s", "out of memory");
    break;
  case 'x':
    if (!push(&cli->exclude_tags, &cli->nexclude_tags, arg))
      return usage_error(cli->cmd, "%s", "out of memory");
    break;
  case 'n':
    if (!parse_count(arg, false, &cli->opt.limit))
      return usage_error(cli->cmd, "--limit wants a positive number, not '%s'", arg);
    break;
  case OPT_SINCE:
    cli->opt.since = arg;
    break;
  case OPT_UNTIL:
    cli->opt.until = arg;
    break;
  case OPT_NEWEST_FIRST:
    cli->opt.flags |= SHEAF_OPT_NEWEST_FIRST;
    break;
  case OPT_TITLE:
    cli->opt.title = arg;
    break;
  case OPT_LANGUAGE:
    cli->opt.language = arg;
    break;
  case OPT_TAGS:
    cli->list_tags = true;
    break;
  case OPT_WERROR:
    cli->opt.flags |= SHEAF_OPT_WERROR;
    break;
  case OPT_INCLUDE_DRAFTS:
    cli->opt.flags |= SHEAF_OPT_INCLUDE_DRAFTS;
    break;
  case OPT_THREADS: {
    char *end;
    unsigned long v;
    errno = 0;
    v = strtoul(arg, &end, 10);
    if (errno || *end || end == arg || arg[0] == '-' || v > 64)
      return usage_error(cli->cmd,
                         "--threads wants a number from 0 (one per core) "
                         "to 64, not '%s'",
                         arg);
    cli->opt.threads = (unsigned)v;
    break;
  }
  case OPT_GROUP_BY:
    if (strcmp(arg, "year") == 0)
      cli->opt.group_by = SHEAF_GROUP_YEAR;
    else if (strcmp(arg, "month") == 0)
      cli->opt.group_by = SHEAF_GROUP_MONTH;
    else if (strcmp(arg, "tag") == 0)
      cli->opt.group_by = SHEAF_GROUP_TAG;
    else if (strcmp(arg, "none") == 0)
      cli->opt.group_by = SHEAF_GROUP_NONE;
    else
      return usage_error(cli->cmd, "--group-by takes year, month, tag or none, not '%s'",
                         arg);
    break;
  case OPT_ENCODING:
    cli->opt.encoding = arg;
    break;
  case OPT_ASSETS:
    cli->opt.assets_dir = arg;
    break;
  case OPT_COVER:
    cli->opt.cover = arg;
    break;
  case OPT_CSS:
    cli->opt.css = arg;
    break;
  case OPT_REMOVE:
    if (!push(&cli->remove, &cli->nremove, arg))
      return usage_error(cli->cmd, "%s", "out of memory");
    break;
  case OPT_AUTHOR:
    if (!*arg)
      return usage_error(cli->cmd, "%s", "--author wants a name");
    if (!push(&cli->authors, &cli->nauthors, arg))
      return usage_error(cli->cmd, "%s", "out of memory");
    break;
  case OPT_KEEP_WEBP:
    cli->opt.flags |= SHEAF_OPT_KEEP_WEBP;
    break;
  case OPT_IMAGE_SIZE:
    if (!parse_box(arg, &cli->opt.image_width, &cli->opt.image_height))
      return usage_error(cli->cmd,
                         "--image-size wants WIDTHxHEIGHT in pixels (16 to 65535), "
                         "such as 1600x2400, not '%s'",
                         arg);
    break;
  case OPT_GRAYSCALE:
    cli->opt.flags |= SHEAF_OPT_GRAYSCALE;
    break;
  case OPT_ORIGINAL_IMAGES:
    cli->opt.flags |= SHEAF_OPT_ORIGINAL_IMAGES;
    break;
  case OPT_NO_MOJIBAKE_REPAIR:
    cli->opt.flags |= SHEAF_OPT_NO_MOJIBAKE_REPAIR;
    break;
  case OPT_MAX_IMAGE_WIDTH:
    if (!parse_count(arg, false, &cli->opt.max_image_width) ||
        cli->opt.max_image_width > 100000)
      return usage_error(cli->cmd, "--max-image-width wants a number of pixels, not '%s'",
                         arg);
    break;
  case OPT_MAX_IMAGE_SIZE:
    if (!parse_count(arg, true, &cli->opt.max_image_size))
      return usage_error(
          cli->cmd, "--max-image-size wants a size such as 500K or 20M, not '%s'", arg);
    break;
  case OPT_MAX_INPUT_SIZE:
    if (!parse_count(arg, true, &cli->opt.max_input_size))
      return usage_error(
          cli->cmd, "--max-input-size wants a size such as 2G or 800M, not '%s'", arg);
    break;
  case OPT_MAX_ARTICLE_SIZE:
    if (!parse_count(arg, true, &cli->opt.max_article_size))
      return usage_error(cli->cmd,
                         "--max-article-size wants a size such as 64M, not '%s'", arg);
    break;
  case OPT_MAX_ARTICLES:
    if (!parse_count(arg, false, &cli->opt.max_articles))
      return usage_error(cli->cmd, "--max-articles wants a positive number, not '%s'",
                         arg);
    break;
  case OPT_MAX_DEPTH:
    if (!parse_count(arg, false, &cli->opt.max_depth))
      return usage_error(cli->cmd, "--max-depth wants a positive number, not '%s'", arg);
    break;
  case OPT_POST_TYPE:
    if (!push(&cli->post_types, &cli->npost_types, arg))
      return usage_error(cli->cmd, "%s", "out of memory");
    break;
  case OPT_MAX_PAGES:
  case OPT_MAX_RETRIES:
  case OPT_CONNECTIONS: {
    size_t v;
    if (!parse_count(arg, false, &v) || v > 100000)
      return usage_error(cli->cmd, "%s wants a positive number, not '%s'",
                         c == OPT_MAX_PAGES     ? "--max-pages"
                         : c == OPT_MAX_RETRIES ? "--max-retries"
                                                : "--connections",
                         arg);
    if (c == OPT_MAX_PAGES)
      cli->fopt.max_pages = v;
    else if (c == OPT_MAX_RETRIES)
      cli->fopt.max_retries = (unsigned)v;
    else
      cli->fopt.max_connections = (unsigned)v;
    break;
  }
  case OPT_CONNECT_TIMEOUT:
  case OPT_STALL_TIMEOUT:
  case OPT_MAX_RETRY_WAIT: {
    unsigned ms;
    if (!parse_seconds(arg, &ms))
      return usage_error(cli->cmd, "a timeout wants seconds, such as 10 or 0.5, not '%s'",
                         arg);
    if (c == OPT_CONNECT_TIMEOUT)
      cli->fopt.connect_timeout_ms = ms;
    else if (c == OPT_STALL_TIMEOUT)
      cli->fopt.stall_timeout_ms = ms;
    else
      cli->fopt.max_retry_wait_ms = ms;
    break;
  }
  case OPT_MAX_RESPONSE_SIZE:
  case OPT_MAX_RUN_SIZE: {
    size_t v;
    if (!parse_count(arg, true, &v))
      return usage_error(cli->cmd, "a size such as 64M or 2G is wanted, not '%s'", arg);
    if (c == OPT_MAX_RESPONSE_SIZE)
      cli->fopt.max_response_size = v;
    else
      cli->fopt.max_run_size = v;
    break;
  }
  case OPT_DRY_RUN:
    cli->fopt.flags |= SHEAF_FETCH_DRY_RUN;
    break;
  case OPT_SPLIT:
    cli->opt.split = arg;
    break;
  case OPT_AFTER:
    if (!push(&cli->after, &cli->nafter, arg))
      return usage_error(cli->cmd, "%s", "out of memory");
    break;
  case OPT_CATALOG:
    cli->opt.catalog = arg;
    break;
  case ':':
    return OPTION_NEEDS_VALUE;
  default:
    return OPTION_UNKNOWN;
  }
  return EXIT_OK;
}

int cli_parse(struct cli *cli, int argc, char **argv)
{
  int c, first = 1;

  memset(cli, 0, sizeof *cli);
  sheaf_options_init(&cli->opt);
  sheaf_fetch_options_init(&cli->fopt);
  cli->argc = argc;
  cli->argv = argv;

  if (argc < 2) {
    cli->cmd = CMD_HELP;
    cli->help_for = CMD_NONE;
    return usage_error(CMD_NONE, "%s", "no command given");
  }
  if (argv[1][0] != '-') {
    cli->cmd = command_named(argv[1]);
    if (cli->cmd == CMD_NONE)
      return usage_error(CMD_NONE,
                         "unknown command '%s'; the commands are build, "
                         "list, fetch and help",
                         argv[1]);
    first = 2;
  }
  if (cli->cmd == CMD_HELP) {
    cli->help_for = argc > 2 ? command_named(argv[2]) : CMD_NONE;
    return EXIT_OK;
  }

  /* getopt_long from argv[first - 1] so the subcommand acts as argv[0]. */
  optind = 1;
  opterr = 0;
  argc -= first - 1;
  argv += first - 1;
  while ((c = getopt_long(argc, argv, ":hVqvo:t:x:n:", long_options, NULL)) != -1) {
    int rc = apply_option(cli, c, optarg);
    if (rc == OPTION_STOP)
      return EXIT_OK;
    if (rc == OPTION_NEEDS_VALUE)
      return usage_error(cli->cmd, "option '%s' needs a value", argv[optind - 1]);
    if (rc == OPTION_UNKNOWN)
      return usage_error(cli->cmd, "unknown option '%s'", argv[optind - 1]);
    if (rc != EXIT_OK)
      return rc;
  }
  if (cli->cmd == CMD_NONE)
    return usage_error(CMD_NONE, "%s",
                       "no command given; the commands are build, list, fetch and help");
  if (cli->list_tags && cli->cmd != CMD_LIST)
    return usage_error(cli->cmd, "%s",
                       "--tags belongs to 'sheaf list'; to select by tag use --tag TAG");
  if (cli->output && cli->cmd != CMD_BUILD && cli->cmd != CMD_FETCH)
    return usage_error(cli->cmd, "%s", "--output belongs to 'sheaf build'");
  if (cli->cmd == CMD_FETCH && !cli->output && !(cli->fopt.flags & SHEAF_FETCH_DRY_RUN))
    return usage_error(
        cli->cmd, "%s",
        "no archive folder given; add -o FOLDER, e.g. sheaf fetch URL -o site/");
  for (; optind < argc; optind++) {
    /* No input is an EPUB: with --after, a shell glob's further books
     * (--after blog-*.epub) are earlier books too. */
    bool book = cli->nafter && ends_with_epub(argv[optind]);
    if (!push(book ? &cli->after : &cli->inputs, book ? &cli->nafter : &cli->ninputs,
              argv[optind]))
      return usage_error(cli->cmd, "%s", "out of memory");
  }
  if ((cli->nafter || cli->opt.split || cli->opt.catalog) && cli->cmd != CMD_BUILD)
    return usage_error(cli->cmd, "%s",
                       "--split, --after and --catalog belong to 'sheaf build'");
  if (cli->ninputs == 0)
    return usage_error(
        cli->cmd, "%s",
        cli->cmd == CMD_FETCH
            ? "no URL given, e.g. sheaf fetch https://example.org/feed/ -o site/"
            : "no input given; name a feed file, e.g. sheaf build feed.rss");

  cli->opt.tags = cli->tags;
  cli->opt.ntags = cli->ntags;
  cli->opt.exclude_tags = cli->exclude_tags;
  cli->opt.nexclude_tags = cli->nexclude_tags;
  cli->opt.post_types = cli->post_types;
  cli->opt.npost_types = cli->npost_types;
  cli->opt.remove = cli->remove;
  cli->opt.nremove = cli->nremove;
  cli->opt.authors = cli->authors;
  cli->opt.nauthors = cli->nauthors;
  cli->opt.after = cli->after;
  cli->opt.nafter = cli->nafter;
  {
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
      char *end;
      long long v;
      errno = 0;
      v = strtoll(sde, &end, 10);
      if (errno || *end || v < 0)
        return usage_error(
            cli->cmd, "SOURCE_DATE_EPOCH must be a number of seconds, not '%s'", sde);
      /* 253402300800 is 10000-01-01: EPUB dates have four-digit years. */
      if (v >= 253402300800LL)
        return usage_error(cli->cmd,
                           "SOURCE_DATE_EPOCH %s is past the year 9999, which an EPUB "
                           "date cannot hold",
                           sde);
      cli->opt.source_date_epoch = v;
    }
  }
  return EXIT_OK;
}

void cli_fini(struct cli *cli)
{
  free(cli->inputs);
  free(cli->tags);
  free(cli->exclude_tags);
  free(cli->post_types);
  free(cli->remove);
  free(cli->authors);
  free(cli->after);
}
