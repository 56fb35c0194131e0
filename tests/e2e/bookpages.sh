# The pages sheaf writes around the articles, and how the articles sit in
# them: no local path anywhere in a book (a folder is named once, by its own
# name, wherever it lies), the colophon in the book's language, xml:lang of
# feeds and items, headings one level below the chapter title, a table of
# contents without numbers, right-to-left contents and title pages, and the
# title page's dates in the articles' own time zones.
. "$SRCDIR/tests/e2e/lib/common.sh"

books=""
page() { unzip -p "$1" "EPUB/$2"; }

# ---- local paths -------------------------------------------------------------------
# A folder with a space in its name, a subfolder, a Markdown file without a
# date: built by its absolute path, from inside it as ".", and from a copy
# elsewhere, the book is the same, and names the folder once.
mkdir -p "$T/home/ann/Field Notes/2024" "$T/elsewhere"
cp -p "$FIX/notes/"*.md "$T/home/ann/Field Notes/"
mv "$T/home/ann/Field Notes/2024-06-10-harbour-walk.md" "$T/home/ann/Field Notes/2024/"
cp -rp "$T/home/ann/Field Notes" "$T/elsewhere/"
expect_rc 0 "$SHEAF" build "$T/home/ann/Field Notes/" -o "$T/abs.epub"
(cd "$T/home/ann/Field Notes" && "$SHEAF" build . -o "$T/dot.epub" >/dev/null 2>&1) ||
  fail "build of . failed"
expect_rc 0 "$SHEAF" build "$T/elsewhere/Field Notes" -o "$T/copy.epub"
cmp -s "$T/abs.epub" "$T/dot.epub" || fail "the folder built as . differs from its absolute path"
cmp -s "$T/abs.epub" "$T/copy.epub" || fail "a copy of the folder elsewhere gives another book"
mkdir "$T/abs"
(cd "$T/abs" && unzip -q "$T/abs.epub")
if grep -rlE "$T|/home/|ann/|\.md\b|/tmp/|/work/|$SRCDIR" "$T/abs" >"$T/leaks"; then
  fail "local paths in the book: $(cat "$T/leaks" | tr '\n' ' ')"
  grep -rhoE "[^<>\"]*($T|/home/|\.md\b)[^<>\"]*" "$T/abs" | head -5 >&2
fi
grep -q '<dc:source>Field Notes</dc:source>' "$T/abs/EPUB/content.opf" || fail "dc:source is not the folder's name"
[ "$(grep -c '<dc:source>' "$T/abs/EPUB/content.opf")" = 1 ] || fail "more than one dc:source for one folder"
grep -q '<dc:title>Field Notes</dc:title>' "$T/abs/EPUB/content.opf" || fail "the title is not the folder's name"
for p in title colophon; do
  [ "$(grep -c '<li><bdi>' "$T/abs/EPUB/text/$p.xhtml")" = 1 ] || fail "$p lists more than the folder"
  grep -q '<li><bdi>Field Notes</bdi></li>' "$T/abs/EPUB/text/$p.xhtml" || fail "$p does not name the folder"
done
grep -q '<p>Its source:</p>' "$T/abs/EPUB/text/colophon.xhtml" || fail "one source is not singular"
books="$books $T/abs.epub"

# A file given by itself: its name, not its path. A saved page: its site.
expect_rc 0 "$SHEAF" build "$T/home/ann/Field Notes/tide-tables.md" -o "$T/one.epub"
page "$T/one.epub" content.opf | grep -q '<dc:source>tide-tables.md</dc:source>' ||
  fail "a single file is not named by its file name"
unzip -p "$T/one.epub" | grep -q "$T" && fail "a single file's path is in the book"
expect_rc 0 "$SHEAF" build "$FIX/pages/01-hedgerow.html" -o "$T/page.epub"
page "$T/page.epub" content.opf | grep -q '<dc:source>https://hedgerow.example.org/</dc:source>' ||
  fail "a saved page is not named by its site"
