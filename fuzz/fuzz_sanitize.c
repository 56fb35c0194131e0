/*
 * Fuzz target: the HTML sanitizer and serializer. Its output must always be
 * well-formed XML; a malformed result is a crash here, so the fuzzer finds
 * markup that would break a chapter for EPUBCheck.
 */
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "fuzz/fuzz.h"
#include "layout/layout.h"

static void quiet(void *ctx, const char *msg, ...)
{
  (void)ctx;
  (void)msg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct sheaf_layout_src src;
  struct sheaf_buf out, wrapped;
  struct sheaf_selectors *remove = NULL;
  sheaf_diag *diag;

  if (size < 1)
    return 0;
  xmlSetGenericErrorFunc(NULL, quiet);
  memset(&src, 0, sizeof src);
  diag = sheaf_diag_new();
  src.base_url = (data[0] & 1) ? "https://example.org/a/b/" : NULL;
  src.file = "fuzz.html";
  src.diag = diag;
  if (data[0] & 2) {
    /* --remove selectors of every form, matched against the hostile tree. */
    static const char *const sel[] = {"div p, aside > .ad", "[data-x=\"1\"] #a",
                                      "ul > li > a.x[href]", "* * * * span"};
    sheaf_status st;
    remove = sheaf_selectors_parse(sel, 4, diag, &st);
    src.remove = remove;
  }
  sheaf_buf_init(&out, 0);
  if (sheaf_layout_sanitize((const char *)data + 1, size - 1, &src, &out) == SHEAF_OK) {
    xmlDocPtr doc;
    sheaf_buf_init(&wrapped, 0);
    sheaf_buf_puts(&wrapped, "<body xmlns=\"http://www.w3.org/1999/xhtml\">");
    sheaf_buf_put(&wrapped, out.ptr, out.len);
    sheaf_buf_puts(&wrapped, "</body>");
    doc = xmlReadMemory(wrapped.ptr, (int)wrapped.len, "out.xhtml", "UTF-8",
                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                            XML_PARSE_HUGE); /* deep is fine; malformed is not */
    if (doc == NULL && !wrapped.failed)
      abort(); /* the sanitizer wrote something that is not XML */
    xmlFreeDoc(doc);
    sheaf_buf_fini(&wrapped);
  }
  sheaf_buf_fini(&out);
  sheaf_selectors_free(remove);
  sheaf_diag_free(diag);
  return 0;
}
