/*
 * This file contains the colophon ("About this book"), the page that closes
 * a book: what it collects and from when, every source it came from, when
 * it was made (a reproducible time, never the clock, and which one) and by
 * what. It speaks the languages the other labels do (core/labels.c); a
 * book in another language gets it in English, marked as such.
 *
 * Each language gives whole sentences with fields, because word order
 * differs too much to assemble them: {t} the book's title (a <cite>), {c}
 * the article count with its plural ("3 Artikel"), {a} and {b} the first
 * and last dates, {d} the build's date, {v} sheaf's version and {w} where
 * that date comes from. Sentences that would need a participle to agree
 * with the count ("1 article publié") are phrased without one.
 */
#include <string.h>

#include "layout/layout.h"

struct colophon_words {
  const char *lang;      /* as in sheaf_labels.lang */
  const char *heading;   /* "About this book" */
  const char *collects;  /* no date known: "{t} collects {c}." */
  const char *on;        /* one day: "... published on {a}." */
  const char *between;   /* "... published between {a} and {b}." */
  const char *source[2]; /* over the list: one source, several */
  const char *made;      /* "This book was made on {d} by sheaf {v} {w}, ..." */
  const char *why[3];    /* SOURCE_DATE_EPOCH, the newest article, fixed */
};

static const struct colophon_words words[] = {
    {"en",
     "About this book",
     "{t} collects {c}.",
     "{t} collects {c} published on {a}.",
     "{t} collects {c} published between {a} and {b}.",
     {"Its source:", "Its sources:"},
     "This book was made on {d} by sheaf {v} {w}, from the archive as it was then. "
     "Links to the original articles lead to the web.",
     {"(the date the build was given as SOURCE_DATE_EPOCH)",
      "(dated by its newest article)", "(no article is dated: a fixed date)"}},
    {"de",
     "Über dieses Buch",
     "{t} enthält {c}.",
     "{t} enthält {c}, erschienen am {a}.",
     "{t} enthält {c}, erschienen zwischen dem {a} und dem {b}.",
     {"Quelle:", "Quellen:"},
     "Dieses Buch wurde am {d} von sheaf {v} {w} erstellt, aus dem Archiv, wie es "
     "damals war. Links zu den ursprünglichen Artikeln führen ins Web.",
     {"(das Datum, das dem Build als SOURCE_DATE_EPOCH übergeben wurde)",
      "(datiert nach seinem neuesten Artikel)",
      "(kein Artikel ist datiert: ein festes Datum)"}},
    {"fr",
     "À propos de ce livre",
     "{t} rassemble {c}.",
     "{t} rassemble {c} du {a}.",
     "{t} rassemble {c}, du {a} au {b}.",
     {"Source :", "Sources :"},
     "Ce livre a été fait le {d} par sheaf {v} {w}, à partir de l’archive telle "
     "qu’elle était alors. Les liens vers les articles originaux mènent au Web.",
     {"(la date donnée à la construction par SOURCE_DATE_EPOCH)",
      "(daté par son article le plus récent)",
      "(aucun article n’est daté : une date fixe)"}},
    {"es",
     "Acerca de este libro",
     "{t} reúne {c}.",
     "{t} reúne {c} del {a}.",
     "{t} reúne {c}, del {a} al {b}.",
     {"Fuente:", "Fuentes:"},
     "Este libro se hizo el {d} con sheaf {v} {w}, a partir del archivo tal como "
     "era entonces. Los enlaces a los artículos originales llevan a la web.",
     {"(la fecha que se dio a la compilación como SOURCE_DATE_EPOCH)",
      "(fechado por su artículo más reciente)",
      "(ningún artículo tiene fecha: una fecha fija)"}},
    /* Italian elides the article before some numbers ("l'8", "dell'11"):
     * the dates stand where no article precedes them. */
    {"it",
     "Informazioni su questo libro",
     "{t} raccoglie {c}.",
     "{t} raccoglie {c} (data: {a}).",
     "{t} raccoglie {c} (periodo: {a} – {b}).",
     {"Fonte:", "Fonti:"},
     "Questo libro è stato creato da sheaf {v} in data {d} {w}, a partire "
     "dall’archivio com’era allora. I link agli articoli originali portano al web.",
     {"(la data passata alla compilazione come SOURCE_DATE_EPOCH)",
      "(datato in base al suo articolo più recente)",
      "(nessun articolo è datato: una data fissa)"}},
    {"pt",
     "Sobre este livro",
     "{t} reúne {c}.",
     "{t} reúne {c} de {a}.",
     "{t} reúne {c}, de {a} a {b}.",
     {"Fonte:", "Fontes:"},
     "Este livro foi feito em {d} pelo sheaf {v} {w}, a partir do arquivo tal como "
     "era então. Os links para os artigos originais levam à web.",
     {"(a data dada à compilação como SOURCE_DATE_EPOCH)",
      "(datado pelo seu artigo mais recente)",
      "(nenhum artigo tem data: uma data fixa)"}},
    {"nl",
     "Over dit boek",
     "{t} bevat {c}.",
     "{t} bevat {c} van {a}.",
     "{t} bevat {c} van {a} tot en met {b}.",
     {"Bron:", "Bronnen:"},
     "Dit boek is op {d} gemaakt door sheaf {v} {w}, uit het archief zoals het toen "
     "was. Links naar de oorspronkelijke artikelen leiden naar het web.",
     {"(de datum die de build als SOURCE_DATE_EPOCH kreeg)",
      "(gedateerd naar het nieuwste artikel)",
      "(geen artikel heeft een datum: een vaste datum)"}},
    {"sv",
     "Om den här boken",
     "{t} innehåller {c}.",
     "{t} innehåller {c} från den {a}.",
     "{t} innehåller {c} från den {a} till den {b}.",
     {"Källa:", "Källor:"},
     "Den här boken gjordes den {d} av sheaf {v} {w}, ur arkivet som det var då. "
     "Länkar till originalartiklarna leder till webben.",
     {"(datumet som bygget fick som SOURCE_DATE_EPOCH)",
      "(daterad efter sin nyaste artikel)",
      "(ingen artikel är daterad: ett fast datum)"}},
    {"pl",
     "O tej książce",
     "{t} zawiera {c}.",
     "{t} zawiera {c} z dnia {a}.",
     "{t} zawiera {c} z okresu od {a} do {b}.",
     {"Źródło:", "Źródła:"},
     "Ta książka została utworzona dnia {d} przez sheaf {v} {w}, z archiwum w "
     "ówczesnym stanie. Linki do oryginalnych artykułów prowadzą do sieci.",
     {"(data podana kompilacji jako SOURCE_DATE_EPOCH)",
      "(datowana według najnowszego artykułu)",
      "(żaden artykuł nie ma daty: data stała)"}},
    /* The count stands alone after the dash: "1 статья", "3 статьи". */
    {"ru",
     "Об этой книге",
     "В книге {t} — {c}.",
     "В книге {t} — {c} от {a}.",
     "В книге {t} — {c} за период с {a} по {b}.",
     {"Источник:", "Источники:"},
     "Эта книга сделана {d} программой sheaf {v} {w} из архива в том виде, в каком "
     "он был тогда. Ссылки на оригинальные статьи ведут в интернет.",
     {"(дата, переданная сборке как SOURCE_DATE_EPOCH)", "(по дате самой новой статьи)",
      "(ни одна статья не датирована: фиксированная дата)"}},
    {"zh-Hant",
     "關於本書",
     "《{t}》收錄了{c}。",
     "《{t}》收錄了發表於{a}的{c}。",
     "《{t}》收錄了{a}至{b}期間發表的{c}。",
     {"來源：", "來源："},
     "本書由 sheaf {v} 於{d}{w}製作，取自當時的存檔。指向原文的連結通往網路。",
     {"（日期為建置時給定的 SOURCE_DATE_EPOCH）", "（以最新一篇文章的日期為準）",
      "（沒有文章註明日期：使用固定日期）"}},
    {"zh",
     "关于本书",
     "《{t}》收录了{c}。",
     "《{t}》收录了发表于{a}的{c}。",
     "《{t}》收录了{a}至{b}期间发表的{c}。",
     {"来源：", "来源："},
     "本书由 sheaf {v} 于{d}{w}制作，取自当时的存档。指向原文的链接通向网络。",
     {"（日期为构建时给定的 SOURCE_DATE_EPOCH）", "（以最新一篇文章的日期为准）",
      "（没有文章注明日期：使用固定日期）"}},
    {"ja",
     "この本について",
     "『{t}』には{c}が収められています。",
     "『{t}』には{a}に公開された{c}が収められています。",
     "『{t}』には{a}から{b}までに公開された{c}が収められています。",
     {"出典：", "出典："},
     "この本は{d}{w}に sheaf {v} で作成されました。当時のアーカイブから作られています。"
     "元の記事へのリンクはウェブにつながります。",
     {"（ビルドに SOURCE_DATE_EPOCH として与えられた日付）", "（最新の記事の日付）",
      "（日付のある記事がないため固定の日付）"}},
    /* "글 3편" ends in a consonant: the particle is 이. */
    {"ko",
     "이 책에 대하여",
     "《{t}》에는 {c}이 실려 있습니다.",
     "《{t}》에는 {a}에 게시된 {c}이 실려 있습니다.",
     "《{t}》에는 {a}부터 {b}까지 게시된 {c}이 실려 있습니다.",
     {"출처:", "출처:"},
     "이 책은 {d}{w}에 sheaf {v} 프로그램으로 만들어졌습니다. 당시의 아카이브를 "
     "바탕으로 합니다. 원문 기사로 가는 링크는 웹으로 연결됩니다.",
     {"(빌드에 SOURCE_DATE_EPOCH로 주어진 날짜)", "(가장 최근 글의 날짜)",
      "(날짜가 있는 글이 없어 고정된 날짜)"}},
};

