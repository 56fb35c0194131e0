# What a library and a reader see of a book: its authors (dc:creator, the
# title page, --author), its subjects, EPUB Accessibility metadata true for
# what sheaf writes; and dates as the articles wrote them: in their own time
# zone, in the language's conventions, never a file's modification time.
. "$SRCDIR/tests/e2e/lib/common.sh"

# feed AUTHOR1 AUTHOR2 ...: an RSS feed with one item per author, each
# published at 01:00 +09:00 (still the day before in UTC).
feed() {
  {
    printf '<?xml version="1.0" encoding="UTF-8"?>\n'
    printf '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>\n'
    printf '<title>Harbour Weekly</title><link>https://harbour.example.org/</link>\n'
    printf '<language>%s</language>\n' "${LANG_TAG:-en}"
    i=1
    for a in "$@"; do
      printf '<item><title>Post %s</title><link>https://harbour.example.org/p%s/</link>\n' "$i" "$i"
      printf '<dc:creator>%s</dc:creator><category>boats</category>\n' "$a"
      printf '<pubDate>Wed, %02d May 2019 01:00:00 +0900</pubDate>\n' "$((i + 23))"
      printf '<description>&lt;p&gt;Text %s.&lt;/p&gt;</description></item>\n' "$i"
      i=$((i + 1))
    done
    printf '</channel></rss>\n'
  }
}
opf() { unzip -p "$1" EPUB/content.opf; }

# ---- authors -------------------------------------------------------------------
feed "Ada Byron" "Ada Byron" "Grace Hopper" >"$T/two.rss"
expect_rc 0 "$SHEAF" build "$T/two.rss" --tag boats -o "$T/two.epub"
opf "$T/two.epub" >"$T/two.opf"
grep -q '<dc:creator id="creator1">Ada Byron</dc:creator>' "$T/two.opf" || fail "first author"
grep -q '<dc:creator id="creator2">Grace Hopper</dc:creator>' "$T/two.opf" || fail "second author"
[ "$(grep -c '<dc:creator' "$T/two.opf")" = 2 ] || fail "authors are not distinct"
grep -q '<meta refines="#creator1" property="role" scheme="marc:relators">aut</meta>' "$T/two.opf" ||
  fail "no author role"
grep -q '<dc:subject>boats</dc:subject>' "$T/two.opf" || fail "no dc:subject for the tag"
unzip -p "$T/two.epub" EPUB/text/title.xhtml | grep -q '<p class="sheaf-authors">Ada Byron, Grace Hopper</p>' ||
  fail "title page lacks the authors"

feed "A One" "B Two" "C Three" "D Four" >"$T/four.rss"
expect_rc 0 "$SHEAF" build "$T/four.rss" -o "$T/four.epub"
opf "$T/four.epub" >"$T/four.opf"
grep -q '<dc:creator id="creator1">Harbour Weekly</dc:creator>' "$T/four.opf" ||
  fail "more than three authors: the site should be the creator"
[ "$(grep -c '<dc:creator' "$T/four.opf")" = 1 ] || fail "more than three authors listed"
grep -q 'property="role"' "$T/four.opf" && fail "the site is marked as an author"
unzip -p "$T/four.epub" EPUB/text/title.xhtml | grep -q 'sheaf-authors' && fail "site named as an author"

expect_rc 0 "$SHEAF" build "$T/four.rss" --author "Editor Jones" --author "Ed Two" -o "$T/given.epub"
opf "$T/given.epub" >"$T/given.opf"
grep -q '<dc:creator id="creator1">Editor Jones</dc:creator>' "$T/given.opf" || fail "--author ignored"
grep -q '<dc:creator id="creator2">Ed Two</dc:creator>' "$T/given.opf" || fail "second --author ignored"
expect_rc 1 "$SHEAF" build "$T/four.rss" --author "" -o "$T/x.epub" && expect_err 'author'

