/*
 * This file contains the defaults of sheaf_options and the one place where
 * a caller's options enter the library. The struct is append-only and says
 * its own size (see options.h), so every public function that takes options
 * first copies what the caller knows over a full set of defaults, and the
 * stages below only ever see a complete struct of this library's version.
 */
#include <pthread.h>
#include <string.h>

#include <libxml/parser.h>

#include "core/core.h"

static void init(void)
{
  /* libxml2 before 2.11 sets up its globals (dictionary, thread mutexes)
   * on first use without a lock, so two threads parsing at once race:
   * xmlInitParser() first is its documented cure. */
  xmlInitParser();
}

void sheaf_init_once(void)
{
  static pthread_once_t once = PTHREAD_ONCE_INIT;

  pthread_once(&once, init);
}

static void defaults(sheaf_options *opt)
{
  memset(opt, 0, sizeof *opt);
  opt->size = sizeof *opt;
  opt->source_date_epoch = -1;
  opt->max_image_width = 1600;
  opt->max_image_size = (size_t)20 << 20;
  opt->max_input_size = SHEAF_DEFAULT_MAX_INPUT_SIZE;
  opt->max_articles = SHEAF_DEFAULT_MAX_ARTICLES;
  opt->max_article_size = SHEAF_DEFAULT_MAX_ARTICLE_SIZE;
  opt->max_depth = SHEAF_DEFAULT_MAX_DEPTH;
  opt->threads = 0; /* one per core, at most 4 (spool.c) */
  opt->image_width = 1600;
  opt->image_height = 2400;
}

void sheaf_options_init_size(sheaf_options *opt, size_t size)
{
  sheaf_options d;

  if (opt == NULL || size < sizeof opt->size)
    return;
  defaults(&d);
  /* A caller compiled against a newer header has fields this library does
   * not know: zero them, which is what "not set" means to the check in
   * sheaf_options_resolve(). */
  memset(opt, 0, size);
  memcpy(opt, &d, size < sizeof d ? size : sizeof d);
  opt->size = size;
}

sheaf_status sheaf_options_resolve(const sheaf_options *in, sheaf_options *out,
                                   sheaf_diag *diag)
{
  const unsigned char *tail;
  size_t i;

  /* Every public function that parses or writes comes through here. */
  sheaf_init_once();
  defaults(out);
  if (in == NULL)
    return SHEAF_OK;
  if (in->size < sizeof in->size) {
    sheaf_diag_add(diag, SHEAF_ERROR, "usage", NULL, 0, 0,
                   "the options were not set up with sheaf_options_init()");
    return SHEAF_ERR_USAGE;
  }
  memcpy(out, in, in->size < sizeof *out ? in->size : sizeof *out);
  out->size = sizeof *out;
  /* Options this library does not know, set to something other than
   * their default: refuse rather than build a different book than asked. */
  tail = (const unsigned char *)in;
  for (i = sizeof *out; i < in->size; i++)
    if (tail[i] != 0) {
      sheaf_diag_add(diag, SHEAF_ERROR, "usage", NULL, 0, 0,
                     "an option this library (sheaf %s) does not know is set; the "
                     "program was built for a newer sheaf",
                     SHEAF_VERSION_STRING);
      return SHEAF_ERR_USAGE;
    }
  return SHEAF_OK;
}
