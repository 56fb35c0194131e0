/*
 * This file contains the words sheaf itself writes into a book (the table
 * of contents' heading, landmark names, "Untitled", the article count,
 * long dates and month headings) in the languages readers most often
 * have. A book in German gets "Inhalt" and "3. März 2024", not English
 * words inside a document declared German, which a screen reader would
 * read with a German voice. An unknown language falls back to English,
 * and sheaf_labels.lang tells the caller to mark those words as English.
 *
 * Patterns use {d} the day ({D}: French, "1er" for the first), {m} the
 * month's number, {M} its name as in a date (genitive where the language
 * inflects it), {N} its name on its own (a heading), {y} the year and {n} a
 * count. The strings are UTF-8.
 */
#include <string.h>

#include "core.h"

enum plural {
  PLURAL_ONE,         /* singular for 1 only (English, German, ...) */
  PLURAL_ZERO_ONE,    /* singular for 0 and 1 (French, Portuguese) */
  PLURAL_NONE,        /* one form (Chinese, Japanese, Korean) */
  PLURAL_EAST_SLAVIC, /* 1, 21, 31 / 2-4, 22-24 / 0, 5-20, 25 (Russian) */
  PLURAL_POLISH       /* 1 / 2-4, 22-24 / the rest */
};

#define MONTHS_EN                                                                        \
  {                                                                                      \
    "January", "February", "March", "April", "May", "June", "July", "August",            \
        "September", "October", "November", "December"                                   \
  }
#define MONTHS_NUM                                                                       \
  {                                                                                      \
    "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"                        \
  }