unzip -p "$T/page.epub" | grep -q "$SRCDIR" && fail "a page's path is in the book"
books="$books $T/one.epub $T/page.epub"
# Pages in a web archive: their site, once, not a list of their URLs.
for n in 1 2; do
  cat >"$T/wp$n.html" <<EOF
<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Page $n - Site</title>
<meta property="og:title" content="Page $n"><meta property="article:published_time" content="2024-0$n-02T10:00:00+00:00"></head>
<body><article><h1>Page $n</h1><p>Text of page $n, long enough to be an article for the reader.</p></article></body></html>
EOF
done
if "$WARC_PACK" "$T/pages.warc.gz" "https://pages.example.org/2024/one/=$T/wp1.html" \
  "https://pages.example.org/2024/two/=$T/wp2.html" >/dev/null 2>&1; then
  expect_rc 0 "$SHEAF" build "$T/pages.warc.gz" -o "$T/warc.epub"
  page "$T/warc.epub" content.opf >"$T/warc.opf"
  grep -q '<dc:source>https://pages.example.org/</dc:source>' "$T/warc.opf" || fail "archived pages: not their site"
  [ "$(grep -c '<dc:source>' "$T/warc.opf")" = 1 ] || fail "archived pages listed one by one"
  books="$books $T/warc.epub"
else
  fail "warc_pack failed"
fi

# ---- xml:lang, the colophon's language, dates in their zones ----------------------
# An RSS feed says its language only by xml:lang; one item is in English.
# The first item is 01:00 +09:00 on 1 January (31 December in UTC).
cat >"$T/ja.rss" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xml:lang="ja"><channel><title>声の記録</title><link>https://koe.example.jp/</link>
<item><title>最初の記事</title><link>https://koe.example.jp/1</link>
<pubDate>Mon, 01 Jan 2024 01:00:00 +0900</pubDate><description>本文です。</description></item>
<item xml:lang="en"><title>An English post</title><link>https://koe.example.jp/2</link>
<pubDate>Tue, 02 Jan 2024 10:00:00 +0900</pubDate>
<description>&lt;h1&gt;Big&lt;/h1&gt;&lt;p&gt;Text.&lt;/p&gt;&lt;h2&gt;Less&lt;/h2&gt;&lt;h6&gt;Least&lt;/h6&gt;</description></item>
</channel></rss>
EOF
expect_rc 0 "$SHEAF" build "$T/ja.rss" -o "$T/ja.epub"
page "$T/ja.epub" content.opf | grep -q '<dc:language>ja</dc:language>' || fail "RSS root xml:lang not the book's language"
page "$T/ja.epub" text/ch0001.xhtml | grep -q 'xml:lang="ja" lang="ja"' || fail "chapter 1 is not Japanese"
page "$T/ja.epub" text/ch0002.xhtml | grep -q 'xml:lang="en" lang="en"' || fail "RSS item xml:lang not the chapter's language"
page "$T/ja.epub" text/title.xhtml | grep -q '<p class="sheaf-dates">2024年1月1日 – 2024年1月2日</p>' ||
  fail "title page dates are not in the articles' own zone"
page "$T/ja.epub" text/colophon.xhtml >"$T/ja.colophon"
grep -q '<h1>この本について</h1>' "$T/ja.colophon" || fail "ja colophon heading"
grep -q '『<cite>声の記録</cite>』には2024年1月1日から2024年1月2日までに公開された2 件の記事が収められています。' \
  "$T/ja.colophon" || fail "ja colophon sentence"
