/*
 * This file contains date parsing and formatting: RFC 822 / RFC 2822 dates
 * as RSS writes them, ISO 8601 / RFC 3339 dates as Atom writes them, and the
 * few output forms the book needs. Everything is computed by hand on the
 * proleptic Gregorian calendar (days-from-civil), never through timegm(),
 * mktime() or the locale, so results do not depend on the machine's zone.
 */
#include <stdio.h>
#include <string.h>

#include "core/core.h"

static const char *const month_names[12] = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};
static const char *const day_names[7] = {"monday", "tuesday",  "wednesday", "thursday",
                                         "friday", "saturday", "sunday"};

/* A letter of a word: ASCII, or any byte of a UTF-8 character (month and
 * day names in other languages: "févr", "März", "янв"). */
static bool word_letter(int c)
{
  return sheaf_is_alpha(c) || c >= 0x80;
}

/* Howard Hinnant's days_from_civil: days since 1970-01-01. */
int64_t sheaf_days_from_civil(int64_t y, unsigned m, unsigned d)
{
  int64_t era, yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (int64_t)(m > 2 ? m - 3 : m + 9) + 2) / 5 + (int64_t)d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
  int64_t era, doe, yoe, doy, mp;

  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = z - era * 146097;
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  *d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
  *m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}

static unsigned days_in_month(int64_t y, unsigned m)
{
  static const unsigned dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

  return (m == 2 && leap) ? 29 : dm[m - 1];
}

/* Checks the fields and stores the UTC time; offset is in minutes east. */
static bool make_time(int64_t y, unsigned mo, unsigned d, unsigned h, unsigned mi,
                      unsigned s, int offset, int64_t *t, int *off_out)
{
  if (y < 1 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) ||
      h > 23 || mi > 59 || s > 60)
    return false;
  *t = sheaf_days_from_civil(y, mo, d) * 86400 + (int64_t)h * 3600 + (int64_t)mi * 60 +
       (int64_t)s - (int64_t)offset * 60;
  if (off_out)
    *off_out = offset;
  return true;
}

/* Reads exactly `count` digits at p[*i]. */
static bool digits(const char *p, size_t n, size_t *i, unsigned count, unsigned *out)
{
  unsigned v = 0, k;

  for (k = 0; k < count; k++) {
    if (*i + k >= n || !sheaf_is_digit((unsigned char)p[*i + k]))
      return false;
    v = v * 10 + (unsigned)(p[*i + k] - '0');
  }
  *i += count;
  *out = v;
  return true;
}

/* Reads 1 to `max` digits; returns the count read (0: none). */
static unsigned number(const char *p, size_t n, size_t *i, unsigned max, unsigned *out)
{
  unsigned v = 0, k = 0;

  while (k < max && *i < n && sheaf_is_digit((unsigned char)p[*i])) {
    v = v * 10 + (unsigned)(p[*i] - '0');
    (*i)++;
    k++;
  }
  *out = v;
  return k;
}

/* ---- ISO 8601 / RFC 3339 --------------------------------------------------- */

/* Reads a zone: Z, +HH:MM, +HHMM, +HH. Returns false on a malformed zone. */
static bool iso_zone(const char *p, size_t n, size_t *i, int *offset)
{
  unsigned hh, mm = 0;
  int sign;

  if (*i >= n) {
    *offset = 0;
    return true;
  }
  if (p[*i] == 'Z' || p[*i] == 'z') {
    (*i)++;
    *offset = 0;
    return true;
  }
  if (p[*i] != '+' && p[*i] != '-')
    return false;
  sign = p[*i] == '-' ? -1 : 1;
  (*i)++;
  if (!digits(p, n, i, 2, &hh))
    return false;
  if (*i < n && p[*i] == ':')
    (*i)++;
  if (*i < n && sheaf_is_digit((unsigned char)p[*i]) && !digits(p, n, i, 2, &mm))
    return false;
  if (hh > 23 || mm > 59)
    return false;
  *offset = sign * (int)(hh * 60 + mm);
  return true;
}