/* English first: the fallback. */
static const struct sheaf_labels tables[] = {
    {"en",
     "Contents",
     "Landmarks",
     "Title page",
     "Start",
     "Cover",
     "Untitled",
     "Undated",
     "Untagged",
     {"Source:", "Sources:"},
     "original",
     "Media",
     "Video",
     "Audio",
     "{d} {M} {y}",
     "{N} {y}",
     MONTHS_EN,
     MONTHS_EN,
     PLURAL_ONE,
     {"{n} article", "", "{n} articles"},
     "This archive holds no text of this article."},
    {"de",
     "Inhalt",
     "Orientierungspunkte",
     "Titelseite",
     "Anfang",
     "Umschlag",
     "Ohne Titel",
     "Ohne Datum",
     "Ohne Schlagwort",
     {"Quelle:", "Quellen:"},
     "Original",
     "Medien",
     "Video",
     "Audio",
     "{d}. {M} {y}",
     "{N} {y}",
     {"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
      "Oktober", "November", "Dezember"},
     {"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
      "Oktober", "November", "Dezember"},
     PLURAL_ONE,
     {"{n} Artikel", "", "{n} Artikel"},
     "Dieses Archiv enthält keinen Text dieses Artikels."},
    {"fr",
     "Table des matières",
     "Repères",
     "Page de titre",
     "Début",
     "Couverture",
     "Sans titre",
     "Sans date",
     "Sans étiquette",
     {"Source :", "Sources :"},
     "original",
     "Média",
     "Vidéo",
     "Audio",
     "{D} {M} {y}",
     "{N} {y}",
     {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
      "septembre", "octobre", "novembre", "décembre"},
     {"Janvier", "Février", "Mars", "Avril", "Mai", "Juin", "Juillet", "Août",
      "Septembre", "Octobre", "Novembre", "Décembre"},
     PLURAL_ZERO_ONE,
     {"{n} article", "", "{n} articles"},
     "Cette archive ne contient aucun texte de cet article."},
    {"es",
     "Índice",
     "Puntos de referencia",
     "Portadilla",
     "Inicio",
     "Portada",
     "Sin título",
     "Sin fecha",
     "Sin etiqueta",
     {"Fuente:", "Fuentes:"},
     "original",
     "Medios",
     "Vídeo",
     "Audio",
     "{d} de {M} de {y}",
     "{N} de {y}",
     {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
      "septiembre", "octubre", "noviembre", "diciembre"},
     {"Enero", "Febrero", "Marzo", "Abril", "Mayo", "Junio", "Julio", "Agosto",
      "Septiembre", "Octubre", "Noviembre", "Diciembre"},
     PLURAL_ONE,
     {"{n} artículo", "", "{n} artículos"},
     "Este archivo no contiene texto de este artículo."},
    {"it",
     "Indice",
     "Punti di riferimento",
     "Frontespizio",
     "Inizio",
     "Copertina",
     "Senza titolo",
     "Senza data",
     "Senza tag",
     {"Fonte:", "Fonti:"},
     "originale",
     "Media",
     "Video",
     "Audio",
     "{d} {M} {y}",
     "{N} {y}",
     {"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
      "settembre", "ottobre", "novembre", "dicembre"},
     {"Gennaio", "Febbraio", "Marzo", "Aprile", "Maggio", "Giugno", "Luglio", "Agosto",
      "Settembre", "Ottobre", "Novembre", "Dicembre"},
     PLURAL_ONE,
     {"{n} articolo", "", "{n} articoli"},
     "Questo archivio non contiene testo di questo articolo."},
    {"pt",
     "Índice",
     "Pontos de referência",
     "Folha de rosto",
     "Início",
     "Capa",
     "Sem título",
     "Sem data",
     "Sem etiqueta",
     {"Fonte:", "Fontes:"},
     "original",
     "Mídia",
     "Vídeo",
     "Áudio",
     "{d} de {M} de {y}",
     "{N} de {y}",
     {"janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto",
      "setembro", "outubro", "novembro", "dezembro"},
     {"Janeiro", "Fevereiro", "Março", "Abril", "Maio", "Junho", "Julho", "Agosto",
      "Setembro", "Outubro", "Novembro", "Dezembro"},
     PLURAL_ZERO_ONE,
     {"{n} artigo", "", "{n} artigos"},
     "Este arquivo não contém texto deste artigo."},
    {"nl",
     "Inhoud",
     "Oriëntatiepunten",
     "Titelpagina",
     "Begin",
     "Omslag",
     "Zonder titel",
     "Zonder datum",
     "Zonder tag",
     {"Bron:", "Bronnen:"},
     "origineel",
     "Media",
     "Video",
     "Audio",
     "{d} {M} {y}",
     "{N} {y}",
     {"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
      "september", "oktober", "november", "december"},
     {"Januari", "Februari", "Maart", "April", "Mei", "Juni", "Juli", "Augustus",
      "September", "Oktober", "November", "December"},
     PLURAL_ONE,
     {"{n} artikel", "", "{n} artikelen"},
     "Dit archief bevat geen tekst van dit artikel."},
    {"sv",
     "Innehåll",
     "Landmärken",
     "Titelsida",
     "Början",
     "Omslag",
     "Utan titel",
     "Utan datum",
     "Utan etikett",
     {"Källa:", "Källor:"},
     "original",
     "Media",
     "Video",
     "Ljud",
     "{d} {M} {y}",
     "{N} {y}",
     {"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
      "september", "oktober", "november", "december"},
     {"Januari", "Februari", "Mars", "April", "Maj", "Juni", "Juli", "Augusti",
      "September", "Oktober", "November", "December"},
     PLURAL_ONE,
     {"{n} artikel", "", "{n} artiklar"},
     "Det här arkivet innehåller ingen text från den här artikeln."},
    {"pl",
     "Spis treści",
     "Punkty orientacyjne",
     "Strona tytułowa",
     "Początek",
     "Okładka",
     "Bez tytułu",
     "Bez daty",
     "Bez tagu",
     {"Źródło:", "Źródła:"},
     "oryginał",
     "Multimedia",
     "Wideo",
     "Dźwięk",
     "{d} {M} {y}",
     "{N} {y}",
     {"stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia",
      "września", "października", "listopada", "grudnia"},
     {"Styczeń", "Luty", "Marzec", "Kwiecień", "Maj", "Czerwiec", "Lipiec", "Sierpień",
      "Wrzesień", "Październik", "Listopad", "Grudzień"},
     PLURAL_POLISH,
     {"{n} artykuł", "{n} artykuły", "{n} artykułów"},
     "To archiwum nie zawiera tekstu tego artykułu."},
    {"ru",
     "Содержание",
     "Ориентиры",
     "Титульная страница",
     "Начало",
     "Обложка",
     "Без названия",
     "Без даты",
     "Без метки",
     {"Источник:", "Источники:"},
     "оригинал",
     "Медиа",
     "Видео",
     "Аудио",
     "{d} {M} {y}",
     "{N} {y}",
     {"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
      "сентября", "октября", "ноября", "декабря"},
     {"Январь", "Февраль", "Март", "Апрель", "Май", "Июнь", "Июль", "Август", "Сентябрь",
      "Октябрь", "Ноябрь", "Декабрь"},
     PLURAL_EAST_SLAVIC,
     {"{n} статья", "{n} статьи", "{n} статей"},
     "В этом архиве нет текста этой статьи."},
    {"zh-Hant",
     "目錄",
     "地標",
     "扉頁",
     "正文",
     "封面",
     "無標題",
     "無日期",
     "無標籤",
     {"來源：", "來源："},
     "原文",
     "媒體",
     "影片",
     "音訊",
     "{y}年{m}月{d}日",
     "{y}年{m}月",
     MONTHS_NUM,
     MONTHS_NUM,
     PLURAL_NONE,
     {"{n} 篇文章", "", ""},
     "此存檔不包含這篇文章的內文。"},
    {"zh",
     "目录",
     "地标",
     "扉页",
     "正文",
     "封面",
     "无标题",
     "无日期",
     "无标签",
     {"来源：", "来源："},
     "原文",
     "媒体",
     "视频",
     "音频",
     "{y}年{m}月{d}日",
     "{y}年{m}月",
     MONTHS_NUM,
     MONTHS_NUM,
     PLURAL_NONE,
     {"{n} 篇文章", "", ""},
     "此存档不包含这篇文章的正文。"},
    {"ja",
     "目次",
     "ランドマーク",
     "扉",
     "本文",
     "表紙",
     "無題",
     "日付なし",
     "タグなし",
     {"出典：", "出典："},
     "原文",
     "メディア",
     "動画",
     "音声",
     "{y}年{m}月{d}日",
     "{y}年{m}月",
     MONTHS_NUM,
     MONTHS_NUM,
     PLURAL_NONE,
     {"{n} 件の記事", "", ""},
     "このアーカイブにはこの記事の本文がありません。"},
    {"ko",
     "목차",
     "랜드마크",
     "속표지",
     "본문",
     "표지",
     "제목 없음",
     "날짜 없음",
     "태그 없음",
     {"출처:", "출처:"},
     "원문",
     "미디어",
     "동영상",
     "오디오",
     "{y}년 {m}월 {d}일",
     "{y}년 {m}월",
     MONTHS_NUM,
     MONTHS_NUM,
     PLURAL_NONE,
     {"글 {n}편", "", ""},
     "이 아카이브에는 이 글의 본문이 없습니다."},
};