grep -q 'この本は2024年1月2日（最新の記事の日付）に sheaf' "$T/ja.colophon" || fail "ja colophon date"
grep -q 'xml:lang="ja" lang="ja"' "$T/ja.colophon" || fail "ja colophon is not declared Japanese"
# Headings in an article sit below the chapter's <h1>.
page "$T/ja.epub" text/ch0002.xhtml >"$T/ch2"
grep -q '<h2>Big</h2>' "$T/ch2" || fail "article h1 is not h2"
grep -q '<h3>Less</h3>' "$T/ch2" || fail "article h2 is not h3"
grep -q '<h6>Least</h6>' "$T/ch2" || fail "article h6 is not h6"
[ "$(grep -c '<h1' "$T/ch2")" = 1 ] || fail "more than the chapter title is h1"
books="$books $T/ja.epub"

# Atom: xml:lang on the feed and on an entry.
cat >"$T/de.atom" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de"><title>Hafenblatt</title>
<link href="https://hafen.example.de/"/><id>urn:x:hafen</id><updated>2024-03-02T10:00:00+01:00</updated>
<entry><title>Ebbe</title><link href="https://hafen.example.de/1"/><id>urn:x:1</id>
<updated>2024-03-01T10:00:00+01:00</updated><content type="html">&lt;p&gt;Wasser.&lt;/p&gt;</content></entry>
<entry xml:lang="fr"><title>Marée</title><link href="https://hafen.example.de/2"/><id>urn:x:2</id>
<updated>2024-03-02T10:00:00+01:00</updated><content type="html">&lt;p&gt;Eau.&lt;/p&gt;</content></entry>
</feed>
EOF
expect_rc 0 "$SHEAF" build "$T/de.atom" -o "$T/de.epub"
page "$T/de.epub" content.opf | grep -q '<dc:language>de</dc:language>' || fail "Atom xml:lang not the book's language"
page "$T/de.epub" text/ch0002.xhtml | grep -q 'xml:lang="fr" lang="fr"' || fail "Atom entry xml:lang not the chapter's"
page "$T/de.epub" text/colophon.xhtml >"$T/de.colophon"
grep -q '<h1>Über dieses Buch</h1>' "$T/de.colophon" || fail "de colophon heading"
grep -q '<cite>Hafenblatt</cite> enthält 2 Artikel, erschienen zwischen dem 1. März 2024 und dem 2. März 2024.' \
  "$T/de.colophon" || fail "de colophon sentence"
grep -q '<p>Quelle:</p>' "$T/de.colophon" || fail "de colophon source"
grep -q 'Dieses Buch wurde am 2. März 2024 von sheaf [^ ]* (datiert nach seinem neuesten Artikel) erstellt' \
  "$T/de.colophon" || fail "de colophon date"
books="$books $T/de.epub"

# French by --language, SOURCE_DATE_EPOCH, and a language sheaf does not
# speak: an English colophon, the title marked in the book's language.
sed 's/ xml:lang="de"//; s/ xml:lang="fr"//' "$T/de.atom" >"$T/plain.atom"
SOURCE_DATE_EPOCH=1700000000 "$SHEAF" build "$T/plain.atom" --language fr -o "$T/fr.epub" >/dev/null 2>&1 ||
  fail "fr build"
page "$T/fr.epub" text/colophon.xhtml >"$T/fr.colophon"
grep -q '<h1>À propos de ce livre</h1>' "$T/fr.colophon" || fail "fr colophon heading"
grep -q '<cite>Hafenblatt</cite> rassemble 2 articles, du 1er mars 2024 au 2 mars 2024.' "$T/fr.colophon" ||
  fail "fr colophon sentence"
grep -q 'Ce livre a été fait le 14 novembre 2023 par sheaf [^ ]* (la date donnée à la construction par SOURCE_DATE_EPOCH)' \
  "$T/fr.colophon" || fail "fr colophon date"
"$SHEAF" build "$T/plain.atom" --language fi -o "$T/fi.epub" >/dev/null 2>&1 || fail "fi build"
page "$T/fi.epub" text/colophon.xhtml >"$T/fi.colophon"
grep -q 'xml:lang="en" lang="en"' "$T/fi.colophon" || fail "a colophon sheaf cannot write in Finnish is not English"
grep -q '<cite xml:lang="fi" lang="fi">Hafenblatt</cite> collects 2 articles' "$T/fi.colophon" ||
  fail "the English colophon does not mark the Finnish title"