bool sheaf_date_parse_iso8601(const char *s, size_t n, int64_t *t, int *offset)
{
  struct sheaf_str v = sheaf_str_trim((struct sheaf_str){s, n});
  const char *p = v.p;
  size_t i = 0;
  unsigned y, mo, d, h = 0, mi = 0, sec = 0;
  int off = 0;
  bool basic;

  n = v.n;
  if (!digits(p, n, &i, 4, &y))
    return false;
  basic = i < n && sheaf_is_digit((unsigned char)p[i]);
  if (!basic && (i >= n || p[i] != '-'))
    return false;
  if (!basic)
    i++;
  if (!digits(p, n, &i, 2, &mo))
    return false;
  if (!basic) {
    if (i >= n || p[i] != '-')
      return false;
    i++;
  }
  if (!digits(p, n, &i, 2, &d))
    return false;
  if (i < n) {
    if (p[i] != 'T' && p[i] != 't' && p[i] != ' ')
      return false;
    i++;
    if (!digits(p, n, &i, 2, &h))
      return false;
    if (i < n && p[i] == ':' && !basic)
      i++;
    else if (!basic && !(i < n && sheaf_is_digit((unsigned char)p[i])))
      return false;
    if (!digits(p, n, &i, 2, &mi))
      return false;
    if (i < n && (p[i] == ':' || sheaf_is_digit((unsigned char)p[i]))) {
      if (p[i] == ':')
        i++;
      if (!digits(p, n, &i, 2, &sec))
        return false;
      if (i < n && (p[i] == '.' || p[i] == ',')) {
        i++;
        if (i >= n || !sheaf_is_digit((unsigned char)p[i]))
          return false;
        while (i < n && sheaf_is_digit((unsigned char)p[i]))
          i++; /* fractions are dropped: sheaf keeps whole seconds */
      }
    }
    while (i < n && p[i] == ' ')
      i++;
    if (!iso_zone(p, n, &i, &off))
      return false;
  }
  if (i != n)
    return false;
  return make_time(y, mo, d, h, mi, sec, off, t, offset);
}

/* ---- RFC 822 / RFC 2822 ----------------------------------------------------- */

/* Month names in the languages sheaf's labels speak (besides English),
 * lower case, in the forms dates use (Polish and Russian genitives too):
 * "Seg, 07 Set 2015", "lun., 5 févr. 2024", "Mi, 03 Jan 2024". A word
 * names a month when it starts one of them and no other month's. */
static const struct {
  const char *name;
  unsigned month;
} local_months[] = {
    /* de */
    {"januar", 1},
    {"jänner", 1},
    {"februar", 2},
    {"märz", 3},
    {"april", 4},
    {"mai", 5},
    {"juni", 6},
    {"juli", 7},
    {"august", 8},
    {"september", 9},
    {"oktober", 10},
    {"november", 11},
    {"dezember", 12},
    /* es */
    {"enero", 1},
    {"febrero", 2},
    {"marzo", 3},
    {"abril", 4},
    {"mayo", 5},
    {"junio", 6},
    {"julio", 7},
    {"agosto", 8},
    {"septiembre", 9},
    {"setiembre", 9},
    {"octubre", 10},
    {"noviembre", 11},
    {"diciembre", 12},
    /* fr */
    {"janvier", 1},
    {"février", 2},
    {"fevrier", 2},
    {"mars", 3},
    {"avril", 4},
    {"juin", 6},
    {"juillet", 7},
    {"août", 8},
    {"aout", 8},
    {"septembre", 9},
    {"octobre", 10},
    {"novembre", 11},
    {"décembre", 12},
    {"decembre", 12},
    /* it */
    {"gennaio", 1},
    {"febbraio", 2},
    {"aprile", 4},
    {"maggio", 5},
    {"giugno", 6},
    {"luglio", 7},
    {"settembre", 9},
    {"ottobre", 10},
    {"dicembre", 12},
    /* nl */
    {"januari", 1},
    {"februari", 2},
    {"maart", 3},
    {"mrt", 3},
    {"mei", 5},
    {"augustus", 8},
    /* pl (nominative and genitive) */
    {"styczeń", 1},
    {"stycznia", 1},
    {"luty", 2},
    {"lutego", 2},
    {"marzec", 3},
    {"marca", 3},
    {"kwiecień", 4},
    {"kwietnia", 4},
    {"maj", 5},
    {"maja", 5},
    {"czerwiec", 6},
    {"czerwca", 6},
    {"lipiec", 7},
    {"lipca", 7},
    {"sierpień", 8},
    {"sierpnia", 8},
    {"wrzesień", 9},
    {"września", 9},
    {"październik", 10},
    {"października", 10},
    {"listopad", 11},
    {"listopada", 11},
    {"grudzień", 12},
    {"grudnia", 12},
    /* pt */
    {"janeiro", 1},
    {"fevereiro", 2},
    {"março", 3},
    {"marco", 3},
    {"maio", 5},
    {"junho", 6},
    {"julho", 7},
    {"setembro", 9},
    {"outubro", 10},
    {"novembro", 11},
    {"dezembro", 12},
    /* ru (nominative and genitive) */
    {"январь", 1},
    {"января", 1},
    {"февраль", 2},
    {"февраля", 2},
    {"март", 3},
    {"марта", 3},
    {"апрель", 4},
    {"апреля", 4},
    {"май", 5},
    {"мая", 5},
    {"июнь", 6},
    {"июня", 6},
    {"июль", 7},
    {"июля", 7},
    {"август", 8},
    {"августа", 8},
    {"сентябрь", 9},
    {"сентября", 9},
    {"октябрь", 10},
    {"октября", 10},
    {"ноябрь", 11},
    {"ноября", 11},
    {"декабрь", 12},
    {"декабря", 12},
    /* sv */
    {"januari", 1},
    {"februari", 2},
    {"mars", 3},
    {"maj", 5},
    {"juni", 6},
    {"juli", 7},
    {"augusti", 8},
    {"oktober", 10},
};