/* American English writes the month first: "May 24, 2019" (en-GB and the
 * rest of the English-speaking world: "24 May 2019"). */
static const struct sheaf_labels en_us = {"en-US",
                                          "Contents",
                                          "Landmarks",
                                          "Title page",
                                          "Start",
                                          "Cover",
                                          "Untitled",
                                          "Undated",
                                          "Untagged",
                                          {"Source:", "Sources:"},
                                          "original",
                                          "Media",
                                          "Video",
                                          "Audio",
                                          "{M} {d}, {y}",
                                          "{N} {y}",
                                          MONTHS_EN,
                                          MONTHS_EN,
                                          PLURAL_ONE,
                                          {"{n} article", "", "{n} articles"},
                                          "This archive holds no text of this article."};

/* Whether the BCP 47 tag `lang` has the region subtag `region`. */
static bool has_region(const char *lang, const char *region)
{
  const char *p = lang;
  size_t n = strlen(region);

  while (*(p += strcspn(p, "-_")) != '\0') {
    size_t k = strcspn(++p, "-_");
    if (k == n && sheaf_str_ieq((struct sheaf_str){p, k}, region))
      return true;
  }
  return false;
}

/* Traditional Chinese: zh-Hant, and the regions that write it when the
 * script is not given. */
static bool traditional_chinese(const char *lang)
{
  static const char *const subtags[] = {"hant", "tw", "hk", "mo"};
  const char *p = lang;
  size_t i;

  while (*(p += strcspn(p, "-_")) != '\0') {
    size_t n = strcspn(++p, "-_");
    for (i = 0; i < sizeof subtags / sizeof *subtags; i++)
      if (n == strlen(subtags[i]) && sheaf_str_ieq((struct sheaf_str){p, n}, subtags[i]))
        return true;
    if (n == 4 && sheaf_str_ieq((struct sheaf_str){p, n}, "hans"))
      return false;
  }
  return false;
}

const struct sheaf_labels *sheaf_labels_for(const char *lang)
{
  const char *key;
  size_t n, i;

  if (lang == NULL)
    return &tables[0];
  n = strcspn(lang, "-_");
  key = lang;
  if (n == 2 && sheaf_str_ieq((struct sheaf_str){lang, 2}, "en") &&
      has_region(lang, "us"))
    return &en_us;
  if (n == 2 && sheaf_str_ieq((struct sheaf_str){lang, 2}, "zh") &&
      traditional_chinese(lang)) {
    key = "zh-hant";
    n = 7;
  }
  for (i = 0; i < sizeof tables / sizeof *tables; i++)
    if (strlen(tables[i].lang) == n &&
        sheaf_str_ieq((struct sheaf_str){key, n}, tables[i].lang))
      return &tables[i];
  return &tables[0];
}

bool sheaf_lang_rtl(const char *lang)
{
  static const char *const rtl[] = {"ar", "he", "iw", "fa",  "ur",  "yi", "ps",
                                    "sd", "ug", "dv", "ckb", "syr", "arc"};
  size_t k, n;

  if (!lang)
    return false;
  n = strcspn(lang, "-_");
  for (k = 0; k < sizeof rtl / sizeof *rtl; k++)
    if (strlen(rtl[k]) == n && sheaf_str_ieq((struct sheaf_str){lang, n}, rtl[k]))
      return true;
  return false;
}