/* The words for labels `l` (en-US and unknown languages: English). */
static const struct colophon_words *words_for(const struct sheaf_labels *l)
{
  size_t i;

  for (i = 0; i < sizeof words / sizeof *words; i++)
    if (strcmp(words[i].lang, l->lang) == 0)
      return &words[i];
  return &words[0];
}

/* What the fields of one sentence stand for. */
struct fields {
  const struct sheaf_book *book;
  const struct sheaf_labels *l;
  const char *page_lang; /* the colophon's language */
  int64_t built;
  const char *why;
};

static void cite(struct sheaf_buf *out, const struct fields *f)
{
  const struct sheaf_book *book = f->book;
  const char *lang = book->language;
  const char *title = book->title && *book->title ? book->title : f->l->untitled;

  sheaf_buf_puts(out, "<cite");
  if (lang && *lang && strcmp(lang, f->page_lang) != 0) {
    /* The title is in the book's language, this page in English. */
    sheaf_buf_puts(out, " xml:lang=\"");
    sheaf_buf_put_xml(out, lang, strlen(lang), true);
    sheaf_buf_puts(out, "\" lang=\"");
    sheaf_buf_put_xml(out, lang, strlen(lang), true);
    sheaf_buf_puts(out, sheaf_layout_lang_rtl(lang) ? "\" dir=\"rtl\"" : "\"");
  }
  sheaf_buf_puts(out, ">");
  sheaf_buf_put_xml(out, title, strlen(title), false);
  sheaf_buf_puts(out, "</cite>");
}

