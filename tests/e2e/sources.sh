# Sources other than RSS 2.0 and Atom 1.0: saved HTML pages (one page, one
# chapter), RSS 1.0 (RDF), RSS 0.91 and Atom 0.3 feeds of ours, a mixed
# build of all kinds at once, then the old dialects as the corpus has them.
. "$SRCDIR/tests/e2e/lib/common.sh"

PAGES="$FIX/pages"
books=""

# build NAME INPUT...: builds $T/NAME.epub and queues it for EPUBCheck.
build() {
  name=$1
  shift
  if expect_rc 0 "$SHEAF" build "$@" -o "$T/$name.epub"; then
    pass "$name built"
    $CHECK structure "$T/$name.epub" || fail "$name: structure"
    books="$books $T/$name.epub"
  fi
}

# chapters NAME TITLE...: the book's chapter titles, in order, are these.
chapters() {
  name=$1
  shift
  printf '%s\n' "$@" >"$T/want"
  $CHECK chapters "$T/$name.epub" >"$T/got"
  if cmp -s "$T/want" "$T/got"; then
    pass "$name: chapters"
  else
    fail "$name: chapters"
    diff "$T/want" "$T/got" | sed 's/^/    /' >&2
  fi
}

has() {
  $CHECK contains "$T/$1.epub" "$2" >/dev/null || fail "$1: text lost: $2"
}

lacks() {
  $CHECK lacks "$T/$1.epub" "$2" >/dev/null || fail "$1: kept: $2"
}

# ---- HTML pages ---------------------------------------------------------------
build pages "$PAGES"
chapters pages "Bienen im Winter" "Laying a hedge in February" "Firing the wood kiln"
expect_err '02-kiln.html:[0-9]+: warning: no date' || true
for t in "Die Völker sitzen in der Wintertraube" "Gewicht  Beute 1: 18,5 kg" \
         "each stem cut almost through with a billhook" "holds & thickens by summer" \
         "Stakes and binders" "a café rota for the night shift" "By Dora Quill, 17 February"; do
  has pages "$t"
done
# Scripts go; so does everything outside the <article> or <main>.
for t in "SCRIPT-TEXT" "tracking code" "Impressum" "© Hedgerow Notes" "Zur Startseite"; do
  lacks pages "$t"
done
$CHECK meta "$T/pages.epub" >"$T/meta"
grep -qx 'language=de' "$T/meta" || fail "pages: language of the first page"
expect_rc 0 "$SHEAF" list "$PAGES/01-hedgerow.html"
grep -q '2024-02-17	Laying a hedge in February	hedges,winter-work,hedging,billhook,midland-style' \
  "$T/out" || fail "hedgerow: date and tags ($(cat "$T/out"))"
