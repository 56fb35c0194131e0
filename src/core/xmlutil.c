/*
 * This file contains the libxml2 glue shared by the import and layout
 * stages: the parser options that keep XML reading safe, and the
 * structured error handler that turns libxml2's errors into diagnostics
 * with file, line and column, and the document-order walk of a tree.
 */
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "core/core.h"

int sheaf_xml_safe_options(void)
{
  sheaf_init_once();
  /* No XML_PARSE_NOENT (that would substitute external entities), no
   * DTDLOAD/DTDATTR/DTDVALID; NONET forbids any fetch. HUGE is not set, so
   * libxml2's own limits on text nodes and entity amplification stay on. */
  return XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES | XML_PARSE_NOWARNING |
         XML_PARSE_NOERROR;
}

void sheaf_xml_errctx_init(struct sheaf_xml_errctx *ec, sheaf_diag *d, const char *file,
                           sheaf_severity max_sev)
{
  memset(ec, 0, sizeof *ec);
  ec->diag = d;
  ec->file = file;
  ec->max_sev = max_sev;
}

void sheaf_xml_error_handler(void *ctx, struct _xmlError *err)
{
  struct sheaf_xml_errctx *ec = ctx;
  sheaf_severity sev;
  char msg[256];
  size_t n;

  if (ec == NULL || err == NULL)
    return;
  if (err->code == XML_ERR_NO_MEMORY)
    ec->nomem = true; /* the caller reports it as SHEAF_ERR_NOMEM */
  sev = err->level >= XML_ERR_ERROR ? SHEAF_ERROR : SHEAF_WARNING;
  if (sev > ec->max_sev)
    sev = ec->max_sev;
  snprintf(msg, sizeof msg, "%s", err->message ? err->message : "XML error");
  n = strlen(msg);
  while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
    msg[--n] = '\0';
  if (err->level >= XML_ERR_ERROR) {
    if (ec->nerrors++ == 0) {
      ec->first_line = err->line > 0 ? (unsigned)err->line : 0;
      snprintf(ec->first_msg, sizeof ec->first_msg, "%s", msg);
    }
  }
  /* Only the first few errors are worth showing: after one, libxml2 tends
   * to report the same break again at every following tag. */
  if (ec->nerrors <= 3)
    sheaf_diag_add(ec->diag, sev, "xml", ec->file,
                   err->line > 0 ? (unsigned)err->line : 0,
                   err->int2 > 0 ? (unsigned)err->int2 : 0, "%s", msg);
}

xmlNodePtr sheaf_xml_next(xmlNodePtr node, xmlNodePtr root, bool skip)
{
  if (!skip && node->type == XML_ELEMENT_NODE && node->children)
    return node->children;
  while (node && node != root) {
    if (node->next)
      return node->next;
    node = node->parent;
  }
  return NULL;
}