/* Appends `pattern` with its fields filled in, as XHTML text. */
static void sentence(struct sheaf_buf *out, const char *pattern, const struct fields *f)
{
  const char *p = pattern;

  while (*p) {
    size_t n = strcspn(p, "{");
    sheaf_buf_put_xml(out, p, n, false);
    p += n;
    if (*p == '\0')
      break;
    if (p[1] == '\0' || p[2] != '}') {
      sheaf_buf_putc(out, *p++);
      continue;
    }
    switch (p[1]) {
    case 't':
      cite(out, f);
      break;
    case 'c':
      sheaf_labels_count(f->l, f->book->nchapters, out);
      break;
    case 'a':
      sheaf_labels_date_tz(f->l, f->book->first, f->book->first_offset, out);
      break;
    case 'b':
      sheaf_labels_date_tz(f->l, f->book->last, f->book->last_offset, out);
      break;
    case 'd':
      sheaf_labels_date(f->l, f->built, out);
      break;
    case 'v':
      sheaf_buf_puts(out, sheaf_version_string());
      break;
    case 'w':
      sheaf_buf_put_xml(out, f->why, strlen(f->why), false);
      break;
    default:
      sheaf_buf_put(out, p, 3);
      break;
    }
    p += 3;
  }
}

/* Which of the three "collects" sentences: one day, a range, or none. */
static const char *collects(const struct colophon_words *w, const struct fields *f)
{
  const struct sheaf_book *book = f->book;
  struct sheaf_buf a, b;
  bool same;

  if (book->first == SHEAF_TIME_UNKNOWN || book->last == SHEAF_TIME_UNKNOWN)
    return w->collects;
  sheaf_buf_init(&a, 0);
  sheaf_buf_init(&b, 0);
  sheaf_labels_date_tz(f->l, book->first, book->first_offset, &a);
  sheaf_labels_date_tz(f->l, book->last, book->last_offset, &b);
  same = strcmp(a.ptr, b.ptr) == 0;
  sheaf_buf_fini(&a);
  sheaf_buf_fini(&b);
  return same ? w->on : w->between;
}