# ---- accessibility -----------------------------------------------------------------
for want in '<meta property="schema:accessMode">textual</meta>' \
  '<meta property="schema:accessModeSufficient">textual</meta>' \
  '<meta property="schema:accessibilityFeature">tableOfContents</meta>' \
  '<meta property="schema:accessibilityFeature">readingOrder</meta>' \
  '<meta property="schema:accessibilityHazard">none</meta>' \
  '<meta property="schema:accessibilitySummary">Reflowable text in reading order'; do
  grep -q "$want" "$T/two.opf" || fail "no $want"
done
grep -q 'schema:accessMode">visual' "$T/two.opf" && fail "visual access mode without pictures"
# A picture without alt text: no claim of alternative text, and the count.
mkdir -p "$T/pics"
cp "$FIX/images/pics/pic.jpg" "$T/pics/a.jpg"
sed 's|&lt;p&gt;Text 1.&lt;/p&gt;|\&lt;p\&gt;Text 1.\&lt;img src="a.jpg"/\&gt;\&lt;img src="a.jpg" alt="A boat"/\&gt;\&lt;/p\&gt;|' \
  "$T/two.rss" >"$T/pics/feed.rss"
expect_rc 0 "$SHEAF" build "$T/pics/feed.rss" -o "$T/pics.epub"
opf "$T/pics.epub" >"$T/pics.opf"
grep -q 'schema:accessMode">visual' "$T/pics.opf" || fail "no visual access mode"
grep -q 'schema:accessibilityFeature">alternativeText' "$T/pics.opf" &&
  fail "claims alternative text although a picture has none"
grep -q '1 of the 2 pictures in the articles have no text alternative' "$T/pics.opf" ||
  fail "summary does not count the pictures without alt text"

# ---- dates -------------------------------------------------------------------------
# 01:00 +09:00 on 24 May is 24 May where it was written (23 May in UTC).
unzip -p "$T/two.epub" EPUB/text/ch0001.xhtml >"$T/ch1"
grep -q '<time class="sheaf-date" datetime="2019-05-24">24 May 2019</time>' "$T/ch1" ||
  fail "date not in the article's own time zone"
unzip -p "$T/two.epub" EPUB/nav.xhtml | grep -q '(24 May 2019)' || fail "nav date not in the article's time zone"
LANG_TAG=en-US feed "Ada Byron" >"$T/us.rss"
expect_rc 0 "$SHEAF" build "$T/us.rss" -o "$T/us.epub"
unzip -p "$T/us.epub" EPUB/text/ch0001.xhtml | grep -q '>May 24, 2019</time>' || fail "en-US date"
LANG_TAG=en-GB feed "Ada Byron" >"$T/gb.rss"
expect_rc 0 "$SHEAF" build "$T/gb.rss" -o "$T/gb.epub"
unzip -p "$T/gb.epub" EPUB/text/ch0001.xhtml | grep -q '>24 May 2019</time>' || fail "en-GB date"
LANG_TAG=de feed "Ada Byron" >"$T/de.rss"
expect_rc 0 "$SHEAF" build "$T/de.rss" -o "$T/de.epub"
unzip -p "$T/de.epub" EPUB/text/ch0001.xhtml | grep -q '>24. Mai 2019</time>' || fail "German date"

# Markdown without a date is undated (its modification time only orders it).
mkdir -p "$T/md"
printf '# Old note\n\nText.\n' >"$T/md/old.md"
printf '# New note\n\nText.\n' >"$T/md/new.md"
touch -d '2020-01-02 12:00:00' "$T/md/old.md"
touch -d '2021-03-04 12:00:00' "$T/md/new.md"
expect_rc 0 "$SHEAF" build "$T/md" -o "$T/md.epub"
expect_err 'no date; shown undated'
unzip -p "$T/md.epub" EPUB/text/ch0001.xhtml >"$T/md1"
grep -q 'Old note' "$T/md1" || fail "modification time does not order undated Markdown"
grep -q 'sheaf-date' "$T/md1" && fail "undated Markdown shows a date"
grep -q '2020' "$T/md1" && fail "a modification time is shown as a date"
unzip -p "$T/md.epub" EPUB/text/ch0002.xhtml | grep -q 'New note' || fail "second undated note"

# The colophon says where its date comes from.
unzip -p "$T/two.epub" EPUB/text/colophon.xhtml | grep -q 'made on 25 May 2019 by sheaf [^ ]* (dated by its newest article)' ||
  fail "colophon does not say its date is the newest article's"