/* Lower-cases one character of UTF-8 at p[0..n) into out (ASCII, Latin-1
 * capitals, Cyrillic capitals); returns the bytes read, 0 at a bad byte. */
static size_t fold(const unsigned char *p, size_t n, unsigned char out[2])
{
  if (p[0] < 0x80) {
    out[0] = (unsigned char)sheaf_to_lower(p[0]);
    return 1;
  }
  if (n < 2 || (p[1] & 0xC0) != 0x80)
    return 0;
  out[0] = p[0];
  out[1] = p[1];
  if (p[0] == 0xC3 && p[1] >= 0x80 && p[1] <= 0x9E && p[1] != 0x97)
    out[1] = (unsigned char)(p[1] + 0x20); /* À-Þ */
  else if (p[0] == 0xD0 && p[1] >= 0x90 && p[1] <= 0x9F)
    out[1] = (unsigned char)(p[1] + 0x20); /* А-П */
  else if (p[0] == 0xD0 && p[1] >= 0xA0 && p[1] <= 0xAF) {
    out[0] = 0xD1; /* Р-Я */
    out[1] = (unsigned char)(p[1] - 0x20);
  } else if (p[0] == 0xC5 && (p[1] == 0x81 || p[1] == 0x83 || p[1] == 0x9A ||
                              p[1] == 0xB9 || p[1] == 0xBB))
    out[1] = (unsigned char)(p[1] + 1); /* Ł Ń Ś Ź Ż */
  return 2;
}

/* Does the word p[0..n) start `name` (case folded)? */
static bool starts_name(const char *p, size_t n, const char *name)
{
  const unsigned char *u = (const unsigned char *)p;
  size_t i = 0, k = 0, m = strlen(name), len;
  unsigned char c[2];

  while (i < n) {
    if ((len = fold(u + i, n - i, c)) == 0 || k + len > m ||
        memcmp(name + k, c, len) != 0)
      return false;
    i += len;
    k += len;
  }
  return true;
}

/* Returns 1-12 when the word names a month (three letters or more of its
 * English name, "Sept" included, or of its name in one of the languages
 * above), else 0. */
static unsigned month_word(const char *p, size_t n)
{
  unsigned m, found = 0;
  size_t k;

  if (n < 3)
    return 0;
  for (m = 0; m < 12; m++) {
    if (n > strlen(month_names[m]))
      continue;
    for (k = 0; k < n; k++)
      if (sheaf_to_lower((unsigned char)p[k]) != month_names[m][k])
        break;
    if (k == n)
      return m + 1;
  }
  for (k = 0; k < sizeof local_months / sizeof *local_months; k++)
    if (starts_name(p, n, local_months[k].name)) {
      if (found && found != local_months[k].month)
        return 0; /* "jui": juin or juillet */
      found = local_months[k].month;
    }
  return found;
}

static bool day_word(const char *p, size_t n)
{
  unsigned d;
  size_t k;

  if (n < 2)
    return false;
  for (d = 0; d < 7; d++) {
    if (n > strlen(day_names[d]))
      continue;
    for (k = 0; k < n; k++)
      if (sheaf_to_lower((unsigned char)p[k]) != day_names[d][k])
        break;
    if (k == n)
      return true;
  }
  return false;
}