sheaf_status sheaf_layout_colophon(const struct sheaf_layout_ctx *cx,
                                   struct sheaf_buf *out)
{
  const struct sheaf_book *book = cx->book;
  const char *lang = book->language && *book->language ? book->language : "en";
  struct fields f;
  const struct colophon_words *w;
  unsigned why;

  f.book = book;
  f.l = sheaf_labels_for(lang);
  /* In the book's language when sheaf speaks it; else all of it in English. */
  if (!sheaf_labels_match(f.l, lang))
    lang = "en";
  f.page_lang = lang;
  f.built = cx->built;
  w = words_for(f.l);
  /* Say where the date comes from: never the clock, so that the same
   * archive always makes the same book. */
  why = cx->built_from == SHEAF_BUILT_SDE      ? 0
        : cx->built_from == SHEAF_BUILT_NEWEST ? 1
                                               : 2;
  f.why = w->why[why];

  sheaf_layout_head(out, lang, w->heading, cx->user_css);
  sheaf_buf_puts(out, "<section epub:type=\"colophon\" id=\"sheaf-colophon\" "
                      "class=\"sheaf-colophon\">\n<h1>");
  sheaf_buf_put_xml(out, w->heading, strlen(w->heading), false);
  sheaf_buf_puts(out, "</h1>\n<p>");
  sentence(out, collects(w, &f), &f);
  sheaf_buf_puts(out, "</p>\n");
  if (book->nsources) {
    const char *head = w->source[book->nsources == 1 ? 0 : 1];
    sheaf_buf_puts(out, "<p>");
    sheaf_buf_put_xml(out, head, strlen(head), false);
    sheaf_buf_puts(out, "</p>\n");
    sheaf_layout_sources(out, book);
  }
  sheaf_buf_puts(out, "<p>");
  sentence(out, w->made, &f);
  sheaf_buf_puts(out, "</p>\n</section>\n</body>\n</html>\n");
  return out->failed ? SHEAF_ERR_NOMEM : SHEAF_OK;
}
