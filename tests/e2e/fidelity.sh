#!/bin/sh
# Feed-reading fidelity (issue 13): one fixture per class of input that used
# to lose or garble text, each checked by the text of the book it gives.
# The corpus-wide comparison with feedparser is `make fidelity`.
. "$(dirname "$0")/lib/common.sh"
F="$FIX/fidelity"
books=""

# build NAME ARGS...: builds $T/NAME.epub; stderr in $T/NAME.err.
build() {
  name=$1
  shift
  if "$SHEAF" build "$@" -o "$T/$name.epub" >"$T/$name.out" 2>"$T/$name.err"; then
    books="$books $T/$name.epub"
    return 0
  fi
  fail "$name: sheaf build $* exited non-zero"
  sed 's/^/    stderr: /' "$T/$name.err" >&2
  return 1
}

# text NAME: the chapters' text, one line per element, tags gone.
text() {
  unzip -p "$T/$1.epub" 'EPUB/text/ch*.xhtml' | sed -e 's/<[^>]*>/ /g' -e 's/  */ /g' \
    -e 's/&amp;/\&/g'
}

# has NAME TEXT...: each TEXT is in the book's chapters.
has() {
  name=$1
  shift
  for want in "$@"; do
    text "$name" | grep -qF -- "$want" || fail "$name: the book lacks \"$want\""
  done
}

# lacks NAME TEXT...: no TEXT is in the book's chapters.
lacks() {
  name=$1
  shift
  for bad in "$@"; do
    text "$name" | grep -qF -- "$bad" && fail "$name: the book holds \"$bad\""
  done
  return 0
}

chapters() {
  unzip -l "$T/$1.epub" | grep -c 'EPUB/text/ch[0-9]*\.xhtml'
}

# No chapter shows markup as text: a tag spelled out in a chapter's text
# means a document was read as the wrong kind, or escaped twice.
no_markup() {
  if unzip -p "$T/$1.epub" 'EPUB/text/ch*.xhtml' |
    grep -Eq '&lt;/?(p|div|span|a|br|img|item|entry|feed|rss|channel|title|html|body)( [^&]*)?/?&gt;'; then
    fail "$1: a chapter shows escaped markup as text"
  fi
}

# ---- 1. an HTML doctype before <feed> or <rss>: the root decides ----------
for ext in atom rss; do
  if build "doctype-$ext" "$F/doctype-feed.$ext"; then
    no_markup "doctype-$ext"
  fi
done
has doctype-atom "Generators write doctypes everywhere" "The root element decides" \
  "a feed element at the root makes a feed"
[ "$(chapters doctype-atom)" = 2 ] || fail "doctype-atom: $(chapters doctype-atom) chapters, want 2"
has doctype-rss "Our template wrote an HTML doctype above this feed."
# The general check: a chapter that shows tags as text is reported.
if build twice "$F/escaped-twice.rss"; then
  grep -q '"Tags as text" shows HTML tags as text' "$T/twice.err" ||
    fail "twice: no warning about markup shown as text"
fi
pass "an HTML doctype before the feed's root: read as a feed"

# ---- 2. distinct guids that share a link are distinct articles -----------
if build shared-link "$F/shared-link.rss"; then
  [ "$(chapters shared-link)" = 6 ] || fail "shared-link: $(chapters shared-link) chapters, want 6"
  has shared-link "rocking chairs" "fly screens" "Notes without a guid, updated."
  # Without guids, one link with two titles is two articles.
  has shared-link "Links about porch swings." "Links about screen doors."
  lacks shared-link "Notes without a guid."
  grep -q '6 chapters (2 duplicates merged)' "$T/shared-link.err" ||
    fail "shared-link: the summary line does not say how many were merged: $(cat "$T/shared-link.err")"
fi
pass "items with different guids, or no guids and different titles, kept apart; merges counted"