/* Zone names RSS uses; RFC 822 plus the ones found in the wild. */
static bool zone_word(const char *p, size_t n, int *offset)
{
  static const struct {
    const char *name;
    int minutes;
  } zones[] = {
      {"GMT", 0},       {"UT", 0},         {"UTC", 0},        {"Z", 0},
      {"EST", -5 * 60}, {"EDT", -4 * 60},  {"CST", -6 * 60},  {"CDT", -5 * 60},
      {"MST", -7 * 60}, {"MDT", -6 * 60},  {"PST", -8 * 60},  {"PDT", -7 * 60},
      {"BST", 60},      {"CET", 60},       {"CEST", 120},     {"IST", 330},
      {"JST", 9 * 60},  {"AEST", 10 * 60}, {"AEDT", 11 * 60},
  };
  size_t k;
  int c;

  for (k = 0; k < sizeof zones / sizeof zones[0]; k++)
    if (sheaf_str_ieq((struct sheaf_str){p, n}, zones[k].name)) {
      *offset = zones[k].minutes;
      return true;
    }
  if (n == 1) {
    /* Military zones: A-I are +1..+9, K-M +10..+12, N-Y -1..-12 (J unused). */
    c = sheaf_to_lower((unsigned char)p[0]);
    if (c >= 'a' && c <= 'i')
      *offset = (c - 'a' + 1) * 60;
    else if (c >= 'k' && c <= 'm')
      *offset = (c - 'k' + 10) * 60;
    else if (c >= 'n' && c <= 'y')
      *offset = -(c - 'n' + 1) * 60;
    else
      *offset = 0;
    return true;
  }
  *offset = 0; /* RFC 2822 4.3: an unknown zone is treated as UTC */
  return true;
}

static void skip_sep(const char *p, size_t n, size_t *i)
{
  while (*i < n && (sheaf_is_space((unsigned char)p[*i]) || p[*i] == ','))
    (*i)++;
}