bool sheaf_labels_match(const struct sheaf_labels *l, const char *lang)
{
  return l != &tables[0] || lang == NULL || *lang == '\0' ||
         sheaf_ascii_casecmp(lang, "und") == 0 ||
         (strcspn(lang, "-_") == 2 && sheaf_str_ieq((struct sheaf_str){lang, 2}, "en"));
}

/* Expands `pattern` into out, with the fields of a date and a count. */
static void expand(struct sheaf_buf *out, const char *pattern,
                   const struct sheaf_labels *l, int64_t y, unsigned mo, unsigned d,
                   size_t n)
{
  const char *p = pattern;

  while (*p) {
    if (p[0] == '{' && p[1] && p[2] == '}') {
      switch (p[1]) {
      case 'd':
        sheaf_buf_printf(out, "%u", d);
        break;
      case 'D':
        sheaf_buf_printf(out, d == 1 ? "%uer" : "%u", d);
        break;
      case 'm':
        sheaf_buf_printf(out, "%u", mo);
        break;
      case 'M':
        sheaf_buf_puts(out, l->months[mo - 1]);
        break;
      case 'N':
        sheaf_buf_puts(out, l->month_names[mo - 1]);
        break;
      case 'y':
        sheaf_buf_printf(out, "%lld", (long long)y);
        break;
      case 'n':
        sheaf_buf_printf(out, "%zu", n);
        break;
      default:
        sheaf_buf_put(out, p, 3);
        break;
      }
      p += 3;
    } else {
      sheaf_buf_putc(out, *p++);
    }
  }
}

void sheaf_labels_date(const struct sheaf_labels *l, int64_t t, struct sheaf_buf *out)
{
  sheaf_labels_date_tz(l, t, 0, out);
}

void sheaf_labels_date_tz(const struct sheaf_labels *l, int64_t t, int offset,
                          struct sheaf_buf *out)
{
  int64_t y;
  unsigned mo, d, h, mi, s;

  /* The wall-clock day where it was written: 01:00 +09:00 on 1 January is
   * 1 January, though it was still 31 December in UTC. */
  sheaf_date_split(t + (int64_t)offset * 60, &y, &mo, &d, &h, &mi, &s);
  expand(out, l->date, l, y, mo, d, 0);
}

void sheaf_labels_month(const struct sheaf_labels *l, int64_t t, struct sheaf_buf *out)
{
  int64_t y;
  unsigned mo, d, h, mi, s;

  sheaf_date_split(t, &y, &mo, &d, &h, &mi, &s);
  expand(out, l->month, l, y, mo, d, 0);
}

void sheaf_labels_date_range(const struct sheaf_labels *l, int64_t first, int64_t last,
                             struct sheaf_buf *out)
{
  sheaf_labels_date_range_tz(l, first, 0, last, 0, out);
}

void sheaf_labels_date_range_tz(const struct sheaf_labels *l, int64_t first,
                                int first_offset, int64_t last, int last_offset,
                                struct sheaf_buf *out)
{
  struct sheaf_buf a, b;

  sheaf_buf_init(&a, 0);
  sheaf_buf_init(&b, 0);
  if (first != SHEAF_TIME_UNKNOWN)
    sheaf_labels_date_tz(l, first, first_offset, &a);
  if (last != SHEAF_TIME_UNKNOWN)
    sheaf_labels_date_tz(l, last, last_offset, &b);
  if (a.failed || b.failed)
    out->failed = true;
  else if (a.len && b.len && strcmp(a.ptr, b.ptr) != 0)
    sheaf_buf_printf(out, "%s – %s", a.ptr, b.ptr); /* en dash */
  else
    sheaf_buf_puts(out, a.len ? a.ptr : b.ptr);
  sheaf_buf_fini(&a);
  sheaf_buf_fini(&b);
}

void sheaf_labels_count(const struct sheaf_labels *l, size_t n, struct sheaf_buf *out)
{
  /* 2-4, 22-24, ... but not 12-14: the "few" form of Slavic languages. */
  bool few = n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14);
  size_t form = 2;

  switch ((enum plural)l->plural) {
  case PLURAL_ONE:
    form = n == 1 ? 0 : 2;
    break;
  case PLURAL_ZERO_ONE:
    form = n <= 1 ? 0 : 2;
    break;
  case PLURAL_NONE:
    form = 0;
    break;
  case PLURAL_EAST_SLAVIC:
    form = n % 10 == 1 && n % 100 != 11 ? 0 : few ? 1 : 2;
    break;
  case PLURAL_POLISH:
    form = n == 1 ? 0 : few ? 1 : 2;
    break;
  }
  expand(out, l->count[form], l, 0, 1, 1, n);
}
