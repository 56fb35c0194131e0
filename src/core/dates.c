/* PLACEHOLDER: replaced by the import work (RFC 822 and ISO 8601 parsing). */
#include "core/core.h"
bool sheaf_date_parse_rfc822(const char *s, size_t n, int64_t *t, int *offset) { (void)s; (void)n; (void)t; (void)offset; return false; }
bool sheaf_date_parse_iso8601(const char *s, size_t n, int64_t *t, int *offset) { (void)s; (void)n; (void)t; (void)offset; return false; }
bool sheaf_date_parse(const char *s, size_t n, int64_t *t, int *offset) { return sheaf_date_parse_iso8601(s, n, t, offset) || sheaf_date_parse_rfc822(s, n, t, offset); }
void sheaf_date_format_iso(int64_t t, char out[32]) { (void)t; out[0] = 0; }
void sheaf_date_format_day(int64_t t, char out[32]) { (void)t; out[0] = 0; }
void sheaf_date_format_long(int64_t t, char out[32]) { (void)t; out[0] = 0; }
int64_t sheaf_days_from_civil(int64_t y, unsigned m, unsigned d) { (void)y; (void)m; (void)d; return 0; }