books="$books $T/fr.epub $T/fi.epub"

# Every language of the labels has its colophon, well-formed and distinct.
for l in en de fr es it pt nl sv pl ru zh zh-Hant ja ko; do
  "$SHEAF" build "$T/plain.atom" --language "$l" -o "$T/lang-$l.epub" >/dev/null 2>&1 || fail "build in $l"
  page "$T/lang-$l.epub" text/colophon.xhtml | sed -n 's:.*<h1>\(.*\)</h1>.*:\1:p' >>"$T/headings"
  python3 -c 'import sys, zipfile, xml.dom.minidom as m; m.parseString(zipfile.ZipFile(sys.argv[1]).read("EPUB/text/colophon.xhtml"))' \
    "$T/lang-$l.epub" || fail "$l colophon is not well-formed"
done
[ "$(sort -u "$T/headings" | wc -l)" = 14 ] || fail "the 14 colophons do not have 14 headings: $(tr '\n' '|' <"$T/headings")"
books="$books $T/lang-ko.epub $T/lang-ru.epub $T/lang-zh-Hant.epub $T/lang-pl.epub"

# ---- right to left, the table of contents ---------------------------------------
expect_rc 0 "$SHEAF" build "$FIX/rtl.rss" -o "$T/rtl.epub"
page "$T/rtl.epub" nav.xhtml >"$T/rtl.nav"
grep -q '<html [^>]*xml:lang="ar" lang="ar" dir="rtl"' "$T/rtl.nav" || fail "RTL contents page is not dir=rtl"
grep -q '<body dir="rtl">' "$T/rtl.nav" || fail "RTL contents body is not dir=rtl"
grep -q '<span class="toc-date" xml:lang="en" lang="en" dir="ltr">(1 January 2023)</span>' "$T/rtl.nav" ||
  fail "RTL contents dates are not isolated left to right"
page "$T/rtl.epub" text/title.xhtml >"$T/rtl.title"
grep -q '<html [^>]*dir="rtl"' "$T/rtl.title" || fail "RTL title page is not dir=rtl"
grep -q '<p class="sheaf-dates" xml:lang="en" lang="en" dir="ltr">' "$T/rtl.title" || fail "RTL title page dates"
page "$T/rtl.epub" text/colophon.xhtml | grep -q '<cite xml:lang="ar" lang="ar" dir="rtl">' ||
  fail "the Arabic title in the English colophon is not right to left"
page "$T/rtl.epub" styles/sheaf.css >"$T/css"
grep -q '\[dir="rtl"\] .sheaf-titlepage p { text-align: center; }' "$T/css" || fail "RTL centering rule"
grep -q '#toc ol { list-style-type: none;' "$T/css" || fail "the contents are numbered"
grep -q '.toc-date { white-space: nowrap; }' "$T/css" || fail "a contents date may break"
books="$books $T/rtl.epub"
# Authors in a right-to-left book keep their own direction.
sed 's|<item>|<item><author>a@example.org (Ada Byron)</author>|' "$FIX/rtl.rss" >"$T/rtl-auth.rss"
expect_rc 0 "$SHEAF" build "$T/rtl-auth.rss" -o "$T/rtl-auth.epub"
page "$T/rtl-auth.epub" text/title.xhtml | grep -q '<p class="sheaf-authors"><bdi>Ada Byron</bdi></p>' ||
  fail "RTL title page authors are not isolated"
books="$books $T/rtl-auth.epub"