bool sheaf_date_parse_rfc822(const char *s, size_t n, int64_t *t, int *offset)
{
  const char *p = s;
  size_t i = 0, w;
  unsigned d = 0, mo = 0, y = 0, h = 0, mi = 0, sec = 0, nd;
  int off = 0;

  skip_sep(p, n, &i);
  /* Optional weekday ("Wed", "Wednesday", "Thurs"). */
  w = i;
  while (i < n && word_letter((unsigned char)p[i]))
    i++;
  if (i > w) {
    /* A weekday in any language: a word before the day's number followed by
     * "," or "." ("Seg,", "lun.,", "Mi,"), or an English day's name. */
    if (day_word(p + w, i - w) || (i - w <= 16 && i < n && (p[i] == ',' || p[i] == '.') &&
                                   month_word(p + w, i - w) == 0)) {
      if (i < n && p[i] == '.')
        i++;
      skip_sep(p, n, &i);
    } else {
      i = w;
    }
  }
  /* "22 Feb 2023" (also with '-' between) or "Feb 22 2023". */
  if (i < n && sheaf_is_digit((unsigned char)p[i])) {
    if (number(p, n, &i, 2, &d) == 0)
      return false;
    while (i < n && (sheaf_is_space((unsigned char)p[i]) || p[i] == '-'))
      i++;
    w = i;
    while (i < n && word_letter((unsigned char)p[i]))
      i++;
    if ((mo = month_word(p + w, i - w)) == 0)
      return false;
    if (i < n && p[i] == '.')
      i++;
  } else {
    w = i;
    while (i < n && word_letter((unsigned char)p[i]))
      i++;
    if ((mo = month_word(p + w, i - w)) == 0)
      return false;
    if (i < n && p[i] == '.')
      i++;
    skip_sep(p, n, &i);
    if (number(p, n, &i, 2, &d) == 0)
      return false;
  }
  while (i < n && (sheaf_is_space((unsigned char)p[i]) || p[i] == '-' || p[i] == ','))
    i++;
  nd = number(p, n, &i, 4, &y);
  if (nd == 2)
    y += y < 50 ? 2000 : 1900;
  else if (nd == 3)
    y += 1900;
  else if (nd != 4)
    return false;
  if (i < n && sheaf_is_digit((unsigned char)p[i]))
    return false;
  skip_sep(p, n, &i);
  /* Time: HH:MM[:SS]; some feeds give a date only. */
  if (i < n && sheaf_is_digit((unsigned char)p[i])) {
    if (number(p, n, &i, 2, &h) == 0 || i >= n || p[i] != ':')
      return false;
    i++;
    if (!digits(p, n, &i, 2, &mi))
      return false;
    if (i < n && p[i] == ':') {
      i++;
      if (!digits(p, n, &i, 2, &sec))
        return false;
      if (i < n && p[i] == '.') /* fractions, seen in some generators */
        while (++i < n && sheaf_is_digit((unsigned char)p[i]))
          ;
    }
    skip_sep(p, n, &i);
    if (i < n && (p[i] == '+' || p[i] == '-')) {
      int sign = p[i] == '-' ? -1 : 1;
      unsigned hh, mm = 0;
      i++;
      if (!digits(p, n, &i, 2, &hh))
        return false;
      if (i < n && p[i] == ':')
        i++;
      if (i < n && sheaf_is_digit((unsigned char)p[i]) && !digits(p, n, &i, 2, &mm))
        return false;
      if (hh > 23 || mm > 59)
        return false;
      off = sign * (int)(hh * 60 + mm);
    } else if (i < n && sheaf_is_alpha((unsigned char)p[i])) {
      w = i;
      while (i < n && sheaf_is_alpha((unsigned char)p[i]))
        i++;
      zone_word(p + w, i - w, &off);
      /* "GMT+0100" and "UTC-5": a name followed by an offset. */
      if (i < n && (p[i] == '+' || p[i] == '-')) {
        int sign = p[i] == '-' ? -1 : 1;
        unsigned hh, mm = 0, k;
        i++;
        k = number(p, n, &i, 4, &hh);
        if (k == 0)
          return false;
        if (k > 2) {
          mm = hh % 100;
          hh /= 100;
        } else if (i < n && p[i] == ':') {
          i++;
          if (!digits(p, n, &i, 2, &mm))
            return false;
        }
        if (hh > 23 || mm > 59)
          return false;
        off = sign * (int)(hh * 60 + mm);
      }
    }
  }
  skip_sep(p, n, &i);
  if (i < n && p[i] == '(') { /* trailing comment: "+0000 (UTC)" */
    while (i < n && p[i] != ')')
      i++;
    if (i < n)
      i++;
    skip_sep(p, n, &i);
  }
  if (i != n)
    return false;
  return make_time(y, mo, d, h, mi, sec, off, t, offset);
}

bool sheaf_date_parse(const char *s, size_t n, int64_t *t, int *offset)
{
  return sheaf_date_parse_iso8601(s, n, t, offset) ||
         sheaf_date_parse_rfc822(s, n, t, offset);
}

/* ---- formatting ---------------------------------------------------------- */

static void split(int64_t t, int64_t *y, unsigned *mo, unsigned *d, unsigned *secs)
{
  int64_t days = t / 86400, rem = t % 86400;

  if (rem < 0) {
    rem += 86400;
    days--;
  }
  civil_from_days(days, y, mo, d);
  *secs = (unsigned)rem;
}

void sheaf_date_format_iso(int64_t t, char out[32])
{
  int64_t y;
  unsigned mo, d, s;

  split(t, &y, &mo, &d, &s);
  snprintf(out, 32, "%04lld-%02u-%02uT%02u:%02u:%02uZ", (long long)y, mo, d, s / 3600,
           s / 60 % 60, s % 60);
}

void sheaf_date_format_day(int64_t t, char out[32])
{
  int64_t y;
  unsigned mo, d, s;

  split(t, &y, &mo, &d, &s);
  snprintf(out, 32, "%04lld-%02u-%02u", (long long)y, mo, d);
}

char *sheaf_time_format_day(long long t, char out[32])
{
  sheaf_date_format_day((int64_t)t, out);
  return out;
}

void sheaf_date_split(int64_t t, int64_t *y, unsigned *mo, unsigned *d, unsigned *h,
                      unsigned *mi, unsigned *s)
{
  int64_t days = t / 86400, rem = t % 86400;

  if (rem < 0) {
    rem += 86400;
    days--;
  }
  civil_from_days(days, y, mo, d);
  *h = (unsigned)(rem / 3600);
  *mi = (unsigned)(rem / 60 % 60);
  *s = (unsigned)(rem % 60);
}