# ---- 3. charsets: a legacy declaration over UTF-8, mixed lines, mojibake --
if build declared "$F/declared-latin1.rss"; then
  has declared "Grüße für Straßenbahnfahrer" "Die Linie 18 fährt über den Rhein, schöner als jede Brücke."
  lacks declared "Ã"
  grep -q 'declares ISO-8859-1, but the bytes are UTF-8' "$T/declared.err" ||
    fail "declared: no warning about the wrong declaration"
fi
if build mixed "$F/mixed-latin1.rss"; then
  has mixed "The UTF-8 line: naïve café crème." "The Latin-1 line: déjà vu au café, très sûr."
  lacks mixed "$(printf '\357\277\275')"
  grep -q '1 line of Latin-1 text among UTF-8 ones read as Windows-1252; the first at line 13' \
    "$T/mixed.err" || fail "mixed: no warning naming the Latin-1 line"
fi
if build mojibake "$F/double-encoded.rss"; then
  has mojibake "El niño y la señora" "Mañana será otro día, dijo la señora — con café."
  lacks mojibake "Ã"
  grep -q '8 double-encoded characters repaired' "$T/mojibake.err" ||
    fail "mojibake: no warning about the repair"
fi
if build mojibake-kept --no-mojibake-repair "$F/double-encoded.rss"; then
  has mojibake-kept "El niÃ±o y la seÃ±ora"
fi
pass "charsets: UTF-8 under a Latin-1 declaration, Latin-1 lines, double encoding"

# ---- 4. content in the other places feeds put it -------------------------
if build places "$F/other-places.rss"; then
  has places "This paragraph lives in an atom:content element." \
    "This paragraph lives in an xhtml:body element." \
    "The first description is short." "The second description tells the rest of the story." \
    "Guests discuss the life of the last lighthouse keeper on the northern coast."
  lacks places "the last..."
fi
if build base64 "$F/base64.atom"; then
  has base64 "This text was sent as base64 , as RFC 4287 allows."
  lacks base64 "PHA+"
fi
pass "content in atom:content, xhtml:body, base64, a second description, itunes:summary"

# ---- 6. document kinds that hold articles ---------------------------------
if build rss11 "$F/rss11.xml"; then
  has rss11 "The channel is the root" "In RSS 1.1 the items sit in a collection inside the channel."
fi
if build entry "$F/entry.atom"; then
  has entry "A single entry document" "Ines Ortiz" \
    "An Atom entry document holds one article and no feed around it."
fi
if build wrongns "$F/wrong-ns.atom"; then
  has wrongns "Read despite the namespace" "which makes it another one."
  grep -q 'not Atom.s (http://www.w3.org/2005/Atom); read as Atom' "$T/wrongns.err" ||
    fail "wrongns: no warning about the namespace"
fi
if build atom03dc "$F/atom03-dc.xml"; then
  has atom03dc "Only Dublin Core here" "Mara Lindqvist" "1 June 2005" \
    "An old Atom 0.3 entry that says everything in Dublin Core."
fi
pass "RSS 1.1, Atom entry documents, Atom in a wrong namespace, Atom 0.3 with dc:"

# ---- 5. media captions; metadata; tracking pixels --------------------------
if build news "$F/news.rss"; then
  has news "The ferry leaves the dry dock at dawn." "The old ferry is back on the harbour run."
  # RSS author "email (Name)", dc: under https, itunes:author.
  has news "Priya Natarajan" "Tomás Ferreira" "Harbour Office"
  lacks news "newsdesk@gazette.example.com"
  # Markup out of a title without a space inside the word.
  has news "The Harbour’s new crane"
  # A Portuguese date; a zero date undated, never "1 January 1".
  has news "7 September 2015"
  lacks news " 1 January 1"
  grep -q '1 article dated before 1990 or more than a day ahead' "$T/news.err" ||
    fail "news: no warning about the zero date"
  unzip -p "$T/news.epub" EPUB/content.opf | grep -q '>0001-' && fail "news: year 1 in the OPF"
  # Tracking pixels go without a warning; the real picture is reported.
  grep -Eq 'pixel\.wp\.com|feedburner' "$T/news.err" && fail "news: a tracking pixel was reported"
  grep -q 'ferry.jpg' "$T/news.err" || fail "news: the missing picture was not reported"