# Year groups in the contents: a span and a nested list, no number.
i=1
{
  printf '<?xml version="1.0"?><rss version="2.0"><channel><title>Years</title><link>https://y.example.org/</link>\n'
  for y in 2019 2020 2021 2022 2023 2024; do
    for m in 01 03 05 07 09 11; do
      printf '<item><title>Post %s</title><link>https://y.example.org/%s</link><pubDate>%s</pubDate><description>x</description></item>\n' \
        "$i" "$i" "$(date -u -d "$y-$m-15" '+%a, %d %b %Y 12:00:00 +0000')"
      i=$((i + 1))
    done
  done
  printf '</channel></rss>\n'
} >"$T/years.rss"
expect_rc 0 "$SHEAF" build "$T/years.rss" -o "$T/years.epub"
page "$T/years.epub" nav.xhtml >"$T/years.nav"
grep -q '<span>2019</span>' "$T/years.nav" || fail "no year group in the contents"
[ "$(grep -c '<ol>' "$T/years.nav")" -ge 7 ] || fail "year groups are not nested lists"
books="$books $T/years.epub"

# ---- galleries, aligned pictures, code -------------------------------------------------
mkdir "$T/gal"
cp "$FIX/images/pics/pic.jpg" "$T/gal/a.jpg"
cat >"$T/gal/feed.rss" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Gal</title><link>https://gal.example.org/</link>
<item><title>Pictures</title><link>https://gal.example.org/1</link><pubDate>Mon, 01 Jan 2024 12:00:00 +0000</pubDate>
<content:encoded><![CDATA[<figure class="wp-block-gallery columns-3"><ul class="blocks-gallery-grid">
<li class="blocks-gallery-item"><figure><img src="a.jpg" alt="one"/></figure></li>
<li class="blocks-gallery-item"><figure><img src="a.jpg" alt="two"/></figure></li></ul></figure>
<div id="gallery-1" class="gallery gallery-columns-3"><dl class="gallery-item"><dt class="gallery-icon">
<img width="150" src="a.jpg" alt="x"/></dt><dd class="wp-caption-text gallery-caption">cap</dd></dl></div>
<p><img class="alignright size-thumbnail" src="a.jpg" alt="r" width="150"/>Text beside.</p>
<p><img class="aligncenter" src="a.jpg" alt="c"/></p>
<pre>  indented
    more   spaces
ascii  art</pre>]]></content:encoded></item></channel></rss>
EOF
expect_rc 0 "$SHEAF" build "$T/gal/feed.rss" -o "$T/gal.epub"
page "$T/gal.epub" text/ch0001.xhtml >"$T/gal.ch"
for want in '<figure class="wp-block-gallery columns-3"><ul class="blocks-gallery-grid">' \
  '<li class="blocks-gallery-item"><figure><img ' '<div id="gallery-1" class="gallery gallery-columns-3">' \
  'alt="r" class="alignright"/>' 'alt="c" class="aligncenter"/>'; do
  grep -qF "$want" "$T/gal.ch" || fail "lost: $want"
done
printf '<pre>  indented\n    more   spaces\nascii  art</pre>\n' >"$T/pre.want"
grep -A2 '<pre>' "$T/gal.ch" | cmp -s - "$T/pre.want" || fail "code block lines or indentation changed"
page "$T/gal.epub" styles/sheaf.css >"$T/gal.css"
for want in '.gallery-item, .blocks-gallery-item, .gallery .wp-caption {' 'img.alignright, .wp-caption.alignright {' \
  'img.aligncenter, .wp-caption.aligncenter {' '  white-space: pre;' '  font-family: monospace;'; do
  grep -qF -- "$want" "$T/gal.css" || fail "style sheet lacks: $want"
done
books="$books $T/gal.epub"

# ---- reproducible, valid ---------------------------------------------------------------
expect_rc 0 "$SHEAF" build "$T/ja.rss" -o "$T/ja2.epub"
cmp -s "$T/ja.epub" "$T/ja2.epub" || fail "the same feed gives two books"
# shellcheck disable=SC2086
epubcheck_many $books
finish