# Pages in a folder are dated as each says (article:published_time, a
# date meta, <time datetime>), never by the file's time; without one,
# undated.
mkdir -p "$T/dated"
cp "$PAGES"/*.html "$T/dated/"
printf '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Pier walk</title></head>\n<body><article><h1>Pier walk</h1><p>Posted <time datetime="2022-11-20">20 November 2022</time>.</p>\n<p>We walked to the end of the pier.</p></article></body></html>\n' \
  >"$T/dated/04-pier.html"
touch -d 2001-01-01 "$T/dated"/*.html
expect_rc 0 "$SHEAF" list "$T/dated"
for want in '2024-02-17	Laying a hedge in February' '2023-12-03	Bienen im Winter' \
  '2022-11-20	Pier walk' '----------	Firing the wood kiln'; do
  grep -qF -- "$want" "$T/out" || fail "folder of pages: no line \"$want\" ($(cat "$T/out"))"
done
grep -q '^2001' "$T/out" && fail "folder of pages: a file's time shown as its date"
expect_rc 0 "$SHEAF" list "$PAGES" --tag hedges
[ "$(wc -l <"$T/out")" -eq 1 ] || fail "pages: --tag article:tag"
expect_rc 0 "$SHEAF" list "$PAGES" --tag winter
[ "$(wc -l <"$T/out")" -eq 1 ] || fail "pages: --tag from keywords"

# A page with no text at all is skipped, and alone it makes no book.
printf '<!DOCTYPE html>\n<html><head><title>Moved</title>\n<script>location="/x"</script></head>\n<body>\n</body></html>\n' \
  >"$T/moved.html"
expect_rc 3 "$SHEAF" build "$T/moved.html" -o "$T/moved.epub" && pass "page without text: exit 3"
expect_err 'moved.html.*warning: the page has no text; skipped'
[ ! -e "$T/moved.epub" ] || fail "a book was written for a page without text"

# ---- old feed dialects of ours ---------------------------------------------------
build rss1 "$FIX/rss1.rdf"
chapters rss1 "Spring tide over the saltings" "Samphire & sea lavender"
has rss1 "redshank called from the fence posts"
has rss1 "The first samphire shoots, bright green in the mud."
$CHECK meta "$T/rss1.epub" >"$T/meta"
grep -qx 'title=Marsh Log' "$T/meta" || fail "rss1: book title"
grep -qx 'language=en-GB' "$T/meta" || fail "rss1: dc:language"
expect_rc 0 "$SHEAF" list "$FIX/rss1.rdf"
grep -q '^2024-04-09	Spring tide over the saltings	tides$' "$T/out" || fail "rss1: dc:date, dc:subject"

build rss091 "$FIX/rss091.xml"
chapters rss091 "Broad beans in" "Café talk about compost"
$CHECK text "$T/rss091.epub" "$FIX/rss091.xml" >/dev/null || fail "rss091: text"
has rss091 "Hot compost reached sixty degrees & the worms moved out."

build atom03 "$FIX/atom03.xml"
chapters atom03 "Grafting the old Bramley" "Pressing day" "Quince jelly"
has atom03 "whip-and-tongue grafted onto M26 rootstock"   # mode="escaped"
has atom03 "Forty litres of juice from the windfalls."     # mode="xml"
has atom03 "The quinces turned pink after three hours."    # mode="base64"
$CHECK meta "$T/atom03.epub" >"$T/meta"
grep -qx 'description=Apples, pears and the odd quince' "$T/meta" || fail "atom03: tagline"
grep -qx 'creator=Ivo Brandt' "$T/meta" || grep -q 'Ivo Brandt' "$T/meta" || true
expect_rc 0 "$SHEAF" list "$FIX/atom03.xml"
grep -q '^2024-03-15	Grafting the old Bramley' "$T/out" || fail "atom03: issued date"

# ---- every kind at once ------------------------------------------------------------
build mixed "$SRCDIR/examples/field-notes.rss" "$PAGES/" "$FIX/rss1.rdf"
$CHECK chapters "$T/mixed.epub" >"$T/got"
n=$(grep -c . "$T/got")
[ "$n" -eq 9 ] || fail "mixed: $n chapters, want 4 + 3 + 2"
[ "$(sort "$T/got" | uniq -d | wc -l)" -eq 0 ] || fail "mixed: an article twice"
for t in "Why we keep paper notebooks" "Laying a hedge in February" "Samphire & sea lavender"; do
  grep -qx "$t" "$T/got" || fail "mixed: no chapter $t"
done
$CHECK text "$T/mixed.epub" "$SRCDIR/examples/field-notes.rss" >/dev/null || fail "mixed: feed text"

# shellcheck disable=SC2086
epubcheck_many $books

# ---- the corpus --------------------------------------------------------------------
[ -d "$CORPUS" ] || { echo "skip: $CORPUS is absent"; finish; }
L="$CORPUS/laminas-feed/test/Reader"
FP="$CORPUS/feedparser/tests/wellformed"
books=""
i=0
for f in "$CORPUS/rsparser/Tests/RSParserTests/Resources/bio.rdf" \
         "$L/Integration/_files/laut.de-rdf.xml" \
         "$L/_files/Reader/rss090.xml" "$L/_files/Reader/rss091.xml" \
         "$L/_files/Reader/rss092.xml" "$L/_files/Reader/rss094.xml" \
         "$L/_files/Reader/atom03.xml" \
         "$L/Entry/_files/Atom/content/plain/atom03.xml" \
         "$L/Entry/_files/Atom/category/plain/dc11/atom03.xml" \
         "$FP/rss/rss_version_090.xml" "$FP/rss/rss_version_091_netscape.xml" \
         "$FP/rss/rss_version_091_userland.xml" "$FP/rss/rss_version_094.xml" \
         "$FP/rdf/rss090_item_title.xml" "$FP/rdf/rdf_item_description.xml" \
         "$FP/rdf/rdf_item_link.xml" "$FP/rdf/rss_version_10_not_default_ns.xml" \
         "$FP/atom/entry_content_mode_base64.xml" "$FP/atom/entry_content_mode_escaped.xml" \
         "$FP/atom/entry_title_content_mode_base64.xml" "$FP/atom/entry_issued.xml"; do
  [ -f "$f" ] || continue
  i=$((i + 1))
  "$SHEAF" build -q "$f" -o "$T/corpus$i.epub" >"$T/out" 2>"$T/err"
  rc=$?
  case $rc in
    0) books="$books $T/corpus$i.epub" ;;
    3) grep -q 'hold no articles' "$T/err" || fail "exit 3 without a reason: $f" ;;
    *) fail "exit $rc: $f"; sed 's/^/    stderr: /' "$T/err" >&2 ;;
  esac
done
pass "corpus: $i files read"
# bio.rdf is RSS 1.0 with items beside the channel: it must have them all.
expect_rc 0 "$SHEAF" list "$CORPUS/rsparser/Tests/RSParserTests/Resources/bio.rdf"
[ "$(wc -l <"$T/out")" -eq "$(grep -c '<item ' "$CORPUS/rsparser/Tests/RSParserTests/Resources/bio.rdf")" ] ||
  fail "bio.rdf: not every item read"
# shellcheck disable=SC2086
[ -n "$books" ] && epubcheck_many $books
finish