fi
pass "captions kept; authors' names; titles, dates and pixels as they should be"

# ---- 7. empty chapters; podcast files ---------------------------------------
if build podcast "$F/podcast.rss"; then
  has podcast "We trim wicks and talk about paraffin." \
    "ep12-wicks.mp3 (audio/mpeg, 38.7 MB, 26:53)" "ep13.mp4 (video/mp4, 1.0 GB, 1:02:05)" \
    "This archive holds no text of this article. https://lamplight.example.org/schedule"
  grep -q '"Schedule change" has no text in the archive' "$T/podcast.err" ||
    fail "podcast: no warning about the empty article"
  grep -q 'Episode 13' "$T/podcast.err" && fail "podcast: an episode with a video file called empty"
fi
if build podcast-atom "$F/podcast.atom"; then
  has podcast-atom "The first episode, about nothing in particular." \
    "pilot.ogg (audio/ogg, 2.5 MB)"
fi
pass "a title-only item says so and links the original; audio and video files listed"

# ---- an .html fragment is a page ---------------------------------------------
if build fragment "$F/fragment.html"; then
  has fragment "A saved fragment" "Only the article was saved, without the page around it."
fi
pass "an HTML fragment without <html> is read as a page"

# ---- undeclared legacy charsets: detected, with a warning naming the guess --
# (Each of these was read as KOI8-R, GB18030 or windows-1252 by the
# frequency scorer alone.)
guessed() {
  grep -q "no encoding declared and the bytes are not UTF-8; they look like $2 (a guess" \
    "$T/$1.err" || fail "$1: no warning naming the guess $2: $(cat "$T/$1.err")"
}
if build hebrew "$F/undeclared-hebrew.rss"; then
  has hebrew "שתילת עגבניות באביב" "השבוע שתלנו עגבניות בערוגה החדשה ליד הגדר." \
    "כך המים מגיעים לשורשים ואינם מתאדים."
  guessed hebrew windows-1255
fi
if build thai "$F/undeclared-thai.rss"; then
  has thai "แกงเขียวหวานไก่" "เคล็ดลับคือผัดพริกแกงกับหัวกะทิจนแตกมันก่อนใส่เนื้อไก่" "ข้าวเหนียวมะม่วง"
  guessed thai windows-874
fi
if build hungarian "$F/undeclared-hungarian.rss"; then
  has hungarian "Őszi munkák a kertben" "Tűzifa és tüzelő" \
    "így védjük őket a téli fagytól és a kártevőktől."
  guessed hungarian ISO-8859-2
fi
# Windows punctuation alone (too little text for a detector): windows-1252.
if build quotes "$F/undeclared-quotes.rss"; then
  has quotes "To be “me”" "Eggs, toast, eggs – served every day."
  guessed quotes windows-1252
fi
pass "undeclared Hebrew, Thai, Hungarian and punctuation-only text detected, with a warning"

# ---- characters XML forbids: the text kept, each one a space, a warning ----
if build controls "$F/control-chars.rss"; then
  has controls "Tide tables for May" "High water at six, low water at noon." \
    "Fog warnings" "Fog banks lift by ten."
  grep -q 'control-chars.rss:3: warning: characters that XML forbids removed (control characters become spaces) (4 times' \
    "$T/controls.err" || fail "controls: no warning naming the first forbidden character"
fi
pass "control characters XML forbids become spaces, with a warning"

# ---- an enclosure's media:title and caption ---------------------------------
if build enclosure "$F/enclosure-children.rss"; then
  has enclosure "The harbour at low tide" "Boats resting on the mud until the water comes back." \
    "A titled item keeps its title" "The pier at dawn."
  lacks enclosure "&lt;p&gt;The harbour" "Not the title"
fi
pass "media:title and media:description inside an enclosure are read"

epubcheck_many $books
finish