SOURCE_DATE_EPOCH=1700000000 "$SHEAF" build "$T/two.rss" -o "$T/sde.epub" 2>/dev/null
unzip -p "$T/sde.epub" EPUB/text/colophon.xhtml | grep -q 'made on 14 November 2023 by sheaf [^ ]* (the date the build was given as SOURCE_DATE_EPOCH)' ||
  fail "colophon does not say its date is SOURCE_DATE_EPOCH"

# The title page's heading over the sources agrees with their number.
expect_rc 0 "$SHEAF" build "$T/two.rss" -o "$T/one-source.epub"
unzip -p "$T/one-source.epub" EPUB/text/title.xhtml | grep -q '<p>Source:</p>' ||
  fail "one source: $(unzip -p "$T/one-source.epub" EPUB/text/title.xhtml | grep -A1 sheaf-sources)"
sed "s/harbour.example.org/quay.example.net/g" "$T/two.rss" >"$T/again.rss"
expect_rc 0 "$SHEAF" build "$T/two.rss" "$T/again.rss" -o "$T/two-sources.epub"
unzip -p "$T/two-sources.epub" EPUB/text/title.xhtml | grep -q '<p>Sources:</p>' || fail "two sources"

# A feed that declares no language: kana in most titles is Japanese,
# hangul Korean; Han characters alone, or one Japanese title among English
# ones, decide nothing.
nolang() {
  out=$1
  shift
  {
    printf '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>\n'
    printf '<title>Script</title><link>https://script.example.org/</link>\n'
    i=1
    for t in "$@"; do
      printf '<item><title>%s</title><link>https://script.example.org/%s/</link>\n' "$t" $i
      printf '<pubDate>Wed, %02d May 2019 10:00:00 +0000</pubDate><description>x %s</description></item>\n' $i $i
      i=$((i + 1))
    done
    printf '</channel></rss>\n'
  } >"$out"
}
lang_of() { unzip -p "$1" EPUB/content.opf | sed -n 's|.*<dc:language>\(.*\)</dc:language>.*|\1|p'; }
nolang "$T/ja.rss" "東京の雨について" "新しい本を読みました" "港の朝"
expect_rc 0 "$SHEAF" build "$T/ja.rss" -o "$T/ja.epub"
[ "$(lang_of "$T/ja.epub")" = ja ] || fail "kana titles: language $(lang_of "$T/ja.epub")"
unzip -p "$T/ja.epub" EPUB/text/title.xhtml | grep -q '出典：' || fail "Japanese labels"
unzip -p "$T/ja.epub" EPUB/text/title.xhtml | grep -q 'Source' && fail "English label in a Japanese book"
nolang "$T/ko.rss" "서울의 아침" "새 책" "Notes"
expect_rc 0 "$SHEAF" build "$T/ko.rss" -o "$T/ko.epub"
[ "$(lang_of "$T/ko.epub")" = ko ] || fail "hangul titles: language $(lang_of "$T/ko.epub")"
nolang "$T/han.rss" "北京的雨" "新书" "港口"
expect_rc 0 "$SHEAF" build "$T/han.rss" -o "$T/han.epub"
[ "$(lang_of "$T/han.epub")" = en ] || fail "Han alone decided: $(lang_of "$T/han.epub")"
nolang "$T/mixed.rss" "Rain in Tokyo" "A new book" "東京の雨"
expect_rc 0 "$SHEAF" build "$T/mixed.rss" -o "$T/mixed.epub"
[ "$(lang_of "$T/mixed.epub")" = en ] || fail "one kana title decided: $(lang_of "$T/mixed.epub")"
expect_rc 0 "$SHEAF" build "$T/ja.rss" --language fr -o "$T/ja-fr.epub"
[ "$(lang_of "$T/ja-fr.epub")" = fr ] || fail "--language lost to the script"

epubcheck_many "$T/two.epub" "$T/four.epub" "$T/given.epub" "$T/pics.epub" "$T/us.epub" "$T/md.epub" \
  "$T/one-source.epub" "$T/ja.epub" "$T/ko.epub"
finish
